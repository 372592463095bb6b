/* observe — see observe.h. */
#include "observe.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"
#include "sandbox_zygote.h"
#include "safetext.h"

/* What the runner may see: itself and the libraries it is linked with. */
#define RUNNER_VIEW(runner) {"/usr", "/lib", "/lib64", "/etc/ld.so.cache", (runner), NULL}

/* The processes a run may have: the diagnostic runner's LeakSanitizer stops
 * the world from a thread of its own. */
static int run_processes(const observe_target *t)
{
    return t->profile == SB_PROFILE_DIAGNOSE ? 4 : 1;
}

int observe_begin(observe_target *t, hr_error *err)
{
    const char *const ro[] = RUNNER_VIEW(t->runner);
    t->session = sb_session_open(t->box, t->profile, ro, NULL, err);
    if (!t->session)
        return -1;
    /* the runner loads once and forks each test (sandbox_zygote.h); where
     * the host allows none, each test execs it as before */
    if (t->lockdown && (t->profile == SB_PROFILE_RUN || t->profile == SB_PROFILE_DIAGNOSE)) {
        const char *const argv[] = {t->runner, t->profile == SB_PROFILE_DIAGNOSE ? ZYGOTE_ARG_DIAGNOSE
                                                                                 : ZYGOTE_ARG_RUN, NULL};
        hr_error none;
        sb_session_prestart(t->session, argv, t->envp, run_processes(t) + 1, &none);
    }
    return 0;
}

void observe_end(observe_target *t)
{
    sb_session_close(t->session);
    t->session = NULL;
}

int observe_run(const observe_target *t, const char *test_id, const char *function,
                const cJSON *inputs, const rubric_limits *limits, observation *obs, hr_error *err)
{
    return observe_run_calls(t, test_id, function, inputs, NULL, limits, obs, err);
}

int observe_run_calls(const observe_target *t, const char *test_id, const char *function,
                      const cJSON *inputs, const cJSON *calls, const rubric_limits *limits,
                      observation *obs, hr_error *err)
{
    memset(obs, 0, sizeof *obs);
    char *req = protocol_request_calls(test_id, function, inputs, calls, t->lockdown);
    if (!req)
        return hr_fail(err, "out of memory");
    const char *const argv[] = {t->runner, NULL};
    const char *const ro[] = RUNNER_VIEW(t->runner);
    sb_spec spec = {
        .argv = argv, .ro_paths = ro, .input = req, .input_len = strlen(req),
        .result_channel = true, .wall_s = limits->time_s, .cpu_s = limits->cpu_s,
        .memory_mb = limits->memory_mb, .output_kb = limits->output_kb,
        .max_processes = run_processes(t),
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
    /* the raw capture for the comparison of printed messages (as the kit
     * sees it), and safe text for everything shown */
    obs->out_raw = malloc(res.out.len + 1);
    if (obs->out_raw) {
        memcpy(obs->out_raw, res.out.data ? res.out.data : "", res.out.len);
        obs->out_raw[res.out.len] = '\0';
    }
    obs->out = safetext_make_len(res.out.data ? res.out.data : "", res.out.len, SIZE_MAX, NULL);
    obs->err = safetext_make_len(res.err.data ? res.err.data : "", res.err.len, SIZE_MAX, NULL);
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
        } else if (pr.status == PROTO_BAD_INPUTS && t->reference) {
            /* the reference's runner: the pack's inputs are at fault, and its
             * text (trusted code, made safe) says why */
            char *why_safe = safetext_make(pr.error);
            obs->kind = OBS_HARNESS_FAULT;
            snprintf(obs->detail, sizeof obs->detail, "the runner could not call %s: %s", function,
                     why_safe ? why_safe : "?");
            free(why_safe);
        } else if (pr.status == PROTO_BAD_INPUTS) {
            /* A graded run's inputs were checked when the pack was built: a
             * runner that says otherwise is student code speaking. A failed
             * test, in the grader's words; none of its text is kept. */
            obs->kind = OBS_NO_RESULT;
            snprintf(obs->detail, sizeof obs->detail, "%s did not return a value (the program sent an input "
                     "error of its own instead)", function);
        } else if (res.exit_code != 0) {
            obs->kind = OBS_NO_RESULT;
            snprintf(obs->detail, sizeof obs->detail, "the program exited with status %d after its result",
                     res.exit_code);
            protocol_result_free(&pr);
        } else if (pr.status == PROTO_MISSING) {
            obs->kind = OBS_MISSING;
            if (pr.lacking[0] && strcmp(pr.lacking, function) != 0)
                snprintf(obs->detail, sizeof obs->detail, "%s calls %s, which your file does not define",
                         function, pr.lacking);
            else
                snprintf(obs->detail, sizeof obs->detail, "the function %s is missing", function);
        } else {
            obs->kind = OBS_RETURNED;
            obs->ret = pr.ret;
            obs->trace = pr.trace;
            pr.ret = NULL;
            pr.trace = NULL;
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
    cJSON_Delete(obs->trace);
    free(obs->out);
    free(obs->out_raw);
    free(obs->err);
    memset(obs, 0, sizeof *obs);
}

const char *obs_kind_name(obs_kind k)
{
    static const char *const names[] = {"returned", "missing", "timed_out", "cpu_limit", "output_limit",
                                        "crashed", "exited", "no_result", "harness_fault"};
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}
