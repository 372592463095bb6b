/* Corpus (correct): early returns (if (!print_msg) return difference;), the
 * message printed after the early return; GC_DIFFERENCE_THRESHOLD; %e. */
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
    double J_plus = forward_propagation(x, theta + epsilon);
    double J_minus = forward_propagation(x, theta - epsilon);
    double gradapprox = (J_plus - J_minus) / (2 * epsilon);
    double grad = backward_propagation(x, theta);
    double difference = gc_norm_scalar(grad - gradapprox) / (gc_norm_scalar(grad) + gc_norm_scalar(gradapprox));

    if (!print_msg)
        return difference;
    if (difference > GC_DIFFERENCE_THRESHOLD) {
        printf("\033[93mThere is a mistake in the backward propagation! difference = %e\033[0m\n", difference);
        return difference;
    }
    printf("\033[92mYour backward propagation works perfectly fine! difference = %e\033[0m\n", difference);
    return difference;
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    gc_matrix values = dictionary_to_vector(parameters);
    gc_matrix grad = gradients_to_vector(gradients);
    gc_matrix approx = gc_matrix_zeros(values.rows, 1);
    for (size_t i = 0; i < values.rows; i++) {
        gc_matrix plus = gc_matrix_copy(&values);
        plus.data[i] += epsilon;
        gc_parameters pp = vector_to_dictionary(&plus, parameters);
        gc_matrix minus = gc_matrix_copy(&values);
        minus.data[i] -= epsilon;
        gc_parameters pm = vector_to_dictionary(&minus, parameters);
        approx.data[i] = (forward_propagation_n(X, Y, &pp, NULL) - forward_propagation_n(X, Y, &pm, NULL)) / (2 * epsilon);
        gc_parameters_free(&pp);
        gc_parameters_free(&pm);
        gc_matrix_free(&plus);
        gc_matrix_free(&minus);
    }
    gc_matrix diff = gc_matrix_copy(&grad);
    for (size_t i = 0; i < values.rows; i++)
        diff.data[i] -= approx.data[i];
    double difference = gc_norm(&diff) / (gc_norm(&grad) + gc_norm(&approx));
    gc_matrix_free(&diff);
    gc_matrix_free(&approx);
    gc_matrix_free(&grad);
    gc_matrix_free(&values);

    if (!print_msg)
        return difference;
    if (difference > GC_DIFFERENCE_THRESHOLD)
        printf("\033[93mThere is a mistake in the backward propagation! difference = %e\033[0m\n", difference);
    else
        printf("\033[92mYour backward propagation works perfectly fine! difference = %e\033[0m\n", difference);
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
