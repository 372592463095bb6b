/*
 * pack_build — see pack_build.h.
 *
 * The document is the rubric written back as JSON (so the grader needs no
 * YAML) plus, per test, "id", "inputs" and "expected". Numbers go through
 * jsonio so that every double in the pack is bit-exact.
 */
#include "pack_build.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "substitute.h"

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

static cJSON *strings_json(char *const *list);

static cJSON *compare_json(const rubric_compare *c)
{
    cJSON *o = cJSON_CreateObject();
    static const char *const kinds[] = {"exact", "tolerance", "verdict", "blocks", "allclose"};
    cJSON_AddStringToObject(o, "kind", kinds[c->kind]);
    if (c->kind == RUBRIC_BLOCKS) {
        jsonio_add_double(o, "threshold", c->threshold);
        jsonio_add_double(o, "atol", c->atol);
    }
    if (c->kind == RUBRIC_TOLERANCE || c->kind == RUBRIC_ALLCLOSE) {
        jsonio_add_double(o, "rtol", c->rtol);
        jsonio_add_double(o, "atol", c->atol);
    }
    if (c->kind == RUBRIC_VERDICT) {
        cJSON_AddBoolToObject(o, "message", c->check_message);
        cJSON_AddBoolToObject(o, "silent", c->silent);
    }
    if (c->kind == RUBRIC_ALLCLOSE && c->keys)
        cJSON_AddItemToObject(o, "keys", strings_json(c->keys));
    return o;
}

static cJSON *strings_json(char *const *list)
{
    cJSON *a = cJSON_CreateArray();
    for (; list && *list; list++)
        cJSON_AddItemToArray(a, cJSON_CreateString(*list));
    return a;
}

/* Did a mistake do something other than the reference on this test? Its
 * return value (a number or a structure, element by element, bit for bit)
 * or what it printed. */
static bool differs(const observation *m, const cJSON *ref_return, const char *ref_stdout)
{
    if (m->kind != OBS_RETURNED)
        return false;
    return !jsonio_equal(m->ret, ref_return) || strcmp(m->out ? m->out : "", ref_stdout) != 0;
}

/* The first of an allclose test's keys ("dW1", "cache.D1") that the
 * reference's result lacks, or NULL: a typo in the rubric is refused when the
 * pack is built, not met at grading time. */
static const char *missing_key(const rubric_compare *c, const cJSON *ret)
{
    for (char *const *k = c->keys; c->kind == RUBRIC_ALLCLOSE && k && *k; k++) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", *k);
        const cJSON *v = ret;
        for (char *part = strtok(buf, "."); v && part; part = strtok(NULL, "."))
            v = cJSON_IsObject(v) ? jsonio_get(v, part) : NULL;
        if (!v)
            return *k;
    }
    return NULL;
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
        if (observe_run_calls(&m->runner, id, t->function, inputs, t->calls, &t->limits, &obs, err) != 0) {
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
    if (t->calls && !src->substitutes) {
        hr_fail(err, "%s:%d: test '%s': calls: this assignment has no substitutes", r->path, t->calls_line,
                t->name);
        return NULL;
    }
    if (t->calls && subst_check_calls(t->calls, src->substitutes, t->function, err) != 0) {
        hr_wrap(err, "%s:%d: test '%s'", r->path, t->calls_line, t->name);
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
    if (observe_run_calls(&src->reference, id, t->function, inputs, t->calls, &t->limits, &obs, err) != 0) {
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
    const char *missing = missing_key(&t->compare, obs.ret);
    if (missing) {
        hr_fail(err, "%s:%d: test '%s': compares member '%s', which the reference's result does not have",
                r->path, t->line, t->name, missing);
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
    if (t->calls)
        cJSON_AddItemToObject(test, "calls", cJSON_Duplicate(t->calls, 1));
    cJSON_AddItemToObject(test, "compare", compare_json(&t->compare));
    jsonio_add_double(test, "points", t->points);
    cJSON_AddStringToObject(test, "visibility", rubric_visibility_name(t->visibility));
    cJSON_AddItemToObject(test, "limits", limits_json(&t->limits));
    cJSON_AddNumberToObject(test, "line", t->line);
    cJSON *expected = cJSON_AddObjectToObject(test, "expected");
    cJSON_AddItemToObject(expected, "return", jsonio_exact(obs.ret));
    obs.ret = NULL;
    cJSON_AddStringToObject(expected, "stdout", obs.out ? obs.out : "");
    if (t->calls && obs.trace) {
        cJSON_AddItemToObject(expected, "trace", jsonio_exact(obs.trace));
        obs.trace = NULL;
    }
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
    cJSON_AddItemToObject(doc, "substitutes",
                          src->substitutes ? cJSON_Duplicate(src->substitutes, 1) : cJSON_CreateObject());
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

