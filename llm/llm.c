/* llm.c -- the handle: configuration, budgets, the retry loop with
 * backoff and Retry-After, the circuit breaker, and the per-run totals.
 * The transport is http.c, the prompt and the answer parsing prompt.c.
 * Every message that leaves this file (llm_errmsg, the answer's reason)
 * is passed through llm__redact() with the API key as a last guard; the
 * messages are also written so that they never include it. */
#include "llm_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEF_TIMEOUT_MS   30000
#define DEF_BACKOFF_MS   500
#define DEF_BREAKER      3
#define MAX_RETRIES      10
#define MAX_BACKOFF_MS   10000   /* one computed backoff, before jitter */

struct llm {
    struct llm_config cfg;   /* strings point at the copies below */
    char *url, *model, *key, *ca_file;        /* owned */
    struct llm__url u;
    struct llm__http *http;  /* owned */
    ut_buf req;              /* request body, rebuilt per call */
    char err[LLM_ERRLEN];
    struct llm_stats st;
    int consecutive;         /* failed calls in a row */
    char breaker_why[LLM_ERRLEN];   /* the error that opened it */
    uint64_t rng;            /* xorshift state for the jitter */
};

static const char *const MESSAGES[LLM_LAST] = {
    "ok", "out of memory", "LLM not configured or bad configuration",
    "LLM budget spent", "LLM circuit breaker open",
    "LLM provider refused the request (key, model or request)",
    "LLM provider HTTP error", "LLM request timed out",
    "LLM provider unreachable or connection closed",
    "LLM answer unusable", "LLM found no fitting candidate",
};

const char *llm_strerror(llm_code c)
{
    return (c >= 0 && c < LLM_LAST) ? MESSAGES[c] : "unknown LLM error";
}

int llm_config_from_env(struct llm_config *c)
{
    static const char *const names[] = {
        "CDPILOT_LLM_URL", "CDPILOT_LLM_MODEL", "CDPILOT_LLM_API_KEY",
        "CDPILOT_LLM_CA_FILE",
    };
    const char **dst[] = { &c->url, &c->model, &c->api_key, &c->ca_file };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const char *v = getenv(names[i]);

        if (v && v[0])
            *dst[i] = v;
    }
    return c->url && c->url[0] && c->model && c->model[0];
}

/* ---- URL ------------------------------------------------------------- */

static int url_hostport(const char *a, size_t alen, struct llm__url *u,
                        char *err, size_t errlen)
{
    const char *colon = NULL, *h = a, *he;
    char port[8];
    long v;

    if (memchr(a, '@', alen))
        return ut_err(err, errlen, -1, "LLM URL must not carry "
                      "credentials; set CDPILOT_LLM_API_KEY instead");
    if (alen && a[0] == '[') {                     /* [v6]:port */
        he = memchr(a, ']', alen);
        if (!he)
            return ut_err(err, errlen, -1, "LLM URL: unclosed '['");
        h = a + 1;
        if (he + 1 < a + alen) {
            if (he[1] != ':')
                return ut_err(err, errlen, -1, "LLM URL: bad host");
            colon = he + 1;
        }
    } else {
        colon = memchr(a, ':', alen);
        he = colon ? colon : a + alen;
    }
    if (he == h || (size_t)(he - h) >= sizeof(u->host))
        return ut_err(err, errlen, -1, "LLM URL: missing or long host");
    memcpy(u->host, h, (size_t)(he - h));
    u->host[he - h] = '\0';
    if (colon) {
        size_t pl = (size_t)(a + alen - colon - 1);

        if (pl == 0 || pl >= sizeof(port))
            return ut_err(err, errlen, -1, "LLM URL: bad port");
        memcpy(port, colon + 1, pl);
        port[pl] = '\0';
        if (ut_parse_long(port, 1, 65535, &v))
            return ut_err(err, errlen, -1, "LLM URL: bad port");
        u->port = (int)v;
    }
    return 0;
}

/* RAW: the path as given ("/" when none), for llm_post(); otherwise
 * the chat-completions endpoint under it. */
static int url_parse(const char *url, int raw, struct llm__url *u,
                     char *err, size_t errlen)
{
    static const char SUFFIX[] = "/chat/completions";
    const char *a, *ae, *q, *pe;
    size_t bl;
    int dflt;

    memset(u, 0, sizeof(*u));
    if (!url)
        return ut_err(err, errlen, -1, "no LLM URL");
    if (ut_starts_with(url, "http://")) {
        a = url + 7;
        u->port = 80;
    } else if (ut_starts_with(url, "https://")) {
        a = url + 8;
        u->tls = 1;
        u->port = 443;
    } else {
        return ut_err(err, errlen, -1, "LLM URL must start with http:// "
                      "or https://");
    }
    ae = a + strcspn(a, "/?#");
    if (url_hostport(a, (size_t)(ae - a), u, err, errlen))
        return -1;
    pe = ae + strcspn(ae, "#");             /* a fragment is dropped */
    q = ae + strcspn(ae, "?#");             /* the query is kept */
    if (raw) {
        if ((size_t)(pe - ae) + 2 > sizeof(u->path))
            return ut_err(err, errlen, -1, "URL: path too long");
        snprintf(u->path, sizeof(u->path), "%s%.*s", *ae == '/' ? "" : "/",
                 (int)(pe - ae), ae);
        goto host;
    }
    bl = (size_t)(q - ae);
    while (bl > 0 && ae[bl - 1] == '/')
        bl--;
    if (bl + sizeof(SUFFIX) + (size_t)(pe - q) > sizeof(u->path))
        return ut_err(err, errlen, -1, "LLM URL: path too long");
    memcpy(u->path, ae, bl);
    u->path[bl] = '\0';
    if (!(bl >= sizeof(SUFFIX) - 1 &&
          memcmp(ae + bl - (sizeof(SUFFIX) - 1), SUFFIX,
                 sizeof(SUFFIX) - 1) == 0))
        memcpy(u->path + bl, SUFFIX, sizeof(SUFFIX));
    strncat(u->path, q, (size_t)(pe - q));
host:
    dflt = u->port == (u->tls ? 443 : 80);
    snprintf(u->hosthdr, sizeof(u->hosthdr), strchr(u->host, ':')
             ? (dflt ? "[%s]" : "[%s]:%d") : (dflt ? "%s" : "%s:%d"),
             u->host, u->port);
    return 0;
}

int llm__url_parse(const char *url, struct llm__url *u, char *err,
                   size_t errlen)
{
    return url_parse(url, 0, u, err, errlen);
}

llm_code llm_post(const char *url, const char *body, size_t len,
                  int timeout_ms, int *status, char *err, size_t errlen)
{
    struct llm__url u;
    struct llm__http *h;
    struct llm__http_res res;
    llm_code rc;

    *status = 0;
    if (url_parse(url, 1, &u, err, errlen))
        return LLM_E_CONFIG;
    h = llm__http_new(NULL, u.tls);
    if (!h)
        return (llm_code)ut_err(err, errlen, LLM_E_NOMEM, "out of memory");
    llm__http_post(h, &u, NULL, body, len, timeout_ms, &res);
    rc = res.code;
    *status = res.status;
    if (rc != LLM_OK)
        ut_err(err, errlen, 0, "%s", res.err[0] ? res.err
                                                : llm_strerror(rc));
    llm__http_res_free(&res);
    llm__http_free(h);
    return rc;
}

/* ---- handle ---------------------------------------------------------- */

static int bad_key(const char *k)
{
    for (; k && *k; k++)
        if ((unsigned char)*k < 0x21 || *k == 0x7f)
            return 1;
    return 0;
}

struct llm *llm_new(const struct llm_config *cfg, char *err, size_t errlen)
{
    struct llm *l;
    struct llm__url u;

    if (!cfg || !cfg->url || !cfg->url[0]) {
        ut_err(err, errlen, 0, "no LLM URL configured (CDPILOT_LLM_URL "
               "or the profile's llm.url)");
        return NULL;
    }
    if (!cfg->model || !cfg->model[0]) {
        ut_err(err, errlen, 0, "no LLM model configured "
               "(CDPILOT_LLM_MODEL or the profile's llm.model)");
        return NULL;
    }
    if (cfg->api_key && (strlen(cfg->api_key) > LLM_MAX_KEY ||
                         bad_key(cfg->api_key))) {
        ut_err(err, errlen, 0, "LLM API key is too long or contains "
               "spaces or control characters");
        return NULL;
    }
    if (llm__url_parse(cfg->url, &u, err, errlen))
        return NULL;
    l = calloc(1, sizeof(*l));
    if (!l) {
        ut_err(err, errlen, 0, "out of memory");
        return NULL;
    }
    l->cfg = *cfg;
    l->u = u;
    l->url = ut_strdup(cfg->url);
    l->model = ut_strdup(cfg->model);
    l->key = ut_strdup(cfg->api_key ? cfg->api_key : "");
    l->ca_file = cfg->ca_file ? ut_strdup(cfg->ca_file) : NULL;
    l->http = llm__http_new(l->ca_file, u.tls);
    if (!l->url || !l->model || !l->key || !l->http ||
        (cfg->ca_file && !l->ca_file)) {
        llm_free(l);
        ut_err(err, errlen, 0, "out of memory");
        return NULL;
    }
    l->cfg.url = l->url;
    l->cfg.model = l->model;
    l->cfg.api_key = l->key;
    l->cfg.ca_file = l->ca_file;
    if (l->cfg.timeout_ms <= 0)
        l->cfg.timeout_ms = DEF_TIMEOUT_MS;
    if (l->cfg.retries < 0)
        l->cfg.retries = 0;
    if (l->cfg.retries > MAX_RETRIES)
        l->cfg.retries = MAX_RETRIES;
    if (l->cfg.backoff_ms <= 0)
        l->cfg.backoff_ms = DEF_BACKOFF_MS;
    if (l->cfg.breaker_after <= 0)
        l->cfg.breaker_after = DEF_BREAKER;
    ut_buf_init(&l->req, LLM_MAX_PROMPT);
    l->rng = ut_rng_seed(l);
    return l;
}

void llm_free(struct llm *l)
{
    if (!l)
        return;
    llm__http_free(l->http);
    ut_buf_free(&l->req);
    if (l->key)
        explicit_bzero(l->key, strlen(l->key));
    free(l->url);
    free(l->model);
    free(l->key);
    free(l->ca_file);
    free(l);
}

const char *llm_errmsg(const struct llm *l)
{
    return l ? l->err : "no LLM handle";
}

const char *llm_model(const struct llm *l)
{
    return l ? l->model : "";
}

void llm_get_stats(const struct llm *l, struct llm_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (l)
        *out = l->st;
}

void llm_answer_clear(struct llm_answer *a)
{
    if (!a)
        return;
    free(a->reason);
    free(a->model);
    memset(a, 0, sizeof(*a));
    a->index = -1;
}

/* ---- one call -------------------------------------------------------- */

static llm_code fail(struct llm *l, llm_code rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static llm_code fail(struct llm *l, llm_code rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(l->err, sizeof(l->err), fmt, ap);
    va_end(ap);
    llm__redact(l->err, sizeof(l->err), l->key);
    return rc;
}

/* What the attempt's outcome means: the code, whether to retry, and the
 * message. RETRYABLE covers 429/500/502/503/504, timeouts and
 * connection errors. *PERMANENT marks refusals (401/403/404) that open
 * the breaker at once: they will not heal within a run. */
static llm_code classify_http(struct llm *l, const struct llm__http_res *r,
                              int *retryable, int *permanent)
{
    char pm[160];
    int s = r->status;

    *retryable = *permanent = 0;
    if (r->code != LLM_OK) {
        *retryable = r->code == LLM_E_TIMEOUT || r->code == LLM_E_NET;
        if (r->code == LLM_E_TIMEOUT)
            return fail(l, r->code, "LLM request to %s timed out after "
                        "%d ms", l->u.hosthdr, l->cfg.timeout_ms);
        return fail(l, r->code, "LLM request to %s: %s", l->u.hosthdr,
                    r->err);
    }
    if (s >= 200 && s < 300)
        return LLM_OK;
    llm__reply_error(r->body.p, r->body.len, pm, sizeof(pm));
    switch (s) {
    case 401:
        *permanent = 1;
        return fail(l, LLM_E_AUTH, "401 from provider: check "
                    "CDPILOT_LLM_API_KEY");
    case 403:
        *permanent = 1;
        return fail(l, LLM_E_AUTH, "403 from provider: the API key may "
                    "not use model \"%s\"", l->model);
    case 404:
        *permanent = 1;
        return fail(l, LLM_E_AUTH, "404 from provider: model \"%s\" or "
                    "endpoint not found%s%s", l->model, pm[0] ? ": " : "",
                    pm);
    case 400:
        return fail(l, LLM_E_AUTH, "400 from provider: request rejected%s%s",
                    pm[0] ? ": " : "", pm);
    case 429: case 500: case 502: case 503: case 504:
        *retryable = 1;
        break;
    default:
        break;
    }
    return fail(l, LLM_E_HTTP, "HTTP %d from provider %s%s%s", s,
                l->u.hosthdr, pm[0] ? ": " : "", pm);
}

/* Reads a 2xx body into A. */
static llm_code take_reply(struct llm *l, const struct llm__http_res *r,
                           size_t shown, struct llm_answer *a)
{
    char *content = NULL, *model = NULL, why[LLM_ERRLEN];
    char reason[LLM_MAX_REASON + 1];
    long pt, ct;
    llm_code rc;

    if (llm__reply_parse(r->body.p, r->body.len, &content, &model, &pt, &ct,
                         why, sizeof(why)))
        return fail(l, LLM_E_HTTP, "LLM reply from %s: %s", l->u.hosthdr,
                    why);
    a->tokens_estimated = pt < 0 || ct < 0;
    a->prompt_tokens = pt >= 0 ? pt : (long)(l->req.len + 3) / 4;
    a->completion_tokens = ct >= 0 ? ct : (long)(strlen(content) + 3) / 4;
    a->model = model ? model : ut_strdup(l->model);
    if (a->model)
        llm__redact(a->model, strlen(a->model) + 1, l->key);
    rc = llm_parse_answer(content, shown, &a->index, &a->confidence,
                          reason, sizeof(reason));
    free(content);
    llm__redact(reason, sizeof(reason), l->key);
    if (rc == LLM_E_ANSWER) {
        a->index = -1;
        return fail(l, rc, "LLM answer rejected: %s", reason);
    }
    a->reason = ut_strdup(reason);
    if (!a->reason || !a->model)
        return fail(l, LLM_E_NOMEM, "out of memory");
    if (rc == LLM_E_NOPICK)
        return fail(l, rc, "LLM found no fitting candidate among %zu%s%s",
                    shown, reason[0] ? ": " : "", reason);
    l->err[0] = '\0';
    return LLM_OK;
}

/* Milliseconds to wait before retry number ATTEMPT+1: exponential with
 * "equal jitter" (half fixed, half random), raised to Retry-After on 429
 * and 503 (capped at LLM_RETRY_AFTER_CAP seconds). */
static int retry_wait(struct llm *l, int attempt,
                      const struct llm__http_res *r)
{
    long b = ut_backoff_ms(l->cfg.backoff_ms, attempt, MAX_BACKOFF_MS,
                           &l->rng);

    if ((r->status == 429 || r->status == 503) && r->retry_after_s >= 0) {
        long ra = r->retry_after_s < LLM_RETRY_AFTER_CAP
                  ? r->retry_after_s : LLM_RETRY_AFTER_CAP;

        if (ra * 1000 > b)
            b = ra * 1000;
    }
    return (int)b;
}

static llm_code attempts(struct llm *l, size_t shown, struct llm_answer *a,
                         int *permanent)
{
    struct llm__http_res r;
    llm_code rc;
    int retryable, wait, waited = 0;

    for (;;) {
        a->attempts++;
        l->st.attempts++;
        llm__http_post(l->http, &l->u, l->key, l->req.p, l->req.len,
                       l->cfg.timeout_ms, &r);
        rc = classify_http(l, &r, &retryable, permanent);
        if (rc == LLM_OK)
            rc = take_reply(l, &r, shown, a);
        wait = retryable ? retry_wait(l, a->attempts - 1, &r) : 0;
        llm__http_res_free(&r);
        if (!retryable || a->attempts > l->cfg.retries)
            return rc;
        if (waited + wait > LLM_WAIT_TOTAL_MS)
            return rc;       /* a sane total: never wait more than 60 s */
        ut_sleep_ms(wait);
        waited += wait;
    }
}

static llm_code refuse(struct llm *l, llm_code rc, const char *msg,
                       long used, long cap)
{
    l->st.refused++;
    return fail(l, rc, "%s (%ld of %ld used); no LLM call made", msg, used,
                cap);
}

llm_code llm_choose(struct llm *l, const struct llm_query *q,
                    struct llm_answer *a)
{
    long used;
    size_t shown = 0;
    int64_t t0;
    int permanent = 0;
    llm_code rc;

    if (!a)
        return LLM_E_CONFIG;
    memset(a, 0, sizeof(*a));
    a->index = -1;
    if (!l)
        return LLM_E_CONFIG;
    if (!q || !q->cands || q->n == 0)
        return fail(l, LLM_E_CONFIG, "no candidates to choose from");
    if (l->st.breaker_open) {
        l->st.refused++;
        return fail(l, LLM_E_BREAKER, "LLM circuit breaker open, no more "
                    "LLM calls this run (opened by: %.160s)",
                    l->breaker_why);
    }
    used = l->st.prompt_tokens + l->st.completion_tokens;
    if (l->cfg.max_calls >= 0 && l->st.calls >= l->cfg.max_calls)
        return refuse(l, LLM_E_BUDGET, "LLM call budget spent",
                      l->st.calls, l->cfg.max_calls);
    if (l->cfg.max_tokens >= 0 && used >= l->cfg.max_tokens)
        return refuse(l, LLM_E_BUDGET, "LLM token budget spent", used,
                      l->cfg.max_tokens);
    if (l->cfg.max_cost > 0 && l->st.cost >= l->cfg.max_cost) {
        l->st.refused++;
        return fail(l, LLM_E_BUDGET, "LLM cost budget spent (%.4f of %.4f "
                    "used); no LLM call made", l->st.cost, l->cfg.max_cost);
    }
    if (l->cfg.gate) {
        char why[256] = "";
        if (l->cfg.gate(l->cfg.budget_ud, why, sizeof why)) {
            l->st.refused++;
            return fail(l, LLM_E_BUDGET, "%s; no LLM call made",
                        why[0] ? why : "LLM budget spent");
        }
    }
    if (llm__prompt_build(&l->cfg, q, &l->req, &shown))
        return fail(l, LLM_E_NOMEM, "cannot build the prompt (out of "
                    "memory)");
    a->shown = shown;
    l->st.calls++;
    t0 = ut_now_ms();
    rc = attempts(l, shown, a, &permanent);
    a->latency_ms = ut_now_ms() - t0;
    l->st.latency_ms += a->latency_ms;
    l->st.prompt_tokens += a->prompt_tokens;
    l->st.completion_tokens += a->completion_tokens;
    l->st.tokens_estimated += a->tokens_estimated;
    l->st.cost = (double)l->st.prompt_tokens / 1000.0 * l->cfg.price_prompt +
                 (double)l->st.completion_tokens / 1000.0 *
                 l->cfg.price_completion;
    if (l->cfg.spent)
        l->cfg.spent(l->cfg.budget_ud, a->prompt_tokens + a->completion_tokens,
                     (double)a->prompt_tokens / 1000.0 * l->cfg.price_prompt +
                     (double)a->completion_tokens / 1000.0 *
                     l->cfg.price_completion);
    if (rc == LLM_OK || rc == LLM_E_NOPICK) {
        l->consecutive = 0;
    } else {
        l->st.failures++;
        l->consecutive++;
        if (permanent || l->consecutive >= l->cfg.breaker_after) {
            l->st.breaker_open = 1;
            ut_strlcpy(l->breaker_why, l->err, sizeof(l->breaker_why));
        }
    }
    if (rc != LLM_OK)
        a->index = -1;
    return rc;
}
