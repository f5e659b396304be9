/* smoke_grid.c -- smoke with --grid: telling a task whose grid browser
 * was lost mid-task (a node died, the session was ended under it) from
 * one that failed on its own, from the child's JSON report. */
#include "smoke_int.h"

#include <string.h>

int run__smoke_grid_lost(const struct attempt *a)
{
    const cJSON *br, *steps, *st;

    if (a->code != RUN_EXIT_BROWSER || !a->report)
        return 0;
    br = cJSON_GetObjectItemCaseSensitive(a->report, "browser");
    if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(br, "grid")))
        return 0;
    steps = cJSON_GetObjectItemCaseSensitive(a->report, "steps");
    cJSON_ArrayForEach(st, steps) {
        const char *c = cJSON_GetStringValue(
            cJSON_GetObjectItemCaseSensitive(st, "error_class"));
        if (c && strcmp(c, "browser-crashed") == 0)
            return 1;
    }
    return 0;
}
