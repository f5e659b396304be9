/* heur_keys.c -- what the page collector is told ahead of the ranking:
 * the prefilter probes of an intent as JSON (heur_probes()) and the
 * words that may be its element's whole name (heur_guess_words()). See
 * docs/CANDIDATES.md "Pruned collection". */
#include "heur_int.h"
#include "../util/util.h"

#include <stdio.h>
#include <string.h>

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
            heur__add_probe(&it, lit.probe[i], strlen(lit.probe[i]));
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
