/*
 * clock — the one clock the harness measures with: seconds on the monotonic
 * clock (never the wall clock, which an administrator or NTP may move), as a
 * double. Deadlines, time-outs and reported durations all read it.
 */
#ifndef CLOCK_H
#define CLOCK_H

/* Seconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
double clock_now_s(void);

#endif
