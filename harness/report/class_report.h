/*
 * class_report — the class's results on one self-contained HTML page.
 *
 * For an instructor after a batch: the score distribution (an inline SVG
 * histogram), the pass rate of every test, the most common failure messages
 * and every student's row. The page loads nothing (no CDN, no script, no
 * font, no image file: inline CSS and SVG only), and says so to the browser
 * with a Content-Security-Policy that forbids every fetch and every script.
 *
 * Everything that came from a submission (folder names, messages quoting what
 * a program printed) is escaped, and bytes that are not UTF-8 become U+FFFD,
 * so a student's text can never become markup. Failure messages are grouped
 * by their student-level text with every number replaced by "#": "expected
 * 8.0, got 6.0" and "expected 8.0, got 7.0" are one mistake, and hidden
 * tests' inputs and expected values never reach the page.
 */
#ifndef CLASS_REPORT_H
#define CLASS_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "batch_record.h"
#include "error.h"
#include "pack.h"

typedef struct {
    const pack *pack;
    const brec *const *rows;    /* finished students, in the order shown */
    size_t n;
    size_t roster;              /* students in the batch folder (n < roster: a partial page) */
    const char *generated_at;   /* shown as is */
} classrep_input;

/* The time a page is generated, for generated_at: now in local time, or, when
 * SOURCE_DATE_EPOCH is set (the reproducible-builds convention), that time in
 * UTC, so that two runs over the same results (a class graded on one machine,
 * and the same class graded in shards and merged) give the same bytes. */
void classrep_timestamp(char *out, size_t len);

/* Writes the page to path atomically. */
int classrep_write(const char *path, const classrep_input *in, hr_error *err);

/* Writes text HTML-escaped (& < > " '), invalid UTF-8 and control bytes as U+FFFD. */
void classrep_escape(FILE *out, const char *text);

/* The first line of a message (what failed; its hint and table follow on lines
 * of their own) with every number replaced by "#" (a new string, NULL when out
 * of memory), so that one mistake made by many students groups as one. */
char *classrep_normalize(const char *message);

#endif
