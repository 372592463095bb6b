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

#include "error.h"
#include "pack.h"

/* What a batch is asked to do (the command line fills it in: cli.h). */
typedef struct {
    const char *assignment;     /* the built assignment folder */
    const char *batch;          /* the class folder: every subfolder is a student */
    int jobs;                   /* submissions at once (0: the number of cores) */
    const char *csv;            /* the gradebook (NULL: DIR/grades.csv) */
    const char *reports;        /* one report per student (NULL: DIR/reports) */
    const char *class_report;   /* the class's HTML page (NULL: DIR/class-report.html) */
    bool keep_work;             /* keep the build folders */
    bool no_namespaces;         /* isolate without namespaces */
    int progress;               /* a progress bar: 1, 0, -1 when stderr is a terminal */
    unsigned shard_k, shard_n;  /* grade share K of N (0/0: the whole class) */
    const char *merge;          /* a merge: the shards' reports into this folder */
    char *const *merge_dirs;    /* ... these reports folders */
    size_t nmerge;
} batch_options;

typedef struct {
    const batch_options *cli;     /* batch, jobs, csv, reports, class_report, progress... */
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
