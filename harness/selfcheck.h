/*
 * selfcheck — a rubric that proves itself fair, when the pack is built.
 *
 * A grader is trusted only if correct work always gets full marks and the
 * mistakes it claims to catch lose points. Beside the catalogue of mistakes,
 * an assignment carries a catalogue of legitimate variants (other orders of
 * the operations, in-place perturbation, own loops, long double, other printf
 * formats...), each written as edits of the reference. The pack builder runs
 * every variant and every mistake, each built into a runner of its own, on
 * every test of the new pack and scores them exactly as the grader would
 * (score.c). The rubric is refused, naming the test and the variant, when a
 * variant would lose a point; and naming the mistake and the exercise, when a
 * mistake that the catalogue says must lose points there scores full marks.
 */
#ifndef SELFCHECK_H
#define SELFCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "mistakes.h"
#include "observe.h"
#include "pack.h"

/* One catalogue entry, built. */
typedef struct {
    const mistake *entry;       /* its catalogue entry (id, line, loses) */
    observe_target runner;      /* the reference with its edits */
} selfcheck_entry;

/* Every variant scores full marks on every test of p; otherwise -1 with err
 * "RUBRIC:LINE: test 'NAME' (ID): the legitimate variant 'V' (CATALOGUE:LINE)
 * would lose P points: WHY". */
int selfcheck_variants(const pack *p, const char *catalogue, const selfcheck_entry *variants, size_t n,
                       hr_error *err);

/* Every mistake with an expectation ('loses') loses points in each exercise
 * it lists; otherwise -1 with err "CATALOGUE:LINE: mistake 'M' scores full
 * marks in EXERCISE (S/S), but the catalogue says it loses points there". */
int selfcheck_mistakes(const pack *p, const char *catalogue, const selfcheck_entry *mistakes, size_t n,
                       hr_error *err);

/* The template as handed out (each case's as_handed_out) passes no test that
 * has points: a test it passes proves nothing. -1 with err naming the test. */
int selfcheck_template(const pack *p, hr_error *err);

#endif
