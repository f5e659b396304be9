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

#define CACHE_SCHEMA_VERSION 1

/* Opens (creating when missing, mode 0600, parent dirs 0700) the database
 * at PATH; NULL = the default path ($XDG_CACHE_HOME/cdpilot/cache.db, else
 * ~/.cache/cdpilot/cache.db). Never overwrites or deletes a file that is
 * not a cdpilot database: that is CACHE_E_OPEN with the reason in ERR. */
cache_code cache_open(const char *path, int busy_timeout_ms,
                      struct cache **out, char *err, size_t errlen);
void cache_close(struct cache *c);
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

cache_code cache_lookup(struct cache *c, const struct cache_key *k,
                        struct cache_entry *out);
/* Inserts or replaces the entry for K (after the step's action
 * succeeded); HEALED marks a replacement of a demoted selector. */
cache_code cache_put(struct cache *c, const struct cache_key *k,
                     const char *selector, const char *fingerprint,
                     const char *source, double confidence, int healed);
cache_code cache_hit_ok(struct cache *c, const struct cache_key *k);
/* A hit that failed validation: failures++, so it is skipped next time
 * once failures outweigh successes. */
cache_code cache_demote(struct cache *c, const struct cache_key *k);

/* Counters kept per database: lookups, hits, misses, heals, LLM calls
 * saved (a hit on an entry whose source is "llm"). */
struct cache_stats {
    int64_t entries, lookups, hits, misses, heals, demotions, llm_saved;
    int64_t runs;
};
cache_code cache_stats(struct cache *c, struct cache_stats *out);
/* Per-origin counts and `list` rows are written as text or JSON. */
cache_code cache_list(struct cache *c, const char *origin_filter, FILE *out,
                      int json);
cache_code cache_forget(struct cache *c, const char *origin,
                        const char *intent, int64_t *removed);
cache_code cache_prune(struct cache *c, int64_t older_than_ms,
                       int64_t min_failures, int64_t *removed);
cache_code cache_export(struct cache *c, FILE *out);
/* Validates the whole document before writing anything. */
cache_code cache_import(struct cache *c, const char *json, size_t len,
                        int64_t *imported, char *err, size_t errlen);

/* ---- run checkpoints --------------------------------------------------- */
struct cache_run {
    char *run_id, *task_name, *task_hash, *status;
    int next_step;       /* first step not yet completed */
    char *vars_json;     /* variables after the last completed step */
    int64_t started_ms, updated_ms;
};
void cache_run_clear(struct cache_run *r);

cache_code cache_run_begin(struct cache *c, const char *run_id,
                           const char *task_name, const char *task_hash);
/* Step STEP completed: next_step = STEP + 1, variables stored. */
cache_code cache_run_step(struct cache *c, const char *run_id, int step,
                          const char *vars_json);
cache_code cache_run_finish(struct cache *c, const char *run_id,
                            const char *status);
cache_code cache_run_get(struct cache *c, const char *run_id,
                         struct cache_run *out);

#endif
