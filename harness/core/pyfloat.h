/*
 * pyfloat — doubles as Python prints them.
 *
 * The course's notebooks print floats with str()/repr(): the shortest text that
 * reads back to the same double ("2.919335883291695e-10", "8.0", "1e-07").
 * Reports, the notebook replay and every JSON document the harness writes use
 * this text so that a number survives a round trip bit for bit (cJSON's own
 * printer compares with a relative epsilon and may drop the last bit).
 */
#ifndef PYFLOAT_H
#define PYFLOAT_H

#include <stddef.h>

/* Longest text pyfloat_repr writes, terminator included. */
#define PYFLOAT_MAX 32

/* Writes Python's repr(v) into out (PYFLOAT_MAX bytes); returns its length.
 * "nan", "inf" and "-inf" for the non-finite values. */
size_t pyfloat_repr(double v, char out[PYFLOAT_MAX]);

/* Reads a whole string as a double (C or Python spelling, "nan"/"inf" too).
 * Returns 0 on success, -1 when text is not exactly one number. */
int pyfloat_parse(const char *text, double *out);

#endif
