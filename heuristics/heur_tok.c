/* heur_tok.c -- text into words: folding to lower case without accents,
 * pcre2 tokenising (camelCase, kebab and snake ids, accesskey hints
 * dropped), a light stemmer, synonym phrases unified; a memo of the
 * words of strings seen before. See docs/HEURISTICS.md "Text
 * normalisation". */
#include "heur_int.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

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
            heur__set_tok(hx, d, canon);
            ut_strlcpy(d->surf, surf, sizeof d->surf);
            i += k;
        } else {
            *d = t->t[i++];     /* heur__set_tok() marked role and region */
        }
    }
    *t = out;
}

static const char *sym_word(const char *s, size_t len)
{
    size_t i;
    if ((unsigned char)s[0] < 0x80 && s[0] != '+')
        return NULL;            /* letters and digits: the usual case */
    for (i = 0; i < heur__nsyms; i++)
        if (strlen(heur__syms[i].sym) == len &&
            memcmp(heur__syms[i].sym, s, len) == 0)
            return heur__syms[i].w;
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
    return heur__ord_words[v - 1];
}

/* S without its accesskey hints ("[o]", "(Alt+S)"), each replaced by a
 * space, into CLEAN (N bytes; S is cut to fit). Returns the length. A
 * hint starts with "[" or "(": without one there is nothing to look
 * for. */
static size_t strip_hints(struct heur_ctx *hx, const char *s, char *clean,
                          size_t n)
{
    size_t sl = strlen(s), o = 0, pos = 0;

    if (sl > n - 1)
        sl = n - 1;
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
    return o;
}

/* heur__tokenize() without the memo. */
static int tokenize(struct heur_ctx *hx, const char *s,
                    struct heur__toks *out)
{
    char clean[1024];
    size_t len, off = 0;
    int only_x;

    out->n = 0;
    if (!s || !*s)
        return 0;
    len = strip_hints(hx, s, clean, sizeof clean);
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
        heur__set_tok(hx, t, f);
        if (plural)
            t->fl |= HEUR__T_PLURAL;
        off = ov[1];
    }
    /* A lone "x" (or "X") on a button is a close glyph. */
    only_x = out->n == 1 && strcmp(out->t[0].s, "x") == 0;
    if (only_x)
        heur__set_tok(hx, &out->t[0], "close");
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
    h = heur__whash(s);
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
