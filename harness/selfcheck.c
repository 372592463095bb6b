/* selfcheck — see selfcheck.h. */
#include "selfcheck.h"

#include <stdio.h>
#include <string.h>

#include "jsonio.h"
#include "score.h"

/* Runs entry on test t of exercise e and scores it as the grader does. */
static int score_one(const pack *p, const selfcheck_entry *entry, size_t e, size_t t, score_test *st,
                     hr_error *err)
{
    const rubric_test *test = &p->rubric.exercises[e].tests[t];
    const pack_case *c = &p->cases[e][t];
    observation obs;
    if (observe_run(&entry->runner, c->id, test->function, c->inputs, &test->limits, &obs, err) != 0)
        return hr_wrap(err, "running '%s' on test %s", entry->entry->id, c->id);
    score_observed(&p->rubric, test, c, &obs, st);
    observation_free(&obs);
    return 0;
}

int selfcheck_variants(const pack *p, const char *catalogue, const selfcheck_entry *variants, size_t n,
                       hr_error *err)
{
    for (size_t v = 0; v < n; v++)
        for (size_t e = 0; e < p->rubric.nexercises; e++)
            for (size_t t = 0; t < p->rubric.exercises[e].ntests; t++) {
                score_test st;
                if (score_one(p, &variants[v], e, t, &st, err) != 0)
                    return -1;
                bool lost = !st.passed;
                if (lost) {
                    const rubric_test *test = &p->rubric.exercises[e].tests[t];
                    hr_fail(err, "%s:%d: test '%s' (%s) is unfair: the legitimate variant '%s' (%s:%d) "
                            "would lose %g points: %s", p->rubric.path, test->line, test->name,
                            p->cases[e][t].id, variants[v].entry->id, catalogue, variants[v].entry->line,
                            st.max_score, st.detail);
                }
                score_test_free(&st);
                if (lost)
                    return -1;
            }
    return 0;
}

int selfcheck_template(const pack *p, hr_error *err)
{
    for (size_t e = 0; e < p->rubric.nexercises; e++)
        for (size_t t = 0; t < p->rubric.exercises[e].ntests; t++) {
            const rubric_test *test = &p->rubric.exercises[e].tests[t];
            const pack_case *c = &p->cases[e][t];
            if (!c->as_handed_out || test->points <= 0)
                continue;
            observation obs = {.kind = OBS_RETURNED,
                               .ret = cJSON_Duplicate(jsonio_get(c->as_handed_out, "return"), 1),
                               .out = (char *)cJSON_GetStringValue(jsonio_get(c->as_handed_out, "stdout"))};
            score_test st;
            score_observed(&p->rubric, test, c, &obs, &st);
            cJSON_Delete(obs.ret);
            bool passed = st.passed;
            score_test_free(&st);
            if (passed)
                return hr_fail(err, "%s:%d: test '%s' (%s) proves nothing: the template passes it as handed out",
                               p->rubric.path, test->line, test->name, c->id);
        }
    return 0;
}

static long exercise_index(const pack *p, const char *id)
{
    for (size_t e = 0; e < p->rubric.nexercises; e++)
        if (!strcmp(p->rubric.exercises[e].id, id))
            return (long)e;
    return -1;
}

int selfcheck_mistakes(const pack *p, const char *catalogue, const selfcheck_entry *mistakes, size_t n,
                       hr_error *err)
{
    for (size_t k = 0; k < n; k++) {
        const mistake *m = mistakes[k].entry;
        for (char **ex = m->loses; ex && *ex; ex++) {
            long e = exercise_index(p, *ex);
            if (e < 0)
                return hr_fail(err, "%s:%d: mistake '%s': 'loses' names '%s', which is no exercise of the "
                               "rubric", catalogue, m->line, m->id, *ex);
            double score = 0, max = 0;
            for (size_t t = 0; t < p->rubric.exercises[e].ntests; t++) {
                score_test st;
                if (score_one(p, &mistakes[k], (size_t)e, t, &st, err) != 0)
                    return -1;
                score += st.score;
                max += st.max_score;
                score_test_free(&st);
            }
            if (score >= max) {
                return hr_fail(err, "%s:%d: mistake '%s' scores full marks in %s (%g/%g), but the catalogue "
                               "says it loses points there: the rubric lets it through", catalogue, m->line,
                               m->id, *ex, score, max);
            }
        }
    }
    return 0;
}
