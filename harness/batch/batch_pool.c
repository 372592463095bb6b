/* batch_pool — see batch_pool.h.
 *
 * The parent blocks the signals it cares about (SIGCHLD and the stop signals)
 * and takes them one at a time with sigtimedwait: no handler runs at an odd
 * moment, no flag is missed between a check and a wait, and the one-second
 * timeout doubles as the progress bar's clock.
 *
 * A worker's end first frees its slot and starts the next item, and only then
 * runs the parent's callback (reading the report back, rewriting the
 * gradebook): the slot's core does not wait for the parent's bookkeeping.
 */
#include "sandbox.h"
#include "clock.h"
#include "batch_pool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    pid_t pid;          /* 0: the slot is free */
    size_t item;
    int why_fd;         /* read end of the pipe the worker writes its error to */
    bool killed;        /* by the pool, after a stop signal */
} worker;

/* A worker that ended, waiting for its callback. */
typedef struct {
    size_t item;
    bpool_outcome outcome;
    char why[sizeof ((hr_error *)0)->msg + 1];
} ended;

typedef struct {
    const bpool_callbacks *cb;
    worker *w;
    ended *done;        /* one per slot: the workers reaped at once */
    int jobs;
    const size_t *items;
    size_t n, next;     /* items[next] is the next to start */
    int spawn_rc;       /* -1 once a worker could not be started (err says why) */
    hr_error *err;
    size_t running;
    int stop_sig;       /* the first stop signal, 0 while none came */
    double kill_at;     /* when the grace period ends */
    bool killed_all;
    pid_t parent;
    sigset_t signals;   /* blocked while the pool runs */
} pool;

/* ---- the worker's side -------------------------------------------------------- */

/* A worker told to stop (or orphaned) takes its whole process group down:
 * itself and its sandbox's keeper, whose end ends the sandboxed program. */
static void worker_stop(int sig)
{
    (void)sig;
    kill(0, SIGKILL);
}

static void worker_signals(const pool *p)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = worker_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigprocmask(SIG_UNBLOCK, &p->signals, NULL);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != p->parent)   /* the parent died before prctl */
        kill(0, SIGKILL);
}

static void worker_main(const pool *p, size_t item, int slot, int why_fd) __attribute__((noreturn));

static void worker_main(const pool *p, size_t item, int slot, int why_fd)
{
    setpgid(0, 0);
    worker_signals(p);
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull >= 0 && devnull != 0) {
        dup2(devnull, 0);
        close(devnull);
    }
    hr_error err = {{0}};
    int rc = p->cb->work(p->cb->arg, item, slot, &err);
    if (rc != 0) {
        ssize_t ignored = write(why_fd, err.msg, strnlen(err.msg, sizeof err.msg));
        (void)ignored;
    }
    _exit(rc == 0 ? 0 : 1);
}

/* ---- the parent's side -------------------------------------------------------- */

static int spawn(pool *p, int slot, size_t item, hr_error *err)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
        return hr_fail(err, "cannot start a worker: %s", strerror(errno));
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return hr_fail(err, "cannot start a worker: %s", strerror(errno));
    }
    if (pid == 0) {
        close(fds[0]);
        worker_main(p, item, slot, fds[1]);
    }
    close(fds[1]);
    setpgid(pid, pid);   /* also done by the child: whichever runs first wins the race */
    p->w[slot] = (worker){.pid = pid, .item = item, .why_fd = fds[0]};
    p->running++;
    return 0;
}

static bpool_outcome outcome_of(const worker *w, int status, char *why, size_t len)
{
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return BPOOL_OK;
    if (w->killed)
        return BPOOL_STOPPED;
    if (why[0])
        return BPOOL_FAILED;
    if (WIFSIGNALED(status))
        snprintf(why, len, "the grader's worker died with SIG%s", sigabbrev_np(WTERMSIG(status))
                 ? sigabbrev_np(WTERMSIG(status)) : "?");
    else
        snprintf(why, len, "the grader's worker exited with status %d", WEXITSTATUS(status));
    return BPOOL_FAILED;
}

/* Frees a finished worker's slot; what its callback needs goes to *out. */
static void finish(pool *p, int slot, int status, ended *out)
{
    worker *w = &p->w[slot];
    ssize_t n = read(w->why_fd, out->why, sizeof out->why - 1);
    out->why[n > 0 ? n : 0] = '\0';
    close(w->why_fd);
    out->outcome = outcome_of(w, status, out->why, sizeof out->why);
    out->item = w->item;
    *w = (worker){0};
    p->running--;
}

static int free_slot(const pool *p)
{
    for (int s = 0; s < p->jobs; s++)
        if (p->w[s].pid == 0)
            return s;
    return -1;
}

/* Starts items while there are free slots, items left, and no stop. */
static void refill(pool *p)
{
    while (!p->stop_sig && p->spawn_rc == 0 && p->running < (size_t)p->jobs && p->next < p->n)
        if ((p->spawn_rc = spawn(p, free_slot(p), p->items[p->next], p->err)) == 0)
            p->next++;
}

static void reap(pool *p)
{
    size_t k = 0;
    for (int s = 0; s < p->jobs; s++) {
        int status;
        if (p->w[s].pid > 0 && waitpid(p->w[s].pid, &status, WNOHANG) == p->w[s].pid) {
            sb_sweep_roots(p->w[s].pid);   /* a killed worker leaves its sandbox's root folder */
            finish(p, s, status, &p->done[k++]);
        }
    }
    refill(p);
    for (size_t i = 0; i < k; i++)
        p->cb->finished(p->cb->arg, p->done[i].item, p->done[i].outcome, p->done[i].why);
}

static void kill_all(pool *p)
{
    for (int s = 0; s < p->jobs; s++)
        if (p->w[s].pid > 0) {
            kill(-p->w[s].pid, SIGKILL);
            kill(p->w[s].pid, SIGKILL);   /* in case it had not made its group yet */
            p->w[s].killed = true;
        }
    p->killed_all = true;
}

static void on_stop(pool *p, int sig)
{
    if (p->stop_sig) {   /* a second signal: no more grace */
        kill_all(p);
        return;
    }
    p->stop_sig = sig;
    p->kill_at = clock_now_s() + BPOOL_GRACE_S;
    if (p->cb->stopping)
        p->cb->stopping(p->cb->arg, sig, p->running);
}

/* Waits for a worker's end, a signal or a second, and handles it. */
static void wait_event(pool *p)
{
    double wait = 1.0;
    if (p->stop_sig && !p->killed_all) {
        double left = p->kill_at - clock_now_s();
        if (left <= 0) {
            kill_all(p);
            left = 0.05;
        }
        wait = left < wait ? left : wait;
    }
    struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
    siginfo_t si;
    int sig = sigtimedwait(&p->signals, &si, &ts);
    if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
        on_stop(p, sig);
    reap(p);
}

int bpool_run(const size_t *items, size_t n, int jobs, const bpool_callbacks *cb, hr_error *err)
{
    pool p = {.cb = cb, .jobs = jobs > 0 ? jobs : 1, .items = items, .n = n, .err = err,
              .parent = getpid()};
    p.w = calloc((size_t)p.jobs, sizeof *p.w);
    p.done = calloc((size_t)p.jobs, sizeof *p.done);
    if (!p.w || !p.done) {
        free(p.w);
        free(p.done);
        return hr_fail(err, "out of memory");
    }
    sigemptyset(&p.signals);
    int stops[] = {SIGINT, SIGTERM, SIGHUP, SIGCHLD};
    for (size_t i = 0; i < sizeof stops / sizeof *stops; i++)
        sigaddset(&p.signals, stops[i]);
    sigset_t old_mask;
    struct sigaction dfl = {.sa_handler = SIG_DFL}, old_chld;
    sigaction(SIGCHLD, &dfl, &old_chld);   /* SIG_IGN would reap the workers behind our back */
    sigprocmask(SIG_BLOCK, &p.signals, &old_mask);
    for (;;) {
        refill(&p);
        if (p.cb->tick)
            p.cb->tick(p.cb->arg, p.running);
        if (p.running == 0)
            break;
        wait_event(&p);
    }
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    sigaction(SIGCHLD, &old_chld, NULL);
    free(p.w);
    free(p.done);
    return p.spawn_rc != 0 ? p.spawn_rc : p.stop_sig;
}
