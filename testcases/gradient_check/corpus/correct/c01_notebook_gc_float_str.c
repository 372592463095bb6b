/* Corpus (correct): the notebook translated line by line: gc_norm_scalar, gc_norm,
 * dictionary_to_vector, a fresh copy of theta per parameter, gc_float_str with
 * the notebook's ANSI colours; backward_propagation_n fixed. */
#include <math.h>
#include <stdio.h>

#include "gradient_check.h"

double forward_propagation(double x, double theta)
{
    double J = theta * x;
    return J;
}

double backward_propagation(double x, double theta)
{
    (void)theta;
    double dtheta = x;
    return dtheta;
}

double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    double theta_plus = theta + epsilon;
    double theta_minus = theta - epsilon;
    double J_plus = forward_propagation(x, theta_plus);
    double J_minus = forward_propagation(x, theta_minus);
    double gradapprox = (J_plus - J_minus) / (2 * epsilon);

    double grad = backward_propagation(x, theta);

    double numerator = gc_norm_scalar(grad - gradapprox);
    double denominator = gc_norm_scalar(grad) + gc_norm_scalar(gradapprox);
    double difference = numerator / denominator;

    if (print_msg) {
        char buf[GC_FLOAT_STR_MAX];
        if (difference > 2e-7)
            printf("\033[93mThere is a mistake in the backward propagation! difference = %s\033[0m\n",
                   gc_float_str(difference, buf));
        else
            printf("\033[92mYour backward propagation works perfectly fine! difference = %s\033[0m\n",
                   gc_float_str(difference, buf));
    }
    return difference;
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    gc_matrix parameters_values = dictionary_to_vector(parameters);
    gc_matrix grad = gradients_to_vector(gradients);
    size_t num_parameters = parameters_values.rows;
    gc_matrix J_plus = gc_matrix_zeros(num_parameters, 1);
    gc_matrix J_minus = gc_matrix_zeros(num_parameters, 1);
    gc_matrix gradapprox = gc_matrix_zeros(num_parameters, 1);

    for (size_t i = 0; i < num_parameters; i++) {
        gc_matrix theta_plus = gc_matrix_copy(&parameters_values);
        theta_plus.data[i] += epsilon;
        gc_parameters p_plus = vector_to_dictionary(&theta_plus, parameters);
        J_plus.data[i] = forward_propagation_n(X, Y, &p_plus, NULL);
        gc_parameters_free(&p_plus);
        gc_matrix_free(&theta_plus);

        gc_matrix theta_minus = gc_matrix_copy(&parameters_values);
        theta_minus.data[i] -= epsilon;
        gc_parameters p_minus = vector_to_dictionary(&theta_minus, parameters);
        J_minus.data[i] = forward_propagation_n(X, Y, &p_minus, NULL);
        gc_parameters_free(&p_minus);
        gc_matrix_free(&theta_minus);

        gradapprox.data[i] = (J_plus.data[i] - J_minus.data[i]) / (2 * epsilon);
    }

    gc_matrix diff = gc_matrix_copy(&grad);
    for (size_t i = 0; i < num_parameters; i++)
        diff.data[i] -= gradapprox.data[i];
    double numerator = gc_norm(&diff);
    double denominator = gc_norm(&grad) + gc_norm(&gradapprox);
    double difference = numerator / denominator;

    if (print_msg) {
        char buf[GC_FLOAT_STR_MAX];
        if (difference > 2e-7)
            printf("\033[93mThere is a mistake in the backward propagation! difference = %s\033[0m\n",
                   gc_float_str(difference, buf));
        else
            printf("\033[92mYour backward propagation works perfectly fine! difference = %s\033[0m\n",
                   gc_float_str(difference, buf));
    }

    gc_matrix_free(&diff);
    gc_matrix_free(&gradapprox);
    gc_matrix_free(&J_minus);
    gc_matrix_free(&J_plus);
    gc_matrix_free(&grad);
    gc_matrix_free(&parameters_values);
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
