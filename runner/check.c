/* check.c -- the semantic checks of a task model, before any browser
 * starts: targets, URLs, keys, regexes, unique step ids and ${…}
 * references (task vars, known vars, the "as" outputs of earlier steps).
 * Shared by task files (task.c) and inline words (words.c). */
#include "run_int.h"

#include <cJSON.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Names visible to ${…}: task vars, known vars, and "as" outputs with the
 * first step that sets them. Open addressing, sized once. */
struct sym {
    const char *name;      /* borrowed from the task or KNOWN */
    const char *value;     /* static value, NULL when only set by "as" */
    int secret;
    long as_step;          /* first step with "as": NAME, LONG_MAX none */
};

struct scope {
    struct sym *t;
    size_t cap;            /* power of two */
    long cur;              /* the step being checked */
};

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ull & SIZE_MAX;

    while (*s)
        h = (h ^ (unsigned char)*s++) * (size_t)1099511628211ull;
    return h;
}

static struct sym *scope_slot(struct scope *sc, const char *name)
{
    size_t i = hash_str(name) & (sc->cap - 1);

    while (sc->t[i].name && strcmp(sc->t[i].name, name) != 0)
        i = (i + 1) & (sc->cap - 1);
    return &sc->t[i];
}

static int scope_init(struct scope *sc, const struct run_task *t,
                      const struct run_vars *known)
{
    size_t need = t->vars.n + (known ? known->n : 0) + t->nsteps, i;
    struct sym *y;

    sc->cap = 16;
    while (sc->cap < need * 2)
        sc->cap *= 2;
    sc->t = calloc(sc->cap, sizeof *sc->t);
    if (!sc->t)
        return -1;
    sc->cur = 0;
    for (i = 0; i < t->vars.n + (known ? known->n : 0); i++) {
        const struct run_var *v = i < t->vars.n ? &t->vars.v[i] :
                                  &known->v[i - t->vars.n];

        y = scope_slot(sc, v->name);   /* --var overrides the task's */
        y->name = v->name;
        y->value = v->value;
        y->secret = v->secret;
        y->as_step = LONG_MAX;
    }
    for (i = 0; i < t->nsteps; i++) {
        if (!t->steps[i].as)
            continue;
        y = scope_slot(sc, t->steps[i].as);
        if (!y->name) {
            y->name = t->steps[i].as;
            y->as_step = LONG_MAX;
        }
        if (y->as_step == LONG_MAX)
            y->as_step = (long)i;
    }
    return 0;
}

static int scope_lookup(void *ctx, const char *name, const char **value,
                        int *secret, char *hint, size_t hintlen)
{
    struct scope *sc = ctx;
    struct sym *y = scope_slot(sc, name);

    if (!y->name)
        return 0;
    if (y->as_step < sc->cur) {        /* set at run time by then */
        *value = NULL;
        *secret = y->secret;
        return 1;
    }
    if (y->value) {
        *value = y->value;
        *secret = y->secret;
        return 1;
    }
    if (y->as_step == sc->cur)
        snprintf(hint, hintlen, " (this step sets it; it is available "
                 "from the next step on)");
    else
        snprintf(hint, hintlen, " (step %ld sets it, which comes later)",
                 y->as_step + 1);
    return 0;
}

struct vctx {
    const struct run_task *t;
    const char *prefix;
    const struct run_step *s;
    struct scope *sc;
    char *err;
    size_t errlen;
    int has_base;
};

__attribute__((format(printf, 3, 4)))
static int verr(const struct vctx *v, const char *field, const char *fmt,
                ...)
{
    char msg[600];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (field)
        return ut_err(v->err, v->errlen, -1, "%sstep %d (%s): field \"%s\": "
                      "%s", v->prefix, v->s->index + 1,
                      run_kind_name(v->s->kind), field, msg);
    return ut_err(v->err, v->errlen, -1, "%sstep %d (%s): %s", v->prefix,
                  v->s->index + 1, run_kind_name(v->s->kind), msg);
}

/* Checks S's ${…} references; *OUT is its expansion when every reference
 * is known now (the caller frees it), else NULL. */
static int check_refs(struct vctx *v, const char *field, const char *s,
                      char **out)
{
    char msg[400];

    if (run__expand_with(scope_lookup, v->sc, 0, s, out, NULL, NULL, msg,
                         sizeof msg))
        return verr(v, field, "%s", msg);
    return 0;
}

static const char *const strategies[] = {
    "css", "xpath", "text", "role", "label", "placeholder", "testid"
};

/* role=NAME or role=NAME[name="…"] / [name~="…"]. */
static int role_ok(const char *r)
{
    const char *p = r;

    while (*p >= 'a' && *p <= 'z')
        p++;
    if (p == r)
        return 0;
    if (*p == '\0')
        return 1;
    if (strncmp(p, "[name=\"", 7) == 0)
        p += 7;
    else if (strncmp(p, "[name~=\"", 8) == 0)
        p += 8;
    else
        return 0;
    for (; *p && *p != '"'; p++)
        if (*p == '\\' && p[1])
            p++;
    return p[0] == '"' && p[1] == ']' && p[2] == '\0';
}

/* Shallow target check; selectors/ parses it fully at run time. */
static int target_ok(struct vctx *v, const char *field, const char *t)
{
    const char *eq, *p, *s;
    char word[16];
    size_t i, n;

    if (!*t)
        return verr(v, field, "expected a non-empty target");
    for (p = t; *p >= 'a' && *p <= 'z'; p++)
        ;
    eq = *p == '=' ? p : NULL;
    if (!eq)
        return 0;                      /* plain words: an intent */
    n = (size_t)(eq - t);
    for (i = 0; i < 7; i++) {
        if (strlen(strategies[i]) != n || strncmp(t, strategies[i], n))
            continue;
        if (!eq[1])
            return verr(v, field, "empty %s= target", strategies[i]);
        if (i == 3 && !role_ok(eq + 1))
            return verr(v, field, "bad role target \"%.100s\": expected "
                        "role=NAME or role=NAME[name=\"…\"]", t);
        return 0;
    }
    if (n >= 3 && n < sizeof word) {
        memcpy(word, t, n);
        word[n] = '\0';
        s = run__suggest(word, strategies, 7);
        if (s)
            return verr(v, field, "unknown target strategy \"%s=\" (did "
                        "you mean \"%s=\"?)", word, s);
    }
    return 0;                          /* "a=b" words: an intent */
}

/* Checks target string T (raw) of field FIELD. */
static int check_target(struct vctx *v, const char *field, const char *t)
{
    char *x = NULL;
    int rc;

    if (check_refs(v, field, t, &x))
        return -1;
    rc = target_ok(v, field, x ? x : t);
    free(x);
    return rc;
}

static int regex_ok(struct vctx *v, const char *field, const char *re)
{
    pcre2_code *code;
    PCRE2_SIZE off;
    PCRE2_UCHAR msg[256];
    int ec;

    code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
                         &ec, &off, NULL);
    if (code) {
        pcre2_code_free(code);
        return 0;
    }
    if (pcre2_get_error_message(ec, msg, sizeof msg) < 0)
        snprintf((char *)msg, sizeof msg, "error %d", ec);
    return verr(v, field, "bad regex at offset %zu: %s", (size_t)off,
                (const char *)msg);
}

/* Allowed URL schemes; a relative URL needs base_url. */
static int url_ok(struct vctx *v, const char *field, const char *u)
{
    static const char *const schemes[] = {
        "http", "https", "file", "about", "data"
    };
    const char *p = u;
    size_t i, n;

    if (!*u)
        return verr(v, field, "expected a URL, got an empty string");
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
           (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
        p++;
    n = (size_t)(p - u);
    if (*p == ':' && n > 0 && !(p[1] >= '0' && p[1] <= '9')) {
        for (i = 0; i < 5; i++)
            if (strlen(schemes[i]) == n && strncasecmp(u, schemes[i], n) == 0)
                return 0;
        return verr(v, field, "unsupported URL scheme \"%.*s:\" (expected "
                    "http, https, file, about or data)", (int)(n > 32 ? 32 : n),
                    u);
    }
    if (v->has_base)
        return 0;                      /* relative: resolved at run time */
    if (*p == ':' || (n > 0 && strchr(u, '.') && *u != '/'))
        return verr(v, field, "URL \"%.100s\" has no scheme (did you mean "
                    "\"http://%.100s\"?)", u, u);
    return verr(v, field, "relative URL \"%.100s\" needs a top-level "
                "\"base_url\"", u);
}

/* A field whose static expansion is checked by CHECK (may be NULL). */
static int check_field(struct vctx *v, const char *field, const char *s,
                       int (*check)(struct vctx *, const char *,
                                    const char *))
{
    char *x = NULL;
    int rc = 0;

    if (check_refs(v, field, s, &x))
        return -1;
    if (x && check)
        rc = check(v, field, x);
    free(x);
    return rc;
}

static int keys_ok(struct vctx *v, const char *field, const char *k)
{
    char msg[300];

    if (run__keys_check(k, msg, sizeof msg))
        return verr(v, field, "%s", msg);
    return 0;
}

/* JSON field names for the value of a wait_for / assert condition. */
static const char *cond_field(const struct run_step *s, int of_target)
{
    int w = s->kind == RUN_WAIT_FOR;

    if (s->flat && of_target)
        return "assert.target";
    switch (s->cond) {
    case RUN_COND_TARGET: return "wait_for.target";
    case RUN_COND_TEXT:   return w ? "wait_for.text" : "assert.text";
    case RUN_COND_URL:    return w ? "wait_for.url" : "assert.url_matches";
    case RUN_COND_JS:     return w ? "wait_for.js" : "assert.js";
    case RUN_COND_VISIBLE: return "assert.visible";
    case RUN_COND_HIDDEN:  return "assert.hidden";
    case RUN_COND_COUNT:
        if (s->flat)
            return "assert.count";
        return of_target ? "assert.count.target" : "assert.count.equals";
    case RUN_COND_VALUE:
    case RUN_COND_ATTR:
        if (s->flat)
            return s->regex ? "assert.value_matches" : "assert.value";
        return of_target ? "assert.value.target" : "assert.value.equals";
    case RUN_COND_DOWNLOAD: return "assert.download";
    case RUN_COND_TITLE:
        return s->regex ? "assert.title_matches" : "assert.title";
    case RUN_COND_EL_TEXT:
        return s->regex ? "assert.text_matches" : "assert.text";
    case RUN_COND_RESPONSE: return "wait_for.response.url";
    default:              return run_kind_name(s->kind);
    }
}

/* upload's files and download's "to", as their paths are now (one
 * that holds a variable set at run time is checked then). */
static int upload_ok(struct vctx *v, const char *field, const char *path)
{
    char msg[600], abs[4096];

    if (run__upload_path(v->t->file, path, abs, sizeof abs, msg, sizeof msg))
        return verr(v, field, "%s", msg);
    return 0;
}

static int to_ok(struct vctx *v, const char *field, const char *to)
{
    char msg[600];

    if (run__download_to_check(v->t->file, to, msg, sizeof msg))
        return verr(v, field, "%s", msg);
    return 0;
}

static int check_files(struct vctx *v)
{
    const struct run_step *s = v->s;
    const struct run_files *f = s->files;
    size_t i;

    if (!f)
        return 0;
    for (i = 0; i < f->n; i++)
        if (check_field(v, "files", f->paths[i], upload_ok))
            return -1;
    if (f->to && check_field(v, "to", f->to, to_ok))
        return -1;
    if (f->name_re && check_field(v, "assert.download.name", f->name_re,
                                  regex_ok))
        return -1;
    if (f->content_re && check_field(v, "assert.download.content",
                                     f->content_re, regex_ok))
        return -1;
    if (s->cond == RUN_COND_DOWNLOAD) {
        for (i = 0; i < (size_t)s->index; i++)
            if (v->t->steps[i].kind == RUN_DOWNLOAD)
                return 0;
        return verr(v, "assert.download", "no download step before it "
                    "(it checks the last file a download step kept)");
    }
    return 0;
}

/* save_state / load_state: a task file's path stays in the output
 * folder; the file load_state reads is there and is a state file, unless
 * an earlier save_state of the task writes it. */
static int state_path_ok(struct vctx *v, const char *field, const char *p)
{
    const struct run_step *s = v->s;
    char msg[400];
    struct cJSON *st = NULL;
    int i;

    if (strcmp(v->t->file, "(inline)") != 0 && !run__path_inside(p))
        return verr(v, field, "path \"%.100s\" leaves the output folder: a "
                    "task file may only name a relative path without "
                    "\"..\" (give an absolute path on the command line)", p);
    if (s->kind != RUN_LOAD_STATE)
        return 0;
    for (i = 0; i < s->index; i++)
        if (v->t->steps[i].kind == RUN_SAVE_STATE &&
            strcmp(v->t->steps[i].value, s->value) == 0)
            return 0;
    if (run__state_read(p, &st, msg, sizeof msg))
        return verr(v, field, "%s", msg);
    cJSON_Delete(st);
    return 0;
}

/* switch_tab / close_tab: a URL regex compiles. */
static int check_tab(struct vctx *v)
{
    const struct run_step *s = v->s;
    char f[32];

    if (s->tab_by != RUN_TAB_URL && s->tab_by != RUN_TAB_TITLE)
        return 0;
    snprintf(f, sizeof f, "%s.%s", run_kind_name(s->kind),
             s->tab_by == RUN_TAB_URL ? "url" : "title");
    return check_field(v, f, s->value, s->tab_by == RUN_TAB_URL ? regex_ok
                                                                : NULL);
}

static int check_step(struct vctx *v)
{
    const struct run_step *s = v->s;
    const char *kf = run_kind_name(s->kind);
    int cond = s->kind == RUN_WAIT_FOR || s->kind == RUN_ASSERT;

    if ((s->kind == RUN_FILL || s->kind == RUN_SELECT) && !s->value)
        return verr(v, "value", "missing");
    if (cond && s->cond == RUN_COND_NONE)
        return verr(v, kf, "no condition");
    if (s->target && check_target(v, cond ? cond_field(s, 1) : kf,
                                  s->target))
        return -1;
    if (s->nth >= 0 && !s->target)
        return verr(v, "nth", "only applies to a step with a target");
    if (s->kind == RUN_SWITCH_TAB || s->kind == RUN_CLOSE_TAB)
        return check_tab(v);
    if ((s->kind == RUN_SAVE_STATE || s->kind == RUN_LOAD_STATE) &&
        check_field(v, kf, s->value, state_path_ok))
        return -1;
    if (s->value) {
        const char *f = cond ? cond_field(s, 0) :
                        (s->kind == RUN_FILL || s->kind == RUN_SELECT) ?
                        "value" : kf;

        if (s->kind == RUN_GOTO && check_field(v, f, s->value, url_ok))
            return -1;
        if (s->kind == RUN_PRESS && check_field(v, f, s->value, keys_ok))
            return -1;
        if ((s->cond == RUN_COND_URL || s->regex) &&
            check_field(v, f, s->value, regex_ok))
            return -1;
        if (check_field(v, f, s->value, NULL))
            return -1;
    }
    if (s->attr && check_field(v, cond ? "assert.attribute" : "attribute",
                               s->attr, NULL))
        return -1;
    if (s->as && !run__var_name_ok(s->as))
        return verr(v, "as", "bad variable name \"%.64s\" (letters, digits "
                    "and _, not starting with a digit, not \"env\")", s->as);
    if (s->kind == RUN_EXTRACT && !s->as)
        return verr(v, "as", "missing");
    if (s->kind == RUN_UPLOAD && !(s->files && s->files->n))
        return verr(v, "files", "missing");
    return check_files(v);
}

/* Step ids must be unique (reports and --resume name steps by id). */
static int check_ids(const struct run_task *t, const char *prefix,
                     char *err, size_t errlen)
{
    struct scope ids;
    struct sym *y;
    size_t i;

    ids.cap = 16;
    while (ids.cap < t->nsteps * 2)
        ids.cap *= 2;
    ids.t = calloc(ids.cap, sizeof *ids.t);
    if (!ids.t)
        return ut_err(err, errlen, -1, "%sout of memory", prefix);
    for (i = 0; i < t->nsteps; i++) {
        if (!t->steps[i].id)
            continue;
        y = scope_slot(&ids, t->steps[i].id);
        if (y->name) {
            ut_err(err, errlen, -1, "%sstep %zu (%s): field \"id\": "
                   "duplicate id \"%.100s\" (also step %ld)", prefix, i + 1,
                   run_kind_name(t->steps[i].kind), t->steps[i].id,
                   y->as_step + 1);
            free(ids.t);
            return -1;
        }
        y->name = t->steps[i].id;
        y->as_step = (long)i;
    }
    free(ids.t);
    return 0;
}

int run__task_check(const struct run_task *t, const struct run_vars *known,
                    int has_base, const char *prefix, char *err,
                    size_t errlen)
{
    struct scope sc;
    struct vctx v;
    size_t i;
    int rc = 0;

    if (t->nsteps == 0)
        return ut_err(err, errlen, -1, "%sno steps", prefix);
    if (scope_init(&sc, t, known))
        return ut_err(err, errlen, -1, "%sout of memory", prefix);
    v.t = t;
    v.prefix = prefix;
    v.sc = &sc;
    v.err = err;
    v.errlen = errlen;
    v.has_base = has_base || t->base_url != NULL;
    for (i = 0; i < t->nsteps && rc == 0; i++) {
        sc.cur = (long)i;
        v.s = &t->steps[i];
        rc = check_step(&v);
    }
    free(sc.t);
    if (rc == 0)
        rc = check_ids(t, prefix, err, errlen);
    return rc;
}
