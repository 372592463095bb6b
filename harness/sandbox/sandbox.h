/*
 * sandbox — run programs under limits and isolation, and report how they ended.
 *
 * Every program that touches a submission runs through here: the compiler (it
 * reads student text) and the runner (it executes student code), one process
 * tree per test. The caller says what the program may use (a profile, a view
 * of the file system, limits); the sandbox returns what it printed (each
 * stream captured in an anonymous memory file and capped, so a flood or a
 * planted FIFO cannot hurt the grader) and how it ended: exit status, signal,
 * timed out, over its CPU or output limit. After a run returns, nothing the
 * program started is alive.
 *
 * A session (sb_session_open) sets up the isolation once — namespaces, the
 * file-system view, the cgroup — and then runs any number of programs in it,
 * each a fresh fork with its own limits, uid, seccomp filter and Landlock
 * fence: a submission's compile steps share one session, its tests another.
 * sb_run is a session of one run.
 *
 * Isolation is probed once (sb_open) and applied as far as the host allows; the
 * level reached is part of every report (sb_level_name).
 */
#ifndef SANDBOX_H
#define SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

typedef enum {
    SB_PROFILE_TRUSTED,   /* harness code (the reference runner): limits only */
    SB_PROFILE_COMPILE,   /* the compiler on student text */
    SB_PROFILE_RUN,       /* the runner holding student code */
    SB_PROFILE_DIAGNOSE   /* the runner built with sanitizers, for feedback: threads,
                             ptrace of itself (LeakSanitizer), its own /proc and no
                             address-space limit; needs a PID and a mount namespace */
} sb_profile;

typedef struct {
    const char *const *argv;       /* argv[0]: absolute path of the program */
    const char *const *envp;       /* NULL: an empty environment */
    const char *cwd;               /* working folder (outside path); NULL: "/" */
    const char *const *ro_paths;   /* NULL-terminated: outside paths the program may read */
    const char *rw_path;           /* one outside folder it may write (or NULL) */
    const void *input;             /* stdin contents */
    size_t input_len;
    bool result_channel;           /* give it fd 3, captured like stdout */
    double wall_s;                 /* wall-clock limit */
    double cpu_s;                  /* CPU-time limit */
    long memory_mb;                /* address-space limit */
    long output_kb;                /* cap on each captured stream (and on files it writes) */
    int max_processes;             /* processes it may have at once (1 = no child) */
    sb_profile profile;
} sb_spec;

typedef enum {
    SB_EXITED,                     /* exit_code is valid */
    SB_SIGNALED,                   /* killed by signal (not by us) */
    SB_TIMED_OUT,                  /* wall-clock limit: we killed it */
    SB_CPU_LIMIT,                  /* CPU-time limit */
    SB_OUTPUT_LIMIT                /* tried to write more than output_kb */
} sb_end;

typedef struct {
    char *data;                    /* NUL-terminated, at most the cap */
    size_t len;
    bool truncated;
} sb_capture;

typedef struct {
    sb_end end;
    int exit_code;
    int signal;
    double wall_s, cpu_s;
    long max_rss_kb;
    int leftovers;                 /* processes still alive when it ended (all killed) */
    sb_capture out, err, result;
} sb_result;

typedef struct sb_box sb_box;
typedef struct sb_session sb_session;

typedef struct {
    int slot;                      /* 0, 1, ...: parallel sandboxes get their own */
    bool no_namespaces;            /* pretend the host has none (tests, debugging) */
    bool no_uid;                   /* do not switch to a sandbox uid even as root */
    bool no_cgroup;
    bool no_landlock;              /* pretend the kernel has no Landlock */
} sb_options;

/* The sandbox's root folders (empty mount points in /run or /tmp) are
 * named after the owner (the grader's first process: set it before any
 * fork) and the process that made each, so that what a killed process left
 * is found: sb_sweep_roots removes those made by creator (0: by any process
 * of the owner's). */
void sb_set_owner(pid_t owner);
void sb_sweep_roots(pid_t creator);

/* Probes what this host allows and prepares the isolation. The slot is locked
 * for this process (the next free one is taken if it is in use), so that two
 * graders on one machine never share a uid or a cgroup. */
sb_box *sb_open(const sb_options *opt, hr_error *err);
/* Probes the host and compiles the system-call filters now, once: the
 * boxes this process and the children it forks later open reuse them. */
void sb_prepare(const sb_options *opt);
/* Another box opened with box's options, in the next free slot: for work done
 * beside box's (each box and its sessions belong to one process). */
sb_box *sb_open_like(const sb_box *box, hr_error *err);
void sb_close(sb_box *box);

/* The uid and gid sandboxed programs run as: a folder they must write is
 * handed to them with chown. */
void sb_identity(const sb_box *box, uid_t *uid, gid_t *gid);

/* "namespaces (mount, pid, net, ipc) + uid 61000 + rlimits + seccomp + landlock + cgroup", ... */
const char *sb_level_name(const sb_box *box);

/* Does this box give sandboxed programs a private file-system view (so that
 * nothing outside ro_paths/rw_path exists for them)? */
bool sb_has_private_view(const sb_box *box);

/* A keeper for runs that share a profile and a view (outside paths, as in
 * sb_spec). NULL with err when the isolation cannot be set up. */
sb_session *sb_session_open(sb_box *box, sb_profile profile, const char *const *ro_paths,
                            const char *rw_path, hr_error *err);

/* Runs spec to its end in the session (spec->profile must be the session's;
 * spec->ro_paths and rw_path are ignored: the session's view holds). -1 only
 * when the sandbox itself failed (err says why); whatever the program does is
 * reported in *res. A keeper that stops answering is killed and replaced. */
int sb_session_run(sb_session *s, const sb_spec *spec, sb_result *res, hr_error *err);

/* Starts argv (a runner: run/zygote.h) once as the session's zygote: from
 * then on a run of argv[0] alone, with envp, is a process the zygote forks
 * instead of an exec. max_processes: the zygote and its largest test's. -1
 * (err says why) when there is none: runs are exec'd as before. A keeper
 * that is replaced takes its zygote with it. */
int sb_session_prestart(sb_session *s, const char *const *argv, const char *const *envp, int max_processes,
                        hr_error *err);

/* Ends the keeper and everything left in the session (NULL is fine). */
void sb_session_close(sb_session *s);

/* A session of one run, with spec's view. */
int sb_run(sb_box *box, const sb_spec *spec, sb_result *res, hr_error *err);
void sb_result_free(sb_result *res);

/* "exited with status 3", "crashed with SIGSEGV (segmentation fault)", ... */
void sb_describe(const sb_result *res, const sb_spec *spec, char *out, size_t len);

#endif
