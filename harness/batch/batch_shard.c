/* batch_shard — see batch_shard.h. */
#include "batch_shard.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "jsonio.h"

int shard_parse(const char *text, unsigned *k, unsigned *n, char *why, size_t whylen)
{
    char *slash, *end;
    errno = 0;
    unsigned long a = strtoul(text, &slash, 10), b = 0;
    bool ok = slash != text && *slash == '/' && text[0] >= '0' && text[0] <= '9';
    if (ok) {
        b = strtoul(slash + 1, &end, 10);
        ok = end != slash + 1 && *end == '\0' && slash[1] >= '0' && slash[1] <= '9' && errno == 0;
    }
    if (!ok || b < 1 || b > SHARD_MAX || a < 1 || a > b) {
        snprintf(why, whylen, "--shard takes K/N, this machine's share K of N shards (1 <= K <= N <= %d), "
                 "not '%s'", SHARD_MAX, text);
        return -1;
    }
    *k = (unsigned)a;
    *n = (unsigned)b;
    return 0;
}

unsigned shard_of(const char *id, unsigned n)
{
    uint64_t h = roster_hash(ROSTER_HASH_INIT, id, strlen(id));
    /* FNV-1a's low bits are weak: mix every bit in (murmur3's finaliser) */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return (unsigned)(h % n) + 1;
}

int shard_build_salt(const char *assignment_dir, uint64_t *salt, hr_error *err)
{
    static const char *const parts[] = {"pack.json", "runner-base.o"};
    uint64_t h = roster_hash(ROSTER_HASH_INIT, BATCH_FORMAT, sizeof BATCH_FORMAT);
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        char *path = fs_join(assignment_dir, parts[i]);
        size_t len = 0;
        char *data = path ? fs_slurp(path, 256u << 20, &len, err) : NULL;
        if (data)
            h = roster_hash(h, data, len);
        free(path);
        free(data);
        if (!data)
            return hr_wrap(err, "cannot read the built assignment");
    }
    *salt = h;
    return 0;
}

/* ---- the manifest ---------------------------------------------------------------- */

int shard_manifest_write(const char *reports_dir, const shard_manifest *m, hr_error *err)
{
    char build[ROSTER_FINGERPRINT_LEN];
    snprintf(build, sizeof build, "%016" PRIx64, m->build);
    cJSON *doc = cJSON_CreateObject(), *list = NULL;
    bool ok = doc && cJSON_AddStringToObject(doc, "format", BATCH_FORMAT) &&
              cJSON_AddStringToObject(doc, "assignment", m->assignment) &&
              cJSON_AddStringToObject(doc, "build", build) && cJSON_AddNumberToObject(doc, "shard", m->k) &&
              cJSON_AddNumberToObject(doc, "shards", m->n) &&
              (list = cJSON_AddArrayToObject(doc, "students")) != NULL;
    for (size_t i = 0; ok && i < m->count; i++) {
        cJSON *s = cJSON_CreateObject();
        ok = s && cJSON_AddItemToArray(list, s) && cJSON_AddStringToObject(s, "id", m->students[i].id) &&
             cJSON_AddStringToObject(s, "fingerprint", m->students[i].fingerprint);
    }
    char *path = fs_join(reports_dir, SHARD_MANIFEST);
    int rc = ok && path ? jsonio_write_file(path, doc, err) : hr_fail(err, "out of memory");
    free(path);
    cJSON_Delete(doc);
    return rc ? hr_wrap(err, "the shard's manifest") : 0;
}

static const char *text_of(const cJSON *obj, const char *key)
{
    const cJSON *v = jsonio_get(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool whole_of(const cJSON *obj, const char *key, unsigned *out)
{
    const cJSON *v = jsonio_get(obj, key);
    if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > SHARD_MAX ||
        v->valuedouble != (double)(unsigned)v->valuedouble)
        return false;
    *out = (unsigned)v->valuedouble;
    return true;
}

static int read_students(const cJSON *list, shard_manifest *m, hr_error *err)
{
    if (!cJSON_IsArray(list))
        return hr_fail(err, "%s has no list of students", m->path);
    size_t n = (size_t)cJSON_GetArraySize(list);
    m->students = calloc(n + 1, sizeof *m->students);
    if (!m->students)
        return hr_fail(err, "out of memory reading %s", m->path);
    const cJSON *s;
    cJSON_ArrayForEach(s, list) {
        const char *id = text_of(s, "id"), *fp = text_of(s, "fingerprint");
        if (!id || !*id || strchr(id, '/') || !fp || strlen(fp) != ROSTER_FINGERPRINT_LEN - 1)
            return hr_fail(err, "%s: student %zu is not an id and a fingerprint", m->path, m->count + 1);
        if (m->count && strcmp(m->students[m->count - 1].id, id) >= 0)
            return hr_fail(err, "%s: the students are not sorted by id (at '%s'): the file was edited",
                           m->path, id);
        if (!(m->students[m->count].id = strdup(id)))
            return hr_fail(err, "out of memory reading %s", m->path);
        snprintf(m->students[m->count++].fingerprint, ROSTER_FINGERPRINT_LEN, "%s", fp);
    }
    return 0;
}

int shard_manifest_read(const char *reports_dir, shard_manifest *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    out->path = fs_join(reports_dir, SHARD_MANIFEST);
    if (!out->path)
        return hr_fail(err, "out of memory");
    if (!fs_is_file(out->path)) {
        hr_fail(err, "%s is not the reports folder of a batch (it has no %s): give the folders that "
                "grade.sh --batch ... --shard K/N wrote (by default DIR/shards/reports-K-of-N)", reports_dir,
                SHARD_MANIFEST);
        shard_manifest_free(out);
        return -1;
    }
    cJSON *doc = jsonio_read_file(out->path, err);
    int rc = doc ? 0 : -1;
    const char *format = text_of(doc, "format"), *assignment = text_of(doc, "assignment"),
               *build = text_of(doc, "build");
    char *end = NULL;
    if (rc == 0 && (!format || strcmp(format, BATCH_FORMAT)))
        rc = hr_fail(err, "%s was written by another version of the grader (format '%s', this one reads '%s'): "
                     "grade that shard again", out->path, format ? format : "none", BATCH_FORMAT);
    if (rc == 0 && build) {
        errno = 0;
        out->build = strtoull(build, &end, 16);
    }
    if (rc == 0 && (!assignment || !build || strlen(build) != 16 || *end || errno ||
                    !whole_of(doc, "shard", &out->k) || !whole_of(doc, "shards", &out->n) || out->k > out->n))
        rc = hr_fail(err, "%s is damaged (its assignment, build or shard K of N is missing or wrong): grade "
                     "that shard again", out->path);
    if (rc == 0 && !(out->assignment = strdup(assignment)))
        rc = hr_fail(err, "out of memory");
    if (rc == 0)
        rc = read_students(jsonio_get(doc, "students"), out, err);
    cJSON_Delete(doc);
    if (rc != 0)
        shard_manifest_free(out);
    return rc;
}

void shard_manifest_free(shard_manifest *m)
{
    for (size_t i = 0; i < m->count; i++)
        free(m->students[i].id);
    free(m->students);
    free(m->assignment);
    free(m->path);
    memset(m, 0, sizeof *m);
}
