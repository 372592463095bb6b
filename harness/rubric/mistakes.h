/*
 * mistakes — the assignment's catalogue of known mistakes, read from YAML.
 *
 * A mistake is a small wrong implementation of one graded function, written as
 * edits of the reference solution ("find this, write that instead"), with the
 * hint a student should read when their results match it. The pack builder
 * compiles each edited reference into its own runner and records what it
 * returns on every test of that function; the grader compares a failing
 * test's value with those and names the mistake that explains it. Adding a
 * mistake is adding an entry to the catalogue, not code.
 */
#ifndef MISTAKES_H
#define MISTAKES_H

#include <stddef.h>

#include "error.h"

typedef struct {
    char *find;
    char *replace;
} mistake_edit;

typedef struct {
    char *id;
    char *function;       /* the graded function it gets wrong */
    char *hint;           /* "your difference is what you get when ..." */
    mistake_edit *edits;
    size_t nedits;
    int line;
} mistake;

typedef struct {
    char *path;
    mistake *items;
    size_t count;
} mistake_catalogue;

/* Loads and checks path; errors read "path:LINE: what is wrong". */
int mistakes_load(const char *path, mistake_catalogue *out, hr_error *err);
void mistakes_free(mistake_catalogue *c);

/* Applies m's edits to source; every edit must match exactly once. */
char *mistakes_apply(const mistake *m, const char *source, hr_error *err);

#endif
