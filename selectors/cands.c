/* cands.c -- the candidate record document (docs/CANDIDATES.md) parsed
 * into heur_cand records. Pure: no CDP. The cJSON tree is kept as the
 * storage that the records' strings point into (truncated in place to
 * SEL_CANDS_MAX_STR bytes), so sel_cands_free() releases everything. */
#include "sel.h"
#include "../util/util.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEL_CANDS_MAX      5000              /* records kept; more ignored */
#define SEL_CANDS_MAX_STR  2000              /* bytes kept per string */
#define SEL_CANDS_MAX_DOC  (64u * 1024 * 1024)

/* Cuts S to at most MAX bytes without splitting a UTF-8 sequence. */
static void cut(char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    s[n] = '\0';
}

/* The string member K of O, truncated; "" when absent or not a string. */
static const char *str(const cJSON *o, const char *k)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsString(v) || !v->valuestring)
        return "";
    cut(v->valuestring, SEL_CANDS_MAX_STR);
    return v->valuestring;
}

static int num(const cJSON *o, const char *k, int dflt)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
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

static void box(const cJSON *o, struct heur_cand *c)
{
    cJSON *b = cJSON_GetObjectItemCaseSensitive(o, "box");
    double v[4] = {0, 0, 0, 0};
    int i = 0;
    cJSON *e;
    if (cJSON_IsArray(b))
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

static void record(const cJSON *o, int idx, struct heur_cand *c)
{
    memset(c, 0, sizeof *c);
    c->id = num(o, "i", idx);
    c->tag = str(o, "tag");
    c->role = str(o, "role");
    c->name = str(o, "name");
    c->label = str(o, "label");
    c->placeholder = str(o, "ph");
    c->title = str(o, "title");
    c->aria_label = str(o, "aria");
    c->alt = str(o, "alt");
    c->value = str(o, "value");
    c->text = str(o, "text");
    c->id_attr = str(o, "id");
    c->name_attr = str(o, "nm");
    c->cls = str(o, "cls");
    c->testid = str(o, "tid");
    c->type = str(o, "type");
    c->href = str(o, "href");
    c->near = str(o, "near");
    c->context = str(o, "ctx");
    c->heading = str(o, "head");
    c->region = str(o, "region");
    c->for_id = num(o, "for", -1);
    c->parent_id = num(o, "in", -1);
    flags(str(o, "fl"), c);
    box(o, c);
}

int sel_cands_parse(const char *json, size_t len, struct sel_cands *out,
                    char *err, size_t errlen)
{
    cJSON *root, *arr, *v, *e;
    size_t n = 0, i = 0;

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
    out->c = calloc(n ? n : 1, sizeof *out->c);
    if (!out->c) {
        cJSON_Delete(root);
        return ut_err(err, errlen, -1, "candidates: out of memory");
    }
    cJSON_ArrayForEach(e, arr) {
        if (!cJSON_IsObject(e))
            continue;
        if (i >= n)
            break;
        record(e, (int)i, &out->c[i]);
        i++;
    }
    out->n = n;
    out->title = (char *)str(root, "title");
    out->url = (char *)str(root, "url");
    out->store_ = root;
    return 0;
}

void sel_cands_free(struct sel_cands *cs)
{
    if (!cs)
        return;
    free(cs->c);
    cJSON_Delete(cs->store_);
    memset(cs, 0, sizeof *cs);
}
