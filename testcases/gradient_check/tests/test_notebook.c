/*
 * make notebook — the notebook's cells replayed on the reference.
 *
 * An instructor compares this output with the course's notebook line by line,
 * so it must print what the notebook prints: "J = 8" and "dtheta = 3" (Python
 * ints there), the notebook's coloured messages, and every float as Python's
 * str() would print it (the shortest text that reads back), never C's %.17g
 * ("2.9193358832916952e-10"). The N-dimensional numbers are recomputed here
 * with the reference linked into this binary and must appear to the digit.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backprop_variants.h"
#include "gradient_check.h"
#include "gradient_check_data.h"
#include "jsonio.h"
#include "pyfloat.h"
#include "testutil.h"

#define MISTAKE "\033[93mThere is a mistake in the backward propagation! difference = "
#define WORKS "\033[92mYour backward propagation works perfectly fine! difference = "
#define END "\033[0m"

static char *notebook_output(void)
{
    const char *const argv[] = {"/usr/bin/make", "-s", "notebook", "B=" TU_BUILD, NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "make -s notebook exited %d: %s", r.status, r.err);
    char *out = r.out;
    r.out = NULL;
    tu_result_free(&r);
    return out;
}

/* Is line a whole line of text (not just a part of one)? Returns where, or NULL. */
static const char *find_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *at = strstr(text, line); at; at = strstr(at + 1, line))
        if ((at == text || at[-1] == '\n') && (at[n] == '\n' || at[n] == '\0'))
            return at;
    return NULL;
}

static double reference_check_n(const char *variant)
{
    hr_error err;
    cJSON *doc = jsonio_read_file("testcases/gradient_check/gradient_check_n_test_case.json", &err);
    cr_assert_not_null(doc, "%s", err.msg);
    gcd_case c;
    cr_assert_eq(gcd_case_read(doc, &c, &err), 0, "%s", err.msg);
    cJSON_Delete(doc);
    gc_cache cache;
    gc_gradients g;
    forward_propagation_n(&c.X, &c.Y, &c.parameters, &cache);
    cr_assert_eq(gcv_backprop(variant, &c.X, &c.Y, &cache, &g, &err), 0, "%s", err.msg);
    double d = gradient_check_n(&c.parameters, &g, &c.X, &c.Y, 1e-7, false);
    gc_gradients_free(&g);
    gc_cache_free(&cache);
    gcd_case_free(&c);
    return d;
}

static void expect_the_cells(const char *out)
{
    cr_expect(find_line(out, "J = 8"), "no line 'J = 8' in:\n%s", out);
    cr_expect(find_line(out, "dtheta = 3"), "no line 'dtheta = 3' in:\n%s", out);
    /* the 1-D checks, with the course's published digits */
    cr_expect(find_line(out, WORKS "2.919335883291695e-10" END), "gradient_check(2, 4)'s message:\n%s", out);
    cr_expect(find_line(out, WORKS "7.814075313343006e-11" END), "gradient_check(3, 4)'s message:\n%s", out);
    cr_expect(find_line(out, "cost = 2.407833389834357"), "the fixture's cost:\n%s", out);
}

/* The gradient_check_n messages: a mistake for the handed-out backprop, then
 * "works" once it is fixed, each with the reference's difference to the digit. */
static void expect_the_n_messages(const char *out)
{
    char line[256], text[PYFLOAT_MAX];
    double buggy = reference_check_n("as_handed_out"), fixed = reference_check_n("reference");
    /* the right numbers to start with: the course's, within its np.isclose */
    cr_assert(fabs(buggy - 0.2850931567761623) <= 1e-8 + 1e-5 * 0.2850931567761623, "%.17g", buggy);
    cr_assert(fabs(fixed - 1.1890913024229996e-07) <= 1e-8 + 1e-5 * 1.1890913024229996e-07, "%.17g", fixed);

    pyfloat_repr(buggy, text);
    snprintf(line, sizeof line, MISTAKE "%s" END, text);
    const char *mistake = find_line(out, line);
    cr_expect(mistake, "the handed-out backprop: no line '%s' in:\n%s", line, out);

    pyfloat_repr(fixed, text);
    snprintf(line, sizeof line, WORKS "%s" END, text);
    const char *works = find_line(out, line);
    cr_expect(works, "the fixed backprop: no line '%s' in:\n%s", line, out);
    cr_expect(mistake && works && mistake < works, "the handed-out check comes first, as in the notebook");
}

/* Every number printed is Python's text for its double: reading it and
 * printing it again with pyfloat_repr gives the same characters. %.17g would
 * not ("0.28509315678069898"). */
static void expect_python_floats(const char *out)
{
    int numbers = 0;
    for (const char *s = out; *s;) {
        bool starts = (isdigit((unsigned char)*s) || (*s == '-' && isdigit((unsigned char)s[1]))) &&
                      (s == out || s[-1] == ' ');
        if (!starts) {
            s++;
            continue;
        }
        size_t n = strspn(s, "0123456789.-+e");
        char token[64], again[PYFLOAT_MAX];
        cr_assert_lt(n, sizeof token);
        memcpy(token, s, n);
        token[n] = '\0';
        s += n;
        double v;
        cr_assert_eq(pyfloat_parse(token, &v), 0, "'%s' is not a number", token);
        if (strchr(token, '.') || strchr(token, 'e')) {
            pyfloat_repr(v, again);
            cr_expect_str_eq(token, again, "printed '%s'; Python prints '%s'", token, again);
            numbers++;
        }
    }
    cr_expect_geq(numbers, 6, "only %d floats in the output:\n%s", numbers, out);
}

/* One run of make for all three checks: parallel tests must not run make on
 * the same build folder at once. */
Test(notebook, make_notebook_prints_what_the_notebook_prints)
{
    char *out = notebook_output();
    expect_the_cells(out);
    expect_the_n_messages(out);
    expect_python_floats(out);
    free(out);
}
