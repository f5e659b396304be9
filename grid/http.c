/* http.c -- the WebDriver requests over libcurl: POST /session with
 * retries while the grid is full, DELETE /session/{id}. libcurl gives
 * bounded connect and total timeouts, TLS and the user's proxy settings
 * (http_proxy, no_proxy) without code of ours. Every request is bounded
 * by its own timeout and the caller's total. */
#include "grid.h"
#include "../util/util.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLY_MAX   (256u * 1024)   /* a new-session reply is ~2 KB */
#define CONNECT_MS  5000

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    ut_buf *b = ud;

    return ut_buf_add(b, p, size * n) ? 0 : size * n;
}

/* One request: METHOD on URL with BODY (NULL: none) within MS. The HTTP
 * status (0 when none came) into *STATUS, the reply into B. curl's
 * reason in ERR when no reply came: -1 then (-2: it timed out). */
static int request(const char *method, const char *url, const char *body,
                   long ms, long *status, ut_buf *b, char *err,
                   size_t errlen)
{
    static int inited;
    struct curl_slist *h = NULL;
    CURL *c;
    CURLcode rc;

    *status = 0;
    if (!inited++)
        curl_global_init(CURL_GLOBAL_DEFAULT);
    if (!(c = curl_easy_init()))
        return ut_err(err, errlen, -1, "out of memory");
    h = curl_slist_append(h, "Content-Type: application/json; "
                          "charset=utf-8");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ms > 0 ? ms : 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     ms < CONNECT_MS ? (ms > 0 ? ms : 1L) : CONNECT_MS);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
    else
        ut_err(err, errlen, 0, "%s", curl_easy_strerror(rc));
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return rc == CURLE_OK ? 0 : rc == CURLE_OPERATION_TIMEDOUT ? -2 : -1;
}

/* URL + "/session" [+ "/" + ID], without a doubled slash. */
static int session_url(char *out, size_t n, const char *url, const char *id)
{
    size_t len = strlen(url);
    int w;

    while (len && url[len - 1] == '/')
        len--;
    w = snprintf(out, n, "%.*s/session%s%s", (int)len, url, id ? "/" : "",
                 id ? id : "");
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

static int64_t left_of(int64_t end)
{
    int64_t l = end - ut_now_ms();

    return l > 0 ? l : 0;
}

/* One POST /session: GRID_R_* with S filled or ERR set. */
static enum grid_reply try_once(const char *surl, const char *body,
                                long ms, struct grid_session *s,
                                char *err, size_t errlen)
{
    ut_buf b;
    long status;
    int rc;
    enum grid_reply r;

    ut_buf_init(&b, REPLY_MAX);
    rc = request("POST", surl, body, ms, &status, &b, err, errlen);
    if (rc == -2)            /* held in the grid's queue past our bound */
        r = GRID_R_RETRY;
    else if (rc)
        r = GRID_R_FATAL;
    else
        r = grid_reply_parse(status, ut_buf_str(&b), s, err, errlen);
    ut_buf_free(&b);
    return r;
}

int grid_session_new(const char *url, const struct grid_opts *o,
                     struct grid_session *s, char *err, size_t errlen)
{
    int total = o->timeout_ms > 0 ? o->timeout_ms : GRID_TIMEOUT_MS;
    int try_ms = o->try_ms > 0 ? o->try_ms : GRID_TRY_MS;
    int64_t end = ut_now_ms() + total, left;
    uint64_t rng = ut_rng_seed(s);
    char surl[GRID_URL_MAX + 64], why[512] = "", *body;
    enum grid_reply r = GRID_R_FATAL;
    int kind = grid_kind_of(url, err, errlen), wait;

    memset(s, 0, sizeof *s);
    if (kind < 0)
        return -1;
    if (kind == GRID_WS) {
        ut_strlcpy(s->cdp, url, sizeof s->cdp);
        return 0;
    }
    if (session_url(surl, sizeof surl, url, NULL) ||
        !(body = grid_session_body(o)))
        return ut_err(err, errlen, -1, "grid %s: out of memory", url);
    for (;;) {
        left = left_of(end);
        s->tries++;
        r = try_once(surl, body, left < try_ms ? (long)left : try_ms, s,
                     why, sizeof why);
        if (r != GRID_R_RETRY)
            break;
        wait = grid_wait_ms(s->tries - 1, left_of(end), &rng);
        if (wait <= 0 || left_of(end) <= wait)
            break;
        ut_sleep_ms(wait);
    }
    free(body);
    if (r == GRID_R_OK)
        return 0;
    if (s->id[0])            /* made, but of no use to us */
        (void)grid_session_delete(url, s->id, 5000, NULL, 0);
    return ut_err(err, errlen, -1, "grid %s: %s%s%s", url,
                  r == GRID_R_RETRY ? "no session within the grid timeout "
                  "(the grid is full or not ready); it answered: " :
                  "POST /session: ", why, "");
}

int grid_session_delete(const char *url, const char *id, int timeout_ms,
                        char *err, size_t errlen)
{
    char surl[GRID_URL_MAX + GRID_ID_MAX + 64], why[256] = "";
    long status;
    ut_buf b;
    int rc;

    if (!id || !*id)
        return 0;
    if (session_url(surl, sizeof surl, url, id))
        return ut_err(err, errlen, -1, "grid %s: URL too long", url);
    ut_buf_init(&b, REPLY_MAX);
    rc = request("DELETE", surl, NULL, timeout_ms, &status, &b, why,
                 sizeof why);
    ut_buf_free(&b);
    if (rc)
        return ut_err(err, errlen, -1, "grid %s: DELETE /session/%s: %s",
                      url, id, why);
    if (status != 200 && status != 404)
        return ut_err(err, errlen, -1, "grid %s: DELETE /session/%s: HTTP "
                      "%ld", url, id, status);
    return 0;
}
