/*
 * bindings — how the runner calls the Regularization assignment's four graded
 * functions, and what it sends back of their results.
 *
 * Linked into the runner with either a student's object or the reference.
 * The graded functions are weak references: a submission that deleted one
 * still links, and that function reports "missing" while the others are
 * graded. The runner never touches numpy's stream (np_random_*): the dropout
 * forward seeds it itself, as the course's does, and what it draws is the
 * student's doing. Return values:
 *   compute_cost_with_regularization       a number
 *   backward_propagation_with_*            the gradients {dZ3, dW3, ..., db1}
 *   forward_propagation_with_dropout       {"A3": matrix, "cache": {Z1, D1, ..., b3}}
 */
#include <string.h>

#include "assignment.h"
#include "data.h"
#include "jsonio.h"
#include "regularization.h"

#pragma weak compute_cost_with_regularization
#pragma weak backward_propagation_with_regularization
#pragma weak forward_propagation_with_dropout
#pragma weak backward_propagation_with_dropout

static int get_number(const cJSON *in, const char *key, double *out, hr_error *err)
{
    if (jsonio_get_double(jsonio_get(in, key), out) != 0)
        return hr_fail(err, "input '%s' must be a number", key);
    return 0;
}

static asg_call_status call_cost(const cJSON *in, cJSON **ret, hr_error *err)
{
    if (!compute_cost_with_regularization)
        return ASG_MISSING;
    reg_matrix A3, Y;
    reg_parameters p;
    double lambd;
    if (get_number(in, "lambd", &lambd, err) || rgd_matrix_read(in, "A3", &A3, err))
        return ASG_BAD_INPUTS;
    if (rgd_matrix_read(in, "Y", &Y, err) || rgd_parameters_read(jsonio_get(in, "parameters"), &p, err))
        return ASG_BAD_INPUTS;
    double cost = compute_cost_with_regularization(&A3, &Y, &p, lambd);
    /* freed so that a leak check sees only what the student's code left */
    reg_parameters_free(&p);
    reg_matrix_free(&A3);
    reg_matrix_free(&Y);
    *ret = jsonio_double(cost);
    return ASG_CALLED;
}

static asg_call_status returned_gradients(reg_gradients *g, cJSON **ret)
{
    *ret = rgd_gradients_json(g);
    reg_gradients_free(g);   /* the gradients are the student's to allocate and ours to free */
    return ASG_CALLED;
}

static asg_call_status call_backward_l2(const cJSON *in, cJSON **ret, hr_error *err)
{
    if (!backward_propagation_with_regularization)
        return ASG_MISSING;
    reg_matrix X, Y;
    reg_cache cache;
    double lambd;
    if (get_number(in, "lambd", &lambd, err) || rgd_matrix_read(in, "X", &X, err))
        return ASG_BAD_INPUTS;
    if (rgd_matrix_read(in, "Y", &Y, err) || rgd_cache_read(jsonio_get(in, "cache"), &cache, err))
        return ASG_BAD_INPUTS;
    reg_gradients g = backward_propagation_with_regularization(&X, &Y, &cache, lambd);
    reg_cache_free(&cache);
    reg_matrix_free(&X);
    reg_matrix_free(&Y);
    return returned_gradients(&g, ret);
}

static asg_call_status call_forward_dropout(const cJSON *in, cJSON **ret, hr_error *err)
{
    if (!forward_propagation_with_dropout)
        return ASG_MISSING;
    reg_matrix X;
    reg_parameters p;
    double keep_prob;
    if (get_number(in, "keep_prob", &keep_prob, err) || rgd_matrix_read(in, "X", &X, err))
        return ASG_BAD_INPUTS;
    if (rgd_parameters_read(jsonio_get(in, "parameters"), &p, err))
        return ASG_BAD_INPUTS;
    dropout_cache cache;
    memset(&cache, 0, sizeof cache);   /* what the student leaves unset reads as empty */
    reg_matrix A3 = forward_propagation_with_dropout(&X, &p, keep_prob, &cache);
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "A3", rgd_matrix_json(&A3));
    cJSON_AddItemToObject(out, "cache", rgd_dropout_cache_json(&cache));
    reg_matrix_free(&A3);
    dropout_cache_free(&cache);
    reg_parameters_free(&p);
    reg_matrix_free(&X);
    *ret = out;
    return ASG_CALLED;
}

static asg_call_status call_backward_dropout(const cJSON *in, cJSON **ret, hr_error *err)
{
    if (!backward_propagation_with_dropout)
        return ASG_MISSING;
    reg_matrix X, Y;
    dropout_cache cache;
    double keep_prob;
    if (get_number(in, "keep_prob", &keep_prob, err) || rgd_matrix_read(in, "X", &X, err))
        return ASG_BAD_INPUTS;
    if (rgd_matrix_read(in, "Y", &Y, err) || rgd_dropout_cache_read(jsonio_get(in, "cache"), &cache, err))
        return ASG_BAD_INPUTS;
    reg_gradients g = backward_propagation_with_dropout(&X, &Y, &cache, keep_prob);
    dropout_cache_free(&cache);
    reg_matrix_free(&X);
    reg_matrix_free(&Y);
    return returned_gradients(&g, ret);
}

static const asg_function FUNCTIONS[] = {
    {"compute_cost_with_regularization", call_cost},
    {"backward_propagation_with_regularization", call_backward_l2},
    {"forward_propagation_with_dropout", call_forward_dropout},
    {"backward_propagation_with_dropout", call_backward_dropout},
};

const asg_bindings ASG_BINDINGS = {"regularization", FUNCTIONS, sizeof FUNCTIONS / sizeof *FUNCTIONS};
