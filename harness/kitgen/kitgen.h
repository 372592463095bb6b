/*
 * kitgen — the student kit's tests, written from the pack.
 *
 * The kit's public tests are the pack's visible tests and nothing else: the
 * same concrete inputs and expected values the grader uses, written as C
 * (Criterion tests a student can read) so that the kit needs neither the
 * grader nor a JSON library. Hidden and after-due-date tests never reach the
 * writer's output: not their names, inputs or expected values. The generic
 * part (this module) writes
 * the test list, the comparisons and the grader's compile settings; how one
 * call of a graded function is written in C is the assignment's business, in
 * a third table next to the two of assignment.h.
 */
#ifndef KITGEN_H
#define KITGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "error.h"
#include "pack.h"

/* The test file being written: file-scope data and the tests' bodies. */
typedef struct kitgen_out kitgen_out;

/* Writes v as a C literal that reads back to the very same double. */
void kitgen_number(FILE *f, double v);

/* Writes a static array of doubles at file scope holding matrix (a JSON list
 * of rows) and returns its name (hint_N; identical data shares one array).
 * Sets *rows and *cols. NULL with err when matrix is not one. */
const char *kitgen_matrix(kitgen_out *o, const char *hint, const cJSON *matrix, size_t *rows,
                          size_t *cols, hr_error *err);

/* ---- the assignment's side ------------------------------------------------ */

typedef struct {
    const char *function;
    /* Writes to body the C statements of one test that set up inputs and end
     * with "double got = FUNCTION(...);", indented by four blanks. Arrays go
     * through kitgen_matrix. On error, err says what is wrong with inputs. */
    int (*write_call)(kitgen_out *o, FILE *body, const cJSON *inputs, hr_error *err);
    /* For a function whose return value is a structure (a matrix, a group,
     * a tuple; NULL otherwise): write_call then ends with a variable "got"
     * holding it, and member writes into expr the C expression of the
     * member at path ("dW1", "cache.D1"; "" for the value itself): a matrix
     * with .rows, .cols and .data, or a double when *is_number. -1 when the
     * function has no such member. The generic writer compares every member
     * of the expected value with it, by compare.c's cmp_matrix as the
     * grader does. */
    int (*member)(const char *path, char *expr, size_t len, bool *is_number);
} asg_kit_call;

typedef struct {
    const char *assignment;
    const char *header;          /* the public header declaring the graded functions */
    const asg_kit_call *calls;
    size_t ncalls;
} asg_kit;

/* Defined by the assignment's kit writer, used by kitgen_main.c. */
extern const asg_kit ASG_KIT;

/* ---- the writer ----------------------------------------------------------- */

typedef struct {
    const char *tests_path;        /* the Criterion file to write */
    const char *make_path;         /* the Makefile fragment with the grader's settings */
    const char *provided_cflags;   /* how the grader compiled the provided code */
} kitgen_files;

/* Writes both files (atomically) from p's visible tests. Errors name the test. */
int kitgen_write(const pack *p, const asg_kit *kit, const kitgen_files *files, hr_error *err);

#endif
