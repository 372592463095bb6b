/*
 * End to end: real submissions graded by the built grader, scores checked
 * against what the rubric predicts for each (issue "Grade the Gradient
 * Checking assignment end to end", done-means).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"

static void expect_scores(const cJSON *r, double fwd, double bwd, double chk, double chk_n)
{
    cr_expect_eq(tu_score(r, "forward_propagation"), fwd, "forward_propagation: %g, not %g",
                 tu_score(r, "forward_propagation"), fwd);
    cr_expect_eq(tu_score(r, "backward_propagation"), bwd, "backward_propagation: %g, not %g",
                 tu_score(r, "backward_propagation"), bwd);
    cr_expect_eq(tu_score(r, "gradient_check"), chk, "gradient_check: %g, not %g",
                 tu_score(r, "gradient_check"), chk);
    cr_expect_eq(tu_score(r, "gradient_check_n"), chk_n, "gradient_check_n: %g, not %g",
                 tu_score(r, "gradient_check_n"), chk_n);
    cr_expect_eq(tu_score(r, ""), fwd + bwd + chk + chk_n);
}

Test(grade, reference_scores_50_of_50)
{
    cJSON *r = tu_grade("reference/gradient_check", NULL);
    expect_scores(r, 10, 10, 10, 20);
    cr_expect_eq(cJSON_GetObjectItem(r, "max_score")->valuedouble, 50);
    cr_expect_str_eq(cJSON_GetObjectItem(r, "status")->valuestring, "graded");
    cJSON_Delete(r);
}

Test(grade, untouched_template_scores_0)
{
    cJSON *r = tu_grade("student_template/gradient_check", NULL);
    expect_scores(r, 0, 0, 0, 0);
    cr_expect_str_eq(cJSON_GetObjectItem(r, "status")->valuestring, "graded");
    /* nothing crashed: every test ran and returned */
    const cJSON *e, *t;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(r, "exercises"))
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(e, "tests"))
            cr_expect_str_eq(cJSON_GetObjectItem(t, "ended")->valuestring, "returned");
    cJSON_Delete(r);
}

/* J = theta + x: every forward test fails; gradient_check is graded with the
 * course's forward_propagation (the rubric's calls:) and loses only its one
 * test with the student's own functions (gradapprox becomes 1, not x). */
Test(grade, forward_returning_theta_plus_x)
{
    static const char *const edits[][2] = {{"double J = theta * x;", "double J = theta + x;"}, {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("theta-plus-x", edits), NULL);
    expect_scores(r, 0, 10, 10, 20);
    cr_expect_str_eq(cJSON_GetObjectItem(tu_test(r, "gradient_check/10"), "status")->valuestring, "failed");
    cr_expect(strstr(tu_message(r, "forward_propagation/1"), "expected 8.0, got 6.0") != NULL, "%s",
              tu_message(r, "forward_propagation/1"));
    cJSON_Delete(r);
}

/* gradapprox / epsilon doubles gradapprox: the difference is about 1/3 on every
 * case, so every value test fails and every case the reference flags is
 * still flagged (the fixture's message, the dW3 sign flip, the truncation
 * error of epsilon 1e-2: 2 + 2 + 1 points); the dead-ReLU case, where the
 * reference passes, now fails. */
Test(grade, gradient_check_n_divides_by_epsilon)
{
    static const char *const edits[][2] = {
        {"gradapprox.data[i] = (J_plus - J_minus) / (2 * epsilon);",
         "gradapprox.data[i] = (J_plus - J_minus) / epsilon;"},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("eps-not-doubled", edits), NULL);
    expect_scores(r, 10, 10, 10, 5);
    cr_expect_str_eq(cJSON_GetObjectItem(tu_test(r, "gradient_check_n/3"), "status")->valuestring, "passed");
    cr_expect_str_eq(cJSON_GetObjectItem(tu_test(r, "gradient_check_n/7"), "status")->valuestring, "passed");
    cJSON_Delete(r);
}

/* theta_plus copied once: perturbations pile up, gradapprox is wrong, and as
 * above the two "a bug is flagged" verdicts survive. So does the dead-ReLU
 * case: there J depends on b3 alone, the last parameter, whose perturbation
 * is right even when the earlier ones pile up, so the check rightly passes. */
Test(grade, gradient_check_n_never_resets_theta_plus)
{
    static const char *const edits[][2] = {
        {"    for (size_t i = 0; i < num_parameters; i++) {\n"
         "        gc_matrix theta_plus = gc_matrix_copy(&parameters_values);\n",
         "    gc_matrix theta_plus = gc_matrix_copy(&parameters_values);\n"
         "    for (size_t i = 0; i < num_parameters; i++) {\n"},
        {"        gc_matrix_free(&theta_plus);\n", ""},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("no-reset", edits), NULL);
    expect_scores(r, 10, 10, 10, 6);
    cr_expect_str_eq(cJSON_GetObjectItem(tu_test(r, "gradient_check_n/10"), "status")->valuestring, "passed");
    cJSON_Delete(r);
}

/* Returning the notebook's published value passes the one test on the notebook's
 * fixture with the handed-out backprop, and nothing else: the message printed
 * is not the value returned, and every other case has another answer. */
Test(grade, gradient_check_n_hard_coded)
{
    static const char *const edits[][2] = {
        {"    gc_matrix_free(&parameters_values);\n    return difference;",
         "    gc_matrix_free(&parameters_values);\n    return 0.2850931567761623;"},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("hard-coded", edits), NULL);
    expect_scores(r, 10, 10, 10, 3);
    cr_expect_str_eq(cJSON_GetObjectItem(tu_test(r, "gradient_check_n/1"), "status")->valuestring, "passed");
    cJSON_Delete(r);
}

/* An endless loop in gradient_check costs its 4 tests (each timed out) and nothing else. */
Test(grade, endless_loop_in_gradient_check_only, .timeout = 60)
{
    static const char *const edits[][2] = {
        {"    double theta_plus = theta + epsilon;",
         "    for (volatile int spin = 1; spin;)\n        ;\n    double theta_plus = theta + epsilon;"},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("loop", edits), NULL);
    expect_scores(r, 10, 10, 0, 20);
    for (int i = 1; i <= 4; i++) {
        char id[64];
        snprintf(id, sizeof id, "gradient_check/%d", i);
        const char *ended = cJSON_GetObjectItem(tu_test(r, id), "ended")->valuestring;
        cr_expect(!strcmp(ended, "timed_out") || !strcmp(ended, "cpu_limit"), "%s ended %s", id, ended);
    }
    cJSON_Delete(r);
}

/* A crash in gradient_check_n costs its tests, each reported as SIGSEGV. */
Test(grade, crash_in_gradient_check_n_only)
{
    static const char *const edits[][2] = {
        {"    gc_matrix parameters_values = dictionary_to_vector(parameters);",
         "    *(volatile int *)0 = 1;\n    gc_matrix parameters_values = dictionary_to_vector(parameters);"},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("crash", edits), NULL);
    expect_scores(r, 10, 10, 10, 0);
    cr_expect(strstr(tu_message(r, "gradient_check_n/1"), "SIGSEGV") != NULL, "%s",
              tu_message(r, "gradient_check_n/1"));
    cJSON_Delete(r);
}

/* A deleted function costs its exercise, with "missing"; the rest is graded
 * (gradient_check, which calls it, with the course's backward_propagation
 * but for its test with the student's own functions). */
Test(grade, deleted_function_is_missing)
{
    static const char *const edits[][2] = {
        {"double backward_propagation(double x, double theta)\n{", "static double unused_backward(double x, double theta)\n{"},
        {"    double grad = backward_propagation(x, theta);", "    double grad = backward_propagation(x, theta); (void)unused_backward;"},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("missing", edits), NULL);
    expect_scores(r, 10, 0, 10, 20);
    cr_expect(strstr(tu_message(r, "gradient_check/10"), "gradient_check calls backward_propagation, which your file "
                     "does not define") != NULL, "%s", tu_message(r, "gradient_check/10"));
    cr_expect(strstr(tu_message(r, "backward_propagation/1"), "missing") != NULL, "%s",
              tu_message(r, "backward_propagation/1"));
    cJSON_Delete(r);
}

/* A compile error is a graded result: 0 points, the compiler's words, exit 0. */
Test(grade, compile_error_is_reported)
{
    static const char *const edits[][2] = {{"double J = theta * x;", "double J = theta * x"}, {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("syntax", edits), NULL);
    expect_scores(r, 0, 0, 0, 0);
    cr_expect_str_eq(cJSON_GetObjectItem(r, "status")->valuestring, "compile_error");
    const char *msg = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "build"), "message")->valuestring;
    cr_expect(strstr(msg, "gradient_check.c:") && strstr(msg, "error"), "%s", msg);
    cJSON_Delete(r);
}

/* Warnings (-Wall -Wextra) reach the report with the student's line. */
Test(grade, warnings_are_reported)
{
    static const char *const edits[][2] = {{"    double J = theta * x;", "    int unused;\n    double J = theta * x;"},
                                           {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("warning", edits), NULL);
    expect_scores(r, 10, 10, 10, 20);
    const cJSON *w = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "build"), "warnings");
    cr_assert(cJSON_IsString(w));
    cr_expect(strstr(w->valuestring, "gradient_check.c:") && strstr(w->valuestring, "unused"), "%s", w->valuestring);
    cJSON_Delete(r);
}

/* Warnings name the student's file and line, and nothing else. */
Test(grade, warnings_name_only_the_students_file)
{
    static const char *const edits[][2] = {
        {"    double numerator = gc_norm(&diff);",
         "    if (num_parameters < 0)\n        return 0;\n    double numerator = gc_norm(&diff);"},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("warning-note", edits), NULL);
    const cJSON *w = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "build"), "warnings");
    cr_assert(cJSON_IsString(w) && strstr(w->valuestring, "always false"), "no warning");
    {
        /* every head line names the student's file; notes may point elsewhere */
        const char *p = w->valuestring;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            if (n && p[0] != ' ' && strstr(p, ": warning:") && strstr(p, ": warning:") < p + n)
                cr_expect(!strncmp(p, "gradient_check.c:", 17), "a warning about another file: %.*s", (int)n, p);
            p += n + (nl ? 1 : 0);
        }
    }
    expect_scores(r, 10, 10, 10, 20);
    cJSON_Delete(r);
}
