/* observe — see observe.h. */
#include "observe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"

int observe_run(const observe_target *t, const char *test_id, const char *function,
                const cJSON *inputs, const rubric_limits *limits, observation *obs, hr_error *err)
{
    memset(obs, 0, sizeof *obs);
    char *req = protocol_request(test_id, function, inputs, t->lockdown);
    if (!req)
        return hr_fail(err, "out of memory");
    const char *const argv[] = {t->runner, NULL};
    const char *const ro[] = {"/usr", "/lib", "/lib64", "/etc/ld.so.cache", t->runner, NULL};
    sb_spec spec = {
        .argv = argv, .ro_paths = ro, .input = req, .input_len = strlen(req),
        .result_channel = true, .wall_s = limits->time_s, .cpu_s = limits->cpu_s,
        .memory_mb = limits->memory_mb, .output_kb = limits->output_kb, .max_processes = 1,
        .profile = t->profile,
    };
    sb_result res;
    int rc = sb_run(t->box, &spec, &res, err);
    free(req);
    if (rc != 0)
        return -1;
    obs->wall_s = res.wall_s;
    obs->cpu_s = res.cpu_s;
    obs->limit_s = limits->time_s;
    obs->out = res.out.data;
    obs->err = res.err.data;
    obs->out_truncated = res.out.truncated;
    res.out.data = res.err.data = NULL;
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
