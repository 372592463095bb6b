/* zygote — see zygote.h. */
#include "zygote.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox_wire.h"
#include "seccomp_filter.h"

/* Order and descriptors from the keeper; 0 when it has closed its end. */
static int receive_order(zygote_order *o, int fds[5])
{
    ssize_t n = sbw_receive(ZYGOTE_FD, o, sizeof *o, fds, 5);
    if (n <= 0)
        return 0;
    return n == (ssize_t)sizeof *o && o->nfds >= 4 && o->nfds <= 5 && fds[o->nfds - 1] >= 0 ? 1 : -1;
}

static void test_failed(int fd, const char *what, int e) __attribute__((noreturn));

static void test_failed(int fd, const char *what, int e)
{
    char msg[256];
    int n = snprintf(msg, sizeof msg, "the test's process could not %s: %s", what, strerror(e));
    if (fd >= 0 && n > 0 && write(fd, msg, (size_t)n) < 0)
        n = 0;
    _exit(127);
}

/* The test's side of the fork: stdin, stdout, stderr and the result channel
 * on 0-3, the error pipe closed last; what an exec'd runner gets. */
static void become_test(const zygote_order *o, const int fds[5], const struct sock_fprog *stage)
{
    int err = fds[3];
    int lifted = fcntl(err, F_DUPFD_CLOEXEC, 10);
    if (lifted < 0)
        test_failed(err, "move its error pipe", errno);
    err = lifted;
    const int to[4] = {fds[0], fds[1], fds[2], o->nfds == 5 ? fds[4] : -1};
    int moved[4];
    for (int i = 0; i < 4; i++)
        if ((moved[i] = to[i] >= 0 ? fcntl(to[i], F_DUPFD_CLOEXEC, 10) : -1) < 0 && to[i] >= 0)
            test_failed(err, "move a descriptor", errno);
    for (int i = 0; i < 4; i++)
        if (moved[i] < 0)
            close(i);
        else if (dup2(moved[i], i) < 0)
            test_failed(err, "place a descriptor", errno);
    if (dup2(err, 4) < 0)
        test_failed(err, "place its error pipe", errno);
    syscall(SYS_close_range, 5U, ~0U, 0U);
    if (setsid() < 0)
        test_failed(4, "start a session", errno);
    sb_limits_apply(&o->limits);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    hr_error e;
    if (seccomp_filter_apply(stage, &e) != 0)
        test_failed(4, "load its system-call filter", errno);
    close(4);
}

bool zygote_serve(int argc, char **argv)
{
    if (argc != 2 || (strcmp(argv[1], ZYGOTE_ARG_RUN) != 0 && strcmp(argv[1], ZYGOTE_ARG_DIAGNOSE) != 0))
        return false;
    hr_error e;
    struct sock_fprog stage;
    bool diagnose = !strcmp(argv[1], ZYGOTE_ARG_DIAGNOSE);
    if (seccomp_filter_export(diagnose ? SECCOMP_STAGE_DIAGNOSE : SECCOMP_STAGE_RUN, &stage, &e) != 0)
        _exit(1);
    if (send(ZYGOTE_FD, "R", 1, MSG_NOSIGNAL) != 1)
        _exit(1);
    for (;;) {
        zygote_order o;
        int fds[5];
        int got = receive_order(&o, fds);
        if (got == 0)
            _exit(0);
        /* a raw clone: no fork handler runs, and the process is the keeper's child */
        pid_t pid = got > 0 ? (pid_t)syscall(SYS_clone, (unsigned long)(CLONE_PARENT | SIGCHLD), NULL, NULL,
                                             NULL, 0UL)
                            : -1;
        if (pid == 0) {
            close(ZYGOTE_FD);
            become_test(&o, fds, &stage);
            seccomp_filter_free(&stage);
            return true;
        }
        for (int i = 0; i < 5; i++)
            if (fds[i] >= 0)
                close(fds[i]);
        pid_t answer = pid > 0 ? pid : 0;
        if (send(ZYGOTE_FD, &answer, sizeof answer, MSG_NOSIGNAL) != (ssize_t)sizeof answer)
            _exit(1);
    }
}
