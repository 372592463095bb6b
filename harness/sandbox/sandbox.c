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
 * what makes a run cost a fork and an exec (see the threat model in README.md).
 *
 * This file is the grader's side (boxes, sessions, requests and reports);
 * the keeper and the program are in sandbox_keeper.c. They are created with
 * raw clone(2) and run no code that allocates: the grader may have other
 * threads, whose malloc locks a clone copies in whatever state they were.
 * The seccomp filters are compiled to BPF in sb_open for that reason.
 * Standard streams are anonymous memory files capped by RLIMIT_FSIZE:
 * nothing in the file system to plant.
 */
#include "sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "fsutil.h"
#include "sandbox_cgroup.h"
#include "sandbox_keeper.h"
#include "sandbox_spawner.h"
#include "sandbox_wire.h"
#include "sandbox_landlock.h"
#include "sandbox_ns.h"
#include "seccomp_filter.h"

/* Sandbox uids are SB_UID_BASE + slot, a range no account uses (isolate's
 * convention is 60000+). */
/* Processes a box's cgroup holds beyond a run's own (see sb_session_run). */
#define SB_CGROUP_HEADROOM 4
#define SB_UID_BASE 61000
#define SB_MAX_SLOTS 256
/* How long past its wall-clock limit the grader waits for a keeper's report. */
#define SB_KEEPER_GRACE_S 2.0

struct sb_session {
    sb_box *box;
    sb_profile profile;
    int flags;                       /* CLONE_NEW* of this session */
    char *ro[SB_VIEW_MAX + 1];       /* the view, kept to restart a keeper */
    char *rw;
    pid_t keeper;                    /* 0: none (not started or killed) */
    bool spawned;                    /* the box's spawner's child, which reaps it */
    int pidfd;
    int sock;
};

/* ---- opening a box ------------------------------------------------------- */

/* Where the slot locks and the sandbox's root folder go: the first writable
 * of the preferred folder, $TMPDIR, /tmp and /var/tmp (a container with a
 * read-only root file system may have only a tmpfs, or only $TMPDIR). NULL
 * when none is writable. */
static const char *writable_dir(const char *preferred)
{
    const char *tmpdir = getenv("TMPDIR");
    const char *dirs[] = {preferred, tmpdir && *tmpdir == '/' ? tmpdir : NULL, "/tmp", "/var/tmp"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
        if (dirs[i] && access(dirs[i], W_OK) == 0)
            return dirs[i];
    return NULL;
}

/* The lock of a free slot; -1 with *open_errno 0 when every slot is taken,
 * or the error that kept the lock files from being made. */
static int lock_slot(int first, int *slot, const char **where, int *open_errno)
{
    const char *dir = writable_dir("/run/lock");
    *where = dir ? dir : "/run/lock, $TMPDIR, /tmp or /var/tmp";
    *open_errno = dir ? 0 : EROFS;
    for (int s = first; dir && s < first + SB_MAX_SLOTS; s++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/grader-sandbox-%d.lock", dir, s);
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0) {
            *open_errno = errno;
            continue;
        }
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

static pid_t root_owner;

void sb_set_owner(pid_t owner)
{
    root_owner = owner;
}

/* Where sandbox roots are made (and swept): the first writable of /run,
 * $TMPDIR, /tmp and /var/tmp (see writable_dir). */
static const char *root_base(void)
{
    const char *dir = writable_dir("/run");
    return dir ? dir : "/tmp";
}

void sb_sweep_roots(pid_t creator)
{
    char prefix[64];
    int n = creator > 0 ? snprintf(prefix, sizeof prefix, "grader-root-%d.%d-", (int)(root_owner ? root_owner : getpid()),
                                   (int)creator)
                        : snprintf(prefix, sizeof prefix, "grader-root-%d.", (int)(root_owner ? root_owner : getpid()));
    DIR *d = opendir(root_base());
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        if (!strncmp(e->d_name, prefix, (size_t)n))
            unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);   /* empty mount points only */
    if (d)
        closedir(d);
}

/* What the host allows and the stage-1 filters, found once per process: a
 * box opened after the first, here or in a process forked after it (a
 * batch's workers, the memory checks), costs neither the probe (a clone
 * into new namespaces) nor the filters' compilation. Boxes point to them. */
static struct {
    int ns_flags;                           /* -1: not probed yet */
    bool compiled;
    struct sock_fprog bpf[SECCOMP_STAGES];
} host = {.ns_flags = -1};

static int host_namespaces(const char *root_dir)
{
    if (host.ns_flags < 0)
        host.ns_flags = sbns_probe(root_dir);
    return host.ns_flags;
}

static const struct sock_fprog *host_filters(hr_error *err)
{
    for (int stage = 0; !host.compiled && stage < SECCOMP_STAGES; stage++)
        if (seccomp_filter_export((seccomp_stage)stage, &host.bpf[stage], err) != 0)
            return NULL;
    host.compiled = true;
    return host.bpf;
}

/* The sandbox's root folder for a box of this process (and whatever forks it later). */
static char *make_root_dir(hr_error *err)
{
    char name[64];
    snprintf(name, sizeof name, "grader-root-%d.%d", (int)(root_owner ? root_owner : getpid()), (int)getpid());
    char *dir = fs_make_temp_dir(root_base(), name, err);
    if (dir)
        chmod(dir, 0755);
    return dir;
}

void sb_prepare(const sb_options *opt)
{
    hr_error ignored;
    char *root = opt->no_namespaces ? NULL : make_root_dir(&ignored);
    if (root) {
        host_namespaces(root);
        rmdir(root);
        free(root);
    }
    if (seccomp_filter_available())
        host_filters(&ignored);
}

sb_box *sb_open(const sb_options *opt, hr_error *err)
{
    sb_box *box = calloc(1, sizeof *box);
    if (!box) {
        hr_fail(err, "out of memory");
        return NULL;
    }
    box->options = *opt;
    box->spawner_sock = -1;
    const char *lock_dir;
    int lock_errno;
    box->lock_fd = lock_slot(opt->slot, &box->slot, &lock_dir, &lock_errno);
    if (box->lock_fd < 0) {
        free(box);
        if (lock_errno)
            hr_fail(err, "sandbox: cannot make a slot lock in %s: %s (a read-only file system? give the "
                    "grader a writable TMPDIR or /tmp)", lock_dir, strerror(lock_errno));
        else
            hr_fail(err, "sandbox: no free slot (are %d graders running?)", SB_MAX_SLOTS);
        return NULL;
    }
    box->switch_uid = geteuid() == 0 && !opt->no_uid;
    box->uid = box->switch_uid ? (uid_t)(SB_UID_BASE + box->slot) : getuid();
    box->gid = box->switch_uid ? (gid_t)(SB_UID_BASE + box->slot) : getgid();
    /* named after the owner and this process: what a killed process leaves
     * is found and removed (sb_sweep_roots) */
    box->root_dir = make_root_dir(err);
    if (!box->root_dir) {
        sb_close(box);
        return NULL;
    }
    box->ns_flags = opt->no_namespaces ? 0 : host_namespaces(box->root_dir);
    box->seccomp = seccomp_filter_available();
    if (box->seccomp && !(box->bpf = host_filters(err))) {
        sb_close(box);
        return NULL;
    }
    box->landlock_abi = opt->no_landlock ? 0 : sbll_abi();
    if (geteuid() == 0 && !opt->no_cgroup) {
        char name[64];
        snprintf(name, sizeof name, "grader-sandbox-%d", box->slot);
        box->cgroup = sbcg_open(name);
        /* the slot is ours now: anything still alive in its group was left
         * by a grader that died holding it */
        if (box->cgroup)
            sbcg_kill_all(box->cgroup, 0);
        /* ...and it may still be charged for that grader's zombies (their
         * new parent reaps them late): dead, they start nothing, but count
         * against pids.max. Counted once, here, never from a run of ours. */
        long charged = box->cgroup ? sbcg_current(box->cgroup) : 0;
        box->stale = charged > 0 ? charged : 0;
    }
    /* The grader holds the pack (expected values): no process of its uid may
     * read its memory through /proc or ptrace. */
    prctl(PR_SET_DUMPABLE, 0);
    /* with a cgroup, keepers are born in it (sandbox_spawner.h); the spawner
     * needs the PID namespace that contains every process a keeper leaves */
    if (box->cgroup && (box->ns_flags & CLONE_NEWPID))
        sbsp_start(box);
    describe_level(box);
    return box;
}

sb_box *sb_open_like(const sb_box *box, hr_error *err)
{
    sb_options opt = box->options;
    opt.slot = box->slot + 1;
    return sb_open(&opt, err);
}

void sb_close(sb_box *box)
{
    if (!box)
        return;
    sbsp_stop(box);
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

bool sb_has_private_view(const sb_box *box)
{
    return (box->ns_flags & CLONE_NEWNS) != 0;
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
    double deadline = clock_now_s() + limit_s;
    for (;;) {
        double left = deadline - clock_now_s();
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
    if (s->spawned)
        sbsp_reap(s->box, s->keeper);
    else
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

/* The keeper, born in the box's cgroup from its spawner; 0 when it has none
 * or it failed (the caller then starts one itself). */
static int spawn_keeper(sb_session *s)
{
    int sv[2], pidfd;
    if (s->box->spawner <= 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return 0;
    pid_t pid = sbsp_spawn(s->box, s->profile, s->flags, (const char *const *)s->ro, s->rw, sv[1], &pidfd);
    close(sv[1]);
    if (pid <= 0) {
        close(sv[0]);
        return 0;
    }
    s->keeper = pid;
    s->pidfd = pidfd;
    s->sock = sv[0];
    s->spawned = true;
    return 1;
}

static int start_keeper(sb_session *s, hr_error *err)
{
    s->spawned = false;
    if (!spawn_keeper(s)) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
            return hr_fail(err, "sandbox: cannot create a socket: %s", strerror(errno));
        keeper_ctx k = {s->box, s->profile, s->flags, (const char *const *)s->ro, s->rw,
                        sbk_devices_for(s->profile), sv[1], getuid(), getgid()};
        pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)(s->flags | SIGCHLD), NULL, NULL, NULL, 0UL);
        if (pid == 0) {
            close(sv[0]);
            sbk_keeper_main(&k);
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
    /* threads, ptrace and /proc are only safe where the program is alone in
     * its PID namespace and sees nothing of the host's files */
    int needed = CLONE_NEWPID | CLONE_NEWNS;
    if (profile == SB_PROFILE_DIAGNOSE && (box->ns_flags & needed) != needed) {
        hr_fail(err, "sandbox: the diagnostic run needs a PID and a mount namespace, which this host refuses");
        return NULL;
    }
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
    return sbw_send(sock, r, sizeof *r, fds, fds[3] >= 0 ? 4 : 3);
}

int sb_session_run(sb_session *s, const sb_spec *spec, sb_result *res, hr_error *err)
{
    memset(res, 0, sizeof *res);
    if (spec->profile != s->profile)
        return hr_fail(err, "sandbox: a run's profile differs from its session's");
    /* a keeper that ended between runs is replaced before this run, which
     * must not be blamed for it */
    struct pollfd gone = {s->pidfd, POLLIN, 0};
    if (s->keeper > 0 && s->pidfd >= 0 && poll(&gone, 1, 0) > 0)
        stop_keeper(s, true);
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
    /* the box's cgroup holds the run's processes, its keeper, the box's
     * spawner, and another session's keeper and zygote (the memory checks
     * symbolize a run's findings while the runs' session is open) */
    if (s->box->cgroup)
        sbcg_limit(s->box->cgroup, spec->max_processes + SB_CGROUP_HEADROOM + s->box->stale,
                   ((long long)spec->memory_mb << 20) * 2);
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
    /* The keeper killed everything it found; without a PID namespace (whose
     * end would take every process with it), the cgroup is the proof. */
    if (s->box->cgroup && !(s->flags & CLONE_NEWPID))
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

int sb_session_prestart(sb_session *s, const char *const *argv, const char *const *envp, int max_processes,
                        hr_error *err)
{
    if (s->keeper <= 0 || !s->box->seccomp || !(s->flags & CLONE_NEWPID))
        return hr_fail(err, "sandbox: no zygote without a PID namespace and seccomp");
    /* the zygote's own limits: its tests set theirs, never above these */
    sb_spec spec = {.argv = argv, .envp = envp, .wall_s = 10, .cpu_s = 3600, .memory_mb = 0, .output_kb = 64,
                    .max_processes = max_processes, .profile = s->profile};
    wire_request *req = malloc(sizeof *req);
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    int rc = !req || null < 0 ? hr_fail(err, "sandbox: cannot prepare the zygote")
             : pack_request(&spec, req) != 0 ? hr_fail(err, "sandbox: the zygote's command line is too long") : 0;
    if (rc == 0) {
        req->kind = REQ_ZYGOTE;
        const int fds[4] = {null, null, null, -1};
        if (s->box->cgroup)
            sbcg_limit(s->box->cgroup, max_processes + SB_CGROUP_HEADROOM + s->box->stale, 512LL << 20);
        wire_report r = {0};
        report_wait got = send_request(s->sock, req, fds) == 0 ? read_report(s->sock, spec.wall_s + SB_KEEPER_GRACE_S, &r)
                                                              : REPORT_GONE;
        if (got != REPORT_OK)
            stop_keeper(s, true);   /* the next run starts a keeper of its own, and execs */
        if (got != REPORT_OK || r.kind != REP_READY)
            rc = hr_fail(err, "sandbox: no zygote: %s", got == REPORT_OK ? r.what : "the keeper did not answer");
    }
    if (null >= 0)
        close(null);
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
