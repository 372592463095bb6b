/*
 * cleanup — nothing of a grading stays behind, however the grader ends.
 *
 * The grader's work folder (in TMPDIR) and the sandbox's root folders (empty
 * mount points in /run) are removed by the code that made them when it ends
 * normally. A crash, a signal that kills, or SIGKILL skip that code; so a
 * small watcher process, forked once at the start, waits for the grader's end
 * (the end of a socket only the grader holds) and then removes the work folder
 * and every root folder of the grader's process tree (sb_sweep_roots). It
 * ignores the terminal's signals, holds nothing else open, and is waited for
 * on a normal ending, so that it never outlives a grader that ended well.
 */
#ifndef CLEANUP_H
#define CLEANUP_H

#include "error.h"

/* Starts the watcher for tree (a folder to remove if the grader dies). Call
 * once, before any thread; sets the sandbox's owner (sb_set_owner). */
int cleanup_watch(const char *tree, hr_error *err);

/* A normal ending: the watcher removes only what is left (root folders of
 * killed children) and is waited for. */
void cleanup_done(void);

#endif
