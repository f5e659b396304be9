/* state_file.c -- session state files: Playwright's storageState JSON
 * ({"cookies": [...], "origins": [{"origin", "localStorage": [...]}]}),
 * read and checked before any browser starts, written 0600 and
 * atomically (a temporary file in the same folder, then rename). Keys
 * this version does not use (Playwright's newer "indexedDB", a cookie's
 * "partitionKey") are left alone, so files move between the tools. The
 * values are secrets: no message here quotes one, not even the JSON
 * near a syntax error. */
#include "run_int.h"

#include <cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define STATE_MAX_FILE (64u * 1024 * 1024)

struct sctx {
    const char *file;
    char *err;
    size_t errlen;
};

/* "FILE: cookies[2]: field "name": expected a string (…)". */
static int shape_err(const struct sctx *c, const char *at, long i,
                     const char *field, const char *what)
{
    char where[64] = "";

    if (at)
        snprintf(where, sizeof where, "%s[%ld]: ", at, i);
    return ut_err(c->err, c->errlen, -1, "%s: %sfield \"%s\": expected %s "
                  "(a Playwright storageState file)", c->file, where, field,
                  what);
}

/* Member K of O is absent (OPTIONAL) or of the type IS says. */
static int has(const struct sctx *c, const cJSON *o, const char *at, long i,
               const char *k, int optional, cJSON_bool (*is)(const cJSON *),
               const char *what)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

    if ((!v && optional) || (v && is(v)))
        return 0;
    return shape_err(c, at, i, k, what);
}

static int check_cookie(const struct sctx *c, const cJSON *ck, long i)
{
    const char *ss;

    if (!cJSON_IsObject(ck))
        return shape_err(c, "cookies", i, "cookies", "an object per cookie");
    if (has(c, ck, "cookies", i, "name", 0, cJSON_IsString, "a string") ||
        has(c, ck, "cookies", i, "value", 0, cJSON_IsString, "a string") ||
        has(c, ck, "cookies", i, "domain", 0, cJSON_IsString, "a string") ||
        has(c, ck, "cookies", i, "path", 1, cJSON_IsString, "a string") ||
        has(c, ck, "cookies", i, "expires", 1, cJSON_IsNumber,
            "a number (Unix seconds, -1 for a session cookie)") ||
        has(c, ck, "cookies", i, "httpOnly", 1, cJSON_IsBool,
            "true or false") ||
        has(c, ck, "cookies", i, "secure", 1, cJSON_IsBool,
            "true or false") ||
        has(c, ck, "cookies", i, "sameSite", 1, cJSON_IsString,
            "\"Strict\", \"Lax\" or \"None\""))
        return -1;
    ss = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ck,
                                                               "sameSite"));
    if (ss && strcmp(ss, "Strict") && strcmp(ss, "Lax") &&
        strcmp(ss, "None"))
        return shape_err(c, "cookies", i, "sameSite",
                         "\"Strict\", \"Lax\" or \"None\"");
    if (!*cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ck,
                                                                "domain")))
        return shape_err(c, "cookies", i, "domain", "a non-empty domain");
    return 0;
}

static int check_origin(const struct sctx *c, const cJSON *o, long i)
{
    static const char *const web[] = { "http", "https", NULL };
    const cJSON *it, *ls;
    const char *u;
    char why[300];

    if (!cJSON_IsObject(o))
        return shape_err(c, "origins", i, "origins", "an object per origin");
    if (has(c, o, "origins", i, "origin", 0, cJSON_IsString,
            "an origin string like \"https://example.com\"") ||
        has(c, o, "origins", i, "localStorage", 1, cJSON_IsArray,
            "an array of {\"name\", \"value\"}"))
        return -1;
    u = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "origin"));
    if (ut_url_check_abs(u, web, why, sizeof why) ||
        strchr(strstr(u, "://") + 3, '/'))
        return shape_err(c, "origins", i, "origin", "an http:// or https:// "
                         "origin (scheme, host and port; no path)");
    ls = cJSON_GetObjectItemCaseSensitive(o, "localStorage");
    cJSON_ArrayForEach(it, ls) {
        if (!cJSON_IsObject(it) ||
            !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(it, "name")) ||
            !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(it, "value")))
            return shape_err(c, "origins", i, "localStorage",
                             "an array of {\"name\": \"…\", \"value\": "
                             "\"…\"}");
    }
    return 0;
}

int run__state_check(const char *file, const cJSON *st, char *err,
                     size_t errlen)
{
    struct sctx c = { file, err, errlen };
    const cJSON *a, *x;
    long i = 0;

    if (has(&c, st, NULL, 0, "cookies", 1, cJSON_IsArray,
            "an array of cookies") ||
        has(&c, st, NULL, 0, "origins", 1, cJSON_IsArray,
            "an array of origins"))
        return -1;
    a = cJSON_GetObjectItemCaseSensitive(st, "cookies");
    cJSON_ArrayForEach(x, a)
        if (check_cookie(&c, x, i++))
            return -1;
    i = 0;
    a = cJSON_GetObjectItemCaseSensitive(st, "origins");
    cJSON_ArrayForEach(x, a)
        if (check_origin(&c, x, i++))
            return -1;
    return 0;
}

int run__state_read(const char *path, cJSON **out, char *err,
                    size_t errlen)
{
    size_t len;
    char *text, *near;

    *out = NULL;
    text = ut_read_file(path, STATE_MAX_FILE, &len, err, errlen);
    if (!text)
        return -1;
    if (run__json_parse(path, text, len, out, err, errlen)) {
        free(text);
        /* the text near the error may be a cookie's value */
        if (errlen && (near = strstr(err, " near '")) != NULL)
            *near = '\0';
        return -1;
    }
    free(text);
    if (run__state_check(path, *out, err, errlen)) {
        cJSON_Delete(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

int run__state_write(const char *path, const cJSON *st, char *err,
                     size_t errlen)
{
    char *text = cJSON_Print(st);
    int rc;

    if (!text)
        return ut_err(err, errlen, -1, "%s: out of memory", path);
    rc = ut_write_file(path, text, strlen(text), 0600);
    free(text);
    if (rc)
        return ut_err(err, errlen, -1, "%s: %s", path, strerror(errno));
    return 0;
}
