/*
 * batch_record — one student's result in a batch, and its two report files.
 *
 * The per-student reports are the batch's source of truth: the gradebook and
 * the class report are rebuilt from them, never patched. A worker writes
 * ID.txt, then ID.json, each atomically; the JSON report carries the
 * submission's fingerprint and the time it was graded. A student is done
 * when ID.json reads back as a complete report of this rubric (every
 * exercise and test, in order) with the fingerprint the folder has now and
 * ID.txt exists beside it. Anything less (missing, cut short, another
 * assignment, a changed submission) means "grade again", so an interrupted
 * batch resumes exactly where its finished work ends.
 */
#ifndef BATCH_RECORD_H
#define BATCH_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "grade.h"
#include "pack.h"

/* Status of a row whose submission the grader could not grade. */
#define BREC_GRADER_ERROR "grader_error"

typedef struct {
    char *id;
    char *status;            /* graded, compile_error, not_accepted, refused, or grader_error */
    bool graded;             /* false for grader_error: no scores */
    double *scores;          /* per exercise, rubric order */
    double total;
    size_t ntests;           /* every test of the rubric, exercise by exercise */
    bool *passed;
    char **messages;         /* student_message of each failed test (NULL when it passed) */
    char *why;               /* grader_error: what went wrong */
    char graded_at[32];      /* UTC, ISO 8601 */
} brec;

/* Writes ID.txt and ID.json for a graded submission. */
int brec_write(const char *reports_dir, const char *id, const char *fingerprint, const pack *p,
               const grade_result *g, hr_error *err);

/* Reads the finished record of id. 1: done (out filled); 0: not done (no
 * report, an incomplete or stale one: grade it). Never fails otherwise.
 * fingerprint NULL: any (a report a worker has just written). */
int brec_load(const char *reports_dir, const char *id, const char *fingerprint, const pack *p,
              brec *out);

/* A row for a submission that could not be graded (why: one sentence). */
int brec_failed(const char *id, const pack *p, const char *why, brec *out);

void brec_free(brec *r);

/* Total number of tests of a pack's rubric. */
size_t brec_count_tests(const pack *p);

#endif
