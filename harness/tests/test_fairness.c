/*
 * fairness — a rubric that proves itself fair (issue 9), checked end to end.
 *
 * packgen runs every legitimate variant (rubrics/gradient_check.variants.yaml)
 * and every mistake with an expectation on every test of the pack it builds.
 * These tests make a rubric or a catalogue unfair on purpose and expect the
 * build to refuse it, naming the test and the variant (or the mistake and the
 * exercise), and no pack to be left behind; the real ones must build. They
 * also grade, with the built grader, the two cases the issue measured (in-place
 * perturbation, a product by the reciprocal), a hard-coded epsilon and a
 * message printed without print_msg.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "jsonio.h"
#include "pack.h"
#include "pyfloat.h"
#include "testutil.h"

#define PACKGEN TU_ASSIGNMENT "/packgen"
#define RUBRIC "rubrics/gradient_check.yaml"
#define MISTAKES "rubrics/gradient_check.mistakes.yaml"
#define VARIANTS "rubrics/gradient_check.variants.yaml"

/* A copy of path with find replaced by with (which must apply once). */
static char *edited(const char *dir, const char *path, const char *find, const char *with)
{
    char *text = tu_read(path, NULL);
    cr_assert_not_null(text, "%s is missing", path);
    char *at = find ? strstr(text, find) : NULL;
    cr_assert(!find || at, "the edit '%s' does not apply to %s", find, path);
    char *out;
    if (find)
        cr_assert_gt(asprintf(&out, "%.*s%s%s", (int)(at - text), text, with, at + strlen(find)), 0);
    else
        out = strdup(text);
    const char *name = strrchr(path, '/') + 1;
    char *written = tu_write(dir, name, out, strlen(out));
    free(out);
    free(text);
    return written;
}

/* Runs the full packgen (mistakes and variants) on these files. */
static tu_result packgen(const char *dir, const char *rubric, const char *mistakes, const char *variants,
                         char **out)
{
    char work[PATH_MAX], runner_base[PATH_MAX], include[PATH_MAX];
    snprintf(work, sizeof work, "%s/work", dir);
    cr_assert_not_null(realpath(TU_ASSIGNMENT "/runner-base.o", runner_base));
    cr_assert_not_null(realpath(TU_ASSIGNMENT "/include", include));
    cr_assert_gt(asprintf(out, "%s/pack.json", dir), 0);
    const char *const argv[] = {PACKGEN, "--rubric", rubric, "--testcases", "testcases/gradient_check",
                                "--reference-runner", TU_ASSIGNMENT "/reference-runner",
                                "--mistakes", mistakes, "--variants", variants,
                                "--template", "student_template/gradient_check/gradient_check.c",
                                "--reference-source", "reference/gradient_check/gradient_check.c",
                                "--runner-base", runner_base, "--include", include, "--work", work,
                                "--substitutes", TU_BUILD "/obj/testcases/gradient_check/gradient_check_substitutes.o",
                                "--out", *out, NULL};
    return tu_run(argv);
}

Test(fairness, the_real_rubric_proves_itself_fair, .timeout = 240)
{
    char *dir = tu_tmpdir("fair-ok"), *out;
    tu_result r = packgen(dir, RUBRIC, MISTAKES, VARIANTS, &out);
    cr_expect_eq(r.status, 0, "packgen exit %d: %s", r.status, r.err);
    cr_expect_not_null(tu_read(out, NULL));
    tu_result_free(&r);
}

/* Grading the 1-D check's rounding noise by its digits is refused: a
 * legitimate variant ((J_plus - J_minus) * (1 / (2 * epsilon))) would lose. */
Test(fairness, noise_graded_by_digits_is_refused, .timeout = 240)
{
    char *dir = tu_tmpdir("fair-digits"), *out;
    const char *calls = "        calls: {forward_propagation: reference, backward_propagation: reference}\n";
    char *from, *to;
    cr_assert_gt(asprintf(&from, "        inputs: {x: -2.5, theta: 1.75, epsilon: 1e-5}\n%s        compare: verdict", calls), 0);
    cr_assert_gt(asprintf(&to, "        inputs: {x: -2.5, theta: 1.75, epsilon: 1e-5}\n%s        compare: exact", calls), 0);
    char *rubric = edited(dir, RUBRIC, from, to);
    free(from);
    free(to);
    tu_result r = packgen(dir, rubric, MISTAKES, VARIANTS, &out);
    cr_expect_eq(r.status, 1, "packgen exit %d: %s", r.status, r.err);
    cr_expect(strstr(r.err, "test 'other inputs and epsilon, with the course's forward and backward propagation: below the threshold' "
                     "(gradient_check/7) is unfair"),
              "%s", r.err);
    cr_expect(strstr(r.err, "the legitimate variant '") && strstr(r.err, VARIANTS ":"), "%s", r.err);
    cr_expect_null(tu_read(out, NULL), "a refused rubric must not leave a pack behind");
    tu_result_free(&r);
}

/* The N-D check's correct gradients by digits with atol 0: the in-place
 * perturbation (+= eps, -= 2 eps, += eps) gives 3.17e-9 where the reference
 * gives 3.23e-9, and is refused by name. */
Test(fairness, in_place_perturbation_protects_itself, .timeout = 240)
{
    char *dir = tu_tmpdir("fair-inplace"), *out;
    char *rubric = edited(dir, RUBRIC,
                          "        inputs: {case: {seed: 7, layers: [3, 6, 2, 1], m: 4}, backprop: reference}\n"
                          "        compare: verdict",
                          "        inputs: {case: {seed: 7, layers: [3, 6, 2, 1], m: 4}, backprop: reference}\n"
                          "        compare: {tolerance: {rtol: 1e-5, atol: 0}}");
    tu_result r = packgen(dir, rubric, MISTAKES, VARIANTS, &out);
    cr_expect_eq(r.status, 1, "packgen exit %d: %s", r.status, r.err);
    cr_expect(strstr(r.err, "(gradient_check_n/8) is unfair: the legitimate variant 'n_in_place'"), "%s", r.err);
    cr_expect_null(tu_read(out, NULL));
    tu_result_free(&r);
}

/* A mistake that must lose points, let through by the rubric, is refused:
 * without the tests of other epsilons, a hard-coded epsilon scores 20/20. */
Test(fairness, a_mistake_let_through_is_refused, .timeout = 240)
{
    char *dir = tu_tmpdir("fair-mistake"), *out;
    char *rubric = edited(dir, RUBRIC,
                          "inputs: {case: gradient_check_n_test_case, backprop: as_handed_out, epsilon: 0.1}",
                          "inputs: {case: gradient_check_n_test_case, backprop: as_handed_out}");
    rubric = edited(dir, rubric, "backprop: reference, epsilon: 1e-2, print_msg: true}",
                    "backprop: reference, print_msg: true}");
    tu_result r = packgen(dir, rubric, MISTAKES, VARIANTS, &out);
    cr_expect_eq(r.status, 1, "packgen exit %d: %s", r.status, r.err);
    cr_expect(strstr(r.err, "mistake 'n_epsilon_hard_coded' scores full marks in gradient_check_n (20/20)"),
              "%s", r.err);
    cr_expect(strstr(r.err, MISTAKES ":"), "%s", r.err);
    cr_expect_null(tu_read(out, NULL));
    tu_result_free(&r);
}

/* A variant that is not one (a real mistake filed as a variant) is refused. */
Test(fairness, a_wrong_variant_is_refused, .timeout = 240)
{
    char *dir = tu_tmpdir("fair-variant"), *out;
    char *variants = tu_write(dir, "variants.yaml",
                              "variants:\n  - id: not_really\n    function: forward_propagation\n"
                              "    why: \"plus is not times\"\n    edits:\n"
                              "      - {find: \"double J = theta * x;\", replace: \"double J = theta + x;\"}\n",
                              strlen("variants:\n  - id: not_really\n    function: forward_propagation\n"
                                     "    why: \"plus is not times\"\n    edits:\n"
                                     "      - {find: \"double J = theta * x;\", replace: \"double J = theta + x;\"}\n"));
    tu_result r = packgen(dir, RUBRIC, MISTAKES, variants, &out);
    cr_expect_eq(r.status, 1, "packgen exit %d: %s", r.status, r.err);
    cr_expect(strstr(r.err, "(forward_propagation/1) is unfair: the legitimate variant 'not_really'"), "%s",
              r.err);
    cr_expect_null(tu_read(out, NULL));
    tu_result_free(&r);
}

/* The measured cases, graded by the built grader: full marks. */
Test(fairness, measured_variants_score_full_marks, .timeout = 120)
{
    static const char *const edits[][2] = {
        {"    for (size_t i = 0; i < num_parameters; i++) {\n        gc_matrix theta_plus = gc_matrix_copy(&parameters_values);\n"
         "        theta_plus.data[i] = theta_plus.data[i] + epsilon;",
         "    for (size_t i = 0; i < num_parameters; i++) {\n        gc_matrix theta_plus = gc_matrix_copy(&parameters_values);\n"
         "        theta_plus.data[i] += epsilon;"},
        {"double gradapprox = (J_plus - J_minus) / (2 * epsilon);",
         "double gradapprox = (J_plus - J_minus) * (1 / (2 * epsilon));"},
        {"gc_float_str(difference, text));\n        else\n            printf(\"\\033[92m",
         "(snprintf(text, sizeof text, \"%e\", difference), text));\n        else\n            printf(\"\\033[92m"},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("measured", edits), NULL);
    cr_expect_eq(tu_score(r, ""), 50, "scored %g", tu_score(r, ""));
    cJSON_Delete(r);
}

/* Issue 9, point 5: a hard-coded epsilon and a message printed without
 * print_msg both lose points now. */
Test(fairness, ignoring_epsilon_or_print_msg_loses, .timeout = 120)
{
    static const char *const epsilon[][2] = {
        {"theta_plus.data[i] = theta_plus.data[i] + epsilon;", "theta_plus.data[i] = theta_plus.data[i] + 1e-7;"},
        {"theta_minus.data[i] = theta_minus.data[i] - epsilon;", "theta_minus.data[i] = theta_minus.data[i] - 1e-7;"},
        {"gradapprox.data[i] = (J_plus - J_minus) / (2 * epsilon);", "gradapprox.data[i] = (J_plus - J_minus) / 2e-7;"},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("epsilon", epsilon), NULL);
    cr_expect_lt(tu_score(r, "gradient_check_n"), 20);
    cJSON_Delete(r);
    static const char *const loud[][2] = {
        {"    double difference = numerator / denominator;\n\n    if (print_msg) {",
         "    double difference = numerator / denominator;\n\n    if (print_msg || 1) {"},
        {NULL, NULL}};
    r = tu_grade(tu_submission_from_reference("loud", loud), NULL);
    cr_expect_lt(tu_score(r, "gradient_check"), 10);
    cr_expect_lt(tu_score(r, "gradient_check_n"), 20);
    const char *msg = tu_message(r, "gradient_check/3");
    cr_expect(strstr(msg, "with print_msg false it should print nothing"), "%s", msg);
    cJSON_Delete(r);
}

/* The template as handed out scores nothing: its 0.0 is "below the
 * threshold", yet passes no verdict test. */
Test(fairness, the_template_scores_nothing, .timeout = 120)
{
    char *text = tu_read("student_template/gradient_check/gradient_check.c", NULL);
    cr_assert_not_null(text);
    cJSON *r = tu_grade(tu_submission("template", text), NULL);
    cr_expect_eq(tu_score(r, ""), 0, "the template scored %g", tu_score(r, ""));
    const char *msg = tu_message(r, "gradient_check/1");
    cr_expect(strstr(msg, "not written yet"), "%s", msg);
    cJSON_Delete(r);
    free(text);
}

/* A test that the template passes as handed out proves nothing: refused. */
Test(fairness, a_test_the_template_passes_is_refused, .timeout = 240)
{
    char *dir = tu_tmpdir("fair-template"), *out;
    char *rubric = edited(dir, RUBRIC, "        inputs: {x: 3.7, theta: -2.2}", "        inputs: {x: 0, theta: -2.2}");
    tu_result r = packgen(dir, rubric, MISTAKES, VARIANTS, &out);
    cr_expect_eq(r.status, 1, "packgen exit %d: %s", r.status, r.err);
    cr_expect(strstr(r.err, "(forward_propagation/4) proves nothing: the template passes it as handed out"), "%s",
              r.err);
    cr_expect_null(tu_read(out, NULL));
    tu_result_free(&r);
}

/* Issue 9, point 2: the template promises the C library; a norm with sqrtl
 * and other C11 <math.h> functions in every precision is graded, 50/50. */
Test(fairness, every_math_function_may_be_called, .timeout = 120)
{
    static const char *const edits[][2] = {
        {"#include <stdio.h>", "#include <math.h>\n#include <stdio.h>\n#include <string.h>"},
        {"    double numerator = gc_norm(&diff);",
         "    long double sq = 0;\n    for (size_t k = 0; k < num_parameters; k++)\n"
         "        sq += (long double)diff.data[k] * diff.data[k];\n"
         "    double numerator = (double)sqrtl(sq) + fdim(1.0, 1.0) + fminf(0.0f, 0.0f) + fmaxf(0.0f, 0.0f)\n"
         "                       + 0 * hypotf(1.0f, 2.0f) + 0 * roundf(0.5f) + 0 * nextafter(1.0, 2.0)\n"
         "                       + 0 * scalbn(1.0, 2) + 0 * cbrtl(8.0L) + 0 * expm1f(0.0f);"},
        {"        char text[GC_FLOAT_STR_MAX];\n        if (difference > GC_DIFFERENCE_THRESHOLD)\n"
         "            printf(\"\\033[93mThere",
         "        char text[GC_FLOAT_STR_MAX];\n        char words[128] = \"\";\n        strcat(words, \"x\");\n"
         "        (void)words;\n        if (difference > GC_DIFFERENCE_THRESHOLD)\n            printf(\"\\033[93mThere"},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("mathlib", edits), NULL);
    char *build = cJSON_PrintUnformatted(cJSON_GetObjectItem(r, "build"));
    cr_expect_eq(tu_score(r, ""), 50, "scored %g: %s", tu_score(r, ""), build);
    free(build);
    cJSON_Delete(r);
}

/* What _FORTIFY_SOURCE (Ubuntu's gcc turns it on at -O2) makes of allowed
 * calls is allowed too: every undefined symbol of such an object is. */
Test(fairness, fortified_calls_are_allowed)
{
    char *dir = tu_tmpdir("fortify");
    static const char text[] =
        "#include <math.h>\n#include <stdio.h>\n#include <string.h>\n#include <stdarg.h>\n"
        "static void say(const char *f, ...) { va_list a; va_start(a, f); vfprintf(stderr, f, a); va_end(a); }\n"
        "static void say2(const char *f, ...) { va_list a; va_start(a, f); vprintf(f, a); va_end(a); }\n"
        "double f(const char *t, int n) {\n"
        "    char a[16], b[16], c[64];\n"
        "    strcpy(a, t); strcat(a, t); strncpy(b, t, (size_t)n); strncat(b, t, (size_t)n);\n"
        "    memcpy(c, t, (size_t)n); memmove(c, t, (size_t)n); memset(c, 0, (size_t)n);\n"
        "    snprintf(c, sizeof c, \"%s%d\", a, n); sprintf(c, \"%d\", n);\n"
        "    printf(\"%s %d\\n\", c, n); fprintf(stderr, \"%s\\n\", b); say(\"%d\", n); say2(\"%d\", n);\n"
        "    return sqrtl(n) + fminf(1, n) + hypotf(1, n) + fdiml(n, 1);\n}\n";
    char *src = tu_write(dir, "f.c", text, sizeof text - 1), *obj;
    cr_assert_gt(asprintf(&obj, "%s/f.o", dir), 0);
    const char *const cc[] = {"/usr/bin/gcc", "-std=gnu11", "-O2", "-D_FORTIFY_SOURCE=2", "-c", src, "-o", obj, NULL};
    tu_result r = tu_run(cc);
    cr_assert_eq(r.status, 0, "%s", r.err);
    tu_result_free(&r);
    const char *const nm[] = {"/usr/bin/nm", "-u", obj, NULL};
    r = tu_run(nm);
    cr_assert_eq(r.status, 0, "%s", r.err);
    size_t chk = 0;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
        const char *sym = strrchr(line, ' ') ? strrchr(line, ' ') + 1 : line;
        bool allowed = false;
        for (const char *const *a = BUILD_LIBC_ALLOWED; *a; a++)
            allowed = allowed || !strcmp(*a, sym);
        cr_expect(allowed, "%s is not allowed", sym);
        chk += strstr(sym, "_chk") != NULL;
    }
    cr_expect_gt(chk, 3, "the compiler made no __*_chk call: the test tests nothing\n%s", r.out);
    tu_result_free(&r);
}

/* ---- issue 9, point 8: what each reader sees -------------------------------- */

/* Columns of a line (UTF-8: continuation bytes take none). */
static size_t columns(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static void expect_fits(const char *text, const char *what)
{
    for (const char *line = text; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        cr_expect_leq(columns(line, n), 80, "%s: a line of %zu columns: %.*s", what, columns(line, n), (int)n, line);
        line = nl ? nl + 1 : NULL;
    }
}

Test(fairness, batch_reports_are_student_safe_and_say_not_attempted, .timeout = 300)
{
    char *class_dir = tu_tmpdir("fair-class");
    char *ref = tu_read("reference/gradient_check/gradient_check.c", NULL), *tmpl = tu_read("student_template/gradient_check/gradient_check.c", NULL);
    cr_assert(ref && tmpl);
    /* wrong: a message with too few digits (visible), a wrong N-D value (hidden tests fail) */
    char *wrong = strdup(ref);
    const char *edits[][2] = {
        {"gc_float_str(difference, text));", "(snprintf(text, sizeof text, \"%.2g\", difference), text));"},
        {"gradapprox.data[i] = (J_plus - J_minus) / (2 * epsilon);", "gradapprox.data[i] = (J_plus - J_minus) / epsilon;"}};
    for (size_t k = 0; k < 2; k++) {
        char *at;
        while ((at = strstr(wrong, edits[k][0])) != NULL) {
            char *next;
            cr_assert_gt(asprintf(&next, "%.*s%s%s", (int)(at - wrong), wrong, edits[k][1], at + strlen(edits[k][0])), 0);
            free(wrong);
            wrong = next;
        }
    }
    char *deleted = strdup(ref), *at = strstr(deleted, "gc_gradients backward_propagation_n(");
    cr_assert_not_null(at);
    memcpy(at, "gc_gradients backward_propagation_x(", strlen("gc_gradients backward_propagation_x("));
    char path[4096];
    snprintf(path, sizeof path, "%s/wrong", class_dir);
    free(tu_write(path, "gradient_check.c", wrong, strlen(wrong)));
    snprintf(path, sizeof path, "%s/deleted", class_dir);
    free(tu_write(path, "gradient_check.c", deleted, strlen(deleted)));
    snprintf(path, sizeof path, "%s/template", class_dir);
    free(tu_write(path, "gradient_check.c", tmpl, strlen(tmpl)));
    const char *argv[] = {TU_GRADER, "--assignment", TU_ASSIGNMENT, "--batch", class_dir, "--no-progress", NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    tu_result_free(&r);

    pack p;
    hr_error err;
    cr_assert_eq(pack_load(TU_ASSIGNMENT "/pack.json", &p, &err), 0, "%s", err.msg);
    snprintf(path, sizeof path, "%s/reports/wrong.txt", class_dir);
    char *student = tu_read(path, NULL);
    snprintf(path, sizeof path, "%s/reports/wrong.instructor.txt", class_dir);
    char *instructor = tu_read(path, NULL);
    cr_assert(student && instructor, "no student or instructor text report");
    size_t hidden_failed = 0;
    for (size_t e = 0; e < p.rubric.nexercises; e++)
        for (size_t t = 0; t < p.rubric.exercises[e].ntests; t++) {
            if (p.rubric.exercises[e].tests[t].visibility == RUBRIC_VISIBLE ||
                p.rubric.exercises[e].tests[t].compare.kind == RUBRIC_BLOCKS)
                continue;
            double v;
            cr_assert_eq(jsonio_get_double(jsonio_get(p.cases[e][t].expected, "return"), &v), 0);
            char text[PYFLOAT_MAX];
            pyfloat_repr(v, text);
            cr_expect_null(strstr(student, text), "the student's report shows %s of hidden test %s", text,
                           p.cases[e][t].id);
            hidden_failed += strstr(instructor, text) != NULL;
        }
    cr_expect_gt(hidden_failed, 0, "the instructor's report shows no hidden expected value");
    cr_expect(strstr(student, "hidden test: its inputs and expected value are not shown"), "%s", student);
    cr_expect(strstr(student, "your code printed:"), "the student's report does not show the output:\n%s", student);
    expect_fits(student, "wrong.txt");
    expect_fits(instructor, "wrong.instructor.txt");

    /* the optional exercise, deleted or left as handed out: not attempted, not FAILED */
    static const char *const absent[] = {"deleted", "template"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/reports/%s.txt", class_dir, absent[i]);
        char *text = tu_read(path, NULL);
        cr_assert_not_null(text);
        const char *section = strstr(text, "\nbackward_propagation_n ");
        cr_assert_not_null(section, "%s", text);
        cr_expect(strstr(section, "not attempted (optional)"), "%s:\n%s", absent[i], section);
        const char *fail = strstr(section, "FAILED");
        const char *total = strstr(section, "Total:");
        cr_expect(!fail || (total && fail > total), "%s: the optional exercise reads FAILED:\n%s", absent[i], section);
        free(text);
    }
    /* and stays out of the class report's most common failures */
    snprintf(path, sizeof path, "%s/class-report.html", class_dir);
    char *page = tu_read(path, NULL);
    cr_assert_not_null(page);
    const char *failures = strstr(page, "id=\"failures\"");
    cr_assert_not_null(failures);
    cr_expect_null(strstr(failures, "does not define the function backward_propagation_n"), "%s", failures);
    cr_expect_null(strstr(failures, "not attempted"), "%s", failures);
    free(page);
    free(student);
    free(instructor);
    pack_free(&p);
    free(wrong);
    free(deleted);
    free(ref);
    free(tmpl);
}
