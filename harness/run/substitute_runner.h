/*
 * substitute_runner — which implementation of a callee the current test uses,
 * and how the student's code called it: the runner's half of substitution.
 *
 * A test may ask that the functions a graded function calls be other
 * implementations: the course's own, or a seeded wrong one from the
 * assignment's catalogue (substitute.h says how every call of the student's
 * code reaches them). The assignment's substitutes file defines, for each
 * substitutable function F, a dispatcher named F that asks subst_variant(F)
 * which implementation to call (NULL: the student's own) and records each call
 * with subst_trace. The runner sets the choices from the request before the
 * call and sends the trace beside the return value.
 *
 * Plain C, no allocation, no JSON: the student kit ships this file and links
 * it into its tests. Everything here lives in the process that runs student
 * code, so the grader treats the trace as untrusted: it parses it with limits
 * (protocol.c) and uses it for feedback only, never for a score.
 */
#ifndef SUBSTITUTE_RUNNER_H
#define SUBSTITUTE_RUNNER_H

#include <stddef.h>

#define SUBST_MAX_CHOICES 16     /* substituted functions in one test */
#define SUBST_NAME_MAX 64        /* longest function, variant or argument name */
#define SUBST_TRACE_MAX 32       /* calls recorded with their arguments (the rest are counted) */
#define SUBST_ARGS_MAX 8         /* arguments recorded per call */

/* The choice for one test: function calls variant. 0, or -1 when there are
 * too many choices or a name is empty or too long. */
int subst_choose(const char *function, const char *variant);
/* Forgets every choice and the trace. */
void subst_reset(void);
/* The variant chosen for function, or NULL: the student's own. */
const char *subst_variant(const char *function);

/* One call of a substitutable function, as its dispatcher saw it. */
typedef struct {
    const char *function;                  /* the dispatcher's own string */
    size_t nargs;
    const char *names[SUBST_ARGS_MAX];     /* the arguments' names */
    double args[SUBST_ARGS_MAX];
} subst_call;

/* Records a call of function with nargs named numeric arguments (those past
 * SUBST_ARGS_MAX are left out; calls past SUBST_TRACE_MAX are only counted). */
void subst_trace(const char *function, const char *const *names, const double *args, size_t nargs);
/* The calls recorded (*n of them) and how many there were in all. */
const subst_call *subst_trace_calls(size_t *n, unsigned long *total);

/* A dispatcher was asked for the student's own function and the submission
 * has none: the runner then reports the test's function as missing. */
void subst_missing(const char *function);
const char *subst_missing_function(void);

#endif
