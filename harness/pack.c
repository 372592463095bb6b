/*
 * pack — see pack.h.
 *
 * The file is the rubric written back as JSON (so the grader needs no YAML)
 * plus, per test, "id", "inputs" and "expected". Numbers go through jsonio so
 * that every double in the pack is bit-exact.
 */
#include "pack.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"

/* ---- building --------------------------------------------------------------- */

static const asg_expander *find_expander(const asg_casegen *cg, const char *fn)
{
    for (size_t i = 0; i < cg->nexpanders; i++)
        if (!strcmp(cg->expanders[i].function, fn))
            return &cg->expanders[i];
    return NULL;
}

static cJSON *limits_json(const rubric_limits *l)
{
    cJSON *o = cJSON_CreateObject();
    jsonio_add_double(o, "time_s", l->time_s);
    jsonio_add_double(o, "cpu_s", l->cpu_s);
    cJSON_AddNumberToObject(o, "memory_mb", (double)l->memory_mb);
    cJSON_AddNumberToObject(o, "output_kb", (double)l->output_kb);
    return o;
}

static cJSON *compare_json(const rubric_compare *c)
{
    cJSON *o = cJSON_CreateObject();
    static const char *const kinds[] = {"exact", "tolerance", "verdict", "blocks"};
    cJSON_AddStringToObject(o, "kind", kinds[c->kind]);
    if (c->kind == RUBRIC_BLOCKS) {
        jsonio_add_double(o, "threshold", c->threshold);
        jsonio_add_double(o, "atol", c->atol);
    }
    if (c->kind == RUBRIC_TOLERANCE) {
        jsonio_add_double(o, "rtol", c->rtol);
        jsonio_add_double(o, "atol", c->atol);
    }
    if (c->kind == RUBRIC_VERDICT) {
        cJSON_AddBoolToObject(o, "message", c->check_message);
        cJSON_AddBoolToObject(o, "silent", c->silent);
    }
    return o;
}

static cJSON *strings_json(char *const *list)
{
    cJSON *a = cJSON_CreateArray();
    for (; list && *list; list++)
        cJSON_AddItemToArray(a, cJSON_CreateString(*list));
    return a;
}

/* Did a mistake do something other than the reference on this test? */
static bool differs(const observation *m, const cJSON *ref_return, const char *ref_stdout)
{
    double a, b;
    if (m->kind != OBS_RETURNED || jsonio_get_double(m->ret, &a) != 0 ||
        jsonio_get_double(ref_return, &b) != 0)
        return m->kind == OBS_RETURNED;   /* a non-number return: compare as text */
    return !(a == b || (isnan(a) && isnan(b))) || strcmp(m->out ? m->out : "", ref_stdout) != 0;
}

/* Observes every catalogue mistake of the test's function on its inputs. */
static cJSON *observe_mistakes(const pack_sources *src, const rubric_test *t, const char *id,
                               const cJSON *inputs, const observation *ref, hr_error *err)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < src->nmistakes; i++) {
        const pack_mistake *m = &src->mistakes[i];
        if (strcmp(m->function, t->function) != 0)
            continue;
        observation obs;
        if (observe_run(&m->runner, id, t->function, inputs, &t->limits, &obs, err) != 0) {
            cJSON_Delete(list);
            return NULL;
        }
        /* a mistake that crashes or loops here teaches nothing about a value */
        if (obs.kind == OBS_RETURNED && differs(&obs, ref->ret, ref->out ? ref->out : "")) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, "id", m->id);
            cJSON_AddStringToObject(e, "hint", m->hint);
            cJSON_AddItemToObject(e, "return", jsonio_exact(obs.ret));
            obs.ret = NULL;
            cJSON_AddStringToObject(e, "stdout", obs.out ? obs.out : "");
            cJSON_AddItemToArray(list, e);
        }
        observation_free(&obs);
    }
    return list;
}

/* Expands and observes one test; returns its JSON or NULL with err. */
static cJSON *build_test(const pack_sources *src, const rubric_exercise *ex, size_t index, hr_error *err)
{
    const rubric *r = src->rubric;
    const asg_casegen *cg = src->casegen;
    const rubric_test *t = &ex->tests[index];
    const asg_expander *x = find_expander(cg, t->function);
    if (!x) {
        char names[512] = "";
        for (size_t i = 0; i < cg->nexpanders; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                     cg->expanders[i].function);
        hr_fail(err, "%s:%d: test '%s': unknown function '%s' (this assignment has: %s)", r->path,
                t->function_line, t->name, t->function, names);
        return NULL;
    }
    cJSON *inputs = NULL, *annotation = NULL;
    if (x->expand(t->inputs, &src->context, &inputs, err) != 0 ||
        (x->annotate && x->annotate(inputs, &annotation, err) != 0)) {
        cJSON_Delete(inputs);
        hr_wrap(err, "%s:%d: test '%s'", r->path, t->inputs_line, t->name);
        return NULL;
    }
    char id[256];
    snprintf(id, sizeof id, "%s/%zu", ex->id, index + 1);
    observation obs;
    if (observe_run(&src->reference, id, t->function, inputs, &t->limits, &obs, err) != 0) {
        cJSON_Delete(inputs);
        cJSON_Delete(annotation);
        return NULL;
    }
    if (obs.kind != OBS_RETURNED) {
        hr_fail(err, "%s:%d: test '%s': the reference solution did not return a value: %s%s%s", r->path,
                t->line, t->name, obs.detail, obs.err && *obs.err ? "\n" : "", obs.err ? obs.err : "");
        observation_free(&obs);
        cJSON_Delete(inputs);
        cJSON_Delete(annotation);
        return NULL;
    }
    cJSON *mistakes = observe_mistakes(src, t, id, inputs, &obs, err);
    if (!mistakes) {
        observation_free(&obs);
        cJSON_Delete(inputs);
        cJSON_Delete(annotation);
        return NULL;
    }
    cJSON *test = cJSON_CreateObject();
    cJSON_AddStringToObject(test, "id", id);
    cJSON_AddStringToObject(test, "name", t->name);
    cJSON_AddStringToObject(test, "function", t->function);
    cJSON_AddItemToObject(test, "spec", cJSON_Duplicate(t->inputs, 1));
    cJSON_AddItemToObject(test, "inputs", inputs);
    cJSON_AddItemToObject(test, "compare", compare_json(&t->compare));
    jsonio_add_double(test, "points", t->points);
    cJSON_AddStringToObject(test, "visibility", rubric_visibility_name(t->visibility));
    cJSON_AddItemToObject(test, "limits", limits_json(&t->limits));
    cJSON_AddNumberToObject(test, "line", t->line);
    cJSON *expected = cJSON_AddObjectToObject(test, "expected");
    cJSON_AddItemToObject(expected, "return", jsonio_exact(obs.ret));
    obs.ret = NULL;
    cJSON_AddStringToObject(expected, "stdout", obs.out ? obs.out : "");
    cJSON_AddItemToObject(test, "mistakes", mistakes);
    if (annotation)
        cJSON_AddItemToObject(test, "annotation", annotation);
    observation_free(&obs);
    return test;
}

int pack_build(const pack_sources *src, cJSON **out, hr_error *err)
{
    const rubric *r = src->rubric;
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "pack_format", 1);
    cJSON_AddStringToObject(doc, "rubric", r->path);
    cJSON_AddStringToObject(doc, "assignment", r->assignment);
    cJSON_AddStringToObject(doc, "title", r->title ? r->title : r->assignment);
    cJSON_AddStringToObject(doc, "source", r->source);
    jsonio_add_double(doc, "total", r->total);
    static const char *const memchecks[] = {"feedback", "off", "score"};
    cJSON_AddStringToObject(doc, "memory_checks", memchecks[r->memory_checks]);
    cJSON_AddItemToObject(doc, "limits", limits_json(&r->limits));
    if (r->has_verdict) {
        cJSON *v = cJSON_AddObjectToObject(doc, "verdict");
        jsonio_add_double(v, "threshold", r->verdict.threshold);
        cJSON_AddStringToObject(v, "above", r->verdict.above);
        cJSON_AddStringToObject(v, "below", r->verdict.below);
    }
    cJSON_AddItemToObject(doc, "provided", strings_json(r->provided));
    cJSON_AddItemToObject(doc, "symptoms", src->symptoms ? jsonio_exact(cJSON_Duplicate(src->symptoms, 1))
                                                         : cJSON_CreateArray());
    cJSON *parts = cJSON_AddObjectToObject(doc, "parts");
    for (size_t i = 0; i < r->nparts; i++)
        cJSON_AddItemToObject(parts, r->parts[i].id,
                              r->parts[i].exercises ? strings_json(r->parts[i].exercises)
                                                    : cJSON_CreateString("all"));
    cJSON *exercises = cJSON_AddArrayToObject(doc, "exercises");
    for (size_t e = 0; e < r->nexercises; e++) {
        const rubric_exercise *ex = &r->exercises[e];
        cJSON *ej = cJSON_CreateObject();
        cJSON_AddItemToArray(exercises, ej);
        cJSON_AddStringToObject(ej, "id", ex->id);
        cJSON_AddStringToObject(ej, "title", ex->title ? ex->title : ex->id);
        jsonio_add_double(ej, "points", ex->points);
        cJSON_AddNumberToObject(ej, "line", ex->line);
        cJSON_AddItemToObject(ej, "uses", strings_json(ex->uses));
        cJSON *tests = cJSON_AddArrayToObject(ej, "tests");
        for (size_t t = 0; t < ex->ntests; t++) {
            cJSON *tj = build_test(src, ex, t, err);
            if (!tj) {
                cJSON_Delete(doc);
                return -1;
            }
            cJSON_AddItemToArray(tests, tj);
        }
    }
    *out = doc;
    return 0;
}

/* ---- loading ----------------------------------------------------------------- */

static char *get_str(const cJSON *o, const char *key)
{
    const cJSON *s = jsonio_get(o, key);
    return cJSON_IsString(s) ? strdup(s->valuestring) : NULL;
}

static double get_num(const cJSON *o, const char *key)
{
    double v = NAN;
    jsonio_get_double(jsonio_get(o, key), &v);
    return v;
}

static char **get_strings(const cJSON *a)
{
    size_t n = (size_t)cJSON_GetArraySize(a);
    char **list = calloc(n + 1, sizeof *list);
    for (size_t i = 0; list && i < n; i++) {
        const cJSON *s = cJSON_GetArrayItem(a, (int)i);
        list[i] = strdup(cJSON_IsString(s) ? s->valuestring : "");
    }
    return list;
}

static void read_limits(const cJSON *o, rubric_limits *l)
{
    l->time_s = get_num(o, "time_s");
    l->cpu_s = get_num(o, "cpu_s");
    l->memory_mb = (long)get_num(o, "memory_mb");
    l->output_kb = (long)get_num(o, "output_kb");
}

static int read_test(const cJSON *tj, rubric_test *t, pack_case *c, hr_error *err)
{
    t->name = get_str(tj, "name");
    t->function = get_str(tj, "function");
    t->points = get_num(tj, "points");
    t->line = (int)get_num(tj, "line");
    t->inputs = cJSON_Duplicate(jsonio_get(tj, "spec"), 1);
    const cJSON *cmp = jsonio_get(tj, "compare");
    const char *kind = cJSON_GetStringValue(jsonio_get(cmp, "kind"));
    t->compare.kind = !kind ? RUBRIC_EXACT : !strcmp(kind, "tolerance") ? RUBRIC_TOLERANCE
                      : !strcmp(kind, "verdict") ? RUBRIC_VERDICT
                      : !strcmp(kind, "blocks") ? RUBRIC_BLOCKS : RUBRIC_EXACT;
    t->compare.threshold = get_num(cmp, "threshold");
    t->compare.rtol = get_num(cmp, "rtol");
    t->compare.atol = get_num(cmp, "atol");
    t->compare.check_message = cJSON_IsTrue(jsonio_get(cmp, "message"));
    t->compare.silent = cJSON_IsTrue(jsonio_get(cmp, "silent"));
    const char *vis = cJSON_GetStringValue(jsonio_get(tj, "visibility"));
    t->visibility = vis && !strcmp(vis, "hidden") ? RUBRIC_HIDDEN
                    : vis && !strcmp(vis, "after_due_date") ? RUBRIC_AFTER_DUE_DATE : RUBRIC_VISIBLE;
    read_limits(jsonio_get(tj, "limits"), &t->limits);
    c->id = get_str(tj, "id");
    /* parsed numbers would be printed back by cJSON with a bit lost: keep them exact */
    c->inputs = jsonio_exact(cJSON_Duplicate(jsonio_get(tj, "inputs"), 1));
    c->expected = jsonio_exact(cJSON_Duplicate(jsonio_get(tj, "expected"), 1));
    c->mistakes = jsonio_exact(cJSON_Duplicate(jsonio_get(tj, "mistakes"), 1));
    c->annotation = jsonio_exact(cJSON_Duplicate(jsonio_get(tj, "annotation"), 1));
    c->as_handed_out = jsonio_exact(cJSON_Duplicate(jsonio_get(tj, "as_handed_out"), 1));
    if (!t->name || !t->function || !c->id || !c->inputs || !c->expected || !kind || !vis ||
        isnan(t->points) || isnan(t->limits.time_s))
        return hr_fail(err, "a test is incomplete");
    return 0;
}

static int read_pack(const cJSON *doc, pack *p, hr_error *err)
{
    rubric *r = &p->rubric;
    if (get_num(doc, "pack_format") != 1)
        return hr_fail(err, "unknown pack format (rebuild it with make)");
    r->path = get_str(doc, "rubric");
    r->assignment = get_str(doc, "assignment");
    r->title = get_str(doc, "title");
    r->source = get_str(doc, "source");
    r->total = get_num(doc, "total");
    const char *mc = cJSON_GetStringValue(jsonio_get(doc, "memory_checks"));
    r->memory_checks = mc && !strcmp(mc, "off") ? RUBRIC_MEMCHECK_OFF
                       : mc && !strcmp(mc, "score") ? RUBRIC_MEMCHECK_SCORE : RUBRIC_MEMCHECK_FEEDBACK;
    read_limits(jsonio_get(doc, "limits"), &r->limits);
    const cJSON *v = jsonio_get(doc, "verdict");
    if (v) {
        r->has_verdict = true;
        r->verdict.threshold = get_num(v, "threshold");
        r->verdict.above = get_str(v, "above");
        r->verdict.below = get_str(v, "below");
    }
    r->provided = get_strings(jsonio_get(doc, "provided"));
    const cJSON *symptoms = jsonio_get(doc, "symptoms");
    p->symptoms = symptoms ? jsonio_exact(cJSON_Duplicate(symptoms, 1)) : cJSON_CreateArray();
    const cJSON *parts = jsonio_get(doc, "parts"), *part;
    r->parts = calloc((size_t)cJSON_GetArraySize(parts) + 1, sizeof *r->parts);
    cJSON_ArrayForEach(part, parts) {
        rubric_part *rp = &r->parts[r->nparts++];
        rp->id = strdup(part->string);
        rp->exercises = cJSON_IsArray(part) ? get_strings(part) : NULL;
    }
    const cJSON *exercises = jsonio_get(doc, "exercises");
    size_t ne = (size_t)cJSON_GetArraySize(exercises);
    r->exercises = calloc(ne, sizeof *r->exercises);
    p->cases = calloc(ne, sizeof *p->cases);
    if (!r->exercises || !p->cases || !r->assignment || !r->source || ne == 0)
        return hr_fail(err, "the pack is incomplete (rebuild it with make)");
    for (size_t e = 0; e < ne; e++) {
        const cJSON *ej = cJSON_GetArrayItem(exercises, (int)e);
        rubric_exercise *ex = &r->exercises[e];
        r->nexercises = e + 1;
        ex->id = get_str(ej, "id");
        ex->title = get_str(ej, "title");
        ex->points = get_num(ej, "points");
        ex->line = (int)get_num(ej, "line");
        ex->uses = get_strings(jsonio_get(ej, "uses"));
        const cJSON *tests = jsonio_get(ej, "tests");
        size_t nt = (size_t)cJSON_GetArraySize(tests);
        ex->tests = calloc(nt, sizeof *ex->tests);
        p->cases[e] = calloc(nt, sizeof **p->cases);
        if (!ex->id || !ex->tests || !p->cases[e] || nt == 0)
            return hr_fail(err, "exercise %zu of the pack is incomplete", e + 1);
        for (size_t t = 0; t < nt; t++) {
            ex->ntests = t + 1;
            if (read_test(cJSON_GetArrayItem(tests, (int)t), &ex->tests[t], &p->cases[e][t], err) != 0)
                return hr_wrap(err, "exercise %s", ex->id);
        }
    }
    size_t ntests = 0;
    for (size_t e = 0; e < r->nexercises; e++)
        ntests += r->exercises[e].ntests;
    p->graded = calloc(ntests + 1, sizeof *p->graded);
    size_t ng = 0;
    for (size_t e = 0; p->graded && e < r->nexercises; e++)
        for (size_t t = 0; t < r->exercises[e].ntests; t++) {
            const char *fn = r->exercises[e].tests[t].function;
            bool seen = false;
            for (size_t k = 0; k < ng; k++)
                seen = seen || !strcmp(p->graded[k], fn);
            if (!seen)
                p->graded[ng++] = strdup(fn);
        }
    return p->graded ? 0 : hr_fail(err, "out of memory");
}

int pack_from_json(const cJSON *doc, pack *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = read_pack(doc, out, err);
    if (rc != 0)
        pack_free(out);
    return rc;
}

int pack_load(const char *path, pack *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *doc = jsonio_read_file(path, err);
    if (!doc)
        return -1;
    int rc = read_pack(doc, out, err);
    cJSON_Delete(doc);
    if (rc != 0) {
        hr_wrap(err, "%s", path);
        pack_free(out);
    }
    return rc;
}

void pack_free(pack *p)
{
    for (size_t e = 0; p->cases && e < p->rubric.nexercises; e++) {
        for (size_t t = 0; p->cases[e] && t < p->rubric.exercises[e].ntests; t++) {
            free(p->cases[e][t].id);
            cJSON_Delete(p->cases[e][t].inputs);
            cJSON_Delete(p->cases[e][t].expected);
            cJSON_Delete(p->cases[e][t].mistakes);
            cJSON_Delete(p->cases[e][t].annotation);
            cJSON_Delete(p->cases[e][t].as_handed_out);
        }
        free(p->cases[e]);
    }
    free(p->cases);
    for (char **g = p->graded; g && *g; g++)
        free(*g);
    free(p->graded);
    cJSON_Delete(p->symptoms);
    rubric_free(&p->rubric);
    memset(p, 0, sizeof *p);
}
