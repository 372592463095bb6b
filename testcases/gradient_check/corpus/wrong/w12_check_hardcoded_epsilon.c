/* Corpus (wrong): 1-D check overwrites its epsilon argument with the notebook's 1e-7. */
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

static double relative_difference(double num, double norm_a, double norm_b)
{
    return num / (norm_a + norm_b);
}

static void verdict(double difference)
{
    char text[GC_FLOAT_STR_MAX];
    const char *msg = difference > 2e-7 ? "There is a mistake in the backward propagation! difference = "
                                        : "Your backward propagation works perfectly fine! difference = ";
    printf("%s%s\n", msg, gc_float_str(difference, text));
}

double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    epsilon = 1e-7; /* the notebook's value */
    double J_plus = forward_propagation(x, theta + epsilon);
    double J_minus = forward_propagation(x, theta - epsilon);
    double gradapprox = (J_plus - J_minus) / (2 * epsilon);
    double grad = backward_propagation(x, theta);
    double difference = relative_difference(gc_norm_scalar(grad - gradapprox), gc_norm_scalar(grad),
                                            gc_norm_scalar(gradapprox));
    if (print_msg)
        verdict(difference);
    return difference;
}

static double J_at(const gc_matrix *values, size_t i, double shift, const gc_parameters *shapes,
                   const gc_matrix *X, const gc_matrix *Y)
{
    gc_matrix theta = gc_matrix_copy(values);
    theta.data[i] += shift;
    gc_parameters p = vector_to_dictionary(&theta, shapes);
    double J = forward_propagation_n(X, Y, &p, NULL);
    gc_parameters_free(&p);
    gc_matrix_free(&theta);
    return J;
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    gc_matrix values = dictionary_to_vector(parameters);
    gc_matrix grad = gradients_to_vector(gradients);
    gc_matrix gradapprox = gc_matrix_zeros(values.rows, 1);
    gc_matrix diff = gc_matrix_zeros(values.rows, 1);
    for (size_t i = 0; i < values.rows; i++) {
        double J_plus = J_at(&values, i, epsilon, parameters, X, Y);
        double J_minus = J_at(&values, i, -epsilon, parameters, X, Y);
        gradapprox.data[i] = (J_plus - J_minus) / (2 * epsilon);
        diff.data[i] = grad.data[i] - gradapprox.data[i];
    }
    double difference = relative_difference(gc_norm(&diff), gc_norm(&grad), gc_norm(&gradapprox));
    if (print_msg)
        verdict(difference);
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
