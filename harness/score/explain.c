/* explain — see explain.h. */
#include "explain.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_tree.h"
#include "jsonio.h"
#include "protocol.h"
#include "pyfloat.h"
#include "substitute.h"

typedef struct {
    score_exercise *exercises;
    size_t n;
} all_tests;

static bool same_value(double a, double b)
{
    return a == b || (isnan(a) && isnan(b)) || cmp_isclose(a, b, 1e-6, 0.0);
}

/* The entry of mistake id in a case's list, or NULL (it equals the reference there). */
static const cJSON *mistake_in(const pack_case *c, const char *id)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, c->mistakes)
        if (!strcmp(cJSON_GetStringValue(jsonio_get(m, "id")), id))
            return m;
    return NULL;
}

/* Does this test's result look like what mistake m produces on it? */
/* Does this test's result look like what mistake m produces on it, as the
 * test itself compares? A value within its tolerance, on the side of its
 * verdict: rounding noise, which another order of the operations changes,
 * is never compared by its digits. */
static bool reproduces(const rubric *r, const score_test *t, const cJSON *m)
{
    double mv;
    if (t->got_value)   /* a structure: every element as the mistake's */
        return ctree_same(t->got_value, jsonio_get(m, "return"), 1e-6);
    if (!t->returned || jsonio_get_double(jsonio_get(m, "return"), &mv) != 0)
        return false;
    const rubric_compare *c = &t->test->compare;
    bool alike = c->kind == RUBRIC_TOLERANCE ? same_value(t->got, mv) || cmp_isclose(t->got, mv, c->rtol, c->atol)
                 : c->kind == RUBRIC_VERDICT && r->has_verdict
                     ? cmp_side(t->got, r->verdict.threshold) == cmp_side(mv, r->verdict.threshold) &&
                           (t->got < 0) == (mv < 0)
                     : same_value(t->got, mv);
    if (!alike)
        return false;
    if (t->test->compare.kind == RUBRIC_VERDICT && t->test->compare.check_message && r->has_verdict)
    {
        cmp_verdict_rule rule = score_rule(&r->verdict);
        return t->printed_side == cmp_printed_side(cJSON_GetStringValue(jsonio_get(m, "stdout")), &rule);
    }
    return true;
}

/* Does mistake id fit every test of the function that returned? Where the
 * mistake behaves like the reference, the student must have passed. */
static bool fits_everywhere(const rubric *r, const all_tests *all, const char *function, const char *id)
{
    for (size_t e = 0; e < all->n; e++)
        for (size_t i = 0; i < all->exercises[e].ntests; i++) {
            const score_test *u = &all->exercises[e].tests[i];
            if (strcmp(u->test->function, function) != 0 || (!u->returned && !u->got_value))
                continue;
            const cJSON *m = mistake_in(u->kase, id);
            if (m ? !reproduces(r, u, m) : !u->passed)
                return false;
        }
    return true;
}

static void add(char *hint, size_t len, const char *text)
{
    size_t used = strlen(hint);
    if (!strstr(hint, text) && used < len)
        snprintf(hint + used, len - used, "%s%s", used ? "; or " : "", text);
}

/* Names the catalogue mistake that explains t, only when it is the one
 * explanation: two that fit say nothing about which one the code makes. */
static void name_mistakes(const rubric *r, const all_tests *all, const score_test *t, char *hint, size_t len)
{
    const cJSON *m;
    const char *only = NULL;
    size_t fitting = 0;
    cJSON_ArrayForEach(m, t->kase->mistakes) {
        const char *id = cJSON_GetStringValue(jsonio_get(m, "id"));
        const char *text = cJSON_GetStringValue(jsonio_get(m, "hint"));
        if (id && text && reproduces(r, t, m) && fits_everywhere(r, all, t->test->function, id) &&
            !(only && !strcmp(only, text))) {
            only = text;
            fitting++;
        }
    }
    if (fitting == 1)
        add(hint, len, only);
}

/* The symptom of a degenerate result (a difference of 1, 1/3, 0: the
 * catalogue's symptoms), which many mistakes give: NULL when t's is none. */
static const char *symptom_of(const pack *p, const score_test *t)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, p->symptoms) {
        double v;
        bool mine = false;
        const cJSON *f;
        cJSON_ArrayForEach(f, jsonio_get(s, "functions"))
            mine = mine || (cJSON_IsString(f) && !strcmp(f->valuestring, t->test->function));
        if (mine && jsonio_get_double(jsonio_get(s, "value"), &v) == 0 &&
            (t->got == v || cmp_isclose(t->got, v, 1e-5, 0.0)))
            return cJSON_GetStringValue(jsonio_get(s, "hint"));
    }
    return NULL;
}

/* The plain facts about a value that matches no known mistake. */
static void describe_value(const score_test *t, char *hint, size_t len)
{
    double got = t->got, exp;
    if (isnan(got)) {
        snprintf(hint, len, "your function returned NaN: a 0/0, the log or square root of a negative "
                 "number, or a variable used before it was set?");
        return;
    }
    if (isinf(got)) {
        snprintf(hint, len, "your function returned %s: a division by zero?", got > 0 ? "infinity" : "-infinity");
        return;
    }
    if (t->test->visibility != RUBRIC_VISIBLE || t->test->compare.kind == RUBRIC_VERDICT ||
        jsonio_get_double(jsonio_get(t->kase->expected, "return"), &exp) != 0 || exp == 0 || got == 0)
        return;
    double ratio = got / exp;
    if (fabs(ratio + 1) < 1e-3) {
        snprintf(hint, len, "your value has the right size but the wrong sign");
        return;
    }
    for (int k = 2; k <= 10; k++) {
        const double candidates[] = {k, 1.0 / k, -k, -1.0 / k};
        for (int j = 0; j < 4; j++)
            if (fabs(ratio / candidates[j] - 1) < 1e-3) {
                snprintf(hint, len, "your value is %s%s%d times the expected one", j >= 2 ? "-" : "",
                         j % 2 ? "1/" : "", k);
                return;
            }
    }
}

/* ---- structures --------------------------------------------------------- */

/* What one wrong member of a structure looks like against the expected one:
 * NaN or infinity in it, or (visible tests) the expected matrix times a
 * simple factor. Appends "dW1 ..." to hint; false when nothing is plain. */
static bool describe_member(const char *path, const cJSON *got, const cJSON *exp, bool visible,
                            char *hint, size_t len)
{
    double *g = NULL, *e = NULL;
    size_t gr, gc, er, ec;
    bool ok = jsonio_get_matrix(got, false, &g, &gr, &gc, NULL) == 0 &&
              jsonio_get_matrix(exp, false, &e, &er, &ec, NULL) == 0 && gr == er && gc == ec;
    char text[256] = "";
    double ratio = NAN;
    for (size_t i = 0; ok && i < gr * gc && !text[0]; i++) {
        if (isnan(g[i]))
            snprintf(text, sizeof text, "your %s holds NaN: a 0/0 or the log of a negative number?", path);
        else if (isinf(g[i]))
            snprintf(text, sizeof text, "your %s holds infinity: a division by zero?", path);
        else if (e[i] == 0 ? g[i] != 0 : g[i] == 0)
            ok = false;   /* not a multiple of the expected matrix */
        else if (e[i] != 0) {
            double r = g[i] / e[i];
            if (isnan(ratio))
                ratio = r;
            else if (fabs(r / ratio - 1) > 1e-6)
                ok = false;
        }
    }
    if (ok && !text[0] && visible && !isnan(ratio) && fabs(ratio - 1) > 1e-6) {
        if (fabs(ratio + 1) < 1e-6)
            snprintf(text, sizeof text, "your %s has the right size but the wrong sign", path);
        for (int k = 2; k <= 10 && !text[0]; k++) {
            const double candidates[] = {k, 1.0 / k, -k, -1.0 / k};
            for (int j = 0; j < 4 && !text[0]; j++)
                if (fabs(ratio / candidates[j] - 1) < 1e-6)
                    snprintf(text, sizeof text, "your %s is %s%s%d times the expected one", path,
                             j >= 2 ? "-" : "", j % 2 ? "1/" : "", k);
        }
    }
    free(g);
    free(e);
    size_t used = strlen(hint);
    if (text[0] && used + 1 < len)   /* facts about several members, not alternatives */
        snprintf(hint + used, len - used, "%s%s", used ? "; " : "", text);
    return text[0] != 0;
}

/* Walks the members of a structured return, describing the plain ones. */
static void describe_tree(const char *path, const cJSON *got, const cJSON *exp, bool visible,
                          char *hint, size_t len)
{
    if (!cJSON_IsObject(exp)) {
        if (!ctree_same(got, exp, 1e-12))
            describe_member(*path ? path : "result", got, exp, visible, hint, len);
        return;
    }
    const cJSON *m;
    cJSON_ArrayForEach(m, exp) {
        char sub[256];
        snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", m->string);
        const cJSON *g = jsonio_get(got, m->string);
        if (g)
            describe_tree(sub, g, m, visible, hint, len);
    }
}

static void describe_structure(const score_test *t, char *hint, size_t len)
{
    const cJSON *exp = jsonio_get(t->kase->expected, "return");
    bool visible = t->test->visibility == RUBRIC_VISIBLE;
    char *const *keys = t->test->compare.keys;
    if (!keys || !*keys) {
        describe_tree("", t->got_value, exp, visible, hint, len);
        return;
    }
    for (; *keys; keys++) {
        const cJSON *g = t->got_value, *e = exp;
        char buf[256];
        snprintf(buf, sizeof buf, "%s", *keys);
        for (char *part = strtok(buf, "."); part && g && e; part = strtok(NULL, ".")) {
            g = jsonio_get(g, part);
            e = jsonio_get(e, part);
        }
        if (g && e)
            describe_tree(*keys, g, e, visible, hint, len);
    }
}

static void append_line(char *msg, size_t len, const char *text)
{
    size_t used = strlen(msg);
    if (text[0] && used < len)
        snprintf(msg + used, len - used, "\n%s", text);
}

/* A graded function this one uses that fails its own tests. */
static const char *failing_dependency(const rubric *r, const all_tests *all, const score_test *t)
{
    for (size_t e = 0; e < r->nexercises; e++) {
        if (strcmp(r->exercises[e].id, t->test->function) != 0)
            continue;
        for (char **u = r->exercises[e].uses; u && *u; u++) {
            /* a callee this test replaces is not the student's to fix first */
            const char *v = cJSON_GetStringValue(jsonio_get(t->test->calls, *u));
            if (v && strcmp(v, SUBST_OWN) != 0)
                continue;
            for (size_t k = 0; k < all->n; k++)
                if (!strcmp(all->exercises[k].exercise->id, *u) &&
                    all->exercises[k].score < all->exercises[k].max_score)
                    return *u;
        }
    }
    return NULL;
}

/* ---- what the trace says ------------------------------------------------------ */

/* The calls of function in a trace (at most max), as their "args" objects. */
static size_t calls_of(const cJSON *trace, const char *function, const cJSON **out, size_t max)
{
    size_t n = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, jsonio_get(trace, "calls"))
        if (n < max && !strcmp(cJSON_GetStringValue(jsonio_get(c, "function")), function))
            out[n++] = jsonio_get(c, "args");
    return n;
}

static bool near(double a, double b)
{
    return a == b || (isnan(a) && isnan(b)) || cmp_isclose(a, b, 1e-9, 0.0);
}

/* Does argument name take more than one value over these calls? */
static bool varies(const cJSON *const *calls, size_t n, const char *name)
{
    double first, v;
    for (size_t i = 0; i < n; i++) {
        if (jsonio_get_double(jsonio_get(calls[i], name), &v) != 0)
            return false;
        if (i == 0)
            first = v;
        else if (!near(v, first))
            return true;
    }
    return false;
}

/* The names of the arguments that vary, "x" or "x and theta". */
static void varying(const cJSON *const *calls, size_t n, const cJSON *names, char *out, size_t len)
{
    out[0] = '\0';
    const cJSON *a;
    cJSON_ArrayForEach(a, names)
        if (varies(calls, n, a->string))
            snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? " and " : "", a->string);
}

static bool same_call(const cJSON *a, const cJSON *b)
{
    const cJSON *x;
    if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
        return false;
    cJSON_ArrayForEach(x, a) {
        double u, v;
        if (jsonio_get_double(x, &u) != 0 || jsonio_get_double(jsonio_get(b, x->string), &v) != 0 || !near(u, v))
            return false;
    }
    return true;
}

/* "x = 2.0000001, theta = 4" */
static void call_text(const cJSON *args, char *out, size_t len)
{
    out[0] = '\0';
    const cJSON *a;
    cJSON_ArrayForEach(a, args) {
        double v;
        char num[PYFLOAT_MAX];
        if (jsonio_get_double(a, &v) != 0)
            continue;
        pyfloat_repr(v, num);
        snprintf(out + strlen(out), len - strlen(out), "%s%s = %s", out[0] ? ", " : "", a->string, num);
    }
}

/* One sentence about how the tested function called F, against the
 * reference's calls, or "" when they agree. Numbers only when shown is set. */
static void trace_sentence(const score_test *t, const char *f, bool shown, char *out, size_t len)
{
    enum { MAX = PROTOCOL_TRACE_CALLS };
    const cJSON *mine[MAX], *ref[MAX];
    const char *g = t->test->function;
    size_t nm = calls_of(t->trace, f, mine, MAX), nr = calls_of(jsonio_get(t->kase->expected, "trace"), f, ref, MAX);
    out[0] = '\0';
    if (nm == 0) {
        if (nr > 0)
            snprintf(out, len, "your %s does not call %s", g, f);
        return;
    }
    if (nr == 0)
        return;
    char vm[160], vr[160], text[512];
    varying(mine, nm, mine[0], vm, sizeof vm);
    varying(ref, nr, ref[0], vr, sizeof vr);
    if (vm[0] && vr[0] && strcmp(vm, vr) != 0) {
        /* the first call with a value of what it wrongly perturbs */
        if (shown) {
            const char *first = vm;
            char name[80];
            snprintf(name, sizeof name, "%.*s", (int)strcspn(first, " "), first);
            for (size_t i = 0; i < nm; i++) {
                double v, r0;
                if (jsonio_get_double(jsonio_get(mine[i], name), &v) == 0 &&
                    jsonio_get_double(jsonio_get(ref[0], name), &r0) == 0 && !near(v, r0)) {
                    char num[PYFLOAT_MAX];
                    pyfloat_repr(v, num);
                    snprintf(out, len, "your %s called %s with %s = %s: it perturbs %s instead of %s", g, f,
                             name, num, vm, vr);
                    return;
                }
            }
        }
        snprintf(out, len, "your %s perturbs %s instead of %s when it calls %s", g, vm, vr, f);
        return;
    }
    /* a call the reference does not make */
    for (size_t i = 0; i < nm; i++) {
        bool found = false;
        for (size_t k = 0; k < nr && !found; k++)
            found = same_call(mine[i], ref[k]);
        if (found)
            continue;
        if (!shown) {
            snprintf(out, len, "your %s calls %s with other arguments than the solution does", g, f);
            return;
        }
        call_text(mine[i], text, sizeof text);
        char theirs[512] = "";
        for (size_t k = 0; k < nr; k++) {
            char one[256];
            call_text(ref[k], one, sizeof one);
            snprintf(theirs + strlen(theirs), sizeof theirs - strlen(theirs), "%s(%s)", k ? ", " : "", one);
        }
        snprintf(out, len, "your %s called %s with (%s); the solution calls it with %s", g, f, text, theirs);
        return;
    }
}

/* The trace's sentences for a failing test with calls, one line for each
 * substituted function it says something about. */
static void explain_trace(score_test *t)
{
    if (!t->test->calls || !t->trace || !t->kase)
        return;
    const cJSON *c;
    cJSON_ArrayForEach(c, t->test->calls) {
        char shown[640], all[640], line[700];
        trace_sentence(t, c->string, t->test->visibility == RUBRIC_VISIBLE, shown, sizeof shown);
        trace_sentence(t, c->string, true, all, sizeof all);
        if (shown[0]) {
            snprintf(line, sizeof line, "calls: %s", shown);
            append_line(t->message, sizeof t->message, line);
        }
        if (all[0]) {
            snprintf(line, sizeof line, "calls: %s", all);
            append_line(t->detail, sizeof t->detail, line);
        }
    }
}


static void explain_one(const pack *p, const all_tests *all, score_test *t)
{
    const rubric *r = &p->rubric;
    const char *dep = failing_dependency(r, all, t), *symptom = t->returned ? symptom_of(p, t) : NULL;
    if (dep)
        snprintf(t->hint, sizeof t->hint, "%s uses your %s, which fails its own tests: fix that first",
                 t->test->function, dep);
    else if (symptom)
        snprintf(t->hint, sizeof t->hint, "%s", symptom);
    else if (t->returned || t->got_value) {
        name_mistakes(r, all, t, t->hint, sizeof t->hint);
        if (!t->hint[0] && t->got_value)
            describe_structure(t, t->hint, sizeof t->hint);
        else if (!t->hint[0])
            describe_value(t, t->hint, sizeof t->hint);
    }
    if (t->hint[0]) {
        char line[sizeof t->hint + 8];
        snprintf(line, sizeof line, "hint: %s", t->hint);
        append_line(t->message, sizeof t->message, line);
        append_line(t->detail, sizeof t->detail, line);
    }
    explain_trace(t);
    const cJSON *table = jsonio_get(t->kase->annotation, "table");
    if (table && t->ran && !t->table) {
        char text[1024];
        t->table = cJSON_Duplicate(table, 1);
        score_render_table(table, true, text, sizeof text);
        append_line(t->detail, sizeof t->detail, text);
        /* a hidden test's table would tell which of its gradients are wrong */
        if (t->test->visibility == RUBRIC_VISIBLE)
            append_line(t->message, sizeof t->message, text);
    }
}

void explain_failures(const pack *p, score_exercise *exercises, size_t nexercises)
{
    all_tests all = {exercises, nexercises};
    for (size_t e = 0; e < nexercises; e++)
        for (size_t i = 0; i < exercises[e].ntests; i++)
            if (!exercises[e].tests[i].passed && exercises[e].tests[i].ran)
                explain_one(p, &all, &exercises[e].tests[i]);
}
