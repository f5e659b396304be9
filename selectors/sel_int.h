/* sel_int.h -- helpers shared inside selectors/ (not API). */
#ifndef CDPILOT_SEL_INT_H
#define CDPILOT_SEL_INT_H

#include "sel.h"
#include "../cdp/cdp.h"

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
/* An input is about to be sent: sel_settle() waits for the requests it
 * starts (an application loading its next page by AJAX). */
void sel__input_mark(struct sel_page *p);

/* Whether the main frame is navigating (started, no load yet), after
 * handling the events that have come. */
int sel__navigating(struct sel_page *p);

/* Evaluates the page script source in S's main world. */
sel_code sel__install(struct cdp_session *s, char *err, size_t errlen);

/* The page's record mirror, made on first use (NULL when out of
 * memory: collect whole documents then). */
struct sel_mirror *sel__mirror(struct sel_page *p);

/* Intents ranked ahead over the collection the page kept as TOK (its
 * P.aheadCheck() token): what a later step takes when the page says it
 * is as it was (resolve.c). */
struct sel__ranked {
    char *intent;
    enum sel_want want;
    int id;                  /* the choice's record id (walk position) */
    double confidence, margin;
    int candidates;
};
struct sel__ahead {
    char *tok;               /* NULL: nothing ranked ahead */
    struct sel__ranked r[SEL_AHEAD_MAX];
    size_t n;
};
/* The page's store (never NULL); emptied by sel__ahead_clear(). */
struct sel__ahead *sel__ahead(struct sel_page *p);
void sel__ahead_clear(struct sel__ahead *a);

#endif
