/*
 * sandbox_spawner — keepers started from inside the box's cgroup (internal to sandbox.c).
 *
 * Moving a process into a cgroup v1 waits for an RCU grace period: 8 to 25 ms
 * on a virtual machine, twice per submission (its compile and its tests), on
 * the path every grading waits on. So each box that has a cgroup and a PID
 * namespace gets one spawner: a copy of the grader made when the box is
 * opened, which moves itself into the cgroup once, then clones every keeper
 * of the box's sessions, which are born in the group. It runs no program and
 * reads nothing but its socket; it answers with the keeper's pid and a pidfd,
 * and reaps a keeper when the grader has ended it. It dies with the grader,
 * and its keepers with it. Without a spawner, each keeper is moved into the
 * group as it starts.
 */
#ifndef SANDBOX_SPAWNER_H
#define SANDBOX_SPAWNER_H

#include <sys/types.h>

#include "sandbox_keeper.h"

/* Starts the box's spawner; -1 when it cannot (keepers are then attached one by one). */
int sbsp_start(sb_box *box);
/* Ends the spawner, and with it any keeper it still has. */
void sbsp_stop(sb_box *box);
/* A keeper of the session (profile, flags, view) on keeper_sock, cloned by
 * the spawner; its pid, with *pidfd, or -1. */
pid_t sbsp_spawn(sb_box *box, sb_profile profile, int flags, const char *const *ro, const char *rw,
                 int keeper_sock, int *pidfd);
/* Waits for a keeper the grader has killed and reaps it. */
void sbsp_reap(sb_box *box, pid_t keeper);

#endif
