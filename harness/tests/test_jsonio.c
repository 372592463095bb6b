/*
 * jsonio — doubles that survive JSON bit for bit, and files read strictly.
 *
 * Every expected value in the pack and every value the runner returns crosses
 * JSON; a lost last bit would turn an exact test into a wrong grade. cJSON's
 * own printer keeps 15 digits when they compare equal within an epsilon, so
 * the harness writes Python's repr instead; these tests show both the problem
 * and the fix.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "testutil.h"

static char *print(const cJSON *item)
{
    char *s = cJSON_PrintUnformatted(item);
    cr_assert_not_null(s);
    return s;
}

Test(jsonio, doubles_round_trip_bit_for_bit)
{
    const double values[] = {0.30000000000000004, 0.1, 1.0 / 3, 2.919335883291695e-10, -0.0, 5e-324,
                             1.7976931348623157e308, 1e16, 123456789.125, 0.285093156780699};
    for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
        cJSON *item = jsonio_double(values[i]);
        char *text = print(item);
        cJSON *back = cJSON_Parse(text);
        double v;
        cr_assert_eq(jsonio_get_double(back, &v), 0, "%s", text);
        cr_expect(memcmp(&v, &values[i], sizeof v) == 0, "%.17g came back as %.17g via %s", values[i], v, text);
        cJSON_Delete(back);
        free(text);
        cJSON_Delete(item);
    }
}

/* cJSON alone prints 0.30000000000000004 as 0.3 (15 digits, "equal" within an
 * epsilon); after jsonio_exact the parsed tree prints every bit. */
Test(jsonio, exact_keeps_what_cjson_would_drop)
{
    const char *doc = "{\"a\": [0.30000000000000004, 1e-7], \"b\": {\"c\": 2.9193358832916950e-10}}";
    cJSON *plain = cJSON_Parse(doc);
    char *lossy = print(plain);
    cr_expect(strstr(lossy, "0.30000000000000004") == NULL,
              "cJSON kept every digit (%s): the premise of jsonio_exact no longer holds", lossy);
    free(lossy);
    cJSON_Delete(plain);

    cJSON *exact = jsonio_exact(cJSON_Parse(doc));
    char *text = print(exact);
    cr_expect_str_eq(text, "{\"a\":[0.30000000000000004,1e-07],\"b\":{\"c\":2.919335883291695e-10}}");
    free(text);
    cJSON_Delete(exact);
}

Test(jsonio, non_finite_values_are_strings)
{
    const double values[] = {NAN, INFINITY, -INFINITY};
    const char *const texts[] = {"\"nan\"", "\"inf\"", "\"-inf\""};
    for (int i = 0; i < 3; i++) {
        cJSON *item = jsonio_double(values[i]);
        char *text = print(item);
        cr_expect_str_eq(text, texts[i]);
        double v;
        cr_assert_eq(jsonio_get_double(item, &v), 0);
        cr_expect(isnan(values[i]) ? isnan(v) : v == values[i]);
        free(text);
        cJSON_Delete(item);
    }
    /* other strings are not numbers */
    cJSON *s = cJSON_CreateString("1.5");
    double v;
    cr_expect_eq(jsonio_get_double(s, &v), -1);
    cJSON_Delete(s);
    cr_expect_eq(jsonio_get_double(NULL, &v), -1);
}

Test(jsonio, matrices_are_lists_of_rows)
{
    double data[6] = {1, 2, 3, 4, 5, 6.5};
    cJSON *m = jsonio_matrix(data, 2, 3);
    char *text = print(m);
    cr_expect_str_eq(text, "[[1.0,2.0,3.0],[4.0,5.0,6.5]]");
    free(text);
    double *back;
    size_t rows, cols;
    hr_error err;
    cr_assert_eq(jsonio_get_matrix(m, false, &back, &rows, &cols, &err), 0, "%s", err.msg);
    cr_expect(rows == 2 && cols == 3 && !memcmp(back, data, sizeof data));
    free(back);
    cJSON_Delete(m);
}

static int read_matrix(const char *json, bool allow_flat, size_t *rows, size_t *cols, hr_error *err)
{
    cJSON *doc = cJSON_Parse(json);
    cr_assert_not_null(doc, "%s", json);
    double *data = NULL;
    int rc = jsonio_get_matrix(doc, allow_flat, &data, rows, cols, err);
    free(data);
    cJSON_Delete(doc);
    return rc;
}

Test(jsonio, bad_matrices_are_refused)
{
    size_t r, c;
    hr_error err;
    cr_expect_eq(read_matrix("[[1, 2], [3]]", false, &r, &c, &err), -1, "ragged rows");
    cr_expect(strstr(err.msg, "row 1"), "%s", err.msg);
    cr_expect_eq(read_matrix("[[1, 2], [3, 4, 5]]", false, &r, &c, &err), -1, "ragged rows");
    cr_expect_eq(read_matrix("[[1, \"x\"]]", false, &r, &c, &err), -1, "a string in a row");
    cr_expect_eq(read_matrix("[]", false, &r, &c, &err), -1, "empty");
    cr_expect_eq(read_matrix("[[]]", false, &r, &c, &err), -1, "an empty row");
    cr_expect_eq(read_matrix("[[1], 2]", false, &r, &c, &err), -1, "a row that is not a list");
    cr_expect_eq(read_matrix("{\"a\": 1}", false, &r, &c, &err), -1, "not a list");
    cr_expect_eq(read_matrix("[1, 1, 0]", false, &r, &c, &err), -1, "flat, when rows are wanted");
    cr_assert_eq(read_matrix("[1, 1, 0]", true, &r, &c, &err), 0, "flat, allowed: %s", err.msg);
    cr_expect(r == 1 && c == 3);
}

Test(jsonio, files_hold_one_document)
{
    char *dir = tu_tmpdir("jsonio");
    hr_error err;
    char *ok = tu_write(dir, "ok.json", "{\"a\": 1}\n\n", 10);
    cJSON *doc = jsonio_read_file(ok, &err);
    cr_expect_not_null(doc, "%s", err.msg);
    cJSON_Delete(doc);

    static const char *const bad[] = {"{\"a\": 1} junk", "{\"a\": 1}\n{\"b\": 2}\n", "{\"a\": ", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *path = tu_write(dir, "bad.json", bad[i], strlen(bad[i]));
        err.msg[0] = '\0';
        doc = jsonio_read_file(path, &err);
        cr_expect_null(doc, "accepted '%s'", bad[i]);
        cr_expect(strstr(err.msg, path), "the error names the file: %s", err.msg);
        cJSON_Delete(doc);
        free(path);
    }
    /* the line of the problem */
    char *path = tu_write(dir, "line.json", "{\"a\": 1}\n{\"b\": 2}\n", 18);
    cr_expect_null(jsonio_read_file(path, &err));
    cr_expect(strstr(err.msg, "line 2"), "%s", err.msg);
    cr_expect_null(jsonio_read_file("/nonexistent/file.json", &err));
    cr_expect(strstr(err.msg, "/nonexistent/file.json"), "%s", err.msg);
}

Test(jsonio, write_file_then_read_it_back_exactly)
{
    char *dir = tu_tmpdir("jsonio-write");
    char *path;
    cr_assert_gt(asprintf(&path, "%s/doc.json", dir), 0);
    cJSON *doc = cJSON_CreateObject();
    jsonio_add_double(doc, "x", 0.30000000000000004);
    jsonio_add_double(doc, "nan", NAN);
    hr_error err;
    cr_assert_eq(jsonio_write_file(path, doc, &err), 0, "%s", err.msg);
    cJSON_Delete(doc);
    char *text = tu_read(path, NULL);
    cr_assert_not_null(text);
    cr_expect_eq(text[strlen(text) - 1], '\n', "ends with a newline");
    doc = jsonio_read_file(path, &err);
    cr_assert_not_null(doc, "%s", err.msg);
    double x, n;
    cr_assert_eq(jsonio_get_double(jsonio_get(doc, "x"), &x), 0);
    cr_assert_eq(jsonio_get_double(jsonio_get(doc, "nan"), &n), 0);
    cr_expect_eq(x, 0.30000000000000004);
    cr_expect(isnan(n));
    /* case-sensitive lookup (cJSON's default is not) */
    cr_expect_null(jsonio_get(doc, "X"));
    cJSON_Delete(doc);
    free(text);
}
