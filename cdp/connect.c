/* connect.c -- cdp_connect and cdp_conn_close: parse the endpoint URL,
 * read /json/version over a plain socket for http:// endpoints, open the
 * WebSocket (ws.c) and read Browser.getVersion. Every step is bounded by
 * the caller's timeout; failures are CDP_E_CONNECT with a one-line reason
 * in ERR. */
#include "cdp_int.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define HTTP_MAX_REPLY (64u * 1024)   /* /json/version is ~500 bytes */

struct endpoint {
    int ws;              /* 1: ws://, 0: http:// */
    char host[256];
    int port;
    char path[1024];
};

/* Splits ws://HOST:PORT/PATH or http://HOST:PORT[/…], either with a
 * ?QUERY (ws://HOST:PORT?token=T is ws://HOST:PORT/?token=T). [v6] hosts
 * keep no brackets. 0 or -1. */
static int parse_url(const char *url, struct endpoint *e)
{
    const char *p, *hs, *he, *ps;
    long port;
    char num[8];

    memset(e, 0, sizeof *e);
    if (ut_starts_with(url, "ws://")) {
        e->ws = 1;
        p = url + 5;
    } else if (ut_starts_with(url, "http://")) {
        p = url + 7;
    } else {
        return -1;
    }
    if (*p == '[') {
        hs = p + 1;
        he = strchr(hs, ']');
        if (!he)
            return -1;
        ps = he + 1;
    } else {
        hs = p;
        he = p + strcspn(p, ":/?");
        ps = he;
    }
    if (he == hs || (size_t)(he - hs) >= sizeof e->host)
        return -1;
    memcpy(e->host, hs, (size_t)(he - hs));
    e->port = 80;
    if (*ps == ':') {
        size_t n = strcspn(ps + 1, "/?");
        if (n == 0 || n >= sizeof num)
            return -1;
        memcpy(num, ps + 1, n);
        num[n] = '\0';
        if (ut_parse_long(num, 1, 65535, &port))
            return -1;
        e->port = (int)port;
        ps += 1 + n;
    }
    /* ws://HOST:PORT?token=T (browserless) asks for "/?token=T" */
    if (*ps == '?' && snprintf(e->path, sizeof e->path, "/%s", ps) >=
                          (int)sizeof e->path)
        return -1;
    if (*ps != '?' &&
        ut_strlcpy(e->path, *ps ? ps : "/", sizeof e->path) >= sizeof e->path)
        return -1;
    return 0;
}

static int ms_left(int64_t deadline_us)
{
    int64_t left = (deadline_us - ut_now_us() + 999) / 1000;

    return left <= 0 ? 0 : left > 1000000 ? 1000000 : (int)left;
}

/* Non-blocking TCP connect to E bounded by DEADLINE_US; fd or -1. */
static int tcp_connect(const struct endpoint *e, int64_t deadline_us,
                       char *err, size_t errlen)
{
    struct addrinfo hints, *ai = NULL;
    struct pollfd pfd;
    char port[8];
    int fd = -1, soerr = 0, rc;
    socklen_t sl = sizeof soerr;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    snprintf(port, sizeof port, "%d", e->port);
    rc = getaddrinfo(e->host, port, &hints, &ai);
    if (rc != 0)
        return ut_err(err, errlen, -1, "%s: %s", e->host, gai_strerror(rc));
    fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        goto fail;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        if (errno != EINPROGRESS)
            goto fail;
        pfd.fd = fd;
        pfd.events = POLLOUT;
        rc = poll(&pfd, 1, ms_left(deadline_us));
        if (rc == 0) {
            errno = ETIMEDOUT;
            goto fail;
        }
        if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl))
            goto fail;
        if (soerr) {
            errno = soerr;
            goto fail;
        }
    }
    freeaddrinfo(ai);
    return fd;
fail:
    ut_err(err, errlen, -1, "%s:%d: %s", e->host, e->port, strerror(errno));
    if (fd >= 0)
        close(fd);
    freeaddrinfo(ai);
    return -1;
}

/* Reads an HTTP reply until EOF, a complete Content-Length body, the cap
 * or the deadline. 0 when a reply was read. */
static int http_read(int fd, ut_buf *b, int64_t deadline_us)
{
    struct pollfd pfd = { fd, POLLIN, 0 };
    char chunk[4096], *body, *cl;
    ssize_t n;

    for (;;) {
        body = b->len ? strstr(b->p, "\r\n\r\n") : NULL;
        cl = body ? strcasestr(b->p, "\r\ncontent-length:") : NULL;
        if (body && cl && cl < body &&
            b->len - (size_t)(body + 4 - b->p) >=
                (size_t)strtoul(cl + 17, NULL, 10))
            return 0;
        if (poll(&pfd, 1, ms_left(deadline_us)) <= 0)
            return -1;
        n = read(fd, chunk, sizeof chunk);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n <= 0)
            return b->len ? 0 : -1;
        if (ut_buf_add(b, chunk, (size_t)n))
            return -1;
    }
}

/* GET /json/version from E and copy webSocketDebuggerUrl into WS. */
static cdp_code http_ws_url(const struct endpoint *e, int64_t deadline_us,
                            char *ws, size_t wslen, char *err, size_t errlen)
{
    char req[512];
    const char *body;
    const cJSON *u;
    cJSON *j = NULL;
    ut_buf b;
    int fd, status = 0, n;
    cdp_code rc = CDP_E_CONNECT;

    fd = tcp_connect(e, deadline_us, err, errlen);
    if (fd < 0)
        return CDP_E_CONNECT;
    n = snprintf(req, sizeof req, "GET /json/version HTTP/1.1\r\n"
                 "Host: %s:%d\r\nConnection: close\r\n\r\n", e->host, e->port);
    ut_buf_init(&b, HTTP_MAX_REPLY);
    if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n ||
        http_read(fd, &b, deadline_us)) {
        ut_err(err, errlen, 0, "http://%s:%d/json/version: no reply",
               e->host, e->port);
        goto out;
    }
    body = strstr(b.p, "\r\n\r\n");
    if (sscanf(b.p, "HTTP/1.%*d %d", &status) != 1 || status != 200 ||
        !body) {
        ut_err(err, errlen, 0, "http://%s:%d is not a CDP endpoint "
               "(/json/version: %s)", e->host, e->port,
               status ? "HTTP error" : "not HTTP");
        goto out;
    }
    j = cJSON_Parse(body + 4);
    u = cJSON_GetObjectItemCaseSensitive(j, "webSocketDebuggerUrl");
    if (!cJSON_IsString(u) || ut_strlcpy(ws, u->valuestring, wslen) >= wslen) {
        ut_err(err, errlen, 0, "http://%s:%d is not a CDP endpoint "
               "(no webSocketDebuggerUrl)", e->host, e->port);
        goto out;
    }
    rc = CDP_OK;
out:
    cJSON_Delete(j);
    ut_buf_free(&b);
    close(fd);
    return rc;
}

static void copy_field(char *dst, size_t n, const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

    ut_strlcpy(dst, cJSON_IsString(v) ? v->valuestring : "", n);
}

static cdp_code read_version(struct cdp_conn *c, int64_t deadline_us)
{
    cJSON *r = NULL;
    int ms = ms_left(deadline_us);
    cdp_code rc;

    rc = cdp_call(&c->browser, "Browser.getVersion", NULL, ms ? ms : 1, &r);
    if (rc != CDP_OK)
        return rc;
    copy_field(c->version.product, sizeof c->version.product, r, "product");
    copy_field(c->version.protocol, sizeof c->version.protocol, r,
               "protocolVersion");
    copy_field(c->version.revision, sizeof c->version.revision, r,
               "revision");
    copy_field(c->version.user_agent, sizeof c->version.user_agent, r,
               "userAgent");
    copy_field(c->version.js_version, sizeof c->version.js_version, r,
               "jsVersion");
    cJSON_Delete(r);
    return CDP_OK;
}

cdp_code cdp_connect(const char *url, int timeout_ms, struct cdp_conn **out,
                     char *err, size_t errlen)
{
    struct endpoint e;
    struct cdp_conn *c;
    char ws[1024];
    int64_t deadline;
    cdp_code rc;

    *out = NULL;
    if (timeout_ms <= 0)
        timeout_ms = 10000;
    deadline = ut_now_us() + (int64_t)timeout_ms * 1000;
    if (!url || parse_url(url, &e))
        return ut_err(err, errlen, CDP_E_CONNECT, "bad endpoint URL '%.*s%s' "
                      "(want ws://HOST:PORT/PATH or http://HOST:PORT)",
                      url ? (int)strcspn(url, "?") : 0, url ? url : "",
                      url && strchr(url, '?') ? "?…" : "");
    if (!e.ws) {
        rc = http_ws_url(&e, deadline, ws, sizeof ws, err, errlen);
        if (rc != CDP_OK)
            return rc;
        if (parse_url(ws, &e) || !e.ws)
            return ut_err(err, errlen, CDP_E_CONNECT,
                          "bad webSocketDebuggerUrl '%s'", ws);
    }
    c = calloc(1, sizeof *c);
    if (!c)
        return ut_err(err, errlen, CDP_E_NOMEM, "out of memory");
    c->browser.c = c;
    ut_buf_init(&c->rx, CDP_MAX_MESSAGE);
    ut_buf_init(&c->tx, CDP_MAX_MESSAGE);
    rc = cdp__ws_open(c, e.host, e.port, e.path, deadline);
    if (rc == CDP_OK)
        rc = read_version(c, deadline);
    if (rc != CDP_OK) {
        /* not the query: it holds the endpoint's token */
        ut_err(err, errlen, 0, "ws://%s:%d%.*s%s: %s", e.host, e.port,
               (int)strcspn(e.path, "?"), e.path,
               strchr(e.path, '?') ? "?…" : "",
               c->err[0] ? c->err : cdp_strerror(rc));
        cdp_conn_close(c);
        return rc == CDP_E_NOMEM ? rc : CDP_E_CONNECT;
    }
    *out = c;
    return CDP_OK;
}

void cdp_conn_close(struct cdp_conn *c)
{
    struct cdp_session *s, *n;

    if (!c)
        return;
    cdp__ws_destroy(c);
    for (s = c->sessions; s; s = n) {
        n = s->next;
        free(s);
    }
    ut_buf_free(&c->tx);
    free(c);
}
