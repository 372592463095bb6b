/*
 * regularization — the Regularization pack: numpy's numbers bit for bit, the
 * notebook's published outputs, and grades that mean what the rubric says.
 *
 *   - the committed fixtures are the fixture program's output and the oracle's
 *     inputs (seeded draws and testCases.py's literals), bit for bit;
 *   - the reference's results on them are numpy's, bit for bit, -0.0 included
 *     (31 values: the cost, both backward tests' eleven gradients, the dropout
 *     forward's A3 and cache), and reg_utils' initialize_parameters too;
 *   - `make -s notebook ASSIGNMENT=regularization` prints what the published
 *     notebook prints (testcases/regularization/published/), digit for digit;
 *   - the reference scores 100, the template 0, every catalogued mistake loses
 *     exactly the tests where its result fails the rubric's comparison and is
 *     named there, and legitimate variants (other operation orders, other
 *     ways to write the same maths) score 100.
 * The oracle (testcases/regularization/oracle/) is numpy 1.24.2's own output.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_tree.h"
#include "jsonio.h"
#include "mistakes.h"
#include "data.h"
#include "pack.h"
#include "pyfloat.h"
#include "reg_utils.h"
#include "regularization.h"
#include "testutil.h"

#define RBUILD TU_BUILD "/regularization"
#define ORACLE "testcases/regularization/oracle/regularization.json"
#define REFERENCE "reference/regularization/regularization.c"
#define TEMPLATE "student_template/regularization/regularization.c"
#define CATALOGUE "rubrics/regularization.mistakes.yaml"

static const char *const FUNCTIONS[4] = {
    "compute_cost_with_regularization", "backward_propagation_with_regularization",
    "forward_propagation_with_dropout", "backward_propagation_with_dropout"};

static cJSON *read_json(const char *path)
{
    hr_error err;
    cJSON *doc = jsonio_read_file(path, &err);
    cr_assert_not_null(doc, "%s", err.msg);
    return doc;
}

static const cJSON *oracle_fixture(const cJSON *oracle, const char *function)
{
    char id[128];
    snprintf(id, sizeof id, "reg.%s.course", function);
    const cJSON *f;
    cJSON_ArrayForEach(f, jsonio_get(oracle, "fixtures"))
        if (!strcmp(cJSON_GetStringValue(jsonio_get(f, "id")), id))
            return f;
    cr_assert_fail("the oracle has no fixture %s", id);
    return NULL;
}

/* Bit for bit: the same value and the same sign (-0.0 is not 0.0 here). */
static bool same_bits(double a, double b)
{
    return (a == b && signbit(a) == signbit(b)) || (isnan(a) && isnan(b));
}

/* A number or a list of rows, element by element; returns how many compared. */
static size_t expect_bits(const cJSON *got, const cJSON *exp, const char *what)
{
    double g, e;
    if (jsonio_get_double(exp, &e) == 0) {
        cr_assert_eq(jsonio_get_double(got, &g), 0, "%s: not a number", what);
        cr_expect(same_bits(g, e), "%s: %.17g, numpy %.17g", what, g, e);
        return 1;
    }
    cr_assert(cJSON_IsArray(exp) && cJSON_IsArray(got), "%s: not a list", what);
    cr_assert_eq(cJSON_GetArraySize(got), cJSON_GetArraySize(exp), "%s: %d rows, numpy %d", what,
                 cJSON_GetArraySize(got), cJSON_GetArraySize(exp));
    size_t n = 0;
    const cJSON *gr = got->child, *er;
    int i = 0;
    cJSON_ArrayForEach(er, exp) {
        char sub[160];
        snprintf(sub, sizeof sub, "%s[%d]", what, i++);
        n += expect_bits(gr, er, sub);
        gr = gr->next;
    }
    return n;
}

/* The member of a fixture or a result holding name: top level, or in parameters or cache. */
static const cJSON *find_member(const cJSON *doc, const char *name)
{
    const cJSON *m = jsonio_get(doc, name);
    if (!m)
        m = jsonio_get(jsonio_get(doc, "parameters"), name);
    if (!m)
        m = jsonio_get(jsonio_get(doc, "cache"), name);
    cr_assert_not_null(m, "no member %s", name);
    return m;
}

static const char *course_case(const char *function)
{
    static char name[128];
    snprintf(name, sizeof name, "%s_test_case", function);
    return name;
}

/* ---- numbers ------------------------------------------------------------------ */

Test(regularization, fixtures_are_the_oracles_inputs_bit_for_bit)
{
    cJSON *oracle = read_json(ORACLE);
    size_t checked = 0;
    for (int f = 0; f < 4; f++) {
        char path[256];
        snprintf(path, sizeof path, "testcases/regularization/%s.json", course_case(FUNCTIONS[f]));
        cJSON *fixture = read_json(path);
        /* the committed file is the fixture program's output, not a hand edit */
        const char *argv[] = {RBUILD "/fixture", course_case(FUNCTIONS[f]), NULL};
        tu_result r = tu_run(argv);
        cr_assert_eq(r.status, 0, "%s", r.err);
        char *committed = tu_read(path, NULL);
        cr_expect_str_eq(r.out, committed, "%s differs from `fixture %s`", path, course_case(FUNCTIONS[f]));
        free(committed);
        tu_result_free(&r);
        const cJSON *in;
        cJSON_ArrayForEach(in, jsonio_get(oracle_fixture(oracle, FUNCTIONS[f]), "inputs")) {
            if (!strcmp(in->string, "cache_order"))
                continue;
            char what[160];
            snprintf(what, sizeof what, "%s: %s", FUNCTIONS[f], in->string);
            checked += expect_bits(find_member(fixture, in->string), jsonio_get(in, "values"), what);
        }
        cJSON_Delete(fixture);
    }
    /* cost 5 + 5 + 21; L2 backward 15 + 5 + 81; dropout forward 15 + 21; dropout backward 15 + 5 + 106 */
    cr_expect_eq(checked, 31 + 101 + 36 + 126, "%zu numbers compared", checked);
    cJSON_Delete(oracle);
}

/* The pack's test of function on the course's case, compared in full, with
 * the oracle's hyperparameter. */
static const cJSON *course_test(const cJSON *pack, const char *function, const char *param, double value)
{
    const cJSON *e, *t;
    cJSON_ArrayForEach(e, jsonio_get(pack, "exercises"))
        cJSON_ArrayForEach(t, jsonio_get(e, "tests")) {
            const cJSON *spec = jsonio_get(t, "spec");
            double v;
            if (!strcmp(cJSON_GetStringValue(jsonio_get(t, "function")), function) &&
                cJSON_IsString(jsonio_get(spec, "case")) &&
                !strcmp(jsonio_get(spec, "case")->valuestring, course_case(function)) &&
                jsonio_get_double(jsonio_get(spec, param), &v) == 0 && v == value &&
                !jsonio_get(jsonio_get(t, "compare"), "keys"))
                return t;
        }
    cr_assert_fail("the rubric has no full test of %s on the course's case with %s %g", function, param, value);
    return NULL;
}

Test(regularization, reference_results_are_numpys_bit_for_bit)
{
    cJSON *oracle = read_json(ORACLE), *pack = jsonio_exact(read_json(RBUILD "/pack.json"));
    size_t values = 0;
    for (int f = 0; f < 4; f++) {
        const cJSON *fx = oracle_fixture(oracle, FUNCTIONS[f]), *args = jsonio_get(fx, "args");
        const char *param = args->child->string;
        double v;
        cr_assert_eq(jsonio_get_double(args->child, &v), 0);
        const cJSON *ret = jsonio_get(jsonio_get(course_test(pack, FUNCTIONS[f], param, v), "expected"), "return");
        const cJSON *exp;
        cJSON_ArrayForEach(exp, jsonio_get(fx, "expected")) {
            const char *name = exp->string;
            if (strstr(name, "_rand") || !strcmp(name, "cross_entropy_part") || !strcmp(name, "sum_sq_W1_W2_W3"))
                continue;   /* intermediate values the graded function does not return */
            const cJSON *got = f == 0 ? ret : !strcmp(name, "A3") ? jsonio_get(ret, "A3")
                               : f == 2 ? jsonio_get(jsonio_get(ret, "cache"), name) : jsonio_get(ret, name);
            char what[160];
            snprintf(what, sizeof what, "%s: %s", FUNCTIONS[f], name);
            cr_assert_not_null(got, "%s: not in the reference's result", what);
            expect_bits(got, jsonio_get(exp, "numpy"), what);
            values++;
        }
    }
    /* the cost, 11 + 11 gradients, A3 and Z1, D1, A1, Z2, D2, A2, Z3 */
    cr_expect_eq(values, 1 + 11 + 8 + 11, "%zu values compared", values);
    cJSON_Delete(pack);
    cJSON_Delete(oracle);
}

Test(regularization, provided_initialize_parameters_is_numpys)
{
    cJSON *oracle = read_json(ORACLE);
    const char *argv[] = {RBUILD "/fixture", "initialize_parameters", NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cJSON *got = cJSON_Parse(r.out);
    cr_assert_not_null(got);
    const cJSON *f, *init = NULL, *exp;
    cJSON_ArrayForEach(f, jsonio_get(oracle, "fixtures"))
        if (!strcmp(cJSON_GetStringValue(jsonio_get(f, "id")), "reg.initialize_parameters.model_dims"))
            init = f;
    cr_assert_not_null(init);
    size_t n = 0;
    cJSON_ArrayForEach(exp, jsonio_get(init, "expected"))
        n += expect_bits(jsonio_get(got, exp->string), jsonio_get(exp, "numpy"), exp->string);
    cr_expect_eq(n, 20 * 2 + 20 + 3 * 20 + 3 + 3 + 1);
    cJSON_Delete(got);
    tu_result_free(&r);
    cJSON_Delete(oracle);
}

/* ---- the notebook -------------------------------------------------------------- */

/* text with every run of blanks as one blank and the seed's "N |" line markers gone. */
static char *collapsed(const char *text)
{
    char *out = malloc(strlen(text) + 1), *o = out;
    cr_assert_not_null(out);
    for (const char *p = text; *p;) {
        if (isspace((unsigned char)*p)) {
            const char *q = p;
            while (isspace((unsigned char)*q))
                q++;
            /* " 324 | " between a printed array's rows */
            const char *d = q;
            while (isdigit((unsigned char)*d))
                d++;
            if (d > q && d[0] == ' ' && d[1] == '|' && (d[2] == ' ' || d[2] == '\n')) {
                p = d + 2;
                continue;
            }
            if (o > out && o[-1] != ' ')
                *o++ = ' ';
            p = q;
            continue;
        }
        *o++ = *p++;
    }
    *o = '\0';
    return out;
}

Test(regularization, notebook_prints_the_published_outputs)
{
    const char *argv[] = {"/usr/bin/make", "-s", "notebook", "ASSIGNMENT=regularization", "B=" TU_BUILD, NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "make notebook: %s", r.err);
    char *published = tu_read("testcases/regularization/published/Regularization.md.txt", NULL);
    cr_assert_not_null(published);
    char *seed = collapsed(published);
    /* each output of the notebook: a label, then a number or an array up to its "]]" */
    static const char *const labels[] = {"cost = ", "dW1 = ", "dW2 = ", "dW3 = ", "A3 = ", "dA1 = ", "dA2 = "};
    size_t found = 0;
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
        const char *at = strstr(r.out, labels[i]);
        cr_assert_not_null(at, "the notebook printed no '%s'", labels[i]);
        const char *end = at[strlen(labels[i])] == '[' ? strstr(at, "]]") + 2 : strchr(at, '\n');
        cr_assert_not_null(end);
        char *block = strndup(at, (size_t)(end - at));
        char *want = collapsed(block);
        cr_expect(strstr(seed, want) != NULL, "the published notebook does not print \"%s\"", want);
        found += strstr(seed, want) != NULL;
        free(want);
        free(block);
    }
    cr_expect_eq(found, 7);
    /* numpy's way with a negative zero, as published */
    cr_expect(strstr(r.out, "-0.        ]]") != NULL, "dA1 ends in -0.: %s", r.out);
    free(seed);
    free(published);
    tu_result_free(&r);
}

/* ---- grading ---------------------------------------------------------------------- */

static cJSON *grade_text(const char *label, const char *text)
{
    return tu_grade_assignment(RBUILD, tu_submission_named(label, "regularization.c", text), NULL);
}

static cJSON *grade_file(const char *label, const char *path)
{
    char *text = tu_read(path, NULL);
    cr_assert_not_null(text, "%s is missing", path);
    cJSON *r = grade_text(label, text);
    free(text);
    return r;
}

static void expect_total(const cJSON *r, double total, const char *who)
{
    cr_expect_eq(tu_score(r, ""), total, "%s scores %g, not %g", who, tu_score(r, ""), total);
}

Test(regularization, reference_scores_100_without_a_hint, .timeout = 120)
{
    cJSON *r = grade_file("reference", REFERENCE);
    expect_total(r, 100, "the reference");
    const cJSON *e, *t;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(r, "exercises"))
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(e, "tests"))
            cr_expect(!cJSON_IsString(cJSON_GetObjectItem(t, "hint")), "%s has a hint",
                      cJSON_GetObjectItem(t, "id")->valuestring);
    cJSON_Delete(r);
}

Test(regularization, template_scores_0_and_hidden_tests_show_no_numbers, .timeout = 120)
{
    char *example = tu_read("examples/regularization/r02-untouched-template/regularization.c", NULL);
    char *template = tu_read(TEMPLATE, NULL);
    cr_assert(example && template);
    cr_expect_str_eq(example, template, "examples/regularization/r02-untouched-template is no longer the template");
    cJSON *r = grade_text("template", template);
    expect_total(r, 0, "the template");
    const cJSON *e, *t;
    size_t hidden = 0;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(r, "exercises"))
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(e, "tests")) {
            const char *msg = cJSON_GetObjectItem(t, "student_message")->valuestring;
            if (strcmp(cJSON_GetObjectItem(t, "visibility")->valuestring, "hidden") != 0)
                continue;
            hidden++;
            cr_expect(!strstr(msg, "got ") && !strstr(msg, "[0]") && !strstr(msg, "elements differ"),
                      "a hidden test shows numbers: %s", msg);
            if (strncmp(cJSON_GetObjectItem(t, "id")->valuestring, "compute_cost", 12) != 0)
                cr_expect(!strncmp(msg, "wrong: ", 7), "a hidden test names the wrong members: %s", msg);
        }
    cr_expect_eq(hidden, 8);
    /* a visible test names the first wrong elements with their indices */
    const char *visible = cJSON_GetObjectItem(tu_test(r, "backward_propagation_with_regularization/2"),
                                              "student_message")->valuestring;
    cr_expect(strstr(visible, "15 of 76 elements differ (np.allclose, rtol 1e-05, atol 1e-08): "
                              "dW3[0][0]: expected -1.77691, got -1.68071; dW3[0][1]: expected -0.118329, got 0") != NULL,
              "%s", visible);
    cr_expect(strstr(visible, "(wrong: dW3, dW2, dW1)") != NULL, "%s", visible);
    cJSON_Delete(r);
    free(example);
    free(template);
}

/* Does a mistake's recorded result pass this test's comparison? */
static bool mistake_passes(const rubric_test *t, const pack_case *c, const cJSON *m)
{
    const cJSON *got = jsonio_get(m, "return"), *exp = jsonio_get(c->expected, "return");
    if (!ctree_is_structure(exp)) {
        double g, e;
        cr_assert(jsonio_get_double(got, &g) == 0 && jsonio_get_double(exp, &e) == 0);
        return cmp_isclose(g, e, t->compare.rtol, t->compare.atol);
    }
    cmp_tally tally;
    cmp_tally_init(&tally, t->compare.rtol, t->compare.atol, t->compare.kind == RUBRIC_EXACT);
    ctree_compare(got, exp, t->compare.keys, &tally);
    return cmp_tally_ok(&tally);
}

Test(regularization, every_catalogue_mistake_costs_what_the_rubric_predicts_and_is_named, .timeout = 900)
{
    mistake_catalogue cat;
    hr_error err;
    cr_assert_eq(mistakes_load(CATALOGUE, &cat, &err), 0, "%s", err.msg);
    cr_assert_geq(cat.count, 20);
    pack p;
    cr_assert_eq(pack_load(RBUILD "/pack.json", &p, &err), 0, "%s", err.msg);
    char *reference = tu_read(REFERENCE, NULL);
    for (size_t k = 0; k < cat.count; k++) {
        const mistake *m = &cat.items[k];
        char *text = mistakes_apply(m, reference, &err);
        cr_assert_not_null(text, "%s", err.msg);
        cJSON *r = grade_text(m->id, text);
        free(text);
        double expected = 0;
        int failing = 0;
        for (size_t e = 0; e < p.rubric.nexercises; e++)
            for (size_t t = 0; t < p.rubric.exercises[e].ntests; t++) {
                const rubric_test *test = &p.rubric.exercises[e].tests[t];
                const pack_case *c = &p.cases[e][t];
                const cJSON *entry = NULL, *it;
                cJSON_ArrayForEach(it, c->mistakes)
                    if (!strcmp(cJSON_GetStringValue(jsonio_get(it, "id")), m->id))
                        entry = it;
                bool passes = strcmp(test->function, m->function) != 0 || !entry ||
                              mistake_passes(test, c, entry);
                expected += passes ? test->points : 0;
                const cJSON *tr = tu_test(r, c->id);
                const char *status = cJSON_GetObjectItem(tr, "status")->valuestring;
                cr_expect_str_eq(status, passes ? "passed" : "failed", "%s: test %s", m->id, c->id);
                if (!passes) {
                    failing++;
                    const cJSON *hint = cJSON_GetObjectItem(tr, "hint");
                    cr_expect(cJSON_IsString(hint) && strstr(hint->valuestring, m->hint),
                              "%s: test %s has no hint naming it (%s)", m->id, c->id,
                              cJSON_IsString(hint) ? hint->valuestring : "none");
                }
            }
        expect_total(r, expected, m->id);
        cr_expect_gt(failing, 0, "mistake %s changes no test's outcome", m->id);
        cJSON_Delete(r);
    }
    free(reference);
    pack_free(&p);
    mistakes_free(&cat);
}

/* Correct code that is not the reference: other operation orders (the last
 * bits move), other ways to draw the same masks, other ways to write it. */
typedef struct {
    const char *id;
    const char *edits[4][2];
} variant;

static const variant VARIANTS[] = {
    {"cost_lambd_over_2m_first",
     {{"(reg_square_sum(W1) + reg_square_sum(W2) + reg_square_sum(W3)) * lambd / (m * 2.)",
       "lambd / (2 * m) * (reg_square_sum(W1) + reg_square_sum(W2) + reg_square_sum(W3))"}}},
    {"cost_per_matrix_plain_loops",
     {{"(reg_square_sum(W1) + reg_square_sum(W2) + reg_square_sum(W3)) * lambd / (m * 2.)",
       "0; for (size_t i = 0; i < W1->rows * W1->cols; i++) L2_regularization_cost += lambd / (2 * m) * W1->data[i] * W1->data[i];"
       " for (size_t i = 0; i < W2->rows * W2->cols; i++) L2_regularization_cost += lambd / (2 * m) * W2->data[i] * W2->data[i];"
       " for (size_t i = 0; i < W3->rows * W3->cols; i++) L2_regularization_cost += lambd / (2 * m) * W3->data[i] * W3->data[i]"}}},
    {"dW_regularized_inside_the_mean",
     {{"g.dW3 = weight_gradient(m, &g.dZ3, &c->A2);\n    for (size_t i = 0; i < reg_matrix_size(&g.dW3); i++)\n        g.dW3.data[i] = g.dW3.data[i] + lambd / m * c->W3.data[i];",
       "g.dW3 = reg_dot(&g.dZ3, false, &c->A2, true);\n    for (size_t i = 0; i < reg_matrix_size(&g.dW3); i++)\n        g.dW3.data[i] = (g.dW3.data[i] + lambd * c->W3.data[i]) / m;"},
      {"+ lambd / m * c->W2.data[i];", "+ c->W2.data[i] * (lambd / m);"},
      {"+ lambd / m * c->W1.data[i];", "+ (lambd * c->W1.data[i]) / m;"}}},
    {"dropout_times_inverse_keep_prob",
     {{"c.A1.data[i] = c.A1.data[i] / keep_prob;", "c.A1.data[i] = c.A1.data[i] * (1 / keep_prob);"},
      {"c.A2.data[i] = c.A2.data[i] / keep_prob;", "c.A2.data[i] = c.A2.data[i] * (1 / keep_prob);"},
      {"g.dA2.data[i] = g.dA2.data[i] / keep_prob;", "g.dA2.data[i] = g.dA2.data[i] * (1 / keep_prob);"},
      {"g.dA1.data[i] = g.dA1.data[i] / keep_prob;", "g.dA1.data[i] = g.dA1.data[i] * (1 / keep_prob);"}}},
    {"mask_and_scale_in_one_step",
     {{"c.A1.data[i] = c.A1.data[i] * c.D1.data[i];", "c.A1.data[i] = c.D1.data[i] ? c.A1.data[i] / keep_prob : 0.0;"},
      {"c.A1.data[i] = c.A1.data[i] / keep_prob;", "(void)0;"},
      {"g.dA1.data[i] = g.dA1.data[i] * c->D1.data[i];", "g.dA1.data[i] = g.dA1.data[i] * c->D1.data[i] / keep_prob;"},
      {"g.dA1.data[i] = g.dA1.data[i] / keep_prob;", "(void)0;"}}},
    {"masks_drawn_one_element_at_a_time",
     {{"c.D1 = np_random_rand(c.A1.rows, c.A1.cols);",
       "c.D1 = reg_matrix_zeros(c.A1.rows, c.A1.cols); for (size_t i = 0; i < c.A1.rows; i++) for (size_t j = 0; j < c.A1.cols; j++) { reg_matrix u = np_random_rand(1, 1); REG_AT(&c.D1, i, j) = u.data[0]; reg_matrix_free(&u); }"}}},
    {"both_masks_drawn_up_front_in_order",
     {{"    c.Z1 = reg_linear(&p->W1, X, &p->b1);",
       "    reg_matrix early_D1 = np_random_rand(p->W1.rows, X->cols), early_D2 = np_random_rand(p->W2.rows, X->cols);\n    c.Z1 = reg_linear(&p->W1, X, &p->b1);"},
      {"c.D1 = np_random_rand(c.A1.rows, c.A1.cols);", "c.D1 = early_D1;"},
      {"c.D2 = np_random_rand(c.A2.rows, c.A2.cols);", "c.D2 = early_D2;"}}},
};

static char *apply_variant(const variant *v, const char *reference)
{
    char *text = strdup(reference);
    for (size_t i = 0; i < 4 && v->edits[i][0]; i++) {
        const char *at = strstr(text, v->edits[i][0]);
        cr_assert_not_null(at, "%s: the edit \"%s\" does not apply", v->id, v->edits[i][0]);
        cr_assert_null(strstr(at + 1, v->edits[i][0]), "%s: the edit \"%s\" matches twice", v->id, v->edits[i][0]);
        char *next;
        cr_assert_gt(asprintf(&next, "%.*s%s%s", (int)(at - text), text, v->edits[i][1],
                              at + strlen(v->edits[i][0])), 0);
        free(text);
        text = next;
    }
    return text;
}

Test(regularization, legitimate_variants_score_100, .timeout = 600)
{
    char *reference = tu_read(REFERENCE, NULL);
    cr_assert_not_null(reference);
    for (size_t i = 0; i < sizeof VARIANTS / sizeof *VARIANTS; i++) {
        char *text = apply_variant(&VARIANTS[i], reference);
        cJSON *r = grade_text(VARIANTS[i].id, text);
        expect_total(r, 100, VARIANTS[i].id);
        cJSON_Delete(r);
        free(text);
    }
    free(reference);
}

/* ---- examples/regularization ----------------------------------------------------- */

/* Grades an example and checks each exercise's score (cost, L2 backward,
 * dropout forward, dropout backward); returns the report. */
static cJSON *expect_example(const char *name, double cost, double l2, double fwd, double bwd)
{
    char path[256];
    snprintf(path, sizeof path, "examples/regularization/%s", name);
    cJSON *r = tu_grade_assignment(RBUILD, path, NULL);
    const double want[4] = {cost, l2, fwd, bwd};
    for (int f = 0; f < 4; f++)
        cr_expect_eq(tu_score(r, FUNCTIONS[f]), want[f], "%s: %s %g, not %g", name, FUNCTIONS[f],
                     tu_score(r, FUNCTIONS[f]), want[f]);
    expect_total(r, cost + l2 + fwd + bwd, name);
    return r;
}

static const char *hint_of(const cJSON *r, const char *id)
{
    const cJSON *h = cJSON_GetObjectItem(tu_test(r, id), "hint");
    return cJSON_IsString(h) ? h->valuestring : "";
}

Test(regularization, examples_grade_as_their_readme_says, .timeout = 300)
{
    cJSON_Delete(expect_example("r01-correct-own-style", 20, 30, 25, 25));
    cJSON_Delete(expect_example("r02-untouched-template", 0, 0, 0, 0));
    cJSON *r = expect_example("r03-l2-over-m", 0, 30, 25, 25);
    cr_expect(strstr(hint_of(r, "compute_cost_with_regularization/1"), "lambd/(2m)") != NULL);
    cJSON_Delete(r);
    r = expect_example("r04-mask-drawn-transposed", 20, 30, 0, 25);
    cr_expect(strstr(hint_of(r, "forward_propagation_with_dropout/3"), "your D1 differs from the course's mask") != NULL,
              "%s", hint_of(r, "forward_propagation_with_dropout/3"));
    cJSON_Delete(r);
    r = expect_example("r05-forgets-keep-prob", 20, 30, 0, 0);
    cr_expect(strstr(hint_of(r, "forward_propagation_with_dropout/1"), "not divided by keep_prob") != NULL);
    cr_expect(strstr(hint_of(r, "backward_propagation_with_dropout/1"), "not divided by keep_prob") != NULL);
    cJSON_Delete(r);
}

/* ---- the student kit ---------------------------------------------------------------- */

#define KIT "dist/regularization-kit.tar.gz"

/* Unpacks the kit, puts text in as regularization.c (NULL: the template it
 * holds), runs `make test` as a student would; returns what it printed. */
static tu_result kit_run(const char *label, const char *text, char **kit_dir)
{
    char *archive = realpath(KIT, NULL), *dir = tu_tmpdir(label);
    cr_assert_not_null(archive, "%s is missing: make student-kit ASSIGNMENT=regularization", KIT);
    const char *untar[] = {"/bin/tar", "-xzf", archive, "-C", dir, NULL};
    tu_result r = tu_run(untar);
    cr_assert_eq(r.status, 0, "tar: %s", r.err);
    tu_result_free(&r);
    char *kit;
    cr_assert_gt(asprintf(&kit, "%s/regularization", dir), 0);
    if (text)
        free(tu_write(kit, "regularization.c", text, strlen(text)));
    const char *argv[] = {"/usr/bin/env", "-u", "MAKEFLAGS", "-u", "MAKELEVEL", "-u", "MFLAGS", "-u", "BXFI_MAP",
                          "/usr/bin/make", "--no-print-directory", "-C", kit, "test", "CRITERION_FLAGS=", NULL};
    r = tu_run(argv);
    free(archive);
    free(dir);
    if (kit_dir)
        *kit_dir = kit;
    else
        free(kit);
    return r;
}

/* The kit and the grader agree on every public test: the same verdict, and
 * a failure in the kit carries the grader's words for the student. */
static void expect_kit_agrees(const char *label, const char *text)
{
    cJSON *graded = text ? grade_text(label, text) : grade_file(label, TEMPLATE);
    tu_result r = kit_run(label, text, NULL);
    pack p;
    hr_error err;
    cr_assert_eq(pack_load(RBUILD "/pack.json", &p, &err), 0, "%s", err.msg);
    size_t visible = 0, passed = 0;
    for (size_t e = 0; e < p.rubric.nexercises; e++)
        for (size_t t = 0; t < p.rubric.exercises[e].ntests; t++) {
            if (p.rubric.exercises[e].tests[t].visibility != RUBRIC_VISIBLE)
                continue;
            visible++;
            const cJSON *tr = tu_test(graded, p.cases[e][t].id);
            if (!strcmp(cJSON_GetObjectItem(tr, "status")->valuestring, "passed")) {
                passed++;
                continue;
            }
            char key[256];
            snprintf(key, sizeof key, "%s \"", p.cases[e][t].id);
            const char *at = strstr(r.err, key);
            cr_assert_not_null(at, "%s: the kit does not fail %s:\n%s", label, p.cases[e][t].id, r.err);
            char *why = strdup(cJSON_GetObjectItem(tr, "student_message")->valuestring);
            char *hint = strstr(why, "\nhint:");
            if (hint)
                *hint = '\0';   /* hints are the grader's (they look at every test) */
            cr_expect(strstr(at, why) != NULL, "%s: %s: the kit does not say the grader's \"%s\"", label,
                      p.cases[e][t].id, why);
            free(why);
        }
    char want[128];
    snprintf(want, sizeof want, "Public tests: %zu of %zu passed", passed, visible);
    cr_expect(strstr(r.err, want) != NULL, "%s: no \"%s\" in:\n%s", label, want, r.err);
    cr_expect_eq(r.status == 0, passed == visible, "%s: make test's status %d", label, r.status);
    pack_free(&p);
    tu_result_free(&r);
    cJSON_Delete(graded);
}

Test(regularization, kit_agrees_with_the_grader, .timeout = 300)
{
    char *reference = tu_read(REFERENCE, NULL), *transposed = tu_read(
        "examples/regularization/r04-mask-drawn-transposed/regularization.c", NULL);
    char *not_scaled = tu_read("examples/regularization/r05-forgets-keep-prob/regularization.c", NULL);
    cr_assert(reference && transposed && not_scaled);
    expect_kit_agrees("kit-reference", reference);
    expect_kit_agrees("kit-template", NULL);
    expect_kit_agrees("kit-transposed", transposed);
    expect_kit_agrees("kit-not-scaled", not_scaled);
    free(reference);
    free(transposed);
    free(not_scaled);
}

/* Every leaf number of a JSON value, as Python prints it. */
static void leaf_texts(const cJSON *v, char ***out, size_t *n)
{
    double x;
    if (jsonio_get_double(v, &x) == 0) {
        if (fabs(x) > 1e-3 && x != 1 && fabs(x) != 0.5) {   /* distinctive numbers only */
            *out = realloc(*out, (*n + 1) * sizeof **out);
            char text[PYFLOAT_MAX];
            pyfloat_repr(x, text);
            (*out)[(*n)++] = strdup(text);
        }
        return;
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, v)
        leaf_texts(c, out, n);
}

Test(regularization, kit_holds_no_hidden_test_and_no_reference)
{
    char *kit;
    tu_result r = kit_run("kit-secrets", NULL, &kit);
    tu_result_free(&r);
    char path[4200];
    snprintf(path, sizeof path, "%s/tests/public_tests.c", kit);
    char *tests = tu_read(path, NULL);
    cr_assert_not_null(tests);
    pack p;
    hr_error err;
    cr_assert_eq(pack_load(RBUILD "/pack.json", &p, &err), 0, "%s", err.msg);
    size_t secrets = 0;
    for (size_t e = 0; e < p.rubric.nexercises; e++)
        for (size_t t = 0; t < p.rubric.exercises[e].ntests; t++) {
            if (p.rubric.exercises[e].tests[t].visibility == RUBRIC_VISIBLE)
                continue;
            cr_expect_null(strstr(tests, p.cases[e][t].id), "the kit names hidden test %s", p.cases[e][t].id);
            char **texts = NULL;
            size_t n = 0;
            leaf_texts(jsonio_get(p.cases[e][t].expected, "return"), &texts, &n);
            for (size_t i = 0; i < n; i++) {
                cr_expect_null(strstr(tests, texts[i]), "the kit holds %s, expected by hidden test %s",
                               texts[i], p.cases[e][t].id);
                free(texts[i]);
            }
            secrets += n;
            free(texts);
        }
    cr_expect_gt(secrets, 1000, "only %zu hidden numbers looked for", secrets);
    /* the solution's lines are nowhere in the kit */
    snprintf(path, sizeof path, "/bin/grep -rlF 'lambd / (m * 2.)' %s", kit);
    const char *argv[] = {"/bin/sh", "-c", path, NULL};
    r = tu_run(argv);
    cr_expect_str_eq(r.out, "", "the reference's L2 line is in the kit: %s", r.out);
    tu_result_free(&r);
    pack_free(&p);
    free(tests);
    free(kit);
}

/* ---- numpy's stream and the provided code ------------------------------------------ */

static double oracle_value(const cJSON *oracle, const char *function, const char *input, int i, int j)
{
    const cJSON *rows = jsonio_get(jsonio_get(jsonio_get(oracle_fixture(oracle, function), "inputs"), input), "values");
    double v;
    cr_assert_eq(jsonio_get_double(cJSON_GetArrayItem(cJSON_GetArrayItem(rows, i), j), &v), 0);
    return v;
}

Test(regularization, student_rng_is_numpys_module_stream)
{
    cJSON *oracle = read_json(ORACLE);
    /* seed(1); rand(2, 5), rand(3, 5): the dropout forward's uniforms U1, U2 */
    np_random_seed(1);
    reg_matrix U1 = np_random_rand(2, 5), U2 = np_random_rand(3, 5);
    const cJSON *exp = jsonio_get(oracle_fixture(oracle, "forward_propagation_with_dropout"), "expected");
    cJSON *u1 = rgd_matrix_json(&U1), *u2 = rgd_matrix_json(&U2);
    cr_expect_eq(expect_bits(u1, jsonio_get(jsonio_get(exp, "U1_rand"), "numpy"), "U1"), 10);
    cr_expect_eq(expect_bits(u2, jsonio_get(jsonio_get(exp, "U2_rand"), "numpy"), "U2"), 15);
    /* randn's second value of a pair survives rand, as numpy's cached gauss does:
     * randn(1, 3), rand(1, 2), randn(1, 1) gives seed 1's fourth normal */
    np_random_seed(1);
    reg_matrix n3 = np_random_randn(1, 3), r2 = np_random_rand(1, 2), n1 = np_random_randn(1, 1);
    for (int j = 0; j < 3; j++)
        cr_expect(same_bits(n3.data[j], oracle_value(oracle, "compute_cost_with_regularization", "W1", 0, j)));
    cr_expect(same_bits(n1.data[0], oracle_value(oracle, "compute_cost_with_regularization", "W1", 1, 0)),
              "%.17g is not the cached normal", n1.data[0]);
    /* and seed() clears it */
    np_random_seed(1);
    reg_matrix a = np_random_randn(1, 1);
    np_random_seed(1);
    reg_matrix b = np_random_randn(1, 1);
    cr_expect(same_bits(a.data[0], b.data[0]) && same_bits(a.data[0], n3.data[0]));
    reg_matrix *all[] = {&U1, &U2, &n3, &r2, &n1, &a, &b};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        reg_matrix_free(all[i]);
    cJSON_Delete(u1);
    cJSON_Delete(u2);
    cJSON_Delete(oracle);
}

/* The notebook's model() on the reference and reg_utils: the costs every 1000
 * iterations up to 10000 are numpy's bit for bit (the sums over 211 examples
 * and the 60 weights of W2 in numpy's pairwise order; nansum where a3
 * saturates in the dropout run). Further on, the two published runs disagree
 * with each other in the last digits, so this stops at 10000. */
static void expect_training(const cJSON *run, const reg_matrix *X, const reg_matrix *Y)
{
    const char *name = cJSON_GetStringValue(jsonio_get(run, "name"));
    const cJSON *args = jsonio_get(run, "args");
    double lambd = 0, keep_prob = 1, lr;
    jsonio_get_double(jsonio_get(args, "lambd"), &lambd);
    jsonio_get_double(jsonio_get(args, "keep_prob"), &keep_prob);
    cr_assert_eq(jsonio_get_double(jsonio_get(args, "learning_rate"), &lr), 0);
    static const size_t dims[4] = {2, 20, 3, 1};
    reg_parameters p = initialize_parameters(dims);
    const cJSON *costs = jsonio_get(run, "costs_every_1000");
    for (int i = 0; i <= 10000; i++) {
        reg_cache cache;
        dropout_cache dcache;
        reg_gradients g;
        reg_matrix a3 = keep_prob == 1 ? forward_propagation(X, &p, &cache)
                                       : forward_propagation_with_dropout(X, &p, keep_prob, &dcache);
        double cost = lambd == 0 ? compute_cost(&a3, Y) : compute_cost_with_regularization(&a3, Y, &p, lambd);
        if (lambd == 0 && keep_prob == 1)
            g = backward_propagation(X, Y, &cache);
        else if (lambd != 0)
            g = backward_propagation_with_regularization(X, Y, &cache, lambd);
        else
            g = backward_propagation_with_dropout(X, Y, &dcache, keep_prob);
        update_parameters(&p, &g, lr);
        if (i % 1000 == 0) {
            double want;
            cr_assert_eq(jsonio_get_double(cJSON_GetArrayItem(costs, i / 1000), &want), 0);
            cr_expect(same_bits(cost, want), "%s: cost at %d %.17g, numpy %.17g", name, i, cost, want);
        }
        reg_matrix_free(&a3);
        reg_gradients_free(&g);
        if (keep_prob == 1)
            reg_cache_free(&cache);
        else
            dropout_cache_free(&dcache);
    }
    reg_parameters_free(&p);
}

Test(regularization, training_costs_are_numpys, .timeout = 300)
{
    cJSON *oracle = read_json(ORACLE);
    const cJSON *data = jsonio_get(jsonio_get(oracle, "training"), "dataset");
    reg_matrix X, Y;
    hr_error err;
    cr_assert_eq(rgd_matrix_read(data, "train_X", &X, &err), 0, "%s", err.msg);
    cr_assert_eq(rgd_matrix_read(data, "train_Y", &Y, &err), 0, "%s", err.msg);
    cr_assert(X.rows == 2 && X.cols == 211 && Y.cols == 211);
    const cJSON *run;
    size_t runs = 0;
    cJSON_ArrayForEach(run, jsonio_get(jsonio_get(oracle, "training"), "runs")) {
        expect_training(run, &X, &Y);
        runs++;
    }
    cr_expect_eq(runs, 3);
    reg_matrix_free(&X);
    reg_matrix_free(&Y);
    cJSON_Delete(oracle);
}

/* A rubric's allclose keys must name members of the reference's result: a
 * typo stops the pack builder with the test's line. */
Test(regularization, rubric_keys_must_name_members, .timeout = 120)
{
    char *rubric = tu_read("rubrics/regularization.yaml", NULL);
    cr_assert_not_null(rubric);
    const char *find = "compare: {allclose: {keys: [dW1, dW2, dW3]}}";
    char *at = strstr(rubric, find);
    cr_assert_not_null(at);
    int line = 1;
    for (const char *p = rubric; p < at; p++)
        line += *p == '\n';
    char *edited;
    cr_assert_gt(asprintf(&edited, "%.*scompare: {allclose: {keys: [dW1, dW9]}}%s", (int)(at - rubric), rubric,
                          at + strlen(find)), 0);
    char *dir = tu_tmpdir("rubric-keys");
    char *path = tu_write(dir, "regularization.yaml", edited, strlen(edited));
    char out[4200], work[4200], runner_base[4200], include[4200];
    snprintf(out, sizeof out, "%s/pack.json", dir);
    snprintf(work, sizeof work, "%s/mistakes", dir);
    char *base = realpath(RBUILD "/runner-base.o", NULL), *inc = realpath(RBUILD "/include", NULL);
    cr_assert(base && inc);
    snprintf(runner_base, sizeof runner_base, "%s", base);
    snprintf(include, sizeof include, "%s", inc);
    const char *argv[] = {RBUILD "/packgen", "--rubric", path, "--testcases", "testcases/regularization",
                          "--reference-runner", RBUILD "/reference-runner", "--reference-source", REFERENCE,
                          "--runner-base", runner_base, "--include", include, "--work", work, "--out", out, NULL};
    tu_result r = tu_run(argv);
    cr_expect_neq(r.status, 0, "packgen accepted keys [dW1, dW9]");
    char want[4400];
    /* the test's line: "- name:", two lines above its compare */
    snprintf(want, sizeof want, "%s:%d: test 'notebook: dW1, dW2, dW3 with lambd = 0.7': compares member 'dW9'", path,
             line - 2);
    cr_expect(strstr(r.err, want) != NULL, "no \"%s\" in: %s", want, r.err);
    tu_result_free(&r);
    free(base);
    free(inc);
    free(path);
    free(dir);
    free(edited);
    free(rubric);
}
