/*
 * sandbox_landlock — a file, network and signal fence that needs no privilege.
 *
 * Landlock (Linux 5.13+) lets a process restrict itself, as any user and in a
 * default Docker container (its seccomp profile allows the three calls), to a
 * list of folders and files: everything else is EACCES, whatever the file's
 * permissions say. That is what the sandbox lacks where namespaces are not
 * allowed: without it, a sandboxed compiler could read every file its uid can
 * read (the project tree, or the grader's own pack when the grader is not
 * root). Newer kernels also let it forbid TCP (ABI 4) and signals or abstract
 * sockets beyond the sandbox (ABI 6), so kill(-1) reaches nothing outside.
 *
 * Applied in the sandboxed program after fork and before seccomp and exec;
 * with namespaces it is a second wall behind the private view.
 */
#ifndef SANDBOX_LANDLOCK_H
#define SANDBOX_LANDLOCK_H

#include <stdbool.h>

#include "error.h"

/* The Landlock ABI version this kernel offers (0: none). */
int sbll_abi(void);

/* Restricts the calling process (and what it execs) to reading and executing
 * ro_paths, everything in rw_path, and the devices listed; no TCP, no signals
 * or abstract sockets beyond the sandbox, as far as abi allows. Paths that do
 * not exist are skipped. Sets no_new_privs. */
int sbll_restrict(int abi, const char *const *ro_paths, const char *rw_path,
                  const char *const *devices, hr_error *err);

#endif
