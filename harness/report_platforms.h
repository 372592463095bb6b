/*
 * report_platforms — reports in the formats course platforms read.
 *
 * Students read these, so they show hidden tests only as the rubric allows
 * (a hidden test's inputs and expected value never appear) and say a compile
 * error or a grader fault in plain words, never as a silent zero.
 */
#ifndef REPORT_PLATFORMS_H
#define REPORT_PLATFORMS_H

#include <cjson/cJSON.h>

#include "grade.h"
#include "pack.h"

/* Gradescope's results.json (score, tests[] with name, score, max_score,
 * status, output, visibility; execution_time; stdout_visibility). */
cJSON *report_gradescope(const pack *p, const grade_result *g);

/* PrairieLearn's results.json (score in [0, 1], gradable, message, tests[]
 * with name, points, max_points, message, output). */
cJSON *report_prairielearn(const pack *p, const grade_result *g);

#endif
