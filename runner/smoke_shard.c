/* smoke_shard.c -- `smoke --shard I/N`: each task's key (its path relative
 * to the PATH argument it was found under), the shard's part of the
 * suite (shard.c's partition, balanced by the durations the cache keeps
 * when it has them), and each task's last duration written back to the
 * cache after an unsharded run, for the next split (a shard writes none:
 * the shards of one run must all see the same durations; smoke-merge
 * writes the whole suite's). */
#include "smoke_int.h"
#include "shard_int.h"
#include "../cache/cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* FILE's key: relative to the first PATH it lies under; a PATH that is
 * the file itself gives its base name. */
static char *task_key(const struct smoke_opts *so, const char *file)
{
    size_t i, n;

    for (i = 0; i < so->npaths; i++) {
        const char *p = so->paths[i];
        n = strlen(p);
        while (n > 1 && p[n - 1] == '/')
            n--;
        if (!strcmp(file, p)) {
            const char *slash = strrchr(file, '/');
            return ut_strdup(slash ? slash + 1 : file);
        }
        if (!strncmp(file, p, n) && file[n] == '/')
            return ut_strdup(file + n + 1);
        if (n == 1 && p[0] == '/' && file[0] == '/')
            return ut_strdup(file + 1);
    }
    return ut_strdup(file);
}

static const char *cache_file(const struct run_opts *o)
{
    return o->cache_path ? o->cache_path : getenv("CDPILOT_CACHE");
}

/* The last durations of the tasks, -1 when unknown (or no cache). */
static void read_times(const struct smoke *s, const struct run_opts *o,
                       int64_t *ms)
{
    struct cache *c = NULL;
    char err[512];
    size_t k;

    for (k = 0; k < s->ntasks; k++)
        ms[k] = -1;
    if (o->no_cache || cache_open(cache_file(o), 2000, &c, err, sizeof err)
        != CACHE_OK)
        return;
    for (k = 0; k < s->ntasks; k++)
        if (cache_task_time_get(c, s->tasks[k].key, &ms[k]) != CACHE_OK)
            ms[k] = -1;
    cache_close(c);
}

int run__smoke_shard(struct smoke *s, const struct run_opts *o, char *err,
                     size_t errlen)
{
    const char **keys = NULL;
    int64_t *ms = NULL;
    int *part = NULL, rc = -1;
    size_t k, w = 0;

    s->total = s->ntasks;
    for (k = 0; k < s->ntasks; k++)
        if (!(s->tasks[k].key = task_key(&s->so, s->tasks[k].file)))
            return ut_err(err, errlen, -1, "out of memory");
    if (!s->so.shard_n)
        return 0;
    keys = calloc(s->ntasks + 1, sizeof *keys);
    ms = calloc(s->ntasks + 1, sizeof *ms);
    part = calloc(s->ntasks + 1, sizeof *part);
    if (!keys || !ms || !part)
        goto out;
    for (k = 0; k < s->ntasks; k++)
        keys[k] = s->tasks[k].key;
    read_times(s, o, ms);
    s->shard_by_time = run__shard_assign(keys, ms, s->ntasks, s->so.shard_n,
                                         part);
    if (s->shard_by_time < 0)
        goto out;
    for (k = 0; k < s->ntasks; k++) {       /* keep the shard's, in order */
        struct smoke_task *t = &s->tasks[k];
        if (part[k] == s->so.shard_i - 1) {
            s->tasks[w++] = *t;
            continue;
        }
        free(t->file);
        free(t->name);
        free(t->att);
        free(t->key);
    }
    s->ntasks = w;
    rc = 0;
out:
    free(keys);
    free(ms);
    free(part);
    if (rc)
        ut_err(err, errlen, -1, "out of memory");
    return rc;
}

void run__smoke_save_times(const struct smoke *s, const struct run_opts *o)
{
    struct cache *c = NULL;
    const char **keys;
    int64_t *ms;
    char err[512];
    size_t k, n = 0;

    if (o->no_cache || s->so.shard_n)   /* shards: smoke-merge writes */
        return;
    keys = calloc(s->ntasks + 1, sizeof *keys);
    ms = calloc(s->ntasks + 1, sizeof *ms);
    for (k = 0; keys && ms && k < s->ntasks; k++) {
        const struct smoke_task *t = &s->tasks[k];
        if (t->state != TASK_DONE || !t->natt || !t->key || t->setup)
            continue;
        keys[n] = t->key;
        ms[n++] = t->att[t->natt - 1].ms;
    }
    if (n && cache_open(cache_file(o), 2000, &c, err, sizeof err) == CACHE_OK
        && cache_task_times_put(c, keys, ms, n) != CACHE_OK)
        fprintf(stderr, "cdpilot: smoke: warning: task durations not "
                "saved: %s\n", cache_errmsg(c));
    cache_close(c);
    free(keys);
    free(ms);
}

void run__smoke_shard_say(struct smoke *s, int at_end)
{
    if (at_end) {
        fputs("smoke: ", stderr);
        if (s->so.shard_n)
            fprintf(stderr, "shard %d/%d: %zu of %zu tasks: ", s->so.shard_i,
                    s->so.shard_n, s->ntasks, s->total);
    } else if (s->so.shard_n) {
        run__smoke_say(s, "smoke: shard %d/%d: %zu of %zu tasks%s\n",
                       s->so.shard_i, s->so.shard_n, s->ntasks, s->total,
                       s->ntasks ? "" : "; nothing to run in this shard");
    }
}

/* ---- the suite's LLM budget ------------------------------------------- */
static int id_ok(const char *v)
{
    size_t k;

    for (k = 0; v[k]; k++)
        if (!((v[k] >= 'a' && v[k] <= 'z') || (v[k] >= 'A' && v[k] <= 'Z') ||
              (v[k] >= '0' && v[k] <= '9') || strchr("-_.", v[k])))
            return 0;
    return k > 0 && k <= 64;
}

void run__smoke_suite_id(struct smoke *s, const struct run_opts *o)
{
    const char *run = getenv("GITHUB_RUN_ID");
    const char *att = getenv("GITHUB_RUN_ATTEMPT");

    s->max_calls = o->llm_max_calls;
    s->max_cost = o->llm_max_cost;
    if (o->suite_id)
        ut_strlcpy(s->suite_id, o->suite_id, sizeof s->suite_id);
    else if (run && id_ok(run))
        snprintf(s->suite_id, sizeof s->suite_id, "%s-%s", run,
                 att && id_ok(att) ? att : "1");
    else
        snprintf(s->suite_id, sizeof s->suite_id, "smoke-%lld-%ld",
                 (long long)ut_wall_ms(), (long)getpid());
}

void run__smoke_llm_line(struct smoke *s, const struct run_opts *o)
{
    s->has_spend = run__suite_spend(o, s->suite_id, &s->spend) == 0;
    if (!s->has_spend || (!s->spend.calls && s->max_calls < 0 &&
                          s->max_cost < 0))
        return;
    fprintf(stderr, "; LLM %lld call%s, %lld tokens, cost %.4f",
            (long long)s->spend.calls, s->spend.calls == 1 ? "" : "s",
            (long long)s->spend.tokens, s->spend.cost);
    if (s->max_calls >= 0 || s->max_cost >= 0)
        fprintf(stderr, " (suite %s)", s->suite_id);
}
