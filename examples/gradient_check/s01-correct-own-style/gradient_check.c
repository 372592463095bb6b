/*
 * Gradient Checking — my solution.
 *
 * I did not use dictionary_to_vector / vector_to_dictionary: I nudge each
 * parameter in place in a private copy of the network and put it back, and I
 * keep J_plus and J_minus in arrays like the notebook's np.zeros vectors.
 */
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
    (void)theta;    /* J is linear in theta: the slope is x wherever we are */
    return x;
}

/* relative difference of two gradients, as in formula (2) */
static double relative_difference(double numerator, double norm_a, double norm_b)
{
    return numerator / (norm_a + norm_b);
}

static void say(double difference)
{
    char text[GC_FLOAT_STR_MAX];
    gc_float_str(difference, text);
    if (difference > GC_DIFFERENCE_THRESHOLD)
        printf("There is a mistake in the backward propagation! difference = %s\n", text);
    else
        printf("Your backward propagation works perfectly fine! difference = %s\n", text);
}

double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    double J_plus = forward_propagation(x, theta + epsilon);
    double J_minus = forward_propagation(x, theta - epsilon);
    double gradapprox = 0.5 * (J_plus - J_minus) / epsilon;
    double grad = backward_propagation(x, theta);
    double difference = relative_difference(fabs(grad - gradapprox), fabs(grad), fabs(gradapprox));
    if (print_msg)
        say(difference);
    return difference;
}

/* ---- N dimensions ---------------------------------------------------------- */

static gc_matrix *parameter(gc_parameters *p, int k)
{
    gc_matrix *all[6] = {&p->W1, &p->b1, &p->W2, &p->b2, &p->W3, &p->b3};
    return all[k];
}

static const gc_matrix *gradient(const gc_gradients *g, int k)
{
    const gc_matrix *all[6] = {&g->dW1, &g->db1, &g->dW2, &g->db2, &g->dW3, &g->db3};
    return all[k];
}

static double euclidean_norm(const double *v, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += v[i] * v[i];
    return sqrt(sum);
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    gc_parameters nudged;
    size_t n = 0;
    for (int k = 0; k < 6; k++) {
        *parameter(&nudged, k) = gc_matrix_copy(parameter((gc_parameters *)parameters, k));
        n += gc_matrix_size(parameter(&nudged, k));
    }
    double *J_plus = calloc(n, sizeof *J_plus), *J_minus = calloc(n, sizeof *J_minus);
    double *grad = calloc(n, sizeof *grad), *gradapprox = calloc(n, sizeof *gradapprox);
    double *diff = calloc(n, sizeof *diff);
    if (!J_plus || !J_minus || !grad || !gradapprox || !diff) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }

    size_t i = 0;
    for (int k = 0; k < 6; k++) {
        gc_matrix *m = parameter(&nudged, k);
        for (size_t e = 0; e < gc_matrix_size(m); e++, i++) {
            double kept = m->data[e];
            m->data[e] = kept + epsilon;
            J_plus[i] = forward_propagation_n(X, Y, &nudged, NULL);
            m->data[e] = kept - epsilon;
            J_minus[i] = forward_propagation_n(X, Y, &nudged, NULL);
            m->data[e] = kept;
            grad[i] = gradient(gradients, k)->data[e];
        }
    }
    for (i = 0; i < n; i++) {
        gradapprox[i] = (J_plus[i] - J_minus[i]) / (2 * epsilon);
        diff[i] = grad[i] - gradapprox[i];
    }
    double difference = relative_difference(euclidean_norm(diff, n), euclidean_norm(grad, n),
                                            euclidean_norm(gradapprox, n));
    if (print_msg)
        say(difference);

    free(J_plus);
    free(J_minus);
    free(grad);
    free(gradapprox);
    free(diff);
    gc_parameters_free(&nudged);
    return difference;
}
