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

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct {
    char *find;
    char *replace;
} mistake_edit;

typedef struct {
    char *id;
    char *function;       /* the graded function it gets wrong (a variant: writes otherwise) */
    char *hint;           /* "your difference is what you get when ..."; a variant: why it is right */
    mistake_edit *edits;
    size_t nedits;
    int line;
    /* What it must cost (the pack builder checks it): NULL no expectation;
     * otherwise the exercises where it must lose points. 'loses: true' is
     * the exercise of its function. */
    char **loses;
} mistake;

/* A degenerate result that many mistakes produce (a difference of exactly
 * 1, 1/3, 0...): the hint states the symptom and names no mistake. */
typedef struct {
    double value;
    char **functions;     /* NULL-terminated: the functions whose results it concerns */
    char *hint;
    int line;
} symptom;

typedef struct {
    char *path;
    mistake *items;
    size_t count;
    bool variants;        /* a catalogue of legitimate variants, not of mistakes */
    symptom *symptoms;    /* 'symptoms:' of a mistake catalogue */
    size_t nsymptoms;
} mistake_catalogue;

/* Loads and checks path; errors read "path:LINE: what is wrong". */
int mistakes_load(const char *path, mistake_catalogue *out, hr_error *err);

/* A catalogue of legitimate variants: the same shape under 'variants:', with
 * 'why' (what makes it right) instead of 'hint' and no 'loses'. Every
 * variant must score full marks on every test (the pack builder checks it). */
int variants_load(const char *path, mistake_catalogue *out, hr_error *err);
void mistakes_free(mistake_catalogue *c);

/* Applies m's edits to source; every edit must match exactly once. */
char *mistakes_apply(const mistake *m, const char *source, hr_error *err);

#endif
