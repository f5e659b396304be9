/* runner.h -- tasks, profiles, variables, execution and reports: the only
 * module that knows every other. The task model below is what task files
 * (JSON) and inline words (`cdpilot do`) both parse into; a task is fully
 * validated before any browser starts.
 * Ownership: everything inside a run_task / run_profile / run_vars is
 * owned by it until its *_free(). Not in this file = not API. */
#ifndef CDPILOT_RUNNER_H
#define CDPILOT_RUNNER_H

#include <stddef.h>
#include <stdint.h>

/* Exit codes (SPEC section 1). Only the runner maps errors to these. */
enum {
    RUN_EXIT_OK = 0,
    RUN_EXIT_FAILED = 1,    /* a step or assertion failed */
    RUN_EXIT_USAGE = 2,     /* bad usage or invalid task file / profile */
    RUN_EXIT_BROWSER = 3,   /* launch, crash, disconnect */
    RUN_EXIT_LLM = 4        /* needed the LLM, none available / budget */
};

#define RUN_ERR_LEN 1024
#define RUN_SCHEMA_VERSION 1
#define RUN_NAV_TIMEOUT_MS 30000   /* no navigation timeout, no --timeout */

/* ---- variables --------------------------------------------------------- */
struct run_var { char *name, *value; int secret; };
struct run_vars { struct run_var *v; size_t n, cap; };

int  run_vars_set(struct run_vars *vs, const char *name, const char *value,
                  int secret);                      /* 0 or -1 (nomem) */
const struct run_var *run_vars_get(const struct run_vars *vs,
                                   const char *name);
void run_vars_free(struct run_vars *vs);
/* Expands ${name} and ${env.NAME} in IN. *OUT is malloc'ed. *SECRET (may
 * be NULL) is set when a secret variable or any ${env.…} went in.
 * Returns 0, or -1 with "unknown variable ${x}" (or "environment variable
 * NAME is not set") in ERR. "$${" is a literal "${". */
int  run_expand(const struct run_vars *vs, const char *in, char **out,
                int *secret, char *err, size_t errlen);

/* ---- tasks ------------------------------------------------------------- */
enum run_kind {
    RUN_GOTO = 0, RUN_CLICK, RUN_FILL, RUN_PRESS, RUN_SELECT, RUN_CHECK,
    RUN_UNCHECK, RUN_HOVER, RUN_SCROLL, RUN_WAIT_FOR, RUN_ASSERT,
    RUN_EXTRACT, RUN_EVAL, RUN_SCREENSHOT,
    RUN_UPLOAD, RUN_DOWNLOAD,
    RUN_SAVE_STATE, RUN_LOAD_STATE,    /* value: the state file's path */
    RUN_SWITCH_TAB, RUN_CLOSE_TAB,     /* tab_by, tab, value */
    RUN_KIND_COUNT
};
const char *run_kind_name(enum run_kind k);   /* "goto", "wait_for", ... */

/* What wait_for and assert test. */
enum run_cond {
    RUN_COND_NONE = 0,
    RUN_COND_TARGET,     /* wait_for target: attached and visible */
    RUN_COND_TEXT,       /* page's visible text contains */
    RUN_COND_URL,        /* wait_for url: regex (pcre2) matches */
    RUN_COND_JS,         /* expression is truthy */
    RUN_COND_VISIBLE,    /* assert visible: target */
    RUN_COND_HIDDEN,     /* assert hidden: target absent or hidden */
    RUN_COND_COUNT,      /* assert count: target matches COUNT elements */
    RUN_COND_VALUE,      /* assert value: target's value equals VALUE */
    RUN_COND_DOWNLOAD,   /* assert download: the last one (FILES) */
    /* checks (docs/TASKS.md "Checks on an element, the title, the
     * network"); VALUE is a regex when the step's REGEX is set */
    RUN_COND_TITLE,      /* assert title: the page title equals VALUE */
    RUN_COND_EL_TEXT,    /* assert target + text: its text equals VALUE */
    RUN_COND_ATTR,       /* assert target + attribute ATTR (= VALUE) */
    RUN_COND_STATE,      /* assert target + state STATE */
    RUN_COND_IDLE,       /* wait_for network_idle: COUNT ms quiet */
    RUN_COND_RESPONSE,   /* wait_for response: URL regex VALUE, METHOD,
                            STATUS */
    RUN_COND_NO_FAILED,  /* assert no_failed_requests */
    RUN_COND_NO_CONSOLE  /* assert no_console_errors */
};

/* What upload, download and assert download name (docs/TASKS.md
 * "Files"); strings raw, may hold ${…}. */
struct run_files {
    char **paths; size_t n;   /* upload: the files to set */
    char *to;                 /* download: where to keep it, NULL: "." */
    char *name_re;            /* assert download: its name matches */
    char *content_re;         /* ... its content matches */
    long size_min, size_max;  /* ... its size in bytes; -1: no bound */
};

/* The states "assert": {"target": T, "state": S} tests. */
enum run_state {
    RUN_STATE_NONE = 0, RUN_STATE_CHECKED, RUN_STATE_ENABLED,
    RUN_STATE_DISABLED, RUN_STATE_VISIBLE, RUN_STATE_HIDDEN,
    RUN_STATE_FOCUSED, RUN_STATE_EDITABLE,
    RUN_STATE_COUNT
};
const char *run_state_name(enum run_state s);   /* "checked", ... */

/* Which tab switch_tab and close_tab name. */
enum run_tab_by {
    RUN_TAB_CURRENT = 0,  /* close_tab: the current one */
    RUN_TAB_INDEX,        /* tab: 0 the first tab, in the order they opened */
    RUN_TAB_TITLE,        /* value: the tab's title contains it */
    RUN_TAB_URL           /* value: regex (pcre2) on the tab's URL */
};

struct run_step {
    enum run_kind kind;
    int index;            /* 0-based position in the task */
    char *id, *note;      /* optional */
    char *target;         /* raw target (may hold ${…}); NULL if none */
    char *value;          /* goto URL, fill/select value, press keys,
                             eval JS, screenshot path, wait/assert text,
                             regex, JS or expected value */
    char *as;             /* extract / eval result variable */
    char *attr;           /* extract: attribute instead of text */
    enum run_cond cond;
    long count;           /* assert count */
    int nth;              /* which match when several (0-based); -1: strict */
    int timeout_ms;       /* -1: profile default */
    int retries;          /* -1: profile default */
    int optional;         /* failure is reported, the run goes on */
    int idempotent;       /* default 1; 0 refuses a blind re-run */
    int secret;           /* fill value is secret: redacted everywhere */
    int full_page;        /* screenshot */
    int scroll_x, scroll_y; /* scroll by (when no target) */
    struct run_files *files; /* upload, download, assert download */
    /* checks and network waits */
    int negate;           /* assert "not": true */
    int regex;            /* VALUE is a regex (title_matches, ...) */
    enum run_state state; /* RUN_COND_STATE */
    char *method;         /* wait_for response: method, NULL any */
    int status;           /* wait_for response: status, 0 any */
    int flat;             /* assert {"target": T, "count": N, ...}: its
                             fields are named assert.target, assert.count */
    enum run_tab_by tab_by; /* switch_tab, close_tab */
    int tab;              /* RUN_TAB_INDEX */
};

struct run_task {
    char *file;           /* path, "-" or "(inline)" */
    char *name;
    char *profile;        /* NULL: the command line's or "default" */
    char *base_url;       /* NULL when absent */
    struct run_vars vars; /* the task's "vars" */
    struct run_step *steps;
    size_t nsteps;
    unsigned checks;      /* "checks": RUN_CHECKS_* after every step */
    char *browser_version; /* "browser": {"version": PIN}, NULL: none */
};

/* What a task's (or a profile's) "checks" asks after every step. */
#define RUN_CHECKS_FAILED_REQUESTS 1u   /* no_failed_requests */
#define RUN_CHECKS_CONSOLE_ERRORS  2u   /* no_console_errors */

/* Parses and validates a whole task file. On error returns -1 with one
 * line in ERR naming FILE and either line:column (syntax) or the step
 * index, kind and field, and what was expected. KNOWN (may be NULL) lists
 * variables given on the command line, so ${x} from --var validates. */
int  run_task_parse(const char *file, const char *json, size_t len,
                    const struct run_vars *known, struct run_task *out,
                    char *err, size_t errlen);
/* The same, for a run given --base-url BASE_URL (may be NULL): relative
 * goto URLs then validate without a "base_url" in the file. */
int  run_task_parse_base(const char *file, const char *json, size_t len,
                         const struct run_vars *known, const char *base_url,
                         struct run_task *out, char *err, size_t errlen);
/* `cdpilot do URL STEP...`: words one-to-one with the JSON steps (goto
 * URL, click T, fill T VALUE, press KEYS, select T V, check T, uncheck T,
 * hover T, wait T, wait-text TEXT, expect-text TEXT, expect-url REGEX,
 * extract T NAME, screenshot FILE, eval JS, upload T FILE... (up to the
 * next step word), download T [to PATH], expect-download REGEX). */
int  run_words_parse(const char *url, int argc, char *const *argv,
                     const struct run_vars *known, struct run_task *out,
                     char *err, size_t errlen);
void run_task_free(struct run_task *t);

/* ---- profiles ---------------------------------------------------------- */
struct run_profile {
    char *name;
    char *chrome;            /* browser path, NULL: discover */
    char **args; size_t nargs;  /* extra browser flags */
    int headless;
    int width, height;
    double scale;            /* device scale factor */
    int mobile, touch;
    char *user_agent;        /* NULL: browser default */
    char *user_data_dir;     /* NULL: private temporary */
    int timeout_ms;          /* step default */
    int nav_timeout_ms;      /* 0: not set (--timeout, else 30 s) */
    int launch_timeout_ms;
    int grid_timeout_ms;     /* getting a --grid session, retries in */
    int retries;             /* step default */
    int backoff_ms;
    int slow_mo_ms;          /* debug: pause after each step */
    double min_confidence, min_margin;
    char *cache_path;        /* NULL: default */
    int no_cache;
    char *dialog;            /* "accept" | "dismiss" */
    char **block; size_t nblock;  /* URL patterns never loaded */
    int check_requests;      /* checks.no_failed_requests */
    int check_console;       /* checks.no_console_errors */
    int restart_browser;
    char *browser_version;   /* browser.version pin, NULL: any */
    char *notify_cmd;        /* notify.on_failure: /bin/sh command */
    char *notify_url;        /* notify.url: POST the failure summary */
    /* LLM */
    char *llm_url, *llm_model, *llm_key_env;  /* key read from env */
    int llm_timeout_ms, llm_max_calls, llm_retries, llm_breaker_after;
    long llm_max_tokens;
    double llm_price_prompt, llm_price_completion;
    double llm_min_confidence;  /* an answer less sure than this: refused */
};

/* Loads NAME ("default", "ci", …: from the profiles directory) or a file
 * path (contains '/' or ends in .json), over the built-in defaults.
 * Unknown keys and wrong types are errors, like task files. */
int  run_profile_load(const char *name_or_file, struct run_profile *out,
                      char *err, size_t errlen);
void run_profile_defaults(struct run_profile *p);
void run_profile_free(struct run_profile *p);
/* Where named profiles are looked up: $CDPILOT_PROFILES, else the
 * profiles/ folder next to the executable's folder or its parent. */
const char *run_profiles_dir(char *buf, size_t n);

/* ---- entry point -------------------------------------------------------- */
int run_main(int argc, char **argv);   /* the whole CLI; returns exit code */

#endif
