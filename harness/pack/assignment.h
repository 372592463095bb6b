/*
 * assignment — what an assignment pack gives the generic harness.
 *
 * An assignment lives outside harness/ (rubrics/, testcases/, reference/,
 * student_template/) and plugs in through two tables, each linked where it
 * belongs and nowhere else:
 *
 *   asg_bindings  — in the runner: how a test's inputs (JSON) become a call of
 *                   a graded function, and its return value an observation.
 *                   The runner is linked with the student's object (to grade)
 *                   or with the reference (to compute expected values), never
 *                   both, so the same binding code serves the two.
 *   asg_casegen   — in the pack builder only (trusted): how the rubric's input
 *                   specs (a fixture name, a seed and layer sizes, a backprop
 *                   variant...) expand into concrete inputs. It may use secret
 *                   code (the reference's variants); its output is plain data.
 *
 * Adding an assignment adds these two tables and no code in harness/.
 */
#ifndef ASSIGNMENT_H
#define ASSIGNMENT_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "error.h"

/* ---- runner side ----------------------------------------------------------- */

typedef enum {
    ASG_CALLED = 0,      /* *ret holds the return value */
    ASG_MISSING = 1,     /* the submission does not define the function */
    ASG_BAD_INPUTS = -1  /* the inputs do not fit the function: a harness fault */
} asg_call_status;

typedef struct {
    const char *name;    /* the graded function's C name */
    /* Calls it once on inputs; stores the return value (jsonio_double for a
     * double) in *ret. Output it prints goes to the runner's stdout. */
    asg_call_status (*call)(const cJSON *inputs, cJSON **ret, hr_error *err);
} asg_function;

typedef struct {
    const char *assignment;
    const asg_function *functions;
    size_t nfunctions;
} asg_bindings;

/* Defined by the assignment's bindings file, used by runner_main.c. */
extern const asg_bindings ASG_BINDINGS;

/* ---- pack builder side --------------------------------------------------- */

typedef struct {
    const char *testcases_dir;   /* where fixture files live */
} asg_context;

typedef struct {
    const char *function;
    /* Checks a rubric test's inputs and expands them into the function's
     * concrete inputs (*inputs, a new JSON object). On error, err says what is
     * wrong in the rubric's words (the caller adds the file and line). */
    int (*expand)(const cJSON *spec, const asg_context *ctx, cJSON **inputs, hr_error *err);
    /* Optional (NULL): what the grader should know about these inputs to
     * explain a failure, as a new JSON object kept in the pack (never sent to
     * the runner). Recognised keys:
     *   "table": {"title": TEXT, "rows": [{"label", "value", "ok"}]}
     *            shown under a failing test (values only for visible tests);
     *   "blocks": {NAME: matrix, ...}
     *            what a "blocks" comparison measures the returned blocks against. */
    int (*annotate)(const cJSON *inputs, cJSON **annotation, hr_error *err);
} asg_expander;

typedef struct {
    const char *assignment;
    const asg_expander *expanders;
    size_t nexpanders;
} asg_casegen;

/* Defined by the assignment's case generator, used by the pack builder. */
extern const asg_casegen ASG_CASEGEN;

#endif
