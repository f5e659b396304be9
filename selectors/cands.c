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
#include "sel_int.h"
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

/* The document's string table: entry K of SRC (NULL reads as "") is
 * copied to the arena when a record first refers to it (a mirror's
 * table holds every string of the page's generation, most of them for
 * records this collection does not hold); S[K] is the copy, NULL until
 * then. */
struct strtab {
    const char **s;
    char *const *src;
    size_t n;
    struct arena *a;
};

static const char *strtab_get(struct strtab *t, size_t k)
{
    if (!t->s[k])
        t->s[k] = t->src[k] ? put(t->a, t->src[k]) : "";
    return t->s[k];
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
    {"form", offsetof(struct heur_cand, form)},
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
static void record(const cJSON *o, int idx, struct strtab *t,
                   struct arena *a, struct heur_cand *c)
{
    const cJSON *m;
    int seen_i = 0, seen_for = 0, seen_in = 0, seen_fl = 0, seen_box = 0,
        seen_grp = 0, seen_dst = 0;
    size_t k;

    memset(c, 0, sizeof *c);
    c->id = idx;
    c->for_id = -1;
    c->parent_id = -1;
    c->group = -1;
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
                     strtab_get(t, (size_t)m->valuedouble) : "";
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
        } else if (!seen_grp && strcmp(key, "grp") == 0) {
            seen_grp = 1;
            c->group = num(m, -1);
        } else if (!seen_dst && strcmp(key, "dst") == 0) {
            seen_dst = 1;
            c->dest = num(m, 0);
            if (c->dest < 0)
                c->dest = 0;
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

/* Bytes the strings of O take, terminators included (an upper bound of
 * what put() copies of them). */
static size_t tree_bytes(const cJSON *o)
{
    size_t n = 0;
    for (; o; o = o->next) {
        if (cJSON_IsString(o))
            n += strlen(o->valuestring) + 1;
        else if (o->child)
            n += tree_bytes(o->child);
    }
    return n;
}

/* The parts of a record document: ROOT for "ms", "title" and "url", the
 * N record objects RECS (at most SEL_CANDS_MAX) and the NS strings of the
 * table STRS. CAP bounds the bytes of every string in them. */
static int from_parts(const cJSON *root, const cJSON *const *recs, size_t n,
                      char *const *strs, size_t ns, size_t cap,
                      struct sel_cands *out, char *err, size_t errlen)
{
    struct arena a = {NULL, 0, 0};
    struct strtab tab = {NULL, strs, ns, &a};
    struct heur_cand *c;
    const cJSON *v;
    size_t i;

    memset(out, 0, sizeof *out);
    tab.s = calloc(ns ? ns : 1, sizeof *tab.s);
    /* one block: records, then strings */
    c = malloc((n ? n : 1) * sizeof *c + cap + 1);
    if (!tab.s || !c) {
        free(tab.s);
        free(c);
        return ut_err(err, errlen, -1, "candidates: out of memory");
    }
    a.base = (char *)(c + (n ? n : 1));
    a.cap = cap + 1;
    for (i = 0; i < n; i++)
        record(recs[i], (int)i, &tab, &a, &c[i]);
    free(tab.s);
    v = cJSON_GetObjectItemCaseSensitive(root, "title");
    out->title = (char *)(cJSON_IsString(v) ? put(&a, v->valuestring) : "");
    v = cJSON_GetObjectItemCaseSensitive(root, "url");
    out->url = (char *)(cJSON_IsString(v) ? put(&a, v->valuestring) : "");
    v = cJSON_GetObjectItemCaseSensitive(root, "ms");
    out->page_ms = cJSON_IsNumber(v) && v->valuedouble >= 0 &&
                   v->valuedouble < 1e9 ? v->valuedouble : 0;
    out->dialog = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root,
                                                                "dialog"));
    v = cJSON_GetObjectItemCaseSensitive(root, "guess");
    /* a copy failing to allocate only loses the shortcut */
    out->guess = cJSON_IsObject(v) ? cJSON_Duplicate(v, 1) : NULL;
    v = cJSON_GetObjectItemCaseSensitive(root, "ahead");
    /* a copy failing to allocate only loses the ranking ahead */
    out->ahead = cJSON_IsString(v) && strlen(v->valuestring) < 256 ?
                 ut_strdup(v->valuestring) : NULL;
    out->c = c;
    out->n = n;
    out->store_ = NULL;
    return 0;
}

/* Parses JSON (LEN bytes) into *ROOT and checks it is a version 1 record
 * document with a "cands" array, returned through *ARR. */
static int parse_doc(const char *json, size_t len, cJSON **root,
                     cJSON **arr, char *err, size_t errlen)
{
    cJSON *v;

    *root = NULL;
    if (!json || len == 0)
        return ut_err(err, errlen, -1, "candidates: empty document");
    if (len > SEL_CANDS_MAX_DOC)
        return ut_err(err, errlen, -1, "candidates: document too large "
                      "(%zu bytes)", len);
    *root = cJSON_ParseWithLength(json, len);
    if (!*root)
        return ut_err(err, errlen, -1, "candidates: invalid JSON near "
                      "byte %zu", cJSON_GetErrorPtr() ?
                      (size_t)(cJSON_GetErrorPtr() - json) : (size_t)0);
    v = cJSON_GetObjectItemCaseSensitive(*root, "v");
    *arr = cJSON_GetObjectItemCaseSensitive(*root, "cands");
    if (!cJSON_IsObject(*root) || !cJSON_IsNumber(v) || v->valueint != 1 ||
        !cJSON_IsArray(*arr)) {
        int noarr = cJSON_IsObject(*root) && cJSON_IsNumber(v) &&
                    v->valueint == 1;
        cJSON_Delete(*root);
        *root = NULL;
        return noarr ? ut_err(err, errlen, -1, "candidates: \"cands\" is "
                              "not an array")
                     : ut_err(err, errlen, -1, "candidates: not a version 1 "
                              "record document");
    }
    /* a table that is not one (a page's Array.prototype.toJSON made it a
     * string once) would leave every reference to it empty, silently */
    v = cJSON_GetObjectItemCaseSensitive(*root, "strs");
    if (v && !cJSON_IsArray(v)) {
        cJSON_Delete(*root);
        *root = NULL;
        return ut_err(err, errlen, -1, "candidates: \"strs\" is not an "
                      "array");
    }
    return 0;
}

/* The string table of ROOT as an array of its strings (NULL for a
 * non-string entry); *NS set to their count. Caller frees the array. */
static char **doc_strs(const cJSON *root, size_t *ns)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "strs"), *e;
    size_t n = cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;
    char **s = malloc((n ? n : 1) * sizeof *s);

    *ns = 0;
    if (!s)
        return NULL;
    if (n)
        cJSON_ArrayForEach(e, arr)
            s[(*ns)++] = cJSON_IsString(e) ? e->valuestring : NULL;
    return s;
}

/* A whole document, parsed (ROOT, its "cands" ARR; LEN bytes of JSON),
 * into OUT. Frees ROOT. */
static int whole_doc(cJSON *root, const cJSON *arr, size_t len,
                     struct sel_cands *out, char *err, size_t errlen)
{
    const cJSON **recs, *e;
    char **strs;
    size_t n = 0, ns;
    int rc;

    recs = malloc(((size_t)cJSON_GetArraySize(arr) + 1) * sizeof *recs);
    strs = doc_strs(root, &ns);
    if (!recs || !strs) {
        rc = ut_err(err, errlen, -1, "candidates: out of memory");
    } else {
        cJSON_ArrayForEach(e, arr)
            if (cJSON_IsObject(e) && n < SEL_CANDS_MAX)
                recs[n++] = e;
        /* every string of the document is shorter than its JSON text */
        rc = from_parts(root, recs, n, strs, ns, len, out, err, errlen);
    }
    free(recs);
    free(strs);
    cJSON_Delete(root);
    return rc;
}

int sel_cands_parse(const char *json, size_t len, struct sel_cands *out,
                    char *err, size_t errlen)
{
    cJSON *root, *arr;

    memset(out, 0, sizeof *out);
    if (parse_doc(json, len, &root, &arr, err, errlen))
        return -1;
    return whole_doc(root, arr, len, out, err, errlen);
}

/* The blocks of records and strings that a merge keeps (store_). */
struct kept {
    struct kept *next;
    void *blk;
};

static void kept_free(struct kept *k)
{
    while (k) {
        struct kept *n = k->next;
        free(k->blk);
        free(k);
        k = n;
    }
}

int sel__cands_merge(struct sel_cands *into, struct sel_cands *from,
                     int base)
{
    struct heur_cand *c = malloc((into->n + from->n + 1) * sizeof *c);
    struct kept *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b), *k;
    size_t i;

    if (!c || !a || !b) {
        free(c);
        free(a);
        free(b);
        return -1;
    }
    if (into->n)
        memcpy(c, into->c, into->n * sizeof *c);
    for (i = 0; i < from->n; i++) {
        struct heur_cand *d = &c[into->n + i];
        *d = from->c[i];
        d->id += base;
        if (d->for_id >= 0)
            d->for_id += base;
        if (d->parent_id >= 0)
            d->parent_id += base;
        if (d->group >= 0)
            d->group += base;
        if (d->dest > 0)
            d->dest += base;
        d->in_frame = 1;
    }
    /* the strings stay where they are: both blocks are kept, with what
     * each kept before */
    a->blk = into->c;
    b->blk = from->c;
    a->next = b;
    b->next = from->store_;
    for (k = b; k->next; k = k->next)
        ;
    k->next = into->store_;
    into->store_ = a;
    from->store_ = NULL;
    into->c = c;
    into->n += from->n;
    from->c = NULL;
    from->n = 0;
    sel_cands_free(from);
    return 0;
}

void sel_cands_free(struct sel_cands *cs)
{
    if (!cs)
        return;
    kept_free(cs->store_);
    free(cs->c);
    cJSON_Delete(cs->guess);
    free(cs->ahead);
    memset(cs, 0, sizeof *cs);
}

/* ---- mirrored collections ----------------------------------------------- */

#define SEL_MIRROR_MAX_ID  (1 << 20)     /* record ids (walk positions) */

struct sel_mirror {
    char *gen;             /* the page's collector state, "" when none */
    long seq;              /* answers taken under GEN */
    char **strs;           /* the kept string table */
    size_t ns, cap_s;
    size_t sbytes;         /* its strings' bytes, terminators included */
    cJSON **rec;           /* the last full record sent for each id */
    unsigned *mark;        /* the answer (TICK) that last listed each id */
    unsigned tick;
    size_t cap_r;
    size_t nrec;           /* how many REC entries are set */
};

struct sel_mirror *sel_mirror_new(void)
{
    return calloc(1, sizeof(struct sel_mirror));
}

/* Forgets everything: the next answer must start over (seq 1). */
static void mirror_reset(struct sel_mirror *m)
{
    size_t i;

    for (i = 0; i < m->ns; i++)
        free(m->strs[i]);
    for (i = 0; i < m->cap_r; i++)
        cJSON_Delete(m->rec[i]);
    free(m->strs);
    free(m->rec);
    free(m->mark);
    free(m->gen);
    memset(m, 0, sizeof *m);
}

void sel_mirror_free(struct sel_mirror *m)
{
    if (!m)
        return;
    mirror_reset(m);
    free(m);
}

size_t sel_mirror_records(const struct sel_mirror *m)
{
    return m ? m->nrec : 0;
}

cJSON *sel_mirror_opts(const struct sel_mirror *m)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "gen", m && m->gen ? m->gen : "");
    cJSON_AddNumberToObject(o, "seq", m ? (double)m->seq : 0);
    cJSON_AddNumberToObject(o, "ns", m ? (double)m->ns : 0);
    return o;
}

/* Appends the strings of ARR (a non-string entry as "") to M's table. */
static int mirror_add_strs(struct sel_mirror *m, const cJSON *arr)
{
    const cJSON *e;
    size_t add = cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;

    if (m->ns + add > m->cap_s) {
        size_t cap = m->cap_s ? m->cap_s : 256;
        char **ns;
        while (cap < m->ns + add)
            cap *= 2;
        if (!(ns = realloc(m->strs, cap * sizeof *ns)))
            return -1;
        m->strs = ns;
        m->cap_s = cap;
    }
    if (add)
        cJSON_ArrayForEach(e, arr) {
            char *d = ut_strdup(cJSON_IsString(e) ? e->valuestring : "");
            if (!d)
                return -1;
            m->strs[m->ns++] = d;
            m->sbytes += strlen(d) + 1;
        }
    return 0;
}

/* Keeps record REC (detached, taken) under id ID. */
static int mirror_keep(struct sel_mirror *m, size_t id, cJSON *rec)
{
    if (id >= m->cap_r) {
        size_t cap = m->cap_r ? m->cap_r : 1024;
        cJSON **nr;
        unsigned *nm;
        while (cap <= id)
            cap *= 2;
        if (!(nr = realloc(m->rec, cap * sizeof *nr)))
            return -1;
        memset(nr + m->cap_r, 0, (cap - m->cap_r) * sizeof *nr);
        m->rec = nr;
        if (!(nm = realloc(m->mark, cap * sizeof *nm)))
            return -1;
        memset(nm + m->cap_r, 0, (cap - m->cap_r) * sizeof *nm);
        m->mark = nm;
        m->cap_r = cap;
    }
    if (m->rec[id])
        cJSON_Delete(m->rec[id]);
    else
        m->nrec++;
    m->rec[id] = rec;
    return 0;
}

/* The record id ("i") of full record O, or -1. */
static long rec_id(const cJSON *o)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "i");
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
        v->valuedouble >= SEL_MIRROR_MAX_ID)
        return -1;
    return (long)v->valuedouble;
}

/* Takes the records of ARR into M and lists, in order, the record each
 * entry stands for in RECS (N of them, at most SEL_CANDS_MAX). */
static int mirror_take(struct sel_mirror *m, cJSON *arr,
                       const cJSON **recs, size_t *n, char *err,
                       size_t errlen)
{
    cJSON *e = arr->child, *next;
    long id;

    *n = 0;
    if (++m->tick == 0) {            /* wrapped: no stale marks */
        memset(m->mark, 0, m->cap_r * sizeof *m->mark);
        m->tick = 1;
    }
    for (; e; e = next) {
        next = e->next;
        if (cJSON_IsObject(e)) {
            if ((id = rec_id(e)) < 0)
                return ut_err(err, errlen, -1, "candidates: a mirrored "
                              "record has no valid \"i\"");
            /* a record listed twice would free one still listed */
            if ((size_t)id < m->cap_r && m->mark[id] == m->tick)
                return ut_err(err, errlen, -1, "candidates: record %ld "
                              "listed twice", id);
            cJSON_DetachItemViaPointer(arr, e);
            if (mirror_keep(m, (size_t)id, e)) {
                cJSON_Delete(e);
                return ut_err(err, errlen, -1, "candidates: out of memory");
            }
        } else if (cJSON_IsNumber(e)) {
            id = e->valuedouble >= 0 && e->valuedouble < (double)m->cap_r ?
                 (long)e->valuedouble : -1;
            if (id < 0 || !m->rec[id])
                return ut_err(err, errlen, -1, "candidates: the page refers "
                              "to record %.0f, which this controller does "
                              "not hold", e->valuedouble);
            if (m->mark[id] == m->tick)
                return ut_err(err, errlen, -1, "candidates: record %ld "
                              "listed twice", id);
        } else {
            continue;
        }
        m->mark[id] = m->tick;
        if (*n < SEL_CANDS_MAX)
            recs[(*n)++] = m->rec[id];
    }
    return 0;
}

int sel_mirror_parse(struct sel_mirror *m, const char *json, size_t len,
                     struct sel_cands *out, char *err, size_t errlen)
{
    cJSON *root, *arr, *gen, *seq, *sbase;
    const cJSON **recs = NULL;
    size_t n = 0, i, cap;
    int rc = -1;

    memset(out, 0, sizeof *out);
    if (parse_doc(json, len, &root, &arr, err, errlen))
        return -1;
    gen = cJSON_GetObjectItemCaseSensitive(root, "gen");
    if (!cJSON_IsString(gen)) {      /* not mirrored: a whole document */
        mirror_reset(m);
        return whole_doc(root, arr, len, out, err, errlen);
    }
    seq = cJSON_GetObjectItemCaseSensitive(root, "seq");
    sbase = cJSON_GetObjectItemCaseSensitive(root, "sbase");
    if (!cJSON_IsNumber(seq) || !cJSON_IsNumber(sbase)) {
        ut_err(err, errlen, -1, "candidates: a mirrored answer without "
               "\"seq\" or \"sbase\"");
        goto out;
    }
    if (seq->valuedouble == 1) {           /* the page started over */
        mirror_reset(m);
        if (!(m->gen = ut_strdup(gen->valuestring))) {
            ut_err(err, errlen, -1, "candidates: out of memory");
            goto out;
        }
    } else if (!m->gen || strcmp(m->gen, gen->valuestring) != 0 ||
               seq->valuedouble != (double)(m->seq + 1) ||
               sbase->valuedouble != (double)m->ns) {
        ut_err(err, errlen, -1, "candidates: the page's mirror is out of "
               "step with this controller's (answer %.0f after %ld)",
               seq->valuedouble, m->seq);
        goto out;
    }
    if (sbase->valuedouble != (double)m->ns ||
        mirror_add_strs(m, cJSON_GetObjectItemCaseSensitive(root, "strs"))) {
        ut_err(err, errlen, -1, "candidates: bad or unstorable string "
               "table");
        goto out;
    }
    recs = malloc(((size_t)cJSON_GetArraySize(arr) + 1) * sizeof *recs);
    if (!recs) {
        ut_err(err, errlen, -1, "candidates: out of memory");
        goto out;
    }
    if (mirror_take(m, arr, recs, &n, err, errlen))
        goto out;
    m->seq = (long)seq->valuedouble;
    cap = tree_bytes(root->child) + m->sbytes;
    for (i = 0; i < n; i++)
        cap += tree_bytes(recs[i]->child);
    rc = from_parts(root, recs, n, m->strs, m->ns, cap, out, err, errlen);
out:
    if (rc)
        mirror_reset(m);
    free(recs);
    cJSON_Delete(root);
    return rc;
}
