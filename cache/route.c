/* route.c -- URL -> (origin, route shape), the page half of a cache key.
 * Pure string code: no allocation, no I/O. The shape folds the parts of
 * a path that name one record among many, so /item/123 and /item/456
 * share their selectors:
 *   all digits                       -> :n   (/item/123)
 *   a UUID (8-4-4-4-12 hex)          -> :id
 *   hex of 8+ chars with a digit     -> :id  (/commit/3fa9c2e1)
 *   an opaque token: [A-Za-z0-9_-] of 10+ chars with upper, lower and
 *   digit (base64-ish: dQw4w9WgXcQ), or of 16+ chars with 2+ digits and
 *   a letter that is not a slug (words joined by '-')      -> :id
 * Everything else, slugs included, is kept. The query is kept where it
 * names the page (index.php?route=/sql, post.php?action=edit: many
 * applications route by it), shaped: its pairs sorted by key, a value
 * folded as a segment is, free text (a '+', a space, "%20", over 40
 * characters) as :q, tracking keys (utm_*, fbclid, gclid, msclkid)
 * dropped. The fragment is dropped; user:password@ is dropped (never
 * stored); scheme and host are
 * lower-cased; http/ws :80 and https/wss :443 are dropped because
 * browsers never show them (so a typed URL and the page's own URL agree),
 * every other explicit port is kept. Non-hierarchical URLs get the
 * scheme as origin: about:blank -> ("about:", "blank"), data:text/html,..
 * -> ("data:", "text/html"), file:///a/b -> ("file://", "/a/b"). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"

/* A bounded writer: OK stays 0 once anything did not fit. */
struct out {
    char *p;
    size_t n, len;
    int ok;
};

static void put(struct out *o, const char *s, size_t n, int lower)
{
    size_t i;

    if (!o->ok || o->len + n >= o->n) {
        o->ok = 0;
        return;
    }
    for (i = 0; i < n; i++)
        o->p[o->len++] = lower ? (char)tolower((unsigned char)s[i]) : s[i];
    o->p[o->len] = '\0';
}

static int is_hex(char ch)
{
    return isxdigit((unsigned char)ch) != 0;
}

static int is_uuid(const char *s, size_t n)
{
    static const size_t dash[] = {8, 13, 18, 23};
    size_t i, d = 0;

    if (n != 36)
        return 0;
    for (i = 0; i < n; i++) {
        if (d < 4 && i == dash[d]) {
            if (s[i] != '-')
                return 0;
            d++;
        } else if (!is_hex(s[i])) {
            return 0;
        }
    }
    return 1;
}

/* Words joined by '-' where every word is all-lower letters or all
 * digits: a slug such as release-notes-2024, kept as written. */
static int is_slug(const char *s, size_t n)
{
    size_t i, start = 0;
    int dashes = 0;

    for (i = 0; i <= n; i++) {
        if (i < n && s[i] != '-')
            continue;
        if (i == start)
            return 0;
        {
            size_t j;
            int alpha = 1, digit = 1;

            for (j = start; j < i; j++) {
                alpha &= s[j] >= 'a' && s[j] <= 'z';
                digit &= s[j] >= '0' && s[j] <= '9';
            }
            if (!alpha && !digit)
                return 0;
        }
        dashes += i < n;
        start = i + 1;
    }
    return dashes > 0;
}

/* ":n", ":id" or NULL (keep the segment). */
static const char *fold(const char *s, size_t n)
{
    size_t i, digits = 0, upper = 0, lower = 0, hex = 0, other = 0;

    if (!n)
        return NULL;
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (isdigit(ch))
            digits++;
        else if (isupper(ch))
            upper++;
        else if (islower(ch))
            lower++;
        else if (ch != '-' && ch != '_')
            other++;
        hex += is_hex((char)ch);
    }
    if (digits == n)
        return ":n";
    if (is_uuid(s, n))
        return ":id";
    if (other)
        return NULL;
    if (hex == n && n >= 8 && digits)
        return ":id";
    if (n >= 10 && upper && lower && digits)
        return ":id";
    if (n >= 16 && digits >= 2 && upper + lower && !is_slug(s, n))
        return ":id";
    return NULL;
}

/* Appends the shape of the path S[0..N) ('/'-separated) to O. */
static void shape_path(struct out *o, const char *s, size_t n)
{
    size_t i = 0;

    if (!n) {
        put(o, "/", 1, 0);
        return;
    }
    while (i < n) {
        size_t j = i;
        const char *f;

        if (s[i] == '/') {
            put(o, "/", 1, 0);
            i++;
            continue;
        }
        while (j < n && s[j] != '/')
            j++;
        f = fold(s + i, j - i);
        if (f)
            put(o, f, strlen(f), 0);
        else
            put(o, s + i, j - i, 0);
        i = j;
    }
}

struct qpair {
    const char *k, *v;      /* v NULL: a key without '=' */
    size_t kn, vn;
};

static int qpair_cmp(const void *pa, const void *pb)
{
    const struct qpair *a = pa, *b = pb;
    size_t n = a->kn < b->kn ? a->kn : b->kn;
    int c = memcmp(a->k, b->k, n);

    if (c)
        return c;
    if (a->kn != b->kn)
        return a->kn < b->kn ? -1 : 1;
    if (!a->v || !b->v)             /* a key alone first */
        return !!a->v - !!b->v;
    n = a->vn < b->vn ? a->vn : b->vn;
    if ((c = memcmp(a->v, b->v, n)) != 0)
        return c;
    return (a->vn > b->vn) - (a->vn < b->vn);
}

static int tracking(const char *k, size_t n)
{
    return (n > 4 && !memcmp(k, "utm_", 4)) ||
           (n == 6 && !memcmp(k, "fbclid", 6)) ||
           (n == 5 && !memcmp(k, "gclid", 5)) ||
           (n == 7 && !memcmp(k, "msclkid", 7));
}

static int free_text(const char *v, size_t n)
{
    size_t i;

    if (n > 40)
        return 1;
    for (i = 0; i < n; i++)
        if (v[i] == '+' || v[i] == ' ' ||
            (v[i] == '%' && i + 2 < n && v[i + 1] == '2' && v[i + 2] == '0'))
            return 1;
    return 0;
}

#define QMAX 32     /* pairs kept; the rest of a longer query is dropped */

/* Appends the shape of the query S[0..N) (after '?') to O. */
static void shape_query(struct out *o, const char *s, size_t n)
{
    struct qpair q[QMAX];
    size_t nq = 0, i = 0, k;

    while (i < n && nq < QMAX) {
        size_t j = i, e;
        while (j < n && s[j] != '&')
            j++;
        for (e = i; e < j && s[e] != '='; e++)
            ;
        if (e > i && !tracking(s + i, e - i)) {
            q[nq].k = s + i;
            q[nq].kn = e - i;
            q[nq].v = e < j ? s + e + 1 : NULL;
            q[nq].vn = e < j ? j - e - 1 : 0;
            nq++;
        }
        i = j + 1;
    }
    if (!nq)
        return;
    qsort(q, nq, sizeof q[0], qpair_cmp);
    for (k = 0; k < nq; k++) {
        const char *f;
        put(o, k ? "&" : "?", 1, 0);
        put(o, q[k].k, q[k].kn, 0);
        if (!q[k].v)
            continue;
        put(o, "=", 1, 0);
        f = free_text(q[k].v, q[k].vn) ? ":q" : fold(q[k].v, q[k].vn);
        if (f)
            put(o, f, strlen(f), 0);
        else
            put(o, q[k].v, q[k].vn, 0);
    }
}

static int default_port(const char *scheme, size_t sn, const char *port,
                        size_t pn)
{
    int http = (sn == 4 && !strncmp(scheme, "http", 4)) ||
               (sn == 2 && !strncmp(scheme, "ws", 2));
    int https = (sn == 5 && !strncmp(scheme, "https", 5)) ||
                (sn == 3 && !strncmp(scheme, "wss", 3));

    return (http && pn == 2 && !strncmp(port, "80", 2)) ||
           (https && pn == 3 && !strncmp(port, "443", 3));
}

/* "scheme://authority/path": origin = scheme://host[:port]. */
static int hierarchical(const char *lscheme, size_t sn, const char *rest,
                        struct out *oo, struct out *ro)
{
    const char *auth = rest, *end, *at, *host, *hend, *port = NULL;
    size_t pn = 0;
    const char *p;

    end = auth + strcspn(auth, "/?#");
    at = NULL;
    for (p = auth; p < end; p++)
        if (*p == '@')
            at = p;                         /* last '@' ends userinfo */
    host = at ? at + 1 : auth;
    if (*host == '[') {                     /* IPv6 literal */
        hend = memchr(host, ']', (size_t)(end - host));
        if (!hend)
            return -1;
        hend++;
    } else {
        hend = memchr(host, ':', (size_t)(end - host));
        if (!hend)
            hend = end;
    }
    if (hend < end && *hend == ':') {
        port = hend + 1;
        pn = (size_t)(end - port);
    } else if (hend != end) {
        return -1;                          /* junk after "]" */
    }
    if (hend == host && !(sn == 4 && !strncmp(lscheme, "file", 4)))
        return -1;                          /* no host */
    put(oo, lscheme, sn, 0);
    put(oo, "://", 3, 0);
    put(oo, host, (size_t)(hend - host), 1);
    if (port && pn && !default_port(lscheme, sn, port, pn)) {
        put(oo, ":", 1, 0);
        put(oo, port, pn, 0);
    }
    p = end + strcspn(end, "?#");
    shape_path(ro, end, (size_t)(p - end));
    if (*p == '?')
        shape_query(ro, p + 1, strcspn(p + 1, "#"));
    return 0;
}

int cache_route_shape(const char *url, char *origin, size_t on,
                      char *route, size_t rn)
{
    struct out oo = {origin, on, 0, 1}, ro = {route, rn, 0, 1};
    char lscheme[32];
    size_t sn, i;
    const char *rest;
    int rc;

    if (!on || !rn)
        return -1;
    origin[0] = route[0] = '\0';
    if (!url)
        return -1;
    while (*url == ' ' || *url == '\t')
        url++;
    sn = strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789+.-");
    if (!sn || sn >= sizeof lscheme || !isalpha((unsigned char)url[0]) ||
        url[sn] != ':')
        return -1;
    for (i = 0; i < sn; i++)
        lscheme[i] = (char)tolower((unsigned char)url[i]);
    lscheme[sn] = '\0';
    rest = url + sn + 1;
    if (rest[0] == '/' && rest[1] == '/') {
        rc = hierarchical(lscheme, sn, rest + 2, &oo, &ro);
    } else if (!strcmp(lscheme, "http") || !strcmp(lscheme, "https") ||
               !strcmp(lscheme, "ws") || !strcmp(lscheme, "wss")) {
        rc = -1;                            /* "http:foo": no host */
    } else if (!strcmp(lscheme, "data")) {
        /* The media type is all that is stable about a data: URL. */
        size_t mt = strcspn(rest, ",;");

        put(&oo, "data:", 5, 0);
        if (mt)
            put(&ro, rest, mt, 1);
        else
            put(&ro, "text/plain", 10, 0);
        rc = 0;
    } else {
        /* about:blank, chrome-error:..., javascript:... */
        put(&oo, lscheme, sn, 0);
        put(&oo, ":", 1, 0);
        shape_path(&ro, rest, strcspn(rest, "?#"));
        rc = 0;
    }
    if (rc || !oo.ok || !ro.ok) {
        origin[0] = route[0] = '\0';
        return -1;
    }
    return 0;
}
