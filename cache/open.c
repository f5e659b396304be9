/* open.c -- finding, vetting, creating and migrating the cache database.
 * The rule this file exists for: a file that is not a healthy cdpilot
 * database is refused before anything is written to it. The checks run
 * in this order, each cheap: stat (directory, not a regular file), our
 * own read of the 100-byte SQLite header (not SQLite, truncated), then
 * read-only queries through SQLite (application_id, user_version, table
 * names). Only after all of them pass may journal_mode=WAL, schema
 * creation or a migration write anything. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache_int.h"
#include "../util/util.h"

#define CACHE_DEFAULT_BUSY_MS 5000

/* ---- errors ------------------------------------------------------------ */

const char *cache_strerror(cache_code c)
{
    switch (c) {
    case CACHE_OK:        return "ok";
    case CACHE_MISS:      return "not in cache";
    case CACHE_E_NOMEM:   return "out of memory";
    case CACHE_E_OPEN:    return "cannot use the cache file";
    case CACHE_E_CORRUPT: return "cache database is corrupt";
    case CACHE_E_NEWER:   return "cache database is from a newer cdpilot";
    case CACHE_E_BUSY:    return "cache database is locked";
    case CACHE_E_IO:      return "cache I/O error";
    case CACHE_E_INPUT:   return "bad cache input";
    case CACHE_LAST:      break;
    }
    return "unknown cache error";
}

const char *cache_errmsg(const struct cache *c)
{
    return c ? c->msg : "no cache handle";
}

const char *cache_path(const struct cache *c)
{
    return c ? c->path : "";
}

cache_code cache__code_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK: case SQLITE_ROW: case SQLITE_DONE:
        return CACHE_OK;
    case SQLITE_NOMEM:
        return CACHE_E_NOMEM;
    case SQLITE_BUSY: case SQLITE_LOCKED:
        return CACHE_E_BUSY;
    case SQLITE_CORRUPT: case SQLITE_NOTADB: case SQLITE_FORMAT:
    case SQLITE_SCHEMA: case SQLITE_ERROR:
        /* SQLITE_ERROR after the schema was vetted means a table or
         * column is not what it should be: a damaged database. */
        return CACHE_E_CORRUPT;
    case SQLITE_READONLY: case SQLITE_CANTOPEN: case SQLITE_PERM:
    case SQLITE_AUTH:
        return CACHE_E_OPEN;
    case SQLITE_TOOBIG: case SQLITE_CONSTRAINT: case SQLITE_MISMATCH:
    case SQLITE_RANGE:
        return CACHE_E_INPUT;
    default:  /* SQLITE_FULL, SQLITE_IOERR, SQLITE_PROTOCOL, ... */
        return CACHE_E_IO;
    }
}

cache_code cache__fail(struct cache *c, cache_code code, const char *fmt, ...)
{
    char line[CACHE__LINE_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    snprintf(c->msg, sizeof c->msg, "%s: %s", c->path, line);
    return code;
}

cache_code cache__sqlfail(struct cache *c, int rc, const char *what)
{
    cache_code code = cache__code_of(rc);
    const char *why = c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc);

    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        return cache__fail(c, code, "%s: database is locked by another "
                           "process (waited %d ms)", what,
                           cache__wait_ms(c));
    if ((rc & 0xff) == SQLITE_FULL)
        return cache__fail(c, code, "%s: disk full", what);
    return cache__fail(c, code, "%s: %s", what,
                       why && *why ? why : sqlite3_errstr(rc));
}

int cache__wait_ms(const struct cache *c)
{
    return c->locked ? 0 : c->busy_ms;
}

cache_code cache__gave_up(struct cache *c, cache_code code)
{
    if (code == CACHE_E_BUSY && !c->locked) {
        c->locked = 1;
        if (c->db)
            sqlite3_busy_timeout(c->db, 0);
    }
    return code;
}

int cache_locked(const struct cache *c)
{
    return c ? c->locked : 0;
}

/* ---- the default path and the parent directories ----------------------- */

char *cache_default_path(char *out, size_t n)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");

    if (!n)
        return out;
    /* The XDG spec says a relative XDG_CACHE_HOME is to be ignored. */
    if (xdg && xdg[0] == '/')
        snprintf(out, n, "%s/cdpilot/cache.db", xdg);
    else if (home && home[0])
        snprintf(out, n, "%s/.cache/cdpilot/cache.db", home);
    else
        snprintf(out, n, "./.cdpilot-cache.db");
    return out;
}

/* mkdir -p of PATH's parent: directories created here get 0700 exactly
 * (chmod after mkdir, so the umask cannot widen or narrow them); ones
 * that exist are left alone. 0, or -1 with errno and the failing
 * component in BAD. */
static int make_parents(const char *path, char *bad, size_t badlen)
{
    char tmp[CACHE__PATH_MAX];
    char *p;

    if (ut_strlcpy(tmp, path, sizeof tmp) >= sizeof tmp) {
        errno = ENAMETOOLONG;
        ut_strlcpy(bad, path, badlen);
        return -1;
    }
    for (p = tmp + 1; *p; p++) {
        struct stat st;

        if (*p != '/')
            continue;
        *p = '\0';
        if (stat(tmp, &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                errno = ENOTDIR;
                ut_strlcpy(bad, tmp, badlen);
                return -1;
            }
        } else if (mkdir(tmp, 0700) == 0) {
            (void)chmod(tmp, 0700);
        } else if (errno != EEXIST) {
            ut_strlcpy(bad, tmp, badlen);
            return -1;
        }
        *p = '/';
    }
    return 0;
}

/* ---- the pre-SQLite checks -------------------------------------------- */

/* Big-endian fields of the database header (sqlite.org/fileformat.html). */
static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
           (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

enum hdr { HDR_EMPTY, HDR_OK, HDR_SUSPECT };

/* Looks at the file before SQLite does. CACHE_OK with *state: EMPTY (0
 * bytes: a fresh database), OK, or SUSPECT (the header's page count does
 * not fit the file size: maybe truncated, maybe a checkpoint in flight;
 * the caller runs quick_check under SQLite's locks to decide). */
static cache_code vet_file(struct cache *c, int *created, enum hdr *state)
{
    unsigned char h[100];
    struct stat st;
    uint32_t psz, npages, valid_for, change;
    ssize_t got;
    int fd;

    *created = 0;
    fd = open(c->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        /* Ours from birth: 0600 whatever the umask. */
        (void)fchmod(fd, 0600);
        close(fd);
        *created = 1;
        *state = HDR_EMPTY;
        return CACHE_OK;
    }
    if (errno != EEXIST)
        return cache__fail(c, CACHE_E_OPEN, "cannot create: %s",
                           strerror(errno));
    if (stat(c->path, &st) != 0)
        return cache__fail(c, CACHE_E_OPEN, "%s", strerror(errno));
    if (S_ISDIR(st.st_mode))
        return cache__fail(c, CACHE_E_OPEN, "is a directory, not a cache "
                           "file");
    if (!S_ISREG(st.st_mode))
        return cache__fail(c, CACHE_E_OPEN, "not a regular file");
    fd = open(c->path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return cache__fail(c, CACHE_E_OPEN, "cannot open for writing: %s",
                           strerror(errno));
    got = read(fd, h, sizeof h);
    close(fd);
    if (got == 0) {
        *state = HDR_EMPTY;
        return CACHE_OK;
    }
    if (got < 16 || memcmp(h, "SQLite format 3", 16) != 0)
        return cache__fail(c, CACHE_E_OPEN, "not a SQLite database (%lld "
                           "bytes); refusing to touch it",
                           (long long)st.st_size);
    if (got < (ssize_t)sizeof h)
        return cache__fail(c, CACHE_E_CORRUPT, "truncated database (%lld "
                           "bytes)", (long long)st.st_size);
    psz = (uint32_t)h[16] << 8 | h[17];
    if (psz == 1)
        psz = 65536;
    if (psz < 512 || (psz & (psz - 1)))
        return cache__fail(c, CACHE_E_CORRUPT, "bad page size in header");
    npages = be32(h + 28);
    change = be32(h + 24);
    valid_for = be32(h + 92);
    *state = HDR_OK;
    /* The in-header size is only meaningful when valid-for matches the
     * change counter (fileformat.html, "In-header database size"). */
    if (st.st_size % psz != 0 ||
        (npages && valid_for == change &&
         (int64_t)npages * psz > (int64_t)st.st_size))
        *state = HDR_SUSPECT;
    return CACHE_OK;
}

/* ---- small SQL helpers -------------------------------------------------- */

static cache_code exec_sql(struct cache *c, const char *sql, const char *what)
{
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);

    return rc == SQLITE_OK ? CACHE_OK : cache__sqlfail(c, rc, what);
}

/* Runs SQL returning one integer (PRAGMA x / SELECT count(*)). */
static cache_code query_int(struct cache *c, const char *sql, int64_t *v,
                            const char *what)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &s, NULL);

    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            *v = sqlite3_column_int64(s, 0);
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(s);
    return rc == SQLITE_OK ? CACHE_OK : cache__sqlfail(c, rc, what);
}

/* PRAGMA quick_check / integrity_check: CACHE_OK or CACHE_E_CORRUPT with
 * the first complaint. */
static cache_code run_check(struct cache *c, const char *pragma)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(c->db, pragma, -1, &s, NULL);
    cache_code code = CACHE_OK;

    if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(s, 0);

        if (!r || strcmp(r, "ok") != 0)
            code = cache__fail(c, CACHE_E_CORRUPT, "malformed database "
                               "(%s)", r ? r : "?");
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (code == CACHE_OK && rc != SQLITE_OK)
        code = cache__sqlfail(c, rc, "integrity check");
    return code;
}

cache_code cache_check(struct cache *c)
{
    cache_code code = cache__flush(c);

    return code ? code : run_check(c, "PRAGMA integrity_check(1)");
}

/* ---- schema and migrations ---------------------------------------------- */

/* The schema of version SCHEMA_BASE, created in one go on an empty
 * database; the migrations after it then bring it to the current one
 * (so that a table added by a migration is made on new files too). */
#define SCHEMA_BASE 2
static const char schema_now[] =
    "CREATE TABLE entries ("
    " origin TEXT NOT NULL, route TEXT NOT NULL, kind TEXT NOT NULL,"
    " intent TEXT NOT NULL, selector TEXT NOT NULL,"
    " fingerprint TEXT NOT NULL DEFAULT '',"
    " source TEXT NOT NULL CHECK (source IN ('heuristic','llm')),"
    " confidence REAL NOT NULL DEFAULT 0,"
    " successes INTEGER NOT NULL DEFAULT 0,"
    " failures INTEGER NOT NULL DEFAULT 0,"
    " created_ms INTEGER NOT NULL, last_used_ms INTEGER NOT NULL,"
    " heals INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (origin, route, kind, intent));"
    "CREATE INDEX entries_last_used ON entries(last_used_ms);"
    "CREATE TABLE counters (name TEXT PRIMARY KEY,"
    " value INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
    "INSERT INTO counters(name) VALUES ('lookups'),('hits'),('misses'),"
    " ('heals'),('demotions'),('llm_saved');"
    "CREATE TABLE runs (run_id TEXT PRIMARY KEY, task_name TEXT NOT NULL,"
    " task_hash TEXT NOT NULL, status TEXT NOT NULL,"
    " next_step INTEGER NOT NULL DEFAULT 0,"
    " vars_json TEXT NOT NULL DEFAULT '{}',"
    " started_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);";

/* migrations[v] takes a database at user_version v to v + 1. Append only;
 * each runs inside the opening transaction. v1 is documented in full in
 * tests/unit/test_cache_migrate.c, which builds one by hand. */
static const char *const migrations[CACHE_SCHEMA_VERSION] = {
    NULL,   /* 0 -> 1 is schema_now on an empty file */
    /* 1 -> 2: heal counts per entry, the index prune and list sort by,
     * and the "LLM calls saved" counter. */
    "ALTER TABLE entries ADD COLUMN heals INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX IF NOT EXISTS entries_last_used"
    " ON entries(last_used_ms);"
    "INSERT OR IGNORE INTO counters(name) VALUES ('llm_saved');",
    /* 2 -> 3: what a suite shares between processes and machines' runs.
     * task_times: the last duration of each smoke task (balances shards);
     * suite_budgets: LLM calls, tokens and cost spent by one smoke suite
     * across its processes; grid_sessions: remote browser sessions open
     * now, with the pid that owns them, so that the next run can delete
     * the ones a killed cdpilot left behind. */
    "CREATE TABLE IF NOT EXISTS task_times (task TEXT PRIMARY KEY,"
    " ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS suite_budgets (suite TEXT PRIMARY KEY,"
    " calls INTEGER NOT NULL DEFAULT 0, tokens INTEGER NOT NULL DEFAULT 0,"
    " cost REAL NOT NULL DEFAULT 0, updated_ms INTEGER NOT NULL)"
    " WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS grid_sessions (grid TEXT NOT NULL,"
    " session TEXT NOT NULL, pid INTEGER NOT NULL,"
    " started_ms INTEGER NOT NULL, PRIMARY KEY (grid, session))"
    " WITHOUT ROWID;",
};

/* What the database holds: its application_id, user_version and whether
 * any table exists (non-zero TABLES), read without writing. */
struct dbinfo {
    int64_t app_id, version, tables, ours;
};

static cache_code read_info_stmts(struct cache *c, struct dbinfo *d)
{
    cache_code rc;

    rc = query_int(c, "PRAGMA application_id", &d->app_id, "open");
    if (!rc)
        rc = query_int(c, "PRAGMA user_version", &d->version, "open");
    if (!rc)
        rc = query_int(c, "SELECT count(*) FROM sqlite_master", &d->tables,
                       "open");
    if (!rc)
        rc = query_int(c, "SELECT count(*) FROM sqlite_master WHERE "
                       "type = 'table' AND name IN ('entries','counters',"
                       "'runs')", &d->ours, "open");
    return rc;
}

/* The four reads must see one snapshot: run on their own, a schema
 * committed by another process between them looks like tables without
 * our application_id. Inside a transaction already: just read. */
static cache_code read_info(struct cache *c, struct dbinfo *d)
{
    cache_code rc;
    int src;

    if (!sqlite3_get_autocommit(c->db))
        return read_info_stmts(c, d);
    src = sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL);
    if (src != SQLITE_OK)
        return cache__sqlfail(c, src, "open");
    rc = read_info_stmts(c, d);
    /* A read transaction: COMMIT and ROLLBACK both just end it. */
    sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* Decides, from what read_info saw, whether the file may be used. */
static cache_code judge(struct cache *c, const struct dbinfo *d)
{
    if (d->app_id == 0 && d->tables == 0 && d->version == 0)
        return CACHE_OK;                        /* empty: ours to fill */
    if (d->app_id != CACHE__APP_ID)
        return cache__fail(c, CACHE_E_OPEN, "a SQLite database that is not "
                           "a cdpilot cache (application_id %lld, %lld "
                           "schema objects); refusing to write to it",
                           (long long)d->app_id, (long long)d->tables);
    if (d->version > CACHE_SCHEMA_VERSION)
        return cache__fail(c, CACHE_E_NEWER, "schema version %lld is newer "
                           "than this cdpilot understands (%d); upgrade "
                           "cdpilot or use another --cache file",
                           (long long)d->version, CACHE_SCHEMA_VERSION);
    if (d->version < 1 || d->ours != 3)
        return cache__fail(c, CACHE_E_CORRUPT, "cdpilot cache with a "
                           "missing table or version (user_version %lld)",
                           (long long)d->version);
    return CACHE_OK;
}

/* Inside BEGIN IMMEDIATE: look again (another process may have created
 * or migrated meanwhile), then create or migrate up to the current
 * version. */
static cache_code setup_tx(struct cache *c, void *arg)
{
    struct dbinfo d;
    cache_code rc;
    char sql[64];
    int64_t v;

    (void)arg;
    memset(&d, 0, sizeof d);
    if ((rc = read_info(c, &d)) || (rc = judge(c, &d)))
        return rc;
    if (d.version == 0) {
        if ((rc = exec_sql(c, schema_now, "create schema")))
            return rc;
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d",
                 CACHE__APP_ID);
        if ((rc = exec_sql(c, sql, "create schema")))
            return rc;
    }
    for (v = d.version ? d.version : SCHEMA_BASE; v < CACHE_SCHEMA_VERSION;
         v++)
        if ((rc = exec_sql(c, migrations[v], "migrate schema")))
            return rc;
    if (d.version == CACHE_SCHEMA_VERSION)
        return CACHE_OK;
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
             CACHE_SCHEMA_VERSION);
    return exec_sql(c, sql, "set schema version");
}

/* journal_mode=WAL needs a brief exclusive lock; retry while busy. */
static cache_code set_wal(struct cache *c)
{
    int64_t deadline = ut_now_ms() + c->busy_ms;
    sqlite3_stmt *s = NULL;
    int rc;

    for (;;) {
        rc = sqlite3_prepare_v2(c->db, "PRAGMA journal_mode=WAL", -1, &s,
                                NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) {
            const char *m = (const char *)sqlite3_column_text(s, 0);

            rc = m && strcmp(m, "wal") == 0 ? SQLITE_OK : SQLITE_IOERR;
        }
        sqlite3_finalize(s);
        s = NULL;
        if ((rc & 0xff) != SQLITE_BUSY || ut_now_ms() >= deadline)
            break;
        ut_sleep_ms(5);
    }
    if (rc == SQLITE_IOERR)
        return cache__fail(c, CACHE_E_IO, "cannot switch to WAL mode "
                           "(file system without shared memory?)");
    return rc == SQLITE_OK ? CACHE_OK : cache__sqlfail(c, rc, "open");
}

/* ---- open / close -------------------------------------------------------- */

static cache_code open_db(struct cache *c)
{
    int flags = SQLITE_OPEN_READWRITE;
    enum hdr state = HDR_OK;
    struct dbinfo d;
    cache_code rc;
    int created, src;

    if ((rc = vet_file(c, &created, &state)))
        return rc;
    /* No SQLITE_OPEN_CREATE: the file exists now, we made sure. */
    src = sqlite3_open_v2(c->path, &c->db, flags, NULL);
    if (src != SQLITE_OK)
        return cache__sqlfail(c, src, "open");
    if (sqlite3_db_readonly(c->db, "main") == 1)
        return cache__fail(c, CACHE_E_OPEN, "not writable");
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, c->busy_ms);
    memset(&d, 0, sizeof d);
    if ((rc = read_info(c, &d)) || (rc = judge(c, &d)))
        return rc;
    if (state == HDR_SUSPECT && (rc = run_check(c, "PRAGMA quick_check(1)")))
        return rc;
    /* From here on the file is ours (or empty): writing is allowed. */
    if ((rc = exec_sql(c, "PRAGMA synchronous=NORMAL;"
                       "PRAGMA foreign_keys=ON", "open")))
        return rc;
    if ((rc = set_wal(c)))
        return rc;
    if (d.version != CACHE_SCHEMA_VERSION || created)
        rc = cache__write(c, setup_tx, NULL);
    return rc;
}

cache_code cache_open(const char *path, int busy_timeout_ms,
                      struct cache **out, char *err, size_t errlen)
{
    char bad[CACHE__PATH_MAX];
    struct cache *c;
    cache_code rc;

    *out = NULL;
    if (path && !*path)
        return (cache_code)ut_err(err, errlen, CACHE_E_INPUT,
                                  "cache path is empty");
    c = calloc(1, sizeof *c);
    if (!c)
        return (cache_code)ut_err(err, errlen, CACHE_E_NOMEM,
                                  "out of memory");
    if (path) {
        if (ut_strlcpy(c->path, path, sizeof c->path) >= sizeof c->path) {
            free(c);
            return (cache_code)ut_err(err, errlen, CACHE_E_INPUT,
                                      "cache path too long");
        }
    } else {
        cache_default_path(c->path, sizeof c->path);
    }
    c->busy_ms = busy_timeout_ms > 0 ? busy_timeout_ms : CACHE_DEFAULT_BUSY_MS;
    if (make_parents(c->path, bad, sizeof bad) != 0)
        rc = cache__fail(c, CACHE_E_OPEN, "cannot create directory %s: %s",
                         bad, strerror(errno));
    else
        rc = open_db(c);
    if (rc) {
        if (err && errlen)
            ut_strlcpy(err, c->msg, errlen);
        cache_close(c);
        return rc;
    }
    *out = c;
    return CACHE_OK;
}

void cache_close(struct cache *c)
{
    int i;

    if (!c)
        return;
    cache__flush(c);        /* deferred bookkeeping: best effort */
    cache__pend_drop(c);
    for (i = 0; i < ST__COUNT; i++)
        sqlite3_finalize(c->st[i]);
    /* sqlite3_close_v2 with every statement finalized closes now; the
     * last connection checkpoints and removes the -wal/-shm files. */
    sqlite3_close_v2(c->db);
    free(c);
}
