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
    char *text = cmp_without_colours(printed ? printed : "");
    if (!text) {
        snprintf(why, len, "out of memory");
        return false;
    }
    int side = cmp_side(got, rule->threshold);
    char want[512], other[512], shown[PYFLOAT_MAX];
    trimmed(side == 1 ? rule->above : rule->below, want, sizeof want);
    trimmed(side == 1 ? rule->below : rule->above, other, sizeof other);
    pyfloat_repr(got, shown);
    double printed_value = NAN;
    bool parsed = false, ok = false;
    if (strstr(text, other))
        snprintf(why, len, "it printed \"%s ...\", but your difference %s calls for \"%s ...\"", other,
                 shown, want);
    else if (number_after(text, want, &printed_value, &parsed) != 0)
        snprintf(why, len, "with print_msg it should print \"%s %s\"; it printed %s", want, shown,
                 *text ? "something else" : "nothing");
    else if (!parsed || !(printed_value == got || (isnan(printed_value) && isnan(got))))
        snprintf(why, len,
                 "the message's number is not the difference returned (%s); print it with gc_float_str",
                 shown);
    else
        ok = true;
    free(text);
    return ok;
}

bool cmp_verdict(double got, double expected, const cmp_verdict_rule *rule, const char *printed,
                 char *why, size_t len)
{
    int want = cmp_side(expected, rule->threshold), side = cmp_side(got, rule->threshold);
    char g[PYFLOAT_MAX], e[PYFLOAT_MAX], th[PYFLOAT_MAX];
    pyfloat_repr(got, g);
    pyfloat_repr(expected, e);
    pyfloat_repr(rule->threshold, th);
    if (side < 0)
        snprintf(why, len, "returned %s, not a difference", g);
    else if (want == 1)
        snprintf(why, len, "the gradients have a mistake (the reference's difference is %s), but "
                 "your check returned %s, not above the threshold %s", e, g, th);
    else
        snprintf(why, len, "the gradients are right (the reference's difference is %s), but your "
                 "check returned %s, above the threshold %s", e, g, th);
    if (side < 0 || side != want)   /* NaN is no verdict, even against a NaN */
        return false;
    char wrong[768];
    if (printed && !cmp_message(printed, rule, got, wrong, sizeof wrong)) {
        snprintf(why, len, "right verdict, wrong message: %s", wrong);
        return false;
    }
    return true;
}
