/* conn.c -- one CDP connection: requests, the reply/event router, flat
 * sessions and event subscribers. Synchronous calls over the transport in
 * ws.c: cdp_call queues its request, then services the socket until its
 * id comes back, dispatching every event that arrives meanwhile. Never
 * sleeps; never touches libwebsockets directly. */
#include "cdp_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALL_DEFAULT_MS  30000   /* timeout_ms <= 0 in cdp_call */
#define PUMP_READY_ROUNDS 64     /* cdp_pump(…, 0, …): rounds while busy */

const char *cdp_strerror(cdp_code c)
{
    static const char *const names[] = {
        "ok", "out of memory", "browser launch failed", "timed out",
        "protocol error", "connection closed", "message too big",
        "cannot connect to browser endpoint", "target crashed",
    };

    if ((int)c < 0 || c >= CDP_LAST)
        return "unknown error";
    return names[c];
}

/* ---- sessions ----------------------------------------------------------- */

static struct cdp_session *session_get(struct cdp_conn *c, const char *sid)
{
    struct cdp_session *s;

    if (!sid || !*sid)
        return &c->browser;
    for (s = c->sessions; s; s = s->next)
        if (strcmp(s->id, sid) == 0)
            return s;
    return NULL;
}

/* Finds or registers session SID (target TID may be NULL). NULL only when
 * out of memory or SID does not fit. */
static struct cdp_session *session_add(struct cdp_conn *c, const char *sid,
                                       const char *tid)
{
    struct cdp_session *s = session_get(c, sid);

    if (!s) {
        if (strlen(sid) >= sizeof s->id)
            return NULL;
        s = calloc(1, sizeof *s);
        if (!s)
            return NULL;
        s->c = c;
        ut_strlcpy(s->id, sid, sizeof s->id);
        s->next = c->sessions;
        c->sessions = s;
    }
    if (tid && *tid && !s->target[0])
        ut_strlcpy(s->target, tid, sizeof s->target);
    return s;
}

/* The session is gone: mark it and fail the calls waiting on it. */
static void session_detach(struct cdp_session *s)
{
    struct cdp__pending *p;

    if (s == &s->c->browser)
        return;
    s->detached = 1;
    for (p = s->c->pending; p; p = p->next) {
        if (p->s == s && !p->done) {
            p->done = 1;
            p->rc = CDP_E_CLOSED;
        }
    }
}

static const char *json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The target's renderer died: a call waiting on S never gets its reply. */
static void session_crashed(struct cdp_session *s)
{
    struct cdp__pending *p;

    for (p = s->c->pending; p; p = p->next) {
        if (p->s == s && !p->done) {
            p->done = 1;
            p->rc = CDP_E_CRASHED;
        }
    }
}

/* Target.* events keep the session table right before subscribers run;
 * crash events fail the calls that wait on the crashed target. EV_SID is
 * the event's own sessionId (NULL: the browser session). */
static void track_targets(struct cdp_conn *c, const char *ev_sid,
                          const char *method, const cJSON *params)
{
    struct cdp_session *s;
    const char *sid = json_str(params, "sessionId");
    const char *tid = json_str(params, "targetId");

    if (strcmp(method, "Target.attachedToTarget") == 0 && sid) {
        tid = json_str(cJSON_GetObjectItemCaseSensitive(params, "targetInfo"),
                       "targetId");
        s = session_add(c, sid, tid);
        if (s)
            s->detached = 0;
    } else if (strcmp(method, "Target.detachedFromTarget") == 0 && sid) {
        s = session_get(c, sid);
        if (s)
            session_detach(s);
    } else if (strcmp(method, "Target.targetDestroyed") == 0 && tid) {
        for (s = c->sessions; s; s = s->next)
            if (strcmp(s->target, tid) == 0)
                session_detach(s);
    } else if (strcmp(method, "Inspector.targetCrashed") == 0 && ev_sid) {
        s = session_get(c, ev_sid);
        if (s)
            session_crashed(s);
    } else if (strcmp(method, "Target.targetCrashed") == 0 && tid) {
        for (s = c->sessions; s; s = s->next)
            if (strcmp(s->target, tid) == 0)
                session_crashed(s);
    }
}

/* ---- router ------------------------------------------------------------- */

static void dispatch(struct cdp_conn *c, struct cdp_session *s,
                     const char *method, const cJSON *params)
{
    int i;

    c->dispatching++;
    for (i = 0; i < c->nsubs; i++)   /* nsubs may grow meanwhile */
        if (c->subs[i].id > 0)
            c->subs[i].fn(c->subs[i].ud, s, method, params);
    c->dispatching--;
    c->event_seen = 1;
}

static struct cdp__pending *pending_find(struct cdp_conn *c, long id)
{
    struct cdp__pending *p;

    for (p = c->pending; p; p = p->next)
        if (p->id == id)
            return p;
    return NULL;
}

static void route_event(struct cdp_conn *c, cJSON *msg, const char *method)
{
    cJSON *params = cJSON_GetObjectItemCaseSensitive(msg, "params");
    const char *sid = json_str(msg, "sessionId");
    struct cdp_session *s;

    if (!cJSON_IsObject(params))
        params = cJSON_AddObjectToObject(msg, "params");
    if (!params)
        return;   /* out of memory: nothing sane to hand out */
    track_targets(c, sid, method, params);
    s = session_get(c, sid);
    if (!s)   /* e.g. auto-attached before we heard of it */
        s = session_add(c, sid, NULL);
    if (s)
        dispatch(c, s, method, params);
}

void cdp__on_message(struct cdp_conn *c, const char *text, size_t len)
{
    cJSON *msg, *id;
    const char *method;
    struct cdp__pending *p;

    c->msgs_in++;
    if (c->trace)
        c->trace(c->trace_ud, 0, text, len);
    msg = cJSON_ParseWithLength(text, len);
    if (!msg) {
        snprintf(c->err, sizeof c->err, "unparsable message (%zu bytes)",
                 len);
        return;
    }
    id = cJSON_GetObjectItemCaseSensitive(msg, "id");
    if (cJSON_IsNumber(id)) {
        /* Our ids count up from 1; one outside [0, 2^53] answers nothing
         * of ours (and would not survive the cast to long). */
        p = id->valuedouble >= 0 && id->valuedouble <= 9007199254740992.0
            ? pending_find(c, (long)id->valuedouble) : NULL;
        if (p && !p->done) {   /* else a cdp_send or timed-out reply */
            p->done = 1;
            p->rc = cJSON_GetObjectItemCaseSensitive(msg, "error")
                    ? CDP_E_PROTOCOL : CDP_OK;
            p->msg = msg;
            return;
        }
    } else if ((method = json_str(msg, "method")) != NULL) {
        route_event(c, msg, method);
    }
    cJSON_Delete(msg);
}

/* Finds "id":N in the first bytes of an oversized reply. */
void cdp__on_toobig(struct cdp_conn *c, const char *head, size_t len)
{
    char buf[64];
    const char *q;
    struct cdp__pending *p;

    snprintf(buf, sizeof buf, "%.*s", (int)(len < 63 ? len : 63), head);
    q = strstr(buf, "\"id\":");
    p = q ? pending_find(c, strtol(q + 5, NULL, 10)) : NULL;
    if (p && !p->done) {
        p->done = 1;
        p->rc = CDP_E_TOOBIG;
    }
    snprintf(c->err, sizeof c->err, "message over %u bytes dropped",
             CDP_MAX_MESSAGE);
}

void cdp__on_closed(struct cdp_conn *c)
{
    struct cdp__pending *p;

    for (p = c->pending; p; p = p->next) {
        if (!p->done) {
            p->done = 1;
            p->rc = CDP_E_CLOSED;
        }
    }
}

/* ---- requests ----------------------------------------------------------- */

/* Builds {"id":ID,"method":…,"sessionId":…,"params":…} in c->tx and
 * queues it. PARAMS is consumed. */
static cdp_code send_request(struct cdp_session *s, long id,
                             const char *method, cJSON *params)
{
    struct cdp_conn *c = s->c;
    cJSON *m = cJSON_CreateStringReference(method);
    char *ptxt = params ? cJSON_PrintUnformatted(params) : NULL;
    char *mtxt = m ? cJSON_PrintUnformatted(m) : NULL;
    cdp_code rc = CDP_E_NOMEM;

    cJSON_Delete(m);
    cJSON_Delete(params);
    ut_buf_reset(&c->tx);
    if (!mtxt || (params && !ptxt))
        goto out;
    if (ut_buf_addf(&c->tx, "{\"id\":%ld,\"method\":%s", id, mtxt) ||
        (s->id[0] && ut_buf_addf(&c->tx, ",\"sessionId\":\"%s\"", s->id)) ||
        (ptxt && (ut_buf_adds(&c->tx, ",\"params\":") ||
                  ut_buf_adds(&c->tx, ptxt))) ||
        ut_buf_addc(&c->tx, '}')) {
        rc = c->tx.len >= c->tx.max ? CDP_E_TOOBIG : CDP_E_NOMEM;
        goto out;
    }
    rc = cdp__ws_send(c, c->tx.p, c->tx.len);
    if (rc == CDP_OK && c->trace)
        c->trace(c->trace_ud, 1, c->tx.p, c->tx.len);
out:
    free(ptxt);
    free(mtxt);
    if (c->tx.cap > 1024 * 1024)
        ut_buf_free(&c->tx);
    return rc;
}

static cdp_code call_fail(struct cdp_conn *c, const char *method,
                          cdp_code rc, const char *why)
{
    snprintf(c->err, sizeof c->err, "%s: %s", method, why);
    return rc;
}

/* Turns a finished call into *result or an error message. */
static cdp_code call_finish(struct cdp_conn *c, const char *method,
                            struct cdp__pending *p, int timeout_ms,
                            cJSON **result)
{
    const cJSON *e, *code, *emsg, *data;
    cJSON *r;

    if (!p->done)
        return c->closed
            ? call_fail(c, method, CDP_E_CLOSED, "connection closed")
            : (snprintf(c->err, sizeof c->err, "%s: no reply in %d ms",
                        method, timeout_ms), CDP_E_TIMEOUT);
    if (p->rc == CDP_E_CLOSED)
        return call_fail(c, method, CDP_E_CLOSED,
                         c->closed ? "connection closed"
                                   : "session detached (target gone)");
    if (p->rc == CDP_E_TOOBIG)
        return call_fail(c, method, CDP_E_TOOBIG, "reply over the size cap");
    if (p->rc == CDP_E_CRASHED)
        return call_fail(c, method, CDP_E_CRASHED, "target crashed (its "
                         "renderer died)");
    if (p->rc == CDP_E_PROTOCOL) {
        e = cJSON_GetObjectItemCaseSensitive(p->msg, "error");
        code = cJSON_GetObjectItemCaseSensitive(e, "code");
        emsg = cJSON_GetObjectItemCaseSensitive(e, "message");
        data = cJSON_GetObjectItemCaseSensitive(e, "data");
        snprintf(c->err, sizeof c->err, "%s: %ld %s%s%s%s", method,
                 cJSON_IsNumber(code) ? (long)code->valueint : 0L,
                 cJSON_IsString(emsg) ? emsg->valuestring : "(no message)",
                 cJSON_IsString(data) ? " (" : "",
                 cJSON_IsString(data) ? data->valuestring : "",
                 cJSON_IsString(data) ? ")" : "");
        return CDP_E_PROTOCOL;
    }
    if (!result)
        return CDP_OK;
    r = cJSON_DetachItemFromObjectCaseSensitive(p->msg, "result");
    if (!r)
        r = cJSON_CreateObject();
    if (!r)
        return call_fail(c, method, CDP_E_NOMEM, "out of memory");
    *result = r;
    return CDP_OK;
}

cdp_code cdp_call(struct cdp_session *s, const char *method, cJSON *params,
                  int timeout_ms, cJSON **result)
{
    struct cdp_conn *c = s ? s->c : NULL;
    struct cdp__pending p, **pp;
    int64_t deadline;
    cdp_code rc;

    if (result)
        *result = NULL;
    if (!c || !method) {
        cJSON_Delete(params);
        return CDP_E_CLOSED;
    }
    if (c->dispatching) {   /* lws_service must not be re-entered */
        cJSON_Delete(params);
        return call_fail(c, method, CDP_E_PROTOCOL, "cdp_call from an event "
                         "callback (use cdp_send)");
    }
    if (c->closed || s->detached) {
        cJSON_Delete(params);
        return call_fail(c, method, CDP_E_CLOSED, c->closed
                         ? "connection closed"
                         : "session detached (target gone)");
    }
    if (timeout_ms <= 0)
        timeout_ms = CALL_DEFAULT_MS;
    memset(&p, 0, sizeof p);
    p.id = ++c->next_id;
    p.s = s;
    rc = send_request(s, p.id, method, params);
    if (rc != CDP_OK)
        return call_fail(c, method, rc, cdp_strerror(rc));
    p.next = c->pending;
    c->pending = &p;
    deadline = ut_now_us() + (int64_t)timeout_ms * 1000;
    while (!p.done && !c->closed && ut_now_us() < deadline)
        cdp__ws_service(c, deadline);
    for (pp = &c->pending; *pp; pp = &(*pp)->next) {
        if (*pp == &p) {
            *pp = p.next;
            break;
        }
    }
    rc = call_finish(c, method, &p, timeout_ms, result);
    cJSON_Delete(p.msg);
    return rc;
}

cdp_code cdp_send(struct cdp_session *s, const char *method, cJSON *params)
{
    struct cdp_conn *c = s ? s->c : NULL;
    cdp_code rc;

    if (!c || !method || c->closed || s->detached) {
        cJSON_Delete(params);
        return CDP_E_CLOSED;
    }
    rc = send_request(s, ++c->next_id, method, params);
    if (rc != CDP_OK)
        return call_fail(c, method, rc, cdp_strerror(rc));
    return CDP_OK;
}

/* ---- pump, subscribers ------------------------------------------------- */

cdp_code cdp_pump(struct cdp_conn *c, int timeout_ms, int until_event)
{
    int64_t deadline;
    unsigned long before;
    int i;

    if (!c || c->closed)
        return CDP_E_CLOSED;
    if (c->dispatching)   /* from an event callback: nothing to do */
        return CDP_OK;
    c->event_seen = 0;
    if (timeout_ms <= 0) {
        for (i = 0; i < PUMP_READY_ROUNDS && !c->closed; i++) {
            before = c->msgs_in;
            cdp__ws_service(c, 0);
            if (c->msgs_in == before || (until_event && c->event_seen))
                break;
        }
        return c->closed ? CDP_E_CLOSED : CDP_OK;
    }
    deadline = ut_now_us() + (int64_t)timeout_ms * 1000;
    while (!c->closed && ut_now_us() < deadline) {
        cdp__ws_service(c, deadline);
        if (until_event && c->event_seen)
            break;
    }
    return c->closed ? CDP_E_CLOSED : CDP_OK;
}

/* Squeezes out unsubscribed slots, keeping subscription order. */
static void subs_compact(struct cdp_conn *c)
{
    int i, n = 0;

    if (c->dispatching)
        return;
    for (i = 0; i < c->nsubs; i++)
        if (c->subs[i].id > 0)
            c->subs[n++] = c->subs[i];
    c->nsubs = n;
}

int cdp_subscribe(struct cdp_conn *c, cdp_event_fn fn, void *ud)
{
    if (!c || !fn)
        return -1;
    subs_compact(c);
    if (c->nsubs >= CDP__MAX_SUBS)
        return -1;
    c->subs[c->nsubs].id = ++c->next_sub_id;
    c->subs[c->nsubs].fn = fn;
    c->subs[c->nsubs].ud = ud;
    c->nsubs++;
    return c->next_sub_id;
}

void cdp_unsubscribe(struct cdp_conn *c, int id)
{
    int i;

    if (!c || id <= 0)
        return;
    for (i = 0; i < c->nsubs; i++)
        if (c->subs[i].id == id)
            c->subs[i].id = 0;
    subs_compact(c);
}

/* ---- sessions API ------------------------------------------------------ */

struct cdp_session *cdp_browser_session(struct cdp_conn *c)
{
    return c ? &c->browser : NULL;
}

cdp_code cdp_attach(struct cdp_conn *c, const char *target_id,
                    struct cdp_session **out)
{
    cJSON *params, *res = NULL;
    const char *sid;
    struct cdp_session *s;
    cdp_code rc;

    *out = NULL;
    if (!c || !target_id)
        return CDP_E_CLOSED;
    params = cJSON_CreateObject();
    if (!params || !cJSON_AddStringToObject(params, "targetId", target_id) ||
        !cJSON_AddTrueToObject(params, "flatten")) {
        cJSON_Delete(params);
        return CDP_E_NOMEM;
    }
    rc = cdp_call(&c->browser, "Target.attachToTarget", params,
                  CALL_DEFAULT_MS, &res);
    if (rc != CDP_OK)
        return rc;
    sid = json_str(res, "sessionId");
    s = sid ? session_add(c, sid, target_id) : NULL;
    if (!s) {
        rc = sid ? CDP_E_NOMEM : CDP_E_PROTOCOL;
        call_fail(c, "Target.attachToTarget", rc, "no usable sessionId");
    } else {
        s->detached = 0;
        *out = s;
    }
    cJSON_Delete(res);
    return rc;
}

cdp_code cdp_new_page(struct cdp_conn *c, const char *browser_context,
                      struct cdp_session **out)
{
    cJSON *params, *res = NULL;
    char tid[64], keep[CDP_ERR_LEN];
    const char *t;
    cdp_code rc;

    *out = NULL;
    if (!c)
        return CDP_E_CLOSED;
    params = cJSON_CreateObject();
    if (!params || !cJSON_AddStringToObject(params, "url", "about:blank") ||
        (browser_context && !cJSON_AddStringToObject(
             params, "browserContextId", browser_context))) {
        cJSON_Delete(params);
        return CDP_E_NOMEM;
    }
    rc = cdp_call(&c->browser, "Target.createTarget", params,
                  CALL_DEFAULT_MS, &res);
    if (rc != CDP_OK)
        return rc;
    t = json_str(res, "targetId");
    if (!t || ut_strlcpy(tid, t, sizeof tid) >= sizeof tid) {
        cJSON_Delete(res);
        return call_fail(c, "Target.createTarget", CDP_E_PROTOCOL,
                         "no usable targetId");
    }
    cJSON_Delete(res);
    rc = cdp_attach(c, tid, out);
    if (rc != CDP_OK && !c->closed) {   /* do not leak the tab */
        ut_strlcpy(keep, c->err, sizeof keep);
        params = cJSON_CreateObject();
        if (params)
            cJSON_AddStringToObject(params, "targetId", tid);
        cdp_send(&c->browser, "Target.closeTarget", params);
        ut_strlcpy(c->err, keep, sizeof c->err);
    }
    return rc;
}

const char *cdp_session_id(const struct cdp_session *s)
{
    return s ? s->id : "";
}

const char *cdp_session_target(const struct cdp_session *s)
{
    return s ? s->target : "";
}

struct cdp_conn *cdp_session_conn(struct cdp_session *s)
{
    return s ? s->c : NULL;
}

struct cdp_session *cdp_find_session(struct cdp_conn *c, const char *sid)
{
    struct cdp_session *s = c ? session_get(c, sid) : NULL;

    return s && !s->detached ? s : NULL;
}

/* ---- small accessors --------------------------------------------------- */

const char *cdp_errmsg(const struct cdp_conn *c)
{
    return c ? c->err : "no connection";
}

int cdp_conn_alive(const struct cdp_conn *c)
{
    return c && !c->closed;
}

void cdp_set_trace(struct cdp_conn *c, cdp_trace_fn fn, void *ud)
{
    if (!c)
        return;
    c->trace = fn;
    c->trace_ud = ud;
}

const struct cdp_version *cdp_conn_version(const struct cdp_conn *c)
{
    return c ? &c->version : NULL;
}
