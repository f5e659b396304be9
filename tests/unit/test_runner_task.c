/* test_runner_task.c -- task files: the good fixtures parse into the
 * expected model, every tests/bad/NN-name.json is rejected with the
 * message in its .expect sidecar (and names the file), generated
 * pathological inputs (huge, too many steps, deep nesting) are rejected
 * cleanly, and ${…} expansion. Run from the repository root. */
#include "../t.h"
#include "../../runner/runner.h"
#include "../../util/util.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#define MAX_READ (32u * 1024 * 1024)

static int parse_file(const char *path, const struct run_vars *known,
                      struct run_task *t, char *err, size_t errlen)
{
    size_t len;
    char *buf = ut_read_file(path, MAX_READ, &len, err, errlen);
    int rc;

    if (!buf) {
        memset(t, 0, sizeof *t);
        return -2;
    }
    rc = run_task_parse(path, buf, len, known, t, err, errlen);
    free(buf);
    return rc;
}

static int parse_str(const char *json, struct run_task *t, char *err)
{
    return run_task_parse("mem.json", json, strlen(json), NULL, t, err,
                          RUN_ERR_LEN);
}

static void test_w1_fixture(void)
{
    struct run_task t;
    char err[RUN_ERR_LEN] = "";

    CHECK_INT(parse_file("tests/good/w1-login.json", NULL, &t, err,
                         sizeof err), 0);
    CHECK_STR(err, "");
    CHECK_INT(t.nsteps, 5);
    if (t.nsteps == 5) {
        CHECK_STR(t.name, "bench W1 cold login");
        CHECK_STR(t.file, "tests/good/w1-login.json");
        CHECK_STR(run_vars_get(&t.vars, "base")->value,
                  "http://127.0.0.1:8080");
        CHECK_INT(t.steps[0].kind, RUN_GOTO);
        CHECK_STR(t.steps[0].value, "${base}/login.html");
        CHECK_INT(t.steps[1].kind, RUN_FILL);
        CHECK_STR(t.steps[1].target, "label=Email");
        CHECK_STR(t.steps[1].value, "alice@example.com");
        CHECK_INT(t.steps[3].kind, RUN_CLICK);
        CHECK_STR(t.steps[3].target, "role=button[name=\"Sign in\"]");
        CHECK_INT(t.steps[4].kind, RUN_WAIT_FOR);
        CHECK_INT(t.steps[4].cond, RUN_COND_TEXT);
        CHECK_STR(t.steps[4].value, "Welcome, alice@example.com");
        CHECK(t.profile == NULL && t.base_url == NULL);
        CHECK_INT(t.steps[2].index, 2);
        CHECK_INT(t.steps[2].timeout_ms, -1);
        CHECK_INT(t.steps[2].retries, -1);
        CHECK_INT(t.steps[2].nth, -1);
        CHECK_INT(t.steps[2].idempotent, 1);
    }
    run_task_free(&t);
    CHECK(t.steps == NULL && t.nsteps == 0 && t.file == NULL);
}

static void test_all_kinds(void)
{
    static const enum run_kind kinds[] = {
        RUN_GOTO, RUN_FILL, RUN_FILL, RUN_PRESS, RUN_SELECT, RUN_CHECK,
        RUN_UNCHECK, RUN_HOVER, RUN_CLICK, RUN_SCROLL, RUN_SCROLL,
        RUN_SCROLL, RUN_WAIT_FOR, RUN_WAIT_FOR, RUN_WAIT_FOR, RUN_WAIT_FOR,
        RUN_ASSERT, RUN_ASSERT, RUN_ASSERT, RUN_ASSERT, RUN_ASSERT,
        RUN_ASSERT, RUN_ASSERT, RUN_EXTRACT, RUN_EXTRACT, RUN_EVAL,
        RUN_EVAL, RUN_GOTO, RUN_SCREENSHOT, RUN_UPLOAD, RUN_DOWNLOAD,
        RUN_ASSERT, RUN_SAVE_STATE, RUN_LOAD_STATE, RUN_SWITCH_TAB,
        RUN_CLOSE_TAB
    };
    const size_t nk = sizeof kinds / sizeof kinds[0];
    struct run_task t;
    struct run_step *s;
    char err[RUN_ERR_LEN] = "";
    size_t i;
    int seen[RUN_KIND_COUNT] = { 0 };

    CHECK_INT(parse_file("tests/good/all-kinds.json", NULL, &t, err,
                         sizeof err), 0);
    CHECK_STR(err, "");
    CHECK_INT(t.nsteps, nk);
    if (t.nsteps != nk) {
        run_task_free(&t);
        return;
    }
    for (i = 0; i < nk; i++) {
        CHECK_INT(t.steps[i].kind, kinds[i]);
        seen[t.steps[i].kind] = 1;
    }
    for (i = 0; i < RUN_KIND_COUNT; i++)
        CHECK_MSG(seen[i], "kind %s not covered", run_kind_name(i));
    s = t.steps;
    CHECK_STR(t.name, "every step kind");
    CHECK_STR(t.profile, "ci");
    CHECK_STR(t.base_url, "http://127.0.0.1:8080");
    CHECK_STR(run_vars_get(&t.vars, "n")->value, "3");
    CHECK_STR(run_vars_get(&t.vars, "ratio")->value, "0.5");
    CHECK_STR(run_vars_get(&t.vars, "flag")->value, "true");
    CHECK_STR(s[0].id, "open");
    CHECK_STR(s[0].value, "/login");
    CHECK_STR(s[0].note, "relative to base_url");
    CHECK_INT(s[0].timeout_ms, 10000);
    CHECK_INT(s[2].secret, 1);
    CHECK_INT(s[1].secret, 0);
    CHECK_STR(s[3].value, "Control+A Backspace Tab");
    CHECK_STR(s[4].target, "label=Country");
    CHECK_STR(s[4].value, "Norway");
    CHECK_INT(s[8].retries, 2);
    CHECK_INT(s[8].optional, 1);
    CHECK_INT(s[8].idempotent, 0);
    CHECK_INT(s[8].nth, 0);
    CHECK_STR(s[9].value, "down");
    CHECK(s[9].target == NULL);
    CHECK(s[10].target == NULL && s[10].value == NULL);
    CHECK_INT(s[10].scroll_x, 0);
    CHECK_INT(s[10].scroll_y, 400);
    CHECK_STR(s[11].target, "placeholder=Search");
    CHECK_INT(s[12].cond, RUN_COND_TEXT);
    CHECK_INT(s[12].timeout_ms, 15000);
    CHECK_INT(s[13].cond, RUN_COND_URL);
    CHECK_STR(s[13].value, "/home$");
    CHECK_INT(s[14].cond, RUN_COND_JS);
    CHECK_INT(s[15].cond, RUN_COND_TARGET);
    CHECK_STR(s[15].target, "xpath=//h1");
    CHECK_INT(s[16].cond, RUN_COND_TEXT);
    CHECK_INT(s[17].cond, RUN_COND_URL);
    CHECK_INT(s[18].cond, RUN_COND_VISIBLE);
    CHECK_STR(s[18].target, "Log out link");
    CHECK_INT(s[19].cond, RUN_COND_HIDDEN);
    CHECK_INT(s[20].cond, RUN_COND_COUNT);
    CHECK_STR(s[20].target, "css=li.item");
    CHECK_INT(s[20].count, 3);
    CHECK_INT(s[21].cond, RUN_COND_VALUE);
    CHECK_STR(s[21].target, "Email");
    CHECK_STR(s[21].value, "alice@example.com");
    CHECK_INT(s[22].cond, RUN_COND_JS);
    CHECK_STR(s[23].as, "balance");
    CHECK(s[23].attr == NULL);
    CHECK_STR(s[24].attr, "href");
    CHECK_STR(s[25].as, "shout");
    CHECK(s[26].as == NULL);
    CHECK_STR(s[28].value, "home-${user}.png");
    CHECK(s[29].files && s[29].files->n == 2);
    if (s[29].files && s[29].files->n == 2) {
        CHECK_STR(s[29].files->paths[0], "attachment.csv");
        CHECK_STR(s[29].files->paths[1], "${user}.csv");
    }
    CHECK_STR(s[29].target, "Attach file");
    CHECK(s[30].files && s[30].files->to &&
          strcmp(s[30].files->to, "out/") == 0);
    CHECK_INT(s[31].cond, RUN_COND_DOWNLOAD);
    CHECK(s[31].files && s[31].files->size_min == 1 &&
          s[31].files->size_max == -1 && s[31].files->name_re &&
          s[31].files->content_re &&
          strcmp(s[31].files->content_re, "total") == 0);
    CHECK_INT(s[28].full_page, 1);
    run_task_free(&t);
}

/* Every task of DIR parses; returns how many there were, -1 without DIR. */
static int parse_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[1024], err[RUN_ERR_LEN];
    struct run_task t;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL) {
        if (!ut_ends_with(e->d_name, ".json"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        err[0] = '\0';
        CHECK_MSG(parse_file(path, NULL, &t, err, sizeof err) == 0,
                  "%s", err);
        CHECK(t.nsteps > 0);
        run_task_free(&t);
        n++;
    }
    closedir(d);
    return n;
}

/* Every shipped benchmark task parses: the shared bench's (when that
 * folder exists) and the project's own (bench/tasks, gen_tasks.py). */
static void test_bench_tasks(void)
{
    int n = parse_dir("/work/shared/bench/cdpilot");

    if (n < 0)
        printf("note: /work/shared/bench/cdpilot absent, shared bench tasks "
               "skipped\n");
    else
        CHECK(n >= 8);
    CHECK(parse_dir("bench/tasks") >= 7);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* tests/bad/NN-name.json + NN-name.expect (one line: a substring). */
static void test_bad_table(void)
{
    DIR *d = opendir("tests/bad");
    struct dirent *e;
    char *names[512];
    size_t n = 0, i, len;

    CHECK(d != NULL);
    if (!d)
        return;
    while ((e = readdir(d)) != NULL && n < 512)
        if (ut_ends_with(e->d_name, ".json"))
            names[n++] = ut_strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    CHECK_MSG(n >= 30, "only %zu bad files", n);
    for (i = 0; i < n; i++) {
        char path[600], xpath[600], err[RUN_ERR_LEN] = "";
        char *expect, *nl;
        struct run_task t;
        int rc;

        snprintf(path, sizeof path, "tests/bad/%s", names[i]);
        snprintf(xpath, sizeof xpath, "%.*s.expect",
                 (int)(strlen(path) - 5), path);
        expect = ut_read_file(xpath, 4096, &len, err, sizeof err);
        CHECK_MSG(expect != NULL, "%s: %s", xpath, err);
        if (!expect)
            continue;
        nl = strchr(expect, '\n');
        if (nl)
            *nl = '\0';
        CHECK_MSG(*expect, "%s is empty", xpath);
        rc = parse_file(path, NULL, &t, err, sizeof err);
        CHECK_MSG(rc == -1, "%s: accepted (rc %d)", path, rc);
        CHECK_MSG(strstr(err, expect) != NULL, "%s: \"%s\" lacks \"%s\"",
                  path, err, expect);
        CHECK_MSG(strncmp(err, path, strlen(path)) == 0,
                  "%s: message does not start with the file: %s", path, err);
        CHECK_MSG(strchr(err, '\n') == NULL, "%s: not one line", path);
        CHECK(t.steps == NULL && t.nsteps == 0 && t.file == NULL &&
              t.vars.n == 0);
        run_task_free(&t);
        free(expect);
    }
    for (i = 0; i < n; i++)
        free(names[i]);
}

/* Big generated inputs: rejected (or accepted) cleanly and quickly. */
/* The step cap, at its size. Left out under make torture
 * (CDPILOT_TORTURE_OUT set): it only takes the same allocation paths
 * 100,000 times, and makes each run take 45 s under ASan. */
static void test_generated_steps(void)
{
    struct run_task t;
    char err[RUN_ERR_LEN];
    ut_buf b;
    size_t i;
    int64_t t0;

    /* 100,001 steps: over the step cap. */
    ut_buf_init(&b, 32u << 20);
    ut_buf_adds(&b, "{\"schema_version\": 1, \"steps\": [");
    for (i = 0; i <= 100000; i++)
        ut_buf_adds(&b, i ? ",{\"eval\":\"1\"}" : "{\"eval\":\"1\"}");
    ut_buf_adds(&b, "]}");
    CHECK_INT(run_task_parse("many.json", b.p, b.len, NULL, &t, err,
                             sizeof err), -1);
    CHECK_CONTAINS(err, "too many steps (100001, limit 100000)");
    ut_buf_free(&b);

    /* 100,000 steps with ids and extracts: accepted, and fast. */
    ut_buf_init(&b, 32u << 20);
    ut_buf_adds(&b, "{\"schema_version\": 1, \"steps\": [");
    for (i = 0; i < 100000; i++)
        ut_buf_addf(&b, "%s{\"id\":\"s%zu\",\"extract\":\"css=#a${v%zu}\","
                    "\"as\":\"v%zu\"}", i ? "," : "", i, i ? i - 1 : 0,
                    i);
    ut_buf_adds(&b, "]}");
    /* step 1 refers to ${v0} which step 1 itself sets: */
    CHECK_INT(run_task_parse("max.json", b.p, b.len, NULL, &t, err,
                             sizeof err), -1);
    CHECK_CONTAINS(err, "step 1 (extract)");
    ut_buf_reset(&b);
    ut_buf_adds(&b, "{\"schema_version\": 1, \"vars\": {\"v0\": \"x\"}, "
                    "\"steps\": [");
    for (i = 0; i < 100000; i++)
        ut_buf_addf(&b, "%s{\"id\":\"s%zu\",\"extract\":\"css=#a${v%zu}\","
                    "\"as\":\"v%zu\"}", i ? "," : "", i, i ? i - 1 : 0,
                    i + 1);
    ut_buf_adds(&b, "]}");
    t0 = ut_now_ms();
    CHECK_INT(run_task_parse("max.json", b.p, b.len, NULL, &t, err,
                             sizeof err), 0);
    printf("100000-step task (%zu bytes) parsed in %lld ms\n", b.len,
           (long long)(ut_now_ms() - t0));
    /* A figure, not a check: speed is measured by benchmarks, never
     * asserted in tests (a loaded machine would fail it). */
    CHECK_INT(t.nsteps, 100000);
    run_task_free(&t);
    ut_buf_free(&b);
}

static void test_generated(void)
{
    struct run_task t;
    char err[RUN_ERR_LEN];
    ut_buf b;
    size_t i;

    /* A 17 MiB file: over the size cap. */
    ut_buf_init(&b, 32u << 20);
    ut_buf_adds(&b, "{\"schema_version\": 1, \"name\": \"");
    for (i = 0; i < (17u << 20) / 64; i++)
        ut_buf_adds(&b, "0123456789012345678901234567890123456789012345678901"
                        "23456789012");
    ut_buf_adds(&b, "\", \"steps\": [{\"goto\": \"http://x/\"}]}");
    CHECK_INT(run_task_parse("huge.json", b.p, b.len, NULL, &t, err,
                             sizeof err), -1);
    CHECK_CONTAINS(err, "huge.json: too large");
    ut_buf_free(&b);

    /* A 2 MiB string inside a small-enough file. */
    ut_buf_init(&b, 32u << 20);
    ut_buf_adds(&b, "{\"schema_version\": 1, \"steps\": [{\"goto\": "
                    "\"http://x/\", \"note\": \"");
    for (i = 0; i < (2u << 20) / 8; i++)
        ut_buf_adds(&b, "abcdefgh");
    ut_buf_adds(&b, "\"}]}");
    CHECK_INT(run_task_parse("long.json", b.p, b.len, NULL, &t, err,
                             sizeof err), -1);
    CHECK_CONTAINS(err, "step 1 (goto): field \"note\": string too long");
    ut_buf_free(&b);

    /* 10,000 levels of objects (the table has the [ variant). */
    ut_buf_init(&b, 1u << 20);
    for (i = 0; i < 10000; i++)
        ut_buf_adds(&b, "{\"a\":");
    CHECK_INT(run_task_parse("deep.json", b.p, b.len, NULL, &t, err,
                             sizeof err), -1);
    CHECK_CONTAINS(err, "deep.json:1:321: JSON nested deeper than 64");
    ut_buf_free(&b);
}

static void test_syntax_positions(void)
{
    struct run_task t;
    char err[RUN_ERR_LEN];

    CHECK_INT(parse_str("{\n\"schema_version\": 1,\n  \"steps\": [,]\n}", &t,
                        err), -1);
    CHECK_CONTAINS(err, "mem.json:3:13: invalid JSON near ',]'");
    CHECK_INT(parse_str("   \n\t ", &t, err), -1);
    CHECK_CONTAINS(err, "mem.json:2:3: empty file");
    CHECK_INT(parse_str("\"just a string\"", &t, err), -1);
    CHECK_CONTAINS(err, "mem.json:1:1: expected a JSON object at the top "
                   "level, found a string");
    /* A byte order mark and CRLF line ends are fine. */
    CHECK_INT(parse_str("\xEF\xBB\xBF{\"schema_version\": 1,\r\n\"steps\": "
                        "[{\"goto\": \"about:blank\"}]}\r\n", &t, err), 0);
    run_task_free(&t);
    /* Columns count characters, not bytes. */
    CHECK_INT(parse_str("{\"name\": \"\xC3\xA9\xC3\xA9\" x}", &t, err), -1);
    CHECK_CONTAINS(err, "mem.json:1:15:");
}

static void test_semantics(void)
{
    struct run_task t;
    struct run_vars known = { 0 };
    char err[RUN_ERR_LEN];
    const char *js = "{\"schema_version\": 1, \"steps\": [{\"goto\": "
                     "\"http://x/${who}\"}]}";

    CHECK_INT(run_task_parse("k.json", js, strlen(js), NULL, &t, err,
                             sizeof err), -1);
    CHECK_CONTAINS(err, "k.json: step 1 (goto): field \"goto\": unknown "
                   "variable ${who}");
    CHECK_INT(run_vars_set(&known, "who", "me", 0), 0);
    CHECK_INT(run_task_parse("k.json", js, strlen(js), &known, &t, err,
                             sizeof err), 0);
    CHECK_STR(t.name, "k");   /* default: the file's base name */
    run_task_free(&t);
    run_vars_free(&known);

    /* Regexes are checked after static expansion; dynamic ones later. */
    CHECK_INT(parse_str("{\"schema_version\": 1, \"vars\": {\"re\": \"(\"},"
                        "\"steps\": [{\"assert\": {\"url_matches\": "
                        "\"a${re}\"}}]}", &t, err), -1);
    CHECK_CONTAINS(err, "bad regex at offset 2");
    CHECK_INT(parse_str("{\"schema_version\": 1, \"steps\": [{\"eval\": \"1\","
                        " \"as\": \"re\"}, {\"wait_for\": {\"url\": "
                        "\"${re}(\"}}]}", &t, err), 0);
    run_task_free(&t);
    /* A role target built from a variable is checked once expanded. */
    CHECK_INT(parse_str("{\"schema_version\": 1, \"vars\": {\"r\": "
                        "\"button[name=x]\"}, \"steps\": [{\"click\": "
                        "\"role=${r}\"}]}", &t, err), -1);
    CHECK_CONTAINS(err, "bad role target \"role=button[name=x]\"");
    /* Presses: several chords, the plus key, a single character. */
    CHECK_INT(parse_str("{\"schema_version\": 1, \"steps\": [{\"press\": "
                        "\"Shift+Tab Control++ + a \xC3\xA9 F12 Meta+Shift+Z\"}"
                        "]}", &t, err), 0);
    run_task_free(&t);
    CHECK_INT(parse_str("{\"schema_version\": 1, \"steps\": [{\"press\": "
                        "\"Tab  Enter\"}]}", &t, err), -1);
    CHECK_CONTAINS(err, "stray space");
    CHECK_INT(parse_str("{\"schema_version\": 1, \"steps\": [{\"press\": "
                        "\"hello\"}]}", &t, err), -1);
    CHECK_CONTAINS(err, "unknown key \"hello\"");
    /* nth needs a target; "as" must be a name. */
    CHECK_INT(parse_str("{\"schema_version\": 1, \"steps\": [{\"eval\": \"1\","
                        " \"nth\": 1}]}", &t, err), -1);
    CHECK_CONTAINS(err, "field \"nth\": only applies to a step with a "
                   "target");
    CHECK_INT(parse_str("{\"schema_version\": 1, \"steps\": [{\"eval\": \"1\","
                        " \"as\": \"9x\"}]}", &t, err), -1);
    CHECK_CONTAINS(err, "field \"as\": bad variable name \"9x\"");
    /* "label-ish" words that are not strategies stay intents. */
    CHECK_INT(parse_str("{\"schema_version\": 1, \"steps\": [{\"click\": "
                        "\"x=y\"}, {\"click\": \"discount=10%\"}]}", &t,
                        err), 0);
    run_task_free(&t);
    /* "$${" is a literal and never an unknown variable. */
    CHECK_INT(parse_str("{\"schema_version\": 1, \"steps\": [{\"eval\": "
                        "\"`$${x}`\"}]}", &t, err), 0);
    run_task_free(&t);
}

static void test_expand(void)
{
    struct run_vars vs = { 0 };
    char err[RUN_ERR_LEN], *out = NULL;
    int secret = -1;

    CHECK_INT(run_vars_set(&vs, "user", "alice", 0), 0);
    CHECK_INT(run_vars_set(&vs, "pw", "hunter2", 1), 0);
    CHECK_INT(run_vars_set(&vs, "user", "bob", 0), 0);   /* replaces */
    CHECK_INT(vs.n, 2);
    CHECK_STR(run_vars_get(&vs, "user")->value, "bob");
    CHECK(run_vars_get(&vs, "nobody") == NULL);

    CHECK_INT(run_expand(&vs, "hi ${user}!", &out, &secret, err,
                         sizeof err), 0);
    CHECK_STR(out, "hi bob!");
    CHECK_INT(secret, 0);
    free(out);
    CHECK_INT(run_expand(&vs, "${user}:${pw}", &out, &secret, err,
                         sizeof err), 0);
    CHECK_STR(out, "bob:hunter2");
    CHECK_INT(secret, 1);
    free(out);
    CHECK_INT(run_expand(&vs, "$${user} costs $5 $$ ${user}", &out, NULL,
                         err, sizeof err), 0);
    CHECK_STR(out, "${user} costs $5 $$ bob");
    free(out);
    setenv("CDPILOT_TEST_TOKEN", "s3cret", 1);
    CHECK_INT(run_expand(&vs, "t=${env.CDPILOT_TEST_TOKEN}", &out, &secret,
                         err, sizeof err), 0);
    CHECK_STR(out, "t=s3cret");
    CHECK_INT(secret, 1);
    free(out);
    unsetenv("CDPILOT_TEST_TOKEN");
    out = (char *)"x";
    CHECK_INT(run_expand(&vs, "${env.CDPILOT_TEST_TOKEN}", &out, &secret,
                         err, sizeof err), -1);
    CHECK_STR(err, "environment variable CDPILOT_TEST_TOKEN is not set");
    CHECK(out == NULL);
    CHECK_INT(run_expand(&vs, "a ${ghost} b", &out, NULL, err, sizeof err),
              -1);
    CHECK_STR(err, "unknown variable ${ghost}");
    CHECK_INT(run_expand(&vs, "a ${user", &out, NULL, err, sizeof err), -1);
    CHECK_CONTAINS(err, "unterminated ${");
    CHECK_INT(run_expand(&vs, "${}", &out, NULL, err, sizeof err), -1);
    CHECK_CONTAINS(err, "bad variable reference ${}");
    /* Values are not expanded again. */
    CHECK_INT(run_vars_set(&vs, "tricky", "${user}", 0), 0);
    CHECK_INT(run_expand(&vs, "${tricky}", &out, NULL, err, sizeof err), 0);
    CHECK_STR(out, "${user}");
    free(out);
    CHECK_INT(run_expand(NULL, "plain", &out, NULL, err, sizeof err), 0);
    CHECK_STR(out, "plain");
    free(out);
    run_vars_free(&vs);
    CHECK(vs.v == NULL && vs.n == 0);
}

/* cJSON keeps strings as C strings: "Wel\u0000come" would quietly be
 * "Wel", so an assertion on it would pass on any page saying "Wel". */
static void test_escaped_nul(void)
{
    struct run_task t;
    char err[RUN_ERR_LEN];

    CHECK_INT(parse_str("{\"schema_version\": 1, \"steps\": [\n"
                        "  {\"assert\": {\"text\": \"Wel\\u0000come\"}}]}",
                        &t, err), -1);
    CHECK_CONTAINS(err, "mem.json:2:27: \\u0000 in a string (NUL "
                   "characters are not allowed)");
    CHECK(t.steps == NULL && t.nsteps == 0);
    /* In a key, in a name, and as the first or last character. */
    CHECK_INT(parse_str("{\"schema_version\": 1, \"vars\": {\"a\\u0000b\": "
                        "\"x\"}, \"steps\": [{\"goto\": \"about:blank\"}]}",
                        &t, err), -1);
    CHECK_CONTAINS(err, "mem.json:1:34: \\u0000 in a string");
    CHECK_INT(parse_str("{\"name\": \"\\u0000\", \"schema_version\": 1, "
                        "\"steps\": [{\"goto\": \"about:blank\"}]}", &t, err),
              -1);
    CHECK_CONTAINS(err, "mem.json:1:11: \\u0000 in a string");
    /* An escaped backslash before "u0000" is six ordinary characters. */
    CHECK_INT(parse_str("{\"schema_version\": 1, \"steps\": [{\"assert\": "
                        "{\"text\": \"C:\\\\u0000\"}}]}", &t, err), 0);
    if (t.nsteps == 1)
        CHECK_STR(t.steps[0].value, "C:\\u0000");
    run_task_free(&t);
    /* Other escaped control characters are text like any other. */
    CHECK_INT(parse_str("{\"schema_version\": 1, \"steps\": [{\"assert\": "
                        "{\"text\": \"a\\u0001b\\u00e9\"}}]}", &t, err), 0);
    if (t.nsteps == 1)
        CHECK_STR(t.steps[0].value, "a\001b\xC3\xA9");
    run_task_free(&t);
}

static void test_kind_names(void)
{
    CHECK_STR(run_kind_name(RUN_GOTO), "goto");
    CHECK_STR(run_kind_name(RUN_WAIT_FOR), "wait_for");
    CHECK_STR(run_kind_name(RUN_SCREENSHOT), "screenshot");
    CHECK_STR(run_kind_name(RUN_KIND_COUNT), "?");
}

/* A relative goto needs a base: the task's, or the command line's. */
static void test_base_url(void)
{
    static const char json[] = "{\"schema_version\":1,\"steps\":"
                               "[{\"goto\":\"/login\"}]}";
    struct run_task t;
    char err[RUN_ERR_LEN];

    CHECK_INT(run_task_parse("rel.json", json, strlen(json), NULL, &t, err,
                             sizeof err), -1);
    CHECK_CONTAINS(err, "needs a top-level \"base_url\"");
    CHECK_INT(run_task_parse_base("rel.json", json, strlen(json), NULL,
                                  "http://127.0.0.1:8080", &t, err,
                                  sizeof err), 0);
    CHECK(t.base_url == NULL);       /* the file's own, still absent */
    run_task_free(&t);
    CHECK_INT(run_task_parse_base("rel.json", json, strlen(json), NULL, NULL,
                                  &t, err, sizeof err), -1);
    /* The file's base_url must be an absolute http(s) URL with a host. */
    CHECK_INT(parse_str("{\"schema_version\":1,\"base_url\":\"http://\","
                        "\"steps\":[{\"goto\":\"/\"}]}", &t, err), -1);
    CHECK_CONTAINS(err, "field \"base_url\": expected an http:// or https:// "
                   "URL, got \"http://\": no host");
    CHECK_INT(parse_str("{\"schema_version\":1,\"base_url\":\"http://a b/\","
                        "\"steps\":[{\"goto\":\"/\"}]}", &t, err), -1);
    CHECK_CONTAINS(err, "\"http://a b/\": not a valid URL");
    CHECK_INT(parse_str("{\"schema_version\":1,\"base_url\":"
                        "\"https://h.test:8443/app/\","
                        "\"steps\":[{\"goto\":\"../x?u=http://e.test/\"}]}",
                        &t, err), 0);
    run_task_free(&t);
}

int main(void)
{
    test_w1_fixture();
    test_all_kinds();
    test_bench_tasks();
    test_bad_table();
    test_generated();
    if (!getenv("CDPILOT_TORTURE_OUT"))
        test_generated_steps();
    test_syntax_positions();
    test_escaped_nul();
    test_semantics();
    test_expand();
    test_kind_names();
    test_base_url();
    return T_DONE();
}
