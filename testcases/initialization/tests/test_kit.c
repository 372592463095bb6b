/*
 * test_kit.c — the Initialization student kit (make student-kit
 * ASSIGNMENT=initialization), unpacked in a temporary folder and used as a
 * student would (`make test`): the template fails every public test, the
 * reference and the legitimate variants pass them all, a catalogued mistake
 * fails with the grader's words; and the kit holds no secret: not the
 * reference, not the pack, not a hidden test's layer sizes.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "testutil.h"

#define KIT "dist/initialization-kit.tar.gz"

static char *unpack_kit(const char *label)
{
    char *archive = realpath(KIT, NULL), *dir = tu_tmpdir(label), *kit;
    cr_assert_not_null(archive, "%s is missing: run make student-kit ASSIGNMENT=initialization", KIT);
    const char *argv[] = {"/bin/tar", "-xzf", archive, "-C", dir, NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "tar: %s", r.err);
    tu_result_free(&r);
    cr_assert_gt(asprintf(&kit, "%s/initialization", dir), 0);
    cr_assert(fs_is_dir(kit), "the kit does not unpack into initialization/");
    free(archive);
    free(dir);
    return kit;
}

/* `make test` in the kit, outside this make and this Criterion's workers. */
static tu_result kit_make_test(const char *kit, const char *source_file)
{
    if (source_file) {
        char *text = tu_read(source_file, NULL);
        cr_assert_not_null(text, "%s", source_file);
        free(tu_write(kit, "initialization.c", text, strlen(text)));
        free(text);
    }
    const char *argv[] = {"/usr/bin/env", "-u", "MAKEFLAGS", "-u", "MAKELEVEL", "-u", "MFLAGS", "-u", "BXFI_MAP",
                          "/usr/bin/make", "--no-print-directory", "-C", kit, "test", "CRITERION_FLAGS=", NULL};
    return tu_run(argv);
}

Test(initialization_kit, template_fails_every_public_test)
{
    char *kit = unpack_kit("init-kit-template");
    tu_result r = kit_make_test(kit, NULL);
    cr_expect_neq(r.status, 0, "make test passed on the template");
    cr_expect(strstr(r.err, "0 of 12 passed") || strstr(r.out, "0 of 12 passed"), "%s%s", r.out, r.err);
    tu_result_free(&r);
    free(kit);
}

Test(initialization_kit, reference_and_variants_pass_every_public_test)
{
    static const char *const sources[] = {
        "reference/initialization/initialization.c",
        "examples/initialization/s03-he-divided-by-sqrt-half/initialization.c",
        "examples/initialization/s04-he-sqrt2-over-sqrt-n/initialization.c",
        "examples/initialization/s05-one-draw-at-a-time/initialization.c",
    };
    char *kit = unpack_kit("init-kit-reference");
    for (size_t i = 0; i < sizeof sources / sizeof *sources; i++) {
        tu_result r = kit_make_test(kit, sources[i]);
        cr_expect_eq(r.status, 0, "%s: make test exit %d: %s%s", sources[i], r.status, r.out, r.err);
        cr_expect(strstr(r.err, "12 of 12 passed") || strstr(r.out, "12 of 12 passed"), "%s: %s%s", sources[i],
                  r.out, r.err);
        tu_result_free(&r);
    }
    free(kit);
}

Test(initialization_kit, a_mistake_fails_with_the_graders_words)
{
    char *kit = unpack_kit("init-kit-mistake");
    tu_result r = kit_make_test(kit, "examples/initialization/s10-w-transposed/initialization.c");
    cr_expect_neq(r.status, 0);
    const char *all = strstr(r.out, "shape (3, 2), expected (2, 3)") ? r.out : r.err;
    cr_expect(strstr(all, "W1: shape (3, 2), expected (2, 3)"), "%s%s", r.out, r.err);
    cr_expect(strstr(all, "4 of 12 passed"), "%s%s", r.out, r.err);
    tu_result_free(&r);
    free(kit);
}

Test(initialization_kit, holds_no_secret)
{
    const char *argv[] = {"/bin/tar", "-tzf", KIT, NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "tar: %s", r.err);
    cr_expect_null(strstr(r.out, "reference"), "the kit lists %s", r.out);
    cr_expect_null(strstr(r.out, "pack.json"));
    cr_expect_null(strstr(r.out, "data.c"), "runner-side code in the kit");
    tu_result_free(&r);
    char *kit = unpack_kit("init-kit-secrets");
    char path[4200];
    snprintf(path, sizeof path, "%s/tests/public_tests.c", kit);
    char *tests = tu_read(path, NULL);
    cr_assert_not_null(tests);
    /* the hidden tests' sizes (rubrics/initialization.yaml) */
    static const char *const hidden[] = {"{4, 6, 3, 2, 1}", "{5, 2}", "{3, 5, 3, 1}", "{5, 3, 7, 1}", "{7, 3, 2, 1}"};
    for (size_t i = 0; i < sizeof hidden / sizeof *hidden; i++)
        cr_expect_null(strstr(tests, hidden[i]), "the kit holds a hidden test's layers_dims %s", hidden[i]);
    /* and the visible ones are there */
    cr_expect_not_null(strstr(tests, "{3, 2, 1}"));
    cr_expect_not_null(strstr(tests, "{2, 10, 5, 1}"));
    free(tests);
    free(kit);
}
