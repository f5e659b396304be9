/* serve.c -- a static file server on 127.0.0.1 over GNU libmicrohttpd
 * (one epoll thread of its own), with our own handler so that
 * confinement is ours to check: the URL path is percent-decoded here and
 * resolved with realpath(), and must stay under the real root (no "..",
 * no symlink out); a directory serves its index.html. GET and HEAD only.
 *
 * What a hostile or careless client gets (docs/RELIABILITY.md): a
 * connection idle for SRV_IDLE_S seconds, between requests or in the
 * middle of one, is closed, and up to SRV_MAX_CONNS connections are
 * served at once, so idle ones cannot starve a real request; a request
 * target over SRV_MAX_URI bytes gets 414 (one that does not even fit the
 * connection's SRV_HEAD_MAX bytes of request head gets libmicrohttpd's
 * own 414 or 431); a NUL (%00) or a malformed escape in the path gets
 * 400. libwebsockets' server (4.1.6) was dropped for this: it closes
 * such connections without a status and holds idle ones in a small pool
 * until its own timeout. */
#include "serve.h"
#include "../util/util.h"

#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define SRV_IDLE_S     5        /* seconds a connection may stay silent */
#define SRV_MAX_CONNS  4096     /* connections served at once */
#define SRV_FD_SPARE   64       /* descriptors kept for everything else */
#define SRV_MAX_URI    4096     /* bytes of a request target (path+query) */
#define SRV_HEAD_MAX   (32u * 1024)  /* bytes of a request head */

struct srv {
    struct MHD_Daemon *d;
    int port;
    char root[PATH_MAX];     /* realpath of ROOT */
    char url[96];
};

static const struct {
    const char *ext, *type;
} mime_types[] = {
    { "html", "text/html; charset=utf-8" },
    { "htm", "text/html; charset=utf-8" },
    { "js", "text/javascript; charset=utf-8" },
    { "mjs", "text/javascript; charset=utf-8" },
    { "css", "text/css; charset=utf-8" },
    { "json", "application/json" },
    { "txt", "text/plain; charset=utf-8" },
    { "png", "image/png" },
    { "jpg", "image/jpeg" },
    { "jpeg", "image/jpeg" },
    { "gif", "image/gif" },
    { "svg", "image/svg+xml" },
    { "ico", "image/x-icon" },
    { "webp", "image/webp" },
    { "woff2", "font/woff2" },
    { "wasm", "application/wasm" },
    { "pdf", "application/pdf" },
    { "xml", "application/xml" },
};

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    size_t i;

    if (!dot || (slash && dot < slash))
        return "application/octet-stream";
    for (i = 0; i < sizeof mime_types / sizeof mime_types[0]; i++)
        if (strcasecmp(dot + 1, mime_types[i].ext) == 0)
            return mime_types[i].type;
    return "application/octet-stream";
}

/* 1 when URI has a ".." path segment. */
static int has_dotdot(const char *uri)
{
    const char *p = uri;

    while ((p = strstr(p, "..")) != NULL) {
        if ((p == uri || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
            return 1;
        p += 2;
    }
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes the path IN into OUT (size N). 0, or -1 for a NUL
 * (%00), a malformed escape or a path that does not fit: a 400. */
static int decode_path(const char *in, char *out, size_t n)
{
    size_t o = 0;
    int hi, lo;

    for (; *in; in++) {
        int c = (unsigned char)*in;

        if (c == '%') {
            if ((hi = hexval(in[1])) < 0 || (lo = hexval(in[2])) < 0)
                return -1;
            c = hi << 4 | lo;
            in += 2;
        }
        if (c == 0 || o + 1 >= n)
            return -1;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return 0;
}

/* Maps the decoded URI to a regular file under ROOT in OUT. 0, or -1
 * (not found or outside the root: both are a 404 to the client). */
static int resolve(const struct srv *s, const char *uri, char *out,
                   size_t outlen)
{
    char want[PATH_MAX * 2], real[PATH_MAX];
    size_t rl = strlen(s->root);
    struct stat st;

    if (uri[0] != '/' || has_dotdot(uri) || strchr(uri, '\\'))
        return -1;
    snprintf(want, sizeof want, "%s%s", s->root, uri);
    if (!realpath(want, real))
        return -1;
    if (strncmp(real, s->root, rl) != 0 ||
        (real[rl] != '/' && real[rl] != '\0'))
        return -1;   /* a symlink that leads out */
    if (stat(real, &st) != 0)
        return -1;
    if (S_ISDIR(st.st_mode)) {
        snprintf(want, sizeof want, "%s/index.html", real);
        if (!realpath(want, real) || strncmp(real, s->root, rl) != 0 ||
            real[rl] != '/' || stat(real, &st) != 0)
            return -1;
    }
    if (!S_ISREG(st.st_mode))
        return -1;
    return ut_strlcpy(out, real, outlen) < outlen ? 0 : -1;
}

/* A short text reply with STATUS; the connection closes after it. */
static enum MHD_Result reply_status(struct MHD_Connection *c,
                                    unsigned status, const char *text)
{
    struct MHD_Response *r;
    enum MHD_Result rc;

    r = MHD_create_response_from_buffer(strlen(text), (void *)text,
                                        MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "text/plain; charset=utf-8");
    if (status >= 400 && status != MHD_HTTP_NOT_FOUND)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result reply_file(struct MHD_Connection *c,
                                  const char *path)
{
    struct MHD_Response *r;
    enum MHD_Result rc;
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return reply_status(c, MHD_HTTP_NOT_FOUND, "404 Not Found\n");
    }
    /* The response owns FD from here (closed when it is destroyed). */
    r = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
    if (!r) {
        close(fd);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, mime_of(path));
    rc = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return rc;
}

/* Every request's raw target, before anything is decoded: its verdict
 * becomes the request's context (a static address, nothing to free). */
static char TOO_LONG;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    return strlen(uri) > SRV_MAX_URI ? &TOO_LONG : NULL;
}

/* Paths reach the handler undecoded: decode_path() does it, so that a
 * %00 is seen (the default decoder would cut the path there). */
static size_t keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_len, void **ctx)
{
    const struct srv *s = cls;
    char path[PATH_MAX], uri[PATH_MAX];

    (void)version;
    (void)upload;
    (void)upload_len;
    if (*ctx == &TOO_LONG)
        return reply_status(c, MHD_HTTP_URI_TOO_LONG,
                            "414 URI Too Long\n");
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
        strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return reply_status(c, MHD_HTTP_METHOD_NOT_ALLOWED,
                            "405 Method Not Allowed\n");
    if (decode_path(url, uri, sizeof uri) != 0)
        return reply_status(c, MHD_HTTP_BAD_REQUEST, "400 Bad Request\n");
    if (resolve(s, uri, path, sizeof path) != 0)
        return reply_status(c, MHD_HTTP_NOT_FOUND, "404 Not Found\n");
    return reply_file(c, path);
}

/* HOST (a numeric IPv4 or IPv6 address) and PORT into A: its length,
 * or 0 when HOST is not an address. */
static socklen_t host_addr(const char *host, int port,
                           struct sockaddr_storage *a)
{
    struct sockaddr_in *v4 = (struct sockaddr_in *)a;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)a;

    memset(a, 0, sizeof *a);
    if (host && inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        return sizeof *v4;
    }
    if (host && inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        return sizeof *v6;
    }
    return 0;
}

int srv_host_check(const char *host)
{
    struct sockaddr_storage a;

    return host_addr(host, 0, &a) ? 0 : -1;
}

/* 0 when A can be bound now (a clear errno for the message;
 * libmicrohttpd only says that it could not start). */
static int port_free(const struct sockaddr_storage *a, socklen_t len)
{
    int fd = socket(a->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    int rc, e;

    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    rc = bind(fd, (const struct sockaddr *)a, len);
    e = errno;
    close(fd);
    errno = e;
    return rc;
}

/* How many connections the descriptor limit allows, after raising the
 * soft limit towards the hard one (the Linux default soft limit, 1024,
 * would leave a few hundred idle sockets able to fill it). */
static unsigned conn_limit(void)
{
    struct rlimit rl;
    rlim_t want = SRV_MAX_CONNS + SRV_FD_SPARE;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 256;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
        struct rlimit up = rl;

        up.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want
                      ? want : rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &up) == 0)
            rl = up;
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
        return SRV_MAX_CONNS;
    return rl.rlim_cur > 2 * SRV_FD_SPARE
           ? (unsigned)(rl.rlim_cur - SRV_FD_SPARE) : 16;
}

int srv_start(const char *root, int port, struct srv **out, char *err,
              size_t errlen)
{
    return srv_start_on(root, NULL, port, out, err, errlen);
}

int srv_start_on(const char *root, const char *host, int port,
                 struct srv **out, char *err, size_t errlen)
{
    const union MHD_DaemonInfo *di;
    struct sockaddr_storage a;
    socklen_t alen;
    struct srv *s;
    int v6;

    *out = NULL;
    if (!host)
        host = "127.0.0.1";
    if (port < 0 || port > 65535)
        return ut_err(err, errlen, -1, "bad port %d", port);
    if (!(alen = host_addr(host, port, &a)))
        return ut_err(err, errlen, -1, "\"%s\" is not an IPv4 or IPv6 "
                      "address", host);
    v6 = a.ss_family == AF_INET6;
    s = calloc(1, sizeof *s);
    if (!s)
        return ut_err(err, errlen, -1, "out of memory");
    if (!root || !realpath(root, s->root) || !ut_is_dir(s->root)) {
        ut_err(err, errlen, -1, "'%s' is not a directory", root ? root : "");
        free(s);
        return -1;
    }
    if ((port || strcmp(host, "127.0.0.1")) && port_free(&a, alen) != 0) {
        ut_err(err, errlen, -1, "cannot listen on %s%s%s:%d: %s",
               v6 ? "[" : "", host, v6 ? "]" : "", port, strerror(errno));
        free(s);
        return -1;
    }
    s->d = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | (v6 ? MHD_USE_IPv6 : 0), 0, NULL,
        NULL, on_request, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&a,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SRV_IDLE_S,
        MHD_OPTION_CONNECTION_LIMIT, conn_limit(),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SRV_HEAD_MAX,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
        MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL,
        MHD_OPTION_END);
    di = s->d ? MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    s->port = di ? di->port : -1;
    if (!s->d || s->port <= 0) {
        ut_err(err, errlen, -1, "cannot listen on %s%s%s:%d%s", v6 ? "[" :
               "", host, v6 ? "]" : "", port, port ? " (port in use?)" : "");
        srv_stop(s);
        return -1;
    }
    snprintf(s->url, sizeof s->url, "http://%s%s%s:%d", v6 ? "[" : "", host,
             v6 ? "]" : "", s->port);
    *out = s;
    return 0;
}

int srv_port(const struct srv *s)
{
    return s ? s->port : -1;
}

const char *srv_url(const struct srv *s)
{
    return s ? s->url : "";
}

void srv_stop(struct srv *s)
{
    if (!s)
        return;
    if (s->d)
        MHD_stop_daemon(s->d);   /* joins its thread, closes every socket */
    free(s);
}

int srv_run(const char *root, int port)
{
    sigset_t set, old;
    struct srv *s = NULL;
    char err[512];
    int sig = 0;

    signal(SIGPIPE, SIG_IGN);   /* a client gone mid-file is not fatal */
    /* blocked before the thread starts so that only sigwait sees them */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    if (srv_start(root, port, &s, err, sizeof err) != 0) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        fprintf(stderr, "cdpilot serve: %s\n", err);
        return ut_is_dir(root ? root : "") ? 1 : 2;
    }
    printf("%s\n", srv_url(s));
    fflush(stdout);
    fprintf(stderr, "cdpilot serve: serving %s on %s (Ctrl-C stops)\n",
            root, srv_url(s));
    sigwait(&set, &sig);
    srv_stop(s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 0;
}
