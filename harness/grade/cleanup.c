/* cleanup — see cleanup.h. */
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsutil.h"
#include "sandbox.h"

static pid_t watcher = -1;
static int watcher_sock = -1;

static void watch(int fd, const char *tree) __attribute__((noreturn));

/* (tree NULL: nothing to remove but the root folders, as with --keep-work) */

static void watch(int fd, const char *tree)
{
    /* the terminal's signals are the grader's business; only the socket ends this */
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    char c = 0, last = 0;
    ssize_t n;
    while ((n = read(fd, &c, 1)) != 0)
        if (n > 0)
            last = c;
        else if (errno != EINTR)
            break;
    if (last != 'd' && tree) {   /* the grader died: its work folder too */
        hr_error ignored;
        fs_remove_tree(tree, &ignored);
    }
    sb_sweep_roots(0);
    _exit(0);
}

int cleanup_watch(const char *tree, hr_error *err)
{
    sb_set_owner(getpid());
    int fds[2];
    /* a socket, not a pipe: should the watcher be gone, the grader's last word
     * to it must not kill the grader (SIGPIPE) before its report is flushed */
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        return hr_fail(err, "cannot start the cleanup watcher: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return hr_fail(err, "cannot start the cleanup watcher: %s", strerror(errno));
    }
    if (pid == 0) {
        /* nothing of the grader's stays open here (slot locks, captures) */
        close(fds[1]);
        if (fds[0] != 3 && (dup2(fds[0], 3) < 0 || close(fds[0]) != 0))
            _exit(1);
        syscall(SYS_close_range, 4U, ~0U, 0U);
        watch(3, tree);
    }
    close(fds[0]);
    watcher = pid;
    watcher_sock = fds[1];
    return 0;
}

void cleanup_done(void)
{
    if (watcher < 0)
        return;
    ssize_t w = send(watcher_sock, "d", 1, MSG_NOSIGNAL);
    (void)w;
    close(watcher_sock);
    while (waitpid(watcher, NULL, 0) < 0 && errno == EINTR)
        ;
    watcher = -1;
}
