/*
 * sandbox_limits — the resource limits a sandboxed program runs under.
 *
 * Set by the program's own process on itself, before it runs anything it was
 * not built to: in the keeper's child before exec, or in a test's process
 * forked by a zygote (run/zygote.h) before the runner reads its request. Raw
 * system calls only: no malloc (the keeper's child shares its parent's memory).
 */
#ifndef SANDBOX_LIMITS_H
#define SANDBOX_LIMITS_H

#include <stdbool.h>

#include "sandbox.h"

/* The result channel is never capped below what a result may need. */
#define SB_MIN_OUTPUT (64L << 10)

typedef struct {
    double cpu_s;
    long memory_mb;        /* 0: no address-space limit (a zygote's: its tests set their own) */
    long output_kb;
    int max_processes;
    sb_profile profile;
    bool own_uid;          /* the program runs as the sandbox's own uid */
} sb_limits;

void sb_limits_apply(const sb_limits *l);

#endif
