/*
 * kit — how the student kit's public tests call the Regularization
 * assignment's four graded functions, written as C a student can read.
 *
 * The inputs are the pack's (already expanded, see cases.c): every matrix
 * becomes a static array wrapped in a reg_matrix, parameters and caches are
 * structs with designated fields. The functions that return structures end
 * with "got" (gradients, or for the dropout forward a small struct holding
 * A3 and the cache), whose members member() names for the generic writer.
 */
#include <stdio.h>
#include <string.h>

#include "data.h"
#include "jsonio.h"
#include "kitgen.h"

static int number(FILE *f, const cJSON *in, const char *key, hr_error *err)
{
    double v;
    if (jsonio_get_double(jsonio_get(in, key), &v) != 0)
        return hr_fail(err, "input '%s' must be a number", key);
    kitgen_number(f, v);
    return 0;
}

/* "{rows, cols, array}" for obj[key]. */
static int matrix(kitgen_out *o, FILE *body, const cJSON *obj, const char *key, hr_error *err)
{
    size_t rows, cols;
    const cJSON *item = jsonio_get(obj, key);
    if (!item)
        return hr_fail(err, "missing '%s'", key);
    const char *name = kitgen_matrix(o, key, item, &rows, &cols, err);
    if (!name)
        return hr_wrap(err, "'%s'", key);
    fprintf(body, "{%zu, %zu, %s}", rows, cols, name);
    return 0;
}

static int declare_matrix(kitgen_out *o, FILE *body, const cJSON *in, const char *key, hr_error *err)
{
    fprintf(body, "    reg_matrix %s = ", key);
    if (matrix(o, body, in, key, err) != 0)
        return -1;
    fputs(";\n", body);
    return 0;
}

/* A struct of matrices with designated fields. */
static int declare_group(kitgen_out *o, FILE *body, const char *type, const char *var, const cJSON *obj,
                         const char *const *keys, size_t n, hr_error *err)
{
    if (!cJSON_IsObject(obj))
        return hr_fail(err, "missing '%s'", var);
    fprintf(body, "    %s %s = {\n", type, var);
    for (size_t i = 0; i < n; i++) {
        fprintf(body, "        .%s = ", keys[i]);
        if (matrix(o, body, obj, keys[i], err) != 0)
            return hr_wrap(err, "%s", var);
        fputs(",\n", body);
    }
    fputs("    };\n", body);
    return 0;
}

static int write_cost(kitgen_out *o, FILE *body, const cJSON *in, hr_error *err)
{
    if (declare_matrix(o, body, in, "A3", err) || declare_matrix(o, body, in, "Y", err) ||
        declare_group(o, body, "reg_parameters", "parameters", jsonio_get(in, "parameters"),
                      RGD_PARAMETER_KEYS, 6, err))
        return -1;
    fputs("    double got = compute_cost_with_regularization(&A3, &Y, &parameters, ", body);
    if (number(body, in, "lambd", err) != 0)
        return -1;
    fputs(");\n", body);
    return 0;
}

static int write_backward_l2(kitgen_out *o, FILE *body, const cJSON *in, hr_error *err)
{
    if (declare_matrix(o, body, in, "X", err) || declare_matrix(o, body, in, "Y", err) ||
        declare_group(o, body, "reg_cache", "cache", jsonio_get(in, "cache"), RGD_CACHE_KEYS, 12, err))
        return -1;
    fputs("    reg_gradients got = backward_propagation_with_regularization(&X, &Y, &cache, ", body);
    if (number(body, in, "lambd", err) != 0)
        return -1;
    fputs(");\n", body);
    return 0;
}

static int write_forward_dropout(kitgen_out *o, FILE *body, const cJSON *in, hr_error *err)
{
    if (declare_matrix(o, body, in, "X", err) ||
        declare_group(o, body, "reg_parameters", "parameters", jsonio_get(in, "parameters"),
                      RGD_PARAMETER_KEYS, 6, err))
        return -1;
    fputs("    struct { reg_matrix A3; dropout_cache cache; } got = {{0}};\n"
          "    got.A3 = forward_propagation_with_dropout(&X, &parameters, ", body);
    if (number(body, in, "keep_prob", err) != 0)
        return -1;
    fputs(", &got.cache);\n", body);
    return 0;
}

static int write_backward_dropout(kitgen_out *o, FILE *body, const cJSON *in, hr_error *err)
{
    if (declare_matrix(o, body, in, "X", err) || declare_matrix(o, body, in, "Y", err) ||
        declare_group(o, body, "dropout_cache", "cache", jsonio_get(in, "cache"), RGD_DROPOUT_KEYS, 14, err))
        return -1;
    fputs("    reg_gradients got = backward_propagation_with_dropout(&X, &Y, &cache, ", body);
    if (number(body, in, "keep_prob", err) != 0)
        return -1;
    fputs(");\n", body);
    return 0;
}

static bool listed(const char *name, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(name, keys[i]))
            return true;
    return false;
}

/* got.dW1 for the gradients. */
static int gradient_member(const char *path, char *expr, size_t len, bool *is_number)
{
    *is_number = false;
    if (!listed(path, RGD_GRADIENT_KEYS, 11))
        return -1;
    snprintf(expr, len, "got.%s", path);
    return 0;
}

/* got.A3, got.cache.D1 for the dropout forward's tuple. */
static int forward_member(const char *path, char *expr, size_t len, bool *is_number)
{
    *is_number = false;
    if (strcmp(path, "A3") != 0 &&
        !(strncmp(path, "cache.", 6) == 0 && listed(path + 6, RGD_DROPOUT_KEYS, 14)))
        return -1;
    snprintf(expr, len, "got.%s", path);
    return 0;
}

static const asg_kit_call CALLS[] = {
    {"compute_cost_with_regularization", write_cost, NULL},
    {"backward_propagation_with_regularization", write_backward_l2, gradient_member},
    {"forward_propagation_with_dropout", write_forward_dropout, forward_member},
    {"backward_propagation_with_dropout", write_backward_dropout, gradient_member},
};

const asg_kit ASG_KIT = {"regularization", "regularization.h", CALLS, sizeof CALLS / sizeof *CALLS};
