/*
 * sandbox_cgroup — a control group per sandbox slot, where the host lets us make one.
 *
 * Gives the sandbox two things rlimits cannot: a limit on the processes of the
 * whole tree (RLIMIT_NPROC is per uid and ignored for root) and a sure way to
 * find every process it started, to kill them all. Works with cgroup v1 (pids
 * and memory hierarchies) and v2 (one hierarchy, when ours delegates the
 * controllers). When neither is writable, sbcg_open returns NULL and the
 * sandbox relies on its PID namespace or its uid instead.
 */
#ifndef SANDBOX_CGROUP_H
#define SANDBOX_CGROUP_H

#include <sys/types.h>

typedef struct sbcg sbcg;

/* A new group named name; NULL when the host does not allow it. */
sbcg *sbcg_open(const char *name);
/* How many tasks the group is charged for now (zombies not yet reaped
 * included); -1 when unknown. */
long sbcg_current(const sbcg *cg);
/* Sets the limits for the next run. */
int sbcg_limit(sbcg *cg, long pids_max, long long memory_bytes);
int sbcg_attach(sbcg *cg, pid_t pid);
/* A process kill_all never kills (the box's spawner, sandbox_spawner.h). */
void sbcg_spare(sbcg *cg, pid_t pid);
/* SIGKILLs every process in the group but keep (0: none) and the spared one
 * until only they are left; returns how many others it found. */
int sbcg_kill_all(sbcg *cg, pid_t keep);
/* Kills what is left and removes the group. */
void sbcg_close(sbcg *cg);

#endif
