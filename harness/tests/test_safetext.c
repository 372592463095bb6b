/*
 * safetext — the one module that makes text a submission shaped safe to show
 * (issue 10, class 2): what it keeps, drops and replaces, where it cuts, and
 * that a JSON document walked by it holds only safe strings.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "safetext.h"

#define FFFD "\xef\xbf\xbd"

static void made(const char *raw, size_t len, const char *want)
{
    char *got = safetext_make_len(raw, len, SIZE_MAX, NULL);
    cr_assert_not_null(got);
    cr_expect_str_eq(got, want);
    cr_expect(safetext_is_safe(got, strlen(got), NULL), "the result is not safe: %s", got);
    free(got);
}

/* a literal's bytes, NUL bytes inside included */
#define MADE(lit, want) made(lit, sizeof lit - 1, want)

Test(safetext, keeps_text_newlines_tabs_and_characters)
{
    MADE("a\tb\nc \xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x99\x82", "a\tb\nc \xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x99\x82");
}

Test(safetext, removes_colour_and_cursor_sequences)
{
    MADE("\033[93mok\033[0m \033[2J\033[H\033[8mhidden", "ok hidden");
}

Test(safetext, replaces_controls_c1_nul_del_and_lone_esc)
{
    MADE("a\033b", "a" FFFD "b");
    MADE("x\xc2\x9b" "2J", "x" FFFD "2J");   /* U+009B, an 8-bit CSI */
    MADE("n\0ul", "n" FFFD "ul");
    MADE("d\x7f" "e", "d" FFFD "e");
    MADE("bell\a", "bell" FFFD);
    MADE("cr\rlf\r\n", "cr" FFFD "lf\n");
}

Test(safetext, replaces_invalid_utf8)
{
    MADE("\xe9t\xe9", FFFD "t" FFFD);                 /* Latin-1 */
    MADE("\xc0\xaf", FFFD FFFD);                      /* overlong '/' */
    MADE("\xed\xa0\x80", FFFD FFFD FFFD);             /* a surrogate */
    MADE("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD);    /* past U+10FFFF */
    MADE("\xe2\x9c", FFFD FFFD);                      /* cut short */
}

Test(safetext, cuts_after_making_safe_on_a_character_boundary)
{
    char raw[16] = "abc\xc3\xa9";
    bool cut = false;
    char *got = safetext_make_len(raw, 5, 4, &cut);
    cr_expect_str_eq(got, "abc");
    cr_expect(cut);
    free(got);
    /* a control byte becomes 3 bytes: the cut is on the safe text */
    got = safetext_make_len("ab\x01" "cd", 5, 4, &cut);
    cr_expect_str_eq(got, "ab");
    free(got);
    char buf[6];
    safetext_copy(buf, sizeof buf, "abcd\xc3\xa9xyz");
    cr_expect_str_eq(buf, "abcd");
    safetext_copy(buf, sizeof buf, "\xe2\x9c\x93\xe2\x9c\x93");
    cr_expect_str_eq(buf, "\xe2\x9c\x93");
    cr_expect_eq(safetext_fit("\xf0\x9f\x99\x82", 3), 0);
    cr_expect_eq(safetext_fit("ab", 10), 2);
}

Test(safetext, json_documents_hold_only_safe_strings)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *deep = doc;
    for (int i = 0; i < 5000; i++)   /* deeper than any recursion should go */
        deep = cJSON_AddObjectToObject(deep, "k");
    cJSON_AddStringToObject(deep, "caf\xe9", "\033[2Jx\xc2\x9b");
    cr_expect_not(safetext_json_is_safe(doc));
    cr_assert(safetext_json(doc));
    cr_expect(safetext_json_is_safe(doc));
    cr_expect_str_eq(deep->child->string, "caf" FFFD);
    cr_expect_str_eq(deep->child->valuestring, "x" FFFD);
    cJSON_Delete(doc);
}
