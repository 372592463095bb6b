/*
 * bindings.c — how the runner calls the Initialization pack's three graded
 * functions.
 *
 * Linked into the runner with either a student's object or the reference. The
 * graded functions are weak references: a submission that deleted one still
 * links, and that function reports "missing" while the others are graded.
 * Inputs ({"layers_dims": [3, 2, 1]}) were expanded by the pack builder; a
 * malformed one is a harness fault. The observation is the returned parameter
 * set as a named group {"W1": [[...]], "b1": [[...]], ...} (data.h), written
 * as the student returned it, so that a wrong shape, a missing layer or an
 * extra one is what the comparison reports. The harness never reseeds
 * np.random around the call: the functions seed it themselves, as the
 * notebook's do.
 */
#include <stdlib.h>

#include "assignment.h"
#include "data.h"
#include "initialization.h"

#pragma weak initialize_parameters_zeros
#pragma weak initialize_parameters_random
#pragma weak initialize_parameters_he

typedef nn_params (*initializer)(const int *layers_dims, size_t n_dims);

static asg_call_status call(initializer init, const cJSON *in, cJSON **ret, hr_error *err)
{
    if (!init)
        return ASG_MISSING;
    int *dims;
    size_t n;
    if (initd_layers_read(cJSON_GetObjectItemCaseSensitive(in, "layers_dims"), &dims, &n, err) != 0)
        return ASG_BAD_INPUTS;
    nn_params p = init(dims, n);
    /* a few layers more than asked are reported as extra members; a garbage L
     * is not followed into memory the submission never allocated */
    *ret = initd_params_json(&p, n + 8);
    free(dims);
    /* freed when it is consistent, so that a leak check sees only what the
     * student's code itself left behind */
    if (p.L < n + 8)
        nn_params_free(&p);
    return ASG_CALLED;
}

static asg_call_status call_zeros(const cJSON *in, cJSON **ret, hr_error *err)
{
    return call(initialize_parameters_zeros, in, ret, err);
}

static asg_call_status call_random(const cJSON *in, cJSON **ret, hr_error *err)
{
    return call(initialize_parameters_random, in, ret, err);
}

static asg_call_status call_he(const cJSON *in, cJSON **ret, hr_error *err)
{
    return call(initialize_parameters_he, in, ret, err);
}

static const asg_function FUNCTIONS[] = {
    {"initialize_parameters_zeros", call_zeros},
    {"initialize_parameters_random", call_random},
    {"initialize_parameters_he", call_he},
};

const asg_bindings ASG_BINDINGS = {"initialization", FUNCTIONS, sizeof FUNCTIONS / sizeof *FUNCTIONS};
