/*
 * init_utils.c — the Initialization notebook's provided code (init_utils.py and
 * the few numpy calls it needs), in C, with numpy's operation order.
 *
 * The grader links a submission against this file, and computes the expected
 * values with the reference linked against it too, so everything here follows
 * numpy 1.24 step by step: np.random is numpy's legacy generator (nprand.c),
 * np.dot a plain loop over k from 0.0 (what the reference BLAS does), np.sum and
 * np.nansum numpy's pairwise order. Numeric code: compiled with -ffp-contract=off.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init_utils.h"
#include "nprand.h"
#include "pyfloat.h"

static void nn_die(const char *what)
{
    fprintf(stderr, "init_utils: out of memory (%s)\n", what);
    abort();
}

static void *nn_calloc(size_t n, size_t size, const char *what)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        nn_die(what);
    return p;
}

/* ---- numpy ---------------------------------------------------------------- */

nn_matrix np_zeros(size_t rows, size_t cols)
{
    if (cols && rows > (size_t)-1 / sizeof(double) / cols)
        nn_die("np_zeros");
    nn_matrix m = {rows, cols, nn_calloc(rows * cols, sizeof(double), "np_zeros")};
    return m;
}

/* np.random's module-level stream; before any seed, MT19937's default seed. */
static nprand_state np_stream;
static bool np_stream_ready;

static nprand_state *stream(void)
{
    if (!np_stream_ready) {
        nprand_seed(&np_stream, 5489u);
        np_stream_ready = true;
    }
    return &np_stream;
}

void np_random_seed(unsigned seed)
{
    nprand_seed(&np_stream, (uint32_t)seed);
    np_stream_ready = true;
}

nn_matrix np_random_randn(size_t rows, size_t cols)
{
    nn_matrix m = np_zeros(rows, cols);
    nprand_randn(stream(), rows, cols, m.data);
    return m;
}

nn_matrix np_random_rand(size_t rows, size_t cols)
{
    nn_matrix m = np_zeros(rows, cols);
    for (size_t i = 0; i < rows * cols; i++)
        m.data[i] = nprand_double(stream());
    return m;
}

void nn_scale(nn_matrix *M, double s)
{
    for (size_t i = 0; i < M->rows * M->cols; i++)
        M->data[i] = M->data[i] * s;
}

nn_matrix nn_matrix_copy(const nn_matrix *m)
{
    nn_matrix c = np_zeros(m->rows, m->cols);
    if (m->rows != 0 && m->cols != 0)
        memcpy(c.data, m->data, m->rows * m->cols * sizeof(double));
    return c;
}

void nn_matrix_free(nn_matrix *m)
{
    free(m->data);
    m->data = NULL;
    m->rows = m->cols = 0;
}

nn_params nn_params_new(size_t L)
{
    nn_params p = {L, nn_calloc(L, sizeof(nn_matrix), "nn_params_new"),
                   nn_calloc(L, sizeof(nn_matrix), "nn_params_new")};
    return p;
}

static void free_list(nn_matrix **list, size_t n)
{
    for (size_t i = 0; *list && i < n; i++)
        nn_matrix_free(&(*list)[i]);
    free(*list);
    *list = NULL;
}

void nn_params_free(nn_params *p)
{
    free_list(&p->W, p->L);
    free_list(&p->b, p->L);
    p->L = 0;
}

void nn_grads_free(nn_grads *g)
{
    free_list(&g->dW, g->L);
    free_list(&g->db, g->L);
    g->L = 0;
}

void nn_cache_free(nn_cache *c)
{
    free_list(&c->Z, c->L);
    free_list(&c->A, c->L);
    c->L = 0;
    c->parameters = NULL;
}

/* ---- numpy's printing (str of a float array, numpy >= 1.14 defaults) ------- */

/* One element with at most 8 decimals: the shortest digits that read back to v
 * when 8 or fewer suffice, otherwise v rounded to 8 decimals; trailing zeros
 * dropped, the point kept ("0.", "-1.8634927", "17.88628473"). */
static void positional(double v, char out[64])
{
    int p = 0;
    for (; p <= 8; p++) {
        snprintf(out, 64, "%.*f", p, v);
        if (strtod(out, NULL) == v)
            break;
    }
    if (p > 8)
        snprintf(out, 64, "%.8f", v);
    if (!strchr(out, '.'))
        strcat(out, ".");
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == '0' && strchr(out, '.') < out + n - 1)
        out[--n] = '\0';
}

void nn_print_matrix(const char *prefix, const nn_matrix *M)
{
    size_t n = M->rows * M->cols;
    char (*text)[64] = nn_calloc(n, sizeof *text, "nn_print_matrix");
    size_t pad_left = 0, pad_right = 0;
    double lo = INFINITY, hi = 0;
    for (size_t i = 0; i < n; i++) {
        double a = fabs(M->data[i]);
        if (isfinite(a) && a != 0) {
            lo = a < lo ? a : lo;
            hi = a > hi ? a : hi;
        }
    }
    bool scientific = hi >= 1e8 || (hi > 0 && (lo < 1e-4 || hi / lo > 1000.));
    for (size_t i = 0; i < n; i++) {
        if (scientific || !isfinite(M->data[i])) {
            /* numpy switches to exponents here; the notebook's cells never need it */
            char r[PYFLOAT_MAX];
            pyfloat_repr(M->data[i], r);
            snprintf(text[i], 64, "%s", r);
            continue;
        }
        positional(M->data[i], text[i]);
        const char *dot = strchr(text[i], '.');
        size_t l = (size_t)(dot - text[i]), r = strlen(dot + 1);
        pad_left = l > pad_left ? l : pad_left;
        pad_right = r > pad_right ? r : pad_right;
    }
    fputs(prefix, stdout);
    putchar('[');
    for (size_t i = 0; i < M->rows; i++) {
        if (i)
            fputs("\n ", stdout);
        /* a row wraps, as numpy's does, when it would pass 75 - 2 characters */
        size_t line = 2;
        putchar('[');
        for (size_t j = 0; j < M->cols; j++) {
            const char *t = text[i * M->cols + j];
            char word[160];
            const char *dot = strchr(t, '.');
            if (dot && !scientific)
                snprintf(word, sizeof word, "%*s%.*s%-*s", (int)(pad_left - (size_t)(dot - t)), "",
                         (int)strlen(t), t, (int)(pad_right - strlen(dot + 1)), "");
            else
                snprintf(word, sizeof word, "%s", t);
            if (j && line + 1 + strlen(word) > 73) {
                fputs("\n  ", stdout);
                line = 2;
            } else if (j) {
                putchar(' ');
                line++;
            }
            fputs(word, stdout);
            line += strlen(word);
        }
        putchar(']');
    }
    puts("]");
    free(text);
}

const char *nn_float_str(double v, char out[NN_FLOAT_STR_MAX])
{
    pyfloat_repr(v, out);
    return out;
}

/* ---- numpy's sums ------------------------------------------------------------ */

/* np.sum of n contiguous doubles, in numpy's pairwise order. */
static double pairwise_sum(const double *a, size_t n)
{
    if (n < 8) {
        double res = 0.;
        for (size_t i = 0; i < n; i++)
            res += a[i];
        return res;
    }
    if (n <= 128) {
        double r[8];
        size_t i;
        for (int j = 0; j < 8; j++)
            r[j] = a[j];
        for (i = 8; i < n - (n % 8); i += 8)
            for (int j = 0; j < 8; j++)
                r[j] += a[i + j];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            res += a[i];
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

/* ---- what init_utils.py gives ----------------------------------------------- */

double sigmoid(double x)
{
    return 1 / (1 + exp(-x));
}

double relu(double x)
{
    return 0.0 >= x ? 0.0 : x;   /* np.maximum(0, x): 0 for -0.0 too, NaN stays NaN */
}

/* np.dot(A or A.T, B or B.T): a plain loop over k from 0.0. */
static nn_matrix dot(const nn_matrix *A, bool ta, const nn_matrix *B, bool tb)
{
    size_t n = ta ? A->cols : A->rows, k = ta ? A->rows : A->cols;
    size_t kb = tb ? B->cols : B->rows, m = tb ? B->rows : B->cols;
    if (k != kb) {
        fprintf(stderr, "init_utils: np.dot of shapes that do not fit (%zu x %zu and %zu x %zu)\n",
                A->rows, A->cols, B->rows, B->cols);
        abort();
    }
    nn_matrix C = np_zeros(n, m);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m; j++) {
            double s = 0.0;
            for (size_t p = 0; p < k; p++)
                s += (ta ? NN_AT(A, p, i) : NN_AT(A, i, p)) * (tb ? NN_AT(B, j, p) : NN_AT(B, p, j));
            NN_AT(&C, i, j) = s;
        }
    return C;
}

const nn_matrix *forward_propagation(const nn_matrix *X, const nn_params *parameters, nn_cache *cache)
{
    size_t L = parameters->L;
    cache->L = L;
    cache->Z = nn_calloc(L, sizeof(nn_matrix), "forward_propagation");
    cache->A = nn_calloc(L, sizeof(nn_matrix), "forward_propagation");
    cache->parameters = parameters;
    const nn_matrix *a = X;
    for (size_t l = 0; l < L; l++) {
        const nn_matrix *b = &parameters->b[l];
        nn_matrix z = dot(&parameters->W[l], false, a, false);
        for (size_t i = 0; i < z.rows; i++)
            for (size_t j = 0; j < z.cols; j++)
                NN_AT(&z, i, j) = NN_AT(&z, i, j) + b->data[i];
        nn_matrix out = nn_matrix_copy(&z);
        for (size_t i = 0; i < out.rows * out.cols; i++)
            out.data[i] = l + 1 < L ? relu(out.data[i]) : sigmoid(out.data[i]);
        cache->Z[l] = z;
        cache->A[l] = out;
        a = &cache->A[l];
    }
    return a;
}

nn_grads backward_propagation(const nn_matrix *X, const nn_matrix *Y, const nn_cache *cache)
{
    size_t L = cache->L;
    const nn_params *p = cache->parameters;
    nn_grads g = {L, nn_calloc(L, sizeof(nn_matrix), "backward_propagation"),
                  nn_calloc(L, sizeof(nn_matrix), "backward_propagation")};
    double m = (double)X->cols;
    /* dz3 = 1./m * (a3 - Y) */
    nn_matrix dz = nn_matrix_copy(&cache->A[L - 1]);
    for (size_t i = 0; i < dz.rows * dz.cols; i++)
        dz.data[i] = 1. / m * (dz.data[i] - Y->data[i]);
    for (size_t l = L; l-- > 0;) {
        const nn_matrix *a_prev = l ? &cache->A[l - 1] : X;
        g.dW[l] = dot(&dz, false, a_prev, true);
        g.db[l] = np_zeros(dz.rows, 1);
        for (size_t i = 0; i < dz.rows; i++)
            g.db[l].data[i] = pairwise_sum(&dz.data[i * dz.cols], dz.cols);
        if (l == 0)
            break;
        /* da = np.dot(W.T, dz); dz_prev = np.multiply(da, np.int64(a_prev > 0)) */
        nn_matrix da = dot(&p->W[l], true, &dz, false);
        for (size_t i = 0; i < da.rows * da.cols; i++)
            da.data[i] = da.data[i] * (double)(a_prev->data[i] > 0);
        nn_matrix_free(&dz);
        dz = da;
    }
    nn_matrix_free(&dz);
    return g;
}

void update_parameters(nn_params *parameters, const nn_grads *grads, double learning_rate)
{
    for (size_t l = 0; l < parameters->L; l++) {
        nn_matrix *W = &parameters->W[l], *b = &parameters->b[l];
        for (size_t i = 0; i < W->rows * W->cols; i++)
            W->data[i] = W->data[i] - learning_rate * grads->dW[l].data[i];
        for (size_t i = 0; i < b->rows * b->cols; i++)
            b->data[i] = b->data[i] - learning_rate * grads->db[l].data[i];
    }
}

double compute_loss(const nn_matrix *a3, const nn_matrix *Y)
{
    size_t n = a3->rows * a3->cols;
    double m = (double)Y->cols;
    double *terms = nn_calloc(n, sizeof(double), "compute_loss");
    for (size_t i = 0; i < n; i++) {
        double y = Y->data[i], a = a3->data[i];
        double t = -log(a) * y + -log(1 - a) * (1 - y);
        terms[i] = isnan(t) ? 0.0 : t;   /* np.nansum: NaNs count as zero */
    }
    double loss = 1. / m * pairwise_sum(terms, n);
    free(terms);
    return loss;
}

nn_matrix predict(const nn_matrix *X, const nn_matrix *y, const nn_params *parameters)
{
    nn_cache cache;
    const nn_matrix *a3 = forward_propagation(X, parameters, &cache);
    nn_matrix p = np_zeros(1, a3->cols);
    double *same = nn_calloc(a3->cols, sizeof(double), "predict");
    for (size_t i = 0; i < a3->cols; i++) {
        p.data[i] = a3->data[i] > 0.5 ? 1 : 0;
        same[i] = p.data[i] == y->data[i];
    }
    char text[NN_FLOAT_STR_MAX];
    printf("Accuracy: %s\n", nn_float_str(pairwise_sum(same, a3->cols) / (double)a3->cols, text));
    free(same);
    nn_cache_free(&cache);
    return p;
}

/* ---- the dataset: sklearn 1.2.1's make_circles on np.random's stream --------- */

/* numpy's legacy random_interval(max): a uniform integer in [0, max]. */
static uint32_t random_interval(uint32_t max)
{
    if (max == 0)
        return 0;
    uint32_t mask = max, v;
    for (int s = 1; s < 32; s <<= 1)
        mask |= mask >> s;
    while ((v = nprand_next32(stream()) & mask) > max)
        ;
    return v;
}

/* make_circles(n_samples, noise): X (2 x n, already transposed) and y (1 x n). */
static void make_circles(size_t n_samples, double noise, nn_matrix *X, nn_matrix *y)
{
    const double pi = 3.141592653589793, factor = 0.8;
    size_t n_out = n_samples / 2, n_in = n_samples - n_out;
    double (*pts)[2] = nn_calloc(n_samples, sizeof *pts, "load_dataset");
    int *label = nn_calloc(n_samples, sizeof *label, "load_dataset");
    size_t *idx = nn_calloc(n_samples, sizeof *idx, "load_dataset");
    /* np.linspace(0, 2 * pi, n, endpoint=False): value i is i * step + 0 */
    double step_out = (2 * pi - 0) / (double)n_out, step_in = (2 * pi - 0) / (double)n_in;
    for (size_t i = 0; i < n_out; i++) {
        double t = (double)i * step_out + 0;
        pts[i][0] = cos(t);
        pts[i][1] = sin(t);
        label[i] = 0;
    }
    for (size_t i = 0; i < n_in; i++) {
        double t = (double)i * step_in + 0;
        pts[n_out + i][0] = cos(t) * factor;
        pts[n_out + i][1] = sin(t) * factor;
        label[n_out + i] = 1;
    }
    /* sklearn.utils.shuffle: RandomState.shuffle(np.arange(n)), then X[indices] */
    for (size_t i = 0; i < n_samples; i++)
        idx[i] = i;
    for (size_t i = n_samples; i-- > 1;) {
        size_t j = random_interval((uint32_t)i), t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
    *X = np_zeros(2, n_samples);
    *y = np_zeros(1, n_samples);
    for (size_t i = 0; i < n_samples; i++) {
        NN_AT(X, 0, i) = pts[idx[i]][0];
        NN_AT(X, 1, i) = pts[idx[i]][1];
        y->data[i] = label[idx[i]];
    }
    /* X += generator.normal(scale=noise, size=(n, 2)): row by row of the n x 2 array */
    for (size_t i = 0; i < n_samples; i++)
        for (size_t k = 0; k < 2; k++)
            NN_AT(X, k, i) = NN_AT(X, k, i) + (0.0 + noise * nprand_gauss(stream()));
    free(pts);
    free(label);
    free(idx);
}

void load_dataset(nn_matrix *train_X, nn_matrix *train_Y, nn_matrix *test_X, nn_matrix *test_Y)
{
    np_random_seed(1);
    make_circles(300, .05, train_X, train_Y);
    np_random_seed(2);
    make_circles(100, .05, test_X, test_Y);
}
