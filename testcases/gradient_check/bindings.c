/*
 * gradient_check_bindings — how the runner calls the four graded functions.
 *
 * Linked into the runner with either a student's object or the reference.
 * The graded functions are weak references: a submission that deleted one still
 * links, and that function reports "missing" while the others are graded.
 * Inputs were expanded by the pack builder; a malformed one is a harness fault.
 */
#include <stdbool.h>
#include <string.h>

#include "assignment.h"
#include "gradient_check.h"
#include "gradient_check_data.h"
#include "jsonio.h"

#pragma weak forward_propagation
#pragma weak backward_propagation
#pragma weak gradient_check
#pragma weak gradient_check_n

static int get_number(const cJSON *in, const char *key, double *out, hr_error *err)
{
    if (jsonio_get_double(jsonio_get(in, key), out) != 0)
        return hr_fail(err, "input '%s' must be a number", key);
    return 0;
}

static int get_flag(const cJSON *in, const char *key, bool *out, hr_error *err)
{
    const cJSON *item = jsonio_get(in, key);
    if (!cJSON_IsBool(item))
        return hr_fail(err, "input '%s' must be true or false", key);
    *out = cJSON_IsTrue(item);
    return 0;
}

static asg_call_status returned(double v, cJSON **ret)
{
    *ret = jsonio_double(v);
    return ASG_CALLED;
}

static asg_call_status call_forward(const cJSON *in, cJSON **ret, hr_error *err)
{
    double x, theta;
    if (!forward_propagation)
        return ASG_MISSING;
    if (get_number(in, "x", &x, err) || get_number(in, "theta", &theta, err))
        return ASG_BAD_INPUTS;
    return returned(forward_propagation(x, theta), ret);
}

static asg_call_status call_backward(const cJSON *in, cJSON **ret, hr_error *err)
{
    double x, theta;
    if (!backward_propagation)
        return ASG_MISSING;
    if (get_number(in, "x", &x, err) || get_number(in, "theta", &theta, err))
        return ASG_BAD_INPUTS;
    return returned(backward_propagation(x, theta), ret);
}

static asg_call_status call_check(const cJSON *in, cJSON **ret, hr_error *err)
{
    double x, theta, epsilon;
    bool print_msg = false;
    if (!gradient_check)
        return ASG_MISSING;
    if (get_number(in, "x", &x, err) || get_number(in, "theta", &theta, err) ||
        get_number(in, "epsilon", &epsilon, err) || get_flag(in, "print_msg", &print_msg, err))
        return ASG_BAD_INPUTS;
    return returned(gradient_check(x, theta, epsilon, print_msg), ret);
}

static asg_call_status call_check_n(const cJSON *in, cJSON **ret, hr_error *err)
{
    double epsilon;
    bool print_msg = false;
    gc_matrix X, Y;
    gc_parameters p;
    gc_gradients g;
    if (!gradient_check_n)
        return ASG_MISSING;
    if (get_number(in, "epsilon", &epsilon, err) || get_flag(in, "print_msg", &print_msg, err))
        return ASG_BAD_INPUTS;
    if (gcd_matrix_read(in, "X", &X, err) || gcd_matrix_read(in, "Y", &Y, err) ||
        gcd_parameters_read(jsonio_get(in, "parameters"), &p, err) ||
        gcd_gradients_read(jsonio_get(in, "gradients"), &p, &g, err))
        return ASG_BAD_INPUTS;
    double difference = gradient_check_n(&p, &g, &X, &Y, epsilon, print_msg);
    /* freed so that a leak check sees only what the student's code left */
    gc_gradients_free(&g);
    gc_parameters_free(&p);
    gc_matrix_free(&X);
    gc_matrix_free(&Y);
    return returned(difference, ret);
}

/* The optional exercise. backward_propagation_n always links (gc_utils.c has
 * a weak copy); whether the submission has its own is the object check's call. */
static asg_call_status call_backprop_n(const cJSON *in, cJSON **ret, hr_error *err)
{
    gc_matrix X, Y;
    gc_parameters p;
    if (gcd_matrix_read(in, "X", &X, err) || gcd_matrix_read(in, "Y", &Y, err) ||
        gcd_parameters_read(jsonio_get(in, "parameters"), &p, err))
        return ASG_BAD_INPUTS;
    gc_cache cache;
    forward_propagation_n(&X, &Y, &p, &cache);
    gc_gradients g = backward_propagation_n(&X, &Y, &cache);
    *ret = gcd_gradients_json(&g);
    /* the gradients are the student's to allocate and ours to free */
    gc_gradients_free(&g);
    gc_cache_free(&cache);
    gc_parameters_free(&p);
    gc_matrix_free(&X);
    gc_matrix_free(&Y);
    return ASG_CALLED;
}

static const asg_function FUNCTIONS[] = {
    {"forward_propagation", call_forward},
    {"backward_propagation", call_backward},
    {"gradient_check", call_check},
    {"gradient_check_n", call_check_n},
    {"backward_propagation_n", call_backprop_n},
};

const asg_bindings ASG_BINDINGS = {"gradient_check", FUNCTIONS, sizeof FUNCTIONS / sizeof *FUNCTIONS};
