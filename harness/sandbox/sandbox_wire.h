/*
 * sandbox_wire — messages with descriptors, on the sandbox's own sockets.
 *
 * The grader, its keepers, the box's spawner and a session's zygote speak
 * over SOCK_SEQPACKET socket pairs: one message is one fixed struct and up to
 * five descriptors (SCM_RIGHTS). No malloc here: the keeper and the spawner
 * are clones of a grader that may have other threads.
 */
#ifndef SANDBOX_WIRE_H
#define SANDBOX_WIRE_H

#include <stddef.h>
#include <sys/types.h>

#define SBW_MAX_FDS 5

/* Sends len bytes and nfds descriptors (0 to SBW_MAX_FDS); 0 when all went. */
int sbw_send(int sock, const void *data, size_t len, const int *fds, int nfds);

/* Receives one message of at most len bytes into data, and up to maxfds
 * descriptors into fds (close-on-exec; the others -1). Returns its length:
 * 0 when the other end has closed, -1 on an error. */
ssize_t sbw_receive(int sock, void *data, size_t len, int *fds, int maxfds);

#endif
