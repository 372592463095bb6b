/* batch — see batch.h.
 *
 *   list the students (batch_roster) ─> keep those with a finished report
 *   (batch_record) ─> grade the rest in worker processes (batch_pool), each
 *   worker one submission in its own sandbox slot, writing its reports
 *   ─> at most once a second and at the end: rebuild the gradebook (gradebook)
 *   ─> at the end: the class page (class_report)
 *
 * Only workers write per-student reports, and only the parent writes the
 * gradebook and the class page, from those reports: a killed worker leaves no
 * half result anywhere that counts, and a killed parent leaves reports that
 * the next run trusts and a gradebook that is whole. The gradebook is not
 * rewritten after every student: that cost the parent O(n) per student (6 ms
 * each on average in a class of 200), time taken from the workers' cores.
 */
#include "batch.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "batch_pool.h"
#include "batch_progress.h"
#include "batch_record.h"
#include "batch_roster.h"
#include "batch_shard.h"
#include "class_report.h"
#include "cleanup.h"
#include "fsutil.h"
#include "gradebook.h"
#include "grade.h"
#include "report.h"

typedef struct {
    const batch_context *ctx;
    char *csv, *reports, *class_report;   /* where the outputs go */
    char *csv_dir, *class_dir;            /* their folders (not students) */
    char *work_parent;                    /* this run's private build folders */
    uint64_t salt;                        /* the assignment's part of every fingerprint */
    uint64_t key;                         /* keys the output markers: a hash of the pack */
    char *moved[4];                       /* sentences: default outputs that had to go elsewhere */
    roster roster;                        /* with --shard, this shard's share only */
    char (*fps)[ROSTER_FINGERPRINT_LEN];  /* per student, taken when planning */
    brec **rows;                          /* per student, NULL until finished */
    size_t finished, graded_now, failed_now;
    char first_failure[1200];
    bool write_failed;
    hr_error write_err;                   /* the first gradebook write that failed */
    bool book_stale;                      /* rows finished since the gradebook was written */
    double book_written_at;
    bprog progress;
} batch;

/* ---- setting up ------------------------------------------------------------------ */

static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* A worker killed while writing leaves ID.json.tmpXXXXXX behind (see
 * fs_write_atomic); nothing reads those, so they go. */
static void remove_stale_temps(const char *reports)
{
    DIR *d = opendir(reports);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (!fnmatch("?*.json.tmp??????", e->d_name, FNM_PERIOD) ||
            !fnmatch("?*.txt.tmp??????", e->d_name, FNM_PERIOD))
            unlinkat(dirfd(d), e->d_name, 0);
    if (d)
        closedir(d);
}

/* Is dir a folder directly inside parent? */
static bool inside(const char *dir, const char *parent)
{
    char *up = fs_join(dir, "..");
    struct stat a, b;
    bool yes = up && stat(up, &a) == 0 && stat(parent, &b) == 0 && a.st_dev == b.st_dev &&
               a.st_ino == b.st_ino && stat(dir, &b) == 0 && (b.st_dev != a.st_dev || b.st_ino != a.st_ino);
    free(up);
    return yes;
}

/* Leaves the marker that keeps later runs from taking dir for a student:
 * always in the reports folder; in the gradebook's and the page's folders
 * only when they sit in the batch folder (never in someone's home folder). */
static int mark_output(const batch *b, const char *dir, const char *only_inside, hr_error *err)
{
    if (only_inside && !inside(dir, only_inside))
        return 0;
    struct stat st;
    if (stat(dir, &st) != 0)
        return hr_fail(err, "cannot read %s", dir);
    if (roster_is_output(dir, b->key))
        return 0;
    char text[ROSTER_MARKER_MAX];
    roster_marker_text(b->key, (unsigned long long)st.st_dev, (unsigned long long)st.st_ino, text, sizeof text);
    char *path = fs_join(dir, ROSTER_OUTPUT_MARKER);
    int rc = path ? fs_write_atomic(path, text, strlen(text), err) : hr_fail(err, "out of memory");
    free(path);
    return rc;
}

/* The hidden folder of the batch that takes default outputs whose place a
 * student's folder holds. Hidden: never a student. */
#define BATCH_HIDDEN_OUTPUTS ".grader-batch"

/* Where a default output goes: DIR/name, unless an entry the batch did not
 * make holds that name (a student's folder called grades.csv or
 * class-report.html; a folder called reports without this batch's marker; a
 * symbolic link): then DIR/.grader-batch/name, said out loud, and the
 * student's folder is graded like any other. */
static char *default_output(batch *b, const char *name, bool folder, hr_error *err)
{
    const char *dir = b->ctx->cli->batch;
    char *path = fs_join(dir, name);
    struct stat st;
    if (!path || lstat(path, &st) != 0)
        return path;   /* free: ours to make */
    bool ours = folder ? S_ISDIR(st.st_mode) && roster_is_output(path, b->key) : S_ISREG(st.st_mode);
    if (ours)
        return path;
    free(path);
    char *hidden = fs_join(dir, BATCH_HIDDEN_OUTPUTS);
    path = hidden ? fs_join(hidden, name) : NULL;
    if (!path || fs_mkdirs(hidden, 0700, err) != 0) {
        free(hidden);
        free(path);
        return NULL;
    }
    free(hidden);
    for (size_t i = 0; i < sizeof b->moved / sizeof *b->moved; i++)
        if (!b->moved[i]) {
            if (asprintf(&b->moved[i], "%s in the batch folder is not this batch's own %s: the %s goes to %s instead",
                         name, folder ? "output folder" : "file", folder ? "reports folder" : name, path) < 0)
                b->moved[i] = NULL;
            break;
        }
    return path;
}

static int output_paths(batch *b, hr_error *err)
{
    const batch_options *o = b->ctx->cli;
    if (o->shard_n) {   /* shards may share one folder (a cluster's file system): one name each */
        unsigned k = o->shard_k, n = o->shard_n;
        if ((!o->csv && asprintf(&b->csv, "%s/shards/grades-%u-of-%u.csv", o->batch, k, n) < 0) ||
            (!o->reports && asprintf(&b->reports, "%s/shards/reports-%u-of-%u", o->batch, k, n) < 0) ||
            (!o->class_report &&
             asprintf(&b->class_report, "%s/shards/class-report-%u-of-%u.html", o->batch, k, n) < 0))
            return hr_fail(err, "out of memory");
    }
    if (!b->csv)
        b->csv = o->csv ? strdup(o->csv) : default_output(b, "grades.csv", false, err);
    if (!b->reports)
        b->reports = o->reports ? strdup(o->reports) : default_output(b, "reports", true, err);
    if (!b->class_report)
        b->class_report = o->class_report ? strdup(o->class_report) : default_output(b, "class-report.html", false, err);
    b->csv_dir = b->csv ? folder_of(b->csv) : NULL;
    b->class_dir = b->class_report ? folder_of(b->class_report) : NULL;
    if (!b->csv || !b->reports || !b->class_report || !b->csv_dir || !b->class_dir)
        return hr_fail(err, "out of memory");
    /* the reports hold hidden tests' details: the instructor's eyes only */
    if (fs_mkdirs(b->reports, 0700, err) != 0 || fs_mkdirs(b->csv_dir, 0755, err) != 0 ||
        fs_mkdirs(b->class_dir, 0755, err) != 0)
        return hr_wrap(err, "cannot prepare the batch's outputs");
    remove_stale_temps(b->reports);
    if (mark_output(b, b->reports, NULL, err) != 0 || mark_output(b, b->csv_dir, o->batch, err) != 0 ||
        mark_output(b, b->class_dir, o->batch, err) != 0)
        return hr_wrap(err, "cannot prepare the batch's outputs");
    return 0;
}

/* The assignment as built: a new pack or runner means every report is stale. */
static int assignment_salt(batch *b, hr_error *err)
{
    if (shard_build_salt(b->ctx->cli->assignment, &b->salt, err) != 0)
        return -1;
    /* the pack alone keys the output markers: they stay valid when the runner is rebuilt */
    char *path = fs_join(b->ctx->cli->assignment, "pack.json");
    size_t len = 0;
    char *data = path ? fs_slurp(path, 256u << 20, &len, err) : NULL;
    bool read = data != NULL;
    if (read)
        b->key = roster_hash(ROSTER_HASH_INIT ^ 0x6d61726b6572ULL, data, len);
    free(path);
    free(data);
    return read ? 0 : hr_wrap(err, "cannot read the built assignment");
}

/* With --shard K/N: keeps the students whose id hashes to K (the order stays sorted). */
static void keep_share(batch *b)
{
    const batch_options *o = b->ctx->cli;
    size_t kept = 0;
    for (size_t i = 0; o->shard_n && i < b->roster.n; i++) {
        roster_student *s = &b->roster.students[i];
        if (shard_of(s->id, o->shard_n) == o->shard_k) {
            b->roster.students[kept++] = *s;
        } else {
            free(s->id);
            free(s->path);
        }
    }
    if (o->shard_n)
        b->roster.n = kept;
}

static int list_students(batch *b, hr_error *err)
{
    struct stat st;
    const char *dir = b->ctx->cli->batch;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return hr_fail(err, "%s is not a folder: --batch takes a folder with one subfolder per student", dir);
    const char *exclude[] = {b->reports, b->csv_dir, b->class_dir, NULL};
    if (roster_list(dir, exclude, b->key, &b->roster, err) != 0)
        return -1;
    keep_share(b);
    b->rows = calloc(b->roster.n + 1, sizeof *b->rows);
    b->fps = calloc(b->roster.n + 1, sizeof *b->fps);
    return b->rows && b->fps ? 0 : hr_fail(err, "out of memory");
}

/* Takes every finished report that still matches its submission. */
static size_t *plan(batch *b, size_t *ntodo)
{
    size_t *todo = calloc(b->roster.n + 1, sizeof *todo);
    *ntodo = 0;
    for (size_t i = 0; todo && i < b->roster.n; i++) {
        char *fp = b->fps[i];
        roster_fingerprint(b->roster.students[i].path, b->salt, fp);
        brec rec;
        if (brec_load(b->reports, b->roster.students[i].id, fp, b->ctx->pack, &rec) == 1) {
            if ((b->rows[i] = malloc(sizeof rec)) != NULL) {
                *b->rows[i] = rec;
                b->finished++;
                continue;
            }
            brec_free(&rec);
        }
        todo[(*ntodo)++] = i;
    }
    return todo;
}

/* ---- the outputs --------------------------------------------------------------- */

/* The finished rows, in roster order (a new array of borrowed pointers). */
static const brec **finished_rows(const batch *b, size_t *n)
{
    const brec **rows = calloc(b->roster.n + 1, sizeof *rows);
    *n = 0;
    for (size_t i = 0; rows && i < b->roster.n; i++)
        if (b->rows[i])
            rows[(*n)++] = b->rows[i];
    return rows;
}

static int write_gradebook(batch *b, hr_error *err)
{
    size_t n;
    const brec **rows = finished_rows(b, &n);
    if (!rows)
        return hr_fail(err, "out of memory");
    int rc = gradebook_write(b->csv, &b->ctx->pack->rubric, rows, n, err);
    free(rows);
    return rc;
}

static int write_class_report(batch *b, hr_error *err)
{
    size_t n;
    const brec **rows = finished_rows(b, &n);
    if (!rows)
        return hr_fail(err, "out of memory");
    char when[64];
    classrep_timestamp(when, sizeof when);
    classrep_input in = {b->ctx->pack, rows, n, b->roster.n, when};
    int rc = classrep_write(b->class_report, &in, err);
    free(rows);
    return rc;
}

/* Rewrites the gradebook if rows finished since, and a second has passed or
 * force; the first failure is kept for the end and said once. */
static void update_gradebook(batch *b, bool force)
{
    double now = clock_now_s();
    if (!b->book_stale || (!force && now - b->book_written_at < 1.0))
        return;
    hr_error err;
    if (write_gradebook(b, &err) != 0 && !b->write_failed) {
        b->write_failed = true;
        b->write_err = err;
        bprog_say(&b->progress, err.msg);
    }
    b->book_stale = false;
    b->book_written_at = now;
}

/* ---- one student (in a worker process) ----------------------------------------- */

static int grade_student(void *arg, size_t item, int slot, hr_error *err)
{
    const batch *b = arg;
    const batch_context *ctx = b->ctx;
    const roster_student *s = &b->roster.students[item];
    /* taken before grading: a change made while grading shows on the next run */
    char fp[ROSTER_FINGERPRINT_LEN];
    roster_fingerprint(s->path, b->salt, fp);
    sb_options so = {.slot = slot, .no_namespaces = ctx->cli->no_namespaces};
    sb_box *box = sb_open(&so, err);
    if (!box)
        return -1;
    /* the batch's jobs already use every core: memory checks after the tests */
    grade_context gc = {ctx->pack, box, ctx->public_include, ctx->runner_base, b->work_parent,
                        ctx->cli->keep_work, false};
    grade_result g;
    int rc = grade_submission(&gc, s->path, &g, err);
    if (rc == 0)
        rc = brec_write(b->reports, s->id, fp, ctx->pack, &g, err);
    grade_result_free(&g);
    sb_close(box);
    return rc;
}

/* ---- the parent's callbacks ------------------------------------------------------ */

static void note_failure(batch *b, const char *id, const char *why)
{
    b->failed_now++;
    if (!b->first_failure[0]) {   /* it ends up in the grader's last message, raw */
        char shown[1100];
        snprintf(shown, sizeof shown, "%s: %s", id, why);
        bprog_printable(b->first_failure, sizeof b->first_failure, shown);
    }
    char line[1300];
    snprintf(line, sizeof line, "%s could not be graded: %s", id, why);
    bprog_say(&b->progress, line);
}

/* The row of a finished worker: its report read back, or a grader_error row. */
static brec *finished_row(batch *b, size_t item, bpool_outcome o, const char *why)
{
    const roster_student *s = &b->roster.students[item];
    brec *rec = calloc(1, sizeof *rec);
    if (!rec)
        return NULL;
    if (o == BPOOL_OK && brec_load(b->reports, s->id, NULL, b->ctx->pack, rec) == 1)
        return rec;
    const char *reason = o == BPOOL_OK ? "its report could not be read back" : why;
    if (brec_failed(s->id, b->ctx->pack, reason, rec) != 0) {
        free(rec);
        return NULL;
    }
    note_failure(b, s->id, reason);
    return rec;
}

static void on_finished(void *arg, size_t item, bpool_outcome o, const char *why)
{
    batch *b = arg;
    if (o == BPOOL_STOPPED)
        return;   /* not done: the next run grades it */
    brec *rec = finished_row(b, item, o, why);
    if (!rec)
        return;
    b->rows[item] = rec;
    b->finished++;
    b->graded_now += rec->graded;
    char what[160], got[32], max[32];
    if (rec->graded)
        snprintf(what, sizeof what, "%s/%s (%s)", report_points(rec->total, got),
                 report_points(b->ctx->pack->rubric.total, max), rec->status);
    else
        snprintf(what, sizeof what, "%s", rec->status);
    bprog_finished(&b->progress, rec->id, what);
    b->book_stale = true;
    update_gradebook(b, false);
}

static void on_tick(void *arg, size_t running)
{
    batch *b = arg;
    update_gradebook(b, false);
    bprog_tick(&b->progress, running);
}

static void on_stopping(void *arg, int sig, size_t running)
{
    batch *b = arg;
    char line[300];
    snprintf(line, sizeof line, "SIG%s: starting nothing more; %zu submission%s in progress get %g s to "
             "finish (signal again to stop them now)", sigabbrev_np(sig), running, running == 1 ? "" : "s",
             BPOOL_GRACE_S);
    bprog_say(&b->progress, line);
}

/* ---- the run ------------------------------------------------------------------- */

static int jobs_wanted(const batch_options *o, size_t ntodo)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long jobs = o->jobs > 0 ? o->jobs : cores > 0 ? cores : 1;
    if ((size_t)jobs > ntodo)
        jobs = ntodo ? (long)ntodo : 1;
    return (int)jobs;
}

static int grade_pending(batch *b, const size_t *todo, size_t ntodo, hr_error *err)
{
    /* as root without namespaces, the sandbox uids open paths in it themselves */
    const char *tmp = fs_temp_base(geteuid() == 0 && b->ctx->cli->no_namespaces);
    b->work_parent = fs_make_temp_dir(tmp, "grader-batch", err);
    if (!b->work_parent)
        return -1;
    chmod(b->work_parent, 0711);   /* the sandbox uids pass through to their own folders */
    /* whatever ends the batch, its build folders and sandbox roots go */
    if (cleanup_watch(b->ctx->cli->keep_work ? NULL : b->work_parent, err) != 0)
        return -1;
    /* every worker opens a box per student: the probe and the filters once, here */
    sb_options so = {.no_namespaces = b->ctx->cli->no_namespaces};
    sb_prepare(&so);
    bpool_callbacks cb = {grade_student, on_finished, on_tick, on_stopping, b};
    b->book_written_at = clock_now_s();   /* run() has just written it */
    int rc = bpool_run(todo, ntodo, jobs_wanted(b->ctx->cli, ntodo), &cb, err);
    update_gradebook(b, true);      /* whether every student ran or a signal stopped the pool */
    bprog_end(&b->progress);
    if (b->ctx->cli->keep_work) {
        fprintf(stderr, "grade.sh: the build folders are kept in %s\n", b->work_parent);
    } else {
        hr_error ignored;
        fs_remove_tree(b->work_parent, &ignored);
    }
    cleanup_done();
    return rc;
}

static void print_summary(const batch *b, int sig)
{
    if (sig > 0)
        fprintf(stderr, "grade.sh: interrupted by SIG%s: %zu of %zu students are finished and kept; run "
                "the same command again to grade the other %zu\n", sigabbrev_np(sig), b->finished,
                b->roster.n, b->roster.n - b->finished);
    char share[64] = "";
    if (b->ctx->cli->shard_n)
        snprintf(share, sizeof share, " (shard %u of %u)", b->ctx->cli->shard_k, b->ctx->cli->shard_n);
    fprintf(stderr, "grade.sh: %zu students in %s%s (%zu graded now); gradebook %s, reports in %s, "
            "class report %s\n", b->roster.n, b->ctx->cli->batch, share, b->graded_now, b->csv, b->reports,
            b->class_report);
}

/* What this run grades, for grade.sh --merge (see batch_shard.h). */
static int write_manifest(batch *b, hr_error *err)
{
    const batch_options *o = b->ctx->cli;
    shard_manifest m = {NULL, (char *)b->ctx->pack->rubric.assignment, b->salt, o->shard_n ? o->shard_k : 1,
                        o->shard_n ? o->shard_n : 1, calloc(b->roster.n + 1, sizeof *m.students), b->roster.n};
    if (!m.students)
        return hr_fail(err, "out of memory");
    for (size_t i = 0; i < b->roster.n; i++) {
        m.students[i].id = b->roster.students[i].id;
        memcpy(m.students[i].fingerprint, b->fps[i], ROSTER_FINGERPRINT_LEN);
    }
    int rc = shard_manifest_write(b->reports, &m, err);
    free(m.students);
    return rc;
}

static int run(batch *b, hr_error *err)
{
    if (assignment_salt(b, err) != 0 || output_paths(b, err) != 0 || list_students(b, err) != 0)
        return -1;
    size_t ntodo = 0;
    size_t *todo = plan(b, &ntodo);
    if (!todo)
        return hr_fail(err, "out of memory");
    if (write_manifest(b, err) != 0) {
        free(todo);
        return -1;
    }
    int progress = b->ctx->cli->progress;
    bprog_start(&b->progress, stderr, progress < 0 ? isatty(2) : progress, b->roster.n, b->finished);
    for (size_t i = 0; i < sizeof b->moved / sizeof *b->moved && b->moved[i]; i++)
        bprog_say(&b->progress, b->moved[i]);
    for (size_t i = 0; b->roster.skipped && b->roster.skipped[i]; i++) {
        char line[600];
        snprintf(line, sizeof line, "skipped %s", b->roster.skipped[i]);
        bprog_say(&b->progress, line);
    }
    int rc = write_gradebook(b, err);
    if (rc == 0 && ntodo > 0)
        rc = grade_pending(b, todo, ntodo, err);
    free(todo);
    if (rc >= 0) {
        hr_error cerr;
        if (write_class_report(b, &cerr) != 0) {
            *err = cerr;
            return -1;
        }
        print_summary(b, rc);
    }
    return rc;
}

static void free_batch(batch *b)
{
    for (size_t i = 0; b->rows && i < b->roster.n; i++)
        if (b->rows[i]) {
            brec_free(b->rows[i]);
            free(b->rows[i]);
        }
    free(b->rows);
    free(b->fps);
    roster_free(&b->roster);
    free(b->csv);
    free(b->reports);
    free(b->class_report);
    free(b->csv_dir);
    free(b->class_dir);
    for (size_t i = 0; i < sizeof b->moved / sizeof *b->moved; i++)
        free(b->moved[i]);
    free(b->work_parent);
}

/* Ends the process by sig, as an interrupted program should (a shell loop
 * around the grader then stops too). */
static void die_by(int sig)
{
    fflush(stdout);
    fflush(stderr);
    signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    sigprocmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
}

int batch_run(const batch_context *ctx, hr_error *err)
{
    batch b = {.ctx = ctx};
    int rc = run(&b, err);
    if (rc > 0)
        die_by(rc);
    if (rc == 0 && b.write_failed) {
        *err = b.write_err;
        rc = -1;
    } else if (rc == 0 && b.failed_now > 0) {
        rc = hr_fail(err, "%zu submission%s could not be graded (grader_error in the gradebook; run the batch "
                     "again to retry them); the first: %s", b.failed_now, b.failed_now == 1 ? "" : "s",
                     b.first_failure);
    }
    free_batch(&b);
    return rc > 0 ? hr_fail(err, "interrupted") : rc;
}
