/*
 * sandbox — see sandbox.h.
 *
 * Shape of one run (after ioi/isolate's keeper and box):
 *
 *   grader ──clone(namespaces)──> keeper (trusted; PID 1 of the new PID namespace)
 *                                   │ builds the file-system view, then
 *                                   └──fork──> program: setsid, rlimits, sandbox uid,
 *                                              no_new_privs, seccomp, execve
 *
 * The keeper waits for the program and reports its wait status and resource
 * use on a pipe, then exits; with a PID namespace the kernel then kills every
 * process the program left behind (double-forked orphans included). Without
 * one, the program's process group, every process of the sandbox uid and the
 * cgroup are killed instead. The grader enforces the wall-clock limit by
 * killing the keeper (and so the namespace). Standard streams are anonymous
 * memory files capped by RLIMIT_FSIZE: nothing in the file system to plant.
 */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "sandbox_cgroup.h"
#include "sandbox_ns.h"
#include "seccomp_filter.h"

/* Sandbox uids are SB_UID_BASE + slot, a range no account uses (isolate's
 * convention is 60000+). */
#define SB_UID_BASE 61000
#define SB_MAX_SLOTS 256
/* The result channel is never capped below what a result may need. */
#define SB_MIN_OUTPUT (64L << 10)

struct sb_box {
    int slot;
    int lock_fd;
    bool switch_uid;
    uid_t uid;
    gid_t gid;
    int ns_flags;
    bool seccomp;
    sbcg *cgroup;
    char *root_dir;
    char level[192];
};

/* ---- opening a box ------------------------------------------------------- */

static int lock_slot(int first, int *slot)
{
    const char *dir = access("/run/lock", W_OK) == 0 ? "/run/lock" : "/tmp";
    for (int s = first; s < first + SB_MAX_SLOTS; s++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/grader-sandbox-%d.lock", dir, s);
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
            continue;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            *slot = s;
            return fd;
        }
        close(fd);
    }
    return -1;
}

static void describe_level(sb_box *box)
{
    char *l = box->level;
    size_t n = sizeof box->level;
    l[0] = '\0';
    if (box->ns_flags)
        snprintf(l, n, "namespaces (%smount, pid, net, ipc)",
                 box->ns_flags & CLONE_NEWUSER ? "user, " : "");
    if (box->switch_uid)
        snprintf(l + strlen(l), n - strlen(l), "%suid %u", *l ? " + " : "", (unsigned)box->uid);
    snprintf(l + strlen(l), n - strlen(l), "%srlimits", *l ? " + " : "");
    if (box->seccomp)
        snprintf(l + strlen(l), n - strlen(l), " + seccomp");
    if (box->cgroup)
        snprintf(l + strlen(l), n - strlen(l), " + cgroup");
}

sb_box *sb_open(const sb_options *opt, hr_error *err)
{
    sb_box *box = calloc(1, sizeof *box);
    if (!box) {
        hr_fail(err, "out of memory");
        return NULL;
    }
    box->lock_fd = lock_slot(opt->slot, &box->slot);
    if (box->lock_fd < 0) {
        free(box);
        hr_fail(err, "sandbox: no free slot (are %d graders running?)", SB_MAX_SLOTS);
        return NULL;
    }
    box->switch_uid = geteuid() == 0 && !opt->no_uid;
    box->uid = box->switch_uid ? (uid_t)(SB_UID_BASE + box->slot) : getuid();
    box->gid = box->switch_uid ? (gid_t)(SB_UID_BASE + box->slot) : getgid();
    box->root_dir = fs_make_temp_dir(access("/run", W_OK) == 0 ? "/run" : "/tmp", "grader-root", err);
    if (!box->root_dir) {
        sb_close(box);
        return NULL;
    }
    chmod(box->root_dir, 0755);
    box->ns_flags = opt->no_namespaces ? 0 : sbns_probe(box->root_dir);
    box->seccomp = seccomp_filter_available();
    if (geteuid() == 0 && !opt->no_cgroup) {
        char name[64];
        snprintf(name, sizeof name, "grader-sandbox-%d", box->slot);
        box->cgroup = sbcg_open(name);
    }
    describe_level(box);
    return box;
}

void sb_close(sb_box *box)
{
    if (!box)
        return;
    sbcg_close(box->cgroup);
    if (box->root_dir) {
        rmdir(box->root_dir);
        free(box->root_dir);
    }
    if (box->lock_fd >= 0)
        close(box->lock_fd);
    free(box);
}

void sb_identity(const sb_box *box, uid_t *uid, gid_t *gid)
{
    *uid = box->uid;
    *gid = box->gid;
}

const char *sb_level_name(const sb_box *box)
{
    return box->level;
}

/* ---- the keeper and the program ----------------------------------------- */

enum { REPORT_PID = 1, REPORT_SETUP = 2, REPORT_END = 3 };

typedef struct {
    int kind;
    pid_t pid;
    int status;
    struct rusage ru;
    char what[256];
} report;

typedef struct {
    const sb_box *box;
    const sb_spec *spec;
    int fd_in, fd_out, fd_err, fd_res;
    int report_w;     /* keeper/program -> grader */
    int go_r;         /* grader -> keeper */
    uid_t outer_uid;
    gid_t outer_gid;
} run_ctx;

static void send_report(int fd, const report *r)
{
    ssize_t n;
    do
        n = write(fd, r, sizeof *r);
    while (n < 0 && errno == EINTR);
}

static void setup_failed(int fd, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));

static void setup_failed(int fd, const char *fmt, ...)
{
    report r = {.kind = REPORT_SETUP};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r.what, sizeof r.what, fmt, ap);
    va_end(ap);
    send_report(fd, &r);
    _exit(127);
}

static void set_limit(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit rl = {soft, hard};
    setrlimit(resource, &rl);
}

static void apply_limits(const sb_spec *s)
{
    rlim_t cpu = (rlim_t)ceil(s->cpu_s);
    set_limit(RLIMIT_CPU, cpu, cpu + 1);
    rlim_t mem = (rlim_t)s->memory_mb << 20;
    set_limit(RLIMIT_AS, mem, mem);
    rlim_t out = (rlim_t)s->output_kb << 10;
    if (out < (rlim_t)SB_MIN_OUTPUT)
        out = SB_MIN_OUTPUT;
    set_limit(RLIMIT_FSIZE, out, out);
    set_limit(RLIMIT_CORE, 0, 0);
    set_limit(RLIMIT_NOFILE, 64, 64);
    set_limit(RLIMIT_MEMLOCK, 0, 0);
    set_limit(RLIMIT_MSGQUEUE, 0, 0);
    rlim_t procs = s->max_processes > 0 ? (rlim_t)s->max_processes : 1;
    set_limit(RLIMIT_NPROC, procs, procs);
}

/* The program's side of the fork: becomes the sandboxed program or reports why not. */
static void become_program(const run_ctx *c)
{
    const sb_spec *s = c->spec;
    /* lift every descriptor above the standard ones before placing them */
    int rep = fcntl(c->report_w, F_DUPFD_CLOEXEC, 10);
    int in = fcntl(c->fd_in, F_DUPFD_CLOEXEC, 10), out = fcntl(c->fd_out, F_DUPFD_CLOEXEC, 10);
    int errf = fcntl(c->fd_err, F_DUPFD_CLOEXEC, 10);
    int res = s->result_channel ? fcntl(c->fd_res, F_DUPFD_CLOEXEC, 10) : -1;
    if (rep < 0)
        setup_failed(c->report_w, "fcntl: %s", strerror(errno));
    if (setsid() < 0)
        setup_failed(rep, "setsid: %s", strerror(errno));
    if (in < 0 || out < 0 || errf < 0 || (s->result_channel && res < 0) || dup2(in, 0) < 0 ||
        dup2(out, 1) < 0 || dup2(errf, 2) < 0 || (s->result_channel && dup2(res, 3) < 0))
        setup_failed(rep, "dup2: %s", strerror(errno));
    if (!s->result_channel)
        close(3);
    /* the report pipe sits at fd 4 and closes on exec */
    if (dup2(rep, 4) < 0 || fcntl(4, F_SETFD, FD_CLOEXEC) < 0)
        setup_failed(rep, "dup2: %s", strerror(errno));
    rep = 4;
    syscall(SYS_close_range, 5U, ~0U, 0U);
    if (chdir(s->cwd ? s->cwd : "/") != 0)
        setup_failed(rep, "cannot enter %s: %s", s->cwd ? s->cwd : "/", strerror(errno));
    if (s->profile != SB_PROFILE_TRUSTED && c->box->switch_uid) {
        if (setgroups(0, NULL) != 0 || setresgid(c->box->gid, c->box->gid, c->box->gid) != 0 ||
            setresuid(c->box->uid, c->box->uid, c->box->uid) != 0 || getuid() != c->box->uid)
            setup_failed(rep, "cannot switch to the sandbox uid %u: %s", (unsigned)c->box->uid,
                         strerror(errno));
    }
    apply_limits(s);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (s->profile != SB_PROFILE_TRUSTED && c->box->seccomp) {
        hr_error e;
        seccomp_stage st = s->profile == SB_PROFILE_RUN ? SECCOMP_STAGE_RUN : SECCOMP_STAGE_COMPILE;
        if (seccomp_filter_install(st, &e) != 0)
            setup_failed(rep, "%s", e.msg);
    }
    static const char *const empty[] = {NULL};
    execve(s->argv[0], (char *const *)s->argv, (char *const *)(s->envp ? s->envp : empty));
    setup_failed(rep, "cannot start %s: %s", s->argv[0], strerror(errno));
}

static int keeper_main(const run_ctx *c)
{
    const sb_box *box = c->box;
    const sb_spec *s = c->spec;
    char go;
    if (read(c->go_r, &go, 1) != 1)
        _exit(1);
    close(c->go_r);
    hr_error e;
    if ((box->ns_flags & CLONE_NEWUSER) && sbns_map_self(c->outer_uid, c->outer_gid, &e) != 0)
        setup_failed(c->report_w, "%s", e.msg);
    if ((box->ns_flags & CLONE_NEWNS) && s->profile != SB_PROFILE_TRUSTED &&
        sbns_enter_view(box->root_dir, s->ro_paths, s->rw_path, &e) != 0)
        setup_failed(c->report_w, "%s", e.msg);

    pid_t prog = fork();
    if (prog < 0)
        setup_failed(c->report_w, "fork: %s", strerror(errno));
    if (prog == 0)
        become_program(c);
    close(c->fd_in);
    close(c->fd_out);
    close(c->fd_err);
    if (c->fd_res >= 0)
        close(c->fd_res);
    report r = {.kind = REPORT_PID, .pid = prog};
    send_report(c->report_w, &r);

    /* As PID 1 of a namespace the keeper also reaps orphans; it stops at the program's end. */
    for (;;) {
        int status;
        struct rusage ru;
        pid_t w = wait4(-1, &status, __WALL, &ru);
        if (w == prog) {
            report end = {.kind = REPORT_END, .pid = prog, .status = status, .ru = ru};
            send_report(c->report_w, &end);
            break;
        }
        if (w < 0 && errno != EINTR)
            break;
    }
    kill(-prog, SIGKILL);
    _exit(0);
}

/* ---- the grader's side ----------------------------------------------------- */

static int new_memfd(const char *name)
{
    return memfd_create(name, MFD_CLOEXEC);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void capture(int fd, size_t cap, sb_capture *out)
{
    memset(out, 0, sizeof *out);
    struct stat st;
    size_t size = fd >= 0 && fstat(fd, &st) == 0 ? (size_t)st.st_size : 0;
    size_t n = size < cap ? size : cap;
    out->data = malloc(n + 1);
    if (!out->data)
        return;
    ssize_t got = n ? pread(fd, out->data, n, 0) : 0;
    out->len = got > 0 ? (size_t)got : 0;
    out->data[out->len] = '\0';
    out->truncated = size > cap;
}

/* Kills every process of the sandbox uid, the way isolate does: from a child
 * that takes that uid and signals -1 until nothing is left. */
static void kill_uid(uid_t uid, gid_t gid)
{
    for (int round = 0; round < 20; round++) {
        pid_t k = fork();
        if (k == 0) {
            if (setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0)
                _exit(2);
            _exit(kill(-1, SIGKILL) == 0 ? 0 : 1);
        }
        int status = 0;
        while (k > 0 && waitpid(k, &status, 0) < 0 && errno == EINTR)
            ;
        if (k < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            return;    /* ESRCH: none left (or we cannot tell) */
    }
}

static void wait_for(pid_t keeper, double limit_s, bool *timed_out)
{
    int pidfd = (int)syscall(SYS_pidfd_open, keeper, 0);
    double deadline = now_s() + limit_s;
    *timed_out = false;
    while (pidfd >= 0) {
        double left = deadline - now_s();
        if (left <= 0) {
            *timed_out = true;
            break;
        }
        struct pollfd p = {pidfd, POLLIN, 0};
        int rc = poll(&p, 1, (int)ceil(left * 1000));
        if (rc > 0)
            break;
        if (rc < 0 && errno != EINTR)
            break;
    }
    if (pidfd >= 0)
        close(pidfd);
    if (*timed_out)
        kill(keeper, SIGKILL);
}

static void read_reports(int fd, report *pid_rep, report *setup, report *end)
{
    report r;
    while (read(fd, &r, sizeof r) == (ssize_t)sizeof r) {
        if (r.kind == REPORT_PID)
            *pid_rep = r;
        else if (r.kind == REPORT_SETUP)
            *setup = r;
        else if (r.kind == REPORT_END)
            *end = r;
    }
}

static void classify(const sb_spec *s, const report *end, bool timed_out, sb_result *res)
{
    res->cpu_s = (double)end->ru.ru_utime.tv_sec + end->ru.ru_utime.tv_usec / 1e6 +
                 (double)end->ru.ru_stime.tv_sec + end->ru.ru_stime.tv_usec / 1e6;
    res->max_rss_kb = end->ru.ru_maxrss;
    if (timed_out || end->kind != REPORT_END) {
        res->end = SB_TIMED_OUT;
        return;
    }
    if (WIFEXITED(end->status)) {
        res->end = SB_EXITED;
        res->exit_code = WEXITSTATUS(end->status);
        return;
    }
    res->signal = WTERMSIG(end->status);
    if (res->signal == SIGXCPU || (res->signal == SIGKILL && res->cpu_s >= s->cpu_s))
        res->end = SB_CPU_LIMIT;
    else if (res->signal == SIGXFSZ)
        res->end = SB_OUTPUT_LIMIT;
    else
        res->end = SB_SIGNALED;
}

int sb_run(sb_box *box, const sb_spec *spec, sb_result *res, hr_error *err)
{
    memset(res, 0, sizeof *res);
    run_ctx c = {.box = box, .spec = spec, .fd_res = -1,
                 .outer_uid = getuid(), .outer_gid = getgid()};
    int report_pipe[2] = {-1, -1}, go_pipe[2] = {-1, -1};
    c.fd_in = new_memfd("stdin");
    c.fd_out = new_memfd("stdout");
    c.fd_err = new_memfd("stderr");
    if (spec->result_channel)
        c.fd_res = new_memfd("result");
    int rc = 0;
    if (c.fd_in < 0 || c.fd_out < 0 || c.fd_err < 0 || (spec->result_channel && c.fd_res < 0) ||
        pipe2(report_pipe, O_CLOEXEC) != 0 || pipe2(go_pipe, O_CLOEXEC) != 0) {
        rc = hr_fail(err, "sandbox: cannot create pipes: %s", strerror(errno));
        goto out;
    }
    if (spec->input_len &&
        (write(c.fd_in, spec->input, spec->input_len) != (ssize_t)spec->input_len ||
         lseek(c.fd_in, 0, SEEK_SET) != 0)) {
        rc = hr_fail(err, "sandbox: cannot prepare stdin: %s", strerror(errno));
        goto out;
    }
    c.report_w = report_pipe[1];
    c.go_r = go_pipe[0];
    if (box->cgroup)
        sbcg_limit(box->cgroup, spec->max_processes + 2, ((long long)spec->memory_mb << 20) * 2);

    double t0 = now_s();
    int flags = spec->profile == SB_PROFILE_TRUSTED ? 0 : box->ns_flags;
    pid_t keeper = (pid_t)syscall(SYS_clone, (unsigned long)(flags | SIGCHLD), NULL, NULL, NULL, 0UL);
    if (keeper < 0) {
        rc = hr_fail(err, "sandbox: cannot start: %s", strerror(errno));
        goto out;
    }
    if (keeper == 0) {
        close(report_pipe[0]);
        close(go_pipe[1]);
        keeper_main(&c);
    }
    close(report_pipe[1]);
    report_pipe[1] = -1;
    close(go_pipe[0]);
    go_pipe[0] = -1;
    if (box->cgroup)
        sbcg_attach(box->cgroup, keeper);
    if (write(go_pipe[1], "g", 1) != 1) {
        kill(keeper, SIGKILL);
    }

    bool timed_out;
    wait_for(keeper, spec->wall_s, &timed_out);
    while (waitpid(keeper, NULL, 0) < 0 && errno == EINTR)
        ;
    res->wall_s = now_s() - t0;

    report pid_rep = {0}, setup = {0}, end = {0};
    read_reports(report_pipe[0], &pid_rep, &setup, &end);
    if (!(flags & CLONE_NEWPID) && pid_rep.pid > 0)
        kill(-pid_rep.pid, SIGKILL);
    if (box->cgroup)
        sbcg_kill_all(box->cgroup);
    if (!(flags & CLONE_NEWPID) && box->switch_uid && spec->profile != SB_PROFILE_TRUSTED)
        kill_uid(box->uid, box->gid);
    if (setup.kind == REPORT_SETUP) {
        rc = hr_fail(err, "sandbox: %s", setup.what);
        goto out;
    }
    classify(spec, &end, timed_out, res);
    size_t cap = (size_t)spec->output_kb << 10;
    capture(c.fd_out, cap, &res->out);
    capture(c.fd_err, cap, &res->err);
    capture(c.fd_res, SB_MIN_OUTPUT, &res->result);
    if ((res->out.truncated || res->err.truncated) && res->end == SB_EXITED)
        res->end = SB_OUTPUT_LIMIT;

out:
    for (int i = 0; i < 2; i++) {
        if (report_pipe[i] >= 0)
            close(report_pipe[i]);
        if (go_pipe[i] >= 0)
            close(go_pipe[i]);
    }
    int fds[] = {c.fd_in, c.fd_out, c.fd_err, c.fd_res};
    for (size_t i = 0; i < sizeof fds / sizeof *fds; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    return rc;
}

void sb_result_free(sb_result *res)
{
    free(res->out.data);
    free(res->err.data);
    free(res->result.data);
    memset(res, 0, sizeof *res);
}

void sb_describe(const sb_result *res, const sb_spec *spec, char *out, size_t len)
{
    switch (res->end) {
    case SB_EXITED:
        snprintf(out, len, "exited with status %d", res->exit_code);
        break;
    case SB_TIMED_OUT:
        snprintf(out, len, "timed out after %g s", spec->wall_s);
        break;
    case SB_CPU_LIMIT:
        snprintf(out, len, "used more than %g s of CPU time", spec->cpu_s);
        break;
    case SB_OUTPUT_LIMIT:
        snprintf(out, len, "printed more than %ld KiB", spec->output_kb);
        break;
    case SB_SIGNALED: {
        const char *abbrev = sigabbrev_np(res->signal);
        snprintf(out, len, "crashed with SIG%s (%s)", abbrev ? abbrev : "?", strsignal(res->signal));
        break;
    }
    }
}
