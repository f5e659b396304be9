/* heur_words.c -- the words the heuristics know: synonym phrases, role
 * and region words, fillers, icon glyphs, ordinal words; the word table
 * built from them, and the context (compiled patterns, tables) that
 * holds it. Everything here is pure: no I/O, no globals other than
 * constant tables. See docs/HEURISTICS.md "Text normalisation". */
#include "heur_int.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Synonym groups: every phrase (words separated by one space, written in
 * folded and stemmed form) becomes the canonical first word. Longest
 * phrases are tried first because the table is scanned per position and
 * the longest match wins. */
const struct heur__syn heur__syns[] = {
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
const size_t heur__nsyns = sizeof heur__syns / sizeof heur__syns[0];

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
const struct heur__sym heur__syms[] = {
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
const size_t heur__nsyms = sizeof heur__syms / sizeof heur__syms[0];

const char *const heur__ord_words[] = {
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
    "eighth", "ninth", "tenth", NULL
};

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

unsigned heur__whash(const char *w)
{
    unsigned h = 2166136261u;
    for (; *w; w++)
        h = (h ^ (unsigned char)*w) * 16777619u;
    return h;
}

/* The table slot of W (whose heur__whash() is H): its entry, or the empty slot
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
    return wslot_h(hx, w, heur__whash(w));
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
    for (g = 0; g < heur__nsyns; g++)
        for (i = 0; heur__syns[g].phrases[i]; i++)
            n += heur__syns[g].phrases[i] == '|';
    n += heur__nsyns;
    hx->phr = calloc(n, sizeof *hx->phr);
    if (!hx->phr)
        return -1;
    for (g = 0; g < heur__nsyns; g++) {
        const char *p = heur__syns[g].phrases;
        while (*p) {
            struct heur__phrase *ph = &hx->phr[hx->nphr++];
            ph->canon = heur__syns[g].canon;
            while (*p && *p != '|') {
                size_t k = strcspn(p, " |");
                if (ph->nw < 4) {
                    size_t c = k < HEUR__TOKLEN - 1 ? k : HEUR__TOKLEN - 1;
                    memcpy(ph->w[ph->nw], p, c);
                    ph->w[ph->nw][c] = '\0';
                    ph->len[ph->nw] = (unsigned char)c;
                    ph->h[ph->nw] = heur__whash(ph->w[ph->nw]);
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

int heur__role_word(const char *w)
{
    size_t i;
    for (i = 0; i < sizeof ROLE_WORDS / sizeof ROLE_WORDS[0]; i++)
        if (strcmp(ROLE_WORDS[i].w, w) == 0)
            return ROLE_WORDS[i].v;
    return -1;
}

/* Sets token D to word W: hash, length, weight and the role and region
 * marks of the word table (one lookup). */
void heur__set_tok(struct heur_ctx *hx, struct heur__tok *d, const char *w)
{
    const struct heur__word *e;
    size_t n = ut_strlcpy(d->s, w, sizeof d->s);
    if (n >= sizeof d->s)
        n = strlen(d->s);
    memcpy(d->surf, d->s, n + 1);
    d->h = heur__whash(d->s);
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
