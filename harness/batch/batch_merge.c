/* batch_merge — see batch_merge.h. */
#include "batch_merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch_record.h"
#include "batch_shard.h"
#include "class_report.h"
#include "fsutil.h"
#include "gradebook.h"

typedef struct {
    const batch_context *ctx;
    uint64_t build;
    shard_manifest *shards;    /* one per folder given, in the order given */
    size_t nshards;
    brec *rows;                /* every student of every shard */
    size_t nrows;
} merge;

/* The shards must be one split (same N), each K once, none missing. */
static int check_split(const merge *m, hr_error *err)
{
    char *const *dirs = m->ctx->cli->merge_dirs;
    unsigned n = m->shards[0].n;
    const shard_manifest **by_k = calloc(n + 1, sizeof *by_k);
    if (!by_k)
        return hr_fail(err, "out of memory");
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < m->nshards; i++) {
        const shard_manifest *s = &m->shards[i];
        if (s->n != n)
            rc = hr_fail(err, "%s is shard %u of %u but %s is shard %u of %u: merge the folders of one split "
                         "of the class (the same N)", dirs[i], s->k, s->n, dirs[0], m->shards[0].k, n);
        else if (by_k[s->k])
            rc = hr_fail(err, "shard %u of %u is given twice: %s and %s (give each shard's reports once)",
                         s->k, n, dirs[by_k[s->k] - m->shards], dirs[i]);
        else
            by_k[s->k] = s;
    }
    if (rc == 0 && m->nshards < n) {
        char missing[400] = "";
        size_t len = 0, count = 0;
        for (unsigned k = 1; k <= n; k++)
            if (!by_k[k] && count++ < 10 && len < sizeof missing - 40)
                len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%u", len ? ", " : "", k);
        rc = hr_fail(err, "%zu of the %u shards missing (%s%s of %u): give every shard's reports folder "
                     "(grade.sh --batch DIR --shard K/%u writes DIR/shards/reports-K-of-%u)", count, n, missing,
                     count > 10 ? ", ..." : "", n, n, n);
    }
    free(by_k);
    return rc;
}

/* Is the shard read from dir one of this assignment, as this build grades it? */
static int check_build(const merge *m, const shard_manifest *s, const char *dir, hr_error *err)
{
    const char *mine = m->ctx->pack->rubric.assignment;
    if (strcmp(s->assignment, mine))
        return hr_fail(err, "%s holds reports of the assignment '%s', not of '%s' (this grader's "
                       "--assignment)", dir, s->assignment, mine);
    if (s->build != m->build)
        return hr_fail(err, "%s (shard %u of %u) was graded with another build of '%s' (its rubric, tests or "
                       "runner differ from this one's): merge with the build that graded every shard, or "
                       "grade that shard again with this one", dir, s->k, s->n, mine);
    return 0;
}

/* Loads every student of s, each a complete report of the submission the
 * manifest lists, or says that the shard is not finished. */
static int take_rows(merge *m, const shard_manifest *s, const char *dir, hr_error *err)
{
    size_t missing = 0;
    const char *first = NULL;
    for (size_t i = 0; i < s->count; i++) {
        const shard_student *st = &s->students[i];
        if (shard_of(st->id, s->n) != s->k)
            return hr_fail(err, "%s lists '%s', who belongs to shard %u of %u, not %u: the manifest was edited",
                           s->path, st->id, shard_of(st->id, s->n), s->n, s->k);
        if (brec_load(dir, st->id, st->fingerprint, m->ctx->pack, &m->rows[m->nrows]) == 1) {
            m->nrows++;
        } else if (missing++ == 0) {
            first = st->id;
        }
    }
    if (missing)
        return hr_fail(err, "shard %u of %u (%s) is not finished: %zu of its %zu students have no complete "
                       "report of the submission it listed (the first: %s); run its grade.sh --batch DIR "
                       "--shard %u/%u again (it resumes), then merge", s->k, s->n, dir, missing, s->count,
                       first, s->k, s->n);
    return 0;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const brec *)a)->id, ((const brec *)b)->id);
}

static int write_outputs(const merge *m, hr_error *err)
{
    const batch_options *o = m->ctx->cli;
    char *csv = o->csv ? strdup(o->csv) : fs_join(o->merge, "grades.csv");
    char *page = o->class_report ? strdup(o->class_report) : fs_join(o->merge, "class-report.html");
    const brec **rows = calloc(m->nrows + 1, sizeof *rows);
    int rc = csv && page && rows ? 0 : hr_fail(err, "out of memory");
    for (size_t i = 0; rows && i < m->nrows; i++)
        rows[i] = &m->rows[i];
    if (rc == 0 && (!o->csv || !o->class_report) && fs_mkdirs(o->merge, 0755, err) != 0)
        rc = hr_wrap(err, "cannot make the merge's output folder");
    if (rc == 0)
        rc = gradebook_write(csv, &m->ctx->pack->rubric, rows, m->nrows, err);
    char when[64];
    classrep_timestamp(when, sizeof when);
    classrep_input in = {m->ctx->pack, rows, m->nrows, m->nrows, when};
    if (rc == 0)
        rc = classrep_write(page, &in, err);
    if (rc == 0)
        fprintf(stderr, "grade.sh: merged %zu shards, %zu students; gradebook %s, class report %s\n",
                m->nshards, m->nrows, csv, page);
    free(rows);
    free(csv);
    free(page);
    return rc;
}

static int run(merge *m, hr_error *err)
{
    const batch_options *o = m->ctx->cli;
    if (shard_build_salt(o->assignment, &m->build, err) != 0)
        return -1;
    m->shards = calloc(o->nmerge + 1, sizeof *m->shards);
    if (!m->shards)
        return hr_fail(err, "out of memory");
    size_t total = 0;
    for (; m->nshards < o->nmerge; m->nshards++) {
        shard_manifest *s = &m->shards[m->nshards];
        if (shard_manifest_read(o->merge_dirs[m->nshards], s, err) != 0 ||
            check_build(m, s, o->merge_dirs[m->nshards], err) != 0)
            return -1;
        total += s->count;
    }
    if (check_split(m, err) != 0)
        return -1;
    m->rows = calloc(total + 1, sizeof *m->rows);
    if (!m->rows)
        return hr_fail(err, "out of memory");
    for (size_t i = 0; i < m->nshards; i++)
        if (take_rows(m, &m->shards[i], o->merge_dirs[i], err) != 0)
            return -1;
    qsort(m->rows, m->nrows, sizeof *m->rows, by_id);   /* as one machine's roster: by id */
    return write_outputs(m, err);
}

int batch_merge(const batch_context *ctx, hr_error *err)
{
    merge m = {.ctx = ctx};
    int rc = run(&m, err);
    for (size_t i = 0; i < m.nrows; i++)
        brec_free(&m.rows[i]);
    free(m.rows);
    for (size_t i = 0; m.shards && i < ctx->cli->nmerge; i++)
        shard_manifest_free(&m.shards[i]);
    free(m.shards);
    return rc;
}
