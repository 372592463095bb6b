/*
 * batch_pool — run one job per item in worker processes, a few at a time, and
 * stop cleanly when asked to.
 *
 * Each item runs in a fresh forked process (not a thread): a fault in one job,
 * its memory and its sandbox slot stay in that process, and ending a job means
 * killing a process group, which takes the job's sandboxed programs with it.
 * A worker gets a slot number (0 .. jobs-1) that no other running worker has,
 * for its sandbox.
 *
 * Every worker is the leader of its own process group, so a Ctrl-C at the
 * terminal reaches the pool's process only. On SIGINT, SIGTERM or SIGHUP the
 * pool starts nothing more, gives the running workers a short grace period to
 * finish what they are doing, then kills their process groups; a second signal
 * kills them at once. If the pool's process dies, each worker is sent SIGTERM
 * (PR_SET_PDEATHSIG) and kills its own group. Results are reported to the
 * parent's callbacks only, one at a time, in the parent's process.
 */
#ifndef BATCH_POOL_H
#define BATCH_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Seconds the running workers get to finish after a stop signal. */
#define BPOOL_GRACE_S 2.0

typedef enum {
    BPOOL_OK,          /* work returned 0 */
    BPOOL_FAILED,      /* work returned -1 (why: its error), or the worker died on its own */
    BPOOL_STOPPED      /* killed by the pool after a stop signal: not done, not failed */
} bpool_outcome;

typedef struct {
    /* In the worker process: the job. 0 or -1 with err. */
    int (*work)(void *arg, size_t item, int slot, hr_error *err);
    /* In the parent, as each worker ends. */
    void (*finished)(void *arg, size_t item, bpool_outcome outcome, const char *why);
    /* In the parent, about once a second and after each event (may be NULL). */
    void (*tick)(void *arg, size_t running);
    /* In the parent, when a stop signal arrives (may be NULL). */
    void (*stopping)(void *arg, int sig, size_t running);
    void *arg;
} bpool_callbacks;

/* Runs work on items[0 .. n) with at most jobs workers at once. Returns 0 when
 * every item ran, the number of the signal that stopped the pool (> 0), or -1
 * with err when a worker could not be started. The caller's signal mask and
 * handlers are as they were on return. */
int bpool_run(const size_t *items, size_t n, int jobs, const bpool_callbacks *cb, hr_error *err);

#endif
