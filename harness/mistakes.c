/*
 * mistakes — see mistakes.h. YAML shape:
 *
 *   mistakes:
 *     - id: gradapprox_over_epsilon
 *       function: gradient_check_n
 *       hint: "your difference is what you get when ..."
 *       edits:
 *         - find: "... / (2 * epsilon);"
 *           replace: "... / epsilon;"
 *       loses: true                 (or [gradient_check_n, ...]; optional)
 *
 * and the legitimate variants, "variants:" with "why:" instead of "hint:".
 */
#include "mistakes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yamlio.h"

static yaml_node_t *item(yamlio *y, const yaml_node_t *list, size_t i)
{
    return yaml_document_get_node(y->doc, list->data.sequence.items.start[i]);
}

static size_t length(const yaml_node_t *list)
{
    return (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
}

static int read_edits(yamlio *y, const yaml_node_t *parent, mistake *m)
{
    yaml_node_t *list = yamlio_get(y, parent, "edits");
    if (!list || list->type != YAML_SEQUENCE_NODE || length(list) == 0)
        return yamlio_fail(y, list ? list : parent, "mistake '%s': 'edits' must be a non-empty list", m->id);
    m->edits = calloc(length(list), sizeof *m->edits);
    if (!m->edits)
        return hr_fail(y->err, "out of memory");
    static const char *const keys[] = {"find", "replace", NULL};
    for (size_t i = 0; i < length(list); i++) {
        yaml_node_t *e = item(y, list, i);
        m->nedits = i + 1;
        if (yamlio_check_keys(y, e, "edit", keys) || yamlio_string(y, e, "find", true, &m->edits[i].find))
            return -1;
        /* replace may be empty: deleting a line is a mistake too */
        const char *with = yamlio_scalar(yamlio_get(y, e, "replace"));
        if (!with)
            return yamlio_fail(y, e, "edit: 'replace' must be a text (it may be empty)");
        if (!(m->edits[i].replace = strdup(with)))
            return hr_fail(y->err, "out of memory");
    }
    return 0;
}

/* 'loses': true (the exercise of the mistake's function) or a list of exercise ids. */
static int read_loses(yamlio *y, const yaml_node_t *e, mistake *m)
{
    yaml_node_t *n = yamlio_get(y, e, "loses");
    if (!n)
        return 0;
    const char *s = yamlio_scalar(n);
    size_t count = s ? 1 : n->type == YAML_SEQUENCE_NODE ? length(n) : 0;
    if (s ? strcmp(s, "true") != 0 : count == 0)
        return yamlio_fail(y, n, "mistake '%s': 'loses' is true or a list of exercise ids", m->id);
    if (!(m->loses = calloc(count + 1, sizeof *m->loses)))
        return hr_fail(y->err, "out of memory");
    for (size_t i = 0; i < count; i++) {
        const char *id = s ? m->function : yamlio_scalar(item(y, n, i));
        if (!id || !*id)
            return yamlio_fail(y, n, "mistake '%s': 'loses' lists exercise ids", m->id);
        if (!(m->loses[i] = strdup(id)))
            return hr_fail(y->err, "out of memory");
    }
    return 0;
}

/* symptoms: [{value, functions: [...], hint}] */
static int read_symptoms(yamlio *y, yaml_node_t *root, mistake_catalogue *c)
{
    yaml_node_t *list = yamlio_get(y, root, "symptoms");
    if (!list)
        return 0;
    if (list->type != YAML_SEQUENCE_NODE)
        return yamlio_fail(y, list, "'symptoms' must be a list");
    if (!(c->symptoms = calloc(length(list) + 1, sizeof *c->symptoms)))
        return hr_fail(y->err, "out of memory");
    static const char *const keys[] = {"value", "functions", "hint", NULL};
    for (size_t i = 0; i < length(list); i++) {
        yaml_node_t *e = item(y, list, i), *fns;
        symptom *s = &c->symptoms[i];
        c->nsymptoms = i + 1;
        s->line = yamlio_line(e);
        if (yamlio_check_keys(y, e, "symptom", keys) || yamlio_number(y, e, "value", true, &s->value) ||
            yamlio_string(y, e, "hint", true, &s->hint))
            return -1;
        fns = yamlio_get(y, e, "functions");
        if (!fns || fns->type != YAML_SEQUENCE_NODE || length(fns) == 0)
            return yamlio_fail(y, fns ? fns : e, "symptom: 'functions' must be a non-empty list");
        if (!(s->functions = calloc(length(fns) + 1, sizeof *s->functions)))
            return hr_fail(y->err, "out of memory");
        for (size_t k = 0; k < length(fns); k++) {
            const char *f = yamlio_scalar(item(y, fns, k));
            if (!f || !*f || !(s->functions[k] = strdup(f)))
                return yamlio_fail(y, fns, "symptom: 'functions' lists function names");
        }
    }
    return 0;
}

static int read_catalogue(yamlio *y, yaml_node_t *root, void *out)
{
    mistake_catalogue *c = out;
    const char *kind = c->variants ? "variants" : "mistakes", *text = c->variants ? "why" : "hint";
    const char *const top[] = {kind, c->variants ? NULL : "symptoms", NULL};
    if (yamlio_check_keys(y, root, "the catalogue", top) != 0 || (!c->variants && read_symptoms(y, root, c)))
        return -1;
    yaml_node_t *list = yamlio_get(y, root, kind);
    if (!list || list->type != YAML_SEQUENCE_NODE)
        return yamlio_fail(y, list ? list : root, "'%s' must be a list", kind);
    c->items = calloc(length(list) + 1, sizeof *c->items);
    if (!c->items)
        return hr_fail(y->err, "out of memory");
    static const char *const mistake_keys[] = {"id", "function", "hint", "edits", "loses", NULL};
    static const char *const variant_keys[] = {"id", "function", "why", "edits", NULL};
    for (size_t i = 0; i < length(list); i++) {
        yaml_node_t *e = item(y, list, i);
        mistake *m = &c->items[i];
        c->count = i + 1;
        m->line = yamlio_line(e);
        if (yamlio_check_keys(y, e, c->variants ? "variant" : "mistake",
                              c->variants ? variant_keys : mistake_keys) ||
            yamlio_string(y, e, "id", true, &m->id) ||
            yamlio_string(y, e, "function", true, &m->function) ||
            yamlio_string(y, e, text, true, &m->hint) || read_edits(y, e, m) ||
            (!c->variants && read_loses(y, e, m)))
            return -1;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(c->items[j].id, m->id))
                return yamlio_fail(y, e, "two %s have the id '%s'", kind, m->id);
    }
    return 0;
}

static int load(const char *path, bool variants, mistake_catalogue *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    out->path = strdup(path);
    out->variants = variants;
    int rc = yamlio_read_file(path, variants ? "variant catalogue" : "mistake catalogue", read_catalogue,
                              out, err);
    if (rc != 0)
        mistakes_free(out);
    return rc;
}

int mistakes_load(const char *path, mistake_catalogue *out, hr_error *err)
{
    return load(path, false, out, err);
}

int variants_load(const char *path, mistake_catalogue *out, hr_error *err)
{
    return load(path, true, out, err);
}

void mistakes_free(mistake_catalogue *c)
{
    for (size_t i = 0; i < c->count; i++) {
        mistake *m = &c->items[i];
        for (size_t j = 0; j < m->nedits; j++) {
            free(m->edits[j].find);
            free(m->edits[j].replace);
        }
        free(m->edits);
        for (char **l = m->loses; l && *l; l++)
            free(*l);
        free(m->loses);
        free(m->id);
        free(m->function);
        free(m->hint);
    }
    for (size_t i = 0; i < c->nsymptoms; i++) {
        for (char **f = c->symptoms[i].functions; f && *f; f++)
            free(*f);
        free(c->symptoms[i].functions);
        free(c->symptoms[i].hint);
    }
    free(c->symptoms);
    free(c->items);
    free(c->path);
    memset(c, 0, sizeof *c);
}

/* Replaces every occurrence; returns the new text (or NULL) and the count. */
static char *replace_all(const char *text, const char *find, const char *with, int *count)
{
    size_t fl = strlen(find), wl = strlen(with), n = 0;
    for (const char *p = text; (p = strstr(p, find)) != NULL; p += fl)
        n++;
    *count = (int)n;
    size_t len = strlen(text) - n * fl + n * wl;
    char *out = malloc(len + 1), *o = out;
    if (!out)
        return NULL;
    const char *p = text, *at;
    while ((at = strstr(p, find)) != NULL) {
        memcpy(o, p, (size_t)(at - p));
        o += at - p;
        memcpy(o, with, wl);
        o += wl;
        p = at + fl;
    }
    strcpy(o, p);
    return out;
}

char *mistakes_apply(const mistake *m, const char *source, hr_error *err)
{
    char *text = strdup(source);
    for (size_t i = 0; text && i < m->nedits; i++) {
        int count;
        char *next = replace_all(text, m->edits[i].find, m->edits[i].replace, &count);
        free(text);
        text = next;
        /* exactly once: an edit that also matched elsewhere would plant the
         * mistake in another function than the one the catalogue names */
        if (text && count != 1) {
            hr_fail(err, "mistake '%s' (line %d): edit %zu matches the reference %s: \"%s\"", m->id,
                    m->line, i + 1, count ? "more than once (add context to it)" : "nowhere",
                    m->edits[i].find);
            free(text);
            return NULL;
        }
    }
    if (!text)
        hr_fail(err, "out of memory");
    return text;
}
