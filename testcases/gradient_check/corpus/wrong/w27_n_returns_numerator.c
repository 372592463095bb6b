/* Corpus (wrong): N-D check prints the right message but returns the numerator. */
#include <math.h>
#include <stdio.h>

#include "gradient_check.h"

double forward_propagation(double x, double theta)
{
    return theta * x;
}

double backward_propagation(double x, double theta)
{
    (void)theta;
    return x;
}

static void print_message(double difference)
{
    char line[256];
    if (difference > 2e-7)
        snprintf(line, sizeof line, "\033[93mThere is a mistake in the backward propagation! difference = %.12g\033[0m\n", difference);
    else
        snprintf(line, sizeof line, "\033[92mYour backward propagation works perfectly fine! difference = %.12g\033[0m\n", difference);
    fputs(line, stdout);
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
    if (print_msg)
        print_message(difference);
    return difference;
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    gc_matrix parameters_values = dictionary_to_vector(parameters);
    gc_matrix grad = gradients_to_vector(gradients);
    size_t num_parameters = parameters_values.rows;
    gc_matrix gradapprox = gc_matrix_zeros(num_parameters, 1);
    for (size_t i = 0; i < num_parameters; i++) {
        gc_matrix theta_plus = gc_matrix_copy(&parameters_values);
        gc_matrix theta_minus = gc_matrix_copy(&parameters_values);
        theta_plus.data[i] += epsilon;
        theta_minus.data[i] -= epsilon;
        gc_parameters dp = vector_to_dictionary(&theta_plus, parameters);
        gc_parameters dm = vector_to_dictionary(&theta_minus, parameters);
        double J_plus = forward_propagation_n(X, Y, &dp, NULL);
        double J_minus = forward_propagation_n(X, Y, &dm, NULL);
        gradapprox.data[i] = (J_plus - J_minus) / (2 * epsilon);
        gc_parameters_free(&dp);
        gc_parameters_free(&dm);
        gc_matrix_free(&theta_plus);
        gc_matrix_free(&theta_minus);
    }
    gc_matrix diff = gc_matrix_zeros(num_parameters, 1);
    for (size_t i = 0; i < num_parameters; i++)
        diff.data[i] = grad.data[i] - gradapprox.data[i];
    double numerator = gc_norm(&diff);
    double denominator = gc_norm(&grad) + gc_norm(&gradapprox);
    double difference = numerator / denominator;
    if (print_msg)
        print_message(difference);
    gc_matrix_free(&diff);
    gc_matrix_free(&gradapprox);
    gc_matrix_free(&grad);
    gc_matrix_free(&parameters_values);
    return numerator;
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
