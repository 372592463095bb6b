/*
 * test_layers — the harness's architecture, checked: harness/ has a folder
 * per concern, in the order a submission travels, and a module uses only
 * modules of its own folder or of folders before it. A module (NAME.c and
 * NAME.h) depends on another when it includes that one's header; the
 * dependencies within a folder must have no cycle either, the folder's
 * contract aside: harness/X/X.h (sandbox.h, report.h...) holds the types its
 * folder's modules share, and any of them may use it. Read from the
 * sources, so a new include that points upward fails here with the file and
 * the header named.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* Lower first: a folder may use those before it. */
static const char *const ORDER[] = {"core", "sandbox", "rubric", "pack", "compile", "run", "score",
                                    "grade", "report", "batch", "cli", "packgen", "kitgen"};
#define NFOLDERS (sizeof ORDER / sizeof *ORDER)
#define MAX_MODULES 128

typedef struct {
    char name[64];               /* file name without .c/.h */
    size_t folder;               /* index in ORDER */
    char includes[64][64];       /* the harness headers it includes (names without .h) */
    size_t nincludes;
} module;

static module modules[MAX_MODULES];
static size_t nmodules;

static module *find(const char *name)
{
    for (size_t i = 0; i < nmodules; i++)
        if (!strcmp(modules[i].name, name))
            return &modules[i];
    return NULL;
}

static void read_includes(const char *path, module *m)
{
    char *text = tu_read(path, NULL);
    cr_assert_not_null(text, "cannot read %s", path);
    for (char *p = text; (p = strstr(p, "#include \"")); p++) {
        char *name = p + 10, *end = strchr(name, '"');
        if (!end || end - name < 3 || strncmp(end - 2, ".h", 2) || (size_t)(end - name) >= 64)
            continue;
        char header[64];
        snprintf(header, sizeof header, "%.*s", (int)(end - name - 2), name);
        if (!strcmp(header, m->name))
            continue;
        bool seen = false;
        for (size_t i = 0; i < m->nincludes; i++)
            seen = seen || !strcmp(m->includes[i], header);
        if (!seen && m->nincludes < 64)
            snprintf(m->includes[m->nincludes++], 64, "%s", header);
    }
    free(text);
}

static void load_modules(void)
{
    nmodules = 0;
    for (size_t f = 0; f < NFOLDERS; f++) {
        char dir[128];
        snprintf(dir, sizeof dir, "harness/%s", ORDER[f]);
        DIR *d = opendir(dir);
        cr_assert_not_null(d, "harness/%s is missing", ORDER[f]);
        for (struct dirent *e; (e = readdir(d));) {
            size_t n = strlen(e->d_name);
            if (n < 3 || e->d_name[n - 2] != '.' || (e->d_name[n - 1] != 'c' && e->d_name[n - 1] != 'h'))
                continue;
            char name[64];
            snprintf(name, sizeof name, "%.*s", (int)(n - 2), e->d_name);
            module *m = find(name);
            if (!m) {
                cr_assert_lt(nmodules, MAX_MODULES);
                m = &modules[nmodules++];
                memset(m, 0, sizeof *m);
                snprintf(m->name, sizeof m->name, "%s", name);
                m->folder = f;
            }
            cr_assert_eq(m->folder, f, "%s is in two folders", name);
            char path[256];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            read_includes(path, m);
        }
        closedir(d);
    }
}

Test(layers, every_module_lives_in_a_folder_of_the_order)
{
    DIR *d = opendir("harness");
    cr_assert_not_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        cr_expect(!(n > 2 && e->d_name[n - 2] == '.' && (e->d_name[n - 1] == 'c' || e->d_name[n - 1] == 'h')),
                  "harness/%s is outside the concern folders", e->d_name);
    }
    closedir(d);
}

Test(layers, no_module_uses_a_later_folder)
{
    load_modules();
    cr_assert_gt(nmodules, 30, "found only %zu modules", nmodules);
    for (size_t i = 0; i < nmodules; i++)
        for (size_t k = 0; k < modules[i].nincludes; k++) {
            const module *used = find(modules[i].includes[k]);
            if (!used)
                continue;   /* a header from elsewhere (an assignment's, the tests') */
            cr_expect_leq(used->folder, modules[i].folder, "%s (harness/%s) uses %s.h of harness/%s, a later folder",
                          modules[i].name, ORDER[modules[i].folder], used->name, ORDER[used->folder]);
        }
}

/* Depth-first search for a cycle through m among modules of one folder. */
static bool cycles(const module *m, const module *start, int depth, char *path, size_t len)
{
    if (depth > 64)
        return false;
    for (size_t k = 0; k < m->nincludes; k++) {
        const module *next = find(m->includes[k]);
        if (!next || next->folder != start->folder || !strcmp(next->name, ORDER[next->folder]))
            continue;
        if (next == start || cycles(next, start, depth + 1, path, len)) {
            size_t used = strlen(path);
            snprintf(path + used, len - used, " <- %s", m->name);
            return true;
        }
    }
    return false;
}

Test(layers, no_cycle_within_a_folder)
{
    load_modules();
    for (size_t i = 0; i < nmodules; i++) {
        char path[1024] = "";
        cr_expect(!cycles(&modules[i], &modules[i], 0, path, sizeof path), "a cycle: %s%s", modules[i].name, path);
    }
}
