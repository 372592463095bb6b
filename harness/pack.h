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
#include "observe.h"
#include "rubric.h"

typedef struct {
    char *id;              /* "exercise/N", stable across runs */
    cJSON *inputs;         /* what the runner receives */
    cJSON *expected;       /* {"return": VALUE, "stdout": TEXT} from the reference */
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
} pack;

/* A catalogue mistake, built into a runner of its own. */
typedef struct {
    const char *id;
    const char *function;
    const char *hint;
    observe_target runner;
} pack_mistake;

typedef struct {
    const rubric *rubric;
    const asg_casegen *casegen;
    asg_context context;
    observe_target reference;
    const pack_mistake *mistakes;
    size_t nmistakes;
    const cJSON *symptoms;     /* the catalogue's symptoms, or NULL */
} pack_sources;

/* Builds a pack: expands every test, observes the reference (and every
 * mistake of the test's function) on it. Errors name the rubric file and line. */
int pack_build(const pack_sources *src, cJSON **out, hr_error *err);

int pack_load(const char *path, pack *out, hr_error *err);
/* The pack that pack_build's document describes (what pack_load reads). */
int pack_from_json(const cJSON *doc, pack *out, hr_error *err);
void pack_free(pack *p);

#endif
