/* bench_cdp_floor.c -- the floor of one CDP round trip: launch Chromium
 * ($CDPILOT_CHROME or /usr/lib/chromium/chromium), open a page at URL
 * (default about:blank), then 200 warm-up and 2000 timed sequential
 * Runtime.evaluate("1+1") calls. Prints one JSON line: median and p95 in
 * microseconds, peak RSS in KB. Exit 1 on any failure.
 *   bench_cdp_floor [URL] [N] */
#include "../cdp/cdp.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define WARMUP 200
#define RUNS_DEFAULT 2000

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

static int one_eval(struct cdp_session *s)
{
    cJSON *p = cJSON_CreateObject(), *res = NULL, *v;
    int ok;

    cJSON_AddStringToObject(p, "expression", "1+1");
    cJSON_AddTrueToObject(p, "returnByValue");
    if (cdp_call(s, "Runtime.evaluate", p, 10000, &res) != CDP_OK)
        return -1;
    v = cJSON_GetObjectItem(cJSON_GetObjectItem(res, "result"), "value");
    ok = cJSON_IsNumber(v) && v->valuedouble == 2;
    cJSON_Delete(res);
    return ok ? 0 : -1;
}

static int navigate(struct cdp_session *s, const char *url)
{
    cJSON *p;

    if (strcmp(url, "about:blank") == 0)
        return 0;
    p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "url", url);
    return cdp_call(s, "Page.navigate", p, 30000, NULL) == CDP_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "about:blank";
    long runs = RUNS_DEFAULT;
    struct cdp_launch_opts o = { 0 };
    struct cdp_browser *b = NULL;
    struct cdp_conn *c = NULL;
    struct cdp_session *s = NULL;
    struct rusage ru;
    char err[CDP_ERR_LEN];
    int64_t *lat, t0, total0;
    long i;
    int rc = 1;

    if (argc > 2 && ut_parse_long(argv[2], 1, 10000000, &runs)) {
        fprintf(stderr, "usage: bench_cdp_floor [URL] [N]\n");
        return 2;
    }
    lat = calloc((size_t)runs, sizeof *lat);
    o.path = getenv("CDPILOT_CHROME") ? getenv("CDPILOT_CHROME")
                                      : "/usr/lib/chromium/chromium";
    o.headless = 1;
    o.timeout_ms = 30000;
    if (!lat || cdp_launch(&o, &b, err, sizeof err) != CDP_OK ||
        cdp_connect(cdp_browser_ws_url(b), 10000, &c, err, sizeof err) ||
        cdp_new_page(c, NULL, &s) != CDP_OK || navigate(s, url)) {
        fprintf(stderr, "bench_cdp_floor: %s\n", c ? cdp_errmsg(c) : err);
        goto out;
    }
    for (i = 0; i < WARMUP; i++)
        if (one_eval(s))
            goto fail;
    total0 = ut_now_us();
    for (i = 0; i < runs; i++) {
        t0 = ut_now_us();
        if (one_eval(s))
            goto fail;
        lat[i] = ut_now_us() - t0;
    }
    total0 = ut_now_us() - total0;
    qsort(lat, (size_t)runs, sizeof *lat, cmp_i64);
    getrusage(RUSAGE_SELF, &ru);
    printf("{\"bench\":\"cdp_floor\",\"url\":\"%s\",\"n\":%ld,"
           "\"median_us\":%lld,\"p95_us\":%lld,\"min_us\":%lld,"
           "\"mean_us\":%.1f,\"peak_rss_kb\":%ld,\"browser\":\"%s\"}\n",
           url, runs, (long long)lat[runs / 2],
           (long long)lat[(runs * 95) / 100], (long long)lat[0],
           (double)total0 / (double)runs, ru.ru_maxrss,
           cdp_conn_version(c)->product);
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "bench_cdp_floor: evaluate failed: %s\n", cdp_errmsg(c));
out:
    cdp_browser_close(b, c, 3000);
    cdp_conn_close(c);
    free(lat);
    return rc;
}
