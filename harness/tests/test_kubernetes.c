/*
 * The Kubernetes way of grading a class (issue 13, platforms/kubernetes/),
 * as far as it can be checked without a cluster:
 *
 * - kubectl reads and maps every manifest in a client-side dry run
 *   (`kubectl apply --dry-run=client`; against helpers/kube-discovery, which
 *   answers only the API discovery kubectl needs first, since there is no
 *   cluster to ask, and refuses anything else), and what it prints agrees
 *   with itself: an Indexed Job of N completions and N for the shards
 *   everywhere, one image, one claim of the one ReadWriteMany volume;
 * - the exact commands of the two Jobs, run here with this build's grader in
 *   place of the image's and JOB_COMPLETION_INDEX 0..N-1, grade the class and
 *   merge into the one-machine gradebook and class page, byte for byte;
 * - the same with N Docker containers of the image itself (built by
 *   platforms/kubernetes/build-image from this project), as the pods would
 *   run it: uid 10001, no privileges, the class on a shared volume.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "jsonio.h"
#include "testutil.h"

#define KUBECTL "/usr/bin/kubectl"
#define DOCKER_IMAGE "gcgrade/batch-grader:test"

static pid_t discovery;    /* the stand-in's pid while it runs */

static char *path_of(const char *dir, const char *name)
{
    char *p;
    cr_assert_gt(asprintf(&p, "%s/%s", dir, name), 0);
    return p;
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

static void stop_discovery(void)
{
    if (discovery > 0) {
        kill(discovery, SIGTERM);
        waitpid(discovery, NULL, 0);
        discovery = 0;
    }
}

/* Starts the discovery stand-in; returns its URL. */
static char *start_discovery(const char *dir)
{
    char *portfile = path_of(dir, "port");
    discovery = fork();
    cr_assert_geq(discovery, 0);
    if (discovery == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        close_range(3, ~0U, 0);
        execl("harness/tests/helpers/kube-discovery", "kube-discovery", portfile, (char *)NULL);
        _exit(127);
    }
    char *port = NULL;
    for (int i = 0; i < 600 && !(port = tu_read(portfile, NULL)); i++)
        sleep_s(0.05);
    cr_assert_not_null(port, "the discovery stand-in did not start");
    char *url;
    cr_assert_gt(asprintf(&url, "http://127.0.0.1:%d", atoi(port)), 0);
    free(port);
    free(portfile);
    return url;
}

/* kubectl's client-side dry run of one manifest, as JSON. */
static cJSON *dry_run(const char *url, const char *cache, const char *manifest)
{
    char server[128], cache_dir[512];
    snprintf(server, sizeof server, "--server=%s", url);
    snprintf(cache_dir, sizeof cache_dir, "--cache-dir=%s", cache);
    const char *argv[] = {KUBECTL, server, cache_dir, "--kubeconfig=/dev/null", "apply", "--dry-run=client",
                          "--validate=false", "-f", manifest, "-o", "json", NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "kubectl apply --dry-run=client -f %s: exit %d: %s", manifest, r.status, r.err);
    hr_error err;
    cJSON *doc = jsonio_parse(r.out, strlen(r.out), manifest, &err);
    cr_assert_not_null(doc, "%s", err.msg);
    tu_result_free(&r);
    return doc;
}

static const cJSON *at(const cJSON *o, const char *path)
{
    char *copy = strdup(path), *save = NULL;
    for (char *key = strtok_r(copy, ".", &save); key && o; key = strtok_r(NULL, ".", &save))
        o = (*key >= '0' && *key <= '9') ? cJSON_GetArrayItem(o, atoi(key)) : cJSON_GetObjectItemCaseSensitive(o, key);
    free(copy);
    cr_assert_not_null(o, "no %s", path);
    return o;
}

static const char *text_at(const cJSON *o, const char *path)
{
    const cJSON *v = at(o, path);
    cr_assert(cJSON_IsString(v), "%s is not a string", path);
    return v->valuestring;
}

static const char *env_of(const cJSON *container, const char *name)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(container, "env"))
        if (!strcmp(text_at(e, "name"), name))
            return text_at(e, "value");
    cr_assert_fail("the container has no %s", name);
    return NULL;
}

/* The manifests as kubectl read them. */
typedef struct {
    cJSON *volume, *shards, *merge;
    const cJSON *shard_c, *merge_c;   /* their containers */
    int n;                            /* the number of shards */
    const char *shard_cmd, *merge_cmd;
} manifests;

static void read_manifests(manifests *m, const char *tmp)
{
    char *url = start_discovery(tmp), *cache = path_of(tmp, "kube-cache");
    m->volume = dry_run(url, cache, "platforms/kubernetes/class-volume.yaml");
    m->shards = dry_run(url, cache, "platforms/kubernetes/shards-job.yaml");
    m->merge = dry_run(url, cache, "platforms/kubernetes/merge-job.yaml");
    stop_discovery();
    free(url);
    free(cache);

    cr_expect_str_eq(text_at(m->volume, "kind"), "PersistentVolumeClaim");
    cr_expect_str_eq(text_at(m->volume, "spec.accessModes.0"), "ReadWriteMany", "every shard mounts it at once");
    const char *claim = text_at(m->volume, "metadata.name");
    for (int j = 0; j < 2; j++) {
        cJSON *job = j ? m->merge : m->shards;
        cr_expect_str_eq(text_at(job, "apiVersion"), "batch/v1");
        cr_expect_str_eq(text_at(job, "kind"), "Job");
        cr_expect_str_eq(text_at(job, "spec.template.spec.volumes.0.persistentVolumeClaim.claimName"), claim);
        cr_expect_str_eq(text_at(job, "spec.template.spec.containers.0.volumeMounts.0.mountPath"), "/class");
        cr_expect_eq(at(job, "spec.template.spec.securityContext.runAsUser")->valueint, 10001);
        cr_expect(cJSON_IsFalse(at(job, "spec.template.spec.containers.0.securityContext.allowPrivilegeEscalation")));
    }
    m->shard_c = at(m->shards, "spec.template.spec.containers.0");
    m->merge_c = at(m->merge, "spec.template.spec.containers.0");
    cr_expect_str_eq(text_at(m->shards, "spec.completionMode"), "Indexed");
    m->n = at(m->shards, "spec.completions")->valueint;
    cr_assert_gt(m->n, 1);
    cr_expect_eq(at(m->shards, "spec.parallelism")->valueint, m->n);
    cr_expect_eq(atoi(env_of(m->shard_c, "GCGRADE_SHARDS")), m->n, "the shards' N differs from completions");
    cr_expect_eq(atoi(env_of(m->merge_c, "GCGRADE_SHARDS")), m->n, "the merge's N differs from the shards'");
    cr_expect_str_eq(text_at(m->shard_c, "image"), text_at(m->merge_c, "image"));
    cr_expect_str_eq(text_at(m->shards, "spec.template.spec.restartPolicy"), "OnFailure", "a restarted pod resumes");
    for (int j = 0; j < 2; j++) {
        const cJSON *c = j ? m->merge_c : m->shard_c;
        cr_assert_str_eq(text_at(c, "command.0"), "/bin/sh");
        cr_assert_str_eq(text_at(c, "command.1"), "-c");
    }
    m->shard_cmd = text_at(m->shard_c, "args.0");
    m->merge_cmd = text_at(m->merge_c, "args.0");
    cr_expect_not_null(strstr(m->shard_cmd, "JOB_COMPLETION_INDEX"), "%s", m->shard_cmd);
}

static void free_manifests(manifests *m)
{
    cJSON_Delete(m->volume);
    cJSON_Delete(m->shards);
    cJSON_Delete(m->merge);
}

/* text with every from replaced by to (a new string). */
static char *replace(const char *text, const char *from, const char *to)
{
    size_t n = 0, lf = strlen(from), lt = strlen(to);
    for (const char *p = strstr(text, from); p; p = strstr(p + lf, from))
        n++;
    char *out = malloc(strlen(text) + n * lt + 1), *o = out;
    for (const char *p = text;;) {
        const char *q = strstr(p, from);
        if (!q) {
            strcpy(o, p);
            break;
        }
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        memcpy(o, to, lt);
        o += lt;
        p = q + lf;
    }
    return out;
}

/* ---- a class, and its one-machine grading ------------------------------------------ */

static const char *const examples[] = {
    "s01-correct-own-style", "s02-untouched-template", "s03-forward-theta-plus-x", "s04-gradapprox-over-epsilon",
    "s05-compile-error", "s07-theta-plus-never-reset", "s08-recomputes-the-gradients", "s09-message-with-percent-f",
};
#define NEXAMPLES (sizeof examples / sizeof *examples)

static char *make_class(size_t n)
{
    char *dir = tu_tmpdir("k8s-class");
    for (size_t i = 0; i < n; i++) {
        char *from, *id, *edited;
        cr_assert_gt(asprintf(&from, "examples/gradient_check/%s/gradient_check.c", examples[i % NEXAMPLES]), 0);
        cr_assert_gt(asprintf(&id, "%s/k%02zu-%s", dir, i, examples[i % NEXAMPLES] + 4), 0);
        char *text = tu_read(from, NULL);
        cr_assert_not_null(text);
        cr_assert_gt(asprintf(&edited, "// pod test %zu\n%s", i, text), 0);
        free(tu_write(id, "gradient_check.c", edited, strlen(edited)));
        free(edited);
        free(text);
        free(from);
        free(id);
    }
    return dir;
}

static void grade_whole(const char *class_dir, const char *out)
{
    char *csv = path_of(out, "grades.csv"), *reports = path_of(out, "reports"), *page = path_of(out, "class-report.html");
    const char *argv[] = {TU_GRADER, "--assignment", TU_ASSIGNMENT, "--batch", class_dir, "--csv", csv, "--reports",
                          reports, "--class-report", page, "--no-progress", NULL};
    tu_result r = tu_run(argv);
    cr_assert_eq(r.status, 0, "the one-machine batch: exit %d: %s", r.status, r.err);
    tu_result_free(&r);
    free(csv);
    free(reports);
    free(page);
}

static void expect_same_outputs(const char *whole, const char *class_dir)
{
    static const char *const files[] = {"grades.csv", "class-report.html"};
    for (int i = 0; i < 2; i++) {
        char *a = path_of(whole, files[i]), *b = path_of(class_dir, files[i]);
        size_t la = 0, lb = 0;
        char *ta = tu_read(a, &la), *tb = tu_read(b, &lb);
        cr_assert(ta && tb, "missing %s or %s", a, b);
        cr_expect(la == lb && !memcmp(ta, tb, la), "%s and %s differ", a, b);
        free(ta);
        free(tb);
        free(a);
        free(b);
    }
}

/* Runs sh -c cmd with the pod's variables; the exit status. */
static int run_pod_command(const char *cmd, const cJSON *container, int index, char **err_out)
{
    char idx[16];
    snprintf(idx, sizeof idx, "%d", index);
    setenv("JOB_COMPLETION_INDEX", idx, 1);
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(container, "env"))
        setenv(text_at(e, "name"), text_at(e, "value"), 1);
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    tu_result r = tu_run(argv);
    *err_out = strdup(r.err);
    int status = r.status;
    tu_result_free(&r);
    return status;
}

Test(kubernetes, manifests_dry_run_and_their_commands_grade_the_class, .timeout = 600, .fini = stop_discovery)
{
    cr_assert_eq(access(KUBECTL, X_OK), 0, "kubectl is missing: harness/deps.sh --test installs kubernetes-client");
    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
    char *tmp = tu_tmpdir("k8s");
    manifests m;
    read_manifests(&m, tmp);

    char *class_dir = make_class(10), *whole = tu_tmpdir("k8s-whole");
    grade_whole(class_dir, whole);
    char *grader = realpath(TU_GRADER, NULL), *assignment = realpath(TU_ASSIGNMENT, NULL);
    cr_assert(grader && assignment);
    for (int j = 0; j < 2; j++) {
        char *a = replace(j ? m.merge_cmd : m.shard_cmd, "/grader/grader", grader);
        char *b = replace(a, "/grader/gradient_check", assignment);
        char *cmd = replace(b, "/class", class_dir);
        for (int i = 0; i < (j ? 1 : m.n); i++) {
            char *said;
            int status = run_pod_command(cmd, j ? m.merge_c : m.shard_c, i, &said);
            cr_assert_eq(status, 0, "%s %d: exit %d: %s\n%s", j ? "the merge" : "shard index", i, status, cmd, said);
            free(said);
        }
        free(a);
        free(b);
        free(cmd);
    }
    expect_same_outputs(whole, class_dir);
    free(grader);
    free(assignment);
    free(whole);
    free(class_dir);
    free_manifests(&m);
    free(tmp);
}

/* ---- N Docker containers of the image -------------------------------------------- */

static pid_t docker_run(const char *class_dir, const cJSON *container, int index, const char *cmd, const char *log)
{
    const char *argv[40];
    size_t n = 0;
    char volume[600], idx[48];
    char *envs[8] = {0};
    snprintf(volume, sizeof volume, "%s:/class", class_dir);
    snprintf(idx, sizeof idx, "JOB_COMPLETION_INDEX=%d", index);
    argv[n++] = "/usr/bin/env";
    argv[n++] = "docker";
    argv[n++] = "run";
    argv[n++] = "--rm";
    argv[n++] = "--user=10001:10001";
    argv[n++] = "--cap-drop=ALL";
    argv[n++] = "--security-opt=no-new-privileges";
    argv[n++] = "--tmpfs=/tmp:rw,exec,mode=1777";   /* the pod's emptyDir */
    argv[n++] = "-v";
    argv[n++] = volume;
    argv[n++] = "-e";
    argv[n++] = idx;
    argv[n++] = "-e";
    argv[n++] = "SOURCE_DATE_EPOCH";   /* the test's, for the class page's time */
    size_t k = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(container, "env")) {
        cr_assert_lt(k, 7);
        cr_assert_gt(asprintf(&envs[k], "%s=%s", text_at(e, "name"), text_at(e, "value")), 0);
        argv[n++] = "-e";
        argv[n++] = envs[k++];
    }
    argv[n++] = "--entrypoint=/bin/sh";
    argv[n++] = DOCKER_IMAGE;
    argv[n++] = "-c";
    argv[n++] = cmd;
    argv[n] = NULL;
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY), out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(in, 0);
        dup2(out, 1);
        dup2(out, 2);
        close_range(3, ~0U, 0);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    for (size_t i = 0; i < k; i++)
        free(envs[i]);
    return pid;
}

static int wait_for(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Test(kubernetes, shards_in_docker_containers_of_the_image_merge_to_the_class, .timeout = 1200, .fini = stop_discovery)
{
    const char *info[] = {"/usr/bin/env", "docker", "info", "--format", "{{.ServerVersion}}", NULL};
    tu_result r = tu_run(info);
    cr_assert_eq(r.status, 0, "this test runs the image in Docker, and no Docker daemon answers: %s", r.err);
    tu_result_free(&r);
    const char *build[] = {"platforms/kubernetes/build-image", DOCKER_IMAGE, NULL};
    r = tu_run(build);
    cr_assert_eq(r.status, 0, "platforms/kubernetes/build-image: exit %d: %s", r.status, r.err);
    tu_result_free(&r);

    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);
    char *tmp = tu_tmpdir("k8s-docker");
    manifests m;
    read_manifests(&m, tmp);
    char *class_dir = make_class(12), *whole = tu_tmpdir("k8s-docker-whole");
    grade_whole(class_dir, whole);
    /* the volume belongs to the pods' uid (fsGroup does that in a cluster) */
    char *chown_cmd;
    cr_assert_gt(asprintf(&chown_cmd, "chown -R 10001:10001 %s", class_dir), 0);
    cr_assert_eq(system(chown_cmd), 0);
    free(chown_cmd);

    pid_t pods[64];
    cr_assert_leq(m.n, 64);
    for (int i = 0; i < m.n; i++) {   /* every shard at once, as parallelism: N */
        char name[32];
        snprintf(name, sizeof name, "shard-%d.log", i);
        char *log = path_of(tmp, name);
        pods[i] = docker_run(class_dir, m.shard_c, i, m.shard_cmd, log);
        free(log);
    }
    for (int i = 0; i < m.n; i++) {
        int status = wait_for(pods[i]);
        char name[32];
        snprintf(name, sizeof name, "shard-%d.log", i);
        char *log = path_of(tmp, name), *said = tu_read(log, NULL);
        cr_assert_eq(status, 0, "the container of shard index %d: exit %d: %s", i, status, said);
        free(said);
        free(log);
    }
    char *log = path_of(tmp, "merge.log");
    int status = wait_for(docker_run(class_dir, m.merge_c, 0, m.merge_cmd, log));
    char *said = tu_read(log, NULL);
    cr_assert_eq(status, 0, "the merge's container: exit %d: %s", status, said);
    expect_same_outputs(whole, class_dir);
    free(said);
    free(log);
    free(whole);
    free(class_dir);
    free_manifests(&m);
    free(tmp);
}
