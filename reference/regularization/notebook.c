/*
 * notebook — the Regularization notebook's graded cells, run on the reference
 * (make -s notebook ASSIGNMENT=regularization).
 *
 * Prints what the course's notebook prints for its four exercises, in its
 * words and with numpy's digits (Python 2's str of a float: 12 significant
 * digits; numpy's str of an array: 8 decimals, "-0." for a negative zero), so
 * that the output can be laid beside the published notebook (a test does).
 * The test cases are the course's (testcases/regularization/data.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "data.h"
#include "jsonio.h"
#include "regularization.h"

static cJSON *course(const char *name)
{
    hr_error err;
    cJSON *c = rgd_course_case(name, &err);
    if (!c) {
        fprintf(stderr, "notebook: %s\n", err.msg);
        exit(1);
    }
    return c;
}

static void need(int rc, const hr_error *err)
{
    if (rc != 0) {
        fprintf(stderr, "notebook: %s\n", err->msg);
        exit(1);
    }
}

int main(void)
{
    hr_error err;
    reg_matrix X, Y, A3;
    reg_parameters p;

    /* A3, Y_assess, parameters = compute_cost_with_regularization_test_case()
     * print("cost = " + str(compute_cost_with_regularization(A3, Y_assess, parameters, lambd = 0.1))) */
    cJSON *c = course("compute_cost_with_regularization_test_case");
    need(rgd_matrix_read(c, "A3", &A3, &err) || rgd_matrix_read(c, "Y", &Y, &err) ||
         rgd_parameters_read(jsonio_get(c, "parameters"), &p, &err), &err);
    printf("cost = %.12g\n", compute_cost_with_regularization(&A3, &Y, &p, 0.1));
    reg_matrix_free(&A3);
    reg_matrix_free(&Y);
    reg_parameters_free(&p);
    cJSON_Delete(c);

    /* grads = backward_propagation_with_regularization(X_assess, Y_assess, cache, lambd = 0.7) */
    reg_cache cache;
    c = course("backward_propagation_with_regularization_test_case");
    need(rgd_matrix_read(c, "X", &X, &err) || rgd_matrix_read(c, "Y", &Y, &err) ||
         rgd_cache_read(jsonio_get(c, "cache"), &cache, &err), &err);
    reg_gradients g = backward_propagation_with_regularization(&X, &Y, &cache, 0.7);
    reg_print("dW1 = ", &g.dW1);
    reg_print("dW2 = ", &g.dW2);
    reg_print("dW3 = ", &g.dW3);
    reg_gradients_free(&g);
    reg_cache_free(&cache);
    reg_matrix_free(&X);
    reg_matrix_free(&Y);
    cJSON_Delete(c);

    /* A3, cache = forward_propagation_with_dropout(X_assess, parameters, keep_prob = 0.7) */
    dropout_cache dcache;
    c = course("forward_propagation_with_dropout_test_case");
    need(rgd_matrix_read(c, "X", &X, &err) || rgd_parameters_read(jsonio_get(c, "parameters"), &p, &err), &err);
    A3 = forward_propagation_with_dropout(&X, &p, 0.7, &dcache);
    reg_print("A3 = ", &A3);
    reg_matrix_free(&A3);
    dropout_cache_free(&dcache);
    reg_parameters_free(&p);
    reg_matrix_free(&X);
    cJSON_Delete(c);

    /* gradients = backward_propagation_with_dropout(X_assess, Y_assess, cache, keep_prob = 0.8) */
    c = course("backward_propagation_with_dropout_test_case");
    need(rgd_matrix_read(c, "X", &X, &err) || rgd_matrix_read(c, "Y", &Y, &err) ||
         rgd_dropout_cache_read(jsonio_get(c, "cache"), &dcache, &err), &err);
    g = backward_propagation_with_dropout(&X, &Y, &dcache, 0.8);
    reg_print("dA1 = ", &g.dA1);
    reg_print("dA2 = ", &g.dA2);
    reg_gradients_free(&g);
    dropout_cache_free(&dcache);
    reg_matrix_free(&X);
    reg_matrix_free(&Y);
    cJSON_Delete(c);
    return 0;
}
