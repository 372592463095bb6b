/*
 * report_platforms — see report_platforms.h.
 *
 * Three platforms, one set of texts. What a student must read first (the file
 * did not compile, was refused, or the grader failed) and what each test says
 * are written once here, then laid out in each platform's shape: Gradescope
 * and PrairieLearn show tests one by one, Coursera shows one text. A test's
 * words are always score_test.message, which score.c writes so that a hidden
 * test never tells its inputs or expected value; what a hidden test printed is
 * left out as well, since student code can print its own inputs.
 *
 * Texts grow in a small buffer (rp_text) because compiler messages have no
 * useful bound short of the build's cap.
 */
#include "report_platforms.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"

/* ---- texts ---------------------------------------------------------------- */

typedef struct {
    char *s;
    size_t len, cap;
    bool failed;          /* out of memory: the document is not built */
} rp_text;

static void rp_add(rp_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void rp_add(rp_text *t, const char *fmt, ...)
{
    if (t->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || t->len + (size_t)n + 1 > t->cap) {
        size_t cap = n < 0 ? 0 : (t->len + (size_t)n + 1) * 2;
        char *s = cap ? realloc(t->s, cap) : NULL;
        if (!s) {
            t->failed = true;
            return;
        }
        t->s = s;
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

/* Every line of text, after pad. */
static void rp_add_indented(rp_text *t, const char *text, const char *pad)
{
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        int n = (int)(nl ? (size_t)(nl - p) : strlen(p));
        rp_add(t, "%s%.*s\n", pad, n, p);
        p += n + (nl ? 1 : 0);
    }
}

/* Printed text without ANSI colour sequences (the notebook's messages are
 * coloured; platforms show the escapes as junk). */
static void rp_add_plain(rp_text *t, const char *text)
{
    for (const char *p = text; *p;) {
        if (p[0] == '\033' && p[1] == '[') {
            p += 2;
            while (*p && !(*p >= '@' && *p <= '~'))
                p++;
            p += *p != '\0';
            continue;
        }
        size_t n = strcspn(p, "\033");
        n += n == 0;   /* a lone ESC */
        rp_add(t, "%.*s", (int)n, p);
        p += n;
    }
}

/* A new object at the end of array (NULL when memory ran out). */
static cJSON *append_object(cJSON *array)
{
    cJSON *o = cJSON_CreateObject();
    if (o && !cJSON_AddItemToArray(array, o)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Moves t into obj[key] (as "" when t is empty). False when memory ran out. */
static bool rp_put(cJSON *obj, const char *key, rp_text *t)
{
    bool ok = !t->failed && cJSON_AddStringToObject(obj, key, t->s ? t->s : "") != NULL;
    free(t->s);
    memset(t, 0, sizeof *t);
    return ok;
}

/* ---- what every platform says ------------------------------------------------ */

static bool is_hidden(const score_test *st)
{
    return st->test->visibility != RUBRIC_VISIBLE;
}

/* Tests that did not run because the grader failed, not the student. */
static size_t grader_faults(const grade_result *g)
{
    size_t n = 0;
    for (size_t e = 0; e < g->nexercises; e++)
        for (size_t t = 0; t < g->exercises[e].ntests; t++)
            n += g->exercises[e].tests[t].ran && g->exercises[e].tests[t].ended == OBS_HARNESS_FAULT;
    return n;
}

/* A one-line headline: what happened to the submission as a whole. */
static const char *headline(const grade_result *g)
{
    switch (g->build.status) {
    case BUILD_COMPILE_ERROR:
        return "Your file did not compile, so none of the tests could run: every test scores 0.";
    case BUILD_NOT_ACCEPTED:
        return "Your submission was not accepted, so none of the tests could run: every test scores 0.";
    case BUILD_REFUSED:
        return "Your file compiled but was refused, so none of the tests could run: every test scores 0.";
    case BUILD_OK:
        break;
    }
    if (grader_faults(g))
        return "Some tests could not run because the grader itself failed. This is not a mistake in "
               "your code: please tell your instructor.";
    return "Your file compiled and the tests ran; each test says how it went.";
}

/* The headline, then why in full (the compiler's words), notes and warnings. */
static void overview(rp_text *t, const grade_result *g)
{
    const build_result *b = &g->build;
    rp_add(t, "%s\n", headline(g));
    if (b->status != BUILD_OK) {
        rp_add(t, "\n%s\n", b->status == BUILD_COMPILE_ERROR ? "The compiler said:" : "Why:");
        rp_add_indented(t, b->message ? b->message : "(no message)", "    ");
    }
    size_t faults = grader_faults(g);
    if (b->status == BUILD_OK && faults)
        rp_add(t, "\n%zu test%s could not run because of the grader's fault; each says so below.\n", faults,
               faults == 1 ? "" : "s");
    if (b->note)
        rp_add(t, "\nNote: %s\n", b->note);
    if (b->warnings) {
        rp_add(t, "\nCompiler warnings (they cost no points, but often point at a mistake):\n");
        rp_add_indented(t, b->warnings, "    ");
    }
}

/* One test for a student: its safe message, and what it printed unless it
 * is hidden (student code may print a hidden test's inputs). */
static void test_text(rp_text *t, const score_test *st)
{
    rp_add(t, "%s", st->passed ? "passed" : st->message);
    if (st->output && *st->output && !is_hidden(st)) {
        rp_add(t, "\n\nWhat your code printed:\n");
        rp_add_plain(t, st->output);
    }
}

/* The name a student reads: a hidden test's rubric name may describe its
 * inputs (the kit keeps it secret too), so it is "hidden test K", K counting
 * the exercise's hidden tests in rubric order. */
static char *test_name(const score_exercise *se, const score_test *st)
{
    char *name;
    if (!is_hidden(st))
        return asprintf(&name, "%s: %s", se->exercise->id, st->test->name) < 0 ? NULL : name;
    size_t k = 1;
    for (const score_test *o = se->tests; o < st; o++)
        k += is_hidden(o);
    return asprintf(&name, "%s: hidden test %zu", se->exercise->id, k) < 0 ? NULL : name;
}

/* Hidden tests, and how many of them passed. */
static size_t hidden_tests(const grade_result *g, size_t *passed)
{
    size_t n = 0;
    *passed = 0;
    for (size_t e = 0; e < g->nexercises; e++)
        for (size_t t = 0; t < g->exercises[e].ntests; t++)
            if (is_hidden(&g->exercises[e].tests[t])) {
                n++;
                *passed += g->exercises[e].tests[t].passed;
            }
    return n;
}

/* The total, and the hidden tests in words that show none of their inputs or
 * values: a student always knows where they stand. */
static void totals(rp_text *t, const pack *p, const grade_result *g)
{
    char a[32], b[32];
    size_t passed, hidden = hidden_tests(g, &passed);
    rp_add(t, "Total: %s/%s points.", report_points(g->score, a), report_points(p->rubric.total, b));
    if (hidden && g->build.status == BUILD_OK)
        rp_add(t, " %zu of the tests %s hidden (they count like the others; their inputs and expected "
                  "values are not shown): %zu passed, %zu failed.", hidden, hidden == 1 ? "is" : "are", passed,
               hidden - passed);
    else if (hidden)
        rp_add(t, " %zu of the tests %s hidden; they could not run either.", hidden, hidden == 1 ? "is" : "are");
    rp_add(t, "\n\n");
}

/* Points as JSON: whole numbers as integers, anything else exact. */
static cJSON *points(double v)
{
    return v == floor(v) && fabs(v) < 1e15 ? cJSON_CreateNumber(v) : jsonio_double(v);
}

static double fraction(double score, double max)
{
    double f = max > 0 ? score / max : 0;
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* ---- Gradescope -------------------------------------------------------------- */

/* Every test is "visible": Gradescope hides the student's total while any
 * test is hidden (or before the due date, after_due_date), so a rubric's
 * hidden test is shown by its safe name and words instead (its message never
 * holds its inputs or expected value, and what it printed is left out). */
static bool gradescope_test(cJSON *tests, size_t e, size_t i, const score_exercise *se)
{
    const score_test *st = &se->tests[i];
    cJSON *o = append_object(tests);
    if (!o)
        return false;
    char *name = test_name(se, st), number[48];
    snprintf(number, sizeof number, "%zu.%zu", e + 1, i + 1);
    bool ok = name && cJSON_AddStringToObject(o, "name", name);
    free(name);
    cJSON_AddStringToObject(o, "number", number);
    cJSON_AddItemToObject(o, "score", points(st->score));
    cJSON_AddItemToObject(o, "max_score", points(st->max_score));
    cJSON_AddStringToObject(o, "status", st->passed ? "passed" : "failed");
    cJSON_AddStringToObject(o, "visibility", "visible");
    rp_text out = {0};
    test_text(&out, st);
    return rp_put(o, "output", &out) && ok;
}

cJSON *report_gradescope(const pack *p, const grade_result *g)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    cJSON_AddItemToObject(doc, "score", points(g->score));
    /* milliseconds are plenty; more digits only look precise */
    jsonio_add_double(doc, "execution_time", round(g->seconds * 1000) / 1000);
    rp_text out = {0};
    totals(&out, p, g);
    overview(&out, g);
    bool ok = rp_put(doc, "output", &out);
    cJSON_AddStringToObject(doc, "output_format", "text");
    cJSON_AddStringToObject(doc, "visibility", "visible");
    /* run_autograder's stdout is the staff's log */
    cJSON_AddStringToObject(doc, "stdout_visibility", "hidden");
    cJSON *tests = cJSON_AddArrayToObject(doc, "tests");
    for (size_t e = 0; ok && tests && e < g->nexercises; e++)
        for (size_t i = 0; ok && i < g->exercises[e].ntests; i++)
            ok = gradescope_test(tests, e, i, &g->exercises[e]);
    if (!ok || !tests) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* ---- PrairieLearn -------------------------------------------------------------- */

static bool prairielearn_test(cJSON *tests, const score_exercise *se, const score_test *st)
{
    cJSON *o = append_object(tests);
    if (!o)
        return false;
    char *name = test_name(se, st);
    bool ok = name && cJSON_AddStringToObject(o, "name", name);
    free(name);
    cJSON_AddStringToObject(o, "description",
                            se->exercise->title ? se->exercise->title : se->exercise->id);
    cJSON_AddItemToObject(o, "points", points(st->score));
    cJSON_AddItemToObject(o, "max_points", points(st->max_score));
    cJSON_AddStringToObject(o, "message", st->passed ? "passed" : st->message);
    /* what it printed, unless hidden: the message is already above */
    rp_text printed = {0};
    if (st->output && !is_hidden(st))
        rp_add_plain(&printed, st->output);
    return rp_put(o, "output", &printed) && ok;
}

cJSON *report_prairielearn(const pack *p, const grade_result *g)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    size_t faults = grader_faults(g);
    /* a file that did not compile, was refused or not accepted costs no
     * attempt, as with PrairieLearn's own C grader; nor does the grader's fault */
    bool built = g->build.status == BUILD_OK, gradable = built && faults == 0;
    cJSON_AddBoolToObject(doc, "gradable", gradable);
    jsonio_add_double(doc, "score", fraction(g->score, p->rubric.total));
    rp_text msg = {0}, out = {0};
    rp_add(&msg, "%s\n", headline(g));
    if (gradable)
        totals(&msg, p, g);
    else if (!built)
        rp_add(&msg, "This submission is not counted and costs you no attempt: fix it and submit again.");
    else
        rp_add(&msg, "This submission is not counted: the grader failed on %zu test%s.", faults,
               faults == 1 ? "" : "s");
    overview(&out, g);
    bool ok = rp_put(doc, "message", &msg) && rp_put(doc, "output", &out);
    if (!gradable) {
        cJSON *errors = cJSON_AddArrayToObject(doc, "format_errors");
        if (!built) {
            rp_text why = {0};
            rp_add(&why, "%s\n", headline(g));
            rp_add_indented(&why, g->build.message ? g->build.message : "(no message)", "    ");
            cJSON_AddItemToArray(errors, cJSON_CreateString(why.s ? why.s : headline(g)));
            free(why.s);
        } else {
            cJSON_AddItemToArray(errors, cJSON_CreateString("The grader failed while running your code; "
                                                            "this is not a mistake in your code."));
        }
    }
    cJSON *tests = cJSON_AddArrayToObject(doc, "tests");
    for (size_t e = 0; ok && tests && e < g->nexercises; e++)
        for (size_t i = 0; ok && i < g->exercises[e].ntests; i++)
            ok = prairielearn_test(tests, &g->exercises[e], &g->exercises[e].tests[i]);
    if (!ok || !tests) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

/* ---- Coursera ------------------------------------------------------------------ */

static const rubric_part *find_part(const rubric *r, const char *id)
{
    for (size_t i = 0; id && i < r->nparts; i++)
        if (!strcmp(r->parts[i].id, id))
            return &r->parts[i];
    return NULL;
}

bool report_part_known(const rubric *r, const char *part)
{
    return !part || find_part(r, part);
}

/* Is the exercise graded in this part? NULL part, or a part of "all": yes. */
static bool part_has(const rubric_part *part, const char *exercise)
{
    if (!part || !part->exercises)
        return true;
    for (char **e = part->exercises; *e; e++)
        if (!strcmp(*e, exercise))
            return true;
    return false;
}

static cJSON *coursera_doc(double fractional, rp_text *feedback)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc || !jsonio_add_double(doc, "fractionalScore", fractional) ||
        !rp_put(doc, "feedback", feedback)) {
        free(feedback->s);
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

static cJSON *coursera_unknown_part(const rubric *r, const char *part)
{
    rp_text t = {0};
    if (!*part)
        rp_add(&t, "This submission could not be graded: Coursera did not say which part of the "
                   "assignment it is for (the partId is empty).");
    else
        rp_add(&t, "This submission could not be graded: this grader has no part \"%s\".", part);
    rp_add(&t, " This is a problem in how the course is set up, not in your code: please tell the "
               "course staff. (Parts this grader knows:");
    for (size_t i = 0; i < r->nparts; i++)
        rp_add(&t, "%s %s", i ? "," : "", r->parts[i].id);
    rp_add(&t, "%s)\n", r->nparts ? "" : " none");
    return coursera_doc(0, &t);
}

/* One exercise of the part: its score, then each test with its words. */
static void coursera_exercise(rp_text *t, const score_exercise *se)
{
    char a[32], b[32];
    rp_add(t, "\n%s (%s): %s/%s points\n", se->exercise->id,
           se->exercise->title ? se->exercise->title : se->exercise->id, report_points(se->score, a),
           report_points(se->exercise->points, b));
    for (size_t i = 0; i < se->ntests; i++) {
        const score_test *st = &se->tests[i];
        char *name = test_name(se, st);
        const char *shown = name ? strchr(name, ':') + 2 : "?";
        rp_add(t, "  %s  %s (%s/%s)\n", st->passed ? "passed" : st->not_attempted ? "not attempted (optional)"
               : "FAILED", shown, report_points(st->score, a), report_points(st->max_score, b));
        free(name);
        if (st->passed || st->not_attempted)
            continue;
        rp_text words = {0};
        test_text(&words, st);
        rp_add_indented(t, words.failed ? "(out of memory)" : words.s, "          ");
        free(words.s);
    }
}

cJSON *report_coursera(const pack *p, const grade_result *g, const char *part)
{
    const rubric *r = &p->rubric;
    const rubric_part *rp = find_part(r, part);
    if (part && !rp)
        return coursera_unknown_part(r, part);
    if (!g)
        return NULL;
    double score = 0, max = 0;
    size_t tests = 0, passed = 0;
    for (size_t e = 0; e < g->nexercises; e++)
        if (part_has(rp, g->exercises[e].exercise->id)) {
            score += g->exercises[e].score;
            max += g->exercises[e].exercise->points;
            for (size_t t = 0; t < g->exercises[e].ntests; t++, tests++)
                passed += g->exercises[e].tests[t].passed;
        }
    /* a part worth no points (an optional exercise) scores the share of its
     * tests passed: Coursera needs a fraction, and 0 would read as a failure */
    double frac = max > 0 ? fraction(score, max) : tests ? (double)passed / (double)tests : 0;
    char a[32], b[32];
    rp_text t = {0};
    rp_add(&t, "%s%s%s: %s/%s points.\n\n", r->title ? r->title : r->assignment, part ? ", part " : "",
           part ? part : "", report_points(score, a), report_points(max, b));
    overview(&t, g);
    for (size_t e = 0; e < g->nexercises; e++)
        if (part_has(rp, g->exercises[e].exercise->id))
            coursera_exercise(&t, &g->exercises[e]);
    return coursera_doc(frac, &t);
}

/* ---- shared entry points --------------------------------------------------------- */

bool report_is_platform(report_format fmt)
{
    return fmt == REPORT_GRADESCOPE || fmt == REPORT_PRAIRIELEARN || fmt == REPORT_COURSERA;
}

cJSON *report_platform_fault(report_format fmt, const char *why)
{
    rp_text msg = {0};
    rp_add(&msg, "Your submission could not be graded because the grader itself failed (%s). This is "
                 "not a mistake in your code. Please submit again later; if it happens again, tell "
                 "your instructor.", why && *why ? why : "no reason given");
    cJSON *doc = NULL;
    switch (fmt) {
    case REPORT_COURSERA:
        return coursera_doc(0, &msg);
    case REPORT_GRADESCOPE:
        doc = cJSON_CreateObject();
        cJSON_AddNumberToObject(doc, "score", 0);
        cJSON_AddStringToObject(doc, "stdout_visibility", "hidden");
        cJSON_AddArrayToObject(doc, "tests");
        if (!rp_put(doc, "output", &msg))
            break;
        return doc;
    case REPORT_PRAIRIELEARN:
        doc = cJSON_CreateObject();
        cJSON_AddBoolToObject(doc, "gradable", false);
        cJSON_AddNumberToObject(doc, "score", 0);
        cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "format_errors"),
                             cJSON_CreateString(msg.s ? msg.s : "the grader failed"));
        cJSON_AddArrayToObject(doc, "tests");
        if (!rp_put(doc, "message", &msg))
            break;
        return doc;
    case REPORT_TEXT:
    case REPORT_JSON:
        break;
    }
    free(msg.s);
    cJSON_Delete(doc);
    return NULL;
}

static int print_doc(FILE *out, cJSON *doc, hr_error *err)
{
    if (!doc)
        return hr_fail(err, "cannot build the report (out of memory?)");
    int rc = jsonio_print(out, doc);
    cJSON_Delete(doc);
    return rc != 0 || ferror(out) ? hr_fail(err, "cannot write the report") : 0;
}

void report_platform_staff_log(FILE *log, const grade_result *g)
{
    if (!g)
        return;
    fprintf(log, "grader: %s: %s; isolation: %s\n", g->submission ? g->submission : "?", grade_status(g),
            g->isolation[0] ? g->isolation : "(none reached: nothing ran)");
    if (g->memory.ran)
        fprintf(log, "grader: memory checks ran: %zu finding%s\n", g->memory.nfindings,
                g->memory.nfindings == 1 ? "" : "s");
    else
        fprintf(log, "grader: memory checks did not run: %s\n",
                g->memory.note[0] ? g->memory.note : "(no reason given)");
    size_t faults = grader_faults(g);
    if (faults)
        fprintf(log, "grader: GRADER FAULT in %zu test%s (not the student's doing)\n", faults,
                faults == 1 ? "" : "s");
}

int report_platform_write(FILE *out, report_format fmt, const pack *p, const grade_result *g,
                          const char *part, hr_error *err)
{
    report_platform_staff_log(stderr, g);
    size_t faults = g ? grader_faults(g) : 0;
    if (faults)   /* the platform's fault path: exit 1, the wrapper says it its way */
        return hr_fail(err, "the grader failed on %zu test%s of this submission (a fault of the grader, "
                            "not of the submission)", faults, faults == 1 ? "" : "s");
    switch (fmt) {
    case REPORT_COURSERA:
        return print_doc(out, report_coursera(p, g, part), err);
    case REPORT_GRADESCOPE:
        return print_doc(out, report_gradescope(p, g), err);
    case REPORT_PRAIRIELEARN:
        return print_doc(out, report_prairielearn(p, g), err);
    default:
        return hr_fail(err, "not a platform format");
    }
}

int report_platform_fault_write(FILE *out, report_format fmt, const char *why, hr_error *err)
{
    if (!report_is_platform(fmt))
        return hr_fail(err, "a grader-fault report exists only for the platform formats");
    return print_doc(out, report_platform_fault(fmt, why), err);
}
