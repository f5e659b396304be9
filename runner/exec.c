/* exec.c -- running one task: its steps in order, each with its retries
 * (step.c runs one attempt), checkpoints after each completed step and
 * --resume from them, a browser relaunched after a crash when asked, the
 * report's redaction; live.c brings the browser up and down. */
#include "live_int.h"
#include "../cache/cache.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

volatile sig_atomic_t run_interrupted;

#define BACKOFF_MS   200   /* the profile sets no retries.backoff_ms */
#define MAX_RESTARTS 3     /* browser relaunches per task */

/* ---- one step: attempts and what they leave ----------------------------- */

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
    if (sr->file)
        run_redact_json(sr->file);
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
        run_redact_in_place(&sr->res.top[i].words);
        run_redact_in_place(&sr->res.top[i].target);
    }
}

/* The form the task is filling: a step that filled, selected or checked
 * a field of a form names it; a click, a goto or a key press ends it. A
 * click whose words fit a button of that form means that button
 * (heur_hist, docs/HEURISTICS.md "The task's own history"). */
static void note_form(struct run_live *e, const struct run_step *st,
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

/* Runs attempts of ST until one passes, the failure is not worth
 * another, the retries are spent or the run is interrupted. */
static sel_code attempt(struct run_live *e, const struct run_step *st,
                        struct run_step_report *sr)
{
    int retries = st->retries >= 0 ? st->retries : e->prof.retries;
    int backoff = e->prof.backoff_ms >= 0 ? e->prof.backoff_ms : BACKOFF_MS;
    sel_code rc;

    for (;;) {
        sr->attempts++;
        free(sr->error);
        sr->error = NULL;
        sr->code = SEL_OK;
        sr->acted = 0;
        rc = run_step_once(e, st, sr);
        if (rc == SEL_OK || !retryable(rc) || sr->attempts > retries ||
            run_interrupted)
            return rc;
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
            return rc;
        }
        pause_ms(ut_backoff_ms(backoff, sr->attempts - 1,
                               backoff > RUN__BACKOFF_CAP_MS ? backoff
                               : RUN__BACKOFF_CAP_MS, &e->rng));
    }
}

/* Runs step ST into SR: its target expanded, its attempts, then the
 * trace's screenshot or the failure's artifacts, redacted. */
static void exec_step(struct run_live *e, const struct run_step *st,
                      struct run_step_report *sr)
{
    int64_t t0 = ut_now_us();
    char err[512];
    sel_code rc;

    sr->step = st;
    sr->tab = sr->tab_after = sel_tabs_index(e->tabs, e->page);
    if (st->target && run_expand(&e->vars, st->target, &sr->target,
                                 &sr->target_secret, err, sizeof err)) {
        run_step_fail(sr, SEL_E_ACTION, err);
        sr->status = 1;
        sr->attempts = 1;
        redact_step(sr);
        return;
    }
    run_expect_step(e);
    rc = attempt(e, st, sr);
    if (rc == SEL_OK)
        rc = run_expect_after(e, sr);
    sr->tab_after = sel_tabs_index(e->tabs, e->page);
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
            if (run_diag_screenshot(e, path) && !sr->screenshot)
                sr->screenshot = ut_strdup(path);
        }
    } else {
        sr->status = 1;
        if (st->optional)
            sr->optional_failed = 1;
        run_diag_failure(e, sr);
    }
    redact_step(sr);
}

static void step_report_free(struct run_step_report *sr)
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
    cJSON_Delete(sr->file);
    for (j = 0; j < sr->ndialogs; j++)
        free(sr->dialogs[j]);
    free(sr->dialogs);
    sel_result_clear(&sr->res);
}

/* Forgets an attempt's outcome so the step can run again. */
static void reset_step(struct run_step_report *sr)
{
    const struct run_step *st = sr->step;
    int crashed = sr->crashed;

    step_report_free(sr);
    memset(sr, 0, sizeof *sr);
    sr->step = st;
    sr->crashed = crashed;
}

/* ---- checkpoints -------------------------------------------------------- */

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

/* Why checkpoint CR cannot be resumed for this task (-1, or -2 when it
 * stopped in a step that must not run twice), in ERR; 0 when it can. */
static int resume_refused(const struct run_live *e,
                          const struct cache_run *cr, char *err,
                          size_t errlen)
{
    char hash[32];

    task_hash(e->t, hash, sizeof hash);
    if (strcmp(cr->task_hash ? cr->task_hash : "", hash) != 0)
        return ut_err(err, errlen, -1, "run \"%s\" was for a different task "
                      "(its steps changed)", e->o->resume);
    if (cr->status && strcmp(cr->status, "passed") == 0)
        return ut_err(err, errlen, -1, "run \"%s\" already passed; nothing "
                      "to resume", e->o->resume);
    if (cr->status && strcmp(cr->status, "unsafe-step") == 0 &&
        cr->next_step >= 0 && (size_t)cr->next_step < e->t->nsteps) {
        const struct run_step *st = &e->t->steps[cr->next_step];
        ut_err(err, errlen, -1, "run \"%s\" stopped during step %d (%s), "
               "which is marked \"idempotent\": false: its outcome is "
               "unknown, so it is not re-run blindly; check the application "
               "and start a new run", e->o->resume, cr->next_step + 1,
               run_kind_name(st->kind));
        return -2;
    }
    return 0;
}

/* Restores a checkpoint: returns the first step to run, or -1 / -2 (see
 * resume_refused(); ERR). */
static int live_resume(struct run_live *e, char *err, size_t errlen)
{
    struct cache_run cr;
    cJSON *vars, *it;
    int next;

    if (!e->cache)
        return ut_err(err, errlen, -1, "--resume needs the cache (it holds "
                      "the checkpoints)");
    memset(&cr, 0, sizeof cr);
    if (cache_run_get(e->cache, e->o->resume, &cr) != CACHE_OK)
        return ut_err(err, errlen, -1, "no run \"%s\" in %s", e->o->resume,
                      cache_path(e->cache));
    if ((next = resume_refused(e, &cr, err, errlen)) < 0) {
        cache_run_clear(&cr);
        return next;
    }
    vars = cJSON_Parse(cr.vars_json ? cr.vars_json : "{}");
    cJSON_ArrayForEach(it, vars)
        if (cJSON_IsString(it))
            run_live_set_var(e, it->string, it->valuestring);
    cJSON_Delete(vars);
    next = cr.next_step;
    cache_run_clear(&cr);
    return next;
}

/* A new page (after --resume or a browser restart) is blank: replay the
 * last goto before step FIRST, unless FIRST is itself a goto. */
static void replay_goto(struct run_live *e, size_t first)
{
    const struct run_task *t = e->t;
    size_t i;

    if (first < t->nsteps && t->steps[first].kind == RUN_GOTO)
        return;
    for (i = first; i-- > 0;) {
        if (t->steps[i].kind == RUN_GOTO) {
            struct run_step_report tmp;
            memset(&tmp, 0, sizeof tmp);
            tmp.step = &t->steps[i];
            run_step_once(e, &t->steps[i], &tmp);
            free(tmp.error);
            free(tmp.value);
            sel_result_clear(&tmp.res);
            return;
        }
    }
}

/* ---- the task ----------------------------------------------------------- */

/* A checkpoint that could not be written: --resume could not pick up
 * from it, so say so (a locked cache is said once, run_cache_lock_note). */
static void checkpoint_note(struct cache *c, cache_code rc)
{
    if (rc != CACHE_OK && !cache_locked(c))
        fprintf(stderr, "cdpilot: warning: run checkpoint not saved: %s\n",
                cache_errmsg(c));
}

/* Setup, the checkpoint to resume or a new one, the browser: an exit
 * code with ERR; *FIRST is the first step to run. */
static int task_start(struct run_live *e, int *first, char *err,
                      size_t errlen)
{
    const struct run_task *t = e->t;
    struct run_task_report *rep = e->rep;
    char hash[32];
    int code = run_live_setup(e, err, errlen);

    *first = 0;
    if (code == RUN_EXIT_OK && e->o->resume) {
        *first = live_resume(e, err, errlen);
        if (*first < 0)
            code = *first == -2 ? RUN_EXIT_FAILED : RUN_EXIT_USAGE;
        else
            rep->resumed_from = *first;
    }
    task_hash(t, hash, sizeof hash);
    if (code == RUN_EXIT_OK && e->cache && !e->o->resume &&
        cache_run_begin(e->cache, rep->run_id, t->name ? t->name : t->file,
                        hash) != CACHE_OK) {
        if (cache_locked(e->cache))
            run_cache_lock_note(cache_path(e->cache));
        else
            code = ut_err(err, errlen, RUN_EXIT_USAGE, "checkpoint: %s",
                          cache_errmsg(e->cache));
    }
    if (code == RUN_EXIT_OK)
        code = run_live_browser(e, err, errlen);
    if (code == RUN_EXIT_OK)
        code = run_state_start(e, err, errlen);
    return code;
}

/* After step I failed with the browser gone: a new browser and the
 * step again, when the profile or --restart-browser asks and the step
 * may run twice. */
static void restart_step(struct run_live *e, size_t i,
                         struct run_step_report *sr, int *restarts)
{
    const struct run_step *st = &e->t->steps[i];
    char rerr[RUN_ERR_LEN];

    sr->crashed = 1;
    if (!(e->o->restart_browser || e->prof.restart_browser) ||
        run_interrupted || *restarts >= MAX_RESTARTS || !st->idempotent)
        return;
    (*restarts)++;
    if (run_live_restart(e, rerr, sizeof rerr) != RUN_EXIT_OK) {
        run_step_fail(sr, SEL_E_BROWSER, rerr);
        return;
    }
    replay_goto(e, i);
    reset_step(sr);
    sr->restarted = 1;
    exec_step(e, st, sr);
}

/* The steps from FIRST on (those before it are skipped): the exit code. */
static int run_steps(struct run_live *e, int first)
{
    const struct run_task *t = e->t;
    struct run_task_report *rep = e->rep;
    int restarts = 0;
    size_t i;

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
            return RUN_EXIT_FAILED;
        }
        if (e->cache && !t->steps[i].idempotent)
            checkpoint_note(e->cache, cache_run_finish(e->cache, rep->run_id,
                                                       "unsafe-step"));
        exec_step(e, &t->steps[i], sr);
        if (sr->status == 1 && sr->code == SEL_E_BROWSER && run_live_gone(e))
            restart_step(e, i, sr, &restarts);
        if (e->cache && cache_locked(e->cache))
            run_cache_lock_note(cache_path(e->cache));
        run_report_step(rep, sr, e->o, 1);
        if (sr->status == 0 || sr->optional_failed) {
            if (e->cache) {
                char *vj = vars_json(&e->saved);
                run_state_checkpoint(e, &t->steps[i]);
                checkpoint_note(e->cache, cache_run_step(e->cache,
                                rep->run_id, (int)i, vj ? vj : "{}"));
                free(vj);
            }
            if (e->prof.slow_mo_ms > 0)
                ut_sleep_ms(e->prof.slow_mo_ms);
            continue;
        }
        if (run_interrupted)
            rep->interrupted = 1;
        return run_interrupted ? RUN_EXIT_FAILED : run_exit_of(sr->code);
    }
    return RUN_EXIT_OK;
}

/* The LLM's totals, the checkpoint's outcome, the report redacted. */
static void task_finish(struct run_live *e, int code)
{
    struct run_task_report *rep = e->rep;
    size_t i;

    if (e->llm) {
        struct llm_stats ls;
        llm_get_stats(e->llm, &ls);
        rep->llm_calls = ls.calls;
        rep->llm_prompt_tokens = ls.prompt_tokens;
        rep->llm_completion_tokens = ls.completion_tokens;
        rep->llm_cost = ls.cost;
        rep->llm_ms = ls.latency_ms;
        ut_strlcpy(rep->llm_model, llm_model(e->llm) ? llm_model(e->llm)
                   : "", sizeof rep->llm_model);
    }
    if (e->cache)
        checkpoint_note(e->cache, cache_run_finish(e->cache, rep->run_id,
                        rep->interrupted ? "interrupted" :
                        code ? "failed" : "passed"));
    rep->exit_code = code;
    rep->ms = ut_wall_ms() - rep->started_ms;
    /* a secret registered late (a fill value from an extracted one) is
     * still kept out of the final report */
    for (i = 0; i < rep->nsteps; i++)
        redact_step(&rep->steps[i]);
}

int run_task_exec(const struct run_task *t, const struct run_opts *o,
                  struct run_task_report *rep)
{
    struct run_live e;
    char err[RUN_ERR_LEN] = "";
    int code, first;

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
    code = task_start(&e, &first, err, sizeof err);
    if (code != RUN_EXIT_OK) {
        fprintf(stderr, "cdpilot: %s: %s\n", t->file, err);
        ut_strlcpy(rep->setup_error, err, sizeof rep->setup_error);
        rep->exit_code = code;
        run_live_close(&e);
        return code;
    }
    /* A resumed run starts on a fresh page: replay the last navigation
     * before the first unfinished step. */
    if (first > 0)
        replay_goto(&e, (size_t)first);
    run_expect_begin(&e);
    code = run_steps(&e, first);
    code = run_state_finish(&e, code);
    task_finish(&e, code);
    run_live_close(&e);
    return code;
}

void run_task_report_free(struct run_task_report *rep)
{
    size_t i;

    if (!rep->steps)
        return;
    for (i = 0; i < rep->task->nsteps; i++)
        step_report_free(&rep->steps[i]);
    free(rep->steps);
    rep->steps = NULL;
}
