/* sandbox_limits — see sandbox_limits.h. */
#include "sandbox_limits.h"

#include <math.h>
#include <sys/resource.h>

static void set_limit(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit rl = {soft, hard};
    setrlimit(resource, &rl);
}

void sb_limits_apply(const sb_limits *l)
{
    rlim_t cpu = (rlim_t)ceil(l->cpu_s);
    set_limit(RLIMIT_CPU, cpu, cpu + 1);
    /* AddressSanitizer maps terabytes of shadow memory it never touches: the
     * diagnostic run's memory is bounded by its allocator's limit instead */
    rlim_t mem = (rlim_t)l->memory_mb << 20;
    if (l->profile != SB_PROFILE_DIAGNOSE && l->memory_mb > 0)
        set_limit(RLIMIT_AS, mem, mem);
    rlim_t out = (rlim_t)l->output_kb << 10;
    if (out < (rlim_t)SB_MIN_OUTPUT)
        out = SB_MIN_OUTPUT;
    set_limit(RLIMIT_FSIZE, out, out);
    set_limit(RLIMIT_CORE, 0, 0);
    set_limit(RLIMIT_NOFILE, 64, 64);
    set_limit(RLIMIT_MEMLOCK, 0, 0);
    set_limit(RLIMIT_MSGQUEUE, 0, 0);
    /* RLIMIT_NPROC counts every process of the uid: a limit only when the uid
     * is the sandbox's own, or when the program may have no child at all */
    rlim_t procs = l->max_processes > 0 ? (rlim_t)l->max_processes : 1;
    if (l->own_uid || procs == 1)
        set_limit(RLIMIT_NPROC, procs, procs);
}
