/*
 * tests.c — the naive floor of the benchmark: the rubric's visible checks as a
 * course would hand-write them with Criterion, no sandbox, no scoring.
 *
 * bench/naive/Makefile compiles it with the student's file in one gcc call
 * (`gcc -O2 student.c tests.c ... -lcriterion && ./tests`), which is what
 * `make bench` times against ./grade.sh. The 14 tests are the visible tests of
 * rubrics/gradient_check.yaml, with the same inputs, comparisons and expected
 * values (the reference's, as in the pack); the gradients of the notebook's
 * fixture are made here from the provided backward propagation as handed out,
 * with its two bugs undone as each test needs.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <stdio.h>

#include "gradient_check.h"

/* gc_utils.c's backward propagation as handed out (backward_propagation_n
 * itself may be the student's fixed copy). */
gc_gradients gc_backward_propagation_n_as_handed_out(const gc_matrix *X, const gc_matrix *Y,
                                                     const gc_cache *cache);

#define MISTAKE "\033[93mThere is a mistake in the backward propagation! difference = "
#define FINE "\033[92mYour backward propagation works perfectly fine! difference = "
#define END "\033[0m\n"

static void close_to(double got, double expected, double rtol, double atol)
{
    cr_assert(fabs(got - expected) <= atol + rtol * fabs(expected), "expected %.17g, got %.17g",
              expected, got);
}

static void capture(void)
{
    cr_redirect_stdout();
}

Test(forward_propagation, notebook) { cr_assert_eq(forward_propagation(2, 4), 8.0); }
Test(forward_propagation, x3_theta4) { cr_assert_eq(forward_propagation(3, 4), 12.0); }
Test(forward_propagation, negative_fractional) { cr_assert_eq(forward_propagation(-1.5, 0.25), -0.375); }

Test(backward_propagation, notebook) { cr_assert_eq(backward_propagation(3, 4), 3.0); }
Test(backward_propagation, x2_theta4) { cr_assert_eq(backward_propagation(2, 4), 2.0); }
Test(backward_propagation, negative_fractional) { cr_assert_eq(backward_propagation(-1.5, 0.25), -1.5); }

Test(gradient_check, notebook)
{
    close_to(gradient_check(2, 4, 1e-7, false), 2.919335883291695e-10, 1e-6, 0);
}

Test(gradient_check, notebook_message, .init = capture)
{
    double d = gradient_check(3, 4, 1e-7, true);
    fflush(stdout);
    cr_assert(d <= 2e-7);
    cr_assert_stdout_eq_str(FINE "7.814075313343006e-11" END);
}

Test(gradient_check, x3_theta4)
{
    close_to(gradient_check(3, 4, 1e-7, false), 7.814075313343006e-11, 1e-6, 0);
}

/* ---- the notebook's fixture (gradient_check_n_test_case, np.random.seed(1)) ---- */

static double X_data[4 * 3] = {1.6243453636632417, -0.6117564136500754, -0.5281717522634557, -1.0729686221561705, 0.8654076293246785, -2.3015386968802827, 1.74481176421648, -0.7612069008951028, 0.31903909605709857, -0.2493703754774101, 1.462107937044974, -2.060140709497654};
static double Y_data[1 * 3] = {1.0, 1.0, 0.0};
static double W1_data[5 * 4] = {-0.3224172040135075, -0.38405435466841564, 1.1337694423354374, -1.0998912673140309, -0.17242820755043575, -0.8778584179213718, 0.04221374671559283, 0.5828152137158222, -1.1006191772129212, 1.1447237098396141, 0.9015907205927955, 0.5024943389018682, 0.9008559492644118, -0.6837278591743331, -0.12289022551864817, -0.9357694342590688, -0.2678880796260159, 0.530355466738186, -0.691660751725309, -0.39675352685597737};
static double b1_data[5 * 1] = {-0.6871727001195994, -0.8452056414987196, -0.671246130836819, -0.01266459891890136, -1.1173103486352778};
static double W2_data[3 * 5] = {0.23441569781709215, 1.6598021771098705, 0.7420441605773356, -0.19183555236161492, -0.8876289640848363, -0.7471582937508376, 1.6924546010277466, 0.05080775477602897, -0.6369956465693534, 0.19091548466746602, 2.100255136478842, 0.12015895248162915, 0.6172031097074192, 0.3001703199558275, -0.35224984649351865};
static double b2_data[3 * 1] = {-1.1425181980221402, -0.3493427224128775, -0.2088942333747781};
static double W3_data[1 * 3] = {0.5866231911821976, 0.8389834138745049, 0.9311020813035573};
static double b3_data[1 * 1] = {0.2855873252542588};

#define M(name, r, c) ((gc_matrix){r, c, name##_data})

typedef enum { AS_HANDED_OUT, FIXED, DW2_X2 } backprop;

/* The fixture's gradients, from the backward propagation as handed out (dW2 x2,
 * db1 x4), with the bugs undone as asked. */
static double check_n(backprop which, bool print_msg)
{
    gc_matrix X = M(X, 4, 3), Y = M(Y, 1, 3);
    gc_parameters p = {M(W1, 5, 4), M(b1, 5, 1), M(W2, 3, 5), M(b2, 3, 1), M(W3, 1, 3), M(b3, 1, 1)};
    gc_cache cache;
    forward_propagation_n(&X, &Y, &p, &cache);
    gc_gradients g = gc_backward_propagation_n_as_handed_out(&X, &Y, &cache);
    if (which == FIXED)
        gc_scale(0.5, &g.dW2);
    if (which == FIXED || which == DW2_X2)
        gc_scale(0.25, &g.db1);
    double d = gradient_check_n(&p, &g, &X, &Y, 1e-7, print_msg);
    fflush(stdout);
    gc_gradients_free(&g);
    gc_cache_free(&cache);
    return d;
}

Test(gradient_check_n, as_handed_out) { close_to(check_n(AS_HANDED_OUT, false), 0.285093156780699, 1e-5, 1e-8); }
Test(gradient_check_n, fixed) { close_to(check_n(FIXED, false), 1.189041787877932e-07, 1e-5, 1e-8); }

Test(gradient_check_n, as_handed_out_message, .init = capture)
{
    cr_assert(check_n(AS_HANDED_OUT, true) > 2e-7);
    cr_assert_stdout_eq_str(MISTAKE "0.285093156780699" END);
}

Test(gradient_check_n, fixed_message, .init = capture)
{
    cr_assert(check_n(FIXED, true) <= 2e-7);
    cr_assert_stdout_eq_str(FINE "1.189041787877932e-07" END);
}

Test(gradient_check_n, only_dW2_x2) { close_to(check_n(DW2_X2, false), 0.17344196893448055, 1e-5, 1e-8); }
