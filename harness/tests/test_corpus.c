/*
 * corpus — issue 9's examiner corpus, graded exactly as predicted.
 *
 * testcases/gradient_check/corpus holds submissions written from scratch as
 * students write them (correct/: many legitimate styles; wrong/: one or two
 * real mistakes each) and predictions.yaml, written before any of them was
 * graded. Each file is graded here with the built grader and must get what its
 * prediction says: a correct file 50 of 50; a wrong one, exercise by exercise,
 * full (score == max), zero (score == 0) or partial (in between), and the hint
 * words predicted in some failing test's message of that exercise. These are
 * promises of fairness, so a failure here names the file, the exercise, what
 * was predicted and what the grader gave; FINDINGS.md explains each one.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "testutil.h"
#include "yamlio.h"

#define CORPUS "testcases/gradient_check/corpus"
#define PREDICTIONS CORPUS "/predictions.yaml"
#define NEX 5

static const char *const EXERCISES[NEX + 1] = {"forward_propagation", "backward_propagation", "gradient_check",
                                               "gradient_check_n", "backward_propagation_n", NULL};
static const char *const GRADES[] = {"zero", "partial", "full"};
enum { G_UNSET = -1, G_ZERO, G_PARTIAL, G_FULL };

/* One file's prediction; fixed-size so that Criterion can copy it into the
 * process that runs its test. */
typedef struct {
    char path[160];     /* under CORPUS: "correct/c01_....c" */
    bool correct, leak;
    int grade[NEX];     /* G_* per exercise (wrong files) */
    char hint[NEX][96]; /* words some failing test must hold; "" = none asked */
} corpus_case;

typedef struct {
    corpus_case *items;
    size_t n;
} corpus_list;

static int grade_of_word(const char *s)
{
    for (int g = G_ZERO; g <= G_FULL; g++)
        if (s && !strcmp(s, GRADES[g]))
            return g;
    return G_UNSET;
}

static int read_hints(yamlio *y, const yaml_node_t *entry, corpus_case *c)
{
    yaml_node_t *h = yamlio_get(y, entry, "hint");
    if (!h)
        return yamlio_fail(y, entry, "%s: missing key 'hint' (words, or none)", c->path);
    if (yamlio_scalar(h) && !strcmp(yamlio_scalar(h), "none"))
        return 0;
    if (yamlio_check_keys(y, h, "hint", EXERCISES) != 0)
        return -1;
    for (int e = 0; e < NEX; e++) {
        char *words = NULL;
        if (yamlio_string(y, h, EXERCISES[e], false, &words) != 0)
            return -1;
        if (words && strlen(words) >= sizeof c->hint[e]) {
            free(words);
            return yamlio_fail(y, h, "%s: the hint words for %s are too long", c->path, EXERCISES[e]);
        }
        if (words)
            strcpy(c->hint[e], words);
        free(words);
    }
    return 0;
}

static int read_entry(yamlio *y, const char *path, const yaml_node_t *entry, corpus_case *c)
{
    static const char *const known[] = {"correct", "leak", "mistake", "hint", "forward_propagation",
                                        "backward_propagation", "gradient_check", "gradient_check_n",
                                        "backward_propagation_n", NULL};
    memset(c, 0, sizeof *c);
    if (strlen(path) >= sizeof c->path)
        return yamlio_fail(y, entry, "the path %s is too long", path);
    strcpy(c->path, path);
    if (yamlio_check_keys(y, entry, path, known) != 0 || yamlio_bool(y, entry, "correct", &c->correct) != 0 ||
        yamlio_bool(y, entry, "leak", &c->leak) != 0)
        return -1;
    for (int e = 0; e < NEX; e++) {
        c->grade[e] = G_UNSET;
        char *word = NULL;
        if (yamlio_string(y, entry, EXERCISES[e], !c->correct, &word) != 0)
            return -1;
        if (c->correct && word) {
            free(word);
            return yamlio_fail(y, entry, "%s: a correct file gets 50/50, it has no per-exercise grades", path);
        }
        if (word && (c->grade[e] = grade_of_word(word)) == G_UNSET) {
            free(word);
            return yamlio_fail(y, yamlio_get(y, entry, EXERCISES[e]), "%s: %s must be full, partial or zero",
                               path, EXERCISES[e]);
        }
        free(word);
    }
    return c->correct ? 0 : read_hints(y, entry, c);
}

static int read_predictions(yamlio *y, yaml_node_t *root, void *out)
{
    static const char *const top[] = {"files", NULL};
    corpus_list *list = out;
    if (yamlio_check_keys(y, root, "predictions", top) != 0)
        return -1;
    yaml_node_t *files = yamlio_get(y, root, "files");
    if (!files || files->type != YAML_MAPPING_NODE)
        return yamlio_fail(y, root, "'files' must map each corpus file to its prediction");
    size_t count = (size_t)(files->data.mapping.pairs.top - files->data.mapping.pairs.start);
    list->items = calloc(count ? count : 1, sizeof *list->items);
    if (!list->items)
        return hr_fail(y->err, "out of memory");
    for (yaml_node_pair_t *p = files->data.mapping.pairs.start; p < files->data.mapping.pairs.top; p++) {
        const char *path = yamlio_scalar(yaml_document_get_node(y->doc, p->key));
        if (!path)
            return yamlio_fail(y, files, "file names must be plain text");
        if (read_entry(y, path, yaml_document_get_node(y->doc, p->value), &list->items[list->n]) != 0)
            return -1;
        list->n++;
    }
    return 0;
}

static int load(corpus_list *list, hr_error *err)
{
    memset(list, 0, sizeof *list);
    return yamlio_read_file(PREDICTIONS, "corpus predictions", read_predictions, list, err);
}

static void free_params(struct criterion_test_params *crp)
{
    cr_free(crp->params);
}

ParameterizedTestParameters(corpus, graded_as_predicted)
{
    corpus_list list;
    hr_error err;
    if (load(&list, &err) != 0) {
        /* corpus/predictions_cover_every_file reports why */
        free(list.items);
        return cr_make_param_array(corpus_case, NULL, 0);
    }
    corpus_case *shared = cr_malloc(sizeof *shared * (list.n ? list.n : 1));
    memcpy(shared, list.items, sizeof *shared * list.n);
    size_t n = list.n;
    free(list.items);
    return cr_make_param_array(corpus_case, shared, n, free_params);
}

/* Does text hold every word of words, ignoring case? */
static bool holds_words(const char *text, const char *words)
{
    char *t = strdup(text ? text : ""), *w = strdup(words);
    for (char *q = t; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    for (char *q = w; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    bool all = true;
    for (char *save = NULL, *word = strtok_r(w, " ", &save); word && all; word = strtok_r(NULL, " ", &save))
        all = strstr(t, word) != NULL;
    free(t);
    free(w);
    return all;
}

static const char *str_of(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
    return s ? s : "";
}

static const cJSON *exercise_of(const cJSON *report, const char *id)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(report, "exercises"))
        if (!strcmp(str_of(e, "id"), id))
            return e;
    return NULL;
}

/* full / partial / zero as the predictions mean them; a 0-point exercise by
 * its tests (all passed, some, none). */
static int graded(const cJSON *ex)
{
    double score = cJSON_GetObjectItemCaseSensitive(ex, "score")->valuedouble;
    double max = cJSON_GetObjectItemCaseSensitive(ex, "max_score")->valuedouble;
    if (max > 0)
        return score == max ? G_FULL : score == 0 ? G_ZERO : G_PARTIAL;
    int passed = 0, total = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(ex, "tests")) {
        total++;
        passed += !strcmp(str_of(t, "status"), "passed");
    }
    return passed == total ? G_FULL : passed == 0 ? G_ZERO : G_PARTIAL;
}

/* "gradient_check_n/3: right verdict, wrong message: ..." for each failing
 * test of ex, one line each, cut short, to say why a file lost points. */
static void failures(const cJSON *ex, char *out, size_t len)
{
    const cJSON *t;
    out[0] = '\0';
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(ex, "tests")) {
        size_t used = strlen(out);
        if (strcmp(str_of(t, "status"), "passed") == 0 || used + 1 >= len)
            continue;
        char line[200];
        snprintf(line, sizeof line, "%s", str_of(t, "message"));
        for (char *q = line; *q; q++)
            if (*q == '\n')
                *q = '|';
        snprintf(out + used, len - used, "\n    %s: %s", str_of(t, "id"), line);
    }
}

static bool hint_found(const cJSON *ex, const char *words)
{
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(ex, "tests")) {
        if (!strcmp(str_of(t, "status"), "passed"))
            continue;
        if (holds_words(str_of(t, "message"), words) || holds_words(str_of(t, "student_message"), words) ||
            holds_words(str_of(t, "hint"), words))
            return true;
    }
    return false;
}

static bool reports_leak(const cJSON *report)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(report, "memory_checks"),
                                                           "findings"))
        if (holds_words(str_of(f, "what"), "leak"))
            return true;
    return false;
}

ParameterizedTest(corpus_case *c, corpus, graded_as_predicted, .timeout = 120)
{
    char src[256], label[64];
    snprintf(src, sizeof src, CORPUS "/%s", c->path);
    char *text = tu_read(src, NULL);
    cr_assert_not_null(text, "%s: the file is missing", src);
    const char *base = strrchr(c->path, '/') ? strrchr(c->path, '/') + 1 : c->path;
    snprintf(label, sizeof label, "corpus-%.*s", (int)strcspn(base, "."), base);
    cJSON *r = tu_grade(tu_submission(label, text), NULL);
    free(text);

    if (c->correct) {
        double total = tu_score(r, "");
        char why[4096] = "";
        for (int e = 0; e < NEX; e++) {
            const cJSON *ex = exercise_of(r, EXERCISES[e]);
            cr_assert_not_null(ex, "%s: no exercise %s in the report", c->path, EXERCISES[e]);
            if (cJSON_GetObjectItemCaseSensitive(ex, "max_score")->valuedouble > 0)
                failures(ex, why + strlen(why), sizeof why - strlen(why));
        }
        cr_expect_eq(total, 50, "%s: correct work scored %g of 50; lost:%s", c->path, total, why);
        if (c->leak)
            cr_expect(reports_leak(r), "%s: never frees, but the memory check reports no leak", c->path);
    } else {
        for (int e = 0; e < NEX; e++) {
            const cJSON *ex = exercise_of(r, EXERCISES[e]);
            cr_assert_not_null(ex, "%s: no exercise %s in the report", c->path, EXERCISES[e]);
            int got = graded(ex);
            char why[4096];
            failures(ex, why, sizeof why);
            cr_expect_eq(got, c->grade[e], "%s: %s predicted %s, got %s (%g of %g)%s", c->path, EXERCISES[e],
                         GRADES[c->grade[e]], GRADES[got],
                         cJSON_GetObjectItemCaseSensitive(ex, "score")->valuedouble,
                         cJSON_GetObjectItemCaseSensitive(ex, "max_score")->valuedouble, why);
            if (c->hint[e][0])
                cr_expect(hint_found(ex, c->hint[e]), "%s: %s: no failing test's message holds the hint words \"%s\"%s",
                          c->path, EXERCISES[e], c->hint[e], why);
        }
    }
    cJSON_Delete(r);
}

/* Lists the .c files of CORPUS/kind. */
static size_t list_dir(const char *kind, char names[][160], size_t cap)
{
    char dir[256];
    snprintf(dir, sizeof dir, CORPUS "/%s", kind);
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    size_t n = 0;
    for (struct dirent *de; (de = readdir(d)) != NULL;) {
        size_t len = strlen(de->d_name);
        if (len > 2 && !strcmp(de->d_name + len - 2, ".c") && n < cap)
            snprintf(names[n++], 160, "%s/%s", kind, de->d_name);
    }
    closedir(d);
    return n;
}

/* Every file has a prediction and every prediction a file, in the folder of
 * its kind; the corpus is as large as issue 9 asks. */
Test(corpus, predictions_cover_every_file)
{
    corpus_list list;
    hr_error err;
    cr_assert_eq(load(&list, &err), 0, "%s", err.msg);
    static char names[512][160];
    size_t nfiles = list_dir("correct", names, 512);
    size_t ncorrect_files = nfiles;
    nfiles += list_dir("wrong", names + nfiles, 512 - nfiles);
    size_t ncorrect = 0, nwrong = 0;
    for (size_t i = 0; i < list.n; i++) {
        const corpus_case *c = &list.items[i];
        bool in_correct = !strncmp(c->path, "correct/", 8), in_wrong = !strncmp(c->path, "wrong/", 6);
        cr_expect(c->correct ? in_correct : in_wrong, "%s: a %s file must be in %s/", c->path,
                  c->correct ? "correct" : "wrong", c->correct ? "correct" : "wrong");
        ncorrect += c->correct;
        nwrong += !c->correct;
        bool found = false;
        for (size_t k = 0; k < nfiles && !found; k++)
            found = !strcmp(names[k], c->path);
        cr_expect(found, "predictions.yaml names %s, which is not in the corpus", c->path);
    }
    for (size_t k = 0; k < nfiles; k++) {
        bool predicted = false;
        for (size_t i = 0; i < list.n && !predicted; i++)
            predicted = !strcmp(names[k], list.items[i].path);
        cr_expect(predicted, "%s has no prediction", names[k]);
    }
    cr_expect_geq(ncorrect, 25, "only %zu correct files (issue 9 asks for 25)", ncorrect);
    cr_expect_geq(nwrong, 30, "only %zu wrong files (issue 9 asks for 30)", nwrong);
    cr_expect_eq(ncorrect, ncorrect_files);
    free(list.items);
}
