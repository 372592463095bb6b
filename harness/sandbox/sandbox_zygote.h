/*
 * sandbox_zygote — the wire between a session's keeper and its zygote.
 *
 * A zygote (run/zygote.h) is the session's runner started once, forking a
 * process per test. The keeper starts it like any program, with one end of a
 * SOCK_SEQPACKET socket on its fd 3: the zygote sends one byte ('R') when it
 * is ready; for each test the keeper sends a zygote_order with the test's
 * descriptors (stdin, stdout, stderr, an error pipe, and the result channel
 * when there is one); the zygote answers with the pid of the process it
 * forked (0: it could not). That process is the keeper's child (CLONE_PARENT),
 * and the keeper checks so before it waits for it: the zygote's word counts
 * for nothing else.
 */
#ifndef SANDBOX_ZYGOTE_H
#define SANDBOX_ZYGOTE_H

#include "sandbox_limits.h"

#define ZYGOTE_FD 3
#define ZYGOTE_ARG_RUN "--zygote=run"
#define ZYGOTE_ARG_DIAGNOSE "--zygote=diagnose"

typedef struct {
    sb_limits limits;
    int nfds;              /* 4, or 5 with the result channel */
} zygote_order;

#endif
