/* secret.c -- the values that must never be written: every ${env.…}
 * value a task can expand, secret variables and "secret": true fill
 * values. One list for the whole process, because every output of it
 * (stderr, --json, traces, saved HTML, screenshot names, the cache) must
 * show "***" in their place, whichever task registered them.
 *
 * A secret is also looked for in the forms a page or the protocol shows
 * it in: percent-encoded in a URL (upper-case hex, %20 or +), escaped in
 * JSON (cdp.log), escaped in HTML (saved pages). Values shorter than
 * RUN__SECRET_MIN bytes are not registered: "***" in place of every "ab"
 * would make every report unreadable, and say what the secret is. */
#include "run_int.h"

#include <cjson/cJSON.h>

#include <stdlib.h>
#include <string.h>

#define MAX_FORMS   (RUN__MAX_SECRETS * 9)

static char  *forms[MAX_FORMS];      /* longest first */
static size_t forms_len[MAX_FORMS];
static size_t nforms, nsecrets;

static int add_form(char *f)
{
    size_t i, n;

    if (!f)
        return -1;
    n = strlen(f);
    for (i = 0; i < nforms; i++)
        if (forms_len[i] == n && memcmp(forms[i], f, n) == 0) {
            free(f);
            return 0;
        }
    if (nforms == MAX_FORMS) {
        free(f);
        return -1;
    }
    /* keep longest first: a longer form that holds a shorter one wins */
    for (i = nforms; i > 0 && forms_len[i - 1] < n; i--) {
        forms[i] = forms[i - 1];
        forms_len[i] = forms_len[i - 1];
    }
    forms[i] = f;
    forms_len[i] = n;
    nforms++;
    return 0;
}

/* How a secret may be written elsewhere: percent-encoded in a URL (as
 * encodeURIComponent() writes it, the same with "+" for a space, or
 * only what a browser's URL parser must encode in a query), escaped in
 * JSON, or escaped in HTML text or attribute values. */
enum form {
    F_URL_ALL, F_URL_PLUS, F_URL_MIN, F_JSON, F_HTML_TEXT, F_HTML_ATTR,
    F_HTML_ATTR_LT, F_COUNT
};

static int url_keeps(enum form f, unsigned char c)
{
    if (c < 0x21 || c > 0x7e)
        return 0;
    if (f == F_URL_MIN)
        return !strchr("\"#<>'`{}", c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || strchr("-_.!~*'()", c);
}

/* One byte C in form F into B; 0, or -1 when B is full. */
static int put_form(ut_buf *b, enum form f, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *r = NULL;

    switch (f) {
    case F_URL_ALL: case F_URL_PLUS: case F_URL_MIN: {
        char e[3] = { '%', hex[c >> 4], hex[c & 15] };
        if (url_keeps(f, c))
            return ut_buf_addc(b, (char)c);
        if (c == ' ' && f == F_URL_PLUS)
            return ut_buf_addc(b, '+');
        return ut_buf_add(b, e, 3);
    }
    case F_JSON:
        if (c == '"' || c == '\\') {
            char e[2] = { '\\', (char)c };
            return ut_buf_add(b, e, 2);
        }
        if (c < 0x20)
            return ut_buf_addf(b, "\\u%04x", c);
        break;
    case F_HTML_TEXT: case F_HTML_ATTR: case F_HTML_ATTR_LT:
        r = c == '&' ? "&amp;" : c == '"' && f != F_HTML_TEXT ? "&quot;" :
            c == '<' && f != F_HTML_ATTR ? "&lt;" :
            c == '>' && f != F_HTML_ATTR ? "&gt;" : NULL;
        break;
    default:
        break;
    }
    return r ? ut_buf_adds(b, r) : ut_buf_addc(b, (char)c);
}

/* S written in form F into *OUT, NULL when that is S itself; 0, or -1
 * when memory ran out (a form that cannot be kept is a secret that could
 * be written out: the caller must know). */
static int form_of(const char *s, enum form f, char **out)
{
    ut_buf b;
    const unsigned char *p;

    *out = NULL;
    ut_buf_init(&b, UT_MAX_LINE);
    for (p = (const unsigned char *)s; *p; p++)
        if (put_form(&b, f, *p)) {
            ut_buf_free(&b);
            return -1;
        }
    if (b.len == strlen(s) && memcmp(b.p, s, b.len) == 0) {
        ut_buf_free(&b);
        return 0;
    }
    *out = ut_buf_take(&b);
    return 0;
}

int run_secret_add(const char *s)
{
    char *f, *f2;
    size_t i;
    int k, rc = 0;

    if (!s || strlen(s) < RUN__SECRET_MIN)
        return 0;
    for (i = 0; i < nforms; i++)
        if (strcmp(forms[i], s) == 0)
            return 0;                   /* known, with its forms */
    if (nsecrets == RUN__MAX_SECRETS)
        return -1;
    f = ut_strdup(s);
    if (!f || add_form(f))
        return -1;
    nsecrets++;
    for (k = 0; k < F_COUNT; k++) {
        rc |= form_of(s, (enum form)k, &f);
        if (!f)
            continue;
        /* JSON text inside a JSON string: a page-script call's arguments
         * in cdp.log */
        if (k == F_JSON) {
            rc |= form_of(f, F_JSON, &f2);
            if (f2)
                rc |= add_form(f2);
        }
        rc |= add_form(f);
    }
    return rc;
}

int run_secret_any(void)
{
    return nforms > 0;
}

int run_secret_in(const char *s, size_t len)
{
    size_t i, j;

    for (i = 0; s && i < len; i++)
        for (j = 0; j < nforms; j++)
            if (forms_len[j] <= len - i &&
                memcmp(s + i, forms[j], forms_len[j]) == 0)
                return 1;
    return 0;
}

char *run_redact_n(const char *s, size_t len)
{
    ut_buf b;
    size_t i, j;

    if (!s)
        return NULL;
    ut_buf_init(&b, len + 1024);
    for (i = 0; i < len;) {
        for (j = 0; j < nforms; j++)
            if (forms_len[j] <= len - i &&
                memcmp(s + i, forms[j], forms_len[j]) == 0)
                break;
        if (j < nforms) {
            if (ut_buf_adds(&b, "***"))
                break;
            i += forms_len[j];
        } else if (ut_buf_addc(&b, s[i++])) {
            break;
        }
    }
    if (i < len) {              /* out of memory: nothing rather than a leak */
        ut_buf_free(&b);
        return NULL;
    }
    return ut_buf_take(&b);
}

char *run_redact(const char *s)
{
    return s ? run_redact_n(s, strlen(s)) : NULL;
}

void run_redact_in_place(char **s)
{
    char *r;

    if (!*s || !nforms || !run_secret_in(*s, strlen(*s)))
        return;
    r = run_redact(*s);
    free(*s);
    *s = r ? r : ut_strdup("***");
}

void run_redact_json(cJSON *j)
{
    cJSON *it;

    if (!j || !nforms)
        return;
    if (cJSON_IsString(j) && j->valuestring) {
        char *r;
        if (!run_secret_in(j->valuestring, strlen(j->valuestring)))
            return;
        r = run_redact(j->valuestring);
        if (r) {
            cJSON_SetValuestring(j, r);
            free(r);
        } else {
            cJSON_SetValuestring(j, "***");
        }
        return;
    }
    cJSON_ArrayForEach(it, j) {
        if (it->string && !(it->type & cJSON_StringIsConst) &&
            run_secret_in(it->string, strlen(it->string))) {
            char *r = run_redact(it->string);
            if (r) {
                cJSON_free(it->string);
                it->string = r;
            } else {    /* no memory: a key of stars, not the secret */
                memset(it->string, '*', strlen(it->string));
            }
        }
        run_redact_json(it);
    }
}

/* run_secret_add of the N bytes at S (copied); too short is no error. */
static int add_part(const char *s, size_t n)
{
    char *x;
    int rc;

    if (n < RUN__SECRET_MIN)
        return 0;
    x = strndup(s, n);
    if (!x)
        return -1;
    rc = run_secret_add(x);
    free(x);
    return rc;
}

/* A remote browser's endpoint carries its credentials in its query
 * (browserless: ws://HOST:PORT?token=T) or its user-info
 * (ws://USER:PASSWORD@HOST): each query value and the password. */
int run_secret_add_url(const char *url)
{
    const char *p = strstr(url, "://"), *end, *at, *v;
    int rc = 0;

    if (!p)
        return 0;
    p += 3;
    end = p + strcspn(p, "/?#");
    at = memchr(p, '@', (size_t)(end - p));
    v = at ? memchr(p, ':', (size_t)(at - p)) : NULL;
    if (v)
        rc |= add_part(v + 1, (size_t)(at - v - 1));
    p = strchr(end, '?');
    while (p && *p && *p != '#') {
        p++;
        end = p + strcspn(p, "&#");
        v = memchr(p, '=', (size_t)(end - p));
        if (v)
            rc |= add_part(v + 1, (size_t)(end - v - 1));
        p = end;
    }
    return rc;
}

void run_secret_reset(void)
{
    size_t i;

    for (i = 0; i < nforms; i++)
        free(forms[i]);
    nforms = nsecrets = 0;
}
