/* batch_progress — see batch_progress.h. */
#include "batch_progress.h"

#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "safetext.h"

#define BAR_CELLS 24

void bprog_printable(char *out, size_t len, const char *text)
{
    /* one line: safe text (safetext.h) with its newlines and tabs as blanks */
    safetext_copy(out, len, text);
    for (char *p = out; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
}

static int terminal_width(FILE *out)
{
    struct winsize ws;
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 80;
}

void bprog_start(bprog *p, FILE *out, bool bar, size_t total, size_t already_done)
{
    memset(p, 0, sizeof *p);
    p->out = out;
    p->bar = bar;
    p->total = total;
    p->finished = already_done;
    p->started = clock_now_s();
    if (already_done == total)
        fprintf(out, "grade.sh: all %zu students are already graded (their reports are kept)\n", total);
    else if (already_done)
        fprintf(out, "grade.sh: %zu of %zu students already graded (their reports are kept); "
                "grading the other %zu\n", already_done, total, total - already_done);
    else
        fprintf(out, "grade.sh: grading %zu students\n", total);
    fflush(out);
}

static void clear_line(bprog *p)
{
    if (p->bar && p->drawn)
        fputs("\r\033[K", p->out);
    p->drawn = false;
}

void bprog_tick(bprog *p, size_t running)
{
    if (!p->bar)
        return;
    char cells[BAR_CELLS + 1];
    size_t full = p->total ? p->finished * BAR_CELLS / p->total : BAR_CELLS;
    for (size_t i = 0; i < BAR_CELLS; i++)
        cells[i] = i < full ? '#' : '-';
    cells[BAR_CELLS] = '\0';
    long secs = (long)(clock_now_s() - p->started);
    char line[512];
    snprintf(line, sizeof line, "[%s] %zu/%zu  %ld:%02ld  %zu running%s%s", cells, p->finished, p->total,
             secs / 60, secs % 60, running, p->last[0] ? "  last: " : "", p->last);
    int width = terminal_width(p->out) - 1;
    if ((int)strlen(line) > width)
        safetext_cut(line, (size_t)width);   /* on a character boundary */
    fprintf(p->out, "\r%s\033[K", line);
    fflush(p->out);
    p->drawn = true;
}

void bprog_finished(bprog *p, const char *id, const char *what)
{
    char shown[128];
    bprog_printable(shown, sizeof shown, id);
    p->finished++;
    char last[sizeof p->last + 160];
    snprintf(last, sizeof last, "%s %s", shown, what);
    safetext_copy(p->last, sizeof p->last, last);
    if (!p->bar) {
        fprintf(p->out, "grade.sh: [%zu/%zu] %s: %s\n", p->finished, p->total, shown, what);
        fflush(p->out);
    }
}

void bprog_say(bprog *p, const char *text)
{
    char shown[1200];
    bprog_printable(shown, sizeof shown, text);
    clear_line(p);
    fprintf(p->out, "grade.sh: %s\n", shown);
    fflush(p->out);
}

void bprog_end(bprog *p)
{
    clear_line(p);
    fflush(p->out);
}
