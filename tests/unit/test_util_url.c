/* test_util_url.c -- ut_url_resolve against every example of RFC 3986
 * section 5.4 (normal and abnormal, strict), a query holding a URL, the
 * bytes a browser accepts that RFC 3986 does not, bad bases; and
 * ut_url_check_abs. */
#include "../t.h"
#include "../../util/util.h"

#include <stdlib.h>

struct ex {
    const char *ref, *want;
};

/* RFC 3986 5.4.1 and 5.4.2, base "http://a/b/c/d;p?q". */
static const struct ex rfc[] = {
    /* 5.4.1 Normal Examples */
    {"g:h",           "g:h"},
    {"g",             "http://a/b/c/g"},
    {"./g",           "http://a/b/c/g"},
    {"g/",            "http://a/b/c/g/"},
    {"/g",            "http://a/g"},
    {"//g",           "http://g"},
    {"?y",            "http://a/b/c/d;p?y"},
    {"g?y",           "http://a/b/c/g?y"},
    {"#s",            "http://a/b/c/d;p?q#s"},
    {"g#s",           "http://a/b/c/g#s"},
    {"g?y#s",         "http://a/b/c/g?y#s"},
    {";x",            "http://a/b/c/;x"},
    {"g;x",           "http://a/b/c/g;x"},
    {"g;x?y#s",       "http://a/b/c/g;x?y#s"},
    {"",              "http://a/b/c/d;p?q"},
    {".",             "http://a/b/c/"},
    {"./",            "http://a/b/c/"},
    {"..",            "http://a/b/"},
    {"../",           "http://a/b/"},
    {"../g",          "http://a/b/g"},
    {"../..",         "http://a/"},
    {"../../",        "http://a/"},
    {"../../g",       "http://a/g"},
    /* 5.4.2 Abnormal Examples */
    {"../../../g",    "http://a/g"},
    {"../../../../g", "http://a/g"},
    {"/./g",          "http://a/g"},
    {"/../g",         "http://a/g"},
    {"g.",            "http://a/b/c/g."},
    {".g",            "http://a/b/c/.g"},
    {"g..",           "http://a/b/c/g.."},
    {"..g",           "http://a/b/c/..g"},
    {"./../g",        "http://a/b/g"},
    {"./g/.",         "http://a/b/c/g/"},
    {"g/./h",         "http://a/b/c/g/h"},
    {"g/../h",        "http://a/b/c/h"},
    {"g;x=1/./y",     "http://a/b/c/g;x=1/y"},
    {"g;x=1/../y",    "http://a/b/c/y"},
    {"g?y/./x",       "http://a/b/c/g?y/./x"},
    {"g?y/../x",      "http://a/b/c/g?y/../x"},
    {"g#s/./x",       "http://a/b/c/g#s/./x"},
    {"g#s/../x",      "http://a/b/c/g#s/../x"},
    {"http:g",        "http:g"},               /* strict parsers */
};

static void expect(const char *base, const char *ref, const char *want)
{
    char err[256] = "", *out = NULL;
    int rc = ut_url_resolve(base, ref, &out, err, sizeof err);

    CHECK_MSG(rc == 0 && out && strcmp(out, want) == 0,
              "\"%s\" against \"%s\": got \"%s\" (rc %d, %s), want \"%s\"",
              ref, base, out ? out : "(null)", rc, err, want);
    free(out);
}

static void expect_err(const char *base, const char *ref, const char *msg)
{
    char err[256] = "", *out = (char *)"x";
    int rc = ut_url_resolve(base, ref, &out, err, sizeof err);

    CHECK_MSG(rc == -1 && out == NULL, "\"%s\" against \"%s\": rc %d", ref,
              base, rc);
    CHECK_CONTAINS(err, msg);
}

static void test_rfc3986(void)
{
    size_t i;

    for (i = 0; i < sizeof rfc / sizeof rfc[0]; i++)
        expect("http://a/b/c/d;p?q", rfc[i].ref, rfc[i].want);
    CHECK_INT(sizeof rfc / sizeof rfc[0], 23 + 19);
}

/* What a task's base_url and goto look like. */
static void test_tasks(void)
{
    /* A "://" in the query does not make the reference absolute. */
    expect("http://127.0.0.1:8080",
           "/outer.html?frame=http://localhost:1/card.html",
           "http://127.0.0.1:8080/outer.html?frame=http://localhost:1/"
           "card.html");
    expect("http://127.0.0.1:8080/app/", "x.html?u=https://e.test/a#b",
           "http://127.0.0.1:8080/app/x.html?u=https://e.test/a#b");
    /* A base without a path, and with one: like a link in a page. */
    expect("http://127.0.0.1:8080", "login.html",
           "http://127.0.0.1:8080/login.html");
    expect("http://127.0.0.1:8080", "/login", "http://127.0.0.1:8080/login");
    expect("http://h/app/", "login", "http://h/app/login");
    expect("http://h/app/", "/login", "http://h/login");
    expect("http://h/app", "login", "http://h/login");
    expect("http://h/app/page?x=1", "?x=2", "http://h/app/page?x=2");
    expect("http://h/app/page?x=1#top", "#end", "http://h/app/page?x=1#end");
    expect("file:///srv/site/", "x.html", "file:///srv/site/x.html");
    /* Absolute references stay what they are. */
    expect("http://h/", "https://e.test/a?b=c", "https://e.test/a?b=c");
    expect("http://h/", "about:blank", "about:blank");
    /* (uriparser writes IPv6 addresses in full; the same address) */
    expect("http://h/", "//[::1]:9/x",
           "http://[0000:0000:0000:0000:0000:0000:0000:0001]:9/x");
    /* Bytes a browser would encode are encoded, not refused. */
    expect("http://h/", "/search?q=a b", "http://h/search?q=a%20b");
    expect("http://h/", "caf\xC3\xA9", "http://h/caf%C3%A9");
    expect("http://h/", "?a[]=1&b={2}", "http://h/?a%5B%5D=1&b=%7B2%7D");
    expect("http://h/", "/100%", "http://h/100%25");
    expect("http://h/", "/a%20b%2f", "http://h/a%20b%2f");
    expect("http://h/", "#a#b", "http://h/#a%23b");
    expect("http://h/", "/\"x\"<y>|\\^`", "http://h/%22x%22%3Cy%3E%7C%5C%5E%60");
    /* Bad bases and references. */
    expect_err("/just/a/path", "g", "is not absolute (no scheme)");
    expect_err("http://a b/", "g", "base URL \"http://a b/\": not a valid URL");
    expect_err("http://h/", "//[::1/x", "not a valid URL");
}

static void expect_abs(const char *url, const char *const *schemes,
                       const char *msg)
{
    char err[256] = "";
    int rc = ut_url_check_abs(url, schemes, err, sizeof err);

    if (!msg) {
        CHECK_MSG(rc == 0, "\"%s\" refused: %s", url, err);
    } else {
        CHECK_MSG(rc == -1, "\"%s\" accepted", url);
        CHECK_CONTAINS(err, msg);
    }
}

static void test_check_abs(void)
{
    static const char *const web[] = {"http", "https", NULL};
    static const char *const any[] = {"http", "https", "file", NULL};

    expect_abs("http://127.0.0.1:8080", web, NULL);
    expect_abs("HTTPS://example.com/app/?x=1#y", web, NULL);
    expect_abs("http://[::1]:9/", web, NULL);
    expect_abs("file:///srv/site/", any, NULL);
    expect_abs("ftp://x", web, "\"ftp://x\": unsupported scheme \"ftp:\"");
    expect_abs("file:///srv/site/", web, "unsupported scheme \"file:\"");
    expect_abs("http://", web, "\"http://\": no host");
    expect_abs("http:/x", web, "no host");
    expect_abs("127.0.0.1:8080", web, "not a valid URL");
    expect_abs("/app", web, "not an absolute URL (no scheme)");
    expect_abs("", web, "not an absolute URL (no scheme)");
    expect_abs("http://a b/", web, "not a valid URL (at character 9)");
}

int main(void)
{
    test_rfc3986();
    test_tasks();
    test_check_abs();
    return T_DONE();
}
