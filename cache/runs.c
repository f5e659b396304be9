/* runs.c -- run checkpoints for `--resume RUN_ID`: one row per run with
 * the first unfinished step and the variables after the last completed
 * one. Each checkpoint is its own committed transaction, so a kill -9
 * right after cache_run_step() returns loses nothing. */
#include <stdlib.h>
#include <string.h>

#include "cache_int.h"
#include "../util/util.h"

void cache_run_clear(struct cache_run *r)
{
    if (!r)
        return;
    free(r->run_id);
    free(r->task_name);
    free(r->task_hash);
    free(r->status);
    free(r->vars_json);
    memset(r, 0, sizeof *r);
}

struct runop {
    const char *run_id, *task_name, *task_hash, *status, *vars;
    int step;
};

static cache_code check_text(struct cache *c, const char *what,
                             const char *v, size_t cap, int nonempty)
{
    size_t n = v ? strlen(v) : 0;

    if (!v || (nonempty && !n))
        return cache__fail(c, CACHE_E_INPUT, "run: %s is empty", what);
    if (n > cap)
        return cache__fail(c, CACHE_E_INPUT, "run: %s is %zu bytes (limit "
                           "%zu)", what, n, cap);
    return CACHE_OK;
}

static cache_code begin_tx(struct cache *c, void *arg)
{
    struct runop *op = arg;
    sqlite3_stmt *s;
    cache_code code;
    int rc;

    if ((code = cache__stmt(c, ST_RUN_INSERT, &s)))
        return code;
    rc = cache__bind_text(s, 1, op->run_id);
    if (!rc) rc = cache__bind_text(s, 2, op->task_name);
    if (!rc) rc = cache__bind_text(s, 3, op->task_hash);
    if (!rc) rc = sqlite3_bind_int64(s, 4, ut_wall_ms());
    if (rc)
        return cache__sqlfail(c, rc, "run begin");
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc == SQLITE_DONE)
        return CACHE_OK;
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return cache__fail(c, CACHE_E_INPUT, "run %s already exists",
                           op->run_id);
    return cache__sqlfail(c, rc, "run begin");
}

cache_code cache_run_begin(struct cache *c, const char *run_id,
                           const char *task_name, const char *task_hash)
{
    struct runop op = {run_id, task_name, task_hash, NULL, NULL, 0};
    cache_code code;

    if ((code = check_text(c, "run id", run_id, CACHE_MAX_RUN_ID, 1)) ||
        (code = check_text(c, "task name", task_name, CACHE_MAX_INTENT,
                           0)) ||
        (code = check_text(c, "task hash", task_hash, CACHE_MAX_RUN_ID, 0)))
        return code;
    return cache__write(c, begin_tx, &op);
}

/* UPDATE for step/finish; CACHE_MISS when the run does not exist. */
static cache_code update_tx(struct cache *c, void *arg)
{
    struct runop *op = arg;
    sqlite3_stmt *s;
    cache_code code;
    int rc;

    if ((code = cache__stmt(c, op->status ? ST_RUN_FINISH : ST_RUN_STEP,
                            &s)))
        return code;
    rc = cache__bind_text(s, 1, op->run_id);
    if (op->status) {
        if (!rc) rc = cache__bind_text(s, 2, op->status);
        if (!rc) rc = sqlite3_bind_int64(s, 3, ut_wall_ms());
    } else {
        if (!rc) rc = sqlite3_bind_int(s, 2, op->step + 1);
        if (!rc) rc = cache__bind_text(s, 3, op->vars);
        if (!rc) rc = sqlite3_bind_int64(s, 4, ut_wall_ms());
    }
    if (rc)
        return cache__sqlfail(c, rc, "run checkpoint");
    if ((code = cache__step_done(c, s, "run checkpoint")))
        return code;
    if (!sqlite3_changes(c->db))
        return cache__fail(c, CACHE_MISS, "no run %s", op->run_id);
    return CACHE_OK;
}

cache_code cache_run_step(struct cache *c, const char *run_id, int step,
                          const char *vars_json)
{
    struct runop op = {run_id, NULL, NULL, NULL,
                       vars_json ? vars_json : "{}", step};
    cache_code code;

    if ((code = check_text(c, "run id", run_id, CACHE_MAX_RUN_ID, 1)) ||
        (code = check_text(c, "vars", op.vars, CACHE_MAX_VARS, 0)))
        return code;
    if (step < 0)
        return cache__fail(c, CACHE_E_INPUT, "run: step %d < 0", step);
    return cache__write(c, update_tx, &op);
}

cache_code cache_run_finish(struct cache *c, const char *run_id,
                            const char *status)
{
    struct runop op = {run_id, NULL, NULL, status, NULL, 0};
    cache_code code;

    if ((code = check_text(c, "run id", run_id, CACHE_MAX_RUN_ID, 1)))
        return code;
    if (!status || (strcmp(status, "passed") && strcmp(status, "failed") &&
                    strcmp(status, "interrupted") &&
                    strcmp(status, "unsafe-step")))
        return cache__fail(c, CACHE_E_INPUT, "run: status must be passed, "
                           "failed, interrupted or unsafe-step");
    return cache__write(c, update_tx, &op);
}

cache_code cache_run_get(struct cache *c, const char *run_id,
                         struct cache_run *out)
{
    sqlite3_stmt *s;
    cache_code code;
    int rc;

    memset(out, 0, sizeof *out);
    if ((code = check_text(c, "run id", run_id, CACHE_MAX_RUN_ID, 1)) ||
        (code = cache__stmt(c, ST_RUN_GET, &s)))
        return code;
    if ((rc = cache__bind_text(s, 1, run_id)))
        return cache__sqlfail(c, rc, "run get");
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->run_id = cache__col_dup(s, 0);
        out->task_name = cache__col_dup(s, 1);
        out->task_hash = cache__col_dup(s, 2);
        out->status = cache__col_dup(s, 3);
        out->next_step = sqlite3_column_int(s, 4);
        out->vars_json = cache__col_dup(s, 5);
        out->started_ms = sqlite3_column_int64(s, 6);
        out->updated_ms = sqlite3_column_int64(s, 7);
        if (!out->run_id || !out->task_name || !out->task_hash ||
            !out->status || !out->vars_json) {
            cache_run_clear(out);
            code = cache__fail(c, CACHE_E_NOMEM, "out of memory");
        }
    } else if (rc == SQLITE_DONE) {
        code = cache__fail(c, CACHE_MISS, "no run %s", run_id);
    } else {
        code = cache__sqlfail(c, rc, "run get");
    }
    sqlite3_reset(s);
    return code;
}
