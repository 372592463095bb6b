/*
 * error — errors as values.
 *
 * Every fallible harness function takes an hr_error * and fills it with one
 * sentence fit for an instructor or a student (what failed, on what, and what to
 * do), instead of printing or aborting: the grader must turn every failure of a
 * submission into a report, and only its own faults into a non-zero exit.
 */
#ifndef HR_ERROR_H
#define HR_ERROR_H

#include <stddef.h>

typedef struct {
    char msg[1024];
} hr_error;

/* Sets the message (printf-style) and returns -1, so callers can write
 * `return hr_fail(err, "...", ...);`. err may be NULL. */
int hr_fail(hr_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefixes an existing message: "context: message". Returns -1. */
int hr_wrap(hr_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
