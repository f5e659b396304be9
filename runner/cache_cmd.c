/* cache_cmd.c -- `cdpilot cache stats|list|show|forget|prune|export|
 * import`: the cache file from the command line (docs/CACHE.md). Exit 2
 * for bad usage or input, 1 when another process holds the cache. */
#include "exec_int.h"
#include "../cache/cache.h"
#include "../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IMPORT (256u * 1024 * 1024)

static const char cache_usage[] =
"usage: cdpilot cache stats|list [ORIGIN]|show INTENT|forget ORIGIN "
"[INTENT]|\n"
"                     prune [--older-than DAYS] [--failures N]|export "
"[FILE]|import FILE\n"
"       [--cache FILE] [--json]\n";

enum { CO_OLDER_THAN = RUN_O__COMMON, CO_FAILURES };
static const struct run_optdef cache_opts[] = {
    { "--older-than", NULL, 1, CO_OLDER_THAN },
    { "--failures", NULL, 1, CO_FAILURES },
    { NULL, NULL, 0, 0 }
};

struct cache_args {
    const char *sub, *pos[4];
    int npos;
    long days, failures;     /* prune's; -1 when not given */
};

/* The words after "cache" into A and O; 0, or -1 (usage error said). */
static int parse_cache_args(int argc, char **argv, struct cache_args *a,
                            struct run_opts *o)
{
    struct run_optscan sc = { .argc = argc, .argv = argv, .i = 1,
                              .cmd = "cache",
                              .common = RUN_OPT_BIT(RUN_O_CACHE) |
                                        RUN_OPT_BIT(RUN_O_JSON) };
    int id;

    a->sub = argv[0];
    a->days = a->failures = -1;
    while ((id = run_opt_next(&sc, cache_opts)) != RUN_OPT_END) {
        if (id == RUN_OPT_BAD)
            return -1;
        if (id == RUN_OPT_WORD) {
            if (a->npos < 4)
                a->pos[a->npos++] = sc.value;
        } else if (id == CO_OLDER_THAN) {
            if (ut_parse_long(sc.value, 0, 100000, &a->days)) {
                fprintf(stderr, "cdpilot: cache prune: --older-than takes "
                        "a number of days\n");
                return -1;
            }
        } else if (id == CO_FAILURES) {
            if (ut_parse_long(sc.value, 1, 1000000, &a->failures)) {
                fprintf(stderr, "cdpilot: cache prune: --failures takes a "
                        "positive number\n");
                return -1;
            }
        } else if (run_opt_apply(o, id, sc.value, "cache")) {
            return -1;
        }
    }
    return 0;
}

static cache_code cmd_export(struct cache *c, const struct cache_args *a,
                             int *code)
{
    FILE *out = stdout;
    cache_code rc;

    if (a->npos && strcmp(a->pos[0], "-") &&
        !(out = fopen(a->pos[0], "w"))) {
        fprintf(stderr, "cdpilot: cache export: %s: cannot write\n",
                a->pos[0]);
        *code = RUN_EXIT_USAGE;
        return CACHE_OK;
    }
    rc = cache_export(c, out);
    if (out != stdout && fclose(out) != 0 && rc == CACHE_OK)
        rc = CACHE_E_IO;
    return rc;
}

static cache_code cmd_import(struct cache *c, const struct cache_args *a,
                             int *code)
{
    char err[RUN_ERR_LEN], *text;
    int64_t n = 0;
    size_t len;
    cache_code rc;

    if (a->npos != 1) {
        fputs(cache_usage, stderr);
        *code = RUN_EXIT_USAGE;
        return CACHE_OK;
    }
    if (!(text = ut_read_file(a->pos[0], MAX_IMPORT, &len, err,
                              sizeof err))) {
        fprintf(stderr, "cdpilot: cache import: %s\n", err);
        *code = RUN_EXIT_USAGE;
        return CACHE_OK;
    }
    rc = cache_import(c, text, len, &n, err, sizeof err);
    free(text);
    if (rc == CACHE_OK) {
        printf("imported %lld entries\n", (long long)n);
    } else if (rc == CACHE_E_INPUT) {
        fprintf(stderr, "cdpilot: cache import: %s: %s\n", a->pos[0], err);
        *code = RUN_EXIT_USAGE;
        rc = CACHE_OK;
    }
    return rc;
}

/* Subcommand A->sub on C; its cache_code (CACHE_OK when *CODE says). */
static cache_code run_sub(struct cache *c, const struct cache_args *a,
                          const struct run_opts *o, int *code)
{
    const char *sub = a->sub;
    cache_code rc = CACHE_OK;
    int64_t n = 0;

    if (!strcmp(sub, "stats"))
        return cache_stats_print(c, stdout, o->json);
    if (!strcmp(sub, "list"))
        return cache_list(c, a->npos ? a->pos[0] : NULL, stdout, o->json);
    if (!strcmp(sub, "show") && a->npos == 1)
        return cache_show(c, a->pos[0], stdout, o->json);
    if (!strcmp(sub, "export"))
        return cmd_export(c, a, code);
    if (!strcmp(sub, "import"))
        return cmd_import(c, a, code);
    if (!strcmp(sub, "forget") && a->npos >= 1) {
        rc = cache_forget(c, a->pos[0], a->npos > 1 ? a->pos[1] : NULL, &n);
        if (rc == CACHE_OK)
            printf("forgot %lld entries\n", (long long)n);
    } else if (!strcmp(sub, "prune") && (a->days >= 0 || a->failures >= 0)) {
        rc = cache_prune(c, a->days < 0 ? -1 : a->days * 86400000LL,
                         a->failures, &n);
        if (rc == CACHE_OK)
            printf("pruned %lld entries\n", (long long)n);
    } else if (!strcmp(sub, "prune")) {
        fprintf(stderr, "cdpilot: cache prune: give --older-than DAYS "
                "and/or --failures N\n");
        *code = RUN_EXIT_USAGE;
    } else if (!strcmp(sub, "show") || !strcmp(sub, "forget")) {
        fputs(cache_usage, stderr);
        *code = RUN_EXIT_USAGE;
    } else {
        fprintf(stderr, "cdpilot: cache: unknown subcommand \"%s\"\n%s", sub,
                cache_usage);
        *code = RUN_EXIT_USAGE;
    }
    return rc;
}

int run_cache_cmd(int argc, char **argv, struct run_opts *o)
{
    struct cache_args a;
    struct cache *c = NULL;
    char err[RUN_ERR_LEN];
    int code = RUN_EXIT_OK;
    cache_code rc;

    if (argc < 1) {
        fputs(cache_usage, stderr);
        return RUN_EXIT_USAGE;
    }
    memset(&a, 0, sizeof a);
    if (parse_cache_args(argc, argv, &a, o))
        return RUN_EXIT_USAGE;
    rc = cache_open(o->cache_path ? o->cache_path : getenv("CDPILOT_CACHE"),
                    5000, &c, err, sizeof err);
    if (rc != CACHE_OK) {
        fprintf(stderr, "cdpilot: cache: %s\n", err);
        /* Locked by another process: try again later, not bad usage. */
        return rc == CACHE_E_BUSY ? RUN_EXIT_FAILED : RUN_EXIT_USAGE;
    }
    rc = run_sub(c, &a, o, &code);
    if (rc != CACHE_OK) {
        fprintf(stderr, "cdpilot: cache %s: %s\n", a.sub, cache_errmsg(c));
        code = rc == CACHE_E_BUSY ? RUN_EXIT_FAILED : RUN_EXIT_USAGE;
    }
    cache_close(c);
    return code;
}
