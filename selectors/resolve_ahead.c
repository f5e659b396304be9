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

/* Ranks the intents of PL over CS, the collection the page kept as
 * CS->ahead, into the page's store (what was there is dropped): the
 * confident ones only; the others resolve at their own step. */
void sel__rank_ahead(struct sel_page *p, const struct sel_opts *o,
                     const struct sel__ahead_plan *pl,
                     const struct sel_cands *cs, struct sel_result *r)
{
    struct sel__ahead *a = sel__ahead(p);
    int64_t t0 = ut_now_us();
    size_t i;

    sel__ahead_clear(a);
    if (!cs->ahead || !pl->n || !(a->tok = ut_strdup(cs->ahead)))
        return;
    for (i = 0; i < pl->n; i++) {
        const struct sel_ahead *q = pl->a[i];
        struct heur_result hr;
        int c;

        if (heur_rank(o->hx, q->intent, sel__heur_kind(q->want), cs->c,
                      cs->n, &hr))
            break;
        if (heur_decide(&hr, o->min_confidence, o->min_margin) ==
                HEUR_CONFIDENT &&
            (c = sel__control_of(cs, hr.ranked[0].cand)) >= 0 &&
            cs->c[c].id < SEL__FRAME_IDS &&       /* not a frame's */
            (a->r[a->n].intent = ut_strdup(q->intent)) != NULL) {
            a->r[a->n].want = q->want;
            a->r[a->n].id = cs->c[c].id;
            a->r[a->n].confidence = hr.confidence;
            a->r[a->n].margin = hr.margin;
            a->r[a->n].candidates = (int)cs->n;
            a->n++;
        }
        heur_result_free(&hr);
    }
    r->us_ahead += ut_now_us() - t0;
}

/* This step's intent as ranked ahead, when the page is still as it was
 * then: one call checks that and the choice's readiness (as a guess is
 * checked). Returns 1 (R holds the element), 0 (nothing ranked ahead,
 * the page changed, or the element is not ready yet: resolve as usual),
 * -1 on a browser failure (R holds the error). */
int sel__try_ahead(struct sel_page *p, const struct sel_target *t,
                   const struct sel_opts *o, struct sel_result *r)
{
    struct sel__ahead *a = sel__ahead(p);
    struct sel__ranked k;
    cJSON *v = NULL, *tj;
    char err[512], *tok;
    sel_code rc;
    ut_buf e;
    size_t i;
    int ret = 0;

    if (!a->tok)
        return 0;
    for (i = 0; i < a->n; i++)
        if (a->r[i].want == o->want && strcmp(a->r[i].intent, t->value) == 0)
            break;
    if (i == a->n)
        return 0;
    k = a->r[i];                    /* taken: a ranking serves once */
    a->r[i] = a->r[--a->n];
    tj = cJSON_CreateString(a->tok);
    tok = cJSON_PrintUnformatted(tj);
    cJSON_Delete(tj);
    ut_buf_init(&e, UT_MAX_LINE);
    ut_buf_addf(&e, "__cdpilot.aheadCheck(%s,%d,\"%s\",0)",
                tok ? tok : "\"\"", k.id, sel__want_names[o->want]);
    free(tok);
    rc = sel_eval(p, ut_buf_str(&e), 1, o->timeout_ms, &v, err, sizeof err);
    ut_buf_free(&e);
    if (rc == SEL_OK && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v,
                                                                      "ok"))) {
        sel__take_located(r, v);
        r->source = SEL_SRC_HEURISTIC;
        r->confidence = k.confidence;
        r->margin = k.margin;
        r->candidates = k.candidates;
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
    free(k.intent);
    return ret;
}
