/* frames.c -- the page's cross-origin frames (docs/TARGETS.md
 * "Cross-origin frames"). The page script of the top document reaches same-origin frames through
 * contentDocument; a frame of another origin is a realm of its own, with
 * its own page script: a frame of another site lives in another renderer
 * (an out-of-process iframe, auto-attached with a flat session of its
 * own), one of the same site in the page's renderer (its own execution
 * context). This file keeps the table of those realms from events alone
 * (no round trip while the page has none), routes evaluations to one of
 * them (sel__frame_in), and measures where a frame sits on the top page
 * (clicks are sent there in top-page coordinates). */
#include "sel.h"
#include "sel_int.h"
#include "../cdp/cdp.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

#define FR_MAX_CTX   64      /* main-world contexts followed per page */
#define FR_MAX_LINKS 128     /* frame -> parent links */
#define FR_MAX_KIDS  16      /* out-of-process iframe sessions */
#define FR_SETUP_MS  10000

struct fr_ctx {              /* a frame's main world */
    struct cdp_session *s;
    int ctx;                 /* its Runtime context id in S */
    int rid;                 /* realm id (never reused within a page) */
    char frame[64];
    char origin[256];
};

struct fr_link {             /* a frame's parent and URL, in session S */
    struct cdp_session *s;
    char frame[64], parent[64];
    char url[512];           /* cut: a key needs no long query */
};

struct fr_kid {              /* an out-of-process iframe's session */
    struct cdp_session *s, *parent;
    int has_tree;            /* its frame tree was read */
};

struct sel__frames {
    struct sel_page *p;
    struct fr_ctx ctx[FR_MAX_CTX];
    size_t nctx;
    struct fr_link link[FR_MAX_LINKS];
    size_t nlink;
    struct fr_kid kid[FR_MAX_KIDS];
    size_t nkid;
    int next_rid;
    int cur;                 /* the realm evaluations go to, 0 the top */
    int slot[SEL__FRAMES_MAX + 1]; /* the last collection's realms */
};

static const char *jstr(const cJSON *o, const char *k)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static struct fr_link *link_of(struct sel__frames *f, struct cdp_session *s,
                               const char *frame)
{
    size_t i;

    for (i = 0; i < f->nlink; i++)
        if (f->link[i].s == s && strcmp(f->link[i].frame, frame) == 0)
            return &f->link[i];
    return NULL;
}

/* Records FRAME's PARENT ("" for a session's root) and URL (NULL:
 * unchanged) in S. */
static void set_link(struct sel__frames *f, struct cdp_session *s,
                     const char *frame, const char *parent, const char *url)
{
    struct fr_link *l;

    if (!frame || strlen(frame) >= sizeof l->frame)
        return;
    if (!(l = link_of(f, s, frame))) {
        if (f->nlink >= FR_MAX_LINKS)
            return;
        l = &f->link[f->nlink++];
        memset(l, 0, sizeof *l);
        l->s = s;
        ut_strlcpy(l->frame, frame, sizeof l->frame);
    }
    if (parent)
        ut_strlcpy(l->parent, parent, sizeof l->parent);
    if (url)
        ut_strlcpy(l->url, url, sizeof l->url);
}

static void drop_link(struct sel__frames *f, struct cdp_session *s,
                      const char *frame)
{
    struct fr_link *l = frame ? link_of(f, s, frame) : NULL;

    if (l)
        *l = f->link[--f->nlink];
}

static struct fr_kid *kid_of(struct sel__frames *f, struct cdp_session *s)
{
    size_t i;

    for (i = 0; i < f->nkid; i++)
        if (f->kid[i].s == s)
            return &f->kid[i];
    return NULL;
}

/* Whether events on S concern this page: its own session or one of its
 * frames'. */
static int ours(struct sel__frames *f, struct cdp_session *s)
{
    return s == sel_page_session(f->p) || kid_of(f, s) != NULL;
}

static struct fr_ctx *ctx_of_frame(struct sel__frames *f,
                                   struct cdp_session *s, const char *frame)
{
    size_t i;

    for (i = 0; i < f->nctx; i++)
        if (f->ctx[i].s == s && strcmp(f->ctx[i].frame, frame) == 0)
            return &f->ctx[i];
    return NULL;
}

static void drop_ctx(struct sel__frames *f, size_t i)
{
    memmove(&f->ctx[i], &f->ctx[i + 1], (f->nctx - i - 1) * sizeof *f->ctx);
    f->nctx--;
}

/* A frame tree (Page.getFrameTree's "frameTree") of session S. */
static void add_tree(struct sel__frames *f, struct cdp_session *s,
                     const cJSON *tree)
{
    const cJSON *fr = cJSON_GetObjectItemCaseSensitive(tree, "frame"), *k;
    const char *parent = jstr(fr, "parentId");

    set_link(f, s, jstr(fr, "id"), parent ? parent : "", jstr(fr, "url"));
    cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(tree,
                                                           "childFrames"))
        add_tree(f, s, k);
}

void sel__frames_tree(struct sel__frames *f, const cJSON *tree)
{
    if (f)
        add_tree(f, sel_page_session(f->p), tree);
}

/* Out-of-process iframes of session S are attached as they come, with
 * flat sessions; the page goes on meanwhile (no waiting for a
 * debugger): a document that loaded before its page script was added
 * gets it installed when first evaluated (sel_eval). */
static void auto_attach(struct cdp_session *s)
{
    cJSON *a = cJSON_CreateObject(), *fl = cJSON_CreateArray(),
          *it = cJSON_CreateObject();

    cJSON_AddBoolToObject(a, "autoAttach", 1);
    cJSON_AddBoolToObject(a, "waitForDebuggerOnStart", 0);
    cJSON_AddBoolToObject(a, "flatten", 1);
    cJSON_AddStringToObject(it, "type", "iframe");
    cJSON_AddItemToArray(fl, it);
    cJSON_AddItemToObject(a, "filter", fl);
    cdp_send(s, "Target.setAutoAttach", a);
}

struct sel__frames *sel__frames_new(struct sel_page *p)
{
    struct sel__frames *f = calloc(1, sizeof *f);

    if (!f)
        return NULL;
    f->p = p;
    auto_attach(sel_page_session(p));
    return f;
}

void sel__frames_free(struct sel__frames *f)
{
    free(f);
}

static void ev_attached(struct sel__frames *f, struct cdp_session *s,
                        const cJSON *params)
{
    const cJSON *ti = cJSON_GetObjectItemCaseSensitive(params, "targetInfo");
    const char *type = jstr(ti, "type"), *sid = jstr(params, "sessionId");
    struct cdp_session *k;
    cJSON *a;

    if (!type || strcmp(type, "iframe") != 0 || !sid ||
        !(k = cdp_find_session(cdp_session_conn(s), sid)) ||
        f->nkid >= FR_MAX_KIDS || kid_of(f, k))
        return;
    f->kid[f->nkid].s = k;
    f->kid[f->nkid].parent = s;
    f->kid[f->nkid].has_tree = 0;
    f->nkid++;
    set_link(f, k, cdp_session_target(k), "", jstr(ti, "url"));
    cdp_send(k, "Runtime.enable", NULL);
    cdp_send(k, "Page.enable", NULL);
    a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "source", sel_page_js);
    cdp_send(k, "Page.addScriptToEvaluateOnNewDocument", a);
    auto_attach(k);
}

static void forget_session(struct sel__frames *f, struct cdp_session *s)
{
    size_t i;

    for (i = f->nctx; i-- > 0;)
        if (f->ctx[i].s == s)
            drop_ctx(f, i);
    for (i = f->nlink; i-- > 0;)
        if (f->link[i].s == s)
            f->link[i] = f->link[--f->nlink];
    for (i = 0; i < f->nkid; i++)
        if (f->kid[i].s == s) {
            f->kid[i] = f->kid[--f->nkid];
            break;
        }
}

static void ev_detached(struct sel__frames *f, struct cdp_session *s,
                        const cJSON *params)
{
    const char *sid = jstr(params, "sessionId");
    struct cdp_session *k;

    (void)s;
    if (sid && (k = cdp_find_session(cdp_session_conn(sel_page_session(
                                         f->p)), sid)) && kid_of(f, k))
        forget_session(f, k);
}

static void ev_ctx_created(struct sel__frames *f, struct cdp_session *s,
                           const cJSON *params)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(params, "context");
    const cJSON *aux = cJSON_GetObjectItemCaseSensitive(c, "auxData");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
    const char *frame = jstr(aux, "frameId"), *origin = jstr(c, "origin");
    struct fr_ctx *x;

    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(aux, "isDefault")) ||
        !frame || !cJSON_IsNumber(id) || strlen(frame) >= sizeof x->frame)
        return;
    if (!(x = ctx_of_frame(f, s, frame))) {
        if (f->nctx >= FR_MAX_CTX)
            return;
        x = &f->ctx[f->nctx++];
    }
    memset(x, 0, sizeof *x);
    x->s = s;
    x->ctx = id->valueint;
    x->rid = ++f->next_rid;
    ut_strlcpy(x->frame, frame, sizeof x->frame);
    ut_strlcpy(x->origin, origin ? origin : "", sizeof x->origin);
}

static void ev_ctx_destroyed(struct sel__frames *f, struct cdp_session *s,
                             const cJSON *params)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(params,
                                                       "executionContextId");
    size_t i;

    for (i = 0; cJSON_IsNumber(id) && i < f->nctx; i++)
        if (f->ctx[i].s == s && f->ctx[i].ctx == id->valueint) {
            drop_ctx(f, i);
            return;
        }
}

static void ev_ctx_cleared(struct sel__frames *f, struct cdp_session *s,
                           const cJSON *params)
{
    size_t i;

    (void)params;
    for (i = f->nctx; i-- > 0;)
        if (f->ctx[i].s == s)
            drop_ctx(f, i);
}

static void ev_frame_attached(struct sel__frames *f, struct cdp_session *s,
                              const cJSON *params)
{
    set_link(f, s, jstr(params, "frameId"), jstr(params, "parentFrameId"),
             NULL);
}

static void ev_frame_navigated(struct sel__frames *f, struct cdp_session *s,
                               const cJSON *params)
{
    const cJSON *fr = cJSON_GetObjectItemCaseSensitive(params, "frame");
    const char *parent = jstr(fr, "parentId");

    /* an out-of-process iframe's root has no parent in its own session */
    set_link(f, s, jstr(fr, "id"), parent ? parent : "", jstr(fr, "url"));
}

static void ev_frame_detached(struct sel__frames *f, struct cdp_session *s,
                              const cJSON *params)
{
    const char *reason = jstr(params, "reason");

    /* "swap": it goes on in another process (a kid session of its own) */
    if (!reason || strcmp(reason, "swap") != 0)
        drop_link(f, s, jstr(params, "frameId"));
}

static const struct {
    const char *method;
    void (*fn)(struct sel__frames *f, struct cdp_session *s,
               const cJSON *params);
} events[] = {
    { "Target.attachedToTarget",           ev_attached },
    { "Target.detachedFromTarget",         ev_detached },
    { "Runtime.executionContextCreated",   ev_ctx_created },
    { "Runtime.executionContextDestroyed", ev_ctx_destroyed },
    { "Runtime.executionContextsCleared",  ev_ctx_cleared },
    { "Page.frameAttached",                ev_frame_attached },
    { "Page.frameNavigated",               ev_frame_navigated },
    { "Page.frameDetached",                ev_frame_detached },
};

void sel__frames_event(struct sel__frames *f, struct cdp_session *s,
                       const char *method, const cJSON *params)
{
    size_t i;

    if (!f || !ours(f, s))
        return;
    for (i = 0; i < sizeof events / sizeof *events; i++)
        if (strcmp(method, events[i].method) == 0) {
            events[i].fn(f, s, params);
            return;
        }
}

/* The frame trees of out-of-process iframes attached since the last
 * look (their frames that had loaded before the attach sent no events):
 * one round trip each, once. */
static void read_trees(struct sel__frames *f)
{
    size_t i;

    for (i = 0; i < f->nkid; i++) {
        cJSON *res = NULL;
        struct cdp_session *s = f->kid[i].s;

        if (f->kid[i].has_tree)
            continue;
        f->kid[i].has_tree = 1;
        if (cdp_call(s, "Page.getFrameTree", NULL, FR_SETUP_MS, &res) ==
                CDP_OK)
            add_tree(f, s, cJSON_GetObjectItemCaseSensitive(res,
                                                            "frameTree"));
        cJSON_Delete(res);
        /* the attach may have re-ordered the table under us */
        if (kid_of(f, s) != &f->kid[i])
            i = (size_t)-1;
    }
}

/* Whether context X is a realm of its own: the root of an out-of-process
 * iframe's session, or a frame whose parent is of another origin (the
 * parent's page script cannot reach into it). The top document is not
 * (it is realm 0), nor a frame whose parent's context is not known yet. */
static int is_realm(struct sel__frames *f, const struct fr_ctx *x)
{
    const struct fr_link *l = link_of(f, x->s, x->frame);
    const struct fr_ctx *up;

    if (x->s != sel_page_session(f->p) &&
        strcmp(x->frame, cdp_session_target(x->s)) == 0)
        return 1;
    if (!l || !l->parent[0])
        return 0;
    up = ctx_of_frame(f, x->s, l->parent);
    return up && strcmp(up->origin, x->origin) != 0;
}

size_t sel__frames_list(struct sel_page *p, int *rids, size_t max)
{
    struct sel__frames *f = sel__frames_of(p);
    size_t i, n = 0;

    if (!f || (f->nkid == 0 && f->nctx < 2))
        return 0;                /* no frame but the top: no round trip */
    read_trees(f);
    for (i = 0; i < f->nctx && n < max; i++)
        if (is_realm(f, &f->ctx[i]))
            rids[n++] = f->ctx[i].rid;
    return n;
}

static struct fr_ctx *ctx_of_rid(struct sel__frames *f, int rid)
{
    size_t i;

    for (i = 0; f && i < f->nctx; i++)
        if (f->ctx[i].rid == rid)
            return &f->ctx[i];
    return NULL;
}

int sel__frame_where(struct sel_page *p, struct cdp_session **s, int *ctx)
{
    struct sel__frames *f = sel__frames_of(p);
    struct fr_ctx *x;

    *s = sel_page_session(p);
    *ctx = 0;
    if (!f || f->cur == 0)
        return 0;
    if (!(x = ctx_of_rid(f, f->cur)))
        return -1;
    *s = x->s;
    *ctx = x->ctx;
    return 0;
}

int sel__frame_in(struct sel_page *p, int rid)
{
    struct sel__frames *f = sel__frames_of(p);
    int was;

    if (!f)
        return 0;
    was = f->cur;
    f->cur = rid;
    return was;
}

int sel__frame_cur(struct sel_page *p)
{
    struct sel__frames *f = sel__frames_of(p);

    return f ? f->cur : 0;
}

/* The top-left corner of FRAME's content box (its <iframe>'s box less
 * border and padding) in the coordinates of S's root frame: its owner
 * element, found in S when FRAME is a frame of S, else in the session
 * that attached S. */
static int owner_box(struct sel__frames *f, struct cdp_session *s,
                     const char *frame, double *x, double *y)
{
    cJSON *a = cJSON_CreateObject(), *res = NULL;
    const cJSON *q;
    int node;

    cJSON_AddStringToObject(a, "frameId", frame);
    if (cdp_call(s, "DOM.getFrameOwner", a, FR_SETUP_MS, &res) != CDP_OK)
        return -1;
    node = (int)sel__jnum(res, "backendNodeId", 0);
    cJSON_Delete(res);
    a = cJSON_CreateObject();
    cJSON_AddNumberToObject(a, "backendNodeId", node);
    res = NULL;
    if (cdp_call(s, "DOM.getBoxModel", a, FR_SETUP_MS, &res) != CDP_OK)
        return -1;
    q = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(res, "model"), "content");
    if (cJSON_GetArraySize(q) < 2) {
        cJSON_Delete(res);
        return -1;
    }
    *x += cJSON_GetNumberValue(cJSON_GetArrayItem(q, 0));
    *y += cJSON_GetNumberValue(cJSON_GetArrayItem(q, 1));
    cJSON_Delete(res);
    (void)f;
    return 0;
}

/* Where the root frame of session S sits on the top page. */
static int root_offset(struct sel__frames *f, struct cdp_session *s,
                       double *x, double *y, int depth)
{
    struct fr_kid *k;

    if (s == sel_page_session(f->p))
        return 0;
    if (!(k = kid_of(f, s)) || depth > 8)
        return -1;
    if (owner_box(f, k->parent, cdp_session_target(s), x, y))
        return -1;
    return root_offset(f, k->parent, x, y, depth + 1);
}

sel_code sel__frame_offset(struct sel_page *p, double *dx, double *dy,
                           char *err, size_t errlen)
{
    struct sel__frames *f = sel__frames_of(p);
    struct fr_ctx *x;
    double ox = 0, oy = 0;
    int fail;

    *dx = *dy = 0;
    if (!f || f->cur == 0)
        return SEL_OK;
    if (!(x = ctx_of_rid(f, f->cur)))
        return ut_err(err, errlen, SEL_E_ACTION, "the frame of the element "
                      "went away (it navigated or was removed)");
    /* an out-of-process iframe's root is owned in its parent's session;
     * a frame in the same process, in its own */
    if (x->s != sel_page_session(p) &&
        strcmp(x->frame, cdp_session_target(x->s)) == 0)
        fail = root_offset(f, x->s, &ox, &oy, 0);
    else
        fail = owner_box(f, x->s, x->frame, &ox, &oy) ||
               root_offset(f, x->s, &ox, &oy, 0);
    if (fail)
        return ut_err(err, errlen, SEL_E_ACTION, "cannot place the frame of "
                      "the element on the page: %s",
                      cdp_errmsg(cdp_session_conn(x->s)));
    *dx = ox;
    *dy = oy;
    return SEL_OK;
}

/* URL without query and fragment: what a frame is known by in the cache
 * (its document, not its state). */
static void url_key(const char *url, char *out, size_t n)
{
    ut_strlcpy(out, url, n);
    out[strcspn(out, "?#")] = '\0';
}

int sel__frame_key(struct sel_page *p, int rid, char *out, size_t n)
{
    struct sel__frames *f = sel__frames_of(p);
    struct fr_ctx *x = ctx_of_rid(f, rid);
    struct fr_link *l;

    if (!x)
        return -1;
    l = link_of(f, x->s, x->frame);
    if (l && l->url[0])
        url_key(l->url, out, n);
    else
        ut_strlcpy(out, x->origin, n);
    return out[0] ? 0 : -1;
}

int sel__frame_find(struct sel_page *p, const char *key, int after)
{
    int rids[SEL__FRAMES_MAX];
    size_t n = sel__frames_list(p, rids, SEL__FRAMES_MAX), i;
    char k[1024];
    int past = after == 0;

    for (i = 0; i < n; i++) {
        if (!past) {
            past = rids[i] == after;
            continue;
        }
        if (sel__frame_key(p, rids[i], k, sizeof k) == 0 &&
            strcmp(k, key) == 0)
            return rids[i];
    }
    return 0;
}

int sel__frame_slot(struct sel_page *p, int k, int rid)
{
    struct sel__frames *f = sel__frames_of(p);

    if (!f || k <= 0 || k > SEL__FRAMES_MAX)
        return 0;
    if (rid >= 0)
        f->slot[k] = rid;
    return f->slot[k];
}
