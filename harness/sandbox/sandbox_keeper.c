/*
 * sandbox_keeper — see sandbox_keeper.h.
 *
 * Everything here runs in the keeper or in the program between fork and
 * exec: raw system calls, stack buffers, no malloc (snprintf of plain
 * formats does not allocate). The program is created with a raw clone(2),
 * as the keeper itself is, so that no fork handler of the grader's libraries
 * runs in a copy where their locks may be held.
 */
#include "sandbox_keeper.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "sandbox_landlock.h"
#include "sandbox_ns.h"
#include "seccomp_filter.h"
#include "sandbox_wire.h"
#include "sandbox_zygote.h"

static void send_report(int fd, const wire_report *r)
{
    ssize_t n;
    do
        n = send(fd, r, sizeof *r, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
}

const char *const *sbk_devices_for(sb_profile p)
{
    static const char *const compile[] = {"/dev/null", "/dev/urandom", NULL};
    static const char *const run[] = {"/dev/null", NULL};
    return p == SB_PROFILE_COMPILE ? compile : run;
}

/* ---- the program ---------------------------------------------------------- */

typedef struct {
    const keeper_ctx *k;
    const wire_request *req;
    const char *cwd;
    char *const *argv;
    char *const *envp;
    int fds[4];               /* stdin, stdout, stderr, result (or -1) */
    int err_w;                /* setup errors, closed on exec */
    int err_r;                /* the keeper's end, closed in the program */
    bool zygote;              /* the session's zygote: its own filter (seccomp_filter.h) */
} program_ctx;

static void program_failed(int fd, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));

static void program_failed(int fd, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    ssize_t n = write(fd, what, strlen(what));
    (void)n;
    _exit(127);
}

/* The program's side of the fork: becomes the sandboxed program or reports why not. */
static void become_program(const program_ctx *c) __attribute__((noreturn));

static void become_program(const program_ctx *c)
{
    const keeper_ctx *k = c->k;
    const sb_box *box = k->box;
    int lifted[5];
    const int src[5] = {c->err_w, c->fds[0], c->fds[1], c->fds[2], c->fds[3]};
    for (int i = 0; i < 5; i++) {
        lifted[i] = src[i] >= 0 ? fcntl(src[i], F_DUPFD_CLOEXEC, 10) : -1;
        if (src[i] >= 0 && lifted[i] < 0)
            program_failed(c->err_w, "fcntl: %s", strerror(errno));
    }
    int rep = lifted[0];
    if (setsid() < 0)
        program_failed(rep, "setsid: %s", strerror(errno));
    for (int i = 0; i < 4; i++) {
        if (lifted[i + 1] < 0)
            close(i);    /* no result channel: fd 3 stays closed */
        else if (dup2(lifted[i + 1], i) < 0)
            program_failed(rep, "dup2: %s", strerror(errno));
    }
    /* the error channel sits at fd 4 and closes on exec; nothing else stays open */
    if (dup2(rep, 4) < 0 || fcntl(4, F_SETFD, FD_CLOEXEC) < 0)
        program_failed(rep, "dup2: %s", strerror(errno));
    rep = 4;
    syscall(SYS_close_range, 5U, ~0U, 0U);
    if (chdir(c->cwd) != 0)
        program_failed(rep, "cannot enter %s: %s", c->cwd, strerror(errno));
    bool sandboxed = k->profile != SB_PROFILE_TRUSTED;
    if (sandboxed && box->switch_uid) {
        if (setgroups(0, NULL) != 0 || setresgid(box->gid, box->gid, box->gid) != 0 ||
            setresuid(box->uid, box->uid, box->uid) != 0 || getuid() != box->uid)
            program_failed(rep, "cannot switch to the sandbox uid %u: %s", (unsigned)box->uid,
                           strerror(errno));
    }
    sb_limits limits = {c->req->cpu_s, c->req->memory_mb, c->req->output_kb, c->req->max_processes, k->profile,
                        sandboxed && box->switch_uid};
    sb_limits_apply(&limits);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (sandboxed) {
        hr_error e;
        /* the diagnostic run also reads its own /proc (mounted for its namespace) */
        const char *ro[SB_VIEW_MAX + 2];
        size_t n = 0;
        for (; k->ro && k->ro[n] && n < SB_VIEW_MAX; n++)
            ro[n] = k->ro[n];
        if (k->profile == SB_PROFILE_DIAGNOSE)
            ro[n++] = "/proc";
        ro[n] = NULL;
        if (box->landlock_abi && sbll_restrict(box->landlock_abi, ro, k->rw, k->devices, &e) != 0)
            program_failed(rep, "%s", e.msg);
        seccomp_stage stage = k->profile == SB_PROFILE_RUN
                                  ? (c->zygote ? SECCOMP_STAGE_RUN_ZYGOTE : SECCOMP_STAGE_RUN)
                              : k->profile == SB_PROFILE_DIAGNOSE
                                  ? (c->zygote ? SECCOMP_STAGE_DIAGNOSE_ZYGOTE : SECCOMP_STAGE_DIAGNOSE)
                                  : SECCOMP_STAGE_COMPILE;
        if (box->seccomp && seccomp_filter_apply(&box->bpf[stage], &e) != 0)
            program_failed(rep, "%s", e.msg);
    }
    execve(c->argv[0], c->argv, c->envp);
    program_failed(rep, "cannot start %s: %s", c->argv[0], strerror(errno));
}

static int program_entry(void *arg)
{
    const program_ctx *c = arg;
    close(c->err_r);
    become_program(c);
}

/* Starts the program as vfork(2) does: it shares the keeper's memory, on a
 * stack of its own, until its exec, and the keeper waits until then. Copying
 * the keeper's page tables for each test cost more than the test. The
 * program's side writes nothing but its own stack and its own descriptors;
 * its uid, Landlock fence and seccomp filter are its own task's. */
static pid_t start_program(const program_ctx *c)
{
    static char stack[256 * 1024] __attribute__((aligned(64)));
    return clone(program_entry, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, (void *)c);
}

/* ---- the keeper ----------------------------------------------------------- */

/* Kills every child of the keeper listed in /proc (no PID namespace: the
 * keeper is a subreaper, so every orphan of the program is its child). Reads
 * /proc with raw calls and stack buffers: no malloc here. */
static void kill_children_via_proc(void)
{
    pid_t self = getpid();
    int dir = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
        return;
    char buf[8192];
    long n;
    while ((n = syscall(SYS_getdents64, dir, buf, sizeof buf)) > 0) {
        for (long off = 0; off < n;) {
            struct dirent64 *d = (struct dirent64 *)(buf + off);
            off += d->d_reclen;
            if (d->d_name[0] < '1' || d->d_name[0] > '9')
                continue;
            char path[64], stat[512];
            snprintf(path, sizeof path, "%s/stat", d->d_name);
            int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                continue;
            ssize_t len = read(fd, stat, sizeof stat - 1);
            close(fd);
            if (len <= 0)
                continue;
            stat[len] = '\0';
            /* "pid (comm) state ppid ...": comm may hold anything, so parse from the last ')' */
            char *close_paren = strrchr(stat, ')');
            char state;
            int ppid;
            if (close_paren && sscanf(close_paren + 1, " %c %d", &state, &ppid) == 2 && ppid == self)
                kill(atoi(d->d_name), SIGKILL);
        }
    }
    close(dir);
}

/* Kills and reaps, round after round, until nothing is left: only the
 * process group group (a zygote's test, whose zygote must live on), or
 * everything the keeper has left as descendants (group's first). Returns how
 * many it reaped. */
static int kill_and_reap(const keeper_ctx *k, pid_t group, bool only_group)
{
    int reaped = 0;
    if (group > 0)
        kill(-group, SIGKILL);
    for (int round = 0; round < 2000; round++) {
        if (only_group)
            kill(-group, SIGKILL);
        else if (k->flags & CLONE_NEWPID)
            kill(-1, SIGKILL);    /* as PID 1: every other process of the namespace */
        else if (round > 0)
            kill_children_via_proc();
        pid_t w;
        while ((w = waitpid(only_group ? -group : -1, NULL, __WALL | WNOHANG)) > 0)
            reaped++;
        if (w < 0 && errno == ECHILD)
            break;
        struct timespec ts = {0, round == 0 ? 200000 : 500000};
        nanosleep(&ts, NULL);
    }
    return reaped;
}

static int kill_rest(const keeper_ctx *k, pid_t group)
{
    return kill_and_reap(k, group, false);
}

/* Waits for prog until its deadline; false when the grader went away. */
static bool wait_program(int sock, pid_t prog, double deadline, bool *timed_out)
{
    int pidfd = (int)syscall(SYS_pidfd_open, prog, 0);
    *timed_out = false;
    for (;;) {
        siginfo_t si = {0};
        if (pidfd < 0 && waitid(P_PID, (id_t)prog, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            si.si_pid == prog)
            break;
        double left = deadline - clock_now_s();
        if (left <= 0) {
            *timed_out = true;
            kill(prog, SIGKILL);
            break;
        }
        struct pollfd p[2] = {{sock, POLLIN, 0}, {pidfd, POLLIN, 0}};
        int ms = pidfd >= 0 ? (int)ceil(left * 1000) : 1;
        int rc = poll(p, pidfd >= 0 ? 2 : 1, ms);
        if (rc > 0 && p[0].revents) {
            kill(prog, SIGKILL);
            if (pidfd >= 0)
                close(pidfd);
            return false;
        }
        if (rc > 0 && pidfd >= 0 && p[1].revents)
            break;
    }
    if (pidfd >= 0)
        close(pidfd);
    return true;
}

/* Splits a request's blob into cwd, argv and envp (pointers into the blob). */
static bool unpack(wire_request *r, const char **cwd, char **argv, char **envp)
{
    if (r->blob_len == 0 || r->blob_len > SB_BLOB_MAX || r->blob[r->blob_len - 1] != '\0' ||
        r->argc < 1 || r->argc >= SB_MAX_ARGS || r->envc < 0 || r->envc >= SB_MAX_ARGS)
        return false;
    char *p = r->blob, *end = r->blob + r->blob_len;
    *cwd = p;
    p += strlen(p) + 1;
    for (int i = 0; i < r->argc + r->envc; i++) {
        if (p >= end)
            return false;
        if (i < r->argc)
            argv[i] = p;
        else
            envp[i - r->argc] = p;
        p += strlen(p) + 1;
    }
    argv[r->argc] = NULL;
    envp[r->envc] = NULL;
    return true;
}

/* The end of a run, exec'd or forked by the zygote: waits for prog until its
 * wall-clock limit, reaps it, kills and reaps what it left (its process group
 * alone when the zygote must live on), and reads its setup error from err_r. */
static void finish_run(const keeper_ctx *k, pid_t prog, double t0, double wall_s, bool only_group, int err_r,
                       wire_report *rep)
{
    bool timed_out;
    if (!wait_program(k->sock, prog, t0 + wall_s, &timed_out)) {
        kill_rest(k, prog);
        _exit(0);
    }
    while (wait4(prog, &rep->status, __WALL, &rep->ru) < 0 && errno == EINTR)
        ;
    rep->wall_s = clock_now_s() - t0;
    rep->timed_out = timed_out;
    rep->leftovers = kill_and_reap(k, prog, only_group);
    ssize_t n = read(err_r, rep->what, sizeof rep->what - 1);
    rep->what[n > 0 ? n : 0] = '\0';
}

/* ---- the zygote (run/zygote.h) ------------------------------------------------ */

/* The session's zygote, if one was asked for and started. */
static struct {
    pid_t pid;                /* 0: none */
    int sock;                 /* the keeper's end of its wire */
    wire_request req;         /* how it was started: a run it may take has its cwd, argv[0] and envp */
    const char *cwd;
    char *argv[SB_MAX_ARGS + 1], *envp[SB_MAX_ARGS + 1];
} zygote;

/* Kills and reaps the zygote (whatever it forked is killed with its tests' groups). */
static void zygote_stop(void)
{
    if (zygote.pid > 0) {
        kill(zygote.pid, SIGKILL);
        while (waitpid(zygote.pid, NULL, __WALL) < 0 && errno == EINTR)
            ;
    }
    if (zygote.sock >= 0)
        close(zygote.sock);
    zygote.pid = 0;
    zygote.sock = -1;
}

/* Whether the zygote can stand for an exec of argv: the same program, no
 * argument, the same environment and working folder, and still alive. */
static bool zygote_takes(const char *cwd, char *const *argv, char *const *envp)
{
    if (zygote.pid <= 0 || !argv[0] || argv[1] || strcmp(argv[0], zygote.argv[0]) != 0 ||
        strcmp(cwd, zygote.cwd) != 0)
        return false;
    size_t i = 0;
    for (; envp[i] && zygote.envp[i]; i++)
        if (strcmp(envp[i], zygote.envp[i]) != 0)
            return false;
    if (envp[i] || zygote.envp[i])
        return false;
    /* it died (killed from outside, or out of memory): runs are exec'd again */
    siginfo_t si = {0};
    if (waitid(P_PID, (id_t)zygote.pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0)
        zygote.pid = 0;   /* reaped already (an exec'd run's leftovers were killed with it) */
    else if (si.si_pid != zygote.pid)
        return true;
    zygote_stop();
    return false;
}

/* Reads exactly len bytes from the zygote within limit_s; 0 when they came. */
static int zygote_read(void *buf, size_t len, double limit_s)
{
    struct pollfd p = {zygote.sock, POLLIN, 0};
    int rc;
    do
        rc = poll(&p, 1, (int)ceil(limit_s * 1000));
    while (rc < 0 && errno == EINTR);
    return rc > 0 && recv(zygote.sock, buf, len, 0) == (ssize_t)len ? 0 : -1;
}

static void start_zygote(const keeper_ctx *k, wire_request *req, int fds[4])
{
    wire_report rep = {.kind = REP_READY};
    int sv[2] = {-1, -1}, errpipe[2] = {-1, -1};
    zygote_stop();
    /* a test's leftovers are found by its process group, and only a locked
     * down test cannot leave it: no PID namespace or no seccomp, no zygote */
    if (!(k->flags & CLONE_NEWPID) || !k->box->seccomp || k->profile == SB_PROFILE_COMPILE ||
        k->profile == SB_PROFILE_TRUSTED) {
        rep.kind = REP_SETUP_FAILED;
        snprintf(rep.what, sizeof rep.what, "no zygote without a PID namespace and seccomp");
    } else if (!unpack(memcpy(&zygote.req, req, sizeof *req), &zygote.cwd, zygote.argv, zygote.envp)) {
        /* a copy that lives on: its blob holds what zygote.argv and envp point to */
        rep.kind = REP_SETUP_FAILED;
        snprintf(rep.what, sizeof rep.what, "malformed request");
    } else if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0 || pipe2(errpipe, O_CLOEXEC) != 0) {
        rep.kind = REP_SETUP_FAILED;
        snprintf(rep.what, sizeof rep.what, "socketpair: %s", strerror(errno));
    }
    if (rep.kind == REP_READY) {
        program_ctx c = {k, &zygote.req, zygote.cwd, zygote.argv, zygote.envp, {fds[0], fds[1], fds[2], sv[1]},
                         errpipe[1], errpipe[0], true};
        pid_t pid = start_program(&c);
        close(sv[1]);
        close(errpipe[1]);
        zygote.sock = sv[0];
        zygote.pid = pid > 0 ? pid : 0;
        char ready = 0;
        if (pid <= 0 || zygote_read(&ready, 1, req->wall_s) != 0 || ready != 'R') {
            rep.kind = REP_SETUP_FAILED;
            ssize_t n = read(errpipe[0], rep.what, sizeof rep.what - 1);
            rep.what[n > 0 ? n : 0] = '\0';
            if (!rep.what[0])
                snprintf(rep.what, sizeof rep.what, "the zygote did not start");
            zygote_stop();
        }
        close(errpipe[0]);
    }
    for (int i = 0; i < 4; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    send_report(k->sock, &rep);
}

/* Runs req in a process the zygote forks, as keeper_run does an exec'd one;
 * false (nothing run, the descriptors as they came) when the zygote failed. */
static bool run_in_zygote(const keeper_ctx *k, const wire_request *req, int fds[4], wire_report *rep)
{
    int errpipe[2];
    if (pipe2(errpipe, O_CLOEXEC) != 0)
        return false;
    zygote_order o = {{req->cpu_s, req->memory_mb, req->output_kb, req->max_processes, k->profile,
                       k->box->switch_uid},
                      fds[3] >= 0 ? 5 : 4};
    const int given[5] = {fds[0], fds[1], fds[2], errpipe[1], fds[3]};
    double t0 = clock_now_s();
    pid_t pid = 0;
    int sent = sbw_send(zygote.sock, &o, sizeof o, given, o.nfds);
    close(errpipe[1]);
    siginfo_t si = {0};
    if (sent != 0 || zygote_read(&pid, sizeof pid, 5) != 0 || pid <= 0 ||
        waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0) {
        /* a zygote that fails, or names a process that is not the keeper's:
         * it and whatever it made go, and the run is exec'd on clean files */
        zygote_stop();
        if (pid > 0)
            kill_and_reap(k, pid, true);
        for (int i = 0; i < 4; i++)
            if (fds[i] >= 0 && (i == 0 || ftruncate(fds[i], 0) == 0))
                lseek(fds[i], 0, SEEK_SET);
        close(errpipe[0]);
        return false;
    }
    finish_run(k, pid, t0, req->wall_s, true, errpipe[0], rep);
    close(errpipe[0]);
    return true;
}

static void keeper_run(const keeper_ctx *k, wire_request *req, int fds[4])
{
    wire_report rep = {.kind = REP_END};
    const char *cwd;
    char *argv[SB_MAX_ARGS + 1], *envp[SB_MAX_ARGS + 1];
    int errpipe[2] = {-1, -1};
    if (!unpack(req, &cwd, argv, envp)) {
        rep.kind = REP_SETUP_FAILED;
        snprintf(rep.what, sizeof rep.what, "malformed request");
    } else if (pipe2(errpipe, O_CLOEXEC) != 0) {
        rep.kind = REP_SETUP_FAILED;
        snprintf(rep.what, sizeof rep.what, "pipe: %s", strerror(errno));
    }
    if (rep.kind == REP_END && zygote_takes(cwd, argv, envp) && run_in_zygote(k, req, fds, &rep)) {
        close(errpipe[0]);
        close(errpipe[1]);
    } else if (rep.kind == REP_END) {
        double t0 = clock_now_s();
        program_ctx c = {k, req, cwd, argv, envp, {fds[0], fds[1], fds[2], fds[3]}, errpipe[1], errpipe[0],
                         false};
        pid_t prog = start_program(&c);
        close(errpipe[1]);
        for (int i = 0; i < 4; i++)
            if (fds[i] >= 0)
                close(fds[i]);
        fds[0] = fds[1] = fds[2] = fds[3] = -1;
        if (prog < 0) {
            rep.kind = REP_SETUP_FAILED;
            snprintf(rep.what, sizeof rep.what, "fork: %s", strerror(errno));
        } else {
            finish_run(k, prog, t0, req->wall_s, false, errpipe[0], &rep);
        }
        close(errpipe[0]);
    }
    for (int i = 0; i < 4; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    send_report(k->sock, &rep);
}

/* One request: the fixed part and up to four descriptors. 0 at the grader's end. */
static int receive_request(int sock, wire_request *req, int fds[4])
{
    ssize_t n = sbw_receive(sock, req, sizeof *req, fds, 4);
    return n <= 0 ? 0 : n == (ssize_t)sizeof *req ? 1 : -1;
}

void sbk_keeper_main(keeper_ctx *k)
{
    /* Only our end of the socket stays open: a keeper holding another
     * session's socket would keep that session's keeper alive. */
    if (k->sock != 3 && dup2(k->sock, 3) < 0)
        _exit(1);
    k->sock = 3;
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int i = 0; i < 3 && null >= 0; i++)
        dup2(null, i);
    syscall(SYS_close_range, 4U, ~0U, 0U);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    wire_report ready = {.kind = REP_READY};
    hr_error e = {{0}};
    /* The kernel lets a process write its own uid_map only while it is
     * dumpable (sb_open made the grader, and so this copy, non-dumpable); no
     * sandboxed program exists yet to take advantage of the moment. */
    if (k->flags & CLONE_NEWUSER) {
        prctl(PR_SET_DUMPABLE, 1);
        if (sbns_map_self(k->outer_uid, k->outer_gid, &e) != 0)
            ready.kind = REP_SETUP_FAILED;
        prctl(PR_SET_DUMPABLE, 0);
    }
    if (ready.kind == REP_READY && !(k->flags & CLONE_NEWPID) && prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        ready.kind = REP_SETUP_FAILED;
        hr_fail(&e, "cannot become a subreaper: %s", strerror(errno));
    }
    if (ready.kind == REP_READY && (k->flags & CLONE_NEWNS) &&
        sbns_enter_view(k->box->root_dir, k->ro, k->rw, k->devices, k->profile == SB_PROFILE_DIAGNOSE,
                        &e) != 0)
        ready.kind = REP_SETUP_FAILED;
    prctl(PR_SET_DUMPABLE, 0);
    snprintf(ready.what, sizeof ready.what, "%s", e.msg);
    send_report(k->sock, &ready);
    if (ready.kind != REP_READY)
        _exit(1);
    static wire_request req;    /* the keeper's own copy: it is a process of its own */
    zygote.sock = -1;
    int fds[4];
    int got;
    while ((got = receive_request(k->sock, &req, fds)) != 0) {
        if (got < 0) {
            for (int i = 0; i < 4; i++)
                if (fds[i] >= 0)
                    close(fds[i]);
            wire_report bad = {.kind = REP_SETUP_FAILED};
            snprintf(bad.what, sizeof bad.what, "malformed request");
            send_report(k->sock, &bad);
            continue;
        }
        if (req.kind == REQ_ZYGOTE)
            start_zygote(k, &req, fds);
        else
            keeper_run(k, &req, fds);
    }
    kill_rest(k, 0);
    _exit(0);
}
