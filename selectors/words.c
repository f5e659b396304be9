/* words.c -- candidates and uncertain decisions in words a user reads:
 * "the button "Log in" in the form", and the line an uncertain step
 * ends with ("two elements fit "Log in" equally well: ... and ...")
 * instead of scores (docs/TARGETS.md "When a target is uncertain"). */
#include "sel.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

/* Scores this close are a tie (the scorer's totals are sums of a few
 * rounded factors). */
#define SEL_TIE_EPS 0.005
#define SEL_NAME_MAX 60   /* bytes of a name quoted */

static const char *role_noun(const char *role, const char *tag)
{
    static const struct { const char *role, *noun; } m[] = {
        {"button", "button"}, {"link", "link"}, {"textbox", "text box"},
        {"searchbox", "search box"}, {"combobox", "drop-down"},
        {"listbox", "list box"}, {"checkbox", "checkbox"},
        {"radio", "radio button"}, {"switch", "switch"}, {"tab", "tab"},
        {"menuitem", "menu item"}, {"menuitemcheckbox", "menu item"},
        {"menuitemradio", "menu item"}, {"option", "option"},
        {"heading", "heading"}, {"img", "image"}, {"cell", "table cell"},
        {"gridcell", "cell"}, {"columnheader", "column header"},
        {"rowheader", "row header"}, {"row", "row"},
        {"listitem", "list item"}, {"spinbutton", "number box"},
        {"slider", "slider"}, {"treeitem", "tree item"},
        {"dialog", "dialog"}, {"paragraph", "paragraph"}};
    static const struct { const char *tag, *noun; } t[] = {
        {"a", "link"}, {"label", "label"}, {"input", "field"},
        {"textarea", "text area"}, {"select", "drop-down"},
        {"img", "image"}, {"td", "table cell"}, {"th", "table header"},
        {"li", "list item"}, {"span", "text"}, {"p", "paragraph"}};
    size_t i;

    for (i = 0; role && i < sizeof m / sizeof *m; i++)
        if (strcmp(role, m[i].role) == 0)
            return m[i].noun;
    for (i = 0; tag && i < sizeof t / sizeof *t; i++)
        if (strcmp(tag, t[i].tag) == 0)
            return t[i].noun;
    return "element";
}

/* Where REGION (landmark words) and FORM put it: the landmark a person
 * names first (a form in a dialog is "in the dialog", a navigation in
 * the page header "in the page header"), "" for none. */
static const char *where_words(const char *region, int in_form)
{
    static const struct { const char *w, *say; } m[] = {
        {"dialog", "in the dialog"}, {"search", "in the search form"},
        {"form", "in the form"}, {"menu", "in the menu"},
        {"toolbar", "in the toolbar"}, {"tablist", "in the tabs"},
        {"header", "in the page header"}, {"footer", "in the page footer"},
        {"sidebar", "in the sidebar"}, {"nav", "in the navigation"},
        {"main", "in the main content"}};
    size_t i, n;
    const char *p;

    for (i = 0; region && i < sizeof m / sizeof *m; i++) {
        n = strlen(m[i].w);
        for (p = strstr(region, m[i].w); p; p = strstr(p + 1, m[i].w))
            if ((p == region || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
                return m[i].say;
    }
    return in_form ? "in the form" : "";
}

/* PRE and S quoted, cut to SEL_NAME_MAX bytes (never inside a UTF-8
 * character) with "..." when longer. */
static void add_quoted(ut_buf *b, const char *pre, const char *s)
{
    size_t len = strlen(s), n = len > SEL_NAME_MAX ? SEL_NAME_MAX : len;

    while (n < len && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    ut_buf_addf(b, "%s\"%.*s%s\"", pre, (int)n, s, n < len ? "..." : "");
}

char *sel_cand_words(const struct heur_cand *c)
{
    const char *where = where_words(c->region, c->form && *c->form);
    const char *name = c->name && *c->name ? c->name :
                       c->placeholder && *c->placeholder ? c->placeholder
                       : "";
    ut_buf b;

    ut_buf_init(&b, 400);
    ut_buf_addf(&b, "the %s", role_noun(c->role, c->tag));
    if (*name)
        add_quoted(&b, " ", name);
    else
        ut_buf_adds(&b, " with no name");
    if (*where)
        ut_buf_addf(&b, " %s", where);
    /* one row of a table or list from another: its words */
    if (c->group >= 0 && c->context && *c->context &&
        strcmp(c->context, name) != 0)
        add_quoted(&b, " in the row ", c->context);
    if (c->heading && *c->heading && strlen(c->heading) <= 60 &&
        strcmp(c->heading, name) != 0 && strcmp(c->role, "heading") != 0)
        ut_buf_addf(&b, " under \"%s\"", c->heading);
    if (!c->visible)
        ut_buf_adds(&b, " (hidden)");
    else if (!c->enabled)
        ut_buf_adds(&b, " (disabled)");
    return ut_buf_take(&b);
}

static const char *count_word(size_t n)
{
    static const char *const w[] = { "no", "one", "two", "three", "four",
                                     "five" };
    return n < sizeof w / sizeof *w ? w[n] : NULL;
}

char *sel_uncertain_words(const char *intent, const char *const *words,
                          const double *score, size_t n, double min_margin)
{
    ut_buf b;
    size_t k = 1, i;

    ut_buf_init(&b, 2000);
    ut_buf_addf(&b, "\"%s\" is uncertain: ", intent);
    while (k < n && score[0] - score[k] < SEL_TIE_EPS)
        k++;
    if (n == 0) {
        ut_buf_adds(&b, "nothing on the page fits it");
    } else if (k > 1) {
        if (count_word(k))
            ut_buf_addf(&b, "%s elements fit equally well: ", count_word(k));
        else
            ut_buf_addf(&b, "%zu elements fit equally well: ", k);
        for (i = 0; i < k; i++)
            ut_buf_addf(&b, "%s%s", i == 0 ? "" : i + 1 == k ? " and " : ", ",
                        words[i]);
    } else if (n > 1 && score[0] - score[1] < min_margin) {
        ut_buf_addf(&b, "%s fits only a little better than %s", words[0],
                    words[1]);
    } else if (n > 1) {
        ut_buf_addf(&b, "the closest, %s, does not fit it well (next: %s)",
                    words[0], words[1]);
    } else {
        ut_buf_addf(&b, "the only element that comes close, %s, does not "
                    "fit it well", words[0]);
    }
    return ut_buf_take(&b);
}
