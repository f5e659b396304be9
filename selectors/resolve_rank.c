/* resolve_rank.c -- collecting and ranking the candidates for an intent:
 * the collector's options (probes, guess, ahead, the menu just opened),
 * the collection itself, what a candidate stands for, and the top
 * candidates a result reports (docs/CANDIDATES.md). */
#include "sel.h"
#include "sel_int.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

#define SEL_TOP 5          /* candidates listed in reports and errors */

enum heur_kind sel__heur_kind(enum sel_want w)
{
    switch (w) {
    case SEL_WANT_CLICK: case SEL_WANT_HOVER: return HEUR_CLICK;
    case SEL_WANT_FILL: return HEUR_FILL;
    case SEL_WANT_SELECT: return HEUR_SELECT;
    case SEL_WANT_CHECK: return HEUR_CHECK;
    case SEL_WANT_ATTACHED: case SEL_WANT_VISIBLE: return HEUR_SEE;
    default: return HEUR_READ;
    }
}

char *sel_cand_record(const struct heur_cand *c, int for_llm)
{
    ut_buf b;

    ut_buf_init(&b, for_llm ? 600 : 300);
    ut_buf_addf(&b, "%s \"%.80s\" <%s", *c->role ? c->role : "generic",
                c->name, c->tag);
    if (*c->id_attr)
        ut_buf_addf(&b, "#%.40s", c->id_attr);
    if (*c->testid)
        ut_buf_addf(&b, " data-testid=%.40s", c->testid);
    ut_buf_adds(&b, ">");
    if (for_llm) {
        if (*c->text && strcmp(c->text, c->name))
            ut_buf_addf(&b, " text=\"%.80s\"", c->text);
        if (*c->placeholder)
            ut_buf_addf(&b, " placeholder=\"%.60s\"", c->placeholder);
        if (*c->near)
            ut_buf_addf(&b, " near=\"%.80s\"", c->near);
        if (*c->context)
            ut_buf_addf(&b, " context=\"%.100s\"", c->context);
        if (!c->visible)
            ut_buf_adds(&b, " hidden");
        if (!c->enabled)
            ut_buf_adds(&b, " disabled");
    }
    return ut_buf_take(&b);
}

/* Replaces R's list of top candidates with the best of HR. */
void sel__keep_top(struct sel_result *r, const struct sel_cands *cs,
                   const struct heur_result *hr, int explain)
{
    size_t i, n = hr->n < SEL_TOP ? hr->n : SEL_TOP;
    int f;

    for (i = 0; i < r->ntop; i++) {
        free(r->top[i].desc);
        free(r->top[i].features);
        free(r->top[i].words);
        free(r->top[i].target);
    }
    free(r->top);
    r->top = NULL;
    r->ntop = 0;

    r->top = calloc(n ? n : 1, sizeof *r->top);
    if (!r->top)
        return;
    for (i = 0; i < n; i++) {
        const struct heur_score *s = &hr->ranked[i];
        r->top[i].desc = sel_cand_record(&cs->c[s->cand], 0);
        r->top[i].words = sel_cand_words(&cs->c[s->cand]);
        r->top[i].rec = cs->c[sel__control_of(cs, s->cand)].id;
        r->top[i].score = s->total;
        if (explain) {
            ut_buf b;
            ut_buf_init(&b, 512);
            for (f = 0; f < HEUR_F_COUNT; f++)
                ut_buf_addf(&b, "%s%s=%.2f", f ? " " : "",
                            heur_feature_name(f), s->f[f]);
            r->top[i].features = ut_buf_take(&b);
        }
    }
    r->ntop = n;
}

/* A <label> stands for its control: act on the control (a hidden
 * checkbox's visible label is found again by the page script when the
 * control itself cannot be clicked). Returns an index into CS->c. */
int sel__control_of(const struct sel_cands *cs, int i)
{
    size_t j;

    /* a label stands for its control; a hidden field for the visible
     * editor that shows it (docs/CANDIDATES.md "Relations") */
    if (cs->c[i].for_id < 0 || cs->c[i].for_id == cs->c[i].id ||
        (strcmp(cs->c[i].tag, "label") != 0 &&
         !(cs->c[i].editable && !cs->c[i].visible)))
        return i;
    for (j = 0; j < cs->n; j++)
        if (cs->c[j].id == cs->c[i].for_id)
            return (int)j;
    return i;
}

/* The prefilter probes of INTENT as a JSON array into OUT (N bytes), ""
 * when it has none: then the collector sends every record. With probes
 * it sends only those the scorer's prefilter can let through (the
 * ranking is the same as over a full collection: docs/CANDIDATES.md). */
void sel__collect_probes(struct heur_ctx *hx, const char *intent,
                         char *out, size_t n)
{
    if (heur_probes(hx, intent, out, n) == 0)
        out[0] = '\0';
}

/* Longest the collection waits for its guess to be ready when that takes
 * frames (a click's stability): a stable element needs one or two frames
 * (17-33 ms at 60 Hz; one more after a scroll), the rest is room for a
 * busy renderer. A guess still pending then is dropped, and the step
 * checks its choice with its own call, as when the guess was wrong. */
#define SEL_GUESS_WAIT_MS 100

/* The collector's "guess" option for INTENT and want W as JSON into OUT
 * (N bytes), "" when there is none: the intent's guess words, the
 * readiness kind the page checks the one candidate showing them for, and
 * how long it may wait when that kind takes frames (SEL_GUESS_WAIT_MS at
 * most, and never past LEFT_MS, the step's time left). Which kinds take
 * frames is the page's to know (P.readyCheck()). */
void sel__collect_guess(const char *intent, enum sel_want w, int left_ms,
                        char *out, size_t n)
{
    char words[512], *j;
    cJSON *g;

    out[0] = '\0';
    if ((unsigned)w >= sizeof sel__want_names / sizeof sel__want_names[0] ||
        heur_guess_words(intent, words, sizeof words) == 0)
        return;
    g = cJSON_CreateObject();
    cJSON_AddStringToObject(g, "w", words);
    cJSON_AddStringToObject(g, "kind", sel__want_names[w]);
    cJSON_AddNumberToObject(g, "wait", left_ms <= 0 ? 0 :
                            left_ms < SEL_GUESS_WAIT_MS ? left_ms :
                            SEL_GUESS_WAIT_MS);
    j = cJSON_PrintUnformatted(g);
    cJSON_Delete(g);
    if (j && strlen(j) < n)
        memcpy(out, j, strlen(j) + 1);
    free(j);
}

/* One collection with PROBES and GUESS ("" for none) into CS, kept by
 * the page for P.aheadCheck() when AHEAD (its token in CS->ahead), and
 * with OPENER >= 0 (the handle of the element the last action clicked),
 * the records inside the menu it opened into MENU. Its
 * answer is awaited: with a guess that takes frames, it comes when the
 * guess is checked. The page's record mirror (sel__mirror) lets records
 * this controller already holds cross as bare ids; an answer out of step
 * with it empties the mirror and the collection is made once more,
 * whole. */
sel_code sel__collect(struct sel_page *p, const char *probes,
                      const char *guess, int ahead, int opener,
                      struct sel__menu *menu, struct sel_cands *cs,
                      struct sel_result *r)
{
    struct sel_mirror *m = sel__mirror(p);
    char err[512];
    sel_code rc;
    int64_t t0 = ut_now_us();
    int attempt;

    for (attempt = 0; attempt < 2; attempt++) {
        cJSON *v = NULL, *mo = m ? sel_mirror_opts(m) : NULL, *doc, *it,
              *ids;
        char *mj = mo ? cJSON_PrintUnformatted(mo) : NULL;
        const char *sep;
        ut_buf e;
        int bad;

        cJSON_Delete(mo);
        ut_buf_init(&e, UT_MAX_LINE);
        if (opener >= 0)
            ut_buf_addf(&e, "__cdpilot.withMenu(%d,()=>", opener);
        ut_buf_adds(&e, "__cdpilot.collect({");
        sep = "";
        if (*probes) {
            ut_buf_addf(&e, "probes:%s", probes);
            sep = ",";
        }
        if (mj) {
            ut_buf_addf(&e, "%smirror:%s", sep, mj);
            sep = ",";
        }
        if (*guess) {
            ut_buf_addf(&e, "%sguess:%s", sep, guess);
            sep = ",";
        }
        if (ahead)
            ut_buf_addf(&e, "%sahead:1", sep);
        ut_buf_adds(&e, opener >= 0 ? "}))" : "})");
        free(mj);
        rc = sel_eval(p, ut_buf_str(&e), 1, 10000, &v, err, sizeof err);
        ut_buf_free(&e);
        if (rc != SEL_OK)
            return sel__fail(r, rc, "%s", err);
        doc = opener >= 0 ? cJSON_GetObjectItemCaseSensitive(v, "doc") : v;
        if (!cJSON_IsString(doc)) {
            cJSON_Delete(v);
            return sel__fail(r, SEL_E_JS, "the candidate collector returned "
                             "no document");
        }
        menu->n = 0;
        menu->opened = opener >= 0 &&
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "opened"));
        ids = opener >= 0 ? cJSON_GetObjectItemCaseSensitive(v, "menu") : NULL;
        cJSON_ArrayForEach(it, ids)
            if (cJSON_IsNumber(it) && menu->n < SEL__MENU_MAX)
                menu->id[menu->n++] = it->valueint;
        bad = m ? sel_mirror_parse(m, doc->valuestring,
                                   strlen(doc->valuestring), cs, err,
                                   sizeof err)
                : sel_cands_parse(doc->valuestring, strlen(doc->valuestring),
                                  cs, err, sizeof err);
        cJSON_Delete(v);
        if (!bad)
            break;
        if (!m || attempt > 0)       /* a mirror failure gets one retry */
            return sel__fail(r, SEL_E_JS, "candidate records: %s", err);
    }
    r->us_collect_page += (int64_t)(cs->page_ms * 1000.0);
    /* cross-origin frames' candidates compete with the top's */
    sel__collect_frames(p, probes, cs, r);
    r->us_collect += ut_now_us() - t0;
    return SEL_OK;
}

/* How long the page may take to find the targets: a failed step's
 * extra, never a passing one's. Candidates of a cross-origin frame's
 * realm are left without one: the top document's script cannot check
 * them there. */
#define SEL_PASTE_MS 3000

void sel__paste_targets(struct sel_page *p, struct sel_result *r)
{
    cJSON *ids, *args, *v = NULL;
    char err[256];
    size_t i;

    if (!r->ntop || !(ids = cJSON_CreateArray()))
        return;
    for (i = 0; i < r->ntop; i++)
        cJSON_AddItemToArray(ids, cJSON_CreateNumber(
            r->top[i].rec >= SEL__FRAME_IDS ? -1 : r->top[i].rec));
    args = cJSON_CreateArray();
    if (!args) {
        cJSON_Delete(ids);
        return;
    }
    cJSON_AddItemToArray(args, ids);
    if (sel_eval_call(p, "pasteTargets", args, 0, SEL_PASTE_MS, &v, err,
                      sizeof err) != SEL_OK)
        return;
    for (i = 0; cJSON_IsArray(v) && i < r->ntop; i++) {
        const cJSON *t = cJSON_GetArrayItem(v, (int)i);
        free(r->top[i].target);
        r->top[i].target = cJSON_IsString(t) && *t->valuestring ?
                           ut_strdup(t->valuestring) : NULL;
    }
    cJSON_Delete(v);
}
