/* smoke.c -- `cdpilot smoke PATH...`: CI smoke tests. Every *.json under
 * the paths is a task; each runs in a child process of this binary
 * (`cdpilot run FILE --json`), N at a time, each child with its own
 * browser (or its own browser context with --connect), all sharing one
 * cache file. The parent collects each child's JSON report (stdout) and
 * step lines (stderr), retries failures, and writes the human lines, the
 * JUnit XML and the --json document. See docs/SMOKE.md.
 * Here: the command, its options and finding the task files; the job
 * pool is smoke_jobs.c, failures and the reports smoke_report.c.
 *
 * Ownership: a struct smoke owns its tasks, their attempts (parsed
 * reports and captured stderr) and the running jobs; smoke_free() releases
 * everything. Children never outlive the parent: they get SIGTERM when the
 * run stops early, SIGKILL after a grace period, PR_SET_PDEATHSIG if the
 * parent dies, and every one is reaped. */
#include "smoke_int.h"
#include "../serve/serve.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- small helpers ------------------------------------------------------ */
void run__smoke_say(struct smoke *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void run__smoke_say(struct smoke *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
    s->last_out = ut_now_ms();
}

int run__smoke_push(char ***v, size_t *n, size_t *cap, char *p)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        char **nv = realloc(*v, nc * sizeof *nv);
        if (!nv)
            return -1;
        *v = nv;
        *cap = nc;
    }
    (*v)[(*n)++] = p;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- options ------------------------------------------------------------ */
enum {
    SO_JOBS = RUN_O__COMMON, SO_RETRIES, SO_JUNIT, SO_SERVE, SO_GREP,
    SO_TRACE, SO_FAIL_FAST, SO_JSON, SO_QUIET, SO_SETUP,
    SO_REPORT
};
/* smoke's own options; SMOKE_FORWARD, the common ones that go to every
 * child as they were written (checked here as `run` checks them). */
static const struct run_optdef smoke_opts[] = {
    { "--jobs", "-j", 1, SO_JOBS },
    { "--retries", NULL, 1, SO_RETRIES },
    { "--junit", NULL, 1, SO_JUNIT },
    { "--serve", NULL, 1, SO_SERVE },
    { "--grep", NULL, 1, SO_GREP },
    { "--trace", NULL, 1, SO_TRACE },
    { "--fail-fast", NULL, 0, SO_FAIL_FAST },
    { "--json", NULL, 0, SO_JSON },
    { "--quiet", "-q", 0, SO_QUIET },
    { "--setup", NULL, 1, SO_SETUP },
    { "--report", NULL, 1, SO_REPORT },
    { NULL, NULL, 0, 0 }
};
#define SMOKE_FORWARD (RUN_OPT_BIT(RUN_O_VERBOSE) | \
    RUN_OPT_BIT(RUN_O_PROFILE) | RUN_OPT_BIT(RUN_O_CHROME) | \
    RUN_OPT_BIT(RUN_O_CONNECT) | RUN_OPT_BIT(RUN_O_CACHE) | \
    RUN_OPT_BIT(RUN_O_VAR) | RUN_OPT_BIT(RUN_O_TIMEOUT) | \
    RUN_OPT_BIT(RUN_O_NO_CACHE) | RUN_OPT_BIT(RUN_O_NO_LLM) | \
    RUN_OPT_BIT(RUN_O_HEADFUL) | RUN_OPT_BIT(RUN_O_RESTART_BROWSER) | \
    RUN_OPT_BIT(RUN_O_BLOCK) | RUN_OPT_BIT(RUN_O_BROWSER_VERSION) | \
    RUN_OPT_BIT(RUN_O_GRID))

static int bad_usage(const char *what, const char *arg)
{
    run_usage_err("smoke", "%s%s%s%s", what, arg ? " \"" : "",
                  arg ? arg : "", arg ? "\"" : "");
    return -1;
}

static int parse_num(const char *opt, const char *v, long lo, long hi,
                     int *out)
{
    long n;

    if (ut_parse_long(v, lo, hi, &n)) {
        run_usage_err("smoke", "%s: \"%s\" is not a number in %ld..%ld",
                      opt, v, lo, hi);
        return -1;
    }
    *out = (int)n;
    return 0;
}

/* Smoke's own option ID, with value V, into SO; 0 or -1. */
static int smoke_opt(struct smoke_opts *so, const struct run_optscan *sc,
                     int id)
{
    const char *v = sc->value;

    switch (id) {
    case SO_JOBS:
        return parse_num(sc->def->name, v, 1, SMOKE_MAX_JOBS, &so->jobs);
    case SO_RETRIES:
        return parse_num(sc->def->name, v, 0, SMOKE_MAX_RETRIES,
                         &so->retries);
    case SO_JUNIT:      so->junit = v; break;
    case SO_SERVE:      so->serve_dir = v; break;
    case SO_GREP:       so->grep = v; break;
    case SO_TRACE:      so->trace_dir = v; break;
    case SO_FAIL_FAST:  so->fail_fast = 1; break;
    case SO_JSON:       so->json = 1; break;
    case SO_QUIET:      so->quiet = 1; break;
    case SO_SETUP:      so->setup = v; break;
    case SO_REPORT:
        if (run_report_html_check("smoke", v))
            return -1;
        so->report = v;
        break;
    }
    return 0;
}

static int parse_opts(int argc, char **argv, struct smoke_opts *so,
                      struct run_opts *o)
{
    struct run_optscan sc = { .argc = argc, .argv = argv, .cmd = "smoke",
                              .common = SMOKE_FORWARD |
                                  RUN_OPT_BIT(RUN_O_ON_FAILURE) |
                                  RUN_OPT_BIT(RUN_O_NOTIFY) |
                                  RUN_OPT_BIT(RUN_O_NO_NOTIFY) };
    size_t fcap = 0, pcap = 0;
    int id, k;

    so->jobs = 1;
    while ((id = run_opt_next(&sc, smoke_opts)) != RUN_OPT_END) {
        if (id == RUN_OPT_BAD)
            return -1;
        if (id == RUN_OPT_WORD) {
            if (run__smoke_push(&so->paths, &so->npaths, &pcap,
                                (char *)sc.value))
                return -1;
        } else if (id >= RUN_O__COMMON) {
            if (smoke_opt(so, &sc, id))
                return -1;
        } else if (id == RUN_O_ON_FAILURE || id == RUN_O_NOTIFY ||
                   id == RUN_O_NO_NOTIFY) {   /* smoke's own, at its end */
            if (run_opt_apply(o, id, sc.value, "smoke"))
                return -1;
        } else {
            if (run_opt_apply(o, id, sc.value, "smoke"))
                return -1;
            so->verbose |= id == RUN_O_VERBOSE;
            /* to the children as written: "--opt=value" as one word,
             * "--opt value" as two */
            for (k = sc.first; k < sc.i; k++)
                if (run__smoke_push(&so->fwd, &so->nfwd, &fcap, argv[k]))
                    return -1;
        }
    }
    if (so->nfwd > SMOKE_MAX_ARGS - 17)
        return bad_usage("too many options to pass on to the tasks", NULL);
    if (so->npaths == 0)
        return bad_usage("needs at least one PATH (a folder or a task file)",
                         NULL);
    if (so->serve_dir && !ut_is_dir(so->serve_dir))
        return bad_usage("--serve: not a directory:", so->serve_dir);
    /* Hidden, for tests: CDPILOT_HEARTBEAT_MS. */
    so->heartbeat_ms = isatty(STDERR_FILENO) ? SMOKE_HEARTBEAT_TTY
                       : SMOKE_HEARTBEAT_LOG;
    if (getenv("CDPILOT_HEARTBEAT_MS")) {
        long ms;
        if (ut_parse_long(getenv("CDPILOT_HEARTBEAT_MS"), 10, 3600000, &ms))
            return bad_usage("CDPILOT_HEARTBEAT_MS: not 10..3600000:",
                             getenv("CDPILOT_HEARTBEAT_MS"));
        so->heartbeat_ms = (int)ms;
    }
    return 0;
}

/* ---- finding task files ---------------------------------------------- */
struct filelist { char **v; size_t n, cap; };

/* Adds every *.json regular file under DIR (hidden entries and symlinked
 * folders skipped) to FL. Returns 0 or -1 with ERR. */
static int walk(const char *dir, int depth, struct filelist *fl, char *err,
                size_t errlen)
{
    DIR *d;
    struct dirent *de;
    int rc = 0;

    if (depth > SMOKE_MAX_DEPTH)
        return ut_err(err, errlen, -1, "%s: folders nested deeper than %d",
                      dir, SMOKE_MAX_DEPTH);
    d = opendir(dir);
    if (!d)
        return ut_err(err, errlen, -1, "%s: %s", dir, strerror(errno));
    while (rc == 0 && (de = readdir(d)) != NULL) {
        struct stat st;
        char *p;
        size_t n;
        if (de->d_name[0] == '.')
            continue;
        n = strlen(dir) + strlen(de->d_name) + 2;
        p = malloc(n);
        if (!p) {
            rc = ut_err(err, errlen, -1, "out of memory");
            break;
        }
        snprintf(p, n, "%s%s%s", dir, ut_ends_with(dir, "/") ? "" : "/",
                 de->d_name);
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = walk(p, depth + 1, fl, err, errlen);
            free(p);
        } else if (ut_ends_with(de->d_name, ".json") && stat(p, &st) == 0 &&
                   S_ISREG(st.st_mode)) {
            if (fl->n >= SMOKE_MAX_TASKS)
                rc = ut_err(err, errlen, -1, "more than %d task files",
                            SMOKE_MAX_TASKS);
            else if (run__smoke_push(&fl->v, &fl->n, &fl->cap, p))
                rc = ut_err(err, errlen, -1, "out of memory");
            if (rc)
                free(p);
        } else {
            free(p);
        }
    }
    closedir(d);
    return rc;
}

/* Each PATH's files sorted, in the order the paths were given; a file
 * named twice runs once. */
static int find_tasks(const struct smoke_opts *so, struct filelist *fl,
                      char *err, size_t errlen)
{
    size_t i, j, k, start;

    for (i = 0; i < so->npaths; i++) {
        const char *p = so->paths[i];
        start = fl->n;
        if (ut_is_dir(p)) {
            if (walk(p, 0, fl, err, errlen))
                return -1;
        } else if (access(p, R_OK) == 0) {
            char *c = ut_strdup(p);
            if (!c || run__smoke_push(&fl->v, &fl->n, &fl->cap, c)) {
                free(c);
                return ut_err(err, errlen, -1, "out of memory");
            }
        } else {
            return ut_err(err, errlen, -1, "%s: %s", p, strerror(errno));
        }
        qsort(fl->v + start, fl->n - start, sizeof *fl->v, cmp_str);
        for (j = start; j < fl->n;) {      /* drop repeats of earlier files */
            for (k = 0; k < start && strcmp(fl->v[k], fl->v[j]); k++)
                ;
            if (k < start) {
                free(fl->v[j]);
                memmove(fl->v + j, fl->v + j + 1,
                        (fl->n - j - 1) * sizeof *fl->v);
                fl->n--;
            } else {
                j++;
            }
        }
    }
    return 0;
}

/* The task's "name", when the file is JSON with a string name. */
static char *read_name(const char *file)
{
    char err[256];
    size_t len;
    char *text = ut_read_file(file, SMOKE_MAX_TASK_FILE, &len, err,
                              sizeof err);
    cJSON *j, *n;
    char *name = NULL;

    if (!text)
        return NULL;
    j = cJSON_ParseWithLength(text, len);
    free(text);
    n = cJSON_GetObjectItemCaseSensitive(j, "name");
    if (cJSON_IsString(n) && n->valuestring[0])
        name = ut_strdup(n->valuestring);
    cJSON_Delete(j);
    if (name) {                /* no control characters on a terminal */
        char *r = name, *w = name;
        for (; *r; r++)
            if ((unsigned char)*r >= 0x20 && *r != 0x7f)
                *w++ = *r;
        *w = '\0';
    }
    return name;
}

/* "login works" -> "login-works": [A-Za-z0-9._-] kept, runs of anything
 * else become one '-'; at most 80 bytes; never empty or a dot name. */
static void sanitise(const char *in, char *out, size_t n)
{
    size_t o = 0;

    for (; *in && o + 1 < n && o < 80; in++) {
        unsigned char c = (unsigned char)*in;
        int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                   c == '-';
        if (keep)
            out[o++] = (char)c;
        else if (o && out[o - 1] != '-')
            out[o++] = '-';
    }
    while (o && out[o - 1] == '-')
        o--;
    out[o] = '\0';
    if (!o || out[0] == '.')
        ut_strlcpy(out, "task", n);
}

/* Trace folder names: sanitised label, "-2", "-3"… on collisions. */
static int set_traces(struct smoke *s)
{
    size_t i, j;

    for (i = 0; i < s->ntasks; i++) {
        struct smoke_task *t = &s->tasks[i];
        char base[128], name[160];
        const char *slash = strrchr(t->file, '/');
        int k = 1, clash;
        size_t n;

        if (t->name) {
            sanitise(t->name, base, sizeof base);
        } else {
            char f[128];
            ut_strlcpy(f, slash ? slash + 1 : t->file, sizeof f);
            if (ut_ends_with(f, ".json"))
                f[strlen(f) - 5] = '\0';
            sanitise(f, base, sizeof base);
        }
        ut_strlcpy(name, base, sizeof name);
        do {
            clash = 0;
            for (j = 0; j < i && !clash; j++) {
                const char *o = strrchr(s->tasks[j].trace, '/') + 1;
                clash = strcmp(o, name) == 0;
            }
            if (clash)
                snprintf(name, sizeof name, "%s-%d", base, ++k);
        } while (clash);
        n = strlen(s->so.trace_dir) + strlen(name) + 2;
        t->trace = malloc(n);
        if (!t->trace)
            return -1;
        snprintf(t->trace, n, "%s/%s", s->so.trace_dir, name);
    }
    return 0;
}

/* Builds the task list from the paths, keeping those --grep selects. */
static int load_tasks(struct smoke *s, char *err, size_t errlen)
{
    struct filelist fl = {NULL, 0, 0};
    pcre2_code *re = NULL;
    pcre2_match_data *md = NULL;
    size_t i;
    int rc = -1;

    if (s->so.grep) {
        int ec;
        PCRE2_SIZE off;
        re = pcre2_compile((PCRE2_SPTR)s->so.grep, PCRE2_ZERO_TERMINATED, 0,
                           &ec, &off, NULL);
        if (!re) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(ec, msg, sizeof msg);
            ut_err(err, errlen, -1, "--grep \"%s\": %s at offset %zu",
                   s->so.grep, (char *)msg, (size_t)off);
            return -1;
        }
        md = pcre2_match_data_create_from_pattern(re, NULL);
        if (!md)
            goto out;
    }
    if (find_tasks(&s->so, &fl, err, errlen))
        goto out;
    s->tasks = calloc(fl.n ? fl.n : 1, sizeof *s->tasks);
    if (!s->tasks)
        goto out;
    for (i = 0; i < fl.n; i++) {
        struct smoke_task *t = &s->tasks[s->ntasks];
        char *name = read_name(fl.v[i]);
        const char *label = name ? name : fl.v[i];
        if (re && pcre2_match(re, (PCRE2_SPTR)label, strlen(label), 0, 0, md,
                              NULL) < 0) {
            free(name);
            continue;
        }
        t->file = fl.v[i];
        fl.v[i] = NULL;
        t->name = name;
        t->label = name ? name : t->file;
        t->code = -1;
        t->att = calloc((size_t)s->so.retries + 2, sizeof *t->att);
        s->ntasks++;
        if (!t->att)
            goto out;
    }
    rc = 0;
out:
    for (i = 0; i < fl.n; i++)
        free(fl.v[i]);
    free(fl.v);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    if (rc && !err[0])
        ut_err(err, errlen, -1, "out of memory");
    return rc;
}

/* ---- --setup ------------------------------------------------------------ */

/* The --setup task becomes tasks[0] (a copy of it among the suite's files
 * is dropped), its state file the one every other task loads: a 0700
 * folder of its own in $TMPDIR, removed at the end. 0, or -1 with ERR. */
static int add_setup(struct smoke *s, char *err, size_t errlen)
{
    const char *tmp = getenv("TMPDIR");
    char real[4096], other[4096];
    struct smoke_task *nt, *t;
    size_t i;

    if (!realpath(s->so.setup, real))
        return ut_err(err, errlen, -1, "--setup %s: %s", s->so.setup,
                      strerror(errno));
    for (i = 0; i < s->ntasks; i++)
        if (realpath(s->tasks[i].file, other) && !strcmp(other, real)) {
            free(s->tasks[i].file);
            free(s->tasks[i].name);
            free(s->tasks[i].att);
            memmove(&s->tasks[i], &s->tasks[i + 1],
                    (s->ntasks - i - 1) * sizeof *s->tasks);
            s->ntasks--;
            break;
        }
    nt = realloc(s->tasks, (s->ntasks + 1) * sizeof *nt);
    if (!nt)
        return ut_err(err, errlen, -1, "out of memory");
    s->tasks = nt;
    memmove(&s->tasks[1], &s->tasks[0], s->ntasks * sizeof *s->tasks);
    s->ntasks++;
    t = &s->tasks[0];
    memset(t, 0, sizeof *t);
    t->file = ut_strdup(s->so.setup);
    t->name = read_name(s->so.setup);
    t->label = t->name ? t->name : t->file;
    t->code = -1;
    t->setup = 1;
    t->att = calloc((size_t)s->so.retries + 2, sizeof *t->att);
    if (!t->file || !t->att)
        return ut_err(err, errlen, -1, "out of memory");
    snprintf(s->state_dir, sizeof s->state_dir, "%s/cdpilot-setup-XXXXXX",
             tmp && tmp[0] == '/' ? tmp : "/tmp");
    if (!mkdtemp(s->state_dir)) {
        ut_err(err, errlen, -1, "--setup: a folder for its state: %s",
               strerror(errno));
        s->state_dir[0] = '\0';
        return -1;
    }
    snprintf(s->state_file, sizeof s->state_file, "%s/state.json",
             s->state_dir);
    return 0;
}

/* Runs the --setup task alone, then (when it passed) the others. */
static int run_with_setup(struct smoke *s, char *err, size_t errlen)
{
    size_t k;

    s->queue[s->qtail++] = 0;
    if (run__smoke_run_all(s, err, errlen))
        return -1;
    if (s->tasks[0].code != 0) {
        s->stop = 1;
        if (!s->stop_reason)
            s->stop_reason = "the --setup task failed";
        return 0;
    }
    for (k = 1; k < s->ntasks; k++)
        s->queue[s->qtail++] = k;
    return run__smoke_run_all(s, err, errlen);
}

/* ---- the command ------------------------------------------------------ */
static void smoke_free(struct smoke *s)
{
    size_t i;
    int k;

    for (i = 0; i < s->ntasks; i++) {
        struct smoke_task *t = &s->tasks[i];
        for (k = 0; k < t->natt; k++) {
            cJSON_Delete(t->att[k].report);
            free(t->att[k].err);
        }
        free(t->att);
        free(t->file);
        free(t->name);
        free(t->trace);
    }
    free(s->tasks);
    free(s->queue);
    if (s->state_dir[0]) {
        unlink(s->state_file);
        rmdir(s->state_dir);
    }
    free(s->so.fwd);
    free(s->so.paths);
    if (s->devnull >= 0)
        close(s->devnull);
}

/* A failed smoke run's summary to --on-failure and --notify (notify.c):
 * one entry for each task that failed, from its last attempt. */
static void smoke_notify(const struct smoke *s, const struct run_opts *o,
                         int code)
{
    cJSON *failed;
    size_t k;

    if (code == RUN_EXIT_OK || o->no_notify)
        return;
    failed = cJSON_CreateArray();
    for (k = 0; k < s->ntasks; k++) {
        const struct smoke_task *t = &s->tasks[k];
        if (t->state == TASK_DONE && t->code != 0)
            run_notify_add_report(failed, t->natt ? t->att[t->natt - 1].report
                                                  : NULL, t->file, t->code);
    }
    run_notify(o, NULL, failed, (int)s->ntasks, code);
    cJSON_Delete(failed);
}

int run_smoke_cmd(int argc, char **argv, struct run_opts *o)
{
    struct smoke s;
    struct srv *srv = NULL;
    struct run__smoke_counts c;
    char err[RUN_ERR_LEN] = "";
    int code = RUN_EXIT_USAGE, i;
    size_t k;
    int64_t ms;

    for (i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            run_help_print("smoke", stdout);
            return RUN_EXIT_OK;
        }
    memset(&s, 0, sizeof s);
    s.devnull = -1;
    if (parse_opts(argc, argv, &s.so, o))
        goto out;
    if (load_tasks(&s, err, sizeof err)) {
        fprintf(stderr, "cdpilot: smoke: %s\n", err);
        goto out;
    }
    if (s.so.setup && add_setup(&s, err, sizeof err)) {
        fprintf(stderr, "cdpilot: smoke: %s\n", err);
        goto out;
    }
    if (s.ntasks == 0) {
        fprintf(stderr, "cdpilot: smoke: no task files%s under %s\n",
                s.so.grep ? " match --grep" : "", s.so.paths[0]);
        goto out;
    }
    if ((s.so.trace_dir && set_traces(&s)) ||
        !(s.queue = calloc(s.ntasks * ((size_t)s.so.retries + 2),
                           sizeof *s.queue))) {
        fprintf(stderr, "cdpilot: smoke: out of memory\n");
        goto out;
    }
    for (k = 0; !s.so.setup && k < s.ntasks; k++)
        s.queue[s.qtail++] = k;
    s.devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (s.so.serve_dir) {
        if (srv_start(s.so.serve_dir, 0, &srv, err, sizeof err)) {
            fprintf(stderr, "cdpilot: smoke: --serve %s: %s\n",
                    s.so.serve_dir, err);
            goto out;
        }
        s.base_url = srv_url(srv);
    }
    s.t0 = s.last_out = ut_now_ms();
    s.rng = ut_rng_seed(&s);
    if (!s.so.quiet)
        run__smoke_say(&s, "smoke: %zu task%s, %d at a time%s%s\n", s.ntasks,
            s.ntasks == 1 ? "" : "s", s.so.jobs,
            s.base_url ? ", serving at " : "",
            s.base_url ? s.base_url : "");
    if (s.so.setup ? run_with_setup(&s, err, sizeof err)
                   : run__smoke_run_all(&s, err, sizeof err))
        fprintf(stderr, "cdpilot: smoke: %s\n", err);
    ms = ut_now_ms() - s.t0;
    for (k = 0; k < s.ntasks; k++)
        if (s.tasks[k].state == TASK_PENDING) {
            s.tasks[k].state = TASK_SKIPPED;
            s.tasks[k].skip_reason = s.stop_reason;
        }
    code = run__smoke_final_code(&s);
    if (err[0] && code == RUN_EXIT_OK)
        code = RUN_EXIT_BROWSER;   /* could not start a child */
    if (run_interrupted)
        code = 128 + run_interrupted;
    if (s.so.junit && run__smoke_write_junit(&s, ms, err, sizeof err)) {
        fprintf(stderr, "cdpilot: smoke: %s\n", err);
        if (code == RUN_EXIT_OK)
            code = RUN_EXIT_USAGE;
    }
    run__smoke_count(&s, &c);
    fprintf(stderr, "smoke: %d passed, %d failed, %d flaky", c.passed,
            c.failed, c.flaky);
    if (c.skipped)
        fprintf(stderr, ", %d skipped", c.skipped);
    fprintf(stderr, " in %.1f s\n", ms / 1000.0);
    if ((s.so.json || s.so.report) && run__smoke_reports(&s, code, ms) &&
        code == RUN_EXIT_OK)
        code = RUN_EXIT_USAGE;
    smoke_notify(&s, o, code);
out:
    srv_stop(srv);
    smoke_free(&s);
    return code;
}
