/*
 * init_utils.h — the code the Initialization notebook gives you, in C.
 *
 * The notebook imports sigmoid, relu, compute_loss, forward_propagation,
 * backward_propagation, update_parameters, predict and load_dataset from
 * init_utils, and uses numpy's np.random.seed, np.random.randn and np.zeros.
 * Here they are with the same names and the same maths, so that your
 * initializations give the notebook's numbers to the last bit.
 * Differences from Python, and why:
 *   - numpy arrays become nn_matrix (row-major doubles with their shape);
 *   - the "parameters" dictionary {"W1": ..., "b1": ..., "W2": ...} becomes
 *     nn_params, which holds L weight matrices and L bias vectors for a
 *     network of any depth: parameters.W[l - 1] is "W" + str(l) and
 *     parameters.b[l - 1] is "b" + str(l), for l = 1 .. L;
 *   - np.random is one stream shared by the whole program, as in numpy:
 *     np_random_seed(3) resets it, np_random_randn(rows, cols) draws the next
 *     rows * cols standard normals row by row, exactly as numpy's legacy
 *     generator does (second value of each pair cached, kept until the next
 *     seed). Before any seed the stream is in a fixed state (MT19937's own
 *     default seed, 5489), where numpy would be seeded from the system;
 *   - functions that return new arrays allocate them; free them with
 *     nn_matrix_free / nn_params_free (the grader runs each test in a fresh
 *     process, so a leak costs nothing there, but it is good practice).
 *
 * Do not change this file: the grader links your initialization.c against its
 * own copy of it.
 */
#ifndef INIT_UTILS_H
#define INIT_UTILS_H

#include <stdbool.h>
#include <stddef.h>

/* A numpy 2-D array of doubles: rows x cols, row-major. */
typedef struct {
    size_t rows, cols;
    double *data;
} nn_matrix;

/* Element (i, j) of an nn_matrix pointer, like M[i][j] in numpy. */
#define NN_AT(M, i, j) ((M)->data[(size_t)(i) * (M)->cols + (size_t)(j)])

/* The "parameters" dictionary of an L-layer network: W[l - 1] has shape
 * (layers_dims[l], layers_dims[l - 1]) and b[l - 1] has shape (layers_dims[l], 1). */
typedef struct {
    size_t L;
    nn_matrix *W, *b;
} nn_params;

/* The gradients of backward_propagation, by layer: dW[l - 1], db[l - 1]. */
typedef struct {
    size_t L;
    nn_matrix *dW, *db;
} nn_grads;

/* The cache of forward_propagation: Z[l - 1] and A[l - 1] of layer l (A[L - 1]
 * is a3, the output), and the parameters they were computed with (borrowed). */
typedef struct {
    size_t L;
    nn_matrix *Z, *A;
    const nn_params *parameters;
} nn_cache;

/* ---- numpy ---------------------------------------------------------------- */

/* np.zeros((rows, cols)). */
nn_matrix np_zeros(size_t rows, size_t cols);
/* np.random.seed(seed). */
void np_random_seed(unsigned seed);
/* np.random.randn(rows, cols): the next rows * cols standard normals, row by row. */
nn_matrix np_random_randn(size_t rows, size_t cols);
/* np.random.rand(rows, cols): the next rows * cols uniform doubles in [0, 1). */
nn_matrix np_random_rand(size_t rows, size_t cols);
/* In place: M = M * s, element by element (as "np.random.randn(...) * s"). */
void nn_scale(nn_matrix *M, double s);
/* np.copy(m). */
nn_matrix nn_matrix_copy(const nn_matrix *m);
/* Frees m->data and leaves m empty (safe to call twice). */
void nn_matrix_free(nn_matrix *m);
/* print(prefix + str(M)): M as numpy prints it (8 decimals at most), then a newline. */
void nn_print_matrix(const char *prefix, const nn_matrix *M);

/* A parameter set for L layers, every matrix empty (0 x 0): fill W[l - 1] and b[l - 1]. */
nn_params nn_params_new(size_t L);
/* Frees every matrix of p and its arrays; leaves p empty (safe to call twice). */
void nn_params_free(nn_params *p);
void nn_grads_free(nn_grads *g);
void nn_cache_free(nn_cache *c);

/* ---- what init_utils.py gives ----------------------------------------------- */

double sigmoid(double x);
double relu(double x);

/* LINEAR -> RELU -> ... -> LINEAR -> SIGMOID: ReLU on every layer but the last,
 * z = np.dot(W, a) + b. Returns the output a3 (1 x m, owned by *cache);
 * fills *cache (free it with nn_cache_free). */
const nn_matrix *forward_propagation(const nn_matrix *X, const nn_params *parameters, nn_cache *cache);

/* The gradients of compute_loss, init_utils' way: dz3 = 1./m * (a3 - Y), then
 * dW = np.dot(dz, a_prev.T), db = np.sum(dz, axis=1, keepdims=True) and
 * dz_prev = np.dot(W.T, dz) * (a_prev > 0), with no further 1/m. */
nn_grads backward_propagation(const nn_matrix *X, const nn_matrix *Y, const nn_cache *cache);

/* In place: W = W - learning_rate * dW, b = b - learning_rate * db, every layer. */
void update_parameters(nn_params *parameters, const nn_grads *grads, double learning_rate);

/* The mean cross-entropy, 1./m * np.nansum(-log(a3) * Y + -log(1 - a3) * (1 - Y)):
 * NaN terms (0 * inf, when a3 is exactly 0 or 1) are left out, as nansum does;
 * +inf when a confident output is wrong. */
double compute_loss(const nn_matrix *a3, const nn_matrix *Y);

/* 0/1 predictions (a3 > 0.5) as a 1 x m matrix; prints "Accuracy: " + str(mean(p == y)). */
nn_matrix predict(const nn_matrix *X, const nn_matrix *y, const nn_params *parameters);

/* The notebook's data: np.random.seed(1), sklearn's make_circles(300, noise=.05) for
 * training, np.random.seed(2), make_circles(100, noise=.05) for testing; X is 2 x m,
 * Y is 1 x m (0/1). Leaves the np.random stream where make_circles left it. */
void load_dataset(nn_matrix *train_X, nn_matrix *train_Y, nn_matrix *test_X, nn_matrix *test_Y);

/* str(v) of Python: the shortest text that reads back to v ("0.6931471805599453"). */
#define NN_FLOAT_STR_MAX 32
const char *nn_float_str(double v, char out[NN_FLOAT_STR_MAX]);

#endif
