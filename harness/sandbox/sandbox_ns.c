/*
 * sandbox_ns — see sandbox_ns.h.
 *
 * The view is built the way bubblewrap builds one: make every mount private,
 * mount a tmpfs on the empty root folder, bind what is allowed into it at the
 * same paths, remount those binds read-only/nosuid/nodev, then pivot_root and
 * detach the old root. Paths are never passed through a shell, so spaces and
 * non-ASCII letters need nothing special.
 */
#include "sandbox_ns.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsutil.h"

int sbns_map_self(uid_t outer_uid, gid_t outer_gid, hr_error *err)
{
    char map[64];
    snprintf(map, sizeof map, "%u %u 1\n", (unsigned)outer_uid, (unsigned)outer_uid);
    if (fs_write_existing("/proc/self/uid_map", map) != 0)
        return hr_fail(err, "cannot map the user namespace's uid: %s", strerror(errno));
    if (fs_write_existing("/proc/self/setgroups", "deny") != 0 && errno != ENOENT)
        return hr_fail(err, "cannot deny setgroups: %s", strerror(errno));
    snprintf(map, sizeof map, "%u %u 1\n", (unsigned)outer_gid, (unsigned)outer_gid);
    if (fs_write_existing("/proc/self/gid_map", map) != 0)
        return hr_fail(err, "cannot map the user namespace's gid: %s", strerror(errno));
    return 0;
}

/* mkdir -p of root + path (path absolute). */
static int make_dirs(const char *root, const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s%s", root, path) >= (int)sizeof buf)
        return -1;
    for (char *p = buf + strlen(root) + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

typedef enum { BIND_RO, BIND_RW, BIND_DEVICE } bind_kind;

/* Binds outside path at the same path under root: read-only, writable, or a
 * device node (writable, and the only kind that keeps its device meaning). */
static int bind_path(const char *root, const char *path, bind_kind kind, hr_error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return hr_fail(err, "sandbox: %s: %s", path, strerror(errno));
    char inside[PATH_MAX], parent[PATH_MAX];
    if (snprintf(inside, sizeof inside, "%s%s", root, path) >= (int)sizeof inside)
        return hr_fail(err, "sandbox: path too long: %s", path);
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        if (make_dirs(root, parent) != 0)
            return hr_fail(err, "sandbox: cannot create %s%s: %s", root, parent, strerror(errno));
    }
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        ssize_t n = readlink(path, target, sizeof target - 1);
        if (n < 0)
            return hr_fail(err, "sandbox: cannot read link %s", path);
        target[n] = '\0';
        return symlink(target, inside) == 0 || errno == EEXIST ? 0
               : hr_fail(err, "sandbox: cannot link %s: %s", inside, strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
        if (mkdir(inside, 0755) != 0 && errno != EEXIST)
            return hr_fail(err, "sandbox: cannot create %s: %s", inside, strerror(errno));
    } else {
        int fd = open(inside, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            return hr_fail(err, "sandbox: cannot create %s: %s", inside, strerror(errno));
        close(fd);
    }
    if (mount(path, inside, NULL, MS_BIND | MS_REC, NULL) != 0)
        return hr_fail(err, "sandbox: cannot bind %s: %s", path, strerror(errno));
    unsigned long flags = MS_BIND | MS_REMOUNT | MS_NOSUID | (kind == BIND_DEVICE ? 0 : MS_NODEV) |
                          (kind == BIND_RO ? MS_RDONLY : 0);
    if (mount(NULL, inside, NULL, flags, NULL) != 0)
        return hr_fail(err, "sandbox: cannot protect %s: %s", path, strerror(errno));
    return 0;
}

static int small_tmpfs(const char *root, const char *path, const char *size, hr_error *err)
{
    char inside[PATH_MAX], opts[64];
    snprintf(inside, sizeof inside, "%s%s", root, path);
    snprintf(opts, sizeof opts, "size=%s,mode=1777", size);
    if (make_dirs(root, path) != 0 ||
        mount("tmpfs", inside, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts) != 0)
        return hr_fail(err, "sandbox: cannot mount a private %s: %s", path, strerror(errno));
    return 0;
}

int sbns_enter_view(const char *root, const char *const *ro_paths, const char *rw_path,
                    const char *const *devices, bool with_proc, hr_error *err)
{
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        return hr_fail(err, "sandbox: cannot make mounts private: %s", strerror(errno));
    if (mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755") != 0)
        return hr_fail(err, "sandbox: cannot mount the new root: %s", strerror(errno));
    /* private /tmp first: the allowed paths may lie below it */
    if (small_tmpfs(root, "/tmp", "16m", err) || small_tmpfs(root, "/dev/shm", "1m", err))
        return -1;
    for (const char *const *p = ro_paths; p && *p; p++)
        if (bind_path(root, *p, BIND_RO, err) != 0)
            return -1;
    if (rw_path && bind_path(root, rw_path, BIND_RW, err) != 0)
        return -1;
    for (const char *const *d = devices; d && *d; d++)
        if (bind_path(root, *d, BIND_DEVICE, err) != 0)
            return -1;
    /* a procfs of the view's own PID namespace (never the host's, bound) */
    char proc[PATH_MAX];
    snprintf(proc, sizeof proc, "%s/proc", root);
    if (with_proc && (mkdir(proc, 0555) != 0 ||
                      mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0))
        return hr_fail(err, "sandbox: cannot mount the view's /proc: %s", strerror(errno));
    char old[PATH_MAX];
    snprintf(old, sizeof old, "%s/.old-root", root);
    if (mkdir(old, 0700) != 0 || syscall(SYS_pivot_root, root, old) != 0)
        return hr_fail(err, "sandbox: cannot pivot into the new root: %s", strerror(errno));
    if (chdir("/") != 0 || umount2("/.old-root", MNT_DETACH) != 0 || rmdir("/.old-root") != 0)
        return hr_fail(err, "sandbox: cannot detach the old root: %s", strerror(errno));
    if (mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0)
        return hr_fail(err, "sandbox: cannot make the new root read-only: %s", strerror(errno));
    return 0;
}

/* The probe's child: can it set up a view with the namespaces asked for?
 * uid and gid are the grader's, read before the clone: inside a new user
 * namespace getuid() is already the overflow uid (65534), which no map may name. */
static int probe_child(const char *root, int flags, uid_t uid, gid_t gid)
{
    hr_error err;
    if ((flags & CLONE_NEWUSER) && sbns_map_self(uid, gid, &err) != 0)
        _exit(1);
    static const char *const ro[] = {"/usr", NULL};
    static const char *const dev[] = {"/dev/null", NULL};
    if (sbns_enter_view(root, ro, NULL, dev, false, &err) != 0)
        _exit(2);
    _exit(access("/usr", R_OK) == 0 ? 0 : 3);
}

static bool try_flags(const char *root, int flags)
{
    uid_t uid = getuid();
    gid_t gid = getgid();
    pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)(flags | SIGCHLD), NULL, NULL, NULL, 0UL);
    if (pid < 0)
        return false;
    if (pid == 0)
        probe_child(root, flags, uid, gid);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int sbns_probe(const char *root_dir)
{
    const int all = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
    if (geteuid() == 0 && try_flags(root_dir, all))
        return all;
    if (try_flags(root_dir, all | CLONE_NEWUSER))
        return all | CLONE_NEWUSER;
    return 0;
}
