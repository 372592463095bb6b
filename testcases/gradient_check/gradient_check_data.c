/* gradient_check_data — see gradient_check_data.h. */
#include "gradient_check_data.h"

#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "nprand.h"

const gcd_shape GCD_NOTEBOOK_SHAPE = {{4, 5, 3, 1}, 3};

static const char *const PARAM_KEYS[6] = {"W1", "b1", "W2", "b2", "W3", "b3"};
static const char *const GRAD_KEYS[6] = {"dW1", "db1", "dW2", "db2", "dW3", "db3"};

static void param_slots(gc_parameters *p, gc_matrix *slots[6])
{
    slots[0] = &p->W1; slots[1] = &p->b1; slots[2] = &p->W2;
    slots[3] = &p->b2; slots[4] = &p->W3; slots[5] = &p->b3;
}

static void grad_slots(gc_gradients *g, gc_matrix *slots[6])
{
    slots[0] = &g->dW1; slots[1] = &g->db1; slots[2] = &g->dW2;
    slots[3] = &g->db2; slots[4] = &g->dW3; slots[5] = &g->db3;
}

static gc_matrix randn(nprand_state *st, size_t rows, size_t cols)
{
    gc_matrix m = gc_matrix_zeros(rows, cols);
    nprand_randn(st, rows, cols, m.data);
    return m;
}

int gcd_generate(uint32_t seed, const gcd_shape *s, gcd_case *out, hr_error *err)
{
    for (int i = 0; i < 4; i++)
        if (s->layers[i] < 1 || s->layers[i] > 256)
            return hr_fail(err, "layer sizes must be between 1 and 256");
    if (s->layers[3] != 1)
        return hr_fail(err, "the output layer must have one unit (the labels Y are 1 x m)");
    if (s->m < 1 || s->m > 1024)
        return hr_fail(err, "m must be between 1 and 1024");
    nprand_state st;
    nprand_seed(&st, seed);
    memset(out, 0, sizeof *out);
    out->X = randn(&st, s->layers[0], s->m);
    out->Y = gc_matrix_zeros(1, s->m);
    for (size_t j = 0; j < s->m; j++)
        out->Y.data[j] = j % 3 == 2 ? 0.0 : 1.0;    /* np.resize([1, 1, 0], m) */
    gc_matrix *slots[6];
    param_slots(&out->parameters, slots);
    for (int l = 0; l < 3; l++) {
        *slots[2 * l] = randn(&st, s->layers[l + 1], s->layers[l]);
        *slots[2 * l + 1] = randn(&st, s->layers[l + 1], 1);
    }
    return 0;
}

void gcd_case_free(gcd_case *c)
{
    gc_matrix_free(&c->X);
    gc_matrix_free(&c->Y);
    gc_parameters_free(&c->parameters);
}

cJSON *gcd_matrix_json(const gc_matrix *m)
{
    return jsonio_matrix(m->data, m->rows, m->cols);
}

int gcd_matrix_read(const cJSON *obj, const char *key, gc_matrix *out, hr_error *err)
{
    const cJSON *item = jsonio_get(obj, key);
    if (!item)
        return hr_fail(err, "missing '%s'", key);
    double *data;
    size_t rows, cols;
    /* Y may be written flat, as the notebook writes y = [1, 1, 0]. */
    if (jsonio_get_matrix(item, !strcmp(key, "Y"), &data, &rows, &cols, err) != 0)
        return hr_wrap(err, "'%s'", key);
    *out = (gc_matrix){rows, cols, data};
    return 0;
}

static cJSON *six_json(gc_matrix *const slots[6], const char *const keys[6])
{
    cJSON *obj = cJSON_CreateObject();
    for (int i = 0; obj && i < 6; i++) {
        cJSON *m = gcd_matrix_json(slots[i]);
        if (!m || !cJSON_AddItemToObject(obj, keys[i], m)) {
            cJSON_Delete(m);
            cJSON_Delete(obj);
            return NULL;
        }
    }
    return obj;
}

cJSON *gcd_parameters_json(const gc_parameters *p)
{
    gc_matrix *slots[6];
    param_slots((gc_parameters *)p, slots);
    return six_json(slots, PARAM_KEYS);
}

cJSON *gcd_gradients_json(const gc_gradients *g)
{
    gc_matrix *slots[6];
    grad_slots((gc_gradients *)g, slots);
    return six_json(slots, GRAD_KEYS);
}

int gcd_parameters_read(const cJSON *obj, gc_parameters *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    gc_matrix *slots[6];
    param_slots(out, slots);
    for (int i = 0; i < 6; i++)
        if (gcd_matrix_read(obj, PARAM_KEYS[i], slots[i], err) != 0) {
            gc_parameters_free(out);
            return -1;
        }
    /* W(l) is n(l) x n(l-1); b(l) is n(l) x 1. */
    for (int l = 0; l < 3; l++) {
        const gc_matrix *W = slots[2 * l], *b = slots[2 * l + 1];
        if (b->rows != W->rows || b->cols != 1 || (l > 0 && W->cols != slots[2 * l - 2]->rows)) {
            gc_parameters_free(out);
            return hr_fail(err, "the shapes of %s and %s do not fit the network", PARAM_KEYS[2 * l],
                           PARAM_KEYS[2 * l + 1]);
        }
    }
    return 0;
}

int gcd_gradients_read(const cJSON *obj, const gc_parameters *p, gc_gradients *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    gc_matrix *slots[6], *pslots[6];
    grad_slots(out, slots);
    param_slots((gc_parameters *)p, pslots);
    for (int i = 0; i < 6; i++) {
        if (gcd_matrix_read(obj, GRAD_KEYS[i], slots[i], err) != 0) {
            gc_gradients_free(out);
            return -1;
        }
        if (slots[i]->rows != pslots[i]->rows || slots[i]->cols != pslots[i]->cols) {
            gc_gradients_free(out);
            return hr_fail(err, "'%s' is not shaped like '%s'", GRAD_KEYS[i], PARAM_KEYS[i]);
        }
    }
    return 0;
}

cJSON *gcd_case_json(const gcd_case *c)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    cJSON_AddItemToObject(doc, "X", gcd_matrix_json(&c->X));
    cJSON_AddItemToObject(doc, "Y", gcd_matrix_json(&c->Y));
    cJSON *params = gcd_parameters_json(&c->parameters);
    cJSON *item;
    while (params && (item = params->child) != NULL)
        cJSON_AddItemToObject(doc, item->string, cJSON_DetachItemViaPointer(params, item));
    cJSON_Delete(params);
    return doc;
}

int gcd_case_read(const cJSON *doc, gcd_case *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    if (gcd_matrix_read(doc, "X", &out->X, err) || gcd_matrix_read(doc, "Y", &out->Y, err) ||
        gcd_parameters_read(doc, &out->parameters, err)) {
        gcd_case_free(out);
        return -1;
    }
    if (out->Y.rows != 1 || out->Y.cols != out->X.cols || out->parameters.W1.cols != out->X.rows ||
        out->parameters.W3.rows != 1) {
        gcd_case_free(out);
        return hr_fail(err, "X, Y and the parameters do not fit together (X is n0 x m, Y is 1 x m, W1 is n1 x n0, W3 is 1 x n2)");
    }
    return 0;
}

/* ||a - b|| and the notebook's relative difference. */
static double relative_difference(const gc_matrix *a, const gc_matrix *b, double *distance)
{
    gc_matrix d = gc_matrix_copy(a);
    for (size_t i = 0; i < gc_matrix_size(&d); i++)
        d.data[i] = a->data[i] - b->data[i];
    double num = gc_norm(&d), den = gc_norm(a) + gc_norm(b);
    gc_matrix_free(&d);
    *distance = num;
    return den == 0 ? 0.0 : num / den;
}

cJSON *gcd_block_table(const gc_gradients *a, const gc_gradients *b, double rtol, double atol,
                       const char *title)
{
    gc_matrix *sa[6], *sb[6];
    grad_slots((gc_gradients *)a, sa);
    grad_slots((gc_gradients *)b, sb);
    cJSON *table = cJSON_CreateObject();
    cJSON_AddStringToObject(table, "title", title);
    cJSON *rows = cJSON_AddArrayToObject(table, "rows");
    for (int i = 0; i < 6; i++) {
        double distance, rel = relative_difference(sa[i], sb[i], &distance);
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "label", GRAD_KEYS[i]);
        jsonio_add_double(row, "value", rel);
        cJSON_AddBoolToObject(row, "ok", rel <= rtol || distance <= atol);
        cJSON_AddItemToArray(rows, row);
    }
    return table;
}
