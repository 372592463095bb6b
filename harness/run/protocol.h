/*
 * protocol — what travels between the grader and a runner.
 *
 * The runner is the only program that holds student code. For one test it
 * reads a request on stdin and writes one result document on the result
 * channel (fd 3); what the student prints goes to stdout/stderr, which the
 * grader captures separately. The request holds the test's inputs and never
 * its expected value. Everything the runner writes is untrusted: the grader
 * parses it with limits and treats anything unexpected (garbage, two
 * documents, a wrong test id) as "no result", which scores 0.
 *
 *   request: {"test": ID, "function": NAME, "inputs": {...}, "lockdown": BOOL,
 *             "calls": {CALLEE: VARIANT, ...}}
 *            (lockdown: load the seccomp allow list before the call; calls,
 *            only when the test substitutes callees: see substitute.h)
 *   result:  {"test": ID, "status": "returned", "return": VALUE, "trace": TRACE}
 *   TRACE:   {"total": N, "calls": [{"function": NAME, "args": {ARG: NUMBER, ...}}, ...]}
 *            (only for a request with calls: how the substitutable functions
 *            were called, feedback only; at most PROTOCOL_TRACE_CALLS calls of
 *            PROTOCOL_TRACE_ARGS arguments, names plain identifiers; a trace
 *            beyond these limits or of another shape makes the whole result
 *            garbled)
 *            {"test": ID, "status": "missing", "lacking": NAME}
 *            (lacking, optional: the function the submission lacks, when it
 *            is not the tested one but one it calls)
 *            {"test": ID, "status": "bad_inputs", "error": TEXT}
 */
#ifndef PROTOCOL_H
#define PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "error.h"

/* The runner's result channel. */
#define PROTOCOL_RESULT_FD 3
/* Largest result document the grader accepts. */
#define PROTOCOL_RESULT_MAX (64u << 10)
/* Limits of a trace (substitute_runner.h records no more). */
#define PROTOCOL_TRACE_CALLS 32
#define PROTOCOL_TRACE_ARGS 8
#define PROTOCOL_TRACE_NAME 64

typedef enum {
    PROTO_RETURNED,
    PROTO_MISSING,
    PROTO_BAD_INPUTS
} protocol_status;

typedef struct {
    protocol_status status;
    cJSON *ret;             /* PROTO_RETURNED: the return value */
    cJSON *trace;           /* the trace, checked against the limits, or NULL */
    char error[512];        /* PROTO_BAD_INPUTS: why */
    char lacking[PROTOCOL_TRACE_NAME + 1];  /* PROTO_MISSING: the callee it lacks, or "" */
} protocol_result;

/* The request text for one test (a new string). */
char *protocol_request(const char *test_id, const char *function, const cJSON *inputs,
                       bool lockdown);
/* The same with the test's substitutions (calls may be NULL). */
char *protocol_request_calls(const char *test_id, const char *function, const cJSON *inputs,
                             const cJSON *calls, bool lockdown);

/* Is trace a well-formed trace within the limits? 0, or -1 with err. */
int protocol_check_trace(const cJSON *trace, hr_error *err);

/* Reads a result document; -1 with err when it is not exactly one well-formed
 * result for test_id. */
int protocol_read_result(const char *text, size_t len, const char *test_id,
                         protocol_result *out, hr_error *err);
void protocol_result_free(protocol_result *r);

#endif
