/*
 * kitgen — see kitgen.h.
 *
 * The test file is assembled from two memory streams (file-scope data, then
 * the tests) so the assignment's writer can declare an array in the middle of
 * writing a test. Numbers are written with Python's repr, the shortest text
 * that reads back to the same double, so the C compiler sees exactly the
 * pack's inputs and expected values. Only tests whose visibility is "visible"
 * are read from the pack at all; the rest are skipped before their inputs or
 * expected values are touched.
 */
#include "kitgen.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "compare.h"
#include "fsutil.h"
#include "jsonio.h"
#include "pyfloat.h"
#include "substitute.h"

/* Arrays written so far, by content, so that identical data is shared. */
typedef struct {
    char *name, *text;
} kitgen_array;

struct kitgen_out {
    FILE *data;
    kitgen_array *arrays;
    size_t narrays;
};

void kitgen_number(FILE *f, double v)
{
    if (isnan(v)) {
        fputs("NAN", f);
    } else if (isinf(v)) {
        fputs(v < 0 ? "-INFINITY" : "INFINITY", f);
    } else {
        char text[PYFLOAT_MAX];
        pyfloat_repr(v, text);
        fputs(text, f);
    }
}

/* A C string literal of s. */
static void write_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\%03o", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* The matrix's numbers as the body of an initializer, one row per line. */
static char *matrix_text(const double *data, size_t rows, size_t cols)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    for (size_t i = 0; i < rows; i++) {
        fputs("   ", f);
        for (size_t j = 0; j < cols; j++) {
            fputc(' ', f);
            kitgen_number(f, data[i * cols + j]);
            fputc(',', f);
        }
        fputc('\n', f);
    }
    fclose(f);
    return text;
}

const char *kitgen_matrix(kitgen_out *o, const char *hint, const cJSON *matrix, size_t *rows,
                          size_t *cols, hr_error *err)
{
    double *data;
    if (jsonio_get_matrix(matrix, false, &data, rows, cols, err) != 0)
        return NULL;
    char *text = matrix_text(data, *rows, *cols);
    free(data);
    if (!text) {
        hr_fail(err, "out of memory");
        return NULL;
    }
    size_t same_hint = 0, hint_len = strlen(hint);
    for (size_t i = 0; i < o->narrays; i++) {
        if (!strcmp(o->arrays[i].text, text)) {
            free(text);
            return o->arrays[i].name;
        }
        const char *n = o->arrays[i].name;
        same_hint += !strncmp(n, hint, hint_len) && n[hint_len] == '_';
    }
    kitgen_array *grown = realloc(o->arrays, (o->narrays + 1) * sizeof *grown);
    if (grown)
        o->arrays = grown;
    char *name = NULL;
    if (!grown || asprintf(&name, "%s_%zu", hint, same_hint + 1) < 0) {
        free(text);
        hr_fail(err, "out of memory");
        return NULL;
    }
    o->arrays[o->narrays++] = (kitgen_array){name, text};
    fprintf(o->data, "static double %s[%zu * %zu] = {\n%s};\n\n", name, *rows, *cols, text);
    return name;
}

/* A C identifier made of text (letters, digits, '_'). */
static void write_ident(FILE *f, const char *text)
{
    for (const char *p = text; *p; p++)
        fputc(isalnum((unsigned char)*p) ? *p : '_', f);
}

/* What the notebook prints, without its colour codes and final newline. */
static char *plain_text(const char *s)
{
    char *out = cmp_without_colours(s);
    size_t n = out ? strlen(out) : 0;
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = '\0';
    return out;
}

static const asg_kit_call *find_call(const asg_kit *kit, const char *function)
{
    for (size_t i = 0; i < kit->ncalls; i++)
        if (!strcmp(kit->calls[i].function, function))
            return &kit->calls[i];
    return NULL;
}

/* One member of a structure (or a leaf below it) compared in C. */
static int write_leaf(kitgen_out *o, FILE *f, const asg_kit_call *call, const char *path,
                      const cJSON *exp, hr_error *err)
{
    char expr[256], hint[128];
    bool is_number = false;
    if (call->member(path, expr, sizeof expr, &is_number) != 0)
        return hr_fail(err, "the kit has no C expression for member '%s' of %s", path, call->function);
    const char *name = *path ? path : "return value";
    double v;
    if (is_number || jsonio_get_double(exp, &v) == 0) {
        if (!is_number || jsonio_get_double(exp, &v) != 0)
            return hr_fail(err, "member '%s' is a number on one side only", path);
        fputs("    kit_tally_number(&tally, ", f);
        write_string(f, name);
        fprintf(f, ", %s, ", expr);
        kitgen_number(f, v);
        fputs(");\n", f);
        return 0;
    }
    snprintf(hint, sizeof hint, "expected_%s", *path ? path : "value");
    for (char *h = hint; *h; h++)
        if (!isalnum((unsigned char)*h))
            *h = '_';
    size_t rows, cols;
    const char *array = kitgen_matrix(o, hint, exp, &rows, &cols, err);
    if (!array)
        return hr_wrap(err, "expected member '%s'", path);
    fputs("    KIT_TALLY_MATRIX(&tally, ", f);
    write_string(f, name);
    fprintf(f, ", %s, %s, %zu, %zu);\n", expr, array, rows, cols);
    return 0;
}

/* Every member of exp under path, in the order compare_tree.c walks them. */
static int write_members(kitgen_out *o, FILE *f, const asg_kit_call *call, const char *path,
                         const cJSON *exp, hr_error *err)
{
    if (!cJSON_IsObject(exp))
        return write_leaf(o, f, call, path, exp, err);
    const cJSON *m;
    cJSON_ArrayForEach(m, exp) {
        char sub[256];
        snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", m->string);
        if (write_members(o, f, call, sub, m, err) != 0)
            return -1;
    }
    return 0;
}

/* A structured return value: a tally over its members, then one verdict. */
static int write_tree_check(kitgen_out *o, FILE *f, const asg_kit_call *call, const rubric_test *t,
                            const cJSON *expected, hr_error *err)
{
    if (!call->member)
        return hr_fail(err, "the kit writer of %s returns no structure", call->function);
    if (t->compare.kind == RUBRIC_VERDICT || t->compare.kind == RUBRIC_BLOCKS)
        return hr_fail(err, "a structure is compared with allclose, tolerance or exact");
    bool exact = t->compare.kind == RUBRIC_EXACT;
    fputs("    cmp_tally tally;\n    cmp_tally_init(&tally, ", f);
    kitgen_number(f, exact ? 0 : t->compare.rtol);
    fputs(", ", f);
    kitgen_number(f, exact ? 0 : t->compare.atol);
    fprintf(f, ", %s);\n", exact ? "true" : "false");
    int rc = 0;
    if (!t->compare.keys || !*t->compare.keys)
        rc = write_members(o, f, call, "", expected, err);
    for (char *const *k = t->compare.keys; rc == 0 && k && *k; k++) {
        const cJSON *e = expected;
        char buf[256];
        snprintf(buf, sizeof buf, "%s", *k);
        for (char *part = strtok(buf, "."); e && part; part = strtok(NULL, "."))
            e = jsonio_get(e, part);
        rc = e ? write_members(o, f, call, *k, e, err) : hr_fail(err, "no expected member '%s'", *k);
    }
    if (rc == 0)
        fputs("    kit_expect_tally(&tally);\n", f);
    return rc;
}

/* The comparison of a test, as a call of kit.h. */
static int write_check(kitgen_out *o, FILE *f, const asg_kit_call *call, const rubric *r,
                       const rubric_test *t, const pack_case *c, hr_error *err)
{
    double expected;
    const cJSON *value = jsonio_get(c->expected, "return");
    if (value && (cJSON_IsArray(value) || cJSON_IsObject(value)))
        return write_tree_check(o, f, call, t, value, err);
    if (jsonio_get_double(value, &expected) != 0)
        return hr_fail(err, "the pack has no expected value");
    switch (t->compare.kind) {
    case RUBRIC_EXACT:
        fputs("    kit_expect_exact(got, ", f);
        kitgen_number(f, expected);
        break;
    case RUBRIC_TOLERANCE:
    case RUBRIC_ALLCLOSE:
        fputs("    kit_expect_close(got, ", f);
        kitgen_number(f, expected);
        fputs(", ", f);
        kitgen_number(f, t->compare.rtol);
        fputs(", ", f);
        kitgen_number(f, t->compare.atol);
        break;
    case RUBRIC_BLOCKS:
        return hr_fail(err, "a blocks test has no place in the kit");
    case RUBRIC_VERDICT: {
        if (!r->has_verdict)
            return hr_fail(err, "a verdict test needs the rubric's verdict");
        fputs("    kit_expect_verdict(got, ", f);
        kitgen_number(f, expected);
        fprintf(f, ", %s,\n                       ", t->compare.check_message ? "KIT_OUTPUT_MESSAGE"
                                                  : t->compare.silent ? "KIT_OUTPUT_SILENT" : "KIT_OUTPUT_ANY");
        const char *out = cJSON_GetStringValue(jsonio_get(c->expected, "stdout"));
        char *plain = out && *out ? plain_text(out) : NULL;
        if (plain && *plain)
            write_string(f, plain);
        else
            fputs("NULL", f);
        free(plain);
        break;
    }
    }
    fputs(");\n", f);
    return 0;
}

static bool substitutable(const pack *p, const char *function)
{
    for (const char **f = p->substitutable; f && *f; f++)
        if (!strcmp(*f, function))
            return true;
    return false;
}

/* The test's substitutions, as calls of substitute_runner.h, before its call. */
static void write_calls(FILE *f, const rubric_test *t)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, t->calls) {
        const char *v = cJSON_GetStringValue(c);
        if (!v || !strcmp(v, SUBST_OWN))
            continue;
        fputs("    subst_choose(", f);
        write_string(f, c->string);
        fputs(", ", f);
        write_string(f, v);
        fputs(");\n", f);
    }
}

static int write_test(kitgen_out *o, FILE *tests, const pack *p, const asg_kit *kit, size_t e,
                      size_t t, size_t index, hr_error *err)
{
    const rubric_exercise *ex = &p->rubric.exercises[e];
    const rubric_test *test = &ex->tests[t];
    const pack_case *c = &p->cases[e][t];
    const asg_kit_call *call = find_call(kit, test->function);
    if (!call)
        return hr_fail(err, "the kit cannot call %s", test->function);
    int width = ex->ntests >= 100 ? 3 : ex->ntests >= 10 ? 2 : 1;
    fprintf(tests, "Test(ex%zu_", e + 1);
    write_ident(tests, ex->id);
    fprintf(tests, ", test_%0*zu, .description = ", width, t + 1);
    write_string(tests, c->id);
    fprintf(tests, ", .timeout = %g)\n{\n", test->limits.time_s);
    if (substitutable(p, test->function))
        fprintf(tests, "    KIT_REQUIRE_OWN(" SUBST_OWN_PREFIX "%s, \"%s\");\n", test->function, test->function);
    else
        fprintf(tests, "    KIT_REQUIRE(%s);\n", test->function);
    fprintf(tests, "    kit_start(&KIT_TESTS[%zu]);\n", index);
    write_calls(tests, test);
    if (call->write_call(o, tests, c->inputs, err) != 0 || write_check(o, tests, call, &p->rubric, test, c, err) != 0)
        return -1;
    fputs("}\n\n", tests);
    return 0;
}

static void write_header(FILE *f, const pack *p, const asg_kit *kit)
{
    fprintf(f,
            "/*\n"
            " * public_tests.c — the public tests of %s, as the grader runs them.\n"
            " *\n"
            " * Written by `make student-kit` from the grader's own list of tests: the same\n"
            " * inputs, the same expected values (the instructor's solution's), compared\n"
            " * by the same rules (compare.c). Each test calls one of your functions once.\n"
            " * The grader also runs hidden tests, which are not here. Do not edit this\n"
            " * file: run `make test`.\n"
            " */\n"
            "#include <criterion/criterion.h>\n"
            "#include <math.h>\n"
            "#include <stdbool.h>\n"
            "#include <stddef.h>\n\n"
            "#include \"%s\"\n"
            "#include \"kit.h\"\n"
            "#include \"substitute_runner.h\"\n\n"
            "/* A function your file does not define fails its own tests, not all of them. */\n",
            p->rubric.title ? p->rubric.title : p->rubric.assignment, kit->header);
    for (char **g = p->graded; g && *g; g++)
        fprintf(f, "#pragma weak %s\n", *g);
    if (p->substitutable && p->substitutable[0])
        fputs("\n/* Your own definitions of the functions some tests substitute (tests/substitute.sh).\n"
              " * A test that calls subst_choose runs your function with the course's (or a\n"
              " * seeded wrong) implementation of the one named: tests/gradient_check_substitutes.c. */\n", f);
    for (const char **s = p->substitutable; s && *s; s++)
        fprintf(f, "extern void " SUBST_OWN_PREFIX "%s(void) __attribute__((weak));\n", *s);
    fputs("\nconst cmp_verdict_rule KIT_VERDICT = {", f);
    if (p->rubric.has_verdict) {
        kitgen_number(f, p->rubric.verdict.threshold);
        fputs(",\n    ", f);
        write_string(f, p->rubric.verdict.above);
        fputs(",\n    ", f);
        write_string(f, p->rubric.verdict.below);
    } else {
        fputs("0, \"\", \"\"", f);
    }
    fputs("};\n\nconst double KIT_TOTAL_POINTS = ", f);
    kitgen_number(f, p->rubric.total);
    fputs(";\n\n", f);
}

/* A test the kit carries: visible, and of a kind a number comparison can
 * express. "blocks" tests (the optional backward_propagation_n) are left to
 * the student's own gradient check, as the notebook has it. */
static bool in_kit(const rubric_test *t)
{
    return t->visibility == RUBRIC_VISIBLE && t->compare.kind != RUBRIC_BLOCKS;
}

/* The catalogue's mistakes of each test the kit carries, as the grader knows
 * them (the value each returns there, its hint): the kit names a mistake
 * when a failing test returned its value. */
/* The catalogue's symptoms of the test's function, as kit_mistake entries:
 * a degenerate value names no mistake, in the kit as in the grader. */
static void write_symptoms(FILE *f, const pack *p, const rubric_test *test)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, p->symptoms) {
        double v;
        bool mine = false;
        const cJSON *fn;
        cJSON_ArrayForEach(fn, jsonio_get(s, "functions"))
            mine = mine || (cJSON_IsString(fn) && !strcmp(fn->valuestring, test->function));
        const char *hint = cJSON_GetStringValue(jsonio_get(s, "hint"));
        if (!mine || !hint || jsonio_get_double(jsonio_get(s, "value"), &v) != 0)
            continue;
        fputs("    {", f);
        write_string(f, hint);
        fputs(", ", f);
        kitgen_number(f, v);
        fputs(", true},\n", f);
    }
}

static void write_mistakes(FILE *f, const pack *p)
{
    size_t n = 0;
    for (size_t e = 0; e < p->rubric.nexercises; e++)
        for (size_t t = 0; t < p->rubric.exercises[e].ntests; t++, n++) {
            const cJSON *m, *list = p->cases[e][t].mistakes;
            if (!in_kit(&p->rubric.exercises[e].tests[t]) || cJSON_GetArraySize(list) == 0)
                continue;
            fprintf(f, "static const kit_mistake KIT_MISTAKES_%zu[] = {\n", n);
            write_symptoms(f, p, &p->rubric.exercises[e].tests[t]);
            cJSON_ArrayForEach(m, list) {
                double v;
                const char *hint = cJSON_GetStringValue(jsonio_get(m, "hint"));
                if (!hint || jsonio_get_double(jsonio_get(m, "return"), &v) != 0)
                    continue;
                fputs("    {", f);
                write_string(f, hint);
                fputs(", ", f);
                kitgen_number(f, v);
                fputs("},\n", f);
            }
            fputs("    {NULL, 0, false}};\n", f);
        }
    fputc('\n', f);
}

static void write_table(FILE *f, const pack *p)
{
    write_mistakes(f, p);
    fputs("const kit_test KIT_TESTS[] = {\n", f);
    size_t n = 0, k = 0;
    for (size_t e = 0; e < p->rubric.nexercises; e++)
        for (size_t t = 0; t < p->rubric.exercises[e].ntests; t++, k++) {
            const rubric_test *test = &p->rubric.exercises[e].tests[t];
            if (!in_kit(test))
                continue;
            fputs("    {", f);
            write_string(f, p->cases[e][t].id);
            fputs(", ", f);
            write_string(f, test->name);
            fprintf(f, ", %g, %ld, ", test->points, test->limits.output_kb);
            char words[1024] = "";
            const cJSON *c;
            cJSON_ArrayForEach(c, test->calls) {
                const char *v = cJSON_GetStringValue(c);
                if (!v || !strcmp(v, SUBST_OWN))
                    continue;
                if (!strcmp(v, "reference"))
                    snprintf(words + strlen(words), sizeof words - strlen(words), "%sthe course's %s",
                             words[0] ? " and " : "", c->string);
                else
                    snprintf(words + strlen(words), sizeof words - strlen(words), "%sa seeded %s (%s, in "
                             "tests/*_substitutes.c)", words[0] ? " and " : "", c->string, v);
            }
            if (words[0])
                write_string(f, words);
            else
                fputs("NULL", f);
            const cJSON *h = p->cases[e][t].as_handed_out;
            double v;
            if (h && jsonio_get_double(jsonio_get(h, "return"), &v) == 0) {
                fputs(", true, ", f);
                kitgen_number(f, v);
                fputs(", ", f);
                const char *out = cJSON_GetStringValue(jsonio_get(h, "stdout"));
                write_string(f, out ? out : "");
            }
            if (cJSON_GetArraySize(p->cases[e][t].mistakes) > 0)
                fprintf(f, ", .mistakes = KIT_MISTAKES_%zu", k);
            fputs("},\n", f);
            n++;
        }
    fprintf(f, "};\nconst size_t KIT_NTESTS = %zu;\n\n", n);
}

/* The test file: header, table, data, tests. */
static int tests_text(const pack *p, const asg_kit *kit, char **text, size_t *len, hr_error *err)
{
    char *data = NULL, *body = NULL;
    size_t data_len = 0, body_len = 0;
    kitgen_out o = {open_memstream(&data, &data_len), NULL, 0};
    FILE *tests = open_memstream(&body, &body_len), *all = open_memstream(text, len);
    int rc = o.data && tests && all ? 0 : hr_fail(err, "out of memory");
    size_t index = 0;
    for (size_t e = 0; rc == 0 && e < p->rubric.nexercises; e++)
        for (size_t t = 0; rc == 0 && t < p->rubric.exercises[e].ntests; t++) {
            if (!in_kit(&p->rubric.exercises[e].tests[t]))
                continue;
            rc = write_test(&o, tests, p, kit, e, t, index++, err);
            if (rc != 0)
                hr_wrap(err, "test %s", p->cases[e][t].id);
        }
    if (o.data)
        fclose(o.data);
    if (tests)
        fclose(tests);
    if (rc == 0) {
        write_header(all, p, kit);
        write_table(all, p);
        if (data_len)
            fputs("/* The tests' data; tests on the same data share its array. */\n\n", all);
        fwrite(data, 1, data_len, all);
        fwrite(body, 1, body_len, all);
    }
    if (all)
        fclose(all);
    for (size_t i = 0; i < o.narrays; i++) {
        free(o.arrays[i].name);
        free(o.arrays[i].text);
    }
    free(o.arrays);
    free(data);
    free(body);
    if (index == 0 && rc == 0)
        rc = hr_fail(err, "the rubric has no visible test: a kit would have nothing to run");
    return rc;
}

static void write_list(FILE *f, const char *var, const char *op, const char *const *list)
{
    fprintf(f, "%s %s", var, op);
    size_t col = strlen(var) + strlen(op) + 1;
    for (; list && *list; list++) {
        if (col + strlen(*list) > 90) {
            fputs(" \\\n   ", f);
            col = 3;
        }
        fprintf(f, " %s", *list);
        col += strlen(*list) + 1;
    }
    fputc('\n', f);
}

static int make_text(const pack *p, const char *provided_cflags, char **text, size_t *len, hr_error *err)
{
    FILE *f = open_memstream(text, len);
    if (!f)
        return hr_fail(err, "out of memory");
    fprintf(f, "# grader.mk — the grader's settings, written by `make student-kit`: do not edit.\n\n"
               "# The file you hand in.\nSOURCE := %s\n\n"
               "# How the grader compiles it.\n", p->rubric.source);
    write_list(f, "STUDENT_CFLAGS", ":=", BUILD_CFLAGS);
    fprintf(f, "\n# How the grader compiled the provided code.\nPROVIDED_CFLAGS := %s\n\n"
               "# The functions the grader calls (your file defines them).\n", provided_cflags);
    write_list(f, "GRADED", ":=", (const char *const *)p->graded);
    fputs("\n# What else your file may call: these functions of the C library and of gc_utils.h.\n", f);
    write_list(f, "ALLOWED", ":=", BUILD_LIBC_ALLOWED);
    write_list(f, "ALLOWED", "+=", (const char *const *)p->rubric.provided);
    fputs("\n# The functions some tests substitute with the course's (tests/substitute.sh).\n", f);
    write_list(f, "SUBSTITUTABLE", ":=", p->substitutable);
    fprintf(f, "\n# The memory a test may use, in MB: your file's code and static data must fit in it.\n"
               "MEMORY_MB := %ld\n", rubric_smallest_memory_mb(&p->rubric));
    return fclose(f) == 0 ? 0 : hr_fail(err, "out of memory");
}

int kitgen_write(const pack *p, const asg_kit *kit, const kitgen_files *files, hr_error *err)
{
    char *tests = NULL, *make = NULL;
    size_t tests_len = 0, make_len = 0;
    int rc = tests_text(p, kit, &tests, &tests_len, err);
    if (rc == 0)
        rc = make_text(p, files->provided_cflags, &make, &make_len, err);
    if (rc == 0)
        rc = fs_write_atomic(files->tests_path, tests, tests_len, err);
    if (rc == 0)
        rc = fs_write_atomic(files->make_path, make, make_len, err);
    free(tests);
    free(make);
    return rc;
}
