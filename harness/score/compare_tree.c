/* compare_tree — see compare_tree.h. */
#include "compare_tree.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"

bool ctree_is_structure(const cJSON *v)
{
    return cJSON_IsArray(v) || cJSON_IsObject(v);
}

/* A leaf: a number (1 x 1, scalar) or a list of rows of numbers ([] is 0 x 0;
 * a flat list of numbers reads as one row). 0, or -1 when it is neither. */
static int read_leaf(const cJSON *v, double **data, size_t *rows, size_t *cols, bool *scalar)
{
    double x;
    *data = NULL;
    *scalar = false;
    if (jsonio_get_double(v, &x) == 0) {
        if (!(*data = malloc(sizeof **data)))
            return -1;
        **data = x;
        *rows = *cols = 1;
        *scalar = true;
        return 0;
    }
    if (!cJSON_IsArray(v))
        return -1;
    size_t r = (size_t)cJSON_GetArraySize(v);
    const cJSON *first = cJSON_GetArrayItem(v, 0);
    bool flat = first && !cJSON_IsArray(first);
    size_t c = !first ? 0 : flat ? r : (size_t)cJSON_GetArraySize(first);
    if (flat)
        r = 1;
    *rows = r;
    *cols = c;
    if (r * c == 0)
        return 0;
    double *d = malloc(r * c * sizeof *d);
    if (!d)
        return -1;
    size_t i = 0;
    const cJSON *row, *item;
    for (row = flat ? v : first; row; row = flat ? NULL : row->next) {
        if (!cJSON_IsArray(row) || (size_t)cJSON_GetArraySize(row) != c)
            goto bad;
        cJSON_ArrayForEach(item, row)
            if (jsonio_get_double(item, &d[i++]) != 0)
                goto bad;
    }
    *data = d;
    return 0;
bad:
    free(d);
    return -1;
}

static void join(char *out, size_t len, const char *path, const char *name)
{
    snprintf(out, len, "%s%s%s", path, *path ? "." : "", name);
}

static void walk(const cJSON *got, const cJSON *exp, const char *path, cmp_tally *t)
{
    const char *name = *path ? path : "return value";
    if (cJSON_IsObject(exp)) {
        if (!cJSON_IsObject(got)) {
            cmp_problem(t, name, "not a group of named members");
            return;
        }
        const cJSON *m;
        char sub[256];
        cJSON_ArrayForEach(m, exp) {
            join(sub, sizeof sub, path, m->string);
            const cJSON *g = jsonio_get(got, m->string);
            if (!g)
                cmp_problem(t, sub, "missing");
            else
                walk(g, m, sub, t);
        }
        cJSON_ArrayForEach(m, got)
            if (!jsonio_get(exp, m->string)) {
                join(sub, sizeof sub, path, m->string);
                cmp_problem(t, sub, "not expected here");
            }
        return;
    }
    double *gd = NULL, *ed = NULL;
    size_t gr, gc, er, ec;
    bool gs, es;
    if (read_leaf(exp, &ed, &er, &ec, &es) != 0)
        cmp_problem(t, name, "the expected value is not a number or a matrix (grader fault)");
    else if (read_leaf(got, &gd, &gr, &gc, &gs) != 0)
        cmp_problem(t, name, es ? "not a number" : "not a matrix");
    else if (es && !gs)
        cmp_problem(t, name, "a matrix, expected a number");
    else
        cmp_matrix(t, name, es, gd, gr, gc, ed, er, ec);
    free(gd);
    free(ed);
}

/* The member at a dotted path, or NULL. */
static const cJSON *member(const cJSON *v, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *part = strtok(buf, "."); v && part; part = strtok(NULL, "."))
        v = cJSON_IsObject(v) ? jsonio_get(v, part) : NULL;
    return v;
}

void ctree_compare(const cJSON *got, const cJSON *expected, char *const *keys, cmp_tally *t)
{
    if (!keys || !*keys) {
        walk(got, expected, "", t);
        return;
    }
    for (; *keys; keys++) {
        const cJSON *e = member(expected, *keys), *g = member(got, *keys);
        if (!e)
            cmp_problem(t, *keys, "not in the expected value (grader fault: check the rubric's keys)");
        else if (!g)
            cmp_problem(t, *keys, "missing");
        else
            walk(g, e, *keys, t);
    }
}

static bool same_number(double a, double b, double rtol)
{
    if (a == b || (isnan(a) && isnan(b)))
        return true;
    return rtol > 0 && cmp_isclose(a, b, rtol, 0.0);
}

bool ctree_same(const cJSON *a, const cJSON *b, double rtol)
{
    if (rtol <= 0)
        return jsonio_equal(a, b);
    double x, y;
    bool na = jsonio_get_double(a, &x) == 0, nb = jsonio_get_double(b, &y) == 0;
    if (na || nb)
        return na && nb && same_number(x, y, rtol);
    if (cJSON_IsObject(a) != cJSON_IsObject(b) || cJSON_IsArray(a) != cJSON_IsArray(b) ||
        !ctree_is_structure(a) || cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
        return jsonio_equal(a, b);
    const cJSON *m;
    if (cJSON_IsObject(a)) {
        cJSON_ArrayForEach(m, a) {
            const cJSON *o = jsonio_get(b, m->string);
            if (!o || !ctree_same(m, o, rtol))
                return false;
        }
        return true;
    }
    const cJSON *o = b->child;
    cJSON_ArrayForEach(m, a) {
        if (!ctree_same(m, o, rtol))
            return false;
        o = o->next;
    }
    return true;
}
