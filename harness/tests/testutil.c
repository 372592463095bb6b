/* testutil — see testutil.h. */
#include "testutil.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Appends what fd has to *buf. Returns 0 at EOF. */
static int drain(int fd, char **buf, size_t *len)
{
    char chunk[65536];
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0)
        return n < 0 && errno == EINTR ? 1 : 0;
    *buf = realloc(*buf, *len + (size_t)n + 1);
    cr_assert_not_null(*buf);
    memcpy(*buf + *len, chunk, (size_t)n);
    *len += (size_t)n;
    (*buf)[*len] = '\0';
    return 1;
}

tu_result tu_run(const char *const *argv)
{
    int out[2], err[2];
    /* close-on-exec: only the child's 1 and 2 (dup2 clears the flag) may hold
     * them, or a daemon it leaves behind (ensure-dockerd's dockerd) keeps the
     * pipes open and this waits for ever */
    cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
    cr_assert_eq(pipe2(err, O_CLOEXEC), 0);
    double t0 = now_s();
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(out[0]);
        close(err[0]);
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    tu_result r = {0};
    r.out = calloc(1, 1);
    r.err = calloc(1, 1);
    size_t lo = 0, le = 0;
    struct pollfd p[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++)
            if (p[i].fd >= 0 && (p[i].revents & (POLLIN | POLLHUP))) {
                if (!drain(p[i].fd, i ? &r.err : &r.out, i ? &le : &lo)) {
                    close(p[i].fd);
                    p[i].fd = -1;
                    open_fds--;
                }
            }
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.seconds = now_s() - t0;
    return r;
}

void tu_result_free(tu_result *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

/* The folders this test process made, removed when it exits. A test runs in
 * its own process, so this list is that one test's (static state, on purpose:
 * an atexit handler has no other way to find them). TU_KEEP=1 keeps them for
 * a look after a failure. */
static char *made[256];
static size_t nmade;

static void remove_made(void)
{
    const char *keep = getenv("TU_KEEP");
    for (size_t i = 0; i < nmade; i++) {
        hr_error ignored;
        if (!keep || !*keep)
            fs_remove_tree(made[i], &ignored);
        free(made[i]);
    }
    nmade = 0;
}

char *tu_tmpdir(const char *prefix)
{
    const char *base = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char *path;
    cr_assert_gt(asprintf(&path, "%s/gc-test-%s-XXXXXX", base, prefix), 0);
    cr_assert_not_null(mkdtemp(path), "mkdtemp: %s", strerror(errno));
    chmod(path, 0755);
    if (nmade == 0)
        atexit(remove_made);
    if (nmade < sizeof made / sizeof *made)
        made[nmade++] = strdup(path);
    return path;
}

char *tu_write(const char *dir, const char *name, const char *text, size_t len)
{
    mkdir(dir, 0755);
    char *path;
    cr_assert_gt(asprintf(&path, "%s/%s", dir, name), 0);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(text, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
    return path;
}

char *tu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 65536 > cap)
            buf = realloc(buf, cap = cap * 2 + 65536 + 1);
        size_t got = fread(buf + n, 1, 65536, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* Replaces every occurrence of find in *text; returns how many. */
static int replace_all(char **text, const char *find, const char *with)
{
    int count = 0;
    size_t fl = strlen(find), wl = strlen(with);
    char *at = *text;
    while ((at = strstr(at, find)) != NULL) {
        size_t off = (size_t)(at - *text), len = strlen(*text);
        char *next = malloc(len - fl + wl + 1);
        memcpy(next, *text, off);
        memcpy(next + off, with, wl);
        memcpy(next + off + wl, at + fl, len - off - fl + 1);
        free(*text);
        *text = next;
        at = *text + off + wl;
        count++;
    }
    return count;
}

char *tu_submission(const char *label, const char *text)
{
    char *dir = tu_tmpdir(label);
    free(tu_write(dir, "gradient_check.c", text, strlen(text)));
    return dir;
}

char *tu_submission_from_reference(const char *label, const char *const (*edits)[2])
{
    char *text = tu_read("reference/gradient_check/gradient_check.c", NULL);
    cr_assert_not_null(text, "reference/gradient_check/gradient_check.c is missing");
    for (size_t i = 0; edits && edits[i][0]; i++)
        cr_assert_gt(replace_all(&text, edits[i][0], edits[i][1]), 0,
                     "%s: the edit \"%s\" does not apply to the reference", label, edits[i][0]);
    char *dir = tu_submission(label, text);
    free(text);
    return dir;
}

char *tu_submission_named(const char *label, const char *file, const char *text)
{
    char *dir = tu_tmpdir(label);
    free(tu_write(dir, file, text, strlen(text)));
    return dir;
}

cJSON *tu_grade(const char *submission, const char *const *extra)
{
    return tu_grade_assignment(TU_ASSIGNMENT, submission, extra);
}

cJSON *tu_grade_assignment(const char *assignment, const char *submission, const char *const *extra)
{
    const char *argv[32] = {TU_GRADER, "--assignment", assignment, "--format", "json"};
    size_t n = 5;
    for (size_t i = 0; extra && extra[i] && n < 30; i++)
        argv[n++] = extra[i];
    argv[n++] = submission;
    argv[n] = NULL;
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "grader exit %d on %s: %s", r.status, submission, r.err);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "the report is not JSON: %.300s", r.out);
    tu_result_free(&r);
    return doc;
}

double tu_score(const cJSON *report, const char *exercise)
{
    if (!*exercise)
        return cJSON_GetObjectItemCaseSensitive(report, "score")->valuedouble;
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(report, "exercises"))
        if (!strcmp(cJSON_GetObjectItemCaseSensitive(e, "id")->valuestring, exercise))
            return cJSON_GetObjectItemCaseSensitive(e, "score")->valuedouble;
    cr_assert_fail("no exercise %s in the report", exercise);
    return -1;
}

const cJSON *tu_test(const cJSON *report, const char *id)
{
    const cJSON *e, *t;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(report, "exercises"))
        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(e, "tests"))
            if (!strcmp(cJSON_GetObjectItemCaseSensitive(t, "id")->valuestring, id))
                return t;
    cr_assert_fail("no test %s in the report", id);
    return NULL;
}

const char *tu_message(const cJSON *report, const char *id)
{
    return cJSON_GetObjectItemCaseSensitive(tu_test(report, id), "message")->valuestring;
}
