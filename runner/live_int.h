/* live_int.h -- one task's live state and the files that share it:
 * live.c (setup, browser up and down), step.c (one attempt of a step),
 * exec.c (the task: retries, checkpoints), artifacts.c (what a step
 * leaves behind) and resolve_cmd.c. Never included outside runner/. */
#ifndef CDPILOT_LIVE_INT_H
#define CDPILOT_LIVE_INT_H

#include "exec_int.h"

#include <stdint.h>
#include <stdio.h>

struct cache;
struct heur_ctx;
struct llm;

struct run_live {
    const struct run_opts *o;
    const struct run_task *t;
    struct run_task_report *rep;
    struct run_profile prof;
    struct run_conf conf;     /* from PROF and O (run_conf_fill) */
    struct cdp_browser *browser;
    struct cdp_conn *conn;
    struct sel_page *page;
    char *context;            /* browser context id when connected */
    char grid_sid[128];       /* the --grid session held now, or "" */
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
                                 goto or key press (exec.c note_form()) */
    struct run_dl *last_dl;   /* the last download kept (files.c) */
    /* marks in the page's network log (expect.c) */
    unsigned step_marks[2];   /* at the start of the previous step, and
                                 of this one */
    unsigned resp_used;       /* the response a wait_for last took */
    unsigned failed_mark, console_mark;  /* checked up to here */
    struct sel_tabs *tabs;    /* the run's tabs, in the order they opened */
    struct sel_state *origins;/* the web origins the run's pages visited */
    cJSON *ckpt;              /* the session state last checkpointed */
    char *ckpt_text;          /* ... as written (state.c) */
    char ckpt_path[4400];     /* its 0600 file, "" until written */
    int trace_quiet;          /* session state on the socket: the trace
                                 leaves those messages out */
    int state_secrets;        /* state values made secrets (state.c) */
};

/* files.c: the upload, download and assert download steps, each one
 * attempt of step ST (SR's resolved element for the first two); and the
 * run's last download, kept where the step said. */
struct run_dl {
    char *path, *name;        /* where it is kept; the browser's name */
    int64_t size;
    char sha256[65];
};
sel_code run_files_upload(struct run_live *e, const struct run_step *st,
                          struct run_step_report *sr, int timeout_ms,
                          char *err, size_t errlen);
sel_code run_files_download(struct run_live *e, const struct run_step *st,
                            struct run_step_report *sr, int timeout_ms,
                            char *err, size_t errlen);
sel_code run_files_expect(struct run_live *e, const struct run_step *st,
                          char *err, size_t errlen);
void run_files_clear(struct run_live *e);

/* live.c. Setup loads the profile, fills CONF, sets the variables,
 * registers the secrets and opens the heuristics, the cache, the LLM and
 * the trace; browser launches (or connects) and opens the page; restart
 * does that again after a crash, keeping the rest; close frees it all
 * (every path, also after a failed setup). Exit codes, with ERR. */
int  run_live_setup(struct run_live *e, char *err, size_t errlen);
int  run_live_browser(struct run_live *e, char *err, size_t errlen);
int  run_live_restart(struct run_live *e, char *err, size_t errlen);
void run_live_close(struct run_live *e);
/* 1 when the browser, its connection or the page's renderer is gone. */
int  run_live_gone(struct run_live *e);
/* grid_run.c: --grid. Connect makes a session on the grid (after ending
 * the sessions that dead cdpilot processes left there), records it in
 * the cache, connects to its browser and makes the task's context;
 * release ends it and forgets it (every path: close, restart). */
int  run_grid_connect(struct run_live *e, char *err, size_t errlen);
void run_grid_release(struct run_live *e);
/* Sets an extracted variable (kept for checkpoints too): 0 or -1. */
int  run_live_set_var(struct run_live *e, const char *name,
                      const char *value);
/* Says once per process that cache PATH is locked by another process. */
void run_cache_lock_note(const char *path);

/* step.c: one attempt of step ST: expands its value, resolves its
 * target, does what its kind says, records it in SR. */
sel_code run_step_once(struct run_live *e, const struct run_step *st,
                       struct run_step_report *sr);
/* Sets SR's error to MSG and code to C; returns C. */
sel_code run_step_fail(struct run_step_report *sr, sel_code c,
                       const char *msg);

/* The target of step ST resolved for WANT into SR->res (step.c). */
sel_code run_step_resolve(struct run_live *e, const struct run_step *st,
                          struct run_step_report *sr, enum sel_want want,
                          int timeout_ms);

/* expect.c: the checks step.c leaves to it (run_expect_mine(ST)): a
 * target's text, value, attribute, state, count, the title, "not", and
 * the network. VALUE is the step's expanded value. A SEL code, ERR set. */
int      run_expect_mine(const struct run_step *st);
sel_code run_expect(struct run_live *e, const struct run_step *st,
                    struct run_step_report *sr, const char *value,
                    int timeout, char *err, size_t errlen);
/* The network marks: at the task's start, at each step's start. */
void     run_expect_begin(struct run_live *e);
void     run_expect_step(struct run_live *e);
/* After a step passed: the task's or profile's "checks"; a failure
 * fails SR. */
sel_code run_expect_after(struct run_live *e, struct run_step_report *sr);
/* state.c: the session state of a run (docs/TASKS.md "Session state").
 * run_state_attach follows the tabs and origins of a new page (after
 * run_live_browser), run_state_detach lets go of them (ALL: and of the
 * checkpointed state, at the run's end); run_state_start
 * loads --state, then a resumed run's checkpoint; run_state_step runs a
 * save_state or load_state step (PATH expanded); run_state_checkpoint
 * keeps the state after a passed step ST in the run's 0600 file;
 * run_state_finish writes --save-state after a passed run and removes
 * the checkpoint file then: the exit code. */
void run_state_attach(struct run_live *e);
void run_state_detach(struct run_live *e, int all);
int  run_state_start(struct run_live *e, char *err, size_t errlen);
sel_code run_state_step(struct run_live *e, const struct run_step *st,
                        struct run_step_report *sr, const char *path,
                        char *err, size_t errlen);
void run_state_checkpoint(struct run_live *e, const struct run_step *st);
int  run_state_finish(struct run_live *e, int code);

/* tabs.c: a switch_tab or close_tab step (TEXT: its expanded title or
 * URL regex), within TIMEOUT_MS. */
sel_code run_tab_step(struct run_live *e, const struct run_step *st,
                      struct run_step_report *sr, const char *text,
                      int timeout_ms, char *err, size_t errlen);

/* artifacts.c: a screenshot of the page for diagnostics, bounded so that
 * a hung page costs a second or so: 1 when written to PATH. */
int  run_diag_screenshot(struct run_live *e, const char *path);
/* After a failed step: the page's URL, console errors, a screenshot and
 * (with --trace) its HTML, into SR and the run's folder. */
void run_diag_failure(struct run_live *e, struct run_step_report *sr);

#endif
