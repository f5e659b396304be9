/* heur_relate.c -- how two candidates relate: the same control (a label
 * and its checkbox, a link and the image inside it), twins, numbered
 * copies of a block, links to one place, buttons that submit one form
 * alike. Such pairs are one choice for the margin. */
#include "heur_int.h"
#include "../util/util.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

const struct heur_cand *heur__find_id(const struct heur_cand *c, size_t n,
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

int heur__related(const struct heur_cand *a, const struct heur_cand *b)
{
    return (a->for_id >= 0 && a->for_id != a->id &&
            (a->for_id == b->id || a->for_id == b->for_id)) ||
           (b->for_id >= 0 && b->for_id != b->id && b->for_id == a->id) ||
           (a->parent_id >= 0 && a->parent_id == b->id) ||
           (b->parent_id >= 0 && b->parent_id == a->id);
}

/* The string fields of a record that a person sees: its words and kind,
 * and the words and structure around it (twins(), numbered_copies()) ... */
#define F(m) offsetof(struct heur_cand, m)
static const size_t SEEN[] = {F(tag), F(role), F(name), F(label),
    F(placeholder), F(title), F(aria_label), F(alt), F(text), F(cls),
    F(type), F(near), F(context), F(heading), F(region), F(form)};
/* ... and those of its markup that tell look-alikes apart */
static const size_t MARKUP[] = {F(id_attr), F(name_attr), F(testid),
    F(href)};
#undef F
#define NSEEN (sizeof SEEN / sizeof SEEN[0])
#define NMARKUP (sizeof MARKUP / sizeof MARKUP[0])

/* Are the string fields at offsets OFF[0..N) of A and B all equal? */
static int same_strs(const struct heur_cand *a, const struct heur_cand *b,
                     const size_t *off, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const char *x = *(const char *const *)((const char *)a + off[i]);
        const char *y = *(const char *const *)((const char *)b + off[i]);
        if (x != y && strcmp(x, y) != 0)
            return 0;
    }
    return 1;
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
    if (a->group >= 0 || b->group >= 0 || a->visible != b->visible ||
        a->enabled != b->enabled || a->dest != b->dest || a->id_attr[0] ||
        !(a->name[0] || a->label[0] || a->text[0]))
        return 0;       /* unnamed look-alikes are fields of their own */
    return same_strs(a, b, SEEN, NSEEN) && same_strs(a, b, MARKUP, NMARKUP);
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
    if (!(a->editable || heur__is_select(a)) || a->editable != b->editable ||
        (a->group >= 0 && a->group == b->group) ||
        a->visible != b->visible || a->enabled != b->enabled ||
        !same_but_numbers(a->name_attr, b->name_attr) ||
        (a->id_attr[0] && !same_but_numbers(a->id_attr, b->id_attr)))
        return 0;
    return same_strs(a, b, SEEN, NSEEN);
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
    return c->form[0] && heur__is_button(c) &&
           (heur__type_is(c, "submit") || heur__type_is(c, "image") ||
            (heur__eq(c->tag, "button") && !c->type[0]));
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

/* Are A and B one choice for the margin: the same control (heur__related()),
 * links to the same place with the same words (the navigation tree's
 * "customers" and the table list's: either opens the table), buttons
 * that submit one form alike (same_submit()), twins(), or one field
 * of numbered copies of a block (numbered_copies())? */
int heur__same_choice(struct heur_ctx *hx, const struct heur_cand *a,
                      const struct heur_cand *b)
{
    return heur__related(a, b) || twins(a, b) || same_submit(a, b) ||
           same_link(hx, a, b) || numbered_copies(a, b);
}
