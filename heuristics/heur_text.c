/* heur_text.c -- the text side of the heuristics: folding to lower case
 * without accents, pcre2 tokenising (camelCase, kebab and snake ids,
 * accesskey hints), a light stemmer, synonym phrases, role and region
 * words, and intent parsing (ordinal, context clause). See
 * docs/HEURISTICS.md. Everything here is pure: no I/O, no globals other
 * than constant tables. */
#include "heur_int.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- folding ------------------------------------------------------------ */

/* Base letters for U+00C0..U+00FF; '*' = keep the character as is, digits
 * select a two-letter expansion from LATIN1_PAIRS. */
static const char LATIN1_BASE[64] =
    "aaaaaa0ceeeeiiiidnooooo*ouuuuy12"
    "aaaaaa0ceeeeiiiidnooooo*ouuuuy1y";
static const char *const LATIN1_PAIRS[3] = {"ae", "th", "ss"};
/* Base letters for U+0100..U+017F (Latin Extended-A). */
static const char LATINA_BASE[129] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
    "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

static size_t put(char *out, size_t o, size_t n, const char *s, size_t k)
{
    if (o + k + 1 > n)
        return o;
    memcpy(out + o, s, k);
    return o + k;
}

size_t heur__fold(const char *s, size_t len, char *out, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;

    if (n == 0)
        return 0;
    while (i < len && o + 1 < n) {
        unsigned c = p[i];
        if (c < 0x80) {
            /* ASCII runs: one byte each, no bounds juggling */
            do {
                out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                c = ++i < len ? p[i] : 0x80;
            } while (c < 0x80 && o + 1 < n);
        } else if (c == 0xC3 && i + 1 < len && p[i + 1] >= 0x80 &&
                   p[i + 1] <= 0xBF) {
            char b = LATIN1_BASE[p[i + 1] - 0x80];  /* U+00C0..U+00FF */
            if (b == '*')
                o = put(out, o, n, s + i, 2);
            else if (b >= '0' && b <= '2')
                o = put(out, o, n, LATIN1_PAIRS[b - '0'], 2);
            else
                o = put(out, o, n, &b, 1);
            i += 2;
        } else if ((c == 0xC4 || c == 0xC5) && i + 1 < len &&
                   p[i + 1] >= 0x80 && p[i + 1] <= 0xBF) {
            unsigned cp = ((c & 0x1F) << 6 | (p[i + 1] & 0x3F)) - 0x100;
            o = put(out, o, n, &LATINA_BASE[cp], 1);
            i += 2;
        } else if (c == 0xD0 && i + 1 < len && p[i + 1] >= 0x80 &&
                   p[i + 1] <= 0xAF) {
            /* Cyrillic capitals U+0400..U+042F -> lower case */
            unsigned cp = 0x400 + (p[i + 1] - 0x80), lc;
            char b[2];
            lc = cp < 0x410 ? cp + 0x50 : cp + 0x20;
            b[0] = (char)(0xC0 | (lc >> 6));
            b[1] = (char)(0x80 | (lc & 0x3F));
            o = put(out, o, n, b, 2);
            i += 2;
        } else if (c == 0xCE && i + 1 < len && p[i + 1] >= 0x91 &&
                   p[i + 1] <= 0xA9) {
            /* Greek capitals U+0391..U+03A9 -> lower case */
            unsigned lc = 0x380 + (p[i + 1] - 0x80) + 0x20;
            char b[2];
            b[0] = (char)(0xC0 | (lc >> 6));
            b[1] = (char)(0x80 | (lc & 0x3F));
            o = put(out, o, n, b, 2);
            i += 2;
        } else {
            size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (i + k > len)
                k = len - i;
            o = put(out, o, n, s + i, k);
            i += k;
        }
    }
    out[o] = '\0';
    return o;
}

/* ---- tables ------------------------------------------------------------- */

/* Synonym groups: every phrase (words separated by one space, written in
 * folded and stemmed form) becomes the canonical first word. Longest
 * phrases are tried first because the table is scanned per position and
 * the longest match wins. */
struct syn { const char *canon; const char *phrases; };
static const struct syn SYNS[] = {
    {"login", "log in|login|sign in|signin|log on|logon|sign on"},
    {"logout", "log out|logout|sign out|signout|log off|logoff"},
    {"signup", "sign up|signup|register|registration|create account|"
               "create an account|create new account|new account|join now"},
    {"email", "email|e mail|email address|e mail address|mail address"},
    {"password", "password|passwd|pwd|pass word|passphrase"},
    {"username", "username|user name|login name|user id|userid|login id"},
    {"phone", "phone|telephone|tel|mobile|cell|phone number|"
              "telephone number|mobile number|cell phone|mobile phone|"
              "phone no"},
    {"zip", "zip|zip code|zipcode|postal code|postcode|post code|postal"},
    {"firstname", "first name|firstname|given name|forename|fname"},
    {"lastname", "last name|lastname|surname|family name|lname"},
    {"fullname", "full name|fullname"},
    {"birthdate", "date of birth|birth date|birthdate|dob|birthday"},
    {"delete", "delete|remove|trash|del|erase"},
    {"close", "close|dismiss"},
    {"search", "search|find|lookup|look up"},
    {"submit", "submit|send"},
    {"continue", "continue|proceed"},
    {"cart", "cart|basket|shopping cart|shopping basket|shopping bag"},
    {"checkout", "checkout|check out"},
    {"ok", "ok|okay"},
    {"accept", "accept|agree|i agree|allow"},
    {"reject", "reject|decline|deny|refuse"},
    {"setting", "setting|preference|config|configuration"},
    {"quantity", "quantity|qty"},
    {"address", "address|addr"},
    {"message", "message|msg"},
    {"favorite", "favorite|favourite|fave"},
    {"color", "color|colour"},
    {"organization", "organization|organisation"},
    {"edit", "edit|modify"},
    {"previous", "previous|prev|back"},
    {"home", "home|homepage|home page"},
    {"terms", "term|terms of service|terms and condition|term of service|"
              "term and condition|tos|term of use|terms of use"},
    {"faq", "faq|frequently asked question"},
    /* role words */
    {"radio", "radio button|radio|radiobutton|radio btn"},
    {"checkbox", "checkbox|check box|tickbox|tick box|checkmark"},
    {"textbox", "textbox|text box|text field|textfield|text input|"
                "input field|input box|edit box|entry field"},
    /* a multi-line text box: issue 22 pattern 1 (p-editor-01) */
    {"textarea", "textarea|text area|multiline text|multi line text|"
                 "multiline text box|multi line text box|"
                 "multiline text field|multi line text field"},
    {"dropdown", "dropdown|drop down|dropdown menu|drop down menu|"
                 "dropdown list|drop down list|select box|select list|"
                 "combobox|combo box|picker|selector"},
    {"menuitem", "menu item|menuitem|menu entry|menu option"},
    {"link", "link|hyperlink"},
    {"button", "button|btn"},
    {"image", "image|img"},
    {"switch", "switch|toggle|toggle switch"},
    {"heading", "heading|headline"},
    {"treeitem", "tree item|tree node|treeitem"},
    /* region words */
    {"nav", "nav|navigation|navbar|nav bar|navigation bar|menu bar|"
            "menubar|main menu|top menu"},
    {"sidebar", "sidebar|side bar|aside|side panel|side menu"},
    {"dialog", "dialog|modal|popup|pop up|overlay|lightbox|modal window|"
               "dialog box"},
    {"header", "header|masthead|top bar|page header"},
    {"toolbar", "toolbar|tool bar"},
};

/* Role words -> role class. */
struct wordmap { const char *w; int v; };
static const struct wordmap ROLE_WORDS[] = {
    {"button", HEUR__RC_BUTTON}, {"link", HEUR__RC_LINK},
    {"field", HEUR__RC_FIELD}, {"box", HEUR__RC_FIELD},
    {"input", HEUR__RC_FIELD}, {"textbox", HEUR__RC_FIELD},
    {"checkbox", HEUR__RC_CHECKBOX}, {"radio", HEUR__RC_RADIO},
    {"tab", HEUR__RC_TAB}, {"menu", HEUR__RC_MENU},
    {"menuitem", HEUR__RC_MENUITEM}, {"dropdown", HEUR__RC_SELECT},
    {"select", HEUR__RC_SELECT}, {"switch", HEUR__RC_SWITCH},
    {"icon", HEUR__RC_ICON}, {"image", HEUR__RC_IMAGE},
    {"heading", HEUR__RC_HEADING}, {"option", HEUR__RC_OPTION},
    {"label", HEUR__RC_LABEL}, {"treeitem", HEUR__RC_TREEITEM},
    {"textarea", HEUR__RC_TEXTAREA},
};

/* Role words that may also open an intent as its action verb: "select
 * customers" selects the customers row (issue 22 pattern 3, p-lists-01). */
static const char *const ROLE_VERBS[] = {"select", "toggle", "switch", NULL};

static const struct wordmap REGION_WORDS[] = {
    {"header", HEUR__RG_HEADER}, {"footer", HEUR__RG_FOOTER},
    {"nav", HEUR__RG_NAV}, {"sidebar", HEUR__RG_SIDEBAR},
    {"main", HEUR__RG_MAIN}, {"dialog", HEUR__RG_DIALOG},
    {"form", HEUR__RG_FORM}, {"toolbar", HEUR__RG_TOOLBAR},
};

/* Filler words: they count a quarter in matching. Alone they are a
 * name: "From", "To", "Here" (HEUR__T_WEAK below). */
static const char *const STOPS[] = {
    "to", "of", "and", "or", "in", "on", "at", "for", "by", "with",
    "from", "your", "you", "my", "our", "this", "that", "is", "are", "be",
    "it", "its", "me", "here", "into", "then", "el", "la", "le", "de",
    "der", "die", "das", "du", "des", "et", "und", NULL
};

/* Articles and the words of an instruction: never a name ("the
 * textbox" is a role alone: issue 22 pattern 8, p-inputs-01). */
static const char *const NOISE[] = {
    "the", "a", "an", "please", "click", "press", "tap", "hit", "enter",
    "type", "choose", "pick", NULL
};

/* Fillers that may also be a name ("button ONE", a "Section" tab): they
 * count fully in an intent that has no other word (issue 22 pattern 10,
 * p-tasks-02). */
static const char *const WEAK_STOPS[] = {
    "row", "section", "area", "panel", "part", "page", "column", "card",
    "one", "item", "entry", NULL
};

/* Symbols that stand for a word on icon-only buttons. */
struct symmap { const char *sym; const char *w; };
static const struct symmap SYMS[] = {
    {"\xc3\x97", "close"}, {"\xe2\x9c\x95", "close"},
    {"\xe2\x9c\x96", "close"}, {"\xe2\x9c\x97", "close"},
    {"\xe2\xa8\xaf", "close"}, {"\xe2\x98\xb0", "menu"},
    {"\xf0\x9f\x94\x8d", "search"}, {"\xf0\x9f\x94\x8e", "search"},
    {"+", "add"}, {"\xe2\x8b\xae", "more"}, {"\xe2\x8b\xaf", "more"},
    {"\xf0\x9f\x9b\x92", "cart"}, {"\xe2\x9a\x99", "setting"},
    {"\xf0\x9f\x97\x91", "delete"}, {"\xe2\x9c\x8e", "edit"},
    {"\xe2\x9c\x8f", "edit"}, {"\xe2\x86\x90", "previous"},
    {"\xe2\x80\xb9", "previous"}, {"\xc2\xab", "previous"},
    {"\xe2\x86\x92", "next"}, {"\xe2\x80\xba", "next"},
    {"\xc2\xbb", "next"},
};
#define N_SYMS (sizeof SYMS / sizeof SYMS[0])

static const char *const ORD_WORDS[] = {
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
    "eighth", "ninth", "tenth", NULL
};

/* ---- context ------------------------------------------------------------ */

#define TOK_PATTERN \
    "\\p{Lu}+(?=\\p{Lu}\\p{Ll})" \
    "|\\p{Lu}?[\\p{Ll}\\p{Lo}\\p{Lm}\\p{M}]+" \
    "|\\p{Lu}+\\p{M}*" \
    "|\\p{Nd}+(?:st|nd|rd|th)(?![\\p{L}\\p{N}])" \
    "|\\p{N}+" \
    "|[\\x{d7}\\x{2715}\\x{2716}\\x{2717}\\x{2a2f}\\x{2630}\\x{1f50d}" \
    "\\x{1f50e}+\\x{22ee}\\x{22ef}\\x{1f6d2}\\x{2699}\\x{1f5d1}\\x{270e}" \
    "\\x{270f}\\x{2190}\\x{2039}\\x{ab}\\x{2192}\\x{203a}\\x{bb}]"

/* Accesskey hints: "[o]", "[alt-shift-h]", "(Alt+S)". */
#define HINT_PATTERN \
    "\\s*\\[(?:(?:alt|ctrl|shift|cmd|meta|option)[-+])*\\w\\]" \
    "|\\s*\\((?:alt|ctrl|shift|cmd|meta)(?:[-+]\\w+)+\\)"

#define ORD_PATTERN \
    "\\b(?:(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth" \
    "|tenth)(?!\\s+name\\b)|(last)(?!\\s+name\\b)|(\\d{1,3})(?:st|nd|rd|th)" \
    "|(?:row|item|number|no\\.?)\\s*#?\\s*(\\d{1,3}))\\b" \
    "|#\\s*(\\d{1,3})\\b"

static int build_tables(struct heur_ctx *hx);

static pcre2_code *compile(const char *pat, uint32_t opts, char *err,
                           size_t errlen)
{
    int ec;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                   opts, &ec, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[120];
        pcre2_get_error_message(ec, msg, sizeof msg);
        snprintf(err, errlen, "pcre2 at %zu: %s", (size_t)off,
                 (const char *)msg);
        return NULL;
    }
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);  /* optional speedup */
    return re;
}

struct heur_ctx *heur_ctx_new(char *err, size_t errlen)
{
    const uint32_t u = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
    struct heur_ctx *hx = calloc(1, sizeof *hx);

    if (!hx) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    hx->re_tok = compile(TOK_PATTERN, u, err, errlen);
    hx->re_hint = hx->re_tok ? compile(HINT_PATTERN, u | PCRE2_CASELESS,
                                       err, errlen) : NULL;
    hx->re_ord = hx->re_hint ? compile(ORD_PATTERN, u | PCRE2_CASELESS,
                                       err, errlen) : NULL;
    hx->md = hx->re_ord ? pcre2_match_data_create(8, NULL) : NULL;
    if (!hx->md || build_tables(hx) != 0) {
        if (hx->re_ord)
            snprintf(err, errlen, "out of memory");
        heur_ctx_free(hx);
        return NULL;
    }
    return hx;
}

void heur_ctx_free(struct heur_ctx *hx)
{
    if (!hx)
        return;
    pcre2_match_data_free(hx->md);
    pcre2_code_free(hx->re_tok);
    pcre2_code_free(hx->re_hint);
    pcre2_code_free(hx->re_ord);
    free(hx->phr);
    heur__scratch_free(hx);
    if (hx->memo) {
        size_t i;
        for (i = 0; i < HEUR__MEMO_SLOTS; i++)
            free(hx->memo[i].t);
        free(hx->memo);
    }
    free(hx);
}

/* ---- tokens ------------------------------------------------------------- */

static unsigned whash(const char *w)
{
    unsigned h = 2166136261u;
    for (; *w; w++)
        h = (h ^ (unsigned char)*w) * 16777619u;
    return h;
}

/* The table slot of W (whose whash() is H): its entry, or the empty slot
 * where it would go. */
static struct heur__word *wslot_h(struct heur_ctx *hx, const char *w,
                                  unsigned h)
{
    unsigned i = h % HEUR__WORDS, k;
    for (k = 0; k < HEUR__WORDS; k++, i = (i + 1) % HEUR__WORDS)
        if (!hx->words[i].w[0] || strcmp(hx->words[i].w, w) == 0)
            return &hx->words[i];
    return NULL;
}

static struct heur__word *wslot(struct heur_ctx *hx, const char *w)
{
    return wslot_h(hx, w, whash(w));
}

static void wadd(struct heur_ctx *hx, const char *w, int stop, int role,
                 int region)
{
    struct heur__word *e = wslot(hx, w);
    if (!e)
        return;
    ut_strlcpy(e->w, w, sizeof e->w);
    if (stop)
        e->stop = (unsigned char)stop;
    if (role >= 0)
        e->role = (unsigned char)(role + 1);
    if (region >= 0)
        e->region = (unsigned char)(region + 1);
}

static int cmp_phrase(const void *a, const void *b)
{
    const struct heur__phrase *x = a, *y = b;
    return (unsigned char)x->w[0][0] - (unsigned char)y->w[0][0];
}

/* Splits the synonym table into words and fills the word table. */
static int build_tables(struct heur_ctx *hx)
{
    size_t g, n = 0, i;
    for (g = 0; g < sizeof SYNS / sizeof SYNS[0]; g++)
        for (i = 0; SYNS[g].phrases[i]; i++)
            n += SYNS[g].phrases[i] == '|';
    n += sizeof SYNS / sizeof SYNS[0];
    hx->phr = calloc(n, sizeof *hx->phr);
    if (!hx->phr)
        return -1;
    for (g = 0; g < sizeof SYNS / sizeof SYNS[0]; g++) {
        const char *p = SYNS[g].phrases;
        while (*p) {
            struct heur__phrase *ph = &hx->phr[hx->nphr++];
            ph->canon = SYNS[g].canon;
            while (*p && *p != '|') {
                size_t k = strcspn(p, " |");
                if (ph->nw < 4) {
                    size_t c = k < HEUR__TOKLEN - 1 ? k : HEUR__TOKLEN - 1;
                    memcpy(ph->w[ph->nw], p, c);
                    ph->w[ph->nw][c] = '\0';
                    ph->len[ph->nw] = (unsigned char)c;
                    ph->h[ph->nw] = whash(ph->w[ph->nw]);
                    ph->nw++;
                }
                p += k;
                if (*p == ' ')
                    p++;
            }
            if (*p == '|')
                p++;
        }
    }
    qsort(hx->phr, hx->nphr, sizeof *hx->phr, cmp_phrase);
    for (i = 0, g = 0; g < 257; g++) {
        while (i < hx->nphr && (unsigned char)hx->phr[i].w[0][0] < g)
            i++;
        hx->bucket[g] = i;
    }
    for (i = 0; STOPS[i]; i++)
        wadd(hx, STOPS[i], 1, -1, -1);
    for (i = 0; WEAK_STOPS[i]; i++)
        wadd(hx, WEAK_STOPS[i], 2, -1, -1);
    for (i = 0; NOISE[i]; i++)
        wadd(hx, NOISE[i], 3, -1, -1);
    for (i = 0; i < sizeof ROLE_WORDS / sizeof ROLE_WORDS[0]; i++)
        wadd(hx, ROLE_WORDS[i].w, 0, ROLE_WORDS[i].v, -1);
    for (i = 0; i < sizeof REGION_WORDS / sizeof REGION_WORDS[0]; i++)
        wadd(hx, REGION_WORDS[i].w, 0, -1, REGION_WORDS[i].v);
    return 0;
}

/* Light stemmer for folded words: plural endings only. Returns 1 when
 * it took one off. */
static int stem(char *w)
{
    size_t n = strlen(w);
    if (n <= 3 || w[n - 1] != 's')
        return 0;
    if (n > 4 && strcmp(w + n - 3, "ies") == 0) {
        w[n - 3] = 'y';
        w[n - 2] = '\0';
        return 1;
    }
    if (n > 4 && (ut_ends_with(w, "sses") || ut_ends_with(w, "xes") ||
                  ut_ends_with(w, "ches") || ut_ends_with(w, "shes"))) {
        w[n - 2] = '\0';
        return 1;
    }
    if (w[n - 2] == 's' || w[n - 2] == 'u' || w[n - 2] == 'i' ||
        w[n - 2] == '\'')
        return 0;
    w[n - 1] = '\0';
    return 1;
}

int heur__role_word(const char *w)
{
    size_t i;
    for (i = 0; i < sizeof ROLE_WORDS / sizeof ROLE_WORDS[0]; i++)
        if (strcmp(ROLE_WORDS[i].w, w) == 0)
            return ROLE_WORDS[i].v;
    return -1;
}

/* Is W within one edit (substitution, insertion, deletion, adjacent
 * transposition) of the first LEN bytes of P? */
static int near1(const char *w, const char *p, size_t len)
{
    size_t lw = strlen(w), i = 0, j = 0;
    int edits = 0;
    if (lw + 1 < len || lw > len + 1)
        return 0;
    while (i < lw && j < len) {
        if (w[i] == p[j]) {
            i++;
            j++;
            continue;
        }
        if (++edits > 1)
            return 0;
        if (lw == len && i + 1 < lw && w[i] == p[j + 1] && w[i + 1] == p[j]) {
            i += 2;
            j += 2;
        } else if (lw > len) {
            i++;
        } else if (lw < len) {
            j++;
        } else {
            i++;
            j++;
        }
    }
    edits += (int)(lw - i) + (int)(len - j);
    return edits <= 1;
}

/* Does phrase PH match tokens T[i..]? Returns the number of tokens
 * matched, 0 if none. A later word may carry one typo. */
static int phrase_at(const struct heur__phrase *ph, const struct heur__toks *t,
                     int i)
{
    int k;
    if (i + ph->nw > t->n)
        return 0;
    for (k = 0; k < ph->nw; k++) {
        const struct heur__tok *tk = &t->t[i + k];
        size_t len = ph->len[k];
        if (tk->h == ph->h[k] && tk->len == len &&
            memcmp(tk->s, ph->w[k], len) == 0)
            continue;
        if (k == 0 || len < 5 || !near1(tk->s, ph->w[k], len))
            return 0;
    }
    return k;
}

/* Best synonym phrase at position I: returns tokens consumed (0 none) and
 * the canonical word in *CANON. */
static int syn_at(struct heur_ctx *hx, const struct heur__toks *t, int i,
                  const char **canon)
{
    unsigned char b = (unsigned char)t->t[i].s[0];
    size_t k;
    int best = 0;
    for (k = hx->bucket[b]; k < hx->bucket[b + 1]; k++) {
        int m;
        if (hx->phr[k].nw <= best)
            continue;
        m = phrase_at(&hx->phr[k], t, i);
        if (m > best) {
            best = m;
            *canon = hx->phr[k].canon;
        }
    }
    return best;
}

/* Sets token D to word W: hash, length, weight and the role and region
 * marks of the word table (one lookup). */
static void set_tok(struct heur_ctx *hx, struct heur__tok *d, const char *w)
{
    const struct heur__word *e;
    size_t n = ut_strlcpy(d->s, w, sizeof d->s);
    if (n >= sizeof d->s)
        n = strlen(d->s);
    memcpy(d->surf, d->s, n + 1);
    d->h = whash(d->s);
    d->len = (unsigned char)n;
    e = wslot_h(hx, d->s, d->h);
    if (e && !e->w[0])
        e = NULL;
    d->w = e && e->stop ? HEUR__W_STOP : 1.0f;
    d->role = e ? e->role : 0;
    d->region = e ? e->region : 0;
    /* fillers that may be a name: the weak ones first, then the rest */
    d->fl = e && e->stop == 2 ? HEUR__T_WEAK :
            e && e->stop == 1 ? HEUR__T_FILL : 0;
}

static void strlcat_(char *d, const char *s, size_t n)
{
    size_t l = strlen(d);
    if (l < n)
        ut_strlcpy(d + l, s, n - l);
}

/* Rewrites T in place: synonym phrases collapse to their canonical word;
 * role and region words are marked. */
static void unify(struct heur_ctx *hx, struct heur__toks *t)
{
    struct heur__toks out;
    int i = 0;

    out.n = 0;
    while (i < t->n) {
        const char *canon = NULL;
        int k = syn_at(hx, t, i, &canon);
        struct heur__tok *d = &out.t[out.n++];
        if (k > 0) {
            char surf[HEUR__TOKLEN];
            int j;
            surf[0] = '\0';
            for (j = 0; j < k; j++)
                if (t->t[i + j].w >= 1.0f || k == 1)
                    strlcat_(surf, t->t[i + j].surf, sizeof surf);
            set_tok(hx, d, canon);
            ut_strlcpy(d->surf, surf, sizeof d->surf);
            i += k;
        } else {
            *d = t->t[i++];     /* set_tok() marked role and region */
        }
    }
    *t = out;
}

static const char *sym_word(const char *s, size_t len)
{
    size_t i;
    if ((unsigned char)s[0] < 0x80 && s[0] != '+')
        return NULL;            /* letters and digits: the usual case */
    for (i = 0; i < N_SYMS; i++)
        if (strlen(SYMS[i].sym) == len && memcmp(SYMS[i].sym, s, len) == 0)
            return SYMS[i].w;
    return NULL;
}

/* Ordinal word "2nd" -> "second" (folded token); NULL when not one. */
static const char *ord_token(const char *w)
{
    size_t n = strlen(w);
    long v;
    char num[8];
    if (n < 3 || n > 5 || !(w[0] >= '0' && w[0] <= '9'))
        return NULL;
    ut_strlcpy(num, w, n - 1 < sizeof num ? n - 1 : sizeof num);
    if (ut_parse_long(num, 1, 10, &v) != 0)
        return NULL;
    return ORD_WORDS[v - 1];
}

static int tokenize(struct heur_ctx *hx, const char *s,
                    struct heur__toks *out)
{
    char clean[1024];
    size_t len = 0, off = 0;
    int only_x;

    out->n = 0;
    if (!s || !*s)
        return 0;
    /* Drop accesskey hints; cap the input. A hint starts with "[" or
     * "(": without one there is nothing to look for. */
    {
        size_t sl = strlen(s), o = 0, pos = 0;
        if (sl > sizeof clean - 1)
            sl = sizeof clean - 1;
        if (!memchr(s, '[', sl) && !memchr(s, '(', sl)) {
            memcpy(clean, s, sl);
            pos = o = sl;
        }
        while (pos < sl) {
            int rc = pcre2_match(hx->re_hint, (PCRE2_SPTR)s, sl, pos, 0,
                                 hx->md, NULL);
            PCRE2_SIZE *ov;
            if (rc < 0)
                break;
            ov = pcre2_get_ovector_pointer(hx->md);
            memcpy(clean + o, s + pos, ov[0] - pos);
            o += ov[0] - pos;
            clean[o++] = ' ';
            pos = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
        }
        if (pos < sl) {
            memcpy(clean + o, s + pos, sl - pos);
            o += sl - pos;
        }
        clean[o] = '\0';
        len = o;
    }
    while (off < len && out->n < HEUR__MAXTOK) {
        int rc = pcre2_match(hx->re_tok, (PCRE2_SPTR)clean, len, off, 0,
                             hx->md, NULL);
        PCRE2_SIZE *ov;
        struct heur__tok *t;
        const char *sw;
        int plural;
        char f[HEUR__TOKLEN * 2];
        if (rc < 0)
            break;
        ov = pcre2_get_ovector_pointer(hx->md);
        if (ov[1] == ov[0]) {
            off = ov[0] + 1;
            continue;
        }
        t = &out->t[out->n++];
        sw = sym_word(clean + ov[0], ov[1] - ov[0]);
        plural = 0;
        if (sw) {
            ut_strlcpy(f, sw, sizeof f);
        } else {
            size_t k = ov[1] - ov[0];
            if (k > HEUR__TOKLEN * 2 - 8)
                k = HEUR__TOKLEN * 2 - 8;
            heur__fold(clean + ov[0], k, f, sizeof f);
            if (ord_token(f))
                ut_strlcpy(f, ord_token(f), sizeof f);
            plural = stem(f);
        }
        set_tok(hx, t, f);
        if (plural)
            t->fl |= HEUR__T_PLURAL;
        off = ov[1];
    }
    /* A lone "x" (or "X") on a button is a close glyph. */
    only_x = out->n == 1 && strcmp(out->t[0].s, "x") == 0;
    if (only_x)
        set_tok(hx, &out->t[0], "close");
    unify(hx, out);
    return out->n;
}

/* heur__tokenize() is a function of its string alone (HX does not change
 * after heur_ctx_new()), so a short string's tokens are kept in HX->memo
 * and copied out when the same string comes again: the scorer meets the
 * same record texts on every step of a page. A slot that cannot be
 * allocated is left empty: the memo only ever saves work. */
int heur__tokenize(struct heur_ctx *hx, const char *s,
                   struct heur__toks *out)
{
    struct heur__memo *m;
    size_t len;
    unsigned h;

    out->n = 0;
    if (!s || !*s)
        return 0;
    if ((len = strnlen(s, HEUR__MEMO_LEN + 1)) > HEUR__MEMO_LEN)
        return tokenize(hx, s, out);
    h = whash(s);
    if (!hx->memo &&
        !(hx->memo = calloc(HEUR__MEMO_SLOTS, sizeof *hx->memo)))
        return tokenize(hx, s, out);
    m = &hx->memo[(h ^ (h >> 15)) & (HEUR__MEMO_SLOTS - 1)];
    if (m->t && m->h == h && m->len == len &&
        memcmp(m->t + m->n, s, len) == 0) {
        memcpy(out->t, m->t, m->n * sizeof *m->t);
        out->n = m->n;
        return out->n;
    }
    tokenize(hx, s, out);
    {
        size_t need = out->n * sizeof *m->t + len,
               old = m->t ? m->n * sizeof *m->t + m->len : 0;
        struct heur__tok *t = hx->memo_bytes - old + need <=
                              HEUR__MEMO_BYTES ? malloc(need) : NULL;
        if (t) {
            free(m->t);
            hx->memo_bytes += need - old;
            memcpy(t, out->t, out->n * sizeof *t);
            memcpy(t + out->n, s, len);
            m->t = t;
            m->h = h;
            m->len = (unsigned short)len;
            m->n = (unsigned char)out->n;
        }
    }
    return out->n;
}

/* ---- intent ------------------------------------------------------------- */

static int is_splitter(const struct heur__toks *t, int i, int *skip)
{
    static const char *const one[] = {
        "for", "in", "inside", "within", "under", "below", "beneath",
        "above", "near", "beside", "of", "besides", NULL
    };
    const char *w = t->t[i].s;
    int k;
    *skip = 1;
    if (strcmp(w, "next") == 0 && i + 1 < t->n &&
        strcmp(t->t[i + 1].s, "to") == 0) {
        *skip = 2;
        return 1;
    }
    for (k = 0; one[k]; k++)
        if (strcmp(one[k], w) == 0)
            return 1;
    return 0;
}

/* Adds fragment F (first LEN bytes) to the probes unless present. */
static void add_probe(struct heur__intent *it, const char *f, size_t len)
{
    int i;
    if (len == 0 || len >= sizeof it->probe[0])
        return;
    for (i = 0; i < it->n_probe; i++)
        if (strlen(it->probe[i]) == len && memcmp(it->probe[i], f, len) == 0)
            return;
    if (it->n_probe >= HEUR__MAXPROBE) {
        it->n_probe = -1;       /* too many: disable the prefilter */
        return;
    }
    memcpy(it->probe[it->n_probe], f, len);
    it->probe[it->n_probe][len] = '\0';
    it->n_probe++;
}

/* Probes for one normalised content word: its first three letters and
 * letters two to four, those of every surface form of its synonym group
 * (of a phrase, its longest word: a text that holds "e mail" holds
 * "mail"), and the glyphs that stand for it. */
static void probes_for(struct heur__intent *it, const char *w)
{
    size_t g, n = strlen(w);
    add_probe(it, w, n < 3 ? n : 3);
    if (n >= 5)
        add_probe(it, w + 1, 3);    /* survives a typo in the first letter */
    for (g = 0; g < sizeof SYNS / sizeof SYNS[0]; g++) {
        const char *p;
        if (strcmp(SYNS[g].canon, w) != 0)
            continue;
        for (p = SYNS[g].phrases; *p; ) {
            size_t end = strcspn(p, "|"), best = 0, bl = 0, k = 0;
            while (k < end) {           /* the phrase's longest word */
                size_t l = strcspn(p + k, " |");
                if (l > end - k)
                    l = end - k;
                if (l > bl) {
                    best = k;
                    bl = l;
                }
                k += l + 1;
            }
            add_probe(it, p + best, bl < 3 ? bl : 3);
            p += end;
            if (*p)
                p++;
        }
    }
    for (g = 0; g < N_SYMS; g++)
        if (strcmp(SYMS[g].w, w) == 0)
            add_probe(it, SYMS[g].sym, strlen(SYMS[g].sym));
}

/* Quoted spans of an intent: [from, to) byte offsets of the words
 * between a pair of quotes ("x", “x”, ‘x’, or 'x' opened after a space:
 * not the apostrophe of "Bob's"), and END, the offset after the closing
 * quote. */
#define MAXQ 4
struct qspans {
    size_t from[MAXQ], to[MAXQ], end[MAXQ];
    int n;
};

/* Length of the quote character at S[I] (0 none) and, through *CLOSE,
 * the character that closes it. */
static size_t quote_at(const char *s, size_t i, const char **close)
{
    if (s[i] == '"') {
        *close = "\"";
        return 1;
    }
    if (s[i] == '\'' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '(')) {
        *close = "'";
        return 1;
    }
    if ((unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80) {
        if ((unsigned char)s[i + 2] == 0x9C) {          /* “ */
            *close = "\xe2\x80\x9d";
            return 3;
        }
        if ((unsigned char)s[i + 2] == 0x98) {          /* ‘ */
            *close = "\xe2\x80\x99";
            return 3;
        }
    }
    return 0;
}

static void find_quotes(const char *s, struct qspans *q)
{
    size_t i = 0, len = strlen(s);
    q->n = 0;
    while (i < len && q->n < MAXQ) {
        const char *close, *e;
        size_t k = quote_at(s, i, &close);
        if (!k) {
            i++;
            continue;
        }
        e = strstr(s + i + k, close);
        /* a closing "'" ends a word: "'Bob's' link" closes at the last */
        while (e && close[0] == '\'' && e[1] && e[1] != ' ' && e[1] != ',' &&
               e[1] != '.' && e[1] != ')')
            e = strstr(e + 1, close);
        if (!e || e == s + i + k) {
            i += k;
            continue;
        }
        q->from[q->n] = i + k;
        q->to[q->n] = (size_t)(e - s);
        q->end[q->n] = (size_t)(e - s) + strlen(close);
        i = q->end[q->n++];
    }
}

/* Finds the ordinal phrase of S outside quoted spans Q, blanks it and
 * returns it through *ORDINAL (0 none). */
static void find_ordinal(struct heur_ctx *hx, char *s, const struct qspans *q,
                         int *ordinal)
{
    size_t len = strlen(s), off = 0;
    PCRE2_SIZE *ov = NULL;
    int rc = -1, g, k, inq = 1;

    *ordinal = 0;
    while (inq && off <= len) {
        rc = pcre2_match(hx->re_ord, (PCRE2_SPTR)s, len, off, 0, hx->md,
                         NULL);
        if (rc < 0)
            return;
        ov = pcre2_get_ovector_pointer(hx->md);
        inq = 0;
        for (k = 0; k < (q ? q->n : 0) && !inq; k++)
            inq = ov[0] < q->to[k] && ov[1] > q->from[k];
        off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
    }
    if (inq || !ov)
        return;
    for (g = 1; g < rc; g++) {
        char w[16];
        size_t n;
        long v;
        int i;
        if (ov[2 * g] == PCRE2_UNSET)
            continue;
        n = ov[2 * g + 1] - ov[2 * g];
        heur__fold(s + ov[2 * g], n, w, sizeof w);
        if (g == 2) {
            *ordinal = -1;
        } else if (g == 1) {
            for (i = 0; ORD_WORDS[i]; i++)
                if (strcmp(ORD_WORDS[i], w) == 0)
                    *ordinal = i + 1;
        } else if (ut_parse_long(w, 1, 999, &v) == 0) {
            *ordinal = (int)v;
        }
        break;
    }
    if (*ordinal)
        memset(s + ov[0], ' ', ov[1] - ov[0]);
}

/* Tokens of BUF with its quoted spans Q marked HEUR__T_QUOTED: the words
 * between quotes are the element's own text, whatever they are (a role
 * word, a filler, "#2"). */
static void tokenize_quoted(struct heur_ctx *hx, char *buf,
                            const struct qspans *q, struct heur__toks *t)
{
    struct heur__toks part;
    size_t at = 0, len = strlen(buf);
    int k, j;

    if (!q->n) {
        heur__tokenize(hx, buf, t);
        return;
    }
    t->n = 0;
    for (k = 0; k <= q->n; k++) {
        size_t end = k < q->n ? q->from[k] : len;
        for (j = 0; j < 2; j++) {      /* before the quote, then inside */
            size_t a = j ? q->from[k] : at, b = j ? q->to[k] : end;
            char c;
            int i;
            if (j && k == q->n)
                break;
            if (b <= a)
                continue;
            c = buf[b];
            buf[b] = '\0';
            heur__tokenize(hx, buf + a, &part);
            buf[b] = c;
            for (i = 0; i < part.n && t->n < HEUR__MAXTOK; i++) {
                struct heur__tok *d = &t->t[t->n++];
                *d = part.t[i];
                if (j) {
                    d->fl |= HEUR__T_QUOTED;
                    d->w = 1.0f;
                    d->role = 0;
                    d->region = 0;
                }
            }
        }
        if (k < q->n)
            at = q->end[k];
    }
}

static int role_verb(const char *w)
{
    int i;
    for (i = 0; ROLE_VERBS[i]; i++)
        if (strcmp(ROLE_VERBS[i], w) == 0)
            return 1;
    return 0;
}

/* Role classes and content count of IT's main words. */
static void count_main(struct heur__intent *it)
{
    int i;
    it->roles = 0;
    it->n_content = 0;
    for (i = 0; i < it->main.n; i++) {
        if (it->main.t[i].role)
            it->roles |= 1u << (it->main.t[i].role - 1);
        else if (it->main.t[i].w >= 1.0f)
            it->n_content++;
    }
}

void heur__intent_verb(struct heur__intent *it)
{
    if (it->rverb < 0 || it->rverb >= it->main.n)
        return;
    it->main.t[it->rverb].role = 0;
    it->all.t[it->rverb].role = 0;       /* all starts with main */
    it->rverb = -1;
    count_main(it);
}

int heur__parse_intent(struct heur_ctx *hx, const char *intent,
                       struct heur__intent *it, int literal)
{
    char buf[1024];
    struct heur__toks t;
    struct qspans q;
    int i, split = -1, skip = 0, k, full = 0, quoted = 0;

    memset(it, 0, sizeof *it);
    it->rverb = -1;
    it->literal = literal;
    ut_strlcpy(buf, intent ? intent : "", sizeof buf);
    find_quotes(buf, &q);
    if (!literal)
        find_ordinal(hx, buf, &q, &it->ordinal);
    tokenize_quoted(hx, buf, &q, &t);

    /* Fillers count fully when nothing else would name the element:
     * "button ONE", "Section" (issue 22 pattern 10), then "From", "To
     * field"; articles never ("the textbox" is a role alone). */
    for (k = 0; k < 2 && !full; k++) {
        unsigned f = k ? HEUR__T_FILL : HEUR__T_WEAK;
        for (i = 0; i < t.n; i++)
            full += !t.t[i].role && t.t[i].w >= 1.0f;
        if (full)
            break;
        for (i = 0; i < t.n; i++)
            if (t.t[i].fl & f) {
                t.t[i].w = 1.0f;
                full++;
            }
    }

    /* The context clause starts at the first splitter that follows a
     * content word and is itself followed by a content word (a quoted
     * word is never a splitter). */
    for (i = 1; i < t.n && split < 0; i++) {
        int before = 0, after = 0;
        if ((t.t[i].fl & HEUR__T_QUOTED) || !is_splitter(&t, i, &skip))
            continue;
        for (k = 0; k < i; k++)
            before += t.t[k].w >= 1.0f;
        for (k = i + skip; k < t.n; k++)
            after += t.t[k].w >= 1.0f && !t.t[k].role;
        if (before && after)
            split = i;
    }
    for (i = 0; i < t.n; i++) {
        if (split >= 0 && i >= split) {
            if (i >= split + skip)
                it->ctx.t[it->ctx.n++] = t.t[i];
        } else {
            it->main.t[it->main.n++] = t.t[i];
            quoted += (t.t[i].fl & HEUR__T_QUOTED) != 0;
        }
    }
    /* Quoted words are the element's text; the other words around them
     * describe it and count only where they match (the "Briana" folder:
     * issue 22 pattern 9, p-tasks-08). */
    for (i = 0; i < it->main.n && quoted; i++)
        if (!(it->main.t[i].fl & HEUR__T_QUOTED) && !it->main.t[i].role &&
            it->main.t[i].w >= 1.0f)
            it->main.t[i].fl |= HEUR__T_OPT;
    for (i = 0; i < it->main.n; i++)
        it->all.t[it->all.n++] = it->main.t[i];
    for (i = 0; i < it->ctx.n; i++)
        it->all.t[it->all.n++] = it->ctx.t[i];
    count_main(it);
    /* "the x", "the x button": the close glyph, as a lone "X" on a
     * control is (issue 22 pattern 9, p-tasks-07) */
    for (i = 0; i < it->main.n && it->n_content == 1; i++)
        if (!it->main.t[i].role && it->main.t[i].w >= 1.0f &&
            strcmp(it->main.t[i].s, "x") == 0) {
            unsigned char f = it->main.t[i].fl;
            set_tok(hx, &it->main.t[i], "close");
            it->main.t[i].fl = f;
            it->all.t[i] = it->main.t[i];
        }
    for (i = 0; i < it->ctx.n; i++)
        if (it->ctx.t[i].region)
            it->regions |= 1u << (it->ctx.t[i].region - 1);
    /* A role word that opens the intent, followed by a content word, may
     * be its verb: "select customers" (issue 22 pattern 3). The ranking
     * decides by the step's kind (heur__intent_verb()). */
    for (i = 0; i < it->main.n && it->main.t[i].w < 1.0f; i++)
        ;
    if (i < it->main.n && it->main.t[i].role && it->n_content > 0 &&
        role_verb(it->main.t[i].s)) {
        it->main.t[i].fl |= HEUR__T_RVERB;
        it->all.t[i].fl |= HEUR__T_RVERB;
        it->rverb = i;
    }

    /* Prefilter probes from the content words of the main part (a
     * candidate that shares none of them cannot score), and of a verb
     * that is also a role word. */
    for (i = 0; i < it->main.n && it->n_content > 0; i++) {
        const struct heur__tok *w = &it->main.t[i];
        if ((w->role && i != it->rverb) || w->w < 1.0f)
            continue;
        probes_for(it, w->s);   /* "1" or "x" too: unselective, not wrong */
        if (it->n_probe < 0)
            break;
    }
    if (it->n_probe < 0 || it->n_content == 0)
        it->n_probe = 0;
    return 0;
}

/* ---- normalised intent -------------------------------------------------- */

char *heur_normalize(struct heur_ctx *hx, const char *intent, char *out,
                     size_t n)
{
    char buf[1024];
    struct heur__toks t;
    size_t o = 0;
    int i, ordinal;

    if (n == 0)
        return out;
    out[0] = '\0';
    ut_strlcpy(buf, intent ? intent : "", sizeof buf);
    find_ordinal(hx, buf, NULL, &ordinal);
    heur__tokenize(hx, buf, &t);
    if (ordinal < 0)
        o = (size_t)snprintf(out, n, "last");
    else if (ordinal > 0 && ordinal <= 10)
        o = (size_t)snprintf(out, n, "%s", ORD_WORDS[ordinal - 1]);
    else if (ordinal > 10)
        o = (size_t)snprintf(out, n, "#%d", ordinal);
    for (i = 0; i < t.n && o < n; i++) {
        const char *w = t.t[i].s;
        if (strcmp(w, "the") == 0 || strcmp(w, "a") == 0 ||
            strcmp(w, "an") == 0 || strcmp(w, "please") == 0)
            continue;
        o += (size_t)snprintf(out + o, n - o, "%s%s", o ? " " : "", w);
    }
    return out;
}

/* ---- prefilter probes for the page collector ---------------------------- */

/* Appends probe P (LEN bytes) to OUT as a JSON string. Returns the new
 * offset, or N when it does not fit. */
static size_t json_probe(char *out, size_t o, size_t n, const char *p,
                         size_t len)
{
    size_t i;
    if (o + len * 6 + 4 >= n)
        return n;
    out[o++] = '"';
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20) {
            o += (size_t)snprintf(out + o, n - o, "\\u%04x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    out[o++] = '"';
    return o;
}

size_t heur_probes(struct heur_ctx *hx, const char *intent, char *out,
                   size_t n)
{
    struct heur__intent it;
    size_t o = 0;
    int i;

    if (n == 0)
        return 0;
    out[0] = '\0';
    heur__parse_intent(hx, intent, &it, 0);
    if (it.ordinal && it.n_probe > 0) {
        /* the ranking reads an ordinal phrase as words too ("Section
         * #2"): the probes of both readings */
        struct heur__intent lit;
        heur__parse_intent(hx, intent, &lit, 1);
        for (i = 0; i < lit.n_probe && it.n_probe > 0; i++)
            add_probe(&it, lit.probe[i], strlen(lit.probe[i]));
        if (lit.n_probe <= 0)
            it.n_probe = 0;
    }
    if (it.n_probe <= 0 || n < 3)
        return 0;
    out[o++] = '[';
    for (i = 0; i < it.n_probe; i++) {
        const unsigned char *p = (const unsigned char *)it.probe[i];
        size_t len = strlen(it.probe[i]), k = 0, whole = 0;
        /* whole UTF-8 characters only (a probe is three bytes of a word,
         * cut anywhere): a part of a probe finds more, never less */
        while (len > 0 && (*p & 0xC0) == 0x80) {
            p++;
            len--;
        }
        while (k < len) {
            size_t w = p[k] < 0xC0 ? 1 : p[k] < 0xE0 ? 2 : p[k] < 0xF0 ? 3 : 4;
            if (k + w > len)
                break;
            k += w;
            whole = k;
        }
        len = whole;
        if (len == 0) {
            out[0] = '\0';         /* would match everything */
            return 0;
        }
        if (i)
            out[o++] = ',';
        o = json_probe(out, o, n, (const char *)p, len);
        if (o >= n - 1) {
            out[0] = '\0';
            return 0;
        }
    }
    out[o++] = ']';
    out[o] = '\0';
    return o;
}

/* The word [W, E) folded (heur__fold()) into LOW, HEUR__TOKLEN bytes;
 * "" when it is longer. */
static const char *fold_word(const char *w, const char *e, char *low)
{
    size_t len = (size_t)(e - w);

    if (len >= HEUR__TOKLEN)
        len = 0;
    heur__fold(w, len, low, HEUR__TOKLEN);
    return low;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

size_t heur_guess_words(const char *intent, char *out, size_t n)
{
    const char *s = intent ? intent : "", *e, *w;
    char low[HEUR__TOKLEN];
    size_t o = 0;

    if (n == 0)
        return 0;
    out[0] = '\0';
    while (is_ws(*s))
        s++;
    e = s + strlen(s);
    while (e > s && is_ws(e[-1]))
        e--;
    /* a leading "the": "the Sign in button" ("A" and "An" may begin a
     * name: "A to Z") */
    for (w = s; w < e && !is_ws(*w); w++)
        ;
    if (w < e && strcmp(fold_word(s, w, low), "the") == 0) {
        s = w;
        while (s < e && is_ws(*s))
            s++;
    }
    /* trailing role words, while another word is left: "Email field" */
    for (;;) {
        const char *b = e;
        while (b > s && !is_ws(b[-1]))
            b--;
        if (b == s || heur__role_word(fold_word(b, e, low)) < 0)
            break;
        e = b;
        while (e > s && is_ws(e[-1]))
            e--;
    }
    /* quoted words: "the \"Save\" button" */
    if (e - s >= 2 && (*s == '"' || *s == '\'') && e[-1] == *s) {
        s++;
        e--;
    }
    /* white space collapsed, as the page's norm() does */
    for (; s < e; s++) {
        if (is_ws(*s)) {
            if (o > 0 && out[o - 1] == ' ')
                continue;
            if (o + 1 >= n)
                goto full;
            out[o++] = ' ';
        } else {
            if (o + 1 >= n)
                goto full;
            out[o++] = *s;
        }
    }
    out[o] = '\0';
    return o;
full:
    out[0] = '\0';
    return 0;
}
