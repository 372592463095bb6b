/*
 * platform_checks — what the platform tests (test_platforms.c: without
 * Docker; test_images.c: the images run as each platform runs them) check in
 * every document a student reads: the platform's own rules for it, written
 * from each platform's public code and spec, and that hidden tests keep their
 * inputs and expected values.
 *
 *   Coursera      coursera/coursera_autograder's `grade local`: the
 *                 container exits 0, feedback.json is JSON with a
 *                 fractionalScore that is a number (not a bool) in [0, 1]
 *                 (or an isCorrect bool) and a feedback field.
 *   Gradescope    gradescope/autograder_samples and the results.json spec:
 *                 the keys and values it names, per-test scores that add up.
 *   PrairieLearn  its external grader docs and grader host: score in
 *                 [0, 1], gradable a bool, format_errors when not gradable,
 *                 the test fields pl-external-grader-results renders.
 */
#include "platform_checks.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "pyfloat.h"

const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    cr_assert(cJSON_IsString(v), "\"%s\" must be a string", key);
    return v->valuestring;
}

double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    cr_assert(cJSON_IsNumber(v) && !cJSON_IsBool(v), "\"%s\" must be a number", key);
    return v->valuedouble;
}

/* ---- hidden tests keep their secrets -------------------------------------------- */


void add_string(strings *l, const char *s)
{
    l->s = realloc(l->s, (l->n + 1) * sizeof *l->s);
    l->s[l->n++] = strdup(s);
}

/* Every number of an input or expected value, as a student would see it
 * printed; whole numbers under 10 aside (they are in every sentence). */
static void add_numbers(strings *l, const cJSON *item)
{
    double v;
    if (jsonio_get_double(item, &v) == 0 && !cJSON_IsString(item)) {
        char text[PYFLOAT_MAX];
        if (v == floor(v) && fabs(v) < 1e15) {
            if (fabs(v) >= 10) {
                snprintf(text, sizeof text, "%.0f", v);
                add_string(l, text);
            }
        } else {
            pyfloat_repr(v, text);
            add_string(l, text);
        }
        return;
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, item)
        add_numbers(l, c);
}

/* What hidden test (e, t) must never show: its inputs and expected value. */
strings secrets_of(const pack *p, size_t e, size_t t)
{
    strings l = {0};
    add_numbers(&l, p->cases[e][t].inputs);
    add_numbers(&l, jsonio_get(p->cases[e][t].expected, "return"));
    return l;
}

void free_strings(strings *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    free(l->s);
}

void expect_no_secret(const char *text, const strings *secrets, const char *where)
{
    for (size_t i = 0; i < secrets->n; i++)
        cr_expect(strstr(text, secrets->s[i]) == NULL, "%s shows a hidden test's value %s:\n%s", where,
                  secrets->s[i], text);
}

/* Checks every field of a per-test array (in rubric order) that a student
 * reads; returns how many hidden tests there were. */
size_t expect_hidden_kept(const pack *p, const cJSON *tests, const char *const *fields)
{
    size_t k = 0, hidden = 0;
    for (size_t e = 0; e < p->rubric.nexercises; e++)
        for (size_t t = 0; t < p->rubric.exercises[e].ntests; t++, k++) {
            if (p->rubric.exercises[e].tests[t].visibility == RUBRIC_VISIBLE)
                continue;
            hidden++;
            strings secrets = secrets_of(p, e, t);
            const cJSON *test = cJSON_GetArrayItem(tests, (int)k);
            cr_assert_not_null(test);
            for (size_t f = 0; fields[f]; f++) {
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(test, fields[f]);
                if (cJSON_IsString(v))
                    expect_no_secret(v->valuestring, &secrets, p->cases[e][t].id);
            }
            free_strings(&secrets);
        }
    return hidden;
}

/* ---- validators, from each platform's spec ------------------------------------------ */

static bool one_of(const char *s, const char *const *allowed)
{
    for (size_t i = 0; allowed[i]; i++)
        if (!strcmp(s, allowed[i]))
            return true;
    return false;
}

static void only_keys(const cJSON *o, const char *const *allowed, const char *what)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, o)
        cr_expect(one_of(c->string, allowed), "%s: \"%s\" is not in the spec", what, c->string);
}

static const char *const GS_VISIBILITY[] = {"visible", "hidden", "after_due_date", "after_published", NULL};
static const char *const GS_FORMATS[] = {"text", "html", "simple_format", "md", "ansi", NULL};

/* The name a student reads for test i of exercise e: a hidden one is
 * "EXERCISE: hidden test K" (its rubric name may describe its inputs). */
static void expected_name(const pack *p, size_t e, size_t i, char *out, size_t n)
{
    const rubric_exercise *ex = &p->rubric.exercises[e];
    if (ex->tests[i].visibility == RUBRIC_VISIBLE) {
        snprintf(out, n, "%s: %s", ex->id, ex->tests[i].name);
        return;
    }
    size_t k = 0;
    for (size_t j = 0; j <= i; j++)
        k += ex->tests[j].visibility != RUBRIC_VISIBLE;
    snprintf(out, n, "%s: hidden test %zu", ex->id, k);
}

/* Gradescope's results.json. With p, it must also be this rubric's tests,
 * one for one, with the rubric's points, every one visible (Gradescope hides
 * the student's total while any test is hidden or after_due_date), hidden
 * ones by their safe name, and the output must start with the total and say
 * how many tests are hidden and how they went. */
void validate_gradescope(const cJSON *doc, const pack *p)
{
    static const char *const top[] = {"score", "execution_time", "output", "output_format",
        "test_output_format", "test_name_format", "visibility", "stdout_visibility", "extra_data",
        "tests", "leaderboard", NULL};
    static const char *const test_keys[] = {"score", "max_score", "status", "name", "name_format",
        "number", "output", "output_format", "tags", "visibility", "extra_data", NULL};
    static const char *const statuses[] = {"passed", "failed", NULL};
    cr_assert(cJSON_IsObject(doc));
    only_keys(doc, top, "results.json");
    double score = num(doc, "score");
    if (cJSON_HasObjectItem(doc, "execution_time"))
        cr_expect_geq(num(doc, "execution_time"), 0);
    if (cJSON_HasObjectItem(doc, "output"))
        str(doc, "output");
    if (cJSON_HasObjectItem(doc, "output_format"))
        cr_expect(one_of(str(doc, "output_format"), GS_FORMATS));
    if (cJSON_HasObjectItem(doc, "visibility"))
        cr_expect(one_of(str(doc, "visibility"), GS_VISIBILITY));
    /* run_autograder's stdout is the staff's log, never the student's */
    cr_expect_str_eq(str(doc, "stdout_visibility"), "hidden");
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(doc, "tests"), *t;
    cr_assert(cJSON_IsArray(tests));
    double sum = 0, max_sum = 0;
    size_t k = 0;
    cJSON_ArrayForEach(t, tests) {
        cr_assert(cJSON_IsObject(t));
        only_keys(t, test_keys, "a test");
        double s = num(t, "score"), m = num(t, "max_score");
        cr_expect(s >= 0 && s <= m, "score %g of %g", s, m);
        const char *status = str(t, "status");
        cr_expect(one_of(status, statuses), "status %s", status);
        /* a test worth no points may pass or fail with 0 of 0 */
        cr_expect(m == 0 || !strcmp(status, "passed") == (s == m), "%s with %g of %g", status, s, m);
        cr_expect_neq(*str(t, "name"), '\0');
        str(t, "output");
        str(t, "number");
        cr_expect(one_of(str(t, "visibility"), GS_VISIBILITY));
        sum += s;
        max_sum += m;
        k++;
    }
    cr_expect(fabs(sum - score) < 1e-9, "score %g, but the tests add up to %g", score, sum);
    if (!p)
        return;
    size_t want = 0, hidden = 0, hidden_passed = 0;
    for (size_t e = 0; e < p->rubric.nexercises; e++)
        for (size_t i = 0; i < p->rubric.exercises[e].ntests; i++, want++) {
            const cJSON *test = cJSON_GetArrayItem(tests, (int)want);
            cr_assert_not_null(test, "test %zu is missing", want);
            const rubric_test *rt = &p->rubric.exercises[e].tests[i];
            cr_expect_eq(num(test, "max_score"), rt->points);
            cr_expect_str_eq(str(test, "visibility"), "visible", "%s", str(test, "name"));
            char name[512];
            expected_name(p, e, i, name, sizeof name);
            cr_expect_str_eq(str(test, "name"), name);
            if (rt->visibility != RUBRIC_VISIBLE) {
                hidden++;
                hidden_passed += !strcmp(str(test, "status"), "passed");
            }
        }
    cr_expect_eq(k, want);
    cr_expect_eq(max_sum, p->rubric.total);
    char total[128];
    snprintf(total, sizeof total, "Total: %.17g/%.17g points.", score, p->rubric.total);
    const char *out = str(doc, "output");
    cr_expect(!strncmp(out, total, strlen(total)), "the output does not start with \"%s\":\n%s", total, out);
    if (hidden && !strstr(out, "could not run")) {
        char words[160];
        snprintf(words, sizeof words, "%zu of the tests are hidden", hidden);
        cr_expect(strstr(out, words) != NULL, "the output does not say \"%s\":\n%s", words, out);
        snprintf(words, sizeof words, "%zu passed, %zu failed.", hidden_passed, hidden - hidden_passed);
        cr_expect(strstr(out, words) != NULL, "the output does not say \"%s\":\n%s", words, out);
    }
}

/* PrairieLearn's results.json. */
void validate_prairielearn(const cJSON *doc, const pack *p)
{
    static const char *const top[] = {"gradable", "score", "message", "output", "images", "tests",
                                      "format_errors", NULL};
    static const char *const test_keys[] = {"name", "description", "points", "max_points", "message",
                                            "output", "images", NULL};
    cr_assert(cJSON_IsObject(doc));
    only_keys(doc, top, "results.json");
    const cJSON *gradable = cJSON_GetObjectItemCaseSensitive(doc, "gradable");
    cr_assert(cJSON_IsBool(gradable), "gradable must be true or false");
    double score = num(doc, "score");
    cr_expect(score >= 0 && score <= 1, "score %g is not in [0, 1]", score);
    cr_expect_neq(*str(doc, "message"), '\0', "the message must say something");
    if (cJSON_HasObjectItem(doc, "output"))
        str(doc, "output");
    if (cJSON_IsFalse(gradable)) {
        const cJSON *errors = cJSON_GetObjectItemCaseSensitive(doc, "format_errors"), *e;
        cr_assert(cJSON_IsArray(errors) && cJSON_GetArraySize(errors) > 0,
                  "not gradable: format_errors must say why");
        cJSON_ArrayForEach(e, errors)
            cr_expect(cJSON_IsString(e));
    }
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(doc, "tests"), *t;
    cr_assert(cJSON_IsArray(tests));
    double points = 0, max_points = 0;
    cJSON_ArrayForEach(t, tests) {
        only_keys(t, test_keys, "a test");
        double s = num(t, "points"), m = num(t, "max_points");
        cr_expect(s >= 0 && s <= m, "points %g of %g", s, m);
        cr_expect_neq(*str(t, "name"), '\0');
        str(t, "message");
        str(t, "output");
        str(t, "description");
        points += s;
        max_points += m;
    }
    if (cJSON_IsTrue(gradable) && max_points > 0)
        cr_expect(fabs(score - points / max_points) < 1e-12, "score %g, but the tests give %g", score,
                  points / max_points);
    if (p && cJSON_IsTrue(gradable))
        cr_expect_eq(max_points, p->rubric.total);
    /* the rubric's tests one for one, hidden ones by their safe name */
    size_t k = 0;
    for (size_t e = 0; p && cJSON_GetArraySize(tests) > 0 && e < p->rubric.nexercises; e++)
        for (size_t i = 0; i < p->rubric.exercises[e].ntests; i++, k++) {
            const cJSON *test = cJSON_GetArrayItem(tests, (int)k);
            cr_assert_not_null(test, "test %zu is missing", k);
            char name[512];
            expected_name(p, e, i, name, sizeof name);
            cr_expect_str_eq(str(test, "name"), name);
        }
}

/* The checks Coursera's local tool (coursera_autograder grade local) applies
 * to feedback.json. */
double validate_coursera(const cJSON *doc)
{
    cr_assert(cJSON_IsObject(doc), "feedback.json is not a JSON object");
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(doc, "fractionalScore");
    cr_assert_not_null(f, "Required field 'fractionalScore' is missing");
    cr_assert(!cJSON_IsBool(f), "'fractionalScore' is a bool");
    cr_assert(cJSON_IsNumber(f), "'fractionalScore' must be a decimal");
    cr_assert(f->valuedouble <= 1, "'fractionalScore' must be <= 1 (%g)", f->valuedouble);
    cr_assert(f->valuedouble >= 0, "'fractionalScore' must be >= 0 (%g)", f->valuedouble);
    const cJSON *fb = cJSON_GetObjectItemCaseSensitive(doc, "feedback");
    cr_assert_not_null(fb, "Field 'feedback' not present");
    cr_assert(cJSON_IsString(fb) && *fb->valuestring, "the feedback must say something");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(doc, "feedbackType");
    cr_expect(!type || (cJSON_IsString(type) && !strcmp(type->valuestring, "HTML")));
    return f->valuedouble;
}

