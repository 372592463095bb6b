/* choose — see choose.h. */
#include "choose.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "jsonio.h"

#define CHOOSE_MAX 64

typedef struct {
    char *name;       /* the folder's name: the assignment's id */
    char *source;     /* the file students submit */
    size_t holders;   /* submissions holding that file */
} built;

/* The assignments built in packs, sorted by name; their count, or -1. */
static int list_built(const char *packs, built *out)
{
    DIR *d = opendir(packs);
    if (!d)
        return -1;
    int n = 0;
    for (struct dirent *e; n < CHOOSE_MAX && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char *dir = fs_join(packs, e->d_name), *path = dir ? fs_join(dir, "pack.json") : NULL;
        hr_error err;
        cJSON *doc = path && fs_is_file(path) ? jsonio_read_file(path, &err) : NULL;
        const char *source = cJSON_GetStringValue(jsonio_get(doc, "source"));
        if (source) {
            out[n] = (built){strdup(e->d_name), strdup(source), 0};
            int i = n++;
            for (; i > 0 && strcmp(out[i - 1].name, out[i].name) > 0; i--) {
                built t = out[i];
                out[i] = out[i - 1];
                out[i - 1] = t;
            }
        }
        cJSON_Delete(doc);
        free(path);
        free(dir);
    }
    closedir(d);
    return n;
}

/* Does the submission (a folder, or a file) hold source? */
static bool holds(const char *submission, const char *source)
{
    const char *base = strrchr(submission, '/');
    base = base ? base + 1 : submission;
    if (fs_is_file(submission))
        return !strcmp(base, source);
    char *path = fs_join(submission, source);
    bool yes = path && fs_is_file(path);
    free(path);
    return yes;
}

/* Counts, per assignment, the students' folders of a class that hold its file. */
static void count_class(const char *class_dir, built *b, int n)
{
    DIR *d = opendir(class_dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char *student = fs_join(class_dir, e->d_name);
        for (int i = 0; student && fs_is_dir(student) && i < n; i++)
            b[i].holders += holds(student, b[i].source);
        free(student);
    }
    if (d)
        closedir(d);
}

static void list_names(const built *b, int n, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, "%s%s (%s)", i ? ", " : "", b[i].name, b[i].source);
}

int choose_assignment(const char *packs, const char *name, const char *target, bool batch, char **dir,
                      char *why, size_t whylen)
{
    built b[CHOOSE_MAX];
    int n = list_built(packs, b);
    *dir = NULL;
    if (n <= 0) {
        snprintf(why, whylen, "no assignment is built in %s (run make)", packs);
        return -1;
    }
    char names[1024];
    list_names(b, n, names, sizeof names);
    int pick = -1, matches = 0;
    if (name) {
        for (int i = 0; i < n; i++)
            if (!strcmp(b[i].name, name))
                pick = i;
        if (pick < 0)
            snprintf(why, whylen, "unknown assignment '%s' (the assignments: %s)", name, names);
    } else if (!target) {   /* nothing to look into (a merge of reports): the one assignment there is */
        if (n == 1)
            pick = 0;
        else
            snprintf(why, whylen, "say which assignment with --assignment NAME (the assignments: %s)", names);
    } else {
        if (batch)
            count_class(target, b, n);
        for (int i = 0; i < n; i++) {
            if (!batch)
                b[i].holders = holds(target, b[i].source);
            if (b[i].holders) {
                matches++;
                pick = i;
            }
        }
        if (matches == 0 && n == 1)
            pick = 0;   /* the one assignment there is: its intake says what is wrong */
        else if (matches != 1) {
            pick = -1;
            snprintf(why, whylen, "%s %s; say which with --assignment NAME (the assignments: %s)", target,
                     matches ? "holds the files of several assignments" : "holds no assignment's file",
                     names);
        }
    }
    if (pick >= 0)
        *dir = fs_join(packs, b[pick].name);
    for (int i = 0; i < n; i++) {
        free(b[i].name);
        free(b[i].source);
    }
    return *dir ? 0 : -1;
}
