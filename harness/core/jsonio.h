/*
 * jsonio — the harness's JSON conventions on top of cJSON.
 *
 * cJSON builds, prints and parses every document; this module adds what the
 * harness needs on top: doubles that survive a round trip bit for bit (written
 * as Python's repr through cJSON raw items, because cJSON's own printer may drop
 * the last bit), non-finite doubles as the strings "nan", "inf", "-inf" (JSON has
 * no spelling for them and a student's NaN must reach the grader as a NaN),
 * matrices as lists of rows, and files read and written with their path in
 * every error. Writes are atomic (temporary file, fsync, rename) and never
 * follow a symlink planted at the destination.
 */
#ifndef JSONIO_H
#define JSONIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "error.h"

/* A number item holding exactly v ("nan"/"inf"/"-inf" strings when not finite). */
cJSON *jsonio_double(double v);
/* Adds jsonio_double(v) to obj under key. Returns the item, NULL on failure. */
cJSON *jsonio_add_double(cJSON *obj, const char *key, double v);
/* Reads a number, or one of the non-finite strings. 0 on success, -1 otherwise. */
int jsonio_get_double(const cJSON *item, double *out);

/* Rewrites every number item of a parsed tree as an exact raw number, so that
 * printing it again keeps every bit. Returns item. */
cJSON *jsonio_exact(cJSON *item);

/* A list of rows, each a list of numbers. */
cJSON *jsonio_matrix(const double *data, size_t rows, size_t cols);
/* Reads a list of rows (or, with allow_flat, a flat list read as one row) into a
 * new row-major array. 0 on success; -1 with err naming what is wrong. */
int jsonio_get_matrix(const cJSON *item, bool allow_flat, double **data, size_t *rows,
                      size_t *cols, hr_error *err);

/* Do a and b hold the same value: numbers equal as doubles (jsonio_get_double:
 * exact raw numbers and "nan"/"inf" strings too; NaN equals NaN, -0.0 equals
 * 0.0), lists and objects with the same members, recursively, anything else
 * as cJSON_Compare says? */
bool jsonio_equal(const cJSON *a, const cJSON *b);

/* Object member lookup that is case-sensitive (cJSON's default is not). */
const cJSON *jsonio_get(const cJSON *obj, const char *key);

/* Parses a whole file. NULL with err (path and position) on failure. */
cJSON *jsonio_read_file(const char *path, hr_error *err);
/* Parses a buffer; what names the buffer in error messages. */
cJSON *jsonio_parse(const char *text, size_t len, const char *what, hr_error *err);
/* Prints doc (indented) to path atomically, mode 0644 within its folder. */
int jsonio_write_file(const char *path, const cJSON *doc, hr_error *err);
/* Prints doc, indented, followed by a newline, to a stdio stream. */
int jsonio_print(FILE *out, const cJSON *doc);

#endif
