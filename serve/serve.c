/* serve.c -- a static file server on 127.0.0.1 over libwebsockets' HTTP
 * server, with our own callback so that confinement is ours to check:
 * the URL path is resolved with realpath() and must stay under the real
 * root (no "..", no symlink out); a directory serves its index.html.
 * GET and HEAD only. One lws context per server, serviced by one
 * background thread; srv_stop wakes it with lws_cancel_service (the one
 * lws call that is thread-safe) and joins it. */
#include "serve.h"
#include "../util/util.h"

#include <errno.h>
#include <libwebsockets.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct srv {
    struct lws_context *ctx;
    pthread_t thread;
    int started;             /* thread is running */
    atomic_int stop;         /* set by srv_stop, read by the thread */
    int port;
    char root[PATH_MAX];     /* realpath of ROOT */
    char url[64];
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

static void quiet_emit(int level, const char *line)
{
    (void)level;
    (void)line;
}

/* 1 when URI has a ".." path segment (lws normalises most, we refuse the
 * rest rather than trust it). */
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

/* Maps URI to a regular file under ROOT in OUT. 0, or -1 (not found or
 * outside the root: both are a 404 to the client). */
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

static int http_done(struct lws *wsi)
{
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int on_http(struct lws *wsi, const struct srv *s, const char *uri)
{
    char path[PATH_MAX];
    int n;

    if (!lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) &&
        !lws_hdr_total_length(wsi, WSI_TOKEN_HEAD_URI)) {
        lws_return_http_status(wsi, HTTP_STATUS_METHOD_NOT_ALLOWED, NULL);
        return http_done(wsi);
    }
    if (resolve(s, uri, path, sizeof path) != 0) {
        lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL);
        return http_done(wsi);
    }
    n = lws_serve_http_file(wsi, path, mime_of(path), NULL, 0);
    if (n < 0 || (n > 0 && lws_http_transaction_completed(wsi)))
        return -1;
    return 0;
}

static int srv_callback(struct lws *wsi, enum lws_callback_reasons reason,
                        void *user, void *in, size_t len)
{
    struct srv *s = lws_context_user(lws_get_context(wsi));

    switch (reason) {
    case LWS_CALLBACK_HTTP:
        return on_http(wsi, s, in ? (const char *)in : "/");
    case LWS_CALLBACK_HTTP_FILE_COMPLETION:
        return http_done(wsi);
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}

static const struct lws_protocols srv_protocols[] = {
    { "http", srv_callback, 0, 0, 0, NULL, 0 },
    { NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void *srv_thread(void *arg)
{
    struct srv *s = arg;

    while (!atomic_load(&s->stop))
        if (lws_service(s->ctx, 0) < 0)
            break;
    return NULL;
}

/* 0 when 127.0.0.1:PORT can be bound now. Checked before lws is asked
 * because lws 4.1.6 leaks a little when its own bind fails. */
static int port_free(int port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1, rc;

    if (fd < 0)
        return -1;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    rc = bind(fd, (struct sockaddr *)&a, sizeof a);
    close(fd);
    return rc;
}

int srv_start(const char *root, int port, struct srv **out, char *err,
              size_t errlen)
{
    struct lws_context_creation_info info;
    struct lws_vhost *vh;
    struct srv *s;

    *out = NULL;
    if (port < 0 || port > 65535)
        return ut_err(err, errlen, -1, "bad port %d", port);
    s = calloc(1, sizeof *s);
    if (!s)
        return ut_err(err, errlen, -1, "out of memory");
    if (!root || !realpath(root, s->root) || !ut_is_dir(s->root)) {
        ut_err(err, errlen, -1, "'%s' is not a directory", root ? root : "");
        free(s);
        return -1;
    }
    if (port && port_free(port) != 0) {
        ut_err(err, errlen, -1, "cannot listen on 127.0.0.1:%d: %s", port,
               strerror(errno));
        free(s);
        return -1;
    }
    if (getenv("CDPILOT_LWS_LOG"))
        lws_set_log_level(LLL_ERR | LLL_WARN, NULL);
    else
        lws_set_log_level(LLL_ERR, quiet_emit);
    memset(&info, 0, sizeof info);
    info.port = port;
    info.iface = "127.0.0.1";
    info.protocols = srv_protocols;
    info.gid = -1;
    info.uid = -1;
    info.user = s;
    info.options = LWS_SERVER_OPTION_DISABLE_IPV6 |
                   LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND;
    info.fd_limit_per_thread = 256;   /* a browser opens a few at a time */
    s->ctx = lws_create_context(&info);
    vh = s->ctx ? lws_get_vhost_by_name(s->ctx, "default") : NULL;
    s->port = vh ? lws_get_vhost_listen_port(vh) : -1;
    if (!s->ctx || s->port <= 0) {
        ut_err(err, errlen, -1, "cannot listen on 127.0.0.1:%d%s", port,
               port ? " (port in use?)" : "");
        srv_stop(s);
        return -1;
    }
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", s->port);
    if (pthread_create(&s->thread, NULL, srv_thread, s) != 0) {
        ut_err(err, errlen, -1, "pthread_create: %s", strerror(errno));
        srv_stop(s);
        return -1;
    }
    s->started = 1;
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
    atomic_store(&s->stop, 1);
    if (s->started) {
        lws_cancel_service(s->ctx);
        pthread_join(s->thread, NULL);
    }
    if (s->ctx)
        lws_context_destroy(s->ctx);
    free(s);
}

int srv_run(const char *root, int port)
{
    sigset_t set, old;
    struct srv *s = NULL;
    char err[512];
    int sig = 0;

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
