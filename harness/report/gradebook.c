/* gradebook — see gradebook.h. */
#include "gradebook.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "pyfloat.h"
#include "safetext.h"

/* Could a spreadsheet start a formula at c? */
static bool formula_start(char c)
{
    return c && strchr("=+-@\t\r\n", c) != NULL;
}

/* Separators of the common CSV conventions (comma, semicolon, tab) and line
 * ends: a cell may start right after any of them. */
static bool cell_boundary(char c)
{
    return c && strchr(",;\t\r\n", c) != NULL;
}

void gradebook_field(FILE *out, const char *raw)
{
    char *text = safetext_make(raw);
    if (!text)
        return;
    /* quoted whenever it holds a separator of any convention, a quote or a line end */
    bool quote = strpbrk(text, ",;\t\"\r\n") != NULL;
    if (quote)
        fputc('"', out);
    for (const char *p = text; *p; p++) {
        /* a cell that would start with = + - @ TAB or a line end, in any
         * convention, starts with an apostrophe instead: text, not a formula */
        if (formula_start(*p) && (p == text || cell_boundary(p[-1])))
            fputc('\'', out);
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    if (quote)
        fputc('"', out);
    free(text);
}

void gradebook_id_field(FILE *out, const char *id)
{
    gradebook_field(out, id);
}

/* Points as they read back: whole numbers without ".0", others exactly. */
static void number_field(FILE *out, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        fprintf(out, "%.0f", v);
        return;
    }
    char text[PYFLOAT_MAX];
    pyfloat_repr(v, text);
    fputs(text, out);
}

static void write_row(FILE *out, const rubric *r, const brec *row)
{
    gradebook_id_field(out, row->id);
    for (size_t e = 0; e < r->nexercises; e++) {
        fputc(',', out);
        if (row->graded)
            number_field(out, row->scores[e]);
    }
    fputc(',', out);
    if (row->graded)
        number_field(out, row->total);
    fputc(',', out);
    gradebook_field(out, row->status);
    fputc('\n', out);
}

int gradebook_write(const char *path, const rubric *r, const brec *const *rows, size_t n,
                    hr_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return hr_fail(err, "out of memory writing %s", path);
    fputs("id", m);
    for (size_t e = 0; e < r->nexercises; e++) {
        fputc(',', m);
        gradebook_field(m, r->exercises[e].id);
    }
    fputs(",total,status\n", m);
    for (size_t i = 0; i < n; i++)
        write_row(m, r, rows[i]);
    if (fclose(m) != 0) {
        free(buf);
        return hr_fail(err, "out of memory writing %s", path);
    }
    int rc = fs_write_atomic(path, buf, len, err);
    free(buf);
    return rc ? hr_wrap(err, "the gradebook") : 0;
}
