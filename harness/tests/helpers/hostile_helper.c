/*
 * hostile_helper — what a hostile student would run if it got past the object
 * checks, for the sandbox tests (test_hostile.c, suite sandbox).
 *
 *   hostile-helper [lockdown] MODE [ARGS...]
 *
 * With "lockdown" it first loads the runner's seccomp allow list, as the
 * runner does before calling student code; without it, only what the sandbox
 * itself applies holds (namespaces, uid, rlimits, Landlock, stage-1 seccomp).
 * It prints what each attempt got ("fork: EPERM"), so the tests can check
 * that every layer alone stops the attack. Built by mk/hardening.mk; not
 * part of the grader.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "seccomp_filter.h"

extern char **environ;

static void result(const char *what, long rc)
{
    printf("%s: %s\n", what, rc < 0 ? strerrorname_np(errno) : "ok");
    fflush(stdout);
}

static void *idle(void *arg)
{
    (void)arg;
    pause();
    return NULL;
}

int main(int argc, char **argv)
{
    int a = 1;
    if (a < argc && !strcmp(argv[a], "lockdown")) {
        hr_error err;
        if (seccomp_filter_lockdown(&err) != 0) {
            fprintf(stderr, "%s\n", err.msg);
            return 2;
        }
        a++;
    }
    const char *mode = a < argc ? argv[a++] : "";
    if (!strcmp(mode, "forkbomb")) {
        /* the name lets a test find survivors by name, whatever their uid */
        prctl(PR_SET_NAME, "gc-forkbomb");
        for (;;)
            fork();
    }
    if (!strcmp(mode, "orphan")) {
        pid_t p = fork();
        if (p == 0) {
            setsid();
            if (fork() == 0) {
                prctl(PR_SET_NAME, "gc-orphan");
                for (;;)
                    pause();
            }
            _exit(0);
        }
        result("fork", p);
        return 0;
    }
    if (!strcmp(mode, "threads")) {
        pthread_t t;
        int rc = pthread_create(&t, NULL, idle, NULL);
        errno = rc;
        result("pthread_create", rc ? -1 : 0);
        return 0;
    }
    if (!strcmp(mode, "kill")) {
        result("kill(getppid())", kill(getppid(), SIGKILL));
        result("kill(-1)", kill(-1, SIGKILL));
        /* last: its own process group holds only itself */
        result("kill(0)", kill(0, SIGKILL));
        return 0;
    }
    if (!strcmp(mode, "ptrace")) {
        result("ptrace", ptrace(PTRACE_ATTACH, getppid(), NULL, NULL));
        return 0;
    }
    if (!strcmp(mode, "connect") && a < argc) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        result("socket", s);
        struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[a]))};
        inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
        if (s >= 0)
            result("connect", connect(s, (struct sockaddr *)&to, sizeof to));
        return 0;
    }
    if (!strcmp(mode, "write")) {
        for (; a < argc; a++) {
            int fd = open(argv[a], O_WRONLY | O_CREAT | O_EXCL, 0666);
            result(argv[a], fd);
        }
        return 0;
    }
    if (!strcmp(mode, "read")) {
        /* access(2) and stat(2) say whether a file exists, not what it holds:
         * Landlock leaves them alone, so only reading is checked */
        for (; a < argc; a++) {
            char label[4200], buf[64];
            int fd = open(argv[a], O_RDONLY);
            snprintf(label, sizeof label, "read %s", argv[a]);
            result(label, fd < 0 ? -1 : read(fd, buf, sizeof buf));
            DIR *d = opendir(argv[a]);
            snprintf(label, sizeof label, "list %s", argv[a]);
            result(label, d && readdir(d) ? 0 : -1);
        }
        return 0;
    }
    if (!strcmp(mode, "env")) {
        int n = 0;
        for (char **e = environ; e && *e; e++, n++)
            printf("env: %s\n", *e);
        printf("environment: %d\n", n);
        return 0;
    }
    if (!strcmp(mode, "fds")) {
        for (int fd = 0; fd < 1024; fd++)
            if (fcntl(fd, F_GETFD) >= 0)
                printf("fd %d\n", fd);
        return 0;
    }
    if (!strcmp(mode, "caps")) {
        struct {
            unsigned version;
            int pid;
        } head = {0x20080522, 0};   /* _LINUX_CAPABILITY_VERSION_3 */
        unsigned data[6] = {0};
        long rc = syscall(SYS_capget, &head, data);
        printf("uid %u caps %x %x\n", (unsigned)getuid(), rc == 0 ? data[0] : 0xdead, rc == 0 ? data[3] : 0xdead);
        return 0;
    }
    if (!strcmp(mode, "sleep")) {
        sleep(100000);
        return 0;
    }
    if (!strcmp(mode, "memory")) {
        size_t mb = 0;
        for (char *p; (p = malloc(1 << 20)) != NULL; mb++)
            memset(p, 1, 1 << 20);
        printf("memory: %zu MiB\n", mb);
        return 0;
    }
    if (!strcmp(mode, "flood")) {
        static char junk[1 << 16];
        memset(junk, 'x', sizeof junk);
        for (;;)
            fwrite(junk, 1, sizeof junk, stdout);
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
}
