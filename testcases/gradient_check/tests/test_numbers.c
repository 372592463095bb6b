/*
 * The course's published numbers, reproduced by the reference (issue 2, §2).
 *
 * The reference functions are linked into this binary and called directly:
 * these are the values every expected value of the pack derives from. The 1-D
 * values and the fixture's cost must be exact (same operation order as the
 * notebook); gradient_check_n sums thousands of rounded terms in another order
 * than numpy's BLAS, so it is held to the course's own np.isclose (rtol 1e-5,
 * atol 1e-8), against both the published values and numpy 1.24.2's. Numbers
 * come from testcases/oracle/ where they are written down, not from literals.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backprop_variants.h"
#include "gradient_check.h"
#include "gradient_check_data.h"
#include "jsonio.h"

/* The provided code's own backward_propagation_n: in this binary the
 * reference's (correct) one takes the weak symbol's place. */
gc_gradients gc_backward_propagation_n_as_handed_out(const gc_matrix *X, const gc_matrix *Y,
                                                     const gc_cache *cache);

#define ORACLE_DIR "testcases/gradient_check/oracle"
#define SEED1 ORACLE_DIR "/gradient_check_n_test_case_seed1.json"
#define DIFFS "gradient_check_n_difference_epsilon_1e-7"
#define EPSILON 1e-7

/* The course's check, written out here rather than borrowed from score.c,
 * which has tests of its own. */
static bool np_isclose(double a, double b)
{
    return fabs(a - b) <= 1e-8 + 1e-5 * fabs(b);
}

static cJSON *oracle(const char *path)
{
    hr_error err;
    cJSON *doc = jsonio_read_file(path, &err);
    cr_assert_not_null(doc, "%s", err.msg);
    return doc;
}

/* A number at obj.key (or obj.key.sub). */
static double number(const cJSON *obj, const char *key, const char *sub)
{
    const cJSON *item = jsonio_get(obj, key);
    if (sub)
        item = jsonio_get(item, sub);
    double v;
    cr_assert_eq(jsonio_get_double(item, &v), 0, "the oracle has no number %s%s%s", key, sub ? "." : "",
                 sub ? sub : "");
    return v;
}

static void load_fixture(const char *path, gcd_case *c)
{
    cJSON *doc = oracle(path);
    hr_error err;
    cr_assert_eq(gcd_case_read(doc, c, &err), 0, "%s: %s", path, err.msg);
    cJSON_Delete(doc);
}

/* The reference's gradient_check_n on a case, with a backprop variant's gradients. */
static double check_n(const gcd_case *c, const char *variant)
{
    gc_cache cache;
    gc_gradients g;
    hr_error err;
    forward_propagation_n(&c->X, &c->Y, &c->parameters, &cache);
    cr_assert_eq(gcv_backprop(variant, &c->X, &c->Y, &cache, &g, &err), 0, "%s", err.msg);
    double d = gradient_check_n(&c->parameters, &g, &c->X, &c->Y, EPSILON, false);
    gc_gradients_free(&g);
    gc_cache_free(&cache);
    return d;
}

/* ---- the 1-D check: exact ------------------------------------------------- */

Test(numbers, gradient_check_1d_published_values_exactly)
{
    cJSON *o = oracle(SEED1);
    double x2 = number(o, "published_by_the_course", "gradient_check_x2_theta4");
    double x3 = number(o, "published_by_the_course", "gradient_check_x3_theta4");
    double got2 = gradient_check(2, 4, EPSILON, false), got3 = gradient_check(3, 4, EPSILON, false);
    cr_expect_eq(got2, x2, "gradient_check(2, 4) = %.17g, the course published %.17g", got2, x2);
    cr_expect_eq(got3, x3, "gradient_check(3, 4) = %.17g, the course published %.17g", got3, x3);
    cr_expect_eq(forward_propagation(2, 4), 8.0);
    cr_expect_eq(backward_propagation(3, 4), 3.0);
    cJSON_Delete(o);
}

/* ---- the notebook's fixture ----------------------------------------------- */

Test(numbers, fixture_cost_exactly)
{
    cJSON *o = oracle(SEED1);
    double want = number(o, "cost", NULL);
    cJSON_Delete(o);
    gcd_case c;
    load_fixture("testcases/gradient_check/gradient_check_n_test_case.json", &c);
    double cost = forward_propagation_n(&c.X, &c.Y, &c.parameters, NULL);
    cr_expect_eq(cost, want, "cost %.17g, numpy %.17g", cost, want);
    gcd_case_free(&c);
    /* the same from the generator (seed 1, the notebook's shape) */
    hr_error err;
    cr_assert_eq(gcd_generate(1, &GCD_NOTEBOOK_SHAPE, &c, &err), 0, "%s", err.msg);
    cost = forward_propagation_n(&c.X, &c.Y, &c.parameters, NULL);
    cr_expect_eq(cost, want, "generated: cost %.17g, numpy %.17g", cost, want);
    gcd_case_free(&c);
}

Test(numbers, gradient_check_n_on_the_fixture)
{
    cJSON *o = oracle(SEED1);
    gcd_case c;
    load_fixture("testcases/gradient_check/gradient_check_n_test_case.json", &c);
    static const struct {
        const char *variant, *published, *numpy;
    } rows[] = {
        {"as_handed_out", "gradient_check_n_buggy", "as_given_dW2x2_db1x4"},
        {"reference", "gradient_check_n_fixed", "fixed"},
        {"dW2_x2", NULL, "dW2x2_only"},
        {"db1_x4", NULL, "db1x4_only"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        double got = check_n(&c, rows[i].variant);
        double np = number(o, DIFFS, rows[i].numpy);
        cr_expect(np_isclose(got, np), "%s: %.17g is not close to numpy's %.17g", rows[i].variant, got, np);
        if (rows[i].published) {
            double pub = number(o, "published_by_the_course", rows[i].published);
            cr_expect(np_isclose(got, pub), "%s: %.17g is not close to the published %.17g", rows[i].variant,
                      got, pub);
        }
        /* and on the right side of the notebook's threshold */
        cr_expect_eq(got > GC_DIFFERENCE_THRESHOLD, np > GC_DIFFERENCE_THRESHOLD, "%s: %.17g vs numpy %.17g",
                     rows[i].variant, got, np);
    }
    gcd_case_free(&c);
    cJSON_Delete(o);
}

/* The isclose above is not vacuous: the bugs are far apart, and "fixed" sits
 * three orders of magnitude below them. */
Test(numbers, published_values_tell_the_variants_apart)
{
    cJSON *o = oracle(SEED1);
    double buggy = number(o, "published_by_the_course", "gradient_check_n_buggy");
    double fixed = number(o, "published_by_the_course", "gradient_check_n_fixed");
    cr_expect_not(np_isclose(buggy, number(o, DIFFS, "dW2x2_only")));
    cr_expect_not(np_isclose(buggy, number(o, DIFFS, "db1x4_only")));
    cr_expect_not(np_isclose(fixed, 2 * fixed));
    cJSON_Delete(o);
}

/* ---- other seeds and shapes against numpy --------------------------------- */

/* Every generated oracle file: the reference's cost and its four differences
 * against numpy running the notebook's own code on the same case. */
Test(numbers, other_seeds_and_shapes_match_numpy)
{
    DIR *d = opendir(ORACLE_DIR);
    cr_assert_not_null(d);
    struct dirent *e;
    int files = 0;
    static const struct {
        const char *variant, *numpy;
    } rows[] = {
        {"as_handed_out", "as_given_dW2x2_db1x4"},
        {"reference", "fixed"},
        {"dW2_x2", "dW2x2_only"},
        {"db1_x4", "db1x4_only"},
    };
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "seed", 4) != 0 || !strstr(e->d_name, ".json"))
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", ORACLE_DIR, e->d_name);
        cJSON *o = oracle(path);
        gcd_case c;
        hr_error err;
        cr_assert_eq(gcd_case_read(o, &c, &err), 0, "%s: %s", path, err.msg);
        double cost = forward_propagation_n(&c.X, &c.Y, &c.parameters, NULL), np_cost = number(o, "cost", NULL);
        cr_expect(fabs(cost - np_cost) <= 1e-14 * fabs(np_cost), "%s: cost %.17g, numpy %.17g", path, cost, np_cost);
        for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
            double got = check_n(&c, rows[i].variant), np = number(o, DIFFS, rows[i].numpy);
            cr_expect(np_isclose(got, np), "%s, %s: %.17g is not close to numpy's %.17g", path, rows[i].variant,
                      got, np);
        }
        gcd_case_free(&c);
        cJSON_Delete(o);
        files++;
    }
    closedir(d);
    cr_expect_geq(files, 10, "only %d generated oracle files", files);
}

/* ---- the variant "as handed out" is the provided code --------------------- */

static void expect_same_matrix(const gc_matrix *a, const gc_matrix *b, const char *what, uint32_t seed)
{
    cr_assert(a->rows == b->rows && a->cols == b->cols, "seed %u: %s is %zux%zu, not %zux%zu", seed, what,
              a->rows, a->cols, b->rows, b->cols);
    for (size_t i = 0; i < gc_matrix_size(a); i++)
        cr_expect(memcmp(&a->data[i], &b->data[i], sizeof(double)) == 0, "seed %u: %s[%zu] = %.17g, not %.17g",
                  seed, what, i, a->data[i], b->data[i]);
}

/* The seeded variants share one backward pass with knobs; with the knobs at
 * (dW2 x2, db1 x4) it must be the provided backward_propagation_n to the bit,
 * or the graded "dW2 only" and "db1 only" cases would not be those bugs. */
Test(numbers, knobs_as_handed_out_equal_the_provided_backprop)
{
    static const struct {
        uint32_t seed;
        gcd_shape shape;
    } cases[] = {
        {1, {{4, 5, 3, 1}, 3}},  {0, {{4, 5, 3, 1}, 3}},  {29, {{4, 5, 3, 1}, 3}},
        {7, {{3, 6, 2, 1}, 4}},  {3, {{6, 4, 3, 1}, 5}},  {11, {{5, 5, 5, 1}, 8}},
        {123456, {{9, 7, 5, 1}, 11}}, {4294967295u, {{1, 1, 1, 1}, 1}}, {42, {{20, 16, 8, 1}, 32}},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        gcd_case c;
        gc_cache cache;
        gc_gradients knobs;
        hr_error err;
        cr_assert_eq(gcd_generate(cases[k].seed, &cases[k].shape, &c, &err), 0, "%s", err.msg);
        forward_propagation_n(&c.X, &c.Y, &c.parameters, &cache);
        cr_assert_eq(gcv_backprop("knobs_as_handed_out", &c.X, &c.Y, &cache, &knobs, &err), 0, "%s", err.msg);
        gc_gradients given = gc_backward_propagation_n_as_handed_out(&c.X, &c.Y, &cache);
        const gc_matrix *a[] = {&knobs.dZ3, &knobs.dW3, &knobs.db3, &knobs.dA2, &knobs.dZ2, &knobs.dW2,
                                &knobs.db2, &knobs.dA1, &knobs.dZ1, &knobs.dW1, &knobs.db1};
        const gc_matrix *b[] = {&given.dZ3, &given.dW3, &given.db3, &given.dA2, &given.dZ2, &given.dW2,
                                &given.db2, &given.dA1, &given.dZ1, &given.dW1, &given.db1};
        static const char *const names[] = {"dZ3", "dW3", "db3", "dA2", "dZ2", "dW2",
                                            "db2", "dA1", "dZ1", "dW1", "db1"};
        for (size_t i = 0; i < 11; i++)
            expect_same_matrix(a[i], b[i], names[i], cases[k].seed);
        gc_gradients_free(&knobs);
        gc_gradients_free(&given);
        gc_cache_free(&cache);
        gcd_case_free(&c);
    }
}

/* And the knobs are not a no-op: "reference" differs from the provided code
 * exactly in dW2 (halved) and db1 (a quarter) on the fixture. */
Test(numbers, reference_variant_fixes_exactly_dW2_and_db1)
{
    gcd_case c;
    gc_cache cache;
    gc_gradients fixed;
    hr_error err;
    load_fixture("testcases/gradient_check/gradient_check_n_test_case.json", &c);
    forward_propagation_n(&c.X, &c.Y, &c.parameters, &cache);
    cr_assert_eq(gcv_backprop("reference", &c.X, &c.Y, &cache, &fixed, &err), 0, "%s", err.msg);
    gc_gradients given = gc_backward_propagation_n_as_handed_out(&c.X, &c.Y, &cache);
    expect_same_matrix(&fixed.dW3, &given.dW3, "dW3", 1);
    expect_same_matrix(&fixed.db3, &given.db3, "db3", 1);
    expect_same_matrix(&fixed.db2, &given.db2, "db2", 1);
    expect_same_matrix(&fixed.dW1, &given.dW1, "dW1", 1);
    bool any = false;
    for (size_t i = 0; i < gc_matrix_size(&fixed.dW2); i++) {
        cr_expect_eq(given.dW2.data[i], 2 * fixed.dW2.data[i]);
        any = any || fixed.dW2.data[i] != 0;
    }
    for (size_t i = 0; i < gc_matrix_size(&fixed.db1); i++) {
        cr_expect(fabs(given.db1.data[i] - 4 * fixed.db1.data[i]) <= 1e-15 * fabs(given.db1.data[i]));
        any = any || fixed.db1.data[i] != 0;
    }
    cr_expect(any, "the fixture's dW2 and db1 are all zero: the test would prove nothing");
    gc_gradients_free(&fixed);
    gc_gradients_free(&given);
    gc_cache_free(&cache);
    gcd_case_free(&c);
}
