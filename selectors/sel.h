/* sel.h -- targets: parsing target strings, finding elements on a live
 * page (explicit strategies, candidate collection, actionability), and the
 * resolution order for plain-words intents: cache, heuristics, LLM.
 * Page-side work is done by the injected script (selectors/js/, embedded
 * at build time, installed as window.__cdpilot in every frame).
 * Ownership: strings inside structs handed out are the struct's until its
 * *_free/*_clear. Not in this file = not API. */
#ifndef CDPILOT_SEL_H
#define CDPILOT_SEL_H

#include <stddef.h>
#include <stdint.h>
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
 * The collector (selectors/js/collect.js, __cdpilot.collect()) returns a
 * JSON document; see docs/CANDIDATES.md. sel_cands_parse turns it into
 * heur_cand records whose strings point into storage owned by OUT. */
struct sel_cands {
    struct heur_cand *c;
    size_t n;
    char *title, *url;   /* page title and URL at collection time */
    void *store_;        /* private */
};
int  sel_cands_parse(const char *json, size_t len, struct sel_cands *out,
                     char *err, size_t errlen);
void sel_cands_free(struct sel_cands *cs);

/* The injected page script, NUL-terminated (generated at build time). */
extern const char sel_page_js[];
extern const size_t sel_page_js_len;

#endif
