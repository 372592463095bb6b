/* Corpus (wrong): 1-D theta_plus = x + epsilon and theta_minus = x - epsilon (right only by coincidence, J is linear). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradient_check.h"

double forward_propagation(double x, double theta)
{
    double J = theta * x;
    return J;
}

double backward_propagation(double x, double theta)
{
    double dtheta = x;
    (void)theta;
    return dtheta;
}

double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    double theta_plus = x + epsilon;
    double theta_minus = x - epsilon;
    double J_plus = forward_propagation(x, theta_plus);
    double J_minus = forward_propagation(x, theta_minus);
    double gradapprox = (J_plus - J_minus) / (2 * epsilon);
    double grad = backward_propagation(x, theta);
    double numerator = gc_norm_scalar(grad - gradapprox);
    double denominator = gc_norm_scalar(grad) + gc_norm_scalar(gradapprox);
    double difference = numerator / denominator;
    if (print_msg) {
        char t[GC_FLOAT_STR_MAX];
        if (difference > 2e-7)
            printf("\033[93mThere is a mistake in the backward propagation! difference = %s\033[0m\n", gc_float_str(difference, t));
        else
            printf("\033[92mYour backward propagation works perfectly fine! difference = %s\033[0m\n", gc_float_str(difference, t));
    }
    return difference;
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    gc_matrix values = dictionary_to_vector(parameters);
    gc_matrix grad = gradients_to_vector(gradients);
    size_t n = values.rows;
    size_t bytes = n * sizeof(double);
    double *buf = malloc(bytes);
    gc_matrix theta = {n, 1, buf};
    gc_matrix gradapprox = gc_matrix_zeros(n, 1);

    for (size_t i = 0; i < n; i++) {
        memcpy(buf, values.data, bytes);
        buf[i] += epsilon;
        gc_parameters p = vector_to_dictionary(&theta, parameters);
        double J_plus = forward_propagation_n(X, Y, &p, NULL);
        gc_parameters_free(&p);

        memcpy(buf, values.data, bytes);
        buf[i] -= epsilon;
        p = vector_to_dictionary(&theta, parameters);
        double J_minus = forward_propagation_n(X, Y, &p, NULL);
        gc_parameters_free(&p);

        gradapprox.data[i] = (J_plus - J_minus) / (2 * epsilon);
    }
    free(buf);

    gc_matrix d = gc_matrix_copy(&grad);
    for (size_t i = 0; i < n; i++)
        d.data[i] -= gradapprox.data[i];
    double difference = gc_norm(&d) / (gc_norm(&grad) + gc_norm(&gradapprox));
    if (print_msg) {
        char t[GC_FLOAT_STR_MAX];
        if (difference > 2e-7)
            printf("\033[93mThere is a mistake in the backward propagation! difference = %s\033[0m\n", gc_float_str(difference, t));
        else
            printf("\033[92mYour backward propagation works perfectly fine! difference = %s\033[0m\n", gc_float_str(difference, t));
    }
    gc_matrix_free(&d);
    gc_matrix_free(&gradapprox);
    gc_matrix_free(&grad);
    gc_matrix_free(&values);
    return difference;
}

/* OPTIONAL EXERCISE: backward_propagation_n, both bugs fixed (dW2 had * 2, db1 had 4./m) */
gc_gradients backward_propagation_n(const gc_matrix *X, const gc_matrix *Y, const gc_cache *cache)
{
    const gc_parameters *p = cache->parameters;
    double m = (double)X->cols;
    gc_gradients g = {0};

    g.dZ3 = gc_matrix_copy(&cache->A3);                  /* dZ3 = A3 - Y */
    for (size_t j = 0; j < gc_matrix_size(&g.dZ3); j++)
        g.dZ3.data[j] -= Y->data[j];
    g.dW3 = gc_dot(&g.dZ3, false, &cache->A2, true);
    gc_scale(1.0 / m, &g.dW3);
    g.db3 = gc_row_sums(1.0 / m, &g.dZ3);

    g.dA2 = gc_dot(&p->W3, true, &g.dZ3, false);
    g.dZ2 = gc_relu_backward(&g.dA2, &cache->A2);
    g.dW2 = gc_dot(&g.dZ2, false, &cache->A1, true);     /* FIXED: no * 2 */
    gc_scale(1.0 / m, &g.dW2);
    g.db2 = gc_row_sums(1.0 / m, &g.dZ2);

    g.dA1 = gc_dot(&p->W2, true, &g.dZ2, false);
    g.dZ1 = gc_relu_backward(&g.dA1, &cache->A1);
    g.dW1 = gc_dot(&g.dZ1, false, X, true);
    gc_scale(1.0 / m, &g.dW1);
    g.db1 = gc_row_sums(1.0 / m, &g.dZ1);                /* FIXED: 1./m, not 4./m */
    return g;
}
