/* entries.c -- the statement table, the write-transaction helper, and the
 * keyed operations on selector entries: lookup, put, hit_ok, demote.
 * Every counter change happens in the same transaction as the entry
 * change it counts, so `cache stats` never disagrees with the rows. A
 * lookup is a read, and it and a validated hit defer their bookkeeping
 * (successes, last use, the lookups/hits/misses/llm_saved counters) to
 * the handle's next write transaction or cache_close(): a warm step
 * commits nothing of its own. */
#include <stdlib.h>
#include <string.h>

#include "cache_int.h"
#include "../util/util.h"

#define KEY_WHERE " WHERE origin = ?1 AND route = ?2 AND kind = ?3 " \
                  "AND intent = ?4"
#define LIST_ORDER " ORDER BY origin, route, kind, intent"

/* Indexed by enum cache__st. Parameters are always bound, never pasted. */
static const char *const cache__sql[ST__COUNT] = {
    [ST_ENTRY_GET] = "SELECT " CACHE__ENTRY_COLS " FROM entries" KEY_WHERE,
    [ST_ENTRY_INSERT] =
        "INSERT INTO entries(" CACHE__ENTRY_COLS ") VALUES (?1, ?2, ?3, ?4,"
        " ?5, ?6, ?7, ?8, 1, 0, ?9, ?10, ?10)",
    [ST_ENTRY_REPLACE] =
        "UPDATE entries SET selector = ?5, fingerprint = ?6, source = ?7,"
        " confidence = ?8, successes = 1, failures = 0, heals = heals + ?9,"
        " last_used_ms = ?10" KEY_WHERE,
    [ST_ENTRY_SAME] =
        "UPDATE entries SET fingerprint = ?6, source = ?7, confidence = ?8,"
        " successes = successes + 1, failures = 0, heals = heals + ?9,"
        " last_used_ms = ?10" KEY_WHERE,
    [ST_ENTRY_FAIL] = "UPDATE entries SET failures = failures + 1" KEY_WHERE,
    [ST_ENTRY_IMPORT] =
        "INSERT INTO entries(" CACHE__ENTRY_COLS ") VALUES (?1, ?2, ?3, ?4,"
        " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        " ON CONFLICT (origin, route, kind, intent) DO UPDATE SET"
        " selector = excluded.selector, fingerprint = excluded.fingerprint,"
        " source = excluded.source, confidence = excluded.confidence,"
        " successes = excluded.successes, failures = excluded.failures,"
        " heals = excluded.heals, created_ms = excluded.created_ms,"
        " last_used_ms = excluded.last_used_ms"
        " WHERE excluded.successes > entries.successes"
        " OR (excluded.successes = entries.successes"
        "     AND excluded.last_used_ms > entries.last_used_ms)",
    [ST_COUNTER_ADD] = "UPDATE counters SET value = value + ?2"
                       " WHERE name = ?1",
    [ST_COUNTER_GET] = "SELECT name, value FROM counters",
    [ST_COUNT_ENTRIES] = "SELECT count(*) FROM entries",
    [ST_COUNT_RUNS] = "SELECT count(*) FROM runs",
    [ST_ORIGINS] = "SELECT origin, count(*), sum(heals), sum(successes),"
                   " sum(failures) FROM entries GROUP BY origin"
                   " ORDER BY origin",
    [ST_LIST_ALL] = "SELECT " CACHE__ENTRY_COLS " FROM entries" LIST_ORDER,
    [ST_LIST_ORIGIN] = "SELECT " CACHE__ENTRY_COLS " FROM entries"
                       " WHERE origin = ?1" LIST_ORDER,
    [ST_LIST_INTENT] = "SELECT " CACHE__ENTRY_COLS " FROM entries"
                       " WHERE instr(intent, ?1) > 0" LIST_ORDER,
    [ST_FORGET_ORIGIN] = "DELETE FROM entries WHERE origin = ?1",
    [ST_FORGET_KEY] = "DELETE FROM entries WHERE origin = ?1"
                      " AND intent = ?2",
    [ST_PRUNE_AGE] = "DELETE FROM entries WHERE last_used_ms < ?1",
    [ST_PRUNE_FAIL] = "DELETE FROM entries WHERE failures >= ?1",
    [ST_PRUNE_RUNS] = "DELETE FROM runs WHERE status <> 'running'"
                      " AND updated_ms < ?1",
    [ST_RUN_INSERT] =
        "INSERT INTO runs(run_id, task_name, task_hash, status, next_step,"
        " vars_json, started_ms, updated_ms)"
        " VALUES (?1, ?2, ?3, 'running', 0, '{}', ?4, ?4)",
    [ST_RUN_STEP] = "UPDATE runs SET next_step = ?2, vars_json = ?3,"
                    " status = 'running', updated_ms = ?4 WHERE run_id = ?1",
    [ST_RUN_FINISH] = "UPDATE runs SET status = ?2, updated_ms = ?3"
                      " WHERE run_id = ?1",
    [ST_RUN_GET] = "SELECT run_id, task_name, task_hash, status, next_step,"
                   " vars_json, started_ms, updated_ms FROM runs"
                   " WHERE run_id = ?1",
    [ST_ENTRY_PEND] = "UPDATE entries SET successes = successes + ?5,"
                      " last_used_ms = max(last_used_ms, ?6)" KEY_WHERE,
};

/* ---- deferred bookkeeping ------------------------------------------------ */

static const char *const pend_ctr_name[CACHE__C_COUNT] = {
    [CACHE__C_LOOKUPS] = "lookups", [CACHE__C_HITS] = "hits",
    [CACHE__C_MISSES] = "misses", [CACHE__C_LLM] = "llm_saved",
};

void cache__pend_drop(struct cache *c)
{
    int i;

    for (i = 0; i < c->npend; i++) {
        free(c->pend[i].origin);
        free(c->pend[i].route);
        free(c->pend[i].kind);
        free(c->pend[i].intent);
    }
    c->npend = 0;
    memset(c->pend_ctr, 0, sizeof c->pend_ctr);
}

static int pend_is(const struct cache__pend *p, const struct cache_key *k,
                   const char *intent)
{
    return strcmp(p->intent, intent) == 0 && strcmp(p->kind, k->kind) == 0 &&
           strcmp(p->route, k->route) == 0 && strcmp(p->origin, k->origin) == 0;
}

/* Successes K has pending (not in its row yet). */
static int64_t pend_ok(const struct cache *c, const struct cache_key *k,
                       const char *intent)
{
    int i;

    for (i = 0; i < c->npend; i++)
        if (pend_is(&c->pend[i], k, intent))
            return c->pend[i].ok;
    return 0;
}

static cache_code pend_noop(struct cache *c, void *arg)
{
    (void)c;
    (void)arg;
    return CACHE_OK;
}

cache_code cache__flush(struct cache *c)
{
    int i, any = c->npend > 0;

    for (i = 0; i < CACHE__C_COUNT; i++)
        any |= c->pend_ctr[i] != 0;
    return any ? cache__write(c, pend_noop, NULL) : CACHE_OK;
}

/* Defers OK successes and a last use (now) for K. The table is flushed
 * when full, so a record is never dropped. */
static cache_code pend_add(struct cache *c, const struct cache_key *k,
                           const char *intent, int64_t ok)
{
    struct cache__pend *p = NULL;
    cache_code code;
    int i;

    for (i = 0; i < c->npend && !p; i++)
        if (pend_is(&c->pend[i], k, intent))
            p = &c->pend[i];
    if (!p) {
        if (c->npend == CACHE__MAXPEND && (code = cache__flush(c)))
            return code;
        p = &c->pend[c->npend];
        memset(p, 0, sizeof *p);
        p->origin = ut_strdup(k->origin);
        p->route = ut_strdup(k->route);
        p->kind = ut_strdup(k->kind);
        p->intent = ut_strdup(intent);
        if (!p->origin || !p->route || !p->kind || !p->intent) {
            free(p->origin);
            free(p->route);
            free(p->kind);
            free(p->intent);
            return cache__fail(c, CACHE_E_NOMEM, "out of memory");
        }
        c->npend++;
    }
    p->ok += ok;
    p->used_ms = ut_wall_ms();
    return CACHE_OK;
}

/* Writes the deferred bookkeeping (inside a transaction). */
static cache_code pend_apply(struct cache *c)
{
    struct cache_key k;
    sqlite3_stmt *s;
    cache_code code;
    int i, rc;

    for (i = 0; i < c->npend; i++) {
        const struct cache__pend *p = &c->pend[i];
        if ((code = cache__stmt(c, ST_ENTRY_PEND, &s)))
            return code;
        k.origin = p->origin;
        k.route = p->route;
        k.kind = p->kind;
        k.intent = p->intent;
        rc = cache__bind_key(s, &k, p->intent);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(s, 5, p->ok);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(s, 6, p->used_ms);
        if (rc)
            return cache__sqlfail(c, rc, "update");
        if ((code = cache__step_done(c, s, "update")))
            return code;
    }
    for (i = 0; i < CACHE__C_COUNT; i++)
        if ((code = cache__counter_add(c, pend_ctr_name[i], c->pend_ctr[i])))
            return code;
    return CACHE_OK;
}

/* ---- statements, binding, the transaction helper ------------------------ */

cache_code cache__stmt(struct cache *c, enum cache__st id, sqlite3_stmt **out)
{
    sqlite3_stmt *s = c->st[id];
    int rc;

    *out = NULL;
    if (s) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    } else {
        rc = sqlite3_prepare_v3(c->db, cache__sql[id], -1,
                                SQLITE_PREPARE_PERSISTENT, &s, NULL);
        if (rc != SQLITE_OK)
            return cache__sqlfail(c, rc, "prepare");
        c->st[id] = s;
    }
    *out = s;
    return CACHE_OK;
}

int cache__bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (!v)
        return sqlite3_bind_null(s, i);
    return sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

int cache__bind_key(sqlite3_stmt *s, const struct cache_key *k,
                    const char *intent)
{
    int rc = cache__bind_text(s, 1, k->origin);

    if (rc == SQLITE_OK)
        rc = cache__bind_text(s, 2, k->route);
    if (rc == SQLITE_OK)
        rc = cache__bind_text(s, 3, k->kind);
    if (rc == SQLITE_OK)
        rc = cache__bind_text(s, 4, intent);
    return rc;
}

cache_code cache__step_done(struct cache *c, sqlite3_stmt *s,
                            const char *what)
{
    int rc = sqlite3_step(s);

    sqlite3_reset(s);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return CACHE_OK;
    return cache__sqlfail(c, rc, what);
}

cache_code cache__write(struct cache *c, cache__txfn fn, void *arg)
{
    int64_t deadline = ut_now_ms() + cache__wait_ms(c);
    unsigned attempt = 0;
    cache_code code;
    int rc;

    for (;; attempt++) {
        rc = sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            code = cache__sqlfail(c, rc, "begin");
        } else {
            code = pend_apply(c);
            if (code == CACHE_OK)
                code = fn(c, arg);
            if (code == CACHE_OK || code == CACHE_MISS) {
                rc = sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
                if (rc == SQLITE_OK) {
                    cache__pend_drop(c);        /* written */
                    return code;
                }
                code = cache__sqlfail(c, rc, "commit");
            }
            /* A failed COMMIT may leave the transaction open. */
            if (!sqlite3_get_autocommit(c->db))
                sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
        }
        if (code != CACHE_E_BUSY || ut_now_ms() >= deadline)
            return cache__gave_up(c, code);
        /* sqlite's own busy handler already waited; this covers the busy
         * cases it does not handle (WAL recovery, a COMMIT racing a
         * checkpoint). Spread the retries. */
        ut_sleep_ms(1 + (int)(attempt % 8));
    }
}

cache_code cache__counter_add(struct cache *c, const char *name,
                              int64_t delta)
{
    sqlite3_stmt *s;
    cache_code code;

    if (!delta)
        return CACHE_OK;
    if ((code = cache__stmt(c, ST_COUNTER_ADD, &s)))
        return code;
    if (cache__bind_text(s, 1, name) || sqlite3_bind_int64(s, 2, delta))
        return cache__sqlfail(c, sqlite3_errcode(c->db), "counter");
    return cache__step_done(c, s, "counter");
}

/* ---- entries as values ---------------------------------------------------- */

char *cache__col_dup(sqlite3_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s, col);

    return ut_strdup(t ? (const char *)t : "");
}

void cache_entry_clear(struct cache_entry *e)
{
    if (!e)
        return;
    free(e->selector);
    free(e->fingerprint);
    free(e->source);
    free(e->origin);
    free(e->route);
    free(e->kind);
    free(e->intent);
    memset(e, 0, sizeof *e);
}

cache_code cache__entry_from_row(struct cache *c, sqlite3_stmt *s,
                                 struct cache_entry *e)
{
    memset(e, 0, sizeof *e);
    e->origin = cache__col_dup(s, 0);
    e->route = cache__col_dup(s, 1);
    e->kind = cache__col_dup(s, 2);
    e->intent = cache__col_dup(s, 3);
    e->selector = cache__col_dup(s, 4);
    e->fingerprint = cache__col_dup(s, 5);
    e->source = cache__col_dup(s, 6);
    e->confidence = sqlite3_column_double(s, 7);
    e->successes = sqlite3_column_int64(s, 8);
    e->failures = sqlite3_column_int64(s, 9);
    e->heals = sqlite3_column_int64(s, 10);
    e->created_ms = sqlite3_column_int64(s, 11);
    e->last_used_ms = sqlite3_column_int64(s, 12);
    if (!e->origin || !e->route || !e->kind || !e->intent || !e->selector ||
        !e->fingerprint || !e->source) {
        cache_entry_clear(e);
        return cache__fail(c, CACHE_E_NOMEM, "out of memory");
    }
    return CACHE_OK;
}

/* ---- keys --------------------------------------------------------------- */

int cache_intent_normalize(const char *intent, char *out, size_t n)
{
    size_t o = 0;
    int space = 0;
    const char *p;

    if (!n)
        return -1;
    for (p = intent ? intent : ""; *p; p++) {
        unsigned char ch = (unsigned char)*p;

        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
            ch == '\f' || ch == '\v') {
            space = o > 0;
            continue;
        }
        if (o + (size_t)space + 1 >= n) {
            out[0] = '\0';
            return -1;
        }
        if (space)
            out[o++] = ' ';
        space = 0;
        out[o++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    out[o] = '\0';
    return 0;
}

static cache_code check_part(struct cache *c, const char *what,
                             const char *v, size_t cap)
{
    size_t n = v ? strlen(v) : 0;

    if (!n)
        return cache__fail(c, CACHE_E_INPUT, "key %s is empty", what);
    if (n > cap)
        return cache__fail(c, CACHE_E_INPUT, "key %s is %zu bytes (limit "
                           "%zu)", what, n, cap);
    return CACHE_OK;
}

cache_code cache__check_key(struct cache *c, const struct cache_key *k,
                            char *norm, size_t normlen)
{
    cache_code code;

    if (!k)
        return cache__fail(c, CACHE_E_INPUT, "no key");
    if ((code = check_part(c, "origin", k->origin, CACHE_MAX_ORIGIN)) ||
        (code = check_part(c, "route", k->route, CACHE_MAX_ROUTE)) ||
        (code = check_part(c, "kind", k->kind, CACHE_MAX_KIND)) ||
        (code = check_part(c, "intent", k->intent, CACHE_MAX_INTENT)))
        return code;
    if (cache_intent_normalize(k->intent, norm, normlen) != 0 || !norm[0])
        return cache__fail(c, CACHE_E_INPUT, "key intent is blank");
    return CACHE_OK;
}

/* ---- the keyed operations ----------------------------------------------- */

/* One keyed operation's arguments, passed through cache__write. */
struct keyop {
    const struct cache_key *k;
    char intent[CACHE_MAX_INTENT + 1];          /* normalised */
    const char *selector, *fingerprint, *source;/* put */
    double confidence;
    int healed;
};

/* Reads K's row into E (zeroed first). CACHE_MISS when absent. */
static cache_code get_entry(struct cache *c, struct keyop *op,
                            struct cache_entry *e)
{
    sqlite3_stmt *s;
    cache_code code;
    int rc;

    memset(e, 0, sizeof *e);
    if ((code = cache__stmt(c, ST_ENTRY_GET, &s)))
        return code;
    if ((rc = cache__bind_key(s, op->k, op->intent)))
        return cache__sqlfail(c, rc, "lookup");
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        code = cache__entry_from_row(c, s, e);
    else if (rc == SQLITE_DONE)
        code = CACHE_MISS;
    else
        code = cache__sqlfail(c, rc, "lookup");
    sqlite3_reset(s);
    return code;
}

/* Runs a key-only UPDATE (?5 = now when WITH_NOW); CACHE_MISS if no row. */
static cache_code key_update(struct cache *c, struct keyop *op,
                             enum cache__st id, int with_now)
{
    sqlite3_stmt *s;
    cache_code code;
    int rc;

    if ((code = cache__stmt(c, id, &s)))
        return code;
    rc = cache__bind_key(s, op->k, op->intent);
    if (rc == SQLITE_OK && with_now)
        rc = sqlite3_bind_int64(s, 5, ut_wall_ms());
    if (rc)
        return cache__sqlfail(c, rc, "update");
    if ((code = cache__step_done(c, s, "update")))
        return code;
    return sqlite3_changes(c->db) ? CACHE_OK : CACHE_MISS;
}

/* A read: the row, with the successes still pending added; its
 * bookkeeping (last use, counters) is deferred. */
cache_code cache_lookup(struct cache *c, const struct cache_key *k,
                        struct cache_entry *out)
{
    struct keyop op;
    cache_code code;
    int64_t deadline;

    memset(out, 0, sizeof *out);
    memset(&op, 0, sizeof op);
    op.k = k;
    if ((code = cache__check_key(c, k, op.intent, sizeof op.intent)))
        return code;
    deadline = ut_now_ms() + cache__wait_ms(c);
    while ((code = get_entry(c, &op, out)) == CACHE_E_BUSY &&
           ut_now_ms() < deadline)
        ut_sleep_ms(1);     /* a reader is busy only during WAL recovery */
    cache__gave_up(c, code);    /* or under an exclusive locking_mode */
    if (code == CACHE_OK) {
        out->successes += pend_ok(c, k, op.intent);
        if (out->failures > out->successes) {
            cache_entry_clear(out);     /* demoted: served as a miss */
            code = CACHE_MISS;
        }
    }
    if (code != CACHE_OK && code != CACHE_MISS) {
        cache_entry_clear(out);
        return code;
    }
    c->pend_ctr[CACHE__C_LOOKUPS]++;
    if (code == CACHE_MISS) {
        c->pend_ctr[CACHE__C_MISSES]++;
        return CACHE_MISS;
    }
    c->pend_ctr[CACHE__C_HITS]++;
    if (strcmp(out->source, "llm") == 0)
        c->pend_ctr[CACHE__C_LLM]++;
    if ((code = pend_add(c, k, op.intent, 0))) {
        cache_entry_clear(out);
        return code;
    }
    return CACHE_OK;
}

cache_code cache_peek(struct cache *c, const struct cache_key *k)
{
    struct keyop op;
    struct cache_entry e;
    cache_code code;
    int64_t deadline;

    memset(&op, 0, sizeof op);
    op.k = k;
    if ((code = cache__check_key(c, k, op.intent, sizeof op.intent)))
        return code;
    memset(&e, 0, sizeof e);
    deadline = ut_now_ms() + cache__wait_ms(c);
    while ((code = get_entry(c, &op, &e)) == CACHE_E_BUSY &&
           ut_now_ms() < deadline)
        ut_sleep_ms(1);
    cache__gave_up(c, code);
    if (code == CACHE_OK &&
        e.failures > e.successes + pend_ok(c, k, op.intent))
        code = CACHE_MISS;              /* demoted */
    cache_entry_clear(&e);
    return code;
}

static cache_code put_tx(struct cache *c, void *arg)
{
    struct keyop *op = arg;
    struct cache_entry old;
    enum cache__st id;
    sqlite3_stmt *s;
    cache_code code;
    int heal = op->healed ? 1 : 0, rc;

    code = get_entry(c, op, &old);
    if (code == CACHE_MISS) {
        id = ST_ENTRY_INSERT;
    } else if (code) {
        return code;
    } else if (strcmp(old.selector, op->selector) == 0) {
        id = ST_ENTRY_SAME;
    } else {
        id = ST_ENTRY_REPLACE;
        if (old.failures > 0)
            heal = 1;   /* replacing a selector that failed validation */
    }
    cache_entry_clear(&old);
    if ((code = cache__stmt(c, id, &s)))
        return code;
    rc = cache__bind_key(s, op->k, op->intent);
    if (!rc)
        rc = cache__bind_text(s, 5, op->selector);
    if (!rc)
        rc = cache__bind_text(s, 6, op->fingerprint ? op->fingerprint : "");
    if (!rc)
        rc = cache__bind_text(s, 7, op->source);
    if (!rc)
        rc = sqlite3_bind_double(s, 8, op->confidence);
    if (!rc)
        rc = sqlite3_bind_int(s, 9, heal);
    if (!rc)
        rc = sqlite3_bind_int64(s, 10, ut_wall_ms());
    if (rc)
        return cache__sqlfail(c, rc, "put");
    if ((code = cache__step_done(c, s, "put")))
        return code;
    return cache__counter_add(c, "heals", heal);
}

cache_code cache__check_value(struct cache *c, const char *selector,
                              const char *fingerprint, const char *source,
                              double confidence)
{
    size_t n = selector ? strlen(selector) : 0;

    if (!n)
        return cache__fail(c, CACHE_E_INPUT, "selector is empty");
    if (n > CACHE_MAX_SELECTOR)
        return cache__fail(c, CACHE_E_INPUT, "selector is %zu bytes "
                           "(limit %d)", n, CACHE_MAX_SELECTOR);
    if (fingerprint && strlen(fingerprint) > CACHE_MAX_FINGERPRINT)
        return cache__fail(c, CACHE_E_INPUT, "fingerprint is over %d "
                           "bytes", CACHE_MAX_FINGERPRINT);
    if (!source || (strcmp(source, "heuristic") && strcmp(source, "llm")))
        return cache__fail(c, CACHE_E_INPUT, "source must be \"heuristic\" "
                           "or \"llm\"");
    if (!(confidence >= 0.0 && confidence <= 1.0))
        return cache__fail(c, CACHE_E_INPUT, "confidence %g is not in "
                           "[0, 1]", confidence);
    return CACHE_OK;
}

cache_code cache_put(struct cache *c, const struct cache_key *k,
                     const char *selector, const char *fingerprint,
                     const char *source, double confidence, int healed)
{
    struct keyop op;
    cache_code code;

    memset(&op, 0, sizeof op);
    op.k = k;
    op.selector = selector;
    op.fingerprint = fingerprint;
    op.source = source;
    op.confidence = confidence;
    op.healed = healed;
    if ((code = cache__check_key(c, k, op.intent, sizeof op.intent)) ||
        (code = cache__check_value(c, selector, fingerprint, source,
                                   confidence)))
        return code;
    return cache__write(c, put_tx, &op);
}

static cache_code demote_tx(struct cache *c, void *arg)
{
    cache_code code = key_update(c, arg, ST_ENTRY_FAIL, 0);

    if (code)
        return code;
    return cache__counter_add(c, "demotions", 1);
}

static cache_code keyed(struct cache *c, const struct cache_key *k,
                        cache__txfn fn)
{
    struct keyop op;
    cache_code code;

    memset(&op, 0, sizeof op);
    op.k = k;
    if ((code = cache__check_key(c, k, op.intent, sizeof op.intent)))
        return code;
    return cache__write(c, fn, &op);
}

cache_code cache_hit_ok(struct cache *c, const struct cache_key *k)
{
    char intent[CACHE_MAX_INTENT + 1];
    cache_code code;

    if ((code = cache__check_key(c, k, intent, sizeof intent)))
        return code;
    return pend_add(c, k, intent, 1);
}

cache_code cache_demote(struct cache *c, const struct cache_key *k)
{
    return keyed(c, k, demote_tx);
}
