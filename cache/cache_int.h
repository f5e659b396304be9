/* cache_int.h -- internals shared by the files of cache/: the handle, the
 * prepared-statement table, the write-transaction helper and the error
 * mapping. Nothing here is API; everything is cache__-prefixed. */
#ifndef CDPILOT_CACHE_INT_H
#define CDPILOT_CACHE_INT_H

#include <sqlite3.h>

#include "cache.h"

#define CACHE__PATH_MAX 4096
#define CACHE__LINE_MAX 1024    /* an error's reason, without the path */
/* one-line error message on the handle: "PATH: reason" */
#define CACHE__MSG_MAX  (CACHE__PATH_MAX + CACHE__LINE_MAX + 8)

/* cdpilot's PRAGMA application_id: "cdPl" as a big-endian int. */
#define CACHE__APP_ID 0x6364506c

/* Every SQL statement the module runs more than once, prepared lazily on
 * first use (SQLITE_PREPARE_PERSISTENT) and kept on the handle until
 * cache_close(). The texts live in entries.c (cache__sql[]). */
enum cache__st {
    ST_ENTRY_GET,       /* full row by key */
    ST_ENTRY_INSERT,
    ST_ENTRY_REPLACE,   /* new selector for an existing key */
    ST_ENTRY_SAME,      /* same selector put again */
    ST_ENTRY_FAIL,      /* failures++ */
    ST_ENTRY_IMPORT,    /* upsert of a whole imported row */
    ST_COUNTER_ADD,     /* counters.value += ? */
    ST_COUNTER_GET,
    ST_COUNT_ENTRIES,
    ST_COUNT_RUNS,
    ST_ORIGINS,         /* per-origin entry counts */
    ST_LIST_ALL,
    ST_LIST_ORIGIN,
    ST_LIST_INTENT,     /* intent substring */
    ST_FORGET_ORIGIN,
    ST_FORGET_KEY,
    ST_PRUNE_AGE,
    ST_PRUNE_FAIL,
    ST_PRUNE_RUNS,
    ST_RUN_INSERT,
    ST_RUN_STEP,
    ST_RUN_FINISH,
    ST_RUN_GET,
    ST_ENTRY_PEND,      /* deferred successes and last use */
    ST__COUNT
};

/* Bookkeeping that a lookup or a validated hit defers to the handle's
 * next write transaction (or cache_close()): an entry's successes and
 * last use, and the lookups/hits/misses/llm_saved counters. A warm step
 * then commits nothing of its own; the run's checkpoint carries it. */
#define CACHE__MAXPEND 64
struct cache__pend {
    char *origin, *route, *kind, *intent;   /* the key (intent normalised) */
    int64_t ok;                             /* successes to add */
    int64_t used_ms;                        /* last use, 0 if none */
};
enum { CACHE__C_LOOKUPS, CACHE__C_HITS, CACHE__C_MISSES, CACHE__C_LLM,
       CACHE__C_COUNT };

struct cache {
    sqlite3 *db;
    char path[CACHE__PATH_MAX];
    int busy_ms;                        /* busy timeout given to open */
    int locked;                         /* gave up on a lock once: see
                                         * cache_locked(); waits no more */
    sqlite3_stmt *st[ST__COUNT];        /* NULL until first use */
    char msg[CACHE__MSG_MAX];           /* last error, one line */
    struct cache__pend pend[CACHE__MAXPEND];
    int npend;
    int64_t pend_ctr[CACHE__C_COUNT];   /* counter deltas not written yet */
};

/* How long an operation may wait for another process's lock: the busy
 * timeout, or 0 once the handle gave up on a lock (cache_locked()). */
int cache__wait_ms(const struct cache *c);
/* Returns CODE; when it is CACHE_E_BUSY (an operation gave up after
 * waiting cache__wait_ms()), the handle is marked locked and SQLite's
 * busy handler is turned off, so later operations try once and do not
 * wait again. Call it only where an operation gives up, not on a BUSY
 * that is retried. */
cache_code cache__gave_up(struct cache *c, cache_code code);

/* Writes the deferred bookkeeping now (one transaction; nothing to do
 * when none is pending). Read-side APIs call it so they see it. */
cache_code cache__flush(struct cache *c);
/* Frees the deferred bookkeeping without writing it. */
void cache__pend_drop(struct cache *c);

/* Sets c->msg from FMT (prefixed with the path) and returns CODE. */
cache_code cache__fail(struct cache *c, cache_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Maps an SQLite result code to a cache_code and records sqlite's message
 * with WHAT (e.g. "lookup") and the path on the handle. */
cache_code cache__sqlfail(struct cache *c, int rc, const char *what);
cache_code cache__code_of(int rc);

/* *OUT = the cached statement ID, reset and with bindings cleared
 * (prepared on first use). On error *OUT is NULL and the handle's
 * message is set. Callers reset it again after use (cache__step_done
 * does) so no statement keeps a read snapshot open. */
cache_code cache__stmt(struct cache *c, enum cache__st id,
                       sqlite3_stmt **out);
/* Binds a text (NULL binds SQL NULL); the copy is SQLite's (TRANSIENT). */
int cache__bind_text(sqlite3_stmt *s, int i, const char *v);

/* Runs FN(c, ARG) inside BEGIN IMMEDIATE ... COMMIT, after writing the
 * deferred bookkeeping in the same transaction (FN NULL: only that; it
 * is forgotten once committed). SQLITE_BUSY on
 * BEGIN or COMMIT, or a CACHE_E_BUSY from FN, retries the whole
 * transaction until the handle's busy timeout has passed; the last BUSY
 * becomes CACHE_E_BUSY. Any other failure rolls back and is returned
 * with the handle's message set. CACHE_MISS from FN commits (counters
 * may have changed) and is returned. */
typedef cache_code (*cache__txfn)(struct cache *c, void *arg);
cache_code cache__write(struct cache *c, cache__txfn fn, void *arg);

/* counters.value += DELTA for NAME (inside a transaction). */
cache_code cache__counter_add(struct cache *c, const char *name,
                              int64_t delta);

/* Runs one statement to completion (no rows wanted). */
cache_code cache__step_done(struct cache *c, sqlite3_stmt *s,
                            const char *what);

/* strdup of a column's text; "" for NULL. NULL only on out-of-memory. */
char *cache__col_dup(sqlite3_stmt *s, int col);

/* Fills E from a row whose columns follow CACHE__ENTRY_COLS. */
#define CACHE__ENTRY_COLS \
    "origin, route, kind, intent, selector, fingerprint, source, " \
    "confidence, successes, failures, heals, created_ms, last_used_ms"
cache_code cache__entry_from_row(struct cache *c, sqlite3_stmt *s,
                                 struct cache_entry *e);

/* Key validation shared by every keyed call: non-empty parts within the
 * caps; the intent normalised into NORM. */
cache_code cache__check_key(struct cache *c, const struct cache_key *k,
                            char *norm, size_t normlen);

/* The value half of an entry (put and import): selector non-empty and
 * within its cap, fingerprint within its cap, source heuristic|llm,
 * confidence in [0,1]. CACHE_E_INPUT with the message set. */
cache_code cache__check_value(struct cache *c, const char *selector,
                              const char *fingerprint, const char *source,
                              double confidence);

/* Binds the four key parts to ?1..?4 (INTENT already normalised). */
int cache__bind_key(sqlite3_stmt *s, const struct cache_key *k,
                    const char *intent);

/* The entry as a cJSON object (all 13 fields); NULL on out-of-memory. */
struct cJSON;
struct cJSON *cache__entry_json(const struct cache_entry *e);

#endif
