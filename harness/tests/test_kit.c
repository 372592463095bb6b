/*
 * The student kit (issue "Platforms, students and whole classes", Students):
 * the tarball `make student-kit` built, unpacked in a temporary folder and
 * used as a student would (`make test`), checked for secrets against the
 * pack, and held to the grader's verdicts: the kit's comparisons are linked
 * in here and fed the same cases as score.c, and whole submissions are run
 * through both the kit and the grader.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <ftw.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetext.h"
#include "compare.h"
#include "fsutil.h"
#include "jsonio.h"
#include "pack.h"
#include "pyfloat.h"
#include "score.h"
#include "testutil.h"

#ifndef TU_KIT
#define TU_KIT "dist/gradient_check-kit.tar.gz"
#endif

static void load_pack(pack *p)
{
    hr_error err;
    cr_assert_eq(pack_load(TU_ASSIGNMENT "/pack.json", p, &err), 0, "%s", err.msg);
}

/* Unpacks the kit in a new temporary folder; returns the kit's own folder. */
static char *unpack_kit(const char *label, const pack *p)
{
    char *archive = realpath(TU_KIT, NULL), *dir = tu_tmpdir(label), *kit;
    cr_assert_not_null(archive, "%s is missing: run make student-kit (make test builds it)", TU_KIT);
    const char *argv[] = {"/bin/tar", "-xzf", archive, "-C", dir, NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "tar: %s", r.err);
    tu_result_free(&r);
    cr_assert_gt(asprintf(&kit, "%s/%s", dir, p->rubric.assignment), 0);
    cr_assert(fs_is_dir(kit), "the kit does not unpack into %s/", p->rubric.assignment);
    free(archive);
    free(dir);
    return kit;
}

/* Removes the temporary folder holding kit. */
static void remove_kit(char *kit)
{
    *strrchr(kit, '/') = '\0';
    fs_remove_tree(kit, NULL);
    free(kit);
}

/* `make test` in the kit as a student runs it: not as part of this make,
 * and not as a worker of this Criterion (BXFI_MAP would make the kit's
 * Criterion believe it is one). */
static tu_result kit_make_test(const char *kit, const char *tap)
{
    char flags[4200] = "CRITERION_FLAGS=";
    if (tap)
        snprintf(flags, sizeof flags, "CRITERION_FLAGS=--tap=%s", tap);
    const char *argv[] = {"/usr/bin/env", "-u", "MAKEFLAGS", "-u", "MAKELEVEL", "-u", "MFLAGS",
                          "-u", "BXFI_MAP", "/usr/bin/make", "--no-print-directory", "-C", kit, "test", flags, NULL};
    return tu_run(argv);
}

static void put_source(const char *kit, const char *text)
{
    free(tu_write(kit, "gradient_check.c", text, strlen(text)));
}

/* The kit carries the visible tests a number comparison can express; the
 * optional backward_propagation_n ("blocks") is left to the student's own check. */
static bool in_kit(const rubric_test *t)
{
    return t->visibility == RUBRIC_VISIBLE && t->compare.kind != RUBRIC_BLOCKS;
}

static size_t visible_tests(const pack *p)
{
    size_t n = 0;
    for (size_t e = 0; e < p->rubric.nexercises; e++)
        for (size_t t = 0; t < p->rubric.exercises[e].ntests; t++)
            n += in_kit(&p->rubric.exercises[e].tests[t]);
    return n;
}

static double expected_return(const pack_case *c)
{
    double v;
    cr_assert_eq(jsonio_get_double(jsonio_get(c->expected, "return"), &v), 0, "%s", c->id);
    return v;
}

/* ---- using the kit ----------------------------------------------------------- */

Test(kit, reference_passes_every_public_test)
{
    pack p;
    load_pack(&p);
    char *kit = unpack_kit("kit-reference", &p);
    char *ref = tu_read("reference/gradient_check/gradient_check.c", NULL);
    put_source(kit, ref);
    tu_result r = kit_make_test(kit, NULL);
    cr_expect_eq(r.status, 0, "make test failed on the reference:\n%s\n%s", r.out, r.err);
    size_t n = visible_tests(&p);
    char want[256];
    snprintf(want, sizeof want, "Tested: %zu | Passing: %zu | Failing: 0 | Crashing: 0", n, n);
    cr_expect(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    snprintf(want, sizeof want, "Public tests: %zu of %zu passed", n, n);
    cr_expect(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    tu_result_free(&r);
    free(ref);
    remove_kit(kit);
    pack_free(&p);
}

/* The failure of test id in the kit's output: from its id to the next test. */
static char *failure_of(const char *output, const char *id)
{
    char key[256];
    snprintf(key, sizeof key, "%s \"", id);
    const char *at = strstr(output, key);
    if (!at)
        return NULL;
    const char *end = strstr(at, "[FAIL]");
    return strndup(at, end ? (size_t)(end - at) : strlen(at));
}

Test(kit, untouched_template_fails_with_the_notebook_messages)
{
    pack p;
    load_pack(&p);
    char *kit = unpack_kit("kit-template", &p);
    tu_result r = kit_make_test(kit, NULL);
    cr_expect_neq(r.status, 0, "make test passed on the template");
    char want[512];
    snprintf(want, sizeof want, "Passing: 0 | Failing: %zu", visible_tests(&p));
    cr_expect(strstr(r.err, want) != NULL, "no \"%s\" in:\n%s", want, r.err);
    /* every public test fails with its id, name, and what the grader would say */
    for (size_t e = 0; e < p.rubric.nexercises; e++)
        for (size_t t = 0; t < p.rubric.exercises[e].ntests; t++) {
            const rubric_test *test = &p.rubric.exercises[e].tests[t];
            const pack_case *c = &p.cases[e][t];
            if (!in_kit(test))
                continue;
            char *f = failure_of(r.err, c->id);
            cr_assert_not_null(f, "no failure of %s in:\n%s", c->id, r.err);
            cr_expect(strstr(f, test->name) != NULL, "%s: its name is not shown:\n%s", c->id, f);
            char e_text[PYFLOAT_MAX];
            pyfloat_repr(expected_return(c), e_text);
            if (test->compare.kind == RUBRIC_EXACT)
                snprintf(want, sizeof want, "expected %s, got 0.0", e_text);
            else if (test->compare.kind == RUBRIC_TOLERANCE)
                snprintf(want, sizeof want, "expected %s (rtol", e_text);
            else if (expected_return(c) > p.rubric.verdict.threshold)
                /* the returned 0 says "no mistake": the notebook's message says there is one */
                snprintf(want, sizeof want, "%s%s", p.rubric.verdict.above, e_text);
            else
                /* the verdict is right by chance: the template's own 0.0 passes no test */
                snprintf(want, sizeof want, "printed what the template does as handed out");
            cr_expect(strstr(f, want) != NULL, "%s: no \"%s\" in:\n%s", c->id, want, f);
            free(f);
        }
    cr_expect(strstr(r.err, "Your backward propagation works perfectly fine! difference = ") != NULL);
    cr_expect(strstr(r.err, "There is a mistake in the backward propagation! difference = ") != NULL);
    tu_result_free(&r);
    remove_kit(kit);
    pack_free(&p);
}

/* ---- no secrets ---------------------------------------------------------------- */

/* The files of a folder (nftw has no user pointer, hence the static list). */
static char **walked;
static size_t nwalked;

static int walk_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (type == FTW_F || type == FTW_SL) {
        walked = realloc(walked, (nwalked + 2) * sizeof *walked);
        walked[nwalked++] = strdup(path);
        walked[nwalked] = NULL;
    }
    return 0;
}

static char **files_of(const char *dir)
{
    walked = NULL;
    nwalked = 0;
    cr_assert_eq(nftw(dir, walk_one, 16, FTW_PHYS), 0);
    cr_assert_gt(nwalked, 0, "%s is empty", dir);
    return walked;
}

static void free_list(char **l)
{
    for (char **p = l; p && *p; p++)
        free(*p);
    free(l);
}

typedef struct {
    double *v;
    size_t n;
    const char **from;    /* the test each secret comes from (NULL for public values) */
} numbers;

static void add_number(numbers *ns, double v, const char *from)
{
    ns->v = realloc(ns->v, (ns->n + 1) * sizeof *ns->v);
    ns->from = realloc(ns->from, (ns->n + 1) * sizeof *ns->from);
    ns->v[ns->n] = fabs(v);
    ns->from[ns->n++] = from;
}

/* Every number in a text, as magnitudes: a run of digits that is not part
 * of a name (W1_1, x4), read with strtod, so "1e-05" and "1.0e-5" are one. */
static void text_numbers(const char *text, numbers *out, const char *from)
{
    for (const char *s = text; *s;) {
        bool starts = (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1]))) &&
                      (s == text || !(isalnum((unsigned char)s[-1]) || s[-1] == '_' || s[-1] == '.'));
        if (!starts) {
            s++;
            continue;
        }
        char *end;
        double v = strtod(s, &end);
        if (end == s)
            end = (char *)s + 1;
        else
            add_number(out, v, from);
        s = end;
    }
}

static void json_numbers(const cJSON *item, numbers *out, const char *from)
{
    double v;
    if (cJSON_IsArray(item) || cJSON_IsObject(item)) {
        for (const cJSON *c = item->child; c; c = c->next)
            json_numbers(c, out, from);
    } else if (jsonio_get_double(item, &v) == 0) {
        add_number(out, v, from);
    } else if (cJSON_IsString(item)) {
        text_numbers(item->valuestring, out, from);
    }
}

static void json_strings(const cJSON *item, char ***out, size_t *n)
{
    if (cJSON_IsArray(item) || cJSON_IsObject(item)) {
        for (const cJSON *c = item->child; c; c = c->next)
            json_strings(c, out, n);
    } else if (cJSON_IsString(item)) {
        *out = realloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = item->valuestring;
    }
}

static bool has_number(const numbers *ns, double v)
{
    for (size_t i = 0; i < ns->n; i++)
        if (ns->v[i] == fabs(v))
            return true;
    return false;
}

/* What the kit must not hold: the hidden tests' names, the words of their
 * specs, the numbers of their inputs and expected values (minus those a
 * visible test makes public anyway), and every line of the reference code
 * that is not also in a public file. */
typedef struct {
    numbers hidden;           /* magnitudes, with the test each comes from */
    char **names, **words, **code;
    size_t nnames, nwords, ncode;
} secrets;

static void case_numbers(const rubric_test *t, const pack_case *c, numbers *out, const char *from)
{
    json_numbers(c->inputs, out, from);
    json_numbers(c->expected, out, from);
    if (t->compare.kind == RUBRIC_TOLERANCE) {
        add_number(out, t->compare.rtol, from);
        add_number(out, t->compare.atol, from);
    }
}

static bool in_strings(char **list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i], s))
            return true;
    return false;
}

/* A line of code without its comment and its outer blanks (a new string). */
static char *trim(const char *line, size_t len)
{
    while (len && (*line == ' ' || *line == '\t'))
        line++, len--;
    for (size_t i = 0; i + 1 < len; i++)
        if (i > 0 && line[i] == '/' && (line[i + 1] == '*' || line[i + 1] == '/'))
            len = i;
    while (len && strchr(" \t\r", line[len - 1]))
        len--;
    return strndup(line, len);
}

static void lines_of(const char *path, char ***out, size_t *n)
{
    char *text = tu_read(path, NULL);
    cr_assert_not_null(text, "cannot read %s", path);
    for (char *line = text; *line;) {
        char *end = strchrnul(line, '\n');
        *out = realloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = trim(line, (size_t)(end - line));
        line = *end ? end + 1 : end;
    }
    free(text);
}

static void glob_lines(const char *pattern, char ***out, size_t *n)
{
    glob_t g;
    cr_assert_eq(glob(pattern, 0, NULL, &g), 0, "nothing matches %s", pattern);
    for (size_t i = 0; i < g.gl_pathc; i++)
        lines_of(g.gl_pathv[i], out, n);
    globfree(&g);
}

/* The reference's code lines that say something the public files do not. */
static void reference_code(secrets *s)
{
    char **pub = NULL, **ref = NULL;
    size_t npub = 0, nref = 0;
    /* public: what students get, and the generic harness (its lines say
     * nothing about the solution) */
    glob_lines("student_template/gradient_check/*", &pub, &npub);
    glob_lines("harness/*/*.[ch]", &pub, &npub);
    glob_lines("kit/*", &pub, &npub);
    glob_lines("kit/tests/*", &pub, &npub);
    glob_lines("reference/gradient_check/*.[ch]", &ref, &nref);
    for (size_t i = 0; i < nref; i++) {
        const char *l = ref[i];
        if (strlen(l) < 12 || !strncmp(l, "/*", 2) || !strncmp(l, "*", 1) || !strncmp(l, "//", 2) ||
            !strncmp(l, "#include", 8) || in_strings(pub, npub, l) || in_strings(s->code, s->ncode, l))
            continue;
        s->code = realloc(s->code, (s->ncode + 1) * sizeof *s->code);
        s->code[s->ncode++] = strdup(l);
    }
    for (size_t i = 0; i < npub; i++)
        free(pub[i]);
    for (size_t i = 0; i < nref; i++)
        free(ref[i]);
    free(pub);
    free(ref);
}

static void collect_secrets(const pack *p, secrets *s, numbers *public_numbers)
{
    memset(s, 0, sizeof *s);
    char **public_words = NULL;
    size_t npublic_words = 0;
    add_number(public_numbers, p->rubric.verdict.threshold, NULL);
    for (size_t e = 0; e < p->rubric.nexercises; e++)
        for (size_t t = 0; t < p->rubric.exercises[e].ntests; t++) {
            const rubric_test *test = &p->rubric.exercises[e].tests[t];
            if (test->visibility == RUBRIC_VISIBLE) {
                case_numbers(test, &p->cases[e][t], public_numbers, NULL);
                json_strings(test->inputs, &public_words, &npublic_words);
            }
        }
    for (size_t e = 0; e < p->rubric.nexercises; e++)
        for (size_t t = 0; t < p->rubric.exercises[e].ntests; t++) {
            const rubric_test *test = &p->rubric.exercises[e].tests[t];
            if (test->visibility == RUBRIC_VISIBLE)
                continue;
            s->names = realloc(s->names, (s->nnames + 1) * sizeof *s->names);
            s->names[s->nnames++] = test->name;
            char **words = NULL;
            size_t nwords = 0;
            json_strings(test->inputs, &words, &nwords);
            for (size_t i = 0; i < nwords; i++)
                if (!in_strings(public_words, npublic_words, words[i])) {
                    s->words = realloc(s->words, (s->nwords + 1) * sizeof *s->words);
                    s->words[s->nwords++] = words[i];
                }
            free(words);
            numbers found = {0};
            json_numbers(p->cases[e][t].inputs, &found, NULL);
            json_numbers(p->cases[e][t].expected, &found, NULL);
            for (size_t i = 0; i < found.n; i++) {
                double v = found.v[i];
                /* whole numbers below 1000 (shapes, labels, 0 gradients) are
                 * everywhere in code and say nothing about a test */
                if ((v == floor(v) && v < 1000) || has_number(public_numbers, v))
                    continue;
                add_number(&s->hidden, v, p->cases[e][t].id);
            }
            free(found.v);
            free(found.from);
        }
    free(public_words);
    reference_code(s);
}

/* Everything secret found in the files of dir, one line each, and how many. */
static size_t find_secrets(const char *dir, const secrets *s, char **report)
{
    size_t leaks = 0, len = 0;
    FILE *f = open_memstream(report, &len);
    char **files = files_of(dir);
    for (char **path = files; *path; path++) {
        size_t n;
        char *text = tu_read(*path, &n);
        cr_assert_not_null(text, "cannot read %s", *path);
        if (n >= 4 && !memcmp(text, "\177ELF", 4))
            leaks += fprintf(f, "%s: a compiled file\n", *path) > 0;
        else if (memchr(text, '\0', n))
            leaks += fprintf(f, "%s: a binary file\n", *path) > 0;
        for (size_t i = 0; i < s->nnames; i++)
            if (strcasestr(text, s->names[i]))
                leaks += fprintf(f, "%s: the hidden test name \"%s\"\n", *path, s->names[i]) > 0;
        for (size_t i = 0; i < s->nwords; i++)
            if (strstr(text, s->words[i]))
                leaks += fprintf(f, "%s: \"%s\", from a hidden test's inputs\n", *path, s->words[i]) > 0;
        for (size_t i = 0; i < s->ncode; i++)
            if (strstr(text, s->code[i]))
                leaks += fprintf(f, "%s: the reference's line \"%s\"\n", *path, s->code[i]) > 0;
        numbers in_file = {0};
        text_numbers(text, &in_file, NULL);
        for (size_t i = 0; i < s->hidden.n; i++)
            if (has_number(&in_file, s->hidden.v[i])) {
                char v[PYFLOAT_MAX];
                pyfloat_repr(s->hidden.v[i], v);
                leaks += fprintf(f, "%s: %s, a value of the hidden test %s\n", *path, v, s->hidden.from[i]) > 0;
            }
        free(in_file.v);
        free(in_file.from);
        free(text);
    }
    free_list(files);
    fclose(f);
    return leaks;
}

Test(kit, holds_no_reference_and_no_hidden_test)
{
    pack p;
    load_pack(&p);
    secrets s;
    numbers public_numbers = {0};
    collect_secrets(&p, &s, &public_numbers);
    /* the check has something to find: names, many values, the reference's code */
    cr_assert_geq(s.nnames, 5, "only %zu hidden tests", s.nnames);
    cr_assert_geq(s.hidden.n, 100, "only %zu hidden values to look for", s.hidden.n);
    cr_assert_geq(s.ncode, 30, "only %zu distinctive lines of the reference", s.ncode);

    char *kit = unpack_kit("kit-secrets", &p), *report = NULL;
    size_t leaks = find_secrets(kit, &s, &report);
    cr_expect_eq(leaks, 0, "the kit gives away:\n%s", report);
    free(report);

    /* the search finds what is public (so it reads the kit's numbers), and
     * finds each kind of secret once it is planted */
    char *tests_path;
    cr_assert_gt(asprintf(&tests_path, "%s/tests/public_tests.c", kit), 0);
    char *tests = tu_read(tests_path, NULL);
    cr_assert_not_null(tests, "the kit has no tests/public_tests.c");
    numbers in_tests = {0};
    text_numbers(tests, &in_tests, NULL);
    for (size_t e = 0; e < p.rubric.nexercises; e++)
        for (size_t t = 0; t < p.rubric.exercises[e].ntests; t++)
            if (in_kit(&p.rubric.exercises[e].tests[t])) {
                cr_expect(has_number(&in_tests, expected_return(&p.cases[e][t])),
                          "the expected value of %s is not in the kit", p.cases[e][t].id);
                cr_expect(strstr(tests, p.rubric.exercises[e].tests[t].name) != NULL,
                          "the visible test %s is not in the kit", p.cases[e][t].id);
            }
    char *ref = tu_read("reference/gradient_check/gradient_check.c", NULL), planted[512];
    char v[PYFLOAT_MAX];
    pyfloat_repr(s.hidden.v[s.hidden.n - 1], v);
    snprintf(planted, sizeof planted, "/* %s */\nstatic const double x = %s;\n", s.names[0], v);
    free(tu_write(kit, "leak.c", planted, strlen(planted)));
    free(tu_write(kit, "solution.c", ref, strlen(ref)));
    leaks = find_secrets(kit, &s, &report);
    cr_expect(strstr(report, "leak.c: the hidden test name") != NULL, "%s", report);
    cr_expect(strstr(report, "leak.c: ") && strstr(report, ", a value of the hidden test"), "%s", report);
    cr_expect(strstr(report, "solution.c: the reference's line") != NULL, "%s", report);
    free(report);
    free(ref);
    free(tests);
    free(tests_path);
    free(in_tests.v);
    free(in_tests.from);
    for (size_t i = 0; i < s.ncode; i++)
        free(s.code[i]);
    free(s.code);
    free(s.names);
    free(s.words);
    free(s.hidden.v);
    free(s.hidden.from);
    free(public_numbers.v);
    free(public_numbers.from);
    remove_kit(kit);
    pack_free(&p);
}

/* ---- the kit says what the grader says ----------------------------------------- */

typedef struct {
    rubric_compare_kind kind;
    double got, expected, rtol, atol;
    bool check_message;
    const char *printed;
    bool passes;
} compare_case;

/* The same case through score.c (the grader) and compare.c (the kit ships
 * it): the verdict expected, and the words the student sees. */
static void same_verdict(const rubric *r, const compare_case *k, size_t index)
{
    rubric_test t = {.name = "case", .function = "f", .points = 1, .visibility = RUBRIC_VISIBLE};
    t.compare = (rubric_compare){.kind = k->kind, .rtol = k->rtol, .atol = k->atol,
                                 .check_message = k->check_message};
    cJSON *expected = cJSON_CreateObject();
    jsonio_add_double(expected, "return", k->expected);
    pack_case c = {.id = "f/1", .expected = expected};
    /* as observe.c makes it: the raw capture for comparisons, safe text to show */
    char *shown = k->printed ? safetext_make(k->printed) : NULL;
    observation obs = {.kind = OBS_RETURNED, .ret = jsonio_double(k->got), .out = shown,
                       .out_raw = (char *)k->printed};
    score_test st;
    score_observed(r, &t, &c, &obs, &st);

    char why[CMP_WHY_MAX] = "";
    cmp_verdict_rule rule = {r->verdict.threshold, r->verdict.above, r->verdict.below};
    bool ok = k->kind == RUBRIC_EXACT ? cmp_exact(k->got, k->expected, why, sizeof why)
              : k->kind == RUBRIC_TOLERANCE
                  ? cmp_close(k->got, k->expected, k->rtol, k->atol, why, sizeof why)
                  : cmp_verdict(k->got, k->expected, &rule, k->check_message ? k->printed : NULL, why,
                                sizeof why);
    cr_expect_eq(st.passed, k->passes, "case %zu: the grader says %s (%s)", index,
                 st.passed ? "passed" : "failed", st.message);
    cr_expect_eq(ok, st.passed, "case %zu: the kit says %s, the grader %s (%s)", index,
                 ok ? "passed" : "failed", st.passed ? "passed" : "failed", st.message);
    if (!st.passed)
        cr_expect_str_eq(why, st.message, "case %zu: the kit and the grader explain differently", index);
    score_test_free(&st);
    free(shown);
    cJSON_Delete(obs.ret);
    cJSON_Delete(expected);
}

Test(kit, comparisons_are_the_graders)
{
    pack p;
    load_pack(&p);
    const rubric *r = &p.rubric;
    cr_assert(r->has_verdict);
    const double d = 0.285093156780699, tol = 1e-5 * d + 1e-8;
    char good[256], plain[256], wrong_side[256], rounded[256], both[512], nan_msg[256];
    snprintf(good, sizeof good, "\033[93m%s%s\033[0m\n", r->verdict.above, "0.285093156780699");
    snprintf(plain, sizeof plain, "%s%s\n", r->verdict.above, "0.285093156780699");
    snprintf(wrong_side, sizeof wrong_side, "%s%s\n", r->verdict.below, "0.285093156780699");
    snprintf(rounded, sizeof rounded, "%s%.3g\n", r->verdict.above, d);
    char two_digits[256], off_by_one[256], tiny_f[256];
    snprintf(two_digits, sizeof two_digits, "%s%.2g\n", r->verdict.above, d);
    snprintf(off_by_one, sizeof off_by_one, "%s0.286\n", r->verdict.above);
    snprintf(tiny_f, sizeof tiny_f, "%s%f\n", r->verdict.below, 7.814075313343006e-11);
    snprintf(both, sizeof both, "%s%s", plain, wrong_side);
    snprintf(nan_msg, sizeof nan_msg, "%snan\n", r->verdict.below);
    const compare_case cases[] = {
        {RUBRIC_EXACT, 8.0, 8.0, 0, 0, false, "", true},
        {RUBRIC_EXACT, 8.000000000000002, 8.0, 0, 0, false, "", false},
        {RUBRIC_EXACT, -0.0, 0.0, 0, 0, false, "", true},
        {RUBRIC_EXACT, NAN, NAN, 0, 0, false, "", false},
        {RUBRIC_EXACT, INFINITY, INFINITY, 0, 0, false, "", true},
        {RUBRIC_EXACT, -INFINITY, INFINITY, 0, 0, false, "", false},
        {RUBRIC_TOLERANCE, d, d, 1e-5, 1e-8, false, "", true},
        {RUBRIC_TOLERANCE, 1.75, 1.0, 0.5, 0.25, false, "", true},    /* exactly on the bound */
        {RUBRIC_TOLERANCE, nextafter(1.75, 2), 1.0, 0.5, 0.25, false, "", false},
        /* the last double within the bound; d + tol itself rounds past it (as in numpy) */
        {RUBRIC_TOLERANCE, nextafter(d + tol, 0), d, 1e-5, 1e-8, false, "", true},
        {RUBRIC_TOLERANCE, d + tol, d, 1e-5, 1e-8, false, "", false},
        {RUBRIC_TOLERANCE, d - 2 * tol, d, 1e-5, 1e-8, false, "", false},
        {RUBRIC_TOLERANCE, 2.9193e-10, 2.919335883291695e-10, 1e-6, 0, false, "", false},
        {RUBRIC_TOLERANCE, 0.0, 2.919335883291695e-10, 1e-6, 0, false, "", false},
        {RUBRIC_TOLERANCE, NAN, d, 1e-5, 1e-8, false, "", false},
        {RUBRIC_TOLERANCE, INFINITY, INFINITY, 1e-5, 1e-8, false, "", true},
        {RUBRIC_TOLERANCE, -INFINITY, INFINITY, 1e-5, 1e-8, false, "", false},
        {RUBRIC_VERDICT, 0.5, d, 0, 0, false, "", true},
        {RUBRIC_VERDICT, 1e-9, d, 0, 0, false, "", false},
        {RUBRIC_VERDICT, 2e-7, 1e-10, 0, 0, false, "", true},
        {RUBRIC_VERDICT, nextafter(2e-7, 1), 1e-10, 0, 0, false, "", false},
        {RUBRIC_VERDICT, NAN, d, 0, 0, false, "", false},
        {RUBRIC_VERDICT, NAN, NAN, 0, 0, true, nan_msg, false},
        {RUBRIC_VERDICT, d, d, 0, 0, true, good, true},
        {RUBRIC_VERDICT, d, d, 0, 0, true, plain, true},
        {RUBRIC_VERDICT, d, d, 0, 0, true, wrong_side, false},
        {RUBRIC_VERDICT, d, d, 0, 0, true, rounded, true},     /* %.3g: 3 digits, all right */
        {RUBRIC_VERDICT, d, d, 0, 0, true, two_digits, false},
        {RUBRIC_VERDICT, d, d, 0, 0, true, off_by_one, false},
        {RUBRIC_VERDICT, 7.814075313343006e-11, 7.814075313343006e-11, 0, 0, true, tiny_f, false},
        {RUBRIC_VERDICT, -1e-10, 1e-10, 0, 0, false, "", false},  /* no difference is negative */
        {RUBRIC_VERDICT, d, d, 0, 0, true, both, false},
        {RUBRIC_VERDICT, d, d, 0, 0, true, "", false},
        {RUBRIC_VERDICT, d, d, 0, 0, true, "difference = 0.285093156780699\n", false},
        {RUBRIC_VERDICT, d, d, 0, 0, false, "", true},
        {RUBRIC_VERDICT, 0.0, d, 0, 0, true, plain, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        same_verdict(r, &cases[i], i);
    pack_free(&p);
}

/* The kit's comparisons are the grader's file itself, not a copy that could drift. */
Test(kit, ships_the_graders_comparisons)
{
    pack p;
    load_pack(&p);
    char *kit = unpack_kit("kit-compare", &p);
    const char *files[] = {"compare.h", "compare.c"};
    for (size_t i = 0; i < 2; i++) {
        char *shipped_path, *ours_path;
        cr_assert_gt(asprintf(&shipped_path, "%s/tests/%s", kit, files[i]), 0);
        cr_assert_gt(asprintf(&ours_path, "harness/score/%s", files[i]), 0);
        size_t shipped_len = 0, ours_len = 0;
        char *shipped = tu_read(shipped_path, &shipped_len), *ours = tu_read(ours_path, &ours_len);
        cr_assert_not_null(shipped, "the kit has no tests/%s", files[i]);
        cr_assert_not_null(ours, "no %s", ours_path);
        cr_expect(shipped_len == ours_len && !memcmp(shipped, ours, ours_len),
                  "the kit's tests/%s differs from the grader's %s", files[i], ours_path);
        free(shipped);
        free(ours);
        free(shipped_path);
        free(ours_path);
    }
    remove_kit(kit);
    pack_free(&p);
}

/* Did test t of exercise e pass in the kit's TAP report? Its line reads
 * "ok - exE_EXERCISE::test_T ..." (kitgen's names; a crash drops the rest). */
static bool tap_passed(const char *tap, const pack *p, size_t e, size_t t, char **block)
{
    char key[256];
    const rubric_exercise *ex = &p->rubric.exercises[e];
    int width = ex->ntests >= 100 ? 3 : ex->ntests >= 10 ? 2 : 1;
    snprintf(key, sizeof key, " ex%zu_%s::test_%0*zu ", e + 1, ex->id, width, t + 1);
    const char *at = strstr(tap, key);
    cr_assert_not_null(at, "%s is not in the kit's report:\n%s", key, tap);
    const char *line = at;
    while (line > tap && line[-1] != '\n')
        line--;
    const char *end = strstr(at, "\nok ");
    const char *end2 = strstr(at, "\nnot ok ");
    if (!end || (end2 && end2 < end))
        end = end2;
    *block = strndup(at, end ? (size_t)(end - at) : strlen(at));
    return !strncmp(line, "ok ", 3);
}

/* One edited reference, graded by the grader and put into a fresh kit. */
typedef struct {
    pack p;
    char *sub;          /* the submission's folder */
    char *kit;          /* the unpacked kit, holding the same file */
    cJSON *report;      /* the grader's JSON report */
} kit_case;

static void kit_case_open(kit_case *k, const char *label, const char *const (*edits)[2])
{
    load_pack(&k->p);
    k->sub = tu_submission_from_reference(label, edits);
    char *src;
    cr_assert_gt(asprintf(&src, "%s/gradient_check.c", k->sub), 0);
    char *text = tu_read(src, NULL);
    cr_assert_not_null(text, "%s: no %s", label, src);
    k->report = tu_grade(k->sub, NULL);
    k->kit = unpack_kit(label, &k->p);
    put_source(k->kit, text);
    free(text);
    free(src);
}

static void kit_case_close(kit_case *k)
{
    cJSON_Delete(k->report);
    remove_kit(k->kit);
    fs_remove_tree(k->sub, NULL);
    free(k->sub);
    pack_free(&k->p);
}

/* A submission through the kit and the grader: the same public tests pass,
 * and a failed comparison reads the same in both. */
static void kit_agrees_on(const char *label, const char *const (*edits)[2], bool want_hints, int crash_line)
{
    kit_case k;
    kit_case_open(&k, label, edits);
    const pack *p = &k.p;
    char *tap_path;
    cr_assert_gt(asprintf(&tap_path, "%s/report.tap", k.kit), 0);
    tu_result r = kit_make_test(k.kit, tap_path);
    char *tap = tu_read(tap_path, NULL);
    cr_assert_not_null(tap, "%s: no TAP report:\n%s\n%s", label, r.out, r.err);
    size_t failed = 0, hints = 0;
    for (size_t e = 0; e < p->rubric.nexercises; e++)
        for (size_t t = 0; t < p->rubric.exercises[e].ntests; t++) {
            if (!in_kit(&p->rubric.exercises[e].tests[t]))
                continue;
            const char *id = p->cases[e][t].id;
            const cJSON *gt = tu_test(k.report, id);
            bool grader_ok = !strcmp(cJSON_GetObjectItem(gt, "status")->valuestring, "passed");
            char *block;
            bool kit_ok = tap_passed(tap, p, e, t, &block);
            cr_expect_eq(kit_ok, grader_ok, "%s, %s: the kit says %s, the grader %s", label, id,
                         kit_ok ? "passed" : "failed", grader_ok ? "passed" : "failed");
            /* the comparison's own words; the grader's hints (explain.c) come after them */
            char msg[2048];
            snprintf(msg, sizeof msg, "%s", cJSON_GetObjectItem(gt, "student_message")->valuestring);
            msg[strcspn(msg, "\n")] = '\0';
            if (!grader_ok && !strcmp(cJSON_GetObjectItem(gt, "ended")->valuestring, "returned"))
                cr_expect(strstr(block, msg) != NULL, "%s, %s: the grader says \"%s\"; the kit:\n%s",
                          label, id, msg, block);
            /* the grader's hint for a known mistake or a plain fact, in the kit too (the
             * grader's "fix that first" needs every test's result, which the kit has not) */
            const char *hint = strstr(cJSON_GetObjectItem(gt, "student_message")->valuestring, "\nhint: ");
            if (!grader_ok && hint && !strstr(hint, "fix that first")) {
                char *line = strndup(hint + 1, strcspn(hint + 1, "\n"));
                cr_expect(strstr(block, line) != NULL, "%s, %s: the grader's %s is not in the kit:\n%s", label, id,
                          line, block);
                hints++;
                free(line);
            }
            failed += !grader_ok;
            free(block);
        }
    cr_expect_eq(r.status == 0, failed == 0, "%s: make test exit %d with %zu public tests failed", label,
                 r.status, failed);
    cr_expect_gt(failed, 0, "%s: the edits break no public test", label);
    if (want_hints)
        cr_expect_gt(hints, 0, "%s: the grader gave no hint to compare", label);
    if (crash_line > 0) {
        /* a crash: the test, the signal and the student's line, not only Criterion's words */
        char where[64];
        snprintf(where, sizeof where, "at gradient_check.c:%d", crash_line);
        cr_expect(strstr(r.err, "your code crashed with SIGSEGV") && strstr(r.err, where),
                  "%s: the kit does not say the crash's signal and line (%s):\n%s", label, where, r.err);
        cr_expect(strstr(r.err, "backward_propagation/") != NULL, "the crash names no test:\n%s", r.err);
    }
    tu_result_free(&r);
    free(tap);
    free(tap_path);
    kit_case_close(&k);
}

static void kit_agrees(const char *label, const char *const (*edits)[2])
{
    kit_agrees_on(label, edits, false, 0);
}

/* The line of the submission made from the reference with edits that holds needle. */
static int line_of(const char *label, const char *const (*edits)[2], const char *needle)
{
    char *dir = tu_submission_from_reference(label, edits), *path = fs_join(dir, "gradient_check.c");
    char *text = tu_read(path, NULL), *at = strstr(text, needle);
    cr_assert_not_null(at, "%s is not in the edited file", needle);
    int line = 1;
    for (char *c = text; c < at; c++)
        line += *c == '\n';
    free(text);
    free(path);
    fs_remove_tree(dir, NULL);
    free(dir);
    return line;
}

Test(kit, agrees_with_the_grader_on_wrong_values)
{
    static const char *const edits[][2] = {
        {"double J = theta * x;", "double J = theta + x;"},
        {"gradapprox.data[i] = (J_plus - J_minus) / (2 * epsilon);",
         "gradapprox.data[i] = (J_plus - J_minus) / epsilon;"},
        {NULL, NULL}};
    kit_agrees_on("kit-wrong-values", edits, true, 0);
}

Test(kit, agrees_with_the_grader_on_messages)
{
    static const char *const edits[][2] = {
        {"gc_float_str(difference, text)", "(snprintf(text, sizeof text, \"%.2g\", difference), text)"},
        {NULL, NULL}};
    kit_agrees("kit-messages", edits);
}

Test(kit, agrees_with_the_grader_on_crashes_and_missing_functions)
{
    static const char *const edits[][2] = {
        {"    double dtheta = x;", "    double dtheta = x;\n    if (x == 2) *(volatile int *)0 = 1;"},
        {"double gradient_check_n(", "double gradient_check_n_renamed("},
        {NULL, NULL}};
    kit_agrees_on("kit-crash-missing", edits, false, line_of("kit-crash-line", edits, "*(volatile int *)0 = 1"));
}

/* gradient_check with substituted callees (the rubric's calls:): the kit
 * links the same substitutes, so a wrong forward_propagation costs the same
 * tests in both (only the one with the student's own functions), and a check
 * that perturbs theta at the wrong point fails the same seeded tests. */
Test(kit, agrees_with_the_grader_on_substituted_callees)
{
    static const char *const edits[][2] = {
        {"double J = theta * x;", "double J = theta + x;"},
        {"    double theta_plus = theta + epsilon;\n    double theta_minus = theta - epsilon;",
         "    double theta_plus = x + epsilon;\n    double theta_minus = x - epsilon;"},
        {NULL, NULL}};
    kit_agrees("kit-substituted", edits);
    /* and the grader did what the rubric says: substituted tests kept their
     * points where the seeded model is linear, lost them where it is not */
    kit_case k;
    kit_case_open(&k, "kit-substituted-2", edits);
    cr_expect_str_eq(cJSON_GetObjectItem(tu_test(k.report, "gradient_check/4"), "status")->valuestring, "passed");
    cr_expect_str_eq(cJSON_GetObjectItem(tu_test(k.report, "gradient_check/6"), "status")->valuestring, "failed");
    tu_result r = kit_make_test(k.kit, NULL);
    cr_expect(strstr(r.err, "this test uses a seeded forward_propagation (j_theta_squared_x, in "
                            "tests/*_substitutes.c) and the course's backward_propagation, not yours") != NULL,
              "the kit does not say which tests use the course's functions:\n%s", r.err);
    tu_result_free(&r);
    kit_case_close(&k);
}

/* A substitutable callee the file does not define: both grade gradient_check
 * with the course's, and both fail its test with the student's own saying
 * what is missing. */
Test(kit, agrees_with_the_grader_on_a_missing_callee)
{
    static const char *const edits[][2] = {
        {"double forward_propagation(double x, double theta)\n{", "static double unused_forward(double x, double theta)\n{"},
        {"    double grad = backward_propagation(x, theta);",
         "    double grad = backward_propagation(x, theta) + 0 * unused_forward(x, theta);"},
        {NULL, NULL}};
    kit_agrees("kit-missing-callee", edits);
    kit_case k;
    kit_case_open(&k, "kit-missing-callee-2", edits);
    tu_result r = kit_make_test(k.kit, NULL);
    const char *says = "gradient_check calls forward_propagation, which your file does not define";
    cr_expect(strstr(r.err, says) != NULL, "the kit:\n%s", r.err);
    cr_expect(strstr(tu_message(k.report, "gradient_check/10"), says) != NULL, "the grader: %s",
              tu_message(k.report, "gradient_check/10"));
    cr_expect_eq(tu_score(k.report, "gradient_check"), 10);
    tu_result_free(&r);
    kit_case_close(&k);
}

/* A file the grader refuses, in part or whole: the grader says why and the
 * exercise scores 0; the kit stops before the tests with the same words, so
 * the student fixes it before submitting. */
static void kit_refuses_like_grader(const char *label, const char *const (*edits)[2], const char *says,
                                    const char *exercise)
{
    kit_case k;
    kit_case_open(&k, label, edits);
    char *build = cJSON_PrintUnformatted(cJSON_GetObjectItem(k.report, "build"));
    cr_expect(strstr(build, says) != NULL, "the grader: %s", build);
    cr_expect_eq(tu_score(k.report, exercise), 0);
    free(build);
    tu_result r = kit_make_test(k.kit, NULL);
    cr_expect_neq(r.status, 0);
    cr_expect(strstr(r.err, says) != NULL, "the kit:\n%s", r.err);
    cr_expect(strstr(r.err, "Synthesis") == NULL, "the kit ran the tests of a refused file");
    tu_result_free(&r);
    kit_case_close(&k);
}

/* A call graded code may not make: the grader cuts out the functions that
 * make it (their tests score 0, the others run), and so does the kit: it says
 * which functions' tests would not run, runs the others, and fails. */
Test(kit, cuts_out_what_the_grader_cuts_out)
{
    static const char *const edits[][2] = {
        {"    double J = theta * x;", "    double J = theta * x + 0 * system(\"true\");"},
        {"#include <stdio.h>", "#include <stdio.h>\n#include <stdlib.h>"},
        {NULL, NULL}};
    kit_case k;
    kit_case_open(&k, "kit-cut", edits);
    const char *note = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(k.report, "build"), "note"));
    cr_assert_not_null(note, "the grader says nothing of the cut");
    cr_expect(strstr(note, "forward_propagation uses system, which graded code may not use"), "%s", note);
    cr_expect_eq(tu_score(k.report, "forward_propagation"), 0);
    cr_expect_eq(tu_score(k.report, "backward_propagation"), 10, "the other functions are graded");
    tu_result r = kit_make_test(k.kit, NULL);
    cr_expect_neq(r.status, 0);
    cr_expect(strstr(r.err, "forward_propagation uses system, which graded code may not use: "
                            "forward_propagation's tests would not run"), "the kit:\n%s", r.err);
    cr_expect_null(strstr(r.err, "would refuse your file"), "the kit:\n%s", r.err);
    cr_expect(strstr(r.err, "Synthesis") != NULL, "the kit ran none of the other tests:\n%s", r.err);
    /* every function the grader cut, the kit cut too, and no other */
    for (char **g = k.p.graded; *g; g++) {
        char grader_says[256], kit_says[256];
        snprintf(grader_says, sizeof grader_says, "%s uses", *g);
        snprintf(kit_says, sizeof kit_says, "%s's tests would not run", *g);
        bool grader_cut = strstr(note, grader_says) != NULL && (note == strstr(note, grader_says) ||
                                                                 strstr(note, grader_says)[-1] == '\n');
        cr_expect_eq(strstr(r.err, kit_says) != NULL, grader_cut, "%s: the grader %s it, the kit %s", *g,
                     grader_cut ? "cut" : "kept", strstr(r.err, kit_says) ? "cut" : "kept");
    }
    tu_result_free(&r);
    kit_case_close(&k);
}

/* More static data than a test's memory: no test could even start, so both
 * refuse the file and say so, rather than report a crash in every test. */
Test(kit, refuses_static_data_beyond_the_memory_limit)
{
    static const char *const edits[][2] = {
        {"double forward_propagation(", "static char big[1500000000UL];\ndouble forward_propagation("},
        {"    double J = theta * x;", "    big[(size_t)(x * 1000) % sizeof big] = 1;\n    double J = theta * x + big[1];"},
        {NULL, NULL}};
    kit_refuses_like_grader("kit-big-static", edits,
                            "take 1431 MB, more than the 256 MB of memory a test may use: no test could start",
                            "gradient_check_n");
}

/* A file that answers the memory checks' questions itself (leak_check.c asks
 * LeakSanitizer and the allocator): the grader refuses it, and so does the kit. */
Test(kit, refuses_a_sanitizer_runtime_name)
{
    static const char *const edits[][2] = {
        {"double forward_propagation(", "int __lsan_do_recoverable_leak_check(void) { return 0; }\n"
                                        "double forward_propagation("},
        {NULL, NULL}};
    kit_refuses_like_grader("kit-sanitizer-name", edits,
                            "it defines __lsan_do_recoverable_leak_check: a name of the sanitizers' runtime",
                            "gradient_check_n");
}
