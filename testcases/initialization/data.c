/*
 * data.c — JSON forms of layers_dims and of parameter sets (see data.h).
 *
 * Linked into the runner, the pack builder, the fixture printer and the tests;
 * numbers go through jsonio so that every double survives bit for bit.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "jsonio.h"

int initd_layers_read(const cJSON *item, int **dims, size_t *n_dims, hr_error *err)
{
    if (!cJSON_IsArray(item))
        return hr_fail(err, "layers_dims must be a list of layer sizes, such as [3, 2, 1]");
    int n = cJSON_GetArraySize(item);
    if (n < 1 || n > INITD_MAX_DIMS)
        return hr_fail(err, "layers_dims must list 1 to %d sizes (it lists %d)", INITD_MAX_DIMS, n);
    int *d = calloc((size_t)n, sizeof *d);
    if (!d)
        return hr_fail(err, "out of memory");
    for (int i = 0; i < n; i++) {
        double v;
        if (jsonio_get_double(cJSON_GetArrayItem(item, i), &v) != 0 || v != floor(v) || v < 1 ||
            v > INITD_MAX_UNITS) {
            free(d);
            return hr_fail(err, "layers_dims[%d] must be a whole number from 1 to %d", i, INITD_MAX_UNITS);
        }
        d[i] = (int)v;
        if (i && (size_t)d[i] * (size_t)d[i - 1] > INITD_MAX_ELEMENTS) {
            free(d);
            return hr_fail(err, "layers_dims[%d]: W%d would have %d x %d elements (at most %u)", i, i,
                           d[i], d[i - 1], INITD_MAX_ELEMENTS);
        }
    }
    *dims = d;
    *n_dims = (size_t)n;
    return 0;
}

cJSON *initd_layers_json(const int *dims, size_t n_dims)
{
    return cJSON_CreateIntArray(dims, (int)n_dims);
}

static cJSON *matrix_json(const nn_matrix *m)
{
    if (!m->data && m->rows * m->cols != 0)
        return cJSON_CreateNull();
    return jsonio_matrix(m->data, m->rows, m->cols);
}

cJSON *initd_params_json(const nn_params *p, size_t max_layers)
{
    cJSON *group = cJSON_CreateObject();
    size_t L = p->L < max_layers ? p->L : max_layers;
    for (size_t l = 0; l < L; l++) {
        char name[32];
        snprintf(name, sizeof name, "W%zu", l + 1);
        cJSON_AddItemToObject(group, name, p->W ? matrix_json(&p->W[l]) : cJSON_CreateNull());
        snprintf(name, sizeof name, "b%zu", l + 1);
        cJSON_AddItemToObject(group, name, p->b ? matrix_json(&p->b[l]) : cJSON_CreateNull());
    }
    return group;
}

static int matrix_read(const cJSON *group, const char *name, nn_matrix *m, hr_error *err)
{
    double *data;
    size_t rows, cols;
    if (jsonio_get_matrix(jsonio_get(group, name), false, &data, &rows, &cols, err) != 0)
        return hr_wrap(err, "%s", name);
    m->rows = rows;
    m->cols = cols;
    m->data = data;
    return 0;
}

int initd_params_read(const cJSON *group, nn_params *p, hr_error *err)
{
    if (!cJSON_IsObject(group))
        return hr_fail(err, "parameters must be a named group {\"W1\": ..., \"b1\": ...}");
    size_t L = (size_t)cJSON_GetArraySize(group) / 2;
    *p = nn_params_new(L);
    for (size_t l = 0; l < L; l++) {
        char w[32], b[32];
        snprintf(w, sizeof w, "W%zu", l + 1);
        snprintf(b, sizeof b, "b%zu", l + 1);
        if (matrix_read(group, w, &p->W[l], err) || matrix_read(group, b, &p->b[l], err)) {
            nn_params_free(p);
            return -1;
        }
    }
    return 0;
}
