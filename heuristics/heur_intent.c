/* heur_intent.c -- reading an intent: quoted words, the ordinal phrase,
 * fillers that may be a name, the context clause ("for Blue Mug"), an
 * opening role word that is the action verb ("select customers"), the
 * prefilter probes; and the normalised intent, the cache key form. See
 * docs/HEURISTICS.md "Reading the intent". */
#include "heur_int.h"
#include "../util/util.h"

#include <stdio.h>
#include <string.h>

/* Role words that may also open an intent as its action verb: "select
 * customers" selects the customers row (issue 22 pattern 3, p-lists-01). */
static const char *const ROLE_VERBS[] = {"select", "toggle", "switch", NULL};

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
void heur__add_probe(struct heur__intent *it, const char *f, size_t len)
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
    heur__add_probe(it, w, n < 3 ? n : 3);
    if (n >= 5)
        heur__add_probe(it, w + 1, 3);  /* survives a typo in the first
                                           letter */
    for (g = 0; g < heur__nsyns; g++) {
        const char *p;
        if (strcmp(heur__syns[g].canon, w) != 0)
            continue;
        for (p = heur__syns[g].phrases; *p; ) {
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
            heur__add_probe(it, p + best, bl < 3 ? bl : 3);
            p += end;
            if (*p)
                p++;
        }
    }
    for (g = 0; g < heur__nsyms; g++)
        if (strcmp(heur__syms[g].w, w) == 0)
            heur__add_probe(it, heur__syms[g].sym,
                            strlen(heur__syms[g].sym));
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
            for (i = 0; heur__ord_words[i]; i++)
                if (strcmp(heur__ord_words[i], w) == 0)
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

/* Fillers count fully when nothing else would name the element: "button
 * ONE", "Section" (issue 22 pattern 10), then "From", "To field";
 * articles never ("the textbox" is a role alone). */
static void promote_fillers(struct heur__toks *t)
{
    int i, k, full = 0;

    for (k = 0; k < 2 && !full; k++) {
        unsigned f = k ? HEUR__T_FILL : HEUR__T_WEAK;
        for (i = 0; i < t->n; i++)
            full += !t->t[i].role && t->t[i].w >= 1.0f;
        if (full)
            break;
        for (i = 0; i < t->n; i++)
            if (t->t[i].fl & f) {
                t->t[i].w = 1.0f;
                full++;
            }
    }
}

/* Where the context clause of T starts: at the first splitter that
 * follows a content word and is itself followed by a content word (a
 * quoted word is never a splitter); -1 none. *SKIP: the splitter's
 * words. */
static int context_at(const struct heur__toks *t, int *skip)
{
    int i, k;

    for (i = 1; i < t->n; i++) {
        int before = 0, after = 0;
        if ((t->t[i].fl & HEUR__T_QUOTED) || !is_splitter(t, i, skip))
            continue;
        for (k = 0; k < i; k++)
            before += t->t[k].w >= 1.0f;
        for (k = i + *skip; k < t->n; k++)
            after += t->t[k].w >= 1.0f && !t->t[k].role;
        if (before && after)
            return i;
    }
    return -1;
}

/* Fills IT's main, ctx and all words from T, split at SPLIT (SKIP words
 * of splitter; -1 none). */
static void split_words(struct heur__intent *it, const struct heur__toks *t,
                        int split, int skip)
{
    int i, quoted = 0;

    for (i = 0; i < t->n; i++) {
        if (split >= 0 && i >= split) {
            if (i >= split + skip)
                it->ctx.t[it->ctx.n++] = t->t[i];
        } else {
            it->main.t[it->main.n++] = t->t[i];
            quoted += (t->t[i].fl & HEUR__T_QUOTED) != 0;
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
}

/* "the x", "the x button": the close glyph, as a lone "X" on a control
 * is (issue 22 pattern 9, p-tasks-07). */
static void x_is_close(struct heur_ctx *hx, struct heur__intent *it)
{
    int i;

    for (i = 0; i < it->main.n && it->n_content == 1; i++)
        if (!it->main.t[i].role && it->main.t[i].w >= 1.0f &&
            strcmp(it->main.t[i].s, "x") == 0) {
            unsigned char f = it->main.t[i].fl;
            heur__set_tok(hx, &it->main.t[i], "close");
            it->main.t[i].fl = f;
            it->all.t[i] = it->main.t[i];
        }
}

/* A role word that opens the intent, followed by a content word, may be
 * its verb: "select customers" (issue 22 pattern 3). The ranking decides
 * by the step's kind (heur__intent_verb()). */
static void mark_rverb(struct heur__intent *it)
{
    int i;

    for (i = 0; i < it->main.n && it->main.t[i].w < 1.0f; i++)
        ;
    if (i < it->main.n && it->main.t[i].role && it->n_content > 0 &&
        role_verb(it->main.t[i].s)) {
        it->main.t[i].fl |= HEUR__T_RVERB;
        it->all.t[i].fl |= HEUR__T_RVERB;
        it->rverb = i;
    }
}

int heur__parse_intent(struct heur_ctx *hx, const char *intent,
                       struct heur__intent *it, int literal)
{
    char buf[1024];
    struct heur__toks t;
    struct qspans q;
    int i, split, skip = 0;

    memset(it, 0, sizeof *it);
    it->rverb = -1;
    it->literal = literal;
    ut_strlcpy(buf, intent ? intent : "", sizeof buf);
    find_quotes(buf, &q);
    if (!literal)
        find_ordinal(hx, buf, &q, &it->ordinal);
    tokenize_quoted(hx, buf, &q, &t);
    promote_fillers(&t);
    split = context_at(&t, &skip);
    split_words(it, &t, split, skip);
    count_main(it);
    x_is_close(hx, it);
    for (i = 0; i < it->ctx.n; i++)
        if (it->ctx.t[i].region)
            it->regions |= 1u << (it->ctx.t[i].region - 1);
    mark_rverb(it);

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
        o = (size_t)snprintf(out, n, "%s", heur__ord_words[ordinal - 1]);
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
