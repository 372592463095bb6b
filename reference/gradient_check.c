/*
 * reference/gradient_check.c — the instructor's solution.
 *
 * Secret: it never enters the runner that holds student code, and it is never
 * shipped in the student kit. The grader's expected values come from running
 * it on each test's inputs. Every formula keeps the notebook's operation order
 * (theta * x, (J_plus - J_minus) / (2 * epsilon), norm / (norm + norm)) so
 * that gradient_check(2, 4) is 2.919335883291695e-10 to the last digit.
 */
#include "gradient_check.h"

#include <stdio.h>

double forward_propagation(double x, double theta)
{
    double J = theta * x;
    return J;
}

double backward_propagation(double x, double theta)
{
    (void)theta;
    double dtheta = x;
    return dtheta;
}

static void print_message(double difference)
{
    char text[GC_FLOAT_STR_MAX];
    gc_float_str(difference, text);
    if (difference > GC_DIFFERENCE_THRESHOLD)
        printf("\033[93mThere is a mistake in the backward propagation! difference = %s\033[0m\n",
               text);
    else
        printf("\033[92mYour backward propagation works perfectly fine! difference = %s\033[0m\n",
               text);
}

double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    double theta_plus = theta + epsilon;
    double theta_minus = theta - epsilon;
    double J_plus = forward_propagation(x, theta_plus);
    double J_minus = forward_propagation(x, theta_minus);
    double gradapprox = (J_plus - J_minus) / (2 * epsilon);

    double grad = backward_propagation(x, theta);

    double numerator = gc_norm_scalar(grad - gradapprox);
    double denominator = gc_norm_scalar(grad) + gc_norm_scalar(gradapprox);
    double difference = numerator / denominator;

    if (print_msg)
        print_message(difference);
    return difference;
}

double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    gc_matrix parameters_values = dictionary_to_vector(parameters);
    gc_matrix grad = gradients_to_vector(gradients);
    size_t num_parameters = parameters_values.rows;
    gc_matrix gradapprox = gc_matrix_zeros(num_parameters, 1);

    for (size_t i = 0; i < num_parameters; i++) {
        gc_matrix theta_plus = gc_matrix_copy(&parameters_values);
        theta_plus.data[i] = theta_plus.data[i] + epsilon;
        gc_parameters p_plus = vector_to_dictionary(&theta_plus, parameters);
        double J_plus = forward_propagation_n(X, Y, &p_plus, NULL);

        gc_matrix theta_minus = gc_matrix_copy(&parameters_values);
        theta_minus.data[i] = theta_minus.data[i] - epsilon;
        gc_parameters p_minus = vector_to_dictionary(&theta_minus, parameters);
        double J_minus = forward_propagation_n(X, Y, &p_minus, NULL);

        gradapprox.data[i] = (J_plus - J_minus) / (2 * epsilon);

        gc_parameters_free(&p_plus);
        gc_parameters_free(&p_minus);
        gc_matrix_free(&theta_plus);
        gc_matrix_free(&theta_minus);
    }

    gc_matrix diff = gc_matrix_copy(&grad);
    for (size_t i = 0; i < num_parameters; i++)
        diff.data[i] = grad.data[i] - gradapprox.data[i];
    double numerator = gc_norm(&diff);
    double denominator = gc_norm(&grad) + gc_norm(&gradapprox);
    double difference = numerator / denominator;

    if (print_msg)
        print_message(difference);

    gc_matrix_free(&diff);
    gc_matrix_free(&gradapprox);
    gc_matrix_free(&grad);
    gc_matrix_free(&parameters_values);
    return difference;
}
