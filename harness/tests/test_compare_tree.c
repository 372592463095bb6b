/*
 * compare_tree — return values that are matrices, groups and tuples, compared
 * as np.allclose does, with messages that name the wrong elements.
 *
 * These are the generic rules every pack with structured returns relies on
 * (Regularization's gradients and dropout cache, Initialization's parameters):
 * the semantics of np.allclose element by element (-0.0 equals 0.0, NaN never
 * matches, infinities only themselves), a shape or a missing member failing
 * with its path, the first wrong elements named with their indices, hidden
 * tests naming only members, the rubric's `allclose` kind parsed with its
 * lines, and the mistakes machinery's structure equality.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_tree.h"
#include "jsonio.h"
#include "rubric.h"
#include "testutil.h"

static cJSON *parse(const char *text)
{
    cJSON *v = cJSON_Parse(text);
    cr_assert_not_null(v, "bad JSON in the test: %s", text);
    return v;
}

/* Compares two JSON texts; returns the tally, why in why. */
static cmp_tally compare(const char *got, const char *exp, char *const *keys, bool exact, char *why,
                         size_t len)
{
    cJSON *g = parse(got), *e = parse(exp);
    cmp_tally t;
    cmp_tally_init(&t, 1e-5, 1e-8, exact);
    ctree_compare(g, e, keys, &t);
    cmp_tally_why(&t, why, len);
    cJSON_Delete(g);
    cJSON_Delete(e);
    return t;
}

static const char GRADS[] =
    "{\"dW1\": [[-0.256046458322723, 0.12298826917130953, -0.28297128714635694]],"
    " \"dW2\": [[0.7927648623431991, 0.8513391838151906], [-0.09572190039999999, -0.0172046322],"
    "           [-0.13100772019999998, -0.03750433119999999]],"
    " \"db3\": [[-0.380329806]]}";

Test(compare_tree, equal_structures_pass_and_count_every_element)
{
    char why[CMP_WHY_MAX];
    cmp_tally t = compare(GRADS, GRADS, NULL, false, why, sizeof why);
    cr_expect(cmp_tally_ok(&t), "%s", why);
    cr_expect_eq(t.elements, 3 + 6 + 1);
}

Test(compare_tree, wrong_element_named_with_its_indices_and_the_count)
{
    char why[CMP_WHY_MAX];
    /* dW2[1][0] with the wrong sign */
    const char *got =
        "{\"dW1\": [[-0.256046458322723, 0.12298826917130953, -0.28297128714635694]],"
        " \"dW2\": [[0.7927648623431991, 0.8513391838151906], [0.09572190039999999, -0.0172046322],"
        "           [-0.13100772019999998, -0.03750433119999999]],"
        " \"db3\": [[-0.380329806]]}";
    cmp_tally t = compare(got, GRADS, NULL, false, why, sizeof why);
    cr_expect(!cmp_tally_ok(&t));
    cr_expect_eq(t.wrong, 1);
    cr_expect(strstr(why, "dW2[1][0]: expected -0.0957219, got 0.0957219") != NULL, "%s", why);
    cr_expect(strstr(why, "1 of 10 elements differ (np.allclose, rtol 1e-05, atol 1e-08)") != NULL, "%s", why);
    cr_expect(strstr(why, "(wrong: dW2)") != NULL, "%s", why);
    char members[CMP_WHY_MAX];
    cmp_tally_members(&t, members, sizeof members);
    cr_expect_str_eq(members, "wrong: dW2", "a hidden test names the member, no numbers");
}

Test(compare_tree, at_most_three_elements_shown_then_dots)
{
    char why[CMP_WHY_MAX];
    cmp_tally t = compare("[[1, 2, 3, 4, 5]]", "[[0, 0, 0, 0, 0]]", NULL, false, why, sizeof why);
    cr_expect_eq(t.wrong, 5);
    cr_expect(strstr(why, "return value[0][2]: expected 0, got 3; ...") != NULL, "%s", why);
    cr_expect(strstr(why, "[0][3]") == NULL, "%s", why);
}

Test(compare_tree, numpy_allclose_semantics)
{
    char why[CMP_WHY_MAX];
    /* -0.0 equals 0.0; within rtol 1e-5 passes; just outside fails */
    cmp_tally t = compare("[[-0.0, 1.000009]]", "[[0.0, 1.0]]", NULL, false, why, sizeof why);
    cr_expect(cmp_tally_ok(&t), "%s", why);
    t = compare("[[1.0000201]]", "[[1.0]]", NULL, false, why, sizeof why);
    cr_expect(!cmp_tally_ok(&t), "rtol 1e-5 + atol 1e-8 does not reach 2.01e-5");
    cr_expect(strstr(why, "expected 1, got 1.00002") != NULL, "digits that tell them apart: %s", why);
    /* NaN never matches, even NaN; infinities only themselves */
    t = compare("[[\"nan\"]]", "[[\"nan\"]]", NULL, false, why, sizeof why);
    cr_expect(!cmp_tally_ok(&t));
    t = compare("[[\"inf\", \"-inf\"]]", "[[\"inf\", \"-inf\"]]", NULL, false, why, sizeof why);
    cr_expect(cmp_tally_ok(&t), "%s", why);
    t = compare("[[\"inf\"]]", "[[1e308]]", NULL, false, why, sizeof why);
    cr_expect(!cmp_tally_ok(&t));
    /* exact: the same value, and -0.0 == 0.0 */
    t = compare("[[1.0000000000000002, -0.0]]", "[[1.0, 0.0]]", NULL, true, why, sizeof why);
    cr_expect_eq(t.wrong, 1, "%s", why);
    cr_expect(strstr(why, "exactly") != NULL, "%s", why);
}

Test(compare_tree, shapes_and_members_fail_with_their_paths)
{
    char why[CMP_WHY_MAX];
    cmp_tally t = compare("{\"A3\": [[1, 2]], \"cache\": {\"D1\": [[1], [0]]}}",
                          "{\"A3\": [[1, 2]], \"cache\": {\"D1\": [[1, 0]], \"Z1\": [[3]]}}", NULL, false,
                          why, sizeof why);
    cr_expect(!cmp_tally_ok(&t));
    cr_expect(strstr(why, "cache.D1: shape (2, 1), expected (1, 2)") != NULL, "%s", why);
    cr_expect(strstr(why, "cache.Z1: missing") != NULL, "%s", why);
    t = compare("{\"A3\": [[1, 2]], \"extra\": 1}", "{\"A3\": [[1, 2]]}", NULL, false, why, sizeof why);
    cr_expect(strstr(why, "extra: not expected here") != NULL, "%s", why);
    t = compare("[]", "[[1, 2]]", NULL, false, why, sizeof why);
    cr_expect(strstr(why, "return value: shape (0, 0), expected (1, 2)") != NULL, "an empty matrix: %s", why);
    t = compare("[[1, 2]]", "2.5", NULL, false, why, sizeof why);
    cr_expect(strstr(why, "return value: a matrix, expected a number") != NULL, "%s", why);
    t = compare("{\"x\": 1.5}", "{\"x\": 2.5}", NULL, false, why, sizeof why);
    cr_expect(strstr(why, "x: expected 2.5, got 1.5") != NULL, "a number member has no indices: %s", why);
}

Test(compare_tree, keys_compare_only_those_members)
{
    char why[CMP_WHY_MAX];
    char *keys[] = {"A3", NULL}, *nested[] = {"cache.D1", NULL};
    const char *got = "{\"A3\": [[0.5]], \"cache\": {\"D1\": [[0, 1]]}}";
    const char *exp = "{\"A3\": [[0.5]], \"cache\": {\"D1\": [[1, 0]]}}";
    cmp_tally t = compare(got, exp, keys, false, why, sizeof why);
    cr_expect(cmp_tally_ok(&t), "%s", why);
    t = compare(got, exp, nested, false, why, sizeof why);
    cr_expect_eq(t.wrong, 2);
    cr_expect(strstr(why, "cache.D1[0][0]: expected 1, got 0") != NULL, "%s", why);
    cr_expect(strstr(why, "(wrong: cache.D1)") != NULL, "%s", why);
}

Test(compare_tree, same_is_bit_equality_or_rtol)
{
    cJSON *a = parse(GRADS), *b = parse(GRADS), *n1 = parse("[[\"nan\"]]"), *n2 = parse("[[\"nan\"]]");
    cr_expect(ctree_same(a, b, 0));
    cr_expect(ctree_same(n1, n2, 0), "a mistake's NaN is the same result as another NaN");
    cJSON *row = cJSON_GetArrayItem(jsonio_get(b, "dW2"), 0);
    cJSON_ReplaceItemInArray(row, 0, cJSON_CreateNumber(0.7927648623431992));
    cr_expect(!ctree_same(a, b, 0), "one ulp is a difference for the pack");
    cr_expect(ctree_same(a, b, 1e-6), "and a match for explaining");
    cJSON *num = parse("1.5"), *mat = parse("[[1.5]]");
    cr_expect(!ctree_same(num, mat, 1e-6));
    cJSON_Delete(a);
    cJSON_Delete(b);
    cJSON_Delete(n1);
    cJSON_Delete(n2);
    cJSON_Delete(num);
    cJSON_Delete(mat);
}

/* ---- the rubric's allclose ----------------------------------------------- */

static const char RUBRIC[] =
    "assignment: demo\n"                                              /* 1 */
    "source: demo.c\n"                                                /* 2 */
    "total: 2\n"                                                      /* 3 */
    "exercises:\n"                                                    /* 4 */
    "  - id: f\n"                                                     /* 5 */
    "    points: 2\n"                                                 /* 6 */
    "    tests:\n"                                                    /* 7 */
    "      - name: all\n"                                             /* 8 */
    "        inputs: {}\n"                                            /* 9 */
    "        compare: allclose\n"                                     /* 10 */
    "        points: 1\n"                                             /* 11 */
    "      - name: some\n"                                            /* 12 */
    "        inputs: {}\n"                                            /* 13 */
    "        compare: {allclose: {rtol: 1e-6, keys: [dW1, cache.D1]}}\n" /* 14 */
    "        points: 1\n";                                            /* 15 */

static int load(const char *text, rubric *r, hr_error *err)
{
    char *dir = tu_tmpdir("allclose");
    char *path = tu_write(dir, "rubric.yaml", text, strlen(text));
    int rc = rubric_load(path, r, err);
    free(path);
    free(dir);
    return rc;
}

Test(compare_tree, rubric_allclose_defaults_and_keys)
{
    rubric r;
    hr_error err = {{0}};
    cr_assert_eq(load(RUBRIC, &r, &err), 0, "%s", err.msg);
    const rubric_compare *a = &r.exercises[0].tests[0].compare, *b = &r.exercises[0].tests[1].compare;
    cr_expect_eq(a->kind, RUBRIC_ALLCLOSE);
    cr_expect(a->rtol == 1e-5 && a->atol == 1e-8 && a->keys == NULL, "np.allclose's defaults");
    cr_expect_eq(b->kind, RUBRIC_ALLCLOSE);
    cr_expect(b->rtol == 1e-6 && b->atol == 1e-8);
    cr_assert_not_null(b->keys);
    cr_expect_str_eq(b->keys[0], "dW1");
    cr_expect_str_eq(b->keys[1], "cache.D1");
    cr_expect_null(b->keys[2]);
    rubric_free(&r);
}

static void refused(const char *find, const char *with, int line, const char *fragment)
{
    const char *at = strstr(RUBRIC, find);
    cr_assert_not_null(at);
    char *text;
    cr_assert_gt(asprintf(&text, "%.*s%s%s", (int)(at - RUBRIC), RUBRIC, with, at + strlen(find)), 0);
    rubric r;
    hr_error err = {{0}};
    cr_assert_neq(load(text, &r, &err), 0, "accepted: %s", with);
    char where[32];
    snprintf(where, sizeof where, ":%d: ", line);
    cr_expect(strstr(err.msg, where) != NULL, "'%s' is not on line %d", err.msg, line);
    cr_expect(strstr(err.msg, fragment) != NULL, "'%s' does not say '%s'", err.msg, fragment);
    free(text);
}

Test(compare_tree, rubric_allclose_errors_have_lines)
{
    refused("rtol: 1e-6, keys", "rtol: 1e-6, tol: 3, keys", 14, "tol");
    refused("keys: [dW1, cache.D1]", "keys: []", 14, "lists no member");
    refused("keys: [dW1, cache.D1]", "keys: dW1", 14, "must be a list");
    refused("rtol: 1e-6, keys", "rtol: 0, atol: 0, keys", 14, "allclose needs rtol or atol above 0");
}
