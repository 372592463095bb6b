/*
 * objcheck — what a compiled student object contains, read from its ELF.
 *
 * Before a student's object is linked into the runner, the grader looks at it:
 * code that would run before main (constructors, destructors, ifunc
 * resolvers), a main of its own, sections of the test framework, and every
 * symbol it calls. This module only reads (ELF64 relocatable objects, every
 * offset bounds-checked); the policy — what is refused and why — is applied
 * by objcheck_policy, so it can be tested on its own.
 */
#ifndef OBJCHECK_H
#define OBJCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct {
    char **sections;          /* every section name */
    char **defined;           /* global or weak symbols it defines */
    bool *defined_is_func;    /* parallel to defined: STT_FUNC? */
    char **undefined;         /* symbols it uses but does not define */
    char **ifuncs;            /* STT_GNU_IFUNC symbols (run before main) */
    size_t nsections, ndefined, nundefined, nifuncs;
} objcheck_info;

int objcheck_read(const char *path, objcheck_info *out, hr_error *err);
void objcheck_free(objcheck_info *info);

typedef struct {
    const char *const *graded;    /* functions that stay global (NULL-terminated) */
    const char *const *allowed;   /* symbols it may call, besides its own */
} objcheck_rules;

/* Applies the rules. Returns 0 when the object may be linked; otherwise -1
 * with err saying everything refused and why, in one message for the student. */
int objcheck_policy(const objcheck_info *info, const objcheck_rules *rules, hr_error *err);

/* Is name one of the graded functions the object defines (as a function)? */
bool objcheck_defines_function(const objcheck_info *info, const char *name);

#endif
