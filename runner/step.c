/* step.c -- one attempt of one step: its value expanded, its target
 * resolved (selectors/ ranks, waits and acts), then what its kind says,
 * dispatched by the table at the end. The page is driven only through
 * sel_* calls; this file decides what to ask for and what it means. */
#include "live_int.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

#define SHOT_MS 60000   /* a screenshot step, once the page answers */

/* One attempt of one step, as the kind functions see it. */
struct step_call {
    struct run_live *e;
    const struct run_step *st;
    struct run_step_report *sr;
    const char *value;        /* the expanded value, NULL when none */
    int timeout;              /* the step's bound, ms */
    char *err;                /* the failure's line, "" until one */
    size_t errlen;
};

sel_code run_step_fail(struct run_step_report *sr, sel_code c,
                       const char *msg)
{
    free(sr->error);
    sr->error = ut_strdup(msg);
    sr->code = c;
    return c;
}

static enum sel_want want_of(const struct run_step *st)
{
    switch (st->kind) {
    case RUN_CLICK: case RUN_DOWNLOAD: return SEL_WANT_CLICK;
    case RUN_FILL: return SEL_WANT_FILL;
    case RUN_SELECT: return SEL_WANT_SELECT;
    case RUN_CHECK: case RUN_UNCHECK: return SEL_WANT_CHECK;
    case RUN_HOVER: return SEL_WANT_HOVER;
    case RUN_EXTRACT: return SEL_WANT_READ;
    case RUN_WAIT_FOR: case RUN_ASSERT: case RUN_SCROLL:
        return st->cond == RUN_COND_VALUE ? SEL_WANT_READ : SEL_WANT_VISIBLE;
    default: return SEL_WANT_ATTACHED;   /* upload: its input is often
                                            hidden (selectors/files.c) */
    }
}

/* ---- resolving a step's target ------------------------------------------ */

/* How step ST stands to the page: AHEAD_CHANGES when it may change it
 * (actions, navigation, eval), AHEAD_LOOKS when it only looks (wait_for,
 * assert, extract, screenshot), and AHEAD_RESOLVES when it also resolves
 * its target to read it or see it (with want_of()). */
enum { AHEAD_CHANGES, AHEAD_LOOKS, AHEAD_RESOLVES };
static int ahead_kind(const struct run_step *st)
{
    switch (st->kind) {
    case RUN_EXTRACT:
        return st->target ? AHEAD_RESOLVES : AHEAD_LOOKS;
    case RUN_WAIT_FOR: case RUN_ASSERT:
        return st->target && (st->cond == RUN_COND_TARGET ||
                              st->cond == RUN_COND_VISIBLE ||
                              st->cond == RUN_COND_VALUE) ?
               AHEAD_RESOLVES : AHEAD_LOOKS;
    case RUN_SCREENSHOT:
        return AHEAD_LOOKS;
    default:
        return AHEAD_CHANGES;
    }
}

/* The plain-words targets of the steps after ST, up to the first that
 * may change the page, when ST itself only looks: its collection ranks
 * them too (docs/CANDIDATES.md "Ahead"). Targets are expanded with the
 * variables as they are now (one that names a variable not set yet, or
 * a secret, is left out; one set in between makes a later text that the
 * ranking does not match, and that step resolves as usual). Returns how
 * many of A, whose intents (in TEXT) the caller frees. */
static size_t plan_ahead(struct run_live *e, const struct run_step *st,
                         struct sel_ahead *a, char **text)
{
    size_t n = 0, i;

    if (ahead_kind(st) != AHEAD_RESOLVES)
        return 0;
    for (i = (size_t)st->index + 1; i < e->t->nsteps && n < SEL_AHEAD_MAX;
         i++) {
        const struct run_step *q = &e->t->steps[i];
        struct sel_target t = {0};
        int k = ahead_kind(q), secret = 0;
        char *x = NULL;

        if (k == AHEAD_CHANGES)
            break;
        if (k != AHEAD_RESOLVES || q->nth >= 0)
            continue;
        /* a target holding a secret is left to its own step, which
         * registers the secret for redaction first */
        if (run_expand(&e->vars, q->target, &x, &secret, NULL, 0) ||
            secret || sel_target_parse(x, &t, NULL, 0) ||
            t.strategy != SEL_INTENT) {
            sel_target_clear(&t);
            free(x);
            continue;
        }
        sel_target_clear(&t);
        text[n] = x;
        a[n].intent = x;
        a[n].want = want_of(q);
        a[n].step_kind = run_kind_name(q->kind);
        n++;
    }
    return n;
}

/* 1 when the page's URL holds a secret. */
static int url_secret(struct run_live *e)
{
    const char *u;

    if (!run_secret_any())
        return 0;
    u = sel_page_url(e->page);
    return run_secret_in(u, strlen(u));
}

/* Resolves the step's target into SR->res. */
static sel_code resolve(struct run_live *e, const struct run_step *st,
                        struct run_step_report *sr, enum sel_want want,
                        int timeout_ms)
{
    struct sel_target t;
    struct sel_opts so = e->conf.sel;
    struct sel_ahead ah[SEL_AHEAD_MAX];
    char err[512], *ahx[SEL_AHEAD_MAX], *attr = NULL;
    size_t nah = 0, i;
    sel_code rc;

    if (sel_target_parse(sr->target, &t, err, sizeof err))
        return run_step_fail(sr, SEL_E_ACTION, err);
    if (t.strategy == SEL_INTENT && st->nth < 0)
        nah = plan_ahead(e, st, ah, ahx);
    so.want = want;
    so.step_kind = run_kind_name(st->kind);
    so.nth = st->nth;
    so.timeout_ms = timeout_ms;
    /* a secret goes neither into the cache file nor to the LLM provider:
     * not in the words, not in the page's URL (the cache keeps its path) */
    if (sr->target_secret || url_secret(e)) {
        so.cache = NULL;
        so.llm = NULL;
    }
    so.ahead = ah;
    so.nahead = nah;
    so.recent_form = e->recent_form;
    /* an extract, or an assert of a value, reads as its target is
     * found: one page call for both (do_extract() and sel_wait_value()
     * read again only when this did not, or the value is not there yet) */
    so.read = (st->kind == RUN_EXTRACT && (!st->attr ||
               !run_expand(&e->vars, st->attr, &attr, NULL, NULL, 0))) ||
              (st->kind != RUN_EXTRACT && st->cond == RUN_COND_VALUE);
    run_expect_probe(st, &so.probe_what, &so.probe_name);
    so.read_attr = attr;
    sel_result_clear(&sr->res);
    rc = sel_resolve(e->page, &t, &so, &sr->res);
    free(attr);
    for (i = 0; i < nah; i++)
        free(ahx[i]);
    sr->has_res = 1;
    if (rc)
        run_step_fail(sr, rc, sr->res.error ? sr->res.error
                                            : sel_strerror(rc));
    sel_target_clear(&t);
    return rc;
}

sel_code run_step_resolve(struct run_live *e, const struct run_step *st,
                          struct run_step_report *sr, enum sel_want want,
                          int timeout_ms)
{
    return resolve(e, st, sr, want, timeout_ms);
}

/* After the step passed: its resolution goes to the cache. */
static void commit(struct run_live *e, const struct run_step *st,
                   struct run_step_report *sr)
{
    struct sel_target t;
    struct sel_opts so;

    if (!sr->has_res || sr->target_secret || url_secret(e) ||
        sel_target_parse(sr->target, &t, NULL, 0))
        return;
    memset(&so, 0, sizeof so);
    so.step_kind = run_kind_name(st->kind);
    so.cache = e->cache;
    sel_commit(e->page, &t, &so, &sr->res);
    sel_target_clear(&t);
}

/* ---- one function per kind ---------------------------------------------- */

/* U resolved against the base URL (--base-url, else the task's
 * base_url) as RFC 3986 says, like a link in a page; U as given when
 * there is no base. NULL with the reason in ERR when it cannot be. */
static char *full_url(const struct run_live *e, const char *u, char *err,
                      size_t errlen)
{
    const char *base = e->o->base_url ? e->o->base_url : e->t->base_url;
    char *out;

    if (!base)
        return ut_strdup(u);
    if (ut_url_resolve(base, u, &out, err, errlen))
        return NULL;
    return out;
}

static sel_code do_goto(struct step_call *c)
{
    char *u = full_url(c->e, c->value, c->err, c->errlen);
    int nav = c->st->timeout_ms >= 0 ? c->st->timeout_ms : c->e->conf.nav_ms;
    sel_code rc = u ? sel_goto(c->e->page, u, nav, c->err, c->errlen)
                    : SEL_E_NAV;

    free(u);
    return rc;
}

static sel_code do_click(struct step_call *c)
{
    struct run_live *e = c->e;
    sel_code rc = sel_click(e->page, &c->sr->res, c->timeout, c->err,
                             c->errlen);

    if (!rc)
        rc = sel_settle(e->page, e->conf.nav_ms, c->err, c->errlen);
    /* a click may open a tab: follow it, as a person would */
    if (!rc && sel_page_follow_popup(&e->page, &e->conf.page,
                                     e->conf.nav_ms)) {
        free(c->sr->value);
        c->sr->value = ut_strdup("switched to the new tab");
    }
    return rc;
}

static sel_code do_hover(struct step_call *c)
{
    return sel_hover(c->e->page, &c->sr->res, c->err, c->errlen);
}

static sel_code do_fill(struct step_call *c)
{
    return sel_fill(c->e->page, &c->sr->res, c->value ? c->value : "",
                    c->err, c->errlen);
}

static sel_code do_select(struct step_call *c)
{
    return sel_select(c->e->page, &c->sr->res, c->value ? c->value : "",
                      c->timeout, c->err, c->errlen);
}

static sel_code do_check(struct step_call *c)
{
    return sel_check(c->e->page, &c->sr->res, c->st->kind == RUN_CHECK,
                     c->timeout, c->err, c->errlen);
}

static sel_code do_press(struct step_call *c)
{
    sel_code rc = sel_press(c->e->page, c->value, c->err, c->errlen);

    if (!rc)
        rc = sel_settle(c->e->page, c->e->conf.nav_ms, c->err, c->errlen);
    return rc;
}

static sel_code do_scroll(struct step_call *c)
{
    return sel_scroll(c->e->page, c->st->target ? &c->sr->res : NULL,
                      c->value, c->st->scroll_x, c->st->scroll_y, c->timeout,
                      c->err, c->errlen);
}

static sel_code do_extract(struct step_call *c)
{
    char *attr = NULL, *out = NULL;
    sel_code rc;

    if (c->st->attr && run_expand(&c->e->vars, c->st->attr, &attr, NULL,
                                  c->err, c->errlen))
        return SEL_E_ACTION;
    if (c->sr->res.read_value) {    /* read as it was found */
        out = c->sr->res.read_value;
        c->sr->res.read_value = NULL;
        rc = SEL_OK;
    } else {
        rc = sel_read(c->e->page, &c->sr->res, attr, &out, c->err,
                      c->errlen);
    }
    free(attr);
    if (!rc && run_live_set_var(c->e, c->st->as, out))
        rc = ut_err(c->err, c->errlen, SEL_E_NOMEM, "out of memory");
    if (!rc) {
        free(c->sr->value);
        c->sr->value = out;
        out = NULL;
    }
    free(out);
    return rc;
}

static char *value_string(const cJSON *v)
{
    if (!v || cJSON_IsNull(v))
        return ut_strdup("");
    if (cJSON_IsString(v))
        return ut_strdup(v->valuestring);
    return cJSON_PrintUnformatted(v);
}

static sel_code do_eval(struct step_call *c)
{
    cJSON *v = NULL;
    sel_code rc = sel_eval(c->e->page, c->value, 1, c->timeout, &v, c->err,
                           c->errlen);

    if (!rc) {
        free(c->sr->value);
        c->sr->value = value_string(v);
        if (c->st->as && run_live_set_var(c->e, c->st->as, c->sr->value))
            rc = SEL_E_NOMEM;
    }
    cJSON_Delete(v);
    return rc;
}

/* A path written in a task file stays inside the output folder (the
 * current directory): relative, no ".." component. Inline words are the
 * user's own command line and may name any path. */
static int path_allowed(const struct run_live *e, const char *path)
{
    return strcmp(e->t->file, "(inline)") == 0 ||
           run__path_inside(path);
}

static sel_code do_state(struct step_call *c)
{
    return run_state_step(c->e, c->st, c->sr, c->value, c->err, c->errlen);
}

static sel_code do_tab(struct step_call *c)
{
    return run_tab_step(c->e, c->st, c->sr, c->value, c->timeout, c->err,
                        c->errlen);
}

static sel_code do_screenshot(struct step_call *c)
{
    struct run_step_report *sr = c->sr;
    char *out;
    sel_code rc;

    if (!path_allowed(c->e, c->value))
        return ut_err(c->err, c->errlen, SEL_E_ACTION, "screenshot path "
                      "\"%s\" leaves the output folder: a task file may "
                      "only name a relative path without \"..\" (give an "
                      "absolute path on the command line instead)",
                      c->value);
    /* a file name is output too: a secret in it is written "***";
     * a page that does not answer within the step's timeout fails
     * then; one that does gets the minute a long page may take */
    out = run_redact(c->value);
    rc = out ? sel_page_probe(c->e->page, c->timeout, c->err, c->errlen)
             : run_step_fail(sr, SEL_E_ACTION, "out of memory");
    if (!rc)
        rc = sel_screenshot(c->e->page, out, c->st->full_page, SHOT_MS,
                            c->err, c->errlen);
    if (!rc) {
        free(sr->screenshot);
        sr->screenshot = out;
        out = NULL;
    }
    free(out);
    return rc;
}

static sel_code do_upload(struct step_call *c)
{
    return run_files_upload(c->e, c->st, c->sr, c->timeout, c->err,
                            c->errlen);
}

static sel_code do_download(struct step_call *c)
{
    return run_files_download(c->e, c->st, c->sr, c->timeout, c->err,
                              c->errlen);
}

/* wait_for and assert: what the step expects, waited for. */
static sel_code do_expect(struct step_call *c)
{
    struct run_live *e = c->e;
    const char *target = c->sr->target, *v = c->value;
    int64_t deadline = ut_now_ms() + c->timeout;
    sel_code rc;

    if (run_expect_mine(c->st))
        return run_expect(e, c->st, c->sr, v, c->timeout, c->err, c->errlen);
    switch (c->st->cond) {
    case RUN_COND_TARGET: case RUN_COND_VISIBLE:
        return resolve(e, c->st, c->sr, SEL_WANT_VISIBLE, c->timeout);
    case RUN_COND_TEXT:
        return sel_wait_text(e->page, v, c->timeout, c->err, c->errlen);
    case RUN_COND_URL:
        return sel_wait_url(e->page, v, c->timeout, c->err, c->errlen);
    case RUN_COND_JS:
        return sel_wait_js(e->page, v, c->timeout, c->err, c->errlen);
    case RUN_COND_HIDDEN:
        return sel_wait_hidden(e->page, target, c->timeout, c->err,
                               c->errlen);
    case RUN_COND_COUNT:
        return sel_wait_count(e->page, target, c->st->count, c->timeout,
                              c->err, c->errlen);
    case RUN_COND_DOWNLOAD:
        return run_files_expect(e, c->st, c->err, c->errlen);
    case RUN_COND_VALUE:
        /* one bound for finding the element and for its value */
        rc = resolve(e, c->st, c->sr, SEL_WANT_READ, c->timeout);
        if (!rc)
            rc = sel_wait_value(e->page, &c->sr->res, v,
                                (int)(deadline - ut_now_ms()), c->err,
                                c->errlen);
        return rc;
    default:
        return SEL_OK;
    }
}

/* What each kind does; whether its target (when it has one) is resolved
 * before, or by the kind itself (wait_for, assert); whether it may
 * change the application's state, so that "idempotent": false keeps it
 * from a blind retry. */
static const struct {
    sel_code (*fn)(struct step_call *c);
    int resolves;
    int acts;
} kinds[RUN_KIND_COUNT] = {
    [RUN_GOTO]       = { do_goto,       1, 1 },
    [RUN_CLICK]      = { do_click,      1, 1 },
    [RUN_FILL]       = { do_fill,       1, 1 },
    [RUN_PRESS]      = { do_press,      1, 1 },
    [RUN_SELECT]     = { do_select,     1, 1 },
    [RUN_CHECK]      = { do_check,      1, 1 },
    [RUN_UNCHECK]    = { do_check,      1, 1 },
    [RUN_HOVER]      = { do_hover,      1, 1 },
    [RUN_SCROLL]     = { do_scroll,     1, 1 },
    [RUN_WAIT_FOR]   = { do_expect,     0, 0 },
    [RUN_ASSERT]     = { do_expect,     0, 0 },
    [RUN_EXTRACT]    = { do_extract,    1, 0 },
    [RUN_EVAL]       = { do_eval,       1, 1 },
    [RUN_SCREENSHOT] = { do_screenshot, 1, 0 },
    [RUN_UPLOAD]     = { do_upload,     1, 1 },
    [RUN_DOWNLOAD]   = { do_download,   1, 1 },
    [RUN_SAVE_STATE] = { do_state,      1, 0 },
    [RUN_LOAD_STATE] = { do_state,      1, 1 },
    [RUN_SWITCH_TAB] = { do_tab,        1, 0 },
    [RUN_CLOSE_TAB]  = { do_tab,        1, 1 },
};

sel_code run_step_once(struct run_live *e, const struct run_step *st,
                       struct run_step_report *sr)
{
    char err[1024] = "", *value = NULL;
    struct step_call c = { e, st, sr, NULL, 0, err, sizeof err };
    int secret = 0;
    sel_code rc = SEL_OK;

    if (st->value && run_expand(&e->vars, st->value, &value, &secret, err,
                                sizeof err))
        return run_step_fail(sr, SEL_E_ACTION, err);
    /* a secret fill value that cannot be kept out of the output is
     * not typed (the ${…} pieces of any value were registered already) */
    if (st->secret && run_secret_add(value)) {
        free(value);
        return run_step_fail(sr, SEL_E_ACTION, "too many secret values to "
                             "keep out of the output");
    }
    c.value = value;
    c.timeout = st->timeout_ms >= 0 ? st->timeout_ms : e->conf.step_ms;
    if (st->target && kinds[st->kind].resolves)
        rc = resolve(e, st, sr, want_of(st), c.timeout);
    if (rc == SEL_OK) {
        /* from here on the step may have changed the application's state */
        sr->acted = kinds[st->kind].acts;
        rc = kinds[st->kind].fn(&c);
    }
    if (rc == SEL_OK && st->target)
        commit(e, st, sr);
    else if (rc && !(sr->error && sr->code == rc))
        run_step_fail(sr, rc, *err ? err : sel_strerror(rc));
    sr->code = rc;
    free(value);
    return rc;
}
