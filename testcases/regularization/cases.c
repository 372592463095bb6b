/*
 * cases — the Regularization rubric's input specs, expanded into concrete inputs.
 *
 * Runs in the pack builder only. Every function takes
 *   case: a fixture name (testcases/regularization/NAME.json: the course's
 *         test cases, written by `make fixture`) or {seed, layers: [n0, n1,
 *         n2, 1], m}: a fresh case drawn after np.random.seed(seed) as data.c
 *         says
 * and its hyperparameter:
 *   compute_cost_with_regularization, backward_propagation_with_regularization: lambd
 *   forward_propagation_with_dropout, backward_propagation_with_dropout: keep_prob
 * (a fresh backward_propagation_with_dropout case draws its cache's masks with
 * mask_keep_prob, keep_prob unless given: the course's own test passes 0.8 with
 * masks of 0.5).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "assignment.h"
#include "data.h"
#include "jsonio.h"

static int only_keys(const cJSON *spec, const char *const *known, hr_error *err)
{
    const cJSON *item;
    if (!cJSON_IsObject(spec))
        return hr_fail(err, "inputs must be a mapping");
    cJSON_ArrayForEach(item, spec) {
        bool ok = false;
        for (const char *const *k = known; *k; k++)
            ok = ok || !strcmp(*k, item->string);
        if (!ok) {
            char list[256] = "";
            for (const char *const *k = known; *k; k++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k == known ? "" : ", ", *k);
            return hr_fail(err, "unknown input '%s' (this function takes: %s)", item->string, list);
        }
    }
    return 0;
}

static int read_number(const cJSON *spec, const char *key, const double *def, double *out, hr_error *err)
{
    const cJSON *item = jsonio_get(spec, key);
    if (!item && def) {
        *out = *def;
        return 0;
    }
    if (jsonio_get_double(item, out) != 0 || !isfinite(*out))
        return hr_fail(err, "input '%s' must be a number", key);
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

/* The case of a spec as a new JSON object. */
static cJSON *load_case(const char *function, const cJSON *spec, const asg_context *ctx, double mask_keep_prob,
                        hr_error *err)
{
    const cJSON *c = jsonio_get(spec, "case");
    if (cJSON_IsString(c)) {
        const char *name = c->valuestring;
        if (strchr(name, '/') || name[0] == '.') {
            hr_fail(err, "case '%s': a fixture is named by its file name without .json", name);
            return NULL;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.json", ctx->testcases_dir, name);
        return jsonio_exact(jsonio_read_file(path, err));
    }
    static const char *const keys[] = {"seed", "layers", "m", NULL};
    if (!cJSON_IsObject(c) || only_keys(c, keys, err) != 0) {
        if (!cJSON_IsObject(c))
            hr_fail(err, "input 'case' must be a fixture name or {seed, layers: [n0, n1, n2, 1], m}");
        return NULL;
    }
    size_t seed;
    rgd_shape shape;
    const cJSON *layers = jsonio_get(c, "layers");
    if (read_size(jsonio_get(c, "seed"), "case: seed", &seed, err) || read_size(jsonio_get(c, "m"), "case: m", &shape.m, err))
        return NULL;
    if (!cJSON_IsArray(layers) || cJSON_GetArraySize(layers) != 4) {
        hr_fail(err, "case: layers must list four sizes [n0, n1, n2, 1]");
        return NULL;
    }
    for (int i = 0; i < 4; i++)
        if (read_size(cJSON_GetArrayItem(layers, i), "case: a layer size", &shape.layers[i], err))
            return NULL;
    return rgd_fresh_case(function, (uint32_t)seed, &shape, mask_keep_prob, err);
}

/* {case, NAME} -> the case's members plus NAME (a number in range). */
static int expand(const char *function, const char *param, const cJSON *spec, const asg_context *ctx,
                  cJSON **inputs, hr_error *err)
{
    const char *const keys[] = {"case", param, strcmp(function, "backward_propagation_with_dropout") ? NULL : "mask_keep_prob", NULL};
    double v, mask;
    if (only_keys(spec, keys, err) || read_number(spec, param, NULL, &v, err))
        return -1;
    bool is_keep = !strcmp(param, "keep_prob");
    if (is_keep ? !(v > 0 && v <= 1) : v < 0)
        return hr_fail(err, is_keep ? "keep_prob must be in (0, 1]" : "lambd must not be negative");
    double mask_default = is_keep ? v : 0.5;   /* only dropout caches have masks */
    if (read_number(spec, "mask_keep_prob", &mask_default, &mask, err))
        return -1;
    cJSON *out = load_case(function, spec, ctx, mask, err);
    if (!out)
        return -1;
    jsonio_add_double(out, param, v);
    *inputs = out;
    return 0;
}

static int expand_cost(const cJSON *spec, const asg_context *ctx, cJSON **inputs, hr_error *err)
{
    return expand("compute_cost_with_regularization", "lambd", spec, ctx, inputs, err);
}

static int expand_backward_l2(const cJSON *spec, const asg_context *ctx, cJSON **inputs, hr_error *err)
{
    return expand("backward_propagation_with_regularization", "lambd", spec, ctx, inputs, err);
}

static int expand_forward_dropout(const cJSON *spec, const asg_context *ctx, cJSON **inputs, hr_error *err)
{
    return expand("forward_propagation_with_dropout", "keep_prob", spec, ctx, inputs, err);
}

static int expand_backward_dropout(const cJSON *spec, const asg_context *ctx, cJSON **inputs, hr_error *err)
{
    return expand("backward_propagation_with_dropout", "keep_prob", spec, ctx, inputs, err);
}

static const asg_expander EXPANDERS[] = {
    {"compute_cost_with_regularization", expand_cost, NULL},
    {"backward_propagation_with_regularization", expand_backward_l2, NULL},
    {"forward_propagation_with_dropout", expand_forward_dropout, NULL},
    {"backward_propagation_with_dropout", expand_backward_dropout, NULL},
};

const asg_casegen ASG_CASEGEN = {"regularization", EXPANDERS, sizeof EXPANDERS / sizeof *EXPANDERS};
