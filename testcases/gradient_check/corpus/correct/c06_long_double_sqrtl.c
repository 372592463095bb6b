/* Corpus (correct): long double accumulation of the sums of squares with sqrtl
 * and fabsl, own norm loops instead of gc_norm, gc_float_str without colours. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

static void print_result(double difference)
{
    char s[GC_FLOAT_STR_MAX];
    gc_float_str(difference, s);
    if (difference > 2e-7)
        printf("There is a mistake in the backward propagation! difference = %s\n", s);
    else
        printf("Your backward propagation works perfectly fine! difference = %s\n", s);
}

double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    double theta_plus = theta + epsilon;
    double theta_minus = theta - epsilon;
    double J_plus = forward_propagation(x, theta_plus);
    double J_minus = forward_propagation(x, theta_minus);
    double gradapprox = (J_plus - J_minus) / (2 * epsilon);
    double grad = backward_propagation(x, theta);
    long double num = fabsl((long double)grad - (long double)gradapprox);
    long double den = fabsl((long double)grad) + fabsl((long double)gradapprox);
    double difference = (double)(num / den);
    if (print_msg)
        print_result(difference);
    return difference;
}

static long double norm_ld(const double *v, size_t n)
{
    long double s = 0.0L;
    for (size_t i = 0; i < n; i++)
        s += (long double)v[i] * (long double)v[i];
    return sqrtl(s);
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    gc_matrix pv = dictionary_to_vector(parameters);
    gc_matrix grad = gradients_to_vector(gradients);
    size_t n = pv.rows;
    double *approx = malloc(n * sizeof *approx);
    double *diff = malloc(n * sizeof *diff);

    for (size_t i = 0; i < n; i++) {
        gc_matrix tp = gc_matrix_copy(&pv);
        tp.data[i] += epsilon;
        gc_parameters pp = vector_to_dictionary(&tp, parameters);
        double Jp = forward_propagation_n(X, Y, &pp, NULL);
        gc_parameters_free(&pp);
        gc_matrix_free(&tp);

        gc_matrix tm = gc_matrix_copy(&pv);
        tm.data[i] -= epsilon;
        gc_parameters pm = vector_to_dictionary(&tm, parameters);
        double Jm = forward_propagation_n(X, Y, &pm, NULL);
        gc_parameters_free(&pm);
        gc_matrix_free(&tm);

        approx[i] = (Jp - Jm) / (2 * epsilon);
        diff[i] = grad.data[i] - approx[i];
    }

    long double numerator = norm_ld(diff, n);
    long double denominator = norm_ld(grad.data, n) + norm_ld(approx, n);
    double difference = (double)(numerator / denominator);
    if (print_msg)
        print_result(difference);

    free(diff);
    free(approx);
    gc_matrix_free(&grad);
    gc_matrix_free(&pv);
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
