/* suite.c -- what the processes of one smoke suite share through the
 * database: the last duration of each task (task_times, which balances
 * shards) and the LLM spend of a suite (suite_budgets, which caps a whole
 * suite across its child processes and the shards on one machine). Each
 * write is one BEGIN IMMEDIATE transaction, so a reservation is atomic
 * across processes. Statements here run rarely: prepared per call. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cache_int.h"
#include "../util/util.h"

static cache_code check_name(struct cache *c, const char *what,
                             const char *v)
{
    size_t n = v ? strlen(v) : 0;

    if (!n)
        return cache__fail(c, CACHE_E_INPUT, "%s is empty", what);
    if (n > CACHE_MAX_TASK_KEY)
        return cache__fail(c, CACHE_E_INPUT, "%s is %zu bytes (limit %d)",
                           what, n, CACHE_MAX_TASK_KEY);
    return CACHE_OK;
}

static cache_code prep(struct cache *c, const char *sql, sqlite3_stmt **s,
                       const char *what)
{
    int rc = sqlite3_prepare_v2(c->db, sql, -1, s, NULL);

    return rc == SQLITE_OK ? CACHE_OK : cache__sqlfail(c, rc, what);
}

/* ---- task durations ----------------------------------------------------- */
cache_code cache_task_time_get(struct cache *c, const char *task,
                               int64_t *ms)
{
    sqlite3_stmt *s = NULL;
    cache_code code;
    int rc;

    *ms = -1;
    if ((code = check_name(c, "task", task)) ||
        (code = prep(c, "SELECT ms FROM task_times WHERE task = ?1", &s,
                     "task time")))
        return code;
    rc = cache__bind_text(s, 1, task);
    if (!rc)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *ms = sqlite3_column_int64(s, 0);
        code = CACHE_OK;
    } else if (rc == SQLITE_DONE) {
        code = CACHE_MISS;
    } else {
        code = cache__sqlfail(c, rc, "task time");
    }
    sqlite3_finalize(s);
    return code;
}

struct times_op {
    const char *const *tasks;
    const int64_t *ms;
    size_t n;
};

static cache_code times_tx(struct cache *c, void *arg)
{
    const struct times_op *op = arg;
    sqlite3_stmt *s = NULL;
    cache_code code = CACHE_OK;
    int64_t now = ut_wall_ms();
    size_t i;
    int rc;

    if ((code = prep(c, "INSERT INTO task_times(task, ms, updated_ms) "
                     "VALUES (?1, ?2, ?3) ON CONFLICT(task) DO UPDATE SET "
                     "ms = excluded.ms, updated_ms = excluded.updated_ms",
                     &s, "task times")))
        return code;
    for (i = 0; i < op->n && !code; i++) {
        sqlite3_reset(s);
        rc = cache__bind_text(s, 1, op->tasks[i]);
        if (!rc) rc = sqlite3_bind_int64(s, 2, op->ms[i]);
        if (!rc) rc = sqlite3_bind_int64(s, 3, now);
        code = rc ? cache__sqlfail(c, rc, "task times")
                  : cache__step_done(c, s, "task times");
    }
    sqlite3_finalize(s);
    return code;
}

cache_code cache_task_times_put(struct cache *c, const char *const *tasks,
                                const int64_t *ms, size_t n)
{
    struct times_op op = { tasks, ms, n };
    cache_code code;
    size_t i;

    for (i = 0; i < n; i++) {
        if ((code = check_name(c, "task", tasks[i])))
            return code;
        if (ms[i] < 0)
            return cache__fail(c, CACHE_E_INPUT, "task %s: duration %lld "
                               "< 0", tasks[i], (long long)ms[i]);
    }
    return n ? cache__write(c, times_tx, &op) : CACHE_OK;
}

/* ---- suite LLM budgets -------------------------------------------------- */
struct spend_op {
    const char *suite;
    int reserve;                 /* 1: one call, checked against the caps */
    int64_t max_calls;
    double max_cost;
    int64_t tokens;              /* 0: add these */
    double cost;
    struct cache_spend *out;
};

static cache_code spend_read(struct cache *c, const char *suite,
                             struct cache_spend *out)
{
    sqlite3_stmt *s = NULL;
    cache_code code;
    int rc;

    memset(out, 0, sizeof *out);
    if ((code = prep(c, "SELECT calls, tokens, cost FROM suite_budgets "
                     "WHERE suite = ?1", &s, "suite budget")))
        return code;
    rc = cache__bind_text(s, 1, suite);
    if (!rc)
        rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->calls = sqlite3_column_int64(s, 0);
        out->tokens = sqlite3_column_int64(s, 1);
        out->cost = sqlite3_column_double(s, 2);
        code = CACHE_OK;
    } else {
        code = rc == SQLITE_DONE ? CACHE_MISS
                                 : cache__sqlfail(c, rc, "suite budget");
    }
    sqlite3_finalize(s);
    return code;
}

static cache_code spend_tx(struct cache *c, void *arg)
{
    struct spend_op *op = arg;
    struct cache_spend now;
    sqlite3_stmt *s = NULL;
    cache_code code;
    int rc;

    code = spend_read(c, op->suite, &now);
    if (code != CACHE_OK && code != CACHE_MISS)
        return code;
    if (op->reserve &&
        ((op->max_calls >= 0 && now.calls >= op->max_calls) ||
         (op->max_cost >= 0 && now.cost >= op->max_cost))) {
        *op->out = now;
        return CACHE_MISS;
    }
    if ((code = prep(c, "INSERT INTO suite_budgets(suite, calls, tokens, "
                     "cost, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5) "
                     "ON CONFLICT(suite) DO UPDATE SET calls = calls + "
                     "excluded.calls, tokens = tokens + excluded.tokens, "
                     "cost = cost + excluded.cost, "
                     "updated_ms = excluded.updated_ms", &s, "suite budget")))
        return code;
    rc = cache__bind_text(s, 1, op->suite);
    if (!rc) rc = sqlite3_bind_int64(s, 2, op->reserve ? 1 : 0);
    if (!rc) rc = sqlite3_bind_int64(s, 3, op->tokens);
    if (!rc) rc = sqlite3_bind_double(s, 4, op->cost);
    if (!rc) rc = sqlite3_bind_int64(s, 5, ut_wall_ms());
    code = rc ? cache__sqlfail(c, rc, "suite budget")
              : cache__step_done(c, s, "suite budget");
    sqlite3_finalize(s);
    if (!code)
        code = spend_read(c, op->suite, op->out);
    return code;
}

cache_code cache_suite_reserve(struct cache *c, const char *suite,
                               int64_t max_calls, double max_cost,
                               struct cache_spend *now)
{
    struct spend_op op = { suite, 1, max_calls, max_cost, 0, 0, now };
    cache_code code;

    memset(now, 0, sizeof *now);
    if ((code = check_name(c, "suite", suite)))
        return code;
    return cache__write(c, spend_tx, &op);
}

cache_code cache_suite_add(struct cache *c, const char *suite,
                           int64_t tokens, double cost)
{
    struct cache_spend now;
    struct spend_op op = { suite, 0, -1, -1, tokens, cost, &now };
    cache_code code;

    if ((code = check_name(c, "suite", suite)))
        return code;
    if (tokens < 0 || !(cost >= 0) || isinf(cost))
        return cache__fail(c, CACHE_E_INPUT, "suite %s: negative spend",
                           suite);
    return cache__write(c, spend_tx, &op);
}

cache_code cache_suite_get(struct cache *c, const char *suite,
                           struct cache_spend *out)
{
    cache_code code;

    memset(out, 0, sizeof *out);
    if ((code = check_name(c, "suite", suite)))
        return code;
    return spend_read(c, suite, out);
}
