/*
 * score — decide each test from an observation and the expected value.
 *
 * The only place where a test passes. It fails closed: a test passes when the
 * runner returned a value (nothing else counts) and that value compares right
 * with what the reference returned on the same inputs: exactly, within a
 * tolerance, or on the same side of the verdict threshold (with, when the
 * rubric asks, the printed message that says so). Every failure carries two
 * texts: one safe to show a student (a hidden test's inputs and expected value
 * stay hidden) and one with every number for the instructor.
 */
#ifndef SCORE_H
#define SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "compare.h"
#include "observe.h"
#include "pack.h"
#include "rubric.h"

typedef struct {
    const char *id;               /* the pack's test id */
    const pack_case *kase;        /* its case in the pack */
    const rubric_test *test;
    bool passed;
    double score, max_score;
    obs_kind ended;               /* how the run ended (OBS_RETURNED when it returned) */
    bool ran;                     /* false: not run (compile error, missing function) */
    char message[2048];           /* for the student (hint and table included) */
    char detail[2560];            /* for the instructor: expected vs got, all of it */
    char hint[768];               /* what explains the failure, or "" (see explain.h) */
    char note[320];               /* a remark on a passed test that costs nothing, or "" */
    cJSON *table;                 /* per-block table shown with a failure, or NULL */
    char *output;                 /* what the test printed (stdout, capped), or NULL */
    double wall_s;
    bool returned;                /* it returned a number: got */
    double got;
    cJSON *got_value;             /* it returned a structure (matrix, group, tuple): a copy, or NULL */
    int printed_side;             /* which verdict message it printed (cmp_printed_side) */
    cJSON *trace;                 /* a test with calls: how the substitutes were called (the
                                     runner's word: feedback only, never read for a score) */
    bool handed_out;              /* it returned and printed what the template does here */
    bool not_attempted;           /* an optional exercise left as handed out, or deleted */
} score_test;

typedef struct {
    const rubric_exercise *exercise;
    double score, max_score;
    score_test *tests;
    size_t ntests;
} score_exercise;

/* Scores one observed test. */
void score_observed(const rubric *r, const rubric_test *t, const pack_case *c,
                    const observation *obs, score_test *out);

/* A test that was not run: why (for both audiences). */
void score_not_run(const rubric_test *t, const pack_case *c, const char *why, score_test *out);

void score_test_free(score_test *t);

/* Sums an exercise's tests into ex->score. */
void score_sum(score_exercise *ex);

/* An optional exercise (0 points) whose every test returned exactly what the
 * template returns as handed out, or whose function is missing, was not
 * attempted: its tests say so ("not attempted (optional)"), not FAILED, and
 * no report counts them as failures. Returns whether it marked them. */
bool score_mark_not_attempted(score_exercise *ex);

/* The rubric's verdict as the comparisons (compare.h) take it; borrows v's strings. */
cmp_verdict_rule score_rule(const rubric_verdict *v);

/* One line for a table {"title", "rows": [{"label", "value", "ok"}]}:
 * "title: dW1 1.2e-09 ✓, db1 0.6 ✗, ..." (values left out when !values). */
void score_render_table(const cJSON *table, bool values, char *out, size_t len);

#endif
