/* smoke_merge.c -- `cdpilot smoke-merge SHARD.json...`: the --json
 * documents of `smoke --shard i/N` runs (or of any smoke runs over
 * distinct tasks) merged into one summary on stderr, one --json document
 * of smoke's shape, one JUnit XML written by smoke's own writer from the
 * merged data, and the --report page. The exit code is the worst of the
 * shards'. The tasks' durations go to the cache for the next split. */
#include "smoke_int.h"
#include "shard_int.h"
#include "../cache/cache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MERGE_MAX_FILES SHARD_MAX
#define MERGE_MAX_DOC   (256u * 1024 * 1024)

enum { MO_JSON = RUN_O__COMMON, MO_JUNIT, MO_REPORT };
static const struct run_optdef merge_opts[] = {
    { "--json", NULL, 1, MO_JSON },
    { "--junit", NULL, 1, MO_JUNIT },
    { "--report", NULL, 1, MO_REPORT },
    { NULL, NULL, 0, 0 }
};

struct merge {
    const char *json, *junit, *report;
    const char *files[MERGE_MAX_FILES];
    cJSON *docs[MERGE_MAX_FILES];
    size_t n;
    struct run_opts o;           /* --cache, --no-cache, -q */
};

static int parse(int argc, char **argv, struct merge *m)
{
    struct run_optscan sc = { .argc = argc, .argv = argv,
                              .cmd = "smoke-merge",
                              .common = RUN_OPT_BIT(RUN_O_CACHE) |
                                  RUN_OPT_BIT(RUN_O_NO_CACHE) |
                                  RUN_OPT_BIT(RUN_O_QUIET) };
    int id;

    while ((id = run_opt_next(&sc, merge_opts)) != RUN_OPT_END) {
        if (id == RUN_OPT_BAD)
            return -1;
        if (id == RUN_OPT_WORD) {
            if (m->n == MERGE_MAX_FILES) {
                run_usage_err("smoke-merge", "more than %d files",
                              MERGE_MAX_FILES);
                return -1;
            }
            m->files[m->n++] = sc.value;
        } else if (id == MO_JSON) {
            m->json = sc.value;
        } else if (id == MO_JUNIT) {
            m->junit = sc.value;
        } else if (id == MO_REPORT) {
            if (run_report_html_check("smoke-merge", sc.value))
                return -1;
            m->report = sc.value;
        } else if (run_opt_apply(&m->o, id, sc.value, "smoke-merge")) {
            return -1;
        }
    }
    if (!m->n) {
        run_usage_err("smoke-merge", "needs the shards' `smoke --json` "
                      "files");
        return -1;
    }
    return 0;
}

static int load(struct merge *m)
{
    char err[512];
    size_t i, len;

    for (i = 0; i < m->n; i++) {
        char *text = ut_read_file(m->files[i], MERGE_MAX_DOC, &len, err,
                                  sizeof err);
        if (!text) {
            fprintf(stderr, "cdpilot: smoke-merge: %s\n", err);
            return -1;
        }
        m->docs[i] = cJSON_ParseWithLength(text, len);
        free(text);
        if (!m->docs[i]) {
            fprintf(stderr, "cdpilot: smoke-merge: %s: not JSON (not a "
                    "`cdpilot smoke --json` document)\n", m->files[i]);
            return -1;
        }
    }
    return 0;
}

/* ---- the merged data as smoke's structs, for its JUnit writer ---------- */
static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *k, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/* One attempt from its report R (borrowed: the struct points into it). */
static void attempt_of(struct attempt *a, cJSON *r)
{
    a->code = (int)jnum(r, "exit_code", 1);
    a->ms = (int64_t)jnum(r, "duration_ms", 0);
    a->report = r;
    a->err = (char *)jstr(r, "stderr");
}

static int task_of(struct smoke_task *t, cJSON *r)
{
    cJSON *f, *fa = cJSON_GetObjectItemCaseSensitive(r, "failed_attempts");
    const char *status = jstr(r, "status");
    int k = 0, natt = (int)jnum(r, "attempts", 0);

    t->file = (char *)jstr(r, "file");
    t->name = (char *)jstr(r, "task");
    t->label = t->name ? t->name : t->file;
    t->trace = (char *)jstr(r, "trace");
    t->flaky = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "flaky"));
    t->code = (int)jnum(r, "exit_code", 0);
    t->skip_reason = jstr(r, "reason");
    t->state = status && !strcmp(status, "skipped") ? TASK_SKIPPED
                                                    : TASK_DONE;
    t->att = calloc((size_t)cJSON_GetArraySize(fa) + 1, sizeof *t->att);
    if (!t->att)
        return -1;
    cJSON_ArrayForEach(f, fa)
        attempt_of(&t->att[k++], f);
    if (natt > 0)
        attempt_of(&t->att[k++], r);
    t->natt = k;
    return 0;
}

static int write_junit(const struct merge *m, cJSON *doc)
{
    cJSON *tasks = cJSON_GetObjectItemCaseSensitive(doc, "tasks"), *r;
    struct smoke s;
    char err[RUN_ERR_LEN];
    size_t i = 0;
    int rc = -1;

    memset(&s, 0, sizeof s);
    s.so.junit = m->junit;
    s.so.retries = (int)jnum(doc, "retries", 0);
    s.tasks = calloc((size_t)cJSON_GetArraySize(tasks) + 1, sizeof *s.tasks);
    if (!s.tasks)
        goto out;
    cJSON_ArrayForEach(r, tasks)
        if (task_of(&s.tasks[s.ntasks++], r))
            goto out;
    rc = run__smoke_write_junit(&s, (int64_t)jnum(doc, "duration_ms", 0),
                                err, sizeof err);
    if (rc)
        fprintf(stderr, "cdpilot: smoke-merge: %s\n", err);
out:
    for (i = 0; s.tasks && i < s.ntasks; i++)
        free(s.tasks[i].att);
    free(s.tasks);
    if (rc && !s.tasks)
        fprintf(stderr, "cdpilot: smoke-merge: out of memory\n");
    return rc;
}

/* ---- outputs ------------------------------------------------------------ */
static void summary(const struct merge *m, const cJSON *doc)
{
    const cJSON *t, *l = cJSON_GetObjectItemCaseSensitive(doc, "llm");

    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(doc, "tasks")) {
        const char *st = jstr(t, "status"), *lab = jstr(t, "task");
        if (!lab)
            lab = jstr(t, "file");
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "flaky")))
            fprintf(stderr, "FLAKY %s  passed on attempt %g\n", lab,
                    jnum(t, "attempts", 0));
        else if (st && !strcmp(st, "skipped"))
            fprintf(stderr, "SKIP  %s  %s\n", lab, jstr(t, "reason") ?
                    jstr(t, "reason") : "not run");
        else if (jnum(t, "exit_code", 0) != 0)
            fprintf(stderr, "FAIL  %s  %s (exit %g)%s%s\n", lab,
                    jstr(t, "file"), jnum(t, "exit_code", 1),
                    jstr(t, "error") ? ": " : "",
                    jstr(t, "error") ? jstr(t, "error") : "");
        else if (!m->o.quiet)
            fprintf(stderr, "ok    %s  %.1f s\n", lab,
                    jnum(t, "duration_ms", 0) / 1000.0);
    }
    fprintf(stderr, "smoke: %zu shard%s, %d tasks: %g passed, %g failed, "
            "%g flaky", m->n, m->n == 1 ? "" : "s",
            cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc,
                                                                "tasks")),
            jnum(doc, "passed", 0), jnum(doc, "failed", 0),
            jnum(doc, "flaky", 0));
    if (jnum(doc, "skipped", 0) > 0)
        fprintf(stderr, ", %g skipped", jnum(doc, "skipped", 0));
    fprintf(stderr, " in %.1f s (the longest shard)", jnum(doc,
            "duration_ms", 0) / 1000.0);
    if (cJSON_IsObject(l))
        fprintf(stderr, "; LLM %g calls, %g tokens, cost %.4f",
                jnum(l, "calls", 0), jnum(l, "tokens", 0),
                jnum(l, "cost", 0));
    fputc('\n', stderr);
}

/* The tasks' last durations into the cache: the next split's balance. */
static void save_times(const struct merge *m, const cJSON *doc)
{
    const cJSON *tasks = cJSON_GetObjectItemCaseSensitive(doc, "tasks"), *t;
    size_t cap = (size_t)cJSON_GetArraySize(tasks) + 1, n = 0;
    const char **keys = calloc(cap, sizeof *keys);
    int64_t *ms = calloc(cap, sizeof *ms);
    struct cache *c = NULL;
    char err[512];

    cJSON_ArrayForEach(t, tasks) {
        if (!keys || !ms || !jstr(t, "key") || jnum(t, "attempts", 0) < 1 ||
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "setup")))
            continue;
        keys[n] = jstr(t, "key");
        ms[n++] = (int64_t)jnum(t, "duration_ms", 0);
    }
    if (n && !m->o.no_cache &&
        cache_open(m->o.cache_path ? m->o.cache_path : getenv("CDPILOT_CACHE"),
                   2000, &c, err, sizeof err) == CACHE_OK &&
        cache_task_times_put(c, keys, ms, n) != CACHE_OK)
        fprintf(stderr, "cdpilot: smoke-merge: warning: task durations not "
                "saved: %s\n", cache_errmsg(c));
    cache_close(c);
    free(keys);
    free(ms);
}

static int write_json(const char *path, const cJSON *doc)
{
    char *txt = cJSON_Print(doc);
    int rc = 0;

    if (!txt)
        rc = -1, errno = ENOMEM;
    else if (!strcmp(path, "-"))
        rc = (fputs(txt, stdout) < 0 || fputc('\n', stdout) < 0) ? -1 : 0;
    else
        rc = ut_write_file(path, txt, strlen(txt), 0644);
    if (rc)
        fprintf(stderr, "cdpilot: smoke-merge: --json %s: %s\n", path,
                strerror(errno));
    free(txt);
    return rc;
}

int run_smoke_merge_cmd(int argc, char **argv)
{
    struct merge m;
    cJSON *doc = NULL;
    char err[RUN_ERR_LEN];
    int code = RUN_EXIT_USAGE, i;
    size_t k;

    for (i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            run_help_print("smoke-merge", stdout);
            return RUN_EXIT_OK;
        }
    memset(&m, 0, sizeof m);
    if (parse(argc, argv, &m) || load(&m))
        goto out;
    doc = run__shard_merge((const cJSON *const *)m.docs, m.files, m.n, err,
                           sizeof err);
    if (!doc) {
        fprintf(stderr, "cdpilot: smoke-merge: %s\n", err);
        goto out;
    }
    code = (int)jnum(doc, "exit_code", RUN_EXIT_FAILED);
    summary(&m, doc);
    save_times(&m, doc);
    if ((m.junit && write_junit(&m, doc)) ||
        (m.report && run_report_html(m.report, doc, err, sizeof err) &&
         fprintf(stderr, "cdpilot: smoke-merge: %s\n", err)) ||
        (m.json && write_json(m.json, doc)))
        code = code ? code : RUN_EXIT_USAGE;
out:
    cJSON_Delete(doc);
    for (k = 0; k < m.n; k++)
        cJSON_Delete(m.docs[k]);
    return code;
}
