/* report — see report.h. */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonio.h"

int report_format_parse(const char *name, report_format *out)
{
    static const char *const names[] = {"text", "json", "gradescope", "prairielearn", "coursera"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(name, names[i])) {
            *out = (report_format)i;
            return 0;
        }
    return -1;
}

int report_write(FILE *out, report_format fmt, const pack *p, const grade_result *g, bool color,
                 hr_error *err)
{
    cJSON *doc = NULL;
    switch (fmt) {
    case REPORT_TEXT:
        report_text(out, p, g, color);
        break;
    case REPORT_JSON:
        doc = report_json(p, g);
        break;
    default:   /* the platforms' formats are report_platforms.h's */
        return hr_fail(err, "report_write writes text and json; platform formats go through report_platform_write");
    }
    if (fmt != REPORT_TEXT) {
        if (!doc)
            return hr_fail(err, "cannot build the report");
        int rc = jsonio_print(out, doc);
        cJSON_Delete(doc);
        if (rc != 0)
            return hr_fail(err, "cannot write the report");
    }
    return ferror(out) ? hr_fail(err, "cannot write the report") : 0;
}

const char *report_points(double v, char buf[32])
{
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, 32, "%.0f", v);
    else
        snprintf(buf, 32, "%.4g", v);
    return buf;
}

static cJSON *points_json(double v)
{
    /* whole numbers as integers; anything else exact */
    return v == floor(v) && fabs(v) < 1e15 ? cJSON_CreateNumber(v) : jsonio_double(v);
}

static cJSON *test_json(const score_test *t)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", t->id);
    cJSON_AddStringToObject(o, "name", t->test->name);
    cJSON_AddStringToObject(o, "function", t->test->function);
    cJSON_AddStringToObject(o, "status", t->passed ? "passed" : t->not_attempted ? "not_attempted" : "failed");
    cJSON_AddItemToObject(o, "score", points_json(t->score));
    cJSON_AddItemToObject(o, "max_score", points_json(t->max_score));
    cJSON_AddStringToObject(o, "message", t->detail);
    cJSON_AddStringToObject(o, "student_message", t->message);
    cJSON_AddStringToObject(o, "visibility", rubric_visibility_name(t->test->visibility));
    cJSON_AddStringToObject(o, "ended", t->ran ? obs_kind_name(t->ended) : "not_run");
    if (t->hint[0])
        cJSON_AddStringToObject(o, "hint", t->hint);
    if (t->note[0])
        cJSON_AddStringToObject(o, "note", t->note);
    if (t->table)
        cJSON_AddItemToObject(o, "table", cJSON_Duplicate(t->table, 1));
    if (t->output)
        cJSON_AddStringToObject(o, "output", t->output);
    jsonio_add_double(o, "seconds", t->wall_s);
    return o;
}

cJSON *report_json(const pack *p, const grade_result *g)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "assignment", p->rubric.assignment);
    cJSON_AddStringToObject(doc, "submission", g->submission);
    cJSON_AddStringToObject(doc, "status", grade_status(g));
    cJSON_AddItemToObject(doc, "score", points_json(g->score));
    cJSON_AddItemToObject(doc, "max_score", points_json(p->rubric.total));
    cJSON *b = cJSON_AddObjectToObject(doc, "build");
    cJSON_AddStringToObject(b, "status", build_status_name(g->build.status));
    if (g->build.message)
        cJSON_AddStringToObject(b, "message", g->build.message);
    if (g->build.warnings)
        cJSON_AddStringToObject(b, "warnings", g->build.warnings);
    if (g->build.note)
        cJSON_AddStringToObject(b, "note", g->build.note);
    cJSON_AddStringToObject(doc, "isolation", g->isolation);
    cJSON *mem = cJSON_AddObjectToObject(doc, "memory_checks");
    cJSON_AddBoolToObject(mem, "ran", g->memory.ran);
    if (g->memory.note[0])
        cJSON_AddStringToObject(mem, "note", g->memory.note);
    cJSON *findings = cJSON_AddArrayToObject(mem, "findings");
    for (size_t i = 0; i < g->memory.nfindings; i++) {
        const diag_finding *f = &g->memory.findings[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "test", f->test_id);
        cJSON_AddStringToObject(o, "where", f->where);
        cJSON_AddStringToObject(o, "function", f->function);
        cJSON_AddStringToObject(o, "what", f->what);
        cJSON_AddItemToArray(findings, o);
    }
    jsonio_add_double(doc, "seconds", g->seconds);
    cJSON *exs = cJSON_AddArrayToObject(doc, "exercises");
    for (size_t e = 0; e < g->nexercises; e++) {
        const score_exercise *se = &g->exercises[e];
        cJSON *ej = cJSON_CreateObject();
        cJSON_AddItemToArray(exs, ej);
        cJSON_AddStringToObject(ej, "id", se->exercise->id);
        cJSON_AddStringToObject(ej, "title", se->exercise->title ? se->exercise->title : se->exercise->id);
        cJSON_AddItemToObject(ej, "score", points_json(se->score));
        cJSON_AddItemToObject(ej, "max_score", points_json(se->exercise->points));
        cJSON *tests = cJSON_AddArrayToObject(ej, "tests");
        for (size_t t = 0; t < se->ntests; t++)
            cJSON_AddItemToArray(tests, test_json(&se->tests[t]));
    }
    return doc;
}

/* Prints text with every line indented by pad and wrapped between words to
 * REPORT_COLUMNS (a word longer than a line, a number say, stays whole). */
static void indented(FILE *out, const char *text, const char *pad)
{
    size_t padlen = strlen(pad), room = REPORT_COLUMNS > padlen + 20 ? REPORT_COLUMNS - padlen : 20;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        /* the line's own leading blanks stay, and continue on its next lines */
        size_t lead = strspn(p, " ");
        if (lead > n)
            lead = n;
        size_t used = 0;
        fprintf(out, "%s%.*s", pad, (int)lead, p);
        used = lead;
        const char *w = p + lead, *end = p + n;
        bool first = true;
        while (w < end) {
            /* the blanks before the word, kept as they are unless the line breaks there */
            const char *ws = w;
            while (w < end && *w == ' ')
                w++;
            const char *we = w;
            while (we < end && *we != ' ')
                we++;
            size_t sl = (size_t)(w - ws), wl = (size_t)(we - w);
            if (!first && used + sl + wl > room) {
                fprintf(out, "\n%s%*s", pad, (int)lead, "");
                used = lead;
                sl = 0;
            }
            fprintf(out, "%.*s%.*s", (int)sl, ws, (int)wl, w);
            used += sl + wl;
            first = false;
            w = we;
        }
        fputc('\n', out);
        p += n + (nl ? 1 : 0);
    }
}

/* What a visible test printed, without its colour codes. */
static void printed_output(FILE *out, const score_test *st)
{
    if (!st->output || !*st->output || st->test->visibility != RUBRIC_VISIBLE)
        return;
    char *plain = cmp_without_colours(st->output);
    if (!plain)
        return;
    fprintf(out, "         your code printed:\n");
    indented(out, plain, "             ");
    free(plain);
}

static void text_report(FILE *out, const pack *p, const grade_result *g, bool color, bool student);

void report_text(FILE *out, const pack *p, const grade_result *g, bool color)
{
    text_report(out, p, g, color, false);
}

void report_text_student(FILE *out, const pack *p, const grade_result *g, bool color)
{
    text_report(out, p, g, color, true);
}

static void text_report(FILE *out, const pack *p, const grade_result *g, bool color, bool student)
{
    const char *ok = color ? "\033[32m" : "", *bad = color ? "\033[31m" : "";
    const char *bold = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";
    char a[32], b[32];
    fprintf(out, "%s%s%s — %s\n", bold, p->rubric.title ? p->rubric.title : p->rubric.assignment, off,
            g->submission);
    char line[1024];
    if (g->build.note) {
        snprintf(line, sizeof line, "note: %s", g->build.note);
        indented(out, line, "  ");
    }
    snprintf(line, sizeof line, "isolation: %s", g->isolation);
    indented(out, line, "  ");
    if (g->build.status != BUILD_OK) {
        fprintf(out, "\n%s%s%s:\n", bad,
                g->build.status == BUILD_COMPILE_ERROR ? "Compile error" :
                g->build.status == BUILD_REFUSED ? "Refused" : "Not accepted", off);
        indented(out, g->build.message ? g->build.message : "(no message)", "  ");
    }
    for (size_t e = 0; e < g->nexercises; e++) {
        const score_exercise *se = &g->exercises[e];
        fprintf(out, "\n%s%-60s %s/%s%s\n", bold, se->exercise->id, report_points(se->score, a),
                report_points(se->exercise->points, b), off);
        for (size_t t = 0; t < se->ntests; t++) {
            const score_test *st = &se->tests[t];
            const char *vis = st->test->visibility == RUBRIC_VISIBLE ? "" : " [hidden]";
            const char *how = st->passed ? "passed" : st->not_attempted ? "not attempted (optional)" : "FAILED";
            snprintf(line, sizeof line, "%s%s  %s/%s", st->test->name, vis, report_points(st->score, a),
                     report_points(st->max_score, b));
            fprintf(out, "  %s%s%s", st->passed || st->not_attempted ? ok : bad, how, off);
            char pad[40];
            snprintf(pad, sizeof pad, "%*s", (int)strlen(how) + 3, "");
            /* the name wraps under itself */
            char *name_lines = NULL;
            size_t nlen = 0;
            FILE *m = open_memstream(&name_lines, &nlen);
            if (m) {
                indented(m, line, pad);
                fclose(m);
                fputs(name_lines + strlen(pad) - 1, out);
                free(name_lines);
            }
            if (st->not_attempted) {
                /* the first line is the status itself */
                const char *rest = strchr(student ? st->message : st->detail, '\n');
                if (rest)
                    indented(out, rest + 1, "         ");
                continue;
            }
            if (!st->passed)
                indented(out, student ? st->message : st->detail, "         ");
            else if (st->note[0])
                indented(out, st->note, "         ");
            if (!st->passed)
                printed_output(out, st);
        }
    }
    if (g->build.warnings) {
        fprintf(out, "\nCompiler warnings:\n");
        indented(out, g->build.warnings, "  ");
    }
    if (g->memory.ran || g->memory.note[0]) {
        fprintf(out, "\nMemory checks (AddressSanitizer, UndefinedBehaviorSanitizer, LeakSanitizer\non visible tests):\n");
        if (!g->memory.ran)
            fprintf(out, "  not run: %s\n", g->memory.note);
        else if (g->memory.nfindings == 0)
            fprintf(out, "  nothing found\n");
        for (size_t i = 0; i < g->memory.nfindings; i++) {
            const diag_finding *f = &g->memory.findings[i];
            snprintf(line, sizeof line, "%s%s%s: %s (test %s)", f->where, f->function[0] ? " in " : "",
                     f->function, f->what, f->test_id);
            indented(out, line, "  ");
        }
    }
    fprintf(out, "\n%sTotal: %s/%s%s\n", bold, report_points(g->score, a),
            report_points(p->rubric.total, b), off);
}
