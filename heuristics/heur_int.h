/* heur_int.h -- internals shared by the heuristics/ sources (heur__ prefix).
 * Text side (heur_text.c): folding, pcre2 tokenising, stemming, synonyms,
 * intent parsing. Scoring side (heur_score.c): features and ranking. */
#ifndef CDPILOT_HEUR_INT_H
#define CDPILOT_HEUR_INT_H

#include <stddef.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "heur.h"

#define HEUR__TOKLEN  32    /* bytes per token, NUL included; longer ones
                               are cut (on a UTF-8 boundary) */
#define HEUR__MAXTOK  64    /* tokens kept per string; the rest ignored */
#define HEUR__MAXPROBE 48   /* prefilter probes per intent */

/* Token weights: content words count fully, filler words little. */
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
    /* heur_rank()'s scratch (heur_score.c), allocated by its first call
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

/* Frees heur_rank()'s scratch of HX (heur_score.c); NULL-safe. */
void heur__scratch_free(struct heur_ctx *hx);

/* Role class index for a word already normalised, or -1. */
int heur__role_word(const char *w);

#endif
