/*
 * nprand — the algorithms of numpy/random/src/mt19937 and legacy-distributions,
 * rewritten from their published descriptions. Numeric code: compiled with
 * -ffp-contract=off so that x1*x1 + x2*x2 is never fused into an FMA, which
 * would change the accepted pairs and so every later value.
 */
#include "nprand.h"

#include <math.h>

#define MT_M 397
#define MATRIX_A 0x9908b0dfU
#define UPPER_MASK 0x80000000U
#define LOWER_MASK 0x7fffffffU

void nprand_seed(nprand_state *st, uint32_t seed)
{
    for (int i = 0; i < NPRAND_N; i++) {
        st->key[i] = seed;
        seed = 1812433253U * (seed ^ (seed >> 30)) + (uint32_t)i + 1U;
    }
    st->pos = NPRAND_N;
    st->has_gauss = false;
    st->gauss = 0.0;
}

static void regenerate(nprand_state *st)
{
    uint32_t *k = st->key;
    int i;
    for (i = 0; i < NPRAND_N - MT_M; i++) {
        uint32_t y = (k[i] & UPPER_MASK) | (k[i + 1] & LOWER_MASK);
        k[i] = k[i + MT_M] ^ (y >> 1) ^ ((y & 1U) ? MATRIX_A : 0U);
    }
    for (; i < NPRAND_N - 1; i++) {
        uint32_t y = (k[i] & UPPER_MASK) | (k[i + 1] & LOWER_MASK);
        k[i] = k[i + (MT_M - NPRAND_N)] ^ (y >> 1) ^ ((y & 1U) ? MATRIX_A : 0U);
    }
    uint32_t y = (k[NPRAND_N - 1] & UPPER_MASK) | (k[0] & LOWER_MASK);
    k[NPRAND_N - 1] = k[MT_M - 1] ^ (y >> 1) ^ ((y & 1U) ? MATRIX_A : 0U);
    st->pos = 0;
}

uint32_t nprand_next32(nprand_state *st)
{
    if (st->pos == NPRAND_N)
        regenerate(st);
    uint32_t y = st->key[st->pos++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= y >> 18;
    return y;
}

double nprand_double(nprand_state *st)
{
    int32_t a = (int32_t)(nprand_next32(st) >> 5);
    int32_t b = (int32_t)(nprand_next32(st) >> 6);
    return (a * 67108864.0 + b) / 9007199254740992.0;
}

double nprand_gauss(nprand_state *st)
{
    if (st->has_gauss) {
        double cached = st->gauss;
        st->has_gauss = false;
        st->gauss = 0.0;
        return cached;
    }
    double x1, x2, r2;
    do {
        x1 = 2.0 * nprand_double(st) - 1.0;
        x2 = 2.0 * nprand_double(st) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = sqrt(-2.0 * log(r2) / r2);
    st->gauss = f * x1;
    st->has_gauss = true;
    return f * x2;
}

void nprand_randn(nprand_state *st, size_t rows, size_t cols, double *out)
{
    for (size_t i = 0; i < rows * cols; i++)
        out[i] = nprand_gauss(st);
}
