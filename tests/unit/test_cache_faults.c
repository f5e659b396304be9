/* test_cache_faults.c -- files that must be refused, and the v1 -> v2
 * migration. For every refusal: the right code, a one-line message that
 * names the path, and the file byte-identical afterwards (no -wal/-shm
 * left either). Root bypasses permission bits, so "unwritable" is tested
 * with a read-only bind mount, a parent that is a regular file (ENOTDIR)
 * and a path under /proc; disk full with a 256 KiB tmpfs. The mount
 * cases are skipped (and say so) where mount(2) is not allowed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../../cache/cache.h"
#include "../t.h"
#include "../../util/util.h"

static char tmpdir[] = "/tmp/cdpilot-tfault.XXXXXX";

static void path_of(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", tmpdir, name);
}

static int sql(const char *path, const char *text)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);

    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, text, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        fprintf(stderr, "sql on %s: %s\n", path, sqlite3_errmsg(db));
    sqlite3_close(db);
    return rc;
}

static int64_t sql_int(const char *path, const char *q)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t v = -1;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, q, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static char *slurp(const char *path, size_t *len)
{
    char err[256];

    return ut_read_file(path, UT_MAX_FILE, len, err, sizeof err);
}

static int exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0;
}

/* Opens PATH expecting WANT; checks the message names the path and
 * mentions NEEDLE, is one line, and the file (if any) is unchanged. */
static void refused(const char *path, cache_code want, const char *needle)
{
    char err[1024] = "", side[600];
    struct cache *c = (struct cache *)1;
    size_t n0 = 0, n1 = 0;
    char *before = slurp(path, &n0), *after;
    cache_code rc = cache_open(path, 500, &c, err, sizeof err);

    CHECK_MSG(rc == want, "%s: code %d, wanted %d (%s)", path, rc, want, err);
    CHECK(c == NULL);
    if (rc == CACHE_OK)     /* opened after all: not left open */
        cache_close(c);
    CHECK_CONTAINS(err, path);
    CHECK_CONTAINS(err, needle);
    CHECK_MSG(!strchr(err, '\n'), "multi-line message: %s", err);
    after = slurp(path, &n1);
    CHECK_MSG((!before && !after) ||
              (before && after && n0 == n1 && !memcmp(before, after, n0)),
              "%s changed", path);
    snprintf(side, sizeof side, "%s-wal", path);
    CHECK_MSG(!exists(side), "%s left behind", side);
    snprintf(side, sizeof side, "%s-journal", path);
    CHECK_MSG(!exists(side), "%s left behind", side);
    free(before);
    free(after);
}

/* A closed, healthy cache with N entries at PATH. */
static void make_good(const char *path, int n)
{
    char err[512], intent[64];
    struct cache *c = NULL;
    int i;

    if (cache_open(path, 2000, &c, err, sizeof err) != CACHE_OK) {
        CHECK_MSG(0, "make_good: %s", err);
        return;
    }
    for (i = 0; i < n; i++) {
        struct cache_key k = {"http://127.0.0.1:8080", "/item/:n", "click",
                              intent};

        snprintf(intent, sizeof intent, "button number %d", i);
        if (cache_put(c, &k, "#some-fairly-long-selector > div.item > "
                      "button.primary", "{\"tag\":\"button\",\"role\":"
                      "\"button\",\"name\":\"Add to cart\"}", "heuristic",
                      0.9, 0) != CACHE_OK) {
            CHECK_MSG(0, "make_good put: %s", cache_errmsg(c));
            break;
        }
    }
    cache_close(c);
}

static int copy_file(const char *from, const char *to)
{
    size_t n;
    char *d = slurp(from, &n);
    int rc = d ? ut_write_file(to, d, n, 0600) : -1;

    free(d);
    return rc;
}

static void test_not_a_cache(void)
{
    char p[512], q[512];

    path_of(p, sizeof p, "adir");
    CHECK(mkdir(p, 0700) == 0);
    refused(p, CACHE_E_OPEN, "is a directory");

    path_of(p, sizeof p, "afile");
    CHECK(ut_write_file(p, "x", 1, 0600) == 0);
    path_of(q, sizeof q, "afile/sub/cache.db");
    refused(q, CACHE_E_OPEN, "Not a directory");

    refused("/proc/cdpilot-no-such-dir/cache.db", CACHE_E_OPEN,
            "cannot create directory");

    path_of(p, sizeof p, "notes.txt");
    CHECK(ut_write_file(p, "my notes\nkeep me\n", 17, 0644) == 0);
    refused(p, CACHE_E_OPEN, "not a SQLite database");

    path_of(p, sizeof p, "tiny.db");                /* magic, then nothing */
    CHECK(ut_write_file(p, "SQLite format 3\0abc", 19, 0644) == 0);
    refused(p, CACHE_E_CORRUPT, "truncated");

    refused("/dev/null", CACHE_E_OPEN, "not a regular file");
}

static void test_foreign(void)
{
    char p[512];

    path_of(p, sizeof p, "shop.db");
    CHECK(sql(p, "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);"
                 "INSERT INTO customers(name) VALUES ('ada');") == 0);
    refused(p, CACHE_E_OPEN, "not a cdpilot cache");

    /* Another application that set its own id (and has no tables). */
    path_of(p, sizeof p, "other-app.db");
    CHECK(sql(p, "PRAGMA application_id = 1234;") == 0);
    refused(p, CACHE_E_OPEN, "application_id 1234");

    /* Tables named like ours but no application_id: still not ours. */
    path_of(p, sizeof p, "lookalike.db");
    CHECK(sql(p, "CREATE TABLE entries(x); CREATE TABLE counters(y);"
                 "CREATE TABLE runs(z);") == 0);
    refused(p, CACHE_E_OPEN, "not a cdpilot cache");
}

static void test_newer(void)
{
    char p[512];

    path_of(p, sizeof p, "newer.db");
    make_good(p, 3);
    CHECK(sql(p, "PRAGMA user_version = 99;") == 0);
    refused(p, CACHE_E_NEWER, "schema version 99 is newer");
    CHECK_INT(sql_int(p, "PRAGMA user_version"), 99);
}

static void test_corrupt(void)
{
    char good[512], p[512], err[512];
    struct cache *c = NULL;
    struct stat st;
    size_t n0, n1;
    char *before, *after;
    unsigned char page[4096];
    cache_code rc;
    int fd, i;

    path_of(good, sizeof good, "good.db");
    make_good(good, 2000);
    CHECK(stat(good, &st) == 0 && st.st_size > 200 * 1024);

    /* Truncated to half. */
    path_of(p, sizeof p, "half.db");
    CHECK(copy_file(good, p) == 0);
    CHECK(truncate(p, st.st_size / 2) == 0);
    refused(p, CACHE_E_CORRUPT, "malformed");

    /* A page of random bytes in the middle. Open may succeed (only
     * quick_check on a suspect header reads every page); the first
     * statement that touches the page, and cache_check, must say
     * CACHE_E_CORRUPT, and the file must not change. */
    path_of(p, sizeof p, "noise.db");
    CHECK(copy_file(good, p) == 0);
    srand(42);
    for (i = 0; i < (int)sizeof page; i++)
        page[i] = (unsigned char)rand();
    fd = open(p, O_WRONLY);
    CHECK(fd >= 0 && pwrite(fd, page, sizeof page,
                            (st.st_size / 2) & ~(off_t)4095) ==
                     (ssize_t)sizeof page);
    close(fd);
    before = slurp(p, &n0);
    rc = cache_open(p, 500, &c, err, sizeof err);
    if (rc == CACHE_OK) {
        FILE *devnull = fopen("/dev/null", "w");

        CHECK_INT(cache_check(c), CACHE_E_CORRUPT);
        CHECK_CONTAINS(cache_errmsg(c), p);
        CHECK_CONTAINS(cache_errmsg(c), "malformed");
        CHECK_INT(cache_list(c, NULL, devnull, 0), CACHE_E_CORRUPT);
        CHECK_CONTAINS(cache_errmsg(c), "list");
        fclose(devnull);
        cache_close(c);
    } else {
        CHECK_INT(rc, CACHE_E_CORRUPT);
        CHECK_CONTAINS(err, p);
    }
    after = slurp(p, &n1);
    CHECK(before && after && n0 == n1 && !memcmp(before, after, n0));
    free(before);
    free(after);

    /* A good file passes the full check. */
    CHECK_INT(cache_open(good, 500, &c, err, sizeof err), CACHE_OK);
    if (c)
        CHECK_INT(cache_check(c), CACHE_OK);
    cache_close(c);
}

static void test_empty_file(void)
{
    char p[512], err[512];
    struct cache *c = NULL;

    /* A 0-byte file holds nothing to lose: it becomes a cache. */
    path_of(p, sizeof p, "empty.db");
    CHECK(ut_write_file(p, "", 0, 0600) == 0);
    CHECK_INT(cache_open(p, 500, &c, err, sizeof err), CACHE_OK);
    cache_close(c);
    CHECK_INT(sql_int(p, "PRAGMA user_version"), CACHE_SCHEMA_VERSION);
    CHECK_INT(sql_int(p, "PRAGMA application_id"), 0x6364506c);
    CHECK_INT(sql_int(p, "SELECT count(*) FROM pragma_journal_mode"
                         " WHERE journal_mode = 'wal'"), 1);
}

/* The v1 schema exactly as cdpilot's first release wrote it. */
static const char v1_schema[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA application_id = 1667518572;"     /* 0x6364506c, "cdPl" */
    "CREATE TABLE entries ("
    " origin TEXT NOT NULL, route TEXT NOT NULL, kind TEXT NOT NULL,"
    " intent TEXT NOT NULL, selector TEXT NOT NULL,"
    " fingerprint TEXT NOT NULL DEFAULT '',"
    " source TEXT NOT NULL CHECK (source IN ('heuristic','llm')),"
    " confidence REAL NOT NULL DEFAULT 0,"
    " successes INTEGER NOT NULL DEFAULT 0,"
    " failures INTEGER NOT NULL DEFAULT 0,"
    " created_ms INTEGER NOT NULL, last_used_ms INTEGER NOT NULL,"
    " UNIQUE (origin, route, kind, intent));"
    "CREATE TABLE counters (name TEXT PRIMARY KEY,"
    " value INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
    "INSERT INTO counters(name, value) VALUES ('lookups', 10), ('hits', 7),"
    " ('misses', 3), ('heals', 1), ('demotions', 2);"
    "CREATE TABLE runs (run_id TEXT PRIMARY KEY, task_name TEXT NOT NULL,"
    " task_hash TEXT NOT NULL, status TEXT NOT NULL,"
    " next_step INTEGER NOT NULL DEFAULT 0,"
    " vars_json TEXT NOT NULL DEFAULT '{}',"
    " started_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);"
    "INSERT INTO entries VALUES ('http://a.test', '/login', 'click',"
    " 'sign in', '#go', '{\"tag\":\"button\"}', 'llm', 0.8, 4, 1,"
    " 1700000000000, 1700000001000);"
    "INSERT INTO runs VALUES ('run-1', 'login', 'h1', 'interrupted', 3,"
    " '{\"a\":\"1\"}', 1700000000000, 1700000002000);"
    "PRAGMA user_version = 1;";

static void test_migrate_v1(void)
{
    struct cache_key k = {"http://a.test", "/login", "click", "Sign In"};
    char p[512], err[512];
    struct cache *c = NULL;
    struct cache_entry e;
    struct cache_stats st;
    struct cache_run r;

    path_of(p, sizeof p, "v1.db");
    CHECK(sql(p, v1_schema) == 0);
    CHECK_INT(sql_int(p, "PRAGMA user_version"), 1);
    CHECK_INT(sql_int(p, "SELECT count(*) FROM pragma_table_info('entries')"
                         " WHERE name = 'heals'"), 0);
    CHECK_INT(cache_open(p, 1000, &c, err, sizeof err), CACHE_OK);
    if (!c) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK_INT(cache_lookup(c, &k, &e), CACHE_OK);
    CHECK_STR(e.selector, "#go");
    CHECK_STR(e.fingerprint, "{\"tag\":\"button\"}");
    CHECK_INT(e.successes, 4);
    CHECK_INT(e.failures, 1);
    CHECK_INT(e.heals, 0);
    CHECK_INT(e.created_ms, 1700000000000LL);
    cache_entry_clear(&e);
    CHECK_INT(cache_put(c, &k, "#go2", NULL, "heuristic", 0.9, 1), CACHE_OK);
    CHECK_INT(cache_stats(c, &st), CACHE_OK);
    CHECK_INT(st.lookups, 11);
    CHECK_INT(st.hits, 8);
    CHECK_INT(st.heals, 2);
    CHECK_INT(st.llm_saved, 1);            /* the new counter works */
    CHECK_INT(cache_run_get(c, "run-1", &r), CACHE_OK);
    CHECK_INT(r.next_step, 3);
    CHECK_STR(r.vars_json, "{\"a\":\"1\"}");
    cache_run_clear(&r);
    cache_close(c);
    CHECK_INT(sql_int(p, "PRAGMA user_version"), 3);
    CHECK_INT(sql_int(p, "SELECT heals FROM entries"), 1);
    CHECK_INT(sql_int(p, "SELECT count(*) FROM sqlite_master WHERE type ="
                         " 'table' AND name IN ('task_times',"
                         " 'suite_budgets', 'grid_sessions')"), 3);
    CHECK_INT(sql_int(p, "SELECT count(*) FROM sqlite_master WHERE type ="
                         " 'index' AND name = 'entries_last_used'"), 1);
    /* Opening again is a no-op. */
    CHECK_INT(cache_open(p, 1000, &c, err, sizeof err), CACHE_OK);
    cache_close(c);
    CHECK_INT(sql_int(p, "PRAGMA user_version"), 3);
}

/* ---- mounts (root only) -------------------------------------------------- */

/* The type (and the remount's source) are ignored for bind mounts; they
 * are "none" rather than NULL so that valgrind has a string to check. */
static void test_readonly(void)
{
    char dir[512], p[512];

    path_of(dir, sizeof dir, "ro");
    CHECK(mkdir(dir, 0700) == 0);
    path_of(p, sizeof p, "ro/cache.db");
    make_good(p, 2);
    if (mount(dir, dir, "none", MS_BIND, NULL) != 0) {
        printf("skip: read-only bind mount (%s)\n", strerror(errno));
        return;
    }
    if (mount("none", dir, "none", MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) != 0) {
        printf("skip: read-only remount (%s)\n", strerror(errno));
        umount2(dir, MNT_DETACH);
        return;
    }
    refused(p, CACHE_E_OPEN, "Read-only file system");
    path_of(p, sizeof p, "ro/new/cache.db");
    refused(p, CACHE_E_OPEN, "cannot create directory");
    umount2(dir, MNT_DETACH);
}

static void test_disk_full(void)
{
    char dir[512], p[512], err[512], intent[64], sel[600];
    struct cache *c = NULL;
    struct cache_entry e;
    cache_code rc = CACHE_OK;
    int i, last_ok = -1;

    path_of(dir, sizeof dir, "small");
    CHECK(mkdir(dir, 0700) == 0);
    if (mount("tmpfs", dir, "tmpfs", 0, "size=256k") != 0) {
        printf("skip: disk full test, cannot mount a tmpfs (%s)\n",
               strerror(errno));
        return;
    }
    path_of(p, sizeof p, "small/cache.db");
    if (cache_open(p, 500, &c, err, sizeof err) != CACHE_OK) {
        CHECK_MSG(0, "open on tmpfs: %s", err);
        umount2(dir, MNT_DETACH);
        return;
    }
    memset(sel, 'q', sizeof sel - 1);
    sel[sizeof sel - 1] = '\0';
    for (i = 0; i < 100000; i++) {
        struct cache_key k = {"http://full.test", "/", "click", intent};

        snprintf(intent, sizeof intent, "entry %d", i);
        rc = cache_put(c, &k, sel, NULL, "heuristic", 0.5, 0);
        if (rc != CACHE_OK)
            break;
        last_ok = i;
    }
    CHECK_INT(rc, CACHE_E_IO);
    CHECK_CONTAINS(cache_errmsg(c), "disk full");
    CHECK_CONTAINS(cache_errmsg(c), p);
    CHECK(last_ok > 10);
    /* Everything committed before is still there, on this handle... */
    for (i = 0; i <= last_ok; i += last_ok / 10) {
        struct cache_key k = {"http://full.test", "/", "click", intent};

        snprintf(intent, sizeof intent, "entry %d", i);
        rc = cache_lookup(c, &k, &e);
        /* the lookup's counter update may itself not fit: a read-only
         * check then goes through sqlite below */
        CHECK_MSG(rc == CACHE_OK || rc == CACHE_E_IO, "lookup %d: %s", i,
                  cache_errmsg(c));
        cache_entry_clear(&e);
    }
    cache_close(c);
    /* ...and after closing, read with plain SQLite. */
    CHECK_INT(sql_int(p, "SELECT count(*) FROM entries"), last_ok + 1);
    CHECK_INT(sql_int(p, "SELECT count(*) FROM pragma_integrity_check"
                         " WHERE integrity_check = 'ok'"), 1);
    umount2(dir, MNT_DETACH);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_not_a_cache();
    test_foreign();
    test_newer();
    test_corrupt();
    test_empty_file();
    test_migrate_v1();
    test_readonly();
    test_disk_full();
    ut_rm_rf(tmpdir);
    return T_DONE();
}
