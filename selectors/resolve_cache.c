/* resolve_cache.c -- an intent's cache entry across the looks of one
 * resolution: the lookup (the page's route, then its twin with a modal
 * dialog open), the validated try of the entry, healing an entry that
 * something else replaced, and what a new choice is kept as
 * (docs/CACHE.md). */
#include "sel.h"
#include "sel_int.h"
#include "../cache/cache.h"
#include "../cdp/cdp.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ROUTE's twin for the same page with a modal dialog open: the cache
 * keeps what the words meant in the dialog apart from what they mean on
 * the page under it ("Rename" the toolbar button, then "Rename" the
 * dialog's). */
#define DIALOG_ROUTE " [dialog]"
static void dialog_route(const char *route, char *out, size_t n)
{
    snprintf(out, n, "%s" DIALOG_ROUTE, route);
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
                      const struct sel_opts *o, int timeout_ms,
                      struct sel_result *r, int *gone)
{
    struct sel_target t;
    cJSON *v = NULL, *spec, *fpc, *want, *opts;
    char err[512], *sj, *fj, *oj;
    ut_buf e;
    int ret;

    *gone = 0;
    if (sel_target_parse(ce->selector, &t, err, sizeof err) ||
        t.strategy == SEL_INTENT) {
        sel_target_clear(&t);
        return 0;
    }
    spec = sel_target_spec(&t);
    sel_target_clear(&t);
    fpc = cJSON_Parse(ce->fingerprint ? ce->fingerprint : "{}");
    want = cJSON_CreateObject();
    cJSON_AddStringToObject(want, "tag", sel__jstr(fpc, "tag"));
    cJSON_AddStringToObject(want, "role", sel__jstr(fpc, "role"));
    cJSON_AddStringToObject(want, "name", sel__jstr(fpc, "name"));
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(fpc, "modal")))
        cJSON_AddTrueToObject(want, "modal");
    if (*sel__jstr(fpc, "fit"))
        cJSON_AddStringToObject(want, "fit", sel__jstr(fpc, "fit"));
    cJSON_Delete(fpc);
    opts = sel__locate_opts(o, -1, timeout_ms);
    sj = cJSON_PrintUnformatted(spec);
    fj = cJSON_PrintUnformatted(want);
    oj = cJSON_PrintUnformatted(opts);
    cJSON_Delete(spec);
    cJSON_Delete(want);
    cJSON_Delete(opts);
    ut_buf_init(&e, UT_MAX_LINE);
    /* the element's tag, role, name and fit words (not the rest of a
     * fingerprint: its text above all costs layout work) */
    ut_buf_addf(&e, "__cdpilot.locateCached(%s,%s,%s)", sj ? sj : "{}",
                fj ? fj : "{}", oj ? oj : "{}");
    free(sj);
    free(fj);
    free(oj);
    if ((ret = sel_eval(p, ut_buf_str(&e), 1, timeout_ms, &v, err,
                        sizeof err)) != SEL_OK) {
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
         * "dialog": an entry for another state of the page (2) */
        if (strcmp(sel__jstr(v, "reason"), "dialog") == 0)
            *gone = 2;
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
                          const char *norm, int dialog)
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
    /* made with a modal dialog open: for that dialog only */
    if (dialog && (o = cJSON_Parse(r->fingerprint)) != NULL) {
        cJSON_AddTrueToObject(o, "modal");
        if ((fp = cJSON_PrintUnformatted(o)) != NULL) {
            free(r->fingerprint);
            r->fingerprint = fp;
        }
        cJSON_Delete(o);
    }
}


void sel__cached_find(struct sel__cached *c, struct sel_page *p,
                      const struct sel_opts *o, const char *norm,
                      struct sel_result *r)
{
    int64_t t0;

    memset(c, 0, sizeof *c);
    if (!o->cache || cache_route_shape(sel_page_url(p), c->origin,
                                       sizeof c->origin, c->route,
                                       sizeof c->route) != 0)
        return;
    c->key.origin = c->origin;
    c->key.route = c->route;
    c->key.kind = o->step_kind;
    c->key.intent = norm;
    r->cache_origin = ut_strdup(c->origin);
    r->cache_route = ut_strdup(c->route);
    r->cache_intent = ut_strdup(norm);
    t0 = ut_now_us();
    c->have_entry = cache_lookup(o->cache, &c->key, &c->ce) == CACHE_OK;
    if (!c->have_entry) {       /* words that were only met in a dialog */
        dialog_route(c->route, c->droute, sizeof c->droute);
        c->key.route = c->droute;
        /* peeked first: a miss counts once in the cache's stats */
        if ((c->have_entry = cache_peek(o->cache, &c->key) == CACHE_OK &&
                             cache_lookup(o->cache, &c->key, &c->ce) ==
                             CACHE_OK)) {
            c->in_dialog = 1;
            free(r->cache_route);
            r->cache_route = ut_strdup(c->droute);
        } else {
            c->key.route = c->route;
        }
    }
    r->us_cache += ut_now_us() - t0;
    c->have_key = 1;
}

/* A dialog covers the page (or the dialog is gone): the other state's
 * entry, if any, else the heuristics; the entry stays, right for its own
 * state. */
static enum sel__next other_state(struct sel__cached *c,
                                  const struct sel_opts *o,
                                  struct sel_result *r)
{
    int64_t t0;

    c->elsewhere = 1;
    cache_entry_clear(&c->ce);
    if (!c->in_dialog) {
        dialog_route(c->route, c->droute, sizeof c->droute);
        c->key.route = c->droute;
    } else {
        c->key.route = c->route;
    }
    c->in_dialog = !c->in_dialog;
    t0 = ut_now_us();
    c->have_entry = cache_lookup(o->cache, &c->key, &c->ce) == CACHE_OK;
    r->us_cache += ut_now_us() - t0;
    free(r->cache_route);
    r->cache_route = ut_strdup(c->key.route);
    if (c->have_entry && !c->elsewhere_tried++)
        return SEL__AGAIN;
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
    hit = try_cached(p, &c->ce, o, (int)(deadline - ut_now_ms()), r, &gone);
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
    } else if (gone == 2) {
        return other_state(c, o, r);
    }
    return SEL__ON;
}

void sel__cached_end(struct sel__cached *c, const struct sel_opts *o,
                     const char *intent, const char *norm, int dialog_open,
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
        if (c->have_key) {
            if (dialog_open)
                dialog_route(c->route, c->droute, sizeof c->droute);
            free(r->cache_route);
            r->cache_route = ut_strdup(dialog_open ? c->droute : c->route);
        }
        sel__fit_fingerprint(r, intent, norm, dialog_open);
    }
    cache_entry_clear(&c->ce);
}
