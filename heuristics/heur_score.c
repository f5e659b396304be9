/* heur_score.c -- scoring candidates against a parsed intent.
 *
 * A candidate's total is a product of factors in [0,1]:
 *   text match (name/label/text/placeholder..., or id/name/testid tokens)
 *   x step-kind compatibility x role-word agreement x visibility/enabled
 *   x context agreement ("for Blue Mug") x ordinal ("second")
 * computed under two readings of the intent (role words and the context
 * clause taken apart, or every word taken as part of the name) keeping the
 * better. Confidence is the best total; the margin is measured against the
 * best candidate that is not the same control (a label and its checkbox,
 * a link and the image inside it). Weights and their rationale are in
 * docs/HEURISTICS.md. */
#include "heur_int.h"
#include "../util/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Reading weights. */
#define W_NEAR_CTL     0.90   /* near text of an unlabelled form control */
#define W_NEAR_OTHER   0.60   /* near text of anything else */
#define W_NEAR_READ    0.90   /* near text when reading (value by label) */
#define W_PLACEHOLDER  0.92
#define W_TITLE        0.90
#define W_VALUE        0.60
#define W_ATTR         0.80   /* id / name / data-testid tokens */
#define W_HEAD         0.97   /* name up to "(", "—", ",", ":" */
#define W_CLASS        0.45
#define SYNONYM        0.80   /* "log in" for "sign in" */
#define NEGATED        0.70   /* "No gift wrap" for "Gift wrap" */
#define CTX_CREDIT     0.75   /* a name word found only in the context */
#define HIDDEN         0.30
#define DISABLED       0.75
#define OBSCURED       0.50
#define ORD_MISS       0.55   /* not the one the ordinal points at */
#define ORD_PEER       0.85   /* peers: within this ratio of the top */
#define NONE_BELOW     0.25   /* best total under this: HEUR_NONE */

const char *heur_feature_name(int f)
{
    static const char *const names[HEUR_F_COUNT] = {
        "name", "attr", "role", "kind", "context", "ordinal", "visible"
    };
    return f >= 0 && f < HEUR_F_COUNT ? names[f] : "?";
}

/* ---- token similarity --------------------------------------------------- */

/* Optimal string alignment distance, capped: returns > cap early. */
static int osa(const char *a, size_t la, const char *b, size_t lb, int cap)
{
    int d[HEUR__TOKLEN + 1][HEUR__TOKLEN + 1];
    size_t i, j;

    if (la > HEUR__TOKLEN || lb > HEUR__TOKLEN)
        return cap + 1;
    for (i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (i = 1; i <= la; i++) {
        int rowmin = cap + 1;
        for (j = 1; j <= lb; j++) {
            int c = a[i - 1] != b[j - 1], v = d[i - 1][j - 1] + c;
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (rowmin > cap)
            return cap + 1;
    }
    return d[la][lb];
}

/* Whether A and B (lengths LA, LB) are within one edit: substitution,
 * insertion, deletion or adjacent transposition -- osa(...) <= 1 in one
 * pass over the common prefix and suffix. */
static int within1(const char *a, size_t la, const char *b, size_t lb)
{
    size_t p = 0;
    if (la < lb) {
        const char *t = a;
        size_t tl = la;
        a = b;
        la = lb;
        b = t;
        lb = tl;
    }
    if (la - lb > 1)
        return 0;
    while (p < lb && a[p] == b[p])
        p++;
    if (p == lb)
        return 1;                         /* equal, or one more at the end */
    if (la > lb)                          /* deletion at p */
        return memcmp(a + p + 1, b + p, lb - p) == 0;
    if (memcmp(a + p + 1, b + p + 1, la - p - 1) == 0)
        return 1;                         /* substitution at p */
    return p + 1 < la && a[p] == b[p + 1] && a[p + 1] == b[p] &&
           memcmp(a + p + 2, b + p + 2, la - p - 2) == 0;  /* swap */
}

/* Similarity of two normalised words in [0,1]: the same words 1, the
 * same meaning through a synonym SYNONYM, prefixes and typos less. */
static double tok_sim(const struct heur__tok *ta, const struct heur__tok *tb)
{
    const char *a = ta->s, *b = tb->s;
    size_t la = ta->len, lb = tb->len, m;

    if (ta->h == tb->h && la == lb && strcmp(a, b) == 0)
        return strcmp(ta->surf, tb->surf) == 0 ? 1.0 : SYNONYM;
    m = la < lb ? la : lb;
    if (m < 4 || (a[0] != b[0] && a[1] != b[1] && a[0] != b[1]))
        return 0.0;     /* too short for partial credit, or too different */
    if (m >= 4 && (strncmp(a, b, m) == 0))
        return 0.75;                      /* "addr" / "address" */
    if (m >= 4 && (la > lb ? la - lb : lb - la) <= 1 &&
        within1(a, la, b, lb))
        return 0.80;                      /* one typo */
    if (m >= 7 && (la > lb ? la - lb : lb - la) <= 2 &&
        osa(a, la, b, lb, 2) <= 2)
        return 0.65;                      /* two typos in a long word */
    return 0.0;
}

/* Matches intent words I against candidate words S. CREDIT[i] receives
 * the credit of intent word i (0..1); *PREC the weighted share of S words
 * that were matched. */
static void match(const struct heur__toks *I, const struct heur__toks *S,
                  double *credit, double *prec)
{
    unsigned char used[HEUR__MAXTOK];
    double tot = 0, got = 0;
    int i, j;

    memset(used, 0, sizeof used);
    for (i = 0; i < I->n; i++) {
        double best = 0;
        int bj = -1;
        for (j = 0; j < S->n; j++) {
            double v = tok_sim(&I->t[i], &S->t[j]);
            if (v > best) {
                best = v;
                bj = j;
                if (v >= 1.0)
                    break;
            }
        }
        if (best < 1.0) {
            /* joined words: "check out" ~ "checkout" either way round */
            size_t li = I->t[i].len;
            for (j = 0; j + 1 < S->n; j++) {
                size_t l1 = S->t[j].len;
                if (l1 < li && S->t[j].s[0] == I->t[i].s[0] &&
                    memcmp(I->t[i].s, S->t[j].s, l1) == 0 &&
                    strcmp(I->t[i].s + l1, S->t[j + 1].s) == 0) {
                    best = 1.0;
                    used[j + 1] = 1;
                    bj = j;
                    break;
                }
            }
            if (best < 1.0 && i + 1 < I->n) {
                for (j = 0; j < S->n; j++) {
                    size_t l1 = I->t[i].len;
                    if (S->t[j].len > l1 && S->t[j].s[0] == I->t[i].s[0] &&
                        memcmp(S->t[j].s, I->t[i].s, l1) == 0 &&
                        strcmp(S->t[j].s + l1, I->t[i + 1].s) == 0) {
                        best = 1.0;
                        bj = j;
                        if (credit[i + 1] < 1.0)
                            credit[i + 1] = 1.0;
                        break;
                    }
                }
            }
        }
        if (best > credit[i])
            credit[i] = best;
        if (bj >= 0 && best >= 0.6)
            used[bj] = 1;
    }
    for (j = 0; j < S->n; j++) {
        double w = S->t[j].w;
        if (S->t[j].role || (S->t[j].s[0] >= '0' && S->t[j].s[0] <= '9'))
            w *= 0.5;     /* "Search button", "Cart, 2 items" */
        tot += w;
        if (used[j])
            got += w;
    }
    *prec = tot > 0 ? got / tot : 0;
}

static double recall_of(const struct heur__toks *I, const double *credit)
{
    double tot = 0, got = 0;
    int i;
    for (i = 0; i < I->n; i++) {
        tot += I->t[i].w;
        got += I->t[i].w * credit[i];
    }
    return tot > 0 ? got / tot : 0;
}

/* ---- candidate properties ----------------------------------------------- */

static int eq(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

static int type_is(const struct heur_cand *c, const char *t)
{
    return eq(c->type, t);
}

static int is_link(const struct heur_cand *c)
{
    return eq(c->role, "link") || (eq(c->tag, "a") && c->href[0]);
}

static int is_button(const struct heur_cand *c)
{
    return eq(c->role, "button") || eq(c->tag, "button") ||
           (eq(c->tag, "input") && (type_is(c, "submit") ||
            type_is(c, "button") || type_is(c, "reset") ||
            type_is(c, "image")));
}

static int is_radio(const struct heur_cand *c)
{
    return eq(c->role, "radio") || eq(c->role, "menuitemradio") ||
           (eq(c->tag, "input") && type_is(c, "radio"));
}

static int is_checkish(const struct heur_cand *c)
{
    return is_radio(c) || eq(c->role, "checkbox") || eq(c->role, "switch") ||
           eq(c->role, "menuitemcheckbox") ||
           (eq(c->tag, "input") && type_is(c, "checkbox"));
}

static int is_select(const struct heur_cand *c)
{
    return eq(c->tag, "select") || eq(c->role, "listbox") ||
           eq(c->role, "combobox");
}

static int is_heading(const struct heur_cand *c)
{
    return eq(c->role, "heading") ||
           (c->tag[0] == 'h' && c->tag[1] >= '1' && c->tag[1] <= '6' &&
            !c->tag[2]);
}

static int is_img(const struct heur_cand *c)
{
    return eq(c->role, "img") || eq(c->tag, "img") || eq(c->tag, "svg");
}

static int is_menuitem(const struct heur_cand *c)
{
    return strncmp(c->role, "menuitem", 8) == 0;
}

/* A label-like element standing for CTL (or NULL). */
static int labels(const struct heur_cand *c, const struct heur_cand *ctl)
{
    return ctl && (eq(c->tag, "label") || c->labelish);
}

/* ---- factors ------------------------------------------------------------ */

static double kind_factor(enum heur_kind k, const struct heur_cand *c,
                          const struct heur_cand *ctl)
{
    switch (k) {
    case HEUR_CLICK:
        if (c->editable && !is_select(c))
            return 0.70;
        if (c->clickable || is_link(c) || is_button(c) || is_checkish(c) ||
            is_select(c))
            return 1.0;
        if (eq(c->tag, "label"))
            return 0.85;
        return 0.40;
    case HEUR_FILL:
        if (c->editable)
            return 1.0;
        if (is_select(c))
            return 0.45;
        if (labels(c, ctl) && ctl->editable)
            return 0.50;
        return 0.10;
    case HEUR_SELECT:
        if (is_select(c))
            return 1.0;
        if (labels(c, ctl) && is_select(ctl))
            return 0.55;
        if (c->clickable || is_button(c))
            return 0.35;
        return 0.10;
    case HEUR_CHECK:
        if (is_checkish(c))
            return 1.0;
        if (labels(c, ctl) && is_checkish(ctl))
            return ctl->visible ? 0.92 : 1.0;
        if (c->clickable || is_button(c))
            return 0.45;
        return 0.10;
    case HEUR_SEE:
        /* waiting for "Order total" to show: the words themselves */
        return 1.0;
    case HEUR_READ:
    default:
        /* reading "Order total" means the value its label names */
        return c->labelish ? 0.75 : 1.0;
    }
}

static double role_class(int rc, const struct heur_cand *c,
                         const struct heur_cand *ctl)
{
    int lab = labels(c, ctl);
    switch (rc) {
    case HEUR__RC_BUTTON:
        if (is_button(c))
            return 1.0;
        if (is_link(c))
            return 0.70;
        if (c->clickable && !c->editable && !is_checkish(c))
            return 0.85;
        return 0.30;
    case HEUR__RC_LINK:
        if (is_link(c))
            return 1.0;
        if (c->clickable && !is_button(c) && !c->editable)
            return 0.80;
        if (is_button(c))
            return 0.70;
        return 0.30;
    case HEUR__RC_FIELD:
        if (c->editable)
            return 1.0;
        if (is_select(c))
            return 0.80;
        if (lab && ctl->editable)
            return 0.60;
        if (is_checkish(c))
            return 0.40;
        return 0.30;
    case HEUR__RC_CHECKBOX:
        if (eq(c->role, "checkbox") || type_is(c, "checkbox"))
            return 1.0;
        if (eq(c->role, "switch"))
            return 0.85;
        if (lab && is_checkish(ctl))
            return is_radio(ctl) ? 0.5 : 0.95;
        return is_radio(c) ? 0.5 : 0.30;
    case HEUR__RC_RADIO:
        if (is_radio(c))
            return 1.0;
        if (lab && is_radio(ctl))
            return 0.95;
        return 0.30;
    case HEUR__RC_TAB:
        if (eq(c->role, "tab"))
            return 1.0;
        if (c->clickable && !c->role[0])
            return 0.75;
        if (is_link(c) || is_button(c))
            return 0.60;
        return 0.30;
    case HEUR__RC_MENU:
        if (eq(c->role, "menu") || eq(c->role, "menubar") || is_menuitem(c))
            return 1.0;
        if (is_button(c))
            return 0.80;
        return c->clickable ? 0.60 : 0.30;
    case HEUR__RC_MENUITEM:
        if (is_menuitem(c))
            return 1.0;
        if (is_link(c) || is_button(c) || eq(c->role, "option"))
            return 0.80;
        return c->clickable ? 0.60 : 0.30;
    case HEUR__RC_SELECT:
        if (is_select(c))
            return 1.0;
        if (lab && is_select(ctl))
            return 0.70;
        if (is_button(c))
            return 0.60;
        return c->editable ? 0.50 : 0.30;
    case HEUR__RC_SWITCH:
        if (eq(c->role, "switch"))
            return 1.0;
        if (eq(c->role, "checkbox") || type_is(c, "checkbox"))
            return 0.90;
        if (lab && is_checkish(ctl))
            return 0.85;
        return is_button(c) ? 0.70 : 0.30;
    case HEUR__RC_ICON:
        if ((c->clickable || is_button(c) || is_link(c)) && !c->text[0])
            return 1.0;
        if (is_img(c))
            return 0.80;
        return c->clickable ? 0.70 : 0.40;
    case HEUR__RC_IMAGE:
        if (is_img(c))
            return 1.0;
        if ((is_link(c) || is_button(c)) && !c->text[0])
            return 0.85;
        return 0.40;
    case HEUR__RC_HEADING:
        return is_heading(c) ? 1.0 : 0.40;
    case HEUR__RC_OPTION:
        if (eq(c->role, "option"))
            return 1.0;
        if (is_radio(c) || is_menuitem(c) || (lab && is_radio(ctl)))
            return 0.80;
        return 0.40;
    case HEUR__RC_LABEL:
        if (eq(c->tag, "label"))
            return 1.0;
        return c->labelish ? 0.80 : 0.50;
    case HEUR__RC_TREEITEM:
        if (eq(c->role, "treeitem"))
            return 1.0;
        return c->clickable ? 0.70 : 0.40;
    default:
        return 1.0;
    }
}

static double role_factor(unsigned roles, const struct heur_cand *c,
                          const struct heur_cand *ctl)
{
    double best = 0;
    int rc;
    if (!roles)
        return 1.0;
    for (rc = 0; rc < HEUR__RC_COUNT; rc++)
        if (roles & (1u << rc)) {
            double v = role_class(rc, c, ctl);
            if (v > best)
                best = v;
        }
    return best;
}

static double visible_factor(enum heur_kind k, const struct heur_cand *c,
                             const struct heur_cand *ctl)
{
    double v = 1.0;
    /* A hidden checkbox behind its visible label is the normal case:
     * the label carries it. */
    if (!c->visible)
        v *= HIDDEN;
    if (!c->enabled && k != HEUR_READ && k != HEUR_SEE)
        v *= DISABLED;
    if (c->obscured)
        v *= OBSCURED;
    if (ctl && labels(c, ctl) && !ctl->enabled && k != HEUR_READ &&
        k != HEUR_SEE)
        v *= DISABLED;
    return v;
}

/* ---- per-candidate scoring ---------------------------------------------- */

#define NSRC 16     /* name sources per candidate */
#define TOKCACHE 61 /* shared strings whose words are kept per call */

/* Scratch for one candidate. */
struct work {
    /* the name sources (sources()) and their words, computed once per
     * candidate and shared by both readings */
    const char *srcs[NSRC];
    double srcw[NSRC];
    struct heur__toks srct[NSRC];
    int nsrc;                   /* -1: not computed yet */
    struct heur__toks src;      /* attribute words */
    struct heur__toks ctxw;     /* context words of the candidate */
    struct heur__toks tmp;
    double ctx_credit[HEUR__MAXTOK];  /* per intent word, from context */
    char nearbuf[512];          /* near text split into segments */
    char headbuf[256];          /* head of a long name */
    int has_ctx;
    /* Words of shared strings (container text, heading, region, class:
     * the collector's string table makes repeated ones one pointer),
     * direct-mapped by address, valid for one heur_rank() call. */
    struct {
        const char *p;
        unsigned gen;
        struct heur__toks t;
    } tc[TOKCACHE];
    unsigned gen;
};

/* Words of S, from the cache when S was tokenised earlier in this call
 * (same address), else tokenised into the cache. */
static const struct heur__toks *toks_of(struct heur_ctx *hx, struct work *wk,
                                        const char *s)
{
    size_t k = ((uintptr_t)s >> 3) * 2654435761u % TOKCACHE;
    if (wk->tc[k].gen != wk->gen || wk->tc[k].p != s) {
        heur__tokenize(hx, s, &wk->tc[k].t);
        wk->tc[k].p = s;
        wk->tc[k].gen = wk->gen;
    }
    return &wk->tc[k].t;
}

/* Action verbs: an intent that starts with one names the control by it
 * ("Download notes.txt" is the Download button of the notes.txt row). */
static const char *const VERBS[] = {
    "add", "delete", "edit", "rename", "download", "upload", "open",
    "close", "save", "view", "buy", "book", "share", "reply", "like",
    "follow", "apply", "cancel", "submit", "show", "hide", "print", "copy",
    "move", "archive", "star", "pin", "mark", "invite", "approve",
    "reject", "accept", "send", "start", "stop", "play", "pause", "expand",
    "collapse", "remove", "duplicate", "export", "import", "install",
    "update", "refresh", "retry", "continue", "join", "leave", "subscribe",
    "unsubscribe", "enable", "disable", "restore", "undo", "redo", NULL
};

static int is_verb(const char *w)
{
    int i;
    for (i = 0; VERBS[i]; i++)
        if (strcmp(VERBS[i], w) == 0)
            return 1;
    return 0;
}

/* Does T carry a negation ("No gift wrap", "Don't remember me")? */
static int has_neg(const struct heur__toks *T)
{
    static const char *const neg[] = {"no", "not", "don", "dont", "never",
                                      "without", "non", NULL};
    int j, k;
    for (k = 0; neg[k]; k++)
        for (j = 0; j < T->n; j++)
            if (T->t[j].s[0] == neg[k][0] && strcmp(T->t[j].s, neg[k]) == 0)
                return 1;
    return 0;
}

/* What name_score() needs of a set of intent words, worked out once per
 * heur_rank() call instead of once per candidate and reading. */
struct iwords {
    const struct heur__toks *t;
    unsigned roles;     /* the role classes of its role words */
    int verb;           /* the first content word that is an action verb,
                           or < 0 */
    int neg;            /* has_neg() */
};

static void iwords_init(struct iwords *w, const struct heur__toks *I)
{
    int j;

    w->t = I;
    w->roles = 0;
    w->verb = -1;
    for (j = 0; j < I->n; j++) {
        if (I->t[j].role)
            w->roles |= 1u << (I->t[j].role - 1);
        else if (w->verb < 0 && I->t[j].w >= 1.0f)
            w->verb = is_verb(I->t[j].s) ? j : -2;
    }
    w->neg = has_neg(I);
}

/* Source strings and weights for the name reading, at most 16, empty and
 * repeated strings skipped. Near text is split at " | " and "(" so that
 * each label-like snippet is matched on its own. */
static int sources(const struct heur_cand *c, enum heur_kind k,
                   struct work *wk, const char **s, double *w)
{
    int n = 0, i, ctl = c->editable || is_select(c) || is_checkish(c);
    int named = c->name[0] || c->label[0] || c->aria_label[0];
    const char *cand[16];
    double cw[16], wn;
    int m = 0;
    char *p;

    cand[m] = c->name; cw[m++] = 1.0;
    cand[m] = c->label; cw[m++] = 1.0;
    cand[m] = c->aria_label; cw[m++] = 1.0;
    cand[m] = c->text; cw[m++] = 1.0;
    cand[m] = c->alt; cw[m++] = 0.95;
    cand[m] = c->placeholder; cw[m++] = W_PLACEHOLDER;
    cand[m] = c->title; cw[m++] = W_TITLE;
    cand[m] = is_select(c) || is_button(c) ? c->value : ""; cw[m++] = W_VALUE;
    /* the head of a long name: "Express shipping" of "Express shipping
     * — 2 days, $9.99", "Gift wrap" of "Gift wrap ($3)" */
    {
        const char *src = c->name[0] ? c->name : c->label[0] ? c->label :
                          c->text;
        size_t h = strcspn(src, "(\xe2,:");
        if (src[h] && h > 2 && h + 1 < sizeof wk->headbuf) {
            memcpy(wk->headbuf, src, h);
            wk->headbuf[h] = '\0';
            cand[m] = wk->headbuf;
            cw[m++] = W_HEAD;
        }
    }
    /* reading by a label: a value or an unlabelled control, not a link
     * or button that has words of its own, nor a control with a label
     * of its own (the text beside it is then something else: a hint, a
     * total, a message) */
    wn = k == HEUR_READ && !(c->clickable && (named || c->text[0])) &&
         !(ctl && named) ? W_NEAR_READ :
         (ctl && !named) ? W_NEAR_CTL : W_NEAR_OTHER;
    ut_strlcpy(wk->nearbuf, c->near, sizeof wk->nearbuf);
    for (p = wk->nearbuf; *p && m < 16; ) {
        char *e = p + strcspn(p, "|(");
        int end = !*e;
        *e = '\0';
        while (*p == ' ')
            p++;
        cand[m] = p;
        cw[m++] = wn;
        if (end)
            break;
        p = e + 1;
    }
    for (i = 0; i < m; i++) {
        int j, dup = 0;
        if (!cand[i] || !cand[i][0])
            continue;
        for (j = 0; j < n && !dup; j++)
            if (strcmp(s[j], cand[i]) == 0) {
                dup = 1;
                if (cw[i] > w[j])
                    w[j] = cw[i];
            }
        if (!dup) {
            s[n] = cand[i];
            w[n++] = cw[i];
        }
    }
    return n;
}

static void append(struct heur__toks *d, const struct heur__toks *s)
{
    int i;
    for (i = 0; i < s->n && d->n < HEUR__MAXTOK; i++)
        d->t[d->n++] = s->t[i];
}

/* Context words: row/card text, heading, region, near, own name. */
static void build_ctx(struct heur_ctx *hx, const struct heur_cand *c,
                      struct work *wk)
{
    const char *f[5];
    int i;
    f[0] = c->name[0] ? c->name : c->text;
    f[1] = c->heading;
    f[2] = c->region;
    f[3] = c->near;
    f[4] = c->context;
    wk->ctxw.n = 0;
    for (i = 0; i < 5; i++) {
        int j;
        if (!f[i] || !f[i][0])
            continue;
        if (i == 1 || i == 2 || i == 4) {
            append(&wk->ctxw, toks_of(hx, wk, f[i]));
            continue;
        }
        for (j = 0; j < wk->nsrc; j++)      /* already split as a source */
            if (wk->srcs[j] == f[i])
                break;
        if (j < wk->nsrc && wk->nsrc > 0) {
            append(&wk->ctxw, &wk->srct[j]);
            continue;
        }
        heur__tokenize(hx, f[i], &wk->tmp);
        append(&wk->ctxw, &wk->tmp);
    }
    wk->has_ctx = 1;
}

/* Recall over I where role words are optional: they count only when the
 * source has them ("Copy link" names a button; "Delete link" asks for a
 * link). */
static double recall_opt(const struct heur__toks *I, const double *credit)
{
    double tot = 0, got = 0;
    int i;
    for (i = 0; i < I->n; i++) {
        if (I->t[i].role && credit[i] < 0.6)
            continue;
        tot += I->t[i].w;
        got += I->t[i].w * credit[i];
    }
    return tot > 0 ? got / tot : 0;
}

/* Name score of intent words I over the candidate's own text sources;
 * with CTXOK, words missing from a source may be found in the context at
 * CTX_CREDIT. *UNMATCHED receives the role classes of role words the best
 * source did not contain (those become a role requirement). */
static double name_score(struct heur_ctx *hx, const struct iwords *iw,
                         const struct heur_cand *c, enum heur_kind k,
                         struct work *wk, int ctxok, unsigned *unmatched)
{
    const struct heur__toks *I = iw->t;
    double best = 0;
    int n, i, j, verb = iw->verb;
    unsigned all_roles = iw->roles;

    if (wk->nsrc < 0) {
        wk->nsrc = sources(c, k, wk, wk->srcs, wk->srcw);
        for (i = 0; i < wk->nsrc; i++)
            heur__tokenize(hx, wk->srcs[i], &wk->srct[i]);
    }
    n = wk->nsrc;

    *unmatched = all_roles;
    for (i = 0; i < n; i++) {
        double credit[HEUR__MAXTOK], prec, rec, v;
        unsigned um = all_roles;
        int own = 0;
        const struct heur__toks *S = &wk->srct[i];
        memset(credit, 0, sizeof credit);
        match(I, S, credit, &prec);
        for (j = 0; j < I->n; j++) {
            own += credit[j] >= 0.6 && I->t[j].w >= 1.0f;
            if (I->t[j].role && credit[j] >= 0.6)
                um &= ~(1u << (I->t[j].role - 1));
        }
        if (!own)
            continue;
        v = 1.0;
        if (verb >= 0 && credit[verb] < 0.6)
            v = 0.6;            /* the action word names another control */
        if (ctxok)
            for (j = 0; j < I->n; j++)
                if (!I->t[j].role &&
                    credit[j] < CTX_CREDIT * wk->ctx_credit[j])
                    credit[j] = CTX_CREDIT * wk->ctx_credit[j];
        rec = recall_opt(I, credit);
        /* waiting for words: the element showing just those words, more
         * than one that shows them among others */
        v *= wk->srcw[i] * rec * (k == HEUR_SEE ? 0.3 + 0.7 * prec :
                                  0.55 + 0.45 * prec);
        if (has_neg(S) != iw->neg)
            v *= NEGATED;
        if (v > best) {
            best = v;
            *unmatched = um;
        }
    }
    return best;
}

/* id / name / data-testid (and, weaker, class) words. */
static double attr_score(struct heur_ctx *hx, const struct heur__toks *I,
                         const struct heur_cand *c, struct work *wk)
{
    const char *f[3] = {c->id_attr, c->name_attr, c->testid};
    double credit[HEUR__MAXTOK], prec, best = 0, v;
    int i;

    wk->src.n = 0;
    for (i = 0; i < 3; i++) {
        if (!f[i] || !f[i][0])
            continue;
        heur__tokenize(hx, f[i], &wk->tmp);
        append(&wk->src, &wk->tmp);
    }
    if (wk->src.n) {
        memset(credit, 0, sizeof credit);
        match(I, &wk->src, credit, &prec);
        v = recall_opt(I, credit);
        best = W_ATTR * v * (0.7 + 0.3 * prec);
    }
    if (c->cls[0]) {
        memset(credit, 0, sizeof credit);
        match(I, toks_of(hx, wk, c->cls), credit, &prec);
        v = W_CLASS * recall_opt(I, credit);
        if (v > best)
            best = v;
    }
    return best;
}

/* Context agreement in [0,1] for the context clause of IT. */
static double ctx_match(const struct heur__intent *it, const struct work *wk)
{
    double credit[HEUR__MAXTOK], prec;
    int i;

    memset(credit, 0, sizeof credit);
    match(&it->ctx, &wk->ctxw, credit, &prec);
    for (i = 0; i < it->ctx.n; i++)
        if (it->ctx.t[i].w < 1.0f)
            credit[i] = 1.0;     /* filler words never count against */
    return recall_of(&it->ctx, credit);
}

/* The intent's probes as a one-pass matcher: a bit per first byte of
 * the one-byte probes ("+") and per first two bytes of the others; a set
 * bit is confirmed with memcmp. */
struct probeset {
    unsigned char one[256 / 8];
    unsigned char two[65536 / 8];
    unsigned char len[HEUR__MAXPROBE];
    const struct heur__intent *it;
};

static void probeset_init(struct probeset *ps, const struct heur__intent *it)
{
    int i;
    memset(ps->one, 0, sizeof ps->one);
    memset(ps->two, 0, sizeof ps->two);
    ps->it = it;
    for (i = 0; i < it->n_probe; i++) {
        const unsigned char *p = (const unsigned char *)it->probe[i];
        size_t l = strlen(it->probe[i]);
        ps->len[i] = (unsigned char)l;
        if (l == 1)
            ps->one[p[0] >> 3] |= (unsigned char)(1u << (p[0] & 7));
        else if (l > 1)
            ps->two[(p[0] << 5) | (p[1] >> 3)] |=
                (unsigned char)(1u << (p[1] & 7));
    }
}

/* Does H (N bytes) contain a probe of PS? */
static int probeset_hit(const struct probeset *ps, const char *h, size_t n)
{
    const unsigned char *p = (const unsigned char *)h;
    size_t i;
    int k;

    for (i = 0; i < n; i++) {
        unsigned a = p[i], b;
        if (ps->one[a >> 3] & (1u << (a & 7)))
            return 1;
        if (i + 1 >= n)
            break;
        b = p[i + 1];
        if (!(ps->two[(a << 5) | (b >> 3)] & (1u << (b & 7))))
            continue;
        for (k = 0; k < ps->it->n_probe; k++)
            if (ps->len[k] >= 2 && ps->len[k] <= n - i &&
                memcmp(h + i, ps->it->probe[k], ps->len[k]) == 0)
                return 1;
    }
    return 0;
}

/* Does the folded text of C (the fields a name or attribute match reads)
 * contain a probe? HAY is scratch of CAP bytes. */
static int prefilter(const struct probeset *ps, const struct heur_cand *c,
                     char *hay, size_t cap)
{
    const char *f[13] = {c->name, c->label, c->aria_label, c->text, c->alt,
                         c->placeholder, c->title, c->value, c->near,
                         c->id_attr, c->name_attr, c->testid, c->cls};
    size_t o = 0;
    int i;

    if (ps->it->n_probe == 0)
        return 1;
    for (i = 0; i < 13 && o + 2 < cap; i++) {
        size_t l;
        if (!f[i] || !f[i][0])
            continue;
        l = strlen(f[i]);
        if (l > 400)
            l = 400;
        o += heur__fold(f[i], l, hay + o, cap - o);
        hay[o++] = '\n';
    }
    return probeset_hit(ps, hay, o);
}

static const struct heur_cand *find_id(const struct heur_cand *c, size_t n,
                                       int id)
{
    size_t i, lo = 0, hi = n;
    if (id < 0)
        return NULL;
    if ((size_t)id < n && c[id].id == id)
        return &c[id];
    /* a pruned collection keeps document order: ids ascend */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c[mid].id == id)
            return &c[mid];
        if (c[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (i = 0; i < n; i++)
        if (c[i].id == id)
            return &c[i];
    return NULL;
}

static void score_one(struct heur_ctx *hx, const struct heur__intent *it,
                      const struct iwords *iw, enum heur_kind kind,
                      const struct heur_cand *all,
                      size_t n, size_t ci, struct work *wk,
                      struct heur_score *out)
{
    const struct heur_cand *c = &all[ci];
    const struct heur_cand *ctl = c->for_id != c->id ?
                                  find_id(all, n, c->for_id) : NULL;
    double K, V, R, Rb = 1.0, X = 1.0, na, attr, a, b = 0, nb = 0;
    unsigned um = it->roles, umb = it->roles;

    memset(out, 0, sizeof *out);
    out->cand = (int)ci;
    K = kind_factor(kind, c, ctl);
    V = visible_factor(kind, c, ctl);
    wk->has_ctx = 0;
    wk->nsrc = -1;

    /* Reading a: the main words name the element, the context clause
     * must agree with its surroundings. */
    if (it->n_content) {
        na = name_score(hx, &iw[0], c, kind, wk, 0, &um);
        attr = attr_score(hx, &it->main, c, wk);
    } else {
        na = 0.8;       /* "the checkbox": only role and ordinal decide */
        attr = 0;
    }
    R = role_factor(um, c, ctl);
    if (it->ctx.n && (na > 0 || attr > 0)) {
        build_ctx(hx, c, wk);
        X = 0.5 + 0.5 * ctx_match(it, wk);
    }
    a = (na > attr ? na : attr) * K * R * V * X;
    if (!it->n_content && it->main.n) {
        /* only role words ("Menu", "Search button"...): they may also be
         * the element's name */
        unsigned um2;
        double v = name_score(hx, &iw[0], c, kind, wk, 0, &um2), r2;
        r2 = role_factor(um2, c, ctl);
        if (v * K * V * X * r2 > a) {
            a = v * K * V * X * r2;
            na = v;
            R = r2;
        }
    }

    /* Reading b: every word is part of the name; words missing from the
     * name may be found around it ("Add Blue Mug to cart" on an "Add to
     * cart" button, "Search for products" as one placeholder). */
    if (it->n_content && (it->ctx.n || (na > 0 && na < 0.999))) {
        const struct iwords *I = &iw[it->ctx.n ? 1 : 0];
        double prec;
        if (!wk->has_ctx)
            build_ctx(hx, c, wk);
        memset(wk->ctx_credit, 0, sizeof wk->ctx_credit);
        match(I->t, &wk->ctxw, wk->ctx_credit, &prec);
        nb = name_score(hx, I, c, kind, wk, 1, &umb);
        Rb = role_factor(umb, c, ctl);
        b = nb * K * V * Rb;
    }
    out->f[HEUR_F_KIND] = K;
    out->f[HEUR_F_VISIBLE] = V;
    out->f[HEUR_F_ORDINAL] = 1.0;
    out->f[HEUR_F_ATTR] = attr;
    if (a >= b) {
        out->total = a;
        out->f[HEUR_F_NAME] = na;
        out->f[HEUR_F_ROLE] = R;
        out->f[HEUR_F_CONTEXT] = X;
    } else {
        out->total = b;
        out->f[HEUR_F_NAME] = nb;
        out->f[HEUR_F_ROLE] = Rb;
        out->f[HEUR_F_CONTEXT] = 1.0;
    }
}

/* ---- ranking ------------------------------------------------------------ */

static int related(const struct heur_cand *a, const struct heur_cand *b)
{
    return (a->for_id >= 0 && a->for_id != a->id &&
            (a->for_id == b->id || a->for_id == b->for_id)) ||
           (b->for_id >= 0 && b->for_id != b->id && b->for_id == a->id) ||
           (a->parent_id >= 0 && a->parent_id == b->id) ||
           (b->parent_id >= 0 && b->parent_id == a->id);
}

static int by_total(const void *pa, const void *pb)
{
    const struct heur_score *a = pa, *b = pb;
    if (a->total > b->total)
        return -1;
    if (a->total < b->total)
        return 1;
    return a->cand - b->cand;   /* stable: document order */
}

/* Ordinal: among peers (within ORD_PEER of the top, visible, one per
 * control), in document order, the k-th keeps its score; the rest are
 * multiplied by ORD_MISS. */
static void apply_ordinal(const struct heur__intent *it,
                          const struct heur_cand *c, struct heur_score *s,
                          size_t n)
{
    double top = 0;
    size_t i, np = 0;
    int *peer, pick = -1;

    for (i = 0; i < n; i++)
        if (s[i].total > top)
            top = s[i].total;
    if (top <= 0)
        return;
    peer = malloc(n * sizeof *peer);
    if (!peer)
        return;
    for (i = 0; i < n; i++) {       /* s[] is in document order here */
        size_t j;
        int rel = 0;
        if (s[i].total < ORD_PEER * top || s[i].total < 0.2 ||
            !c[s[i].cand].visible)
            continue;
        for (j = 0; j < np && !rel; j++)
            rel = related(&c[s[peer[j]].cand], &c[s[i].cand]);
        if (!rel)
            peer[np++] = (int)i;
    }
    if (it->ordinal < 0 && np > 0)
        pick = peer[np - 1];
    else if (it->ordinal > 0 && (size_t)it->ordinal <= np)
        pick = peer[it->ordinal - 1];
    for (i = 0; i < n; i++) {
        int keep = (int)i == pick;
        if (!keep && pick >= 0)
            keep = related(&c[s[pick].cand], &c[s[i].cand]) &&
                   s[i].total < s[pick].total;
        if (!keep) {
            s[i].total *= ORD_MISS;
            s[i].f[HEUR_F_ORDINAL] = ORD_MISS;
        }
    }
    free(peer);
}

/* Per-context scratch for heur_rank(): reused from call to call (one
 * allocation per heur_ctx, freed by heur_ctx_free()). */
#define HAYCAP 8192
struct heur__scratch {
    struct work wk;
    struct probeset ps;
    char hay[HAYCAP];
    struct heur_score *zeros;   /* rank_scores(): zero totals, grown */
    size_t zcap;
};

void heur__scratch_free(struct heur_ctx *hx)
{
    if (!hx || !hx->scratch)
        return;
    free(hx->scratch->zeros);
    free(hx->scratch);
    hx->scratch = NULL;
}

/* Ranks scores S (N, in document order): nonzero totals best first (ties
 * in document order), then the zeros in document order -- what sorting
 * everything by total gives, without sorting the zeros. Returns -1 on
 * out-of-memory (S then sorted whole). */
static int rank_scores(struct heur__scratch *sc, struct heur_score *s,
                       size_t n)
{
    size_t i, nz = 0, z = 0;
    struct heur_score *zeros;

    for (i = 0; i < n; i++)
        z += !(s[i].total > 0);
    if (z > sc->zcap) {
        zeros = realloc(sc->zeros, z * sizeof *zeros);
        if (!zeros) {
            qsort(s, n, sizeof *s, by_total);
            return -1;
        }
        sc->zeros = zeros;
        sc->zcap = z;
    }
    zeros = sc->zeros;
    for (i = 0, z = 0; i < n; i++) {
        if (s[i].total > 0)
            s[nz++] = s[i];
        else
            zeros[z++] = s[i];
    }
    if (z)
        memcpy(s + nz, zeros, z * sizeof *zeros);
    qsort(s, nz, sizeof *s, by_total);
    return 0;
}

int heur_rank(struct heur_ctx *hx, const char *intent, enum heur_kind kind,
              const struct heur_cand *c, size_t n, struct heur_result *out)
{
    struct heur__intent it;
    struct iwords iw[2];        /* it.main, it.all */
    struct heur__scratch *sc;
    size_t i, nz = 0;

    memset(out, 0, sizeof *out);
    out->best = -1;
    if ((unsigned)kind >= HEUR_KIND_COUNT)
        kind = HEUR_READ;
    out->ranked = calloc(n ? n : 1, sizeof *out->ranked);
    if (!hx->scratch)
        hx->scratch = calloc(1, sizeof *hx->scratch);
    if (!out->ranked || !hx->scratch) {
        free(out->ranked);
        out->ranked = NULL;
        return -1;
    }
    sc = hx->scratch;
    sc->wk.gen++;               /* forget the previous call's words */
    heur__parse_intent(hx, intent, &it);
    iwords_init(&iw[0], &it.main);
    iwords_init(&iw[1], &it.all);
    probeset_init(&sc->ps, &it);
    for (i = 0; i < n; i++) {
        if (!prefilter(&sc->ps, &c[i], sc->hay, sizeof sc->hay)) {
            out->ranked[i].cand = (int)i;
            continue;
        }
        score_one(hx, &it, iw, kind, c, n, i, &sc->wk, &out->ranked[i]);
        nz += out->ranked[i].total > 0;
    }
    if (it.ordinal)
        apply_ordinal(&it, c, out->ranked, n);
    (void)rank_scores(sc, out->ranked, n);     /* sorted either way */
    out->n = n;
    if (n && out->ranked[0].total > 0) {
        const struct heur_cand *b = &c[out->ranked[0].cand];
        double second = 0;
        for (i = 1; i < n; i++)
            if (!related(b, &c[out->ranked[i].cand])) {
                second = out->ranked[i].total;
                break;
            }
        out->best = out->ranked[0].cand;
        out->confidence = out->ranked[0].total;
        out->margin = out->confidence - second;
    }
    (void)nz;
    return 0;
}

void heur_result_free(struct heur_result *r)
{
    if (!r)
        return;
    free(r->ranked);
    r->ranked = NULL;
    r->n = 0;
    r->best = -1;
}

enum heur_decision heur_decide(const struct heur_result *r, double min_conf,
                               double min_margin)
{
    if (!r || r->best < 0 || r->confidence < NONE_BELOW)
        return HEUR_NONE;
    if (r->confidence >= min_conf && r->margin >= min_margin)
        return HEUR_CONFIDENT;
    return HEUR_UNCERTAIN;
}
