/* fuzz_targets — see fuzz_targets.h. */
#include "fuzz_targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "intake.h"
#include "objcheck.h"
#include "protocol.h"
#include "safetext.h"
#include "srccheck.h"

const char *const FUZZ_TARGETS[] = {"srccheck", "objcheck", "protocol", "intake", NULL};

/* The most a target reads (the intake's own cap is 1 MiB). */
#define FUZZ_MAX (2u << 20)

static void fuzz_srccheck(const char *text, size_t len)
{
    static const char *const dirs[] = {"/usr/include", "/usr/lib/gcc", NULL};
    const srccheck_rules rules = {"gradient_check.c", dirs};
    char why[1024];
    srccheck_source(text, len, why, sizeof why);
    srccheck_preprocessed(text, len, &rules, why, sizeof why);
    srccheck_assembly(text, len, why, sizeof why);
    char *shown = NULL;
    srccheck_preprocessor_log(text, &rules, &shown, why, sizeof why);   /* a C string: up to a NUL */
    free(shown);
}

static void fuzz_objcheck(const char *path)
{
    objcheck_info info;
    hr_error err;
    if (objcheck_read(path, &info, &err) != 0)
        return;
    static const char *const graded[] = {"forward_propagation", "gradient_check", NULL};
    static const char *const allowed[] = {"malloc", "free", "printf", "gc_*", NULL};
    const objcheck_rules rules = {graded, allowed, 1u << 20, false};
    objcheck_static_bytes(&info);
    objcheck_defines_function(&info, "forward_propagation");
    if (objcheck_policy(&info, &rules, &err) == 0) {
        objcheck_cut cut;
        if (objcheck_reach(&info, &rules, &cut, &err) == 0)
            objcheck_cut_free(&cut);
    }
    objcheck_free(&info);
}

static void fuzz_protocol(const char *text, size_t len)
{
    protocol_result r;
    hr_error err;
    if (protocol_read_result(text, len, "forward_propagation/1", &r, &err) == 0)
        protocol_result_free(&r);
}

static void fuzz_intake(const char *path, const char *text, size_t len)
{
    intake_result r;
    intake_submission(path, "gradient_check.c", &r);
    intake_result_free(&r);
    /* what every report does with text the submission shaped */
    char *safe = safetext_make_len(text, len, 2048, NULL);
    if (safe && !safetext_is_safe(safe, strlen(safe), NULL))
        abort();   /* made safe, yet not safe: a bug */
    free(safe);
}

int fuzz_run(const char *target, const char *path)
{
    size_t len = 0;
    hr_error err;
    char *text = fs_slurp(path, FUZZ_MAX, &len, &err);
    if (!text)
        return -1;
    int rc = 0;
    if (!strcmp(target, "srccheck"))
        fuzz_srccheck(text, len);
    else if (!strcmp(target, "objcheck"))
        fuzz_objcheck(path);
    else if (!strcmp(target, "protocol"))
        fuzz_protocol(text, len);
    else if (!strcmp(target, "intake"))
        fuzz_intake(path, text, len);
    else
        rc = -1;
    free(text);
    return rc;
}
