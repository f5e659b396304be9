/* heur_name.c -- the name features: what an element is called (its name
 * sources: name, label, text, alt, placeholder, title, value, near text,
 * and what a control is), how well the intent's words name it, its id,
 * name and class words, and how its surroundings agree with the intent's
 * context clause. See docs/HEURISTICS.md "Scoring a candidate". */
#include "heur_int.h"
#include "../util/util.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* Each weight names the page pattern it exists for and a case of the
 * grounding corpus that turns on it: moved by about 0.1 (or as far as
 * stated), that case's outcome changes. */

/* Name sources: the weight of each. */
#define W_NAME         1.0    /* name, label, aria-label, text (0.9:
                                 p-forms-03 "User", an exact label, no
                                 longer beats a filter box's header) */
#define W_ALT          0.95   /* an image's alt: no case turns on it,
                                 even at 0 or 1 */
#define W_PLACEHOLDER  0.92   /* a field's placeholder as its name: no
                                 case turns on 0.82-1 (0.55: h-issues-03
                                 "Leave a comment" uncertain) */
#define W_TITLE        0.90   /* a tooltip: an icon button's only words
                                 (0.8: ra-nb-folder-02 "the parent
                                 folder" loses its candidates) */
#define W_TITLE_TEXT   0.80   /* the title of an element with text of its
                                 own: a tooltip, not its name (issue 22
                                 pattern 7, p-forms-02 "create this
                                 page": 0.9 leaves it uncertain) */
#define W_ICON_NAME    0.95   /* the name of a link or button that shows
                                 no text (an icon's alt or title): what
                                 a screen reader says, not what a person
                                 reads, as an alt (issue 22 pattern 3;
                                 no case turns on 0.85-1; 0.57:
                                 toolbar-04 "Support" uncertain) */
#define W_VALUE        0.60   /* a select's or button's value: what a
                                 select shows (0.5: ra-pma-db-14 "With
                                 selected" uncertain) */
#define W_HEAD         0.97   /* name up to "(", "—", ",", ":": radios-01
                                 "Express shipping" of "Express shipping
                                 — 2 days" (0.87-1: no case loses; 0.58:
                                 uncertain) */
#define W_ATTR         0.80   /* id / name / data-testid tokens: the
                                 "query" textarea of p-command-01 "the
                                 SQL query box" (0.7: uncertain; 0.9:
                                 ra-nb-running-01 "Shutdown" uncertain) */
#define W_CLASS        0.45   /* class words (0.27: h-hotel-02
                                 "destination" loses its candidates) */
#define W_IMPLIED      0.80   /* what a control is: "text, content, body,
                                 editor" of a multi-line editor, "search"
                                 of a search box (issue 22 pattern 1,
                                 p-editor-02, p-editor-05 "page content":
                                 0.7 leaves it uncertain) */
#define W_NEAR_CTL     0.84   /* near text of an unlabelled form control:
                                 it may be a column header over a filter
                                 box, not its label; an exact label wins
                                 by more than the margin (issue 22
                                 pattern 4, p-forms-03: 0.94 leaves it
                                 uncertain; 0.74: checkout-04 "Postal
                                 code" uncertain) */
#define W_NEAR_OTHER   0.60   /* near text of anything else: a file
                                 name's row text is not its link's name
                                 (0.7: ra-nb-editor-08 "harvest.csv"
                                 uncertain) */
#define W_NEAR_READ    0.90   /* near text when reading (value by label):
                                 dashboard-05 "Last login" (0.8:
                                 uncertain) */

/* The name score: weight x recall x (NAME_BASE + NAME_PREC x precision):
 * an exact wording over one among more words (0.45 / 0.35: p-forms-03
 * "User" uncertain; 0.65 / 0.55: h-issues-11 "Edit", ambiguous, goes
 * confident). */
#define NAME_BASE      0.55
#define NAME_PREC      0.45
#define SEE_BASE       0.3    /* the same when waiting for words: the */
#define SEE_PREC       0.7    /* element showing just them (0.2 / 0.42:
                                 dashboard-w1 "Last login" uncertain) */
#define OTHER_VERB     0.6    /* the intent's action verb is not in the
                                 source: it names another control (0.84:
                                 ra-wp-comments-12 "Reply to Jane Reader"
                                 goes wrong; 0.36: ra-wp-posts-14 loses
                                 its candidates) */
#define NEGATED        0.70   /* "No gift wrap" for "Gift wrap" (0.98:
                                 radios-07 "No gift wrap" uncertain) */
#define CTX_CREDIT     0.75   /* a name word found only in the context
                                 (0.65: p-command-01 "the SQL query box"
                                 uncertain; 0.85: ra-wp-users-12 "the
                                 third user" goes wrong) */
#define ATTR_BASE      0.7    /* attr score: W_ATTR x recall x (ATTR_BASE
                                 + ATTR_PREC x precision) (0.8 / 0.4: */
#define ATTR_PREC      0.3    /* ra-nb-running-01 "Shutdown" uncertain) */

/* Words of S, from the cache when S was tokenised earlier in this call
 * (same address), else tokenised into the cache. */
static const struct heur__toks *toks_of(struct heur_ctx *hx,
                                        struct heur__work *wk, const char *s)
{
    size_t k = ((uintptr_t)s >> 3) * 2654435761u % HEUR__TOKCACHE;
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

int heur__is_verb(const char *w)
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

void heur__iwords_init(struct heur__iwords *w, const struct heur__toks *I)
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
            w->verb = heur__is_verb(I->t[j].s) ? j : -2;
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
const char *heur__implied(const struct heur_cand *c)
{
    if (!c->editable)
        return NULL;
    if (!heur__eq(c->tag, "input"))
        return "text content body editor";
    if (heur__type_is(c, "search") || heur__eq(c->role, "searchbox") ||
        has_word(c->region, "search"))
        return "search";
    return NULL;
}

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

/* The name sources of a candidate before repeated strings are dropped:
 * the strings, their weights, and what each is (heur__work.srcown). */
struct srclist {
    const char *s[HEUR__NSRC];
    double w[HEUR__NSRC];
    unsigned char own[HEUR__NSRC];
    int m;
};

static void add_src(struct srclist *l, const char *s, double w, int own)
{
    if (l->m >= HEUR__NSRC)
        return;
    l->s[l->m] = s;
    l->w[l->m] = w;
    l->own[l->m++] = (unsigned char)own;
}

/* Has C a name of its own? A name that is only its placeholder or title
 * is no label: the text beside the field is (issue 22 pattern 1,
 * p-forms-09). */
static int is_named(const struct heur_cand *c)
{
    return c->label[0] || c->aria_label[0] ||
           (c->name[0] && strcmp(c->name, c->placeholder) != 0 &&
            strcmp(c->name, c->title) != 0);
}

/* The weight of C's accessible name. */
static double name_weight(const struct heur_cand *c)
{
    if (!c->text[0] && !c->aria_label[0] && !c->label[0] &&
        (heur__is_link(c) || heur__eq(c->tag, "button")))
        return W_ICON_NAME;
    /* a name that is only the title: a tooltip, as the title weighs (a
     * row checkbox's "Click here to rename, delete, etc." against the
     * "Delete selected" button) */
    if (strcmp(c->name, c->title) == 0 && !c->text[0] && !c->label[0] &&
        !c->aria_label[0])
        return W_TITLE;
    return W_NAME;
}

/* The head of a long name: "Express shipping" of "Express shipping —
 * 2 days, $9.99", "Gift wrap" of "Gift wrap ($3)". */
static void add_head(const struct heur_cand *c, struct heur__work *wk,
                     struct srclist *l)
{
    const char *src = c->name[0] ? c->name : c->label[0] ? c->label :
                      c->text;
    size_t h = strcspn(src, "(\xe2,:");

    if (!src[h] || h <= 2 || h + 1 >= sizeof wk->headbuf)
        return;
    memcpy(wk->headbuf, src, h);
    wk->headbuf[h] = '\0';
    /* "prometheus" of "prometheus (1/1 up)": a name whose rest is a
     * note (issue 22 pattern 7, ra-prom-targets-08); but "Publish" of
     * "Publish: Immediately" labels a value shown after it: a setting,
     * which an element named just "Publish" beats (issue 22 pattern 7,
     * wordpress/14) */
    add_src(l, wk->headbuf, W_HEAD, src[h] == ':' ? HEUR__SRC_HEAD : 1);
}

/* The element's own names, then the words that may stand for one. */
static void own_sources(const struct heur_cand *c, int named,
                        struct heur__work *wk, struct srclist *l)
{
    add_src(l, c->name, name_weight(c), 1);
    add_src(l, c->label, W_NAME, 1);
    add_src(l, c->aria_label, W_NAME, 1);
    add_src(l, c->text, W_NAME, 1);
    add_src(l, c->alt, W_ALT, 1);
    add_src(l, c->placeholder, W_PLACEHOLDER, 1);
    add_src(l, c->title, c->text[0] ? W_TITLE_TEXT : W_TITLE, 1);
    add_src(l, heur__is_select(c) || heur__is_button(c) ? c->value : "",
            W_VALUE, 1);
    /* an unlabelled text field's name and id words are a name too,
     * which the words around it may complete (reading b: the "query"
     * field under a "SQL command" heading is "the SQL query box"); not
     * of radios and checkboxes, whose group shares one name (issue 22
     * pattern 1, p-command-01) */
    if (c->editable && !named) {
        add_src(l, c->name_attr, W_ATTR, 0);
        add_src(l, c->id_attr, W_ATTR, 0);
    }
    add_head(c, wk, l);
    /* a name without the keyboard shortcut shown after its words
     * ("Insert Cell Below B", "Run Cells Ctrl-Enter"): the key is no
     * part of what it is called; one letter only on a menu item
     * (jupyter/12, p-menus-02) */
    if (unhinted(c->name, !heur__is_menuitem(c), wk->keybuf,
                 sizeof wk->keybuf))
        add_src(l, wk->keybuf, W_NAME, 0);
}

/* The near text, split at " | " and "(" so that each label-like snippet
 * is matched on its own. */
static void near_sources(const struct heur_cand *c, enum heur_kind k,
                         int named, struct heur__work *wk,
                         struct srclist *l)
{
    int ctl = c->editable || heur__is_select(c) || heur__is_checkish(c);
    double wn;
    char *p;

    /* reading by a label: a value or an unlabelled control, not a link
     * or button that has words of its own, nor a control with a label
     * of its own (the text beside it is then something else: a hint, a
     * total, a message) */
    wn = k == HEUR_READ && !(c->clickable && (named || c->text[0])) &&
         !(ctl && named) ? W_NEAR_READ :
         (ctl && !named) ? W_NEAR_CTL : W_NEAR_OTHER;
    ut_strlcpy(wk->nearbuf, c->near, sizeof wk->nearbuf);
    for (p = wk->nearbuf; *p && l->m < HEUR__NSRC; ) {
        char *e = p + strcspn(p, "|(");
        int end = !*e;
        *e = '\0';
        while (*p == ' ')
            p++;
        add_src(l, p, wn, 0);
        if (end)
            break;
        p = e + 1;
    }
}

/* Source strings S and weights W for the name reading, at most
 * HEUR__NSRC, empty and repeated strings skipped (a repeated one keeps
 * the higher weight), then the implied words of what the control is.
 * Returns how many. */
static int sources(const struct heur_cand *c, enum heur_kind k,
                   struct heur__work *wk, const char **s, double *w)
{
    struct srclist l;
    int n = 0, i, named = is_named(c);

    l.m = 0;
    own_sources(c, named, wk, &l);
    near_sources(c, k, named, wk, &l);
    for (i = 0; i < l.m; i++) {
        int j, dup = 0;
        if (!l.s[i] || !l.s[i][0])
            continue;
        for (j = 0; j < n && !dup; j++)
            if (strcmp(s[j], l.s[i]) == 0) {
                dup = 1;
                if (l.w[i] > w[j])
                    w[j] = l.w[i];
            }
        if (!dup) {
            wk->srcimp[n] = 0;
            wk->srcown[n] = l.own[i];
            s[n] = l.s[i];
            w[n++] = l.w[i];
        }
    }
    if (n < HEUR__NSRC && (s[n] = heur__implied(c)) != NULL) {
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
void heur__build_ctx(struct heur_ctx *hx, const struct heur_cand *c,
                     struct heur__work *wk)
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

/* Notes in WK->whole how the intent's words IW sit in source I of the
 * candidate (matched with CREDIT and PREC; ALL: every content word of
 * the intent, as written). */
static void note_whole(const struct heur__iwords *iw, struct heur__work *wk,
                       int i, const double *credit, double prec, int all)
{
    /* every content word of the intent, as written, in one of the
     * element's own names: that name is the intent's whole name, or it
     * says more (heur__whole_wins()); the head of a longer name is part
     * of a name that says more: an element named just the words is the
     * exact one ("Publish" against "Publish: Immediately", wordpress/14) */
    if (all && wk->srcown[i]) {
        int w = prec >= HEUR__WHOLE && wk->srcown[i] != HEUR__SRC_HEAD ?
                HEUR__WHOLE_EXACT :
                prec >= HEUR__WHOLE || heur__says_more(iw->t, &wk->srct[i]) ?
                HEUR__WHOLE_MORE : 0;
        if (w > (wk->whole & HEUR__WHOLE_MASK))
            wk->whole = (wk->whole & ~HEUR__WHOLE_MASK) | w;
    }
    if (wk->srcown[i] && iw->lead >= 0 && credit[iw->lead] >= HEUR__FOUND)
        wk->whole |= HEUR__LEAD_OWN;
}

/* Name score of intent words I over the candidate's own text sources;
 * with CTXOK, words missing from a source may be found in the context at
 * CTX_CREDIT. *UNMATCHED receives the role classes of role words the best
 * source did not contain (those become a role requirement). */
double heur__name_score(struct heur_ctx *hx, const struct heur__iwords *iw,
                        const struct heur_cand *c, enum heur_kind k,
                        struct heur__work *wk, int ctxok,
                        unsigned *unmatched)
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
        heur__match(I, S, credit, &prec);
        if (wk->srcimp[i])
            prec = 1.0;         /* the words are alternatives */
        if (verb >= 0 && wk->verb_ok)
            credit[verb] = 1.0; /* "select" said of a select */
        for (j = 0; j < I->n; j++) {
            own += credit[j] >= HEUR__FOUND && I->t[j].w >= 1.0f;
            if (I->t[j].role && credit[j] >= HEUR__FOUND)
                um &= ~(1u << (I->t[j].role - 1));
            if (I->t[j].w >= 1.0f && !I->t[j].role &&
                !(I->t[j].fl & HEUR__T_OPT) && credit[j] < HEUR__WHOLE)
                all = 0;
        }
        if (!own)
            continue;
        if (!ctxok)
            note_whole(iw, wk, i, credit, prec, all);
        v = 1.0;
        if (verb >= 0 && credit[verb] < HEUR__FOUND && !wk->verb_ok)
            v *= OTHER_VERB;    /* the action word names another control */
        if (ctxok)
            for (j = 0; j < I->n; j++)
                if (!I->t[j].role &&
                    credit[j] < CTX_CREDIT * wk->ctx_credit[j])
                    credit[j] = CTX_CREDIT * wk->ctx_credit[j];
        rec = heur__recall_opt(I, credit);
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
double heur__attr_score(struct heur_ctx *hx, const struct heur__toks *I,
                        const struct heur_cand *c, struct heur__work *wk)
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
        heur__match(I, &wk->src, credit, &prec);
        v = heur__recall_opt(I, credit);
        best = W_ATTR * v * (ATTR_BASE + ATTR_PREC * prec);
    }
    if (c->cls[0]) {
        memset(credit, 0, sizeof credit);
        heur__match(I, toks_of(hx, wk, c->cls), credit, &prec);
        v = W_CLASS * heur__recall_opt(I, credit);
        if (v > best)
            best = v;
    }
    return best;
}

/* Context agreement in [0,1] for the context clause of IT. */
double heur__ctx_match(const struct heur__intent *it,
                       const struct heur__work *wk)
{
    double credit[HEUR__MAXTOK], prec;
    int i;

    memset(credit, 0, sizeof credit);
    heur__match(&it->ctx, &wk->ctxw, credit, &prec);
    for (i = 0; i < it->ctx.n; i++)
        if (it->ctx.t[i].w < 1.0f)
            credit[i] = 1.0;     /* filler words never count against */
    return heur__recall(&it->ctx, credit);
}
