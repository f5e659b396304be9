/* test_serve_host.c -- where the static server listens: 127.0.0.1 by
 * default (not 127.0.0.2), the address asked for with srv_start_on (and
 * not 127.0.0.1 then), IPv6 ::1, every address only when "0.0.0.0" is
 * written, the URL naming the host; a name or a foreign address refused.
 * Links serve + util only. */
#include "../t.h"
#include "../../serve/serve.h"
#include "../../util/util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char tmp[] = "/tmp/cdpilot-test-shost-XXXXXX";

/* 1 when a TCP connection to HOST:PORT is accepted. */
static int reaches(const char *host, int port)
{
    struct sockaddr_storage a;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&a;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&a;
    socklen_t len;
    int fd, ok;

    memset(&a, 0, sizeof a);
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        len = sizeof *v4;
    } else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        len = sizeof *v6;
    } else {
        return 0;
    }
    fd = socket(a.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    ok = connect(fd, (struct sockaddr *)&a, len) == 0;
    close(fd);
    return ok;
}

static void test_hosts(void)
{
    struct srv *s = NULL;
    char err[512], want[128];

    CHECK_INT(srv_start(tmp, 0, &s, err, sizeof err), 0);
    if (s) {
        CHECK(reaches("127.0.0.1", srv_port(s)));
        CHECK(!reaches("127.0.0.2", srv_port(s)));
        snprintf(want, sizeof want, "http://127.0.0.1:%d", srv_port(s));
        CHECK_STR(srv_url(s), want);
        srv_stop(s);
        s = NULL;
    }
    CHECK_INT(srv_start_on(tmp, "127.0.0.2", 0, &s, err, sizeof err), 0);
    if (s) {
        CHECK(reaches("127.0.0.2", srv_port(s)));
        CHECK(!reaches("127.0.0.1", srv_port(s)));
        snprintf(want, sizeof want, "http://127.0.0.2:%d", srv_port(s));
        CHECK_STR(srv_url(s), want);
        srv_stop(s);
        s = NULL;
    }
    CHECK_INT(srv_start_on(tmp, "0.0.0.0", 0, &s, err, sizeof err), 0);
    if (s) {
        CHECK(reaches("127.0.0.1", srv_port(s)));
        CHECK(reaches("127.0.0.2", srv_port(s)));
        srv_stop(s);
        s = NULL;
    }
    if (srv_start_on(tmp, "::1", 0, &s, err, sizeof err) == 0) {
        CHECK(reaches("::1", srv_port(s)));
        CHECK(!reaches("127.0.0.1", srv_port(s)));
        snprintf(want, sizeof want, "http://[::1]:%d", srv_port(s));
        CHECK_STR(srv_url(s), want);
        srv_stop(s);
        s = NULL;
    } else {
        printf("# no IPv6 loopback here: %s\n", err);
    }
    CHECK_INT(srv_start_on(tmp, "localhost", 0, &s, err, sizeof err), -1);
    CHECK_CONTAINS(err, "\"localhost\" is not an IPv4 or IPv6 address");
    CHECK_INT(srv_start_on(tmp, "192.0.2.7", 0, &s, err, sizeof err), -1);
    CHECK_CONTAINS(err, "cannot listen on 192.0.2.7:0");
    CHECK(s == NULL);
    CHECK_INT(srv_host_check("10.1.2.3"), 0);
    CHECK_INT(srv_host_check("::"), 0);
    CHECK_INT(srv_host_check("example.com"), -1);
    CHECK_INT(srv_host_check(""), -1);
}

int main(void)
{
    if (!mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    test_hosts();
    ut_rm_rf(tmp);
    return T_DONE();
}
