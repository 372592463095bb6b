/*
 * gradient_check_data — the Gradient Checking assignment's data, as JSON and as C.
 *
 * One place converts between the JSON the harness carries (inputs of a test,
 * fixture files) and the structs of gc_utils.h, so the runner's bindings and
 * the pack builder's case generator read and write the same shapes. Fixtures
 * are generated as the course does (np.random.seed, then randn in the order
 * x, W1, b1, W2, b2, W3, b3) with the harness's port of numpy's generator.
 */
#ifndef GRADIENT_CHECK_DATA_H
#define GRADIENT_CHECK_DATA_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "error.h"
#include "gc_utils.h"

/* A test case of the N-dimensional check: data, labels and parameters. */
typedef struct {
    gc_matrix X, Y;
    gc_parameters parameters;
} gcd_case;

/* Layer sizes n0 (inputs) .. n3 (outputs, must be 1) and the number of examples. */
typedef struct {
    size_t layers[4];
    size_t m;
} gcd_shape;

/* The notebook's gradient_check_n_test_case: 4-5-3-1, m = 3. */
extern const gcd_shape GCD_NOTEBOOK_SHAPE;

/* np.random.seed(seed); X = randn(n0, m); Y = resize([1, 1, 0], m); W1 = randn(n1, n0)... */
int gcd_generate(uint32_t seed, const gcd_shape *shape, gcd_case *out, hr_error *err);
void gcd_case_free(gcd_case *c);

/* JSON <-> C. Matrices are lists of rows; parameters and gradients are objects
 * keyed W1..b3 / dW1..db3. The readers check shapes against each other. */
cJSON *gcd_matrix_json(const gc_matrix *m);
int gcd_matrix_read(const cJSON *obj, const char *key, gc_matrix *out, hr_error *err);
cJSON *gcd_parameters_json(const gc_parameters *p);
int gcd_parameters_read(const cJSON *obj, gc_parameters *out, hr_error *err);
cJSON *gcd_gradients_json(const gc_gradients *g);
/* Reads dW1..db3 shaped like p (the others stay empty). */
int gcd_gradients_read(const cJSON *obj, const gc_parameters *p, gc_gradients *out, hr_error *err);

/* When a block of gradients agrees with the numerical gradient. The whole-vector
 * threshold of the notebook (2e-7) is too tight for one small block: with
 * epsilon = 1e-7 a correct block's relative difference is rounding noise up to
 * about 1e-6 (small blocks are the noisiest), and a block whose true gradient
 * is zero compares noise with noise, hence the absolute floor. A seeded bug
 * gives 0.1 or more. Near a ReLU kink the numerical gradient itself is off,
 * and a correct block can be flagged, as the notebook's check would flag it. */
#define GCD_BLOCK_RTOL 1e-5
#define GCD_BLOCK_ATOL 1e-8

/* The per-block table of a against b: for each of dW1..db3 the notebook's
 * relative difference ||a - b|| / (||a|| + ||b||) (0 when both are zero),
 * "ok" when it is at most rtol or ||a - b|| is at most atol.
 * {"title", "rows": [{"label", "value", "ok"}]} */
cJSON *gcd_block_table(const gc_gradients *a, const gc_gradients *b, double rtol, double atol,
                       const char *title);

/* The fixture document: {"X", "Y", "W1", "b1", "W2", "b2", "W3", "b3"}. */
cJSON *gcd_case_json(const gcd_case *c);
int gcd_case_read(const cJSON *doc, gcd_case *out, hr_error *err);

#endif
