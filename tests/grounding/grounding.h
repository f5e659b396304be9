/* grounding.h -- loads the grounding corpus (tests/grounding/) and scores
 * every case; shared by bench/bench_grounding.c and
 * tests/unit/test_heuristics_grounding.c. Header-only (static functions),
 * like tests/t.h. Needs heuristics/, sel_cands_parse() and util/.
 *
 * Corpus layout: cases.json {"heldout": [page...], "cases": [{"id", "page",
 * "intent", "kind", "expect": [css...], "want": "confident"|"escalate",
 * "filled": form key of the fields the task filled before (optional)}]},
 * snapshots/PAGE.json (collector record document) and
 * snapshots/PAGE.expect.json ({case id: [candidate ids]}). Only the record
 * document reaches the scorer. cases-realapps.json, in the same format,
 * holds the cases on snapshots of real applications' pages
 * (tools/gen_realapps.py): they are their own split (struct gr_case's
 * realapp), with their own held-out pages. */
#ifndef CDPILOT_GROUNDING_H
#define CDPILOT_GROUNDING_H

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../heuristics/heur.h"
#include "../../selectors/sel.h"
#include "../../util/util.h"

#define GR_MAX_CASES 4000

/* One scored case. */
struct gr_case {
    char id[96], page[64], intent[200];
    char filled[100];   /* form the task filled before ("" none): the
                           history heur_rank_hist() is given */
    int kind;           /* enum heur_kind */
    int heldout;        /* page is in the held-out split */
    int realapp;        /* a real application's page (cases-realapps.json),
                           not a hand-written one (cases.json) */
    int want_escalate;  /* truly ambiguous: right answer is "not sure" */
    double conf, margin;
    int best_ok;        /* best candidate is one of the expected ids */
    int best_id;        /* candidate id of the best, -1 none */
    double us;          /* heur_rank time, microseconds */
    char top[3][160];   /* short descriptions of the top three */
};

struct gr_corpus {
    struct gr_case *c;
    size_t n;
    size_t pages;       /* distinct pages */
};

struct gr_stats {
    int n, ok, wrong, esc;      /* correct+confident, confident wrong,
                                   not confident (escalated/none) */
    int unsure, none;           /* esc = unsure (candidates, none sure
                                   enough: exit 4) + none (not found) */
};

/* The splits gr_stats_of() counts: the hand-written pages (cases.json)
 * and the real applications' pages (cases-realapps.json), each with its
 * tuning and held-out pages. -1, 0 and 1 keep their first meaning. */
enum gr_split {
    GR_HAND = -1,           /* hand-written pages */
    GR_HAND_TUNING = 0,
    GR_HAND_HELDOUT = 1,
    GR_RA = 2,              /* real-application pages */
    GR_RA_TUNING = 3,
    GR_RA_HELDOUT = 4,
    GR_ALL = 5              /* every case */
};

/* What became of a case: gr_verdict(). */
enum gr_verdict { GR_OK, GR_UNSURE, GR_NONE, GR_WRONG };

static int gr_kind(const char *k)
{
    if (!strcmp(k, "fill") || !strcmp(k, "type"))
        return HEUR_FILL;
    if (!strcmp(k, "select"))
        return HEUR_SELECT;
    if (!strcmp(k, "check") || !strcmp(k, "uncheck"))
        return HEUR_CHECK;
    if (!strcmp(k, "click") || !strcmp(k, "hover"))
        return HEUR_CLICK;
    if (!strcmp(k, "wait_for") || !strcmp(k, "see"))
        return HEUR_SEE;
    return HEUR_READ;   /* extract, assert, read */
}

static cJSON *gr_load_json(const char *path, char *err, size_t errlen)
{
    size_t len;
    char *s = ut_read_file(path, UT_MAX_FILE, &len, err, errlen);
    cJSON *j;
    if (!s)
        return NULL;
    j = cJSON_ParseWithLength(s, len);
    free(s);
    if (!j)
        snprintf(err, errlen, "%s: invalid JSON", path);
    return j;
}

static void gr_describe(const struct heur_cand *c, double total, char *out,
                        size_t n)
{
    const char *nm = c->name[0] ? c->name : c->text[0] ? c->text :
                     c->label[0] ? c->label : c->placeholder[0] ?
                     c->placeholder : c->near;
    snprintf(out, n, "#%d %s%s%s \"%.60s\" %.2f", c->id, c->tag,
             c->role[0] ? "/" : "", c->role, nm, total);
}

/* Scores the cases of PAGE (cases[] already filled with the page name);
 * returns 0 or -1 with ERR. */
static int gr_score_page(struct heur_ctx *hx, const char *dir,
                         const char *page, struct gr_case *cs, size_t n,
                         const cJSON *jcases, char *err, size_t errlen)
{
    char path[1024];
    size_t len, i;
    char *doc;
    struct sel_cands sc;
    cJSON *exp;

    snprintf(path, sizeof path, "%s/snapshots/%s.json", dir, page);
    doc = ut_read_file(path, UT_MAX_FILE, &len, err, errlen);
    if (!doc)
        return -1;
    if (sel_cands_parse(doc, len, &sc, err, errlen) != 0) {
        free(doc);
        return -1;
    }
    free(doc);
    snprintf(path, sizeof path, "%s/snapshots/%s.expect.json", dir, page);
    exp = gr_load_json(path, err, errlen);
    if (!exp) {
        sel_cands_free(&sc);
        return -1;
    }
    for (i = 0; i < n; i++) {
        struct gr_case *g = &cs[i];
        struct heur_result r;
        const cJSON *ids = cJSON_GetObjectItemCaseSensitive(exp, g->id), *e;
        struct heur_hist h;
        int64_t t0;
        size_t k;
        (void)jcases;
        memset(&h, 0, sizeof h);
        h.form = g->filled;
        t0 = ut_now_us();
        if (heur_rank_hist(hx, g->intent, (enum heur_kind)g->kind, sc.c,
                           sc.n, g->filled[0] ? &h : NULL, &r) != 0) {
            cJSON_Delete(exp);
            sel_cands_free(&sc);
            return ut_err(err, errlen, -1, "out of memory");
        }
        g->us = (double)(ut_now_us() - t0);
        g->conf = r.confidence;
        g->margin = r.margin;
        g->best_id = r.best >= 0 ? sc.c[r.best].id : -1;
        g->best_ok = 0;
        cJSON_ArrayForEach(e, ids)
            if (cJSON_IsNumber(e) && e->valueint >= 0 &&
                e->valueint == g->best_id)
                g->best_ok = 1;
        for (k = 0; k < 3; k++) {
            g->top[k][0] = '\0';
            if (k < r.n && r.ranked[k].total > 0)
                gr_describe(&sc.c[r.ranked[k].cand], r.ranked[k].total,
                            g->top[k], sizeof g->top[k]);
        }
        heur_result_free(&r);
    }
    cJSON_Delete(exp);
    sel_cands_free(&sc);
    return 0;
}

static int gr_str_in(const cJSON *arr, const char *s)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
        if (cJSON_IsString(e) && !strcmp(e->valuestring, s))
            return 1;
    return 0;
}

/* Reads the cases of the corpus file PATH into OUT (REALAPP marks them);
 * 0 or -1 with ERR. */
static int gr_read_cases(const char *path, int realapp,
                         struct gr_corpus *out, char *err, size_t errlen)
{
    cJSON *root, *cases, *held, *e;

    root = gr_load_json(path, err, errlen);
    if (!root)
        return -1;
    cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
    held = cJSON_GetObjectItemCaseSensitive(root, "heldout");
    if (!cJSON_IsArray(cases)) {
        cJSON_Delete(root);
        return ut_err(err, errlen, -1, "%s: no \"cases\" array", path);
    }
    cJSON_ArrayForEach(e, cases) {
        struct gr_case *g;
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
        const cJSON *pg = cJSON_GetObjectItemCaseSensitive(e, "page");
        const cJSON *in = cJSON_GetObjectItemCaseSensitive(e, "intent");
        const cJSON *kd = cJSON_GetObjectItemCaseSensitive(e, "kind");
        const cJSON *wt = cJSON_GetObjectItemCaseSensitive(e, "want");
        const cJSON *fd = cJSON_GetObjectItemCaseSensitive(e, "filled");
        if (out->n >= GR_MAX_CASES || !cJSON_IsString(id) ||
            !cJSON_IsString(pg) || !cJSON_IsString(in) ||
            !cJSON_IsString(kd))
            continue;
        g = &out->c[out->n++];
        ut_strlcpy(g->id, id->valuestring, sizeof g->id);
        ut_strlcpy(g->page, pg->valuestring, sizeof g->page);
        ut_strlcpy(g->intent, in->valuestring, sizeof g->intent);
        g->kind = gr_kind(kd->valuestring);
        ut_strlcpy(g->filled, cJSON_IsString(fd) ? fd->valuestring : "",
                   sizeof g->filled);
        g->want_escalate = cJSON_IsString(wt) &&
                           !strcmp(wt->valuestring, "escalate");
        g->heldout = gr_str_in(held, g->page);
        g->realapp = realapp;
    }
    cJSON_Delete(root);
    return 0;
}

/* Loads DIR/cases.json and DIR/cases-realapps.json (when there is one)
 * and scores every case. 0 or -1 with ERR. */
static int gr_load(struct heur_ctx *hx, const char *dir,
                   struct gr_corpus *out, char *err, size_t errlen)
{
    char path[1024];
    size_t start;
    FILE *f;

    memset(out, 0, sizeof *out);
    out->c = calloc(GR_MAX_CASES, sizeof *out->c);
    if (!out->c)
        return ut_err(err, errlen, -1, "out of memory");
    snprintf(path, sizeof path, "%s/cases.json", dir);
    if (gr_read_cases(path, 0, out, err, errlen) != 0)
        goto fail;
    snprintf(path, sizeof path, "%s/cases-realapps.json", dir);
    if ((f = fopen(path, "r")) != NULL) {
        fclose(f);
        if (gr_read_cases(path, 1, out, err, errlen) != 0)
            goto fail;
    }
    /* score page by page: a page's cases are contiguous in its file */
    for (start = 0; start < out->n; ) {
        size_t j = start + 1;
        while (j < out->n && !strcmp(out->c[j].page, out->c[start].page))
            j++;
        size_t k = 0;
        if (gr_score_page(hx, dir, out->c[start].page, &out->c[start],
                          j - start, NULL, err, errlen) != 0)
            goto fail;
        while (k < start && strcmp(out->c[k].page, out->c[start].page))
            k++;
        out->pages += k == start;   /* pages, not runs of cases */
        start = j;
    }
    return 0;
fail:
    free(out->c);
    out->c = NULL;
    out->n = 0;
    return -1;
}

/* What became of case G under thresholds: correct and confident, not
 * confident with candidates (uncertain), no plausible candidate (not
 * found), or confident on another element. For want_escalate cases "not
 * confident" is the right answer and counts as correct. */
static enum gr_verdict gr_verdict(const struct gr_case *g, double min_conf,
                                  double min_margin)
{
    struct heur_result r;
    enum heur_decision d;
    memset(&r, 0, sizeof r);
    r.best = g->best_id >= 0 ? 0 : -1;
    r.confidence = g->conf;
    r.margin = g->margin;
    d = heur_decide(&r, min_conf, min_margin);
    if (g->want_escalate)
        return d == HEUR_CONFIDENT ? GR_WRONG : GR_OK;
    if (d == HEUR_NONE)
        return GR_NONE;
    if (d != HEUR_CONFIDENT)
        return GR_UNSURE;
    return g->best_ok ? GR_OK : GR_WRONG;
}

/* Outcome of case G under thresholds: 1 correct+confident, -1 confident
 * wrong, 0 escalated (not confident). */
static int gr_outcome(const struct gr_case *g, double min_conf,
                      double min_margin)
{
    enum gr_verdict v = gr_verdict(g, min_conf, min_margin);
    return v == GR_OK ? 1 : v == GR_WRONG ? -1 : 0;
}

/* Is case G in SPLIT (enum gr_split)? */
static int gr_in_split(const struct gr_case *g, int split)
{
    switch (split) {
    case GR_HAND:         return !g->realapp;
    case GR_HAND_TUNING:  return !g->realapp && !g->heldout;
    case GR_HAND_HELDOUT: return !g->realapp && g->heldout;
    case GR_RA:           return g->realapp;
    case GR_RA_TUNING:    return g->realapp && !g->heldout;
    case GR_RA_HELDOUT:   return g->realapp && g->heldout;
    default:              return 1;
    }
}

/* The outcomes of SPLIT's cases (enum gr_split). */
static struct gr_stats gr_stats_of(const struct gr_corpus *gc, int split,
                                   double min_conf, double min_margin)
{
    struct gr_stats s = {0, 0, 0, 0, 0, 0};
    size_t i;
    for (i = 0; i < gc->n; i++) {
        if (!gr_in_split(&gc->c[i], split))
            continue;
        s.n++;
        switch (gr_verdict(&gc->c[i], min_conf, min_margin)) {
        case GR_OK:     s.ok++; break;
        case GR_WRONG:  s.wrong++; break;
        case GR_UNSURE: s.unsure++; s.esc++; break;
        case GR_NONE:   s.none++; s.esc++; break;
        }
    }
    return s;
}

static void gr_free(struct gr_corpus *gc)
{
    free(gc->c);
    gc->c = NULL;
    gc->n = 0;
}

#endif
