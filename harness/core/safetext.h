/*
 * safetext — the one place where text a submission shaped is made safe to show.
 *
 * Everything that reaches a report from the sandbox or from the submission
 * (what a test printed, compiler and sanitizer messages, #pragma GCC warning
 * text, file and folder names, ids in a batch's CSV, HTML and progress lines)
 * passes through here, so that a report, a terminal, a spreadsheet or a JSON
 * parser sees only what the grader meant to show:
 *
 *   - valid UTF-8 (strict: no overlong forms, no surrogates, nothing past
 *     U+10FFFF); a byte that does not start a valid character becomes U+FFFD;
 *   - no NUL, no ESC, no C0 control but newline and tab, no DEL, no C1 control
 *     (U+0080-U+009F, e.g. U+009B, an 8-bit CSI): each becomes U+FFFD;
 *   - an ANSI colour or cursor sequence (ESC [ ... final byte) is removed
 *     whole (the notebook's messages are coloured; reports carry only the
 *     grader's own colours), and CR LF becomes LF;
 *   - cut only after being made safe, and only on a character boundary.
 *
 * It holds the project's one UTF-8 decoder (safetext_char), which the intake's
 * check of a source file and the HTML escaper use too.
 */
#ifndef SAFETEXT_H
#define SAFETEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* The length (1..4) of the valid UTF-8 character at s (left bytes there),
 * with its code point in *cp (may be NULL); 0 when s does not start one. */
size_t safetext_char(const unsigned char *s, size_t left, uint32_t *cp);

/* Is s[0..len) already safe (what safetext_make would return unchanged)?
 * On false, *bad (may be NULL) is the offset of the first offending byte. */
bool safetext_is_safe(const char *s, size_t len, size_t *bad);

/* A new string: the len bytes at raw made safe (NUL bytes included), then
 * cut to at most max bytes on a character boundary (SIZE_MAX: no cut).
 * *cut (may be NULL) tells whether anything was cut. NULL when out of memory. */
char *safetext_make_len(const char *raw, size_t len, size_t max, bool *cut);

/* safetext_make_len of a C string, uncut; NULL for NULL. */
char *safetext_make(const char *raw);

/* The largest length <= max at which s (a C string, valid UTF-8) can be cut
 * without splitting a character. */
size_t safetext_fit(const char *s, size_t max);

/* Writes src made safe into dst (cap bytes, cap >= 1), cut on a character
 * boundary, always NUL-terminated. Returns dst. */
char *safetext_copy(char *dst, size_t cap, const char *src);

/* Cuts the C string s in place to at most max bytes on a character boundary
 * (s must be valid UTF-8, e.g. made safe). */
void safetext_cut(char *s, size_t max);

/* Makes every string (values and keys) of doc safe in place; the last guard
 * before a JSON document is written. False when memory ran out. */
bool safetext_json(cJSON *doc);

/* Does every string (values and keys) of doc hold safe text? */
bool safetext_json_is_safe(const cJSON *doc);

/* Is s a plain C identifier of at most max bytes? Names that reach a command
 * line (objcopy's), a report or a frame of the protocol must be. */
bool safetext_is_identifier(const char *s, size_t max);

#endif
