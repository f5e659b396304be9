/* cands.c -- the candidate record document (docs/CANDIDATES.md) parsed
 * into heur_cand records. Pure: no CDP.
 *
 * Storage: ONE allocation holds the record array followed by every string
 * the records point into (truncated to SEL_CANDS_MAX_STR bytes), each
 * record's strings laid out next to each other: the scorer's prefilter
 * reads a dozen fields of every candidate, and scattered strings (as in a
 * cJSON tree) cost a cache miss each. The cJSON tree is freed before
 * sel_cands_parse() returns; sel_cands_free() frees the block.
 *
 * A string field may also be a number k: the k-th entry of the document's
 * string table "strs" (repeated container texts, headings, regions,
 * classes). Such fields share one copy, so equal pointers mean equal
 * strings, which the scorer uses to tokenise them once. */
#include "sel.h"
#include "../util/util.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEL_CANDS_MAX      5000              /* records kept; more ignored */
#define SEL_CANDS_MAX_STR  2000              /* bytes kept per string */
#define SEL_CANDS_MAX_DOC  (64u * 1024 * 1024)

/* Cuts S to at most MAX bytes without splitting a UTF-8 sequence.
 * Returns the new length. */
static size_t cut(char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    s[n] = '\0';
    return n;
}

/* Where strings go: copied to BASE + USED. Every string of the document
 * is shorter than its JSON text (quotes and escapes included), so CAP =
 * the document's length always suffices; put() checks it anyway. */
struct arena {
    char *base;
    size_t used, cap;
};

static const char *put(struct arena *a, char *s)
{
    size_t l;
    char *d;
    if (!s || !*s)
        return "";
    l = cut(s, SEL_CANDS_MAX_STR) + 1;
    if (l > a->cap - a->used)
        return "";                      /* cannot happen (see above) */
    d = a->base + a->used;
    memcpy(d, s, l);
    a->used += l;
    return d;
}

/* The document's string table, as copied to the arena (or, while
 * measuring, as found in the tree). */
struct strtab {
    const char **s;
    size_t n;
};

/* Puts the optional "strs" array of ROOT into A and T (a non-string entry
 * reads as ""). T->s must hold cJSON_GetArraySize() entries. */
static void strtab_put(const cJSON *root, struct strtab *t, struct arena *a)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "strs"), *e;
    t->n = 0;
    if (cJSON_IsArray(arr))
        cJSON_ArrayForEach(e, arr)
        t->s[t->n++] = cJSON_IsString(e) ? put(a, e->valuestring) : "";
}

/* String fields by key. */
static const struct {
    const char *key;
    size_t off;
} SFIELD[] = {
    {"tag", offsetof(struct heur_cand, tag)},
    {"role", offsetof(struct heur_cand, role)},
    {"name", offsetof(struct heur_cand, name)},
    {"label", offsetof(struct heur_cand, label)},
    {"ph", offsetof(struct heur_cand, placeholder)},
    {"title", offsetof(struct heur_cand, title)},
    {"aria", offsetof(struct heur_cand, aria_label)},
    {"alt", offsetof(struct heur_cand, alt)},
    {"value", offsetof(struct heur_cand, value)},
    {"text", offsetof(struct heur_cand, text)},
    {"id", offsetof(struct heur_cand, id_attr)},
    {"nm", offsetof(struct heur_cand, name_attr)},
    {"cls", offsetof(struct heur_cand, cls)},
    {"tid", offsetof(struct heur_cand, testid)},
    {"type", offsetof(struct heur_cand, type)},
    {"href", offsetof(struct heur_cand, href)},
    {"near", offsetof(struct heur_cand, near)},
    {"ctx", offsetof(struct heur_cand, context)},
    {"head", offsetof(struct heur_cand, heading)},
    {"region", offsetof(struct heur_cand, region)},
};
#define N_SFIELD (sizeof SFIELD / sizeof SFIELD[0])

static const char **sfield(struct heur_cand *c, size_t k)
{
    return (const char **)(void *)((char *)c + SFIELD[k].off);
}

/* SFIELD index of KEY, N_SFIELD when none: candidates by first letter. */
static size_t sfield_of(const char *key)
{
    size_t k;
    for (k = 0; k < N_SFIELD; k++)
        if (SFIELD[k].key[0] == key[0] && strcmp(SFIELD[k].key, key) == 0)
            return k;
    return N_SFIELD;
}

static int num(const cJSON *v, int dflt)
{
    if (!cJSON_IsNumber(v) || v->valuedouble < -1 || v->valuedouble > 1e9)
        return dflt;
    return (int)v->valuedouble;
}

static void flags(const char *f, struct heur_cand *c)
{
    for (; *f; f++) {
        switch (*f) {
        case 'v': c->visible = 1; break;
        case 'e': c->enabled = 1; break;
        case 'w': c->editable = 1; break;
        case 'c': c->clickable = 1; break;
        case 'k': c->checked = 1; break;
        case 's': c->in_shadow = 1; break;
        case 'f': c->in_frame = 1; break;
        case 'p': c->pointer = 1; break;
        case 'l': c->labelish = 1; break;
        case 'o': c->obscured = 1; break;
        default: break;         /* unknown letters: newer collector */
        }
    }
}

static void box(const cJSON *b, struct heur_cand *c)
{
    double v[4] = {0, 0, 0, 0};
    int i = 0;
    cJSON *e;
    cJSON_ArrayForEach(e, b) {
        if (i >= 4)
            break;
        if (cJSON_IsNumber(e))
            v[i] = e->valuedouble;
        i++;
    }
    c->x = v[0];
    c->y = v[1];
    c->w = v[2];
    c->h = v[3];
}

/* Reads record O (index IDX) into C in one pass over its members, the
 * first of a repeated key winning; strings go to A, table references
 * through T. Unknown keys are ignored (newer collectors). */
static void record(const cJSON *o, int idx, const struct strtab *t,
                   struct arena *a, struct heur_cand *c)
{
    const cJSON *m;
    int seen_i = 0, seen_for = 0, seen_in = 0, seen_fl = 0, seen_box = 0;
    size_t k;

    memset(c, 0, sizeof *c);
    c->id = idx;
    c->for_id = -1;
    c->parent_id = -1;
    for (m = o->child; m; m = m->next) {
        const char *key = m->string;
        if (!key)
            continue;
        k = sfield_of(key);
        if (k < N_SFIELD) {
            const char **f = sfield(c, k);
            if (*f)
                continue;
            if (cJSON_IsNumber(m))
                *f = m->valuedouble >= 0 && m->valuedouble < (double)t->n ?
                     t->s[(size_t)m->valuedouble] : "";
            else
                *f = cJSON_IsString(m) ? put(a, m->valuestring) : "";
        } else if (!seen_i && strcmp(key, "i") == 0) {
            seen_i = 1;
            c->id = num(m, idx);
        } else if (!seen_for && strcmp(key, "for") == 0) {
            seen_for = 1;
            c->for_id = num(m, -1);
        } else if (!seen_in && strcmp(key, "in") == 0) {
            seen_in = 1;
            c->parent_id = num(m, -1);
        } else if (!seen_fl && strcmp(key, "fl") == 0) {
            seen_fl = 1;
            if (cJSON_IsString(m))
                flags(m->valuestring, c);
        } else if (!seen_box && strcmp(key, "box") == 0) {
            seen_box = 1;
            if (cJSON_IsArray(m))
                box(m, c);
        }
    }
    for (k = 0; k < N_SFIELD; k++)
        if (!*sfield(c, k))
            *sfield(c, k) = "";
}

/* One pass over the document: records into C (N of them), strings into
 * A. Returns the page title and URL through *TITLE and *URL. */
static void pass(const cJSON *root, const cJSON *arr, struct strtab *t,
                 struct arena *a, struct heur_cand *c, size_t n,
                 const char **title, const char **url)
{
    const cJSON *e, *v;
    size_t i = 0;

    strtab_put(root, t, a);
    cJSON_ArrayForEach(e, arr) {
        if (!cJSON_IsObject(e))
            continue;
        if (i >= n)
            break;
        record(e, (int)i, t, a, &c[i]);
        i++;
    }
    v = cJSON_GetObjectItemCaseSensitive(root, "title");
    *title = cJSON_IsString(v) ? put(a, v->valuestring) : "";
    v = cJSON_GetObjectItemCaseSensitive(root, "url");
    *url = cJSON_IsString(v) ? put(a, v->valuestring) : "";
}

int sel_cands_parse(const char *json, size_t len, struct sel_cands *out,
                    char *err, size_t errlen)
{
    cJSON *root, *arr, *v, *e;
    struct strtab tab = {NULL, 0};
    struct arena a = {NULL, 0, 0};
    struct heur_cand *c;
    const char *title, *url;
    size_t n = 0, nstr;
    double ms;

    memset(out, 0, sizeof *out);
    if (!json || len == 0)
        return ut_err(err, errlen, -1, "candidates: empty document");
    if (len > SEL_CANDS_MAX_DOC)
        return ut_err(err, errlen, -1, "candidates: document too large "
                      "(%zu bytes)", len);
    root = cJSON_ParseWithLength(json, len);
    if (!root)
        return ut_err(err, errlen, -1, "candidates: invalid JSON near "
                      "byte %zu", cJSON_GetErrorPtr() ?
                      (size_t)(cJSON_GetErrorPtr() - json) : (size_t)0);
    v = cJSON_GetObjectItemCaseSensitive(root, "v");
    if (!cJSON_IsObject(root) || !cJSON_IsNumber(v) || v->valueint != 1) {
        cJSON_Delete(root);
        return ut_err(err, errlen, -1, "candidates: not a version 1 "
                      "record document");
    }
    arr = cJSON_GetObjectItemCaseSensitive(root, "cands");
    if (!cJSON_IsArray(arr)) {
        cJSON_Delete(root);
        return ut_err(err, errlen, -1, "candidates: \"cands\" is not an "
                      "array");
    }
    cJSON_ArrayForEach(e, arr)
        if (cJSON_IsObject(e) && n < SEL_CANDS_MAX)
            n++;
    v = cJSON_GetObjectItemCaseSensitive(root, "ms");
    ms = cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e9 ?
         v->valuedouble : 0;
    v = cJSON_GetObjectItemCaseSensitive(root, "strs");
    nstr = cJSON_IsArray(v) ? (size_t)cJSON_GetArraySize(v) : 0;
    tab.s = malloc((nstr ? nstr : 1) * sizeof *tab.s);
    if (!tab.s) {
        cJSON_Delete(root);
        return ut_err(err, errlen, -1, "candidates: out of memory");
    }
    /* one block: records, then strings */
    c = malloc((n ? n : 1) * sizeof *c + len + 1);
    if (!c) {
        free(tab.s);
        cJSON_Delete(root);
        return ut_err(err, errlen, -1, "candidates: out of memory");
    }
    a.base = (char *)(c + (n ? n : 1));
    a.cap = len + 1;
    pass(root, arr, &tab, &a, c, n, &title, &url);
    free(tab.s);
    cJSON_Delete(root);
    out->c = c;
    out->n = n;
    out->title = (char *)title;
    out->url = (char *)url;
    out->page_ms = ms;
    out->store_ = NULL;
    return 0;
}

void sel_cands_free(struct sel_cands *cs)
{
    if (!cs)
        return;
    free(cs->c);
    memset(cs, 0, sizeof *cs);
}
