/* context.c -- browser-wide settings a run makes on the browser it drives:
 * browser contexts (a task of its own on a shared browser) and where
 * downloads go. Each is one call on the browser session; no state here. */
#include "cdp_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cdp_code cdp_context_new(struct cdp_conn *c, int timeout_ms, char **id)
{
    cJSON *res = NULL;
    const char *v;
    cdp_code rc;

    *id = NULL;
    if (!c)
        return CDP_E_CLOSED;
    rc = cdp_call(&c->browser, "Target.createBrowserContext", NULL,
                  timeout_ms, &res);
    if (rc != CDP_OK)
        return rc;
    v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
        res, "browserContextId"));
    if (!v) {
        snprintf(c->err, sizeof c->err, "Target.createBrowserContext: "
                 "no browserContextId");
        rc = CDP_E_PROTOCOL;
    } else if (!(*id = ut_strdup(v))) {
        rc = CDP_E_NOMEM;
    }
    cJSON_Delete(res);
    return rc;
}

cdp_code cdp_context_dispose(struct cdp_conn *c, const char *id,
                             int timeout_ms)
{
    cJSON *a;

    if (!c || !id)
        return CDP_E_CLOSED;
    a = cJSON_CreateObject();
    if (!a || !cJSON_AddStringToObject(a, "browserContextId", id)) {
        cJSON_Delete(a);
        return CDP_E_NOMEM;
    }
    return cdp_call(&c->browser, "Target.disposeBrowserContext", a,
                    timeout_ms, NULL);
}

cdp_code cdp_keep_downloads(const struct cdp_browser *b, struct cdp_conn *c,
                            int timeout_ms)
{
    const char *ud = b ? cdp_browser_dir(b) : "";
    char dir[4200];
    cJSON *a;

    if (!c)
        return CDP_E_CLOSED;
    if (!*ud ||                                  /* never "/downloads" */
        (size_t)snprintf(dir, sizeof dir, "%s/downloads", ud) >= sizeof dir) {
        snprintf(c->err, sizeof c->err, "downloads: no user-data-dir");
        return CDP_E_LAUNCH;
    }
    if (ut_mkdir_p(dir, 0700) != 0) {
        snprintf(c->err, sizeof c->err, "downloads: %.400s: %s", dir,
                 strerror(errno));
        return CDP_E_LAUNCH;
    }
    a = cJSON_CreateObject();
    if (!a || !cJSON_AddStringToObject(a, "behavior", "allow") ||
        !cJSON_AddStringToObject(a, "downloadPath", dir)) {
        cJSON_Delete(a);
        return CDP_E_NOMEM;
    }
    return cdp_call(&c->browser, "Browser.setDownloadBehavior", a,
                    timeout_ms, NULL);
}

cdp_code cdp_download_to(struct cdp_conn *c, const char *context,
                         const char *dir, int timeout_ms)
{
    cJSON *a;

    if (!c)
        return CDP_E_CLOSED;
    a = cJSON_CreateObject();
    if (!a || !cJSON_AddStringToObject(a, "behavior", dir ? "allowAndName"
                                                          : "default") ||
        (dir && (!cJSON_AddStringToObject(a, "downloadPath", dir) ||
                 !cJSON_AddBoolToObject(a, "eventsEnabled", 1))) ||
        (context && !cJSON_AddStringToObject(a, "browserContextId",
                                             context))) {
        cJSON_Delete(a);
        return CDP_E_NOMEM;
    }
    return cdp_call(&c->browser, "Browser.setDownloadBehavior", a,
                    timeout_ms, NULL);
}

cdp_code cdp_download_cancel(struct cdp_conn *c, const char *context,
                             const char *guid, int timeout_ms)
{
    cJSON *a;

    if (!c || !guid)
        return CDP_E_CLOSED;
    a = cJSON_CreateObject();
    if (!a || !cJSON_AddStringToObject(a, "guid", guid) ||
        (context && !cJSON_AddStringToObject(a, "browserContextId",
                                             context))) {
        cJSON_Delete(a);
        return CDP_E_NOMEM;
    }
    return cdp_call(&c->browser, "Browser.cancelDownload", a, timeout_ms,
                    NULL);
}
