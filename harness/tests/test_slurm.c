/*
 * The Slurm way of grading a class (issue 13, platforms/slurm/), for real: a
 * one-node cluster on this machine (munged, slurmctld and slurmd on 127.0.0.1,
 * a generated slurm.conf, everything in a temporary folder: see
 * helpers/slurm-cluster) runs platforms/slurm/grade-class on a class of 200
 * generated submissions: 4 shards as a job array, the merge as a job that
 * waits for them (afterok). The merged gradebook and class page must be the
 * bytes one machine writes grading the whole class. Every daemon is stopped
 * and its folder removed at the end, failed or not.
 *
 * The submissions are load, not fairness (that is test_batch's and
 * test_shard's job): small edits of examples/, mostly correct, the rest wrong,
 * not compiling, or the untouched template. To keep the test within a few
 * minutes on 2 cores it grades with a copy of the built assignment whose pack
 * says `memory_checks: off` (the rubric's switch; the sanitizer build is half
 * of a submission's CPU), the same copy for the one-machine run and the
 * cluster.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "jsonio.h"
#include "testutil.h"

#define NCLASS 200
#define NSHARDS 4

static char *cluster_dir;     /* set while a cluster may be running */
static pid_t daemons[3];

static char *path_of(const char *dir, const char *name)
{
    char *p;
    cr_assert_gt(asprintf(&p, "%s/%s", dir, name), 0);
    return p;
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* Runs argv to its end with stdin empty, stdout and stderr in log, and no
 * other descriptor: the daemons it leaves behind must not hold a pipe of this
 * process open (tu_run's would never see its end). Returns the exit status. */
static int run_detached(const char *const *argv, const char *log)
{
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY), out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0)
            _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(out, 2);
        close_range(3, ~0U, 0);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void stop_cluster(void)
{
    if (!cluster_dir)
        return;
    const char *argv[] = {"harness/tests/helpers/slurm-cluster", "stop", cluster_dir, NULL};
    run_detached(argv, "/dev/null");
    free(cluster_dir);
    cluster_dir = NULL;
}

static pid_t pid_in(const char *dir, const char *name)
{
    char *path = path_of(dir, name);
    char *text = tu_read(path, NULL);
    free(path);
    pid_t pid = text ? (pid_t)atol(text) : 0;
    free(text);
    return pid;
}

/* ---- the class and the assignment it is graded with ------------------------------- */

static const char *const examples[] = {
    "s01-correct-own-style", "s01-correct-own-style", "s01-correct-own-style", "s03-forward-theta-plus-x",
    "s04-gradapprox-over-epsilon", "s07-theta-plus-never-reset", "s08-recomputes-the-gradients",
    "s05-compile-error", "s02-untouched-template", "s09-message-with-percent-f",
};
#define NEXAMPLES (sizeof examples / sizeof *examples)

static char *make_class(void)
{
    char *dir = tu_tmpdir("slurm-class");
    for (size_t i = 0; i < NCLASS; i++) {
        const char *ex = examples[i % NEXAMPLES];
        char *from, *id, *edited;
        cr_assert_gt(asprintf(&from, "examples/gradient_check/%s/gradient_check.c", ex), 0);
        cr_assert_gt(asprintf(&id, "%s/u%04zu-%s", dir, (i * 7919) % 10000, ex + 4), 0);
        char *text = tu_read(from, NULL);
        cr_assert_not_null(text, "no %s", from);
        cr_assert_gt(asprintf(&edited, "/* submission %zu of the load test */\n%s", i, text), 0);
        free(tu_write(id, "gradient_check.c", edited, strlen(edited)));
        free(edited);
        free(text);
        free(from);
        free(id);
    }
    return dir;
}

/* A copy of the built assignment whose pack turns the memory checks off. */
static char *assignment_without_memory_checks(void)
{
    char *dir = tu_tmpdir("slurm-assignment"), *cmd;
    cr_assert_gt(asprintf(&cmd, "cp -r %s/runner-base.o %s/include %s/", TU_ASSIGNMENT, TU_ASSIGNMENT, dir), 0);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    free(cmd);
    hr_error err;
    cJSON *pack = jsonio_read_file(TU_ASSIGNMENT "/pack.json", &err);
    cr_assert_not_null(pack, "%s", err.msg);
    cr_assert_not_null(cJSON_GetObjectItem(pack, "memory_checks"), "the pack has no memory_checks");
    cJSON_ReplaceItemInObject(pack, "memory_checks", cJSON_CreateString("off"));
    char *out = path_of(dir, "pack.json");
    cr_assert_eq(jsonio_write_file(out, pack, &err), 0, "%s", err.msg);
    cJSON_Delete(pack);
    free(out);
    return dir;
}

/* ---- the cluster ------------------------------------------------------------------ */

static char *job_state(const char *id)
{
    const char *argv[] = {"/usr/bin/scontrol", "show", "job", id, NULL};
    tu_result r = tu_run(argv);
    char *state = NULL, *at = strstr(r.out, "JobState=");
    if (r.status == 0 && at)
        state = strndup(at + 9, strcspn(at + 9, " \n"));
    tu_result_free(&r);
    return state;
}

static char *logs_of(const char *class_dir)
{
    char *cmd;
    cr_assert_gt(asprintf(&cmd, "tail -n 5 %s/shards/slurm-*.out 2>&1", class_dir), 0);
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    tu_result r = tu_run(argv);
    free(cmd);
    char *text = strdup(r.out);
    tu_result_free(&r);
    return text;
}

static void expect_same_file(const char *a, const char *b)
{
    size_t la = 0, lb = 0;
    char *ta = tu_read(a, &la), *tb = tu_read(b, &lb);
    cr_assert(ta && tb, "missing %s or %s", a, b);
    cr_expect(la == lb && !memcmp(ta, tb, la), "%s (%zu bytes) and %s (%zu bytes) differ", a, la, b, lb);
    free(ta);
    free(tb);
}

Test(slurm, job_array_and_merge_give_the_one_machine_gradebook, .timeout = 900, .fini = stop_cluster)
{
    static const char *const tools[] = {"/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd",
                                        "/usr/bin/sbatch", "/usr/bin/scontrol"};
    for (size_t i = 0; i < sizeof tools / sizeof *tools; i++)
        cr_assert_eq(access(tools[i], X_OK), 0, "%s is missing: harness/deps.sh --test installs slurm-wlm and "
                     "munge", tools[i]);
    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);   /* the class pages' "Generated" time */
    setenv("GRADER_BUILD", TU_BUILD, 1);             /* grade.sh grades with the build under test */
    char *class_dir = make_class(), *assignment = assignment_without_memory_checks();

    /* one machine, the whole class */
    char *whole = tu_tmpdir("slurm-whole");
    char *csv = path_of(whole, "grades.csv"), *reports = path_of(whole, "reports"),
         *page = path_of(whole, "class-report.html");
    const char *argv[] = {TU_GRADER, "--assignment", assignment, "--batch", class_dir, "--csv", csv, "--reports",
                          reports, "--class-report", page, "--no-progress", NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "the one-machine batch: exit %d: %s", r.status, r.err);
    tu_result_free(&r);

    /* the cluster */
    char *base = tu_tmpdir("slurm-cluster");
    cluster_dir = path_of(base, "cluster");
    const char *start[] = {"harness/tests/helpers/slurm-cluster", "start", cluster_dir, NULL};
    char *start_log = path_of(base, "start.log");
    int started = run_detached(start, start_log);
    char *said = tu_read(start_log, NULL);
    cr_assert_eq(started, 0, "the cluster did not start (exit %d): %s", started, said);
    free(said);
    free(start_log);
    static const char *const pids[] = {"munged.pid", "slurmctld.pid", "slurmd.pid"};
    for (int i = 0; i < 3; i++) {
        daemons[i] = pid_in(cluster_dir, pids[i]);
        cr_assert_gt(daemons[i], 0, "no %s", pids[i]);
    }
    char *conf = path_of(cluster_dir, "slurm.conf");
    setenv("SLURM_CONF", conf, 1);
    char *options;
    cr_assert_gt(asprintf(&options, "--assignment %s", assignment), 0);
    setenv("GCGRADE_OPTIONS", options, 1);

    char *merged = tu_tmpdir("slurm-merged"), shards_arg[8];
    snprintf(shards_arg, sizeof shards_arg, "%d", NSHARDS);
    const char *submit[] = {"platforms/slurm/grade-class", "-o", merged, class_dir, shards_arg, "--cpus-per-task=1",
                            NULL};
    r = tu_run(submit);
    cr_assert_eq(r.status, 0, "grade-class: exit %d: %s%s", r.status, r.out, r.err);
    char array_id[32] = "", merge_id[32] = "";
    cr_assert_eq(sscanf(r.out, "shards %31s merge %31s", array_id, merge_id), 2, "grade-class said: %s", r.out);
    tu_result_free(&r);

    /* the merge waits for the shards: it ends COMPLETED only if they all did */
    char *state = NULL;
    for (int i = 0; i < 2400; i++) {
        free(state);
        state = job_state(merge_id);
        if (state && strcmp(state, "PENDING") && strcmp(state, "RUNNING") && strcmp(state, "CONFIGURING"))
            break;
        sleep_s(0.25);
    }
    char *logs = logs_of(class_dir);
    cr_assert(state && !strcmp(state, "COMPLETED"), "the merge job %s ended %s; the jobs' logs:\n%s", merge_id,
              state ? state : "(unknown)", logs);
    for (int k = 1; k <= NSHARDS; k++) {   /* every task of the array ran and succeeded */
        char task[48];
        snprintf(task, sizeof task, "%s_%d", array_id, k);
        char *s = job_state(task);
        cr_expect(s && !strcmp(s, "COMPLETED"), "shard task %s: %s", task, s ? s : "(unknown)");
        free(s);
        char *dir;
        cr_assert_gt(asprintf(&dir, "%s/shards/reports-%d-of-%d/.grader-shard.json", class_dir, k, NSHARDS), 0);
        cr_expect(fs_is_file(dir), "no %s", dir);
        free(dir);
    }
    char *mcsv = path_of(merged, "grades.csv"), *mpage = path_of(merged, "class-report.html");
    expect_same_file(csv, mcsv);
    expect_same_file(page, mpage);

    /* and nothing of the cluster is left */
    stop_cluster();
    for (int i = 0; i < 3; i++)
        cr_expect(kill(daemons[i], 0) != 0 && errno == ESRCH, "%s (pid %d) still runs", pids[i], (int)daemons[i]);
    char *gone = path_of(base, "cluster");
    cr_expect(access(gone, F_OK) != 0, "%s was not removed", gone);

    unsetenv("SLURM_CONF");
    unsetenv("GCGRADE_OPTIONS");
    free(gone);
    free(logs);
    free(state);
    free(mcsv);
    free(mpage);
    free(merged);
    free(options);
    free(conf);
    free(base);
    free(csv);
    free(reports);
    free(page);
    free(whole);
    free(assignment);
    free(class_dir);
}
