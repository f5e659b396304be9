/* test_cdp_context.c -- browser contexts and downloads on a Chromium this
 * test launches: a page made in a new context lives in it (cookies of its
 * own) and goes with it; a download lands in the browser's own
 * user-data-dir. Links cdp + util only. */
#include "../t.h"
#include "../../cdp/cdp.h"
#include "../../util/util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* How many cookies session S sees for URL; -1 when the call fails. */
static int cookies(struct cdp_session *s, const char *url)
{
    cJSON *p = cJSON_CreateObject(), *res = NULL;
    int n;

    cJSON_AddItemToObject(p, "urls", cJSON_CreateStringArray(&url, 1));
    if (cdp_call(s, "Network.getCookies", p, 5000, &res) != CDP_OK)
        return -1;
    n = cJSON_GetArraySize(cJSON_GetObjectItem(res, "cookies"));
    cJSON_Delete(res);
    return n;
}

/* How many page targets browser context CTX holds; -1 on failure. */
static int pages_in(struct cdp_conn *c, const char *ctx)
{
    cJSON *res = NULL, *t;
    int n = 0;

    if (cdp_call(cdp_browser_session(c), "Target.getTargets", NULL, 5000,
                 &res) != CDP_OK)
        return -1;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(res, "targetInfos")) {
        const char *type = cJSON_GetStringValue(cJSON_GetObjectItem(t,
                                                                    "type"));
        const char *bc = cJSON_GetStringValue(
            cJSON_GetObjectItem(t, "browserContextId"));
        if (type && bc && strcmp(type, "page") == 0 && strcmp(bc, ctx) == 0)
            n++;
    }
    cJSON_Delete(res);
    return n;
}

static void test_context(struct cdp_conn *c)
{
    struct cdp_session *a = NULL, *b = NULL;
    char *ctx = NULL;

    CHECK_INT(cdp_context_new(c, 10000, &ctx), CDP_OK);
    CHECK(ctx && *ctx);
    if (!ctx)
        return;
    CHECK_INT(cdp_new_page(c, ctx, &a), CDP_OK);
    CHECK_INT(cdp_new_page(c, NULL, &b), CDP_OK);
    CHECK_INT(pages_in(c, ctx), 1);
    /* storage of its own: a cookie set in the context is not seen in the
     * default one */
    if (a && b) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddStringToObject(p, "name", "k");
        cJSON_AddStringToObject(p, "value", "in-context");
        cJSON_AddStringToObject(p, "url", "http://127.0.0.1:9/");
        CHECK_INT(cdp_call(a, "Network.setCookie", p, 5000, NULL), CDP_OK);
        CHECK_INT(cookies(a, "http://127.0.0.1:9/"), 1);
        CHECK_INT(cookies(b, "http://127.0.0.1:9/"), 0);
    }
    CHECK_INT(cdp_context_dispose(c, ctx, 5000), CDP_OK);
    CHECK_INT(pages_in(c, ctx), 0);
    /* a context that is gone: the browser's own error, one line */
    CHECK_INT(cdp_context_dispose(c, ctx, 5000), CDP_E_PROTOCOL);
    CHECK_CONTAINS(cdp_errmsg(c), "Target.disposeBrowserContext");
    CHECK(!strchr(cdp_errmsg(c), '\n'));
    free(ctx);
}

static void test_downloads(struct cdp_browser *br, struct cdp_conn *c)
{
    struct cdp_session *s = NULL;
    char dir[4200], file[4300];
    struct stat st;
    int64_t deadline;
    cJSON *v;

    CHECK_INT(cdp_keep_downloads(br, c, 10000), CDP_OK);
    snprintf(dir, sizeof dir, "%s/downloads", cdp_browser_dir(br));
    CHECK(stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
          (st.st_mode & 0777) == 0700);
    CHECK_INT(cdp_new_page(c, NULL, &s), CDP_OK);
    if (!s)
        return;
    /* a link with a download attribute, clicked by the page */
    v = cJSON_CreateObject();
    cJSON_AddStringToObject(v, "expression", "(() => {"
        " const a = document.createElement('a');"
        " a.href = 'data:text/plain,kept'; a.download = 'got.txt';"
        " document.body.appendChild(a); a.click(); })()");
    CHECK_INT(cdp_call(s, "Runtime.evaluate", v, 10000, NULL), CDP_OK);
    snprintf(file, sizeof file, "%s/got.txt", dir);
    deadline = ut_now_ms() + 20000;
    while (stat(file, &st) != 0 && ut_now_ms() < deadline)
        cdp_pump(c, 100, 0);
    CHECK_MSG(stat(file, &st) == 0 && st.st_size == 4, "no %s", file);
}

static void test_bad_input(struct cdp_conn *c)
{
    char *id = (char *)"x";

    CHECK_INT(cdp_context_new(NULL, 1000, &id), CDP_E_CLOSED);
    CHECK(id == NULL);
    CHECK_INT(cdp_context_dispose(NULL, "x", 1000), CDP_E_CLOSED);
    CHECK_INT(cdp_context_dispose(c, NULL, 1000), CDP_E_CLOSED);
    /* a browser we did not launch has no folder of ours to fill */
    CHECK_INT(cdp_keep_downloads(NULL, c, 1000), CDP_E_LAUNCH);
    CHECK_CONTAINS(cdp_errmsg(c), "downloads");
    CHECK_INT(cdp_keep_downloads(NULL, NULL, 1000), CDP_E_CLOSED);
}

int main(void)
{
    struct cdp_found f;
    struct cdp_launch_opts o = { 0 };
    struct cdp_browser *br = NULL;
    struct cdp_conn *c = NULL;
    char err[CDP_ERR_LEN];

    signal(SIGPIPE, SIG_IGN);
    if (cdp_find_browser(getenv("CDPILOT_TEST_CHROME"), NULL, &f, err,
                         sizeof err) != CDP_OK) {
        CHECK_MSG(0, "no browser: %s", err);
        return T_DONE();
    }
    o.path = f.path;
    o.headless = 1;
    o.timeout_ms = 30000;
    CHECK_INT(cdp_launch(&o, &br, err, sizeof err), CDP_OK);
    if (br)
        CHECK_INT(cdp_connect(cdp_browser_ws_url(br), 30000, &c, err,
                              sizeof err), CDP_OK);
    if (c) {
        test_bad_input(c);
        test_context(c);
        test_downloads(br, c);
    }
    cdp_browser_close(br, c, 3000);
    cdp_conn_close(c);
    return T_DONE();
}
