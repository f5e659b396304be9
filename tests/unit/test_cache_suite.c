/* test_cache_suite.c -- what a smoke suite shares through the cache: task
 * durations (task_times) and a suite's LLM spend (suite_budgets), the
 * reservation exact when several processes race for the last calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../cache/cache.h"
#include "../t.h"
#include "../../util/util.h"

static char tmpdir[] = "/tmp/cdpilot-tsuite.XXXXXX";
static char db[256];

static struct cache *open_db(void)
{
    struct cache *c = NULL;
    char err[512];

    if (cache_open(db, 20000, &c, err, sizeof err) != CACHE_OK) {
        fprintf(stderr, "open %s: %s\n", db, err);
        return NULL;
    }
    return c;
}

static void test_times(void)
{
    struct cache *c = open_db();
    const char *keys[] = { "a.json", "sub/b.json" };
    int64_t ms[] = { 1200, 300 }, got, bad = -5;
    char big[CACHE_MAX_TASK_KEY + 2];

    if (!c)
        return;
    CHECK_MSG(cache_task_time_get(c, "a.json", &got) == CACHE_MISS, "%s", cache_errmsg(c));
    CHECK_INT(got, -1);
    CHECK_INT(cache_task_times_put(c, keys, ms, 2), CACHE_OK);
    CHECK_INT(cache_task_time_get(c, "a.json", &got), CACHE_OK);
    CHECK_INT(got, 1200);
    CHECK_INT(cache_task_time_get(c, "sub/b.json", &got), CACHE_OK);
    CHECK_INT(got, 300);
    ms[0] = 900;                    /* the last duration replaces the old */
    CHECK_INT(cache_task_times_put(c, keys, ms, 1), CACHE_OK);
    CHECK_INT(cache_task_time_get(c, "a.json", &got), CACHE_OK);
    CHECK_INT(got, 900);
    CHECK_INT(cache_task_times_put(c, keys, &bad, 1), CACHE_E_INPUT);
    CHECK_INT(cache_task_time_get(c, "a.json", &got), CACHE_OK);
    CHECK_INT(got, 900);
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_INT(cache_task_time_get(c, big, &got), CACHE_E_INPUT);
    CHECK_INT(cache_task_time_get(c, "", &got), CACHE_E_INPUT);
    cache_close(c);
}

static void test_budget(void)
{
    struct cache *c = open_db();
    struct cache_spend s;
    int k;

    if (!c)
        return;
    CHECK_INT(cache_suite_get(c, "s1", &s), CACHE_MISS);
    CHECK_INT(s.calls, 0);
    for (k = 0; k < 3; k++)
        CHECK_INT(cache_suite_reserve(c, "s1", 3, -1, &s), CACHE_OK);
    CHECK_INT(s.calls, 3);
    CHECK_INT(cache_suite_reserve(c, "s1", 3, -1, &s), CACHE_MISS);
    CHECK_INT(s.calls, 3);
    CHECK_INT(cache_suite_add(c, "s1", 150, 0.25), CACHE_OK);
    CHECK_INT(cache_suite_add(c, "s1", 50, 0.5), CACHE_OK);
    CHECK_INT(cache_suite_get(c, "s1", &s), CACHE_OK);
    CHECK_INT(s.tokens, 200);
    CHECK(s.cost > 0.7499 && s.cost < 0.7501);
    /* the cost cap: spent 0.75 of 0.75 refuses, of 1.0 allows */
    CHECK_INT(cache_suite_reserve(c, "s1", -1, 0.75, &s), CACHE_MISS);
    CHECK_INT(cache_suite_reserve(c, "s1", -1, 1.0, &s), CACHE_OK);
    CHECK_INT(s.calls, 4);
    /* another suite's spend is its own */
    CHECK_INT(cache_suite_reserve(c, "s2", 1, -1, &s), CACHE_OK);
    CHECK_INT(s.calls, 1);
    CHECK_INT(cache_suite_add(c, "s2", -1, 0), CACHE_E_INPUT);
    CHECK_INT(cache_suite_reserve(c, "", 1, -1, &s), CACHE_E_INPUT);
    cache_close(c);
}

/* 4 processes ask for 10 calls each against a cap of 7: 7 granted. */
static void test_budget_processes(void)
{
    struct cache *c;
    struct cache_spend s;
    pid_t pid[4];
    int k, st, granted = 0;

    for (k = 0; k < 4; k++) {
        pid[k] = fork();
        if (pid[k] == 0) {
            struct cache *cc = open_db();
            int n = 0, i;
            for (i = 0; cc && i < 10; i++)
                n += cache_suite_reserve(cc, "race", 7, -1, &s) == CACHE_OK;
            cache_close(cc);
            _exit(cc ? n : 255);
        }
    }
    for (k = 0; k < 4; k++)
        if (pid[k] > 0 && waitpid(pid[k], &st, 0) == pid[k] &&
            WIFEXITED(st))
            granted += WEXITSTATUS(st);
    CHECK_INT(granted, 7);
    c = open_db();
    if (!c)
        return;
    CHECK_INT(cache_suite_get(c, "race", &s), CACHE_OK);
    CHECK_INT(s.calls, 7);
    cache_close(c);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(db, sizeof db, "%s/cache.db", tmpdir);
    test_times();
    test_budget();
    test_budget_processes();
    ut_rm_rf(tmpdir);
    return T_DONE();
}
