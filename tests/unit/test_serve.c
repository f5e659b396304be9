/* test_serve.c -- the static file server over raw sockets: files and
 * their content types, index.html for directories, 404, "../" and
 * symlink escapes refused, HEAD, other methods, a large file, port 0,
 * errors, and srv_run in a child process (URL first on stdout, SIGTERM
 * exits 0). Hostile clients: 900 idle connections (some with half a
 * request) do not delay a real request and are closed after the idle
 * timeout; a 6 KB path gets 414, %00 in the path 400, a 40 KB header
 * 431. Links serve + util only. */
#include "../t.h"
#include "../../serve/serve.h"
#include "../../util/util.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIG_SIZE (5u * 1024 * 1024)
#define IDLE_CONNS 900
#define IDLE_S     5          /* SRV_IDLE_S in serve/serve.c */

static char tmp[] = "/tmp/cdpilot-test-serve-XXXXXX";
static char root[300];

struct reply {
    int status;
    char type[128];
    long clen;          /* Content-Length, -1 when absent */
    char *body;         /* malloc'd */
    size_t body_len;
};

/* Sends a raw request line + headers (EXTRA: more header lines, each
 * ending in CRLF, or NULL); reads until the peer closes. */
static int request_ex(int port, const char *method, const char *path,
                      const char *extra, struct reply *r)
{
    struct sockaddr_in a;
    struct timeval tv = { 5, 0 };
    char chunk[65536], *req, *hdr_end, *h;
    size_t cap = strlen(path) + (extra ? strlen(extra) : 0) + 256;
    ut_buf b;
    ssize_t n;
    int fd;

    memset(r, 0, sizeof *r);
    r->clen = -1;
    fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    req = malloc(cap);
    n = req ? snprintf(req, cap, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "%sConnection: close\r\n\r\n", method, path,
                       extra ? extra : "") : -1;
    if (n < 0 || write(fd, req, (size_t)n) != n) {
        free(req);
        close(fd);
        return -1;
    }
    free(req);
    ut_buf_init(&b, 64u * 1024 * 1024);
    while ((n = read(fd, chunk, sizeof chunk)) > 0)
        if (ut_buf_add(&b, chunk, (size_t)n))
            break;
    close(fd);
    if (!b.len || !(hdr_end = strstr(b.p, "\r\n\r\n"))) {
        ut_buf_free(&b);
        return -1;
    }
    *hdr_end = '\0';
    sscanf(b.p, "HTTP/1.%*d %d", &r->status);
    if ((h = strcasestr(b.p, "\r\ncontent-type: ")) != NULL)
        sscanf(h + 16, "%127[^\r]", r->type);
    if ((h = strcasestr(b.p, "\r\ncontent-length: ")) != NULL)
        r->clen = strtol(h + 18, NULL, 10);
    r->body_len = b.len - (size_t)(hdr_end + 4 - b.p);
    r->body = malloc(r->body_len + 1);
    memcpy(r->body, hdr_end + 4, r->body_len);
    r->body[r->body_len] = '\0';
    ut_buf_free(&b);
    return 0;
}

static int request(int port, const char *method, const char *path,
                   struct reply *r)
{
    return request_ex(port, method, path, NULL, r);
}

static void put(const char *rel, const void *data, size_t n)
{
    char path[600];

    snprintf(path, sizeof path, "%s/%s", tmp, rel);
    CHECK_INT(ut_write_file(path, data, n, 0644), 0);
}

static void make_tree(void)
{
    static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n',
                                         0x1a, '\n', 0, 0, 0, 0x0d, 0xff };
    char *big = malloc(BIG_SIZE), p1[600], p2[600];
    size_t i;

    snprintf(root, sizeof root, "%s/site", tmp);
    snprintf(p1, sizeof p1, "%s/site/sub/deeper", tmp);
    CHECK(ut_mkdir_p(p1, 0755) == 0);
    snprintf(p1, sizeof p1, "%s/site/noindex", tmp);
    CHECK(ut_mkdir_p(p1, 0755) == 0);
    put("site/index.html", "<h1>root index</h1>", 19);
    put("site/sub/index.html", "<h1>sub index</h1>", 18);
    put("site/app.js", "console.log(1);", 15);
    put("site/style.css", "body{}", 6);
    put("site/data.json", "{\"a\":1}", 7);
    put("site/pic.png", png, sizeof png);
    put("site/icon.svg", "<svg/>", 6);
    put("site/notes.txt", "plain text\n", 11);
    put("site/with space.txt", "spaced", 6);
    put("secret.txt", "TOP-SECRET", 10);
    for (i = 0; big && i < BIG_SIZE; i++)
        big[i] = (char)('a' + i % 26);
    if (big)
        put("site/big.bin", big, BIG_SIZE);
    free(big);
    /* symlinks: one inside (allowed), two leading out (refused) */
    snprintf(p1, sizeof p1, "%s/site/link-in.txt", tmp);
    CHECK_INT(symlink("notes.txt", p1), 0);
    snprintf(p1, sizeof p1, "%s/site/link-out.txt", tmp);
    snprintf(p2, sizeof p2, "%s/secret.txt", tmp);
    CHECK_INT(symlink(p2, p1), 0);
    snprintf(p1, sizeof p1, "%s/site/etc", tmp);
    CHECK_INT(symlink("/etc", p1), 0);
}

static void expect(int port, const char *method, const char *path,
                   int status, const char *type, const char *body)
{
    struct reply r;

    if (request(port, method, path, &r) != 0) {
        CHECK_MSG(0, "%s %.80s: no reply", method, path);
        return;
    }
    CHECK_MSG(r.status == status, "%s %.80s: status %d, wanted %d",
              method, path, r.status, status);
    if (type)
        CHECK_STR(r.type, type);
    if (body)
        CHECK_MSG(strcmp(r.body, body) == 0, "%s %.80s: body '%.80s'",
                  method, path, r.body);
    CHECK_MSG(!strstr(r.body, "TOP-SECRET") && !strstr(r.body, "root:x:"),
              "%s %.80s leaked a file outside the root", method, path);
    free(r.body);
}

static void test_files(struct srv *s)
{
    int port = srv_port(s);
    struct reply r;
    char url[64];

    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    CHECK(port > 0);
    CHECK_STR(srv_url(s), url);
    expect(port, "GET", "/", 200, "text/html; charset=utf-8",
           "<h1>root index</h1>");
    expect(port, "GET", "/index.html", 200, NULL, "<h1>root index</h1>");
    expect(port, "GET", "/sub/", 200, "text/html; charset=utf-8",
           "<h1>sub index</h1>");
    expect(port, "GET", "/sub", 200, NULL, "<h1>sub index</h1>");
    expect(port, "GET", "/app.js", 200, "text/javascript; charset=utf-8",
           "console.log(1);");
    expect(port, "GET", "/style.css", 200, "text/css; charset=utf-8",
           "body{}");
    expect(port, "GET", "/data.json", 200, "application/json", "{\"a\":1}");
    expect(port, "GET", "/icon.svg", 200, "image/svg+xml", "<svg/>");
    expect(port, "GET", "/notes.txt", 200, "text/plain; charset=utf-8",
           "plain text\n");
    expect(port, "GET", "/notes.txt?x=1&y=2", 200, NULL, "plain text\n");
    expect(port, "GET", "/with%20space.txt", 200, NULL, "spaced");
    expect(port, "GET", "/link-in.txt", 200, NULL, "plain text\n");
    if (request(port, "GET", "/pic.png", &r) == 0) {
        CHECK_INT(r.status, 200);
        CHECK_STR(r.type, "image/png");
        CHECK_INT(r.body_len, 13);
        CHECK(r.body_len == 13 && memcmp(r.body, "\x89PNG\r\n\x1a\n", 8) == 0
              && (unsigned char)r.body[12] == 0xff);
        free(r.body);
    }
    if (request(port, "GET", "/big.bin", &r) == 0) {
        CHECK_INT(r.status, 200);
        CHECK_STR(r.type, "application/octet-stream");
        CHECK_INT(r.body_len, BIG_SIZE);
        CHECK(r.body_len == BIG_SIZE && r.body[0] == 'a' &&
              r.body[BIG_SIZE - 1] == (char)('a' + (BIG_SIZE - 1) % 26));
        free(r.body);
    }
    /* HEAD: the headers of GET, no body */
    if (request(port, "HEAD", "/notes.txt", &r) == 0) {
        CHECK_INT(r.status, 200);
        CHECK_INT(r.clen, 11);
        CHECK_INT(r.body_len, 0);
        free(r.body);
    }
}

static void test_refusals(struct srv *s)
{
    int port = srv_port(s);
    struct reply r;

    expect(port, "GET", "/missing.html", 404, NULL, NULL);
    expect(port, "GET", "/sub/missing/", 404, NULL, NULL);
    expect(port, "GET", "/noindex/", 404, NULL, NULL);
    expect(port, "GET", "/../secret.txt", 404, NULL, NULL);
    expect(port, "GET", "/sub/../../secret.txt", 404, NULL, NULL);
    expect(port, "GET", "/%2e%2e/secret.txt", 404, NULL, NULL);
    expect(port, "GET", "/..%2fsecret.txt", 404, NULL, NULL);
    expect(port, "GET", "/link-out.txt", 404, NULL, NULL);
    expect(port, "GET", "/etc/passwd", 404, NULL, NULL);
    /* whatever lws makes of these, the secret must not come back */
    if (request(port, "GET", "/../../../../etc/passwd", &r) == 0) {
        CHECK(r.status != 200 || !strstr(r.body, "root:"));
        free(r.body);
    }
    if (request(port, "POST", "/notes.txt", &r) == 0) {
        CHECK(r.status != 200);
        free(r.body);
    }
}

/* A connected socket to PORT, or -1. */
static int dial(int port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* 900 idle connections, 20 of them with half a request line sent: a
 * real request still answers at once, and every idle one is closed by
 * the server after the idle timeout (not before it, not long after). */
static void test_idle(struct srv *s)
{
    static struct pollfd p[IDLE_CONNS];
    int port = srv_port(s), n = 0, want = IDLE_CONNS, open_n, i;
    int64_t t_open, t0, dt, first = -1, last = -1;
    struct rlimit rl;
    struct reply r;
    char c;

    /* Both ends of each connection live in this process. */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < 2 * IDLE_CONNS + 200) {
        want = rl.rlim_cur > 400 ? (int)(rl.rlim_cur - 200) / 2 : 100;
        printf("# ulimit -n %llu: %d idle connections, not %d\n",
               (unsigned long long)rl.rlim_cur, want, IDLE_CONNS);
    }
    t_open = ut_now_ms();
    for (i = 0; i < want; i++) {
        p[i].fd = dial(port);
        p[i].events = POLLIN;
        if (p[i].fd < 0)
            break;
        if (i % 45 == 0 && write(p[i].fd, "GET /notes.txt HT", 17) != 17)
            break;
        n++;
    }
    CHECK_MSG(n == want, "opened %d of %d idle connections", n, want);
    t0 = ut_now_ms();
    if (request(port, "GET", "/notes.txt", &r) == 0) {
        dt = ut_now_ms() - t0;
        CHECK_INT(r.status, 200);
        CHECK_STR(r.body, "plain text\n");
        /* Answered in ~10 ms; this bound is for a loaded 2-core box. */
        CHECK_MSG(dt < 1500, "real request took %lld ms with %d idle "
                  "connections", (long long)dt, n);
        printf("# a request with %d idle connections open: %lld ms\n", n,
               (long long)dt);
        fflush(stdout);         /* a forked child would flush it again */
        free(r.body);
    } else {
        CHECK_MSG(0, "no reply to a real request with %d idle "
                  "connections open", n);
    }
    /* Now wait for the server to close the idle ones. */
    open_n = n;
    while (open_n > 0 && ut_now_ms() - t0 < (IDLE_S + 10) * 1000) {
        if (poll(p, (nfds_t)n, 500) <= 0)
            continue;
        for (i = 0; i < n; i++) {
            if (p[i].fd < 0 || !p[i].revents)
                continue;
            if (read(p[i].fd, &c, 1) > 0)
                continue;               /* not expected: no request */
            close(p[i].fd);
            p[i].fd = -1;               /* poll() skips it from now on */
            open_n--;
            last = ut_now_ms() - t_open;    /* since the first opened */
            if (first < 0)
                first = last;
        }
    }
    CHECK_MSG(open_n == 0, "%d of %d idle connections still open after "
              "%d s", open_n, n, IDLE_S + 10);
    CHECK_MSG(first >= (IDLE_S - 1) * 1000, "an idle connection was "
              "closed after %lld ms", (long long)first);
    printf("# idle connections closed after %lld-%lld ms (idle timeout "
           "%d s)\n", (long long)first, (long long)last, IDLE_S);
    fflush(stdout);
    for (i = 0; i < n; i++)
        if (p[i].fd >= 0)
            close(p[i].fd);
}

/* Requests lws used to drop without a status. */
static void test_hostile(struct srv *s)
{
    int port = srv_port(s);
    char *path = malloc(6 * 1024 + 2), *hdr = malloc(40 * 1024 + 16);
    struct reply r;

    memset(path, 'a', 6 * 1024 + 1);
    path[0] = '/';
    path[6 * 1024 + 1] = '\0';
    expect(port, "GET", path, 414, NULL, NULL);
    memcpy(path, "/notes.txt?q=", 13);              /* a long query too */
    expect(port, "GET", path, 414, NULL, NULL);
    expect(port, "GET", "/a%00b", 400, NULL, NULL);
    expect(port, "GET", "/notes.txt%00.html", 400, NULL, NULL);
    expect(port, "GET", "/a%zzb", 400, NULL, NULL);
    expect(port, "GET", "/a%2500b", 404, NULL, NULL);  /* "%00", literal */
    snprintf(hdr, 16, "X-Big: ");
    memset(hdr + 7, 'b', 40 * 1024);
    memcpy(hdr + 7 + 40 * 1024, "\r\n", 3);
    if (request_ex(port, "GET", "/notes.txt", hdr, &r) == 0) {
        CHECK_INT(r.status, 431);
        free(r.body);
    } else {
        CHECK_MSG(0, "a 40 KB header got no status");
    }
    /* Just under the limit: an ordinary miss. A %00 in the query is
     * not in the path: the file is served. */
    path[4000] = '\0';
    path[0] = '/';
    path[1] = 'a';
    expect(port, "GET", path, 404, NULL, NULL);
    expect(port, "GET", "/notes.txt?x=%00", 200, NULL, "plain text\n");
    free(path);
    free(hdr);
}

static void test_errors(void)
{
    struct srv *s = NULL, *s2 = NULL, *s3 = NULL;
    char err[256];

    CHECK_INT(srv_start("/nonexistent/dir", 0, &s, err, sizeof err), -1);
    CHECK(s == NULL);
    CHECK_CONTAINS(err, "not a directory");
    CHECK_INT(srv_start(root, 70000, &s, err, sizeof err), -1);
    /* two servers on port 0 get two ports; a taken port is an error */
    CHECK_INT(srv_start(root, 0, &s, err, sizeof err), 0);
    CHECK_INT(srv_start(root, 0, &s2, err, sizeof err), 0);
    if (s && s2) {
        CHECK(srv_port(s) != srv_port(s2));
        CHECK_INT(srv_start(root, srv_port(s), &s3, err, sizeof err), -1);
        CHECK(s3 == NULL);
        CHECK_CONTAINS(err, "cannot listen");
    }
    srv_stop(s);
    srv_stop(s2);
    srv_stop(NULL);
}

static void test_run(void)
{
    int out[2], errp[2], st = 0, port = 0;
    char line[128] = "", errbuf[4096];
    ssize_t n;
    pid_t pid;
    struct reply r;
    FILE *f;

    if (pipe(out) || pipe(errp))
        return;
    pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(errp[1], 2);
        close(out[0]);
        close(errp[0]);
        _exit(srv_run(root, 0));
    }
    close(out[1]);
    close(errp[1]);
    f = fdopen(out[0], "r");
    CHECK(f && fgets(line, sizeof line, f));
    CHECK(ut_starts_with(line, "http://127.0.0.1:"));
    CHECK(ut_ends_with(line, "\n"));
    sscanf(line, "http://127.0.0.1:%d", &port);
    CHECK(port > 0);
    if (port > 0 && request(port, "GET", "/notes.txt", &r) == 0) {
        CHECK_INT(r.status, 200);
        CHECK_STR(r.body, "plain text\n");
        free(r.body);
    }
    kill(pid, SIGTERM);
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    n = read(errp[0], errbuf, sizeof errbuf - 1);
    errbuf[n > 0 ? n : 0] = '\0';
    CHECK_MSG(!strstr(errbuf, "[20") && !strstr(errbuf, "lws"),
              "lws noise on stderr: %s", errbuf);
    if (f)
        fclose(f);
    close(errp[0]);
    /* a bad directory: exit 2 with the reason on stderr */
    pid = fork();
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        dup2(fd, 1);
        dup2(fd, 2);
        _exit(srv_run("/nonexistent/dir", 0));
    }
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2);
}

int main(void)
{
    struct srv *s = NULL;
    char err[256];

    struct rlimit rl;

    /* 900 idle sockets plus the server's own end of each. */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096 &&
        rl.rlim_max > rl.rlim_cur) {
        rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    signal(SIGPIPE, SIG_IGN);
    if (!mkdtemp(tmp))
        return 1;
    make_tree();
    CHECK_INT(srv_start(root, 0, &s, err, sizeof err), 0);
    if (s) {
        test_files(s);
        test_refusals(s);
        test_hostile(s);
        test_idle(s);
        srv_stop(s);
    }
    test_errors();
    test_run();
    ut_rm_rf(tmp);
    return T_DONE();
}
