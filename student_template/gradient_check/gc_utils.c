/*
 * gc_utils.c — the provided code of the Gradient Checking notebook.
 *
 * Each formula keeps the notebook's operation order (1./m * np.dot(...) * 2 is
 * ((1/m) · dot) · 2, not dot · (2/m)) so that results follow numpy's as closely
 * as plain C loops allow. Matrix products and sums accumulate left to right.
 * Compile with -ffp-contract=off: a fused multiply-add would change the digits.
 */
#include "gc_utils.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyfloat.h"

/* The provided code has no way to report an error to its caller (the notebook's
 * functions do not either); a shape mistake is a programming error. */
static void gc_die(const char *what)
{
    fprintf(stderr, "gc_utils: %s\n", what);
    abort();
}

gc_matrix gc_matrix_zeros(size_t rows, size_t cols)
{
    gc_matrix m = {rows, cols, NULL};
    if (rows && cols) {
        m.data = calloc(rows * cols, sizeof *m.data);
        if (!m.data)
            gc_die("out of memory");
    }
    return m;
}

gc_matrix gc_matrix_copy(const gc_matrix *src)
{
    gc_matrix m = gc_matrix_zeros(src->rows, src->cols);
    if (m.data)
        memcpy(m.data, src->data, gc_matrix_size(src) * sizeof *m.data);
    return m;
}

void gc_matrix_free(gc_matrix *m)
{
    free(m->data);
    m->data = NULL;
    m->rows = m->cols = 0;
}

size_t gc_matrix_size(const gc_matrix *m)
{
    return m->rows * m->cols;
}

double gc_norm(const gc_matrix *m)
{
    double sq = 0.0;
    for (size_t i = 0; i < gc_matrix_size(m); i++)
        sq += m->data[i] * m->data[i];
    return sqrt(sq);
}

double gc_norm_scalar(double x)
{
    return sqrt(x * x);
}

double sigmoid(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

double relu(double x)
{
    return x > 0.0 ? x : 0.0;
}

/* ---- small numpy ------------------------------------------------------- */

gc_matrix gc_dot(const gc_matrix *a, bool ta, const gc_matrix *b, bool tb)
{
    size_t n = ta ? a->cols : a->rows, k = ta ? a->rows : a->cols;
    size_t kb = tb ? b->cols : b->rows, p = tb ? b->rows : b->cols;
    if (k != kb)
        gc_die("np.dot: shapes not aligned");
    gc_matrix c = gc_matrix_zeros(n, p);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++) {
            double acc = 0.0;
            for (size_t t = 0; t < k; t++) {
                double x = ta ? GC_AT(a, t, i) : GC_AT(a, i, t);
                double y = tb ? GC_AT(b, j, t) : GC_AT(b, t, j);
                acc += x * y;
            }
            GC_AT(&c, i, j) = acc;
        }
    return c;
}

/* In place: Z += b, with b (rows × 1) broadcast along the columns. */
static void add_column(gc_matrix *z, const gc_matrix *b)
{
    if (b->rows != z->rows || b->cols != 1)
        gc_die("broadcast: bias shape does not match");
    for (size_t i = 0; i < z->rows; i++)
        for (size_t j = 0; j < z->cols; j++)
            GC_AT(z, i, j) += b->data[i];
}

static gc_matrix map(const gc_matrix *z, double (*f)(double))
{
    gc_matrix a = gc_matrix_zeros(z->rows, z->cols);
    for (size_t i = 0; i < gc_matrix_size(z); i++)
        a.data[i] = f(z->data[i]);
    return a;
}

void gc_scale(double s, gc_matrix *m)
{
    for (size_t i = 0; i < gc_matrix_size(m); i++)
        m->data[i] = s * m->data[i];
}

gc_matrix gc_row_sums(double s, const gc_matrix *m)
{
    gc_matrix r = gc_matrix_zeros(m->rows, 1);
    for (size_t i = 0; i < m->rows; i++) {
        double acc = 0.0;
        for (size_t j = 0; j < m->cols; j++)
            acc += GC_AT(m, i, j);
        r.data[i] = s * acc;
    }
    return r;
}

gc_matrix gc_relu_backward(const gc_matrix *da, const gc_matrix *a)
{
    gc_matrix dz = gc_matrix_zeros(da->rows, da->cols);
    for (size_t i = 0; i < gc_matrix_size(da); i++)
        dz.data[i] = da->data[i] * (a->data[i] > 0.0 ? 1.0 : 0.0);
    return dz;
}

/* ---- the network ----------------------------------------------------------- */

double forward_propagation_n(const gc_matrix *X, const gc_matrix *Y,
                             const gc_parameters *p, gc_cache *cache)
{
    size_t m = X->cols;
    if (Y->rows != 1 || Y->cols != m)
        gc_die("forward_propagation_n: Y must be 1 x m");

    gc_matrix Z1 = gc_dot(&p->W1, false, X, false);
    add_column(&Z1, &p->b1);
    gc_matrix A1 = map(&Z1, relu);
    gc_matrix Z2 = gc_dot(&p->W2, false, &A1, false);
    add_column(&Z2, &p->b2);
    gc_matrix A2 = map(&Z2, relu);
    gc_matrix Z3 = gc_dot(&p->W3, false, &A2, false);
    add_column(&Z3, &p->b3);
    gc_matrix A3 = map(&Z3, sigmoid);

    /* logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y) */
    double sum = 0.0;
    for (size_t j = 0; j < m; j++) {
        double a = A3.data[j], y = Y->data[j];
        double logprob = -log(a) * y + -log(1.0 - a) * (1.0 - y);
        sum += logprob;
    }
    double cost = 1.0 / (double)m * sum;

    if (cache) {
        *cache = (gc_cache){Z1, A1, Z2, A2, Z3, A3, p};
    } else {
        gc_matrix *all[] = {&Z1, &A1, &Z2, &A2, &Z3, &A3};
        for (size_t i = 0; i < sizeof all / sizeof *all; i++)
            gc_matrix_free(all[i]);
    }
    return cost;
}

gc_gradients gc_backward_propagation_n_as_handed_out(const gc_matrix *X, const gc_matrix *Y,
                                                     const gc_cache *cache)
{
    const gc_parameters *p = cache->parameters;
    double inv_m = 1.0 / (double)X->cols;
    gc_gradients g;

    g.dZ3 = gc_matrix_copy(&cache->A3);                 /* dZ3 = A3 - Y */
    for (size_t j = 0; j < gc_matrix_size(&g.dZ3); j++)
        g.dZ3.data[j] -= Y->data[j];
    g.dW3 = gc_dot(&g.dZ3, false, &cache->A2, true);              /* 1./m * np.dot(dZ3, A2.T) */
    gc_scale(inv_m, &g.dW3);
    g.db3 = gc_row_sums(inv_m, &g.dZ3);

    g.dA2 = gc_dot(&p->W3, true, &g.dZ3, false);                  /* np.dot(W3.T, dZ3) */
    g.dZ2 = gc_relu_backward(&g.dA2, &cache->A2);
    g.dW2 = gc_dot(&g.dZ2, false, &cache->A1, true);              /* 1./m * np.dot(dZ2, A1.T) * 2 */
    gc_scale(inv_m, &g.dW2);
    for (size_t i = 0; i < gc_matrix_size(&g.dW2); i++)
        g.dW2.data[i] = g.dW2.data[i] * 2.0;
    g.db2 = gc_row_sums(inv_m, &g.dZ2);

    g.dA1 = gc_dot(&p->W2, true, &g.dZ2, false);                  /* np.dot(W2.T, dZ2) */
    g.dZ1 = gc_relu_backward(&g.dA1, &cache->A1);
    g.dW1 = gc_dot(&g.dZ1, false, X, true);                       /* 1./m * np.dot(dZ1, X.T) */
    gc_scale(inv_m, &g.dW1);
    g.db1 = gc_row_sums(4.0 / (double)X->cols, &g.dZ1); /* 4./m * np.sum(dZ1, ...) */
    return g;
}

/* Weak: a submission may carry its own copy of backward_propagation_n (the
 * optional exercise: find and fix its two bugs), which then takes its place. */
gc_gradients backward_propagation_n(const gc_matrix *X, const gc_matrix *Y, const gc_cache *cache)
    __attribute__((weak, alias("gc_backward_propagation_n_as_handed_out")));

/* ---- dictionaries as vectors -------------------------------------------- */

static gc_matrix stack(const gc_matrix *const parts[6])
{
    size_t n = 0;
    for (int i = 0; i < 6; i++)
        n += gc_matrix_size(parts[i]);
    gc_matrix v = gc_matrix_zeros(n, 1);
    size_t at = 0;
    for (int i = 0; i < 6; i++) {
        size_t k = gc_matrix_size(parts[i]);
        if (k)
            memcpy(v.data + at, parts[i]->data, k * sizeof *v.data);
        at += k;
    }
    return v;
}

gc_matrix dictionary_to_vector(const gc_parameters *p)
{
    const gc_matrix *const parts[6] = {&p->W1, &p->b1, &p->W2, &p->b2, &p->W3, &p->b3};
    return stack(parts);
}

gc_matrix gradients_to_vector(const gc_gradients *g)
{
    const gc_matrix *const parts[6] = {&g->dW1, &g->db1, &g->dW2, &g->db2, &g->dW3, &g->db3};
    return stack(parts);
}

gc_parameters vector_to_dictionary(const gc_matrix *theta, const gc_parameters *shapes)
{
    gc_parameters p;
    gc_matrix *const out[6] = {&p.W1, &p.b1, &p.W2, &p.b2, &p.W3, &p.b3};
    const gc_matrix *const in[6] = {&shapes->W1, &shapes->b1, &shapes->W2,
                                    &shapes->b2, &shapes->W3, &shapes->b3};
    size_t at = 0;
    for (int i = 0; i < 6; i++) {
        *out[i] = gc_matrix_zeros(in[i]->rows, in[i]->cols);
        size_t k = gc_matrix_size(in[i]);
        if (at + k > gc_matrix_size(theta))
            gc_die("vector_to_dictionary: theta is shorter than the parameters");
        if (k)
            memcpy(out[i]->data, theta->data + at, k * sizeof *theta->data);
        at += k;
    }
    if (at != gc_matrix_size(theta))
        gc_die("vector_to_dictionary: theta is longer than the parameters");
    return p;
}

void gc_parameters_free(gc_parameters *p)
{
    gc_matrix *const all[6] = {&p->W1, &p->b1, &p->W2, &p->b2, &p->W3, &p->b3};
    for (int i = 0; i < 6; i++)
        gc_matrix_free(all[i]);
}

void gc_gradients_free(gc_gradients *g)
{
    gc_matrix *const all[] = {&g->dZ3, &g->dW3, &g->db3, &g->dA2, &g->dZ2, &g->dW2,
                              &g->db2, &g->dA1, &g->dZ1, &g->dW1, &g->db1};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        gc_matrix_free(all[i]);
}

void gc_cache_free(gc_cache *c)
{
    gc_matrix *const all[] = {&c->Z1, &c->A1, &c->Z2, &c->A2, &c->Z3, &c->A3};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        gc_matrix_free(all[i]);
    c->parameters = NULL;
}

const char *gc_float_str(double v, char out[GC_FLOAT_STR_MAX])
{
    pyfloat_repr(v, out);
    return out;
}
