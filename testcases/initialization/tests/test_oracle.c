/*
 * test_oracle.c — the Initialization pack's numbers are numpy's, bit for bit.
 *
 * The yardstick is testcases/initialization/oracle/initialization.json, a
 * copy of the project's shared oracle (numpy 1.24.2 on the notebook's formulas
 * in its operation order, plus what the course printed). The pack's own
 * programs are run as the grader's build made them: the fixture printer (the
 * reference's initializers and the provided load_dataset) and the notebook
 * (the provided forward, loss, backward and update in model()). They are run,
 * not linked: the pack's provided code defines the course's names (sigmoid,
 * forward_propagation...), which other packs define too. Doubles are compared
 * by their bits (so -0.0 is not 0.0 here): a tolerance would hide a port that
 * is merely close, and every check below could fail.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"
#include "pyfloat.h"
#include "testutil.h"

/* the pack's build folder (make passes TU_BUILD) */
#define INIT_BUILD TU_BUILD "/initialization"
#define ORACLE "testcases/initialization/oracle/initialization.json"

static uint64_t bits_of(double v)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return b;
}

static cJSON *oracle(void)
{
    hr_error err;
    cJSON *doc = jsonio_read_file(ORACLE, &err);
    cr_assert_not_null(doc, "%s", err.msg);
    return doc;
}

/* Runs a program of the pack's build with up to 16 arguments; its stdout. */
static char *run(const char *program, const char *const *args, size_t nargs)
{
    const char *argv[20] = {program};
    cr_assert_leq(nargs, 16);
    for (size_t i = 0; i < nargs; i++)
        argv[1 + i] = args[i];
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "%s exited %d: %s", program, r.status, r.err);
    char *out = r.out;
    r.out = NULL;
    tu_result_free(&r);
    return out;
}

/* Every element of got equals exp (a list of rows) in value and bits. Returns
 * how many elements were compared. */
static size_t expect_matrix_bits(const cJSON *got, const cJSON *exp, const char *what)
{
    double *g, *e;
    size_t gr, gc, er, ec;
    hr_error err;
    cr_assert_eq(jsonio_get_matrix(got, false, &g, &gr, &gc, &err), 0, "%s: %s", what, err.msg);
    cr_assert_eq(jsonio_get_matrix(exp, false, &e, &er, &ec, &err), 0, "%s (oracle): %s", what, err.msg);
    cr_assert(gr == er && gc == ec, "%s: shape %zu x %zu, numpy's is %zu x %zu", what, gr, gc, er, ec);
    for (size_t i = 0; i < gr * gc; i++)
        cr_expect_eq(bits_of(g[i]), bits_of(e[i]), "%s[%zu][%zu]: %.17g, numpy %.17g", what, i / gc, i % gc,
                     g[i], e[i]);
    free(g);
    free(e);
    return gr * gc;
}

Test(initialization_oracle, every_fixture_is_numpys_bit_for_bit)
{
    cJSON *doc = oracle();
    const cJSON *fixture;
    size_t fixtures = 0, values = 0;
    cJSON_ArrayForEach(fixture, jsonio_get(doc, "fixtures")) {
        const char *id = cJSON_GetStringValue(jsonio_get(fixture, "id"));
        const char *function = cJSON_GetStringValue(jsonio_get(fixture, "function"));
        cr_assert(id && function && !strncmp(function, "initialize_parameters_", 22));
        /* fixture KIND n0 n1 ... */
        const char *args[16] = {function + 22};
        char sizes[15][16];
        size_t n = 1;
        const cJSON *dim;
        cJSON_ArrayForEach(dim, jsonio_get(jsonio_get(fixture, "args"), "layers_dims")) {
            cr_assert_lt(n, 16);
            snprintf(sizes[n - 1], sizeof sizes[n - 1], "%d", dim->valueint);
            args[n] = sizes[n - 1];
            n++;
        }
        char *out = run(INIT_BUILD "/fixture", args, n);
        hr_error err;
        cJSON *got = jsonio_parse(out, strlen(out), id, &err);
        cr_assert_not_null(got, "%s", err.msg);
        /* the same members, in the notebook's order W1, b1, W2, ... */
        const cJSON *exp = jsonio_get(fixture, "expected"), *g = got->child, *e;
        cJSON_ArrayForEach(e, exp) {
            cr_assert_not_null(g, "%s: no %s", id, e->string);
            cr_assert_str_eq(g->string, e->string, "%s: member %s where numpy has %s", id, g->string, e->string);
            char what[128];
            snprintf(what, sizeof what, "%s %s", id, e->string);
            values += expect_matrix_bits(g, jsonio_get(e, "numpy"), what);
            g = g->next;
        }
        cr_expect_null(g, "%s: a member numpy does not have: %s", id, g ? g->string : "");
        cJSON_Delete(got);
        free(out);
        fixtures++;
    }
    /* zeros [3,2,1], random [3,2,1], He [2,4,1], [3,1,2] and [3,5,3,1]: 89 numbers */
    cr_expect_eq(fixtures, 5);
    cr_expect_eq(values, 89);
    cJSON_Delete(doc);
}

Test(initialization_oracle, load_dataset_is_sklearns_make_circles_bit_for_bit)
{
    cJSON *doc = oracle();
    const char *args[] = {"dataset"};
    char *out = run(INIT_BUILD "/fixture", args, 1);
    hr_error err;
    cJSON *got = jsonio_parse(out, strlen(out), "dataset", &err);
    cr_assert_not_null(got, "%s", err.msg);
    const cJSON *exp = jsonio_get(jsonio_get(doc, "training"), "dataset");
    static const char *const keys[] = {"train_X", "train_Y", "test_X", "test_Y"};
    size_t values = 0;
    for (int i = 0; i < 4; i++)
        values += expect_matrix_bits(jsonio_get(got, keys[i]), jsonio_get(exp, keys[i]), keys[i]);
    cr_expect_eq(values, 2 * 300 + 300 + 2 * 100 + 100);
    cJSON_Delete(got);
    free(out);
    cJSON_Delete(doc);
}

/* ---- the notebook ------------------------------------------------------------ */

static char *notebook(void)
{
    return run(INIT_BUILD "/notebook", NULL, 0);
}

/* The text after the line that starts with header, up to the next blank line. */
static const char *section(const char *out, const char *header)
{
    const char *s = strstr(out, header);
    cr_assert_not_null(s, "the notebook prints no '%s'", header);
    return s;
}

/* The numbers of "NAME = [[...]]" in a section, as printed (tokens of the text). */
static size_t printed_tokens(const char *sec, const char *name, char tokens[][32], size_t max)
{
    char label[16];
    snprintf(label, sizeof label, "\n%s = [", name);
    const char *s = strstr(sec, label);
    cr_assert_not_null(s, "no %s in the section", name);
    s += strlen(label);
    size_t n = 0;
    while (*s && !(s[0] == ']' && s[1] == ']')) {
        while (*s == '[' || *s == ']' || *s == ' ' || *s == '\n')
            s++;
        size_t len = strcspn(s, " ]\n");
        cr_assert(len > 0 && len < 32 && n < max);
        memcpy(tokens[n], s, len);
        tokens[n++][len] = '\0';
        s += len;
    }
    return n;
}

/* Each notebook cell prints the published digits of the course (the 2017 and
 * 2021 notebooks and public tests): same numbers, token by token, 8 decimals. */
Test(initialization_oracle, notebook_prints_the_published_digits)
{
    static const struct {
        const char *fixture, *header;
    } cells[] = {
        {"init.initialize_parameters_zeros.course", "# parameters = initialize_parameters_zeros([3, 2, 1])"},
        {"init.initialize_parameters_random.course", "# parameters = initialize_parameters_random([3, 2, 1])"},
        {"init.initialize_parameters_he.course", "# parameters = initialize_parameters_he([2, 4, 1])"},
        {"init.initialize_parameters_he.2021", "# parameters = initialize_parameters_he([3, 1, 2])"},
    };
    cJSON *doc = oracle();
    char *out = notebook();
    size_t checked = 0;
    for (size_t c = 0; c < sizeof cells / sizeof *cells; c++) {
        const cJSON *fixture = NULL, *f;
        cJSON_ArrayForEach(f, jsonio_get(doc, "fixtures"))
            if (!strcmp(cJSON_GetStringValue(jsonio_get(f, "id")), cells[c].fixture))
                fixture = f;
        cr_assert_not_null(fixture, "%s is not in the oracle", cells[c].fixture);
        const char *sec = section(out, cells[c].header);
        const cJSON *member;
        cJSON_ArrayForEach(member, jsonio_get(fixture, "expected")) {
            char got[64][32];
            size_t n = printed_tokens(sec, member->string, got, 64);
            const cJSON *pub;
            cJSON_ArrayForEach(pub, jsonio_get(member, "published")) {
                const cJSON *row, *v;
                size_t i = 0;
                cJSON_ArrayForEach(row, jsonio_get(pub, "values")) cJSON_ArrayForEach(v, row) {
                    cr_assert_lt(i, n, "%s %s: fewer numbers than %s printed", cells[c].fixture, member->string,
                                 cJSON_GetStringValue(jsonio_get(pub, "source")));
                    double mine;
                    cr_assert_eq(pyfloat_parse(got[i], &mine), 0, "'%s' is not a number", got[i]);
                    /* printed with the same digits: the same 8-decimal rounding */
                    cr_expect_eq(mine, v->valuedouble, "%s %s[%zu]: printed %s, %s printed %.8f", cells[c].fixture,
                                 member->string, i, got[i], cJSON_GetStringValue(jsonio_get(pub, "source")),
                                 v->valuedouble);
                    i++;
                    checked++;
                }
                cr_expect_eq(i, n, "%s %s: %zu numbers printed, %zu published", cells[c].fixture, member->string, n, i);
            }
        }
    }
    cr_expect_gt(checked, 80);
    free(out);
    cJSON_Delete(doc);
}

/* model() with the provided code: numpy's 15 costs of each run, bit for bit
 * ("inf" at iteration 0 of the random run: nansum drops the 0 * inf terms),
 * and the accuracies the course published. */
Test(initialization_oracle, notebook_training_costs_are_numpys)
{
    cJSON *doc = oracle();
    char *out = notebook();
    const cJSON *runs = jsonio_get(jsonio_get(doc, "training"), "runs"), *run_;
    size_t nruns = 0;
    cJSON_ArrayForEach(run_, runs) {
        const char *name = cJSON_GetStringValue(jsonio_get(run_, "name"));
        char header[128];
        snprintf(header, sizeof header, "# parameters = model(train_X, train_Y, initialization = \"%s\")", name);
        const char *s = section(out, header);
        const cJSON *cost;
        int i = 0;
        cJSON_ArrayForEach(cost, jsonio_get(run_, "costs_every_1000")) {
            double exp, got;
            cr_assert_eq(jsonio_get_double(cost, &exp), 0);
            char label[64];
            snprintf(label, sizeof label, "Cost after iteration %d: ", i * 1000);
            const char *line = strstr(s, label);
            cr_assert_not_null(line, "%s: no '%s'", name, label);
            line += strlen(label);
            char text[64];
            size_t len = strcspn(line, "\n");
            cr_assert_lt(len, sizeof text);
            memcpy(text, line, len);
            text[len] = '\0';
            cr_assert_eq(pyfloat_parse(text, &got), 0, "%s: '%s'", name, text);
            cr_expect_eq(bits_of(got), bits_of(exp), "%s, iteration %d: %s, numpy %.17g", name, i * 1000, text, exp);
            i++;
        }
        cr_expect_eq(i, 15);
        const cJSON *acc = jsonio_get(run_, "published_accuracy");
        char train[96], test[96];
        double tr, te;
        jsonio_get_double(jsonio_get(run_, "train_accuracy"), &tr);
        jsonio_get_double(jsonio_get(run_, "test_accuracy"), &te);
        /* Python 2 printed 12 significant digits: the published text is that of numpy's value */
        char pub[32];
        snprintf(pub, sizeof pub, "%.12g", tr);
        cr_expect_str_eq(pub, cJSON_GetStringValue(jsonio_get(acc, "train")), "%s: train accuracy", name);
        snprintf(pub, sizeof pub, "%.12g", te);
        cr_expect_str_eq(pub, cJSON_GetStringValue(jsonio_get(acc, "test")), "%s: test accuracy", name);
        char r1[PYFLOAT_MAX], r2[PYFLOAT_MAX];
        pyfloat_repr(tr, r1);
        pyfloat_repr(te, r2);
        snprintf(train, sizeof train, "On the train set:\nAccuracy: %s\n", r1);
        snprintf(test, sizeof test, "On the test set:\nAccuracy: %s\n", r2);
        cr_expect_not_null(strstr(s, train), "%s: no '%s'", name, train);
        cr_expect_not_null(strstr(s, test), "%s: no '%s'", name, test);
        nruns++;
    }
    cr_expect_eq(nruns, 3);
    free(out);
    cJSON_Delete(doc);
}
