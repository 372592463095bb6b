/*
 * sandbox — see sandbox.h.
 *
 * Shape of a session (after ioi/isolate's keeper and box):
 *
 *   grader ──clone(namespaces)──> keeper (trusted: PID 1 of a new PID namespace,
 *     │   one request per run,      │  or, without one, a child subreaper)
 *     │   memory files attached     │ builds the file-system view once; per run:
 *     │                             └──fork──> program: setsid, rlimits, sandbox uid,
 *     │                                        landlock, seccomp, execve
 *     └── waits for the keeper's report (with a deadline of its own)
 *
 * Per run, the keeper enforces the wall-clock limit, waits for the program,
 * then kills every process left — kill(-1) as PID 1 of the namespace, or every
 * child it inherited as subreaper (double-forked setsid() orphans land there
 * too) — and reaps them before it reports. The grader then checks that the
 * cgroup holds nothing but the keeper, and when the session ends, kills
 * whatever the sandbox uid still runs (isolate's way) and empties the cgroup.
 * Setting up namespaces and the view once per session, not once per run, is
 * what makes a run cost a fork and an exec (see docs/threat-model.md).
 *
 * The keeper and the program are created with raw clone(2), and run no code
 * that allocates: the grader may have other threads, whose malloc locks a
 * clone copies in whatever state they were. The seccomp filters are compiled
 * to BPF in sb_open for that reason. Standard streams are anonymous memory
 * files capped by RLIMIT_FSIZE: nothing in the file system to plant.
 */
#include "sandbox.h"

#include <dirent.h>
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "sandbox_cgroup.h"
#include "sandbox_landlock.h"
#include "sandbox_ns.h"
#include "seccomp_filter.h"

/* Sandbox uids are SB_UID_BASE + slot, a range no account uses (isolate's
 * convention is 60000+). */
#define SB_UID_BASE 61000
#define SB_MAX_SLOTS 256
/* The result channel is never capped below what a result may need. */
#define SB_MIN_OUTPUT (64L << 10)
#define SB_MAX_ARGS 64
#define SB_BLOB_MAX 16384
#define SB_VIEW_MAX 32
/* How long past its wall-clock limit the grader waits for a keeper's report. */
#define SB_KEEPER_GRACE_S 2.0

struct sb_box {
    int slot;
    int lock_fd;
    bool switch_uid;
    uid_t uid;
    gid_t gid;
    int ns_flags;
    bool seccomp;
    int landlock_abi;
    struct sock_fprog bpf_compile, bpf_run;
    sbcg *cgroup;
    char *root_dir;
    char level[256];
};

struct sb_session {
    sb_box *box;
    sb_profile profile;
    int flags;                       /* CLONE_NEW* of this session */
    char *ro[SB_VIEW_MAX + 1];       /* the view, kept to restart a keeper */
    char *rw;
    pid_t keeper;                    /* 0: none (not started or killed) */
    int pidfd;
    int sock;
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
    if (box->landlock_abi)
        snprintf(l + strlen(l), n - strlen(l), " + landlock");
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
    if (box->seccomp && (seccomp_filter_export(SECCOMP_STAGE_COMPILE, &box->bpf_compile, err) != 0 ||
                         seccomp_filter_export(SECCOMP_STAGE_RUN, &box->bpf_run, err) != 0)) {
        sb_close(box);
        return NULL;
    }
    box->landlock_abi = opt->no_landlock ? 0 : sbll_abi();
    if (geteuid() == 0 && !opt->no_cgroup) {
        char name[64];
        snprintf(name, sizeof name, "grader-sandbox-%d", box->slot);
        box->cgroup = sbcg_open(name);
    }
    /* The grader holds the pack (expected values): no process of its uid may
     * read its memory through /proc or ptrace. */
    prctl(PR_SET_DUMPABLE, 0);
    describe_level(box);
    return box;
}

void sb_close(sb_box *box)
{
    if (!box)
        return;
    sbcg_close(box->cgroup);
    seccomp_filter_free(&box->bpf_compile);
    seccomp_filter_free(&box->bpf_run);
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

bool sb_has_private_view(const sb_box *box)
{
    return (box->ns_flags & CLONE_NEWNS) != 0;
}

/* ---- what travels between the grader and a keeper ------------------------ */

typedef struct {
    double wall_s, cpu_s;
    long memory_mb, output_kb;
    int max_processes;
    int result_channel;
    int argc, envc;
    unsigned blob_len;
    char blob[SB_BLOB_MAX];   /* cwd, argv..., envp..., each NUL-terminated */
} wire_request;

enum { REP_READY = 1, REP_SETUP_FAILED = 2, REP_END = 3 };

typedef struct {
    int kind;
    int status;               /* REP_END: wait status of the program */
    int timed_out;
    int leftovers;
    double wall_s;
    struct rusage ru;
    char what[512];           /* why setup failed, or why the program could not start */
} wire_report;

/* Everything the keeper needs, read from its copy of the grader's memory. */
typedef struct {
    const sb_box *box;
    sb_profile profile;
    int flags;
    const char *const *ro;
    const char *rw;
    const char *const *devices;
    int sock;
    uid_t outer_uid;
    gid_t outer_gid;
} keeper_ctx;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void send_report(int fd, const wire_report *r)
{
    ssize_t n;
    do
        n = send(fd, r, sizeof *r, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
}

static const char *const *devices_for(sb_profile p)
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

static void set_limit(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit rl = {soft, hard};
    setrlimit(resource, &rl);
}

static void apply_limits(const wire_request *r, bool own_uid)
{
    rlim_t cpu = (rlim_t)ceil(r->cpu_s);
    set_limit(RLIMIT_CPU, cpu, cpu + 1);
    rlim_t mem = (rlim_t)r->memory_mb << 20;
    set_limit(RLIMIT_AS, mem, mem);
    rlim_t out = (rlim_t)r->output_kb << 10;
    if (out < (rlim_t)SB_MIN_OUTPUT)
        out = SB_MIN_OUTPUT;
    set_limit(RLIMIT_FSIZE, out, out);
    set_limit(RLIMIT_CORE, 0, 0);
    set_limit(RLIMIT_NOFILE, 64, 64);
    set_limit(RLIMIT_MEMLOCK, 0, 0);
    set_limit(RLIMIT_MSGQUEUE, 0, 0);
    /* RLIMIT_NPROC counts every process of the uid: a limit only when the uid
     * is the sandbox's own, or when the program may have no child at all */
    rlim_t procs = r->max_processes > 0 ? (rlim_t)r->max_processes : 1;
    if (own_uid || procs == 1)
        set_limit(RLIMIT_NPROC, procs, procs);
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
    apply_limits(c->req, sandboxed && box->switch_uid);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (sandboxed) {
        hr_error e;
        if (box->landlock_abi && sbll_restrict(box->landlock_abi, k->ro, k->rw, k->devices, &e) != 0)
            program_failed(rep, "%s", e.msg);
        const struct sock_fprog *bpf = k->profile == SB_PROFILE_RUN ? &box->bpf_run : &box->bpf_compile;
        if (box->seccomp && seccomp_filter_apply(bpf, &e) != 0)
            program_failed(rep, "%s", e.msg);
    }
    execve(c->argv[0], c->argv, c->envp);
    program_failed(rep, "cannot start %s: %s", c->argv[0], strerror(errno));
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

/* Kills and reaps everything the keeper has left as descendants; returns how many. */
static int kill_rest(const keeper_ctx *k, pid_t group)
{
    int reaped = 0;
    if (group > 0)
        kill(-group, SIGKILL);
    for (int round = 0; round < 2000; round++) {
        if (k->flags & CLONE_NEWPID)
            kill(-1, SIGKILL);    /* as PID 1: every other process of the namespace */
        else if (round > 0)
            kill_children_via_proc();
        pid_t w;
        while ((w = waitpid(-1, NULL, __WALL | WNOHANG)) > 0)
            reaped++;
        if (w < 0 && errno == ECHILD)
            break;
        struct timespec ts = {0, round == 0 ? 200000 : 500000};
        nanosleep(&ts, NULL);
    }
    return reaped;
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
        double left = deadline - now_s();
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
    if (rep.kind == REP_END) {
        double t0 = now_s();
        pid_t prog = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, NULL, NULL, NULL, 0UL);
        if (prog == 0) {
            close(errpipe[0]);
            program_ctx c = {k, req, cwd, argv, envp, {fds[0], fds[1], fds[2], fds[3]}, errpipe[1]};
            become_program(&c);
        }
        close(errpipe[1]);
        for (int i = 0; i < 4; i++)
            if (fds[i] >= 0)
                close(fds[i]);
        fds[0] = fds[1] = fds[2] = fds[3] = -1;
        if (prog < 0) {
            rep.kind = REP_SETUP_FAILED;
            snprintf(rep.what, sizeof rep.what, "fork: %s", strerror(errno));
        } else {
            bool timed_out;
            if (!wait_program(k->sock, prog, t0 + req->wall_s, &timed_out)) {
                kill_rest(k, prog);
                _exit(0);
            }
            while (wait4(prog, &rep.status, __WALL, &rep.ru) < 0 && errno == EINTR)
                ;
            rep.wall_s = now_s() - t0;
            rep.timed_out = timed_out;
            rep.leftovers = kill_rest(k, prog);
            ssize_t n = read(errpipe[0], rep.what, sizeof rep.what - 1);
            rep.what[n > 0 ? n : 0] = '\0';
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
    char control[CMSG_SPACE(4 * sizeof(int))];
    struct iovec iov = {req, sizeof *req};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                         .msg_controllen = sizeof control};
    fds[0] = fds[1] = fds[2] = fds[3] = -1;
    ssize_t n;
    do
        n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        memcpy(fds, CMSG_DATA(c), (count > 4 ? 4 : count) * sizeof(int));
    }
    return n == (ssize_t)sizeof *req ? 1 : -1;
}

static void keeper_main(keeper_ctx *k) __attribute__((noreturn));

static void keeper_main(keeper_ctx *k)
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
        sbns_enter_view(k->box->root_dir, k->ro, k->rw, k->devices, &e) != 0)
        ready.kind = REP_SETUP_FAILED;
    prctl(PR_SET_DUMPABLE, 0);
    snprintf(ready.what, sizeof ready.what, "%s", e.msg);
    send_report(k->sock, &ready);
    if (ready.kind != REP_READY)
        _exit(1);
    static wire_request req;    /* the keeper's own copy: it is a process of its own */
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
        keeper_run(k, &req, fds);
    }
    kill_rest(k, 0);
    _exit(0);
}

/* ---- the grader's side ----------------------------------------------------- */

/* Kills every process of the sandbox uid, the way isolate does: from a child
 * that takes that uid and signals -1 (which reaches no other uid's process). */
static void kill_uid(uid_t uid, gid_t gid)
{
    pid_t k = fork();
    if (k == 0) {
        if (setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0)
            _exit(2);
        kill(-1, SIGKILL);
        _exit(0);
    }
    while (k > 0 && waitpid(k, NULL, 0) < 0 && errno == EINTR)
        ;
}

typedef enum { REPORT_OK, REPORT_LATE, REPORT_GONE } report_wait;

/* Waits up to limit_s for a report on fd. */
static report_wait read_report(int fd, double limit_s, wire_report *r)
{
    double deadline = now_s() + limit_s;
    for (;;) {
        double left = deadline - now_s();
        if (left <= 0)
            return REPORT_LATE;
        struct pollfd p = {fd, POLLIN, 0};
        int rc = poll(&p, 1, (int)ceil(left * 1000));
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc == 0)
            return REPORT_LATE;
        if (rc < 0)
            return REPORT_GONE;
        ssize_t n = recv(fd, r, sizeof *r, 0);
        if (n < 0 && errno == EINTR)
            continue;
        return n == (ssize_t)sizeof *r ? REPORT_OK : REPORT_GONE;
    }
}

/* Ends a keeper for good and whatever is left of its session. */
static void stop_keeper(sb_session *s, bool force)
{
    if (s->keeper <= 0)
        return;
    if (s->sock >= 0)
        close(s->sock);
    s->sock = -1;
    if (!force && s->pidfd >= 0) {
        struct pollfd p = {s->pidfd, POLLIN, 0};
        while (poll(&p, 1, 2000) < 0 && errno == EINTR)
            ;
    }
    kill(s->keeper, SIGKILL);
    while (waitpid(s->keeper, NULL, __WALL) < 0 && errno == EINTR)
        ;
    if (s->pidfd >= 0)
        close(s->pidfd);
    s->pidfd = -1;
    s->keeper = 0;
    if (s->box->cgroup)
        sbcg_kill_all(s->box->cgroup, 0);
    if (!(s->flags & CLONE_NEWPID) && s->box->switch_uid && s->profile != SB_PROFILE_TRUSTED)
        kill_uid(s->box->uid, s->box->gid);
}

static int start_keeper(sb_session *s, hr_error *err)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return hr_fail(err, "sandbox: cannot create a socket: %s", strerror(errno));
    keeper_ctx k = {s->box, s->profile, s->flags, (const char *const *)s->ro, s->rw,
                    devices_for(s->profile), sv[1], getuid(), getgid()};
    pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)(s->flags | SIGCHLD), NULL, NULL, NULL, 0UL);
    if (pid == 0) {
        close(sv[0]);
        keeper_main(&k);
    }
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        return hr_fail(err, "sandbox: cannot start: %s", strerror(errno));
    }
    s->keeper = pid;
    s->sock = sv[0];
    s->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    /* in the cgroup before it starts anything: every process it makes inherits it */
    if (s->box->cgroup && sbcg_attach(s->box->cgroup, pid) != 0) {
        stop_keeper(s, true);
        return hr_fail(err, "sandbox: cannot enter the cgroup");
    }
    wire_report r;
    if (read_report(s->sock, 10, &r) != REPORT_OK || r.kind != REP_READY) {
        char what[sizeof r.what];
        snprintf(what, sizeof what, "%s", r.kind == REP_SETUP_FAILED ? r.what : "the keeper did not start");
        stop_keeper(s, true);
        return hr_fail(err, "sandbox: %s", what);
    }
    return 0;
}

sb_session *sb_session_open(sb_box *box, sb_profile profile, const char *const *ro_paths,
                            const char *rw_path, hr_error *err)
{
    sb_session *s = calloc(1, sizeof *s);
    if (!s) {
        hr_fail(err, "out of memory");
        return NULL;
    }
    s->box = box;
    s->profile = profile;
    s->flags = profile == SB_PROFILE_TRUSTED ? 0 : box->ns_flags;
    s->sock = s->pidfd = -1;
    size_t n = 0;
    bool ok = true;
    for (const char *const *p = ro_paths; ok && p && *p; p++)
        ok = n < SB_VIEW_MAX && (s->ro[n++] = strdup(*p)) != NULL;
    if (ok && rw_path)
        ok = (s->rw = strdup(rw_path)) != NULL;
    if (!ok) {
        hr_fail(err, "sandbox: the view has too many paths");
        sb_session_close(s);
        return NULL;
    }
    if (start_keeper(s, err) != 0) {
        sb_session_close(s);
        return NULL;
    }
    return s;
}

void sb_session_close(sb_session *s)
{
    if (!s)
        return;
    stop_keeper(s, false);
    for (size_t i = 0; s->ro[i]; i++)
        free(s->ro[i]);
    free(s->rw);
    free(s);
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

static void classify(const sb_spec *s, const wire_report *end, sb_result *res)
{
    res->cpu_s = (double)end->ru.ru_utime.tv_sec + end->ru.ru_utime.tv_usec / 1e6 +
                 (double)end->ru.ru_stime.tv_sec + end->ru.ru_stime.tv_usec / 1e6;
    res->max_rss_kb = end->ru.ru_maxrss;
    res->wall_s = end->wall_s;
    res->leftovers = end->leftovers;
    if (end->timed_out) {
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

/* Packs cwd, argv and envp; -1 when they do not fit. */
static int pack_request(const sb_spec *spec, wire_request *r)
{
    static const char *const empty[] = {NULL};
    const char *const *envp = spec->envp ? spec->envp : empty;
    memset(r, 0, offsetof(wire_request, blob));
    r->wall_s = spec->wall_s;
    r->cpu_s = spec->cpu_s;
    r->memory_mb = spec->memory_mb;
    r->output_kb = spec->output_kb;
    r->max_processes = spec->max_processes;
    r->result_channel = spec->result_channel;
    size_t used = 0;
    const char *cwd = spec->cwd ? spec->cwd : "/";
    const char *const *lists[2] = {spec->argv, envp};
    int *counts[2] = {&r->argc, &r->envc};
    size_t n = strlen(cwd) + 1;
    if (n > SB_BLOB_MAX)
        return -1;
    memcpy(r->blob, cwd, n);
    used = n;
    for (int l = 0; l < 2; l++)
        for (const char *const *p = lists[l]; *p; p++) {
            n = strlen(*p) + 1;
            if (used + n > SB_BLOB_MAX || *counts[l] + 1 >= SB_MAX_ARGS)
                return -1;
            memcpy(r->blob + used, *p, n);
            used += n;
            (*counts[l])++;
        }
    r->blob_len = (unsigned)used;
    return r->argc > 0 ? 0 : -1;
}

static int send_request(int sock, const wire_request *r, const int fds[4])
{
    char control[CMSG_SPACE(4 * sizeof(int))];
    memset(control, 0, sizeof control);
    int count = fds[3] >= 0 ? 4 : 3;
    struct iovec iov = {(void *)r, sizeof *r};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                         .msg_controllen = CMSG_SPACE((size_t)count * sizeof(int))};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN((size_t)count * sizeof(int));
    memcpy(CMSG_DATA(c), fds, (size_t)count * sizeof(int));
    ssize_t n;
    do
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n == (ssize_t)sizeof *r ? 0 : -1;
}

int sb_session_run(sb_session *s, const sb_spec *spec, sb_result *res, hr_error *err)
{
    memset(res, 0, sizeof *res);
    if (spec->profile != s->profile)
        return hr_fail(err, "sandbox: a run's profile differs from its session's");
    if (s->keeper <= 0 && start_keeper(s, err) != 0)
        return -1;
    wire_request *req = malloc(sizeof *req);   /* 16 KiB: not on a worker thread's stack */
    if (!req)
        return hr_fail(err, "out of memory");
    int fds[4] = {-1, -1, -1, -1};
    int rc = 0;
    if (pack_request(spec, req) != 0) {
        rc = hr_fail(err, "sandbox: the command line of %s is too long", spec->argv[0]);
        goto out;
    }
    fds[0] = memfd_create("stdin", MFD_CLOEXEC);
    fds[1] = memfd_create("stdout", MFD_CLOEXEC);
    fds[2] = memfd_create("stderr", MFD_CLOEXEC);
    if (spec->result_channel)
        fds[3] = memfd_create("result", MFD_CLOEXEC);
    if (fds[0] < 0 || fds[1] < 0 || fds[2] < 0 || (spec->result_channel && fds[3] < 0)) {
        rc = hr_fail(err, "sandbox: cannot create memory files: %s", strerror(errno));
        goto out;
    }
    if (spec->input_len &&
        (write(fds[0], spec->input, spec->input_len) != (ssize_t)spec->input_len ||
         lseek(fds[0], 0, SEEK_SET) != 0)) {
        rc = hr_fail(err, "sandbox: cannot prepare stdin: %s", strerror(errno));
        goto out;
    }
    if (s->box->cgroup)
        sbcg_limit(s->box->cgroup, spec->max_processes + 2, ((long long)spec->memory_mb << 20) * 2);
    wire_report end = {0};
    report_wait got = send_request(s->sock, req, fds) == 0
                      ? read_report(s->sock, spec->wall_s + SB_KEEPER_GRACE_S, &end) : REPORT_GONE;
    size_t cap = (size_t)spec->output_kb << 10;
    if (got != REPORT_OK || end.kind == REP_READY) {
        /* The keeper is stuck or gone (the kernel's OOM killer?): it and its
         * session end here, a new keeper serves the next run, and this run
         * counts as killed, never as a grader fault. */
        stop_keeper(s, true);
        res->end = got == REPORT_LATE ? SB_TIMED_OUT : SB_SIGNALED;
        res->signal = SIGKILL;
        res->wall_s = spec->wall_s;
        capture(fds[1], cap, &res->out);
        capture(fds[2], cap, &res->err);
        goto out;
    }
    if (end.kind == REP_SETUP_FAILED ||
        (end.what[0] && WIFEXITED(end.status) && WEXITSTATUS(end.status) == 127)) {
        rc = hr_fail(err, "sandbox: %s", end.what);
        goto out;
    }
    /* The keeper killed everything it found; the cgroup is the proof. */
    if (s->box->cgroup)
        end.leftovers += sbcg_kill_all(s->box->cgroup, s->keeper);
    classify(spec, &end, res);
    capture(fds[1], cap, &res->out);
    capture(fds[2], cap, &res->err);
    capture(fds[3], SB_MIN_OUTPUT, &res->result);
    if ((res->out.truncated || res->err.truncated) && res->end == SB_EXITED)
        res->end = SB_OUTPUT_LIMIT;
out:
    for (int i = 0; i < 4; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    free(req);
    return rc;
}

int sb_run(sb_box *box, const sb_spec *spec, sb_result *res, hr_error *err)
{
    memset(res, 0, sizeof *res);
    sb_session *s = sb_session_open(box, spec->profile, spec->ro_paths, spec->rw_path, err);
    if (!s)
        return -1;
    int rc = sb_session_run(s, spec, res, err);
    sb_session_close(s);
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
