/* heur_int.h -- internals shared by the heuristics/ sources (heur__ prefix).
 * Text side: the words the heuristics know and the context that holds
 * them (heur_words.c), text into words (heur_tok.c), reading an intent
 * (heur_intent.c), what the collector is told ahead (heur_keys.c).
 * Scoring side: words against words (heur_match.c), what
 * an element is (heur_factor.c), the name features (heur_name.c), how
 * candidates relate (heur_relate.c), the page-level rules (heur_rules.c),
 * ranking and the decision (heur_rank.c). */
#ifndef CDPILOT_HEUR_INT_H
#define CDPILOT_HEUR_INT_H

#include <stddef.h>
#include <string.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "heur.h"

#define HEUR__TOKLEN  32    /* bytes per token, NUL included; longer ones
                               are cut (on a UTF-8 boundary) */
#define HEUR__MAXTOK  64    /* tokens kept per string; the rest ignored */
#define HEUR__MAXPROBE 48   /* prefilter probes per intent */

/* Token weights: content words count fully, filler words little (0.35:
 * p-command-01 "the SQL query box" uncertain; 0.15: ra-nb-tree-15 "the
 * second notebook" goes wrong). */
#define HEUR__W_STOP  0.25f

struct heur__tok {
    char s[HEUR__TOKLEN];     /* normalised word (synonyms unified) */
    char surf[HEUR__TOKLEN];  /* the words it came from, joined: "signup"
                                 for "sign up", "register" for "register" */
    unsigned h;         /* hash of s, for quick comparison */
    unsigned char len;  /* strlen(s) */
    float w;            /* weight: 1 content, HEUR__W_STOP filler */
    unsigned char role; /* role class index + 1 when a role word, else 0 */
    unsigned char region; /* region bit index + 1 when a landmark word */
    unsigned char fl;   /* HEUR__T_* marks */
};

/* Token marks (heur__tok.fl). */
#define HEUR__T_WEAK   1u   /* a filler that may be a name ("one", "row",
                               "section", "page"...): it counts fully when
                               an intent has no other word to go by */
#define HEUR__T_QUOTED 2u   /* written between quotes in the intent */
#define HEUR__T_OPT    4u   /* optional: counts only where it matches (the
                               words around quoted ones: the "Briana"
                               folder) */
#define HEUR__T_RVERB  8u   /* a role word that opens the intent and may be
                               its action verb ("select customers") */
#define HEUR__T_FILL  16u   /* another filler ("to", "from", "here"): it
                               counts fully when nothing else is left */
#define HEUR__T_PLURAL 32u  /* the stemmer took a plural ending off
                               ("Comments" -> comment) */

struct heur__toks {
    struct heur__tok t[HEUR__MAXTOK];
    int n;
};

/* Role classes named by role words in an intent ("button", "link"...). */
enum heur__rc {
    HEUR__RC_BUTTON = 0, HEUR__RC_LINK, HEUR__RC_FIELD, HEUR__RC_CHECKBOX,
    HEUR__RC_RADIO, HEUR__RC_TAB, HEUR__RC_MENU, HEUR__RC_MENUITEM,
    HEUR__RC_SELECT, HEUR__RC_SWITCH, HEUR__RC_ICON, HEUR__RC_IMAGE,
    HEUR__RC_HEADING, HEUR__RC_OPTION, HEUR__RC_LABEL, HEUR__RC_TREEITEM,
    HEUR__RC_TEXTAREA, HEUR__RC_COUNT
};

/* Landmark regions ("in the header"); words match heur_cand.region. */
enum heur__region {
    HEUR__RG_HEADER = 0, HEUR__RG_FOOTER, HEUR__RG_NAV, HEUR__RG_SIDEBAR,
    HEUR__RG_MAIN, HEUR__RG_DIALOG, HEUR__RG_FORM, HEUR__RG_TOOLBAR,
    HEUR__RG_COUNT
};

/* A parsed intent. All token lists are normalised (folded, stemmed,
 * synonyms unified). */
struct heur__intent {
    struct heur__toks main;   /* words naming the element, role words
                                 included (marked by tok.role) */
    struct heur__toks ctx;    /* words after "for/in/next to/under..." */
    struct heur__toks all;    /* main + ctx: the no-context reading */
    unsigned roles;           /* bit per enum heur__rc named in main */
    unsigned regions;         /* bit per enum heur__region in ctx */
    int ordinal;              /* 0 none, k >= 1, -1 last */
    int literal;              /* read without an ordinal: "Section #2" as
                                 words (heur__parse_intent()'s LITERAL) */
    int n_content;            /* main tokens that are neither role words
                                 nor fillers (after HEUR__T_WEAK ones were
                                 promoted) */
    int rverb;                /* main token marked HEUR__T_RVERB, or -1 */
    /* Prefilter: lower-case fragments at least one of which must occur in
     * a candidate's text for it to be scored at all; n_probe 0 = no
     * prefilter (every candidate is scored). */
    char probe[HEUR__MAXPROBE][8];
    int n_probe;
};

/* Synonym phrases, split into words once (heur_ctx_new), bucketed by the
 * first byte of their first word. */
struct heur__phrase {
    const char *canon;
    char w[4][HEUR__TOKLEN];
    unsigned h[4];              /* hash of each word (as heur__tok.h) */
    unsigned char len[4];       /* length of each word */
    unsigned char nw;
};

/* Word facts, in an open-addressing table keyed by the word. */
#define HEUR__WORDS 512
struct heur__word {
    char w[HEUR__TOKLEN];       /* "" = empty slot */
    unsigned char stop;         /* filler word: 1 HEUR__T_FILL, 2
                                   HEUR__T_WEAK, 3 never a name (an
                                   article) */
    unsigned char role;         /* role class + 1, 0 none */
    unsigned char region;       /* region + 1, 0 none */
};

/* Words of strings tokenised before, kept across calls (a page's records
 * come back step after step with the same texts): direct-mapped by a hash
 * of the string; a slot holds one string of at most HEUR__MEMO_LEN bytes
 * and its tokens, in one allocation. The slots' allocations hold at most
 * HEUR__MEMO_BYTES together (a string that would pass it is not kept). */
#define HEUR__MEMO_SLOTS 1024
#define HEUR__MEMO_LEN   256
#define HEUR__MEMO_BYTES (1u << 20)
struct heur__memo {
    unsigned h;                 /* hash of the string */
    unsigned short len;         /* its length */
    unsigned char n;            /* tokens */
    struct heur__tok *t;        /* N tokens, then the string; NULL: empty */
};

struct heur_ctx {
    pcre2_code *re_tok;        /* one token (camelCase aware) */
    pcre2_code *re_hint;       /* accesskey hints "[o]", "[alt-shift-h]" */
    pcre2_code *re_ord;        /* ordinal phrases in an intent */
    pcre2_match_data *md;
    struct heur__phrase *phr;   /* all synonym phrases, by first byte */
    size_t nphr;
    size_t bucket[257];         /* phrases of first byte b: [b], [b+1]) */
    struct heur__word words[HEUR__WORDS];
    /* heur_rank()'s scratch (heur_rank.c), allocated by its first call
     * and reused; one block, freed by heur_ctx_free() */
    struct heur__scratch *scratch;
    struct heur__memo *memo;    /* HEUR__MEMO_SLOTS, allocated on first
                                   use; freed by heur_ctx_free() */
    size_t memo_bytes;          /* what the slots' allocations hold */
};

/* Folds S (UTF-8) to lower case without accents into OUT (always
 * terminated, at most N bytes). Returns the length written. */
size_t heur__fold(const char *s, size_t len, char *out, size_t n);

/* Tokenises S: accesskey hints dropped, camelCase / kebab / snake split,
 * folded, stemmed, synonyms unified, role/region words marked. OUT is
 * overwritten. Returns the number of tokens. */
int heur__tokenize(struct heur_ctx *hx, const char *s, struct heur__toks *out);

/* Parses an intent. With LITERAL, an ordinal phrase ("#2", "row 3",
 * "second") is read as words, not as an ordinal. Returns 0 (never fails;
 * an empty intent gives empty lists). */
int heur__parse_intent(struct heur_ctx *hx, const char *intent,
                       struct heur__intent *it, int literal);

/* Reads IT's HEUR__T_RVERB word as the action verb it opens with (a
 * content word, "select customers") instead of a role word. */
void heur__intent_verb(struct heur__intent *it);

/* Frees heur_rank()'s scratch of HX (heur_rank.c); NULL-safe. */
void heur__scratch_free(struct heur_ctx *hx);

/* Role class index for a word already normalised, or -1. */
int heur__role_word(const char *w);

/* The word tables (heur_words.c). Synonym groups: every phrase (words
 * separated by one space, in folded and stemmed form) becomes the
 * canonical word. */
struct heur__syn {
    const char *canon;
    const char *phrases;        /* "log in|login|sign in..." */
};
extern const struct heur__syn heur__syns[];
extern const size_t heur__nsyns;
struct heur__sym {              /* a glyph that stands for a word */
    const char *sym;
    const char *w;
};
extern const struct heur__sym heur__syms[];
extern const size_t heur__nsyms;
extern const char *const heur__ord_words[];    /* "first"... "tenth" */

/* FNV-1a hash of word W (heur__tok.h). */
unsigned heur__whash(const char *w);

/* Sets token D to word W: hash, length, weight and the role and region
 * marks of the word table. */
void heur__set_tok(struct heur_ctx *hx, struct heur__tok *d, const char *w);

/* Adds fragment F (LEN bytes) to IT's prefilter probes unless present;
 * too many set IT->n_probe to -1 (no prefilter). */
void heur__add_probe(struct heur__intent *it, const char *f, size_t len);

/* ---- scoring ------------------------------------------------------------ */

/* Credits and scores. */
#define HEUR__FOUND  0.6    /* a word's credit from which it counts as
                               found (a partial credit is 0.65 or more;
                               no case turns on 0.36-0.7, at 0.84
                               legacy-05 "Email" is not found) */
#define HEUR__WHOLE  0.999  /* a credit, share or score of 1 (rounding,
                               no weight) */

/* What a candidate is. */
static inline int heur__eq(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

static inline int heur__type_is(const struct heur_cand *c, const char *t)
{
    return heur__eq(c->type, t);
}

static inline int heur__is_link(const struct heur_cand *c)
{
    return heur__eq(c->role, "link") ||
           (heur__eq(c->tag, "a") && c->href[0]);
}

static inline int heur__is_button(const struct heur_cand *c)
{
    return heur__eq(c->role, "button") || heur__eq(c->tag, "button") ||
           (heur__eq(c->tag, "input") && (heur__type_is(c, "submit") ||
            heur__type_is(c, "button") || heur__type_is(c, "reset") ||
            heur__type_is(c, "image")));
}

static inline int heur__is_radio(const struct heur_cand *c)
{
    return heur__eq(c->role, "radio") ||
           heur__eq(c->role, "menuitemradio") ||
           (heur__eq(c->tag, "input") && heur__type_is(c, "radio"));
}

static inline int heur__is_checkish(const struct heur_cand *c)
{
    return heur__is_radio(c) || heur__eq(c->role, "checkbox") ||
           heur__eq(c->role, "switch") ||
           heur__eq(c->role, "menuitemcheckbox") ||
           (heur__eq(c->tag, "input") && heur__type_is(c, "checkbox"));
}

static inline int heur__is_select(const struct heur_cand *c)
{
    return heur__eq(c->tag, "select") || heur__eq(c->role, "listbox") ||
           heur__eq(c->role, "combobox");
}

static inline int heur__is_heading(const struct heur_cand *c)
{
    return heur__eq(c->role, "heading") ||
           (c->tag[0] == 'h' && c->tag[1] >= '1' && c->tag[1] <= '6' &&
            !c->tag[2]);
}

static inline int heur__is_img(const struct heur_cand *c)
{
    return heur__eq(c->role, "img") || heur__eq(c->tag, "img") ||
           heur__eq(c->tag, "svg");
}

static inline int heur__is_menuitem(const struct heur_cand *c)
{
    return strncmp(c->role, "menuitem", 8) == 0;
}

/* A label-like element standing for CTL (or NULL). */
static inline int heur__labels(const struct heur_cand *c,
                               const struct heur_cand *ctl)
{
    return ctl && (heur__eq(c->tag, "label") || c->labelish);
}

/* How the intent's content words sit in a candidate's own name (struct
 * heur__work's whole): all of them and nothing more, or all of them
 * among other content words or numbers. */
#define HEUR__WHOLE_EXACT 2
#define HEUR__WHOLE_MORE  1
#define HEUR__WHOLE_MASK  3
#define HEUR__LEAD_OWN    4 /* its own name has the intent's first content
                               word ("Structure" of "Structure orders") */

#define HEUR__NSRC     16   /* name sources per candidate */
#define HEUR__TOKCACHE 61   /* shared strings whose words are kept per
                               call */
#define HEUR__SRC_HEAD 2    /* heur__work.srcown of the head of a name */

/* heur_rank()'s scratch for one candidate (heur_name.c fills it). */
struct heur__work {
    /* the name sources (sources() of heur_name.c) and their words,
     * computed once per candidate and shared by both readings */
    const char *srcs[HEUR__NSRC];
    double srcw[HEUR__NSRC];
    unsigned char srcimp[HEUR__NSRC]; /* implied words (heur__implied()):
                                         precision does not count */
    unsigned char srcown[HEUR__NSRC]; /* 1: the element's own whole name:
                                         its name, label, text, alt,
                                         placeholder or title;
                                         HEUR__SRC_HEAD: the head of one;
                                         0: near text, an id */
    struct heur__toks srct[HEUR__NSRC];
    int nsrc;                   /* -1: not computed yet */
    int verb_ok;                /* the intent's verb is a role word that
                                   the candidate fulfils ("select" on a
                                   select) */
    struct heur__toks src;      /* attribute words */
    struct heur__toks ctxw;     /* context words of the candidate */
    struct heur__toks tmp;
    double ctx_credit[HEUR__MAXTOK];  /* per intent word, from context */
    char nearbuf[512];          /* near text split into segments */
    char headbuf[256];          /* head of a long name */
    char keybuf[256];           /* a menu item's name without its key */
    int has_ctx;
    int whole;                  /* HEUR__WHOLE_* of reading a's own
                                   words, | HEUR__LEAD_OWN */
    /* Words of shared strings (container text, heading, region, class:
     * the collector's string table makes repeated ones one pointer),
     * direct-mapped by address, valid for one heur_rank() call. */
    struct {
        const char *p;
        unsigned gen;
        struct heur__toks t;
    } tc[HEUR__TOKCACHE];
    unsigned gen;
};

/* What heur__name_score() needs of a set of intent words, worked out once
 * per heur_rank() call instead of once per candidate and reading. */
struct heur__iwords {
    const struct heur__toks *t;
    unsigned roles;     /* the role classes of its role words */
    int verb;           /* the first content word that is an action verb,
                           or < 0 */
    int neg;            /* it says "no", "not", "don't"... */
    int lead;           /* the first content word, or -1 */
};

/* Words against words (heur_match.c). heur__match(): intent words I
 * against candidate words S; CREDIT[i] receives the credit of intent
 * word i (0..1), *PREC the weighted share of S's words that were
 * matched. */
void heur__match(const struct heur__toks *I, const struct heur__toks *S,
                 double *credit, double *prec);
int heur__says_more(const struct heur__toks *I, const struct heur__toks *S);
double heur__recall(const struct heur__toks *I, const double *credit);
double heur__recall_opt(const struct heur__toks *I, const double *credit);

/* What an element is (heur_factor.c). CTL: the control that C, a label,
 * stands for, or NULL. */
double heur__kind_factor(enum heur_kind k, const struct heur_cand *c,
                         const struct heur_cand *ctl);
double heur__role_class(int rc, const struct heur_cand *c,
                        const struct heur_cand *ctl);
double heur__role_factor(unsigned roles, const struct heur_cand *c,
                         const struct heur_cand *ctl);
double heur__visible_factor(enum heur_kind k, const struct heur_cand *c,
                            const struct heur_cand *ctl);

/* The name features (heur_name.c). */
int heur__is_verb(const char *w);
void heur__iwords_init(struct heur__iwords *w, const struct heur__toks *I);
const char *heur__implied(const struct heur_cand *c);
void heur__build_ctx(struct heur_ctx *hx, const struct heur_cand *c,
                     struct heur__work *wk);
double heur__name_score(struct heur_ctx *hx, const struct heur__iwords *iw,
                        const struct heur_cand *c, enum heur_kind k,
                        struct heur__work *wk, int ctxok,
                        unsigned *unmatched);
double heur__attr_score(struct heur_ctx *hx, const struct heur__toks *I,
                        const struct heur_cand *c, struct heur__work *wk);
double heur__ctx_match(const struct heur__intent *it,
                       const struct heur__work *wk);

/* How candidates relate (heur_relate.c). */
const struct heur_cand *heur__find_id(const struct heur_cand *c, size_t n,
                                      int id);
int heur__related(const struct heur_cand *a, const struct heur_cand *b);
int heur__same_choice(struct heur_ctx *hx, const struct heur_cand *a,
                      const struct heur_cand *b);

/* The page-level rules (heur_rules.c), over the scores S of the N
 * candidates C. */
void heur__apply_ordinal(const struct heur__intent *it,
                         const struct heur_cand *c, struct heur_score *s,
                         size_t n);
void heur__apply_hist(const struct heur_hist *h, enum heur_kind kind,
                      const struct heur_cand *c, struct heur_score *s,
                      size_t n);
void heur__text_click(enum heur_kind kind, const struct heur_cand *c,
                      struct heur_score *s, size_t n);
void heur__descend(enum heur_kind kind, const struct heur_cand *c,
                   struct heur_score *s, size_t n);
void heur__whole_wins(struct heur_score *s, size_t n,
                      const unsigned char *whole);
void heur__row_twins(const struct heur_cand *c, struct heur_score *s,
                     size_t n);
/* The best total of S[0..N) (0 when none scores). */
static inline double heur__top_total(const struct heur_score *s, size_t n)
{
    double top = 0;
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i].total > top)
            top = s[i].total;
    return top;
}
void heur__row_subject(enum heur_kind kind, const struct heur_cand *c,
                       struct heur_score *s, size_t n,
                       const unsigned char *whole);

#endif
