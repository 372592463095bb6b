/* Corpus (wrong): N-D gradapprox divided by epsilon instead of 2 * epsilon. */
#include <math.h>
#include <stdio.h>

#include "gradient_check.h"

double forward_propagation(double x, double theta)
{
    double J;
    J = x * theta;
    return J;
}

double backward_propagation(double x, double theta)
{
    double dtheta;
    dtheta = x;
    (void)theta;
    return dtheta;
}

static void report(double difference)
{
    if (difference > 2e-7)
        printf("\033[93mThere is a mistake in the backward propagation! difference = %g\033[0m\n", difference);
    else
        printf("\033[92mYour backward propagation works perfectly fine! difference = %g\033[0m\n", difference);
}

double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    double theta_plus = theta + epsilon, theta_minus = theta - epsilon;
    double J_plus = forward_propagation(x, theta_plus);
    double J_minus = forward_propagation(x, theta_minus);
    double gradapprox = (J_plus - J_minus) / (2 * epsilon);
    double grad = backward_propagation(x, theta);
    double numerator = fabs(grad - gradapprox);
    double denominator = fabs(grad) + fabs(gradapprox);
    double difference = numerator / denominator;
    if (print_msg)
        report(difference);
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
        theta_plus.data[i] += epsilon;
        gc_parameters d_plus = vector_to_dictionary(&theta_plus, parameters);
        double J_plus = forward_propagation_n(X, Y, &d_plus, NULL);

        gc_matrix theta_minus = gc_matrix_copy(&parameters_values);
        theta_minus.data[i] -= epsilon;
        gc_parameters d_minus = vector_to_dictionary(&theta_minus, parameters);
        double J_minus = forward_propagation_n(X, Y, &d_minus, NULL);

        gradapprox.data[i] = (J_plus - J_minus) / epsilon;

        gc_parameters_free(&d_plus);
        gc_parameters_free(&d_minus);
        gc_matrix_free(&theta_plus);
        gc_matrix_free(&theta_minus);
    }

    double num2 = 0.0;
    for (size_t i = 0; i < num_parameters; i++) {
        double d = grad.data[i] - gradapprox.data[i];
        num2 += d * d;
    }
    double difference = sqrt(num2) / (gc_norm(&grad) + gc_norm(&gradapprox));
    if (print_msg)
        report(difference);

    gc_matrix_free(&gradapprox);
    gc_matrix_free(&grad);
    gc_matrix_free(&parameters_values);
    return difference;
}

// backward_propagation_n: I found the two bugs with gradient_check_n and fixed them
gc_gradients backward_propagation_n(const gc_matrix *X, const gc_matrix *Y, const gc_cache *cache)
{
    const gc_parameters *p = cache->parameters;
    const double inv_m = 1.0 / (double)X->cols;
    gc_gradients g = {0};

    g.dZ3 = gc_matrix_copy(&cache->A3);
    size_t n3 = gc_matrix_size(&g.dZ3);
    for (size_t j = 0; j < n3; j++) g.dZ3.data[j] = cache->A3.data[j] - Y->data[j];
    g.dW3 = gc_dot(&g.dZ3, false, &cache->A2, true);
    gc_scale(inv_m, &g.dW3);
    g.db3 = gc_row_sums(inv_m, &g.dZ3);

    g.dA2 = gc_dot(&p->W3, true, &g.dZ3, false);
    g.dZ2 = gc_relu_backward(&g.dA2, &cache->A2);
    g.dW2 = gc_dot(&g.dZ2, false, &cache->A1, true);
    gc_scale(inv_m, &g.dW2);                             // was 1./m * ... * 2
    g.db2 = gc_row_sums(inv_m, &g.dZ2);

    g.dA1 = gc_dot(&p->W2, true, &g.dZ2, false);
    g.dZ1 = gc_relu_backward(&g.dA1, &cache->A1);
    g.dW1 = gc_dot(&g.dZ1, false, X, true);
    gc_scale(inv_m, &g.dW1);
    g.db1 = gc_row_sums(inv_m, &g.dZ1);                  // was 4./m
    return g;
}
