/*
 * compare.c — the grader's comparisons (see compare.h).
 *
 * Kept free of the grader's data structures (rubric, pack, cJSON) so that
 * the very same file ships in the student kit and reads on its own. The
 * messages are the grader's words for a public test; score.c adds only what
 * a hidden test may not show.
 */
#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyfloat.h"

bool cmp_isclose(double got, double expected, double rtol, double atol)
{
    if (!isfinite(got) || !isfinite(expected))
        return got == expected;
    return fabs(got - expected) <= atol + rtol * fabs(expected);
}

int cmp_side(double difference, double threshold)
{
    if (isnan(difference))
        return -1;
    return difference > threshold ? 1 : 0;
}

bool cmp_exact(double got, double expected, char *why, size_t len)
{
    char g[PYFLOAT_MAX], e[PYFLOAT_MAX];
    pyfloat_repr(got, g);
    pyfloat_repr(expected, e);
    snprintf(why, len, "expected %s, got %s", e, g);
    return got == expected;
}

bool cmp_close(double got, double expected, double rtol, double atol, char *why, size_t len)
{
    char g[PYFLOAT_MAX], e[PYFLOAT_MAX], rt[PYFLOAT_MAX], at[PYFLOAT_MAX];
    pyfloat_repr(got, g);
    pyfloat_repr(expected, e);
    pyfloat_repr(rtol, rt);
    pyfloat_repr(atol, at);
    snprintf(why, len, "expected %s (rtol %s, atol %s), got %s", e, rt, at, g);
    return cmp_isclose(got, expected, rtol, atol);
}

char *cmp_without_colours(const char *s)
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

/* The number printed right after prefix in text, as its token; -1 if the
 * prefix is absent. */
static int token_after(const char *text, const char *prefix, char *token, size_t len)
{
    const char *at = strstr(text, prefix);
    if (!at)
        return -1;
    at += strlen(prefix);
    while (*at == ' ' || *at == '\t')
        at++;
    size_t n = 0;
    while (at[n] && !strchr(" \t\r\n", at[n]) && n + 1 < len) {
        token[n] = at[n];
        n++;
    }
    token[n] = '\0';
    return 0;
}

int cmp_printed_digits(const char *token, double *place)
{
    const char *p = token;
    if (*p == '+' || *p == '-')
        p++;
    int digits = 0, after_point = -1;
    bool leading = true;
    for (; (*p >= '0' && *p <= '9') || *p == '.'; p++) {
        if (*p == '.') {
            if (after_point >= 0)
                return -1;
            after_point = 0;
            continue;
        }
        if (after_point >= 0)
            after_point++;
        if (*p != '0')
            leading = false;
        if (!leading)
            digits++;
    }
    if (p == token || (after_point < 0 && p[-1] == '.'))
        return -1;
    long exponent = 0;
    if (*p == 'e' || *p == 'E') {
        char *end;
        exponent = strtol(p + 1, &end, 10);
        if (end == p + 1)
            return -1;
        p = end;
    }
    if (*p)
        return -1;
    if (place)
        *place = pow(10.0, (double)(exponent - (after_point > 0 ? after_point : 0)));
    return digits;
}

/* Does token, printed for value, agree with it to the digits printed? 1 yes
 * (exactly: 2), 0 no, -1 too few digits to say (fewer than CMP_MIN_DIGITS). */
static int agrees(const char *token, double value)
{
    double printed, place;
    if (pyfloat_parse(token, &printed) != 0)
        return 0;
    if (printed == value || (isnan(printed) && isnan(value)))
        return 2;
    int digits = cmp_printed_digits(token, &place);
    if (digits < 0 || !isfinite(value))
        return 0;
    if (digits < CMP_MIN_DIGITS)
        return -1;
    /* printf rounds the exact value to the last digit printed: within half a
     * unit of it (a hair more for the rounding of place itself) */
    return fabs(printed - value) <= 0.5 * place * (1 + 1e-9) ? 1 : 0;
}

/* The messages end in "difference = "; look for them without the blank. */
static void trimmed(const char *s, char *out, size_t len)
{
    snprintf(out, len, "%s", s);
    size_t n = strlen(out);
    while (n && out[n - 1] == ' ')
        out[--n] = '\0';
}

int cmp_printed_side(const char *printed, const cmp_verdict_rule *rule)
{
    char *text = cmp_without_colours(printed ? printed : "");
    char above[512], below[512];
    trimmed(rule->above, above, sizeof above);
    trimmed(rule->below, below, sizeof below);
    int side = !text ? -1 : strstr(text, above) ? 1 : strstr(text, below) ? 0 : -1;
    free(text);
    return side;
}

bool cmp_message(const char *printed, const cmp_verdict_rule *rule, double got, char *why,
                          size_t len)
{
    cmp_output o = {.out = printed, .check_message = true};
    return cmp_output_check(&o, rule, got, why, len);
}

/* Is either message of the rule in text? */
static bool has_message(const char *text, const cmp_verdict_rule *rule)
{
    return text && cmp_printed_side(text, rule) >= 0;
}

bool cmp_output_check(cmp_output *o, const cmp_verdict_rule *rule, double got, char *why, size_t len)
{
    o->note[0] = '\0';
    if (o->silent) {
        bool out = has_message(o->out, rule), err = has_message(o->err, rule);
        if (out || err)
            snprintf(why, len, "with print_msg false it should print nothing, but it printed the "
                     "notebook's message%s", out ? "" : " (printed on stderr)");
        return !out && !err;
    }
    if (!o->check_message)
        return true;
    char *text = cmp_without_colours(o->out ? o->out : "");
    if (!text) {
        snprintf(why, len, "out of memory");
        return false;
    }
    int side = cmp_side(got, rule->threshold);
    char want[512], other[512], shown[PYFLOAT_MAX], token[64];
    trimmed(side == 1 ? rule->above : rule->below, want, sizeof want);
    trimmed(side == 1 ? rule->below : rule->above, other, sizeof other);
    pyfloat_repr(got, shown);
    bool ok = false;
    int agreement = 0;
    if (strstr(text, other))
        snprintf(why, len, "it printed \"%s ...\", but your difference %s calls for \"%s ...\"", other,
                 shown, want);
    else if (token_after(text, want, token, sizeof token) != 0)
        snprintf(why, len, "with print_msg it should print \"%s %s\"; it printed %s", want, shown,
                 has_message(o->err, rule) ? "it, but printed on stderr (print it with printf, on stdout)"
                 : *text ? "something else" : "nothing");
    else if ((agreement = agrees(token, got)) < 0)
        snprintf(why, len, "the message's number %s has fewer than %d significant digits: print "
                 "the difference (%s) with gc_float_str, or %%e or %%g", token, CMP_MIN_DIGITS, shown);
    else if (agreement == 0)
        snprintf(why, len,
                 "the message's number %s is not the difference returned (%s); print it with gc_float_str",
                 token, shown);
    else
        ok = true;
    if (ok && strcmp(token, shown) != 0)
        snprintf(o->note, sizeof o->note, "note: the message's number %s is right, printed with %s "
                 "digits than the notebook's %s; gc_float_str prints them exactly (this costs nothing)",
                 token, cmp_printed_digits(token, NULL) < cmp_printed_digits(shown, NULL) ? "fewer" : "other",
                 shown);
    free(text);
    return ok;
}

bool cmp_verdict(double got, double expected, const cmp_verdict_rule *rule, const char *printed,
                 char *why, size_t len)
{
    cmp_output o = {.out = printed, .check_message = printed != NULL};
    return cmp_verdict_output(got, expected, rule, &o, why, len);
}

bool cmp_verdict_output(double got, double expected, const cmp_verdict_rule *rule, cmp_output *o,
                        char *why, size_t len)
{
    int want = cmp_side(expected, rule->threshold), side = cmp_side(got, rule->threshold);
    char g[PYFLOAT_MAX], e[PYFLOAT_MAX], th[PYFLOAT_MAX];
    pyfloat_repr(got, g);
    pyfloat_repr(expected, e);
    pyfloat_repr(rule->threshold, th);
    o->note[0] = '\0';
    if (side >= 0 && got < 0) {
        snprintf(why, len, "returned %s, not a difference: a norm divided by a sum of norms is never "
                 "negative", g);
        return false;
    }
    if (side < 0)
        snprintf(why, len, "returned %s, not a difference", g);
    else if (want == 1)
        snprintf(why, len, "the gradients have a mistake (the reference's difference is %s), but "
                 "your check returned %s, not above the threshold %s", e, g, th);
    else
        snprintf(why, len, "the reference's check finds no mistake in these gradients (its difference "
                 "is %s), but your check returned %s, above the threshold %s", e, g, th);
    if (side < 0 || side != want)   /* NaN is no verdict, even against a NaN */
        return false;
    if (o->has_handed_out && memcmp(&got, &o->handed_out, sizeof got) == 0 &&
        !strcmp(o->out ? o->out : "", o->handed_out_stdout ? o->handed_out_stdout : "")) {
        snprintf(why, len, "returned %s and printed what the template does as handed out: the check is "
                 "not written yet", g);
        return false;
    }
    char wrong[768];
    if (!cmp_output_check(o, rule, got, wrong, sizeof wrong)) {
        snprintf(why, len, "right verdict, wrong message: %s", wrong);
        return false;
    }
    return true;
}

/* ---- structures ------------------------------------------------------------ */

void cmp_tally_init(cmp_tally *t, double rtol, double atol, bool exact)
{
    memset(t, 0, sizeof *t);
    t->rtol = rtol;
    t->atol = atol;
    t->exact = exact;
}

void cmp_pair_text(double got, double expected, char *g, char *e, size_t len)
{
    for (int digits = 6; digits <= 17; digits++) {
        snprintf(g, len, "%.*g", digits, got);
        snprintf(e, len, "%.*g", digits, expected);
        if (strcmp(g, e) != 0)
            return;
    }
    /* equal texts at 17 digits: the same value (or both NaN); say it exactly */
    pyfloat_repr(got, g);
    pyfloat_repr(expected, e);
}

/* Appends text to buf with a separator, if room is left. */
static void append(char *buf, size_t len, const char *sep, const char *text)
{
    size_t used = strlen(buf);
    if (used + 1 < len)
        snprintf(buf + used, len - used, "%s%s", used ? sep : "", text);
}

static void mark_member(cmp_tally *t, const char *path)
{
    /* "dW2" once, however many of its elements are wrong */
    size_t n = strlen(path);
    for (const char *at = t->members; (at = strstr(at, path)) != NULL; at += n)
        if ((at == t->members || at[-1] == ' ') && (at[n] == ',' || at[n] == '\0'))
            return;
    append(t->members, sizeof t->members, ", ", path);
}

void cmp_problem(cmp_tally *t, const char *path, const char *what)
{
    t->problems++;
    mark_member(t, path);
    if (t->shown++ < CMP_SHOW) {
        char text[384];
        snprintf(text, sizeof text, "%s: %s", path, what);
        append(t->first, sizeof t->first, "; ", text);
    }
}

bool cmp_matrix(cmp_tally *t, const char *path, bool scalar, const double *got, size_t got_rows,
                size_t got_cols, const double *expected, size_t rows, size_t cols)
{
    if (got_rows != rows || got_cols != cols) {
        char what[128];
        snprintf(what, sizeof what, "shape (%zu, %zu), expected (%zu, %zu)", got_rows, got_cols, rows, cols);
        cmp_problem(t, path, what);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < rows * cols; i++) {
        double a = got[i], b = expected[i];
        t->elements++;
        if (t->exact ? a == b : cmp_isclose(a, b, t->rtol, t->atol))
            continue;
        ok = false;
        t->wrong++;
        mark_member(t, path);
        if (t->shown++ < CMP_SHOW) {
            char g[40], e[40], text[384];
            cmp_pair_text(a, b, g, e, sizeof g);
            if (scalar)
                snprintf(text, sizeof text, "%s: expected %s, got %s", path, e, g);
            else
                snprintf(text, sizeof text, "%s[%zu][%zu]: expected %s, got %s", path, i / cols,
                         i % cols, e, g);
            append(t->first, sizeof t->first, "; ", text);
        }
    }
    return ok;
}

bool cmp_tally_ok(const cmp_tally *t)
{
    return t->wrong == 0 && t->problems == 0;
}

void cmp_tally_why(const cmp_tally *t, char *why, size_t len)
{
    char rule[96], rt[PYFLOAT_MAX], at[PYFLOAT_MAX];
    pyfloat_repr(t->rtol, rt);
    pyfloat_repr(t->atol, at);
    if (t->exact)
        snprintf(rule, sizeof rule, "exactly");
    else
        snprintf(rule, sizeof rule, "np.allclose, rtol %s, atol %s", rt, at);
    const char *more = t->shown > CMP_SHOW ? "; ..." : "";
    if (cmp_tally_ok(t))
        snprintf(why, len, "all %zu elements match (%s)", t->elements, rule);
    else if (t->problems == 0)
        snprintf(why, len, "%zu of %zu elements differ (%s): %s%s (wrong: %s)", t->wrong, t->elements,
                 rule, t->first, more, t->members);
    else
        snprintf(why, len, "%s%s (wrong: %s)", t->first, more, t->members);
}

void cmp_tally_members(const cmp_tally *t, char *why, size_t len)
{
    if (cmp_tally_ok(t))
        snprintf(why, len, "every member matches");
    else
        snprintf(why, len, "wrong: %s", t->members);
}
