/*
 * Gradient Checking — Deep Learning Specialization, course 2, week 1, assignment 3, in C.
 *
 * You are part of a team working to make mobile payments available globally, and
 * are asked to build a deep learning model to detect fraud. Backpropagation is
 * hard to get right, and your CEO wants proof that yours works: "gradient
 * checking". Fill in the four functions below where it says YOUR CODE HERE.
 *
 * How it works: backpropagation computes dJ/dtheta. Because forward propagation
 * is easy to get right, use it to check backpropagation with
 *
 *     dJ/dtheta ≈ (J(theta + epsilon) - J(theta - epsilon)) / (2 * epsilon)      (1)
 *
 * and compare the two with the relative difference
 *
 *     difference = ||grad - gradapprox||_2 / (||grad||_2 + ||gradapprox||_2)    (2)
 *
 * What you may use: the C library (<math.h>, <stdio.h>, <stdlib.h>, <string.h>)
 * and everything in gc_utils.h (the notebook's gc_utils.py and its
 * forward_propagation_n / backward_propagation_n). Run `make test` to check your
 * work against the public tests before you submit this file.
 */
#include <math.h>
#include <stdio.h>

#include "gradient_check.h"

/* GRADED FUNCTION: forward_propagation
 *
 * Implement the linear forward propagation (compute J) presented in Figure 1
 * (J(theta) = theta * x).
 *
 * Arguments:
 *   x     -- a real-valued input
 *   theta -- our parameter, a real number as well
 *
 * Returns:
 *   J -- the value of function J, computed using the formula J(theta) = theta * x
 */
double forward_propagation(double x, double theta)
{
    double J = 0.0;
    /* YOUR CODE HERE (approx. 1 line) */
    (void)x;
    (void)theta;
    return J;
}

/* GRADED FUNCTION: backward_propagation
 *
 * Computes the derivative of J with respect to theta (see Figure 1).
 *
 * Arguments:
 *   x     -- a real-valued input
 *   theta -- our parameter, a real number as well
 *
 * Returns:
 *   dtheta -- the gradient of the cost with respect to theta
 */
double backward_propagation(double x, double theta)
{
    double dtheta = 0.0;
    /* YOUR CODE HERE (approx. 1 line) */
    (void)x;
    (void)theta;
    return dtheta;
}

/* GRADED FUNCTION: gradient_check
 *
 * Implement gradient checking presented in Figure 1.
 *
 * Arguments:
 *   x         -- a real-valued input
 *   theta     -- our parameter, a real number as well
 *   epsilon   -- tiny shift to the input to compute approximated gradient with
 *                formula (1); the notebook uses 1e-7
 *   print_msg -- if true, print one of these messages (the notebook's), where
 *                <difference> is printed as Python prints it: use gc_float_str()
 *       "There is a mistake in the backward propagation! difference = <difference>"
 *                                                   when difference > 2e-7
 *       "Your backward propagation works perfectly fine! difference = <difference>"
 *                                                   otherwise
 *
 * Returns:
 *   difference -- difference (2) between the approximated gradient and the
 *                 backward propagation gradient
 *
 * Steps:
 *   1. theta_plus = theta + epsilon          2. theta_minus = theta - epsilon
 *   3. J_plus = J(theta_plus)                4. J_minus = J(theta_minus)
 *   5. gradapprox = (J_plus - J_minus) / (2 * epsilon)
 *   then grad with your backward_propagation(), and
 *   1'. numerator with gc_norm_scalar()   2'. denominator (gc_norm_scalar twice)
 *   3'. divide them.
 */
double gradient_check(double x, double theta, double epsilon, bool print_msg)
{
    double difference = 0.0;
    /* YOUR CODE HERE (approx. 12 lines) */
    (void)x;
    (void)theta;
    (void)epsilon;
    (void)print_msg;
    return difference;
}

/* GRADED FUNCTION: gradient_check_n
 *
 * Checks if backward_propagation_n computes correctly the gradient of the cost
 * output by forward_propagation_n.
 *
 * Arguments:
 *   parameters -- the parameters W1, b1, W2, b2, W3, b3
 *   gradients  -- output of backward_propagation_n: the gradients of the cost
 *                 with respect to the parameters
 *   X          -- input data points, of shape (input size, m)
 *   Y          -- true "labels", of shape (1, m)
 *   epsilon    -- tiny shift to the input to compute approximated gradient with
 *                 formula (1); the notebook uses 1e-7
 *   print_msg  -- if true, print the same messages as gradient_check()
 *
 * Returns:
 *   difference -- difference (2) between the approximated gradient and the
 *                 backward propagation gradient
 *
 * Set-up: parameters_values = dictionary_to_vector(parameters),
 * grad = gradients_to_vector(gradients), num_parameters = its number of rows,
 * and a gradapprox vector of zeros (gc_matrix_zeros).
 * For each i in num_parameters:
 *   - J_plus[i]:  1. theta_plus = gc_matrix_copy(&parameters_values)
 *                 2. theta_plus.data[i] += epsilon
 *                 3. J_plus[i] = forward_propagation_n(X, Y,
 *                        vector_to_dictionary(theta_plus, parameters), NULL)
 *   - J_minus[i]: the same with theta_minus
 *   - gradapprox[i] = (J_plus[i] - J_minus[i]) / (2 * epsilon)
 * Then compute the difference (2) with gc_norm(), as in 1', 2', 3' above.
 */
double gradient_check_n(const gc_parameters *parameters, const gc_gradients *gradients,
                        const gc_matrix *X, const gc_matrix *Y, double epsilon,
                        bool print_msg)
{
    double difference = 0.0;
    /* YOUR CODE HERE (approx. 25 lines) */
    (void)parameters;
    (void)gradients;
    (void)X;
    (void)Y;
    (void)epsilon;
    (void)print_msg;
    return difference;
}

/* OPTIONAL EXERCISE: backward_propagation_n (0 points unless your course says otherwise)
 *
 * Implement the backward propagation presented in figure 2.
 *
 * This is the notebook's backward_propagation_n exactly as it is handed out,
 * and it has mistakes. Find them with your gradient_check_n, then fix them
 * here (hint: check dW2 and db1). The grader shows, block by block, how far
 * your dW1 .. db3 are from the numerical gradient. If you delete this function,
 * the copy in gc_utils.c (with its mistakes) is used instead.
 *
 * Arguments:
 *   X     -- input data points, of shape (input size, m)
 *   Y     -- true "labels"
 *   cache -- cache output from forward_propagation_n()
 *
 * Returns:
 *   gradients -- the gradients of the cost with respect to each parameter,
 *                activation and pre-activation variable
 */
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
