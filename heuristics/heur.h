/* heur.h -- scoring page candidates against a plain-words intent.
 * Pure functions over plain records: no I/O, no cJSON, no CDP, no SQLite,
 * no clock, no globals. pcre2 patterns are compiled once into a heur_ctx.
 * Ownership: candidate strings are borrowed (never NULL: "" when absent);
 * a heur_result owns its arrays until heur_result_free().
 * Not in this file = not API. */
#ifndef CDPILOT_HEUR_H
#define CDPILOT_HEUR_H

#include <stddef.h>

/* What the step wants to do with the element. */
enum heur_kind {
    HEUR_CLICK = 0,  /* click, hover: something clickable */
    HEUR_FILL,       /* fill: editable text */
    HEUR_SELECT,     /* select: <select> or listbox/combobox */
    HEUR_CHECK,      /* check/uncheck: checkbox, radio, switch */
    HEUR_READ,       /* extract, assert: a value, or what shows the words */
    HEUR_SEE,        /* wait_for: the element that shows the words itself */
    HEUR_KIND_COUNT
};

/* One element as the collector saw it (see docs/CANDIDATES.md for the
 * record format that selectors/ parses into this). */
struct heur_cand {
    int id;                 /* collector index, unique within a snapshot */
    const char *tag;        /* lower-case tag name */
    const char *role;       /* computed ARIA role, "" if none */
    const char *name;       /* computed accessible name */
    const char *label;      /* text of associated <label>s / labelledby */
    const char *placeholder, *title, *aria_label, *alt, *value;
    const char *text;       /* visible text, trimmed, capped */
    const char *id_attr, *name_attr, *cls, *testid, *type, *href;
    const char *near;       /* nearby text: preceding/following label-like
                               text, table header for the cell */
    const char *context;    /* row / list item / card text */
    const char *heading;    /* nearest preceding heading or legend */
    const char *region;     /* landmark words of the ancestors, e.g.
                               "header nav", "dialog form" */
    const char *form;       /* key of the form it belongs to, "" none:
                               equal keys, same form */
    int for_id;             /* label or visible proxy: id of the control
                               it stands for, -1 when none */
    int parent_id;          /* nearest candidate ancestor, -1 when none */
    int group;              /* repeated group (the rows of one table, the
                               items of one list) of its row or item, -1
                               none: equal numbers, same group */
    int dest;               /* a link's destination: equal numbers, same
                               URL; 0 none (not a link, or one that stays
                               on the page) */
    unsigned visible:1, enabled:1, editable:1, clickable:1, checked:1,
             in_shadow:1, in_frame:1, pointer:1,  /* cursor:pointer */
             labelish:1,    /* its text labels another element */
             obscured:1;    /* outside an open modal dialog */
    double x, y, w, h;      /* box in CSS pixels, page coordinates */
};

/* Per-feature score breakdown; names from heur_feature_name(). */
enum {
    HEUR_F_NAME = 0,   /* intent words vs accessible name / label / text */
    HEUR_F_ATTR,       /* id/name/testid/class/placeholder tokens */
    HEUR_F_ROLE,       /* role words in the intent vs element role */
    HEUR_F_KIND,       /* step-kind compatibility */
    HEUR_F_CONTEXT,    /* "for Blue Mug", "next to Password" */
    HEUR_F_ORDINAL,    /* "second", "last" */
    HEUR_F_VISIBLE,    /* visibility, enabled */
    HEUR_F_COUNT
};
const char *heur_feature_name(int f);

struct heur_score {
    int cand;                  /* index into the candidate array */
    double total;              /* in [0,1] */
    double f[HEUR_F_COUNT];
};

struct heur_result {
    int best;                  /* index into the candidate array, -1 none */
    double confidence;         /* in [0,1] */
    double margin;             /* best total - runner-up total */
    struct heur_score *ranked; /* best first, n entries (owned) */
    size_t n;
};

enum heur_decision {
    HEUR_CONFIDENT = 0,   /* act on best */
    HEUR_UNCERTAIN,       /* escalate (LLM) or fail with exit 4 */
    HEUR_NONE             /* no plausible candidate at all */
};

struct heur_ctx;   /* compiled patterns; one per thread */

struct heur_ctx *heur_ctx_new(char *err, size_t errlen);
void heur_ctx_free(struct heur_ctx *hx);

/* Scores N candidates for INTENT and KIND. Returns 0, or -1 on
 * out-of-memory. OUT must be freed with heur_result_free(). */
int heur_rank(struct heur_ctx *hx, const char *intent, enum heur_kind kind,
              const struct heur_cand *c, size_t n, struct heur_result *out);

/* What the task did before this step: evidence for its words. */
struct heur_hist {
    const char *form;   /* heur_cand.form of the fields the task filled
                           since its last click or page load; NULL or ""
                           none. A click whose words fit a button of that
                           form means that button (docs/HEURISTICS.md) */
    const int *menu;    /* heur_cand.id of the candidates inside the menu
                           that the step before opened (a click or hover
                           on its button), NMENU of them; NULL none. A
                           click whose words fit an item of that menu
                           means that item */
    size_t nmenu;
};

/* heur_rank() with the task's history H (NULL: none). */
int heur_rank_hist(struct heur_ctx *hx, const char *intent,
                   enum heur_kind kind, const struct heur_cand *c, size_t n,
                   const struct heur_hist *h, struct heur_result *out);
void heur_result_free(struct heur_result *r);

/* CONFIDENT when confidence >= MIN_CONF and margin >= MIN_MARGIN. */
enum heur_decision heur_decide(const struct heur_result *r, double min_conf,
                               double min_margin);

/* Normalised intent, the cache key form: lower case, punctuation and
 * filler words folded, synonyms unified ("Log-in button" -> "login
 * button"). Writes at most N bytes (always terminated); returns OUT. */
char *heur_normalize(struct heur_ctx *hx, const char *intent, char *out,
                     size_t n);

/* The prefilter probes of INTENT as a JSON array of strings, e.g.
 * ["add","bam","amb"]: heur_rank() scores no candidate whose name, label,
 * texts, near text or attributes (folded) contain none of them, so a
 * collector may leave such candidates out (docs/CANDIDATES.md "Pruned
 * collection"). Writes "" and returns 0 when the intent has no prefilter
 * (every candidate may score) or OUT (N bytes) is too small (1024 bytes
 * are plenty); else returns the length written. */
size_t heur_probes(struct heur_ctx *hx, const char *intent, char *out,
                   size_t n);

/* The words of INTENT that may be its element's whole name, label or
 * text: INTENT without a leading "the" and trailing role words, and
 * unquoted ("the Details for Bamboo teapot link" -> "Details for Bamboo
 * teapot"; "Email address field" -> "Email address"), white space
 * collapsed, case kept. A collector may check the one candidate that
 * shows exactly these words ahead of the ranking; it is a guess that
 * the ranking confirms or ignores, never a choice. Writes "" and returns
 * 0 when nothing is left or OUT (N bytes) is too small; else returns the
 * length written. */
size_t heur_guess_words(const char *intent, char *out, size_t n);

#endif
