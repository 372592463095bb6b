/*
 * choose — which built assignment grades a submission.
 *
 * grade.sh builds every assignment into one folder (build/NAME/) and lets the
 * instructor name one (--assignment NAME) or not: then the assignment is the
 * one whose file (the rubric's `source:`) the submission folder holds, or,
 * for a batch, that the students' folders hold. When that is ambiguous or
 * nothing matches, the answer is a usage error that lists the assignments, so
 * that a folder is never graded by a guess.
 */
#ifndef CHOOSE_H
#define CHOOSE_H

#include <stdbool.h>
#include <stddef.h>

/* Sets *dir to the built assignment folder (a new string). name: what
 * --assignment said (NULL: choose from the submission); target: the
 * submission (a folder or a file) or, with batch, the class folder; NULL
 * when there is none to look into (a merge), which needs the name unless one
 * assignment is built.
 * -1 with why (a usage error's text) when no assignment can be chosen. */
int choose_assignment(const char *packs, const char *name, const char *target, bool batch, char **dir,
                      char *why, size_t whylen);

#endif
