/* resolve_cache.c -- an intent's cache entry across the looks of one
 * resolution: the lookup (the page's route, or its twin for the page's
 * state: a modal dialog open, a menu or panel the last click opened),
 * the validated try of the entry, healing an entry that something else
 * replaced, and what a new choice is kept as (docs/CACHE.md). */
#include "sel.h"
#include "sel_int.h"
#include "../cache/cache.h"
#include "../cdp/cdp.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ROUTE's twins for the same page in another state: with a modal
 * dialog open, the cache keeps what the words meant in the dialog apart
 * from what they mean on the page under it ("Rename" the toolbar button,
 * then "Rename" the dialog's); after a click or hover that opened a menu
 * or a panel, what they mean there ("Publish" the toolbar button, then
 * "Publish" the confirming panel's). C's key and R's cache route become those of STATE. */
static void state_route(struct sel__cached *c, int state,
                        struct sel_result *r)
{
    snprintf(c->sroute, sizeof c->sroute, "%s%s%s", c->route,
             state & SEL__IN_DIALOG ? " [dialog]" : "",
             state & SEL__OPENED ? " [opened]" : "");
    c->key.route = c->sroute;
    c->state = state;
    free(r->cache_route);
    r->cache_route = ut_strdup(c->sroute);
}

/* A cached selector, validated and made ready in one round trip: it must
 * match exactly one element whose tag and role agree with the cached
 * fingerprint, whose accessible name does too (when one was cached), and
 * that still shows the fingerprint's fit words (sel_fit_words(): the
 * intent's words that were around it, so that a field or row that moved
 * under a positional selector is not taken for the one cached); then the
 * page waits for that element to be ready for O->want.
 * Returns 1 (R holds the element), 2 (validated but not ready in time: R
 * holds the error), 3 (validated, then it left the document: the page's
 * scripts redrew it, look again), 0 (it no longer fits: *GONE 1 when it
 * matched nothing, so it may still appear; -1 when it matched one element
 * whose tag, role or name differ, which its page may still be setting),
 * -1 on a page failure (R holds the error). */
static int try_cached(struct sel_page *p, const struct cache_entry *ce,
                      int opener, const struct sel_opts *o, int timeout_ms,
                      struct sel_result *r, int *gone)
{
    struct sel_target t;
    cJSON *v = NULL, *spec;
    char err[512], *sj;
    const char *sel = ce->selector;
    ut_buf e;
    int ret, was, rid = sel__cached_realm(p, &sel);

    *gone = 0;
    if (rid < 0) {             /* its frame is not there (yet) */
        *gone = 1;
        return 0;
    }
    if (sel_target_parse(sel, &t, err, sizeof err) ||
        t.strategy == SEL_INTENT) {
        sel_target_clear(&t);
        return 0;
    }
    spec = sel_target_spec(&t);
    sel_target_clear(&t);
    sj = cJSON_PrintUnformatted(spec);
    cJSON_Delete(spec);
    /* the fingerprint goes as the text the cache keeps, parsed in the
     * page (which reads its tag, role, name, fit words and state, not
     * the rest: its text above all costs layout work) */
    ut_buf_init(&e, UT_MAX_LINE);
    ret = ut_buf_addf(&e, "__cdpilot.locateCached(%s,", sj ? sj : "{}");
    free(sj);
    if (ret == 0)
        ret = ut_buf_add_jstr(&e, ce->fingerprint ? ce->fingerprint : "{}");
    /* the opener is a handle of the top document's */
    if (ret == 0)
        ret = ut_buf_addf(&e, ",{\"nth\":-1,\"kind\":\"%s\","
                          "\"timeout\":%d},%d)", sel__want_names[o->want],
                          timeout_ms > 0 ? timeout_ms : 0,
                          rid == 0 ? opener : -1);
    if (ret != 0) {
        ut_buf_free(&e);
        return 0;                       /* too long to be a fit */
    }
    was = sel__frame_in(p, rid);
    ret = sel_eval(p, ut_buf_str(&e), 1, timeout_ms, &v, err, sizeof err);
    sel__frame_in(p, was);
    r->frame = rid;
    if (ret != SEL_OK) {
        ut_buf_free(&e);
        /* a page that stopped answering is a timeout, as elsewhere */
        sel__fail(r, ret == SEL_E_TIMEOUT ? SEL_E_TIMEOUT : SEL_E_BROWSER,
                  "%s", err);
        return -1;
    }
    ut_buf_free(&e);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "validated"))) {
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "ok"))) {
            sel__take_located(r, v);
            ret = 1;
        } else {
            sel__locate_failed(r, v, ce->selector, timeout_ms);
            ret = strcmp(sel__jstr(v, "reason"), "detached") == 0 ? 3 : 2;
        }
    } else {
        /* "mismatch", "unfit": one element, and not the one cached;
         * "dialog", "opened": an entry for another state of the page
         * (2, 3) */
        if (strcmp(sel__jstr(v, "reason"), "dialog") == 0)
            *gone = 2;
        else if (strcmp(sel__jstr(v, "reason"), "opened") == 0)
            *gone = 3;
        else if (strcmp(sel__jstr(v, "reason"), "mismatch") == 0 &&
                 (int)sel__jnum(v, "n", 0) == 1)
            *gone = -1;
        else
            *gone = (int)sel__jnum(v, "n", 0) == 0 &&
                    strcmp(sel__jstr(v, "reason"), "mismatch") != 0 &&
                    strcmp(sel__jstr(v, "reason"), "unfit") != 0;
        ret = 0;
    }
    cJSON_Delete(v);
    return ret;
}

/* R's new fingerprint with the fit words of INTENT, as written and as
 * normalised (NORM: "First name" is "firstname" there), in place of the
 * words the page read around the element. */
void sel__fit_fingerprint(struct sel_result *r, const char *intent,
                          const char *norm, int state)
{
    char words[1600], *fp;
    cJSON *o;

    if (!r->fingerprint)
        return;
    snprintf(words, sizeof words, "%s %s", intent, norm);
    if ((fp = sel_fit_fingerprint(r->fingerprint, words)) != NULL) {
        free(r->fingerprint);
        r->fingerprint = fp;
    }
    /* made with a modal dialog open: for that dialog only; after a
     * click that opened a menu or panel: for that state only */
    if (state && (o = cJSON_Parse(r->fingerprint)) != NULL) {
        if (state & SEL__IN_DIALOG)
            cJSON_AddTrueToObject(o, "modal");
        if (state & SEL__OPENED)
            cJSON_AddTrueToObject(o, "opened");
        if ((fp = cJSON_PrintUnformatted(o)) != NULL) {
            free(r->fingerprint);
            r->fingerprint = fp;
        }
        cJSON_Delete(o);
    }
}


/* Looks up the entry of page STATE into C (PEEK: peeked first, so that
 * a twin's miss does not count in the cache's stats); 1 when there is
 * one. */
static int find_state(struct sel__cached *c, const struct sel_opts *o,
                      int state, int peek, struct sel_result *r)
{
    int64_t t0 = ut_now_us();

    cache_entry_clear(&c->ce);
    state_route(c, state, r);
    c->tried |= 1u << state;
    c->have_entry = (!peek || cache_peek(o->cache, &c->key) == CACHE_OK) &&
                    cache_lookup(o->cache, &c->key, &c->ce) == CACHE_OK;
    r->us_cache += ut_now_us() - t0;
    return c->have_entry;
}

void sel__cached_find(struct sel__cached *c, struct sel_page *p,
                      const struct sel_opts *o, const char *norm,
                      int opener, struct sel_result *r)
{
    memset(c, 0, sizeof *c);
    c->opener = opener;
    if (!o->cache || cache_route_shape(sel_page_url(p), c->origin,
                                       sizeof c->origin, c->route,
                                       sizeof c->route) != 0)
        return;
    c->key.origin = c->origin;
    c->key.kind = o->step_kind;
    c->key.intent = norm;
    r->cache_origin = ut_strdup(c->origin);
    r->cache_intent = ut_strdup(norm);
    c->have_key = 1;
    /* after a click or hover, what it opened first; words only met in
     * a dialog last */
    if ((opener >= 0 && find_state(c, o, SEL__OPENED, 1, r)) ||
        find_state(c, o, 0, 0, r) ||
        find_state(c, o, SEL__IN_DIALOG, 1, r))
        return;
    state_route(c, 0, r);               /* the key of a new entry */
}

/* The entry is for another state of the page than the one it is in now
 * (FLIP: SEL__IN_DIALOG, the dialog opened or closed; SEL__OPENED, the
 * last click opened something or nothing): the entry of the page's
 * state, if any not yet tried, else the heuristics. The entry stays,
 * right for its own state. */
static enum sel__next other_state(struct sel__cached *c,
                                  const struct sel_opts *o, int flip,
                                  struct sel_result *r)
{
    int state = c->state ^ flip;

    c->elsewhere = 1;
    if (!(c->tried & (1u << state)) && find_state(c, o, state, 1, r))
        return SEL__AGAIN;
    cache_entry_clear(&c->ce);
    c->have_entry = 0;
    return SEL__ON;
}

/* A cached selector that finds one element not as cached is looked at
 * once more this long after (the page settled first) before the entry
 * is demoted: a page's scripts may still be setting roles and names. */
#define SEL_RECHECK_MS 300

int sel__cached_again(struct sel__cached *c)
{
    if (!c->have_entry || c->demoted || !c->found_none || c->again)
        return 0;
    c->again = 1;
    return 1;
}

enum sel__next sel__cached_try(struct sel__cached *c, struct sel_page *p,
                               const struct sel_opts *o, int64_t deadline,
                               struct sel_result *r, sel_code *rc)
{
    int hit, gone;
    int64_t t0;

    if (!c->have_entry || c->demoted)
        return SEL__ON;
    t0 = ut_now_us();
    hit = try_cached(p, &c->ce, c->opener, o, (int)(deadline - ut_now_ms()),
                     r, &gone);
    r->us_cache += ut_now_us() - t0;
    if (hit < 0) {
        *rc = r->code;
        return SEL__DONE;
    }
    if (hit == 3 && ut_now_ms() < deadline) {
        sel__redrawn(p, r, deadline);
        return SEL__AGAIN;
    }
    if (hit > 0) {
        r->source = SEL_SRC_CACHE;
        r->confidence = c->ce.confidence;
        r->candidates = 1;
        free(r->selector);
        r->selector = ut_strdup(c->ce.selector);
        free(r->fingerprint);
        r->fingerprint = ut_strdup(c->ce.fingerprint);
        *rc = hit == 1 ? SEL_OK : r->code;
        return SEL__DONE;
    }
    c->found_none = gone == 1;
    if (gone < 0 && !c->recheck &&
        deadline - ut_now_ms() > 2 * SEL_RECHECK_MS) {
        /* one element, and not named as cached: maybe not yet (a page
         * whose scripts still set its roles and names while its lists
         * load); once more after a moment. Not an element that lost its
         * fit words, nor several: those are changes, not set-up. */
        c->recheck = 1;
        sel_settle(p, SEL_RECHECK_MS, NULL, 0);
        cdp_pump(cdp_session_conn(sel_page_session(p)), SEL_RECHECK_MS, 0);
        return SEL__AGAIN;
    }
    if (gone <= 0) {    /* matches the wrong element, or several */
        c->demoted = 1;
        cache_demote(o->cache, &c->key);
        r->healed = 1;
        r->old_selector = ut_strdup(c->ce.selector);
    } else if (gone >= 2) {
        return other_state(c, o, gone == 2 ? SEL__IN_DIALOG : SEL__OPENED,
                           r);
    }
    return SEL__ON;
}

void sel__cached_end(struct sel__cached *c, const struct sel_opts *o,
                     const char *intent, const char *norm, int state,
                     sel_code rc, struct sel_result *r)
{
    if (rc == SEL_OK && r->healed && !r->old_selector)
        r->healed = 0;
    if (rc == SEL_OK && c->have_entry && r->source != SEL_SRC_CACHE &&
        !r->healed && !c->elsewhere) {
        /* The cached selector never showed up but something else did. */
        r->healed = 1;
        r->old_selector = ut_strdup(c->ce.selector);
        cache_demote(o->cache, &c->key);
    }
    if (rc == SEL_OK && r->source != SEL_SRC_CACHE) {
        /* kept under the route of the page's state it was chosen in */
        if (c->have_key)
            state_route(c, state, r);
        sel__fit_fingerprint(r, intent, norm, state);
    }
    cache_entry_clear(&c->ce);
}
