/* jsonio — see jsonio.h. */
#include "jsonio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "safetext.h"
#include "pyfloat.h"

/* Largest JSON document the harness reads: packs with hidden cases are a few
 * hundred KiB; anything far larger is not ours. */
#define JSONIO_MAX_FILE (64u << 20)

cJSON *jsonio_double(double v)
{
    char text[PYFLOAT_MAX];
    pyfloat_repr(v, text);
    if (!isfinite(v))
        return cJSON_CreateString(text);
    return cJSON_CreateRaw(text);
}

cJSON *jsonio_add_double(cJSON *obj, const char *key, double v)
{
    cJSON *item = jsonio_double(v);
    if (item && !cJSON_AddItemToObject(obj, key, item)) {
        cJSON_Delete(item);
        return NULL;
    }
    return item;
}

int jsonio_get_double(const cJSON *item, double *out)
{
    if (cJSON_IsNumber(item)) {
        *out = item->valuedouble;
        return 0;
    }
    if (cJSON_IsRaw(item))
        return pyfloat_parse(item->valuestring, out);
    if (cJSON_IsString(item)) {
        const char *s = item->valuestring;
        if (!strcmp(s, "nan") || !strcmp(s, "inf") || !strcmp(s, "-inf"))
            return pyfloat_parse(s, out);
    }
    return -1;
}

cJSON *jsonio_exact(cJSON *item)
{
    for (cJSON *c = item ? item->child : NULL; c; c = c->next)
        jsonio_exact(c);
    if (cJSON_IsNumber(item)) {
        char text[PYFLOAT_MAX];
        pyfloat_repr(item->valuedouble, text);
        char *raw = strdup(text);
        if (raw) {
            item->type = cJSON_Raw | (item->type & cJSON_StringIsConst);
            item->valuestring = raw;
        }
    }
    return item;
}

cJSON *jsonio_matrix(const double *data, size_t rows, size_t cols)
{
    cJSON *m = cJSON_CreateArray();
    for (size_t i = 0; m && i < rows; i++) {
        cJSON *row = cJSON_CreateArray();
        if (!row || !cJSON_AddItemToArray(m, row)) {
            cJSON_Delete(row);
            cJSON_Delete(m);
            return NULL;
        }
        for (size_t j = 0; j < cols; j++) {
            cJSON *x = jsonio_double(data[i * cols + j]);
            if (!x || !cJSON_AddItemToArray(row, x)) {
                cJSON_Delete(x);
                cJSON_Delete(m);
                return NULL;
            }
        }
    }
    return m;
}

static int read_row(const cJSON *row, double *dst, size_t cols, size_t r, hr_error *err)
{
    size_t j = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, row) {
        if (j >= cols || jsonio_get_double(x, &dst[j]) != 0)
            return hr_fail(err, "row %zu: expected %zu numbers", r, cols);
        j++;
    }
    return j == cols ? 0 : hr_fail(err, "row %zu: expected %zu numbers, found %zu", r, cols, j);
}

int jsonio_get_matrix(const cJSON *item, bool allow_flat, double **data, size_t *rows,
                      size_t *cols, hr_error *err)
{
    if (!cJSON_IsArray(item))
        return hr_fail(err, "expected a list of rows");
    size_t r = (size_t)cJSON_GetArraySize(item);
    const cJSON *first = cJSON_GetArrayItem(item, 0);
    bool flat = first && !cJSON_IsArray(first);
    if (flat && !allow_flat)
        return hr_fail(err, "expected a list of rows (a list of lists of numbers)");
    size_t c = flat ? r : (first ? (size_t)cJSON_GetArraySize(first) : 0);
    if (flat)
        r = 1;
    if (r == 0 || c == 0)
        return hr_fail(err, "a matrix needs at least one row and one column");
    double *d = malloc(r * c * sizeof *d);
    if (!d)
        return hr_fail(err, "out of memory");
    int rc = 0;
    if (flat) {
        rc = read_row(item, d, c, 0, err);
    } else {
        size_t i = 0;
        const cJSON *row;
        cJSON_ArrayForEach(row, item) {
            if (!cJSON_IsArray(row)) {
                rc = hr_fail(err, "row %zu is not a list", i);
                break;
            }
            if ((rc = read_row(row, d + i * c, c, i, err)) != 0)
                break;
            i++;
        }
    }
    if (rc != 0) {
        free(d);
        return -1;
    }
    *data = d;
    *rows = r;
    *cols = c;
    return 0;
}

const cJSON *jsonio_get(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

cJSON *jsonio_parse(const char *text, size_t len, const char *what, hr_error *err)
{
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    /* one document and nothing after it: a second document or junk left by a
     * bad edit must not be ignored */
    while (doc && end && end < text + len && strchr(" \t\r\n", *end) && *end)
        end++;
    bool trailing = doc && end && end < text + len;
    if (!doc || trailing) {
        size_t at = end && end >= text ? (size_t)(end - text) : 0;
        size_t line = 1;
        for (size_t i = 0; i < at && i < len; i++)
            line += text[i] == '\n';
        hr_fail(err, "%s: not valid JSON (%s line %zu, byte %zu)", what,
                trailing ? "text after the document on" : "near", line, at);
        cJSON_Delete(doc);
        doc = NULL;
    }
    return doc;
}

cJSON *jsonio_read_file(const char *path, hr_error *err)
{
    size_t len;
    char *text = fs_slurp(path, JSONIO_MAX_FILE, &len, err);
    if (!text)
        return NULL;
    cJSON *doc = jsonio_parse(text, len, path, err);
    free(text);
    return doc;
}

/* The text of doc, every string of it safe text (safetext.h): whatever a
 * submission did, a document the grader writes is valid UTF-8. The strings
 * were made safe where they entered; this is the last guard. */
static char *print_safe(const cJSON *doc)
{
    if (safetext_json_is_safe(doc))
        return cJSON_Print(doc);
    cJSON *copy = cJSON_Duplicate(doc, 1);
    char *text = copy && safetext_json(copy) ? cJSON_Print(copy) : NULL;
    cJSON_Delete(copy);
    return text;
}

int jsonio_write_file(const char *path, const cJSON *doc, hr_error *err)
{
    char *text = print_safe(doc);
    if (!text)
        return hr_fail(err, "out of memory printing %s", path);
    size_t n = strlen(text);
    text[n] = '\n';   /* cJSON_Print's buffer ends in NUL: swap it for a newline */
    int rc = fs_write_atomic(path, text, n + 1, err);
    cJSON_free(text);
    return rc;
}

int jsonio_print(FILE *out, const cJSON *doc)
{
    char *text = print_safe(doc);
    if (!text)
        return -1;
    int rc = fputs(text, out) < 0 || fputc('\n', out) == EOF ? -1 : 0;
    cJSON_free(text);
    return rc;
}

bool jsonio_equal(const cJSON *a, const cJSON *b)
{
    double x, y;
    bool na = jsonio_get_double(a, &x) == 0, nb = jsonio_get_double(b, &y) == 0;
    if (na || nb)
        return na && nb && (x == y || (isnan(x) && isnan(y)));
    if (!a || !b)
        return a == b;
    bool obj = cJSON_IsObject(a), arr = cJSON_IsArray(a);
    if (obj != cJSON_IsObject(b) || arr != cJSON_IsArray(b))
        return false;
    if (!obj && !arr)
        return cJSON_Compare(a, b, true);
    if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
        return false;
    const cJSON *m, *o = b->child;
    cJSON_ArrayForEach(m, a) {
        if (!jsonio_equal(m, obj ? jsonio_get(b, m->string) : o))
            return false;
        o = o ? o->next : NULL;
    }
    return true;
}
