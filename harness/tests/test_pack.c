/*
 * pack — what the grader compares against, as packgen built it.
 *
 * The expected values travel reference -> runner -> JSON -> pack file ->
 * grader. These tests check that nothing is lost on the way: each expected
 * value in the built pack is, to the bit, what the reference linked into this
 * binary returns on the same inputs, and the pack keeps the rubric's shape.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gradient_check.h"
#include "gradient_check_data.h"
#include "jsonio.h"
#include "pack.h"
#include "testutil.h"

#define PACK TU_ASSIGNMENT "/pack.json"

static double expected_of(const pack_case *c)
{
    double v;
    cr_assert_eq(jsonio_get_double(jsonio_get(c->expected, "return"), &v), 0, "%s: no expected value", c->id);
    return v;
}

static double input(const pack_case *c, const char *key)
{
    double v;
    cr_assert_eq(jsonio_get_double(jsonio_get(c->inputs, key), &v), 0, "%s: no input %s", c->id, key);
    return v;
}

Test(pack, keeps_the_rubric)
{
    pack p;
    hr_error err;
    cr_assert_eq(pack_load(PACK, &p, &err), 0, "%s", err.msg);
    rubric r;
    cr_assert_eq(rubric_load("rubrics/gradient_check.yaml", &r, &err), 0, "%s", err.msg);
    cr_assert_eq(p.rubric.nexercises, r.nexercises);
    cr_expect_eq(p.rubric.total, r.total);
    cr_expect_eq(p.rubric.verdict.threshold, r.verdict.threshold);
    size_t graded = 0;
    for (char **g = p.graded; *g; g++)
        graded++;
    cr_expect_eq(graded, 5, "the four graded functions and the optional backward_propagation_n, once each");
    for (size_t e = 0; e < r.nexercises; e++) {
        cr_assert_eq(p.rubric.exercises[e].ntests, r.exercises[e].ntests);
        for (size_t t = 0; t < r.exercises[e].ntests; t++) {
            const rubric_test *a = &p.rubric.exercises[e].tests[t], *b = &r.exercises[e].tests[t];
            char id[128];
            snprintf(id, sizeof id, "%s/%zu", r.exercises[e].id, t + 1);
            cr_expect_str_eq(p.cases[e][t].id, id);
            cr_expect_str_eq(a->name, b->name);
            cr_expect_eq(a->points, b->points);
            cr_expect_eq(a->visibility, b->visibility);
            cr_expect_eq(a->compare.kind, b->compare.kind);
            cr_expect_eq(a->compare.check_message, b->compare.check_message);
            cr_expect_eq(a->line, b->line);
            if (a->compare.kind != RUBRIC_BLOCKS)   /* blocks tests return gradients, not a number */
                expected_of(&p.cases[e][t]);
            else
                cr_expect(cJSON_IsObject(jsonio_get(p.cases[e][t].expected, "return")), "%s", p.cases[e][t].id);
        }
    }
    rubric_free(&r);
    pack_free(&p);
}

/* Does the test run with the course's own 1-D functions (its own, or the
 * substitutes' "reference", which are the same expressions)? */
static bool course_functions(const rubric_test *t)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, t->calls)
        if (strcmp(cJSON_GetStringValue(c), "reference") != 0 && strcmp(cJSON_GetStringValue(c), "own") != 0)
            return false;
    return true;
}

/* The tests with seeded substitutes: the pack's expected difference is the
 * one those functions make, not the course's noise-level one. */
Test(pack, expected_values_with_seeded_substitutes)
{
    pack p;
    hr_error err;
    cr_assert_eq(pack_load(PACK, &p, &err), 0, "%s", err.msg);
    /* |grad - gradapprox| / (|grad| + |gradapprox|), worked by hand */
    static const struct { const char *id; double want; } seeded[] = {
        {"gradient_check/4", 0.5},          /* dtheta = x + 1 at x = -1.5: |-0.5 + 1.5| / 2 */
        {"gradient_check/5", 1.0 / 3},      /* dtheta = 2x at x = 3: 3 / 9 */
        {"gradient_check/6", 7.0 / 9},      /* J = theta^2 x at 2, 4: gradapprox 16, grad 2 */
        {"gradient_check/8", 2.0 / 3},      /* J = theta^2 x, dtheta = x - 1 at 2.5, 1.5: 7.5 and 1.5 */
    };
    size_t found = 0;
    for (size_t e = 0; e < p.rubric.nexercises; e++)
        for (size_t t = 0; t < p.rubric.exercises[e].ntests; t++)
            for (size_t k = 0; k < sizeof seeded / sizeof *seeded; k++)
                if (!strcmp(p.cases[e][t].id, seeded[k].id)) {
                    cr_expect(!course_functions(&p.rubric.exercises[e].tests[t]), "%s", seeded[k].id);
                    double got = expected_of(&p.cases[e][t]);
                    cr_expect(fabs(got - seeded[k].want) < 1e-8, "%s: the pack expects %.17g, not %.17g",
                              seeded[k].id, got, seeded[k].want);
                    found++;
                }
    cr_expect_eq(found, sizeof seeded / sizeof *seeded);
    pack_free(&p);
}

/* The 1-D expected values are the course's published numbers, exactly. */
Test(pack, expected_1d_values_are_the_references)
{
    pack p;
    hr_error err;
    cr_assert_eq(pack_load(PACK, &p, &err), 0, "%s", err.msg);
    int checked = 0;
    for (size_t e = 0; e < p.rubric.nexercises; e++) {
        const char *fn = p.rubric.exercises[e].id;
        for (size_t t = 0; t < p.rubric.exercises[e].ntests; t++) {
            const pack_case *c = &p.cases[e][t];
            double want;
            if (!strcmp(fn, "forward_propagation"))
                want = forward_propagation(input(c, "x"), input(c, "theta"));
            else if (!strcmp(fn, "backward_propagation"))
                want = backward_propagation(input(c, "x"), input(c, "theta"));
            else if (!strcmp(fn, "gradient_check") && course_functions(&p.rubric.exercises[e].tests[t]))
                want = gradient_check(input(c, "x"), input(c, "theta"), input(c, "epsilon"), false);
            else
                continue;
            double got = expected_of(c);
            cr_expect(memcmp(&got, &want, sizeof got) == 0, "%s: the pack expects %.17g, the reference gives %.17g",
                      c->id, got, want);
            checked++;
        }
    }
    cr_expect_eq(checked, 13);   /* 4 + 4 forward and backward, 5 with the course's functions */
    /* and the notebook's, as published */
    cr_expect_eq(expected_of(&p.cases[2][0]), 2.919335883291695e-10);
    cr_expect_eq(expected_of(&p.cases[2][2]), 7.814075313343006e-11);
    pack_free(&p);
}

/* gradient_check_n: the pack's inputs (parameters and gradients as JSON) give
 * the reference, linked here, the very value the pack expects. */
Test(pack, expected_n_values_are_the_references)
{
    pack p;
    hr_error err;
    cr_assert_eq(pack_load(PACK, &p, &err), 0, "%s", err.msg);
    size_t e = 3;
    cr_assert_str_eq(p.rubric.exercises[e].id, "gradient_check_n");
    for (size_t t = 0; t < p.rubric.exercises[e].ntests; t++) {
        const pack_case *c = &p.cases[e][t];
        gc_matrix X, Y;
        gc_parameters params;
        gc_gradients grads;
        cr_assert_eq(gcd_matrix_read(c->inputs, "X", &X, &err), 0, "%s", err.msg);
        cr_assert_eq(gcd_matrix_read(c->inputs, "Y", &Y, &err), 0, "%s", err.msg);
        cr_assert_eq(gcd_parameters_read(jsonio_get(c->inputs, "parameters"), &params, &err), 0, "%s", err.msg);
        cr_assert_eq(gcd_gradients_read(jsonio_get(c->inputs, "gradients"), &params, &grads, &err), 0, "%s",
                     err.msg);
        double want = gradient_check_n(&params, &grads, &X, &Y, input(c, "epsilon"), false);
        double got = expected_of(c);
        cr_expect(memcmp(&got, &want, sizeof got) == 0, "%s: the pack expects %.17g, the reference gives %.17g",
                  c->id, got, want);
        gc_gradients_free(&grads);
        gc_parameters_free(&params);
        gc_matrix_free(&X);
        gc_matrix_free(&Y);
    }
    pack_free(&p);
}

Test(pack, a_broken_pack_is_an_error)
{
    char *dir = tu_tmpdir("pack");
    hr_error err;
    pack p;
    static const char *const bad[] = {"{\"pack_format\": 2}", "{\"pack_format\": 1}", "[]", "{\"pack_format\": 1, "};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *path = tu_write(dir, "pack.json", bad[i], strlen(bad[i]));
        cr_expect_neq(pack_load(path, &p, &err), 0, "accepted %s", bad[i]);
        cr_expect(strstr(err.msg, path), "%s", err.msg);
    }
    cr_expect_neq(pack_load("/nonexistent/pack.json", &p, &err), 0);
}
