/*
 * pack_build — making a pack (see pack.h): the rubric's tests expanded by the
 * assignment's case generator, the reference observed on each (and every
 * catalogue mistake of the test's function), written as the pack's JSON.
 *
 * Only the pack builder (trusted, run by make) does this, so it lives with it
 * in packgen/, above run/ whose observations it needs; the grader only reads
 * packs (pack.h).
 */
#ifndef PACK_BUILD_H
#define PACK_BUILD_H

#include <cjson/cJSON.h>

#include "observe.h"
#include "pack.h"

/* A catalogue mistake, built into a runner of its own. */
typedef struct {
    const char *id;
    const char *function;
    const char *hint;
    observe_target runner;
} pack_mistake;

typedef struct {
    const rubric *rubric;
    const asg_casegen *casegen;
    asg_context context;
    observe_target reference;
    const pack_mistake *mistakes;
    size_t nmistakes;
    const cJSON *symptoms;     /* the catalogue's symptoms, or NULL */
    const cJSON *substitutes;   /* the catalogue, or NULL: no test may have calls */
} pack_sources;

/* Builds a pack: expands every test, observes the reference (and every
 * mistake of the test's function) on it. Errors name the rubric file and line. */
int pack_build(const pack_sources *src, cJSON **out, hr_error *err);

#endif
