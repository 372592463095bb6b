/* protocol — see protocol.h. */
#include "protocol.h"

#include <string.h>

#include "jsonio.h"

char *protocol_request(const char *test_id, const char *function, const cJSON *inputs,
                       bool lockdown)
{
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "test", test_id);
    cJSON_AddStringToObject(req, "function", function);
    cJSON_AddItemToObject(req, "inputs", cJSON_Duplicate(inputs, 1));
    cJSON_AddBoolToObject(req, "lockdown", lockdown);
    char *text = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    return text;
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
        const cJSON *ret = jsonio_get(doc, "return");
        out->status = PROTO_RETURNED;
        if (!ret || !(out->ret = cJSON_Duplicate(ret, 1)))
            rc = hr_fail(err, "a result without a return value");
    } else if (!strcmp(status->valuestring, "missing")) {
        out->status = PROTO_MISSING;
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
    r->ret = NULL;
}
