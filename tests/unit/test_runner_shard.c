/* test_runner_shard.c -- the pure part of `smoke --shard` and
 * `smoke-merge` (runner/shard.c): parsing I/N, the partition (stable
 * under an added file without durations, balanced with them, the same
 * on every call), and the merge of shards' --json documents with its
 * refusals. */
#include "../t.h"
#include "../../runner/shard_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_parse(void)
{
    int i = 0, n = 0;

    CHECK_INT(run__shard_parse("2/4", &i, &n), 0);
    CHECK_INT(i, 2);
    CHECK_INT(n, 4);
    CHECK_INT(run__shard_parse("1/1", &i, &n), 0);
    CHECK_INT(run__shard_parse("1000/1000", &i, &n), 0);
    CHECK_INT(run__shard_parse("5/4", &i, &n), -1);
    CHECK_INT(run__shard_parse("0/4", &i, &n), -1);
    CHECK_INT(run__shard_parse("1/1001", &i, &n), -1);
    CHECK_INT(run__shard_parse("1/0", &i, &n), -1);
    CHECK_INT(run__shard_parse("4", &i, &n), -1);
    CHECK_INT(run__shard_parse("a/4", &i, &n), -1);
    CHECK_INT(run__shard_parse("1/4x", &i, &n), -1);
    CHECK_INT(run__shard_parse("", &i, &n), -1);
    CHECK_INT(run__shard_parse("/", &i, &n), -1);
}

#define NK 41
static char keys_buf[NK][32];
static const char *keys[NK];

static void make_keys(void)
{
    int k;

    for (k = 0; k < NK; k++) {
        snprintf(keys_buf[k], sizeof keys_buf[k], "suite/t%02d.json", k);
        keys[k] = keys_buf[k];
    }
}

/* Without durations: a task's shard is a function of its key; adding
 * one moves no other; every shard gets some of 40. */
static void test_by_file(void)
{
    int a[NK], b[NK], c[NK], count[4] = { 0 }, k, moved = 0;

    CHECK_INT(run__shard_assign(keys, NULL, NK - 1, 4, a), 0);
    CHECK_INT(run__shard_assign(keys, NULL, NK - 1, 4, c), 0);
    CHECK_INT(run__shard_assign(keys, NULL, NK, 4, b), 0);
    for (k = 0; k < NK - 1; k++) {
        moved += a[k] != b[k];
        CHECK(a[k] == c[k]);
        CHECK(a[k] >= 0 && a[k] < 4);
        count[a[k]]++;
    }
    CHECK_INT(moved, 0);
    for (k = 0; k < 4; k++)
        CHECK_MSG(count[k] >= 4, "shard %d has %d of 40", k, count[k]);
    /* ignored unknown durations are "no durations" */
    {
        int64_t ms[NK];
        for (k = 0; k < NK; k++)
            ms[k] = -1;
        CHECK_INT(run__shard_assign(keys, ms, NK - 1, 4, c), 0);
        CHECK(memcmp(a, c, sizeof(int) * (NK - 1)) == 0);
    }
}

/* With durations: longest first onto the least loaded shard. */
static void test_by_time(void)
{
    const char *k6[] = { "a", "b", "c", "d", "e", "f" };
    int64_t ms6[] = { 8000, 1000, 7000, 2000, 3000, -1 };  /* f: median */
    int out[6], o40[NK], k;
    int64_t load[2] = { 0, 0 }, ms[NK], lk[4] = { 0 }, total = 0, mx = 0;

    CHECK_INT(run__shard_assign(k6, ms6, 6, 2, out), 1);
    /* a 8000 -> 0; c 7000 -> 1; e 3000 -> 1 (10000); f 3000 (median of
     * 1000 2000 3000 7000 8000) -> 0 (11000); d 2000 -> 1; b -> 0 */
    CHECK_INT(out[0], 0);
    CHECK_INT(out[2], 1);
    CHECK_INT(out[4], 1);
    CHECK_INT(out[5], 0);
    CHECK_INT(out[3], 1);
    CHECK_INT(out[1], 0);
    for (k = 0; k < 6; k++)
        load[out[k]] += ms6[k] < 0 ? 3000 : ms6[k];
    CHECK_INT(load[0], 12000);
    CHECK_INT(load[1], 12000);
    /* 40 tasks of uneven length: the largest shard within 10 % of ideal */
    for (k = 0; k < NK - 1; k++) {
        ms[k] = 500 + (k * 7919) % 9000;
        total += ms[k];
    }
    CHECK_INT(run__shard_assign(keys, ms, NK - 1, 4, o40), 1);
    for (k = 0; k < NK - 1; k++)
        lk[o40[k]] += ms[k];
    for (k = 0; k < 4; k++)
        mx = lk[k] > mx ? lk[k] : mx;
    CHECK_MSG(mx * 4 <= total * 11 / 10, "largest %lld of ideal %lld",
              (long long)mx, (long long)(total / 4));
    CHECK_INT(run__shard_assign(keys, ms, 0, 4, o40), 0);  /* none */
}

/* ---- merge -------------------------------------------------------------- */
static cJSON *doc(int index, int count, int code, const char *const *files,
                  int n, double ms, const char *suite, double calls)
{
    char txt[4096];
    size_t u;
    int k;

    u = (size_t)snprintf(txt, sizeof txt, "{\"schema_version\":1,"
        "\"status\":\"%s\",\"exit_code\":%d,\"passed\":%d,\"failed\":%d,"
        "\"flaky\":0,\"skipped\":0,\"duration_ms\":%g,\"retries\":1,",
        code ? "failed" : "passed", code, code ? n - 1 : n, code ? 1 : 0,
        ms);
    if (count)
        u += (size_t)snprintf(txt + u, sizeof txt - u, "\"shard\":{"
            "\"index\":%d,\"count\":%d},", index, count);
    if (suite)
        u += (size_t)snprintf(txt + u, sizeof txt - u, "\"llm\":{"
            "\"suite\":\"%s\",\"calls\":%g,\"tokens\":%g,\"cost\":0.5},",
            suite, calls, calls * 100);
    u += (size_t)snprintf(txt + u, sizeof txt - u, "\"tasks\":[");
    for (k = 0; k < n; k++)
        u += (size_t)snprintf(txt + u, sizeof txt - u, "%s{\"file\":\"s/%s\","
            "\"key\":\"%s\",\"exit_code\":0}", k ? "," : "", files[k],
            files[k]);
    snprintf(txt + u, sizeof txt - u, "]}");
    return cJSON_Parse(txt);
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : -999;
}

static void test_merge(void)
{
    const char *f1[] = { "a.json", "b.json" }, *f2[] = { "c.json" };
    const char *f3[] = { "b.json" };
    const char *names[] = { "s1.json", "s2.json", "s3.json" };
    cJSON *d[3], *m;
    char err[512];

    d[0] = doc(1, 2, 0, f1, 2, 3000, "run-7", 2);
    d[1] = doc(2, 2, 3, f2, 1, 5000, "run-7", 3);
    m = run__shard_merge((const cJSON *const *)d, names, 2, err, sizeof err);
    CHECK(m != NULL);
    CHECK_INT(num(m, "exit_code"), 3);
    CHECK_INT(num(m, "passed"), 2);
    CHECK_INT(num(m, "failed"), 1);
    CHECK_INT(num(m, "duration_ms"), 5000);
    CHECK_INT(num(m, "retries"), 1);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(m, "tasks")), 3);
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItem(m, "shards")), 2);
    /* one suite id shared: its total counted once, the larger figure */
    CHECK_INT(num(cJSON_GetObjectItem(m, "llm"), "calls"), 3);
    CHECK_INT(num(cJSON_GetObjectItem(m, "llm"), "tokens"), 300);
    cJSON_Delete(m);
    cJSON_Delete(d[1]);
    /* distinct suite ids: summed */
    d[1] = doc(2, 2, 0, f2, 1, 5000, "run-8", 3);
    m = run__shard_merge((const cJSON *const *)d, names, 2, err, sizeof err);
    CHECK_INT(num(cJSON_GetObjectItem(m, "llm"), "calls"), 5);
    CHECK_INT(num(m, "exit_code"), 0);
    cJSON_Delete(m);
    /* the same shard twice */
    d[2] = doc(1, 2, 0, f2, 1, 100, NULL, 0);
    d[1] = (cJSON_Delete(d[1]), d[2]);
    d[2] = NULL;
    CHECK(run__shard_merge((const cJSON *const *)d, names, 2, err,
                           sizeof err) == NULL);
    CHECK_CONTAINS(err, "s2.json: shard 1/2 again");
    cJSON_Delete(d[1]);
    /* shards of different N */
    d[1] = doc(2, 3, 0, f2, 1, 100, NULL, 0);
    CHECK(run__shard_merge((const cJSON *const *)d, names, 2, err,
                           sizeof err) == NULL);
    CHECK_CONTAINS(err, "s2.json: a shard of 3, but s1.json is a shard of 2");
    cJSON_Delete(d[1]);
    /* overlapping tasks */
    d[1] = doc(2, 2, 0, f3, 1, 100, NULL, 0);
    CHECK(run__shard_merge((const cJSON *const *)d, names, 2, err,
                           sizeof err) == NULL);
    CHECK_CONTAINS(err, "s2.json: task b.json is also in s1.json");
    cJSON_Delete(d[1]);
    /* the --setup task runs in every shard: not an overlap */
    d[1] = doc(2, 2, 0, f3, 1, 100, NULL, 0);
    cJSON_AddTrueToObject(cJSON_GetArrayItem(cJSON_GetObjectItem(d[1],
                                                                 "tasks"), 0),
                          "setup");
    cJSON_AddTrueToObject(cJSON_GetArrayItem(cJSON_GetObjectItem(d[0],
                                                                 "tasks"), 1),
                          "setup");
    m = run__shard_merge((const cJSON *const *)d, names, 2, err, sizeof err);
    CHECK(m != NULL);
    cJSON_Delete(m);
    cJSON_DeleteItemFromObject(cJSON_GetArrayItem(cJSON_GetObjectItem(d[0],
                               "tasks"), 1), "setup");
    cJSON_Delete(d[1]);
    /* not a smoke document; a whole run with a shard */
    d[1] = cJSON_Parse("{\"tasks\":3}");
    CHECK(run__shard_merge((const cJSON *const *)d, names, 2, err,
                           sizeof err) == NULL);
    CHECK_CONTAINS(err, "s2.json: not a `cdpilot smoke --json` document");
    cJSON_Delete(d[1]);
    d[1] = doc(0, 0, 0, f2, 1, 100, NULL, 0);
    CHECK(run__shard_merge((const cJSON *const *)d, names, 2, err,
                           sizeof err) == NULL);
    CHECK_CONTAINS(err, "s2.json: is not a shard, but s1.json is");
    cJSON_Delete(d[1]);
    cJSON_Delete(d[0]);
}

static void test_worse(void)
{
    CHECK_INT(run__smoke_worse(0, 2), 2);
    CHECK_INT(run__smoke_worse(2, 1), 1);
    CHECK_INT(run__smoke_worse(1, 4), 4);
    CHECK_INT(run__smoke_worse(3, 4), 3);
    CHECK_INT(run__smoke_worse(4, 0), 4);
}

int main(void)
{
    make_keys();
    test_parse();
    test_by_file();
    test_by_time();
    test_merge();
    test_worse();
    return T_DONE();
}
