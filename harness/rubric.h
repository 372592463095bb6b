/*
 * rubric — an assignment's grading rules, read from YAML with libyaml.
 *
 * The rubric says what is graded and for how much: exercises with their points,
 * and for each test the function it calls, its inputs (as written: the
 * assignment expands fixture names, seeds and variants later), how the result
 * is compared, its points and who may see it. Everything generic is checked
 * here, each error with its line: unknown keys, wrong types, points that do not
 * add up, duplicate ids. What only the assignment knows (function names, input
 * keys, variants) is checked by the pack builder, with the lines kept here.
 */
#ifndef RUBRIC_H
#define RUBRIC_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "error.h"

typedef enum { RUBRIC_EXACT, RUBRIC_TOLERANCE, RUBRIC_VERDICT, RUBRIC_BLOCKS } rubric_compare_kind;

typedef struct {
    rubric_compare_kind kind;
    double rtol, atol;        /* tolerance: |got - expected| <= atol + rtol·|expected| */
    bool check_message;       /* verdict: the printed message must agree too */
    bool silent;              /* verdict: neither message may be printed (print_msg false) */
    double threshold;         /* blocks: each block's relative difference at most this, */
                              /* or the norm of its difference at most atol */
} rubric_compare;

typedef enum { RUBRIC_VISIBLE, RUBRIC_HIDDEN, RUBRIC_AFTER_DUE_DATE } rubric_visibility;

/* Per-test resource limits; 0 means "inherit". */
typedef struct {
    double time_s;            /* wall clock */
    double cpu_s;
    long memory_mb;           /* address space */
    long output_kb;           /* stdout and stderr, each */
} rubric_limits;

typedef struct {
    char *name;
    char *function;           /* defaults to the exercise's function */
    cJSON *inputs;            /* the YAML mapping as JSON (numbers exact) */
    rubric_compare compare;
    double points;
    rubric_visibility visibility;
    rubric_limits limits;     /* already merged with the exercise's and the rubric's */
    int line;                 /* of the test, 1-based */
    int function_line;        /* of 'function:' (the exercise's line when it is implied) */
    int inputs_line;          /* of 'inputs:', where the assignment's checks point */
} rubric_test;

typedef struct {
    char *id;                 /* also the graded function unless tests say otherwise */
    char *title;
    char **uses;              /* NULL-terminated: exercises whose functions this one calls */
    double points;
    rubric_test *tests;
    size_t ntests;
    int line;
} rubric_exercise;

typedef struct {
    double threshold;         /* a difference above it means "a mistake" */
    char *above;              /* message printed above the threshold */
    char *below;
} rubric_verdict;

/* A platform's part, e.g. a Coursera partId graded as some exercises. */
typedef struct {
    char *id;
    char **exercises;         /* NULL-terminated ids; NULL means all of them */
} rubric_part;

/* What the memory checks (the sanitizer build run on the visible tests) do. */
typedef enum {
    RUBRIC_MEMCHECK_FEEDBACK,   /* report what they find (the default) */
    RUBRIC_MEMCHECK_OFF,        /* do not run them */
    RUBRIC_MEMCHECK_SCORE       /* a test with a finding fails */
} rubric_memcheck;

typedef struct {
    char *path;
    char *assignment;         /* short id, e.g. "gradient_check" */
    char *title;
    char *source;             /* the file students submit, e.g. "gradient_check.c" */
    double total;
    rubric_memcheck memory_checks;
    rubric_limits limits;
    bool has_verdict;
    rubric_verdict verdict;
    char **provided;          /* NULL-terminated: symbols of the provided code students may call */
    rubric_exercise *exercises;
    size_t nexercises;
    rubric_part *parts;
    size_t nparts;
} rubric;

/* Loads and checks path. On error, err reads "path:LINE: what is wrong". */
int rubric_load(const char *path, rubric *out, hr_error *err);
void rubric_free(rubric *r);

/* The smallest address-space limit of any test, in MB (0: none): the whole
 * program, code and static data, must fit in it. */
long rubric_smallest_memory_mb(const rubric *r);

const char *rubric_visibility_name(rubric_visibility v);

#endif
