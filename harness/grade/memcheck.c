/* memcheck — see memcheck.h. */
#include "memcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "fsutil.h"
#include "jsonio.h"
#include "observe.h"
#include "seccomp_filter.h"

/* The sanitizers report raw stacks (symbolized afterwards, see diagnose.h);
 * no limit on the address space, the allocator's instead (see sandbox.h). */
static const char *const SANITIZER_ENV[] = {
    "ASAN_OPTIONS=detect_leaks=1:symbolize=0:malloc_limit_mb=512:"
    "allocator_may_return_null=1:detect_stack_use_after_return=0:print_summary=1:color=never",
    "UBSAN_OPTIONS=color=never", NULL};

/* The most addresses one addr2line call is given (the sandbox's argv limit). */
#define SYMBOLIZE_MAX 48
/* The most a child's report may be. */
#define REPORT_MAX (1u << 20)

struct memcheck {
    pid_t pid;
    int fd;                 /* the child's report */
    int go;                 /* the child's go-ahead for its runs (-1: given or not needed) */
    double deadline;
};

/* Waits (until the deadline) for the go-ahead on fd; true when it came. */
static bool wait_for_go(int fd, double deadline)
{
    for (;;) {
        double left = deadline - clock_now_s();
        struct pollfd pf = {fd, POLLIN, 0};
        int rc = left > 0 ? poll(&pf, 1, (int)(left * 1000) + 1) : 0;
        if (rc < 0 && errno == EINTR)
            continue;
        char c = 0;
        return rc > 0 && read(fd, &c, 1) == 1 && c == 'y';
    }
}

/* ---- the child ------------------------------------------------------------------ */

/* What one run printed, read into findings; the stacks symbolized by addr2line
 * (sandboxed: it reads an ELF built from student text). */
static int read_findings(sb_box *box, const char *module, const char *source, const char *test_id,
                         const char *output, diag_report *report, hr_error *err)
{
    size_t n;
    char **addresses = diagnose_addresses(output, module, &n);
    diag_symbols symbols = {0};
    int rc = 0;
    if (n > 0) {
        const char *argv[SYMBOLIZE_MAX + 8] = {"/usr/bin/addr2line", "-a", "-f", "-i", "-e", module};
        size_t k = 6;
        for (size_t i = 0; i < n && i < SYMBOLIZE_MAX; i++)
            argv[k++] = addresses[i];
        argv[k] = NULL;
        const char *const ro[] = {"/usr", "/lib", "/lib64", "/etc/ld.so.cache", module, NULL};
        static const char *const env[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", NULL};
        sb_spec spec = {.argv = argv, .envp = env, .ro_paths = ro, .wall_s = 10, .cpu_s = 10,
                        .memory_mb = 1024, .output_kb = 1024, .max_processes = 1,
                        .profile = SB_PROFILE_COMPILE};
        sb_result res;
        rc = sb_run(box, &spec, &res, err);
        if (rc == 0 && res.end == SB_EXITED && res.exit_code == 0)
            diagnose_read_symbols(res.out.data, &symbols);
        if (rc == 0)
            sb_result_free(&res);
    }
    if (rc == 0)
        diagnose_parse(output, source, module, &symbols, test_id, report);
    diag_symbols_free(&symbols);
    for (size_t i = 0; i < n; i++)
        free(addresses[i]);
    free(addresses);
    return rc;
}

static long graded_index(const pack *p, const char *fn)
{
    for (size_t i = 0; p->graded[i]; i++)
        if (!strcmp(p->graded[i], fn))
            return (long)i;
    return -1;
}

/* The sanitizer runner on the first visible test of each function it keeps:
 * one start-up per function shows what it does wrong with memory, and hidden
 * inputs never reach feedback. */
static int run_checks(const pack *p, sb_box *box, const build_diag *d, const char *source, double deadline,
                      diag_report *report, hr_error *err)
{
    /* the graded runs' stage-2 allow list, with the sanitizer runtimes' own calls */
    observe_target target = {.box = box, .runner = d->runner, .profile = SB_PROFILE_DIAGNOSE,
                             .envp = SANITIZER_ENV, .lockdown = seccomp_filter_available()};
    if (observe_begin(&target, err) != 0)
        return -1;
    bool *done = calloc(sizeof(bool), 256);
    int rc = done ? 0 : hr_fail(err, "out of memory");
    for (size_t e = 0; rc == 0 && e < p->rubric.nexercises; e++)
        for (size_t t = 0; rc == 0 && t < p->rubric.exercises[e].ntests; t++) {
            const rubric_test *test = &p->rubric.exercises[e].tests[t];
            long i = graded_index(p, test->function);
            if (i < 0 || i >= 256 || done[i] || !d->defined[i] || test->visibility != RUBRIC_VISIBLE ||
                clock_now_s() > deadline)
                continue;
            done[i] = true;
            rubric_limits lim = test->limits;   /* sanitized code runs a few times slower */
            lim.time_s *= 3;
            lim.cpu_s *= 3;
            const pack_case *c = &p->cases[e][t];
            observation obs;
            rc = observe_run_calls(&target, c->id, test->function, c->inputs, test->calls, &lim, &obs, err);
            if (rc == 0)
                rc = read_findings(box, d->runner, source, c->id, obs.err, report, err);
            observation_free(&obs);
        }
    free(done);
    observe_end(&target);
    return rc;
}

/* A copy of the vetted text in work/diag, a folder the second box's uid owns. */
static char *prepare_dir(const sb_box *box, const char *work, const char *out_dir, hr_error *err)
{
    char *dir = fs_join(work, "diag"), *from = fs_join(out_dir, "submission.i");
    char *to = dir ? fs_join(dir, "submission.i") : NULL;
    uid_t uid;
    gid_t gid;
    sb_identity(box, &uid, &gid);
    size_t len;
    char *text = from ? fs_slurp(from, 64u << 20, &len, err) : NULL;
    int rc = !dir || !to || !text ? -1 : mkdir(dir, 0700) != 0 ? hr_fail(err, "cannot create %s", dir) : 0;
    if (rc == 0 && geteuid() == 0 && chown(dir, uid, gid) != 0)
        rc = hr_fail(err, "cannot hand %s to the sandbox", dir);
    if (rc == 0)
        rc = fs_write_atomic(to, text, len, err);
    free(text);
    free(from);
    free(to);
    if (rc != 0) {
        free(dir);
        return NULL;
    }
    return dir;
}

static cJSON *child_report(const pack *p, const build_config *cfg, const sb_box *parent, const char *work,
                           const char *out_dir, const char *source, double deadline, int go)
{
    cJSON *doc = cJSON_CreateObject();
    hr_error err = {{0}};
    sb_box *box = sb_open_like(parent, &err);
    char *dir = box ? prepare_dir(box, work, out_dir, &err) : NULL;
    char *base = fs_join(work, "pub/runner-base.o");
    build_diag d = {0};
    diag_report report = {0};
    int rc = dir && base ? build_diagnostic_runner(box, cfg, dir, base, &d, &err) : -1;
    /* built from the vetted text while the graded build goes on; run only
     * once the graded object has passed its checks too */
    if (rc == 0 && d.runner && go >= 0 && !wait_for_go(go, deadline))
        rc = hr_fail(&err, "the graded build did not accept the file");
    if (rc == 0 && d.runner)
        rc = run_checks(p, box, &d, source, deadline, &report, &err);
    cJSON_AddBoolToObject(doc, "ran", rc == 0 && d.runner);
    cJSON_AddStringToObject(doc, "note", rc != 0 ? err.msg : d.note ? d.note : "");
    cJSON *kept = cJSON_AddArrayToObject(doc, "kept");
    for (size_t i = 0; d.defined && p->graded[i]; i++)
        cJSON_AddItemToArray(kept, cJSON_CreateBool(d.defined[i]));
    cJSON *list = cJSON_AddArrayToObject(doc, "findings");
    for (size_t i = 0; i < report.nfindings; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "test", report.findings[i].test_id);
        cJSON_AddStringToObject(f, "where", report.findings[i].where);
        cJSON_AddStringToObject(f, "function", report.findings[i].function);
        cJSON_AddStringToObject(f, "what", report.findings[i].what);
        cJSON_AddItemToArray(list, f);
    }
    diag_report_free(&report);
    build_diag_free(&d);
    free(base);
    free(dir);
    sb_close(box);
    return doc;
}

static void child_main(const pack *p, const build_config *cfg, const sb_box *parent, const char *work,
                       const char *out_dir, const char *source, double deadline, int fd, int go)
    __attribute__((noreturn));

static void child_main(const pack *p, const build_config *cfg, const sb_box *parent, const char *work,
                       const char *out_dir, const char *source, double deadline, int fd, int go)
{
    /* nothing of the parent's stays open here (its sandbox sessions, its slot
     * lock, its captures): only the report and the go-ahead */
    if (dup2(fd, 3) < 0 || (go >= 0 && dup2(go, 4) < 0))
        _exit(1);
    syscall(SYS_close_range, go >= 0 ? 5U : 4U, ~0U, 0U);
    prctl(PR_SET_PDEATHSIG, SIGKILL);   /* the checks end with the grader */
    cJSON *doc = child_report(p, cfg, parent, work, out_dir, source, deadline, go >= 0 ? 4 : -1);
    char *text = doc ? cJSON_PrintUnformatted(doc) : NULL;
    for (size_t off = 0, len = text ? strlen(text) : 0; off < len;) {
        ssize_t w = write(3, text + off, len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    _exit(0);
}

memcheck *memcheck_start(const pack *p, const build_config *cfg, const sb_box *box, const char *work,
                         const char *out_dir, const char *source, double deadline, bool wait)
{
    memcheck *m = calloc(1, sizeof *m);
    int fds[2], go[2] = {-1, -1};
    if (!m || pipe2(fds, O_CLOEXEC) != 0) {
        free(m);
        return NULL;
    }
    /* the go-ahead is a socket, not a pipe: the child may have ended already
     * (nothing to run), and a write to a pipe nobody reads kills the grader */
    if (wait && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, go) != 0) {
        close(fds[0]);
        close(fds[1]);
        free(m);
        return NULL;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        if (go[1] >= 0)
            close(go[1]);
        child_main(p, cfg, box, work, out_dir, source, deadline, fds[1], go[0]);
    }
    close(fds[1]);
    if (go[0] >= 0)
        close(go[0]);
    if (pid < 0) {
        close(fds[0]);
        if (go[1] >= 0)
            close(go[1]);
        free(m);
        return NULL;
    }
    *m = (memcheck){pid, fds[0], go[1], deadline};
    return m;
}

void memcheck_go(memcheck *m)
{
    if (!m || m->go < 0)
        return;
    ssize_t n = send(m->go, "y", 1, MSG_NOSIGNAL);
    (void)n;
    close(m->go);
    m->go = -1;
}

/* The child's whole report, or NULL when it did not finish by the deadline. */
static char *collect(memcheck *m)
{
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        double left = m->deadline - clock_now_s();
        struct pollfd pf = {m->fd, POLLIN, 0};
        if (left <= 0 || poll(&pf, 1, (int)(left * 1000) + 1) <= 0)
            break;
        if (len + 1 >= cap) {
            char *bigger = cap >= REPORT_MAX ? NULL : realloc(buf, cap *= 2);
            if (!bigger)
                break;
            buf = bigger;
        }
        ssize_t n = read(m->fd, buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            buf[len] = '\0';
            return buf;     /* end of the report */
        }
        len += (size_t)n;
    }
    free(buf);
    return NULL;
}

/* The child's report, into report. */
static void read_report(const char *text, const pack *p, const bool *kept, diag_report *report)
{
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    const char *note = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(doc, "note"));
    snprintf(report->note, sizeof report->note, "%s",
             !text ? "the memory checks did not finish in time" : note ? note : "the memory checks failed");
    bool same = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "ran"));
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(doc, "kept");
    for (size_t i = 0; same && p->graded[i]; i++)
        same = cJSON_IsTrue(cJSON_GetArrayItem(k, (int)i)) == kept[i];
    if (same) {
        report->ran = true;
        report->note[0] = '\0';
        const cJSON *f;
        cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(doc, "findings")) {
            const char *v[4];
            static const char *const keys[4] = {"test", "where", "function", "what"};
            for (int i = 0; i < 4; i++)
                v[i] = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, keys[i]));
            if (v[0] && v[1] && v[2] && v[3])
                diag_report_add(report, v[0], v[1], v[2], v[3]);
        }
    } else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "ran"))) {
        snprintf(report->note, sizeof report->note,
                 "the sanitizer build did not keep the same functions as the graded one");
    }
    cJSON_Delete(doc);
}

void memcheck_finish(memcheck *m, const pack *p, const bool *kept, diag_report *report)
{
    if (!m) {
        if (report)
            snprintf(report->note, sizeof report->note, "the memory checks could not start");
        return;
    }
    /* no go-ahead now is none at all: it ends without running anything */
    if (m->go >= 0)
        close(m->go);
    m->go = -1;
    /* let it finish even when its findings are not wanted: it then closes its
     * own sandbox, and nothing it started outlives the grading */
    char *text = collect(m);
    if (!text)
        kill(m->pid, SIGKILL);   /* past the deadline: its keepers die with it */
    while (waitpid(m->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    sb_sweep_roots(m->pid);   /* a killed child leaves its sandbox's root folder */
    close(m->fd);
    free(m);
    if (report)
        read_report(text, p, kept, report);
    free(text);
}
