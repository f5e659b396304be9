/* test_selectors_fit.c -- the fit words a cache hit must still show
 * (sel_fit_words, sel_fit_fingerprint): the intent's words found around
 * the element, as whole words, without the name's words, filler,
 * repeats; folded as the page folds; bounded; hostile fingerprints. */
#include "../t.h"
#include "../../selectors/sel.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static void check_words(const char *intent, const char *near,
                        const char *name, const char *want)
{
    char *w = sel_fit_words(intent, near, name);
    CHECK_STR(w, want);
    free(w);
}

static void test_words(void)
{
    /* an unlabelled field: its label cell's words */
    check_words("First name firstname", "first name", "", "first name");
    /* a row's button: the name is checked anyway, the row is not */
    check_words("Delete for Alice", "delete alice alice delete", "Delete",
                "alice");
    /* whole words only: "last" is not in "lastly", "name" not in "names" */
    check_words("last name", "lastly names", "", "");
    /* folded as the page folds: case, punctuation, hyphens */
    check_words("E-mail ADDRESS:", "e mail address", "", "mail address");
    /* filler and one-letter words say nothing */
    check_words("the a to of for in on at and or x email", "the a to of for "
                "in on at and or x email", "", "email");
    /* repeats once, intent order */
    check_words("name name first name", "first name", "", "name first");
    /* words the page does not show are not required */
    check_words("the SQL query box", "query", "", "query");
    check_words("", "anything", "", "");
    check_words("anything", "", "", "");
    check_words(NULL, NULL, NULL, "");
    /* the name excludes in folded form ("Log-in" is "log in") */
    check_words("log in now", "log in now", "Log-in", "now");
    /* bytes of other scripts stay in a word */
    check_words("Straße öffnen", "straße öffnen", "", "straße öffnen");
}

static void test_bounded(void)
{
    char intent[4096], near[4096], *w;
    size_t i, o = 0;

    /* many distinct words: kept to a bound, never a cut word */
    for (i = 0; i < 400 && o + 12 < sizeof intent; i++)
        o += (size_t)snprintf(intent + o, sizeof intent - o, "w%03zu ", i);
    memcpy(near, intent, o + 1);
    w = sel_fit_words(intent, near, "");
    CHECK(w && strlen(w) <= 256 && strlen(w) > 200);
    CHECK(w && w[strlen(w) - 1] != ' ' && strlen(w) % 5 == 4);
    free(w);
    /* one word longer than a word can be: skipped */
    memset(intent, 'a', 300);
    intent[300] = '\0';
    w = sel_fit_words(intent, intent, "");
    CHECK_STR(w, "");
    free(w);
}

static void test_fingerprint(void)
{
    char *fp;
    cJSON *j;

    fp = sel_fit_fingerprint("{\"tag\":\"input\",\"role\":\"textbox\","
                             "\"name\":\"\",\"near\":\"first name\"}",
                             "First name");
    j = cJSON_Parse(fp);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "fit")),
              "first name");
    CHECK(cJSON_GetObjectItem(j, "near") == NULL);
    CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "tag")), "input");
    cJSON_Delete(j);
    free(fp);
    /* nothing fits: no "fit", and no page words kept either */
    fp = sel_fit_fingerprint("{\"tag\":\"button\",\"name\":\"Save\","
                             "\"near\":\"save secret words\"}", "Save");
    CHECK(fp && !strstr(fp, "fit") && !strstr(fp, "secret"));
    free(fp);
    /* an old "fit" is replaced, a missing "near" means none */
    fp = sel_fit_fingerprint("{\"tag\":\"a\",\"fit\":\"old\"}", "old");
    CHECK(fp && !strstr(fp, "old"));
    free(fp);
    /* "near" not a string, and not an object at all */
    fp = sel_fit_fingerprint("{\"near\":5}", "x");
    CHECK(fp && !strstr(fp, "near") && !strstr(fp, "fit"));
    free(fp);
    CHECK(sel_fit_fingerprint("[1,2]", "x") == NULL);
    CHECK(sel_fit_fingerprint("not json", "x") == NULL);
    CHECK(sel_fit_fingerprint(NULL, "x") == NULL);
    CHECK(sel_fit_fingerprint("", NULL) == NULL);
}

int main(void)
{
    test_words();
    test_bounded();
    test_fingerprint();
    return T_DONE();
}
