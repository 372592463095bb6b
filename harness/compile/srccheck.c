/*
 * srccheck — see srccheck.h.
 *
 * The preprocessed text is read by a small C lexer (identifiers, numbers,
 * string and character literals, punctuators) that only follows what it must:
 * asm keywords with their parenthesised operands, and attribute lists, GNU
 * (__attribute__((...))) and C2x ([[...]]) alike. It reads the whole text,
 * system headers included — a #line may dress student code as a system
 * header — and glibc's headers pass: their asm labels ("__isoc99_scanf") are
 * plain names.
 */
#include "srccheck.h"

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INCLUDE_REFUSED                                                                           \
    "Your file includes or looks for files the grader does not allow (only the C library's headers " \
    "and the assignment's public headers may be included):"

static int refuse(char *why, size_t whylen, const char *fmt, const char *a, const char *b)
{
    snprintf(why, whylen, fmt, a, b);
    return 1;
}

/* The first character of [p, end) that is not a blank (space or tab). */
static const char *skip_blanks(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

/* The end of the line that starts at p: its '\n', or end. */
static const char *line_end(const char *p, const char *end)
{
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    return eol ? eol : end;
}

static void add_path(char *list, size_t len, const char *path, size_t n)
{
    size_t used = strlen(list);
    if (used + n + 8 < len)
        snprintf(list + used, len - used, "\n  - %.*s", (int)n, path);
}

/* ---- the source ----------------------------------------------------------- */

/* An include name no allowed header has: absolute, or climbing with "..". */
static bool suspicious_name(const char *name, size_t n)
{
    if (n == 0)
        return false;
    if (name[0] == '/')
        return true;
    for (size_t i = 0; i + 1 < n; i++)
        if (name[i] == '.' && name[i + 1] == '.')
            return true;
    return false;
}

/* __has_include("NAME") anywhere in the text (it may sit in any #if). */
static void has_include_names(const char *text, size_t len, char *refused, size_t rlen)
{
    static const char *const probes[] = {"__has_include_next", "__has_include", NULL};
    for (const char *p = text, *end = text + len; p < end; p++) {
        for (const char *const *w = probes; *w; w++) {
            size_t wl = strlen(*w);
            if ((size_t)(end - p) <= wl || strncmp(p, *w, wl) != 0)
                continue;
            const char *s = p + wl;
            while (s < end && (*s == ' ' || *s == '\t' || *s == '('))
                s++;
            char close = s < end && *s == '"' ? '"' : s < end && *s == '<' ? '>' : 0;
            /* a name is at most PATH_MAX long: the scan is bounded, so that
             * many probes on one line cost linear time, not quadratic */
            size_t span = s < end ? (size_t)(end - s - 1) : 0;
            const char *e = close ? memchr(s + 1, close, span < PATH_MAX ? span : PATH_MAX) : NULL;
            if (e && suspicious_name(s + 1, (size_t)(e - s - 1)))
                add_path(refused, rlen, s + 1, (size_t)(e - s - 1));
            p += wl - 1;
            break;
        }
    }
}

int srccheck_source(const char *text, size_t len, char *why, size_t whylen)
{
    char refused[1024] = "";
    has_include_names(text, len, refused, sizeof refused);
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *eol = line_end(p, end);
        const char *q = skip_blanks(p, eol);
        if (q < eol && *q == '#') {
            q = skip_blanks(q + 1, eol);
            static const char *const words[] = {"include_next", "include", "import", "embed", NULL};
            for (const char *const *w = words; *w; w++) {
                size_t wl = strlen(*w);
                if ((size_t)(eol - q) > wl && !strncmp(q, *w, wl)) {
                    const char *s = skip_blanks(q + wl, eol);
                    char close = s < eol && *s == '"' ? '"' : s < eol && *s == '<' ? '>' : 0;
                    const char *e = close ? memchr(s + 1, close, (size_t)(eol - s - 1)) : NULL;
                    if (e && suspicious_name(s + 1, (size_t)(e - s - 1)))
                        add_path(refused, sizeof refused, s + 1, (size_t)(e - s - 1));
                    break;
                }
            }
        }
        p = eol + 1;
    }
    if (refused[0])
        return refuse(why, whylen, "%s%s", INCLUDE_REFUSED, refused);
    return 0;
}

/* ---- the preprocessor's log ------------------------------------------------- */

/* The source itself, or a file that really lies in an allowed folder: the
 * path is resolved on the host (the sandbox's view keeps the same paths), so
 * neither "..", nor a symlink, nor "//" can lead elsewhere. */
static bool allowed_file(const char *path, const srccheck_rules *r)
{
    if (!strcmp(path, r->source_name))
        return true;
    if (path[0] != '/')
        return false;
    char real[PATH_MAX];
    if (!realpath(path, real))
        return false;
    for (const char *const *d = r->include_dirs; d && *d; d++) {
        size_t k = strlen(*d);
        if (!strncmp(real, *d, k) && real[k] == '/')
            return true;
    }
    return false;
}

int srccheck_preprocessor_log(const char *log, const srccheck_rules *r, char **shown, char *why,
                              size_t whylen)
{
    size_t len = strlen(log);
    char *keep = malloc(len + 1), *k = keep;
    char refused[2048] = "";
    bool trailer = false;
    for (const char *p = log; *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        char line[PATH_MAX + 64];
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), p);
        size_t dots = strspn(line, ".");
        const char *fatal = strstr(line, ": fatal error: ");
        if (!strcmp(line, "Multiple include guards may be useful for:"))
            trailer = true;   /* -H's closing list: files it already named */
        if (dots > 0 && line[dots] == ' ') {
            if (!allowed_file(line + dots + 1, r))
                add_path(refused, sizeof refused, line + dots + 1, strlen(line + dots + 1));
        } else if (!trailer && keep) {
            if (fatal) {
                /* "file:l:c: fatal error: NAME: reason" — a name it could not open */
                char *name = (char *)fatal + strlen(": fatal error: ");
                char *colon = strrchr(name, ':');
                if (colon && colon > name && suspicious_name(name, (size_t)(colon - name)))
                    add_path(refused, sizeof refused, name, (size_t)(colon - name));
            }
            memcpy(k, p, n);
            k += n;
            if (eol)
                *k++ = '\n';
        }
        p = eol ? eol + 1 : p + n;
    }
    if (keep)
        *k = '\0';
    if (refused[0]) {
        free(keep);
        *shown = NULL;
        return refuse(why, whylen, "%s%s", INCLUDE_REFUSED, refused);
    }
    *shown = keep;
    return 0;
}

/* ---- the preprocessed text --------------------------------------------------- */

typedef enum { T_END, T_IDENT, T_STRING, T_CHAR, T_NUMBER, T_PUNCT } tok_kind;

typedef struct {
    tok_kind kind;
    const char *s;
    size_t n;
} token;

typedef struct {
    const char *p, *end;
    const srccheck_rules *r;
    bool line_start;
    char file[512];
    long line;
    char *why;
    size_t whylen;
    int refused;
    int nesting;           /* attribute lists open now (bounded: SRCCHECK_MAX_NESTING) */
} lexer;

static void refuse_at(lexer *lx, const char *what, const char *detail)
{
    if (lx->refused)
        return;
    char where[600];
    snprintf(where, sizeof where, "%s:%ld", lx->file, lx->line);
    snprintf(lx->why, lx->whylen, "Your file uses %s%s (at %s), which the grader does not allow.",
             what, detail, where);
    lx->refused = 1;
}

/* A GCC linemarker string: "..." with \\, \" and \ooo escapes. */
static bool read_quoted(const char **pp, const char *end, char *out, size_t len)
{
    const char *p = *pp;
    if (p >= end || *p != '"')
        return false;
    size_t n = 0;
    for (p++; p < end && *p != '"' && *p != '\n'; p++) {
        char c = *p;
        if (c == '\\' && p + 1 < end) {
            p++;
            if (*p >= '0' && *p <= '7') {
                int v = 0;
                for (int i = 0; i < 3 && p < end && *p >= '0' && *p <= '7'; i++, p++)
                    v = v * 8 + (*p - '0');
                p--;
                c = (char)v;
            } else {
                c = *p;
            }
        }
        if (n + 1 < len)
            out[n++] = c;
    }
    out[n] = '\0';
    *pp = p;
    return p < end && *p == '"';
}

/* A line of the preprocessed text that starts with '#'. */
static void directive(lexer *lx, const char *p, const char *eol)
{
    p = skip_blanks(p, eol);
    if (p < eol && isdigit((unsigned char)*p)) {
        long line = strtol(p, NULL, 10);
        while (p < eol && isdigit((unsigned char)*p))
            p++;
        while (p < eol && *p == ' ')
            p++;
        char name[512];
        if (!read_quoted(&p, eol, name, sizeof name)) {
            refuse_at(lx, "a malformed line directive", "");
            return;
        }
        bool ok = !strcmp(name, "<built-in>") || !strcmp(name, "<command-line>") ||
                  !strcmp(name, lx->file) || allowed_file(name, lx->r);
        if (!ok) {
            char what[600];
            snprintf(what, sizeof what, "#line to name \"%s\"", name);
            refuse_at(lx, what, "");
            return;
        }
        snprintf(lx->file, sizeof lx->file, "%s", name);
        lx->line = line - 1;   /* the next line is `line` */
        return;
    }
    char word[32];
    size_t n = 0;
    while (p < eol && isalpha((unsigned char)*p) && n + 1 < sizeof word)
        word[n++] = *p++;
    word[n] = '\0';
    if (!strcmp(word, "pragma")) {
        char rest[256];
        snprintf(rest, sizeof rest, "%.*s", (int)(eol - p), p);
        if (strstr(rest, "pch_preprocess"))
            refuse_at(lx, "#pragma GCC pch_preprocess", "");
        return;
    }
    if (!strcmp(word, "ident") || !strcmp(word, "sccs"))
        refuse_at(lx, "#", word);
    else
        refuse_at(lx, "a preprocessor line the grader cannot check: #", word);
}

static bool ident_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static void skip_literal(lexer *lx, char quote)
{
    for (lx->p++; lx->p < lx->end && *lx->p != quote && *lx->p != '\n'; lx->p++)
        if (*lx->p == '\\' && lx->p + 1 < lx->end && lx->p[1] != '\n')
            lx->p++;
    if (lx->p < lx->end && *lx->p == quote)
        lx->p++;
}

static token next(lexer *lx)
{
    for (;;) {
        if (lx->p >= lx->end || lx->refused)
            return (token){T_END, lx->end, 0};
        char c = *lx->p;
        if (c == '\n') {
            lx->line++;
            lx->line_start = true;
            lx->p++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            lx->p++;
            continue;
        }
        bool hash = c == '#' || (c == '%' && lx->p + 1 < lx->end && lx->p[1] == ':');
        if (hash && lx->line_start) {
            const char *eol = line_end(lx->p, lx->end);
            directive(lx, lx->p + (c == '#' ? 1 : 2), eol);
            lx->p = eol;
            continue;
        }
        lx->line_start = false;
        const char *s = lx->p;
        if (ident_char((unsigned char)c) && !isdigit((unsigned char)c)) {
            while (lx->p < lx->end && ident_char((unsigned char)*lx->p))
                lx->p++;
            size_t n = (size_t)(lx->p - s);
            bool prefix = (n == 1 && (*s == 'L' || *s == 'u' || *s == 'U')) || (n == 2 && !strncmp(s, "u8", 2));
            if (prefix && lx->p < lx->end && (*lx->p == '"' || *lx->p == '\'')) {
                char q = *lx->p;
                skip_literal(lx, q);
                return (token){q == '"' ? T_STRING : T_CHAR, s, (size_t)(lx->p - s)};
            }
            return (token){T_IDENT, s, n};
        }
        if (isdigit((unsigned char)c) || (c == '.' && lx->p + 1 < lx->end && isdigit((unsigned char)lx->p[1]))) {
            for (lx->p++; lx->p < lx->end; lx->p++) {
                char d = *lx->p;
                if ((d == '+' || d == '-') && strchr("eEpP", lx->p[-1]))
                    continue;
                if (!ident_char((unsigned char)d) && d != '.')
                    break;
            }
            return (token){T_NUMBER, s, (size_t)(lx->p - s)};
        }
        if (c == '"' || c == '\'') {
            skip_literal(lx, c);
            return (token){c == '"' ? T_STRING : T_CHAR, s, (size_t)(lx->p - s)};
        }
        /* digraphs: <:<: is [[ to the compiler, so it is to us */
        static const char *const digraphs[][2] = {{"<:", "["}, {":>", "]"}, {"<%", "{"}, {"%>", "}"}};
        for (size_t i = 0; i < sizeof digraphs / sizeof *digraphs; i++)
            if (lx->p + 1 < lx->end && !strncmp(lx->p, digraphs[i][0], 2)) {
                lx->p += 2;
                return (token){T_PUNCT, digraphs[i][1], 1};
            }
        lx->p++;
        return (token){T_PUNCT, s, 1};
    }
}

static bool is(const token *t, const char *text)
{
    return t->n == strlen(text) && !strncmp(t->s, text, t->n);
}

/* "name" with nothing but [A-Za-z0-9_.$@] between its quotes (no prefix, no escape). */
static bool plain_string(const token *t, bool *empty)
{
    if (t->kind != T_STRING || t->n < 2 || t->s[0] != '"')
        return false;
    for (size_t i = 1; i + 1 < t->n; i++)
        if (!isalnum((unsigned char)t->s[i]) && !strchr("_.$@", t->s[i]))
            return false;
    *empty = t->n == 2;
    return true;
}

/* Reads "( strings )" after the current token; true when they spell a plain,
 * non-empty name. Consumes the balanced parentheses. */
static bool plain_operand(lexer *lx, token open)
{
    if (!is(&open, "("))
        return false;
    int depth = 1;
    bool plain = true, nonempty = false;
    for (token t = next(lx); t.kind != T_END; t = next(lx)) {
        if (is(&t, "("))
            depth++;
        else if (is(&t, ")") && --depth == 0)
            return plain && nonempty;
        bool empty = true;
        if (depth != 1 || !plain_string(&t, &empty))
            plain = false;
        else if (!empty)
            nonempty = true;
    }
    return false;
}

/* Attributes whose string GCC writes into the assembly as it is. */
static bool verbatim_attribute(const token *t)
{
    static const char *const names[] = {"section", "alias", "weakref", "symver", "ifunc", NULL};
    const char *s = t->s;
    size_t n = t->n;
    if (n > 4 && !strncmp(s, "__", 2) && !strncmp(s + n - 2, "__", 2)) {
        s += 2;
        n -= 4;
    }
    for (const char *const *a = names; *a; a++)
        if (strlen(*a) == n && !strncmp(s, *a, n))
            return true;
    return false;
}

static bool is_asm(const token *t)
{
    return is(t, "asm") || is(t, "__asm") || is(t, "__asm__");
}

static void attribute_list_body(lexer *lx);

/* Inside an attribute list, after its opening "((" or "[[": checks every
 * verbatim attribute's operand, until the list closes. */
static void attribute_list(lexer *lx)
{
    if (lx->refused)
        return;
    /* the recursion is bounded: past the bound, the file is refused (no
     * honest code nests attribute lists more than a few deep) */
    if (lx->nesting >= SRCCHECK_MAX_NESTING) {
        char what[96];
        snprintf(what, sizeof what, "attribute lists nested more than %d deep", SRCCHECK_MAX_NESTING);
        refuse_at(lx, what, "");
        return;
    }
    lx->nesting++;
    attribute_list_body(lx);
    lx->nesting--;
}

static void attribute_list_body(lexer *lx)
{
    int parens = 0, brackets = 0;
    token prev = {T_END, NULL, 0};
    for (token t = next(lx); t.kind != T_END; prev = t, t = next(lx)) {
        if (is_asm(&t)) {
            refuse_at(lx, "inline assembly (asm)", "");
            return;
        }
        /* an attribute list inside another's operand is a list of its own */
        if (is(&t, "__attribute__") || is(&t, "__attribute") || (is(&t, "[") && is(&prev, "["))) {
            if (t.s[0] == '[') {
                brackets--;   /* the first '[' was counted */
                attribute_list(lx);
            } else {
                token a = next(lx), b = next(lx);
                if (is(&a, "(") && is(&b, "("))
                    attribute_list(lx);
                else if (is(&a, "("))
                    parens++;
            }
            t = (token){T_END, NULL, 0};
            continue;
        }
        if (is(&t, "(") && parens == 0 && prev.kind == T_IDENT && verbatim_attribute(&prev)) {
            if (!plain_operand(lx, t)) {
                char what[64];
                snprintf(what, sizeof what, "the %.*s attribute", (int)prev.n, prev.s);
                refuse_at(lx, what, " with a string that is not a plain symbol name");
                return;
            }
            t = (token){T_PUNCT, ")", 1};
        } else if (is(&t, "(")) {
            parens++;
        } else if (is(&t, ")") && --parens < 0) {
            return;   /* the first of "))" */
        } else if (is(&t, "[")) {
            brackets++;
        } else if (is(&t, "]") && --brackets < 0) {
            return;   /* the first of "]]" */
        }
    }
}

int srccheck_preprocessed(const char *text, size_t len, const srccheck_rules *r, char *why,
                          size_t whylen)
{
    lexer lx = {text, text + len, r, true, "", 1, why, whylen, 0, 0};
    snprintf(lx.file, sizeof lx.file, "%s", r->source_name);
    token prev = {T_END, NULL, 0};
    int braces = 0;
    for (token t = next(&lx); t.kind != T_END; prev = t, t = next(&lx)) {
        if (is(&t, "{"))
            braces++;
        else if (is(&t, "}"))
            braces--;
        if (is_asm(&t)) {
            /* an asm label names a declaration at file scope: it follows its
             * declarator; anything else (asm("syscall") is plain too) is code */
            bool label = braces == 0 && (prev.kind == T_IDENT || is(&prev, ")") || is(&prev, "]"));
            token q = next(&lx);
            if (!label || !plain_operand(&lx, q))
                refuse_at(&lx, "inline assembly (asm)", "");
        } else if (is(&t, "__attribute__") || is(&t, "__attribute")) {
            token a = next(&lx), b = next(&lx);
            if (is(&a, "(") && is(&b, "("))
                attribute_list(&lx);
        } else if (is(&t, "[") && is(&prev, "[")) {
            attribute_list(&lx);
            t = (token){T_END, NULL, 0};
        }
    }
    return lx.refused;
}

/* ---- the assembly -------------------------------------------------------------- */

int srccheck_assembly(const char *text, size_t len, char *why, size_t whylen)
{
    static const char *const banned[] = {".incbin", ".include", ".macro", ".irp", ".irpc", ".rept",
                                         ".altmacro", ".purgem", ".exitm", NULL};
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *eol = line_end(p, end);
        const char *q = skip_blanks(p, eol);
        if ((size_t)(eol - q) >= 4 && !strncmp(q, "#APP", 4))
            return refuse(why, whylen, "Your file uses inline assembly (asm or __asm__)%s%s, which the grader does not allow.", "", "");
        /* a statement may follow a label: "name: .directive" */
        const char *colon = q;
        while (colon < eol && ident_char((unsigned char)*colon))
            colon++;
        if (colon < eol && *colon == ':' && colon > q)
            q = skip_blanks(colon + 1, eol);
        char word[16];
        size_t n = 0;
        while (q + n < eol && n + 1 < sizeof word && !isspace((unsigned char)q[n]) && q[n] != ';')
            n++;
        for (size_t i = 0; i < n; i++)
            word[i] = (char)tolower((unsigned char)q[i]);
        word[n] = '\0';
        for (const char *const *b = banned; *b; b++)
            if (!strcmp(word, *b))
                return refuse(why, whylen, "Your file's assembly holds the directive %s%s, which the grader does not allow.", *b, "");
        p = eol + 1;
    }
    return 0;
}
