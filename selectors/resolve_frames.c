/* resolve_frames.c -- resolving in the page's cross-origin frames
 * (frames.c): an explicit target is looked for in the top document, then
 * in each frame's realm; plain words rank the candidates of every realm
 * together; a cached selector of a frame's element names its frame
 * ("frame=URL >> css=#card", docs/CACHE.md). Only pages that have such
 * frames come here. */
#include "sel.h"
#include "sel_int.h"
#include "../cdp/cdp.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FR_POLL_MS 100      /* between looks while no realm has it */
#define FR_PREFIX "frame="
#define FR_SEP " >> "

/* One locate of SPEC (borrowed) in realm RID, within TIMEOUT_MS: the
 * page script's answer in *V, or an error. */
static sel_code locate_in(struct sel_page *p, int rid, const cJSON *spec,
                          const struct sel_opts *o, int timeout_ms, cJSON **v,
                          char *err, size_t errlen)
{
    cJSON *args = cJSON_CreateArray();
    int was = sel__frame_in(p, rid);
    sel_code rc;

    cJSON_AddItemToArray(args, cJSON_Duplicate(spec, 1));
    cJSON_AddItemToArray(args, sel__locate_opts(o, o->nth, timeout_ms));
    rc = sel_eval_call(p, "locate", args, 1, timeout_ms, v, err, errlen);
    sel__frame_in(p, was);
    return rc;
}

/* R's selector WHAT, as found in realm RID: prefixed with its frame. */
static void frame_selector(struct sel_page *p, int rid, struct sel_result *r,
                           const char *what)
{
    char key[1024];
    ut_buf b;

    if (!rid || sel__frame_key(p, rid, key, sizeof key))
        return;
    ut_buf_init(&b, UT_MAX_LINE);
    if (ut_buf_addf(&b, FR_PREFIX "%s" FR_SEP "%s", key, what)) {
        ut_buf_free(&b);
        return;
    }
    free(r->selector);
    r->selector = ut_buf_take(&b);
}

sel_code sel__explicit_frames(struct sel_page *p, const cJSON *spec,
                              const struct sel_opts *o, struct sel_result *r,
                              const char *what)
{
    int64_t deadline = ut_now_ms() + o->timeout_ms;
    char err[512];

    for (;;) {
        int rids[SEL__FRAMES_MAX + 1], pick = -1;
        size_t n = 1 + sel__frames_list(p, rids + 1, SEL__FRAMES_MAX), i;
        cJSON *top = NULL;
        sel_code rc;

        rids[0] = 0;
        /* a look at every realm at once: the first that has it (the top
         * document first), or the first where it is there but not yet
         * ready or not alone, which then gets the time left */
        for (i = 0; i < n && pick < 0; i++) {
            cJSON *v = NULL;
            rc = locate_in(p, rids[i], spec, o, 0, &v, err, sizeof err);
            if (rc != SEL_OK && i == 0)
                return sel__fail(r, rc, "%s", err);
            if (rc != SEL_OK)           /* that frame went away */
                continue;
            if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "ok"))) {
                sel__take_located(r, v);
                r->frame = rids[i];
                cJSON_Delete(v);
                cJSON_Delete(top);
                return SEL_OK;
            }
            if (strcmp(sel__jstr(v, "reason"), "not-found") != 0)
                pick = (int)i;
            if (i == 0)
                top = v;
            else
                cJSON_Delete(v);
        }
        if (pick < 0 && ut_now_ms() < deadline) {
            cJSON_Delete(top);
            cdp_pump(cdp_session_conn(sel_page_session(p)), FR_POLL_MS, 0);
            continue;
        }
        if (pick > 0 || (pick == 0 && ut_now_ms() < deadline)) {
            int left = (int)(deadline - ut_now_ms());
            cJSON_Delete(top);
            top = NULL;
            rc = locate_in(p, rids[pick], spec, o, left > 0 ? left : 0, &top,
                           err, sizeof err);
            if (rc != SEL_OK)
                return sel__fail(r, rc, "%s", err);
            if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(top, "ok"))) {
                sel__take_located(r, top);
                r->frame = rids[pick];
                cJSON_Delete(top);
                return SEL_OK;
            }
        }
        rc = sel__locate_failed(r, top, what, o->timeout_ms);
        cJSON_Delete(top);
        return rc;
    }
}

void sel__frame_named(struct sel_page *p, struct sel_result *r,
                      const char *what)
{
    frame_selector(p, r->frame, r, what);
}

/* ---- plain words: every realm's candidates ranked together ------------ */
sel_code sel__collect_frames(struct sel_page *p, const char *probes,
                             struct sel_cands *cs, struct sel_result *r)
{
    int rids[SEL__FRAMES_MAX];
    size_t n = sel__frames_list(p, rids, SEL__FRAMES_MAX), i;
    char err[512];

    for (i = 0; i < n; i++) {
        struct sel_cands fc;
        cJSON *v = NULL;
        ut_buf e;
        int was;
        sel_code rc;

        ut_buf_init(&e, UT_MAX_LINE);
        ut_buf_addf(&e, "__cdpilot.collect({%s%s})", *probes ? "probes:" : "",
                    probes);
        was = sel__frame_in(p, rids[i]);
        rc = sel_eval(p, ut_buf_str(&e), 1, 10000, &v, err, sizeof err);
        sel__frame_in(p, was);
        ut_buf_free(&e);
        /* a frame that went away or fails has nothing to offer */
        if (rc == SEL_OK && cJSON_IsString(v) &&
            sel_cands_parse(v->valuestring, strlen(v->valuestring), &fc, err,
                            sizeof err) == 0) {
            r->us_collect_page += (int64_t)(fc.page_ms * 1000.0);
            if (sel__cands_merge(cs, &fc, (int)(i + 1) * SEL__FRAME_IDS))
                sel_cands_free(&fc);
            else
                sel__frame_slot(p, (int)(i + 1), rids[i]);
        }
        cJSON_Delete(v);
    }
    return SEL_OK;
}

int sel__cand_realm(struct sel_page *p, int id, int *local)
{
    *local = id % SEL__FRAME_IDS;
    return id < SEL__FRAME_IDS ? 0 : sel__frame_slot(p, id / SEL__FRAME_IDS,
                                                     -1);
}

/* ---- a cached selector that names its frame -------------------------- */
int sel__cached_realm(struct sel_page *p, const char **selector)
{
    const char *s = *selector, *sep;
    char key[1024];
    size_t n;

    if (strncmp(s, FR_PREFIX, strlen(FR_PREFIX)) != 0 ||
        !(sep = strstr(s, FR_SEP)))
        return 0;
    n = (size_t)(sep - s) - strlen(FR_PREFIX);
    if (n >= sizeof key)
        return -1;
    memcpy(key, s + strlen(FR_PREFIX), n);
    key[n] = '\0';
    *selector = sep + strlen(FR_SEP);
    n = sel__frame_find(p, key, 0);
    return n ? (int)n : -1;
}
