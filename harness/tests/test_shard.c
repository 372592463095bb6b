/*
 * A class graded in shards (issue 13, "Scale past one machine"): the share of
 * a student depends on the id alone; three shards merged give the gradebook
 * and the class page of one machine grading the whole class, byte for byte;
 * a shard stopped by SIGINT half-way resumes as a batch does, and the merge
 * refuses it until it is finished; a student added later lands in one shard
 * and moves nobody; and the merge names what is wrong with the folders it is
 * given (a shard missing or twice, another split, another build, another
 * assignment, a damaged or absent manifest) instead of writing a short or
 * mixed gradebook.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch_shard.h"
#include "fsutil.h"
#include "testutil.h"

#define SHARDS 3

/* ---- small helpers ---------------------------------------------------------------- */

static char *path_of(const char *dir, const char *name)
{
    char *p;
    cr_assert_gt(asprintf(&p, "%s/%s", dir, name), 0);
    return p;
}

static char *shard_path(const char *class_dir, const char *what, unsigned k, const char *ext)
{
    char *p;
    cr_assert_gt(asprintf(&p, "%s/shards/%s-%u-of-%d%s", class_dir, what, k, SHARDS, ext), 0);
    return p;
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* The example submissions a class is made of (the endless loop left out: it
 * costs seconds and proves nothing here). */
static const char *const examples[] = {
    "s01-correct-own-style", "s02-untouched-template", "s03-forward-theta-plus-x",
    "s04-gradapprox-over-epsilon", "s05-compile-error", "s07-theta-plus-never-reset",
    "s08-recomputes-the-gradients", "s09-message-with-percent-f",
};
#define NEXAMPLES (sizeof examples / sizeof *examples)

/* Student i: example i mod NEXAMPLES with a comment of its own (so no two
 * students hand in the same bytes). */
static void add_student(const char *class_dir, size_t i)
{
    char *from, *id;
    cr_assert_gt(asprintf(&from, "examples/gradient_check/%s/gradient_check.c", examples[i % NEXAMPLES]), 0);
    cr_assert_gt(asprintf(&id, "%s/st%03zu-%s", class_dir, i, examples[i % NEXAMPLES] + 4), 0);
    char *text = tu_read(from, NULL);
    cr_assert_not_null(text, "no %s", from);
    char *edited;
    cr_assert_gt(asprintf(&edited, "/* student %zu */\n%s", i, text), 0);
    free(tu_write(id, "gradient_check.c", edited, strlen(edited)));
    free(edited);
    free(text);
    free(from);
    free(id);
}

static char *make_class(size_t n)
{
    char *dir = tu_tmpdir("shard-class");
    for (size_t i = 0; i < n; i++)
        add_student(dir, i);
    return dir;
}

static tu_result grader(const char *const *args)
{
    const char *argv[32] = {TU_GRADER, "--assignment", TU_ASSIGNMENT};
    size_t n = 3;
    for (size_t i = 0; args[i]; i++) {
        cr_assert_lt(n, 31);
        argv[n++] = args[i];
    }
    argv[n] = NULL;
    return tu_run(argv);
}

static void run_shard(const char *class_dir, unsigned k, const char *must_say)
{
    char share[32];
    snprintf(share, sizeof share, "%u/%d", k, SHARDS);
    tu_result r = grader((const char *[]){"--batch", class_dir, "--shard", share, "--jobs", "2", "--no-progress",
                                          NULL});
    cr_assert_eq(r.status, 0, "shard %s: exit %d: %s", share, r.status, r.err);
    if (must_say)
        cr_expect_not_null(strstr(r.err, must_say), "shard %s should say '%s': %s", share, must_say, r.err);
    tu_result_free(&r);
}

/* --merge OUT with the given reports folders; returns the result. */
static tu_result merge(const char *out, const char *const *dirs)
{
    const char *args[16] = {"--merge", out};
    size_t n = 2;
    for (size_t i = 0; dirs[i]; i++)
        args[n++] = dirs[i];
    args[n] = NULL;
    return grader(args);
}

static void expect_refused(const char *out, const char *const *dirs, const char *must_say)
{
    tu_result r = merge(out, dirs);
    cr_expect_eq(r.status, 1, "a merge that must fail exited %d: %s", r.status, r.err);
    cr_expect_not_null(strstr(r.err, must_say), "the merge should say '%s': %s", must_say, r.err);
    char *csv = path_of(out, "grades.csv");
    cr_expect(!fs_is_file(csv), "a refused merge wrote %s", csv);
    free(csv);
    tu_result_free(&r);
}

static void expect_same_file(const char *a, const char *b)
{
    size_t la = 0, lb = 0;
    char *ta = tu_read(a, &la), *tb = tu_read(b, &lb);
    cr_assert(ta && tb, "missing %s or %s", a, b);
    cr_expect(la == lb && !memcmp(ta, tb, la), "%s (%zu bytes) and %s (%zu bytes) differ", a, la, b, lb);
    free(ta);
    free(tb);
}

static size_t count_reports(const char *dir)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        n += e->d_name[0] != '.' && len > 5 && !strcmp(e->d_name + len - 5, ".json");
    }
    if (d)
        closedir(d);
    return n;
}

static size_t lines_of(const char *path)
{
    char *text = tu_read(path, NULL);
    size_t n = 0;
    for (char *p = text; p && *p; p++)
        n += *p == '\n';
    free(text);
    return n;
}

/* Starts shard k, stops it with SIGINT once `after` of its students have
 * reports, and checks that it ended by that signal. */
static void interrupt_shard(const char *class_dir, unsigned k, size_t after)
{
    char share[32];
    snprintf(share, sizeof share, "%u/%d", k, SHARDS);
    const char *argv[] = {TU_GRADER, "--assignment", TU_ASSIGNMENT, "--batch", class_dir, "--shard", share,
                          "--jobs", "1", "--no-progress", NULL};
    char *reports = shard_path(class_dir, "reports", k, "");
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    for (int i = 0; i < 9000 && count_reports(reports) < after; i++)
        sleep_s(0.02);
    kill(pid, SIGINT);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT, "shard %s did not end by SIGINT (%#x)", share,
              status);
    cr_assert_geq(count_reports(reports), after, "shard %s never had %zu reports", share, after);
    free(reports);
}

/* ---- the shares -------------------------------------------------------------------- */

Test(shard_units, parse_takes_k_of_n_and_nothing_else)
{
    unsigned k = 0, n = 0;
    char why[300];
    cr_expect_eq(shard_parse("2/3", &k, &n, why, sizeof why), 0);
    cr_expect(k == 2 && n == 3);
    cr_expect_eq(shard_parse("1/1", &k, &n, why, sizeof why), 0);
    cr_expect_eq(shard_parse("100000/100000", &k, &n, why, sizeof why), 0);
    static const char *const bad[] = {"0/3", "4/3", "3", "/3", "1/", "1/0", "-1/3", "1/-3", "a/b", "1/3x",
                                      " 1/3", "1/ 3", "1/100001", "99999999999999999999/3", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cr_expect_eq(shard_parse(bad[i], &k, &n, why, sizeof why), -1, "'%s' was taken", bad[i]);
        cr_expect_not_null(strstr(why, "K/N"), "%s", why);
    }
}

Test(shard_units, shares_are_even_and_depend_on_the_id_alone)
{
    enum { IDS = 3000 };
    unsigned first[IDS], counts[SHARDS + 1] = {0};
    char id[32];
    for (unsigned i = 0; i < IDS; i++) {
        snprintf(id, sizeof id, "student%04u", i);
        first[i] = shard_of(id, SHARDS);
        cr_assert(first[i] >= 1 && first[i] <= SHARDS, "%s went to shard %u", id, first[i]);
        counts[first[i]]++;
    }
    for (unsigned k = 1; k <= SHARDS; k++)   /* 1000 expected each; 4.5 sigma is about 116 */
        cr_expect(counts[k] > 880 && counts[k] < 1120, "shard %u got %u of %d", k, counts[k], IDS);
    /* asked again after other ids were hashed, in another order: the same shares */
    for (unsigned i = IDS; i-- > 0;) {
        snprintf(id, sizeof id, "student%04u", i);
        cr_expect_eq(shard_of(id, SHARDS), first[i], "%s moved", id);
    }
    /* ids that differ in one byte spread too (the low bits of FNV alone would not) */
    unsigned seen[SHARDS + 1] = {0};
    for (char c = 'a'; c <= 'z'; c++) {
        char one[2] = {c, 0};
        seen[shard_of(one, SHARDS)]++;
    }
    for (unsigned k = 1; k <= SHARDS; k++)
        cr_expect_gt(seen[k], 3, "one-letter ids: shard %u got %u of 26", k, seen[k]);
    cr_expect_eq(shard_of("anything", 1), 1);
}

/* ---- a class in three shards ------------------------------------------------------- */

#define CLASS 24

Test(shard, three_shards_merged_are_the_whole_class_run, .timeout = 900)
{
    setenv("SOURCE_DATE_EPOCH", "1767225600", 1);   /* the class pages' "Generated" time */
    char *class_dir = make_class(CLASS), *whole = tu_tmpdir("shard-whole");
    char *csv = path_of(whole, "grades.csv"), *reports = path_of(whole, "reports"),
         *page = path_of(whole, "class-report.html");
    tu_result r = grader((const char *[]){"--batch", class_dir, "--csv", csv, "--reports", reports,
                                          "--class-report", page, "--jobs", "2", "--no-progress", NULL});
    cr_assert_eq(r.status, 0, "the whole class: exit %d: %s", r.status, r.err);
    tu_result_free(&r);
    cr_assert_eq(lines_of(csv), CLASS + 1);

    /* shards 1 and 2 whole; shard 3 stopped by SIGINT after its first report */
    run_shard(class_dir, 1, "(shard 1 of 3)");
    run_shard(class_dir, 2, NULL);
    unsigned in3 = 0;
    char id[64];
    for (size_t i = 0; i < CLASS; i++) {
        snprintf(id, sizeof id, "st%03zu-%s", i, examples[i % NEXAMPLES] + 4);
        in3 += shard_of(id, SHARDS) == 3;
    }
    cr_assert_geq(in3, 3, "shard 3 has %u students: too few to stop it half-way", in3);
    interrupt_shard(class_dir, 3, 1);
    char *r3 = shard_path(class_dir, "reports", 3, "");
    size_t done3 = count_reports(r3);
    cr_assert_lt(done3, in3, "shard 3 finished before the signal (%zu of %u)", done3, in3);

    char *dirs[SHARDS + 1] = {0};
    for (unsigned k = 1; k <= SHARDS; k++)
        dirs[k - 1] = shard_path(class_dir, "reports", k, "");
    char *merged = tu_tmpdir("shard-merged"), *refused = path_of(merged, "not-yet");
    expect_refused(refused, (const char *const *)dirs, "shard 3 of 3");
    expect_refused(refused, (const char *const *)dirs, "is not finished");

    char said[80];
    snprintf(said, sizeof said, "%zu of %u students already graded", done3, in3);
    run_shard(class_dir, 3, said);
    r = merge(merged, (const char *const *)dirs);
    cr_assert_eq(r.status, 0, "the merge: exit %d: %s", r.status, r.err);
    tu_result_free(&r);
    char *mcsv = path_of(merged, "grades.csv"), *mpage = path_of(merged, "class-report.html");
    expect_same_file(csv, mcsv);
    expect_same_file(page, mpage);
    size_t rows = 0;   /* the shards' own gradebooks hold the class once between them */
    for (unsigned k = 1; k <= SHARDS; k++) {
        char *book = shard_path(class_dir, "grades", k, ".csv");
        rows += lines_of(book) - 1;
        free(book);
    }
    cr_expect_eq(rows, CLASS);

    /* a student added later goes to one shard: only that shard is run again */
    add_student(class_dir, CLASS);
    snprintf(id, sizeof id, "st%03d-%s", CLASS, examples[CLASS % NEXAMPLES] + 4);
    unsigned k_new = shard_of(id, SHARDS);
    r = grader((const char *[]){"--batch", class_dir, "--csv", csv, "--reports", reports, "--class-report", page,
                                "--jobs", "2", "--no-progress", NULL});
    cr_assert_eq(r.status, 0, "the whole class again: exit %d: %s", r.status, r.err);
    cr_expect_not_null(strstr(r.err, "24 of 25 students already graded"), "%s", r.err);
    tu_result_free(&r);
    char share_said[80];
    char *rk = shard_path(class_dir, "reports", k_new, "");
    size_t before = count_reports(rk);
    snprintf(share_said, sizeof share_said, "%zu of %zu students already graded", before, before + 1);
    run_shard(class_dir, k_new, share_said);
    r = merge(merged, (const char *const *)dirs);
    cr_assert_eq(r.status, 0, "the merge after a new student: exit %d: %s", r.status, r.err);
    tu_result_free(&r);
    expect_same_file(csv, mcsv);
    expect_same_file(page, mpage);

    /* what the merge refuses */
    const char *one_missing[] = {dirs[0], dirs[2], NULL};
    expect_refused(refused, one_missing, "1 of the 3 shards missing (2 of 3)");
    const char *twice[] = {dirs[0], dirs[1], dirs[1], dirs[2], NULL};
    expect_refused(refused, twice, "shard 2 of 3 is given twice");
    const char *other_split[] = {dirs[0], dirs[1], dirs[2], reports, NULL};
    expect_refused(refused, other_split, "is shard 1 of 1 but");
    const char *not_reports[] = {dirs[0], class_dir, dirs[2], NULL};
    expect_refused(refused, not_reports, "is not the reports folder of a batch");

    /* another build of the assignment (its pack changed) cannot merge these reports */
    char *other = tu_tmpdir("shard-build");
    char *cmd;
    cr_assert_gt(asprintf(&cmd, "cp -r %s/pack.json %s/runner-base.o %s/include %s/ && echo >> %s/pack.json",
                          TU_ASSIGNMENT, TU_ASSIGNMENT, TU_ASSIGNMENT, other, other), 0);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    free(cmd);
    const char *argv[] = {TU_GRADER, "--assignment", other, "--merge", refused, dirs[0], dirs[1], dirs[2], NULL};
    r = tu_run(argv);
    cr_expect_eq(r.status, 1);
    cr_expect_not_null(strstr(r.err, "was graded with another build of 'gradient_check'"), "%s", r.err);
    tu_result_free(&r);

    /* a manifest of another assignment, and a damaged one */
    char *manifest = path_of(dirs[1], SHARD_MANIFEST), *saved = path_of(merged, "manifest");
    size_t len = 0;
    char *text = tu_read(manifest, &len);
    cr_assert_not_null(text);
    free(tu_write(merged, "manifest", text, len));
    char *at = strstr(text, "\"gradient_check\"");
    cr_assert_not_null(at, "%s", text);
    char *foreign;
    cr_assert_gt(asprintf(&foreign, "%.*s\"course2_week2\"%s", (int)(at - text), text, at + 16), 0);
    free(tu_write(dirs[1], SHARD_MANIFEST, foreign, strlen(foreign)));
    expect_refused(refused, (const char *const *)dirs, "reports of the assignment 'course2_week2'");
    free(tu_write(dirs[1], SHARD_MANIFEST, text, len / 2));
    expect_refused(refused, (const char *const *)dirs, SHARD_MANIFEST);
    free(tu_write(dirs[1], SHARD_MANIFEST, text, len));   /* put back: merges again */
    r = merge(merged, (const char *const *)dirs);
    cr_expect_eq(r.status, 0, "%s", r.err);
    tu_result_free(&r);

    free(foreign);
    free(text);
    free(manifest);
    free(saved);
    free(other);
    free(rk);
    free(mcsv);
    free(mpage);
    free(refused);
    free(merged);
    for (unsigned k = 0; k < SHARDS; k++)
        free(dirs[k]);
    free(r3);
    free(csv);
    free(reports);
    free(page);
    free(whole);
    free(class_dir);
}

Test(shard_cli, shard_and_merge_go_where_they_belong)
{
    const char *const *cases[] = {
        (const char *[]){"--shard", "1/2", "somewhere", NULL},
        (const char *[]){"--batch", "x", "--shard", "3/2", NULL},
        (const char *[]){"--merge", "out", NULL},
        (const char *[]){"--merge", "out", "--batch", "x", "r1", NULL},
        (const char *[]){"--merge", "out", "--jobs", "2", "r1", NULL},
    };
    static const char *const says[] = {"--shard K/N goes with --batch", "not '3/2'", "needs the shards' reports",
                                       "takes no --batch", "takes no --batch"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tu_result r = grader(cases[i]);
        cr_expect_eq(r.status, 2, "case %zu: exit %d", i, r.status);
        cr_expect_not_null(strstr(r.err, says[i]), "case %zu: %s", i, r.err);
        tu_result_free(&r);
    }
}
