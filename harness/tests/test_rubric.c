/*
 * rubric — the real rubric loads, and a wrong one is refused with its line.
 *
 * An instructor edits the YAML by hand; a typo must stop the build with
 * "file:LINE: reason" pointing at the typo, never grade with a default. Each
 * case below is a small edit of one valid rubric (BASE), so that the only
 * thing wrong is the edit, and the expected line is the edit's line. What only
 * the assignment knows (function names, backprop variants) is checked by the
 * pack builder: those cases run the real packgen.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rubric.h"
#include "testutil.h"

#define PACKGEN TU_ASSIGNMENT "/packgen"
#define REFERENCE_RUNNER TU_ASSIGNMENT "/reference-runner"

/* Valid; line numbers matter (the cases below name them). */
static const char BASE[] =
    "assignment: demo\n"                                   /* 1 */
    "title: Demo\n"                                        /* 2 */
    "source: gradient_check.c\n"                           /* 3 */
    "total: 20\n"                                          /* 4 */
    "verdict:\n"                                           /* 5 */
    "  threshold: 2e-7\n"                                  /* 6 */
    "  above: \"mistake \"\n"                              /* 7 */
    "  below: \"fine \"\n"                                 /* 8 */
    "limits:\n"                                            /* 9 */
    "  time_s: 2\n"                                        /* 10 */
    "exercises:\n"                                         /* 11 */
    "  - id: forward_propagation\n"                        /* 12 */
    "    points: 10\n"                                     /* 13 */
    "    tests:\n"                                         /* 14 */
    "      - name: one\n"                                  /* 15 */
    "        inputs: {x: 2, theta: 4}\n"                   /* 16 */
    "        compare: exact\n"                             /* 17 */
    "        points: 6\n"                                  /* 18 */
    "      - name: two\n"                                  /* 19 */
    "        inputs: {x: 3, theta: 4}\n"                   /* 20 */
    "        compare: {tolerance: {rtol: 1e-6}}\n"         /* 21 */
    "        points: 4\n"                                  /* 22 */
    "        visibility: hidden\n"                         /* 23 */
    "  - id: gradient_check\n"                             /* 24 */
    "    points: 10\n"                                     /* 25 */
    "    tests:\n"                                         /* 26 */
    "      - name: verdict\n"                              /* 27 */
    "        inputs: {x: 3, theta: 4, print_msg: true}\n"  /* 28 */
    "        compare: {verdict: {message: true}}\n"        /* 29 */
    "        points: 10\n";                                /* 30 */

/* BASE with its first occurrence of find replaced (the edit must apply). */
static char *edited(const char *find, const char *with)
{
    const char *at = strstr(BASE, find);
    cr_assert_not_null(at, "the edit '%s' does not apply to BASE", find);
    char *out;
    cr_assert_gt(asprintf(&out, "%.*s%s%s", (int)(at - BASE), BASE, with, at + strlen(find)), 0);
    return out;
}

static char *write_rubric(const char *text)
{
    char *dir = tu_tmpdir("rubric");
    return tu_write(dir, "rubric.yaml", text, strlen(text));
}

/* Loads text and expects "path:LINE: ..." holding fragment. */
static void expect_refused(const char *text, int line, const char *fragment)
{
    char *path = write_rubric(text);
    rubric r;
    hr_error err = {{0}};
    int rc = rubric_load(path, &r, &err);
    cr_assert_neq(rc, 0, "accepted a rubric that should fail with '%s' on line %d", fragment, line);
    char prefix[4200];
    snprintf(prefix, sizeof prefix, "%s:%d: ", path, line);
    cr_expect(!strncmp(err.msg, prefix, strlen(prefix)), "'%s' does not start with '%s'", err.msg, prefix);
    cr_expect(strstr(err.msg, fragment) != NULL, "'%s' does not say '%s'", err.msg, fragment);
    free(path);
}

static void expect_edit_refused(const char *find, const char *with, int line, const char *fragment)
{
    char *text = edited(find, with);
    expect_refused(text, line, fragment);
    free(text);
}

/* ---- valid rubrics --------------------------------------------------------- */

Test(rubric, base_is_valid)
{
    char *path = write_rubric(BASE);
    rubric r;
    hr_error err = {{0}};
    cr_assert_eq(rubric_load(path, &r, &err), 0, "%s", err.msg);
    cr_expect_eq(r.nexercises, 2);
    cr_expect_eq(r.exercises[0].tests[1].line, 19);
    cr_expect_eq(r.exercises[0].tests[1].compare.kind, RUBRIC_TOLERANCE);
    cr_expect_eq(r.exercises[0].tests[1].compare.rtol, 1e-6);
    /* no atol: numpy's default, as np.isclose (issue 9, point 3) */
    cr_expect_eq(r.exercises[0].tests[1].compare.atol, 1e-8);
    cr_expect_eq(r.exercises[0].tests[1].visibility, RUBRIC_HIDDEN);
    cr_expect_eq(r.exercises[0].tests[1].limits.time_s, 2);
    cr_expect_str_eq(r.exercises[1].tests[0].function, "gradient_check", "the function defaults to the exercise's id");
    cr_expect(r.exercises[1].tests[0].compare.check_message);
    rubric_free(&r);
    free(path);
}

Test(rubric, the_real_rubric_loads)
{
    rubric r;
    hr_error err = {{0}};
    cr_assert_eq(rubric_load("rubrics/gradient_check.yaml", &r, &err), 0, "%s", err.msg);
    cr_expect_str_eq(r.assignment, "gradient_check");
    cr_expect_str_eq(r.source, "gradient_check.c");
    cr_expect_eq(r.total, 50);
    cr_expect(r.has_verdict);
    cr_expect_eq(r.verdict.threshold, 2e-7);
    cr_expect(strstr(r.verdict.above, "There is a mistake in the backward propagation! difference =") == r.verdict.above);
    cr_expect(strstr(r.verdict.below, "Your backward propagation works perfectly fine! difference =") == r.verdict.below);
    /* the course's exercises and points */
    static const struct {
        const char *id;
        double points;
    } want[] = {{"forward_propagation", 10}, {"backward_propagation", 10}, {"gradient_check", 10},
                {"gradient_check_n", 20}, {"backward_propagation_n", 0}};
    /* the four graded exercises, then the notebook's ungraded one (0 points) */
    cr_assert_eq(r.nexercises, 5);
    char *text = tu_read("rubrics/gradient_check.yaml", NULL);
    for (size_t e = 0; e < 5; e++) {
        const rubric_exercise *ex = &r.exercises[e];
        cr_expect_str_eq(ex->id, want[e].id);
        cr_expect_eq(ex->points, want[e].points);
        double sum = 0;
        bool hidden = false;
        for (size_t t = 0; t < ex->ntests; t++) {
            const rubric_test *rt = &ex->tests[t];
            sum += rt->points;
            hidden = hidden || rt->visibility == RUBRIC_HIDDEN;
            cr_expect_str_eq(rt->function, ex->id);
            cr_expect_gt(rt->limits.time_s, 0);
            /* each test's line is where its name is written */
            const char *line = text;
            for (int l = 1; l < rt->line && line; l++)
                line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL;
            cr_assert_not_null(line);
            const char *eol = strchr(line, '\n');
            char *name_at = strstr(line, "name:");
            cr_expect(name_at && name_at < eol && strstr(line, rt->name) && strstr(line, rt->name) < eol,
                      "%s: line %d is '%.*s'", rt->name, rt->line, (int)(eol - line), line);
        }
        cr_expect_eq(sum, ex->points, "%s: tests add up to %g", ex->id, sum);
        cr_expect(hidden || ex->points == 0, "%s has no hidden test (a hard-coded answer would pass)", ex->id);
    }
    free(text);
    cr_expect_geq(r.nparts, 1);
    bool float_str = false;
    for (char **p = r.provided; p && *p; p++)
        float_str = float_str || !strcmp(*p, "gc_float_str");
    cr_expect(float_str, "students may print with gc_float_str");
    rubric_free(&r);
}

/* ---- refused, with the line ----------------------------------------------- */

Test(rubric, unknown_keys)
{
    expect_edit_refused("title: Demo", "titel: Demo", 2, "unknown key 'titel'");
    expect_edit_refused("  - id: gradient_check\n    points: 10", "  - id: gradient_check\n    pionts: 10", 25,
                        "unknown key 'pionts'");
    expect_edit_refused("        visibility: hidden", "        visibilty: hidden", 23, "unknown key 'visibilty'");
    expect_edit_refused("compare: {tolerance: {rtol: 1e-6}}", "compare: {tolerence: {rtol: 1e-6}}", 21,
                        "unknown key 'tolerence'");
    expect_edit_refused("{rtol: 1e-6}", "{rtol: 1e-6, rtl: 1}", 21, "unknown key 'rtl'");
    expect_edit_refused("{verdict: {message: true}}", "{verdict: {mesage: true}}", 29, "unknown key 'mesage'");
    expect_edit_refused("  time_s: 2\n", "  time: 2\n", 10, "unknown key 'time'");
    expect_edit_refused("        visibility: hidden", "        limits: {wall_s: 3}", 23, "unknown key 'wall_s'");
    expect_edit_refused("  above: \"mistake \"", "  abov: \"mistake \"", 7, "unknown key 'abov'");
    expect_edit_refused("        points: 6\n", "        points: 6\n        points: 6\n", 19, "'points' appears twice");
}

Test(rubric, wrong_types)
{
    expect_edit_refused("        points: 6\n", "        points: six\n", 18, "must be a number");
    expect_edit_refused("        points: 6\n", "        points: \"6\"\n", 18, "must be a number");
    expect_edit_refused("total: 20", "total: [20]", 4, "must be a number");
    expect_edit_refused("  time_s: 2\n", "  time_s: 0\n", 10, "between 0 and 600");
    expect_edit_refused("{verdict: {message: true}}", "{verdict: {message: yes}}", 29, "true or false");
    expect_edit_refused("inputs: {x: 2, theta: 4}", "inputs: [2, 4]", 16, "'inputs' must be a mapping");
    expect_edit_refused("source: gradient_check.c", "source: ../gradient_check.c", 3, "plain file name");
    expect_edit_refused("      - name: one\n", "      - name: [one]\n", 15, "'name' must be a non-empty text");
    expect_edit_refused("{tolerance: {rtol: 1e-6}}", "{tolerance: {rtol: 0, atol: 0}}", 21, "rtol or atol above 0");
    expect_edit_refused("{verdict: {message: true}}", "{verdict: {message: true, silent: true}}", 29,
                        "cannot both be true");
    expect_edit_refused("{verdict: {message: true}}", "{verdict: {silent: maybe}}", 29, "true or false");
    expect_edit_refused("        points: 6\n", "        points: -6\n", 18, "cannot be negative");
    expect_edit_refused("verdict:\n  threshold: 2e-7\n", "verdict:\n  threshold: small\n", 6, "must be a number");
    /* no tests at all */
    expect_edit_refused("    tests:\n      - name: verdict\n        inputs: {x: 3, theta: 4, print_msg: true}\n"
                        "        compare: {verdict: {message: true}}\n        points: 10\n",
                        "    tests: []\n", 26, "'tests' must be a non-empty list");
}

Test(rubric, points_must_add_up)
{
    /* the exercise says 10, its tests now say 5 + 4 */
    expect_edit_refused("        points: 6\n", "        points: 5\n", 12,
                        "exercise 'forward_propagation' is worth 10 points but its tests add up to 9");
    /* the exercises add up to 20, the total says 25 */
    expect_edit_refused("total: 20", "total: 25", 4, "total is 25 but the exercises add up to 20");
}

Test(rubric, unknown_comparison)
{
    expect_edit_refused("compare: exact", "compare: approximately", 17, "unknown comparison 'approximately'");
    expect_edit_refused("compare: {tolerance: {rtol: 1e-6}}", "compare: {tolerance: {rtol: 1e-6}, verdict: {}}", 21,
                        "compare takes one kind");
    expect_edit_refused("        compare: exact\n", "", 15, "missing key 'compare'");
}

Test(rubric, duplicate_ids_and_names)
{
    expect_edit_refused("  - id: gradient_check", "  - id: forward_propagation", 24,
                        "two exercises have the id 'forward_propagation'");
    expect_edit_refused("      - name: two", "      - name: one", 19, "two tests are named 'one'");
}

Test(rubric, verdict_test_needs_a_verdict_section)
{
    /* without lines 5-8 the verdict test starts on line 27 - 4 */
    expect_edit_refused("verdict:\n  threshold: 2e-7\n  above: \"mistake \"\n  below: \"fine \"\n", "", 23,
                        "no 'verdict:' section");
}

Test(rubric, bad_visibility)
{
    expect_edit_refused("visibility: hidden", "visibility: secret", 23,
                        "visibility must be visible, hidden or after_due_date");
}

Test(rubric, invalid_yaml)
{
    /* a flow mapping left open on line 16: libyaml notices on 17, and the
     * message says where the mapping starts */
    char *text = edited("inputs: {x: 2, theta: 4}", "inputs: {x: 2, theta: 4");
    expect_refused(text, 17, "not valid YAML");
    expect_refused(text, 17, "line 16");
    free(text);
    expect_edit_refused("        points: 6\n", "       points: 6\n", 18, "not valid YAML");
    expect_edit_refused("  time_s: 2\n", "\ttime_s: 2\n", 10, "not valid YAML");
    /* a quote never closed: noticed at the end, started on line 24 */
    text = edited("  - id: gradient_check", "  - id: \"gradient_check");
    expect_refused(text, 31, "line 24");
    free(text);
    expect_refused("", 1, "empty");
    expect_refused("- 1\n- 2\n", 1, "must be a mapping");
}

Test(rubric, a_missing_file_is_an_error_not_a_crash)
{
    rubric r;
    hr_error err = {{0}};
    cr_expect_neq(rubric_load("/nonexistent/rubric.yaml", &r, &err), 0);
    cr_expect(strstr(err.msg, "/nonexistent/rubric.yaml") != NULL, "%s", err.msg);
}

/* ---- what only the assignment knows: the pack builder ---------------------- */

/* Runs packgen on the real rubric with one edit; expects exit 1 and
 * "path:LINE: ..." on stderr holding fragment, LINE the first edited line. */
static void expect_packgen_refuses(const char *find, const char *with, const char *fragment)
{
    char *real = tu_read("rubrics/gradient_check.yaml", NULL);
    cr_assert_not_null(real);
    char *at = strstr(real, find);
    cr_assert_not_null(at, "the edit '%s' does not apply to the rubric", find);
    int line = 1;
    for (char *p = real; p < at; p++)
        line += *p == '\n';
    char *text;
    cr_assert_gt(asprintf(&text, "%.*s%s%s", (int)(at - real), real, with, at + strlen(find)), 0);
    char *dir = tu_tmpdir("packgen");
    char *path = tu_write(dir, "rubric.yaml", text, strlen(text));
    char *out;
    cr_assert_gt(asprintf(&out, "%s/pack.json", dir), 0);
    const char *const argv[] = {PACKGEN, "--rubric", path, "--testcases", "testcases",
                                "--reference-runner", REFERENCE_RUNNER, "--out", out, NULL};
    tu_result r = tu_run(argv);
    cr_expect_eq(r.status, 1, "packgen exit %d: %s", r.status, r.err);
    char prefix[4200];
    snprintf(prefix, sizeof prefix, "%s:%d: ", path, line);
    cr_expect(!strncmp(r.err, prefix, strlen(prefix)), "'%s' does not start with '%s'", r.err, prefix);
    cr_expect(strstr(r.err, fragment) != NULL, "'%s' does not say '%s'", r.err, fragment);
    cr_expect_null(tu_read(out, NULL), "a refused rubric must not leave a pack behind");
    tu_result_free(&r);
    free(text);
    free(real);
}

Test(packgen, real_rubric_builds)
{
    char *dir = tu_tmpdir("packgen-ok");
    char *out;
    cr_assert_gt(asprintf(&out, "%s/pack.json", dir), 0);
    const char *const argv[] = {PACKGEN, "--rubric", "rubrics/gradient_check.yaml", "--testcases", "testcases",
                                "--reference-runner", REFERENCE_RUNNER, "--out", out, NULL};
    tu_result r = tu_run(argv);
    cr_expect_eq(r.status, 0, "packgen exit %d: %s", r.status, r.err);
    cr_expect_not_null(tu_read(out, NULL));
    tu_result_free(&r);
}

Test(packgen, unknown_function)
{
    /* an explicit function: the error names its line */
    expect_packgen_refuses("        inputs: {x: 3.7, theta: -2.2}",
                           "        function: forward_propagaton\n        inputs: {x: 3.7, theta: -2.2}",
                           "unknown function 'forward_propagaton'");
}

Test(packgen, unknown_backprop_variant)
{
    expect_packgen_refuses("inputs: {case: gradient_check_n_test_case, backprop: dW2_x2}",
                           "inputs: {case: gradient_check_n_test_case, backprop: dW2_x3}",
                           "unknown backprop variant 'dW2_x3'");
}

Test(packgen, unknown_input_and_fixture)
{
    expect_packgen_refuses("inputs: {x: -1.5, theta: 0.25}", "inputs: {x: -1.5, theta: 0.25, y: 1}",
                           "unknown input 'y'");
    expect_packgen_refuses("inputs: {case: gradient_check_n_test_case, backprop: db1_x4}",
                           "inputs: {case: gradient_check_n_tset_case, backprop: db1_x4}",
                           "gradient_check_n_tset_case");
    expect_packgen_refuses("{case: {seed: 7, layers: [3, 6, 2, 1], m: 4}", "{case: {seed: 7, layers: [3, 6, 2, 2], m: 4}",
                           "output layer");
}
