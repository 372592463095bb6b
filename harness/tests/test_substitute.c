/*
 * Substitution (issue 9, point 4): each function graded on its own, and the
 * 1-D check graded by mutation. A test may run the student's gradient_check
 * with the course's forward/backward_propagation or with seeded wrong ones
 * (the rubric's calls:, testcases/gradient_check/gradient_check_substitutes.c); the
 * substitutes record how they were called, for feedback only.
 *
 * These tests prove that the substitution takes effect even where GCC -O2
 * would have inlined the student's own function, that the student's own
 * definitions are used where no substitution is asked, what the seeded tests
 * catch (perturbing the wrong variable, dropping the norms, not calling
 * forward_propagation) and what the trace says, and that the trace is parsed
 * fail-closed, within limits, and never changes a score.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cflags.h"
#include "explain.h"
#include "jsonio.h"
#include "objcheck.h"
#include "pack.h"
#include "protocol.h"
#include "score.h"
#include "substitute.h"
#include "testutil.h"

#define SUBSTITUTES TU_BUILD "/obj/testcases/gradient_check/gradient_check_substitutes.o"
#define PACK TU_ASSIGNMENT "/pack.json"

static const char *status(const cJSON *r, const char *id)
{
    return cJSON_GetStringValue(cJSON_GetObjectItem(tu_test(r, id), "status"));
}

static const char *student_message(const cJSON *r, const char *id)
{
    return cJSON_GetStringValue(cJSON_GetObjectItem(tu_test(r, id), "student_message"));
}

/* ---- the mechanism ------------------------------------------------------------ */

/* Compiles src (the reference with edits) with the submission's flags, minus
 * -fPIC when pic is false, and says whether gradient_check's code still
 * refers to forward_propagation (a real call, not inlined). */
static bool calls_forward(const char *dir, bool pic)
{
    const char *const flags[] = {CFLAGS_SUBMISSION};
    const char *argv[32];
    size_t n = 0;
    argv[n++] = "/usr/bin/gcc";
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
        if (pic || (strcmp(flags[i], "-fPIC") != 0 && strcmp(flags[i], "-fsemantic-interposition") != 0))
            argv[n++] = flags[i];
    char src[4200], obj[4200];
    snprintf(src, sizeof src, "%s/gradient_check.c", dir);
    snprintf(obj, sizeof obj, "%s/%s.o", dir, pic ? "pic" : "nopic");
    const char *const tail[] = {"-ffunction-sections", "-Istudent_template/gradient_check", "-c", src, "-o", obj, NULL};
    for (size_t i = 0; tail[i]; i++)
        argv[n++] = tail[i];
    argv[n] = NULL;
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "gcc: %s", r.err);
    tu_result_free(&r);
    objcheck_info info;
    hr_error err;
    cr_assert_eq(objcheck_read(obj, &info, &err), 0, "%s", err.msg);
    bool found = false;
    for (size_t i = 0; i < info.nrefs; i++) {
        const objcheck_symbol *s = &info.symbols[info.refs[i].symbol];
        const char *from = info.sections[info.refs[i].section].name;
        /* the relocation section .rela.text.gradient_check patches .text.gradient_check */
        found = found || (s->name && !strcmp(s->name, "forward_propagation") && from && strstr(from, ".text.gradient_check"));
    }
    objcheck_free(&info);
    return found;
}

/* The student's gradient_check calls their own forward_propagation, defined
 * just above in the same file; it is wrong (J = 3 theta x). GCC -O2 without
 * -fPIC inlines it; with the grader's flags the call stays, and the tests
 * that substitute the course's forward_propagation pass: had the
 * substitution missed, the student's J would give 0.5, not 2.9e-10. */
Test(substitution, beats_inlining)
{
    static const char *const edits[][2] = {{"double J = theta * x;", "double J = 3 * theta * x;"}, {NULL, NULL}};
    char *dir = tu_submission_from_reference("inline", edits);
    cr_expect_not(calls_forward(dir, false), "GCC -O2 without -fPIC no longer inlines: this test proves nothing");
    cr_expect(calls_forward(dir, true), "with the grader's flags gradient_check must really call forward_propagation");
    cJSON *r = tu_grade(dir, NULL);
    for (const char *const *id = (const char *const[]){"gradient_check/1", "gradient_check/2", "gradient_check/3",
                                                        "gradient_check/4", "gradient_check/5", "gradient_check/6",
                                                        "gradient_check/7", "gradient_check/8", "gradient_check/9",
                                                        NULL};
         *id; id++)
        cr_expect_str_eq(status(r, *id), "passed", "%s: %s", *id, tu_message(r, *id));
    cr_expect_eq(tu_score(r, "gradient_check"), 10);
    /* no substitution asked: the student's own functions, everywhere */
    cr_expect_str_eq(status(r, "gradient_check/10"), "failed");
    cr_expect(strstr(tu_message(r, "gradient_check/10"), "returned 0.5") != NULL, "%s", tu_message(r, "gradient_check/10"));
    cr_expect(strstr(tu_message(r, "gradient_check/10"), "uses your forward_propagation") != NULL, "%s",
              tu_message(r, "gradient_check/10"));
    cr_expect(strstr(tu_message(r, "forward_propagation/1"), "expected 8.0, got 24.0") != NULL, "%s",
              tu_message(r, "forward_propagation/1"));
    cr_expect_eq(tu_score(r, "forward_propagation"), 0);
    cJSON_Delete(r);
}

/* Both 1-D functions wrong: each costs its own points; gradient_check keeps
 * every point but the one of its test with the student's own functions, and
 * only that test sends the student to fix them first. */
Test(substitution, wrong_callees_cost_their_own_points)
{
    static const char *const edits[][2] = {{"double J = theta * x;", "double J = theta + x;"},
                                           {"double dtheta = x;", "double dtheta = theta;"},
                                           {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("wrong-callees", edits), NULL);
    cr_expect_eq(tu_score(r, "forward_propagation"), 0);
    cr_expect_eq(tu_score(r, "backward_propagation"), 0);
    cr_expect_eq(tu_score(r, "gradient_check"), 10);
    const cJSON *ex = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "exercises"), 2), *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(ex, "tests")) {
        const char *msg = cJSON_GetStringValue(cJSON_GetObjectItem(t, "message"));
        bool own = !strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(t, "id")), "gradient_check/10");
        cr_expect_eq(strstr(msg, "which fails its own tests") != NULL, own, "%s", msg);
    }
    cJSON_Delete(r);
}

/* ---- what the seeded tests catch ------------------------------------------------- */

/* theta_plus = x + epsilon: with J = theta x, linear, gradapprox is x
 * wherever J is evaluated, so this passed the course's own tests by
 * coincidence; the model J = theta^2 x is not linear and catches it, and the
 * trace shows where J was evaluated. */
Test(substitution, perturbing_at_the_wrong_point_loses_points)
{
    static const char *const edits[][2] = {
        {"    double theta_plus = theta + epsilon;\n    double theta_minus = theta - epsilon;",
         "    double theta_plus = x + epsilon;\n    double theta_minus = x - epsilon;"},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("theta-from-x", edits), NULL);
    cr_expect_str_eq(status(r, "gradient_check/6"), "failed");
    cr_expect_str_eq(status(r, "gradient_check/8"), "failed");
    cr_expect_leq(tu_score(r, "gradient_check"), 7);
    const char *msg = tu_message(r, "gradient_check/6");
    cr_expect(strstr(msg, "calls: your gradient_check called forward_propagation with (x = 2.0, theta = 2.0000001); "
                          "the solution calls it with (x = 2.0, theta = 4.0000001), (x = 2.0, theta = 3.9999999)"),
              "%s", msg);
    /* a hidden test says it without its inputs */
    const char *hidden = student_message(r, "gradient_check/8");
    cr_expect(strstr(hidden, "your gradient_check calls forward_propagation with other arguments than the solution "
                             "does") != NULL, "%s", hidden);
    cr_expect(strstr(hidden, "2.5") == NULL && strstr(hidden, "1.5") == NULL, "%s", hidden);
    cJSON_Delete(r);
}

/* J_plus = forward_propagation(x + epsilon, theta) and dtheta taken with the
 * arguments swapped: right on J = theta x (symmetric), wrong on every seeded
 * test, and the trace names the mistake. */
Test(substitution, perturbing_x_instead_of_theta_gets_the_trace_hint)
{
    static const char *const edits[][2] = {
        {"    double theta_plus = theta + epsilon;\n    double theta_minus = theta - epsilon;\n"
         "    double J_plus = forward_propagation(x, theta_plus);\n"
         "    double J_minus = forward_propagation(x, theta_minus);",
         "    double x_plus = x + epsilon;\n    double x_minus = x - epsilon;\n"
         "    double J_plus = forward_propagation(x_plus, theta);\n"
         "    double J_minus = forward_propagation(x_minus, theta);"},
        {"    double grad = backward_propagation(x, theta);", "    double grad = backward_propagation(theta, x);"},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("perturbs-x", edits), NULL);
    cr_expect_str_eq(status(r, "gradient_check/4"), "failed");
    cr_expect_str_eq(status(r, "gradient_check/6"), "failed");
    cr_expect_leq(tu_score(r, "gradient_check"), 6);
    const char *msg = tu_message(r, "gradient_check/4");
    cr_expect(strstr(msg, "your gradient_check called forward_propagation with x = -1.4999999: it perturbs x "
                          "instead of theta") != NULL, "%s", msg);
    cr_expect(strstr(msg, "your gradient_check called backward_propagation with (x = 2.0, theta = -1.5); "
                          "the solution calls it with (x = -1.5, theta = 2.0)") != NULL, "%s", msg);
    const char *hidden = student_message(r, "gradient_check/8");
    cr_expect(strstr(hidden, "your gradient_check perturbs x instead of theta when it calls forward_propagation"),
              "%s", hidden);
    cr_expect(strstr(hidden, "2.5000001") == NULL && strstr(hidden, "-0.5") == NULL, "%s", hidden);
    cr_expect(strstr(tu_message(r, "gradient_check/8"), "x = 2.5000001") != NULL, "the instructor sees the values: %s",
              tu_message(r, "gradient_check/8"));
    cJSON_Delete(r);
}

/* (grad - gradapprox) / (grad + gradapprox): the sign survives, which noise
 * hid; a seeded backward_propagation with grad below gradapprox shows it. */
Test(substitution, dropping_both_norms_loses_points)
{
    static const char *const edits[][2] = {
        {"    double numerator = gc_norm_scalar(grad - gradapprox);\n"
         "    double denominator = gc_norm_scalar(grad) + gc_norm_scalar(gradapprox);",
         "    double numerator = grad - gradapprox;\n    double denominator = grad + gradapprox;"},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("no-norms", edits), NULL);
    cr_expect_str_eq(status(r, "gradient_check/4"), "failed");
    cr_expect_str_eq(status(r, "gradient_check/6"), "failed");
    cr_expect(strstr(tu_message(r, "gradient_check/4"), "got -0.49999999994139444") != NULL, "%s",
              tu_message(r, "gradient_check/4"));
    cr_expect_leq(tu_score(r, "gradient_check"), 6);
    cJSON_Delete(r);
}

/* J computed inline instead of calling forward_propagation: the seeded model
 * catches it, and the trace says why. */
Test(substitution, not_calling_forward_propagation_is_named)
{
    static const char *const edits[][2] = {
        {"    double J_plus = forward_propagation(x, theta_plus);\n"
         "    double J_minus = forward_propagation(x, theta_minus);",
         "    double J_plus = theta_plus * x;\n    double J_minus = theta_minus * x;"},
        {NULL, NULL}};
    cJSON *r = tu_grade(tu_submission_from_reference("no-forward-call", edits), NULL);
    cr_expect_str_eq(status(r, "gradient_check/6"), "failed");
    cr_expect(strstr(student_message(r, "gradient_check/6"), "calls: your gradient_check does not call "
                                                             "forward_propagation") != NULL,
              "%s", student_message(r, "gradient_check/6"));
    cr_expect_str_eq(status(r, "gradient_check/4"), "passed", "the linear model cannot tell");
    cJSON_Delete(r);
}

/* The reference passes every substituted test, and no hint is given. */
Test(substitution, the_reference_passes_with_every_substitute)
{
    cJSON *r = tu_grade("reference/gradient_check", NULL);
    cr_expect_eq(tu_score(r, ""), 50);
    cJSON_Delete(r);
}

/* ---- the catalogue and the object preparation ------------------------------------- */

Test(substitution, catalogue_is_read_from_the_substitutes_object)
{
    objcheck_info info;
    hr_error err;
    cr_assert_eq(objcheck_read(SUBSTITUTES, &info, &err), 0, "%s", err.msg);
    cJSON *cat;
    cr_assert_eq(subst_catalogue(&info, &cat, &err), 0, "%s", err.msg);
    char *text = cJSON_PrintUnformatted(cat);
    cr_expect_str_eq(text, "{\"forward_propagation\":[\"reference\",\"j_theta_squared_x\",\"j_theta_cubed_x\"],"
                           "\"backward_propagation\":[\"reference\",\"dtheta_x_plus_1\",\"dtheta_2x\","
                           "\"dtheta_theta\",\"dtheta_x_minus_1\"]}");
    /* the rubric's checks against it */
    cJSON *ok = cJSON_Parse("{\"forward_propagation\":\"reference\",\"backward_propagation\":\"own\"}");
    cJSON *bad = cJSON_Parse("{\"backward_propagation\":\"dtheta_x_plus_2\"}");
    cJSON *self = cJSON_Parse("{\"forward_propagation\":\"reference\"}");
    cr_expect_eq(subst_check_calls(ok, cat, "gradient_check", &err), 0, "%s", err.msg);
    cr_expect_neq(subst_check_calls(bad, cat, "gradient_check", &err), 0);
    cr_expect(strstr(err.msg, "unknown backward_propagation 'dtheta_x_plus_2'") != NULL, "%s", err.msg);
    cr_expect_neq(subst_check_calls(self, cat, "forward_propagation", &err), 0);
    cr_expect(strstr(err.msg, "function under test") != NULL, "%s", err.msg);
    /* the pack carries the same catalogue */
    pack p;
    cr_assert_eq(pack_load(PACK, &p, &err), 0, "%s", err.msg);
    cr_expect(cJSON_Compare(p.substitutes, cat, 1), "the pack's catalogue is not the substitutes'");
    cr_expect_str_eq(p.substitutable[0], "forward_propagation");
    cr_expect_str_eq(p.substitutable[1], "backward_propagation");
    cr_expect_null(p.substitutable[2]);
    pack_free(&p);
    cJSON_Delete(ok);
    cJSON_Delete(bad);
    cJSON_Delete(self);
    free(text);
    cJSON_Delete(cat);
    objcheck_free(&info);
}

/* The options name each function's own section and offset; a function the
 * object does not define is left alone. */
Test(substitution, objcopy_options_weaken_and_rename)
{
    static const char *const edits[][2] = {{"double J = theta * x;", "double J = 3 * theta * x;"}, {NULL, NULL}};
    char *dir = tu_submission_from_reference("options", edits);
    cr_assert(calls_forward(dir, true));
    char obj[4200];
    snprintf(obj, sizeof obj, "%s/pic.o", dir);
    objcheck_info info;
    hr_error err;
    cr_assert_eq(objcheck_read(obj, &info, &err), 0, "%s", err.msg);
    const char *const functions[] = {"forward_propagation", "not_in_the_file", NULL};
    char *text = subst_objcopy_options(&info, functions, true, &err);
    cr_assert_not_null(text, "%s", err.msg);
    cr_expect_str_eq(text, "--weaken-symbol='forward_propagation'\n"
                           "--add-symbol='__subst_own_forward_propagation=.text.forward_propagation:0x0,global,function'\n"
                           "--keep-global-symbol='__subst_own_forward_propagation'\n");
    free(text);
    const char *const odd[] = {"x;rm", NULL};
    cr_expect_null(subst_objcopy_options(&info, odd, false, &err), "a name that is not an identifier");
    objcheck_free(&info);
}

/* A request naming a variant the catalogue lacks is the request's fault. */
Test(substitution, runner_refuses_an_unknown_variant)
{
    char *dir = tu_tmpdir("unknown-variant");
    const char *req = "{\"test\": \"t\", \"function\": \"gradient_check\", \"inputs\": {\"x\": 2, \"theta\": 4, "
                      "\"epsilon\": 1e-7, \"print_msg\": false}, \"lockdown\": false, "
                      "\"calls\": {\"backward_propagation\": \"nope\"}}";
    char *path = tu_write(dir, "req.json", req, strlen(req));
    char *cmd;
    cr_assert_gt(asprintf(&cmd, "%s/reference-runner < %s 3>&1 >/dev/null", TU_ASSIGNMENT, path), 0);
    const char *const argv[] = {"/bin/sh", "-c", cmd, NULL};
    tu_result r = tu_run(argv);
    cr_expect(strstr(r.out, "\"status\":\"bad_inputs\"") && strstr(r.out, "not in the catalogue"), "%s", r.out);
    tu_result_free(&r);
    free(cmd);
}

/* ---- the trace: untrusted, bounded, feedback only ---------------------------------- */

static int read_doc(const char *text, protocol_result *pr, hr_error *err)
{
    return protocol_read_result(text, strlen(text), "t", pr, err);
}

static char *result_with_trace(const char *trace)
{
    char *text;
    cr_assert_gt(asprintf(&text, "{\"test\": \"t\", \"status\": \"returned\", \"return\": 0.5, \"trace\": %s}", trace), 0);
    return text;
}

/* n calls of f(x = 1), as a trace with total calls */
static char *calls(size_t n, unsigned long total)
{
    size_t cap = 64 + n * 64, len = 0;
    char *t = malloc(cap);
    len += (size_t)snprintf(t + len, cap - len, "{\"total\": %lu, \"calls\": [", total);
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(t + len, cap - len, "%s{\"function\": \"f\", \"args\": {\"x\": 1}}", i ? "," : "");
    snprintf(t + len, cap - len, "]}");
    return t;
}

Test(substitution, trace_parsing_is_fail_closed_and_bounded)
{
    protocol_result pr;
    hr_error err;
    char *full = calls(PROTOCOL_TRACE_CALLS, 1000), *over = calls(PROTOCOL_TRACE_CALLS + 1, 1000);
    char *good = result_with_trace(full), *toomany = result_with_trace(over);
    cr_expect_eq(read_doc(good, &pr, &err), 0, "%s", err.msg);
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(pr.trace, "calls")), PROTOCOL_TRACE_CALLS);
    protocol_result_free(&pr);
    cr_expect_neq(read_doc(toomany, &pr, &err), 0, "more calls than the limit");
    static const char *const bad[] = {
        "[]", "{}", "{\"total\": 1}", "{\"total\": 1, \"calls\": []", "{\"total\": -1, \"calls\": []}",
        "{\"total\": 1.5, \"calls\": []}", "{\"total\": 1e12, \"calls\": []}", "{\"total\": \"1\", \"calls\": []}",
        "{\"total\": 0, \"calls\": [{\"function\": \"f\", \"args\": {}}]}",            /* fewer in all than listed */
        "{\"total\": 1, \"calls\": {}}", "{\"total\": 1, \"calls\": [1]}",
        "{\"total\": 1, \"calls\": [{\"function\": \"f x\", \"args\": {}}]}",
        "{\"total\": 1, \"calls\": [{\"function\": \"\", \"args\": {}}]}",
        "{\"total\": 1, \"calls\": [{\"function\": \"9f\", \"args\": {}}]}",
        "{\"total\": 1, \"calls\": [{\"function\": \"\\u001b[2Jf\", \"args\": {}}]}",
        "{\"total\": 1, \"calls\": [{\"function\": \"f\", \"args\": {\"x\": \"2\"}}]}",
        "{\"total\": 1, \"calls\": [{\"function\": \"f\", \"args\": {\"x y\": 2}}]}",
        "{\"total\": 1, \"calls\": [{\"function\": \"f\", \"args\": [2]}]}",
        "{\"total\": 1, \"calls\": [{\"function\": \"f\", \"args\": {}, \"more\": 1}]}",
        "{\"total\": 1, \"calls\": [], \"more\": 1}",
        "{\"total\": 1, \"calls\": [{\"function\": \"f\", \"args\": {\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,"
        "\"f\":6,\"g\":7,\"h\":8,\"i\":9}}]}",
        "{\"total\": 1, \"calls\": [{\"function\": \"fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
        "fffff\", \"args\": {}}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *doc = result_with_trace(bad[i]);
        cr_expect_neq(read_doc(doc, &pr, &err), 0, "accepted the trace %s", bad[i]);
        cr_expect_null(pr.trace);
        cr_expect_null(pr.ret, "a garbled trace makes the whole result garbled");
        free(doc);
    }
    /* NaN and infinities are numbers here, as in return values */
    char *nan = result_with_trace("{\"total\": 1, \"calls\": [{\"function\": \"f\", \"args\": {\"x\": \"nan\"}}]}");
    cr_expect_eq(read_doc(nan, &pr, &err), 0, "%s", err.msg);
    protocol_result_free(&pr);
    /* a missing callee: its name is checked too */
    cr_expect_eq(read_doc("{\"test\": \"t\", \"status\": \"missing\", \"lacking\": \"forward_propagation\"}", &pr, &err), 0);
    cr_expect_str_eq(pr.lacking, "forward_propagation");
    cr_expect_neq(read_doc("{\"test\": \"t\", \"status\": \"missing\", \"lacking\": \"rm -rf\"}", &pr, &err), 0);
    free(nan);
    free(good);
    free(toomany);
    free(full);
    free(over);
}

/* The trace is read for feedback after the score is settled: a trace copied
 * from the reference does not make a wrong value pass, and a garbage or absent
 * trace does not make a right value fail. */
Test(substitution, a_forged_trace_cannot_change_a_score)
{
    pack p;
    hr_error err;
    cr_assert_eq(pack_load(PACK, &p, &err), 0, "%s", err.msg);
    size_t e = 0;
    while (strcmp(p.rubric.exercises[e].id, "gradient_check") != 0)
        e++;
    const rubric_test *t = &p.rubric.exercises[e].tests[3];
    const pack_case *c = &p.cases[e][3];
    cr_assert_str_eq(c->id, "gradient_check/4");
    cr_assert_not_null(t->calls);
    const cJSON *perfect = jsonio_get(c->expected, "trace");
    cr_assert_not_null(perfect, "the pack keeps the reference's trace");
    double expected;
    cr_assert_eq(jsonio_get_double(jsonio_get(c->expected, "return"), &expected), 0);
    const cJSON *garbage = cJSON_Parse("{\"total\": 3, \"calls\": [{\"function\": \"gradient_check\", "
                                       "\"args\": {\"score\": 50}}]}");
    const cJSON *traces[] = {perfect, garbage, NULL};
    for (int right = 0; right <= 1; right++)
        for (size_t k = 0; k < 3; k++) {
            observation obs = {.kind = OBS_RETURNED, .ret = jsonio_double(right ? expected : 0.2),
                               .trace = traces[k] ? cJSON_Duplicate(traces[k], 1) : NULL};
            score_test st;
            score_observed(&p.rubric, t, c, &obs, &st);
            cr_expect_eq(st.passed, right, "trace %zu changed the verdict", k);
            cr_expect_eq(st.score, right ? t->points : 0, "trace %zu changed the score", k);
            /* the explanation reads it, and still changes nothing */
            score_exercise ex = {&p.rubric.exercises[e], 0, 0, &st, 1};
            explain_failures(&p, &ex, 1);
            score_sum(&ex);
            cr_expect_eq(ex.score, right ? t->points : 0);
            cr_expect(strstr(st.message, "score") == NULL, "a forged name reached the report: %s", st.message);
            score_test_free(&st);
            observation_free(&obs);
        }
    cJSON_Delete((cJSON *)garbage);
    pack_free(&p);
}
