/*
 * data — the Regularization assignment's data, as JSON and as C.
 *
 * One place converts between the JSON the harness carries (a test's inputs,
 * a return value, the fixture files) and the structs of reg_utils.h, so the
 * runner's bindings, the pack builder's case generator and the fixture
 * printer read and write the same shapes:
 *   parameters {W1, b1, W2, b2, W3, b3}; gradients {dZ3, dW3, db3, dA2, dZ2,
 *   dW2, db2, dA1, dZ1, dW1, db1}; caches {Z1, A1, W1, ...} in the course's
 *   tuple order; every matrix a list of rows.
 * It also makes the test cases: the course's four (testCases.py: seeded draws
 * and the literals it types in) and fresh ones for any seed and layer sizes,
 * drawn with numpy's generator as the course draws its own.
 */
#ifndef REGULARIZATION_DATA_H
#define REGULARIZATION_DATA_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "error.h"
#include "reg_utils.h"

cJSON *rgd_matrix_json(const reg_matrix *m);
/* Reads obj[key], a list of rows (a 1 x n row may be written flat). */
int rgd_matrix_read(const cJSON *obj, const char *key, reg_matrix *out, hr_error *err);

cJSON *rgd_parameters_json(const reg_parameters *p);
int rgd_parameters_read(const cJSON *obj, reg_parameters *out, hr_error *err);
cJSON *rgd_gradients_json(const reg_gradients *g);
int rgd_gradients_read(const cJSON *obj, reg_gradients *out, hr_error *err);
cJSON *rgd_cache_json(const reg_cache *c);
int rgd_cache_read(const cJSON *obj, reg_cache *out, hr_error *err);
cJSON *rgd_dropout_cache_json(const dropout_cache *c);
int rgd_dropout_cache_read(const cJSON *obj, dropout_cache *out, hr_error *err);

/* The member names of each struct, in the course's order, and the struct's
 * matrices in that order (for code that walks them: the bindings, the kit). */
extern const char *const RGD_PARAMETER_KEYS[6];
extern const char *const RGD_GRADIENT_KEYS[11];
extern const char *const RGD_CACHE_KEYS[12];
extern const char *const RGD_DROPOUT_KEYS[14];
void rgd_gradient_slots(reg_gradients *g, reg_matrix *slots[11]);
void rgd_dropout_slots(dropout_cache *c, reg_matrix *slots[14]);

/* ---- test cases ------------------------------------------------------------ */

/* The course's test cases by their names in testCases.py:
 *   compute_cost_with_regularization_test_case    {A3, Y, parameters}
 *   backward_propagation_with_regularization_test_case {X, Y, cache}
 *   forward_propagation_with_dropout_test_case    {X, parameters}
 *   backward_propagation_with_dropout_test_case   {X, Y, cache (with D1, D2)}
 * as a new JSON object; NULL with err for an unknown name. */
cJSON *rgd_course_case(const char *name, hr_error *err);
extern const char *const RGD_COURSE_CASES[4];

/* Layer sizes n0 (inputs) .. n3 (outputs, 1) and the number of examples. */
typedef struct {
    size_t layers[4];
    size_t m;
} rgd_shape;

/* A fresh case of the same form for a graded function, drawn after
 * np.random.seed(seed) (see data.c for each recipe). keep_prob is the one
 * the masks of backward_propagation_with_dropout's cache are drawn with
 * (ignored by the others). NULL with err when the shape is out of range. */
cJSON *rgd_fresh_case(const char *function, uint32_t seed, const rgd_shape *shape, double keep_prob,
                      hr_error *err);

#endif
