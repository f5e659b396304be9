/* files.c -- files into and out of a page: an upload sets files on the
 * file input behind the control a step names (DOM.setFileInputFiles,
 * which fires the input and change events a page listens for), found in
 * the page (38-act-files.js) or, for a control whose script opens the
 * chooser itself, by clicking it with the chooser intercepted
 * (Page.fileChooserOpened names the input); a download clicks its
 * control and follows the browser's download events to the end. The
 * files themselves are the runner's. */
#include "sel.h"
#include "sel_int.h"
#include "../cdp/cdp.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILES_CALL_MS 10000   /* one protocol call on the page */

static const char *jstr(const cJSON *o, const char *k)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static sel_code call(struct sel_page *p, const char *method, cJSON *a,
                     cJSON **res, char *err, size_t errlen)
{
    cdp_code rc = sel__call(p, method, a, FILES_CALL_MS, res);

    if (rc == CDP_OK)
        return SEL_OK;
    if (rc == CDP_E_PROTOCOL)
        return ut_err(err, errlen, SEL_E_ACTION, "%s",
                      cdp_errmsg(cdp_session_conn(sel_page_session(p))));
    return sel__page_err(p, rc, "answer", FILES_CALL_MS, err, errlen);
}

/* ---- upload ------------------------------------------------------------- */

/* The remote object id of the file input R's element stands for, or
 * NULL (*RC says whether that is an error). Caller frees. */
static char *input_of(struct sel_page *p, const struct sel_result *r,
                      sel_code *rc, char *err, size_t errlen)
{
    cJSON *a = cJSON_CreateObject(), *res = NULL;
    const char *id;
    char expr[96], *out = NULL;

    snprintf(expr, sizeof expr, "__cdpilot.fileInputOf(%d)", r->handle);
    cJSON_AddStringToObject(a, "expression", expr);
    *rc = call(p, "Runtime.evaluate", a, &res, err, errlen);
    if (*rc)
        return NULL;
    if (cJSON_GetObjectItemCaseSensitive(res, "exceptionDetails"))
        *rc = ut_err(err, errlen, SEL_E_JS, "the page script could not "
                     "look for the file input");
    id = jstr(cJSON_GetObjectItemCaseSensitive(res, "result"), "objectId");
    if (!*rc && id && !(out = ut_strdup(id)))
        *rc = SEL_E_NOMEM;
    cJSON_Delete(res);
    return out;
}

static cJSON *files_array(const char *const *files, size_t n)
{
    cJSON *f = cJSON_CreateArray();
    size_t i;

    for (i = 0; f && i < n; i++)
        cJSON_AddItemToArray(f, cJSON_CreateString(files[i]));
    return f;
}

/* What input OBJ holds now: *VIA its description; the files it holds
 * must be the N given. */
static sel_code check_input(struct sel_page *p, const char *obj, size_t n,
                            char **via, char *err, size_t errlen)
{
    cJSON *a = cJSON_CreateObject(), *res = NULL, *v;
    sel_code rc;
    int got;

    cJSON_AddStringToObject(a, "objectId", obj);
    cJSON_AddStringToObject(a, "functionDeclaration",
                            "function(){return __cdpilot.fileInfo(this)}");
    cJSON_AddBoolToObject(a, "returnByValue", 1);
    if ((rc = call(p, "Runtime.callFunctionOn", a, &res, err, errlen)))
        return rc;
    v = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(res, "result"), "value");
    got = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(v, "files"));
    free(*via);
    *via = ut_strdup(jstr(v, "desc") ? jstr(v, "desc") : "the file input");
    if (!v)
        rc = ut_err(err, errlen, SEL_E_JS, "the page script could not read "
                    "the file input");
    else if ((size_t)got != n)
        rc = ut_err(err, errlen, SEL_E_ACTION, "%s holds %d file%s after "
                    "the upload, not %zu%s", *via ? *via : "the input", got,
                    got == 1 ? "" : "s", n, n > 1 && !cJSON_IsTrue(
                    cJSON_GetObjectItemCaseSensitive(v, "multiple")) ?
                    " (it takes one file: no \"multiple\" attribute)" : "");
    cJSON_Delete(res);
    return rc;
}

static void release(struct sel_page *p, const char *obj)
{
    cJSON *a = cJSON_CreateObject();

    cJSON_AddStringToObject(a, "objectId", obj);
    cdp_send(sel_page_session(p), "Runtime.releaseObject", a);
}

/* The file chooser a click opened: the input it is for. */
struct chooser {
    struct cdp_session *s;
    int opened;
    long node;               /* backendNodeId, 0 when none (a picker) */
    char mode[32];
};

static void on_chooser(void *ud, struct cdp_session *s, const char *method,
                       const cJSON *params)
{
    struct chooser *c = ud;
    const cJSON *n;

    if (s != c->s || c->opened ||
        strcmp(method, "Page.fileChooserOpened") != 0)
        return;
    c->opened = 1;
    n = cJSON_GetObjectItemCaseSensitive(params, "backendNodeId");
    c->node = cJSON_IsNumber(n) ? (long)n->valuedouble : 0;
    ut_strlcpy(c->mode, jstr(params, "mode") ? jstr(params, "mode") : "",
               sizeof c->mode);
}

static sel_code intercept(struct sel_page *p, int on, char *err,
                          size_t errlen)
{
    cJSON *a = cJSON_CreateObject();

    cJSON_AddBoolToObject(a, "enabled", on);
    return call(p, "Page.setInterceptFileChooserDialog", a, NULL, err,
                errlen);
}

/* R's element, found ready for a click (in view, stable, not covered)
 * within TIMEOUT_MS: its point in *X, *Y. */
static sel_code ready_to_click(struct sel_page *p, const struct sel_result *r,
                               int timeout_ms, double *x, double *y,
                               char *err, size_t errlen)
{
    cJSON *v = NULL;
    char expr[128];
    const char *why;
    sel_code rc;

    snprintf(expr, sizeof expr, "__cdpilot.locateHandle(%d,{kind:'click',"
             "timeout:%d})", r->handle, timeout_ms);
    rc = sel_eval(p, expr, 1, timeout_ms + 2000, &v, err, errlen);
    if (!rc && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "ok"))) {
        why = jstr(v, "seen");
        rc = ut_err(err, errlen, SEL_E_NOTREADY, "no file input, and the "
                    "element is not ready to be clicked for its file "
                    "chooser: %s", why && *why ? why : "not actionable");
    }
    *x = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(v, "x"));
    *y = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(v, "y"));
    cJSON_Delete(v);
    return rc;
}

/* Clicks R's element with the chooser intercepted; *OBJ is the remote
 * object of the input the page opened it for. */
static sel_code by_chooser(struct sel_page *p, const struct sel_result *r,
                           int timeout_ms, char **obj, char *err,
                           size_t errlen)
{
    struct cdp_conn *conn = cdp_session_conn(sel_page_session(p));
    struct chooser c = { sel_page_session(p), 0, 0, "" };
    int64_t deadline = ut_now_ms() + timeout_ms;
    struct sel_result at = *r;
    int sub;
    cJSON *a, *res = NULL;
    sel_code rc;

    /* resolved as attached (the input may be hidden): now it is clicked */
    if ((rc = ready_to_click(p, r, timeout_ms, &at.x, &at.y, err, errlen)) ||
        (rc = intercept(p, 1, err, errlen)))
        return rc;
    sub = cdp_subscribe(conn, on_chooser, &c);
    rc = sel_click(p, &at, (int)(deadline - ut_now_ms()), err, errlen);
    while (!rc && !c.opened && !sel__crashed(p) && ut_now_ms() < deadline &&
           cdp_pump(conn, (int)(deadline - ut_now_ms()), 1) == CDP_OK)
        ;
    cdp_unsubscribe(conn, sub);
    (void)intercept(p, 0, NULL, 0);
    if (rc)
        return rc;
    if (sel__crashed(p))
        return sel__page_err(p, CDP_E_CRASHED, "answer", timeout_ms, err,
                             errlen);
    if (!c.opened)
        return ut_err(err, errlen, SEL_E_ACTION, "no file input: the "
                      "element is not one, holds none, is no label for "
                      "one, and a click on it opened no file chooser "
                      "within %d ms", timeout_ms);
    if (!c.node)
        return ut_err(err, errlen, SEL_E_ACTION, "the click opened a file "
                      "picker with no file input behind it (the File "
                      "System Access API), which cannot be given files");
    a = cJSON_CreateObject();
    cJSON_AddNumberToObject(a, "backendNodeId", (double)c.node);
    if ((rc = call(p, "DOM.resolveNode", a, &res, err, errlen)))
        return rc;
    *obj = ut_strdup(jstr(cJSON_GetObjectItemCaseSensitive(res, "object"),
                          "objectId"));
    cJSON_Delete(res);
    return *obj ? SEL_OK : ut_err(err, errlen, SEL_E_ACTION, "the file "
                                  "chooser's input is gone");
}

sel_code sel_upload(struct sel_page *p, const struct sel_result *r,
                    const char *const *files, size_t n, int timeout_ms,
                    char **via, char *err, size_t errlen)
{
    char *obj;
    cJSON *a;
    sel_code rc;

    obj = input_of(p, r, &rc, err, errlen);
    if (!obj && !rc)
        rc = by_chooser(p, r, timeout_ms, &obj, err, errlen);
    if (rc)
        return rc;
    sel__input_mark(p);
    a = cJSON_CreateObject();
    cJSON_AddItemToObject(a, "files", files_array(files, n));
    cJSON_AddStringToObject(a, "objectId", obj);
    rc = call(p, "DOM.setFileInputFiles", a, NULL, err, errlen);
    if (!rc)
        rc = check_input(p, obj, n, via, err, errlen);
    release(p, obj);
    free(obj);
    return rc;
}

/* ---- download ----------------------------------------------------------- */

struct dl_watch {
    struct sel_download *d;
    int begun;
    int state;               /* 0 in progress, 1 completed, 2 canceled */
};

static void on_download(void *ud, struct cdp_session *s, const char *method,
                        const cJSON *params)
{
    struct dl_watch *w = ud;
    const char *guid = jstr(params, "guid"), *st;
    const cJSON *n;

    (void)s;
    if (!guid)
        return;
    if (strcmp(method, "Browser.downloadWillBegin") == 0) {
        if (w->begun)
            return;                /* the first one is the step's */
        w->begun = 1;
        ut_strlcpy(w->d->guid, guid, sizeof w->d->guid);
        w->d->name = ut_strdup(jstr(params, "suggestedFilename") ?
                               jstr(params, "suggestedFilename") : "");
        w->d->url = ut_strdup(jstr(params, "url") ? jstr(params, "url")
                                                  : "");
        return;
    }
    if (strcmp(method, "Browser.downloadProgress") != 0 || !w->begun ||
        strcmp(guid, w->d->guid) != 0)
        return;
    n = cJSON_GetObjectItemCaseSensitive(params, "receivedBytes");
    if (cJSON_IsNumber(n))
        w->d->bytes = (int64_t)n->valuedouble;
    st = jstr(params, "state");
    if (st && strcmp(st, "completed") == 0)
        w->state = 1;
    else if (st && strcmp(st, "canceled") == 0)
        w->state = 2;
}

/* Services the socket until COND(W) or the deadline; 0, or -1 when the
 * page crashed or the connection closed. */
static int pump_until(struct sel_page *p, struct dl_watch *w, int done,
                      int64_t deadline)
{
    struct cdp_conn *conn = cdp_session_conn(sel_page_session(p));

    while (!(done ? w->state != 0 : w->begun) && ut_now_ms() < deadline) {
        if (sel__crashed(p) ||
            cdp_pump(conn, (int)(deadline - ut_now_ms()), 1) != CDP_OK)
            return -1;
    }
    return 0;
}

sel_code sel_download(struct sel_page *p, const struct sel_result *r,
                      const char *dir, const char *context, int begin_ms,
                      int done_ms, struct sel_download *d, char *err,
                      size_t errlen)
{
    struct cdp_conn *conn = cdp_session_conn(sel_page_session(p));
    struct dl_watch w = { d, 0, 0 };
    int sub;
    sel_code rc;

    memset(d, 0, sizeof *d);
    if (cdp_download_to(conn, context, dir, FILES_CALL_MS) != CDP_OK)
        return ut_err(err, errlen, SEL_E_BROWSER, "downloads: %s",
                      cdp_errmsg(conn));
    sub = cdp_subscribe(conn, on_download, &w);
    rc = sel_click(p, r, begin_ms, err, errlen);
    if (!rc && (pump_until(p, &w, 0, ut_now_ms() + begin_ms) ||
                (w.begun && pump_until(p, &w, 1, ut_now_ms() + done_ms))))
        rc = sel__crashed(p) ? sel__page_err(p, CDP_E_CRASHED, "answer",
                                             begin_ms, err, errlen)
             : (sel_code)ut_err(err, errlen, SEL_E_BROWSER, "%s",
                                cdp_errmsg(conn));
    cdp_unsubscribe(conn, sub);
    if (rc)
        return rc;
    if (!w.begun)
        return ut_err(err, errlen, SEL_E_TIMEOUT, "no download started "
                      "within %d ms of the click", begin_ms);
    if (w.state == 2)
        return ut_err(err, errlen, SEL_E_ACTION, "the download of \"%s\" "
                      "was canceled after %lld bytes", d->name ? d->name
                      : "", (long long)d->bytes);
    if (w.state == 0) {
        (void)cdp_download_cancel(conn, context, d->guid, FILES_CALL_MS);
        return ut_err(err, errlen, SEL_E_TIMEOUT, "the download of \"%s\" "
                      "did not finish within %d ms (%lld bytes so far)",
                      d->name ? d->name : "", done_ms,
                      (long long)d->bytes);
    }
    return d->name && d->url ? SEL_OK : SEL_E_NOMEM;
}

void sel_download_clear(struct sel_download *d)
{
    free(d->name);
    free(d->url);
    memset(d, 0, sizeof *d);
}
