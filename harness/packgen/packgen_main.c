/*
 * packgen — build an assignment's pack (see pack.h). Run by make.
 *
 *   packgen --rubric FILE --testcases DIR --reference-runner FILE --out FILE
 *           [--mistakes FILE [--variants FILE] [--template FILE] --reference-source FILE
 *            --runner-base FILE --include DIR --work DIR] [--substitutes OBJECT]
 *
 * Linked with the assignment's case generator. With a mistake catalogue, each
 * mistake is applied to the reference's source, compiled with the flags
 * students' files get, linked into a runner of its own (in the work folder),
 * and observed on every test of its function. Then the rubric proves itself
 * fair (selfcheck.h): every legitimate variant must score full marks on every
 * test, and every mistake must lose points where its 'loses' says. Exit 1
 * with the file and line when the rubric or a catalogue is wrong, the
 * reference fails a test, or the rubric is unfair; no pack is written then.
 *
 * With --substitutes (the assignment's substitutes, compiled), the catalogue
 * of substitutes is read from its symbols and kept in the pack, every test's
 * calls are checked against it, and each mistake's object is prepared for
 * the dispatchers as a student's is (substitute.h).
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
#include "pack_build.h"
#include "objcheck.h"
#include "rubric.h"
#include "sandbox.h"
#include "substitute.h"
#include "selfcheck.h"

typedef struct {
    const char *rubric, *testcases, *reference_runner, *out;
    const char *mistakes, *variants, *template_source, *reference_source, *runner_base, *include, *work;
    const char *substitutes;
    cJSON *catalogue;
} options;

static int parse(int argc, char **argv, options *o)
{
    static const struct option longs[] = {
        {"rubric", required_argument, NULL, 'r'},          {"testcases", required_argument, NULL, 't'},
        {"reference-runner", required_argument, NULL, 'x'}, {"out", required_argument, NULL, 'o'},
        {"mistakes", required_argument, NULL, 'm'},        {"reference-source", required_argument, NULL, 's'},
        {"runner-base", required_argument, NULL, 'b'},     {"include", required_argument, NULL, 'i'},
        {"work", required_argument, NULL, 'w'},            {"variants", required_argument, NULL, 'v'},
        {"template", required_argument, NULL, 'T'},        {"substitutes", required_argument, NULL, 'u'},
        {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    int c;
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        const char **slot = c == 'r' ? &o->rubric : c == 't' ? &o->testcases : c == 'x' ? &o->reference_runner
                          : c == 'o' ? &o->out : c == 'm' ? &o->mistakes : c == 's' ? &o->reference_source
                          : c == 'b' ? &o->runner_base : c == 'i' ? &o->include : c == 'w' ? &o->work
                          : c == 'v' ? &o->variants : c == 'T' ? &o->template_source
                          : c == 'u' ? &o->substitutes : NULL;
        if (!slot)
            return -1;
        *slot = optarg;
    }
    if (optind != argc || !o->rubric || !o->testcases || !o->reference_runner || !o->out)
        return -1;
    if (o->mistakes && (!o->reference_source || !o->runner_base || !o->include || !o->work))
        return -1;
    if ((o->variants || o->template_source) && !o->mistakes)
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

/* dir/subst.args: the options that prepare dir/mistake.o for the dispatchers. */
static int prepare(const options *o, const char *dir, hr_error *err)
{
    char *obj = fs_join(dir, "mistake.o"), *args = fs_join(dir, "subst.args");
    objcheck_info info;
    int rc = obj && args ? objcheck_read(obj, &info, err) : hr_fail(err, "out of memory");
    if (rc == 0) {
        const char **functions = o->catalogue ? pack_substitutable(o->catalogue) : calloc(1, sizeof(char *));
        char *text = functions ? subst_objcopy_options(&info, functions, false, err) : NULL;
        rc = text ? fs_write_atomic(args, text, strlen(text), err) : -1;
        free(text);
        free(functions);
        objcheck_free(&info);
    }
    free(obj);
    free(args);
    return rc;
}

/* Builds one mistake's runner in work/<id>/runner, the edited text compiled
 * under the file name students submit (the rubric's source), so that its
 * messages read as a student's would. */
static char *build_mistake(sb_box *box, const options *o, const char *work, const char *source,
                           const mistake *m, const char *reference, hr_error *err)
{
    char *text = mistakes_apply(m, reference, err);
    char *dir = text ? fs_join(work, m->id) : NULL;
    char *src = dir ? fs_join(dir, source) : NULL, *runner = NULL;
    if (src && fs_mkdirs(dir, 0700, err) == 0 && fs_write_atomic(src, text, strlen(text), err) == 0) {
        char inc[4200];
        snprintf(inc, sizeof inc, "-I%s", o->include);
        const char *const cc[] = {"/usr/bin/gcc", CFLAGS_SUBMISSION, inc, "-c", source,
                                  "-o", "mistake.o", NULL};
        const char *const ld[] = {"/usr/bin/gcc", "-o", "runner", o->runner_base, "mistake-subst.o",
                                  CFLAGS_RUNNER_LIBS, NULL};
        const char *const copy[] = {"/usr/bin/objcopy", "@subst.args", "mistake.o", "mistake-subst.o", NULL};
        if (run_tool(box, cc, dir, err) == 0 && prepare(o, dir, err) == 0 && run_tool(box, copy, dir, err) == 0 &&
            run_tool(box, ld, dir, err) == 0) {
            char *rel = fs_join(dir, "runner");
            runner = rel ? realpath(rel, NULL) : NULL;   /* the sandbox starts it from "/" */
            free(rel);
        }
        else
            hr_wrap(err, "%s:%d: '%s' does not build", work, m->line, m->id);
    }
    free(text);
    free(src);
    free(dir);
    return runner;
}

static int build_mistakes(sb_box *box, const options *o, const char *source, const mistake_catalogue *cat,
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
        char *runner = build_mistake(box, o, o->work, source, m, reference, err);
        if (!runner)
            rc = -1;
        out[i] = (pack_mistake){m->id, m->function, m->hint,
                                {.box = box, .runner = runner, .profile = SB_PROFILE_TRUSTED}};
    }
    free(reference);
    return rc;
}

/* The handed-out template, built into work/template/runner and observed on
 * every test: each test's JSON gets "as_handed_out": {"return", "stdout"}, so
 * that a result identical to the template's passes no verdict test, and an
 * optional exercise left as handed out reads "not attempted". */
static int observe_template(sb_box *box, const options *o, const rubric *r, cJSON *doc, hr_error *err)
{
    char *text = fs_slurp(o->template_source, 1u << 20, NULL, err);
    if (!text)
        return -1;
    char *work = fs_join(o->work, "template");
    /* the whole file, as a "mistake" whose one edit (its first two lines,
     * which a file opening with a comment holds once) changes nothing */
    char line[512] = "";
    size_t first = strcspn(text, "\n");
    size_t two = text[first] ? first + 1 + strcspn(text + first + 1, "\n") : first;
    snprintf(line, sizeof line, "%.*s", (int)two, text);
    mistake_edit keep = {line, line};
    mistake as_is = {.id = "handed_out", .function = "", .hint = "", .edits = &keep, .nedits = 1, .line = 1};
    char *runner = work && line[0] ? build_mistake(box, o, work, r->source, &as_is, text, err) : NULL;
    int rc = runner ? 0 : hr_wrap(err, "%s: the template does not build", o->template_source);
    observe_target target = {.box = box, .runner = runner, .profile = SB_PROFILE_TRUSTED};
    const cJSON *ej;
    size_t e = 0;
    cJSON_ArrayForEach(ej, jsonio_get(doc, "exercises")) {
        const cJSON *tj;
        size_t t = 0;
        cJSON_ArrayForEach(tj, jsonio_get(ej, "tests")) {
            if (rc != 0)
                break;
            const rubric_test *test = &r->exercises[e].tests[t++];
            observation obs;
            if ((rc = observe_run_calls(&target, cJSON_GetStringValue(jsonio_get(tj, "id")), test->function,
                                        jsonio_get(tj, "inputs"), test->calls, &test->limits, &obs, err)) != 0)
                break;
            if (obs.kind == OBS_RETURNED) {
                cJSON *h = cJSON_AddObjectToObject((cJSON *)tj, "as_handed_out");
                cJSON_AddItemToObject(h, "return", jsonio_exact(obs.ret));
                obs.ret = NULL;
                cJSON_AddStringToObject(h, "stdout", obs.out ? obs.out : "");
            }
            observation_free(&obs);
        }
        e++;
    }
    free(runner);
    free(work);
    free(text);
    return rc;
}

/* Builds every variant into work/variants/<id>/runner. */
static int build_variants(sb_box *box, const options *o, const char *source, const mistake_catalogue *cat,
                          selfcheck_entry *out, hr_error *err)
{
    char *reference = fs_slurp(o->reference_source, 1u << 20, NULL, err);
    char *work = reference ? fs_join(o->work, "variants") : NULL;
    int rc = work ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < cat->count; i++) {
        char *runner = build_mistake(box, o, work, source, &cat->items[i], reference, err);
        if (!runner)
            rc = hr_wrap(err, "%s: variant '%s'", cat->path, cat->items[i].id);
        out[i] = (selfcheck_entry){&cat->items[i], {.box = box, .runner = runner, .profile = SB_PROFILE_TRUSTED}};
    }
    free(work);
    free(reference);
    return rc;
}

/* The rubric proves itself fair on the pack just built (selfcheck.h). */
static int check_fairness(sb_box *box, const options *o, const char *source, const cJSON *doc,
                          const mistake_catalogue *cat, const pack_mistake *built, hr_error *err)
{
    mistake_catalogue variants = {0};
    if (o->variants && variants_load(o->variants, &variants, err) != 0)
        return -1;
    selfcheck_entry *v = calloc(variants.count + 1, sizeof *v), *m = calloc(cat->count + 1, sizeof *m);
    pack p;
    int rc = !v || !m ? hr_fail(err, "out of memory") : build_variants(box, o, source, &variants, v, err);
    for (size_t i = 0; m && i < cat->count; i++)
        m[i] = (selfcheck_entry){&cat->items[i], built[i].runner};
    if (rc == 0 && (rc = pack_from_json(doc, &p, err)) == 0) {
        rc = selfcheck_template(&p, err);
        if (rc == 0)
            rc = selfcheck_variants(&p, variants.path ? variants.path : "", v, variants.count, err);
        if (rc == 0)
            rc = selfcheck_mistakes(&p, cat->path, m, cat->count, err);
        pack_free(&p);
    }
    for (size_t i = 0; v && i < variants.count; i++)
        free((char *)v[i].runner.runner);
    free(v);
    free(m);
    mistakes_free(&variants);
    return rc;
}

int main(int argc, char **argv)
{
    options o;
    if (parse(argc, argv, &o) != 0) {
        fprintf(stderr, "usage: packgen --rubric FILE --testcases DIR --reference-runner FILE --out FILE\n"
                        "               [--mistakes FILE [--variants FILE] [--template FILE] --reference-source FILE\n"
                        "                --runner-base FILE --include DIR --work DIR] [--substitutes OBJECT]\n");
        return 2;
    }
    hr_error err = {{0}};
    rubric r;
    mistake_catalogue cat = {0};
    if (rubric_load(o.rubric, &r, &err) != 0 || (o.mistakes && mistakes_load(o.mistakes, &cat, &err) != 0)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    if (o.substitutes) {
        objcheck_info subs;
        if (objcheck_read(o.substitutes, &subs, &err) != 0 || subst_catalogue(&subs, &o.catalogue, &err) != 0) {
            fprintf(stderr, "packgen: the substitutes: %s\n", err.msg);
            return 1;
        }
        objcheck_free(&subs);
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
             : o.mistakes ? build_mistakes(box, &o, r.source, &cat, &ASG_CASEGEN, mistakes, &err) : 0;
    cJSON *symptoms = cJSON_CreateArray();
    for (size_t i = 0; i < cat.nsymptoms; i++) {
        cJSON *s = cJSON_CreateObject();
        jsonio_add_double(s, "value", cat.symptoms[i].value);
        cJSON *fns = cJSON_AddArrayToObject(s, "functions");
        for (char **f = cat.symptoms[i].functions; *f; f++)
            cJSON_AddItemToArray(fns, cJSON_CreateString(*f));
        cJSON_AddStringToObject(s, "hint", cat.symptoms[i].hint);
        cJSON_AddItemToArray(symptoms, s);
    }
    pack_sources src = {&r, &ASG_CASEGEN, {o.testcases},
                        {.box = box, .runner = runner, .profile = SB_PROFILE_TRUSTED, .reference = true}, mistakes,
                        cat.count, symptoms, o.catalogue};
    cJSON *doc = NULL;
    if (rc == 0)
        rc = observe_begin(&src.reference, &err);
    if (rc == 0)
        rc = pack_build(&src, &doc, &err);
    observe_end(&src.reference);
    if (rc == 0 && o.template_source)
        rc = observe_template(box, &o, &r, doc, &err);
    if (rc == 0 && o.mistakes)
        rc = check_fairness(box, &o, r.source, doc, &cat, mistakes, &err);
    if (rc == 0)
        rc = jsonio_write_file(o.out, doc, &err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err.msg);
    cJSON_Delete(doc);
    cJSON_Delete(symptoms);
    for (size_t i = 0; mistakes && i < cat.count; i++)
        free((char *)mistakes[i].runner.runner);
    free(mistakes);
    mistakes_free(&cat);
    sb_close(box);
    rubric_free(&r);
    cJSON_Delete(o.catalogue);
    free(runner);
    return rc == 0 ? 0 : 1;
}
