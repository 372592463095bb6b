/*
 * intake: what a submission folder may hold (issue "Harden the grader against
 * hostile submissions", the submission itself), first at the module, then
 * end to end for what must still grade: a BOM, CRLF line ends, a folder with
 * spaces and non-ASCII letters, another file name.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "intake.h"
#include "testutil.h"

#define NAME "gradient_check.c"

static void removed(char *dir)
{
    hr_error err;
    fs_remove_tree(dir, &err);
    free(dir);
}

static void take(const char *path, intake_result *in)
{
    intake_submission(path, NAME, in);
}

static void expect_refused(const char *path, const char *says)
{
    intake_result in;
    take(path, &in);
    cr_expect(!in.accepted, "%s was accepted", path);
    cr_expect(strstr(in.message, says) != NULL, "the message does not say \"%s\": %s", says, in.message);
    intake_result_free(&in);
}

Test(intake, symlink_is_refused)
{
    char *dir = tu_tmpdir("intake-symlink");
    char *link = fs_join(dir, NAME);
    cr_assert_eq(symlink("/etc/hostname", link), 0);
    expect_refused(dir, "symbolic link");
    expect_refused(link, "symbolic link");
    free(link);
    removed(dir);
}

Test(intake, symlinked_folder_is_refused)
{
    char *dir = tu_tmpdir("intake-linked"), *real = tu_tmpdir("intake-real");
    free(tu_write(real, NAME, "int x;\n", 7));
    char *link = fs_join(dir, "submission"), *slash;
    cr_assert_eq(symlink(real, link), 0);
    expect_refused(link, "symbolic link");
    cr_assert_gt(asprintf(&slash, "%s/", link), 0);
    expect_refused(slash, "symbolic link");
    free(slash);
    free(link);
    removed(real);
    removed(dir);
}

Test(intake, fifo_is_refused_without_hanging, .timeout = 10)
{
    char *dir = tu_tmpdir("intake-fifo");
    char *fifo = fs_join(dir, NAME);
    cr_assert_eq(mkfifo(fifo, 0644), 0);
    expect_refused(dir, "not a regular file");
    free(fifo);
    removed(dir);
}

Test(intake, over_one_mib_is_refused)
{
    size_t n = INTAKE_MAX_BYTES + 1;
    char *big = malloc(n);
    memset(big, ' ', n);
    char *dir = tu_tmpdir("intake-big");
    free(tu_write(dir, NAME, big, n));
    expect_refused(dir, "1 MiB");
    free(big);
    removed(dir);
}

Test(intake, binary_bytes_are_not_text)
{
    char *dir = tu_tmpdir("intake-binary");
    free(tu_write(dir, NAME, "int x;\n\0\1\2", 10));
    intake_result in;
    take(dir, &in);
    cr_expect(!in.accepted && in.not_text);
    cr_expect(strstr(in.message, "binary or non-UTF-8 bytes (first at byte 7)") != NULL, "%s", in.message);
    intake_result_free(&in);
    removed(dir);
}

Test(intake, latin1_is_not_utf8)
{
    char *dir = tu_tmpdir("intake-latin1");
    free(tu_write(dir, NAME, "/* caf\xe9 */\nint x;\n", 18));
    intake_result in;
    take(dir, &in);
    cr_expect(!in.accepted && in.not_text);
    cr_expect(strstr(in.message, "first at byte 6") != NULL, "%s", in.message);
    intake_result_free(&in);
    removed(dir);
}

Test(intake, bom_is_removed_and_crlf_kept)
{
    char *dir = tu_tmpdir("intake-bom");
    const char text[] = "\xef\xbb\xbfint x;\r\nint y;\r\n";
    free(tu_write(dir, NAME, text, sizeof text - 1));
    intake_result in;
    take(dir, &in);
    cr_assert(in.accepted, "%s", in.message);
    cr_expect_eq(in.len, sizeof text - 4);
    cr_expect_str_eq(in.text, "int x;\r\nint y;\r\n");
    intake_result_free(&in);
    removed(dir);
}

Test(intake, folder_with_spaces_and_non_ascii_letters)
{
    char *base = tu_tmpdir("intake-names"), *dir = fs_join(base, "Zoë Brontë – devoir 3");
    free(tu_write(dir, NAME, "int x;\n", 7));
    intake_result in;
    take(dir, &in);
    cr_expect(in.accepted, "%s", in.message);
    intake_result_free(&in);
    free(dir);
    removed(base);
}

Test(intake, empty_folder_names_the_file)
{
    char *dir = tu_tmpdir("intake-empty");
    expect_refused(dir, "has no " NAME);
    removed(dir);
}

Test(intake, empty_file)
{
    char *dir = tu_tmpdir("intake-empty-file");
    free(tu_write(dir, NAME, "\xef\xbb\xbf", 3));
    expect_refused(dir, "is empty");
    removed(dir);
}

Test(intake, one_other_c_file_is_graded_with_a_note)
{
    char *dir = tu_tmpdir("intake-other");
    free(tu_write(dir, "solution.c", "int x;\n", 7));
    free(tu_write(dir, "notes.txt", "hi\n", 3));
    intake_result in;
    take(dir, &in);
    cr_expect(in.accepted, "%s", in.message);
    cr_expect_str_eq(in.name, "solution.c");
    cr_expect(strstr(in.message, "no " NAME) && strstr(in.message, "graded solution.c"), "%s", in.message);
    intake_result_free(&in);
    removed(dir);
}

Test(intake, two_other_c_files_are_not_guessed)
{
    char *dir = tu_tmpdir("intake-two");
    free(tu_write(dir, "a.c", "int x;\n", 7));
    free(tu_write(dir, "b.c", "int y;\n", 7));
    expect_refused(dir, "2 other .c files");
    removed(dir);
}

/* ---- end to end: what must still grade ------------------------------------------- */

static void expect_full_marks(const char *dir, const char *const *extra)
{
    cJSON *r = tu_grade(dir, extra);
    cr_expect_eq(tu_score(r, ""), 50, "%s scored %g", dir, tu_score(r, ""));
    cJSON_Delete(r);
}

Test(intake, reference_with_bom_and_crlf_grades_50)
{
    char *text = tu_read("reference/gradient_check/gradient_check.c", NULL);
    size_t n = strlen(text);
    char *crlf = malloc(3 + 2 * n + 1), *o = crlf;
    memcpy(o, "\xef\xbb\xbf", 3);
    o += 3;
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '\n')
            *o++ = '\r';
        *o++ = text[i];
    }
    char *dir = tu_tmpdir("bom-crlf");
    free(tu_write(dir, NAME, crlf, (size_t)(o - crlf)));
    expect_full_marks(dir, NULL);
    const char *const no_ns[] = {"--no-namespaces", NULL};
    expect_full_marks(dir, no_ns);
    free(text);
    free(crlf);
    removed(dir);
}

Test(intake, folder_with_spaces_and_non_ascii_letters_grades_50)
{
    char *text = tu_read("reference/gradient_check/gradient_check.c", NULL);
    char *base = tu_tmpdir("names"), *dir = fs_join(base, "Zoë Brontë – devoir 3");
    free(tu_write(dir, NAME, text, strlen(text)));
    expect_full_marks(dir, NULL);
    const char *const no_ns[] = {"--no-namespaces", NULL};
    expect_full_marks(dir, no_ns);
    free(text);
    free(dir);
    removed(base);
}

Test(intake, other_file_name_grades_50_with_a_note)
{
    char *text = tu_read("reference/gradient_check/gradient_check.c", NULL);
    char *dir = tu_tmpdir("other-name");
    free(tu_write(dir, "my_solution.c", text, strlen(text)));
    cJSON *r = tu_grade(dir, NULL);
    cr_expect_eq(tu_score(r, ""), 50);
    const char *note = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "build"), "note")->valuestring;
    cr_expect(strstr(note, "graded my_solution.c") != NULL, "%s", note);
    cJSON_Delete(r);
    free(text);
    removed(dir);
}

/* The grader's work folder is wherever TMPDIR says, however it is spelled
 * (the paths the compiler reports must match the ones the checks allow). */
Test(intake, tmpdir_spelled_with_slashes_and_dots_grades_50)
{
    char *base = tu_tmpdir("tmpdir spelling"), *odd;
    cr_assert_gt(asprintf(&odd, "%s/./sub/..//", base), 0);
    char *sub = fs_join(base, "sub");
    cr_assert_eq(mkdir(sub, 0755), 0);
    setenv("TMPDIR", odd, 1);
    expect_full_marks("reference/gradient_check", NULL);
    const char *const no_ns[] = {"--no-namespaces", NULL};
    expect_full_marks("reference/gradient_check", no_ns);
    unsetenv("TMPDIR");
    hr_error err;
    fs_remove_tree(base, &err);
    free(odd);
    free(sub);
    free(base);
}
