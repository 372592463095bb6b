/*
 * rubric — see rubric.h.
 *
 * libyaml loads the file as a node graph (yaml_parser_load); this file walks it
 * with a handful of typed getters that all know their node's line, so that an
 * error can always say where it is. Scalars keep YAML 1.2's plain meanings:
 * true/false, null, numbers (1e-7 included, which YAML 1.1 would leave a
 * string); a quoted scalar is always a string.
 */
#include "rubric.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "jsonio.h"
#include "pyfloat.h"

/* Defaults when the rubric sets no limits: generous for a numeric exercise,
 * small enough that a runaway test costs seconds, not minutes. */
static const rubric_limits DEFAULT_LIMITS = {2.0, 1.0, 512, 256};

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
    return hr_fail(w->err, "%s:%lu: %s", w->path, n ? (unsigned long)n->start_mark.line + 1 : 0UL,
                   what);
}

static int line_of(const yaml_node_t *n)
{
    return (int)n->start_mark.line + 1;
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static bool is_plain(const yaml_node_t *n)
{
    return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* Checks that every key of a mapping is a known one, and none repeats. */
static int check_keys(walker *w, const yaml_node_t *map, const char *where,
                      const char *const *known)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return fail_at(w, map, "%s must be a mapping (key: value lines)", where);
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
        const char *key = scalar(k);
        if (!key)
            return fail_at(w, k, "%s: keys must be plain words", where);
        bool ok = false;
        for (const char *const *q = known; *q; q++)
            ok = ok || !strcmp(*q, key);
        if (!ok) {
            char list[512] = "";
            for (const char *const *q = known; *q; q++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                         q == known ? "" : ", ", *q);
            return fail_at(w, k, "%s: unknown key '%s' (known: %s)", where, key, list);
        }
        for (yaml_node_pair_t *o = map->data.mapping.pairs.start; o < p; o++)
            if (!strcmp(scalar(yaml_document_get_node(w->doc, o->key)), key))
                return fail_at(w, k, "%s: key '%s' appears twice", where, key);
    }
    return 0;
}

static yaml_node_t *get(walker *w, const yaml_node_t *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        const char *k = scalar(yaml_document_get_node(w->doc, p->key));
        if (k && !strcmp(k, key))
            return yaml_document_get_node(w->doc, p->value);
    }
    return NULL;
}

static int get_string(walker *w, const yaml_node_t *map, const char *key, bool required,
                      char **out)
{
    yaml_node_t *n = get(w, map, key);
    if (!n)
        return required ? fail_at(w, map, "missing key '%s'", key) : 0;
    const char *s = scalar(n);
    if (!s || !*s)
        return fail_at(w, n, "'%s' must be a non-empty text", key);
    *out = strdup(s);
    return *out ? 0 : hr_fail(w->err, "out of memory");
}

static int get_number(walker *w, const yaml_node_t *map, const char *key, bool required,
                      double *out)
{
    yaml_node_t *n = get(w, map, key);
    if (!n)
        return required ? fail_at(w, map, "missing key '%s'", key) : 0;
    double v;
    if (!scalar(n) || !is_plain(n) || pyfloat_parse(scalar(n), &v) != 0 || !isfinite(v))
        return fail_at(w, n, "'%s' must be a number, not '%s'", key, scalar(n) ? scalar(n) : "a list");
    *out = v;
    return 0;
}

static int get_bool(walker *w, const yaml_node_t *map, const char *key, bool *out)
{
    yaml_node_t *n = get(w, map, key);
    if (!n)
        return 0;
    const char *s = scalar(n);
    if (s && is_plain(n) && !strcmp(s, "true"))
        *out = true;
    else if (s && is_plain(n) && !strcmp(s, "false"))
        *out = false;
    else
        return fail_at(w, n, "'%s' must be true or false", key);
    return 0;
}

/* ---- YAML inputs as JSON ------------------------------------------------- */

static cJSON *to_json(walker *w, const yaml_node_t *n, int depth)
{
    if (depth > 32) {
        fail_at(w, n, "inputs nest too deeply");
        return NULL;
    }
    if (n->type == YAML_SCALAR_NODE) {
        const char *s = scalar(n);
        double v;
        if (!is_plain(n))
            return cJSON_CreateString(s);
        if (!strcmp(s, "true") || !strcmp(s, "false"))
            return cJSON_CreateBool(!strcmp(s, "true"));
        if (!strcmp(s, "null") || !strcmp(s, "~") || !*s)
            return cJSON_CreateNull();
        if (pyfloat_parse(s, &v) == 0 && isfinite(v))
            return jsonio_double(v);
        return cJSON_CreateString(s);
    }
    cJSON *out = n->type == YAML_SEQUENCE_NODE ? cJSON_CreateArray() : cJSON_CreateObject();
    if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *i = n->data.sequence.items.start; out && i < n->data.sequence.items.top; i++) {
            cJSON *c = to_json(w, yaml_document_get_node(w->doc, *i), depth + 1);
            if (!c) {
                cJSON_Delete(out);
                return NULL;
            }
            cJSON_AddItemToArray(out, c);
        }
        return out;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; out && p < n->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
        if (!scalar(k)) {
            fail_at(w, k, "input names must be plain words");
            cJSON_Delete(out);
            return NULL;
        }
        if (jsonio_get(out, scalar(k))) {
            fail_at(w, k, "input '%s' appears twice", scalar(k));
            cJSON_Delete(out);
            return NULL;
        }
        cJSON *c = to_json(w, yaml_document_get_node(w->doc, p->value), depth + 1);
        if (!c) {
            cJSON_Delete(out);
            return NULL;
        }
        cJSON_AddItemToObject(out, scalar(k), c);
    }
    return out;
}

/* ---- pieces of the rubric ---------------------------------------------- */

static int read_limits(walker *w, const yaml_node_t *parent, const rubric_limits *base,
                       rubric_limits *out)
{
    static const char *const keys[] = {"time_s", "cpu_s", "memory_mb", "output_kb", NULL};
    *out = *base;
    yaml_node_t *n = get(w, parent, "limits");
    if (!n)
        return 0;
    if (check_keys(w, n, "limits", keys) != 0)
        return -1;
    double mem = (double)out->memory_mb, outkb = (double)out->output_kb;
    if (get_number(w, n, "time_s", false, &out->time_s) || get_number(w, n, "cpu_s", false, &out->cpu_s) ||
        get_number(w, n, "memory_mb", false, &mem) || get_number(w, n, "output_kb", false, &outkb))
        return -1;
    if (out->time_s <= 0 || out->time_s > 600 || out->cpu_s <= 0 || out->cpu_s > 600)
        return fail_at(w, n, "time limits must be between 0 and 600 seconds");
    if (mem < 16 || mem > 65536 || outkb < 1 || outkb > 1048576)
        return fail_at(w, n, "memory_mb must be 16..65536 and output_kb 1..1048576");
    out->memory_mb = (long)mem;
    out->output_kb = (long)outkb;
    return 0;
}

static int read_compare(walker *w, const yaml_node_t *test, rubric_compare *c)
{
    yaml_node_t *n = get(w, test, "compare");
    if (!n)
        return fail_at(w, test, "missing key 'compare' (exact, verdict, tolerance: {rtol, atol} or blocks: {threshold})");
    memset(c, 0, sizeof *c);
    const char *s = scalar(n);
    if (s) {
        if (!strcmp(s, "exact"))
            c->kind = RUBRIC_EXACT;
        else if (!strcmp(s, "verdict"))
            c->kind = RUBRIC_VERDICT;
        else
            return fail_at(w, n, "unknown comparison '%s' (exact, verdict, or tolerance: {rtol, atol})", s);
        return 0;
    }
    static const char *const kinds[] = {"tolerance", "verdict", "blocks", NULL};
    if (check_keys(w, n, "compare", kinds) != 0)
        return -1;
    if (n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1)
        return fail_at(w, n, "compare takes one kind");
    yaml_node_t *tol = get(w, n, "tolerance");
    if (tol) {
        static const char *const keys[] = {"rtol", "atol", NULL};
        c->kind = RUBRIC_TOLERANCE;
        if (check_keys(w, tol, "tolerance", keys) || get_number(w, tol, "rtol", false, &c->rtol) ||
            get_number(w, tol, "atol", false, &c->atol))
            return -1;
        if (c->rtol < 0 || c->atol < 0 || (c->rtol == 0 && c->atol == 0))
            return fail_at(w, tol, "tolerance needs rtol or atol above 0 (use 'exact' for none)");
        return 0;
    }
    yaml_node_t *blocks = get(w, n, "blocks");
    if (blocks) {
        static const char *const keys[] = {"threshold", "atol", NULL};
        c->kind = RUBRIC_BLOCKS;
        if (check_keys(w, blocks, "blocks", keys) || get_number(w, blocks, "threshold", true, &c->threshold) ||
            get_number(w, blocks, "atol", false, &c->atol))
            return -1;
        return c->threshold > 0 ? 0 : fail_at(w, blocks, "blocks: threshold must be above 0");
    }
    static const char *const vkeys[] = {"message", NULL};
    yaml_node_t *v = get(w, n, "verdict");
    c->kind = RUBRIC_VERDICT;
    if (v && scalar(v) && !*scalar(v))
        return 0;
    return check_keys(w, v, "verdict", vkeys) || get_bool(w, v, "message", &c->check_message);
}

static int read_visibility(walker *w, const yaml_node_t *test, rubric_visibility *vis)
{
    yaml_node_t *n = get(w, test, "visibility");
    *vis = RUBRIC_VISIBLE;
    if (!n)
        return 0;
    const char *s = scalar(n);
    if (s && !strcmp(s, "visible"))
        *vis = RUBRIC_VISIBLE;
    else if (s && !strcmp(s, "hidden"))
        *vis = RUBRIC_HIDDEN;
    else if (s && !strcmp(s, "after_due_date"))
        *vis = RUBRIC_AFTER_DUE_DATE;
    else
        return fail_at(w, n, "visibility must be visible, hidden or after_due_date");
    return 0;
}

static int read_test(walker *w, const yaml_node_t *n, const rubric_exercise *ex,
                     const rubric_limits *base, rubric_test *t)
{
    static const char *const keys[] = {"name", "function", "inputs", "compare", "points",
                                       "visibility", "limits", NULL};
    t->line = line_of(n);
    if (check_keys(w, n, "test", keys) || get_string(w, n, "name", true, &t->name) ||
        get_string(w, n, "function", false, &t->function) ||
        get_number(w, n, "points", true, &t->points) || read_compare(w, n, &t->compare) ||
        read_visibility(w, n, &t->visibility) || read_limits(w, n, base, &t->limits))
        return -1;
    yaml_node_t *fn = get(w, n, "function");
    t->function_line = fn ? line_of(fn) : ex->line;
    if (!t->function && !(t->function = strdup(ex->id)))
        return hr_fail(w->err, "out of memory");
    if (t->points < 0)
        return fail_at(w, get(w, n, "points"), "test '%s': points cannot be negative", t->name);
    yaml_node_t *in = get(w, n, "inputs");
    if (!in || in->type != YAML_MAPPING_NODE)
        return fail_at(w, in ? in : n, "test '%s': 'inputs' must be a mapping", t->name);
    t->inputs_line = line_of(in);
    t->inputs = to_json(w, in, 0);
    return t->inputs ? 0 : -1;
}

/* Points are decimal in the rubric; compare sums with a little slack for 0.1-style steps. */
static bool same_points(double a, double b)
{
    return fabs(a - b) <= 1e-9 * (fabs(a) + fabs(b) + 1);
}

static int read_string_list(walker *w, const yaml_node_t *n, const char *what, char ***out);

static int read_exercise(walker *w, const yaml_node_t *n, const rubric_limits *base,
                         rubric_exercise *ex)
{
    static const char *const keys[] = {"id", "title", "points", "uses", "tests", "limits", NULL};
    ex->line = line_of(n);
    rubric_limits lim;
    if (check_keys(w, n, "exercise", keys) || get_string(w, n, "id", true, &ex->id) ||
        get_string(w, n, "title", false, &ex->title) ||
        get_number(w, n, "points", true, &ex->points) || read_limits(w, n, base, &lim))
        return -1;
    yaml_node_t *uses = get(w, n, "uses");
    if (uses && read_string_list(w, uses, "uses", &ex->uses) != 0)
        return -1;
    yaml_node_t *tests = get(w, n, "tests");
    if (!tests || tests->type != YAML_SEQUENCE_NODE ||
        tests->data.sequence.items.top == tests->data.sequence.items.start)
        return fail_at(w, tests ? tests : n, "exercise '%s': 'tests' must be a non-empty list", ex->id);
    size_t count = (size_t)(tests->data.sequence.items.top - tests->data.sequence.items.start);
    ex->tests = calloc(count, sizeof *ex->tests);
    if (!ex->tests)
        return hr_fail(w->err, "out of memory");
    double sum = 0;
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *tn = yaml_document_get_node(w->doc, tests->data.sequence.items.start[i]);
        ex->ntests = i + 1;
        if (read_test(w, tn, ex, &lim, &ex->tests[i]) != 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(ex->tests[j].name, ex->tests[i].name))
                return fail_at(w, tn, "exercise '%s': two tests are named '%s'", ex->id,
                               ex->tests[i].name);
        sum += ex->tests[i].points;
    }
    if (!same_points(sum, ex->points))
        return fail_at(w, n, "exercise '%s' is worth %g points but its tests add up to %g", ex->id,
                       ex->points, sum);
    return 0;
}

static int read_string_list(walker *w, const yaml_node_t *n, const char *what, char ***out)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return fail_at(w, n, "'%s' must be a list", what);
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    char **list = calloc(count + 1, sizeof *list);
    if (!list)
        return hr_fail(w->err, "out of memory");
    *out = list;
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *item = yaml_document_get_node(w->doc, n->data.sequence.items.start[i]);
        if (!scalar(item) || !*scalar(item))
            return fail_at(w, item, "'%s' must list plain names", what);
        if (!(list[i] = strdup(scalar(item))))
            return hr_fail(w->err, "out of memory");
    }
    return 0;
}

static const rubric_exercise *find_exercise(const rubric *r, const char *id)
{
    for (size_t i = 0; i < r->nexercises; i++)
        if (!strcmp(r->exercises[i].id, id))
            return &r->exercises[i];
    return NULL;
}

static int read_parts(walker *w, const yaml_node_t *root, rubric *r)
{
    yaml_node_t *n = get(w, root, "parts");
    if (!n)
        return 0;
    if (n->type != YAML_MAPPING_NODE)
        return fail_at(w, n, "'parts' must map part ids to a list of exercises or 'all'");
    size_t count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    r->parts = calloc(count, sizeof *r->parts);
    if (!r->parts)
        return hr_fail(w->err, "out of memory");
    for (size_t i = 0; i < count; i++) {
        yaml_node_pair_t *p = &n->data.mapping.pairs.start[i];
        yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(w->doc, p->value);
        rubric_part *part = &r->parts[r->nparts++];
        if (!scalar(k) || !(part->id = strdup(scalar(k))))
            return fail_at(w, k, "part ids must be plain names");
        if (scalar(v) && !strcmp(scalar(v), "all"))
            continue;
        if (read_string_list(w, v, "parts", &part->exercises) != 0)
            return -1;
        for (char **e = part->exercises; *e; e++)
            if (!find_exercise(r, *e))
                return fail_at(w, v, "part '%s': no exercise is called '%s'", part->id, *e);
    }
    return 0;
}

static int read_root(walker *w, const yaml_node_t *root, rubric *r)
{
    static const char *const keys[] = {"assignment", "title", "source", "total", "limits",
                                       "verdict", "provided", "exercises", "parts", NULL};
    if (!root)
        return hr_fail(w->err, "%s:1: the file is empty", w->path);
    if (check_keys(w, root, "the rubric", keys) || get_string(w, root, "assignment", true, &r->assignment) ||
        get_string(w, root, "title", false, &r->title) || get_string(w, root, "source", true, &r->source) ||
        get_number(w, root, "total", true, &r->total) ||
        read_limits(w, root, &DEFAULT_LIMITS, &r->limits))
        return -1;
    if (strchr(r->source, '/') || r->source[0] == '.')
        return fail_at(w, get(w, root, "source"), "'source' must be a plain file name");
    yaml_node_t *v = get(w, root, "verdict");
    if (v) {
        static const char *const vkeys[] = {"threshold", "above", "below", NULL};
        r->has_verdict = true;
        if (check_keys(w, v, "verdict", vkeys) || get_number(w, v, "threshold", true, &r->verdict.threshold) ||
            get_string(w, v, "above", true, &r->verdict.above) ||
            get_string(w, v, "below", true, &r->verdict.below))
            return -1;
    }
    yaml_node_t *prov = get(w, root, "provided");
    if (prov && read_string_list(w, prov, "provided", &r->provided) != 0)
        return -1;
    yaml_node_t *ex = get(w, root, "exercises");
    if (!ex || ex->type != YAML_SEQUENCE_NODE || ex->data.sequence.items.top == ex->data.sequence.items.start)
        return fail_at(w, ex ? ex : root, "'exercises' must be a non-empty list");
    size_t count = (size_t)(ex->data.sequence.items.top - ex->data.sequence.items.start);
    r->exercises = calloc(count, sizeof *r->exercises);
    if (!r->exercises)
        return hr_fail(w->err, "out of memory");
    double sum = 0;
    for (size_t i = 0; i < count; i++) {
        yaml_node_t *en = yaml_document_get_node(w->doc, ex->data.sequence.items.start[i]);
        r->nexercises = i + 1;
        if (read_exercise(w, en, &r->limits, &r->exercises[i]) != 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(r->exercises[j].id, r->exercises[i].id))
                return fail_at(w, en, "two exercises have the id '%s'", r->exercises[i].id);
        for (size_t t = 0; t < r->exercises[i].ntests; t++)
            if (r->exercises[i].tests[t].compare.kind == RUBRIC_VERDICT && !r->has_verdict)
                return hr_fail(w->err, "%s:%d: test '%s' compares a verdict, but the rubric has no 'verdict:' section",
                               w->path, r->exercises[i].tests[t].line, r->exercises[i].tests[t].name);
        sum += r->exercises[i].points;
    }
    if (!same_points(sum, r->total))
        return fail_at(w, get(w, root, "total"), "total is %g but the exercises add up to %g", r->total, sum);
    for (size_t i = 0; i < r->nexercises; i++)
        for (char **u = r->exercises[i].uses; u && *u; u++)
            if (!find_exercise(r, *u) || !strcmp(*u, r->exercises[i].id))
                return fail_at(w, yaml_document_get_node(w->doc, ex->data.sequence.items.start[i]),
                               "exercise '%s' uses '%s', which is not another exercise", r->exercises[i].id, *u);
    return read_parts(w, root, r);
}

int rubric_load(const char *path, rubric *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return hr_fail(err, "cannot open rubric %s: %s", path, strerror(errno));
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
        walker w = {&doc, path, err};
        out->path = strdup(path);
        rc = read_root(&w, yaml_document_get_root_node(&doc), out);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    fclose(f);
    if (rc != 0)
        rubric_free(out);
    return rc;
}

static void free_list(char **list)
{
    for (char **p = list; p && *p; p++)
        free(*p);
    free(list);
}

void rubric_free(rubric *r)
{
    for (size_t i = 0; i < r->nexercises; i++) {
        rubric_exercise *ex = &r->exercises[i];
        for (size_t j = 0; j < ex->ntests; j++) {
            free(ex->tests[j].name);
            free(ex->tests[j].function);
            cJSON_Delete(ex->tests[j].inputs);
        }
        free(ex->tests);
        free_list(ex->uses);
        free(ex->id);
        free(ex->title);
    }
    free(r->exercises);
    for (size_t i = 0; i < r->nparts; i++) {
        free(r->parts[i].id);
        free_list(r->parts[i].exercises);
    }
    free(r->parts);
    free_list(r->provided);
    free(r->path);
    free(r->assignment);
    free(r->title);
    free(r->source);
    free(r->verdict.above);
    free(r->verdict.below);
    memset(r, 0, sizeof *r);
}

const char *rubric_visibility_name(rubric_visibility v)
{
    switch (v) {
    case RUBRIC_HIDDEN: return "hidden";
    case RUBRIC_AFTER_DUE_DATE: return "after_due_date";
    default: return "visible";
    }
}
