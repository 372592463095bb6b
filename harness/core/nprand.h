/*
 * nprand — numpy's legacy random generator (np.random.seed / randn), bit for bit.
 *
 * Test cases are "np.random.seed(N); randn(...)" in the course; generating them
 * here with the same stream means a fixture for any seed is numpy's own values,
 * with no Python at grading time. Covered: MT19937 seeded as np.random.seed(int)
 * does (init_genrand), doubles from two 32-bit draws (a >> 5, b >> 6), and
 * standard normals by the legacy polar Box–Muller method, which caches the
 * second value of each pair. The state is a value: no hidden globals.
 */
#ifndef NPRAND_H
#define NPRAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NPRAND_N 624

typedef struct {
    uint32_t key[NPRAND_N];
    int pos;
    bool has_gauss;     /* the polar method's cached second normal */
    double gauss;
} nprand_state;

/* np.random.seed(seed) for an integer seed in [0, 2^32). */
void nprand_seed(nprand_state *st, uint32_t seed);

uint32_t nprand_next32(nprand_state *st);

/* np.random.random_sample(): a double in [0, 1) with 53 random bits. */
double nprand_double(nprand_state *st);

/* One draw of np.random.randn(). */
double nprand_gauss(nprand_state *st);

/* np.random.randn(rows, cols) into out, row-major, as numpy fills it. */
void nprand_randn(nprand_state *st, size_t rows, size_t cols, double *out);

#endif
