/* fsutil — see fsutil.h. */
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

char *fs_slurp(const char *path, size_t max, size_t *len, hr_error *err)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        hr_fail(err, "cannot open %s: %s", path,
                errno == ELOOP ? "it is a symbolic link" : strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        hr_fail(err, "%s is not a regular file", path);
        return NULL;
    }
    if ((size_t)st.st_size > max) {
        close(fd);
        hr_fail(err, "%s is %lld bytes, more than the limit of %zu bytes", path,
                (long long)st.st_size, max);
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (buf) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size + 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            hr_fail(err, "cannot read %s: %s", path, strerror(errno));
            free(buf);
            buf = NULL;
            break;
        }
        if (n == 0)
            break;
        got += (size_t)n;
        if (got > (size_t)st.st_size) {    /* grew while we read */
            hr_fail(err, "%s changed while it was being read", path);
            free(buf);
            buf = NULL;
            break;
        }
    }
    close(fd);
    if (!buf) {
        if (!err || !err->msg[0])
            hr_fail(err, "out of memory reading %s", path);
        return NULL;
    }
    buf[got] = '\0';
    if (len)
        *len = got;
    return buf;
}

int fs_write_existing(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = strlen(text);
    ssize_t n = write(fd, text, len);
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)len ? 0 : -1;
}

int fs_write_atomic(const char *path, const void *data, size_t len, hr_error *err)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp)
        return hr_fail(err, "out of memory");
    snprintf(tmp, n, "%s.tmpXXXXXX", path);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        hr_fail(err, "cannot create a file beside %s: %s", path, strerror(errno));
        free(tmp);
        return -1;
    }
    const char *p = data;
    size_t left = len;
    int rc = 0;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = hr_fail(err, "cannot write %s: %s", path, strerror(errno));
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (rc == 0 && fchmod(fd, 0644) != 0)
        rc = hr_fail(err, "cannot set the mode of %s: %s", path, strerror(errno));
    if (rc == 0 && fsync(fd) != 0)
        rc = hr_fail(err, "cannot sync %s: %s", path, strerror(errno));
    close(fd);
    if (rc == 0 && rename(tmp, path) != 0)
        rc = hr_fail(err, "cannot move %s into place: %s", path, strerror(errno));
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    return rc;
}

int fs_mkdirs(const char *path, unsigned mode, hr_error *err)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return hr_fail(err, "path too long: %s", path);
    for (char *p = buf + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, mode) != 0 && errno != EEXIST)
                return hr_fail(err, "cannot create folder %s: %s", buf, strerror(errno));
            if (!fs_is_dir(buf))
                return hr_fail(err, "%s exists and is not a folder", buf);
            *p = c;
            if (c == '\0')
                break;
        }
    }
    return 0;
}

static int remove_at(int parent, const char *name, dev_t dev, int depth)
{
    struct stat st;
    if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlinkat(parent, name, 0);
    if (st.st_dev != dev || depth > 64)
        return -1;
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        /* a folder the sandbox left without search permission: open it up */
        if (fchmodat(parent, name, 0700, 0) != 0)
            return -1;
        fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            return -1;
    }
    fchmod(fd, 0700);
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (remove_at(dirfd(d), e->d_name, dev, depth + 1) != 0)
            rc = -1;
    }
    closedir(d);
    if (unlinkat(parent, name, AT_REMOVEDIR) != 0)
        rc = -1;
    return rc;
}

int fs_remove_tree(const char *path, hr_error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : hr_fail(err, "cannot remove %s: %s", path, strerror(errno));
    if (remove_at(AT_FDCWD, path, st.st_dev, 0) != 0)
        return hr_fail(err, "cannot remove all of %s: %s", path, strerror(errno));
    return 0;
}

char *fs_make_temp_dir(const char *parent, const char *prefix, hr_error *err)
{
    size_t n = strlen(parent) + strlen(prefix) + 16;
    char *p = malloc(n);
    if (!p) {
        hr_fail(err, "out of memory");
        return NULL;
    }
    snprintf(p, n, "%s/%s-XXXXXX", parent, prefix);
    if (!mkdtemp(p)) {
        hr_fail(err, "cannot create a folder in %s: %s", parent, strerror(errno));
        free(p);
        return NULL;
    }
    return p;
}

bool fs_is_file(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool fs_is_dir(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *fs_join(const char *a, const char *b)
{
    size_t la = strlen(a);
    while (la > 1 && a[la - 1] == '/')
        la--;
    size_t n = la + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%.*s/%s", (int)la, a, b);
    return p;
}

/* Can every uid pass through each folder on the way to path? */
static bool passable_by_others(const char *path)
{
    char real[PATH_MAX];
    if (!realpath(path, real))
        return false;
    for (char *slash = real;; slash = strchr(slash + 1, '/')) {
        char keep = slash ? *slash : '\0';
        if (slash)
            *slash = '\0';
        struct stat st;
        bool ok = stat(real[0] ? real : "/", &st) == 0 && (st.st_mode & S_IXOTH);
        if (slash)
            *slash = keep;
        if (!ok)
            return false;
        if (!slash)
            return true;
    }
}

const char *fs_temp_base(bool other_uids)
{
    const char *t = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    return !other_uids || passable_by_others(t) ? t : "/tmp";
}
