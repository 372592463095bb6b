/*
 * Gradient Checking — Deep Learning Specialization, course 2, week 1, assignment 3, in C.
 * (submitted solution; the template's long comments trimmed)
 */
#include <math.h>
#include <stdio.h>

#include "gradient_check.h"

/* GRADED FUNCTION: forward_propagation */
double forward_propagation(double x, double theta)
{
    double J = 0.0;
    /* YOUR CODE HERE (approx. 1 line) */
    J = theta + x;
    return J;
}

/* GRADED FUNCTION: backward_propagation */
double backward_propagation(double x, double theta)
{
    double dtheta = 0.0;
    /* YOUR CODE HERE (approx. 1 line) */
    (void)theta;
    dtheta = x;
    return dtheta;
}

/* GRADED FUNCTION: gradient_check */
double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    double difference = 0.0;
    /* YOUR CODE HERE (approx. 12 lines) */
    double theta_plus = theta + epsilon;
    double theta_minus = theta - epsilon;
    double J_plus = forward_propagation(x, theta_plus);
    double J_minus = forward_propagation(x, theta_minus);
    double gradapprox = (J_plus - J_minus) / (2 * epsilon);

    double grad = backward_propagation(x, theta);

    double numerator = gc_norm_scalar(grad - gradapprox);
    double denominator = gc_norm_scalar(grad) + gc_norm_scalar(gradapprox);
    difference = numerator / denominator;

    if (print_msg) {
        char text[GC_FLOAT_STR_MAX];
        if (difference > 2e-7)
            printf("\033[93mThere is a mistake in the backward propagation! difference = %s\033[0m\n",
                   gc_float_str(difference, text));
        else
            printf("\033[92mYour backward propagation works perfectly fine! difference = %s\033[0m\n",
                   gc_float_str(difference, text));
    }
    return difference;
}

/* GRADED FUNCTION: gradient_check_n */
double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    double difference = 0.0;
    /* YOUR CODE HERE (approx. 25 lines) */
    gc_matrix parameters_values = dictionary_to_vector(parameters);
    gc_matrix grad = gradients_to_vector(gradients);
    size_t num_parameters = parameters_values.rows;
    gc_matrix J_plus = gc_matrix_zeros(num_parameters, 1);
    gc_matrix J_minus = gc_matrix_zeros(num_parameters, 1);
    gc_matrix gradapprox = gc_matrix_zeros(num_parameters, 1);

    for (size_t i = 0; i < num_parameters; i++) {
        gc_matrix theta_plus = gc_matrix_copy(&parameters_values);
        theta_plus.data[i] += epsilon;
        gc_parameters p_plus = vector_to_dictionary(&theta_plus, parameters);
        J_plus.data[i] = forward_propagation_n(X, Y, &p_plus, NULL);
        gc_parameters_free(&p_plus);
        gc_matrix_free(&theta_plus);

        gc_matrix theta_minus = gc_matrix_copy(&parameters_values);
        theta_minus.data[i] -= epsilon;
        gc_parameters p_minus = vector_to_dictionary(&theta_minus, parameters);
        J_minus.data[i] = forward_propagation_n(X, Y, &p_minus, NULL);
        gc_parameters_free(&p_minus);
        gc_matrix_free(&theta_minus);

        gradapprox.data[i] = (J_plus.data[i] - J_minus.data[i]) / (2 * epsilon);
    }

    gc_matrix diff = gc_matrix_copy(&grad);
    for (size_t i = 0; i < num_parameters; i++)
        diff.data[i] = grad.data[i] - gradapprox.data[i];
    double numerator = gc_norm(&diff);
    double denominator = gc_norm(&grad) + gc_norm(&gradapprox);
    difference = numerator / denominator;

    if (print_msg) {
        char text[GC_FLOAT_STR_MAX];
        if (difference > 2e-7)
            printf("\033[93mThere is a mistake in the backward propagation! difference = %s\033[0m\n",
                   gc_float_str(difference, text));
        else
            printf("\033[92mYour backward propagation works perfectly fine! difference = %s\033[0m\n",
                   gc_float_str(difference, text));
    }

    gc_matrix_free(&diff);
    gc_matrix_free(&gradapprox);
    gc_matrix_free(&J_minus);
    gc_matrix_free(&J_plus);
    gc_matrix_free(&grad);
    gc_matrix_free(&parameters_values);
    return difference;
}
