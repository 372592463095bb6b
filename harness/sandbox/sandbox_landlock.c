/*
 * sandbox_landlock — see sandbox_landlock.h.
 *
 * The kernel headers Debian ships may be older than the kernel, so the
 * ruleset's layout and the rights of later ABIs are spelled out here; the size
 * passed to landlock_create_ruleset tells the kernel which fields we know.
 */
#include "sandbox_landlock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

#define LL_VERSION_FLAG (1U << 0)
#define LL_RULE_PATH_BENEATH 1

/* file-system rights, by ABI */
#define FS_EXECUTE (1ULL << 0)
#define FS_WRITE_FILE (1ULL << 1)
#define FS_READ_FILE (1ULL << 2)
#define FS_READ_DIR (1ULL << 3)
#define FS_ABI1 ((1ULL << 13) - 1)          /* execute .. make_sym */
#define FS_REFER (1ULL << 13)               /* ABI 2 */
#define FS_TRUNCATE (1ULL << 14)            /* ABI 3 */
#define FS_IOCTL_DEV (1ULL << 15)           /* ABI 5 */
#define NET_ALL ((1ULL << 0) | (1ULL << 1)) /* ABI 4: bind, connect TCP */
#define SCOPE_ALL ((1ULL << 0) | (1ULL << 1)) /* ABI 6: abstract unix sockets, signals */

typedef struct {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
} ll_ruleset_attr;

typedef struct {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed)) ll_path_beneath;

int sbll_abi(void)
{
    long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_VERSION_FLAG);
    return v > 0 ? (int)v : 0;
}

static uint64_t fs_handled(int abi)
{
    uint64_t fs = FS_ABI1;
    if (abi >= 2)
        fs |= FS_REFER;
    if (abi >= 3)
        fs |= FS_TRUNCATE;
    if (abi >= 5)
        fs |= FS_IOCTL_DEV;
    return fs;
}

/* Rights that make sense on a file (a rule on a file must not name folder rights). */
static uint64_t file_rights(uint64_t rights, int abi)
{
    uint64_t file = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE;
    if (abi >= 3)
        file |= FS_TRUNCATE;
    if (abi >= 5)
        file |= FS_IOCTL_DEV;
    return rights & file;
}

static int add_path(int ruleset, const char *path, uint64_t rights, int abi, hr_error *err)
{
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : hr_fail(err, "landlock: cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return hr_fail(err, "landlock: cannot stat %s: %s", path, strerror(errno));
    }
    ll_path_beneath rule = {S_ISDIR(st.st_mode) ? rights : file_rights(rights, abi), fd};
    long rc = syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0);
    int saved = errno;
    close(fd);
    return rc == 0 ? 0 : hr_fail(err, "landlock: cannot allow %s: %s", path, strerror(saved));
}

int sbll_restrict(int abi, const char *const *ro_paths, const char *rw_path,
                  const char *const *devices, hr_error *err)
{
    if (abi <= 0)
        return hr_fail(err, "landlock is not available");
    ll_ruleset_attr attr = {.handled_access_fs = fs_handled(abi)};
    size_t size = sizeof attr.handled_access_fs;
    if (abi >= 4) {
        attr.handled_access_net = NET_ALL;    /* handled with no rule: all TCP refused */
        size += sizeof attr.handled_access_net;
    }
    if (abi >= 6) {
        attr.scoped = SCOPE_ALL;
        size += sizeof attr.scoped;
    }
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (ruleset < 0)
        return hr_fail(err, "landlock: cannot create a ruleset: %s", strerror(errno));
    const uint64_t read = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR;
    int rc = 0;
    for (const char *const *p = ro_paths; rc == 0 && p && *p; p++)
        rc = add_path(ruleset, *p, read, abi, err);
    if (rc == 0 && rw_path)
        rc = add_path(ruleset, rw_path, fs_handled(abi), abi, err);
    for (const char *const *d = devices; rc == 0 && d && *d; d++)
        rc = add_path(ruleset, *d, FS_READ_FILE | FS_WRITE_FILE, abi, err);
    if (rc == 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        rc = hr_fail(err, "cannot set no_new_privs: %s", strerror(errno));
    if (rc == 0 && syscall(SYS_landlock_restrict_self, ruleset, 0) != 0)
        rc = hr_fail(err, "landlock: cannot restrict the sandbox: %s", strerror(errno));
    close(ruleset);
    return rc;
}
