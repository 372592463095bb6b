/*
 * score — the only place where a test passes, checked on hand-made observations.
 *
 * The scorer must fail closed: a test passes only when the runner returned a
 * number and that number compares right. Every other way a run can end (even
 * one that carries a plausible value) scores 0. The message check must accept
 * any number that agrees with the returned double to the digits printed
 * (Python's repr, C's %.17g, %e, %g; at least 3 significant digits) and
 * nothing else.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "pyfloat.h"
#include "score.h"

#define ABOVE "There is a mistake in the backward propagation! difference = "
#define BELOW "Your backward propagation works perfectly fine! difference = "

static rubric_verdict verdict(void)
{
    return (rubric_verdict){2e-7, ABOVE, BELOW};
}

/* ---- cmp_isclose: np.isclose ------------------------------------------- */

Test(score, isclose_is_numpys)
{
    cr_expect(cmp_isclose(1.0, 1.0, 0, 0));
    cr_expect(cmp_isclose(0.2850931567761623, 0.28509315684448966, 1e-5, 1e-8));
    cr_expect(cmp_isclose(1.189041787877932e-07, 1.1890913024229996e-07, 1e-5, 1e-8));
    cr_expect_not(cmp_isclose(0.17344196870965622, 0.2850931567761623, 1e-5, 1e-8));
    /* |a - b| <= atol + rtol * |b|: relative to the expected value (the second) */
    cr_expect(cmp_isclose(1.0, 1.1, 0.1, 0));
    cr_expect_not(cmp_isclose(1.1, 1.0, 0.05, 0));
    cr_expect(cmp_isclose(0.0, 1e-9, 0, 1e-8), "atol alone");
    cr_expect_not(cmp_isclose(0.0, 1e-7, 1e-5, 1e-8));
    cr_expect(cmp_isclose(-2.0, -2.0000001, 1e-6, 0), "negative numbers");
    cr_expect_not(cmp_isclose(2.0, -2.0, 1e-5, 1e-8), "sign matters");
    /* NaN is never close; infinities only to themselves (numpy's equal_nan=False) */
    cr_expect_not(cmp_isclose(NAN, NAN, 1e-5, 1e-8));
    cr_expect_not(cmp_isclose(NAN, 1.0, 1e-5, 1e-8));
    cr_expect_not(cmp_isclose(1.0, NAN, 1e-5, 1e-8));
    cr_expect(cmp_isclose(INFINITY, INFINITY, 1e-5, 1e-8));
    cr_expect_not(cmp_isclose(INFINITY, -INFINITY, 1e-5, 1e-8));
    cr_expect_not(cmp_isclose(1e308, INFINITY, 1e-5, 1e-8));
    cr_expect_not(cmp_isclose(INFINITY, 1e308, 1e-5, 1e-8));
}

Test(score, verdict_side)
{
    cr_expect_eq(cmp_side(0.2850931567761623, 2e-7), 1);
    cr_expect_eq(cmp_side(1.1890913024229996e-07, 2e-7), 0);
    cr_expect_eq(cmp_side(2e-7, 2e-7), 0, "the notebook flags only difference > 2e-7");
    cr_expect_eq(cmp_side(nextafter(2e-7, 1), 2e-7), 1);
    cr_expect_eq(cmp_side(0.0, 2e-7), 0);
    cr_expect_eq(cmp_side(INFINITY, 2e-7), 1);
    cr_expect_eq(cmp_side(NAN, 2e-7), -1);
}

/* ---- cmp_message ------------------------------------------------------------ */

/* 0 when the message is right, -1 (with why) when not. */
static int check(const char *printed, double returned, char *why)
{
    rubric_verdict v = verdict();
    cmp_verdict_rule rule = score_rule(&v);
    return cmp_message(printed, &rule, returned, why, 512) ? 0 : -1;
}

Test(score, message_right)
{
    char why[512] = "";
    cr_expect_eq(check(ABOVE "0.285093156780699\n", 0.285093156780699, why), 0, "%s", why);
    cr_expect_eq(check(BELOW "1.189041787877932e-07\n", 1.189041787877932e-07, why), 0, "%s", why);
    /* the notebook's colours are ignored */
    cr_expect_eq(check("\033[93m" ABOVE "0.285093156780699\033[0m\n", 0.285093156780699, why), 0, "%s", why);
    /* other output around it does not matter */
    cr_expect_eq(check("debug: i = 46\n" BELOW "1e-09\nbye\n", 1e-09, why), 0, "%s", why);
    /* no newline at the end */
    cr_expect_eq(check(BELOW "2e-07", 2e-7, why), 0, "%s", why);
}

Test(score, message_with_c_digits_is_the_same_number)
{
    char why[512] = "";
    /* %.17g of 0.285093156780699 and of 2.919335883291695e-10 */
    char text[128];
    snprintf(text, sizeof text, ABOVE "%.17g\n", 0.285093156780699);
    cr_assert(strstr(text, "0.28509315678069902"), "%s", text);
    cr_expect_eq(check(text, 0.285093156780699, why), 0, "%s", why);
    snprintf(text, sizeof text, BELOW "%.17g\n", 2.919335883291695e-10);
    cr_expect_eq(check(text, 2.919335883291695e-10, why), 0, "%s", why);
    /* %e with fewer digits agrees to the digits it prints: it counts */
    snprintf(text, sizeof text, ABOVE "%e\n", 0.285093156780699);
    cr_expect_eq(check(text, 0.285093156780699, why), 0, "%s: %s", text, why);
}

/* Issue 9, point 1: the number must agree with the returned value to the
 * precision it was printed with, with at least 3 significant digits. */
Test(score, message_counts_to_the_digits_printed)
{
    char why[512] = "", text[128];
    static const char *const formats[] = {"%e", "%g", "%.10e", "%.17g", "%.3g", "%E", "%.4f"};
    const double values[] = {0.285093156780699, 7.814075313343006e-11, 1.189041787877932e-07, 3.0};
    for (size_t v = 0; v < sizeof values / sizeof *values; v++)
        for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
            char number[64];
            snprintf(number, sizeof number, formats[f], values[v]);
            if (cmp_printed_digits(number, NULL) < 3)
                continue;   /* %.4f of a tiny value: below */
            snprintf(text, sizeof text, "%s%s\n", values[v] > 2e-7 ? ABOVE : BELOW, number);
            cr_expect_eq(check(text, values[v], why), 0, "%s refused: %s", text, why);
        }
    /* %f of 7.8e-11 is 0.000000: no digit says anything */
    snprintf(text, sizeof text, BELOW "%f\n", 7.814075313343006e-11);
    cr_expect_eq(check(text, 7.814075313343006e-11, why), -1, "%s was accepted", text);
    cr_expect(strstr(why, "fewer than 3 significant digits"), "%s", why);
    /* two digits are too few, even when right */
    cr_expect_eq(check(ABOVE "0.29\n", 0.285093156780699, why), -1);
    cr_expect_eq(check(BELOW "7.8e-11\n", 7.814075313343006e-11, why), -1);
    /* wrong in the last digit printed */
    cr_expect_eq(check(ABOVE "0.286\n", 0.285093156780699, why), -1);
    cr_expect(strstr(why, "not the difference returned"), "%s", why);
    cr_expect_eq(check(BELOW "7.815e-11\n", 7.814075313343006e-11, why), -1);
    /* the digits counted */
    double place = 0;
    cr_expect_eq(cmp_printed_digits("7.814e-11", &place), 4);
    cr_expect_float_eq(place, 1e-14, 1e-28);
    cr_expect_eq(cmp_printed_digits("0.000000", NULL), 0);
    cr_expect_eq(cmp_printed_digits("1.50", &place), 3);
    cr_expect_float_eq(place, 0.01, 1e-18);
    cr_expect_eq(cmp_printed_digits("-0.00285", NULL), 3);
    cr_expect_eq(cmp_printed_digits("12x", NULL), -1);
    cr_expect_eq(cmp_printed_digits("", NULL), -1);
}

/* The note that costs nothing: other digits than gc_float_str's. */
Test(score, message_with_other_digits_gets_a_note)
{
    rubric_verdict v = verdict();
    cmp_verdict_rule rule = score_rule(&v);
    char why[512];
    cmp_output o = {.out = ABOVE "2.850932e-01\n", .check_message = true};
    cr_assert(cmp_output_check(&o, &rule, 0.285093156780699, why, sizeof why), "%s", why);
    cr_expect(strstr(o.note, "fewer digits than the notebook's 0.285093156780699"), "%s", o.note);
    cr_expect(strstr(o.note, "gc_float_str prints them exactly"), "%s", o.note);
    cmp_output exact = {.out = ABOVE "0.285093156780699\n", .check_message = true};
    cr_assert(cmp_output_check(&exact, &rule, 0.285093156780699, why, sizeof why), "%s", why);
    cr_expect_str_eq(exact.note, "", "gc_float_str's digits need no note");
}

/* A message on stderr is named as such, never "printed nothing". */
Test(score, message_on_stderr_is_named)
{
    rubric_verdict v = verdict();
    cmp_verdict_rule rule = score_rule(&v);
    char why[512];
    cmp_output o = {.out = "", .err = ABOVE "0.285093156780699\n", .check_message = true};
    cr_expect_not(cmp_output_check(&o, &rule, 0.285093156780699, why, sizeof why));
    cr_expect(strstr(why, "printed on stderr"), "%s", why);
    cr_expect_null(strstr(why, "nothing"), "%s", why);
}

/* silent: with print_msg false, neither message may be printed. */
Test(score, silent_means_no_message)
{
    rubric_verdict v = verdict();
    cmp_verdict_rule rule = score_rule(&v);
    char why[512];
    cmp_output quiet = {.out = "", .silent = true};
    cr_expect(cmp_output_check(&quiet, &rule, 1e-10, why, sizeof why), "%s", why);
    cmp_output debug = {.out = "i = 3\n", .silent = true};
    cr_expect(cmp_output_check(&debug, &rule, 1e-10, why, sizeof why), "other output is no message: %s", why);
    cmp_output loud = {.out = "\033[92m" BELOW "1e-10\033[0m\n", .silent = true};
    cr_expect_not(cmp_output_check(&loud, &rule, 1e-10, why, sizeof why));
    cr_expect(strstr(why, "print_msg false"), "%s", why);
    cmp_output err = {.out = "", .err = ABOVE "0.5\n", .silent = true};
    cr_expect_not(cmp_output_check(&err, &rule, 0.5, why, sizeof why));
    cr_expect(strstr(why, "stderr"), "%s", why);
}

/* No difference is negative: a signed numerator is caught by any verdict. */
Test(score, negative_difference_is_no_verdict)
{
    rubric_verdict v = verdict();
    cmp_verdict_rule rule = score_rule(&v);
    char why[512];
    cr_expect_not(cmp_verdict(-2.919335883291695e-10, 2.919335883291695e-10, &rule, NULL, why, sizeof why));
    cr_expect(strstr(why, "never negative"), "%s", why);
    cr_expect(cmp_verdict(-0.0, 2.919335883291695e-10, &rule, NULL, why, sizeof why), "-0.0 is 0: %s", why);
}

/* "The gradients are right" is not the grader's to say: the reference's
 * check may miss a mistake (every ReLU dead hides the handed-out bugs). */
Test(score, verdict_says_what_the_reference_found)
{
    rubric_verdict v = verdict();
    cmp_verdict_rule rule = score_rule(&v);
    char why[512];
    cr_expect_not(cmp_verdict(0.5, 5.081370255689073e-09, &rule, NULL, why, sizeof why));
    cr_expect_null(strstr(why, "gradients are right"), "%s", why);
    cr_expect(strstr(why, "finds no mistake"), "%s", why);
}

Test(score, message_the_other_one)
{
    char why[512] = "";
    /* a mistake, and it says it works */
    cr_expect_eq(check(BELOW "0.285093156780699\n", 0.285093156780699, why), -1);
    cr_expect(strstr(why, "There is a mistake"), "%s", why);
    /* fine, and it says there is a mistake */
    cr_expect_eq(check(ABOVE "1e-09\n", 1e-09, why), -1);
    /* both messages: still wrong */
    cr_expect_eq(check(ABOVE "0.5\n" BELOW "0.5\n", 0.5, why), -1);
}

Test(score, message_missing)
{
    char why[512] = "";
    cr_expect_eq(check("", 0.285093156780699, why), -1);
    cr_expect(strstr(why, "nothing"), "%s", why);
    cr_expect_eq(check(NULL, 0.285093156780699, why), -1);
    cr_expect_eq(check("difference = 0.285093156780699\n", 0.285093156780699, why), -1);
    cr_expect(strstr(why, "something else"), "%s", why);
    /* the message without its number */
    cr_expect_eq(check(ABOVE "\n", 0.285093156780699, why), -1);
}

Test(score, message_number_must_be_the_returned_value)
{
    char why[512] = "";
    /* printed the course's number, returned its own */
    cr_expect_eq(check(ABOVE "0.2850931567761623\n", 0.285093156780699, why), -1);
    cr_expect(strstr(why, "not the difference returned"), "%s", why);
    /* one bit off */
    char text[128];
    snprintf(text, sizeof text, ABOVE "%.17g\n", nextafter(0.285093156780699, 1));
    cr_expect_eq(check(text, 0.285093156780699, why), -1);
    /* rounded for display, to too few digits */
    cr_expect_eq(check(ABOVE "0.29\n", 0.285093156780699, why), -1);
    cr_expect_eq(check(ABOVE "0.285093156780699xyz\n", 0.285093156780699, why), -1);
}

/* ---- score_observed: fail closed --------------------------------------------- */

typedef struct {
    rubric r;
    rubric_test t;
    pack_case c;
    cJSON *expected;
} fixture;

static void make_fixture(fixture *f, rubric_compare_kind kind, double expected, rubric_visibility vis)
{
    memset(f, 0, sizeof *f);
    f->r.has_verdict = true;
    f->r.verdict = verdict();
    f->t.name = "a test";
    f->t.function = "gradient_check_n";
    f->t.points = 3;
    f->t.visibility = vis;
    f->t.compare.kind = kind;
    f->t.compare.rtol = 1e-5;
    f->t.compare.atol = 1e-8;
    f->expected = cJSON_CreateObject();
    jsonio_add_double(f->expected, "return", expected);
    f->c.id = "gradient_check_n/1";
    f->c.expected = f->expected;
}

static void free_fixture(fixture *f)
{
    cJSON_Delete(f->expected);
}

static observation returned(double v, const char *printed)
{
    observation o = {0};
    o.kind = OBS_RETURNED;
    o.ret = jsonio_double(v);
    o.out = (char *)printed;
    o.wall_s = 0.01;
    return o;
}

static void score(fixture *f, observation *o, score_test *out)
{
    score_observed(&f->r, &f->t, &f->c, o, out);
    cr_expect_eq(out->score, out->passed ? f->t.points : 0, "the score follows passed");
    cr_expect_eq(out->max_score, f->t.points);
}

Test(score, returned_right_value_passes)
{
    fixture f;
    make_fixture(&f, RUBRIC_TOLERANCE, 0.2850931567761623, RUBRIC_VISIBLE);
    observation o = returned(0.285093156780699, "");
    score_test st;
    score(&f, &o, &st);
    cr_expect(st.passed, "%s", st.detail);
    cr_expect_eq(st.score, 3);
    score_test_free(&st);
    cJSON_Delete(o.ret);

    o = returned(0.17344196870965622, "");
    score(&f, &o, &st);
    cr_expect_not(st.passed);
    cr_expect(strstr(st.detail, "0.2850931567761623") && strstr(st.detail, "0.17344196870965622"), "%s", st.detail);
    score_test_free(&st);
    cJSON_Delete(o.ret);
    free_fixture(&f);
}

Test(score, exact_means_every_bit)
{
    fixture f;
    make_fixture(&f, RUBRIC_EXACT, 8.0, RUBRIC_VISIBLE);
    observation o = returned(nextafter(8.0, 9), "");
    score_test st;
    score(&f, &o, &st);
    cr_expect_not(st.passed);
    score_test_free(&st);
    cJSON_Delete(o.ret);
    o = returned(8.0, "");
    score(&f, &o, &st);
    cr_expect(st.passed);
    score_test_free(&st);
    cJSON_Delete(o.ret);
    free_fixture(&f);
}

/* Every way a run can end other than "returned" scores 0, even when a right
 * value was received before the process crashed, timed out or exited. */
Test(score, every_other_ending_fails)
{
    fixture f;
    make_fixture(&f, RUBRIC_TOLERANCE, 0.2850931567761623, RUBRIC_VISIBLE);
    int kinds = 0;
    for (int k = 0; k <= (int)OBS_HARNESS_FAULT; k++) {
        if (k == OBS_RETURNED)
            continue;
        observation o = returned(0.2850931567761623, "");
        o.kind = (obs_kind)k;
        o.limit_s = 2;
        snprintf(o.detail, sizeof o.detail, "ended as %s", obs_kind_name(o.kind));
        score_test st;
        score(&f, &o, &st);
        cr_expect_not(st.passed, "%s passed", obs_kind_name(o.kind));
        cr_expect_eq(st.score, 0, "%s scored %g", obs_kind_name(o.kind), st.score);
        cr_expect_eq(st.ended, o.kind);
        cr_expect_neq(st.message[0], '\0', "%s: no reason for the student", obs_kind_name(o.kind));
        cr_expect_str_neq(st.message, "passed");
        score_test_free(&st);
        cJSON_Delete(o.ret);
        kinds++;
    }
    cr_expect_geq(kinds, 8);
    free_fixture(&f);
}

Test(score, returned_but_not_a_number_fails)
{
    fixture f;
    make_fixture(&f, RUBRIC_TOLERANCE, 0.2850931567761623, RUBRIC_VISIBLE);
    cJSON *rets[] = {NULL, cJSON_CreateString("0.2850931567761623"), cJSON_CreateNull(), cJSON_CreateTrue(),
                     cJSON_CreateArray(), cJSON_CreateRaw("0.28509315677616230junk"), cJSON_CreateString("nan")};
    for (size_t i = 0; i < sizeof rets / sizeof *rets; i++) {
        observation o = {0};
        o.kind = OBS_RETURNED;
        o.ret = rets[i];
        score_test st;
        score(&f, &o, &st);
        cr_expect_not(st.passed, "return value %zu passed", i);
        score_test_free(&st);
        cJSON_Delete(rets[i]);
    }
    free_fixture(&f);
}

/* A pack without an expected value is the grader's fault; it must not pass. */
Test(score, no_expected_value_fails)
{
    fixture f;
    make_fixture(&f, RUBRIC_EXACT, 8.0, RUBRIC_VISIBLE);
    cJSON_DeleteItemFromObject(f.expected, "return");
    observation o = returned(8.0, "");
    score_test st;
    score(&f, &o, &st);
    cr_expect_not(st.passed);
    cr_expect(strstr(st.message, "grader fault"), "%s", st.message);
    score_test_free(&st);
    cJSON_Delete(o.ret);
    free_fixture(&f);
}

Test(score, nan_and_inf_fail_a_number)
{
    fixture f;
    make_fixture(&f, RUBRIC_TOLERANCE, 0.2850931567761623, RUBRIC_VISIBLE);
    double bad[] = {NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < 3; i++) {
        observation o = returned(bad[i], "");
        score_test st;
        score(&f, &o, &st);
        cr_expect_not(st.passed, "%g passed", bad[i]);
        score_test_free(&st);
        cJSON_Delete(o.ret);
    }
    free_fixture(&f);
    /* a NaN is no verdict either way */
    make_fixture(&f, RUBRIC_VERDICT, 1e-9, RUBRIC_VISIBLE);
    observation o = returned(NAN, "");
    score_test st;
    score(&f, &o, &st);
    cr_expect_not(st.passed);
    score_test_free(&st);
    cJSON_Delete(o.ret);
    free_fixture(&f);
    /* not even when the reference's difference was NaN too (0/0 on a case
     * whose gradients are all zero): NaN matching NaN is not a right answer */
    make_fixture(&f, RUBRIC_VERDICT, NAN, RUBRIC_VISIBLE);
    o = returned(NAN, "");
    score(&f, &o, &st);
    cr_expect_not(st.passed, "%s", st.detail);
    score_test_free(&st);
    cJSON_Delete(o.ret);
    free_fixture(&f);
}

Test(score, verdict_with_message)
{
    fixture f;
    make_fixture(&f, RUBRIC_VERDICT, 0.2850931567761623, RUBRIC_VISIBLE);
    f.t.compare.check_message = true;
    score_test st;
    /* right side and the right message with the returned number */
    observation o = returned(0.3, "\033[93m" ABOVE "0.3\033[0m\n");
    score(&f, &o, &st);
    cr_expect(st.passed, "%s", st.detail);
    score_test_free(&st);
    cJSON_Delete(o.ret);
    /* right side, no message */
    o = returned(0.3, "");
    score(&f, &o, &st);
    cr_expect_not(st.passed);
    cr_expect(strstr(st.detail, "wrong message"), "%s", st.detail);
    score_test_free(&st);
    cJSON_Delete(o.ret);
    /* wrong side, even with a message that matches it */
    o = returned(1e-9, BELOW "1e-09\n");
    score(&f, &o, &st);
    cr_expect_not(st.passed);
    score_test_free(&st);
    cJSON_Delete(o.ret);
    /* without check_message, the verdict alone */
    f.t.compare.check_message = false;
    o = returned(0.3, "");
    score(&f, &o, &st);
    cr_expect(st.passed, "%s", st.detail);
    score_test_free(&st);
    cJSON_Delete(o.ret);
    free_fixture(&f);
}

/* A hidden test tells the student what kind of failure, never the numbers. */
Test(score, hidden_tests_hide_their_numbers)
{
    fixture f;
    make_fixture(&f, RUBRIC_TOLERANCE, 0.3259382188946319, RUBRIC_HIDDEN);
    observation o = returned(0.125, "");
    score_test st;
    score(&f, &o, &st);
    cr_expect_not(st.passed);
    cr_expect_null(strstr(st.message, "0.3259382188946319"), "%s", st.message);
    cr_expect_null(strstr(st.message, "0.125"), "%s", st.message);
    cr_expect(strstr(st.message, "hidden"), "%s", st.message);
    cr_expect(strstr(st.detail, "0.3259382188946319"), "the instructor sees it: %s", st.detail);
    score_test_free(&st);
    cJSON_Delete(o.ret);
    free_fixture(&f);
}

Test(score, not_run_scores_zero)
{
    fixture f;
    make_fixture(&f, RUBRIC_EXACT, 8.0, RUBRIC_VISIBLE);
    score_test st;
    score_not_run(&f.t, &f.c, "the function forward_propagation is missing", &st);
    cr_expect_not(st.passed);
    cr_expect_eq(st.score, 0);
    cr_expect_eq(st.max_score, 3);
    cr_expect(strstr(st.message, "missing"));
    score_test_free(&st);
    free_fixture(&f);
}

Test(score, sum)
{
    score_test tests[3] = {{.score = 3, .max_score = 3}, {.score = 0, .max_score = 2}, {.score = 1.5, .max_score = 1.5}};
    score_exercise ex = {.tests = tests, .ntests = 3};
    score_sum(&ex);
    cr_expect_eq(ex.score, 4.5);
    cr_expect_eq(ex.max_score, 6.5);
}
