/*
 * build — turn a submission into a runner, without trusting a byte of it.
 *
 *   intake ─> preprocess ─> compile ─> assemble (three sandboxed steps of one
 *   session, each output checked by srccheck before the next step or the
 *   student sees it) ─> object checks ─> the graded functions that reach a
 *   forbidden symbol are cut out, only the others stay global ─> link with
 *   the prebuilt runner (sandboxed)
 *
 * Every way a submission can fail here is a graded result for the student
 * (not a grader error): not accepted, compile error, refused. The result says
 * which graded functions the object defines and which were cut out and why,
 * so a deleted function or a forbidden call costs its own exercise (and those
 * that call it) and nothing else.
 */
#ifndef BUILD_H
#define BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "sandbox.h"

typedef struct {
    const char *public_include;      /* folder of the headers students include */
    const char *runner_base;         /* prelinked runner objects (absolute path) */
    const char *const *graded;       /* graded functions (NULL-terminated) */
    const char *const *provided;     /* provided symbols students may call */
    const char *source_name;         /* the rubric's file name, e.g. gradient_check.c */
    double time_s;                   /* for the whole build (every step shares it) */
    long memory_mb;                  /* per compiler process */
    bool diagnostic;                 /* also build the runner with sanitizers (feedback) */
} build_config;

typedef enum {
    BUILD_OK,
    BUILD_NOT_ACCEPTED,              /* no file, symlink, too large, binary... */
    BUILD_COMPILE_ERROR,
    BUILD_REFUSED                    /* compiled, but it breaks a rule */
} build_status;

typedef struct {
    build_status status;
    char *message;                   /* for the student: why it failed (or NULL) */
    char *warnings;                  /* compiler warnings (or NULL) */
    char *note;                      /* e.g. which file was graded (or NULL) */
    char *runner;                    /* BUILD_OK: the runner program */
    char *source;                    /* the file name it was compiled as (messages use it) */
    char *diag_runner;               /* the same built with sanitizers (or NULL: see diag_note) */
    char *diag_note;                 /* why there is no diagnostic runner (or NULL) */
    bool *defined;                   /* parallel to graded: linked and callable */
    char **refused;                  /* parallel to graded: why it was cut out (or NULL) */
    size_t ngraded;                  /* length of defined and refused */
    double seconds;                  /* wall time of the whole build */
} build_result;

/* work_dir: an empty private folder for this submission. -1 only when the
 * grader itself failed (err). */
int build_submission(sb_box *box, const build_config *cfg, const char *submission,
                     const char *work_dir, build_result *out, hr_error *err);
void build_result_free(build_result *r);

const char *build_status_name(build_status s);

/* The flags a submission is compiled with (besides the include folder and
 * output options); the student kit compiles with the same list. */
extern const char *const BUILD_CFLAGS[];

/* The C library and compiler-runtime symbols any submission may use. */
extern const char *const BUILD_LIBC_ALLOWED[];

#endif
