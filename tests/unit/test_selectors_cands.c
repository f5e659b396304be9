/* test_selectors_cands.c -- the candidate record parser (sel_cands_parse):
 * a good document, defaults for missing fields, flags, malformed and hostile
 * documents (must fail cleanly or cap, never crash); and the record mirror
 * (sel_mirror_parse): answers that refer to kept records and strings read
 * as the whole document would, and answers out of step are refused; the
 * records of cross-origin frames merged into the top's (sel__cands_merge). */
#include "../t.h"
#include "../../selectors/sel.h"
#include "../../selectors/sel_int.h"
#include "../../util/util.h"

#include <stdlib.h>
#include <string.h>

static int parse(const char *doc, struct sel_cands *cs, char *err,
                 size_t errlen)
{
    return sel_cands_parse(doc, strlen(doc), cs, err, errlen);
}

static void test_good(void)
{
    const char *doc =
        "{\"v\":1,\"url\":\"https://a.test/login\",\"title\":\"Sign in\","
        "\"n\":3,\"ms\":2.5,\"cands\":["
        "{\"i\":0,\"tag\":\"label\",\"text\":\"Email\",\"fl\":\"vel\","
        "\"for\":1,\"box\":[10,20,100,16],\"region\":\"main form\","
        "\"form\":\"#login\",\"grp\":7},"
        "{\"i\":1,\"tag\":\"input\",\"role\":\"textbox\",\"name\":\"Email\","
        "\"label\":\"Email\",\"ph\":\"you@x.test\",\"id\":\"email\","
        "\"nm\":\"email\",\"type\":\"email\",\"fl\":\"vewsfo\",\"in\":0,"
        "\"near\":\"Email\",\"ctx\":\"row\",\"head\":\"Sign in\","
        "\"tid\":\"login-email\",\"cls\":\"form-control\",\"title\":\"t\","
        "\"aria\":\"a\",\"alt\":\"\",\"value\":\"v\"},"
        "{\"i\":2,\"tag\":\"button\",\"role\":\"button\",\"name\":\"Sign in\","
        "\"text\":\"Sign in\",\"fl\":\"veckp\",\"href\":\"/h\",\"future\":1,"
        "\"dst\":4242}"
        "]}";
    struct sel_cands cs;
    char err[128] = "";
    CHECK_INT(parse(doc, &cs, err, sizeof err), 0);
    CHECK_INT(cs.n, 3);
    CHECK_STR(cs.url, "https://a.test/login");
    CHECK_STR(cs.title, "Sign in");
    CHECK(cs.page_ms == 2.5);
    CHECK(cs.guess == NULL);                /* none sent */
    CHECK_STR(cs.c[0].tag, "label");
    CHECK_INT(cs.c[0].for_id, 1);
    CHECK_INT(cs.c[0].parent_id, -1);
    CHECK(cs.c[0].labelish && cs.c[0].visible && cs.c[0].enabled);
    CHECK(!cs.c[0].editable && !cs.c[0].clickable);
    CHECK(cs.c[0].x == 10 && cs.c[0].y == 20 && cs.c[0].w == 100 &&
          cs.c[0].h == 16);
    CHECK_STR(cs.c[0].region, "main form");
    CHECK_STR(cs.c[0].form, "#login");      /* issue 22: form and group */
    CHECK_INT(cs.c[0].group, 7);
    CHECK_STR(cs.c[1].form, "");
    CHECK_INT(cs.c[1].group, -1);
    CHECK_STR(cs.c[1].placeholder, "you@x.test");
    CHECK_STR(cs.c[1].id_attr, "email");
    CHECK_STR(cs.c[1].name_attr, "email");
    CHECK_STR(cs.c[1].testid, "login-email");
    CHECK_STR(cs.c[1].cls, "form-control");
    CHECK_STR(cs.c[1].heading, "Sign in");
    CHECK_STR(cs.c[1].context, "row");
    CHECK_STR(cs.c[1].near, "Email");
    CHECK_STR(cs.c[1].aria_label, "a");
    CHECK_STR(cs.c[1].value, "v");
    CHECK_INT(cs.c[1].parent_id, 0);
    CHECK(cs.c[1].editable && cs.c[1].in_shadow && cs.c[1].in_frame &&
          cs.c[1].obscured && !cs.c[1].pointer);
    CHECK(cs.c[2].clickable && cs.c[2].checked && cs.c[2].pointer);
    CHECK_STR(cs.c[2].href, "/h");
    CHECK_INT(cs.c[2].dest, 4242);          /* a link's destination */
    CHECK_INT(cs.c[1].dest, 0);             /* none */
    CHECK_INT(cs.c[2].id, 2);
    sel_cands_free(&cs);
    CHECK(cs.c == NULL && cs.n == 0);
    sel_cands_free(&cs);        /* twice is harmless */
    sel_cands_free(NULL);
}

static void test_defaults(void)
{
    struct sel_cands cs;
    char err[128];
    /* missing fields: "" strings, -1 relations, all flags off, id = index */
    CHECK_INT(parse("{\"v\":1,\"cands\":[{},{\"tag\":7,\"name\":null,"
                    "\"for\":\"x\",\"box\":\"no\",\"fl\":\"zz\"}]}", &cs,
                    err, sizeof err), 0);
    CHECK_INT(cs.n, 2);
    CHECK_STR(cs.c[0].tag, "");
    CHECK_STR(cs.c[0].name, "");
    CHECK_STR(cs.c[0].near, "");
    CHECK_STR(cs.c[0].region, "");
    CHECK_STR(cs.url, "");
    CHECK_STR(cs.title, "");
    CHECK_INT(cs.c[0].id, 0);
    CHECK_INT(cs.c[1].id, 1);
    CHECK_INT(cs.c[1].for_id, -1);
    CHECK_INT(cs.c[0].parent_id, -1);
    CHECK_INT(cs.c[0].group, -1);
    CHECK_STR(cs.c[0].form, "");
    CHECK(!cs.c[1].visible && !cs.c[1].enabled);
    CHECK(cs.c[1].w == 0);
    CHECK_STR(cs.c[1].tag, "");
    sel_cands_free(&cs);
    /* non-object entries are skipped */
    CHECK_INT(parse("{\"v\":1,\"cands\":[1,\"x\",null,{\"tag\":\"a\"}]}", &cs,
                    err, sizeof err), 0);
    CHECK_INT(cs.n, 1);
    CHECK_STR(cs.c[0].tag, "a");
    sel_cands_free(&cs);
    /* empty list */
    CHECK_INT(parse("{\"v\":1,\"cands\":[]}", &cs, err, sizeof err), 0);
    CHECK_INT(cs.n, 0);
    sel_cands_free(&cs);
}

static void test_malformed(void)
{
    static const char *const bad[] = {
        "", "{", "[]", "null", "{\"v\":1}", "{\"v\":2,\"cands\":[]}",
        "{\"cands\":[]}", "{\"v\":1,\"cands\":{}}", "{\"v\":\"1\",\"cands\":[]}",
        "{\"v\":1,\"cands\":[{\"tag\":\"a\"}", "\xff\xfe",
        "{\"v\":1,\"strs\":\"array!\",\"cands\":[]}", NULL
    };
    struct sel_cands cs;
    char err[128];
    int i;
    for (i = 0; bad[i]; i++) {
        err[0] = '\0';
        CHECK_MSG(parse(bad[i], &cs, err, sizeof err) == -1, "doc %d", i);
        CHECK_MSG(err[0] != '\0', "doc %d has no message", i);
        CHECK(cs.c == NULL && cs.n == 0);
        sel_cands_free(&cs);
    }
    CHECK_INT(sel_cands_parse(NULL, 0, &cs, err, sizeof err), -1);
    CHECK_CONTAINS(err, "empty");
}

static void test_hostile(void)
{
    struct sel_cands cs;
    char err[128];
    ut_buf b;
    size_t i;
    /* a huge string is cut to 2000 bytes on a UTF-8 boundary */
    ut_buf_init(&b, UT_MAX_TEXT);
    ut_buf_adds(&b, "{\"v\":1,\"cands\":[{\"name\":\"");
    for (i = 0; i < 100000; i++)
        ut_buf_adds(&b, "\\u00e9");           /* 2 bytes each in UTF-8 */
    ut_buf_adds(&b, "\",\"text\":\"ok\"}]}");
    CHECK_INT(sel_cands_parse(b.p, b.len, &cs, err, sizeof err), 0);
    CHECK_INT(cs.n, 1);
    CHECK(strlen(cs.c[0].name) <= 2000);
    CHECK(strlen(cs.c[0].name) % 2 == 0);
    CHECK_STR(cs.c[0].text, "ok");
    sel_cands_free(&cs);
    ut_buf_free(&b);
    /* more than 5000 records: capped, no error */
    ut_buf_init(&b, UT_MAX_TEXT);
    ut_buf_adds(&b, "{\"v\":1,\"cands\":[");
    for (i = 0; i < 6000; i++)
        ut_buf_addf(&b, "%s{\"i\":%zu,\"tag\":\"div\"}", i ? "," : "", i);
    ut_buf_adds(&b, "]}");
    CHECK_INT(sel_cands_parse(b.p, b.len, &cs, err, sizeof err), 0);
    CHECK_INT(cs.n, 5000);
    CHECK_INT(cs.c[4999].id, 4999);
    sel_cands_free(&cs);
    ut_buf_free(&b);
    /* deep nesting and odd numbers */
    ut_buf_init(&b, UT_MAX_TEXT);
    ut_buf_adds(&b, "{\"v\":1,\"x\":");
    for (i = 0; i < 2000; i++)
        ut_buf_adds(&b, "[");
    for (i = 0; i < 2000; i++)
        ut_buf_adds(&b, "]");
    ut_buf_adds(&b, ",\"cands\":[{\"i\":1e300,\"for\":-5,\"box\":[1e999,"
                "\"a\",null,4,5,6]}]}");
    i = (size_t)sel_cands_parse(b.p, b.len, &cs, err, sizeof err);
    if (i == 0) {
        CHECK_INT(cs.c[0].id, 0);        /* out of range: the index */
        CHECK_INT(cs.c[0].for_id, -1);
        CHECK(cs.c[0].h == 4);
    } else {
        CHECK(err[0] != '\0');           /* cJSON's nesting limit */
    }
    sel_cands_free(&cs);
    ut_buf_free(&b);
    /* the length argument is honoured (no terminator needed) */
    CHECK_INT(sel_cands_parse("{\"v\":1,\"cands\":[]}garbage", 18, &cs, err,
                              sizeof err), 0);
    sel_cands_free(&cs);
}

static int mparse(struct sel_mirror *m, const char *doc, struct sel_cands *cs,
                  char *err, size_t errlen)
{
    return sel_mirror_parse(m, doc, strlen(doc), cs, err, errlen);
}

/* The mirror's option object as text (what the collector is told). */
static char *mopts(const struct sel_mirror *m)
{
    cJSON *o = sel_mirror_opts(m);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

static void test_mirror(void)
{
    /* answer 1: two records in full, two table strings */
    const char *a1 =
        "{\"v\":1,\"url\":\"u\",\"title\":\"t\",\"ms\":1,\"gen\":\"g1\","
        "\"seq\":1,\"sbase\":0,\"strs\":[\"main\",\"card A\"],\"cands\":["
        "{\"i\":4,\"tag\":\"button\",\"name\":\"Add\",\"region\":0,"
        "\"ctx\":1,\"fl\":\"vec\"},"
        "{\"i\":9,\"tag\":\"a\",\"name\":\"Details\",\"region\":0,"
        "\"fl\":\"vc\"}]}";
    /* answer 2: record 4 unchanged (its id), 9 changed, 12 new, one more
     * string */
    const char *a2 =
        "{\"v\":1,\"url\":\"u\",\"title\":\"t\",\"ms\":2,\"gen\":\"g1\","
        "\"seq\":2,\"sbase\":2,\"strs\":[\"card B\"],\"cands\":["
        "4,{\"i\":9,\"tag\":\"a\",\"name\":\"More\",\"ctx\":2,\"fl\":\"v\"},"
        "{\"i\":12,\"tag\":\"input\",\"name\":\"Qty\",\"ctx\":1,"
        "\"fl\":\"vew\"}],\"guess\":{\"ok\":true,\"i\":12,\"h\":3,"
        "\"sel\":\"css=#q\"}}";
    struct sel_mirror *m = sel_mirror_new();
    struct sel_cands cs;
    char err[160] = "", *o;

    CHECK(m != NULL);
    if (!m)
        return;
    o = mopts(m);
    CHECK_STR(o, "{\"gen\":\"\",\"seq\":0,\"ns\":0}");
    free(o);
    CHECK_INT(mparse(m, a1, &cs, err, sizeof err), 0);
    CHECK_INT(cs.n, 2);
    CHECK_STR(cs.c[0].region, "main");
    CHECK_STR(cs.c[0].context, "card A");
    sel_cands_free(&cs);
    o = mopts(m);
    CHECK_STR(o, "{\"gen\":\"g1\",\"seq\":1,\"ns\":2}");
    free(o);

    CHECK_INT(mparse(m, a2, &cs, err, sizeof err), 0);
    CHECK_INT(cs.n, 3);
    CHECK_INT(sel_mirror_records(m), 3);
    CHECK_INT(cs.c[0].id, 4);               /* kept, as sent in answer 1 */
    CHECK_STR(cs.c[0].name, "Add");
    CHECK_STR(cs.c[0].context, "card A");
    CHECK(cs.c[0].clickable && cs.c[0].enabled);
    CHECK_INT(cs.c[1].id, 9);               /* replaced */
    CHECK_STR(cs.c[1].name, "More");
    CHECK_STR(cs.c[1].context, "card B");
    CHECK_STR(cs.c[1].region, "");
    CHECK(!cs.c[1].clickable);
    CHECK_INT(cs.c[2].id, 12);
    CHECK(cs.c[2].editable);
    /* one copy per table string, however many records refer to it (the
     * scorer tokenises a pointer once) */
    CHECK(cs.c[2].context == cs.c[0].context);
    CHECK(cs.page_ms == 2);
    CHECK_STR(cs.url, "u");
    /* the guess, a copy owned by CS (the answer's tree is gone) */
    CHECK(cs.guess != NULL &&
          cJSON_GetObjectItem(cs.guess, "i")->valueint == 12 &&
          strcmp(cJSON_GetObjectItem(cs.guess, "sel")->valuestring,
                 "css=#q") == 0);
    sel_cands_free(&cs);
    CHECK(cs.guess == NULL);

    /* the same answer again is out of step (seq 2 after 2) */
    CHECK_INT(mparse(m, a2, &cs, err, sizeof err), -1);
    CHECK(strstr(err, "out of step") != NULL);
    CHECK(cs.c == NULL && cs.n == 0);
    CHECK_INT(sel_mirror_records(m), 0);    /* emptied: start over */
    o = mopts(m);
    CHECK_STR(o, "{\"gen\":\"\",\"seq\":0,\"ns\":0}");
    free(o);

    /* answers refused after a1 was taken: each empties the mirror */
    {
        static const struct {
            const char *doc, *why;
        } refused[] = {
            /* another generation that claims kept state */
            {"{\"v\":1,\"gen\":\"g2\",\"seq\":2,\"sbase\":2,\"cands\":[4]}",
             "out of step"},
            /* a reference to a record never sent */
            {"{\"v\":1,\"gen\":\"g1\",\"seq\":2,\"sbase\":2,"
             "\"cands\":[4,7]}", "record 7"},
            /* a record listed twice (would free one still in use) */
            {"{\"v\":1,\"gen\":\"g1\",\"seq\":2,\"sbase\":2,"
             "\"cands\":[4,{\"i\":4,\"tag\":\"b\"}]}", "twice"},
            {"{\"v\":1,\"gen\":\"g1\",\"seq\":1,\"sbase\":0,\"cands\":["
             "{\"i\":3,\"tag\":\"b\"},{\"i\":3,\"tag\":\"c\"}]}", "twice"},
            /* a string table that does not continue the kept one */
            {"{\"v\":1,\"gen\":\"g1\",\"seq\":2,\"sbase\":5,\"cands\":[4]}",
             "out of step"},
            {"{\"v\":1,\"gen\":\"g3\",\"seq\":1,\"sbase\":3,\"cands\":[]}",
             "string table"},
            /* a full record without its id */
            {"{\"v\":1,\"gen\":\"g1\",\"seq\":1,\"sbase\":0,"
             "\"cands\":[{\"tag\":\"b\"}]}", "\"i\""},
            /* no sequence number */
            {"{\"v\":1,\"gen\":\"g1\",\"sbase\":2,\"cands\":[4]}", "\"seq\""},
        };
        size_t k;
        for (k = 0; k < sizeof refused / sizeof refused[0]; k++) {
            /* a page that starts over (seq 1) is taken whatever came
             * before */
            CHECK_INT(mparse(m, a1, &cs, err, sizeof err), 0);
            sel_cands_free(&cs);
            CHECK_INT(mparse(m, refused[k].doc, &cs, err, sizeof err), -1);
            CHECK_MSG(strstr(err, refused[k].why) != NULL,
                      "answer %zu: \"%s\" not in \"%s\"", k, refused[k].why,
                      err);
            CHECK(cs.c == NULL && cs.n == 0);
            CHECK_INT(sel_mirror_records(m), 0);
        }
    }
    /* a whole (unmirrored) document is parsed as sel_cands_parse does,
     * and empties the mirror */
    CHECK_INT(mparse(m, a1, &cs, err, sizeof err), 0);
    sel_cands_free(&cs);
    CHECK_INT(mparse(m, "{\"v\":1,\"strs\":[\"x\"],\"cands\":[{\"i\":0,"
                     "\"tag\":\"p\",\"ctx\":0}]}", &cs, err, sizeof err), 0);
    CHECK_INT(cs.n, 1);
    CHECK_STR(cs.c[0].context, "x");
    CHECK_INT(sel_mirror_records(m), 0);
    sel_cands_free(&cs);
    CHECK_INT(mparse(m, "{\"v\":2,\"cands\":[]}", &cs, err, sizeof err), -1);
    sel_mirror_free(m);
    sel_mirror_free(NULL);
}

/* Frames' records join the top's: ids and the ids they refer to move by
 * the realm's base, strings stay readable after the frames' documents
 * are gone, and a third realm joins as the second did. */
static void test_merge(void)
{
    const char *top =
        "{\"v\":1,\"url\":\"http://a.test/\",\"title\":\"Shop\",\"cands\":["
        "{\"i\":0,\"tag\":\"button\",\"name\":\"Pay later\",\"fl\":\"vec\"}]}";
    const char *frame =
        "{\"v\":1,\"url\":\"http://b.test/pay\",\"cands\":["
        "{\"i\":0,\"tag\":\"label\",\"text\":\"Card number\",\"for\":1,"
        "\"grp\":2,\"dst\":5,\"fl\":\"vel\"},"
        "{\"i\":1,\"tag\":\"input\",\"name\":\"Card number\",\"fl\":\"vew\","
        "\"in\":0}]}";
    struct sel_cands cs, fc, fc2;
    char err[128] = "";
    int b = SEL__FRAME_IDS;

    CHECK_INT(parse(top, &cs, err, sizeof err), 0);
    CHECK_INT(parse(frame, &fc, err, sizeof err), 0);
    CHECK_INT(sel__cands_merge(&cs, &fc, b), 0);
    CHECK_INT(fc.n, 0);
    CHECK(fc.c == NULL);
    CHECK_INT(cs.n, 3);
    CHECK_STR(cs.title, "Shop");
    CHECK_STR(cs.c[0].name, "Pay later");
    CHECK_INT(cs.c[0].id, 0);
    CHECK_INT(cs.c[0].in_frame, 0);
    CHECK_INT(cs.c[1].id, b);
    CHECK_INT(cs.c[1].for_id, b + 1);
    CHECK_INT(cs.c[1].group, b + 2);
    CHECK_INT(cs.c[1].dest, b + 5);
    CHECK_INT(cs.c[1].in_frame, 1);
    CHECK_STR(cs.c[1].text, "Card number");
    CHECK_INT(cs.c[2].id, b + 1);
    CHECK_INT(cs.c[2].parent_id, b);
    CHECK_INT(cs.c[2].for_id, -1);
    CHECK_INT(cs.c[2].group, -1);
    CHECK_STR(cs.c[2].name, "Card number");
    CHECK_INT(parse(frame, &fc2, err, sizeof err), 0);
    CHECK_INT(sel__cands_merge(&cs, &fc2, 2 * b), 0);
    CHECK_INT(cs.n, 5);
    CHECK_INT(cs.c[4].id, 2 * b + 1);
    CHECK_STR(cs.c[1].text, "Card number");
    CHECK_STR(cs.c[4].name, "Card number");
    sel_cands_free(&cs);
    sel_cands_free(&cs);
}

int main(void)
{
    test_good();
    test_defaults();
    test_malformed();
    test_hostile();
    test_mirror();
    test_merge();
    return T_DONE();
}
