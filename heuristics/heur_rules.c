/* heur_rules.c -- the page-level rules: what a score means next to the
 * other candidates' scores. An ordinal counts peers; the task's history
 * (the form just filled, the menu just opened) weighs; a text takes a
 * click when nothing clickable fits; an exact whole name beats names
 * that say more; an action every row repeats and an action with its
 * row's subject; the one link inside a best container. See
 * docs/HEURISTICS.md "Scoring a candidate". */
#include "heur_int.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Each weight names the page pattern it exists for and a case of the
 * grounding corpus that turns on it: moved by about 0.1 (or as far as
 * stated), that case's outcome changes. The corpus holds no menu
 * history: the menu's weights name the unit test that needs them. */

/* Ordinals. */
#define ORD_PEER       0.85   /* peers: within this ratio of the top
                                 (0.75: ra-prom-status-09 "Last
                                 successful configuration reload" goes
                                 wrong; 0.51: shop-05 "the third Add to
                                 cart button" goes wrong) */
#define ORD_MISS       0.55   /* not the one the ordinal points at (0.65:
                                 p-notebook-05 "the first Compute button"
                                 uncertain, ra-pma-db-17 "the second
                                 table" goes wrong) */
#define ORD_FLOOR      0.2    /* no ordinal peer scores under this: no
                                 case turns on 0-0.3 (1: p-lists-09 "the
                                 third docs link" finds no peers) */

/* The task's history. */
#define FORM_FIT       0.50   /* a button of the form just filled scores
                                 at least this ... (no case turns on it,
                                 even at 0 or 1) */
#define FORM_OTHER     0.80   /* ... : what is outside the form counts
                                 this much (issue 22 pattern 2,
                                 p-login-04 "Log in": 0.9 leaves it
                                 uncertain) */
#define MENU_FIT       0.50   /* an item of the menu just opened scores
                                 at least this ... (no case or test turns
                                 on it, even at 0 or 1) */
#define MENU_OTHER     0.80   /* ... : what is outside the menu counts this
                                 much (a toolbar's icon button titled as
                                 the item: issue 22 real apps,
                                 jupyter/12; at 1, test_heuristics_menu
                                 "Insert Cell Below" is uncertain) */

/* Texts that take a click. */
#define TEXT_CLICK     0.85   /* clicking words that only a text shows (a
                                 list item, a cell, a collapsible header
                                 whose click handler the page does not
                                 show): what a person clicks (issue 22
                                 pattern 11, p-tasks-11 "gamma": no case
                                 turns on 0.75-1; 0.51 leaves it
                                 uncertain) ... */
#define CLICK_FIT      0.50   /* ... when nothing clickable scores this,
                                 for a text that shows about just those
                                 words (name TEXT_NAME): a sentence that
                                 mentions them is an instruction or a
                                 description, not the thing to click
                                 (0.4: ra-nb-editor-08 "harvest.csv"
                                 uncertain) */
#define TEXT_NAME      0.90   /* (0.8: ra-prom-targets-09 "the first
                                 endpoint" goes wrong) */
#define CLICKS         0.5    /* a kind factor over this takes a click
                                 (0.3: p-tasks-11 uncertain) */

/* Look-alikes: whole names, rows, containers. */
#define EXACT_OVER     0.80   /* a name that says more than the intent
                                 ("Run All Above", "All Posts", "5 Posts"
                                 for "Run All", "Posts") when another
                                 element's whole name is the intent and
                                 scores as well: the exact one is meant,
                                 by more than the margin (issue 22
                                 pattern 7, p-admin-09 "Run everything":
                                 1 leaves it uncertain; 0.9:
                                 ra-wp-editor-13 "the settings button"
                                 uncertain) */
#define ROW_TWIN       0.80   /* an action that every row of a list
                                 repeats ("Search" in each table's row),
                                 when the intent names no row and one
                                 element outside that list fits as well
                                 (the "Search" tab): the row's copies
                                 count this much (issue 22 pattern 7,
                                 p-admin-04 "Find": 0.9 leaves it
                                 uncertain) */
#define ROW_BAND       0.80   /* ... looked for among the candidates
                                 within this share of the best: what
                                 may decide the step (0.9:
                                 ra-pma-structure-01 "Change email"
                                 uncertain) */
#define ROW_SUBJECT    0.80   /* "Structure orders": the orders row's
                                 "orders" link when the same row's
                                 "Structure" link fits as well: the first
                                 word names the control, the rest its
                                 row (issue 22 pattern 3, p-admin-06
                                 "Layout beds": 0.9 leaves it uncertain) */
#define DESCEND        0.90   /* the one link or button inside the best
                                 container, scoring this share of it, is
                                 the target (issue 22 pattern 5: no case
                                 turns on 0-1; never descending,
                                 p-lists-11 "playground namespace" goes
                                 wrong) */
#define TIE            1e-9   /* totals this close are equal (no weight) */

/* Ordinal: among peers (within ORD_PEER of the top, visible, one per
 * control), in document order, the k-th keeps its score; the rest are
 * multiplied by ORD_MISS. Peers in a repeated group (the rows of one
 * table, the items of one list: heur_cand.group) are counted within it,
 * as a person counts rows, not with a lone look-alike elsewhere (a
 * breadcrumb): when one group holds at least two peers and enough for
 * the ordinal, its k-th is the one; when several do, each group's k-th
 * keeps its score, and the ranking is left uncertain (issue 22 pattern
 * 6, p-lists-09). */
void heur__apply_ordinal(const struct heur__intent *it,
                         const struct heur_cand *c, struct heur_score *s,
                         size_t n)
{
    double top = heur__top_total(s, n);
    size_t i, np = 0, ng = 0, k;
    int *peer, *grp, *cnt, *pick, npick = 0;

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
            rel = heur__related(&c[s[peer[j]].cand], &c[s[i].cand]);
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
                   (heur__related(&c[s[pick[j]].cand], &c[s[i].cand]) &&
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
            !heur__related(&c[s[in].cand], &c[s[i].cand]))
            s[i].total *= MENU_OTHER;
}

/* The task's history (heur_hist): after fields of a form were filled, a
 * click whose words fit a button of that form means that button, not a
 * look-alike elsewhere (a header's "Log in" link beside the login form's
 * "Log in" button): when such a button scores FORM_FIT or more, what is
 * outside the form counts FORM_OTHER (issue 22 pattern 2, p-login-04).
 * S[] in
 * document order, scored. */
void heur__apply_hist(const struct heur_hist *h, enum heur_kind kind,
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
        if (s[i].total >= FORM_FIT && heur__is_button(&c[s[i].cand]) &&
            heur__eq(c[s[i].cand].form, h->form) &&
            (in < 0 || s[i].total > s[in].total))
            in = (int)i;
    if (in < 0)
        return;
    for (i = 0; i < n; i++)
        if (s[i].total > 0 && !heur__eq(c[s[i].cand].form, h->form) &&
            !heur__related(&c[s[in].cand], &c[s[i].cand]))
            s[i].total *= FORM_OTHER;
}

/* A clickable element that is no control: a generic element (no role,
 * not a link, button, field or label) that the page made clickable, such
 * as a notebook's cell or a card. */
static int generic_click(const struct heur_cand *c)
{
    return !c->role[0] && !heur__is_link(c) && !heur__is_button(c) &&
           !c->editable && !heur__is_select(c) &&
           !heur__eq(c->tag, "label") && !heur__eq(c->tag, "summary");
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
void heur__text_click(enum heur_kind kind, const struct heur_cand *c,
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
        p = heur__find_id(c, n, c[s[i].cand].parent_id);
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
void heur__descend(enum heur_kind kind, const struct heur_cand *c,
                   struct heur_score *s, size_t n)
{
    const struct heur_cand *b;
    size_t i, one = 0;
    int found = 0;

    if (kind != HEUR_CLICK || n < 2 || s[0].total <= 0)
        return;
    b = &c[s[0].cand];
    if (heur__is_link(b) || heur__is_button(b))
        return;
    for (i = 1; i < n && s[i].total > 0; i++) {
        const struct heur_cand *d = &c[s[i].cand];
        if (d->parent_id != b->id || !d->visible ||
            !(heur__is_link(d) || heur__is_button(d)) ||
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
 * not "All Posts" or "5 Posts". S[] scored, HEUR__WHOLE[] per candidate. */
void heur__whole_wins(struct heur_score *s, size_t n,
                      const unsigned char *whole)
{
    double e = 0;
    size_t i;

    for (i = 0; i < n; i++)
        if ((whole[i] & HEUR__WHOLE_MASK) == HEUR__WHOLE_EXACT &&
            s[i].total > e)
            e = s[i].total;
    if (e <= 0)
        return;
    for (i = 0; i < n; i++)
        if ((whole[i] & HEUR__WHOLE_MASK) == HEUR__WHOLE_MORE &&
            s[i].total > 0 && s[i].total <= e)
            s[i].total *= EXACT_OVER;
}

/* Is C a link to the page it is on: an address of its own that the
 * collector found to be this page's (no destination), not an anchor
 * ("#…") or a script's? */
static int links_here(const struct heur_cand *c)
{
    return heur__is_link(c) && !c->dest && c->href[0] && c->href[0] != '#' &&
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
void heur__row_twins(const struct heur_cand *c, struct heur_score *s,
                     size_t n)
{
    size_t i, j, k, m = 0, nd = 0;
    double top = heur__top_total(s, n);
    int *nz, *done;

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
            } else if (!heur__related(first, d) &&
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
 * DESCEND as well. S[] scored, HEUR__WHOLE[] per candidate. */
void heur__row_subject(enum heur_kind kind, const struct heur_cand *c,
                       struct heur_score *s, size_t n,
                       const unsigned char *whole)
{
    size_t i, j, m = 0;
    double top;
    int *act;

    if (kind != HEUR_CLICK)
        return;
    top = heur__top_total(s, n);
    if (top <= 0 || !(act = malloc(n * sizeof *act)))
        return;
    for (i = 0; i < n; i++)     /* the controls named by the first word */
        if (s[i].total > 0 && (whole[i] & HEUR__LEAD_OWN) &&
            !(whole[i] & HEUR__WHOLE_MASK) && c[s[i].cand].context[0])
            act[m++] = (int)i;
    for (i = 0; i < n && m; i++) {
        const struct heur_cand *a = &c[s[i].cand];
        if (s[i].total < ROW_BAND * top ||
            (whole[i] & (HEUR__LEAD_OWN | HEUR__WHOLE_MASK)) || !a->context[0])
            continue;
        for (j = 0; j < m; j++) {
            const struct heur_cand *b = &c[s[act[j]].cand];
            if (s[act[j]].total >= DESCEND * s[i].total &&
                b->group == a->group &&
                (b->context == a->context ||
                 strcmp(b->context, a->context) == 0) && !heur__related(a, b))
                break;
        }
        if (j < m)
            s[i].total *= ROW_SUBJECT;
    }
    free(act);
}
