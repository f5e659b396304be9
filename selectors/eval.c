/* eval.c -- running page-script code in a page: sel_eval (the script
 * installed again when a navigation lost it, the evaluation made again
 * when the page's context went away under it), calls of the script's
 * functions by name (sel_eval_call, for selectors/ only) and reads built
 * on them. The page itself, its events and loads are page.c's. */
#include "sel.h"
#include "sel_int.h"
#include "../cdp/cdp.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

#define EVAL_SETUP_MS 30000     /* as the page's other setup calls */

static int is_context_gone(const char *msg)
{
    return strstr(msg, "context was destroyed") ||
           strstr(msg, "Cannot find context") ||
           strstr(msg, "Cannot find default execution context") ||
           strstr(msg, "Inspected target navigated");
}

sel_code sel_eval(struct sel_page *p, const char *expr, int await,
                  int timeout_ms, cJSON **value, char *err, size_t errlen)
{
    struct cdp_session *s = sel_page_session(p);
    struct cdp_conn *c = cdp_session_conn(s);
    int64_t deadline = ut_now_ms() + timeout_ms;
    int installed = 0, ctx = 0;

    if (value)
        *value = NULL;
    for (;;) {
        cJSON *a, *res = NULL, *exc, *rv;
        int64_t left = deadline - ut_now_ms();
        cdp_code rc;

        if (sel__crashed(p))
            return sel__page_err(p, CDP_E_CRASHED, "answer", timeout_ms, err,
                                 errlen);
        /* a cross-origin frame's realm (frames.c), else the top */
        if (sel__frame_where(p, &s, &ctx))
            return ut_err(err, errlen, SEL_E_ACTION, "the frame went away "
                          "(it navigated or was removed)");
        a = cJSON_CreateObject();
        if (ctx)
            cJSON_AddNumberToObject(a, "contextId", ctx);
        cJSON_AddStringToObject(a, "expression", expr);
        cJSON_AddBoolToObject(a, "returnByValue", 1);
        if (await)
            cJSON_AddBoolToObject(a, "awaitPromise", 1);
        /* The page script's own waits end at the step deadline; the call
         * gets a little longer so that its answer, not ours, says why. */
        rc = s == sel_page_session(p) ?
             sel__call(p, "Runtime.evaluate", a,
                       (int)(left > 0 ? left : 0) + 1000, &res) :
             cdp_call(s, "Runtime.evaluate", a,
                      (int)(left > 0 ? left : 0) + 1000, &res);
        if (rc == CDP_E_TIMEOUT || rc == CDP_E_CRASHED)
            return sel__page_err(p, rc, "answer", timeout_ms, err, errlen);
        if (rc == CDP_E_CLOSED && s != sel_page_session(p))
            return ut_err(err, errlen, SEL_E_ACTION, "the frame went away "
                          "(it navigated or was removed)");
        if (rc == CDP_E_PROTOCOL && is_context_gone(cdp_errmsg(c)) &&
            left > 0) {
            sel_settle(p, (int)left, NULL, 0);
            continue;
        }
        if (rc != CDP_OK)
            return ut_err(err, errlen, SEL_E_BROWSER, "%s", cdp_errmsg(c));
        exc = cJSON_GetObjectItemCaseSensitive(res, "exceptionDetails");
        if (exc) {
            const char *d = cJSON_GetStringValue(
                cJSON_GetObjectItemCaseSensitive(
                    cJSON_GetObjectItemCaseSensitive(exc, "exception"),
                    "description"));
            char line[400];
            if (!d)
                d = cJSON_GetStringValue(
                    cJSON_GetObjectItemCaseSensitive(exc, "text"));
            if (!d)
                d = "exception";
            if (strstr(d, "__cdpilot is not defined") && !installed) {
                installed = 1;
                cJSON_Delete(res);
                if (sel__install(s, ctx, err, errlen) != SEL_OK)
                    return SEL_E_BROWSER;
                continue;
            }
            if (is_context_gone(d) && left > 0) {
                cJSON_Delete(res);
                sel_settle(p, (int)left, NULL, 0);
                continue;
            }
            ut_strlcpy(line, d, sizeof line);
            line[strcspn(line, "\n")] = '\0';
            ut_err(err, errlen, 0, "%s", line);
            cJSON_Delete(res);
            return SEL_E_JS;
        }
        rv = cJSON_GetObjectItemCaseSensitive(res, "result");
        if (value && rv)
            *value = cJSON_DetachItemFromObjectCaseSensitive(rv, "value");
        cJSON_Delete(res);
        return SEL_OK;
    }
}

sel_code sel__install(struct cdp_session *s, int ctx, char *err,
                      size_t errlen)
{
    cJSON *a = cJSON_CreateObject();

    if (ctx)
        cJSON_AddNumberToObject(a, "contextId", ctx);
    cJSON_AddStringToObject(a, "expression", sel_page_js);
    if (cdp_call(s, "Runtime.evaluate", a, EVAL_SETUP_MS, NULL) != CDP_OK)
        return ut_err(err, errlen, SEL_E_BROWSER, "installing the page "
                      "script: %s", cdp_errmsg(cdp_session_conn(s)));
    return SEL_OK;
}

sel_code sel_eval_call(struct sel_page *p, const char *fn, cJSON *args,
                        int await, int timeout_ms, cJSON **value,
                        char *err, size_t errlen)
{
    ut_buf e;
    char *a = cJSON_PrintUnformatted(args);
    sel_code rc;

    cJSON_Delete(args);
    if (!a)
        return SEL_E_NOMEM;
    /* ARGS is a JSON array: spread it into the call. */
    ut_buf_init(&e, UT_MAX_TEXT);
    if (ut_buf_addf(&e, "__cdpilot.%s(...%s)", fn, a)) {
        free(a);
        ut_buf_free(&e);
        return ut_err(err, errlen, SEL_E_NOMEM, "arguments too large");
    }
    free(a);
    rc = sel_eval(p, e.p, await, timeout_ms, value, err, errlen);
    ut_buf_free(&e);
    return rc;
}

char *sel_page_html(struct sel_page *p, int timeout_ms)
{
    cJSON *v = NULL;
    char *html = NULL;

    if (sel_page_state(p) == SEL_PAGE_OK &&
        sel_eval(p, "document.documentElement.outerHTML", 0, timeout_ms, &v,
                 NULL, 0) == SEL_OK && cJSON_IsString(v))
        html = ut_strdup(v->valuestring);
    cJSON_Delete(v);
    return html;
}
