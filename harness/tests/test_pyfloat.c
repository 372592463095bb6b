/*
 * pyfloat — Python's repr(float), checked against Python itself.
 *
 * Every number the harness prints or writes to JSON goes through pyfloat_repr,
 * and the notebook's messages are compared by their text, so "the same digits
 * as Python" has to hold everywhere, not just on the course's few values. The
 * expected strings come from Python (data/gen_pyfloat_cases.py wrote
 * data/pyfloat_cases.txt with Debian's python3): thousands of random doubles of
 * every magnitude, every power of two with its neighbours (where the rounding
 * interval is lopsided), subnormals, and the layout thresholds 1e16 and 1e-4.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyfloat.h"

#define CASES "harness/tests/data/pyfloat_cases.txt"

static double from_bits(uint64_t b)
{
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

static uint64_t to_bits(double v)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return b;
}

typedef struct {
    uint64_t bits;
    char repr[64];
} pf_case;

/* Reads the whole data file; fails the test if it is missing or malformed. */
static pf_case *read_cases(size_t *count)
{
    FILE *f = fopen(CASES, "r");
    cr_assert_not_null(f, "%s is missing (run the tests from the repository's top folder)", CASES);
    size_t n = 0, cap = 0;
    pf_case *cases = NULL;
    char line[128];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (n == cap)
            cases = realloc(cases, (cap = cap * 2 + 1024) * sizeof *cases);
        cr_assert_not_null(cases);
        char hex[32];
        cr_assert_eq(sscanf(line, "%31s %63s", hex, cases[n].repr), 2, "%s:%d: malformed line", CASES, lineno);
        char *end;
        cases[n].bits = strtoull(hex, &end, 16);
        cr_assert(*end == '\0' && strlen(hex) == 16, "%s:%d: bad bit pattern '%s'", CASES, lineno, hex);
        n++;
    }
    fclose(f);
    *count = n;
    return cases;
}

Test(pyfloat, repr_equals_python_on_every_case)
{
    size_t n;
    pf_case *cases = read_cases(&n);
    cr_assert_gt(n, 5000, "the data file holds only %zu cases", n);
    size_t wrong = 0;
    for (size_t i = 0; i < n; i++) {
        char out[PYFLOAT_MAX];
        memset(out, 'X', sizeof out);
        size_t len = pyfloat_repr(from_bits(cases[i].bits), out);
        bool ok = len < PYFLOAT_MAX && strlen(out) == len && !strcmp(out, cases[i].repr);
        if (!ok && ++wrong <= 10)
            cr_log_error("bits %016" PRIx64 ": Python says %s, pyfloat_repr wrote %.*s (length %zu)",
                         cases[i].bits, cases[i].repr, PYFLOAT_MAX, out, len);
    }
    cr_expect_eq(wrong, 0, "%zu of %zu doubles are not printed as Python prints them", wrong, n);
    free(cases);
}

Test(pyfloat, parse_reads_python_repr_back_to_the_same_bits)
{
    size_t n;
    pf_case *cases = read_cases(&n);
    size_t wrong = 0;
    for (size_t i = 0; i < n; i++) {
        double want = from_bits(cases[i].bits), got = 0;
        bool ok = pyfloat_parse(cases[i].repr, &got) == 0 &&
                  (isnan(want) ? isnan(got) : to_bits(got) == cases[i].bits);
        if (!ok && ++wrong <= 10)
            cr_log_error("'%s' read back as %016" PRIx64 ", not %016" PRIx64, cases[i].repr, to_bits(got),
                         cases[i].bits);
    }
    cr_expect_eq(wrong, 0, "%zu of %zu texts do not read back to their double", wrong, n);
    free(cases);
}

/* The round trip the harness relies on for JSON: any double, through its
 * repr, comes back bit for bit (random bit patterns, not only the file's). */
Test(pyfloat, round_trip_of_random_bit_patterns)
{
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v = from_bits(x), back;
        if (!isfinite(v))
            continue;
        char out[PYFLOAT_MAX];
        pyfloat_repr(v, out);
        cr_assert_eq(pyfloat_parse(out, &back), 0, "'%s' does not parse", out);
        cr_assert_eq(to_bits(back), x, "%016" PRIx64 " printed as %s reads back as %016" PRIx64, x, out,
                     to_bits(back));
    }
}

Test(pyfloat, course_values_and_layout)
{
    static const struct {
        double v;
        const char *text;
    } want[] = {
        {2.919335883291695e-10, "2.919335883291695e-10"},
        {7.814075313343006e-11, "7.814075313343006e-11"},
        {8.0, "8.0"},
        {1e-7, "1e-07"},
        {2e-7, "2e-07"},
        {1e16, "1e+16"},
        {1e15, "1000000000000000.0"},
        {1e-4, "0.0001"},
        {1e-5, "1e-05"},
        {-0.0, "-0.0"},
        {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        char out[PYFLOAT_MAX];
        pyfloat_repr(want[i].v, out);
        cr_expect_str_eq(out, want[i].text);
    }
    char out[PYFLOAT_MAX];
    pyfloat_repr(NAN, out);
    cr_expect_str_eq(out, "nan");
    pyfloat_repr(-INFINITY, out);
    cr_expect_str_eq(out, "-inf");
}

Test(pyfloat, parse_refuses_what_is_not_one_number)
{
    static const char *const bad[] = {"", "1.0x", "1.0 ", "abc", "1,5", "--1", "1e", ".", "0.5.5"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        double v = 42;
        cr_expect_eq(pyfloat_parse(bad[i], &v), -1, "'%s' was accepted as %g", bad[i], v);
    }
    double v;
    cr_expect_eq(pyfloat_parse(NULL, &v), -1);
    cr_assert_eq(pyfloat_parse("-inf", &v), 0);
    cr_expect(isinf(v) && v < 0);
    cr_assert_eq(pyfloat_parse("1.8976931348623157e+308", &v), 0, "overflow reads as inf, as in Python");
    cr_expect(isinf(v));
    /* C's spelling of a number that Python prints differently reads the same */
    double a, b;
    cr_assert_eq(pyfloat_parse("2.9193358832916950e-10", &a), 0);
    cr_assert_eq(pyfloat_parse("2.919335883291695e-10", &b), 0);
    cr_expect_eq(to_bits(a), to_bits(b));
}
