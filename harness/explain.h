/*
 * explain — feedback that names the mistake behind a failing test.
 *
 * Runs after every test of a submission is scored, because a good explanation
 * looks at more than one test: a catalogue mistake is named only when it
 * accounts for every test of that function (a single value can match a
 * mistake by coincidence) and is the only one that does, and never for a
 * degenerate result (a difference of 1, 1/3, 0, which many mistakes give:
 * the catalogue's symptoms say what it shows instead), and a failure is first blamed on a graded function
 * it uses that fails its own tests (the rubric's "uses"). When nothing in the
 * catalogue fits, it says only what it knows — NaN, infinity, and, for
 * visible tests, a simple factor or a wrong sign against the expected value —
 * and never guesses. Hidden tests' hints never carry their inputs or expected
 * values. Hints and the assignment's tables are added to both the student's
 * and the instructor's texts, so every report format carries them.
 */
#ifndef EXPLAIN_H
#define EXPLAIN_H

#include <stddef.h>

#include "pack.h"
#include "score.h"

void explain_failures(const pack *p, score_exercise *exercises, size_t nexercises);

#endif
