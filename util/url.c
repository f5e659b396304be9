/* url.c -- see util.h: URLs parsed and resolved by uriparser (RFC 3986),
 * never by string tests. What uriparser does not do is done here, and
 * only that: percent-encoding the bytes a browser accepts in a typed URL
 * but RFC 3986 does not (a space, non-ASCII text, "a[]=1" in a query),
 * so that such a reference resolves instead of failing to parse. */
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uriparser/Uri.h>

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/* RFC 3986 unreserved, gen-delims and sub-delims, less '[', ']' and '#'
 * (allowed in some places only) and '%' (only as %XX). */
static int uri_char(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9') ||
           (c && strchr("-._~:/?@!$&'()*+,;=", c) != NULL);
}

/* Where REF's authority ("//host:port") starts and ends, [*A, *B); an
 * empty range when it has none. The scheme is skipped by RFC 3986's
 * grammar, scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
static void authority(const char *ref, size_t *a, size_t *b)
{
    size_t i = 0;

    if (is_alpha(ref[0])) {
        for (i = 1; is_alpha(ref[i]) || (ref[i] >= '0' && ref[i] <= '9') ||
                    ref[i] == '+' || ref[i] == '-' || ref[i] == '.'; i++)
            ;
        i = ref[i] == ':' ? i + 1 : 0;
    }
    *a = *b = i;
    if (ref[i] != '/' || ref[i + 1] != '/')
        return;
    *a = *b = i + 2;
    while (ref[*b] && !strchr("/?#", ref[*b]))
        (*b)++;
}

/* REF with every byte RFC 3986 does not allow where it stands written as
 * %XX; NULL when out of memory or too long. */
static char *encode(const char *ref)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i, a, b;
    int frag = 0;
    ut_buf o;

    authority(ref, &a, &b);
    ut_buf_init(&o, UT_MAX_TEXT);
    for (i = 0; ref[i]; i++) {
        char c = ref[i];
        int keep;

        if (c == '#')
            keep = !frag++;                 /* the first one starts it */
        else if (c == '[' || c == ']')
            keep = i >= a && i < b;         /* IPv6 literal hosts only */
        else if (c == '%')
            keep = is_hex(ref[i + 1]) && is_hex(ref[i + 2]);
        else
            keep = uri_char(c);
        if (keep ? ut_buf_addc(&o, c) :
            ut_buf_addf(&o, "%%%c%c", hex[(unsigned char)c >> 4],
                        hex[(unsigned char)c & 15])) {
            ut_buf_free(&o);
            return NULL;
        }
    }
    return ut_buf_take(&o);
}

/* Parses S into *U; 0, or -1 with "WHAT"SHOWN": not a valid URL ..." in
 * ERR (*U then needs no freeing). SHOWN is what the user wrote: S itself,
 * or the text S was encoded from (then no position is given, as it
 * would be one in S). */
static int parse(UriUriA *u, const char *s, const char *shown,
                 const char *what, char *err, size_t errlen)
{
    const char *pos = NULL;
    int rc = uriParseSingleUriA(u, s, &pos);

    if (rc == URI_SUCCESS)
        return 0;
    if (rc == URI_ERROR_SYNTAX && pos && shown == s)
        return ut_err(err, errlen, -1, "%s\"%.200s\": not a valid URL "
                      "(at character %zu)", what, s, (size_t)(pos - s) + 1);
    return ut_err(err, errlen, -1, "%s\"%.200s\": not a valid URL", what,
                  shown);
}

int ut_url_resolve(const char *base, const char *ref, char **out, char *err,
                   size_t errlen)
{
    UriUriA b, r, res;
    char *enc, *s = NULL;
    int rc = -1, n = 0;

    *out = NULL;
    if (parse(&b, base, base, "base URL ", err, errlen))
        return -1;
    if (!b.scheme.first) {
        uriFreeUriMembersA(&b);
        return ut_err(err, errlen, -1, "base URL \"%.200s\" is not absolute "
                      "(no scheme)", base);
    }
    enc = encode(ref);
    if (!enc) {
        uriFreeUriMembersA(&b);
        return ut_err(err, errlen, -1, "URL too long or out of memory");
    }
    if (parse(&r, enc, ref, "", err, errlen)) {
        free(enc);
        uriFreeUriMembersA(&b);
        return -1;
    }
    if (uriAddBaseUriExA(&res, &r, &b, URI_RESOLVE_STRICTLY) != URI_SUCCESS) {
        ut_err(err, errlen, -1, "\"%.200s\": cannot be resolved against "
               "\"%.200s\"", ref, base);
    } else {
        if (uriToStringCharsRequiredA(&res, &n) == URI_SUCCESS &&
            (size_t)n < UT_MAX_TEXT && (s = malloc((size_t)n + 1)) &&
            uriToStringA(s, &res, n + 1, NULL) == URI_SUCCESS) {
            *out = s;
            s = NULL;
            rc = 0;
        } else {
            ut_err(err, errlen, -1, "URL too long or out of memory");
        }
        uriFreeUriMembersA(&res);
    }
    free(s);
    uriFreeUriMembersA(&r);
    free(enc);
    uriFreeUriMembersA(&b);
    return rc;
}

int ut_url_check_abs(const char *url, const char *const *schemes, char *err,
                     size_t errlen)
{
    UriUriA u;
    size_t n, i;
    int rc = 0;

    if (parse(&u, url, url, "", err, errlen))
        return -1;
    n = (size_t)(u.scheme.afterLast - u.scheme.first);
    for (i = 0; u.scheme.first && schemes[i]; i++)
        if (strlen(schemes[i]) == n &&
            strncasecmp(u.scheme.first, schemes[i], n) == 0)
            break;
    if (!u.scheme.first)
        rc = ut_err(err, errlen, -1, "\"%.200s\": not an absolute URL (no "
                    "scheme)", url);
    else if (!schemes[i])
        rc = ut_err(err, errlen, -1, "\"%.200s\": unsupported scheme "
                    "\"%.*s:\"", url, (int)(n > 32 ? 32 : n),
                    u.scheme.first);
    else if (strcasecmp(schemes[i], "file") != 0 &&
             (!u.hostText.first || u.hostText.first == u.hostText.afterLast))
        rc = ut_err(err, errlen, -1, "\"%.200s\": no host", url);
    uriFreeUriMembersA(&u);
    return rc;
}
