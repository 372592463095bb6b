/*
 * pack — an assignment compiled for grading: the rubric, every test's concrete
 * inputs, and the expected observation of each, in one JSON file.
 *
 * The pack builder (trusted; it holds the assignment's case generator and runs
 * the reference) writes it once per change of the rubric, fixtures or
 * reference; the grader only reads it. It holds hidden inputs and every
 * expected value, so it lives in the grader's private build folder (mode
 * 0700) and never enters a sandbox. Expected values never leave the grader
 * process: the runner is sent inputs only.
 */
#ifndef PACK_H
#define PACK_H

#include <cjson/cJSON.h>

#include "assignment.h"
#include "error.h"
#include "rubric.h"

typedef struct {
    char *id;              /* "exercise/N", stable across runs */
    cJSON *inputs;         /* what the runner receives */
    cJSON *expected;       /* {"return": VALUE, "stdout": TEXT} from the reference, and
                              "trace" (how it called the substitutes) when the test has calls */
    cJSON *mistakes;       /* [{"id", "hint", "return", "stdout"}]: catalogue mistakes
                              whose results differ from the reference's here */
    cJSON *annotation;     /* the assignment's notes on these inputs (or NULL) */
    cJSON *as_handed_out;  /* {"return", "stdout"} of the handed-out template here (or NULL) */
} pack_case;

typedef struct {
    rubric rubric;         /* tests' inputs are the rubric's specs; cases hold the expansion */
    pack_case **cases;     /* cases[e][t] for rubric.exercises[e].tests[t] */
    char **graded;         /* every function a test calls, once, in rubric order (NULL-terminated) */
    cJSON *symptoms;       /* [{"value", "functions", "hint"}]: degenerate results (mistakes.h) */
    cJSON *substitutes;    /* the substitutes' catalogue {F: [VARIANT...]} (substitute.h): every
                              object linked into a runner is prepared for these F */
    const char **substitutable;  /* its functions (NULL-terminated, borrowed from it) */
} pack;

/* The substitutable functions of a substitutes' catalogue {F: [VARIANT...]}
 * (NULL-terminated, borrowed from it). */
const char **pack_substitutable(const cJSON *catalogue);

int pack_load(const char *path, pack *out, hr_error *err);
/* The pack that the pack builder's document describes (what pack_load reads). */
int pack_from_json(const cJSON *doc, pack *out, hr_error *err);
void pack_free(pack *p);

#endif
