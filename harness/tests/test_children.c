/*
 * The grader's last word to a child process that has already ended must not
 * end the grader. A write to a pipe nobody reads raises SIGPIPE, which kills a
 * process before it flushes its report: CI saw `grade.sh` exit 141 with no
 * output for a file that defines nothing, whose memory checks ended before
 * the grader sent them the go-ahead. Each test here makes the child end first,
 * then has the grader speak to it. If the signal comes, Criterion counts a
 * crash.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "clock.h"
#include "memcheck.h"
#include "sandbox.h"

/* Blocks until one of this process's children has ended, and leaves it
 * unreaped (the code under test reaps it). */
static pid_t wait_for_a_child_to_end(void)
{
    siginfo_t info = {0};
    cr_assert_eq(waitid(P_ALL, 0, &info, WEXITED | WNOWAIT), 0, "no child ended: %s", strerror(errno));
    return info.si_pid;
}

Test(children, memory_checks_told_to_go_after_they_ended)
{
    hr_error err = {{0}};
    sb_options options = {0};
    sb_box *box = sb_open(&options, &err);
    cr_assert_not_null(box, "%s", err.msg);
    pack p = {0};
    build_config cfg = {0};
    /* a work folder that is not there: the child's build cannot start, so
     * it reports that and ends without waiting for the go-ahead */
    memcheck *m = memcheck_start(&p, &cfg, box, "/nonexistent/gcgrade-work", "/nonexistent/gcgrade-work/out",
                                 "gradient_check.c", clock_now_s() + 30, true);
    cr_assert_not_null(m);
    wait_for_a_child_to_end();
    memcheck_go(m);
    diag_report report = {0};
    memcheck_finish(m, &p, NULL, &report);
    cr_expect(!report.ran, "the checks ran with no work folder");
    cr_expect(report.note[0], "the report says nothing of why the checks did not run");
    diag_report_free(&report);
    sb_close(box);
}

/* The children of this thread, as the kernel lists them. */
static pid_t only_child(void)
{
    char path[64], text[256] = {0};
    snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)gettid());
    FILE *f = fopen(path, "re");
    cr_assert_not_null(f, "%s: %s", path, strerror(errno));
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    int pid = 0, more = 0;
    cr_assert(n > 0 && sscanf(text, "%d %d", &pid, &more) == 1, "not one child: '%s'", text);
    return pid;
}

Test(children, cleanup_watcher_killed_before_the_end)
{
    hr_error err = {{0}};
    cr_assert_eq(cleanup_watch(NULL, &err), 0, "%s", err.msg);
    pid_t watcher = only_child();
    cr_assert_eq(kill(watcher, SIGKILL), 0);
    cr_expect_eq(wait_for_a_child_to_end(), watcher);
    cleanup_done();
    cr_expect_eq(waitpid(watcher, NULL, WNOHANG), -1, "cleanup_done did not reap the watcher");
}
