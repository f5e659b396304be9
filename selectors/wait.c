/* wait.c -- waiting on a live page for what a step expects: an expression
 * that turns truthy, a URL, a text, an explicit target hidden or matching
 * a number of elements, an element's value. The page script waits inside
 * one round trip where it can (text, hidden); the rest are polled every
 * WAIT_POLL_MS while the socket is serviced, so events keep flowing. */
#include "sel.h"
#include "sel_int.h"
#include "../cdp/cdp.h"
#include "../util/util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#define WAIT_POLL_MS 50

/* Services P's connection for a poll interval. */
static void poll_pause(struct sel_page *p)
{
    cdp_pump(cdp_session_conn(sel_page_session(p)), WAIT_POLL_MS, 0);
}

static int truthy(const cJSON *v)
{
    return v && !cJSON_IsFalse(v) && !cJSON_IsNull(v) &&
           !(cJSON_IsNumber(v) && v->valuedouble == 0) &&
           !(cJSON_IsString(v) && !*v->valuestring);
}

sel_code sel_wait_js(struct sel_page *p, const char *expr, int timeout_ms,
                     char *err, size_t errlen)
{
    int64_t deadline = ut_now_ms() + timeout_ms;

    for (;;) {
        cJSON *v = NULL;
        sel_code rc = sel_eval(p, expr, 1, timeout_ms, &v, err, errlen);
        int ok;
        if (rc)
            return rc;
        ok = truthy(v);
        cJSON_Delete(v);
        if (ok)
            return SEL_OK;
        if (ut_now_ms() >= deadline)
            return ut_err(err, errlen, SEL_E_TIMEOUT, "still false after "
                          "%d ms: %s", timeout_ms, expr);
        poll_pause(p);
    }
}

sel_code sel_wait_url(struct sel_page *p, const char *re, int timeout_ms,
                      char *err, size_t errlen)
{
    int64_t deadline = ut_now_ms() + timeout_ms;
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF, &ec, &eo, NULL);
    pcre2_match_data *md;
    sel_code rc = SEL_OK;
    const char *url;

    if (!code)
        return ut_err(err, errlen, SEL_E_ACTION, "bad regex /%s/", re);
    md = pcre2_match_data_create_from_pattern(code, NULL);
    if (!md) {
        pcre2_code_free(code);
        return ut_err(err, errlen, SEL_E_NOMEM, "out of memory");
    }
    for (;;) {
        url = sel_page_url(p);
        if (pcre2_match(code, (PCRE2_SPTR)url, strlen(url), 0, 0, md, NULL)
            >= 0)
            break;
        if (ut_now_ms() >= deadline) {
            rc = ut_err(err, errlen, SEL_E_TIMEOUT, "URL %s does not match "
                        "/%s/ after %d ms", url, re, timeout_ms);
            break;
        }
        if (sel_page_state(p) == SEL_PAGE_CRASHED) {
            rc = sel_page_probe(p, 0, err, errlen);  /* says why */
            break;
        }
        poll_pause(p);
    }
    pcre2_match_data_free(md);
    pcre2_code_free(code);
    return rc;
}

sel_code sel_wait_text(struct sel_page *p, const char *text, int timeout_ms,
                       char *err, size_t errlen)
{
    cJSON *args = cJSON_CreateArray(), *v = NULL;
    sel_code rc;

    cJSON_AddItemToArray(args, cJSON_CreateString(text));
    cJSON_AddItemToArray(args, cJSON_CreateNumber(timeout_ms));
    rc = sel_eval_call(p, "waitText", args, 1, timeout_ms, &v, err, errlen);
    if (rc == SEL_OK && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v,
                                                                       "ok")))
        rc = ut_err(err, errlen, SEL_E_TIMEOUT, "text \"%s\" not on the page "
                    "after %d ms", text, timeout_ms);
    cJSON_Delete(v);
    return rc;
}

/* P.locate(TARGET) as check KIND ("count": at once; "hidden": waits up
 * to TIMEOUT_MS in the page): its answer in *V (caller's). TARGET must
 * be explicit: the page cannot count plain words. */
static sel_code locate_as(struct sel_page *p, const char *target,
                          const char *kind, int timeout_ms, cJSON **v,
                          char *err, size_t errlen)
{
    struct sel_target t;
    cJSON *args, *op;
    sel_code rc;

    *v = NULL;
    if (sel_target_parse(target, &t, err, errlen))
        return SEL_E_ACTION;
    if (t.strategy == SEL_INTENT) {
        sel_target_clear(&t);
        return ut_err(err, errlen, SEL_E_ACTION, "%s needs an explicit "
                      "target (css=, role=, …), not plain words", kind);
    }
    args = cJSON_CreateArray();
    op = cJSON_CreateObject();
    cJSON_AddItemToArray(args, sel_target_spec(&t));
    cJSON_AddNumberToObject(op, "nth", -1);
    cJSON_AddStringToObject(op, "kind", kind);
    cJSON_AddNumberToObject(op, "timeout", strcmp(kind, "count") == 0 ? 0
                                           : timeout_ms);
    cJSON_AddItemToArray(args, op);
    rc = sel_eval_call(p, "locate", args, 1, timeout_ms, v, err, errlen);
    sel_target_clear(&t);
    return rc;
}

sel_code sel_count(struct sel_page *p, const char *target, int timeout_ms,
                   long *n, char *err, size_t errlen)
{
    cJSON *v;
    sel_code rc = locate_as(p, target, "count", timeout_ms, &v, err, errlen);
    const cJSON *jn = cJSON_GetObjectItemCaseSensitive(v, "n");

    *n = rc == SEL_OK && cJSON_IsNumber(jn) ? (long)jn->valuedouble : 0;
    cJSON_Delete(v);
    return rc;
}

sel_code sel_wait_count(struct sel_page *p, const char *target, long want,
                        int timeout_ms, char *err, size_t errlen)
{
    int64_t deadline = ut_now_ms() + timeout_ms;

    for (;;) {
        long n;
        sel_code rc = sel_count(p, target, timeout_ms, &n, err, errlen);
        if (rc || n == want)
            return rc;
        if (ut_now_ms() >= deadline)
            return ut_err(err, errlen, SEL_E_TIMEOUT, "%s matches %ld "
                          "elements, expected %ld", target, n, want);
        poll_pause(p);
    }
}

sel_code sel_wait_hidden(struct sel_page *p, const char *target,
                         int timeout_ms, char *err, size_t errlen)
{
    cJSON *v;
    sel_code rc = locate_as(p, target, "hidden", timeout_ms, &v, err,
                            errlen);

    if (rc == SEL_OK && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v,
                                                                       "ok")))
        rc = ut_err(err, errlen, SEL_E_TIMEOUT, "%s is still visible after "
                    "%d ms", target, timeout_ms);
    cJSON_Delete(v);
    return rc;
}

sel_code sel_wait_value(struct sel_page *p, const struct sel_result *r,
                        const char *want, int timeout_ms, char *err,
                        size_t errlen)
{
    int64_t deadline = ut_now_ms() + timeout_ms;
    char *got = NULL;
    sel_code rc;
    int looked = 0;

    for (;;) {
        free(got);
        got = NULL;
        if (r->read_value && looked == 0)   /* read as it was found */
            got = ut_strdup(r->read_value);
        rc = got ? SEL_OK : sel_read(p, r, NULL, &got, err, errlen);
        looked = 1;
        if (rc == SEL_OK && !got)
            rc = ut_err(err, errlen, SEL_E_NOMEM, "out of memory");
        if (rc || strcmp(got, want) == 0)
            break;
        if (ut_now_ms() >= deadline) {
            rc = ut_err(err, errlen, SEL_E_TIMEOUT, "value is \"%.200s\", "
                        "expected \"%.200s\"", got, want);
            break;
        }
        poll_pause(p);
    }
    free(got);
    return rc;
}
