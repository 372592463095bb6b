/* gradebook — see gradebook.h. */
#include "gradebook.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "pyfloat.h"

void gradebook_field(FILE *out, const char *text)
{
    if (!strpbrk(text, ",\"\r\n")) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

void gradebook_id_field(FILE *out, const char *id)
{
    if (*id && strchr("=+-@\t\r", *id)) {
        char *guarded = malloc(strlen(id) + 2);
        if (!guarded)
            return;
        guarded[0] = '\'';
        strcpy(guarded + 1, id);
        gradebook_field(out, guarded);
        free(guarded);
        return;
    }
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
