/* exec_int.h -- runner internals shared by the commands (cli.c,
 * options.c, doctor.c, cache_cmd.c, smoke*.c), exec.c and report.c (not
 * API). */
#ifndef CDPILOT_EXEC_INT_H
#define CDPILOT_EXEC_INT_H

#include "runner.h"
#include "run_int.h"
#include "../selectors/sel.h"
#include <signal.h>
#include <stdio.h>
#include <cjson/cJSON.h>

/* Command-line options common to run, do, resolve and smoke. */
struct run_opts {
    const char *profile;      /* --profile */
    const char *chrome;       /* --chrome */
    const char *connect;      /* --connect WS_URL */
    int headful;
    const char *cache_path;   /* --cache */
    int no_cache, no_llm, json, quiet, verbose;
    const char *trace_dir;    /* --trace */
    const char *resume;       /* --resume RUN_ID */
    const char *run_id;       /* --run-id ID: name the run (CI job id) */
    const char *base_url;     /* --base-url URL: overrides the task's */
    int timeout_ms;           /* --timeout, -1 when not given */
    int restart_browser;
    struct run_vars vars;     /* --var K=V */
    int explain;              /* resolve --explain */
    const char *kind;         /* resolve --kind */
};

/* options.c: the one option parser (see its top). A command lists its
 * options in a table ending with a NULL name; run_opt_next returns the
 * next option's id (its value, if it takes one, in sc->value; the words
 * it spans from sc->argv[sc->first]), RUN_OPT_WORD for a word that is no
 * option (in sc->value), RUN_OPT_END, or RUN_OPT_BAD after printing the
 * usage error. A command takes the common options its sc->common names
 * besides its own table (which may be empty: { NULL }). run_common_opts are the options of run, do, resolve and
 * doctor; run_opt_apply checks one of them and stores it into O (0, or
 * -1 after printing the usage error). CMD names the command in errors
 * (NULL: none). */
enum {
    RUN_OPT_BAD = -3, RUN_OPT_END = -2, RUN_OPT_WORD = -1,
    RUN_O_PROFILE = 0, RUN_O_CHROME, RUN_O_CONNECT, RUN_O_CACHE,
    RUN_O_TRACE, RUN_O_VAR, RUN_O_RESUME, RUN_O_TIMEOUT, RUN_O_KIND,
    RUN_O_RUN_ID, RUN_O_BASE_URL, RUN_O_HEADFUL, RUN_O_NO_CACHE,
    RUN_O_NO_LLM, RUN_O_JSON, RUN_O_EXPLAIN, RUN_O_RESTART_BROWSER,
    RUN_O_QUIET, RUN_O_VERBOSE,
    RUN_O__COMMON                /* a command's own ids start here */
};
struct run_optdef {
    const char *name;            /* "--jobs" */
    const char *alias;           /* "-j", or NULL */
    int takes_value;
    int id;
};
struct run_optscan {
    int argc;
    char **argv;
    const char *cmd;             /* named in errors, NULL for none */
    unsigned common;             /* run_common_opts also taken: their
                                    ids as bits (RUN_OPT_BIT) */
    int i, first, done;          /* next word; the option's first; "--" */
    const struct run_optdef *def;
    const char *value;
};
#define RUN_OPT_BIT(id) (1u << (id))
#define RUN_OPT_ALL     (RUN_OPT_BIT(RUN_O__COMMON) - 1)
extern const struct run_optdef run_common_opts[];
int  run_opt_next(struct run_optscan *sc, const struct run_optdef *defs);
int  run_opt_apply(struct run_opts *o, int id, const char *v,
                   const char *cmd);
void run_usage_err(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* What happened to one step, for the human lines and the JSON report. */
struct step_report {
    const struct run_step *step;
    char *target;             /* expanded target, NULL when none */
    int status;               /* 0 passed, 1 failed, 2 skipped (resume) */
    int optional_failed;
    int crashed;              /* the browser died during this step */
    int restarted;            /* ... and was relaunched for a retry */
    int attempts;
    int acted;                /* the last attempt got as far as acting */
    int not_retried;          /* ... so "idempotent": false kept it at one */
    int target_secret;        /* the expanded target holds a secret */
    int64_t ms, us;           /* duration, in ms and in µs */
    struct sel_result res;    /* resolution, when the step had a target */
    int has_res;
    sel_code code;
    char *error;              /* one line */
    char *value;              /* extract/eval result (redacted if secret) */
    char *screenshot;         /* trace or failure screenshot path */
    char **dialogs; size_t ndialogs;
    char *url;                /* page URL at failure */
    char *html;               /* page HTML saved at failure */
    char **console; size_t nconsole;  /* console errors up to a failure */
};

struct task_report {
    const struct run_task *task;
    const char *run_id;
    int exit_code;
    int interrupted;
    int64_t started_ms, ms;
    struct step_report *steps;
    size_t nsteps;
    char profile[256];
    char browser_path[4096], browser_why[128];
    char product[128], protocol[32], user_agent[512];
    int no_sandbox;
    const char *connect;
    /* LLM totals */
    int llm_calls; long llm_prompt_tokens, llm_completion_tokens;
    double llm_cost; int64_t llm_ms; char llm_model[256];
    int cache_used; char cache_path[4096];
    int resumed_from;         /* first step run on --resume, else -1 */
    char artifacts[4096];     /* the run's trace or failures folder, or "" */
};

/* exec.c */
int  run_task_exec(const struct run_task *t, const struct run_opts *o,
                   struct task_report *rep);
void task_report_free(struct task_report *rep);
int  run_resolve_cmd(const char *url, const char *target,
                     const struct run_opts *o);

/* artifacts.c: the folder for the files a run without --trace saves when
 * a step fails, $TMPDIR/cdpilot-failures-UID/RUN_ID (0700), into OUT.
 * Made on first use; making it removes the other run folders there but
 * the RUN_ART_KEEP newest and those changed in the last RUN_ART_FRESH_S
 * seconds. 0, or -1 (errno). */
#define RUN_ART_KEEP    20
#define RUN_ART_FRESH_S 3600
int  run_artifacts_dir(const char *run_id, char *out, size_t n);

/* doctor.c, cache_cmd.c, smoke.c: the commands besides run and do */
int  run_doctor(const struct run_opts *o);
int  run_cache_cmd(int argc, char **argv, struct run_opts *o);
int  run_smoke_cmd(int argc, char **argv, struct run_opts *o);

/* report.c */
void report_step_line(const struct task_report *r, const struct step_report *s,
                      const struct run_opts *o, int live);
void report_task_end(const struct task_report *r, const struct run_opts *o);
cJSON *report_task_json(const struct task_report *r);
void report_print_json(cJSON *tasks, int exit_code);
int  report_exit_of(sel_code c);

/* The process-wide interrupt flag set by the signal handler. */
extern volatile sig_atomic_t run_interrupted;

#endif
