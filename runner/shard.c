/* shard.c -- the pure part of `smoke --shard i/N` and `smoke-merge`:
 * which tasks a shard runs (rendezvous hashing by key without durations,
 * longest-first onto the least loaded shard with them) and the shards'
 * --json documents merged into one. No I/O: plain data in and out. */
#include "shard_int.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int run__shard_parse(const char *v, int *i, int *n)
{
    const char *slash = v ? strchr(v, '/') : NULL;
    char a[16];
    long li, ln;

    if (!slash || (size_t)(slash - v) >= sizeof a)
        return -1;
    memcpy(a, v, (size_t)(slash - v));
    a[slash - v] = '\0';
    if (ut_parse_long(a, 1, SHARD_MAX, &li) ||
        ut_parse_long(slash + 1, 1, SHARD_MAX, &ln) || li > ln)
        return -1;
    *i = (int)li;
    *n = (int)ln;
    return 0;
}

/* ---- partition ---------------------------------------------------------- */
static uint64_t mix64(uint64_t x)          /* splitmix64's finaliser */
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

/* The shard with the highest weight for KEY (ties: the lower shard). */
static int rendezvous(const char *key, int nshards)
{
    uint64_t h = fnv1a(key), best = 0;
    int k, pick = 0;

    for (k = 0; k < nshards; k++) {
        uint64_t w = mix64(h ^ mix64((uint64_t)k + 1));
        if (k == 0 || w > best) {
            best = w;
            pick = k;
        }
    }
    return pick;
}

struct lpt { const char *key; int64_t ms; size_t ix; };

static int cmp_lpt(const void *a, const void *b)
{
    const struct lpt *x = a, *y = b;

    if (x->ms != y->ms)
        return x->ms > y->ms ? -1 : 1;
    return strcmp(x->key, y->key);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The median of the known durations; -1 when none is known. */
static int64_t median_ms(const int64_t *ms, size_t n, int64_t *tmp)
{
    size_t k, m = 0;

    for (k = 0; ms && k < n; k++)
        if (ms[k] >= 0)
            tmp[m++] = ms[k];
    if (!m)
        return -1;
    qsort(tmp, m, sizeof *tmp, cmp_i64);
    return m % 2 ? tmp[m / 2] : (tmp[m / 2 - 1] + tmp[m / 2]) / 2;
}

int run__shard_assign(const char *const *keys, const int64_t *ms, size_t n,
                      int nshards, int *out)
{
    struct lpt *v;
    int64_t *load, med;
    size_t k;
    int s, best;

    if (nshards < 1)
        return -1;
    load = calloc(n + (size_t)nshards + 1, sizeof *load);
    if (!load)
        return -1;
    med = median_ms(ms, n, load);
    if (med < 0) {
        for (k = 0; k < n; k++)
            out[k] = rendezvous(keys[k], nshards);
        free(load);
        return 0;
    }
    v = calloc(n + 1, sizeof *v);
    if (!v) {
        free(load);
        return -1;
    }
    for (k = 0; k < n; k++)
        v[k] = (struct lpt){ keys[k], ms[k] >= 0 ? ms[k] : med, k };
    qsort(v, n, sizeof *v, cmp_lpt);
    memset(load, 0, ((size_t)nshards) * sizeof *load);
    for (k = 0; k < n; k++) {
        for (best = 0, s = 1; s < nshards; s++)
            if (load[s] < load[best])
                best = s;
        out[v[k].ix] = best;
        load[best] += v[k].ms;
    }
    free(v);
    free(load);
    return 1;
}

/* ---- merge -------------------------------------------------------------- */
static double num(const cJSON *o, const char *k, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A task's identity across shards: its key, else its file. */
static const char *task_id(const cJSON *t)
{
    return str(t, "key") ? str(t, "key") : str(t, "file");
}

/* smoke --setup's task, which every shard runs first. */
static int is_setup(const cJSON *t)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "setup"));
}

/* Checks the documents; 0, or -1 with ERR naming the file. */
static int merge_check(const cJSON *const *docs, const char *const *names,
                       size_t n, char *err, size_t errlen)
{
    size_t i, j;
    const cJSON *t, *u;

    for (i = 0; i < n; i++) {
        const cJSON *d = docs[i];
        const cJSON *sh = cJSON_GetObjectItemCaseSensitive(d, "shard");
        if (!cJSON_IsObject(d) || !cJSON_IsArray(cJSON_GetObjectItem(d,
            "tasks")) || num(d, "exit_code", -1) < 0 ||
            num(d, "passed", -1) < 0)
            return ut_err(err, errlen, -1, "%s: not a `cdpilot smoke "
                          "--json` document", names[i]);
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(d, "tasks"))
            if (!task_id(t))
                return ut_err(err, errlen, -1, "%s: a task without a file",
                              names[i]);
        for (j = 0; j < i; j++) {
            const cJSON *so = cJSON_GetObjectItemCaseSensitive(docs[j],
                                                               "shard");
            if (!sh != !so)
                return ut_err(err, errlen, -1, "%s: %s a shard, but %s %s",
                              names[i], sh ? "is" : "is not", names[j],
                              so ? "is" : "is not");
            if (sh && num(sh, "count", 0) != num(so, "count", 0))
                return ut_err(err, errlen, -1, "%s: a shard of %g, but %s "
                              "is a shard of %g", names[i],
                              num(sh, "count", 0), names[j],
                              num(so, "count", 0));
            if (sh && num(sh, "index", 0) == num(so, "index", 0))
                return ut_err(err, errlen, -1, "%s: shard %g/%g again (also "
                              "in %s)", names[i], num(sh, "index", 0),
                              num(sh, "count", 0), names[j]);
            cJSON_ArrayForEach(t, cJSON_GetObjectItem(docs[i], "tasks"))
                cJSON_ArrayForEach(u, cJSON_GetObjectItem(docs[j], "tasks"))
                    if (!strcmp(task_id(t), task_id(u)) && !is_setup(t))
                        return ut_err(err, errlen, -1, "%s: task %s is also "
                                      "in %s", names[i], task_id(t),
                                      names[j]);
        }
    }
    return 0;
}

/* The LLM spend: per suite id the largest figure seen (shards sharing
 * one id each report the shared total), summed over suites. */
static void merge_llm(cJSON *o, const cJSON *const *docs, size_t n)
{
    double calls = 0, tokens = 0, cost = 0;
    size_t i, j;
    int any = 0;

    for (i = 0; i < n; i++) {
        const cJSON *l = cJSON_GetObjectItemCaseSensitive(docs[i], "llm");
        const char *id = str(l, "suite");
        int later = 0;
        double c = num(l, "calls", 0), t = num(l, "tokens", 0);
        double m = num(l, "cost", 0);
        if (!cJSON_IsObject(l))
            continue;
        any = 1;
        for (j = 0; id && j < n && !later; j++) {
            const cJSON *k = cJSON_GetObjectItemCaseSensitive(docs[j], "llm");
            const char *jd = str(k, "suite");
            if (j == i || !jd || strcmp(jd, id))
                continue;
            if (num(k, "calls", 0) > c || (num(k, "calls", 0) == c && j < i))
                later = 1;           /* another document counts it */
        }
        if (!later) {
            calls += c;
            tokens += t;
            cost += m;
        }
    }
    if (any) {
        cJSON *l = cJSON_AddObjectToObject(o, "llm");
        cJSON_AddNumberToObject(l, "calls", calls);
        cJSON_AddNumberToObject(l, "tokens", tokens);
        cJSON_AddNumberToObject(l, "cost", cost);
    }
}

cJSON *run__shard_merge(const cJSON *const *docs, const char *const *names,
                        size_t n, char *err, size_t errlen)
{
    static const char *const sums[] = { "passed", "failed", "flaky",
                                        "skipped", NULL };
    cJSON *o, *tasks, *shards, *t;
    double total[4] = { 0 }, longest = 0, retries = 0;
    size_t i, k;
    int code = RUN_EXIT_OK;

    if (!n)
        return ut_err(err, errlen, -1, "no documents to merge"), NULL;
    if (merge_check(docs, names, n, err, errlen))
        return NULL;
    o = cJSON_CreateObject();
    tasks = cJSON_CreateArray();
    shards = cJSON_CreateArray();
    for (i = 0; i < n; i++) {
        const cJSON *sh = cJSON_GetObjectItemCaseSensitive(docs[i], "shard");
        cJSON *e = cJSON_CreateObject();
        for (k = 0; sums[k]; k++)
            total[k] += num(docs[i], sums[k], 0);
        if (num(docs[i], "retries", 0) > retries)
            retries = num(docs[i], "retries", 0);
        if (num(docs[i], "duration_ms", 0) > longest)
            longest = num(docs[i], "duration_ms", 0);
        code = run__smoke_worse(code, (int)num(docs[i], "exit_code", 1));
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(docs[i], "tasks"))
            cJSON_AddItemToArray(tasks, cJSON_Duplicate(t, 1));
        cJSON_AddStringToObject(e, "file", names[i]);
        cJSON_AddNumberToObject(e, "index", num(sh, "index", 1));
        cJSON_AddNumberToObject(e, "count", num(sh, "count", 1));
        cJSON_AddNumberToObject(e, "tasks", cJSON_GetArraySize(
            cJSON_GetObjectItem(docs[i], "tasks")));
        cJSON_AddNumberToObject(e, "exit_code", num(docs[i], "exit_code", 1));
        cJSON_AddNumberToObject(e, "duration_ms",
                                num(docs[i], "duration_ms", 0));
        cJSON_AddItemToArray(shards, e);
    }
    cJSON_AddNumberToObject(o, "schema_version", RUN_SCHEMA_VERSION);
    cJSON_AddStringToObject(o, "status", code ? "failed" : "passed");
    cJSON_AddNumberToObject(o, "exit_code", code);
    for (k = 0; sums[k]; k++)
        cJSON_AddNumberToObject(o, sums[k], total[k]);
    cJSON_AddNumberToObject(o, "duration_ms", longest);
    cJSON_AddNumberToObject(o, "retries", retries);
    merge_llm(o, docs, n);
    cJSON_AddItemToObject(o, "shards", shards);
    cJSON_AddItemToObject(o, "tasks", tasks);
    return o;
}
