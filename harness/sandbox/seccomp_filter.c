/*
 * seccomp_filter — see seccomp_filter.h. Built with libseccomp.
 */
#include "seccomp_filter.h"

#include <errno.h>
#include <elf.h>
#include <link.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Calls no program here has a reason to make. */
static const char *const DENY_ALWAYS[] = {
    "ptrace", "process_vm_readv", "process_vm_writev", "mount", "umount2", "unshare",
    "setns", "pivot_root", "chroot", "io_uring_setup", "io_uring_enter",
    "io_uring_register", "bpf", "perf_event_open", "kexec_load", "kexec_file_load",
    "init_module", "finit_module", "delete_module", "keyctl", "add_key", "request_key",
    "userfaultfd", "fsopen", "fsmount", "fsconfig", "fspick", "move_mount", "open_tree",
    "mount_setattr", "open_by_handle_at", "name_to_handle_at", "swapon", "swapoff", "reboot",
    "acct", "settimeofday", "clock_settime", "adjtimex", "syslog", "quotactl", "pidfd_getfd",
    "process_madvise", "mbind", "migrate_pages", "move_pages", "set_mempolicy",
    "lookup_dcookie", "vhangup", "iopl", "ioperm", "personality", "kcmp", "fanotify_init",
    NULL};

/* The runner starts no process and no thread, and changes no file: it
 * writes to the descriptors it is given, nothing else (the dynamic loader
 * only reads). */
static const char *const DENY_RUN[] = {
    "fork", "vfork", "clone", "clone3", "creat", "mkdir", "mkdirat", "rmdir", "unlink", "unlinkat",
    "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat", "truncate", "chmod",
    "fchmodat", "chown", "lchown", "fchownat", "mknod", "mknodat", "utime", "utimes", "utimensat",
    "futimesat", "setxattr", "lsetxattr", "removexattr", "lremovexattr", "openat2", NULL};

/* open(2) flags that write or create. */
static const unsigned long OPEN_WRITE_FLAGS[] = {O_WRONLY, O_RDWR, O_CREAT, O_TRUNC, O_APPEND,
                                                 020000000 /* __O_TMPFILE */, 0};

/* The namespace flags clone(2) must not carry (unshare and setns are denied outright). */
static const unsigned long CLONE_NS_FLAGS[] = {CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS,
                                               CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID,
                                               CLONE_NEWNET, 0};

/* What a numeric function (and libc's printf, malloc, exit) needs. */
static const char *const ALLOW_LOCKDOWN[] = {
    "read", "write", "readv", "writev", "pread64", "pwrite64", "lseek", "close", "fstat",
    "newfstatat", "mmap", "munmap", "mprotect", "mremap", "brk", "madvise", "rt_sigaction",
    "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "getpid", "gettid", "getuid",
    "geteuid", "getgid", "getegid", "exit", "exit_group", "clock_gettime", "clock_getres",
    "gettimeofday", "clock_nanosleep", "nanosleep", "getrandom", "futex", "sched_yield",
    "getrusage", "times", "restart_syscall", "membarrier", NULL};

bool seccomp_filter_available(void)
{
    return prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0;
}

static int add_list_except(scmp_filter_ctx ctx, const char *const *names, const char *except,
                           uint32_t action)
{
    for (const char *const *n = names; *n; n++) {
        if (except && !strcmp(*n, except))
            continue;
        int nr = seccomp_syscall_resolve_name(*n);
        if (nr == __NR_SCMP_ERROR)
            continue;   /* not on this architecture */
        if (seccomp_rule_add(ctx, action, nr, 0) != 0)
            return -1;
    }
    return 0;
}

static int add_list(scmp_filter_ctx ctx, const char *const *names, uint32_t action)
{
    return add_list_except(ctx, names, NULL, action);
}

static scmp_filter_ctx build_stage1(seccomp_stage stage)
{
    /* a zygote's filter is its tests' stage's, with fork (see seccomp_filter.h) */
    bool zygote = stage == SECCOMP_STAGE_RUN_ZYGOTE || stage == SECCOMP_STAGE_DIAGNOSE_ZYGOTE;
    if (zygote)
        stage = stage == SECCOMP_STAGE_RUN_ZYGOTE ? SECCOMP_STAGE_RUN : SECCOMP_STAGE_DIAGNOSE;
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx)
        return NULL;
    /* LeakSanitizer stops the program's threads with ptrace: the diagnostic
     * run may trace itself, alone in its PID namespace */
    int rc = add_list_except(ctx, DENY_ALWAYS, stage == SECCOMP_STAGE_DIAGNOSE ? "ptrace" : NULL,
                             SCMP_ACT_ERRNO(EPERM));
    /* sockets: AF_UNIX only (the compiler driver may use it; nothing else may) */
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 1,
                           SCMP_A0(SCMP_CMP_NE, AF_UNIX));
    if (stage == SECCOMP_STAGE_RUN || stage == SECCOMP_STAGE_DIAGNOSE) {
        /* the diagnostic run may start threads (LeakSanitizer's tracer is one),
         * never a process: clone without CLONE_VM stays denied */
        rc |= add_list_except(ctx, DENY_RUN, stage == SECCOMP_STAGE_DIAGNOSE || zygote ? "clone" : NULL,
                              SCMP_ACT_ERRNO(EPERM));
        if (stage == SECCOMP_STAGE_DIAGNOSE && !zygote)
            rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                                   SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_VM, 0));
        for (const unsigned long *f = OPEN_WRITE_FLAGS; *f; f++) {
            rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 1,
                                   SCMP_A1(SCMP_CMP_MASKED_EQ, *f, *f));
            rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 1,
                                   SCMP_A2(SCMP_CMP_MASKED_EQ, *f, *f));
        }
    }
    if (stage != SECCOMP_STAGE_RUN || zygote) {
        /* the compiler forks its passes, but never into new namespaces; clone3
         * hides its flags from the filter, so libc is told it does not exist
         * and falls back to clone */
        for (const unsigned long *f = CLONE_NS_FLAGS; *f; f++)
            rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                                   SCMP_A0(SCMP_CMP_MASKED_EQ, *f, *f));
        rc |= seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
    }
    if (rc != 0) {
        seccomp_release(ctx);
        return NULL;
    }
    return ctx;
}

int seccomp_filter_export(seccomp_stage stage, struct sock_fprog *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    scmp_filter_ctx ctx = build_stage1(stage);
    if (!ctx)
        return hr_fail(err, "cannot build the sandbox's system-call filter");
    int fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
    int rc = fd < 0 ? -1 : seccomp_export_bpf(ctx, fd);
    seccomp_release(ctx);
    struct stat st;
    if (rc != 0 || fstat(fd, &st) != 0 || st.st_size <= 0 ||
        st.st_size % (off_t)sizeof(struct sock_filter) != 0) {
        if (fd >= 0)
            close(fd);
        return hr_fail(err, "cannot compile the sandbox's system-call filter");
    }
    out->filter = malloc((size_t)st.st_size);
    out->len = (unsigned short)(st.st_size / (off_t)sizeof(struct sock_filter));
    ssize_t got = out->filter ? pread(fd, out->filter, (size_t)st.st_size, 0) : -1;
    close(fd);
    if (got != st.st_size) {
        seccomp_filter_free(out);
        return hr_fail(err, "cannot read the sandbox's system-call filter back");
    }
    return 0;
}

void seccomp_filter_free(struct sock_fprog *prog)
{
    free(prog->filter);
    prog->filter = NULL;
    prog->len = 0;
}

int seccomp_filter_apply(const struct sock_fprog *prog, hr_error *err)
{
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return hr_fail(err, "cannot set no_new_privs: %s", strerror(errno));
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) != 0)
        return hr_fail(err, "cannot load the sandbox's system-call filter: %s", strerror(errno));
    return 0;
}

/* What the sanitizer runtimes call after their start-up (reports, and
 * LeakSanitizer's check: a tracer thread that lists the threads in /proc,
 * attaches to them with ptrace and reads /proc/self/maps). Allowed only from
 * the runtimes' own code (see seccomp_filter_lockdown_sanitized). */
static const char *const ALLOW_SANITIZER[] = {
    "open", "openat", "readlink", "readlinkat", "getdents", "getdents64", "clone", "ptrace", "wait4", "waitid",
    "prctl", "sched_getaffinity", "getppid", "pipe", "pipe2", "rt_sigtimedwait", "sigaltstack", "dup", "dup2",
    "dup3", NULL};

/* The stage-2 allow list, plus extra (NULL-terminated names) for any caller;
 * no_new_privs is already set when extra is given. */
static int load_allow_list(const char *const *extra, hr_error *err)
{
    if (!extra && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return hr_fail(err, "cannot set no_new_privs: %s", strerror(errno));
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    if (!ctx)
        return hr_fail(err, "cannot create a system-call filter");
    pid_t self = getpid();
    int rc = add_list(ctx, ALLOW_LOCKDOWN, SCMP_ACT_ALLOW);
    /* set already, and prctl is now the runtimes' alone */
    if (extra)
        rc |= seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    if (extra)
        rc |= add_list(ctx, extra, SCMP_ACT_ALLOW);
    /* signals to itself only: abort() and raise() work, kill(getppid()) does not */
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)self));
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)self));
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tkill), 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)self));
    /* stdio asks whether a stream is a terminal */
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1, SCMP_A1(SCMP_CMP_EQ, TCGETS));
    /* fcntl(F_GETFL/F_GETFD) on its own descriptors */
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1, SCMP_A1(SCMP_CMP_EQ, F_GETFL));
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1, SCMP_A1(SCMP_CMP_EQ, F_GETFD));
    /* reading limits, never setting them */
    rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 2, SCMP_A0(SCMP_CMP_EQ, 0),
                           SCMP_A2(SCMP_CMP_EQ, 0));
    if (rc != 0) {
        seccomp_release(ctx);
        return hr_fail(err, "cannot build the runner's system-call filter");
    }
    rc = seccomp_load(ctx);
    seccomp_release(ctx);
    return rc == 0 ? 0 : hr_fail(err, "cannot load the runner's system-call filter: %s", strerror(-rc));
}

int seccomp_filter_lockdown(hr_error *err)
{
    return load_allow_list(NULL, err);
}

/* ---- the sanitizer build's lockdown ---------------------------------------------- */

#define MAX_RANGES 8

typedef struct {
    uintptr_t lo[MAX_RANGES], hi[MAX_RANGES];
    size_t n;
} code_ranges;

/* The executable segments of the sanitizer runtimes loaded in this process. */
static int find_runtime(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    code_ranges *r = arg;
    const char *name = info->dlpi_name ? strrchr(info->dlpi_name, '/') : NULL;
    name = name ? name + 1 : info->dlpi_name;
    if (!name || (strncmp(name, "libasan.so", 10) && strncmp(name, "libubsan.so", 11) &&
                  strncmp(name, "liblsan.so", 10)))
        return 0;
    for (int i = 0; i < info->dlpi_phnum && r->n < MAX_RANGES; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
            continue;
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
        /* the filter compares the high and low 32 bits apart: one range per 4 GiB */
        while (lo < hi && r->n < MAX_RANGES) {
            uintptr_t top = (lo | 0xffffffffULL) + 1;
            r->lo[r->n] = lo;
            r->hi[r->n++] = hi < top ? hi : top;
            lo = top;
        }
    }
    return 0;
}

#define STMT(code, k) ((struct sock_filter)BPF_STMT(code, k))
#define JUMP(code, k, jt, jf) ((struct sock_filter)BPF_JUMP(code, k, jt, jf))

int seccomp_filter_lockdown_sanitized(hr_error *err)
{
    code_ranges r = {0};
    dl_iterate_phdr(find_runtime, &r);
    if (r.n == 0)
        return hr_fail(err, "no sanitizer runtime is loaded: the sanitizer build's lockdown cannot tell its calls");
    int nrs[32];
    size_t nnr = 0;
    for (const char *const *n = ALLOW_SANITIZER; *n && nnr < 32; n++) {
        int nr = seccomp_syscall_resolve_name(*n);
        if (nr != __NR_SCMP_ERROR)
            nrs[nnr++] = nr;
    }
    /* Filter 1: the allow list and the runtimes' calls, from anywhere.
     * Filter 2 (stacked: the stricter answer wins): those extra calls are
     * refused unless the instruction that makes them lies in a runtime's
     * code. Student code calling libc's open (found however it may be) makes
     * the call from libc's code: EPERM, as in a graded run. */
    struct sock_filter prog[1 + 32 + 1 + 5 * MAX_RANGES + 2];
    size_t k = 0;
    prog[k++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    for (size_t i = 0; i < nnr; i++)   /* to the first range check, right after the ALLOW below */
        prog[k++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nrs[i], (unsigned char)(nnr - i), 0);
    prog[k++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    const unsigned ip = offsetof(struct seccomp_data, instruction_pointer);
    for (size_t i = 0; i < r.n; i++) {
        /* five instructions per range; a miss falls through to the next
         * range, and past the last to the refusal */
        unsigned long long lo = r.lo[i], end_low = r.hi[i] - (lo & ~0xffffffffULL);   /* may be 2^32 */
        unsigned char to_allow = (unsigned char)(5 * (r.n - i - 1) + 1);
        prog[k++] = STMT(BPF_LD | BPF_W | BPF_ABS, ip + 4);   /* the high 32 bits (little-endian) */
        prog[k++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)(lo >> 32), 0, 3);
        prog[k++] = STMT(BPF_LD | BPF_W | BPF_ABS, ip);
        prog[k++] = JUMP(BPF_JMP | BPF_JGE | BPF_K, (unsigned)lo, 0, 1);
        prog[k++] = end_low > 0xffffffffULL ? JUMP(BPF_JMP | BPF_JGE | BPF_K, 0, to_allow, 0)
                                            : JUMP(BPF_JMP | BPF_JGE | BPF_K, (unsigned)end_low, 0, to_allow);
    }
    prog[k++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
    prog[k++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    struct sock_fprog fp = {(unsigned short)k, prog};
    /* the range filter first: the allow list does not allow seccomp(2) itself */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return hr_fail(err, "cannot set no_new_privs: %s", strerror(errno));
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) != 0)
        return hr_fail(err, "cannot load the sanitizer build's call filter: %s", strerror(errno));
    return load_allow_list(ALLOW_SANITIZER, err);
}
