/* expect.c -- the checks of assert and wait_for beyond the first ones
 * (step.c keeps those): a target's text, value, attribute, state and
 * count, the title, any of them negated ("not"), and the network:
 * wait_for network_idle and response, assert no_failed_requests and
 * no_console_errors, and a task's or profile's "checks" after every step
 * (docs/TASKS.md "Checks" and "Network"). The page is looked at through
 * sel_* calls only. */
#include "live_int.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX 5     /* failures a message names */

/* 1 when target T is explicit (css=, role=, ...). */
static int explicit_target(const char *t)
{
    struct sel_target st;
    int ok = sel_target_parse(t, &st, NULL, 0) == 0 &&
             st.strategy != SEL_INTENT;

    sel_target_clear(&st);
    return ok;
}

/* An element check: the target found (WANT), then C waited for; an
 * element that left the page (redrawn) is found again while time is
 * left. */
static sel_code element(struct run_live *e, const struct run_step *st,
                        struct run_step_report *sr, enum sel_want want,
                        struct sel_check *c, int timeout, char *err,
                        size_t errlen)
{
    int64_t deadline = ut_now_ms() + timeout;
    sel_code rc;

    c->label = sr->target;
    for (;;) {
        int left = (int)(deadline - ut_now_ms());

        rc = run_step_resolve(e, st, sr, want, left > 0 ? left : 0);
        if (rc)
            return rc;
        left = (int)(deadline - ut_now_ms());
        rc = sel_wait_check(e->page, &sr->res, c, left > 0 ? left : 0, err,
                            errlen);
        if (rc != SEL_E_NOTFOUND || ut_now_ms() >= deadline)
            return rc;
    }
}

/* "N failed requests: A; B; …" or "N console errors: …" into ERR. */
static sel_code listed(char **v, size_t n, const char *what, char *err,
                       size_t errlen)
{
    ut_buf b;
    size_t i;

    ut_buf_init(&b, errlen ? errlen - 1 : 0);
    ut_buf_addf(&b, "%zu %s%s: ", n, what, n > 1 ? "s" : "");
    for (i = 0; i < n && i < LIST_MAX; i++)
        ut_buf_addf(&b, "%s%.300s", i ? "; " : "", v[i]);
    if (n > LIST_MAX)
        ut_buf_addf(&b, "; and %zu more", n - LIST_MAX);
    ut_strlcpy(err, ut_buf_str(&b), errlen);
    ut_buf_free(&b);
    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
    return SEL_E_ACTION;
}

/* no_failed_requests (CONSOLE 0) or no_console_errors: what failed since
 * the task began or this check last passed; a pass moves the mark on. */
static sel_code none_failed(struct run_live *e, int console,
                            struct run_step_report *sr, char *err,
                            size_t errlen)
{
    unsigned *mark = console ? &e->console_mark : &e->failed_mark;
    unsigned now = sel_net_mark(e->page);
    size_t n, blocked;
    char **v = sel_net_failed(e->page, *mark, console, &n, &blocked);

    if (n)
        return listed(v, n, console ? "console error" : "failed request",
                      err, errlen);
    free(v);
    *mark = now;
    if (sr && blocked) {
        char msg[64];
        snprintf(msg, sizeof msg, "no failed requests (%zu blocked)",
                 blocked);
        free(sr->value);
        sr->value = ut_strdup(msg);
    }
    return SEL_OK;
}

static sel_code response(struct run_live *e, const struct run_step *st,
                         struct run_step_report *sr, const char *re,
                         int timeout, char *err, size_t errlen)
{
    unsigned since = e->resp_used > e->step_marks[0] ? e->resp_used
                                                      : e->step_marks[0];
    char *what = NULL;
    sel_code rc = sel_wait_response(e->page, re, st->method, st->status,
                                    &since, timeout, &what, err, errlen);

    if (rc == SEL_OK) {
        e->resp_used = since;
        free(sr->value);
        sr->value = what;
    }
    return rc;
}

sel_code run_expect(struct run_live *e, const struct run_step *st,
                    struct run_step_report *sr, const char *value,
                    int timeout, char *err, size_t errlen)
{
    struct sel_check c;
    char num[32];
    const char *t = sr->target;
    int neg = st->negate;

    memset(&c, 0, sizeof c);
    c.want = value;
    c.regex = st->regex;
    c.negate = neg;
    c.label = t;
    switch (st->cond) {
    case RUN_COND_TITLE:
        c.what = SEL_CHECK_TITLE;
        break;
    case RUN_COND_URL:
        c.what = SEL_CHECK_URL;
        c.regex = 1;
        break;
    case RUN_COND_TEXT:
        c.what = SEL_CHECK_PAGE_TEXT;
        break;
    case RUN_COND_COUNT:
        snprintf(num, sizeof num, "%ld", st->count);
        c.what = SEL_CHECK_COUNT;
        c.want = num;
        break;
    case RUN_COND_VISIBLE: case RUN_COND_HIDDEN: case RUN_COND_STATE:
        c.what = SEL_CHECK_STATE;
        c.name = st->cond == RUN_COND_STATE ? run_state_name(st->state) :
                 st->cond == RUN_COND_VISIBLE ? "visible" : "hidden";
        /* shown: found as visible; not shown: absent counts too */
        if (strcmp(c.name, neg ? "hidden" : "visible") == 0)
            return run_step_resolve(e, st, sr, SEL_WANT_VISIBLE, timeout);
        if (strcmp(c.name, neg ? "visible" : "hidden") == 0 &&
            explicit_target(t))
            return sel_wait_hidden(e->page, t, timeout, err, errlen);
        return element(e, st, sr, SEL_WANT_READ, &c, timeout, err, errlen);
    case RUN_COND_VALUE:
        c.what = SEL_CHECK_VALUE;
        return element(e, st, sr, SEL_WANT_READ, &c, timeout, err, errlen);
    case RUN_COND_EL_TEXT:
        c.what = SEL_CHECK_TEXT;
        return element(e, st, sr, SEL_WANT_READ, &c, timeout, err, errlen);
    case RUN_COND_ATTR:
        c.what = SEL_CHECK_ATTR;
        c.name = st->attr;
        return element(e, st, sr, SEL_WANT_READ, &c, timeout, err, errlen);
    case RUN_COND_IDLE:
        return sel_wait_idle(e->page, (int)st->count, timeout, err, errlen);
    case RUN_COND_RESPONSE:
        return response(e, st, sr, value, timeout, err, errlen);
    case RUN_COND_NO_FAILED: case RUN_COND_NO_CONSOLE:
        return none_failed(e, st->cond == RUN_COND_NO_CONSOLE, sr, err,
                           errlen);
    default:
        return ut_err(err, errlen, SEL_E_ACTION, "nothing to check");
    }
    return sel_wait_check(e->page, NULL, &c, timeout, err, errlen);
}

void run_expect_probe(const struct run_step *st, const char **what,
                      const char **name)
{
    *what = *name = NULL;
    if (st->kind != RUN_ASSERT && st->kind != RUN_WAIT_FOR)
        return;
    switch (st->cond) {
    case RUN_COND_EL_TEXT:
        *what = "text";
        break;
    case RUN_COND_VALUE:
        *what = run_expect_mine(st) ? "value" : NULL;
        break;
    case RUN_COND_ATTR:
        *what = "attribute";
        *name = st->attr;
        break;
    case RUN_COND_STATE:
        *what = "state";
        *name = run_state_name(st->state);
        break;
    default:
        break;
    }
}

int run_expect_mine(const struct run_step *st)
{
    return st->negate || st->regex || st->flat || st->cond >= RUN_COND_TITLE;
}

void run_expect_begin(struct run_live *e)
{
    unsigned m = sel_net_mark(e->page);

    e->step_marks[0] = e->step_marks[1] = m;
    e->resp_used = e->failed_mark = e->console_mark = m;
}

void run_expect_step(struct run_live *e)
{
    e->step_marks[0] = e->step_marks[1];
    e->step_marks[1] = sel_net_mark(e->page);
}

sel_code run_expect_after(struct run_live *e, struct run_step_report *sr)
{
    unsigned want = e->t->checks |
                    (e->prof.check_requests ? RUN_CHECKS_FAILED_REQUESTS : 0) |
                    (e->prof.check_console ? RUN_CHECKS_CONSOLE_ERRORS : 0);
    char err[1024];
    sel_code rc = SEL_OK;

    if (!want || !e->page)
        return SEL_OK;
    if (want & RUN_CHECKS_FAILED_REQUESTS)
        rc = none_failed(e, 0, NULL, err, sizeof err);
    if (rc == SEL_OK && (want & RUN_CHECKS_CONSOLE_ERRORS))
        rc = none_failed(e, 1, NULL, err, sizeof err);
    if (rc) {
        char msg[1100];
        snprintf(msg, sizeof msg, "\"checks\" after the step: %s", err);
        run_step_fail(sr, rc, msg);
    }
    return rc;
}
