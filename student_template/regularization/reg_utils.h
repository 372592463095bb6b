/*
 * reg_utils.h — the code the Regularization notebook gives you, in C.
 *
 * The notebook imports sigmoid, relu, compute_cost, forward_propagation,
 * backward_propagation, update_parameters, initialize_parameters and predict
 * from reg_utils, and uses numpy's random generator (np.random.seed,
 * np.random.rand, np.random.randn). Here they are with the same names and the
 * same maths, numbers included: the random functions give numpy's very
 * values for a seed, and sums run in numpy's order. Differences from Python,
 * and why:
 *   - numpy arrays become reg_matrix (row-major doubles with their shape);
 *   - the "parameters" and "gradients" dictionaries become structs, and so do
 *     the caches (tuples in Python), which own copies of W and b;
 *   - functions that return new arrays allocate them; free them with the
 *     matching *_free function (the grader runs each test in a fresh process,
 *     so a leak costs nothing there, but it is good practice).
 *
 * Do not change this file: the grader links your regularization.c against
 * its own copy of it.
 */
#ifndef REG_UTILS_H
#define REG_UTILS_H

#include <stdbool.h>
#include <stddef.h>

/* A numpy 2-D array of doubles: rows x cols, row-major. */
typedef struct {
    size_t rows, cols;
    double *data;
} reg_matrix;

/* Element (i, j) of a reg_matrix pointer, like M[i][j] in numpy. */
#define REG_AT(M, i, j) ((M)->data[(size_t)(i) * (M)->cols + (size_t)(j)])

/* The "parameters" dictionary of the 3-layer network. */
typedef struct {
    reg_matrix W1, b1, W2, b2, W3, b3;
} reg_parameters;

/* The "gradients" dictionary of the backward propagations. */
typedef struct {
    reg_matrix dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1;
} reg_gradients;

/* The cache of forward_propagation, (Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3,
 * W3, b3) in the notebook; it owns all twelve. */
typedef struct {
    reg_matrix Z1, A1, W1, b1, Z2, A2, W2, b2, Z3, A3, W3, b3;
} reg_cache;

/* The cache of forward_propagation_with_dropout, (Z1, D1, A1, W1, b1, Z2, D2,
 * A2, W2, b2, Z3, A3, W3, b3): D1 and D2 are the masks, 1.0 for a neuron
 * kept and 0.0 for one shut down. It owns all fourteen. */
typedef struct {
    reg_matrix Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3;
} dropout_cache;

/* ---- arrays -------------------------------------------------------------- */

/* np.zeros((rows, cols)). */
reg_matrix reg_matrix_zeros(size_t rows, size_t cols);
/* np.copy(m). */
reg_matrix reg_matrix_copy(const reg_matrix *m);
/* Frees m->data and leaves m empty (safe to call twice). */
void reg_matrix_free(reg_matrix *m);
/* Number of elements, rows x cols. */
size_t reg_matrix_size(const reg_matrix *m);
/* np.dot(A, B), with A or B transposed when asked: reg_dot(&A, false, &B, true)
 * is np.dot(A, B.T). Each element is a sum over k from 0.0, in order, as
 * numpy's BLAS computes it. */
reg_matrix reg_dot(const reg_matrix *A, bool transpose_a, const reg_matrix *B, bool transpose_b);
/* np.dot(W, X) + b, b a column broadcast over the columns. */
reg_matrix reg_linear(const reg_matrix *W, const reg_matrix *X, const reg_matrix *b);
/* np.sum(M): every element, in numpy's (pairwise) order. */
double reg_sum(const reg_matrix *M);
/* np.sum(np.square(M)). */
double reg_square_sum(const reg_matrix *M);
/* s * np.sum(M, axis=1, keepdims=True). */
reg_matrix reg_row_sums(double s, const reg_matrix *M);

/* ---- numpy's random generator (np.random) --------------------------------
 * One stream for the whole program, as np.random's module functions share
 * one: the same seed gives numpy's very numbers, in the same order. */

/* np.random.seed(seed). */
void np_random_seed(unsigned seed);
/* np.random.rand(rows, cols): uniform in [0, 1), filled row by row. */
reg_matrix np_random_rand(size_t rows, size_t cols);
/* np.random.randn(rows, cols): standard normal, filled row by row. */
reg_matrix np_random_randn(size_t rows, size_t cols);

/* ---- what reg_utils.py gives --------------------------------------------- */

/* sigmoid(Z) = 1 / (1 + exp(-Z)), element by element (a new matrix). */
reg_matrix sigmoid(const reg_matrix *Z);
/* relu(Z) = max(0, Z), element by element (a new matrix). */
reg_matrix relu(const reg_matrix *Z);

/* The cross-entropy cost 1./m * np.nansum(logprobs) of the output a3 (1 x m)
 * against the labels Y (1 x m): terms that are NaN (0 * log 0) are left out. */
double compute_cost(const reg_matrix *a3, const reg_matrix *Y);

/* LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID on X (n_x x m):
 * returns A3 (a new matrix) and fills cache (free it with reg_cache_free). */
reg_matrix forward_propagation(const reg_matrix *X, const reg_parameters *parameters, reg_cache *cache);

/* The backward propagation of the model without regularization. */
reg_gradients backward_propagation(const reg_matrix *X, const reg_matrix *Y, const reg_cache *cache);

/* In place: W = W - learning_rate * dW, b = b - learning_rate * db. */
void update_parameters(reg_parameters *parameters, const reg_gradients *grads, double learning_rate);

/* np.random.seed(3); W_l = randn(n_l, n_{l-1}) / sqrt(n_{l-1}), b_l = zeros,
 * for layer_dims = {n_x, n_1, n_2, 1} (four sizes: three layers). */
reg_parameters initialize_parameters(const size_t layer_dims[4]);

/* The network's predictions (1 where a3 > 0.5) for X, as a new 1 x m matrix;
 * prints "Accuracy: " and the fraction of them equal to y, as predict does. */
reg_matrix predict(const reg_matrix *X, const reg_matrix *y, const reg_parameters *parameters);

void reg_parameters_free(reg_parameters *parameters);
void reg_gradients_free(reg_gradients *gradients);
void reg_cache_free(reg_cache *cache);
void dropout_cache_free(dropout_cache *cache);

/* ---- printing ------------------------------------------------------------ */

/* Prints label and then M as the notebook's numpy prints str(M), e.g.
 * reg_print("dW1 = ", &grads.dW1) for print("dW1 = " + str(grads["dW1"])):
 * 8 decimals, trailing zeros blanked, -0.0 as "-0.". */
void reg_print(const char *label, const reg_matrix *M);

#endif
