/* Corpus (wrong): N-D denominator is ||grad + gradapprox||. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "gradient_check.h"

#define MAXP 512

double forward_propagation(double x, double theta)
{
    return theta * x;
}

double backward_propagation(double x, double theta)
{
    (void)theta;
    return x;
}

static void print_msg_line(double difference)
{
    if (difference > 2e-7)
        printf("There is a mistake in the backward propagation! difference = %e\n", difference);
    else
        printf("Your backward propagation works perfectly fine! difference = %e\n", difference);
}

double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    double theta_plus = theta + epsilon;
    double theta_minus = theta - epsilon;
    double gradapprox = (forward_propagation(x, theta_plus) - forward_propagation(x, theta_minus)) / (2 * epsilon);
    double grad = backward_propagation(x, theta);
    double difference = gc_norm_scalar(grad - gradapprox) / (gc_norm_scalar(grad) + gc_norm_scalar(gradapprox));
    if (print_msg)
        print_msg_line(difference);
    return difference;
}

static double relative(const double *g, const double *a, size_t n)
{
    double s = 0, sg = 0;
    for (size_t i = 0; i < n; i++) {
        s += (g[i] - a[i]) * (g[i] - a[i]);
        sg += (g[i] + a[i]) * (g[i] + a[i]);
    }
    return sqrt(s) / sqrt(sg);
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    gc_matrix values = dictionary_to_vector(parameters);
    gc_matrix grad = gradients_to_vector(gradients);
    size_t n = values.rows;
    double stack_approx[MAXP], stack_theta[MAXP];
    double *approx = n <= MAXP ? stack_approx : malloc(n * sizeof(double));
    double *th = n <= MAXP ? stack_theta : malloc(n * sizeof(double));
    gc_matrix tv = {.rows = n, .cols = 1, .data = th};

    for (size_t i = 0; i < n; i++) {
        double J[2];
        for (int side = 0; side < 2; side++) {
            for (size_t k = 0; k < n; k++)
                th[k] = values.data[k];
            if (side == 0)
                th[i] = values.data[i] + epsilon;
            else
                th[i] = values.data[i] - epsilon;
            gc_parameters p = vector_to_dictionary(&tv, parameters);
            J[side] = forward_propagation_n(X, Y, &p, NULL);
            gc_parameters_free(&p);
        }
        approx[i] = (J[0] - J[1]) / (2 * epsilon);
    }
    double difference = relative(grad.data, approx, n);
    if (print_msg)
        print_msg_line(difference);
    if (approx != stack_approx)
        free(approx);
    if (th != stack_theta)
        free(th);
    gc_matrix_free(&grad);
    gc_matrix_free(&values);
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
