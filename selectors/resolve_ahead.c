/* resolve_ahead.c -- ranking ahead (docs/CANDIDATES.md "Ahead"): the
 * first collection of a step also serves the intents of the read-only
 * steps that follow it; it is ranked for them at once, and a later step
 * takes its choice while the page stays as it was. */
#include "sel.h"
#include "sel_int.h"
#include "../cache/cache.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

static int has_probe(const cJSON *arr, const char *s)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
        if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0)
            return 1;
    return 0;
}

/* Which of O->ahead this step's collection serves, into PL: those the
 * cache does not hold (KEY: its origin and route; NULL without a cache),
 * other than this step's own (T), whose probes fit with this step's into
 * PROBES (CAP bytes, "" for none: then every record comes anyway), which
 * then holds them all. A later intent without probes would make the
 * collection whole, so it is left to its own step. */
void sel__plan_ahead(const struct sel_opts *o, const struct sel_target *t,
                     const struct cache_key *key, char *probes, size_t cap,
                     struct sel__ahead_plan *pl)
{
    cJSON *all = *probes ? cJSON_Parse(probes) : NULL;
    size_t i;

    pl->n = 0;
    if (*probes && !cJSON_IsArray(all)) {
        cJSON_Delete(all);
        return;
    }
    for (i = 0; i < o->nahead && i < SEL_AHEAD_MAX; i++) {
        const struct sel_ahead *a = &o->ahead[i];
        char more[1024], norm[512], *j;
        cJSON *m, *e, *u;
        size_t k;

        if (!a->intent || !*a->intent || (a->want == o->want &&
                                          strcmp(a->intent, t->value) == 0))
            continue;
        for (k = 0; k < pl->n; k++)
            if (pl->a[k]->want == a->want &&
                strcmp(pl->a[k]->intent, a->intent) == 0)
                break;
        if (k < pl->n)
            continue;
        if (key && a->step_kind) {      /* peek: its step looks it up */
            struct cache_key ck = *key;
            heur_normalize(o->hx, a->intent, norm, sizeof norm);
            ck.kind = a->step_kind;
            ck.intent = norm;
            if (cache_peek(o->cache, &ck) == CACHE_OK)
                continue;
        }
        if (!all) {                 /* this collection is whole anyway */
            pl->a[pl->n++] = a;
            continue;
        }
        if (heur_probes(o->hx, a->intent, more, sizeof more) == 0)
            continue;
        if (!cJSON_IsArray(m = cJSON_Parse(more))) {
            cJSON_Delete(m);
            continue;
        }
        u = cJSON_Duplicate(all, 1);
        cJSON_ArrayForEach(e, m)
            if (cJSON_IsString(e) && !has_probe(u, e->valuestring))
                cJSON_AddItemToArray(u, cJSON_CreateString(e->valuestring));
        cJSON_Delete(m);
        j = cJSON_PrintUnformatted(u);
        if (j && strlen(j) < cap) {
            cJSON_Delete(all);
            all = u;
            pl->a[pl->n++] = a;
        } else {
            cJSON_Delete(u);
        }
        free(j);
    }
    if (all && pl->n) {
        char *j = cJSON_PrintUnformatted(all);
        if (j && strlen(j) < cap)
            memcpy(probes, j, strlen(j) + 1);
        else
            pl->n = 0;      /* cannot happen: checked as it grew */
        free(j);
    }
    cJSON_Delete(all);
}

/* Keeps the intents of PL for the collection CS the page kept as
 * CS->ahead (what the store held is dropped). Returns 1 when the store
 * now waits for CS itself: the step that made it hands it over with
 * sel__ahead_take() once it is done with it. Nothing is ranked here: each
 * later step ranks its own intent when it comes, so a step that collects
 * pays for its own ranking only (docs/CANDIDATES.md "Ahead"). */
int sel__keep_ahead(struct sel_page *p, const struct sel__ahead_plan *pl,
                    const struct sel_cands *cs)
{
    struct sel__ahead *a = sel__ahead(p);
    size_t i;

    sel__ahead_clear(a);
    if (!cs->ahead || !pl->n || !(a->tok = ut_strdup(cs->ahead)))
        return 0;
    for (i = 0; i < pl->n && a->n < SEL_AHEAD_MAX; i++)
        if ((a->q[a->n].intent = ut_strdup(pl->a[i]->intent)) != NULL)
            a->q[a->n++].want = pl->a[i]->want;
    if (!a->n)
        sel__ahead_clear(a);
    return a->n > 0;
}

/* Takes CS (emptied) as the store's collection when the store waits for
 * one (sel__keep_ahead()); otherwise frees it. */
void sel__ahead_take(struct sel_page *p, struct sel_cands *cs)
{
    struct sel__ahead *a = sel__ahead(p);

    if (a->tok && a->n && !a->cs.c && cs->ahead &&
        strcmp(cs->ahead, a->tok) == 0) {
        a->cs = *cs;
        memset(cs, 0, sizeof *cs);
        return;
    }
    sel_cands_free(cs);
}

/* Ranks this step's intent (T, O->want) over the store's collection when
 * it was kept for it: 1 with the choice's record id, confidence and
 * margin in *K when confident, else 0 (the step resolves as usual: an
 * uncertain ranking goes on to its own look, and there to the LLM). The
 * intent is taken from the store either way: a kept collection serves a
 * step once. */
static int rank_pending(struct sel__ahead *a, const struct sel_target *t,
                        const struct sel_opts *o, struct sel_result *r,
                        int *id, double *conf, double *margin)
{
    struct heur_result hr;
    int64_t t0 = ut_now_us();
    size_t i;
    int c, ok = 0;

    if (!a->tok || !a->cs.c)
        return 0;
    for (i = 0; i < a->n; i++)
        if (a->q[i].want == o->want && strcmp(a->q[i].intent, t->value) == 0)
            break;
    if (i == a->n)
        return 0;
    free(a->q[i].intent);
    a->q[i] = a->q[--a->n];
    if (heur_rank(o->hx, t->value, sel__heur_kind(o->want), a->cs.c,
                  a->cs.n, &hr))
        return 0;
    if (heur_decide(&hr, o->min_confidence, o->min_margin) ==
            HEUR_CONFIDENT &&
        (c = sel__control_of(&a->cs, hr.ranked[0].cand)) >= 0 &&
        a->cs.c[c].id < SEL__FRAME_IDS) {           /* not a frame's */
        *id = a->cs.c[c].id;
        *conf = hr.confidence;
        *margin = hr.margin;
        ok = 1;
    }
    heur_result_free(&hr);
    r->us_score += ut_now_us() - t0;
    return ok;
}

/* This step's intent over the collection kept ahead, when the page is
 * still as it was then: one call checks that and the choice's readiness
 * (as a guess is checked). Returns 1 (R holds the element), 0 (nothing
 * kept for it, an uncertain ranking, the page changed, or the element is
 * not ready yet: resolve as usual), -1 on a browser failure (R holds the
 * error). */
int sel__try_ahead(struct sel_page *p, const struct sel_target *t,
                   const struct sel_opts *o, struct sel_result *r)
{
    struct sel__ahead *a = sel__ahead(p);
    cJSON *v = NULL, *tj;
    char err[512], *tok;
    double conf = 0, margin = 0;
    sel_code rc;
    ut_buf e;
    int ret = 0, id = -1, n = (int)a->cs.n;

    if (!rank_pending(a, t, o, r, &id, &conf, &margin))
        return 0;
    tj = cJSON_CreateString(a->tok);
    tok = cJSON_PrintUnformatted(tj);
    cJSON_Delete(tj);
    ut_buf_init(&e, UT_MAX_LINE);
    ut_buf_addf(&e, "__cdpilot.aheadCheck(%s,%d,\"%s\",0)",
                tok ? tok : "\"\"", id, sel__want_names[o->want]);
    free(tok);
    rc = sel_eval(p, ut_buf_str(&e), 1, o->timeout_ms, &v, err, sizeof err);
    ut_buf_free(&e);
    if (rc == SEL_OK && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v,
                                                                      "ok"))) {
        sel__take_located(r, v);
        r->source = SEL_SRC_HEURISTIC;
        r->confidence = conf;
        r->margin = margin;
        r->candidates = n;
        r->ahead = 1;
        ret = 1;
    } else if (rc == SEL_OK && !cJSON_IsTrue(
                   cJSON_GetObjectItemCaseSensitive(v, "stale"))) {
        ret = 0;                    /* not ready yet: the usual wait */
    } else if (rc == SEL_OK || rc == SEL_E_JS) {
        sel__ahead_clear(a);        /* the page changed: none holds */
    } else {
        sel__fail(r, rc, "%s", err);
        ret = -1;
    }
    cJSON_Delete(v);
    return ret;
}
