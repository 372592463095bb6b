/*
 * initialization.h — the three functions you write in initialization.c.
 *
 * The grader calls them with these exact signatures. Keep their names; the
 * other functions you add to initialization.c stay private to your file.
 * layers_dims lists the size of each layer, input layer first, as the
 * notebook's Python list does: layers_dims = [3, 2, 1] is
 * {3, 2, 1} with n_dims = 3, and gives L = n_dims - 1 = 2 layers of parameters.
 */
#ifndef INITIALIZATION_H
#define INITIALIZATION_H

#include <stddef.h>

#include "init_utils.h"

nn_params initialize_parameters_zeros(const int *layers_dims, size_t n_dims);
nn_params initialize_parameters_random(const int *layers_dims, size_t n_dims);
nn_params initialize_parameters_he(const int *layers_dims, size_t n_dims);

#endif
