/* grade — see grade.h. */
#include "grade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "clock.h"
#include "explain.h"
#include "memcheck.h"
#include "fsutil.h"
#include "safetext.h"
#include "seccomp_filter.h"

/* A hostile submission can make every test run to its limit; the grader
 * gives a whole submission this long (an honest one needs well under a
 * second), the build at most GRADE_BUILD_S of it. */
#define GRADE_BUDGET_S 28.0
#define GRADE_BUILD_S 15.0


/* Index of fn among the pack's graded functions, or -1. */
static long graded_index(const pack *p, const char *fn)
{
    for (size_t i = 0; p->graded[i]; i++)
        if (!strcmp(p->graded[i], fn))
            return (long)i;
    return -1;
}

/* Why a test cannot run, or NULL when it can. */
static const char *not_run_reason(const grade_result *g, const pack *p, const rubric_test *t,
                                  char *buf, size_t len)
{
    switch (g->build.status) {
    case BUILD_OK:
        break;
    case BUILD_COMPILE_ERROR:
        return "not run: the file did not compile (see the compiler's messages)";
    case BUILD_NOT_ACCEPTED:
        return "not run: the submission was not accepted (see why above)";
    case BUILD_REFUSED:
        return "not run: the file was refused (see why above)";
    }
    long i = graded_index(p, t->function);
    if (i >= 0 && g->build.refused && g->build.refused[i]) {
        snprintf(buf, len, "not run: %s %s", t->function, g->build.refused[i]);
        return buf;
    }
    if (i < 0 || !g->build.defined || !g->build.defined[i]) {
        snprintf(buf, len, "missing: your file does not define the function %s", t->function);
        return buf;
    }
    return NULL;
}

/* The test's limits, cut to what is left of the submission's time. */
static bool limits_left(const rubric_test *t, double deadline, rubric_limits *out)
{
    *out = t->limits;
    double left = deadline - clock_now_s();
    if (left < 0.05)
        return false;
    if (out->time_s > left)
        out->time_s = left;
    if (out->cpu_s > left)
        out->cpu_s = left;
    return true;
}

static int run_test(const grade_context *ctx, observe_target *target, const rubric_test *test,
                    const pack_case *c, double deadline, score_test *out, hr_error *err)
{
    rubric_limits limits;
    if (!limits_left(test, deadline, &limits)) {
        char why[128];
        snprintf(why, sizeof why, "not run: the submission used up the %g s the grader gives it", GRADE_BUDGET_S);
        score_not_run(test, c, why, out);
        return 0;
    }
    observation obs;
    if (observe_run_calls(target, c->id, test->function, c->inputs, test->calls, &limits, &obs, err) != 0)
        return hr_wrap(err, "test %s", c->id);
    score_observed(&ctx->pack->rubric, test, c, &obs, out);
    observation_free(&obs);
    return 0;
}

static int run_tests(const grade_context *ctx, grade_result *g, double deadline, hr_error *err)
{
    const pack *p = ctx->pack;
    const rubric *r = &p->rubric;
    observe_target target = {.box = ctx->box, .runner = g->build.runner, .profile = SB_PROFILE_RUN,
                             .lockdown = seccomp_filter_available()};
    /* one sandbox session for every test of the submission */
    if (g->build.status == BUILD_OK && observe_begin(&target, err) != 0)
        return -1;
    int rc = 0;
    g->exercises = calloc(r->nexercises, sizeof *g->exercises);
    if (!g->exercises)
        rc = hr_fail(err, "out of memory");
    else
        g->nexercises = r->nexercises;
    for (size_t e = 0; rc == 0 && e < r->nexercises; e++) {
        score_exercise *se = &g->exercises[e];
        se->exercise = &r->exercises[e];
        se->ntests = r->exercises[e].ntests;
        se->tests = calloc(se->ntests, sizeof *se->tests);
        if (!se->tests) {
            rc = hr_fail(err, "out of memory");
            break;
        }
        for (size_t t = 0; rc == 0 && t < se->ntests; t++) {
            const rubric_test *test = &r->exercises[e].tests[t];
            const pack_case *c = &p->cases[e][t];
            char buf[1280];
            const char *why = not_run_reason(g, p, test, buf, sizeof buf);
            if (why)
                score_not_run(test, c, why, &se->tests[t]);
            else
                rc = run_test(ctx, &target, test, c, deadline, &se->tests[t], err);
        }
        score_sum(se);
        g->score += se->score;
        g->max_score += se->max_score;
    }
    observe_end(&target);
    return rc;
}

/* A finding, on its test: in both texts; under `memory_checks: score` the test fails. */
static void attach_finding(const pack *p, grade_result *g, const diag_finding *f)
{
    for (size_t e = 0; e < g->nexercises; e++)
        for (size_t t = 0; t < g->exercises[e].ntests; t++) {
            score_test *st = &g->exercises[e].tests[t];
            if (strcmp(st->id, f->test_id) != 0)
                continue;
            char line[1024];
            snprintf(line, sizeof line, "\nmemory check: %s%s%s: %s", f->where, f->function[0] ? " in " : "",
                     f->function, f->what);
            size_t m = strlen(st->message), d = strlen(st->detail);
            safetext_copy(st->message + m, sizeof st->message - m, line);
            safetext_copy(st->detail + d, sizeof st->detail - d, line);
            if (p->rubric.memory_checks == RUBRIC_MEMCHECK_SCORE && st->passed) {
                st->passed = false;
                st->score = 0;
            }
        }
}

/* The memory checks' findings, on their tests (their failures are notes). */
static void memory_checks(const grade_context *ctx, grade_result *g, memcheck *m)
{
    const pack *p = ctx->pack;
    if (p->rubric.memory_checks == RUBRIC_MEMCHECK_OFF || g->build.status != BUILD_OK) {
        memcheck_finish(m, p, NULL, NULL);
        return;
    }
    memcheck_finish(m, p, g->build.defined, &g->memory);
    for (size_t i = 0; i < g->memory.nfindings; i++)
        attach_finding(p, g, &g->memory.findings[i]);
    if (p->rubric.memory_checks == RUBRIC_MEMCHECK_SCORE) {
        g->score = 0;
        for (size_t e = 0; e < g->nexercises; e++) {
            score_sum(&g->exercises[e]);
            g->score += g->exercises[e].score;
        }
    }
}

/* The build's hook: the text is vetted, the memory checks can start beside. */
typedef struct {
    const grade_context *ctx;
    const build_config *cfg;
    const char *work;
    double deadline;
    memcheck *started;
    char *out_dir, *source;    /* kept to start them after the tests */
} memcheck_hook;

/* Beside the build: the sanitizer build starts on the vetted text, its runs
 * wait for the graded object's checks (let_memory_checks_run). */
static void start_memory_checks(void *arg, const char *out_dir, const char *source)
{
    memcheck_hook *h = arg;
    h->started = memcheck_start(h->ctx->pack, h->cfg, h->ctx->box, h->work, out_dir, source, h->deadline, true);
}

static void let_memory_checks_run(void *arg, const char *out_dir, const char *source)
{
    (void)out_dir;
    (void)source;
    memcheck_go(((memcheck_hook *)arg)->started);
}

static void note_vetted(void *arg, const char *out_dir, const char *source)
{
    memcheck_hook *h = arg;
    h->out_dir = strdup(out_dir);
    h->source = strdup(source);
}

int grade_submission(const grade_context *ctx, const char *submission, grade_result *out,
                     hr_error *err)
{
    memset(out, 0, sizeof *out);
    double t0 = clock_now_s();
    out->submission = safetext_make(submission);   /* a folder name: shown in every report */
    snprintf(out->isolation, sizeof out->isolation, "%s", sb_level_name(ctx->box));
    char *work = fs_make_temp_dir(ctx->work_parent, "submission", err);
    if (!work)
        return -1;
    chmod(work, 0711);   /* the sandbox uid passes through to its own src/ and out/ */
    build_config cfg = {
        .public_include = ctx->public_include,
        .runner_base = ctx->runner_base,
        .graded = (const char *const *)ctx->pack->graded,
        .provided = (const char *const *)ctx->pack->rubric.provided,
        .substitutable = ctx->pack->substitutable,
        .source_name = ctx->pack->rubric.source,
        .time_s = GRADE_BUILD_S,
        .memory_mb = 1024,
        .run_memory_mb = rubric_smallest_memory_mb(&ctx->pack->rubric),
    };
    memcheck_hook hook = {ctx, &cfg, work, t0 + GRADE_BUDGET_S, NULL, NULL, NULL};
    bool checks = ctx->pack->rubric.memory_checks != RUBRIC_MEMCHECK_OFF;
    if (checks) {
        cfg.on_text_vetted = ctx->checks_beside ? start_memory_checks : NULL;
        cfg.on_vetted = ctx->checks_beside ? let_memory_checks_run : note_vetted;
        cfg.on_vetted_arg = &hook;
    }
    int rc = build_submission(ctx->box, &cfg, submission, work, &out->build, err);
    if (rc == 0)
        rc = run_tests(ctx, out, t0 + GRADE_BUDGET_S, err);
    /* in a batch, whose jobs use every core already: after the tests */
    if (rc == 0 && checks && !hook.started && hook.out_dir && out->build.status == BUILD_OK)
        hook.started = memcheck_start(ctx->pack, &cfg, ctx->box, work, hook.out_dir, hook.source, hook.deadline,
                                      false);
    if (hook.started || (rc == 0 && out->build.status == BUILD_OK && checks))
        memory_checks(ctx, out, hook.started);
    free(hook.out_dir);
    free(hook.source);
    if (rc == 0)
        explain_failures(ctx->pack, out->exercises, out->nexercises);
    for (size_t e = 0; rc == 0 && e < out->nexercises; e++)
        score_mark_not_attempted(&out->exercises[e]);
    if (ctx->keep_work) {
        out->work_dir = work;
    } else {
        hr_error rmerr;
        fs_remove_tree(work, &rmerr);
        free(work);
    }
    out->seconds = clock_now_s() - t0;
    return rc;
}

void grade_result_free(grade_result *g)
{
    for (size_t e = 0; e < g->nexercises; e++) {
        for (size_t t = 0; t < g->exercises[e].ntests; t++)
            score_test_free(&g->exercises[e].tests[t]);
        free(g->exercises[e].tests);
    }
    free(g->exercises);
    build_result_free(&g->build);
    diag_report_free(&g->memory);
    free(g->submission);
    free(g->work_dir);
    memset(g, 0, sizeof *g);
}

const char *grade_status(const grade_result *g)
{
    return g->build.status == BUILD_OK ? "graded" : build_status_name(g->build.status);
}
