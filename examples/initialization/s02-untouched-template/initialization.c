/*
 * Initialization — Deep Learning Specialization, course 2, week 1, assignment 1, in C.
 *
 * Training your neural network requires specifying an initial value of the
 * weights. A well chosen initialization can speed up the convergence of
 * gradient descent and increase the odds of gradient descent converging to a
 * lower training (and generalization) error. You will try three
 * initializations of a 3-layer network on a "circles" dataset:
 *   - zeros:  every W and b set to zero, which fails to break symmetry;
 *   - random: W drawn from a normal distribution and scaled by 10 (large);
 *   - He:     W drawn from a normal distribution and scaled by sqrt(2 / n_prev),
 *             as recommended by He et al., 2015, for ReLU layers.
 * Fill in the three functions below where it says YOUR CODE HERE. Each must
 * work for any number of layers, not only the notebook's.
 *
 * What you may use: the C library (<math.h>, <stdio.h>, <stdlib.h>, <string.h>)
 * and everything in init_utils.h: np_zeros, np_random_seed, np_random_randn,
 * nn_scale, nn_params_new... The grader compares your parameters with the
 * notebook's numbers, so draw your random numbers exactly as the notebook does:
 * seed once at the start, then one np_random_randn per weight matrix, layer by
 * layer, W1 first, and no random numbers for b. Run `make test` to check your
 * work against the public tests before you submit this file.
 */
#include <math.h>
#include <stddef.h>

#include "initialization.h"

/* GRADED FUNCTION: initialize_parameters_zeros
 *
 * Arguments:
 *   layers_dims -- array containing the size of each layer (n_dims entries)
 *
 * Returns:
 *   parameters -- nn_params containing your parameters "W1", "b1", ..., "WL", "bL":
 *                 W1 (parameters.W[0]) -- weight matrix of shape (layers_dims[1], layers_dims[0])
 *                 b1 (parameters.b[0]) -- bias vector of shape (layers_dims[1], 1)
 *                 ...
 *                 WL (parameters.W[L - 1]) -- weight matrix of shape (layers_dims[L], layers_dims[L-1])
 *                 bL (parameters.b[L - 1]) -- bias vector of shape (layers_dims[L], 1)
 *
 * In Python:
 *     parameters = {}
 *     L = len(layers_dims)            # number of layers in the network
 *     for l in range(1, L):
 *         parameters['W' + str(l)] = np.zeros((layers_dims[l], layers_dims[l-1]))
 *         parameters['b' + str(l)] = np.zeros((layers_dims[l], 1))
 * Start from nn_params parameters = nn_params_new(n_dims - 1).
 */
nn_params initialize_parameters_zeros(const int *layers_dims, size_t n_dims)
{
    nn_params parameters = {0};
    /* YOUR CODE HERE (approx. 2 lines in the loop) */
    (void)layers_dims;
    (void)n_dims;
    return parameters;
}

/* GRADED FUNCTION: initialize_parameters_random
 *
 * Arguments:
 *   layers_dims -- array containing the size of each layer (n_dims entries)
 *
 * Returns:
 *   parameters -- nn_params containing W1, b1, ..., WL, bL (shapes as above), where
 *                 Wl = np.random.randn(layers_dims[l], layers_dims[l-1]) * 10
 *                 bl = np.zeros((layers_dims[l], 1))
 *
 * Call np_random_seed(3) first, so that your "random" numbers match the
 * notebook's; then one np_random_randn per layer, in layer order.
 */
nn_params initialize_parameters_random(const int *layers_dims, size_t n_dims)
{
    nn_params parameters = {0};
    /* YOUR CODE HERE (approx. 1 line for the seed, 2 lines in the loop) */
    (void)layers_dims;
    (void)n_dims;
    return parameters;
}

/* GRADED FUNCTION: initialize_parameters_he
 *
 * Arguments:
 *   layers_dims -- array containing the size of each layer (n_dims entries)
 *
 * Returns:
 *   parameters -- nn_params containing W1, b1, ..., WL, bL (shapes as above), where
 *                 Wl = np.random.randn(layers_dims[l], layers_dims[l-1]) * sqrt(2 / layers_dims[l-1])
 *                 bl = np.zeros((layers_dims[l], 1))
 *
 * Call np_random_seed(3) first, as in initialize_parameters_random. The scale
 * uses the size of the previous layer, n_prev = layers_dims[l-1].
 */
nn_params initialize_parameters_he(const int *layers_dims, size_t n_dims)
{
    nn_params parameters = {0};
    /* YOUR CODE HERE (approx. 1 line for the seed, 2 lines in the loop) */
    (void)layers_dims;
    (void)n_dims;
    return parameters;
}
