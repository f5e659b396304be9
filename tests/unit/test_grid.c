/* test_grid.c -- the pure parts of grid/: the kind of a --grid URL, the
 * new-session request body, reading a WebDriver new-session reply (OK,
 * full grid to retry, fatal), and the backoff schedule between tries. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../../grid/grid.h"
#include "../t.h"

static void test_kind(void)
{
    char err[512];

    CHECK_INT(grid_kind_of("http://127.0.0.1:4444", err, sizeof err),
              GRID_WEBDRIVER);
    CHECK_INT(grid_kind_of("https://grid.example/wd/hub", err, sizeof err),
              GRID_WEBDRIVER);
    CHECK_INT(grid_kind_of("ws://127.0.0.1:3000?token=x", err, sizeof err),
              GRID_WS);
    CHECK_INT(grid_kind_of("wss://chrome.example", err, sizeof err),
              GRID_WS);
    CHECK_INT(grid_kind_of("ftp://x", err, sizeof err), -1);
    CHECK_CONTAINS(err, "--grid");
    CHECK_INT(grid_kind_of("127.0.0.1:4444", err, sizeof err), -1);
    CHECK_INT(grid_kind_of(NULL, err, sizeof err), -1);
}

static void test_body(void)
{
    const char *args[] = { "--lang=de" };
    struct grid_opts o = { 0, 0, 1, 800, 600, args, 1 };
    char *b = grid_session_body(&o);
    cJSON *j = b ? cJSON_Parse(b) : NULL;
    const cJSON *am = cJSON_GetObjectItem(cJSON_GetObjectItem(j,
                          "capabilities"), "alwaysMatch");
    const cJSON *a = cJSON_GetObjectItem(cJSON_GetObjectItem(am,
                         "goog:chromeOptions"), "args");

    CHECK(j != NULL);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(am, "browserName")),
              "chrome");
    CHECK_INT(cJSON_GetArraySize(a), 3);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(a, 0)),
              "--headless=new");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(a, 1)),
              "--window-size=800,600");
    CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(a, 2)), "--lang=de");
    cJSON_Delete(j);
    free(b);
    o.headless = 0;
    o.nargs = 0;
    o.width = 0;
    b = grid_session_body(&o);
    CHECK_STR(b, "{\"capabilities\":{\"alwaysMatch\":{\"browserName\":"
              "\"chrome\",\"goog:chromeOptions\":{\"args\":[]}}}}");
    free(b);
}

static void test_reply(void)
{
    struct grid_session s;
    char err[512];

    CHECK_INT(grid_reply_parse(200, "{\"value\":{\"sessionId\":\"abc-1\","
              "\"capabilities\":{\"browserName\":\"chrome\",\"se:cdp\":"
              "\"ws://10.0.0.5:4444/session/abc-1/se/cdp\"}}}", &s, err,
              sizeof err), GRID_R_OK);
    CHECK_STR(s.id, "abc-1");
    CHECK_STR(s.cdp, "ws://10.0.0.5:4444/session/abc-1/se/cdp");
    /* a session without se:cdp: fatal, but its id is kept (to end it) */
    CHECK_INT(grid_reply_parse(200, "{\"value\":{\"sessionId\":\"s2\","
              "\"capabilities\":{}}}", &s, err, sizeof err), GRID_R_FATAL);
    CHECK_STR(s.id, "s2");
    CHECK_CONTAINS(err, "no se:cdp");
    CHECK_INT(grid_reply_parse(200, "{\"value\":{\"sessionId\":\"s3\","
              "\"capabilities\":{\"se:cdp\":\"http://x\"}}}", &s, err,
              sizeof err), GRID_R_FATAL);
    CHECK_CONTAINS(err, "unusable se:cdp");
    /* an id that cannot go into a URL path */
    CHECK_INT(grid_reply_parse(200, "{\"value\":{\"sessionId\":\"../x\"}}",
              &s, err, sizeof err), GRID_R_FATAL);
    CHECK_STR(s.id, "");
    CHECK_INT(grid_reply_parse(200, "not json", &s, err, sizeof err),
              GRID_R_FATAL);
    CHECK_CONTAINS(err, "no value.sessionId");
    /* the grid's queue gave up: retry */
    CHECK_INT(grid_reply_parse(500, "{\"value\":{\"error\":\"session not "
              "created\",\"message\":\"New session request timed out\n"
              "at ...\"}}", &s, err, sizeof err), GRID_R_RETRY);
    CHECK_CONTAINS(err, "HTTP 500, session not created: New session");
    CHECK(strchr(err, '\n') == NULL);
    CHECK_INT(grid_reply_parse(503, "", &s, err, sizeof err), GRID_R_RETRY);
    CHECK_INT(grid_reply_parse(429, NULL, &s, err, sizeof err),
              GRID_R_RETRY);
    /* other errors are final */
    CHECK_INT(grid_reply_parse(500, "{\"value\":{\"error\":\"unknown "
              "error\",\"message\":\"boom\"}}", &s, err, sizeof err),
              GRID_R_FATAL);
    CHECK_INT(grid_reply_parse(404, "<html>no</html>", &s, err, sizeof err),
              GRID_R_FATAL);
    CHECK_CONTAINS(err, "HTTP 404, <html>no</html>");
}

static void test_wait(void)
{
    uint64_t rng = 42;
    int a, w, prev_max = 0;

    for (a = 0; a < 10; a++) {
        int lo = 1 << 30, hi = 0, k;
        for (k = 0; k < 200; k++) {
            w = grid_wait_ms(a, 1000000, &rng);
            lo = w < lo ? w : lo;
            hi = w > hi ? w : hi;
        }
        /* equal jitter: between half and all of min(500 * 2^a, 8000) */
        int full = a < 4 ? 500 << a : 8000;
        CHECK_MSG(lo >= full / 2 && hi <= full, "attempt %d: %d..%d", a, lo,
                  hi);
        CHECK(hi > lo);                 /* jittered */
        CHECK(hi >= prev_max / 2);
        prev_max = hi;
    }
    CHECK_INT(grid_wait_ms(5, 300, &rng) <= 300, 1);   /* never past the end */
    CHECK_INT(grid_wait_ms(0, 0, &rng), 0);
    CHECK_INT(grid_wait_ms(0, -5, &rng), 0);
}

int main(void)
{
    test_kind();
    test_body();
    test_reply();
    test_wait();
    return T_DONE();
}
