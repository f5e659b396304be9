/* test_runner_conf.c -- run_conf_fill: the one place a profile and the
 * command line become the option structs of cdp/, selectors/ and llm/,
 * with the documented precedence of bounds (docs/PROFILES.md, TASKS.md)
 * and cache paths. Pure: no browser. */
#include "../t.h"
#include "../../runner/exec_int.h"
#include "../../util/util.h"

#include <stdlib.h>
#include <string.h>

static void opts_init(struct run_opts *o)
{
    memset(o, 0, sizeof *o);
    o->timeout_ms = -1;
}

static void test_defaults(void)
{
    struct run_profile p;
    struct run_opts o;
    struct run_conf c;

    run_profile_defaults(&p);
    opts_init(&o);
    unsetenv("CDPILOT_CACHE");
    run_conf_fill(&c, &p, &o);
    CHECK_INT(c.launch_ms, 20000);
    CHECK_INT(c.launch.timeout_ms, 20000);
    CHECK_INT(c.launch.headless, 1);
    CHECK_INT(c.launch.width, 1280);
    CHECK_INT(c.launch.height, 720);
    CHECK(c.launch.path == NULL);          /* found when the browser starts */
    CHECK(c.launch.user_data_dir == NULL && c.launch.nargs == 0);
    CHECK_INT(c.step_ms, 5000);
    CHECK_INT(c.nav_ms, RUN_NAV_TIMEOUT_MS);
    CHECK_STR(c.page.dialog, "dismiss");
    CHECK_INT(c.page.width, 1280);
    CHECK_INT(c.page.height, 720);
    CHECK(c.page.scale == 1.0);
    CHECK(!c.page.mobile && !c.page.touch && c.page.user_agent == NULL);
    CHECK(c.sel.min_confidence == 0.6 && c.sel.min_margin == 0.15);
    CHECK(c.sel.llm_min_confidence == 0.5);
    CHECK_INT(c.sel.nth, -1);
    CHECK_INT(c.sel.explain, 0);
    /* made at setup, set per resolution: not the profile's to fill */
    CHECK(!c.sel.cache && !c.sel.hx && !c.sel.llm && !c.sel.step_kind);
    CHECK(c.llm.url == NULL && c.llm.model == NULL);
    CHECK_INT(c.llm.timeout_ms, 30000);
    CHECK_INT(c.llm.max_calls, 20);
    CHECK_INT(c.llm.max_tokens, 50000);
    CHECK_INT(c.llm.retries, 2);
    CHECK_INT(c.llm.breaker_after, 3);
    CHECK_INT(c.llm.backoff_ms, 500);
    CHECK_INT(c.llm.json_mode, 1);
    CHECK(c.cache_path == NULL);
    run_profile_free(&p);
}

static void test_profile_values(void)
{
    struct run_profile p;
    struct run_opts o;
    struct run_conf c;
    char *args[2] = { (char *)"--lang=fr", (char *)"--mute-audio" };

    run_profile_defaults(&p);
    p.width = 390;
    p.height = 844;
    p.scale = 3;
    p.mobile = p.touch = 1;
    p.user_agent = (char *)"Phone/1.0";
    p.user_data_dir = (char *)"/srv/profile";
    p.args = args;
    p.nargs = 2;
    p.launch_timeout_ms = 9000;
    p.timeout_ms = 7000;
    p.min_confidence = 0.7;
    p.llm_url = (char *)"http://127.0.0.1:9/v1";
    p.llm_model = (char *)"m";
    free(p.llm_key_env);
    p.llm_key_env = (char *)"TEST_RUNNER_CONF_KEY";
    p.cache_path = (char *)"/srv/profile.db";
    setenv("TEST_RUNNER_CONF_KEY", "k-123", 1);
    opts_init(&o);
    o.verbose = 1;
    run_conf_fill(&c, &p, &o);
    CHECK_INT(c.launch.width, 390);
    CHECK_STR(c.launch.user_data_dir, "/srv/profile");
    CHECK_INT(c.launch.nargs, 2);
    CHECK_STR(c.launch.args[1], "--mute-audio");
    CHECK_INT(c.launch_ms, 9000);
    CHECK_INT(c.step_ms, 7000);
    /* a tab a click opens gets the same device as the first page */
    CHECK(c.page.scale == 3 && c.page.mobile && c.page.touch);
    CHECK_STR(c.page.user_agent, "Phone/1.0");
    CHECK(c.sel.min_confidence == 0.7);
    CHECK_INT(c.sel.explain, 1);
    CHECK_STR(c.llm.url, "http://127.0.0.1:9/v1");
    CHECK_STR(c.llm.api_key, "k-123");
    CHECK_STR(c.cache_path, "/srv/profile.db");
    unsetenv("TEST_RUNNER_CONF_KEY");
    run_conf_fill(&c, &p, &o);
    CHECK(c.llm.api_key == NULL);
    /* --headful wins over the profile */
    o.headful = 1;
    run_conf_fill(&c, &p, &o);
    CHECK_INT(c.launch.headless, 0);
    p.user_agent = p.user_data_dir = p.llm_url = p.llm_model = NULL;
    p.llm_key_env = p.cache_path = NULL;
    p.args = NULL;
    p.nargs = 0;
    run_profile_free(&p);
}

/* Bounds: a step's --timeout wins over the profile's step_ms; the
 * profile's navigation_ms wins over --timeout; else 30 s. Cache: --cache,
 * then $CDPILOT_CACHE, then the profile's. */
static void test_precedence(void)
{
    struct run_profile p;
    struct run_opts o;
    struct run_conf c;

    run_profile_defaults(&p);
    opts_init(&o);
    p.timeout_ms = 0;                      /* 0: the built-in 5 s */
    run_conf_fill(&c, &p, &o);
    CHECK_INT(c.step_ms, 5000);
    o.timeout_ms = 1500;
    run_conf_fill(&c, &p, &o);
    CHECK_INT(c.step_ms, 1500);
    CHECK_INT(c.nav_ms, 1500);
    o.timeout_ms = 0;                      /* --timeout 0: check once */
    run_conf_fill(&c, &p, &o);
    CHECK_INT(c.step_ms, 0);
    CHECK_INT(c.nav_ms, 0);
    p.nav_timeout_ms = 3000;
    o.timeout_ms = 1000;
    run_conf_fill(&c, &p, &o);
    CHECK_INT(c.nav_ms, 3000);
    CHECK_INT(c.step_ms, 1000);
    p.launch_timeout_ms = 0;
    run_conf_fill(&c, &p, &o);
    CHECK_INT(c.launch_ms, 20000);

    p.cache_path = (char *)"/p.db";
    setenv("CDPILOT_CACHE", "/env.db", 1);
    run_conf_fill(&c, &p, &o);
    CHECK_STR(c.cache_path, "/env.db");
    o.cache_path = "/cli.db";
    run_conf_fill(&c, &p, &o);
    CHECK_STR(c.cache_path, "/cli.db");
    unsetenv("CDPILOT_CACHE");
    o.cache_path = NULL;
    run_conf_fill(&c, &p, &o);
    CHECK_STR(c.cache_path, "/p.db");
    p.cache_path = NULL;
    run_profile_free(&p);
}

int main(void)
{
    test_defaults();
    test_profile_values();
    test_precedence();
    return T_DONE();
}
