/* heur_factor.c -- the factors that weigh what an element is: the step
 * kind's (can it be clicked, filled, selected, checked?), the role
 * words' ("button", "link", "field"...), visibility and being enabled.
 * The kind and role weights are tables: a row names what the element is
 * and its weight. See docs/HEURISTICS.md "Scoring a candidate". */
#include "heur_int.h"
#include "../util/util.h"

#include <string.h>

/* Each weight below names the page pattern it exists for and a case of
 * the grounding corpus (tests/grounding/cases*.json) that turns on it:
 * moved by about 0.1 (or as far as stated), that case's outcome changes.
 * "No case" marks the weights that no corpus case turns on, even at 0 or
 * 1; a unit test is named where one does. */

/* Visibility. */
#define HIDDEN         0.30   /* not shown: the visible copy of a control
                                 is meant (at 1.0, h-profile-01 "Change
                                 photo" goes wrong; no case turns on
                                 0.2-0.42) */
#define DISABLED       0.75   /* disabled, for what acts: an editor's
                                 greyed-out "Publish" above the live one
                                 (ra-wp-editor-03 "Publish": 0.65 leaves
                                 it uncertain) */
#define OBSCURED       0.50   /* behind an open modal dialog: the dialog's
                                 own control is meant (modal-07 "New
                                 project", ambiguous: 0.6 makes it
                                 confident) */

/* A role weight named apart: it cites its pattern. */
#define TA_LINE        0.78   /* "text area" said of a one-line field
                                 (issue 22 pattern 8, p-tasks-14: 0.68
                                 leaves it uncertain; 0.88: p-editor-01
                                 "the text area" uncertain) */

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
        {EL_EDIT_NOT_SELECT,    0.70},  /* a text field: a search box
                                           beside its button (0.98:
                                           ra-wp-categories-07 "Search
                                           Categories" uncertain) */
        {EL_ACTIVE,             FIT},   /* 0.9: p-query-07 "SQL tab" */
        {EL_LABEL_TAG,          0.85},  /* a label clicks its control: a
                                           file input's (0.51: h-profile-01
                                           "Change photo"; 0.95:
                                           ra-wp-categories-07) */
        {EL_ANY,                0.40}}, /* text: issue 22 pattern 11 (0.56
                                           takes it for a control:
                                           p-tasks-11 "gamma") */
    [HEUR_FILL] = {
        {EL_EDITABLE,           FIT},   /* 0.9: checkout-04 "Postal code" */
        {EL_SELECT,             0.45},  /* a combobox (0.35:
                                           ra-nb-notebook-14 "the code
                                           cell" loses its candidates) */
        {EL_LABEL_EDITABLE,     0.50},  /* the label, not its field (0.7:
                                           p-admin-07 "Narrow the list") */
        {EL_ANY,                0.10}}, /* no case turns on 0-0.2 (1.0:
                                           checkout-12 "Coupon code" goes
                                           to its button) */
    [HEUR_SELECT] = {
        {EL_SELECT,             FIT},   /* 0.9: ra-pma-db-14 "With
                                           selected" */
        {EL_LABEL_SELECT,       0.55},  /* no case turns on 0-0.77 (1.0:
                                           checkout-06 "State" goes to
                                           the label) */
        {EL_CLICK_OR_BUTTON,    0.35},  /* a custom dropdown's button: no
                                           case turns on 0-0.49 (1.0:
                                           ra-wp-posts-05 "All dates") */
        {EL_ANY,                0.10}}, /* no case turns on 0-0.2 (1.0:
                                           ra-pma-db-14 goes wrong) */
    [HEUR_CHECK] = {
        {EL_CHECKISH,           FIT},   /* 0.9: checkout-07 "Billing
                                           address same as shipping" goes
                                           to its label */
        {EL_LABEL_HIDDEN_CHECK, FIT},   /* a styled checkbox: the input
                                           hidden behind its label; no
                                           case (test_heuristics "I agree
                                           to the terms") */
        {EL_LABEL_CHECKISH,     0.92},  /* the label of a visible one
                                           (0.82: ra-pma-browse-07 "Show
                                           all"; 1.0: h-profile-07
                                           "Private account" goes to the
                                           label) */
        {EL_CLICK_OR_BUTTON,    0.45},  /* a toggle button: no case turns
                                           on 0.27-0.55 (0.63:
                                           ra-prom-alerts-03 "Show
                                           annotations" comes right) */
        {EL_ANY,                0.10}}, /* no case turns on 0-0.2 (1.0:
                                           ra-pma-browse-18 "select Dana
                                           Fischer") */
    [HEUR_READ] = {
        /* reading "Order total" means the value its label names (0.85:
         * dashboard-05 "Last login" reads the label) */
        {EL_LABELISH,           0.75},
        {EL_ANY,                FIT}},  /* 0.9: dashboard-05 */
    [HEUR_SEE] = {
        /* waiting for "Order total" to show: the words themselves (0.3:
         * dashboard-w1 "Last login") */
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
 * names ("button", "link", "field"...), by role class. The near misses
 * rank look-alikes; many decide no case of the corpus, whose pages
 * mostly use the role that their words say. */
static const struct wrow ROLE_W[HEUR__RC_COUNT][6] = {
    [HEUR__RC_BUTTON] = {
        {EL_BUTTON,             FIT},   /* 0.7: login-03 "Sign in button" */
        {EL_LINK,               0.70},  /* 0.98: same-01 "Subscribe
                                           button" ties its link */
        {EL_PLAIN_CLICK,        0.85},  /* a clickable <div>: no case */
        {EL_ANY,                0.30}}, /* no case turns on 0-0.42 (1.0:
                                           same-01) */
    [HEUR__RC_LINK] = {
        {EL_LINK,               FIT},   /* 0.7: p-lists-09 "the third docs
                                           link" (issue 22 pattern 6) */
        {EL_CLICK_NOT_BUTTON,   0.80},  /* a clickable <span>: no case */
        {EL_BUTTON,             0.70},  /* no case turns on 0-0.98 (1.0:
                                           editor-06 "Insert link") */
        {EL_ANY,                0.30}}, /* no case (test_heuristics
                                           "Subscribe link") */
    [HEUR__RC_FIELD] = {
        {EL_EDITABLE,           FIT},   /* 0.9: p-inputs-01 "the 3rd input
                                           textbox" (issue 22 pattern 8) */
        {EL_SELECT,             0.80},  /* a combobox: no case */
        {EL_LABEL_EDITABLE,     0.60},  /* no case turns on 0-0.84 (1.0:
                                           p-tasks-13 "the textbox" goes
                                           wrong) */
        {EL_CHECKISH,           0.40},  /* no case */
        {EL_ANY,                0.30}}, /* no case turns on 0-0.42 (1.0:
                                           p-inputs-01 goes wrong) */
    [HEUR__RC_CHECKBOX] = {
        {EL_CHECKBOX,           FIT},   /* 0.7: ra-pma-db-16 "orders
                                           checkbox" */
        {EL_ROLE_SWITCH,        0.85},  /* no case */
        {EL_LABEL_RADIO,        0.5},   /* no case */
        {EL_LABEL_CHECKISH,     0.95},  /* the label of a hidden one: no
                                           case (test_heuristics "terms
                                           checkbox") */
        {EL_RADIO,              0.5},   /* no case */
        {EL_ANY,                0.30}}, /* no case */
    [HEUR__RC_RADIO] = {                /* no case turns on these rows */
        {EL_RADIO,              FIT},
        {EL_LABEL_RADIO,        0.95},
        {EL_ANY,                0.30}},
    [HEUR__RC_TAB] = {
        {EL_ROLE_TAB,           FIT},   /* 0.3: settings-01 "Security
                                           tab" */
        {EL_CLICK_NO_ROLE,      0.75},  /* a tab strip of clickable
                                           <li>s (0.85: p-tasks-05 "the
                                           second tab" uncertain) */
        {EL_ACTION,             0.60},  /* a tab drawn with links (0.5:
                                           p-query-07 "SQL tab") */
        {EL_ANY,                0.30}}, /* no case turns on 0-0.4 (1.0:
                                           p-query-07) */
    [HEUR__RC_MENU] = {                 /* no case turns on these rows */
        {EL_ROLE_MENU,          FIT},
        {EL_BUTTON,             0.80},
        {EL_CLICKABLE,          0.60},
        {EL_ANY,                0.30}},
    [HEUR__RC_MENUITEM] = {             /* no case turns on these rows */
        {EL_MENUITEM,           FIT},
        {EL_ACTION,             0.80},
        {EL_ROLE_OPTION,        0.80},
        {EL_CLICKABLE,          0.60},
        {EL_ANY,                0.30}},
    [HEUR__RC_SELECT] = {
        {EL_SELECT,             FIT},   /* no case (test_heuristics_patterns
                                           "Select country") */
        {EL_LABEL_SELECT,       0.70},  /* no case */
        {EL_BUTTON,             0.60},  /* no case */
        {EL_EDITABLE,           0.50},  /* no case */
        {EL_ANY,                0.30}}, /* 0.2: ra-pma-structure-13 "select
                                           city" loses its candidates */
    [HEUR__RC_SWITCH] = {
        {EL_ROLE_SWITCH,        FIT},   /* 0.7: h-profile-08 "Allow
                                           tagging in photos toggle" goes
                                           wrong */
        {EL_CHECKBOX,           0.90},  /* no case */
        {EL_LABEL_CHECKISH,     0.85},  /* no case */
        {EL_BUTTON,             0.70},  /* no case */
        {EL_ANY,                0.30}}, /* no case */
    [HEUR__RC_ICON] = {
        {EL_TEXTLESS_ACTIVE,    FIT},   /* 0.7: ra-pma-home-16 "the home
                                           icon" */
        {EL_IMG,                0.80},  /* 1.0: ra-pma-login-06 "the help
                                           icon" finds candidates */
        {EL_CLICKABLE,          0.70},  /* 0.8: shop-09 "shopping basket
                                           icon" becomes right */
        {EL_ANY,                0.40}}, /* no case turns on 0-0.56 (1.0:
                                           results-10 "search icon" goes
                                           wrong) */
    [HEUR__RC_IMAGE] = {                /* no case turns on these rows */
        {EL_IMG,                FIT},
        {EL_TEXTLESS_ACTION,    0.85},
        {EL_ANY,                0.40}},
    [HEUR__RC_HEADING] = {
        {EL_HEADING,            FIT},   /* 0.3: same-03 "Subscribe
                                           heading" */
        {EL_ANY,                0.40}}, /* 0.3: cookies-10 "article
                                           headline" loses its candidates */
    [HEUR__RC_OPTION] = {
        {EL_ROLE_OPTION,        FIT},   /* 0.3: combobox-03 "Parma
                                           option" */
        {EL_RADIO,              0.80},  /* no case */
        {EL_MENUITEM,           0.80},  /* no case */
        {EL_LABEL_RADIO,        0.80},  /* no case */
        {EL_ANY,                0.40}}, /* 0.24: toolbar-11 "More options"
                                           loses its candidates */
    [HEUR__RC_LABEL] = {
        {EL_LABEL_TAG,          FIT},   /* no case */
        {EL_LABELISH,           0.80},  /* no case */
        {EL_ANY,                0.50}}, /* no case turns on 0-0.7 (1.0:
                                           h-issues-05 "Edit labels") */
    [HEUR__RC_TREEITEM] = {             /* no case turns on these rows */
        {EL_ROLE_TREEITEM,      FIT},
        {EL_CLICKABLE,          0.70},
        {EL_ANY,                0.40}},
    [HEUR__RC_TEXTAREA] = {
        {EL_MULTILINE,          FIT},   /* 0.9: p-editor-01 (issue 22
                                           pattern 1) */
        {EL_EDITABLE,           TA_LINE},
        {EL_LABEL_EDITABLE,     0.60},  /* no case */
        {EL_ANY,                0.30}}, /* no case */
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
