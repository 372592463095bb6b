/* toolchain — see toolchain.h. */
#include "toolchain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cflags.h"
#include "jsonio.h"

#define GCC "/usr/bin/gcc"
/* gold links a runner in half the time of the default linker, a fifth less
 * again reading its inputs instead of mapping them whole (half the page
 * faults) and without a build id, which nothing reads. No linker plugin:
 * nothing is built for link-time optimisation, and without it the driver
 * writes no temporary file for the linker, so its command is the same for
 * every submission. */
#define LINK_FAST "-fuse-ld=gold", "-fno-use-linker-plugin", "-Wl,--no-map-whole-files", "-Wl,--build-id=none"

/* -H names every file read, as it is read; no caret: a failed step's
 * messages must not quote a file before the grader has vetted it. */
static const char *const PREPROCESS[] = {
    GCC, "-E", "-std=gnu11", "-H", "-Wall", "-Wextra", "-fno-diagnostics-show-caret",
    "-fdiagnostics-color=never", "-fno-working-directory", "-I" TOOLCHAIN_INCLUDE, TOOLCHAIN_SOURCE,
    "-o", "../out/submission.i", NULL};

static const char *const COMPILE[] = {
    GCC, "-S", CFLAGS_SUBMISSION, "-ffunction-sections", "-fdata-sections", "-fno-asynchronous-unwind-tables",
    "-fno-unwind-tables", CFLAGS_WARNINGS, "-fdiagnostics-color=never", "-x", "cpp-output",
    "../out/submission.i", "-o", "../out/submission.s", NULL};

static const char *const LINK[] = {
    GCC, LINK_FAST, "-o", "runner", "-Wl,-z,noexecstack", "-Wl,-z,relro", "-Wl,-z,now", TOOLCHAIN_BASE,
    "graded.o", CFLAGS_RUNNER_LIBS, NULL};

/* -O0 and line tables only: the sanitizers' instrumentation costs least to
 * compile there (under half the time of -O1), and every line is the
 * source's; frame pointers let the sanitizers unwind without the unwind
 * tables, on every malloc and free. Of UndefinedBehaviorSanitizer, not the
 * checks on each pointer (null, alignment, pointer-overflow: two fifths of
 * the compile): AddressSanitizer reports the crash or the access out of
 * bounds they lead to, with its line. Each access's check is a call into the
 * runtime rather than inline code (call threshold 0): the same check, a
 * fifth less to compile and a smaller file to assemble. */
static const char *const DIAG_COMPILE[] = {
    GCC, "-S", CFLAGS_SUBMISSION, "-O0", "-ffunction-sections", "-fdata-sections",
    "-fsanitize=address,undefined", "-fno-sanitize=null,alignment,pointer-overflow",
    "--param=asan-instrumentation-with-call-threshold=0", "-fno-omit-frame-pointer", "-g1", "-w",
    "-fdiagnostics-color=never", "-x", "cpp-output", "submission.i", "-o", "diag.s", NULL};

static const char *const DIAG_LINK[] = {
    GCC, LINK_FAST, "-fsanitize=address,undefined", "-o", "diag-runner", TOOLCHAIN_BASE, "diag-graded.o",
    CFLAGS_RUNNER_LIBS, NULL};

static const char *const *const TEMPLATES[TOOLCHAIN_STEPS] = {PREPROCESS, COMPILE, LINK, DIAG_COMPILE,
                                                               DIAG_LINK};
static const char *const NAMES[TOOLCHAIN_STEPS] = {"preprocess", "compile", "link", "diag_compile",
                                                   "diag_link"};

/* The probed commands (NULL: the driver's). */
static char **direct[TOOLCHAIN_STEPS];

const char *toolchain_step_name(toolchain_step step)
{
    return NAMES[step];
}

const char *const *toolchain_driver_template(toolchain_step step)
{
    return TEMPLATES[step];
}

bool toolchain_direct(void)
{
    return direct[0] != NULL;
}

void toolchain_command_free(char **argv)
{
    for (char **a = argv; a && *a; a++)
        free(*a);
    free(argv);
}

void toolchain_unload(void)
{
    for (int s = 0; s < TOOLCHAIN_STEPS; s++) {
        toolchain_command_free(direct[s]);
        direct[s] = NULL;
    }
}

/* The placeholders, in the order of toolchain_names' fields. */
static const char *const HOLDERS[] = {TOOLCHAIN_SOURCE, TOOLCHAIN_INCLUDE, TOOLCHAIN_BASE};
#define NHOLDERS (sizeof HOLDERS / sizeof *HOLDERS)

bool toolchain_word_fillable(const char *word)
{
    for (size_t i = 0; i < NHOLDERS; i++) {
        const char *at = strstr(word, HOLDERS[i]);
        if (at && strcmp(at, HOLDERS[i]) != 0)
            return false;
    }
    return true;
}

/* arg with a placeholder at its end ("-I" TOOLCHAIN_INCLUDE) given its value. */
static char *fill_one(const char *arg, const toolchain_names *n)
{
    const char *const values[NHOLDERS] = {n->source, n->include_dir, n->runner_base};
    size_t len = strlen(arg);
    for (size_t i = 0; i < NHOLDERS; i++) {
        size_t h = strlen(HOLDERS[i]);
        if (len >= h && !strcmp(arg + len - h, HOLDERS[i])) {
            size_t keep = len - h, vlen = strlen(values[i]);
            char *out = malloc(keep + vlen + 1);
            if (out) {
                memcpy(out, arg, keep);
                memcpy(out + keep, values[i], vlen + 1);
            }
            return out;
        }
    }
    return strdup(arg);
}

char **toolchain_fill(const char *const *template_argv, const toolchain_names *names)
{
    size_t n = 0;
    while (template_argv[n])
        n++;
    char **argv = calloc(n + 1, sizeof *argv);
    for (size_t i = 0; argv && i < n; i++)
        if (!(argv[i] = fill_one(template_argv[i], names))) {
            toolchain_command_free(argv);
            return NULL;
        }
    return argv;
}

char **toolchain_command(toolchain_step step, const toolchain_names *names)
{
    const char *const *t = direct[step] ? (const char *const *)direct[step] : TEMPLATES[step];
    return toolchain_fill(t, names);
}

/* ---- toolchain.json ------------------------------------------------------------ */

/* 1 (with why) when a program named by the file is not the one probed. */
static int programs_unchanged(const cJSON *programs, char *why, size_t len)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, programs) {
        const cJSON *path = jsonio_get(p, "path"), *size = jsonio_get(p, "size"), *mtime = jsonio_get(p, "mtime");
        struct stat st;
        if (!cJSON_IsString(path) || !cJSON_IsNumber(size) || !cJSON_IsNumber(mtime)) {
            snprintf(why, len, "a program's entry is incomplete");
            return 1;
        }
        if (stat(path->valuestring, &st) != 0 || (double)st.st_size != size->valuedouble ||
            (double)st.st_mtime != mtime->valuedouble) {
            snprintf(why, len, "%s changed since make probed it", path->valuestring);
            return 1;
        }
    }
    return 0;
}

static char **read_command(const cJSON *list)
{
    int n = cJSON_GetArraySize(list);
    if (!cJSON_IsArray(list) || n < 1)
        return NULL;
    char **argv = calloc((size_t)n + 1, sizeof *argv);
    for (int i = 0; argv && i < n; i++) {
        const cJSON *a = cJSON_GetArrayItem(list, i);
        if (!cJSON_IsString(a) || !(argv[i] = strdup(a->valuestring)) || (i == 0 && argv[0][0] != '/')) {
            toolchain_command_free(argv);
            return NULL;
        }
    }
    return argv;
}

int toolchain_load(const char *path, char *why, size_t why_len, hr_error *err)
{
    toolchain_unload();
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(why, why_len, "%s is absent", path);
        return 1;
    }
    cJSON *doc = jsonio_read_file(path, err);
    if (!doc)
        return -1;
    const cJSON *programs = jsonio_get(doc, "programs"), *steps = jsonio_get(doc, "steps");
    int rc = cJSON_IsArray(programs) && cJSON_IsObject(steps) ? 0
             : hr_fail(err, "%s: expected {\"programs\": [...], \"steps\": {...}} (run make again)", path);
    if (rc == 0 && programs_unchanged(programs, why, why_len))
        rc = 1;
    for (int s = 0; rc == 0 && s < TOOLCHAIN_STEPS; s++)
        if (!(direct[s] = read_command(jsonio_get(steps, NAMES[s]))))
            rc = hr_fail(err, "%s: no usable command for the step %s (run make again)", path, NAMES[s]);
    if (rc != 0)
        toolchain_unload();
    cJSON_Delete(doc);
    return rc;
}
