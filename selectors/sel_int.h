/* sel_int.h -- helpers shared inside selectors/ (not API). */
#ifndef CDPILOT_SEL_INT_H
#define CDPILOT_SEL_INT_H

#include "sel.h"

/* Evaluates the page script source in S's main world. */
sel_code sel__install(struct cdp_session *s, char *err, size_t errlen);

/* The page's record mirror, made on first use (NULL when out of
 * memory: collect whole documents then). */
struct sel_mirror *sel__mirror(struct sel_page *p);

#endif
