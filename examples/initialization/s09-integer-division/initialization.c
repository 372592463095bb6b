/*
 * A catalogued mistake (C's own): sqrt(2 / n_prev) with integers, which is
 * sqrt(1) when n_prev is 2 and sqrt(0) when it is more. The notebook's first He
 * layer ([2, 4, 1]: n_prev = 2) is right by luck; every W after it is zero.
 */
#include <math.h>
#include <stddef.h>

#include "initialization.h"

nn_params initialize_parameters_zeros(const int *layers_dims, size_t n_dims)
{
    size_t L = n_dims ? n_dims - 1 : 0;   /* number of layers with parameters */
    nn_params parameters = nn_params_new(L);
    for (size_t l = 1; l <= L; l++) {
        parameters.W[l - 1] = np_zeros(layers_dims[l], layers_dims[l - 1]);
        parameters.b[l - 1] = np_zeros(layers_dims[l], 1);
    }
    return parameters;
}

nn_params initialize_parameters_random(const int *layers_dims, size_t n_dims)
{
    np_random_seed(3);   /* makes sure your "random" numbers are the notebook's */
    size_t L = n_dims ? n_dims - 1 : 0;
    nn_params parameters = nn_params_new(L);
    for (size_t l = 1; l <= L; l++) {
        size_t n = layers_dims[l], n_prev = layers_dims[l - 1];
        nn_matrix W = np_random_randn(n, n_prev);
        nn_scale(&W, 10);
        parameters.W[l - 1] = W;
        parameters.b[l - 1] = np_zeros(n, 1);
    }
    return parameters;
}

nn_params initialize_parameters_he(const int *layers_dims, size_t n_dims)
{
    np_random_seed(3);
    size_t L = n_dims ? n_dims - 1 : 0;
    nn_params parameters = nn_params_new(L);
    for (size_t l = 1; l <= L; l++) {
        size_t n_l = layers_dims[l], n_prev = layers_dims[l - 1];
        nn_matrix W = np_random_randn(n_l, n_prev);
        nn_scale(&W, sqrt(2 / n_prev));
        parameters.W[l - 1] = W;
        parameters.b[l - 1] = np_zeros(n_l, 1);
    }
    return parameters;
}
