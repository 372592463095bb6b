/*
 * diagnose — memory errors and undefined behaviour, with the student's line.
 *
 * A wrong value says that something is wrong; AddressSanitizer says where:
 * "gradient_check.c:81 in gradient_check_n: a read of 8 bytes just past a
 * 376-byte block". The build makes a second runner from the same vetted text
 * with AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer; the
 * grader runs it on the visible tests (hidden inputs stay out of feedback) in
 * a sandbox of its own (threads and its own /proc, which the sanitizers need,
 * so only where a PID and a mount namespace keep it alone). This module reads
 * what the sanitizers print and keeps what points into the student's file.
 *
 * The runner prints its stacks unsymbolized ("(diag-runner+0x569a)"):
 * symbolizing inside the run costs a tenth of a second per test, while the
 * grader can ask addr2line once, after the run, and only when there is
 * something to read. UndefinedBehaviorSanitizer's messages carry their line
 * already.
 */
#ifndef DIAGNOSE_H
#define DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct {
    char *test_id;
    char *where;        /* "gradient_check.c:81" */
    char *function;     /* the student's function there ("" when unknown) */
    char *what;         /* "a read of 8 bytes just past a 376-byte block (heap-buffer-overflow)" */
} diag_finding;

typedef struct {
    bool ran;           /* the checks ran (findings may still be none) */
    char note[768];     /* why they did not run, or "" */
    diag_finding *findings;
    size_t nfindings;
} diag_report;

/* One symbolized address: addr2line's answer, innermost inlined frame first. */
typedef struct {
    unsigned long address;
    char *function;
    char *file;         /* as compiled (may be a full path) */
    int line;
} diag_symbol;

typedef struct {
    diag_symbol *items;
    size_t count;
} diag_symbols;

/* The addresses in module that the output's stacks name, as addr2line
 * arguments ("0x5699"; frames past the first point at their call). */
char **diagnose_addresses(const char *output, const char *module, size_t *count);

/* Reads `addr2line -a -f -i -e MODULE ADDRESSES...`'s output. */
void diagnose_read_symbols(const char *text, diag_symbols *out);
void diag_symbols_free(diag_symbols *s);

/* Reads one run's sanitizer output: every error whose stack passes through
 * source (the student's file name) becomes a finding of test_id; leaks and
 * errors that never pass through the student's code are left out. */
void diagnose_parse(const char *output, const char *source, const char *module, const diag_symbols *symbols,
                    const char *test_id, diag_report *report);

/* Adds a finding (once per test, place and kind). */
void diag_report_add(diag_report *r, const char *test_id, const char *where, const char *function,
                     const char *what);
void diag_report_free(diag_report *r);

#endif
