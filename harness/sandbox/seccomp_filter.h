/*
 * seccomp_filter — system-call filters for programs that touch student input.
 *
 * Two stages, because a dynamically linked runner needs open(2) and execve(2)
 * to start but student code must never have them:
 *   1. before exec (sandbox): a deny list for the profile — no sockets but
 *      AF_UNIX, no ptrace or process_vm_*, no mount/unshare/setns or new
 *      namespaces, no io_uring, bpf, keyrings or module loading; for the
 *      runner, no fork, clone or threads at all, and no file opened for
 *      writing, created, removed or renamed.
 *   2. in the runner's main, before any student code runs: an allow list of
 *      the few calls a numeric function needs (memory, read/write on open
 *      descriptors, time, signals to itself, exit). Anything else fails with
 *      EPERM, so a hostile call is an ordinary error, not a crash.
 * Constructors, ifuncs and other code that could run before main are refused
 * by the object checks, so stage 2 is always in place before student code.
 *
 * Stage 1 is compiled to BPF once, in the grader (seccomp_filter_export), and
 * only loaded in the sandboxed child (seccomp_filter_apply): the child is
 * cloned from a grader that may have other threads, so it must not call
 * malloc, which libseccomp's compiler does.
 */
#ifndef SECCOMP_FILTER_H
#define SECCOMP_FILTER_H

#include <linux/filter.h>
#include <stdbool.h>

#include "error.h"

typedef enum {
    SECCOMP_STAGE_COMPILE,   /* deny list for the compiler and its helpers */
    SECCOMP_STAGE_RUN,       /* deny list for the runner, plus no fork/clone */
    SECCOMP_STAGE_DIAGNOSE,  /* the runner with sanitizers: threads and ptrace (LeakSanitizer
                                stops its own threads), no new namespaces, no file writes */
    /* A session's runner started once, forking a process per test (run/zygote.h): the
     * stage of its tests (run or diagnose), except that it may fork, never into new
     * namespaces. Each test's process loads its own stage's filter on top before it
     * does anything else, so no test ever has more than an exec'd runner has. */
    SECCOMP_STAGE_RUN_ZYGOTE,
    SECCOMP_STAGE_DIAGNOSE_ZYGOTE,
    SECCOMP_STAGES              /* how many */
} seccomp_stage;

/* Can this kernel filter system calls at all? */
bool seccomp_filter_available(void);

/* Stage 1 compiled to BPF (free with seccomp_filter_free). */
int seccomp_filter_export(seccomp_stage stage, struct sock_fprog *out, hr_error *err);
void seccomp_filter_free(struct sock_fprog *prog);

/* Sets no_new_privs and loads a compiled filter. Async-signal-safe: no malloc. */
int seccomp_filter_apply(const struct sock_fprog *prog, hr_error *err);

/* Stage 2, for the runner: the allow list. */
int seccomp_filter_lockdown(hr_error *err);

/* Stage 2 for the runner built with sanitizers: the same allow list, and the
 * few calls the sanitizer runtimes make after their start-up (reports,
 * LeakSanitizer's tracer: open of /proc/self files, ptrace of its own
 * threads, clone of a thread), allowed only when the calling instruction lies
 * in a runtime's own code. Student code gets exactly what it gets in a graded
 * run: open, from libc or anywhere else it may find, fails with EPERM. */
int seccomp_filter_lockdown_sanitized(hr_error *err);

#endif
