/* Corpus (correct): no dictionary_to_vector: the parameters are copied as a
 * struct, each matrix perturbed through an array of pointers (W1, b1, ..., b3)
 * in the same order as the gradients; calloc'd buffers; %g message. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "gradient_check.h"

double forward_propagation(double x, double theta)
{
    return x * theta;
}

double backward_propagation(double x, double theta)
{
    (void)theta;
    return x;
}

double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    double gradapprox = (forward_propagation(x, theta + epsilon) - forward_propagation(x, theta - epsilon)) / (2 * epsilon);
    double grad = backward_propagation(x, theta);
    double difference = fabs(grad - gradapprox) / (fabs(grad) + fabs(gradapprox));
    if (print_msg) {
        if (difference > 2e-7)
            printf("There is a mistake in the backward propagation! difference = %g\n", difference);
        else
            printf("Your backward propagation works perfectly fine! difference = %g\n", difference);
    }
    return difference;
}

static gc_parameters copy_params(const gc_parameters *p)
{
    gc_parameters c;
    c.W1 = gc_matrix_copy(&p->W1);
    c.b1 = gc_matrix_copy(&p->b1);
    c.W2 = gc_matrix_copy(&p->W2);
    c.b2 = gc_matrix_copy(&p->b2);
    c.W3 = gc_matrix_copy(&p->W3);
    c.b3 = gc_matrix_copy(&p->b3);
    return c;
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    gc_parameters work = copy_params(parameters);
    gc_matrix *mats[6] = {&work.W1, &work.b1, &work.W2, &work.b2, &work.W3, &work.b3};
    const gc_matrix *gmats[6] = {&gradients->dW1, &gradients->db1, &gradients->dW2,
                                 &gradients->db2, &gradients->dW3, &gradients->db3};
    size_t total = 0;
    for (int k = 0; k < 6; k++)
        total += gc_matrix_size(mats[k]);

    double *grad = calloc(total, sizeof(double));
    double *approx = calloc(total, sizeof(double));
    size_t idx = 0;
    for (int k = 0; k < 6; k++) {
        for (size_t j = 0; j < gc_matrix_size(mats[k]); j++, idx++) {
            double saved = mats[k]->data[j];
            mats[k]->data[j] = saved + epsilon;
            double J_plus = forward_propagation_n(X, Y, &work, NULL);
            mats[k]->data[j] = saved - epsilon;
            double J_minus = forward_propagation_n(X, Y, &work, NULL);
            mats[k]->data[j] = saved;
            approx[idx] = (J_plus - J_minus) / (2 * epsilon);
            grad[idx] = gmats[k]->data[j];
        }
    }

    double num = 0, ng = 0, na = 0;
    for (size_t i = 0; i < total; i++) {
        num += (grad[i] - approx[i]) * (grad[i] - approx[i]);
        ng += grad[i] * grad[i];
        na += approx[i] * approx[i];
    }
    double difference = sqrt(num) / (sqrt(ng) + sqrt(na));
    if (print_msg) {
        if (difference > 2e-7)
            printf("There is a mistake in the backward propagation! difference = %g\n", difference);
        else
            printf("Your backward propagation works perfectly fine! difference = %g\n", difference);
    }
    free(grad);
    free(approx);
    gc_parameters_free(&work);
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
