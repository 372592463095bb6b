/*
 * sandbox_bench — what one sandboxed run costs, per isolation level (make bench-sandbox).
 *
 *   sandbox-bench [RUNS]
 *
 * Runs /bin/true RUNS times (default 200) with the runner's profile, limits and
 * view, each as a session of its own (sb_run, how every test ran before
 * sessions) and all in one session (how a submission's tests run now), and
 * prints wall and CPU milliseconds per run. CPU time (this process and its
 * children) is the steadier figure on a busy machine. Not a test: it asserts
 * nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sandbox.h"

static double wall(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu(void)
{
    struct rusage self, kids;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
    return (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec + kids.ru_utime.tv_sec + kids.ru_stime.tv_sec) +
           (double)(self.ru_utime.tv_usec + self.ru_stime.tv_usec + kids.ru_utime.tv_usec + kids.ru_stime.tv_usec) / 1e6;
}

static int measure(const char *name, const sb_options *o, bool session, int runs)
{
    hr_error err = {{0}};
    sb_box *box = sb_open(o, &err);
    if (!box) {
        fprintf(stderr, "%s: %s\n", name, err.msg);
        return 1;
    }
    const char *const argv[] = {"/bin/true", NULL};
    const char *const ro[] = {"/usr", "/lib", "/lib64", "/etc/ld.so.cache", "/bin", NULL};
    sb_spec spec = {.argv = argv, .ro_paths = ro, .result_channel = true, .wall_s = 2, .cpu_s = 1,
                    .memory_mb = 256, .output_kb = 64, .max_processes = 1, .profile = SB_PROFILE_RUN};
    double w0 = wall(), c0 = cpu();
    sb_session *s = session ? sb_session_open(box, spec.profile, ro, NULL, &err) : NULL;
    int rc = session && !s;
    for (int i = 0; rc == 0 && i < runs; i++) {
        sb_result res;
        rc = session ? sb_session_run(s, &spec, &res, &err) : sb_run(box, &spec, &res, &err);
        if (rc == 0 && (res.end != SB_EXITED || res.exit_code != 0)) {
            snprintf(err.msg, sizeof err.msg, "/bin/true did not succeed");
            rc = 1;
        }
        sb_result_free(&res);
    }
    sb_session_close(s);
    if (rc != 0)
        fprintf(stderr, "%s: %s\n", name, err.msg);
    else
        printf("%-34s %-8s %6.2f ms wall %6.2f ms cpu per run   [%s]\n", name, session ? "session" : "one-shot",
               (wall() - w0) / runs * 1e3, (cpu() - c0) / runs * 1e3, sb_level_name(box));
    sb_close(box);
    return rc;
}

int main(int argc, char **argv)
{
    int runs = argc > 1 ? atoi(argv[1]) : 200;
    if (runs < 1)
        runs = 1;
    struct {
        const char *name;
        sb_options o;
    } levels[] = {
        {"full isolation", {0}},
        {"no namespaces", {.no_namespaces = true}},
        {"no namespaces, no cgroup", {.no_namespaces = true, .no_cgroup = true}},
        {"rlimits + seccomp only", {.no_namespaces = true, .no_cgroup = true, .no_uid = true, .no_landlock = true}},
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
        for (int session = 0; session < 2; session++)
            rc |= measure(levels[i].name, &levels[i].o, session, runs);
    return rc;
}
