/* live.c -- what a task runs with: the profile turned into the option
 * structs of the modules it drives (in one place, run_conf_fill), the
 * variables and secrets, the heuristics, cache, LLM and trace, and the
 * browser and page, up and down on every path. */
#include "live_int.h"
#include "../cache/cache.h"
#include "../heuristics/heur.h"
#include "../util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LAUNCH_MS   20000   /* the profile sets no timeouts.launch_ms */
#define STEP_MS     5000    /* ... no timeouts.step_ms */
#define CONTEXT_MS  10000   /* making a browser context, download setting */
#define DISPOSE_MS  5000
#define LLM_BACKOFF_MS 500

void run_conf_fill(struct run_conf *c, const struct run_profile *p,
                   const struct run_opts *o)
{
    memset(c, 0, sizeof *c);
    c->launch_ms = p->launch_timeout_ms > 0 ? p->launch_timeout_ms
                                            : LAUNCH_MS;
    c->step_ms = o->timeout_ms >= 0 ? o->timeout_ms
                 : p->timeout_ms > 0 ? p->timeout_ms : STEP_MS;
    /* the profile's navigation bound wins over --timeout (PROFILES.md) */
    c->nav_ms = p->nav_timeout_ms > 0 ? p->nav_timeout_ms
                : o->timeout_ms >= 0 ? o->timeout_ms : RUN_NAV_TIMEOUT_MS;

    c->launch.headless = p->headless && !o->headful;
    c->launch.width = p->width;
    c->launch.height = p->height;
    c->launch.user_data_dir = p->user_data_dir;
    c->launch.args = (const char *const *)p->args;
    c->launch.nargs = p->nargs;
    c->launch.timeout_ms = c->launch_ms;

    c->page.dialog = p->dialog;
    c->page.width = p->width;
    c->page.height = p->height;
    c->page.scale = p->scale;
    c->page.mobile = p->mobile;
    c->page.touch = p->touch;
    c->page.user_agent = p->user_agent;
    c->page.block = (const char *const *)p->block;
    c->page.nblock = p->nblock;

    c->sel.min_confidence = p->min_confidence;
    c->sel.min_margin = p->min_margin;
    c->sel.llm_min_confidence = p->llm_min_confidence;
    c->sel.explain = o->verbose;
    c->sel.nth = -1;

    c->llm.url = p->llm_url;
    c->llm.model = p->llm_model;
    c->llm.api_key = p->llm_key_env ? getenv(p->llm_key_env) : NULL;
    c->llm.timeout_ms = p->llm_timeout_ms;
    c->llm.max_calls = p->llm_max_calls;
    c->llm.max_tokens = p->llm_max_tokens;
    c->llm.retries = p->llm_retries;
    c->llm.backoff_ms = LLM_BACKOFF_MS;
    c->llm.breaker_after = p->llm_breaker_after;
    c->llm.price_prompt = p->llm_price_prompt;
    c->llm.price_completion = p->llm_price_completion;
    c->llm.json_mode = 1;

    c->cache_path = o->cache_path ? o->cache_path
                    : getenv("CDPILOT_CACHE") ? getenv("CDPILOT_CACHE")
                    : p->cache_path;
}

/* ---- setup -------------------------------------------------------------- */

static void on_trace(void *ud, int out, const char *msg, size_t len)
{
    struct run_live *e = ud;
    /* redact a little past the cut, so that a secret across it is not
     * half written */
    size_t cap = len > 4096 ? 4096 : len, n = len > 5120 ? 5120 : len;
    char *r;

    if (!e->trace)
        return;
    if (e->trace_quiet) {    /* cookies and storage values: secrets */
        fprintf(e->trace, "%s %.3f (session state, %zu bytes, not logged)\n",
                out ? ">" : "<",
                (double)(ut_now_us() - e->trace_t0) / 1000.0, len);
        return;
    }
    r = run_redact_n(msg, n);
    if (!r)
        return;
    /* ms since the trace began: a trace is also a profile */
    fprintf(e->trace, "%s %.3f %.*s%s\n", out ? ">" : "<",
            (double)(ut_now_us() - e->trace_t0) / 1000.0, (int)cap, r,
            cap < len ? " …(truncated)" : "");
    free(r);
}

/* Every secret the task can expand now (its ${env.…}, secret variables,
 * literal "secret": true fill values, --connect's and --grid's token) is
 * registered before the browser starts, so that even the first page's
 * URL and title are redacted.
 * Values extracted later are registered when expanded. 0 or -1. */
static int register_secrets(struct run_live *e)
{
    size_t i, k;
    int rc = 0;

    if (e->o->connect)
        rc |= run_secret_add_url(e->o->connect);
    if (e->o->grid)
        rc |= run_secret_add_url(e->o->grid);
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

/* The task's variables, then --var over them, then their secrets. */
static int setup_vars(struct run_live *e, char *err, size_t errlen)
{
    const struct run_vars *from[2] = { &e->t->vars, &e->o->vars };
    size_t i, k;

    for (k = 0; k < 2; k++)
        for (i = 0; i < from[k]->n; i++)
            if (run_vars_set(&e->vars, from[k]->v[i].name,
                             from[k]->v[i].value, from[k]->v[i].secret))
                return RUN_EXIT_USAGE;
    if (register_secrets(e))
        return ut_err(err, errlen, RUN_EXIT_USAGE, "more than %d secret "
                      "values: they could not all be kept out of the "
                      "output", RUN__MAX_SECRETS);
    return RUN_EXIT_OK;
}

/* A cache that another process keeps locked past the busy timeout is a
 * temporary condition, not bad usage: the run goes on (lookups that
 * cannot read miss, stores and checkpoints that cannot get the lock are
 * skipped) and says so once per process. Later opens do not wait the
 * busy timeout again. */
static int cache_lock_seen;

void run_cache_lock_note(const char *path)
{
    if (cache_lock_seen++)
        return;
    fprintf(stderr, "cdpilot: warning: cache %s is locked by another "
            "process; going on without waiting for it (what cannot be "
            "read is a miss, what cannot be stored is skipped)\n", path);
}

static int setup_cache(struct run_live *e, char *err, size_t errlen)
{
    const char *path = e->conf.cache_path;
    char cerr[512], dflt[4096];
    cache_code crc;

    if (e->o->no_cache || e->prof.no_cache)
        return RUN_EXIT_OK;
    crc = cache_open(path, cache_lock_seen ? 1 : 5000, &e->cache, cerr,
                     sizeof cerr);
    if (crc == CACHE_E_BUSY && !e->o->resume)
        run_cache_lock_note(path ? path : cache_default_path(dflt,
                                                             sizeof dflt));
    else if (crc != CACHE_OK)
        return ut_err(err, errlen, crc == CACHE_E_BUSY ? RUN_EXIT_FAILED
                      : RUN_EXIT_USAGE, "cache: %s (use --no-cache to run "
                      "without it)", cerr);
    if (e->cache) {
        e->rep->cache_used = 1;
        ut_strlcpy(e->rep->cache_path, cache_path(e->cache),
                   sizeof e->rep->cache_path);
    }
    return RUN_EXIT_OK;
}

/* --trace DIR: DIR/RUN_ID holds the CDP log and the step screenshots. */
static int setup_trace(struct run_live *e, char *err, size_t errlen)
{
    char p[4400];
    int fd;

    if (!e->o->trace_dir)
        return RUN_EXIT_OK;
    snprintf(e->trace_dir, sizeof e->trace_dir, "%s/%s", e->o->trace_dir,
             e->rep->run_id);
    if (ut_mkdir_p(e->trace_dir, 0700) != 0)
        return ut_err(err, errlen, RUN_EXIT_USAGE, "--trace %s: %s",
                      e->trace_dir, strerror(errno));
    ut_strlcpy(e->rep->artifacts, e->trace_dir, sizeof e->rep->artifacts);
    snprintf(p, sizeof p, "%s/cdp.log", e->trace_dir);
    fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    e->trace = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fd >= 0 && !e->trace)
        close(fd);
    e->trace_t0 = ut_now_us();
    return RUN_EXIT_OK;
}

/* --block patterns join the profile's "block" list. */
static int add_blocks(struct run_live *e, char *err, size_t errlen)
{
    struct run_profile *p = &e->prof;
    size_t i, n = p->nblock + e->o->nblock;
    char **v;

    if (!e->o->nblock)
        return RUN_EXIT_OK;
    v = realloc(p->block, n * sizeof *v);
    if (!v)
        return ut_err(err, errlen, RUN_EXIT_USAGE, "out of memory");
    p->block = v;
    for (i = 0; i < e->o->nblock; i++) {
        if (!(v[p->nblock] = ut_strdup(e->o->block[i])))
            return ut_err(err, errlen, RUN_EXIT_USAGE, "out of memory");
        p->nblock++;
    }
    return RUN_EXIT_OK;
}

int run_live_setup(struct run_live *e, char *err, size_t errlen)
{
    const char *pname = e->o->profile ? e->o->profile
                        : e->t->profile ? e->t->profile : "default";
    int code;

    if (run_profile_load(pname, &e->prof, err, errlen))
        return RUN_EXIT_USAGE;
    if ((code = add_blocks(e, err, errlen)))
        return code;
    run_conf_fill(&e->conf, &e->prof, e->o);
    ut_strlcpy(e->rep->profile, e->prof.name ? e->prof.name : "",
               sizeof e->rep->profile);
    if ((code = setup_vars(e, err, errlen)))
        return code;
    e->hx = heur_ctx_new(err, errlen);
    if (!e->hx)
        return RUN_EXIT_USAGE;
    if ((code = setup_cache(e, err, errlen)))
        return code;
    run__budget_setup(e);
    if (!e->o->no_llm && llm_config_from_env(&e->conf.llm)) {
        e->llm = llm_new(&e->conf.llm, err, errlen);
        if (!e->llm)
            return RUN_EXIT_USAGE;
    }
    e->conf.sel.cache = e->cache;
    e->conf.sel.hx = e->hx;
    e->conf.sel.llm = e->llm;
    return setup_trace(e, err, errlen);
}

int run_live_set_var(struct run_live *e, const char *name, const char *value)
{
    return run_vars_set(&e->vars, name, value, 0) ||
           run_vars_set(&e->saved, name, value, 0);
}

/* ---- browser up and down ------------------------------------------------ */

/* Connects to --connect's browser, each task in a browser context of its
 * own (the default one when the browser refuses). */
static int connect_browser(struct run_live *e, char *err, size_t errlen)
{
    if (cdp_connect(e->o->connect, e->conf.launch_ms, &e->conn, err, errlen))
        return RUN_EXIT_BROWSER;
    e->rep->connect = e->o->connect;
    (void)cdp_context_new(e->conn, CONTEXT_MS, &e->context);
    return RUN_EXIT_OK;
}

static int launch_browser(struct run_live *e, char *err, size_t errlen)
{
    struct run_task_report *r = e->rep;
    struct cdp_launch_opts lo = e->conf.launch;
    struct cdp_found f;

    if (cdp_find_browser(e->o->chrome, e->prof.chrome, &f, err, errlen))
        return RUN_EXIT_BROWSER;
    ut_strlcpy(r->browser_path, f.path, sizeof r->browser_path);
    ut_strlcpy(r->browser_why, f.why, sizeof r->browser_why);
    lo.path = f.path;
    if (cdp_launch(&lo, &e->browser, err, errlen))
        return RUN_EXIT_BROWSER;
    r->no_sandbox = cdp_browser_no_sandbox(e->browser);
    if (cdp_connect(cdp_browser_ws_url(e->browser), e->conf.launch_ms,
                    &e->conn, err, errlen))
        return RUN_EXIT_BROWSER;
    /* Best effort: a browser that refuses keeps its default. */
    (void)cdp_keep_downloads(e->browser, e->conn, CONTEXT_MS);
    return RUN_EXIT_OK;
}

/* The version pin (--browser-version, else the task's, else the
 * profile's) against the browser that came up: a mismatch fails the run
 * before any step, naming the browser and what was asked. */
static int check_pin(struct run_live *e, char *err, size_t errlen)
{
    const struct run_task_report *r = e->rep;
    const char *spec = e->o->browser_version, *from = "--browser-version";
    struct run_pin pin;

    if (!spec && e->t->browser_version) {
        spec = e->t->browser_version;
        from = "the task's browser.version";
    } else if (!spec && e->prof.browser_version) {
        spec = e->prof.browser_version;
        from = "the profile's browser.version";
    }
    if (!spec || run_pin_parse(spec, &pin, err, errlen))
        return spec ? RUN_EXIT_USAGE : RUN_EXIT_OK;
    if (run_pin_match(&pin, r->product))
        return RUN_EXIT_OK;
    return ut_err(err, errlen, RUN_EXIT_BROWSER, "browser %s is %s, but %s "
                  "asks for \"%s\" (see docs/PROFILES.md \"Pinning the "
                  "browser\")", r->connect ? r->connect : r->browser_path,
                  r->product[0] ? r->product : "of unknown version", from,
                  pin.text);
}

int run_live_browser(struct run_live *e, char *err, size_t errlen)
{
    struct run_task_report *r = e->rep;
    const struct cdp_version *v;
    struct cdp_session *s = NULL;
    int code = e->o->grid ? run_grid_connect(e, err, errlen)
               : e->o->connect ? connect_browser(e, err, errlen)
               : launch_browser(e, err, errlen);

    if (code)
        return code;
    if (e->trace)
        cdp_set_trace(e->conn, on_trace, e);
    v = cdp_conn_version(e->conn);
    ut_strlcpy(r->product, v->product, sizeof r->product);
    ut_strlcpy(r->protocol, v->protocol, sizeof r->protocol);
    ut_strlcpy(r->user_agent, v->user_agent, sizeof r->user_agent);
    if ((code = check_pin(e, err, errlen)))
        return code;
    if (cdp_new_page(e->conn, e->context, &s) != CDP_OK)
        return ut_err(err, errlen, RUN_EXIT_BROWSER, "opening a page: %s",
                      cdp_errmsg(e->conn));
    if (sel_page_open(s, &e->conf.page, &e->page, err, errlen))
        return RUN_EXIT_BROWSER;
    run_state_attach(e);
    return RUN_EXIT_OK;
}

void run_live_close(struct run_live *e)
{
    run_state_detach(e, 1);
    sel_page_close(e->page);
    e->page = NULL;
    if (e->context && e->conn && cdp_conn_alive(e->conn))
        (void)cdp_context_dispose(e->conn, e->context, DISPOSE_MS);
    free(e->context);
    e->context = NULL;
    if (e->browser) {
        cdp_browser_close(e->browser, e->conn, 3000);
        e->browser = NULL;
    }
    cdp_conn_close(e->conn);
    e->conn = NULL;
    run_grid_release(e);
    cache_close(e->cache);
    heur_ctx_free(e->hx);
    llm_free(e->llm);
    free(e->recent_form);
    e->recent_form = NULL;
    run_files_clear(e);
    run_vars_free(&e->vars);
    run_vars_free(&e->saved);
    run_profile_free(&e->prof);
    if (e->trace)
        fclose(e->trace);
}

/* After a browser crash: a new browser, a new page, the same everything
 * else (cache, LLM budget, variables). */
int run_live_restart(struct run_live *e, char *err, size_t errlen)
{
    run_state_detach(e, 0);
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
    run_grid_release(e);
    return run_live_browser(e, err, errlen);
}

/* The socket closes before a killed browser can be reaped, so a dead
 * connection counts as a crash too; so does the death of the page's
 * renderer (killed, crashed, out of memory), which leaves the browser
 * up but the page gone. */
int run_live_gone(struct run_live *e)
{
    return !cdp_conn_alive(e->conn) ||
           (e->browser && !cdp_browser_alive(e->browser)) ||
           sel_page_state(e->page) == SEL_PAGE_CRASHED;
}
