/*
 * test_examples.c — the Initialization pack, graded end to end with the built
 * grader: the example class scores what examples/initialization/README.md
 * says, the reference scores full marks, the template 0, each legitimate
 * variant full marks, and every mistake of the catalogue fails its function's
 * tests (only those) with its own hint.
 *
 * The catalogue's mistakes are made from the reference with the harness's own
 * mistakes_apply, so that the test follows the catalogue as it grows.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mistakes.h"
#include "testutil.h"

/* the pack's build folder (make passes TU_BUILD) */
#define INIT_BUILD TU_BUILD "/initialization"
#define REFERENCE "reference/initialization/initialization.c"
#define CATALOGUE "rubrics/initialization.mistakes.yaml"

static const char *const EXERCISES[3] = {"initialize_parameters_zeros", "initialize_parameters_random",
                                         "initialize_parameters_he"};
static const double FULL[3] = {10, 20, 20};

/* Grades a folder holding initialization.c with this pack. */
static cJSON *grade(const char *folder)
{
    const char *argv[] = {TU_GRADER, "--assignment", INIT_BUILD, "--format", "json", folder, NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "grader exit %d on %s: %s", r.status, folder, r.err);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "the report is not JSON: %.300s", r.out);
    tu_result_free(&r);
    return doc;
}

static cJSON *grade_text(const char *label, const char *text)
{
    char *dir = tu_tmpdir(label);
    free(tu_write(dir, "initialization.c", text, strlen(text)));
    cJSON *r = grade(dir);
    free(dir);
    return r;
}

static cJSON *expect_scores(const char *student, double zeros, double random, double he)
{
    char path[256];
    snprintf(path, sizeof path, "examples/initialization/%s", student);
    cJSON *r = grade(path);
    const double want[3] = {zeros, random, he};
    for (int e = 0; e < 3; e++)
        cr_expect_eq(tu_score(r, EXERCISES[e]), want[e], "%s: %s %g, not %g", student, EXERCISES[e],
                     tu_score(r, EXERCISES[e]), want[e]);
    cr_expect_eq(tu_score(r, ""), zeros + random + he, "%s: total %g", student, tu_score(r, ""));
    return r;
}

static const char *hint_of(const cJSON *report, const char *test)
{
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(tu_test(report, test), "hint");
    return cJSON_IsString(h) ? h->valuestring : "";
}

Test(initialization_examples, reference_scores_50)
{
    char *text = tu_read(REFERENCE, NULL);
    cr_assert_not_null(text);
    cJSON *r = grade_text("init-reference", text);
    cr_expect_eq(tu_score(r, ""), 50);
    cJSON_Delete(r);
    free(text);
}

Test(initialization_examples, correct_in_another_style_scores_50)
{
    cJSON_Delete(expect_scores("s01-correct-own-style", 10, 20, 20));
}

Test(initialization_examples, untouched_template_scores_0)
{
    char *example = tu_read("examples/initialization/s02-untouched-template/initialization.c", NULL);
    char *template = tu_read("student_template/initialization/initialization.c", NULL);
    cr_assert(example && template);
    cr_expect_str_eq(example, template, "examples/initialization/s02-untouched-template is no longer the template");
    cJSON_Delete(expect_scores("s02-untouched-template", 0, 0, 0));
    free(example);
    free(template);
}

/* Legitimate variants: the last bits differ from the reference's (checked in
 * the README's words: most He elements for s03), np.allclose accepts them. */
Test(initialization_examples, he_divided_by_sqrt_half_scores_50)
{
    cJSON_Delete(expect_scores("s03-he-divided-by-sqrt-half", 10, 20, 20));
}

Test(initialization_examples, he_sqrt2_over_sqrt_n_scores_50)
{
    cJSON_Delete(expect_scores("s04-he-sqrt2-over-sqrt-n", 10, 20, 20));
}

Test(initialization_examples, one_draw_at_a_time_scores_50)
{
    cJSON_Delete(expect_scores("s05-one-draw-at-a-time", 10, 20, 20));
}

Test(initialization_examples, b_drawn_from_randn_scores_10_with_its_hint)
{
    cJSON *r = expect_scores("s06-b-drawn-from-randn", 10, 0, 0);
    cr_expect(strstr(hint_of(r, "initialize_parameters_random/1"), "b must not draw random numbers"));
    cr_expect(strstr(hint_of(r, "initialize_parameters_he/1"), "b must not draw random numbers"));
    cJSON_Delete(r);
}

Test(initialization_examples, seed_forgotten_scores_10_with_its_hint)
{
    cJSON *r = expect_scores("s07-seed-forgotten", 10, 0, 0);
    cr_expect(strstr(hint_of(r, "initialize_parameters_random/1"), "without np_random_seed(3)"));
    cr_expect(strstr(hint_of(r, "initialize_parameters_he/2"), "without np_random_seed(3)"));
    cJSON_Delete(r);
}

Test(initialization_examples, he_current_layer_scores_30_with_its_hint)
{
    cJSON *r = expect_scores("s08-he-current-layer", 10, 20, 0);
    cr_expect(strstr(hint_of(r, "initialize_parameters_he/1"), "previous layer's size"));
    cJSON_Delete(r);
}

Test(initialization_examples, integer_division_scores_30_with_its_hint)
{
    cJSON *r = expect_scores("s09-integer-division", 10, 20, 0);
    cr_expect(strstr(hint_of(r, "initialize_parameters_he/1"), "integer arithmetic"));
    /* a visible test names elements and numbers; a hidden one only its wrong members */
    const char *visible = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(tu_test(r, "initialize_parameters_he/1"), "student_message"));
    const char *hidden = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(tu_test(r, "initialize_parameters_he/5"), "student_message"));
    cr_assert(visible && hidden);
    cr_expect(strstr(visible, "W2[0][0]: expected -0.0309841"), "%s", visible);
    cr_expect(strstr(hidden, "wrong: W1, W2, W3"), "%s", hidden);
    cr_expect_null(strstr(hidden, "]["), "a hidden test shows its elements: %s", hidden);
    cr_expect_null(strstr(hidden, "expected -"), "a hidden test shows numbers: %s", hidden);
    cJSON_Delete(r);
}

Test(initialization_examples, w_transposed_scores_10_with_its_hint)
{
    cJSON *r = expect_scores("s10-w-transposed", 10, 0, 0);
    cr_expect(strstr(hint_of(r, "initialize_parameters_random/1"), "rows first"));
    cr_expect(strstr(hint_of(r, "initialize_parameters_he/1"), "rows first"));
    cJSON_Delete(r);
}

/* Every mistake of the catalogue, made from the reference: its function loses
 * points, every test of it that fails names this mistake's hint, and the two
 * other functions keep full marks. */
Test(initialization_examples, every_catalogued_mistake_fails_with_its_hint, .timeout = 600)
{
    mistake_catalogue cat;
    hr_error err;
    cr_assert_eq(mistakes_load(CATALOGUE, &cat, &err), 0, "%s", err.msg);
    cr_assert_geq(cat.count, 10);
    char *ref = tu_read(REFERENCE, NULL);
    cr_assert_not_null(ref);
    for (size_t i = 0; i < cat.count; i++) {
        const mistake *m = &cat.items[i];
        char *text = mistakes_apply(m, ref, &err);
        cr_assert_not_null(text, "%s: %s", m->id, err.msg);
        cJSON *r = grade_text(m->id, text);
        for (int e = 0; e < 3; e++) {
            double got = tu_score(r, EXERCISES[e]);
            if (strcmp(EXERCISES[e], m->function) != 0) {
                cr_expect_eq(got, FULL[e], "%s: %s scores %g, not full marks", m->id, EXERCISES[e], got);
                continue;
            }
            cr_expect_lt(got, FULL[e], "%s: %s keeps full marks", m->id, EXERCISES[e]);
            const cJSON *ex, *t;
            cJSON_ArrayForEach(ex, cJSON_GetObjectItemCaseSensitive(r, "exercises")) {
                if (strcmp(cJSON_GetObjectItemCaseSensitive(ex, "id")->valuestring, m->function) != 0)
                    continue;
                cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(ex, "tests")) {
                    const char *status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "status"));
                    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "id"));
                    if (strcmp(status, "passed") != 0)
                        cr_expect(strstr(hint_of(r, id), m->hint) != NULL, "%s: test %s (%s) has hint '%s'", m->id,
                                  id, status, hint_of(r, id));
                }
            }
        }
        cJSON_Delete(r);
        free(text);
    }
    free(ref);
    mistakes_free(&cat);
}
