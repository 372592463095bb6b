/*
 * sandbox_spawner — see sandbox_spawner.h.
 *
 * The spawner is a raw clone(2) of the grader, as keepers are, and like them
 * neither it nor a keeper it clones may allocate (the grader may have other
 * threads). One request at a time, on a SOCK_SEQPACKET socket: a spawn_order
 * (with the keeper's end of its session socket) is answered with the pid and
 * a pidfd; a reap order with 0 once the keeper is reaped.
 */
#include "sandbox_spawner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox_wire.h"

enum { SPAWN_KEEPER = 1, REAP_KEEPER = 2 };

typedef struct {
    int kind;
    pid_t pid;                /* REAP_KEEPER: the keeper */
    sb_profile profile;
    int flags;
    uid_t outer_uid;
    gid_t outer_gid;
    int nro;                  /* paths in blob: nro read-only, then the writable one if has_rw */
    int has_rw;
    unsigned blob_len;
    char blob[SB_BLOB_MAX];
} spawn_order;

/* How long the grader waits for the spawner's answer. */
#define SPAWNER_ANSWER_S 10

static int send_fd(int sock, const void *data, size_t len, int fd)
{
    return sbw_send(sock, data, len, &fd, fd >= 0 ? 1 : 0);
}

/* One message of len bytes and at most one descriptor (*fd, -1 if none). */
static ssize_t receive_fd(int sock, void *data, size_t len, int *fd)
{
    return sbw_receive(sock, data, len, fd, 1);
}

/* ---- the spawner ---------------------------------------------------------------- */

static void spawn(const sb_box *box, spawn_order *o, int keeper_sock, int sock)
{
    const char *ro[SB_VIEW_MAX + 1];
    const char *rw = NULL;
    char *p = o->blob, *end = o->blob + o->blob_len;
    bool ok = o->blob_len <= SB_BLOB_MAX && o->nro >= 0 && o->nro <= SB_VIEW_MAX &&
              (o->blob_len == 0 || o->blob[o->blob_len - 1] == '\0');
    for (int i = 0; ok && i < o->nro + o->has_rw; i++) {
        ok = p < end;
        if (ok && i < o->nro)
            ro[i] = p;
        else if (ok)
            rw = p;
        p += ok ? strlen(p) + 1 : 0;
    }
    ro[ok ? o->nro : 0] = NULL;
    pid_t pid = -1;
    if (ok && keeper_sock >= 0) {
        keeper_ctx k = {box, o->profile, o->flags, ro, rw, sbk_devices_for(o->profile), keeper_sock,
                        o->outer_uid, o->outer_gid};
        pid = (pid_t)syscall(SYS_clone, (unsigned long)(o->flags | SIGCHLD), NULL, NULL, NULL, 0UL);
        if (pid == 0) {
            close(sock);
            prctl(PR_SET_NAME, "sb-keeper");
            sbk_keeper_main(&k);
        }
    }
    if (keeper_sock >= 0)
        close(keeper_sock);
    int pidfd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
    if (pid > 0 && pidfd < 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, __WALL);
        pid = -1;
    }
    send_fd(sock, &pid, sizeof pid, pidfd);
    if (pidfd >= 0)
        close(pidfd);
}

static void spawner_main(const sb_box *box, int sock) __attribute__((noreturn));

static void spawner_main(const sb_box *box, int sock)
{
    if (sock != 3 && dup2(sock, 3) < 0)
        _exit(1);
    sock = 3;
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int i = 0; i < 3 && null >= 0; i++)
        dup2(null, i);
    syscall(SYS_close_range, 4U, ~0U, 0U);
    prctl(PR_SET_PDEATHSIG, SIGKILL);   /* it ends with the grader, its keepers with it */
    prctl(PR_SET_NAME, "sb-spawner");   /* what ps shows, and the tests look for */
    /* into the group once: every keeper is born in it */
    int attached = sbcg_attach(box->cgroup, getpid());
    char ready = attached == 0 ? 'R' : 'N';
    if (send_fd(sock, &ready, 1, -1) != 0 || attached != 0)
        _exit(1);
    static spawn_order o;    /* 16 KiB: not on the stack a clone of it starts on */
    for (;;) {
        int fd;
        ssize_t n = receive_fd(sock, &o, sizeof o, &fd);
        if (n <= 0)
            _exit(0);
        if (n == (ssize_t)sizeof o && o.kind == SPAWN_KEEPER) {
            spawn(box, &o, fd, sock);
            continue;
        }
        if (fd >= 0)
            close(fd);
        int answer = -1;
        if (n == (ssize_t)sizeof o && o.kind == REAP_KEEPER && o.pid > 0)
            while ((answer = (int)waitpid(o.pid, NULL, __WALL)) < 0 && errno == EINTR)
                ;
        send_fd(sock, &answer, sizeof answer, -1);
    }
}

/* ---- the grader's side ------------------------------------------------------------- */

/* Waits for the spawner's answer of len bytes (and a descriptor); 0 when it came. */
static int answer(sb_box *box, void *data, size_t len, int *fd)
{
    struct pollfd p = {box->spawner_sock, POLLIN, 0};
    int rc;
    do
        rc = poll(&p, 1, SPAWNER_ANSWER_S * 1000);
    while (rc < 0 && errno == EINTR);
    int ignored;
    return rc > 0 && receive_fd(box->spawner_sock, data, len, fd ? fd : &ignored) == (ssize_t)len ? 0 : -1;
}

int sbsp_start(sb_box *box)
{
    int sv[2];
    box->spawner = 0;
    box->spawner_sock = -1;
    box->spawner_ready = false;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return -1;
    pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, NULL, NULL, NULL, 0UL);
    if (pid == 0) {
        close(sv[0]);
        spawner_main(box, sv[1]);
    }
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        return -1;
    }
    box->spawner = pid;
    box->spawner_sock = sv[0];
    sbcg_spare(box->cgroup, pid);
    /* the move into the group is the slow part: the grader goes on meanwhile,
     * and the first spawn waits for it */
    return 0;
}

void sbsp_stop(sb_box *box)
{
    if (box->spawner <= 0)
        return;
    close(box->spawner_sock);
    kill(box->spawner, SIGKILL);
    while (waitpid(box->spawner, NULL, __WALL) < 0 && errno == EINTR)
        ;
    box->spawner = 0;
    box->spawner_sock = -1;
}

/* The spawner's first word: it is in the group, or it is no use. */
static int spawner_ready(sb_box *box)
{
    if (box->spawner_ready)
        return 0;
    char ready = 0;
    if (answer(box, &ready, 1, NULL) != 0 || ready != 'R') {
        sbsp_stop(box);
        return -1;
    }
    box->spawner_ready = true;
    return 0;
}

pid_t sbsp_spawn(sb_box *box, sb_profile profile, int flags, const char *const *ro, const char *rw,
                 int keeper_sock, int *pidfd)
{
    *pidfd = -1;
    spawn_order *o = box->spawner > 0 ? calloc(1, sizeof *o) : NULL;   /* 16 KiB: off the stack */
    if (!o || spawner_ready(box) != 0) {
        free(o);
        return -1;
    }
    *o = (spawn_order){.kind = SPAWN_KEEPER, .profile = profile, .flags = flags, .outer_uid = getuid(),
                       .outer_gid = getgid()};
    size_t used = 0;
    bool fits = true;
    for (const char *const *p = ro; fits && p && *p; p++, o->nro++) {
        size_t n = strlen(*p) + 1;
        fits = used + n <= SB_BLOB_MAX && o->nro < SB_VIEW_MAX;
        if (fits)
            memcpy(o->blob + used, *p, n);
        used += n;
    }
    if (fits && rw) {
        size_t n = strlen(rw) + 1;
        fits = used + n <= SB_BLOB_MAX;
        if (fits)
            memcpy(o->blob + used, rw, n);
        used += n;
        o->has_rw = 1;
    }
    o->blob_len = (unsigned)used;
    pid_t pid = -1;
    int rc = !fits ? -1 : send_fd(box->spawner_sock, o, sizeof *o, keeper_sock) != 0 ? -2
             : answer(box, &pid, sizeof pid, pidfd) != 0 ? -2 : 0;
    free(o);
    if (rc == -2)
        sbsp_stop(box);   /* a spawner that does not answer serves no more */
    if (rc != 0)
        return -1;
    if (pid <= 0 && *pidfd >= 0) {
        close(*pidfd);
        *pidfd = -1;
    }
    return pid > 0 && *pidfd >= 0 ? pid : -1;
}

void sbsp_reap(sb_box *box, pid_t keeper)
{
    spawn_order *o = box->spawner > 0 ? calloc(1, sizeof *o) : NULL;
    int done;
    if (o) {
        o->kind = REAP_KEEPER;
        o->pid = keeper;
    }
    if (!o || send_fd(box->spawner_sock, o, sizeof *o, -1) != 0 || answer(box, &done, sizeof done, NULL) != 0)
        sbsp_stop(box);   /* its keepers, this one included, go with it */
    free(o);
}
