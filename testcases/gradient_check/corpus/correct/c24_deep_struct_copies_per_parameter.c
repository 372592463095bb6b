/* Corpus (correct): no vectors at all: for every element of every matrix, two
 * deep copies of the parameter struct (plus and minus), walked with GC_AT over
 * rows and columns; gradients read block by block; %.7e message. */
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

static void print_line(double d)
{
    if (d > 2e-7)
        printf("\033[93mThere is a mistake in the backward propagation! difference = %.7e\033[0m\n", d);
    else
        printf("\033[92mYour backward propagation works perfectly fine! difference = %.7e\033[0m\n", d);
}

double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    double theta_plus = theta + epsilon;
    double theta_minus = theta - epsilon;
    double J_plus = forward_propagation(x, theta_plus);
    double J_minus = forward_propagation(x, theta_minus);
    double gradapprox = (J_plus - J_minus) / (2 * epsilon);
    double grad = backward_propagation(x, theta);
    double difference = fabs(grad - gradapprox) / (fabs(grad) + fabs(gradapprox));
    if (print_msg)
        print_line(difference);
    return difference;
}

static gc_parameters clone(const gc_parameters *p)
{
    gc_parameters c = {
        .W1 = gc_matrix_copy(&p->W1), .b1 = gc_matrix_copy(&p->b1),
        .W2 = gc_matrix_copy(&p->W2), .b2 = gc_matrix_copy(&p->b2),
        .W3 = gc_matrix_copy(&p->W3), .b3 = gc_matrix_copy(&p->b3),
    };
    return c;
}

static gc_matrix *block(gc_parameters *p, int k)
{
    switch (k) {
    case 0: return &p->W1;
    case 1: return &p->b1;
    case 2: return &p->W2;
    case 3: return &p->b2;
    case 4: return &p->W3;
    default: return &p->b3;
    }
}

static const gc_matrix *gblock(const gc_gradients *g, int k)
{
    const gc_matrix *b[6] = {&g->dW1, &g->db1, &g->dW2, &g->db2, &g->dW3, &g->db3};
    return b[k];
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    double sum_diff = 0, sum_grad = 0, sum_approx = 0;
    for (int k = 0; k < 6; k++) {
        const gc_matrix *gk = gblock(gradients, k);
        for (size_t r = 0; r < gk->rows; r++) {
            for (size_t c = 0; c < gk->cols; c++) {
                gc_parameters plus = clone(parameters);
                gc_parameters minus = clone(parameters);
                GC_AT(block(&plus, k), r, c) += epsilon;
                GC_AT(block(&minus, k), r, c) -= epsilon;
                double J_plus = forward_propagation_n(X, Y, &plus, NULL);
                double J_minus = forward_propagation_n(X, Y, &minus, NULL);
                gc_parameters_free(&plus);
                gc_parameters_free(&minus);
                double approx = (J_plus - J_minus) / (2 * epsilon);
                double g = GC_AT(gk, r, c);
                sum_diff += (g - approx) * (g - approx);
                sum_grad += g * g;
                sum_approx += approx * approx;
            }
        }
    }
    double difference = sqrt(sum_diff) / (sqrt(sum_grad) + sqrt(sum_approx));
    if (print_msg)
        print_line(difference);
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
