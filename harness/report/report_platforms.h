/*
 * report_platforms — reports in the formats course platforms read.
 *
 * Students read these, so they show hidden tests only as the rubric allows
 * (a hidden test's inputs and expected value never appear, nor what it
 * printed, which could echo its inputs) and say a compile error, a refused
 * file or a grader fault in plain words, never as a silent zero. They use a
 * test's student message only, never the instructor's detail.
 *
 *   gradescope    results.json of Gradescope's autograder spec
 *   prairielearn  results.json of PrairieLearn's external grader
 *   coursera      feedback.json of a Coursera custom grader, for one part
 *
 * Every document is built with cJSON; numbers that are not whole are exact.
 */
#ifndef REPORT_PLATFORMS_H
#define REPORT_PLATFORMS_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "error.h"
#include "grade.h"
#include "pack.h"
#include "report.h"

/* Gradescope's results.json (score, tests[] with name, number, score,
 * max_score, status, output, visibility; execution_time; output;
 * stdout_visibility "hidden": the autograder's stdout is for staff). Every
 * test is visible (one hidden test would hide the student's total); a hidden
 * test shows as "EXERCISE: hidden test K" with its safe message, and the
 * output starts with the total and how the hidden tests went. */
cJSON *report_gradescope(const pack *p, const grade_result *g);

/* PrairieLearn's results.json (gradable, score in [0, 1], message, output,
 * tests[] with name, description, points, max_points, message, output).
 * gradable is false (with format_errors) when the file did not compile, was
 * refused or not accepted, or a test could not run because the grader
 * failed: the student is not charged an attempt. */
cJSON *report_prairielearn(const pack *p, const grade_result *g);

/* Coursera's feedback.json ({"fractionalScore": [0, 1], "feedback": TEXT})
 * for one part of the rubric's parts: section; part NULL grades the whole
 * assignment. The fraction is the part's points earned over its points (for a
 * part worth no points, the share of its tests passed). A part the rubric does not have gets 0 and a message that says
 * so (g may then be NULL: nothing needs grading). */
cJSON *report_coursera(const pack *p, const grade_result *g, const char *part);

/* Does the rubric have this part? NULL (the whole assignment) always is. */
bool report_part_known(const rubric *r, const char *part);

/* Is fmt one of the platform formats above? */
bool report_is_platform(report_format fmt);

/* The platform's document for a submission the grader could not grade
 * because it failed itself (why: one sentence): it tells the student it is
 * not their fault and what to do. fmt must be a platform format. */
cJSON *report_platform_fault(report_format fmt, const char *why);

/* The staff's lines about one graded submission (platforms show stderr to
 * staff only): its status, the isolation level reached, whether the memory
 * checks ran (and why not), and any grader fault. */
void report_platform_staff_log(FILE *log, const grade_result *g);

/* Writes report_coursera (with part) or report_write's document for the
 * other formats, after the staff log (report_platform_staff_log) on stderr.
 * -1 with err when writing failed, or when a test hit a grader fault: the
 * caller then writes the fault document and exits 1, each platform's way of
 * not recording a grade the grader could not give. */
int report_platform_write(FILE *out, report_format fmt, const pack *p, const grade_result *g,
                          const char *part, hr_error *err);

/* Writes report_platform_fault. -1 with err only when writing failed. */
int report_platform_fault_write(FILE *out, report_format fmt, const char *why, hr_error *err);

#endif
