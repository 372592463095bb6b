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
    const char *const *substitutable; /* functions the runner's dispatchers stand for (NULL-terminated
                                        or NULL): the student's definitions are made weak and
                                        renamed as well (substitute.h) */
    const char *source_name;         /* the rubric's file name, e.g. gradient_check.c */
    double time_s;                   /* for the whole build (every step shares it) */
    long memory_mb;                  /* per compiler process */
    long run_memory_mb;              /* the tests' address-space limit: an object with more
                                        static data is refused (0: no such check) */
    /* Called once, when the preprocessed text has passed its checks, with
     * the folder holding it (submission.i) and the file name it was compiled
     * as: a caller may start other work on it (the memory checks' build)
     * while the compile and the link go on. May be NULL. */
    void (*on_text_vetted)(void *arg, const char *out_dir, const char *source);
    /* Called once, when the object has passed its checks too: from then on
     * code of the file may run (the memory checks' runs). May be NULL. */
    void (*on_vetted)(void *arg, const char *out_dir, const char *source);
    void *on_vetted_arg;              /* for both */
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
    bool *defined;                   /* parallel to graded: linked and callable */
    char **refused;                  /* parallel to graded: why it was cut out (or NULL) */
    size_t ngraded;                  /* length of defined and refused */
    double seconds;                  /* wall time of the whole build */
} build_result;

/* The sanitizer build: the vetted text compiled again with AddressSanitizer,
 * UndefinedBehaviorSanitizer and LeakSanitizer, checked and cut like the
 * graded object (the sanitizers' own symbols allowed), linked into a second
 * runner. Feedback only: every failure is a note, not a grade. */
typedef struct {
    char *runner;                    /* the diagnostic runner, or NULL (see note) */
    char *note;                      /* why there is none (or NULL) */
    bool *defined;                   /* parallel to graded: the functions it keeps */
} build_diag;

/* Builds it in dir (which holds submission.i, writable by box's uid) in a
 * session of its own, linking runner_base. -1 only on a grader fault. */
int build_diagnostic_runner(sb_box *box, const build_config *cfg, const char *dir, const char *runner_base,
                            build_diag *out, hr_error *err);
void build_diag_free(build_diag *d);

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
