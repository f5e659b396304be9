/* resolve_cmd.c -- `cdpilot resolve URL TARGET`: one resolution on a live
 * page, with the same profile, cache, heuristics and LLM a run would use,
 * shown with its ranked candidates (text, or --json). */
#include "live_int.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void print_json(const char *target, const struct sel_target *tg,
                       const struct sel_result *r)
{
    cJSON *j = cJSON_CreateObject();
    char *s;

    cJSON_AddStringToObject(j, "target", target);
    cJSON_AddStringToObject(j, "strategy", sel_strategy_name(tg->strategy));
    cJSON_AddStringToObject(j, "decision", r->code == SEL_OK ? "resolved"
                            : sel_code_class(r->code));
    if (r->code == SEL_OK) {
        cJSON_AddStringToObject(j, "source", sel_source_name(r->source));
        cJSON_AddStringToObject(j, "selector", r->selector ? r->selector
                                : "");
    } else {
        cJSON_AddStringToObject(j, "error", r->error ? r->error : "");
    }
    cJSON_AddNumberToObject(j, "confidence", r->confidence);
    cJSON_AddNumberToObject(j, "margin", r->margin);
    cJSON_AddNumberToObject(j, "candidates", r->candidates);
    cJSON_AddNumberToObject(j, "resolve_us", (double)r->us_total);
    cJSON_AddItemToObject(j, "ranked", run_report_ranked(r));
    s = cJSON_Print(j);
    puts(s ? s : "{}");
    free(s);
    cJSON_Delete(j);
}

static void print_text(const char *target, const struct sel_target *tg,
                       const char *kind, const struct sel_result *r,
                       int explain)
{
    size_t i;

    printf("target:     %s (%s, as a %s step)\n", target,
           sel_strategy_name(tg->strategy), kind);
    if (r->code == SEL_OK)
        printf("decision:   %s, confidence %.2f, margin %.2f\n"
               "selector:   %s\n", sel_source_name(r->source),
               r->confidence, r->margin, r->selector ? r->selector : "");
    else
        printf("decision:   %s: %s\n", sel_code_class(r->code),
               r->error ? r->error : "");
    if (r->healed)
        printf("healed:     cached %s no longer fits\n", r->old_selector);
    printf("considered: %d candidates in %.1f ms (collect %.1f, score "
           "%.2f)\n", r->candidates, r->us_total / 1000.0,
           r->us_collect / 1000.0, r->us_score / 1000.0);
    for (i = 0; i < r->ntop; i++) {
        printf("  %zu. %.2f  %s\n", i + 1, r->top[i].score,
               r->top[i].words ? r->top[i].words : r->top[i].desc);
        printf("           %s\n", r->top[i].desc);
        if (r->top[i].target)
            printf("           target: %s\n", r->top[i].target);
        if (explain && r->top[i].features)
            printf("           %s\n", r->top[i].features);
    }
}

/* The target --fix writes for R: candidate --pick N's, else the one
 * resolved (TARGET itself when explicit); NULL with a line on stderr. */
static const char *fix_choice(const struct run_opts *o, const char *target,
                              const struct sel_target *tg,
                              const struct sel_result *r, int *code)
{
    if (o->fix_pick) {
        const struct sel_cand_info *c = (size_t)o->fix_pick <= r->ntop ?
                                        &r->top[o->fix_pick - 1] : NULL;
        if (c && c->target)
            return c->target;
        fprintf(stderr, "cdpilot: resolve: --pick %ld: %s\n", o->fix_pick,
                c ? "no target was found that picks this candidate alone" :
                r->ntop ? "no such candidate in the list" :
                "no candidates are listed");
        *code = RUN_EXIT_LLM;
        return NULL;
    }
    if (r->code == SEL_OK && (tg->strategy != SEL_INTENT || r->selector))
        return tg->strategy != SEL_INTENT ? target : r->selector;
    if (r->code == SEL_OK || r->code == SEL_E_UNCERTAIN) {
        fprintf(stderr, "cdpilot: resolve: --fix: \"%s\" %s; choose one "
                "of the candidates listed with --pick N\n", target,
                r->code == SEL_OK ? "has no target to write" :
                "is uncertain");
        *code = RUN_EXIT_LLM;
    }
    return NULL;
}

/* --fix: the choice written into the step found before the browser. */
static int fix_task(struct run_fix *f, const struct run_opts *o,
                    const char *target, const struct sel_target *tg,
                    const struct sel_result *r, int code)
{
    char err[RUN_ERR_LEN];
    const char *choice;

    if (code == RUN_EXIT_BROWSER)       /* its one line is out */
        return code;
    choice = fix_choice(o, target, tg, r, &code);
    if (!choice)
        return code;
    if (run_fix_write(f, choice, err, sizeof err)) {
        fprintf(stderr, "cdpilot: resolve: %s\n", err);
        return RUN_EXIT_USAGE;
    }
    fprintf(stderr, "fixed: %s step %d: \"%s\" -> %s\n", f->file, f->index,
            target, choice);
    return RUN_EXIT_OK;
}

int run_resolve_cmd(const char *url, const char *target,
                    const struct run_opts *o)
{
    struct run_task t;
    struct run_task_report rep;
    struct run_live e;
    struct sel_target tg;
    struct sel_opts so;
    struct sel_result r;
    struct run_fix fix;
    char err[RUN_ERR_LEN];
    const char *kind;
    int code;

    memset(&fix, 0, sizeof fix);
    if (o->kind && want_named(o->kind) == SEL_WANT_CLICK &&
        strcmp(o->kind, "click") != 0) {
        fprintf(stderr, "cdpilot: --kind \"%s\": expected click, fill, "
                "select, check, hover, extract or wait_for\n", o->kind);
        return RUN_EXIT_USAGE;
    }
    if (!o->fix && (o->fix_step || o->fix_pick)) {
        run_usage_err("resolve", "%s goes with --fix TASK.json",
                      o->fix_step ? "--step" : "--pick");
        return RUN_EXIT_USAGE;
    }
    if (o->fix && run_fix_prepare(&fix, o->fix, o->fix_step, target, err,
                                  sizeof err)) {
        fprintf(stderr, "cdpilot: resolve: %s\n", err);
        return RUN_EXIT_USAGE;
    }
    if (sel_target_parse(target, &tg, err, sizeof err)) {
        fprintf(stderr, "cdpilot: resolve: %s\n", err);
        run_fix_clear(&fix);
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
    code = run_live_setup(&e, err, sizeof err);
    if (!code)
        code = run_live_browser(&e, err, sizeof err);
    if (!code && sel_goto(e.page, url, e.conf.nav_ms, err, sizeof err))
        code = RUN_EXIT_BROWSER;
    if (code) {
        fprintf(stderr, "cdpilot: resolve: %s\n", err);
        sel_target_clear(&tg);
        run_fix_clear(&fix);
        run_live_close(&e);
        return code;
    }
    so = e.conf.sel;
    /* --fix: resolved as the step's kind, unless --kind says otherwise */
    kind = o->kind ? o->kind : fix.doc ? fix.kind : NULL;
    so.want = want_named(kind);
    so.step_kind = kind ? kind : "click";
    so.timeout_ms = e.conf.step_ms;
    so.explain = 1;
    sel_resolve(e.page, &tg, &so, &r);
    code = run_exit_of(r.code);
    if (o->json)
        print_json(target, &tg, &r);
    else
        print_text(target, &tg, so.step_kind, &r, o->explain);
    if (fix.doc)
        code = fix_task(&fix, o, target, &tg, &r, code);
    run_fix_clear(&fix);
    sel_result_clear(&r);
    sel_target_clear(&tg);
    run_live_close(&e);
    return code;
}
