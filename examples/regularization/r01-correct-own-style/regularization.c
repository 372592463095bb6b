/*
 * A correct submission written in its own style (an example for the grader's
 * tests and README): plain loops instead of the provided helpers where it
 * can, the L2 term as lambd/(2m) times a sequential sum of squares, masks
 * applied and scaled in one step, 1/keep_prob as a factor. Its last bits
 * differ from the reference's; np.allclose accepts it everywhere.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "regularization.h"

static double squares(const reg_matrix *W)
{
    double s = 0;
    for (size_t i = 0; i < W->rows * W->cols; i++)
        s += W->data[i] * W->data[i];
    return s;
}

double compute_cost_with_regularization(const reg_matrix *A3, const reg_matrix *Y,
                                        const reg_parameters *parameters, double lambd)
{
    size_t m = Y->cols;
    double l2 = lambd / (2.0 * (double)m) *
                (squares(&parameters->W1) + squares(&parameters->W2) + squares(&parameters->W3));
    return compute_cost(A3, Y) + l2;
}

/* out = (1/m) * dZ . A^T (+ lambd/m * W when W is given) */
static reg_matrix grad_w(const reg_matrix *dZ, const reg_matrix *A, const reg_matrix *W, double lambd, size_t m)
{
    reg_matrix out = reg_matrix_zeros(dZ->rows, A->rows);
    for (size_t i = 0; i < dZ->rows; i++)
        for (size_t j = 0; j < A->rows; j++) {
            double s = 0;
            for (size_t k = 0; k < dZ->cols; k++)
                s += REG_AT(dZ, i, k) * REG_AT(A, j, k);
            REG_AT(&out, i, j) = s / (double)m + (W ? lambd * REG_AT(W, i, j) / (double)m : 0.0);
        }
    return out;
}

static reg_matrix grad_b(const reg_matrix *dZ, size_t m)
{
    reg_matrix out = reg_matrix_zeros(dZ->rows, 1);
    for (size_t i = 0; i < dZ->rows; i++) {
        double s = 0;
        for (size_t k = 0; k < dZ->cols; k++)
            s += REG_AT(dZ, i, k);
        out.data[i] = s / (double)m;
    }
    return out;
}

/* W^T . dZ, then through the ReLU of A (and a mask D scaled by 1/keep_prob when given) */
static void back_layer(const reg_matrix *W, const reg_matrix *dZ, const reg_matrix *A, const reg_matrix *D,
                       double keep_prob, reg_matrix *dA, reg_matrix *dZ_prev)
{
    *dA = reg_dot(W, true, dZ, false);
    *dZ_prev = reg_matrix_zeros(dA->rows, dA->cols);
    for (size_t i = 0; i < dA->rows * dA->cols; i++) {
        if (D)
            dA->data[i] = dA->data[i] * D->data[i] * (1.0 / keep_prob);
        dZ_prev->data[i] = A->data[i] > 0 ? dA->data[i] : dA->data[i] * 0.0;   /* keeps numpy's -0.0 */
    }
}

reg_gradients backward_propagation_with_regularization(const reg_matrix *X, const reg_matrix *Y,
                                                       const reg_cache *cache, double lambd)
{
    size_t m = X->cols;
    reg_gradients g;
    g.dZ3 = reg_matrix_zeros(1, m);
    for (size_t j = 0; j < m; j++)
        g.dZ3.data[j] = cache->A3.data[j] - Y->data[j];
    g.dW3 = grad_w(&g.dZ3, &cache->A2, &cache->W3, lambd, m);
    g.db3 = grad_b(&g.dZ3, m);
    back_layer(&cache->W3, &g.dZ3, &cache->A2, NULL, 1, &g.dA2, &g.dZ2);
    g.dW2 = grad_w(&g.dZ2, &cache->A1, &cache->W2, lambd, m);
    g.db2 = grad_b(&g.dZ2, m);
    back_layer(&cache->W2, &g.dZ2, &cache->A1, NULL, 1, &g.dA1, &g.dZ1);
    g.dW1 = grad_w(&g.dZ1, X, &cache->W1, lambd, m);
    g.db1 = grad_b(&g.dZ1, m);
    return g;
}

/* relu(W . A_prev + b), then the mask drawn from numpy's stream, applied and scaled */
static void forward_layer(const reg_matrix *W, const reg_matrix *b, const reg_matrix *A_prev, double keep_prob,
                          reg_matrix *Z, reg_matrix *D, reg_matrix *A)
{
    *Z = reg_linear(W, A_prev, b);
    *A = relu(Z);
    *D = np_random_rand(A->rows, A->cols);
    for (size_t i = 0; i < A->rows * A->cols; i++) {
        D->data[i] = D->data[i] < keep_prob ? 1.0 : 0.0;
        A->data[i] = D->data[i] == 1.0 ? A->data[i] * (1.0 / keep_prob) : 0.0;
    }
}

reg_matrix forward_propagation_with_dropout(const reg_matrix *X, const reg_parameters *parameters,
                                            double keep_prob, dropout_cache *cache)
{
    np_random_seed(1);
    dropout_cache *c = cache;
    c->W1 = reg_matrix_copy(&parameters->W1);
    c->b1 = reg_matrix_copy(&parameters->b1);
    c->W2 = reg_matrix_copy(&parameters->W2);
    c->b2 = reg_matrix_copy(&parameters->b2);
    c->W3 = reg_matrix_copy(&parameters->W3);
    c->b3 = reg_matrix_copy(&parameters->b3);
    forward_layer(&c->W1, &c->b1, X, keep_prob, &c->Z1, &c->D1, &c->A1);
    forward_layer(&c->W2, &c->b2, &c->A1, keep_prob, &c->Z2, &c->D2, &c->A2);
    c->Z3 = reg_linear(&c->W3, &c->A2, &c->b3);
    c->A3 = sigmoid(&c->Z3);
    return reg_matrix_copy(&c->A3);
}

reg_gradients backward_propagation_with_dropout(const reg_matrix *X, const reg_matrix *Y,
                                                const dropout_cache *cache, double keep_prob)
{
    size_t m = X->cols;
    reg_gradients g;
    g.dZ3 = reg_matrix_zeros(1, m);
    for (size_t j = 0; j < m; j++)
        g.dZ3.data[j] = cache->A3.data[j] - Y->data[j];
    g.dW3 = grad_w(&g.dZ3, &cache->A2, NULL, 0, m);
    g.db3 = grad_b(&g.dZ3, m);
    back_layer(&cache->W3, &g.dZ3, &cache->A2, &cache->D2, keep_prob, &g.dA2, &g.dZ2);
    g.dW2 = grad_w(&g.dZ2, &cache->A1, NULL, 0, m);
    g.db2 = grad_b(&g.dZ2, m);
    back_layer(&cache->W2, &g.dZ2, &cache->A1, &cache->D1, keep_prob, &g.dA1, &g.dZ1);
    g.dW1 = grad_w(&g.dZ1, X, NULL, 0, m);
    g.db1 = grad_b(&g.dZ1, m);
    return g;
}
