/*
 * examples/ — the bundled class grades to exactly what examples/README.md says.
 *
 * The README's first command grades this folder, so its scores are a promise
 * to whoever runs it; each one also pins a behaviour of the rubric (why each
 * score is what it is: in the comments and in examples/README.md).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

static cJSON *grade(const char *student)
{
    char path[256];
    snprintf(path, sizeof path, "examples/gradient_check/%s", student);
    return tu_grade(path, NULL);
}

/* Grades a student and checks each exercise's score; returns the report. */
static cJSON *expect_scores(const char *student, double fwd, double bwd, double chk, double chk_n)
{
    cJSON *r = grade(student);
    cr_expect_eq(tu_score(r, "forward_propagation"), fwd, "%s: forward_propagation %g, not %g", student,
                 tu_score(r, "forward_propagation"), fwd);
    cr_expect_eq(tu_score(r, "backward_propagation"), bwd, "%s: backward_propagation %g, not %g", student,
                 tu_score(r, "backward_propagation"), bwd);
    cr_expect_eq(tu_score(r, "gradient_check"), chk, "%s: gradient_check %g, not %g", student,
                 tu_score(r, "gradient_check"), chk);
    cr_expect_eq(tu_score(r, "gradient_check_n"), chk_n, "%s: gradient_check_n %g, not %g", student,
                 tu_score(r, "gradient_check_n"), chk_n);
    cr_expect_eq(tu_score(r, ""), fwd + bwd + chk + chk_n, "%s: total %g", student, tu_score(r, ""));
    return r;
}

static const char *status_of(const cJSON *r, const char *id)
{
    return cJSON_GetStringValue(cJSON_GetObjectItem(tu_test(r, id), "status"));
}

/* Another correct implementation (arrays, helpers, fabs, its own norm,
 * in-place nudging, no colours) gets everything: the tolerances and the
 * message check accept correct code that is not the reference. */
Test(examples, correct_in_another_style_scores_50)
{
    cJSON_Delete(expect_scores("s01-correct-own-style", 10, 10, 10, 20));
}

Test(examples, untouched_template_scores_0)
{
    /* it must stay the template students get */
    char *example = tu_read("examples/gradient_check/s02-untouched-template/gradient_check.c", NULL);
    char *template = tu_read("student_template/gradient_check/gradient_check.c", NULL);
    cr_assert(example && template);
    cr_expect_str_eq(example, template, "examples/gradient_check/s02-untouched-template is no longer the template");
    cJSON_Delete(expect_scores("s02-untouched-template", 0, 0, 0, 0));
}

/* J = theta + x: forward fails. gradient_check is graded with the course's
 * forward_propagation (the rubric's calls:), so it loses only the point of
 * the one test that uses the student's own functions, and that test's hint
 * sends the student to forward_propagation; gradient_check_n uses the
 * provided forward_propagation_n and is unaffected. */
Test(examples, forward_theta_plus_x_scores_40)
{
    cJSON *r = expect_scores("s03-forward-theta-plus-x", 0, 10, 10, 20);
    const cJSON *ex = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "exercises"), 2), *t;
    int uses_hints = 0;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(ex, "tests")) {
        const char *msg = cJSON_GetStringValue(cJSON_GetObjectItem(t, "message"));
        bool own = strstr(cJSON_GetStringValue(cJSON_GetObjectItem(t, "name")), "your own") != NULL;
        cr_expect(own ? strstr(msg, "fails its own tests") != NULL : !strcmp(cJSON_GetStringValue(
                  cJSON_GetObjectItem(t, "status")), "passed"), "%s: %s", cJSON_GetStringValue(cJSON_GetObjectItem(t, "id")), msg);
        uses_hints += strstr(msg, "uses your forward_propagation") != NULL;
    }
    cr_expect_eq(uses_hints, 1, "only the test with the student's own functions sends them to forward_propagation");
    cJSON_Delete(r);
}

/* gradapprox / epsilon in both checks: the difference is about 1/3
 * everywhere. Only the three verdicts where the reference flags the
 * gradients (the fixture's message, 2 points; the dW3 sign flip, 2 points;
 * epsilon 1e-2, 1 point) still come out right. */
Test(examples, gradapprox_over_epsilon_scores_25)
{
    cJSON *r = expect_scores("s04-gradapprox-over-epsilon", 10, 10, 0, 5);
    cr_expect_str_eq(status_of(r, "gradient_check_n/3"), "passed");
    cr_expect_str_eq(status_of(r, "gradient_check_n/7"), "passed");
    cr_expect_str_eq(status_of(r, "gradient_check_n/10"), "failed", "right gradients, now flagged");
    cJSON_Delete(r);
}

/* A compile error: 0 points, the compiler's words with the student's line. */
Test(examples, compile_error_scores_0_with_the_compilers_message)
{
    cJSON *r = grade("s05-compile-error");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(r, "status")), "compile_error");
    cr_expect_eq(tu_score(r, ""), 0);
    const char *msg = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "build"), "message"));
    cr_assert_not_null(msg);
    cr_expect(strstr(msg, "gradient_check.c:44") && strstr(msg, "diference"), "%s", msg);
    cJSON_Delete(r);
}

/* An endless loop in gradient_check costs its 8 tests (stopped by the time or
 * CPU limit), nothing else. */
Test(examples, endless_loop_scores_40, .timeout = 60)
{
    cJSON *r = expect_scores("s06-endless-loop", 10, 10, 0, 20);
    for (int i = 1; i <= 8; i++) {
        char id[64];
        snprintf(id, sizeof id, "gradient_check/%d", i);
        const char *ended = cJSON_GetStringValue(cJSON_GetObjectItem(tu_test(r, id), "ended"));
        cr_expect(!strcmp(ended, "timed_out") || !strcmp(ended, "cpu_limit"), "%s ended %s", id, ended);
    }
    cJSON_Delete(r);
}

/* theta_plus never reset: every value fails; the two real bugs are still
 * flagged (2 + 2), and on seed 29 (layer 2 all dead) only b3, the last
 * parameter, moves J, and its perturbation is right (2). */
Test(examples, theta_plus_never_reset_scores_36)
{
    cJSON_Delete(expect_scores("s07-theta-plus-never-reset", 10, 10, 10, 6));
}

/* Recomputing the gradients with the handed-out backprop: right only where the
 * test's gradients are the handed-out ones or flagged anyway (3 + 2 + 2 + 1 +
 * 1 + 1); the tests with other gradients catch it. */
Test(examples, recomputes_the_gradients_scores_40)
{
    cJSON *r = expect_scores("s08-recomputes-the-gradients", 10, 10, 10, 10);
    cr_expect_str_eq(status_of(r, "gradient_check_n/1"), "passed");
    cr_expect_str_eq(status_of(r, "gradient_check_n/8"), "failed");
    cJSON_Delete(r);
}

/* %f instead of gc_float_str: every value and verdict right; a message
 * counts to the digits printed, with at least 3 significant ones, so %f of
 * 0.285093, 0.333333 and 0.059196 counts and %f of 7.8e-11 or 1.2e-07
 * (0.000000) does not: 4 message tests wrong (1 in gradient_check, 1 + 1 + 1
 * in gradient_check_n). */
Test(examples, message_with_percent_f_scores_46)
{
    cJSON *r = expect_scores("s09-message-with-percent-f", 10, 10, 9, 17);
    cr_expect_str_eq(status_of(r, "gradient_check_n/3"), "passed", "%%f of 0.285093... has 6 digits");
    cr_expect(strstr(tu_message(r, "gradient_check/2"), "fewer than 3 significant digits"), "%s",
              tu_message(r, "gradient_check/2"));
    cJSON_Delete(r);
}
