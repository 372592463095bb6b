/*
 * pyfloat — Python's float repr in C.
 *
 * Shortest round trip: for each precision p = 1..17 take the correctly rounded
 * p-digit decimal; if it does not read back to v, its neighbours one unit in
 * the last digit away may still do so (the rounding interval of a double is
 * lopsided at powers of two), which is what David Gay's shortest mode, and so
 * Python, would print. The digits are then laid out with Python's rule:
 * exponent form when the decimal point falls outside [-4, 16).
 */
#include "pyfloat.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does digits·10^exp10 (digits an integer) read back as v? */
static int reads_back(uint64_t digits, int exp10, double v)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%" PRIu64 "e%d", digits, exp10);
    return strtod(buf, NULL) == v;
}

/* Shortest digit string for |v| > 0: sets *digits (no trailing zeros) and
 * *decpt, where |v| reads as 0.d1d2d3... × 10^decpt. */
static void shortest_digits(double v, char digits[24], int *decpt)
{
    for (int p = 1; p <= 17; p++) {
        char buf[48];
        snprintf(buf, sizeof buf, "%.*e", p - 1, v);
        /* buf is "d.ddddde±XX" */
        uint64_t mant = 0;
        const char *s = buf;
        for (; *s && *s != 'e'; s++)
            if (*s >= '0' && *s <= '9')
                mant = mant * 10 + (uint64_t)(*s - '0');
        int e = atoi(s + 1) - (p - 1);           /* v ≈ mant · 10^e */
        uint64_t found = 0;
        if (reads_back(mant, e, v))
            found = mant;
        else if (reads_back(mant + 1, e, v))
            found = mant + 1;
        else if (mant > 1 && reads_back(mant - 1, e, v))
            found = mant - 1;
        if (!found)
            continue;
        while (found % 10 == 0) {
            found /= 10;
            e++;
        }
        int n = snprintf(digits, 24, "%" PRIu64, found);
        *decpt = e + n;
        return;
    }
    /* Unreachable for finite doubles: 17 digits always round trip. */
    int n = snprintf(digits, 24, "%.17g", v);
    (void)n;
    *decpt = 0;
}

size_t pyfloat_repr(double v, char out[PYFLOAT_MAX])
{
    if (isnan(v))
        return (size_t)snprintf(out, PYFLOAT_MAX, "nan");
    if (isinf(v))
        return (size_t)snprintf(out, PYFLOAT_MAX, v < 0 ? "-inf" : "inf");
    size_t len = 0;
    if (signbit(v)) {
        out[len++] = '-';
        v = -v;
    }
    if (v == 0) {
        memcpy(out + len, "0.0", 4);
        return len + 3;
    }
    char d[24];
    int decpt;
    shortest_digits(v, d, &decpt);
    int nd = (int)strlen(d);
    char *o = out + len;
    if (decpt <= -4 || decpt > 16) {
        /* d.ddde±XX */
        int k = 0;
        o[k++] = d[0];
        if (nd > 1) {
            o[k++] = '.';
            memcpy(o + k, d + 1, (size_t)nd - 1);
            k += nd - 1;
        }
        k += snprintf(o + k, (size_t)(PYFLOAT_MAX - (int)len - k), "e%c%02d",
                      decpt - 1 < 0 ? '-' : '+', abs(decpt - 1));
        return len + (size_t)k;
    }
    int k = 0;
    if (decpt <= 0) {                            /* 0.000ddd */
        o[k++] = '0';
        o[k++] = '.';
        for (int i = 0; i < -decpt; i++)
            o[k++] = '0';
        memcpy(o + k, d, (size_t)nd);
        k += nd;
    } else if (decpt >= nd) {                    /* ddd000.0 */
        memcpy(o + k, d, (size_t)nd);
        k += nd;
        for (int i = nd; i < decpt; i++)
            o[k++] = '0';
        o[k++] = '.';
        o[k++] = '0';
    } else {                                     /* dd.ddd */
        memcpy(o + k, d, (size_t)decpt);
        k += decpt;
        o[k++] = '.';
        memcpy(o + k, d + decpt, (size_t)(nd - decpt));
        k += nd - decpt;
    }
    o[k] = '\0';
    return len + (size_t)k;
}

int pyfloat_parse(const char *text, double *out)
{
    if (!text || !*text)
        return -1;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0')
        return -1;
    *out = v;
    return 0;
}
