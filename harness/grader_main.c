/*
 * grader — the instructor's entry point (grade.sh runs it).
 *
 *   grader --assignment DIR [--format text|json] [options] SUBMISSION
 *
 * DIR is an assignment built by make (pack.json, runner-base.o, include/).
 * Exit status: 0 whenever a report was written, whatever the score (a compile
 * error is a graded result); 2 for a usage error; 1 when the grader itself
 * failed. With --format json, stdout holds the JSON report and nothing else.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "grade.h"
#include "jsonio.h"
#include "report.h"

#define EXIT_USAGE 2
#define EXIT_FAULT 1

typedef struct {
    const char *assignment;
    const char *format;
    const char *submission;
    bool keep_work;
    bool no_namespaces;
    int color;               /* -1: when stdout is a terminal */
} options;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: grade.sh [options] SUBMISSION\n"
            "  SUBMISSION            a folder holding the student's file (or the file itself)\n"
            "  --format FORMAT       text (default) or json\n"
            "  --keep-work           keep the build folder and print where it is\n"
            "  --no-namespaces       isolate without namespaces (as in an unprivileged container)\n"
            "  --color, --no-color   colour the text report (default: when stdout is a terminal)\n"
            "  --assignment DIR      the built assignment (grade.sh sets it)\n"
            "  -h, --help            this help\n");
}

static int parse_options(int argc, char **argv, options *o)
{
    static const struct option longs[] = {
        {"assignment", required_argument, NULL, 'a'}, {"format", required_argument, NULL, 'f'},
        {"keep-work", no_argument, NULL, 'k'},       {"no-namespaces", no_argument, NULL, 'N'},
        {"color", no_argument, NULL, 'c'},           {"no-color", no_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0}};
    *o = (options){.format = "text", .color = -1};
    int c;
    /* GNU getopt permutes: options may come before or after the folder */
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'a': o->assignment = optarg; break;
        case 'f': o->format = optarg; break;
        case 'k': o->keep_work = true; break;
        case 'N': o->no_namespaces = true; break;
        case 'c': o->color = 1; break;
        case 'C': o->color = 0; break;
        case 'h': usage(stdout); exit(0);
        default: return -1;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "grade.sh: %s\n", optind >= argc ? "which submission? give its folder"
                                                         : "give one submission folder");
        return -1;
    }
    o->submission = argv[optind];
    if (strcmp(o->format, "text") && strcmp(o->format, "json")) {
        fprintf(stderr, "grade.sh: unknown format '%s' (text or json)\n", o->format);
        return -1;
    }
    if (!o->assignment) {
        fprintf(stderr, "grade.sh: --assignment is missing\n");
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    options o;
    if (parse_options(argc, argv, &o) != 0) {
        usage(stderr);
        return EXIT_USAGE;
    }
    hr_error err = {{0}};
    char *pack_path = fs_join(o.assignment, "pack.json");
    char *runner_base = fs_join(o.assignment, "runner-base.o");
    char *include = fs_join(o.assignment, "include");
    char *abs_base = realpath(runner_base, NULL), *abs_inc = realpath(include, NULL);
    pack p;
    if (!abs_base || !abs_inc) {
        fprintf(stderr, "grade.sh: %s is not a built assignment (run make)\n", o.assignment);
        return EXIT_FAULT;
    }
    if (pack_load(pack_path, &p, &err) != 0) {
        fprintf(stderr, "grade.sh: %s\n", err.msg);
        return EXIT_FAULT;
    }
    sb_options so = {.no_namespaces = o.no_namespaces};
    sb_box *box = sb_open(&so, &err);
    const char *tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char *work_parent = box ? fs_make_temp_dir(tmp, "grader", &err) : NULL;
    if (!box || !work_parent) {
        fprintf(stderr, "grade.sh: %s\n", err.msg);
        return EXIT_FAULT;
    }
    chmod(work_parent, 0711);   /* the sandbox uid must reach its own folder inside */
    grade_context ctx = {&p, box, abs_inc, abs_base, work_parent, o.keep_work};
    grade_result g;
    int rc = grade_submission(&ctx, o.submission, &g, &err);
    if (rc != 0) {
        fprintf(stderr, "grade.sh: grading %s failed: %s\n", o.submission, err.msg);
    } else if (!strcmp(o.format, "json")) {
        cJSON *doc = report_json(&p, &g);
        jsonio_print(stdout, doc);
        cJSON_Delete(doc);
    } else {
        report_text(stdout, &p, &g, o.color < 0 ? isatty(1) : o.color);
    }
    if (rc == 0 && g.work_dir)
        fprintf(stderr, "grade.sh: the build folder is kept at %s\n", g.work_dir);
    grade_result_free(&g);
    if (!o.keep_work)
        fs_remove_tree(work_parent, &err);
    sb_close(box);
    pack_free(&p);
    free(work_parent);
    free(pack_path);
    free(runner_base);
    free(include);
    free(abs_base);
    free(abs_inc);
    return rc == 0 && fflush(stdout) == 0 ? 0 : EXIT_FAULT;
}
