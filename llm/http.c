/* http.c -- one HTTP(S) POST with a hard deadline, over libwebsockets'
 * client. The only file of llm/ that touches lws. One lws context per
 * handle, created on first use and kept (the TLS setup is the costly
 * part); one connection per request, closed when the request ends, so
 * nothing of a finished request can call back into the next one.
 * The deadline is an lws sul timer: when it fires the service loop stops
 * and the connection is killed, whatever state it is in (connecting,
 * sending, waiting for a server that accepted and hangs).
 * Never writes the API key anywhere but the Authorization header. */
#include "llm_int.h"

#include <libwebsockets.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROTO_NAME  "cdpilot-llm"
#define TX_CHUNK    4096            /* body bytes per lws_write */
#define RX_CHUNK    4096            /* bytes per lws_http_client_read */
#define SYSTEM_CA   "/etc/ssl/certs/ca-certificates.crt"

struct llm__http {
    struct lws_context *ctx;        /* NULL until the first post */
    unsigned ctx_secs;              /* lws's stage timeouts in ctx */
    char *ca_file;                  /* owned; NULL = system bundle */
    int tls;                        /* set up TLS (costs ~70 ms once) */
    lws_sorted_usec_list_t sul;     /* the current request's deadline */
    /* The request in flight (all borrowed for one llm__http_post). */
    struct lws *wsi;                /* set early by lws through pwsi */
    struct llm__http_res *res;
    const char *key;
    const char *body;
    size_t len, off;
    int done;                       /* the service loop may stop */
    int completed;                  /* lws said the reply was complete */
};

struct llm__http *llm__http_new(const char *ca_file, int tls)
{
    struct llm__http *h = calloc(1, sizeof(*h));

    if (!h)
        return NULL;
    h->tls = tls;
    if (ca_file && ca_file[0] && !(h->ca_file = ut_strdup(ca_file))) {
        free(h);
        return NULL;
    }
    return h;
}

void llm__http_free(struct llm__http *h)
{
    if (!h)
        return;
    if (h->ctx)
        lws_context_destroy(h->ctx);   /* closes any connection left */
    free(h->ca_file);
    free(h);
}

void llm__http_res_free(struct llm__http_res *res)
{
    ut_buf_free(&res->body);
}

/* Ends the request with CODE unless it already ended. */
static void finish(struct llm__http *h, llm_code code, const char *fmt,
                   const char *detail)
{
    if (h->done)
        return;
    h->done = 1;
    /* We may be inside a sul callback that lws runs just before it
     * polls: wake that poll so lws_service() returns now. */
    if (h->ctx)
        lws_cancel_service(h->ctx);
    if (!h->res)
        return;
    h->res->code = code;
    if (fmt)
        snprintf(h->res->err, sizeof(h->res->err), fmt,
                 detail ? detail : "");
}

static int add_hdr(struct lws *wsi, const char *name, const char *v,
                   unsigned char **p, unsigned char *end)
{
    return lws_add_http_header_by_name(wsi, (const unsigned char *)name,
                                       (const unsigned char *)v,
                                       (int)strlen(v), p, end);
}

static int on_headers(struct llm__http *h, struct lws *wsi, void *in,
                      size_t len)
{
    unsigned char **p = (unsigned char **)in, *end = (*p) + len;
    char cl[32], auth[LLM_MAX_KEY + 16];
    int rc = 0;

    snprintf(cl, sizeof(cl), "%zu", h->len);
    if (add_hdr(wsi, "content-type:", "application/json", p, end) ||
        add_hdr(wsi, "accept:", "application/json", p, end) ||
        add_hdr(wsi, "content-length:", cl, p, end))
        return -1;
    if (h->key && h->key[0]) {
        snprintf(auth, sizeof(auth), "Bearer %s", h->key);
        rc = add_hdr(wsi, "authorization:", auth, p, end);
        explicit_bzero(auth, sizeof(auth));
        if (rc)
            return -1;
    }
    lws_client_http_body_pending(wsi, 1);
    lws_callback_on_writable(wsi);
    return 0;
}

static int on_writeable(struct llm__http *h, struct lws *wsi)
{
    unsigned char buf[LWS_PRE + TX_CHUNK];
    size_t n = h->len - h->off;
    int last;

    if (n > TX_CHUNK)
        n = TX_CHUNK;
    last = h->off + n == h->len;
    memcpy(buf + LWS_PRE, h->body + h->off, n);
    if (lws_write(wsi, buf + LWS_PRE, n,
                  last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP) != (int)n)
        return -1;
    h->off += n;
    if (last)
        lws_client_http_body_pending(wsi, 0);
    else
        lws_callback_on_writable(wsi);
    return 0;
}

static void on_established(struct llm__http *h, struct lws *wsi)
{
    char ra[32];
    long v;

    h->res->status = (int)lws_http_client_http_response(wsi);
    if (lws_hdr_copy(wsi, ra, sizeof(ra), WSI_TOKEN_HTTP_RETRY_AFTER) > 0 &&
        ut_parse_long(ra, 0, 86400, &v) == 0)
        h->res->retry_after_s = (int)v;    /* an HTTP-date is ignored */
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason,
                    void *user, void *in, size_t len)
{
    struct llm__http *h = lws_context_user(lws_get_context(wsi));
    char rx[LWS_PRE + RX_CHUNK], *px;
    int n;

    /* Only the connection of the request in flight is ours to serve. */
    if (!h || !h->res || (h->wsi && wsi != h->wsi))
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    switch (reason) {
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        finish(h, LLM_E_NET, in && strstr((const char *)in, "SSL")
               ? "TLS connection failed (is the server certificate "
                 "trusted? CDPILOT_LLM_CA_FILE): %.120s"
               : "connection failed: %.180s",
               in ? (const char *)in : "unknown error");
        h->wsi = NULL;
        return 0;
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
        return on_headers(h, wsi, in, len);
    case LWS_CALLBACK_CLIENT_HTTP_WRITEABLE:
        return on_writeable(h, wsi);
    case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
        on_established(h, wsi);
        return 0;
    case LWS_CALLBACK_RECEIVE_CLIENT_HTTP:
        px = rx + LWS_PRE;
        n = RX_CHUNK;
        if (lws_http_client_read(wsi, &px, &n) < 0)
            return -1;
        return 0;
    case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
        if (ut_buf_add(&h->res->body, in, len)) {
            finish(h, LLM_E_HTTP, "provider reply over the %s cap",
                   "1 MiB");
            return -1;
        }
        return 0;
    case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
        h->completed = 1;
        finish(h, LLM_OK, NULL, NULL);
        return -1;                  /* close: one connection per request */
    case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
        h->wsi = NULL;
        if (h->res->status > 0 && h->res->body.len > 0)
            finish(h, LLM_OK, NULL, NULL);     /* close-delimited body */
        else
            finish(h, LLM_E_NET, "connection closed before a reply%s", "");
        return 0;
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
    { PROTO_NAME, callback, 0, RX_CHUNK, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 }
};

/* lws guards each stage of a client connection (connecting, waiting for
 * the server's response...) with its own timeout, 5 s in Debian's build,
 * and closes the connection when one expires: a model thinking for 8 s
 * would be cut as "connection closed". Our deadline is the only timeout
 * wanted, so the context's stage timeouts are set past it (lws checks
 * them once a second; 2 s of slack). A longer TIMEOUT_MS than the
 * context was made for makes a new context. */
static int ensure_ctx(struct llm__http *h, int timeout_ms)
{
    struct lws_context_creation_info info;
    unsigned secs = (unsigned)(timeout_ms > 0 ? timeout_ms : 1) / 1000u + 2;

    if (h->ctx && h->ctx_secs >= secs)
        return 0;
    if (h->ctx)
        lws_context_destroy(h->ctx);
    h->ctx = NULL;
    /* Process-wide, like cdp/ and serve/: quiet unless CDPILOT_LWS_LOG. */
    lws_set_log_level(getenv("CDPILOT_LWS_LOG") ? LLL_ERR | LLL_WARN : 0,
                      NULL);
    memset(&info, 0, sizeof(info));
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.user = h;
    info.fd_limit_per_thread = 16;  /* not ulimit -n sized tables */
    info.timeout_secs = secs;
    info.connect_timeout_secs = secs;
    if (h->tls) {                   /* plain http skips the CA load */
        info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
        if (h->ca_file)
            info.client_ssl_ca_filepath = h->ca_file;
        else if (access(SYSTEM_CA, R_OK) == 0)
            info.client_ssl_ca_filepath = SYSTEM_CA;
    }
    h->ctx = lws_create_context(&info);
    h->ctx_secs = secs;
    return h->ctx ? 0 : -1;
}

static void on_deadline(lws_sorted_usec_list_t *sul)
{
    struct llm__http *h = lws_container_of(sul, struct llm__http, sul);

    finish(h, LLM_E_TIMEOUT, "no complete reply within the timeout%s", "");
}

void llm__http_post(struct llm__http *h, const struct llm__url *u,
                    const char *key, const char *body, size_t len,
                    int timeout_ms, struct llm__http_res *res)
{
    struct lws_client_connect_info ci;

    memset(res, 0, sizeof(*res));
    ut_buf_init(&res->body, LLM_MAX_REPLY);
    res->retry_after_s = -1;
    res->code = LLM_E_NET;
    if (ensure_ctx(h, timeout_ms)) {
        res->code = LLM_E_CONFIG;
        snprintf(res->err, sizeof(res->err), "cannot set up the HTTP "
                 "client (TLS init or CA file %s)",
                 h->ca_file ? "unreadable" : "missing");
        return;
    }
    h->res = res;
    h->key = key;
    h->body = body;
    h->len = len;
    h->off = 0;
    h->done = h->completed = 0;
    h->wsi = NULL;

    memset(&ci, 0, sizeof(ci));
    ci.context = h->ctx;
    ci.address = u->host;
    ci.port = u->port;
    ci.ssl_connection = LCCSCF_HTTP_NO_FOLLOW_REDIRECT |
                        (u->tls ? LCCSCF_USE_SSL : 0);
    ci.path = u->path;
    ci.host = u->hosthdr;
    ci.method = "POST";
    ci.protocol = PROTO_NAME;
    ci.local_protocol_name = PROTO_NAME;
    ci.alpn = "http/1.1";
    ci.pwsi = &h->wsi;

    lws_sul_schedule(h->ctx, 0, &h->sul, on_deadline,
                     (lws_usec_t)(timeout_ms > 0 ? timeout_ms : 1) * 1000);
    if (!lws_client_connect_via_info(&ci))
        finish(h, LLM_E_NET, "cannot connect to %.180s", u->hosthdr);
    while (!h->done)
        if (lws_service(h->ctx, 0) < 0)
            finish(h, LLM_E_NET, "event loop failed%s", "");
    lws_sul_cancel(&h->sul);
    if (h->wsi)                     /* timed out: kill it now, not later */
        lws_set_timeout(h->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
    h->wsi = NULL;
    h->res = NULL;
    h->key = NULL;
    h->body = NULL;
}
