/*
 * reg_utils.c — the provided code of the Regularization notebook (reg_utils.py
 * and the numpy it relies on).
 *
 * Every formula keeps reg_utils.py's operation order (1./m * (a3 - Y) is
 * (1/m) times each difference) and numpy's: a matrix product sums over k from
 * 0.0 in order, as the reference BLAS does, and np.sum adds in numpy's
 * pairwise order, so that results are numpy's bit for bit. The random
 * functions are numpy's legacy generator (harness/nprand.c) behind one
 * stream, as np.random's module functions share one. Compile with
 * -ffp-contract=off: a fused multiply-add would change the digits.
 */
#include "reg_utils.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nprand.h"
#include "pyfloat.h"

/* The provided code has no way to report an error to its caller (the
 * notebook's functions do not either); a shape mistake is a programming error. */
static void reg_die(const char *what)
{
    fprintf(stderr, "reg_utils: %s\n", what);
    abort();
}

/* ---- arrays ---------------------------------------------------------------- */

reg_matrix reg_matrix_zeros(size_t rows, size_t cols)
{
    reg_matrix m = {rows, cols, NULL};
    if (rows && cols) {
        m.data = calloc(rows * cols, sizeof *m.data);
        if (!m.data)
            reg_die("out of memory");
    }
    return m;
}

reg_matrix reg_matrix_copy(const reg_matrix *src)
{
    reg_matrix m = reg_matrix_zeros(src->rows, src->cols);
    if (m.data)
        memcpy(m.data, src->data, reg_matrix_size(src) * sizeof *m.data);
    return m;
}

void reg_matrix_free(reg_matrix *m)
{
    free(m->data);
    m->data = NULL;
    m->rows = m->cols = 0;
}

size_t reg_matrix_size(const reg_matrix *m)
{
    return m->rows * m->cols;
}

reg_matrix reg_dot(const reg_matrix *A, bool ta, const reg_matrix *B, bool tb)
{
    size_t n = ta ? A->cols : A->rows, k = ta ? A->rows : A->cols;
    size_t kb = tb ? B->cols : B->rows, p = tb ? B->rows : B->cols;
    if (k != kb)
        reg_die("reg_dot: shapes not aligned");
    reg_matrix C = reg_matrix_zeros(n, p);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++) {
            double s = 0.0;
            for (size_t t = 0; t < k; t++) {
                double a = ta ? REG_AT(A, t, i) : REG_AT(A, i, t);
                double b = tb ? REG_AT(B, j, t) : REG_AT(B, t, j);
                s += a * b;
            }
            REG_AT(&C, i, j) = s;
        }
    return C;
}

reg_matrix reg_linear(const reg_matrix *W, const reg_matrix *X, const reg_matrix *b)
{
    reg_matrix Z = reg_dot(W, false, X, false);
    if (b->rows != Z.rows || b->cols != 1)
        reg_die("reg_linear: b must be a column with one row per row of W");
    for (size_t i = 0; i < Z.rows; i++)
        for (size_t j = 0; j < Z.cols; j++)
            REG_AT(&Z, i, j) += b->data[i];
    return Z;
}

/* numpy's pairwise summation of n contiguous doubles: under 8 in order,
 * up to 128 in eight interleaved partial sums, above that split in two. */
static double pairwise(const double *a, size_t n)
{
    if (n < 8) {
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += a[i];
        return s;
    }
    if (n <= 128) {
        double r[8];
        for (int j = 0; j < 8; j++)
            r[j] = a[j];
        size_t i;
        for (i = 8; i < n - n % 8; i += 8)
            for (int j = 0; j < 8; j++)
                r[j] += a[i + j];
        double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            s += a[i];
        return s;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise(a, n2) + pairwise(a + n2, n - n2);
}

double reg_sum(const reg_matrix *M)
{
    return pairwise(M->data, reg_matrix_size(M));
}

double reg_square_sum(const reg_matrix *M)
{
    size_t n = reg_matrix_size(M);
    double *sq = malloc((n ? n : 1) * sizeof *sq);
    if (!sq)
        reg_die("out of memory");
    for (size_t i = 0; i < n; i++)
        sq[i] = M->data[i] * M->data[i];
    double s = pairwise(sq, n);
    free(sq);
    return s;
}

reg_matrix reg_row_sums(double s, const reg_matrix *M)
{
    reg_matrix r = reg_matrix_zeros(M->rows, 1);
    for (size_t i = 0; i < M->rows; i++)
        r.data[i] = s * pairwise(M->data + i * M->cols, M->cols);
    return r;
}

/* ---- np.random ---------------------------------------------------------------- */

static nprand_state stream;
static bool seeded;

/* numpy seeds itself from the system when never seeded; a C program that
 * never seeds gets seed 0's stream, the same on every run. */
static nprand_state *the_stream(void)
{
    if (!seeded) {
        nprand_seed(&stream, 0);
        seeded = true;
    }
    return &stream;
}

void np_random_seed(unsigned seed)
{
    nprand_seed(&stream, (uint32_t)seed);
    seeded = true;
}

reg_matrix np_random_rand(size_t rows, size_t cols)
{
    reg_matrix m = reg_matrix_zeros(rows, cols);
    nprand_state *st = the_stream();
    for (size_t i = 0; i < rows * cols; i++)
        m.data[i] = nprand_double(st);
    return m;
}

reg_matrix np_random_randn(size_t rows, size_t cols)
{
    reg_matrix m = reg_matrix_zeros(rows, cols);
    nprand_state *st = the_stream();
    for (size_t i = 0; i < rows * cols; i++)
        m.data[i] = nprand_gauss(st);
    return m;
}

/* ---- reg_utils.py ----------------------------------------------------------- */

reg_matrix sigmoid(const reg_matrix *Z)
{
    reg_matrix s = reg_matrix_copy(Z);
    for (size_t i = 0; i < reg_matrix_size(&s); i++)
        s.data[i] = 1.0 / (1.0 + exp(-Z->data[i]));
    return s;
}

reg_matrix relu(const reg_matrix *Z)
{
    reg_matrix s = reg_matrix_copy(Z);
    for (size_t i = 0; i < reg_matrix_size(&s); i++)
        s.data[i] = 0.0 >= Z->data[i] ? 0.0 : Z->data[i];   /* np.maximum(0, x): NaN stays NaN */
    return s;
}

double compute_cost(const reg_matrix *a3, const reg_matrix *Y)
{
    if (a3->rows != Y->rows || a3->cols != Y->cols)
        reg_die("compute_cost: a3 and Y differ in shape");
    size_t m = Y->cols, n = reg_matrix_size(Y);
    double *logprobs = malloc((n ? n : 1) * sizeof *logprobs);
    if (!logprobs)
        reg_die("out of memory");
    for (size_t i = 0; i < n; i++) {
        double y = Y->data[i], a = a3->data[i];
        double t = (-log(a)) * y + (-log(1 - a)) * (1 - y);
        logprobs[i] = isnan(t) ? 0.0 : t;   /* np.nansum: a NaN term counts as 0 */
    }
    double cost = 1. / (double)m * pairwise(logprobs, n);
    free(logprobs);
    return cost;
}

reg_matrix forward_propagation(const reg_matrix *X, const reg_parameters *p, reg_cache *cache)
{
    reg_cache c;
    c.W1 = reg_matrix_copy(&p->W1);
    c.b1 = reg_matrix_copy(&p->b1);
    c.W2 = reg_matrix_copy(&p->W2);
    c.b2 = reg_matrix_copy(&p->b2);
    c.W3 = reg_matrix_copy(&p->W3);
    c.b3 = reg_matrix_copy(&p->b3);
    c.Z1 = reg_linear(&p->W1, X, &p->b1);
    c.A1 = relu(&c.Z1);
    c.Z2 = reg_linear(&p->W2, &c.A1, &p->b2);
    c.A2 = relu(&c.Z2);
    c.Z3 = reg_linear(&p->W3, &c.A2, &p->b3);
    c.A3 = sigmoid(&c.Z3);
    reg_matrix a3 = reg_matrix_copy(&c.A3);
    *cache = c;
    return a3;
}

/* np.multiply(dA, np.int64(A > 0)): a negative dA where A <= 0 gives -0.0. */
static reg_matrix relu_backward(const reg_matrix *dA, const reg_matrix *A)
{
    reg_matrix dZ = reg_matrix_copy(dA);
    for (size_t i = 0; i < reg_matrix_size(&dZ); i++)
        dZ.data[i] = dA->data[i] * (double)(A->data[i] > 0);
    return dZ;
}

/* s * np.dot(dZ, A.T) */
static reg_matrix scaled_dot(double s, const reg_matrix *dZ, const reg_matrix *A)
{
    reg_matrix d = reg_dot(dZ, false, A, true);
    for (size_t i = 0; i < reg_matrix_size(&d); i++)
        d.data[i] = s * d.data[i];
    return d;
}

/* reg_utils.py's (the course's, as its notebooks use it): dZ3 = A3 - Y, then
 * 1./m on every dW and db. */
reg_gradients backward_propagation(const reg_matrix *X, const reg_matrix *Y, const reg_cache *c)
{
    reg_gradients g;
    double m = (double)X->cols;
    g.dZ3 = reg_matrix_copy(&c->A3);
    for (size_t i = 0; i < reg_matrix_size(&g.dZ3); i++)
        g.dZ3.data[i] = c->A3.data[i] - Y->data[i];
    g.dW3 = scaled_dot(1. / m, &g.dZ3, &c->A2);
    g.db3 = reg_row_sums(1. / m, &g.dZ3);
    g.dA2 = reg_dot(&c->W3, true, &g.dZ3, false);
    g.dZ2 = relu_backward(&g.dA2, &c->A2);
    g.dW2 = scaled_dot(1. / m, &g.dZ2, &c->A1);
    g.db2 = reg_row_sums(1. / m, &g.dZ2);
    g.dA1 = reg_dot(&c->W2, true, &g.dZ2, false);
    g.dZ1 = relu_backward(&g.dA1, &c->A1);
    g.dW1 = scaled_dot(1. / m, &g.dZ1, X);
    g.db1 = reg_row_sums(1. / m, &g.dZ1);
    return g;
}

static void step(reg_matrix *W, const reg_matrix *dW, double lr)
{
    if (W->rows != dW->rows || W->cols != dW->cols)
        reg_die("update_parameters: a gradient differs in shape from its parameter");
    for (size_t i = 0; i < reg_matrix_size(W); i++)
        W->data[i] = W->data[i] - lr * dW->data[i];
}

void update_parameters(reg_parameters *p, const reg_gradients *g, double lr)
{
    step(&p->W1, &g->dW1, lr);
    step(&p->b1, &g->db1, lr);
    step(&p->W2, &g->dW2, lr);
    step(&p->b2, &g->db2, lr);
    step(&p->W3, &g->dW3, lr);
    step(&p->b3, &g->db3, lr);
}

reg_parameters initialize_parameters(const size_t dims[4])
{
    np_random_seed(3);
    reg_parameters p;
    reg_matrix *W[3] = {&p.W1, &p.W2, &p.W3}, *b[3] = {&p.b1, &p.b2, &p.b3};
    for (int l = 1; l <= 3; l++) {
        *W[l - 1] = np_random_randn(dims[l], dims[l - 1]);
        double s = sqrt((double)dims[l - 1]);
        for (size_t i = 0; i < reg_matrix_size(W[l - 1]); i++)
            W[l - 1]->data[i] = W[l - 1]->data[i] / s;
        *b[l - 1] = reg_matrix_zeros(dims[l], 1);
    }
    return p;
}

reg_matrix predict(const reg_matrix *X, const reg_matrix *y, const reg_parameters *parameters)
{
    reg_cache cache;
    reg_matrix a3 = forward_propagation(X, parameters, &cache);
    reg_matrix p = reg_matrix_zeros(1, a3.cols);
    size_t same = 0;
    for (size_t i = 0; i < a3.cols; i++) {
        p.data[i] = a3.data[i] > 0.5 ? 1 : 0;
        same += p.data[i] == y->data[i];
    }
    /* print("Accuracy: " + str(np.mean((p[0,:] == y[0,:])))), Python 3's str */
    char accuracy[PYFLOAT_MAX];
    pyfloat_repr((double)same / (double)a3.cols, accuracy);
    printf("Accuracy: %s\n", accuracy);
    reg_matrix_free(&a3);
    reg_cache_free(&cache);
    return p;
}

void reg_parameters_free(reg_parameters *p)
{
    reg_matrix *all[] = {&p->W1, &p->b1, &p->W2, &p->b2, &p->W3, &p->b3};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        reg_matrix_free(all[i]);
}

void reg_gradients_free(reg_gradients *g)
{
    reg_matrix *all[] = {&g->dZ3, &g->dW3, &g->db3, &g->dA2, &g->dZ2, &g->dW2,
                         &g->db2, &g->dA1, &g->dZ1, &g->dW1, &g->db1};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        reg_matrix_free(all[i]);
}

void reg_cache_free(reg_cache *c)
{
    reg_matrix *all[] = {&c->Z1, &c->A1, &c->W1, &c->b1, &c->Z2, &c->A2,
                         &c->W2, &c->b2, &c->Z3, &c->A3, &c->W3, &c->b3};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        reg_matrix_free(all[i]);
}

void dropout_cache_free(dropout_cache *c)
{
    reg_matrix *all[] = {&c->Z1, &c->D1, &c->A1, &c->W1, &c->b1, &c->Z2, &c->D2,
                         &c->A2, &c->W2, &c->b2, &c->Z3, &c->A3, &c->W3, &c->b3};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        reg_matrix_free(all[i]);
}

/* ---- printing ------------------------------------------------------------------ */

/* numpy 1.13's str of a float array in positional notation (the seed
 * notebook's numpy): precision 8, as few decimals as the most precise element
 * needs, each element right-aligned in len(str(int(max))) + precision + 2
 * characters, then its trailing zeros blanked ("0.        ", "-0.4410571 "). */
void reg_print(const char *label, const reg_matrix *M)
{
    size_t n = reg_matrix_size(M);
    double max = 0;
    int precision = 0;
    for (size_t i = 0; i < n; i++) {
        double v = fabs(M->data[i]);
        if (v == 0 || !isfinite(v))
            continue;
        if (v > max)
            max = v;
        char text[64];
        snprintf(text, sizeof text, "%.8f", v);
        int digits = 8;
        for (size_t k = strlen(text); digits > 0 && text[k - 1] == '0'; k--)
            digits--;
        if (digits > precision)
            precision = digits;
    }
    char whole[64];
    snprintf(whole, sizeof whole, "%.0f", floor(max));
    int width = (int)strlen(whole) + precision + 2;
    fputs(label, stdout);
    fputc('[', stdout);
    for (size_t i = 0; i < M->rows; i++) {
        if (i)
            fputs("\n ", stdout);
        fputc('[', stdout);
        for (size_t j = 0; j < M->cols; j++) {
            char text[96];
            snprintf(text, sizeof text, "%*.*f", width, precision, REG_AT(M, i, j));
            size_t k = strlen(text);
            if (precision > 0 && strchr(text, '.'))
                while (k > 0 && text[k - 1] == '0')
                    text[--k] = ' ';
            if (precision == 0)   /* numpy writes the point even then: "0." */
                snprintf(text + strlen(text), sizeof text - strlen(text), ".");
            printf("%s%s", j ? " " : "", text);
        }
        fputc(']', stdout);
    }
    fputs("]\n", stdout);
}
