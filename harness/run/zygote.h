/*
 * zygote — the runner started once per session, forking a process per test.
 *
 * Starting a program costs more than a test: exec, the dynamic loader (which
 * asks the processor about its caches, an expensive question in a virtual
 * machine), AddressSanitizer's start for the memory checks. So a session's
 * keeper may start the runner once as a zygote (`runner --zygote=run` or
 * `--zygote=diagnose`): it loads, never calls student code (the object checks
 * refuse constructors, so none ran), and for each test forks a process that
 * becomes that test's runner. The process is created with CLONE_PARENT: it is
 * the keeper's child, so the keeper waits for it, limits it and reaps it as it
 * does an exec'd runner, and the zygote's word counts for nothing but which
 * pid to wait for (the keeper checks that it is its own child).
 *
 * Before it returns to the runner's main, the test's process puts itself where
 * an exec'd runner is put: the test's descriptors on 0-3, a session of its
 * own, the test's limits, and its stage's system-call filter on top of the
 * zygote's (which also allows fork). It then reads its request from fd 0 as
 * any runner does, and locks itself down before student code runs.
 *
 * The wire it speaks with the keeper is sandbox/sandbox_zygote.h.
 */
#ifndef ZYGOTE_H
#define ZYGOTE_H

#include <stdbool.h>
#include <sys/types.h>

#include "sandbox_zygote.h"

/* Serves as the zygote when argv asks for it; returns only in a test's
 * process, ready for the runner's main to read its request (never, when argv
 * does not ask: returns false at once). */
bool zygote_serve(int argc, char **argv);

#endif
