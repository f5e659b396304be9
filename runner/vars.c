/* vars.c -- run_vars (a small name -> value list; tasks have few
 * variables, so lookups are linear) and ${…} expansion.
 * Syntax: ${name} (a task var, --var or an extracted value), ${env.NAME}
 * (the environment, always secret), and "$${" for a literal "${".
 * A "${" that does not form one of those is an error, never left as is. */
#include "run_int.h"

#include <stdlib.h>
#include <string.h>

/* An expansion may hold page text pulled in by extract; cap it anyway. */
#define RUN__MAX_EXPANSION RUN__MAX_TASK_FILE

static int is_name_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(int c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

/* 1 when S[0..N) is [A-Za-z_][A-Za-z0-9_]*. */
static int ident_ok(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || n > RUN__MAX_NAME || !is_name_start((unsigned char)s[0]))
        return 0;
    for (i = 1; i < n; i++)
        if (!is_name_char((unsigned char)s[i]))
            return 0;
    return 1;
}

int run__var_name_ok(const char *s)
{
    return s && ident_ok(s, strlen(s)) && strcmp(s, "env") != 0;
}

int run_vars_set(struct run_vars *vs, const char *name, const char *value,
                 int secret)
{
    struct run_var *v;
    char *nv;
    size_t i;

    nv = ut_strdup(value ? value : "");
    if (!nv)
        return -1;
    for (i = 0; i < vs->n; i++) {
        if (strcmp(vs->v[i].name, name) == 0) {
            free(vs->v[i].value);
            vs->v[i].value = nv;
            vs->v[i].secret = secret != 0;
            return 0;
        }
    }
    if (vs->n == vs->cap) {
        size_t cap = vs->cap ? vs->cap * 2 : 8;

        v = realloc(vs->v, cap * sizeof *v);
        if (!v) {
            free(nv);
            return -1;
        }
        vs->v = v;
        vs->cap = cap;
    }
    v = &vs->v[vs->n];
    v->name = ut_strdup(name);
    if (!v->name) {
        free(nv);
        return -1;
    }
    v->value = nv;
    v->secret = secret != 0;
    vs->n++;
    return 0;
}

const struct run_var *run_vars_get(const struct run_vars *vs,
                                   const char *name)
{
    size_t i;

    if (!vs)
        return NULL;
    for (i = 0; i < vs->n; i++)
        if (strcmp(vs->v[i].name, name) == 0)
            return &vs->v[i];
    return NULL;
}

void run_vars_free(struct run_vars *vs)
{
    size_t i;

    if (!vs)
        return;
    for (i = 0; i < vs->n; i++) {
        free(vs->v[i].name);
        free(vs->v[i].value);
    }
    free(vs->v);
    vs->v = NULL;
    vs->n = vs->cap = 0;
}

/* Appends VALUE to B. A secret is registered for redaction first, and
 * one that cannot be (the list is full) is not expanded at all. */
static int add_value(ut_buf *b, const char *value, int secret, char *err,
                     size_t errlen)
{
    if (secret && run_secret_add(value))
        return ut_err(err, errlen, -1, "too many secret values to keep out "
                      "of the output (limit %d)", RUN__MAX_SECRETS);
    return ut_buf_adds(b, value) ? ut_err(err, errlen, -1,
                                          "expansion too large") : 0;
}

/* Expands one ${…} whose inside is REF[0..N). Appends to B unless the
 * value is dynamic. Returns 0 or -1 (message in ERR). */
static int expand_ref(run__lookup_fn lookup, void *ctx, int env_now,
                      const char *ref, size_t n, ut_buf *b, int *secret,
                      int *dynamic, char *err, size_t errlen)
{
    char name[RUN__MAX_NAME + 1], hint[256];
    const char *value = NULL;
    int sec = 0;

    if (n >= 4 && memcmp(ref, "env.", 4) == 0) {
        if (!ident_ok(ref + 4, n - 4))
            return ut_err(err, errlen, -1,
                          "bad environment variable reference ${%.*s} "
                          "(expected ${env.NAME}, NAME of letters, digits "
                          "and _)", (int)(n > 64 ? 64 : n), ref);
        *secret = 1;
        if (!env_now) {
            *dynamic = 1;
            return 0;
        }
        memcpy(name, ref + 4, n - 4);
        name[n - 4] = '\0';
        value = getenv(name);
        if (!value)
            return ut_err(err, errlen, -1,
                          "environment variable %s is not set", name);
        return add_value(b, value, 1, err, errlen);
    }
    if (!ident_ok(ref, n) || (n == 3 && memcmp(ref, "env", 3) == 0))
        return ut_err(err, errlen, -1,
                      "bad variable reference ${%.*s} (names are letters, "
                      "digits and _; write $${ for a literal ${, e.g. in "
                      "a JS template literal)", (int)(n > 64 ? 64 : n), ref);
    memcpy(name, ref, n);
    name[n] = '\0';
    hint[0] = '\0';
    if (!lookup(ctx, name, &value, &sec, hint, sizeof hint))
        return ut_err(err, errlen, -1, "unknown variable ${%s}%s", name,
                      hint);
    if (sec)
        *secret = 1;
    if (!value) {
        *dynamic = 1;
        return 0;
    }
    return add_value(b, value, sec, err, errlen);
}

int run__expand_with(run__lookup_fn lookup, void *ctx, int env_now,
                     const char *in, char **out, int *secret, int *dynamic,
                     char *err, size_t errlen)
{
    ut_buf b;
    const char *p = in, *close;
    int sec = 0, dyn = 0;

    if (out)
        *out = NULL;
    ut_buf_init(&b, RUN__MAX_EXPANSION);
    while (*p) {
        if (p[0] == '$' && p[1] == '$' && p[2] == '{') {
            if (ut_buf_add(&b, "${", 2))
                goto toobig;
            p += 3;
            continue;
        }
        if (p[0] == '$' && p[1] == '{') {
            close = strchr(p + 2, '}');
            if (!close) {
                ut_buf_free(&b);
                return ut_err(err, errlen, -1,
                              "unterminated ${ (write $${ for a literal "
                              "${)");
            }
            if (expand_ref(lookup, ctx, env_now, p + 2,
                           (size_t)(close - p - 2), &b, &sec, &dyn,
                           err, errlen)) {
                ut_buf_free(&b);
                return -1;
            }
            p = close + 1;
            continue;
        }
        if (ut_buf_addc(&b, *p))
            goto toobig;
        p++;
    }
    if (secret)
        *secret = sec;
    if (dynamic)
        *dynamic = dyn;
    if (dyn || !out) {
        ut_buf_free(&b);
        return 0;
    }
    *out = ut_buf_take(&b);
    return 0;

toobig:
    ut_buf_free(&b);
    return ut_err(err, errlen, -1, "expansion too large (limit %u bytes)",
                  (unsigned)RUN__MAX_EXPANSION);
}

/* run_expand's lookup: the variables list itself. */
static int vars_lookup(void *ctx, const char *name, const char **value,
                       int *secret, char *hint, size_t hintlen)
{
    const struct run_var *v = run_vars_get(ctx, name);

    (void)hint;
    (void)hintlen;
    if (!v)
        return 0;
    *value = v->value;
    *secret = v->secret;
    return 1;
}

int run_expand(const struct run_vars *vs, const char *in, char **out,
               int *secret, char *err, size_t errlen)
{
    int dyn = 0;

    if (run__expand_with(vars_lookup, (void *)vs, 1, in, out, secret, &dyn,
                         err, errlen))
        return -1;
    if (!*out)   /* cannot happen with env_now and a plain list */
        return ut_err(err, errlen, -1, "out of memory");
    return 0;
}
