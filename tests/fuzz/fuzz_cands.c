/* fuzz_cands.c -- candidate records: sel_cands_parse on arbitrary bytes,
 * then the heuristics on whatever parsed: heur_rank for a fixed intent
 * (picked by the input's size, as is the step kind) and for the page
 * title as intent (so the fuzzer controls the intent too), heur_decide
 * and heur_normalize. Contract checked: every score, the confidence and
 * the margin are finite and in [0,1]; the ranking is best first and
 * names real candidates. */
#include "fuzz.h"
#include "../../selectors/sel.h"
#include "../../heuristics/heur.h"

#include <math.h>

/* Compiled pcre2 patterns, made once per process: libFuzzer gives the
 * harness no context pointer, so this is the one global. */
static struct heur_ctx *g_hx;

static const char *const INTENTS[] = {
    "Sign in button", "Email", "Password", "second Add to cart",
    "Add to cart for Blue Mug", "last link in the footer",
    "Keep me signed in", "search box", "the price next to Total",
    "3rd row delete", "Log-in", "Weiter", "menu", "close dialog",
    "",
};
#define NINTENTS (sizeof INTENTS / sizeof *INTENTS)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char err[256];

    (void)argc;
    (void)argv;
    g_hx = heur_ctx_new(err, sizeof err);
    if (!g_hx) {
        fprintf(stderr, "heur_ctx_new: %s\n", err);
        abort();
    }
    return 0;
}

static int in01(double v)
{
    return isfinite(v) && v >= 0.0 && v <= 1.0;
}

static void rank(const struct sel_cands *cs, const char *intent,
                 enum heur_kind kind)
{
    struct heur_result r;
    size_t i;
    int f;

    memset(&r, 0, sizeof r);
    if (heur_rank(g_hx, intent, kind, cs->c, cs->n, &r) != 0)
        return;   /* out of memory */
    FUZZ_CHECK(r.best >= -1 && (r.best < 0 || (size_t)r.best < cs->n));
    FUZZ_CHECK(r.n <= cs->n && (r.n == 0 || r.ranked));
    FUZZ_CHECK(in01(r.confidence));
    FUZZ_CHECK(isfinite(r.margin) && r.margin >= -1e-9 &&
               r.margin <= 1.0 + 1e-9);
    for (i = 0; i < r.n; i++) {
        FUZZ_CHECK(r.ranked[i].cand >= 0 &&
                   (size_t)r.ranked[i].cand < cs->n);
        FUZZ_CHECK(in01(r.ranked[i].total));
        for (f = 0; f < HEUR_F_COUNT; f++)
            FUZZ_CHECK(isfinite(r.ranked[i].f[f]));
        if (i > 0)
            FUZZ_CHECK(r.ranked[i].total <= r.ranked[i - 1].total);
    }
    (void)heur_decide(&r, 0.6, 0.1);
    heur_result_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sel_cands cs;
    char err[256], norm[512];
    char *json;

    if (size > FUZZ_MAX_INPUT)
        return 0;
    if (!g_hx)
        LLVMFuzzerInitialize(NULL, NULL);
    json = fuzz_strdup(data, size);
    memset(err, 'x', sizeof err);
    if (sel_cands_parse(json, size, &cs, err, sizeof err) == 0) {
        FUZZ_CHECK(cs.c != NULL && cs.title && cs.url);
        rank(&cs, INTENTS[size % NINTENTS],
             (enum heur_kind)(size / NINTENTS % HEUR_KIND_COUNT));
        if (*cs.title) {
            rank(&cs, cs.title, (enum heur_kind)(size % HEUR_KIND_COUNT));
            FUZZ_CHECK(heur_normalize(g_hx, cs.title, norm, sizeof norm)
                       == norm);
            FUZZ_CHECK(memchr(norm, '\0', sizeof norm) != NULL);
        }
        sel_cands_free(&cs);
    } else {
        FUZZ_CHECK(fuzz_one_line(err, sizeof err) && err[0]);
        FUZZ_CHECK(cs.c == NULL && cs.store_ == NULL);
    }
    free(json);
    return 0;
}
