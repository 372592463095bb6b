/*
 * gradient_check_cases — the rubric's input specs, expanded into concrete inputs.
 *
 * Runs in the pack builder only (it uses the reference's backprop variants).
 *   forward_propagation, backward_propagation: {x, theta}
 *   gradient_check:   {x, theta, epsilon = 1e-7, print_msg = false}
 *   gradient_check_n: {case, backprop = reference, epsilon = 1e-7, print_msg = false}
 *     case: a fixture name (testcases/gradient_check/NAME.json) or {seed, layers: [n0, n1, n2, 1], m}
 *     backprop: a variant of backprop_variants.h, run on the case to make the gradients
 *   backward_propagation_n (the optional exercise): {case}
 *
 * Annotations (kept by the grader, never sent to the runner): for gradient_check_n,
 * the table of the gradients' blocks against the numerical gradient, which says
 * which parameter's gradient is wrong; for backward_propagation_n, the numerical
 * gradient itself, which the student's blocks are measured against.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "backprop_variants.h"
#include "gradient_check.h"
#include "gradient_check_data.h"
#include "jsonio.h"

static int only_keys(const cJSON *spec, const char *const *known, hr_error *err)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, spec) {
        bool ok = false;
        for (const char *const *k = known; *k; k++)
            ok = ok || !strcmp(*k, item->string);
        if (!ok) {
            char list[256] = "";
            for (const char *const *k = known; *k; k++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                         k == known ? "" : ", ", *k);
            return hr_fail(err, "unknown input '%s' (this function takes: %s)", item->string, list);
        }
    }
    return 0;
}

/* Copies a number input (or its default when absent and def is not NULL). */
static int copy_number(const cJSON *spec, cJSON *out, const char *key, const double *def,
                       hr_error *err)
{
    const cJSON *item = jsonio_get(spec, key);
    double v;
    if (!item && def)
        v = *def;
    else if (jsonio_get_double(item, &v) != 0 || !isfinite(v))
        return hr_fail(err, "input '%s' must be a number", key);
    return jsonio_add_double(out, key, v) ? 0 : hr_fail(err, "out of memory");
}

static int copy_flag(const cJSON *spec, cJSON *out, const char *key, hr_error *err)
{
    const cJSON *item = jsonio_get(spec, key);
    if (item && !cJSON_IsBool(item))
        return hr_fail(err, "input '%s' must be true or false", key);
    cJSON_AddBoolToObject(out, key, item && cJSON_IsTrue(item));
    return 0;
}

static const double EPSILON = 1e-7;

static int expand_1d(const cJSON *spec, const asg_context *ctx, cJSON **inputs, hr_error *err)
{
    static const char *const keys[] = {"x", "theta", NULL};
    (void)ctx;
    cJSON *out = cJSON_CreateObject();
    if (only_keys(spec, keys, err) || copy_number(spec, out, "x", NULL, err) ||
        copy_number(spec, out, "theta", NULL, err)) {
        cJSON_Delete(out);
        return -1;
    }
    *inputs = out;
    return 0;
}

static int expand_check(const cJSON *spec, const asg_context *ctx, cJSON **inputs, hr_error *err)
{
    static const char *const keys[] = {"x", "theta", "epsilon", "print_msg", NULL};
    (void)ctx;
    cJSON *out = cJSON_CreateObject();
    if (only_keys(spec, keys, err) || copy_number(spec, out, "x", NULL, err) ||
        copy_number(spec, out, "theta", NULL, err) ||
        copy_number(spec, out, "epsilon", &EPSILON, err) ||
        copy_flag(spec, out, "print_msg", err)) {
        cJSON_Delete(out);
        return -1;
    }
    *inputs = out;
    return 0;
}

static int read_size(const cJSON *item, const char *what, size_t *out, hr_error *err)
{
    double v;
    if (jsonio_get_double(item, &v) != 0 || v != floor(v) || v < 0 || v > 4294967295.0)
        return hr_fail(err, "%s must be a whole number", what);
    *out = (size_t)v;
    return 0;
}

static int load_case(const cJSON *spec, const asg_context *ctx, gcd_case *c, hr_error *err)
{
    if (cJSON_IsString(spec)) {
        const char *name = spec->valuestring;
        if (strchr(name, '/') || name[0] == '.')
            return hr_fail(err, "case '%s': a fixture is named by its file name without .json", name);
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.json", ctx->testcases_dir, name);
        cJSON *doc = jsonio_read_file(path, err);
        if (!doc)
            return -1;
        int rc = gcd_case_read(doc, c, err);
        cJSON_Delete(doc);
        return rc ? hr_wrap(err, "fixture %s", path) : 0;
    }
    static const char *const keys[] = {"seed", "layers", "m", NULL};
    if (!cJSON_IsObject(spec))
        return hr_fail(err, "case must be a fixture name or {seed, layers, m}");
    if (only_keys(spec, keys, err) != 0)
        return -1;
    size_t seed;
    gcd_shape shape = GCD_NOTEBOOK_SHAPE;
    if (read_size(jsonio_get(spec, "seed"), "case.seed", &seed, err))
        return -1;
    const cJSON *layers = jsonio_get(spec, "layers");
    if (layers) {
        if (cJSON_GetArraySize(layers) != 4)
            return hr_fail(err, "case.layers must list 4 sizes: [n0, n1, n2, 1]");
        for (int i = 0; i < 4; i++)
            if (read_size(cJSON_GetArrayItem(layers, i), "case.layers", &shape.layers[i], err))
                return -1;
    }
    if (jsonio_get(spec, "m") && read_size(jsonio_get(spec, "m"), "case.m", &shape.m, err))
        return -1;
    return gcd_generate((uint32_t)seed, &shape, c, err);
}

static int expand_check_n(const cJSON *spec, const asg_context *ctx, cJSON **inputs, hr_error *err)
{
    static const char *const keys[] = {"case", "backprop", "epsilon", "print_msg", NULL};
    if (only_keys(spec, keys, err) != 0)
        return -1;
    const cJSON *case_spec = jsonio_get(spec, "case");
    if (!case_spec)
        return hr_fail(err, "missing input 'case' (a fixture name or {seed, layers, m})");
    const cJSON *variant = jsonio_get(spec, "backprop");
    if (variant && !cJSON_IsString(variant))
        return hr_fail(err, "input 'backprop' must name a variant");
    gcd_case c;
    if (load_case(case_spec, ctx, &c, err) != 0)
        return -1;
    gc_cache cache;
    gc_gradients g;
    forward_propagation_n(&c.X, &c.Y, &c.parameters, &cache);
    int rc = gcv_backprop(variant ? variant->valuestring : "reference", &c.X, &c.Y, &cache, &g, err);
    gc_cache_free(&cache);
    if (rc != 0) {
        gcd_case_free(&c);
        return -1;
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "X", gcd_matrix_json(&c.X));
    cJSON_AddItemToObject(out, "Y", gcd_matrix_json(&c.Y));
    cJSON_AddItemToObject(out, "parameters", gcd_parameters_json(&c.parameters));
    cJSON_AddItemToObject(out, "gradients", gcd_gradients_json(&g));
    gc_gradients_free(&g);
    gcd_case_free(&c);
    if (copy_number(spec, out, "epsilon", &EPSILON, err) || copy_flag(spec, out, "print_msg", err)) {
        cJSON_Delete(out);
        return -1;
    }
    *inputs = out;
    return 0;
}

static int expand_backprop_n(const cJSON *spec, const asg_context *ctx, cJSON **inputs, hr_error *err)
{
    static const char *const keys[] = {"case", NULL};
    if (only_keys(spec, keys, err) != 0)
        return -1;
    const cJSON *case_spec = jsonio_get(spec, "case");
    if (!case_spec)
        return hr_fail(err, "missing input 'case' (a fixture name or {seed, layers, m})");
    gcd_case c;
    if (load_case(case_spec, ctx, &c, err) != 0)
        return -1;
    cJSON *out = cJSON_CreateObject();
    cJSON_AddItemToObject(out, "X", gcd_matrix_json(&c.X));
    cJSON_AddItemToObject(out, "Y", gcd_matrix_json(&c.Y));
    cJSON_AddItemToObject(out, "parameters", gcd_parameters_json(&c.parameters));
    gcd_case_free(&c);
    *inputs = out;
    return 0;
}

/* ---- annotations ------------------------------------------------------------ */

/* gradapprox of the notebook, block by block: the numerical gradient of the cost. */
static gc_gradients numerical_gradient(const gc_matrix *X, const gc_matrix *Y, const gc_parameters *p,
                                       double epsilon)
{
    gc_matrix theta = dictionary_to_vector(p);
    gc_matrix approx = gc_matrix_zeros(theta.rows, 1);
    for (size_t i = 0; i < theta.rows; i++) {
        double keep = theta.data[i];
        theta.data[i] = keep + epsilon;
        gc_parameters plus = vector_to_dictionary(&theta, p);
        double J_plus = forward_propagation_n(X, Y, &plus, NULL);
        theta.data[i] = keep - epsilon;
        gc_parameters minus = vector_to_dictionary(&theta, p);
        double J_minus = forward_propagation_n(X, Y, &minus, NULL);
        theta.data[i] = keep;
        approx.data[i] = (J_plus - J_minus) / (2 * epsilon);
        gc_parameters_free(&plus);
        gc_parameters_free(&minus);
    }
    /* the gradient blocks are shaped like the parameters, in the same order */
    gc_parameters blocks = vector_to_dictionary(&approx, p);
    gc_gradients g = {0};
    g.dW1 = blocks.W1; g.db1 = blocks.b1; g.dW2 = blocks.W2;
    g.db2 = blocks.b2; g.dW3 = blocks.W3; g.db3 = blocks.b3;
    gc_matrix_free(&theta);
    gc_matrix_free(&approx);
    return g;
}

static int read_network(const cJSON *in, gc_matrix *X, gc_matrix *Y, gc_parameters *p, hr_error *err)
{
    if (gcd_matrix_read(in, "X", X, err) || gcd_matrix_read(in, "Y", Y, err))
        return -1;
    return gcd_parameters_read(jsonio_get(in, "parameters"), p, err);
}

/* The table under a failing gradient_check_n test: each block of the given
 * gradients against the numerical gradient, with the notebook's formula. */
static int annotate_check_n(const cJSON *in, cJSON **annotation, hr_error *err)
{
    gc_matrix X, Y;
    gc_parameters p;
    gc_gradients given;
    double epsilon;
    if (read_network(in, &X, &Y, &p, err) || gcd_gradients_read(jsonio_get(in, "gradients"), &p, &given, err) ||
        jsonio_get_double(jsonio_get(in, "epsilon"), &epsilon) != 0)
        return -1;
    gc_gradients approx = numerical_gradient(&X, &Y, &p, epsilon);
    cJSON *table = gcd_block_table(&given, &approx, GCD_BLOCK_RTOL, GCD_BLOCK_ATOL,
                                   "the gradients given, block by block, against the numerical gradient");
    *annotation = cJSON_CreateObject();
    cJSON_AddItemToObject(*annotation, "table", table);
    gc_gradients_free(&approx);
    gc_gradients_free(&given);
    gc_parameters_free(&p);
    gc_matrix_free(&X);
    gc_matrix_free(&Y);
    return 0;
}

/* What a student's backward_propagation_n is measured against. */
static int annotate_backprop_n(const cJSON *in, cJSON **annotation, hr_error *err)
{
    gc_matrix X, Y;
    gc_parameters p;
    if (read_network(in, &X, &Y, &p, err))
        return -1;
    gc_gradients approx = numerical_gradient(&X, &Y, &p, EPSILON);
    *annotation = cJSON_CreateObject();
    cJSON_AddItemToObject(*annotation, "blocks", gcd_gradients_json(&approx));
    gc_gradients_free(&approx);
    gc_parameters_free(&p);
    gc_matrix_free(&X);
    gc_matrix_free(&Y);
    return 0;
}

static const asg_expander EXPANDERS[] = {
    {"forward_propagation", expand_1d, NULL},
    {"backward_propagation", expand_1d, NULL},
    {"gradient_check", expand_check, NULL},
    {"gradient_check_n", expand_check_n, annotate_check_n},
    {"backward_propagation_n", expand_backprop_n, annotate_backprop_n},
};

const asg_casegen ASG_CASEGEN = {"gradient_check", EXPANDERS, sizeof EXPANDERS / sizeof *EXPANDERS};
