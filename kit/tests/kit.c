/*
 * kit.c — the public tests' helpers (see kit.h) and the summary in points.
 *
 * What a test prints goes to a temporary file rather than the terminal: the
 * checks read it (for the notebook's messages, as the grader does), and a
 * failing test shows it to you next to the expected value. The file is capped at the grader's
 * output limit, as the grader caps what a test may print.
 */
#include "kit.h"

#include <criterion/hooks.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* The test this process runs: Criterion gives each test a process of its
 * own, so one current test per process is all there is. */
static const kit_test *current;
static FILE *captured;       /* where stdout goes while the test runs */
static int terminal = -1;    /* the real stdout, put back for the checks */
static FILE *captured_err;   /* where stderr goes (the grader keeps it too) */
static int terminal_err = -1;

/* The exit status of a test that printed past the limit. */
#define KIT_EXIT_OUTPUT 97

/* The write that went past the limit is somewhere in your code: say why
 * and end the test (only async-signal-safe calls here). */
static void printed_past_limit(int sig)
{
    (void)sig;
    static const char why[] = "[----] a test printed more than the grader allows: it fails\n";
    ssize_t n = write(terminal_err >= 0 ? terminal_err : STDERR_FILENO, why, sizeof why - 1);
    (void)n;
    _exit(KIT_EXIT_OUTPUT);
}

void kit_start(const kit_test *t)
{
    current = t;
    fflush(stdout);
    captured = tmpfile();
    terminal = dup(STDOUT_FILENO);
    if (!captured || terminal < 0 || dup2(fileno(captured), STDOUT_FILENO) < 0)
        cr_assert_fail("the tests cannot catch what your code prints (tmpfile: out of space?)");
    fflush(stderr);
    captured_err = tmpfile();
    terminal_err = captured_err ? dup(STDERR_FILENO) : -1;
    if (terminal_err >= 0 && dup2(fileno(captured_err), STDERR_FILENO) < 0) {
        close(terminal_err);
        terminal_err = -1;
    }
    /* Printing past the limit ends the test, as on the grader, instead of
     * filling the disk until the time runs out. */
    signal(SIGXFSZ, printed_past_limit);
    struct rlimit cap = {(rlim_t)t->output_kb * 1024 + 1, (rlim_t)t->output_kb * 1024 + 1};
    setrlimit(RLIMIT_FSIZE, &cap);
}

/* Puts stderr back and returns what the test printed on it ("" when it
 * could not be kept), capped at the grader's limit. */
static char *stop_capture_err(void)
{
    fflush(stderr);
    if (terminal_err >= 0) {
        dup2(terminal_err, STDERR_FILENO);
        close(terminal_err);
        terminal_err = -1;
    }
    if (!captured_err)
        return calloc(1, 1);
    fseek(captured_err, 0, SEEK_END);
    long size = ftell(captured_err), cap = current->output_kb * 1024;
    if (size > cap)
        size = cap;
    char *text = calloc((size_t)(size > 0 ? size : 0) + 1, 1);
    rewind(captured_err);
    if (text && size > 0 && fread(text, 1, (size_t)size, captured_err) != (size_t)size)
        text[0] = '\0';
    fclose(captured_err);
    captured_err = NULL;
    /* what it printed there, for you to see, after the checks */
    if (text && *text)
        fputs(text, stderr);
    return text ? text : calloc(1, 1);
}

/* Puts stdout back and returns what the test printed (NULL if it printed
 * more than the grader allows). */
static char *stop_capture(size_t *len)
{
    free(stop_capture_err());
    fflush(stdout);
    if (terminal >= 0) {
        dup2(terminal, STDOUT_FILENO);
        close(terminal);
        terminal = -1;
    }
    *len = 0;
    if (!captured)
        return calloc(1, 1);
    fseek(captured, 0, SEEK_END);
    long size = ftell(captured);
    if (size > current->output_kb * 1024)
        return NULL;
    char *text = calloc((size_t)size + 1, 1);
    rewind(captured);
    if (text)
        *len = fread(text, 1, (size_t)size, captured);
    fclose(captured);
    captured = NULL;
    return text;
}

/* Appends text to the failure, each line indented under a heading. */
static void add_block(char *out, size_t len, const char *heading, const char *text)
{
    size_t used = strlen(out);
    used += (size_t)snprintf(out + used, len - used, "\n  %s", heading);
    for (const char *line = text; *line && used < len;) {
        const char *end = strchr(line, '\n');
        int n = end ? (int)(end - line) : (int)strlen(line);
        used += (size_t)snprintf(out + used, len - used, "\n      %.*s", n, line);
        line += n + (end != NULL);
    }
}

/* The failure text: which test, the grader's why, and what was printed. */
static const char *failure(const char *why, const char *printed, const char *expected_output)
{
    static char out[8192];
    snprintf(out, sizeof out, "%s \"%s\" (%g points):\n  %s", current->id, current->name,
             current->points, why);
    /* what was printed first: a test's own output is capped at 64 KiB, the
     * report at this buffer (snprintf truncates, add_block stops when full) */
    if (printed && *printed && strlen(out) + 1 < sizeof out)
        add_block(out, sizeof out, "your code printed:", printed);
    if (expected_output && strlen(out) + 1 < sizeof out)
        add_block(out, sizeof out, "the instructor's solution prints:", expected_output);
    return out;
}

static const char *printed_too_much(void)
{
    char why[256];
    snprintf(why, sizeof why, "printed more than %ld KiB", current->output_kb);
    return failure(why, NULL, NULL);
}

const char *kit_exact(double got, double expected)
{
    size_t len;
    char *printed = stop_capture(&len), why[CMP_WHY_MAX];
    if (!printed)
        return printed_too_much();
    const char *result = cmp_exact(got, expected, why, sizeof why) ? NULL : failure(why, printed, NULL);
    free(printed);
    return result;
}

const char *kit_close(double got, double expected, double rtol, double atol)
{
    size_t len;
    char *printed = stop_capture(&len), why[CMP_WHY_MAX];
    if (!printed)
        return printed_too_much();
    const char *result =
        cmp_close(got, expected, rtol, atol, why, sizeof why) ? NULL : failure(why, printed, NULL);
    free(printed);
    return result;
}

const char *kit_verdict(double got, double expected, kit_output output, const char *expected_output)
{
    size_t len;
    char *err = stop_capture_err();
    char *printed = stop_capture(&len), why[CMP_WHY_MAX];
    if (!printed) {
        free(err);
        return printed_too_much();
    }
    cmp_output o = {.out = printed, .err = err, .check_message = output == KIT_OUTPUT_MESSAGE,
                    .silent = output == KIT_OUTPUT_SILENT, .has_handed_out = current->has_handed_out,
                    .handed_out = current->handed_out, .handed_out_stdout = current->handed_out_stdout};
    bool ok = cmp_verdict_output(got, expected, &KIT_VERDICT, &o, why, sizeof why);
    const char *result = ok ? NULL : failure(why, printed, expected_output);
    free(printed);
    free(err);
    return result;
}

const char *kit_missing(const char *function)
{
    static char why[256];
    snprintf(why, sizeof why, "missing: your file does not define the function %s", function);
    return why;
}

static const kit_test *find_test(const char *id)
{
    for (size_t i = 0; id && i < KIT_NTESTS; i++)
        if (!strcmp(id, KIT_TESTS[i].id))
            return &KIT_TESTS[i];
    return NULL;
}

/* Why a test that failed no check failed: it ended before its checks. */
static void say_how_it_ended(const kit_test *t, const struct criterion_test_stats *s)
{
    if (s->crashed || s->timed_out || s->failed_asserts > 0)
        return;    /* Criterion said it already */
    if (s->exit_code == KIT_EXIT_OUTPUT)
        fprintf(stderr, "[----] %s: printed more than %ld KiB\n", t->id, t->output_kb);
    else
        fprintf(stderr, "[----] %s: the program ended (exit status %d) before the function returned\n",
                t->id, s->exit_code);
}

/* After the last test: the public tests' score, as the grader would count it. */
ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
    double got = 0, max = 0;
    size_t passed = 0, ran = 0;
    for (struct criterion_suite_stats *s = stats->suites; s; s = s->next)
        for (struct criterion_test_stats *ts = s->tests; ts; ts = ts->next) {
            const kit_test *t = find_test(ts->test->data->description);
            if (!t || ts->test_status == CR_STATUS_SKIPPED)    /* left out by --filter */
                continue;
            bool ok = ts->test_status == CR_STATUS_PASSED && !ts->crashed && !ts->timed_out;
            ran++;
            max += t->points;
            got += ok ? t->points : 0;
            passed += ok;
            if (!ok)
                say_how_it_ended(t, ts);
        }
    fprintf(stderr, "[====] Public tests: %zu of %zu passed, %g of %g points.", passed, ran, got, max);
    if (ran < KIT_NTESTS)
        fprintf(stderr, " (%zu of the %zu public tests were not run.)", KIT_NTESTS - ran, KIT_NTESTS);
    fputc('\n', stderr);
    fprintf(stderr, "[====] The grader also runs hidden tests (the assignment is out of %g points): "
            "try your code on cases of your own too.\n", KIT_TOTAL_POINTS);
}
