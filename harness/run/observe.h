/*
 * observe — run one test in a runner and say what happened, as data.
 *
 * The grader observes the student's runner and the pack builder observes the
 * reference's, through this same code, so expected and actual values are made
 * the same way. An observation is what the runner claimed (its result
 * document, parsed fail-closed by protocol.c) together with what the sandbox
 * saw (exit, signal, time, output): a result that arrives from a process that
 * then crashed, or two results, or one for another test, is not a return.
 */
#ifndef OBSERVE_H
#define OBSERVE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "error.h"
#include "rubric.h"
#include "sandbox.h"

typedef enum {
    OBS_RETURNED,        /* ret holds the value */
    OBS_MISSING,         /* the function is not in the submission */
    OBS_TIMED_OUT,
    OBS_CPU_LIMIT,
    OBS_OUTPUT_LIMIT,
    OBS_CRASHED,         /* signal */
    OBS_EXITED,          /* ended (exit_code) without returning from the function */
    OBS_NO_RESULT,       /* ran to the end but its result is garbled, repeated or absent */
    OBS_HARNESS_FAULT    /* the reference's runner could not call the function (pack builder only):
                          * a graded run never ends so, whatever its runner sends */
} obs_kind;

typedef struct {
    obs_kind kind;
    cJSON *ret;
    cJSON *trace;            /* OBS_RETURNED with substitutions: how they were called
                                (protocol.h; untrusted, feedback only), or NULL */
    int signal, exit_code;
    double wall_s, cpu_s, limit_s;
    char *out, *err;         /* what it printed (capped), made safe to show */
    char *out_raw;           /* stdout as captured (NUL bytes end it): for comparisons, never shown */
    bool out_truncated;
    char detail[512];        /* a sentence about how it ended */
} observation;

typedef struct {
    sb_box *box;
    const char *runner;       /* the linked runner program */
    sb_profile profile;       /* SB_PROFILE_RUN for students, TRUSTED for the reference */
    bool lockdown;            /* ask the runner to load its seccomp allow list */
    sb_session *session;      /* set by observe_begin: every test runs in it */
    const char *const *envp;  /* the runner's environment (NULL: empty) */
    bool reference;           /* the reference's runner (pack builder): its input faults are the
                               * harness's; for any other runner an input fault is a failed test */
} observe_target;

/* Sets up the isolation once for a series of tests of t->runner (a session
 * whose view holds the runner and the libraries it needs). Without it, each
 * observe_run sets up and tears down its own. */
int observe_begin(observe_target *t, hr_error *err);
void observe_end(observe_target *t);

/* Runs test_id (function, inputs) once under limits. -1 only on a sandbox
 * fault; everything the runner does ends up in *obs. What it printed is made
 * safe to show (safetext.h: valid UTF-8, no control characters but newlines
 * and tabs, colour codes removed), so it can neither break a report nor
 * rewrite a terminal; out_raw keeps the bytes as printed, for the comparison
 * of printed messages only (never shown). Of the runner's result only the
 * value it returned is believed: a graded runner's "bad_inputs" is a failed
 * test and its text is dropped. */
int observe_run(const observe_target *t, const char *test_id, const char *function,
                const cJSON *inputs, const rubric_limits *limits, observation *obs, hr_error *err);

/* The same for a test that substitutes callees (calls: {F: VARIANT}, or NULL;
 * see substitute.h): the observation then carries the runner's trace. */
int observe_run_calls(const observe_target *t, const char *test_id, const char *function,
                      const cJSON *inputs, const cJSON *calls, const rubric_limits *limits,
                      observation *obs, hr_error *err);

void observation_free(observation *obs);

const char *obs_kind_name(obs_kind k);

#endif
