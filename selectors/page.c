/* page.c -- a page target with the page script installed: its events
 * (one table), state, loads and settling after input, dialogs and
 * popups. Evaluation is eval.c's. */
#include "sel.h"
#include "sel_int.h"
#include "../cdp/cdp.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

struct sel_page {
    struct cdp_session *s;
    struct cdp_conn *c;
    int sub;                 /* event subscription id */
    char target[128];
    char main_frame[128];
    int loads;               /* Page.loadEventFired seen */
    int nav_pending;         /* main frame started loading, no load yet */
    int doc_loading;         /* a new document came in and has not
                                loaded: its scripts may not have run */
    int crashed;             /* its renderer died (crash events) */
    char crash_status[32];   /* Target.targetCrashed "status": "killed" */
    int crash_code;          /* … and its "errorCode" (a signal, 9) */
    int hung;                /* the last call to it got no answer in time */
    int accept_dialogs;
    char *prompt_text;
    char **dialogs;
    size_t ndialogs;
    char **console;          /* errors, capped at SEL_MAX_CONSOLE */
    size_t nconsole;
    char *popup;
    char *url;               /* last sel_page_url() answer */
    struct sel_mirror *mirror; /* records the collector sent (lazy) */
    struct sel__ahead ahead;   /* intents ranked ahead (resolve_ahead.c) */
    int unflushed;           /* input was sent, and no evaluation has
                                answered since (sel_settle) */
    struct sel__net *net;    /* its XHR/fetch in flight, NULL: untracked */
    unsigned net_mark;       /* ... the count before the last input */
    struct sel__netlog *log; /* network and console, for checks */
    int opener;              /* handle of the element the last action
                                clicked or hovered, -1 none ... */
    int opener_loads;        /* ... in the document of this many loads */
    struct sel__frames *frames; /* its cross-origin frames (frames.c) */
};

#define SEL_MAX_CONSOLE 200

/* Appends LINE (taken) to the list *V of *N, capped at MAX. */
static void push_line(char ***v, size_t *n, size_t max, char *line)
{
    char **nv;

    if (!line || *n >= max || !(nv = realloc(*v, (*n + 1) * sizeof *nv))) {
        free(line);
        return;
    }
    *v = nv;
    (*v)[(*n)++] = line;
}

static const char *const sel_errs[] = {
    "ok", "out of memory", "not found", "ambiguous", "not ready",
    "uncertain", "LLM failure", "page script error", "timeout",
    "browser failure", "navigation failed", "action failed"};
static const char *const sel_classes[] = {
    "ok", "internal", "not-found", "ambiguous", "not-actionable",
    "uncertain", "llm", "js-error", "timeout", "browser", "navigation",
    "action"};

const char *sel_strerror(sel_code c)
{
    return (unsigned)c < SEL_LAST ? sel_errs[c] : "unknown error";
}

const char *sel_code_class(sel_code c)
{
    return (unsigned)c < SEL_LAST ? sel_classes[c] : "internal";
}

/* The main frame's URL, kept from navigation events so that reading it
 * costs no round trip. */
static void set_url(struct sel_page *p, const char *url)
{
    char *u;

    if (!url || !(u = ut_strdup(url)))
        return;
    free(p->url);
    p->url = u;
}

static const char *jstr(const cJSON *o, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* 1 when event PARAMS' "frameId" is P's main frame. */
static int in_main_frame(const struct sel_page *p, const cJSON *params)
{
    const char *fid = jstr(params, "frameId");

    return fid && strcmp(fid, p->main_frame) == 0;
}

/* ---- events: one handler each, dispatched by the table below ----------- */

static void ev_target_crashed(struct sel_page *p, const cJSON *params)
{
    const char *id = jstr(params, "targetId"), *st = jstr(params, "status");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(params, "errorCode");

    if (!id || strcmp(id, p->target) != 0)
        return;
    p->crashed = 1;
    ut_strlcpy(p->crash_status, st && *st ? st : "gone",
               sizeof p->crash_status);
    p->crash_code = cJSON_IsNumber(code) ? code->valueint : 0;
}

static void ev_target_created(struct sel_page *p, const cJSON *params)
{
    const cJSON *ti = cJSON_GetObjectItemCaseSensitive(params, "targetInfo");
    const char *type = jstr(ti, "type"), *opener = jstr(ti, "openerId");
    const char *id = jstr(ti, "targetId");

    if (type && opener && id && strcmp(type, "page") == 0 &&
        strcmp(opener, p->target) == 0) {
        free(p->popup);
        p->popup = ut_strdup(id);
    }
}

static void ev_load(struct sel_page *p, const cJSON *params)
{
    (void)params;
    p->loads++;
    p->nav_pending = 0;
    p->doc_loading = 0;
}

static void ev_nav_started(struct sel_page *p, const cJSON *params)
{
    const char *disp = jstr(params, "disposition");

    if (in_main_frame(p, params) && (!disp || strcmp(disp, "currentTab") == 0))
        p->nav_pending = 1;
}

static void ev_navigated(struct sel_page *p, const cJSON *params)
{
    const cJSON *fr = cJSON_GetObjectItemCaseSensitive(params, "frame");
    const char *id = jstr(fr, "id");

    if (cJSON_GetObjectItemCaseSensitive(fr, "parentId"))
        return;
    if (id)
        ut_strlcpy(p->main_frame, id, sizeof p->main_frame);
    p->doc_loading = 1;
    set_url(p, jstr(fr, "url"));
}

/* A navigation that stays in the document (an anchor, pushState) or
 * stops without a load event (a 204, a download, a cancel) ends here: no
 * load is coming ... */
static void ev_nav_within(struct sel_page *p, const cJSON *params)
{
    if (!in_main_frame(p, params))
        return;
    /* ... but a script of a document still loading may change its URL
     * (history.replaceState in its head): the load it started is still
     * coming */
    if (!p->doc_loading)
        p->nav_pending = 0;
    set_url(p, jstr(params, "url"));
}

static void ev_nav_stopped(struct sel_page *p, const cJSON *params)
{
    if (in_main_frame(p, params)) {
        p->nav_pending = 0;
        p->doc_loading = 0;
    }
}

static void ev_dialog(struct sel_page *p, const cJSON *params)
{
    const char *type = jstr(params, "type"), *msg = jstr(params, "message");
    cJSON *a = cJSON_CreateObject();
    ut_buf line;

    cJSON_AddBoolToObject(a, "accept", p->accept_dialogs);
    if (p->accept_dialogs && p->prompt_text)
        cJSON_AddStringToObject(a, "promptText", p->prompt_text);
    cdp_send(p->s, "Page.handleJavaScriptDialog", a);
    ut_buf_init(&line, 512);
    ut_buf_addf(&line, "%s: %.200s (%s)", type ? type : "dialog",
                msg ? msg : "", p->accept_dialogs ? "accepted" : "dismissed");
    push_line(&p->dialogs, &p->ndialogs, SEL_MAX_CONSOLE, ut_buf_take(&line));
}

static void ev_console(struct sel_page *p, const cJSON *params)
{
    const char *type = jstr(params, "type");
    const cJSON *a;
    ut_buf line;

    if (!type || (strcmp(type, "error") && strcmp(type, "assert")))
        return;
    ut_buf_init(&line, 1024);
    ut_buf_adds(&line, "console.error:");
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(params, "args")) {
        const char *v = jstr(a, "value");
        if (!v)
            v = jstr(a, "description");
        ut_buf_addf(&line, " %.300s", v ? v : "?");
    }
    push_line(&p->console, &p->nconsole, SEL_MAX_CONSOLE, ut_buf_take(&line));
}

static void ev_exception(struct sel_page *p, const cJSON *params)
{
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(params,
                                                      "exceptionDetails");
    const char *desc = jstr(cJSON_GetObjectItemCaseSensitive(d, "exception"),
                            "description");
    ut_buf line;

    if (!desc)
        desc = jstr(d, "text");
    ut_buf_init(&line, 1024);
    ut_buf_addf(&line, "exception: %.500s", desc ? desc : "?");
    push_line(&p->console, &p->nconsole, SEL_MAX_CONSOLE, ut_buf_take(&line));
}

static void ev_crashed(struct sel_page *p, const cJSON *params)
{
    (void)params;
    p->crashed = 1;
}

/* What each event does to the page. BROWSER_WIDE events come on the
 * browser session (and are matched by target id); the others count only
 * on the page's own session. */
static const struct {
    const char *method;
    int browser_wide;
    void (*fn)(struct sel_page *p, const cJSON *params);
} events[] = {
    { "Target.targetCrashed",            1, ev_target_crashed },
    { "Target.targetCreated",            1, ev_target_created },
    { "Page.loadEventFired",             0, ev_load },
    { "Page.frameStartedLoading",        0, ev_nav_started },
    { "Page.frameRequestedNavigation",   0, ev_nav_started },
    { "Page.frameNavigated",             0, ev_navigated },
    { "Page.navigatedWithinDocument",    0, ev_nav_within },
    { "Page.frameStoppedLoading",        0, ev_nav_stopped },
    { "Page.javascriptDialogOpening",    0, ev_dialog },
    { "Runtime.consoleAPICalled",        0, ev_console },
    { "Runtime.exceptionThrown",         0, ev_exception },
    { "Inspector.targetCrashed",         0, ev_crashed },
};

static void on_event(void *ud, struct cdp_session *s, const char *method,
                     const cJSON *params)
{
    struct sel_page *p = ud;
    size_t i;

    sel__frames_event(p->frames, s, method, params);
    for (i = 0; i < sizeof events / sizeof *events; i++) {
        if (strcmp(method, events[i].method) != 0)
            continue;
        if (events[i].browser_wide || s == p->s)
            events[i].fn(p, params);
        return;
    }
}

/* Page setup gets the launch budget: a slow machine is not an error. */
#define SEL_SETUP_MS 30000
/* How long a page whose load timed out gets to show it still answers. */
#define SEL_PROBE_MS 1000
/* Longest an input's XHR/fetch requests are waited for (sel_settle) */
#define SEL_AJAX_MS 5000

/* "the page crashed", with Chrome's reason when it gave one: its
 * Target.targetCrashed comes just after the session's own event. */
static sel_code crash_err(struct sel_page *p, char *err, size_t errlen)
{
    int64_t until = ut_now_ms() + 200;

    while (!p->crash_status[0] && ut_now_ms() < until &&
           cdp_pump(p->c, 20, 1) == CDP_OK)
        ;
    if (p->crash_status[0])
        return ut_err(err, errlen, SEL_E_BROWSER, "the page crashed "
                      "(renderer %s, code %d)", p->crash_status,
                      p->crash_code);
    return ut_err(err, errlen, SEL_E_BROWSER, "the page crashed");
}

cdp_code sel__call(struct sel_page *p, const char *method, cJSON *params,
                   int timeout_ms, cJSON **result)
{
    cdp_code rc = cdp_call(p->s, method, params, timeout_ms, result);

    if (rc == CDP_E_TIMEOUT)
        p->hung = 1;
    else if (rc == CDP_E_CRASHED)
        p->crashed = 1;
    else if (rc == CDP_OK || rc == CDP_E_PROTOCOL)   /* it answered */
        p->hung = 0;
    if (strncmp(method, "Input.", 6) == 0)
        p->unflushed = 1;
    else if ((rc == CDP_OK || rc == CDP_E_PROTOCOL) &&
             strcmp(method, "Runtime.evaluate") == 0)
        p->unflushed = 0;
    return rc;
}

sel_code sel__page_err(struct sel_page *p, cdp_code rc, const char *what,
                       int timeout_ms, char *err, size_t errlen)
{
    if (rc == CDP_E_CRASHED || p->crashed)
        return crash_err(p, err, errlen);
    if (rc == CDP_E_TIMEOUT)
        return ut_err(err, errlen, SEL_E_TIMEOUT, "the page is not "
                      "responding: no %s within %d ms (a script that never "
                      "yields?)", what, timeout_ms);
    return ut_err(err, errlen, SEL_E_BROWSER, "%s", cdp_errmsg(p->c));
}

int sel__crashed(const struct sel_page *p)
{
    return p->crashed;
}

enum sel_page_state sel_page_state(struct sel_page *p)
{
    if (!p)
        return SEL_PAGE_CRASHED;
    cdp_pump(p->c, 0, 0);
    return p->crashed ? SEL_PAGE_CRASHED : p->hung ? SEL_PAGE_HUNG
                                                   : SEL_PAGE_OK;
}

sel_code sel_page_probe(struct sel_page *p, int timeout_ms, char *err,
                        size_t errlen)
{
    cJSON *a;
    cdp_code rc;

    if (p->crashed)
        return crash_err(p, err, errlen);
    a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "expression", "0");
    rc = sel__call(p, "Runtime.evaluate", a, timeout_ms, NULL);
    /* a protocol error (no context during a navigation) is an answer */
    if (rc == CDP_OK || rc == CDP_E_PROTOCOL)
        return SEL_OK;
    return sel__page_err(p, rc, "answer", timeout_ms, err, errlen);
}

/* Calls METHOD and drops the result; SEL_E_BROWSER with the reason. */
static sel_code call0(struct sel_page *p, const char *method, cJSON *params,
                      char *err, size_t errlen)
{
    cdp_code rc = cdp_call(p->s, method, params, SEL_SETUP_MS, NULL);

    if (rc == CDP_OK)
        return SEL_OK;
    ut_err(err, errlen, 0, "%s", cdp_errmsg(p->c));
    return SEL_E_BROWSER;
}

sel_code sel_page_open(struct cdp_session *s, const struct sel_page_opts *o,
                       struct sel_page **out, char *err, size_t errlen)
{
    struct sel_page *p = calloc(1, sizeof *p);
    cJSON *a, *res = NULL;
    sel_code rc;

    *out = NULL;
    if (!p)
        return SEL_E_NOMEM;
    p->s = s;
    p->c = cdp_session_conn(s);
    p->opener = -1;
    ut_strlcpy(p->target, cdp_session_target(s), sizeof p->target);
    p->accept_dialogs = !(o && o->dialog && strcmp(o->dialog, "dismiss") == 0);
    p->prompt_text = ut_strdup(o && o->prompt_text ? o->prompt_text : "");
    p->sub = cdp_subscribe(p->c, on_event, p);
    /* before Runtime.enable, whose context events it reads */
    p->frames = sel__frames_new(p);

    a = cJSON_CreateObject();
    cJSON_AddBoolToObject(a, "discover", 1);
    cdp_call(cdp_browser_session(p->c), "Target.setDiscoverTargets", a,
             SEL_SETUP_MS, NULL);
    if ((rc = call0(p, "Page.enable", NULL, err, errlen)) ||
        (rc = call0(p, "Runtime.enable", NULL, err, errlen)))
        goto fail;
    p->net = sel__net_open(s);
    p->log = sel__netlog_open(s, o ? o->block : NULL, o ? o->nblock : 0);
    if (!p->log && o && o->nblock) {
        rc = ut_err(err, errlen, SEL_E_BROWSER, "could not block URLs: %s",
                    cdp_errmsg(p->c));
        goto fail;
    }
    if (cdp_call(s, "Page.getFrameTree", NULL, SEL_SETUP_MS, &res) == CDP_OK) {
        sel__frames_tree(p->frames, cJSON_GetObjectItemCaseSensitive(
                                        res, "frameTree"));
        const cJSON *fr = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(res, "frameTree"), "frame");
        const char *id = cJSON_GetStringValue(
            cJSON_GetObjectItemCaseSensitive(fr, "id"));
        if (id)
            ut_strlcpy(p->main_frame, id, sizeof p->main_frame);
        set_url(p, cJSON_GetStringValue(
                       cJSON_GetObjectItemCaseSensitive(fr, "url")));
        cJSON_Delete(res);
    }
    a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "source", sel_page_js);
    if ((rc = call0(p, "Page.addScriptToEvaluateOnNewDocument", a, err,
                    errlen)))
        goto fail;
    if (o && o->width > 0 && o->height > 0) {
        a = cJSON_CreateObject();
        cJSON_AddNumberToObject(a, "width", o->width);
        cJSON_AddNumberToObject(a, "height", o->height);
        cJSON_AddNumberToObject(a, "deviceScaleFactor",
                                o->scale > 0 ? o->scale : 1);
        cJSON_AddBoolToObject(a, "mobile", o->mobile);
        if ((rc = call0(p, "Emulation.setDeviceMetricsOverride", a, err,
                        errlen)))
            goto fail;
    }
    if (o && o->touch) {
        a = cJSON_CreateObject();
        cJSON_AddBoolToObject(a, "enabled", 1);
        cJSON_AddNumberToObject(a, "maxTouchPoints", 5);
        if ((rc = call0(p, "Emulation.setTouchEmulationEnabled", a, err,
                        errlen)))
            goto fail;
    }
    if (o && o->user_agent && *o->user_agent) {
        a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "userAgent", o->user_agent);
        if ((rc = call0(p, "Emulation.setUserAgentOverride", a, err,
                        errlen)))
            goto fail;
    }
    *out = p;
    return SEL_OK;
fail:
    sel_page_close(p);
    return rc;
}

void sel_page_close(struct sel_page *p)
{
    size_t i;

    if (!p)
        return;
    if (p->sub > 0)
        cdp_unsubscribe(p->c, p->sub);
    for (i = 0; i < p->ndialogs; i++)
        free(p->dialogs[i]);
    free(p->dialogs);
    for (i = 0; i < p->nconsole; i++)
        free(p->console[i]);
    free(p->console);
    free(p->popup);
    free(p->prompt_text);
    free(p->url);
    sel_mirror_free(p->mirror);
    sel__ahead_clear(&p->ahead);
    sel__net_close(p->net);
    sel__netlog_close(p->log);
    sel__frames_free(p->frames);
    free(p);
}

struct sel__netlog *sel__netlog(struct sel_page *p)
{
    return p->log;
}

struct cdp_session *sel_page_session(struct sel_page *p)
{
    return p->s;
}

struct sel_mirror *sel__mirror(struct sel_page *p)
{
    if (!p->mirror)
        p->mirror = sel_mirror_new();
    return p->mirror;
}

struct sel__frames *sel__frames_of(struct sel_page *p)
{
    return p->frames;
}

struct sel__ahead *sel__ahead(struct sel_page *p)
{
    return &p->ahead;
}

void sel__ahead_clear(struct sel__ahead *a)
{
    size_t i;

    for (i = 0; i < a->n; i++)
        free(a->q[i].intent);
    free(a->tok);
    sel_cands_free(&a->cs);
    memset(a, 0, sizeof *a);
}

char **sel_take_dialogs(struct sel_page *p, size_t *n)
{
    char **d = p->dialogs;

    *n = p->ndialogs;
    p->dialogs = NULL;
    p->ndialogs = 0;
    return d;
}

char **sel_take_console(struct sel_page *p, size_t *n)
{
    char **d = p->console;

    *n = p->nconsole;
    p->console = NULL;
    p->nconsole = 0;
    return d;
}

char *sel_take_popup(struct sel_page *p)
{
    char *id = p->popup;

    p->popup = NULL;
    return id;
}

int sel_page_follow_popup(struct sel_page **pp, const struct sel_page_opts *o,
                          int timeout_ms)
{
    char *id = sel_take_popup(*pp), err[256];
    struct cdp_session *s = NULL;
    struct sel_page *np = NULL;

    if (!id)
        return 0;
    if (cdp_attach((*pp)->c, id, &s) != CDP_OK ||
        sel_page_open(s, o, &np, err, sizeof err) != SEL_OK) {
        free(id);
        return 0;
    }
    free(id);
    sel_page_close(*pp);
    *pp = np;
    /* a tab still loading is taken as it is when its bound runs out */
    (void)sel_wait_js(np, "document.readyState==='complete'", timeout_ms,
                      err, sizeof err);
    return 1;
}

/* Services the socket until P->loads passes LOADS (LOADS < 0: until no
 * navigation is pending) or the deadline. */
static sel_code wait_load(struct sel_page *p, int loads, int64_t deadline,
                          char *err, size_t errlen)
{
    while (loads < 0 ? p->nav_pending : p->loads <= loads) {
        int64_t left = deadline - ut_now_ms();
        cdp_code rc;

        if (p->crashed)
            return crash_err(p, err, errlen);
        if (left <= 0) {
            /* a script that never yields keeps the load from coming:
             * say so, when the page does not even answer */
            if (sel_page_probe(p, SEL_PROBE_MS, NULL, 0) == SEL_E_TIMEOUT)
                return ut_err(err, errlen, SEL_E_TIMEOUT, "page did not "
                              "finish loading: the page is not responding "
                              "(a script that never yields?)");
            if (p->crashed)
                return crash_err(p, err, errlen);
            return ut_err(err, errlen, SEL_E_TIMEOUT,
                          "page did not finish loading");
        }
        rc = cdp_pump(p->c, (int)left, 1);
        if (rc == CDP_E_CLOSED)
            return ut_err(err, errlen, SEL_E_BROWSER, "%s",
                          cdp_errmsg(p->c));
    }
    return SEL_OK;
}

void sel__input_mark(struct sel_page *p)
{
    p->net_mark = sel__net_mark(p->net);
}

/* The XHR, fetch and script requests that the last input started,
 * waited for (SEL_AJAX_MS at most, then the page is taken as it is: a
 * long poll never ends), then one evaluation, after which the page has
 * handled their answers (the new content is in); what those answers
 * started in turn (the scripts of the new content) is waited for the
 * same way, and a navigation they started too. */
static sel_code settle_ajax(struct sel_page *p, int timeout_ms, char *err,
                            size_t errlen)
{
    int64_t end = ut_now_ms() + (timeout_ms < SEL_AJAX_MS ? timeout_ms
                                                          : SEL_AJAX_MS);
    unsigned mark = p->net_mark;

    if (!sel__net_busy(p->net, mark))
        return SEL_OK;
    while (sel__net_busy(p->net, mark) && !p->crashed) {
        int64_t left = end - ut_now_ms();
        if (left <= 0 || cdp_pump(p->c, (int)left, 1) == CDP_E_CLOSED)
            break;
        if (!sel__net_busy(p->net, mark))   /* answers handled: more? */
            sel_page_probe(p, SEL_PROBE_MS, NULL, 0);
    }
    p->net_mark = sel__net_mark(p->net);
    if (!p->nav_pending)
        return SEL_OK;
    return wait_load(p, -1, ut_now_ms() + timeout_ms, err, errlen);
}

sel_code sel_settle(struct sel_page *p, int timeout_ms, char *err,
                    size_t errlen)
{
    sel_code rc;

    cdp_pump(p->c, 0, 0);
    /* The page tells of a navigation that an input started (a form
     * submitted by a click or by Enter) while it handles the input, but
     * that event and the input's answer travel apart and may come in
     * either order. An evaluation comes after every event the page sent
     * before it: one round trip, unless one answered since the input
     * (the click's pointer guard), then nothing more can be missed. */
    if (!p->nav_pending && !p->crashed && p->unflushed)
        sel_page_probe(p, timeout_ms < SEL_PROBE_MS ? timeout_ms
                                                    : SEL_PROBE_MS, NULL, 0);
    if (!p->nav_pending)
        return settle_ajax(p, timeout_ms, err, errlen);
    rc = wait_load(p, -1, ut_now_ms() + timeout_ms, err, errlen);
    return rc ? rc : settle_ajax(p, timeout_ms, err, errlen);
}

void sel__set_opener(struct sel_page *p, int handle)
{
    p->opener = handle;
    p->opener_loads = p->loads;
}

int sel__opener(struct sel_page *p)
{
    return p->opener_loads == p->loads && !p->nav_pending ? p->opener : -1;
}

int sel__navigating(struct sel_page *p)
{
    cdp_pump(p->c, 0, 0);
    return p->nav_pending;
}

sel_code sel_goto(struct sel_page *p, const char *url, int timeout_ms,
                  char *err, size_t errlen)
{
    int64_t deadline = ut_now_ms() + timeout_ms;
    int loads = p->loads;
    cJSON *a = cJSON_CreateObject(), *res = NULL;
    const char *etext;
    cdp_code rc;

    cJSON_AddStringToObject(a, "url", url);
    rc = cdp_call(p->s, "Page.navigate", a, timeout_ms, &res);
    if (rc == CDP_E_TIMEOUT)
        return ut_err(err, errlen, SEL_E_TIMEOUT, "navigation to %s timed "
                      "out after %d ms", url, timeout_ms);
    if (rc == CDP_E_PROTOCOL)
        return ut_err(err, errlen, SEL_E_NAV, "%s", cdp_errmsg(p->c));
    if (rc != CDP_OK)
        return ut_err(err, errlen, SEL_E_BROWSER, "%s", cdp_errmsg(p->c));
    etext = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(res,
                                                                  "errorText"));
    if (etext && *etext) {
        ut_err(err, errlen, 0, "navigation to %s failed: %s", url, etext);
        cJSON_Delete(res);
        return SEL_E_NAV;
    }
    /* Same-document navigations have no loaderId and no load event. */
    if (!cJSON_GetObjectItemCaseSensitive(res, "loaderId")) {
        cJSON_Delete(res);
        return SEL_OK;
    }
    cJSON_Delete(res);
    return wait_load(p, loads, deadline, err, errlen);
}

const char *sel_page_url(struct sel_page *p)
{
    /* Process what has arrived, so a navigation just made is seen. */
    cdp_pump(p->c, 0, 0);
    if (!p->url && !p->hung && !p->crashed) {
        cJSON *v = NULL;
        if (sel_eval(p, "location.href", 0, 5000, &v, NULL, 0) == SEL_OK &&
            cJSON_IsString(v))
            set_url(p, v->valuestring);
        cJSON_Delete(v);
    }
    return p->url ? p->url : "";
}
