/*
 * gradient_check.h — the four functions you write in gradient_check.c.
 *
 * The grader calls them with these exact signatures. Keep their names; the
 * other functions you add to gradient_check.c stay private to your file.
 */
#ifndef GRADIENT_CHECK_H
#define GRADIENT_CHECK_H

#include <stdbool.h>

#include "gc_utils.h"

/* The threshold of the notebook's messages. */
#define GC_DIFFERENCE_THRESHOLD 2e-7

double forward_propagation(double x, double theta);
double backward_propagation(double x, double theta);
double gradient_check(double x, double theta, double epsilon, bool print_msg);
double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg);

#endif
