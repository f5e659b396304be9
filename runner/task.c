/* task.c -- task files: JSON text -> struct run_task, fully validated
 * before any browser starts (SPEC section 2, docs/TASKS.md).
 * Three stages: json.c parses the text strictly; the JSON shape is turned
 * into the model here (types, keys, ranges: errors name the JSON field);
 * then run__task_check() (check.c) validates the model's contents
 * (targets, URLs, keys, regexes, variables), which words.c shares. On any
 * error the half-built task is freed and the caller's *out is left empty,
 * so run_task_free() on it is harmless.
 * long-ok: the model's parser is one piece, a function per JSON shape,
 * with the typed getters and error context that only it uses. */
#include "run_int.h"

#include <cJSON.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUN__MAX_TIMEOUT   600000   /* ms, timeout_ms upper bound */
#define RUN__MAX_RETRIES   10
#define RUN__MAX_VARS      1000
#define RUN__MAX_SCROLL    1000000  /* px, |x| and |y| */

static const char *const kind_names[RUN_KIND_COUNT] = {
    "goto", "click", "fill", "press", "select", "check", "uncheck",
    "hover", "scroll", "wait_for", "assert", "extract", "eval",
    "screenshot", "upload", "download", "save_state", "load_state",
    "switch_tab", "close_tab"
};

const char *run_kind_name(enum run_kind k)
{
    return (unsigned)k < RUN_KIND_COUNT ? kind_names[k] : "?";
}


/* ---- errors with context ------------------------------------------------ */

struct pctx {
    const char *file;
    char *err;
    size_t errlen;
    long step;          /* 0-based step index, -1 at the top level */
    const char *kind;   /* step kind name once known */
};

/* "FILE: step N (KIND): field "F": MSG"; parts left out when unknown. */
__attribute__((format(printf, 3, 4)))
static int perr(const struct pctx *c, const char *field, const char *fmt,
                ...)
{
    char msg[512], where[160];
    va_list ap;
    int n = 0;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    where[0] = '\0';
    if (c->step >= 0) {
        n = snprintf(where, sizeof where, "step %ld", c->step + 1);
        if (c->kind && n > 0 && (size_t)n < sizeof where)
            n += snprintf(where + n, sizeof where - (size_t)n, " (%s)",
                          c->kind);
        if (n > 0 && (size_t)n < sizeof where)
            snprintf(where + n, sizeof where - (size_t)n, ": ");
    }
    if (field)
        return ut_err(c->err, c->errlen, -1, "%s: %sfield \"%s\": %s",
                      c->file, where, field, msg);
    return ut_err(c->err, c->errlen, -1, "%s: %s%s", c->file, where, msg);
}

/* ---- typed getters ------------------------------------------------------ */

/* Copies a string value (EMPTY_OK: "" allowed) into *OUT. */
static int get_str(const struct pctx *c, const cJSON *j, const char *field,
                   int empty_ok, const char *what, char **out)
{
    size_t n;

    if (!cJSON_IsString(j))
        return perr(c, field, "expected %s, got %s", what, run__json_type(j));
    n = strlen(j->valuestring);
    if (n > RUN__MAX_STRING)
        return perr(c, field, "string too long (%zu bytes, limit %u)", n,
                    (unsigned)RUN__MAX_STRING);
    if (n == 0 && !empty_ok)
        return perr(c, field, "expected %s, got an empty string", what);
    free(*out);
    *out = ut_strdup(j->valuestring);
    return *out ? 0 : perr(c, field, "out of memory");
}

static int get_bool(const struct pctx *c, const cJSON *j, const char *field,
                    int *out)
{
    if (!cJSON_IsBool(j))
        return perr(c, field, "expected true or false, got %s",
                    run__json_type(j));
    *out = cJSON_IsTrue(j);
    return 0;
}

/* An integer in [LO, HI]; WHAT describes it ("a non-negative integer
 * (milliseconds)"). */
static int get_long(const struct pctx *c, const cJSON *j, const char *field,
                    long lo, long hi, const char *what, long *out)
{
    double d;

    if (!cJSON_IsNumber(j))
        return perr(c, field, "expected %s, got %s", what, run__json_type(j));
    d = j->valuedouble;
    if (d < -1e15 || d > 1e15 || d != (double)(long)d)
        return perr(c, field, "expected %s, got %g", what, d);
    if ((long)d < lo || (long)d > hi) {
        if (hi == INT_MAX)
            return perr(c, field, "expected %s, got %ld", what, (long)d);
        return perr(c, field, "expected %s, got %ld (range %ld..%ld)",
                    what, (long)d, lo, hi);
    }
    *out = (long)d;
    return 0;
}

static int get_int(const struct pctx *c, const cJSON *j, const char *field,
                   long lo, long hi, const char *what, int *out)
{
    long v;

    if (get_long(c, j, field, lo, hi, what, &v))
        return -1;
    *out = (int)v;
    return 0;
}

#define WHAT_MS "a non-negative integer (milliseconds)"

/* Key K appears earlier in object OBJ? (Callers stop at the first
 * unknown key, so objects are small and this stays cheap.) */
static int dup_key(const cJSON *obj, const cJSON *k)
{
    const cJSON *p;

    for (p = obj->child; p && p != k; p = p->next)
        if (strcmp(p->string, k->string) == 0)
            return 1;
    return 0;
}

/* A key outside CANDS: the error, with a suggestion when one is close. */
static int unknown_key(const struct pctx *c, const char *key,
                       const char *const *cands, size_t n, const char *in)
{
    const char *s = run__suggest(key, cands, n);

    if (s)
        return perr(c, NULL, "unknown key \"%s\"%s (did you mean \"%s\"?)",
                    key, in, s);
    return perr(c, NULL, "unknown key \"%s\"%s", key, in);
}

/* ---- steps --------------------------------------------------------------- */

static const char *const common_keys[] = {
    "id", "timeout_ms", "optional", "retries", "note", "idempotent", "nth"
};
#define NCOMMON (sizeof common_keys / sizeof common_keys[0])

/* Keys that only some kinds take (besides the kind key itself). */
struct extra { const char *key; unsigned kinds; };
#define K(k) (1u << (k))
static const struct extra extra_keys[] = {
    { "value",     K(RUN_FILL) | K(RUN_SELECT) },
    { "secret",    K(RUN_FILL) },
    { "as",        K(RUN_EXTRACT) | K(RUN_EVAL) },
    { "attribute", K(RUN_EXTRACT) },
    { "full_page", K(RUN_SCREENSHOT) },
    { "files",     K(RUN_UPLOAD) },
    { "to",        K(RUN_DOWNLOAD) },
};
#define NEXTRA (sizeof extra_keys / sizeof extra_keys[0])

static int kind_of(const char *key)
{
    int k;

    for (k = 0; k < RUN_KIND_COUNT; k++)
        if (strcmp(key, kind_names[k]) == 0)
            return k;
    return -1;
}

static int is_common(const char *key)
{
    size_t i;

    for (i = 0; i < NCOMMON; i++)
        if (strcmp(key, common_keys[i]) == 0)
            return 1;
    return 0;
}

static const struct extra *extra_of(const char *key)
{
    size_t i;

    for (i = 0; i < NEXTRA; i++)
        if (strcmp(key, extra_keys[i].key) == 0)
            return &extra_keys[i];
    return NULL;
}

/* Every key a step may hold, for suggestions. */
static size_t all_step_keys(const char **out)
{
    size_t n = 0, i;

    for (i = 0; i < RUN_KIND_COUNT; i++)
        out[n++] = kind_names[i];
    for (i = 0; i < NCOMMON; i++)
        out[n++] = common_keys[i];
    for (i = 0; i < NEXTRA; i++)
        out[n++] = extra_keys[i].key;
    return n;
}

#define KIND_LIST "one of goto, click, fill, press, select, check, " \
    "uncheck, hover, scroll, wait_for, assert, extract, eval, screenshot, " \
    "upload, download, save_state, load_state, switch_tab, close_tab"

/* Finds the one kind key of step object J. */
static int find_kind(struct pctx *c, const cJSON *j, const cJSON **kitem)
{
    const cJSON *k;
    const char *cands[RUN_KIND_COUNT + NCOMMON + NEXTRA];
    size_t n;

    *kitem = NULL;
    for (k = j->child; k; k = k->next) {
        if (kind_of(k->string) < 0)
            continue;
        if (*kitem)
            return perr(c, NULL, "two step kinds \"%s\" and \"%s\" in one "
                        "step (a step does exactly one thing)",
                        (*kitem)->string, k->string);
        *kitem = k;
    }
    if (*kitem)
        return 0;
    n = all_step_keys(cands);
    for (k = j->child; k; k = k->next) {  /* a misspelt kind, most likely */
        const char *s;

        if (is_common(k->string) || extra_of(k->string))
            continue;
        s = run__suggest(k->string, cands, n);
        if (s && kind_of(s) < 0)
            return unknown_key(c, k->string, cands, n, "");
        if (s)
            return perr(c, NULL, "unknown step kind \"%s\" (did you mean "
                        "\"%s\"?)", k->string, s);
        return perr(c, NULL, "unknown step kind \"%s\" (expected %s)",
                    k->string, KIND_LIST);
    }
    return perr(c, NULL, "no step kind (expected %s)", KIND_LIST);
}

/* The "kinds" a key belongs to, as "fill, select". */
static void kinds_list(unsigned mask, char *out, size_t n)
{
    size_t o = 0;
    int k;

    out[0] = '\0';
    for (k = 0; k < RUN_KIND_COUNT && o < n; k++) {
        if (!(mask & K(k)))
            continue;
        o += (size_t)snprintf(out + o, n - o, "%s%s", o ? ", " : "",
                              kind_names[k]);
    }
}

/* wait_for response: {"url": regex, "method": "POST", "status": 200}. */
static int parse_response(struct pctx *c, const cJSON *j, struct run_step *s)
{
    static const char *const keys[] = { "url", "method", "status" };
    const cJSON *k;
    const char *p;

    if (!cJSON_IsObject(j))
        return perr(c, "wait_for.response", "expected an object {\"url\": "
                    "regex, \"method\": \"GET\", \"status\": 200}, got %s",
                    run__json_type(j));
    for (k = j->child; k; k = k->next) {
        if (dup_key(j, k))
            return perr(c, "wait_for.response", "duplicate key \"%s\"",
                        k->string);
        if (strcmp(k->string, "url") == 0) {
            if (get_str(c, k, "wait_for.response.url", 0, "a regex string",
                        &s->value))
                return -1;
        } else if (strcmp(k->string, "method") == 0) {
            if (get_str(c, k, "wait_for.response.method", 0, "an HTTP "
                        "method string like \"POST\"", &s->method))
                return -1;
            for (p = s->method; *p; p++)
                if (!(*p >= 'A' && *p <= 'Z'))
                    return perr(c, "wait_for.response.method", "expected "
                                "an HTTP method in capitals like \"POST\", "
                                "got \"%.32s\"", s->method);
        } else if (strcmp(k->string, "status") == 0) {
            if (get_int(c, k, "wait_for.response.status", 100, 599,
                        "an HTTP status code", &s->status))
                return -1;
        } else {
            return unknown_key(c, k->string, keys, 3,
                               " in wait_for.response");
        }
    }
    if (!s->value)
        return perr(c, "wait_for.response", "missing \"url\" (a regex on "
                    "the response's URL; \".\" takes any)");
    return 0;
}

/* wait_for: {"target"|"text"|"url"|"js": …, "timeout_ms": N}. */
static int parse_wait(struct pctx *c, const cJSON *j, struct run_step *s)
{
    static const char *const keys[] = {
        "target", "text", "url", "js", "network_idle", "response",
        "timeout_ms"
    };
    const cJSON *k, *cond = NULL;

    if (!cJSON_IsObject(j))
        return perr(c, "wait_for", "expected an object with one of "
                    "\"target\", \"text\", \"url\", \"js\", "
                    "\"network_idle\", \"response\", got %s",
                    run__json_type(j));
    for (k = j->child; k; k = k->next) {
        if (dup_key(j, k))
            return perr(c, "wait_for", "duplicate key \"%s\"", k->string);
        if (strcmp(k->string, "timeout_ms") == 0) {
            if (s->timeout_ms >= 0)
                return perr(c, "wait_for.timeout_ms", "timeout given twice "
                            "(in the step and in wait_for)");
            if (get_int(c, k, "wait_for.timeout_ms", 0, RUN__MAX_TIMEOUT,
                        WHAT_MS, &s->timeout_ms))
                return -1;
            continue;
        }
        if (strcmp(k->string, "target") && strcmp(k->string, "text") &&
            strcmp(k->string, "url") && strcmp(k->string, "js") &&
            strcmp(k->string, "network_idle") &&
            strcmp(k->string, "response"))
            return unknown_key(c, k->string, keys, 7, " in wait_for");
        if (cond)
            return perr(c, "wait_for", "two conditions \"%s\" and \"%s\" "
                        "(wait for one thing per step)", cond->string,
                        k->string);
        cond = k;
    }
    if (!cond)
        return perr(c, "wait_for", "expected one of \"target\", \"text\", "
                    "\"url\", \"js\", \"network_idle\", \"response\"");
    if (strcmp(cond->string, "network_idle") == 0) {
        s->cond = RUN_COND_IDLE;
        return get_long(c, cond, "wait_for.network_idle", 0,
                        RUN__MAX_TIMEOUT, WHAT_MS, &s->count);
    }
    if (strcmp(cond->string, "response") == 0) {
        s->cond = RUN_COND_RESPONSE;
        s->regex = 1;
        return parse_response(c, cond, s);
    }
    switch (cond->string[0]) {
    case 't':
        if (cond->string[1] == 'a') {
            s->cond = RUN_COND_TARGET;
            return get_str(c, cond, "wait_for.target", 0, "a target string",
                           &s->target);
        }
        s->cond = RUN_COND_TEXT;
        return get_str(c, cond, "wait_for.text", 0, "a text string",
                       &s->value);
    case 'u':
        s->cond = RUN_COND_URL;
        return get_str(c, cond, "wait_for.url", 0, "a regex string",
                       &s->value);
    default:
        s->cond = RUN_COND_JS;
        return get_str(c, cond, "wait_for.js", 0, "a JS expression string",
                       &s->value);
    }
}

/* assert count / value: {"target": T, "equals": …}. */
static int parse_assert_pair(struct pctx *c, const cJSON *j,
                             struct run_step *s, int is_count)
{
    static const char *const keys[] = { "target", "equals" };
    const char *field = is_count ? "assert.count" : "assert.value";
    const cJSON *k, *t = NULL, *eq = NULL;
    char in[32];

    if (!cJSON_IsObject(j))
        return perr(c, field, "expected an object {\"target\": …, "
                    "\"equals\": %s}, got %s", is_count ? "N" : "\"…\"",
                    run__json_type(j));
    snprintf(in, sizeof in, " in %s", field);
    for (k = j->child; k; k = k->next) {
        if (dup_key(j, k))
            return perr(c, field, "duplicate key \"%s\"", k->string);
        if (strcmp(k->string, "target") == 0)
            t = k;
        else if (strcmp(k->string, "equals") == 0)
            eq = k;
        else
            return unknown_key(c, k->string, keys, 2, in);
    }
    if (!t || !eq)
        return perr(c, field, "needs both \"target\" and \"equals\"");
    if (get_str(c, t, is_count ? "assert.count.target" :
                "assert.value.target", 0, "a target string", &s->target))
        return -1;
    if (is_count)
        return get_long(c, eq, "assert.count.equals", 0, 1000000000,
                        "a non-negative integer", &s->count);
    return get_str(c, eq, "assert.value.equals", 1, "a string", &s->value);
}

/* ---- files: upload, download, assert download ------------------------- */

struct run_files *run__files_of(struct run_step *s)
{
    if (!s->files && (s->files = calloc(1, sizeof *s->files))) {
        s->files->size_min = -1;
        s->files->size_max = -1;
    }
    return s->files;
}

static void files_free(struct run_files *f)
{
    size_t i;

    if (!f)
        return;
    for (i = 0; i < f->n; i++)
        free(f->paths[i]);
    free(f->paths);
    free(f->to);
    free(f->name_re);
    free(f->content_re);
    free(f);
}

#define RUN__MAX_FILES 100   /* one upload step */

/* upload's "files": a path string or a non-empty array of them. */
static int parse_files(struct pctx *c, const cJSON *j, struct run_step *s)
{
    struct run_files *f = run__files_of(s);
    const cJSON *e;
    size_t n;

    if (!f)
        return perr(c, NULL, "out of memory");
    if (cJSON_IsString(j))
        n = 1;
    else if (cJSON_IsArray(j))
        n = (size_t)cJSON_GetArraySize(j);
    else
        return perr(c, "files", "expected a file path or an array of "
                    "them, got %s", run__json_type(j));
    if (n == 0)
        return perr(c, "files", "expected at least one file, got an "
                    "empty array");
    if (n > RUN__MAX_FILES)
        return perr(c, "files", "too many files (%zu, limit %d)", n,
                    RUN__MAX_FILES);
    f->paths = calloc(n, sizeof *f->paths);
    if (!f->paths)
        return perr(c, NULL, "out of memory");
    if (cJSON_IsString(j)) {
        f->n = 1;
        return get_str(c, j, "files", 0, "a file path string",
                       &f->paths[0]);
    }
    for (e = j->child; e; e = e->next) {
        f->n++;
        if (get_str(c, e, "files", 0, "a file path string",
                    &f->paths[f->n - 1]))
            return -1;
    }
    return 0;
}

/* assert download: {"name": RE, "size": N | {"min": N, "max": N},
 * "content": RE}, each optional. */
static int parse_assert_download(struct pctx *c, const cJSON *j,
                                 struct run_step *s)
{
    static const char *const keys[] = { "name", "size", "content" };
    static const char *const bounds[] = { "min", "max" };
    struct run_files *f = run__files_of(s);
    const cJSON *k, *b;

    if (!f)
        return perr(c, NULL, "out of memory");
    if (!cJSON_IsObject(j))
        return perr(c, "assert.download", "expected an object with "
                    "\"name\", \"size\" and/or \"content\", got %s",
                    run__json_type(j));
    for (k = j->child; k; k = k->next) {
        if (dup_key(j, k))
            return perr(c, "assert.download", "duplicate key \"%s\"",
                        k->string);
        if (strcmp(k->string, "name") == 0) {
            if (get_str(c, k, "assert.download.name", 0, "a regex string",
                        &f->name_re))
                return -1;
        } else if (strcmp(k->string, "content") == 0) {
            if (get_str(c, k, "assert.download.content", 0,
                        "a regex string", &f->content_re))
                return -1;
        } else if (strcmp(k->string, "size") != 0) {
            return unknown_key(c, k->string, keys, 3, " in assert.download");
        } else if (cJSON_IsNumber(k)) {
            if (get_long(c, k, "assert.download.size", 0, LONG_MAX,
                         "a size in bytes", &f->size_min))
                return -1;
            f->size_max = f->size_min;
        } else if (!cJSON_IsObject(k) || !k->child) {
            return perr(c, "assert.download.size", "expected a size in "
                        "bytes or {\"min\": N, \"max\": N}, got %s",
                        run__json_type(k));
        } else {
            for (b = k->child; b; b = b->next) {
                int mx = strcmp(b->string, "max") == 0;

                if (dup_key(k, b))
                    return perr(c, "assert.download.size", "duplicate key "
                                "\"%s\"", b->string);
                if (!mx && strcmp(b->string, "min") != 0)
                    return unknown_key(c, b->string, bounds, 2,
                                       " in assert.download.size");
                if (get_long(c, b, mx ? "assert.download.size.max" :
                             "assert.download.size.min", 0, LONG_MAX,
                             "a size in bytes", mx ? &f->size_max
                             : &f->size_min))
                    return -1;
            }
            if (f->size_max >= 0 && f->size_min > f->size_max)
                return perr(c, "assert.download.size", "min %ld is more "
                            "than max %ld", f->size_min, f->size_max);
        }
    }
    return 0;
}

/* ---- assert ------------------------------------------------------------ */

/* Every key of an assert object; the element checks (ASSERT_EL on) need
 * "target", the page's (ASSERT_PAGE) have none; "not" goes with both. */
enum { ASSERT_PAGE = 1, ASSERT_EL = 2 };
static const struct {
    const char *key;
    enum run_cond cond;
    int where;
    int regex;
} assert_keys[] = {
    { "text",               RUN_COND_TEXT,       ASSERT_PAGE | ASSERT_EL, 0 },
    { "url_matches",        RUN_COND_URL,        ASSERT_PAGE, 0 },
    { "visible",            RUN_COND_VISIBLE,    ASSERT_PAGE, 0 },
    { "hidden",             RUN_COND_HIDDEN,     ASSERT_PAGE, 0 },
    { "count",              RUN_COND_COUNT,      ASSERT_PAGE | ASSERT_EL, 0 },
    { "value",              RUN_COND_VALUE,      ASSERT_PAGE | ASSERT_EL, 0 },
    { "js",                 RUN_COND_JS,         ASSERT_PAGE, 0 },
    { "title",              RUN_COND_TITLE,      ASSERT_PAGE, 0 },
    { "title_matches",      RUN_COND_TITLE,      ASSERT_PAGE, 1 },
    { "no_failed_requests", RUN_COND_NO_FAILED,  ASSERT_PAGE, 0 },
    { "no_console_errors",  RUN_COND_NO_CONSOLE, ASSERT_PAGE, 0 },
    { "text_matches",       RUN_COND_EL_TEXT,    ASSERT_EL, 1 },
    { "value_matches",      RUN_COND_VALUE,      ASSERT_EL, 1 },
    { "attribute",          RUN_COND_ATTR,       ASSERT_EL, 0 },
    { "state",              RUN_COND_STATE,      ASSERT_EL, 0 },
    { "download",           RUN_COND_DOWNLOAD,   ASSERT_PAGE, 0 },
    { "target",             RUN_COND_NONE,       0, 0 },
    { "not",                RUN_COND_NONE,       0, 0 },
};
#define NASSERT (sizeof assert_keys / sizeof assert_keys[0])
#define ASSERT_LIST "\"text\", \"url_matches\", \"visible\", \"hidden\", " \
    "\"count\", \"value\", \"js\", \"title\", \"title_matches\", " \
    "\"no_failed_requests\", \"no_console_errors\", \"download\", or " \
    "\"target\" with " \
    "one of \"text\", \"text_matches\", \"value\", \"value_matches\", " \
    "\"attribute\", \"state\", \"count\""

static const char *const state_names[RUN_STATE_COUNT] = {
    "", "checked", "enabled", "disabled", "visible", "hidden", "focused",
    "editable"
};

const char *run_state_name(enum run_state st)
{
    return (unsigned)st < RUN_STATE_COUNT ? state_names[st] : "?";
}

enum run_state run__state_of(const char *s)
{
    int i;

    for (i = 1; i < RUN_STATE_COUNT; i++)
        if (strcmp(s, state_names[i]) == 0)
            return (enum run_state)i;
    return RUN_STATE_NONE;
}

/* "unknown state …" with a suggestion, into MSG. */
static void state_msg(const char *s, char *msg, size_t n)
{
    const char *sug = run__suggest(s, state_names + 1, RUN_STATE_COUNT - 1);

    if (sug)
        snprintf(msg, n, "unknown state \"%.64s\" (did you mean \"%s\"?)",
                 s, sug);
    else
        snprintf(msg, n, "unknown state \"%.64s\" (expected checked, "
                 "enabled, disabled, visible, hidden, focused or editable)",
                 s);
}

int run__state_err(const struct run_step *st, const char *s, char *err,
                   size_t errlen)
{
    char msg[200];

    state_msg(s, msg, sizeof msg);
    return ut_err(err, errlen, -1, "step %d (%s): field \"assert.state\": "
                  "%s", st->index + 1, run_kind_name(st->kind), msg);
}

/* "state": one of state_names. */
static int parse_state(struct pctx *c, const cJSON *j, struct run_step *s)
{
    char msg[200];

    if (!cJSON_IsString(j))
        return perr(c, "assert.state", "expected a state string (checked, "
                    "enabled, disabled, visible, hidden, focused, editable),"
                    " got %s", run__json_type(j));
    s->state = run__state_of(j->valuestring);
    if (s->state)
        return 0;
    state_msg(j->valuestring, msg, sizeof msg);
    return perr(c, "assert.state", "%s", msg);
}

/* The value of condition key K (AT[I]) into S, for the page's checks
 * (EL 0) or a target's (EL 1). */
static int parse_assert_value(struct pctx *c, const cJSON *k, size_t i,
                              int el, struct run_step *s)
{
    char field[40];

    snprintf(field, sizeof field, "assert.%s", assert_keys[i].key);
    if (assert_keys[i].cond == RUN_COND_ATTR)   /* its value's kept */
        return get_str(c, k, field, 0, "an attribute name string",
                       &s->attr) ? -1 : ((s->cond = RUN_COND_ATTR), 0);
    s->cond = assert_keys[i].cond;
    s->regex = assert_keys[i].regex;
    switch (s->cond) {
    case RUN_COND_VISIBLE:
    case RUN_COND_HIDDEN:
        return get_str(c, k, field, 0, "a target string", &s->target);
    case RUN_COND_COUNT:
        if (!el)
            return parse_assert_pair(c, k, s, 1);
        return get_long(c, k, field, 0, 1000000000,
                        "a non-negative integer", &s->count);
    case RUN_COND_VALUE:
        if (!el && cJSON_IsObject(k))
            return parse_assert_pair(c, k, s, 0);
        if (!el)
            return perr(c, field, "expected an object {\"target\": …, "
                        "\"equals\": \"…\"} (or a \"target\" beside it), "
                        "got %s", run__json_type(k));
        return get_str(c, k, field, !s->regex, s->regex ? "a regex string"
                       : "a string", &s->value);
    case RUN_COND_NO_FAILED:
    case RUN_COND_NO_CONSOLE:
        if (!cJSON_IsTrue(k))
            return perr(c, field, "expected true (leave the check out to "
                        "not make it), got %s", cJSON_IsFalse(k) ? "false"
                        : run__json_type(k));
        return 0;
    case RUN_COND_STATE:
        return parse_state(c, k, s);
    case RUN_COND_DOWNLOAD:
        return parse_assert_download(c, k, s);
    case RUN_COND_JS:
        return get_str(c, k, field, 0, "a JS expression string", &s->value);
    case RUN_COND_TEXT:
        if (el)
            s->cond = RUN_COND_EL_TEXT;
        return get_str(c, k, field, el, "a text string", &s->value);
    default:   /* a regex, or the title */
        return get_str(c, k, field, !s->regex && s->cond == RUN_COND_TITLE,
                       s->regex ? "a regex string" : "a text string",
                       &s->value);
    }
}

/* A target's checks: "attribute" with an optional "value" or
 * "value_matches", else exactly one of text, text_matches, value,
 * value_matches, state, count. AT[i] is the item of assert_keys[i]. */
static int parse_assert_el(struct pctx *c, const cJSON *const *at,
                           struct run_step *s)
{
    const cJSON *cond = NULL, *attr = NULL;
    size_t i, ci = 0, ti = NASSERT - 2;

    s->flat = 1;
    for (i = 0; i < NASSERT; i++) {
        if (!at[i] || !assert_keys[i].cond)
            continue;
        if (!(assert_keys[i].where & ASSERT_EL))
            return perr(c, "assert.target", "\"%s\" is a check of the page,"
                        " not of a target (leave \"target\" out)",
                        assert_keys[i].key);
        if (assert_keys[i].cond == RUN_COND_ATTR) {
            attr = at[i];
            continue;
        }
        if (cond)
            return perr(c, "assert", "two checks \"%s\" and \"%s\" of the "
                        "target (assert one thing per step)", cond->string,
                        at[i]->string);
        cond = at[i];
        ci = i;
    }
    if (get_str(c, at[ti], "assert.target", 0, "a target string",
                &s->target))
        return -1;
    if (attr) {
        if (cond && assert_keys[ci].cond != RUN_COND_VALUE)
            return perr(c, "assert", "\"attribute\" goes with \"value\" or "
                        "\"value_matches\" (the attribute's), not \"%s\"",
                        cond->string);
        if (cond && parse_assert_value(c, cond, ci, 1, s))
            return -1;
        for (i = 0; i < NASSERT && assert_keys[i].cond != RUN_COND_ATTR; i++)
            ;
        if (parse_assert_value(c, attr, i, 1, s))
            return -1;
        return 0;
    }
    if (!cond)
        return perr(c, "assert", "\"target\" needs what to check: one of "
                    "\"text\", \"text_matches\", \"value\", "
                    "\"value_matches\", \"attribute\", \"state\", \"count\"");
    return parse_assert_value(c, cond, ci, 1, s);
}

/* assert: one condition (docs/TASKS.md "Assertions"), and "not". */
static int parse_assert(struct pctx *c, const cJSON *j, struct run_step *s)
{
    const char *names[NASSERT];
    const cJSON *k, *at[NASSERT], *cond = NULL;
    size_t i, ci = 0;

    if (!cJSON_IsObject(j))
        return perr(c, "assert", "expected an object with one of %s, got %s",
                    ASSERT_LIST, run__json_type(j));
    memset(at, 0, sizeof at);
    for (i = 0; i < NASSERT; i++)
        names[i] = assert_keys[i].key;
    for (k = j->child; k; k = k->next) {
        if (dup_key(j, k))
            return perr(c, "assert", "duplicate key \"%s\"", k->string);
        for (i = 0; i < NASSERT && strcmp(k->string, names[i]); i++)
            ;
        if (i == NASSERT)
            return unknown_key(c, k->string, names, NASSERT, " in assert");
        at[i] = k;
    }
    if (at[NASSERT - 1] && get_bool(c, at[NASSERT - 1], "assert.not",
                                    &s->negate))
        return -1;
    if (at[NASSERT - 2])
        return parse_assert_el(c, at, s) ? -1 : 0;
    for (i = 0; i < NASSERT - 2; i++) {
        if (!at[i])
            continue;
        if (!(assert_keys[i].where & ASSERT_PAGE))
            return perr(c, "assert", "\"%s\" checks a target: add "
                        "\"target\"", names[i]);
        if (cond)
            return perr(c, "assert", "two conditions \"%s\" and \"%s\" "
                        "(assert one thing per step)", cond->string,
                        at[i]->string);
        cond = at[i];
        ci = i;
    }
    if (!cond)
        return perr(c, "assert", "expected one of %s", ASSERT_LIST);
    if (parse_assert_value(c, cond, ci, 0, s))
        return -1;
    if (s->negate && (s->cond == RUN_COND_JS || s->cond == RUN_COND_NO_FAILED
                      || s->cond == RUN_COND_NO_CONSOLE ||
                      s->cond == RUN_COND_DOWNLOAD))
        return perr(c, "assert.not", "\"not\" does not apply to \"%s\"%s",
                    cond->string, s->cond == RUN_COND_JS ? " (negate the "
                    "expression: \"!(…)\")" : "");
    return 0;
}

/* scroll: a target string, "down"/"up"/"top"/"bottom", or {"x":N,"y":N}. */
static int parse_scroll(struct pctx *c, const cJSON *j, struct run_step *s)
{
    static const char *const keys[] = { "x", "y" };
    static const char *const dirs[] = { "down", "up", "top", "bottom" };
    const cJSON *k;
    size_t i;
    int seen = 0;

    if (cJSON_IsString(j)) {
        for (i = 0; i < 4; i++)
            if (strcmp(j->valuestring, dirs[i]) == 0)
                return get_str(c, j, "scroll", 0, "a string", &s->value);
        return get_str(c, j, "scroll", 0, "a target, \"down\", \"up\", "
                       "\"top\", \"bottom\" or {\"x\": N, \"y\": N}",
                       &s->target);
    }
    if (!cJSON_IsObject(j))
        return perr(c, "scroll", "expected a target, \"down\", \"up\", "
                    "\"top\", \"bottom\" or {\"x\": N, \"y\": N}, got %s",
                    run__json_type(j));
    for (k = j->child; k; k = k->next) {
        int *dst;

        if (dup_key(j, k))
            return perr(c, "scroll", "duplicate key \"%s\"", k->string);
        if (strcmp(k->string, "x") == 0)
            dst = &s->scroll_x;
        else if (strcmp(k->string, "y") == 0)
            dst = &s->scroll_y;
        else
            return unknown_key(c, k->string, keys, 2, " in scroll");
        if (get_int(c, k, k->string[0] == 'x' ? "scroll.x" : "scroll.y",
                    -RUN__MAX_SCROLL, RUN__MAX_SCROLL,
                    "an integer (pixels)", dst))
            return -1;
        seen = 1;
    }
    if (!seen)
        return perr(c, "scroll", "expected \"x\" and/or \"y\" (pixels)");
    return 0;
}

/* switch_tab: N, {"index": N}, {"title": "…"} or {"url": "regex"};
 * close_tab: the same, or true (the current tab). */
static int parse_tab(struct pctx *c, const cJSON *j, struct run_step *s)
{
    static const char *const keys[] = { "index", "title", "url" };
    const char *f = kind_names[s->kind];
    const cJSON *k;
    char field[32];
    size_t i;

    if (s->kind == RUN_CLOSE_TAB && cJSON_IsTrue(j)) {
        s->tab_by = RUN_TAB_CURRENT;
        return 0;
    }
    if (cJSON_IsNumber(j)) {
        s->tab_by = RUN_TAB_INDEX;
        return get_int(c, j, f, 0, 1000, "a tab index (0 is the first tab)",
                       &s->tab);
    }
    if (!cJSON_IsObject(j) || !j->child || j->child->next)
        return perr(c, f, "expected %sa tab index N, or {\"index\": N}, "
                    "{\"title\": \"…\"} or {\"url\": \"regex\"}, got %s",
                    s->kind == RUN_CLOSE_TAB ? "true (the current tab), " : "",
                    cJSON_IsObject(j) ? (j->child ? "several keys" :
                    "an empty object") : run__json_type(j));
    k = j->child;
    for (i = 0; i < 3 && strcmp(k->string, keys[i]); i++)
        ;
    snprintf(field, sizeof field, "%s.%s", f, k->string);
    if (i == 3) {
        snprintf(field, sizeof field, " in %s", f);
        return unknown_key(c, k->string, keys, 3, field);
    }
    if (i == 0) {
        s->tab_by = RUN_TAB_INDEX;
        return get_int(c, k, field, 0, 1000, "a tab index (0 is the first "
                       "tab)", &s->tab);
    }
    s->tab_by = i == 1 ? RUN_TAB_TITLE : RUN_TAB_URL;
    return get_str(c, k, field, 0, i == 1 ? "a text string" :
                   "a regex string", &s->value);
}

/* The value of the kind key itself. */
static int parse_kind_value(struct pctx *c, const cJSON *j,
                            struct run_step *s)
{
    const char *f = kind_names[s->kind];

    switch (s->kind) {
    case RUN_GOTO:
        return get_str(c, j, f, 0, "a URL string", &s->value);
    case RUN_PRESS:
        return get_str(c, j, f, 0, "a key string like \"Enter\" or "
                       "\"Control+A\"", &s->value);
    case RUN_EVAL:
        return get_str(c, j, f, 0, "a JS expression string", &s->value);
    case RUN_SCREENSHOT:
    case RUN_SAVE_STATE: case RUN_LOAD_STATE:
        return get_str(c, j, f, 0, "a file path string", &s->value);
    case RUN_SWITCH_TAB: case RUN_CLOSE_TAB:
        return parse_tab(c, j, s);
    case RUN_SCROLL:
        return parse_scroll(c, j, s);
    case RUN_WAIT_FOR:
        return parse_wait(c, j, s);
    case RUN_ASSERT:
        return parse_assert(c, j, s);
    default:
        return get_str(c, j, f, 0, "a target string", &s->target);
    }
}

/* One non-kind key of a step. */
static int parse_step_key(struct pctx *c, const cJSON *k,
                          struct run_step *s)
{
    const char *key = k->string;
    const struct extra *x;
    char kinds[128];
    long v;

    if (strcmp(key, "id") == 0)
        return get_str(c, k, key, 0, "a string", &s->id);
    if (strcmp(key, "note") == 0)
        return get_str(c, k, key, 1, "a string", &s->note);
    if (strcmp(key, "timeout_ms") == 0) {
        if (s->timeout_ms >= 0)
            return perr(c, key, "timeout given twice (in the step and in "
                        "wait_for)");
        return get_int(c, k, key, 0, RUN__MAX_TIMEOUT, WHAT_MS,
                       &s->timeout_ms);
    }
    if (strcmp(key, "retries") == 0)
        return get_int(c, k, key, 0, RUN__MAX_RETRIES,
                       "an integer", &s->retries);
    if (strcmp(key, "optional") == 0)
        return get_bool(c, k, key, &s->optional);
    if (strcmp(key, "idempotent") == 0)
        return get_bool(c, k, key, &s->idempotent);
    if (strcmp(key, "nth") == 0) {
        if (get_long(c, k, key, 0, INT_MAX, "a non-negative integer", &v))
            return -1;
        s->nth = (int)v;
        return 0;
    }
    x = extra_of(key);
    if (x && !(x->kinds & K(s->kind))) {
        kinds_list(x->kinds, kinds, sizeof kinds);
        return perr(c, NULL, "key \"%s\" does not apply to %s (only to "
                    "%s)", key, kind_names[s->kind], kinds);
    }
    if (!x) {
        const char *cands[RUN_KIND_COUNT + NCOMMON + NEXTRA];

        return unknown_key(c, key, cands, all_step_keys(cands), "");
    }
    if (strcmp(key, "value") == 0)
        return get_str(c, k, key, 1, "a string", &s->value);
    if (strcmp(key, "secret") == 0)
        return get_bool(c, k, key, &s->secret);
    if (strcmp(key, "as") == 0)
        return get_str(c, k, key, 0, "a variable name string", &s->as);
    if (strcmp(key, "attribute") == 0)
        return get_str(c, k, key, 0, "an attribute name string", &s->attr);
    if (strcmp(key, "files") == 0)
        return parse_files(c, k, s);
    if (strcmp(key, "to") == 0)
        return run__files_of(s) ? get_str(c, k, key, 0, "a file or folder "
                                          "path string", &s->files->to)
                                : perr(c, NULL, "out of memory");
    return get_bool(c, k, key, &s->full_page);
}

static void step_init(struct run_step *s, size_t i)
{
    memset(s, 0, sizeof *s);
    s->index = (int)i;
    s->nth = -1;
    s->timeout_ms = -1;
    s->retries = -1;
    s->idempotent = 1;
}

static int parse_step(struct pctx *c, const cJSON *j, struct run_step *s)
{
    const cJSON *kitem, *k;

    c->kind = NULL;
    if (!cJSON_IsObject(j))
        return perr(c, NULL, "expected an object like {\"click\": "
                    "\"Save\"}, got %s", run__json_type(j));
    for (k = j->child; k; k = k->next)
        if (dup_key(j, k))
            return perr(c, NULL, "duplicate key \"%s\"", k->string);
    if (find_kind(c, j, &kitem))
        return -1;
    s->kind = (enum run_kind)kind_of(kitem->string);
    c->kind = kind_names[s->kind];
    /* wait_for's own timeout_ms is read with the kind value: do the
     * step-level keys first so "given twice" is caught either way. */
    for (k = j->child; k; k = k->next)
        if (k != kitem && parse_step_key(c, k, s))
            return -1;
    if (parse_kind_value(c, kitem, s))
        return -1;
    if ((s->kind == RUN_FILL || s->kind == RUN_SELECT) && !s->value)
        return perr(c, NULL, "missing \"value\" (%s needs the value to "
                    "%s)", c->kind, s->kind == RUN_FILL ? "type" :
                    "choose");
    if (s->kind == RUN_EXTRACT && !s->as)
        return perr(c, NULL, "missing \"as\" (the variable that receives "
                    "the extracted text)");
    if (s->kind == RUN_UPLOAD && !(s->files && s->files->n))
        return perr(c, NULL, "missing \"files\" (the files to upload, "
                    "like [\"a.csv\"])");
    return 0;
}

static int parse_steps(struct pctx *c, const cJSON *j, struct run_task *t)
{
    const cJSON *e;
    size_t n, i = 0;

    if (!cJSON_IsArray(j))
        return perr(c, "steps", "expected an array of steps, got %s",
                    run__json_type(j));
    n = (size_t)cJSON_GetArraySize(j);
    if (n == 0)
        return perr(c, "steps", "expected at least one step, got an empty "
                    "array");
    if (n > RUN__MAX_STEPS)
        return perr(c, "steps", "too many steps (%zu, limit %d)", n,
                    RUN__MAX_STEPS);
    t->steps = calloc(n, sizeof *t->steps);
    if (!t->steps)
        return perr(c, NULL, "out of memory");
    for (e = j->child; e; e = e->next, i++) {
        step_init(&t->steps[i], i);
        t->nsteps = i + 1;
        c->step = (long)i;
        if (parse_step(c, e, &t->steps[i]))
            return -1;
    }
    c->step = -1;
    c->kind = NULL;
    return 0;
}

/* ---- top level ----------------------------------------------------------- */

static int parse_vars(struct pctx *c, const cJSON *j, struct run_task *t)
{
    const cJSON *k;
    char field[RUN__MAX_NAME + 16], num[64];
    const char *v;
    size_t n = 0;

    if (!cJSON_IsObject(j))
        return perr(c, "vars", "expected an object of name: value, got %s",
                    run__json_type(j));
    for (k = j->child; k; k = k->next) {
        if (++n > RUN__MAX_VARS)
            return perr(c, "vars", "too many variables (limit %d)",
                        RUN__MAX_VARS);
        if (!run__var_name_ok(k->string))
            return perr(c, "vars", "bad variable name \"%.64s\" (letters, "
                        "digits and _, not starting with a digit, not "
                        "\"env\")", k->string);
        snprintf(field, sizeof field, "vars.%s", k->string);
        if (run_vars_get(&t->vars, k->string))
            return perr(c, field, "duplicate variable");
        if (cJSON_IsString(k)) {
            if (strlen(k->valuestring) > RUN__MAX_STRING)
                return perr(c, field, "string too long (limit %u)",
                            (unsigned)RUN__MAX_STRING);
            v = k->valuestring;
        } else if (cJSON_IsBool(k)) {
            v = cJSON_IsTrue(k) ? "true" : "false";
        } else if (cJSON_IsNumber(k)) {
            double d = k->valuedouble;

            if (d > -1e15 && d < 1e15 && d == (double)(long long)d)
                snprintf(num, sizeof num, "%lld", (long long)d);
            else
                snprintf(num, sizeof num, "%.17g", d);
            v = num;
        } else {
            return perr(c, field, "expected a string, number or boolean, "
                        "got %s", run__json_type(k));
        }
        if (run_vars_set(&t->vars, k->string, v, 0))
            return perr(c, NULL, "out of memory");
    }
    return 0;
}

static int parse_schema(struct pctx *c, const cJSON *root)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(root,
                                                      "schema_version");

    if (!j)
        return perr(c, NULL, "missing \"schema_version\" (add "
                    "\"schema_version\": %d)", RUN_SCHEMA_VERSION);
    if (!cJSON_IsNumber(j))
        return perr(c, "schema_version", "expected the number %d, got %s",
                    RUN_SCHEMA_VERSION, run__json_type(j));
    if (j->valuedouble != (double)RUN_SCHEMA_VERSION)
        return perr(c, "schema_version", "unsupported schema_version %g "
                    "(this cdpilot supports %d)", j->valuedouble,
                    RUN_SCHEMA_VERSION);
    return 0;
}

/* The default task name: the file's base name without ".json". */
static char *default_name(const char *file)
{
    const char *b = strrchr(file, '/');
    size_t n;

    b = b ? b + 1 : file;
    n = strlen(b);
    if (n > 5 && strcmp(b + n - 5, ".json") == 0)
        n -= 5;
    return ut_strndup(b, n);
}

/* "checks": {"no_failed_requests": true, "no_console_errors": true},
 * made after every step. */
static int parse_checks(struct pctx *c, const cJSON *j, struct run_task *t)
{
    static const char *const keys[] = {
        "no_failed_requests", "no_console_errors"
    };
    const cJSON *k;
    char field[48];
    int on = 0;

    if (!cJSON_IsObject(j))
        return perr(c, "checks", "expected an object like "
                    "{\"no_failed_requests\": true}, got %s",
                    run__json_type(j));
    for (k = j->child; k; k = k->next) {
        unsigned bit = strcmp(k->string, keys[0]) == 0 ?
                       RUN_CHECKS_FAILED_REQUESTS :
                       strcmp(k->string, keys[1]) == 0 ?
                       RUN_CHECKS_CONSOLE_ERRORS : 0;

        if (!bit)
            return unknown_key(c, k->string, keys, 2, " in checks");
        if (dup_key(j, k))
            return perr(c, "checks", "duplicate key \"%s\"", k->string);
        snprintf(field, sizeof field, "checks.%s", k->string);
        if (get_bool(c, k, field, &on))
            return -1;
        t->checks = on ? t->checks | bit : t->checks & ~bit;
    }
    return 0;
}

/* "browser": {"version": PIN}: the browsers the task runs on (pin.c). */
static int parse_browser(struct pctx *c, const cJSON *j, struct run_task *t)
{
    static const char *const keys[] = { "version" };
    struct run_pin pin;
    char why[256];
    const cJSON *k;

    if (!cJSON_IsObject(j))
        return perr(c, "browser", "expected an object like "
                    "{\"version\": \">=156\"}, got %s", run__json_type(j));
    for (k = j->child; k; k = k->next) {
        if (strcmp(k->string, "version") != 0)
            return unknown_key(c, k->string, keys, 1, " in browser");
        if (dup_key(j, k))
            return perr(c, "browser", "duplicate key \"%s\"", k->string);
        if (get_str(c, k, "browser.version", 0, "a version pin like "
                    "\">=156\"", &t->browser_version))
            return -1;
        if (run_pin_parse(t->browser_version, &pin, why, sizeof why))
            return perr(c, "browser.version", "%s", why);
    }
    return 0;
}

static int parse_top(struct pctx *c, const cJSON *root, struct run_task *t)
{
    static const char *const keys[] = {
        "schema_version", "name", "profile", "base_url", "vars", "steps",
        "checks", "browser"
    };
    const cJSON *k, *steps = NULL;
    size_t i;

    for (k = root->child; k; k = k->next) {
        for (i = 0; i < 8 && strcmp(k->string, keys[i]); i++)
            ;
        if (i == 8)
            return unknown_key(c, k->string, keys, 8, "");
        if (dup_key(root, k))
            return perr(c, NULL, "duplicate key \"%s\"", k->string);
    }
    if (parse_schema(c, root))
        return -1;
    for (k = root->child; k; k = k->next) {
        const char *key = k->string;

        if (strcmp(key, "name") == 0) {
            if (get_str(c, k, key, 0, "a string", &t->name))
                return -1;
        } else if (strcmp(key, "profile") == 0) {
            if (get_str(c, k, key, 0, "a profile name or file", &t->profile))
                return -1;
        } else if (strcmp(key, "base_url") == 0) {
            static const char *const web[] = {"http", "https", NULL};
            char why[300];

            if (get_str(c, k, key, 0, "an http:// or https:// URL",
                        &t->base_url))
                return -1;
            if (ut_url_check_abs(t->base_url, web, why, sizeof why))
                return perr(c, key, "expected an http:// or https:// URL, "
                            "got %s", why);
        } else if (strcmp(key, "vars") == 0) {
            if (parse_vars(c, k, t))
                return -1;
        } else if (strcmp(key, "checks") == 0) {
            if (parse_checks(c, k, t))
                return -1;
        } else if (strcmp(key, "browser") == 0) {
            if (parse_browser(c, k, t))
                return -1;
        } else if (strcmp(key, "steps") == 0) {
            steps = k;
        }
    }
    if (!steps)
        return perr(c, NULL, "missing \"steps\" (an array of steps)");
    return parse_steps(c, steps, t);
}

int run_task_parse(const char *file, const char *json, size_t len,
                   const struct run_vars *known, struct run_task *out,
                   char *err, size_t errlen)
{
    return run_task_parse_base(file, json, len, known, NULL, out, err,
                               errlen);
}

int run_task_parse_base(const char *file, const char *json, size_t len,
                        const struct run_vars *known, const char *base_url,
                        struct run_task *out, char *err, size_t errlen)
{
    struct pctx c;
    cJSON *root = NULL;
    char prefix[512];

    memset(out, 0, sizeof *out);
    if (!file)
        file = "(task)";
    if (run__json_parse(file, json, len, &root, err, errlen)) {
        run__one_line(errlen ? err : NULL);
        return -1;
    }
    c.file = file;
    c.err = err;
    c.errlen = errlen;
    c.step = -1;
    c.kind = NULL;
    out->file = ut_strdup(file);
    if (!out->file || parse_top(&c, root, out)) {
        if (!out->file)
            ut_err(err, errlen, -1, "%s: out of memory", file);
        goto fail;
    }
    cJSON_Delete(root);
    root = NULL;
    if (!out->name && !(out->name = default_name(file))) {
        ut_err(err, errlen, -1, "%s: out of memory", file);
        goto fail;
    }
    snprintf(prefix, sizeof prefix, "%s: ", file);
    if (run__task_check(out, known, base_url != NULL, prefix, err, errlen))
        goto fail;
    return 0;

fail:
    cJSON_Delete(root);
    run_task_free(out);
    run__one_line(errlen ? err : NULL);
    return -1;
}

void run__one_line(char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7F)
            *s = '?';
}

void run_task_free(struct run_task *t)
{
    size_t i;

    if (!t)
        return;
    for (i = 0; i < t->nsteps; i++) {
        struct run_step *s = &t->steps[i];

        free(s->id);
        free(s->note);
        free(s->target);
        free(s->value);
        free(s->as);
        free(s->attr);
        files_free(s->files);
        free(s->method);
    }
    free(t->steps);
    free(t->file);
    free(t->name);
    free(t->profile);
    free(t->base_url);
    free(t->browser_version);
    run_vars_free(&t->vars);
    memset(t, 0, sizeof *t);
}
