/*
 * grader — the instructor's entry point (grade.sh runs it).
 *
 *   grader --assignment DIR [options] SUBMISSION
 *   grader --assignment DIR --batch FOLDER [--shard K/N] [options]
 *   grader --assignment DIR --merge OUT REPORTS...
 *   grader --packs BUILD [--assignment NAME] ...
 *
 * DIR is an assignment built by make (pack.json, runner-base.o, include/);
 * with --packs, the assignment is BUILD/NAME, or the one whose file the
 * submission holds (choose.h).
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
#include "batch_merge.h"
#include "choose.h"
#include "cleanup.h"
#include "cli.h"
#include "fsutil.h"
#include "grade.h"
#include "report.h"
#include "report_platforms.h"
#include "toolchain.h"

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

/* The build steps' commands probed by make (toolchain.h), beside this program.
 * Without them every step runs gcc's driver: the same build, slower. */
static void use_probed_toolchain(void)
{
    char exe[4096], why[512];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 32);
    if (n <= 0)
        return;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return;
    strcpy(slash + 1, "toolchain.json");
    hr_error err = {{0}};
    int rc = toolchain_load(exe, why, sizeof why, &err);
    /* absent is a layout without it; present but unusable, the staff's to know */
    if (rc < 0 || (rc == 1 && access(exe, F_OK) == 0))
        fprintf(stderr, "grade.sh: note: %s; each build step runs gcc's driver instead (make probes again)\n",
                rc < 0 ? err.msg : why);
}

static void free_assignment(assignment *a)
{
    pack_free(&a->pack);
    free(a->include);
    free(a->runner_base);
}

/* Opens --output (or stdout), lets write fill it, closes it. */
static int with_output(const cli_options *o, int (*write)(FILE *, const void *, hr_error *),
                       const void *arg, hr_error *err)
{
    FILE *out = o->output ? fopen(o->output, "w") : stdout;
    if (!out)
        return hr_fail(err, "cannot write %s", o->output);
    int rc = write(out, arg, err);
    if (out != stdout && fclose(out) != 0)
        rc = hr_fail(err, "cannot write %s", o->output);
    return rc;
}

typedef struct {
    const cli_options *o;
    const assignment *a;
    const grade_result *g;   /* NULL: nothing was graded (an unknown platform part) */
} report_job;

static int write_report(FILE *out, const void *arg, hr_error *err)
{
    const report_job *j = arg;
    if (report_is_platform(j->o->format))
        return report_platform_write(out, j->o->format, &j->a->pack, j->g, j->o->part, err);
    bool color = j->o->color < 0 ? (!j->o->output && isatty(1)) : j->o->color;
    return report_write(out, j->o->format, &j->a->pack, j->g, color, err);
}

typedef struct {
    report_format format;
    const char *why;
} fault_job;

static int write_fault(FILE *out, const void *arg, hr_error *err)
{
    const fault_job *j = arg;
    return report_platform_fault_write(out, j->format, j->why, err);
}

/* A platform's student must hear that the grader failed, never a silence:
 * the fault goes into the report they read (and to stderr, the staff's log). */
static int tell_fault(const cli_options *o, const char *why, hr_error *err)
{
    fault_job j = {o->format, why};
    return report_is_platform(o->format) ? with_output(o, write_fault, &j, err) : 0;
}

static int grade_one(const cli_options *o, const assignment *a, hr_error *err)
{
    if (o->format == REPORT_COURSERA && !report_part_known(&a->pack.rubric, o->part)) {
        report_job j = {o, a, NULL};   /* the report says which parts exist */
        return with_output(o, write_report, &j, err);
    }
    sb_options so = {.no_namespaces = o->no_namespaces};
    sb_box *box = sb_open(&so, err);
    if (!box)
        return -1;
    /* as root, programs run as the sandbox uid: without a private view they
     * open paths in the work folder themselves */
    uid_t sandbox_uid;
    gid_t sandbox_gid;
    sb_identity(box, &sandbox_uid, &sandbox_gid);
    const char *tmp = fs_temp_base(sandbox_uid != geteuid() && !sb_has_private_view(box));
    char *work_parent = fs_make_temp_dir(tmp, "grader", err);
    if (!work_parent) {
        sb_close(box);
        return -1;
    }
    chmod(work_parent, 0711);   /* the sandbox uid passes through to its own folder */
    /* whatever ends the grader, its work folder and sandbox roots go */
    if (cleanup_watch(o->keep_work ? NULL : work_parent, err) != 0) {
        fs_remove_tree(work_parent, &(hr_error){{0}});
        free(work_parent);
        sb_close(box);
        return -1;
    }
    grade_context ctx = {&a->pack, box, a->include, a->runner_base, work_parent, o->keep_work, true};
    grade_result g;
    int rc = grade_submission(&ctx, o->submission, &g, err);
    if (rc == 0) {
        report_job j = {o, a, &g};
        rc = with_output(o, write_report, &j, err);
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
    cleanup_done();
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
    if (o.fault) {
        if (tell_fault(&o, o.fault, &err) != 0) {
            fprintf(stderr, "grade.sh: %s\n", err.msg);
            return EXIT_FAULT;
        }
        return 0;
    }
    use_probed_toolchain();
    char *chosen = NULL;
    if (o.packs && (!o.assignment || !strchr(o.assignment, '/'))) {
        if (choose_assignment(o.packs, o.assignment, o.batch ? o.batch : o.submission, o.batch != NULL, &chosen,
                              why, sizeof why) != 0) {
            fprintf(stderr, "grade.sh: %s\n", why);
            return EXIT_USAGE;
        }
        o.assignment = chosen;
    }
    assignment a;
    int rc = load_assignment(o.assignment, &a, &err);
    batch_options bo = {o.assignment, o.batch, o.jobs, o.csv, o.reports, o.class_report, o.keep_work,
                        o.no_namespaces, o.progress, o.shard_k, o.shard_n, o.merge, o.merge_dirs, o.nmerge};
    if (rc == 0 && o.batch) {
        batch_context ctx = {&bo, &a.pack, a.include, a.runner_base};
        rc = batch_run(&ctx, &err);
    } else if (rc == 0 && o.merge) {
        batch_context ctx = {&bo, &a.pack, a.include, a.runner_base};
        rc = batch_merge(&ctx, &err);
    } else if (rc == 0) {
        rc = grade_one(&o, &a, &err);
    }
    if (rc != 0) {
        fprintf(stderr, "grade.sh: %s\n", err.msg);
        hr_error ignored;
        if (!o.batch && !o.merge)
            tell_fault(&o, err.msg, &ignored);
    }
    free_assignment(&a);
    free(chosen);
    if (fflush(stdout) != 0)
        rc = -1;
    return rc == 0 ? 0 : EXIT_FAULT;
}
