/*
 * batch_roster — who is in the class: the student folders of a batch, and a
 * fingerprint of what each one holds.
 *
 * Every subfolder of the batch folder is one student, named by the folder's
 * name (the id). Hidden folders and the batch's output folders are not
 * students, and neither is anything that is not a folder (a file, a symlink).
 * Output folders are known by their path in this run, and by a marker file
 * that every run leaves in them, so that the reports of an earlier run made
 * with other options are not taken for a student either (skipped, said out
 * loud). A marker counts only when it holds the token of that very folder
 * (its device and inode) keyed by a hash of the pack, which no student sees:
 * a marker copied or written into a student's folder proves nothing, and that
 * folder is graded like any other.
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

#include <stdbool.h>
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

/* The most a marker file holds. */
#define ROSTER_MARKER_MAX 512

/* The marker's text for the output folder whose stat is st, under key. */
void roster_marker_text(uint64_t key, unsigned long long dev, unsigned long long ino, char *out, size_t len);

/* Does the folder at path hold a marker made for it under key? */
bool roster_is_output(const char *path, uint64_t key);

/* Lists the students of dir, leaving out the folders in exclude (NULL-
 * terminated paths; missing ones are ignored) and the output folders of
 * earlier runs under key (skipped, said). */
int roster_list(const char *dir, const char *const *exclude, uint64_t key, roster *out, hr_error *err);
void roster_free(roster *r);

/* Folds len bytes into an FNV-1a hash. */
uint64_t roster_hash(uint64_t h, const void *data, size_t len);

/* The fingerprint of a student folder as hex text. Never fails: what cannot
 * be read is hashed as its error, so it still changes when that changes. */
void roster_fingerprint(const char *path, uint64_t salt, char out[ROSTER_FINGERPRINT_LEN]);

#endif
