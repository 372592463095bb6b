/*
 * batch — grade a whole class: every subfolder of a folder is one student.
 *
 * Submissions are graded in parallel, each in its own sandbox slot, so one
 * hostile submission cannot change another's grade. The gradebook (CSV: id,
 * each exercise, total, status) and one report per student are written
 * atomically as each submission finishes; a batch that is interrupted and
 * started again grades only what is not done yet, and never loses or repeats
 * a row.
 */
#ifndef BATCH_H
#define BATCH_H

#include <stdbool.h>

#include "cli.h"
#include "error.h"
#include "pack.h"

typedef struct {
    const cli_options *cli;       /* batch, jobs, csv, reports, class_report, progress... */
    const pack *pack;
    const char *public_include;
    const char *runner_base;
} batch_context;

/* Grades the batch. 0 when every submission got a report (whatever its
 * score); -1 with err when the grader itself failed. Stopped by SIGINT,
 * SIGTERM or SIGHUP, it keeps what is finished (gradebook and class report
 * included) and then ends the process by that same signal, as an interrupted
 * program should; the next run resumes. */
int batch_run(const batch_context *ctx, hr_error *err);

#endif
