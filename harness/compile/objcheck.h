/*
 * objcheck — what a compiled student object contains, read from its ELF.
 *
 * Before a student's object is linked into the runner, the grader looks at it:
 * code that would run before main (constructors, destructors, ifunc
 * resolvers), a main of its own, sections of the test framework, sections a
 * compiler would not make, and every symbol its code can reach. This module
 * only reads (ELF64 relocatable objects, every offset bounds-checked); the
 * policy — what is refused and why — is applied by objcheck_policy and
 * objcheck_reach, so it can be tested on its own.
 *
 * The object is compiled with -ffunction-sections -fdata-sections, so each
 * function and each variable has a section of its own, and the relocations
 * between sections are the program's reference graph. A forbidden call then
 * costs only the graded functions that can reach it (through any chain of
 * calls, function pointers or tables), and those are cut out of the object
 * before it is linked: the rest of the submission is graded as usual.
 */
#ifndef OBJCHECK_H
#define OBJCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct {
    char *name;
    unsigned type;              /* SHT_* */
    unsigned long flags;        /* SHF_* */
    unsigned long long size;    /* bytes it takes (in memory, for SHT_NOBITS) */
} objcheck_section;

typedef struct {
    char *name;
    unsigned char bind, type;   /* STB_*, STT_* */
    unsigned shndx;             /* defining section, or SHN_UNDEF / SHN_ABS / SHN_COMMON */
    unsigned long long size;    /* st_size: for SHN_COMMON, the bytes it will take */
    unsigned long long value;   /* st_value: its offset in its section (a relocatable object) */
} objcheck_symbol;

typedef struct {
    unsigned section;           /* the section whose bytes refer... */
    unsigned symbol;            /* ...to this symbol */
} objcheck_ref;

typedef struct {
    objcheck_section *sections;
    objcheck_symbol *symbols;   /* every symbol, local ones included (index 0 unused) */
    objcheck_ref *refs;         /* one per relocation */
    size_t nsections, nsymbols, nrefs;
} objcheck_info;

int objcheck_read(const char *path, objcheck_info *out, hr_error *err);
void objcheck_free(objcheck_info *info);

typedef struct {
    const char *const *graded;    /* functions that stay global (NULL-terminated) */
    const char *const *allowed;   /* symbols it may call, besides its own ("name*": a prefix) */
    unsigned long long max_static_bytes;  /* refuse more code and static data than this,
                                             which no test could load (0: no bound) */
    bool sanitizer_module_ctor;   /* the sanitizer build: GCC's own module constructor and destructor
                                   * (.init_array.00099 / .fini_array.00099 calling only
                                   * _sub_I_00099_N / _sub_D_00099_N, which call only the sanitizer
                                   * runtime with its own descriptors) pass; nothing else that runs
                                   * before or after main does */
} objcheck_rules;

/* The bytes the object's code and static data take once loaded: every
 * allocated section, and common symbols. */
unsigned long long objcheck_static_bytes(const objcheck_info *info);

/* What refuses the whole file: code that runs before or after main, a main,
 * test-framework sections, sections a compiler would not make for C, data in
 * code, an executable stack, more static data than a test may use. Returns 0 when there is none; otherwise -1 with
 * err saying everything refused and why, in one message for the student. */
int objcheck_policy(const objcheck_info *info, const objcheck_rules *rules, hr_error *err);

typedef struct {
    char **why;           /* parallel to rules->graded: NULL, or why that function is cut
                             out ("uses fork, which graded code may not use") */
    char **drop;          /* NULL-terminated: sections to remove before linking */
    char **unreachable;   /* NULL-terminated: forbidden symbols only dead code uses */
    char **strip;         /* NULL-terminated: undefined symbols nothing will need */
    size_t ngraded;
} objcheck_cut;

/* Which graded functions can reach a symbol they may not use (not in
 * rules->allowed, or a graded function the object does not define), and the
 * sections to cut so that nothing left reaches one. */
int objcheck_reach(const objcheck_info *info, const objcheck_rules *rules, objcheck_cut *out,
                   hr_error *err);
void objcheck_cut_free(objcheck_cut *cut);

/* Is name one of the functions the object defines (globally, as a function)? */
bool objcheck_defines_function(const objcheck_info *info, const char *name);

#endif
