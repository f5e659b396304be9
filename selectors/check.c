/* check.c -- what an assert expects of an element, the title, the
 * page's text or URL, or a count, polled until it holds or the time is
 * up (sel_wait_check): each look reads the actual value once (the page
 * script's P.probe for an element) and compares it here, exactly or by
 * PCRE2 regex, negated or not, so a failure says expected and actual. */
#include "sel.h"
#include "sel_int.h"
#include "../cdp/cdp.h"
#include "../util/util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_POLL_MS 50
#define CHECK_SHOW    200     /* characters of a value a message quotes */

/* One look: the actual value as a string into *OUT (caller's; NULL for
 * an absent attribute), or SEL_E_NOTFOUND when the element left. */
static sel_code look(struct sel_page *p, const struct sel_result *r,
                     const struct sel_check *c, int timeout_ms, char **out,
                     char *err, size_t errlen)
{
    cJSON *v = NULL, *args;
    const cJSON *x;
    sel_code rc;
    long n;

    *out = NULL;
    switch (c->what) {
    case SEL_CHECK_TITLE:
        rc = sel_eval(p, "document.title", 0, timeout_ms, &v, err, errlen);
        if (rc == SEL_OK)
            *out = ut_strdup(cJSON_IsString(v) ? v->valuestring : "");
        break;
    case SEL_CHECK_URL:
        return (*out = ut_strdup(sel_page_url(p))) ? SEL_OK : SEL_E_NOMEM;
    case SEL_CHECK_COUNT:
        rc = sel_count(p, c->label, timeout_ms, &n, err, errlen);
        if (rc == SEL_OK) {
            char num[32];
            snprintf(num, sizeof num, "%ld", n);
            *out = ut_strdup(num);
        }
        return rc || *out ? rc : SEL_E_NOMEM;
    case SEL_CHECK_PAGE_TEXT:
        args = cJSON_CreateArray();
        cJSON_AddItemToArray(args, cJSON_CreateString(c->want));
        rc = sel_eval_call(p, "hasText", args, 0, timeout_ms, &v, err,
                           errlen);
        if (rc == SEL_OK)
            *out = ut_strdup(cJSON_IsTrue(v) ? "true" : "false");
        break;
    default:
        args = cJSON_CreateArray();
        cJSON_AddItemToArray(args, cJSON_CreateNumber(r->handle));
        cJSON_AddItemToArray(args, cJSON_CreateString(
            c->what == SEL_CHECK_TEXT ? "text" : c->what == SEL_CHECK_VALUE ?
            "value" : c->what == SEL_CHECK_ATTR ? "attribute" : "state"));
        cJSON_AddItemToArray(args, cJSON_CreateString(c->name ? c->name
                                                              : ""));
        rc = sel_eval_call(p, "probe", args, 0, timeout_ms, &v, err,
                           errlen);
        if (rc)
            break;
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "gone"))) {
            cJSON_Delete(v);
            return ut_err(err, errlen, SEL_E_NOTFOUND, "the element left "
                          "the page");
        }
        x = cJSON_GetObjectItemCaseSensitive(v, "v");
        if (cJSON_IsString(x))
            *out = ut_strdup(x->valuestring);
        else if (cJSON_IsBool(x))
            *out = ut_strdup(cJSON_IsTrue(x) ? "true" : "false");
        else
            *out = NULL;                         /* absent attribute */
        cJSON_Delete(v);
        return SEL_OK;
    }
    cJSON_Delete(v);
    if (rc == SEL_OK && !*out)
        return ut_err(err, errlen, SEL_E_NOMEM, "out of memory");
    return rc;
}

/* A locate answer's first look for a check (PV: P.probe()'s answer,
 * taken as the element was found) into R. */
void sel__take_probe(struct sel_result *r, const cJSON *pv)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(pv, "v");

    free(r->probe_value);
    r->probe_value = NULL;
    r->probed = cJSON_IsObject(pv) && x != NULL;
    if (cJSON_IsString(x))
        r->probe_value = ut_strdup(x->valuestring);
    else if (cJSON_IsBool(x))
        r->probe_value = ut_strdup(cJSON_IsTrue(x) ? "true" : "false");
    if (r->probed && !r->probe_value && !cJSON_IsNull(x))
        r->probed = 0;                       /* out of memory: look */
}

/* Whether GOT is what C wants (before negation). */
static int holds(const struct sel_check *c, pcre2_code *re,
                 pcre2_match_data *md, const char *got)
{
    if (c->what == SEL_CHECK_STATE || c->what == SEL_CHECK_PAGE_TEXT)
        return got && strcmp(got, "true") == 0;
    if (!c->want)                          /* an attribute, present */
        return got != NULL;
    if (!got)
        return 0;
    if (re)
        return pcre2_match(re, (PCRE2_SPTR)got, strlen(got), 0, 0, md,
                           NULL) >= 0;
    return strcmp(got, c->want) == 0;
}

/* The failure's one line: what was looked at, what it is, what was
 * expected. */
static sel_code fail(const struct sel_check *c, const char *got,
                     int timeout_ms, char *err, size_t errlen)
{
    const char *no = c->negate ? "not " : "";
    const char *how = c->regex ? "to match /" : "\"";
    const char *end = c->regex ? "/" : "\"";
    const char *want = c->want ? c->want : "";
    const char *g = got ? got : "";

    switch (c->what) {
    case SEL_CHECK_STATE:
        return ut_err(err, errlen, SEL_E_TIMEOUT, "%s is %s%s after %d ms, "
                      "expected %s%s", c->label, strcmp(g, "true") ? "not "
                      : "", c->name, timeout_ms, no, c->name);
    case SEL_CHECK_PAGE_TEXT:
        return ut_err(err, errlen, SEL_E_TIMEOUT, "text \"%.*s\" is %son "
                      "the page after %d ms, expected %son it", CHECK_SHOW,
                      want, strcmp(g, "true") ? "not " : "", timeout_ms,
                      no);
    case SEL_CHECK_COUNT:
        return ut_err(err, errlen, SEL_E_TIMEOUT, "%s matches %s elements "
                      "after %d ms, expected %s%s", c->label, g, timeout_ms,
                      no, want);
    case SEL_CHECK_ATTR:
        if (!got)
            return ut_err(err, errlen, SEL_E_TIMEOUT, "%s has no attribute "
                          "%s after %d ms, expected %s%s%.*s%s", c->label,
                          c->name, timeout_ms, no, c->want ? how : "it",
                          CHECK_SHOW, want, c->want ? end : "");
        if (!c->want)
            return ut_err(err, errlen, SEL_E_TIMEOUT, "%s has attribute %s "
                          "(\"%.*s\") after %d ms, expected none", c->label,
                          c->name, CHECK_SHOW, g, timeout_ms);
        return ut_err(err, errlen, SEL_E_TIMEOUT, "attribute %s of %s is "
                      "\"%.*s\" after %d ms, expected %s%s%.*s%s", c->name,
                      c->label, CHECK_SHOW, g, timeout_ms, no, how,
                      CHECK_SHOW, want, end);
    default:
        return ut_err(err, errlen, SEL_E_TIMEOUT, "%s%s%s is \"%.*s\" after "
                      "%d ms, expected %s%s%.*s%s",
                      c->what == SEL_CHECK_TITLE ? "the title" :
                      c->what == SEL_CHECK_URL ? "the URL" :
                      c->what == SEL_CHECK_VALUE ? "the value of " :
                      "the text of ", c->what == SEL_CHECK_TITLE ||
                      c->what == SEL_CHECK_URL ? "" : c->label, "",
                      CHECK_SHOW, g, timeout_ms, no, how, CHECK_SHOW, want,
                      end);
    }
}

sel_code sel_wait_check(struct sel_page *p, const struct sel_result *r,
                        const struct sel_check *c, int timeout_ms,
                        char *err, size_t errlen)
{
    int64_t deadline = ut_now_ms() + timeout_ms;
    pcre2_code *re = NULL;
    pcre2_match_data *md = NULL;
    char *got = NULL;
    sel_code rc;
    int looked = 0;

    if (c->regex && c->want) {
        int ec;
        PCRE2_SIZE eo;

        re = pcre2_compile((PCRE2_SPTR)c->want, PCRE2_ZERO_TERMINATED,
                           PCRE2_UTF, &ec, &eo, NULL);
        if (!re)
            return ut_err(err, errlen, SEL_E_ACTION, "bad regex /%s/",
                          c->want);
        md = pcre2_match_data_create_from_pattern(re, NULL);
        if (!md) {
            pcre2_code_free(re);
            return ut_err(err, errlen, SEL_E_NOMEM, "out of memory");
        }
    }
    for (;;) {
        int left = (int)(deadline - ut_now_ms());

        free(got);
        got = NULL;
        if (r && r->probed && !looked && c->what != SEL_CHECK_PAGE_TEXT &&
            c->what != SEL_CHECK_COUNT && c->what != SEL_CHECK_TITLE &&
            c->what != SEL_CHECK_URL) {
            /* the first look, taken as the element was found */
            rc = SEL_OK;
            if (r->probe_value && !(got = ut_strdup(r->probe_value)))
                rc = ut_err(err, errlen, SEL_E_NOMEM, "out of memory");
        } else {
            rc = look(p, r, c, left > 0 ? left : 0, &got, err, errlen);
        }
        looked = 1;
        if (rc || holds(c, re, md, got) != c->negate)
            break;
        if (ut_now_ms() >= deadline) {
            rc = fail(c, got, timeout_ms, err, errlen);
            break;
        }
        cdp_pump(cdp_session_conn(sel_page_session(p)), CHECK_POLL_MS, 0);
    }
    free(got);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return rc;
}
