/*
 * kit.c — the public tests' helpers (see kit.h) and the summary in points.
 *
 * What a test prints goes to a temporary file rather than the terminal: the
 * checks read it (for the notebook's messages, as the grader does), and a
 * failing test shows it to you next to the expected value. The file is capped at the grader's
 * output limit, as the grader caps what a test may print.
 *
 * A failing value gets the grader's hint: the catalogue's symptom when the
 * value is one many mistakes give (1, 1/3...), else the one mistake that
 * returns it on this test (the grader also asks that the mistake fit every
 * test of the function, hidden ones included; the kit sees one test), or the
 * plain facts the grader states (NaN, infinity, a wrong sign, a factor).
 *
 * A crash would otherwise be only Criterion's "Unexpected signal caught below
 * this line!": the kit's signal handler says which test, which signal and
 * where in your file (the stack, read with addr2line), then lets the signal
 * end the test as before.
 */
#define _GNU_SOURCE   /* dladdr, REG_RIP */
#include "kit.h"

#include <criterion/hooks.h>
#include <signal.h>
#include <ucontext.h>
#include <sys/wait.h>
#include <stdint.h>
#include <math.h>
#include <execinfo.h>
#include <elf.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "substitute_runner.h"

#ifndef KIT_SOURCE
#define KIT_SOURCE "gradient_check.c"   /* the Makefile says which file is yours */
#endif

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

/* ---- a crash, said ----------------------------------------------------------- */

static const char *signal_words(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV: a read or write of memory your code does not own (a bad or NULL pointer, "
                         "an index past an array's end, a freed block?)";
    case SIGBUS: return "SIGBUS: a bad memory access (a misaligned or unmapped address)";
    case SIGFPE: return "SIGFPE: an arithmetic error (an integer division by zero?)";
    case SIGILL: return "SIGILL: an illegal instruction (a corrupted stack or function pointer?)";
    case SIGABRT: return "SIGABRT: abort() was called (a failed assert, or the C library found its heap "
                         "corrupted: a write past a malloc'd block, a double free?)";
    default: return "a signal";
    }
}

static void say(const char *text)
{
    ssize_t n = write(terminal_err >= 0 ? terminal_err : STDERR_FILENO, text, strlen(text));
    (void)n;
}

/* Where the program is loaded: addresses given to addr2line are the
 * executable's own (a PIE is loaded at a random base). */
static uintptr_t exe_base;
static bool exe_pie;
static char exe_path[4096];   /* the program's file (addr2line's own /proc/self/exe would be addr2line) */

/* Runs addr2line on the addresses; returns its output (function and
 * file:line per address) in buf. */
static size_t symbolize(char addrs[][24], int n, char *buf, size_t len)
{
    int fds[2];
    if (n == 0 || !exe_path[0] || pipe(fds) != 0)
        return 0;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        char *argv[40] = {"addr2line", "-f", "-e", exe_path};
        int k = 4;
        for (int i = 0; i < n && k < 39; i++)
            argv[k++] = addrs[i];
        argv[k] = NULL;
        execvp("addr2line", argv);
        _exit(127);
    }
    close(fds[1]);
    size_t got = 0;
    ssize_t r;
    while (pid > 0 && got + 1 < len && (r = read(fds[0], buf + got, len - 1 - got)) > 0)
        got += (size_t)r;
    close(fds[0]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    buf[got] = '\0';
    return got;
}

/* The first frame of the stack in your file: "in FUNCTION, at FILE:LINE". */
static bool your_line(char *out, size_t len, void *const *pcs, int n)
{
    char addrs[32][24];
    int k = 0;
    for (int i = 0; i < n && k < 32; i++) {
        Dl_info info;
        uintptr_t pc = (uintptr_t)pcs[i];
        if (!dladdr(pcs[i], &info) || (uintptr_t)info.dli_fbase != exe_base)
            continue;   /* the C library, Criterion */
        /* return addresses point after their call: step back into it */
        uintptr_t a = (exe_pie ? pc - exe_base : pc) - (i > 0);
        snprintf(addrs[k++], sizeof addrs[0], "0x%lx", (unsigned long)a);
    }
    static char text[16384];
    if (!symbolize(addrs, k, text, sizeof text))
        return false;
    char *save, *function = NULL;
    for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        if (!function) {
            function = l;
            continue;
        }
        const char *file = strrchr(l, '/') ? strrchr(l, '/') + 1 : l;
        if (!strncmp(file, KIT_SOURCE, strlen(KIT_SOURCE)) && file[strlen(KIT_SOURCE)] == ':') {
            char *paren = strchr(file, ' ');   /* "file.c:12 (discriminator 3)" */
            if (paren)
                *paren = '\0';
            snprintf(out, len, "in %s, at %s", function, file);
            return true;
        }
        function = NULL;
    }
    return false;
}

static void crashed(int sig, siginfo_t *si, void *uc_arg)
{
    (void)si;
    void *pcs[64];
    int n = backtrace(pcs, 64);
#if defined(__x86_64__)
    /* the frame that faulted first, from the interrupted context */
    const ucontext_t *uc = uc_arg;
    void *fault_pc = (void *)uc->uc_mcontext.gregs[REG_RIP];
    int at = 0;
    while (at < n && pcs[at] != fault_pc)
        at++;
    if (at < n) {
        memmove(pcs, pcs + at, (size_t)(n - at) * sizeof *pcs);
        n -= at;
    } else if (n < 64) {
        memmove(pcs + 1, pcs, (size_t)n * sizeof *pcs);
        pcs[0] = fault_pc;
        n++;
    }
#else
    (void)uc_arg;
#endif
    char where[1024], line[2048];
    if (!your_line(where, sizeof where, pcs, n))
        snprintf(where, sizeof where, "outside the lines of %s the stack shows (in the C library, "
                 "called from your code?)", KIT_SOURCE);
    snprintf(line, sizeof line, "[----] %s \"%s\" (%g points): your code crashed with %s, %s\n",
             current ? current->id : "?", current ? current->name : "?", current ? current->points : 0,
             signal_words(sig), where);
    say(line);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_crashes(void)
{
    Dl_info info;
    if (dladdr((void *)catch_crashes, &info) && info.dli_fbase) {
        exe_base = (uintptr_t)info.dli_fbase;
        exe_pie = ((const Elf64_Ehdr *)info.dli_fbase)->e_type == ET_DYN;
    }
    ssize_t n = readlink("/proc/self/exe", exe_path, sizeof exe_path - 1);
    exe_path[n > 0 ? n : 0] = '\0';
    void *warm[2];
    backtrace(warm, 2);   /* loads the unwinder now, not in the handler */
    static char stack[64 * 1024];
    stack_t ss = {.ss_sp = stack, .ss_size = sizeof stack};
    sigaltstack(&ss, NULL);
    struct sigaction sa = {.sa_sigaction = crashed, .sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND};
    sigemptyset(&sa.sa_mask);
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);
}

void kit_start(const kit_test *t)
{
    current = t;
    catch_crashes();
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

/* The value the current check got and expected (for the hint). */
static double check_got, check_expected;
static bool check_factors;   /* plain facts about size and sign apply */
static bool check_hint;      /* a number was checked: a hint may apply */

static bool same_value(double a, double b)
{
    return a == b || (isnan(a) && isnan(b)) || cmp_isclose(a, b, 1e-6, 0.0);
}

/* The grader's hint for the value got (see the top of this file), or "". */
static void hint(char *out, size_t len)
{
    double got = check_got, exp = check_expected;
    out[0] = '\0';
    if (!check_hint)
        return;
    /* a value many mistakes give: the symptom, naming none of them */
    for (const kit_mistake *m = current->mistakes; m && m->hint; m++)
        if (m->symptom && (got == m->value || cmp_isclose(got, m->value, 1e-5, 0.0))) {
            snprintf(out, len, "%s", m->hint);
            return;
        }
    /* a mistake is named only when it is the one that returns this value */
    const char *only = NULL;
    size_t fitting = 0;
    for (const kit_mistake *m = current->mistakes; m && m->hint; m++)
        if (!m->symptom && same_value(got, m->value) && !(only && !strcmp(only, m->hint))) {
            only = m->hint;
            fitting++;
        }
    if (fitting == 1) {
        snprintf(out, len, "%s", only);
        return;
    }
    if (fitting > 1)
        return;
    if (isnan(got)) {
        snprintf(out, len, "your function returned NaN: a 0/0, the log or square root of a negative "
                 "number, or a variable used before it was set?");
        return;
    }
    if (isinf(got)) {
        snprintf(out, len, "your function returned %s: a division by zero?", got > 0 ? "infinity" : "-infinity");
        return;
    }
    if (!check_factors || exp == 0 || got == 0)
        return;
    double ratio = got / exp;
    if (fabs(ratio + 1) < 1e-3) {
        snprintf(out, len, "your value has the right size but the wrong sign");
        return;
    }
    for (int k = 2; k <= 10; k++) {
        const double candidates[] = {k, 1.0 / k, -k, -1.0 / k};
        for (int j = 0; j < 4; j++)
            if (fabs(ratio / candidates[j] - 1) < 1e-3) {
                snprintf(out, len, "your value is %s%s%d times the expected one", j >= 2 ? "-" : "",
                         j % 2 ? "1/" : "", k);
                return;
            }
    }
}

/* The failure text: which test, the grader's why, and what was printed. */
static const char *failure(const char *why, const char *printed, const char *expected_output)
{
    static char out[8192];
    char h[1024];
    hint(h, sizeof h);
    snprintf(out, sizeof out, "%s \"%s\" (%g points):\n  %s%s%s", current->id, current->name,
             current->points, why, h[0] ? "\n  hint: " : "", h);
    if (current->calls && strlen(out) + 1 < sizeof out)
        snprintf(out + strlen(out), sizeof out - strlen(out), "\n  this test uses %s, not yours",
                 current->calls);
    /* what was printed first: a test's own output is capped at 64 KiB, the
     * report at this buffer (snprintf truncates, add_block stops when full) */
    if (printed && *printed && strlen(out) + 1 < sizeof out)
        add_block(out, sizeof out, "your code printed:", printed);
    if (expected_output && strlen(out) + 1 < sizeof out)
        add_block(out, sizeof out, "the instructor's solution prints:", expected_output);
    return out;
}

/* The test's function called a substitutable one that the file does not
 * define (its dispatcher had no own definition to call): the grader reports
 * the test missing, with these words. */
static const char *lacking_callee(char *printed)
{
    const char *lacking = subst_missing_function();
    if (!lacking)
        return NULL;
    static char why[512];
    snprintf(why, sizeof why, "%.*s calls %s, which your file does not define",
             (int)strcspn(current->id, "/"), current->id, lacking);
    free(printed);
    return failure(why, NULL, NULL);
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
    if (subst_missing_function())
        return lacking_callee(printed);
    check_got = got, check_expected = expected, check_factors = true, check_hint = true;
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
    if (subst_missing_function())
        return lacking_callee(printed);
    check_got = got, check_expected = expected, check_factors = true, check_hint = true;
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
    if (subst_missing_function()) {
        free(err);
        return lacking_callee(printed);
    }
    check_got = got, check_expected = expected, check_factors = false, check_hint = true;
    cmp_output o = {.out = printed, .err = err, .check_message = output == KIT_OUTPUT_MESSAGE,
                    .silent = output == KIT_OUTPUT_SILENT, .has_handed_out = current->has_handed_out,
                    .handed_out = current->handed_out, .handed_out_stdout = current->handed_out_stdout};
    bool ok = cmp_verdict_output(got, expected, &KIT_VERDICT, &o, why, sizeof why);
    const char *result = ok ? NULL : failure(why, printed, expected_output);
    free(printed);
    free(err);
    return result;
}

void kit_tally_number(cmp_tally *tally, const char *path, double got, double expected)
{
    cmp_matrix(tally, path, true, &got, 1, 1, &expected, 1, 1);
}

const char *kit_tally(const cmp_tally *tally)
{
    size_t len;
    char *printed = stop_capture(&len), why[CMP_WHY_MAX];
    if (!printed)
        return printed_too_much();
    cmp_tally_why(tally, why, sizeof why);
    const char *result = cmp_tally_ok(tally) ? NULL : failure(why, printed, NULL);
    free(printed);
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
