/* protocol — see protocol.h. */
#include "protocol.h"

#include <string.h>

#include "jsonio.h"
#include "safetext.h"

char *protocol_request(const char *test_id, const char *function, const cJSON *inputs,
                       bool lockdown)
{
    return protocol_request_calls(test_id, function, inputs, NULL, lockdown);
}

char *protocol_request_calls(const char *test_id, const char *function, const cJSON *inputs,
                             const cJSON *calls, bool lockdown)
{
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "test", test_id);
    cJSON_AddStringToObject(req, "function", function);
    cJSON_AddItemToObject(req, "inputs", cJSON_Duplicate(inputs, 1));
    cJSON_AddBoolToObject(req, "lockdown", lockdown);
    if (calls && cJSON_GetArraySize(calls) > 0)
        cJSON_AddItemToObject(req, "calls", cJSON_Duplicate(calls, 1));
    char *text = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    return text;
}

int protocol_check_trace(const cJSON *trace, hr_error *err)
{
    if (!cJSON_IsObject(trace) || cJSON_GetArraySize(trace) != 2)
        return hr_fail(err, "a trace that is not {total, calls}");
    const cJSON *total = jsonio_get(trace, "total"), *calls = jsonio_get(trace, "calls"), *c;
    if (!cJSON_IsNumber(total) || total->valuedouble < 0 || total->valuedouble > 4e9 ||
        total->valuedouble != (double)(long long)total->valuedouble)
        return hr_fail(err, "a trace with a wrong total");
    if (!cJSON_IsArray(calls) || cJSON_GetArraySize(calls) > PROTOCOL_TRACE_CALLS ||
        (double)cJSON_GetArraySize(calls) > total->valuedouble)
        return hr_fail(err, "a trace with too many calls");
    cJSON_ArrayForEach(c, calls) {
        const cJSON *fn = jsonio_get(c, "function"), *args = jsonio_get(c, "args"), *a;
        if (!cJSON_IsObject(c) || cJSON_GetArraySize(c) != 2 || !safetext_is_identifier(cJSON_GetStringValue(fn), PROTOCOL_TRACE_NAME) ||
            !cJSON_IsObject(args) || cJSON_GetArraySize(args) > PROTOCOL_TRACE_ARGS)
            return hr_fail(err, "a garbled call in the trace");
        cJSON_ArrayForEach(a, args) {
            double v;
            if (!safetext_is_identifier(a->string, PROTOCOL_TRACE_NAME) || jsonio_get_double(a, &v) != 0)
                return hr_fail(err, "a garbled argument in the trace");
        }
    }
    return 0;
}

int protocol_read_result(const char *text, size_t len, const char *test_id,
                         protocol_result *out, hr_error *err)
{
    memset(out, 0, sizeof *out);
    if (len == 0)
        return hr_fail(err, "no result");
    if (len > PROTOCOL_RESULT_MAX || memchr(text, '\0', len))
        return hr_fail(err, "a garbled result");
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    /* exactly one document, nothing but whitespace after it */
    while (doc && end && end < text + len && strchr(" \t\r\n", *end))
        end++;
    if (!doc || !cJSON_IsObject(doc) || (end && end != text + len)) {
        cJSON_Delete(doc);
        return hr_fail(err, "a garbled or repeated result");
    }
    const cJSON *test = jsonio_get(doc, "test"), *status = jsonio_get(doc, "status");
    int rc = 0;
    if (!cJSON_IsString(test) || strcmp(test->valuestring, test_id) != 0)
        rc = hr_fail(err, "a result for another test");
    else if (!cJSON_IsString(status))
        rc = hr_fail(err, "a result without a status");
    else if (!strcmp(status->valuestring, "returned")) {
        const cJSON *ret = jsonio_get(doc, "return"), *trace = jsonio_get(doc, "trace");
        out->status = PROTO_RETURNED;
        if (!ret || !(out->ret = cJSON_Duplicate(ret, 1)))
            rc = hr_fail(err, "a result without a return value");
        else if (trace && protocol_check_trace(trace, err) != 0)
            rc = -1;
        else if (trace && !(out->trace = cJSON_Duplicate(trace, 1)))
            rc = hr_fail(err, "out of memory");
    } else if (!strcmp(status->valuestring, "missing")) {
        const cJSON *lacking = jsonio_get(doc, "lacking");
        out->status = PROTO_MISSING;
        if (lacking && !safetext_is_identifier(cJSON_GetStringValue(lacking), PROTOCOL_TRACE_NAME))
            rc = hr_fail(err, "a result with a garbled missing function");
        else if (lacking)
            snprintf(out->lacking, sizeof out->lacking, "%s", lacking->valuestring);
    } else if (!strcmp(status->valuestring, "bad_inputs")) {
        const cJSON *e = jsonio_get(doc, "error");
        out->status = PROTO_BAD_INPUTS;
        snprintf(out->error, sizeof out->error, "%s", cJSON_IsString(e) ? e->valuestring : "?");
    } else {
        rc = hr_fail(err, "a result with an unknown status");
    }
    cJSON_Delete(doc);
    if (rc != 0)
        protocol_result_free(out);
    return rc;
}

void protocol_result_free(protocol_result *r)
{
    cJSON_Delete(r->ret);
    cJSON_Delete(r->trace);
    r->ret = NULL;
    r->trace = NULL;
}
