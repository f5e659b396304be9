/* test_cache_locked.c -- a cache that another connection keeps locked.
 * The handle waits its busy timeout once, gives up with CACHE_E_BUSY and
 * says so (cache_locked()); after that it tries each operation once and
 * does not wait again, so a run can go on at full speed: reads that
 * cannot read fail at once (a miss to the caller), writes that cannot
 * get the lock fail at once (skipped). When the lock goes, operations
 * succeed again, and the file is intact. Two locks: a write transaction
 * in WAL mode (readers still read) and locking_mode=EXCLUSIVE (nobody
 * reads, so the open itself gives up). The holder is a second SQLite
 * connection on the same file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "../../cache/cache.h"
#include "../t.h"
#include "../../util/util.h"

#define BUSY_MS 400

static char tmpdir[] = "/tmp/cdpilot-tlock.XXXXXX";

static const struct cache_key K1 = { "http://127.0.0.1:8080", "/app",
                                     "click", "sign in" };
static const struct cache_key K2 = { "http://127.0.0.1:8080", "/app",
                                     "fill", "email" };

/* A second connection holding PATH locked; EXCLUSIVE_MODE: nobody reads. */
static sqlite3 *hold(const char *path, int exclusive_mode)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);

    if (rc == SQLITE_OK && exclusive_mode)
        rc = sqlite3_exec(db, "PRAGMA locking_mode=EXCLUSIVE", 0, 0, 0);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "BEGIN EXCLUSIVE; UPDATE counters SET value ="
                          " value WHERE name = 'lookups'", 0, 0, 0);
    CHECK_MSG(rc == SQLITE_OK, "hold: %s", sqlite3_errmsg(db));
    return db;
}

static void release(sqlite3 *db)
{
    sqlite3_exec(db, "COMMIT", 0, 0, 0);
    sqlite3_close(db);
}

/* The operation's code and its wall time in *MS. */
static cache_code put(struct cache *c, const struct cache_key *k,
                      int64_t *ms)
{
    int64_t t0 = ut_now_ms();
    cache_code rc = cache_put(c, k, "css=#x", "{}", "heuristic", 0.9, 0);

    *ms = ut_now_ms() - t0;
    return rc;
}

static cache_code lookup(struct cache *c, const struct cache_key *k,
                         int64_t *ms)
{
    struct cache_entry e;
    int64_t t0 = ut_now_ms();
    cache_code rc = cache_lookup(c, k, &e);

    *ms = ut_now_ms() - t0;
    cache_entry_clear(&e);
    return rc;
}

/* A write transaction in WAL mode: readers still read, writers wait. */
static void test_write_lock(void)
{
    char path[128], err[512];
    struct cache *c = NULL;
    sqlite3 *h;
    int64_t ms;

    snprintf(path, sizeof path, "%s/w.db", tmpdir);
    CHECK_INT(cache_open(path, BUSY_MS, &c, err, sizeof err), CACHE_OK);
    if (!c)
        return;
    CHECK_INT(put(c, &K1, &ms), CACHE_OK);
    CHECK_INT(cache_locked(c), 0);
    h = hold(path, 0);

    /* The first write waits the busy timeout, then gives up. */
    CHECK_INT(put(c, &K2, &ms), CACHE_E_BUSY);
    CHECK_MSG(ms >= BUSY_MS - 10, "first put gave up after %lld ms",
              (long long)ms);
    CHECK_CONTAINS(cache_errmsg(c), "locked by another process");
    CHECK_INT(cache_locked(c), 1);

    /* From now on nothing waits; reads still read. */
    CHECK_INT(put(c, &K2, &ms), CACHE_E_BUSY);
    CHECK_MSG(ms < BUSY_MS / 2, "second put took %lld ms", (long long)ms);
    CHECK_CONTAINS(cache_errmsg(c), "waited 0 ms");
    ms = ut_now_ms();
    CHECK_INT(cache_run_begin(c, "run-1", "t", "h"), CACHE_E_BUSY);
    CHECK_INT(cache_demote(c, &K1), CACHE_E_BUSY);
    ms = ut_now_ms() - ms;
    CHECK_MSG(ms < BUSY_MS / 2, "two writes took %lld ms", (long long)ms);
    CHECK_INT(lookup(c, &K1, &ms), CACHE_OK);
    CHECK_MSG(ms < BUSY_MS / 2, "lookup took %lld ms", (long long)ms);
    CHECK_INT(cache_peek(c, &K1), CACHE_OK);

    /* The lock goes: operations succeed again, still without waiting. */
    release(h);
    CHECK_INT(put(c, &K2, &ms), CACHE_OK);
    CHECK_INT(lookup(c, &K2, &ms), CACHE_OK);
    CHECK_INT(cache_check(c), CACHE_OK);
    cache_close(c);
}

/* locking_mode=EXCLUSIVE: nobody can even read; the open gives up once,
 * with a message naming the file, and the file is intact afterwards. */
static void test_exclusive_mode(void)
{
    char path[128], err[512] = "";
    struct cache *c = NULL;
    sqlite3 *h;
    int64_t t0, ms;

    snprintf(path, sizeof path, "%s/x.db", tmpdir);
    CHECK_INT(cache_open(path, BUSY_MS, &c, err, sizeof err), CACHE_OK);
    if (!c)
        return;
    CHECK_INT(put(c, &K1, &ms), CACHE_OK);
    cache_close(c);
    c = NULL;
    h = hold(path, 1);
    t0 = ut_now_ms();
    CHECK_INT(cache_open(path, BUSY_MS, &c, err, sizeof err), CACHE_E_BUSY);
    ms = ut_now_ms() - t0;
    CHECK(c == NULL);
    CHECK_MSG(ms >= BUSY_MS - 10 && ms < BUSY_MS + 3000, "open gave up "
              "after %lld ms", (long long)ms);
    CHECK_CONTAINS(err, path);
    CHECK_CONTAINS(err, "locked by another process");
    release(h);
    CHECK_INT(cache_open(path, BUSY_MS, &c, err, sizeof err), CACHE_OK);
    if (!c)
        return;
    CHECK_INT(lookup(c, &K1, &ms), CACHE_OK);
    CHECK_INT(cache_check(c), CACHE_OK);
    cache_close(c);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_write_lock();
    test_exclusive_mode();
    ut_rm_rf(tmpdir);
    return T_DONE();
}
