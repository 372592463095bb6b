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

#include "observe.h"
#include "pack.h"
#include "rubric.h"

typedef struct {
    const char *id;               /* the pack's test id */
    const rubric_test *test;
    bool passed;
    double score, max_score;
    obs_kind ended;               /* how the run ended (OBS_RETURNED when it returned) */
    bool ran;                     /* false: not run (compile error, missing function) */
    char message[1024];           /* for the student */
    char detail[1536];            /* for the instructor: expected vs got, all of it */
    char *output;                 /* what the test printed (stdout, capped), or NULL */
    double wall_s;
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

/* np.isclose(got, expected, rtol, atol), false for NaN. */
bool score_isclose(double got, double expected, double rtol, double atol);

/* Which side of the threshold a difference is on: 1 above ("a mistake"),
 * 0 at or below ("works"), -1 for NaN. */
int score_verdict_side(double difference, double threshold);

/* Finds the rubric's verdict message in printed text (ANSI colours ignored)
 * and checks that the number it prints is the value returned. 0 when it is
 * right; otherwise -1 with why. */
int score_check_message(const char *printed, const rubric_verdict *v, double returned,
                        char *why, size_t whylen);

#endif
