/* explain — see explain.h. */
#include "explain.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jsonio.h"

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

/* Does this test's result look like what mistake m produces on it, as the
 * test itself compares? A value within its tolerance, on the side of its
 * verdict: rounding noise, which another order of the operations changes,
 * is never compared by its digits. */
static bool reproduces(const rubric *r, const score_test *t, const cJSON *m)
{
    double mv;
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
            if (strcmp(u->test->function, function) != 0 || !u->returned)
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

/* A graded function this one uses that fails its own tests. */
static const char *failing_dependency(const rubric *r, const all_tests *all, const score_test *t)
{
    for (size_t e = 0; e < r->nexercises; e++) {
        if (strcmp(r->exercises[e].id, t->test->function) != 0)
            continue;
        for (char **u = r->exercises[e].uses; u && *u; u++)
            for (size_t k = 0; k < all->n; k++)
                if (!strcmp(all->exercises[k].exercise->id, *u) &&
                    all->exercises[k].score < all->exercises[k].max_score)
                    return *u;
    }
    return NULL;
}

static void append_line(char *msg, size_t len, const char *text)
{
    size_t used = strlen(msg);
    if (text[0] && used < len)
        snprintf(msg + used, len - used, "\n%s", text);
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
    else if (t->returned) {
        name_mistakes(r, all, t, t->hint, sizeof t->hint);
        if (!t->hint[0])
            describe_value(t, t->hint, sizeof t->hint);
    }
    if (t->hint[0]) {
        char line[sizeof t->hint + 8];
        snprintf(line, sizeof line, "hint: %s", t->hint);
        append_line(t->message, sizeof t->message, line);
        append_line(t->detail, sizeof t->detail, line);
    }
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
