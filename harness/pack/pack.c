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
    const cJSON *calls = jsonio_get(tj, "calls");
    t->calls = cJSON_IsObject(calls) ? cJSON_Duplicate(calls, 1) : NULL;
    const cJSON *cmp = jsonio_get(tj, "compare");
    const char *kind = cJSON_GetStringValue(jsonio_get(cmp, "kind"));
    t->compare.kind = !kind ? RUBRIC_EXACT : !strcmp(kind, "tolerance") ? RUBRIC_TOLERANCE
                      : !strcmp(kind, "verdict") ? RUBRIC_VERDICT
                      : !strcmp(kind, "blocks") ? RUBRIC_BLOCKS
                      : !strcmp(kind, "allclose") ? RUBRIC_ALLCLOSE : RUBRIC_EXACT;
    t->compare.threshold = get_num(cmp, "threshold");
    t->compare.rtol = get_num(cmp, "rtol");
    t->compare.atol = get_num(cmp, "atol");
    t->compare.check_message = cJSON_IsTrue(jsonio_get(cmp, "message"));
    t->compare.silent = cJSON_IsTrue(jsonio_get(cmp, "silent"));
    if (jsonio_get(cmp, "keys"))
        t->compare.keys = get_strings(jsonio_get(cmp, "keys"));
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
    const cJSON *subs = jsonio_get(doc, "substitutes");
    p->substitutes = cJSON_IsObject(subs) ? cJSON_Duplicate(subs, 1) : cJSON_CreateObject();
    p->substitutable = pack_substitutable(p->substitutes);
    if (!p->substitutes || !p->substitutable)
        return hr_fail(err, "out of memory");
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
    free(p->substitutable);
    cJSON_Delete(p->substitutes);
    rubric_free(&p->rubric);
    memset(p, 0, sizeof *p);
}

const char **pack_substitutable(const cJSON *catalogue)
{
    size_t n = (size_t)cJSON_GetArraySize(catalogue), k = 0;
    const char **list = calloc(n + 1, sizeof *list);
    const cJSON *f;
    if (list)
        cJSON_ArrayForEach(f, catalogue)
            list[k++] = f->string;
    return list;
}
