/* sel_int.h -- helpers shared inside selectors/ (not API). */
#ifndef CDPILOT_SEL_INT_H
#define CDPILOT_SEL_INT_H

#include "sel.h"

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
