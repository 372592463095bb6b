/*
 * toolchain-probe — writes toolchain.json: for each build step, the command
 * gcc's driver would start (see toolchain.h), checked before it is trusted.
 *
 *   toolchain-probe OUT.json
 *
 * For each step it asks the driver (gcc -### with the step's own options, in
 * the environment the sandbox gives the compiler), then builds a small
 * submission both ways, each step with the driver and directly, and compares
 * what they write: the output file, the messages and the exit status, byte
 * for byte, and a preprocessing that fails as well. Anything unexpected (a
 * step that starts more than one program, a placeholder the command does not
 * carry whole, a difference) writes no file: the grader then runs the driver,
 * which is only slower. Run by make; exit 1 only when it cannot work at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsutil.h"
#include "jsonio.h"
#include "toolchain.h"

#define OUTPUT_MAX (64u << 20)

typedef struct {
    char *work, *src, *out, *inc, *base;
    char tmpdir_env[4200];
    char *named[TOOLCHAIN_STEPS];   /* the program the driver would start (cc1, collect2) */
} probe;

typedef struct {
    int status;            /* as waitpid gives it */
    char *text;            /* what it wrote to the captured descriptor */
} ran;

/* Runs argv in cwd with the sandbox's environment; what it writes to fd
 * (1 or 2) captured, the other to /dev/null. */
static int run_capturing(const probe *p, char *const *argv, const char *cwd, int fd, ran *r)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        char *env[] = {TOOLCHAIN_PATH_ENV, TOOLCHAIN_LOCALE_ENV, (char *)p->tmpdir_env, NULL};
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(devnull, 3 - fd);
        dup2(fds[1], fd);
        close(fds[0]);
        if (chdir(cwd) == 0)
            execve(argv[0], argv, env);
        _exit(127);
    }
    close(fds[1]);
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    for (ssize_t n; buf;) {
        if (len + 1 >= cap && !(buf = realloc(buf, cap *= 2)))
            break;
        n = read(fds[0], buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fds[0]);
    if (buf)
        buf[len] = '\0';
    r->text = buf;
    return pid > 0 && waitpid(pid, &r->status, 0) == pid && buf ? 0 : -1;
}

/* Runs argv in cwd with the sandbox's environment; stderr captured. */
static int run(const probe *p, char *const *argv, const char *cwd, ran *r)
{
    return run_capturing(p, argv, cwd, 2, r);
}

static bool exited_0(const ran *r)
{
    return WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0;
}

/* Runs argv as run does; 0 when it exited 0 (what it said is dropped). */
static int run_quietly(const probe *p, char *const *argv, const char *cwd)
{
    ran r;
    int rc = run(p, argv, cwd, &r) == 0 && exited_0(&r) ? 0 : -1;
    free(r.text);
    return rc;
}

/* ---- what the driver says it would run ---------------------------------------- */

/* The words of one line of gcc -### ("a" "b c" d: quoted when they need it). */
static char **split_line(const char *line)
{
    size_t cap = 16, n = 0;
    char **argv = calloc(cap, sizeof *argv);
    for (const char *p = line; argv && *p;) {
        while (*p == ' ')
            p++;
        if (!*p || *p == '\n')
            break;
        char *word = malloc(strlen(p) + 1), *w = word;
        if (!word)
            break;
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                *w++ = *p == '\\' && p[1] ? *++p : *p;
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != ' ' && *p != '\n')
                *w++ = *p++;
        }
        *w = '\0';
        if (n + 2 > cap && !(argv = realloc(argv, (cap *= 2) * sizeof *argv)))
            return NULL;
        argv[n++] = word;
        argv[n] = NULL;
    }
    return argv;
}

/* The program collect2 starts for -fuse-ld=NAME: ld.NAME where the driver finds it. */
static char *linker_of(const probe *p, char *const *argv, const char *cwd)
{
    const char *use = NULL;
    for (size_t i = 0; argv[i]; i++)
        if (!strncmp(argv[i], "-fuse-ld=", 9))
            use = argv[i] + 9;
    if (!use)
        return NULL;
    char name[64], opt[96];
    snprintf(name, sizeof name, "ld.%s", use);
    snprintf(opt, sizeof opt, "-print-prog-name=%s", name);
    char *ask[] = {"/usr/bin/gcc", opt, NULL};
    ran r;
    if (run_capturing(p, ask, cwd, 1, &r) != 0 || !exited_0(&r)) {
        free(r.text);
        return NULL;
    }
    char out[4096];
    snprintf(out, sizeof out, "%s", r.text);
    free(r.text);
    out[strcspn(out, "\n")] = '\0';
    if (out[0] == '/')
        return strdup(out);
    /* not in the driver's own folders: collect2 looks along PATH */
    static const char *const path_dirs[] = {"/usr/bin", "/bin"};   /* TOOLCHAIN_PATH_ENV */
    for (size_t i = 0; i < sizeof path_dirs / sizeof *path_dirs; i++) {
        char *path = fs_join(path_dirs[i], name);
        if (path && access(path, X_OK) == 0)
            return path;
        free(path);
    }
    return NULL;
}

/* Each placeholder may stand only at the end of a word (toolchain.c fills it there). */
static int placeholders_whole(char *const *argv, char *why, size_t len)
{
    for (size_t i = 0; argv[i]; i++)
        if (!toolchain_word_fillable(argv[i])) {
            snprintf(why, len, "the word %s carries a placeholder inside it", argv[i]);
            return -1;
        }
    return 0;
}

/* The one command gcc -### names for step's template (placeholders unfilled);
 * NULL with why. */
static char **driver_says(const probe *p, toolchain_step step, const char *cwd, char *why, size_t len)
{
    const char *const *t = toolchain_driver_template(step);
    size_t n = 0;
    while (t[n])
        n++;
    char **argv = calloc(n + 2, sizeof *argv);
    if (!argv)
        return NULL;
    memcpy(argv, t, n * sizeof *argv);
    argv[n] = "-###";
    ran r;
    char **cmd = NULL;
    int lines = 0;
    if (run(p, argv, cwd, &r) != 0 || !exited_0(&r)) {
        snprintf(why, len, "gcc -### failed: %.300s", r.text ? r.text : "");
    } else {
        for (char *line = r.text; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            if (line[0] == ' ' && lines++ == 0)
                cmd = split_line(line);
            line = nl ? nl + 1 : NULL;
        }
        if (lines != 1) {
            snprintf(why, len, "gcc -### named %d programs to run, not one", lines);
            toolchain_command_free(cmd);
            cmd = NULL;
        }
    }
    free(r.text);
    free(argv);
    return cmd;
}

/* collect2 only passes its words on to the linker it finds: cmd becomes that
 * linker's command (-fuse-ld= is collect2's own). -1 with why. */
static int past_collect2(const probe *p, char **cmd, const char *cwd, char *why, size_t len)
{
    char *ld = linker_of(p, cmd, cwd);
    if (!ld)
        return snprintf(why, len, "cannot tell which linker collect2 would start"), -1;
    free(cmd[0]);
    cmd[0] = ld;
    size_t k = 1;
    for (size_t i = 1; cmd[i]; i++) {
        if (!strncmp(cmd[i], "-fuse-ld=", 9))
            free(cmd[i]);
        else
            cmd[k++] = cmd[i];
    }
    cmd[k] = NULL;
    return 0;
}

/* The command the driver would start for step, as a template; NULL with why. */
static char **asked(probe *p, toolchain_step step, const char *cwd, char *why, size_t len)
{
    char **cmd = driver_says(p, step, cwd, why, len);
    if (!cmd)
        return NULL;
    p->named[step] = strdup(cmd[0]);
    const char *slash = strrchr(cmd[0], '/');
    int rc = !strcmp(slash ? slash + 1 : cmd[0], "collect2") ? past_collect2(p, cmd, cwd, why, len) : 0;
    if (rc == 0 && cmd[0][0] != '/')
        rc = (snprintf(why, len, "the driver would start %s, not an absolute path", cmd[0]), -1);
    if (rc == 0)
        rc = placeholders_whole(cmd, why, len);
    if (rc != 0) {
        toolchain_command_free(cmd);
        return NULL;
    }
    return cmd;
}

/* ---- the check: both ways, the same bytes -------------------------------------- */

/* A file's bytes (none when it is absent): outputs are objects and programs too. */
typedef struct {
    char *data;
    size_t len;
} bytes;

static bytes read_bytes(const char *path)
{
    bytes b = {NULL, 0};
    hr_error e;
    b.data = fs_slurp(path, OUTPUT_MAX, &b.len, &e);
    if (!b.data) {
        b.data = strdup("");
        b.len = 0;
    }
    return b;
}

/* Runs the step both ways on the same inputs; 0 when they agree. */
static int same_both_ways(const probe *p, toolchain_step step, char **direct, const char *source,
                          const char *cwd, const char *output, char *why, size_t len)
{
    toolchain_names names = {source, p->inc, p->base};
    char **by_driver = toolchain_fill(toolchain_driver_template(step), &names);
    char **by_hand = toolchain_fill((const char *const *)direct, &names);
    char *path = fs_join(p->out, output);
    ran a = {0}, b = {0};
    bytes out_a = {0}, out_b = {0};
    int rc = -1;
    if (by_driver && by_hand && path) {
        unlink(path);
        if (run(p, by_driver, cwd, &a) == 0) {
            out_a = read_bytes(path);
            unlink(path);
            if (run(p, by_hand, cwd, &b) == 0)
                out_b = read_bytes(path);
        }
    }
    /* a failed step's output is never read (the driver deletes it; cc1 leaves what it wrote) */
    bool ok = exited_0(&a);
    if (!out_a.data || !out_b.data)
        snprintf(why, len, "%s: could not run it both ways", toolchain_step_name(step));
    else if (a.status != b.status)
        snprintf(why, len, "%s: the driver ended with status %#x, the direct command %#x", toolchain_step_name(step),
                 a.status, b.status);
    else if (strcmp(a.text, b.text) != 0)
        snprintf(why, len, "%s: the messages differ (%.200s | %.200s)", toolchain_step_name(step), a.text, b.text);
    else if (ok && (out_a.len != out_b.len || memcmp(out_a.data, out_b.data, out_a.len) != 0 || out_a.len == 0))
        snprintf(why, len, "%s: %s differs (or is empty)", toolchain_step_name(step), output);
    else
        rc = 0;
    free(a.text);
    free(b.text);
    free(out_a.data);
    free(out_b.data);
    free(path);
    toolchain_command_free(by_driver);
    toolchain_command_free(by_hand);
    return rc;
}

/* as, run as the build runs it (never through the driver). */
static int assemble(const probe *p, const char *s, const char *o)
{
    char *argv[] = {"/usr/bin/as", "--64", "--noexecstack", "-o", (char *)o, (char *)s, NULL};
    return run_quietly(p, argv, p->out);
}

static int write_text(const char *dir, const char *name, const char *text, hr_error *err)
{
    char *path = fs_join(dir, name);
    int rc = path ? fs_write_atomic(path, text, strlen(text), err) : hr_fail(err, "out of memory");
    free(path);
    return rc;
}

/* The probe's folders and files: a small submission, its header, a runner. */
static int setup(probe *p, hr_error *err)
{
    char *made = fs_make_temp_dir(fs_temp_base(false), "toolchain-probe", err);
    if (!made)
        return -1;
    /* canonical, as the grader's work folder is: the commands name its paths */
    p->work = realpath(made, NULL);
    free(made);
    if (!p->work)
        return hr_fail(err, "cannot resolve its folder: %s", strerror(errno));
    p->src = fs_join(p->work, "src");
    p->out = fs_join(p->work, "out");
    p->inc = fs_join(p->work, "include");
    p->base = fs_join(p->out, "base.o");
    snprintf(p->tmpdir_env, sizeof p->tmpdir_env, "TMPDIR=%s", p->work);
    if (!p->src || !p->out || !p->inc || !p->base || mkdir(p->src, 0700) || mkdir(p->out, 0700) ||
        mkdir(p->inc, 0700))
        return hr_fail(err, "cannot create its folders in %s: %s", p->work, strerror(errno));
    /* a warning, a header of the harness's and the system's, a call out of the file */
    if (write_text(p->inc, "probe.h", "double probe_twice(double x);\ndouble probe_other(double x);\n", err) ||
        write_text(p->src, "probe.c",
                   "#include <math.h>\n#include <stdio.h>\n#include \"probe.h\"\n"
                   "double probe_twice(double x) { int unused; double s = 0; for (int i = 0; i < 2; i++)"
                   " s += sqrt(x * x) + probe_other(x); return s; }\n", err) ||
        write_text(p->src, "broken.c", "#include \"probe.h\"\n#include \"absent.h\"\n", err) ||
        write_text(p->out, "base.c",
                   "#include <cjson/cJSON.h>\n#include <seccomp.h>\n#include <stdio.h>\n"
                   "double probe_twice(double x);\ndouble probe_other(double x) { return x / 3; }\n"
                   "int main(void) { cJSON_Delete(cJSON_CreateObject()); seccomp_release(NULL);"
                   " printf(\"%g\\n\", probe_twice(2)); return 0; }\n", err))
        return -1;
    char *cc[] = {"/usr/bin/gcc", "-fPIC", "-fno-omit-frame-pointer", "-c", "base.c", "-o", "base.o", NULL};
    return run_quietly(p, cc, p->out) == 0 ? 0 : hr_fail(err, "gcc could not compile its runner (base.c)");
}

/* The programs the commands came from and run: a change to any voids them. */
static int add_program(cJSON *programs, const char *path)
{
    struct stat st;
    char *real = realpath(path, NULL);
    if (!real || stat(real, &st) != 0) {
        free(real);
        return -1;
    }
    const cJSON *seen;
    cJSON_ArrayForEach(seen, programs) {
        if (!strcmp(cJSON_GetObjectItemCaseSensitive(seen, "path")->valuestring, real)) {
            free(real);
            return 0;
        }
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "path", real);
    cJSON_AddNumberToObject(o, "size", (double)st.st_size);
    cJSON_AddNumberToObject(o, "mtime", (double)st.st_mtime);
    cJSON_AddItemToArray(programs, o);
    free(real);
    return 0;
}

/* Asks for and checks each step in the order a build runs them. */
static int probe_all(probe *p, char **steps[TOOLCHAIN_STEPS], char *why, size_t len)
{
    static const struct {
        toolchain_step step;
        const char *output;
        bool in_src;
    } order[] = {{TOOLCHAIN_PREPROCESS, "submission.i", true}, {TOOLCHAIN_COMPILE, "submission.s", true},
                 {TOOLCHAIN_LINK, "runner", false}, {TOOLCHAIN_DIAG_COMPILE, "diag.s", false},
                 {TOOLCHAIN_DIAG_LINK, "diag-runner", false}};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        toolchain_step s = order[i].step;
        const char *cwd = order[i].in_src ? p->src : p->out;
        if (!(steps[s] = asked(p, s, cwd, why, len)))
            return -1;
        if (s == TOOLCHAIN_PREPROCESS &&
            same_both_ways(p, s, steps[s], "broken.c", cwd, "submission.i", why, len) != 0)
            return -1;
        if (same_both_ways(p, s, steps[s], "probe.c", cwd, order[i].output, why, len) != 0)
            return -1;
        if (s == TOOLCHAIN_COMPILE && assemble(p, "submission.s", "graded.o") != 0)
            return snprintf(why, len, "as failed on the probe's file"), -1;
        if (s == TOOLCHAIN_DIAG_COMPILE && assemble(p, "diag.s", "diag-graded.o") != 0)
            return snprintf(why, len, "as failed on the probe's instrumented file"), -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: toolchain-probe OUT.json\n");
        return 2;
    }
    probe p = {0};
    char why[1024] = "";
    char **steps[TOOLCHAIN_STEPS] = {0};
    hr_error err = {{0}};
    unlink(argv[1]);   /* a failed probe leaves no stale commands behind */
    if (setup(&p, &err) != 0) {
        fprintf(stderr, "toolchain-probe: cannot prepare its files: %s\n", err.msg);
        if (p.work)
            fs_remove_tree(p.work, &err);
        return 1;
    }
    int rc = probe_all(&p, steps, why, sizeof why);
    cJSON *doc = cJSON_CreateObject(), *programs = cJSON_AddArrayToObject(doc, "programs"),
          *commands = cJSON_AddObjectToObject(doc, "steps");
    if (rc == 0 && add_program(programs, "/usr/bin/gcc") != 0)
        rc = (snprintf(why, sizeof why, "cannot read /usr/bin/gcc"), -1);
    for (int s = 0; rc == 0 && s < TOOLCHAIN_STEPS; s++) {
        cJSON *list = cJSON_AddArrayToObject(commands, toolchain_step_name(s));
        for (char **a = steps[s]; *a; a++)
            cJSON_AddItemToArray(list, cJSON_CreateString(*a));
        if (add_program(programs, steps[s][0]) != 0 || (p.named[s] && add_program(programs, p.named[s]) != 0))
            rc = (snprintf(why, sizeof why, "cannot read %s", steps[s][0]), -1);
    }
    if (rc == 0 && jsonio_write_file(argv[1], doc, &err) != 0) {
        fprintf(stderr, "toolchain-probe: %s\n", err.msg);
        rc = 1;
    } else if (rc != 0) {
        fprintf(stderr, "toolchain-probe: the grader will run gcc's driver for every step: %s\n", why);
        rc = 0;
    }
    cJSON_Delete(doc);
    for (int s = 0; s < TOOLCHAIN_STEPS; s++) {
        toolchain_command_free(steps[s]);
        free(p.named[s]);
    }
    fs_remove_tree(p.work, &err);
    return rc;
}
