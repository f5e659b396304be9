/* ws.c -- the WebSocket transport of a cdp_conn, the only file of cdp/
 * that uses libwebsockets. It moves bytes and nothing else: incoming
 * fragments are appended to a capped buffer and handed whole to the router
 * (conn.c); outgoing frames wait in a FIFO and are written one per
 * CLIENT_WRITEABLE with LWS_PRE headroom. One lws context per connection,
 * serviced only from the caller's thread; lws_service() sleeps in poll()
 * until socket activity or the deadline timer (a sul), so an idle
 * connection costs no CPU. */
#include "cdp_int.h"

#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>

/* Bytes lws reads per recv() and hands to one RECEIVE callback: large so
 * that a 20 MB screenshot is a few hundred callbacks, not thousands. */
#define WS_RX_CHUNK  (256u * 1024)
/* After a message this big the rx buffer is freed rather than kept. */
#define WS_RX_KEEP   (1u * 1024 * 1024)

struct cdp__out {
    struct cdp__out *next;
    size_t len;                    /* payload bytes after LWS_PRE */
    unsigned char buf[];           /* LWS_PRE + payload */
};

/* The deadline timer: a no-op callback whose only job is to bound the
 * poll() inside lws_service(). Lives inside the context's user struct. */
struct ws_timer {
    lws_sorted_usec_list_t sul;
};

static void quiet_emit(int level, const char *line)
{
    (void)level;
    (void)line;
}

void cdp__quiet_lws(void)
{
    if (getenv("CDPILOT_LWS_LOG"))
        lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
    else
        lws_set_log_level(LLL_ERR, quiet_emit);
}

static void out_free_all(struct cdp_conn *c)
{
    struct cdp__out *o = c->out_head, *n;

    for (; o; o = n) {
        n = o->next;
        free(o);
    }
    c->out_head = c->out_tail = NULL;
}

/* Socket gone (error, peer close or our close): tell the router once. */
static void ws_gone(struct cdp_conn *c)
{
    c->wsi = NULL;
    if (c->closed)
        return;
    c->closed = 1;
    out_free_all(c);
    ut_buf_reset(&c->rx);
    cdp__on_closed(c);
}

/* RECEIVE: append IN to the message; at the end of the last fragment
 * hand it to the router. A message over the cap is dropped whole and
 * reported by its first bytes so the waiting call can fail TOOBIG. */
static void ws_rx(struct cdp_conn *c, struct lws *wsi, const void *in,
                  size_t len)
{
    int last = lws_is_final_fragment(wsi) &&
               !lws_remaining_packet_payload(wsi);

    if (!c->rx_toobig && ut_buf_add(&c->rx, in, len) != 0) {
        c->rx_toobig = 1;
        cdp__on_toobig(c, c->rx.len ? c->rx.p : (const char *)in,
                       c->rx.len ? c->rx.len : len);
        ut_buf_free(&c->rx);
        ut_buf_init(&c->rx, CDP_MAX_MESSAGE);
    }
    if (!last)
        return;
    if (!c->rx_toobig && c->rx.len)
        cdp__on_message(c, c->rx.p, c->rx.len);
    c->rx_toobig = 0;
    if (c->rx.cap > WS_RX_KEEP)
        ut_buf_free(&c->rx);
    else
        ut_buf_reset(&c->rx);
}

/* WRITEABLE: one queued frame per callback, then ask again if more. */
static int ws_tx(struct cdp_conn *c, struct lws *wsi)
{
    struct cdp__out *o = c->out_head;
    int n;

    if (c->want_close) {
        lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
        return -1;
    }
    if (!o)
        return 0;
    c->out_head = o->next;
    if (!c->out_head)
        c->out_tail = NULL;
    /* lws keeps any part the kernel did not take and sends it before the
     * next WRITEABLE, so a short count here is a real error. */
    n = lws_write(wsi, o->buf + LWS_PRE, o->len, LWS_WRITE_TEXT);
    free(o);
    if (n < 0) {
        snprintf(c->err, sizeof c->err, "websocket write failed");
        return -1;
    }
    if (c->out_head)
        lws_callback_on_writable(wsi);
    return 0;
}

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason,
                       void *user, void *in, size_t len)
{
    struct cdp_conn *c = lws_context_user(lws_get_context(wsi));

    (void)user;
    if (!c)
        return 0;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        if (!c->established) {
            /* the HTTP status of a refused upgrade (a grid's 429 or 503
             * "queue full" is worth a retry: grid_run.c) */
            unsigned st = wsi ? lws_http_client_http_response(wsi) : 0;
            c->connect_failed = 1;
            snprintf(c->err, sizeof c->err, "websocket handshake failed: "
                     "%.*s%s%.0u", in ? (int)len : 15,
                     in ? (const char *)in : "no reason given",
                     st ? ", HTTP " : "", st);
        }
        ws_gone(c);
        break;
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        c->established = 1;
        if (c->out_head)
            lws_callback_on_writable(wsi);
        break;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        ws_rx(c, wsi, in, len);
        break;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        return ws_tx(c, wsi);
    case LWS_CALLBACK_CLIENT_CLOSED:
        ws_gone(c);
        break;
    case LWS_CALLBACK_WSI_DESTROY:
        if (wsi == c->wsi)
            ws_gone(c);
        break;
    default:
        break;
    }
    return 0;
}

static const struct lws_protocols ws_protocols[] = {
    { "cdp", ws_callback, 0, WS_RX_CHUNK, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void timer_cb(lws_sorted_usec_list_t *sul)
{
    (void)sul;   /* waking lws_service() up was the whole point */
}

cdp_code cdp__ws_open(struct cdp_conn *c, const char *host, int port,
                      const char *path, int64_t deadline_us)
{
    struct lws_context_creation_info info;
    struct lws_client_connect_info ci;
    char hosthdr[300];

    cdp__quiet_lws();
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = ws_protocols;
    info.gid = -1;
    info.uid = -1;
    info.user = c;
    info.fd_limit_per_thread = 16;     /* one socket + lws's own pipe */
    info.pt_serv_buf_size = WS_RX_CHUNK;
    info.connect_timeout_secs =
        (unsigned)((deadline_us - ut_now_us()) / 1000000 + 1);
    /* and the handshake: a grid (browserless) holds a queued connection's
     * upgrade until a browser is free, past lws's own 20 s */
    info.timeout_secs = info.connect_timeout_secs;
    c->ws_timer = calloc(1, sizeof(struct ws_timer));
    if (!c->ws_timer)
        return CDP_E_NOMEM;
    c->ctx = lws_create_context(&info);
    if (!c->ctx) {
        snprintf(c->err, sizeof c->err, "cannot create lws context");
        return CDP_E_CONNECT;
    }
    snprintf(hosthdr, sizeof hosthdr, "%s:%d", host, port);
    memset(&ci, 0, sizeof ci);
    ci.context = c->ctx;
    ci.address = host;
    ci.port = port;
    ci.path = path;
    ci.host = hosthdr;   /* Chrome accepts only an IP or localhost here */
    ci.origin = NULL;    /* an Origin would need --remote-allow-origins */
    ci.protocol = NULL;
    ci.ietf_version_or_minus_one = -1;
    ci.pwsi = &c->wsi;
    if (!lws_client_connect_via_info(&ci) && !c->connect_failed) {
        snprintf(c->err, sizeof c->err, "cannot connect to %s", hosthdr);
        return CDP_E_CONNECT;
    }
    while (!c->established && !c->closed && ut_now_us() < deadline_us)
        cdp__ws_service(c, deadline_us);
    if (c->established && !c->closed)
        return CDP_OK;
    if (!c->connect_failed && !c->closed)
        snprintf(c->err, sizeof c->err,
                 "websocket handshake with %s timed out", hosthdr);
    else if (!c->err[0])
        snprintf(c->err, sizeof c->err, "connection to %s closed", hosthdr);
    return CDP_E_CONNECT;
}

cdp_code cdp__ws_send(struct cdp_conn *c, const char *text, size_t len)
{
    struct cdp__out *o;

    if (c->closed || !c->wsi)
        return CDP_E_CLOSED;
    if (len > CDP_MAX_MESSAGE)
        return CDP_E_TOOBIG;
    o = malloc(sizeof *o + LWS_PRE + len);
    if (!o)
        return CDP_E_NOMEM;
    o->next = NULL;
    o->len = len;
    memcpy(o->buf + LWS_PRE, text, len);
    if (c->out_tail)
        c->out_tail->next = o;
    else
        c->out_head = o;
    c->out_tail = o;
    if (c->established)
        lws_callback_on_writable(c->wsi);
    return CDP_OK;
}

void cdp__ws_service(struct cdp_conn *c, int64_t deadline_us)
{
    struct ws_timer *t = c->ws_timer;
    int64_t wait = deadline_us - ut_now_us();

    if (!c->ctx)
        return;
    if (wait <= 0) {
        lws_service(c->ctx, -1);   /* negative: poll() without waiting */
        return;
    }
    /* lws turns the timer into a poll() timeout in whole ms, rounding
     * down; add most of a ms so that we do not wake early and spin. */
    lws_sul_schedule(c->ctx, 0, &t->sul, timer_cb, (lws_usec_t)wait + 999);
    lws_service(c->ctx, 0);
}

void cdp__ws_destroy(struct cdp_conn *c)
{
    struct ws_timer *t = c->ws_timer;

    if (c->ctx) {
        if (t)
            lws_sul_cancel(&t->sul);
        lws_context_destroy(c->ctx);   /* may call back: CLIENT_CLOSED */
        c->ctx = NULL;
    }
    c->wsi = NULL;
    out_free_all(c);
    ut_buf_free(&c->rx);
    free(c->ws_timer);
    c->ws_timer = NULL;
}
