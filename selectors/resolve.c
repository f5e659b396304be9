/* resolve.c -- from a target to a ready element: explicit strategies go
 * straight to the page script; intents go cache (validated), heuristics,
 * then the LLM when the heuristics are unsure (SPEC section 4). This file
 * holds the page script's locate answers and the loop that looks at the
 * page for an intent; each step of a look has a file of its own
 * (resolve_cache.c, resolve_rank.c, resolve_decide.c, resolve_ahead.c). */
#include "sel.h"
#include "sel_int.h"
#include "../cache/cache.h"
#include "../cdp/cdp.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEL_POLL_MS 100    /* between collections while nothing fits */
/* Between a chosen element found gone from the document and the next
 * look at the page: the redraw is under way, and it needs a moment. */
#define SEL_REDRAWN_MS 50

const char *const sel__want_names[SEL__WANTS] = {
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
        free(r->top[i].words);
        free(r->top[i].target);
    }
    free(r->top);
    free(r->llm_model);
    free(r->llm_reason);
    free(r->error);
    free(r->seen);
    free(r->read_value);
    free(r->probe_value);
    free(r->form);
    memset(r, 0, sizeof *r);
}

sel_code sel__fail(struct sel_result *r, sel_code code, const char *fmt, ...)
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

cJSON *sel__locate_opts(const struct sel_opts *o, int nth, int timeout_ms)
{
    cJSON *j = cJSON_CreateObject();

    cJSON_AddNumberToObject(j, "nth", nth);
    cJSON_AddStringToObject(j, "kind", sel__want_names[o->want]);
    cJSON_AddNumberToObject(j, "timeout", timeout_ms > 0 ? timeout_ms : 0);
    if (o->read && o->read_attr)
        cJSON_AddStringToObject(j, "read", o->read_attr);
    else if (o->read)
        cJSON_AddTrueToObject(j, "read");
    if (o->probe_what) {
        cJSON *pr = cJSON_AddArrayToObject(j, "probe");
        cJSON_AddItemToArray(pr, cJSON_CreateString(o->probe_what));
        cJSON_AddItemToArray(pr, cJSON_CreateString(o->probe_name ?
                                                    o->probe_name : ""));
    }
    return j;
}

const char *sel__jstr(const cJSON *o, const char *k)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o,
                                                                          k));
    return s ? s : "";
}

double sel__jnum(const cJSON *o, const char *k, double dflt)
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
sel_code sel__locate_failed(struct sel_result *r, const cJSON *v,
                            const char *what, int timeout_ms)
{
    const char *reason = sel__jstr(v, "reason"), *seen = sel__jstr(v, "seen");
    int n = (int)sel__jnum(v, "n", 0);
    char *m = matches_line(v);
    sel_code rc;

    free(r->seen);
    r->seen = *m ? ut_strdup(m) : *seen ? ut_strdup(seen) : NULL;
    if (strcmp(reason, "not-found") == 0)
        rc = sel__fail(r, SEL_E_NOTFOUND, "no element matches %s (waited "
                       "%d ms)", what, timeout_ms);
    else if (strcmp(reason, "ambiguous") == 0)
        rc = sel__fail(r, SEL_E_AMBIGUOUS, "%s matches %d elements: %s; make "
                       "it more specific or give \"nth\"", what, n, m);
    else
        rc = sel__fail(r, SEL_E_NOTREADY, "%s is %s after %d ms%s%s", what,
                       *reason ? reason : "not ready", timeout_ms,
                       *seen ? ": " : "", seen);
    free(m);
    return rc;
}

/* Reads a successful locate answer into R. */
void sel__take_located(struct sel_result *r, const cJSON *v)
{
    const cJSON *fp = cJSON_GetObjectItemCaseSensitive(v, "fp");
    const cJSON *val = cJSON_GetObjectItemCaseSensitive(v, "val");
    const char *sel = sel__jstr(v, "sel");

    r->handle = (int)sel__jnum(v, "h", -1);
    r->x = sel__jnum(v, "x", 0);
    r->y = sel__jnum(v, "y", 0);
    if (*sel) {
        free(r->selector);
        r->selector = ut_strdup(sel);
    }
    if (fp) {
        free(r->fingerprint);
        r->fingerprint = cJSON_PrintUnformatted(fp);
    }
    free(r->read_value);
    r->read_value = cJSON_IsString(val) ? ut_strdup(val->valuestring)
                                        : NULL;
    sel__take_probe(r, cJSON_GetObjectItemCaseSensitive(v, "pv"));
}

static sel_code resolve_explicit(struct sel_page *p,
                                 const struct sel_target *t,
                                 const struct sel_opts *o,
                                 struct sel_result *r, const char *what)
{
    cJSON *args, *v = NULL;
    char err[512];
    int rids[1];
    sel_code rc;

    if (sel__frames_list(p, rids, 1)) {
        /* cross-origin frames: each has a page script of its own */
        cJSON *spec = sel_target_spec(t);
        rc = sel__explicit_frames(p, spec, o, r, what);
        cJSON_Delete(spec);
        r->source = SEL_SRC_EXPLICIT;
        if (rc == SEL_OK)
            sel__frame_named(p, r, what);
        if (rc == SEL_OK && !r->selector)
            r->selector = ut_strdup(what);
        return rc;
    }
    args = cJSON_CreateArray();
    cJSON_AddItemToArray(args, sel_target_spec(t));
    cJSON_AddItemToArray(args, sel__locate_opts(o, o->nth, o->timeout_ms));
    rc = sel_eval_call(p, "locate", args, 1, o->timeout_ms, &v, err,
                        sizeof err);
    if (rc != SEL_OK)
        return sel__fail(r, rc, "%s", err);
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "ok")))
        rc = sel__locate_failed(r, v, what, o->timeout_ms);
    else
        sel__take_located(r, v);
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
    cJSON *opts = sel__locate_opts(o, -1, timeout_ms), *v = NULL;
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
        return sel__fail(r, rc, "%s", err);
    if (gone)
        *gone = strcmp(sel__jstr(v, "reason"), "detached") == 0;
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "ok")))
        rc = sel__locate_failed(r, v, what, timeout_ms);
    else
        sel__take_located(r, v);
    cJSON_Delete(v);
    return rc;
}

/* The element chosen left the document before it was ready (a page that
 * its scripts redraw, as an AJAX navigation does): forget the failure
 * and give the page a moment before looking again, within DEADLINE. */
void sel__redrawn(struct sel_page *p, struct sel_result *r,
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

/* ---- an intent: look at the page until something fits -----------------
 * Every look waits out a navigation under way, tries the cache's entry
 * (resolve_cache.c), collects and ranks the candidates (resolve_rank.c;
 * the first look ranks the read-only steps ahead too: resolve_ahead.c),
 * lets a check step's best candidate stand for what it means, decides,
 * asking the LLM when unsure (resolve_decide.c), and makes the choice
 * ready. A look that finds nothing to act on yet polls again within the
 * step's time. */

/* What one resolution keeps from one look to the next. */
struct intent {
    struct sel_page *p;
    const struct sel_target *t;
    const struct sel_opts *o;
    struct sel_result *r;
    int64_t deadline;
    char norm[512];              /* the intent normalised (cache key) */
    struct sel__cached cache;
    int have_opts;               /* PROBES and PLAN made (first look) */
    char probes[1024], guess[1200];
    struct sel__ahead_plan plan; /* what the first collection serves */
    struct sel__menu menu;
    int dialog_open;             /* the last collection saw a modal dialog */
    struct sel__weak weak;
    sel_code rc;                 /* once a step says SEL__DONE */
};

/* One look: a collection and its ranking. */
struct look {
    struct sel_cands cs;
    struct heur_result hr;
    enum heur_decision d;
    int64_t now, left;           /* when it was ranked; time left then */
    int opener;                  /* the element whose menu it looked in */
    struct sel_page *keep;       /* the page keeps CS for the steps ahead
                                    (sel__keep_ahead()), NULL none */
};

static void look_free(struct look *lk)
{
    heur_result_free(&lk->hr);
    if (lk->keep)
        sel__ahead_take(lk->keep, &lk->cs);
    else
        sel_cands_free(&lk->cs);
    lk->keep = NULL;
}

/* The page is going away, or still loading (a navigation a click started
 * and the page told late, a script's timer): what it shows now is not
 * what the step is about, and its scripts may not be ready for input
 * yet. Waits for it, within the step's time. */
static enum sel__next settled(struct intent *in)
{
    if (!sel__navigating(in->p) || ut_now_ms() >= in->deadline)
        return SEL__ON;
    in->rc = sel_settle(in->p, (int)(in->deadline - ut_now_ms()), NULL, 0);
    if (in->rc != SEL_OK && in->rc != SEL_E_TIMEOUT)
        return SEL__DONE;
    in->rc = SEL_OK;
    return SEL__ON;
}

static enum sel__next settle(struct intent *in, struct look *lk)
{
    (void)lk;
    return settled(in);
}

static enum sel__next cached(struct intent *in, struct look *lk)
{
    (void)lk;
    return sel__cached_try(&in->cache, in->p, in->o, in->deadline, in->r,
                           &in->rc);
}

static enum sel__next collect(struct intent *in, struct look *lk)
{
    const struct sel_opts *o = in->o;
    enum sel__next next;

    memset(&lk->cs, 0, sizeof lk->cs);
    lk->keep = NULL;
    if (!in->have_opts) {
        sel__collect_probes(o->hx, in->t->value, in->probes,
                            sizeof in->probes);
        if (o->nahead)
            sel__plan_ahead(o, in->t, in->cache.have_key ? &in->cache.key
                                                         : NULL,
                            in->probes, sizeof in->probes, &in->plan);
        in->have_opts = 1;
    }
    /* again on every look: a guess that takes frames waits within the
     * time left */
    sel__collect_guess(in->t->value, o->want,
                       (int)(in->deadline - ut_now_ms()), in->guess,
                       sizeof in->guess);
    lk->opener = o->want == SEL_WANT_CLICK || o->want == SEL_WANT_HOVER ?
                 sel__opener(in->p) : -1;
    if ((in->rc = sel__collect(in->p, in->probes, in->guess, in->plan.n > 0,
                               lk->opener, &in->menu, &lk->cs, in->r))
            != SEL_OK)
        return SEL__DONE;
    if (sel__navigating(in->p) && ut_now_ms() < in->deadline) {
        /* it started while the page was collected: look again */
        sel_cands_free(&lk->cs);
        next = settled(in);
        return next == SEL__ON ? SEL__AGAIN : next;
    }
    in->dialog_open = lk->cs.dialog;
    return SEL__ON;
}

static enum sel__next rank(struct intent *in, struct look *lk)
{
    const struct sel_opts *o = in->o;
    struct sel_result *r = in->r;
    struct heur_hist hist;
    int64_t t0 = ut_now_us();

    memset(&hist, 0, sizeof hist);
    hist.form = o->recent_form;
    hist.menu = in->menu.id;
    hist.nmenu = lk->opener >= 0 ? in->menu.n : 0;
    if (heur_rank_hist(o->hx, in->t->value, sel__heur_kind(o->want),
                       lk->cs.c, lk->cs.n, &hist, &lk->hr)) {
        sel_cands_free(&lk->cs);
        in->rc = sel__fail(r, SEL_E_NOMEM, "out of memory");
        return SEL__DONE;
    }
    r->us_score += ut_now_us() - t0;
    if (in->plan.n) {
        if (sel__keep_ahead(in->p, &in->plan, &lk->cs))
            lk->keep = in->p;
        in->plan.n = 0;             /* the first collection only */
    }
    r->candidates = (int)lk->cs.n;
    r->confidence = lk->hr.confidence;
    r->margin = lk->hr.margin;
    lk->d = heur_decide(&lk->hr, o->min_confidence, o->min_margin);
    lk->now = ut_now_ms();
    lk->left = in->deadline - lk->now;
    return SEL__ON;
}

/* Makes the element HEXPR chosen in LK ready for the step, and ends the
 * look: the resolution ends, or looks again when the element left the
 * document (chosen from a page its scripts have since redrawn: choose
 * again from the page as it is now). */
static enum sel__next make_ready(struct intent *in, struct look *lk,
                                 const char *hexpr)
{
    int gone = 0, was = sel__frame_in(in->p, in->r->frame);

    in->rc = ready_handle(in->p, hexpr, in->o,
                          (int)(lk->left > 0 ? lk->left : 0), in->r,
                          in->t->value, 1, &gone);
    sel__frame_in(in->p, was);
    if (in->rc == SEL_OK && in->r->frame && in->r->selector) {
        char *sel = ut_strdup(in->r->selector);
        if (sel)
            sel__frame_named(in->p, in->r, sel);
        free(sel);
    }
    look_free(lk);
    if (in->rc != SEL_OK && gone && ut_now_ms() < in->deadline) {
        sel__redrawn(in->p, in->r, in->deadline);
        return SEL__AGAIN;
    }
    return SEL__DONE;
}

/* The heuristics chose in this look: 1 (LK freed) when the cached
 * entry that found nothing is to be tried once more first, the page
 * having drawn its element since (sel__cached_again()). */
static int cache_first(struct intent *in, struct look *lk)
{
    if (ut_now_ms() >= in->deadline || !sel__cached_again(&in->cache))
        return 0;
    look_free(lk);
    return 1;
}

/* What a check step's best candidate stands for (resolve_decide.c). */
static enum sel__next stand_in(struct intent *in, struct look *lk)
{
    char hexpr[96];
    int h = -1, stand = sel__stand_in(in->p, in->t, in->o, &lk->cs, &lk->hr,
                                      lk->d, in->r, &h);

    if (!stand)
        return SEL__ON;
    if (stand > 0 && cache_first(in, lk))
        return SEL__AGAIN;
    sel__keep_top(in->r, &lk->cs, &lk->hr, in->o->explain);
    if (stand < 0) {
        in->rc = in->r->code;
        look_free(lk);
        return SEL__DONE;
    }
    in->r->source = SEL_SRC_HEURISTIC;
    in->r->frame = 0;
    snprintf(hexpr, sizeof hexpr, "%d", h);
    return make_ready(in, lk, hexpr);
}

/* The element chosen, made ready: the page may have checked it with the
 * collection already (the guess). */
static enum sel__next take(struct intent *in, struct look *lk, int chosen)
{
    const struct heur_cand *c = &lk->cs.c[chosen];
    const cJSON *g = lk->cs.guess;
    char hexpr[96];
    int id;

    if (c->form[0]) {
        free(in->r->form);
        in->r->form = ut_strdup(c->form);
    }
    sel__keep_top(in->r, &lk->cs, &lk->hr, in->o->explain);
    if (g && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(g, "ok")) &&
        (int)sel__jnum(g, "i", -1) == c->id) {
        /* the page checked this very element with the collection */
        sel__take_located(in->r, g);
        in->r->frame = 0;
        in->rc = SEL_OK;
        look_free(lk);
        return SEL__DONE;
    }
    /* a frame's record: its own realm's id there */
    in->r->frame = sel__cand_realm(in->p, c->id, &id);
    snprintf(hexpr, sizeof hexpr, "P.keep(P.cands[%d])", id);
    return make_ready(in, lk, hexpr);
}

static enum sel__next choose(struct intent *in, struct look *lk)
{
    int weak, esc, chosen = sel__choose(in->t, in->o, &lk->cs, &lk->hr,
                                        lk->d, lk->now, lk->left, &in->weak,
                                        in->r, &weak, &esc);

    if (chosen >= 0 && in->r->source == SEL_SRC_HEURISTIC &&
        cache_first(in, lk))
        return SEL__AGAIN;
    if (chosen >= 0)
        return take(in, lk, sel__control_of(&lk->cs, chosen));
    look_free(lk);
    if ((lk->d == HEUR_NONE || weak) && !esc) {
        /* nothing to act on yet: look again in a moment */
        cdp_pump(cdp_session_conn(sel_page_session(in->p)),
                 (int)(lk->left < SEL_POLL_MS ? lk->left : SEL_POLL_MS), 0);
        return SEL__AGAIN;
    }
    in->rc = in->r->code;
    if (in->rc == SEL_E_UNCERTAIN || in->rc == SEL_E_LLM)
        sel__paste_targets(in->p, in->r);   /* for the user to settle it */
    return SEL__DONE;
}

/* The steps of a look, in order: each goes on to the next, ends the
 * resolution or starts the next look. */
typedef enum sel__next look_step(struct intent *in, struct look *lk);
static look_step *const look_steps[] = {
    settle, cached, collect, rank, stand_in, choose
};

static sel_code resolve_intent(struct sel_page *p, const struct sel_target *t,
                               const struct sel_opts *o,
                               struct sel_result *r)
{
    struct intent in;
    struct look lk;
    enum sel__next next;
    size_t i;
    int got;

    memset(&in, 0, sizeof in);
    in.p = p;
    in.t = t;
    in.o = o;
    in.r = r;
    in.deadline = ut_now_ms() + o->timeout_ms;
    in.weak.id = -1;
    in.rc = SEL_OK;
    heur_normalize(o->hx, t->value, in.norm, sizeof in.norm);
    sel__cached_find(&in.cache, p, o, in.norm,
                     o->want == SEL_WANT_CLICK || o->want == SEL_WANT_HOVER ?
                     sel__opener(p) : -1, r);
    if (!in.cache.have_entry && (got = sel__try_ahead(p, t, o, r)) != 0) {
        cache_entry_clear(&in.cache.ce);
        if (got > 0)
            sel__fit_fingerprint(r, t->value, in.norm, 0);
        return got > 0 ? SEL_OK : r->code;
    }
    do {
        next = SEL__ON;
        for (i = 0; next == SEL__ON &&
                    i < sizeof look_steps / sizeof look_steps[0]; i++)
            next = look_steps[i](&in, &lk);
    } while (next == SEL__AGAIN);
    sel__cached_end(&in.cache, o, t->value, in.norm,
                    (in.dialog_open ? SEL__IN_DIALOG : 0) |
                    (in.menu.opened ? SEL__OPENED : 0), in.rc, r);
    return in.rc;
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
        rc = sel__fail(r, SEL_E_NOMEM, "no heuristics context");
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
