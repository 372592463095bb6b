/*
 * runner_main — the program that holds student code, one test per process.
 *
 * Linked per submission: this file + the assignment's bindings + the provided
 * code + the student's object (or the reference's, to compute expected
 * values). It knows a test's inputs, never its expected value. It reads the
 * request, calls the function once, and writes the result on fd 3 with a
 * single write(2). A request may name other implementations of the functions
 * the tested one calls (substitute.h); the result then carries how they were
 * called (the trace). It trusts nothing after the call: it does not free, does not
 * run atexit handlers (_exit), and its own state may have been scribbled on;
 * the grader treats whatever arrives as untrusted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assignment.h"
#include "jsonio.h"
#include "leak_check.h"
#include "protocol.h"
#include "seccomp_filter.h"
#include "substitute_runner.h"
#include "zygote.h"

#define REQUEST_MAX (64u << 20)

static char *read_all(int fd, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            return NULL;
        if (n == cap) {
            if (cap >= REQUEST_MAX) {
                free(buf);
                return NULL;
            }
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger)
                free(buf);
            buf = bigger;
            continue;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(buf);
            return NULL;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *len = n;
    return buf;
}

static void send_result(cJSON *doc)
{
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (text) {
        size_t len = strlen(text), off = 0;
        while (off < len) {
            ssize_t w = write(PROTOCOL_RESULT_FD, text + off, len - off);
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        cJSON_free(text);
    }
}

/* How the substitutable functions were called, for the result. */
static cJSON *trace_json(void)
{
    size_t n;
    unsigned long total;
    const subst_call *c = subst_trace_calls(&n, &total);
    cJSON *trace = cJSON_CreateObject(), *list;
    cJSON_AddNumberToObject(trace, "total", (double)total);
    list = cJSON_AddArrayToObject(trace, "calls");
    for (size_t i = 0; i < n; i++) {
        cJSON *call = cJSON_CreateObject(), *args;
        cJSON_AddStringToObject(call, "function", c[i].function);
        args = cJSON_AddObjectToObject(call, "args");
        for (size_t k = 0; k < c[i].nargs; k++)
            cJSON_AddItemToObject(args, c[i].names[k], jsonio_double(c[i].args[k]));
        cJSON_AddItemToArray(list, call);
    }
    return trace;
}

static int refuse(const char *test, const char *why)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "test", test ? test : "");
    cJSON_AddStringToObject(doc, "status", "bad_inputs");
    cJSON_AddStringToObject(doc, "error", why);
    send_result(doc);
    return 3;
}

int main(int argc, char **argv)
{
    /* stdout's buffer is the runner's, not the heap's: a test that prints has
     * allocated nothing, and its leak check can be skipped (leak_check.h) */
    static char stdout_buffer[BUFSIZ];
    setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
    leak_check_prepare();    /* in the diagnostic runner: before the zygote forks */
    /* a session's zygote forks each test's process from here (zygote.h) */
    zygote_serve(argc, argv);
    leak_check_mark();
    size_t len;
    char *text = read_all(0, &len);
    if (!text)
        return refuse(NULL, "cannot read the request");
    close(0);
    hr_error err = {{0}};
    cJSON *req = jsonio_parse(text, len, "request", &err);
    free(text);
    if (!req)
        return refuse(NULL, err.msg);
    const cJSON *test = jsonio_get(req, "test"), *function = jsonio_get(req, "function");
    if (!cJSON_IsString(test) || !cJSON_IsString(function))
        return refuse(NULL, "the request needs a test id and a function");

    const asg_function *fn = NULL;
    for (size_t i = 0; i < ASG_BINDINGS.nfunctions; i++)
        if (!strcmp(ASG_BINDINGS.functions[i].name, function->valuestring))
            fn = &ASG_BINDINGS.functions[i];
    if (!fn)
        return refuse(test->valuestring, "no binding for this function");

    /* The substitutions this test asks for (checked again by the dispatchers). */
    const cJSON *calls = jsonio_get(req, "calls"), *choice;
    if (calls && !cJSON_IsObject(calls))
        return refuse(test->valuestring, "calls must be an object");
    cJSON_ArrayForEach(choice, calls)
        if (!cJSON_IsString(choice) || (strcmp(choice->valuestring, "own") != 0 &&
                                        subst_choose(choice->string, choice->valuestring) != 0))
            return refuse(test->valuestring, "a substitution the runner cannot hold");

    /* From here on student code may run: close the door first. */
    /* (the sanitizer build, which links LeakSanitizer, gets its runtimes' calls too) */
    if (cJSON_IsTrue(jsonio_get(req, "lockdown")) &&
        (leak_check_built_in() ? seccomp_filter_lockdown_sanitized(&err)
                                          : seccomp_filter_lockdown(&err)) != 0)
        return refuse(test->valuestring, err.msg);

    /* Build the result's frame before the call, so nothing but the return
     * value is computed after student code has run. */
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "test", test->valuestring);
    cJSON *ret = NULL;
    asg_call_status st = fn->call(jsonio_get(req, "inputs"), &ret, &err);
    fflush(stdout);
    fflush(stderr);
    if (st == ASG_BAD_INPUTS)
        return refuse(test->valuestring, err.msg);
    /* a dispatcher found no implementation: a variant the catalogue lacks is
     * the request's fault, an own function the submission lacks is missing */
    const char *lacking = subst_missing_function();
    if (lacking && subst_variant(lacking))
        return refuse(test->valuestring, "a substitute that is not in the catalogue");
    if (lacking)
        st = ASG_MISSING;
    cJSON_AddStringToObject(doc, "status", st == ASG_MISSING ? "missing" : "returned");
    if (lacking)
        cJSON_AddStringToObject(doc, "lacking", lacking);
    if (ret && st != ASG_MISSING)
        cJSON_AddItemToObject(doc, "return", ret);
    if (calls && st != ASG_MISSING)
        cJSON_AddItemToObject(doc, "trace", trace_json());
    send_result(doc);
    /* The diagnostic runner (built with AddressSanitizer) looks for leaks now:
     * _exit skips LeakSanitizer's own check at exit. Everything of the
     * runner's own is freed first, so what is left is the student's. */
    if (leak_check_built_in()) {
        cJSON_Delete(req);
        leak_check_run();
    }
    _exit(0);
}
