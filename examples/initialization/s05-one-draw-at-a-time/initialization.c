/*
 * A legitimate variant (full marks): W is filled one draw at a time, row by
 * row, with np_random_randn(1, 1), and b is np.zeros times the scale (as some
 * published solutions write it). The stream is consumed in numpy's order, so
 * the values are the notebook's to the last bit.
 */
#include <math.h>
#include <stddef.h>

#include "initialization.h"

static nn_params draw(const int *dims, size_t n_dims, int he)
{
    nn_params p = nn_params_new(n_dims - 1);
    for (size_t l = 1; l < n_dims; l++) {
        double scale = he ? sqrt(2. / dims[l - 1]) : 10;
        nn_matrix W = np_zeros(dims[l], dims[l - 1]);
        for (int i = 0; i < dims[l]; i++)
            for (int j = 0; j < dims[l - 1]; j++) {
                nn_matrix one = np_random_randn(1, 1);
                NN_AT(&W, i, j) = one.data[0] * scale;
                nn_matrix_free(&one);
            }
        nn_matrix b = np_zeros(dims[l], 1);
        nn_scale(&b, scale);
        p.W[l - 1] = W;
        p.b[l - 1] = b;
    }
    return p;
}

nn_params initialize_parameters_zeros(const int *layers_dims, size_t n_dims)
{
    nn_params p = nn_params_new(n_dims - 1);
    for (size_t l = 1; l < n_dims; l++) {
        p.W[l - 1] = np_zeros(layers_dims[l], layers_dims[l - 1]);
        p.b[l - 1] = np_zeros(layers_dims[l], 1);
    }
    return p;
}

nn_params initialize_parameters_random(const int *layers_dims, size_t n_dims)
{
    np_random_seed(3);
    return draw(layers_dims, n_dims, 0);
}

nn_params initialize_parameters_he(const int *layers_dims, size_t n_dims)
{
    np_random_seed(3);
    return draw(layers_dims, n_dims, 1);
}
