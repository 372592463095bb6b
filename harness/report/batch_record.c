/* batch_record — see batch_record.h. */
#include "batch_record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "safetext.h"
#include "fsutil.h"
#include "jsonio.h"
#include "report.h"

size_t brec_count_tests(const pack *p)
{
    size_t n = 0;
    for (size_t e = 0; e < p->rubric.nexercises; e++)
        n += p->rubric.exercises[e].ntests;
    return n;
}

/* reports_dir/ID + suffix, as a new string. */
static char *report_path(const char *reports_dir, const char *id, const char *suffix)
{
    char *path;
    return asprintf(&path, "%s/%s%s", reports_dir, id, suffix) < 0 ? NULL : path;
}

static void utc_now(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char day[24];
    strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 32, "%s.%03ldZ", day, ts.tv_nsec / 1000000);
}

/* ---- writing ------------------------------------------------------------------ */

static int write_text_report(const char *path, const pack *p, const grade_result *g, bool student,
                             hr_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return hr_fail(err, "out of memory writing %s", path);
    if (student)
        report_text_student(m, p, g, false);
    else
        report_text(m, p, g, false);
    if (fclose(m) != 0) {
        free(buf);
        return hr_fail(err, "out of memory writing %s", path);
    }
    int rc = fs_write_atomic(path, buf, len, err);
    free(buf);
    return rc;
}

static int write_json_report(const char *path, const char *id, const char *fingerprint,
                             const pack *p, const grade_result *g, hr_error *err)
{
    cJSON *doc = report_json(p, g);
    cJSON *b = doc ? cJSON_AddObjectToObject(doc, "batch") : NULL;
    char when[32];
    utc_now(when);
    if (!b || !cJSON_AddStringToObject(b, "id", id) ||
        !cJSON_AddStringToObject(b, "fingerprint", fingerprint) ||
        !cJSON_AddStringToObject(b, "graded_at", when)) {
        cJSON_Delete(doc);
        return hr_fail(err, "out of memory writing %s", path);
    }
    int rc = jsonio_write_file(path, doc, err);
    cJSON_Delete(doc);
    return rc;
}

int brec_write(const char *reports_dir, const char *id, const char *fingerprint, const pack *p,
               const grade_result *g, hr_error *err)
{
    char *txt = report_path(reports_dir, id, ".txt");
    char *mine = report_path(reports_dir, id, ".instructor.txt");
    char *json = report_path(reports_dir, id, ".json");
    int rc;
    if (!txt || !json || !mine)
        rc = hr_fail(err, "out of memory");
    else   /* the JSON last: its presence says all are complete */
        rc = write_text_report(txt, p, g, true, err) == 0 && write_text_report(mine, p, g, false, err) == 0
                 ? write_json_report(json, id, fingerprint, p, g, err) : -1;
    free(txt);
    free(mine);
    free(json);
    return rc;
}

/* ---- reading ------------------------------------------------------------------ */

static int alloc_record(const char *id, const pack *p, brec *out)
{
    memset(out, 0, sizeof *out);
    out->ntests = brec_count_tests(p);
    out->id = safetext_make(id);   /* a folder name: shown in the gradebook, the page, progress lines */
    out->scores = calloc(p->rubric.nexercises + 1, sizeof *out->scores);
    out->passed = calloc(out->ntests + 1, sizeof *out->passed);
    out->messages = calloc(out->ntests + 1, sizeof *out->messages);
    if (!out->id || !out->scores || !out->passed || !out->messages) {
        brec_free(out);
        return -1;
    }
    return 0;
}

static bool string_is(const cJSON *obj, const char *key, const char *want)
{
    const cJSON *v = jsonio_get(obj, key);
    return cJSON_IsString(v) && !strcmp(v->valuestring, want);
}

static const char *string_of(const cJSON *obj, const char *key)
{
    const cJSON *v = jsonio_get(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* One test of the report, in the rubric's place k. */
static bool read_test(const cJSON *t, const pack_case *c, brec *out, size_t k)
{
    const char *status = string_of(t, "status"), *msg = string_of(t, "student_message");
    if (!cJSON_IsObject(t) || !string_is(t, "id", c->id) || !status || !msg)
        return false;
    out->passed[k] = !strcmp(status, "passed");
    /* an optional exercise not attempted is no failure: it has no message */
    if (!strcmp(status, "not_attempted"))
        return true;
    if (!out->passed[k] && !(out->messages[k] = strdup(msg)))
        return false;
    return out->passed[k] || !strcmp(status, "failed");
}

static bool read_exercises(const cJSON *exs, const pack *p, brec *out)
{
    const rubric *r = &p->rubric;
    if (!cJSON_IsArray(exs) || (size_t)cJSON_GetArraySize(exs) != r->nexercises)
        return false;
    size_t k = 0;
    for (size_t e = 0; e < r->nexercises; e++) {
        const cJSON *ex = cJSON_GetArrayItem(exs, (int)e), *tests = jsonio_get(ex, "tests");
        if (!string_is(ex, "id", r->exercises[e].id) ||
            jsonio_get_double(jsonio_get(ex, "score"), &out->scores[e]) != 0 ||
            !cJSON_IsArray(tests) || (size_t)cJSON_GetArraySize(tests) != r->exercises[e].ntests)
            return false;
        for (size_t t = 0; t < r->exercises[e].ntests; t++, k++)
            if (!read_test(cJSON_GetArrayItem(tests, (int)t), &p->cases[e][t], out, k))
                return false;
    }
    return true;
}

/* Is doc a complete report of this rubric for this id and fingerprint? Fills out. */
static bool read_report(const cJSON *doc, const char *id, const char *fingerprint, const pack *p,
                        brec *out)
{
    const cJSON *b = jsonio_get(doc, "batch");
    const char *status = string_of(doc, "status"), *when = string_of(b, "graded_at");
    /* the report holds the id as every JSON document holds text: made safe */
    char *safe_id = safetext_make(id);
    bool same_id = safe_id && string_is(b, "id", safe_id);
    free(safe_id);
    if (!same_id || !string_of(b, "fingerprint") ||
        (fingerprint && !string_is(b, "fingerprint", fingerprint)) || !status || !when ||
        !string_is(doc, "assignment", p->rubric.assignment) ||
        jsonio_get_double(jsonio_get(doc, "score"), &out->total) != 0)
        return false;
    snprintf(out->graded_at, sizeof out->graded_at, "%s", when);
    out->status = strdup(status);
    out->graded = true;
    return out->status && read_exercises(jsonio_get(doc, "exercises"), p, out);
}

int brec_load(const char *reports_dir, const char *id, const char *fingerprint, const pack *p,
              brec *out)
{
    memset(out, 0, sizeof *out);
    char *json = report_path(reports_dir, id, ".json"), *txt = report_path(reports_dir, id, ".txt");
    hr_error ignored;
    cJSON *doc = json && txt && fs_is_file(json) && fs_is_file(txt) ? jsonio_read_file(json, &ignored) : NULL;
    bool done = doc && alloc_record(id, p, out) == 0 && read_report(doc, id, fingerprint, p, out);
    cJSON_Delete(doc);
    free(json);
    free(txt);
    if (!done)
        brec_free(out);
    return done ? 1 : 0;
}

int brec_failed(const char *id, const pack *p, const char *why, brec *out)
{
    if (alloc_record(id, p, out) != 0)
        return -1;
    out->status = strdup(BREC_GRADER_ERROR);
    out->why = strdup(why);
    if (!out->status || !out->why) {
        brec_free(out);
        return -1;
    }
    return 0;
}

void brec_free(brec *r)
{
    for (size_t k = 0; r->messages && k < r->ntests; k++)
        free(r->messages[k]);
    free(r->messages);
    free(r->passed);
    free(r->scores);
    free(r->status);
    free(r->why);
    free(r->id);
    memset(r, 0, sizeof *r);
}
