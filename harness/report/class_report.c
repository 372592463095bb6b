/* class_report — see class_report.h. */
#include "class_report.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsutil.h"
#include "safetext.h"
#include "report.h"

#define HIST_BINS 10
#define TOP_MESSAGES 10
#define SVG_W 640
#define SVG_H 260
#define PLOT_LEFT 40
#define PLOT_TOP 36
#define PLOT_BOTTOM 40   /* room for the bins' labels */

/* ---- escaping and grouping ------------------------------------------------------ */

void classrep_timestamp(char *out, size_t len)
{
    const char *fixed = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long epoch = fixed && *fixed ? strtoll(fixed, &end, 10) : -1;
    struct tm tm;
    if (epoch >= 0 && end && *end == '\0') {
        time_t t = (time_t)epoch;
        strftime(out, len, "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&t, &tm));
        return;
    }
    time_t now = time(NULL);
    strftime(out, len, "%Y-%m-%d %H:%M:%S %Z", localtime_r(&now, &tm));
}

void classrep_escape(FILE *out, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t left = strlen(text);
    while (left > 0) {
        size_t n = 1;
        uint32_t v = 0;
        unsigned char c = *s;
        if (c == '&') fputs("&amp;", out);
        else if (c == '<') fputs("&lt;", out);
        else if (c == '>') fputs("&gt;", out);
        else if (c == '"') fputs("&quot;", out);
        else if (c == '\'') fputs("&#39;", out);
        else if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)) fputc(c, out);
        else if (c >= 0x80 && (n = safetext_char(s, left, &v)) > 0 && v > 0x9f) fwrite(s, 1, n, out);
        else {
            fputs("\xef\xbf\xbd", out);   /* U+FFFD for a control (C1 included) or stray byte */
            n = n ? n : 1;
        }
        s += n;
        left -= n;
    }
}

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/* Length of the number that starts at s (a sign, digits, a fraction, an
 * exponent; or nan/inf), 0 when none does. */
static size_t number_len(const char *s)
{
    const char *p = s + (*s == '-' || *s == '+');
    if (!strncmp(p, "nan", 3) || !strncmp(p, "inf", 3))
        p += 3;
    else {
        const char *digits = p;
        while (isdigit((unsigned char)*p)) p++;
        if (*p == '.' && isdigit((unsigned char)p[1]))
            for (p++; isdigit((unsigned char)*p); p++) ;
        if (p == digits)
            return 0;
        const char *e = p + 1 + (p[1] == '-' || p[1] == '+');
        if ((*p == 'e' || *p == 'E') && isdigit((unsigned char)*e))
            for (p = e; isdigit((unsigned char)*p); p++) ;
    }
    return word_char(*p) && *p != '.' ? 0 : (size_t)(p - s);
}

char *classrep_normalize(const char *message)
{
    char *out = malloc(strlen(message) + 1), *o = out;
    if (!out)
        return NULL;
    /* the first line says what failed; hints and tables follow on lines of their own */
    for (const char *s = message; *s && *s != '\n';) {
        size_t n = (s == message || !word_char(s[-1])) ? number_len(s) : 0;
        if (n > 0) {
            *o++ = '#';
            s += n;
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
    return out;
}

typedef struct {
    char *text;          /* normalized message */
    size_t students, times;
    size_t last_row;     /* so a student counts once */
    bool *tests;         /* which tests said it */
} msg_group;

typedef struct {
    msg_group *g;
    size_t n, cap, ntests;
} msg_groups;

static msg_group *group_for(msg_groups *gs, char *text)
{
    for (size_t i = 0; i < gs->n; i++)
        if (!strcmp(gs->g[i].text, text)) {
            free(text);
            return &gs->g[i];
        }
    if (gs->n == gs->cap) {
        size_t cap = gs->cap ? gs->cap * 2 : 32;
        msg_group *grown = realloc(gs->g, cap * sizeof *grown);
        if (!grown)
            return NULL;
        gs->g = grown;
        gs->cap = cap;
    }
    msg_group *g = &gs->g[gs->n];
    *g = (msg_group){.text = text, .last_row = (size_t)-1, .tests = calloc(gs->ntests, sizeof (bool))};
    if (!g->tests)
        return NULL;
    gs->n++;
    return g;
}

static int by_frequency(const void *a, const void *b)
{
    const msg_group *x = a, *y = b;
    if (x->students != y->students)
        return x->students < y->students ? 1 : -1;
    if (x->times != y->times)
        return x->times < y->times ? 1 : -1;
    return strcmp(x->text, y->text);
}

static int group_messages(const classrep_input *in, msg_groups *gs)
{
    *gs = (msg_groups){.ntests = brec_count_tests(in->pack)};
    for (size_t i = 0; i < in->n; i++) {
        const brec *row = in->rows[i];
        for (size_t k = 0; row->graded && k < row->ntests; k++) {
            if (row->passed[k] || !row->messages[k])
                continue;
            char *text = classrep_normalize(row->messages[k]);
            msg_group *g = text ? group_for(gs, text) : NULL;
            if (!g)
                return -1;
            g->times++;
            g->tests[k] = true;
            if (g->last_row != i) {
                g->students++;
                g->last_row = i;
            }
        }
    }
    if (gs->n)
        qsort(gs->g, gs->n, sizeof *gs->g, by_frequency);
    return 0;
}

static void free_groups(msg_groups *gs)
{
    for (size_t i = 0; i < gs->n; i++) {
        free(gs->g[i].text);
        free(gs->g[i].tests);
    }
    free(gs->g);
}

/* ---- numbers -------------------------------------------------------------------- */

typedef struct {
    size_t graded;               /* rows with scores */
    double mean, median, best;
    size_t full_marks;
    size_t bins[HIST_BINS];
    size_t tallest;
    double width;                /* of a bin, in points */
    bool whole;                  /* every score is a whole number: bins labelled 0–4, 5–9... */
} class_stats;

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static bool whole_points(const rubric *r)
{
    for (size_t e = 0; e < r->nexercises; e++)
        for (size_t t = 0; t < r->exercises[e].ntests; t++)
            if (r->exercises[e].tests[t].points != floor(r->exercises[e].tests[t].points))
                return false;
    return true;
}

static void fill_bins(const double *totals, size_t n, double max, class_stats *st)
{
    st->width = max > 0 ? max / HIST_BINS : 1;
    for (size_t i = 0; i < n; i++) {
        long b = (long)floor(totals[i] / st->width);
        b = b < 0 ? 0 : b >= HIST_BINS ? HIST_BINS - 1 : b;
        if (++st->bins[b] > st->tallest)
            st->tallest = st->bins[b];
    }
}

static int compute_stats(const classrep_input *in, class_stats *st)
{
    memset(st, 0, sizeof *st);
    double *totals = malloc((in->n + 1) * sizeof *totals), sum = 0;
    if (!totals)
        return -1;
    double max = in->pack->rubric.total;
    for (size_t i = 0; i < in->n; i++)
        if (in->rows[i]->graded) {
            double v = in->rows[i]->total;
            totals[st->graded++] = v;
            sum += v;
            st->full_marks += v >= max;
            st->best = st->graded == 1 || v > st->best ? v : st->best;
        }
    qsort(totals, st->graded, sizeof *totals, by_value);
    if (st->graded) {
        size_t h = st->graded / 2;
        st->mean = sum / (double)st->graded;
        st->median = st->graded % 2 ? totals[h] : (totals[h - 1] + totals[h]) / 2;
    }
    fill_bins(totals, st->graded, max, st);
    st->whole = whole_points(&in->pack->rubric) && st->width == floor(st->width);
    free(totals);
    return 0;
}

/* ---- the page ------------------------------------------------------------------- */

static const char page_style[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;"
    "max-width:62rem;padding:0 1rem;color:#1d2430;background:#fff}"
    "h1{font-size:1.6rem;margin:0 0 .3rem}"
    "h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid #d8dde6;padding-bottom:.2rem}"
    ".summary{color:#4a5568;margin:.2rem 0}"
    ".partial{background:#fff4d6;border:1px solid #e8c66a;padding:.5rem .8rem;border-radius:4px}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eceff4;vertical-align:top}"
    "th{background:#f5f7fa}"
    ".num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}"
    ".meter{display:inline-block;width:8rem;height:.7rem;background:#e6e9ef;border-radius:3px;"
    "vertical-align:middle;margin-right:.4rem;overflow:hidden}"
    ".meter>span{display:block;height:100%;background:#2f855a}"
    ".meter.low>span{background:#c53030}"
    ".msg{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.9em;white-space:pre-wrap;"
    "word-break:break-word}"
    ".tests{color:#4a5568;font-size:.9em}"
    ".why{color:#c53030;font-size:.9em}"
    "svg .bar rect{fill:#3a7bd5}svg text{font-size:12px;fill:#1d2430}"
    "svg .axis{stroke:#8a94a6;stroke-width:1}";

static void page_head(FILE *o, const rubric *r)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'\">\n<meta name=\"viewport\" content=\"width=device-width\">\n<title>", o);
    classrep_escape(o, r->title ? r->title : r->assignment);
    fprintf(o, " — class report</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", page_style);
    classrep_escape(o, r->title ? r->title : r->assignment);
    fputs(" — class report</h1>\n", o);
}

static void status_counts(FILE *o, const classrep_input *in)
{
    const char *seen[16];
    size_t counts[16], n = 0;
    for (size_t i = 0; i < in->n; i++) {
        size_t k = 0;
        while (k < n && strcmp(seen[k], in->rows[i]->status))
            k++;
        if (k == n && n < 16) {
            seen[n] = in->rows[i]->status;
            counts[n++] = 0;
        }
        if (k < n)
            counts[k]++;
    }
    fputs("<p class=\"summary\" id=\"statuses\">", o);
    for (size_t k = 0; k < n; k++) {
        fputs(k ? " · " : "", o);
        classrep_escape(o, seen[k]);
        fprintf(o, ": %zu", counts[k]);
    }
    fputs("</p>\n", o);
}

static void summary(FILE *o, const classrep_input *in, const class_stats *st)
{
    char a[32], b[32], c[32], d[32];
    double max = in->pack->rubric.total;
    fprintf(o, "<p class=\"summary\" id=\"overview\">%zu students graded · mean %s · median %s · best %s "
            "out of %s · full marks: %zu</p>\n", st->graded, report_points(round(st->mean * 100) / 100, a),
            report_points(st->median, b), report_points(st->best, c), report_points(max, d), st->full_marks);
    status_counts(o, in);
    fputs("<p class=\"summary\">Generated ", o);
    classrep_escape(o, in->generated_at);
    fputs("</p>\n", o);
    if (in->n < in->roster)
        fprintf(o, "<p class=\"partial\" id=\"partial\">Partial: %zu of the %zu students in the folder are "
                "finished; run the batch again to grade the rest.</p>\n", in->n, in->roster);
}

static void bin_label(const class_stats *st, double max, size_t i, char *out, size_t len)
{
    char a[32], b[32];
    double lo = st->width * (double)i, hi = i + 1 == HIST_BINS ? max : st->width * (double)(i + 1);
    if (st->whole)
        snprintf(out, len, "%s–%s", report_points(lo, a), report_points(i + 1 == HIST_BINS ? hi : hi - 1, b));
    else
        snprintf(out, len, "%s–%s", report_points(lo, a), report_points(hi, b));
}

static void histogram_bar(FILE *o, const class_stats *st, double max, size_t i)
{
    const double plot_w = SVG_W - PLOT_LEFT - 10, plot_h = SVG_H - PLOT_TOP - PLOT_BOTTOM;
    const double slot = plot_w / HIST_BINS, base = SVG_H - PLOT_BOTTOM;
    double h = st->tallest ? plot_h * (double)st->bins[i] / (double)st->tallest : 0;
    double x = PLOT_LEFT + slot * (double)i;
    char label[80];
    bin_label(st, max, i, label, sizeof label);
    fprintf(o, "<g class=\"bar\" data-bin=\"%zu\" data-label=\"%s\" data-count=\"%zu\">"
            "<title>%s points: %zu student%s</title>"
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>"
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%zu</text>"
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text></g>\n",
            i, label, st->bins[i], label, st->bins[i], st->bins[i] == 1 ? "" : "s",
            x + 4, base - h, slot - 8, h, x + slot / 2, base - h - 5, st->bins[i],
            x + slot / 2, base + 16, label);
}

static void histogram(FILE *o, const classrep_input *in, const class_stats *st)
{
    double max = in->pack->rubric.total;
    fputs("<section id=\"distribution\">\n<h2>Score distribution</h2>\n", o);
    fprintf(o, "<svg id=\"histogram\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Histogram of the %zu graded students' totals\">\n",
            SVG_W, SVG_H, SVG_W, SVG_H, st->graded);
    fprintf(o, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", PLOT_LEFT, SVG_H - PLOT_BOTTOM,
            SVG_W - 10, SVG_H - PLOT_BOTTOM);
    fprintf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">total points (out of %g)</text>\n",
            PLOT_LEFT + (SVG_W - PLOT_LEFT) / 2, SVG_H - 4, max);
    fputs("<text x=\"4\" y=\"14\">students</text>\n", o);
    for (size_t i = 0; i < HIST_BINS; i++)
        histogram_bar(o, st, max, i);
    fputs("</svg>\n</section>\n", o);
}

static void pass_rate_row(FILE *o, const pack *p, size_t e, size_t t, size_t passed, size_t of)
{
    const rubric_test *test = &p->rubric.exercises[e].tests[t];
    double rate = of ? 100.0 * (double)passed / (double)of : 0;
    fprintf(o, "<tr data-test=\"");
    classrep_escape(o, p->cases[e][t].id);
    fprintf(o, "\" data-passed=\"%zu\" data-of=\"%zu\"><td>", passed, of);
    classrep_escape(o, p->cases[e][t].id);
    fputs("</td><td>", o);
    classrep_escape(o, test->name);
    fprintf(o, "</td><td>%s</td><td class=\"num\">%zu/%zu</td><td class=\"num\">"
            "<span class=\"meter%s\"><span style=\"width:%.1f%%\"></span></span>%.0f%%</td></tr>\n",
            rubric_visibility_name(test->visibility), passed, of, rate < 50 ? " low" : "", rate, rate);
}

static void pass_rates(FILE *o, const classrep_input *in, size_t graded)
{
    const rubric *r = &in->pack->rubric;
    fputs("<section id=\"pass-rates\">\n<h2>Pass rate of every test</h2>\n<table>\n<thead><tr><th>Test</th>"
          "<th>Name</th><th>Shown to students</th><th class=\"num\">Passed</th><th class=\"num\">Rate</th>"
          "</tr></thead>\n<tbody>\n", o);
    size_t k = 0;
    for (size_t e = 0; e < r->nexercises; e++)
        for (size_t t = 0; t < r->exercises[e].ntests; t++, k++) {
            size_t passed = 0;
            for (size_t i = 0; i < in->n; i++)
                passed += in->rows[i]->graded && in->rows[i]->passed[k];
            pass_rate_row(o, in->pack, e, t, passed, graded);
        }
    fputs("</tbody>\n</table>\n</section>\n", o);
}

/* The tests that said a message: the first few ids, then how many more. */
static void message_tests(FILE *o, const pack *p, const msg_group *g)
{
    size_t k = 0, shown = 0, more = 0;
    for (size_t e = 0; e < p->rubric.nexercises; e++)
        for (size_t t = 0; t < p->rubric.exercises[e].ntests; t++, k++) {
            if (!g->tests[k])
                continue;
            if (shown == 6) {
                more++;
                continue;
            }
            fputs(shown++ ? ", " : "", o);
            classrep_escape(o, p->cases[e][t].id);
        }
    if (more)
        fprintf(o, " and %zu more", more);
}

static void failure_messages(FILE *o, const classrep_input *in, const msg_groups *gs)
{
    fputs("<section id=\"failures\">\n<h2>Most common failure messages</h2>\n", o);
    if (gs->n == 0) {
        fputs("<p>No test failed.</p>\n</section>\n", o);
        return;
    }
    fputs("<p class=\"summary\">As students see them; numbers are shown as #.</p>\n<table>\n<thead><tr>"
          "<th class=\"num\">Students</th><th class=\"num\">Times</th><th>Message</th><th>Tests</th></tr>"
          "</thead>\n<tbody>\n", o);
    for (size_t i = 0; i < gs->n && i < TOP_MESSAGES; i++) {
        fprintf(o, "<tr class=\"failure\" data-students=\"%zu\"><td class=\"num\">%zu</td>"
                "<td class=\"num\">%zu</td><td class=\"msg\">", gs->g[i].students, gs->g[i].students,
                gs->g[i].times);
        classrep_escape(o, gs->g[i].text);
        fputs("</td><td class=\"tests\">", o);
        message_tests(o, in->pack, &gs->g[i]);
        fputs("</td></tr>\n", o);
    }
    fputs("</tbody>\n</table>\n</section>\n", o);
}

static void student_row(FILE *o, const rubric *r, const brec *row)
{
    char a[32];
    fputs("<tr class=\"student\"><td>", o);
    classrep_escape(o, row->id);
    fputs("</td>", o);
    for (size_t e = 0; e < r->nexercises; e++)
        fprintf(o, "<td class=\"num\">%s</td>", row->graded ? report_points(row->scores[e], a) : "—");
    fprintf(o, "<td class=\"num\">%s</td><td>", row->graded ? report_points(row->total, a) : "—");
    classrep_escape(o, row->status);
    if (row->why) {
        fputs("<div class=\"why\">", o);
        classrep_escape(o, row->why);
        fputs("</div>", o);
    }
    fputs("</td></tr>\n", o);
}

static void students(FILE *o, const classrep_input *in)
{
    const rubric *r = &in->pack->rubric;
    fputs("<section id=\"students\">\n<h2>Students</h2>\n<table>\n<thead><tr><th>Id</th>", o);
    for (size_t e = 0; e < r->nexercises; e++) {
        fputs("<th class=\"num\">", o);
        classrep_escape(o, r->exercises[e].id);
        fputs("</th>", o);
    }
    fputs("<th class=\"num\">Total</th><th>Status</th></tr></thead>\n<tbody>\n", o);
    for (size_t i = 0; i < in->n; i++)
        student_row(o, r, in->rows[i]);
    fputs("</tbody>\n</table>\n</section>\n", o);
}

static int render(FILE *o, const classrep_input *in)
{
    class_stats st;
    msg_groups gs;
    if (compute_stats(in, &st) != 0)
        return -1;
    int rc = group_messages(in, &gs);
    if (rc == 0) {
        page_head(o, &in->pack->rubric);
        summary(o, in, &st);
        histogram(o, in, &st);
        pass_rates(o, in, st.graded);
        failure_messages(o, in, &gs);
        students(o, in);
        fputs("</body>\n</html>\n", o);
    }
    free_groups(&gs);
    return rc;
}

int classrep_write(const char *path, const classrep_input *in, hr_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return hr_fail(err, "out of memory writing %s", path);
    int rc = render(m, in);
    if (fclose(m) != 0 || rc != 0) {
        free(buf);
        return hr_fail(err, "out of memory writing %s", path);
    }
    rc = fs_write_atomic(path, buf, len, err);
    free(buf);
    return rc ? hr_wrap(err, "the class report") : 0;
}
