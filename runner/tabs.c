/* tabs.c -- the switch_tab and close_tab steps: which tab the step names
 * (its index, title or URL, or the current one), handed to
 * selectors/tabs.c, which keeps the run's tabs in the order they opened. */
#include "live_int.h"
#include "../util/util.h"

#include <stdlib.h>

sel_code run_tab_step(struct run_live *e, const struct run_step *st,
                      struct run_step_report *sr, const char *text,
                      int timeout_ms, char *err, size_t errlen)
{
    static const enum sel_tab_by by[] = {
        [RUN_TAB_CURRENT] = SEL_TAB_CURRENT, [RUN_TAB_INDEX] = SEL_TAB_INDEX,
        [RUN_TAB_TITLE] = SEL_TAB_TITLE, [RUN_TAB_URL] = SEL_TAB_URL
    };
    struct sel_tab_want w = { by[st->tab_by], st->tab, text };
    sel_code rc;
    ut_buf b;

    if (!e->tabs)
        return ut_err(err, errlen, SEL_E_NOMEM, "out of memory");
    rc = st->kind == RUN_SWITCH_TAB ?
         sel_tab_switch(e->tabs, &e->page, &w, &e->conf.page, timeout_ms,
                        err, errlen) :
         sel_tab_close(e->tabs, &e->page, &w, &e->conf.page, timeout_ms,
                       err, errlen);
    if (rc)
        return rc;
    ut_buf_init(&b, 64);
    ut_buf_addf(&b, "in tab %d", sel_tabs_index(e->tabs, e->page));
    free(sr->value);
    sr->value = ut_buf_take(&b);
    return SEL_OK;
}
