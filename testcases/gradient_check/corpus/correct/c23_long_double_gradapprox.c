/* Corpus (correct): gradapprox and the difference computed in long double
 * (fabsl, sqrtl), returned as double; message printed with %Lg of the long
 * double value; colours. */
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

static void show(long double difference)
{
    if (difference > 2e-7L)
        printf("\033[93mThere is a mistake in the backward propagation! difference = %Lg\033[0m\n", difference);
    else
        printf("\033[92mYour backward propagation works perfectly fine! difference = %Lg\033[0m\n", difference);
}

double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    long double J_plus = forward_propagation(x, theta + epsilon);
    long double J_minus = forward_propagation(x, theta - epsilon);
    long double gradapprox = (J_plus - J_minus) / (2.0L * epsilon);
    long double grad = backward_propagation(x, theta);
    long double difference = fabsl(grad - gradapprox) / (fabsl(grad) + fabsl(gradapprox));
    if (print_msg)
        show(difference);
    return (double)difference;
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    gc_matrix values = dictionary_to_vector(parameters);
    gc_matrix grad = gradients_to_vector(gradients);
    long double sd = 0, sg = 0, sa = 0;
    for (size_t i = 0; i < values.rows; i++) {
        gc_matrix tp = gc_matrix_copy(&values);
        tp.data[i] += epsilon;
        gc_parameters pp = vector_to_dictionary(&tp, parameters);
        long double J_plus = forward_propagation_n(X, Y, &pp, NULL);
        gc_parameters_free(&pp);
        gc_matrix_free(&tp);
        gc_matrix tm = gc_matrix_copy(&values);
        tm.data[i] -= epsilon;
        gc_parameters pm = vector_to_dictionary(&tm, parameters);
        long double J_minus = forward_propagation_n(X, Y, &pm, NULL);
        gc_parameters_free(&pm);
        gc_matrix_free(&tm);
        long double approx = (J_plus - J_minus) / (2.0L * epsilon);
        long double g = grad.data[i];
        sd += (g - approx) * (g - approx);
        sg += g * g;
        sa += approx * approx;
    }
    long double difference = sqrtl(sd) / (sqrtl(sg) + sqrtl(sa));
    if (print_msg)
        show(difference);
    gc_matrix_free(&grad);
    gc_matrix_free(&values);
    return (double)difference;
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
