/*
 * regularization.c — the instructor's solution of the Regularization
 * assignment (secret: never in the runner of a submission, never in the kit).
 *
 * Written in the order of the course's solution, operation by operation, so
 * that its numbers are numpy's bit for bit (the fixtures' tests check that
 * against the oracle). The pack builder runs it on every test for the
 * expected values, and the mistakes catalogue edits it (each edit must match
 * one line exactly once: keep lines unique when you change this file).
 */
#include <math.h>
#include <stdio.h>

#include "regularization.h"

/* GRADED FUNCTION: compute_cost_with_regularization */
double compute_cost_with_regularization(const reg_matrix *A3, const reg_matrix *Y,
                                        const reg_parameters *parameters, double lambd)
{
    double m = (double)Y->cols;
    const reg_matrix *W1 = &parameters->W1, *W2 = &parameters->W2, *W3 = &parameters->W3;

    double cross_entropy_cost = compute_cost(A3, Y); /* the cross-entropy part of the cost */

    double L2_regularization_cost =
        (reg_square_sum(W1) + reg_square_sum(W2) + reg_square_sum(W3)) * lambd / (m * 2.);

    double cost = cross_entropy_cost + L2_regularization_cost;
    return cost;
}

/* dZ = np.multiply(dA, np.int64(A > 0)) */
static reg_matrix relu_mask(const reg_matrix *dA, const reg_matrix *A)
{
    reg_matrix dZ = reg_matrix_copy(dA);
    for (size_t i = 0; i < reg_matrix_size(&dZ); i++)
        dZ.data[i] = dA->data[i] * (double)(A->data[i] > 0);
    return dZ;
}

/* 1./m * np.dot(dZ, A_prev.T) */
static reg_matrix weight_gradient(double m, const reg_matrix *dZ, const reg_matrix *A_prev)
{
    reg_matrix dW = reg_dot(dZ, false, A_prev, true);
    for (size_t i = 0; i < reg_matrix_size(&dW); i++)
        dW.data[i] = 1. / m * dW.data[i];
    return dW;
}

/* GRADED FUNCTION: backward_propagation_with_regularization */
reg_gradients backward_propagation_with_regularization(const reg_matrix *X, const reg_matrix *Y,
                                                       const reg_cache *cache, double lambd)
{
    double m = (double)X->cols;
    const reg_cache *c = cache;
    reg_gradients g;

    g.dZ3 = reg_matrix_copy(&c->A3);
    for (size_t i = 0; i < reg_matrix_size(&g.dZ3); i++)
        g.dZ3.data[i] = c->A3.data[i] - Y->data[i];

    g.dW3 = weight_gradient(m, &g.dZ3, &c->A2);
    for (size_t i = 0; i < reg_matrix_size(&g.dW3); i++)
        g.dW3.data[i] = g.dW3.data[i] + lambd / m * c->W3.data[i];
    g.db3 = reg_row_sums(1. / m, &g.dZ3);

    g.dA2 = reg_dot(&c->W3, true, &g.dZ3, false);
    g.dZ2 = relu_mask(&g.dA2, &c->A2);
    g.dW2 = weight_gradient(m, &g.dZ2, &c->A1);
    for (size_t i = 0; i < reg_matrix_size(&g.dW2); i++)
        g.dW2.data[i] = g.dW2.data[i] + lambd / m * c->W2.data[i];
    g.db2 = reg_row_sums(1. / m, &g.dZ2);

    g.dA1 = reg_dot(&c->W2, true, &g.dZ2, false);
    g.dZ1 = relu_mask(&g.dA1, &c->A1);
    g.dW1 = weight_gradient(m, &g.dZ1, X);
    for (size_t i = 0; i < reg_matrix_size(&g.dW1); i++)
        g.dW1.data[i] = g.dW1.data[i] + lambd / m * c->W1.data[i];
    g.db1 = reg_row_sums(1. / m, &g.dZ1);

    return g;
}

/* GRADED FUNCTION: forward_propagation_with_dropout */
reg_matrix forward_propagation_with_dropout(const reg_matrix *X, const reg_parameters *parameters,
                                            double keep_prob, dropout_cache *cache)
{
    np_random_seed(1);
    const reg_parameters *p = parameters;
    dropout_cache c;
    c.W1 = reg_matrix_copy(&p->W1);
    c.b1 = reg_matrix_copy(&p->b1);
    c.W2 = reg_matrix_copy(&p->W2);
    c.b2 = reg_matrix_copy(&p->b2);
    c.W3 = reg_matrix_copy(&p->W3);
    c.b3 = reg_matrix_copy(&p->b3);

    /* LINEAR -> RELU -> LINEAR -> RELU -> LINEAR -> SIGMOID */
    c.Z1 = reg_linear(&p->W1, X, &p->b1);
    c.A1 = relu(&c.Z1);
    c.D1 = np_random_rand(c.A1.rows, c.A1.cols);              /* Step 1: D1 = np.random.rand(..., ...) */
    for (size_t i = 0; i < reg_matrix_size(&c.D1); i++)
        c.D1.data[i] = c.D1.data[i] < keep_prob;                 /* Step 2: 0 or 1, keep_prob the threshold */
    for (size_t i = 0; i < reg_matrix_size(&c.A1); i++)
        c.A1.data[i] = c.A1.data[i] * c.D1.data[i];              /* Step 3: shut down some neurons of A1 */
    for (size_t i = 0; i < reg_matrix_size(&c.A1); i++)
        c.A1.data[i] = c.A1.data[i] / keep_prob;                 /* Step 4: scale the neurons kept */

    c.Z2 = reg_linear(&p->W2, &c.A1, &p->b2);
    c.A2 = relu(&c.Z2);
    c.D2 = np_random_rand(c.A2.rows, c.A2.cols);
    for (size_t i = 0; i < reg_matrix_size(&c.D2); i++)
        c.D2.data[i] = c.D2.data[i] < keep_prob;
    for (size_t i = 0; i < reg_matrix_size(&c.A2); i++)
        c.A2.data[i] = c.A2.data[i] * c.D2.data[i];
    for (size_t i = 0; i < reg_matrix_size(&c.A2); i++)
        c.A2.data[i] = c.A2.data[i] / keep_prob;

    c.Z3 = reg_linear(&p->W3, &c.A2, &p->b3);
    c.A3 = sigmoid(&c.Z3);

    reg_matrix A3 = reg_matrix_copy(&c.A3);
    *cache = c;
    return A3;
}

/* GRADED FUNCTION: backward_propagation_with_dropout */
reg_gradients backward_propagation_with_dropout(const reg_matrix *X, const reg_matrix *Y,
                                                const dropout_cache *cache, double keep_prob)
{
    double m = (double)X->cols;
    const dropout_cache *c = cache;
    reg_gradients g;

    g.dZ3 = reg_matrix_copy(&c->A3);
    for (size_t i = 0; i < reg_matrix_size(&g.dZ3); i++)
        g.dZ3.data[i] = c->A3.data[i] - Y->data[i];
    g.dW3 = weight_gradient(m, &g.dZ3, &c->A2);
    g.db3 = reg_row_sums(1. / m, &g.dZ3);
    g.dA2 = reg_dot(&c->W3, true, &g.dZ3, false);
    for (size_t i = 0; i < reg_matrix_size(&g.dA2); i++)
        g.dA2.data[i] = g.dA2.data[i] * c->D2.data[i];           /* Step 1: apply mask D2 */
    for (size_t i = 0; i < reg_matrix_size(&g.dA2); i++)
        g.dA2.data[i] = g.dA2.data[i] / keep_prob;               /* Step 2: scale the neurons kept */
    g.dZ2 = relu_mask(&g.dA2, &c->A2);
    g.dW2 = weight_gradient(m, &g.dZ2, &c->A1);
    g.db2 = reg_row_sums(1. / m, &g.dZ2);

    g.dA1 = reg_dot(&c->W2, true, &g.dZ2, false);
    for (size_t i = 0; i < reg_matrix_size(&g.dA1); i++)
        g.dA1.data[i] = g.dA1.data[i] * c->D1.data[i];           /* Step 1: apply mask D1 */
    for (size_t i = 0; i < reg_matrix_size(&g.dA1); i++)
        g.dA1.data[i] = g.dA1.data[i] / keep_prob;               /* Step 2: scale the neurons kept */
    g.dZ1 = relu_mask(&g.dA1, &c->A1);
    g.dW1 = weight_gradient(m, &g.dZ1, X);
    g.db1 = reg_row_sums(1. / m, &g.dZ1);

    return g;
}
