/*
 * A correct submission in a style of its own (an example for examples/README):
 * one helper makes every layer, the scale is passed as a function of n_prev,
 * and b is np.zeros. It must score full marks: the grader accepts correct code
 * that is not the reference.
 */
#include <math.h>
#include <stddef.h>

#include "initialization.h"

static double no_scale(size_t n_prev) { (void)n_prev; return 0; }
static double ten(size_t n_prev) { (void)n_prev; return 10.0; }
static double he(size_t n_prev) { return sqrt(2.0 / (double)n_prev); }

/* scale == no_scale: zeros, no random numbers drawn at all */
static nn_params layers(const int *dims, size_t n_dims, double (*scale)(size_t))
{
    nn_params p = nn_params_new(n_dims - 1);
    for (size_t l = 0; l + 1 < n_dims; l++) {
        size_t rows = (size_t)dims[l + 1], cols = (size_t)dims[l];
        if (scale == no_scale) {
            p.W[l] = np_zeros(rows, cols);
        } else {
            p.W[l] = np_random_randn(rows, cols);
            double s = scale(cols);
            for (size_t i = 0; i < rows; i++)
                for (size_t j = 0; j < cols; j++)
                    NN_AT(&p.W[l], i, j) *= s;
        }
        p.b[l] = np_zeros(rows, 1);
    }
    return p;
}

nn_params initialize_parameters_zeros(const int *layers_dims, size_t n_dims)
{
    return layers(layers_dims, n_dims, no_scale);
}

nn_params initialize_parameters_random(const int *layers_dims, size_t n_dims)
{
    np_random_seed(3);
    return layers(layers_dims, n_dims, ten);
}

nn_params initialize_parameters_he(const int *layers_dims, size_t n_dims)
{
    np_random_seed(3);
    return layers(layers_dims, n_dims, he);
}
