/*
 * The command line, through ./grade.sh and build/grader as an instructor runs them.
 *
 * Scripts depend on the exit status (0: a report was produced, whatever the
 * score; 2: usage; 1: the grader failed) and on --format json putting the
 * report, and only the report, on stdout. Options may come before or after
 * the folder and must mean the same either way.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "testutil.h"

#define GRADE_SH "./grade.sh"

/* grade.sh builds into GRADER_BUILD; make test may use another folder. */
static void use_our_build(void)
{
    cr_assert_eq(setenv("GRADER_BUILD", TU_BUILD, 1), 0);
}

/* Runs argv and expects a usage error: exit 2, why on stderr, stdout empty. */
static void expect_usage_error(const char *const *argv, const char *why)
{
    tu_result r = tu_run(argv);
    cr_expect_eq(r.status, 2, "%s %s ...: exit %d, not 2 (%s)", argv[0], argv[1] ? argv[1] : "", r.status, r.err);
    cr_expect_str_eq(r.out, "", "a usage error prints nothing on stdout");
    cr_expect(strstr(r.err, why), "stderr does not say '%s': %s", why, r.err);
    cr_expect(strstr(r.err, "usage:"), "the usage follows the error: %s", r.err);
    tu_result_free(&r);
}

Test(cli, usage_errors_exit_2)
{
    use_our_build();
    {
        const char *const a[] = {GRADE_SH, NULL};
        expect_usage_error(a, "which submission");
    }
    {
        const char *const a[] = {GRADE_SH, "reference/gradient_check", "student_template/gradient_check", NULL};
        expect_usage_error(a, "one submission");
    }
    {
        const char *const a[] = {GRADE_SH, "--frobnicate", "reference/gradient_check", NULL};
        expect_usage_error(a, "unknown option '--frobnicate'");
    }
    {
        /* a cluster of short options: name the unknown one, not the folder */
        const char *const a[] = {GRADE_SH, "reference/gradient_check", "-xy", NULL};
        expect_usage_error(a, "unknown option '-x'");
    }
    {
        const char *const a[] = {GRADE_SH, "reference/gradient_check", "--format", "xml", NULL};
        expect_usage_error(a, "unknown format 'xml'");
    }
    {
        const char *const a[] = {GRADE_SH, "--jobs", "2", "reference/gradient_check", NULL};
        expect_usage_error(a, "--batch");
    }
    {
        const char *const a[] = {GRADE_SH, "reference/gradient_check", "--format", NULL};
        expect_usage_error(a, "--format needs a value");
    }
    {
        const char *const a[] = {GRADE_SH, "--batch", "examples/gradient_check", "reference/gradient_check", NULL};
        expect_usage_error(a, "--batch");
    }
    {
        const char *const a[] = {GRADE_SH, "--batch", "examples/gradient_check", "--jobs", "0", NULL};
        expect_usage_error(a, "--jobs");
    }
    /* the grader itself, without grade.sh's --assignment */
    {
        const char *const a[] = {TU_GRADER, "reference/gradient_check", NULL};
        expect_usage_error(a, "--assignment");
    }
}

Test(cli, help_exits_0)
{
    use_our_build();
    const char *const argv[] = {GRADE_SH, "--help", NULL};
    tu_result r = tu_run(argv);
    cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_expect(strstr(r.out, "usage:") && strstr(r.out, "--format"), "the usage goes to stdout: %s", r.out);
    tu_result_free(&r);
    const char *const argv2[] = {TU_GRADER, "-h", NULL};
    r = tu_run(argv2);
    cr_expect_eq(r.status, 0);
    cr_expect(strstr(r.out, "usage:"));
    tu_result_free(&r);
}

Test(cli, missing_assignment_exits_1)
{
    const char *const argv[] = {TU_GRADER, "--assignment", "/nonexistent/assignment", "reference/gradient_check", NULL};
    tu_result r = tu_run(argv);
    cr_expect_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    cr_expect(strstr(r.err, "/nonexistent/assignment"), "the error names the folder: %s", r.err);
    cr_expect_str_eq(r.out, "");
    tu_result_free(&r);
    /* through grade.sh an assignment is a name: an unknown one is a usage
     * error that lists the assignments there are */
    use_our_build();
    cr_assert_eq(setenv("GRADER_ASSIGNMENT", "no_such_assignment", 1), 0);
    const char *const argv2[] = {GRADE_SH, "reference/gradient_check", NULL};
    r = tu_run(argv2);
    cr_expect_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_expect(strstr(r.err, "no_such_assignment"), "%s", r.err);
    cr_expect(strstr(r.err, "gradient_check (gradient_check.c)"), "the assignments are listed: %s", r.err);
    tu_result_free(&r);
    unsetenv("GRADER_ASSIGNMENT");
    const char *const argv3[] = {GRADE_SH, "--assignment", "no_such_assignment", "reference/gradient_check", NULL};
    r = tu_run(argv3);
    cr_expect_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_expect(strstr(r.err, "unknown assignment 'no_such_assignment'"), "%s", r.err);
    tu_result_free(&r);
}

/* Without --assignment, the assignment is the one whose file the folder
 * holds; none, with several assignments built (Gradient Checking and
 * Regularization), is a usage error that lists them. */
static cJSON *graded_as(const char *file, const char *text)
{
    char *dir = tu_tmpdir("choose");
    free(tu_write(dir, file, text, strlen(text)));
    const char *const argv[] = {GRADE_SH, "--format", "json", dir, NULL};
    tu_result r = tu_run(argv);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "%s: exit %d: %s", file, r.status, r.err);
    tu_result_free(&r);
    fs_remove_tree(dir, NULL);
    free(dir);
    return doc;
}

Test(cli, assignment_chosen_by_the_file)
{
    use_our_build();
    unsetenv("GRADER_ASSIGNMENT");
    char *dir = tu_tmpdir("choose");
    free(tu_write(dir, "notes.txt", "hello\n", 6));
    const char *const argv[] = {GRADE_SH, "--format", "json", dir, NULL};
    tu_result r = tu_run(argv);
    cr_expect_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_expect(strstr(r.err, "holds no assignment's file"), "%s", r.err);
    cr_expect(strstr(r.err, "gradient_check (gradient_check.c)") && strstr(r.err, "regularization (regularization.c)"),
              "the assignments are listed: %s", r.err);
    cr_expect_str_eq(r.out, "");
    tu_result_free(&r);
    fs_remove_tree(dir, NULL);
    free(dir);
    cJSON *doc = graded_as("gradient_check.c", "int x;\n");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "assignment")), "gradient_check");
    cJSON_Delete(doc);
    char *template = tu_read("student_template/regularization/regularization.c", NULL);
    cr_assert_not_null(template);
    doc = graded_as("regularization.c", template);
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "assignment")), "regularization");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "status")), "graded");
    cJSON_Delete(doc);
    free(template);
}

/* A compile error is a graded result: exit 0, a report, 0 points. */
Test(cli, compile_error_exits_0)
{
    use_our_build();
    char *dir = tu_submission("cli-syntax", "#include \"gradient_check.h\"\ndouble forward_propagation(double x, double theta) { return x * theta }\n");
    const char *const argv[] = {GRADE_SH, dir, "--format", "json", NULL};
    tu_result r = tu_run(argv);
    cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cJSON *doc = cJSON_ParseWithOpts(r.out, NULL, 1);
    cr_assert_not_null(doc, "not JSON: %.300s", r.out);
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "status")), "compile_error");
    cr_expect_eq(tu_score(doc, ""), 0);
    cJSON_Delete(doc);
    tu_result_free(&r);
}

/* Timings and the sandbox's uid slot ("isolation") differ between two runs;
 * everything else must not. */
static void drop_seconds(cJSON *item)
{
    cJSON_DeleteItemFromObjectCaseSensitive(item, "seconds");
    cJSON_DeleteItemFromObjectCaseSensitive(item, "isolation");
    for (cJSON *c = item->child; c; c = c->next)
        drop_seconds(c);
}

/* The first place where two reports differ, for the failure message. */
static const char *first_difference(const cJSON *a, const cJSON *b, char *path, size_t len)
{
    const cJSON *ca = a->child, *cb = b->child;
    for (int i = 0; ca && cb; i++, ca = ca->next, cb = cb->next)
        if (!cJSON_Compare(ca, cb, 1)) {
            size_t n = strlen(path);
            if (ca->string)
                snprintf(path + n, len - n, ".%s", ca->string);
            else
                snprintf(path + n, len - n, "[%d]", i);
            first_difference(ca, cb, path, len);
            break;
        }
    return path;
}

static cJSON *json_stdout(const char *const *argv)
{
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    /* all of stdout is one JSON document: nothing before it, nothing after */
    cJSON *doc = cJSON_ParseWithOpts(r.out, NULL, 1);
    cr_assert_not_null(doc, "stdout is not only JSON: %.300s", r.out);
    tu_result_free(&r);
    drop_seconds(doc);
    return doc;
}

Test(cli, options_before_or_after_the_folder)
{
    use_our_build();
    char *dir = tu_submission_from_reference("cli-order", (const char *const[][2]){
        {"double J = theta * x;", "double J = theta + x;"}, {NULL, NULL}});
    const char *const before[] = {GRADE_SH, "--format", "json", "--no-color", dir, NULL};
    const char *const after[] = {GRADE_SH, dir, "--no-color", "--format", "json", NULL};
    const char *const mixed[] = {TU_GRADER, "--format=json", dir, "--assignment", TU_ASSIGNMENT, NULL};
    cJSON *a = json_stdout(before), *b = json_stdout(after), *c = json_stdout(mixed);
    /* J = theta + x costs forward_propagation, and the one test of gradient_check
     * that uses the student's own forward_propagation */
    cr_expect_eq(tu_score(a, ""), 40, "%g", tu_score(a, ""));
    char where[512] = "report";
    cr_expect(cJSON_Compare(a, b, 1), "options after the folder: the reports differ at %s",
              first_difference(a, b, where, sizeof where));
    snprintf(where, sizeof where, "report");
    cr_expect(cJSON_Compare(a, c, 1), "--assignment last: the reports differ at %s",
              first_difference(a, c, where, sizeof where));
    cJSON_Delete(a);
    cJSON_Delete(b);
    cJSON_Delete(c);
}

Test(cli, json_on_stdout_and_nothing_else)
{
    use_our_build();
    const char *const argv[] = {GRADE_SH, "reference/gradient_check", "--format", "json", NULL};
    cJSON *doc = json_stdout(argv);
    cr_expect_eq(tu_score(doc, ""), 50);
    cr_expect_eq(cJSON_GetObjectItem(doc, "max_score")->valuedouble, 50);
    const cJSON *e = cJSON_GetObjectItem(doc, "exercises");
    cr_assert_eq(cJSON_GetArraySize(e), 5);
    static const char *const ids[] = {"forward_propagation", "backward_propagation", "gradient_check",
                                      "gradient_check_n", "backward_propagation_n"};
    for (int i = 0; i < 5; i++) {
        const cJSON *ex = cJSON_GetArrayItem(e, i);
        cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(ex, "id")), ids[i]);
        const cJSON *t = cJSON_GetArrayItem(cJSON_GetObjectItem(ex, "tests"), 0);
        static const char *const keys[] = {"name", "status", "score", "max_score", "message"};
        for (int k = 0; k < 5; k++)
            cr_expect_not_null(cJSON_GetObjectItem(t, keys[k]), "%s: a test has no '%s'", ids[i], keys[k]);
    }
    cJSON_Delete(doc);
}

Test(cli, output_file)
{
    use_our_build();
    char *dir = tu_tmpdir("cli-output");
    char *path;
    cr_assert_gt(asprintf(&path, "%s/report.json", dir), 0);
    const char *const argv[] = {GRADE_SH, "--output", path, "reference/gradient_check", "--format", "json", NULL};
    tu_result r = tu_run(argv);
    cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_expect_str_eq(r.out, "", "with --output, stdout stays empty");
    tu_result_free(&r);
    char *text = tu_read(path, NULL);
    cr_assert_not_null(text, "%s was not written", path);
    cJSON *doc = cJSON_ParseWithOpts(text, NULL, 1);
    cr_assert_not_null(doc, "%s is not JSON: %.300s", path, text);
    cr_expect_eq(tu_score(doc, ""), 50);
    cJSON_Delete(doc);
    free(text);
    /* the text format too */
    cr_assert_gt(asprintf(&path, "%s/report.txt", dir), 0);
    const char *const argv2[] = {GRADE_SH, "reference/gradient_check", "--output", path, NULL};
    r = tu_run(argv2);
    cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_expect_str_eq(r.out, "");
    tu_result_free(&r);
    text = tu_read(path, NULL);
    cr_assert_not_null(text);
    cr_expect(strstr(text, "50/50"), "%s", text);
    cr_expect_null(strstr(text, "\033["), "no colours in a file");
    free(text);
    /* a folder that does not exist: the grader failed to write, exit 1 */
    const char *const argv3[] = {GRADE_SH, "reference/gradient_check", "--output", "/nonexistent/dir/report.txt", NULL};
    r = tu_run(argv3);
    cr_expect_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    cr_expect(strstr(r.err, "/nonexistent/dir/report.txt"), "%s", r.err);
    tu_result_free(&r);
}

/* ---- grade.sh reuses the build (and rebuilds when it must) ---------------------- */

/* Runs grade.sh on the reference with a make that leaves a mark: did it ask make? */
static bool grade_sh_ran_make(const char *mark)
{
    unlink(mark);
    const char *const argv[] = {GRADE_SH, "--format", "json", "reference/gradient_check", NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cJSON *doc = cJSON_ParseWithOpts(r.out, NULL, 1);
    cr_assert_not_null(doc, "not JSON: %.300s", r.out);
    cr_expect_eq(tu_score(doc, ""), 50);
    cJSON_Delete(doc);
    tu_result_free(&r);
    return access(mark, F_OK) == 0;
}

/* grade.sh checks the build with md5sum instead of make: an unchanged build
 * costs no make at all, and any difference in what the build is made from, in
 * what it made, or in its folder sends it to make. On a copy of the build, so
 * that other tests' grade.sh calls cannot race with the changes made here. */
Test(cli, grade_sh_runs_make_only_when_the_build_may_be_stale, .timeout = 120)
{
    char *dir = tu_tmpdir("cli-build"), *build, *bin, *mark, *fake, *path;
    cr_assert_gt(asprintf(&build, "%s/build", dir), 0);
    cr_assert_gt(asprintf(&bin, "%s/bin", dir), 0);
    cr_assert_gt(asprintf(&mark, "%s/make-ran", dir), 0);
    const char *const cp[] = {"/bin/cp", "-a", TU_BUILD, build, NULL};
    tu_result r = tu_run(cp);
    cr_assert_eq(r.status, 0, "%s", r.err);
    tu_result_free(&r);
    cr_assert_gt(asprintf(&fake, "#!/bin/sh\necho \"$@\" >> '%s'\nexec /usr/bin/make \"$@\"\n", mark), 0);
    char *make = tu_write(bin, "make", fake, strlen(fake));
    cr_assert_eq(chmod(make, 0755), 0);
    cr_assert_gt(asprintf(&path, "%s:%s", bin, getenv("PATH")), 0);
    cr_assert_eq(setenv("PATH", path, 1), 0);
    cr_assert_eq(setenv("GRADER_BUILD", build, 1), 0);

    /* another build folder than the one the copied sums were recorded for */
    cr_expect(grade_sh_ran_make(mark), "a new build folder did not lead to make");
    cr_expect_not(grade_sh_ran_make(mark), "an unchanged build led to make");

    /* a source whose sum differs (as if changed since the last build) */
    char *sums_path;
    cr_assert_gt(asprintf(&sums_path, "%s/.grade-sh-sums", build), 0);
    size_t len;
    char *sums = tu_read(sums_path, &len);
    cr_assert_not_null(sums, "grade.sh recorded no sums in %s", sums_path);
    char *line = strstr(sums, "/Makefile\n");
    cr_assert_not_null(line, "the sums do not cover the Makefile: %.300s", sums);
    while (line > sums && line[-1] != '\n')
        line--;
    line[0] = line[0] == '0' ? '1' : '0';   /* the first hex digit of its sum */
    tu_write(build, ".grade-sh-sums", sums, len);
    cr_expect(grade_sh_ran_make(mark), "a changed source did not lead to make");
    cr_expect_not(grade_sh_ran_make(mark), "make ran again after the build was checked");

    /* an output grading reads, gone */
    char *stamp;
    cr_assert_gt(asprintf(&stamp, "%s/gradient_check/include.stamp", build), 0);
    cr_assert_eq(unlink(stamp), 0);
    cr_expect(grade_sh_ran_make(mark), "a missing output did not lead to make");
    cr_expect_eq(access(stamp, F_OK), 0, "make did not build the missing output again");
    free(sums);
}
