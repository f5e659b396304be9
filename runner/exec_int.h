/* exec_int.h -- runner internals shared by the commands (cli.c,
 * options.c, doctor.c, cache_cmd.c, smoke*.c, resolve_cmd.c), the running
 * of a task (exec.c, live.c, step.c, artifacts.c) and its reports
 * (report.c). Not API. */
#ifndef CDPILOT_EXEC_INT_H
#define CDPILOT_EXEC_INT_H

#include "runner.h"
#include "run_int.h"
#include "../cdp/cdp.h"
#include "../llm/llm.h"
#include "../selectors/sel.h"
#include <signal.h>
#include <stdio.h>
#include <cjson/cJSON.h>

#define RUN_MAX_BLOCK 64     /* --block patterns */

/* Command-line options common to run, do, resolve and smoke. */
struct run_opts {
    const char *profile;      /* --profile */
    const char *chrome;       /* --chrome */
    const char *connect;      /* --connect WS_URL */
    const char *grid;         /* --grid URL: a session per task there */
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
    const char *block[RUN_MAX_BLOCK]; /* --block PATTERN, repeatable */
    size_t nblock;
    int explain;              /* resolve --explain */
    const char *kind;         /* resolve --kind */
    const char *fix;          /* resolve --fix TASK.json */
    long fix_step, fix_pick;  /* resolve --step N, --pick N; 0 not given */
    const char *state;        /* --state FILE: loaded before step 1 */
    const char *save_state;   /* --save-state FILE: written after a pass */
    const char *report_html;  /* --report FILE.html */
    const char *browser_version; /* --browser-version PIN (pin.c) */
    const char *on_failure;   /* --on-failure CMD (notify.c) */
    const char *notify_url;   /* --notify URL (notify.c) */
    int no_notify;            /* --no-notify: neither, nor the profile's */
    const char *resume_cmd;   /* how to start this run again, shell-quoted
                                 ("run t.json", "do URL STEP..."), for the
                                 resume hint; NULL: none */
};

/* options.c: the one option parser (see its top). A command lists its
 * options in a table ending with a NULL name; run_opt_next returns the
 * next option's id (its value, if it takes one, in sc->value; the words
 * it spans from sc->argv[sc->first]), RUN_OPT_WORD for a word that is no
 * option (in sc->value), RUN_OPT_END, or RUN_OPT_BAD after printing the
 * usage error. A command takes the common options its sc->common names
 * besides its own table (which may be empty: { NULL }). run_common_opts
 * are the options of run, do, resolve and doctor; run_opt_apply checks
 * one of them and stores it into O (0, or -1 after printing the usage
 * error). CMD names the command in errors (NULL: none). */
enum {
    RUN_OPT_BAD = -3, RUN_OPT_END = -2, RUN_OPT_WORD = -1,
    RUN_O_PROFILE = 0, RUN_O_CHROME, RUN_O_CONNECT, RUN_O_CACHE,
    RUN_O_TRACE, RUN_O_VAR, RUN_O_RESUME, RUN_O_TIMEOUT, RUN_O_KIND,
    RUN_O_RUN_ID, RUN_O_BASE_URL, RUN_O_HEADFUL, RUN_O_NO_CACHE,
    RUN_O_NO_LLM, RUN_O_JSON, RUN_O_EXPLAIN, RUN_O_RESTART_BROWSER,
    RUN_O_QUIET, RUN_O_VERBOSE, RUN_O_BLOCK, RUN_O_STATE, RUN_O_SAVE_STATE,
    RUN_O_REPORT,
    RUN_O_FIX, RUN_O_FIX_STEP, RUN_O_FIX_PICK,
    RUN_O_BROWSER_VERSION, RUN_O_ON_FAILURE, RUN_O_NOTIFY, RUN_O_NO_NOTIFY,
    RUN_O_GRID,
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
    uint64_t common;             /* run_common_opts also taken: their
                                    ids as bits (RUN_OPT_BIT) */
    int i, first, done;          /* next word; the option's first; "--" */
    const struct run_optdef *def;
    const char *value;
};
#define RUN_OPT_BIT(id) (UINT64_C(1) << (id))
#define RUN_OPT_ALL     (RUN_OPT_BIT(RUN_O__COMMON) - 1)
extern const struct run_optdef run_common_opts[];
int  run_opt_next(struct run_optscan *sc, const struct run_optdef *defs);
int  run_opt_apply(struct run_opts *o, int id, const char *v,
                   const char *cmd);
/* --connect and --grid (grid_run.c): checked and stored into O; the two
 * together are a usage error. 0, or -1 after the usage error. */
int  run_grid_opt(struct run_opts *o, int id, const char *v,
                  const char *cmd);
void run_usage_err(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* What happened to one step, for the human lines and the JSON report. */
struct run_step_report {
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
    cJSON *file;              /* upload / download: what it moved */
    int tab, tab_after;       /* the tab it ran in and the one current
                                 after it (indexes; -1 unknown) */
};

struct run_task_report {
    const struct run_task *task;
    const char *run_id;
    int exit_code;
    int interrupted;
    int64_t started_ms, ms;
    struct run_step_report *steps;
    size_t nsteps;
    char profile[256];
    char browser_path[4096], browser_why[128];
    char product[128], protocol[32], user_agent[512];
    int no_sandbox;
    const char *connect;
    const char *grid;         /* --grid URL, or NULL */
    char grid_session[128];   /* its WebDriver session id, or "" */
    /* LLM totals */
    int llm_calls; long llm_prompt_tokens, llm_completion_tokens;
    double llm_cost; int64_t llm_ms; char llm_model[256];
    int cache_used; char cache_path[4096];
    int resumed_from;         /* first step run on --resume, else -1 */
    char artifacts[4096];     /* the run's trace or failures folder, or "" */
    char setup_error[512];    /* why the task did not start, or "" */
};

/* What a profile and the command line ask of the modules a run drives,
 * as the option structs they take. Filled in one place, run_conf_fill();
 * pointers are into P and O. LAUNCH lacks the browser's path (found when
 * it starts); SEL lacks what each resolution sets (want, step_kind, nth,
 * timeout_ms, ahead, recent_form) and the handles made at setup (cache,
 * hx, llm); LLM is the profile's before llm_config_from_env(). */
struct run_conf {
    struct cdp_launch_opts launch;
    struct sel_page_opts page;
    struct sel_opts sel;
    struct llm_config llm;
    const char *cache_path;   /* --cache, $CDPILOT_CACHE, the profile's;
                                 NULL: the default */
    int launch_ms;            /* launching or connecting to the browser */
    int step_ms;              /* a step without its own timeout_ms */
    int nav_ms;               /* a navigation without its own timeout_ms */
};
void run_conf_fill(struct run_conf *c, const struct run_profile *p,
                   const struct run_opts *o);

/* exec.c: runs task T (browser up, steps with retries and checkpoints,
 * browser down) into REP, printing each step's line; the exit code. */
int  run_task_exec(const struct run_task *t, const struct run_opts *o,
                   struct run_task_report *rep);
void run_task_report_free(struct run_task_report *rep);
/* The flag the signal handler (cli.c) sets: runs stop between steps. */
extern volatile sig_atomic_t run_interrupted;

/* resolve_cmd.c: `cdpilot resolve URL TARGET`. */
int  run_resolve_cmd(const char *url, const char *target,
                     const struct run_opts *o);

/* doctor.c, cache_cmd.c: `cdpilot doctor` and `cdpilot cache …`. */
int  run_doctor(const struct run_opts *o);
int  run_cache_cmd(int argc, char **argv, struct run_opts *o);

/* smoke.c: `cdpilot smoke`. */
int  run_smoke_cmd(int argc, char **argv, struct run_opts *o);

/* artifacts.c: the folder for the files a run without --trace saves when
 * a step fails, $TMPDIR/cdpilot-failures-UID/RUN_ID (0700), into OUT.
 * Made on first use; making it removes the other run folders there but
 * the RUN_ART_KEEP newest and those changed in the last RUN_ART_FRESH_S
 * seconds. 0, or -1 (errno). */
#define RUN_ART_KEEP    20
#define RUN_ART_FRESH_S 3600
int  run_artifacts_dir(const char *run_id, char *out, size_t n);

/* report.c: the human lines (stderr) and the JSON report; the only map
 * from a step's sel_code to an exit code. */
void run_report_step(const struct run_task_report *r,
                     const struct run_step_report *s,
                     const struct run_opts *o, int live);
void run_report_end(const struct run_task_report *r,
                    const struct run_opts *o);
cJSON *run_report_json(const struct run_task_report *r);
/* resolve_fix.c: `resolve --fix FILE`: the step whose target TARGET is
 * (or step STEP, 1-based, when > 0) of task file FILE, found before the
 * browser starts (0, or -1 with ERR); then TARGET written into it, the
 * file replaced atomically (0, or -1 with ERR). */
struct run_fix {
    const char *file;
    cJSON *doc;
    cJSON *step, *holder;     /* the step; the object holding its target */
    const char *key, *kind;   /* the target's member; the step's kind */
    int index;                /* 1-based */
};
int  run_fix_prepare(struct run_fix *f, const char *file, long step,
                     const char *target, char *err, size_t errlen);
int  run_fix_write(struct run_fix *f, const char *target, char *err,
                   size_t errlen);
void run_fix_clear(struct run_fix *f);
/* R's ranked candidates: [{candidate, score[, features]}], best first. */
cJSON *run_report_ranked(const struct sel_result *r);
/* One listed candidate: its score and words, then the target that
 * picks it when known, each line starting with INDENT. */
void run_report_cand(FILE *f, const char *indent,
                     const struct sel_cand_info *c);
void run_report_print_json(cJSON *tasks, int exit_code);
/* report_html.c: --report FILE.html from DOC (a task's --json report or
 * {"tasks": [...]}), redacted, written 0600 and atomically; 0, or -1 with
 * one line in ERR. */
int  run_report_html(const char *path, const cJSON *doc, char *err,
                     size_t errlen);
/* Whether --report PATH can be written: its folder exists and it is not
 * a folder; 0, or -1 after the usage error (CMD names the command). */
int  run_report_html_check(const char *cmd, const char *path);
int  run_exit_of(sel_code c);

/* help.c: each command's help (cdpilot help COMMAND, COMMAND --help),
 * also the source of the man page and the completion scripts
 * (tools/mkhelp). opts: the options completion offers (see help.c). */
struct run_help_page {
    const char *cmd, *summary, *text, *opts;
};
const struct run_help_page *run_help_pages(void);   /* ends with cmd NULL */
const struct run_help_page *run_help_find(const char *cmd);
const char *run_help_overview(void);
int  run_help_print(const char *cmd, FILE *f);  /* NULL: the overview */
/* hint.c: ARGV as shell words ("do 'https://x' click Save"), malloc'ed
 * (NULL: too long or no memory); the command that resumes run R (with
 * O's --profile and --cache), malloc'ed, secrets redacted; NULL when the
 * run cannot be resumed (no cache) or no command is known. */
char *run_command_words(int argc, char *const *argv);
char *run_do_words(int argc, char **argv);
char *run_resume_hint(const struct run_task_report *r,
                      const struct run_opts *o);

/* notify.c: run_notify_add adds failed task R to FAILED (an array);
 * when a run failed (CODE != 0), run_notify sends the failure summary of
 * FAILED (redacted here; NTASKS run in all) to --on-failure /
 * notify.on_failure and to --notify / notify.url (see docs/PROFILES.md
 * "Notifications"). Bounded in time; never changes the exit code. */
void run_notify_add(cJSON *failed, const struct run_task_report *r,
                    const struct run_opts *o);
void run_notify(const struct run_opts *o, const struct run_task *first,
                cJSON *failed, int ntasks, int code);
/* The same entry from a `cdpilot run --json` report REPORT (a smoke
 * task's last attempt; may be NULL) of task FILE that ended with CODE. */
void run_notify_add_report(cJSON *failed, const cJSON *report,
                           const char *file, int code);

#endif
