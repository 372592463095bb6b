/*
 * gc_utils.h — the code the Gradient Checking notebook gives you, in C.
 *
 * The notebook imports sigmoid, relu, dictionary_to_vector, vector_to_dictionary
 * and gradients_to_vector from gc_utils, and hands you forward_propagation_n and
 * backward_propagation_n. Here they are with the same names and the same maths.
 * Differences from Python, and why:
 *   - numpy arrays become gc_matrix (row-major doubles with their shape);
 *   - the "parameters" and "gradients" dictionaries become structs;
 *   - shapes travel with the data instead of fixed slices [0:20], [20:25]...,
 *     so the same code works for other layer sizes;
 *   - functions that return new arrays allocate them; free them with the
 *     matching *_free function (the grader runs each test in a fresh process,
 *     so a leak costs nothing there, but it is good practice).
 *
 * Do not change this file: the grader links your gradient_check.c against its
 * own copy of it.
 */
#ifndef GC_UTILS_H
#define GC_UTILS_H

#include <stdbool.h>
#include <stddef.h>

/* A numpy 2-D array of doubles: rows × cols, row-major. */
typedef struct {
    size_t rows, cols;
    double *data;
} gc_matrix;

/* Element (i, j) of a gc_matrix pointer, like M[i][j] in numpy. */
#define GC_AT(M, i, j) ((M)->data[(size_t)(i) * (M)->cols + (size_t)(j)])

/* The "parameters" dictionary of the 3-layer network. */
typedef struct {
    gc_matrix W1, b1, W2, b2, W3, b3;
} gc_parameters;

/* The cache of forward_propagation_n: the layers' values, and the parameters
 * they were computed with (borrowed, not owned). */
typedef struct {
    gc_matrix Z1, A1, Z2, A2, Z3, A3;
    const gc_parameters *parameters;
} gc_cache;

/* The "gradients" dictionary of backward_propagation_n. gradients_to_vector
 * reads only dW1, db1, dW2, db2, dW3, db3; the others may be empty (0 × 0). */
typedef struct {
    gc_matrix dZ3, dW3, db3, dA2, dZ2, dW2, db2, dA1, dZ1, dW1, db1;
} gc_gradients;

/* ---- arrays -------------------------------------------------------------- */

/* np.zeros((rows, cols)). */
gc_matrix gc_matrix_zeros(size_t rows, size_t cols);
/* np.copy(m). */
gc_matrix gc_matrix_copy(const gc_matrix *m);
/* Frees m->data and leaves m empty (safe to call twice). */
void gc_matrix_free(gc_matrix *m);
/* Number of elements, rows × cols. */
size_t gc_matrix_size(const gc_matrix *m);
/* np.dot(A, B), with A or B transposed when asked: gc_dot(&A, false, &B, true)
 * is np.dot(A, B.T). Sums run left to right. */
gc_matrix gc_dot(const gc_matrix *A, bool transpose_a, const gc_matrix *B, bool transpose_b);
/* In place: M = s * M (the scalar on the left, as in 1./m * np.dot(...)). */
void gc_scale(double s, gc_matrix *M);
/* s * np.sum(M, axis=1, keepdims=True). */
gc_matrix gc_row_sums(double s, const gc_matrix *M);
/* np.multiply(dA, np.int64(A > 0)): the gradient through a ReLU. */
gc_matrix gc_relu_backward(const gc_matrix *dA, const gc_matrix *A);
/* np.linalg.norm(m): the square root of the sum of squares of all elements. */
double gc_norm(const gc_matrix *m);
/* np.linalg.norm(x) for a single number, as the 1-D check uses it. */
double gc_norm_scalar(double x);

/* ---- what gc_utils.py gives --------------------------------------------- */

double sigmoid(double x);
double relu(double x);

/* Reshapes W1, b1, W2, b2, W3, b3 into one column vector (n × 1), in that order. */
gc_matrix dictionary_to_vector(const gc_parameters *parameters);
/* The inverse: a new parameters struct shaped like `shapes`, filled from theta. */
gc_parameters vector_to_dictionary(const gc_matrix *theta, const gc_parameters *shapes);
/* Reshapes dW1, db1, dW2, db2, dW3, db3 into one column vector (n × 1). */
gc_matrix gradients_to_vector(const gc_gradients *gradients);

void gc_parameters_free(gc_parameters *parameters);
void gc_gradients_free(gc_gradients *gradients);
void gc_cache_free(gc_cache *cache);

/* ---- the model of the notebook ------------------------------------------ */

/* LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID, and the logistic cost
 * of X (n_x × m) against the labels Y (1 × m). When cache is not NULL it is
 * filled (free it with gc_cache_free); pass NULL when only the cost matters. */
double forward_propagation_n(const gc_matrix *X, const gc_matrix *Y,
                             const gc_parameters *parameters, gc_cache *cache);

/* The backward propagation exactly as the notebook hands it out: it has
 * mistakes for gradient checking to find (hint: dW2 and db1). */
gc_gradients backward_propagation_n(const gc_matrix *X, const gc_matrix *Y,
                                    const gc_cache *cache);

/* ---- printing ------------------------------------------------------------ */

/* Writes v as Python's str(v) would ("2.919335883291695e-10", "8.0") into
 * out, which holds GC_FLOAT_STR_MAX bytes; returns out. Use it to print the
 * notebook's messages with the same digits as the notebook. */
#define GC_FLOAT_STR_MAX 32
const char *gc_float_str(double v, char out[GC_FLOAT_STR_MAX]);

#endif
