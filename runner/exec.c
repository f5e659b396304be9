/* exec.c -- running one task: browser up, steps in order with retries,
 * checkpoints after each completed step, browser down on every path. */
#include "exec_int.h"
#include "../cdp/cdp.h"
#include "../cache/cache.h"
#include "../heuristics/heur.h"
#include "../llm/llm.h"
#include "../util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

volatile sig_atomic_t run_interrupted;

#define SHOT_MS 60000   /* a screenshot step, once the page answers */

/* A task's live state. */
struct env {
    const struct run_opts *o;
    const struct run_task *t;
    struct run_task_report *rep;
    struct run_profile prof;
    struct cdp_browser *browser;
    struct cdp_conn *conn;
    struct sel_page *page;
    char *context;            /* browser context id when connected */
    struct cache *cache;
    struct heur_ctx *hx;
    struct llm *llm;
    struct run_vars vars;     /* task vars, --var, extracted values */
    struct run_vars saved;    /* extracted values only: checkpointed */
    FILE *trace;
    int64_t trace_t0;         /* µs clock when the trace was opened */
    char trace_dir[4096];
    uint64_t rng;             /* retry jitter */
    char *recent_form;        /* the form filled since the last click,
                                 goto or key press (note_form()) */
};

static void on_trace(void *ud, int out, const char *msg, size_t len)
{
    struct env *e = ud;
    /* redact a little past the cut, so that a secret across it is not
     * half written */
    size_t cap = len > 4096 ? 4096 : len, n = len > 5120 ? 5120 : len;
    char *r;

    if (!e->trace)
        return;
    r = run_redact_n(msg, n);
    if (!r)
        return;
    /* ms since the trace began: a trace is also a profile */
    fprintf(e->trace, "%s %.3f %.*s%s\n", out ? ">" : "<",
            (double)(ut_now_us() - e->trace_t0) / 1000.0, (int)cap, r,
            cap < len ? " …(truncated)" : "");
    free(r);
}

/* ---- browser up and down --------------------------------------------- */

static int env_browser(struct env *e, char *err, size_t errlen)
{
    struct run_task_report *r = e->rep;
    const struct cdp_version *v;
    struct cdp_session *s = NULL;
    struct sel_page_opts po;
    int launch_ms = e->prof.launch_timeout_ms > 0 ? e->prof.launch_timeout_ms
                                                  : 20000;

    if (e->o->connect) {
        if (cdp_connect(e->o->connect, launch_ms, &e->conn, err, errlen))
            return RUN_EXIT_BROWSER;
        r->connect = e->o->connect;
        /* Each task in its own browser context on a shared browser (the
         * default context when it refuses). */
        (void)cdp_context_new(e->conn, 10000, &e->context);
    } else {
        struct cdp_found f;
        struct cdp_launch_opts lo;
        const char *cli = e->o->chrome;
        if (cdp_find_browser(cli, e->prof.chrome, &f, err, errlen))
            return RUN_EXIT_BROWSER;
        ut_strlcpy(r->browser_path, f.path, sizeof r->browser_path);
        ut_strlcpy(r->browser_why, f.why, sizeof r->browser_why);
        memset(&lo, 0, sizeof lo);
        lo.path = f.path;
        lo.headless = e->prof.headless && !e->o->headful;
        lo.width = e->prof.width;
        lo.height = e->prof.height;
        lo.user_data_dir = e->prof.user_data_dir;
        lo.args = (const char *const *)e->prof.args;
        lo.nargs = e->prof.nargs;
        lo.timeout_ms = launch_ms;
        if (cdp_launch(&lo, &e->browser, err, errlen))
            return RUN_EXIT_BROWSER;
        r->no_sandbox = cdp_browser_no_sandbox(e->browser);
        if (cdp_connect(cdp_browser_ws_url(e->browser), launch_ms, &e->conn,
                        err, errlen))
            return RUN_EXIT_BROWSER;
        /* Best effort: a browser that refuses keeps its default. Browsers
         * reached with --connect are not ours to configure. */
        (void)cdp_keep_downloads(e->browser, e->conn, 10000);
    }
    if (e->trace)
        cdp_set_trace(e->conn, on_trace, e);
    v = cdp_conn_version(e->conn);
    ut_strlcpy(r->product, v->product, sizeof r->product);
    ut_strlcpy(r->protocol, v->protocol, sizeof r->protocol);
    ut_strlcpy(r->user_agent, v->user_agent, sizeof r->user_agent);
    if (cdp_new_page(e->conn, e->context, &s) != CDP_OK)
        return ut_err(err, errlen, RUN_EXIT_BROWSER, "opening a page: %s",
                      cdp_errmsg(e->conn));
    memset(&po, 0, sizeof po);
    po.dialog = e->prof.dialog;
    po.width = e->prof.width;
    po.height = e->prof.height;
    po.scale = e->prof.scale;
    po.mobile = e->prof.mobile;
    po.touch = e->prof.touch;
    po.user_agent = e->prof.user_agent;
    if (sel_page_open(s, &po, &e->page, err, errlen))
        return RUN_EXIT_BROWSER;
    return RUN_EXIT_OK;
}

static void env_close(struct env *e)
{
    sel_page_close(e->page);
    e->page = NULL;
    if (e->context && e->conn && cdp_conn_alive(e->conn))
        (void)cdp_context_dispose(e->conn, e->context, 5000);
    free(e->context);
    if (e->browser) {
        cdp_browser_close(e->browser, e->conn, 3000);
        e->browser = NULL;
    }
    cdp_conn_close(e->conn);
    e->conn = NULL;
    cache_close(e->cache);
    heur_ctx_free(e->hx);
    llm_free(e->llm);
    free(e->recent_form);
    e->recent_form = NULL;
    run_vars_free(&e->vars);
    run_vars_free(&e->saved);
    run_profile_free(&e->prof);
    if (e->trace)
        fclose(e->trace);
}

/* After a browser crash: a new browser, a new page, the same everything
 * else (cache, LLM budget, variables). */
static int env_restart(struct env *e, char *err, size_t errlen)
{
    sel_page_close(e->page);
    e->page = NULL;
    free(e->context);
    e->context = NULL;
    if (e->browser) {   /* alive after a page crash: asked to close */
        cdp_browser_close(e->browser, cdp_conn_alive(e->conn) ? e->conn
                                                              : NULL, 1000);
        e->browser = NULL;
    }
    cdp_conn_close(e->conn);
    e->conn = NULL;
    return env_browser(e, err, errlen);
}

/* The socket closes before a killed browser can be reaped, so a dead
 * connection counts as a crash too; so does the death of the page's
 * renderer (killed, crashed, out of memory), which leaves the browser
 * up but the page gone. */
static int browser_gone(struct env *e)
{
    return !cdp_conn_alive(e->conn) ||
           (e->browser && !cdp_browser_alive(e->browser)) ||
           sel_page_state(e->page) == SEL_PAGE_CRASHED;
}

/* ---- helpers for steps ---------------------------------------------- */
static int step_timeout(const struct env *e, const struct run_step *st)
{
    if (st->timeout_ms >= 0)
        return st->timeout_ms;
    if (e->o->timeout_ms >= 0)
        return e->o->timeout_ms;
    return e->prof.timeout_ms > 0 ? e->prof.timeout_ms : 5000;
}

/* A navigation's bound (a goto without its own timeout_ms, the load a
 * click or a key press starts): the profile's timeouts.navigation_ms when
 * it sets one, else --timeout, else 30 s. */
static int nav_timeout(const struct env *e)
{
    if (e->prof.nav_timeout_ms > 0)
        return e->prof.nav_timeout_ms;
    return e->o->timeout_ms >= 0 ? e->o->timeout_ms : RUN_NAV_TIMEOUT_MS;
}

/* U resolved against the base URL (--base-url, else the task's
 * base_url) as RFC 3986 says, like a link in a page; U as given when
 * there is no base. NULL with the reason in ERR when it cannot be. */
static char *full_url(const struct env *e, const char *u, char *err,
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

static sel_code set_err(struct run_step_report *sr, sel_code c,
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
    case RUN_CLICK: return SEL_WANT_CLICK;
    case RUN_FILL: return SEL_WANT_FILL;
    case RUN_SELECT: return SEL_WANT_SELECT;
    case RUN_CHECK: case RUN_UNCHECK: return SEL_WANT_CHECK;
    case RUN_HOVER: return SEL_WANT_HOVER;
    case RUN_EXTRACT: return SEL_WANT_READ;
    case RUN_WAIT_FOR: case RUN_ASSERT: case RUN_SCROLL:
        return st->cond == RUN_COND_VALUE ? SEL_WANT_READ : SEL_WANT_VISIBLE;
    default: return SEL_WANT_ATTACHED;
    }
}

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
static size_t plan_ahead(struct env *e, const struct run_step *st,
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
static int url_secret(struct env *e)
{
    const char *u;

    if (!run_secret_any())
        return 0;
    u = sel_page_url(e->page);
    return run_secret_in(u, strlen(u));
}

/* Resolves the step's target into SR->res. */
static sel_code resolve(struct env *e, const struct run_step *st,
                        struct run_step_report *sr, enum sel_want want,
                        int timeout_ms)
{
    struct sel_target t;
    struct sel_opts so;
    struct sel_ahead ah[SEL_AHEAD_MAX];
    char err[512], *ahx[SEL_AHEAD_MAX];
    size_t nah = 0, i;
    sel_code rc;

    if (sel_target_parse(sr->target, &t, err, sizeof err))
        return set_err(sr, SEL_E_ACTION, err);
    if (t.strategy == SEL_INTENT && st->nth < 0)
        nah = plan_ahead(e, st, ah, ahx);
    memset(&so, 0, sizeof so);
    so.want = want;
    so.step_kind = run_kind_name(st->kind);
    so.nth = st->nth;
    so.timeout_ms = timeout_ms;
    so.min_confidence = e->prof.min_confidence;
    so.min_margin = e->prof.min_margin;
    so.llm_min_confidence = e->prof.llm_min_confidence;
    so.cache = e->cache;
    so.hx = e->hx;
    so.llm = e->llm;
    /* a secret goes neither into the cache file nor to the LLM provider:
     * not in the words, not in the page's URL (the cache keeps its path) */
    if (sr->target_secret || url_secret(e)) {
        so.cache = NULL;
        so.llm = NULL;
    }
    so.explain = e->o->verbose;
    so.ahead = ah;
    so.nahead = nah;
    so.recent_form = e->recent_form;
    sel_result_clear(&sr->res);
    rc = sel_resolve(e->page, &t, &so, &sr->res);
    for (i = 0; i < nah; i++)
        free(ahx[i]);
    sr->has_res = 1;
    if (rc)
        set_err(sr, rc, sr->res.error ? sr->res.error : sel_strerror(rc));
    sel_target_clear(&t);
    return rc;
}

static void commit(struct env *e, const struct run_step *st,
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

/* A click may open a tab: follow it, as a person would. */
static void follow_popup(struct env *e, struct run_step_report *sr)
{
    struct sel_page_opts po;

    memset(&po, 0, sizeof po);
    po.dialog = e->prof.dialog;
    po.width = e->prof.width;
    po.height = e->prof.height;
    po.scale = e->prof.scale;
    if (sel_page_follow_popup(&e->page, &po, nav_timeout(e))) {
        free(sr->value);
        sr->value = ut_strdup("switched to the new tab");
    }
}

static char *value_string(const cJSON *v)
{
    if (!v || cJSON_IsNull(v))
        return ut_strdup("");
    if (cJSON_IsString(v))
        return ut_strdup(v->valuestring);
    return cJSON_PrintUnformatted(v);
}

/* A path written in a task file stays inside the output folder (the
 * current directory): relative, no ".." component. Inline words are the
 * user's own command line and may name any path. */
static int path_allowed(const struct env *e, const char *path)
{
    const char *p = path;

    if (strcmp(e->t->file, "(inline)") == 0)
        return 1;
    if (!*path || path[0] == '/')
        return 0;
    while (p) {
        if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0'))
            return 0;
        p = strchr(p, '/');
        if (p)
            p++;
    }
    return 1;
}

static int set_var(struct env *e, const char *name, const char *value)
{
    return run_vars_set(&e->vars, name, value, 0) ||
           run_vars_set(&e->saved, name, value, 0);
}

/* Runs one attempt of step ST. */
static sel_code exec_once(struct env *e, const struct run_step *st,
                          struct run_step_report *sr)
{
    char err[1024] = "", *value = NULL, *out = NULL;
    int timeout = step_timeout(e, st), secret = 0;
    sel_code rc = SEL_OK;

    if (st->value && run_expand(&e->vars, st->value, &value, &secret, err,
                                sizeof err))
        return set_err(sr, SEL_E_ACTION, err);
    /* a secret fill value that cannot be kept out of the output is
     * not typed (the ${…} pieces of any value were registered already) */
    if (st->secret && run_secret_add(value)) {
        free(value);
        return set_err(sr, SEL_E_ACTION, "too many secret values to keep "
                       "out of the output");
    }

    if (st->target && st->kind != RUN_ASSERT && st->kind != RUN_WAIT_FOR) {
        rc = resolve(e, st, sr, want_of(st), timeout);
        if (rc)
            goto done;
    }
    /* from here on the step may have changed the application's state */
    sr->acted = st->kind != RUN_ASSERT && st->kind != RUN_WAIT_FOR &&
                st->kind != RUN_EXTRACT && st->kind != RUN_SCREENSHOT;
    switch (st->kind) {
    case RUN_GOTO: {
        char *u = full_url(e, value, err, sizeof err);
        int nav = st->timeout_ms >= 0 ? st->timeout_ms : nav_timeout(e);
        rc = u ? sel_goto(e->page, u, nav, err, sizeof err) : SEL_E_NAV;
        free(u);
        break;
    }
    case RUN_CLICK:
        rc = sel_click(e->page, &sr->res, err, sizeof err);
        if (!rc)
            rc = sel_settle(e->page, nav_timeout(e), err, sizeof err);
        if (!rc)
            follow_popup(e, sr);
        break;
    case RUN_HOVER:
        rc = sel_hover(e->page, &sr->res, err, sizeof err);
        break;
    case RUN_FILL:
        rc = sel_fill(e->page, &sr->res, value ? value : "", err, sizeof err);
        break;
    case RUN_SELECT:
        rc = sel_select(e->page, &sr->res, value ? value : "", err,
                        sizeof err);
        break;
    case RUN_CHECK: case RUN_UNCHECK:
        rc = sel_check(e->page, &sr->res, st->kind == RUN_CHECK, timeout, err,
                       sizeof err);
        break;
    case RUN_PRESS:
        rc = sel_press(e->page, value, err, sizeof err);
        if (!rc)
            rc = sel_settle(e->page, nav_timeout(e), err, sizeof err);
        break;
    case RUN_SCROLL:
        rc = sel_scroll(e->page, st->target ? &sr->res : NULL, value,
                        st->scroll_x, st->scroll_y, timeout, err, sizeof err);
        break;
    case RUN_EXTRACT: {
        char *attr = NULL;
        if (st->attr && run_expand(&e->vars, st->attr, &attr, NULL, err,
                                   sizeof err)) {
            rc = SEL_E_ACTION;
            break;
        }
        rc = sel_read(e->page, &sr->res, attr, &out, err, sizeof err);
        free(attr);
        if (!rc && set_var(e, st->as, out))
            rc = ut_err(err, sizeof err, SEL_E_NOMEM, "out of memory");
        if (!rc) {
            free(sr->value);
            sr->value = out;
            out = NULL;
        }
        break;
    }
    case RUN_EVAL: {
        cJSON *v = NULL;
        rc = sel_eval(e->page, value, 1, timeout, &v, err, sizeof err);
        if (!rc) {
            free(sr->value);
            sr->value = value_string(v);
            if (st->as && set_var(e, st->as, sr->value))
                rc = SEL_E_NOMEM;
        }
        cJSON_Delete(v);
        break;
    }
    case RUN_SCREENSHOT: {
        if (!path_allowed(e, value)) {
            rc = ut_err(err, sizeof err, SEL_E_ACTION, "screenshot path "
                        "\"%s\" leaves the output folder: a task file may "
                        "only name a relative path without \"..\" (give an "
                        "absolute path on the command line instead)", value);
            break;
        }
        /* a file name is output too: a secret in it is written "***";
         * a page that does not answer within the step's timeout fails
         * then; one that does gets the minute a long page may take */
        out = run_redact(value);
        rc = out ? sel_page_probe(e->page, timeout, err, sizeof err)
                 : set_err(sr, SEL_E_ACTION, "out of memory");
        if (!rc)
            rc = sel_screenshot(e->page, out, st->full_page, SHOT_MS, err,
                                sizeof err);
        if (!rc) {
            free(sr->screenshot);
            sr->screenshot = out;
            out = NULL;
        }
        break;
    }
    case RUN_WAIT_FOR: case RUN_ASSERT:
        switch (st->cond) {
        case RUN_COND_TARGET: case RUN_COND_VISIBLE:
            rc = resolve(e, st, sr, SEL_WANT_VISIBLE, timeout);
            goto done;
        case RUN_COND_TEXT:
            rc = sel_wait_text(e->page, value, timeout, err, sizeof err);
            break;
        case RUN_COND_URL:
            rc = sel_wait_url(e->page, value, timeout, err, sizeof err);
            break;
        case RUN_COND_JS:
            rc = sel_wait_js(e->page, value, timeout, err, sizeof err);
            break;
        case RUN_COND_HIDDEN:
            rc = sel_wait_hidden(e->page, sr->target, timeout, err,
                                 sizeof err);
            break;
        case RUN_COND_COUNT:
            rc = sel_wait_count(e->page, sr->target, st->count, timeout, err,
                                sizeof err);
            break;
        case RUN_COND_VALUE: {
            /* one bound for finding the element and its value */
            int64_t deadline = ut_now_ms() + timeout;
            rc = resolve(e, st, sr, SEL_WANT_READ, timeout);
            if (!rc)
                rc = sel_wait_value(e->page, &sr->res, value,
                                    (int)(deadline - ut_now_ms()), err,
                                    sizeof err);
            break;
        }
        default:
            break;
        }
        break;
    default:
        break;
    }
done:
    if (rc == SEL_OK && st->target)
        commit(e, st, sr);
    else if (rc && !(sr->error && sr->code == rc))
        set_err(sr, rc, *err ? err : sel_strerror(rc));
    sr->code = rc;
    free(out);
    free(value);
    return rc;
}

/* Sleeps MS, in slices, so that an interrupt ends the wait. */
static void pause_ms(int ms)
{
    int64_t end = ut_now_ms() + ms;

    while (!run_interrupted && ut_now_ms() < end) {
        int64_t left = end - ut_now_ms();
        ut_sleep_ms(left > 50 ? 50 : (int)left);
    }
}

static int retryable(sel_code c)
{
    return c == SEL_E_NOTFOUND || c == SEL_E_NOTREADY || c == SEL_E_TIMEOUT ||
           c == SEL_E_AMBIGUOUS || c == SEL_E_ACTION || c == SEL_E_JS ||
           c == SEL_E_NAV;
}

/* Diagnostics (the trace's screenshots, a failure's screenshot and DOM)
 * wait for no page that crashed or stopped answering: a page must answer
 * a trivial call within DIAG_PROBE_MS, and its screenshot gets
 * DIAG_SHOT_MS, so that a hung page costs a second or so, not the minute
 * a screenshot step may take (SHOT_MS, a long full page). */
#define DIAG_PROBE_MS 1000
#define DIAG_SHOT_MS  3000
#define DIAG_DOM_MS   5000

static int diag_screenshot(struct env *e, const char *path)
{
    return e->page && sel_page_state(e->page) == SEL_PAGE_OK &&
           sel_page_probe(e->page, DIAG_PROBE_MS, NULL, 0) == SEL_OK &&
           sel_screenshot(e->page, path, 0, DIAG_SHOT_MS, NULL, 0) == SEL_OK;
}

/* On failure: the page's URL, a screenshot, its HTML and the console
 * errors, in the trace folder or next to each other in $TMPDIR. */
static void failure_artifacts(struct env *e, struct run_step_report *sr)
{
    char base[4400], path[4500], *html;
    size_t i;

    if (!e->page || sr->code == SEL_E_BROWSER)
        return;
    sr->console = sel_take_console(e->page, &sr->nconsole);
    sr->url = ut_strdup(sel_page_url(e->page));
    if (e->trace_dir[0])
        snprintf(base, sizeof base, "%s/step-%03d-failed", e->trace_dir,
                 sr->step->index + 1);
    else if (run_artifacts_dir(e->rep->run_id, e->rep->artifacts,
                               sizeof e->rep->artifacts) == 0)
        snprintf(base, sizeof base, "%s/step-%03d-failed",
                 e->rep->artifacts, sr->step->index + 1);
    else
        return;
    snprintf(path, sizeof path, "%s.png", base);
    if (diag_screenshot(e, path)) {
        free(sr->screenshot);
        sr->screenshot = ut_strdup(path);
    }
    if (!e->trace_dir[0])
        return;
    snprintf(path, sizeof path, "%s.html", base);
    html = sel_page_html(e->page, DIAG_DOM_MS);
    if (html) {
        char *r = run_redact(html);
        if (r && ut_write_file(path, r, strlen(r), 0600) == 0)
            sr->html = ut_strdup(path);
        free(r);
        free(html);
    }
    snprintf(path, sizeof path, "%s/console.log", e->trace_dir);
    {
        int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        FILE *f = fd >= 0 ? fdopen(fd, "a") : NULL;

        if (fd >= 0 && !f)
            close(fd);
        for (i = 0; f && i < sr->nconsole; i++) {
            char *r = run_redact(sr->console[i]);
            fprintf(f, "%s\n", r ? r : "***");
            free(r);
        }
        if (f)
            fclose(f);
    }
}

/* Everything SR will show (stderr, --json, JUnit) with "***" in place
 * of each secret: the page's URL, title or console and the error may
 * quote one. */
static void redact_step(struct run_step_report *sr)
{
    size_t i;

    if (!run_secret_any())
        return;
    run_redact_in_place(&sr->target);
    run_redact_in_place(&sr->error);
    run_redact_in_place(&sr->value);
    run_redact_in_place(&sr->url);
    for (i = 0; i < sr->nconsole; i++)
        run_redact_in_place(&sr->console[i]);
    for (i = 0; i < sr->ndialogs; i++)
        run_redact_in_place(&sr->dialogs[i]);
    run_redact_in_place(&sr->res.selector);
    run_redact_in_place(&sr->res.old_selector);
    run_redact_in_place(&sr->res.error);
    run_redact_in_place(&sr->res.seen);
    run_redact_in_place(&sr->res.llm_reason);
    for (i = 0; i < sr->res.ntop; i++) {
        run_redact_in_place(&sr->res.top[i].desc);
        run_redact_in_place(&sr->res.top[i].features);
    }
}

/* The form the task is filling: a step that filled, selected or checked
 * a field of a form names it; a click, a goto or a key press ends it. A
 * click whose words fit a button of that form means that button
 * (heur_hist, docs/HEURISTICS.md "The task's own history"). */
static void note_form(struct env *e, const struct run_step *st,
                      const struct run_step_report *sr)
{
    switch (st->kind) {
    case RUN_FILL: case RUN_SELECT: case RUN_CHECK: case RUN_UNCHECK:
        if (sr->has_res && sr->res.form) {
            free(e->recent_form);
            e->recent_form = ut_strdup(sr->res.form);
        }
        break;
    case RUN_CLICK: case RUN_GOTO: case RUN_PRESS:
        free(e->recent_form);
        e->recent_form = NULL;
        break;
    default:
        break;
    }
}

static void exec_step(struct env *e, const struct run_step *st,
                      struct run_step_report *sr)
{
    int retries = st->retries >= 0 ? st->retries : e->prof.retries;
    int backoff = e->prof.backoff_ms >= 0 ? e->prof.backoff_ms : 200;
    int64_t t0 = ut_now_us();
    char err[512];
    sel_code rc;

    sr->step = st;
    if (st->target) {
        if (run_expand(&e->vars, st->target, &sr->target, &sr->target_secret,
                       err, sizeof err)) {
            set_err(sr, SEL_E_ACTION, err);
            sr->status = 1;
            sr->attempts = 1;
            redact_step(sr);
            return;
        }
    }
    for (;;) {
        sr->attempts++;
        free(sr->error);
        sr->error = NULL;
        sr->code = SEL_OK;
        sr->acted = 0;
        rc = exec_once(e, st, sr);
        if (rc == SEL_OK || !retryable(rc) || sr->attempts > retries ||
            run_interrupted)
            break;
        /* "idempotent": false: a step that may have acted is not done
         * twice; one that failed before acting (not found, not ready)
         * did nothing yet and is retried like any other */
        if (!st->idempotent && sr->acted) {
            ut_buf m;
            ut_buf_init(&m, UT_MAX_LINE);
            sr->not_retried = 1;
            if (ut_buf_addf(&m, "%s (not re-run: the step is marked "
                            "\"idempotent\": false and may have acted)",
                            sr->error ? sr->error : sel_strerror(rc)) == 0) {
                free(sr->error);
                sr->error = ut_buf_take(&m);
            }
            ut_buf_free(&m);
            break;
        }
        pause_ms(ut_backoff_ms(backoff, sr->attempts - 1,
                               backoff > RUN__BACKOFF_CAP_MS ? backoff
                               : RUN__BACKOFF_CAP_MS, &e->rng));
    }
    sr->us = ut_now_us() - t0;
    sr->ms = sr->us / 1000;
    sr->dialogs = sel_take_dialogs(e->page, &sr->ndialogs);
    if (rc == SEL_OK) {
        note_form(e, st, sr);
        sr->status = 0;
        if (e->trace_dir[0]) {
            char path[4400];
            snprintf(path, sizeof path, "%s/step-%03d.png", e->trace_dir,
                     st->index + 1);
            if (diag_screenshot(e, path) && !sr->screenshot)
                sr->screenshot = ut_strdup(path);
        }
        redact_step(sr);
        return;
    }
    sr->status = 1;
    if (st->optional)
        sr->optional_failed = 1;
    failure_artifacts(e, sr);
    redact_step(sr);
}

/* FNV-1a over the steps: a resumed run must be the same task. */
static void task_hash(const struct run_task *t, char *out, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    size_t i;
    const char *parts[3];

    for (i = 0; i < t->nsteps; i++) {
        const char *k = run_kind_name(t->steps[i].kind);
        int j;
        parts[0] = k;
        parts[1] = t->steps[i].target ? t->steps[i].target : "";
        parts[2] = t->steps[i].value ? t->steps[i].value : "";
        for (j = 0; j < 3; j++) {
            const unsigned char *p = (const unsigned char *)parts[j];
            for (; *p; p++)
                h = (h ^ *p) * 1099511628211ull;
            h = (h ^ 0xff) * 1099511628211ull;
        }
    }
    snprintf(out, n, "%016llx", (unsigned long long)h);
}

static char *vars_json(const struct run_vars *vs)
{
    cJSON *o = cJSON_CreateObject();
    char *s;
    size_t i;

    /* a checkpoint lives in the cache file: no secret goes there, not
     * even inside an extracted value (such a value is gone on --resume) */
    for (i = 0; i < vs->n; i++)
        if (!vs->v[i].secret &&
            !run_secret_in(vs->v[i].value, strlen(vs->v[i].value)))
            cJSON_AddStringToObject(o, vs->v[i].name, vs->v[i].value);
    s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

/* Every secret the task can expand now (its ${env.…}, secret variables,
 * literal "secret": true fill values) is registered before the browser
 * starts, so that even the first page's URL and title are redacted.
 * Values extracted later are registered when expanded. 0 or -1. */
static int register_secrets(struct env *e)
{
    size_t i, k;
    int rc = 0;

    for (i = 0; i < e->vars.n; i++)
        if (e->vars.v[i].secret)
            rc |= run_secret_add(e->vars.v[i].value);
    for (i = 0; i < e->t->nsteps; i++) {
        const struct run_step *st = &e->t->steps[i];
        const char *f[3] = { st->target, st->value, st->attr };
        for (k = 0; k < 3; k++) {
            char *x = NULL;
            if (f[k] && run_expand(&e->vars, f[k], &x, NULL, NULL, 0) == 0 &&
                k == 1 && st->secret)
                rc |= run_secret_add(x);
            free(x);
        }
    }
    return rc;
}

/* A cache that another process keeps locked past the busy timeout is a
 * temporary condition, not bad usage: the run goes on (lookups that
 * cannot read miss, stores and checkpoints that cannot get the lock are
 * skipped) and says so once per process. Later opens do not wait the
 * busy timeout again. */
static int cache_lock_seen;

static void cache_lock_note(const char *path)
{
    if (cache_lock_seen++)
        return;
    fprintf(stderr, "cdpilot: warning: cache %s is locked by another "
            "process; going on without waiting for it (what cannot be "
            "read is a miss, what cannot be stored is skipped)\n", path);
}

static int env_setup(struct env *e, char *err, size_t errlen)
{
    const struct run_task *t = e->t;
    const char *pname = e->o->profile ? e->o->profile
                        : t->profile ? t->profile : "default";
    struct llm_config lc;
    size_t i;

    if (run_profile_load(pname, &e->prof, err, errlen))
        return RUN_EXIT_USAGE;
    ut_strlcpy(e->rep->profile, e->prof.name ? e->prof.name : "",
               sizeof e->rep->profile);
    for (i = 0; i < t->vars.n; i++)
        if (run_vars_set(&e->vars, t->vars.v[i].name, t->vars.v[i].value,
                         t->vars.v[i].secret))
            return RUN_EXIT_USAGE;
    for (i = 0; i < e->o->vars.n; i++)
        if (run_vars_set(&e->vars, e->o->vars.v[i].name,
                         e->o->vars.v[i].value, e->o->vars.v[i].secret))
            return RUN_EXIT_USAGE;
    if (register_secrets(e))
        return ut_err(err, errlen, RUN_EXIT_USAGE, "more than %d secret "
                      "values: they could not all be kept out of the "
                      "output", RUN__MAX_SECRETS);
    e->hx = heur_ctx_new(err, errlen);
    if (!e->hx)
        return RUN_EXIT_USAGE;
    if (!e->o->no_cache && !e->prof.no_cache) {
        const char *path = e->o->cache_path ? e->o->cache_path
                           : getenv("CDPILOT_CACHE") ? getenv("CDPILOT_CACHE")
                           : e->prof.cache_path;
        char cerr[512], dflt[4096];
        cache_code crc = cache_open(path, cache_lock_seen ? 1 : 5000,
                                    &e->cache, cerr, sizeof cerr);
        if (crc == CACHE_E_BUSY && !e->o->resume)
            cache_lock_note(path ? path : cache_default_path(dflt,
                                                             sizeof dflt));
        else if (crc != CACHE_OK)
            return ut_err(err, errlen, crc == CACHE_E_BUSY ? RUN_EXIT_FAILED
                          : RUN_EXIT_USAGE, "cache: %s (use --no-cache to "
                          "run without it)", cerr);
        if (e->cache) {
            e->rep->cache_used = 1;
            ut_strlcpy(e->rep->cache_path, cache_path(e->cache),
                       sizeof e->rep->cache_path);
        }
    }
    memset(&lc, 0, sizeof lc);
    lc.url = e->prof.llm_url;
    lc.model = e->prof.llm_model;
    lc.api_key = e->prof.llm_key_env ? getenv(e->prof.llm_key_env) : NULL;
    lc.timeout_ms = e->prof.llm_timeout_ms;
    lc.max_calls = e->prof.llm_max_calls;
    lc.max_tokens = e->prof.llm_max_tokens;
    lc.retries = e->prof.llm_retries;
    lc.backoff_ms = 500;
    lc.breaker_after = e->prof.llm_breaker_after;
    lc.price_prompt = e->prof.llm_price_prompt;
    lc.price_completion = e->prof.llm_price_completion;
    lc.json_mode = 1;
    if (!e->o->no_llm && llm_config_from_env(&lc)) {
        e->llm = llm_new(&lc, err, errlen);
        if (!e->llm)
            return RUN_EXIT_USAGE;
    }
    if (e->o->trace_dir) {
        snprintf(e->trace_dir, sizeof e->trace_dir, "%s/%s", e->o->trace_dir,
                 e->rep->run_id);
        if (ut_mkdir_p(e->trace_dir, 0700) != 0)
            return ut_err(err, errlen, RUN_EXIT_USAGE, "--trace %s: %s",
                          e->trace_dir, strerror(errno));
        ut_strlcpy(e->rep->artifacts, e->trace_dir,
                   sizeof e->rep->artifacts);
        {
            char p[4400];
            int fd;
            snprintf(p, sizeof p, "%s/cdp.log", e->trace_dir);
            fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
            e->trace = fd >= 0 ? fdopen(fd, "w") : NULL;
            e->trace_t0 = ut_now_us();
        }
    }
    return RUN_EXIT_OK;
}

/* Restores a checkpoint: returns the first step to run, or -1 (ERR). */
static int env_resume(struct env *e, char *err, size_t errlen)
{
    struct cache_run cr;
    char hash[32];
    cJSON *vars, *it;
    int next;

    if (!e->cache)
        return ut_err(err, errlen, -1, "--resume needs the cache (it holds "
                      "the checkpoints)");
    memset(&cr, 0, sizeof cr);
    if (cache_run_get(e->cache, e->o->resume, &cr) != CACHE_OK)
        return ut_err(err, errlen, -1, "no run \"%s\" in %s", e->o->resume,
                      cache_path(e->cache));
    task_hash(e->t, hash, sizeof hash);
    if (strcmp(cr.task_hash ? cr.task_hash : "", hash) != 0) {
        cache_run_clear(&cr);
        return ut_err(err, errlen, -1, "run \"%s\" was for a different task "
                      "(its steps changed)", e->o->resume);
    }
    if (cr.status && strcmp(cr.status, "passed") == 0) {
        cache_run_clear(&cr);
        return ut_err(err, errlen, -1, "run \"%s\" already passed; nothing "
                      "to resume", e->o->resume);
    }
    if (cr.status && strcmp(cr.status, "unsafe-step") == 0 &&
        cr.next_step >= 0 && (size_t)cr.next_step < e->t->nsteps) {
        const struct run_step *st = &e->t->steps[cr.next_step];
        ut_err(err, errlen, -1, "run \"%s\" stopped during step %d (%s), "
               "which is marked \"idempotent\": false: its outcome is "
               "unknown, so it is not re-run blindly; check the application "
               "and start a new run", e->o->resume, cr.next_step + 1,
               run_kind_name(st->kind));
        cache_run_clear(&cr);
        return -2;
    }
    vars = cJSON_Parse(cr.vars_json ? cr.vars_json : "{}");
    cJSON_ArrayForEach(it, vars)
        if (cJSON_IsString(it))
            set_var(e, it->string, it->valuestring);
    cJSON_Delete(vars);
    next = cr.next_step;
    cache_run_clear(&cr);
    return next;
}

/* A new page (after --resume or a browser restart) is blank: replay the
 * last goto before step FIRST, unless FIRST is itself a goto. */
static void replay_goto(struct env *e, const struct run_task *t,
                        size_t first)
{
    size_t i;

    if (first < t->nsteps && t->steps[first].kind == RUN_GOTO)
        return;
    for (i = first; i-- > 0;) {
        if (t->steps[i].kind == RUN_GOTO) {
            struct run_step_report tmp;
            memset(&tmp, 0, sizeof tmp);
            tmp.step = &t->steps[i];
            exec_once(e, &t->steps[i], &tmp);
            free(tmp.error);
            free(tmp.value);
            sel_result_clear(&tmp.res);
            return;
        }
    }
}

/* Forgets an attempt's outcome so the step can run again. */
static void reset_step(struct run_step_report *sr)
{
    size_t j;

    free(sr->target);
    free(sr->error);
    free(sr->value);
    free(sr->screenshot);
    free(sr->url);
    free(sr->html);
    for (j = 0; j < sr->nconsole; j++)
        free(sr->console[j]);
    free(sr->console);
    for (j = 0; j < sr->ndialogs; j++)
        free(sr->dialogs[j]);
    free(sr->dialogs);
    sel_result_clear(&sr->res);
    {
        const struct run_step *st = sr->step;
        int crashed = sr->crashed;
        memset(sr, 0, sizeof *sr);
        sr->step = st;
        sr->crashed = crashed;
    }
}

int run_task_exec(const struct run_task *t, const struct run_opts *o,
                  struct run_task_report *rep)
{
    struct env e;
    char err[RUN_ERR_LEN] = "", hash[32];
    int code, first = 0, restarts = 0;
    size_t i;

    memset(&e, 0, sizeof e);
    e.rng = ut_rng_seed(&e);
    e.o = o;
    e.t = t;
    e.rep = rep;
    rep->task = t;
    rep->started_ms = ut_wall_ms();
    rep->resumed_from = -1;
    rep->steps = calloc(t->nsteps ? t->nsteps : 1, sizeof *rep->steps);
    if (!rep->steps)
        return rep->exit_code = RUN_EXIT_USAGE;
    code = env_setup(&e, err, sizeof err);
    if (code == RUN_EXIT_OK && o->resume) {
        first = env_resume(&e, err, sizeof err);
        if (first < 0)
            code = first == -2 ? RUN_EXIT_FAILED : RUN_EXIT_USAGE;
        else
            rep->resumed_from = first;
    }
    task_hash(t, hash, sizeof hash);
    if (code == RUN_EXIT_OK && e.cache && !o->resume &&
        cache_run_begin(e.cache, rep->run_id, t->name ? t->name : t->file,
                        hash) != CACHE_OK) {
        if (cache_locked(e.cache))
            cache_lock_note(cache_path(e.cache));
        else
            code = ut_err(err, sizeof err, RUN_EXIT_USAGE, "checkpoint: %s",
                          cache_errmsg(e.cache));
    }
    if (code == RUN_EXIT_OK)
        code = env_browser(&e, err, sizeof err);
    if (code != RUN_EXIT_OK) {
        fprintf(stderr, "cdpilot: %s: %s\n", t->file, err);
        rep->exit_code = code;
        env_close(&e);
        return code;
    }
    /* A resumed run starts on a fresh page: replay the last navigation
     * before the first unfinished step. */
    if (first > 0)
        replay_goto(&e, t, (size_t)first);
    code = RUN_EXIT_OK;
    for (i = 0; i < t->nsteps; i++) {
        struct run_step_report *sr = &rep->steps[i];
        rep->nsteps = i + 1;
        sr->step = &t->steps[i];
        if ((int)i < first) {
            sr->status = 2;
            continue;
        }
        if (run_interrupted) {
            rep->interrupted = 1;
            rep->nsteps = i;
            code = RUN_EXIT_FAILED;
            break;
        }
        if (e.cache && !t->steps[i].idempotent)
            cache_run_finish(e.cache, rep->run_id, "unsafe-step");
        exec_step(&e, &t->steps[i], sr);
        if (sr->status == 1 && sr->code == SEL_E_BROWSER && browser_gone(&e)) {
            sr->crashed = 1;
            if ((o->restart_browser || e.prof.restart_browser) &&
                !run_interrupted && restarts < 3 && t->steps[i].idempotent) {
                char rerr[RUN_ERR_LEN];
                restarts++;
                if (env_restart(&e, rerr, sizeof rerr) == RUN_EXIT_OK) {
                    replay_goto(&e, t, i);
                    reset_step(sr);
                    sr->restarted = 1;
                    exec_step(&e, &t->steps[i], sr);
                } else {
                    set_err(sr, SEL_E_BROWSER, rerr);
                }
            }
        }
        if (e.cache && cache_locked(e.cache))
            cache_lock_note(cache_path(e.cache));
        run_report_step(rep, sr, o, 1);
        if (sr->status == 0 || sr->optional_failed) {
            if (e.cache) {
                char *vj = vars_json(&e.saved);
                cache_run_step(e.cache, rep->run_id, (int)i, vj ? vj : "{}");
                free(vj);
            }
            if (e.prof.slow_mo_ms > 0)
                ut_sleep_ms(e.prof.slow_mo_ms);
            continue;
        }
        code = run_interrupted ? RUN_EXIT_FAILED : run_exit_of(sr->code);
        if (run_interrupted)
            rep->interrupted = 1;
        break;
    }
    if (e.llm) {
        struct llm_stats ls;
        llm_get_stats(e.llm, &ls);
        rep->llm_calls = ls.calls;
        rep->llm_prompt_tokens = ls.prompt_tokens;
        rep->llm_completion_tokens = ls.completion_tokens;
        rep->llm_cost = ls.cost;
        rep->llm_ms = ls.latency_ms;
        ut_strlcpy(rep->llm_model, llm_model(e.llm) ? llm_model(e.llm) : "",
                   sizeof rep->llm_model);
    }
    if (e.cache)
        cache_run_finish(e.cache, rep->run_id, rep->interrupted ?
                         "interrupted" : code ? "failed" : "passed");
    rep->exit_code = code;
    rep->ms = ut_wall_ms() - rep->started_ms;
    /* a secret registered late (a fill value from an extracted one) is
     * still kept out of the final report */
    for (i = 0; i < rep->nsteps; i++)
        redact_step(&rep->steps[i]);
    env_close(&e);
    return code;
}

void run_task_report_free(struct run_task_report *rep)
{
    size_t i, j;

    if (!rep->steps)
        return;
    for (i = 0; i < rep->task->nsteps; i++) {
        struct run_step_report *s = &rep->steps[i];
        free(s->target);
        free(s->error);
        free(s->value);
        free(s->screenshot);
        free(s->url);
        free(s->html);
        for (j = 0; j < s->nconsole; j++)
            free(s->console[j]);
        free(s->console);
        sel_result_clear(&s->res);
        for (j = 0; j < s->ndialogs; j++)
            free(s->dialogs[j]);
        free(s->dialogs);
    }
    free(rep->steps);
    rep->steps = NULL;
}

static enum sel_want want_named(const char *k)
{
    static const struct { const char *n; enum sel_want w; } m[] = {
        {"click", SEL_WANT_CLICK}, {"fill", SEL_WANT_FILL},
        {"select", SEL_WANT_SELECT}, {"check", SEL_WANT_CHECK},
        {"uncheck", SEL_WANT_CHECK}, {"hover", SEL_WANT_HOVER},
        {"extract", SEL_WANT_READ}, {"read", SEL_WANT_READ},
        {"wait_for", SEL_WANT_VISIBLE}, {"assert", SEL_WANT_VISIBLE}};
    size_t i;

    for (i = 0; k && i < sizeof m / sizeof *m; i++)
        if (strcmp(k, m[i].n) == 0)
            return m[i].w;
    return SEL_WANT_CLICK;
}

int run_resolve_cmd(const char *url, const char *target,
                    const struct run_opts *o)
{
    struct run_task t;
    struct run_task_report rep;
    struct env e;
    struct sel_target tg;
    struct sel_opts so;
    struct sel_result r;
    char err[RUN_ERR_LEN];
    int code;
    size_t i;

    if (o->kind && want_named(o->kind) == SEL_WANT_CLICK &&
        strcmp(o->kind, "click") != 0) {
        fprintf(stderr, "cdpilot: --kind \"%s\": expected click, fill, "
                "select, check, hover, extract or wait_for\n", o->kind);
        return RUN_EXIT_USAGE;
    }
    if (sel_target_parse(target, &tg, err, sizeof err)) {
        fprintf(stderr, "cdpilot: resolve: %s\n", err);
        return RUN_EXIT_USAGE;
    }
    memset(&t, 0, sizeof t);
    memset(&rep, 0, sizeof rep);
    memset(&e, 0, sizeof e);
    t.file = "(resolve)";
    rep.run_id = "resolve";
    rep.task = &t;
    e.o = o;
    e.t = &t;
    e.rep = &rep;
    code = env_setup(&e, err, sizeof err);
    if (!code)
        code = env_browser(&e, err, sizeof err);
    if (!code && sel_goto(e.page, url, nav_timeout(&e), err, sizeof err))
        code = RUN_EXIT_BROWSER;
    if (code) {
        fprintf(stderr, "cdpilot: resolve: %s\n", err);
        sel_target_clear(&tg);
        env_close(&e);
        return code;
    }
    memset(&so, 0, sizeof so);
    so.want = want_named(o->kind);
    so.step_kind = o->kind ? o->kind : "click";
    so.nth = -1;
    so.timeout_ms = o->timeout_ms >= 0 ? o->timeout_ms : e.prof.timeout_ms;
    so.min_confidence = e.prof.min_confidence;
    so.min_margin = e.prof.min_margin;
    so.llm_min_confidence = e.prof.llm_min_confidence;
    so.cache = e.cache;
    so.hx = e.hx;
    so.llm = e.llm;
    so.explain = 1;
    sel_resolve(e.page, &tg, &so, &r);
    code = run_exit_of(r.code);
    if (o->json) {
        cJSON *j = cJSON_CreateObject(), *a;
        char *s;
        cJSON_AddStringToObject(j, "target", target);
        cJSON_AddStringToObject(j, "strategy", sel_strategy_name(tg.strategy));
        cJSON_AddStringToObject(j, "decision", r.code == SEL_OK ? "resolved"
                                : sel_code_class(r.code));
        if (r.code == SEL_OK) {
            cJSON_AddStringToObject(j, "source", sel_source_name(r.source));
            cJSON_AddStringToObject(j, "selector", r.selector ? r.selector
                                    : "");
        } else {
            cJSON_AddStringToObject(j, "error", r.error ? r.error : "");
        }
        cJSON_AddNumberToObject(j, "confidence", r.confidence);
        cJSON_AddNumberToObject(j, "margin", r.margin);
        cJSON_AddNumberToObject(j, "candidates", r.candidates);
        cJSON_AddNumberToObject(j, "resolve_us", (double)r.us_total);
        a = cJSON_AddArrayToObject(j, "ranked");
        for (i = 0; i < r.ntop; i++) {
            cJSON *c = cJSON_CreateObject();
            cJSON_AddStringToObject(c, "candidate", r.top[i].desc);
            cJSON_AddNumberToObject(c, "score", r.top[i].score);
            if (r.top[i].features)
                cJSON_AddStringToObject(c, "features", r.top[i].features);
            cJSON_AddItemToArray(a, c);
        }
        s = cJSON_Print(j);
        puts(s ? s : "{}");
        free(s);
        cJSON_Delete(j);
    } else {
        printf("target:     %s (%s, as a %s step)\n", target,
               sel_strategy_name(tg.strategy), so.step_kind);
        if (r.code == SEL_OK)
            printf("decision:   %s, confidence %.2f, margin %.2f\n"
                   "selector:   %s\n", sel_source_name(r.source),
                   r.confidence, r.margin, r.selector ? r.selector : "");
        else
            printf("decision:   %s: %s\n", sel_code_class(r.code),
                   r.error ? r.error : "");
        if (r.healed)
            printf("healed:     cached %s no longer fits\n", r.old_selector);
        printf("considered: %d candidates in %.1f ms (collect %.1f, score "
               "%.2f)\n", r.candidates, r.us_total / 1000.0,
               r.us_collect / 1000.0, r.us_score / 1000.0);
        for (i = 0; i < r.ntop; i++) {
            printf("  %zu. %.2f  %s\n", i + 1, r.top[i].score,
                   r.top[i].desc);
            if (o->explain && r.top[i].features)
                printf("           %s\n", r.top[i].features);
        }
    }
    sel_result_clear(&r);
    sel_target_clear(&tg);
    env_close(&e);
    return code;
}
