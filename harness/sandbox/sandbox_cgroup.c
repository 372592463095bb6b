/* sandbox_cgroup — see sandbox_cgroup.h. */
#include "sandbox_cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"

struct sbcg {
    char pids[PATH_MAX];      /* folder holding pids.max and cgroup.procs */
    char memory[PATH_MAX];    /* folder holding the memory limit ("" if none) */
    int v2;
    long pids_max;            /* the limits last written (a run's limits are */
    long long memory_bytes;   /* mostly its predecessor's: no write then) */
    pid_t spare;              /* never killed (sbcg_spare) */
};

static int write_text(const char *dir, const char *file, const char *text)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return fs_write_existing(path, text);
}

/* Our own group in hierarchy `controller` ("" for v2), from /proc/self/cgroup. */
static int own_path(const char *controller, char *out, size_t len)
{
    FILE *f = fopen("/proc/self/cgroup", "re");
    if (!f)
        return -1;
    char line[1024];
    int found = -1;
    while (fgets(line, sizeof line, f)) {
        char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
        if (!b)
            continue;
        *b = '\0';
        b[strcspn(b + 1, "\n") + 1] = '\0';
        bool match = *controller ? !strcmp(a + 1, controller) : (a[1] == '\0' && line[0] == '0');
        if (match) {
            snprintf(out, len, "%s", b + 1);
            found = 0;
        }
    }
    fclose(f);
    return found;
}

static int make_group(const char *hierarchy, const char *controller, const char *name,
                      char *out, size_t len)
{
    char own[PATH_MAX];
    if (own_path(controller, own, sizeof own) != 0)
        return -1;
    snprintf(out, len, "%s%s/%s", hierarchy, strcmp(own, "/") ? own : "", name);
    if (mkdir(out, 0700) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

sbcg *sbcg_open(const char *name)
{
    sbcg *cg = calloc(1, sizeof *cg);
    if (!cg)
        return NULL;
    struct stat st;
    if (stat("/sys/fs/cgroup/pids/cgroup.procs", &st) == 0) {
        if (make_group("/sys/fs/cgroup/pids", "pids", name, cg->pids, sizeof cg->pids) == 0 &&
            make_group("/sys/fs/cgroup/memory", "memory", name, cg->memory, sizeof cg->memory) != 0)
            cg->memory[0] = '\0';
        if (cg->pids[0] && access(cg->pids, W_OK) == 0)
            return cg;
    } else if (stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0) {
        cg->v2 = 1;
        char own[PATH_MAX], parent[PATH_MAX + 32];
        if (own_path("", own, sizeof own) == 0) {
            snprintf(parent, sizeof parent, "/sys/fs/cgroup%s", strcmp(own, "/") ? own : "");
            write_text(parent, "cgroup.subtree_control", "+pids +memory");
            if (make_group("/sys/fs/cgroup", "", name, cg->pids, sizeof cg->pids) == 0) {
                char probe[PATH_MAX + 16];
                snprintf(probe, sizeof probe, "%s/pids.max", cg->pids);
                if (access(probe, W_OK) == 0) {
                    snprintf(cg->memory, sizeof cg->memory, "%s", cg->pids);
                    return cg;
                }
                rmdir(cg->pids);
            }
        }
    }
    if (cg->pids[0])
        rmdir(cg->pids);
    if (cg->memory[0])
        rmdir(cg->memory);
    free(cg);
    return NULL;
}

long sbcg_current(const sbcg *cg)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/pids.current", cg->pids);
    FILE *f = fopen(path, "re");
    long n = -1;
    if (f && fscanf(f, "%ld", &n) != 1)
        n = -1;
    if (f)
        fclose(f);
    return n;
}

int sbcg_limit(sbcg *cg, long pids_max, long long memory_bytes)
{
    if (pids_max == cg->pids_max && memory_bytes == cg->memory_bytes)
        return 0;
    char text[32];
    snprintf(text, sizeof text, "%ld", pids_max);
    int rc = write_text(cg->pids, "pids.max", text);
    cg->pids_max = rc == 0 ? pids_max : 0;
    cg->memory_bytes = memory_bytes;
    if (cg->memory[0]) {
        snprintf(text, sizeof text, "%lld", memory_bytes);
        write_text(cg->memory, cg->v2 ? "memory.max" : "memory.limit_in_bytes", text);
    }
    return rc;
}

int sbcg_attach(sbcg *cg, pid_t pid)
{
    char text[32];
    snprintf(text, sizeof text, "%d", (int)pid);
    int rc = write_text(cg->pids, "cgroup.procs", text);
    if (cg->memory[0] && !cg->v2)
        write_text(cg->memory, "cgroup.procs", text);
    return rc;
}

void sbcg_spare(sbcg *cg, pid_t pid)
{
    cg->spare = pid;
}

/* Kills every pid listed but keep and spare; returns how many others were listed. */
static int kill_listed(const char *dir, pid_t keep, pid_t spare)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/cgroup.procs", dir);
    FILE *f = fopen(path, "re");
    if (!f)
        return 0;
    int n = 0, pid;
    while (fscanf(f, "%d", &pid) == 1) {
        if (pid == keep || (spare > 0 && pid == spare))
            continue;
        kill(pid, SIGKILL);
        n++;
    }
    fclose(f);
    return n;
}

int sbcg_kill_all(sbcg *cg, pid_t keep)
{
    int first = -1;
    for (int round = 0; round < 200; round++) {
        int n = kill_listed(cg->pids, keep, cg->spare);
        if (cg->memory[0] && strcmp(cg->memory, cg->pids))
            n += kill_listed(cg->memory, keep, cg->spare);
        if (first < 0)
            first = n;
        if (n == 0)
            break;
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    return first;
}

void sbcg_close(sbcg *cg)
{
    if (!cg)
        return;
    cg->spare = 0;
    sbcg_kill_all(cg, 0);
    rmdir(cg->pids);
    if (cg->memory[0] && strcmp(cg->memory, cg->pids))
        rmdir(cg->memory);
    free(cg);
}
