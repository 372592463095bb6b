/*
 * cflags — how every submission is compiled, in one place.
 *
 * The grader compiles students' files with these flags and the pack builder
 * compiles the catalogue's mistakes with the same ones, so that a mistake's
 * numbers are the numbers a student making it would get. Numeric code must
 * not depend on the optimiser or the processor: no fused multiply-add
 * (-ffp-contract=off), no fast-math. With those, every -O level computes
 * the same doubles; -O1 because the graded code runs for milliseconds while
 * its compile is the largest cost of a grading (-O2 took 40 % longer for
 * Regularization's file), and -O1 still feeds the warnings that need the
 * optimiser's analysis (-Wmaybe-uninitialized).
 *
 * -fPIC keeps GCC's default semantic interposition: a call from one global
 * function of the file to another (gradient_check to forward_propagation) is
 * never inlined nor bound inside the file, so the grader can make that call
 * reach another implementation (substitute.h). Without it GCC may inline the
 * callee (-O2 does, -O1 a small one) and a substitution would silently grade
 * the student's own function.
 */
#ifndef CFLAGS_H
#define CFLAGS_H

#define CFLAGS_SUBMISSION "-std=gnu11", "-O1", "-ffp-contract=off", "-fno-common", "-fPIC", "-fsemantic-interposition"
/* What the student is warned about, with the line. */
#define CFLAGS_WARNINGS "-Wall", "-Wextra"
/* Linked after the runner's objects. */
#define CFLAGS_RUNNER_LIBS "-lcjson", "-lseccomp", "-lm"

#endif
