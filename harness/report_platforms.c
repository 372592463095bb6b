/* report_platforms — see report_platforms.h. (Filled in by the platforms work.) */
#include "report_platforms.h"

cJSON *report_gradescope(const pack *p, const grade_result *g)
{
    (void)p;
    (void)g;
    return NULL;
}

cJSON *report_prairielearn(const pack *p, const grade_result *g)
{
    (void)p;
    (void)g;
    return NULL;
}
