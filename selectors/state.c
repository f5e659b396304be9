/* state.c -- a browser context's session state as Playwright's
 * storageState file holds it: every cookie of the context
 * (Storage.getCookies / Storage.setCookies) and the localStorage of each
 * origin the run visited ({"cookies": [...], "origins": [{"origin",
 * "localStorage": [{name, value}]}]}).
 *
 * localStorage belongs to an origin, so it is read and written from a
 * document of that origin, before any page script of the application can
 * read it: a background tab of the same browser context goes to the
 * origin's "/" while the Fetch domain answers that request itself with an
 * empty page. No server sees the request, no application script runs, and
 * the tabs the task works in are not touched (Playwright does the same).
 * Values are secrets: no error message here quotes one. */
#include "sel.h"
#include "sel_int.h"
#include "../cdp/cdp.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

#define STATE_MAX_ORIGINS 256
#define STATE_POLL_MS     20

struct sel_state {
    struct cdp_conn *c;
    int sub;
    char *origins[STATE_MAX_ORIGINS];
    size_t n;
};

static const char *jstr(const cJSON *o, const char *k)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static int web_origin(const char *o)
{
    return o && (ut_starts_with(o, "http://") ||
                 ut_starts_with(o, "https://"));
}

void sel_state_note(struct sel_state *w, const char *origin)
{
    size_t i;

    if (!w || !web_origin(origin) || w->n >= STATE_MAX_ORIGINS)
        return;
    for (i = 0; i < w->n; i++)
        if (strcmp(w->origins[i], origin) == 0)
            return;
    if ((w->origins[w->n] = ut_strdup(origin)) != NULL)
        w->n++;
}

/* Every frame of every page on the connection that commits a document
 * of a web origin adds it (Page.Frame.securityOrigin). */
static void on_event(void *ud, struct cdp_session *s, const char *method,
                     const cJSON *params)
{
    (void)s;
    if (strcmp(method, "Page.frameNavigated") == 0)
        sel_state_note(ud, jstr(cJSON_GetObjectItemCaseSensitive(params,
                                "frame"), "securityOrigin"));
}

struct sel_state *sel_state_watch(struct sel_page *p)
{
    struct sel_state *w = calloc(1, sizeof *w);

    if (!w)
        return NULL;
    w->c = cdp_session_conn(sel_page_session(p));
    w->sub = cdp_subscribe(w->c, on_event, w);
    return w;
}

void sel_state_free(struct sel_state *w)
{
    size_t i;

    if (!w)
        return;
    if (w->sub > 0)
        cdp_unsubscribe(w->c, w->sub);
    for (i = 0; i < w->n; i++)
        free(w->origins[i]);
    free(w);
}

/* ---- cookies -------------------------------------------------------------- */

void sel__context_of(struct sel_page *p, char *ctx, size_t n)
{
    struct cdp_session *s = sel_page_session(p);
    cJSON *a = cJSON_CreateObject(), *res = NULL;
    const char *id;

    ctx[0] = '\0';
    cJSON_AddStringToObject(a, "targetId", cdp_session_target(s));
    if (cdp_call(cdp_browser_session(cdp_session_conn(s)),
                 "Target.getTargetInfo", a, 5000, &res) == CDP_OK &&
        (id = jstr(cJSON_GetObjectItemCaseSensitive(res, "targetInfo"),
                   "browserContextId")) != NULL)
        ut_strlcpy(ctx, id, n);
    cJSON_Delete(res);
}

static sel_code browser_err(struct cdp_conn *c, const char *what, char *err,
                            size_t errlen)
{
    return ut_err(err, errlen, SEL_E_BROWSER, "%s: %s", what,
                  cdp_errmsg(c));
}

/* A CDP cookie as a storageState cookie: the eight keys Playwright
 * writes, sameSite "Lax" when Chrome leaves it out (as Playwright). */
static cJSON *cookie_out(const cJSON *ck)
{
    static const char *const strs[] = { "name", "value", "domain", "path" };
    const cJSON *v;
    cJSON *o = cJSON_CreateObject();
    size_t i;

    for (i = 0; i < 4; i++)
        cJSON_AddStringToObject(o, strs[i], jstr(ck, strs[i]) ?
                                jstr(ck, strs[i]) : "");
    v = cJSON_GetObjectItemCaseSensitive(ck, "expires");
    cJSON_AddNumberToObject(o, "expires",
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ck, "session")) ||
        !cJSON_IsNumber(v) || v->valuedouble <= 0 ? -1 : v->valuedouble);
    cJSON_AddBoolToObject(o, "httpOnly", cJSON_IsTrue(
        cJSON_GetObjectItemCaseSensitive(ck, "httpOnly")));
    cJSON_AddBoolToObject(o, "secure", cJSON_IsTrue(
        cJSON_GetObjectItemCaseSensitive(ck, "secure")));
    cJSON_AddStringToObject(o, "sameSite", jstr(ck, "sameSite") ?
                            jstr(ck, "sameSite") : "Lax");
    return o;
}

/* The context's cookies, as a storageState "cookies" array in *OUT. */
static sel_code cookies_get(struct sel_page *p, const char *ctx,
                            int timeout_ms, cJSON **out, char *err,
                            size_t errlen)
{
    struct cdp_conn *c = cdp_session_conn(sel_page_session(p));
    cJSON *a = cJSON_CreateObject(), *res = NULL, *arr;
    const cJSON *ck;

    if (*ctx)
        cJSON_AddStringToObject(a, "browserContextId", ctx);
    if (cdp_call(cdp_browser_session(c), "Storage.getCookies", a,
                 timeout_ms, &res) != CDP_OK)
        return browser_err(c, "reading the cookies", err, errlen);
    arr = cJSON_CreateArray();
    cJSON_ArrayForEach(ck, cJSON_GetObjectItemCaseSensitive(res, "cookies"))
        cJSON_AddItemToArray(arr, cookie_out(ck));
    cJSON_Delete(res);
    *out = arr;
    return SEL_OK;
}

/* A storageState cookie as a CDP CookieParam (expires -1: a session
 * cookie, so left out). */
static cJSON *cookie_in(const cJSON *ck)
{
    static const char *const strs[] = {
        "name", "value", "domain", "path", "sameSite"
    };
    const cJSON *v;
    cJSON *o = cJSON_CreateObject();
    size_t i;

    for (i = 0; i < 5; i++)
        if (jstr(ck, strs[i]))
            cJSON_AddStringToObject(o, strs[i], jstr(ck, strs[i]));
    if (!jstr(ck, "path"))
        cJSON_AddStringToObject(o, "path", "/");
    v = cJSON_GetObjectItemCaseSensitive(ck, "expires");
    if (cJSON_IsNumber(v) && v->valuedouble > 0)
        cJSON_AddNumberToObject(o, "expires", v->valuedouble);
    cJSON_AddBoolToObject(o, "httpOnly", cJSON_IsTrue(
        cJSON_GetObjectItemCaseSensitive(ck, "httpOnly")));
    cJSON_AddBoolToObject(o, "secure", cJSON_IsTrue(
        cJSON_GetObjectItemCaseSensitive(ck, "secure")));
    return o;
}

static sel_code cookies_set(struct sel_page *p, const char *ctx,
                            const cJSON *cookies, int timeout_ms, char *err,
                            size_t errlen)
{
    struct cdp_conn *c = cdp_session_conn(sel_page_session(p));
    cJSON *a, *arr;
    const cJSON *ck;

    if (cJSON_GetArraySize(cookies) == 0)
        return SEL_OK;
    a = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(a, "cookies");
    cJSON_ArrayForEach(ck, cookies)
        cJSON_AddItemToArray(arr, cookie_in(ck));
    if (*ctx)
        cJSON_AddStringToObject(a, "browserContextId", ctx);
    if (cdp_call(cdp_browser_session(c), "Storage.setCookies", a, timeout_ms,
                 NULL) != CDP_OK)
        return browser_err(c, "setting the cookies", err, errlen);
    return SEL_OK;
}

/* ---- localStorage, from a background tab of the context ------------------ */

/* What a document of the origin answers: {origin, localStorage: [...]},
 * null on a document that is not of a web origin. */
#define READ_JS \
    "(()=>{try{const o=location.origin;if(!/^https?:/.test(o))return null;" \
    "const r=[];for(let i=0;i<localStorage.length;i++){" \
    "const k=localStorage.key(i);r.push({name:k,value:localStorage" \
    ".getItem(k)})}return {origin:o,localStorage:r}}catch(e){return null}" \
    "})()"

struct bg {
    struct cdp_conn *c;
    struct cdp_session *s;
    char tid[128];
    int sub;
};

/* The background tab's only request, answered here: an empty page. */
static void bg_event(void *ud, struct cdp_session *s, const char *method,
                     const cJSON *params)
{
    struct bg *b = ud;
    cJSON *a, *h, *hh;

    if (s != b->s || strcmp(method, "Fetch.requestPaused") != 0 ||
        !jstr(params, "requestId"))
        return;
    a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "requestId", jstr(params, "requestId"));
    cJSON_AddNumberToObject(a, "responseCode", 200);
    h = cJSON_AddArrayToObject(a, "responseHeaders");
    hh = cJSON_CreateObject();
    cJSON_AddStringToObject(hh, "name", "Content-Type");
    cJSON_AddStringToObject(hh, "value", "text/html");
    cJSON_AddItemToArray(h, hh);
    cJSON_AddStringToObject(a, "body", "");
    cdp_send(s, "Fetch.fulfillRequest", a);
}

/* Closes the background tab, and waits (a little) for Chrome to say it
 * is gone, so that the run's list of tabs no longer holds it. */
static void bg_close(struct bg *b)
{
    int64_t until = ut_now_ms() + 1000;
    char sid[128];
    cJSON *a;

    if (b->sub > 0)
        cdp_unsubscribe(b->c, b->sub);
    if (!b->tid[0] || !cdp_conn_alive(b->c))
        return;
    ut_strlcpy(sid, b->s ? cdp_session_id(b->s) : "", sizeof sid);
    a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "targetId", b->tid);
    if (cdp_call(cdp_browser_session(b->c), "Target.closeTarget", a, 5000,
                 NULL) != CDP_OK)
        return;
    while (sid[0] && cdp_find_session(b->c, sid) && ut_now_ms() < until &&
           cdp_pump(b->c, STATE_POLL_MS, 1) == CDP_OK)
        ;
}

static sel_code bg_open(struct sel_page *p, const char *ctx, struct bg *b,
                        int timeout_ms, char *err, size_t errlen)
{
    cJSON *a = cJSON_CreateObject(), *res = NULL, *pat;

    memset(b, 0, sizeof *b);
    b->c = cdp_session_conn(sel_page_session(p));
    cJSON_AddStringToObject(a, "url", "about:blank");
    cJSON_AddBoolToObject(a, "background", 1);
    if (*ctx)
        cJSON_AddStringToObject(a, "browserContextId", ctx);
    if (cdp_call(cdp_browser_session(b->c), "Target.createTarget", a,
                 timeout_ms, &res) != CDP_OK)
        return browser_err(b->c, "a tab for the storage", err, errlen);
    ut_strlcpy(b->tid, jstr(res, "targetId") ? jstr(res, "targetId") : "",
               sizeof b->tid);
    cJSON_Delete(res);
    if (!b->tid[0] || cdp_attach(b->c, b->tid, &b->s) != CDP_OK)
        return browser_err(b->c, "a tab for the storage", err, errlen);
    b->sub = cdp_subscribe(b->c, bg_event, b);
    a = cJSON_CreateObject();
    pat = cJSON_CreateObject();
    cJSON_AddStringToObject(pat, "urlPattern", "*");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(a, "patterns"), pat);
    if (cdp_call(b->s, "Fetch.enable", a, timeout_ms, NULL) != CDP_OK)
        return browser_err(b->c, "a tab for the storage", err, errlen);
    return SEL_OK;
}

static sel_code bg_eval(struct bg *b, const char *expr, int timeout_ms,
                        cJSON **value, char *err, size_t errlen)
{
    cJSON *a = cJSON_CreateObject(), *res = NULL;

    cJSON_AddStringToObject(a, "expression", expr);
    cJSON_AddBoolToObject(a, "returnByValue", 1);
    if (cdp_call(b->s, "Runtime.evaluate", a, timeout_ms, &res) != CDP_OK)
        return browser_err(b->c, "the storage tab", err, errlen);
    if (cJSON_GetObjectItemCaseSensitive(res, "exceptionDetails")) {
        cJSON_Delete(res);
        return ut_err(err, errlen, SEL_E_JS, "the storage tab: the page "
                      "refused localStorage");
    }
    *value = cJSON_DetachItemFromObjectCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(res, "result"), "value");
    cJSON_Delete(res);
    return SEL_OK;
}

/* The background tab shows an (empty) document of ORIGIN. */
static sel_code bg_visit(struct bg *b, const char *origin, int64_t deadline,
                         char *err, size_t errlen)
{
    cJSON *a = cJSON_CreateObject(), *res = NULL, *v = NULL;
    ut_buf u;
    int left = (int)(deadline - ut_now_ms());

    ut_buf_init(&u, 4096);
    ut_buf_addf(&u, "%s/", origin);
    cJSON_AddStringToObject(a, "url", ut_buf_str(&u));
    ut_buf_free(&u);
    if (cdp_call(b->s, "Page.navigate", a, left > 0 ? left : 1, &res)
        != CDP_OK)
        return browser_err(b->c, "the storage tab", err, errlen);
    if (jstr(res, "errorText") && *jstr(res, "errorText")) {
        ut_err(err, errlen, SEL_E_NAV, "the storage tab could not show "
               "%.200s: %s", origin, jstr(res, "errorText"));
        cJSON_Delete(res);
        return SEL_E_NAV;
    }
    cJSON_Delete(res);
    for (;;) {
        left = (int)(deadline - ut_now_ms());
        if (bg_eval(b, "location.origin", left > 0 ? left : 1, &v, err,
                    errlen) == SEL_OK && cJSON_IsString(v) &&
            strcmp(v->valuestring, origin) == 0) {
            cJSON_Delete(v);
            return SEL_OK;
        }
        cJSON_Delete(v);
        v = NULL;
        if (ut_now_ms() >= deadline)
            return ut_err(err, errlen, SEL_E_TIMEOUT, "the storage tab "
                          "did not show %.200s in time", origin);
        cdp_pump(b->c, STATE_POLL_MS, 0);
    }
}

/* ---- save, load, checkpoint ----------------------------------------------- */

sel_code sel_state_save(struct sel_page *p, struct sel_state *w,
                        int timeout_ms, cJSON **out, char *err,
                        size_t errlen)
{
    int64_t deadline = ut_now_ms() + timeout_ms;
    char ctx[128];
    cJSON *st = cJSON_CreateObject(), *cookies = NULL, *origins, *v;
    struct bg b;
    sel_code rc;
    size_t i;

    *out = NULL;
    sel__context_of(p, ctx, sizeof ctx);
    if ((rc = cookies_get(p, ctx, timeout_ms, &cookies, err, errlen))) {
        cJSON_Delete(st);
        return rc;
    }
    cJSON_AddItemToObject(st, "cookies", cookies);
    origins = cJSON_AddArrayToObject(st, "origins");
    if (w && w->n && (rc = bg_open(p, ctx, &b, timeout_ms, err, errlen)))
        goto out;
    for (i = 0; w && i < w->n && rc == SEL_OK; i++) {
        rc = bg_visit(&b, w->origins[i], deadline, err, errlen);
        v = NULL;
        if (!rc)
            rc = bg_eval(&b, READ_JS, timeout_ms, &v, err, errlen);
        if (!rc && cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(v,
                                      "localStorage")) > 0) {
            cJSON_AddItemToArray(origins, v);
            v = NULL;
        }
        cJSON_Delete(v);
    }
out:
    if (w && w->n)
        bg_close(&b);
    if (rc) {
        cJSON_Delete(st);
        return rc;
    }
    *out = st;
    return SEL_OK;
}

sel_code sel_state_load(struct sel_page *p, struct sel_state *w,
                        const cJSON *st, int timeout_ms, char *err,
                        size_t errlen)
{
    int64_t deadline = ut_now_ms() + timeout_ms;
    const cJSON *origins = cJSON_GetObjectItemCaseSensitive(st, "origins");
    const cJSON *o;
    char ctx[128], *items;
    struct bg b;
    sel_code rc;
    ut_buf js;

    sel__context_of(p, ctx, sizeof ctx);
    if ((rc = cookies_set(p, ctx, cJSON_GetObjectItemCaseSensitive(st,
                          "cookies"), timeout_ms, err, errlen)))
        return rc;
    if (cJSON_GetArraySize(origins) == 0)
        return SEL_OK;
    if ((rc = bg_open(p, ctx, &b, timeout_ms, err, errlen))) {
        bg_close(&b);
        return rc;
    }
    ut_buf_init(&js, 64u * 1024 * 1024);
    cJSON_ArrayForEach(o, origins) {
        const char *origin = jstr(o, "origin");
        cJSON *v = NULL;

        sel_state_note(w, origin);
        if (!web_origin(origin))
            continue;
        if ((rc = bg_visit(&b, origin, deadline, err, errlen)))
            break;
        items = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(o,
                                       "localStorage"));
        ut_buf_reset(&js);
        ut_buf_addf(&js, "((a)=>{for(const x of a)localStorage.setItem("
                    "x.name,x.value);return a.length})(%s)",
                    items ? items : "[]");
        free(items);
        rc = bg_eval(&b, ut_buf_str(&js), timeout_ms, &v, err, errlen);
        cJSON_Delete(v);
        if (rc)
            break;
    }
    ut_buf_free(&js);
    bg_close(&b);
    return rc;
}

sel_code sel_state_peek(struct sel_page *p, cJSON *st, int timeout_ms,
                        char *err, size_t errlen)
{
    char ctx[128];
    cJSON *cookies = NULL, *v = NULL, *origins, *o;
    const char *origin;
    sel_code rc;

    sel__context_of(p, ctx, sizeof ctx);
    if ((rc = cookies_get(p, ctx, timeout_ms, &cookies, err, errlen)))
        return rc;
    cJSON_DeleteItemFromObjectCaseSensitive(st, "cookies");
    cJSON_AddItemToObject(st, "cookies", cookies);
    origins = cJSON_GetObjectItemCaseSensitive(st, "origins");
    if (!cJSON_IsArray(origins))
        origins = cJSON_AddArrayToObject(st, "origins");
    if (sel_eval(p, READ_JS, 0, timeout_ms, &v, NULL, 0) != SEL_OK ||
        !(origin = jstr(v, "origin"))) {
        cJSON_Delete(v);
        return SEL_OK;        /* no document of a web origin: cookies only */
    }
    for (o = origins->child; o; o = o->next)
        if (jstr(o, "origin") && strcmp(jstr(o, "origin"), origin) == 0) {
            cJSON_DetachItemViaPointer(origins, o);
            cJSON_Delete(o);
            break;
        }
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(v,
                           "localStorage")) > 0)
        cJSON_AddItemToArray(origins, v);
    else
        cJSON_Delete(v);
    return SEL_OK;
}
