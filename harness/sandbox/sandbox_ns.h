/*
 * sandbox_ns — Linux namespaces for the sandbox: what the host allows, and the
 * private file-system view a sandboxed program gets.
 *
 * A sandboxed program sees a fresh root (tmpfs) holding only what its spec
 * lists, bound read-only (and one writable folder), plus a private /tmp and
 * /dev/shm and the harmless devices the caller names (null, urandom). No
 * /proc, no project tree, no grader files, no /dev/zero for a compiler to
 * #include. Its own PID namespace ends every process it
 * started when the sandbox's keeper exits; its own network namespace has no
 * interface but a loopback that is down.
 *
 * These functions run in the keeper process, between clone(2) and the fork of
 * the program.
 */
#ifndef SANDBOX_NS_H
#define SANDBOX_NS_H

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

/* Which CLONE_NEW* flags work here (0 when none do). Tries them in a child. */
int sbns_probe(const char *root_dir);

/* In a new user namespace: map the caller's uid/gid to themselves. */
int sbns_map_self(uid_t outer_uid, gid_t outer_gid, hr_error *err);

/* Builds the view under root_dir (an empty folder, outside path) and makes it
 * the root. ro_paths, rw_path and devices are outside paths, kept at the same
 * paths inside; symlinks among them are copied as symlinks. Uses no malloc:
 * it runs in a child cloned from a grader that may have threads. */
int sbns_enter_view(const char *root_dir, const char *const *ro_paths, const char *rw_path,
                    const char *const *devices, bool with_proc, hr_error *err);

#endif
