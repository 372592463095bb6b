/* Corpus (correct): gradapprox = 0.5 * (J_plus - J_minus) / epsilon in both
 * checks, numerator through a diff matrix and gc_norm; %.15g message. */
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
    double gradapprox = 0.5 * (J_plus - J_minus) / epsilon;
    double grad = backward_propagation(x, theta);
    double difference = gc_norm_scalar(grad - gradapprox) / (gc_norm_scalar(grad) + gc_norm_scalar(gradapprox));
    if (print_msg) {
        if (difference > 2e-7)
            printf("There is a mistake in the backward propagation! difference = %.15g\n", difference);
        else
            printf("Your backward propagation works perfectly fine! difference = %.15g\n", difference);
    }
    return difference;
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    gc_matrix v = dictionary_to_vector(parameters);
    gc_matrix grad = gradients_to_vector(gradients);
    gc_matrix ga = gc_matrix_zeros(v.rows, v.cols);
    for (size_t i = 0; i < v.rows; i++) {
        gc_matrix tp = gc_matrix_copy(&v), tm = gc_matrix_copy(&v);
        tp.data[i] += epsilon;
        tm.data[i] -= epsilon;
        gc_parameters a = vector_to_dictionary(&tp, parameters), b = vector_to_dictionary(&tm, parameters);
        double Jp = forward_propagation_n(X, Y, &a, NULL), Jm = forward_propagation_n(X, Y, &b, NULL);
        ga.data[i] = 0.5 * (Jp - Jm) / epsilon;
        gc_parameters_free(&a);
        gc_parameters_free(&b);
        gc_matrix_free(&tp);
        gc_matrix_free(&tm);
    }
    gc_matrix diff = gc_matrix_zeros(v.rows, 1);
    for (size_t i = 0; i < v.rows; i++)
        diff.data[i] = grad.data[i] - ga.data[i];
    double difference = gc_norm(&diff) / (gc_norm(&grad) + gc_norm(&ga));
    if (print_msg) {
        if (difference > 2e-7)
            printf("There is a mistake in the backward propagation! difference = %.15g\n", difference);
        else
            printf("Your backward propagation works perfectly fine! difference = %.15g\n", difference);
    }
    gc_matrix_free(&diff);
    gc_matrix_free(&ga);
    gc_matrix_free(&grad);
    gc_matrix_free(&v);
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
