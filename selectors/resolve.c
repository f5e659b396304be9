/* resolve.c -- from a target to a ready element: explicit strategies go
 * straight to the page script; intents go cache (validated), heuristics,
 * then the LLM when the heuristics are unsure. See SPEC section 4. */
#include "sel.h"
#include "sel_int.h"
#include "../cache/cache.h"
#include "../cdp/cdp.h"
#include "../llm/llm.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>
#include <math.h>

#define SEL_TOP 5          /* candidates listed in reports and errors */
#define SEL_LLM_TOP 8      /* candidates shown to the LLM */
#define SEL_POLL_MS 100    /* between collections while nothing fits */
/* Candidates that may not be all there yet are polled like no candidate
 * at all: weak ones only (some score, none enough to act on), or a best
 * one that is not visible (a form shown once the page's scripts ran).
 * Weak ones that stayed the same this long go to an LLM without waiting
 * out the step's timeout (a page still rendering changes them and
 * restarts the wait); a hidden best one is waited for until the timeout.
 * Without an LLM the step waits its full timeout, then ends uncertain. */
#define SEL_WEAK_SETTLE_MS 1000
/* Between a chosen element found gone from the document and the next
 * look at the page: the redraw is under way, and it needs a moment. */
#define SEL_REDRAWN_MS 50
/* A cached selector that finds one element not as cached is looked at
 * once more this long after (the page settled first) before the entry
 * is demoted: a page's scripts may still be setting roles and names. */
#define SEL_RECHECK_MS 300

static const char *const want_names[] = {
    "click", "fill", "select", "check", "hover", "read", "attached",
    "visible"};

const char *sel_source_name(enum sel_source s)
{
    static const char *const n[] = {"explicit", "cache", "heuristic", "llm"};
    return (unsigned)s < 4 ? n[s] : "?";
}

void sel_result_clear(struct sel_result *r)
{
    size_t i;

    if (!r)
        return;
    free(r->selector);
    free(r->fingerprint);
    free(r->old_selector);
    free(r->cache_origin);
    free(r->cache_route);
    free(r->cache_intent);
    for (i = 0; i < r->ntop; i++) {
        free(r->top[i].desc);
        free(r->top[i].features);
    }
    free(r->top);
    free(r->llm_model);
    free(r->llm_reason);
    free(r->error);
    free(r->seen);
    free(r->form);
    memset(r, 0, sizeof *r);
}

static sel_code fail(struct sel_result *r, sel_code code, const char *fmt,
                     ...) __attribute__((format(printf, 3, 4)));
static sel_code fail(struct sel_result *r, sel_code code, const char *fmt,
                     ...)
{
    ut_buf b;
    va_list ap;

    ut_buf_init(&b, UT_MAX_LINE);
    va_start(ap, fmt);
    ut_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    free(r->error);
    r->error = ut_buf_take(&b);
    r->code = code;
    return code;
}

/* The page script's spec object for an explicit target. */
cJSON *sel_target_spec(const struct sel_target *t)
{
    static const char *const s[] = {"css", "xpath", "text", "role", "label",
                                    "placeholder", "testid"};
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "s", s[t->strategy]);
    if (t->strategy == SEL_ROLE) {
        cJSON_AddStringToObject(o, "role", t->role);
        if (t->name)
            cJSON_AddStringToObject(o, "name", t->name);
        cJSON_AddBoolToObject(o, "exact", t->exact);
    } else {
        cJSON_AddStringToObject(o, "v", t->value);
    }
    return o;
}

static cJSON *opts_of(const struct sel_opts *o, int nth, int timeout_ms)
{
    cJSON *j = cJSON_CreateObject();

    cJSON_AddNumberToObject(j, "nth", nth);
    cJSON_AddStringToObject(j, "kind", want_names[o->want]);
    cJSON_AddNumberToObject(j, "timeout", timeout_ms > 0 ? timeout_ms : 0);
    return j;
}

static const char *jstr(const cJSON *o, const char *k)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o,
                                                                          k));
    return s ? s : "";
}

static double jnum(const cJSON *o, const char *k, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/* Joins the "matches" array of a locate answer into one line. */
static char *matches_line(const cJSON *v)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(v, "matches"), *it;
    ut_buf b;

    ut_buf_init(&b, 2048);
    cJSON_ArrayForEach(it, m) {
        if (cJSON_IsString(it))
            ut_buf_addf(&b, "%s%s", b.len ? "; " : "", it->valuestring);
    }
    return ut_buf_take(&b);
}

/* Maps a failed locate answer V to a result error. WHAT names the target
 * for the message. */
static sel_code locate_failed(struct sel_result *r, const cJSON *v,
                              const char *what, int timeout_ms)
{
    const char *reason = jstr(v, "reason"), *seen = jstr(v, "seen");
    int n = (int)jnum(v, "n", 0);
    char *m = matches_line(v);
    sel_code rc;

    free(r->seen);
    r->seen = *m ? ut_strdup(m) : *seen ? ut_strdup(seen) : NULL;
    if (strcmp(reason, "not-found") == 0)
        rc = fail(r, SEL_E_NOTFOUND, "no element matches %s (waited %d ms)",
                  what, timeout_ms);
    else if (strcmp(reason, "ambiguous") == 0)
        rc = fail(r, SEL_E_AMBIGUOUS, "%s matches %d elements: %s; make it "
                  "more specific or give \"nth\"", what, n, m);
    else
        rc = fail(r, SEL_E_NOTREADY, "%s is %s after %d ms%s%s", what,
                  *reason ? reason : "not ready", timeout_ms,
                  *seen ? ": " : "", seen);
    free(m);
    return rc;
}

/* Reads a successful locate answer into R. */
static void take_located(struct sel_result *r, const cJSON *v)
{
    const cJSON *fp = cJSON_GetObjectItemCaseSensitive(v, "fp");
    const char *sel = jstr(v, "sel");

    r->handle = (int)jnum(v, "h", -1);
    r->x = jnum(v, "x", 0);
    r->y = jnum(v, "y", 0);
    if (*sel) {
        free(r->selector);
        r->selector = ut_strdup(sel);
    }
    if (fp) {
        free(r->fingerprint);
        r->fingerprint = cJSON_PrintUnformatted(fp);
    }
}


static sel_code resolve_explicit(struct sel_page *p,
                                 const struct sel_target *t,
                                 const struct sel_opts *o,
                                 struct sel_result *r, const char *what)
{
    cJSON *args = cJSON_CreateArray(), *v = NULL;
    char err[512];
    sel_code rc;

    cJSON_AddItemToArray(args, sel_target_spec(t));
    cJSON_AddItemToArray(args, opts_of(o, o->nth, o->timeout_ms));
    rc = sel_eval_call(p, "locate", args, 1, o->timeout_ms, &v, err,
                        sizeof err);
    if (rc != SEL_OK)
        return fail(r, rc, "%s", err);
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "ok")))
        rc = locate_failed(r, v, what, o->timeout_ms);
    else
        take_located(r, v);
    cJSON_Delete(v);
    r->source = SEL_SRC_EXPLICIT;
    if (rc == SEL_OK && !r->selector)
        r->selector = ut_strdup(what);
    return rc;
}

/* Waits for handle-expression HEXPR to be ready for O->want, and reads
 * its stable selector and fingerprint in the same round trip. *GONE
 * (may be NULL) tells that it failed because the element left the
 * document (a page redrawn by its scripts): it may be found again. */
static sel_code ready_handle(struct sel_page *p, const char *hexpr,
                             const struct sel_opts *o, int timeout_ms,
                             struct sel_result *r, const char *what,
                             int describe, int *gone)
{
    ut_buf e;
    cJSON *opts = opts_of(o, -1, timeout_ms), *v = NULL;
    char *oj = cJSON_PrintUnformatted(opts), err[512];
    sel_code rc;

    cJSON_Delete(opts);
    ut_buf_init(&e, UT_MAX_LINE);
    /* DESCRIBE: also synthesise a stable selector and a fingerprint (a
     * new resolution); a validated cache hit already has both. */
    if (describe)
        ut_buf_addf(&e, "(()=>{const P=__cdpilot,h=%s;return P.locateHandle("
                    "h,%s).then(r=>{if(r.ok){r.sel=P.selectorFor(h);"
                    "r.fp=P.fingerprint(h);}return r;});})()", hexpr,
                    oj ? oj : "{}");
    else
        ut_buf_addf(&e, "__cdpilot.locateHandle(%s,%s)", hexpr,
                    oj ? oj : "{}");
    free(oj);
    rc = sel_eval(p, ut_buf_str(&e), 1, timeout_ms, &v, err, sizeof err);
    ut_buf_free(&e);
    if (rc != SEL_OK)
        return fail(r, rc, "%s", err);
    if (gone)
        *gone = strcmp(jstr(v, "reason"), "detached") == 0;
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "ok")))
        rc = locate_failed(r, v, what, timeout_ms);
    else
        take_located(r, v);
    cJSON_Delete(v);
    return rc;
}

/* A cached selector, validated and made ready in one round trip: it must
 * match exactly one element whose tag and role agree with the cached
 * fingerprint, whose accessible name does too (when one was cached), and
 * that still shows the fingerprint's fit words (sel_fit_words(): the
 * intent's words that were around it, so that a field or row that moved
 * under a positional selector is not taken for the one cached); then the
 * page waits for that element to be ready for O->want.
 * Returns 1 (R holds the element), 2 (validated but not ready in time: R
 * holds the error), 3 (validated, then it left the document: the page's
 * scripts redrew it, look again), 0 (it no longer fits: *GONE when it
 * matched nothing, so it may still appear), -1 on a page failure (R
 * holds the error). */
static int try_cached(struct sel_page *p, const struct cache_entry *ce,
                      const struct sel_opts *o, int timeout_ms,
                      struct sel_result *r, int *gone)
{
    struct sel_target t;
    cJSON *v = NULL, *spec, *fpc, *want, *opts;
    char err[512], *sj, *fj, *oj;
    ut_buf e;
    int ret;

    *gone = 0;
    if (sel_target_parse(ce->selector, &t, err, sizeof err) ||
        t.strategy == SEL_INTENT) {
        sel_target_clear(&t);
        return 0;
    }
    spec = sel_target_spec(&t);
    sel_target_clear(&t);
    fpc = cJSON_Parse(ce->fingerprint ? ce->fingerprint : "{}");
    want = cJSON_CreateObject();
    cJSON_AddStringToObject(want, "tag", jstr(fpc, "tag"));
    cJSON_AddStringToObject(want, "role", jstr(fpc, "role"));
    cJSON_AddStringToObject(want, "name", jstr(fpc, "name"));
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(fpc, "modal")))
        cJSON_AddTrueToObject(want, "modal");
    if (*jstr(fpc, "fit"))
        cJSON_AddStringToObject(want, "fit", jstr(fpc, "fit"));
    cJSON_Delete(fpc);
    opts = opts_of(o, -1, timeout_ms);
    sj = cJSON_PrintUnformatted(spec);
    fj = cJSON_PrintUnformatted(want);
    oj = cJSON_PrintUnformatted(opts);
    cJSON_Delete(spec);
    cJSON_Delete(want);
    cJSON_Delete(opts);
    ut_buf_init(&e, UT_MAX_LINE);
    /* the element's tag, role, name and fit words (not the rest of a
     * fingerprint: its text above all costs layout work) */
    ut_buf_addf(&e, "__cdpilot.locateCached(%s,%s,%s)", sj ? sj : "{}",
                fj ? fj : "{}", oj ? oj : "{}");
    free(sj);
    free(fj);
    free(oj);
    if ((ret = sel_eval(p, ut_buf_str(&e), 1, timeout_ms, &v, err,
                        sizeof err)) != SEL_OK) {
        ut_buf_free(&e);
        /* a page that stopped answering is a timeout, as elsewhere */
        fail(r, ret == SEL_E_TIMEOUT ? SEL_E_TIMEOUT : SEL_E_BROWSER, "%s",
             err);
        return -1;
    }
    ut_buf_free(&e);
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "validated"))) {
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "ok"))) {
            take_located(r, v);
            ret = 1;
        } else {
            locate_failed(r, v, ce->selector, timeout_ms);
            ret = strcmp(jstr(v, "reason"), "detached") == 0 ? 3 : 2;
        }
    } else {
        /* "mismatch", "unfit": one element, and not the one cached;
         * "dialog": an entry for another state of the page (2) */
        if (strcmp(jstr(v, "reason"), "dialog") == 0)
            *gone = 2;
        else
            *gone = (int)jnum(v, "n", 0) == 0 &&
                    strcmp(jstr(v, "reason"), "mismatch") != 0 &&
                    strcmp(jstr(v, "reason"), "unfit") != 0;
        ret = 0;
    }
    cJSON_Delete(v);
    return ret;
}

static enum heur_kind heur_kind_of(enum sel_want w)
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
static void keep_top(struct sel_result *r, const struct sel_cands *cs,
                     const struct heur_result *hr, int explain)
{
    size_t i, n = hr->n < SEL_TOP ? hr->n : SEL_TOP;
    int f;

    for (i = 0; i < r->ntop; i++) {
        free(r->top[i].desc);
        free(r->top[i].features);
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
        fail(r, SEL_E_NOMEM, "out of memory");
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
        fail(r, lc == LLM_E_NOPICK ? SEL_E_UNCERTAIN : SEL_E_LLM,
             "\"%s\" is uncertain and the LLM %s: %s", t->value,
             lc == LLM_E_NOPICK ? "found no match" : "failed",
             llm_errmsg(o->llm));
    } else if (a.index < 0 || (size_t)a.index >= n) {
        fail(r, SEL_E_LLM, "LLM answer out of range");
    } else {
        const struct heur_score *s = &hr->ranked[a.index];
        /* The answer is checked like any guess: a candidate the step
         * cannot act on is refused. */
        if (!can_act(o->want, &cs->c[s->cand])) {
            fail(r, SEL_E_LLM, "the LLM chose %s, which a %s step cannot "
                 "act on; refused", lines[a.index], o->step_kind);
        } else if (a.confidence < o->llm_min_confidence) {
            /* the model guessing is no better than us guessing */
            r->confidence = a.confidence;
            fail(r, SEL_E_UNCERTAIN, "\"%s\" is uncertain and so is the "
                 "LLM: it chose %s with confidence %.2f, below "
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

/* A <label> stands for its control: act on the control (a hidden
 * checkbox's visible label is found again by the page script when the
 * control itself cannot be clicked). Returns an index into CS->c. */
static int control_of(const struct sel_cands *cs, int i)
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
        fail(r, rc, "%s", err);
        return -1;
    }
    if (!cJSON_IsArray(v) || (size_t)cJSON_GetArraySize(v) != n) {
        cJSON_Delete(v);
        return 0;
    }
    for (i = 0; i < n; i++) {
        const struct heur_score *s = &hr->ranked[i];
        const cJSON *a = cJSON_GetArrayItem(v, (int)i);
        int h = (int)jnum(a, "h", -1), cnt = (int)jnum(a, "n", 0);
        int key = (int)jnum(a, "key", -1);
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
        fail(r, SEL_E_UNCERTAIN, "\"%s\" is uncertain: the row of %.80s holds "
             "%d checkboxes; name the one meant", t->value,
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

/* The prefilter probes of INTENT as a JSON array into OUT (N bytes), ""
 * when it has none: then the collector sends every record. With probes
 * it sends only those the scorer's prefilter can let through (the
 * ranking is the same as over a full collection: docs/CANDIDATES.md). */
static void collect_probes(struct heur_ctx *hx, const char *intent,
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
static void collect_guess(const char *intent, enum sel_want w, int left_ms,
                          char *out, size_t n)
{
    char words[512], *j;
    cJSON *g;

    out[0] = '\0';
    if ((unsigned)w >= sizeof want_names / sizeof want_names[0] ||
        heur_guess_words(intent, words, sizeof words) == 0)
        return;
    g = cJSON_CreateObject();
    cJSON_AddStringToObject(g, "w", words);
    cJSON_AddStringToObject(g, "kind", want_names[w]);
    cJSON_AddNumberToObject(g, "wait", left_ms <= 0 ? 0 :
                            left_ms < SEL_GUESS_WAIT_MS ? left_ms :
                            SEL_GUESS_WAIT_MS);
    j = cJSON_PrintUnformatted(g);
    cJSON_Delete(g);
    if (j && strlen(j) < n)
        memcpy(out, j, strlen(j) + 1);
    free(j);
}

/* The menu just opened: after a click or hover opened a menu, a click
 * whose words fit an item of that menu means that item (heur_hist.menu).
 * The collection that follows says which of its records lie inside the
 * menu that the element last clicked opened (P.withMenu()). */
#define SEL_MENU_MAX 256
struct menu_ids {
    int id[SEL_MENU_MAX];
    size_t n;
};

/* One collection with PROBES and GUESS ("" for none) into CS, kept by
 * the page for P.aheadCheck() when AHEAD (its token in CS->ahead), and
 * with OPENER >= 0 (the handle of the element the last action clicked),
 * the records inside the menu it opened into MENU. Its
 * answer is awaited: with a guess that takes frames, it comes when the
 * guess is checked. The page's record mirror (sel__mirror) lets records
 * this controller already holds cross as bare ids; an answer out of step
 * with it empties the mirror and the collection is made once more,
 * whole. */
static sel_code collect(struct sel_page *p, const char *probes,
                        const char *guess, int ahead, int opener,
                        struct menu_ids *menu, struct sel_cands *cs,
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
            return fail(r, rc, "%s", err);
        doc = opener >= 0 ? cJSON_GetObjectItemCaseSensitive(v, "doc") : v;
        if (!cJSON_IsString(doc)) {
            cJSON_Delete(v);
            return fail(r, SEL_E_JS, "the candidate collector returned no "
                        "document");
        }
        menu->n = 0;
        ids = opener >= 0 ? cJSON_GetObjectItemCaseSensitive(v, "menu") : NULL;
        cJSON_ArrayForEach(it, ids)
            if (cJSON_IsNumber(it) && menu->n < SEL_MENU_MAX)
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
            return fail(r, SEL_E_JS, "candidate records: %s", err);
    }
    r->us_collect += ut_now_us() - t0;
    r->us_collect_page += (int64_t)(cs->page_ms * 1000.0);
    return SEL_OK;
}

/* ---- ranking ahead (docs/CANDIDATES.md "Ahead") ------------------------- */

/* The later steps' intents one collection serves. */
struct ahead_plan {
    const struct sel_ahead *a[SEL_AHEAD_MAX];
    size_t n;
};

static int has_probe(const cJSON *arr, const char *s)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
        if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0)
            return 1;
    return 0;
}

/* Which of O->ahead this step's collection serves, into PL: those the
 * cache does not hold (KEY: its origin and route; NULL without a cache),
 * other than this step's own (T), whose probes fit with this step's into
 * PROBES (CAP bytes, "" for none: then every record comes anyway), which
 * then holds them all. A later intent without probes would make the
 * collection whole, so it is left to its own step. */
static void plan_ahead(const struct sel_opts *o, const struct sel_target *t,
                       const struct cache_key *key, char *probes, size_t cap,
                       struct ahead_plan *pl)
{
    cJSON *all = *probes ? cJSON_Parse(probes) : NULL;
    size_t i;

    pl->n = 0;
    if (*probes && !cJSON_IsArray(all)) {
        cJSON_Delete(all);
        return;
    }
    for (i = 0; i < o->nahead && i < SEL_AHEAD_MAX; i++) {
        const struct sel_ahead *a = &o->ahead[i];
        char more[1024], norm[512], *j;
        cJSON *m, *e, *u;
        size_t k;

        if (!a->intent || !*a->intent || (a->want == o->want &&
                                          strcmp(a->intent, t->value) == 0))
            continue;
        for (k = 0; k < pl->n; k++)
            if (pl->a[k]->want == a->want &&
                strcmp(pl->a[k]->intent, a->intent) == 0)
                break;
        if (k < pl->n)
            continue;
        if (key && a->step_kind) {      /* peek: its step looks it up */
            struct cache_key ck = *key;
            heur_normalize(o->hx, a->intent, norm, sizeof norm);
            ck.kind = a->step_kind;
            ck.intent = norm;
            if (cache_peek(o->cache, &ck) == CACHE_OK)
                continue;
        }
        if (!all) {                 /* this collection is whole anyway */
            pl->a[pl->n++] = a;
            continue;
        }
        if (heur_probes(o->hx, a->intent, more, sizeof more) == 0)
            continue;
        if (!cJSON_IsArray(m = cJSON_Parse(more))) {
            cJSON_Delete(m);
            continue;
        }
        u = cJSON_Duplicate(all, 1);
        cJSON_ArrayForEach(e, m)
            if (cJSON_IsString(e) && !has_probe(u, e->valuestring))
                cJSON_AddItemToArray(u, cJSON_CreateString(e->valuestring));
        cJSON_Delete(m);
        j = cJSON_PrintUnformatted(u);
        if (j && strlen(j) < cap) {
            cJSON_Delete(all);
            all = u;
            pl->a[pl->n++] = a;
        } else {
            cJSON_Delete(u);
        }
        free(j);
    }
    if (all && pl->n) {
        char *j = cJSON_PrintUnformatted(all);
        if (j && strlen(j) < cap)
            memcpy(probes, j, strlen(j) + 1);
        else
            pl->n = 0;      /* cannot happen: checked as it grew */
        free(j);
    }
    cJSON_Delete(all);
}

/* Ranks the intents of PL over CS, the collection the page kept as
 * CS->ahead, into the page's store (what was there is dropped): the
 * confident ones only; the others resolve at their own step. */
static void rank_ahead(struct sel_page *p, const struct sel_opts *o,
                       const struct ahead_plan *pl,
                       const struct sel_cands *cs, struct sel_result *r)
{
    struct sel__ahead *a = sel__ahead(p);
    int64_t t0 = ut_now_us();
    size_t i;

    sel__ahead_clear(a);
    if (!cs->ahead || !pl->n || !(a->tok = ut_strdup(cs->ahead)))
        return;
    for (i = 0; i < pl->n; i++) {
        const struct sel_ahead *q = pl->a[i];
        struct heur_result hr;
        int c;

        if (heur_rank(o->hx, q->intent, heur_kind_of(q->want), cs->c, cs->n,
                      &hr))
            break;
        if (heur_decide(&hr, o->min_confidence, o->min_margin) ==
                HEUR_CONFIDENT &&
            (c = control_of(cs, hr.ranked[0].cand)) >= 0 &&
            (a->r[a->n].intent = ut_strdup(q->intent)) != NULL) {
            a->r[a->n].want = q->want;
            a->r[a->n].id = cs->c[c].id;
            a->r[a->n].confidence = hr.confidence;
            a->r[a->n].margin = hr.margin;
            a->r[a->n].candidates = (int)cs->n;
            a->n++;
        }
        heur_result_free(&hr);
    }
    r->us_ahead += ut_now_us() - t0;
}

/* This step's intent as ranked ahead, when the page is still as it was
 * then: one call checks that and the choice's readiness (as a guess is
 * checked). Returns 1 (R holds the element), 0 (nothing ranked ahead,
 * the page changed, or the element is not ready yet: resolve as usual),
 * -1 on a browser failure (R holds the error). */
static int try_ahead(struct sel_page *p, const struct sel_target *t,
                     const struct sel_opts *o, struct sel_result *r)
{
    struct sel__ahead *a = sel__ahead(p);
    struct sel__ranked k;
    cJSON *v = NULL, *tj;
    char err[512], *tok;
    sel_code rc;
    ut_buf e;
    size_t i;
    int ret = 0;

    if (!a->tok)
        return 0;
    for (i = 0; i < a->n; i++)
        if (a->r[i].want == o->want && strcmp(a->r[i].intent, t->value) == 0)
            break;
    if (i == a->n)
        return 0;
    k = a->r[i];                    /* taken: a ranking serves once */
    a->r[i] = a->r[--a->n];
    tj = cJSON_CreateString(a->tok);
    tok = cJSON_PrintUnformatted(tj);
    cJSON_Delete(tj);
    ut_buf_init(&e, UT_MAX_LINE);
    ut_buf_addf(&e, "__cdpilot.aheadCheck(%s,%d,\"%s\",0)",
                tok ? tok : "\"\"", k.id, want_names[o->want]);
    free(tok);
    rc = sel_eval(p, ut_buf_str(&e), 1, o->timeout_ms, &v, err, sizeof err);
    ut_buf_free(&e);
    if (rc == SEL_OK && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v,
                                                                      "ok"))) {
        take_located(r, v);
        r->source = SEL_SRC_HEURISTIC;
        r->confidence = k.confidence;
        r->margin = k.margin;
        r->candidates = k.candidates;
        r->ahead = 1;
        ret = 1;
    } else if (rc == SEL_OK && !cJSON_IsTrue(
                   cJSON_GetObjectItemCaseSensitive(v, "stale"))) {
        ret = 0;                    /* not ready yet: the usual wait */
    } else if (rc == SEL_OK || rc == SEL_E_JS) {
        sel__ahead_clear(a);        /* the page changed: none holds */
    } else {
        fail(r, rc, "%s", err);
        ret = -1;
    }
    cJSON_Delete(v);
    free(k.intent);
    return ret;
}

/* R's new fingerprint with the fit words of INTENT, as written and as
 * normalised (NORM: "First name" is "firstname" there), in place of the
 * words the page read around the element. */
static void fit_fingerprint(struct sel_result *r, const char *intent,
                            const char *norm, int dialog)
{
    char words[1600], *fp;
    cJSON *o;

    if (!r->fingerprint)
        return;
    snprintf(words, sizeof words, "%s %s", intent, norm);
    if ((fp = sel_fit_fingerprint(r->fingerprint, words)) != NULL) {
        free(r->fingerprint);
        r->fingerprint = fp;
    }
    /* made with a modal dialog open: for that dialog only */
    if (dialog && (o = cJSON_Parse(r->fingerprint)) != NULL) {
        cJSON_AddTrueToObject(o, "modal");
        if ((fp = cJSON_PrintUnformatted(o)) != NULL) {
            free(r->fingerprint);
            r->fingerprint = fp;
        }
        cJSON_Delete(o);
    }
}

/* ROUTE's twin for the same page with a modal dialog open: the cache
 * keeps what the words meant in the dialog apart from what they mean on
 * the page under it ("Rename" the toolbar button, then "Rename" the
 * dialog's). */
#define DIALOG_ROUTE " [dialog]"
static void dialog_route(const char *route, char *out, size_t n)
{
    snprintf(out, n, "%s" DIALOG_ROUTE, route);
}

/* The element chosen left the document before it was ready (a page that
 * its scripts redraw, as an AJAX navigation does): forget the failure
 * and give the page a moment before looking again, within DEADLINE. */
static void redrawn(struct sel_page *p, struct sel_result *r,
                    int64_t deadline)
{
    int64_t left = deadline - ut_now_ms();

    free(r->error);
    free(r->seen);
    r->error = NULL;
    r->seen = NULL;
    r->code = SEL_OK;
    cdp_pump(cdp_session_conn(sel_page_session(p)),
             (int)(left < SEL_REDRAWN_MS ? left : SEL_REDRAWN_MS), 0);
}

static sel_code resolve_intent(struct sel_page *p, const struct sel_target *t,
                               const struct sel_opts *o,
                               struct sel_result *r)
{
    int64_t deadline = ut_now_ms() + o->timeout_ms, t0;
    char origin[512], route[1024], droute[1040], norm[512], hexpr[96],
         probes[1024], guess[1200];
    struct cache_key key;
    struct cache_entry ce;
    struct ahead_plan plan;
    struct menu_ids menu;
    int have_entry = 0, demoted = 0, gone = 0, have_opts = 0, have_key = 0;
    int in_dialog = 0;          /* the entry tried is the dialog route's */
    int dialog_open = 0;        /* the last collection saw a modal dialog */
    int elsewhere = 0;          /* an entry was for another page state */
    int elsewhere_tried = 0;
    int recheck = 0;            /* a cache mismatch was looked at again */
    int cache_again = 0;        /* ... and an entry that found nothing */
    int weak_id = -1;           /* the weak best, and since when */
    size_t weak_n = 0;
    double weak_score = 0;
    int64_t weak_at = 0;
    sel_code rc = SEL_OK;

    memset(&ce, 0, sizeof ce);
    heur_normalize(o->hx, t->value, norm, sizeof norm);
    if (o->cache && cache_route_shape(sel_page_url(p), origin, sizeof origin,
                                      route, sizeof route) == 0) {
        key.origin = origin;
        key.route = route;
        key.kind = o->step_kind;
        key.intent = norm;
        r->cache_origin = ut_strdup(origin);
        r->cache_route = ut_strdup(route);
        r->cache_intent = ut_strdup(norm);
        t0 = ut_now_us();
        have_entry = cache_lookup(o->cache, &key, &ce) == CACHE_OK;
        if (!have_entry) {     /* words that were only met in a dialog */
            dialog_route(route, droute, sizeof droute);
            key.route = droute;
            /* peeked first: a miss counts once in the cache's stats */
            if ((have_entry = cache_peek(o->cache, &key) == CACHE_OK &&
                              cache_lookup(o->cache, &key, &ce) ==
                              CACHE_OK)) {
                in_dialog = 1;
                free(r->cache_route);
                r->cache_route = ut_strdup(droute);
            } else {
                key.route = route;
            }
        }
        r->us_cache += ut_now_us() - t0;
        have_key = 1;
    }
    plan.n = 0;
    if (!have_entry) {
        int got = try_ahead(p, t, o, r);
        if (got) {
            cache_entry_clear(&ce);
            if (got > 0)
                fit_fingerprint(r, t->value, norm, 0);
            return got > 0 ? SEL_OK : r->code;
        }
    }
    for (;;) {
        struct sel_cands cs;
        struct heur_result hr;
        struct heur_hist hist;
        enum heur_decision d;
        int chosen = -1, weak = 0, esc = 0, stand, stand_h = -1;
        int gone_now = 0, opener;
        int64_t left, now;

        if (sel__navigating(p) && ut_now_ms() < deadline) {
            /* the page is going away, or still loading (a navigation a
             * click started and the page told late, a script's timer):
             * what it shows now is not what the step is about, and its
             * scripts may not be ready for input yet */
            if ((rc = sel_settle(p, (int)(deadline - ut_now_ms()), NULL, 0))
                    != SEL_OK && rc != SEL_E_TIMEOUT)
                break;
            rc = SEL_OK;
        }
        if (have_entry && !demoted) {
            int hit;
            t0 = ut_now_us();
            hit = try_cached(p, &ce, o, (int)(deadline - ut_now_ms()), r,
                             &gone);
            r->us_cache += ut_now_us() - t0;
            if (hit < 0) {
                rc = r->code;
                break;
            }
            if (hit == 3 && ut_now_ms() < deadline) {
                redrawn(p, r, deadline);
                continue;
            }
            if (hit > 0) {
                r->source = SEL_SRC_CACHE;
                r->confidence = ce.confidence;
                r->candidates = 1;
                free(r->selector);
                r->selector = ut_strdup(ce.selector);
                free(r->fingerprint);
                r->fingerprint = ut_strdup(ce.fingerprint);
                rc = hit == 1 ? SEL_OK : r->code;
                break;
            }
            if (!gone && !recheck && deadline - ut_now_ms() > 2 *
                                          SEL_RECHECK_MS) {
                /* one element, and not as cached: maybe not yet (a page
                 * whose scripts still set its roles and names while its
                 * lists load); once more after a moment */
                recheck = 1;
                sel_settle(p, SEL_RECHECK_MS, NULL, 0);
                cdp_pump(cdp_session_conn(sel_page_session(p)),
                         SEL_RECHECK_MS, 0);
                continue;
            }
            if (!gone) {   /* matches the wrong element, or several */
                demoted = 1;
                cache_demote(o->cache, &key);
                r->healed = 1;
                r->old_selector = ut_strdup(ce.selector);
            } else if (gone == 2) {
                /* a dialog covers the page (or the dialog is gone): the
                 * other state's entry, if any, else the heuristics; the
                 * entry stays, right for its own state */
                elsewhere = 1;
                cache_entry_clear(&ce);
                if (!in_dialog) {
                    dialog_route(route, droute, sizeof droute);
                    key.route = droute;
                } else {
                    key.route = route;
                }
                in_dialog = !in_dialog;
                t0 = ut_now_us();
                have_entry = cache_lookup(o->cache, &key, &ce) == CACHE_OK;
                r->us_cache += ut_now_us() - t0;
                free(r->cache_route);
                r->cache_route = ut_strdup(key.route);
                if (have_entry && !elsewhere_tried++)
                    continue;
                have_entry = 0;
            }
        }
        memset(&cs, 0, sizeof cs);
        if (!have_opts) {
            collect_probes(o->hx, t->value, probes, sizeof probes);
            if (o->nahead)
                plan_ahead(o, t, have_key ? &key : NULL, probes,
                           sizeof probes, &plan);
            have_opts = 1;
        }
        /* again on every poll: a guess that takes frames waits within
         * the time left */
        collect_guess(t->value, o->want, (int)(deadline - ut_now_ms()),
                      guess, sizeof guess);
        opener = o->want == SEL_WANT_CLICK || o->want == SEL_WANT_HOVER ?
                 sel__opener(p) : -1;
        if ((rc = collect(p, probes, guess, plan.n > 0, opener, &menu, &cs,
                          r)) != SEL_OK)
            break;
        if (sel__navigating(p) && ut_now_ms() < deadline) {
            /* it started while the page was collected: look again */
            sel_cands_free(&cs);
            if ((rc = sel_settle(p, (int)(deadline - ut_now_ms()), NULL, 0))
                    != SEL_OK && rc != SEL_E_TIMEOUT)
                break;
            rc = SEL_OK;
            continue;
        }
        dialog_open = cs.dialog;
        t0 = ut_now_us();
        memset(&hist, 0, sizeof hist);
        hist.form = o->recent_form;
        hist.menu = menu.id;
        hist.nmenu = opener >= 0 ? menu.n : 0;
        if (heur_rank_hist(o->hx, t->value, heur_kind_of(o->want), cs.c,
                           cs.n, &hist, &hr)) {
            sel_cands_free(&cs);
            rc = fail(r, SEL_E_NOMEM, "out of memory");
            break;
        }
        r->us_score += ut_now_us() - t0;
        if (plan.n) {
            rank_ahead(p, o, &plan, &cs, r);
            plan.n = 0;             /* the first collection only */
        }
        r->candidates = (int)cs.n;
        r->confidence = hr.confidence;
        r->margin = hr.margin;
        d = heur_decide(&hr, o->min_confidence, o->min_margin);
        now = ut_now_ms();
        left = deadline - now;
        if (d != HEUR_CONFIDENT && o->want == SEL_WANT_CHECK &&
            hr.best >= 0 && !checkish(&cs.c[control_of(&cs,
                                                 hr.ranked[0].cand)]) &&
            (stand = check_stand_in(p, t, o, &cs, &hr, r, &stand_h)) != 0) {
            keep_top(r, &cs, &hr, o->explain);
            if (stand > 0) {
                r->source = SEL_SRC_HEURISTIC;
                snprintf(hexpr, sizeof hexpr, "%d", stand_h);
                rc = ready_handle(p, hexpr, o, (int)(left > 0 ? left : 0),
                                  r, t->value, 1, &gone_now);
            } else {
                rc = r->code;
            }
            heur_result_free(&hr);
            sel_cands_free(&cs);
            if (rc != SEL_OK && gone_now && ut_now_ms() < deadline) {
                redrawn(p, r, deadline);
                continue;
            }
            break;
        }
        /* weak candidates: something scores, nothing enough to act on;
         * or unsure, and the best is not shown (yet), or not the one its
         * ordinal counts to ("the second Expression box" while the page
         * still adds the second: its ordinal factor is a miss) */
        if ((weak = hr.best >= 0 &&
                    (d == HEUR_NONE || (d == HEUR_UNCERTAIN &&
                                        (!cs.c[hr.ranked[0].cand].visible ||
                                         hr.ranked[0].f[HEUR_F_ORDINAL] <
                                         1.0))))) {
            const struct heur_cand *b = &cs.c[hr.ranked[0].cand];
            if (!weak_at || b->id != weak_id || cs.n != weak_n ||
                hr.confidence != weak_score) {
                weak_at = now;
                weak_id = b->id;
                weak_n = cs.n;
                weak_score = hr.confidence;
            }
            esc = left <= 0 || (o->llm && d == HEUR_NONE &&
                                now - weak_at >= SEL_WEAK_SETTLE_MS);
        } else {
            weak_at = 0;
        }
        if (d == HEUR_CONFIDENT) {
            chosen = hr.ranked[0].cand;
            r->source = SEL_SRC_HEURISTIC;
        } else if ((d == HEUR_UNCERTAIN && !weak) || left <= 0 || esc) {
            esc = 1;
            keep_top(r, &cs, &hr, o->explain);
            if ((d == HEUR_UNCERTAIN || weak) && o->llm) {
                chosen = ask_llm(t, o, &cs, &hr, r);
                r->source = SEL_SRC_LLM;
            } else if (d == HEUR_UNCERTAIN) {
                fail(r, SEL_E_UNCERTAIN, "\"%s\" is uncertain (confidence "
                     "%.2f, margin %.2f) and no LLM is configured; "
                     "candidates listed below", t->value, hr.confidence,
                     hr.margin);
            } else if (weak) {
                /* never a guess: the candidates are listed, exit 4 */
                fail(r, SEL_E_UNCERTAIN, "nothing on the page fits \"%s\" "
                     "well (best score %.2f, waited %d ms) and no LLM is "
                     "configured; candidates listed below", t->value,
                     hr.confidence, o->timeout_ms);
            } else {
                fail(r, SEL_E_NOTFOUND, "nothing on the page fits \"%s\" "
                     "(waited %d ms)", t->value, o->timeout_ms);
            }
        }
        if (chosen >= 0 && have_entry && !demoted && gone == 1 &&
            !cache_again && ut_now_ms() < deadline) {
            /* the cached selector found nothing a moment ago, and now
             * something fits: the page may just have drawn it (a list
             * loaded between the two looks); the cache first */
            cache_again = 1;
            heur_result_free(&hr);
            sel_cands_free(&cs);
            continue;
        }
        if (chosen >= 0)
            chosen = control_of(&cs, chosen);
        if (chosen >= 0 && cs.c[chosen].form[0]) {
            free(r->form);
            r->form = ut_strdup(cs.c[chosen].form);
        }
        if (chosen >= 0) {
            keep_top(r, &cs, &hr, o->explain);
            if (cs.guess && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
                                cs.guess, "ok")) &&
                (int)jnum(cs.guess, "i", -1) == cs.c[chosen].id) {
                /* the page checked this very element with the collection */
                take_located(r, cs.guess);
                rc = SEL_OK;
            } else {
                snprintf(hexpr, sizeof hexpr, "P.keep(P.cands[%d])",
                         cs.c[chosen].id);
                rc = ready_handle(p, hexpr, o, (int)(left > 0 ? left : 0),
                                  r, t->value, 1, &gone_now);
            }
            if (rc != SEL_OK && gone_now && ut_now_ms() < deadline) {
                /* chosen from a page its scripts have since redrawn:
                 * choose again from the page as it is now */
                heur_result_free(&hr);
                sel_cands_free(&cs);
                redrawn(p, r, deadline);
                continue;
            }
        } else if ((d == HEUR_NONE || weak) && !esc) {
            heur_result_free(&hr);
            sel_cands_free(&cs);
            cdp_pump(cdp_session_conn(sel_page_session(p)),
                     (int)(left < SEL_POLL_MS ? left : SEL_POLL_MS), 0);
            continue;
        } else {
            rc = r->code;
        }
        heur_result_free(&hr);
        sel_cands_free(&cs);
        break;
    }
    if (rc == SEL_OK && r->healed && !r->old_selector)
        r->healed = 0;
    if (rc == SEL_OK && have_entry && r->source != SEL_SRC_CACHE &&
        !r->healed && !elsewhere) {
        /* The cached selector never showed up but something else did. */
        r->healed = 1;
        r->old_selector = ut_strdup(ce.selector);
        cache_demote(o->cache, &key);
    }
    if (rc == SEL_OK && r->source != SEL_SRC_CACHE) {
        /* kept under the route of the page's state it was chosen in */
        if (have_key) {
            if (dialog_open)
                dialog_route(route, droute, sizeof droute);
            free(r->cache_route);
            r->cache_route = ut_strdup(dialog_open ? droute : route);
        }
        fit_fingerprint(r, t->value, norm, dialog_open);
    }
    cache_entry_clear(&ce);
    return rc;
}

sel_code sel_resolve(struct sel_page *p, const struct sel_target *t,
                     const struct sel_opts *o, struct sel_result *r)
{
    int64_t t0 = ut_now_us();
    sel_code rc;

    memset(r, 0, sizeof *r);
    r->handle = -1;
    if (t->strategy != SEL_INTENT) {
        char what[1024];
        if (t->strategy == SEL_ROLE)
            snprintf(what, sizeof what, "role=%s%s%s%s", t->role,
                     t->name ? "[name=\"" : "", t->name ? t->name : "",
                     t->name ? "\"]" : "");
        else
            snprintf(what, sizeof what, "%s=%s",
                     sel_strategy_name(t->strategy), t->value);
        rc = resolve_explicit(p, t, o, r, what);
        r->confidence = rc == SEL_OK ? 1.0 : 0.0;
        r->candidates = rc == SEL_OK ? 1 : 0;
    } else if (!o->hx) {
        rc = fail(r, SEL_E_NOMEM, "no heuristics context");
    } else {
        rc = resolve_intent(p, t, o, r);
    }
    r->code = rc;
    r->us_total = ut_now_us() - t0;
    return rc;
}

void sel_commit(struct sel_page *p, const struct sel_target *t,
                const struct sel_opts *o, const struct sel_result *r)
{
    struct cache_key key;

    (void)p;
    if (!o->cache || t->strategy != SEL_INTENT || !r->cache_origin ||
        !r->selector)
        return;
    key.origin = r->cache_origin;
    key.route = r->cache_route;
    key.kind = o->step_kind;
    key.intent = r->cache_intent;
    if (r->source == SEL_SRC_CACHE)
        cache_hit_ok(o->cache, &key);
    else if (r->source == SEL_SRC_HEURISTIC || r->source == SEL_SRC_LLM)
        cache_put(o->cache, &key, r->selector,
                  r->fingerprint ? r->fingerprint : "{}",
                  sel_source_name(r->source), r->confidence, r->healed);
}
