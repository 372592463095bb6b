/*
 * Regularization — Deep Learning Specialization, course 2, week 1, assignment 2, in C.
 *
 * Deep learning models are so flexible that they overfit when the dataset is
 * not big enough. You are the AI expert of the French Football Corporation:
 * from where the goal keeper kicked the ball, predict where their own players
 * will head it. A 3-layer network (LINEAR -> RELU -> LINEAR -> RELU -> LINEAR
 * -> SIGMOID) fits the training set too well; regularize it two ways.
 *
 * 1. L2 regularization: the cost becomes
 *
 *      J = -1/m sum_i (y_i log a3_i + (1 - y_i) log(1 - a3_i))
 *          + 1/m * lambd/2 * sum_l sum_k sum_j W[l]_kj^2                    (2)
 *
 *    and each dW[l] gains the gradient of that term, lambd/m * W[l].
 * 2. Dropout: at each layer 1 and 2, shut down each neuron with probability
 *    1 - keep_prob (a mask D of 0s and 1s drawn with np.random.rand), and
 *    divide what remains by keep_prob; backward propagation shuts down the
 *    same neurons and scales dA the same way.
 *
 * Fill in the four functions below where it says YOUR CODE HERE. What you
 * may use: the C library (<math.h>, <stdio.h>, <stdlib.h>, <string.h>) and
 * everything in reg_utils.h (the notebook's reg_utils.py, and numpy's random
 * generator as np_random_seed / np_random_rand / np_random_randn). Run
 * `make test` to check your work against the public tests before you submit
 * this file. Every matrix you return or put in a cache must be a new one
 * (reg_matrix_zeros, reg_matrix_copy, reg_dot...): the caller frees them.
 */
#include <math.h>
#include <stdio.h>

#include "regularization.h"

/* GRADED FUNCTION: compute_cost_with_regularization
 *
 * Implement the cost function with L2 regularization. See formula (2) above.
 *
 * Arguments:
 *   A3         -- post-activation, output of forward propagation, of shape (output size, number of examples)
 *   Y          -- "true" labels vector, of shape (output size, number of examples)
 *   parameters -- the parameters of the model (W1, b1, W2, b2, W3, b3)
 *   lambd      -- the regularization hyperparameter
 *
 * Returns:
 *   cost -- value of the regularized loss function (formula (2))
 *
 * To calculate sum_k sum_j W[l]_kj^2, use reg_square_sum(&W) (np.sum(np.square(W))).
 * Do it for W1, W2 and W3, then sum the three terms and multiply by 1/m * lambd/2.
 */
double compute_cost_with_regularization(const reg_matrix *A3, const reg_matrix *Y,
                                        const reg_parameters *parameters, double lambd)
{
    double m = (double)Y->cols;
    const reg_matrix *W1 = &parameters->W1, *W2 = &parameters->W2, *W3 = &parameters->W3;

    double cross_entropy_cost = compute_cost(A3, Y); /* the cross-entropy part of the cost */

    double L2_regularization_cost = 0.0;
    /* YOUR CODE HERE (approx. 1 line) */
    (void)m;
    (void)W1;
    (void)W2;
    (void)W3;
    (void)lambd;

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

/* GRADED FUNCTION: backward_propagation_with_regularization
 *
 * Implements the backward propagation of our baseline model to which we added
 * an L2 regularization.
 *
 * Arguments:
 *   X     -- input dataset, of shape (input size, number of examples)
 *   Y     -- "true" labels vector, of shape (output size, number of examples)
 *   cache -- cache output from forward_propagation()
 *   lambd -- regularization hyperparameter, scalar
 *
 * Returns:
 *   gradients -- the gradients with respect to each parameter, activation and
 *                pre-activation variable
 *
 * The changes only concern dW1, dW2 and dW3: add to each the regularization
 * term's gradient, d/dW (1/2 * lambd/m * W^2) = lambd/m * W.
 */
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
    /* YOUR CODE HERE (approx. 2 lines): dW3 = 1./m * np.dot(dZ3, A2.T) + ... */
    g.db3 = reg_row_sums(1. / m, &g.dZ3);

    g.dA2 = reg_dot(&c->W3, true, &g.dZ3, false);
    g.dZ2 = relu_mask(&g.dA2, &c->A2);
    g.dW2 = weight_gradient(m, &g.dZ2, &c->A1);
    /* YOUR CODE HERE (approx. 2 lines): dW2 = 1./m * np.dot(dZ2, A1.T) + ... */
    g.db2 = reg_row_sums(1. / m, &g.dZ2);

    g.dA1 = reg_dot(&c->W2, true, &g.dZ2, false);
    g.dZ1 = relu_mask(&g.dA1, &c->A1);
    g.dW1 = weight_gradient(m, &g.dZ1, X);
    /* YOUR CODE HERE (approx. 2 lines): dW1 = 1./m * np.dot(dZ1, X.T) + ... */
    g.db1 = reg_row_sums(1. / m, &g.dZ1);

    (void)lambd;
    return g;
}

/* GRADED FUNCTION: forward_propagation_with_dropout
 *
 * Implements the forward propagation: LINEAR -> RELU + DROPOUT -> LINEAR ->
 * RELU + DROPOUT -> LINEAR -> SIGMOID.
 *
 * Arguments:
 *   X          -- input dataset, of shape (2, number of examples)
 *   parameters -- W1 (20, 2), b1 (20, 1), W2 (3, 20), b2 (3, 1), W3 (1, 3), b3 (1, 1)
 *   keep_prob  -- probability of keeping a neuron active during drop-out, scalar
 *   cache      -- filled with (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3)
 *
 * Returns:
 *   A3 -- last activation value, output of the forward propagation, of shape (1, number of examples)
 *
 * For each of A1 and A2, in this order:
 *   Step 1: D = np_random_rand(A.rows, A.cols)    (a matrix of A's shape)
 *   Step 2: D = D < keep_prob, element by element (1.0 or 0.0)
 *   Step 3: A = A * D                               (shut down some neurons)
 *   Step 4: A = A / keep_prob                       (scale the neurons kept)
 */
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
    c.D1 = reg_matrix_zeros(0, 0);
    /* YOUR CODE HERE (approx. 4 lines): steps 1-4 for D1 and A1 */

    c.Z2 = reg_linear(&p->W2, &c.A1, &p->b2);
    c.A2 = relu(&c.Z2);
    c.D2 = reg_matrix_zeros(0, 0);
    /* YOUR CODE HERE (approx. 4 lines): steps 1-4 for D2 and A2 */

    c.Z3 = reg_linear(&p->W3, &c.A2, &p->b3);
    c.A3 = sigmoid(&c.Z3);

    (void)keep_prob;
    reg_matrix A3 = reg_matrix_copy(&c.A3);
    *cache = c;
    return A3;
}

/* GRADED FUNCTION: backward_propagation_with_dropout
 *
 * Implements the backward propagation of our baseline model to which we added
 * dropout.
 *
 * Arguments:
 *   X         -- input dataset, of shape (2, number of examples)
 *   Y         -- "true" labels vector, of shape (output size, number of examples)
 *   cache     -- cache output from forward_propagation_with_dropout()
 *   keep_prob -- probability of keeping a neuron active during drop-out, scalar
 *
 * Returns:
 *   gradients -- the gradients with respect to each parameter, activation and
 *                pre-activation variable
 *
 * For dA2 and dA1: Step 1, apply the mask (D2, D1) of the forward propagation
 * to shut down the same neurons; Step 2, divide by keep_prob.
 */
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
    /* YOUR CODE HERE (approx. 2 lines): steps 1-2 for dA2 */
    g.dZ2 = relu_mask(&g.dA2, &c->A2);
    g.dW2 = weight_gradient(m, &g.dZ2, &c->A1);
    g.db2 = reg_row_sums(1. / m, &g.dZ2);

    g.dA1 = reg_dot(&c->W2, true, &g.dZ2, false);
    /* YOUR CODE HERE (approx. 2 lines): steps 1-2 for dA1 */
    g.dZ1 = relu_mask(&g.dA1, &c->A1);
    g.dW1 = weight_gradient(m, &g.dZ1, X);
    g.db1 = reg_row_sums(1. / m, &g.dZ1);

    (void)keep_prob;
    return g;
}
