/* resolve_decide.c -- what a look at the page decides: the candidate
 * the heuristics are sure of, a wait for a better look while the
 * candidates are weak, the LLM when they are unsure (its answer checked
 * like any guess), or the end of the step with the candidates listed;
 * and, for a check step, the checkable thing its best candidate stands
 * for (SPEC section 4). */
#include "sel.h"
#include "sel_int.h"
#include "../llm/llm.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

#define SEL_LLM_TOP 8      /* candidates shown to the LLM */
/* Candidates that may not be all there yet are polled like no candidate
 * at all: weak ones only (some score, none enough to act on), or a best
 * one that is not visible (a form shown once the page's scripts ran).
 * Weak ones that stayed the same this long go to an LLM without waiting
 * out the step's timeout (a page still rendering changes them and
 * restarts the wait); a hidden best one is waited for until the timeout.
 * Without an LLM the step waits its full timeout, then ends uncertain. */
#define SEL_WEAK_SETTLE_MS 1000

size_t sel_llm_shortlist(const struct heur_result *hr)
{
    size_t n = hr->n < SEL_LLM_TOP ? hr->n : SEL_LLM_TOP;

    /* Only plausible candidates are offered: a model cannot pick an
     * element the heuristics found no reason to consider. */
    while (n > 1 && hr->ranked[n - 1].total < 0.25 * hr->ranked[0].total)
        n--;
    return n;
}

/* Whether a step that wants W can act on candidate C at all: the check
 * an LLM answer must pass, whatever the model says. */
static int can_act(enum sel_want w, const struct heur_cand *c)
{
    int sel = strcmp(c->tag, "select") == 0 || strcmp(c->role, "listbox")
              == 0 || strcmp(c->role, "combobox") == 0;
    int chk = strcmp(c->role, "checkbox") == 0 ||
              strcmp(c->role, "radio") == 0 || strcmp(c->role, "switch") == 0;

    switch (w) {
    case SEL_WANT_CLICK: case SEL_WANT_HOVER:
        return c->visible && (c->clickable || c->pointer);
    case SEL_WANT_FILL:
        return c->editable && c->enabled;
    case SEL_WANT_SELECT:
        return sel && c->enabled;
    case SEL_WANT_CHECK:
        return (chk || strcmp(c->tag, "label") == 0) && c->enabled;
    default:
        return 1;
    }
}

/* Asks the LLM to choose among the top candidates. Returns the chosen
 * index into CS->c, or -1 with R's error set. */
static int ask_llm(const struct sel_target *t,
                   const struct sel_opts *o, const struct sel_cands *cs,
                   const struct heur_result *hr, struct sel_result *r)
{
    size_t n = hr->n < SEL_LLM_TOP ? hr->n : SEL_LLM_TOP, i;
    char **lines = calloc(n ? n : 1, sizeof *lines);
    struct llm_query q;
    struct llm_answer a;
    llm_code lc;
    int chosen = -1;
    int64_t t0 = ut_now_us();

    n = sel_llm_shortlist(hr);
    if (!lines) {
        sel__fail(r, SEL_E_NOMEM, "out of memory");
        return -1;
    }
    for (i = 0; i < n; i++)
        lines[i] = sel_cand_record(&cs->c[hr->ranked[i].cand], 1);
    memset(&q, 0, sizeof q);
    memset(&a, 0, sizeof a);
    q.intent = t->value;
    q.step_kind = o->step_kind;
    q.page_title = cs->title ? cs->title : "";
    q.page_url = cs->url ? cs->url : "";
    q.cands = (const char *const *)lines;
    q.n = n;
    lc = llm_choose(o->llm, &q, &a);
    r->us_llm += ut_now_us() - t0;
    r->llm_model = ut_strdup(a.model ? a.model : llm_model(o->llm));
    r->llm_prompt_tokens = a.prompt_tokens;
    r->llm_completion_tokens = a.completion_tokens;
    r->llm_latency_ms = a.latency_ms;
    r->llm_reason = ut_strdup(a.reason);
    if (lc != LLM_OK) {
        sel__fail(r, lc == LLM_E_NOPICK ? SEL_E_UNCERTAIN : SEL_E_LLM,
                  "\"%s\" is uncertain and the LLM %s: %s", t->value,
                  lc == LLM_E_NOPICK ? "found no match" : "failed",
                  llm_errmsg(o->llm));
    } else if (a.index < 0 || (size_t)a.index >= n) {
        sel__fail(r, SEL_E_LLM, "LLM answer out of range");
    } else {
        const struct heur_score *s = &hr->ranked[a.index];
        /* The answer is checked like any guess: a candidate the step
         * cannot act on is refused. */
        if (!can_act(o->want, &cs->c[s->cand])) {
            sel__fail(r, SEL_E_LLM, "the LLM chose %s, which a %s step "
                      "cannot act on; refused", lines[a.index],
                      o->step_kind);
        } else if (a.confidence < o->llm_min_confidence) {
            /* the model guessing is no better than us guessing */
            r->confidence = a.confidence;
            sel__fail(r, SEL_E_UNCERTAIN, "\"%s\" is uncertain and so is "
                      "the LLM: it chose %s with confidence %.2f, below "
                      "llm.min_confidence %.2f", t->value, lines[a.index],
                      a.confidence, o->llm_min_confidence);
        } else {
            chosen = s->cand;
            r->confidence = a.confidence;
        }
    }
    for (i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    llm_answer_clear(&a);
    return chosen;
}

/* ---- what a check step checks ------------------------------------------
 * A check step may name something that cannot be checked itself: a
 * file's link in a list whose rows each hold an unlabelled checkbox
 * ("check harvest.csv"), or a button styled as a checkbox (an icon
 * showing its state). As a label stands for its control, such an element
 * stands for the checkable thing the page script finds for it
 * (P.checkables(): itself when it shows a checked state, else the one
 * checkbox inside it or in its row). The top candidates are ranked again
 * with the kind factor of what they stand for, candidates standing for
 * the same checkbox counting once; a row holding several checkboxes
 * stands for none of them, and leaves the step uncertain. */
#define SEL_CHECK_TOP 8
/* the kind factor of a label of a shown checkbox (heuristics' kind
 * factor for a check step), and of a checkable thing itself */
#define SEL_CHECK_ROW_K 0.92
#define SEL_CHECK_SELF_K 1.0

static int checkish(const struct heur_cand *c)
{
    return strcmp(c->role, "checkbox") == 0 || strcmp(c->role, "radio") == 0 ||
           strcmp(c->role, "switch") == 0 ||
           strcmp(c->role, "menuitemcheckbox") == 0 ||
           strcmp(c->role, "menuitemradio") == 0 ||
           strcmp(c->type, "checkbox") == 0 || strcmp(c->type, "radio") == 0;
}

/* Returns 1 with *HANDLE the element a check step's intent T means
 * (R's confidence and margin set), 0 when nothing changes (the step goes
 * on as ranked), -1 with R failed (a row of several checkboxes; the
 * page failed). */
static int check_stand_in(struct sel_page *p, const struct sel_target *t,
                          const struct sel_opts *o, const struct sel_cands *cs,
                          const struct heur_result *hr, struct sel_result *r,
                          int *handle)
{
    size_t n = hr->n < SEL_CHECK_TOP ? hr->n : SEL_CHECK_TOP, i, j;
    cJSON *ids = cJSON_CreateArray(), *args = cJSON_CreateArray(), *v = NULL;
    double adj[SEL_CHECK_TOP], best = 0, second = 0;
    int target[SEL_CHECK_TOP], act[SEL_CHECK_TOP], several[SEL_CHECK_TOP];
    int top = -1;
    char err[512];
    sel_code rc;

    for (i = 0; i < n; i++)
        cJSON_AddItemToArray(ids, cJSON_CreateNumber(
                                 cs->c[hr->ranked[i].cand].id));
    cJSON_AddItemToArray(args, ids);
    rc = sel_eval_call(p, "checkables", args, 0, o->timeout_ms, &v, err,
                       sizeof err);
    if (rc != SEL_OK) {
        sel__fail(r, rc, "%s", err);
        return -1;
    }
    if (!cJSON_IsArray(v) || (size_t)cJSON_GetArraySize(v) != n) {
        cJSON_Delete(v);
        return 0;
    }
    for (i = 0; i < n; i++) {
        const struct heur_score *s = &hr->ranked[i];
        const cJSON *a = cJSON_GetArrayItem(v, (int)i);
        int h = (int)sel__jnum(a, "h", -1), cnt = (int)sel__jnum(a, "n", 0);
        int key = (int)sel__jnum(a, "key", -1);
        double k = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "self")) ?
                   SEL_CHECK_SELF_K : SEL_CHECK_ROW_K;

        adj[i] = s->total;
        several[i] = h < 0 && cnt > 1 ? cnt : 0;
        act[i] = h;
        /* a distinct choice of its own unless it stands for something */
        target[i] = h >= 0 && key >= 0 ? key : -1 - (int)i;
        if ((h >= 0 || several[i]) && s->f[HEUR_F_KIND] > 0 &&
            s->f[HEUR_F_KIND] < k)
            adj[i] = s->total * k / s->f[HEUR_F_KIND];
    }
    cJSON_Delete(v);
    for (i = 0; i < n; i++)
        if (top < 0 || adj[i] > best) {
            top = (int)i;
            best = adj[i];
        }
    /* of one checkbox's stand-ins scoring the same, the control inside
     * the wrapper that shows its state (a button beside its icon) */
    for (j = 0; top >= 0 && j < n; j++)
        if (target[j] == target[top] && adj[j] >= best - 1e-9 &&
            act[j] != target[j] && act[top] == target[top])
            top = (int)j;
    for (j = 0; j < n; j++)
        if (target[j] != target[top] && adj[j] > second)
            second = adj[j];
    if (top < 0 || best < o->min_confidence ||
        best - second < o->min_margin)
        return 0;
    if (several[top]) {
        sel__fail(r, SEL_E_UNCERTAIN, "\"%s\" is uncertain: the row of %.80s "
                  "holds %d checkboxes; name the one meant", t->value,
                  cs->c[hr->ranked[top].cand].name[0] ?
                  cs->c[hr->ranked[top].cand].name : "the best match",
                  several[top]);
        return -1;
    }
    if (act[top] < 0)           /* it stands for nothing to check */
        return 0;
    *handle = act[top];
    r->confidence = best > 1.0 ? 1.0 : best;
    r->margin = best - second;
    return 1;
}

int sel__stand_in(struct sel_page *p, const struct sel_target *t,
                  const struct sel_opts *o, const struct sel_cands *cs,
                  const struct heur_result *hr, enum heur_decision d,
                  struct sel_result *r, int *handle)
{
    if (d == HEUR_CONFIDENT || o->want != SEL_WANT_CHECK || hr->best < 0 ||
        checkish(&cs->c[sel__control_of(cs, hr->ranked[0].cand)]) ||
        cs->c[hr->ranked[0].cand].id >= SEL__FRAME_IDS)  /* a frame's */
        return 0;
    return check_stand_in(p, t, o, cs, hr, r, handle);
}

/* Whether the candidates are weak: something scores, nothing enough to
 * act on; or unsure, and the best is not shown (yet), or not the one its
 * ordinal counts to ("the second Expression box" while the page still
 * adds the second: its ordinal factor is a miss). W notes since when the
 * same weak best has been seen. */
static int weak_best(const struct sel_cands *cs, const struct heur_result *hr,
                     enum heur_decision d, int64_t now, struct sel__weak *w)
{
    const struct heur_cand *b;

    if (!(hr->best >= 0 &&
          (d == HEUR_NONE || (d == HEUR_UNCERTAIN &&
                              (!cs->c[hr->ranked[0].cand].visible ||
                               hr->ranked[0].f[HEUR_F_ORDINAL] < 1.0))))) {
        w->at = 0;
        return 0;
    }
    b = &cs->c[hr->ranked[0].cand];
    if (!w->at || b->id != w->id || cs->n != w->n ||
        hr->confidence != w->score) {
        w->at = now;
        w->id = b->id;
        w->n = cs->n;
        w->score = hr->confidence;
    }
    return 1;
}

/* What R's top candidates say about T in words (sel_uncertain_words). */
static char *uncertain_line(const struct sel_target *t,
                            const struct sel_opts *o,
                            const struct sel_result *r)
{
    const char *words[8];
    double score[8];
    size_t n = r->ntop < 8 ? r->ntop : 8, i;

    for (i = 0; i < n; i++) {
        words[i] = r->top[i].words ? r->top[i].words : r->top[i].desc;
        score[i] = r->top[i].score;
    }
    return sel_uncertain_words(t->value, words, score, n, o->min_margin);
}

/* The step ends without the heuristics' choice: the LLM's, or R failed
 * with the candidates listed. Returns the candidate chosen or -1. */
static int escalate(const struct sel_target *t, const struct sel_opts *o,
                    const struct sel_cands *cs, const struct heur_result *hr,
                    enum heur_decision d, int weak, struct sel_result *r)
{
    int chosen = -1;

    sel__keep_top(r, cs, hr, o->explain);
    if ((d == HEUR_UNCERTAIN || weak) && o->llm) {
        chosen = ask_llm(t, o, cs, hr, r);
        r->source = SEL_SRC_LLM;
    } else if (d == HEUR_UNCERTAIN) {
        char *line = uncertain_line(t, o, r);
        sel__fail(r, SEL_E_UNCERTAIN, "%s; no LLM is configured: pick one "
                  "of the candidates below by its target", line ? line :
                  t->value);
        free(line);
    } else if (weak) {
        /* never a guess: the candidates are listed, exit 4 */
        sel__fail(r, SEL_E_UNCERTAIN, "nothing on the page fits \"%s\" "
                  "well (waited %d ms): the closest is %s; no LLM is "
                  "configured: pick one of the candidates below by its "
                  "target, or reword the step", t->value, o->timeout_ms,
                  r->ntop && r->top[0].words ? r->top[0].words : "?");
    } else {
        sel__fail(r, SEL_E_NOTFOUND, "nothing on the page fits \"%s\" "
                  "(waited %d ms)", t->value, o->timeout_ms);
    }
    return chosen;
}

int sel__choose(const struct sel_target *t, const struct sel_opts *o,
                const struct sel_cands *cs, const struct heur_result *hr,
                enum heur_decision d, int64_t now, int64_t left,
                struct sel__weak *w, struct sel_result *r, int *weak,
                int *esc)
{
    *weak = weak_best(cs, hr, d, now, w);
    *esc = *weak && (left <= 0 || (o->llm && d == HEUR_NONE &&
                                   now - w->at >= SEL_WEAK_SETTLE_MS));
    if (d == HEUR_CONFIDENT) {
        r->source = SEL_SRC_HEURISTIC;
        return hr->ranked[0].cand;
    }
    if ((d == HEUR_UNCERTAIN && !*weak) || left <= 0 || *esc) {
        *esc = 1;
        return escalate(t, o, cs, hr, d, *weak, r);
    }
    return -1;
}
