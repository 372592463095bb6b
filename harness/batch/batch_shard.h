/*
 * batch_shard — a class graded on several machines: which students a shard
 * grades, and the manifest that lets the shards' reports be merged.
 *
 * `grade.sh --batch DIR --shard K/N` grades the students whose id hashes to
 * K (1..N): the share depends on the id alone (FNV-1a of its bytes, mixed,
 * modulo N), never on a position in a list, so adding a student to the class
 * moves nobody else to another shard, and every machine computes the same
 * shares with no coordination. Each batch (a shard, or a whole class as 1/1)
 * leaves in its reports folder a manifest: the build of the assignment it
 * graded with, K and N, and every student of its share with the fingerprint
 * their folder had. `grade.sh --merge` trusts a shard's reports only when
 * they agree with its manifest and the manifests agree with each other and
 * with the build doing the merge, so a missing, repeated, unfinished or
 * foreign shard is named instead of silently making a short gradebook.
 */
#ifndef BATCH_SHARD_H
#define BATCH_SHARD_H

#include <stddef.h>
#include <stdint.h>

#include "batch_roster.h"
#include "error.h"

/* Bumped when what a report means changes, so older reports are regraded. */
#define BATCH_FORMAT "gradient-harness batch 1"
/* The manifest, in the reports folder (hidden: no student's id starts with '.'). */
#define SHARD_MANIFEST ".grader-shard.json"
#define SHARD_MAX 100000

/* Parses "K/N" (1 <= K <= N <= SHARD_MAX). 0, or -1 with why. */
int shard_parse(const char *text, unsigned *k, unsigned *n, char *why, size_t whylen);

/* The shard (1..n) that grades id. */
unsigned shard_of(const char *id, unsigned n);

/* The assignment as built (its pack and runner, and BATCH_FORMAT): a new
 * build gives another value, and every report of the old one is stale. */
int shard_build_salt(const char *assignment_dir, uint64_t *salt, hr_error *err);

typedef struct {
    char *id;
    char fingerprint[ROSTER_FINGERPRINT_LEN];
} shard_student;

typedef struct {
    char *path;               /* the manifest file read (for messages) */
    char *assignment;         /* the rubric's assignment name */
    uint64_t build;           /* shard_build_salt of the grading build */
    unsigned k, n;
    shard_student *students;  /* the share, sorted by id */
    size_t count;
} shard_manifest;

/* Writes m to reports_dir/SHARD_MANIFEST atomically (m->path is ignored). */
int shard_manifest_write(const char *reports_dir, const shard_manifest *m, hr_error *err);

/* Reads reports_dir's manifest; -1 with err saying what is wrong with it. */
int shard_manifest_read(const char *reports_dir, shard_manifest *out, hr_error *err);

void shard_manifest_free(shard_manifest *m);

#endif
