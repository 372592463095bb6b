/*
 * compare_tree — the grader's comparison of return values that are not one
 * number: matrices, named groups of them (gradients, parameters) and tuples
 * (an object with members, e.g. {"A3": matrix, "cache": {...}}), as the
 * runner sends them in JSON.
 *
 * It only walks the JSON: every element is compared by compare.c's
 * cmp_matrix, the very code the student kit runs on its C structs, so the two
 * cannot disagree on a verdict or a message. Kept apart from compare.c
 * because that file ships in the kit, which has no JSON library.
 */
#ifndef COMPARE_TREE_H
#define COMPARE_TREE_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "compare.h"

/* Is v a structure (a list or an object) rather than a number? */
bool ctree_is_structure(const cJSON *v);

/* Compares got with expected into t (cmp_tally_init first). keys (NULL-
 * terminated, or NULL for all) names the members compared; "cache.D1"
 * reaches into a member. Expected's members must all be in got, with the
 * same shapes; members of got that expected lacks are a problem too. */
void ctree_compare(const cJSON *got, const cJSON *expected, char *const *keys, cmp_tally *t);

/* Do a and b hold the same structure and, element by element, the same
 * values (==, NaN equal to NaN) or, when rtol > 0, np.isclose at rtol
 * (atol 0)? For the mistakes catalogue: did a mistake change this result,
 * does a student's result look like a mistake's. Numbers compare as numbers. */
bool ctree_same(const cJSON *a, const cJSON *b, double rtol);

#endif
