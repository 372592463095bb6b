/*
 * Course platforms (issue "Platforms, students and whole classes", course
 * platforms): the Coursera entrypoint run on a stand-in /shared, Gradescope's
 * run_autograder on a stand-in /autograder built from the zip, and every
 * platform document checked against its platform's spec by validators written
 * here from the specs (required keys and types, allowed values, score sums),
 * plus the rule that hidden tests never show their inputs or expected values.
 *
 * Docker does not run here: the Dockerfile is checked as text, and what it
 * does (copy the project, build it as a non-root user, run the entrypoint with
 * a wiped environment) is done without it.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "grade.h"
#include "jsonio.h"
#include "pack.h"
#include "pyfloat.h"
#include "report_platforms.h"
#include "score.h"
#include "platform_checks.h"
#include "testutil.h"

#define ENTRYPOINT "platforms/coursera/grade"

/* ---- submissions ------------------------------------------------------------ */

static const char *const COMPILE_ERROR[][2] = {
    {"double J = theta * x;", "double J = theta * x"}, {NULL, NULL}};

/* Prints its inputs (as a curious student might, to learn hidden ones) and
 * gets the forward pass wrong, so hidden forward tests fail with output. */
static const char *const PRINTS_INPUTS[][2] = {
    {"    double J = theta * x;\n",
     "    char bx[GC_FLOAT_STR_MAX], bt[GC_FLOAT_STR_MAX];\n"
     "    printf(\"x=%s theta=%s\\n\", gc_float_str(x, bx), gc_float_str(theta, bt));\n"
     "    double J = theta * x + 1;\n"},
    {NULL, NULL}};

/* J = theta + x: forward and the 1-D check fail, the rest passes (test_grade.c). */
static const char *const THETA_PLUS_X[][2] = {
    {"double J = theta * x;", "double J = theta + x;"}, {NULL, NULL}};

static pack load_pack(void)
{
    pack p;
    hr_error err;
    cr_assert_eq(pack_load(TU_ASSIGNMENT "/pack.json", &p, &err), 0, "%s", err.msg);
    return p;
}

/* Runs the grader in a platform format (NULL-terminated extra options). */
static cJSON *grade_as(const char *format, const char *submission, const char *const *extra)
{
    const char *argv[16] = {TU_GRADER, "--assignment", TU_ASSIGNMENT, "--format", format};
    size_t n = 5;
    for (size_t i = 0; extra && extra[i]; i++)
        argv[n++] = extra[i];
    argv[n++] = submission;
    argv[n] = NULL;
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "grader exit %d: %s", r.status, r.err);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "not JSON: %.300s", r.out);
    tu_result_free(&r);
    return doc;
}

/* ---- the Coursera entrypoint on a stand-in /shared ----------------------------------------- */

/* A stand-in /shared whose submission/ holds the file under the part's file
 * name, read-only as Coursera mounts it. */
static char *stand_in_shared(const char *submission_dir)
{
    char *shared = tu_tmpdir("shared");
    char *src = fs_join(submission_dir, "gradient_check.c"), *dir = fs_join(shared, "submission");
    size_t len;
    char *text = tu_read(src, &len);
    cr_assert_not_null(text, "%s is missing", src);
    char *file = tu_write(dir, "gradient_check.c", text, len);
    chmod(file, 0444);
    chmod(dir, 0555);
    free(text);
    free(src);
    free(dir);
    free(file);
    return shared;
}

static cJSON *read_feedback(const char *shared)
{
    char *path = fs_join(shared, "feedback.json");
    char *text = tu_read(path, NULL);
    cr_assert_not_null(text, "no feedback.json was written");
    cJSON *doc = cJSON_Parse(text);
    cr_assert_not_null(doc, "feedback.json is not JSON: %.300s", text);
    free(text);
    free(path);
    return doc;
}

/* A parts file as make coursera-zip writes it, mapping every rubric part to
 * an id of the same name (a course maps Coursera's ids instead). */
static char *stand_in_parts(void)
{
    pack p = load_pack();
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    for (size_t i = 0; i < p.rubric.nparts; i++)
        fprintf(f, "%s %s %s\n", p.rubric.parts[i].id, p.rubric.assignment, p.rubric.parts[i].id);
    fclose(f);
    char *path = tu_write(tu_tmpdir("parts"), "parts", text, len);
    free(text);
    pack_free(&p);
    return path;
}

/* Runs the entrypoint with only what Coursera sets (partId; NULL: not even
 * that), the way the image would: a wiped environment. Returns its exit
 * status; the feedback it wrote is validated as Coursera's tool does. */
static int coursera_status(const char *entrypoint, const char *build, const char *shared, const char *part,
                           cJSON **doc)
{
    char shared_var[4096], part_var[512], build_var[4096], parts_var[4096];
    char *parts = stand_in_parts();
    snprintf(shared_var, sizeof shared_var, "COURSERA_SHARED=%s", shared);
    snprintf(part_var, sizeof part_var, "partId=%s", part ? part : "");
    snprintf(build_var, sizeof build_var, "GRADER_BUILD=%s", build);
    snprintf(parts_var, sizeof parts_var, "GRADER_PARTS=%s", parts);
    free(parts);
    const char *argv[8] = {"/usr/bin/env", "-i", shared_var, build_var, parts_var};
    size_t n = 5;
    if (part)
        argv[n++] = part_var;
    argv[n++] = entrypoint;
    argv[n] = NULL;
    tu_result r = tu_run(argv);
    int status = r.status;
    cr_expect_eq(r.out[0], '\0', "stdout is the staff's log; nothing needs printing there: %s", r.out);
    cr_expect(status == 0 || strstr(r.err, "NOT GRADED") != NULL, "a failed run says why to staff:\n%s", r.err);
    tu_result_free(&r);
    *doc = read_feedback(shared);
    validate_coursera(*doc);
    return status;
}

/* The same, for a submission that must be graded (exit status 0). */
static cJSON *coursera(const char *entrypoint, const char *build, const char *shared, const char *part)
{
    cJSON *doc;
    int status = coursera_status(entrypoint, build, shared, part, &doc);
    cr_assert_eq(status, 0, "the entrypoint exited %d (Coursera's tool fails the grader): %s", status,
                 cJSON_GetObjectItem(doc, "feedback")->valuestring);
    return doc;
}

static double fractional(const cJSON *doc)
{
    return cJSON_GetObjectItemCaseSensitive(doc, "fractionalScore")->valuedouble;
}

static const char *feedback(const cJSON *doc)
{
    return cJSON_GetObjectItemCaseSensitive(doc, "feedback")->valuestring;
}

Test(platforms, coursera_reference_scores_1_in_every_part)
{
    pack p = load_pack();
    cr_assert_gt(p.rubric.nparts, 0, "the rubric maps no Coursera part");
    char *shared = stand_in_shared("reference/gradient_check");
    for (size_t i = 0; i < p.rubric.nparts; i++) {
        const char *part = p.rubric.parts[i].id;
        cJSON *doc = coursera(ENTRYPOINT, TU_BUILD, shared, part);
        cr_expect_eq(fractional(doc), 1.0, "part %s: %g", part, fractional(doc));
        cr_expect(strstr(feedback(doc), part) != NULL, "the feedback names the part");
        cJSON_Delete(doc);
    }
    pack_free(&p);
}

Test(platforms, coursera_template_scores_0_in_every_part)
{
    pack p = load_pack();
    char *shared = stand_in_shared("student_template/gradient_check");
    for (size_t i = 0; i < p.rubric.nparts; i++) {
        const char *part = p.rubric.parts[i].id;
        cJSON *doc = coursera(ENTRYPOINT, TU_BUILD, shared, part);
        cr_expect_eq(fractional(doc), 0.0, "part %s: %g", part, fractional(doc));
        /* the optional exercise, as handed out, was not attempted: it did not fail */
        const char *want = !strcmp(part, "backward_propagation_n") ? "not attempted (optional)" : "FAILED";
        cr_expect(strstr(feedback(doc), want) && !strstr(feedback(doc), "passed"),
                  "the feedback says how each test went (%s):\n%s", want, feedback(doc));
        cJSON_Delete(doc);
    }
    pack_free(&p);
}

Test(platforms, coursera_compile_error_says_the_compilers_words)
{
    pack p = load_pack();
    char *shared = stand_in_shared(tu_submission_from_reference("cs-compile-error", COMPILE_ERROR));
    for (size_t i = 0; i < p.rubric.nparts; i++) {
        cJSON *doc = coursera(ENTRYPOINT, TU_BUILD, shared, p.rubric.parts[i].id);
        const char *text = feedback(doc);
        cr_expect_eq(fractional(doc), 0.0);
        cr_expect(strstr(text, "did not compile") != NULL, "%s", text);
        cr_expect(strstr(text, "gradient_check.c:") && strstr(text, "error:"),
                  "the compiler's own words are missing:\n%s", text);
        cJSON_Delete(doc);
    }
    pack_free(&p);
}

/* J = theta + x costs forward_propagation and gradient_check (20 of the 1-D
 * part's 30 points) and nothing of the N-dimensional part: each part scores
 * its own exercises, as the JSON report of the same file says. */
Test(platforms, coursera_parts_grade_their_own_exercises)
{
    pack p = load_pack();
    char *dir = tu_submission_from_reference("cs-theta-plus-x", THETA_PLUS_X);
    cJSON *report = tu_grade(dir, NULL);
    char *shared = stand_in_shared(dir);
    for (size_t i = 0; i < p.rubric.nparts; i++) {
        const rubric_part *rp = &p.rubric.parts[i];
        const char *part = rp->id;
        double score = 0, max = 0, tests = 0, passed = 0;
        for (size_t e = 0; e < p.rubric.nexercises; e++) {
            bool in = !rp->exercises;
            for (char **x = rp->exercises; x && *x; x++)
                in |= !strcmp(*x, p.rubric.exercises[e].id);
            if (!in)
                continue;
            score += tu_score(report, p.rubric.exercises[e].id);
            max += p.rubric.exercises[e].points;
            for (size_t t = 0; t < p.rubric.exercises[e].ntests; t++, tests++)
                passed += !strcmp(str(tu_test(report, p.cases[e][t].id), "status"), "passed");
        }
        /* a part worth no points: the share of its tests passed */
        double want = max > 0 ? score / max : passed / tests;
        cJSON *doc = coursera(ENTRYPOINT, TU_BUILD, shared, part);
        cr_expect_eq(fractional(doc), want, "part %s: %.17g, not %.17g", part, fractional(doc), want);
        cJSON_Delete(doc);
    }
    /* the rubric's own parts, by hand */
    cJSON *all = coursera(ENTRYPOINT, TU_BUILD, shared, "gradient_check_all");
    cJSON *one = coursera(ENTRYPOINT, TU_BUILD, shared, "gradient_check_1d");
    cJSON *nd = coursera(ENTRYPOINT, TU_BUILD, shared, "gradient_check_nd");
    /* theta + x: forward_propagation only (the gradient_check test with the
     * student's own functions is worth no points) */
    cr_expect_eq(fractional(all), 40.0 / 50);
    cr_expect_eq(fractional(one), 20.0 / 30);
    cr_expect_eq(fractional(nd), 1.0);
    cr_expect(strstr(feedback(nd), "forward_propagation") == NULL, "part nd shows only its exercise");
    cJSON_Delete(all);
    cJSON_Delete(one);
    cJSON_Delete(nd);
    cJSON_Delete(report);
    pack_free(&p);
}

/* A part id the grader was not set up for, or none: the learner reads that it
 * is not their mistake, and the run fails (exit 1), as Coursera's demo graders
 * do, so that staff see it on their dashboard and the learner may retry. */
Test(platforms, coursera_unknown_or_missing_part_fails_the_run)
{
    char *shared = stand_in_shared("reference/gradient_check");
    cJSON *doc;
    cr_expect_eq(coursera_status(ENTRYPOINT, TU_BUILD, shared, "Zb6wb", &doc), 1);
    cr_expect_eq(fractional(doc), 0.0);
    cr_expect(strstr(feedback(doc), "not set up for the part 'Zb6wb'") &&
                  strstr(feedback(doc), "not a mistake in your code"), "%s", feedback(doc));
    cJSON_Delete(doc);
    cr_expect_eq(coursera_status(ENTRYPOINT, TU_BUILD, shared, NULL, &doc), 1);
    cr_expect(strstr(feedback(doc), "partId is empty") != NULL, "%s", feedback(doc));
    cJSON_Delete(doc);
}

/* Coursera mounts /shared/submission read-only: the entrypoint works on a copy
 * and leaves the original as it found it. Run under a read-only bind mount. */
Test(platforms, coursera_read_only_submission_is_copied_first)
{
    char *shared = stand_in_shared("reference/gradient_check");
    char *sub = fs_join(shared, "submission"), *parts = stand_in_parts();
    char script[8192], cwd[4096];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(script, sizeof script,
             "mount --bind '%s' '%s' && mount -o remount,bind,ro '%s' || exit 90\n"
             "if touch '%s/probe' 2>/dev/null; then exit 91; fi\n"
             "exec env -i COURSERA_SHARED='%s' GRADER_BUILD='%s' GRADER_PARTS='%s' partId=gradient_check_all "
             "'%s/%s'\n", sub, sub, sub, sub, shared, TU_BUILD, parts, cwd, ENTRYPOINT);
    free(parts);
    const char *argv[] = {"/usr/bin/unshare", "--mount", "--", "/bin/sh", "-c", script, NULL};
    tu_result r = tu_run(argv);
    cr_assert_neq(r.status, 90, "cannot make a read-only mount here: %s", r.err);
    cr_assert_neq(r.status, 91, "the stand-in submission folder is not read-only");
    cr_assert_eq(r.status, 0, "the entrypoint exited %d:\n%s", r.status, r.err);
    tu_result_free(&r);
    cJSON *doc = read_feedback(shared);
    cr_expect_eq(validate_coursera(doc), 1.0, "%s", feedback(doc));
    cJSON_Delete(doc);
    const char *ls[] = {"/bin/ls", "-A", sub, NULL};
    r = tu_run(ls);
    cr_expect_str_eq(r.out, "gradient_check.c\n", "the original folder changed: %s", r.out);
    tu_result_free(&r);
    free(sub);
}

/* A grader that dies without a word still leaves the learner one, and the
 * run fails. */
Test(platforms, coursera_grader_crash_still_gives_feedback)
{
    char *build = tu_tmpdir("crashing-build"), cwd[4096], *real, *assignment;
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    cr_assert_gt(asprintf(&real, "%s/%s", TU_GRADER[0] == '/' ? "" : cwd, TU_GRADER), 0);
    cr_assert_gt(asprintf(&assignment, "%s/%s", TU_ASSIGNMENT[0] == '/' ? "" : cwd, TU_ASSIGNMENT), 0);
    char *link = fs_join(build, "gradient_check"), script[8192];
    cr_assert_eq(symlink(assignment, link), 0);
    snprintf(script, sizeof script,
             "#!/bin/sh\n# grades nothing: dies, unless asked for the fault report\n"
             "for a in \"$@\"; do [ \"$a\" = --fault ] && exec '%s' \"$@\"; done\nkill -SEGV $$\n", real);
    char *grader = tu_write(build, "grader", script, strlen(script));
    chmod(grader, 0755);
    char *shared = stand_in_shared("reference/gradient_check");
    cJSON *doc;
    cr_expect_eq(coursera_status(ENTRYPOINT, build, shared, "gradient_check_all", &doc), 1,
                 "a grader fault fails the run");
    cr_expect_eq(fractional(doc), 0.0);
    cr_expect(strstr(feedback(doc), "grader itself failed") && strstr(feedback(doc), "not a mistake in your code"),
              "%s", feedback(doc));
    cJSON_Delete(doc);
}

/* Builds a platform's zip with make, from the project as it is (var: one
 * more make variable, or NULL). */
static void make_zip_with(const char *target, const char *var)
{
    const char *make[] = {"/usr/bin/make", "-s", "B=" TU_BUILD, target, var, NULL};
    tu_result r = tu_run(make);
    cr_assert_eq(r.status, 0, "make %s: %s", target, r.err);
    tu_result_free(&r);
}

static void make_zip(const char *target)
{
    make_zip_with(target, NULL);
}

/* Builds the zip, then unpacks it into dest as the platform would. */
static void unpack_made_zip(const char *target, const char *zip, const char *dest)
{
    make_zip_with(target, strcmp(target, "coursera-zip") ? NULL : "COURSERA_PARTS=Zb6wb=gradient_check_all "
                                                               "rLa7F=gradient_check:gradient_check_nd");
    const char *unzip[] = {"/usr/bin/unzip", "-q", zip, "-d", dest, NULL};
    tu_result r = tu_run(unzip);
    cr_assert_eq(r.status, 0, "unzip %s: %s", zip, r.err);
    tu_result_free(&r);
}

/* The rubric's part names are not Coursera's ids: an upload that maps none,
 * or maps an id to a part the rubric lacks, is refused when it is built,
 * naming the parts to map, instead of reaching learners. */
Test(platforms, coursera_zip_refuses_unmapped_parts)
{
    static const char *const bad[] = {NULL, "COURSERA_PARTS=", "COURSERA_PARTS=Zb6wb=no_such_part",
                                      "COURSERA_PARTS=Zb6wb=gradient_check_all Zb6wb=gradient_check_nd",
                                      "COURSERA_PARTS=Zb6wb"};
    static const char *const says[] = {"maps none of them", "maps none of them", "not a part of", "mapped twice",
                                       "is not ID=PART"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *make[] = {"/usr/bin/make", "-s", "B=" TU_BUILD, "coursera-zip", bad[i], NULL};
        tu_result r = tu_run(make);
        cr_expect_neq(r.status, 0, "%s was accepted", bad[i] ? bad[i] : "no COURSERA_PARTS");
        cr_expect(strstr(r.err, says[i]) != NULL, "%s: %s", bad[i] ? bad[i] : "none", r.err);
        if (i < 2)
            cr_expect(strstr(r.err, "gradient_check_all") && strstr(r.err, "gradient_check_nd"),
                      "the message names the rubric's parts: %s", r.err);
        tu_result_free(&r);
    }
    unpack_made_zip("coursera-zip", "dist/coursera-grader.zip", tu_tmpdir("coursera-zip"));
    const char *cat[] = {"/usr/bin/unzip", "-p", "dist/coursera-grader.zip", "coursera-parts", NULL};
    tu_result r = tu_run(cat);
    cr_expect(strstr(r.out, "\nZb6wb gradient_check gradient_check_all\n") &&
                  strstr(r.out, "\nrLa7F gradient_check gradient_check_nd\n"), "%s", r.out);
    tu_result_free(&r);
}

/* What the Dockerfile's stages do, without Docker: the project as uploaded
 * (the zip) built by the install step as an unprivileged user, then only its
 * output kept, and the entrypoint run from there as another uid with a wiped
 * environment. (test_images.c builds and runs the image itself.) */
Test(platforms, coursera_image_built_and_run_as_a_user, .timeout = 240)
{
    char *top = tu_tmpdir("coursera-image"), *src = fs_join(top, "src"), *dest = fs_join(top, "grader");
    unpack_made_zip("coursera-zip", "dist/coursera-grader.zip", src);
    tu_result r;
    char *dockerfile = fs_join(src, "Dockerfile");
    cr_expect(fs_is_file(dockerfile), "Coursera wants the Dockerfile at the top of the zip");
    char *shared = stand_in_shared("reference/gradient_check");
    bool root = geteuid() == 0;
    const char *chown_argv[] = {"/bin/chown", "-R", "65534:65534", top, NULL};
    if (root) {
        r = tu_run(chown_argv);
        cr_assert_eq(r.status, 0, "%s", r.err);
        tu_result_free(&r);
        chmod(shared, 01777);   /* as the image's /shared */
    }
    char *install = fs_join(src, "platforms/coursera/install");
    const char *build_user[] = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
    const char *run_user[] = {"/usr/bin/setpriv", "--reuid=4242", "--regid=4242", "--clear-groups"};
    const char *inst[10] = {0};
    size_t n = 0;
    for (size_t i = 0; root && i < 4; i++)
        inst[n++] = build_user[i];
    inst[n++] = "/usr/bin/env";
    inst[n++] = "-i";
    inst[n++] = install;
    inst[n++] = src;
    inst[n++] = dest;
    r = tu_run(inst);
    cr_assert_eq(r.status, 0, "the image's install step failed:\n%s\n%s", r.out, r.err);
    tu_result_free(&r);
    /* what the second stage copies: what grading reads, no source, no reference */
    const char *find[] = {"/usr/bin/find", dest, "-type", "f", NULL};
    r = tu_run(find);
    cr_expect(strstr(r.out, "/grader/grade\n") && strstr(r.out, "/grader/parts\n") &&
                  strstr(r.out, "/runtime/grader\n") && strstr(r.out, "/runtime/gradient_check/pack.json\n"),
              "%s", r.out);
    for (char *l = strtok(r.out, "\n"); l; l = strtok(NULL, "\n")) {
        size_t len = strlen(l);
        cr_expect(len < 2 || (strcmp(l + len - 2, ".c") && !strstr(l, "reference")), "the image would hold %s", l);
    }
    tu_result_free(&r);
    char shared_var[4096], *entry = fs_join(dest, "grade");
    snprintf(shared_var, sizeof shared_var, "COURSERA_SHARED=%s", shared);
    const char *run[12] = {0};
    n = 0;
    for (size_t i = 0; root && i < 4; i++)
        run[n++] = run_user[i];
    run[n++] = "/usr/bin/env";
    run[n++] = "-i";
    run[n++] = shared_var;
    run[n++] = "partId=rLa7F";
    run[n++] = entry;
    r = tu_run(run);
    cr_assert_eq(r.status, 0, "the entrypoint exited %d:\n%s", r.status, r.err);
    cr_expect(strstr(r.err, "rubric part gradient_check_nd") != NULL, "%s", r.err);
    tu_result_free(&r);
    cJSON *doc = read_feedback(shared);
    cr_expect_eq(validate_coursera(doc), 1.0, "%s", feedback(doc));
    cJSON_Delete(doc);
}

/* The Dockerfile, read as Coursera's builder would: Debian bookworm (a BASE
 * the tests may replace), the packages in both stages, the project built in
 * the first, and a second stage that copies only the first's output, runs as
 * a user that is not root and has an exec-form ENTRYPOINT (Coursera passes
 * nothing through a shell) that the install step writes. */
Test(platforms, coursera_dockerfile)
{
    char *text = tu_read("platforms/coursera/Dockerfile", NULL);
    cr_assert_not_null(text);
    cr_expect(strchr(text, '\r') == NULL, "CRLF in the Dockerfile");
    int stages = 0, user = 0, build = 0, entry = 0, installs = 0;
    char *entrypoint = NULL, *save;
    cr_expect(strstr(text, "\nARG BASE=debian:bookworm") != NULL, "the base is not Debian bookworm");
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (*l < 'A' || *l > 'Z')
            continue;   /* comments, continued lines */
        if (!strncmp(l, "FROM ", 5)) {
            stages++;
            cr_expect(!strncmp(l + 5, "${BASE}", 7), "FROM %s", l + 5);
        } else if (!strncmp(l, "USER ", 5)) {
            user = stages;
            cr_expect(strcmp(l + 5, "root") && strcmp(l + 5, "0"), "the user is root");
        } else if (!strncmp(l, "RUN /src/platforms/coursera/install /src /grader", 47)) {
            build = stages;
        } else if (!strncmp(l, "RUN apt-get update", 18)) {
            installs++;
        } else if (!strncmp(l, "COPY ", 5)) {
            if (stages == 2)
                cr_expect(!strncmp(l, "COPY --from=build /grader /grader", 33),
                          "the final stage copies more than the build's output: %s", l);
        } else if (!strncmp(l, "ENTRYPOINT ", 11)) {
            entry = stages;
            cJSON *argv = cJSON_Parse(l + 11);
            cr_assert(cJSON_IsArray(argv), "ENTRYPOINT must be a JSON list: %s", l);
            entrypoint = strdup(cJSON_GetArrayItem(argv, 0)->valuestring);
            cJSON_Delete(argv);
        } else {
            cr_expect(strncmp(l, "ENV ", 4), "Coursera wipes ENV at run time: %s", l);
        }
    }
    free(text);
    text = tu_read("platforms/coursera/Dockerfile", NULL);
    static const char *const packages[] = {"libcriterion-dev", "libcjson-dev", "libyaml-dev",
                                           "libseccomp-dev", " gcc ", " make ", " binutils ", NULL};
    for (char *at = text; (at = strstr(at, "apt-get install")) != NULL; at++)
        for (size_t i = 0; packages[i]; i++)
            cr_expect(strstr(at, packages[i]) != NULL, "%s is not installed", packages[i]);
    cr_expect_eq(stages, 2);
    cr_expect_eq(installs, 2, "both stages install the packages (the second compiles submissions)");
    cr_expect(build == 1 && user == 2 && entry == 2, "built in the first stage, run as a user in the second");
    cr_assert_not_null(entrypoint);
    cr_expect_str_eq(entrypoint, "/grader/grade");
    char *install = tu_read("platforms/coursera/install", NULL);
    cr_expect(strstr(install, "cp platforms/coursera/grade \"$dest/grade\"") != NULL,
              "the install step does not put the entrypoint where the ENTRYPOINT is");
    free(install);
    free(text);
    free(entrypoint);
}

/* Scripts the platforms run: Unix line ends, a #! line, executable. */
Test(platforms, scripts_are_unix_scripts)
{
    static const char *const scripts[] = {"platforms/coursera/grade", "platforms/coursera/install",
                                          "platforms/install-grader",
                                          "platforms/gradescope/setup.sh",
                                          "platforms/gradescope/run_autograder",
                                          "platforms/prairielearn/grade", "platforms/docker/ensure-dockerd",
                                          "platforms/docker/base-image", "platforms/docker/build-image",
                                          "platforms/docker/run-platform", NULL};
    for (size_t i = 0; scripts[i]; i++) {
        char *text = tu_read(scripts[i], NULL);
        cr_assert_not_null(text, "%s is missing", scripts[i]);
        cr_expect(strchr(text, '\r') == NULL, "CRLF in %s", scripts[i]);
        cr_expect(!strncmp(text, "#!/bin/", 7), "%s has no #! line", scripts[i]);
        cr_expect_eq(access(scripts[i], X_OK), 0, "%s is not executable", scripts[i]);
        free(text);
        const char *check[] = {"/bin/sh", "-n", scripts[i], NULL};
        if (strstr(scripts[i], "setup.sh"))
            check[0] = "/bin/bash";
        tu_result r = tu_run(check);
        cr_expect_eq(r.status, 0, "%s: %s", scripts[i], r.err);
        tu_result_free(&r);
    }
}

/* ---- Gradescope ------------------------------------------------------------------- */

Test(platforms, gradescope_results_follow_the_spec)
{
    pack p = load_pack();
    cJSON *doc = grade_as("gradescope", "reference/gradient_check", NULL);
    validate_gradescope(doc, &p);
    cr_expect_eq(num(doc, "score"), 50);
    cJSON_Delete(doc);
    doc = grade_as("gradescope", "student_template/gradient_check", NULL);
    validate_gradescope(doc, &p);
    cr_expect_eq(num(doc, "score"), 0);
    cJSON_Delete(doc);
    doc = grade_as("gradescope", tu_submission_from_reference("gs-compile-error", COMPILE_ERROR), NULL);
    validate_gradescope(doc, &p);
    cr_expect_eq(num(doc, "score"), 0);
    const char *out = str(doc, "output");
    cr_expect(strstr(out, "did not compile") && strstr(out, "error:"), "%s", out);
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(doc, "tests"))
        cr_expect(strstr(str(t, "output"), "did not compile") != NULL, "%s", str(t, "output"));
    cJSON_Delete(doc);
    pack_free(&p);
}

/* A file that prints its inputs: visible tests show what it printed, hidden
 * ones show neither that nor their expected values. */
Test(platforms, gradescope_and_prairielearn_keep_hidden_tests_hidden)
{
    pack p = load_pack();
    char *dir = tu_submission_from_reference("prints-inputs", PRINTS_INPUTS);
    static const char *const gs_fields[] = {"name", "output", NULL};
    static const char *const pl_fields[] = {"name", "description", "message", "output", NULL};
    cJSON *gs = grade_as("gradescope", dir, NULL);
    validate_gradescope(gs, &p);
    const cJSON *gs_tests = cJSON_GetObjectItem(gs, "tests");
    cr_expect_gt(expect_hidden_kept(&p, gs_tests, gs_fields), 0);
    cr_expect(strstr(str(cJSON_GetArrayItem(gs_tests, 0), "output"), "x=2.0 theta=4.0") != NULL,
              "a visible test shows what the code printed: %s", str(cJSON_GetArrayItem(gs_tests, 0), "output"));
    cJSON *pl = grade_as("prairielearn", dir, NULL);
    validate_prairielearn(pl, &p);
    const cJSON *pl_tests = cJSON_GetObjectItem(pl, "tests");
    cr_expect_gt(expect_hidden_kept(&p, pl_tests, pl_fields), 0);
    cr_expect(strstr(str(cJSON_GetArrayItem(pl_tests, 0), "output"), "x=2.0 theta=4.0") != NULL);
    /* printed messages come without the notebook's colour escapes */
    size_t coloured = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, pl_tests) {
        cr_expect(strchr(str(t, "output"), '\033') == NULL, "ANSI escapes in %s", str(t, "name"));
        coloured += strstr(str(t, "output"), "difference = ") != NULL;
    }
    cJSON_ArrayForEach(t, gs_tests)
        cr_expect(strchr(str(t, "output"), '\033') == NULL, "ANSI escapes in %s", str(t, "name"));
    cr_expect_gt(coloured, 0, "no test printed the notebook's message");
    /* the hidden forward test failed, printed its inputs, and says neither */
    strings secrets = secrets_of(&p, 0, 3);
    bool has_37 = false;
    for (size_t i = 0; i < secrets.n; i++)
        has_37 |= !strcmp(secrets.s[i], "3.7");
    cr_expect(has_37, "the hidden forward test's input 3.7 should be a secret");
    cr_expect_str_eq(str(cJSON_GetArrayItem(gs_tests, 3), "status"), "failed");
    free_strings(&secrets);
    /* the overview texts hold no test's secret either */
    for (size_t e = 0; e < p.rubric.nexercises; e++)
        for (size_t t = 0; t < p.rubric.exercises[e].ntests; t++)
            if (p.rubric.exercises[e].tests[t].visibility != RUBRIC_VISIBLE) {
                strings s = secrets_of(&p, e, t);
                expect_no_secret(str(gs, "output"), &s, "gradescope output");
                expect_no_secret(str(pl, "message"), &s, "prairielearn message");
                expect_no_secret(str(pl, "output"), &s, "prairielearn output");
                free_strings(&s);
            }
    cJSON_Delete(gs);
    cJSON_Delete(pl);
    pack_free(&p);
}

/* Coursera shows one text: each hidden test's lines hold none of its secrets. */
Test(platforms, coursera_keeps_hidden_tests_hidden)
{
    pack p = load_pack();
    char *shared = stand_in_shared(tu_submission_from_reference("cs-prints-inputs", PRINTS_INPUTS));
    cJSON *doc = coursera(ENTRYPOINT, TU_BUILD, shared, "gradient_check_all");
    const char *text = feedback(doc);
    cr_expect(strstr(text, "x=2.0 theta=4.0") != NULL, "visible tests show what was printed:\n%s", text);
    size_t checked = 0;
    for (size_t e = 0; e < p.rubric.nexercises; e++) {
        char section[256];
        snprintf(section, sizeof section, "\n%s (", p.rubric.exercises[e].id);
        const char *start = strstr(text, section);
        cr_assert_not_null(start, "no section for %s", p.rubric.exercises[e].id);
        size_t k = 0;
        for (size_t t = 0; t < p.rubric.exercises[e].ntests; t++) {
            const rubric_test *rt = &p.rubric.exercises[e].tests[t];
            if (rt->visibility == RUBRIC_VISIBLE)
                continue;
            /* its rubric name may describe its inputs: never shown */
            bool shared_name = false;
            for (size_t v = 0; v < p.rubric.exercises[e].ntests; v++)
                shared_name |= p.rubric.exercises[e].tests[v].visibility == RUBRIC_VISIBLE &&
                               !strcmp(p.rubric.exercises[e].tests[v].name, rt->name);
            cr_expect(shared_name || strstr(text, rt->name) == NULL, "the hidden test's name %s is shown", rt->name);
            char head[512];
            snprintf(head, sizeof head, "  hidden test %zu (", ++k);
            const char *at = strstr(start, head);
            cr_assert_not_null(at, "no line for hidden test %s", rt->name);
            /* its lines: up to the next test's line or the next exercise */
            const char *end = at + strlen(head);
            while (*end && !(end[0] == '\n' && (!strncmp(end + 1, "  passed", 8) ||
                                                !strncmp(end + 1, "  FAILED", 8) || end[1] == '\n')))
                end++;
            char *block = strndup(at, (size_t)(end - at));
            strings s = secrets_of(&p, e, t);
            expect_no_secret(block, &s, p.cases[e][t].id);
            free_strings(&s);
            free(block);
            checked++;
        }
    }
    cr_expect_gt(checked, 0);
    cJSON_Delete(doc);
    pack_free(&p);
}

/* The zip holds what setup.sh needs to build, at the top as Gradescope wants,
 * and nothing built. */
Test(platforms, gradescope_zip_holds_sources_only)
{
    make_zip("gradescope-zip");
    const char *list[] = {"/usr/bin/unzip", "-Z1", "dist/gradescope-autograder.zip", NULL};
    tu_result r = tu_run(list);
    cr_assert_eq(r.status, 0, "%s", r.err);
    static const char *const needed[] = {"setup.sh\n", "run_autograder\n", "Makefile\n",
        "rubrics/gradient_check.yaml\n", "reference/gradient_check/gradient_check.c\n", "harness/cli/grader_main.c\n",
        "harness/deps.sh\n", "testcases/gradient_check/gradient_check_n_test_case.json\n",
        "student_template/gradient_check/gc_utils.h\n", NULL};
    char *listing;
    cr_assert_gt(asprintf(&listing, "\n%s", r.out), 0);
    for (size_t i = 0; needed[i]; i++) {
        char line[256];
        snprintf(line, sizeof line, "\n%s", needed[i]);
        cr_expect(strstr(listing, line) != NULL, "the zip lacks %s", needed[i]);
    }
    for (char *l = strtok(r.out, "\n"); l; l = strtok(NULL, "\n")) {
        size_t n = strlen(l);
        cr_expect(strncmp(l, "build", 5) && strncmp(l, "dist/", 5) && strncmp(l, ".git", 4), "%s", l);
        cr_expect(!(n > 2 && !strcmp(l + n - 2, ".o")) && !strstr(l, "pack.json"), "built: %s", l);
    }
    free(listing);
    tu_result_free(&r);
    const char *longlist[] = {"/usr/bin/unzip", "-Z", "dist/gradescope-autograder.zip", "run_autograder", NULL};
    r = tu_run(longlist);
    cr_expect(strncmp(r.out, "-rwx", 4) == 0, "run_autograder must be executable: %s", r.out);
    tu_result_free(&r);
}

/* Where the kernel refuses namespaces (a default Docker container), a root
 * grader isolates student code by uid alone: the installed layout must let
 * that uid compile against the public headers, and never read the pack. */
static void expect_uid_isolation_suffices(const char *installed, const char *pack_path)
{
    char *grader = fs_join(installed, "grader"), *assignment = fs_join(installed, "gradient_check");
    const char *reference[] = {grader, "--no-namespaces", "--assignment", assignment, "--format", "json",
                               "reference/gradient_check", NULL};
    tu_result r = tu_run(reference);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc);
    cr_expect_eq(tu_score(doc, ""), 50, "uid isolation alone: the reference scores %g:\n%.2000s",
                 tu_score(doc, ""), r.out);
    cr_expect(strstr(cJSON_GetObjectItem(doc, "isolation")->valuestring, "namespaces") == NULL);
    cJSON_Delete(doc);
    tu_result_free(&r);
    char text[4200];
    snprintf(text, sizeof text, "#include \"%s\"\n", pack_path);
    const char *steal[] = {grader, "--no-namespaces", "--assignment", assignment, "--format", "gradescope",
                           tu_submission("includes-the-pack", text), NULL};
    r = tu_run(steal);
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* refused before the compiler opens it, or denied by the file's mode: never read */
    cr_expect((strstr(r.out, "Permission denied") != NULL || strstr(r.out, "does not allow") != NULL) &&
                  strstr(r.out, "pack_format") == NULL && strstr(r.out, "before '{'") == NULL,
              "the compiler read the pack:\n%.2000s", r.out);
    tu_result_free(&r);
}

/* Gradescope's life of an autograder on a stand-in /autograder: the zip
 * unpacked into source/, setup.sh, then run_autograder per submission. */
Test(platforms, gradescope_run_autograder_on_a_stand_in, .timeout = 240)
{
    char *root = tu_tmpdir("autograder"), *source = fs_join(root, "source");
    unpack_made_zip("dist/gradescope-autograder.zip", "dist/gradescope-autograder.zip", source);
    tu_result r;
    char *from = fs_join(source, "run_autograder"), *run = fs_join(root, "run_autograder");
    char *text = tu_read(from, NULL);
    free(tu_write(root, "run_autograder", text, strlen(text)));
    chmod(run, 0755);
    char root_var[4096], *setup = fs_join(source, "setup.sh");
    snprintf(root_var, sizeof root_var, "GRADESCOPE_ROOT=%s", root);
    const char *setup_argv[] = {"/usr/bin/env", root_var, "/bin/bash", setup, NULL};
    r = tu_run(setup_argv);
    cr_assert_eq(r.status, 0, "setup.sh failed:\n%s\n%s", r.out, r.err);
    tu_result_free(&r);
    struct stat st;
    cr_assert_eq(stat(source, &st), 0);
    cr_expect_eq(st.st_mode & 0077, 0, "the source folder (reference, pack) is open to others");
    char *installed = fs_join(root, "grader"), *pack_path = fs_join(installed, "gradient_check/pack.json");
    cr_assert_eq(stat(pack_path, &st), 0, "setup.sh installed no pack in %s", installed);
    cr_expect_eq(st.st_mode & 0077, 0, "the installed pack is open to others");

    pack p = load_pack();
    char *submission = fs_join(root, "submission"), *results = fs_join(root, "results/results.json");
    const char *run_argv[] = {"/usr/bin/env", "-i", root_var, run, NULL};
    struct {
        const char *from;
        double score;
    } cases[] = {{"reference/gradient_check", 50},
                 {tu_submission_from_reference("gs-stand-in-compile-error", COMPILE_ERROR), 0}};
    for (size_t c = 0; c < 2; c++) {
        char *src = fs_join(cases[c].from, "gradient_check.c"), *code = tu_read(src, NULL);
        free(tu_write(submission, "gradient_check.c", code, strlen(code)));
        r = tu_run(run_argv);
        cr_assert_eq(r.status, 0, "run_autograder exited %d:\n%s", r.status, r.err);
        tu_result_free(&r);
        char *json = tu_read(results, NULL);
        cr_assert_not_null(json, "no results.json");
        cJSON *doc = cJSON_Parse(json);
        cr_assert_not_null(doc, "results.json is not JSON");
        validate_gradescope(doc, &p);
        cr_expect_eq(num(doc, "score"), cases[c].score, "%s: %g", cases[c].from, num(doc, "score"));
        if (cases[c].score == 0)
            cr_expect(strstr(str(doc, "output"), "error:") != NULL, "%s", str(doc, "output"));
        cJSON_Delete(doc);
        free(json);
        free(src);
        free(code);
    }
    pack_free(&p);
    if (geteuid() == 0)
        expect_uid_isolation_suffices(installed, pack_path);
}

/* ---- PrairieLearn ---------------------------------------------------------------- */

Test(platforms, prairielearn_results_follow_the_spec)
{
    pack p = load_pack();
    cJSON *doc = grade_as("prairielearn", "reference/gradient_check", NULL);
    validate_prairielearn(doc, &p);
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(doc, "gradable")));
    cr_expect_eq(num(doc, "score"), 1.0);
    cJSON_Delete(doc);
    doc = grade_as("prairielearn", "student_template/gradient_check", NULL);
    validate_prairielearn(doc, &p);
    cr_expect_eq(num(doc, "score"), 0.0);
    cJSON_Delete(doc);
    doc = grade_as("prairielearn", tu_submission_from_reference("pl-theta-plus-x", THETA_PLUS_X), NULL);
    validate_prairielearn(doc, &p);
    cr_expect_eq(num(doc, "score"), 40.0 / 50);
    cJSON_Delete(doc);
    doc = grade_as("prairielearn", tu_submission_from_reference("pl-compile-error", COMPILE_ERROR), NULL);
    validate_prairielearn(doc, &p);
    cr_expect_eq(num(doc, "score"), 0.0);
    cr_expect(strstr(str(doc, "message"), "did not compile") != NULL, "%s", str(doc, "message"));
    cr_expect(strstr(str(doc, "output"), "error:") != NULL, "%s", str(doc, "output"));
    /* it costs no attempt, as with PrairieLearn's own C grader */
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(doc, "gradable")), "a compile error is not gradable");
    const cJSON *why = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "format_errors"), 0);
    cr_expect(cJSON_IsString(why) && strstr(why->valuestring, "error:"), "format_errors lacks the compiler's words");
    cJSON_Delete(doc);
    doc = grade_as("prairielearn", tu_submission("pl-refused", "#include \"/etc/passwd\"\n"), NULL);
    validate_prairielearn(doc, &p);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(doc, "gradable")), "a refused file is not gradable: %s",
              str(doc, "message"));
    cJSON_Delete(doc);
    pack_free(&p);
}

/* ---- grader faults: said in plain words, in every format ------------------------------- */

Test(platforms, fault_reports_in_every_format)
{
    static const char *const formats[] = {"gradescope", "prairielearn", "coursera", NULL};
    for (size_t i = 0; formats[i]; i++) {
        const char *argv[] = {TU_GRADER, "--format", formats[i], "--fault", "the sandbox could not start", NULL};
        tu_result r = tu_run(argv);
        cr_assert_eq(r.status, 0, "%s: %s", formats[i], r.err);
        cJSON *doc = cJSON_Parse(r.out);
        cr_assert_not_null(doc, "%s: %s", formats[i], r.out);
        tu_result_free(&r);
        char *text = cJSON_PrintUnformatted(doc);
        cr_expect(strstr(text, "the sandbox could not start") && strstr(text, "not a mistake in your code"),
                  "%s", text);
        if (i == 0)
            validate_gradescope(doc, NULL);
        else if (i == 1) {
            validate_prairielearn(doc, NULL);
            cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(doc, "gradable")), "a grader fault is not gradable");
        } else
            cr_expect_eq(validate_coursera(doc), 0.0);
        free(text);
        cJSON_Delete(doc);
    }
    /* --fault is for platform formats only */
    const char *bad[] = {TU_GRADER, "--format", "json", "--fault", "x", NULL};
    tu_result r = tu_run(bad);
    cr_expect_eq(r.status, 2);
    tu_result_free(&r);
}

/* The grader fails before grading (no built assignment): the student still
 * reads why, and the exit status tells the wrapper. */
Test(platforms, a_grader_that_cannot_start_says_so)
{
    char *nowhere = tu_tmpdir("no-assignment");
    const char *argv[] = {TU_GRADER, "--assignment", nowhere, "--format", "prairielearn", "reference/gradient_check", NULL};
    tu_result r = tu_run(argv);
    cr_expect_eq(r.status, 1);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "no report on stdout: %s", r.out);
    validate_prairielearn(doc, NULL);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(doc, "gradable")));
    cr_expect(strstr(str(doc, "message"), "not a built assignment") != NULL, "%s", str(doc, "message"));
    cJSON_Delete(doc);
    tu_result_free(&r);
}

/* A grade where one test hit a grader fault (made by hand: a real one is not
 * provoked on purpose), and where the rubric shows a test after the due date. */
static grade_result made_up(const pack *p)
{
    grade_result g = {0};
    g.submission = strdup("made-up");
    g.nexercises = p->rubric.nexercises;
    g.exercises = calloc(g.nexercises, sizeof *g.exercises);
    for (size_t e = 0; e < g.nexercises; e++) {
        score_exercise *se = &g.exercises[e];
        se->exercise = &p->rubric.exercises[e];
        se->ntests = se->exercise->ntests;
        se->tests = calloc(se->ntests, sizeof *se->tests);
        for (size_t t = 0; t < se->ntests; t++) {
            score_test *st = &se->tests[t];
            score_not_run(&se->exercise->tests[t], &p->cases[e][t], "unused", st);
            st->ran = true;
            st->ended = OBS_RETURNED;
            st->passed = true;
            st->score = st->max_score;
            snprintf(st->message, sizeof st->message, "passed");
        }
        score_sum(se);
        g.score += se->score;
        g.max_score += se->max_score;
    }
    score_test *broken = &g.exercises[1].tests[0];
    broken->ended = OBS_HARNESS_FAULT;
    broken->passed = false;
    broken->score = 0;
    snprintf(broken->message, sizeof broken->message,
             "grader fault: the runner could not call the function (not your mistake; tell your instructor)");
    score_sum(&g.exercises[1]);
    g.score -= broken->max_score;
    return g;
}

/* A document as a platform reads it: printed, then parsed. */
static cJSON *as_read(cJSON *doc)
{
    cr_assert_not_null(doc);
    char *text = cJSON_Print(doc);
    cJSON *back = cJSON_Parse(text);
    cr_assert_not_null(back, "not JSON: %.300s", text);
    free(text);
    cJSON_Delete(doc);
    return back;
}

Test(platforms, a_grader_fault_in_one_test_is_said)
{
    pack p = load_pack();
    p.rubric.exercises[0].tests[3].visibility = RUBRIC_AFTER_DUE_DATE;
    grade_result g = made_up(&p);
    cJSON *pl = as_read(report_prairielearn(&p, &g));
    validate_prairielearn(pl, &p);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(pl, "gradable")), "the student is not charged for it");
    cr_expect(strstr(str(pl, "message"), "grader itself failed") != NULL, "%s", str(pl, "message"));
    cJSON *gs = as_read(report_gradescope(&p, &g));
    validate_gradescope(gs, &p);
    cr_expect(strstr(str(gs, "output"), "grader itself failed") != NULL, "%s", str(gs, "output"));
    /* after the due date too: shown by its safe name, so the total stays shown */
    const cJSON *t3 = cJSON_GetArrayItem(cJSON_GetObjectItem(gs, "tests"), 3);
    cr_expect_str_eq(str(t3, "visibility"), "visible");
    cr_expect_str_eq(str(t3, "name"), "forward_propagation: hidden test 1");
    cJSON *cs = as_read(report_coursera(&p, &g, "gradient_check_1d"));
    validate_coursera(cs);
    cr_expect(strstr(feedback(cs), "not your mistake") != NULL, "%s", feedback(cs));
    cr_expect_eq(fractional(cs), 26.0 / 30);
    cJSON_Delete(pl);
    cJSON_Delete(gs);
    cJSON_Delete(cs);
    grade_result_free(&g);
    pack_free(&p);
}

/* An optional exercise worth no points, as its own Coursera part: the part
 * scores the share of its tests passed, not 0 of 0. */
Test(platforms, a_part_worth_no_points_scores_its_tests_passed)
{
    pack p = load_pack();
    rubric_exercise *nd = NULL;
    for (size_t e = 0; e < p.rubric.nexercises; e++)
        if (!strcmp(p.rubric.exercises[e].id, "gradient_check_n"))
            nd = &p.rubric.exercises[e];
    cr_assert_not_null(nd);
    nd->points = 0;
    for (size_t t = 0; t < nd->ntests; t++)
        nd->tests[t].points = 0;
    grade_result g = made_up(&p);   /* every test passed but one of backward_propagation */
    cJSON *cs = as_read(report_coursera(&p, &g, "gradient_check_nd"));
    cr_expect_eq(validate_coursera(cs), 1.0, "%s", feedback(cs));
    cJSON_Delete(cs);
    score_test *last = &g.exercises[nd - p.rubric.exercises].tests[nd->ntests - 1];
    last->passed = false;
    snprintf(last->message, sizeof last->message, "wrong value");
    cs = as_read(report_coursera(&p, &g, "gradient_check_nd"));
    cr_expect_eq(validate_coursera(cs), (double)(nd->ntests - 1) / (double)nd->ntests);
    cJSON_Delete(cs);
    cJSON *gs = as_read(report_gradescope(&p, &g));
    validate_gradescope(gs, NULL);
    cJSON_Delete(gs);
    grade_result_free(&g);
    pack_free(&p);
}

/* Platforms unpack uploads as they come: a folder holding the file is
 * refused in words that name the folder, so the student knows what to fix. */
Test(platforms, a_submission_in_a_subfolder_names_it)
{
    char *dir = tu_tmpdir("in-a-subfolder"), *inner = fs_join(dir, "my work");
    char *text = tu_read("reference/gradient_check/gradient_check.c", NULL);
    cr_assert_not_null(text);
    free(tu_write(inner, "gradient_check.c", text, strlen(text)));
    free(text);
    cJSON *doc = grade_as("gradescope", dir, NULL);
    cr_expect(strstr(str(doc, "output"), "the folder my work/ inside it holds one") != NULL, "%s",
              str(doc, "output"));
    cr_expect_eq(num(doc, "score"), 0);
    cJSON_Delete(doc);
    doc = grade_as("prairielearn", dir, NULL);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(doc, "gradable")), "not accepted costs no attempt");
    cr_expect(strstr(str(doc, "output"), "my work/") != NULL, "%s", str(doc, "output"));
    cJSON_Delete(doc);
    free(inner);
}
