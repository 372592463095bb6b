/* Corpus (correct): Kahan-compensated sums of squares, a denominator guard
 * (0 when both norms are 0), fmax-free plain C; %.5g message with colours. */
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

static void msg(double difference)
{
    if (difference > 2e-7)
        printf("\033[93mThere is a mistake in the backward propagation! difference = %.5g\033[0m\n", difference);
    else
        printf("\033[92mYour backward propagation works perfectly fine! difference = %.5g\033[0m\n", difference);
}

static double safe_ratio(double num, double den)
{
    if (den == 0.0)
        return 0.0;
    return num / den;
}

double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    double J_plus = forward_propagation(x, theta + epsilon);
    double J_minus = forward_propagation(x, theta - epsilon);
    double gradapprox = (J_plus - J_minus) / (2 * epsilon);
    double grad = backward_propagation(x, theta);
    double difference = safe_ratio(fabs(grad - gradapprox), fabs(grad) + fabs(gradapprox));
    if (print_msg)
        msg(difference);
    return difference;
}

typedef struct {
    double sum, c;
} kahan;

static void kadd(kahan *k, double v)
{
    double y = v - k->c;
    double t = k->sum + y;
    k->c = (t - k->sum) - y;
    k->sum = t;
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    gc_matrix values = dictionary_to_vector(parameters);
    gc_matrix grad = gradients_to_vector(gradients);
    kahan sd = {0, 0}, sg = {0, 0}, sa = {0, 0};
    for (size_t i = 0; i < values.rows; i++) {
        gc_matrix t = gc_matrix_copy(&values);
        t.data[i] = values.data[i] + epsilon;
        gc_parameters p = vector_to_dictionary(&t, parameters);
        double J_plus = forward_propagation_n(X, Y, &p, NULL);
        gc_parameters_free(&p);
        t.data[i] = values.data[i] - epsilon;
        p = vector_to_dictionary(&t, parameters);
        double J_minus = forward_propagation_n(X, Y, &p, NULL);
        gc_parameters_free(&p);
        gc_matrix_free(&t);
        double approx = (J_plus - J_minus) / (2 * epsilon);
        double d = grad.data[i] - approx;
        kadd(&sd, d * d);
        kadd(&sg, grad.data[i] * grad.data[i]);
        kadd(&sa, approx * approx);
    }
    double difference = safe_ratio(sqrt(sd.sum), sqrt(sg.sum) + sqrt(sa.sum));
    if (print_msg)
        msg(difference);
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
