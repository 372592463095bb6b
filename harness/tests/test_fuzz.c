/*
 * fuzz — the parsers of untrusted bytes against their fuzz corpus (issue 10,
 * class 3). Every file kept in harness/tests/fuzz/corpus/TARGET (the seeds,
 * and every crash or hang `make fuzz` ever found) is replayed through its
 * target in a child process of its own, so that a crash names its file; then
 * a short bounded afl-fuzz run of each target (3 s) finds nothing. Without
 * afl++ (not this machine: the Makefile builds the fuzz program wherever
 * afl-cc is installed) the run is reported as missing and the replay alone
 * holds.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsutil.h"
#include "fuzz/fuzz_targets.h"
#include "testutil.h"

#define CORPUS "harness/tests/fuzz/corpus"
#define FUZZ_PROGRAM TU_BUILD "/fuzz/fuzz"

/* Runs target on path in a child; its wait status. */
static int replay(const char *target, const char *path)
{
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        alarm(20);   /* a hang ends as SIGALRM */
        _exit(fuzz_run(target, path) == 0 ? 0 : 3);
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    return status;
}

Test(fuzz, every_corpus_file_replays_through_its_parser, .timeout = 300)
{
    size_t total = 0;
    for (const char *const *t = FUZZ_TARGETS; *t; t++) {
        char *dir = fs_join(CORPUS, *t);
        DIR *d = opendir(dir);
        cr_assert_not_null(d, "no corpus for %s in %s", *t, dir);
        size_t n = 0;
        for (struct dirent *e; (e = readdir(d)) != NULL;) {
            if (e->d_name[0] == '.')
                continue;
            char *path = fs_join(dir, e->d_name);
            int status = replay(*t, path);
            cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s on %s: %s %d", *t, path,
                      WIFSIGNALED(status) ? "signal" : "exit",
                      WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
            free(path);
            n++;
        }
        closedir(d);
        cr_expect_gt(n, 0, "the corpus of %s is empty", *t);
        total += n;
        free(dir);
    }
    cr_log_info("replayed %zu corpus files", total);
}

/* The seeds alone would be a weak replay: the parsers also get every
 * truncation of each seed (the cut points that break a parser most often). */
Test(fuzz, every_prefix_of_every_seed, .timeout = 300)
{
    char *tmp = tu_tmpdir("fuzz-prefix");
    for (const char *const *t = FUZZ_TARGETS; *t; t++) {
        char *dir = fs_join(CORPUS, *t);
        DIR *d = opendir(dir);
        cr_assert_not_null(d);
        for (struct dirent *e; (e = readdir(d)) != NULL;) {
            if (e->d_name[0] == '.')
                continue;
            char *path = fs_join(dir, e->d_name);
            size_t len;
            char *text = tu_read(path, &len);
            cr_assert_not_null(text);
            /* every prefix of short files, about 64 of a long one */
            size_t step = len / 64 + 1;
            fflush(NULL);
            pid_t pid = fork();
            if (pid == 0) {
                alarm(60);
                for (size_t n = 0; n <= len; n += step) {
                    char *cut = tu_write(tmp, "cut", text, n);
                    if (fuzz_run(*t, cut) != 0)
                        _exit(3);
                    free(cut);
                }
                _exit(0);
            }
            int status;
            cr_assert_eq(waitpid(pid, &status, 0), pid);
            cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s on prefixes of %s: status %d", *t, path,
                      status);
            free(text);
            free(path);
        }
        closedir(d);
        free(dir);
    }
    hr_error err;
    fs_remove_tree(tmp, &err);
    free(tmp);
}

Test(fuzz, a_short_bounded_run_of_each_target_finds_nothing, .timeout = 300)
{
    if (access("/usr/bin/afl-fuzz", X_OK) != 0 || access(FUZZ_PROGRAM, X_OK) != 0) {
        cr_log_warn("afl++ is not installed (harness/deps.sh --test): the corpus replay alone ran");
        return;
    }
    char *out = tu_tmpdir("fuzz-out"), *corpus = tu_tmpdir("fuzz-corpus");
    /* a copy of the corpus: what a short run finds is reported, not kept (make fuzz keeps it) */
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp -r %s/. %s/", CORPUS, corpus);
    cr_assert_eq(system(cmd), 0);
    const char *argv[] = {"harness/tests/fuzz/run.sh", FUZZ_PROGRAM, corpus, out, "3", NULL};
    tu_result r = tu_run(argv);
    cr_expect_eq(r.status, 0, "the short fuzz run found something or did not run:\n%s\n%s", r.out, r.err);
    for (const char *const *t = FUZZ_TARGETS; *t; t++) {
        char line[64];
        snprintf(line, sizeof line, "fuzz %s: ", *t);
        cr_expect(strstr(r.out, line) != NULL, "%s was not fuzzed: %s", *t, r.out);
    }
    cr_log_info("%s", r.out);
    tu_result_free(&r);
    hr_error err;
    fs_remove_tree(out, &err);
    fs_remove_tree(corpus, &err);
    free(out);
    free(corpus);
}
