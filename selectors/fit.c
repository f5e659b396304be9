/* fit.c -- the words a cached selector's element must still show: the
 * intent's words that were around the element when it was chosen
 * (docs/CACHE.md "Validation and self-healing"). Pure: no page, no I/O. */
#include "sel.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

#define FIT_MAX 256          /* bytes of fit words kept */

/* Words that say nothing about which element is meant, and that a row or
 * a form holds by chance. */
static int filler(const char *w, size_t n)
{
    static const char *const f[] = {
        "the", "an", "to", "of", "for", "in", "on", "at", "and", "or",
        "with", "by", "from", "my", "your", "this", "that", "is", "it"};
    size_t i;

    if (n < 2)
        return 1;
    for (i = 0; i < sizeof f / sizeof *f; i++)
        if (strlen(f[i]) == n && memcmp(f[i], w, n) == 0)
            return 1;
    return 0;
}

/* Is W (N bytes) a whole word of the space-separated words NEAR? */
static int has_word(const char *near, const char *w, size_t n)
{
    const char *p = near;

    for (;;) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, w, n) == 0)
            return 1;
        if (!e)
            return 0;
        p = e + 1;
    }
}

/* An ASCII byte that P.foldWords() turns into a space: anything but a
 * letter or a digit. Bytes of other characters stay in the word (a
 * word the page folds otherwise is simply not found, and not kept). */
static int sep(unsigned char c)
{
    return c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9'));
}

/* S folded into OUT (N bytes) as P.foldWords() folds ASCII: lower case,
 * each run of separators one space, no space at either end. */
static void fold(const char *s, char *out, size_t n)
{
    size_t o = 0;
    int gap = 0;

    for (; *s && o + 2 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (sep(c)) {
            gap = o > 0;
            continue;
        }
        if (gap)
            out[o++] = ' ';
        gap = 0;
        out[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    out[o] = '\0';
}

char *sel_fit_words(const char *intent, const char *near, const char *name)
{
    char words[FIT_MAX + 1], nm[1024];
    size_t o = 0;
    const char *p = intent ? intent : "";

    words[0] = '\0';
    if (!near)
        near = "";
    fold(name ? name : "", nm, sizeof nm);
    while (*p) {
        char w[128];
        size_t n = 0, k;

        while (*p && sep((unsigned char)*p))
            p++;
        while (*p && !sep((unsigned char)*p)) {
            if (n < sizeof w)
                w[n] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
            n++;
            p++;
        }
        if (n == 0 || n > sizeof w || filler(w, n) || !has_word(near, w, n) ||
            has_word(nm, w, n) || has_word(words, w, n) ||
            o + n + 1 > FIT_MAX)
            continue;
        if (o)
            words[o++] = ' ';
        for (k = 0; k < n; k++)
            words[o++] = w[k];
        words[o] = '\0';
    }
    return ut_strdup(words);
}

char *sel_fit_fingerprint(const char *fp, const char *intent)
{
    cJSON *j = cJSON_Parse(fp ? fp : ""), *nw;
    char *fit, *out;

    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return NULL;
    }
    nw = cJSON_DetachItemFromObjectCaseSensitive(j, "near");
    fit = sel_fit_words(intent, cJSON_GetStringValue(nw),
                        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
                            j, "name")));
    cJSON_Delete(nw);
    cJSON_DeleteItemFromObjectCaseSensitive(j, "fit");
    if (fit && *fit)
        cJSON_AddStringToObject(j, "fit", fit);
    free(fit);
    out = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return out;
}
