/*
 * gradebook — the class's grades as one CSV file.
 *
 * Columns: id, each exercise by its id (rubric order), total, status; one row
 * per finished student, sorted by id. The file is rebuilt whole from the
 * records and renamed into place, so a reader (or an interrupted batch) only
 * ever sees a complete gradebook, with no row lost or repeated.
 *
 * Fields are quoted as RFC 4180 says (a comma, quote, CR or LF inside). An id
 * that a spreadsheet would read as a formula (starting with = + - @, a tab or
 * a CR) gets a leading apostrophe, the usual guard against CSV injection: ids
 * are folder names, and folders come from students. Scores are written so that
 * they read back as the same double ("10", "2.5", "0.1").
 */
#ifndef GRADEBOOK_H
#define GRADEBOOK_H

#include <stddef.h>
#include <stdio.h>

#include "batch_record.h"
#include "error.h"
#include "rubric.h"

/* Writes the gradebook of rows (in the order given) to path atomically. */
int gradebook_write(const char *path, const rubric *r, const brec *const *rows, size_t n,
                    hr_error *err);

/* One text field, quoted when it needs to be (no formula guard). */
void gradebook_field(FILE *out, const char *text);

/* One id field: the formula guard, then gradebook_field. */
void gradebook_id_field(FILE *out, const char *id);

#endif
