/* sel.h -- targets: parsing target strings, finding elements on a live
 * page (explicit strategies, candidate collection, actionability), and the
 * resolution order for plain-words intents: cache, heuristics, LLM.
 * Page-side work is done by the injected script (selectors/js, embedded
 * at build time, installed as window.__cdpilot in every frame).
 * Ownership: strings inside structs handed out are the struct's until its
 * free/clear function. Not in this file = not API. */
#ifndef CDPILOT_SEL_H
#define CDPILOT_SEL_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "../heuristics/heur.h"

/* ---- target strings (pure) ---------------------------------------------- */
enum sel_strategy {
    SEL_CSS = 0, SEL_XPATH, SEL_TEXT, SEL_ROLE, SEL_LABEL, SEL_PLACEHOLDER,
    SEL_TESTID,
    SEL_INTENT       /* plain words: resolved by cache/heuristics/LLM */
};
const char *sel_strategy_name(enum sel_strategy s);

struct sel_target {
    enum sel_strategy strategy;
    char *value;     /* css/xpath/text/label/placeholder/testid/intent */
    char *role;      /* SEL_ROLE: role name */
    char *name;      /* SEL_ROLE: [name="..."], NULL when absent */
    int exact;       /* SEL_ROLE name match: 1 exact (default), 0 substring
                        (written [name~="..."]) */
};
/* Parses S ("css=#a", "role=button[name=\"Save\"]", "Sign in button").
 * Returns 0, or -1 with a one-line reason in ERR (e.g. an unterminated
 * role name). An empty target is an error. */
int  sel_target_parse(const char *s, struct sel_target *out, char *err,
                      size_t errlen);
void sel_target_clear(struct sel_target *t);

/* ---- candidate records (pure) ------------------------------------------
 * The collector (selectors/js/50-collect.js, __cdpilot.collect()) returns a
 * JSON document; see docs/CANDIDATES.md. sel_cands_parse turns it into
 * heur_cand records whose strings point into storage owned by OUT. */
struct sel_cands {
    struct heur_cand *c;
    size_t n;
    char *title, *url;   /* page title and URL at collection time */
    double page_ms;      /* the collector's own time in the page ("ms") */
    int dialog;          /* a modal dialog was open ("dialog") */
    cJSON *guess;        /* the collector's readiness answer for its
                            guess ("guess", with its record id as "i"),
                            NULL when none; owned */
    char *ahead;         /* the collection's token for P.aheadCheck()
                            ("ahead"), NULL when it was not kept; owned */
    void *store_;        /* private */
};
int  sel_cands_parse(const char *json, size_t len, struct sel_cands *out,
                     char *err, size_t errlen);
void sel_cands_free(struct sel_cands *cs);

/* Mirrored collections (docs/CANDIDATES.md "Mirrored collection"): the
 * page script sends a record the controller already holds unchanged as
 * its bare id, and only the strings it added to a kept string table. A
 * mirror holds what one page's collector sent; sel_mirror_opts() is the
 * collector's "mirror" option saying what it holds (caller's cJSON). */
struct sel_mirror;
struct sel_mirror *sel_mirror_new(void);
void   sel_mirror_free(struct sel_mirror *m);
cJSON *sel_mirror_opts(const struct sel_mirror *m);
/* Parses a collector answer, mirrored or whole, into OUT as
 * sel_cands_parse() does, keeping its new records and strings in M. On
 * an answer out of step with M (another page state, a lost answer) or a
 * malformed one: -1, ERR says why, and M is emptied, so the next
 * collection sends everything again. */
int    sel_mirror_parse(struct sel_mirror *m, const char *json, size_t len,
                        struct sel_cands *out, char *err, size_t errlen);
/* How many records M holds. */
size_t sel_mirror_records(const struct sel_mirror *m);

/* One line naming candidate C (role, name, tag, id; with FOR_LLM also
 * text, placeholder, nearby text and context): the record the LLM sees
 * and the error listing shows. Caller frees. */
char  *sel_cand_record(const struct heur_cand *c, int for_llm);
/* How many of the ranked candidates go to the LLM: at most 8, and only
 * those scoring at least a quarter of the best. */
size_t sel_llm_shortlist(const struct heur_result *hr);

/* The fit words of a cached element (docs/CACHE.md "Validation and
 * self-healing"): the words of INTENT that NEAR (the page's
 * P.nearWords(): folded words around the element, space-separated) holds
 * as whole words, but for those of NAME (its accessible name, which a
 * hit must match anyway), one-letter words and filler ("for", "the",
 * ...); lower case, in intent order, without repeats, space-separated;
 * "" when none. A cache hit whose element no longer shows them all is
 * demoted. Caller frees (NULL when out of memory). */
char  *sel_fit_words(const char *intent, const char *near, const char *name);
/* Fingerprint FP (JSON text from P.fingerprint()) with its "near" words
 * replaced by "fit": sel_fit_words(INTENT, near, name), left out when
 * "". NULL when FP is not a JSON object. Caller frees. */
char  *sel_fit_fingerprint(const char *fp, const char *intent);

/* The injected page script, NUL-terminated (generated at build time). */
extern const char sel_page_js[];
extern const size_t sel_page_js_len;

/* ---- live pages ----------------------------------------------------------
 * Everything below talks to a browser through cdp/. */
struct cdp_session;
struct cache;
struct llm;

typedef enum {
    SEL_OK = 0,
    SEL_E_NOMEM,      /* 1 */
    SEL_E_NOTFOUND,   /* 2 no element matched before the timeout */
    SEL_E_AMBIGUOUS,  /* 3 strict target matched several elements */
    SEL_E_NOTREADY,   /* 4 found, but hidden/disabled/covered/unstable */
    SEL_E_UNCERTAIN,  /* 5 heuristics unsure and no LLM to ask */
    SEL_E_LLM,        /* 6 the LLM failed, refused or is over budget */
    SEL_E_JS,         /* 7 page script or user expression threw */
    SEL_E_TIMEOUT,    /* 8 a wait ran out (text, url, js) */
    SEL_E_BROWSER,    /* 9 CDP failure: socket closed, browser crashed */
    SEL_E_NAV,        /* 10 navigation failed (net error, bad URL) */
    SEL_E_ACTION,     /* 11 the action did not take (value not set...) */
    SEL_LAST          /* never use; add above, never renumber */
} sel_code;
const char *sel_strerror(sel_code c);
/* A short class name for reports: "not-found", "ambiguous", ... */
const char *sel_code_class(sel_code c);

struct sel_page_opts {
    const char *dialog;      /* "accept" (default) or "dismiss" */
    const char *prompt_text; /* answer for prompt() when accepting */
    int width, height;       /* viewport; 0 = leave */
    double scale;
    int mobile, touch;
    const char *user_agent;  /* NULL = leave */
    const char *const *block; /* URL patterns ('*' wildcards) never */
    size_t nblock;            /* loaded: Network.setBlockedURLs */
};

struct sel_page;   /* one page target with the page script installed */

/* Takes over session S (a page target): enables the Page domain, installs
 * the page script in every new document and the current one, applies the
 * viewport/UA options, and starts tracking loads, dialogs and popups. */
sel_code sel_page_open(struct cdp_session *s, const struct sel_page_opts *o,
                       struct sel_page **out, char *err, size_t errlen);
void sel_page_close(struct sel_page *p);     /* the target stays open */
struct cdp_session *sel_page_session(struct sel_page *p);

/* How the page stands, from what it did so far (no round trip; events
 * already received are processed first). HUNG: the last call to the page
 * got no answer in time (a script that never yields keeps its renderer
 * busy); the next answer clears it. CRASHED: its renderer died (a crash,
 * kill -9, out of memory); from then on calls fail at once with "the page
 * crashed (renderer killed, code 9)" (SEL_E_BROWSER): open a new page. A
 * NULL page counts as crashed. */
enum sel_page_state { SEL_PAGE_OK = 0, SEL_PAGE_HUNG, SEL_PAGE_CRASHED };
enum sel_page_state sel_page_state(struct sel_page *p);
/* Asks the page for a trivial answer within TIMEOUT_MS: SEL_OK, or
 * SEL_E_TIMEOUT "the page is not responding: …" (it is HUNG then), or
 * SEL_E_BROWSER "the page crashed". For bounding diagnostics. */
sel_code sel_page_probe(struct sel_page *p, int timeout_ms, char *err,
                        size_t errlen);

/* Runtime.evaluate of EXPR in the page's main world, returnByValue, with
 * the page script re-installed and the call retried when a navigation
 * destroyed the context. AWAIT: awaitPromise. *VALUE (may be NULL) is the
 * result value, caller's. A page that does not answer within TIMEOUT_MS
 * (and a second) is SEL_E_TIMEOUT "the page is not responding"; one whose
 * renderer died is SEL_E_BROWSER "the page crashed", as soon as Chrome
 * says so. */
sel_code sel_eval(struct sel_page *p, const char *expr, int await,
                  int timeout_ms, cJSON **value, char *err, size_t errlen);
/* Navigates and waits for the load event. */
sel_code sel_goto(struct sel_page *p, const char *url, int timeout_ms,
                  char *err, size_t errlen);
/* The main frame's URL, kept from navigation events (no round trip);
 * owned by P, valid until the next call. */
const char *sel_page_url(struct sel_page *p);
/* Waits for a navigation that started since the last call to settle
 * (load event), up to TIMEOUT_MS; returns at once when none started. */
sel_code sel_settle(struct sel_page *p, int timeout_ms, char *err,
                    size_t errlen);
/* Dialogs seen since the last call, as "alert: message (accepted)"
 * lines; N set to their count; the array is the caller's (free each and
 * the array). */
char **sel_take_dialogs(struct sel_page *p, size_t *n);
/* Console errors and uncaught exceptions seen since the last call, one
 * line each ("error: …", "exception: …"); as sel_take_dialogs. */
char **sel_take_console(struct sel_page *p, size_t *n);
/* Follows a page that *PP opened since the last look (window.open,
 * target=_blank), as a person would: the new page is taken over with O
 * (as by sel_page_open()), *PP is closed and replaced by it, and its
 * document gets TIMEOUT_MS to complete (one still loading then is taken
 * as it is). 1 when *PP changed; 0 when nothing opened or the new page
 * could not be taken over (*PP stays). */
int sel_page_follow_popup(struct sel_page **pp, const struct sel_page_opts *o,
                          int timeout_ms);
/* The page's HTML (document.documentElement.outerHTML) within
 * TIMEOUT_MS, for a failure's diagnostics: NULL when the page crashed,
 * hangs or did not answer. Caller frees. */
char *sel_page_html(struct sel_page *p, int timeout_ms);

/* ---- resolution --------------------------------------------------------- */
enum sel_source { SEL_SRC_EXPLICIT = 0, SEL_SRC_CACHE, SEL_SRC_HEURISTIC,
                  SEL_SRC_LLM };
const char *sel_source_name(enum sel_source s);

/* What a step wants from its target before acting. */
enum sel_want { SEL_WANT_CLICK = 0, SEL_WANT_FILL, SEL_WANT_SELECT,
                SEL_WANT_CHECK, SEL_WANT_HOVER, SEL_WANT_READ,
                SEL_WANT_ATTACHED, SEL_WANT_VISIBLE };

/* A later step's plain-words target that changes nothing on the page
 * (wait_for, assert visible or value, extract): sel_resolve() ranks it
 * over the current step's collection, and the later step, while the page
 * stays as it was, only checks that choice (docs/CANDIDATES.md "Ahead"). */
#define SEL_AHEAD_MAX 8
struct sel_ahead {
    const char *intent;
    enum sel_want want;
    const char *step_kind;   /* its cache key's kind: a cached one is
                                left to the cache */
};

struct sel_opts {
    enum sel_want want;
    const char *step_kind;   /* "click", "fill", … (cache key, LLM) */
    int nth;                 /* -1 strict */
    int timeout_ms;
    double min_confidence, min_margin;
    double llm_min_confidence; /* LLM answers less sure: refused */
    struct cache *cache;     /* NULL: no cache */
    struct heur_ctx *hx;     /* required for intents */
    struct llm *llm;         /* NULL: no LLM */
    int explain;             /* keep the ranked list in the result */
    const struct sel_ahead *ahead; /* the next read-only steps' intents, */
    size_t nahead;           /* ranked too when this step collects (at
                                most SEL_AHEAD_MAX; only a read-only
                                step's own resolution passes them) */
    int read;                /* a read step: the locate that finds an
                                explicit target reads it too (sel_result.
                                read_value), one call for both */
    const char *read_attr;   /* with READ: the attribute to read, NULL
                                the text or form value (sel_read()) */
    const char *probe_what;  /* an element check (sel_check: "text",
                                "value", "attribute", "state"), NULL
                                none: the locate that finds an explicit
                                target takes its first look too */
    const char *probe_name;  /* the check's attribute or state name */
    const char *recent_form; /* the form the task filled since its last
                                click (sel_result.form of those steps),
                                NULL none: evidence for a click's words
                                (heur_hist) */
};

struct sel_cand_info {       /* for reports and the exit-4 listing */
    char *desc;              /* one line: role "name" <tag#id> */
    double score;
    char *features;          /* "name=0.80 role=0.20 …" when explaining */
    char *words;             /* the button "Log in" in the form */
    char *target;            /* an explicit target that picks it, checked
                                unique on the page; NULL when not known
                                (only a failed step's are looked for) */
    int rec;                 /* the collection's record id it acts on */
};
/* A candidate in words (sel_cand_info.words); caller frees. */
char *sel_cand_words(const struct heur_cand *c);
/* The line an uncertain step ends with, from its N best candidates'
 * WORDS and SCORE (best first): what tied, or what fits only a little
 * better (by less than MIN_MARGIN) than what; caller frees. */
char *sel_uncertain_words(const char *intent, const char *const *words,
                          const double *score, size_t n, double min_margin);

struct sel_result {
    enum sel_source source;
    int handle;              /* page-script handle of the element */
    int frame;               /* the realm the handle is of: 0 the top
                                document, else a cross-origin frame's
                                (docs/TARGETS.md "Cross-origin frames") */
    double x, y;             /* centre, viewport CSS px (click/hover) */
    char *selector;          /* explicit target string that finds it */
    char *fingerprint;       /* JSON text */
    double confidence, margin;
    int candidates;          /* how many were considered */
    int healed;              /* a cached selector failed and was replaced */
    int ahead;               /* ranked at an earlier step's collection,
                                used since the page is as it was then */
    char *old_selector;
    char *cache_origin, *cache_route, *cache_intent; /* key, for commit */
    struct sel_cand_info *top; size_t ntop;   /* ranked, best first */
    int64_t us_total, us_cache, us_collect, us_score, us_llm;
    int64_t us_collect_page;  /* of us_collect: the work in the page */
    char *form;               /* the chosen record's form key (heur_cand.
                                 form) when ranked, else NULL */
    /* LLM, when used */
    char *llm_model; long llm_prompt_tokens, llm_completion_tokens;
    int64_t llm_latency_ms;
    char *llm_reason;
    /* on error */
    sel_code code;
    char *error;             /* one line */
    char *seen;              /* what was there instead (matches, cover) */
    int probed;              /* opts.probe_what: the check's first look
                                was taken as the element was found ... */
    char *probe_value;       /* ... and saw this (NULL: an attribute
                                absent) */
    char *read_value;        /* opts.read: what sel_read() would read, as
                                read when the element was found; NULL
                                when not read (then call sel_read()) */
};
void sel_result_clear(struct sel_result *r);

/* Finds TARGET and waits until it is ready for O->want. Explicit targets
 * go straight to the page; intents go cache, heuristics, then LLM. On
 * failure r->code/r->error say why (and r->top lists candidates). */
sel_code sel_resolve(struct sel_page *p, const struct sel_target *t,
                     const struct sel_opts *o, struct sel_result *r);
/* After the step's action succeeded: writes an intent's resolution to
 * the cache (no-op for explicit targets and cache hits but counting the
 * success). */
void sel_commit(struct sel_page *p, const struct sel_target *t,
                const struct sel_opts *o, const struct sel_result *r);

/* ---- actions on a resolved element -------------------------------------- */
/* Clicks R's element; a click the page's pointer guard stopped on another
 * element (the page moved) is made again within TIMEOUT_MS. */
sel_code sel_click(struct sel_page *p, const struct sel_result *r,
                   int timeout_ms, char *err, size_t errlen);
sel_code sel_hover(struct sel_page *p, const struct sel_result *r,
                   char *err, size_t errlen);
sel_code sel_fill(struct sel_page *p, const struct sel_result *r,
                  const char *value, char *err, size_t errlen);
/* Selects the option VALUE (its value, else its label) of R's <select>;
 * an option not there yet (a list the page fills) is waited for up to
 * TIMEOUT_MS. */
sel_code sel_select(struct sel_page *p, const struct sel_result *r,
                    const char *value, int timeout_ms, char *err,
                    size_t errlen);
/* Sets a checkbox/radio/switch to ON (clicking it or its visible label). */
sel_code sel_check(struct sel_page *p, const struct sel_result *r, int on,
                   int timeout_ms, char *err, size_t errlen);
/* Text (or attribute ATTR) of the element; *out is the caller's. */
sel_code sel_read(struct sel_page *p, const struct sel_result *r,
                  const char *attr, char **out, char *err, size_t errlen);
/* Scrolls R's element into view when R is given, else the page: to WHERE
 * ("top", "bottom", or "up" / "down" by most of a screen) when given,
 * else to X, Y (CSS px). */
sel_code sel_scroll(struct sel_page *p, const struct sel_result *r,
                    const char *where, int x, int y, int timeout_ms,
                    char *err, size_t errlen);
/* Key presses such as "Enter", "Control+A", "Shift+Tab", or plain text. */
sel_code sel_press(struct sel_page *p, const char *keys, char *err,
                   size_t errlen);
/* PNG of the viewport (or the full page) written to PATH, within
 * TIMEOUT_MS: no answer by then is SEL_E_TIMEOUT ("the page is not
 * responding") and the page counts as hung (sel_page_state). */
sel_code sel_screenshot(struct sel_page *p, const char *path, int full_page,
                        int timeout_ms, char *err, size_t errlen);

/* ---- files (files.c) -----------------------------------------------------
 * Upload: sets FILES (N absolute paths) on the file input R's element
 * stands for: the element itself, the input a <label> is for (often
 * hidden behind it), or the one input the element holds; else the input
 * whose file chooser a click on the element opens (a button whose script
 * clicks an input elsewhere, a drop zone that makes one), the chooser
 * intercepted, within TIMEOUT_MS. The page gets its input and change
 * events. *VIA (the caller's, may be set on failure too) describes the
 * input. */
sel_code sel_upload(struct sel_page *p, const struct sel_result *r,
                    const char *const *files, size_t n, int timeout_ms,
                    char **via, char *err, size_t errlen);
/* Download: with the downloads of browser context CONTEXT (NULL: all)
 * going to DIR, clicks R's element, waits up to BEGIN_MS for a download
 * to start and then up to DONE_MS for it to complete (one not done by
 * then is canceled). Its file is then DIR/D->guid. The caller puts the
 * browser's download setting back. */
struct sel_download {
    char guid[64];
    char *name;              /* the file name the browser suggests */
    char *url;
    int64_t bytes;           /* received */
};
sel_code sel_download(struct sel_page *p, const struct sel_result *r,
                      const char *dir, const char *context, int begin_ms,
                      int done_ms, struct sel_download *d, char *err,
                      size_t errlen);
void sel_download_clear(struct sel_download *d);

/* ---- waits (wait.c) -------------------------------------------------------
 * What a wait_for or assert step expects, waited for up to TIMEOUT_MS:
 * SEL_OK, or SEL_E_TIMEOUT with one line saying what the page shows
 * instead; a page that fails answers as sel_eval() says. TARGET strings
 * here must be explicit (css=, role=, …): plain words are SEL_E_ACTION. */
/* Until JS expression EXPR (awaited) is truthy. */
sel_code sel_wait_js(struct sel_page *p, const char *expr, int timeout_ms,
                     char *err, size_t errlen);
/* Until the page's URL matches regex RE (PCRE2, UTF; one that does not
 * compile is SEL_E_ACTION). A crashed page ends it at once. */
sel_code sel_wait_url(struct sel_page *p, const char *re, int timeout_ms,
                      char *err, size_t errlen);
/* Until the page's visible text (white space normalised, open shadow
 * roots and same-origin frames included) contains TEXT. */
sel_code sel_wait_text(struct sel_page *p, const char *text, int timeout_ms,
                       char *err, size_t errlen);
/* Until no element TARGET matches is visible (none matching is fine). */
sel_code sel_wait_hidden(struct sel_page *p, const char *target,
                         int timeout_ms, char *err, size_t errlen);
/* How many elements TARGET matches now, in *N; TIMEOUT_MS bounds the
 * page's answer. */
sel_code sel_count(struct sel_page *p, const char *target, int timeout_ms,
                   long *n, char *err, size_t errlen);
/* Until TARGET matches exactly WANT elements. */
sel_code sel_wait_count(struct sel_page *p, const char *target, long want,
                        int timeout_ms, char *err, size_t errlen);
/* Until resolved element R reads WANT (its text or value, as sel_read()
 * without an attribute). */
sel_code sel_wait_value(struct sel_page *p, const struct sel_result *r,
                        const char *want, int timeout_ms, char *err,
                        size_t errlen);

/* ---- checks (check.c) -----------------------------------------------------
 * What an assert expects, polled until it holds (or, NEGATE, until it
 * does not) or TIMEOUT_MS is up: SEL_OK, or SEL_E_TIMEOUT with one line
 * saying what is there and what was expected. Element checks read R's
 * element; one that left the document is SEL_E_NOTFOUND ("the element
 * left the page": resolve it again). */
enum sel_check_what {
    SEL_CHECK_TEXT = 0,   /* the element's visible text */
    SEL_CHECK_VALUE,      /* a form control's value (else its text) */
    SEL_CHECK_ATTR,       /* attribute NAME (WANT NULL: present) */
    SEL_CHECK_STATE,      /* state NAME: checked, enabled, disabled,
                             visible, hidden, focused, editable */
    SEL_CHECK_TITLE,      /* the page's title (R unused) */
    SEL_CHECK_URL,        /* the page's URL (R unused) */
    SEL_CHECK_PAGE_TEXT,  /* the page's visible text contains WANT */
    SEL_CHECK_COUNT       /* LABEL (explicit) matches WANT elements */
};
struct sel_check {
    enum sel_check_what what;
    const char *name;     /* attribute or state name */
    const char *want;     /* expected string (regex when REGEX) */
    int regex;            /* WANT is a PCRE2 regex, unanchored */
    int negate;           /* passes when it does NOT hold */
    const char *label;    /* the target as written, for messages */
};
sel_code sel_wait_check(struct sel_page *p, const struct sel_result *r,
                        const struct sel_check *c, int timeout_ms,
                        char *err, size_t errlen);

/* ---- the page's network and console (netlog.c) ----------------------------
 * Kept from the moment the page is opened. A mark orders what was logged
 * (marks of every page of the process compare: the tab a click opened
 * goes on from its opener's). */
unsigned sel_net_mark(struct sel_page *p);
/* Until no request (but event streams) has been in flight for IDLE_MS. */
sel_code sel_wait_idle(struct sel_page *p, int idle_ms, int timeout_ms,
                       char *err, size_t errlen);
/* Until a response logged after *SINCE has a URL that regex RE matches,
 * METHOD (NULL: any) and STATUS (0: any): SEL_OK with *SINCE its mark and
 * *WHAT "POST http://… 200" (caller's), else SEL_E_TIMEOUT. */
sel_code sel_wait_response(struct sel_page *p, const char *re,
                           const char *method, int status, unsigned *since,
                           int timeout_ms, char **what, char *err,
                           size_t errlen);
/* What failed after mark SINCE, one line each (caller frees each and the
 * array; *N their count): requests (a network error, or an HTTP status
 * of 400 or more: "GET http://…/x.png -> 404"), or with CONSOLE the
 * console errors and uncaught exceptions. Blocked requests are not
 * failures: *BLOCKED (may be NULL) counts them. */
char **sel_net_failed(struct sel_page *p, unsigned since, int console,
                      size_t *n, size_t *blocked);
/* ---- session state (state.c) ---------------------------------------------
 * The cookies of a page's browser context and the localStorage of the web
 * origins the run visited, as Playwright's storageState JSON:
 * {"cookies": [{name, value, domain, path, expires, httpOnly, secure,
 * sameSite}], "origins": [{"origin", "localStorage": [{name, value}]}]}.
 * localStorage is read and written from a background tab of the same
 * context whose only request (the origin's "/") is answered with an empty
 * page by cdpilot itself: no server sees it, no page script runs. The
 * values are secrets: no error message quotes one. */
struct sel_state;
/* Notes the origins that documents on P's connection commit, from now on
 * (every tab and frame). NULL when out of memory. */
struct sel_state *sel_state_watch(struct sel_page *p);
void sel_state_free(struct sel_state *w);
/* Adds ORIGIN to W's list (a web origin; others are ignored). */
void sel_state_note(struct sel_state *w, const char *origin);
/* The whole state of P's context: every cookie, and the localStorage of
 * each origin W noted that has some. *OUT is the caller's. */
sel_code sel_state_save(struct sel_page *p, struct sel_state *w,
                        int timeout_ms, cJSON **out, char *err,
                        size_t errlen);
/* Sets the cookies and localStorage of ST (shape as above, checked by the
 * caller) in P's context; its origins are noted in W. P's document is not
 * reloaded. */
sel_code sel_state_load(struct sel_page *p, struct sel_state *w,
                        const cJSON *st, int timeout_ms, char *err,
                        size_t errlen);
/* A cheap look for checkpoints: ST's cookies replaced by the context's,
 * and the localStorage of P's own document's origin put in its
 * "origins" (the others stay as they were). */
sel_code sel_state_peek(struct sel_page *p, cJSON *st, int timeout_ms,
                        char *err, size_t errlen);

/* ---- tabs (tabs.c) ---------------------------------------------------------
 * The run's tabs: the tab it started in is 0, each tab opened later in
 * its browser context gets the next index; a closed one leaves the list
 * and those after it move down. */
struct sel_tabs;
enum sel_tab_by { SEL_TAB_CURRENT = 0, SEL_TAB_INDEX, SEL_TAB_TITLE,
                  SEL_TAB_URL };
struct sel_tab_want {
    enum sel_tab_by by;
    int index;               /* SEL_TAB_INDEX */
    const char *text;        /* title contains it / URL regex (PCRE2) */
};
/* Tracks the tabs from P's on. NULL when out of memory. */
struct sel_tabs *sel_tabs_new(struct sel_page *p);
void sel_tabs_free(struct sel_tabs *t);
/* The index of P's tab, -1 when it is not one of T's. */
int  sel_tabs_index(struct sel_tabs *t, struct sel_page *p);
/* Makes the tab W names (waited for up to TIMEOUT_MS) the current one:
 * *PP is replaced by a page on it taken over with O (as sel_page_open()),
 * brought to the front. SEL_E_NOTFOUND none, SEL_E_AMBIGUOUS several
 * (ERR lists the tabs: index, title, URL). */
sel_code sel_tab_switch(struct sel_tabs *t, struct sel_page **pp,
                        const struct sel_tab_want *w,
                        const struct sel_page_opts *o, int timeout_ms,
                        char *err, size_t errlen);
/* Closes the tab W names (SEL_TAB_CURRENT: *PP's). When that is the
 * current tab, the run goes on in the tab that opened it if still open,
 * else the one before it. The only tab is not closed (SEL_E_ACTION). */
sel_code sel_tab_close(struct sel_tabs *t, struct sel_page **pp,
                       const struct sel_tab_want *w,
                       const struct sel_page_opts *o, int timeout_ms,
                       char *err, size_t errlen);

#endif
