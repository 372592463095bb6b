/*
 * batch_progress — what a batch tells the person who started it, as it goes.
 *
 * On a terminal: one line redrawn in place (a bar, how many are finished,
 * how long it has run, the last student finished). Anywhere else (a log, a
 * CI job, a pipe): one plain line per finished student, nothing redrawn.
 * Student ids are folder names that a student may have chosen: control bytes
 * are shown as '?', so a name cannot drive the terminal.
 */
#ifndef BATCH_PROGRESS_H
#define BATCH_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    FILE *out;
    bool bar;            /* redraw one line (a terminal) or print plain lines */
    size_t total;        /* students in the batch */
    size_t finished;     /* done so far, those done before this run included */
    double started;      /* monotonic seconds */
    char last[160];      /* "alice 45/50" */
    bool drawn;          /* a bar line is on the screen */
} bprog;

void bprog_start(bprog *p, FILE *out, bool bar, size_t total, size_t already_done);
/* A student finished: what (e.g. "45/50 graded"). */
void bprog_finished(bprog *p, const char *id, const char *what);
/* Redraws the bar (nothing in plain mode). */
void bprog_tick(bprog *p, size_t running);
/* A message of its own line (the bar is cleared first and redrawn after). */
void bprog_say(bprog *p, const char *text);
/* Copies text with control bytes (and DEL) shown as '?', for any message
 * that carries a student's folder name. */
void bprog_printable(char *out, size_t len, const char *text);
/* Leaves the terminal on a fresh line. */
void bprog_end(bprog *p);

#endif
