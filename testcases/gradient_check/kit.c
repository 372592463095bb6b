/*
 * gradient_check_kit — how the student kit's tests call the four graded
 * functions, written as C a student can read.
 *
 * The inputs are the pack's (already expanded, see gradient_check_cases.c);
 * the N-dimensional check's matrices become static arrays wrapped in the
 * structs of gc_utils.h, the way a student would set up a case by hand.
 */
#include <stdbool.h>

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

static int flag(FILE *f, const cJSON *in, const char *key, hr_error *err)
{
    const cJSON *item = jsonio_get(in, key);
    if (!cJSON_IsBool(item))
        return hr_fail(err, "input '%s' must be true or false", key);
    fputs(cJSON_IsTrue(item) ? "true" : "false", f);
    return 0;
}

typedef struct {
    const char *key;
    bool is_flag;          /* a bool print_msg rather than a number */
} scalar_arg;

/* The scalar arguments, "1.0, 2.0, true", from the inputs in. */
static int write_scalars(FILE *f, const cJSON *in, const scalar_arg *args, size_t n, hr_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        if ((args[i].is_flag ? flag : number)(f, in, args[i].key, err) != 0)
            return -1;
    }
    return 0;
}

/* forward_propagation(x, theta) or backward_propagation(x, theta). */
static int write_1d(FILE *body, const char *function, const cJSON *in, hr_error *err)
{
    static const scalar_arg args[] = {{"x", false}, {"theta", false}};
    fprintf(body, "    double got = %s(", function);
    if (write_scalars(body, in, args, 2, err) != 0)
        return -1;
    fputs(");\n", body);
    return 0;
}

static int write_forward(kitgen_out *o, FILE *body, const cJSON *in, hr_error *err)
{
    (void)o;
    return write_1d(body, "forward_propagation", in, err);
}

static int write_backward(kitgen_out *o, FILE *body, const cJSON *in, hr_error *err)
{
    (void)o;
    return write_1d(body, "backward_propagation", in, err);
}

static int write_check(kitgen_out *o, FILE *body, const cJSON *in, hr_error *err)
{
    (void)o;
    static const scalar_arg args[] = {{"x", false}, {"theta", false}, {"epsilon", false}, {"print_msg", true}};
    fputs("    double got = gradient_check(", body);
    if (write_scalars(body, in, args, 4, err) != 0)
        return -1;
    fputs(");\n", body);
    return 0;
}

/* "NAME = {rows, cols, array}" for one matrix of obj. */
static int matrix_field(kitgen_out *o, FILE *body, const cJSON *obj, const char *key, hr_error *err)
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

/* A struct of six matrices (parameters or gradients), designated fields. */
static int six_fields(kitgen_out *o, FILE *body, const char *type, const char *var, const cJSON *obj,
                      const char *const keys[6], hr_error *err)
{
    if (!cJSON_IsObject(obj))
        return hr_fail(err, "missing '%s'", var);
    fprintf(body, "    %s %s = {\n", type, var);
    for (int i = 0; i < 6; i++) {
        fprintf(body, "        .%s = ", keys[i]);
        if (matrix_field(o, body, obj, keys[i], err) != 0)
            return hr_wrap(err, "%s", var);
        fputs(",\n", body);
    }
    fputs("    };\n", body);
    return 0;
}

static int write_check_n(kitgen_out *o, FILE *body, const cJSON *in, hr_error *err)
{
    static const char *const params[6] = {"W1", "b1", "W2", "b2", "W3", "b3"};
    static const char *const grads[6] = {"dW1", "db1", "dW2", "db2", "dW3", "db3"};
    fputs("    gc_matrix X = ", body);
    if (matrix_field(o, body, in, "X", err) != 0)
        return -1;
    fputs(";\n    gc_matrix Y = ", body);
    if (matrix_field(o, body, in, "Y", err) != 0)
        return -1;
    fputs(";\n", body);
    if (six_fields(o, body, "gc_parameters", "parameters", jsonio_get(in, "parameters"), params, err) ||
        six_fields(o, body, "gc_gradients", "gradients", jsonio_get(in, "gradients"), grads, err))
        return -1;
    static const scalar_arg args[] = {{"epsilon", false}, {"print_msg", true}};
    fputs("    double got = gradient_check_n(&parameters, &gradients, &X, &Y, ", body);
    if (write_scalars(body, in, args, 2, err) != 0)
        return -1;
    fputs(");\n", body);
    return 0;
}

static const asg_kit_call CALLS[] = {
    {"forward_propagation", write_forward, NULL},
    {"backward_propagation", write_backward, NULL},
    {"gradient_check", write_check, NULL},
    {"gradient_check_n", write_check_n, NULL},
};

const asg_kit ASG_KIT = {"gradient_check", "gradient_check.h", CALLS, sizeof CALLS / sizeof *CALLS};
