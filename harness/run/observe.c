/* observe — see observe.h. */
#include "observe.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"

/* What the runner may see: itself and the libraries it is linked with. */
#define RUNNER_VIEW(runner) {"/usr", "/lib", "/lib64", "/etc/ld.so.cache", (runner), NULL}

int observe_begin(observe_target *t, hr_error *err)
{
    const char *const ro[] = RUNNER_VIEW(t->runner);
    t->session = sb_session_open(t->box, t->profile, ro, NULL, err);
    return t->session ? 0 : -1;
}

void observe_end(observe_target *t)
{
    sb_session_close(t->session);
    t->session = NULL;
}

static size_t utf8_length(const unsigned char *s)
{
    size_t n = s[0] < 0x80 ? 1 : (s[0] >> 5) == 0x6 ? 2 : (s[0] >> 4) == 0xe ? 3 : (s[0] >> 3) == 0x1e ? 4 : 0;
    for (size_t k = 1; k < n; k++)
        if ((s[k] & 0xc0) != 0x80)
            return 0;
    return n;
}

/* Printed text made safe for a report and a terminal: invalid bytes and
 * control characters become U+FFFD, except newlines, tabs and SGR colour
 * sequences (ESC [ digits ; m), which the notebook's messages use. */
char *observe_safe_text(const char *raw)
{
    if (!raw)
        return NULL;
    const unsigned char *s = (const unsigned char *)raw;
    size_t len = strlen(raw);
    char *out = malloc(len * 3 + 1), *o = out;
    for (size_t i = 0; out && i < len;) {
        size_t sgr = 0;
        if (s[i] == 0x1b && s[i + 1] == '[') {
            sgr = 2;
            while (i + sgr < len && (isdigit(s[i + sgr]) || s[i + sgr] == ';'))
                sgr++;
            sgr = s[i + sgr] == 'm' ? sgr + 1 : 0;
        }
        size_t n = sgr ? sgr : utf8_length(s + i);
        bool ok = sgr || (n > 0 && !(n == 1 && s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') && s[i] != 0x7f);
        if (ok) {
            memcpy(o, s + i, n);
            o += n;
            i += n;
        } else {
            memcpy(o, "\xef\xbf\xbd", 3);
            o += 3;
            i += 1;
        }
    }
    if (out)
        *o = '\0';
    return out;
}

int observe_run(const observe_target *t, const char *test_id, const char *function,
                const cJSON *inputs, const rubric_limits *limits, observation *obs, hr_error *err)
{
    memset(obs, 0, sizeof *obs);
    char *req = protocol_request(test_id, function, inputs, t->lockdown);
    if (!req)
        return hr_fail(err, "out of memory");
    const char *const argv[] = {t->runner, NULL};
    const char *const ro[] = RUNNER_VIEW(t->runner);
    sb_spec spec = {
        .argv = argv, .ro_paths = ro, .input = req, .input_len = strlen(req),
        .result_channel = true, .wall_s = limits->time_s, .cpu_s = limits->cpu_s,
        .memory_mb = limits->memory_mb, .output_kb = limits->output_kb,
        /* the diagnostic runner's LeakSanitizer stops the world from a thread of its own */
        .max_processes = t->profile == SB_PROFILE_DIAGNOSE ? 4 : 1,
        .profile = t->profile, .envp = t->envp,
    };
    sb_result res;
    int rc = t->session ? sb_session_run(t->session, &spec, &res, err) : sb_run(t->box, &spec, &res, err);
    free(req);
    if (rc != 0)
        return -1;
    obs->wall_s = res.wall_s;
    obs->cpu_s = res.cpu_s;
    obs->limit_s = limits->time_s;
    obs->out = observe_safe_text(res.out.data);
    obs->err = observe_safe_text(res.err.data);
    obs->out_truncated = res.out.truncated;
    sb_describe(&res, &spec, obs->detail, sizeof obs->detail);
    switch (res.end) {
    case SB_TIMED_OUT: obs->kind = OBS_TIMED_OUT; break;
    case SB_CPU_LIMIT: obs->kind = OBS_CPU_LIMIT; break;
    case SB_OUTPUT_LIMIT: obs->kind = OBS_OUTPUT_LIMIT; break;
    case SB_SIGNALED:
        obs->kind = OBS_CRASHED;
        obs->signal = res.signal;
        break;
    case SB_EXITED: {
        protocol_result pr;
        hr_error why;
        obs->exit_code = res.exit_code;
        if (res.result.len == 0) {
            obs->kind = OBS_EXITED;
            snprintf(obs->detail, sizeof obs->detail,
                     "the program ended (exit status %d) before the function returned", res.exit_code);
        } else if (res.result.truncated ||
                   protocol_read_result(res.result.data, res.result.len, test_id, &pr, &why) != 0) {
            obs->kind = OBS_NO_RESULT;
            snprintf(obs->detail, sizeof obs->detail, "the runner sent %s",
                     res.result.truncated ? "an oversized result" : why.msg);
        } else if (res.exit_code != 0) {
            obs->kind = OBS_NO_RESULT;
            snprintf(obs->detail, sizeof obs->detail, "the program exited with status %d after its result",
                     res.exit_code);
            protocol_result_free(&pr);
        } else if (pr.status == PROTO_MISSING) {
            obs->kind = OBS_MISSING;
            snprintf(obs->detail, sizeof obs->detail, "the function %s is missing", function);
        } else if (pr.status == PROTO_BAD_INPUTS) {
            obs->kind = OBS_HARNESS_FAULT;
            snprintf(obs->detail, sizeof obs->detail, "the runner could not call %s: %s", function, pr.error);
        } else {
            obs->kind = OBS_RETURNED;
            obs->ret = pr.ret;
            pr.ret = NULL;
            snprintf(obs->detail, sizeof obs->detail, "returned");
        }
        break;
    }
    }
    sb_result_free(&res);
    return 0;
}

void observation_free(observation *obs)
{
    cJSON_Delete(obs->ret);
    free(obs->out);
    free(obs->err);
    memset(obs, 0, sizeof *obs);
}

const char *obs_kind_name(obs_kind k)
{
    static const char *const names[] = {"returned", "missing", "timed_out", "cpu_limit", "output_limit",
                                        "crashed", "exited", "no_result", "harness_fault"};
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}
