/* test_runner_profile.c -- profiles: built-in defaults, every shipped
 * profile loads with its documented differences, files by path, and bad
 * profiles are rejected naming the file and the field. Run from the
 * repository root (CDPILOT_PROFILES is pointed at ./profiles). */
#include "../t.h"
#include "../../runner/runner.h"
#include "../../util/util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[64];

static void test_defaults(void)
{
    struct run_profile p;

    run_profile_defaults(&p);
    CHECK_INT(p.headless, 1);
    CHECK_INT(p.width, 1280);
    CHECK_INT(p.height, 720);
    CHECK(p.scale == 1.0);
    CHECK_INT(p.timeout_ms, 5000);
    CHECK_INT(p.nav_timeout_ms, 0);   /* not set: --timeout, else 30 s */
    CHECK_INT(p.launch_timeout_ms, 20000);
    CHECK_INT(p.retries, 0);
    CHECK_INT(p.backoff_ms, 200);
    CHECK(p.min_confidence == 0.6 && p.min_margin == 0.15);
    CHECK_STR(p.dialog, "dismiss");
    CHECK_INT(p.llm_timeout_ms, 30000);
    CHECK_INT(p.llm_max_calls, 20);
    CHECK_INT(p.llm_max_tokens, 50000);
    CHECK_INT(p.llm_retries, 2);
    CHECK_INT(p.llm_breaker_after, 3);
    CHECK(p.llm_min_confidence == 0.5);
    CHECK_STR(p.llm_key_env, "CDPILOT_LLM_API_KEY");
    CHECK(p.chrome == NULL && p.user_agent == NULL && p.llm_url == NULL);
    CHECK_INT(p.no_cache, 0);
    run_profile_free(&p);
    CHECK(p.name == NULL && p.dialog == NULL);
}

static void test_shipped(void)
{
    struct run_profile d, p;
    char err[RUN_ERR_LEN] = "";

    /* default.json writes out the built-in defaults, exactly. */
    CHECK_INT(run_profile_load("default", &p, err, sizeof err), 0);
    CHECK_STR(err, "");
    run_profile_defaults(&d);
    CHECK_STR(p.name, "default");
    CHECK_INT(p.headless, d.headless);
    CHECK_INT(p.width, d.width);
    CHECK_INT(p.height, d.height);
    CHECK(p.scale == d.scale);
    CHECK_INT(p.timeout_ms, d.timeout_ms);
    CHECK_INT(p.nav_timeout_ms, d.nav_timeout_ms);
    CHECK_INT(p.launch_timeout_ms, d.launch_timeout_ms);
    CHECK_INT(p.retries, d.retries);
    CHECK_INT(p.backoff_ms, d.backoff_ms);
    CHECK(p.min_confidence == d.min_confidence);
    CHECK(p.min_margin == d.min_margin);
    CHECK_STR(p.dialog, d.dialog);
    CHECK_INT(p.llm_max_calls, d.llm_max_calls);
    CHECK_INT(p.llm_max_tokens, d.llm_max_tokens);
    CHECK_INT(p.nargs, 0);
    run_profile_free(&p);

    CHECK_INT(run_profile_load("ci", &p, err, sizeof err), 0);
    CHECK_STR(p.name, "ci");
    CHECK(p.timeout_ms < d.timeout_ms);
    CHECK_INT(p.nav_timeout_ms, 20000);
    CHECK_INT(p.retries, 1);
    CHECK_INT(p.headless, 1);
    CHECK_INT(p.restart_browser, 1);
    CHECK_INT(p.nargs, 1);
    if (p.nargs == 1)
        CHECK_STR(p.args[0], "--disable-dev-shm-usage");
    CHECK_INT(p.llm_max_calls, 10);
    CHECK_INT(p.llm_retries, d.llm_retries);   /* from "extends" */
    run_profile_free(&p);

    CHECK_INT(run_profile_load("debug", &p, err, sizeof err), 0);
    CHECK_INT(p.headless, 0);
    CHECK_INT(p.slow_mo_ms, 250);
    CHECK(p.timeout_ms > d.timeout_ms);
    CHECK_INT(p.nav_timeout_ms, 60000);
    run_profile_free(&p);

    CHECK_INT(run_profile_load("mobile", &p, err, sizeof err), 0);
    CHECK_INT(p.width, 390);
    CHECK_INT(p.height, 844);
    CHECK(p.scale == 3.0);
    CHECK_INT(p.mobile, 1);
    CHECK_INT(p.touch, 1);
    CHECK_CONTAINS(p.user_agent, "iPhone");
    CHECK_INT(p.headless, 1);
    run_profile_free(&p);

    /* By path, and NULL/"" mean "default". */
    CHECK_INT(run_profile_load("profiles/mobile.json", &p, err, sizeof err),
              0);
    CHECK_STR(p.name, "mobile");
    CHECK_INT(p.width, 390);
    run_profile_free(&p);
    CHECK_INT(run_profile_load(NULL, &p, err, sizeof err), 0);
    CHECK_STR(p.name, "default");
    run_profile_free(&p);
    run_profile_free(&d);
}

/* Writes TEXT to TMPDIR/NAME; returns the path (static buffer). */
static const char *write_tmp(const char *name, const char *text)
{
    static char path[256];

    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    CHECK_INT(ut_write_file(path, text, strlen(text), 0644), 0);
    return path;
}

static void expect_bad(const char *name, const char *text, const char *msg)
{
    struct run_profile p;
    char err[RUN_ERR_LEN] = "", file[256];
    const char *path = write_tmp(name, text);

    ut_strlcpy(file, path, sizeof file);
    CHECK_MSG(run_profile_load(file, &p, err, sizeof err) == -1,
              "%s accepted", name);
    CHECK_MSG(strstr(err, msg) != NULL, "%s: \"%s\" lacks \"%s\"", name, err,
              msg);
    CHECK_MSG(strstr(err, name) != NULL, "%s: file not named: %s", name,
              err);
    CHECK(p.name == NULL && p.dialog == NULL);   /* left empty */
    run_profile_free(&p);
}

static void test_bad(void)
{
    struct run_profile p;
    char err[RUN_ERR_LEN];

    expect_bad("unknown.json", "{\"headles\": true}",
               "unknown key \"headles\" (did you mean \"headless\"?)");
    expect_bad("nested.json", "{\"viewport\": {\"widht\": 3}}",
               "unknown key \"viewport.widht\" (did you mean "
               "\"viewport.width\"?)");
    expect_bad("type.json", "{\"viewport\": {\"width\": \"wide\"}}",
               "field \"viewport.width\": expected an integer 1..16384, got "
               "a string");
    expect_bad("range.json", "{\"timeouts\": {\"step_ms\": 9999999}}",
               "field \"timeouts.step_ms\": expected an integer 0..600000, "
               "got 9999999");
    expect_bad("nav.json", "{\"timeouts\": {\"navigation_ms\": \"30s\"}}",
               "field \"timeouts.navigation_ms\": expected an integer "
               "1..600000 or null, got a string");
    expect_bad("nav0.json", "{\"timeouts\": {\"navigation_ms\": 0}}",
               "field \"timeouts.navigation_ms\": expected an integer "
               "1..600000 or null, got 0");
    expect_bad("navbig.json", "{\"timeouts\": {\"navigation_ms\": 1e9}}",
               "field \"timeouts.navigation_ms\": expected an integer "
               "1..600000 or null, got 1000000000");
    expect_bad("frac.json", "{\"retries\": {\"count\": 1.5}}",
               "field \"retries.count\": expected an integer");
    expect_bad("bool.json", "{\"headless\": \"no\"}",
               "field \"headless\": expected true or false, got a string");
    expect_bad("group.json", "{\"llm\": 5}",
               "field \"llm\": expected an object, got a number");
    expect_bad("dialog.json", "{\"dialogs\": \"maybe\"}",
               "field \"dialogs\": expected \"accept\" or \"dismiss\"");
    expect_bad("key.json", "{\"llm\": {\"api_key\": \"sk-123\"}}",
               "field \"llm.api_key\": keys do not belong in profiles");
    expect_bad("url.json", "{\"llm\": {\"url\": \"ftp://x\"}}",
               "field \"llm.url\": expected an http:// or https:// URL");
    expect_bad("url2.json", "{\"llm\": {\"url\": \"http:///v1\"}}",
               "field \"llm.url\": expected an http:// or https:// URL or "
               "null, got \"http:///v1\": no host");
    expect_bad("args.json", "{\"args\": [\"--a\", 5]}",
               "field \"args\": expected non-empty strings, got a number");
    expect_bad("scale.json", "{\"device_scale_factor\": 0}",
               "field \"device_scale_factor\": expected a number 0.1..10");
    expect_bad("syntax.json", "{\n  \"headless\": tru\n}",
               "syntax.json:2:15: invalid JSON");
    expect_bad("array.json", "[]", "expected a JSON object");
    expect_bad("nul.json", "{\"user_agent\": \"Bot\\u0000/1\"}",
               "nul.json:1:20: \\u0000 in a string");
    expect_bad("dup.json", "{\"headless\": true, \"headless\": false}",
               "duplicate key \"headless\"");
    expect_bad("envname.json", "{\"llm\": {\"api_key_env\": \"MY KEY\"}}",
               "field \"llm.api_key_env\": expected an environment "
               "variable name");
    expect_bad("extpath.json", "{\"extends\": \"../x.json\"}",
               "field \"extends\": expected a profile name, not a path");
    /* A loop through "extends" stops at the depth limit. */
    setenv("CDPILOT_PROFILES", tmpdir, 1);
    write_tmp("loopa.json", "{\"extends\": \"loopb\"}");
    write_tmp("loopb.json", "{\"extends\": \"loopa\"}");
    CHECK_INT(run_profile_load("loopa", &p, err, sizeof err), -1);
    CHECK_CONTAINS(err, "chain deeper than");
    write_tmp("orphan.json", "{\"extends\": \"nothere\"}");
    CHECK_INT(run_profile_load("orphan", &p, err, sizeof err), -1);
    CHECK_CONTAINS(err, "profile \"nothere\" not found in");
    CHECK_CONTAINS(err, "available:");
    /* "extends" applies the parent first, the child's keys win. */
    write_tmp("child.json", "{\"extends\": \"parent\", \"slow_mo_ms\": 7}");
    write_tmp("parent.json", "{\"slow_mo_ms\": 5, \"mobile\": true, "
              "\"user_agent\": \"UA\", \"args\": [\"--x\"]}");
    CHECK_INT(run_profile_load("child", &p, err, sizeof err), 0);
    CHECK_INT(p.slow_mo_ms, 7);
    CHECK_INT(p.mobile, 1);
    CHECK_STR(p.user_agent, "UA");
    CHECK_STR(p.name, "child");
    run_profile_free(&p);
    /* null clears a string; cache.enabled false sets no_cache. */
    write_tmp("nulls.json", "{\"extends\": \"parent\", \"user_agent\": null,"
              " \"cache\": {\"enabled\": false, \"path\": \"/tmp/c.db\"}, "
              "\"args\": []}");
    CHECK_INT(run_profile_load("nulls", &p, err, sizeof err), 0);
    CHECK(p.user_agent == NULL);
    CHECK_INT(p.no_cache, 1);
    CHECK_STR(p.cache_path, "/tmp/c.db");
    CHECK_INT(p.nargs, 0);
    run_profile_free(&p);
    /* null unsets the navigation timeout a parent set. */
    write_tmp("navnull.json", "{\"extends\": \"navset\", \"timeouts\": "
              "{\"navigation_ms\": null}}");
    write_tmp("navset.json", "{\"timeouts\": {\"navigation_ms\": 2500}}");
    CHECK_INT(run_profile_load("navset", &p, err, sizeof err), 0);
    CHECK_INT(p.nav_timeout_ms, 2500);
    run_profile_free(&p);
    CHECK_INT(run_profile_load("navnull", &p, err, sizeof err), 0);
    CHECK_INT(p.nav_timeout_ms, 0);
    run_profile_free(&p);
    /* No default.json at all: "default" is the built-in defaults. */
    CHECK_INT(run_profile_load("default", &p, err, sizeof err), 0);
    CHECK_STR(p.name, "default");
    CHECK_INT(p.width, 1280);
    run_profile_free(&p);
    CHECK_INT(run_profile_load("no such", &p, err, sizeof err), -1);
    CHECK_CONTAINS(err, "bad profile name");
    CHECK_INT(run_profile_load("/nonexistent/x.json", &p, err, sizeof err),
              -1);
    CHECK_CONTAINS(err, "/nonexistent/x.json");
    unsetenv("CDPILOT_PROFILES");
}

static void test_dir(void)
{
    char buf[PATH_MAX], path[PATH_MAX + 32];

    setenv("CDPILOT_PROFILES", "/some/where", 1);
    CHECK_STR(run_profiles_dir(buf, sizeof buf), "/some/where");
    unsetenv("CDPILOT_PROFILES");
    run_profiles_dir(buf, sizeof buf);
    /* Next to build/ (build/cdpilot, build/tests/x) or the system dir. */
    if (strcmp(buf, "/usr/local/share/cdpilot/profiles") != 0) {
        snprintf(path, sizeof path, "%s/default.json", buf);
        CHECK_MSG(access(path, R_OK) == 0, "%s", path);
    } else {
        CHECK(1);
    }
}

int main(void)
{
    char cwd[PATH_MAX], dir[PATH_MAX + 16];

    /* Shipped profiles are read from this checkout. */
    if (getcwd(cwd, sizeof cwd)) {
        snprintf(dir, sizeof dir, "%s/profiles", cwd);
        setenv("CDPILOT_PROFILES", dir, 1);
    }
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cdpilot-proftest-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_defaults();
    test_shipped();
    if (getcwd(cwd, sizeof cwd))
        setenv("CDPILOT_PROFILES", dir, 1);
    test_bad();
    test_dir();
    ut_rm_rf(tmpdir);
    return T_DONE();
}
