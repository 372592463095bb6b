/*
 * kit.c — how the student kit's tests call the three initializers, written as
 * C a student can read.
 *
 * Each public test sets up the notebook's layers_dims as an array and calls
 * the function once:
 *
 *     static const int layers_dims[] = {3, 2, 1};
 *     nn_params got = initialize_parameters_random(layers_dims, 3);
 *
 * then the generic writer (kitgen.c) compares every expected member (W1, b1,
 * ...) with the matching matrix of got, as the grader does. A member the
 * submission did not make (a layer missing, a NULL array) reads as an empty
 * 0 x 0 matrix, which fails as "wrong shape" instead of crashing the test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "kitgen.h"

static int write_init(FILE *body, const char *function, const cJSON *in, hr_error *err)
{
    const cJSON *dims = jsonio_get(in, "layers_dims"), *d;
    if (!cJSON_IsArray(dims) || cJSON_GetArraySize(dims) < 1)
        return hr_fail(err, "input 'layers_dims' must be a list of layer sizes");
    fputs("    static const int layers_dims[] = {", body);
    int n = 0;
    cJSON_ArrayForEach(d, dims) {
        double v;
        if (jsonio_get_double(d, &v) != 0 || v < 1 || v > 1e6 || v != (double)(int)v)
            return hr_fail(err, "layers_dims[%d] is not a layer size", n);
        fprintf(body, "%s%d", n ? ", " : "", (int)v);
        n++;
    }
    fprintf(body, "};\n    nn_params got = %s(layers_dims, %d);\n", function, n);
    return 0;
}

static int write_zeros(kitgen_out *o, FILE *body, const cJSON *in, hr_error *err)
{
    (void)o;
    return write_init(body, "initialize_parameters_zeros", in, err);
}

static int write_random(kitgen_out *o, FILE *body, const cJSON *in, hr_error *err)
{
    (void)o;
    return write_init(body, "initialize_parameters_random", in, err);
}

static int write_he(kitgen_out *o, FILE *body, const cJSON *in, hr_error *err)
{
    (void)o;
    return write_init(body, "initialize_parameters_he", in, err);
}

/* "W3" -> got.W[2] (or an empty matrix when got has no third layer). */
static int member(const char *path, char *expr, size_t len, bool *is_number)
{
    *is_number = false;
    if ((path[0] != 'W' && path[0] != 'b') || path[1] < '1' || path[1] > '9')
        return -1;
    char *end;
    unsigned long l = strtoul(path + 1, &end, 10);
    if (*end || l == 0 || l > 64)
        return -1;
    snprintf(expr, len, "(got.L >= %lu && got.%c ? got.%c[%lu] : (nn_matrix){0, 0, NULL})", l, path[0], path[0],
             l - 1);
    return 0;
}

static const asg_kit_call CALLS[] = {
    {"initialize_parameters_zeros", write_zeros, member},
    {"initialize_parameters_random", write_random, member},
    {"initialize_parameters_he", write_he, member},
};

const asg_kit ASG_KIT = {"initialization", "initialization.h", CALLS, sizeof CALLS / sizeof *CALLS};
