/* substitute_runner — see substitute_runner.h. Static tables only: it runs
 * beside student code, which may call it any number of times. */
#include "substitute_runner.h"

#include <string.h>

static struct {
    char function[SUBST_NAME_MAX + 1], variant[SUBST_NAME_MAX + 1];
} choices[SUBST_MAX_CHOICES];
static size_t nchoices;
static subst_call calls[SUBST_TRACE_MAX];
static size_t ncalls;
static unsigned long total_calls;
static const char *missing;

static int fits(const char *s)
{
    return s && s[0] && strlen(s) <= SUBST_NAME_MAX;
}

int subst_choose(const char *function, const char *variant)
{
    if (nchoices == SUBST_MAX_CHOICES || !fits(function) || !fits(variant))
        return -1;
    strcpy(choices[nchoices].function, function);
    strcpy(choices[nchoices].variant, variant);
    nchoices++;
    return 0;
}

void subst_reset(void)
{
    nchoices = 0;
    ncalls = 0;
    total_calls = 0;
    missing = NULL;
}

const char *subst_variant(const char *function)
{
    for (size_t i = 0; i < nchoices; i++)
        if (!strcmp(choices[i].function, function))
            return choices[i].variant;
    return NULL;
}

void subst_trace(const char *function, const char *const *names, const double *args, size_t nargs)
{
    if (total_calls < (unsigned long)-1)
        total_calls++;
    if (ncalls == SUBST_TRACE_MAX)
        return;
    subst_call *c = &calls[ncalls++];
    c->function = function;
    c->nargs = nargs < SUBST_ARGS_MAX ? nargs : SUBST_ARGS_MAX;
    for (size_t i = 0; i < c->nargs; i++) {
        c->names[i] = names[i];
        c->args[i] = args[i];
    }
}

const subst_call *subst_trace_calls(size_t *n, unsigned long *total)
{
    *n = ncalls;
    *total = total_calls;
    return calls;
}

void subst_missing(const char *function)
{
    if (!missing)
        missing = function;
}

const char *subst_missing_function(void)
{
    return missing;
}
