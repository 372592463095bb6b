/*
 * substitute — running a student's function with other implementations of
 * the functions it calls (the grader's and the pack builder's half; the
 * runner's half is substitute_runner.h).
 *
 * How a call of the student's code reaches a substitute:
 *   1. Every submission is compiled with -fPIC (cflags.h): GCC then keeps
 *      default semantic interposition, so a call from the student's
 *      gradient_check to their forward_propagation is a real call through the
 *      symbol, never inlined nor bound inside the file, whatever -O2 could do.
 *   2. Before linking, objcopy makes the student's definition of each
 *      substitutable function F weak and adds a second name for it,
 *      __subst_own_F, at the same address (its section and offset, which
 *      -ffunction-sections makes the function's own).
 *   3. The runner holds the assignment's substitutes file: a strong F, the
 *      dispatcher, wins over the weak definition, so every call of F (the
 *      student's, the bindings') reaches it. For each test the dispatcher
 *      calls the implementation the request names, or the student's own
 *      through __subst_own_F; it records each call (substitute_runner.h).
 * One runner per submission serves every test: the choice travels in the
 * request, not in the link.
 *
 * The catalogue is read from the substitutes object itself: a global function
 * F defined there is substitutable, and each global function subst__F__V is
 * its variant V.
 */
#ifndef SUBSTITUTE_H
#define SUBSTITUTE_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "error.h"
#include "objcheck.h"
#include "pack.h"

#define SUBST_OWN_PREFIX "__subst_own_"
#define SUBST_IMPL_PREFIX "subst__"
/* The variant that means the student's own function. */
#define SUBST_OWN "own"

/* The catalogue of a substitutes object: a new JSON object {F: [V, ...]}
 * (every F with at least one variant, in the object's order). */
int subst_catalogue(const objcheck_info *substitutes, cJSON **out, hr_error *err);

/* The objcopy options (one per line, quoted, as objcopy reads them from @FILE)
 * that prepare obj for a runner with dispatchers for functions: for each F
 * the object defines as a global function, make it weak and name its address
 * __subst_own_F (with keep_global, also --keep-global-symbol for that name,
 * for a cut that localizes every other symbol). A new string ("" when there
 * is nothing to do); NULL with err when a definition cannot be aliased. */
char *subst_objcopy_options(const objcheck_info *obj, const char *const *functions, bool keep_global,
                            hr_error *err);


/* Is the rubric's calls map (F: V) valid for this catalogue and tested
 * function? -1 with err saying which entry is wrong and what there is. */
int subst_check_calls(const cJSON *calls, const cJSON *catalogue, const char *tested, hr_error *err);

#endif
