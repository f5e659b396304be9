/* test_runner_secret.c -- the process's secret list: a secret is found
 * raw and in the forms URLs, JSON and HTML write it, and redacted as
 * "***" in strings and in whole JSON trees. */
#include "../t.h"
#include "../../runner/run_int.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

static void check_redacts(const char *in, const char *want)
{
    char *r = run_redact(in);
    CHECK_STR(r, want);
    free(r);
}

static void test_forms(void)
{
    CHECK_INT(run_secret_any(), 0);
    check_redacts("nothing to hide", "nothing to hide");
    CHECK_INT(run_secret_add("s3cret v@l\"x&y"), 0);
    CHECK_INT(run_secret_add("s3cret v@l\"x&y"), 0);      /* once */
    CHECK_INT(run_secret_add("ab"), 0);                   /* too short: */
    check_redacts("ab", "ab");                            /* not kept */
    check_redacts("pw=s3cret v@l\"x&y!", "pw=***!");
    check_redacts("?t=s3cret%20v%40l%22x%26y", "?t=***");        /* component */
    check_redacts("?t=s3cret+v%40l%22x%26y", "?t=***");          /* form */
    check_redacts("?t=s3cret%20v@l%22x&y#", "?t=***#");          /* browser */
    check_redacts("{\"title\":\"s3cret v@l\\\"x&y\"}", "{\"title\":\"***\"}");
    check_redacts("\"P.fill(\\\"s3cret v@l\\\\\\\"x&y\\\")\"",
                  "\"P.fill(\\\"***\\\")\"");                    /* JSON in JSON */
    check_redacts("<p>s3cret v@l\"x&amp;y</p>", "<p>***</p>");   /* HTML text */
    check_redacts("<a title=\"s3cret v@l&quot;x&amp;y\">", "<a title=\"***\">");
    CHECK(run_secret_in("xx s3cret v@l\"x&y", 18));
    CHECK(!run_secret_in("xx s3cret v@l", 13));
}

static void test_longest_first(void)
{
    CHECK_INT(run_secret_add("tokenABC"), 0);
    CHECK_INT(run_secret_add("tokenABCDEF"), 0);
    check_redacts("a tokenABCDEF b tokenABC", "a *** b ***");
}

static void test_json(void)
{
    cJSON *j = cJSON_Parse("{\"url\":\"http://h/?t=tokenABC\",\"a\":[1,"
                           "\"x tokenABCDEF\",{\"tokenABC\":\"k\"}]}");
    char *s;

    run_redact_json(j);
    s = cJSON_PrintUnformatted(j);
    CHECK_STR(s, "{\"url\":\"http://h/?t=***\",\"a\":[1,\"x ***\","
                 "{\"***\":\"k\"}]}");
    free(s);
    cJSON_Delete(j);
}

static void test_full(void)
{
    char v[32];
    int i, rc = 0;

    run_secret_reset();
    CHECK_INT(run_secret_any(), 0);
    for (i = 0; i < RUN__MAX_SECRETS; i++) {
        snprintf(v, sizeof v, "secret-%03d", i);
        rc |= run_secret_add(v);
    }
    CHECK_INT(rc, 0);
    CHECK_INT(run_secret_add("one-too-many"), -1);   /* said, not dropped */
    CHECK_INT(run_secret_add("secret-007"), 0);      /* known already */
    check_redacts("secret-063", "***");
    run_secret_reset();
}

/* Out of memory while a secret's forms are made: either run_secret_add
 * says so (the caller refuses to go on), or every form is redacted; never
 * a silent 0 with a form missing, which would print the secret as a URL
 * or JSON writes it. Each allocation in turn fails. */
static void test_out_of_memory(void)
{
    static const char *const forms[] = {
        "oom s3cret v@l\"x&y", "oom%20s3cret%20v%40l%22x%26y",
        "oom+s3cret+v%40l%22x%26y", "oom s3cret v@l\\\"x&y",
        "oom s3cret v@l&quot;x&amp;y", "oom s3cret v@l\"x&amp;y" };
    size_t k;
    long n;
    int rc, bad = 0;

    for (n = 1; n <= 40; n++) {
        run_secret_reset();
        ut_alloc_fail_after(n);
        rc = run_secret_add("oom s3cret v@l\"x&y");
        ut_alloc_fail_after(0);
        for (k = 0; rc == 0 && k < sizeof forms / sizeof *forms; k++)
            if (!run_secret_in(forms[k], strlen(forms[k]))) {
                bad++;
                fprintf(stderr, "allocation %ld failed: 0, but \"%s\" is "
                        "not redacted\n", n, forms[k]);
            }
    }
    CHECK_INT(bad, 0);

    /* a key holding a secret that cannot be redacted for want of memory
     * is written as stars */
    {
        cJSON *j = cJSON_Parse("{\"oom-key-secret\":1}");
        char *t;
        CHECK_INT(run_secret_add("oom-key-secret"), 0);
        ut_alloc_fail_after(1);
        run_redact_json(j);
        ut_alloc_fail_after(0);
        t = cJSON_PrintUnformatted(j);
        CHECK_STR(t, "{\"**************\":1}");
        free(t);
        cJSON_Delete(j);
    }
    run_secret_reset();
}

/* An endpoint's token (browserless: ?token=T) and a URL's password. */
static void test_url(void)
{
    CHECK_INT(run_secret_add_url("ws://127.0.0.1:3000?token=tok3n&x=1"), 0);
    CHECK_INT(run_secret_add_url("ws://u:pa55@grid:4444/path?a=bcd#f=ghij"),
              0);
    CHECK_INT(run_secret_add_url("no url"), 0);
    check_redacts("ws://127.0.0.1:3000/?token=tok3n&x=1",
                  "ws://127.0.0.1:3000/?token=***&x=1");
    check_redacts("u:pa55@grid bcd ghij", "u:***@grid *** ghij");
    run_secret_reset();
}

int main(void)
{
    test_forms();
    test_longest_first();
    test_json();
    test_full();
    test_out_of_memory();
    test_url();
    return T_DONE();
}
