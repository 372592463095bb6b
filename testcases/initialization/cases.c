/*
 * cases.c — the Initialization rubric's input specs, expanded into concrete
 * inputs (pack builder side).
 *
 * Each of the three functions takes one input in the rubric:
 *   layers: [n0, n1, ..., nL]    the notebook's layers_dims (1 to 64 sizes,
 *                                each a whole number from 1 to 4096)
 * and gets {"layers_dims": [n0, ..., nL]}. There is nothing random to
 * generate here: the random initializers seed np.random themselves, inside
 * the graded call, as the notebook's do, so a test's inputs are its sizes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "data.h"
#include "jsonio.h"

static int expand(const cJSON *spec, const asg_context *ctx, cJSON **inputs, hr_error *err)
{
    (void)ctx;
    if (!cJSON_IsObject(spec))
        return hr_fail(err, "inputs must be {layers: [n0, n1, ...]}");
    const cJSON *item;
    cJSON_ArrayForEach(item, spec)
        if (strcmp(item->string, "layers") != 0)
            return hr_fail(err, "unknown input '%s' (this function takes: layers)", item->string);
    const cJSON *layers = jsonio_get(spec, "layers");
    if (!layers)
        return hr_fail(err, "missing input 'layers' (the layer sizes, such as [3, 2, 1])");
    int *dims;
    size_t n;
    if (initd_layers_read(layers, &dims, &n, err) != 0)
        return hr_wrap(err, "input 'layers'");
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "layers_dims", initd_layers_json(dims, n));
    free(dims);
    *inputs = out;
    return 0;
}

static const asg_expander EXPANDERS[] = {
    {"initialize_parameters_zeros", expand, NULL},
    {"initialize_parameters_random", expand, NULL},
    {"initialize_parameters_he", expand, NULL},
};

const asg_casegen ASG_CASEGEN = {"initialization", EXPANDERS, sizeof EXPANDERS / sizeof *EXPANDERS};
