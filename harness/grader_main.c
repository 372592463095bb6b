/*
 * grader — the instructor's entry point (grade.sh runs it).
 *
 *   grader --assignment DIR [options] SUBMISSION
 *   grader --assignment DIR --batch FOLDER [options]
 *
 * DIR is an assignment built by make (pack.json, runner-base.o, include/).
 * Exit status: 0 whenever a report was written, whatever the score (a compile
 * error is a graded result); 2 for a usage error; 1 when the grader itself
 * failed. With a JSON format, stdout holds the report and nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "fsutil.h"
#include "grade.h"
#include "report.h"

#define EXIT_USAGE 2
#define EXIT_FAULT 1

typedef struct {
    pack pack;
    char *include;       /* absolute paths inside the built assignment */
    char *runner_base;
} assignment;

static int load_assignment(const char *dir, assignment *a, hr_error *err)
{
    memset(a, 0, sizeof *a);
    char *base = fs_join(dir, "runner-base.o"), *inc = fs_join(dir, "include");
    char *pack_path = fs_join(dir, "pack.json");
    a->runner_base = base ? realpath(base, NULL) : NULL;
    a->include = inc ? realpath(inc, NULL) : NULL;
    int rc = 0;
    if (!a->runner_base || !a->include)
        rc = hr_fail(err, "%s is not a built assignment (run make)", dir);
    else
        rc = pack_load(pack_path, &a->pack, err);
    free(base);
    free(inc);
    free(pack_path);
    return rc;
}

static void free_assignment(assignment *a)
{
    pack_free(&a->pack);
    free(a->include);
    free(a->runner_base);
}

static int grade_one(const cli_options *o, const assignment *a, hr_error *err)
{
    sb_options so = {.no_namespaces = o->no_namespaces};
    sb_box *box = sb_open(&so, err);
    if (!box)
        return -1;
    const char *tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char *work_parent = fs_make_temp_dir(tmp, "grader", err);
    if (!work_parent) {
        sb_close(box);
        return -1;
    }
    chmod(work_parent, 0711);   /* the sandbox uid passes through to its own folder */
    grade_context ctx = {&a->pack, box, a->include, a->runner_base, work_parent, o->keep_work};
    grade_result g;
    int rc = grade_submission(&ctx, o->submission, &g, err);
    if (rc == 0) {
        FILE *out = o->output ? fopen(o->output, "w") : stdout;
        if (!out)
            rc = hr_fail(err, "cannot write %s", o->output);
        else {
            bool color = o->color < 0 ? (!o->output && isatty(1)) : o->color;
            rc = report_write(out, o->format, &a->pack, &g, color, err);
            if (out != stdout && fclose(out) != 0)
                rc = hr_fail(err, "cannot write %s", o->output);
        }
        if (g.work_dir)
            fprintf(stderr, "grade.sh: the build folder is kept at %s\n", g.work_dir);
    }
    grade_result_free(&g);
    if (!o->keep_work) {
        hr_error ignored;
        fs_remove_tree(work_parent, &ignored);
    }
    free(work_parent);
    sb_close(box);
    return rc;
}

int main(int argc, char **argv)
{
    cli_options o;
    char why[512];
    if (cli_parse(argc, argv, &o, why, sizeof why) != 0) {
        fprintf(stderr, "grade.sh: %s\n", why);
        cli_usage(stderr);
        return EXIT_USAGE;
    }
    if (o.help) {
        cli_usage(stdout);
        return 0;
    }
    hr_error err = {{0}};
    assignment a;
    if (load_assignment(o.assignment, &a, &err) != 0) {
        fprintf(stderr, "grade.sh: %s\n", err.msg);
        free_assignment(&a);
        return EXIT_FAULT;
    }
    int rc;
    if (o.batch) {
        batch_context ctx = {&o, &a.pack, a.include, a.runner_base};
        rc = batch_run(&ctx, &err);
    } else {
        rc = grade_one(&o, &a, &err);
    }
    if (rc != 0)
        fprintf(stderr, "grade.sh: %s\n", err.msg);
    free_assignment(&a);
    if (fflush(stdout) != 0)
        rc = -1;
    return rc == 0 ? 0 : EXIT_FAULT;
}
