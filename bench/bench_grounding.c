/* bench_grounding.c -- accuracy and speed of plain-words resolution on the
 * grounding corpus (tests/grounding/, see its README).
 *
 * usage: bench_grounding [DIR] [-v] [--conf X] [--margin Y] [--sweep]
 *   DIR       corpus directory (default tests/grounding)
 *   -v        list every case that is not correct, with the top three
 *             (WRONG confident-wrong, ESC uncertain, NONE not found)
 *   --conf/--margin  thresholds (default 0.6 / 0.15, the profiles')
 *   --sweep   also print outcomes over a grid of thresholds
 * Prints cases, accuracy (correct and confident), confident-wrong rate,
 * escalation rate, scoring time per case (median, p95, hand-written and
 * real pages apart); per split (the
 * hand-written pages, the real applications' pages, each in tuning and
 * held-out) correct / uncertain / not found / confident-wrong; and, when
 * DIR/perf/ has PAGE.json files, scoring time on those big pages.
 * Exit status 0 unless the corpus cannot be loaded. Uses only heuristics/,
 * sel_cands_parse() and util/. */
#include "../tests/grounding/grounding.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    size_t k;
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_d);
    k = (size_t)(p * (double)(n - 1) + 0.5);
    return v[k];
}

static void print_split(const char *name, const struct gr_corpus *gc,
                        int split, double mc, double mm)
{
    struct gr_stats s = gr_stats_of(gc, split, mc, mm);
    if (s.n == 0)
        return;
    printf("  %-22s %4d  %5.1f%% (%3d)  %5.1f%% (%3d)  %5.1f%% (%3d)  "
           "%4.1f%% (%d)\n", name, s.n, 100.0 * s.ok / s.n, s.ok,
           100.0 * s.unsure / s.n, s.unsure, 100.0 * s.none / s.n, s.none,
           100.0 * s.wrong / s.n, s.wrong);
}

static void sweep(const struct gr_corpus *gc)
{
    static const double confs[] = {0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75};
    static const double margins[] = {0.05, 0.1, 0.15, 0.2, 0.25};
    size_t i, j;

    printf("threshold sweep (hand-written tuning split: ok%% / wrong%%):"
           "\n      ");
    for (j = 0; j < sizeof margins / sizeof margins[0]; j++)
        printf("   m=%.2f     ", margins[j]);
    printf("\n");
    for (i = 0; i < sizeof confs / sizeof confs[0]; i++) {
        printf("c=%.2f", confs[i]);
        for (j = 0; j < sizeof margins / sizeof margins[0]; j++) {
            struct gr_stats s = gr_stats_of(gc, GR_HAND_TUNING, confs[i],
                                            margins[j]);
            printf("  %5.1f / %4.1f", s.n ? 100.0 * s.ok / s.n : 0,
                   s.n ? 100.0 * s.wrong / s.n : 0);
        }
        printf("\n");
    }
}

/* Scoring time on the big pages in DIR/perf: PAGE.json + PAGE.intents
 * (one "kind<TAB>intent" per line). */
static void perf(struct heur_ctx *hx, const char *dir)
{
    char pd[1024], path[1200], err[256];
    DIR *d;
    struct dirent *de;

    snprintf(pd, sizeof pd, "%s/perf", dir);
    d = opendir(pd);
    if (!d)
        return;
    while ((de = readdir(d))) {
        size_t nl = strlen(de->d_name), len, ni = 0, cap = 0;
        char *doc, *intents, *line, *save = NULL;
        struct sel_cands sc;
        double *t = NULL;
        int conf = 0;
        if (nl < 6 || strcmp(de->d_name + nl - 5, ".json"))
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", pd, de->d_name)
            >= sizeof path)
            continue;
        doc = ut_read_file(path, UT_MAX_FILE, &len, err, sizeof err);
        if (!doc || sel_cands_parse(doc, len, &sc, err, sizeof err)) {
            fprintf(stderr, "perf %s: %s\n", de->d_name, err);
            free(doc);
            continue;
        }
        free(doc);
        snprintf(path, sizeof path, "%s/%.*s.intents", pd, (int)(nl - 5),
                 de->d_name);
        intents = ut_read_file(path, UT_MAX_FILE, &len, err, sizeof err);
        for (line = intents ? strtok_r(intents, "\n", &save) : NULL; line;
             line = strtok_r(NULL, "\n", &save)) {
            char *tab = strchr(line, '\t');
            struct heur_result r;
            int64_t t0;
            int rep;
            if (!tab)
                continue;
            *tab = '\0';
            for (rep = 0; rep < 5; rep++) {
                if (ni == cap) {
                    double *nt = realloc(t, (cap ? cap * 2 : 256) *
                                            sizeof *t);
                    if (!nt)
                        break;
                    t = nt;
                    cap = cap ? cap * 2 : 256;
                }
                t0 = ut_now_us();
                if (heur_rank(hx, tab + 1, (enum heur_kind)gr_kind(line),
                              sc.c, sc.n, &r) != 0)
                    break;
                t[ni++] = (double)(ut_now_us() - t0);
                if (rep == 0 && heur_decide(&r, 0.6, 0.15) == HEUR_CONFIDENT)
                    conf++;
                heur_result_free(&r);
            }
        }
        printf("perf %-12s %5zu candidates, %4zu intents: scoring median "
               "%.0f us, p95 %.0f us; confident on %d\n", de->d_name, sc.n,
               ni / 5, pct(t, ni, 0.5), pct(t, ni, 0.95), conf);
        free(t);
        free(intents);
        sel_cands_free(&sc);
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    const char *dir = "tests/grounding";
    double mc = 0.6, mm = 0.15, *us;
    int verbose = 0, do_sweep = 0, i;
    char err[512];
    struct heur_ctx *hx;
    struct gr_corpus gc;
    struct gr_stats all;
    size_t k, unsure = 0, nhand = 0, ra_pages = 0;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else if (!strcmp(argv[i], "--sweep"))
            do_sweep = 1;
        else if (!strcmp(argv[i], "--conf") && i + 1 < argc)
            mc = atof(argv[++i]);
        else if (!strcmp(argv[i], "--margin") && i + 1 < argc)
            mm = atof(argv[++i]);
        else
            dir = argv[i];
    }
    hx = heur_ctx_new(err, sizeof err);
    if (!hx) {
        fprintf(stderr, "bench_grounding: %s\n", err);
        return 1;
    }
    if (gr_load(hx, dir, &gc, err, sizeof err) != 0) {
        fprintf(stderr, "bench_grounding: %s\n", err);
        heur_ctx_free(hx);
        return 1;
    }
    if (verbose)
        for (k = 0; k < gc.n; k++) {
            const struct gr_case *g = &gc.c[k];
            enum gr_verdict v = gr_verdict(g, mc, mm);
            if (v == GR_OK)
                continue;
            printf("%s %-26s %-6s \"%s\" conf %.2f margin %.2f%s\n"
                   "      1) %s\n      2) %s\n      3) %s\n",
                   v == GR_WRONG ? "WRONG" : v == GR_NONE ? "NONE " : "ESC  ",
                   g->id,
                   g->kind == HEUR_FILL ? "fill" : g->kind == HEUR_CLICK ?
                   "click" : g->kind == HEUR_SELECT ? "select" :
                   g->kind == HEUR_CHECK ? "check" : g->kind == HEUR_SEE ?
                   "see" : "read", g->intent,
                   g->conf, g->margin, g->want_escalate ?
                   " (ambiguous: should escalate)" : "",
                   g->top[0], g->top[1], g->top[2]);
        }
    /* scoring times: the hand-written cases first, then the real ones */
    us = malloc((gc.n ? gc.n : 1) * sizeof *us);
    for (k = 0; us && k < gc.n; k++)
        if (!gc.c[k].realapp)
            us[nhand++] = gc.c[k].us;
    for (k = 0, i = (int)nhand; us && k < gc.n; k++)
        if (gc.c[k].realapp)
            us[i++] = gc.c[k].us;
    for (k = 0; k < gc.n; k++) {
        if (gc.c[k].realapp)
            continue;
        unsure += gr_outcome(&gc.c[k], mc, mm) == 0 ||
                  (gc.c[k].want_escalate && gr_outcome(&gc.c[k], mc, mm) > 0);
    }
    for (k = 0; k < gc.n; k++) {
        size_t j = 0;
        while (j < k && strcmp(gc.c[j].page, gc.c[k].page))
            j++;
        ra_pages += gc.c[k].realapp && j == k;
    }
    all = gr_stats_of(&gc, GR_HAND, mc, mm);
    printf("grounding corpus %s: %zu cases on %zu pages (hand-written %d "
           "on %zu, real applications %d on %zu), thresholds confidence "
           "%.2f margin %.2f\n", dir, gc.n, gc.pages, all.n,
           gc.pages - ra_pages, (int)(gc.n - (size_t)all.n), ra_pages, mc,
           mm);
    printf("  hand-written: accuracy (correct and confident) %.1f%%, "
           "confident-wrong %.1f%% (%d), escalation rate %.1f%% (ambiguous "
           "cases included)\n",
           all.n ? 100.0 * all.ok / all.n : 0,
           all.n ? 100.0 * all.wrong / all.n : 0, all.wrong,
           nhand ? 100.0 * (double)unsure / (double)nhand : 0);
    if (us)
        printf("  scoring time per case: hand-written median %.0f us, p95 "
               "%.0f us; real applications median %.0f us, p95 %.0f us\n",
               pct(us, nhand, 0.5), pct(us, nhand, 0.95),
               pct(us + nhand, gc.n - nhand, 0.5),
               pct(us + nhand, gc.n - nhand, 0.95));
    printf("  %-22s %4s  %-12s  %-12s  %-12s  %s\n", "split", "n",
           "correct", "uncertain", "not found", "confident-wrong");
    print_split("hand-written", &gc, GR_HAND, mc, mm);
    print_split("hand-written tuning", &gc, GR_HAND_TUNING, mc, mm);
    print_split("hand-written held-out", &gc, GR_HAND_HELDOUT, mc, mm);
    print_split("real-app", &gc, GR_RA, mc, mm);
    print_split("real-app tuning", &gc, GR_RA_TUNING, mc, mm);
    print_split("real-app held-out", &gc, GR_RA_HELDOUT, mc, mm);
    if (do_sweep)
        sweep(&gc);
    perf(hx, dir);
    free(us);
    gr_free(&gc);
    heur_ctx_free(hx);
    return 0;
}
