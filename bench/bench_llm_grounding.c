/* bench_llm_grounding.c -- LLM escalation measured on the grounding
 * corpus: every case the heuristics leave uncertain goes to the fake
 * provider (tests/fake_llm.py), scripted to answer with the right
 * candidate, through the real client and the same records and shortlist
 * that selectors/ sends. Prints LLM calls per 100 resolutions, prompt
 * tokens per call, the added latency per escalation, and the accuracy
 * after escalation.
 *
 *   bench_llm_grounding tests/grounding [PYTHON]
 */
#include "../heuristics/heur.h"
#include "../llm/llm.h"
#include "../selectors/sel.h"
#include "../util/util.h"
#include "../tests/grounding/grounding.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ESC 1000

struct esc {
    const struct gr_case *g;
    char *lines[8];
    size_t n;
    int answer;      /* 1-based index of an expected candidate, 0 none */
};

static int cmp_l(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Ranks case G again and fills E with the shortlist the LLM would see. */
static int shortlist(struct heur_ctx *hx, const char *dir,
                     const struct gr_case *g, struct esc *e)
{
    char path[1200], err[256];
    cJSON *exp, *ids, *it;
    char *doc;
    size_t len, i;
    struct sel_cands cs;
    struct heur_result r;

    snprintf(path, sizeof path, "%s/snapshots/%s.json", dir, g->page);
    if (!(doc = ut_read_file(path, UT_MAX_FILE, &len, err, sizeof err)))
        return -1;
    if (sel_cands_parse(doc, len, &cs, err, sizeof err)) {
        free(doc);
        return -1;
    }
    free(doc);
    snprintf(path, sizeof path, "%s/snapshots/%s.expect.json", dir, g->page);
    exp = gr_load_json(path, err, sizeof err);
    ids = cJSON_GetObjectItemCaseSensitive(exp, g->id);
    if (heur_rank(hx, g->intent, (enum heur_kind)g->kind, cs.c, cs.n, &r)) {
        cJSON_Delete(exp);
        sel_cands_free(&cs);
        return -1;
    }
    e->g = g;
    e->n = sel_llm_shortlist(&r);
    e->answer = 0;
    for (i = 0; i < e->n; i++) {
        const struct heur_cand *c = &cs.c[r.ranked[i].cand];
        e->lines[i] = sel_cand_record(c, 1);
        cJSON_ArrayForEach(it, ids)
            if (!e->answer && cJSON_IsNumber(it) && it->valueint == c->id)
                e->answer = (int)i + 1;
    }
    heur_result_free(&r);
    cJSON_Delete(exp);
    sel_cands_free(&cs);
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/grounding";
    const char *py = argc > 2 ? argv[2] : "python3";
    struct heur_ctx *hx;
    struct gr_corpus gc;
    static struct esc esc[MAX_ESC];
    size_t nesc = 0, i, right = 0, confident_ok = 0, calls;
    char err[512], script[] = "/tmp/cdpilot-llmbench.XXXXXX";
    int fd, pfd[2];
    pid_t pid;
    FILE *f;
    char url[256] = "";
    long tok[MAX_ESC], lat[MAX_ESC];
    struct llm_config cfg;
    struct llm *l;
    struct llm_stats st;

    if (!(hx = heur_ctx_new(err, sizeof err)) ||
        gr_load(hx, dir, &gc, err, sizeof err)) {
        fprintf(stderr, "bench_llm_grounding: %s\n", err);
        return 1;
    }
    for (i = 0; i < gc.n; i++) {
        const struct gr_case *g = &gc.c[i];
        int o = gr_outcome(g, 0.6, 0.15);
        if (o == 1)
            confident_ok++;
        if (o != 0 || nesc == MAX_ESC)
            continue;   /* only the uncertain ones escalate */
        if (shortlist(hx, dir, g, &esc[nesc]) == 0)
            nesc++;
    }
    /* The fake answers each escalation with the right candidate (or
     * null when the shortlist does not hold it). */
    if ((fd = mkstemp(script)) < 0)
        return 1;
    close(fd);
    if (!(f = fopen(script, "w")))
        return 1;
    fputc('[', f);
    for (i = 0; i < nesc; i++) {
        if (esc[i].answer)
            fprintf(f, "%s{\"candidate\": %d, \"confidence\": 0.9}",
                    i ? "," : "", esc[i].answer);
        else
            fprintf(f, "%s{\"candidate\": null}", i ? "," : "");
    }
    fputs("]\n", f);
    fclose(f);
    if (pipe(pfd) || (pid = fork()) < 0)
        return 1;
    if (pid == 0) {
        dup2(pfd[1], 1);
        close(pfd[0]);
        execlp(py, py, "tests/fake_llm.py", "--port", "0", "--script",
               script, (char *)NULL);
        _exit(127);
    }
    close(pfd[1]);
    f = fdopen(pfd[0], "r");
    if (!f || !fgets(url, sizeof url, f)) {
        fprintf(stderr, "bench_llm_grounding: the fake provider did not "
                "start\n");
        kill(pid, SIGTERM);
        return 1;
    }
    url[strcspn(url, "\n")] = '\0';
    memset(&cfg, 0, sizeof cfg);
    cfg.url = url;
    cfg.model = "fake-oracle";
    cfg.timeout_ms = 10000;
    cfg.max_calls = -1;
    cfg.max_tokens = -1;
    cfg.json_mode = 1;
    if (!(l = llm_new(&cfg, err, sizeof err))) {
        fprintf(stderr, "bench_llm_grounding: %s\n", err);
        kill(pid, SIGTERM);
        return 1;
    }
    for (i = 0; i < nesc; i++) {
        struct llm_query q = {esc[i].g->intent, "click", "", "",
                              (const char *const *)esc[i].lines, esc[i].n};
        struct llm_answer a;
        int64_t t0 = ut_now_us();
        memset(&a, 0, sizeof a);
        if (llm_choose(l, &q, &a) == LLM_OK && a.index + 1 == esc[i].answer)
            right++;
        lat[i] = (long)(ut_now_us() - t0);
        tok[i] = a.prompt_tokens;
        llm_answer_clear(&a);
    }
    llm_get_stats(l, &st);
    calls = (size_t)st.calls;
    {
        struct gr_stats all = gr_stats_of(&gc, GR_ALL, 0.6, 0.15);
        printf("heuristics alone: %d cases, %d correct and confident, %d "
               "confident-wrong, %d escalated\n", all.n, all.ok, all.wrong,
               all.esc);
    }
    qsort(tok, nesc, sizeof *tok, cmp_l);
    qsort(lat, nesc, sizeof *lat, cmp_l);
    printf("LLM escalation on the grounding corpus (%zu resolutions)\n", gc.n);
    printf("  LLM calls per 100 resolutions: %.1f (%zu calls; escalation "
           "rate %.1f%%)\n", 100.0 * calls / gc.n, calls,
           100.0 * nesc / gc.n);
    printf("  prompt tokens per call: median %ld, max %ld\n",
           nesc ? tok[nesc / 2] : 0, nesc ? tok[nesc - 1] : 0);
    printf("  llm_choose wall time per escalation (fake answers at once): "
           "median %ld us, p95 %ld us\n", nesc ? lat[nesc / 2] : 0,
           nesc ? lat[nesc * 95 / 100] : 0);
    printf("  right answer in the shortlist and chosen: %zu of %zu\n", right,
           nesc);
    printf("  correct after escalation: %.1f%% (heuristics alone %.1f%%)\n",
           100.0 * (confident_ok + right) / gc.n, 100.0 * confident_ok / gc.n);
    llm_free(l);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    unlink(script);
    for (i = 0; i < nesc; i++)
        for (size_t j = 0; j < esc[i].n; j++)
            free(esc[i].lines[j]);
    gr_free(&gc);
    heur_ctx_free(hx);
    return 0;
}
