/* list.c -- the read side for `cdpilot cache stats|list|show` and the
 * maintenance deletes (`forget`, `prune`). Printing goes to the FILE the
 * caller gives; nothing here decides exit codes. A single SELECT is its
 * own snapshot, so listing never holds the write lock. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cache_int.h"
#include "../util/util.h"

/* ---- stats ----------------------------------------------------------------- */

static cache_code count_of(struct cache *c, enum cache__st id, int64_t *v)
{
    sqlite3_stmt *s;
    cache_code code;
    int rc;

    if ((code = cache__stmt(c, id, &s)))
        return code;
    rc = sqlite3_step(s);
    *v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? CACHE_OK : cache__sqlfail(c, rc, "stats");
}

cache_code cache_stats(struct cache *c, struct cache_stats *out)
{
    static const struct { const char *name; size_t off; } map[] = {
        {"lookups", offsetof(struct cache_stats, lookups)},
        {"hits", offsetof(struct cache_stats, hits)},
        {"misses", offsetof(struct cache_stats, misses)},
        {"heals", offsetof(struct cache_stats, heals)},
        {"demotions", offsetof(struct cache_stats, demotions)},
        {"llm_saved", offsetof(struct cache_stats, llm_saved)},
    };
    sqlite3_stmt *s;
    cache_code code;
    size_t i;
    int rc;

    memset(out, 0, sizeof *out);
    if ((code = cache__flush(c)) ||
        (code = count_of(c, ST_COUNT_ENTRIES, &out->entries)) ||
        (code = count_of(c, ST_COUNT_RUNS, &out->runs)) ||
        (code = cache__stmt(c, ST_COUNTER_GET, &s)))
        return code;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);

        for (i = 0; name && i < sizeof map / sizeof map[0]; i++)
            if (!strcmp(name, map[i].name))
                *(int64_t *)(void *)((char *)out + map[i].off) =
                    sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? CACHE_OK : cache__sqlfail(c, rc, "stats");
}

static double ratio(int64_t a, int64_t b)
{
    return b > 0 ? (double)a / (double)b : 0.0;
}

/* Appends {"origin","entries","heals","successes","failures"} per origin
 * to ARR (JSON) or prints them as table rows (text, ARR NULL). */
static cache_code per_origin(struct cache *c, cJSON *arr, FILE *out)
{
    sqlite3_stmt *s;
    cache_code code;
    int rc;

    if ((code = cache__stmt(c, ST_ORIGINS, &s)))
        return code;
    if (!arr)
        fprintf(out, "  %-40s %8s %6s %8s %8s\n", "origin", "entries",
                "heals", "ok", "fail");
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *o = (const char *)sqlite3_column_text(s, 0);
        cJSON *row;

        if (!arr) {
            fprintf(out, "  %-40s %8lld %6lld %8lld %8lld\n", o ? o : "",
                    (long long)sqlite3_column_int64(s, 1),
                    (long long)sqlite3_column_int64(s, 2),
                    (long long)sqlite3_column_int64(s, 3),
                    (long long)sqlite3_column_int64(s, 4));
            continue;
        }
        row = cJSON_CreateObject();
        if (!row || !cJSON_AddItemToArray(arr, row) ||
            !cJSON_AddStringToObject(row, "origin", o ? o : "") ||
            !cJSON_AddNumberToObject(row, "entries",
                                     (double)sqlite3_column_int64(s, 1)) ||
            !cJSON_AddNumberToObject(row, "heals",
                                     (double)sqlite3_column_int64(s, 2)) ||
            !cJSON_AddNumberToObject(row, "successes",
                                     (double)sqlite3_column_int64(s, 3)) ||
            !cJSON_AddNumberToObject(row, "failures",
                                     (double)sqlite3_column_int64(s, 4))) {
            sqlite3_reset(s);
            return cache__fail(c, CACHE_E_NOMEM, "out of memory");
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? CACHE_OK : cache__sqlfail(c, rc, "stats");
}

/* Prints the tree compactly with a newline, then frees it. */
static cache_code print_json(struct cache *c, cJSON *root, FILE *out)
{
    char *txt = cJSON_PrintUnformatted(root);

    cJSON_Delete(root);
    if (!txt)
        return cache__fail(c, CACHE_E_NOMEM, "out of memory");
    fputs(txt, out);
    fputc('\n', out);
    free(txt);
    return CACHE_OK;
}

static cache_code stats_json(struct cache *c, const struct cache_stats *st,
                             FILE *out)
{
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_CreateArray();
    cache_code code;

    if (!root || !arr ||
        !cJSON_AddStringToObject(root, "path", c->path) ||
        !cJSON_AddNumberToObject(root, "schema_version",
                                 CACHE_SCHEMA_VERSION) ||
        !cJSON_AddNumberToObject(root, "entries", (double)st->entries) ||
        !cJSON_AddNumberToObject(root, "lookups", (double)st->lookups) ||
        !cJSON_AddNumberToObject(root, "hits", (double)st->hits) ||
        !cJSON_AddNumberToObject(root, "misses", (double)st->misses) ||
        !cJSON_AddNumberToObject(root, "hit_ratio",
                                 ratio(st->hits, st->lookups)) ||
        !cJSON_AddNumberToObject(root, "heals", (double)st->heals) ||
        !cJSON_AddNumberToObject(root, "demotions",
                                 (double)st->demotions) ||
        !cJSON_AddNumberToObject(root, "llm_saved",
                                 (double)st->llm_saved) ||
        !cJSON_AddNumberToObject(root, "runs", (double)st->runs)) {
        cJSON_Delete(root);
        cJSON_Delete(arr);
        return cache__fail(c, CACHE_E_NOMEM, "out of memory");
    }
    code = per_origin(c, arr, out);
    /* On success ARR belongs to ROOT from here on. */
    if (code || !cJSON_AddItemToObject(root, "origins", arr)) {
        cJSON_Delete(root);
        cJSON_Delete(arr);
        return code ? code : cache__fail(c, CACHE_E_NOMEM, "out of memory");
    }
    return print_json(c, root, out);
}

cache_code cache_stats_print(struct cache *c, FILE *out, int json)
{
    struct cache_stats st;
    cache_code code;

    if ((code = cache_stats(c, &st)))
        return code;
    if (json)
        return stats_json(c, &st, out);
    fprintf(out, "cache      %s (schema %d)\n", c->path,
            CACHE_SCHEMA_VERSION);
    fprintf(out, "entries    %lld\n", (long long)st.entries);
    fprintf(out, "lookups    %lld  (hits %lld, misses %lld)\n",
            (long long)st.lookups, (long long)st.hits,
            (long long)st.misses);
    fprintf(out, "hit ratio  %.1f%%\n", 100.0 * ratio(st.hits, st.lookups));
    fprintf(out, "demotions  %lld  (hits that failed validation)\n",
            (long long)st.demotions);
    fprintf(out, "heals      %lld\n", (long long)st.heals);
    fprintf(out, "llm saved  %lld  (hits on entries the LLM found)\n",
            (long long)st.llm_saved);
    fprintf(out, "runs       %lld\n", (long long)st.runs);
    if (st.entries)
        return per_origin(c, NULL, out);
    return CACHE_OK;
}

/* ---- list / show ------------------------------------------------------------- */

cJSON *cache__entry_json(const struct cache_entry *e)
{
    cJSON *o = cJSON_CreateObject();

    if (!o ||
        !cJSON_AddStringToObject(o, "origin", e->origin) ||
        !cJSON_AddStringToObject(o, "route", e->route) ||
        !cJSON_AddStringToObject(o, "kind", e->kind) ||
        !cJSON_AddStringToObject(o, "intent", e->intent) ||
        !cJSON_AddStringToObject(o, "selector", e->selector) ||
        !cJSON_AddStringToObject(o, "fingerprint", e->fingerprint) ||
        !cJSON_AddStringToObject(o, "source", e->source) ||
        !cJSON_AddNumberToObject(o, "confidence", e->confidence) ||
        !cJSON_AddNumberToObject(o, "successes", (double)e->successes) ||
        !cJSON_AddNumberToObject(o, "failures", (double)e->failures) ||
        !cJSON_AddNumberToObject(o, "heals", (double)e->heals) ||
        !cJSON_AddNumberToObject(o, "created_ms", (double)e->created_ms) ||
        !cJSON_AddNumberToObject(o, "last_used_ms",
                                 (double)e->last_used_ms)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* "2024-05-01 12:34" (UTC) into BUF. */
static const char *when(int64_t ms, char *buf, size_t n)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;

    if (ms <= 0 || !gmtime_r(&t, &tm) ||
        !strftime(buf, n, "%Y-%m-%d %H:%M", &tm))
        ut_strlcpy(buf, "-", n);
    return buf;
}

/* S cut to W display bytes with "..." (for the table only; data is
 * never cut). Byte-based: a multi-byte character may be split before
 * the dots, which only affects the display. */
static const char *cut(const char *s, size_t w, char *buf, size_t n)
{
    size_t len = strlen(s);

    if (len <= w || w < 4 || w + 1 > n)
        return s;
    memcpy(buf, s, w - 3);
    memcpy(buf + w - 3, "...", 4);
    return buf;
}

#define TABLE_FMT "%-28s %-18s %-7s %-24s %-32s %-9s %5s %9s  %s\n"

static void text_row(const struct cache_entry *e, FILE *out)
{
    char b[5][64], ok[48], t[32], conf[16];

    snprintf(ok, sizeof ok, "%lld/%lld", (long long)e->successes,
             (long long)e->failures);
    snprintf(conf, sizeof conf, "%.2f", e->confidence);
    fprintf(out, TABLE_FMT, cut(e->origin, 28, b[0], sizeof b[0]),
            cut(e->route, 18, b[1], sizeof b[1]),
            cut(e->kind, 7, b[2], sizeof b[2]),
            cut(e->intent, 24, b[3], sizeof b[3]),
            cut(e->selector, 32, b[4], sizeof b[4]), e->source, conf, ok,
            when(e->last_used_ms, t, sizeof t));
}

static void text_full(const struct cache_entry *e, FILE *out)
{
    char t1[32], t2[32];

    fprintf(out, "intent       %s\norigin       %s\nroute        %s\n"
            "kind         %s\nselector     %s\nfingerprint  %s\n"
            "source       %s (confidence %.2f)\n"
            "counts       %lld ok, %lld failed, %lld heals%s\n"
            "created      %s UTC\nlast used    %s UTC\n\n",
            e->intent, e->origin, e->route, e->kind, e->selector,
            e->fingerprint[0] ? e->fingerprint : "-", e->source,
            e->confidence, (long long)e->successes,
            (long long)e->failures, (long long)e->heals,
            e->failures > e->successes ? " (demoted: skipped on lookup)" : "",
            when(e->created_ms, t1, sizeof t1),
            when(e->last_used_ms, t2, sizeof t2));
}

enum style { STYLE_TABLE, STYLE_FULL, STYLE_JSON };

/* Steps S (bound by the caller), printing each row in STYLE. *ROWS gets
 * the number printed. */
static cache_code print_rows(struct cache *c, sqlite3_stmt *s, FILE *out,
                             enum style style, int64_t *rows)
{
    cJSON *arr = NULL;
    cache_code code = CACHE_OK;
    int rc;

    *rows = 0;
    if (style == STYLE_JSON && !(arr = cJSON_CreateArray()))
        code = cache__fail(c, CACHE_E_NOMEM, "out of memory");
    if (style == STYLE_TABLE)
        fprintf(out, TABLE_FMT, "ORIGIN", "ROUTE", "KIND", "INTENT",
                "SELECTOR", "SOURCE", "CONF", "OK/FAIL", "LAST USED (UTC)");
    while (!code && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct cache_entry e;
        cJSON *o;

        if ((code = cache__entry_from_row(c, s, &e)))
            break;
        (*rows)++;
        if (style == STYLE_TABLE) {
            text_row(&e, out);
        } else if (style == STYLE_FULL) {
            text_full(&e, out);
        } else if (!(o = cache__entry_json(&e)) ||
                   !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            code = cache__fail(c, CACHE_E_NOMEM, "out of memory");
        }
        cache_entry_clear(&e);
    }
    if (!code && rc != SQLITE_DONE)
        code = cache__sqlfail(c, rc, "list");
    sqlite3_reset(s);
    if (code) {
        cJSON_Delete(arr);
        return code;
    }
    if (style == STYLE_TABLE && !*rows)
        fputs("(no entries)\n", out);
    return arr ? print_json(c, arr, out) : CACHE_OK;
}

cache_code cache_list(struct cache *c, const char *origin_filter, FILE *out,
                      int json)
{
    char origin[CACHE_MAX_ORIGIN + 1], route[CACHE_MAX_ROUTE + 1];
    sqlite3_stmt *s;
    cache_code code;
    int64_t rows;
    int rc = SQLITE_OK;

    if ((code = cache__flush(c)))
        return code;
    if (origin_filter) {
        /* A whole URL works too: it is reduced to its origin. */
        if (cache_route_shape(origin_filter, origin, sizeof origin, route,
                              sizeof route) != 0)
            ut_strlcpy(origin, origin_filter, sizeof origin);
        if ((code = cache__stmt(c, ST_LIST_ORIGIN, &s)))
            return code;
        rc = cache__bind_text(s, 1, origin);
    } else if ((code = cache__stmt(c, ST_LIST_ALL, &s))) {
        return code;
    }
    if (rc)
        return cache__sqlfail(c, rc, "list");
    return print_rows(c, s, out, json ? STYLE_JSON : STYLE_TABLE, &rows);
}

cache_code cache_show(struct cache *c, const char *intent_part, FILE *out,
                      int json)
{
    char norm[CACHE_MAX_INTENT + 1];
    sqlite3_stmt *s;
    cache_code code;
    int64_t rows;
    int rc;

    if (cache_intent_normalize(intent_part, norm, sizeof norm) || !norm[0])
        return cache__fail(c, CACHE_E_INPUT, "show: empty or too long "
                           "intent");
    if ((code = cache__flush(c)) ||
        (code = cache__stmt(c, ST_LIST_INTENT, &s)))
        return code;
    if ((rc = cache__bind_text(s, 1, norm)))
        return cache__sqlfail(c, rc, "show");
    code = print_rows(c, s, out, json ? STYLE_JSON : STYLE_FULL, &rows);
    if (!code && !rows)
        return cache__fail(c, CACHE_MISS, "no entry whose intent contains "
                           "\"%s\"", norm);
    return code;
}

/* ---- forget / prune ------------------------------------------------------------ */

struct delop {
    const char *origin, *intent;        /* forget */
    int64_t older_than_ms, min_failures;/* prune */
    int64_t removed;
};

static cache_code run_delete(struct cache *c, enum cache__st id,
                             const char *t1, const char *t2, int64_t i1,
                             int64_t *removed)
{
    sqlite3_stmt *s;
    cache_code code;
    int rc;

    if ((code = cache__stmt(c, id, &s)))
        return code;
    rc = t1 ? cache__bind_text(s, 1, t1) : sqlite3_bind_int64(s, 1, i1);
    if (!rc && t2)
        rc = cache__bind_text(s, 2, t2);
    if (rc)
        return cache__sqlfail(c, rc, "delete");
    if ((code = cache__step_done(c, s, "delete")))
        return code;
    if (removed)
        *removed += sqlite3_changes(c->db);
    return CACHE_OK;
}

static cache_code forget_tx(struct cache *c, void *arg)
{
    struct delop *d = arg;

    d->removed = 0;
    if (d->intent)
        return run_delete(c, ST_FORGET_KEY, d->origin, d->intent, 0,
                          &d->removed);
    return run_delete(c, ST_FORGET_ORIGIN, d->origin, NULL, 0, &d->removed);
}

cache_code cache_forget(struct cache *c, const char *origin,
                        const char *intent, int64_t *removed)
{
    char o[CACHE_MAX_ORIGIN + 1], r[CACHE_MAX_ROUTE + 1];
    char norm[CACHE_MAX_INTENT + 1];
    struct delop d;
    cache_code code;

    if (removed)
        *removed = 0;
    if (!origin || !*origin)
        return cache__fail(c, CACHE_E_INPUT, "forget: no origin given");
    if (cache_route_shape(origin, o, sizeof o, r, sizeof r) != 0)
        ut_strlcpy(o, origin, sizeof o);
    memset(&d, 0, sizeof d);
    d.origin = o;
    if (intent) {
        if (cache_intent_normalize(intent, norm, sizeof norm) || !norm[0])
            return cache__fail(c, CACHE_E_INPUT, "forget: empty or too "
                               "long intent");
        d.intent = norm;
    }
    code = cache__write(c, forget_tx, &d);
    if (!code && removed)
        *removed = d.removed;
    return code;
}

static cache_code prune_tx(struct cache *c, void *arg)
{
    struct delop *d = arg;
    int64_t cutoff = ut_wall_ms() - d->older_than_ms;
    cache_code code;

    d->removed = 0;
    if (d->older_than_ms > 0 &&
        ((code = run_delete(c, ST_PRUNE_AGE, NULL, NULL, cutoff,
                            &d->removed)) ||
         (code = run_delete(c, ST_PRUNE_RUNS, NULL, NULL, cutoff, NULL))))
        return code;
    if (d->min_failures > 0 &&
        (code = run_delete(c, ST_PRUNE_FAIL, NULL, NULL, d->min_failures,
                           &d->removed)))
        return code;
    return CACHE_OK;
}

cache_code cache_prune(struct cache *c, int64_t older_than_ms,
                       int64_t min_failures, int64_t *removed)
{
    struct delop d;
    cache_code code;

    if (removed)
        *removed = 0;
    if (older_than_ms <= 0 && min_failures <= 0)
        return cache__fail(c, CACHE_E_INPUT, "prune: give an age or a "
                           "failure count");
    memset(&d, 0, sizeof d);
    d.older_than_ms = older_than_ms;
    d.min_failures = min_failures;
    code = cache__write(c, prune_tx, &d);
    if (!code && removed)
        *removed = d.removed;
    return code;
}
