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
 * document reaches the scorer. */
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
    size_t pages;
};

struct gr_stats {
    int n, ok, wrong, esc;      /* correct+confident, confident wrong,
                                   not confident (escalated/none) */
};

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

/* Loads DIR/cases.json and scores every case. 0 or -1 with ERR. */
static int gr_load(struct heur_ctx *hx, const char *dir,
                   struct gr_corpus *out, char *err, size_t errlen)
{
    char path[1024];
    cJSON *root, *cases, *held, *e;
    size_t i, start;

    memset(out, 0, sizeof *out);
    snprintf(path, sizeof path, "%s/cases.json", dir);
    root = gr_load_json(path, err, errlen);
    if (!root)
        return -1;
    cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
    held = cJSON_GetObjectItemCaseSensitive(root, "heldout");
    out->c = calloc(GR_MAX_CASES, sizeof *out->c);
    if (!cJSON_IsArray(cases) || !out->c) {
        cJSON_Delete(root);
        free(out->c);
        out->c = NULL;
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
    }
    /* group by page: cases of one page are contiguous in cases.json is not
     * required, so score page by page over a sorted copy of the indices */
    for (start = 0; start < out->n; ) {
        size_t j = start + 1;
        while (j < out->n && !strcmp(out->c[j].page, out->c[start].page))
            j++;
        if (gr_score_page(hx, dir, out->c[start].page, &out->c[start],
                          j - start, cases, err, errlen) != 0) {
            cJSON_Delete(root);
            free(out->c);
            out->c = NULL;
            return -1;
        }
        out->pages++;
        start = j;
    }
    (void)i;
    cJSON_Delete(root);
    return 0;
}

/* Outcome of case G under thresholds: 1 correct+confident, -1 confident
 * wrong, 0 escalated (not confident). For want_escalate cases "not
 * confident" is the right answer and counts as correct. */
static int gr_outcome(const struct gr_case *g, double min_conf,
                      double min_margin)
{
    struct heur_result r;
    int conf;
    memset(&r, 0, sizeof r);
    r.best = g->best_id >= 0 ? 0 : -1;
    r.confidence = g->conf;
    r.margin = g->margin;
    conf = heur_decide(&r, min_conf, min_margin) == HEUR_CONFIDENT;
    if (g->want_escalate)
        return conf ? -1 : 1;
    if (!conf)
        return 0;
    return g->best_ok ? 1 : -1;
}

/* SPLIT: -1 all, 0 tuning pages, 1 held-out pages. */
static struct gr_stats gr_stats_of(const struct gr_corpus *gc, int split,
                                   double min_conf, double min_margin)
{
    struct gr_stats s = {0, 0, 0, 0};
    size_t i;
    for (i = 0; i < gc->n; i++) {
        int o;
        if (split >= 0 && gc->c[i].heldout != split)
            continue;
        o = gr_outcome(&gc->c[i], min_conf, min_margin);
        s.n++;
        if (o > 0)
            s.ok++;
        else if (o < 0)
            s.wrong++;
        else
            s.esc++;
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
