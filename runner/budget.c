/* budget.c -- LLM budgets beyond the profile's: --llm-max-calls and
 * --llm-max-cost cap one run (run, do), and with --suite-id (which smoke
 * hands every task) the whole suite: each call first reserves its place
 * in the cache's suite_budgets row of the suite, in one transaction, so
 * that all the processes of a suite (smoke's children, and the shards on
 * one machine that share the cache and the id) draw on one budget. A
 * call the budget refuses fails its step as "LLM budget spent" (exit 4).
 * Their spend is what the smoke summary shows. */
#include "live_int.h"
#include "smoke_int.h"
#include "../cache/cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int suite_gate(void *ud, char *why, size_t n)
{
    struct run_live *e = ud;
    struct cache_spend now;
    cache_code rc;

    rc = cache_suite_reserve(e->cache, e->o->suite_id, e->o->llm_max_calls,
                             e->o->llm_max_cost, &now);
    if (rc == CACHE_OK)
        return 0;
    if (rc == CACHE_MISS)
        snprintf(n ? why : NULL, n, "LLM budget spent: suite %s used %lld "
                 "call%s (cap %s%ld), cost %.4f (cap %s%.4f)",
                 e->o->suite_id, (long long)now.calls, now.calls == 1 ? "" :
                 "s", e->o->llm_max_calls < 0 ? "none " : "",
                 e->o->llm_max_calls < 0 ? 0 : e->o->llm_max_calls, now.cost,
                 e->o->llm_max_cost < 0 ? "none " : "",
                 e->o->llm_max_cost < 0 ? 0 : e->o->llm_max_cost);
    else                         /* no way to know: refuse, say why */
        snprintf(n ? why : NULL, n, "LLM budget of suite %s unknown: %s",
                 e->o->suite_id, cache_errmsg(e->cache));
    return 1;
}

static void suite_spent(void *ud, long tokens, double cost)
{
    struct run_live *e = ud;

    if (cache_suite_add(e->cache, e->o->suite_id, tokens, cost) != CACHE_OK)
        fprintf(stderr, "cdpilot: warning: suite %s: LLM spend not "
                "recorded: %s\n", e->o->suite_id, cache_errmsg(e->cache));
}

void run__budget_setup(struct run_live *e)
{
    struct llm_config *c = &e->conf.llm;

    if (e->o->llm_max_calls >= 0)
        c->max_calls = (int)e->o->llm_max_calls;
    if (e->o->llm_max_cost > 0)
        c->max_cost = e->o->llm_max_cost;
    else if (e->o->llm_max_cost == 0)
        c->max_calls = 0;                  /* no cost allowed: no call */
    if (e->o->suite_id && e->cache) {
        c->gate = suite_gate;
        c->spent = suite_spent;
        c->budget_ud = e;
    }
}

int run__suite_spend(const struct run_opts *o, const char *suite,
                     struct cache_spend *out)
{
    struct cache *c = NULL;
    char err[512];
    cache_code rc;

    memset(out, 0, sizeof *out);
    if (o->no_cache || cache_open(o->cache_path ? o->cache_path
                                  : getenv("CDPILOT_CACHE"), 2000, &c, err,
                                  sizeof err) != CACHE_OK)
        return -1;
    rc = cache_suite_get(c, suite, out);
    cache_close(c);
    return rc == CACHE_OK || rc == CACHE_MISS ? 0 : -1;
}
