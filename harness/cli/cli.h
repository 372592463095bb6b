/*
 * cli — the grader's command line, parsed into a struct.
 *
 * One parser for every way the grader is started (one submission, a batch,
 * a platform's wrapper), so that options mean the same everywhere and may come
 * before or after the folder. Parsing never exits: it returns an error text
 * for grade.sh to print with the usage.
 */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>

#include "report.h"

typedef struct {
    const char *assignment;     /* --assignment: a built assignment folder, or a name in packs */
    const char *packs;          /* --packs DIR: the build folder holding every built assignment */
    const char *submission;     /* one submission folder or file */
    const char *batch;          /* --batch DIR: every subfolder is a student */
    int jobs;                   /* --jobs N (0: the number of cores) */
    const char *csv;            /* --csv FILE (batch; default DIR/grades.csv) */
    const char *reports;        /* --reports DIR (batch; default DIR/reports) */
    const char *class_report;   /* --class-report FILE (batch; default DIR/class-report.html) */
    unsigned shard_k, shard_n;  /* --shard K/N: this run grades share K of N (0/0: the whole class) */
    const char *merge;          /* --merge OUT: merge the shards' reports folders into OUT */
    char *const *merge_dirs;    /* ... the reports folders (the words after the options) */
    size_t nmerge;
    const char *output;         /* --output FILE: write the report there, not to stdout */
    report_format format;
    const char *part;           /* --part ID: the platform's part (coursera; default: all) */
    const char *fault;          /* --fault TEXT: only write the format's "grader failed" report */
    bool keep_work;
    bool no_namespaces;
    int color;                  /* -1: when stdout is a terminal */
    int progress;               /* -1: when stderr is a terminal */
    bool help;
} cli_options;

/* 0, or -1 with why (for the usage message). */
int cli_parse(int argc, char **argv, cli_options *o, char *why, size_t whylen);
void cli_usage(FILE *out);

#endif
