/* export_import.c -- `cache export` / `cache import`: entries as one JSON
 * document, so a CI cache can be warmed from another machine. Import is
 * all or nothing: the whole document is validated (types, required
 * fields, caps) before the first row is written, and the rows go in one
 * transaction. The merge rule is in cache.h (cache_import). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cache_int.h"
#include "../util/util.h"

#define EXPORT_FORMAT 1     /* the "cdpilot_cache" member */
#define MAX_SAFE_INT 9007199254740992.0   /* 2^53: exact in a double */

cache_code cache_export(struct cache *c, FILE *out)
{
    sqlite3_stmt *s;
    cache_code code;
    int rc, n = 0;

    if ((code = cache__flush(c)) ||
        (code = cache__stmt(c, ST_LIST_ALL, &s)))
        return code;
    fprintf(out, "{\"cdpilot_cache\":%d,\"schema_version\":%d,"
            "\"exported_ms\":%lld,\"entries\":[", EXPORT_FORMAT,
            CACHE_SCHEMA_VERSION, (long long)ut_wall_ms());
    /* Row by row: an export never holds the whole cache in memory. */
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct cache_entry e;
        cJSON *o;
        char *txt;

        if ((code = cache__entry_from_row(c, s, &e)))
            break;
        o = cache__entry_json(&e);
        cache_entry_clear(&e);
        txt = o ? cJSON_PrintUnformatted(o) : NULL;
        cJSON_Delete(o);
        if (!txt) {
            code = cache__fail(c, CACHE_E_NOMEM, "out of memory");
            break;
        }
        fprintf(out, "%s\n%s", n++ ? "," : "", txt);
        free(txt);
    }
    if (!code && rc != SQLITE_DONE)
        code = cache__sqlfail(c, rc, "export");
    sqlite3_reset(s);
    if (code)
        return code;
    fputs("]}\n", out);
    if (fflush(out) != 0 || ferror(out))
        return cache__fail(c, CACHE_E_IO, "export: write error");
    return CACHE_OK;
}

/* ---- import: validation --------------------------------------------------- */

/* One validated entry; strings borrowed from the parsed tree. */
struct imp {
    const char *origin, *route, *kind, *intent, *selector, *fingerprint;
    const char *source;
    double confidence;
    int64_t successes, failures, heals, created_ms, last_used_ms;
};

/* Where validation failed: "entries[3].selector: ...". */
struct verr {
    char *buf;
    size_t len;
};

static cache_code bad(struct verr *v, long idx, const char *field,
                      const char *why)
{
    if (idx < 0)
        ut_err(v->buf, v->len, 0, "%s: %s", field, why);
    else if (field)
        ut_err(v->buf, v->len, 0, "entries[%ld].%s: %s", idx, field, why);
    else
        ut_err(v->buf, v->len, 0, "entries[%ld]: %s", idx, why);
    return CACHE_E_INPUT;
}

static cache_code want_str(struct verr *v, long idx, const cJSON *o,
                           const char *field, size_t cap, int required,
                           const char **out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, field);

    *out = "";
    if (!it && !required)
        return CACHE_OK;
    if (!cJSON_IsString(it) || !it->valuestring ||
        (required && !it->valuestring[0]))
        return bad(v, idx, field, required ? "expected a non-empty string"
                                           : "expected a string");
    if (strlen(it->valuestring) > cap) {
        char why[64];

        snprintf(why, sizeof why, "longer than %zu bytes", cap);
        return bad(v, idx, field, why);
    }
    *out = it->valuestring;
    return CACHE_OK;
}

static cache_code want_int(struct verr *v, long idx, const cJSON *o,
                           const char *field, int64_t dflt, int64_t *out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, field);
    double d;

    *out = dflt;
    if (!it)
        return CACHE_OK;
    d = cJSON_IsNumber(it) ? it->valuedouble : -1;
    if (!(d >= 0 && d <= MAX_SAFE_INT) || floor(d) != d)
        return bad(v, idx, field, "expected a non-negative integer");
    *out = (int64_t)d;
    return CACHE_OK;
}

/* KEY (the user's, may hold any byte) cut to at most 60 bytes, with
 * control bytes shown as '?', so that a message quoting it stays one
 * printable line. */
static void key_for_msg(char *out, size_t n, const char *key)
{
    size_t i;

    ut_strlcpy(out, key ? key : "", n < 61 ? n : 61);
    for (i = 0; out[i]; i++)
        if ((unsigned char)out[i] < 0x20 || out[i] == 0x7F)
            out[i] = '?';
}

static cache_code check_keys(struct verr *v, long idx, const cJSON *o,
                             const char *const *allowed)
{
    const cJSON *it;
    size_t i;

    cJSON_ArrayForEach(it, o) {
        for (i = 0; allowed[i]; i++)
            if (it->string && !strcmp(it->string, allowed[i]))
                break;
        if (!allowed[i]) {
            char why[96], key[64];

            key_for_msg(key, sizeof key, it->string);
            snprintf(why, sizeof why, "unknown key \"%s\"", key);
            return bad(v, idx, NULL, why);
        }
    }
    return CACHE_OK;
}

static cache_code check_entry(struct verr *v, long i, const cJSON *o,
                              struct imp *e)
{
    static const char *const keys[] = {
        "origin", "route", "kind", "intent", "selector", "fingerprint",
        "source", "confidence", "successes", "failures", "heals",
        "created_ms", "last_used_ms", NULL
    };
    char norm[CACHE_MAX_INTENT + 1];
    const cJSON *conf;
    int64_t now = ut_wall_ms();
    cache_code rc;

    if (!cJSON_IsObject(o))
        return bad(v, i, NULL, "expected an object");
    if ((rc = check_keys(v, i, o, keys)) ||
        (rc = want_str(v, i, o, "origin", CACHE_MAX_ORIGIN, 1, &e->origin)) ||
        (rc = want_str(v, i, o, "route", CACHE_MAX_ROUTE, 1, &e->route)) ||
        (rc = want_str(v, i, o, "kind", CACHE_MAX_KIND, 1, &e->kind)) ||
        (rc = want_str(v, i, o, "intent", CACHE_MAX_INTENT, 1, &e->intent)) ||
        (rc = want_str(v, i, o, "selector", CACHE_MAX_SELECTOR, 1,
                       &e->selector)) ||
        (rc = want_str(v, i, o, "fingerprint", CACHE_MAX_FINGERPRINT, 0,
                       &e->fingerprint)) ||
        (rc = want_str(v, i, o, "source", 16, 1, &e->source)))
        return rc;
    if (cache_intent_normalize(e->intent, norm, sizeof norm) || !norm[0])
        return bad(v, i, "intent", "blank after normalisation");
    if (strcmp(e->source, "heuristic") && strcmp(e->source, "llm"))
        return bad(v, i, "source", "expected \"heuristic\" or \"llm\"");
    conf = cJSON_GetObjectItemCaseSensitive(o, "confidence");
    if (!cJSON_IsNumber(conf) ||
        !(conf->valuedouble >= 0 && conf->valuedouble <= 1))
        return bad(v, i, "confidence", "expected a number in [0, 1]");
    e->confidence = conf->valuedouble;
    if ((rc = want_int(v, i, o, "successes", 0, &e->successes)) ||
        (rc = want_int(v, i, o, "failures", 0, &e->failures)) ||
        (rc = want_int(v, i, o, "heals", 0, &e->heals)) ||
        (rc = want_int(v, i, o, "created_ms", now, &e->created_ms)) ||
        (rc = want_int(v, i, o, "last_used_ms", e->created_ms,
                       &e->last_used_ms)))
        return rc;
    return CACHE_OK;
}

/* The document's envelope; *ENTRIES is the borrowed "entries" array. */
static cache_code check_doc(struct verr *v, const cJSON *root,
                            const cJSON **entries)
{
    static const char *const keys[] = {
        "cdpilot_cache", "schema_version", "exported_ms", "entries", NULL
    };
    const cJSON *it;
    const char *const *k;

    if (!cJSON_IsObject(root))
        return bad(v, -1, "document", "expected a JSON object");
    cJSON_ArrayForEach(it, root) {
        for (k = keys; *k && (!it->string || strcmp(*k, it->string)); k++)
            ;
        if (!*k) {
            char key[64];

            key_for_msg(key, sizeof key, it->string);
            ut_err(v->buf, v->len, 0, "unknown top-level key \"%s\"", key);
            return CACHE_E_INPUT;
        }
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "cdpilot_cache");
    if (!cJSON_IsNumber(it) || it->valuedouble != EXPORT_FORMAT)
        return bad(v, -1, "cdpilot_cache", "expected 1 (not a cdpilot "
                   "cache export?)");
    it = cJSON_GetObjectItemCaseSensitive(root, "schema_version");
    if (!cJSON_IsNumber(it) || it->valuedouble < 1 ||
        floor(it->valuedouble) != it->valuedouble)
        return bad(v, -1, "schema_version", "expected a positive integer");
    if (it->valuedouble > CACHE_SCHEMA_VERSION) {
        ut_err(v->buf, v->len, 0, "schema_version: %g is newer than this "
               "cdpilot understands (%d)", it->valuedouble,
               CACHE_SCHEMA_VERSION);
        return CACHE_E_INPUT;
    }
    it = cJSON_GetObjectItemCaseSensitive(root, "exported_ms");
    if (it && !cJSON_IsNumber(it))
        return bad(v, -1, "exported_ms", "expected a number");
    *entries = cJSON_GetObjectItemCaseSensitive(root, "entries");
    if (!cJSON_IsArray(*entries))
        return bad(v, -1, "entries", "expected an array");
    if (cJSON_GetArraySize(*entries) > CACHE_MAX_IMPORT_ENTRIES)
        return bad(v, -1, "entries", "too many entries");
    return CACHE_OK;
}

/* ---- import: writing ------------------------------------------------------- */

struct impop {
    const struct imp *e;
    size_t n;
    int64_t written;
};

static cache_code import_tx(struct cache *c, void *arg)
{
    struct impop *op = arg;
    char norm[CACHE_MAX_INTENT + 1];
    sqlite3_stmt *s;
    cache_code code;
    size_t i;
    int rc;

    op->written = 0;
    for (i = 0; i < op->n; i++) {
        const struct imp *e = &op->e[i];
        struct cache_key k = {e->origin, e->route, e->kind, e->intent};

        cache_intent_normalize(e->intent, norm, sizeof norm);
        if ((code = cache__stmt(c, ST_ENTRY_IMPORT, &s)))
            return code;
        rc = cache__bind_key(s, &k, norm);
        if (!rc) rc = cache__bind_text(s, 5, e->selector);
        if (!rc) rc = cache__bind_text(s, 6, e->fingerprint);
        if (!rc) rc = cache__bind_text(s, 7, e->source);
        if (!rc) rc = sqlite3_bind_double(s, 8, e->confidence);
        if (!rc) rc = sqlite3_bind_int64(s, 9, e->successes);
        if (!rc) rc = sqlite3_bind_int64(s, 10, e->failures);
        if (!rc) rc = sqlite3_bind_int64(s, 11, e->heals);
        if (!rc) rc = sqlite3_bind_int64(s, 12, e->created_ms);
        if (!rc) rc = sqlite3_bind_int64(s, 13, e->last_used_ms);
        if (rc)
            return cache__sqlfail(c, rc, "import");
        if ((code = cache__step_done(c, s, "import")))
            return code;
        op->written += sqlite3_changes(c->db);
    }
    return CACHE_OK;
}

cache_code cache_import(struct cache *c, const char *json, size_t len,
                        int64_t *imported, char *err, size_t errlen)
{
    char why[CACHE__LINE_MAX] = "";
    struct verr v = {why, sizeof why};
    const cJSON *entries, *it;
    struct impop op;
    struct imp *rows = NULL;
    cJSON *root;
    cache_code code;
    size_t nul;
    long i = 0;

    if (imported)
        *imported = 0;
    nul = json ? ut_json_nul(json, len) : len;
    if (nul < len) {            /* cJSON would cut the string there */
        long line, col;

        ut_line_col(json, len, nul, &line, &col);
        ut_err(why, sizeof why, 0, "document: line %ld, column %ld: NUL "
               "character (\\u0000 or a 0 byte)", line, col);
        code = CACHE_E_INPUT;
        root = NULL;
        goto invalid;
    }
    root = json ? cJSON_ParseWithLength(json, len) : NULL;
    if (!root) {
        code = bad(&v, -1, "document", "not valid JSON");
        goto invalid;
    }
    if ((code = check_doc(&v, root, &entries)))
        goto invalid;
    rows = calloc((size_t)cJSON_GetArraySize(entries) + 1, sizeof *rows);
    if (!rows) {
        code = CACHE_E_NOMEM;
        ut_strlcpy(why, "out of memory", sizeof why);
        goto invalid;
    }
    cJSON_ArrayForEach(it, entries) {
        if ((code = check_entry(&v, i, it, &rows[i])))
            goto invalid;
        i++;
    }
    memset(&op, 0, sizeof op);
    op.e = rows;
    op.n = (size_t)i;
    code = cache__write(c, import_tx, &op);
    free(rows);
    cJSON_Delete(root);
    if (code) {
        if (err && errlen)
            ut_strlcpy(err, c->msg, errlen);
        return code;
    }
    if (imported)
        *imported = op.written;
    return CACHE_OK;
invalid:
    /* Nothing was written. ERR gets the bare reason, the handle's
     * message the reason with the path. */
    cache__fail(c, code, "import: %s", why);
    if (err && errlen)
        ut_strlcpy(err, why, errlen);
    free(rows);
    cJSON_Delete(root);
    return code;
}
