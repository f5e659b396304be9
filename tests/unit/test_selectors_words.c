/* test_selectors_words.c -- candidates and uncertain decisions in words
 * (sel_cand_words, sel_uncertain_words): role nouns, where a landmark
 * puts it, hidden or disabled, long names cut; what tied, what fits only
 * a little better, what does not fit well; no scores in the line. */
#include "../t.h"
#include "../../selectors/sel.h"

#include <stdlib.h>
#include <string.h>

static struct heur_cand cand(const char *role, const char *tag,
                             const char *name, const char *region,
                             const char *form)
{
    struct heur_cand c;

    memset(&c, 0, sizeof c);
    c.role = role;
    c.tag = tag;
    c.name = name;
    c.region = region;
    c.form = form;
    c.label = c.placeholder = c.title = c.aria_label = c.alt = c.value = "";
    c.text = c.id_attr = c.name_attr = c.cls = c.testid = c.type = "";
    c.href = c.near = c.context = c.heading = "";
    c.visible = c.enabled = 1;
    c.group = c.for_id = c.parent_id = -1;
    return c;
}

static void check_words(const struct heur_cand *c, const char *want)
{
    char *w = sel_cand_words(c);
    CHECK_STR(w, want);
    free(w);
}

static void test_cand_words(void)
{
    struct heur_cand c = cand("button", "button", "Log in", "main form", "f1");

    check_words(&c, "the button \"Log in\" in the form");
    /* the page header is named before the navigation inside it */
    c = cand("link", "a", "Log in", "header nav", "");
    check_words(&c, "the link \"Log in\" in the page header");
    c = cand("link", "a", "Help", "nav", "");
    check_words(&c, "the link \"Help\" in the navigation");
    /* a form inside a dialog is the dialog's */
    c = cand("textbox", "input", "Email", "main dialog form", "f2");
    check_words(&c, "the text box \"Email\" in the dialog");
    /* in a form by its key alone; a heading that is not its own name */
    c = cand("checkbox", "input", "Remember me", "", "f3");
    c.heading = "Sign in";
    check_words(&c, "the checkbox \"Remember me\" in the form under "
                "\"Sign in\"");
    c.heading = "Remember me";
    check_words(&c, "the checkbox \"Remember me\" in the form");
    /* no role: the tag's noun; no name: its placeholder, else says so */
    c = cand("", "a", "More", "", "");
    check_words(&c, "the link \"More\"");
    c = cand("", "div", "", "footer", "");
    check_words(&c, "the element with no name in the page footer");
    c = cand("searchbox", "input", "", "header search", "");
    c.placeholder = "Search the wiki";
    check_words(&c, "the search box \"Search the wiki\" in the search form");
    /* a row of a table: its words tell it from the others */
    c = cand("button", "button", "Delete", "main", "");
    c.group = 2;
    c.context = "Bob bob@example.com Delete";
    c.heading = "Users";
    check_words(&c, "the button \"Delete\" in the main content in the row "
                "\"Bob bob@example.com Delete\" under \"Users\"");
    c.group = -1;
    check_words(&c, "the button \"Delete\" in the main content under "
                "\"Users\"");
    /* a region word inside another word is not a landmark */
    c = cand("button", "button", "Go", "mainly", "");
    check_words(&c, "the button \"Go\"");
    c = cand("button", "button", "Save", "", "");
    c.visible = 0;
    check_words(&c, "the button \"Save\" (hidden)");
    c.visible = 1;
    c.enabled = 0;
    check_words(&c, "the button \"Save\" (disabled)");
    /* a long name is cut */
    c = cand("link", "a", "Aaaaaaaaaa Bbbbbbbbbb Cccccccccc Dddddddddd "
             "Eeeeeeeeee Ffffffffff Gggggggggg", "", "");
    check_words(&c, "the link \"Aaaaaaaaaa Bbbbbbbbbb Cccccccccc Dddddddddd "
                "Eeeeeeeeee Fffff...\"");
    /* never inside a character: "é" (2 bytes) across the cut */
    c = cand("link", "a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
             "\xc3\xa9 more words", "", "");
    check_words(&c, "the link \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                "aaaaaaaaaaaaaa...\"");
}

static void check_line(const char *const *w, const double *s, size_t n,
                       const char *want)
{
    char *l = sel_uncertain_words("Log in", w, s, n, 0.15);
    CHECK_STR(l, want);
    CHECK(!strstr(l, "confidence") && !strstr(l, "1.00"));
    free(l);
}

static void test_uncertain_line(void)
{
    const char *w[] = { "the link \"Log in\" in the page header",
                        "the button \"Log in\" in the form",
                        "the heading \"Log in\"", "the text \"Log in\"",
                        "the tab \"Log in\"", "the option \"Log in\"",
                        "the cell \"Log in\"" };
    double tie2[] = { 1.0, 1.0, 0.4 }, tie3[] = { 0.8, 0.8, 0.798, 0.5 };
    double tie7[] = { 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9 };
    double near[] = { 0.9, 0.8 }, far[] = { 0.5, 0.2 }, one[] = { 0.3 };

    check_line(w, tie2, 3, "\"Log in\" is uncertain: two elements fit "
               "equally well: the link \"Log in\" in the page header and "
               "the button \"Log in\" in the form");
    check_line(w, tie3, 4, "\"Log in\" is uncertain: three elements fit "
               "equally well: the link \"Log in\" in the page header, the "
               "button \"Log in\" in the form and the heading \"Log in\"");
    check_line(w, tie7, 7, "\"Log in\" is uncertain: 7 elements fit "
               "equally well: the link \"Log in\" in the page header, the "
               "button \"Log in\" in the form, the heading \"Log in\", the "
               "text \"Log in\", the tab \"Log in\", the option \"Log in\" "
               "and the cell \"Log in\"");
    check_line(w, near, 2, "\"Log in\" is uncertain: the link \"Log in\" in "
               "the page header fits only a little better than the button "
               "\"Log in\" in the form");
    check_line(w, far, 2, "\"Log in\" is uncertain: the closest, the link "
               "\"Log in\" in the page header, does not fit it well (next: "
               "the button \"Log in\" in the form)");
    check_line(w, one, 1, "\"Log in\" is uncertain: the only element that "
               "comes close, the link \"Log in\" in the page header, does "
               "not fit it well");
    check_line(w, one, 0, "\"Log in\" is uncertain: nothing on the page "
               "fits it");
}

int main(void)
{
    test_cand_words();
    test_uncertain_line();
    return T_DONE();
}
