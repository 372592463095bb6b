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
 */
#include "mistakes.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct {
    yaml_document_t *doc;
    const char *path;
    hr_error *err;
} walker;

static int fail_at(walker *w, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(walker *w, const yaml_node_t *n, const char *fmt, ...)
{
    char what[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return hr_fail(w->err, "%s:%lu: %s", w->path, n ? (unsigned long)n->start_mark.line + 1 : 0UL, what);
}

static yaml_node_t *node(walker *w, int index)
{
    return yaml_document_get_node(w->doc, index);
}

/* The value of key in a mapping, checking the mapping has only known keys. */
static int fields(walker *w, yaml_node_t *map, const char *what, const char *const *keys,
                  yaml_node_t **values)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return fail_at(w, map, "%s must be a mapping", what);
    for (size_t k = 0; keys[k]; k++)
        values[k] = NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *key = node(w, p->key);
        const char *name = key->type == YAML_SCALAR_NODE ? (const char *)key->data.scalar.value : "";
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], name))
            k++;
        if (!keys[k])
            return fail_at(w, key, "%s: unknown key '%s'", what, name);
        if (values[k])
            return fail_at(w, key, "%s: key '%s' appears twice", what, name);
        values[k] = node(w, p->value);
    }
    return 0;
}

static int text(walker *w, yaml_node_t *n, const yaml_node_t *parent, const char *what, char **out)
{
    if (!n)
        return fail_at(w, parent, "missing '%s'", what);
    if (n->type != YAML_SCALAR_NODE || !n->data.scalar.length)
        return fail_at(w, n, "'%s' must be a non-empty text", what);
    *out = strdup((const char *)n->data.scalar.value);
    return *out ? 0 : hr_fail(w->err, "out of memory");
}

static int read_edits(walker *w, yaml_node_t *list, const yaml_node_t *parent, mistake *m)
{
    if (!list || list->type != YAML_SEQUENCE_NODE || list->data.sequence.items.start == list->data.sequence.items.top)
        return fail_at(w, list ? list : parent, "mistake '%s': 'edits' must be a non-empty list", m->id);
    size_t n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
    m->edits = calloc(n, sizeof *m->edits);
    if (!m->edits)
        return hr_fail(w->err, "out of memory");
    static const char *const keys[] = {"find", "replace", NULL};
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *e = node(w, list->data.sequence.items.start[i]), *v[2];
        m->nedits = i + 1;
        if (fields(w, e, "edit", keys, v) || text(w, v[0], e, "find", &m->edits[i].find))
            return -1;
        /* replace may be empty: deleting a line is a mistake too */
        if (!v[1] || v[1]->type != YAML_SCALAR_NODE)
            return fail_at(w, e, "edit: 'replace' must be a text (it may be empty)");
        m->edits[i].replace = strdup((const char *)v[1]->data.scalar.value);
    }
    return 0;
}

static int read_catalogue(walker *w, yaml_node_t *root, mistake_catalogue *c)
{
    static const char *const top[] = {"mistakes", NULL};
    yaml_node_t *v[1];
    if (fields(w, root, "the catalogue", top, v) != 0)
        return -1;
    yaml_node_t *list = v[0];
    if (!list || list->type != YAML_SEQUENCE_NODE)
        return fail_at(w, list ? list : root, "'mistakes' must be a list");
    size_t n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
    c->items = calloc(n ? n : 1, sizeof *c->items);
    if (!c->items)
        return hr_fail(w->err, "out of memory");
    static const char *const keys[] = {"id", "function", "hint", "edits", NULL};
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *e = node(w, list->data.sequence.items.start[i]), *f[4];
        mistake *m = &c->items[i];
        c->count = i + 1;
        m->line = (int)e->start_mark.line + 1;
        if (fields(w, e, "mistake", keys, f) || text(w, f[0], e, "id", &m->id) ||
            text(w, f[1], e, "function", &m->function) || text(w, f[2], e, "hint", &m->hint) ||
            read_edits(w, f[3], e, m))
            return -1;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(c->items[j].id, m->id))
                return fail_at(w, e, "two mistakes have the id '%s'", m->id);
    }
    return 0;
}

int mistakes_load(const char *path, mistake_catalogue *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return hr_fail(err, "cannot open the mistake catalogue %s: %s", path, strerror(errno));
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    int rc;
    if (!yaml_parser_load(&parser, &doc)) {
        rc = hr_fail(err, "%s:%lu: not valid YAML: %s", path, (unsigned long)parser.problem_mark.line + 1,
                     parser.problem ? parser.problem : "syntax error");
    } else {
        walker w = {&doc, path, err};
        out->path = strdup(path);
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        rc = root ? read_catalogue(&w, root, out) : hr_fail(err, "%s: the file is empty", path);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    fclose(f);
    if (rc != 0)
        mistakes_free(out);
    return rc;
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
        free(m->id);
        free(m->function);
        free(m->hint);
    }
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
