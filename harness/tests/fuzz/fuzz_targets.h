/*
 * fuzz_targets — the grader's parsers of untrusted bytes, one entry point
 * each, for the fuzzer (fuzz_main.c, built with afl-cc by `make fuzz`) and for
 * the suite's replay of the kept corpus (harness/tests/test_fuzz.c): the
 * source checks, the object checks, the runner's result document, the intake
 * of a submitted file, and the text made safe for reports.
 *
 * A target returns normally whatever its file holds; a crash, a hang or a
 * sanitizer report is a bug of the grader.
 */
#ifndef FUZZ_TARGETS_H
#define FUZZ_TARGETS_H

#include <stddef.h>

/* The targets, NULL-terminated: each name is also a folder of the corpus. */
extern const char *const FUZZ_TARGETS[];

/* Runs target on the file at path; -1 for an unknown target or an unreadable
 * file, else 0. */
int fuzz_run(const char *target, const char *path);

#endif
