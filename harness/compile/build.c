/*
 * build — see build.h.
 *
 * Work folder layout (private; src/, out/ and tmp/ are handed to the sandbox uid):
 *   pub/include/, pub/runner-base.o   copies of all a compile step may read
 *                          besides the system's files: the originals sit in
 *                          the private build folder, which the sandbox uid
 *                          cannot enter when there is no private view
 *   src/<file>.c           the clean copy made by intake; the compiler's cwd,
 *                          so messages read "gradient_check.c:12:5: error: ..."
 *   out/submission.{i,s,o} preprocessed, compiled, assembled: each checked
 *                          before the next step runs on it
 *   out/objcopy.args       the cut: sections removed, symbols kept global
 *   out/graded.o, out/runner
 *   tmp/                   the compiler's TMPDIR
 *
 * The compiler runs three times instead of once because a single `gcc -c`
 * would read an #include'd or #line-named file and quote it in its messages,
 * and assemble a section name carrying `.incbin`, before the grader could
 * look; and because each step's output is what the next one trusts.
 */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "cflags.h"
#include "fsutil.h"
#include "intake.h"
#include "objcheck.h"
#include "safetext.h"
#include "srccheck.h"
#include "substitute.h"
#include "toolchain.h"

#define AS "/usr/bin/as"
#define OBJCOPY "/usr/bin/objcopy"
/* Cap on each compiler output (the .i, .s, .o, messages). */
#define BUILD_OUTPUT_KB 16384
#define BUILD_TEXT_MAX (16u << 20)

const char *const BUILD_CFLAGS[] = {CFLAGS_SUBMISSION, CFLAGS_WARNINGS, NULL};

const char *const BUILD_LIBC_ALLOWED[] = {
    /* memory and strings */
    "malloc", "calloc", "realloc", "free", "aligned_alloc", "posix_memalign", "memcpy", "memmove",
    "memset", "memcmp", "memchr", "strlen", "strnlen", "strcmp", "strncmp", "strcpy", "strncpy",
    "strcat", "strncat", "strchr", "strrchr", "strstr", "strspn", "strcspn", "strdup", "strndup",
    "abort", "exit", "_exit", "_Exit", "abs", "labs", "llabs", "qsort", "bsearch", "atoi", "atol",
    "atof", "strtod", "strtof", "strtol", "strtoll", "strtoul", "strtoull", "sscanf",
    "__isoc99_sscanf", "rand", "srand", "random", "srandom", "toupper", "tolower",
    "__ctype_b_loc", "__ctype_tolower_loc", "__ctype_toupper_loc",
    /* printing */
    "printf", "fprintf", "sprintf", "snprintf", "vprintf", "vfprintf", "vsprintf", "vsnprintf",
    "puts", "putchar", "fputs", "fputc", "putc", "fflush", "fwrite", "perror", "stdout", "stderr",
    /* what _FORTIFY_SOURCE (on at -O2 in Ubuntu's gcc) makes of the allowed ones */
    "__printf_chk", "__fprintf_chk", "__sprintf_chk", "__snprintf_chk", "__vprintf_chk",
    "__vfprintf_chk", "__vsprintf_chk", "__vsnprintf_chk", "__memcpy_chk", "__memset_chk",
    "__memmove_chk", "__strcpy_chk", "__strncpy_chk", "__strcat_chk", "__strncat_chk",
    /* gcc writes strcpy then strcat as stpcpy */
    "stpcpy", "__stpcpy_chk",
    /* time (the wall-clock limit bounds every wait) */
    "time", "clock", "clock_gettime", "gettimeofday", "sleep", "usleep", "nanosleep",
    /* maths: every function of C11's <math.h>, in all three precisions (sqrt,
     * sqrtf, sqrtl...), what gcc turns their calls into (sincos, exp10) and
     * the classification helpers of glibc's macros */
    "acos", "acosf", "acosl", "asin", "asinf", "asinl", "atan", "atanf", "atanl", "atan2",
    "atan2f", "atan2l", "cos", "cosf", "cosl", "sin", "sinf", "sinl", "tan", "tanf", "tanl",
    "acosh", "acoshf", "acoshl", "asinh", "asinhf", "asinhl", "atanh", "atanhf", "atanhl", "cosh",
    "coshf", "coshl", "sinh", "sinhf", "sinhl", "tanh", "tanhf", "tanhl", "exp", "expf", "expl",
    "exp2", "exp2f", "exp2l", "expm1", "expm1f", "expm1l", "frexp", "frexpf", "frexpl", "ilogb",
    "ilogbf", "ilogbl", "ldexp", "ldexpf", "ldexpl", "log", "logf", "logl", "log10", "log10f",
    "log10l", "log1p", "log1pf", "log1pl", "log2", "log2f", "log2l", "logb", "logbf", "logbl",
    "modf", "modff", "modfl", "scalbn", "scalbnf", "scalbnl", "scalbln", "scalblnf", "scalblnl",
    "cbrt", "cbrtf", "cbrtl", "fabs", "fabsf", "fabsl", "hypot", "hypotf", "hypotl", "pow", "powf",
    "powl", "sqrt", "sqrtf", "sqrtl", "erf", "erff", "erfl", "erfc", "erfcf", "erfcl", "lgamma",
    "lgammaf", "lgammal", "tgamma", "tgammaf", "tgammal", "ceil", "ceilf", "ceill", "floor",
    "floorf", "floorl", "nearbyint", "nearbyintf", "nearbyintl", "rint", "rintf", "rintl", "lrint",
    "lrintf", "lrintl", "llrint", "llrintf", "llrintl", "round", "roundf", "roundl", "lround",
    "lroundf", "lroundl", "llround", "llroundf", "llroundl", "trunc", "truncf", "truncl", "fmod",
    "fmodf", "fmodl", "remainder", "remainderf", "remainderl", "remquo", "remquof", "remquol",
    "copysign", "copysignf", "copysignl", "nan", "nanf", "nanl", "nextafter", "nextafterf",
    "nextafterl", "nexttoward", "nexttowardf", "nexttowardl", "fdim", "fdimf", "fdiml", "fmax",
    "fmaxf", "fmaxl", "fmin", "fminf", "fminl", "fma", "fmaf", "fmal", "sincos", "sincosf",
    "sincosl", "exp10", "exp10f", "exp10l", "__fpclassify", "__fpclassifyf", "__fpclassifyl",
    "__isnan", "__isnanf", "__isnanl", "__isinf", "__isinff", "__isinfl", "__finite", "__finitef",
    "__finitel", "__signbit", "__signbitf", "__signbitl", "__isnormal", "__isnormalf",
    "__isnormall", "isnan", "isinf", "isnanf", "isinff", "isnanl", "isinfl", "finite", "finitef",
    "finitel",
    /* compiler runtime */
    "__stack_chk_fail", "_GLOBAL_OFFSET_TABLE_", "__assert_fail", "__errno_location",
    NULL};

/* A copy of text for the report, capped, and safe to show (valid UTF-8, no
 * control characters): compiler messages quote the student's file, and
 * intake's notes name the student's files. */
static char *dup_text(const char *s, size_t max)
{
    return safetext_make_len(s, strlen(s), max, NULL);
}

static void set_failure(build_result *out, build_status status, const char *text)
{
    out->status = status;
    out->message = dup_text(text, 32768);
}

/* Appends text (a new paragraph) to *field. */
/* A diagnostic's head ("FILE:LINE:COL: warning: ...", "FILE: In function ...")
 * names FILE; returns whether the line is one and sets *mine when FILE is the
 * student's. Notes and quoted source lines belong to the head before them. */
static bool diagnostic_head(const char *line, size_t len, const char *source, bool *mine)
{
    if (len == 0 || line[0] == ' ')
        return false;
    const char *colon = memchr(line, ':', len);
    if (!colon || colon == line)
        return false;
    size_t rest = len - (size_t)(colon - line);
    bool is_note = rest > 7 && memmem(colon, rest, ": note:", 7) != NULL;
    if (is_note)
        return false;
    size_t n = strlen(source);
    *mine = (size_t)(colon - line) == n && !memcmp(line, source, n);
    return true;
}

/* The compiler's warnings about the student's file only: anything the
 * harness's own headers or flags make the compiler say is the harness's
 * business, not the student's. */
static char *student_diagnostics(const char *text, const char *source)
{
    size_t len = strlen(text);
    char *out = malloc(len + 1), *o = out;
    if (!out)
        return NULL;
    bool keep = false;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        bool mine;
        if (diagnostic_head(p, n, source, &mine))
            keep = mine;
        if (keep) {
            memcpy(o, p, n);
            o += n;
            *o++ = '\n';
        }
        p += n + (nl ? 1 : 0);
    }
    *o = '\0';
    return out;
}

static void add_text(char **field, const char *raw)
{
    char *text = raw && *raw ? dup_text(raw, 32768) : NULL;
    if (!text)
        return;
    size_t old = *field ? strlen(*field) : 0, n = strlen(text);
    char *more = realloc(*field, old + n + 2);
    if (more) {
        if (old && more[old - 1] != '\n')
            more[old++] = '\n';
        memcpy(more + old, text, n + 1);
        *field = more;
    }
    free(text);
}

/* ---- the work folder ------------------------------------------------------- */

/* Folders the sandboxed compiler writes are handed to the sandbox uid. */
static int make_private_dir(const char *path, uid_t uid, gid_t gid, hr_error *err)
{
    if (mkdir(path, 0700) != 0)
        return hr_fail(err, "cannot create %s: %s", path, strerror(errno));
    if (geteuid() == 0 && chown(path, uid, gid) != 0)
        return hr_fail(err, "cannot hand %s to the sandbox: %s", path, strerror(errno));
    return 0;
}

/* A new file in the work folder. No fsync (the folder is thrown away) and no
 * following: O_EXCL fails on anything planted there, symlinks included. */
static int write_new(const char *path, const void *data, size_t len, hr_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return hr_fail(err, "cannot create %s: %s", path, strerror(errno));
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            return hr_fail(err, "cannot write %s: %s", path, strerror(errno));
        }
        p += w;
        len -= (size_t)w;
    }
    return close(fd) == 0 ? 0 : hr_fail(err, "cannot write %s: %s", path, strerror(errno));
}

static int copy_file(const char *from, const char *to, hr_error *err)
{
    size_t len;
    char *data = fs_slurp(from, 64u << 20, &len, err);
    if (!data)
        return -1;
    int rc = write_new(to, data, len, err);
    free(data);
    return rc;
}

/* pub/: the public headers and the runner's objects, readable by the sandbox. */
static int stage_public(const build_config *cfg, const char *work, hr_error *err)
{
    char *pub = fs_join(work, "pub"), *inc = fs_join(work, "pub/include");
    char *base = fs_join(work, "pub/runner-base.o");
    int rc = mkdir(pub, 0755) == 0 && mkdir(inc, 0755) == 0 ? 0
             : hr_fail(err, "cannot create %s: %s", inc, strerror(errno));
    DIR *d = rc == 0 ? opendir(cfg->public_include) : NULL;
    if (rc == 0 && !d)
        rc = hr_fail(err, "cannot read %s: %s", cfg->public_include, strerror(errno));
    for (struct dirent *e; rc == 0 && (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char *from = fs_join(cfg->public_include, e->d_name), *to = fs_join(inc, e->d_name);
        if (fs_is_file(from))
            rc = copy_file(from, to, err);
        free(from);
        free(to);
    }
    if (d)
        closedir(d);
    if (rc == 0)
        rc = copy_file(cfg->runner_base, base, err);
    free(pub);
    free(inc);
    free(base);
    return rc;
}

/* ---- running the tools ------------------------------------------------------- */

typedef struct {
    sb_box *box;
    sb_session *session;
    const build_config *cfg;
    char *work, *src, *out, *tmp, *pub_include;
    char *pub_base;               /* the runner's objects the link reads (the diagnostic
                                   * build: the pack's own, which its session may read) */
    const char *source;           /* the student's file name, as the compiler names it */
    char tmpdir_env[4200];
    double deadline;
    build_result *result;
    char *subst_options;          /* objcopy options for the substitutions (substitute.h) */
} builder;

/* Runs one tool in the build's session with what is left of the build's time. */
static int run_tool(builder *b, const char *const *argv, const char *cwd, sb_result *res, hr_error *err)
{
    const char *env[] = {TOOLCHAIN_PATH_ENV, TOOLCHAIN_LOCALE_ENV, b->tmpdir_env, NULL};
    double left = b->deadline - clock_now_s();
    if (left < 0.1)
        left = 0.1;
    sb_spec spec = {
        .argv = argv, .envp = env, .cwd = cwd, .wall_s = left, .cpu_s = left,
        .memory_mb = b->cfg->memory_mb, .output_kb = BUILD_OUTPUT_KB, .max_processes = 16,
        .profile = SB_PROFILE_COMPILE,
    };
    return sb_session_run(b->session, &spec, res, err);
}

/* The command of a step of toolchain.h (gcc's driver, or what it would
 * start) with this build's names; NULL when out of memory. */
static char **step_command(const builder *b, toolchain_step step)
{
    toolchain_names names = {b->source ? b->source : "", b->pub_include ? b->pub_include : "",
                             b->pub_base ? b->pub_base : ""};
    return toolchain_command(step, &names);
}

/* Runs a step of toolchain.h like run_tool. */
static int run_step(builder *b, toolchain_step step, const char *cwd, sb_result *res, hr_error *err)
{
    char **argv = step_command(b, step);
    if (!argv)
        return hr_fail(err, "out of memory");
    int rc = run_tool(b, (const char *const *)argv, cwd, res, err);
    toolchain_command_free(argv);
    return rc;
}

/* Why a tool did not simply finish, in the student's words; NULL if it did. */
static const char *ended_how(const sb_result *res, const build_config *cfg, char *buf, size_t len)
{
    switch (res->end) {
    case SB_TIMED_OUT:
    case SB_CPU_LIMIT:
        snprintf(buf, len, "compiling took more than %g s (does the file include something endless, "
                 "such as /dev/zero?)", cfg->time_s);
        return buf;
    case SB_OUTPUT_LIMIT:
        snprintf(buf, len, "compiling produced more than %d MiB (a macro that expands without end?)",
                 BUILD_OUTPUT_KB >> 10);
        return buf;
    case SB_SIGNALED:
        snprintf(buf, len, "the compiler was stopped (signal %d): it may have needed more than %ld MiB",
                 res->signal, cfg->memory_mb);
        return buf;
    default:
        return NULL;
    }
}

/* A tool's failure, as the student's result; 1 when it failed. */
static int tool_failed(builder *b, const sb_result *res, const char *log)
{
    char how[512];
    const char *ended = ended_how(res, b->cfg, how, sizeof how);
    if (!ended && res->exit_code == 0)
        return 0;
    if (!ended && log && strstr(log, "out of memory"))
        ended = "compiling ran out of memory (does the file include something endless, such as /dev/zero?)";
    set_failure(b->result, BUILD_COMPILE_ERROR, ended ? ended : log && *log ? log
                : "the compiler failed without a message");
    return 1;
}

static char *read_output(builder *b, const char *name, size_t *len, hr_error *err)
{
    char *path = fs_join(b->out, name);
    char *text = path ? fs_slurp(path, BUILD_TEXT_MAX, len, err) : NULL;
    free(path);
    return text;
}

/* Keeps the compiler's warnings about the student's file. */
static void add_warnings(builder *b, const char *raw)
{
    char *mine = student_diagnostics(raw ? raw : "", b->source);
    add_text(&b->result->warnings, mine);
    free(mine);
}

/* ---- the three compile steps ------------------------------------------------- */

/* The student's file (b->source) preprocessed, its log and output vetted. */
static int preprocess(builder *b, const srccheck_rules *rules, hr_error *err)
{
    sb_result res;
    if (run_step(b, TOOLCHAIN_PREPROCESS, b->src, &res, err) != 0)
        return -1;
    char *shown = NULL, why[4096];
    if (srccheck_preprocessor_log(res.err.data, rules, &shown, why, sizeof why) != 0)
        set_failure(b->result, BUILD_REFUSED, why);
    else if (!tool_failed(b, &res, shown))
        add_warnings(b, shown);
    free(shown);
    sb_result_free(&res);
    if (b->result->status != BUILD_OK)
        return 0;
    size_t len;
    char *text = read_output(b, "submission.i", &len, err);
    if (!text)
        return -1;
    if (srccheck_preprocessed(text, len, rules, why, sizeof why) != 0)
        set_failure(b->result, BUILD_REFUSED, why);
    free(text);
    return 0;
}

static int compile(builder *b, hr_error *err)
{
    sb_result res;
    if (run_step(b, TOOLCHAIN_COMPILE, b->src, &res, err) != 0)
        return -1;
    if (!tool_failed(b, &res, res.err.data))
        add_warnings(b, res.err.data);
    sb_result_free(&res);
    if (b->result->status != BUILD_OK)
        return 0;
    size_t len;
    char *text = read_output(b, "submission.s", &len, err), why[1024];
    if (!text)
        return -1;
    if (srccheck_assembly(text, len, why, sizeof why) != 0)
        set_failure(b->result, BUILD_REFUSED, why);
    free(text);
    return 0;
}

static int assemble(builder *b, hr_error *err)
{
    const char *const argv[] = {AS, "--64", "--noexecstack", "-o", "submission.o", "submission.s", NULL};
    sb_result res;
    if (run_tool(b, argv, b->out, &res, err) != 0)
        return -1;
    tool_failed(b, &res, res.err.data);
    sb_result_free(&res);
    return 0;
}

/* ---- the object ---------------------------------------------------------------- */

static const char **allowed_symbols(const build_config *cfg)
{
    size_t n = 0;
    for (const char *const *a = BUILD_LIBC_ALLOWED; *a; a++)
        n++;
    for (const char *const *a = cfg->provided; a && *a; a++)
        n++;
    for (const char *const *a = cfg->substitutable; a && *a; a++)
        n++;
    const char **allowed = calloc(n + 1, sizeof *allowed);
    size_t k = 0;
    for (const char *const *a = BUILD_LIBC_ALLOWED; allowed && *a; a++)
        allowed[k++] = *a;
    for (const char *const *a = cfg->provided; allowed && a && *a; a++)
        allowed[k++] = *a;
    /* a call of a substitutable function always links (its dispatcher is in
     * the runner): a test that substitutes it grades the caller on its own,
     * one that uses the student's own reports it missing */
    for (const char *const *a = cfg->substitutable; allowed && a && *a; a++)
        allowed[k++] = *a;
    return allowed;
}

/* The build's note: which functions were cut out, and what dead code used. */
static void note_cut(build_result *out, const build_config *cfg, const objcheck_cut *cut)
{
    char text[4096] = "";
    for (size_t i = 0; cfg->graded[i]; i++)
        if (cut->why[i])
            snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s %s, so its tests were not run.",
                     text[0] ? "\n" : "", cfg->graded[i], cut->why[i]);
    if (cut->unreachable[0]) {
        snprintf(text + strlen(text), sizeof text - strlen(text),
                 "%sCode no graded function calls uses ", text[0] ? "\n" : "");
        for (size_t i = 0; cut->unreachable[i]; i++)
            snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s", i ? ", " : "",
                     cut->unreachable[i]);
        snprintf(text + strlen(text), sizeof text - strlen(text),
                 ", which graded code may not use; it was left out.");
    }
    add_text(&out->note, text);
}

/* The substitution options for the functions that stay (a graded function
 * cut out has no code left to rename). */
static char *subst_options_kept(const objcheck_info *info, const build_config *cfg, const bool *defined,
                                hr_error *err)
{
    size_t n = 0, k = 0;
    while (cfg->substitutable && cfg->substitutable[n])
        n++;
    const char **keep = calloc(n + 1, sizeof *keep);
    if (!keep) {
        hr_fail(err, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        bool stays = true;
        for (size_t g = 0; cfg->graded[g]; g++)
            if (!strcmp(cfg->graded[g], cfg->substitutable[i]))
                stays = defined[g];
        if (stays)
            keep[k++] = cfg->substitutable[i];
    }
    char *text = subst_objcopy_options(info, keep, true, err);
    free(keep);
    return text;
}

/* Whole-file rules, then the cut: which graded functions survive. */
static int check_object(builder *b, objcheck_cut *cut, hr_error *err)
{
    const build_config *cfg = b->cfg;
    build_result *out = b->result;
    char *obj = fs_join(b->out, "submission.o");
    objcheck_info info;
    hr_error why;
    int rc = 0;
    if (objcheck_read(obj, &info, &why) != 0) {
        char msg[1200];
        snprintf(msg, sizeof msg, "Your compiled file could not be checked: %s", why.msg);
        set_failure(out, BUILD_REFUSED, msg);
        free(obj);
        return 0;
    }
    free(obj);
    const char **allowed = allowed_symbols(cfg);
    objcheck_rules rules = {cfg->graded, allowed, (unsigned long long)cfg->run_memory_mb << 20, false};
    size_t ngraded = 0;
    while (cfg->graded[ngraded])
        ngraded++;
    out->defined = calloc(ngraded + 1, sizeof *out->defined);
    out->refused = calloc(ngraded + 1, sizeof *out->refused);
    out->ngraded = ngraded;
    if (!allowed || !out->defined || !out->refused)
        rc = hr_fail(err, "out of memory");
    else if (objcheck_policy(&info, &rules, &why) != 0)
        set_failure(out, BUILD_REFUSED, why.msg);
    else if (objcheck_reach(&info, &rules, cut, &why) != 0)
        set_failure(out, BUILD_REFUSED, "Your compiled file uses too many symbols for the grader to check.");
    for (size_t i = 0; rc == 0 && out->status == BUILD_OK && i < ngraded; i++) {
        out->defined[i] = objcheck_defines_function(&info, cfg->graded[i]) && !cut->why[i];
        if (cut->why[i])
            out->refused[i] = strdup(cut->why[i]);
    }
    if (rc == 0 && out->status == BUILD_OK)
        note_cut(out, cfg, cut);
    if (rc == 0 && out->status == BUILD_OK &&
        !(b->subst_options = subst_options_kept(&info, cfg, out->defined, &why)))
        set_failure(out, BUILD_REFUSED, why.msg);
    free(allowed);
    objcheck_free(&info);
    return rc;
}

/* The options objcopy reads from out/NAME: one per line, quoted. */
static int write_cut(builder *b, const objcheck_cut *cut, const char *subst, const char *name, hr_error *err)
{
    size_t cap = 256 + (subst ? strlen(subst) : 0), len = 0;
    for (char **l[] = {cut->drop, cut->strip}, ***p = l; p < l + 2; p++)
        for (size_t i = 0; (*p)[i]; i++)
            cap += strlen((*p)[i]) + 40;
    for (size_t i = 0; b->cfg->graded[i]; i++)
        cap += strlen(b->cfg->graded[i]) + 40;
    char *text = malloc(cap);
    if (!text)
        return hr_fail(err, "out of memory");
    for (size_t i = 0; cut->drop[i]; i++)
        len += (size_t)snprintf(text + len, cap - len, "--remove-section='%s'\n", cut->drop[i]);
    for (size_t i = 0; cut->strip[i]; i++)
        len += (size_t)snprintf(text + len, cap - len, "--strip-unneeded-symbol='%s'\n", cut->strip[i]);
    bool kept = false;
    for (size_t i = 0; b->cfg->graded[i]; i++)
        if (b->result->defined[i]) {
            len += (size_t)snprintf(text + len, cap - len, "--keep-global-symbol='%s'\n", b->cfg->graded[i]);
            kept = true;
        }
    if (!kept)   /* with no --keep-global-symbol, objcopy would keep them all */
        len += (size_t)snprintf(text + len, cap - len, "--keep-global-symbol=__grader_keeps_nothing\n");
    if (subst)
        len += (size_t)snprintf(text + len, cap - len, "%s", subst);
    char *path = fs_join(b->out, name);
    int rc = write_new(path, text, len, err);
    free(path);
    free(text);
    return rc;
}

/* Cuts and localizes the object, then links the runner. */
static int cut_and_link(builder *b, const objcheck_cut *cut, hr_error *err)
{
    if (write_cut(b, cut, b->subst_options, "objcopy.args", err) != 0)
        return -1;
    const char *const argv[] = {OBJCOPY, "@objcopy.args", "submission.o", "graded.o", NULL};
    sb_result res;
    char how[512];
    if (run_tool(b, argv, b->out, &res, err) != 0)
        return -1;
    if (ended_how(&res, b->cfg, how, sizeof how) || res.exit_code != 0) {
        /* the object passed the checks, yet objcopy cannot cut it: the file
         * is refused rather than the grader failing on it */
        char msg[1200];
        snprintf(msg, sizeof msg, "The grader could not prepare your compiled file for linking: %s",
                 res.err.len ? res.err.data : how);
        set_failure(b->result, BUILD_REFUSED, msg);
    }
    sb_result_free(&res);
    if (b->result->status != BUILD_OK)
        return 0;
    if (run_step(b, TOOLCHAIN_LINK, b->out, &res, err) != 0)
        return -1;
    /* the object passed every check, so a link failure is the student's (a
     * clash with the provided code, say): show the linker's words */
    if (!tool_failed(b, &res, res.err.data))
        b->result->runner = fs_join(b->out, "runner");
    sb_result_free(&res);
    return 0;
}

/* ---- the diagnostic runner --------------------------------------------------------- */

/* What sanitizer instrumentation calls, on top of what the submission may. */
static const char *const SANITIZER_SYMBOLS[] = {"__asan_*", "__ubsan_*", "__sanitizer_*", "__lsan_*",
                                                "__tsan_*", NULL};

/* The diagnostic build ends here, with why (the grade goes on without it). */
static int no_diagnostic(build_diag *d, const char *why, const sb_result *res)
{
    char text[1024];
    /* the tool's messages made safe first, then cut on a character boundary */
    char *said = res && res->err.len ? safetext_make_len(res->err.data, res->err.len, 600, NULL) : NULL;
    snprintf(text, sizeof text, "%s%s%s", why, said ? ": " : "", said ? said : "");
    free(said);
    free(d->note);
    d->note = safetext_make(text);
    return 0;
}

/* Runs a step of the diagnostic build in b->out; 1 when it failed (and noted why). */
static int diag_step(builder *b, build_diag *d, const char *const *argv, const char *what, hr_error *err)
{
    sb_result res;
    if (run_tool(b, argv, b->out, &res, err) != 0)
        return -1;
    char how[512];
    int failed = ended_how(&res, b->cfg, how, sizeof how) || res.exit_code != 0;
    if (failed)
        no_diagnostic(d, what, &res);
    sb_result_free(&res);
    return failed;
}

/* Which graded functions the instrumented object keeps, and the cut that keeps
 * only them (written to diag.args); 1 when it cannot be checked (noted). */
static int diag_cut(builder *b, build_diag *d, hr_error *err)
{
    objcheck_info info;
    hr_error e;
    char *obj = fs_join(b->out, "diag.o");
    int rc = objcheck_read(obj, &info, &e);
    free(obj);
    if (rc != 0)
        return no_diagnostic(d, e.msg, NULL), 1;
    const char **base = allowed_symbols(b->cfg);
    size_t nbase = 0, ngraded = 0;
    while (base && base[nbase])
        nbase++;
    while (b->cfg->graded[ngraded])
        ngraded++;
    const char **allowed = calloc(nbase + sizeof SANITIZER_SYMBOLS / sizeof *SANITIZER_SYMBOLS, sizeof *allowed);
    d->defined = calloc(ngraded + 1, sizeof *d->defined);
    objcheck_cut cut = {0};
    if (!base || !allowed || !d->defined) {
        rc = hr_fail(err, "out of memory");
    } else {
        memcpy(allowed, base, nbase * sizeof *allowed);
        memcpy(allowed + nbase, SANITIZER_SYMBOLS, sizeof SANITIZER_SYMBOLS);
        /* the graded build's object policy, the instrumentation's own module
         * constructor aside (see objcheck.h) */
        objcheck_rules rules = {.graded = b->cfg->graded, .allowed = allowed,
                                .max_static_bytes = (unsigned long long)b->cfg->run_memory_mb << 20,
                                .sanitizer_module_ctor = true};
        if (objcheck_policy(&info, &rules, &e) != 0) {
            rc = 1;
            no_diagnostic(d, e.msg, NULL);
        } else if (objcheck_reach(&info, &rules, &cut, &e) != 0) {
            rc = 1;
            no_diagnostic(d, e.msg, NULL);
        } else {
            for (size_t i = 0; i < ngraded; i++)
                d->defined[i] = objcheck_defines_function(&info, b->cfg->graded[i]) && !cut.why[i];
            /* write_cut keeps what the result says is defined */
            build_result keep = {.defined = d->defined};
            build_result *real = b->result;
            char *subst = subst_options_kept(&info, b->cfg, d->defined, &e);
            b->result = &keep;
            rc = subst ? write_cut(b, &cut, subst, "diag.args", err) : (no_diagnostic(d, e.msg, NULL), 1);
            b->result = real;
            free(subst);
        }
    }
    free(base);
    free(allowed);
    objcheck_free(&info);
    objcheck_cut_free(&cut);
    return rc;
}

/* A step of toolchain.h in the diagnostic build, as diag_step. */
static int diag_toolchain_step(builder *b, build_diag *d, toolchain_step step, const char *what, hr_error *err)
{
    char **argv = step_command(b, step);
    if (!argv)
        return hr_fail(err, "out of memory");
    int rc = diag_step(b, d, (const char *const *)argv, what, err);
    toolchain_command_free(argv);
    return rc;
}

/* The sanitizer build (its flags: toolchain.c) from the vetted submission.i. */
static int diagnostic_steps(builder *b, build_diag *d, hr_error *err)
{
    const char *const as[] = {AS, "--64", "--noexecstack", "-o", "diag.o", "diag.s", NULL};
    const char *const copy[] = {OBJCOPY, "@diag.args", "diag.o", "diag-graded.o", NULL};
    int rc = diag_toolchain_step(b, d, TOOLCHAIN_DIAG_COMPILE, "the sanitizer build did not compile", err);
    if (rc == 0) {
        size_t len;
        char *text = read_output(b, "diag.s", &len, err), why[1024];
        if (!text)
            return -1;
        if (srccheck_assembly(text, len, why, sizeof why) != 0)
            rc = (no_diagnostic(d, why, NULL), 1);
        free(text);
    }
    if (rc == 0)
        rc = diag_step(b, d, as, "the sanitizer build did not assemble", err);
    if (rc == 0)
        rc = diag_cut(b, d, err);
    if (rc == 0)
        rc = diag_step(b, d, copy, "the sanitizer build could not be cut", err);
    if (rc == 0)
        rc = diag_toolchain_step(b, d, TOOLCHAIN_DIAG_LINK, "the sanitizer build did not link", err);
    if (rc == 0)
        d->runner = fs_join(b->out, "diag-runner");
    return rc < 0 ? -1 : 0;
}

int build_diagnostic_runner(sb_box *box, const build_config *cfg, const char *dir, const char *runner_base,
                            build_diag *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    static const char *const system_ro[] = {"/usr", "/bin", "/lib", "/lib64", "/etc/ld.so.cache",
                                            "/etc/alternatives", NULL};
    const char *ro[16];
    size_t n = 0;
    for (; system_ro[n]; n++)
        ro[n] = system_ro[n];
    ro[n++] = runner_base;
    ro[n] = NULL;
    builder b = {.box = box, .cfg = cfg, .out = (char *)dir, .pub_base = (char *)runner_base,
                 .deadline = clock_now_s() + cfg->time_s};
    snprintf(b.tmpdir_env, sizeof b.tmpdir_env, "TMPDIR=%s", dir);   /* the only place it may write */
    b.session = sb_session_open(box, SB_PROFILE_COMPILE, ro, dir, err);
    if (!b.session)
        return -1;
    int rc = diagnostic_steps(&b, out, err);
    sb_session_close(b.session);
    return rc;
}

void build_diag_free(build_diag *d)
{
    free(d->runner);
    free(d->note);
    free(d->defined);
    memset(d, 0, sizeof *d);
}

/* ---- the whole build ------------------------------------------------------------- */

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

static int prepare(builder *b, hr_error *err)
{
    uid_t uid;
    gid_t gid;
    sb_identity(b->box, &uid, &gid);
    /* canonical ("/tmp//x", "a/./b" or a symlink in TMPDIR would make the
     * paths the compiler reports differ from the ones the checks allow) */
    if (!(b->work = realpath(b->work, NULL)))
        return hr_fail(err, "cannot resolve the work folder: %s", strerror(errno));
    b->src = fs_join(b->work, "src");
    b->out = fs_join(b->work, "out");
    b->tmp = fs_join(b->work, "tmp");
    b->pub_include = fs_join(b->work, "pub/include");
    b->pub_base = fs_join(b->work, "pub/runner-base.o");
    if (!b->src || !b->out || !b->tmp || !b->pub_include || !b->pub_base)
        return hr_fail(err, "out of memory");
    snprintf(b->tmpdir_env, sizeof b->tmpdir_env, "TMPDIR=%s", b->tmp);
    if (make_private_dir(b->src, uid, gid, err) || make_private_dir(b->out, uid, gid, err) ||
        make_private_dir(b->tmp, uid, gid, err) || stage_public(b->cfg, b->work, err))
        return -1;
    return 0;
}

/* The compile steps, the checks and the link, in one sandbox session. */
static int build_in_session(builder *b, const char *src_name, hr_error *err)
{
    static const char *const system_ro[] = {"/usr", "/bin", "/lib", "/lib64", "/etc/ld.so.cache",
                                            "/etc/alternatives", NULL};
    const char *const dirs[] = {"/usr/include", "/usr/lib/gcc", "/usr/local/include", b->pub_include, NULL};
    srccheck_rules rules = {src_name, dirs};
    b->source = src_name;
    b->session = sb_session_open(b->box, SB_PROFILE_COMPILE, system_ro, b->work, err);
    if (!b->session)
        return -1;
    objcheck_cut cut = {0};
    int rc = preprocess(b, &rules, err);
    if (rc == 0 && b->result->status == BUILD_OK && b->cfg->on_text_vetted)
        b->cfg->on_text_vetted(b->cfg->on_vetted_arg, b->out, src_name);
    if (rc == 0 && b->result->status == BUILD_OK)
        rc = compile(b, err);
    if (rc == 0 && b->result->status == BUILD_OK)
        rc = assemble(b, err);
    if (rc == 0 && b->result->status == BUILD_OK)
        rc = check_object(b, &cut, err);
    /* the memory checks run only for a file the object checks accepted: a
     * refused file's constructor or ifunc never runs anywhere */
    if (rc == 0 && b->result->status == BUILD_OK && b->cfg->on_vetted)
        b->cfg->on_vetted(b->cfg->on_vetted_arg, b->out, src_name);
    if (rc == 0 && b->result->status == BUILD_OK)
        rc = cut_and_link(b, &cut, err);
    objcheck_cut_free(&cut);
    sb_session_close(b->session);
    b->session = NULL;
    free(b->subst_options);
    b->subst_options = NULL;
    return rc;
}

int build_submission(sb_box *box, const build_config *cfg, const char *submission,
                     const char *work_dir, build_result *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    double t0 = clock_now_s();
    builder b = {.box = box, .cfg = cfg, .work = (char *)work_dir, .deadline = t0 + cfg->time_s,
                 .result = out};
    const char *given = work_dir;
    int rc = prepare(&b, err);
    intake_result in;
    intake_submission(submission, cfg->source_name, &in);
    /* the copy keeps the student's file name, so messages name their file */
    const char *src_name = in.accepted && safe_name(in.name) ? in.name : cfg->source_name;
    out->source = strdup(src_name);
    char why[2048];
    if (rc == 0 && !in.accepted)
        set_failure(out, in.not_text ? BUILD_COMPILE_ERROR : BUILD_NOT_ACCEPTED, in.message);
    if (rc == 0 && in.accepted) {
        if (in.message[0])
            out->note = dup_text(in.message, sizeof in.message);
        char *copy = fs_join(b.src, src_name);
        rc = copy ? write_new(copy, in.text, in.len, err) : hr_fail(err, "out of memory");
        free(copy);
        if (rc == 0 && srccheck_source(in.text, in.len, why, sizeof why) != 0)
            set_failure(out, BUILD_REFUSED, why);
    }
    if (rc == 0 && out->status == BUILD_OK)
        rc = build_in_session(&b, src_name, err);
    intake_result_free(&in);
    if (b.work != given)
        free(b.work);
    free(b.src);
    free(b.out);
    free(b.tmp);
    free(b.pub_include);
    free(b.pub_base);
    out->seconds = clock_now_s() - t0;
    return rc;
}

void build_result_free(build_result *r)
{
    for (size_t i = 0; r->refused && i < r->ngraded; i++)
        free(r->refused[i]);
    free(r->refused);
    free(r->message);
    free(r->warnings);
    free(r->note);
    free(r->runner);
    free(r->source);
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
