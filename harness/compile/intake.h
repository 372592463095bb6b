/*
 * intake — receive a submission: find its file, check it, copy it somewhere private.
 *
 * A submission is a folder (or a file) from a student. Before anything reads
 * it, intake decides which file is graded (the rubric's name, or the only .c
 * file there, said out loud), refuses what no compiler should see (symlinks,
 * the submission itself included, FIFOs and devices, files over the size cap,
 * binary or non-UTF-8 bytes) with a message that says what to fix, and returns
 * a clean text (UTF-8 BOM removed; CRLF line ends kept, the compiler takes
 * them) for the grader's private work folder. Nothing is ever opened but with
 * O_NOFOLLOW|O_NONBLOCK, so neither a symlink nor a FIFO planted in the folder
 * can lead the grader elsewhere or hang it. The original is never modified
 * and never read again.
 */
#ifndef INTAKE_H
#define INTAKE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Largest source file accepted. */
#define INTAKE_MAX_BYTES (1u << 20)

typedef struct {
    bool accepted;          /* false: message says why (a graded result, not a fault) */
    bool not_text;          /* refused for binary or non-UTF-8 bytes: a compile error */
    char message[1024];     /* refusal, or a note such as "graded foo.c, the only .c file" */
    char *original;         /* the file that was graded (new string) */
    const char *name;       /* its base name, within original */
    char *text;             /* accepted: the clean source text (BOM removed) */
    size_t len;
} intake_result;

/* path: a folder or a .c file. expected: the rubric's file name. Never fails:
 * every problem is a refusal with a message. */
void intake_submission(const char *path, const char *expected, intake_result *out);
void intake_result_free(intake_result *r);

/* Is buf valid UTF-8 without NUL bytes? On failure *bad is the offset. */
bool intake_is_text(const unsigned char *buf, size_t len, size_t *bad);

#endif
