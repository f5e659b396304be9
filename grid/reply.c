/* reply.c -- the pure parts of the WebDriver session flow: the URL's
 * kind, the new-session request body, reading the grid's reply, and the
 * wait between tries. No I/O. */
#include "grid.h"
#include "../util/util.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#define WAIT_BASE_MS 500
#define WAIT_CAP_MS  8000

int grid_kind_of(const char *url, char *err, size_t errlen)
{
    static const char *const schemes[] = { "http", "https", "ws", "wss",
                                           NULL };
    char why[300];

    if (!url || ut_url_check_abs(url, schemes, why, sizeof why))
        return ut_err(err, errlen, -1, "--grid: expected an http(s):// "
                      "WebDriver URL or a ws(s):// browser URL, got %s",
                      url ? why : "nothing");
    if (strlen(url) >= GRID_URL_MAX - 64)
        return ut_err(err, errlen, -1, "--grid: URL longer than %d bytes",
                      GRID_URL_MAX - 64);
    return strncasecmp(url, "ws", 2) == 0 ? GRID_WS : GRID_WEBDRIVER;
}

char *grid_session_body(const struct grid_opts *o)
{
    cJSON *root = cJSON_CreateObject(), *caps, *am, *co, *args;
    char size[64];
    char *out = NULL;
    size_t i;

    if (!root)
        return NULL;
    caps = cJSON_AddObjectToObject(root, "capabilities");
    am = caps ? cJSON_AddObjectToObject(caps, "alwaysMatch") : NULL;
    if (!am || !cJSON_AddStringToObject(am, "browserName", "chrome"))
        goto out;
    co = cJSON_AddObjectToObject(am, "goog:chromeOptions");
    args = co ? cJSON_AddArrayToObject(co, "args") : NULL;
    if (!args)
        goto out;
    if (o->headless)
        cJSON_AddItemToArray(args, cJSON_CreateString("--headless=new"));
    if (o->width > 0 && o->height > 0) {
        snprintf(size, sizeof size, "--window-size=%d,%d", o->width,
                 o->height);
        cJSON_AddItemToArray(args, cJSON_CreateString(size));
    }
    for (i = 0; i < o->nargs; i++)
        cJSON_AddItemToArray(args, cJSON_CreateString(o->args[i]));
    if (cJSON_GetArraySize(args) != (int)(o->nargs + (o->headless ? 1 : 0) +
                                          (o->width > 0 && o->height > 0)))
        goto out;                      /* an item was not made */
    out = cJSON_PrintUnformatted(root);
out:
    cJSON_Delete(root);
    return out;
}

/* A session id goes into a URL path: letters, digits, '-', '_', '.'. */
static int id_ok(const char *id)
{
    size_t i, n = strlen(id);

    if (n == 0 || n >= GRID_ID_MAX)
        return 0;
    for (i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789-_.", id[i]))
            return 0;
    return 1;
}

static const char *str_of(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* What an error reply says: "ERROR: MESSAGE" (the message cut short). */
static enum grid_reply error_of(long status, const cJSON *value,
                                const char *body, char *err, size_t errlen)
{
    const char *e = str_of(value, "error"), *m = str_of(value, "message");
    int full = status == 429 || status == 503 ||
               (status == 500 && e && !strcmp(e, "session not created"));

    if (e)
        ut_err(err, errlen, 0, "HTTP %ld, %s: %.200s", status, e,
               m ? m : "");
    else
        ut_err(err, errlen, 0, "HTTP %ld, %.120s", status,
               body && *body ? body : "empty reply");
    for (char *p = err; p && *p; p++)   /* one line */
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return full ? GRID_R_RETRY : GRID_R_FATAL;
}

enum grid_reply grid_reply_parse(long status, const char *body,
                                 struct grid_session *s, char *err,
                                 size_t errlen)
{
    cJSON *j = body ? cJSON_Parse(body) : NULL;
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(j, "value");
    const cJSON *caps = cJSON_GetObjectItemCaseSensitive(value,
                                                         "capabilities");
    const char *id = str_of(value, "sessionId"), *cdp;
    enum grid_reply r = GRID_R_FATAL;

    memset(s->id, 0, sizeof s->id);
    s->cdp[0] = '\0';
    if (status != 200) {
        r = error_of(status, value, body, err, errlen);
        goto out;
    }
    if (!id || !id_ok(id)) {
        ut_err(err, errlen, 0, "the new-session reply has %s",
               id ? "an unusable sessionId" : "no value.sessionId");
        goto out;
    }
    ut_strlcpy(s->id, id, sizeof s->id);
    cdp = str_of(caps, "se:cdp");
    if (!cdp || (strncmp(cdp, "ws://", 5) && strncmp(cdp, "wss://", 6)) ||
        ut_strlcpy(s->cdp, cdp, sizeof s->cdp) >= sizeof s->cdp) {
        s->cdp[0] = '\0';
        ut_err(err, errlen, 0, "session %s has %s capability (the grid "
               "must give its browsers' CDP endpoint, as Selenium Grid 4 "
               "does)", s->id, cdp ? "an unusable se:cdp" : "no se:cdp");
        goto out;
    }
    r = GRID_R_OK;
out:
    cJSON_Delete(j);
    return r;
}

int grid_wait_ms(int attempt, int64_t left_ms, uint64_t *rng)
{
    int w = ut_backoff_ms(WAIT_BASE_MS, attempt, WAIT_CAP_MS, rng);

    if (left_ms <= 0)
        return 0;
    return w > left_ms ? (int)left_ms : w;
}
