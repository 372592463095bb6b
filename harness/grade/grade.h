/*
 * grade — one submission from folder to scores.
 *
 *   build (intake, compile, checks, link) ─> for each test: observe the runner
 *   ─> score against the pack's expected value ─> per-exercise sums
 *
 * A compile error, a refused file or a missing function is a graded result
 * (0 for what it affects, with the reason); only a failure of the grader
 * itself returns -1. Tests run one at a time in the submission's sandbox slot;
 * a batch runs several submissions side by side, each in its own slot.
 */
#ifndef GRADE_H
#define GRADE_H

#include <stdbool.h>

#include "build.h"
#include "diagnose.h"
#include "error.h"
#include "pack.h"
#include "sandbox.h"
#include "score.h"

typedef struct {
    const pack *pack;
    sb_box *box;
    const char *public_include;   /* headers students include */
    const char *runner_base;      /* prelinked runner objects */
    const char *work_parent;      /* where private work folders are made */
    bool keep_work;               /* leave the work folder for inspection */
    /* Run the memory checks beside the build and the tests (one submission
     * alone: a second core is free), not after them (a batch: its jobs
     * already use every core). */
    bool checks_beside;
} grade_context;

typedef struct {
    char *submission;
    build_result build;
    char isolation[192];
    diag_report memory;           /* what the sanitizer build found on the visible tests */
    score_exercise *exercises;
    size_t nexercises;
    double score, max_score;
    double seconds;
    char *work_dir;               /* kept only with keep_work */
} grade_result;

int grade_submission(const grade_context *ctx, const char *submission, grade_result *out,
                     hr_error *err);
void grade_result_free(grade_result *g);

/* "graded", "compile_error", "not_accepted", "refused" */
const char *grade_status(const grade_result *g);

#endif
