/* test_heuristics_grounding.c -- the whole grounding corpus
 * (tests/grounding/) as a unit test.
 *
 * The hand-written pages (cases.json) are the guard of the heuristics:
 * it fails when accuracy (correct and confident) drops below 93.9% (what
 * it measured before the real-application patterns of issue 22 were
 * learnt) or any case is confidently wrong, overall, on the tuning and
 * the held-out pages, and on the pages written before the pattern pages
 * ("p-*", written with the patterns), at the profiles' default
 * thresholds.
 *
 * The real applications' pages (cases-realapps.json, snapshots taken by
 * tools/gen_realapps.py) are measured apart, tuning and held-out pages
 * each: the test fails when fewer cases are correct than RA_*_OK (the
 * figures measured when the split was added; raise them as the heuristics
 * improve) or more are confidently wrong than RA_*_WRONG, when the split
 * has fewer than 300 cases, or when an application has fewer than a
 * third of its pages held out.
 *
 * Runs from the repository root (tests/run.sh does). The record parser is
 * compiled in from selectors/cands.c: this test links only heuristics and
 * util. */
#include "../t.h"
#include "../grounding/grounding.h"
#include "../../selectors/cands.c"

#define MIN_CONF 0.6
#define MIN_MARGIN 0.15
#define MIN_OK 93.9         /* % correct and confident, every split */

/* Real-application split: floors of correct cases and ceilings of
 * confidently wrong ones, as measured (tuning: 261 cases, held-out 133).
 * The held-out ones: "the first alert" taking the Alerts link and
 * "Trash the first comment" the Trash view's link (both so at the merge
 * base of the scorer work too), and "More" resolved to the tab bar's
 * menu over each column's "More" by the rule for an action every row
 * repeats (labelled ambiguous; docs/HEURISTICS.md "Measured"). */
#define RA_TUNING_OK 215
#define RA_TUNING_WRONG 2
#define RA_HELDOUT_OK 110
#define RA_HELDOUT_WRONG 3

static void print_stats(struct gr_stats s, const char *name)
{
    printf("%-18s %4d cases: correct+confident %.1f%%, uncertain %d, not "
           "found %d, confident-wrong %d\n", name, s.n,
           s.n ? 100.0 * s.ok / s.n : 0, s.unsure, s.none, s.wrong);
}

static void check_stats(struct gr_stats s, const char *name)
{
    double ok = s.n ? 100.0 * s.ok / s.n : 0;
    print_stats(s, name);
    CHECK_MSG(s.n > 0, "%s: no cases", name);
    /* a hair under: 93.9% is 324 of 345, a rounded figure */
    CHECK_MSG(ok >= MIN_OK - 0.05, "%s: accuracy %.1f%% < %.1f%%", name, ok,
              MIN_OK);
    CHECK_MSG(s.wrong == 0, "%s: %d confidently wrong", name, s.wrong);
}

static void check_split(const struct gr_corpus *gc, int split,
                        const char *name)
{
    check_stats(gr_stats_of(gc, split, MIN_CONF, MIN_MARGIN), name);
}

/* The hand-written pages written before the pattern pages of issue 22. */
static void check_older(const struct gr_corpus *gc)
{
    struct gr_stats s = {0, 0, 0, 0, 0, 0};
    size_t i;
    for (i = 0; i < gc->n; i++) {
        enum gr_verdict v;
        if (gc->c[i].realapp || strncmp(gc->c[i].page, "p-", 2) == 0)
            continue;
        v = gr_verdict(&gc->c[i], MIN_CONF, MIN_MARGIN);
        s.n++;
        s.ok += v == GR_OK;
        s.wrong += v == GR_WRONG;
        s.unsure += v == GR_UNSURE;
        s.none += v == GR_NONE;
    }
    s.esc = s.unsure + s.none;
    check_stats(s, "hand older");
}

static void check_realapps(const struct gr_corpus *gc, int split,
                           const char *name, int min_ok, int max_wrong)
{
    struct gr_stats s = gr_stats_of(gc, split, MIN_CONF, MIN_MARGIN);
    print_stats(s, name);
    CHECK_MSG(s.ok >= min_ok, "%s: %d correct, fewer than the %d measured",
              name, s.ok, min_ok);
    CHECK_MSG(s.wrong <= max_wrong, "%s: %d confidently wrong, more than "
              "the %d measured", name, s.wrong, max_wrong);
}

/* Every application ("ra-APP-...") keeps at least a third of its pages
 * held out; returns the number of real-application pages. */
static int check_heldout_pages(const struct gr_corpus *gc)
{
    char app[8][16];
    int pages[8] = {0}, held[8] = {0}, napp = 0, total = 0, a;
    size_t i, j;
    for (i = 0; i < gc->n; i++) {
        const struct gr_case *g = &gc->c[i];
        const char *e;
        size_t len;
        if (!g->realapp)
            continue;
        for (j = 0; j < i && strcmp(gc->c[j].page, g->page); j++)
            ;
        if (j < i)
            continue;   /* page counted already */
        e = strchr(g->page + 3, '-');
        len = e ? (size_t)(e - g->page) : strlen(g->page);
        for (a = 0; a < napp; a++)
            if (strlen(app[a]) == len && !strncmp(app[a], g->page, len))
                break;
        if (a == napp) {
            if (napp == 8 || len >= sizeof app[0])
                continue;
            memcpy(app[a], g->page, len);
            app[a][len] = '\0';
            napp++;
        }
        pages[a]++;
        held[a] += g->heldout;
        total++;
    }
    CHECK_MSG(napp >= 4, "real applications: only %d", napp);
    for (a = 0; a < napp; a++)
        CHECK_MSG(3 * held[a] >= pages[a], "%s: %d of %d pages held out, "
                  "less than a third", app[a], held[a], pages[a]);
    return total;
}

int main(void)
{
    char err[512];
    struct heur_ctx *hx = heur_ctx_new(err, sizeof err);
    struct gr_corpus gc;
    size_t i;
    int esc_cases = 0, hand = 0, ra = 0, ra_pages;

    CHECK_MSG(hx != NULL, "%s", err);
    if (!hx)
        return T_DONE();
    if (gr_load(hx, "tests/grounding", &gc, err, sizeof err) != 0) {
        CHECK_MSG(0, "corpus: %s", err);
        heur_ctx_free(hx);
        return T_DONE();
    }
    for (i = 0; i < gc.n; i++) {
        hand += !gc.c[i].realapp;
        ra += gc.c[i].realapp;
        esc_cases += !gc.c[i].realapp && gc.c[i].want_escalate;
    }
    CHECK_MSG(hand >= 250, "only %d hand-written cases", hand);
    CHECK_MSG(gc.pages >= 25, "only %zu pages", gc.pages);
    CHECK_MSG(esc_cases >= 10, "only %d ambiguous cases", esc_cases);
    check_split(&gc, GR_HAND, "hand all");
    check_split(&gc, GR_HAND_TUNING, "hand tuning");
    check_split(&gc, GR_HAND_HELDOUT, "hand held-out");
    check_older(&gc);
    /* every ambiguous hand-written case must escalate: a guess there is
     * the worst */
    for (i = 0; i < gc.n; i++)
        if (!gc.c[i].realapp && gc.c[i].want_escalate)
            CHECK_MSG(gr_outcome(&gc.c[i], MIN_CONF, MIN_MARGIN) > 0,
                      "%s \"%s\" resolved confidently", gc.c[i].id,
                      gc.c[i].intent);

    CHECK_MSG(ra >= 300, "only %d real-application cases", ra);
    ra_pages = check_heldout_pages(&gc);
    CHECK_MSG(ra_pages >= 24, "only %d real-application pages", ra_pages);
    check_realapps(&gc, GR_RA_TUNING, "real-app tuning", RA_TUNING_OK,
                   RA_TUNING_WRONG);
    check_realapps(&gc, GR_RA_HELDOUT, "real-app held-out", RA_HELDOUT_OK,
                   RA_HELDOUT_WRONG);
    gr_free(&gc);
    heur_ctx_free(hx);
    return T_DONE();
}
