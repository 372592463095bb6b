/* Corpus (wrong): N-D numerator is the plain sum of grad - gradapprox (no norm, signed). */
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

static void emit(double difference)
{
    char buf[GC_FLOAT_STR_MAX];
    if (difference > 2e-7) {
        printf("\033[93m");
        printf("There is a mistake in the backward propagation! difference = ");
    } else {
        printf("\033[92m");
        printf("Your backward propagation works perfectly fine! difference = ");
    }
    printf("%s", gc_float_str(difference, buf));
    printf("\033[0m\n");
    fflush(stdout);
}

double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    double theta_plus = theta + epsilon;
    double theta_minus = theta - epsilon;
    double J_plus = forward_propagation(x, theta_plus);
    double J_minus = forward_propagation(x, theta_minus);
    double gradapprox = (J_plus - J_minus) / (2 * epsilon);
    double grad = backward_propagation(x, theta);
    double difference = gc_norm_scalar(grad - gradapprox) / (gc_norm_scalar(grad) + gc_norm_scalar(gradapprox));
    if (print_msg == true)
        emit(difference);
    return difference;
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    gc_matrix values = dictionary_to_vector(parameters);
    gc_matrix grad = gradients_to_vector(gradients);
    size_t n = gc_matrix_size(&values);
    gc_matrix gradapprox = gc_matrix_zeros(n, 1);
    for (size_t i = 0; i < n; i++) {
        gc_matrix theta_plus = gc_matrix_copy(&values);
        gc_matrix theta_minus = gc_matrix_copy(&values);
        theta_plus.data[i] += epsilon;
        theta_minus.data[i] -= epsilon;
        gc_parameters P = vector_to_dictionary(&theta_plus, parameters);
        gc_parameters M = vector_to_dictionary(&theta_minus, parameters);
        gradapprox.data[i] = (forward_propagation_n(X, Y, &P, NULL) - forward_propagation_n(X, Y, &M, NULL)) / (2 * epsilon);
        gc_parameters_free(&P);
        gc_parameters_free(&M);
        gc_matrix_free(&theta_plus);
        gc_matrix_free(&theta_minus);
    }
    gc_matrix diff = gc_matrix_copy(&grad);
    for (size_t i = 0; i < n; i++)
        diff.data[i] = grad.data[i] - gradapprox.data[i];
    double numerator = 0;
    for (size_t i = 0; i < n; i++)
        numerator += diff.data[i];
    double difference = numerator / (gc_norm(&grad) + gc_norm(&gradapprox));
    if (print_msg == true)
        emit(difference);
    gc_matrix_free(&diff);
    gc_matrix_free(&gradapprox);
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
