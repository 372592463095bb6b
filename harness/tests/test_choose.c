/*
 * test_choose — which assignment grades a folder (choose.h), with several
 * assignments built: a stand-in build folder holds two packs, each only the
 * "source" a real pack.json has.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "choose.h"
#include "fsutil.h"
#include "testutil.h"

static char *packs;

static void two_packs(void)
{
    packs = tu_tmpdir("choose-packs");
    char *a = fs_join(packs, "alpha"), *b = fs_join(packs, "beta"), *junk = fs_join(packs, "obj");
    cr_assert_eq(fs_mkdirs(a, 0700, NULL), 0);
    cr_assert_eq(fs_mkdirs(b, 0700, NULL), 0);
    cr_assert_eq(fs_mkdirs(junk, 0700, NULL), 0);   /* no pack.json: not an assignment */
    free(tu_write(a, "pack.json", "{\"source\": \"alpha.c\"}", 21));
    free(tu_write(b, "pack.json", "{\"source\": \"beta.c\"}", 20));
    free(a);
    free(b);
    free(junk);
}

static void remove_packs(void)
{
    fs_remove_tree(packs, NULL);
    free(packs);
}

/* A submission folder holding the given files. */
static char *folder(const char *label, const char *const *files)
{
    char *dir = tu_tmpdir(label);
    for (; *files; files++)
        free(tu_write(dir, *files, "int x;\n", 7));
    return dir;
}

static void expect_choice(const char *name, const char *target, bool batch, const char *want)
{
    char *dir = NULL, why[1024] = "";
    int rc = choose_assignment(packs, name, target, batch, &dir, why, sizeof why);
    cr_assert_eq(rc, 0, "%s", why);
    char *expected = fs_join(packs, want);
    cr_expect_str_eq(dir, expected);
    free(expected);
    free(dir);
}

static void expect_refusal(const char *name, const char *target, bool batch, const char *words)
{
    char *dir = NULL, why[1024] = "";
    cr_assert_eq(choose_assignment(packs, name, target, batch, &dir, why, sizeof why), -1, "chose %s", dir);
    cr_expect_null(dir);
    cr_expect(strstr(why, words), "'%s' does not say '%s'", why, words);
    cr_expect(strstr(why, "alpha (alpha.c), beta (beta.c)"), "the assignments are listed: %s", why);
}

TestSuite(choose, .init = two_packs, .fini = remove_packs);

Test(choose, by_the_file_the_folder_holds)
{
    char *a = folder("choose-a", (const char *const[]){"alpha.c", "notes.txt", NULL});
    char *b = folder("choose-b", (const char *const[]){"beta.c", NULL});
    expect_choice(NULL, a, false, "alpha");
    expect_choice(NULL, b, false, "beta");
    char *file = fs_join(b, "beta.c");   /* a file, by its name */
    expect_choice(NULL, file, false, "beta");
    free(file);
    fs_remove_tree(a, NULL);
    fs_remove_tree(b, NULL);
    free(a);
    free(b);
}

Test(choose, by_name)
{
    char *a = folder("choose-named", (const char *const[]){"alpha.c", NULL});
    expect_choice("beta", a, false, "beta");   /* the name wins over the file */
    expect_refusal("gamma", a, false, "unknown assignment 'gamma'");
    fs_remove_tree(a, NULL);
    free(a);
}

Test(choose, none_or_several_is_a_usage_error)
{
    char *none = folder("choose-none", (const char *const[]){"mine.c", NULL});
    char *both = folder("choose-both", (const char *const[]){"alpha.c", "beta.c", NULL});
    expect_refusal(NULL, none, false, "holds no assignment's file");
    expect_refusal(NULL, both, false, "holds the files of several assignments");
    fs_remove_tree(none, NULL);
    fs_remove_tree(both, NULL);
    free(none);
    free(both);
}

Test(choose, a_class_by_its_students_files)
{
    char *cls = tu_tmpdir("choose-class");
    const char *const students[][2] = {{"s1", "beta.c"}, {"s2", "beta.c"}, {"s3", "other.c"}};
    for (size_t i = 0; i < 3; i++) {
        char *s = fs_join(cls, students[i][0]);
        cr_assert_eq(fs_mkdirs(s, 0700, NULL), 0);
        free(tu_write(s, students[i][1], "int x;\n", 7));
        free(s);
    }
    expect_choice(NULL, cls, true, "beta");
    char *s4 = fs_join(cls, "s4");   /* one student of another assignment: ambiguous */
    cr_assert_eq(fs_mkdirs(s4, 0700, NULL), 0);
    free(tu_write(s4, "alpha.c", "int x;\n", 7));
    expect_refusal(NULL, cls, true, "holds the files of several assignments");
    free(s4);
    fs_remove_tree(cls, NULL);
    free(cls);
}
