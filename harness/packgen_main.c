/*
 * packgen — build an assignment's pack (see pack.h). Run by make.
 *
 *   packgen --rubric FILE --testcases DIR --reference-runner FILE --out FILE
 *           [--mistakes FILE --reference-source FILE --runner-base FILE
 *            --include DIR --work DIR]
 *
 * Linked with the assignment's case generator. With a mistake catalogue, each
 * mistake is applied to the reference's source, compiled with the flags
 * students' files get, linked into a runner of its own (in the work folder),
 * and observed on every test of its function. Exit 1 with the file and line
 * when the rubric or the catalogue is wrong or the reference fails a test.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "assignment.h"
#include "cflags.h"
#include "fsutil.h"
#include "jsonio.h"
#include "mistakes.h"
#include "pack.h"
#include "rubric.h"
#include "sandbox.h"

typedef struct {
    const char *rubric, *testcases, *reference_runner, *out;
    const char *mistakes, *reference_source, *runner_base, *include, *work;
} options;

static int parse(int argc, char **argv, options *o)
{
    static const struct option longs[] = {
        {"rubric", required_argument, NULL, 'r'},          {"testcases", required_argument, NULL, 't'},
        {"reference-runner", required_argument, NULL, 'x'}, {"out", required_argument, NULL, 'o'},
        {"mistakes", required_argument, NULL, 'm'},        {"reference-source", required_argument, NULL, 's'},
        {"runner-base", required_argument, NULL, 'b'},     {"include", required_argument, NULL, 'i'},
        {"work", required_argument, NULL, 'w'},            {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    int c;
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        const char **slot = c == 'r' ? &o->rubric : c == 't' ? &o->testcases : c == 'x' ? &o->reference_runner
                          : c == 'o' ? &o->out : c == 'm' ? &o->mistakes : c == 's' ? &o->reference_source
                          : c == 'b' ? &o->runner_base : c == 'i' ? &o->include : c == 'w' ? &o->work : NULL;
        if (!slot)
            return -1;
        *slot = optarg;
    }
    if (optind != argc || !o->rubric || !o->testcases || !o->reference_runner || !o->out)
        return -1;
    if (o->mistakes && (!o->reference_source || !o->runner_base || !o->include || !o->work))
        return -1;
    return 0;
}

/* Runs a build tool (trusted: our own compiler on our own files). */
static int run_tool(sb_box *box, const char *const *argv, const char *cwd, hr_error *err)
{
    sb_spec spec = {.argv = argv, .cwd = cwd, .wall_s = 60, .cpu_s = 60, .memory_mb = 2048,
                    .output_kb = 1024, .max_processes = 64, .profile = SB_PROFILE_TRUSTED};
    static const char *const env[] = {"PATH=/usr/bin:/bin", "LC_ALL=C", NULL};
    spec.envp = env;
    sb_result res;
    if (sb_run(box, &spec, &res, err) != 0)
        return -1;
    int rc = res.end == SB_EXITED && res.exit_code == 0 ? 0 : hr_fail(err, "%s failed: %s", argv[0], res.err.data);
    sb_result_free(&res);
    return rc;
}

/* Builds one mistake's runner in work/<id>/runner. */
static char *build_mistake(sb_box *box, const options *o, const mistake *m, const char *reference,
                           hr_error *err)
{
    char *text = mistakes_apply(m, reference, err);
    char *dir = text ? fs_join(o->work, m->id) : NULL;
    char *src = dir ? fs_join(dir, "gradient_check.c") : NULL, *runner = NULL;
    if (src && fs_mkdirs(dir, 0700, err) == 0 && fs_write_atomic(src, text, strlen(text), err) == 0) {
        char inc[4200];
        snprintf(inc, sizeof inc, "-I%s", o->include);
        const char *const cc[] = {"/usr/bin/gcc", CFLAGS_SUBMISSION, inc, "-c", "gradient_check.c",
                                  "-o", "mistake.o", NULL};
        const char *const ld[] = {"/usr/bin/gcc", "-o", "runner", o->runner_base, "mistake.o",
                                  CFLAGS_RUNNER_LIBS, NULL};
        if (run_tool(box, cc, dir, err) == 0 && run_tool(box, ld, dir, err) == 0) {
            char *rel = fs_join(dir, "runner");
            runner = rel ? realpath(rel, NULL) : NULL;   /* the sandbox starts it from "/" */
            free(rel);
        }
        else
            hr_wrap(err, "%s:%d: mistake '%s' does not build", o->mistakes, m->line, m->id);
    }
    free(text);
    free(src);
    free(dir);
    return runner;
}

static int build_mistakes(sb_box *box, const options *o, const mistake_catalogue *cat,
                          const asg_casegen *cg, pack_mistake *out, hr_error *err)
{
    char *reference = fs_slurp(o->reference_source, 1u << 20, NULL, err);
    if (!reference)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < cat->count; i++) {
        const mistake *m = &cat->items[i];
        bool known = false;
        for (size_t k = 0; k < cg->nexpanders; k++)
            known = known || !strcmp(cg->expanders[k].function, m->function);
        if (!known) {
            rc = hr_fail(err, "%s:%d: mistake '%s': unknown function '%s'", cat->path, m->line, m->id, m->function);
            break;
        }
        char *runner = build_mistake(box, o, m, reference, err);
        if (!runner)
            rc = -1;
        out[i] = (pack_mistake){m->id, m->function, m->hint,
                                {.box = box, .runner = runner, .profile = SB_PROFILE_TRUSTED}};
    }
    free(reference);
    return rc;
}

int main(int argc, char **argv)
{
    options o;
    if (parse(argc, argv, &o) != 0) {
        fprintf(stderr, "usage: packgen --rubric FILE --testcases DIR --reference-runner FILE --out FILE\n"
                        "               [--mistakes FILE --reference-source FILE --runner-base FILE\n"
                        "                --include DIR --work DIR]\n");
        return 2;
    }
    hr_error err = {{0}};
    rubric r;
    mistake_catalogue cat = {0};
    if (rubric_load(o.rubric, &r, &err) != 0 || (o.mistakes && mistakes_load(o.mistakes, &cat, &err) != 0)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    sb_options so = {.no_namespaces = true, .no_uid = true, .no_cgroup = true};
    sb_box *box = sb_open(&so, &err);
    char *runner = realpath(o.reference_runner, NULL);
    if (!box || !runner) {
        fprintf(stderr, "packgen: %s\n", box ? "the reference runner is missing" : err.msg);
        return 1;
    }
    pack_mistake *mistakes = calloc(cat.count + 1, sizeof *mistakes);
    int rc = !mistakes ? hr_fail(&err, "out of memory")
             : o.mistakes ? build_mistakes(box, &o, &cat, &ASG_CASEGEN, mistakes, &err) : 0;
    pack_sources src = {&r, &ASG_CASEGEN, {o.testcases},
                        {.box = box, .runner = runner, .profile = SB_PROFILE_TRUSTED, .reference = true}, mistakes, cat.count};
    cJSON *doc = NULL;
    if (rc == 0)
        rc = observe_begin(&src.reference, &err);
    if (rc == 0)
        rc = pack_build(&src, &doc, &err);
    observe_end(&src.reference);
    if (rc == 0)
        rc = jsonio_write_file(o.out, doc, &err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err.msg);
    cJSON_Delete(doc);
    for (size_t i = 0; mistakes && i < cat.count; i++)
        free((char *)mistakes[i].runner.runner);
    free(mistakes);
    mistakes_free(&cat);
    sb_close(box);
    rubric_free(&r);
    free(runner);
    return rc == 0 ? 0 : 1;
}
