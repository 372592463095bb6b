/*
 * The build steps' commands probed by make (toolchain.h): cc1 and the linker
 * run directly build what gcc's driver builds. The grader beside
 * toolchain.json runs them itself; a copy of the grader in another folder,
 * with no such file beside it, runs the driver for every step. Each kind of
 * build outcome is graded both ways and must give the same report, its
 * timings aside; where they may differ (collect2's last line, a limit that
 * stops cc1), the difference is the one expected. And the file is read with
 * care: absent, malformed or outdated, the driver it is.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "jsonio.h"
#include "testutil.h"
#include "toolchain.h"

#define PROBED TU_BUILD "/toolchain.json"

/* The report without what varies from run to run: every "seconds", and the
 * isolation line, which names the sandbox uid this run's slot had (tests in
 * parallel hold others). */
static void drop_varying(cJSON *item)
{
    cJSON_DeleteItemFromObjectCaseSensitive(item, "seconds");
    cJSON_DeleteItemFromObjectCaseSensitive(item, "isolation");
    cJSON *child;
    cJSON_ArrayForEach(child, item)
        drop_varying(child);
}

/* The built grader copied alone into a new folder: it finds no toolchain.json. */
static char *grader_without_probe(void)
{
    char *dir = tu_tmpdir("driver-grader");
    size_t len;
    char *bin = tu_read(TU_GRADER, &len);
    cr_assert_not_null(bin);
    char *copy = tu_write(dir, "grader", bin, len);
    chmod(copy, 0755);
    free(bin);
    free(dir);
    return copy;
}

static cJSON *graded_by(const char *grader, const char *assignment, const char *submission)
{
    const char *const argv[] = {grader, "--assignment", assignment, "--format", "json", submission, NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "%s on %s: %s", grader, submission, r.err);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "%s", r.out);
    tu_result_free(&r);
    drop_varying(doc);
    return doc;
}

/* Graded with the probed commands and with the driver: the same report. A
 * failed link is the one place they may differ, by the line collect2 adds to
 * the linker's messages ("collect2: error: ld returned 1 exit status"). */
static void same_both_ways(const char *driver_grader, const char *assignment, const char *submission,
                           const char *status)
{
    cJSON *direct = graded_by(TU_GRADER, assignment, submission);
    cJSON *driver = graded_by(driver_grader, assignment, submission);
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(direct, "status")), status, "%s", submission);
    cJSON *said = cJSON_GetObjectItem(cJSON_GetObjectItem(driver, "build"), "message");
    const char *collect2 = "collect2: error: ld returned 1 exit status\n";
    if (cJSON_IsString(said) && strstr(said->valuestring, collect2)) {
        char *trimmed = strdup(said->valuestring);
        char *at = strstr(trimmed, collect2);
        memmove(at, at + strlen(collect2), strlen(at + strlen(collect2)) + 1);
        cJSON_SetValuestring(said, trimmed);
        free(trimmed);
    }
    char *a = cJSON_Print(direct), *b = cJSON_Print(driver);
    cr_expect(cJSON_Compare(direct, driver, true), "%s: the probed commands gave\n%s\nthe driver\n%s",
              submission, a, b);
    free(a);
    free(b);
    cJSON_Delete(direct);
    cJSON_Delete(driver);
}

Test(toolchain, make_probed_every_step)
{
    hr_error err;
    char why[512] = "";
    cr_assert_eq(toolchain_load(PROBED, why, sizeof why, &err), 0, "%s %s", why, err.msg);
    cr_assert(toolchain_direct());
    toolchain_names names = {"mine.c", "/work/x/pub/include", "/work/x/pub/runner-base.o"};
    char **pre = toolchain_command(TOOLCHAIN_PREPROCESS, &names);
    cr_expect(strstr(pre[0], "/cc1") != NULL, "%s", pre[0]);
    bool source = false, include = false;
    for (char **a = pre; *a; a++) {
        source |= !strcmp(*a, "mine.c");
        include |= strstr(*a, "/work/x/pub/include") != NULL;
        cr_expect(strstr(*a, "GCGRADE_") == NULL, "a placeholder is left: %s", *a);
    }
    cr_expect(source && include);
    char **link = toolchain_command(TOOLCHAIN_DIAG_LINK, &names);
    cr_expect(strstr(link[0], "ld.gold") != NULL, "%s", link[0]);
    bool base = false;
    for (char **a = link; *a; a++)
        base |= !strcmp(*a, "/work/x/pub/runner-base.o");
    cr_expect(base);
    toolchain_command_free(pre);
    toolchain_command_free(link);
    toolchain_unload();
    cr_expect(!toolchain_direct());
    /* unloaded: the driver's own command, names filled in */
    char **drv = toolchain_command(TOOLCHAIN_PREPROCESS, &names);
    cr_expect_str_eq(drv[0], "/usr/bin/gcc");
    bool flag = false;
    for (char **a = drv; *a; a++)
        flag |= !strcmp(*a, "-I/work/x/pub/include");
    cr_expect(flag);
    toolchain_command_free(drv);
}

Test(toolchain, an_absent_malformed_or_outdated_file_means_the_driver)
{
    char why[512] = "";
    hr_error err = {{0}};
    char *dir = tu_tmpdir("toolchain");
    char path[4200];
    snprintf(path, sizeof path, "%s/none.json", dir);
    cr_expect_eq(toolchain_load(path, why, sizeof why, &err), 1);
    cr_expect(strstr(why, "absent") != NULL, "%s", why);
    char *bad = tu_write(dir, "bad.json", "{\"programs\": 3}", 15);
    cr_expect_eq(toolchain_load(bad, why, sizeof why, &err), -1);
    cr_expect(strstr(err.msg, "bad.json") != NULL, "%s", err.msg);
    cr_expect(!toolchain_direct());
    /* the real file with one program's size changed: the compiler was upgraded */
    cJSON *doc = jsonio_read_file(PROBED, &err);
    cr_assert_not_null(doc, "%s", err.msg);
    cJSON *cc1 = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "programs"), 1);
    cJSON_SetNumberValue(cJSON_GetObjectItem(cc1, "size"), 12345);
    char *text = cJSON_Print(doc);
    char *old = tu_write(dir, "old.json", text, strlen(text));
    cr_expect_eq(toolchain_load(old, why, sizeof why, &err), 1);
    cr_expect(strstr(why, cJSON_GetStringValue(cJSON_GetObjectItem(cc1, "path"))) != NULL, "%s", why);
    cr_expect(!toolchain_direct());
    free(text);
    cJSON_Delete(doc);
    free(bad);
    free(old);
    free(dir);
}

/* Every way a build ends: graded, a compile error, a warning, a refused
 * include, a refused object, a failed link, a memory check's finding; and
 * another assignment's file. */
Test(toolchain, the_probed_commands_build_what_the_driver_builds, .timeout = 240)
{
    static const struct {
        const char *label, *text, *status;   /* text NULL: label is a folder of the project's */
    } cases[] = {
        {"reference/gradient_check", NULL, "graded"},
        {"examples/gradient_check/s05-compile-error", NULL, "compile_error"},
        {"warned", "#include <math.h>\n#include \"gc_utils.h\"\n"
                   "double forward_propagation(double x, double theta) {\n"
                   "    int spare;\n    return theta * x;\n}\n", "graded"},
        {"peeks", "#include \"../../pack.json\"\n", "refused"},
        {"main", "int main(void) { return 0; }\n", "refused"},
        {"clash", "#include \"gc_utils.h\"\nint __isnormal(double);\n"
                  "double forward_propagation(double x, double theta) {\n"
                  "    return x * theta + __isnormal(x);\n}\n", "compile_error"},
    };
    char *driver = grader_without_probe();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *dir = cases[i].text ? tu_submission(cases[i].label, cases[i].text) : strdup(cases[i].label);
        same_both_ways(driver, TU_ASSIGNMENT, dir, cases[i].status);
        free(dir);
    }
    static const char *const leak[][2] = {{"        gc_matrix_free(&theta_minus);\n", ""}, {NULL, NULL}};
    char *leaks = tu_submission_from_reference("leaks", leak);
    same_both_ways(driver, TU_ASSIGNMENT, leaks, "graded");
    same_both_ways(driver, TU_BUILD "/regularization", "examples/regularization/r03-l2-over-m", "graded");
    free(leaks);
    free(driver);
}

/* Where a limit stops the compiler itself, the sandbox sees cc1's signal and
 * the student hears which limit; through the driver, which survives cc1, the
 * same file read as gcc's "internal compiler error". Both are compile errors. */
Test(toolchain, a_limit_that_stops_the_compiler_is_named, .timeout = 120)
{
    char *driver = grader_without_probe();
    char *bomb = tu_submission("bomb",
                               "#define A \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\n"
                               "#define B A A A A A A A A A A\n#define C B B B B B B B B B B\n"
                               "#define D C C C C C C C C C C\n#define E D D D D D D D D D D\n"
                               "#define F E E E E E E E E E E\nconst char *x[] = { F, F, F, F, F };\n");
    cJSON *direct = graded_by(TU_GRADER, TU_ASSIGNMENT, bomb);
    cJSON *through = graded_by(driver, TU_ASSIGNMENT, bomb);
    const cJSON *said = cJSON_GetObjectItem(cJSON_GetObjectItem(direct, "build"), "message");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(direct, "status")), "compile_error");
    cr_expect(cJSON_IsString(said) && strstr(said->valuestring, "compiling produced more than 16 MiB"), "%s",
              cJSON_IsString(said) ? said->valuestring : "(no message)");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(through, "status")), "compile_error");
    cJSON_Delete(direct);
    cJSON_Delete(through);
    free(bomb);
    free(driver);
}
