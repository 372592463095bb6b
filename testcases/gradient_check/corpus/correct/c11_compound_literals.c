/* Corpus (correct): C99 designated initialisers and compound literals for the
 * gc_matrix views, a struct of the three norms; %.6e in the message. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

struct norms {
    double num, grad, approx;
};

static void say(double difference)
{
    if (difference > GC_DIFFERENCE_THRESHOLD)
        printf("There is a mistake in the backward propagation! difference = %.6e\n", difference);
    else
        printf("Your backward propagation works perfectly fine! difference = %.6e\n", difference);
}

double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    double gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon);
    double grad = backward_propagation(x, theta);
    struct norms n = {.num = gc_norm_scalar(grad - gradapprox),
                      .grad = gc_norm_scalar(grad),
                      .approx = gc_norm_scalar(gradapprox)};
    double difference = n.num / (n.grad + n.approx);
    if (print_msg)
        say(difference);
    return difference;
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    gc_matrix values = dictionary_to_vector(parameters);
    gc_matrix grad = gradients_to_vector(gradients);
    size_t n = values.rows;
    double *approx = malloc(n * sizeof(double));
    double *delta = malloc(n * sizeof(double));
    double *work = malloc(n * sizeof(double));

    for (size_t i = 0; i < n; i++) {
        double J[2];
        for (int s = 0; s < 2; s++) {
            for (size_t k = 0; k < n; k++)
                work[k] = values.data[k];
            work[i] += (s == 0 ? epsilon : -epsilon);
            gc_parameters p = vector_to_dictionary(&(gc_matrix){.rows = n, .cols = 1, .data = work}, parameters);
            J[s] = forward_propagation_n(X, Y, &p, NULL);
            gc_parameters_free(&p);
        }
        approx[i] = (J[0] - J[1]) / (2 * epsilon);
        delta[i] = grad.data[i] - approx[i];
    }

    struct norms nn = {
        .num = gc_norm(&(gc_matrix){.rows = n, .cols = 1, .data = delta}),
        .grad = gc_norm(&grad),
        .approx = gc_norm(&(gc_matrix){.rows = n, .cols = 1, .data = approx}),
    };
    double difference = nn.num / (nn.grad + nn.approx);
    if (print_msg)
        say(difference);
    free(work);
    free(delta);
    free(approx);
    gc_matrix_free(&grad);
    gc_matrix_free(&values);
    return difference;
}

/* OPTIONAL EXERCISE: backward_propagation_n (left as handed out) */
gc_gradients backward_propagation_n(const gc_matrix *X, const gc_matrix *Y, const gc_cache *cache)
{
    const gc_parameters *p = cache->parameters;
    double m = (double)X->cols;
    gc_gradients g = {0};

    g.dZ3 = gc_matrix_copy(&cache->A3);                  /* dZ3 = A3 - Y */
    for (size_t j = 0; j < gc_matrix_size(&g.dZ3); j++)
        g.dZ3.data[j] -= Y->data[j];
    g.dW3 = gc_dot(&g.dZ3, false, &cache->A2, true);     /* dW3 = 1./m * np.dot(dZ3, A2.T) */
    gc_scale(1.0 / m, &g.dW3);
    g.db3 = gc_row_sums(1.0 / m, &g.dZ3);                /* db3 = 1./m * np.sum(dZ3, axis=1, keepdims=True) */

    g.dA2 = gc_dot(&p->W3, true, &g.dZ3, false);         /* dA2 = np.dot(W3.T, dZ3) */
    g.dZ2 = gc_relu_backward(&g.dA2, &cache->A2);        /* dZ2 = np.multiply(dA2, np.int64(A2 > 0)) */
    g.dW2 = gc_dot(&g.dZ2, false, &cache->A1, true);     /* dW2 = 1./m * np.dot(dZ2, A1.T) * 2 */
    gc_scale(1.0 / m, &g.dW2);
    gc_scale(2.0, &g.dW2);
    g.db2 = gc_row_sums(1.0 / m, &g.dZ2);                /* db2 = 1./m * np.sum(dZ2, axis=1, keepdims=True) */

    g.dA1 = gc_dot(&p->W2, true, &g.dZ2, false);         /* dA1 = np.dot(W2.T, dZ2) */
    g.dZ1 = gc_relu_backward(&g.dA1, &cache->A1);        /* dZ1 = np.multiply(dA1, np.int64(A1 > 0)) */
    g.dW1 = gc_dot(&g.dZ1, false, X, true);              /* dW1 = 1./m * np.dot(dZ1, X.T) */
    gc_scale(1.0 / m, &g.dW1);
    g.db1 = gc_row_sums(4.0 / m, &g.dZ1);                /* db1 = 4./m * np.sum(dZ1, axis=1, keepdims=True) */
    return g;
}
