/*
 * The platform images, built with Docker and run the way each platform runs
 * them (issue 11): Coursera's as `coursera_autograder grade local` does, as
 * its own user and as other non-root uids, with a read-only root file system
 * too; Gradescope's through Gradescope's steps (on the Debian base: its Ubuntu
 * base cannot be fetched here); PrairieLearn's with the question's files
 * mounted under /grade and PrairieLearn's container limits. Each on the
 * reference (full marks), the template (0), a compile error and a grader
 * fault (a corrupt pack), every document checked by platform_checks.c.
 * Then every layer of every image meant to be public is searched for the
 * reference's text and the hidden expected values, and the search is shown
 * to find one planted in a layer that a later one deletes.
 *
 * Docker runs here (Debian's docker.io; platforms/docker/ensure-dockerd
 * starts dockerd): these tests fail, never skip, when it cannot, with
 * dockerd's own words. Images are built by platforms/docker/build-image from
 * a debootstrap'd bookworm base kept between runs (base-image).
 */
#include <criterion/criterion.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "fsutil.h"
#include "pack.h"
#include "platform_checks.h"
#include "testutil.h"

#define BUILD_TIMEOUT 1500   /* a cold base image and three builds: about 4 minutes here */

static const char *const COMPILE_ERROR[][2] = {
    {"double J = theta * x;", "double J = theta * x"}, {NULL, NULL}};

static pack load_pack(void)
{
    pack p;
    hr_error err;
    cr_assert_eq(pack_load(TU_ASSIGNMENT "/pack.json", &p, &err), 0, "%s", err.msg);
    return p;
}

/* The image of a platform, built from the project as it is. */
static char *image(const char *platform)
{
    const char *ensure[] = {"platforms/docker/ensure-dockerd", NULL};
    tu_result r = tu_run(ensure);
    cr_assert_eq(r.status, 0, "no Docker engine (this machine can run one):\n%s", r.err);
    tu_result_free(&r);
    const char *build[] = {"/usr/bin/env", "B=" TU_BUILD, "platforms/docker/build-image", platform, NULL};
    r = tu_run(build);
    cr_assert_eq(r.status, 0, "build-image %s:\n%s", platform, r.err);
    char *tag = strndup(r.out, strcspn(r.out, "\n"));
    tu_result_free(&r);
    return tag;
}

typedef struct {
    int status;     /* the container's exit status */
    char *log;      /* what it printed (the staff's log) */
    cJSON *doc;     /* the platform's document, NULL when none was left */
    size_t doc_size;
} run_result;

/* Runs one submission as the platform does; env: "VAR=value" entries for
 * run-platform (PART, PL_TESTS, PL_JOB_OWNER), then docker options. */
static run_result run(const char *platform, const char *tag, const char *submission, const char *const *env,
                      const char *const *options)
{
    char *out = tu_tmpdir("run-platform");
    const char *argv[32] = {"/usr/bin/env"};
    size_t n = 1;
    for (size_t i = 0; env && env[i]; i++)
        argv[n++] = env[i];
    argv[n++] = "platforms/docker/run-platform";
    argv[n++] = platform;
    argv[n++] = tag;
    argv[n++] = submission;
    argv[n++] = out;
    for (size_t i = 0; options && options[i]; i++)
        argv[n++] = options[i];
    argv[n] = NULL;
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "run-platform %s %s: %s", platform, submission, r.err);
    tu_result_free(&r);
    run_result rr = {0};
    char *path = fs_join(out, "status"), *text = tu_read(path, NULL);
    cr_assert_not_null(text, "the container did not run");
    rr.status = atoi(text);
    free(text);
    free(path);
    path = fs_join(out, "log");
    rr.log = tu_read(path, NULL);
    cr_assert_not_null(rr.log);
    free(path);
    path = fs_join(out, strcmp(platform, "coursera") ? "results.json" : "feedback.json");
    text = tu_read(path, &rr.doc_size);
    if (text) {
        rr.doc = cJSON_Parse(text);
        cr_assert_not_null(rr.doc, "%s is not JSON: %.300s", path, text);
    }
    free(text);
    free(path);
    free(out);
    return rr;
}

static void run_free(run_result *r)
{
    free(r->log);
    cJSON_Delete(r->doc);
}

/* The staff's log names the isolation level reached and whether the memory
 * checks ran (and why not). */
static void expect_staff_log(const run_result *r)
{
    cr_expect(strstr(r->log, "isolation: ") != NULL, "the staff's log names no isolation level:\n%s", r->log);
    cr_expect(strstr(r->log, "memory checks ran") || strstr(r->log, "memory checks did not run: "),
              "the staff's log does not say whether the memory checks ran:\n%s", r->log);
}

/* A pack that cannot be read: the grader fails to load the assignment. */
static char *corrupt_pack(void)
{
    return tu_write(tu_tmpdir("corrupt-pack"), "pack.json", "{\"pack_format\": ", 16);
}

static const char *feedback(const cJSON *doc)
{
    return cJSON_GetObjectItemCaseSensitive(doc, "feedback")->valuestring;
}

/* No hidden test's rubric name (which may describe its inputs) in text,
 * unless a visible test has the same name. */
static void expect_no_hidden_name(const pack *p, const char *text)
{
    for (size_t e = 0; e < p->rubric.nexercises; e++)
        for (size_t t = 0; t < p->rubric.exercises[e].ntests; t++) {
            const rubric_test *rt = &p->rubric.exercises[e].tests[t];
            bool shared = false;
            for (size_t v = 0; v < p->rubric.exercises[e].ntests; v++)
                shared |= p->rubric.exercises[e].tests[v].visibility == RUBRIC_VISIBLE &&
                          !strcmp(p->rubric.exercises[e].tests[v].name, rt->name);
            if (rt->visibility != RUBRIC_VISIBLE && !shared)
                cr_expect(strstr(text, rt->name) == NULL, "the hidden test's name \"%s\" is shown", rt->name);
        }
}

/* ---- Coursera ------------------------------------------------------------------- */

static cJSON *coursera_graded(const char *tag, const char *submission, const char *part,
                              const char *const *options, double want)
{
    char part_var[256];
    snprintf(part_var, sizeof part_var, "PART=%s", part);
    const char *env[] = {part_var, NULL};
    run_result r = run("coursera", tag, submission, env, options);
    cr_assert_eq(r.status, 0, "%s, part %s: the grader exited %d (grade local fails it):\n%s", submission, part,
                 r.status, r.log);
    cr_assert_not_null(r.doc, "%s: no /shared/feedback.json:\n%s", submission, r.log);
    double f = validate_coursera(r.doc);
    cr_expect_eq(f, want, "%s, part %s: %g, not %g\n%s", submission, part, f, want, feedback(r.doc));
    expect_staff_log(&r);
    cJSON *doc = r.doc;
    r.doc = NULL;
    run_free(&r);
    return doc;
}

Test(images, coursera_as_coursera_runs_it, .timeout = BUILD_TIMEOUT)
{
    char *tag = image("coursera");
    pack p = load_pack();
    /* the image's user, and other uids as Coursera may pick (its v1 SDK used 1000) */
    const char *users[][3] = {{NULL}, {"--user", "1000", NULL}, {"--user", "4242:4242", NULL}};
    for (size_t u = 0; u < 3; u++)
        for (size_t i = 0; i < p.rubric.nparts; i++)
            cJSON_Delete(coursera_graded(tag, "reference/gradient_check", p.rubric.parts[i].id, users[u], 1.0));
    const char *const *as_1000 = users[1];
    cJSON *doc = coursera_graded(tag, "student_template/gradient_check", "gradient_check_all", as_1000, 0.0);
    expect_no_hidden_name(&p, feedback(doc));
    cr_expect(strstr(feedback(doc), "hidden test 1") != NULL, "%s", feedback(doc));
    cJSON_Delete(doc);
    doc = coursera_graded(tag, tu_submission_from_reference("img-cs-compile-error", COMPILE_ERROR),
                          "gradient_check_all", as_1000, 0.0);
    cr_expect(strstr(feedback(doc), "did not compile") && strstr(feedback(doc), "error:"), "%s", feedback(doc));
    cJSON_Delete(doc);
    /* a read-only root file system, with and without a tmpfs on /tmp */
    const char *ro_tmpfs[] = {"--user", "1000", "--read-only", "--tmpfs", "/tmp", NULL};
    const char *ro[] = {"--user", "1000", "--read-only", NULL};
    cJSON_Delete(coursera_graded(tag, "reference/gradient_check", "gradient_check_all", ro_tmpfs, 1.0));
    cJSON_Delete(coursera_graded(tag, "reference/gradient_check", "gradient_check_all", ro, 1.0));
    /* a part id the upload was not built for, none at all: the run fails */
    const char *unknown[] = {"PART=Zb6wb", NULL};
    run_result r = run("coursera", tag, "reference/gradient_check", unknown, as_1000);
    cr_expect_eq(r.status, 1, "an unknown part must fail the run:\n%s", r.log);
    cr_assert_not_null(r.doc);
    cr_expect_eq(validate_coursera(r.doc), 0.0);
    cr_expect(strstr(feedback(r.doc), "'Zb6wb'") && strstr(feedback(r.doc), "not a mistake in your code"), "%s",
              feedback(r.doc));
    run_free(&r);
    r = run("coursera", tag, "reference/gradient_check", NULL, as_1000);
    cr_expect_eq(r.status, 1, "a missing partId must fail the run:\n%s", r.log);
    cr_assert_not_null(r.doc);
    cr_expect(strstr(feedback(r.doc), "partId is empty") != NULL, "%s", feedback(r.doc));
    run_free(&r);
    /* a grader fault: the learner is told, the run fails */
    char mount[4200];
    snprintf(mount, sizeof mount, "%s:/grader/runtime/%s/pack.json:ro", corrupt_pack(), p.rubric.assignment);
    const char *fault[] = {"--user", "1000", "-v", mount, NULL};
    const char *part[] = {"PART=gradient_check_all", NULL};
    r = run("coursera", tag, "reference/gradient_check", part, fault);
    cr_expect_eq(r.status, 1, "a grader fault must fail the run:\n%s", r.log);
    cr_assert_not_null(r.doc, "no feedback for the learner:\n%s", r.log);
    cr_expect_eq(validate_coursera(r.doc), 0.0);
    cr_expect(strstr(feedback(r.doc), "grader itself failed") != NULL, "%s", feedback(r.doc));
    run_free(&r);
    pack_free(&p);
    free(tag);
}

/* ---- Gradescope ----------------------------------------------------------------- */

static cJSON *gradescope_graded(const char *tag, const char *submission, double want)
{
    run_result r = run("gradescope", tag, submission, NULL, NULL);
    cr_assert_eq(r.status, 0, "%s: run_autograder exited %d:\n%s", submission, r.status, r.log);
    cr_assert_not_null(r.doc, "%s: no results.json:\n%s", submission, r.log);
    pack p = load_pack();
    validate_gradescope(r.doc, &p);
    cr_expect_eq(num(r.doc, "score"), want, "%s: %g", submission, num(r.doc, "score"));
    char *text = cJSON_PrintUnformatted(r.doc);
    expect_no_hidden_name(&p, text);
    free(text);
    pack_free(&p);
    expect_staff_log(&r);
    cJSON *doc = r.doc;
    r.doc = NULL;
    run_free(&r);
    return doc;
}

Test(images, gradescope_as_gradescope_runs_it, .timeout = BUILD_TIMEOUT)
{
    char *tag = image("gradescope");
    cJSON_Delete(gradescope_graded(tag, "reference/gradient_check", 50));
    cJSON_Delete(gradescope_graded(tag, "student_template/gradient_check", 0));
    cJSON *doc = gradescope_graded(tag, tu_submission_from_reference("img-gs-compile-error", COMPILE_ERROR), 0);
    cr_expect(strstr(str(doc, "output"), "did not compile") && strstr(str(doc, "output"), "error:"), "%s",
              str(doc, "output"));
    cJSON_Delete(doc);
    /* a grader fault fails the run (Gradescope says so to staff and student)
     * instead of recording a 0: no results.json, exit status 1 */
    pack p = load_pack();
    char mount[4200];
    snprintf(mount, sizeof mount, "%s:/autograder/grader/%s/pack.json:ro", corrupt_pack(), p.rubric.assignment);
    const char *fault[] = {"-v", mount, NULL};
    run_result r = run("gradescope", tag, "reference/gradient_check", NULL, fault);
    cr_expect_eq(r.status, 1, "a grader fault must fail the run:\n%s", r.log);
    cr_expect_null(r.doc, "a grader fault left a results.json (a recorded 0)");
    cr_expect(strstr(r.log, "NOT GRADED") != NULL, "%s", r.log);
    run_free(&r);
    pack_free(&p);
    free(tag);
}

/* ---- PrairieLearn --------------------------------------------------------------- */

/* The question's tests/ as make prairielearn-question builds it. */
static char *question_tests(void)
{
    const char *make[] = {"/usr/bin/make", "-s", "B=" TU_BUILD, "prairielearn-question", NULL};
    tu_result r = tu_run(make);
    cr_assert_eq(r.status, 0, "make prairielearn-question: %s", r.err);
    tu_result_free(&r);
    pack p = load_pack();
    char *dir, *info;
    cr_assert_gt(asprintf(&dir, "dist/prairielearn-question/%s/tests", p.rubric.assignment), 0);
    cr_assert_gt(asprintf(&info, "dist/prairielearn-question/%s/info.json", p.rubric.assignment), 0);
    char *text = tu_read(info, NULL);
    cr_assert_not_null(text, "no info.json");
    cJSON *doc = cJSON_Parse(text);
    cr_assert_not_null(doc, "info.json is not JSON");
    const cJSON *opts = cJSON_GetObjectItem(doc, "externalGradingOptions");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(doc, "gradingMethod")), "External");
    cr_expect_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(opts, "entrypoint")), "/grader/grade");
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(opts, "enabled")));
    cr_expect(!cJSON_IsTrue(cJSON_GetObjectItem(opts, "enableNetworking")), "the grader needs no network");
    cJSON_Delete(doc);
    free(text);
    free(info);
    pack_free(&p);
    return dir;
}

static run_result pl_run(const char *tag, const char *tests, const char *submission, const char *owner,
                         const char *const *options)
{
    char tests_var[4200], owner_var[64];
    snprintf(tests_var, sizeof tests_var, "PL_TESTS=%s", tests);
    snprintf(owner_var, sizeof owner_var, "PL_JOB_OWNER=%s", owner ? owner : "");
    const char *env[] = {tests_var, owner_var, NULL};
    run_result r = run("prairielearn", tag, submission, env, options);
    /* PrairieLearn reads results.json only after exit status 0 */
    cr_assert_eq(r.status, 0, "%s: the entrypoint exited %d: PrairieLearn discards the results:\n%s", submission,
                 r.status, r.log);
    cr_assert_not_null(r.doc, "%s: no /grade/results/results.json:\n%s", submission, r.log);
    cr_expect_leq(r.doc_size, 1024 * 1024, "PrairieLearn refuses results over 1 MB");
    return r;
}

static void pl_graded(const char *tag, const char *tests, const char *submission, const char *owner,
                      const char *const *options, bool gradable, double want)
{
    run_result r = pl_run(tag, tests, submission, owner, options);
    pack p = load_pack();
    validate_prairielearn(r.doc, &p);
    cr_expect_eq(cJSON_IsTrue(cJSON_GetObjectItem(r.doc, "gradable")), gradable, "%s: gradable is not %d: %s",
                 submission, gradable, str(r.doc, "message"));
    cr_expect_eq(num(r.doc, "score"), want, "%s: %g", submission, num(r.doc, "score"));
    char *text = cJSON_PrintUnformatted(r.doc);
    expect_no_hidden_name(&p, text);
    free(text);
    expect_staff_log(&r);
    pack_free(&p);
    run_free(&r);
}

Test(images, prairielearn_as_prairielearn_runs_it, .timeout = BUILD_TIMEOUT)
{
    char *tag = image("prairielearn"), *tests = question_tests();
    /* as root (PrairieLearn's job folder is root's), and as users owning it */
    const char *u1000[] = {"--user", "1000", NULL}, *u4242[] = {"--user", "4242:4242", NULL};
    pl_graded(tag, tests, "reference/gradient_check", NULL, NULL, true, 1.0);
    pl_graded(tag, tests, "reference/gradient_check", "1000", u1000, true, 1.0);
    pl_graded(tag, tests, "reference/gradient_check", "4242:4242", u4242, true, 1.0);
    pl_graded(tag, tests, "student_template/gradient_check", NULL, NULL, true, 0.0);
    /* a compile error costs no attempt */
    pl_graded(tag, tests, tu_submission_from_reference("img-pl-compile-error", COMPILE_ERROR), NULL, NULL, false,
              0.0);
    /* a grader fault: gradable false, and exit status 0 so PrairieLearn reads it */
    char *broken = tu_tmpdir("pl-broken-tests"), *asg = strrchr(tests, '/');
    char *copy_to = fs_join(broken, "tests");
    const char *cp[] = {"/bin/cp", "-R", tests, copy_to, NULL};
    tu_result c = tu_run(cp);
    cr_assert_eq(c.status, 0, "%s", c.err);
    tu_result_free(&c);
    pack p = load_pack();
    char *dir = fs_join(copy_to, p.rubric.assignment), *bad = fs_join(dir, "pack.json");
    cr_assert(fs_is_file(bad), "%s", bad);
    free(tu_write(dir, "pack.json", "{\"pack_format\": ", 16));
    run_result r = pl_run(tag, copy_to, "reference/gradient_check", NULL, NULL);
    validate_prairielearn(r.doc, NULL);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(r.doc, "gradable")), "a grader fault is not gradable");
    cr_expect(strstr(str(r.doc, "message"), "grader itself failed") != NULL, "%s", str(r.doc, "message"));
    cr_expect(strstr(r.log, "NOT GRADED") != NULL, "%s", r.log);
    run_free(&r);
    /* a question without its pack: said, not a crash */
    r = pl_run(tag, "/nonexistent", "reference/gradient_check", NULL, NULL);
    validate_prairielearn(r.doc, NULL);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(r.doc, "gradable")));
    cr_expect(strstr(str(r.doc, "message"), "make prairielearn-question") != NULL, "%s", str(r.doc, "message"));
    run_free(&r);
    (void)asg;
    free(dir);
    free(bad);
    pack_free(&p);
    free(tag);
    free(tests);
}

/* ---- what public images hold ------------------------------------------------------ */

typedef struct {
    strings needles;       /* what must not be there */
    strings found;         /* "NEEDLE in LAYER/PATH" */
    const char *layer;
    size_t root_len;
    uint64_t bloom[1024];  /* 65536 bits over the first 8 bytes of each needle */
} scan;

static scan *scanning;     /* nftw gives its callback no argument */

static unsigned prefix_hash(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    v *= 0x9E3779B97F4A7C15ull;
    return (unsigned)(v >> 48);
}

static void add_needle(scan *s, const char *needle)
{
    if (strlen(needle) < 10)
        return;   /* shorter texts turn up by chance in binaries */
    add_string(&s->needles, needle);
    unsigned h = prefix_hash((const unsigned char *)needle);
    s->bloom[h / 64] |= 1ull << (h % 64);
}

static void scan_bytes(scan *s, const unsigned char *b, size_t n, const char *where)
{
    for (size_t i = 0; i + 8 <= n; i++) {
        unsigned h = prefix_hash(b + i);
        if (!(s->bloom[h / 64] >> (h % 64) & 1))
            continue;
        for (size_t k = 0; k < s->needles.n; k++) {
            size_t len = strlen(s->needles.s[k]);
            if (i + len <= n && !memcmp(b + i, s->needles.s[k], len)) {
                char *hit;
                cr_assert_gt(asprintf(&hit, "\"%s\" in %s", s->needles.s[k], where), 0);
                add_string(&s->found, hit);
                free(hit);
            }
        }
    }
}

static int scan_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type != FTW_F || !S_ISREG(st->st_mode) || st->st_size == 0)
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    cr_assert_geq(fd, 0, "cannot open %s", path);
    void *m = mmap(NULL, (size_t)st->st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    cr_assert_neq(m, MAP_FAILED, "cannot map %s", path);
    char where[4200];
    snprintf(where, sizeof where, "layer %s: /%s", scanning->layer, path + scanning->root_len);
    scan_bytes(scanning, m, (size_t)st->st_size, where);
    munmap(m, (size_t)st->st_size);
    return 0;
}

/* Saves the image, untars every layer and searches every file of each, and
 * the image's configuration (its history holds every build command). */
static void scan_image(scan *s, const char *tag)
{
    char *dir = tu_tmpdir("image-layers"), *tar = fs_join(dir, "image.tar"), *root = fs_join(dir, "image");
    const char *save[] = {"/usr/bin/docker", "save", "-o", tar, tag, NULL};
    tu_result r = tu_run(save);
    cr_assert_eq(r.status, 0, "docker save %s: %s", tag, r.err);
    tu_result_free(&r);
    mkdir(root, 0700);
    const char *untar[] = {"/bin/tar", "-xf", tar, "-C", root, NULL};
    r = tu_run(untar);
    cr_assert_eq(r.status, 0, "%s", r.err);
    tu_result_free(&r);
    unlink(tar);
    char *manifest_path = fs_join(root, "manifest.json"), *text = tu_read(manifest_path, NULL);
    cJSON *manifest = cJSON_Parse(text);
    cr_assert(cJSON_IsArray(manifest), "docker save wrote no manifest.json");
    const cJSON *layers = cJSON_GetObjectItem(cJSON_GetArrayItem(manifest, 0), "Layers"), *l;
    const char *config = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(manifest, 0), "Config"));
    cr_assert(cJSON_GetArraySize(layers) > 0, "no layers in %s", tag);
    char *config_path = fs_join(root, config);
    size_t len;
    char *cfg = tu_read(config_path, &len);
    cr_assert_not_null(cfg);
    scan_bytes(s, (const unsigned char *)cfg, len, "the image's configuration");
    free(cfg);
    size_t count = 0;
    cJSON_ArrayForEach(l, layers) {
        char *layer_tar = fs_join(root, l->valuestring), *out;
        cr_assert_gt(asprintf(&out, "%s/layer-%zu", dir, count), 0);
        mkdir(out, 0700);
        const char *x[] = {"/bin/tar", "-xf", layer_tar, "-C", out, "--no-same-owner", "--exclude=dev/*", NULL};
        r = tu_run(x);
        cr_assert_eq(r.status, 0, "untar %s: %s", l->valuestring, r.err);
        tu_result_free(&r);
        char name[64];
        snprintf(name, sizeof name, "%zu of %d", ++count, cJSON_GetArraySize(layers));
        s->layer = name;
        s->root_len = strlen(out) + 1;
        scanning = s;
        cr_assert_eq(nftw(out, scan_file, 16, FTW_PHYS), 0);
        hr_error err;
        fs_remove_tree(out, &err);
        free(out);
        free(layer_tar);
    }
    hr_error err;
    fs_remove_tree(dir, &err);
    cJSON_Delete(manifest);
    free(text);
    free(manifest_path);
    free(config_path);
    free(root);
    free(tar);
    free(dir);
}

/* What a public image must never hold: the reference's own lines (those not
 * in the template, which is public), the pack's marks, and every hidden
 * test's inputs and expected values. */
static void reference_lines(scan *s)
{
    pack p = load_pack();
    char *path, *tpath;
    cr_assert_gt(asprintf(&path, "reference/%s/%s.c", p.rubric.assignment, p.rubric.assignment), 0);
    cr_assert_gt(asprintf(&tpath, "student_template/%s/%s.c", p.rubric.assignment, p.rubric.assignment), 0);
    char *ref = tu_read(path, NULL), *tmpl = tu_read(tpath, NULL);
    cr_assert(ref && tmpl, "%s or %s is missing", path, tpath);
    size_t lines = 0;
    for (char *save, *l = strtok_r(ref, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        while (*l == ' ')
            l++;
        if (strlen(l) >= 24 && !strstr(tmpl, l) && strncmp(l, "/*", 2) && strncmp(l, "* ", 2)) {
            add_needle(s, l);
            lines++;
        }
    }
    cr_assert_gt(lines, 5, "too few of the reference's lines to look for");
    free(ref);
    free(tmpl);
    free(path);
    free(tpath);
    pack_free(&p);
}

static void secrets(scan *s)
{
    reference_lines(s);
    add_needle(s, "\"pack_format\"");
    pack p = load_pack();
    size_t values = 0;
    for (size_t e = 0; e < p.rubric.nexercises; e++)
        for (size_t t = 0; t < p.rubric.exercises[e].ntests; t++)
            if (p.rubric.exercises[e].tests[t].visibility != RUBRIC_VISIBLE) {
                strings v = secrets_of(&p, e, t);
                for (size_t i = 0; i < v.n; i++) {
                    size_t before = s->needles.n;
                    add_needle(s, v.s[i]);
                    values += s->needles.n > before;
                }
                free_strings(&v);
            }
    cr_assert_gt(values, 3, "too few hidden values to look for");
    pack_free(&p);
}

static void expect_clean(const char *tag)
{
    scan *s = calloc(1, sizeof *s);
    secrets(s);
    scan_image(s, tag);
    for (size_t i = 0; i < s->found.n; i++)
        cr_expect_fail("%s holds a secret: %s", tag, s->found.s[i]);
    free_strings(&s->needles);
    free_strings(&s->found);
    free(s);
}

/* PrairieLearn images must be public: no layer holds the reference or a
 * hidden value. The scan is shown to work on an image built from it with a
 * hidden expected value in one layer, deleted in the next (which hides the
 * file, not the layer). */
Test(images, public_images_hold_no_secret, .timeout = BUILD_TIMEOUT)
{
    char *tag = image("prairielearn");
    expect_clean(tag);

    scan *s = calloc(1, sizeof *s);
    secrets(s);
    cr_assert_gt(s->needles.n, 0);
    char *planted = s->needles.s[s->needles.n - 1];   /* a hidden test's value */
    char *ctx = tu_tmpdir("planted"), dockerfile[4400];
    free(tu_write(ctx, "notes.txt", planted, strlen(planted)));
    snprintf(dockerfile, sizeof dockerfile, "FROM %s\nCOPY notes.txt /tmp/notes.txt\nRUN rm /tmp/notes.txt\n", tag);
    free(tu_write(ctx, "Dockerfile", dockerfile, strlen(dockerfile)));
    const char *build[] = {"/usr/bin/docker", "build", "-q", "-t", "gcgrade/planted-secret:test", ctx, NULL};
    tu_result r = tu_run(build);
    cr_assert_eq(r.status, 0, "%s", r.err);
    tu_result_free(&r);
    const char *ls[] = {"/usr/bin/docker", "run", "--rm", "--entrypoint", "/bin/ls", "gcgrade/planted-secret:test",
                        "/tmp", NULL};
    r = tu_run(ls);
    cr_expect(strstr(r.out, "notes.txt") == NULL, "the file should be deleted in the image's view");
    tu_result_free(&r);
    scan_image(s, "gcgrade/planted-secret:test");
    bool seen = false;
    for (size_t i = 0; i < s->found.n; i++)
        seen |= strstr(s->found.s[i], "/tmp/notes.txt") != NULL && strstr(s->found.s[i], planted) != NULL;
    cr_expect(seen, "the scan missed the value %s planted in a layer (%zu findings)", planted, s->found.n);
    const char *rmi[] = {"/usr/bin/docker", "rmi", "gcgrade/planted-secret:test", NULL};
    r = tu_run(rmi);
    tu_result_free(&r);
    free_strings(&s->needles);
    free_strings(&s->found);
    free(s);
    free(tag);
}

/* Coursera's image is private (it holds the packs), but none of its layers
 * needs the reference: the two-stage build keeps it out. */
Test(images, coursera_image_holds_no_reference, .timeout = BUILD_TIMEOUT)
{
    char *tag = image("coursera");
    scan *s = calloc(1, sizeof *s);
    reference_lines(s);
    scan_image(s, tag);
    for (size_t i = 0; i < s->found.n; i++)
        cr_expect_fail("%s holds the reference: %s", tag, s->found.s[i]);
    free_strings(&s->needles);
    free_strings(&s->found);
    free(s);
    free(tag);
}
