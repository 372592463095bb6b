/*
 * build — see build.h.
 *
 * Work folder layout (private, owned by the sandbox uid while it compiles):
 *   src/<file>.c          the clean copy made by intake; the compiler's cwd,
 *                         so messages read "gradient_check.c:12:5: error: ..."
 *   out/submission.{i,s,o,d}  compiler outputs (-save-temps=obj, -MD)
 *   out/graded.o          the object with only the graded functions global
 *   out/runner            the linked runner
 */
#include "build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "intake.h"
#include "objcheck.h"

#define GCC "/usr/bin/gcc"
#define OBJCOPY "/usr/bin/objcopy"

const char *const BUILD_CFLAGS[] = {"-std=gnu11", "-O2", "-ffp-contract=off", "-fno-common",
                                    "-Wall", "-Wextra", NULL};

const char *const BUILD_LIBC_ALLOWED[] = {
    /* memory and strings */
    "malloc", "calloc", "realloc", "free", "memcpy", "memmove", "memset", "memcmp", "strlen",
    "strcmp", "strncmp", "strcpy", "strncpy", "strcat", "strncat", "strchr", "strrchr", "strstr",
    "strdup", "abort", "exit", "abs", "labs", "qsort", "bsearch", "atoi", "atof", "strtod", "strtol",
    /* printing */
    "printf", "fprintf", "sprintf", "snprintf", "vprintf", "vfprintf", "vsnprintf", "puts", "putchar",
    "fputs", "fputc", "putc", "fflush", "fwrite", "perror", "stdout", "stderr",
    "__printf_chk", "__fprintf_chk", "__sprintf_chk", "__snprintf_chk", "__vfprintf_chk",
    "__memcpy_chk", "__memset_chk", "__memmove_chk", "__strcpy_chk",
    /* maths */
    "sqrt", "fabs", "exp", "log", "log1p", "expm1", "pow", "fmax", "fmin", "floor", "ceil", "round",
    "fmod", "tanh", "sin", "cos", "hypot", "isnan", "isinf", "__isnan", "__isinf", "__fpclassify",
    "sqrtf", "fabsf", "expf", "logf", "powf",
    /* compiler runtime */
    "__stack_chk_fail", "_GLOBAL_OFFSET_TABLE_", "__assert_fail", "__errno_location",
    NULL};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *dup_text(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max)
        n = max;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Runs a compile-profile program in the work folder. */
static int run_tool(sb_box *box, const build_config *cfg, const char *const *argv, const char *cwd,
                    const char *work_dir, sb_result *res, hr_error *err)
{
    static const char *const env[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", "TMPDIR=/tmp", NULL};
    const char *ro[] = {"/usr", "/bin", "/lib", "/lib64", "/etc/ld.so.cache", "/etc/alternatives",
                        cfg->public_include, cfg->runner_base, NULL};
    sb_spec spec = {
        .argv = argv, .envp = env, .cwd = cwd, .ro_paths = ro, .rw_path = work_dir,
        .wall_s = cfg->time_s, .cpu_s = cfg->time_s, .memory_mb = cfg->memory_mb,
        .output_kb = 16384, .max_processes = 16, .profile = SB_PROFILE_COMPILE,
    };
    return sb_run(box, &spec, res, err);
}

/* Why a compiler run did not simply finish, in the student's words; NULL if it did. */
static const char *ended_how(const sb_result *res, const build_config *cfg, char *buf, size_t len)
{
    switch (res->end) {
    case SB_TIMED_OUT:
    case SB_CPU_LIMIT:
        snprintf(buf, len, "compiling took more than %g s (does the file include something endless, "
                 "such as /dev/zero?)", cfg->time_s);
        return buf;
    case SB_OUTPUT_LIMIT:
        snprintf(buf, len, "compiling produced more output than allowed");
        return buf;
    case SB_SIGNALED:
        snprintf(buf, len, "the compiler was stopped (signal %d): it may have needed more than %ld MiB",
                 res->signal, cfg->memory_mb);
        return buf;
    default:
        return NULL;
    }
}

static void set_failure(build_result *out, build_status status, const char *text)
{
    out->status = status;
    out->message = dup_text(text, 32768);
}

/* Every file the preprocessor read must be the source or a public/system header. */
static int check_dependencies(const char *deps_path, const build_config *cfg, build_result *out,
                              hr_error *err)
{
    size_t len;
    char *text = fs_slurp(deps_path, 1u << 20, &len, err);
    if (!text)
        return -1;
    const char *allowed[] = {"/usr/include/", "/usr/lib/gcc/", cfg->public_include, NULL};
    char *colon = strstr(text, ": ");
    char *p = colon ? colon + 2 : text + len;
    char refused[2048] = "";
    while (*p) {
        while (*p == ' ' || *p == '\\' || *p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        /* one path; "\ " is an escaped space */
        char path[4096];
        size_t n = 0;
        while (*p && *p != '\n' && !(*p == ' ' && p[-1] != '\\') && n + 1 < sizeof path) {
            if (*p == '\\' && p[1] == ' ') {
                p++;
                continue;
            }
            path[n++] = *p++;
        }
        path[n] = '\0';
        bool ok = path[0] != '/' && !strstr(path, "..") && !strchr(path, '/');  /* the source itself */
        for (const char *const *a = allowed; !ok && *a; a++) {
            size_t k = strlen(*a);
            ok = !strncmp(path, *a, k) && (path[k] == '/' || (*a)[k - 1] == '/') && !strstr(path, "/../");
        }
        if (!ok && strlen(refused) + strlen(path) + 8 < sizeof refused)
            snprintf(refused + strlen(refused), sizeof refused - strlen(refused), "\n  - %s", path);
    }
    free(text);
    if (refused[0]) {
        char msg[3072];
        snprintf(msg, sizeof msg,
                 "Your file includes files the grader does not allow (only the C library's headers and "
                 "the assignment's public headers may be included):%s", refused);
        set_failure(out, BUILD_REFUSED, msg);
    }
    return 0;
}

/* Inline assembly could read any file (.incbin) or do anything at all: GCC
 * wraps every asm statement in #APP / #NO_APP in its assembly output. */
static int check_no_asm(const char *asm_path, build_result *out, hr_error *err)
{
    size_t len;
    char *text = fs_slurp(asm_path, 64u << 20, &len, err);
    if (!text)
        return -1;
    bool has_asm = !strncmp(text, "#APP\n", 5) || strstr(text, "\n#APP\n") != NULL;
    free(text);
    if (has_asm)
        set_failure(out, BUILD_REFUSED,
                    "Your file uses inline assembly (asm or __asm__), which the grader does not allow.");
    return 0;
}

static int check_object(const char *obj, const build_config *cfg, build_result *out, hr_error *err)
{
    objcheck_info info;
    if (objcheck_read(obj, &info, err) != 0)
        return -1;
    size_t nallowed = 0;
    for (const char *const *a = BUILD_LIBC_ALLOWED; *a; a++)
        nallowed++;
    for (const char *const *a = cfg->provided; a && *a; a++)
        nallowed++;
    const char **allowed = calloc(nallowed + 1, sizeof *allowed);
    size_t k = 0;
    for (const char *const *a = BUILD_LIBC_ALLOWED; allowed && *a; a++)
        allowed[k++] = *a;
    for (const char *const *a = cfg->provided; allowed && a && *a; a++)
        allowed[k++] = *a;
    objcheck_rules rules = {cfg->graded, allowed};
    hr_error why;
    if (!allowed) {
        objcheck_free(&info);
        return hr_fail(err, "out of memory");
    }
    if (objcheck_policy(&info, &rules, &why) != 0)
        set_failure(out, BUILD_REFUSED, why.msg);
    size_t ngraded = 0;
    while (cfg->graded[ngraded])
        ngraded++;
    out->defined = calloc(ngraded + 1, sizeof *out->defined);
    for (size_t i = 0; out->defined && i < ngraded; i++)
        out->defined[i] = objcheck_defines_function(&info, cfg->graded[i]);
    free(allowed);
    objcheck_free(&info);
    return out->defined ? 0 : hr_fail(err, "out of memory");
}

/* A file name that is safe on a command line: no leading '-', plain characters. */
static bool safe_name(const char *name)
{
    if (!name[0] || name[0] == '-' || name[0] == '.' || strlen(name) > 128)
        return false;
    for (const char *p = name; *p; p++)
        if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') && !(*p >= '0' && *p <= '9') &&
            *p != '_' && *p != '-' && *p != '.')
            return false;
    return true;
}

/* Folders the sandboxed compiler writes are handed to the sandbox uid. */
static int make_private_dir(const char *path, uid_t uid, gid_t gid, hr_error *err)
{
    if (mkdir(path, 0700) != 0)
        return hr_fail(err, "cannot create %s: %s", path, strerror(errno));
    if (geteuid() == 0 && chown(path, uid, gid) != 0)
        return hr_fail(err, "cannot hand %s to the sandbox: %s", path, strerror(errno));
    return 0;
}

static int compile(sb_box *box, const build_config *cfg, const char *work_dir, const char *src_dir,
                   const char *src_name, build_result *out, hr_error *err)
{
    char *out_dir = fs_join(work_dir, "out");
    char inc[4200];
    snprintf(inc, sizeof inc, "-I%s", cfg->public_include);
    const char *argv[48];
    size_t n = 0;
    argv[n++] = GCC;
    for (const char *const *f = BUILD_CFLAGS; *f; f++)
        argv[n++] = *f;
    const char *const rest[] = {"-fdiagnostics-color=never", inc, "-c", src_name, "-o",
                                "../out/submission.o", "-save-temps=obj", "-MD", "-MF",
                                "../out/submission.d", NULL};
    for (const char *const *r = rest; *r; r++)
        argv[n++] = *r;
    argv[n] = NULL;
    sb_result res;
    int rc = run_tool(box, cfg, argv, src_dir, work_dir, &res, err);
    if (rc != 0) {
        free(out_dir);
        return -1;
    }
    char how[512];
    const char *ended = ended_how(&res, cfg, how, sizeof how);
    if (ended) {
        set_failure(out, BUILD_COMPILE_ERROR, ended);
    } else if (res.exit_code != 0) {
        set_failure(out, BUILD_COMPILE_ERROR, res.err.len ? res.err.data : "the compiler failed without a message");
    } else {
        if (res.err.len)
            out->warnings = dup_text(res.err.data, 32768);
        char *deps = fs_join(out_dir, "submission.d"), *s = fs_join(out_dir, "submission.s");
        rc = check_dependencies(deps, cfg, out, err);
        if (rc == 0 && out->status == BUILD_OK)
            rc = check_no_asm(s, out, err);
        free(deps);
        free(s);
    }
    sb_result_free(&res);
    free(out_dir);
    return rc;
}

/* Localizes every global but the graded functions, then links the runner. */
static int localize_and_link(sb_box *box, const build_config *cfg, const char *work_dir,
                             build_result *out, hr_error *err)
{
    char *out_dir = fs_join(work_dir, "out");
    const char *argv[64];
    size_t n = 0;
    char keep[32][160];
    argv[n++] = OBJCOPY;
    size_t kept = 0;
    for (size_t i = 0; cfg->graded[i] && kept < 32; i++)
        if (out->defined[i])
            snprintf(keep[kept++], sizeof keep[0], "--keep-global-symbol=%s", cfg->graded[i]);
    if (kept == 0)   /* with no --keep-global-symbol, objcopy would keep them all */
        snprintf(keep[kept++], sizeof keep[0], "--keep-global-symbol=__grader_keeps_nothing");
    for (size_t i = 0; i < kept; i++)
        argv[n++] = keep[i];
    argv[n++] = "submission.o";
    argv[n++] = "graded.o";
    argv[n] = NULL;
    sb_result res;
    char how[512];
    int rc = run_tool(box, cfg, argv, out_dir, work_dir, &res, err);
    if (rc == 0 && (ended_how(&res, cfg, how, sizeof how) || res.exit_code != 0))
        rc = hr_fail(err, "objcopy failed on a compiled submission: %s", res.err.len ? res.err.data : how);
    sb_result_free(&res);
    if (rc == 0) {
        const char *const link[] = {GCC, "-o", "runner", cfg->runner_base, "graded.o",
                                    "-lcjson", "-lseccomp", "-lm", NULL};
        rc = run_tool(box, cfg, link, out_dir, work_dir, &res, err);
        const char *ended = rc == 0 ? ended_how(&res, cfg, how, sizeof how) : NULL;
        if (rc == 0 && (ended || res.exit_code != 0))
            /* the object passed every check, so a link failure is the student's
             * (a clash with the provided code, say): show the linker's words */
            set_failure(out, BUILD_COMPILE_ERROR, ended ? ended : res.err.data);
        if (rc == 0 && out->status == BUILD_OK)
            out->runner = fs_join(out_dir, "runner");
        sb_result_free(&res);
    }
    free(out_dir);
    return rc;
}

int build_submission(sb_box *box, const build_config *cfg, const char *submission,
                     const char *work_dir, build_result *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    double t0 = now_s();
    uid_t uid;
    gid_t gid;
    sb_identity(box, &uid, &gid);
    char *src_dir = fs_join(work_dir, "src"), *out_dir = fs_join(work_dir, "out");
    int rc = make_private_dir(src_dir, uid, gid, err);
    if (rc == 0)
        rc = make_private_dir(out_dir, uid, gid, err);
    intake_result in;
    intake_submission(submission, cfg->source_name, &in);
    char *copy = NULL;
    /* the copy keeps the student's file name, so messages name their file */
    const char *src_name = in.accepted && safe_name(in.name) ? in.name : cfg->source_name;
    if (rc == 0 && !in.accepted)
        set_failure(out, BUILD_NOT_ACCEPTED, in.message);
    if (rc == 0 && in.accepted) {
        if (in.message[0])
            out->note = dup_text(in.message, sizeof in.message);
        copy = fs_join(src_dir, src_name);
        rc = fs_write_atomic(copy, in.text, in.len, err);
    }
    if (rc == 0 && out->status == BUILD_OK)
        rc = compile(box, cfg, work_dir, src_dir, src_name, out, err);
    if (rc == 0 && out->status == BUILD_OK) {
        char *obj = fs_join(out_dir, "submission.o");
        rc = check_object(obj, cfg, out, err);
        free(obj);
    }
    if (rc == 0 && out->status == BUILD_OK)
        rc = localize_and_link(box, cfg, work_dir, out, err);
    intake_result_free(&in);
    free(copy);
    free(src_dir);
    free(out_dir);
    out->seconds = now_s() - t0;
    return rc;
}

void build_result_free(build_result *r)
{
    free(r->message);
    free(r->warnings);
    free(r->note);
    free(r->runner);
    free(r->defined);
    memset(r, 0, sizeof *r);
}

const char *build_status_name(build_status s)
{
    switch (s) {
    case BUILD_OK: return "ok";
    case BUILD_NOT_ACCEPTED: return "not_accepted";
    case BUILD_COMPILE_ERROR: return "compile_error";
    default: return "refused";
    }
}
