/*
 * diagnose — see diagnose.h. This file reads sanitizer reports; grade.c runs
 * the diagnostic runner and addr2line.
 *
 * The report formats read here (GCC 12's libsanitizer):
 *   ==PID==ERROR: AddressSanitizer: heap-buffer-overflow on address ...
 *   READ of size 8 at 0x... thread T0
 *       #0 0x5622af50969a  (/tmp/.../out/diag-runner+0x569a)
 *   0x... is located 0 bytes to the right of 376-byte region [...)
 *   gradient_check.c:12:9: runtime error: signed integer overflow: ...
 *   Direct leak of 376 byte(s) in 1 object(s) allocated from:
 *       #0 0x... in __interceptor_calloc ...
 *       #3 0x...  (/tmp/.../out/diag-runner+0x7a1c)
 */
#include "diagnose.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetext.h"

/* The line's text up to its end (a new string). */
static char *line_at(const char *p)
{
    size_t n = strcspn(p, "\n");
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

static const char *next_line(const char *p)
{
    const char *nl = strchr(p, '\n');
    return nl ? nl + 1 : p + strlen(p);
}

typedef struct {
    const char *source;           /* the student's file name */
    const char *module;           /* the diagnostic runner's path */
    const diag_symbols *symbols;
} frames_ctx;

static bool is_source(const char *path, const char *source)
{
    const char *base = strrchr(path, '/');
    return !strcmp(base ? base + 1 : path, source);
}

/* The frame's number and its offset in the module, from "#K 0x...  (MODULE+0xOFF)". */
static bool frame_offset(const char *line, const char *module, int *k, unsigned long *off)
{
    const char *t = line + strspn(line, " \t");
    char needle[4200];
    snprintf(needle, sizeof needle, "(%s+0x", module);
    const char *at = strstr(t, needle);
    return *t == '#' && at && sscanf(t + 1, "%d", k) == 1 &&
           sscanf(at + strlen(needle), "%lx", off) == 1;
}

/* In a frame line, the student's function and "FILE:LINE", looked up in the
 * symbols (the call's own line for frames past the first). */
static bool student_frame(const char *line, const frames_ctx *c, char *fn, size_t fnlen, char *where,
                          size_t wlen)
{
    int k;
    unsigned long off;
    if (!frame_offset(line, c->module, &k, &off))
        return false;
    unsigned long address = k > 0 ? off - 1 : off;
    for (size_t i = 0; c->symbols && i < c->symbols->count; i++) {
        const diag_symbol *s = &c->symbols->items[i];
        if (s->address != address || !s->file || !is_source(s->file, c->source))
            continue;
        snprintf(fn, fnlen, "%s", s->function ? s->function : "");
        snprintf(where, wlen, "%s:%d", c->source, s->line);
        return true;
    }
    return false;
}

char **diagnose_addresses(const char *output, const char *module, size_t *count)
{
    char **list = NULL;
    *count = 0;
    for (const char *p = output ? output : ""; *p;) {
        char *line = line_at(p);
        int k;
        unsigned long off;
        if (line && frame_offset(line, module, &k, &off)) {
            char text[32];
            snprintf(text, sizeof text, "0x%lx", k > 0 ? off - 1 : off);
            bool seen = false;
            for (size_t i = 0; i < *count; i++)
                seen = seen || !strcmp(list[i], text);
            char **more = seen || *count >= 512 ? NULL : realloc(list, (*count + 2) * sizeof *list);
            if (more) {
                list = more;
                list[(*count)++] = strdup(text);
                list[*count] = NULL;
            }
        }
        free(line);
        p = next_line(p);
    }
    return list;
}

void diagnose_read_symbols(const char *text, diag_symbols *out)
{
    memset(out, 0, sizeof *out);
    unsigned long address = 0;
    for (const char *p = text ? text : ""; *p;) {
        char *line = line_at(p);
        p = next_line(p);
        if (!line)
            break;
        if (!strncmp(line, "0x", 2)) {
            address = strtoul(line, NULL, 16);
        } else if (*p) {   /* "function" then "file:line" */
            char *where = line_at(p);
            p = next_line(p);
            char *colon = where ? strrchr(where, ':') : NULL;
            diag_symbol *more = colon ? realloc(out->items, (out->count + 1) * sizeof *more) : NULL;
            if (more) {
                *colon = '\0';
                out->items = more;
                out->items[out->count++] = (diag_symbol){address, strdup(line), strdup(where), atoi(colon + 1)};
            }
            free(where);
        }
        free(line);
    }
}

void diag_symbols_free(diag_symbols *s)
{
    for (size_t i = 0; i < s->count; i++) {
        free(s->items[i].function);
        free(s->items[i].file);
    }
    free(s->items);
    memset(s, 0, sizeof *s);
}

void diag_report_add(diag_report *r, const char *test_id, const char *where, const char *fn, const char *what)
{
    for (size_t i = 0; i < r->nfindings; i++)   /* once per place and kind, per test */
        if (!strcmp(r->findings[i].test_id, test_id) && !strcmp(r->findings[i].where, where) &&
            !strcmp(r->findings[i].what, what))
            return;
    diag_finding *more = realloc(r->findings, (r->nfindings + 1) * sizeof *more);
    if (!more)
        return;
    r->findings = more;
    /* sanitizer lines come from the sandbox: every field made safe here */
    r->findings[r->nfindings++] =
        (diag_finding){safetext_make(test_id), safetext_make(where), safetext_make(fn), safetext_make(what)};
}

/* The first student frame in the stack that starts at p; returns where the stack ends. */
static const char *first_student_frame(const char *p, const frames_ctx *c, char *fn, size_t fnlen,
                                       char *where, size_t wlen, bool *found)
{
    *found = false;
    while (*p) {
        const char *t = p + strspn(p, " \t");
        if (*t != '#')
            break;
        char *line = line_at(t);
        if (line && !*found && student_frame(line, c, fn, fnlen, where, wlen))
            *found = true;
        free(line);
        p = next_line(p);
    }
    return p;
}

/* "heap-buffer-overflow on address ..." with its "READ of size 8" and "is located
 * 0 bytes to the right of 376-byte region": "a read of 8 bytes just past a
 * 376-byte block (heap-buffer-overflow)". */
static void describe_asan(const char *error, const char *access, const char *located, char *out, size_t len)
{
    char kind[128] = "memory error";
    sscanf(error, "%127s", kind);
    char rw[16] = "", *what = out;
    unsigned size = 0;
    if (access && sscanf(access, "%15s of size %u", rw, &size) == 2)
        snprintf(what, len, "a %s of %u bytes", !strcmp(rw, "READ") ? "read" : "write", size);
    else
        snprintf(what, len, "an access");
    unsigned off = 0, region = 0;
    char side[16] = "";
    if (located && sscanf(located, "%*s is located %u bytes to the %15s of %u-byte region", &off, side, &region) == 3)
        snprintf(out + strlen(out), len - strlen(out), " %s a %u-byte block", !strcmp(side, "right") ?
                 (off == 0 ? "just past" : "past the end of") : "before the start of", region);
    if (!strcmp(kind, "SEGV"))
        snprintf(out, len, "an access to an invalid address (SEGV)");
    else
        snprintf(out + strlen(out), len - strlen(out), " (%s)", kind);
}

/* One AddressSanitizer error starting at the line after "ERROR: AddressSanitizer: ". */
static const char *read_asan_error(const char *p, const frames_ctx *c, const char *test_id, diag_report *r)
{
    char *error = line_at(p), *access = NULL, *located = NULL;
    char fn[256], where[1100], what[512];
    bool found = false;
    p = next_line(p);
    for (int guard = 0; *p && guard < 200; guard++) {
        const char *t = p + strspn(p, " \t");
        if (*t == '#' && !found) {
            p = first_student_frame(p, c, fn, sizeof fn, where, sizeof where, &found);
            continue;
        }
        char *line = line_at(t);
        if (!line)
            break;
        if (!access && (!strncmp(line, "READ of size", 12) || !strncmp(line, "WRITE of size", 13)))
            access = line;
        else if (!located && strstr(line, " is located "))
            located = line;
        else if (!strncmp(line, "SUMMARY:", 8)) {
            free(line);
            break;
        } else
            free(line);
        p = next_line(p);
    }
    if (found && error) {
        describe_asan(error, access, located, what, sizeof what);
        diag_report_add(r, test_id, where, fn, what);
    }
    free(error);
    free(access);
    free(located);
    return p;
}

/* "Direct leak of 376 byte(s) in 1 object(s) allocated from:" and its stack. */
static const char *read_leak(const char *p, const frames_ctx *c, const char *test_id, diag_report *r)
{
    unsigned bytes = 0, objects = 0;
    sscanf(strstr(p, "leak of"), "leak of %u byte(s) in %u object", &bytes, &objects);
    char fn[256], where[1100], what[256];
    bool found;
    p = first_student_frame(next_line(p), c, fn, sizeof fn, where, sizeof where, &found);
    if (found) {
        snprintf(what, sizeof what, "%u bytes allocated here (%u block%s) are never freed (leak)", bytes,
                 objects, objects == 1 ? "" : "s");
        diag_report_add(r, test_id, where, fn, what);
    }
    return p;
}

/* "PATH:LINE:COL: runtime error: MESSAGE" in the student's file. */
static void read_ub(const char *line, const char *source, const char *test_id, diag_report *r)
{
    const char *marker = strstr(line, ": runtime error: ");
    char path[1024];
    size_t n = (size_t)(marker - line);
    if (n >= sizeof path)
        return;
    memcpy(path, line, n);
    path[n] = '\0';
    char *colon = strchr(path, ':');
    if (!colon)
        return;
    *colon = '\0';
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strcmp(base, source) != 0)
        return;
    char where[1100], what[512];
    snprintf(where, sizeof where, "%s:%d", source, atoi(colon + 1));
    char *message = line_at(marker + 17);
    /* cut on a character boundary, with room for the words after it */
    snprintf(what, sizeof what, "%.*s (undefined behaviour)", message ? (int)safetext_fit(message, 480) : 1,
             message ? message : "?");
    free(message);
    diag_report_add(r, test_id, where, "", what);
}

void diagnose_parse(const char *output, const char *source, const char *module, const diag_symbols *symbols,
                    const char *test_id, diag_report *r)
{
    frames_ctx c = {source, module, symbols};
    const char *p = output ? output : "";
    while (*p) {
        const char *asan = strstr(p, "ERROR: AddressSanitizer: ");
        const char *leak = strstr(p, " leak of ");
        const char *ub = strstr(p, ": runtime error: ");
        const char *first = NULL;
        for (const char *c[] = {asan, leak, ub}, **q = c; q < c + 3; q++)
            if (*q && (!first || *q < first))
                first = *q;
        if (!first)
            break;
        if (first == asan) {
            p = read_asan_error(asan + 25, &c, test_id, r);
        } else if (first == leak) {
            const char *start = leak;
            while (start > p && start[-1] != '\n')
                start--;
            p = read_leak(start, &c, test_id, r);
        } else {
            const char *start = ub;
            while (start > p && start[-1] != '\n')
                start--;
            char *line = line_at(start);
            if (line)
                read_ub(line, source, test_id, r);
            free(line);
            p = next_line(ub);
        }
    }
}

void diag_report_free(diag_report *r)
{
    for (size_t i = 0; i < r->nfindings; i++) {
        free(r->findings[i].test_id);
        free(r->findings[i].where);
        free(r->findings[i].function);
        free(r->findings[i].what);
    }
    free(r->findings);
    r->findings = NULL;
    r->nfindings = 0;
}
