/* test_heuristics_patterns.c -- the patterns of plain words that failed
 * on real applications and synthetic task pages (issue 22), over records
 * built as the collector sends them for such markup. Each check failed
 * before the heuristics learned the pattern. */
#include "../t.h"
#include "../../heuristics/heur.h"
#include "heur_cands.h"

#include <string.h>

#define MIN_CONF 0.6
#define MIN_MARGIN 0.15

static struct heur_cand textarea(int id)
{
    struct heur_cand c = blank(id, "textarea", "textbox");
    c.editable = 1;
    return c;
}

struct outcome {
    int best;          /* candidate id of the best, -1 none */
    double conf, margin;
    enum heur_decision d;
};

static struct outcome rank_h(struct heur_ctx *hx, const char *intent,
                             enum heur_kind k, const struct heur_cand *c,
                             size_t n, const char *form)
{
    struct heur_result r;
    struct heur_hist h;
    struct outcome o = {-1, 0, 0, HEUR_NONE};
    memset(&h, 0, sizeof h);
    h.form = form;
    if (heur_rank_hist(hx, intent, k, c, n, form ? &h : NULL, &r) != 0)
        return o;
    o.best = r.best >= 0 ? c[r.best].id : -1;
    o.conf = r.confidence;
    o.margin = r.margin;
    o.d = heur_decide(&r, MIN_CONF, MIN_MARGIN);
    heur_result_free(&r);
    return o;
}

static struct outcome rank(struct heur_ctx *hx, const char *intent,
                           enum heur_kind k, const struct heur_cand *c,
                           size_t n)
{
    return rank_h(hx, intent, k, c, n, NULL);
}

#define CONFIDENT_ON(o, id, what) do { \
    CHECK_MSG((o).best == (id) && (o).d == HEUR_CONFIDENT, \
              "%s: best %d (want %d), conf %.2f margin %.2f", what, \
              (o).best, (id), (o).conf, (o).margin); \
} while (0)

#define NOT_CONFIDENT(o, what) do { \
    CHECK_MSG((o).d != HEUR_CONFIDENT, "%s: confident on %d (conf %.2f " \
              "margin %.2f)", what, (o).best, (o).conf, (o).margin); \
} while (0)

/* 1. A page's main editor with no label: id and name words, what it is
 * (a multi-line editor, a search box), and the visible editor that
 * stands in for a hidden textarea. */
static void test_unlabelled_editors(struct heur_ctx *hx)
{
    struct heur_cand c[10];
    struct outcome o;

    c[0] = blank(0, "h1", "heading");
    c[0].name = c[0].text = "Edit page";
    c[1] = textarea(1);
    c[1].id_attr = "wiki__text";
    c[1].name_attr = "wikitext";
    c[1].heading = "Edit page";
    c[1].form = "#editform";
    c[2] = textbox(2, "Edit summary:");
    c[2].heading = "Edit page";
    c[2].form = "#editform";
    c[3] = blank(3, "input", "textbox");   /* header search, no label */
    c[3].editable = 1;
    c[3].type = "text";
    c[3].name_attr = "q";
    c[3].title = "[F]";
    c[3].region = "header form search";
    c[4] = button(4, "Search");
    c[4].region = "header form search";
    c[5] = button(5, "Save");
    c[5].form = "#editform";
    o = rank(hx, "the text area", HEUR_FILL, c, 6);
    CONFIDENT_ON(o, 1, "the text area");
    o = rank(hx, "page content", HEUR_FILL, c, 6);
    CONFIDENT_ON(o, 1, "page content");
    o = rank(hx, "the editor", HEUR_FILL, c, 6);
    CONFIDENT_ON(o, 1, "the editor");
    o = rank(hx, "the search box", HEUR_FILL, c, 6);
    CONFIDENT_ON(o, 3, "the search box");
    o = rank(hx, "Edit summary", HEUR_FILL, c, 6);   /* as before */
    CONFIDENT_ON(o, 2, "Edit summary");

    /* a comment form: its textarea's id and name say the same word */
    c[0] = textarea(0);
    c[0].id_attr = c[0].name_attr = "comment";
    c[0].near = "Your email address will not be published.";
    c[1] = button(1, "Post Comment");
    o = rank(hx, "the comment box", HEUR_FILL, c, 2);
    CONFIDENT_ON(o, 0, "the comment box");

    /* a query box under its heading: the name says "query", the
     * heading "SQL" */
    c[0] = blank(0, "h2", "heading");
    c[0].name = c[0].text = "SQL command";
    c[1] = textarea(1);
    c[1].name_attr = "query";
    c[1].heading = "SQL command";
    c[2] = blank(2, "input", "button");
    c[2].name = c[2].value = "Execute";
    c[2].type = "submit";
    c[2].clickable = 1;
    c[2].heading = "SQL command";
    o = rank(hx, "the SQL query box", HEUR_FILL, c, 3);
    CONFIDENT_ON(o, 1, "the SQL query box under \"SQL command\"");

    /* a code editor: the form's textarea hidden, its own editable (a
     * tiny textarea) shown right after it, standing in for it */
    c[0] = blank(0, "legend", "");
    c[0].text = "Run SQL query/queries on database shop:";
    c[0].labelish = 1;
    c[0].for_id = 1;
    c[1] = textarea(1);
    c[1].visible = 0;
    c[1].id_attr = "sqlquery";
    c[1].name_attr = "sql_query";
    c[1].near = "Run SQL query/queries on database shop:";
    c[1].for_id = 2;
    c[2] = textarea(2);
    c[3] = blank(3, "input", "button");
    c[3].name = c[3].value = "Clear";
    c[3].type = "button";
    c[3].clickable = 1;
    c[4] = blank(4, "input", "button");
    c[4].name = c[4].value = "Go";
    c[4].type = "submit";
    c[4].clickable = 1;
    o = rank(hx, "the SQL query box", HEUR_FILL, c, 5);
    CHECK_MSG(o.best == 1 && o.d == HEUR_CONFIDENT, "the SQL query box: "
              "best %d, conf %.2f margin %.2f", o.best, o.conf, o.margin);
    o = rank(hx, "SQL query", HEUR_FILL, c, 5);
    CONFIDENT_ON(o, 1, "SQL query");
    /* without an editor standing in, a hidden field stays hidden */
    c[1].for_id = -1;
    o = rank(hx, "SQL query", HEUR_FILL, c, 5);
    NOT_CONFIDENT(o, "a hidden textarea alone");
}

/* 2. After fills in a form, the click whose words fit its button. */
static void test_form_just_filled(struct heur_ctx *hx)
{
    struct heur_cand c[6];
    struct outcome o;

    c[0] = link(0, "Log in");
    c[0].region = "header";
    c[1] = link(1, "Register");
    c[1].region = "header";
    c[2] = textbox(2, "User");
    c[2].form = "#login";
    c[3] = blank(3, "input", "textbox");
    c[3].name = c[3].label = "Password";
    c[3].type = "password";
    c[3].editable = 1;
    c[3].form = "#login";
    c[4] = button(4, "Log in");
    c[4].form = "#login";
    c[5] = blank(5, "h1", "heading");
    c[5].name = c[5].text = "Login";
    o = rank(hx, "Log in", HEUR_CLICK, c, 6);
    NOT_CONFIDENT(o, "no history: the link or the button");
    o = rank_h(hx, "Log in", HEUR_CLICK, c, 6, "#login");
    CONFIDENT_ON(o, 4, "Log in after filling the login form");
    o = rank_h(hx, "Register", HEUR_CLICK, c, 6, "#login");
    CONFIDENT_ON(o, 1, "Register: no button of the form fits");
    o = rank_h(hx, "Log in", HEUR_CLICK, c, 6, "#search");
    NOT_CONFIDENT(o, "another form filled");
    o = rank_h(hx, "Log in", HEUR_READ, c, 6, "#login");
    NOT_CONFIDENT(o, "reading is no click");
}

/* 3. An action and its row's subject without "for". */
static void test_action_and_subject(struct heur_ctx *hx)
{
    static const char *const tables[3] = {"customers", "orders",
                                          "products"};
    static const char *const ctx[3] = {"select customers", "select orders",
                                       "select products"};
    struct heur_cand c[12];
    struct outcome o;
    int i;

    for (i = 0; i < 3; i++) {
        c[2 * i] = link(2 * i, "select");
        c[2 * i].title = "Select data";
        c[2 * i].cls = "select";
        c[2 * i].context = ctx[i];
        c[2 * i].group = 0;
        c[2 * i + 1] = link(2 * i + 1, tables[i]);
        c[2 * i + 1].title = "Show structure";
        c[2 * i + 1].context = ctx[i];
        c[2 * i + 1].group = 0;
    }
    o = rank(hx, "select customers", HEUR_CLICK, c, 6);
    CONFIDENT_ON(o, 0, "select customers");
    o = rank(hx, "select orders", HEUR_CLICK, c, 6);
    CONFIDENT_ON(o, 2, "select orders");
    o = rank(hx, "orders", HEUR_CLICK, c, 6);
    CONFIDENT_ON(o, 3, "orders: the table's own link");

    /* rows of a table: "edit Alice", "drop orders" */
    c[0] = link(0, "Alice");
    c[0].context = "Alice alice@x.org edit drop";
    c[1] = link(1, "edit");
    c[1].context = c[0].context;
    c[2] = link(2, "drop");
    c[2].context = c[0].context;
    c[3] = link(3, "orders");
    c[3].context = "orders 30 edit drop";
    c[4] = link(4, "edit");
    c[4].context = c[3].context;
    c[5] = link(5, "drop");
    c[5].context = c[3].context;
    o = rank(hx, "edit Alice", HEUR_CLICK, c, 6);
    CONFIDENT_ON(o, 1, "edit Alice");
    o = rank(hx, "drop orders", HEUR_CLICK, c, 6);
    CONFIDENT_ON(o, 5, "drop orders");

    /* a select step's "Select" is the step's own verb */
    c[0] = blank(0, "select", "combobox");
    c[0].name = c[0].label = "Country";
    c[0].clickable = 1;
    c[1] = textbox(1, "City");
    o = rank(hx, "Select country", HEUR_SELECT, c, 2);
    CONFIDENT_ON(o, 0, "Select country (select)");
    o = rank(hx, "Select country", HEUR_CLICK, c, 2);
    CONFIDENT_ON(o, 0, "Select country (click: the select fulfils it)");
}

/* 4. An exact label against an unnamed look-alike (a filter box under a
 * column header). */
static void test_label_vs_unnamed(struct heur_ctx *hx)
{
    struct heur_cand c[4];
    struct outcome o;

    c[0] = blank(0, "input", "textbox");
    c[0].editable = 1;
    c[0].type = "text";
    c[0].name_attr = "userid";
    c[0].near = "User";
    c[1] = textbox(1, "User:");
    c[1].name_attr = "userid";
    c[2] = textbox(2, "Real name:");
    c[3] = button(3, "Add");
    o = rank(hx, "User", HEUR_FILL, c, 4);
    CONFIDENT_ON(o, 1, "User");
    CHECK_MSG(o.margin >= 0.15, "margin %.3f", o.margin);
}

/* 5. A container matched: the one link inside it that carries its
 * words is what a person clicks. */
static void test_container_link(struct heur_ctx *hx)
{
    struct heur_cand c[6];
    struct outcome o;

    c[0] = blank(0, "h2", "heading");
    c[0].name = c[0].text = "Namespaces";
    c[1] = blank(1, "li", "treeitem");
    c[1].name = c[1].text = "docs";
    c[1].clickable = 1;
    c[1].heading = "Namespaces";
    c[2] = link(2, "docs");
    c[2].parent_id = 1;
    c[2].heading = "Namespaces";
    c[3] = blank(3, "li", "treeitem");
    c[3].name = c[3].text = "wiki";
    c[3].clickable = 1;
    c[3].heading = "Namespaces";
    c[4] = link(4, "wiki");
    c[4].parent_id = 3;
    c[4].heading = "Namespaces";
    o = rank(hx, "docs namespace", HEUR_CLICK, c, 5);
    CONFIDENT_ON(o, 2, "docs namespace: the link in the tree item");
    o = rank(hx, "docs", HEUR_CLICK, c, 5);
    CONFIDENT_ON(o, 2, "docs");
    /* two links inside: the item itself */
    c[4] = link(4, "docs");
    c[4].parent_id = 1;
    c[3] = link(3, "docs");
    c[3].parent_id = 1;
    o = rank(hx, "docs", HEUR_CLICK, c, 5);
    CONFIDENT_ON(o, 1, "two links inside: the tree item");
}

/* 6. Ordinals count within the repeated group. */
static void test_ordinal_group(struct heur_ctx *hx)
{
    struct heur_cand c[8];
    struct outcome o;
    int i;

    c[0] = link(0, "docs");             /* a breadcrumb */
    for (i = 1; i <= 4; i++) {
        c[i] = link(i, i == 2 ? "wiki" : "docs");
        c[i].group = 10;
    }
    o = rank(hx, "the third docs link", HEUR_CLICK, c, 5);
    CONFIDENT_ON(o, 4, "the third docs link");
    o = rank(hx, "the second docs link", HEUR_CLICK, c, 5);
    CONFIDENT_ON(o, 3, "the second docs link");
    o = rank(hx, "the last docs link", HEUR_CLICK, c, 5);
    CONFIDENT_ON(o, 4, "the last docs link");
    /* two lists that both have a second one: which is meant? */
    for (i = 5; i <= 6; i++) {
        c[i] = link(i, "docs");
        c[i].group = 20;
    }
    o = rank(hx, "the second docs link", HEUR_CLICK, c, 7);
    NOT_CONFIDENT(o, "two groups");
    /* only one has a third */
    o = rank(hx, "the third docs link", HEUR_CLICK, c, 7);
    CONFIDENT_ON(o, 4, "the third: only one group has one");
    /* no groups: the document's order, as before */
    for (i = 0; i < 7; i++)
        c[i].group = -1;
    o = rank(hx, "the third docs link", HEUR_CLICK, c, 7);
    CONFIDENT_ON(o, 3, "no groups");
}

/* 7. An exact whole name against a longer one. */
static void test_exact_vs_partial(struct heur_ctx *hx)
{
    struct heur_cand c[4];
    struct outcome o;

    c[0] = link(0, "Read");
    c[1] = link(1, "Create");
    c[1].title = "Create this page [alt-shift-e]";
    c[2] = link(2, "View history");
    c[3] = link(3, "create this page");
    o = rank(hx, "Create", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 1, "Create");
    CHECK_MSG(o.margin > 0.15, "margin %.3f", o.margin);
    o = rank(hx, "create this page", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 3, "create this page (not the tab's tooltip)");

    /* a setting shown as "label: value" is not the button named just
     * the label; a name with a note after it still is the name */
    c[0] = button(0, "Publish: Immediately");
    c[1] = button(1, "Publish");
    c[2] = button(2, "Cancel");
    o = rank(hx, "Publish", HEUR_CLICK, c, 3);
    CONFIDENT_ON(o, 1, "Publish: the button, not the setting");
    c[0] = link(0, "prometheus (1/1 up)");
    c[1] = link(1, "alertmanager (0/1 up)");
    o = rank(hx, "prometheus", HEUR_CLICK, c, 3);
    CONFIDENT_ON(o, 0, "prometheus: its name before the note");
}

/* 8. Role-only and ordinal-role intents over unnamed fields. */
static void test_role_only(struct heur_ctx *hx)
{
    struct heur_cand c[4];
    struct outcome o;
    int i;

    c[0] = blank(0, "div", "");
    c[0].text = "Enter \"Kasie\" into the text field and press Submit.";
    c[1] = blank(1, "input", "textbox");
    c[1].editable = 1;
    c[1].type = "text";
    c[2] = button(2, "Submit");
    o = rank(hx, "the text field", HEUR_FILL, c, 3);
    CONFIDENT_ON(o, 1, "the text field");
    o = rank(hx, "the textbox", HEUR_CLICK, c, 3);
    CONFIDENT_ON(o, 1, "the textbox (click)");
    o = rank(hx, "a text area", HEUR_FILL, c, 3);
    CONFIDENT_ON(o, 1, "a text area (the only field)");
    for (i = 1; i <= 3; i++) {
        c[i] = blank(i, "input", "textbox");
        c[i].editable = 1;
        c[i].type = "text";
    }
    o = rank(hx, "the 3rd input textbox", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 3, "the 3rd input textbox");
    o = rank(hx, "the first text field", HEUR_FILL, c, 4);
    CONFIDENT_ON(o, 1, "the first text field");
    o = rank(hx, "the textbox", HEUR_FILL, c, 4);
    NOT_CONFIDENT(o, "three textboxes");
}

/* 9. Quoted words are the visible text. */
static void test_quoted(struct heur_ctx *hx)
{
    struct heur_cand c[5];
    struct outcome o;

    c[0] = blank(0, "div", "");
    c[0].text = "Close the dialog box by clicking the \"x\".";
    c[1] = blank(1, "span", "");
    c[1].text = "Nulla";
    c[1].region = "dialog";
    c[2] = button(2, "Close");
    c[2].title = "Close";
    c[2].region = "dialog";
    o = rank(hx, "the \"x\" button in the dialog", HEUR_CLICK, c, 3);
    CONFIDENT_ON(o, 2, "the \"x\" button in the dialog");
    o = rank(hx, "the x", HEUR_CLICK, c, 3);
    CONFIDENT_ON(o, 2, "the x");

    c[0] = blank(0, "span", "");
    c[0].text = "Marcela";
    c[0].pointer = c[0].clickable = 1;
    c[1] = blank(1, "span", "");
    c[1].text = "Leonie";
    c[2] = blank(2, "span", "");
    c[2].text = "Briana";
    c[2].pointer = c[2].clickable = 1;
    c[3] = blank(3, "span", "");
    c[3].text = "Kanesha";
    c[3].pointer = c[3].clickable = 1;
    o = rank(hx, "the \"Briana\" folder", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 2, "the \"Briana\" folder");
    o = rank(hx, "the \xe2\x80\x9cKanesha\xe2\x80\x9d folder, then more",
             HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 3, "curly quotes, words after them");
    o = rank(hx, "the \"Select\" link", HEUR_CLICK, c, 4);
    CHECK_MSG(o.d == HEUR_NONE, "quoted words must show: %d %.2f", o.best,
              o.conf);
}

/* 10. Numbers inside names, and fillers that are the name. */
static void test_numbers_in_names(struct heur_ctx *hx)
{
    struct heur_cand c[6];
    struct outcome o;

    c[0] = button(0, "TWO");
    c[1] = button(1, "ONE");
    c[2] = button(2, "no");
    o = rank(hx, "button ONE", HEUR_CLICK, c, 3);
    CONFIDENT_ON(o, 1, "button ONE");
    o = rank(hx, "the \"ONE\" button", HEUR_CLICK, c, 3);
    CONFIDENT_ON(o, 1, "the \"ONE\" button");

    c[0] = blank(0, "li", "tab");
    c[0].name = c[0].text = "Section #1";
    c[0].clickable = 1;
    c[1] = blank(1, "li", "tab");
    c[1].name = c[1].text = "Section #2";
    c[1].clickable = 1;
    c[2] = blank(2, "li", "tab");
    c[2].name = c[2].text = "Section #3";
    c[2].clickable = 1;
    o = rank(hx, "Section #2", HEUR_CLICK, c, 3);
    CONFIDENT_ON(o, 1, "Section #2");
    o = rank(hx, "Section #3 tab", HEUR_CLICK, c, 3);
    CONFIDENT_ON(o, 2, "Section #3 tab");
    o = rank(hx, "the second tab", HEUR_CLICK, c, 3);
    CONFIDENT_ON(o, 1, "the second tab");
    o = rank(hx, "Delete #3", HEUR_CLICK, c, 3);       /* no such name */
    CHECK(o.d != HEUR_CONFIDENT);

    c[0] = textbox(0, "From");
    c[1] = textbox(1, "To");
    o = rank(hx, "From", HEUR_FILL, c, 2);
    CONFIDENT_ON(o, 0, "From");
    o = rank(hx, "To field", HEUR_FILL, c, 2);
    CONFIDENT_ON(o, 1, "To field");
}

/* 11. Text that handles a click without saying so: list items, cells,
 * collapsible headers. */
static void test_text_click(struct heur_ctx *hx)
{
    struct heur_cand c[7];
    struct outcome o;

    c[0] = blank(0, "div", "");
    c[0].text = "Expand the section with \"Section #2\" and click on "
                "\"Laila\".";
    c[1] = blank(1, "h3", "heading");
    c[1].name = c[1].text = "Section #1";
    c[2] = blank(2, "h3", "heading");
    c[2].name = c[2].text = "Section #2";
    c[3] = blank(3, "li", "listitem");
    c[3].text = "alpha";
    c[4] = blank(4, "li", "listitem");
    c[4].text = "Laila";
    c[5] = blank(5, "td", "cell");
    c[5].text = "Ron";
    c[6] = button(6, "Submit");
    o = rank(hx, "Section #2", HEUR_CLICK, c, 7);
    CONFIDENT_ON(o, 2, "Section #2 header");
    o = rank(hx, "Laila", HEUR_CLICK, c, 7);
    CONFIDENT_ON(o, 4, "Laila item");
    o = rank(hx, "Ron", HEUR_CLICK, c, 7);
    CONFIDENT_ON(o, 5, "Ron cell");
    /* the sentence that mentions the words is no target: the circle it
     * speaks of is not a record (a shape) */
    c[0].text = "Click on a blue circle.";
    o = rank(hx, "the blue circle", HEUR_CLICK, c, 1);
    NOT_CONFIDENT(o, "an instruction that mentions the words");
    /* a clickable that fits keeps its rank */
    c[5] = link(5, "Details for Laila");
    o = rank(hx, "Laila", HEUR_CLICK, c, 7);
    CHECK_MSG(o.best == 5, "the link: best %d", o.best);
}

/* 7. An exact whole name against names that say more: menu items that
 * add a word, a count beside the same word (p-admin-09, p-admin-10). */
static void test_whole_name(struct heur_ctx *hx)
{
    struct heur_cand c[6];
    struct outcome o;
    int i;

    c[0] = blank(0, "a", "menuitem");
    c[0].name = c[0].text = "Run Cells";
    c[0].clickable = 1;
    c[1] = blank(1, "a", "menuitem");
    c[1].name = c[1].text = "Run All";
    c[1].clickable = 1;
    c[2] = blank(2, "a", "menuitem");
    c[2].name = c[2].text = "Run All Above";
    c[2].clickable = 1;
    c[3] = blank(3, "a", "menuitem");
    c[3].name = c[3].text = "Run All Below";
    c[3].clickable = 1;
    o = rank(hx, "Run All", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 1, "Run All, not Run All Above");
    o = rank(hx, "Run All Below", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 3, "Run All Below itself");

    c[0] = link(0, "Posts");
    c[0].region = "nav";
    c[1] = link(1, " 5 Posts");
    c[1].region = "main";
    c[2] = link(2, "All Posts");
    c[2].region = "nav";
    c[3] = link(3, "Comments 1");
    c[3].region = "nav";
    o = rank(hx, "Posts", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 0, "Posts, not 5 Posts or All Posts");
    o = rank(hx, "the Posts link", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 0, "the Posts link");
    /* no exact name: the count does not stop the only fit */
    o = rank(hx, "Comments", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 3, "Comments with its count");
    /* the exact one hidden: what shows is meant, or nothing sure */
    c[0].visible = 0;
    o = rank(hx, "Posts", HEUR_CLICK, c, 4);
    NOT_CONFIDENT(o, "Posts hidden: 5 Posts or All Posts");

    /* a post's title against its row's checkbox, whose (hidden) label
     * opens with the verb "Select" */
    c[0] = blank(0, "input", "checkbox");
    c[0].name = c[0].label = "Select Seed swap recap";
    c[0].type = "checkbox";
    c[0].clickable = 1;
    c[0].group = 3;
    c[1] = link(1, "\xe2\x80\x9cSeed swap recap\xe2\x80\x9d (Edit)");
    c[1].text = "Seed swap recap";
    c[1].group = 3;
    c[2] = link(2, "Edit \xe2\x80\x9cSeed swap recap\xe2\x80\x9d");
    c[2].text = "Edit";
    c[2].group = 3;
    o = rank(hx, "Seed swap recap", HEUR_CLICK, c, 3);
    CONFIDENT_ON(o, 1, "the title, not Select <title>");
    o = rank(hx, "Select Seed swap recap", HEUR_CHECK, c, 3);
    CONFIDENT_ON(o, 0, "Select <title>: the checkbox");

    /* the words in another number: "Comments" said, a dashboard's
     * "1 Comment" beside the menu's "Comments" (whose badge reads "1
     * Comment in moderation" to a screen reader) is no sure answer */
    c[0] = link(0, "Comments 1 Comment in moderation");
    c[0].text = "Comments 1 1 Comment in moderation";
    c[0].region = "nav";
    c[1] = link(1, "1 Comment in moderation");
    c[1].text = "1 1 Comment in moderation";
    c[1].region = "nav";
    c[2] = link(2, " 1 Comment");
    c[2].text = "1 Comment";
    c[2].region = "main";
    c[3] = link(3, " 1 Comment in moderation");
    c[3].text = "1 Comment in moderation";
    c[3].region = "main";
    o = rank(hx, "Comments", HEUR_CLICK, c, 4);
    CHECK_MSG(o.d != HEUR_CONFIDENT || o.best == 0, "Comments: confident "
              "on %d (conf %.2f margin %.2f)", o.best, o.conf, o.margin);
    o = rank(hx, "1 Comment", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 2, "1 Comment as written");

    /* a name whose head is the words, the rest a note in parentheses,
     * is a whole name too: the brand "Prometheus" against the job
     * "prometheus (1/1 up)" is no sure answer */
    c[0] = link(0, "Prometheus");
    c[0].region = "nav";
    c[1] = link(1, "prometheus (1/1 up)");
    c[2] = link(2, "backup-agent (0/1 up)");
    o = rank(hx, "prometheus", HEUR_CLICK, c, 3);
    NOT_CONFIDENT(o, "prometheus: the brand or the job");

    /* a name that is only a tooltip: a file list's row checkboxes whose
     * title reads "Click here to rename, delete, etc." against the
     * toolbar's "Delete selected" */
    c[0] = button(0, "Delete selected");
    c[0].title = "Delete selected";
    for (i = 1; i <= 3; i++) {
        c[i] = blank(i, "input", "checkbox");
        c[i].name = c[i].title = "Click here to rename, delete, etc.";
        c[i].type = "checkbox";
        c[i].clickable = 1;
    }
    c[1].context = "harvest.csv";
    c[2].context = "Rainfall.ipynb";
    c[3].context = "reports";
    o = rank(hx, "Delete", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 0, "Delete: the toolbar's button, not a tooltip");
}

/* 2. Equal twins: links to one destination are one choice; an action
 * repeated in every row gives way to the one outside the rows; a
 * control shown twice with the same words and surroundings is one; but
 * unnamed look-alikes and links to different places stay ambiguous
 * (p-admin-02..08). */
static void test_equal_twins(struct heur_ctx *hx)
{
    struct heur_cand c[8];
    struct outcome o;
    int i;

    c[0] = link(0, "customers");       /* the navigation tree */
    c[0].group = 1;
    c[0].dest = 77;
    c[1] = link(1, "orders");
    c[1].group = 1;
    c[1].dest = 78;
    c[2] = link(2, "customers");       /* the table list */
    c[2].group = 2;
    c[2].dest = 77;
    c[2].context = "customers Browse Search 6";
    c[3] = link(3, "orders");
    c[3].group = 2;
    c[3].dest = 79;
    c[3].context = "orders Browse Search 7";
    o = rank(hx, "customers", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 0, "customers: one destination");
    o = rank(hx, "orders", HEUR_CLICK, c, 4);
    NOT_CONFIDENT(o, "orders: two destinations");

    c[0] = link(0, "Search");          /* a tab */
    c[0].group = 1;
    c[0].dest = 10;
    for (i = 1; i <= 3; i++) {         /* each row's action */
        c[i] = link(i, "Search");
        c[i].group = 2;
        c[i].dest = 10 + i;
        c[i + 3] = link(i + 3, "Browse");
        c[i + 3].group = 2;
        c[i + 3].dest = 20 + i;
    }
    c[1].context = c[4].context = "customers Browse Search";
    c[2].context = c[5].context = "orders Browse Search";
    c[3].context = c[6].context = "products Browse Search";
    o = rank(hx, "Search", HEUR_CLICK, c, 7);
    CONFIDENT_ON(o, 0, "Search: the tab, not a row's");
    o = rank(hx, "Browse", HEUR_CLICK, c, 7);
    NOT_CONFIDENT(o, "Browse: which row?");
    o = rank(hx, "Search for orders", HEUR_CLICK, c, 7);
    CONFIDENT_ON(o, 2, "Search for orders: the row's");
    c[3].group = c[6].group = -1;       /* two rows are enough */
    c[3].name = c[3].text = "Products";
    o = rank(hx, "Search", HEUR_CLICK, c, 7);
    CONFIDENT_ON(o, 0, "Search: the tab, not one of two rows'");
    c[0].dest = 0;                      /* the tab of the page shown */
    c[0].href = "index.php?route=/search";
    o = rank(hx, "Search", HEUR_CLICK, c, 7);
    NOT_CONFIDENT(o, "Search on the Search tab: which row's?");
    c[0].href = "#search";              /* a tab the page switches */
    o = rank(hx, "Search", HEUR_CLICK, c, 7);
    CONFIDENT_ON(o, 0, "Search: the in-page tab, not a row's");

    /* a list's toolbar above and below it */
    for (i = 0; i < 2; i++) {
        c[i] = textbox(i, "Search this table");
        c[i].label = "";
        c[i].placeholder = "Search this table";
        c[i].near = "Filter rows:";
        c[i].context = "Show all | Number of rows: 25 Filter rows:";
        c[i].cls = "filter_rows";
    }
    c[2] = link(2, "Edit");
    c[2].context = "Show all | Number of rows: 25 Filter rows:";
    c[2].dest = 5;
    c[2].href = "?edit=5";
    c[3] = link(3, "Edit");
    c[3].href = "?edit=6";
    c[3].context = "Show all | Number of rows: 25 Filter rows:";
    c[3].dest = 6;
    o = rank(hx, "Filter rows", HEUR_FILL, c, 4);
    CONFIDENT_ON(o, 0, "Filter rows: the same box twice");
    o = rank(hx, "Edit", HEUR_CLICK, c, 4);
    NOT_CONFIDENT(o, "Edit: two places");
    c[1].cls = "filter_rows bottom";
    o = rank(hx, "Filter rows", HEUR_FILL, c, 4);
    NOT_CONFIDENT(o, "Filter rows: the boxes differ");

    /* two buttons that submit one form alike: one choice; with another
     * name sent, or in another form, two */
    c[0] = textbox(0, "city");
    c[0].form = "#insertForm";
    c[1] = blank(1, "input", "button");
    c[1].name = c[1].value = "Go";
    c[1].type = "submit";
    c[1].clickable = 1;
    c[1].form = "#insertForm";
    c[2] = c[1];
    c[2].id = 2;
    c[2].id_attr = "buttonYes";
    c[2].group = 9;
    o = rank_h(hx, "Go", HEUR_CLICK, c, 3, "#insertForm");
    CONFIDENT_ON(o, 1, "Go: either submits the form");
    c[2].name_attr = "submit_and_new";
    o = rank(hx, "Go", HEUR_CLICK, c, 3);
    NOT_CONFIDENT(o, "Go: the form is told which");
    c[2].name_attr = "";
    c[2].form = "#other";
    o = rank(hx, "Go", HEUR_CLICK, c, 3);
    NOT_CONFIDENT(o, "Go: two forms");

    /* an insert form's two numbered copies of one row: no word tells
     * them apart, and a person starts at the first; the same field of
     * one table's two rows, or of two differently named copies, is not
     * one choice */
    for (i = 0; i < 4; i++) {
        c[i] = textbox(i, "");
        c[i].name = c[i].label = "";
        c[i].near = i % 2 ? "email" : "name";
        c[i].context = i % 2 ? "email varchar(80)" : "name varchar(50)";
        c[i].form = "#insertForm";
        c[i].group = i < 2 ? 4 : 5;
    }
    c[0].id_attr = "field_2_3";
    c[0].name_attr = "fields[multi_edit][0][b068931c]";
    c[1].id_attr = "field_3_3";
    c[1].name_attr = "fields[multi_edit][0][0c83f57c]";
    c[2].id_attr = "field_7_3";
    c[2].name_attr = "fields[multi_edit][1][b068931c]";
    c[3].id_attr = "field_8_3";
    c[3].name_attr = "fields[multi_edit][1][0c83f57c]";
    o = rank(hx, "name", HEUR_FILL, c, 4);
    CONFIDENT_ON(o, 0, "name: the first copy's");
    c[2].group = 4;
    o = rank(hx, "name", HEUR_FILL, c, 4);
    NOT_CONFIDENT(o, "name: two rows of one table");
    c[2].group = 5;
    c[2].name_attr = "fields[multi_edit][1][b068931d]";
    o = rank(hx, "name", HEUR_FILL, c, 4);
    NOT_CONFIDENT(o, "name: copies named apart");
}

/* 3. An action and its row's subject: "Structure orders" is the orders
 * row's Structure link, not its orders link, nor the navigation tree's
 * icon to the same place that shows no word (p-admin-06). */
static void test_row_action(struct heur_ctx *hx)
{
    static const char *const t[3] = {"customers", "orders", "products"};
    static const char *const ctx[3] = {
        "customers Browse Structure Search 6 InnoDB",
        "orders Browse Structure Search 7 InnoDB",
        "products Browse Structure Search 4 InnoDB"};
    struct heur_cand c[16];
    struct outcome o;
    int i;

    c[0] = link(0, "Structure");           /* the tree's icon for orders */
    c[0].text = "";
    c[0].context = "orders";
    c[0].dest = 121;
    c[0].group = 3;
    c[1] = link(1, "orders");
    c[1].context = "orders";
    c[1].dest = 101;
    c[1].group = 3;
    for (i = 0; i < 3; i++) {
        int k = 2 + 4 * i;
        c[k] = link(k, t[i]);
        c[k].dest = 100 + i;
        c[k + 1] = link(k + 1, "Browse");
        c[k + 1].dest = 110 + i;
        c[k + 2] = link(k + 2, "Structure Structure");
        c[k + 2].text = "Structure";
        c[k + 2].dest = 120 + i;
        c[k + 3] = link(k + 3, "Search Search");
        c[k + 3].text = "Search";
        c[k + 3].dest = 130 + i;
        c[k].context = c[k + 1].context = c[k + 2].context =
            c[k + 3].context = ctx[i];
        c[k].group = c[k + 1].group = c[k + 2].group = c[k + 3].group = 5;
    }
    o = rank(hx, "Structure orders", HEUR_CLICK, c, 14);
    CONFIDENT_ON(o, 8, "Structure orders: the row's Structure link");
    o = rank(hx, "Browse customers", HEUR_CLICK, c, 14);
    CONFIDENT_ON(o, 3, "Browse customers");
    o = rank(hx, "orders", HEUR_CLICK, c, 14);
    CHECK_MSG((o.best == 1 || o.best == 6) && o.d == HEUR_CONFIDENT,
              "orders: the table's own link (either): best %d, conf %.2f "
              "margin %.2f", o.best, o.conf, o.margin);
}

/* 6. An ordinal counts what the words fit before the form just filled
 * weighs in (p-notebook-02). */
static void test_ordinal_then_form(struct heur_ctx *hx)
{
    struct heur_cand c[6];
    struct outcome o;

    c[0] = textarea(0);
    c[0].placeholder = "Expression";
    c[0].form = "form0";
    c[1] = blank(1, "input", "button");
    c[1].name = c[1].value = "Execute";
    c[1].type = "button";
    c[1].clickable = 1;
    c[1].form = "form0";
    c[2] = textarea(2);
    c[2].placeholder = "Expression";
    c[2].form = "form1";
    c[3] = c[1];
    c[3].id = 3;
    c[3].form = "form1";
    o = rank_h(hx, "the second Execute button", HEUR_CLICK, c, 4, "form1");
    CONFIDENT_ON(o, 3, "the second Execute button after filling form1");
    o = rank_h(hx, "the first Execute button", HEUR_CLICK, c, 4, "form1");
    CONFIDENT_ON(o, 1, "the first: the ordinal says so");
    o = rank(hx, "the second Execute button", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 3, "the second Execute button");
}

/* 11. A text that takes a click against generic clickables whose long
 * text holds the words: a notebook's name in its header, beside cells
 * under a heading of the same words (p-notebook-01). */
static void test_text_beside_cells(struct heur_ctx *hx)
{
    struct heur_cand c[6];
    struct outcome o;

    c[0] = blank(0, "span", "");
    c[0].text = "Rainfall";
    c[0].region = "nav";
    c[0].context = "Rainfall (unsaved changes)";
    c[1] = blank(1, "div", "");
    c[1].text = "Rainfall Monthly rainfall in millimetres.";
    c[1].clickable = 1;
    c[2] = blank(2, "h1", "heading");
    c[2].name = c[2].text = "Rainfall";
    c[2].parent_id = 1;
    c[3] = blank(3, "div", "");
    c[3].text = "In [ ]: rain = [61, 48] print('total rainfall:', sum(rain))";
    c[3].clickable = 1;
    c[4] = button(4, "Logout");
    o = rank(hx, "Rainfall", HEUR_CLICK, c, 5);
    CONFIDENT_ON(o, 0, "Rainfall: the name in the header");
    /* a link that fits keeps its rank */
    c[4] = link(4, "Rainfall report");
    o = rank(hx, "Rainfall", HEUR_CLICK, c, 5);
    NOT_CONFIDENT(o, "a link that fits as well");
}

int main(void)
{
    char err[256];
    struct heur_ctx *hx = heur_ctx_new(err, sizeof err);
    CHECK_MSG(hx != NULL, "%s", err);
    if (!hx)
        return T_DONE();
    test_unlabelled_editors(hx);
    test_form_just_filled(hx);
    test_action_and_subject(hx);
    test_label_vs_unnamed(hx);
    test_container_link(hx);
    test_ordinal_group(hx);
    test_exact_vs_partial(hx);
    test_role_only(hx);
    test_quoted(hx);
    test_numbers_in_names(hx);
    test_text_click(hx);
    test_whole_name(hx);
    test_equal_twins(hx);
    test_row_action(hx);
    test_ordinal_then_form(hx);
    test_text_beside_cells(hx);
    heur_ctx_free(hx);
    return T_DONE();
}
