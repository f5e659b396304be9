/* test_runner_checks.c -- the assert and wait_for shapes of element,
 * title and network checks parse into the model (task files and inline
 * words alike), the old shapes keep theirs, and bad ones are rejected
 * naming the step and field (docs/TASKS.md "Assertions", "Network"). */
#include "../t.h"
#include "../../runner/runner.h"
#include "../../util/util.h"

#include <stdlib.h>
#include <string.h>

static int parse(const char *steps, struct run_task *t, char *err)
{
    char buf[4096];

    snprintf(buf, sizeof buf, "{\"schema_version\":1,\"steps\":["
             "{\"goto\":\"http://127.0.0.1:1/\"},%s]}", steps);
    return run_task_parse("c.json", buf, strlen(buf), NULL, t, err,
                          RUN_ERR_LEN);
}

static void test_shapes(void)
{
    struct run_task t;
    char err[RUN_ERR_LEN] = "";
    int rc = parse(
        "{\"assert\":{\"title\":\"Reports\"}},"
        "{\"assert\":{\"title_matches\":\"^Rep\",\"not\":true}},"
        "{\"assert\":{\"target\":\"Export CSV\",\"attribute\":\"download\","
        "\"value\":\"x.csv\"}},"
        "{\"assert\":{\"target\":\"Remember me\",\"state\":\"checked\"}},"
        "{\"assert\":{\"target\":\"css=li\",\"count\":3}},"
        "{\"assert\":{\"count\":{\"target\":\"css=li\",\"equals\":2}}},"
        "{\"assert\":{\"target\":\"T\",\"text_matches\":\"\\\\d\"}},"
        "{\"assert\":{\"target\":\"T\",\"attribute\":\"href\","
        "\"value_matches\":\"csv$\"}},"
        "{\"wait_for\":{\"network_idle\":500}},"
        "{\"wait_for\":{\"response\":{\"url\":\"/api\",\"method\":\"POST\","
        "\"status\":201}}},"
        "{\"assert\":{\"no_failed_requests\":true}},"
        "{\"assert\":{\"value\":{\"target\":\"E\",\"equals\":\"a\"}}}", &t,
        err);

    CHECK_INT(rc, 0);
    CHECK_STR(err, "");
    if (rc || t.nsteps != 13)
        return;
    CHECK_INT(t.steps[1].cond, RUN_COND_TITLE);
    CHECK_STR(t.steps[1].value, "Reports");
    CHECK_INT(t.steps[1].regex, 0);
    CHECK_INT(t.steps[2].regex, 1);
    CHECK_INT(t.steps[2].negate, 1);
    CHECK_INT(t.steps[3].cond, RUN_COND_ATTR);
    CHECK_STR(t.steps[3].attr, "download");
    CHECK_STR(t.steps[3].value, "x.csv");
    CHECK_STR(t.steps[3].target, "Export CSV");
    CHECK_INT(t.steps[4].cond, RUN_COND_STATE);
    CHECK_INT(t.steps[4].state, RUN_STATE_CHECKED);
    CHECK_INT(t.steps[5].cond, RUN_COND_COUNT);
    CHECK_INT(t.steps[5].count, 3);
    CHECK_INT(t.steps[5].flat, 1);
    CHECK_INT(t.steps[6].count, 2);
    CHECK_INT(t.steps[6].flat, 0);
    CHECK_INT(t.steps[7].cond, RUN_COND_EL_TEXT);
    CHECK_INT(t.steps[7].regex, 1);
    CHECK_INT(t.steps[8].cond, RUN_COND_ATTR);
    CHECK_INT(t.steps[8].regex, 1);
    CHECK_STR(t.steps[8].value, "csv$");
    CHECK_INT(t.steps[9].cond, RUN_COND_IDLE);
    CHECK_INT(t.steps[9].count, 500);
    CHECK_INT(t.steps[10].cond, RUN_COND_RESPONSE);
    CHECK_STR(t.steps[10].value, "/api");
    CHECK_STR(t.steps[10].method, "POST");
    CHECK_INT(t.steps[10].status, 201);
    CHECK_INT(t.steps[11].cond, RUN_COND_NO_FAILED);
    CHECK_INT(t.steps[12].cond, RUN_COND_VALUE);
    CHECK_STR(t.steps[12].value, "a");
    run_task_free(&t);
}

static void test_checks_key(void)
{
    struct run_task t;
    char err[RUN_ERR_LEN] = "";
    const char *j = "{\"schema_version\":1,\"checks\":{\"no_console_errors\":"
                    "true},\"steps\":[{\"goto\":\"http://h/\"}]}";

    CHECK_INT(run_task_parse("c.json", j, strlen(j), NULL, &t, err,
                             sizeof err), 0);
    CHECK_INT(t.checks, RUN_CHECKS_CONSOLE_ERRORS);
    run_task_free(&t);
}

static void test_bad(void)
{
    static const struct { const char *step, *msg; } bad[] = {
        { "{\"assert\":{\"target\":\"a\",\"state\":\"on\"}}",
          "c.json: step 2 (assert): field \"assert.state\": unknown state "
          "\"on\"" },
        { "{\"assert\":{\"target\":\"a\",\"value_matches\":\"(\"}}",
          "field \"assert.value_matches\": bad regex" },
        { "{\"assert\":{\"target\":\"a\",\"attribute\":\"x\","
          "\"value_matches\":\"[\"}}",
          "field \"assert.value_matches\": bad regex" },
        { "{\"assert\":{\"state\":\"checked\"}}",
          "\"state\" checks a target: add \"target\"" },
        { "{\"assert\":{\"no_console_errors\":true,\"not\":true}}",
          "field \"assert.not\"" },
        { "{\"wait_for\":{\"response\":{\"url\":\"x\",\"status\":600}}}",
          "field \"wait_for.response.status\"" },
        { "{\"wait_for\":{\"network_idle\":1,\"js\":\"1\"}}",
          "two conditions" },
    };
    struct run_task t;
    char err[RUN_ERR_LEN];
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        CHECK_MSG(parse(bad[i].step, &t, err) == -1, "accepted: %s",
                  bad[i].step);
        CHECK_CONTAINS(err, bad[i].msg);
    }
}

static void test_words(void)
{
    char *argv[] = {
        "expect", "Remember me", "checked",
        "expect-not", "css=#n", "focused",
        "expect-attr", "Export", "download", "x.csv",
        "expect-count", "css=li", "3",
        "expect-title", "Reports",
        "expect-no-failed-requests",
        "wait-idle", "250",
        "wait-response", "/api/save$",
        "expect-text-of", "css=#t", "Total",
    };
    struct run_task t;
    char err[RUN_ERR_LEN] = "";
    int rc = run_words_parse("http://h/", (int)(sizeof argv / sizeof *argv),
                             argv, NULL, &t, err, sizeof err);

    CHECK_INT(rc, 0);
    CHECK_STR(err, "");
    if (rc || t.nsteps != 10)
        return;
    CHECK_INT(t.steps[1].state, RUN_STATE_CHECKED);
    CHECK_INT(t.steps[1].negate, 0);
    CHECK_INT(t.steps[2].state, RUN_STATE_FOCUSED);
    CHECK_INT(t.steps[2].negate, 1);
    CHECK_STR(t.steps[3].attr, "download");
    CHECK_STR(t.steps[3].value, "x.csv");
    CHECK_INT(t.steps[4].count, 3);
    CHECK_INT(t.steps[5].cond, RUN_COND_TITLE);
    CHECK_INT(t.steps[6].cond, RUN_COND_NO_FAILED);
    CHECK_INT(t.steps[7].count, 250);
    CHECK_INT(t.steps[8].cond, RUN_COND_RESPONSE);
    CHECK_INT(t.steps[9].cond, RUN_COND_EL_TEXT);
    run_task_free(&t);
    {
        char *b1[] = { "expect", "X", "chekced" };
        char *b2[] = { "expect-count", "css=li", "3x" };
        char *b3[] = { "expect-attr", "X", "download" };

        CHECK_INT(run_words_parse("http://h/", 3, b1, NULL, &t, err,
                                  sizeof err), -1);
        CHECK_CONTAINS(err, "step 2 (assert): field \"assert.state\": "
                       "unknown state \"chekced\" (did you mean "
                       "\"checked\"?)");
        CHECK_INT(run_words_parse("http://h/", 3, b2, NULL, &t, err,
                                  sizeof err), -1);
        CHECK_CONTAINS(err, "field \"assert.count\": expected a "
                       "non-negative integer, got \"3x\"");
        CHECK_INT(run_words_parse("http://h/", 3, b3, NULL, &t, err,
                                  sizeof err), -1);
        CHECK_CONTAINS(err, "needs TARGET NAME VALUE");
    }
}

int main(void)
{
    test_shapes();
    test_checks_key();
    test_bad();
    test_words();
    return T_DONE();
}
