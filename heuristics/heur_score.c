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

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Reading weights. Those added for issue 22 name the pattern and a case
 * of tests/grounding/cases.json that needs them. */
#define W_NEAR_CTL     0.84   /* near text of an unlabelled form control:
                                 it may be a column header over a filter
                                 box, not its label; an exact label wins
                                 by more than the margin (issue 22
                                 pattern 4, p-forms-03) */
#define W_NEAR_OTHER   0.60   /* near text of anything else */
#define W_NEAR_READ    0.90   /* near text when reading (value by label) */
#define W_PLACEHOLDER  0.92
#define W_TITLE        0.90
#define W_TITLE_TEXT   0.80   /* the title of an element with text of its
                                 own: a tooltip, not its name (issue 22
                                 pattern 7, p-forms-02) */
#define W_IMPLIED      0.80   /* what a control is: "text, content, body,
                                 editor" of a multi-line editor, "search"
                                 of a search box (issue 22 pattern 1,
                                 p-editor-02, p-editor-05) */
#define W_SRC_FILL     0.50   /* a filler word of a name, for precision:
                                 "create this page" is not "Create" (the
                                 intent's fillers count HEUR__W_STOP)
                                 (issue 22 pattern 7, p-forms-01) */
#define W_VALUE        0.60
#define W_ATTR         0.80   /* id / name / data-testid tokens */
#define W_HEAD         0.97   /* name up to "(", "—", ",", ":" */
#define W_CLASS        0.45
#define SYNONYM        0.80   /* "log in" for "sign in" */
#define NUMBER         0.97   /* the same word in the other number:
                                 "Comments" said, "1 Comment" shown: the
                                 menu's "Comments" is the words as
                                 written (issue 22 pattern 7,
                                 wordpress/11) */
#define NEGATED        0.70   /* "No gift wrap" for "Gift wrap" */
#define CTX_CREDIT     0.75   /* a name word found only in the context */
#define HIDDEN         0.30
#define DISABLED       0.75
#define OBSCURED       0.50
#define ORD_MISS       0.55   /* not the one the ordinal points at */
#define ORD_PEER       0.85   /* peers: within this ratio of the top */
#define NONE_BELOW     0.25   /* best total under this: HEUR_NONE */
#define TA_LINE        0.78   /* "text area" said of a one-line field
                                 (issue 22 pattern 8, p-tasks-14) */
#define FORM_FIT       0.50   /* a button of the form just filled scores
                                 at least this ... */
#define FORM_OTHER     0.80   /* ... : what is outside the form counts
                                 this much (issue 22 pattern 2,
                                 p-login-04) */
#define MENU_FIT       0.50   /* an item of the menu just opened scores
                                 at least this ... */
#define MENU_OTHER     0.80   /* ... : what is outside the menu counts this
                                 much (a toolbar's icon button titled as
                                 the item: issue 22 real apps,
                                 jupyter/12; test_heuristics_menu) */
#define TEXT_CLICK     0.85   /* clicking words that only a text shows (a
                                 list item, a cell, a collapsible header
                                 whose click handler the page does not
                                 show): what a person clicks (issue 22
                                 pattern 11, p-tasks-11) ... */
#define CLICK_FIT      0.50   /* ... when nothing clickable scores this,
                                 for a text that shows about just those
                                 words (name TEXT_NAME): a sentence that
                                 mentions them is an instruction or a
                                 description, not the thing to click */
#define TEXT_NAME      0.90
#define EXACT_OVER     0.80   /* a name that says more than the intent
                                 ("Run All Above", "All Posts", "5 Posts"
                                 for "Run All", "Posts") when another
                                 element's whole name is the intent and
                                 scores as well: the exact one is meant,
                                 by more than the margin (issue 22
                                 pattern 7, p-admin-09) */
#define ROW_TWIN       0.80   /* an action that every row of a list
                                 repeats ("Search" in each table's row),
                                 when the intent names no row and one
                                 element outside that list fits as well
                                 (the "Search" tab): the row's copies
                                 count this much (issue 22 pattern 7,
                                 p-admin-04) */
#define ROW_BAND       0.80   /* ... looked for among the candidates
                                 within this share of the best: what
                                 may decide the step */
#define ROW_SUBJECT    0.80   /* "Structure orders": the orders row's
                                 "orders" link when the same row's
                                 "Structure" link fits as well: the first
                                 word names the control, the rest its
                                 row (issue 22 pattern 3, p-admin-06) */
#define W_ICON_NAME    0.95   /* the name of a link or button that shows
                                 no text (an icon's alt or title): what
                                 a screen reader says, not what a person
                                 reads, as an alt (issue 22 pattern 3,
                                 p-admin-06) */
#define DESCEND        0.90   /* the one link or button inside the best
                                 container, scoring this share of it, is
                                 the target (issue 22 pattern 5,
                                 p-lists-11) */

/* Word similarity (tok_sim(), match()). */
#define PART_MIN       4      /* letters a word needs for partial credit */
#define PREFIX         0.75   /* "addr" of "address" */
#define TYPO           0.80   /* one typo */
#define TYPO2_MIN      7      /* letters a word needs for two typos ... */
#define TYPO2          0.65   /* ... and their credit */
#define FOUND          0.6    /* a word's credit from which it counts as
                                 found (a partial credit is 0.65 or more) */
#define WHOLE          0.999  /* a credit, share or score of 1 */
#define W_SRC_ROLE     0.50   /* a role word or a number of a name, for
                                 precision ("Search button", "Cart, 2
                                 items") */

/* Name sources and the name score (sources(), name_score()). */
#define W_NAME         1.0    /* name, label, aria-label, text */
#define W_ALT          0.95
#define OTHER_VERB     0.6    /* the intent's action verb is not in the
                                 source: it names another control */
#define NAME_BASE      0.55   /* score = weight x recall x (NAME_BASE + */
#define NAME_PREC      0.45   /* NAME_PREC x precision) */
#define SEE_BASE       0.3    /* the same when waiting for words: the */
#define SEE_PREC       0.7    /* element showing just them */
#define ATTR_BASE      0.7    /* attr score: W_ATTR x recall x (ATTR_BASE */
#define ATTR_PREC      0.3    /* + ATTR_PREC x precision) */

/* Readings (score_one()). */
#define ROLE_IS        0.95   /* a role factor from which the element is
                                 what the role word says (a label for a
                                 checkbox is, at 0.95) */
#define ROLE_ONLY      0.8    /* the name score of an intent of role words
                                 alone ("the checkbox") */
#define CTX_BASE       0.5    /* context factor: CTX_BASE + CTX_AGREE x */
#define CTX_AGREE      0.5    /* agreement of the context clause */

/* Page rules. */
#define ORD_FLOOR      0.2    /* no ordinal peer scores under this */
#define CLICKS         0.5    /* a kind factor over this takes a click */
#define TIE            1e-9   /* totals this close are equal */

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
        return strcmp(ta->surf, tb->surf) != 0 ? SYNONYM :
               (ta->fl ^ tb->fl) & HEUR__T_PLURAL ? NUMBER : 1.0;
    m = la < lb ? la : lb;
    if (m < PART_MIN || (a[0] != b[0] && a[1] != b[1] && a[0] != b[1]))
        return 0.0;     /* too short for partial credit, or too different */
    if (m >= PART_MIN && (strncmp(a, b, m) == 0))
        return PREFIX;                    /* "addr" / "address" */
    if (m >= PART_MIN && (la > lb ? la - lb : lb - la) <= 1 &&
        within1(a, la, b, lb))
        return TYPO;                      /* one typo */
    if (m >= TYPO2_MIN && (la > lb ? la - lb : lb - la) <= 2 &&
        osa(a, la, b, lb, 2) <= 2)
        return TYPO2;                     /* two typos in a long word */
    return 0.0;
}

static int is_verb(const char *w);

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
        if (bj >= 0 && best >= FOUND)
            used[bj] = 1;
    }
    for (j = 0; j < S->n; j++) {
        double w = S->t[j].w < 1.0f ? W_SRC_FILL : 1.0;
        if (S->t[j].role || (S->t[j].s[0] >= '0' && S->t[j].s[0] <= '9'))
            w *= W_SRC_ROLE;  /* "Search button", "Cart, 2 items" */
        tot += w;
        if (used[j])
            got += w;
    }
    *prec = tot > 0 ? got / tot : 0;
}

/* Does S say more than the intent words I: a content word or a number
 * that is none of I's words? A role word that opens S as its verb
 * counts ("Select Seed swap recap", a row's checkbox, says more than the
 * post's title), another not ("Edit labels"); a word said twice
 * ("Search Search": an icon's alt and the text) is one of I's. */
static int says_more(const struct heur__toks *I, const struct heur__toks *S)
{
    int i, j;
    for (j = 0; j < S->n; j++) {
        const struct heur__tok *t = &S->t[j];
        if (!(t->s[0] >= '0' && t->s[0] <= '9') &&
            !(t->w >= 1.0f && (!t->role || (j == 0 && is_verb(t->s)))))
            continue;
        for (i = 0; i < I->n; i++)
            if (I->t[i].h == t->h && strcmp(I->t[i].s, t->s) == 0)
                break;
        if (i == I->n)
            return 1;
    }
    return 0;
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

/* What an element is, for the tables of the kind and role factors below:
 * a row names one (el_is()) and the weight of an element that is it; the
 * first row that fits decides, and every list ends with EL_ANY. CTL is
 * the control that a label-like element stands for (NULL none). */
enum el {
    EL_ANY = 0,             /* anything else */
    EL_BUTTON,              /* is_button() */
    EL_LINK,                /* is_link() */
    EL_ACTION,              /* a link or a button */
    EL_CLICKABLE,           /* the page made it take clicks */
    EL_PLAIN_CLICK,         /* clickable, neither a field nor a checkbox */
    EL_CLICK_NOT_BUTTON,    /* clickable, neither a button nor a field */
    EL_CLICK_NO_ROLE,       /* clickable, with no role */
    EL_CLICK_OR_BUTTON,     /* clickable, or a button */
    EL_ACTIVE,              /* clickable, a link, button, checkbox, radio,
                               switch or select */
    EL_EDITABLE,            /* takes typed text */
    EL_EDIT_NOT_SELECT,     /* takes typed text, not a combobox */
    EL_MULTILINE,           /* takes typed text and is no <input> */
    EL_SELECT,              /* is_select() */
    EL_CHECKISH,            /* is_checkish(): checkbox, radio, switch */
    EL_CHECKBOX,            /* a checkbox by role or type */
    EL_RADIO,               /* is_radio() */
    EL_ROLE_SWITCH,         /* role switch */
    EL_ROLE_TAB,            /* role tab */
    EL_ROLE_MENU,           /* role menu, menubar or menuitem* */
    EL_MENUITEM,            /* role menuitem* */
    EL_ROLE_OPTION,         /* role option */
    EL_ROLE_TREEITEM,       /* role treeitem */
    EL_HEADING,             /* is_heading() */
    EL_IMG,                 /* is_img() */
    EL_TEXTLESS_ACTIVE,     /* clickable, a link or a button, no text */
    EL_TEXTLESS_ACTION,     /* a link or a button with no text */
    EL_LABEL_TAG,           /* a <label> */
    EL_LABELISH,            /* its text labels another element */
    EL_LABEL_EDITABLE,      /* labels a field that takes text */
    EL_LABEL_SELECT,        /* labels a select */
    EL_LABEL_CHECKISH,      /* labels a checkbox, radio or switch */
    EL_LABEL_HIDDEN_CHECK,  /* ... one that is hidden behind it */
    EL_LABEL_RADIO          /* labels a radio */
};

struct wrow {
    unsigned char el;       /* enum el */
    double w;
};

static int el_is(int el, const struct heur_cand *c,
                 const struct heur_cand *ctl)
{
    int lab = labels(c, ctl);

    switch (el) {
    case EL_BUTTON:             return is_button(c);
    case EL_LINK:               return is_link(c);
    case EL_ACTION:             return is_link(c) || is_button(c);
    case EL_CLICKABLE:          return c->clickable;
    case EL_PLAIN_CLICK:        return c->clickable && !c->editable &&
                                       !is_checkish(c);
    case EL_CLICK_NOT_BUTTON:   return c->clickable && !is_button(c) &&
                                       !c->editable;
    case EL_CLICK_NO_ROLE:      return c->clickable && !c->role[0];
    case EL_CLICK_OR_BUTTON:    return c->clickable || is_button(c);
    case EL_ACTIVE:             return c->clickable || is_link(c) ||
                                       is_button(c) || is_checkish(c) ||
                                       is_select(c);
    case EL_EDITABLE:           return c->editable;
    case EL_EDIT_NOT_SELECT:    return c->editable && !is_select(c);
    case EL_MULTILINE:          return c->editable && !eq(c->tag, "input");
    case EL_SELECT:             return is_select(c);
    case EL_CHECKISH:           return is_checkish(c);
    case EL_CHECKBOX:           return eq(c->role, "checkbox") ||
                                       type_is(c, "checkbox");
    case EL_RADIO:              return is_radio(c);
    case EL_ROLE_SWITCH:        return eq(c->role, "switch");
    case EL_ROLE_TAB:           return eq(c->role, "tab");
    case EL_ROLE_MENU:          return eq(c->role, "menu") ||
                                       eq(c->role, "menubar") ||
                                       is_menuitem(c);
    case EL_MENUITEM:           return is_menuitem(c);
    case EL_ROLE_OPTION:        return eq(c->role, "option");
    case EL_ROLE_TREEITEM:      return eq(c->role, "treeitem");
    case EL_HEADING:            return is_heading(c);
    case EL_IMG:                return is_img(c);
    case EL_TEXTLESS_ACTIVE:    return (c->clickable || is_button(c) ||
                                        is_link(c)) && !c->text[0];
    case EL_TEXTLESS_ACTION:    return (is_link(c) || is_button(c)) &&
                                       !c->text[0];
    case EL_LABEL_TAG:          return eq(c->tag, "label");
    case EL_LABELISH:           return c->labelish;
    case EL_LABEL_EDITABLE:     return lab && ctl->editable;
    case EL_LABEL_SELECT:       return lab && is_select(ctl);
    case EL_LABEL_CHECKISH:     return lab && is_checkish(ctl);
    case EL_LABEL_HIDDEN_CHECK: return lab && is_checkish(ctl) &&
                                       !ctl->visible;
    case EL_LABEL_RADIO:        return lab && is_radio(ctl);
    default:                    return 1;
    }
}

/* The weight of the first row of ROWS that C is. */
static double weigh(const struct wrow *rows, const struct heur_cand *c,
                    const struct heur_cand *ctl)
{
    while (rows->el != EL_ANY && !el_is(rows->el, c, ctl))
        rows++;
    return rows->w;
}

#define FIT 1.0     /* the element is what is asked: nothing taken off */

/* The kind factor: how well an element takes the step's action. */
static const struct wrow KIND_W[HEUR_KIND_COUNT][5] = {
    [HEUR_CLICK] = {
        {EL_EDIT_NOT_SELECT,    0.70},
        {EL_ACTIVE,             FIT},
        {EL_LABEL_TAG,          0.85},
        {EL_ANY,                0.40}},
    [HEUR_FILL] = {
        {EL_EDITABLE,           FIT},
        {EL_SELECT,             0.45},
        {EL_LABEL_EDITABLE,     0.50},
        {EL_ANY,                0.10}},
    [HEUR_SELECT] = {
        {EL_SELECT,             FIT},
        {EL_LABEL_SELECT,       0.55},
        {EL_CLICK_OR_BUTTON,    0.35},
        {EL_ANY,                0.10}},
    [HEUR_CHECK] = {
        {EL_CHECKISH,           FIT},
        {EL_LABEL_HIDDEN_CHECK, FIT},
        {EL_LABEL_CHECKISH,     0.92},
        {EL_CLICK_OR_BUTTON,    0.45},
        {EL_ANY,                0.10}},
    [HEUR_READ] = {
        /* reading "Order total" means the value its label names */
        {EL_LABELISH,           0.75},
        {EL_ANY,                FIT}},
    [HEUR_SEE] = {
        /* waiting for "Order total" to show: the words themselves */
        {EL_ANY,                FIT}},
};

static double kind_factor(enum heur_kind k, const struct heur_cand *c,
                          const struct heur_cand *ctl)
{
    if ((unsigned)k >= HEUR_KIND_COUNT)
        k = HEUR_READ;
    return weigh(KIND_W[k], c, ctl);
}

/* The role factor: how well an element is what a role word of the intent
 * names ("button", "link", "field"...), by role class. */
static const struct wrow ROLE_W[HEUR__RC_COUNT][6] = {
    [HEUR__RC_BUTTON] = {
        {EL_BUTTON,             FIT},
        {EL_LINK,               0.70},
        {EL_PLAIN_CLICK,        0.85},
        {EL_ANY,                0.30}},
    [HEUR__RC_LINK] = {
        {EL_LINK,               FIT},
        {EL_CLICK_NOT_BUTTON,   0.80},
        {EL_BUTTON,             0.70},
        {EL_ANY,                0.30}},
    [HEUR__RC_FIELD] = {
        {EL_EDITABLE,           FIT},
        {EL_SELECT,             0.80},
        {EL_LABEL_EDITABLE,     0.60},
        {EL_CHECKISH,           0.40},
        {EL_ANY,                0.30}},
    [HEUR__RC_CHECKBOX] = {
        {EL_CHECKBOX,           FIT},
        {EL_ROLE_SWITCH,        0.85},
        {EL_LABEL_RADIO,        0.5},
        {EL_LABEL_CHECKISH,     0.95},
        {EL_RADIO,              0.5},
        {EL_ANY,                0.30}},
    [HEUR__RC_RADIO] = {
        {EL_RADIO,              FIT},
        {EL_LABEL_RADIO,        0.95},
        {EL_ANY,                0.30}},
    [HEUR__RC_TAB] = {
        {EL_ROLE_TAB,           FIT},
        {EL_CLICK_NO_ROLE,      0.75},
        {EL_ACTION,             0.60},
        {EL_ANY,                0.30}},
    [HEUR__RC_MENU] = {
        {EL_ROLE_MENU,          FIT},
        {EL_BUTTON,             0.80},
        {EL_CLICKABLE,          0.60},
        {EL_ANY,                0.30}},
    [HEUR__RC_MENUITEM] = {
        {EL_MENUITEM,           FIT},
        {EL_ACTION,             0.80},
        {EL_ROLE_OPTION,        0.80},
        {EL_CLICKABLE,          0.60},
        {EL_ANY,                0.30}},
    [HEUR__RC_SELECT] = {
        {EL_SELECT,             FIT},
        {EL_LABEL_SELECT,       0.70},
        {EL_BUTTON,             0.60},
        {EL_EDITABLE,           0.50},
        {EL_ANY,                0.30}},
    [HEUR__RC_SWITCH] = {
        {EL_ROLE_SWITCH,        FIT},
        {EL_CHECKBOX,           0.90},
        {EL_LABEL_CHECKISH,     0.85},
        {EL_BUTTON,             0.70},
        {EL_ANY,                0.30}},
    [HEUR__RC_ICON] = {
        {EL_TEXTLESS_ACTIVE,    FIT},
        {EL_IMG,                0.80},
        {EL_CLICKABLE,          0.70},
        {EL_ANY,                0.40}},
    [HEUR__RC_IMAGE] = {
        {EL_IMG,                FIT},
        {EL_TEXTLESS_ACTION,    0.85},
        {EL_ANY,                0.40}},
    [HEUR__RC_HEADING] = {
        {EL_HEADING,            FIT},
        {EL_ANY,                0.40}},
    [HEUR__RC_OPTION] = {
        {EL_ROLE_OPTION,        FIT},
        {EL_RADIO,              0.80},
        {EL_MENUITEM,           0.80},
        {EL_LABEL_RADIO,        0.80},
        {EL_ANY,                0.40}},
    [HEUR__RC_LABEL] = {
        {EL_LABEL_TAG,          FIT},
        {EL_LABELISH,           0.80},
        {EL_ANY,                0.50}},
    [HEUR__RC_TREEITEM] = {
        {EL_ROLE_TREEITEM,      FIT},
        {EL_CLICKABLE,          0.70},
        {EL_ANY,                0.40}},
    [HEUR__RC_TEXTAREA] = {
        {EL_MULTILINE,          FIT},
        {EL_EDITABLE,           TA_LINE},
        {EL_LABEL_EDITABLE,     0.60},
        {EL_ANY,                0.30}},
};

static double role_class(int rc, const struct heur_cand *c,
                         const struct heur_cand *ctl)
{
    if (rc < 0 || rc >= HEUR__RC_COUNT)
        return FIT;
    return weigh(ROLE_W[rc], c, ctl);
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
     * the label carries it. A hidden textarea whose visible editor
     * stands in for it (its record's "for": a code or rich-text editor)
     * is filled through that editor (issue 22 pattern 1, p-query-01). */
    if (!c->visible && !(c->editable && ctl && ctl->visible &&
                         ctl->editable))
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

/* How the intent's content words sit in a candidate's own name (struct
 * work's whole): all of them and nothing more, or all of them among
 * other content words or numbers. */
#define WHOLE_EXACT 2
#define WHOLE_MORE  1
#define WHOLE_MASK  3
#define LEAD_OWN    4   /* its own name has the intent's first content
                           word ("Structure" of "Structure orders") */

#define NSRC 16     /* name sources per candidate */
#define TOKCACHE 61 /* shared strings whose words are kept per call */

#define SRC_HEAD 2

/* Scratch for one candidate. */
struct work {
    /* the name sources (sources()) and their words, computed once per
     * candidate and shared by both readings */
    const char *srcs[NSRC];
    double srcw[NSRC];
    unsigned char srcimp[NSRC]; /* implied words (implied()): precision
                                   does not count */
    unsigned char srcown[NSRC]; /* 1: the element's own whole name: its
                                   name, label, text, alt, placeholder or
                                   title; SRC_HEAD: the head of one; 0:
                                   near text, an id */
    struct heur__toks srct[NSRC];
    int nsrc;                   /* -1: not computed yet */
    int verb_ok;                /* the intent's verb is a role word that
                                   the candidate fulfils ("select" on a
                                   select) */
    struct heur__toks src;      /* attribute words */
    struct heur__toks ctxw;     /* context words of the candidate */
    struct heur__toks tmp;
    double ctx_credit[HEUR__MAXTOK];  /* per intent word, from context */
    char nearbuf[512];          /* near text split into segments */
    char headbuf[256];          /* head of a long name */
    char keybuf[256];           /* a menu item's name without its key */
    int has_ctx;
    int whole;                  /* WHOLE_* of reading a's own words, |
                                   LEAD_OWN */
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
    "unsubscribe", "enable", "disable", "restore", "undo", "redo",
    /* issue 22 pattern 3 (p-lists-01, p-lists-05) */
    "select", "toggle", "switch", "drop", "browse", "insert", "empty",
    "truncate", "run", "execute", "clear", "reset", "clone", "publish",
    "preview", "trash", "restore", NULL
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
    int lead;           /* the first content word, or -1 */
};

static void iwords_init(struct iwords *w, const struct heur__toks *I)
{
    int j;

    w->t = I;
    w->roles = 0;
    w->verb = -1;
    w->lead = -1;
    for (j = 0; j < I->n; j++) {
        if (I->t[j].role)
            w->roles |= 1u << (I->t[j].role - 1);
        else if (w->verb < 0 && I->t[j].w >= 1.0f)
            w->verb = is_verb(I->t[j].s) ? j : -2;
        if (w->lead < 0 && !I->t[j].role && I->t[j].w >= 1.0f &&
            !(I->t[j].fl & HEUR__T_OPT))
            w->lead = j;
    }
    w->neg = has_neg(I);
}

/* Is word W one of the space-separated words of S? */
static int has_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    const char *p = s;
    while ((p = strstr(p, w)) != NULL) {
        if ((p == s || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
        p += n;
    }
    return 0;
}

/* What a control is, in the words people call it by when it has no name
 * (issue 22 pattern 1): a multi-line editor is "the text area", "the
 * editor", "page content", "the message body"; a text field in a search
 * form, or of type search, "the search box". NULL for other elements.
 * The prefilter and the collector's probe test read the same words. */
static const char *implied(const struct heur_cand *c)
{
    if (!c->editable)
        return NULL;
    if (!eq(c->tag, "input"))
        return "text content body editor";
    if (type_is(c, "search") || eq(c->role, "searchbox") ||
        has_word(c->region, "search"))
        return "search";
    return NULL;
}

/* Source strings and weights for the name reading, at most 16, empty and
 * repeated strings skipped. Near text is split at " | " and "(" so that
 * each label-like snippet is matched on its own. */
/* Whether word W (LEN bytes) is a keyboard shortcut as menus show them:
 * a function key ("F5"), a modifier and a key ("Ctrl-Enter", "Shift+Tab",
 * "Ctrl-Shift-P"), Apple's key symbols ("\u2318S"), or, unless
 * STRONG_ONLY, one letter or digit ("B") or a sequence of them ("D,D"),
 * which may as well be a word of a name ("Plan B") outside a menu. */
static int is_key(const char *w, size_t len, int strong_only)
{
    static const char *const mods[] = {"ctrl", "control", "shift", "alt",
                                       "option", "opt", "cmd", "command",
                                       "meta", "win", "super"};
    size_t i, k;

    if (len == 1)
        return !strong_only && isalnum((unsigned char)w[0]);
    if ((unsigned char)w[0] == 0xe2 && len > 3)     /* U+2303..U+2325 */
        return (unsigned char)w[1] == 0x8c || (unsigned char)w[1] == 0x87;
    if ((w[0] == 'F' || w[0] == 'f') && len <= 3 &&
        isdigit((unsigned char)w[1]) &&
        (len == 2 || isdigit((unsigned char)w[2])))
        return 1;
    for (i = 0; i < len; i += 2)          /* "D,D" */
        if (!isupper((unsigned char)w[i]) || (i + 1 < len && w[i + 1] != ','))
            break;
    if (i >= len && len > 1)
        return !strong_only;
    for (k = 0; k < sizeof mods / sizeof *mods; k++) {
        size_t ml = strlen(mods[k]);
        if (len > ml + 1 && strncasecmp(w, mods[k], ml) == 0 &&
            (w[ml] == '-' || w[ml] == '+'))
            return 1;
    }
    return 0;
}

/* NAME without the keyboard shortcut after its words into OUT (N
 * bytes): 1 when it had one (is_key()) and words are left, else 0. */
static int unhinted(const char *name, int strong_only, char *out, size_t n)
{
    size_t len = strlen(name), e, b;

    while (len && name[len - 1] == ' ')
        len--;
    for (b = len; b && name[b - 1] != ' '; b--)
        ;
    if (!b || b >= len || !is_key(name + b, len - b, strong_only))
        return 0;
    for (e = b; e && name[e - 1] == ' '; e--)
        ;
    if (!e || e + 1 > n)
        return 0;
    memcpy(out, name, e);
    out[e] = '\0';
    return 1;
}

static int sources(const struct heur_cand *c, enum heur_kind k,
                   struct work *wk, const char **s, double *w)
{
    int n = 0, i, ctl = c->editable || is_select(c) || is_checkish(c);
    /* a name that is only its placeholder or title is no label: the
     * text beside the field is (issue 22 pattern 1, p-forms-09) */
    int named = c->label[0] || c->aria_label[0] ||
                (c->name[0] && strcmp(c->name, c->placeholder) != 0 &&
                 strcmp(c->name, c->title) != 0);
    const char *cand[16];
    double cw[16], wn;
    unsigned char cown[16];
    int m = 0, own;
    char *p;

    cand[m] = c->name;
    cw[m++] = !c->text[0] && !c->aria_label[0] && !c->label[0] &&
              (is_link(c) || eq(c->tag, "button")) ? W_ICON_NAME :
              /* a name that is only the title: a tooltip, as the title
               * weighs (a row checkbox's "Click here to rename, delete,
               * etc." against the "Delete selected" button) */
              strcmp(c->name, c->title) == 0 && !c->text[0] &&
              !c->label[0] && !c->aria_label[0] ? W_TITLE : W_NAME;
    cand[m] = c->label; cw[m++] = W_NAME;
    cand[m] = c->aria_label; cw[m++] = W_NAME;
    cand[m] = c->text; cw[m++] = W_NAME;
    cand[m] = c->alt; cw[m++] = W_ALT;
    cand[m] = c->placeholder; cw[m++] = W_PLACEHOLDER;
    cand[m] = c->title; cw[m++] = c->text[0] ? W_TITLE_TEXT : W_TITLE;
    cand[m] = is_select(c) || is_button(c) ? c->value : ""; cw[m++] = W_VALUE;
    own = m;        /* the sources above are the element's own names */
    memset(cown, 0, sizeof cown);
    /* an unlabelled text field's name and id words are a name too,
     * which the words around it may complete (reading b: the "query"
     * field under a "SQL command" heading is "the SQL query box"); not
     * of radios and checkboxes, whose group shares one name (issue 22
     * pattern 1, p-command-01) */
    if (c->editable && !named) {
        cand[m] = c->name_attr; cw[m++] = W_ATTR;
        cand[m] = c->id_attr; cw[m++] = W_ATTR;
    }
    /* the head of a long name: "Express shipping" of "Express shipping
     * — 2 days, $9.99", "Gift wrap" of "Gift wrap ($3)" */
    {
        const char *src = c->name[0] ? c->name : c->label[0] ? c->label :
                          c->text;
        size_t h = strcspn(src, "(\xe2,:");
        if (src[h] && h > 2 && h + 1 < sizeof wk->headbuf) {
            memcpy(wk->headbuf, src, h);
            wk->headbuf[h] = '\0';
            /* "prometheus" of "prometheus (1/1 up)": a name whose
             * rest is a note (issue 22 pattern 7, ra-prom-targets-08);
             * but "Publish" of "Publish: Immediately" labels a value
             * shown after it: a setting, which an element named just
             * "Publish" beats (issue 22 pattern 7, wordpress/14) */
            cown[m] = src[h] == ':' ? SRC_HEAD : 1;
            cand[m] = wk->headbuf;
            cw[m++] = W_HEAD;
        }
    }
    /* a name without the keyboard shortcut shown after its words
     * ("Insert Cell Below B", "Run Cells Ctrl-Enter"): the key is no
     * part of what it is called; one letter only on a menu item
     * (jupyter/12, p-menus-02) */
    if (unhinted(c->name, !is_menuitem(c), wk->keybuf, sizeof wk->keybuf)) {
        cand[m] = wk->keybuf;
        cw[m++] = W_NAME;
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
            wk->srcimp[n] = 0;
            wk->srcown[n] = i < own ? 1 : cown[i];
            s[n] = cand[i];
            w[n++] = cw[i];
        }
    }
    if (n < NSRC && (s[n] = implied(c)) != NULL) {
        wk->srcimp[n] = 1;
        wk->srcown[n] = 0;
        w[n++] = W_IMPLIED;
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
        if ((I->t[i].role || (I->t[i].fl & HEUR__T_OPT)) &&
            credit[i] < FOUND)
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
        int own = 0, all = 1;
        const struct heur__toks *S = &wk->srct[i];
        memset(credit, 0, sizeof credit);
        match(I, S, credit, &prec);
        if (wk->srcimp[i])
            prec = 1.0;         /* the words are alternatives */
        if (verb >= 0 && wk->verb_ok)
            credit[verb] = 1.0; /* "select" said of a select */
        for (j = 0; j < I->n; j++) {
            own += credit[j] >= FOUND && I->t[j].w >= 1.0f;
            if (I->t[j].role && credit[j] >= FOUND)
                um &= ~(1u << (I->t[j].role - 1));
            if (I->t[j].w >= 1.0f && !I->t[j].role &&
                !(I->t[j].fl & HEUR__T_OPT) && credit[j] < WHOLE)
                all = 0;
        }
        if (!own)
            continue;
        /* every content word of the intent, as written, in one of the
         * element's own names: that name is the intent's whole name, or
         * it says more (whole_wins()) */
        if (!ctxok && all && wk->srcown[i]) {
            /* the head of a longer name is part of a name that says
             * more: an element named just the words is the exact one
             * ("Publish" against "Publish: Immediately", wordpress/14) */
            int w = prec >= WHOLE && wk->srcown[i] != SRC_HEAD ?
                    WHOLE_EXACT : prec >= WHOLE || says_more(I, S) ?
                    WHOLE_MORE : 0;
            if (w > (wk->whole & WHOLE_MASK))
                wk->whole = (wk->whole & ~WHOLE_MASK) | w;
        }
        if (!ctxok && wk->srcown[i] && iw->lead >= 0 &&
            credit[iw->lead] >= FOUND)
            wk->whole |= LEAD_OWN;
        v = 1.0;
        if (verb >= 0 && credit[verb] < FOUND && !wk->verb_ok)
            v *= OTHER_VERB;    /* the action word names another control */
        if (ctxok)
            for (j = 0; j < I->n; j++)
                if (!I->t[j].role &&
                    credit[j] < CTX_CREDIT * wk->ctx_credit[j])
                    credit[j] = CTX_CREDIT * wk->ctx_credit[j];
        rec = recall_opt(I, credit);
        /* waiting for words: the element showing just those words, more
         * than one that shows them among others */
        v *= wk->srcw[i] * rec *
             (k == HEUR_SEE ? SEE_BASE + SEE_PREC * prec :
                              NAME_BASE + NAME_PREC * prec);
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
        int j, k;
        if (!f[i] || !f[i][0])
            continue;
        heur__tokenize(hx, f[i], &wk->tmp);
        /* a word the id and the name share is one word ("comment",
         * "comment"), not two of which one went unmatched (issue 22
         * pattern 1, p-query-03) */
        for (j = 0; j < wk->tmp.n && wk->src.n < HEUR__MAXTOK; j++) {
            for (k = 0; k < wk->src.n; k++)
                if (wk->src.t[k].h == wk->tmp.t[j].h &&
                    strcmp(wk->src.t[k].s, wk->tmp.t[j].s) == 0)
                    break;
            if (k == wk->src.n)
                wk->src.t[wk->src.n++] = wk->tmp.t[j];
        }
    }
    if (wk->src.n) {
        memset(credit, 0, sizeof credit);
        match(I, &wk->src, credit, &prec);
        v = recall_opt(I, credit);
        best = W_ATTR * v * (ATTR_BASE + ATTR_PREC * prec);
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

    const char *imp = implied(c);

    if (ps->it->n_probe == 0)
        return 1;
    for (i = 0; i < 14 && o + 2 < cap; i++) {
        size_t l;
        const char *v = i < 13 ? f[i] : imp;
        if (!v || !v[0])
            continue;
        l = strlen(v);
        if (l > 400)
            l = 400;
        o += heur__fold(v, l, hay + o, cap - o);
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
    wk->verb_ok = 0;
    wk->whole = 0;
    if (iw[0].verb >= 0) {
        int rc = heur__role_word(it->main.t[iw[0].verb].s);
        wk->verb_ok = rc >= 0 && role_class(rc, c, ctl) >= ROLE_IS;
    }
    /* clicking what the intent names by its role ("the text field", "the
     * Subscribe heading"): the role says it is the one to click (issue 22
     * pattern 8, p-inputs-01) */
    if (kind == HEUR_CLICK && K < 1.0 && it->roles &&
        role_factor(it->roles, c, ctl) >= ROLE_IS)
        K = 1.0;

    /* Reading a: the main words name the element, the context clause
     * must agree with its surroundings. */
    if (it->n_content) {
        na = name_score(hx, &iw[0], c, kind, wk, 0, &um);
        attr = attr_score(hx, &it->main, c, wk);
    } else {
        /* "the checkbox": only role and ordinal decide */
        na = it->roles ? ROLE_ONLY : 0;
        attr = 0;
    }
    R = role_factor(um, c, ctl);
    if (it->ctx.n && (na > 0 || attr > 0)) {
        build_ctx(hx, c, wk);
        X = CTX_BASE + CTX_AGREE * ctx_match(it, wk);
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
    if (it->n_content && (it->ctx.n || (na > 0 && na < WHOLE))) {
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

/* Do A and B show the same words and surroundings, neither in a
 * repeated group? Then the page shows one named control twice (a
 * list's toolbar above and below it: "Filter rows" at its top and
 * bottom), and nothing a person sees tells them apart but their place.
 * Rows of one group are never twins: their words may differ past what
 * a record keeps; nor are unnamed fields ("the textbox" of three)
 * (issue 22 pattern 7, p-admin-07, p-inputs-03). */
static int twins(const struct heur_cand *a, const struct heur_cand *b)
{
    const char *const *fa[] = {&a->tag, &a->role, &a->name, &a->label,
        &a->placeholder, &a->title, &a->aria_label, &a->alt, &a->text,
        &a->id_attr, &a->name_attr, &a->cls, &a->testid, &a->type,
        &a->href, &a->near, &a->context, &a->heading, &a->region, &a->form};
    const char *const *fb[] = {&b->tag, &b->role, &b->name, &b->label,
        &b->placeholder, &b->title, &b->aria_label, &b->alt, &b->text,
        &b->id_attr, &b->name_attr, &b->cls, &b->testid, &b->type,
        &b->href, &b->near, &b->context, &b->heading, &b->region, &b->form};
    size_t i;

    if (a->group >= 0 || b->group >= 0 || a->visible != b->visible ||
        a->enabled != b->enabled || a->dest != b->dest || a->id_attr[0] ||
        !(a->name[0] || a->label[0] || a->text[0]))
        return 0;       /* unnamed look-alikes are fields of their own */
    for (i = 0; i < sizeof fa / sizeof fa[0]; i++)
        if (*fa[i] != *fb[i] && strcmp(*fa[i], *fb[i]) != 0)
            return 0;
    return 1;
}

/* Are A and B equal but for their runs of digits ("field_2_3" and
 * "field_7_3"), and not equal? */
static int same_but_numbers(const char *a, const char *b)
{
    int differ = 0;

    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            const char *sa = a, *sb = b;
            while (isdigit((unsigned char)*a))
                a++;
            while (isdigit((unsigned char)*b))
                b++;
            differ |= a - sa != b - sb || memcmp(sa, sb, (size_t)(a - sa));
            continue;
        }
        if (*a++ != *b++)
            return 0;
    }
    return !*a && !*b && differ;
}

/* Are fields A and B one field of two numbered copies of a block: the
 * same words and surroundings, each in a block of its own (another
 * repeated group, or none), their ids and names the same but for
 * numbers ("fields[multi_edit][0][name]" and "...[1][name]": an insert
 * form's second row, which the page offers to be ignored)? Nothing a
 * person sees tells them apart but their place, and a person starts at
 * the first (issue 22 pattern 7, phpmyadmin/08). */
static int numbered_copies(const struct heur_cand *a,
                           const struct heur_cand *b)
{
    const char *const *fa[] = {&a->tag, &a->role, &a->name, &a->label,
        &a->placeholder, &a->title, &a->aria_label, &a->alt, &a->text,
        &a->cls, &a->type, &a->near, &a->context, &a->heading,
        &a->region, &a->form};
    const char *const *fb[] = {&b->tag, &b->role, &b->name, &b->label,
        &b->placeholder, &b->title, &b->aria_label, &b->alt, &b->text,
        &b->cls, &b->type, &b->near, &b->context, &b->heading,
        &b->region, &b->form};
    size_t i;

    if (!(a->editable || is_select(a)) || a->editable != b->editable ||
        (a->group >= 0 && a->group == b->group) ||
        a->visible != b->visible || a->enabled != b->enabled ||
        !same_but_numbers(a->name_attr, b->name_attr) ||
        (a->id_attr[0] && !same_but_numbers(a->id_attr, b->id_attr)))
        return 0;
    for (i = 0; i < sizeof fa / sizeof fa[0]; i++)
        if (*fa[i] != *fb[i] && strcmp(*fa[i], *fb[i]) != 0)
            return 0;
    return 1;
}

/* Is every word of A among those of B? */
static int words_in(const struct heur__toks *a, const struct heur__toks *b)
{
    int i, j;
    for (i = 0; i < a->n; i++) {
        for (j = 0; j < b->n; j++)
            if (a->t[i].h == b->t[j].h && strcmp(a->t[i].s, b->t[j].s) == 0)
                break;
        if (j == b->n)
            return 0;
    }
    return 1;
}

/* Do links A and B go to the same place with the same words (their
 * names, else texts, as sets of words: an icon's alt beside the same
 * text says nothing more)? A "Show" and a "Delete" link may share an
 * href that a script tells apart (issue 22 pattern 7, p-admin-03). */
static int same_link(struct heur_ctx *hx, const struct heur_cand *a,
                     const struct heur_cand *b)
{
    struct heur__toks ta, tb;

    if (!a->dest || a->dest != b->dest)
        return 0;
    heur__tokenize(hx, a->name[0] ? a->name : a->text, &ta);
    heur__tokenize(hx, b->name[0] ? b->name : b->text, &tb);
    return ta.n > 0 && words_in(&ta, &tb) && words_in(&tb, &ta);
}

/* Is C a button that submits its form? */
static int submits(const struct heur_cand *c)
{
    return c->form[0] && is_button(c) && (type_is(c, "submit") ||
           (eq(c->tag, "button") && !c->type[0]) || type_is(c, "image"));
}

/* Do A and B submit the same form, with the same words and the same
 * name (what the form sends for the button)? phpMyAdmin's row editor
 * has a "Go" under the fields and another in its footer (issue 22
 * pattern 7, phpmyadmin/08, 09). */
static int same_submit(const struct heur_cand *a, const struct heur_cand *b)
{
    return submits(a) && submits(b) && strcmp(a->form, b->form) == 0 &&
           strcmp(a->name, b->name) == 0 &&
           strcmp(a->name_attr, b->name_attr) == 0 &&
           strcmp(a->value, b->value) == 0;
}

/* Are A and B one choice for the margin: the same control (related()),
 * links to the same place with the same words (the navigation tree's
 * "customers" and the table list's: either opens the table), buttons
 * that submit one form alike (same_submit()), twins(), or one field
 * of numbered copies of a block (numbered_copies())? */
static int same_choice(struct heur_ctx *hx, const struct heur_cand *a,
                       const struct heur_cand *b)
{
    return related(a, b) || twins(a, b) || same_submit(a, b) ||
           same_link(hx, a, b) || numbered_copies(a, b);
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
 * multiplied by ORD_MISS. Peers in a repeated group (the rows of one
 * table, the items of one list: heur_cand.group) are counted within it,
 * as a person counts rows, not with a lone look-alike elsewhere (a
 * breadcrumb): when one group holds at least two peers and enough for
 * the ordinal, its k-th is the one; when several do, each group's k-th
 * keeps its score, and the ranking is left uncertain (issue 22 pattern
 * 6, p-lists-09). */
static void apply_ordinal(const struct heur__intent *it,
                          const struct heur_cand *c, struct heur_score *s,
                          size_t n)
{
    double top = 0;
    size_t i, np = 0, ng = 0, k;
    int *peer, *grp, *cnt, *pick, npick = 0;

    for (i = 0; i < n; i++)
        if (s[i].total > top)
            top = s[i].total;
    if (top <= 0)
        return;
    peer = malloc(4 * n * sizeof *peer);
    if (!peer)
        return;
    grp = peer + n;             /* distinct groups of the peers */
    cnt = grp + n;              /* their peer counts */
    pick = cnt + n;
    for (i = 0; i < n; i++) {       /* s[] is in document order here */
        size_t j;
        int rel = 0;
        if (s[i].total < ORD_PEER * top || s[i].total < ORD_FLOOR ||
            !c[s[i].cand].visible)
            continue;
        for (j = 0; j < np && !rel; j++)
            rel = related(&c[s[peer[j]].cand], &c[s[i].cand]);
        if (rel)
            continue;
        peer[np++] = (int)i;
        if (c[s[i].cand].group < 0)
            continue;
        for (k = 0; k < ng && grp[k] != c[s[i].cand].group; k++)
            ;
        if (k == ng) {
            grp[ng] = c[s[i].cand].group;
            cnt[ng++] = 0;
        }
        cnt[k]++;
    }
    /* the k-th of every group with two peers or more, and enough */
    for (k = 0; k < ng; k++) {
        size_t j, m = 0, want;
        if (cnt[k] < 2 || (it->ordinal > 0 && cnt[k] < it->ordinal))
            continue;
        want = it->ordinal > 0 ? (size_t)it->ordinal : (size_t)cnt[k];
        for (j = 0; j < np; j++)
            if (c[s[peer[j]].cand].group == grp[k] && ++m == want) {
                pick[npick++] = peer[j];
                break;
            }
    }
    if (!npick) {                   /* no group: the document's k-th */
        if (it->ordinal < 0 && np > 0)
            pick[npick++] = peer[np - 1];
        else if (it->ordinal > 0 && (size_t)it->ordinal <= np)
            pick[npick++] = peer[it->ordinal - 1];
    }
    for (i = 0; i < n; i++) {
        int keep = 0, j;
        for (j = 0; j < npick && !keep; j++)
            keep = (int)i == pick[j] ||
                   (related(&c[s[pick[j]].cand], &c[s[i].cand]) &&
                    s[i].total < s[pick[j]].total);
        if (!keep) {
            s[i].total *= ORD_MISS;
            s[i].f[HEUR_F_ORDINAL] = ORD_MISS;
        }
    }
    free(peer);
}

static int in_menu(const struct heur_hist *h, const struct heur_cand *c)
{
    size_t i;

    for (i = 0; i < h->nmenu; i++)
        if (h->menu[i] == c->id)
            return 1;
    return 0;
}

/* The task's history (heur_hist), a menu: after a click opened a menu,
 * a click whose words fit an item of that menu means that item, not a
 * look-alike elsewhere (a toolbar's icon button titled as the item): when
 * an item scores MENU_FIT or more, what is outside the menu counts
 * MENU_OTHER. S[] scored. */
static void apply_menu(const struct heur_hist *h, const struct heur_cand *c,
                       struct heur_score *s, size_t n)
{
    size_t i;
    int in = -1;

    for (i = 0; i < n; i++)
        if (s[i].total >= MENU_FIT && in_menu(h, &c[s[i].cand]) &&
            (in < 0 || s[i].total > s[in].total))
            in = (int)i;
    if (in < 0)
        return;
    for (i = 0; i < n; i++)
        if (s[i].total > 0 && !in_menu(h, &c[s[i].cand]) &&
            !related(&c[s[in].cand], &c[s[i].cand]))
            s[i].total *= MENU_OTHER;
}

/* The task's history (heur_hist): after fields of a form were filled, a
 * click whose words fit a button of that form means that button, not a
 * look-alike elsewhere (a header's "Log in" link beside the login form's
 * "Log in" button): when such a button scores FORM_FIT or more, what is
 * outside the form counts FORM_OTHER (issue 22 pattern 2, p-login-04).
 * S[] in
 * document order, scored. */
static void apply_hist(const struct heur_hist *h, enum heur_kind kind,
                       const struct heur_cand *c, struct heur_score *s,
                       size_t n)
{
    size_t i;
    int in = -1;

    if (!h || kind != HEUR_CLICK)
        return;
    if (h->menu && h->nmenu)
        apply_menu(h, c, s, n);
    if (!h->form || !h->form[0])
        return;
    for (i = 0; i < n; i++)
        if (s[i].total >= FORM_FIT && is_button(&c[s[i].cand]) &&
            eq(c[s[i].cand].form, h->form) &&
            (in < 0 || s[i].total > s[in].total))
            in = (int)i;
    if (in < 0)
        return;
    for (i = 0; i < n; i++)
        if (s[i].total > 0 && !eq(c[s[i].cand].form, h->form) &&
            !related(&c[s[in].cand], &c[s[i].cand]))
            s[i].total *= FORM_OTHER;
}

/* A clickable element that is no control: a generic element (no role,
 * not a link, button, field or label) that the page made clickable, such
 * as a notebook's cell or a card. */
static int generic_click(const struct heur_cand *c)
{
    return !c->role[0] && !is_link(c) && !is_button(c) && !c->editable &&
           !is_select(c) && !eq(c->tag, "label") && !eq(c->tag, "summary");
}

/* Clicking words that only texts show: nothing clickable fits them, and
 * the element showing them may well handle the click (a list item, a
 * table cell, a collapsible header with a script handler: neither role
 * nor cursor says so). Such texts, when they show about just those words,
 * count TEXT_CLICK for the step kind instead of the kind factor of
 * "other". A generic clickable whose long text merely holds the words
 * (a notebook's cell under its "Rainfall" heading) does not count as
 * fitting; a text inside such a clickable is part of it, not a target
 * of its own (issue 22 pattern 11, p-notebook-01). S[] scored. */
static void text_click(enum heur_kind kind, const struct heur_cand *c,
                       struct heur_score *s, size_t n)
{
    double click = 0;
    size_t i;
    int text = 0;

    if (kind != HEUR_CLICK)
        return;
    for (i = 0; i < n; i++) {
        if (!(s[i].total > 0))
            continue;
        if (s[i].f[HEUR_F_KIND] > CLICKS) {
            if (s[i].total > click && (s[i].f[HEUR_F_NAME] >= TEXT_NAME ||
                                       !generic_click(&c[s[i].cand])))
                click = s[i].total;
        } else {
            text = 1;
        }
    }
    if (!text || click >= CLICK_FIT)
        return;
    for (i = 0; i < n; i++) {
        const struct heur_cand *p;
        if (!(s[i].total > 0) || s[i].f[HEUR_F_KIND] > CLICKS ||
            s[i].f[HEUR_F_NAME] < TEXT_NAME)
            continue;
        p = find_id(c, n, c[s[i].cand].parent_id);
        if (p && p->clickable && generic_click(p))
            continue;
        s[i].total *= TEXT_CLICK / s[i].f[HEUR_F_KIND];
        s[i].f[HEUR_F_KIND] = TEXT_CLICK;
    }
}

/* A container (a tree item, a list item, a cell) is the best match for a
 * click, and one link or button inside it carries its words: that is
 * what a person clicks (the item's centre may be an expand toggle).
 * S[] ranked, best first. */
static void descend(enum heur_kind kind, const struct heur_cand *c,
                    struct heur_score *s, size_t n)
{
    const struct heur_cand *b;
    size_t i, one = 0;
    int found = 0;

    if (kind != HEUR_CLICK || n < 2 || s[0].total <= 0)
        return;
    b = &c[s[0].cand];
    if (is_link(b) || is_button(b))
        return;
    for (i = 1; i < n && s[i].total > 0; i++) {
        const struct heur_cand *d = &c[s[i].cand];
        if (d->parent_id != b->id || !d->visible ||
            !(is_link(d) || is_button(d)) ||
            s[i].total < DESCEND * s[0].total)
            continue;
        if (found++)
            return;                 /* two: the container it is */
        one = i;
    }
    if (found == 1) {
        struct heur_score d = s[one];
        memmove(&s[1], &s[0], one * sizeof *s);
        if (d.total < s[1].total)
            d.total = s[1].total;   /* the container's evidence is its */
        s[0] = d;
    }
}

/* An exact whole name against names that say more: when the best
 * element whose own name is all the intent's content words and nothing
 * more scores at least as well as one whose name has them among other
 * content words or a count, that one counts EXACT_OVER: "Run All" is the
 * menu item "Run All", not "Run All Above"; "Posts" the menu's "Posts",
 * not "All Posts" or "5 Posts". S[] scored, WHOLE[] per candidate. */
static void whole_wins(struct heur_score *s, size_t n,
                       const unsigned char *whole)
{
    double e = 0;
    size_t i;

    for (i = 0; i < n; i++)
        if ((whole[i] & WHOLE_MASK) == WHOLE_EXACT && s[i].total > e)
            e = s[i].total;
    if (e <= 0)
        return;
    for (i = 0; i < n; i++)
        if ((whole[i] & WHOLE_MASK) == WHOLE_MORE && s[i].total > 0 &&
            s[i].total <= e)
            s[i].total *= EXACT_OVER;
}

/* Is C a link to the page it is on: an address of its own that the
 * collector found to be this page's (no destination), not an anchor
 * ("#…") or a script's? */
static int links_here(const struct heur_cand *c)
{
    return is_link(c) && !c->dest && c->href[0] && c->href[0] != '#' &&
           strncasecmp(c->href, "javascript:", 11) != 0;
}

/* An action every row of a list repeats: records of two or more rows
 * of one repeated group score the group's best (the rows' "Search"
 * links) and nothing tells their rows apart. When an element outside
 * the group fits as well (the page's "Search" tab), the intent, which
 * names no row, means that one: the group's copies count ROW_TWIN.
 * Not a link to the page the person is on (the current tab): nobody
 * asks to go where they are (ra-pma-db-07, "Structure" on the Structure
 * tab over each table's "Structure"). Alone, they stay tied. Looked
 * for within ROW_BAND of the best, where it may decide the step. S[]
 * scored, in document order. */
static void row_twins(const struct heur_cand *c, struct heur_score *s,
                      size_t n)
{
    size_t i, j, k, m = 0, nd = 0;
    double top = 0;
    int *nz, *done;

    for (i = 0; i < n; i++)
        if (s[i].total > top)
            top = s[i].total;
    if (top <= 0)
        return;
    nz = malloc(2 * n * sizeof *nz);
    if (!nz)
        return;
    done = nz + n;              /* groups looked at */
    for (i = 0; i < n; i++)     /* what may decide: near the top */
        if (s[i].total >= ROW_BAND * top)
            nz[m++] = (int)i;
    for (i = 0; i < m; i++) {
        const struct heur_cand *a = &c[s[nz[i]].cand], *first = NULL;
        double t = 0, out = 0;
        int g = a->group, rows = 0;
        if (g < 0)
            continue;
        for (k = 0; k < nd && done[k] != g; k++)
            ;
        if (k < nd)
            continue;
        done[nd++] = g;
        for (j = 0; j < m; j++) {
            const struct heur_cand *d = &c[s[nz[j]].cand];
            double v = s[nz[j]].total;
            if (d->group == g) {
                if (v > t)
                    t = v;
            } else if (v > out && d->visible && !links_here(d)) {
                out = v;
            }
        }
        for (j = 0; j < m && rows < 2; j++) {   /* two rows at the best? */
            const struct heur_cand *d = &c[s[nz[j]].cand];
            if (d->group != g || s[nz[j]].total < t - TIE)
                continue;
            if (!first) {
                first = d;
                rows = 1;
            } else if (!related(first, d) &&
                       strcmp(d->context, first->context) != 0) {
                rows = 2;
            }
        }
        if (rows < 2 || out < t - TIE)
            continue;
        for (j = 0; j < m; j++)
            if (c[s[nz[j]].cand].group == g && s[nz[j]].total >= t - TIE)
                s[nz[j]].total *= ROW_TWIN;
    }
    free(nz);
}

/* An action and its row's subject ("Structure orders", "Browse
 * customers"): in the row whose words hold the subject, the control
 * whose own name is the intent's first content word is the target; the
 * subject's own link, which fits with the action word found in its row,
 * counts ROW_SUBJECT when such a control of the same row fits at least
 * DESCEND as well. S[] scored, WHOLE[] per candidate. */
static void row_subject(enum heur_kind kind, const struct heur_cand *c,
                        struct heur_score *s, size_t n,
                        const unsigned char *whole)
{
    size_t i, j, m = 0;
    double top = 0;
    int *act;

    if (kind != HEUR_CLICK)
        return;
    for (i = 0; i < n; i++)
        if (s[i].total > top)
            top = s[i].total;
    if (top <= 0 || !(act = malloc(n * sizeof *act)))
        return;
    for (i = 0; i < n; i++)     /* the controls named by the first word */
        if (s[i].total > 0 && (whole[i] & LEAD_OWN) &&
            !(whole[i] & WHOLE_MASK) && c[s[i].cand].context[0])
            act[m++] = (int)i;
    for (i = 0; i < n && m; i++) {
        const struct heur_cand *a = &c[s[i].cand];
        if (s[i].total < ROW_BAND * top ||
            (whole[i] & (LEAD_OWN | WHOLE_MASK)) || !a->context[0])
            continue;
        for (j = 0; j < m; j++) {
            const struct heur_cand *b = &c[s[act[j]].cand];
            if (s[act[j]].total >= DESCEND * s[i].total &&
                b->group == a->group &&
                (b->context == a->context ||
                 strcmp(b->context, a->context) == 0) && !related(a, b))
                break;
        }
        if (j < m)
            s[i].total *= ROW_SUBJECT;
    }
    free(act);
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
    unsigned char *whole;       /* per candidate: struct work's whole */
    size_t wcap;
};

void heur__scratch_free(struct heur_ctx *hx)
{
    if (!hx || !hx->scratch)
        return;
    free(hx->scratch->zeros);
    free(hx->scratch->whole);
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

/* Ranks C for the parsed intent IT into OUT (its array allocated). */
static int rank_it(struct heur_ctx *hx, struct heur__intent *it,
                   enum heur_kind kind, const struct heur_cand *c, size_t n,
                   const struct heur_hist *h, struct heur_result *out)
{
    struct iwords iw[2];        /* it.main, it.all */
    struct heur__scratch *sc = hx->scratch;
    size_t i;

    memset(out, 0, sizeof *out);
    out->best = -1;
    out->ranked = calloc(n ? n : 1, sizeof *out->ranked);
    if (!out->ranked)
        return -1;
    if (n > sc->wcap) {
        unsigned char *w = realloc(sc->whole, n);
        if (!w) {
            free(out->ranked);
            out->ranked = NULL;
            return -1;
        }
        sc->whole = w;
        sc->wcap = n;
    }
    if (n)
        memset(sc->whole, 0, n);
    sc->wk.gen++;               /* forget the previous call's words */
    iwords_init(&iw[0], &it->main);
    iwords_init(&iw[1], &it->all);
    probeset_init(&sc->ps, it);
    for (i = 0; i < n; i++) {
        if (!prefilter(&sc->ps, &c[i], sc->hay, sizeof sc->hay)) {
            out->ranked[i].cand = (int)i;
            continue;
        }
        score_one(hx, it, iw, kind, c, n, i, &sc->wk, &out->ranked[i]);
        sc->whole[i] = (unsigned char)sc->wk.whole;
    }
    text_click(kind, c, out->ranked, n);
    whole_wins(out->ranked, n, sc->whole);
    row_subject(kind, c, out->ranked, n, sc->whole);
    if (kind != HEUR_SEE && kind != HEUR_READ && !it->ordinal)
        row_twins(c, out->ranked, n);
    /* an ordinal counts what the words fit, as a person counts the
     * Execute buttons on the page; the form just filled then weighs
     * among what is left (issue 22 pattern 6, p-notebook-02) */
    if (it->ordinal)
        apply_ordinal(it, c, out->ranked, n);
    apply_hist(h, kind, c, out->ranked, n);
    (void)rank_scores(sc, out->ranked, n);     /* sorted either way */
    descend(kind, c, out->ranked, n);
    out->n = n;
    if (n && out->ranked[0].total > 0) {
        const struct heur_cand *b = &c[out->ranked[0].cand];
        double second = 0;
        for (i = 1; i < n; i++)
            if (!same_choice(hx, b, &c[out->ranked[i].cand])) {
                second = out->ranked[i].total;
                break;
            }
        out->best = out->ranked[0].cand;
        out->confidence = out->ranked[0].total;
        out->margin = out->confidence - second;
    }
    return 0;
}

int heur_rank_hist(struct heur_ctx *hx, const char *intent,
                   enum heur_kind kind, const struct heur_cand *c, size_t n,
                   const struct heur_hist *h, struct heur_result *out)
{
    struct heur__intent it;

    memset(out, 0, sizeof *out);
    out->best = -1;
    if ((unsigned)kind >= HEUR_KIND_COUNT)
        kind = HEUR_READ;
    if (!hx->scratch && !(hx->scratch = calloc(1, sizeof *hx->scratch)))
        return -1;
    heur__parse_intent(hx, intent, &it, 0);
    if (it.ordinal) {
        /* An element whose text is the whole intent, ordinal phrase
         * included ("Section #2", a tab), is what it names: an exact
         * text wins over the ordinal reading (issue 22 pattern 10,
         * p-tasks-04). */
        struct heur__intent lit;
        heur__parse_intent(hx, intent, &lit, 1);
        if (kind == HEUR_CLICK)
            heur__intent_verb(&lit);
        if (rank_it(hx, &lit, kind, c, n, h, out) != 0)
            return -1;
        if (out->best >= 0 && out->ranked[0].f[HEUR_F_NAME] >= WHOLE)
            return 0;
        heur_result_free(out);
    }
    if (kind == HEUR_CLICK)
        heur__intent_verb(&it);
    return rank_it(hx, &it, kind, c, n, h, out);
}

int heur_rank(struct heur_ctx *hx, const char *intent, enum heur_kind kind,
              const struct heur_cand *c, size_t n, struct heur_result *out)
{
    return heur_rank_hist(hx, intent, kind, c, n, NULL, out);
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
