/*
 * platform_checks — the checks of platform documents shared by the platform
 * and image tests (see platform_checks.c).
 */
#ifndef PLATFORM_CHECKS_H
#define PLATFORM_CHECKS_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "pack.h"

typedef struct {
    char **s;
    size_t n;
} strings;

/* o[key], asserted to be a string / a number (not a bool). */
const char *str(const cJSON *o, const char *key);
double num(const cJSON *o, const char *key);

void add_string(strings *l, const char *s);
void free_strings(strings *l);
/* What hidden test (e, t) must never show: its inputs and expected value,
 * as a student would see them printed. */
strings secrets_of(const pack *p, size_t e, size_t t);
void expect_no_secret(const char *text, const strings *secrets, const char *where);
/* Checks the fields of a per-test array (in rubric order) that a student
 * reads; returns how many hidden tests there were. */
size_t expect_hidden_kept(const pack *p, const cJSON *tests, const char *const *fields);

/* Each platform's rules for its document; with p, also that it holds this
 * rubric's tests one for one (Gradescope, PrairieLearn when gradable). */
void validate_gradescope(const cJSON *doc, const pack *p);
void validate_prairielearn(const cJSON *doc, const pack *p);
/* Returns the fractionalScore. */
double validate_coursera(const cJSON *doc);

#endif
