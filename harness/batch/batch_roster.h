/*
 * batch_roster — who is in the class: the student folders of a batch, and a
 * fingerprint of what each one holds.
 *
 * Every subfolder of the batch folder is one student, named by the folder's
 * name (the id). Hidden folders and the batch's output folders are not
 * students, and neither is anything that is not a folder (a file, a symlink).
 * Output folders are known by their path in this run, and by a marker file
 * that every run leaves in them, so that the reports of an earlier run made
 * with other options are not taken for a student either (a student folder
 * holding a marker is said out loud, not skipped silently).
 * The list is sorted by id so that every output is the same whatever order
 * the grading finished in.
 *
 * A fingerprint changes whenever anything intake could read changes (the
 * names, types and sizes of the folder's entries, the contents of its .c
 * files) or the assignment does (the salt); a finished report is trusted on
 * resume only when it carries the fingerprint the folder has now. It is an
 * FNV-1a hash: it detects change, it is not a defence against a forger (a
 * student who forged a collision would only keep the grade the earlier
 * content earned).
 */
#ifndef BATCH_ROSTER_H
#define BATCH_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* The file that marks a folder as a batch's output. */
#define ROSTER_OUTPUT_MARKER ".grader-batch-output"

#define ROSTER_HASH_INIT 0xcbf29ce484222325ULL
/* 16 hex digits and the terminator. */
#define ROSTER_FINGERPRINT_LEN 17

typedef struct {
    char *id;       /* the folder's name, as it is (any bytes but '/') */
    char *path;     /* batch folder + id */
} roster_student;

typedef struct {
    roster_student *students;
    size_t n;
    char **skipped;     /* NULL-terminated: one sentence per entry that looked like a student and was not taken */
} roster;

/* Lists the students of dir, leaving out the folders in exclude (NULL-
 * terminated paths; missing ones are ignored). */
int roster_list(const char *dir, const char *const *exclude, roster *out, hr_error *err);
void roster_free(roster *r);

/* Folds len bytes into an FNV-1a hash. */
uint64_t roster_hash(uint64_t h, const void *data, size_t len);

/* The fingerprint of a student folder as hex text. Never fails: what cannot
 * be read is hashed as its error, so it still changes when that changes. */
void roster_fingerprint(const char *path, uint64_t salt, char out[ROSTER_FINGERPRINT_LEN]);

#endif
