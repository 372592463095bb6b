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
 *   request: {"test": ID, "function": NAME, "inputs": {...}, "lockdown": BOOL}
 *            (lockdown: load the seccomp allow list before the call)
 *   result:  {"test": ID, "status": "returned", "return": VALUE}
 *            {"test": ID, "status": "missing"}
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

typedef enum {
    PROTO_RETURNED,
    PROTO_MISSING,
    PROTO_BAD_INPUTS
} protocol_status;

typedef struct {
    protocol_status status;
    cJSON *ret;             /* PROTO_RETURNED: the return value */
    char error[512];        /* PROTO_BAD_INPUTS: why */
} protocol_result;

/* The request text for one test (a new string). */
char *protocol_request(const char *test_id, const char *function, const cJSON *inputs,
                       bool lockdown);

/* Reads a result document; -1 with err when it is not exactly one well-formed
 * result for test_id. */
int protocol_read_result(const char *text, size_t len, const char *test_id,
                         protocol_result *out, hr_error *err);
void protocol_result_free(protocol_result *r);

#endif
