/* tools.c -- `cdpilot doctor` and `cdpilot cache …`. */
#include "exec_int.h"
#include "../cdp/cdp.h"
#include "../cache/cache.h"
#include "../llm/llm.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_IMPORT (256u * 1024 * 1024)

/* One doctor line: "  ok  browser   /usr/bin/chromium (PATH)". */
static void line(int ok, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void line(int ok, const char *what, const char *fmt, ...)
{
    va_list ap;

    printf("%s %-9s ", ok ? "  ok " : "  FAIL", what);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

int run_doctor(const struct run_opts *o)
{
    struct run_profile prof;
    struct cdp_found f;
    struct cdp_browser *b = NULL;
    struct cdp_conn *c = NULL;
    struct cache *cache = NULL;
    struct llm_config lc;
    char err[RUN_ERR_LEN], dir[4096];
    int bad = 0, code = RUN_EXIT_OK;

    if (run_profile_load(o->profile ? o->profile : "default", &prof, err,
                         sizeof err)) {
        line(0, "profile", "%s", err);
        return RUN_EXIT_USAGE;
    }
    line(1, "profile", "%s (profiles from %s)", prof.name,
         run_profiles_dir(dir, sizeof dir));
    if (o->connect) {
        int64_t t0 = ut_now_us();
        if (cdp_connect(o->connect, 10000, &c, err, sizeof err)) {
            line(0, "connect", "%s", err);
            bad = 1;
            code = RUN_EXIT_BROWSER;
        } else {
            line(1, "connect", "%s in %.1f ms", o->connect,
                 (ut_now_us() - t0) / 1000.0);
        }
    } else if (cdp_find_browser(o->chrome, prof.chrome, &f, err, sizeof err)) {
        line(0, "browser", "%s", err);
        bad = 1;
        code = RUN_EXIT_BROWSER;
    } else {
        struct cdp_launch_opts lo;
        int64_t t0 = ut_now_us();
        line(1, "browser", "%s (chosen by %s)", f.path, f.why);
        memset(&lo, 0, sizeof lo);
        lo.path = f.path;
        lo.headless = 1;
        lo.args = (const char *const *)prof.args;
        lo.nargs = prof.nargs;
        lo.timeout_ms = prof.launch_timeout_ms > 0 ? prof.launch_timeout_ms
                                                   : 20000;
        if (cdp_launch(&lo, &b, err, sizeof err) ||
            cdp_connect(cdp_browser_ws_url(b), lo.timeout_ms, &c, err,
                        sizeof err)) {
            line(0, "launch", "%s", err);
            bad = 1;
            code = RUN_EXIT_BROWSER;
        } else {
            line(1, "launch", "headless in %.0f ms, DevTools on 127.0.0.1 "
                 "only, sandbox %s", (ut_now_us() - t0) / 1000.0,
                 cdp_browser_no_sandbox(b) ? "off (running as root)" : "on");
        }
    }
    if (c) {
        const struct cdp_version *v = cdp_conn_version(c);
        int64_t t0 = ut_now_us();
        cdp_code rc = cdp_call(cdp_browser_session(c), "Browser.getVersion",
                               NULL, 5000, NULL);
        line(1, "version", "%s, protocol %s", v->product, v->protocol);
        if (rc == CDP_OK)
            line(1, "cdp", "round trip %.0f us", (double)(ut_now_us() - t0));
        else {
            line(0, "cdp", "%s", cdp_errmsg(c));
            bad = 1;
            code = RUN_EXIT_BROWSER;
        }
    }
    cdp_browser_close(b, c, 3000);
    cdp_conn_close(c);
    if (o->no_cache) {
        line(1, "cache", "disabled (--no-cache)");
    } else {
        const char *path = o->cache_path ? o->cache_path
                           : getenv("CDPILOT_CACHE") ? getenv("CDPILOT_CACHE")
                           : prof.cache_path;
        cache_code crc = cache_open(path, 2000, &cache, err, sizeof err);
        if (crc != CACHE_OK) {
            line(0, "cache", "%s", err);
            bad = 1;
            if (!code)      /* a lock is temporary, not bad usage */
                code = crc == CACHE_E_BUSY ? RUN_EXIT_FAILED : RUN_EXIT_USAGE;
        } else {
            struct cache_stats st;
            memset(&st, 0, sizeof st);
            cache_stats(cache, &st);
            line(1, "cache", "%s (%lld entries, writable)", cache_path(cache),
                 (long long)st.entries);
            cache_close(cache);
        }
    }
    memset(&lc, 0, sizeof lc);
    lc.url = prof.llm_url;
    lc.model = prof.llm_model;
    if (o->no_llm)
        line(1, "llm", "disabled (--no-llm)");
    else if (llm_config_from_env(&lc))
        line(1, "llm", "%s at %s (key %s)", lc.model, lc.url,
             lc.api_key || (prof.llm_key_env && getenv(prof.llm_key_env))
             ? "set" : "not set");
    else
        line(1, "llm", "not configured: uncertain plain-words targets fail "
             "with exit 4 (set CDPILOT_LLM_URL and CDPILOT_LLM_MODEL)");
    run_profile_free(&prof);
    printf("%s\n", bad ? "doctor: problems found" : "doctor: all good");
    return code;
}

/* ---- cache --------------------------------------------------------------- */
static const char cache_usage[] =
"usage: cdpilot cache stats|list [ORIGIN]|show INTENT|forget ORIGIN "
"[INTENT]|\n"
"                     prune [--older-than DAYS] [--failures N]|export "
"[FILE]|import FILE\n"
"       [--cache FILE] [--json]\n";

int run_cache_cmd(int argc, char **argv, struct run_opts *o)
{
    const char *sub, *pos[4] = {0};
    int npos = 0, i, code = RUN_EXIT_OK;
    long days = -1, failures = -1;
    struct cache *c = NULL;
    char err[RUN_ERR_LEN];
    cache_code rc = CACHE_OK;

    if (argc < 1) {
        fputs(cache_usage, stderr);
        return RUN_EXIT_USAGE;
    }
    sub = argv[0];
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--older-than") && i + 1 < argc) {
            if (ut_parse_long(argv[++i], 0, 100000, &days)) {
                fprintf(stderr, "cdpilot: cache prune: --older-than takes "
                        "a number of days\n");
                return RUN_EXIT_USAGE;
            }
        } else if (!strcmp(argv[i], "--failures") && i + 1 < argc) {
            if (ut_parse_long(argv[++i], 1, 1000000, &failures)) {
                fprintf(stderr, "cdpilot: cache prune: --failures takes a "
                        "positive number\n");
                return RUN_EXIT_USAGE;
            }
        } else if (!strcmp(argv[i], "--cache") && i + 1 < argc) {
            o->cache_path = argv[++i];
        } else if (!strcmp(argv[i], "--json")) {
            o->json = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "cdpilot: cache: unknown option \"%s\"\n%s",
                    argv[i], cache_usage);
            return RUN_EXIT_USAGE;
        } else if (npos < 4) {
            pos[npos++] = argv[i];
        }
    }
    rc = cache_open(o->cache_path ? o->cache_path : getenv("CDPILOT_CACHE"),
                    5000, &c, err, sizeof err);
    if (rc != CACHE_OK) {
        fprintf(stderr, "cdpilot: cache: %s\n", err);
        /* Locked by another process: try again later, not bad usage. */
        return rc == CACHE_E_BUSY ? RUN_EXIT_FAILED : RUN_EXIT_USAGE;
    }
    if (!strcmp(sub, "stats")) {
        rc = cache_stats_print(c, stdout, o->json);
    } else if (!strcmp(sub, "list") || !strcmp(sub, "show")) {
        if (!strcmp(sub, "show") && npos != 1) {
            fputs(cache_usage, stderr);
            code = RUN_EXIT_USAGE;
        } else if (!strcmp(sub, "show")) {
            rc = cache_show(c, pos[0], stdout, o->json);
        } else {
            rc = cache_list(c, npos ? pos[0] : NULL, stdout, o->json);
        }
    } else if (!strcmp(sub, "forget")) {
        int64_t n = 0;
        if (npos < 1) {
            fputs(cache_usage, stderr);
            code = RUN_EXIT_USAGE;
        } else if ((rc = cache_forget(c, pos[0], npos > 1 ? pos[1] : NULL,
                                      &n)) == CACHE_OK) {
            printf("forgot %lld entries\n", (long long)n);
        }
    } else if (!strcmp(sub, "prune")) {
        int64_t n = 0;
        if (days < 0 && failures < 0) {
            fprintf(stderr, "cdpilot: cache prune: give --older-than DAYS "
                    "and/or --failures N\n");
            code = RUN_EXIT_USAGE;
        } else if ((rc = cache_prune(c, days < 0 ? -1 :
                                     days * 86400000LL, failures, &n))
                   == CACHE_OK) {
            printf("pruned %lld entries\n", (long long)n);
        }
    } else if (!strcmp(sub, "export")) {
        FILE *out = stdout;
        if (npos && strcmp(pos[0], "-") && !(out = fopen(pos[0], "w"))) {
            fprintf(stderr, "cdpilot: cache export: %s: cannot write\n",
                    pos[0]);
            code = RUN_EXIT_USAGE;
        } else {
            rc = cache_export(c, out);
            if (out != stdout && fclose(out) != 0 && rc == CACHE_OK)
                rc = CACHE_E_IO;
        }
    } else if (!strcmp(sub, "import")) {
        size_t len;
        char *text;
        int64_t n = 0;
        if (npos != 1) {
            fputs(cache_usage, stderr);
            code = RUN_EXIT_USAGE;
        } else if (!(text = ut_read_file(pos[0], MAX_IMPORT, &len, err,
                                         sizeof err))) {
            fprintf(stderr, "cdpilot: cache import: %s\n", err);
            code = RUN_EXIT_USAGE;
        } else {
            rc = cache_import(c, text, len, &n, err, sizeof err);
            free(text);
            if (rc == CACHE_OK)
                printf("imported %lld entries\n", (long long)n);
            else if (rc == CACHE_E_INPUT) {
                fprintf(stderr, "cdpilot: cache import: %s: %s\n", pos[0],
                        err);
                code = RUN_EXIT_USAGE;
                rc = CACHE_OK;
            }
        }
    } else {
        fprintf(stderr, "cdpilot: cache: unknown subcommand \"%s\"\n%s", sub,
                cache_usage);
        code = RUN_EXIT_USAGE;
    }
    if (rc != CACHE_OK) {
        fprintf(stderr, "cdpilot: cache %s: %s\n", sub, cache_errmsg(c));
        code = rc == CACHE_E_BUSY ? RUN_EXIT_FAILED : RUN_EXIT_USAGE;
    }
    cache_close(c);
    return code;
}
