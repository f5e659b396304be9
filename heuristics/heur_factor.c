/* heur_factor.c -- the factors that weigh what an element is: the step
 * kind's (can it be clicked, filled, selected, checked?), the role
 * words' ("button", "link", "field"...), visibility and being enabled.
 * The kind and role weights are tables: a row names what the element is
 * and its weight. See docs/HEURISTICS.md "Scoring a candidate". */
#include "heur_int.h"
#include "../util/util.h"

#include <string.h>

/* Visibility. */
#define HIDDEN         0.30
#define DISABLED       0.75
#define OBSCURED       0.50

/* A role weight named apart: it cites its pattern. */
#define TA_LINE        0.78   /* "text area" said of a one-line field
                                 (issue 22 pattern 8, p-tasks-14) */

/* What an element is, for the tables of the kind and role factors below:
 * a row names one (el_is()) and the weight of an element that is it; the
 * first row that fits decides, and every list ends with EL_ANY. CTL is
 * the control that a label-like element stands for (NULL none). */
enum el {
    EL_ANY = 0,             /* anything else */
    EL_BUTTON,              /* heur__is_button() */
    EL_LINK,                /* heur__is_link() */
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
    EL_SELECT,              /* heur__is_select() */
    EL_CHECKISH,            /* a checkbox, radio or switch */
    EL_CHECKBOX,            /* a checkbox by role or type */
    EL_RADIO,               /* heur__is_radio() */
    EL_ROLE_SWITCH,         /* role switch */
    EL_ROLE_TAB,            /* role tab */
    EL_ROLE_MENU,           /* role menu, menubar or menuitem* */
    EL_MENUITEM,            /* role menuitem* */
    EL_ROLE_OPTION,         /* role option */
    EL_ROLE_TREEITEM,       /* role treeitem */
    EL_HEADING,             /* heur__is_heading() */
    EL_IMG,                 /* heur__is_img() */
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
    int lab = heur__labels(c, ctl);

    switch (el) {
    case EL_BUTTON:
        return heur__is_button(c);
    case EL_LINK:
        return heur__is_link(c);
    case EL_ACTION:
        return heur__is_link(c) || heur__is_button(c);
    case EL_CLICKABLE:
        return c->clickable;
    case EL_PLAIN_CLICK:
        return c->clickable && !c->editable && !heur__is_checkish(c);
    case EL_CLICK_NOT_BUTTON:
        return c->clickable && !heur__is_button(c) && !c->editable;
    case EL_CLICK_NO_ROLE:
        return c->clickable && !c->role[0];
    case EL_CLICK_OR_BUTTON:
        return c->clickable || heur__is_button(c);
    case EL_ACTIVE:
        return c->clickable || heur__is_link(c) || heur__is_button(c) ||
               heur__is_checkish(c) || heur__is_select(c);
    case EL_EDITABLE:
        return c->editable;
    case EL_EDIT_NOT_SELECT:
        return c->editable && !heur__is_select(c);
    case EL_MULTILINE:
        return c->editable && !heur__eq(c->tag, "input");
    case EL_SELECT:
        return heur__is_select(c);
    case EL_CHECKISH:
        return heur__is_checkish(c);
    case EL_CHECKBOX:
        return heur__eq(c->role, "checkbox") || heur__type_is(c, "checkbox");
    case EL_RADIO:
        return heur__is_radio(c);
    case EL_ROLE_SWITCH:
        return heur__eq(c->role, "switch");
    case EL_ROLE_TAB:
        return heur__eq(c->role, "tab");
    case EL_ROLE_MENU:
        return heur__eq(c->role, "menu") || heur__eq(c->role, "menubar") ||
               heur__is_menuitem(c);
    case EL_MENUITEM:
        return heur__is_menuitem(c);
    case EL_ROLE_OPTION:
        return heur__eq(c->role, "option");
    case EL_ROLE_TREEITEM:
        return heur__eq(c->role, "treeitem");
    case EL_HEADING:
        return heur__is_heading(c);
    case EL_IMG:
        return heur__is_img(c);
    case EL_TEXTLESS_ACTIVE:
        return (c->clickable || heur__is_button(c) || heur__is_link(c)) &&
               !c->text[0];
    case EL_TEXTLESS_ACTION:
        return (heur__is_link(c) || heur__is_button(c)) && !c->text[0];
    case EL_LABEL_TAG:
        return heur__eq(c->tag, "label");
    case EL_LABELISH:
        return c->labelish;
    case EL_LABEL_EDITABLE:
        return lab && ctl->editable;
    case EL_LABEL_SELECT:
        return lab && heur__is_select(ctl);
    case EL_LABEL_CHECKISH:
        return lab && heur__is_checkish(ctl);
    case EL_LABEL_HIDDEN_CHECK:
        return lab && heur__is_checkish(ctl) && !ctl->visible;
    case EL_LABEL_RADIO:
        return lab && heur__is_radio(ctl);
    default:
        return 1;
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

double heur__kind_factor(enum heur_kind k, const struct heur_cand *c,
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

double heur__role_class(int rc, const struct heur_cand *c,
                        const struct heur_cand *ctl)
{
    if (rc < 0 || rc >= HEUR__RC_COUNT)
        return FIT;
    return weigh(ROLE_W[rc], c, ctl);
}

double heur__role_factor(unsigned roles, const struct heur_cand *c,
                         const struct heur_cand *ctl)
{
    double best = 0;
    int rc;
    if (!roles)
        return 1.0;
    for (rc = 0; rc < HEUR__RC_COUNT; rc++)
        if (roles & (1u << rc)) {
            double v = heur__role_class(rc, c, ctl);
            if (v > best)
                best = v;
        }
    return best;
}

double heur__visible_factor(enum heur_kind k, const struct heur_cand *c,
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
    if (ctl && heur__labels(c, ctl) && !ctl->enabled && k != HEUR_READ &&
        k != HEUR_SEE)
        v *= DISABLED;
    return v;
}
