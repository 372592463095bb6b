/*
 * data.h — the Initialization pack's JSON forms of its C values.
 *
 * One place says how layers_dims and a parameter set travel as JSON, for the
 * runner (bindings.c), the pack builder (cases.c), the fixture printer and the
 * tests: layers_dims is a list of whole numbers ([3, 2, 1]); parameters are a
 * named group {"W1": [[...]], "b1": [[...]], ..., "WL": ..., "bL": ...}, each
 * member a matrix as a list of rows, in the notebook's dictionary order.
 */
#ifndef INIT_DATA_H
#define INIT_DATA_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "error.h"
#include "init_utils.h"

/* Largest layer and largest number of sizes a test may ask for: enough for any
 * course network, small enough that no test can exhaust a runner's memory. */
#define INITD_MAX_UNITS 4096
#define INITD_MAX_DIMS 64
#define INITD_MAX_ELEMENTS (1u << 20)

/* Reads layers_dims (a list of 1 .. INITD_MAX_DIMS whole numbers in
 * 1 .. INITD_MAX_UNITS, no layer's W above INITD_MAX_ELEMENTS elements) into a
 * new array (free it). 0, or -1 with err saying what is wrong. */
int initd_layers_read(const cJSON *item, int **dims, size_t *n_dims, hr_error *err);
/* The list form of dims. */
cJSON *initd_layers_json(const int *dims, size_t n_dims);

/* The named group of p. What a submission returned is written as it is, even
 * when inconsistent: a NULL array or a matrix without data becomes null (which
 * no expected matrix equals), so the comparison says which member is wrong.
 * max_layers bounds how many layers are read from p (a garbage L). */
cJSON *initd_params_json(const nn_params *p, size_t max_layers);

/* Reads a named group back (W1, b1, ... in order, as many layers as it has). */
int initd_params_read(const cJSON *group, nn_params *p, hr_error *err);

#endif
