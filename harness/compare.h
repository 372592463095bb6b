/*
 * compare.h — how the grader decides that a test passed, for your local tests.
 *
 * Each test of the assignment says how your return value is compared with the
 * instructor's solution's on the same inputs: exactly, within a tolerance (as
 * numpy's np.isclose), or on the same side of the 2e-7 threshold (with, for
 * some, the notebook's message printed). These functions are those rules,
 * written out for you to read; the project's own tests check that they agree
 * with the grader on every kind of case, message text included, so a public
 * test that passes here passes on the grader too.
 *
 * This file is the grader's own (harness/compare.c, used by its score.c) and
 * ships unchanged in the student kit, so the kit's verdicts cannot drift from
 * the grader's. The cmp_exact, cmp_close and cmp_verdict return true when the
 * test passes; otherwise false, with why (len bytes) saying what the grader
 * would say.
 */
#ifndef COMPARE_H
#define COMPARE_H

#include <stdbool.h>
#include <stddef.h>

/* Room for any why these functions write. */
#define CMP_WHY_MAX 1024

/* np.isclose(got, expected, rtol, atol); infinities only match themselves,
 * NaN never matches. */
bool cmp_isclose(double got, double expected, double rtol, double atol);

/* compare: exact — the very same double (8.0 is not 8.000000000000002). */
bool cmp_exact(double got, double expected, char *why, size_t len);

/* compare: tolerance — np.isclose(got, expected, rtol, atol), that is
 * |got - expected| <= atol + rtol * |expected|. NaN never passes. */
bool cmp_close(double got, double expected, double rtol, double atol, char *why, size_t len);

/* The notebook's verdict: a difference above threshold means "a mistake",
 * and the message printed for each side. */
typedef struct {
    double threshold;
    const char *above;    /* "There is a mistake in the backward propagation! difference = " */
    const char *below;    /* "Your backward propagation works perfectly fine! difference = " */
} cmp_verdict_rule;

/* Which side of the threshold a difference is on: 1 above ("a mistake"),
 * 0 at or below ("works"), -1 for NaN. */
int cmp_side(double difference, double threshold);

/* Which of the rule's messages printed carries: 1 the one above the
 * threshold, 0 the one below, -1 neither (colour codes ignored). */
int cmp_printed_side(const char *printed, const cmp_verdict_rule *rule);

/* A printed number counts when it agrees with the returned value to the
 * digits printed, and has at least this many significant digits (so %f of
 * 7.8e-11, "0.000000", says nothing). */
#define CMP_MIN_DIGITS 3

/* The significant digits of a printed number ("7.814e-11" 4, "0.000000" 0,
 * "1.50" 3) and, in *place (when not NULL), the value of its last digit's
 * place (1e-14 for "7.814e-11"); -1 when token is not a decimal number. */
int cmp_printed_digits(const char *token, double *place);

/* What a test printed and what is checked of it. */
typedef struct {
    const char *out;          /* stdout ("" or NULL: nothing) */
    const char *err;          /* stderr, or NULL when not kept */
    bool check_message;       /* the message of got's side must be on stdout */
    bool silent;              /* neither message may be printed (print_msg false) */
    /* what the template returns and prints here, as handed out: a verdict
     * test is not passed by the code handed out (its 0.0 is "below") */
    bool has_handed_out;
    double handed_out;
    const char *handed_out_stdout;
    char note[320];           /* set when it passes with a remark that costs nothing */
} cmp_output;

/* Checks o against the rule for the returned value got: with silent, that
 * neither message was printed (stdout or stderr); with check_message, that
 * stdout holds the message of got's side followed by a number that agrees
 * with got to the digits printed (at least CMP_MIN_DIGITS). A number printed
 * with other digits than gc_float_str's passes with a note. false with why
 * when not; a message printed on stderr is named as such. */
bool cmp_output_check(cmp_output *o, const cmp_verdict_rule *rule, double got, char *why, size_t len);

/* cmp_output_check of stdout alone with check_message. */
bool cmp_message(const char *printed, const cmp_verdict_rule *rule, double got, char *why,
                 size_t len);

/* A copy of s without its ANSI colour codes (the notebook prints in colour);
 * NULL when out of memory. The caller frees it. */
char *cmp_without_colours(const char *s);

/* compare: verdict — got is on the same side of the threshold as expected
 * (the instructor's difference), and not negative (no difference is); the
 * template's own result, as handed out, passes no verdict test. When printed is not NULL, the test also
 * checks the message: what your function printed must hold the message of
 * got's side, followed by got to the digits printed (gc_float_str prints
 * them all; %e and %g are fine too, %f of a tiny difference is not). */
bool cmp_verdict(double got, double expected, const cmp_verdict_rule *rule, const char *printed,
                 char *why, size_t len);

/* cmp_verdict with what o asks of the output (cmp_output_check); o->note is
 * set when it passes with a remark. */
bool cmp_verdict_output(double got, double expected, const cmp_verdict_rule *rule, cmp_output *o,
                        char *why, size_t len);

#endif
