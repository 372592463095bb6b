/* safetext — see safetext.h. */
#include "safetext.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define REPLACEMENT "\xef\xbf\xbd"   /* U+FFFD */

size_t safetext_char(const unsigned char *s, size_t left, uint32_t *cp)
{
    if (left == 0)
        return 0;
    unsigned char c = s[0];
    size_t n;
    uint32_t v, min;
    if (c < 0x80) {
        n = 1, v = c, min = 0;
    } else if (c >= 0xc2 && c <= 0xdf) {
        n = 2, v = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3, v = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n > left)
        return 0;
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[k] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    if (cp)
        *cp = v;
    return n;
}

/* May code point v appear in a report? */
static bool allowed(uint32_t v)
{
    if (v == '\n' || v == '\t')
        return true;
    return !(v < 0x20 || v == 0x7f || (v >= 0x80 && v <= 0x9f));
}

/* Length of an ANSI control sequence at s (ESC [ parameters, intermediates,
 * one final byte), 0 when s does not start a complete one. */
static size_t csi_length(const unsigned char *s, size_t left)
{
    if (left < 3 || s[0] != 0x1b || s[1] != '[')
        return 0;
    size_t i = 2;
    while (i < left && s[i] >= 0x20 && s[i] <= 0x3f)
        i++;
    return i < left && s[i] >= 0x40 && s[i] <= 0x7e ? i + 1 : 0;
}

bool safetext_is_safe(const char *text, size_t len, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        uint32_t v;
        size_t n = safetext_char(s + i, len - i, &v);
        if (n == 0 || !allowed(v)) {
            if (bad)
                *bad = i;
            return false;
        }
        i += n;
    }
    return true;
}

char *safetext_make_len(const char *raw, size_t len, size_t max, bool *cut)
{
    const unsigned char *s = (const unsigned char *)raw;
    if (cut)
        *cut = false;
    /* every input byte becomes at most 3 output bytes */
    if (len > (SIZE_MAX - 1) / 3)
        return NULL;
    char *out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t skip = csi_length(s + i, len - i);
        if (skip) {
            i += skip;
            continue;
        }
        if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') {
            i++;
            continue;
        }
        uint32_t v;
        size_t n = safetext_char(s + i, len - i, &v);
        if (n > 0 && allowed(v)) {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        } else {
            memcpy(out + o, REPLACEMENT, 3);
            o += 3;
            i += n ? n : 1;
        }
    }
    out[o] = '\0';
    if (o > max) {
        safetext_cut(out, max);
        if (cut)
            *cut = true;
    }
    return out;
}

char *safetext_make(const char *raw)
{
    return raw ? safetext_make_len(raw, strlen(raw), SIZE_MAX, NULL) : NULL;
}

size_t safetext_fit(const char *text, size_t max)
{
    size_t len = strnlen(text, max + 1);
    if (len <= max)
        return len;
    const unsigned char *s = (const unsigned char *)text;
    size_t n = max;
    /* back over continuation bytes to the start of the character at max */
    while (n > 0 && (s[n] & 0xc0) == 0x80)
        n--;
    return n;
}

void safetext_cut(char *s, size_t max)
{
    s[safetext_fit(s, max)] = '\0';
}

char *safetext_copy(char *dst, size_t cap, const char *src)
{
    if (cap == 0)
        return dst;
    dst[0] = '\0';
    if (!src)
        return dst;
    size_t len = strlen(src);
    if (safetext_is_safe(src, len, NULL)) {
        size_t n = safetext_fit(src, cap - 1);
        memcpy(dst, src, n);
        dst[n] = '\0';
        return dst;
    }
    char *safe = safetext_make_len(src, len, cap - 1, NULL);
    if (safe) {
        memcpy(dst, safe, strlen(safe) + 1);
        free(safe);
    }
    return dst;
}

/* ---- JSON documents ------------------------------------------------------------ */

/* Visits every item of doc without recursion (a document may nest deeply):
 * fix true makes its strings safe, false only checks them. */
static bool walk(cJSON *doc, bool fix)
{
    size_t cap = 64, top = 0;
    cJSON **stack = malloc(cap * sizeof *stack);
    if (!stack)
        return false;
    bool ok = true;
    if (doc)
        stack[top++] = doc;
    while (ok && top > 0) {
        cJSON *it = stack[--top];
        char **texts[2] = {it->string ? &it->string : NULL,
                           cJSON_IsString(it) && it->valuestring ? &it->valuestring : NULL};
        for (int k = 0; ok && k < 2; k++) {
            if (!texts[k] || safetext_is_safe(*texts[k], strlen(*texts[k]), NULL))
                continue;
            if (!fix) {
                ok = false;
                break;
            }
            char *safe = safetext_make(*texts[k]);
            if (!safe) {
                ok = false;
                break;
            }
            /* cJSON allocates with malloc unless told otherwise (cJSON_InitHooks is never called) */
            if (k == 0 && (it->type & cJSON_StringIsConst)) {
                it->type &= ~cJSON_StringIsConst;
            } else {
                cJSON_free(*texts[k]);
            }
            *texts[k] = safe;
        }
        for (cJSON *c = it->child; ok && c; c = c->next) {
            if (top == cap) {
                cJSON **more = realloc(stack, 2 * cap * sizeof *stack);
                if (!more) {
                    ok = false;
                    break;
                }
                stack = more;
                cap *= 2;
            }
            stack[top++] = c;
        }
    }
    free(stack);
    return ok;
}

bool safetext_json(cJSON *doc)
{
    return walk(doc, true);
}

bool safetext_json_is_safe(const cJSON *doc)
{
    return walk((cJSON *)doc, false);
}

bool safetext_is_identifier(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}
