/* heur_match.c -- the intent's words against a candidate's words: how
 * alike two words are (the same, a synonym, the other number, a prefix,
 * a typo) and how much of each side the other covers (recall, precision).
 * See docs/HEURISTICS.md "Scoring a candidate". */
#include "heur_int.h"
#include "../util/util.h"

#include <string.h>

/* Word credits. Each weight names the page pattern it exists for and a
 * case of the grounding corpus that turns on it: moved by about 0.1 (or
 * as far as stated), that case's outcome changes. */
#define SYNONYM        0.80   /* "log in" for "sign in": legacy-05
                                 "Email" for "Email address" (0.7:
                                 uncertain); under the words themselves
                                 (1.0: login-09 "Create account link"
                                 goes wrong) */
#define NUMBER         0.97   /* the same word in the other number:
                                 "Comments" said, "1 Comment" shown: the
                                 menu's "Comments" is the words as
                                 written (issue 22 pattern 7; 0.87:
                                 ra-wp-users-12 "the third user" goes
                                 wrong) */
#define PART_MIN       4      /* letters a word needs for partial credit
                                 (5: toolbar-13 "star the Bank of Lyon
                                 email" loses its candidates) */
#define PREFIX         0.75   /* "addr" of "address": editor-08 "bullet
                                 list" for "Bulleted list" (0.45:
                                 uncertain; 0.85: ra-wp-users-12 goes
                                 wrong) */
#define TYPO           0.80   /* one typo: german-10 "Password" for
                                 "Passwort" (0.48: uncertain) */
#define TYPO2_MIN      7      /* letters a word needs for two typos ...
                                 (6: ra-wp-editor-03 "Publish" takes a
                                 near word for it) */
#define TYPO2          0.65   /* ... and their credit: no case turns on
                                 it, even at 0 or 1 */
#define W_SRC_FILL     0.50   /* a filler word of a name, for precision:
                                 "create this page" is not "Create" (the
                                 intent's fillers count HEUR__W_STOP)
                                 (issue 22 pattern 7, p-forms-01: 0
                                 leaves it uncertain; no case turns on
                                 0.3-0.7; test_heuristics_patterns
                                 "Comments" at 1) */
#define W_SRC_ROLE     0.50   /* a role word or a number of a name, for
                                 precision ("Search button", "Cart, 2
                                 items"): ra-wp-dashboard-06 "Comments"
                                 against "1 Comment" (0.3: uncertain;
                                 0.6: h-issues-11 "Edit", ambiguous,
                                 goes confident) */

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

/* Matches intent words I against candidate words S. CREDIT[i] receives
 * the credit of intent word i (0..1); *PREC the weighted share of S words
 * that were matched. */
void heur__match(const struct heur__toks *I, const struct heur__toks *S,
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
        if (bj >= 0 && best >= HEUR__FOUND)
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
int heur__says_more(const struct heur__toks *I, const struct heur__toks *S)
{
    int i, j;
    for (j = 0; j < S->n; j++) {
        const struct heur__tok *t = &S->t[j];
        if (!(t->s[0] >= '0' && t->s[0] <= '9') &&
            !(t->w >= 1.0f &&
              (!t->role || (j == 0 && heur__is_verb(t->s)))))
            continue;
        for (i = 0; i < I->n; i++)
            if (I->t[i].h == t->h && strcmp(I->t[i].s, t->s) == 0)
                break;
        if (i == I->n)
            return 1;
    }
    return 0;
}

/* Recall: the weighted share of I's words that CREDIT credits. */
double heur__recall(const struct heur__toks *I, const double *credit)
{
    double tot = 0, got = 0;
    int i;
    for (i = 0; i < I->n; i++) {
        tot += I->t[i].w;
        got += I->t[i].w * credit[i];
    }
    return tot > 0 ? got / tot : 0;
}

/* Recall over I where role words are optional: they count only when the
 * source has them ("Copy link" names a button; "Delete link" asks for a
 * link). */
double heur__recall_opt(const struct heur__toks *I, const double *credit)
{
    double tot = 0, got = 0;
    int i;
    for (i = 0; i < I->n; i++) {
        if ((I->t[i].role || (I->t[i].fl & HEUR__T_OPT)) &&
            credit[i] < HEUR__FOUND)
            continue;
        tot += I->t[i].w;
        got += I->t[i].w * credit[i];
    }
    return tot > 0 ? got / tot : 0;
}
