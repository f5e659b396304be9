/* grid.c -- the grid_sessions table: the remote browser sessions a
 * cdpilot process holds open, so that the next run can end those of a
 * process that was killed (runner/grid_run.c). Rare statements (a few
 * per task), so they are prepared per call rather than kept. */
#include "cache_int.h"
#include "../util/util.h"

#include <string.h>

struct gridop {
    const char *grid, *session;
    long pid;
};

static cache_code check(struct cache *c, const char *grid,
                        const char *session)
{
    if (!grid || !*grid || strlen(grid) > CACHE_MAX_ORIGIN)
        return cache__fail(c, CACHE_E_INPUT, "grid session: the grid URL "
                           "is empty or longer than %d bytes",
                           CACHE_MAX_ORIGIN);
    if (session && (!*session || strlen(session) >=
                    sizeof ((struct cache_grid_row *)0)->session))
        return cache__fail(c, CACHE_E_INPUT, "grid session: the session id "
                           "is empty or too long");
    return CACHE_OK;
}

/* Prepares SQL and binds the op's grid, session and pid (those of its
 * ?1 ?2 ?3 that SQL has). */
static cache_code prep(struct cache *c, const char *sql,
                       const struct gridop *op, sqlite3_stmt **s)
{
    int rc = sqlite3_prepare_v2(c->db, sql, -1, s, NULL), n;

    if (rc)
        return cache__sqlfail(c, rc, "grid session");
    n = sqlite3_bind_parameter_count(*s);
    rc = cache__bind_text(*s, 1, op->grid);
    if (!rc && n >= 2)
        rc = cache__bind_text(*s, 2, op->session);
    if (!rc && n >= 3)
        rc = sqlite3_bind_int64(*s, 3, op->pid);
    if (!rc && n >= 4)
        rc = sqlite3_bind_int64(*s, 4, ut_wall_ms());
    if (rc) {
        sqlite3_finalize(*s);
        *s = NULL;
        return cache__sqlfail(c, rc, "grid session");
    }
    return CACHE_OK;
}

static cache_code add_tx(struct cache *c, void *arg)
{
    sqlite3_stmt *s;
    cache_code code = prep(c, "INSERT OR REPLACE INTO grid_sessions (grid,"
                           " session, pid, started_ms) VALUES (?1, ?2, ?3,"
                           " ?4)", arg, &s);
    int rc;

    if (code)
        return code;
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? CACHE_OK : cache__sqlfail(c, rc,
                                                         "grid session add");
}

static cache_code remove_tx(struct cache *c, void *arg)
{
    sqlite3_stmt *s;
    cache_code code = prep(c, "DELETE FROM grid_sessions WHERE grid = ?1"
                           " AND session = ?2", arg, &s);
    int rc;

    if (code)
        return code;
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return cache__sqlfail(c, rc, "grid session remove");
    return sqlite3_changes(c->db) ? CACHE_OK : CACHE_MISS;
}

/* Checks the op, then runs FN in a write transaction. */
static cache_code write_op(struct cache *c, const struct gridop *op,
                           cache__txfn fn)
{
    cache_code code;

    if (!op->session)
        return cache__fail(c, CACHE_E_INPUT, "grid session: no id");
    if ((code = check(c, op->grid, op->session)))
        return code;
    return cache__write(c, fn, (void *)op);
}

cache_code cache_grid_add(struct cache *c, const char *grid,
                          const char *session, long pid)
{
    struct gridop op = { grid, session, pid };

    return write_op(c, &op, add_tx);
}

cache_code cache_grid_remove(struct cache *c, const char *grid,
                             const char *session)
{
    struct gridop op = { grid, session, 0 };

    return write_op(c, &op, remove_tx);
}

cache_code cache_grid_list(struct cache *c, const char *grid,
                           struct cache_grid_row *out, size_t max,
                           size_t *n)
{
    struct gridop op = { grid, NULL, 0 };
    sqlite3_stmt *s;
    cache_code code;
    int rc;

    *n = 0;
    if ((code = check(c, grid, NULL)) ||
        (code = prep(c, "SELECT session, pid, started_ms FROM grid_sessions"
                     " WHERE grid = ?1 ORDER BY started_ms, session", &op,
                     &s)))
        return code;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
        const unsigned char *id = sqlite3_column_text(s, 0);
        struct cache_grid_row *r = &out[(*n)++];

        ut_strlcpy(r->session, id ? (const char *)id : "", sizeof r->session);
        r->pid = (long)sqlite3_column_int64(s, 1);
        r->started_ms = sqlite3_column_int64(s, 2);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return cache__gave_up(c, cache__sqlfail(c, rc, "grid session list"));
    return CACHE_OK;
}
