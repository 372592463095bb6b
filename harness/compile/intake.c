/* intake — see intake.h. */
#include "intake.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"
#include "safetext.h"

bool intake_is_text(const unsigned char *s, size_t len, size_t *bad)
{
    for (size_t i = 0; i < len;) {
        uint32_t v = 0;
        size_t n = safetext_char(s + i, len - i, &v);
        /* no NUL, no control byte other than tab, newline, carriage return, form feed */
        if (n == 0 || (v < 0x20 && v != '\t' && v != '\n' && v != '\r' && v != '\f')) {
            if (bad)
                *bad = i;
            return false;
        }
        i += n;
    }
    return true;
}

static bool ends_with_c(const char *name)
{
    size_t n = strlen(name);
    return n > 2 && !strcmp(name + n - 2, ".c");
}

/* Picks the file to grade in a folder. Returns a new path, or NULL with a message. */
static char *pick_file(const char *dir, const char *expected, intake_result *out)
{
    char *path = fs_join(dir, expected);
    struct stat st;
    if (path && lstat(path, &st) == 0)
        return path;
    free(path);
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(out->message, sizeof out->message, "cannot open the submission folder %s: %s", dir,
                 strerror(errno));
        return NULL;
    }
    char *only = NULL, *nested = NULL;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (!ends_with_c(e->d_name)) {
            /* a folder holding the file (an upload of the folder, a zip's
             * top folder): named in the message, never graded */
            char *inner = nested ? NULL : fs_join(dir, e->d_name), *file = inner ? fs_join(inner, expected) : NULL;
            if (file && lstat(inner, &st) == 0 && S_ISDIR(st.st_mode) && lstat(file, &st) == 0)
                nested = strdup(e->d_name);
            free(inner);
            free(file);
            continue;
        }
        if (++count == 1)
            only = strdup(e->d_name);
    }
    closedir(d);
    if (count == 1) {
        snprintf(out->message, sizeof out->message,
                 "There is no %s in the submission; graded %s, the only .c file there.", expected, only);
        path = fs_join(dir, only);
        free(only);
        free(nested);
        return path;
    }
    free(only);
    if (count == 0 && nested)
        snprintf(out->message, sizeof out->message,
                 "The submission has no %s at its top, but the folder %s/ inside it holds one. Submit the "
                 "file itself, not a folder holding it.", expected, nested);
    else if (count == 0)
        snprintf(out->message, sizeof out->message,
                 "The submission has no %s (and no other .c file). Submit your %s.", expected, expected);
    else
        snprintf(out->message, sizeof out->message,
                 "The submission has no %s but %d other .c files; which one to grade is not clear. "
                 "Name your file %s.", expected, count, expected);
    free(nested);
    return NULL;
}

static void refuse(intake_result *out, const char *fmt, const char *a, size_t n)
{
    char note[sizeof out->message];
    snprintf(note, sizeof note, "%s", out->message);
    snprintf(out->message, sizeof out->message, fmt, a, n);
    if (note[0]) {
        size_t used = strlen(out->message);
        snprintf(out->message + used, sizeof out->message - used, " (%s)", note);
    }
    out->accepted = false;
}

void intake_submission(const char *given, const char *expected, intake_result *out)
{
    memset(out, 0, sizeof *out);
    /* "folder/" would make lstat follow a symlinked folder */
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", given);
    for (size_t n = strlen(path); n > 1 && path[n - 1] == '/'; n--)
        path[n - 1] = '\0';
    struct stat st;
    if (lstat(path, &st) != 0) {
        snprintf(out->message, sizeof out->message, "The submission %s does not exist.", path);
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        snprintf(out->message, sizeof out->message,
                 "The submission %s is a symbolic link; give the folder or the file itself.", path);
        return;
    }
    char *file = S_ISDIR(st.st_mode) ? pick_file(path, expected, out) : strdup(path);
    if (!file)
        return;
    out->original = file;
    const char *slash = strrchr(file, '/');
    out->name = slash ? slash + 1 : file;
    if (lstat(file, &st) != 0)
        return refuse(out, "Cannot read %s.", file, 0);
    if (S_ISLNK(st.st_mode))
        return refuse(out, "%s is a symbolic link; submit the file itself.", file, 0);
    if (!S_ISREG(st.st_mode))
        return refuse(out, "%s is not a regular file.", file, 0);
    if ((size_t)st.st_size > INTAKE_MAX_BYTES)
        return refuse(out, "%s is too large (%zu bytes); the limit is 1 MiB.", file, (size_t)st.st_size);
    hr_error readerr;
    size_t len;
    char *text = fs_slurp(file, INTAKE_MAX_BYTES, &len, &readerr);
    if (!text)
        return refuse(out, "Cannot read %s.", file, 0);
    const unsigned char *u = (const unsigned char *)text;
    size_t skip = len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf ? 3 : 0;
    size_t bad;
    if (len == skip) {
        free(text);
        return refuse(out, "%s is empty.", file, 0);
    }
    if (!intake_is_text(u + skip, len - skip, &bad)) {
        free(text);
        out->not_text = true;
        return refuse(out, "%s is not a C source file: it has binary or non-UTF-8 bytes (first at byte %zu).",
                      file, bad + skip);
    }
    memmove(text, text + skip, len - skip + 1);
    out->text = text;
    out->len = len - skip;
    out->accepted = true;
}

void intake_result_free(intake_result *r)
{
    free(r->original);
    free(r->text);
    memset(r, 0, sizeof *r);
}
