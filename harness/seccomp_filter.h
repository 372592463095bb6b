/*
 * seccomp_filter — system-call filters for programs that touch student input.
 *
 * Two stages, because a dynamically linked runner needs open(2) and execve(2)
 * to start but student code must never have them:
 *   1. before exec (sandbox keeper): a deny list for the profile — no sockets
 *      but AF_UNIX, no ptrace or process_vm_*, no mount/unshare/setns, no
 *      io_uring, bpf, keyrings or module loading; for the runner, no fork.
 *   2. in the runner's main, before any student code runs: an allow list of
 *      the few calls a numeric function needs (memory, read/write on open
 *      descriptors, time, signals to itself, exit). Anything else fails with
 *      EPERM, so a hostile call is an ordinary error, not a crash.
 * Constructors, ifuncs and other code that could run before main are refused
 * by the object checks, so stage 2 is always in place before student code.
 */
#ifndef SECCOMP_FILTER_H
#define SECCOMP_FILTER_H

#include <stdbool.h>

#include "error.h"

typedef enum {
    SECCOMP_STAGE_COMPILE,   /* deny list for the compiler and its helpers */
    SECCOMP_STAGE_RUN        /* deny list for the runner, plus no fork/clone */
} seccomp_stage;

/* Can this kernel filter system calls at all? */
bool seccomp_filter_available(void);

/* Stage 1: sets no_new_privs and loads the deny list. */
int seccomp_filter_install(seccomp_stage stage, hr_error *err);

/* Stage 2, for the runner: the allow list. */
int seccomp_filter_lockdown(hr_error *err);

#endif
