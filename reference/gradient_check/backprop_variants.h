/*
 * backprop_variants — the backward propagations that feed gradient_check_n tests.
 *
 * A gradient check is graded by what it says about gradients: correct ones
 * (it must pass them) and seeded bugs (it must flag them). Each variant is the
 * notebook's backward_propagation_n with a known change. Trusted side only: the
 * runner receives the gradients as data, never this code.
 */
#ifndef BACKPROP_VARIANTS_H
#define BACKPROP_VARIANTS_H

#include "error.h"
#include "gc_utils.h"

typedef struct {
    const char *name;
    const char *description;
} gcv_variant;

/* The variants, in a fixed order; ends with {NULL, NULL}. */
extern const gcv_variant GCV_VARIANTS[];

/* Runs the named variant. -1 with err listing the known names if there is none. */
int gcv_backprop(const char *variant, const gc_matrix *X, const gc_matrix *Y,
                 const gc_cache *cache, gc_gradients *out, hr_error *err);

#endif
