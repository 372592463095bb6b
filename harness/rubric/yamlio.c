/*
 * yamlio — see yamlio.h.
 */
#include "yamlio.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyfloat.h"

int yamlio_read_file(const char *path, const char *what, yamlio_reader reader, void *out, hr_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return hr_fail(err, "cannot open %s %s: %s", what, path, strerror(errno));
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    int rc;
    if (!yaml_parser_load(&parser, &doc)) {
        /* libyaml notices a missing '}' or quote where the text runs out; the
         * construct it was reading (the context) starts where the mistake is */
        unsigned long line = (unsigned long)parser.problem_mark.line + 1;
        unsigned long ctx_line = (unsigned long)parser.context_mark.line + 1;
        char context[160] = "";
        if (parser.context && ctx_line != line)
            snprintf(context, sizeof context, " (%s that starts on line %lu)", parser.context, ctx_line);
        rc = hr_fail(err, "%s:%lu: not valid YAML: %s%s", path, line,
                     parser.problem ? parser.problem : "syntax error", context);
    } else {
        yamlio w = {&doc, path, err};
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        rc = root ? reader(&w, root, out) : hr_fail(err, "%s:1: the %s is empty", path, what);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    fclose(f);
    return rc;
}

int yamlio_fail(yamlio *w, const yaml_node_t *n, const char *fmt, ...)
{
    char what[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return hr_fail(w->err, "%s:%lu: %s", w->path, n ? (unsigned long)n->start_mark.line + 1 : 0UL,
                   what);
}

int yamlio_line(const yaml_node_t *n)
{
    return (int)n->start_mark.line + 1;
}

const char *yamlio_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

bool yamlio_is_plain(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* Checks that every key of a mapping is a known one, and none repeats. */
int yamlio_check_keys(yamlio *w, const yaml_node_t *map, const char *where, const char *const *known)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return yamlio_fail(w, map, "%s must be a mapping (key: value lines)", where);
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
        const char *key = yamlio_scalar(k);
        if (!key)
            return yamlio_fail(w, k, "%s: keys must be plain words", where);
        bool ok = false;
        for (const char *const *q = known; *q; q++)
            ok = ok || !strcmp(*q, key);
        if (!ok) {
            char list[512] = "";
            for (const char *const *q = known; *q; q++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                         q == known ? "" : ", ", *q);
            return yamlio_fail(w, k, "%s: unknown key '%s' (known: %s)", where, key, list);
        }
        for (yaml_node_pair_t *o = map->data.mapping.pairs.start; o < p; o++)
            if (!strcmp(yamlio_scalar(yaml_document_get_node(w->doc, o->key)), key))
                return yamlio_fail(w, k, "%s: key '%s' appears twice", where, key);
    }
    return 0;
}

yaml_node_t *yamlio_get(yamlio *w, const yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const char *k = yamlio_scalar(yaml_document_get_node(w->doc, p->key));
        if (k && !strcmp(k, key))
            return yaml_document_get_node(w->doc, p->value);
    }
    return NULL;
}

int yamlio_string(yamlio *w, const yaml_node_t *map, const char *key, bool required, char **out)
{
    yaml_node_t *n = yamlio_get(w, map, key);
    if (!n)
        return required ? yamlio_fail(w, map, "missing key '%s'", key) : 0;
    const char *s = yamlio_scalar(n);
    if (!s || !*s)
        return yamlio_fail(w, n, "'%s' must be a non-empty text", key);
    *out = strdup(s);
    return *out ? 0 : hr_fail(w->err, "out of memory");
}

int yamlio_number(yamlio *w, const yaml_node_t *map, const char *key, bool required, double *out)
{
    yaml_node_t *n = yamlio_get(w, map, key);
    if (!n)
        return required ? yamlio_fail(w, map, "missing key '%s'", key) : 0;
    double v;
    if (!yamlio_scalar(n) || !yamlio_is_plain(n) || pyfloat_parse(yamlio_scalar(n), &v) != 0 || !isfinite(v))
        return yamlio_fail(w, n, "'%s' must be a number, not '%s'", key, yamlio_scalar(n) ? yamlio_scalar(n) : "a list");
    *out = v;
    return 0;
}

int yamlio_bool(yamlio *w, const yaml_node_t *map, const char *key, bool *out)
{
    yaml_node_t *n = yamlio_get(w, map, key);
    if (!n)
        return 0;
    const char *s = yamlio_scalar(n);
    if (s && yamlio_is_plain(n) && !strcmp(s, "true"))
        *out = true;
    else if (s && yamlio_is_plain(n) && !strcmp(s, "false"))
        *out = false;
    else
        return yamlio_fail(w, n, "'%s' must be true or false", key);
    return 0;
}

int yamlio_strings(yamlio *w, const yaml_node_t *n, const char *what, char ***out)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return yamlio_fail(w, n, "'%s' must be a list", what);
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    char **list = calloc(count + 1, sizeof *list);
    if (!list)
        return hr_fail(w->err, "out of memory");
    *out = list;
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *item = yaml_document_get_node(w->doc, n->data.sequence.items.start[i]);
        if (!yamlio_scalar(item) || !*yamlio_scalar(item))
            return yamlio_fail(w, item, "'%s' must list plain names", what);
        if (!(list[i] = strdup(yamlio_scalar(item))))
            return hr_fail(w->err, "out of memory");
    }
    return 0;
}
