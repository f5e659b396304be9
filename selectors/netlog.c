/* netlog.c -- what the page's network and console did, kept for the
 * checks (docs/TASKS.md "Network"): every request in flight (for
 * wait_for network_idle), and a ring of what finished: responses (for
 * wait_for response), failed requests, blocked ones, console errors and
 * uncaught exceptions (for assert no_failed_requests and
 * no_console_errors). Entries carry one sequence shared by every page of
 * the process, so a mark taken on one page orders entries of the next
 * (a tab the task went on in). The URL patterns a profile or --block
 * names are given to Network.setBlockedURLs here. */
#include "sel.h"
#include "sel_int.h"
#include "../cdp/cdp.h"
#include "../util/util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_RING     512      /* finished entries kept */
#define LOG_FLIGHT   1024     /* requests in flight tracked */
#define LOG_URL      2048     /* bytes of a URL kept */
#define LOG_POLL_MS  50
#define LOG_SETUP_MS 30000

enum { E_RESPONSE, E_FAILED, E_BLOCKED, E_CONSOLE };

struct entry {
    unsigned seq;
    int kind;
    int status;
    char method[16];
    char *text;               /* URL, or the console line */
    char *why;                /* a failure's error text, or NULL */
};

struct flight {
    char id[64];
    char method[16];
    char *url;
    int64_t since;
    int favicon;              /* the browser's own /favicon.ico */
};

struct sel__netlog {
    struct cdp_session *s;
    struct cdp_conn *c;
    int sub;
    struct entry ring[LOG_RING];
    unsigned head;            /* entries ever logged on this page */
    struct flight *fl;
    size_t nfl;
    int64_t quiet_since;      /* last request started or ended */
};

static unsigned log_seq;      /* across pages, see the top */

static const char *jstr(const cJSON *o, const char *k)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static char *url_copy(const char *u)
{
    return ut_strndup(u ? u : "", LOG_URL);
}

static void log_add(struct sel__netlog *l, int kind, const char *method,
                    int status, const char *text, const char *why)
{
    struct entry *e = &l->ring[l->head++ % LOG_RING];

    free(e->text);
    free(e->why);
    e->seq = ++log_seq;
    e->kind = kind;
    e->status = status;
    ut_strlcpy(e->method, method ? method : "GET", sizeof e->method);
    e->text = url_copy(text);
    e->why = why ? ut_strndup(why, 500) : NULL;
}

static int flight_at(const struct sel__netlog *l, const char *id)
{
    size_t i;

    for (i = 0; i < l->nfl; i++)
        if (strcmp(l->fl[i].id, id) == 0)
            return (int)i;
    return -1;
}

static void flight_end(struct sel__netlog *l, int k)
{
    free(l->fl[k].url);
    l->fl[k] = l->fl[--l->nfl];
    l->quiet_since = ut_now_ms();
}

/* A site without an icon is not broken: the browser's request for
 * /favicon.ico is not the page's. */
static int is_favicon(const char *url)
{
    const char *q = url ? strpbrk(url, "?#") : NULL;
    size_t n = q ? (size_t)(q - url) : url ? strlen(url) : 0;

    return n >= 12 && strncmp(url + n - 12, "/favicon.ico", 12) == 0;
}

static void on_request(struct sel__netlog *l, const char *id,
                       const cJSON *params)
{
    const cJSON *rq = cJSON_GetObjectItemCaseSensitive(params, "request");
    const cJSON *redir = cJSON_GetObjectItemCaseSensitive(params,
                                                          "redirectResponse");
    const char *type = jstr(params, "type"), *m = jstr(rq, "method");
    int k = flight_at(l, id);

    if (redir && k >= 0) {             /* the same request, moved on */
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(redir, "status");
        log_add(l, E_RESPONSE, l->fl[k].method,
                cJSON_IsNumber(st) ? st->valueint : 0, l->fl[k].url, NULL);
        free(l->fl[k].url);
        l->fl[k].url = url_copy(jstr(rq, "url"));
        return;
    }
    /* an event stream stays open for as long as the page wants it */
    if (k >= 0 || l->nfl >= LOG_FLIGHT || (type && strcmp(type,
                                                          "EventSource") == 0))
        return;
    k = (int)l->nfl++;
    ut_strlcpy(l->fl[k].id, id, sizeof l->fl[k].id);
    ut_strlcpy(l->fl[k].method, m ? m : "GET", sizeof l->fl[k].method);
    l->fl[k].url = url_copy(jstr(rq, "url"));
    l->fl[k].since = l->quiet_since = ut_now_ms();
    l->fl[k].favicon = type && strcmp(type, "Other") == 0 &&
                       is_favicon(l->fl[k].url);
}

static void on_response(struct sel__netlog *l, const char *id,
                        const cJSON *params)
{
    const cJSON *rs = cJSON_GetObjectItemCaseSensitive(params, "response");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(rs, "status");
    int k = flight_at(l, id), status = cJSON_IsNumber(st) ? st->valueint : 0;
    const char *m = k >= 0 ? l->fl[k].method : "GET";
    char why[32];

    log_add(l, E_RESPONSE, m, status, jstr(rs, "url"), NULL);
    if (status >= 400 && !(k >= 0 && l->fl[k].favicon)) {
        snprintf(why, sizeof why, "%d", status);
        log_add(l, E_FAILED, m, status, jstr(rs, "url"), why);
    }
}

static void on_failed(struct sel__netlog *l, const char *id,
                      const cJSON *params)
{
    int k = flight_at(l, id);
    const char *err = jstr(params, "errorText");

    if (k < 0)
        return;
    /* a request the page or a navigation dropped did not fail */
    if (jstr(params, "blockedReason"))
        log_add(l, E_BLOCKED, l->fl[k].method, 0, l->fl[k].url, err);
    else if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(params,
                                                            "canceled")) &&
             !l->fl[k].favicon)
        log_add(l, E_FAILED, l->fl[k].method, 0, l->fl[k].url, err);
    flight_end(l, k);
}

static void on_console(struct sel__netlog *l, const char *method,
                       const cJSON *params)
{
    ut_buf line;
    const cJSON *a;

    ut_buf_init(&line, 1024);
    if (strcmp(method, "Runtime.exceptionThrown") == 0) {
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(params,
                                                          "exceptionDetails");
        const char *desc = jstr(cJSON_GetObjectItemCaseSensitive(d,
                                "exception"), "description");
        ut_buf_addf(&line, "exception: %.500s", desc ? desc
                    : jstr(d, "text") ? jstr(d, "text") : "?");
    } else {
        const char *type = jstr(params, "type");
        if (!type || (strcmp(type, "error") && strcmp(type, "assert"))) {
            ut_buf_free(&line);
            return;
        }
        ut_buf_adds(&line, "console.error:");
        cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(params,
                                                               "args")) {
            const char *v = jstr(a, "value");
            ut_buf_addf(&line, " %.300s", v ? v : jstr(a, "description") ?
                        jstr(a, "description") : "?");
        }
    }
    log_add(l, E_CONSOLE, NULL, 0, ut_buf_str(&line), NULL);
    ut_buf_free(&line);
}

static void on_event(void *ud, struct cdp_session *s, const char *method,
                     const cJSON *params)
{
    struct sel__netlog *l = ud;
    const char *id;
    int k;

    if (s != l->s)
        return;
    if (strncmp(method, "Runtime.", 8) == 0) {
        if (strcmp(method + 8, "consoleAPICalled") == 0 ||
            strcmp(method + 8, "exceptionThrown") == 0)
            on_console(l, method, params);
        return;
    }
    if (strncmp(method, "Network.", 8) != 0 ||
        !(id = jstr(params, "requestId")) || strlen(id) >= 64)
        return;
    method += 8;
    if (strcmp(method, "requestWillBeSent") == 0)
        on_request(l, id, params);
    else if (strcmp(method, "responseReceived") == 0)
        on_response(l, id, params);
    else if (strcmp(method, "loadingFailed") == 0)
        on_failed(l, id, params);
    else if (strcmp(method, "loadingFinished") == 0 &&
             (k = flight_at(l, id)) >= 0)
        flight_end(l, k);
}

struct sel__netlog *sel__netlog_open(struct cdp_session *s,
                                     const char *const *block, size_t nblock)
{
    struct sel__netlog *l = calloc(1, sizeof *l);
    cJSON *a, *urls;
    size_t i;

    if (!l || !(l->fl = calloc(LOG_FLIGHT, sizeof *l->fl))) {
        free(l);
        return NULL;
    }
    l->s = s;
    l->c = cdp_session_conn(s);
    l->quiet_since = ut_now_ms();
    l->sub = cdp_subscribe(l->c, on_event, l);
    if (nblock) {
        a = cJSON_CreateObject();
        urls = cJSON_AddArrayToObject(a, "urls");
        for (i = 0; i < nblock; i++)
            cJSON_AddItemToArray(urls, cJSON_CreateString(block[i]));
        if (cdp_call(s, "Network.setBlockedURLs", a, LOG_SETUP_MS, NULL) !=
            CDP_OK) {
            sel__netlog_close(l);
            return NULL;
        }
    }
    return l;
}

void sel__netlog_close(struct sel__netlog *l)
{
    size_t i;

    if (!l)
        return;
    if (l->sub > 0)
        cdp_unsubscribe(l->c, l->sub);
    for (i = 0; i < LOG_RING; i++) {
        free(l->ring[i].text);
        free(l->ring[i].why);
    }
    for (i = 0; i < l->nfl; i++)
        free(l->fl[i].url);
    free(l->fl);
    free(l);
}

unsigned sel_net_mark(struct sel_page *p)
{
    (void)p;
    return log_seq;
}

/* The entries of L after mark SINCE, oldest first: calls FN on each of
 * KIND until it returns nonzero; that entry, or NULL. */
static const struct entry *scan(const struct sel__netlog *l, unsigned since,
                                int kind, int (*fn)(const struct entry *,
                                                    void *), void *ud)
{
    unsigned i = l->head > LOG_RING ? l->head - LOG_RING : 0;

    for (; i < l->head; i++) {
        const struct entry *e = &l->ring[i % LOG_RING];
        if (e->seq > since && e->kind == kind && fn(e, ud))
            return e;
    }
    return NULL;
}

sel_code sel_wait_idle(struct sel_page *p, int idle_ms, int timeout_ms,
                       char *err, size_t errlen)
{
    struct sel__netlog *l = sel__netlog(p);
    int64_t deadline = ut_now_ms() + timeout_ms;
    struct cdp_conn *c = cdp_session_conn(sel_page_session(p));

    if (!l)
        return ut_err(err, errlen, SEL_E_BROWSER, "the page's network is "
                      "not tracked");
    for (;;) {
        int64_t now;

        if (cdp_pump(c, 0, 0) == CDP_E_CLOSED)
            return ut_err(err, errlen, SEL_E_BROWSER, "%s", cdp_errmsg(c));
        if (sel_page_state(p) == SEL_PAGE_CRASHED)
            return sel_page_probe(p, 0, err, errlen);
        now = ut_now_ms();
        if (l->nfl == 0 && now - l->quiet_since >= idle_ms)
            return SEL_OK;
        if (now >= deadline)
            break;
        cdp_pump(c, LOG_POLL_MS, 1);
    }
    if (l->nfl == 0)
        return ut_err(err, errlen, SEL_E_TIMEOUT, "the network was never "
                      "quiet for %d ms within %d ms (requests kept "
                      "starting)", idle_ms, timeout_ms);
    return ut_err(err, errlen, SEL_E_TIMEOUT, "the network is not idle "
                  "after %d ms: %zu request%s in flight, e.g. %s %.300s "
                  "(for %lld ms)", timeout_ms, l->nfl, l->nfl > 1 ? "s" : "",
                  l->fl[0].method, l->fl[0].url,
                  (long long)(ut_now_ms() - l->fl[0].since));
}

struct want_resp {
    pcre2_code *re;
    pcre2_match_data *md;
    const char *method;
    int status;
    int any_url;              /* a response matched the URL, not the rest */
    char seen[400];           /* ... the last of them */
};

static int resp_fits(const struct entry *e, void *ud)
{
    struct want_resp *w = ud;

    if (pcre2_match(w->re, (PCRE2_SPTR)e->text, strlen(e->text), 0, 0,
                    w->md, NULL) < 0)
        return 0;
    if ((w->method && strcmp(w->method, e->method) != 0) ||
        (w->status && w->status != e->status)) {
        w->any_url = 1;
        snprintf(w->seen, sizeof w->seen, "%s %.300s %d", e->method,
                 e->text, e->status);
        return 0;
    }
    return 1;
}

sel_code sel_wait_response(struct sel_page *p, const char *re,
                           const char *method, int status, unsigned *since,
                           int timeout_ms, char **what, char *err,
                           size_t errlen)
{
    struct sel__netlog *l = sel__netlog(p);
    int64_t deadline = ut_now_ms() + timeout_ms;
    struct cdp_conn *c = cdp_session_conn(sel_page_session(p));
    struct want_resp w;
    const struct entry *e = NULL;
    int ec;
    PCRE2_SIZE eo;
    sel_code rc = SEL_OK;

    *what = NULL;
    if (!l)
        return ut_err(err, errlen, SEL_E_BROWSER, "the page's network is "
                      "not tracked");
    memset(&w, 0, sizeof w);
    w.method = method;
    w.status = status;
    w.re = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
                         &ec, &eo, NULL);
    if (!w.re)
        return ut_err(err, errlen, SEL_E_ACTION, "bad regex /%s/", re);
    w.md = pcre2_match_data_create_from_pattern(w.re, NULL);
    for (;;) {
        if (cdp_pump(c, 0, 0) == CDP_E_CLOSED) {
            rc = ut_err(err, errlen, SEL_E_BROWSER, "%s", cdp_errmsg(c));
            break;
        }
        if (w.md && (e = scan(l, *since, E_RESPONSE, resp_fits, &w)))
            break;
        if (sel_page_state(p) == SEL_PAGE_CRASHED) {
            rc = sel_page_probe(p, 0, err, errlen);
            break;
        }
        if (ut_now_ms() >= deadline) {
            rc = ut_err(err, errlen, SEL_E_TIMEOUT, "no response %s%s%s"
                        "/%s/%s%.0d after %d ms%s%s", method ? method : "",
                        method ? " " : "", "", re, status ? " " : "",
                        status, timeout_ms, w.any_url ? "; last one of that "
                        "URL: " : "", w.any_url ? w.seen : "");
            break;
        }
        cdp_pump(c, LOG_POLL_MS, 1);
    }
    if (e) {
        ut_buf b;
        ut_buf_init(&b, 4096);
        ut_buf_addf(&b, "%s %s %d", e->method, e->text, e->status);
        *what = ut_buf_take(&b);
        *since = e->seq;
    }
    pcre2_match_data_free(w.md);
    pcre2_code_free(w.re);
    return rc;
}

struct lines {
    char **v;
    size_t n;
};

static int take_line(const struct entry *e, void *ud)
{
    struct lines *ls = ud;
    char **nv = realloc(ls->v, (ls->n + 1) * sizeof *nv);
    ut_buf b;

    if (!nv)
        return 1;
    ls->v = nv;
    ut_buf_init(&b, 4096);
    if (e->kind == E_CONSOLE)
        ut_buf_adds(&b, e->text);
    else if (e->status)
        ut_buf_addf(&b, "%s %s -> %d", e->method, e->text, e->status);
    else
        ut_buf_addf(&b, "%s %s: %s", e->method, e->text,
                    e->why ? e->why : "failed");
    if (!(ls->v[ls->n] = ut_buf_take(&b)))
        return 1;
    ls->n++;
    return 0;
}

static int count_one(const struct entry *e, void *ud)
{
    (void)e;
    ++*(size_t *)ud;
    return 0;
}

char **sel_net_failed(struct sel_page *p, unsigned since, int console,
                      size_t *n, size_t *blocked)
{
    struct sel__netlog *l = sel__netlog(p);
    struct lines ls = { NULL, 0 };

    *n = 0;
    if (blocked)
        *blocked = 0;
    if (!l)
        return NULL;
    cdp_pump(l->c, 0, 0);
    scan(l, since, console ? E_CONSOLE : E_FAILED, take_line, &ls);
    if (blocked && !console)
        scan(l, since, E_BLOCKED, count_one, blocked);
    *n = ls.n;
    return ls.v;
}
