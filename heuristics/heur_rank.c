/* heur_rank.c -- ranking candidates against an intent.
 *
 * A candidate's total is a product of factors in [0,1]:
 *   text match (name/label/text/placeholder..., or id/name/testid tokens)
 *   x step-kind compatibility x role-word agreement x visibility/enabled
 *   x context agreement ("for Blue Mug") x ordinal ("second")
 * computed under two readings of the intent (role words and the context
 * clause taken apart, or every word taken as part of the name) keeping the
 * better. Confidence is the best total; the margin is measured against the
 * best candidate that is not the same control (a label and its checkbox,
 * a link and the image inside it). Every weight is named in the file
 * that uses it, with the page pattern and the corpus case that turns on
 * it (or a note that none does); docs/HEURISTICS.md explains them. */
#include "heur_int.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

/* Each weight names the page pattern it exists for and a case of the
 * grounding corpus that turns on it: moved by about 0.1 (or as far as
 * stated), that case's outcome changes. */

/* Readings. */
#define ROLE_IS        0.95   /* a role factor from which the element is
                                 what the role word says (a label for a
                                 checkbox is, at 0.95): no case turns on
                                 0.85-1 (0.57: ra-pma-login-06 "the help
                                 icon" finds candidates) */
#define ROLE_ONLY      0.8    /* the name score of an intent of role words
                                 alone ("the checkbox": issue 22 pattern
                                 8, p-tasks-14 "a text area": 0.7 leaves
                                 it uncertain) */
#define CTX_BASE       0.5    /* context factor: CTX_BASE + CTX_AGREE x
                                 agreement of the context clause; no case
                                 turns on CTX_BASE 0.3-0.7 (0: users-09
                                 "select row for Dan Okafor" uncertain) */
#define CTX_AGREE      0.5    /* (0.3: dashboard-11 "amount of the Salary
                                 transaction" uncertain) */

/* Decision. */
#define NONE_BELOW     0.25   /* best total under this: HEUR_NONE (0.35:
                                 cookies-10 "article headline" is not
                                 found instead of uncertain; 0.15:
                                 dashboard-10 "status message" the
                                 reverse) */

const char *heur_feature_name(int f)
{
    static const char *const names[HEUR_F_COUNT] = {
        "name", "attr", "role", "kind", "context", "ordinal", "visible"
    };
    return f >= 0 && f < HEUR_F_COUNT ? names[f] : "?";
}

/* The intent's probes as a one-pass matcher: a bit per first byte of
 * the one-byte probes ("+") and per first two bytes of the others; a set
 * bit is confirmed with memcmp. */
struct probeset {
    unsigned char one[256 / 8];
    unsigned char two[65536 / 8];
    unsigned char len[HEUR__MAXPROBE];
    const struct heur__intent *it;
};

static void probeset_init(struct probeset *ps, const struct heur__intent *it)
{
    int i;
    memset(ps->one, 0, sizeof ps->one);
    memset(ps->two, 0, sizeof ps->two);
    ps->it = it;
    for (i = 0; i < it->n_probe; i++) {
        const unsigned char *p = (const unsigned char *)it->probe[i];
        size_t l = strlen(it->probe[i]);
        ps->len[i] = (unsigned char)l;
        if (l == 1)
            ps->one[p[0] >> 3] |= (unsigned char)(1u << (p[0] & 7));
        else if (l > 1)
            ps->two[(p[0] << 5) | (p[1] >> 3)] |=
                (unsigned char)(1u << (p[1] & 7));
    }
}

/* Does H (N bytes) contain a probe of PS? */
static int probeset_hit(const struct probeset *ps, const char *h, size_t n)
{
    const unsigned char *p = (const unsigned char *)h;
    size_t i;
    int k;

    for (i = 0; i < n; i++) {
        unsigned a = p[i], b;
        if (ps->one[a >> 3] & (1u << (a & 7)))
            return 1;
        if (i + 1 >= n)
            break;
        b = p[i + 1];
        if (!(ps->two[(a << 5) | (b >> 3)] & (1u << (b & 7))))
            continue;
        for (k = 0; k < ps->it->n_probe; k++)
            if (ps->len[k] >= 2 && ps->len[k] <= n - i &&
                memcmp(h + i, ps->it->probe[k], ps->len[k]) == 0)
                return 1;
    }
    return 0;
}

/* Does the folded text of C (the fields a name or attribute match reads)
 * contain a probe? HAY is scratch of CAP bytes. */
static int prefilter(const struct probeset *ps, const struct heur_cand *c,
                     char *hay, size_t cap)
{
    const char *f[13] = {c->name, c->label, c->aria_label, c->text, c->alt,
                         c->placeholder, c->title, c->value, c->near,
                         c->id_attr, c->name_attr, c->testid, c->cls};
    size_t o = 0;
    int i;

    const char *imp = heur__implied(c);

    if (ps->it->n_probe == 0)
        return 1;
    for (i = 0; i < 14 && o + 2 < cap; i++) {
        size_t l;
        const char *v = i < 13 ? f[i] : imp;
        if (!v || !v[0])
            continue;
        l = strlen(v);
        if (l > 400)
            l = 400;
        o += heur__fold(v, l, hay + o, cap - o);
        hay[o++] = '\n';
    }
    return probeset_hit(ps, hay, o);
}

static void score_one(struct heur_ctx *hx, const struct heur__intent *it,
                      const struct heur__iwords *iw, enum heur_kind kind,
                      const struct heur_cand *all,
                      size_t n, size_t ci, struct heur__work *wk,
                      struct heur_score *out)
{
    const struct heur_cand *c = &all[ci];
    const struct heur_cand *ctl = c->for_id != c->id ?
                                  heur__find_id(all, n, c->for_id) : NULL;
    double K, V, R, Rb = 1.0, X = 1.0, na, attr, a, b = 0, nb = 0;
    unsigned um = it->roles, umb = it->roles;

    memset(out, 0, sizeof *out);
    out->cand = (int)ci;
    K = heur__kind_factor(kind, c, ctl);
    V = heur__visible_factor(kind, c, ctl);
    wk->has_ctx = 0;
    wk->nsrc = -1;
    wk->verb_ok = 0;
    wk->whole = 0;
    if (iw[0].verb >= 0) {
        int rc = heur__role_word(it->main.t[iw[0].verb].s);
        wk->verb_ok = rc >= 0 && heur__role_class(rc, c, ctl) >= ROLE_IS;
    }
    /* clicking what the intent names by its role ("the text field", "the
     * Subscribe heading"): the role says it is the one to click (issue 22
     * pattern 8, p-inputs-01) */
    if (kind == HEUR_CLICK && K < 1.0 && it->roles &&
        heur__role_factor(it->roles, c, ctl) >= ROLE_IS)
        K = 1.0;

    /* Reading a: the main words name the element, the context clause
     * must agree with its surroundings. */
    if (it->n_content) {
        na = heur__name_score(hx, &iw[0], c, kind, wk, 0, &um);
        attr = heur__attr_score(hx, &it->main, c, wk);
    } else {
        /* "the checkbox": only role and ordinal decide */
        na = it->roles ? ROLE_ONLY : 0;
        attr = 0;
    }
    R = heur__role_factor(um, c, ctl);
    if (it->ctx.n && (na > 0 || attr > 0)) {
        heur__build_ctx(hx, c, wk);
        X = CTX_BASE + CTX_AGREE * heur__ctx_match(it, wk);
    }
    a = (na > attr ? na : attr) * K * R * V * X;
    if (!it->n_content && it->main.n) {
        /* only role words ("Menu", "Search button"...): they may also be
         * the element's name */
        unsigned um2;
        double v = heur__name_score(hx, &iw[0], c, kind, wk, 0, &um2), r2;
        r2 = heur__role_factor(um2, c, ctl);
        if (v * K * V * X * r2 > a) {
            a = v * K * V * X * r2;
            na = v;
            R = r2;
        }
    }

    /* Reading b: every word is part of the name; words missing from the
     * name may be found around it ("Add Blue Mug to cart" on an "Add to
     * cart" button, "Search for products" as one placeholder). */
    if (it->n_content && (it->ctx.n || (na > 0 && na < HEUR__WHOLE))) {
        const struct heur__iwords *I = &iw[it->ctx.n ? 1 : 0];
        double prec;
        if (!wk->has_ctx)
            heur__build_ctx(hx, c, wk);
        memset(wk->ctx_credit, 0, sizeof wk->ctx_credit);
        heur__match(I->t, &wk->ctxw, wk->ctx_credit, &prec);
        nb = heur__name_score(hx, I, c, kind, wk, 1, &umb);
        Rb = heur__role_factor(umb, c, ctl);
        b = nb * K * V * Rb;
    }
    out->f[HEUR_F_KIND] = K;
    out->f[HEUR_F_VISIBLE] = V;
    out->f[HEUR_F_ORDINAL] = 1.0;
    out->f[HEUR_F_ATTR] = attr;
    if (a >= b) {
        out->total = a;
        out->f[HEUR_F_NAME] = na;
        out->f[HEUR_F_ROLE] = R;
        out->f[HEUR_F_CONTEXT] = X;
    } else {
        out->total = b;
        out->f[HEUR_F_NAME] = nb;
        out->f[HEUR_F_ROLE] = Rb;
        out->f[HEUR_F_CONTEXT] = 1.0;
    }
}

static int by_total(const void *pa, const void *pb)
{
    const struct heur_score *a = pa, *b = pb;
    if (a->total > b->total)
        return -1;
    if (a->total < b->total)
        return 1;
    return a->cand - b->cand;   /* stable: document order */
}

/* Per-context scratch for heur_rank(): reused from call to call (one
 * allocation per heur_ctx, freed by heur_ctx_free()). */
#define HAYCAP 8192
struct heur__scratch {
    struct heur__work wk;
    struct probeset ps;
    char hay[HAYCAP];
    struct heur_score *zeros;   /* rank_scores(): zero totals, grown */
    size_t zcap;
    unsigned char *whole;       /* per candidate: struct heur__work's whole */
    size_t wcap;
};

void heur__scratch_free(struct heur_ctx *hx)
{
    if (!hx || !hx->scratch)
        return;
    free(hx->scratch->zeros);
    free(hx->scratch->whole);
    free(hx->scratch);
    hx->scratch = NULL;
}

/* Ranks scores S (N, in document order): nonzero totals best first (ties
 * in document order), then the zeros in document order -- what sorting
 * everything by total gives, without sorting the zeros. Returns -1 on
 * out-of-memory (S then sorted whole). */
static int rank_scores(struct heur__scratch *sc, struct heur_score *s,
                       size_t n)
{
    size_t i, nz = 0, z = 0;
    struct heur_score *zeros;

    for (i = 0; i < n; i++)
        z += !(s[i].total > 0);
    if (z > sc->zcap) {
        zeros = realloc(sc->zeros, z * sizeof *zeros);
        if (!zeros) {
            qsort(s, n, sizeof *s, by_total);
            return -1;
        }
        sc->zeros = zeros;
        sc->zcap = z;
    }
    zeros = sc->zeros;
    for (i = 0, z = 0; i < n; i++) {
        if (s[i].total > 0)
            s[nz++] = s[i];
        else
            zeros[z++] = s[i];
    }
    if (z)
        memcpy(s + nz, zeros, z * sizeof *zeros);
    qsort(s, nz, sizeof *s, by_total);
    return 0;
}

/* Ranks C for the parsed intent IT into OUT (its array allocated). */
static int rank_it(struct heur_ctx *hx, struct heur__intent *it,
                   enum heur_kind kind, const struct heur_cand *c, size_t n,
                   const struct heur_hist *h, struct heur_result *out)
{
    struct heur__iwords iw[2];        /* it.main, it.all */
    struct heur__scratch *sc = hx->scratch;
    size_t i;

    memset(out, 0, sizeof *out);
    out->best = -1;
    out->ranked = calloc(n ? n : 1, sizeof *out->ranked);
    if (!out->ranked)
        return -1;
    if (n > sc->wcap) {
        unsigned char *w = realloc(sc->whole, n);
        if (!w) {
            free(out->ranked);
            out->ranked = NULL;
            return -1;
        }
        sc->whole = w;
        sc->wcap = n;
    }
    if (n)
        memset(sc->whole, 0, n);
    sc->wk.gen++;               /* forget the previous call's words */
    heur__iwords_init(&iw[0], &it->main);
    heur__iwords_init(&iw[1], &it->all);
    probeset_init(&sc->ps, it);
    for (i = 0; i < n; i++) {
        if (!prefilter(&sc->ps, &c[i], sc->hay, sizeof sc->hay)) {
            out->ranked[i].cand = (int)i;
            continue;
        }
        score_one(hx, it, iw, kind, c, n, i, &sc->wk, &out->ranked[i]);
        sc->whole[i] = (unsigned char)sc->wk.whole;
    }
    heur__text_click(kind, c, out->ranked, n);
    heur__whole_wins(out->ranked, n, sc->whole);
    heur__row_subject(kind, c, out->ranked, n, sc->whole);
    if (kind != HEUR_SEE && kind != HEUR_READ && !it->ordinal)
        heur__row_twins(c, out->ranked, n);
    /* an ordinal counts what the words fit, as a person counts the
     * Execute buttons on the page; the form just filled then weighs
     * among what is left (issue 22 pattern 6, p-notebook-02) */
    if (it->ordinal)
        heur__apply_ordinal(it, c, out->ranked, n);
    heur__apply_hist(h, kind, c, out->ranked, n);
    (void)rank_scores(sc, out->ranked, n);     /* sorted either way */
    heur__descend(kind, c, out->ranked, n);
    out->n = n;
    if (n && out->ranked[0].total > 0) {
        const struct heur_cand *b = &c[out->ranked[0].cand];
        double second = 0;
        for (i = 1; i < n; i++)
            if (!heur__same_choice(hx, b, &c[out->ranked[i].cand])) {
                second = out->ranked[i].total;
                break;
            }
        out->best = out->ranked[0].cand;
        out->confidence = out->ranked[0].total;
        out->margin = out->confidence - second;
    }
    return 0;
}

int heur_rank_hist(struct heur_ctx *hx, const char *intent,
                   enum heur_kind kind, const struct heur_cand *c, size_t n,
                   const struct heur_hist *h, struct heur_result *out)
{
    struct heur__intent it;

    memset(out, 0, sizeof *out);
    out->best = -1;
    if ((unsigned)kind >= HEUR_KIND_COUNT)
        kind = HEUR_READ;
    if (!hx->scratch && !(hx->scratch = calloc(1, sizeof *hx->scratch)))
        return -1;
    heur__parse_intent(hx, intent, &it, 0);
    if (it.ordinal) {
        /* An element whose text is the whole intent, ordinal phrase
         * included ("Section #2", a tab), is what it names: an exact
         * text wins over the ordinal reading (issue 22 pattern 10,
         * p-tasks-04). */
        struct heur__intent lit;
        heur__parse_intent(hx, intent, &lit, 1);
        if (kind == HEUR_CLICK)
            heur__intent_verb(&lit);
        if (rank_it(hx, &lit, kind, c, n, h, out) != 0)
            return -1;
        if (out->best >= 0 && out->ranked[0].f[HEUR_F_NAME] >= HEUR__WHOLE)
            return 0;
        heur_result_free(out);
    }
    if (kind == HEUR_CLICK)
        heur__intent_verb(&it);
    return rank_it(hx, &it, kind, c, n, h, out);
}

int heur_rank(struct heur_ctx *hx, const char *intent, enum heur_kind kind,
              const struct heur_cand *c, size_t n, struct heur_result *out)
{
    return heur_rank_hist(hx, intent, kind, c, n, NULL, out);
}

void heur_result_free(struct heur_result *r)
{
    if (!r)
        return;
    free(r->ranked);
    r->ranked = NULL;
    r->n = 0;
    r->best = -1;
}

enum heur_decision heur_decide(const struct heur_result *r, double min_conf,
                               double min_margin)
{
    if (!r || r->best < 0 || r->confidence < NONE_BELOW)
        return HEUR_NONE;
    if (r->confidence >= min_conf && r->margin >= min_margin)
        return HEUR_CONFIDENT;
    return HEUR_UNCERTAIN;
}
