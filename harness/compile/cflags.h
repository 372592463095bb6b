/*
 * cflags — how every submission is compiled, in one place.
 *
 * The grader compiles students' files with these flags and the pack builder
 * compiles the catalogue's mistakes with the same ones, so that a mistake's
 * numbers are the numbers a student making it would get. Numeric code must
 * not depend on the optimiser or the processor: no fused multiply-add
 * (-ffp-contract=off), no fast-math.
 */
#ifndef CFLAGS_H
#define CFLAGS_H

#define CFLAGS_SUBMISSION "-std=gnu11", "-O2", "-ffp-contract=off", "-fno-common"
/* What the student is warned about, with the line. */
#define CFLAGS_WARNINGS "-Wall", "-Wextra"
/* Linked after the runner's objects. */
#define CFLAGS_RUNNER_LIBS "-lcjson", "-lseccomp", "-lm"

#endif
