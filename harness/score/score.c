/* score — see score.h. */
#include "score.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_tree.h"
#include "jsonio.h"
#include "pyfloat.h"
#include "safetext.h"

/* How much of a test's output a report keeps. */
#define SCORE_OUTPUT_KEEP 2048

static bool as_handed_out(const score_test *t, const cJSON *ret, const char *out);

cmp_verdict_rule score_rule(const rubric_verdict *v)
{
    return (cmp_verdict_rule){v->threshold, v->above, v->below};
}

/* Both texts, made safe (a comparison may quote what the student printed)
 * and cut on a character boundary. */
static void set_both(score_test *out, const char *fmt_student, const char *detail)
{
    safetext_copy(out->message, sizeof out->message, fmt_student);
    safetext_copy(out->detail, sizeof out->detail, detail);
}

/* A hidden test says what kind of failure it was, never its numbers. */
static void fail_value(score_test *out, const rubric_test *t, const char *kind, const char *detail)
{
    if (t->visibility == RUBRIC_VISIBLE) {
        set_both(out, detail, detail);
        return;
    }
    char safe[512];
    snprintf(safe, sizeof safe, "%s (hidden test: its inputs and expected value are not shown)", kind);
    set_both(out, safe, detail);
}

/* What the test printed, as printed (for the comparison of messages only: the
 * kit compares the same bytes); the safe text when no raw capture is kept. */
static const char *printed(const observation *obs)
{
    return obs->out_raw ? obs->out_raw : obs->out ? obs->out : "";
}

static void compare_value(const rubric *r, const rubric_test *t, const pack_case *c, double got,
                          double exp, const observation *obs, score_test *out)
{
    char why[CMP_WHY_MAX] = "";
    cmp_verdict_rule rule = score_rule(&r->verdict);
    switch (t->compare.kind) {
    case RUBRIC_EXACT:
        out->passed = cmp_exact(got, exp, why, sizeof why);
        break;
    case RUBRIC_TOLERANCE:
    case RUBRIC_ALLCLOSE:   /* a number: np.isclose */
        out->passed = cmp_close(got, exp, t->compare.rtol, t->compare.atol, why, sizeof why);
        break;
    case RUBRIC_BLOCKS:   /* compared by compare_blocks */
        break;
    case RUBRIC_VERDICT: {
        /* a test that checks the message fails when nothing was printed */
        cmp_output o = {.out = printed(obs), .err = obs->err,
                        .check_message = t->compare.check_message, .silent = t->compare.silent};
        o.has_handed_out = c->as_handed_out &&
                           jsonio_get_double(jsonio_get(c->as_handed_out, "return"), &o.handed_out) == 0;
        o.handed_out_stdout = cJSON_GetStringValue(jsonio_get(c->as_handed_out, "stdout"));
        out->passed = cmp_verdict_output(got, exp, &rule, &o, why, sizeof why);
        snprintf(out->note, sizeof out->note, "%s", out->passed ? o.note : "");
        break;
    }
    }
    if (out->passed)
        set_both(out, "passed", "passed");
    else
        fail_value(out, t, "wrong value", why);
}

void score_render_table(const cJSON *table, bool values, char *out, size_t len)
{
    const cJSON *row;
    const char *title = cJSON_GetStringValue(jsonio_get(table, "title"));
    size_t used = (size_t)snprintf(out, len, "%s: ", title ? title : "table");
    bool first = true;
    cJSON_ArrayForEach(row, jsonio_get(table, "rows")) {
        double v = NAN;
        jsonio_get_double(jsonio_get(row, "value"), &v);
        const char *label = cJSON_GetStringValue(jsonio_get(row, "label"));
        char num[32] = "";
        if (values)
            snprintf(num, sizeof num, " %.2g", v);
        if (used < len)
            used += (size_t)snprintf(out + used, len - used, "%s%s%s %s", first ? "" : ", ",
                                     label ? label : "?", num,
                                     cJSON_IsTrue(jsonio_get(row, "ok")) ? "\u2713" : "\u2717");
        first = false;
    }
}

/* ---- blocks --------------------------------------------------------------- */

/* Frobenius relative difference of two equally shaped lists of rows. */
static int block_difference(const cJSON *a, const cJSON *b, double *rel, double *distance)
{
    double *da, *db;
    size_t ra, ca, rb, cb;
    if (jsonio_get_matrix(a, false, &da, &ra, &ca, NULL) != 0)
        return -1;
    if (jsonio_get_matrix(b, false, &db, &rb, &cb, NULL) != 0 || ra != rb || ca != cb) {
        free(da);
        return -1;
    }
    double diff = 0, na = 0, nb = 0;
    for (size_t i = 0; i < ra * ca; i++) {
        diff += (da[i] - db[i]) * (da[i] - db[i]);
        na += da[i] * da[i];
        nb += db[i] * db[i];
    }
    free(da);
    free(db);
    double den = sqrt(na) + sqrt(nb);
    *distance = sqrt(diff);
    *rel = den == 0 ? 0 : sqrt(diff) / den;
    return 0;
}

/* Compares returned blocks with the reference blocks; builds the table. */
static void compare_blocks(const rubric_test *t, const pack_case *c, const cJSON *got, score_test *out)
{
    const cJSON *ref = jsonio_get(c->annotation, "blocks");
    if (!ref)
        ref = jsonio_get(c->expected, "return");
    cJSON *table = cJSON_CreateObject();
    cJSON_AddStringToObject(table, "title", "your blocks against the numerical gradient");
    cJSON *rows = cJSON_AddArrayToObject(table, "rows");
    const cJSON *block;
    bool all = true, shaped = true;
    cJSON_ArrayForEach(block, ref) {
        double rel = NAN, distance = NAN;
        bool ok = block_difference(jsonio_get(got, block->string), block, &rel, &distance) == 0;
        shaped = shaped && ok;
        ok = ok && (rel <= t->compare.threshold || distance <= t->compare.atol);
        all = all && ok;
        cJSON *row = cJSON_CreateObject();
        cJSON_AddStringToObject(row, "label", block->string);
        jsonio_add_double(row, "value", rel);
        cJSON_AddBoolToObject(row, "ok", ok);
        cJSON_AddItemToArray(rows, row);
    }
    out->passed = all && cJSON_IsObject(got);
    out->table = table;
    char text[1024];
    score_render_table(table, true, text, sizeof text);
    if (out->passed)
        set_both(out, "passed", "passed");
    else if (!shaped)
        set_both(out, "some blocks are missing or have the wrong shape", text);
    else
        set_both(out, text, text);
}

/* ---- structures ------------------------------------------------------------ */

/* A matrix, a group or a tuple against the reference's, element by element
 * (compare_tree.c over compare.c's cmp_matrix, as the kit compares). */
static void compare_structure(const rubric_test *t, const pack_case *c, const cJSON *got, score_test *out)
{
    if (t->compare.kind == RUBRIC_VERDICT) {
        set_both(out, "grader fault: a verdict test on a value that is not a number (tell your instructor)",
                 "the rubric compares a structure with 'verdict': use allclose or exact");
        return;
    }
    cmp_tally tally;
    cmp_tally_init(&tally, t->compare.rtol, t->compare.atol, t->compare.kind == RUBRIC_EXACT);
    ctree_compare(got, jsonio_get(c->expected, "return"), t->compare.keys, &tally);
    out->passed = cmp_tally_ok(&tally);
    if (out->passed) {
        set_both(out, "passed", "passed");
        return;
    }
    char why[CMP_WHY_MAX], members[CMP_WHY_MAX];
    cmp_tally_why(&tally, why, sizeof why);
    cmp_tally_members(&tally, members, sizeof members);
    fail_value(out, t, members, why);
}

static const char *what_ended(const observation *obs, char *buf, size_t len)
{
    switch (obs->kind) {
    case OBS_TIMED_OUT:
        snprintf(buf, len, "timed out after %g s (an endless loop?)", obs->limit_s);
        return buf;
    case OBS_CRASHED:
    case OBS_CPU_LIMIT:
    case OBS_OUTPUT_LIMIT:
    case OBS_EXITED:
    case OBS_NO_RESULT:
    case OBS_MISSING:
        return obs->detail;
    case OBS_HARNESS_FAULT:
        snprintf(buf, len, "grader fault: %s (not your mistake; tell your instructor)", obs->detail);
        return buf;
    default:
        return "returned";
    }
}

void score_observed(const rubric *r, const rubric_test *t, const pack_case *c,
                    const observation *obs, score_test *out)
{
    memset(out, 0, sizeof *out);
    out->id = c->id;
    out->test = t;
    out->max_score = t->points;
    out->ran = true;
    out->ended = obs->kind;
    out->wall_s = obs->wall_s;
    if (obs->out && *obs->out) {
        /* already safe: cut on a character boundary */
        out->output = strndup(obs->out, safetext_fit(obs->out, SCORE_OUTPUT_KEEP));
    }
    double got, exp;
    if (obs->kind != OBS_RETURNED) {
        char buf[768];
        const char *why = what_ended(obs, buf, sizeof buf);
        set_both(out, why, why);
    } else if (t->compare.kind == RUBRIC_BLOCKS) {
        compare_blocks(t, c, obs->ret, out);
    } else if (ctree_is_structure(jsonio_get(c->expected, "return")) || ctree_is_structure(obs->ret)) {
        compare_structure(t, c, obs->ret, out);
        out->got_value = cJSON_Duplicate(obs->ret, 1);
    } else if (jsonio_get_double(obs->ret, &got) != 0) {
        set_both(out, "the function returned something that is not a number",
                 "the runner's return value is not a number");
    } else if (jsonio_get_double(jsonio_get(c->expected, "return"), &exp) != 0) {
        set_both(out, "grader fault: no expected value", "the pack has no expected value for this test");
    } else {
        compare_value(r, t, c, got, exp, obs, out);
    }
    out->kase = c;
    out->returned = obs->kind == OBS_RETURNED && jsonio_get_double(obs->ret, &out->got) == 0;
    cmp_verdict_rule rule = score_rule(&r->verdict);
    out->printed_side = r->has_verdict ? cmp_printed_side(printed(obs), &rule) : -1;
    out->score = out->passed ? t->points : 0;
    /* kept for feedback only, after the score is settled */
    out->trace = t->calls && obs->trace ? cJSON_Duplicate(obs->trace, 1) : NULL;
    out->handed_out = obs->kind == OBS_RETURNED && as_handed_out(out, obs->ret, obs->out);
}

void score_not_run(const rubric_test *t, const pack_case *c, const char *why, score_test *out)
{
    memset(out, 0, sizeof *out);
    out->id = c->id;
    out->kase = c;
    out->test = t;
    out->max_score = t->points;
    out->ended = OBS_MISSING;
    set_both(out, why, why);
}

void score_test_free(score_test *t)
{
    free(t->output);
    cJSON_Delete(t->table);
    cJSON_Delete(t->trace);
    cJSON_Delete(t->got_value);
    t->output = NULL;
    t->table = NULL;
    t->trace = NULL;
    t->got_value = NULL;
}

/* The same JSON value, numbers bit for bit (exact or parsed alike). */
static bool same_json(const cJSON *a, const cJSON *b)
{
    double x, y;
    if (jsonio_get_double(a, &x) == 0 && jsonio_get_double(b, &y) == 0)
        return memcmp(&x, &y, sizeof x) == 0 || (isnan(x) && isnan(y));
    if (cJSON_IsString(a) && cJSON_IsString(b))
        return !strcmp(a->valuestring, b->valuestring);
    bool arrays = cJSON_IsArray(a) && cJSON_IsArray(b), objects = cJSON_IsObject(a) && cJSON_IsObject(b);
    if (!arrays && !objects)
        return false;
    const cJSON *i = a->child, *j = b->child;
    for (; i && j; i = i->next, j = j->next)
        if ((objects && strcmp(i->string ? i->string : "", j->string ? j->string : "") != 0) || !same_json(i, j))
            return false;
    return !i && !j;
}

/* Did t return what the template returns here, as handed out, and print the same? */
static bool as_handed_out(const score_test *t, const cJSON *ret, const char *out)
{
    const cJSON *h = t->kase ? t->kase->as_handed_out : NULL;
    const char *hout = cJSON_GetStringValue(jsonio_get(h, "stdout"));
    return h && ret && same_json(ret, jsonio_get(h, "return")) && !strcmp(out ? out : "", hout ? hout : "");
}

bool score_mark_not_attempted(score_exercise *ex)
{
    if (ex->exercise->points != 0 || ex->ntests == 0)
        return false;
    for (size_t i = 0; i < ex->ntests; i++) {
        const score_test *t = &ex->tests[i];
        bool missing = !t->ran && !strncmp(t->message, "missing:", 8);
        if (t->passed || !(missing || t->handed_out))
            return false;
    }
    for (size_t i = 0; i < ex->ntests; i++) {
        score_test *t = &ex->tests[i];
        t->not_attempted = true;
        /* the handed-out code's table stays, as information */
        char table[1024] = "";
        if (t->table)
            score_render_table(t->table, true, table, sizeof table);
        snprintf(t->message, sizeof t->message, "not attempted (optional)%s%s",
                 table[0] && t->test->visibility == RUBRIC_VISIBLE ? "\n" : "",
                 t->test->visibility == RUBRIC_VISIBLE ? table : "");
        snprintf(t->detail, sizeof t->detail, "not attempted (optional): %s is as handed out, or missing%s%s",
                 t->test->function, table[0] ? "\n" : "", table);
        t->hint[0] = '\0';
    }
    return true;
}

void score_sum(score_exercise *ex)
{
    ex->score = 0;
    ex->max_score = 0;
    for (size_t i = 0; i < ex->ntests; i++) {
        ex->score += ex->tests[i].score;
        ex->max_score += ex->tests[i].max_score;
    }
}
