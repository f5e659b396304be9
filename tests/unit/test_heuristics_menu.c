/* test_heuristics_menu.c -- menus: a menu item's keyboard shortcut is no
 * part of its words, and after a click opened a menu, a click whose words
 * fit an item of that menu means that item (heur_hist.menu). Records as
 * the collector sends them for Jupyter's notebook menus (issue 22 real
 * apps, jupyter/12). Each check failed before. */
#include "../t.h"
#include "../../heuristics/heur.h"
#include "heur_cands.h"

#include <string.h>

#define MIN_CONF 0.6
#define MIN_MARGIN 0.15

static struct heur_cand menuitem(int id, const char *name)
{
    struct heur_cand c = blank(id, "a", "menuitem");
    c.name = c.text = name;
    c.href = "#";
    c.clickable = 1;
    c.region = "menu";
    return c;
}

/* An icon button whose only words are its title. */
static struct heur_cand icon_button(int id, const char *title)
{
    struct heur_cand c = blank(id, "button", "button");
    c.title = title;
    c.clickable = 1;
    return c;
}

static int rank_best(struct heur_ctx *hx, const char *intent,
                     const struct heur_cand *c, size_t n,
                     const int *menu, size_t nmenu, double *conf,
                     double *margin, enum heur_decision *d)
{
    struct heur_result r;
    struct heur_hist h;
    int best;

    memset(&h, 0, sizeof h);
    h.menu = menu;
    h.nmenu = nmenu;
    if (heur_rank_hist(hx, intent, HEUR_CLICK, c, n, menu ? &h : NULL,
                       &r) != 0)
        return -2;
    best = r.best >= 0 ? c[r.best].id : -1;
    *conf = r.confidence;
    *margin = r.margin;
    *d = heur_decide(&r, MIN_CONF, MIN_MARGIN);
    heur_result_free(&r);
    return best;
}

static void test_shortcut_hint(struct heur_ctx *hx)
{
    /* Edit menu items with their keys; the toolbar's icon buttons */
    struct heur_cand c[] = {
        menuitem(1, "Cut Cells X"),
        menuitem(2, "Copy Cells C"),
        menuitem(3, "Run Cells Ctrl-Enter"),
        menuitem(4, "Run Cells and Select Below Shift-Enter"),
        menuitem(5, "Plan B"),
        link(6, "Plan"),
    };
    double conf, margin;
    enum heur_decision d;
    int best;

    best = rank_best(hx, "Run Cells", c, 6, NULL, 0, &conf, &margin, &d);
    CHECK_MSG(best == 3 && conf >= 0.999 && d == HEUR_CONFIDENT,
              "\"Run Cells\": best %d conf %.2f margin %.2f", best, conf,
              margin);
    best = rank_best(hx, "Copy Cells", c, 6, NULL, 0, &conf, &margin, &d);
    CHECK_MSG(best == 2 && conf >= 0.999,
              "\"Copy Cells\": best %d conf %.2f", best, conf);
    /* a name whose last word only looks like a key keeps it */
    best = rank_best(hx, "Plan B", c, 6, NULL, 0, &conf, &margin, &d);
    CHECK_MSG(best == 5 && d == HEUR_CONFIDENT,
              "\"Plan B\": best %d conf %.2f margin %.2f", best, conf,
              margin);
}

static void test_shortcut_hint_links(struct heur_ctx *hx)
{
    /* a dropdown of plain links: a modifier and a key is a hint on any
     * element, one letter only on a menu item */
    struct heur_cand c[] = {
        link(1, "Run Cells Ctrl-Enter"),
        link(2, "Run Cells and Select Below"),
        link(3, "Plan B"),
        link(4, "Plan"),
    };
    double conf, margin;
    enum heur_decision d;
    int best;

    best = rank_best(hx, "Run Cells", c, 4, NULL, 0, &conf, &margin, &d);
    CHECK_MSG(best == 1 && d == HEUR_CONFIDENT,
              "\"Run Cells\" link: best %d conf %.2f margin %.2f", best, conf,
              margin);
    best = rank_best(hx, "Plan", c, 4, NULL, 0, &conf, &margin, &d);
    CHECK_MSG(best == 4 && d == HEUR_CONFIDENT,
              "\"Plan\": best %d conf %.2f margin %.2f", best, conf, margin);
}

static void test_menu_just_opened(struct heur_ctx *hx)
{
    /* Jupyter: "Insert" opened its menu; the toolbar's "+" button is
     * titled "insert cell below" */
    struct heur_cand c[] = {
        icon_button(1, "insert cell below"),
        link(2, "Insert"),
        blank(3, "ul", "menu"),
        menuitem(4, "Insert Cell Above A"),
        menuitem(5, "Insert Cell Below B"),
    };
    const int menu[] = {3, 4, 5};
    double conf, margin;
    enum heur_decision d;
    int best;

    c[1].clickable = 1;
    c[2].name = "Insert";
    c[3].parent_id = 3;
    c[4].parent_id = 3;
    best = rank_best(hx, "Insert Cell Below", c, 5, menu, 3, &conf, &margin,
                     &d);
    CHECK_MSG(best == 5 && d == HEUR_CONFIDENT,
              "after the menu opened: best %d conf %.2f margin %.2f", best,
              conf, margin);
    /* the toolbar's button is still what the words mean when the menu
     * holds nothing that fits them */
    best = rank_best(hx, "insert cell below", c, 2, menu, 3, &conf, &margin,
                     &d);
    CHECK_MSG(best == 1, "no item fits: best %d", best);
}

int main(void)
{
    char err[256];
    struct heur_ctx *hx = heur_ctx_new(err, sizeof err);
    CHECK_MSG(hx != NULL, "%s", err);
    if (!hx)
        return T_DONE();
    test_shortcut_hint(hx);
    test_shortcut_hint_links(hx);
    test_menu_just_opened(hx);
    heur_ctx_free(hx);
    return T_DONE();
}
