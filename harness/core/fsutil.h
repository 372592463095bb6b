/*
 * fsutil — file-system steps the grader takes on paths a student may have shaped.
 *
 * Submissions and work folders are untrusted: a symlink or a FIFO can be planted
 * where the grader expects a file. Every open here is O_NOFOLLOW (and
 * O_NONBLOCK for reads, so a FIFO cannot hang the grader), every read checks
 * that it got a regular file, and every write goes to a fresh temporary file
 * that is renamed into place, so a reader never sees half a file and an
 * interrupted grader loses nothing.
 */
#ifndef FSUTIL_H
#define FSUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Reads a regular file (not a symlink, FIFO or device) into a new NUL-terminated
 * buffer. More than max bytes is an error that says so. */
char *fs_slurp(const char *path, size_t max, size_t *len, hr_error *err);

/* Writes len bytes to path atomically: temporary file in the same folder,
 * fsync, rename. A symlink at path is replaced, never followed. */
int fs_write_atomic(const char *path, const void *data, size_t len, hr_error *err);

/* Writes text into a file that must already exist, a kernel control file
 * (/proc/self/uid_map, cgroup.procs, ...) that takes a value in one write(2):
 * no create, no truncate. 0 or -1 with errno. Async-signal-safe, so a child
 * between fork and exec may call it. */
int fs_write_existing(const char *path, const char *text);

/* mkdir -p with the given mode for the folders it creates. */
int fs_mkdirs(const char *path, unsigned mode, hr_error *err);

/* rm -rf that never follows symlinks and stays on path's own device. */
int fs_remove_tree(const char *path, hr_error *err);

/* A new private folder (mode 0700) under parent, named prefix-XXXXXX. */
/* Where temporary work goes: $TMPDIR (or /tmp); when other_uids (the
 * sandbox runs programs as other uids, with no private view of the files),
 * /tmp instead of a $TMPDIR that some folder on its way closes to others (a
 * private 0700 TMPDIR, as pam_tmpdir makes one): those uids open paths in it. */
const char *fs_temp_base(bool other_uids);

char *fs_make_temp_dir(const char *parent, const char *prefix, hr_error *err);

/* Is path a regular file / a directory (lstat: symlinks are neither)? */
bool fs_is_file(const char *path);
bool fs_is_dir(const char *path);

/* Joins two path parts with one '/'; returns a new string. */
char *fs_join(const char *a, const char *b);

#endif
