/*
 * Batch grading (issue "Platforms, students and whole classes", instructors
 * with a whole class): a class of 40 mixed submissions graded with --jobs 2
 * gives exactly the scores of grading each one alone; interrupted half-way
 * and resumed, it gives the same gradebook without regrading what was done;
 * names and outputs from students stay inert in the CSV and the HTML page,
 * which headless Chromium renders and these tests read back.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "safetext.h"
#include "class_report.h"
#include "gradebook.h"
#include "testutil.h"

#define NSTUDENTS 40
#define EXERCISES 5
static const char *const exercise_ids[EXERCISES] = {"forward_propagation", "backward_propagation",
                                                    "gradient_check", "gradient_check_n",
                                                    "backward_propagation_n"};
static const char csv_header[] =
    "id,forward_propagation,backward_propagation,gradient_check,gradient_check_n,backward_propagation_n,"
    "total,status";
/* The gradebook's columns after the id and the exercises. */
#define TOTAL (1 + EXERCISES)
#define STATUS (2 + EXERCISES)

/* ---- small helpers -------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

static char *path_of(const char *dir, const char *name)
{
    char *p;
    cr_assert_gt(asprintf(&p, "%s/%s", dir, name), 0);
    return p;
}

/* ---- CSV (RFC 4180) read back -------------------------------------------------------- */

typedef struct {
    char **f;
    size_t n;
} csv_row;

typedef struct {
    csv_row *rows;
    size_t n;
} csv_table;

static void push_field(csv_row *r, const char *text, size_t len)
{
    r->f = realloc(r->f, (r->n + 1) * sizeof *r->f);
    r->f[r->n++] = strndup(text, len);
}

/* One field starting at *p; leaves *p on the separator or line end. */
static void read_field(const char **p, csv_row *row)
{
    char buf[4096];
    size_t n = 0;
    const char *s = *p;
    if (*s == '"') {
        for (s++; *s && !(*s == '"' && s[1] != '"'); s++) {
            if (*s == '"')
                s++;   /* a doubled quote */
            cr_assert_lt(n, sizeof buf - 1);
            buf[n++] = *s;
        }
        cr_assert_eq(*s, '"', "an unterminated quoted CSV field");
        s++;
    } else {
        while (*s && *s != ',' && *s != '\n') {
            cr_assert_neq(*s, '"', "a quote inside an unquoted CSV field");
            buf[n++] = *s++;
        }
    }
    push_field(row, buf, n);
    *p = s;
}

static csv_table csv_parse(const char *text)
{
    csv_table t = {0};
    const char *p = text;
    while (*p) {
        t.rows = realloc(t.rows, (t.n + 1) * sizeof *t.rows);
        csv_row *row = &t.rows[t.n++];
        *row = (csv_row){0};
        for (;;) {
            read_field(&p, row);
            if (*p == ',') {
                p++;
                continue;
            }
            cr_assert_eq(*p, '\n', "a CSV row must end with a newline");
            p++;
            break;
        }
    }
    return t;
}

static csv_table csv_read(const char *path)
{
    char *text = tu_read(path, NULL);
    cr_assert_not_null(text, "no gradebook at %s", path);
    csv_table t = csv_parse(text);
    free(text);
    return t;
}

/* The row of id (the gradebook's formula guard undone), or NULL. */
/* The row of id: the gradebook holds ids as safe text (a Latin-1 byte is
 * U+FFFD there), a leading formula character guarded by an apostrophe. */
static const csv_row *csv_find(const csv_table *t, const char *raw_id)
{
    char *id = safetext_make(raw_id);
    cr_assert_not_null(id);
    const csv_row *found = NULL;
    for (size_t i = 1; i < t->n && !found; i++) {
        const char *f = t->rows[i].f[0];
        if (!strcmp(f, id) || (f[0] == '\'' && !strcmp(f + 1, id) && strchr("=+-@", id[0])))
            found = &t->rows[i];
    }
    free(id);
    return found;
}

/* ---- the class ------------------------------------------------------------------------- */

typedef struct {
    const char *id;
    const char *const (*edits)[2];   /* small edits of the reference */
    const char *special;             /* or: "template", "empty", "notes", "other-name", "two-files", "file-name" */
} student_spec;

#define E(name, ...) static const char *const name[][2] = {__VA_ARGS__, {NULL, NULL}}
E(comment1, {"double J = theta * x;", "double J = theta * x; /* forward */"});
E(comment2, {"    double dtheta = x;", "    double dtheta = x;   /* d(theta * x)/dtheta */"});
E(comment3, {"#include <stdio.h>", "#include <stdio.h>\n/* my solution */"});
E(renamed_local, {"double J = theta * x;\n    return J;", "double cost = theta * x;\n    return cost;"});
E(spaces, {"theta_plus.data[i] = theta_plus.data[i] + epsilon;", "theta_plus.data[i] += epsilon;"});
E(reordered, {"    double denominator = gc_norm_scalar(grad) + gc_norm_scalar(gradapprox);",
              "    double denominator = gc_norm_scalar(grad) + gc_norm_scalar(gradapprox); /* (2) */"});
E(crlf_comment, {"double backward_propagation", "/* backward */\ndouble backward_propagation"});
E(theta_plus_x, {"double J = theta * x;", "double J = theta + x;"});
E(forward_square, {"double J = theta * x;", "double J = theta * x * x;"});
E(backward_theta, {"    double dtheta = x;", "    double dtheta = theta;"});
E(eps_not_doubled, {"gradapprox.data[i] = (J_plus - J_minus) / (2 * epsilon);",
                    "gradapprox.data[i] = (J_plus - J_minus) / epsilon;"});
E(no_reset, {"    for (size_t i = 0; i < num_parameters; i++) {\n"
             "        gc_matrix theta_plus = gc_matrix_copy(&parameters_values);\n",
             "    gc_matrix theta_plus = gc_matrix_copy(&parameters_values);\n"
             "    for (size_t i = 0; i < num_parameters; i++) {\n"},
         {"        gc_matrix_free(&theta_plus);\n", ""});
E(hard_coded, {"    gc_matrix_free(&parameters_values);\n    return difference;",
               "    gc_matrix_free(&parameters_values);\n    return 0.2850931567761623;"});
E(no_denominator, {"    double difference = numerator / denominator;", "    double difference = numerator; (void)denominator;"});
E(half_step, {"double gradapprox = (J_plus - J_minus) / (2 * epsilon);", "double gradapprox = (J_plus - J_minus) / epsilon;"});
E(verdict_swapped, {"if (difference > GC_DIFFERENCE_THRESHOLD)", "if (difference < GC_DIFFERENCE_THRESHOLD)"});
E(no_print, {"    if (print_msg) {\n        char text", "    if ((void)print_msg, 0) {\n        char text"});
E(nan_forward, {"double J = theta * x;", "double J = (theta - theta) / (x - x);"});
E(missing_backward, {"double backward_propagation(double x, double theta)\n{",
                     "static double unused_backward(double x, double theta)\n{"},
    {"    double grad = backward_propagation(x, theta);", "    double grad = x; (void)unused_backward;"});
E(warning, {"    double J = theta * x;", "    int unused;\n    double J = theta * x;"});
E(output_injection, {"printf(\"\\033[92mYour backward propagation works perfectly fine! difference = %s\\033[0m\\n\",",
                     "printf(\"<script>document.title='pwned'</script><img src=x onerror=alert(1)> %s\\n\","});
E(syntax_semicolon, {"double J = theta * x;", "double J = theta * x"});
E(undeclared, {"    double dtheta = x;", "    double dtheta = y;"});
E(bad_return, {"    return dtheta;", "    return dtheta +;"});
E(crash_n, {"    gc_matrix parameters_values = dictionary_to_vector(parameters);",
            "    *(volatile int *)0 = 1;\n    gc_matrix parameters_values = dictionary_to_vector(parameters);"});
E(crash_forward, {"    double J = theta * x;", "    if (x != 0) *(volatile int *)0 = 1;\n    double J = theta * x;"});
E(recursion, {"    double dtheta = x;",
              "    volatile char frame[4096];\n    frame[0] = 1;\n    double dtheta = frame[0] ? 1 + backward_propagation(x, theta) : x;"});
E(endless_loop, {"    double theta_plus = theta + epsilon;",
                 "    for (volatile int spin = 1; spin;)\n        ;\n    double theta_plus = theta + epsilon;"});
E(refused_system, {"#include <stdio.h>", "#include <stdio.h>\n#include <stdlib.h>"},
    {"    double J = theta * x;", "    system(\"kill -9 -1\");\n    double J = theta * x;"});
E(output_flood, {"    double J = theta * x;", "    for (int i = 0; i < 1000000; i++)\n        printf(\"flood %d\\n\", i);\n    double J = theta * x;"});
E(memory_hog, {"    double dtheta = x;",
               "    gc_matrix big = gc_matrix_zeros(400000000, 1);\n    big.data[0] = x;\n    double dtheta = big.data[0];\n    gc_matrix_free(&big);"});
#undef E

static const student_spec class_specs[NSTUDENTS] = {
    {"s01-correct", NULL, NULL},
    {"s02-correct", comment1, NULL},
    {"s03-correct", comment2, NULL},
    {"s04-correct", comment3, NULL},
    {"s05-correct", renamed_local, NULL},
    {"s06-correct", spaces, NULL},
    {"s07-correct", reordered, NULL},
    {"s08-correct", crlf_comment, NULL},
    {"s09-theta-plus-x", theta_plus_x, NULL},
    {"s10-forward-square", forward_square, NULL},
    {"s11-backward-theta", backward_theta, NULL},
    {"s12-eps-not-doubled", eps_not_doubled, NULL},
    {"s13-no-reset", no_reset, NULL},
    {"o'brien, \"jr\"", hard_coded, NULL},
    {"s15-no-denominator", no_denominator, NULL},
    {"s16-half-step", half_step, NULL},
    {"caf\xe9-verdict-swapped", verdict_swapped, NULL},
    {"=HYPERLINK(\"x\")", no_print, NULL},
    {"line\nbreak", nan_forward, NULL},
    {"s20-missing-backward", missing_backward, NULL},
    {"s21-warning", warning, NULL},
    {"s22-output-injection", output_injection, NULL},
    {"s23-syntax", syntax_semicolon, NULL},
    {"s24-undeclared", undeclared, NULL},
    {"s25-bad-return", bad_return, NULL},
    {"s26-crash-n", crash_n, NULL},
    {"s27-crash-forward", crash_forward, NULL},
    {"s28-recursion", recursion, NULL},
    {"s29-loop", endless_loop, NULL},
    {"zz-loop", endless_loop, NULL},
    {"s31-refused", refused_system, NULL},
    {"s32-flood", output_flood, NULL},
    {"s33-memory", memory_hog, NULL},
    {"s34-template", NULL, "template"},
    {"\"><svg onload=alert(2)>", NULL, "template"},
    {"s36-empty", NULL, "empty"},
    {"s37-notes-only", NULL, "notes"},
    {"s38-other-name", NULL, "other-name"},
    {"s39-two-files", NULL, "two-files"},
    {"<img src=x onerror=alert(1)>", NULL, "file-name"},
};

static void write_special(const char *dir, const char *kind)
{
    char *ref = tu_read("reference/gradient_check/gradient_check.c", NULL), *tmpl = tu_read("student_template/gradient_check/gradient_check.c", NULL);
    cr_assert(ref && tmpl);
    mkdir(dir, 0755);
    if (!strcmp(kind, "template"))
        free(tu_write(dir, "gradient_check.c", tmpl, strlen(tmpl)));
    else if (!strcmp(kind, "notes"))
        free(tu_write(dir, "notes.txt", "I did not finish.\n", 18));
    else if (!strcmp(kind, "other-name"))
        free(tu_write(dir, "mine.c", ref, strlen(ref)));
    else if (!strcmp(kind, "two-files")) {
        free(tu_write(dir, "a.c", ref, strlen(ref)));
        free(tu_write(dir, "b.c", tmpl, strlen(tmpl)));
    } else if (!strcmp(kind, "file-name"))   /* the only .c file, named to inject markup */
        free(tu_write(dir, "<b onmouseover=alert(3)>x.c", ref, strlen(ref)));
    free(ref);
    free(tmpl);
}

/* A folder with one subfolder per student of specs. */
static char *make_class(const student_spec *specs, size_t n)
{
    char *dir = tu_tmpdir("class");
    for (size_t i = 0; i < n; i++) {
        char *to = path_of(dir, specs[i].id);
        if (specs[i].special) {
            write_special(to, specs[i].special);
        } else {
            char label[32];
            snprintf(label, sizeof label, "student%zu", i);
            char *from = tu_submission_from_reference(label, specs[i].edits);
            cr_assert_eq(rename(from, to), 0, "rename %s: %s", to, strerror(errno));
            free(from);
        }
        free(to);
    }
    return dir;
}

/* ---- grading ------------------------------------------------------------------------- */

typedef struct {
    double scores[EXERCISES], total;
    char status[32];
    cJSON *report;
} graded_alone;

static void grade_alone(const char *class_dir, const student_spec *specs, size_t n, graded_alone *out)
{
    for (size_t i = 0; i < n; i++) {
        char *dir = path_of(class_dir, specs[i].id);
        cJSON *r = tu_grade(dir, NULL);
        for (int e = 0; e < EXERCISES; e++)
            out[i].scores[e] = tu_score(r, exercise_ids[e]);
        out[i].total = tu_score(r, "");
        snprintf(out[i].status, sizeof out[i].status, "%s", cJSON_GetObjectItem(r, "status")->valuestring);
        out[i].report = r;
        free(dir);
    }
}

/* Grader argv for a batch; out_dir NULL: the default outputs inside the class folder. */
static void batch_argv(const char **argv, const char *class_dir, const char *out_dir, char **owned)
{
    size_t n = 0;
    argv[n++] = TU_GRADER;
    argv[n++] = "--assignment";
    argv[n++] = TU_ASSIGNMENT;
    argv[n++] = "--batch";
    argv[n++] = class_dir;
    argv[n++] = "--jobs";
    argv[n++] = "2";
    argv[n++] = "--no-progress";
    if (out_dir) {
        owned[0] = path_of(out_dir, "grades.csv");
        owned[1] = path_of(out_dir, "reports");
        owned[2] = path_of(out_dir, "class.html");
        argv[n++] = "--csv";
        argv[n++] = owned[0];
        argv[n++] = "--reports";
        argv[n++] = owned[1];
        argv[n++] = "--class-report";
        argv[n++] = owned[2];
    }
    argv[n] = NULL;
}

/* Starts argv with stdout and stderr in files; returns the pid. */
static pid_t start(const char *const *argv, const char *out_path, const char *err_path)
{
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644), e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int in = open("/dev/null", O_RDONLY);
        dup2(in, 0);
        dup2(o, 1);
        dup2(e, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static size_t csv_rows_now(const char *path)
{
    char *text = tu_read(path, NULL);
    if (!text)
        return 0;
    csv_table t = csv_parse(text);
    free(text);
    return t.n ? t.n - 1 : 0;
}

static void expect_row(const csv_row *row, const graded_alone *g, const char *id)
{
    cr_assert_eq(row->n, EXERCISES + 3, "%s: %zu fields", id, row->n);
    for (int e = 0; e < EXERCISES; e++)
        cr_expect_eq(strtod(row->f[1 + e], NULL), g->scores[e], "%s, %s: batch %s, alone %g", id,
                     exercise_ids[e], row->f[1 + e], g->scores[e]);
    cr_expect_eq(strtod(row->f[TOTAL], NULL), g->total, "%s: total %s, alone %g", id, row->f[TOTAL], g->total);
    cr_expect_str_eq(row->f[STATUS], g->status, "%s: status %s, alone %s", id, row->f[STATUS], g->status);
}

static const char *unguarded(const char *field)
{
    return field[0] == '\'' && field[1] && strchr("=+-@", field[1]) ? field + 1 : field;
}

/* Every student has exactly one row, in id order, equal to grading it alone. */
static void expect_gradebook(const csv_table *t, const student_spec *specs, const graded_alone *alone, size_t n)
{
    cr_assert_eq(t->n, n + 1, "%zu rows for %zu students", t->n - 1, n);
    char *header = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&header, &len);
    for (size_t i = 0; i < t->rows[0].n; i++)
        fprintf(m, "%s%s", i ? "," : "", t->rows[0].f[i]);
    fclose(m);
    cr_expect_str_eq(header, csv_header);
    free(header);
    for (size_t i = 0; i < n; i++) {
        const csv_row *row = csv_find(t, specs[i].id);
        cr_assert_not_null(row, "no row for %s", specs[i].id);
        expect_row(row, &alone[i], specs[i].id);
    }
    for (size_t r = 2; r < t->n; r++)   /* sorted, so no id twice */
        cr_expect_lt(strcmp(unguarded(t->rows[r - 1].f[0]), unguarded(t->rows[r].f[0])), 0,
                     "rows %zu and %zu are out of order", r - 1, r);
}

/* ---- the class page in headless Chromium ------------------------------------------- */

/* Measures what the browser shows, after layout, into <pre id="probe"> as JSON. */
static const char probe_script[] =
    "<script>(function () {\n"
    "  var r = {bars: [], rates: [], failures: [], ids: []};\n"
    "  document.querySelectorAll('#histogram g.bar').forEach(function (g) {\n"
    "    var texts = g.querySelectorAll('text');\n"
    "    r.bars.push({count: +g.dataset.count, height: g.querySelector('rect').getBoundingClientRect().height,\n"
    "                 shown: texts[0].textContent, label: texts[1].textContent});\n"
    "  });\n"
    "  document.querySelectorAll('#pass-rates tbody tr').forEach(function (tr) {\n"
    "    var m = tr.querySelector('.meter');\n"
    "    r.rates.push({test: tr.dataset.test, passed: tr.cells[3].innerText, rate: tr.cells[4].innerText,\n"
    "                  fill: m.firstElementChild.getBoundingClientRect().width / m.getBoundingClientRect().width});\n"
    "  });\n"
    "  document.querySelectorAll('#failures tr.failure').forEach(function (tr) {\n"
    "    r.failures.push({students: +tr.cells[0].innerText, text: tr.cells[2].innerText});\n"
    "  });\n"
    "  document.querySelectorAll('#students tr.student').forEach(function (tr) {\n"
    "    r.ids.push(tr.cells[0].textContent);\n"
    "  });\n"
    "  r.scripts = document.scripts.length; r.images = document.images.length;\n"
    "  r.svgs = document.querySelectorAll('svg').length; r.bold = document.querySelectorAll('b').length;\n"
    "  r.title = document.title; r.visible = document.body.innerText.length;\n"
    "  var pre = document.createElement('pre'); pre.id = 'probe';\n"
    "  pre.textContent = JSON.stringify(r); document.body.appendChild(pre);\n"
    "})();</script>\n";

/* The DOM of page (an absolute path) once Chromium has loaded it. */
static char *chromium_dom(const char *page)
{
    cr_assert_eq(access("/usr/bin/chromium", X_OK), 0, "chromium is missing: run harness/deps.sh --test");
    char *profile = tu_tmpdir("chromium"), *user_dir, *url;
    cr_assert_gt(asprintf(&user_dir, "--user-data-dir=%s", profile), 0);
    cr_assert_gt(asprintf(&url, "file://%s", page), 0);
    const char *argv[] = {"/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                          "--disable-background-networking", "--disable-component-update", "--disable-sync",
                          "--no-first-run", user_dir, "--window-size=1280,4000", "--dump-dom", url, NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "chromium exit %d: %.2000s", r.status, r.err);
    cr_assert_not_null(strstr(r.out, "</html>"), "no DOM from chromium: %.500s", r.out);
    char *dom = strdup(r.out);
    tu_result_free(&r);
    free(user_dir);
    free(url);
    free(profile);
    return dom;
}

/* Undoes the serializer's escapes in a text node. */
static void unescape_text(char *s)
{
    static const char *const from[] = {"&lt;", "&gt;", "&quot;", "&nbsp;", "&amp;"};
    static const char *const to[] = {"<", ">", "\"", "\xc2\xa0", "&"};
    char *o = s;
    while (*s) {
        size_t k = 0;
        while (k < 5 && strncmp(s, from[k], strlen(from[k])))
            k++;
        if (k < 5) {
            o = stpcpy(o, to[k]);
            s += strlen(from[k]);
        } else {
            *o++ = *s++;
        }
    }
    *o = '\0';
}

/* The page with its policy removed and the probe added, rendered; the probe's JSON. */
static cJSON *chromium_probe(const char *page)
{
    char *html = tu_read(page, NULL);
    cr_assert_not_null(html);
    char *csp = strstr(html, "<meta http-equiv=\"Content-Security-Policy\"");
    cr_assert_not_null(csp, "the page has no Content-Security-Policy");
    char *csp_end = strchr(csp, '>');
    memmove(csp, csp_end + 1, strlen(csp_end + 1) + 1);   /* the policy would block the probe */
    char *body_end = strstr(html, "</body>");
    cr_assert_not_null(body_end);
    char *probed;
    cr_assert_gt(asprintf(&probed, "%.*s%s%s", (int)(body_end - html), html, probe_script, body_end), 0);
    char *dir = tu_tmpdir("probe");
    char *path = tu_write(dir, "probe.html", probed, strlen(probed));
    char *dom = chromium_dom(path);
    char *at = strstr(dom, "<pre id=\"probe\">");
    cr_assert_not_null(at, "the probe did not run: %.1000s", dom);
    at += strlen("<pre id=\"probe\">");
    *strstr(at, "</pre>") = '\0';
    unescape_text(at);
    cJSON *probe = cJSON_Parse(at);
    cr_assert_not_null(probe, "the probe's JSON: %.500s", at);
    free(dom);
    free(path);
    free(dir);
    free(probed);
    free(html);
    return probe;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    cr_assert(cJSON_IsNumber(v), "probe: no number %s", key);
    return v->valuedouble;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    cr_assert(cJSON_IsString(v), "probe: no string %s", key);
    return v->valuestring;
}

/* The histogram: one bar per tenth of 50 points, as many students as graded alone, heights in proportion. */
static void expect_histogram(const cJSON *probe, const graded_alone *alone, size_t n)
{
    size_t want[10] = {0}, tallest = 0;
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)floor(alone[i].total / 5);
        want[b > 9 ? 9 : b]++;
    }
    for (int b = 0; b < 10; b++)
        tallest = want[b] > tallest ? want[b] : tallest;
    const cJSON *bars = cJSON_GetObjectItem(probe, "bars");
    cr_assert_eq(cJSON_GetArraySize(bars), 10);
    double top = 0;
    for (int b = 0; b < 10; b++)
        if (want[b] == tallest)
            top = num(cJSON_GetArrayItem(bars, b), "height");
    cr_expect_gt(top, 100, "the tallest bar is %g px high", top);
    for (int b = 0; b < 10; b++) {
        const cJSON *bar = cJSON_GetArrayItem(bars, b);
        char shown[16];
        snprintf(shown, sizeof shown, "%zu", want[b]);
        cr_expect_eq(num(bar, "count"), (double)want[b], "bar %d: %g students, not %zu", b, num(bar, "count"), want[b]);
        cr_expect_str_eq(str(bar, "shown"), shown);
        cr_expect_leq(fabs(num(bar, "height") - top * (double)want[b] / (double)tallest), 1.0,
                      "bar %d is %g px high for %zu students", b, num(bar, "height"), want[b]);
    }
    cr_expect_str_eq(str(cJSON_GetArrayItem(bars, 0), "label"), "0–4");
    cr_expect_str_eq(str(cJSON_GetArrayItem(bars, 9), "label"), "45–50");
}

/* Every test's pass rate, as text and as a bar, equal to counting the reports graded alone. */
static void expect_pass_rates(const cJSON *probe, const graded_alone *alone, size_t n)
{
    const cJSON *rates = cJSON_GetObjectItem(probe, "rates"), *rate, *e, *t;
    int tests = 0;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(alone[0].report, "exercises"))
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(e, "tests"))
            tests++;
    cr_assert_eq(cJSON_GetArraySize(rates), tests, "%d tests shown, not %d", cJSON_GetArraySize(rates), tests);
    cJSON_ArrayForEach(rate, rates) {
        const char *id = str(rate, "test");
        size_t passed = 0;
        for (size_t i = 0; i < n; i++)
            passed += !strcmp(cJSON_GetObjectItem(tu_test(alone[i].report, id), "status")->valuestring, "passed");
        char text[32], percent[16];
        snprintf(text, sizeof text, "%zu/%zu", passed, n);
        snprintf(percent, sizeof percent, "%.0f%%", 100.0 * (double)passed / (double)n);
        cr_expect_str_eq(str(rate, "passed"), text, "%s", id);
        cr_expect_str_eq(str(rate, "rate"), percent, "%s", id);
        cr_expect_leq(fabs(num(rate, "fill") - (double)passed / (double)n), 0.02, "%s: bar %g", id, num(rate, "fill"));
    }
}

/* A number in a text: a digit that does not end a name such as dW1. */
static bool has_number(const char *text)
{
    for (const char *p = text; *p; p++)
        if (isdigit((unsigned char)*p) && (p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')))
            return true;
    return false;
}

static void expect_failures(const cJSON *probe, size_t compile_errors)
{
    const cJSON *failures = cJSON_GetObjectItem(probe, "failures"), *f;
    cr_assert_gt(cJSON_GetArraySize(failures), 3);
    double last = 1e9;
    bool compile_seen = false, expected_seen = false;
    cJSON_ArrayForEach(f, failures) {
        const char *text = str(f, "text");
        cr_expect_leq(num(f, "students"), last, "failures are not sorted by students");
        last = num(f, "students");
        cr_expect(!has_number(text), "a number left in a grouped message: %s", text);
        if (strstr(text, "not run: the file did not compile")) {
            compile_seen = true;
            cr_expect_eq(num(f, "students"), (double)compile_errors);
        }
        expected_seen |= !strcmp(text, "expected #, got #");
    }
    cr_expect(compile_seen, "no compile-error message among the most common");
    cr_expect(expected_seen, "no \"expected #, got #\" among the most common");
}

static size_t count_of(const char *text, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* The page as it is (its policy on): what came from students is text, never markup. */
static void expect_inert_page(const char *page)
{
    char *html = tu_read(page, NULL);
    cr_assert_not_null(html);
    cr_expect_null(strstr(html, "<img"), "markup from a folder name reached the page");
    cr_expect_null(strstr(html, "<svg onload"));
    cr_expect_null(strstr(html, "<script"));
    /* the only address is the SVG namespace's name, which nothing fetches */
    cr_expect_eq(count_of(html, "//"), count_of(html, "http://www.w3.org/2000/svg"), "the page refers to the network");
    cr_expect_eq(count_of(html, "url("), 0, "the page loads something");
    free(html);
    char *dom = chromium_dom(page);
    cr_expect_null(strstr(dom, "<img"), "Chromium made an element from a folder name");
    cr_expect_null(strstr(dom, "<script"));
    cr_expect_null(strstr(dom, "<b "));
    cr_expect_not_null(strstr(dom, "&lt;img src=x onerror=alert(1)&gt;"), "the folder name is not shown as text");
    cr_expect_not_null(strstr(dom, "&lt;svg onload=alert(2)&gt;"));
    free(dom);
}

static void expect_probe(const cJSON *probe, const graded_alone *alone, size_t n)
{
    expect_histogram(probe, alone, n);
    expect_pass_rates(probe, alone, n);
    size_t compile_errors = 0;
    for (size_t i = 0; i < n; i++)
        compile_errors += !strcmp(alone[i].status, "compile_error");
    expect_failures(probe, compile_errors);
    cr_expect_eq(num(probe, "scripts"), 1, "a script besides the probe");
    cr_expect_eq(num(probe, "images"), 0);
    cr_expect_eq(num(probe, "bold"), 0);
    cr_expect_eq(num(probe, "svgs"), 1);
    cr_expect_gt(num(probe, "visible"), 1000);
    cr_expect_str_eq(str(probe, "title"), "Gradient Checking — class report");
    const cJSON *ids = cJSON_GetObjectItem(probe, "ids"), *id;
    cr_assert_eq(cJSON_GetArraySize(ids), (int)n);
    static const char *const shown[] = {"<img src=x onerror=alert(1)>", "\"><svg onload=alert(2)>",
                                        "caf\xef\xbf\xbd-verdict-swapped", "o'brien, \"jr\""};
    for (size_t k = 0; k < sizeof shown / sizeof *shown; k++) {
        bool found = false;
        cJSON_ArrayForEach(id, ids)
            found |= !strcmp(id->valuestring, shown[k]);
        cr_expect(found, "the student %s is not shown as text", shown[k]);
    }
}

/* ---- interruption ---------------------------------------------------------------------- */

typedef struct {
    char id[64];
    ino_t ino;
    struct timespec mtime;
    char graded_at[40];
} report_stamp;

static void stamp(const char *reports, const char *id, report_stamp *out)
{
    char name[300];
    snprintf(name, sizeof name, "%s.json", id);
    char *path = path_of(reports, name);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "no report %s", path);
    char *text = tu_read(path, NULL);
    cJSON *doc = cJSON_Parse(text);
    cr_assert_not_null(doc, "report %s is not JSON", path);
    snprintf(out->id, sizeof out->id, "%s", id);
    out->ino = st.st_ino;
    out->mtime = st.st_mtim;
    snprintf(out->graded_at, sizeof out->graded_at, "%s",
             cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "batch"), "graded_at")->valuestring);
    cJSON_Delete(doc);
    free(text);
    free(path);
}

static void expect_same_stamp(const char *reports, const report_stamp *before)
{
    report_stamp now;
    stamp(reports, before->id, &now);
    cr_expect(now.ino == before->ino && now.mtime.tv_sec == before->mtime.tv_sec &&
              now.mtime.tv_nsec == before->mtime.tv_nsec && !strcmp(now.graded_at, before->graded_at),
              "%s was graded again (%s, then %s)", before->id, before->graded_at, now.graded_at);
}

/* Starts argv, waits for `rows` rows in the gradebook, sends sig; the rows then. */
static csv_table interrupt_after(const char *const *argv, const char *csv, size_t rows, int sig, const char *logs)
{
    char *out = path_of(logs, "stdout"), *err = path_of(logs, "stderr");
    pid_t pid = start(argv, out, err);
    double deadline = now_s() + 180;
    while (csv_rows_now(csv) < rows && now_s() < deadline)
        sleep_s(0.02);
    cr_assert_geq(csv_rows_now(csv), rows, "the batch never reached %zu rows", rows);
    kill(pid, sig);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    char *log = tu_read(err, NULL);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == sig, "the grader did not end by signal %d "
              "(status %#x): %s", sig, status, log);
    cr_expect_not_null(strstr(log, "interrupted by SIG"), "%s", log);
    free(log);
    free(out);
    free(err);
    return csv_read(csv);
}

static size_t count_lines_starting(const char *text, const char *prefix)
{
    size_t n = 0;
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        n += !strncmp(p, prefix, strlen(prefix));
    return n;
}

static void expect_no_temp_files(const char *reports)
{
    DIR *d = opendir(reports);
    cr_assert_not_null(d);
    struct dirent *e;
    size_t files = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        files++;
        cr_expect_null(strstr(e->d_name, ".tmp"), "a temporary file was left: %s", e->d_name);
    }
    closedir(d);
    /* ID.txt, ID.instructor.txt and ID.json */
    cr_expect_eq(files, 3 * NSTUDENTS, "%zu files in the reports folder", files);
}

/* Interrupted half-way by SIGTERM and started again: the same gradebook as one
 * uninterrupted run, and what was finished is not graded again. */
/* The folder name (the report's file name) of the class's student the
 * gradebook shows as shown (safe text: a Latin-1 byte is U+FFFD there). */
static const char *folder_of_shown(const char *shown)
{
    for (size_t i = 0; i < NSTUDENTS; i++) {
        char *safe = safetext_make(class_specs[i].id);
        bool same = safe && !strcmp(safe, shown);
        free(safe);
        if (same)
            return class_specs[i].id;
    }
    cr_assert_fail("no student is shown as %s", shown);
    return NULL;
}

static void interrupt_and_resume(const char *class_dir, const char *csv_a)
{
    char *out_b = tu_tmpdir("batch-b"), *owned[3] = {0};
    const char *argv[20];
    batch_argv(argv, class_dir, out_b, owned);
    csv_table t1 = interrupt_after(argv, owned[0], 12, SIGTERM, out_b);
    size_t done = t1.n - 1;
    cr_assert(done >= 12 && done < NSTUDENTS, "%zu rows after the interruption", done);
    csv_table ta = csv_read(csv_a);
    report_stamp stamps[NSTUDENTS];
    for (size_t i = 1; i < t1.n; i++) {
        const char *id = unguarded(t1.rows[i].f[0]);
        const csv_row *a = csv_find(&ta, id);
        cr_assert_not_null(a, "%s: a row that the full run does not have", id);
        for (size_t f = 0; f < a->n; f++)
            cr_expect_str_eq(t1.rows[i].f[f], a->f[f], "%s: field %zu differs from the full run", id, f);
        stamp(owned[1], folder_of_shown(id), &stamps[i - 1]);
    }
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "the resumed batch: exit %d: %s", r.status, r.err);
    char said[80];
    snprintf(said, sizeof said, "%zu of %d students already graded", done, NSTUDENTS);
    cr_expect_not_null(strstr(r.err, said), "%s", r.err);
    cr_expect_eq(count_lines_starting(r.err, "grade.sh: ["), NSTUDENTS - done, "%s", r.err);
    char *a_text = tu_read(csv_a, NULL), *b_text = tu_read(owned[0], NULL);
    cr_expect_str_eq(b_text, a_text, "the resumed gradebook differs from the uninterrupted one");
    for (size_t i = 0; i < done; i++)
        expect_same_stamp(owned[1], &stamps[i]);
    expect_no_temp_files(owned[1]);
    tu_result_free(&r);
    free(a_text);
    free(b_text);
    for (int i = 0; i < 3; i++)
        free(owned[i]);
    free(out_b);
}

/* ---- the tests ------------------------------------------------------------------------ */

Test(batch, forty_mixed_submissions_alone_batched_interrupted_resumed, .timeout = 600)
{
    char *class_dir = make_class(class_specs, NSTUDENTS);
    graded_alone alone[NSTUDENTS];
    grade_alone(class_dir, class_specs, NSTUDENTS, alone);

    const char *argv[20];
    char *owned[3] = {0};
    batch_argv(argv, class_dir, NULL, owned);
    tu_result a = tu_run(argv);
    cr_assert_eq(a.status, 0, "batch exit %d: %s", a.status, a.err);
    char *csv_a = path_of(class_dir, "grades.csv");
    csv_table ta = csv_read(csv_a);
    expect_gradebook(&ta, class_specs, alone, NSTUDENTS);

    char *page = path_of(class_dir, "class-report.html");
    expect_inert_page(page);
    cJSON *probe = chromium_probe(page);
    expect_probe(probe, alone, NSTUDENTS);
    cJSON_Delete(probe);

    /* the class folder now holds the first run's outputs: they are not students */
    interrupt_and_resume(class_dir, csv_a);
    tu_result_free(&a);
    free(csv_a);
    free(page);
    for (size_t i = 0; i < NSTUDENTS; i++)
        cJSON_Delete(alone[i].report);
    free(class_dir);
}

/* A second Ctrl-C does not wait for the grace period: the submission being
 * graded (an endless loop, seconds of work) is stopped at once, leaves no row
 * and no report, and the next run grades it. */
Test(batch, second_signal_stops_at_once, .timeout = 120)
{
    static const student_spec specs[] = {{"a-loop", endless_loop, NULL}, {"b-correct", NULL, NULL}};
    char *class_dir = make_class(specs, 2), *logs = tu_tmpdir("logs");
    char *out = path_of(logs, "stdout"), *err = path_of(logs, "stderr");
    const char *argv[] = {TU_GRADER, "--assignment", TU_ASSIGNMENT, "--batch", class_dir, "--jobs", "1",
                          "--no-progress", NULL};
    pid_t pid = start(argv, out, err);
    char *log = NULL;
    for (double t0 = now_s(); now_s() - t0 < 60; sleep_s(0.05)) {
        free(log);
        log = tu_read(err, NULL);
        if (log && strstr(log, "grading 2 students"))
            break;
    }
    cr_assert(log && strstr(log, "grading 2 students"), "the batch did not start: %s", log);
    sleep_s(0.3);
    kill(pid, SIGINT);
    sleep_s(0.2);
    double second = now_s();
    kill(pid, SIGINT);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    double took = now_s() - second;
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT, "status %#x", status);
    cr_expect_lt(took, 1.5, "the grader took %.2f s after the second signal: it waited out the grace period", took);
    char *csv = path_of(class_dir, "grades.csv"), *reports = path_of(class_dir, "reports");
    csv_table t = csv_read(csv);
    cr_expect_eq(t.n, 1, "%zu rows after stopping the first submission", t.n - 1);
    char *loop_report = path_of(reports, "a-loop.json");
    cr_expect_neq(access(loop_report, F_OK), 0, "a stopped submission has a report");

    argv[6] = "2";
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    t = csv_read(csv);
    cr_assert_eq(t.n, 3);
    cr_expect_str_eq(csv_find(&t, "a-loop")->f[TOTAL], "40");
    cr_expect_str_eq(csv_find(&t, "b-correct")->f[TOTAL], "50");
    tu_result_free(&r);
    free(log);
    free(loop_report);
    free(csv);
    free(reports);
    free(out);
    free(err);
    free(logs);
    free(class_dir);
}

/* Hidden folders, symlinks, files and the outputs of this and earlier runs are not students. */
Test(batch, only_student_folders_are_students, .timeout = 120)
{
    static const student_spec specs[] = {{"alice", NULL, NULL}, {".git", NULL, NULL}};
    char *class_dir = make_class(specs, 2);
    char *link = path_of(class_dir, "linked"), *alice = path_of(class_dir, "alice");
    cr_assert_eq(symlink(alice, link), 0);
    free(tu_write(class_dir, "README.txt", "the class\n", 10));
    char *out = path_of(class_dir, "out"), *csv = path_of(out, "grades.csv"), *reports = path_of(out, "reports");
    char *page = path_of(out, "class.html");
    const char *argv[] = {TU_GRADER, "--assignment", TU_ASSIGNMENT, "--batch", class_dir, "--no-progress",
                          "--csv", csv, "--reports", reports, "--class-report", page, NULL};
    for (int run = 0; run < 2; run++) {
        tu_result r = tu_run(argv);
        cr_assert_eq(r.status, 0, "%s", r.err);
        csv_table t = csv_read(csv);
        cr_expect_eq(t.n, 2, "run %d: %zu rows", run, t.n - 1);
        cr_expect_not_null(csv_find(&t, "alice"));
        cr_expect_not_null(strstr(r.err, "skipped linked: a symbolic link"), "%s", r.err);
        if (run == 1)
            cr_expect_not_null(strstr(r.err, "all 1 students are already graded"), "%s", r.err);
        tu_result_free(&r);
    }
    /* a run with the default outputs does not take the first run's folder for a student */
    const char *defaults[] = {TU_GRADER, "--assignment", TU_ASSIGNMENT, "--batch", class_dir, "--no-progress", NULL};
    tu_result r = tu_run(defaults);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *default_csv = path_of(class_dir, "grades.csv");
    csv_table t = csv_read(default_csv);
    cr_expect_eq(t.n, 2, "%zu rows", t.n - 1);
    cr_expect_not_null(strstr(r.err, "skipped out: it holds an earlier batch's outputs"), "%s", r.err);
    tu_result_free(&r);
    free(default_csv);
    free(link);
    free(alice);
    free(out);
    free(csv);
    free(reports);
    free(page);
    free(class_dir);
}

/* A changed submission is graded again, and so is one whose report was cut short. */
Test(batch, changed_or_damaged_work_is_regraded, .timeout = 120)
{
    static const student_spec specs[] = {{"a", NULL, NULL}, {"b", NULL, "template"}, {"c", NULL, NULL}};
    char *class_dir = make_class(specs, 3);
    char *csv = path_of(class_dir, "grades.csv"), *reports = path_of(class_dir, "reports");
    const char *argv[] = {TU_GRADER, "--assignment", TU_ASSIGNMENT, "--batch", class_dir, "--no-progress", NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    tu_result_free(&r);
    report_stamp a;
    stamp(reports, "a", &a);
    csv_table first = csv_read(csv);
    cr_expect_str_eq(csv_find(&first, "b")->f[TOTAL], "0");

    char *ref = tu_read("reference/gradient_check/gradient_check.c", NULL), *b_dir = path_of(class_dir, "b");
    free(tu_write(b_dir, "gradient_check.c", ref, strlen(ref)));
    char *c_json = path_of(reports, "c.json");
    size_t len;
    char *c_text = tu_read(c_json, &len);
    free(tu_write(reports, "c.json", c_text, len / 2));

    r = tu_run(argv);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_not_null(strstr(r.err, "1 of 3 students already graded"), "%s", r.err);
    csv_table t = csv_read(csv);
    cr_assert_eq(t.n, 4);
    cr_expect_str_eq(csv_find(&t, "b")->f[TOTAL], "50", "the changed submission kept its old grade");
    cr_expect_str_eq(csv_find(&t, "c")->f[TOTAL], "50");
    expect_same_stamp(reports, &a);
    tu_result_free(&r);
    free(ref);
    free(b_dir);
    free(c_json);
    free(c_text);
    free(csv);
    free(reports);
    free(class_dir);
}

/* ---- the escaping, unit by unit --------------------------------------------------------- */

typedef void (*field_writer)(FILE *, const char *);

static char *written(field_writer w, const char *text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    w(m, text);
    fclose(m);
    return buf;
}

static void expect_written(field_writer w, const char *text, const char *want)
{
    char *got = written(w, text);
    cr_expect_str_eq(got, want, "\"%s\" was written as \"%s\"", text, got);
    free(got);
}

Test(batch_units, csv_fields_are_quoted_and_formulas_guarded)
{
    expect_written(gradebook_field, "plain", "plain");
    expect_written(gradebook_field, "a,b", "\"a,b\"");
    expect_written(gradebook_field, "say \"hi\"", "\"say \"\"hi\"\"\"");
    expect_written(gradebook_field, "two\nlines", "\"two\nlines\"");
    /* safe text first (safetext.h): a CR alone is no line end of ours */
    expect_written(gradebook_field, "cr\r", "cr\xef\xbf\xbd");
    expect_written(gradebook_field, "caf\xe9", "caf\xef\xbf\xbd");
    expect_written(gradebook_id_field, "=1+1", "'=1+1");
    expect_written(gradebook_id_field, "-2", "'-2");
    expect_written(gradebook_id_field, "@SUM(A1)", "'@SUM(A1)");
    expect_written(gradebook_id_field, "=a,b", "\"'=a,b\"");
    expect_written(gradebook_id_field, "alice", "alice");
    /* a formula in any cell a semicolon- or tab-separated reading would see (issue 10) */
    expect_written(gradebook_id_field, "semi;=1+1", "\"semi;'=1+1\"");
    expect_written(gradebook_id_field, "a\t=2+2", "\"a\t'=2+2\"");
    expect_written(gradebook_id_field, "\t=3", "\"'\t'=3\"");
    expect_written(gradebook_id_field, "x,+4;-5\t@6", "\"x,'+4;'-5\t'@6\"");
    expect_written(gradebook_id_field, "two\n=7", "\"two\n'=7\"");
    expect_written(gradebook_field, "status;ok", "\"status;ok\"");
}

Test(batch_units, html_escaping_leaves_no_markup)
{
    expect_written(classrep_escape, "<img src=x onerror='a()'>&\"", "&lt;img src=x onerror=&#39;a()&#39;&gt;&amp;&quot;");
    expect_written(classrep_escape, "caf\xc3\xa9 \xe2\x80\x94 ok", "caf\xc3\xa9 \xe2\x80\x94 ok");
    expect_written(classrep_escape, "caf\xe9", "caf\xef\xbf\xbd");
    expect_written(classrep_escape, "\x1b[31mred", "\xef\xbf\xbd[31mred");
    expect_written(classrep_escape, "\xc0\xbc", "\xef\xbf\xbd\xef\xbf\xbd");   /* an overlong '<' */
    expect_written(classrep_escape, "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");   /* a surrogate */
    expect_written(classrep_escape, "x\xc2\x9b" "2J", "x\xef\xbf\xbd" "2J");   /* a C1 control (8-bit CSI) */
}

Test(batch_units, messages_group_without_their_numbers)
{
    static const char *const cases[][2] = {
        {"expected 8.0, got 6.0", "expected #, got #"},
        {"expected -0.375 (rtol 1e-05, atol 1e-08), got nan", "expected # (rtol #, atol #), got #"},
        {"crashed with SIGSEGV (segmentation fault)", "crashed with SIGSEGV (segmentation fault)"},
        {"dW2_x2 and gradient_check_n stay", "dW2_x2 and gradient_check_n stay"},
        {"information, infinity", "information, infinity"},
        {"got 2.5.", "got #."},
        {"timed out after 2 s", "timed out after # s"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = classrep_normalize(cases[i][0]);
        cr_expect_str_eq(got, cases[i][1], "\"%s\" became \"%s\"", cases[i][0], got);
        free(got);
    }
}
