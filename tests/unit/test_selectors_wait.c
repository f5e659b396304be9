/* test_selectors_wait.c -- the waits, counts, scrolls and page reads of
 * selectors/ (wait.c, act.c, page.c) on real Chromium, over pages this
 * test writes to a folder of its own: each wait passes when what it
 * waits for turns up late, and fails at its bound with one line saying
 * what the page shows instead. Links selectors and what it uses. */
#include "../t.h"
#include "../../selectors/sel.h"
#include "../../cdp/cdp.h"
#include "../../util/util.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[4096];
static char err[1024];

/* Writes NAME into the test folder; its file:// URL in URL. */
static void page_file(const char *name, const char *html, char *url,
                      size_t n)
{
    char path[4400];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    CHECK(ut_write_file(path, html, strlen(html), 0600) == 0);
    snprintf(url, n, "file://%s", path);
}

/* Loads a page whose body is BODY (its script runs at load). */
static void load(struct sel_page *p, const char *body)
{
    char url[4500];
    ut_buf h;

    ut_buf_init(&h, 1 << 20);
    ut_buf_addf(&h, "<!doctype html><html><body>%s</body></html>", body);
    page_file("page.html", h.p, url, sizeof url);
    ut_buf_free(&h);
    CHECK_MSG(sel_goto(p, url, 20000, err, sizeof err) == SEL_OK, "goto: %s",
              err);
}

/* Runs a wait; its code, with the time it took in *MS. */
#define TIMED(ms, call) \
    (t0_ = ut_now_ms(), rc_ = (call), *(ms) = ut_now_ms() - t0_, rc_)
static int64_t t0_;
static sel_code rc_;

static void test_text_js_url(struct sel_page *p)
{
    int64_t ms;

    load(p, "<p id=a>first</p><script>setTimeout(() => {"
            " document.getElementById('a').textContent = 'Shipped today';"
            " history.pushState({}, '', '#done'); window.flag = 7;"
            " }, 300)</script>");
    CHECK_INT(sel_wait_text(p, "Shipped  today", 10000, err, sizeof err),
              SEL_OK);
    CHECK_INT(sel_wait_js(p, "window.flag === 7 && 'yes'", 10000, err,
                          sizeof err), SEL_OK);
    CHECK_INT(sel_wait_url(p, "#done$", 10000, err, sizeof err), SEL_OK);

    CHECK_INT(TIMED(&ms, sel_wait_text(p, "Never there", 400, err,
                                       sizeof err)), SEL_E_TIMEOUT);
    CHECK_STR(err, "text \"Never there\" not on the page after 400 ms");
    CHECK_MSG(ms >= 390 && ms < 8000, "%lld ms", (long long)ms);

    CHECK_INT(TIMED(&ms, sel_wait_js(p, "window.flag > 7", 400, err,
                                     sizeof err)), SEL_E_TIMEOUT);
    CHECK_STR(err, "still false after 400 ms: window.flag > 7");
    CHECK_MSG(ms >= 390 && ms < 8000, "%lld ms", (long long)ms);
    CHECK_INT(sel_wait_js(p, "nope(", 400, err, sizeof err), SEL_E_JS);
    CHECK_CONTAINS(err, "SyntaxError");

    CHECK_INT(TIMED(&ms, sel_wait_url(p, "/elsewhere$", 400, err,
                                      sizeof err)), SEL_E_TIMEOUT);
    CHECK_CONTAINS(err, "page.html#done does not match //elsewhere$/ "
                        "after 400 ms");
    CHECK_MSG(ms >= 390 && ms < 8000, "%lld ms", (long long)ms);
    CHECK_INT(sel_wait_url(p, "(", 400, err, sizeof err), SEL_E_ACTION);
    CHECK_STR(err, "bad regex /(/");
}

static void test_hidden_count(struct sel_page *p)
{
    long n = -1;
    int64_t ms;

    load(p, "<ul><li>a</li><li>b</li><li>c</li></ul>"
            "<div id=spin>Loading</div><div id=stay>here</div>"
            "<script>setTimeout(() => {"
            " document.getElementById('spin').style.display = 'none';"
            " document.querySelector('ul').insertAdjacentHTML('beforeend',"
            "   '<li>d</li><li>e</li>'); }, 300)</script>");
    CHECK_INT(sel_count(p, "css=li", 5000, &n, err, sizeof err), SEL_OK);
    CHECK(n == 3 || n == 5);
    CHECK_INT(sel_wait_count(p, "css=li", 5, 10000, err, sizeof err), SEL_OK);
    CHECK_INT(sel_count(p, "css=li", 5000, &n, err, sizeof err), SEL_OK);
    CHECK_INT(n, 5);
    CHECK_INT(sel_count(p, "css=.none", 5000, &n, err, sizeof err), SEL_OK);
    CHECK_INT(n, 0);
    CHECK_INT(sel_wait_hidden(p, "css=#spin", 10000, err, sizeof err),
              SEL_OK);
    CHECK_INT(sel_wait_hidden(p, "css=.none", 1000, err, sizeof err),
              SEL_OK);

    CHECK_INT(TIMED(&ms, sel_wait_count(p, "css=li", 2, 400, err,
                                        sizeof err)), SEL_E_TIMEOUT);
    CHECK_STR(err, "css=li matches 5 elements, expected 2");
    CHECK_MSG(ms >= 390 && ms < 8000, "%lld ms", (long long)ms);
    CHECK_INT(TIMED(&ms, sel_wait_hidden(p, "css=#stay", 400, err,
                                         sizeof err)), SEL_E_TIMEOUT);
    CHECK_STR(err, "css=#stay is still visible after 400 ms");
    CHECK_MSG(ms >= 390 && ms < 8000, "%lld ms", (long long)ms);

    /* the page cannot count plain words; a bad target says why */
    CHECK_INT(sel_wait_hidden(p, "the spinner", 400, err, sizeof err),
              SEL_E_ACTION);
    CHECK_STR(err, "hidden needs an explicit target (css=, role=, …), not "
                   "plain words");
    CHECK_INT(sel_wait_count(p, "the items", 1, 400, err, sizeof err),
              SEL_E_ACTION);
    CHECK_CONTAINS(err, "count needs an explicit target");
    CHECK_INT(sel_count(p, "role=button[name=\"x", 400, &n, err, sizeof err),
              SEL_E_ACTION);
    CHECK_CONTAINS(err, "role=button");
}

/* Resolves explicit TARGET for reading into R. */
static sel_code find(struct sel_page *p, const char *target,
                     enum sel_want want, struct sel_result *r)
{
    struct sel_target t;
    struct sel_opts o;
    sel_code rc;

    memset(&o, 0, sizeof o);
    o.want = want;
    o.step_kind = "extract";
    o.nth = -1;
    o.timeout_ms = 5000;
    memset(r, 0, sizeof *r);
    if (sel_target_parse(target, &t, err, sizeof err))
        return SEL_E_ACTION;
    rc = sel_resolve(p, &t, &o, r);
    sel_target_clear(&t);
    return rc;
}

static void test_value(struct sel_page *p)
{
    struct sel_result r;
    int64_t ms;

    load(p, "<input id=q value=draft><script>setTimeout(() => {"
            " document.getElementById('q').value = 'sent'; }, 300)</script>");
    CHECK_INT(find(p, "css=#q", SEL_WANT_READ, &r), SEL_OK);
    CHECK_INT(sel_wait_value(p, &r, "sent", 10000, err, sizeof err), SEL_OK);
    CHECK_INT(TIMED(&ms, sel_wait_value(p, &r, "other", 400, err,
                                        sizeof err)), SEL_E_TIMEOUT);
    CHECK_STR(err, "value is \"sent\", expected \"other\"");
    CHECK_MSG(ms >= 390 && ms < 8000, "%lld ms", (long long)ms);
    /* an answer already late reads once, then says what it read */
    CHECK_INT(sel_wait_value(p, &r, "other", 0, err, sizeof err),
              SEL_E_TIMEOUT);
    sel_result_clear(&r);
}

static double scroll_y(struct sel_page *p)
{
    cJSON *v = NULL;
    double y = -1;

    if (sel_eval(p, "window.scrollY", 0, 5000, &v, err, sizeof err) ==
        SEL_OK && cJSON_IsNumber(v))
        y = v->valuedouble;
    cJSON_Delete(v);
    return y;
}

static void test_scroll_html(struct sel_page *p)
{
    struct sel_result r;
    char *html;

    load(p, "<div style='height:5000px'>tall</div><p id=end>end</p>");
    CHECK_INT(sel_scroll(p, NULL, "bottom", 0, 0, 5000, err, sizeof err),
              SEL_OK);
    CHECK(scroll_y(p) > 3000);
    CHECK_INT(sel_scroll(p, NULL, "top", 0, 0, 5000, err, sizeof err),
              SEL_OK);
    CHECK(scroll_y(p) == 0);
    CHECK_INT(sel_scroll(p, NULL, NULL, 0, 120, 5000, err, sizeof err),
              SEL_OK);
    CHECK(scroll_y(p) == 120);
    CHECK_INT(find(p, "css=#end", SEL_WANT_ATTACHED, &r), SEL_OK);
    CHECK_INT(sel_scroll(p, NULL, "top", 0, 0, 5000, err, sizeof err),
              SEL_OK);
    CHECK_INT(sel_scroll(p, &r, NULL, 0, 0, 5000, err, sizeof err), SEL_OK);
    CHECK(scroll_y(p) > 3000);
    sel_result_clear(&r);

    html = sel_page_html(p, 5000);
    CHECK_CONTAINS(html, "<p id=\"end\">end</p>");
    free(html);
    CHECK(sel_page_html(NULL, 5000) == NULL);
}

static void test_popup(struct sel_page **pp)
{
    struct sel_page_opts po;
    struct sel_result r;
    char url[4500];
    int64_t deadline;
    int moved = 0;

    memset(&po, 0, sizeof po);
    /* nothing opened: the page stays */
    CHECK_INT(sel_page_follow_popup(pp, &po, 1000), 0);
    page_file("new.html", "<!doctype html><title>n</title>"
              "<p>The new tab is here</p>", url, sizeof url);
    load(*pp, "<a id=nt href='new.html' target=_blank>open</a>");
    CHECK_INT(find(*pp, "css=#nt", SEL_WANT_CLICK, &r), SEL_OK);
    CHECK_INT(sel_click(*pp, &r, 5000, err, sizeof err), SEL_OK);
    sel_result_clear(&r);
    deadline = ut_now_ms() + 10000;
    while (!(moved = sel_page_follow_popup(pp, &po, 10000)) &&
           ut_now_ms() < deadline)
        cdp_pump(cdp_session_conn(sel_page_session(*pp)), 50, 0);
    CHECK_INT(moved, 1);
    CHECK_CONTAINS(sel_page_url(*pp), "/new.html");
    CHECK_INT(sel_wait_text(*pp, "The new tab is here", 5000, err,
                            sizeof err), SEL_OK);
}

int main(void)
{
    struct cdp_found f;
    struct cdp_launch_opts o = { 0 };
    struct cdp_browser *br = NULL;
    struct cdp_conn *c = NULL;
    struct cdp_session *s = NULL;
    struct sel_page *p = NULL;
    const char *tmp = getenv("TMPDIR");

    signal(SIGPIPE, SIG_IGN);
    snprintf(dir, sizeof dir, "%s/cdpilot-wait-XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        CHECK_MSG(0, "mkdtemp %s", dir);
        return T_DONE();
    }
    if (cdp_find_browser(getenv("CDPILOT_TEST_CHROME"), NULL, &f, err,
                         sizeof err) == CDP_OK) {
        o.path = f.path;
        o.headless = 1;
        o.width = 1000;
        o.height = 700;
        o.timeout_ms = 30000;
        CHECK_INT(cdp_launch(&o, &br, err, sizeof err), CDP_OK);
    } else {
        CHECK_MSG(0, "no browser: %s", err);
    }
    if (br)
        CHECK_INT(cdp_connect(cdp_browser_ws_url(br), 30000, &c, err,
                              sizeof err), CDP_OK);
    if (c && cdp_new_page(c, NULL, &s) == CDP_OK)
        CHECK_INT(sel_page_open(s, NULL, &p, err, sizeof err), SEL_OK);
    if (p) {
        test_text_js_url(p);
        test_hidden_count(p);
        test_value(p);
        test_scroll_html(p);
        test_popup(&p);
    }
    sel_page_close(p);
    cdp_browser_close(br, c, 3000);
    cdp_conn_close(c);
    ut_rm_rf(dir);
    return T_DONE();
}
