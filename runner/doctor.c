/* doctor.c -- `cdpilot doctor`: finds and checks what a run needs, one
 * line each: the profile, the browser (launched headless, --connect, or
 * one session of --grid, ended before it returns),
 * a CDP round trip, the cache file, the LLM settings. Exit 0 when all is
 * well, else the code a run would have failed with. */
#include "exec_int.h"
#include "../cdp/cdp.h"
#include "../cache/cache.h"
#include "../grid/grid.h"
#include "../llm/llm.h"
#include "../util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One doctor line: "  ok  browser   /usr/bin/chromium (PATH)". */
static void line(int ok, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void line(int ok, const char *what, const char *fmt, ...)
{
    va_list ap;
    char buf[2048], *r;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    r = run_redact(buf);        /* an endpoint's token, never printed */
    printf("%s %-9s %s\n", ok ? "  ok " : "  FAIL", what, r ? r : "***");
    free(r);
}

/* --grid: one session made, as a run makes it, and connected to; its id
 * into SID (ended by the caller). RUN_EXIT_OK or RUN_EXIT_BROWSER. */
static int check_grid(const struct run_opts *o,
                      const struct run_profile *prof, struct cdp_conn **c,
                      char *sid, size_t sidlen)
{
    struct grid_opts go;
    struct grid_session s;
    char err[RUN_ERR_LEN];
    const char *cdp = o->grid;
    int64_t t0 = ut_now_us();

    memset(&go, 0, sizeof go);
    go.timeout_ms = prof->grid_timeout_ms;
    go.headless = 1;
    go.width = prof->width;
    go.height = prof->height;
    go.args = (const char *const *)prof->args;
    go.nargs = prof->nargs;
    if (grid_kind_of(o->grid, NULL, 0) == GRID_WEBDRIVER) {
        if (grid_session_new(o->grid, &go, &s, err, sizeof err)) {
            line(0, "grid", "%s", err);
            return RUN_EXIT_BROWSER;
        }
        ut_strlcpy(sid, s.id, sidlen);
        cdp = s.cdp;
    }
    if (cdp_connect(cdp, go.timeout_ms > 0 ? go.timeout_ms : 20000, c, err,
                    sizeof err)) {
        line(0, "grid", "%s", err);
        return RUN_EXIT_BROWSER;
    }
    line(1, "grid", "%s: %s%s in %.1f ms", o->grid, *sid ? "session " :
         "a browser", sid, (ut_now_us() - t0) / 1000.0);
    return RUN_EXIT_OK;
}

/* Launches the profile's browser headless (or connects to --connect)
 * into *B and *C; RUN_EXIT_OK or RUN_EXIT_BROWSER (the line printed). */
static int check_browser(const struct run_opts *o,
                         const struct run_profile *prof,
                         struct cdp_browser **b, struct cdp_conn **c)
{
    struct cdp_launch_opts lo;
    struct cdp_found f;
    char err[RUN_ERR_LEN];
    int64_t t0 = ut_now_us();

    if (o->connect) {
        if (cdp_connect(o->connect, 10000, c, err, sizeof err)) {
            line(0, "connect", "%s", err);
            return RUN_EXIT_BROWSER;
        }
        line(1, "connect", "%s in %.1f ms", o->connect,
             (ut_now_us() - t0) / 1000.0);
        return RUN_EXIT_OK;
    }
    if (cdp_find_browser(o->chrome, prof->chrome, &f, err, sizeof err)) {
        line(0, "browser", "%s", err);
        return RUN_EXIT_BROWSER;
    }
    line(1, "browser", "%s (chosen by %s)", f.path, f.why);
    memset(&lo, 0, sizeof lo);
    lo.path = f.path;
    lo.headless = 1;
    lo.args = (const char *const *)prof->args;
    lo.nargs = prof->nargs;
    lo.timeout_ms = prof->launch_timeout_ms > 0 ? prof->launch_timeout_ms
                                                : 20000;
    t0 = ut_now_us();
    if (cdp_launch(&lo, b, err, sizeof err) ||
        cdp_connect(cdp_browser_ws_url(*b), lo.timeout_ms, c, err,
                    sizeof err)) {
        line(0, "launch", "%s", err);
        return RUN_EXIT_BROWSER;
    }
    line(1, "launch", "headless in %.0f ms, DevTools on 127.0.0.1 "
         "only, sandbox %s", (ut_now_us() - t0) / 1000.0,
         cdp_browser_no_sandbox(*b) ? "off (running as root)" : "on");
    return RUN_EXIT_OK;
}

/* The version pin (--browser-version, else the profile's) against the
 * browser's version PRODUCT; RUN_EXIT_OK or RUN_EXIT_BROWSER, as a run. */
static int check_pin(const struct run_opts *o,
                     const struct run_profile *prof, const char *product)
{
    const char *spec = o->browser_version ? o->browser_version
                                          : prof->browser_version;
    struct run_pin pin;
    char err[RUN_ERR_LEN];

    if (!spec) {
        line(1, "pin", "none: any browser version runs (browser.version, "
             "--browser-version)");
        return RUN_EXIT_OK;
    }
    if (run_pin_parse(spec, &pin, err, sizeof err)) {
        line(0, "pin", "%s", err);
        return RUN_EXIT_USAGE;
    }
    if (run_pin_match(&pin, product)) {
        line(1, "pin", "\"%s\" (%s): %s matches", pin.text,
             o->browser_version ? "--browser-version" : "profile", product);
        return RUN_EXIT_OK;
    }
    line(0, "pin", "\"%s\" (%s): %s does not match", pin.text,
         o->browser_version ? "--browser-version" : "profile", product);
    return RUN_EXIT_BROWSER;
}

/* The browser's version and one CDP round trip over C. */
static int check_cdp(struct cdp_conn *c)
{
    const struct cdp_version *v = cdp_conn_version(c);
    int64_t t0 = ut_now_us();
    cdp_code rc = cdp_call(cdp_browser_session(c), "Browser.getVersion",
                           NULL, 5000, NULL);

    line(1, "version", "%s, protocol %s", v->product, v->protocol);
    if (rc != CDP_OK) {
        line(0, "cdp", "%s", cdp_errmsg(c));
        return RUN_EXIT_BROWSER;
    }
    line(1, "cdp", "round trip %.0f us", (double)(ut_now_us() - t0));
    return RUN_EXIT_OK;
}

/* The cache file opens, writable; RUN_EXIT_OK, or the code a run would
 * fail with (a lock is temporary, not bad usage). */
static int check_cache(const struct run_opts *o,
                       const struct run_profile *prof)
{
    const char *path = o->cache_path ? o->cache_path
                       : getenv("CDPILOT_CACHE") ? getenv("CDPILOT_CACHE")
                       : prof->cache_path;
    struct cache *cache = NULL;
    struct cache_stats st;
    char err[RUN_ERR_LEN];
    cache_code crc;

    if (o->no_cache) {
        line(1, "cache", "disabled (--no-cache)");
        return RUN_EXIT_OK;
    }
    crc = cache_open(path, 2000, &cache, err, sizeof err);
    if (crc != CACHE_OK) {
        line(0, "cache", "%s", err);
        return crc == CACHE_E_BUSY ? RUN_EXIT_FAILED : RUN_EXIT_USAGE;
    }
    memset(&st, 0, sizeof st);
    cache_stats(cache, &st);
    line(1, "cache", "%s (%lld entries, writable)", cache_path(cache),
         (long long)st.entries);
    cache_close(cache);
    return RUN_EXIT_OK;
}

static void check_llm(const struct run_opts *o,
                      const struct run_profile *prof)
{
    struct llm_config lc;

    memset(&lc, 0, sizeof lc);
    lc.url = prof->llm_url;
    lc.model = prof->llm_model;
    if (o->no_llm)
        line(1, "llm", "disabled (--no-llm)");
    else if (llm_config_from_env(&lc))
        line(1, "llm", "%s at %s (key %s)", lc.model, lc.url,
             lc.api_key || (prof->llm_key_env && getenv(prof->llm_key_env))
             ? "set" : "not set");
    else
        line(1, "llm", "not configured: uncertain plain-words targets fail "
             "with exit 4 (set CDPILOT_LLM_URL and CDPILOT_LLM_MODEL)");
}

int run_doctor(const struct run_opts *o)
{
    struct run_profile prof;
    struct cdp_browser *b = NULL;
    struct cdp_conn *c = NULL;
    char err[RUN_ERR_LEN], dir[4096];
    char sid[GRID_ID_MAX] = "";
    int bad, code, rc;

    if ((o->connect && run_secret_add_url(o->connect)) ||
        (o->grid && run_secret_add_url(o->grid))) {
        line(0, "connect", "out of memory");
        return RUN_EXIT_BROWSER;
    }
    if (run_profile_load(o->profile ? o->profile : "default", &prof, err,
                         sizeof err)) {
        line(0, "profile", "%s", err);
        return RUN_EXIT_USAGE;
    }
    line(1, "profile", "%s (profiles from %s)", prof.name,
         run_profiles_dir(dir, sizeof dir));
    code = o->grid ? check_grid(o, &prof, &c, sid, sizeof sid)
                   : check_browser(o, &prof, &b, &c);
    if (c && code == RUN_EXIT_OK)
        code = check_cdp(c);
    if (c && code == RUN_EXIT_OK)
        code = check_pin(o, &prof, cdp_conn_version(c)->product);
    cdp_browser_close(b, c, 3000);
    cdp_conn_close(c);
    if (*sid && grid_session_delete(o->grid, sid, 10000, err, sizeof err))
        line(0, "grid", "%s", err);
    bad = code != RUN_EXIT_OK;
    rc = check_cache(o, &prof);
    bad |= rc != RUN_EXIT_OK;
    if (!code)
        code = rc;
    check_llm(o, &prof);
    run_profile_free(&prof);
    printf("%s\n", bad ? "doctor: problems found" : "doctor: all good");
    return code;
}
