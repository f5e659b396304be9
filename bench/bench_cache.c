/* bench_cache.c -- what a cached step costs: median microseconds of a
 * warm cache_lookup, and of lookup + cache_hit_ok (the runner's path for a
 * validated hit), on a database of 10,000 entries; plus cache_open and a
 * full cache_check on that file. Usage: bench_cache [N_ENTRIES] [DIR]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cache/cache.h"
#include "../util/util.h"

#define ROUNDS 5000

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

static double median(int64_t *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp64);
    return n % 2 ? (double)v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* Builds an export document with N entries and imports it (one
 * transaction), so setting up does not take N commits. */
static int fill(struct cache *c, int n)
{
    ut_buf b;
    char err[512];
    int64_t got = 0;
    int i, rc = 0;

    ut_buf_init(&b, UT_MAX_FILE);
    rc |= ut_buf_adds(&b, "{\"cdpilot_cache\":1,\"schema_version\":2,"
                          "\"entries\":[");
    for (i = 0; i < n; i++)
        rc |= ut_buf_addf(&b, "%s{\"origin\":\"http://127.0.0.1:%d\","
                          "\"route\":\"/item/:n\",\"kind\":\"click\","
                          "\"intent\":\"button %d\",\"selector\":"
                          "\"#main > div.list > button:nth-of-type(%d)\","
                          "\"fingerprint\":\"{\\\"tag\\\":\\\"button\\\","
                          "\\\"name\\\":\\\"Button %d\\\"}\",\"source\":"
                          "\"heuristic\",\"confidence\":0.9,\"successes\":3}",
                          i ? "," : "", 8000 + i % 20, i, i % 50 + 1, i);
    rc |= ut_buf_adds(&b, "]}");
    if (rc || cache_import(c, b.p, b.len, &got, err, sizeof err) ||
        got != n) {
        fprintf(stderr, "fill: %s\n", rc ? "buffer" : err);
        ut_buf_free(&b);
        return -1;
    }
    ut_buf_free(&b);
    return 0;
}

int main(int argc, char **argv)
{
    long n = 10000;
    char dir[] = "/tmp/cdpilot-bench-cache.XXXXXX", path[512], err[512];
    char origin[64], intent[64];
    static int64_t t_look[ROUNDS], t_both[ROUNDS];
    struct cache *c = NULL;
    struct cache_entry e;
    int64_t t0, t_open, t_check;
    int i, misses = 0;

    if (argc > 1 && ut_parse_long(argv[1], 1, 1000000, &n) != 0) {
        fprintf(stderr, "usage: bench_cache [N_ENTRIES 1..1000000] [DIR]\n");
        return 2;
    }
    if (!mkdtemp(dir))
        return 2;
    snprintf(path, sizeof path, "%s/cache.db", argc > 2 ? argv[2] : dir);
    if (cache_open(path, 5000, &c, err, sizeof err) || fill(c, (int)n)) {
        fprintf(stderr, "bench_cache: %s\n", err);
        return 1;
    }
    cache_close(c);
    t0 = ut_now_us();
    if (cache_open(path, 5000, &c, err, sizeof err)) {
        fprintf(stderr, "bench_cache: %s\n", err);
        return 1;
    }
    t_open = ut_now_us() - t0;
    t0 = ut_now_us();
    if (cache_check(c) != CACHE_OK)
        fprintf(stderr, "check: %s\n", cache_errmsg(c));
    t_check = ut_now_us() - t0;
    srand(7);
    for (i = 0; i < ROUNDS; i++) {
        int j = rand() % (int)n;
        struct cache_key k = {origin, "/item/:n", "click", intent};

        snprintf(origin, sizeof origin, "http://127.0.0.1:%d", 8000 + j % 20);
        snprintf(intent, sizeof intent, "Button %d", j);
        t0 = ut_now_us();
        if (cache_lookup(c, &k, &e) != CACHE_OK)
            misses++;
        t_look[i] = ut_now_us() - t0;
        cache_entry_clear(&e);
        t0 = ut_now_us();
        if (cache_lookup(c, &k, &e) != CACHE_OK)
            misses++;
        cache_entry_clear(&e);
        if (cache_hit_ok(c, &k) != CACHE_OK)
            misses++;
        t_both[i] = ut_now_us() - t0;
    }
    cache_close(c);
    printf("entries %ld, rounds %d, misses %d\n", n, ROUNDS, misses);
    printf("open %.2f ms, integrity_check %.2f ms\n", t_open / 1000.0,
           t_check / 1000.0);
    printf("lookup median %.1f us; lookup + hit_ok median %.1f us\n",
           median(t_look, ROUNDS), median(t_both, ROUNDS));
    ut_rm_rf(dir);
    return misses ? 1 : 0;
}
