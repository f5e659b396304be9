/* cdp_int.h -- internals shared by the files of cdp/ (never included
 * outside it). conn.c owns the router, calls, sessions and subscribers;
 * ws.c is the only file that touches libwebsockets; launch.c and find.c
 * deal with processes and paths. */
#ifndef CDPILOT_CDP_INT_H
#define CDPILOT_CDP_INT_H

#include "cdp.h"
#include "../util/util.h"

#include <stdint.h>

struct lws_context;
struct lws;
struct cdp__out;        /* one queued outgoing frame (ws.c) */

/* A cdp_call waiting for its reply. Lives on the caller's stack and is
 * linked into conn->pending while it waits; the router fills it in. */
struct cdp__pending {
    struct cdp__pending *next;
    long id;
    struct cdp_session *s;   /* the session the call went to */
    int done;
    cdp_code rc;             /* CDP_OK, CDP_E_PROTOCOL, _CLOSED, _TOOBIG,
                                _CRASHED */
    cJSON *msg;              /* the whole reply (owned until handed on) */
};

struct cdp_session {
    struct cdp_session *next;
    struct cdp_conn *c;
    char id[64];             /* sessionId; "" for the browser session */
    char target[64];         /* targetId; "" when unknown */
    int detached;            /* target gone or detached: calls fail */
};

struct cdp__sub {
    int id;                  /* > 0; 0 = free slot */
    cdp_event_fn fn;
    void *ud;
};

#define CDP__MAX_SUBS 64     /* subscribers per connection */

struct cdp_conn {
    /* --- transport (ws.c) --- */
    struct lws_context *ctx;
    struct lws *wsi;         /* NULL once closed */
    int established;         /* handshake done */
    int closed;              /* socket gone: everything fails CLOSED */
    int connect_failed;      /* handshake failed (reason in err) */
    int rx_toobig;           /* current message is over the cap */
    ut_buf rx;               /* the message being assembled, capped */
    struct cdp__out *out_head, *out_tail;  /* queue, written in order */
    int want_close;          /* send a close frame at next WRITEABLE */
    void *ws_timer;          /* ws.c's deadline timer (a sul) */
    unsigned long msgs_in;   /* messages routed so far */
    ut_buf tx;               /* scratch for building requests */

    /* --- protocol (conn.c) --- */
    long next_id;
    struct cdp__pending *pending;
    struct cdp_session browser;          /* no sessionId */
    struct cdp_session *sessions;        /* attached targets, owned */
    struct cdp__sub subs[CDP__MAX_SUBS];
    int nsubs;               /* slots used, in subscription order */
    int next_sub_id;
    int dispatching;         /* > 0 while inside an event callback */
    int event_seen;          /* set on every dispatch, for until_event */
    cdp_trace_fn trace;
    void *trace_ud;
    struct cdp_version version;
    char err[CDP_ERR_LEN];
};

/* ws.c ------------------------------------------------------------------ */
/* Opens the WebSocket to HOST:PORT PATH and services until the handshake
 * completes or DEADLINE_US (ut_now_us clock). On error the reason is in
 * c->err and c->ctx may be left for cdp__ws_destroy. */
cdp_code cdp__ws_open(struct cdp_conn *c, const char *host, int port,
                      const char *path, int64_t deadline_us);
/* Queues one text frame (copies TEXT). CDP_E_CLOSED when the socket is
 * gone, CDP_E_NOMEM. */
cdp_code cdp__ws_send(struct cdp_conn *c, const char *text, size_t len);
/* One service round: waits for socket activity but never past
 * DEADLINE_US; DEADLINE_US <= now only handles what is ready. */
void cdp__ws_service(struct cdp_conn *c, int64_t deadline_us);
/* Closes the socket (a close frame when possible) and frees the lws
 * context and the queue. Safe to call twice. */
void cdp__ws_destroy(struct cdp_conn *c);
/* lws logs off (they go nowhere) unless $CDPILOT_LWS_LOG is set. */
void cdp__quiet_lws(void);

/* conn.c: the router, called by ws.c with one complete message. */
void cdp__on_message(struct cdp_conn *c, const char *text, size_t len);
/* Called by ws.c when a message is over CDP_MAX_MESSAGE: HEAD is its
 * start, used to find the call it answers. */
void cdp__on_toobig(struct cdp_conn *c, const char *head, size_t len);
/* Called by ws.c once when the socket closes: fails every pending call. */
void cdp__on_closed(struct cdp_conn *c);


#endif
