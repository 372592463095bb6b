/*
 * kit.h — what every public test does around the call of your function.
 *
 * A test in public_tests.c (written from the grader's own list of tests when
 * the kit was made) looks like this:
 *
 *     Test(ex1_forward_propagation, test_1, .description = "forward_propagation/1", .timeout = 2)
 *     {
 *         KIT_REQUIRE(forward_propagation);
 *         kit_start(&KIT_TESTS[0]);
 *         double got = forward_propagation(2.0, 4.0);
 *         kit_expect_exact(got, 8.0);
 *     }
 *
 * kit_start catches what your function prints (the notebook's messages are
 * part of some tests); the kit_expect_* functions compare your value with the
 * instructor's by the grader's rules (compare.h) and, when they differ, fail
 * the test with the grader's words, the inputs' test name, what you printed and
 * the grader's hint (a known mistake whose value you returned, or a plain fact:
 * NaN, infinity, a wrong sign, a simple factor).
 * Criterion runs every test in a process of its own, so a crash or an endless
 * loop in one test fails that test only, as on the grader.
 */
#ifndef KIT_H
#define KIT_H

#include <stdbool.h>
#include <stddef.h>

#include <criterion/criterion.h>

#include "compare.h"

/* A known mistake (the grader's catalogue): what it returns on a test. A
 * symptom is a value many mistakes give (1, 1/3...): its hint names none. */
typedef struct {
    const char *hint;        /* NULL ends a list */
    double value;
    bool symptom;
} kit_mistake;

/* One public test, as the grader knows it. */
typedef struct {
    const char *id;          /* the grader's id, e.g. "forward_propagation/1" */
    const char *name;        /* its name in the grader's report */
    double points;
    long output_kb;          /* the grader's limit on what one test may print */
    const char *calls;       /* the functions this test substitutes, in words, or NULL */
    bool has_handed_out;     /* what the template returns and prints here, as handed out */
    double handed_out;
    const char *handed_out_stdout;
    const kit_mistake *mistakes;   /* the catalogue's mistakes on this test, or NULL */
} kit_test;

/* Written into public_tests.c from the grader's test list. */
extern const kit_test KIT_TESTS[];
extern const size_t KIT_NTESTS;
extern const double KIT_TOTAL_POINTS;     /* of the whole assignment, hidden tests included */
extern const cmp_verdict_rule KIT_VERDICT;

/* Starts test t: from here on, what your code prints is kept for the checks,
 * and a crash of your code is said with the test, the signal and the line of
 * your file where it happened (the kit compiles your file with -g; the line
 * is found with addr2line, from binutils, which gcc brings). */
void kit_start(const kit_test *t);

/* The checks of the current test. Each returns NULL when it passes, and
 * otherwise what to tell you (the grader's words, your output, the notebook's). */
const char *kit_exact(double got, double expected);
const char *kit_close(double got, double expected, double rtol, double atol);
/* What a verdict test checks of what your code printed. */
typedef enum {
    KIT_OUTPUT_ANY,           /* nothing */
    KIT_OUTPUT_MESSAGE,       /* the notebook's message, with the difference */
    KIT_OUTPUT_SILENT         /* no message at all (print_msg is false) */
} kit_output;

/* output: what is checked of what was printed. expected_output: what the
 * instructor's solution prints on these inputs (shown when the test fails),
 * or NULL. */
const char *kit_verdict(double got, double expected, kit_output output, const char *expected_output);
const char *kit_missing(const char *function);

/* Fails the test at the line of public_tests.c that checked, saying why. */
#define KIT_CHECK(failure)                                                                       \
    do {                                                                                         \
        const char *kit_why_ = (failure);                                                        \
        if (kit_why_)                                                                            \
            cr_assert_fail("%s", kit_why_);                                                      \
    } while (0)

#define kit_expect_exact(got, expected) KIT_CHECK(kit_exact((got), (expected)))
#define kit_expect_close(got, expected, rtol, atol) KIT_CHECK(kit_close((got), (expected), (rtol), (atol)))
#define kit_expect_verdict(got, expected, output, expected_output)                                 \
    KIT_CHECK(kit_verdict((got), (expected), (output), (expected_output)))

/* A function that returns a structure (gradients, a cache...): every member
 * is compared element by element into one tally (compare.h), then one
 * verdict for the test, in the grader's words:
 *
 *     cmp_tally tally;
 *     cmp_tally_init(&tally, 1e-05, 1e-08, false);
 *     KIT_TALLY_MATRIX(&tally, "dW1", got.dW1, expected_dW1_1, 2, 3);
 *     kit_expect_tally(&tally);
 */
#define KIT_TALLY_MATRIX(tally, path, matrix, expected, expected_rows, expected_cols)            \
    cmp_matrix((tally), (path), false, (matrix).data, (matrix).rows, (matrix).cols, (expected),  \
               (expected_rows), (expected_cols))
void kit_tally_number(cmp_tally *tally, const char *path, double got, double expected);
const char *kit_tally(const cmp_tally *tally);
#define kit_expect_tally(tally) KIT_CHECK(kit_tally(tally))

/* Fails the test when your file does not define function: the grader then
 * fails that function's tests and grades the others. */
#define KIT_REQUIRE(function)                                                                    \
    do {                                                                                         \
        if (!(function))                                                                         \
            KIT_CHECK(kit_missing(#function));                                                   \
    } while (0)

/* The same for a function the tests may substitute (substitute.sh): your own
 * definition is under the name __subst_own_NAME. */
#define KIT_REQUIRE_OWN(symbol, function)                                                        \
    do {                                                                                         \
        if (!(symbol))                                                                           \
            KIT_CHECK(kit_missing(function));                                                    \
    } while (0)

#endif
