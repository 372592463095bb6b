/* Corpus (correct): fprintf(stdout, ...) with %.9g and colours, the 1-D check
 * through an array of the two shifted thetas. */
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

double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    double thetas[2] = {theta + epsilon, theta - epsilon};
    double J[2];
    for (int k = 0; k < 2; k++)
        J[k] = forward_propagation(x, thetas[k]);
    double gradapprox = (J[0] - J[1]) / (2 * epsilon);
    double grad = backward_propagation(x, theta);
    double difference = gc_norm_scalar(grad - gradapprox) / (gc_norm_scalar(grad) + gc_norm_scalar(gradapprox));
    if (print_msg) {
        if (difference > 2e-7)
            fprintf(stdout, "\033[93mThere is a mistake in the backward propagation! difference = %.9g\033[0m\n", difference);
        else
            fprintf(stdout, "\033[92mYour backward propagation works perfectly fine! difference = %.9g\033[0m\n", difference);
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
    gc_matrix gradapprox = gc_matrix_zeros(num_parameters, 1);
    for (size_t i = 0; i < num_parameters; i++) {
        double shifts[2] = {epsilon, -epsilon}, J[2];
        for (int k = 0; k < 2; k++) {
            gc_matrix t = gc_matrix_copy(&parameters_values);
            t.data[i] += shifts[k];
            gc_parameters p = vector_to_dictionary(&t, parameters);
            J[k] = forward_propagation_n(X, Y, &p, NULL);
            gc_parameters_free(&p);
            gc_matrix_free(&t);
        }
        gradapprox.data[i] = (J[0] - J[1]) / (2 * epsilon);
    }
    gc_matrix diff = gc_matrix_copy(&grad);
    for (size_t i = 0; i < num_parameters; i++)
        diff.data[i] -= gradapprox.data[i];
    double difference = gc_norm(&diff) / (gc_norm(&grad) + gc_norm(&gradapprox));
    if (print_msg) {
        if (difference > 2e-7)
            fprintf(stdout, "\033[93mThere is a mistake in the backward propagation! difference = %.9g\033[0m\n", difference);
        else
            fprintf(stdout, "\033[92mYour backward propagation works perfectly fine! difference = %.9g\033[0m\n", difference);
    }
    gc_matrix_free(&diff);
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
