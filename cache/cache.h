/* cache.h -- the SQLite store: resolved selectors (with fingerprints and
 * success/failure counts) and run checkpoints. One database file, WAL,
 * busy timeout, schema version with migrations; several processes may
 * share it. Knows nothing of CDP, pages or heuristics: keys and values
 * are plain strings. Every statement binds its parameters.
 * Ownership: strings inside a cache_entry / cache_run handed out are
 * owned by the struct until cache_entry_clear()/cache_run_clear().
 * Not in this file = not API. */
#ifndef CDPILOT_CACHE_H
#define CDPILOT_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../util/util.h"

struct cache;

typedef enum {
    CACHE_OK = 0,
    CACHE_MISS,        /* 1 lookup found nothing (not an error) */
    CACHE_E_NOMEM,     /* 2 */
    CACHE_E_OPEN,      /* 3 path is a directory, unwritable, not SQLite */
    CACHE_E_CORRUPT,   /* 4 malformed database */
    CACHE_E_NEWER,     /* 5 schema newer than this build understands */
    CACHE_E_BUSY,      /* 6 locked past the busy timeout */
    CACHE_E_IO,        /* 7 disk full, I/O error */
    CACHE_E_INPUT,     /* 8 bad import file / argument */
    CACHE_LAST         /* never use; add above, never renumber */
} cache_code;

const char *cache_strerror(cache_code c);
const char *cache_errmsg(const struct cache *c);   /* last error, one line */

/* v1: entries, counters, runs. v2: entries.heals, an index on
 * entries.last_used_ms, the llm_saved counter (see cache/open.c). */
#define CACHE_SCHEMA_VERSION 3

/* Caps on stored strings (bytes); longer is CACHE_E_INPUT, never cut. */
#define CACHE_MAX_ORIGIN      2048
#define CACHE_MAX_ROUTE       2048
#define CACHE_MAX_KIND        64
#define CACHE_MAX_INTENT      1024
#define CACHE_MAX_SELECTOR    8192
#define CACHE_MAX_FINGERPRINT 16384
#define CACHE_MAX_RUN_ID      256
#define CACHE_MAX_VARS        (1u << 20)     /* a run's vars_json */
#define CACHE_MAX_IMPORT_ENTRIES 1000000

/* Opens (creating when missing, mode 0600, parent dirs 0700) the database
 * at PATH; NULL = the default path ($XDG_CACHE_HOME/cdpilot/cache.db, else
 * ~/.cache/cdpilot/cache.db). Never overwrites or deletes a file that is
 * not a cdpilot database: that is CACHE_E_OPEN with the reason in ERR. */
cache_code cache_open(const char *path, int busy_timeout_ms,
                      struct cache **out, char *err, size_t errlen)
    UT_MUST_CHECK;
/* Refusals, each with a one-line ERR naming the path, the file left
 * byte-identical: a directory / not a regular file / unwritable / not
 * SQLite / another application's SQLite file -> CACHE_E_OPEN; a
 * truncated or malformed database -> CACHE_E_CORRUPT; user_version newer
 * than CACHE_SCHEMA_VERSION -> CACHE_E_NEWER. An older cdpilot schema is
 * migrated in one transaction. BUSY_TIMEOUT_MS <= 0 means 5000. */
void cache_close(struct cache *c);
/* 1 once an operation on C gave up waiting for another process's lock
 * (returned CACHE_E_BUSY after the busy timeout), else 0. From then on C
 * waits no more: each operation tries once, so a lookup that cannot read
 * returns CACHE_E_BUSY (a caller treats it as a miss) and a write that
 * cannot get the lock returns CACHE_E_BUSY at once (skipped). A lock
 * released later lets operations succeed again. */
int cache_locked(const struct cache *c);
const char *cache_path(const struct cache *c);
/* Writes the default path into OUT; returns OUT. */
char *cache_default_path(char *out, size_t n);

/* Key parts. ROUTE is the route shape: see cache_route_shape(). */
struct cache_key {
    const char *origin;   /* "http://127.0.0.1:8080" */
    const char *route;    /* "/item/:n" */
    const char *kind;     /* step kind: "click", "fill", ... */
    const char *intent;   /* normalised intent */
};

/* Splits URL into origin and route shape (numbers, hex ids and UUIDs in
 * path segments folded to :n / :id; query and fragment dropped). Pure.
 * Returns 0, or -1 when URL has no scheme://host. */
int cache_route_shape(const char *url, char *origin, size_t on,
                      char *route, size_t rn);
/* Intent normalisation used for keys: ASCII lower-case, whitespace runs
 * collapsed to one space, trimmed. Pure. Returns 0, or -1 when the result
 * does not fit N (OUT then holds ""). Idempotent: keyed calls apply it
 * themselves, so callers may pass raw intents. */
int cache_intent_normalize(const char *intent, char *out, size_t n);

struct cache_entry {
    char *selector;       /* what selectors/ re-runs to find the element */
    char *fingerprint;    /* JSON text: tag, role, name, key attributes */
    char *source;         /* "heuristic" | "llm" */
    double confidence;
    int64_t successes, failures, heals;
    int64_t created_ms, last_used_ms;
    /* filled by cache_list only: */
    char *origin, *route, *kind, *intent;
};
void cache_entry_clear(struct cache_entry *e);

/* CACHE_OK: OUT (caller clears it) holds the entry; lookups+1, hits+1,
 * llm_saved+1 when its source is "llm", last_used_ms = now. CACHE_MISS:
 * no entry, or the entry is demoted (failures > successes); lookups+1,
 * misses+1; OUT is zeroed. Errors leave OUT zeroed. A lookup is a read:
 * its bookkeeping is written with the handle's next write transaction or
 * at cache_close() (cache_stats() and the other readers write it first),
 * so a warm step commits nothing of its own; a killed process loses at
 * most those counts. */
cache_code cache_lookup(struct cache *c, const struct cache_key *k,
                        struct cache_entry *out) UT_MUST_CHECK;
/* Whether cache_lookup() would serve K (CACHE_OK) or not (CACHE_MISS),
 * counting nothing and deferring nothing: for a caller that only plans
 * (which later steps the cache will answer), whose own lookup comes when
 * the step runs. */
cache_code cache_peek(struct cache *c, const struct cache_key *k);
/* Inserts or replaces the entry for K (after the step's action
 * succeeded); HEALED marks a replacement of a demoted selector.
 * New key: successes 1, failures 0. Same selector again: successes+1,
 * failures 0. A different selector: successes 1, failures 0, created_ms
 * kept, and it counts as a heal (entry heals+1, counter heals+1) when
 * HEALED is set or the old entry had failures > 0. FINGERPRINT may be
 * NULL (stored as ""); SOURCE must be "heuristic" or "llm"; CONFIDENCE
 * in [0,1]; bad arguments -> CACHE_E_INPUT. */
cache_code cache_put(struct cache *c, const struct cache_key *k,
                     const char *selector, const char *fingerprint,
                     const char *source, double confidence, int healed);
/* A validated hit whose action succeeded: successes+1, last_used_ms =
 * now. Deferred, like a lookup's bookkeeping, to the handle's next write
 * transaction or cache_close() (a run's checkpoint after the step), and
 * counted by the next lookup of K meanwhile; a key with no entry then is
 * ignored. CACHE_E_INPUT for a bad key. */
cache_code cache_hit_ok(struct cache *c, const struct cache_key *k);
/* A hit that failed validation: failures++, so it is skipped next time
 * once failures outweigh successes. Counter demotions+1. CACHE_MISS when
 * K has no entry. */
cache_code cache_demote(struct cache *c, const struct cache_key *k);

/* Counters kept per database: lookups, hits, misses, heals, LLM calls
 * saved (a hit on an entry whose source is "llm"). */
struct cache_stats {
    int64_t entries, lookups, hits, misses, heals, demotions, llm_saved;
    int64_t runs;
};
cache_code cache_stats(struct cache *c, struct cache_stats *out);
/* Per-origin counts and `list` rows are written as text or JSON. */
/* cache_list: every entry (of ORIGIN_FILTER when not NULL), ordered by
 * origin, route, kind, intent; text is an aligned table (long fields
 * shortened with "..."), JSON an array of full entry objects. */
cache_code cache_list(struct cache *c, const char *origin_filter, FILE *out,
                      int json);
/* Like cache_list for entries whose normalised intent contains the
 * normalised INTENT_PART; text shows each entry in full, one field per
 * line. CACHE_MISS when nothing matched (nothing printed in text mode,
 * "[]" in JSON mode). */
cache_code cache_show(struct cache *c, const char *intent_part, FILE *out,
                      int json);
/* Counters, hit ratio (hits / lookups), entries per origin, as text or a
 * JSON object (keys: path, schema_version, entries, lookups, hits,
 * misses, hit_ratio, heals, demotions, llm_saved, runs, origins[]). */
cache_code cache_stats_print(struct cache *c, FILE *out, int json);
/* Full PRAGMA integrity_check (slow on big files; for `doctor`).
 * CACHE_OK or CACHE_E_CORRUPT with the first problem in the message. */
cache_code cache_check(struct cache *c);
/* forget: ORIGIN required (a full URL is reduced to its origin); INTENT
 * NULL removes every entry of the origin. prune: removes entries not
 * used for OLDER_THAN_MS (when > 0) or with failures >= MIN_FAILURES
 * (when > 0), either criterion sufficing; finished runs (not "running")
 * older than OLDER_THAN_MS go too. *REMOVED counts entries. */
cache_code cache_forget(struct cache *c, const char *origin,
                        const char *intent, int64_t *removed);
cache_code cache_prune(struct cache *c, int64_t older_than_ms,
                       int64_t min_failures, int64_t *removed);
/* Writes {"cdpilot_cache":1,"schema_version":N,"exported_ms":T,
 * "entries":[{origin,route,kind,intent,selector,fingerprint,source,
 * confidence,successes,failures,heals,created_ms,last_used_ms}...]}. */
cache_code cache_export(struct cache *c, FILE *out);
/* Validates the whole document before writing anything (bad -> CACHE_E_
 * INPUT, ERR like "entries[3].selector: expected a non-empty string"),
 * then writes every entry in one transaction. Merge with an existing key:
 * the imported row wins when it has more successes, or as many and a
 * newer last_used_ms; otherwise the local row stays. *IMPORTED counts
 * rows written. */
cache_code cache_import(struct cache *c, const char *json, size_t len,
                        int64_t *imported, char *err, size_t errlen)
    UT_MUST_CHECK;

/* ---- run checkpoints --------------------------------------------------- */
struct cache_run {
    char *run_id, *task_name, *task_hash, *status;
    int next_step;       /* first step not yet completed */
    char *vars_json;     /* variables after the last completed step */
    int64_t started_ms, updated_ms;
};
void cache_run_clear(struct cache_run *r);

/* New run: status "running", next_step 0, vars_json "{}". An existing
 * RUN_ID is CACHE_E_INPUT (use cache_run_get to resume). */
cache_code cache_run_begin(struct cache *c, const char *run_id,
                           const char *task_name, const char *task_hash)
    UT_MUST_CHECK;
/* Step STEP completed: next_step = STEP + 1, variables stored, status
 * "running". VARS_JSON NULL stores "{}". CACHE_MISS: unknown run. */
cache_code cache_run_step(struct cache *c, const char *run_id, int step,
                          const char *vars_json) UT_MUST_CHECK;
/* STATUS: "passed", "failed" or "interrupted" (else CACHE_E_INPUT), or
 * "unsafe-step": a step marked "idempotent": false is in flight, so a run
 * interrupted now has an unknown outcome (the next cache_run_step sets
 * the status back to "running").
 * CACHE_MISS: unknown run. */
cache_code cache_run_finish(struct cache *c, const char *run_id,
                            const char *status) UT_MUST_CHECK;
/* CACHE_MISS when RUN_ID is unknown (OUT zeroed). */
cache_code cache_run_get(struct cache *c, const char *run_id,
                         struct cache_run *out) UT_MUST_CHECK;

/* ---- grid sessions ------------------------------------------------------ */
/* Remote browser sessions open now (grid/grid.h), with the pid of the
 * cdpilot that owns them, so that a later run can end the ones a killed
 * cdpilot left open. GRID is the grid's URL as given, SESSION its
 * session id. */
#define CACHE_MAX_GRID_SESSIONS 256    /* rows cache_grid_list returns */
struct cache_grid_row {
    char session[128];
    long pid;
    int64_t started_ms;
};
/* Records (or re-records) SESSION of GRID as owned by PID. */
cache_code cache_grid_add(struct cache *c, const char *grid,
                          const char *session, long pid);
/* Forgets SESSION of GRID; CACHE_MISS when it was not recorded. */
cache_code cache_grid_remove(struct cache *c, const char *grid,
                             const char *session);
/* Up to MAX rows of GRID, oldest first, into OUT; their count into *N. */
cache_code cache_grid_list(struct cache *c, const char *grid,
                           struct cache_grid_row *out, size_t max,
                           size_t *n) UT_MUST_CHECK;

#endif
