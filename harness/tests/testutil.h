/*
 * testutil — helpers shared by the project's Criterion tests.
 *
 * End-to-end tests grade real folders with the built grader and read its JSON
 * report; wrong submissions are made as small, named edits of the reference
 * (each edit must apply, so a test cannot silently grade the reference). Tests
 * run from the repository's top folder (make test does that).
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* The build folder (make passes it) and what the tests grade with. */
#ifndef TU_BUILD
#define TU_BUILD "build"
#endif
#define TU_GRADER TU_BUILD "/grader"
#define TU_ASSIGNMENT TU_BUILD "/gradient_check"

typedef struct {
    int status;          /* exit status, or 128 + signal */
    char *out, *err;     /* everything it printed */
    double seconds;
} tu_result;

/* Runs argv (argv[0] a path) to its end; NULL-terminated argv. */
tu_result tu_run(const char *const *argv);
void tu_result_free(tu_result *r);

/* A new empty folder under $TMPDIR (or /tmp), removed when the test's process
 * exits (kept when TU_KEEP is set, to look at after a failure). */
char *tu_tmpdir(const char *prefix);

/* Writes text to dir/name (creating dir). Returns the file path. */
char *tu_write(const char *dir, const char *name, const char *text, size_t len);

/* Reads a whole file (NULL if missing). */
char *tu_read(const char *path, size_t *len);

/* A submission folder whose gradient_check.c is the reference with each
 * edits[i][0] replaced by edits[i][1] (all occurrences); the test fails if an
 * edit does not apply. edits ends with {NULL, NULL}. */
char *tu_submission_from_reference(const char *label, const char *const (*edits)[2]);

/* A submission folder holding text as gradient_check.c. */
char *tu_submission(const char *label, const char *text);

/* Grades a folder with the grader (--format json, plus extra options, NULL-
 * terminated) and returns the parsed report; the test fails if the grader does
 * not exit 0 with valid JSON on stdout. */
cJSON *tu_grade(const char *submission, const char *const *extra);

/* Another assignment's build (e.g. TU_BUILD "/regularization"): tu_grade
 * with it, and a submission folder holding text as file. */
cJSON *tu_grade_assignment(const char *assignment, const char *submission, const char *const *extra);
char *tu_submission_named(const char *label, const char *file, const char *text);

/* Score of an exercise ("" for the total). */
double tu_score(const cJSON *report, const char *exercise);
/* The test object named by its id ("gradient_check_n/3"). */
const cJSON *tu_test(const cJSON *report, const char *id);
/* Message of a test, for assertions. */
const char *tu_message(const cJSON *report, const char *id);

#endif
