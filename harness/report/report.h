/*
 * report — a graded submission, written for whoever reads it.
 *
 * Formats: "text" (an instructor at a terminal: every test, every number),
 * "json" (the same, for programs; written with cJSON). Platform formats for
 * students live beside these and show hidden tests only as far as the rubric
 * allows. A compile error or a refusal is always said in plain words, never as
 * a silent zero.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "grade.h"
#include "pack.h"

typedef enum {
    REPORT_TEXT,          /* the instructor at a terminal */
    REPORT_JSON,          /* the same, for programs */
    REPORT_GRADESCOPE,    /* results.json of Gradescope's autograder spec */
    REPORT_PRAIRIELEARN,  /* PrairieLearn's external grader results */
    REPORT_COURSERA       /* feedback.json of a Coursera custom grader */
} report_format;

/* "text", "json", "gradescope", "prairielearn", "coursera". */
int report_format_parse(const char *name, report_format *out);

/* Writes g as text or json (the platforms' formats: report_platforms.h).
 * -1 with err only when writing failed. */
int report_write(FILE *out, report_format fmt, const pack *p, const grade_result *g, bool color,
                 hr_error *err);

/* The instructor's JSON report (a new document). */
cJSON *report_json(const pack *p, const grade_result *g);

/* The instructor's text report: every test's detail, hidden ones included. */
void report_text(FILE *out, const pack *p, const grade_result *g, bool color);

/* The student's text report: what a student may read (a hidden test's
 * inputs, expected value and table never), and what the code printed on the
 * visible tests, as the kit shows it. Both text reports fit REPORT_COLUMNS:
 * lines are wrapped between words, never inside a number. */
#define REPORT_COLUMNS 80
void report_text_student(FILE *out, const pack *p, const grade_result *g, bool color);

/* "10" or "2.5": points as a person writes them. */
const char *report_points(double v, char buf[32]);

#endif
