/* report.c -- what people and machines are told: one line per step on
 * stderr (a live line on a TTY), a one-line summary on success, full
 * detail on failure; --json prints one report on stdout. run_exit_of()
 * is the one map from a step's failure (sel_code) to an exit code. */
#include "exec_int.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

int run_exit_of(sel_code c)
{
    switch (c) {
    case SEL_OK: return RUN_EXIT_OK;
    case SEL_E_UNCERTAIN: case SEL_E_LLM: return RUN_EXIT_LLM;
    case SEL_E_BROWSER: return RUN_EXIT_BROWSER;
    default: return RUN_EXIT_FAILED;
    }
}

static const char *step_label(const struct run_step_report *s, char *buf,
                              size_t n)
{
    const struct run_step *st = s->step;
    const char *what = s->target ? s->target : st->target;

    if (!what && st->kind != RUN_FILL && st->kind != RUN_EVAL)
        what = st->value;
    if (!what)
        what = "";
    snprintf(buf, n, "%s%s%.60s%s", run_kind_name(st->kind),
             *what ? " \"" : "", what, *what ? "\"" : "");
    return buf;
}

/* What an upload or a download moved, after its step's line: the input
 * the files went to; the file kept, its size and SHA-256. */
static void file_line(const struct run_step_report *s)
{
    const cJSON *f = s->file;
    const char *v;

    if (!f || s->status != 0)
        return;
    if (s->step->kind == RUN_UPLOAD) {
        v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f,
                                                                  "input"));
        fprintf(stderr, " -> %.120s", v ? v : "?");
        return;
    }
    v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, "path"));
    fprintf(stderr, " -> %.300s %.0f bytes", v ? v : "?",
            cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(f,
                                                                  "size")));
    v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, "sha256"));
    fprintf(stderr, " sha256 %s", v ? v : "?");
}

void run_report_step(const struct run_task_report *r,
                     const struct run_step_report *s,
                     const struct run_opts *o, int live)
{
    char label[128];
    int tty = isatty(STDERR_FILENO) && live && !o->verbose;

    if (o->quiet && s->status == 0)
        return;
    if (s->status == 2)
        return;
    step_label(s, label, sizeof label);
    if (tty)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "%s %3d/%-3zu %-44s", s->status == 0 ? "  ok " :
            s->optional_failed ? "  opt" : "  FAIL", s->step->index + 1,
            r->task->nsteps, label);
    if (s->has_res && s->res.code == SEL_OK)
        fprintf(stderr, " %-9s %.2f %-28.60s",
                sel_source_name(s->res.source), s->res.confidence,
                s->res.selector ? s->res.selector : "");
    else if (s->status)
        fprintf(stderr, " %-9s", sel_code_class(s->code));
    if (s->res.healed)
        fprintf(stderr, " healed");
    if (s->has_res && s->res.code == SEL_OK && s->res.ahead)
        fprintf(stderr, " ahead");
    fprintf(stderr, " %lld ms", (long long)s->ms);
    file_line(s);
    if (tty && s->status == 0)
        fflush(stderr);
    else
        fputc('\n', stderr);
}

static void task_counts(const struct run_task_report *r, int counts[4],
                        int *done)
{
    size_t i;

    memset(counts, 0, 4 * sizeof *counts);
    *done = 0;
    for (i = 0; i < r->nsteps; i++) {
        const struct run_step_report *s = &r->steps[i];
        if (s->status == 0)
            (*done)++;
        if (s->has_res && s->res.code == SEL_OK)
            counts[s->res.source]++;
    }
}

/* S quoted for a POSIX shell, to stderr. */
static void shell_word(const char *s)
{
    fputc('\'', stderr);
    for (; *s; s++)
        if (*s == '\'')
            fputs("'\\''", stderr);
        else
            fputc(*s, stderr);
    fputc('\'', stderr);
}

/* An uncertain step whose candidates have targets: the command that
 * writes one of them into the task file (docs/CLI.md "resolve --fix"). */
static void fix_hint(const struct run_task_report *r,
                     const struct run_step_report *s)
{
    size_t j;

    for (j = 0; j < s->res.ntop && !s->res.top[j].target; j++)
        ;
    if (s->code != SEL_E_UNCERTAIN || j == s->res.ntop || !s->url ||
        !s->step->target || !r->task->file || r->task->file[0] == '(' ||
        strcmp(r->task->file, "-") == 0)
        return;
    fputs("  settle it:  cdpilot resolve ", stderr);
    shell_word(s->url);
    fputc(' ', stderr);
    shell_word(s->step->target);
    fputs(" --fix ", stderr);
    shell_word(r->task->file);
    fprintf(stderr, " --step %d --pick N\n", s->step->index + 1);
}

void run_report_end(const struct run_task_report *r, const struct run_opts *o)
{
    const char *name = r->task->name ? r->task->name : r->task->file;
    int counts[4], done;
    size_t i, j;

    task_counts(r, counts, &done);
    if (isatty(STDERR_FILENO) && !o->verbose)
        fputs("\r\033[K", stderr);
    if (r->exit_code == RUN_EXIT_OK) {
        fprintf(stderr, "PASS %s: %d steps in %.2f s (explicit %d, cache %d, "
                "heuristic %d, llm %d; %d LLM calls) [%s, CDP %s%s%s]\n",
                name, done, r->ms / 1000.0, counts[0], counts[1], counts[2],
                counts[3], r->llm_calls, r->product, r->protocol,
                r->grid ? ", grid session " : "",
                r->grid ? (r->grid_session[0] ? r->grid_session : "ws")
                        : "");
        return;
    }
    if (r->nsteps == 0 && !r->interrupted)
        return;   /* setup failed: its one line is already out */
    if (r->nsteps == 0 || r->steps[r->nsteps - 1].status != 1) {
        fprintf(stderr, "FAIL %s: %s after %d steps\n", name,
                r->interrupted ? "interrupted" : "stopped", done);
        return;
    }
    {
        const struct run_step_report *s = &r->steps[r->nsteps - 1];
        char label[128];
        step_label(s, label, sizeof label);
        fprintf(stderr, "FAIL %s: step %d/%zu (%s) %s after %lld ms%s\n",
                name, s->step->index + 1, r->task->nsteps, label,
                s->crashed ? "browser-crashed" : sel_code_class(s->code),
                (long long)s->ms,
                r->interrupted ? " (interrupted)" : "");
        if (s->step->id)
            fprintf(stderr, "  step id:    %s\n", s->step->id);
        fprintf(stderr, "  error:      %s\n", s->error ? s->error : "?");
        if (s->res.seen)
            fprintf(stderr, "  seen:       %s\n", s->res.seen);
        if (s->attempts > 1)
            fprintf(stderr, "  attempts:   %d\n", s->attempts);
        if (s->res.ntop) {
            fprintf(stderr, "  candidates (score):\n");
            for (j = 0; j < s->res.ntop; j++) {
                run_report_cand(stderr, "    ", &s->res.top[j]);
                if (s->res.top[j].features)
                    fprintf(stderr, "          %s\n", s->res.top[j].features);
            }
        }
        if (s->url)
            fprintf(stderr, "  page:       %s\n", s->url);
        fix_hint(r, s);
        if (s->screenshot)
            fprintf(stderr, "  screenshot: %s\n", s->screenshot);
        if (s->html)
            fprintf(stderr, "  html:       %s\n", s->html);
        if (r->artifacts[0])
            fprintf(stderr, "  artifacts:  %s\n", r->artifacts);
        for (i = 0; i < s->nconsole && i < 5; i++)
            fprintf(stderr, "  console:    %.300s\n", s->console[i]);
        for (i = 0; i < s->ndialogs; i++)
            fprintf(stderr, "  dialog:     %s\n", s->dialogs[i]);
        fprintf(stderr, "  run:        %s [%s, CDP %s%s%s]%s\n", r->run_id,
                r->product[0] ? r->product : "no browser",
                r->protocol[0] ? r->protocol : "-",
                r->grid ? ", grid session " : "",
                r->grid ? (r->grid_session[0] ? r->grid_session : "ws")
                        : "",
                r->exit_code == RUN_EXIT_FAILED && !r->interrupted ?
                "" : "");
        {
            char *hint = run_resume_hint(r, o);
            if (hint)
                fprintf(stderr, "  resume:     %s\n", hint);
            free(hint);
        }
    }
}

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

void run_report_cand(FILE *f, const char *indent,
                     const struct sel_cand_info *c)
{
    fprintf(f, "%s%.2f  %s\n", indent, c->score, c->words ? c->words
            : c->desc);
    if (c->target)
        fprintf(f, "%s      target: %s\n", indent, c->target);
}

cJSON *run_report_ranked(const struct sel_result *r)
{
    cJSON *a = cJSON_CreateArray();
    size_t i;

    for (i = 0; i < r->ntop; i++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "candidate", r->top[i].desc);
        cJSON_AddNumberToObject(c, "score", r->top[i].score);
        if (r->top[i].words)
            cJSON_AddStringToObject(c, "words", r->top[i].words);
        if (r->top[i].target)
            cJSON_AddStringToObject(c, "target", r->top[i].target);
        if (r->top[i].features)
            cJSON_AddStringToObject(c, "features", r->top[i].features);
        cJSON_AddItemToArray(a, c);
    }
    return a;
}

static cJSON *step_json(const struct run_step_report *s)
{
    cJSON *o = cJSON_CreateObject(), *t;
    const struct sel_result *r = &s->res;
    size_t i;

    cJSON_AddNumberToObject(o, "index", s->step->index + 1);
    add_str(o, "id", s->step->id);
    cJSON_AddStringToObject(o, "kind", run_kind_name(s->step->kind));
    add_str(o, "target", s->target ? s->target : s->step->target);
    cJSON_AddStringToObject(o, "status", s->status == 0 ? "passed" :
                            s->status == 2 ? "skipped" : s->optional_failed ?
                            "failed-optional" : "failed");
    /* the tab it ran in (0: the first), and where the run went on */
    if (s->status != 2 && s->tab >= 0)
        cJSON_AddNumberToObject(o, "tab", s->tab);
    if (s->status != 2 && s->tab_after >= 0 && s->tab_after != s->tab)
        cJSON_AddNumberToObject(o, "tab_after", s->tab_after);
    if (s->has_res && r->code == SEL_OK) {
        cJSON_AddStringToObject(o, "source", sel_source_name(r->source));
        add_str(o, "selector", r->selector);
        cJSON_AddNumberToObject(o, "confidence", r->confidence);
        cJSON_AddNumberToObject(o, "margin", r->margin);
        cJSON_AddNumberToObject(o, "candidates", r->candidates);
        if (r->ahead)
            cJSON_AddBoolToObject(o, "ahead", 1);
    } else {
        cJSON_AddNullToObject(o, "source");
        cJSON_AddNullToObject(o, "selector");
        cJSON_AddNullToObject(o, "confidence");
    }
    cJSON_AddBoolToObject(o, "healed", r->healed);
    if (r->healed)
        add_str(o, "old_selector", r->old_selector);
    cJSON_AddNumberToObject(o, "attempts", s->attempts);
    cJSON_AddNumberToObject(o, "duration_ms", (double)s->ms);
    cJSON_AddNumberToObject(o, "duration_us", (double)s->us);
    if (s->has_res) {
        t = cJSON_AddObjectToObject(o, "timings_us");
        cJSON_AddNumberToObject(t, "resolve", (double)r->us_total);
        cJSON_AddNumberToObject(t, "cache", (double)r->us_cache);
        cJSON_AddNumberToObject(t, "collect", (double)r->us_collect);
        cJSON_AddNumberToObject(t, "collect_page",
                                (double)r->us_collect_page);
        cJSON_AddNumberToObject(t, "score", (double)r->us_score);
        if (r->us_ahead)
            cJSON_AddNumberToObject(t, "ahead", (double)r->us_ahead);
        cJSON_AddNumberToObject(t, "llm", (double)r->us_llm);
    }
    if (r->llm_model) {
        t = cJSON_AddObjectToObject(o, "llm");
        cJSON_AddStringToObject(t, "model", r->llm_model);
        cJSON_AddNumberToObject(t, "prompt_tokens",
                                (double)r->llm_prompt_tokens);
        cJSON_AddNumberToObject(t, "completion_tokens",
                                (double)r->llm_completion_tokens);
        cJSON_AddNumberToObject(t, "latency_ms", (double)r->llm_latency_ms);
        add_str(t, "reason", r->llm_reason);
    }
    if (s->crashed)
        cJSON_AddBoolToObject(o, "browser_restarted", s->restarted);
    if (s->status == 1) {
        cJSON_AddStringToObject(o, "error_class", s->crashed ?
                                "browser-crashed" : sel_code_class(s->code));
        add_str(o, "error", s->error);
        add_str(o, "seen", r->seen);
        add_str(o, "url", s->url);
    }
    /* the candidates weighed: for a failure, and for plain words the
     * heuristics or the LLM settled */
    if (r->ntop && (s->status == 1 || (s->has_res && r->code == SEL_OK &&
                                       r->source >= SEL_SRC_HEURISTIC)))
        cJSON_AddItemToObject(o, "top_candidates", run_report_ranked(r));
    if (s->value)
        cJSON_AddStringToObject(o, "value", s->value);
    if (s->screenshot)
        cJSON_AddStringToObject(o, "screenshot", s->screenshot);
    if (s->file)
        cJSON_AddItemToObject(o, s->step->kind == RUN_UPLOAD ? "upload" :
                              "download", cJSON_Duplicate(s->file, 1));
    if (s->html)
        cJSON_AddStringToObject(o, "html", s->html);
    if (s->nconsole) {
        cJSON *a = cJSON_AddArrayToObject(o, "console_errors");
        for (i = 0; i < s->nconsole; i++)
            cJSON_AddItemToArray(a, cJSON_CreateString(s->console[i]));
    }
    if (s->ndialogs) {
        cJSON *a = cJSON_AddArrayToObject(o, "dialogs");
        for (i = 0; i < s->ndialogs; i++)
            cJSON_AddItemToArray(a, cJSON_CreateString(s->dialogs[i]));
    }
    return o;
}

cJSON *run_report_json(const struct run_task_report *r)
{
    cJSON *o = cJSON_CreateObject(), *b, *a, *l;
    size_t i;

    cJSON_AddNumberToObject(o, "schema_version", 1);
    cJSON_AddStringToObject(o, "run_id", r->run_id);
    add_str(o, "task", r->task->name);
    cJSON_AddStringToObject(o, "file", r->task->file);
    cJSON_AddStringToObject(o, "status", r->exit_code == 0 ? "passed" :
                            r->interrupted ? "interrupted" : "failed");
    cJSON_AddNumberToObject(o, "exit_code", r->exit_code);
    add_str(o, "profile", r->profile[0] ? r->profile : NULL);
    cJSON_AddNumberToObject(o, "started_ms", (double)r->started_ms);
    cJSON_AddNumberToObject(o, "duration_ms", (double)r->ms);
    if (r->resumed_from >= 0)
        cJSON_AddNumberToObject(o, "resumed_at_step", r->resumed_from + 1);
    add_str(o, "artifacts", r->artifacts[0] ? r->artifacts : NULL);
    b = cJSON_AddObjectToObject(o, "browser");
    add_str(b, "product", r->product[0] ? r->product : NULL);
    add_str(b, "protocol", r->protocol[0] ? r->protocol : NULL);
    add_str(b, "user_agent", r->user_agent[0] ? r->user_agent : NULL);
    add_str(b, "path", r->browser_path[0] ? r->browser_path : NULL);
    add_str(b, "chosen_by", r->browser_why[0] ? r->browser_why : NULL);
    add_str(b, "connect", r->connect);
    add_str(b, "grid", r->grid);
    add_str(b, "grid_session", r->grid_session[0] ? r->grid_session : NULL);
    cJSON_AddBoolToObject(b, "no_sandbox", r->no_sandbox);
    l = cJSON_AddObjectToObject(o, "llm");
    add_str(l, "model", r->llm_model[0] ? r->llm_model : NULL);
    cJSON_AddNumberToObject(l, "calls", r->llm_calls);
    cJSON_AddNumberToObject(l, "prompt_tokens", (double)r->llm_prompt_tokens);
    cJSON_AddNumberToObject(l, "completion_tokens",
                            (double)r->llm_completion_tokens);
    cJSON_AddNumberToObject(l, "estimated_cost", r->llm_cost);
    cJSON_AddNumberToObject(l, "latency_ms", (double)r->llm_ms);
    b = cJSON_AddObjectToObject(o, "cache");
    cJSON_AddBoolToObject(b, "enabled", r->cache_used);
    add_str(b, "path", r->cache_path[0] ? r->cache_path : NULL);
    a = cJSON_AddArrayToObject(o, "steps");
    for (i = 0; i < r->nsteps; i++)
        cJSON_AddItemToArray(a, step_json(&r->steps[i]));
    return o;
}

void run_report_print_json(cJSON *tasks, int exit_code)
{
    cJSON *o;
    struct rusage ru;
    char *s;

    if (cJSON_GetArraySize(tasks) == 1) {
        o = cJSON_DetachItemFromArray(tasks, 0);
        cJSON_Delete(tasks);
    } else {
        o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "schema_version", 1);
        cJSON_AddStringToObject(o, "status", exit_code ? "failed" : "passed");
        cJSON_AddNumberToObject(o, "exit_code", exit_code);
        cJSON_AddItemToObject(o, "tasks", tasks);
    }
    getrusage(RUSAGE_SELF, &ru);
    {
        cJSON *c = cJSON_AddObjectToObject(o, "controller");
        cJSON_AddNumberToObject(c, "cpu_ms",
            (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
            (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0);
        cJSON_AddNumberToObject(c, "max_rss_kb", (double)ru.ru_maxrss);
    }
    run_redact_json(o);         /* the last gate before stdout */
    s = cJSON_Print(o);
    if (s) {
        fputs(s, stdout);
        fputc('\n', stdout);
        free(s);
    }
    cJSON_Delete(o);
}
