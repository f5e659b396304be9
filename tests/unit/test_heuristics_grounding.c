/* test_heuristics_grounding.c -- the whole grounding corpus
 * (tests/grounding/) as a unit test: fails when accuracy (correct and
 * confident) drops below 90% or confident-wrong rises above 1%, overall or
 * on the held-out pages, at the profiles' default thresholds. Runs from
 * the repository root (tests/run.sh does). The record parser is compiled
 * in from selectors/cands.c: this test links only heuristics and util. */
#include "../t.h"
#include "../grounding/grounding.h"
#include "../../selectors/cands.c"

#define MIN_CONF 0.6
#define MIN_MARGIN 0.15

static void check_split(const struct gr_corpus *gc, int split,
                        const char *name)
{
    struct gr_stats s = gr_stats_of(gc, split, MIN_CONF, MIN_MARGIN);
    double ok = s.n ? 100.0 * s.ok / s.n : 0;
    double wrong = s.n ? 100.0 * s.wrong / s.n : 100;
    printf("%-9s %4d cases: correct+confident %.1f%%, confident-wrong "
           "%.1f%%, escalated %.1f%%\n", name, s.n, ok, wrong,
           s.n ? 100.0 * s.esc / s.n : 0);
    CHECK_MSG(s.n > 0, "%s: no cases", name);
    CHECK_MSG(ok >= 90.0, "%s: accuracy %.1f%% < 90%%", name, ok);
    CHECK_MSG(wrong <= 1.0, "%s: confident-wrong %.1f%% > 1%%", name, wrong);
}

int main(void)
{
    char err[512];
    struct heur_ctx *hx = heur_ctx_new(err, sizeof err);
    struct gr_corpus gc;
    size_t i;
    int esc_cases = 0;

    CHECK_MSG(hx != NULL, "%s", err);
    if (!hx)
        return T_DONE();
    if (gr_load(hx, "tests/grounding", &gc, err, sizeof err) != 0) {
        CHECK_MSG(0, "corpus: %s", err);
        heur_ctx_free(hx);
        return T_DONE();
    }
    CHECK_MSG(gc.n >= 250, "only %zu cases", gc.n);
    CHECK_MSG(gc.pages >= 25, "only %zu pages", gc.pages);
    for (i = 0; i < gc.n; i++)
        esc_cases += gc.c[i].want_escalate;
    CHECK_MSG(esc_cases >= 10, "only %d ambiguous cases", esc_cases);
    check_split(&gc, -1, "all");
    check_split(&gc, 0, "tuning");
    check_split(&gc, 1, "held-out");
    /* every ambiguous case must escalate: a guess there is the worst */
    for (i = 0; i < gc.n; i++)
        if (gc.c[i].want_escalate)
            CHECK_MSG(gr_outcome(&gc.c[i], MIN_CONF, MIN_MARGIN) > 0,
                      "%s \"%s\" resolved confidently", gc.c[i].id,
                      gc.c[i].intent);
    gr_free(&gc);
    heur_ctx_free(hx);
    return T_DONE();
}
