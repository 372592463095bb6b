/*
 * srccheck — what the grader reads between the sandboxed compile steps.
 *
 * A submission is compiled in three sandboxed steps (preprocess, compile,
 * assemble) so that the grader can look at each intermediate file before the
 * next step trusts it, and before it shows the student a single line the
 * compiler printed:
 *   - the source: #include or __has_include of an absolute path or a path
 *     with "..";
 *   - the preprocessor's log (-H): every file it read, and every include it
 *     could not open, must be the source or an allowed header — GCC quotes the
 *     lines of the files it reads in its messages, so a refused file's
 *     messages are withheld;
 *   - the preprocessed text: linemarkers (#line) may name only allowed files
 *     (GCC quotes the file a #line names, too); no inline assembly; no string
 *     GCC copies verbatim into the assembly (an asm label or the argument of
 *     section, alias, weakref or symver that is not a plain symbol name can
 *     carry assembler directives, such as .incbin of any file); no #ident and
 *     no #pragma GCC pch_preprocess (which would read any file);
 *   - the assembly, as a backstop: no #APP block, no directive that reads a
 *     file or builds one (.incbin, .include, macros).
 * Each check returns 0 when the text is fine and 1 when it is refused, with
 * why: one message for the student. Every check runs in time and stack
 * linear in the text, whatever it holds: no recursion follows the text's
 * nesting further than SRCCHECK_MAX_NESTING (a deeper file is refused).
 */
#ifndef SRCCHECK_H
#define SRCCHECK_H

#include <stddef.h>

/* The deepest nesting of attribute lists the checks follow. */
#define SRCCHECK_MAX_NESTING 64

typedef struct {
    const char *source_name;          /* the student's file, as the compiler names it */
    const char *const *include_dirs;  /* folders whose files may be read (absolute, no trailing /) */
} srccheck_rules;

int srccheck_source(const char *text, size_t len, char *why, size_t whylen);

/* *shown: the log without -H's lines, for the student (new string, or NULL). */
int srccheck_preprocessor_log(const char *log, const srccheck_rules *r, char **shown, char *why,
                              size_t whylen);

int srccheck_preprocessed(const char *text, size_t len, const srccheck_rules *r, char *why,
                          size_t whylen);

int srccheck_assembly(const char *text, size_t len, char *why, size_t whylen);

#endif
