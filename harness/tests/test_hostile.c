/*
 * Hostile submissions (issue "Harden the grader against hostile submissions",
 * done-means): every attack is a small edit of the reference, graded by the
 * built grader with full isolation and with --no-namespaces. Each case checks
 * that the attacked exercise loses its points (or that the attack has no
 * effect), the exact score of every other exercise, that the report is clean
 * JSON, that grading took at most 30 s, and that nothing was left behind: no
 * process survives the grader (this test process is a subreaper, so an orphan
 * that escaped would land here), its TMPDIR is empty again, no file appeared
 * in /tmp or the project tree, and the reference is unchanged.
 *
 * Suite "sandbox" runs a hostile helper program (harness/tests/helpers) in the
 * sandbox directly, as student code that got past the object checks would
 * run: each layer alone must hold — fork bombs, kill(-1) and orphans included,
 * always inside the PID namespace, uid and pids cgroup they test.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "intake.h"
#include "sandbox.h"
#include "testutil.h"

#define SANDBOX_UID_FIRST 61000
#define SANDBOX_UID_LAST 61255
/* Files attacks try to create: none may ever exist. */
#define PWNED "gc-pwned"

/* ---- what a hostile grading must leave as it found it ---------------------- */

typedef struct {
    time_t start;
    char *reference;
    size_t reference_len;
    char *project;           /* project_state() before */
    char *tmpdir;            /* the grader's TMPDIR, empty again afterwards */
} trace;

static char *project_state(void);

static void trace_begin(trace *t)
{
    t->start = time(NULL) - 1;
    t->reference = tu_read("reference/gradient_check/gradient_check.c", &t->reference_len);
    cr_assert_not_null(t->reference);
    t->project = project_state();
    t->tmpdir = tu_tmpdir("grader-tmp");
    /* an orphan that escapes the grader's sandbox would be reparented here */
    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
}

/* Nothing in dir named PWNED*, nor made by the grader's sandbox uid since
 * start (another grader on the machine has a uid of its own). */
static void assert_clean_dir(const char *dir, time_t since, uid_t uid)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char *path = fs_join(dir, e->d_name);
        struct stat st;
        cr_expect(strncmp(e->d_name, PWNED, strlen(PWNED)) != 0, "an attack created %s", path);
        if (lstat(path, &st) == 0)
            cr_expect(!(uid && st.st_uid == uid && st.st_ctime >= since),
                      "%s was made by the sandbox uid %u", path, (unsigned)st.st_uid);
        free(path);
    }
    closedir(d);
}

/* Appends "path mtime size" for every file of the project (outside build/ and dist/)
 * to *list: two snapshots differ when the grading changed the project. */
static void snapshot_project(const char *dir, int depth, char **list, size_t *len)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot read %s", dir);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, ".git") ||
            (depth == 0 && (!strncmp(e->d_name, "build", 5) || !strcmp(e->d_name, "dist"))))
            continue;   /* make's outputs: other tests (platform zips, images) write them meanwhile */
        char *path = fs_join(dir, e->d_name), line[4400];
        struct stat st;
        cr_expect(strncmp(e->d_name, PWNED, strlen(PWNED)) != 0, "an attack created %s", path);
        if (lstat(path, &st) == 0) {
            int n = snprintf(line, sizeof line, "%s %lld.%09ld %lld\n", path, (long long)st.st_mtim.tv_sec,
                             st.st_mtim.tv_nsec, (long long)st.st_size);
            *list = realloc(*list, *len + (size_t)n + 1);
            memcpy(*list + *len, line, (size_t)n + 1);
            *len += (size_t)n;
            if (S_ISDIR(st.st_mode) && depth < 3)
                snapshot_project(path, depth + 1, list, len);
        }
        free(path);
    }
    closedir(d);
}

static char *project_state(void)
{
    char *list = calloc(1, 1);
    size_t len = 0;
    snapshot_project(".", 0, &list, &len);
    return list;
}

/* The parent and name of process pid, from /proc; false when it is gone. */
static bool parent_and_name(const char *pid, int *ppid, char *name, size_t len)
{
    char path[300];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    char *stat = tu_read(path, NULL);
    char *open = stat ? strchr(stat, '(') : NULL, *close = stat ? strrchr(stat, ')') : NULL;
    bool ok = open && close && close > open && sscanf(close + 1, " %*c %d", ppid) == 1;
    if (ok)
        snprintf(name, len, "%.*s", (int)(close - open - 1), open + 1);
    free(stat);
    return ok;
}

/* Kills every child of this process but an open box's spawner (named
 * sb-spawner), and every child of such a spawner (a keeper that outlived its
 * session), found in /proc; returns how many. */
static int kill_children(void)
{
    int n = 0;
    pid_t spawners[16];
    size_t nspawners = 0;
    for (int pass = 0; pass < 2; pass++) {
        DIR *d = opendir("/proc");
        for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
            int ppid = 0;
            char name[64];
            if (e->d_name[0] < '1' || e->d_name[0] > '9' || !parent_and_name(e->d_name, &ppid, name, sizeof name))
                continue;
            bool mine = ppid == getpid(), spawned = false;
            for (size_t i = 0; i < nspawners; i++)
                spawned |= ppid == spawners[i];
            if (pass == 0 && mine && !strcmp(name, "sb-spawner") && nspawners < 16)
                spawners[nspawners++] = atoi(e->d_name);
            else if (pass == 1 && (spawned || (mine && strcmp(name, "sb-spawner") != 0))) {
                kill(atoi(e->d_name), SIGKILL);
                n++;
            }
        }
        if (d)
            closedir(d);
    }
    return n;
}

/* The grader (or the box) is gone and reaped; any child left is a survivor
 * (an open box's spawner aside: it lives as long as its box). */
static void assert_no_survivors(void)
{
    pid_t w;
    while ((w = waitpid(-1, NULL, WNOHANG)) > 0)
        cr_expect_fail("process %d outlived the grader", (int)w);
    if (w == 0) {
        int left = kill_children();
        if (left)
            cr_expect_fail("%d processes the grader started are still running", left);
        /* reap what was killed (a spawner is still alive: no blocking wait) */
        for (int round = 0; left > 0 && round < 200; round++) {
            while ((w = waitpid(-1, NULL, WNOHANG)) > 0)
                left--;
            struct timespec ts = {0, 1000000};
            nanosleep(&ts, NULL);
        }
    }
}

static void trace_end(trace *t, uid_t uid)
{
    size_t len;
    char *now = tu_read("reference/gradient_check/gradient_check.c", &len);
    cr_expect(now && len == t->reference_len && !memcmp(now, t->reference, len),
              "reference/gradient_check/gradient_check.c changed");
    free(now);
    /* the grader removes its work folder: TMPDIR is empty again */
    cr_expect_eq(rmdir(t->tmpdir), 0, "the grader left files in its TMPDIR %s: %s", t->tmpdir, strerror(errno));
    assert_no_survivors();
    assert_clean_dir("/tmp", t->start, uid);
    assert_clean_dir("/dev/shm", t->start, uid);
    assert_clean_dir("/run", t->start, uid);
    char *project = project_state();
    cr_expect_str_eq(project, t->project, "the project changed during the grading");
    free(project);
    free(t->project);
    free(t->reference);
    free(t->tmpdir);
}

/* ---- grading ------------------------------------------------------------------ */

/* The sandbox uid a report names ("uid 61002" in its isolation), 0 if none. */
static uid_t sandbox_uid_of(const char *report)
{
    const char *u = strstr(report, "uid ");
    unsigned uid = 0;
    return u && sscanf(u, "uid %u", &uid) == 1 && uid >= SANDBOX_UID_FIRST && uid <= SANDBOX_UID_LAST ? uid : 0;
}

/* Grades dir with the built grader in format and checks everything a hostile
 * grading must respect; returns what it printed (*seconds: how long it took). */
static char *grade_hostile_as(const char *dir, bool no_namespaces, const char *format, double *seconds)
{
    trace t;
    trace_begin(&t);
    const char *argv[] = {TU_GRADER, "--assignment", TU_ASSIGNMENT, "--format", format,
                          no_namespaces ? "--no-namespaces" : dir, no_namespaces ? dir : NULL, NULL};
    char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
    setenv("TMPDIR", t.tmpdir, 1);
    tu_result r = tu_run(argv);
    if (old)
        setenv("TMPDIR", old, 1);
    else
        unsetenv("TMPDIR");
    free(old);
    cr_assert_eq(r.status, 0, "grader exit %d on %s: %s", r.status, dir, r.err);
    cr_expect_leq(r.seconds, 30.0, "grading %s took %.1f s", dir, r.seconds);
    size_t bad = 0;
    cr_expect(intake_is_text((const unsigned char *)r.out, strlen(r.out), &bad),
              "the report is not clean UTF-8 text (byte %zu)", bad);
    trace_end(&t, sandbox_uid_of(r.out));
    if (seconds)
        *seconds = r.seconds;
    char *out = strdup(r.out);
    tu_result_free(&r);
    return out;
}

/* Grades dir (json) and checks everything a hostile grading must respect;
 * returns the parsed report. */
static cJSON *grade_hostile(const char *dir, bool no_namespaces)
{
    char *out = grade_hostile_as(dir, no_namespaces, "json", NULL);
    cJSON *doc = cJSON_Parse(out);
    cr_assert_not_null(doc, "the report is not JSON: %.300s", out);
    free(out);
    const char *level = cJSON_GetObjectItem(doc, "isolation")->valuestring;
    cr_expect(no_namespaces ? !strstr(level, "namespaces") : !!strstr(level, "namespaces"), "isolation: %s", level);
    cr_expect(strstr(level, "seccomp") != NULL, "isolation: %s", level);
    unsigned uid = 0;
    const char *u = strstr(level, "uid ");
    cr_expect(u && sscanf(u, "uid %u", &uid) == 1 && uid >= SANDBOX_UID_FIRST && uid <= SANDBOX_UID_LAST,
              "as root, the grader runs student code as a sandbox uid: %s", level);
    return doc;
}

typedef struct {
    double fwd, bwd, chk, chk_n;
    const char *status;       /* the report's status */
    const char *where;        /* "build.message", "build.note" or a test id */
    const char *says[3];      /* what that message must hold (all of them) */
    const char *ended;        /* for a test id: how it ended ("a|b": either) */
} expect;

static const char *field(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static void check(const cJSON *r, const expect *e, const char *mode)
{
    static const char *const ex[] = {"forward_propagation", "backward_propagation", "gradient_check",
                                     "gradient_check_n"};
    const double want[] = {e->fwd, e->bwd, e->chk, e->chk_n};
    for (int i = 0; i < 4; i++)
        cr_expect_eq(tu_score(r, ex[i]), want[i], "%s: %s scored %g, not %g", mode, ex[i], tu_score(r, ex[i]),
                     want[i]);
    cr_expect_eq(tu_score(r, ""), e->fwd + e->bwd + e->chk + e->chk_n, "%s: total", mode);
    cr_expect_str_eq(field(r, "status"), e->status, "%s: status", mode);
    const char *text = "";
    const cJSON *build = cJSON_GetObjectItem(r, "build");
    if (!strcmp(e->where, "build.message"))
        text = field(build, "message");
    else if (!strcmp(e->where, "build.note"))
        text = field(build, "note");
    else
        text = field(tu_test(r, e->where), "message");
    for (int i = 0; i < 3 && e->says[i]; i++)
        cr_expect(strstr(text, e->says[i]) != NULL, "%s: %s does not say \"%s\": %s", mode, e->where, e->says[i], text);
    if (e->ended) {
        const char *ended = field(tu_test(r, e->where), "ended");
        char alternatives[128];
        snprintf(alternatives, sizeof alternatives, "|%s|", e->ended);
        char mine[64];
        snprintf(mine, sizeof mine, "|%s|", ended);
        cr_expect(strstr(alternatives, mine) != NULL, "%s: %s ended %s, not %s", mode, e->where, ended, e->ended);
    }
}

/* Grades the submission with full isolation and without namespaces, checks
 * both reports, and removes the submission. */
static void hostile(char *dir, const expect *e)
{
    for (int m = 0; m < 2; m++) {
        cJSON *r = grade_hostile(dir, m == 1);
        check(r, e, m ? "--no-namespaces" : "full isolation");
        cJSON_Delete(r);
    }
    hr_error err;
    fs_remove_tree(dir, &err);
    free(dir);
}

static char *in_project(const char *rel)
{
    char cwd[4096];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    char *p;
    cr_assert_gt(asprintf(&p, "%s/%s", cwd, rel), 0);
    return p;
}

#define INCLUDES(extra) {"#include <stdio.h>", "#include <stdio.h>\n" extra}
#define IN_FORWARD(code) {"    double J = theta * x;", code "\n    double J = theta * x;"}
#define IN_BACKWARD(code) {"    double dtheta = x;", code "\n    double dtheta = x;"}
#define IN_CHECK(code) {"    double theta_plus = theta + epsilon;", code "\n    double theta_plus = theta + epsilon;"}
#define IN_CHECK_N(code)                                                   \
    {"    gc_matrix parameters_values = dictionary_to_vector(parameters);", \
     code "\n    gc_matrix parameters_values = dictionary_to_vector(parameters);"}
#define END {NULL, NULL}

/* ---- endless, crashing and exiting code ---------------------------------------- */

Test(hostile, infinite_loop, .timeout = 120)
{
    static const char *const edits[][2] = {IN_CHECK("    for (volatile int spin = 1; spin;)\n        ;"), END};
    expect e = {10, 10, 0, 20, "graded", "gradient_check/1", {NULL}, "cpu_limit|timed_out"};
    hostile(tu_submission_from_reference("loop", edits), &e);
}

Test(hostile, sleep_100000, .timeout = 120)
{
    static const char *const edits[][2] = {INCLUDES("#include <unistd.h>"), IN_CHECK("    sleep(100000);"), END};
    expect e = {10, 10, 0, 20, "graded", "gradient_check/4", {"timed out"}, "timed_out"};
    hostile(tu_submission_from_reference("sleep", edits), &e);
}

/* Every function sleeps: 21 tests of 2 s would take 42 s; the submission's
 * budget ends it within 30 s, and the tests left are not run. */
Test(hostile, sleeping_everywhere_is_cut_by_the_budget, .timeout = 120)
{
    static const char *const edits[][2] = {INCLUDES("#include <unistd.h>"), IN_FORWARD("    sleep(100000);"),
                                           IN_BACKWARD("    sleep(100000);"), IN_CHECK_N("    sleep(100000);"),
                                           END};
    char *dir = tu_submission_from_reference("sleep-everywhere", edits);
    cJSON *r = grade_hostile(dir, false);
    expect e = {0, 0, 10, 0, "graded", "gradient_check_n/9", {"used up the 28 s"}, "not_run"};
    check(r, &e, "full isolation");
    cJSON_Delete(r);
    hr_error err;
    fs_remove_tree(dir, &err);
    free(dir);
}

/* gradient_check calls the student's backward_propagation: it crashes too */
Test(hostile, sigsegv)
{
    static const char *const edits[][2] = {IN_BACKWARD("    *(volatile int *)0 = 1;"), END};
    expect e = {10, 0, 10, 20, "graded", "backward_propagation/2", {"SIGSEGV"}, "crashed"};
    hostile(tu_submission_from_reference("segv", edits), &e);
}

Test(hostile, abort)
{
    static const char *const edits[][2] = {INCLUDES("#include <stdlib.h>"), IN_FORWARD("    abort();"), END};
    expect e = {0, 10, 10, 20, "graded", "forward_propagation/1", {"SIGABRT"}, "crashed"};
    hostile(tu_submission_from_reference("abort", edits), &e);
}

Test(hostile, stack_overflow)
{
    static const char *const edits[][2] = {
        {"double gradient_check_n(", "static double deeper(volatile double *p)\n{\n    volatile double here[64];\n"
                                     "    here[0] = *p;\n    return deeper(here) + here[1];\n}\n\n"
                                     "double gradient_check_n("},
        IN_CHECK_N("    if (epsilon > 0)\n        return deeper(&epsilon);"), END};
    expect e = {10, 10, 10, 0, "graded", "gradient_check_n/1", {"SIGSEGV"}, "crashed"};
    hostile(tu_submission_from_reference("stack", edits), &e);
}

Test(hostile, exit_before_returning)
{
    static const char *const edits[][2] = {INCLUDES("#include <stdlib.h>"), IN_CHECK_N("    exit(0);"), END};
    expect e = {10, 10, 10, 0, "graded", "gradient_check_n/2", {"before the function returned"}, "exited"};
    hostile(tu_submission_from_reference("exit", edits), &e);
}

Test(hostile, underscore_exit_before_returning)
{
    static const char *const edits[][2] = {INCLUDES("#include <unistd.h>"), IN_FORWARD("    _exit(0);"), END};
    expect e = {0, 10, 10, 20, "graded", "forward_propagation/3", {"before the function returned"}, "exited"};
    hostile(tu_submission_from_reference("_exit", edits), &e);
}

/* ---- processes, memory, output ------------------------------------------------- */

Test(hostile, fork_bomb)
{
    static const char *const edits[][2] = {INCLUDES("#include <unistd.h>"),
                                           IN_CHECK_N("    for (;;)\n        fork();"), END};
    expect e = {10, 10, 10, 0, "graded", "build.note", {"gradient_check_n uses fork"}, NULL};
    hostile(tu_submission_from_reference("forkbomb", edits), &e);
}

Test(hostile, threads)
{
    static const char *const edits[][2] = {
        INCLUDES("#include <pthread.h>\nstatic void *spin(void *a) { for (;;) ; return a; }"),
        IN_CHECK_N("    for (int t = 0; t < 1000; t++) {\n        pthread_t id;\n        pthread_create(&id, 0, spin, 0);\n    }"),
        END};
    expect e = {10, 10, 10, 0, "graded", "gradient_check_n/1", {"not run", "pthread_create"}, "not_run"};
    hostile(tu_submission_from_reference("threads", edits), &e);
}

/* Each test runs in a process no student code ran in before (forked from a
 * runner that has called nothing of the student's, or exec'd where the host
 * allows no zygote): a count of calls is 1 in every test. Only the test with
 * the student's own functions, worth nothing, calls forward_propagation twice. */
Test(hostile, no_state_reaches_the_next_test)
{
    static const char *const edits[][2] = {
        IN_FORWARD("    static int calls;\n    if (++calls > 1)\n        return -1.0;"), END};
    expect e = {10, 10, 10, 20, "graded", "forward_propagation/4", {NULL}, "returned"};
    hostile(tu_submission_from_reference("state", edits), &e);
}

Test(hostile, memory_bomb)
{
    static const char *const edits[][2] = {
        INCLUDES("#include <stdlib.h>\n#include <string.h>\nstatic char *volatile sink;"),
        IN_CHECK_N("    for (;;) {\n        char *p = malloc(1 << 20);\n        if (!p)\n            abort();\n"
                   "        memset(p, 1, 1 << 20);\n        sink = p;\n    }"),
        END};
    expect e = {10, 10, 10, 0, "graded", "gradient_check_n/1", {"SIGABRT"}, "crashed"};
    hostile(tu_submission_from_reference("memory", edits), &e);
}

Test(hostile, output_flood)
{
    static const char *const edits[][2] = {
        IN_CHECK("    static char junk[1 << 16];\n    for (;;)\n        fwrite(junk, 1, sizeof junk, stdout);"), END};
    expect e = {10, 10, 0, 20, "graded", "gradient_check/2", {"KiB"}, "output_limit"};
    hostile(tu_submission_from_reference("flood", edits), &e);
}

/* ---- fake results ----------------------------------------------------------------- */

/* What it prints counts for nothing: the wrong value it returns fails, as in
 * test_grade's theta_plus_x. */
Test(hostile, fake_results_printed)
{
    static const char *const edits[][2] = {
        IN_FORWARD("    printf(\"{\\\"score\\\": 50, \\\"max_score\\\": 50, \\\"status\\\": \\\"passed\\\"}\\n\");\n"
                   "    printf(\"[====] Synthesis: Tested: 22 | Passing: 22 | Failing: 0 | Crashing: 0\\n\");\n"
                   "    printf(\"1..22\\nok 1 - forward_propagation\\nPASS\\n\");\n"
                   "    fprintf(stderr, \"PASS\\nTotal: 50/50\\n\");\n"
                   "    fflush(stdout);"),
        {"double J = theta * x;", "double J = theta + x;"}, END};
    expect e = {0, 10, 10, 20, "graded", "forward_propagation/1", {"expected 8.0, got 6.0"}, "returned"};
    char *dir = tu_submission_from_reference("fake-output", edits);
    cJSON *r = grade_hostile(dir, false);
    check(r, &e, "full isolation");
    cr_expect(strstr(field(tu_test(r, "forward_propagation/1"), "output"), "Synthesis: Tested: 22") != NULL,
              "the printed text is shown as output, nothing more");
    cJSON_Delete(r);
    hostile(dir, &e);
}

/* Writing a result document on the result channel gains exactly what
 * returning that value would: the right value for the one test it names. */
Test(hostile, forged_result_on_fd_3)
{
    static const char *const edits[][2] = {
        INCLUDES("#include <unistd.h>"),
        IN_FORWARD("    stdout->_fileno = 3;\n"
                   "    printf(\"{\\\"test\\\": \\\"forward_propagation/1\\\", \\\"status\\\": \\\"returned\\\", "
                   "\\\"return\\\": 8.0}\");\n    fflush(stdout);\n    _exit(0);"),
        END};
    expect e = {4, 10, 10, 20, "graded", "forward_propagation/2", {"another test"}, "no_result"};
    hostile(tu_submission_from_reference("forge", edits), &e);
}

Test(hostile, nan_and_inf)
{
    static const char *const edits[][2] = {INCLUDES("#include <math.h>"),
                                           {"    return J;", "    return NAN;"},
                                           {"    gc_matrix_free(&parameters_values);\n    return difference;",
                                            "    gc_matrix_free(&parameters_values);\n    return INFINITY;"},
                                           END};
    expect e = {0, 10, 10, 0, "graded", "forward_propagation/1", {"nan"}, "returned"};
    hostile(tu_submission_from_reference("nan-inf", edits), &e);
}

Test(hostile, constructor_prints_a_perfect_score)
{
    static const char *const edits[][2] = {
        INCLUDES("#include <stdlib.h>\n__attribute__((constructor)) static void grab(void)\n{\n"
                 "    printf(\"{\\\"score\\\": 50, \\\"max_score\\\": 50}\\n\");\n    exit(0);\n}"),
        END};
    expect e = {0, 0, 0, 0, "refused", "build.message", {".init_array", "constructor"}, NULL};
    hostile(tu_submission_from_reference("constructor", edits), &e);
}

Test(hostile, destructor)
{
    static const char *const edits[][2] = {
        INCLUDES("__attribute__((destructor)) static void late(void) { printf(\"PASS\\n\"); }"), END};
    expect e = {0, 0, 0, 0, "refused", "build.message", {".fini_array"}, NULL};
    hostile(tu_submission_from_reference("destructor", edits), &e);
}

Test(hostile, main_of_its_own)
{
    static const char *const edits[][2] = {INCLUDES("int main(void) { return 0; }"), END};
    expect e = {0, 0, 0, 0, "refused", "build.message", {"defines main"}, NULL};
    hostile(tu_submission_from_reference("main", edits), &e);
}

Test(hostile, hard_coded_expected_value)
{
    static const char *const edits[][2] = {{"    return J;", "    return 8.0;"}, END};
    expect e = {4, 10, 10, 20, "graded", "forward_propagation/2", {"expected 12.0, got 8.0"}, "returned"};
    hostile(tu_submission_from_reference("hard-coded", edits), &e);
}

/* ---- reading what it must not ---------------------------------------------------- */

Test(hostile, reads_reference_at_run_time)
{
    char *ref = in_project("reference/gradient_check/gradient_check.c"), *code;
    cr_assert_gt(asprintf(&code, "    if (open(\"%s\", O_RDONLY) >= 0 || access(\"%s\", R_OK) == 0)\n        return 0;",
                          ref, ref), 0);
    const char *const edits[][2] = {INCLUDES("#include <fcntl.h>\n#include <unistd.h>"),
                                    {"    double J = theta * x;", code}, {"    return J;", "    return theta * x;"},
                                    END};
    expect e = {0, 10, 0, 20, "graded", "build.note", {"forward_propagation uses", "open", "access"}, NULL};
    hostile(tu_submission_from_reference("open-access", edits), &e);
    free(ref);
    free(code);
}

Test(hostile, lists_reference_at_run_time)
{
    char *ref = in_project("reference/gradient_check"), *code;
    cr_assert_gt(asprintf(&code, "    if (opendir(\"%s\"))\n        return 0;", ref), 0);
    const char *const edits[][2] = {INCLUDES("#include <dirent.h>"),
                                    {"    gc_matrix parameters_values = dictionary_to_vector(parameters);",
                                     code},
                                    {"    gc_matrix grad = gradients_to_vector(gradients);",
                                     "    gc_matrix parameters_values = dictionary_to_vector(parameters);\n"
                                     "    gc_matrix grad = gradients_to_vector(gradients);"},
                                    END};
    expect e = {10, 10, 10, 0, "graded", "gradient_check_n/9", {"not run", "opendir"}, "not_run"};
    hostile(tu_submission_from_reference("opendir", edits), &e);
    free(ref);
    free(code);
}

Test(hostile, includes_reference_and_pack)
{
    char *ref = in_project("reference/gradient_check/gradient_check.c"), *pack = in_project(TU_ASSIGNMENT "/pack.json"), *inc;
    cr_assert_gt(asprintf(&inc, "#include <stdio.h>\n#include \"%s\"\n#include \"%s\"", ref, pack), 0);
    const char *const edits[][2] = {{"#include <stdio.h>", inc}, END};
    expect e = {0, 0, 0, 0, "refused", "build.message", {"includes or looks for files the grader does not allow", ref, pack}, NULL};
    hostile(tu_submission_from_reference("include-ref", edits), &e);
    free(ref);
    free(pack);
    free(inc);
}

Test(hostile, includes_reference_by_relative_path)
{
    static const char *const edits[][2] = {
        INCLUDES("#include \"../../../../../../../../work/reference/gradient_check.c\""), END};
    expect e = {0, 0, 0, 0, "refused", "build.message", {"../../"}, NULL};
    hostile(tu_submission_from_reference("include-relative", edits), &e);
}

/* A macro hides the name from a look at the source: the preprocessor's own
 * account of what it read catches it. */
Test(hostile, includes_reference_through_a_macro)
{
    char *ref = in_project("reference/gradient_check/gradient_check.c"), *inc;
    cr_assert_gt(asprintf(&inc, "#include <stdio.h>\n#define SECRET \"%s\"\n#include SECRET", ref), 0);
    const char *const edits[][2] = {{"#include <stdio.h>", inc}, END};
    expect e = {0, 0, 0, 0, "refused", "build.message", {"includes or looks for files the grader does not allow", ref}, NULL};
    hostile(tu_submission_from_reference("include-macro", edits), &e);
    free(ref);
    free(inc);
}

/* __has_include of a path outside is refused like an #include of it (hidden
 * behind a macro, it finds nothing: no view or fence shows the file). */
Test(hostile, has_include_of_reference)
{
    char *ref = in_project("reference/gradient_check/gradient_check.c"), *pack = in_project(TU_ASSIGNMENT "/pack.json"), *inc;
    cr_assert_gt(asprintf(&inc, "#include <stdio.h>\n#if __has_include(\"%s\") || __has_include(\"%s\")\n"
                                "#define LEAKED 1.0\n#else\n#define LEAKED 0.0\n#endif", ref, pack), 0);
    const char *const edits[][2] = {{"#include <stdio.h>", inc}, {"    return J;", "    return J + LEAKED;"}, END};
    expect e = {0, 0, 0, 0, "refused", "build.message", {"looks for files", ref, pack}, NULL};
    hostile(tu_submission_from_reference("has-include", edits), &e);
    free(ref);
    free(pack);
    free(inc);
}

Test(hostile, incbin_in_inline_assembly)
{
    char *ref = in_project("reference/gradient_check/gradient_check.c"), *inc;
    cr_assert_gt(asprintf(&inc, "#include <stdio.h>\n__asm__(\".section .rodata\\nsecret: .incbin \\\"%s\\\"\\n.text\");",
                          ref), 0);
    const char *const edits[][2] = {{"#include <stdio.h>", inc}, END};
    expect e = {0, 0, 0, 0, "refused", "build.message", {"inline assembly"}, NULL};
    hostile(tu_submission_from_reference("incbin", edits), &e);
    free(ref);
    free(inc);
}

/* GCC copies a section name into the assembly as it is: a newline in it
 * smuggles in any directive, without a single asm statement. */
Test(hostile, incbin_smuggled_in_a_section_name)
{
    char *ref = in_project("reference/gradient_check/gradient_check.c"), *inc;
    cr_assert_gt(asprintf(&inc, "#include <stdio.h>\n__attribute__((section(\".rodata.x\\n.incbin \\\"%s\\\"\\n#\")))\n"
                                "const char secret[1] = {0};", ref), 0);
    const char *const edits[][2] = {{"#include <stdio.h>", inc}, END};
    expect e = {0, 0, 0, 0, "refused", "build.message", {"section attribute"}, NULL};
    hostile(tu_submission_from_reference("section-incbin", edits), &e);
    /* the same in a C2x attribute spelled with digraphs (<:<: is [[) */
    char *digraph;
    cr_assert_gt(asprintf(&digraph, "#include <stdio.h>\n<:<:gnu::section(\".rodata.x\\n.incbin \\\"%s\\\"\\n#\"):>:>\n"
                                    "const char secret[1] = {0};", ref), 0);
    const char *const digraph_edits[][2] = {{"#include <stdio.h>", digraph}, END};
    hostile(tu_submission_from_reference("digraph-incbin", digraph_edits), &e);
    free(digraph);
    free(ref);
    free(inc);
}

Test(hostile, include_dev_zero)
{
    static const char *const edits[][2] = {INCLUDES("#include \"/dev/zero\""), END};
    expect e = {0, 0, 0, 0, "refused", "build.message", {"/dev/zero"}, NULL};
    hostile(tu_submission_from_reference("dev-zero", edits), &e);
}

/* GCC quotes the line of whatever file a #line names: none of the reference
 * may reach the report. */
Test(hostile, line_directive_quoting_the_reference)
{
    char *ref = in_project("reference/gradient_check/gradient_check.c"), *text;
    cr_assert_gt(asprintf(&text, "#line 7 \"%s\"\nint broken = ;\n", ref), 0);
    char *dir = tu_submission("line-leak", text);
    for (int m = 0; m < 2; m++) {
        cJSON *r = grade_hostile(dir, m == 1);
        expect e = {0, 0, 0, 0, "refused", "build.message", {"#line"}, NULL};
        check(r, &e, m ? "--no-namespaces" : "full isolation");
        char *all = cJSON_Print(r);
        cr_expect(strstr(all, "operation order") == NULL, "the report quotes the reference: %s", all);
        free(all);
        cJSON_Delete(r);
    }
    hr_error err;
    fs_remove_tree(dir, &err);
    free(ref);
    free(text);
    free(dir);
}

Test(hostile, ident_and_pch_pragmas)
{
    static const char *const edits[][2] = {INCLUDES("#ident \"x\\n.incbin \\\"/etc/passwd\\\"\""), END};
    expect e = {0, 0, 0, 0, "refused", "build.message", {"#ident"}, NULL};
    hostile(tu_submission_from_reference("ident", edits), &e);
    static const char *const pch[][2] = {INCLUDES("#pragma GCC pch_preprocess \"/etc/passwd\""), END};
    expect p = {0, 0, 0, 0, "refused", "build.message", {"pch_preprocess"}, NULL};
    hostile(tu_submission_from_reference("pch", pch), &p);
}

/* ---- writing, connecting, signalling -------------------------------------------- */

Test(hostile, writes_files_outside_the_sandbox)
{
    char *mine = in_project(PWNED "-project"), *code;
    cr_assert_gt(asprintf(&code, "    FILE *f = fopen(\"/tmp/" PWNED "-tmp\", \"w\");\n"
                                 "    FILE *g = fopen(\"%s\", \"w\");\n"
                                 "    if (f)\n        fputs(\"pwned\", f);\n    if (g)\n        fputs(\"pwned\", g);",
                          mine), 0);
    const char *const edits[][2] = {{"    gc_matrix parameters_values = dictionary_to_vector(parameters);",
                                     code},
                                    {"    gc_matrix grad = gradients_to_vector(gradients);",
                                     "    gc_matrix parameters_values = dictionary_to_vector(parameters);\n"
                                     "    gc_matrix grad = gradients_to_vector(gradients);"},
                                    END};
    expect e = {10, 10, 10, 0, "graded", "build.note", {"gradient_check_n uses", "fopen"}, NULL};
    hostile(tu_submission_from_reference("write", edits), &e);
    cr_expect(!fs_is_file(mine) && !fs_is_file("/tmp/" PWNED "-tmp"));
    free(mine);
    free(code);
}

Test(hostile, connects_to_localhost)
{
    static const char *const edits[][2] = {
        INCLUDES("#include <arpa/inet.h>\n#include <sys/socket.h>"),
        IN_CHECK_N("    int s = socket(AF_INET, SOCK_STREAM, 0);\n"
                   "    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(22)};\n"
                   "    to.sin_addr.s_addr = htonl(0x7f000001);\n"
                   "    if (connect(s, (struct sockaddr *)&to, sizeof to) == 0)\n        return 0;"),
        END};
    expect e = {10, 10, 10, 0, "graded", "build.note", {"socket", "connect"}, NULL};
    hostile(tu_submission_from_reference("connect", edits), &e);
}

Test(hostile, kills_everything)
{
    static const char *const edits[][2] = {INCLUDES("#include <signal.h>"), IN_CHECK_N("    kill(-1, SIGKILL);"),
                                           END};
    expect e = {10, 10, 10, 0, "graded", "build.note", {"gradient_check_n uses kill"}, NULL};
    hostile(tu_submission_from_reference("kill-all", edits), &e);
}

Test(hostile, kills_and_traces_its_parent)
{
    static const char *const edits[][2] = {
        INCLUDES("#include <signal.h>\n#include <sys/ptrace.h>\n#include <unistd.h>"),
        IN_BACKWARD("    ptrace(PTRACE_ATTACH, getppid(), 0, 0);\n    kill(getppid(), SIGKILL);"), END};
    expect e = {10, 0, 0, 20, "graded", "build.note", {"backward_propagation uses", "ptrace", "kill"}, NULL};
    hostile(tu_submission_from_reference("kill-parent", edits), &e);
}

Test(hostile, kills_its_process_group)
{
    static const char *const edits[][2] = {INCLUDES("#include <signal.h>"), IN_CHECK("    kill(0, SIGKILL);"),
                                           END};
    expect e = {10, 10, 0, 20, "graded", "gradient_check/3", {"not run", "uses kill"}, "not_run"};
    hostile(tu_submission_from_reference("kill-group", edits), &e);
}

Test(hostile, setsid_double_fork_orphan)
{
    static const char *const edits[][2] = {
        INCLUDES("#include <unistd.h>"),
        IN_CHECK_N("    if (fork() == 0) {\n        setsid();\n        if (fork() == 0)\n            for (;;)\n"
                   "                sleep(1);\n        _exit(0);\n    }"),
        END};
    expect e = {10, 10, 10, 0, "graded", "build.note", {"fork", "setsid"}, NULL};
    hostile(tu_submission_from_reference("orphan", edits), &e);
}

/* ---- the grader's own code and the C library ---------------------------------- */

/* Functions named like the runner's or libc's stay the student's own: the
 * runner still calls the real ones, so the attack has no effect. */
Test(hostile, overrides_runner_and_libc_functions)
{
    static const char *const edits[][2] = {
        INCLUDES("int seccomp_filter_lockdown(void *err) { (void)err; return 0; }\n"
                 "char *cJSON_PrintUnformatted(const void *doc) { (void)doc; return \"{}\"; }\n"
                 "long write(int fd, const void *buf, unsigned long n) { (void)fd; (void)buf; return (long)n; }\n"
                 "__attribute__((weak)) void _exit(int code) { for (;;) (void)code; }"),
        END};
    expect e = {10, 10, 10, 20, "graded", "gradient_check_n/1", {"passed"}, "returned"};
    hostile(tu_submission_from_reference("override", edits), &e);
}

Test(hostile, calls_the_grader_internals)
{
    static const char *const edits[][2] = {
        INCLUDES("extern int seccomp_filter_lockdown(void *) __attribute__((weak));"),
        IN_FORWARD("    if (seccomp_filter_lockdown)\n        return 0;"), END};
    expect e = {0, 10, 0, 20, "graded", "build.note", {"forward_propagation uses seccomp_filter_lockdown"}, NULL};
    hostile(tu_submission_from_reference("internals", edits), &e);
}

Test(hostile, reads_the_environment)
{
    static const char *const edits[][2] = {
        INCLUDES("extern char **environ;"),
        IN_FORWARD("    if (environ && environ[0])\n        printf(\"%s\\n\", environ[0]);"), END};
    expect e = {0, 10, 0, 20, "graded", "build.note", {"forward_propagation uses environ"}, NULL};
    hostile(tu_submission_from_reference("environ", edits), &e);
}

/* A graded function that calls a substitutable one the file does not define
 * still links (the runner's dispatcher stands for it): the tests that use the
 * course's forward_propagation grade gradient_check on its own, the one that
 * uses the student's own says what is missing. */
Test(hostile, calls_a_deleted_function)
{
    static const char *const edits[][2] = {
        {"double forward_propagation(double x, double theta)\n{", "static double unused_forward(double x, double theta)\n{"},
        {"    double grad = backward_propagation(x, theta);",
         "    double grad = backward_propagation(x, theta) + 0 * unused_forward(x, theta);"},
        END};
    expect e = {0, 10, 10, 20, "graded", "gradient_check/10", {"gradient_check calls forward_propagation, which your file does not define"}, "missing"};
    hostile(tu_submission_from_reference("deleted", edits), &e);
}

/* ---- the submission itself ---------------------------------------------------------- */

Test(hostile, symlink_to_the_reference)
{
    char *dir = tu_tmpdir("symlink"), *target = in_project("reference/gradient_check/gradient_check.c");
    char *link = fs_join(dir, "gradient_check.c");
    cr_assert_eq(symlink(target, link), 0);
    expect e = {0, 0, 0, 0, "not_accepted", "build.message", {"symbolic link"}, NULL};
    hostile(dir, &e);
    /* the folder itself a symlink to reference/ */
    char *outer = tu_tmpdir("symlinked-folder"), *linked = fs_join(outer, "submission"), *ref = in_project("reference/gradient_check");
    cr_assert_eq(symlink(ref, linked), 0);
    for (int m = 0; m < 2; m++) {
        cJSON *r = grade_hostile(linked, m == 1);
        check(r, &e, m ? "--no-namespaces" : "full isolation");
        cJSON_Delete(r);
    }
    hr_error err;
    fs_remove_tree(outer, &err);
    free(target);
    free(link);
    free(outer);
    free(linked);
    free(ref);
}

Test(hostile, random_bytes)
{
    char bytes[4096];
    unsigned v = 12345;
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (char)((v = v * 1103515245u + 12345u) >> 16);
    char *dir = tu_tmpdir("random");
    free(tu_write(dir, "gradient_check.c", bytes, sizeof bytes));
    expect e = {0, 0, 0, 0, "compile_error", "build.message", {"binary or non-UTF-8"}, NULL};
    hostile(dir, &e);
}

/* The only .c file is graded, and its name (not UTF-8) reaches the report
 * only as valid text. */
Test(hostile, file_name_that_is_not_utf8)
{
    char *dir = tu_tmpdir("latin1-name");
    size_t len;
    char *text = tu_read("reference/gradient_check/gradient_check.c", &len);
    free(tu_write(dir, "r\xe9sum\xe9.c", text, len));
    free(text);
    expect e = {10, 10, 10, 20, "graded", "build.note", {"graded r\xef\xbf\xbdsum\xef\xbf\xbd.c"}, NULL};
    hostile(dir, &e);
}

Test(hostile, empty_folder)
{
    expect e = {0, 0, 0, 0, "not_accepted", "build.message", {"gradient_check.c"}, NULL};
    hostile(tu_tmpdir("empty"), &e);
}

/* ---- the result channel and the text of reports (issue 10, classes 1 and 2) ------ */

/* Is every byte of s[0..len) strict UTF-8 (no overlong form, no surrogate)
 * without NUL, ESC, DEL, C1 controls, or any control but newline and tab?
 * Written here on its own, not with the grader's decoder. */
static bool shows_safely(const char *text, size_t len, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        unsigned c = s[i], n = c < 0x80 ? 1 : c < 0xc2 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf5 ? 4 : 0;
        unsigned long v = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
        bool ok = n > 0 && i + n <= len;
        for (unsigned k = 1; ok && k < n; k++) {
            ok = (s[i + k] & 0xc0) == 0x80;
            v = v << 6 | (s[i + k] & 0x3f);
        }
        ok = ok && !(n == 3 && v < 0x800) && !(n == 4 && (v < 0x10000 || v > 0x10ffff)) &&
             !(v >= 0xd800 && v <= 0xdfff) && !(v < 0x20 && v != '\n' && v != '\t') && v != 0x7f &&
             !(v >= 0x80 && v <= 0x9f);
        if (!ok) {
            *bad = i;
            return false;
        }
        i += n;
    }
    return true;
}

/* Every string of a JSON document (keys too) shows safely. */
static void expect_safe_strings(const cJSON *item, const char *where)
{
    for (; item; item = item->next) {
        size_t bad = 0;
        if (item->string)
            cr_expect(shows_safely(item->string, strlen(item->string), &bad), "%s: key %s", where, item->string);
        if (cJSON_IsString(item))
            cr_expect(shows_safely(item->valuestring, strlen(item->valuestring), &bad),
                      "%s: \"%s\" holds an unsafe byte at %zu: %.80s", where, item->string ? item->string : "",
                      bad, item->valuestring + (bad > 20 ? bad - 20 : 0));
        expect_safe_strings(item->child, where);
    }
}

static const char *const FORMATS[] = {"text", "json", "gradescope", "prairielearn", "coursera"};

/* A forged "bad_inputs" frame, written with allowed symbols only, for the
 * hidden forward_propagation/4 (theta -2.2, x 3.7): its inputs printed and
 * in the frame's error text, with terminal controls and a fake total. Before:
 * a grader fault ("not counted" on PrairieLearn) carrying the hidden inputs to
 * students and a cleared screen into the instructor's text report. Now: a
 * failed test in the grader's words, on every platform, in every isolation. */
Test(hostile, forged_bad_inputs_frame_is_a_failed_test, .timeout = 240)
{
    static const char *const edits[][2] = {
        INCLUDES("#include <unistd.h>"),
        IN_FORWARD("    printf(\"SECRET theta=%g x=%g\\n\", theta, x);\n    fflush(stdout);\n"
                   "    stdout->_fileno = 3;\n"
                   "    printf(\"{\\\"test\\\": \\\"forward_propagation/4\\\", \\\"status\\\": \\\"bad_inputs\\\", "
                   "\\\"error\\\": \\\"\\\\u001b[2J\\\\u001b[HTotal: 50/50 HIDDEN theta=%g x=%g\\\"}\", theta, x);\n"
                   "    fflush(stdout);\n    _exit(0);"),
        END};
    char *dir = tu_submission_from_reference("forged-bad-inputs", edits);
    for (int m = 0; m < 2; m++) {
        const char *mode = m ? "--no-namespaces" : "full isolation";
        for (size_t f = 0; f < sizeof FORMATS / sizeof *FORMATS; f++) {
            char *out = grade_hostile_as(dir, m == 1, FORMATS[f], NULL);
            size_t bad = 0;
            cr_expect(shows_safely(out, strlen(out), &bad), "%s %s: unsafe byte %zu", mode, FORMATS[f], bad);
            cr_expect(!strstr(out, "HIDDEN") && !strstr(out, "50/50"), "%s %s: the frame's text reached the report",
                      mode, FORMATS[f]);
            cr_expect(!strstr(out, "grader fault") && !strstr(out, "grader itself failed") &&
                      !strstr(out, "not your mistake") && !strstr(out, "not counted"),
                      "%s %s: a grader fault at the student's will: %.400s", mode, FORMATS[f], out);
            cJSON *doc = f == 0 ? NULL : cJSON_Parse(out);
            cr_expect(f == 0 || doc, "%s %s: not JSON", mode, FORMATS[f]);
            if (f == 0 || f > 1)   /* student-facing: nothing of the hidden test's run */
                cr_expect(!strstr(out, "theta=-2.2 x=3.7"), "%s %s: the hidden inputs reached students", mode,
                          FORMATS[f]);
            if (doc)
                expect_safe_strings(doc, FORMATS[f]);
            if (f == 1) {
                expect e = {0, 10, 10, 20, "graded", "forward_propagation/4", {"did not return a value"}, "no_result"};
                check(doc, &e, mode);
                const char *says = field(tu_test(doc, "forward_propagation/4"), "student_message");
                cr_expect(!strstr(says, "theta=") && !strstr(says, "SECRET"), "%s: student_message: %s", mode, says);
            }
            if (f == 3)
                cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(doc, "gradable")), "%s: PrairieLearn: not gradable", mode);
            cJSON_Delete(doc);
            free(out);
        }
    }
    hr_error err;
    fs_remove_tree(dir, &err);
    free(dir);
}

/* Control sequences and broken UTF-8 from every source at once: printed
 * output (ESC[2J, conceal ESC[8m, an 8-bit CSI U+009B, stray bytes, a character
 * straddling byte 2048 where the report cuts a test's output), a
 * #pragma GCC warning, a fake sanitizer line cut at 512 bytes in the middle of
 * a character, and a Latin-1 folder name. Every report is safe text, every
 * JSON document valid UTF-8. */
Test(hostile, unsafe_text_from_every_source, .timeout = 240)
{
    static const char *const edits[][2] = {
        INCLUDES("#pragma GCC warning \"\\033[2J\\033[8mconcealed \xc2\x9b" "2J pragma\"\n#include <string.h>"),
        IN_FORWARD("    static char pad[2048];\n    memset(pad, 'a', 2047);\n"
                   "    printf(\"%s\\xc3\\xa9 \\033[2J\\033[8mconcealed \\xc2\\x9b" "2J \\x9b bad \\xff\\n\", pad);\n"
                   "    fprintf(stderr, \"gradient_check.c:1:1: runtime error: \");\n"
                   "    for (int i = 0; i < 300; i++)\n        fputs(\"\\xc3\\xa9\", stderr);\n"
                   "    fputs(\"\\n\", stderr);\n    fflush(stdout);"),
        END};
    char *src = tu_submission_from_reference("unsafe-text", edits);
    /* the same submission in a folder named in Latin-1 with a control byte */
    char *dir;
    cr_assert_gt(asprintf(&dir, "%s-caf\xe9\x1b[2J", src), 0);
    cr_assert_eq(rename(src, dir), 0);
    for (int m = 0; m < 2; m++) {
        const char *mode = m ? "--no-namespaces" : "full isolation";
        for (size_t f = 0; f < sizeof FORMATS / sizeof *FORMATS; f++) {
            char *out = grade_hostile_as(dir, m == 1, FORMATS[f], NULL);
            size_t bad = 0;
            cr_expect(shows_safely(out, strlen(out), &bad), "%s %s: unsafe byte %zu: %.60s", mode, FORMATS[f], bad,
                      out + (bad > 30 ? bad - 30 : 0));
            cJSON *doc = f == 0 ? NULL : cJSON_Parse(out);
            cr_expect(f == 0 || doc, "%s %s: not JSON", mode, FORMATS[f]);
            if (doc)
                expect_safe_strings(doc, FORMATS[f]);
            if (f == 1) {
                expect e = {10, 10, 10, 20, "graded", "forward_propagation/1", {NULL}, "returned"};
                check(doc, &e, mode);
                const char *output = field(tu_test(doc, "forward_propagation/1"), "output");
                cr_expect(strstr(output, "aaaa") && strlen(output) <= 2048 && !strstr(output, "\xc3\xa9"),
                          "%s: output cut before the straddling character: %zu bytes", mode, strlen(output));
                const char *warnings = field(cJSON_GetObjectItem(doc, "build"), "warnings");
                cr_expect(strstr(warnings, "pragma") != NULL, "%s: the warning is shown: %s", mode, warnings);
                cr_expect(strstr(field(doc, "submission"), "caf\xef\xbf\xbd") != NULL, "%s: submission %s", mode,
                          field(doc, "submission"));
                const cJSON *findings = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "memory_checks"), "findings");
                bool long_finding = false;
                const cJSON *fi;
                cJSON_ArrayForEach(fi, findings)
                    long_finding = long_finding || strlen(field(fi, "what")) > 400;
                /* the memory checks need their own PID namespace */
                cr_expect(long_finding || m == 1, "%s: the fake sanitizer line is a finding, cut", mode);
            }
            cJSON_Delete(doc);
            free(out);
        }
    }
    hr_error err;
    fs_remove_tree(dir, &err);
    free(dir);
    free(src);
}

/* The only .c file has a name with ESC in it: graded, with a note that names
 * it safely. */
Test(hostile, control_sequence_in_the_file_name)
{
    char *dir = tu_submission_from_reference("esc-name", NULL);
    char *from = fs_join(dir, "gradient_check.c"), *to = fs_join(dir, "x\x1b[2J\xc2\x9by.c");
    cr_assert_eq(rename(from, to), 0);
    for (int m = 0; m < 2; m++) {
        cJSON *r = grade_hostile(dir, m == 1);
        expect e = {10, 10, 10, 20, "graded", "build.note", {"the only .c file", "x\xef\xbf\xbd"}, NULL};
        check(r, &e, m ? "--no-namespaces" : "full isolation");
        expect_safe_strings(r, "json");
        cJSON_Delete(r);
    }
    free(from);
    free(to);
    hr_error err;
    fs_remove_tree(dir, &err);
    free(dir);
}

/* ---- the grader never crashes on a submission (issue 10, class 3) --------------- */

/* The reference with `count` copies of `piece` after it. */
static char *reference_then(const char *label, const char *piece, size_t count)
{
    size_t len, n = strlen(piece);
    char *ref = tu_read("reference/gradient_check/gradient_check.c", &len);
    cr_assert_not_null(ref);
    char *text = malloc(len + n * count + 2);
    cr_assert_not_null(text);
    memcpy(text, ref, len);
    text[len] = '\n';
    for (size_t i = 0; i < count; i++)
        memcpy(text + len + 1 + i * n, piece, n);
    text[len + 1 + n * count] = '\0';
    char *dir = tu_submission(label, text);
    free(text);
    free(ref);
    return dir;
}

/* Before: the source checks recursed once per "[[" and crashed the grader
 * (SIGSEGV, no report, the source left in TMPDIR). Now: refused, in words. */
Test(hostile, fifty_kilobytes_of_brackets, .timeout = 120)
{
    expect e = {0, 0, 0, 0, "refused", "build.message", {"nested more than 64 deep"}, NULL};
    hostile(reference_then("brackets", "[", 50 << 10), &e);
}

Test(hostile, thirty_thousand_nested_attributes, .timeout = 120)
{
    expect e = {0, 0, 0, 0, "refused", "build.message", {"nested more than 64 deep"}, NULL};
    hostile(reference_then("attributes", "__attribute__((", 30000), &e);
}

/* ---- the memory checks run under the graded runs' rules (issue 10, class 4) ------- */

/* Student code that finds a libc function without naming it: from its own
 * code down to the program's ELF header, through its dynamic section to the
 * loader's list of loaded objects (DT_DEBUG), then through libc's dynamic
 * symbol table. No relocation names open or read: the object checks cannot
 * see it, so only the stage-2 allow list stands in the way. */
#define FIND_IN_LIBC                                                                               \
    "#include <elf.h>\n#include <link.h>\n#include <stdint.h>\n#include <string.h>\n"             \
    "static void *lookup(const ElfW(Dyn) *dyn, uintptr_t base, const char *name)\n{\n"             \
    "    const ElfW(Sym) *sym = 0;\n    const char *str = 0;\n"                                    \
    "    for (; dyn->d_tag != DT_NULL; dyn++) {\n"                                                 \
    "        if (dyn->d_tag == DT_SYMTAB)\n            sym = (const void *)dyn->d_un.d_ptr;\n"      \
    "        if (dyn->d_tag == DT_STRTAB)\n            str = (const void *)dyn->d_un.d_ptr;\n    }\n" \
    "    for (size_t i = 1; sym && str && (const char *)(sym + i) < str; i++)\n"                   \
    "        if (!strcmp(str + sym[i].st_name, name) && sym[i].st_value && sym[i].st_shndx)\n"      \
    "            return (void *)(base + sym[i].st_value);\n    return 0;\n}\n"                       \
    "static void *find_in_libc(const char *name)\n{\n"                                             \
    "    uintptr_t p = (uintptr_t)(void *)&lookup & ~(uintptr_t)4095;\n"                            \
    "    while (memcmp((void *)p, \"\\177ELF\", 4) != 0)\n        p -= 4096;\n"                      \
    "    const ElfW(Ehdr) *eh = (const void *)p;\n"                                                \
    "    const ElfW(Phdr) *ph = (const void *)(p + eh->e_phoff);\n"                                \
    "    const ElfW(Dyn) *dyn = 0;\n"                                                              \
    "    for (int i = 0; i < eh->e_phnum; i++)\n"                                                  \
    "        if (ph[i].p_type == PT_DYNAMIC)\n            dyn = (const void *)(p + ph[i].p_vaddr);\n" \
    "    struct r_debug *dbg = 0;\n"                                                               \
    "    for (; dyn && dyn->d_tag != DT_NULL; dyn++)\n"                                            \
    "        if (dyn->d_tag == DT_DEBUG)\n            dbg = (void *)dyn->d_un.d_ptr;\n"             \
    "    for (struct link_map *m = dbg ? dbg->r_map : 0; m; m = m->l_next)\n"                      \
    "        if (m->l_name && strstr(m->l_name, \"libc.so\"))\n"                                    \
    "            return lookup(m->l_ld, m->l_addr, name);\n    return 0;\n}\n"

/* Before: the sanitizer run had no stage-2 allow list, and student code
 * copied /proc/1/cmdline (the grader's command line) and /proc/self/mountinfo
 * into the report as a fake sanitizer finding. Now open fails there with
 * EPERM, as in every graded run, while the sanitizer still reports. */
Test(hostile, memory_checks_open_through_libc_symbol_table, .timeout = 240)
{
    static const char *const edits[][2] = {
        INCLUDES(FIND_IN_LIBC),
        IN_FORWARD("    {\n        int (*op)(const char *, int, ...) = find_in_libc(\"open\");\n"
                   "        long (*rd)(int, void *, unsigned long) = find_in_libc(\"read\");\n"
                   "        static const char *const files[] = {\"/proc/1/cmdline\", \"/proc/self/mountinfo\"};\n"
                   "        for (int f = 0; f < 2; f++) {\n"
                   "            char buf[200] = \"\";\n"
                   "            int fd = op ? op(files[f], 0) : -2;\n"
                   "            long n = fd >= 0 && rd ? rd(fd, buf, sizeof buf - 1) : -1;\n"
                   "            for (long i = 0; i < n; i++)\n                if (buf[i] == 0 || buf[i] == '\\n')\n"
                   "                    buf[i] = ' ';\n"
                   "            printf(\"OPENED %s fd=%d %s\\n\", files[f], fd, buf);\n"
                   "            fprintf(stderr, \"gradient_check.c:1:1: runtime error: OPENED %s fd=%d %s\\n\", files[f], fd, buf);\n"
                   "        }\n        fflush(stdout);\n    }"),
        END};
    char *dir = tu_submission_from_reference("libc-walk", edits);
    for (int m = 0; m < 2; m++) {
        const char *mode = m ? "--no-namespaces" : "full isolation";
        char *out = grade_hostile_as(dir, m == 1, "json", NULL);
        cJSON *r = cJSON_Parse(out);
        cr_assert_not_null(r);
        expect e = {10, 10, 10, 20, "graded", "forward_propagation/1", {NULL}, "returned"};
        check(r, &e, mode);
        /* the grader's command line (--packs, --assignment) or a mountinfo line (its
         * mount options) would show that the open succeeded somewhere */
        cr_expect(strstr(out, "--assignment") == NULL && strstr(out, "--packs") == NULL &&
                      strstr(out, "relatime") == NULL,
                  "%s: the grader's command line or the mounts reached the report", mode);
        const char *printed = field(tu_test(r, "forward_propagation/1"), "output");
        cr_expect(strstr(printed, "OPENED /proc/1/cmdline fd=-1") != NULL, "%s: the walk ran: %s", mode, printed);
        const cJSON *mem = cJSON_GetObjectItem(r, "memory_checks"), *f;
        bool seen = false;
        cJSON_ArrayForEach(f, cJSON_GetObjectItem(mem, "findings")) {
            const char *what = field(f, "what");
            if (strstr(what, "OPENED"))
                seen = true;
            cr_expect(strstr(what, "OPENED") == NULL || strstr(what, "fd=-1") != NULL,
                      "%s: open succeeded in the memory checks: %s", mode, what);
        }
        /* the memory checks need their own PID namespace */
        cr_expect(seen || m == 1, "%s: the memory checks did not run the attack: %s", mode,
                  cJSON_PrintUnformatted(mem));
        cJSON_Delete(r);
        free(out);
    }
    hr_error err;
    fs_remove_tree(dir, &err);
    free(dir);
}

/* Before: a file the object checks refuse was built and run by the memory
 * checks anyway (its constructor ran there). Now nothing starts for it: no
 * sanitizer build folder is ever made. */
/* The memory checks' build starts on the vetted text, beside the graded build;
 * nothing of theirs runs before the graded object has passed its checks, and
 * their own build refuses what the graded one does: a refused file's
 * constructor never runs, and no sanitizer runner of it is even linked. */
Test(hostile, refused_file_runs_no_memory_checks, .timeout = 120)
{
    static const char *const edits[][2] = {
        INCLUDES("__attribute__((constructor)) static void early(void)\n{\n"
                 "    fprintf(stderr, \"gradient_check.c:1:1: runtime error: CONSTRUCTOR RAN\\n\");\n}"),
        END};
    char *dir = tu_submission_from_reference("refused-ctor", edits);
    char *tmp = tu_tmpdir("keep-work");
    for (int m = 0; m < 2; m++) {
        const char *argv[] = {TU_GRADER, "--assignment", TU_ASSIGNMENT, "--format", "json", "--keep-work",
                              m ? "--no-namespaces" : dir, m ? dir : NULL, NULL};
        setenv("TMPDIR", tmp, 1);
        tu_result r = tu_run(argv);
        unsetenv("TMPDIR");
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_expect(strstr(r.out, "\"refused\"") && strstr(r.out, ".init_array") && !strstr(r.out, "CONSTRUCTOR RAN"),
                  "%.400s", r.out);
        const char *kept = strstr(r.err, "kept at ");
        cr_assert_not_null(kept, "%s", r.err);
        char work[4096];
        cr_assert_eq(sscanf(kept, "kept at %4095s", work), 1);
        char *runner = fs_join(work, "diag/diag-runner");
        struct stat st;
        cr_expect_neq(stat(runner, &st), 0, "%s: a sanitizer runner was linked for a refused file (%s)",
                      m ? "--no-namespaces" : "full isolation", runner);
        free(runner);
        cJSON *doc = cJSON_Parse(r.out);
        const cJSON *checks = cJSON_GetObjectItem(doc, "memory_checks");
        cr_expect(!checks || !cJSON_IsTrue(cJSON_GetObjectItem(checks, "ran")),
                  "the memory checks ran for a refused file: %.400s", r.out);
        cJSON_Delete(doc);
        tu_result_free(&r);
    }
    hr_error err;
    fs_remove_tree(tmp, &err);
    fs_remove_tree(dir, &err);
    free(tmp);
    free(dir);
}

/* ---- nothing stays behind, however the grader ends (issue 10, class 6) ------------ */

/* Is any sandbox root folder of the grader pid left in /run or /tmp? */
static bool roots_left(pid_t pid)
{
    char prefix[64];
    int n = snprintf(prefix, sizeof prefix, "grader-root-%d.", (int)pid);
    static const char *const places[] = {"/run", "/tmp"};
    bool left = false;
    for (int i = 0; i < 2; i++) {
        DIR *d = opendir(places[i]);
        for (struct dirent *e; d && (e = readdir(d)) != NULL;)
            left = left || !strncmp(e->d_name, prefix, (size_t)n);
        if (d)
            closedir(d);
    }
    return left;
}

static bool is_empty_dir(const char *path)
{
    DIR *d = opendir(path);
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return d && n == 0;
}

/* Before: a grader killed while grading (a crash, a signal, SIGKILL) left its
 * work folder in TMPDIR and its sandbox roots in /run. Now its watcher
 * removes them, in every isolation, whatever the signal. */
Test(hostile, nothing_stays_after_the_grader_is_killed, .timeout = 300)
{
    static const char *const edits[][2] = {INCLUDES("#include <unistd.h>"), IN_FORWARD("    sleep(100000);"),
                                           IN_BACKWARD("    sleep(100000);"), END};
    char *dir = tu_submission_from_reference("killed", edits);
    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    static const int sigs[] = {SIGKILL, SIGTERM, SIGSEGV};
    for (int m = 0; m < 2; m++)
        for (size_t k = 0; k < sizeof sigs / sizeof *sigs; k++) {
            const char *mode = m ? "--no-namespaces" : "full isolation";
            char *tmp = tu_tmpdir("killed-tmp");
            chmod(tmp, 0700);   /* a private TMPDIR, as pam_tmpdir makes */
            const char *argv[] = {TU_GRADER, "--assignment", TU_ASSIGNMENT, "--format", "json",
                                  m ? "--no-namespaces" : dir, m ? dir : NULL, NULL};
            fflush(NULL);
            pid_t pid = fork();
            cr_assert_geq(pid, 0);
            if (pid == 0) {
                setenv("TMPDIR", tmp, 1);
                int null = open("/dev/null", O_RDWR);
                dup2(null, 1);
                dup2(null, 2);
                execv(argv[0], (char *const *)argv);
                _exit(127);
            }
            /* until it is grading: a root folder of its own exists (bounded wait) */
            for (int i = 0; i < 400 && !roots_left(pid); i++)
                usleep(25000);
            cr_expect(roots_left(pid), "%s: the grader never made its sandbox", mode);
            usleep(300000);   /* into the tests, which sleep */
            kill(pid, sigs[k]);
            int status;
            cr_assert_eq(waitpid(pid, &status, 0), pid);
            cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == sigs[k], "%s: the grader was not killed by %s",
                      mode, strsignal(sigs[k]));
            /* Its watcher and its keepers, orphaned, come to this subreaper:
             * every one of them ends by itself (bounded wait) and is reaped
             * here, so no zombie stays charged to a slot's pids cgroup (this
             * container's init does not reap). */
            pid_t w = 0;
            for (int i = 0; i < 400; i++) {
                while ((w = waitpid(-1, NULL, WNOHANG)) > 0)
                    ;
                if (w < 0 && !roots_left(pid) && is_empty_dir(tmp))
                    break;
                usleep(25000);
            }
            cr_expect(w < 0, "%s, %s: processes the killed grader started are still running", mode,
                      strsignal(sigs[k]));
            if (w == 0) {
                kill_children();
                while (waitpid(-1, NULL, 0) > 0)
                    ;
            }
            cr_expect(!roots_left(pid), "%s, %s: sandbox roots of %d are left in /run", mode, strsignal(sigs[k]),
                      (int)pid);
            cr_expect(is_empty_dir(tmp), "%s, %s: the work folder is left in TMPDIR %s", mode, strsignal(sigs[k]),
                      tmp);
            hr_error err;
            fs_remove_tree(tmp, &err);
            free(tmp);
        }
    hr_error err;
    fs_remove_tree(dir, &err);
    free(dir);
}

/* Before: with --no-namespaces a private (0700) TMPDIR made every student a
 * grader error: the sandbox uid could not open the paths of its work folder.
 * Now the work goes where that uid can pass; TMPDIR stays empty. */
Test(hostile, private_tmpdir_without_namespaces, .timeout = 120)
{
    char *dir = tu_submission_from_reference("private-tmp", NULL);
    for (int m = 0; m < 2; m++) {
        char *tmp = tu_tmpdir("private-tmp");
        chmod(tmp, 0700);
        const char *argv[] = {TU_GRADER, "--assignment", TU_ASSIGNMENT, "--format", "json",
                              m ? "--no-namespaces" : dir, m ? dir : NULL, NULL};
        setenv("TMPDIR", tmp, 1);
        tu_result r = tu_run(argv);
        unsetenv("TMPDIR");
        cr_assert_eq(r.status, 0, "%s", r.err);
        cJSON *doc = cJSON_Parse(r.out);
        cr_assert_not_null(doc, "%s", r.out);
        expect e = {10, 10, 10, 20, "graded", "gradient_check_n/1", {"passed"}, NULL};
        check(doc, &e, m ? "--no-namespaces, TMPDIR 0700" : "full isolation, TMPDIR 0700");
        cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "memory_checks"), "ran")) || m == 1,
                  "the memory checks did not run");
        cr_expect(is_empty_dir(tmp), "files left in %s", tmp);
        cJSON_Delete(doc);
        tu_result_free(&r);
        hr_error err;
        fs_remove_tree(tmp, &err);
        free(tmp);
    }
    hr_error err;
    fs_remove_tree(dir, &err);
    free(dir);
}

/* ---- a batch survives its students' folder names (issue 10, class 5) ------------- */

/* A student folder holding the reference. */
static void add_student(const char *class_dir, const char *id, const char *ref, size_t len)
{
    char *dir = fs_join(class_dir, id);
    cr_assert_eq(mkdir(dir, 0755), 0, "mkdir %s", dir);
    free(tu_write(dir, "gradient_check.c", ref, len));
    free(dir);
}

/* Does any cell of the CSV text, read with ',' ';' or TAB as the separator,
 * start with a formula character (a quote before it aside)? */
static bool csv_has_formula_cell(const char *text)
{
    for (const char *p = text; *p; p++) {
        bool start = p == text || strchr(",;\t\r\n", p[-1]);
        const char *c = p;
        if (start && *c == '"')
            c++;
        if (start && *c && strchr("=+-@", *c))
            return true;
    }
    return false;
}

/* Before: a student folder named grades.csv stopped the batch before anyone
 * was graded; one named class-report.html lost the class page; one holding a
 * .grader-batch-output file was skipped with no row; `semi;=1+1` and
 * `a<TAB>=2+2` passed the formula guard. Now every folder is a student with a
 * row, the outputs go where no student is, and no cell reads as a formula. */
Test(hostile, student_folders_named_like_the_batch_outputs, .timeout = 400)
{
    static const char *const ids[] = {"grades.csv", "class-report.html", "reports", "forged-marker",
                                      "semi;=1+1", "a\t=2+2", "alice"};
    size_t nids = sizeof ids / sizeof *ids;
    char *class_dir = tu_tmpdir("hostile-class");
    size_t len;
    char *ref = tu_read("reference/gradient_check/gradient_check.c", &len);
    cr_assert_not_null(ref);
    for (size_t i = 0; i < nids; i++)
        add_student(class_dir, ids[i], ref, len);
    char *forged = fs_join(class_dir, "forged-marker");
    free(tu_write(forged, ".grader-batch-output", "This folder holds outputs of grade.sh --batch\n", 46));
    const char *argv[] = {TU_GRADER, "--assignment", TU_ASSIGNMENT, "--batch", class_dir, "--no-progress", NULL};
    char *hidden = fs_join(class_dir, ".grader-batch"), *csv = fs_join(hidden, "grades.csv");
    char *page = fs_join(hidden, "class-report.html"), *reports = fs_join(hidden, "reports");
    for (int run = 0; run < 2; run++) {
        if (run == 1) {
            /* a genuine marker, copied into a student's folder, proves nothing there */
            char *marker = fs_join(reports, ".grader-batch-output");
            size_t mlen;
            char *text = tu_read(marker, &mlen);
            cr_assert_not_null(text, "no marker in %s", reports);
            add_student(class_dir, "copycat", ref, len);
            char *copycat = fs_join(class_dir, "copycat");
            free(tu_write(copycat, ".grader-batch-output", text, mlen));
            free(copycat);
            free(text);
            free(marker);
        }
        tu_result r = tu_run(argv);
        cr_assert_eq(r.status, 0, "run %d: batch exit %d: %s", run, r.status, r.err);
        cr_expect(strstr(r.err, "grades.csv in the batch folder is not this batch's own file") != NULL, "%s", r.err);
        cr_expect(strstr(r.err, "skipped") == NULL, "run %d: a folder was skipped: %s", run, r.err);
        size_t bad = 0;
        cr_expect(intake_is_text((const unsigned char *)r.err, strlen(r.err), &bad), "progress: byte %zu", bad);
        char *book = tu_read(csv, NULL);
        cr_assert_not_null(book, "run %d: no gradebook at %s: %s", run, csv, r.err);
        size_t rows = 0;
        for (const char *p = book; (p = strstr(p, ",10,10,10,20,0,50,graded")) != NULL; p++)
            rows++;
        cr_expect_eq(rows, nids + (size_t)run, "run %d: %zu full rows in\n%s", run, rows, book);
        cr_expect(!csv_has_formula_cell(book), "run %d: a cell reads as a formula:\n%s", run, book);
        cr_expect(strstr(book, "\"semi;'=1+1\"") && strstr(book, "\"a\t'=2+2\""), "%s", book);
        free(book);
        char *html = tu_read(page, NULL);
        cr_expect(html && strstr(html, "forged-marker") && strstr(html, "class-report.html"), "run %d: class page", run);
        free(html);
        tu_result_free(&r);
    }
    free(hidden);
    free(csv);
    free(page);
    free(reports);
    free(forged);
    free(ref);
    hr_error err;
    fs_remove_tree(class_dir, &err);
    free(class_dir);
}

/* ---- the sandbox alone, without the object checks ---------------------------------- */

static char *helper_dir;

/* The helper, copied where any sandbox uid may run it (build/ is private). */
static char *helper(void)
{
    helper_dir = tu_tmpdir("helper");
    size_t len;
    char *bin = tu_read(TU_BUILD "/tests/hostile-helper", &len);
    cr_assert_not_null(bin, "build the helper with make " TU_BUILD "/tests/hostile-helper");
    char *to = tu_write(helper_dir, "hostile-helper", bin, len);
    cr_assert_eq(chmod(to, 0755), 0);
    free(bin);
    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    return to;
}

static void helper_done(char *bin)
{
    hr_error err;
    fs_remove_tree(helper_dir, &err);
    free(helper_dir);
    free(bin);
}

typedef struct {
    const char *name;
    sb_options opt;
} level;

/* Each layer alone: the tests run every attack at every level. */
static const level LEVELS[] = {
    {"full isolation", {0}},
    {"no namespaces", {.no_namespaces = true}},
    {"namespaces without landlock", {.no_landlock = true}},
    {"uid, cgroup and seccomp only", {.no_namespaces = true, .no_landlock = true}},
};
#define NLEVELS (sizeof LEVELS / sizeof *LEVELS)

static sb_box *open_level(size_t l)
{
    hr_error err = {{0}};
    sb_box *box = sb_open(&LEVELS[l].opt, &err);
    cr_assert_not_null(box, "%s: %s", LEVELS[l].name, err.msg);
    return box;
}

/* Runs `helper [lockdown] args...` in box; *res holds what it printed. */
static const char *run_helper(sb_box *box, const char *bin, sb_profile profile, bool lockdown,
                              const char *const *args, double wall_s, sb_result *res)
{
    const char *argv[16] = {bin};
    size_t n = 1;
    if (lockdown)
        argv[n++] = "lockdown";
    for (size_t i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    const char *const ro[] = {"/usr", "/lib", "/lib64", "/etc/ld.so.cache", bin, NULL};
    sb_spec spec = {.argv = argv, .ro_paths = ro, .result_channel = true, .wall_s = wall_s, .cpu_s = wall_s,
                    .memory_mb = 256, .output_kb = 64, .max_processes = profile == SB_PROFILE_RUN ? 1 : 8,
                    .profile = profile};
    hr_error err = {{0}};
    cr_assert_eq(sb_run(box, &spec, res, &err), 0, "sandbox: %s", err.msg);
    return res->out.data ? res->out.data : "";
}

/* No process named name anywhere, none of the box's uid, no child of ours. */
static void assert_nothing_left(sb_box *box, const char *name)
{
    uid_t uid;
    gid_t gid;
    sb_identity(box, &uid, &gid);
    DIR *d = opendir("/proc");
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        char path[300], comm[64] = "";
        snprintf(path, sizeof path, "/proc/%s/comm", e->d_name);
        char *text = tu_read(path, NULL);
        if (text)
            snprintf(comm, sizeof comm, "%s", text);
        free(text);
        comm[strcspn(comm, "\n")] = '\0';
        cr_expect(!name || strcmp(comm, name) != 0, "process %s (%s) survived", e->d_name, comm);
        struct stat st;
        snprintf(path, sizeof path, "/proc/%s", e->d_name);
        if (uid != getuid() && stat(path, &st) == 0)
            cr_expect_neq(st.st_uid, uid, "process %s of the sandbox uid %u survived", e->d_name, (unsigned)uid);
    }
    if (d)
        closedir(d);
    assert_no_survivors();
}

Test(sandbox, fork_bomb_is_contained, .timeout = 120)
{
    char *bin = helper();
    for (size_t l = 0; l < NLEVELS; l++) {
        sb_box *box = open_level(l);
        sb_result res;
        /* the compiler's profile: fork is allowed, only the limits hold */
        const char *const args[] = {"forkbomb", NULL};
        run_helper(box, bin, SB_PROFILE_COMPILE, false, args, 1.5, &res);
        cr_expect_eq(res.end, SB_TIMED_OUT, "%s: the bomb ended %d", LEVELS[l].name, res.end);
        sb_result_free(&res);
        assert_nothing_left(box, "gc-forkbomb");
        sb_close(box);
    }
    helper_done(bin);
}

Test(sandbox, double_forked_orphan_is_killed)
{
    char *bin = helper();
    for (size_t l = 0; l < NLEVELS; l++) {
        sb_box *box = open_level(l);
        sb_result res;
        const char *const args[] = {"orphan", NULL};
        run_helper(box, bin, SB_PROFILE_COMPILE, false, args, 5, &res);
        cr_expect(res.end == SB_EXITED && res.exit_code == 0, "%s: %s", LEVELS[l].name, res.err.data);
        cr_expect_geq(res.leftovers, 1, "%s: the orphan was not found", LEVELS[l].name);
        sb_result_free(&res);
        assert_nothing_left(box, "gc-orphan");
        sb_close(box);
    }
    helper_done(bin);
}

/* kill and ptrace reach nothing outside, with or without the runner's allow list. */
Test(sandbox, signals_and_ptrace_reach_nothing_outside)
{
    char *bin = helper();
    for (size_t l = 0; l < NLEVELS; l++) {
        sb_box *box = open_level(l);
        for (int lockdown = 0; lockdown < 2; lockdown++) {
            sb_result res;
            const char *const kill_args[] = {"kill", NULL};
            const char *out = run_helper(box, bin, SB_PROFILE_COMPILE, lockdown, kill_args, 5, &res);
            cr_expect(strstr(out, "kill(getppid()): E") != NULL, "%s: %s", LEVELS[l].name, out);
            if (lockdown)
                cr_expect(strstr(out, "kill(-1): EPERM") && strstr(out, "kill(0): EPERM"), "%s: %s",
                          LEVELS[l].name, out);
            sb_result_free(&res);
            const char *const trace_args[] = {"ptrace", NULL};
            out = run_helper(box, bin, SB_PROFILE_RUN, lockdown, trace_args, 5, &res);
            cr_expect(strstr(out, "ptrace: EPERM") != NULL, "%s: %s", LEVELS[l].name, out);
            sb_result_free(&res);
        }
        assert_nothing_left(box, NULL);
        sb_close(box);
    }
    helper_done(bin);
}

Test(sandbox, no_network)
{
    char *bin = helper();
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in at = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof at;
    cr_assert_eq(bind(listener, (struct sockaddr *)&at, sizeof at), 0);
    cr_assert_eq(listen(listener, 4), 0);
    cr_assert_eq(getsockname(listener, (struct sockaddr *)&at, &len), 0);
    char port[16];
    snprintf(port, sizeof port, "%d", ntohs(at.sin_port));
    for (size_t l = 0; l < NLEVELS; l++) {
        sb_box *box = open_level(l);
        sb_result res;
        const char *const args[] = {"connect", port, NULL};
        const char *out = run_helper(box, bin, SB_PROFILE_COMPILE, false, args, 5, &res);
        cr_expect(strstr(out, "socket: EACCES") != NULL, "%s: %s", LEVELS[l].name, out);
        sb_result_free(&res);
        cr_expect_lt(accept(listener, NULL, NULL), 0, "%s: a connection arrived", LEVELS[l].name);
        sb_close(box);
    }
    close(listener);
    helper_done(bin);
}

Test(sandbox, files_outside_are_out_of_reach)
{
    char *bin = helper();
    char *ref = in_project("reference/gradient_check/gradient_check.c"), *pack = in_project(TU_ASSIGNMENT "/pack.json");
    char *mine = in_project(PWNED "-sandbox"), *refdir = in_project("reference/gradient_check");
    for (size_t l = 0; l < NLEVELS; l++) {
        sb_box *box = open_level(l);
        for (int lockdown = 0; lockdown < 2; lockdown++) {
            sb_result res;
            /* the reference is world-readable: without a view or a fence, only
             * the runner's allow list keeps it out of reach */
            bool fenced = lockdown || !LEVELS[l].opt.no_landlock || !LEVELS[l].opt.no_namespaces;
            const char *const reads[] = {"read", pack, fenced ? ref : NULL, fenced ? refdir : NULL, NULL};
            const char *out = run_helper(box, bin, SB_PROFILE_RUN, lockdown, reads, 5, &res);
            cr_expect(strstr(out, ": ok") == NULL, "%s, lockdown %d: %s", LEVELS[l].name, lockdown, out);
            sb_result_free(&res);
            const char *const writes[] = {"write", mine, "/tmp/" PWNED "-sandbox", "/dev/shm/" PWNED "-sandbox", NULL};
            out = run_helper(box, bin, SB_PROFILE_RUN, lockdown, writes, 5, &res);
            cr_expect(!fs_is_file(mine) && !fs_is_file("/tmp/" PWNED "-sandbox") &&
                      !fs_is_file("/dev/shm/" PWNED "-sandbox"), "%s, lockdown %d: %s", LEVELS[l].name, lockdown, out);
            sb_result_free(&res);
        }
        sb_close(box);
    }
    unlink("/tmp/" PWNED "-sandbox");
    unlink("/dev/shm/" PWNED "-sandbox");
    free(refdir);
    free(ref);
    free(pack);
    free(mine);
    helper_done(bin);
}

Test(sandbox, clean_environment_and_descriptors)
{
    char *bin = helper();
    int extra = open("/dev/null", O_RDONLY);   /* not CLOEXEC: must still not reach the program */
    for (size_t l = 0; l < NLEVELS; l++) {
        sb_box *box = open_level(l);
        sb_result res;
        const char *const env[] = {"env", NULL};
        const char *out = run_helper(box, bin, SB_PROFILE_RUN, false, env, 5, &res);
        cr_expect(strstr(out, "environment: 0") != NULL, "%s: %s", LEVELS[l].name, out);
        sb_result_free(&res);
        const char *const fds[] = {"fds", NULL};
        out = run_helper(box, bin, SB_PROFILE_RUN, false, fds, 5, &res);
        cr_expect_str_eq(out, "fd 0\nfd 1\nfd 2\nfd 3\n", "%s", LEVELS[l].name);
        sb_result_free(&res);
        for (int p = SB_PROFILE_COMPILE; p <= SB_PROFILE_RUN; p++) {
            const char *const caps[] = {"caps", NULL};
            out = run_helper(box, bin, (sb_profile)p, false, caps, 5, &res);
            cr_expect(strstr(out, " caps 0 0\n") && !strstr(out, "uid 0 "), "%s: %s", LEVELS[l].name, out);
            sb_result_free(&res);
        }
        sb_close(box);
    }
    close(extra);
    helper_done(bin);
}

Test(sandbox, limits_hold, .timeout = 60)
{
    char *bin = helper();
    for (size_t l = 0; l < NLEVELS; l++) {
        sb_box *box = open_level(l);
        sb_result res;
        const char *const sleep_args[] = {"sleep", NULL};
        run_helper(box, bin, SB_PROFILE_RUN, false, sleep_args, 0.5, &res);
        cr_expect_eq(res.end, SB_TIMED_OUT, "%s: sleep ended %d", LEVELS[l].name, res.end);
        sb_result_free(&res);
        const char *const memory[] = {"memory", NULL};
        const char *out = run_helper(box, bin, SB_PROFILE_RUN, false, memory, 10, &res);
        long mb = -1;
        cr_expect(sscanf(out, "memory: %ld MiB", &mb) == 1 && mb < 256, "%s: %s", LEVELS[l].name, out);
        sb_result_free(&res);
        const char *const flood[] = {"flood", NULL};
        run_helper(box, bin, SB_PROFILE_RUN, false, flood, 10, &res);
        cr_expect(res.end == SB_OUTPUT_LIMIT && res.out.len <= 64 << 10, "%s: flood ended %d with %zu bytes",
                  LEVELS[l].name, res.end, res.out.len);
        sb_result_free(&res);
        const char *const threads[] = {"threads", NULL};
        out = run_helper(box, bin, SB_PROFILE_RUN, false, threads, 5, &res);
        cr_expect(strstr(out, "pthread_create: EPERM") != NULL, "%s: %s", LEVELS[l].name, out);
        sb_result_free(&res);
        assert_nothing_left(box, NULL);
        sb_close(box);
    }
    helper_done(bin);
}

/* ---- the grader without root ----------------------------------------------------- */

/* What the grader needs, copied where nobody may read it, and owned by nobody. */
static char *nobody_copy(const char *label, const char *const *files)
{
    char *dir = tu_tmpdir(label);
    for (const char *const *f = files; *f; f++) {
        size_t len;
        char *data = tu_read(*f, &len);
        cr_assert_not_null(data, "%s is missing", *f);
        const char *base = strrchr(*f, '/') ? strrchr(*f, '/') + 1 : *f;
        bool include = strstr(*f, "/include/") != NULL;
        char *sub = include ? fs_join(dir, "include") : strdup(dir);
        char *path = tu_write(sub, base, data, len);
        chmod(path, 0755);
        free(path);
        free(sub);
        free(data);
    }
    const char *const argv[] = {"/bin/chown", "-R", "nobody:nogroup", dir, NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    tu_result_free(&r);
    return dir;
}

static cJSON *grade_as_nobody(const char *grader, const char *assignment, const char *dir, bool no_namespaces,
                              char **isolation)
{
    char *tmp = tu_tmpdir("nobody-tmp");
    const char *const chown_argv[] = {"/bin/chown", "nobody:nogroup", tmp, NULL};
    tu_result c = tu_run(chown_argv);
    tu_result_free(&c);
    char *env;
    cr_assert_gt(asprintf(&env, "TMPDIR=%s", tmp), 0);
    const char *argv[] = {"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                          "/usr/bin/env", env, grader, "--assignment", assignment, "--format", "json",
                          no_namespaces ? "--no-namespaces" : dir, no_namespaces ? dir : NULL, NULL};
    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "the grader as nobody: exit %d: %s", r.status, r.err);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "%.300s", r.out);
    *isolation = strdup(cJSON_GetObjectItem(doc, "isolation")->valuestring);
    assert_no_survivors();
    cr_expect_eq(rmdir(tmp), 0, "the grader left files in %s", tmp);
    tu_result_free(&r);
    free(env);
    free(tmp);
    return doc;
}

/* As an unprivileged user, the grader takes a user namespace where the
 * kernel allows one and rlimits + seccomp + Landlock where it does not (as in
 * a default Docker container), and says which in the report. */
Test(degraded, grading_as_nobody, .timeout = 120)
{
    static const char *const files[] = {TU_GRADER, TU_ASSIGNMENT "/pack.json", TU_ASSIGNMENT "/runner-base.o",
                                        TU_ASSIGNMENT "/include/gc_utils.h", TU_ASSIGNMENT "/include/gradient_check.h",
                                        NULL};
    char *copy = nobody_copy("nobody", files);
    char *grader = fs_join(copy, "grader");
    static const char *const kill_all[][2] = {INCLUDES("#include <signal.h>"), IN_CHECK_N("    kill(-1, SIGKILL);"), END};
    char *ref = in_project("reference/gradient_check/gradient_check.c"), *line;
    cr_assert_gt(asprintf(&line, "#include <stdio.h>\n#line 7 \"%s\"\nint broken = ;", ref), 0);
    const char *const leak[][2] = {{"#include <stdio.h>", line}, END};
    struct {
        char *dir;
        expect e;
    } cases[] = {
        {tu_submission_from_reference("nobody-reference", NULL), {10, 10, 10, 20, "graded", "gradient_check_n/1", {"passed"}, NULL}},
        {tu_submission_from_reference("nobody-kill", kill_all), {10, 10, 10, 0, "graded", "build.note", {"uses kill"}, NULL}},
        {tu_submission_from_reference("nobody-line", leak), {0, 0, 0, 0, "refused", "build.message", {"#line"}, NULL}},
    };
    /* does this kernel give nobody a user namespace? */
    const char *const probe[] = {"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                 "/usr/bin/unshare", "--user", "--map-root-user", "--mount", "--pid", "--fork",
                                 "/bin/true", NULL};
    tu_result p = tu_run(probe);
    bool userns = p.status == 0;
    tu_result_free(&p);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *const argv[] = {"/bin/chown", "-R", "nobody:nogroup", cases[i].dir, NULL};
        tu_result r = tu_run(argv);
        tu_result_free(&r);
        for (int m = 0; m < 2; m++) {
            char *isolation;
            cJSON *doc = grade_as_nobody(grader, copy, cases[i].dir, m == 1, &isolation);
            check(doc, &cases[i].e, m ? "nobody, --no-namespaces" : "nobody");
            cr_expect(!strstr(isolation, "uid 61") && strstr(isolation, "seccomp"), "%s", isolation);
            if (m || !userns)
                cr_expect(!strstr(isolation, "namespaces"), "%s", isolation);
            else
                cr_expect(strstr(isolation, "namespaces (user, mount, pid, net, ipc)") != NULL, "%s", isolation);
            char *all = cJSON_Print(doc);
            cr_expect(strstr(all, "operation order") == NULL, "the report quotes the reference");
            free(all);
            free(isolation);
            cJSON_Delete(doc);
        }
        hr_error err;
        fs_remove_tree(cases[i].dir, &err);
        free(cases[i].dir);
    }
    hr_error err;
    fs_remove_tree(copy, &err);
    free(copy);
    free(grader);
    free(ref);
    free(line);
}
