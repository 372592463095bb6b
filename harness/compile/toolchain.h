/*
 * toolchain — the command each build step runs: gcc's driver, or the program
 * the driver would start, called directly.
 *
 * A submission's build asks gcc five times for something (preprocess,
 * compile and link; the sanitizer build's compile and link). Each time the
 * driver works out the same command line for cc1, or for the linker through
 * collect2, and starts it: two or three programs started where one does the
 * work, about 12 ms of CPU a submission. At make time toolchain-probe asks
 * the driver what it would run for each step (gcc -###), checks that running
 * that directly writes the driver's files and messages byte for byte, and
 * writes the commands down (toolchain.json, beside the grader). The grader
 * then runs them itself. Without that file, or when a program it names is no
 * longer the one probed (its size or time differ: the compiler was
 * upgraded), every step runs the driver, as it always may.
 *
 * A step's command is a template: the submission's own names (its file, the
 * folder of the public headers, the runner's prelinked objects) stand in it
 * as placeholders, the same in the driver's form and in the probed one.
 */
#ifndef TOOLCHAIN_H
#define TOOLCHAIN_H

#include <stdbool.h>

#include "error.h"

typedef enum {
    TOOLCHAIN_PREPROCESS,      /* in src/: the student's file -> ../out/submission.i */
    TOOLCHAIN_COMPILE,         /* in src/: ../out/submission.i -> ../out/submission.s */
    TOOLCHAIN_LINK,            /* in out/: runner-base + graded.o -> runner */
    TOOLCHAIN_DIAG_COMPILE,    /* in out/: submission.i -> diag.s, instrumented */
    TOOLCHAIN_DIAG_LINK,       /* in out/: runner-base + diag-graded.o -> diag-runner */
    TOOLCHAIN_STEPS
} toolchain_step;

/* What a command names of one submission. */
typedef struct {
    const char *source;        /* the student's file name in src/ (ends in .c) */
    const char *include_dir;   /* absolute: the public headers */
    const char *runner_base;   /* absolute: the runner's prelinked objects */
} toolchain_names;

/* The placeholders, as the templates and toolchain.json hold them. */
#define TOOLCHAIN_SOURCE "GCGRADE_SOURCE.c"
#define TOOLCHAIN_INCLUDE "/GCGRADE_INCLUDE"
#define TOOLCHAIN_BASE "/GCGRADE_BASE.o"

/* The environment every step runs in (TMPDIR is the caller's, last). */
#define TOOLCHAIN_PATH_ENV "PATH=/usr/bin:/bin"
#define TOOLCHAIN_LOCALE_ENV "LC_ALL=C"

/* The step's name in toolchain.json ("preprocess", ...). */
const char *toolchain_step_name(toolchain_step step);

/* The driver's command for step, placeholders unfilled (what the probe asks
 * gcc -### about). NULL-terminated, static. */
const char *const *toolchain_driver_template(toolchain_step step);

/* Reads the probed commands at path. 1 when they are not used (no file,
 * or a program changed since the probe: *why says which); 0 when they are;
 * -1 with err when the file is unreadable or malformed. Call once, at start. */
int toolchain_load(const char *path, char *why, size_t why_len, hr_error *err);
/* Whether the probed commands are in use. */
bool toolchain_direct(void);
/* Back to the driver for every step (tests compare the two). */
void toolchain_unload(void);

/* The command for step with names filled in: the probed one when loaded,
 * the driver's otherwise. NULL-terminated; NULL when out of memory. Free it
 * with toolchain_command_free. */
char **toolchain_command(toolchain_step step, const toolchain_names *names);
/* Whether every placeholder in word stands at its end, where
 * toolchain_fill fills it (the probe refuses a command where one does not). */
bool toolchain_word_fillable(const char *word);
/* Fills the placeholders of any template (the probe uses it on both forms). */
char **toolchain_fill(const char *const *template_argv, const toolchain_names *names);
void toolchain_command_free(char **argv);

#endif
