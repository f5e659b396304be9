/* tabs.c -- the tabs of a run, as a person sees them: the tab it started
 * in first, then every page opened later in the same browser context, in
 * the order they opened (Target.targetCreated); a closed one leaves the
 * list and those after it move down (like Playwright's context.pages()).
 * Switching takes a tab over as sel_page_open() does, brings it to the
 * front and lets go of the tab left; closing the current tab goes back
 * to the tab that opened it (else the one before it). */
#include "sel.h"
#include "sel_int.h"
#include "../cdp/cdp.h"
#include "../util/util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdlib.h>
#include <string.h>

#define TABS_MAX     64
#define TABS_POLL_MS 50
#define TABS_CALL_MS 5000

struct sel_tabs {
    struct cdp_conn *c;
    int sub;
    char ctx[128];              /* the browser context's id, "" unknown */
    char *ids[TABS_MAX];        /* target ids, in the order they opened */
    size_t n;
};

static const char *jstr(const cJSON *o, const char *k)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static long find_id(const struct sel_tabs *t, const char *id)
{
    size_t i;

    for (i = 0; id && i < t->n; i++)
        if (strcmp(t->ids[i], id) == 0)
            return (long)i;
    return -1;
}

static void add_id(struct sel_tabs *t, const char *id)
{
    if (id && find_id(t, id) < 0 && t->n < TABS_MAX &&
        (t->ids[t->n] = ut_strdup(id)) != NULL)
        t->n++;
}

static void drop_id(struct sel_tabs *t, const char *id)
{
    long i = find_id(t, id);

    if (i < 0)
        return;
    free(t->ids[i]);
    memmove(&t->ids[i], &t->ids[i + 1],
            (t->n - (size_t)i - 1) * sizeof *t->ids);
    t->n--;
}

static void on_event(void *ud, struct cdp_session *s, const char *method,
                     const cJSON *params)
{
    struct sel_tabs *t = ud;
    const cJSON *ti = cJSON_GetObjectItemCaseSensitive(params, "targetInfo");
    const char *type = jstr(ti, "type"), *ctx = jstr(ti, "browserContextId");

    (void)s;
    if (strcmp(method, "Target.targetCreated") == 0 && type &&
        strcmp(type, "page") == 0 && (!t->ctx[0] || (ctx &&
        strcmp(ctx, t->ctx) == 0)))
        add_id(t, jstr(ti, "targetId"));
    else if (strcmp(method, "Target.targetDestroyed") == 0)
        drop_id(t, jstr(params, "targetId"));
}

struct sel_tabs *sel_tabs_new(struct sel_page *p)
{
    struct sel_tabs *t = calloc(1, sizeof *t);

    if (!t)
        return NULL;
    t->c = cdp_session_conn(sel_page_session(p));
    sel__context_of(p, t->ctx, sizeof t->ctx);
    add_id(t, cdp_session_target(sel_page_session(p)));
    t->sub = cdp_subscribe(t->c, on_event, t);
    return t;
}

void sel_tabs_free(struct sel_tabs *t)
{
    size_t i;

    if (!t)
        return;
    if (t->sub > 0)
        cdp_unsubscribe(t->c, t->sub);
    for (i = 0; i < t->n; i++)
        free(t->ids[i]);
    free(t);
}

int sel_tabs_index(struct sel_tabs *t, struct sel_page *p)
{
    if (!t || !p)
        return -1;
    cdp_pump(t->c, 0, 0);
    return (int)find_id(t, cdp_session_target(sel_page_session(p)));
}

/* ---- finding a tab -------------------------------------------------------- */

/* Target.getTargets' info of tab I (NULL when Chrome does not list it). */
static const cJSON *info_of(const cJSON *infos, const char *id)
{
    const cJSON *ti;

    cJSON_ArrayForEach(ti, infos)
        if (jstr(ti, "targetId") && strcmp(jstr(ti, "targetId"), id) == 0)
            return ti;
    return NULL;
}

static int matches(const struct sel_tab_want *w, const cJSON *ti,
                   pcre2_code *re, pcre2_match_data *md)
{
    const char *s = jstr(ti, w->by == SEL_TAB_TITLE ? "title" : "url");

    if (!s)
        return 0;
    if (w->by == SEL_TAB_TITLE)
        return strstr(s, w->text) != NULL;
    return pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL) >= 0;
}

/* The tabs as one line: tab 0 "Title" <url>, ... */
static void list_tabs(const struct sel_tabs *t, const cJSON *infos,
                      ut_buf *b)
{
    size_t i;

    for (i = 0; i < t->n; i++) {
        const cJSON *ti = info_of(infos, t->ids[i]);
        ut_buf_addf(b, "%stab %zu \"%.60s\" <%.100s>", i ? ", " : "", i,
                    ti && jstr(ti, "title") ? jstr(ti, "title") : "",
                    ti && jstr(ti, "url") ? jstr(ti, "url") : "");
    }
}

/* The index of the one tab W names now into *IDX: 1; 0 while none does;
 * -1 when several do (ERR says which). */
static int find_now(struct sel_tabs *t, const struct sel_tab_want *w,
                    pcre2_code *re, pcre2_match_data *md, long *idx,
                    char *err, size_t errlen)
{
    cJSON *res = NULL;
    const cJSON *infos;
    size_t i, hits = 0;
    ut_buf b;

    if (w->by == SEL_TAB_INDEX) {
        *idx = w->index;
        return (size_t)w->index < t->n;
    }
    if (cdp_call(cdp_browser_session(t->c), "Target.getTargets", NULL,
                 TABS_CALL_MS, &res) != CDP_OK)
        return 0;
    infos = cJSON_GetObjectItemCaseSensitive(res, "targetInfos");
    for (i = 0; i < t->n; i++) {
        const cJSON *ti = info_of(infos, t->ids[i]);
        if (ti && matches(w, ti, re, md) && hits++ == 0)
            *idx = (long)i;
    }
    if (hits > 1) {
        ut_buf_init(&b, 2048);
        list_tabs(t, infos, &b);
        ut_err(err, errlen, -1, "%zu tabs match (%s): name one by its "
               "index", hits, ut_buf_str(&b));
        ut_buf_free(&b);
    }
    cJSON_Delete(res);
    return hits > 1 ? -1 : hits == 1;
}

/* Why no tab matched W in time, into ERR. */
static sel_code not_found(struct sel_tabs *t, const struct sel_tab_want *w,
                          int timeout_ms, char *err, size_t errlen)
{
    cJSON *res = NULL;
    ut_buf b;

    ut_buf_init(&b, 2048);
    (void)cdp_call(cdp_browser_session(t->c), "Target.getTargets", NULL,
                   TABS_CALL_MS, &res);
    list_tabs(t, cJSON_GetObjectItemCaseSensitive(res, "targetInfos"), &b);
    cJSON_Delete(res);
    if (w->by == SEL_TAB_INDEX)
        ut_err(err, errlen, 0, "no tab %d within %d ms (%zu open: %s)",
               w->index, timeout_ms, t->n, ut_buf_str(&b));
    else
        ut_err(err, errlen, 0, "no tab whose %s %s \"%.100s\" within %d ms "
               "(%s)", w->by == SEL_TAB_TITLE ? "title" : "URL",
               w->by == SEL_TAB_TITLE ? "contains" : "matches", w->text,
               timeout_ms, ut_buf_str(&b));
    ut_buf_free(&b);
    return SEL_E_NOTFOUND;
}

/* The tab W names, waited for up to TIMEOUT_MS (a tab a script opens
 * comes a little later): its index in *IDX. */
static sel_code find_tab(struct sel_tabs *t, struct sel_page *cur,
                         const struct sel_tab_want *w, int timeout_ms,
                         long *idx, char *err, size_t errlen)
{
    int64_t deadline = ut_now_ms() + timeout_ms;
    pcre2_code *re = NULL;
    pcre2_match_data *md = NULL;
    PCRE2_SIZE off;
    int ec, r;

    if (w->by == SEL_TAB_CURRENT) {
        *idx = sel_tabs_index(t, cur);
        return *idx >= 0 ? SEL_OK : ut_err(err, errlen, SEL_E_BROWSER,
                                           "the current tab is gone");
    }
    if (w->by == SEL_TAB_URL) {
        re = pcre2_compile((PCRE2_SPTR)w->text, PCRE2_ZERO_TERMINATED,
                           PCRE2_UTF, &ec, &off, NULL);
        md = re ? pcre2_match_data_create_from_pattern(re, NULL) : NULL;
        if (!md) {
            pcre2_code_free(re);
            return ut_err(err, errlen, SEL_E_ACTION, "bad URL regex at "
                          "offset %zu", (size_t)off);
        }
    }
    for (;;) {
        cdp_pump(t->c, 0, 0);
        r = find_now(t, w, re, md, idx, err, errlen);
        if (r != 0 || ut_now_ms() >= deadline)
            break;
        if (cdp_pump(t->c, TABS_POLL_MS, 0) == CDP_E_CLOSED)
            break;
    }
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    if (r < 0)
        return SEL_E_AMBIGUOUS;
    return r ? SEL_OK : not_found(t, w, timeout_ms, err, errlen);
}

/* ---- switching and closing ------------------------------------------------ */

/* Makes tab I the current one: *PP is replaced by a page on it. */
static sel_code take(struct sel_tabs *t, struct sel_page **pp, long i,
                     const struct sel_page_opts *o, int timeout_ms,
                     char *err, size_t errlen)
{
    struct cdp_session *s = NULL, *old = sel_page_session(*pp);
    struct sel_page *np = NULL;
    cJSON *a;
    sel_code rc;

    if (strcmp(cdp_session_target(old), t->ids[i]) == 0)
        return SEL_OK;
    if (cdp_attach(t->c, t->ids[i], &s) != CDP_OK)
        return ut_err(err, errlen, SEL_E_BROWSER, "tab %ld: %s", i,
                      cdp_errmsg(t->c));
    if ((rc = sel_page_open(s, o, &np, err, errlen)))
        return rc;
    a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "targetId", t->ids[i]);
    (void)cdp_call(cdp_browser_session(t->c), "Target.activateTarget", a,
                   TABS_CALL_MS, NULL);
    a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "sessionId", cdp_session_id(old));
    cdp_send(cdp_browser_session(t->c), "Target.detachFromTarget", a);
    sel_page_close(*pp);
    *pp = np;
    /* a tab still loading is taken as it is when its bound runs out */
    (void)sel_wait_js(np, "document.readyState==='complete'", timeout_ms,
                      NULL, 0);
    return SEL_OK;
}

sel_code sel_tab_switch(struct sel_tabs *t, struct sel_page **pp,
                        const struct sel_tab_want *w,
                        const struct sel_page_opts *o, int timeout_ms,
                        char *err, size_t errlen)
{
    long i = -1;
    sel_code rc = find_tab(t, *pp, w, timeout_ms, &i, err, errlen);

    return rc ? rc : take(t, pp, i, o, timeout_ms, err, errlen);
}

/* The tab to go on in when tab I (the current one) closes: the tab that
 * opened it while it is open, else the one before it, else after it. */
static long next_after_close(struct sel_tabs *t, long i)
{
    cJSON *a = cJSON_CreateObject(), *res = NULL;
    long o;

    cJSON_AddStringToObject(a, "targetId", t->ids[i]);
    o = cdp_call(cdp_browser_session(t->c), "Target.getTargetInfo", a,
                 TABS_CALL_MS, &res) == CDP_OK ?
        find_id(t, jstr(cJSON_GetObjectItemCaseSensitive(res, "targetInfo"),
                        "openerId")) : -1;
    cJSON_Delete(res);
    return o >= 0 && o != i ? o : i > 0 ? i - 1 : i + 1;
}

sel_code sel_tab_close(struct sel_tabs *t, struct sel_page **pp,
                       const struct sel_tab_want *w,
                       const struct sel_page_opts *o, int timeout_ms,
                       char *err, size_t errlen)
{
    long i = -1;
    char id[128];
    cJSON *a;
    sel_code rc = find_tab(t, *pp, w, timeout_ms, &i, err, errlen);

    if (rc)
        return rc;
    if (t->n < 2)
        return ut_err(err, errlen, SEL_E_ACTION, "tab %ld is the only tab: "
                      "a task always has one to run in", i);
    ut_strlcpy(id, t->ids[i], sizeof id);
    if (i == sel_tabs_index(t, *pp) &&
        (rc = take(t, pp, next_after_close(t, i), o, timeout_ms, err,
                   errlen)))
        return rc;
    a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "targetId", id);
    if (cdp_call(cdp_browser_session(t->c), "Target.closeTarget", a,
                 TABS_CALL_MS, NULL) != CDP_OK)
        return ut_err(err, errlen, SEL_E_BROWSER, "closing tab %ld: %s", i,
                      cdp_errmsg(t->c));
    drop_id(t, id);
    return SEL_OK;
}
