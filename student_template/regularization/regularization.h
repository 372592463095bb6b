/*
 * regularization.h — the four functions you write in regularization.c.
 *
 * The grader calls them with these exact signatures. Keep their names; the
 * other functions you add to regularization.c stay private to your file.
 * Every matrix you return (and every matrix you put in a cache) is a new one
 * that you allocated; the caller frees it.
 */
#ifndef REGULARIZATION_H
#define REGULARIZATION_H

#include "reg_utils.h"

double compute_cost_with_regularization(const reg_matrix *A3, const reg_matrix *Y,
                                        const reg_parameters *parameters, double lambd);

reg_gradients backward_propagation_with_regularization(const reg_matrix *X, const reg_matrix *Y,
                                                       const reg_cache *cache, double lambd);

/* Returns A3 and fills *cache (Z1, D1, A1, W1, b1, Z2, D2, A2, W2, b2, Z3, A3, W3, b3). */
reg_matrix forward_propagation_with_dropout(const reg_matrix *X, const reg_parameters *parameters,
                                            double keep_prob, dropout_cache *cache);

reg_gradients backward_propagation_with_dropout(const reg_matrix *X, const reg_matrix *Y,
                                                const dropout_cache *cache, double keep_prob);

#endif
