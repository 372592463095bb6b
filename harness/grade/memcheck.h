/*
 * memcheck — the memory checks of one submission, run beside its build and tests.
 *
 * The sanitizer build and its runs cost more than the graded build and every
 * test together, and need none of their results: only the vetted text. So as
 * soon as the text has passed its checks, a child process of the grader takes
 * it, in a sandbox slot of its own (a box and its sessions belong to one
 * process), builds the sanitizer runner (build_diagnostic_runner), and once
 * the graded object has passed its checks too (memcheck_go), runs it on
 * one visible test per function, symbolizes what the sanitizers print, and
 * sends back what it found as one JSON document. On two cores the checks add
 * little to the time a submission takes. What they found counts only if the
 * sanitizer build kept exactly the functions the graded build kept.
 */
#ifndef MEMCHECK_H
#define MEMCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "build.h"
#include "diagnose.h"
#include "error.h"
#include "pack.h"
#include "sandbox.h"

typedef struct memcheck memcheck;

/* Starts the checks on out_dir/submission.i in a child; work is the
 * submission's folder (the child builds in work/diag). With wait, the child
 * builds from the vetted text at once but runs nothing before memcheck_go
 * (the graded object has passed its checks): without it, it never does. NULL
 * when they could not start (report says why on memcheck_finish of NULL:
 * call it anyway). */
memcheck *memcheck_start(const pack *p, const build_config *cfg, const sb_box *box, const char *work,
                         const char *out_dir, const char *source, double deadline, bool wait);

/* The go-ahead for a child started with wait (nothing for one without). */
void memcheck_go(memcheck *m);

/* Waits for the child (killing it at the deadline) and reads its findings into
 * report. kept: the graded build's functions (parallel to p->graded); the
 * findings are dropped, with a note, when the sanitizer build kept others.
 * With no report, stops the child. Frees m. */
void memcheck_finish(memcheck *m, const pack *p, const bool *kept, diag_report *report);

#endif
