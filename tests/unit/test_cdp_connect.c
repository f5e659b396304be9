/* test_cdp_connect.c -- cdp_connect against a Chromium this test starts
 * itself (http:// and ws:// endpoints), and against endpoints that are
 * dead, answer garbage or never answer: CDP_E_CONNECT with a one-line
 * reason, within the timeout. Links cdp + util only. */
#include "../t.h"
#include "../../cdp/cdp.h"
#include "../../util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Evaluates EXPR by value; result.value (caller frees) or NULL. */
static cJSON *eval(struct cdp_session *s, const char *expr, int ms,
                   cdp_code *rc_out)
{
    cJSON *p = cJSON_CreateObject(), *res = NULL, *v;

    cJSON_AddStringToObject(p, "expression", expr);
    cJSON_AddTrueToObject(p, "returnByValue");
    *rc_out = cdp_call(s, "Runtime.evaluate", p, ms, &res);
    if (*rc_out != CDP_OK)
        return NULL;
    v = cJSON_DetachItemFromObject(cJSON_GetObjectItem(res, "result"),
                                   "value");
    cJSON_Delete(res);
    return v;
}

/* ---- connect to a browser we did not launch ---------------------------- */

static void test_connect_external(void)
{
    char dir[512], arg[600], pf[600];
    char url[64], err[CDP_ERR_LEN], *txt = NULL;
    struct cdp_conn *c = NULL;
    struct cdp_session *pg = NULL;
    cJSON *v;
    pid_t pid;
    int64_t deadline;
    long port;
    cdp_code rc;

    /* under the suite's $TMPDIR (tests/run.sh removes it whatever
     * happens), not /tmp itself */
    snprintf(dir, sizeof dir, "%s/cdpilot-profile-ext-XXXXXX",
             getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR")
                                                   : "/tmp");
    if (!mkdtemp(dir))
        return;
    snprintf(arg, sizeof arg, "--user-data-dir=%s", dir);
    snprintf(pf, sizeof pf, "%s/DevToolsActivePort", dir);
    pid = fork();
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        dup2(fd, 1);
        dup2(fd, 2);
        setpgid(0, 0);
        /* Chrome's socket folder inside the profile: gone with it after
         * the SIGKILL below (run.sh fails a suite that leaves one) */
        setenv("TMPDIR", dir, 1);
        execl("/usr/lib/chromium/chromium", "chromium", "--headless=new",
              "--remote-debugging-port=0", "--no-sandbox", "--disable-gpu",
              "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", arg,
              "about:blank", (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid);
    deadline = ut_now_ms() + 20000;
    while (ut_now_ms() < deadline) {
        free(txt);
        txt = ut_read_file(pf, 4096, NULL, NULL, 0);
        if (txt && strstr(txt, "\n/devtools/"))   /* written whole */
            break;
        ut_sleep_ms(20);
    }
    CHECK(txt != NULL);
    if (txt) {
        *strchr(txt, '\n') = '\0';
        port = strtol(txt, NULL, 10);
        snprintf(url, sizeof url, "http://127.0.0.1:%ld", port);
        rc = cdp_connect(url, 5000, &c, err, sizeof err);
        CHECK_MSG(rc == CDP_OK, "%s", err);
        if (c) {
            CHECK_CONTAINS(cdp_conn_version(c)->product, "Chrome/");
            CHECK_INT(cdp_new_page(c, NULL, &pg), CDP_OK);
            v = pg ? eval(pg, "6*7", 5000, &rc) : NULL;
            CHECK(cJSON_IsNumber(v) && v->valuedouble == 42);
            cJSON_Delete(v);
            cdp_conn_close(c);
        }
        snprintf(url, sizeof url, "http://127.0.0.1:%ld/", port);
        c = NULL;
        CHECK_INT(cdp_connect(url, 5000, &c, err, sizeof err), CDP_OK);
        cdp_conn_close(c);
    }
    free(txt);
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
    ut_rm_rf(dir);
}

/* A port with nobody listening, a server that answers garbage, and one
 * that never answers. */
static int listen_any(int *port)
{
    struct sockaddr_in a;
    socklen_t al = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 8) ||
        getsockname(fd, (struct sockaddr *)&a, &al)) {
        close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

static void test_connect_failures(void)
{
    char url[96], err[CDP_ERR_LEN], buf[2048];
    struct cdp_conn *c = NULL;
    int port, fd, cfd, i;
    int64_t t0;
    pid_t pid;
    const char *junk = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                       "Connection: close\r\n\r\nhello";

    fd = listen_any(&port);
    close(fd);   /* now nobody listens there */
    snprintf(url, sizeof url, "ws://127.0.0.1:%d/devtools/browser/x", port);
    t0 = ut_now_ms();
    CHECK_INT(cdp_connect(url, 3000, &c, err, sizeof err), CDP_E_CONNECT);
    CHECK(c == NULL);
    CHECK(ut_now_ms() - t0 < 6500);
    CHECK(err[0] && !strchr(err, '\n'));
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    CHECK_INT(cdp_connect(url, 3000, &c, err, sizeof err), CDP_E_CONNECT);
    CHECK_CONTAINS(err, "refused");
    /* browserless's form, ws://HOST:PORT?token=T: a URL, whose token the
     * error does not show */
    snprintf(url, sizeof url, "ws://127.0.0.1:%d?token=s3kr1t", port);
    CHECK_INT(cdp_connect(url, 3000, &c, err, sizeof err), CDP_E_CONNECT);
    CHECK_MSG(!strstr(err, "bad endpoint") && !strstr(err, "s3kr1t"), "%s",
              err);
    CHECK_CONTAINS(err, "/?…");
    CHECK_INT(cdp_connect("ftp://x", 1000, &c, err, sizeof err),
              CDP_E_CONNECT);
    CHECK_CONTAINS(err, "bad endpoint URL");

    /* garbage answers: two connections (http and ws) */
    fd = listen_any(&port);
    pid = fork();
    if (pid == 0) {
        alarm(30);      /* gone even if a connection never comes */
        for (i = 0; i < 2; i++) {
            cfd = accept(fd, NULL, NULL);
            if (cfd < 0)
                _exit(1);
            if (read(cfd, buf, sizeof buf) < 0 ||
                write(cfd, junk, strlen(junk)) < 0)
                _exit(1);
            close(cfd);
        }
        _exit(0);
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    CHECK_INT(cdp_connect(url, 3000, &c, err, sizeof err), CDP_E_CONNECT);
    CHECK_CONTAINS(err, "not a CDP endpoint");
    snprintf(url, sizeof url, "ws://127.0.0.1:%d/devtools/browser/x", port);
    t0 = ut_now_ms();
    CHECK_INT(cdp_connect(url, 3000, &c, err, sizeof err), CDP_E_CONNECT);
    CHECK(ut_now_ms() - t0 < 6500);
    CHECK(err[0] != '\0');
    waitpid(pid, NULL, 0);

    /* a listener that never answers: bounded by the timeout (the kernel
     * completes the TCP handshake from the backlog) */
    snprintf(url, sizeof url, "ws://127.0.0.1:%d/devtools/browser/x", port);
    t0 = ut_now_ms();
    CHECK_INT(cdp_connect(url, 500, &c, err, sizeof err), CDP_E_CONNECT);
    CHECK_MSG(ut_now_ms() - t0 < 4500, "took %lld ms",
              (long long)(ut_now_ms() - t0));
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    t0 = ut_now_ms();
    CHECK_INT(cdp_connect(url, 500, &c, err, sizeof err), CDP_E_CONNECT);
    CHECK(ut_now_ms() - t0 < 4500);
    close(fd);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    test_connect_failures();
    test_connect_external();
    return T_DONE();
}
