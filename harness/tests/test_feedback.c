/*
 * Feedback that teaches (issue "Feedback that teaches"): every catalogue mistake,
 * planted in a copy of the reference, loses exactly the tests where it differs
 * from the reference and is named on each of them; the reference gets no hint;
 * the handed-out backprop gets a table flagging exactly dW2 and db1; hidden
 * tests' hints never carry their numbers.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jsonio.h"
#include "mistakes.h"
#include "pack.h"
#include "score.h"
#include "testutil.h"

#define CATALOGUE "rubrics/gradient_check.mistakes.yaml"

/* Does the mistake's recorded result still pass this test's comparison? */
static bool mistake_passes(const pack *p, const rubric_test *t, const pack_case *c, const cJSON *m)
{
    double got, exp;
    cr_assert_eq(jsonio_get_double(jsonio_get(m, "return"), &got), 0);
    cr_assert_eq(jsonio_get_double(jsonio_get(c->expected, "return"), &exp), 0);
    switch (t->compare.kind) {
    case RUBRIC_EXACT:
        return got == exp;
    case RUBRIC_TOLERANCE:
        return cmp_isclose(got, exp, t->compare.rtol, t->compare.atol);
    case RUBRIC_VERDICT: {
        cmp_verdict_rule rule = score_rule(&p->rubric.verdict);
        char why[512];
        const char *printed = cJSON_GetStringValue(jsonio_get(m, "stdout"));
        cmp_output o = {.out = printed ? printed : "", .check_message = t->compare.check_message,
                        .silent = t->compare.silent};
        return cmp_verdict_output(got, exp, &rule, &o, why, sizeof why);
    }
    default:
        return false;
    }
}

/* The symptom hint of a degenerate result of function (the catalogue's
 * symptoms: a difference of 1, 1/3...), or NULL. */
static const char *symptom_hint(const pack *p, const char *function, double got)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, p->symptoms) {
        double v;
        bool mine = false;
        const cJSON *f;
        cJSON_ArrayForEach(f, jsonio_get(s, "functions"))
            mine = mine || !strcmp(f->valuestring, function);
        if (mine && jsonio_get_double(jsonio_get(s, "value"), &v) == 0 && cmp_isclose(got, v, 1e-5, 0))
            return cJSON_GetStringValue(jsonio_get(s, "hint"));
    }
    return NULL;
}

/* Does exercise ex call function (the rubric's "uses")? */
static bool uses(const rubric_exercise *ex, const char *function)
{
    for (char **u = ex->uses; u && *u; u++)
        if (!strcmp(*u, function))
            return true;
    return false;
}

/* An exercise that uses a broken function: every failure is blamed on it. */
static void expect_blamed_on(const cJSON *r, const pack *p, size_t e, const char *function)
{
    char want[256];
    snprintf(want, sizeof want, "uses your %s", function);
    for (size_t t = 0; t < p->rubric.exercises[e].ntests; t++) {
        const cJSON *tr = tu_test(r, p->cases[e][t].id);
        if (!strcmp(cJSON_GetObjectItem(tr, "status")->valuestring, "passed"))
            continue;
        const cJSON *hint = cJSON_GetObjectItem(tr, "hint");
        cr_expect(cJSON_IsString(hint) && strstr(hint->valuestring, want), "%s: no \"%s\" hint",
                  p->cases[e][t].id, want);
    }
}

Test(feedback, every_catalogue_mistake_is_named_and_costs_what_it_should, .timeout = 240)
{
    mistake_catalogue cat;
    hr_error err;
    cr_assert_eq(mistakes_load(CATALOGUE, &cat, &err), 0, "%s", err.msg);
    pack p;
    cr_assert_eq(pack_load(TU_ASSIGNMENT "/pack.json", &p, &err), 0, "%s", err.msg);
    char *reference = tu_read("reference/gradient_check/gradient_check.c", NULL);
    for (size_t k = 0; k < cat.count; k++) {
        const mistake *m = &cat.items[k];
        char *text = mistakes_apply(m, reference, &err);
        cr_assert_not_null(text, "%s", err.msg);
        cJSON *r = tu_grade(tu_submission(m->id, text), NULL);
        free(text);
        double expected_score = 0, max = 0;
        int differing = 0;
        for (size_t e = 0; e < p.rubric.nexercises; e++) {
            const rubric_exercise *ex = &p.rubric.exercises[e];
            if (uses(ex, m->function)) {
                expect_blamed_on(r, &p, e, m->function);
                continue;
            }
            double exercise_expected = 0;
            for (size_t t = 0; t < ex->ntests; t++) {
                const rubric_test *test = &ex->tests[t];
                const pack_case *c = &p.cases[e][t];
                const cJSON *entry = NULL, *it;
                cJSON_ArrayForEach(it, c->mistakes)
                    if (!strcmp(cJSON_GetStringValue(jsonio_get(it, "id")), m->id))
                        entry = it;
                bool passes = strcmp(test->function, m->function) != 0 || !entry ||
                              mistake_passes(&p, test, c, entry);
                exercise_expected += passes ? test->points : 0;
                const cJSON *tr = tu_test(r, c->id);
                const cJSON *hint = cJSON_GetObjectItem(tr, "hint");
                if (!passes) {
                    differing++;
                    double got;
                    cr_assert_eq(jsonio_get_double(jsonio_get(entry, "return"), &got), 0);
                    /* a degenerate result names no mistake: it states the symptom */
                    const char *sym = symptom_hint(&p, test->function, got);
                    if (sym)
                        cr_expect(cJSON_IsString(hint) && !strcmp(hint->valuestring, sym),
                                  "%s: test %s (%g) has no symptom hint (%s)", m->id, c->id, got,
                                  cJSON_IsString(hint) ? hint->valuestring : "none");
                    else
                        cr_expect(cJSON_IsString(hint) && strstr(hint->valuestring, m->hint),
                                  "%s: test %s has no hint naming it (%s)", m->id, c->id,
                                  cJSON_IsString(hint) ? hint->valuestring : "none");
                }
            }
            cr_expect_eq(tu_score(r, ex->id), exercise_expected, "%s: %s scored %g, expected %g", m->id,
                         ex->id, tu_score(r, ex->id), exercise_expected);
            expected_score += exercise_expected;
            max += ex->points;
        }
        /* a catalogue entry that costs nothing teaches nothing: it must be caught somewhere */
        cr_expect(differing > 0, "mistake %s changes no test's outcome", m->id);
        cr_expect(expected_score < max || differing > 0);
        cJSON_Delete(r);
    }
    free(reference);
    pack_free(&p);
    mistakes_free(&cat);
}

Test(feedback, reference_gets_no_hint)
{
    cJSON *r = tu_grade("reference/gradient_check", NULL);
    const cJSON *e, *t;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(r, "exercises"))
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(e, "tests")) {
            cr_expect_null(cJSON_GetObjectItem(t, "hint"), "%s has a hint",
                           cJSON_GetObjectItem(t, "id")->valuestring);
            cr_expect_null(strstr(cJSON_GetObjectItem(t, "message")->valuestring, "hint"));
        }
    cJSON_Delete(r);
}

/* The template's backward_propagation_n is the notebook's, bugs included. */
Test(feedback, handed_out_backprop_table_flags_exactly_dW2_and_db1)
{
    cJSON *r = tu_grade("student_template/gradient_check", NULL);
    const cJSON *table = cJSON_GetObjectItem(tu_test(r, "backward_propagation_n/1"), "table");
    cr_assert_not_null(table);
    const cJSON *row;
    int rows = 0;
    cJSON_ArrayForEach(row, cJSON_GetObjectItem(table, "rows")) {
        const char *label = cJSON_GetObjectItem(row, "label")->valuestring;
        bool wrong = !strcmp(label, "dW2") || !strcmp(label, "db1");
        cr_expect_eq(cJSON_IsTrue(cJSON_GetObjectItem(row, "ok")), !wrong, "%s", label);
        rows++;
    }
    cr_expect_eq(rows, 6);
    cr_expect(strstr(tu_message(r, "backward_propagation_n/1"), "dW2 0.33 \u2717") != NULL, "%s",
              tu_message(r, "backward_propagation_n/1"));
    cJSON_Delete(r);
}

/* Under a failing gradient_check_n test the table describes the gradients given:
 * for the handed-out backprop, dW2 and db1 (and nothing else) are wrong. */
Test(feedback, failing_check_shows_which_block_is_wrong)
{
    static const char *const edits[][2] = {
        {"gradapprox.data[i] = (J_plus - J_minus) / (2 * epsilon);", "gradapprox.data[i] = (J_plus - J_minus) / epsilon;"},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("eps", edits), NULL);
    const cJSON *table = cJSON_GetObjectItem(tu_test(r, "gradient_check_n/1"), "table");
    cr_assert_not_null(table);
    const cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItem(table, "rows")) {
        const char *label = cJSON_GetObjectItem(row, "label")->valuestring;
        bool wrong = !strcmp(label, "dW2") || !strcmp(label, "db1");
        cr_expect_eq(cJSON_IsTrue(cJSON_GetObjectItem(row, "ok")), !wrong, "%s", label);
    }
    cJSON_Delete(r);
}

/* Hidden tests: hints say the kind of mistake, never the numbers; no table. */
Test(feedback, hidden_hints_reveal_no_numbers)
{
    static const char *const edits[][2] = {{"double J = theta * x;", "double J = theta * x * 2;"},
                                           {"gradapprox.data[i] = (J_plus - J_minus) / (2 * epsilon);",
                                            "gradapprox.data[i] = (J_plus - J_minus) / epsilon;"},
                                           {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("hidden", edits), NULL);
    pack p;
    hr_error err;
    cr_assert_eq(pack_load(TU_ASSIGNMENT "/pack.json", &p, &err), 0, "%s", err.msg);
    for (size_t e = 0; e < p.rubric.nexercises; e++)
        for (size_t t = 0; t < p.rubric.exercises[e].ntests; t++) {
            if (p.rubric.exercises[e].tests[t].visibility == RUBRIC_VISIBLE)
                continue;
            const pack_case *c = &p.cases[e][t];
            const cJSON *tr = tu_test(r, c->id);
            const char *msg = cJSON_GetObjectItem(tr, "student_message")->valuestring;
            double exp;
            cr_assert_eq(jsonio_get_double(jsonio_get(c->expected, "return"), &exp), 0);
            char text[64];
            snprintf(text, sizeof text, "%.6g", exp);
            cr_expect_null(strstr(msg, text), "%s reveals %s: %s", c->id, text, msg);
            cr_expect_null(strstr(msg, "got "), "%s: %s", c->id, msg);
            cr_expect_null(strstr(msg, "reference's"), "%s: %s", c->id, msg);
            cr_expect_null(strstr(msg, "\u2713"), "%s shows a table: %s", c->id, msg);
        }
    /* forward_propagation x2 on a visible test: "2 times the expected one" */
    cr_expect(strstr(tu_message(r, "forward_propagation/1"), "2 times the expected") != NULL, "%s",
              tu_message(r, "forward_propagation/1"));
    pack_free(&p);
    cJSON_Delete(r);
}

/* The same hint reaches the student whatever the platform. */
Test(feedback, hints_appear_in_every_format)
{
    static const char *const edits[][2] = {
        {"gradapprox.data[i] = (J_plus - J_minus) / (2 * epsilon);", "gradapprox.data[i] = (J_plus - J_minus) / epsilon;"},
        {NULL, NULL}};
    char *dir = tu_submission_from_reference("formats", edits);
    static const char *const formats[][4] = {{"text", NULL}, {"json", NULL}, {"gradescope", NULL},
                                             {"prairielearn", NULL}, {"coursera", "--part", "gradient_check_all", NULL}};
    const char *hint = "gradapprox is divided by epsilon instead of 2 * epsilon";
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        const char *argv[12] = {TU_GRADER, "--assignment", TU_ASSIGNMENT, "--format", formats[i][0]};
        size_t n = 5;
        for (size_t k = 1; k < 4 && formats[i][k]; k++)
            argv[n++] = formats[i][k];
        argv[n++] = dir;
        argv[n] = NULL;
        tu_result r = tu_run(argv);
        cr_expect_eq(r.status, 0, "%s: exit %d: %s", formats[i][0], r.status, r.err);
        /* the text report wraps its lines at 80 columns: read it with one blank between words */
        if (!strcmp(formats[i][0], "text")) {
            char *o = r.out;
            for (const char *s = r.out; *s;) {
                if (*s == ' ' || *s == '\n') {
                    while (*s == ' ' || *s == '\n')
                        s++;
                    *o++ = ' ';
                } else
                    *o++ = *s++;
            }
            *o = '\0';
        }
        cr_expect(strstr(r.out, hint) != NULL, "the %s report has no hint:\n%.2000s", formats[i][0], r.out);
        tu_result_free(&r);
    }
}

/* Issue 9, point 6: a difference of exactly 1 comes from many mistakes
 * (here 1 / 2 == 0 in C; J_plus and J_minus both at theta gives it too): the
 * hint states the symptom and names none of them. */
Test(feedback, degenerate_results_name_no_mistake)
{
    static const char *const edits[][2] = {
        {"double gradapprox = (J_plus - J_minus) / (2 * epsilon);",
         "double gradapprox = 1 / 2 * (J_plus - J_minus) / epsilon;"},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("degenerate", edits), NULL);
    /* a check that always flags passes the one verdict test whose seeded
     * backward_propagation (dtheta = 2x) is wrong, and nothing else */
    cr_expect_eq(tu_score(r, "gradient_check"), 1);
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(tu_test(r, "gradient_check/5"), "status")), "passed");
    size_t failed = 0;
    const cJSON *e, *t;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(r, "exercises"))
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(e, "tests")) {
            if (strcmp(cJSON_GetObjectItem(t, "function")->valuestring, "gradient_check") != 0 ||
                !strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(t, "status")), "passed"))
                continue;
            failed++;
            const cJSON *hint = cJSON_GetObjectItem(t, "hint");
            cr_assert(cJSON_IsString(hint), "%s has no hint", cJSON_GetObjectItem(t, "id")->valuestring);
            cr_expect(strstr(hint->valuestring, "your difference is 1:") == hint->valuestring, "%s",
                      hint->valuestring);
            cr_expect_null(strstr(hint->valuestring, "forward_propagation with theta"), "%s", hint->valuestring);
            /* the symptom lists what can give 1 (integer division among them) and names
             * no mistake as the one the code makes */
            cr_expect_null(strstr(hint->valuestring, "what you get when"), "%s", hint->valuestring);
        }
    cr_expect_gt(failed, 0);
    cJSON_Delete(r);
}

/* Issue 9, point 7: mistakes beyond the small edits are named, e.g. a loop
 * that skips the last parameter, gradients recomputed instead of checked. */
Test(feedback, common_mistakes_are_named)
{
    static const struct {
        const char *find, *replace, *says;
    } cases[] = {
        {"    for (size_t i = 0; i < num_parameters; i++) {\n        gc_matrix theta_plus",
         "    for (size_t i = 0; i < num_parameters - 1; i++) {\n        gc_matrix theta_plus",
         "skips the last parameter"},
        {"gradapprox.data[i] = (J_plus - J_minus) / (2 * epsilon);",
         "gradapprox.data[i] = -(J_plus - J_minus) / (2 * epsilon);", "the wrong sign"},
        {"double J_plus = forward_propagation_n(X, Y, &p_plus, NULL);",
         "float J_plus = (float)forward_propagation_n(X, Y, &p_plus, NULL);", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *const edits[][2] = {{cases[i].find, cases[i].replace}, {NULL, NULL}};
        cJSON *r = tu_grade(tu_submission_from_reference("named", edits), NULL);
        cr_expect_lt(tu_score(r, "gradient_check_n"), 20, "case %zu scores full", i);
        const cJSON *hint = cJSON_GetObjectItem(tu_test(r, "gradient_check_n/1"), "hint");
        if (cases[i].says)
            cr_expect(cJSON_IsString(hint) && strstr(hint->valuestring, cases[i].says), "case %zu: %s", i,
                      cJSON_IsString(hint) ? hint->valuestring : "no hint");
        cJSON_Delete(r);
    }
}
