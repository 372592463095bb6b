/*
 * packgen — build an assignment's pack (see pack.h). Run by make.
 *
 *   packgen RUBRIC TESTCASES_DIR REFERENCE_RUNNER OUT
 *
 * Linked with the assignment's case generator. Exit 1 with the rubric's file
 * and line when the rubric is wrong or the reference cannot pass a test.
 */
#include <stdio.h>
#include <stdlib.h>

#include "assignment.h"
#include "jsonio.h"
#include "pack.h"
#include "rubric.h"
#include "sandbox.h"

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: packgen RUBRIC TESTCASES_DIR REFERENCE_RUNNER OUT\n");
        return 2;
    }
    hr_error err = {{0}};
    rubric r;
    if (rubric_load(argv[1], &r, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    sb_options so = {.no_namespaces = true, .no_uid = true, .no_cgroup = true};
    sb_box *box = sb_open(&so, &err);
    char *runner = realpath(argv[3], NULL);
    if (!box || !runner) {
        fprintf(stderr, "packgen: %s\n", box ? "the reference runner is missing" : err.msg);
        return 1;
    }
    observe_target reference = {box, runner, SB_PROFILE_TRUSTED, false, NULL};
    asg_context ctx = {argv[2]};
    cJSON *doc = NULL;
    int rc = observe_begin(&reference, &err);
    if (rc == 0)
        rc = pack_build(&r, &ASG_CASEGEN, &ctx, &reference, &doc, &err);
    observe_end(&reference);
    if (rc == 0)
        rc = jsonio_write_file(argv[4], doc, &err);
    if (rc != 0)
        fprintf(stderr, "%s\n", err.msg);
    cJSON_Delete(doc);
    sb_close(box);
    rubric_free(&r);
    free(runner);
    return rc == 0 ? 0 : 1;
}
