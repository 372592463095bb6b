/* score — see score.h. */
#include "score.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "pyfloat.h"

/* How much of a test's output a report keeps. */
#define SCORE_OUTPUT_KEEP 2048

bool score_isclose(double got, double expected, double rtol, double atol)
{
    if (!isfinite(got) || !isfinite(expected))
        return got == expected;
    return fabs(got - expected) <= atol + rtol * fabs(expected);
}

int score_verdict_side(double difference, double threshold)
{
    if (isnan(difference))
        return -1;
    return difference > threshold ? 1 : 0;
}

/* Copies printed text without ANSI escape sequences. */
static char *strip_ansi(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    while (out && *s) {
        if (*s == '\033' && s[1] == '[') {
            s += 2;
            while (*s && !(*s >= '@' && *s <= '~'))
                s++;
            if (*s)
                s++;
            continue;
        }
        *o++ = *s++;
    }
    if (out)
        *o = '\0';
    return out;
}

/* The number printed right after prefix in text; -1 if the prefix is absent. */
static int number_after(const char *text, const char *prefix, double *v, bool *parsed)
{
    const char *at = strstr(text, prefix);
    if (!at)
        return -1;
    at += strlen(prefix);
    while (*at == ' ' || *at == '\t')
        at++;
    char token[64];
    size_t n = 0;
    while (at[n] && !strchr(" \t\r\n", at[n]) && n + 1 < sizeof token) {
        token[n] = at[n];
        n++;
    }
    token[n] = '\0';
    *parsed = pyfloat_parse(token, v) == 0;
    return 0;
}

/* Rubric messages end in "difference = "; compare without trailing blanks. */
static void trimmed(const char *s, char *out, size_t len)
{
    snprintf(out, len, "%s", s);
    size_t n = strlen(out);
    while (n && out[n - 1] == ' ')
        out[--n] = '\0';
}

int score_check_message(const char *printed, const rubric_verdict *v, double returned, char *why,
                        size_t whylen)
{
    char *text = strip_ansi(printed ? printed : "");
    if (!text) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    int side = score_verdict_side(returned, v->threshold);
    char want[512], other[512], shown[PYFLOAT_MAX];
    trimmed(side == 1 ? v->above : v->below, want, sizeof want);
    trimmed(side == 1 ? v->below : v->above, other, sizeof other);
    pyfloat_repr(returned, shown);
    double printed_value = NAN;
    bool parsed = false;
    int rc = 0;
    if (strstr(text, other)) {
        snprintf(why, whylen, "it printed \"%s ...\", but your difference %s calls for \"%s ...\"", other,
                 shown, want);
        rc = -1;
    } else if (number_after(text, want, &printed_value, &parsed) != 0) {
        snprintf(why, whylen, "with print_msg it should print \"%s %s\"; it printed %s", want, shown,
                 *text ? "something else" : "nothing");
        rc = -1;
    } else if (!parsed || !(printed_value == returned || (isnan(printed_value) && isnan(returned)))) {
        snprintf(why, whylen,
                 "the message's number is not the difference returned (%s); print it with gc_float_str",
                 shown);
        rc = -1;
    }
    free(text);
    return rc;
}

static void set_both(score_test *out, const char *fmt_student, const char *detail)
{
    snprintf(out->message, sizeof out->message, "%s", fmt_student);
    snprintf(out->detail, sizeof out->detail, "%s", detail);
}

/* A hidden test says what kind of failure it was, never its numbers. */
static void fail_value(score_test *out, const rubric_test *t, const char *kind, const char *detail)
{
    if (t->visibility == RUBRIC_VISIBLE) {
        set_both(out, detail, detail);
        return;
    }
    char safe[512];
    snprintf(safe, sizeof safe, "%s (hidden test: its inputs and expected value are not shown)", kind);
    set_both(out, safe, detail);
}

static void compare_value(const rubric *r, const rubric_test *t, double got, double exp,
                          const observation *obs, score_test *out)
{
    char g[PYFLOAT_MAX], e[PYFLOAT_MAX], d[1024];
    pyfloat_repr(got, g);
    pyfloat_repr(exp, e);
    switch (t->compare.kind) {
    case RUBRIC_EXACT:
        out->passed = got == exp;
        snprintf(d, sizeof d, "expected %s, got %s", e, g);
        break;
    case RUBRIC_TOLERANCE: {
        char rt[PYFLOAT_MAX], at[PYFLOAT_MAX];
        pyfloat_repr(t->compare.rtol, rt);
        pyfloat_repr(t->compare.atol, at);
        out->passed = score_isclose(got, exp, t->compare.rtol, t->compare.atol);
        snprintf(d, sizeof d, "expected %s (rtol %s, atol %s), got %s", e, rt, at, g);
        break;
    }
    case RUBRIC_BLOCKS:   /* compared by compare_blocks */
        break;
    case RUBRIC_VERDICT: {
        int want = score_verdict_side(exp, r->verdict.threshold);
        int side = score_verdict_side(got, r->verdict.threshold);
        char th[PYFLOAT_MAX];
        pyfloat_repr(r->verdict.threshold, th);
        /* a NaN is no verdict, even where the reference's was NaN too */
        out->passed = side >= 0 && side == want;
        if (side < 0)
            snprintf(d, sizeof d, "returned %s, not a difference", g);
        else if (want == 1)
            snprintf(d, sizeof d, "the gradients have a mistake (the reference's difference is %s), but "
                     "your check returned %s, not above the threshold %s", e, g, th);
        else
            snprintf(d, sizeof d, "the gradients are right (the reference's difference is %s), but your "
                     "check returned %s, above the threshold %s", e, g, th);
        char why[768];
        if (out->passed && t->compare.check_message &&
            score_check_message(obs->out, &r->verdict, got, why, sizeof why) != 0) {
            out->passed = false;
            snprintf(d, sizeof d, "right verdict, wrong message: %s", why);
        }
        break;
    }
    }
    if (out->passed)
        set_both(out, "passed", "passed");
    else
        fail_value(out, t, "wrong value", d);
}

/* Which verdict message (1 above, 0 below, -1 none) printed text carries. */
int score_printed_side(const char *printed, const rubric_verdict *v)
{
    char *text = strip_ansi(printed ? printed : "");
    char above[512], below[512];
    trimmed(v->above, above, sizeof above);
    trimmed(v->below, below, sizeof below);
    int side = !text ? -1 : strstr(text, above) ? 1 : strstr(text, below) ? 0 : -1;
    free(text);
    return side;
}

void score_render_table(const cJSON *table, bool values, char *out, size_t len)
{
    const cJSON *row;
    const char *title = cJSON_GetStringValue(jsonio_get(table, "title"));
    size_t used = (size_t)snprintf(out, len, "%s: ", title ? title : "table");
    bool first = true;
    cJSON_ArrayForEach(row, jsonio_get(table, "rows")) {
        double v = NAN;
        jsonio_get_double(jsonio_get(row, "value"), &v);
        const char *label = cJSON_GetStringValue(jsonio_get(row, "label"));
        char num[32] = "";
        if (values)
            snprintf(num, sizeof num, " %.2g", v);
        if (used < len)
            used += (size_t)snprintf(out + used, len - used, "%s%s%s %s", first ? "" : ", ",
                                     label ? label : "?", num,
                                     cJSON_IsTrue(jsonio_get(row, "ok")) ? "\u2713" : "\u2717");
        first = false;
    }
}

/* ---- blocks --------------------------------------------------------------- */

/* Frobenius relative difference of two equally shaped lists of rows. */
static int block_difference(const cJSON *a, const cJSON *b, double *rel, double *distance)
{
    double *da, *db;
    size_t ra, ca, rb, cb;
    if (jsonio_get_matrix(a, false, &da, &ra, &ca, NULL) != 0)
        return -1;
    if (jsonio_get_matrix(b, false, &db, &rb, &cb, NULL) != 0 || ra != rb || ca != cb) {
        free(da);
        return -1;
    }
    double diff = 0, na = 0, nb = 0;
    for (size_t i = 0; i < ra * ca; i++) {
        diff += (da[i] - db[i]) * (da[i] - db[i]);
        na += da[i] * da[i];
        nb += db[i] * db[i];
    }
    free(da);
    free(db);
    double den = sqrt(na) + sqrt(nb);
    *distance = sqrt(diff);
    *rel = den == 0 ? 0 : sqrt(diff) / den;
    return 0;
}

/* Compares returned blocks with the reference blocks; builds the table. */
static void compare_blocks(const rubric_test *t, const pack_case *c, const cJSON *got, score_test *out)
{
    const cJSON *ref = jsonio_get(c->annotation, "blocks");
    if (!ref)
        ref = jsonio_get(c->expected, "return");
    cJSON *table = cJSON_CreateObject();
    cJSON_AddStringToObject(table, "title", "your blocks against the numerical gradient");
    cJSON *rows = cJSON_AddArrayToObject(table, "rows");
    const cJSON *block;
    bool all = true, shaped = true;
    cJSON_ArrayForEach(block, ref) {
        double rel = NAN, distance = NAN;
        bool ok = block_difference(jsonio_get(got, block->string), block, &rel, &distance) == 0;
        shaped = shaped && ok;
        ok = ok && (rel <= t->compare.threshold || distance <= t->compare.atol);
        all = all && ok;
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "label", block->string);
        jsonio_add_double(row, "value", rel);
        cJSON_AddBoolToObject(row, "ok", ok);
        cJSON_AddItemToArray(rows, row);
    }
    out->passed = all && cJSON_IsObject(got);
    out->table = table;
    char text[1024];
    score_render_table(table, true, text, sizeof text);
    if (out->passed)
        set_both(out, "passed", "passed");
    else if (!shaped)
        set_both(out, "some blocks are missing or have the wrong shape", text);
    else
        set_both(out, text, text);
}

static const char *what_ended(const observation *obs, char *buf, size_t len)
{
    switch (obs->kind) {
    case OBS_TIMED_OUT:
        snprintf(buf, len, "timed out after %g s (an endless loop?)", obs->limit_s);
        return buf;
    case OBS_CRASHED:
    case OBS_CPU_LIMIT:
    case OBS_OUTPUT_LIMIT:
    case OBS_EXITED:
    case OBS_NO_RESULT:
    case OBS_MISSING:
        return obs->detail;
    case OBS_HARNESS_FAULT:
        snprintf(buf, len, "grader fault: %s (not your mistake; tell your instructor)", obs->detail);
        return buf;
    default:
        return "returned";
    }
}

void score_observed(const rubric *r, const rubric_test *t, const pack_case *c,
                    const observation *obs, score_test *out)
{
    memset(out, 0, sizeof *out);
    out->id = c->id;
    out->test = t;
    out->max_score = t->points;
    out->ran = true;
    out->ended = obs->kind;
    out->wall_s = obs->wall_s;
    if (obs->out && *obs->out) {
        size_t n = strlen(obs->out);
        out->output = strndup(obs->out, n > SCORE_OUTPUT_KEEP ? SCORE_OUTPUT_KEEP : n);
    }
    double got, exp;
    if (obs->kind != OBS_RETURNED) {
        char buf[768];
        const char *why = what_ended(obs, buf, sizeof buf);
        set_both(out, why, why);
    } else if (t->compare.kind == RUBRIC_BLOCKS) {
        compare_blocks(t, c, obs->ret, out);
    } else if (jsonio_get_double(obs->ret, &got) != 0) {
        set_both(out, "the function returned something that is not a number",
                 "the runner's return value is not a number");
    } else if (jsonio_get_double(jsonio_get(c->expected, "return"), &exp) != 0) {
        set_both(out, "grader fault: no expected value", "the pack has no expected value for this test");
    } else {
        compare_value(r, t, got, exp, obs, out);
    }
    out->kase = c;
    out->returned = obs->kind == OBS_RETURNED && jsonio_get_double(obs->ret, &out->got) == 0;
    out->printed_side = r->has_verdict ? score_printed_side(obs->out, &r->verdict) : -1;
    out->score = out->passed ? t->points : 0;
}

void score_not_run(const rubric_test *t, const pack_case *c, const char *why, score_test *out)
{
    memset(out, 0, sizeof *out);
    out->id = c->id;
    out->kase = c;
    out->test = t;
    out->max_score = t->points;
    out->ended = OBS_MISSING;
    set_both(out, why, why);
}

void score_test_free(score_test *t)
{
    free(t->output);
    cJSON_Delete(t->table);
    t->output = NULL;
    t->table = NULL;
}

void score_sum(score_exercise *ex)
{
    ex->score = 0;
    ex->max_score = 0;
    for (size_t i = 0; i < ex->ntests; i++) {
        ex->score += ex->tests[i].score;
        ex->max_score += ex->tests[i].max_score;
    }
}
