/*
 * sandbox_keeper — the inside of a sandbox session (internal to sandbox.c).
 *
 * The keeper is the trusted process at the root of a session: cloned by the
 * grader into the session's namespaces, it builds the file-system view once,
 * then serves one request per run — fork the program, put it in its place
 * (session, descriptors, uid, limits, Landlock, seccomp), wait for it under
 * the wall-clock limit, kill and reap whatever it left — and reports how the
 * run ended. Neither the keeper nor the program before exec may allocate: the
 * grader that cloned them may have other threads. This header holds what the
 * two sides share: the box, and the messages on the session's socket.
 */
#ifndef SANDBOX_KEEPER_H
#define SANDBOX_KEEPER_H

#include <linux/filter.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "sandbox.h"
#include "sandbox_cgroup.h"
#include "sandbox_limits.h"

#define SB_MAX_ARGS 64
#define SB_BLOB_MAX 16384
/* Paths a view may hold. */
#define SB_VIEW_MAX 32

/* One slot's identity and what the host allows, probed once by sb_open. */
struct sb_box {
    sb_options options;                      /* as opened (sb_open_like) */
    int slot;
    int lock_fd;                             /* flock on the slot */
    bool switch_uid;                         /* root: programs run as uid/gid */
    uid_t uid;
    gid_t gid;
    int ns_flags;                            /* CLONE_NEW* that work here (0: none) */
    bool seccomp;
    int landlock_abi;                        /* 0: no Landlock */
    const struct sock_fprog *bpf;            /* stage-1 filters by seccomp_stage, compiled once per
                                                process (NULL without seccomp) */
    sbcg *cgroup;                            /* NULL: none writable */
    pid_t spawner;                           /* 0: none (sandbox_spawner.h) */
    int spawner_sock;
    bool spawner_ready;                      /* its first word (it is in the group) was read */
    long stale;                              /* zombies of a dead grader its group was charged for at open */
    char *root_dir;                          /* empty folder the views are built on */
    char level[256];                         /* sb_level_name */
};

/* What a request asks: a run, or a zygote for the session's runs (run/zygote.h). */
enum { REQ_RUN = 0, REQ_ZYGOTE = 1 };

typedef struct {
    int kind;
    double wall_s, cpu_s;
    long memory_mb, output_kb;
    int max_processes;
    int result_channel;
    int argc, envc;
    unsigned blob_len;
    char blob[SB_BLOB_MAX];   /* cwd, argv..., envp..., each NUL-terminated */
} wire_request;

enum { REP_READY = 1, REP_SETUP_FAILED = 2, REP_END = 3 };

typedef struct {
    int kind;
    int status;               /* REP_END: wait status of the program */
    int timed_out;
    int leftovers;
    double wall_s;
    struct rusage ru;
    char what[512];           /* why setup failed, or why the program could not start */
} wire_report;

/* Everything the keeper needs, read from its copy of the grader's memory. */
typedef struct {
    const sb_box *box;
    sb_profile profile;
    int flags;
    const char *const *ro;
    const char *rw;
    const char *const *devices;
    int sock;
    uid_t outer_uid;
    gid_t outer_gid;
} keeper_ctx;

/* The keeper's life: never returns. k points into the keeper's own copy of
 * the grader's memory. */
void sbk_keeper_main(keeper_ctx *k) __attribute__((noreturn));

/* The devices a profile's view holds. */
const char *const *sbk_devices_for(sb_profile p);


#endif
