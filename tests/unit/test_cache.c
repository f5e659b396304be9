/* test_cache.c -- the cache's behaviour on healthy files: route shapes,
 * intent normalisation, lookup/put/hit/demote with their counters, the
 * printers, forget/prune, export/import and run checkpoints. Faults and
 * migrations are in test_cache_faults.c, processes in test_cache_stress.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../cache/cache.h"
#include "../t.h"
#include "../../util/util.h"

static char tmpdir[] = "/tmp/cdpilot-tcache.XXXXXX";

/* ---- route shapes ----------------------------------------------------- */

static void shape_is(const char *url, const char *origin, const char *route)
{
    char o[256], r[256];
    int rc = cache_route_shape(url, o, sizeof o, r, sizeof r);

    CHECK_MSG(rc == 0, "cache_route_shape(%s) failed", url);
    if (rc == 0) {
        CHECK_STR(o, origin);
        CHECK_STR(r, route);
    }
}

static void test_route_shape(void)
{
    char o[64], r[64], small[8];

    shape_is("http://127.0.0.1:8080/item/123?x=1#a",
             "http://127.0.0.1:8080", "/item/:n?x=:n");
    shape_is("HTTP://Example.COM/Item/42/", "http://example.com",
             "/Item/:n/");
    shape_is("https://example.com", "https://example.com", "/");
    shape_is("https://example.com?q=1", "https://example.com", "/?q=:n");
    /* A query that names the page is kept, in key order; record ids,
     * free text and tracking keys are folded or dropped. */
    shape_is("http://a.test/index.php?route=/table/change&db=shop&table=t1",
             "http://a.test", "/index.php?db=shop&route=/table/change&table=t1");
    shape_is("http://a.test/wp-admin/post.php?post=42&action=edit",
             "http://a.test", "/wp-admin/post.php?action=edit&post=:n");
    shape_is("http://a.test/s?q=blue+mug&utm_source=mail&page=2",
             "http://a.test", "/s?page=:n&q=:q");
    shape_is("http://a.test/x?flag&_wpnonce=3fa9c2e1b7", "http://a.test",
             "/x?_wpnonce=:id&flag");
    shape_is("http://a.test/x?fbclid=abc", "http://a.test", "/x");
    shape_is("https://example.com:443/a", "https://example.com", "/a");
    shape_is("http://example.com:80/a", "http://example.com", "/a");
    shape_is("http://example.com:443/a", "http://example.com:443", "/a");
    shape_is("https://user:secret@shop.test:8443/cart",
             "https://shop.test:8443", "/cart");
    shape_is("http://[::1]:9222/json/version", "http://[::1]:9222",
             "/json/version");
    shape_is("https://x.test/u/550e8400-e29b-41d4-a716-446655440000/edit",
             "https://x.test", "/u/:id/edit");
    shape_is("https://git.test/commit/3fa9c2e1b7", "https://git.test",
             "/commit/:id");
    shape_is("https://yt.test/watch/dQw4w9WgXcQ", "https://yt.test",
             "/watch/:id");
    shape_is("https://t.test/s/a1b2c3d4e5f6g7h8i9", "https://t.test",
             "/s/:id");
    /* Words, slugs and short hex-looking words stay. */
    shape_is("https://b.test/blog/release-notes-2024-version-2",
             "https://b.test", "/blog/release-notes-2024-version-2");
    shape_is("https://b.test/cafe/decade/login", "https://b.test",
             "/cafe/decade/login");
    shape_is("https://b.test/v2/api/users", "https://b.test",
             "/v2/api/users");
    shape_is("https://b.test/a//b/7", "https://b.test", "/a//b/:n");
    shape_is("https://b.test/report.pdf", "https://b.test", "/report.pdf");
    /* Non-hierarchical URLs. */
    shape_is("about:blank", "about:", "blank");
    shape_is("data:text/html,<b>hi</b>", "data:", "text/html");
    shape_is("data:,hello", "data:", "text/plain");
    shape_is("DATA:Text/HTML;base64,PGI+", "data:", "text/html");
    shape_is("file:///home/me/site/page/12.html", "file://",
             "/home/me/site/page/12.html");
    shape_is("file:///srv/item/77", "file://", "/srv/item/:n");
    shape_is("file://host/share/x", "file://host", "/share/x");
    shape_is("chrome-error://chromewebdata/", "chrome-error://chromewebdata",
             "/");
    /* Errors. */
    CHECK_INT(cache_route_shape("", o, sizeof o, r, sizeof r), -1);
    CHECK_INT(cache_route_shape(NULL, o, sizeof o, r, sizeof r), -1);
    CHECK_INT(cache_route_shape("/relative/path", o, sizeof o, r, sizeof r),
              -1);
    CHECK_STR(o, "");
    CHECK_INT(cache_route_shape("http://", o, sizeof o, r, sizeof r), -1);
    CHECK_INT(cache_route_shape("http:foo", o, sizeof o, r, sizeof r), -1);
    CHECK_INT(cache_route_shape("http://[::1/x", o, sizeof o, r, sizeof r),
              -1);
    CHECK_INT(cache_route_shape("1http://a/", o, sizeof o, r, sizeof r), -1);
    /* Output that does not fit is an error, not a cut. */
    CHECK_INT(cache_route_shape("http://longhost.example/", small,
                                sizeof small, r, sizeof r), -1);
    CHECK_INT(cache_route_shape("http://a/abcdefgh", o, sizeof o, small,
                                sizeof small), -1);
    CHECK_STR(small, "");
}

static void test_normalize(void)
{
    char out[32], tiny[4];

    CHECK_INT(cache_intent_normalize("  Sign   In\tButton \n", out,
                                     sizeof out), 0);
    CHECK_STR(out, "sign in button");
    CHECK_INT(cache_intent_normalize("sign in button", out, sizeof out), 0);
    CHECK_STR(out, "sign in button");
    CHECK_INT(cache_intent_normalize("Ärger", out, sizeof out), 0);
    CHECK_STR(out, "Ärger");            /* non-ASCII bytes untouched */
    CHECK_INT(cache_intent_normalize("   ", out, sizeof out), 0);
    CHECK_STR(out, "");
    CHECK_INT(cache_intent_normalize("abcd", tiny, sizeof tiny), -1);
    CHECK_STR(tiny, "");
    CHECK_INT(cache_intent_normalize("a  b", tiny, sizeof tiny), 0);
    CHECK_STR(tiny, "a b");
}

/* ---- entries ------------------------------------------------------------ */

static struct cache *open_new(const char *name)
{
    char path[256], err[256] = "";
    struct cache *c = NULL;
    cache_code rc;

    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    rc = cache_open(path, 2000, &c, err, sizeof err);
    CHECK_MSG(rc == CACHE_OK, "open %s: %s", path, err);
    return c;
}

static const struct cache_key K1 = {"http://127.0.0.1:8080", "/login",
                                    "click", "sign in button"};

static void test_lookup_put(void)
{
    struct cache *c = open_new("a.db");
    struct cache_key raw = {"http://127.0.0.1:8080", "/login", "click",
                            "  Sign IN   button "};
    struct cache_entry e;
    struct cache_stats st;
    struct stat sb;

    if (!c)
        return;
    CHECK(stat(cache_path(c), &sb) == 0 && (sb.st_mode & 0777) == 0600);
    CHECK_INT(cache_lookup(c, &K1, &e), CACHE_MISS);
    CHECK(e.selector == NULL);
    CHECK_INT(cache_put(c, &K1, "#signin", "{\"tag\":\"button\"}",
                        "heuristic", 0.92, 0), CACHE_OK);
    /* The raw intent is normalised to the same key. */
    CHECK_INT(cache_lookup(c, &raw, &e), CACHE_OK);
    CHECK_STR(e.selector, "#signin");
    CHECK_STR(e.fingerprint, "{\"tag\":\"button\"}");
    CHECK_STR(e.source, "heuristic");
    CHECK(e.confidence > 0.919 && e.confidence < 0.921);
    CHECK_INT(e.successes, 1);
    CHECK_INT(e.failures, 0);
    CHECK(e.created_ms > 1600000000000LL && e.last_used_ms >= e.created_ms);
    cache_entry_clear(&e);
    CHECK(e.selector == NULL);
    CHECK_INT(cache_hit_ok(c, &K1), CACHE_OK);
    CHECK_INT(cache_hit_ok(c, &K1), CACHE_OK);

    /* Demotion: failures > successes (3) turns the hit into a miss. */
    CHECK_INT(cache_demote(c, &K1), CACHE_OK);
    CHECK_INT(cache_demote(c, &K1), CACHE_OK);
    CHECK_INT(cache_demote(c, &K1), CACHE_OK);
    CHECK_INT(cache_lookup(c, &K1, &e), CACHE_OK);     /* 3 > 3 is false */
    CHECK_INT(e.successes, 3);
    CHECK_INT(e.failures, 3);
    cache_entry_clear(&e);
    CHECK_INT(cache_peek(c, &K1), CACHE_OK);             /* 3 > 3 false */
    CHECK_INT(cache_demote(c, &K1), CACHE_OK);
    CHECK_INT(cache_peek(c, &K1), CACHE_MISS);           /* demoted */
    CHECK_INT(cache_lookup(c, &K1, &e), CACHE_MISS);
    CHECK(e.selector == NULL);

    /* The heal: a new selector replaces the demoted one. */
    CHECK_INT(cache_put(c, &K1, "button[type=submit]", NULL, "llm", 0.7, 0),
              CACHE_OK);
    CHECK_INT(cache_lookup(c, &K1, &e), CACHE_OK);
    CHECK_STR(e.selector, "button[type=submit]");
    CHECK_STR(e.fingerprint, "");
    CHECK_INT(e.successes, 1);
    CHECK_INT(e.failures, 0);
    CHECK_INT(e.heals, 1);
    cache_entry_clear(&e);
    /* Same selector again: successes+1, not a heal. */
    CHECK_INT(cache_put(c, &K1, "button[type=submit]", "{}", "llm", 0.8, 0),
              CACHE_OK);
    /* A replacement with HEALED set counts even without failures. */
    {
        struct cache_key k2 = {"http://127.0.0.1:8080", "/item/:n", "fill",
                               "quantity"};

        CHECK_INT(cache_put(c, &k2, "#qty", NULL, "heuristic", 1.0, 0),
                  CACHE_OK);
        CHECK_INT(cache_put(c, &k2, "#quantity", NULL, "heuristic", 1.0, 1),
                  CACHE_OK);
    }
    /* A peek answers as a lookup would and counts nothing: the stats
     * below are those of the lookups alone. */
    {
        struct cache_key k4 = {"http://x", "/", "click", "never stored"};
        CHECK_INT(cache_peek(c, &K1), CACHE_OK);
        CHECK_INT(cache_peek(c, &raw), CACHE_OK);
        CHECK_INT(cache_peek(c, &k4), CACHE_MISS);
    }
    CHECK_INT(cache_stats(c, &st), CACHE_OK);
    CHECK_INT(st.entries, 2);
    CHECK_INT(st.lookups, 5);
    CHECK_INT(st.hits, 3);
    CHECK_INT(st.misses, 2);
    CHECK_INT(st.demotions, 4);
    CHECK_INT(st.heals, 2);
    CHECK_INT(st.llm_saved, 1);
    CHECK_INT(st.runs, 0);

    /* Unknown keys: a deferred hit is dropped when written. */
    {
        struct cache_key k3 = {"http://x", "/", "click", "nothing here"};
        struct cache_entry e3;

        CHECK_INT(cache_hit_ok(c, &k3), CACHE_OK);
        CHECK_INT(cache_demote(c, &k3), CACHE_MISS);
        CHECK_INT(cache_stats(c, &st), CACHE_OK);
        CHECK_INT(st.entries, 2);
        CHECK_INT(cache_lookup(c, &k3, &e3), CACHE_MISS);
    }
    cache_close(c);
}

/* A lookup is a read and a hit is deferred: both are written with the
 * handle's next write transaction (a run checkpoint) or at close, and a
 * lookup meanwhile counts the pending successes. */
static void test_deferred(void)
{
    struct cache *a = open_new("defer.db"), *b = open_new("defer.db");
    struct cache_stats st;
    struct cache_entry e;
    struct cache_key k = K1;
    int i;

    if (!a || !b) {
        cache_close(a);
        cache_close(b);
        return;
    }
    CHECK_INT(cache_put(a, &k, "css=#go", "{}", "heuristic", 0.9, 0),
              CACHE_OK);
    CHECK_INT(cache_lookup(a, &k, &e), CACHE_OK);
    cache_entry_clear(&e);
    CHECK_INT(cache_hit_ok(a, &k), CACHE_OK);
    /* another process sees nothing yet */
    CHECK_INT(cache_stats(b, &st), CACHE_OK);
    CHECK_INT(st.lookups, 0);
    CHECK_INT(cache_lookup(b, &k, &e), CACHE_OK);
    CHECK_INT(e.successes, 1);
    cache_entry_clear(&e);
    /* the checkpoint carries it */
    CHECK_INT(cache_run_begin(a, "d1", "t", "h"), CACHE_OK);
    CHECK_INT(cache_stats(b, &st), CACHE_OK);
    CHECK_INT(st.lookups, 2);       /* b's own lookup was written too */
    CHECK_INT(st.hits, 2);
    CHECK_INT(cache_lookup(b, &k, &e), CACHE_OK);
    CHECK_INT(e.successes, 2);
    cache_entry_clear(&e);

    /* pending successes count before they are written: 2 successes
     * written, 2 pending, 3 failures -> still served */
    CHECK_INT(cache_hit_ok(b, &k), CACHE_OK);
    CHECK_INT(cache_hit_ok(b, &k), CACHE_OK);
    for (i = 0; i < 3; i++)
        CHECK_INT(cache_demote(a, &k), CACHE_OK);
    CHECK_INT(cache_lookup(b, &k, &e), CACHE_OK);
    CHECK_INT(e.successes, 4);      /* 2 written + 2 pending */
    cache_entry_clear(&e);
    cache_close(b);                 /* writes them */
    CHECK_INT(cache_lookup(a, &k, &e), CACHE_OK);
    CHECK_INT(e.successes, 4);
    CHECK_INT(e.failures, 3);
    cache_entry_clear(&e);
    /* more keys than the table holds: flushed, nothing lost */
    for (i = 0; i < 100; i++) {
        char intent[32];
        struct cache_key ki = {"http://127.0.0.1:8080", "/many", "click",
                               intent};
        snprintf(intent, sizeof intent, "button %d", i);
        CHECK_INT(cache_put(a, &ki, "css=#b", "{}", "heuristic", 0.9, 0),
                  CACHE_OK);
    }
    for (i = 0; i < 100; i++) {
        char intent[32];
        struct cache_key ki = {"http://127.0.0.1:8080", "/many", "click",
                               intent};
        snprintf(intent, sizeof intent, "button %d", i);
        CHECK_INT(cache_hit_ok(a, &ki), CACHE_OK);
    }
    cache_close(a);
    a = open_new("defer.db");
    if (!a)
        return;
    for (i = 0; i < 100; i += 33) {
        char intent[32];
        struct cache_key ki = {"http://127.0.0.1:8080", "/many", "click",
                               intent};
        snprintf(intent, sizeof intent, "button %d", i);
        CHECK_INT(cache_lookup(a, &ki, &e), CACHE_OK);
        CHECK_INT(e.successes, 2);
        cache_entry_clear(&e);
    }
    CHECK_INT(cache_check(a), CACHE_OK);
    cache_close(a);
}

static void test_bad_args(void)
{
    struct cache *c = open_new("args.db");
    struct cache_key k = K1;
    struct cache_entry e;
    char big[CACHE_MAX_SELECTOR + 2];

    if (!c)
        return;
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_INT(cache_put(c, &K1, "", NULL, "heuristic", 0.5, 0),
              CACHE_E_INPUT);
    CHECK_CONTAINS(cache_errmsg(c), "selector is empty");
    CHECK_CONTAINS(cache_errmsg(c), "args.db");
    CHECK_INT(cache_put(c, &K1, big, NULL, "heuristic", 0.5, 0),
              CACHE_E_INPUT);
    CHECK_INT(cache_put(c, &K1, "#a", NULL, "guess", 0.5, 0), CACHE_E_INPUT);
    CHECK_INT(cache_put(c, &K1, "#a", NULL, "llm", 1.5, 0), CACHE_E_INPUT);
    CHECK_INT(cache_put(c, &K1, "#a", NULL, "llm", -0.1, 0), CACHE_E_INPUT);
    CHECK_INT(cache_put(c, &K1, "#a", NULL, "llm", NAN, 0),
              CACHE_E_INPUT);
    k.intent = "   ";
    CHECK_INT(cache_lookup(c, &k, &e), CACHE_E_INPUT);
    CHECK_CONTAINS(cache_errmsg(c), "intent is blank");
    k = K1;
    k.origin = NULL;
    CHECK_INT(cache_lookup(c, &k, &e), CACHE_E_INPUT);
    k = K1;
    k.kind = big;
    CHECK_INT(cache_hit_ok(c, &k), CACHE_E_INPUT);
    /* A quote in a value is data, not SQL. */
    k = K1;
    k.intent = "it's \"quoted\"; DROP TABLE entries; --";
    CHECK_INT(cache_put(c, &k, "a[title='x']", NULL, "llm", 0.5, 0),
              CACHE_OK);
    CHECK_INT(cache_lookup(c, &k, &e), CACHE_OK);
    CHECK_STR(e.selector, "a[title='x']");
    CHECK_STR(e.intent, "it's \"quoted\"; drop table entries; --");
    cache_entry_clear(&e);
    cache_close(c);
}

/* ---- printers ----------------------------------------------------------- */

/* Runs the printer into a memory stream and returns the text (freed by
 * the caller). */
static char *capture(struct cache *c, int what, const char *arg, int json,
                     cache_code *rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (!f)
        return NULL;
    if (what == 0)
        *rc = cache_list(c, arg, f, json);
    else if (what == 1)
        *rc = cache_show(c, arg, f, json);
    else if (what == 2)
        *rc = cache_stats_print(c, f, json);
    else
        *rc = cache_export(c, f);
    fclose(f);
    return buf;
}

static void fill_sample(struct cache *c)
{
    static const char *const origins[] = {"http://a.test", "http://b.test"};
    char intent[64];
    int i;

    for (i = 0; i < 6; i++) {
        struct cache_key k = {origins[i % 2], "/p/:n", i % 3 ? "click" :
                              "fill", intent};

        snprintf(intent, sizeof intent, "target number %d", i);
        CHECK_INT(cache_put(c, &k, "#t", "{\"tag\":\"a\"}",
                            i == 5 ? "llm" : "heuristic", 0.5, 0), CACHE_OK);
    }
}

static void test_printers(void)
{
    struct cache *c = open_new("print.db");
    struct cache_entry e;
    cache_code rc;
    char *t;

    if (!c)
        return;
    fill_sample(c);
    {
        struct cache_key k = {"http://b.test", "/p/:n", "click",
                              "target number 5"};

        CHECK_INT(cache_lookup(c, &k, &e), CACHE_OK);
        cache_entry_clear(&e);
        k.intent = "missing";
        CHECK_INT(cache_lookup(c, &k, &e), CACHE_MISS);
    }
    t = capture(c, 0, NULL, 0, &rc);
    CHECK_INT(rc, CACHE_OK);
    CHECK_CONTAINS(t, "ORIGIN");
    CHECK_CONTAINS(t, "LAST USED");
    CHECK_CONTAINS(t, "http://a.test");
    CHECK_CONTAINS(t, "target number 4");
    CHECK_CONTAINS(t, "1/0");
    free(t);
    t = capture(c, 0, "http://a.test/some/page", 1, &rc);
    CHECK_INT(rc, CACHE_OK);
    CHECK(t && t[0] == '[');
    CHECK_CONTAINS(t, "\"intent\":\"target number 2\"");
    CHECK(t && !strstr(t, "b.test"));
    free(t);
    t = capture(c, 1, "NUMBER 3", 0, &rc);
    CHECK_INT(rc, CACHE_OK);
    CHECK_CONTAINS(t, "intent       target number 3");
    CHECK_CONTAINS(t, "selector     #t");
    CHECK(t && !strstr(t, "number 4"));
    free(t);
    t = capture(c, 1, "no such thing", 1, &rc);
    CHECK_INT(rc, CACHE_MISS);
    CHECK_STR(t, "[]\n");
    free(t);
    t = capture(c, 2, NULL, 0, &rc);
    CHECK_INT(rc, CACHE_OK);
    CHECK_CONTAINS(t, "entries    6");
    CHECK_CONTAINS(t, "hit ratio  50.0%");
    CHECK_CONTAINS(t, "llm saved  1");
    CHECK_CONTAINS(t, "http://b.test");
    free(t);
    t = capture(c, 2, NULL, 1, &rc);
    CHECK_INT(rc, CACHE_OK);
    CHECK_CONTAINS(t, "\"hit_ratio\":0.5");
    CHECK_CONTAINS(t, "\"origins\":[{\"origin\":\"http://a.test\","
                      "\"entries\":3");
    CHECK_CONTAINS(t, "\"schema_version\":3");
    free(t);
    cache_close(c);
}

/* ---- forget / prune ------------------------------------------------------ */

static void test_forget_prune(void)
{
    struct cache *c = open_new("forget.db");
    struct cache_key k = {"http://a.test", "/p/:n", "click",
                          "target number 2"};
    struct cache_stats st;
    int64_t n = -1;
    char err[256];
    static const char old[] =
        "{\"cdpilot_cache\":1,\"schema_version\":2,\"entries\":["
        "{\"origin\":\"http://old.test\",\"route\":\"/\",\"kind\":\"click\","
        "\"intent\":\"ancient\",\"selector\":\"#x\",\"source\":\"heuristic\","
        "\"confidence\":0.5,\"created_ms\":1000,\"last_used_ms\":1000},"
        "{\"origin\":\"http://old.test\",\"route\":\"/\",\"kind\":\"click\","
        "\"intent\":\"flaky\",\"selector\":\"#y\",\"source\":\"heuristic\","
        "\"confidence\":0.5,\"successes\":1,\"failures\":5}]}";

    if (!c)
        return;
    fill_sample(c);
    CHECK_INT(cache_forget(c, "http://a.test", "TARGET  number 2", &n),
              CACHE_OK);
    CHECK_INT(n, 1);
    CHECK_INT(cache_hit_ok(c, &k), CACHE_OK);    /* deferred, then dropped */
    CHECK_INT(cache_forget(c, "http://a.test/any/path?q", NULL, &n),
              CACHE_OK);
    CHECK_INT(n, 2);
    CHECK_INT(cache_forget(c, "http://nowhere.test", NULL, &n), CACHE_OK);
    CHECK_INT(n, 0);
    CHECK_INT(cache_forget(c, NULL, NULL, &n), CACHE_E_INPUT);
    CHECK_INT(cache_stats(c, &st), CACHE_OK);
    CHECK_INT(st.entries, 3);

    CHECK_INT(cache_import(c, old, sizeof old - 1, &n, err, sizeof err),
              CACHE_OK);
    CHECK_INT(n, 2);
    CHECK_INT(cache_run_begin(c, "old-run", "t", "h"), CACHE_OK);
    CHECK_INT(cache_prune(c, 0, 0, &n), CACHE_E_INPUT);
    CHECK_INT(cache_prune(c, 0, 5, &n), CACHE_OK);     /* the flaky one */
    CHECK_INT(n, 1);
    CHECK_INT(cache_prune(c, 86400000LL, 0, &n), CACHE_OK);  /* ancient */
    CHECK_INT(n, 1);
    CHECK_INT(cache_stats(c, &st), CACHE_OK);
    CHECK_INT(st.entries, 3);
    CHECK_INT(st.runs, 1);          /* still "running": kept */
    cache_close(c);
}

/* ---- export / import --------------------------------------------------- */

static void import_fails(struct cache *c, const char *doc, const char *want)
{
    char err[512] = "";
    int64_t n = -1;
    cache_code rc = cache_import(c, doc, strlen(doc), &n, err, sizeof err);

    CHECK_MSG(rc == CACHE_E_INPUT, "import of %s gave %d", doc, rc);
    CHECK_MSG(strstr(err, want) != NULL, "err \"%s\" lacks \"%s\"", err,
              want);
    CHECK_CONTAINS(cache_errmsg(c), want);
    CHECK_INT(n, 0);
}

#define ENTRY(i, sel) "{\"origin\":\"http://i.test\",\"route\":\"/\"," \
    "\"kind\":\"click\",\"intent\":\"e" #i "\",\"selector\":" sel "," \
    "\"source\":\"heuristic\",\"confidence\":0.5}"
#define DOC(list) "{\"cdpilot_cache\":1,\"schema_version\":2,\"entries\":[" \
    list "]}"

static void test_import_validation(void)
{
    struct cache *c = open_new("import.db");
    struct cache_stats st;

    if (!c)
        return;
    import_fails(c, "not json", "document: not valid JSON");
    import_fails(c, "[]", "document: expected a JSON object");
    import_fails(c, "{\"cdpilot_cache\":2,\"schema_version\":1,"
                 "\"entries\":[]}", "cdpilot_cache: expected 1");
    import_fails(c, "{\"cdpilot_cache\":1,\"schema_version\":99,"
                 "\"entries\":[]}", "schema_version: 99 is newer");
    import_fails(c, "{\"cdpilot_cache\":1,\"schema_version\":1}",
                 "entries: expected an array");
    import_fails(c, "{\"cdpilot_cache\":1,\"schema_version\":1,"
                 "\"entries\":[],\"extra\":1}", "unknown top-level key");
    import_fails(c, DOC(ENTRY(0, "\"#a\"") "," ENTRY(1, "\"#b\"") ","
                        ENTRY(2, "\"#c\"") "," ENTRY(3, "\"\"")),
                 "entries[3].selector: expected a non-empty string");
    import_fails(c, DOC(ENTRY(0, "\"#a\"") "," ENTRY(1, "17")),
                 "entries[1].selector: expected a non-empty string");
    import_fails(c, DOC("{\"origin\":\"o\",\"route\":\"/\",\"kind\":\"k\","
                        "\"intent\":\"i\",\"selector\":\"s\",\"source\":"
                        "\"magic\",\"confidence\":0.5}"),
                 "entries[0].source: expected \"heuristic\" or \"llm\"");
    import_fails(c, DOC("{\"origin\":\"o\",\"route\":\"/\",\"kind\":\"k\","
                        "\"intent\":\"i\",\"selector\":\"s\",\"source\":"
                        "\"llm\",\"confidence\":1.01}"),
                 "entries[0].confidence: expected a number in [0, 1]");
    import_fails(c, DOC("{\"origin\":\"o\",\"route\":\"/\",\"kind\":\"k\","
                        "\"intent\":\"i\",\"selector\":\"s\",\"source\":"
                        "\"llm\",\"confidence\":1,\"successes\":-1}"),
                 "entries[0].successes: expected a non-negative integer");
    import_fails(c, DOC("{\"origin\":\"o\",\"route\":\"/\",\"kind\":\"k\","
                        "\"intent\":\"i\",\"selector\":\"s\",\"source\":"
                        "\"llm\",\"confidence\":1,\"color\":\"red\"}"),
                 "entries[0]: unknown key \"color\"");
    import_fails(c, DOC("{\"route\":\"/\",\"kind\":\"k\","
                        "\"intent\":\"i\",\"selector\":\"s\",\"source\":"
                        "\"llm\",\"confidence\":1}"),
                 "entries[0].origin: expected a non-empty string");
    import_fails(c, DOC("3"), "entries[0]: expected an object");
    /* A NUL would cut the selector short ("#a"): refused, escaped or raw. */
    import_fails(c, DOC(ENTRY(0, "\"#a\\u0000b\"")),
                 "document: line 1, column 131: NUL character");
    {
        static const char raw[] = DOC(ENTRY(0, "\"#a\0b\""));
        char err[512] = "";

        CHECK_INT(cache_import(c, raw, sizeof raw - 1, NULL, err,
                               sizeof err), CACHE_E_INPUT);
        CHECK_CONTAINS(err, "document: line 1, column 131: NUL character");
    }
    /* Nothing from the failed documents was written. */
    CHECK_INT(cache_stats(c, &st), CACHE_OK);
    CHECK_INT(st.entries, 0);
    cache_close(c);
}

static void test_export_import(void)
{
    struct cache *a = open_new("exp-a.db"), *b = open_new("exp-b.db");
    struct cache_key k = {"http://a.test", "/p/:n", "click",
                          "target number 2"};
    struct cache_entry e;
    char *doc, err[256] = "";
    cache_code rc;
    int64_t n = -1;

    if (!a || !b)
        goto out;
    fill_sample(a);
    CHECK_INT(cache_hit_ok(a, &k), CACHE_OK);      /* successes 2 here */
    doc = capture(a, 3, NULL, 0, &rc);
    CHECK_INT(rc, CACHE_OK);
    CHECK(doc && !strncmp(doc, "{\"cdpilot_cache\":1,\"schema_version\":3,",
                          38));
    /* B has the same key with a different selector and 1 success: the
     * imported row (2 successes) wins; another key with more local
     * successes stays. */
    CHECK_INT(cache_put(b, &k, "#local", NULL, "llm", 0.9, 0), CACHE_OK);
    k.intent = "target number 4";
    CHECK_INT(cache_put(b, &k, "#keep", NULL, "llm", 0.9, 0), CACHE_OK);
    CHECK_INT(cache_hit_ok(b, &k), CACHE_OK);
    CHECK_INT(cache_import(b, doc, strlen(doc), &n, err, sizeof err),
              CACHE_OK);
    CHECK_INT(n, 5);
    CHECK_INT(cache_lookup(b, &k, &e), CACHE_OK);
    CHECK_STR(e.selector, "#keep");
    cache_entry_clear(&e);
    k.intent = "target number 2";
    CHECK_INT(cache_lookup(b, &k, &e), CACHE_OK);
    CHECK_STR(e.selector, "#t");
    CHECK_INT(e.successes, 2);
    CHECK_STR(e.fingerprint, "{\"tag\":\"a\"}");
    cache_entry_clear(&e);
    /* Importing the same document again changes nothing. */
    CHECK_INT(cache_import(b, doc, strlen(doc), &n, err, sizeof err),
              CACHE_OK);
    CHECK_INT(n, 0);
    free(doc);
out:
    cache_close(a);
    cache_close(b);
}

/* ---- runs --------------------------------------------------------------- */

static void test_runs(void)
{
    struct cache *c = open_new("runs.db");
    struct cache_run r;
    struct cache_stats st;

    if (!c)
        return;
    CHECK_INT(cache_run_get(c, "r1", &r), CACHE_MISS);
    CHECK(r.run_id == NULL);
    CHECK_INT(cache_run_begin(c, "r1", "login works", "sha256:ab"),
              CACHE_OK);
    CHECK_INT(cache_run_begin(c, "r1", "login works", "sha256:ab"),
              CACHE_E_INPUT);
    CHECK_CONTAINS(cache_errmsg(c), "already exists");
    CHECK_INT(cache_run_get(c, "r1", &r), CACHE_OK);
    CHECK_STR(r.status, "running");
    CHECK_INT(r.next_step, 0);
    CHECK_STR(r.vars_json, "{}");
    CHECK_STR(r.task_name, "login works");
    CHECK_STR(r.task_hash, "sha256:ab");
    CHECK(r.started_ms > 0 && r.updated_ms == r.started_ms);
    cache_run_clear(&r);
    CHECK_INT(cache_run_step(c, "r1", 0, "{\"user\":\"alice\"}"), CACHE_OK);
    CHECK_INT(cache_run_step(c, "r1", 1, "{\"user\":\"alice\",\"b\":\"7\"}"),
              CACHE_OK);
    CHECK_INT(cache_run_finish(c, "r1", "interrupted"), CACHE_OK);
    CHECK_INT(cache_run_get(c, "r1", &r), CACHE_OK);
    CHECK_INT(r.next_step, 2);
    CHECK_STR(r.vars_json, "{\"user\":\"alice\",\"b\":\"7\"}");
    CHECK_STR(r.status, "interrupted");
    cache_run_clear(&r);
    CHECK_INT(cache_run_step(c, "r1", 2, NULL), CACHE_OK);
    CHECK_INT(cache_run_get(c, "r1", &r), CACHE_OK);
    CHECK_STR(r.status, "running");
    CHECK_STR(r.vars_json, "{}");
    CHECK_INT(r.next_step, 3);
    cache_run_clear(&r);
    CHECK_INT(cache_run_finish(c, "r1", "passed"), CACHE_OK);
    CHECK_INT(cache_run_finish(c, "r1", "done"), CACHE_E_INPUT);
    CHECK_INT(cache_run_finish(c, "nope", "passed"), CACHE_MISS);
    CHECK_INT(cache_run_step(c, "nope", 0, "{}"), CACHE_MISS);
    CHECK_INT(cache_run_step(c, "r1", -1, "{}"), CACHE_E_INPUT);
    CHECK_INT(cache_run_begin(c, "", "t", "h"), CACHE_E_INPUT);
    CHECK_INT(cache_stats(c, &st), CACHE_OK);
    CHECK_INT(st.runs, 1);
    /* A checkpoint survives closing and reopening. */
    cache_close(c);
    c = open_new("runs.db");
    if (!c)
        return;
    CHECK_INT(cache_run_get(c, "r1", &r), CACHE_OK);
    CHECK_STR(r.status, "passed");
    CHECK_INT(r.next_step, 3);
    cache_run_clear(&r);
    cache_close(c);
}

/* ---- the default path ---------------------------------------------------- */

static void test_default_path(void)
{
    char p[512], want[512], err[512] = "";
    struct cache *c = NULL;
    struct stat sb;

    setenv("XDG_CACHE_HOME", tmpdir, 1);
    CHECK_STR(cache_default_path(p, sizeof p),
              (snprintf(want, sizeof want, "%s/cdpilot/cache.db", tmpdir),
               want));
    setenv("XDG_CACHE_HOME", "relative/ignored", 1);
    setenv("HOME", tmpdir, 1);
    snprintf(want, sizeof want, "%s/.cache/cdpilot/cache.db", tmpdir);
    CHECK_STR(cache_default_path(p, sizeof p), want);
    umask(0);                               /* must not widen anything */
    CHECK_INT(cache_open(NULL, 0, &c, err, sizeof err), CACHE_OK);
    umask(022);
    CHECK_STR(cache_path(c), want);
    CHECK(stat(want, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    snprintf(want, sizeof want, "%s/.cache/cdpilot", tmpdir);
    CHECK(stat(want, &sb) == 0 && (sb.st_mode & 0777) == 0700);
    snprintf(want, sizeof want, "%s/.cache", tmpdir);
    CHECK(stat(want, &sb) == 0 && (sb.st_mode & 0777) == 0700);
    cache_close(c);
    CHECK_STR(cache_strerror(CACHE_E_NEWER),
              "cache database is from a newer cdpilot");
    CHECK_STR(cache_strerror(CACHE_LAST), "unknown cache error");
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_route_shape();
    test_normalize();
    test_lookup_put();
    test_deferred();
    test_bad_args();
    test_printers();
    test_forget_prune();
    test_import_validation();
    test_export_import();
    test_runs();
    test_default_path();
    ut_rm_rf(tmpdir);
    return T_DONE();
}
