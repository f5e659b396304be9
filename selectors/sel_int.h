/* sel_int.h -- helpers shared inside selectors/ (not API). */
#ifndef CDPILOT_SEL_INT_H
#define CDPILOT_SEL_INT_H

#include "sel.h"
#include "../cdp/cdp.h"
#include "../cache/cache.h"

/* cdp_call on P's session that keeps P's state: a call with no answer
 * in time makes the page HUNG, any answer clears it, a crash marks it
 * CRASHED (sel_page_state). */
cdp_code sel__call(struct sel_page *p, const char *method, cJSON *params,
                   int timeout_ms, cJSON **result);
/* Whether P's renderer died (crash events seen; no socket serviced). */
int sel__crashed(const struct sel_page *p);
/* The error for a failed sel__call RC: "the page crashed" (SEL_E_BROWSER),
 * "the page is not responding: no WHAT within TIMEOUT_MS ms"
 * (SEL_E_TIMEOUT), else SEL_E_BROWSER with cdp_errmsg(). */
sel_code sel__page_err(struct sel_page *p, cdp_code rc, const char *what,
                       int timeout_ms, char *err, size_t errlen);

/* Calls __cdpilot.FN(...ARGS) where ARGS (a cJSON array, consumed) holds
 * the arguments; otherwise as sel_eval. The page script's functions are
 * called by name only from inside selectors/. */
sel_code sel_eval_call(struct sel_page *p, const char *fn, cJSON *args,
                       int await, int timeout_ms, cJSON **value,
                       char *err, size_t errlen);
/* The page script's spec object for an explicit target (caller's). */
cJSON *sel_target_spec(const struct sel_target *t);
/* Target id of a page opened by this page (window.open, target=_blank)
 * since the last call, or NULL. Caller's string. */
char *sel_take_popup(struct sel_page *p);

/* The element the last action clicked or hovered (HANDLE, a page-script
 * handle; -1 after any other action), for the menu it may have opened:
 * sel__opener() gives it while the page is still that document, else
 * -1. */
void sel__set_opener(struct sel_page *p, int handle);
int sel__opener(struct sel_page *p);

/* The page's XHR and fetch requests in flight (net.c): sel__net_open()
 * subscribes and enables the Network domain (NULL on failure: nothing is
 * tracked); sel__net_mark() is a mark to count from; sel__net_busy() how
 * many requests started after MARK have not finished. */
struct sel__net;
struct sel__net *sel__net_open(struct cdp_session *s);
void sel__net_close(struct sel__net *n);
unsigned sel__net_mark(const struct sel__net *n);
int sel__net_busy(const struct sel__net *n, unsigned mark);
/* The page's network and console log (netlog.c): opened with the page
 * (NULL when out of memory or the block list was refused), its
 * patterns BLOCK blocked. sel__netlog() is P's (may be NULL). */
struct sel__netlog;
struct sel__netlog *sel__netlog_open(struct cdp_session *s,
                                     const char *const *block, size_t nblock);
void sel__netlog_close(struct sel__netlog *l);
struct sel__netlog *sel__netlog(struct sel_page *p);
/* An input is about to be sent: sel_settle() waits for the requests it
 * starts (an application loading its next page by AJAX). */
void sel__input_mark(struct sel_page *p);

/* Whether the main frame is navigating (started, no load yet), after
 * handling the events that have come. */
int sel__navigating(struct sel_page *p);

/* Evaluates the page script source in S's main world (CTX: in that
 * execution context of S; 0 its default one). */
sel_code sel__install(struct cdp_session *s, int ctx, char *err,
                      size_t errlen);

/* ---- cross-origin frames (frames.c) -----------------------------------
 * A frame of another origin than its parent is a realm of its own, with
 * a page script of its own: the session of an out-of-process iframe, or
 * an execution context of the page's session. Realms are known by an id
 * (> 0; 0 is the top document), never reused within a page; one that
 * navigates gets a new id. A page without such frames costs nothing: the
 * table is kept from events. */
#define SEL__FRAMES_MAX 16
/* Candidate record ids of the realm in slot K of a collection (K > 0)
 * are K * SEL__FRAME_IDS + the realm's own id (resolve_rank.c). */
#define SEL__FRAME_IDS (1 << 20)
struct sel__frames;
/* Starts attaching P's out-of-process iframes (no wait for an answer). */
struct sel__frames *sel__frames_new(struct sel_page *p);
void sel__frames_free(struct sel__frames *f);
struct sel__frames *sel__frames_of(struct sel_page *p);
/* The page's frame tree at open (Page.getFrameTree's "frameTree"). */
void sel__frames_tree(struct sel__frames *f, const cJSON *tree);
/* Every event of the connection (those of other pages are ignored). */
void sel__frames_event(struct sel__frames *f, struct cdp_session *s,
                       const char *method, const cJSON *params);
/* The realms of P in the order their frames came, up to MAX, in RIDS;
 * their count. 0 without a round trip when the page has no frame. */
size_t sel__frames_list(struct sel_page *p, int *rids, size_t max);
/* Evaluations (sel_eval and what is built on it) go to realm RID (0:
 * the top document) until the next call; returns the realm they went
 * to before. */
int sel__frame_in(struct sel_page *p, int rid);
int sel__frame_cur(struct sel_page *p);
/* The session and execution context (0: the session's default) of the
 * realm evaluations go to; -1 when that frame is gone. */
int sel__frame_where(struct sel_page *p, struct cdp_session **s, int *ctx);
/* Where the realm evaluations go to sits on the top page: add (*DX, *DY)
 * to a point of its viewport for the top page's (Input.* events go to
 * the page's session). Round trips only for a frame's realm. */
sel_code sel__frame_offset(struct sel_page *p, double *dx, double *dy,
                           char *err, size_t errlen);
/* What realm RID's frame is known by in the cache: its URL without
 * query and fragment (its origin while the URL is not known); -1 when
 * it is gone. */
int sel__frame_key(struct sel_page *p, int rid, char *out, size_t n);
/* The first realm after realm AFTER (0: from the first) whose frame
 * KEY names, or 0. */
int sel__frame_find(struct sel_page *p, const char *key, int after);
/* The realm of slot K of the last collection; RID >= 0 sets it first. */
int sel__frame_slot(struct sel_page *p, int k, int rid);

/* Resolving in those frames (resolve_frames.c). An explicit target SPEC
 * (borrowed) looked for in every realm, the top document first, within
 * O's time: R holds the element and its realm (R->frame), or the
 * failure. */
sel_code sel__explicit_frames(struct sel_page *p, const cJSON *spec,
                              const struct sel_opts *o, struct sel_result *r,
                              const char *what);
/* R's selector becomes WHAT named with R's frame ("frame=URL >> WHAT")
 * when R is in a frame's realm. */
void sel__frame_named(struct sel_page *p, struct sel_result *r,
                      const char *what);
/* The candidates of every frame's realm added to CS (the top's), their
 * record ids moved past SEL__FRAME_IDS by realm (a frame that fails
 * adds none). */
sel_code sel__collect_frames(struct sel_page *p, const char *probes,
                             struct sel_cands *cs, struct sel_result *r);
/* The realm of candidate record ID of the last collection (0 the top)
 * and, in *LOCAL, the record's id in that realm. */
int sel__cand_realm(struct sel_page *p, int id, int *local);
/* A cached *SELECTOR that names its frame: the realm of that frame, and
 * *SELECTOR moved past the name; 0 for one of the top document; -1 when
 * no frame of that name is there (yet). */
int sel__cached_realm(struct sel_page *p, const char **selector);
/* Adds the records of FROM to INTO, their ids (and ids they refer to)
 * moved by BASE; FROM is taken (emptied) on success; -1 when out of
 * memory (both unchanged). */
int sel__cands_merge(struct sel_cands *into, struct sel_cands *from,
                     int base);

/* The page's record mirror, made on first use (NULL when out of
 * memory: collect whole documents then). */
struct sel_mirror *sel__mirror(struct sel_page *p);

/* The collection the page kept as TOK (its P.aheadCheck() token) and the
 * intents of the later read-only steps it serves: a later step ranks its
 * own intent over it, when it comes, and takes the choice when the page
 * says it is as it was (resolve_ahead.c). */
struct sel__pending {
    char *intent;
    enum sel_want want;
};
struct sel__ahead {
    char *tok;               /* NULL: nothing kept */
    struct sel_cands cs;     /* the collection (owned; empty until the
                                step that made it is done with it) */
    struct sel__pending q[SEL_AHEAD_MAX];
    size_t n;
};
/* The page's store (never NULL); emptied by sel__ahead_clear(). */
struct sel__ahead *sel__ahead(struct sel_page *p);
void sel__ahead_clear(struct sel__ahead *a);

/* ---- resolving an intent (resolve*.c) ---------------------------------
 * resolve.c looks at the page until an element is chosen, none fits or
 * the step's time is up; each look is a row of steps, and each step says
 * what comes next: */
enum sel__next {
    SEL__DONE,               /* the resolution ends (its code is set) */
    SEL__AGAIN,              /* look at the page again */
    SEL__ON                  /* go on to this look's next step */
};

/* The locate answers of the page script (resolve.c). */
#define SEL__WANTS 8
extern const char *const sel__want_names[SEL__WANTS];  /* by sel_want */
/* Sets R's error and code from FMT; returns CODE. */
sel_code sel__fail(struct sel_result *r, sel_code code, const char *fmt,
                   ...) __attribute__((format(printf, 3, 4)));
/* The page script's options for a locate call for O->want. */
cJSON *sel__locate_opts(const struct sel_opts *o, int nth, int timeout_ms);
/* Member K of O as a string ("" when none) or a number (DFLT). */
const char *sel__jstr(const cJSON *o, const char *k);
double sel__jnum(const cJSON *o, const char *k, double dflt);
/* A failed locate answer V into R's error (WHAT names the target); a
 * successful one into R's handle, point, selector and fingerprint. */
sel_code sel__locate_failed(struct sel_result *r, const cJSON *v,
                            const char *what, int timeout_ms);
void sel__take_located(struct sel_result *r, const cJSON *v);
/* The element chosen left the document before it was ready: forgets the
 * failure and gives the page a moment before the next look. */
void sel__redrawn(struct sel_page *p, struct sel_result *r,
                  int64_t deadline);

/* The page states a cache entry is kept for apart (docs/CACHE.md): a
 * modal dialog open; the element the last click or hover reached has
 * opened a menu or a panel. */
enum { SEL__IN_DIALOG = 1, SEL__OPENED = 2 };

/* The cache's entry for an intent across the looks of one resolution
 * (resolve_cache.c). */
struct sel__cached {
    char origin[512], route[1024];
    char sroute[1060];       /* the key's route: ROUTE and its state */
    struct cache_key key;    /* the step's key (when HAVE_KEY) */
    struct cache_entry ce;   /* the entry tried (when HAVE_ENTRY) */
    int have_key;            /* a cache, and the page has a route */
    int have_entry;
    int demoted;             /* it matched the wrong element */
    int state;               /* the page state of the entry tried */
    unsigned tried;          /* the states whose entries were looked up */
    int opener;              /* the element the last action clicked or
                                hovered (a page handle), or -1 */
    int elsewhere;           /* an entry was for another page state */
    int found_none;          /* its last try matched nothing */
    int recheck;             /* a mismatch was looked at once more */
    int again;               /* ... and an entry that found nothing */
};
/* Looks up the entry of intent NORM (kept, not copied) on P's route:
 * after a click or hover on the element of handle OPENER (else -1),
 * first the entry kept for what that opened. */
void sel__cached_find(struct sel__cached *c, struct sel_page *p,
                      const struct sel_opts *o, const char *norm,
                      int opener, struct sel_result *r);
/* Has the entry found nothing at its last try, while the heuristics now
 * found something? Then it gets one more try first (once): the page may
 * have drawn its element between the two looks. */
int sel__cached_again(struct sel__cached *c);
/* Tries the entry, when there is one still worth trying: SEL__DONE with
 * *RC (R holds the element, or the error), SEL__AGAIN (the page redrew
 * it, or another state's entry is to be tried), SEL__ON (no entry fits:
 * the heuristics choose). */
enum sel__next sel__cached_try(struct sel__cached *c, struct sel_page *p,
                               const struct sel_opts *o, int64_t deadline,
                               struct sel_result *r, sel_code *rc);
/* The end of a resolution that ended with RC: heals the entry that
 * something else replaced, and gives a new choice the route and the
 * fingerprint the cache keeps for the page STATE it was made in
 * (SEL__IN_DIALOG, SEL__OPENED). Clears C. */
void sel__cached_end(struct sel__cached *c, const struct sel_opts *o,
                     const char *intent, const char *norm, int state,
                     sel_code rc, struct sel_result *r);
/* R's new fingerprint with the fit words of INTENT and NORM, for page
 * STATE. */
void sel__fit_fingerprint(struct sel_result *r, const char *intent,
                          const char *norm, int state);

/* Collecting and ranking the candidates (resolve_rank.c). */
/* The menu just opened: after a click or hover opened a menu, a click
 * whose words fit an item of that menu means that item (heur_hist.menu).
 * The collection that follows says which of its records lie inside the
 * menu that the element last clicked opened (P.withMenu()). */
#define SEL__MENU_MAX 256
struct sel__menu {
    int id[SEL__MENU_MAX];
    size_t n;
    int opened;              /* it opened something (P.openedBy()) */
};
enum heur_kind sel__heur_kind(enum sel_want w);
/* The collector's options for INTENT: its probes, and its guess for a
 * step that wants W with LEFT_MS left ("" for none). */
void sel__collect_probes(struct heur_ctx *hx, const char *intent,
                         char *out, size_t n);
void sel__collect_guess(const char *intent, enum sel_want w, int left_ms,
                        char *out, size_t n);
sel_code sel__collect(struct sel_page *p, const char *probes,
                      const char *guess, int ahead, int opener,
                      struct sel__menu *menu, struct sel_cands *cs,
                      struct sel_result *r);
/* The candidate that candidate I of CS stands for (a label's control). */
int sel__control_of(const struct sel_cands *cs, int i);
/* Looks for R's top candidates' targets (sel_cand_info.target) on P, in
 * one call to the page, after a step failed with them listed. */
void sel__paste_targets(struct sel_page *p, struct sel_result *r);
/* R's top candidates: the best of HR. */
void sel__keep_top(struct sel_result *r, const struct sel_cands *cs,
                   const struct heur_result *hr, int explain);

/* Deciding, and asking the LLM when unsure (resolve_decide.c). */
struct sel__weak {           /* the weak best, and since when */
    int id;
    size_t n;
    double score;
    int64_t at;
};
/* For a check step whose best candidate cannot be checked itself: 1
 * with *HANDLE the element it stands for, -1 with R failed, 0 when
 * nothing changes. */
int sel__stand_in(struct sel_page *p, const struct sel_target *t,
                  const struct sel_opts *o, const struct sel_cands *cs,
                  const struct heur_result *hr, enum heur_decision d,
                  struct sel_result *r, int *handle);
/* The candidate chosen (an index into CS->c), or -1: *WEAK when the
 * candidates are weak, *ESC when the step ended without a choice (R's
 * error set) rather than waiting for a better look. */
int sel__choose(const struct sel_target *t, const struct sel_opts *o,
                const struct sel_cands *cs, const struct heur_result *hr,
                enum heur_decision d, int64_t now, int64_t left,
                struct sel__weak *w, struct sel_result *r, int *weak,
                int *esc);

/* A locate answer's first look for an element check (check.c). */
void sel__take_probe(struct sel_result *r, const cJSON *pv);

/* Ranking the intents of the read-only steps ahead (resolve_ahead.c). */
struct sel__ahead_plan {     /* the later intents one collection serves */
    const struct sel_ahead *a[SEL_AHEAD_MAX];
    size_t n;
};
void sel__plan_ahead(const struct sel_opts *o, const struct sel_target *t,
                     const struct cache_key *key, char *probes, size_t cap,
                     struct sel__ahead_plan *pl);
int sel__keep_ahead(struct sel_page *p, const struct sel__ahead_plan *pl,
                    const struct sel_cands *cs);
void sel__ahead_take(struct sel_page *p, struct sel_cands *cs);
int sel__try_ahead(struct sel_page *p, const struct sel_target *t,
                   const struct sel_opts *o, struct sel_result *r);

/* The browser context of P's tab (Target.getTargetInfo) into CTX, ""
 * when Chrome does not say (state.c). */
void sel__context_of(struct sel_page *p, char *ctx, size_t n);

#endif
