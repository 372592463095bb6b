/* batch_roster — see batch_roster.h. */
#include "batch_roster.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "intake.h"

uint64_t roster_hash(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* ---- listing ----------------------------------------------------------------- */

typedef struct {
    dev_t dev;
    ino_t ino;
} file_key;

static bool is_excluded(const struct stat *st, const file_key *keys, size_t nkeys)
{
    for (size_t i = 0; i < nkeys; i++)
        if (keys[i].dev == st->st_dev && keys[i].ino == st->st_ino)
            return true;
    return false;
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const roster_student *)a)->id, ((const roster_student *)b)->id);
}

static int add_skipped(roster *r, size_t *n, const char *name, const char *why)
{
    char **grown = realloc(r->skipped, (*n + 2) * sizeof *grown);
    if (!grown)
        return -1;
    r->skipped = grown;
    if (asprintf(&r->skipped[*n], "%s: %s", name, why) < 0)
        return -1;
    r->skipped[++*n] = NULL;
    return 0;
}

static int add_student(roster *r, size_t *cap, const char *dir, const char *name)
{
    if (r->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        roster_student *grown = realloc(r->students, *cap * sizeof *grown);
        if (!grown)
            return -1;
        r->students = grown;
    }
    roster_student *s = &r->students[r->n];
    s->id = strdup(name);
    s->path = fs_join(dir, name);
    if (!s->id || !s->path) {
        free(s->id);
        free(s->path);
        return -1;
    }
    r->n++;
    return 0;
}

/* Sorts one directory entry into students, skipped, or nothing to say. */
void roster_marker_text(uint64_t key, unsigned long long dev, unsigned long long ino, char *out, size_t len)
{
    static const char tag[] = "gcgrade batch output";
    uint64_t h = roster_hash(key, tag, sizeof tag);
    h = roster_hash(h, &dev, sizeof dev);
    h = roster_hash(h, &ino, sizeof ino);
    /* a second round, so that the token is not one FNV step from the key */
    uint64_t h2 = roster_hash(h ^ 0x9e3779b97f4a7c15ULL, &h, sizeof h);
    snprintf(out, len, "This folder holds outputs of grade.sh --batch: a batch never takes it for a "
             "student's folder.\ntoken %016llx%016llx\n", (unsigned long long)h, (unsigned long long)h2);
}

bool roster_is_output(const char *path, uint64_t key)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return false;
    char *marker = fs_join(path, ROSTER_OUTPUT_MARKER);
    int fd = marker ? open(marker, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) : -1;
    free(marker);
    if (fd < 0)
        return false;
    char got[ROSTER_MARKER_MAX + 1], want[ROSTER_MARKER_MAX];
    struct stat mst;
    ssize_t n = fstat(fd, &mst) == 0 && S_ISREG(mst.st_mode) ? read(fd, got, ROSTER_MARKER_MAX) : -1;
    close(fd);
    if (n < 0)
        return false;
    got[n] = '\0';
    roster_marker_text(key, (unsigned long long)st.st_dev, (unsigned long long)st.st_ino, want, sizeof want);
    return !strcmp(got, want);
}

static int take_entry(roster *r, int dfd, const char *dir, const char *name, const file_key *keys,
                      size_t nkeys, uint64_t key, size_t *cap, size_t *nskipped)
{
    struct stat st;
    if (name[0] == '.')
        return 0;   /* hidden folders (and . and ..) are never students */
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return add_skipped(r, nskipped, name, strerror(errno));
    if (S_ISLNK(st.st_mode)) {
        struct stat target;
        if (fstatat(dfd, name, &target, 0) == 0 && S_ISDIR(target.st_mode))
            return add_skipped(r, nskipped, name, "a symbolic link to a folder, not a folder (copy it in)");
        return 0;
    }
    if (!S_ISDIR(st.st_mode) || is_excluded(&st, keys, nkeys))
        return 0;
    /* a marker counts only when a batch made it for this folder */
    char *path = fs_join(dir, name);
    bool output = path && roster_is_output(path, key);
    free(path);
    if (output)
        return add_skipped(r, nskipped, name, "it holds an earlier batch's outputs (its " ROSTER_OUTPUT_MARKER
                                              " file was made for it)");
    return add_student(r, cap, dir, name);
}

static size_t exclusion_keys(const char *const *exclude, file_key *keys, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; exclude && exclude[i] && n < max; i++) {
        struct stat st;
        if (stat(exclude[i], &st) == 0 && S_ISDIR(st.st_mode))
            keys[n++] = (file_key){st.st_dev, st.st_ino};
    }
    return n;
}

int roster_list(const char *dir, const char *const *exclude, uint64_t key, roster *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    file_key keys[16];
    size_t nkeys = exclusion_keys(exclude, keys, sizeof keys / sizeof *keys);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0)
            close(dfd);
        return hr_fail(err, "cannot open the batch folder %s: %s", dir, strerror(errno));
    }
    size_t cap = 0, nskipped = 0;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL)
        if (take_entry(out, dfd, dir, e->d_name, keys, nkeys, key, &cap, &nskipped) != 0)
            rc = hr_fail(err, "out of memory listing %s", dir);
    closedir(d);
    if (rc != 0) {
        roster_free(out);
        return rc;
    }
    if (out->n)
        qsort(out->students, out->n, sizeof *out->students, by_id);
    return 0;
}

void roster_free(roster *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->students[i].id);
        free(r->students[i].path);
    }
    free(r->students);
    for (size_t i = 0; r->skipped && r->skipped[i]; i++)
        free(r->skipped[i]);
    free(r->skipped);
    memset(r, 0, sizeof *r);
}

/* ---- fingerprint ----------------------------------------------------------- */

static bool ends_with_c(const char *name)
{
    size_t n = strlen(name);
    return n > 2 && !strcmp(name + n - 2, ".c");
}

static uint64_t hash_number(uint64_t h, long long v)
{
    return roster_hash(h, &v, sizeof v);
}

/* One entry: its name, type and size, and a .c file's contents (all that
 * intake may read; a file over intake's cap is refused whatever it holds). */
static uint64_t hash_entry(uint64_t h, const char *dir, const char *name)
{
    h = roster_hash(h, name, strlen(name) + 1);
    char *path = fs_join(dir, name);
    struct stat st;
    if (!path || lstat(path, &st) != 0) {
        h = hash_number(h, -errno);
        free(path);
        return h;
    }
    h = hash_number(h, (long long)(st.st_mode & S_IFMT));
    h = hash_number(h, (long long)st.st_size);
    if (S_ISREG(st.st_mode) && ends_with_c(name) && (size_t)st.st_size <= INTAKE_MAX_BYTES) {
        hr_error ignored;
        size_t len = 0;
        char *text = fs_slurp(path, INTAKE_MAX_BYTES, &len, &ignored);
        h = text ? roster_hash(h, text, len) : hash_number(h, -1);
        free(text);
    }
    free(path);
    return h;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

void roster_fingerprint(const char *path, uint64_t salt, char out[ROSTER_FINGERPRINT_LEN])
{
    uint64_t h = salt;
    struct dirent **names = NULL;
    int n = scandir(path, &names, NULL, by_name);
    if (n < 0)
        h = hash_number(h, -errno);
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))
            h = hash_entry(h, path, names[i]->d_name);
        free(names[i]);
    }
    free(names);
    snprintf(out, ROSTER_FINGERPRINT_LEN, "%016llx", (unsigned long long)h);
}
