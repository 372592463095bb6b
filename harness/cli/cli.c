/* cli — see cli.h. */
#include "cli.h"
#include "batch_shard.h"
#include "report_platforms.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_usage(FILE *out)
{
    fprintf(out,
            "usage: grade.sh [options] SUBMISSION\n"
            "       grade.sh --batch DIR [options]\n"
            "       grade.sh --batch DIR --shard K/N [options]\n"
            "       grade.sh --merge OUT REPORTS... [--csv FILE] [--class-report FILE]\n"
            "\n"
            "  SUBMISSION            a folder holding the student's file (or the file itself)\n"
            "  --assignment NAME     which assignment (default: the one whose file the folder holds)\n"
            "  --format FORMAT       text (default), json, gradescope, prairielearn or coursera\n"
            "  --output FILE         write the report to FILE instead of stdout\n"
            "  --part ID             coursera: grade the rubric's part ID (default: everything)\n"
            "  --fault TEXT          platform formats: write only the report that tells the student\n"
            "                        the grader failed (TEXT says how), for a wrapper whose grader died\n"
            "  --batch DIR           grade every subfolder of DIR (one per student, named by id)\n"
            "  --jobs N              batch: grade N submissions at once (default: the cores)\n"
            "  --csv FILE            batch: the gradebook (default: DIR/grades.csv)\n"
            "  --reports DIR         batch: one report per student (default: DIR/reports)\n"
            "  --class-report FILE   batch: the class's HTML page (default: DIR/class-report.html)\n"
            "  --shard K/N           batch: grade only share K of N (by a hash of the id); outputs go to\n"
            "                        DIR/shards/ (reports-K-of-N/, grades-K-of-N.csv, class-report-K-of-N.html)\n"
            "  --merge OUT           merge the shards' reports folders (the REPORTS... named after the\n"
            "                        options) into OUT/grades.csv and OUT/class-report.html\n"
            "  --keep-work           keep the build folder and print where it is\n"
            "  --no-namespaces       isolate without namespaces (as in an unprivileged container)\n"
            "  --color, --no-color   colour the text report (default: when stdout is a terminal)\n"
            "  --no-progress         batch: plain lines instead of a progress bar\n"
            "  -h, --help            this help\n");
}

static int parse_jobs(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 1 || v > 256)
        return -1;
    *out = (int)v;
    return 0;
}

int cli_parse(int argc, char **argv, cli_options *o, char *why, size_t whylen)
{
    enum { O_ASSIGNMENT = 256, O_FORMAT, O_OUTPUT, O_BATCH, O_JOBS, O_CSV, O_REPORTS, O_CLASS,
           O_KEEP, O_NONS, O_COLOR, O_NOCOLOR, O_NOPROGRESS, O_PART, O_FAULT, O_PACKS, O_SHARD, O_MERGE };
    static const struct option longs[] = {
        {"assignment", required_argument, NULL, O_ASSIGNMENT},
        {"packs", required_argument, NULL, O_PACKS},
        {"format", required_argument, NULL, O_FORMAT},
        {"output", required_argument, NULL, O_OUTPUT},
        {"part", required_argument, NULL, O_PART},
        {"fault", required_argument, NULL, O_FAULT},
        {"batch", required_argument, NULL, O_BATCH},
        {"jobs", required_argument, NULL, O_JOBS},
        {"csv", required_argument, NULL, O_CSV},
        {"reports", required_argument, NULL, O_REPORTS},
        {"class-report", required_argument, NULL, O_CLASS},
        {"shard", required_argument, NULL, O_SHARD},
        {"merge", required_argument, NULL, O_MERGE},
        {"keep-work", no_argument, NULL, O_KEEP},
        {"no-namespaces", no_argument, NULL, O_NONS},
        {"color", no_argument, NULL, O_COLOR},
        {"no-color", no_argument, NULL, O_NOCOLOR},
        {"no-progress", no_argument, NULL, O_NOPROGRESS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    *o = (cli_options){.format = REPORT_TEXT, .color = -1, .progress = -1};
    optind = 1;
    opterr = 0;
    int c;
    /* GNU getopt permutes argv: options may come before or after the folder */
    while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
        switch (c) {
        case O_ASSIGNMENT: o->assignment = optarg; break;
        case O_PACKS: o->packs = optarg; break;
        case O_FORMAT:
            if (report_format_parse(optarg, &o->format) != 0) {
                snprintf(why, whylen, "unknown format '%s' (text, json, gradescope, prairielearn or coursera)",
                     optarg);
                return -1;
            }
            break;
        case O_OUTPUT: o->output = optarg; break;
        case O_PART: o->part = optarg; break;
        case O_FAULT: o->fault = optarg; break;
        case O_BATCH: o->batch = optarg; break;
        case O_JOBS:
            if (parse_jobs(optarg, &o->jobs) != 0) {
                snprintf(why, whylen, "--jobs takes a number from 1 to 256, not '%s'", optarg);
                return -1;
            }
            break;
        case O_CSV: o->csv = optarg; break;
        case O_REPORTS: o->reports = optarg; break;
        case O_CLASS: o->class_report = optarg; break;
        case O_SHARD:
            if (shard_parse(optarg, &o->shard_k, &o->shard_n, why, whylen) != 0)
                return -1;
            break;
        case O_MERGE: o->merge = optarg; break;
        case O_KEEP: o->keep_work = true; break;
        case O_NONS: o->no_namespaces = true; break;
        case O_COLOR: o->color = 1; break;
        case O_NOCOLOR: o->color = 0; break;
        case O_NOPROGRESS: o->progress = 0; break;
        case 'h': o->help = true; return 0;
        case ':':
            snprintf(why, whylen, "%s needs a value", argv[optind - 1]);
            return -1;
        default:
            /* in a cluster (-xy) optind has not moved past the argument yet */
            if (optopt)
                snprintf(why, whylen, "unknown option '-%c'", optopt);
            else
                snprintf(why, whylen, "unknown option '%s'", argv[optind - 1]);
            return -1;
        }
    }
    int rest = argc - optind;
    if (o->part && o->format != REPORT_COURSERA) {
        snprintf(why, whylen, "--part goes with --format coursera");
        return -1;
    }
    if (o->fault) {   /* a wrapper's last word: no assignment, no submission needed */
        if (report_is_platform(o->format) && rest == 0 && !o->batch)
            return 0;
        snprintf(why, whylen, "--fault goes with a platform --format (gradescope, prairielearn, coursera) "
                 "and grades nothing");
        return -1;
    }
    if (o->shard_n && !o->batch) {
        snprintf(why, whylen, "--shard K/N goes with --batch DIR");
        return -1;
    }
    if (o->merge) {
        if (o->batch || o->reports || o->jobs) {
            snprintf(why, whylen, "--merge grades nothing: it takes no --batch, --reports or --jobs");
            return -1;
        }
        if (rest == 0) {
            snprintf(why, whylen, "--merge OUT needs the shards' reports folders after it");
            return -1;
        }
        o->merge_dirs = argv + optind;
        o->nmerge = (size_t)rest;
    } else if (o->batch && rest > 0) {
        snprintf(why, whylen, "--batch grades a folder of submissions; do not name one besides it");
        return -1;
    }
    if (!o->batch && !o->merge && rest != 1) {
        snprintf(why, whylen, rest == 0 ? "which submission? give its folder" : "give one submission folder");
        return -1;
    }
    if (!o->batch && !o->merge)
        o->submission = argv[optind];
    if (!o->batch && !o->merge && (o->csv || o->reports || o->class_report || o->jobs)) {
        snprintf(why, whylen, "--jobs, --csv, --reports and --class-report go with --batch");
        return -1;
    }
    if (!o->assignment && !o->packs) {
        snprintf(why, whylen, "--assignment is missing (use grade.sh, which sets it)");
        return -1;
    }
    return 0;
}
