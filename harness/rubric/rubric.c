/*
 * rubric — see rubric.h.
 *
 * libyaml loads the file as a node graph (yaml_parser_load); this file walks it
 * with a handful of typed getters that all know their node's line, so that an
 * error can always say where it is. Scalars keep YAML 1.2's plain meanings:
 * true/false, null, numbers (1e-7 included, which YAML 1.1 would leave a
 * string); a quoted yamlio_scalar is always a string.
 */
#include "rubric.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "safetext.h"
#include "jsonio.h"
#include "pyfloat.h"
#include "yamlio.h"

/* Defaults when the rubric sets no limits: generous for a numeric exercise,
 * small enough that a runaway test costs seconds, not minutes. */
static const rubric_limits DEFAULT_LIMITS = {2.0, 1.0, 512, 256};

/* ---- YAML inputs as JSON ------------------------------------------------- */

static cJSON *to_json(yamlio *w, const yaml_node_t *n, int depth)
{
    if (depth > 32) {
        yamlio_fail(w, n, "inputs nest too deeply");
        return NULL;
    }
    if (n->type == YAML_SCALAR_NODE) {
        const char *s = yamlio_scalar(n);
        double v;
        if (!yamlio_is_plain(n))
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
        if (!yamlio_scalar(k)) {
            yamlio_fail(w, k, "input names must be plain words");
            cJSON_Delete(out);
            return NULL;
        }
        if (jsonio_get(out, yamlio_scalar(k))) {
            yamlio_fail(w, k, "input '%s' appears twice", yamlio_scalar(k));
            cJSON_Delete(out);
            return NULL;
        }
        cJSON *c = to_json(w, yaml_document_get_node(w->doc, p->value), depth + 1);
        if (!c) {
            cJSON_Delete(out);
            return NULL;
        }
        cJSON_AddItemToObject(out, yamlio_scalar(k), c);
    }
    return out;
}

/* ---- pieces of the rubric ---------------------------------------------- */

static int read_limits(yamlio *w, const yaml_node_t *parent, const rubric_limits *base,
                       rubric_limits *out)
{
    static const char *const keys[] = {"time_s", "cpu_s", "memory_mb", "output_kb", NULL};
    *out = *base;
    yaml_node_t *n = yamlio_get(w, parent, "limits");
    if (!n)
        return 0;
    if (yamlio_check_keys(w, n, "limits", keys) != 0)
        return -1;
    double mem = (double)out->memory_mb, outkb = (double)out->output_kb;
    if (yamlio_number(w, n, "time_s", false, &out->time_s) || yamlio_number(w, n, "cpu_s", false, &out->cpu_s) ||
        yamlio_number(w, n, "memory_mb", false, &mem) || yamlio_number(w, n, "output_kb", false, &outkb))
        return -1;
    if (out->time_s <= 0 || out->time_s > 600 || out->cpu_s <= 0 || out->cpu_s > 600)
        return yamlio_fail(w, n, "time limits must be between 0 and 600 seconds");
    if (mem < 16 || mem > 65536 || outkb < 1 || outkb > 1048576)
        return yamlio_fail(w, n, "memory_mb must be 16..65536 and output_kb 1..1048576");
    out->memory_mb = (long)mem;
    out->output_kb = (long)outkb;
    return 0;
}

static int read_compare(yamlio *w, const yaml_node_t *test, rubric_compare *c)
{
    yaml_node_t *n = yamlio_get(w, test, "compare");
    if (!n)
        return yamlio_fail(w, test, "missing key 'compare' (exact, verdict, tolerance: {rtol, atol}, allclose: {rtol, atol, keys} or blocks: {threshold})");
    memset(c, 0, sizeof *c);
    const char *s = yamlio_scalar(n);
    if (s) {
        if (!strcmp(s, "exact"))
            c->kind = RUBRIC_EXACT;
        else if (!strcmp(s, "verdict"))
            c->kind = RUBRIC_VERDICT;
        else if (!strcmp(s, "allclose")) {
            c->kind = RUBRIC_ALLCLOSE;   /* np.allclose's defaults */
            c->rtol = 1e-5;
            c->atol = 1e-8;
        } else
            return yamlio_fail(w, n, "unknown comparison '%s' (exact, verdict, allclose, or tolerance: {rtol, atol})", s);
        return 0;
    }
    static const char *const kinds[] = {"tolerance", "verdict", "blocks", "allclose", NULL};
    if (yamlio_check_keys(w, n, "compare", kinds) != 0)
        return -1;
    if (n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1)
        return yamlio_fail(w, n, "compare takes one kind");
    yaml_node_t *tol = yamlio_get(w, n, "tolerance");
    if (tol) {
        static const char *const keys[] = {"rtol", "atol", NULL};
        c->kind = RUBRIC_TOLERANCE;
        c->rtol = 1e-5;   /* np.isclose's defaults for what is left out */
        c->atol = 1e-8;
        if (yamlio_check_keys(w, tol, "tolerance", keys) || yamlio_number(w, tol, "rtol", false, &c->rtol) ||
            yamlio_number(w, tol, "atol", false, &c->atol))
            return -1;
        if (c->rtol < 0 || c->atol < 0 || (c->rtol == 0 && c->atol == 0))
            return yamlio_fail(w, tol, "tolerance needs rtol or atol above 0 (use 'exact' for none)");
        return 0;
    }
    yaml_node_t *ac = yamlio_get(w, n, "allclose");
    if (ac) {
        /* np.allclose's defaults, as the course's tests call it */
        static const char *const keys[] = {"rtol", "atol", "keys", NULL};
        c->kind = RUBRIC_ALLCLOSE;
        c->rtol = 1e-5;
        c->atol = 1e-8;
        if (yamlio_scalar(ac) && !*yamlio_scalar(ac))
            return 0;
        if (yamlio_check_keys(w, ac, "allclose", keys) || yamlio_number(w, ac, "rtol", false, &c->rtol) ||
            yamlio_number(w, ac, "atol", false, &c->atol))
            return -1;
        if (c->rtol < 0 || c->atol < 0 || (c->rtol == 0 && c->atol == 0))
            return yamlio_fail(w, ac, "allclose needs rtol or atol above 0 (use 'exact' for none)");
        yaml_node_t *k = yamlio_get(w, ac, "keys");
        if (k && (yamlio_strings(w, k, "allclose: keys", &c->keys) != 0))
            return -1;
        if (k && !c->keys[0])
            return yamlio_fail(w, k, "allclose: keys lists no member (leave it out to compare them all)");
        return 0;
    }
    yaml_node_t *blocks = yamlio_get(w, n, "blocks");
    if (blocks) {
        static const char *const keys[] = {"threshold", "atol", NULL};
        c->kind = RUBRIC_BLOCKS;
        if (yamlio_check_keys(w, blocks, "blocks", keys) || yamlio_number(w, blocks, "threshold", true, &c->threshold) ||
            yamlio_number(w, blocks, "atol", false, &c->atol))
            return -1;
        return c->threshold > 0 ? 0 : yamlio_fail(w, blocks, "blocks: threshold must be above 0");
    }
    static const char *const vkeys[] = {"message", "silent", NULL};
    yaml_node_t *v = yamlio_get(w, n, "verdict");
    c->kind = RUBRIC_VERDICT;
    if (v && yamlio_scalar(v) && !*yamlio_scalar(v))
        return 0;
    if (yamlio_check_keys(w, v, "verdict", vkeys) || yamlio_bool(w, v, "message", &c->check_message) ||
        yamlio_bool(w, v, "silent", &c->silent))
        return -1;
    if (c->check_message && c->silent)
        return yamlio_fail(w, v, "verdict: 'message' and 'silent' cannot both be true (print the message, or nothing)");
    return 0;
}

static int read_visibility(yamlio *w, const yaml_node_t *test, rubric_visibility *vis)
{
    yaml_node_t *n = yamlio_get(w, test, "visibility");
    *vis = RUBRIC_VISIBLE;
    if (!n)
        return 0;
    const char *s = yamlio_scalar(n);
    if (s && !strcmp(s, "visible"))
        *vis = RUBRIC_VISIBLE;
    else if (s && !strcmp(s, "hidden"))
        *vis = RUBRIC_HIDDEN;
    else if (s && !strcmp(s, "after_due_date"))
        *vis = RUBRIC_AFTER_DUE_DATE;
    else
        return yamlio_fail(w, n, "visibility must be visible, hidden or after_due_date");
    return 0;
}

/* calls: {CALLEE: VARIANT, ...}. Which callees and variants exist is the
 * substitutes' catalogue, checked by the pack builder at calls_line. */
static int read_calls(yamlio *w, const yaml_node_t *n, rubric_test *t)
{
    yaml_node_t *calls = yamlio_get(w, n, "calls");
    if (!calls)
        return 0;
    t->calls_line = yamlio_line(calls);
    if (calls->type != YAML_MAPPING_NODE || calls->data.mapping.pairs.start == calls->data.mapping.pairs.top)
        return yamlio_fail(w, calls, "test '%s': 'calls' must map called functions to implementations, "
                           "e.g. {forward_propagation: reference}", t->name);
    if (!(t->calls = cJSON_CreateObject()))
        return hr_fail(w->err, "out of memory");
    for (yaml_node_pair_t *p = calls->data.mapping.pairs.start; p < calls->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(w->doc, p->key), *v = yaml_document_get_node(w->doc, p->value);
        const char *fn = yamlio_scalar(k), *variant = yamlio_scalar(v);
        if (!safetext_is_identifier(fn, 64))
            return yamlio_fail(w, k, "test '%s': calls: '%s' is not a function name", t->name, fn ? fn : "?");
        if (!safetext_is_identifier(variant, 64))
            return yamlio_fail(w, v, "test '%s': calls: %s must name one implementation (own, reference or "
                               "a variant of the catalogue)", t->name, fn);
        if (!strcmp(fn, t->function))
            return yamlio_fail(w, k, "test '%s': calls: %s is the function under test, which cannot be "
                               "substituted", t->name, fn);
        if (jsonio_get(t->calls, fn))
            return yamlio_fail(w, k, "test '%s': calls: %s appears twice", t->name, fn);
        cJSON_AddStringToObject(t->calls, fn, variant);
    }
    return 0;
}

static int read_test(yamlio *w, const yaml_node_t *n, const rubric_exercise *ex,
                     const rubric_limits *base, rubric_test *t)
{
    static const char *const keys[] = {"name", "function", "inputs", "compare", "points",
                                       "visibility", "limits", "calls", NULL};
    t->line = yamlio_line(n);
    if (yamlio_check_keys(w, n, "test", keys) || yamlio_string(w, n, "name", true, &t->name) ||
        yamlio_string(w, n, "function", false, &t->function) ||
        yamlio_number(w, n, "points", true, &t->points) || read_compare(w, n, &t->compare) ||
        read_visibility(w, n, &t->visibility) || read_limits(w, n, base, &t->limits))
        return -1;
    yaml_node_t *fn = yamlio_get(w, n, "function");
    t->function_line = fn ? yamlio_line(fn) : ex->line;
    if (!t->function && !(t->function = strdup(ex->id)))
        return hr_fail(w->err, "out of memory");
    if (t->points < 0)
        return yamlio_fail(w, yamlio_get(w, n, "points"), "test '%s': points cannot be negative", t->name);
    yaml_node_t *in = yamlio_get(w, n, "inputs");
    if (!in || in->type != YAML_MAPPING_NODE)
        return yamlio_fail(w, in ? in : n, "test '%s': 'inputs' must be a mapping", t->name);
    t->inputs_line = yamlio_line(in);
    t->inputs = to_json(w, in, 0);
    if (!t->inputs)
        return -1;
    return read_calls(w, n, t);
}

/* Points are decimal in the rubric; compare sums with a little slack for 0.1-style steps. */
static bool same_points(double a, double b)
{
    return fabs(a - b) <= 1e-9 * (fabs(a) + fabs(b) + 1);
}

static int read_exercise(yamlio *w, const yaml_node_t *n, const rubric_limits *base,
                         rubric_exercise *ex)
{
    static const char *const keys[] = {"id", "title", "points", "uses", "tests", "limits", NULL};
    ex->line = yamlio_line(n);
    rubric_limits lim;
    if (yamlio_check_keys(w, n, "exercise", keys) || yamlio_string(w, n, "id", true, &ex->id) ||
        yamlio_string(w, n, "title", false, &ex->title) ||
        yamlio_number(w, n, "points", true, &ex->points) || read_limits(w, n, base, &lim))
        return -1;
    yaml_node_t *uses = yamlio_get(w, n, "uses");
    if (uses && yamlio_strings(w, uses, "uses", &ex->uses) != 0)
        return -1;
    yaml_node_t *tests = yamlio_get(w, n, "tests");
    if (!tests || tests->type != YAML_SEQUENCE_NODE ||
        tests->data.sequence.items.top == tests->data.sequence.items.start)
        return yamlio_fail(w, tests ? tests : n, "exercise '%s': 'tests' must be a non-empty list", ex->id);
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
                return yamlio_fail(w, tn, "exercise '%s': two tests are named '%s'", ex->id,
                               ex->tests[i].name);
        sum += ex->tests[i].points;
    }
    if (!same_points(sum, ex->points))
        return yamlio_fail(w, n, "exercise '%s' is worth %g points but its tests add up to %g", ex->id,
                       ex->points, sum);
    return 0;
}


static const rubric_exercise *find_exercise(const rubric *r, const char *id)
{
    for (size_t i = 0; i < r->nexercises; i++)
        if (!strcmp(r->exercises[i].id, id))
            return &r->exercises[i];
    return NULL;
}

static int read_parts(yamlio *w, const yaml_node_t *root, rubric *r)
{
    yaml_node_t *n = yamlio_get(w, root, "parts");
    if (!n)
        return 0;
    if (n->type != YAML_MAPPING_NODE)
        return yamlio_fail(w, n, "'parts' must map part ids to a list of exercises or 'all'");
    size_t count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    r->parts = calloc(count, sizeof *r->parts);
    if (!r->parts)
        return hr_fail(w->err, "out of memory");
    for (size_t i = 0; i < count; i++) {
        yaml_node_pair_t *p = &n->data.mapping.pairs.start[i];
        yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(w->doc, p->value);
        rubric_part *part = &r->parts[r->nparts++];
        if (!yamlio_scalar(k) || !(part->id = strdup(yamlio_scalar(k))))
            return yamlio_fail(w, k, "part ids must be plain names");
        if (yamlio_scalar(v) && !strcmp(yamlio_scalar(v), "all"))
            continue;
        if (yamlio_strings(w, v, "parts", &part->exercises) != 0)
            return -1;
        for (char **e = part->exercises; *e; e++)
            if (!find_exercise(r, *e))
                return yamlio_fail(w, v, "part '%s': no exercise is called '%s'", part->id, *e);
    }
    return 0;
}

static int read_root(yamlio *w, const yaml_node_t *root, rubric *r)
{
    static const char *const keys[] = {"assignment", "title", "source", "total", "limits", "verdict",
                                       "provided", "exercises", "parts", "memory_checks", NULL};
    if (yamlio_check_keys(w, root, "the rubric", keys) || yamlio_string(w, root, "assignment", true, &r->assignment) ||
        yamlio_string(w, root, "title", false, &r->title) || yamlio_string(w, root, "source", true, &r->source) ||
        yamlio_number(w, root, "total", true, &r->total) ||
        read_limits(w, root, &DEFAULT_LIMITS, &r->limits))
        return -1;
    yaml_node_t *mc = yamlio_get(w, root, "memory_checks");
    const char *mcs = yamlio_scalar(mc);
    if (mc && (!mcs || (strcmp(mcs, "feedback") && strcmp(mcs, "off") && strcmp(mcs, "score"))))
        return yamlio_fail(w, mc, "memory_checks must be feedback, off or score");
    r->memory_checks = !mcs || !strcmp(mcs, "feedback") ? RUBRIC_MEMCHECK_FEEDBACK
                       : !strcmp(mcs, "off") ? RUBRIC_MEMCHECK_OFF : RUBRIC_MEMCHECK_SCORE;
    if (strchr(r->source, '/') || r->source[0] == '.')
        return yamlio_fail(w, yamlio_get(w, root, "source"), "'source' must be a plain file name");
    yaml_node_t *v = yamlio_get(w, root, "verdict");
    if (v) {
        static const char *const vkeys[] = {"threshold", "above", "below", NULL};
        r->has_verdict = true;
        if (yamlio_check_keys(w, v, "verdict", vkeys) || yamlio_number(w, v, "threshold", true, &r->verdict.threshold) ||
            yamlio_string(w, v, "above", true, &r->verdict.above) ||
            yamlio_string(w, v, "below", true, &r->verdict.below))
            return -1;
    }
    yaml_node_t *prov = yamlio_get(w, root, "provided");
    if (prov && yamlio_strings(w, prov, "provided", &r->provided) != 0)
        return -1;
    yaml_node_t *ex = yamlio_get(w, root, "exercises");
    if (!ex || ex->type != YAML_SEQUENCE_NODE || ex->data.sequence.items.top == ex->data.sequence.items.start)
        return yamlio_fail(w, ex ? ex : root, "'exercises' must be a non-empty list");
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
                return yamlio_fail(w, en, "two exercises have the id '%s'", r->exercises[i].id);
        for (size_t t = 0; t < r->exercises[i].ntests; t++)
            if (r->exercises[i].tests[t].compare.kind == RUBRIC_VERDICT && !r->has_verdict)
                return hr_fail(w->err, "%s:%d: test '%s' compares a verdict, but the rubric has no 'verdict:' section",
                               w->path, r->exercises[i].tests[t].line, r->exercises[i].tests[t].name);
        sum += r->exercises[i].points;
    }
    if (!same_points(sum, r->total))
        return yamlio_fail(w, yamlio_get(w, root, "total"), "total is %g but the exercises add up to %g", r->total, sum);
    for (size_t i = 0; i < r->nexercises; i++)
        for (char **u = r->exercises[i].uses; u && *u; u++)
            if (!find_exercise(r, *u) || !strcmp(*u, r->exercises[i].id))
                return yamlio_fail(w, yaml_document_get_node(w->doc, ex->data.sequence.items.start[i]),
                               "exercise '%s' uses '%s', which is not another exercise", r->exercises[i].id, *u);
    return read_parts(w, root, r);
}

static int read_rubric(yamlio *w, yaml_node_t *root, void *out)
{
    rubric *r = out;
    r->path = strdup(w->path);
    return read_root(w, root, r);
}

int rubric_load(const char *path, rubric *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = yamlio_read_file(path, "rubric", read_rubric, out, err);
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
            cJSON_Delete(ex->tests[j].calls);
            free_list(ex->tests[j].compare.keys);
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

/* The smallest address-space limit of any test (0: none), which the whole
 * program must fit in. */
long rubric_smallest_memory_mb(const rubric *r)
{
    long least = 0;
    for (size_t e = 0; e < r->nexercises; e++)
        for (size_t t = 0; t < r->exercises[e].ntests; t++) {
            long mb = r->exercises[e].tests[t].limits.memory_mb;
            if (mb > 0 && (least == 0 || mb < least))
                least = mb;
        }
    return least;
}
