/* sandbox_wire — see sandbox_wire.h. */
#include "sandbox_wire.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int sbw_send(int sock, const void *data, size_t len, const int *fds, int nfds)
{
    char control[CMSG_SPACE(SBW_MAX_FDS * sizeof(int))];
    memset(control, 0, sizeof control);
    struct iovec iov = {(void *)data, len};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    if (nfds > 0 && nfds <= SBW_MAX_FDS) {
        msg.msg_control = control;
        msg.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
        memcpy(CMSG_DATA(c), fds, (size_t)nfds * sizeof(int));
    }
    ssize_t n;
    do
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n == (ssize_t)len ? 0 : -1;
}

ssize_t sbw_receive(int sock, void *data, size_t len, int *fds, int maxfds)
{
    char control[CMSG_SPACE(SBW_MAX_FDS * sizeof(int))];
    struct iovec iov = {data, len};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                         .msg_controllen = sizeof control};
    for (int i = 0; i < maxfds; i++)
        fds[i] = -1;
    ssize_t n;
    do
        n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    for (struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL; c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        int got[SBW_MAX_FDS];
        memcpy(got, CMSG_DATA(c), (count > SBW_MAX_FDS ? SBW_MAX_FDS : count) * sizeof(int));
        for (size_t i = 0; i < count && i < SBW_MAX_FDS; i++) {
            if (i < (size_t)maxfds)
                fds[i] = got[i];
            else
                close(got[i]);     /* more than asked for: none is kept open */
        }
    }
    return n;
}
