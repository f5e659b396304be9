/* profile.c -- profiles: JSON files of browser, timing, resolution, cache
 * and LLM settings (SPEC section 8, docs/PROFILES.md), applied over the
 * built-in defaults. The JSON keys map to struct run_profile through one
 * table; unknown keys and wrong types are errors naming file and field.
 * Ownership: every string and the args array belong to the profile until
 * run_profile_free(); on a load error *out is left empty (freed). */
#include "run_int.h"

#include <cJSON.h>

#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROFILE_MAX_FILE  (1u * 1024 * 1024)
#define PROFILE_MAX_ARGS  256
#define PROFILE_MAX_DEPTH 4     /* "extends" chain */
#ifdef CDPILOT_PROFILES_DIR    /* the Makefile's $(PREFIX)/share/cdpilot/profiles */
#define PROFILE_SYSTEM_DIR CDPILOT_PROFILES_DIR
#else
#define PROFILE_SYSTEM_DIR "/usr/local/share/cdpilot/profiles"
#endif

enum ftype {
    F_STR,       /* char *, null allowed (NULL) */
    F_BOOL,      /* int */
    F_INT,       /* int in [lo, hi] */
    F_INTN,      /* int in [lo, hi], or null: 0 (not set) */
    F_LONG,      /* long in [lo, hi] */
    F_DBL,       /* double in [lo, hi] */
    F_ARGS,      /* args / nargs */
    F_BLOCK,     /* block / nblock: URL patterns */
    F_DIALOG,    /* "accept" | "dismiss" */
    F_ENABLED,   /* cache.enabled: sets no_cache to its negation */
    F_URL,       /* http(s) URL or null */
    F_ENVNAME,   /* environment variable name */
    F_PIN        /* browser version pin (pin.c) */
};

struct field {
    const char *path;     /* "viewport.width" */
    enum ftype type;
    size_t off;
    double lo, hi;
};

#define O(m) offsetof(struct run_profile, m)
static const struct field fields[] = {
    { "chrome",                     F_STR,     O(chrome), 0, 0 },
    { "args",                       F_ARGS,    O(args), 0, 0 },
    { "headless",                   F_BOOL,    O(headless), 0, 0 },
    { "viewport.width",             F_INT,     O(width), 1, 16384 },
    { "viewport.height",            F_INT,     O(height), 1, 16384 },
    { "device_scale_factor",        F_DBL,     O(scale), 0.1, 10 },
    { "mobile",                     F_BOOL,    O(mobile), 0, 0 },
    { "touch",                      F_BOOL,    O(touch), 0, 0 },
    { "user_agent",                 F_STR,     O(user_agent), 0, 0 },
    { "user_data_dir",              F_STR,     O(user_data_dir), 0, 0 },
    { "timeouts.step_ms",           F_INT,     O(timeout_ms), 0, 600000 },
    { "timeouts.navigation_ms",     F_INTN,    O(nav_timeout_ms), 1,
      600000 },
    { "timeouts.launch_ms",         F_INT,     O(launch_timeout_ms), 1,
      600000 },
    { "grid.timeout_ms",            F_INT,     O(grid_timeout_ms), 1,
      3600000 },
    { "retries.count",              F_INT,     O(retries), 0, 10 },
    { "retries.backoff_ms",         F_INT,     O(backoff_ms), 0, 60000 },
    { "slow_mo_ms",                 F_INT,     O(slow_mo_ms), 0, 60000 },
    { "resolution.min_confidence",  F_DBL,     O(min_confidence), 0, 1 },
    { "resolution.min_margin",      F_DBL,     O(min_margin), 0, 1 },
    { "cache.path",                 F_STR,     O(cache_path), 0, 0 },
    { "cache.enabled",              F_ENABLED, O(no_cache), 0, 0 },
    { "dialogs",                    F_DIALOG,  O(dialog), 0, 0 },
    { "block",                      F_BLOCK,   O(block), 0, 0 },
    { "checks.no_failed_requests",  F_BOOL,    O(check_requests), 0, 0 },
    { "checks.no_console_errors",   F_BOOL,    O(check_console), 0, 0 },
    { "restart_browser",            F_BOOL,    O(restart_browser), 0, 0 },
    { "browser.version",            F_PIN,     O(browser_version), 0, 0 },
    { "notify.on_failure",          F_STR,     O(notify_cmd), 0, 0 },
    { "notify.url",                 F_URL,     O(notify_url), 0, 0 },
    { "llm.url",                    F_URL,     O(llm_url), 0, 0 },
    { "llm.model",                  F_STR,     O(llm_model), 0, 0 },
    { "llm.api_key_env",            F_ENVNAME, O(llm_key_env), 0, 0 },
    { "llm.timeout_ms",             F_INT,     O(llm_timeout_ms), 1,
      600000 },
    { "llm.max_calls",              F_INT,     O(llm_max_calls), 0,
      1000000 },
    { "llm.max_tokens",             F_LONG,    O(llm_max_tokens), 0,
      1e12 },
    { "llm.retries",                F_INT,     O(llm_retries), 0, 10 },
    { "llm.breaker_after",          F_INT,     O(llm_breaker_after), 1,
      1000 },
    { "llm.min_confidence",         F_DBL,     O(llm_min_confidence), 0, 1 },
    { "llm.price_prompt_per_1k",    F_DBL,     O(llm_price_prompt), 0,
      1e6 },
    { "llm.price_completion_per_1k", F_DBL,    O(llm_price_completion), 0,
      1e6 },
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* Objects that group fields, and keys with no field of their own. */
static const char *const groups[] = {
    "viewport", "timeouts", "retries", "resolution", "cache", "llm",
    "checks", "browser", "notify", "grid"
};
#define NGROUPS (sizeof groups / sizeof groups[0])

static int is_group(const char *path)
{
    size_t i;

    for (i = 0; i < NGROUPS; i++)
        if (strcmp(path, groups[i]) == 0)
            return 1;
    return 0;
}

struct lctx {
    const char *file;
    char *err;
    size_t errlen;
};

__attribute__((format(printf, 3, 4)))
static int ferr(const struct lctx *c, const char *field, const char *fmt,
                ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (field)
        return ut_err(c->err, c->errlen, -1, "%s: field \"%s\": %s",
                      c->file, field, msg);
    return ut_err(c->err, c->errlen, -1, "%s: %s", c->file, msg);
}

static const char *jtype(const cJSON *j)
{
    if (cJSON_IsString(j)) return "a string";
    if (cJSON_IsNumber(j)) return "a number";
    if (cJSON_IsBool(j)) return "a boolean";
    if (cJSON_IsNull(j)) return "null";
    if (cJSON_IsArray(j)) return "an array";
    return "an object";
}

void run_profile_defaults(struct run_profile *p)
{
    memset(p, 0, sizeof *p);
    p->name = ut_strdup("built-in");
    p->headless = 1;
    p->width = 1280;
    p->height = 720;
    p->scale = 1.0;
    p->timeout_ms = 5000;
    p->nav_timeout_ms = 0;      /* --timeout, else RUN_NAV_TIMEOUT_MS */
    p->launch_timeout_ms = 20000;
    p->retries = 0;
    p->backoff_ms = 200;
    p->min_confidence = 0.6;
    p->min_margin = 0.15;
    p->dialog = ut_strdup("dismiss");   /* NULL only when out of memory */
    p->llm_key_env = ut_strdup("CDPILOT_LLM_API_KEY");
    p->llm_timeout_ms = 30000;
    p->llm_max_calls = 20;
    p->llm_max_tokens = 50000;
    p->llm_retries = 2;
    p->llm_breaker_after = 3;
    p->llm_min_confidence = 0.5;
}

static void free_list(char ***v, size_t *n)
{
    size_t i;

    for (i = 0; i < *n; i++)
        free((*v)[i]);
    free(*v);
    *v = NULL;
    *n = 0;
}

static void free_args(struct run_profile *p)
{
    free_list(&p->args, &p->nargs);
}

void run_profile_free(struct run_profile *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->chrome);
    free_args(p);
    free_list(&p->block, &p->nblock);
    free(p->user_agent);
    free(p->user_data_dir);
    free(p->cache_path);
    free(p->dialog);
    free(p->llm_url);
    free(p->llm_model);
    free(p->llm_key_env);
    free(p->browser_version);
    free(p->notify_cmd);
    free(p->notify_url);
    memset(p, 0, sizeof *p);
}

/* Replaces the string at *DST with J's string (or NULL for null). */
static int set_str(const struct lctx *c, const char *path, const cJSON *j,
                   int nullable, char **dst)
{
    char *s = NULL;

    if (cJSON_IsNull(j) && nullable) {
        free(*dst);
        *dst = NULL;
        return 0;
    }
    if (!cJSON_IsString(j))
        return ferr(c, path, "expected a string%s, got %s",
                    nullable ? " or null" : "", jtype(j));
    if (strlen(j->valuestring) > RUN__MAX_STRING)
        return ferr(c, path, "string too long");
    s = ut_strdup(j->valuestring);
    if (!s)
        return ferr(c, path, "out of memory");
    free(*dst);
    *dst = s;
    return 0;
}

/* A list of non-empty strings (args, block) into *DST, *NDST. */
static int set_args(const struct lctx *c, const char *path, const cJSON *j,
                    char ***dst, size_t *ndst)
{
    const cJSON *e;
    char **a;
    size_t n = 0;

    if (!cJSON_IsArray(j))
        return ferr(c, path, "expected an array of strings, got %s",
                    jtype(j));
    if (cJSON_GetArraySize(j) > PROFILE_MAX_ARGS)
        return ferr(c, path, "too many arguments (limit %d)",
                    PROFILE_MAX_ARGS);
    a = calloc((size_t)cJSON_GetArraySize(j) + 1, sizeof *a);
    if (!a)
        return ferr(c, path, "out of memory");
    for (e = j->child; e; e = e->next) {
        if (!cJSON_IsString(e) || !*e->valuestring) {
            while (n)
                free(a[--n]);
            free(a);
            return ferr(c, path, "expected non-empty strings, got %s",
                        cJSON_IsString(e) ? "an empty string" : jtype(e));
        }
        a[n] = ut_strdup(e->valuestring);
        if (!a[n]) {
            while (n)
                free(a[--n]);
            free(a);
            return ferr(c, path, "out of memory");
        }
        n++;
    }
    free_list(dst, ndst);
    *dst = a;
    *ndst = n;
    return 0;
}

static int get_num(const struct lctx *c, const struct field *f,
                   const cJSON *j, int integer, double *out)
{
    const char *orn = f->type == F_INTN ? " or null" : "";
    double d;

    if (!cJSON_IsNumber(j))
        return ferr(c, f->path, "expected %s %g..%g%s, got %s",
                    integer ? "an integer" : "a number", f->lo, f->hi, orn,
                    jtype(j));
    d = j->valuedouble;
    if (d < f->lo || d > f->hi || (integer && d != (double)(long long)d))
        return ferr(c, f->path, "expected %s %g..%g%s, got %.15g",
                    integer ? "an integer" : "a number", f->lo, f->hi, orn,
                    d);
    *out = d;
    return 0;
}

static int set_field(const struct lctx *c, const struct field *f,
                     const cJSON *j, struct run_profile *p)
{
    char *base = (char *)p + f->off;
    double d = 0;

    switch (f->type) {
    case F_STR:
        return set_str(c, f->path, j, 1, (char **)(void *)base);
    case F_ARGS:
        return set_args(c, f->path, j, &p->args, &p->nargs);
    case F_BLOCK:
        return set_args(c, f->path, j, &p->block, &p->nblock);
    case F_BOOL:
    case F_ENABLED:
        if (!cJSON_IsBool(j))
            return ferr(c, f->path, "expected true or false, got %s",
                        jtype(j));
        *(int *)(void *)base = f->type == F_BOOL ? cJSON_IsTrue(j)
                                                 : !cJSON_IsTrue(j);
        return 0;
    case F_INTN:
        if (cJSON_IsNull(j)) {
            *(int *)(void *)base = 0;
            return 0;
        }
        /* fall through */
    case F_INT:
    case F_LONG:
    case F_DBL:
        if (get_num(c, f, j, f->type != F_DBL, &d))
            return -1;
        if (f->type == F_INT || f->type == F_INTN)
            *(int *)(void *)base = (int)d;
        else if (f->type == F_LONG)
            *(long *)(void *)base = (long)d;
        else
            *(double *)(void *)base = d;
        return 0;
    case F_DIALOG:
        if (!cJSON_IsString(j) || (strcmp(j->valuestring, "accept") &&
                                   strcmp(j->valuestring, "dismiss")))
            return ferr(c, f->path, "expected \"accept\" or \"dismiss\"");
        return set_str(c, f->path, j, 0, (char **)(void *)base);
    case F_URL: {
        static const char *const web[] = {"http", "https", NULL};
        char why[300];

        if (cJSON_IsString(j) &&
            ut_url_check_abs(j->valuestring, web, why, sizeof why))
            return ferr(c, f->path, "expected an http:// or https:// URL "
                        "or null, got %s", why);
        return set_str(c, f->path, j, 1, (char **)(void *)base);
    }
    case F_PIN: {
        struct run_pin pin;
        char why[256];

        if (cJSON_IsString(j) &&
            run_pin_parse(j->valuestring, &pin, why, sizeof why))
            return ferr(c, f->path, "%s", why);
        return set_str(c, f->path, j, 1, (char **)(void *)base);
    }
    default:   /* F_ENVNAME */
        if (cJSON_IsString(j) && !run__var_name_ok(j->valuestring))
            return ferr(c, f->path, "expected an environment variable "
                        "name (letters, digits and _)");
        return set_str(c, f->path, j, 0, (char **)(void *)base);
    }
}

static const struct field *field_of(const char *path)
{
    size_t i;

    for (i = 0; i < NFIELDS; i++)
        if (strcmp(fields[i].path, path) == 0)
            return &fields[i];
    return NULL;
}

static int unknown(const struct lctx *c, const char *path)
{
    const char *cands[NFIELDS + NGROUPS + 2];
    const char *s;
    size_t i, n = 0;

    if (strcmp(path, "llm.api_key") == 0)
        return ferr(c, path, "keys do not belong in profiles: put the key "
                    "in an environment variable and name it in "
                    "\"llm.api_key_env\"");
    for (i = 0; i < NFIELDS; i++)
        cands[n++] = fields[i].path;
    for (i = 0; i < NGROUPS; i++)
        cands[n++] = groups[i];
    cands[n++] = "extends";
    cands[n++] = "description";
    s = run__suggest(path, cands, n);
    if (s)
        return ferr(c, NULL, "unknown key \"%s\" (did you mean \"%s\"?)",
                    path, s);
    return ferr(c, NULL, "unknown key \"%s\" (see docs/PROFILES.md)", path);
}

/* Applies the keys of object J (at PREFIX, "" or "llm") to P. */
static int apply(const struct lctx *c, const cJSON *j, const char *prefix,
                 struct run_profile *p)
{
    const cJSON *k, *q;
    const struct field *f;
    char path[128];

    for (k = j->child; k; k = k->next) {
        for (q = j->child; q != k; q = q->next)
            if (strcmp(q->string, k->string) == 0)
                return ferr(c, NULL, "duplicate key \"%s%s%s\"", prefix,
                            *prefix ? "." : "", k->string);
        snprintf(path, sizeof path, "%s%s%.64s", prefix, *prefix ? "." : "",
                 k->string);
        if (!*prefix && (strcmp(path, "extends") == 0 ||
                         strcmp(path, "description") == 0)) {
            if (!cJSON_IsString(k))
                return ferr(c, path, "expected a string, got %s", jtype(k));
            continue;
        }
        if (!*prefix && is_group(path)) {
            if (!cJSON_IsObject(k))
                return ferr(c, path, "expected an object, got %s",
                            jtype(k));
            if (apply(c, k, path, p))
                return -1;
            continue;
        }
        f = field_of(path);
        if (!f)
            return unknown(c, path);
        if (set_field(c, f, k, p))
            return -1;
    }
    return 0;
}

const char *run_profiles_dir(char *buf, size_t n)
{
    /* installed (PREFIX/bin/../share/...; also under a DESTDIR), then
     * the source tree (build/cdpilot, build-asan/tests/...) */
    static const char *const rel[] = { "/../share/cdpilot/profiles",
                                       "/../profiles", "/../../profiles" };
    const char *env = getenv("CDPILOT_PROFILES");
    char exe[PATH_MAX], cand[PATH_MAX + 32], *slash;
    ssize_t len;
    size_t i;

    if (env && *env) {
        ut_strlcpy(buf, env, n);
        return buf;
    }
    len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        for (i = 0; i < sizeof rel / sizeof *rel; i++) {
            snprintf(cand, sizeof cand, "%s%s", exe, rel[i]);
            if (ut_is_dir(cand)) {
                if (!realpath(cand, exe))
                    ut_strlcpy(exe, cand, sizeof exe);
                ut_strlcpy(buf, exe, n);
                return buf;
            }
        }
    }
    ut_strlcpy(buf, PROFILE_SYSTEM_DIR, n);
    return buf;
}

/* "a, b, c": the *.json names in DIR, for "not found" messages. */
static void list_profiles(const char *dir, char *out, size_t n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t o = 0, len;

    out[0] = '\0';
    if (!d)
        return;
    while ((e = readdir(d)) != NULL && o + 1 < n) {
        len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        o += (size_t)snprintf(out + o, n - o, "%s%.*s", o ? ", " : "",
                              (int)(len - 5), e->d_name);
    }
    closedir(d);
}

static int is_path(const char *s)
{
    return strchr(s, '/') || ut_ends_with(s, ".json");
}

static int name_ok(const char *s)
{
    const char *p;

    if (!*s || strlen(s) > 64)
        return 0;
    for (p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return 0;
    return 1;
}

/* NAME's file path into PATH; 0, or -1 with the error; 1 (with the
 * error too) when NAME is a name with no file in the profiles dir. */
static int resolve(const char *name, char *path, size_t n, char *err,
                   size_t errlen)
{
    char dir[PATH_MAX], avail[512];

    if (is_path(name)) {
        if (ut_strlcpy(path, name, n) >= n)
            return ut_err(err, errlen, -1, "profile path too long");
        return 0;
    }
    if (!name_ok(name))
        return ut_err(err, errlen, -1, "bad profile name \"%.64s\" "
                      "(letters, digits, _ and -; or a path to a .json "
                      "file)", name);
    run_profiles_dir(dir, sizeof dir);
    snprintf(path, n, "%s/%s.json", dir, name);
    if (access(path, F_OK) == 0)
        return 0;
    list_profiles(dir, avail, sizeof avail);
    return ut_err(err, errlen, 1, "profile \"%s\" not found in %s%s%s%s",
                  name, dir, *avail ? " (available: " : "", avail,
                  *avail ? ")" : "; set CDPILOT_PROFILES");
}

static char *profile_name(const char *name_or_file)
{
    const char *b = strrchr(name_or_file, '/');
    size_t n;

    b = b ? b + 1 : name_or_file;
    n = strlen(b);
    if (n > 5 && strcmp(b + n - 5, ".json") == 0)
        n -= 5;
    return ut_strndup(b, n);
}

static int set_name(struct run_profile *p, const char *name_or_file,
                    char *err, size_t errlen)
{
    char *nm = profile_name(name_or_file);

    if (!nm)
        return ut_err(err, errlen, -1, "out of memory");
    free(p->name);
    p->name = nm;
    return 0;
}

static int load_into(const char *name_or_file, struct run_profile *p,
                     int depth, char *err, size_t errlen)
{
    char path[PATH_MAX + 80];
    struct lctx c;
    const cJSON *ext;
    cJSON *root = NULL;
    char *buf;
    size_t len;
    int rc;

    rc = resolve(name_or_file, path, sizeof path, err, errlen);
    if (rc == 1 && strcmp(name_or_file, "default") == 0)   /* none shipped: */
        return set_name(p, name_or_file, err, errlen);     /* built-ins */
    if (rc != 0)
        return -1;
    buf = ut_read_file(path, PROFILE_MAX_FILE, &len, err, errlen);
    if (!buf)
        return -1;
    rc = run__json_parse(path, buf, len, &root, err, errlen);
    free(buf);
    if (rc)
        return -1;
    c.file = path;
    c.err = err;
    c.errlen = errlen;
    ext = cJSON_GetObjectItemCaseSensitive(root, "extends");
    if (ext && cJSON_IsString(ext)) {
        if (depth >= PROFILE_MAX_DEPTH)
            rc = ferr(&c, "extends", "chain deeper than %d profiles (a "
                      "loop?)", PROFILE_MAX_DEPTH);
        else if (is_path(ext->valuestring))
            rc = ferr(&c, "extends", "expected a profile name, not a path");
        else
            rc = load_into(ext->valuestring, p, depth + 1, err, errlen);
    }
    if (rc == 0)
        rc = apply(&c, root, "", p);
    cJSON_Delete(root);
    if (rc)
        return -1;
    return set_name(p, name_or_file, err, errlen);
}

int run_profile_load(const char *name_or_file, struct run_profile *out,
                     char *err, size_t errlen)
{
    run_profile_defaults(out);
    if (!out->name || !out->dialog || !out->llm_key_env) {
        run_profile_free(out);
        return ut_err(err, errlen, -1, "out of memory");
    }
    if (!name_or_file || !*name_or_file)
        name_or_file = "default";
    if (load_into(name_or_file, out, 0, err, errlen)) {
        run_profile_free(out);
        run__one_line(errlen ? err : NULL);
        return -1;
    }
    return 0;
}
