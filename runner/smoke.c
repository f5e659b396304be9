/* smoke.c -- `cdpilot smoke PATH...`: CI smoke tests. Every *.json under
 * the paths is a task; each runs in a child process of this binary
 * (`cdpilot run FILE --json`), N at a time, each child with its own
 * browser (or its own browser context with --connect), all sharing one
 * cache file. The parent collects each child's JSON report (stdout) and
 * step lines (stderr), retries failures, and writes the human lines, the
 * JUnit XML and the --json document. See docs/SMOKE.md.
 *
 * Ownership: a struct smoke owns its tasks, their attempts (parsed
 * reports and captured stderr) and the running jobs; smoke_free() releases
 * everything. Children never outlive the parent: they get SIGTERM when the
 * run stops early, SIGKILL after a grace period, PR_SET_PDEATHSIG if the
 * parent dies, and every one is reaped. */
#include "exec_int.h"
#include "../serve/serve.h"
#include "../util/util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SMOKE_MAX_TASKS    10000
#define SMOKE_MAX_DEPTH    32
#define SMOKE_MAX_JOBS     64
#define SMOKE_MAX_RETRIES  10
#define SMOKE_MAX_ARGS     256
#define SMOKE_MAX_OUT      (16u * 1024 * 1024)  /* a child's JSON report */
#define SMOKE_MAX_ERR      (1u * 1024 * 1024)   /* a child's step lines */
#define SMOKE_MAX_JUNIT    (256u * 1024 * 1024)
#define SMOKE_MAX_TASK_FILE (16u * 1024 * 1024) /* as `run` reads */
#define SMOKE_KILL_GRACE_MS 10000
/* A failed task waits before its rerun: 1 s doubled per rerun, capped at
 * 15 s, with equal jitter (a flaky backend gets a breath, and parallel
 * jobs failing together do not come back together). */
#define SMOKE_RETRY_BASE_MS 1000
#define SMOKE_RETRY_CAP_MS  15000
#define SMOKE_HEARTBEAT_TTY 10000
#define SMOKE_HEARTBEAT_LOG 30000   /* CI logs: never silent for 60 s */

static const char smoke_help[] =
"usage: cdpilot smoke PATH... [options]\n"
"  runs every *.json task file under PATH (recursively, sorted), each in\n"
"  its own browser, and reports quietly on success, loudly on failure.\n"
"\n"
"  -j, --jobs N       tasks at a time (default 1)\n"
"  --junit FILE       JUnit XML report (GitHub Actions, GitLab, Jenkins)\n"
"  --json             one JSON document for the whole set on stdout\n"
"  --fail-fast        stop after the first failed task\n"
"  --retries K        rerun a failed task up to K times (a pass on a\n"
"                     rerun is reported as flaky)\n"
"  --serve DIR        serve DIR on 127.0.0.1; tasks get --base-url URL\n"
"                     and --var base=URL\n"
"  --grep REGEX       only tasks whose name (else file) matches\n"
"  --trace DIR        per-task trace folders DIR/<task name>/\n"
"  -q                 only failures, heartbeats and the summary\n"
"  forwarded to each task: --profile --chrome --connect --cache\n"
"  --no-cache --no-llm --var K=V --timeout MS --headful -v\n"
"  every task also gets --var attempt=N (1 on the first try)\n"
"\n"
"exit: 0 every task passed (flaky counts as passed); else the worst\n"
"code among failed tasks: 3 browser > 4 llm > 1 failed > 2 invalid\n"
"docs: docs/SMOKE.md\n";

struct smoke_opts {
    int jobs, retries, fail_fast, json, quiet, verbose;
    const char *junit, *serve_dir, *grep, *trace_dir;
    char **fwd;              /* options passed on to every child */
    size_t nfwd;
    char **paths;
    size_t npaths;
    int heartbeat_ms;
};

/* One child run of a task. */
struct attempt {
    int code;                /* exit status, or 128 + signal */
    int64_t ms;
    int64_t wait_ms;         /* the pause before the next attempt */
    cJSON *report;           /* its stdout parsed; NULL when none */
    char *err;               /* its stderr (bounded) */
};

enum task_state { TASK_PENDING = 0, TASK_RUNNING, TASK_DONE, TASK_SKIPPED };

struct smoke_task {
    char *file;
    char *name;              /* the file's "name", NULL when none */
    const char *label;       /* name, else file: what people see */
    char *trace;             /* DIR/<sanitised name>; NULL without --trace */
    enum task_state state;
    struct attempt *att;     /* retries + 1 slots */
    int natt;
    int64_t not_before;      /* monotonic ms: no rerun before this */
    int code;                /* final exit code; 0 when passed */
    int flaky;
    const char *skip_reason;
};

struct job {
    struct smoke_task *t;    /* NULL: slot free */
    pid_t pid;
    int fd[2];               /* stdout, stderr read ends; -1 closed */
    ut_buf buf[2];
    int64_t t0, killed_at;   /* killed_at: 0 until we sent SIGTERM */
};

struct smoke {
    struct smoke_opts so;
    struct smoke_task *tasks;
    size_t ntasks;
    struct job jobs[SMOKE_MAX_JOBS];
    int running;
    size_t *queue, qhead, qtail;  /* task indices to (re)launch */
    size_t done;
    int stop;                /* launch nothing more */
    const char *stop_reason;
    const char *base_url;    /* --serve's URL */
    int devnull;
    int64_t t0, last_out;
    uint64_t rng;            /* retry jitter */
};

/* ---- small helpers ------------------------------------------------------ */
static void say(struct smoke *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(struct smoke *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
    s->last_out = ut_now_ms();
}

static int push_str(char ***v, size_t *n, size_t *cap, char *p)
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
    SO_TRACE, SO_FAIL_FAST, SO_JSON, SO_QUIET
};
/* smoke's own options, then those that go to every child as they were
 * written (checked here as `run` checks them). */
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
    { "--verbose", "-v", 0, RUN_O_VERBOSE },
    { "--profile", NULL, 1, RUN_O_PROFILE },
    { "--chrome", NULL, 1, RUN_O_CHROME },
    { "--connect", NULL, 1, RUN_O_CONNECT },
    { "--cache", NULL, 1, RUN_O_CACHE },
    { "--var", NULL, 1, RUN_O_VAR },
    { "--timeout", NULL, 1, RUN_O_TIMEOUT },
    { "--no-cache", NULL, 0, RUN_O_NO_CACHE },
    { "--no-llm", NULL, 0, RUN_O_NO_LLM },
    { "--headful", NULL, 0, RUN_O_HEADFUL },
    { "--restart-browser", NULL, 0, RUN_O_RESTART_BROWSER },
    { NULL, NULL, 0, 0 }
};

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
    }
    return 0;
}

static int parse_opts(int argc, char **argv, struct smoke_opts *so,
                      struct run_opts *o)
{
    struct run_optscan sc = { .argc = argc, .argv = argv, .cmd = "smoke" };
    size_t fcap = 0, pcap = 0;
    int id, k;

    so->jobs = 1;
    while ((id = run_opt_next(&sc, smoke_opts)) != RUN_OPT_END) {
        if (id == RUN_OPT_BAD)
            return -1;
        if (id == RUN_OPT_WORD) {
            if (push_str(&so->paths, &so->npaths, &pcap, (char *)sc.value))
                return -1;
        } else if (id >= RUN_O__COMMON) {
            if (smoke_opt(so, &sc, id))
                return -1;
        } else {
            if (run_opt_apply(o, id, sc.value, "smoke"))
                return -1;
            so->verbose |= id == RUN_O_VERBOSE;
            /* to the children as written: "--opt=value" as one word,
             * "--opt value" as two */
            for (k = sc.first; k < sc.i; k++)
                if (push_str(&so->fwd, &so->nfwd, &fcap, argv[k]))
                    return -1;
        }
    }
    if (so->nfwd > SMOKE_MAX_ARGS - 16)
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
            else if (push_str(&fl->v, &fl->n, &fl->cap, p))
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
            if (!c || push_str(&fl->v, &fl->n, &fl->cap, c)) {
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
        t->att = calloc((size_t)s->so.retries + 1, sizeof *t->att);
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

/* ---- what went wrong in one attempt -------------------------------- */
struct fail_info {
    char msg[1024];          /* one line */
    char type[64];           /* error class: not-found, invalid, browser… */
    int is_error;            /* JUnit <error> rather than <failure> */
};

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The first line of ERR that starts with "cdpilot: ", without it. */
static void err_line(const char *err, char *out, size_t n)
{
    const char *p = err ? strstr(err, "cdpilot: ") : NULL;
    size_t len;

    out[0] = '\0';
    if (!p)
        return;
    p += 9;
    len = strcspn(p, "\n");
    if (len >= n)
        len = n - 1;
    memcpy(out, p, len);
    out[len] = '\0';
}

static void fail_of(const struct attempt *a, struct fail_info *fi)
{
    const cJSON *steps, *st, *bad = NULL;

    memset(fi, 0, sizeof *fi);
    steps = cJSON_GetObjectItemCaseSensitive(a->report, "steps");
    cJSON_ArrayForEach(st, steps) {
        const char *status = jstr(st, "status");
        if (status && !strcmp(status, "failed"))
            bad = st;
    }
    if (bad) {
        const cJSON *ix = cJSON_GetObjectItemCaseSensitive(bad, "index");
        const char *kind = jstr(bad, "kind"), *tg = jstr(bad, "target");
        const char *cls = jstr(bad, "error_class"), *e = jstr(bad, "error");
        snprintf(fi->msg, sizeof fi->msg, "step %d (%s%s%.100s%s): %s: %s",
                 cJSON_IsNumber(ix) ? ix->valueint : 0, kind ? kind : "?",
                 tg ? " \"" : "", tg ? tg : "", tg ? "\"" : "",
                 cls ? cls : "failed", e ? e : "?");
        ut_strlcpy(fi->type, cls ? cls : "failed", sizeof fi->type);
        fi->is_error = a->code == RUN_EXIT_BROWSER;
        return;
    }
    err_line(a->err, fi->msg, sizeof fi->msg);
    fi->is_error = 1;
    if (a->code == RUN_EXIT_USAGE) {
        ut_strlcpy(fi->type, "invalid", sizeof fi->type);
    } else if (a->code == RUN_EXIT_BROWSER) {
        ut_strlcpy(fi->type, "browser", sizeof fi->type);
    } else if (a->code == RUN_EXIT_LLM) {
        ut_strlcpy(fi->type, "llm", sizeof fi->type);
    } else if (a->report && jstr(a->report, "status") &&
               !strcmp(jstr(a->report, "status"), "interrupted")) {
        ut_strlcpy(fi->type, "interrupted", sizeof fi->type);
    } else {
        ut_strlcpy(fi->type, "crashed", sizeof fi->type);
        if (!fi->msg[0])
            snprintf(fi->msg, sizeof fi->msg, a->code > 128 ?
                     "cdpilot run was killed by signal %d" :
                     "cdpilot run exited with code %d",
                     a->code > 128 ? a->code - 128 : a->code);
    }
    if (!fi->msg[0])
        snprintf(fi->msg, sizeof fi->msg, "%s failure (exit %d)", fi->type,
                 a->code);
}

/* Step lines of a child, minus the passing ones ("  ok "): the detail a
 * failure needs. Each line indented by two spaces. */
static void print_detail(struct smoke *s, const char *err, int all)
{
    const char *p = err ? err : "";

    while (*p) {
        size_t len = strcspn(p, "\n");
        if (all || !ut_starts_with(p, "  ok "))
            fprintf(stderr, "  %.*s\n", (int)len, p);
        p += len + (p[len] == '\n');
    }
    fflush(stderr);
    s->last_out = ut_now_ms();
}

/* ---- children -------------------------------------------------------- */
static void job_close(struct job *j)
{
    int k;

    for (k = 0; k < 2; k++) {
        if (j->fd[k] >= 0)
            close(j->fd[k]);
        j->fd[k] = -1;
        ut_buf_free(&j->buf[k]);
    }
    j->t = NULL;
    j->pid = 0;
}

/* The child's command line: run [options] -- FILE. */
static size_t child_args(const struct smoke *s, const struct smoke_task *t,
                         char *attempt, size_t an, char *base, size_t bn,
                         char **argv)
{
    size_t n = 0, i;

    argv[n++] = (char *)"cdpilot";
    argv[n++] = (char *)"run";
    argv[n++] = (char *)"--json";
    if (s->base_url) {
        snprintf(base, bn, "base=%s", s->base_url);
        argv[n++] = (char *)"--var";
        argv[n++] = base;
        argv[n++] = (char *)"--base-url";
        argv[n++] = (char *)s->base_url;
    }
    for (i = 0; i < s->so.nfwd; i++)     /* nfwd capped by parse_opts */
        argv[n++] = s->so.fwd[i];
    snprintf(attempt, an, "attempt=%d", t->natt + 1);
    argv[n++] = (char *)"--var";
    argv[n++] = attempt;
    if (t->trace) {
        argv[n++] = (char *)"--trace";
        argv[n++] = t->trace;
    }
    argv[n++] = (char *)"--";
    argv[n++] = t->file;
    argv[n] = NULL;
    return n;
}

/* Forks `cdpilot run` for T into J. 0, or -1 with ERR. Between fork and
 * exec the child only calls async-signal-safe functions (the parent may
 * run the --serve thread). */
static int job_start(struct smoke *s, struct job *j, struct smoke_task *t,
                     char *err, size_t errlen)
{
    char *argv[SMOKE_MAX_ARGS], attempt[32], base[512];
    int po[2], pe[2], k;
    pid_t parent = getpid(), pid;

    child_args(s, t, attempt, sizeof attempt, base, sizeof base, argv);
    if (pipe2(po, O_CLOEXEC))
        return ut_err(err, errlen, -1, "pipe: %s", strerror(errno));
    if (pipe2(pe, O_CLOEXEC)) {
        close(po[0]);
        close(po[1]);
        return ut_err(err, errlen, -1, "pipe: %s", strerror(errno));
    }
    pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(127);
        if (dup2(s->devnull, 0) < 0 || dup2(po[1], 1) < 0 ||
            dup2(pe[1], 2) < 0)
            _exit(127);
        close_range(3, ~0U, 0);
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    if (pid < 0) {
        close(po[0]);
        close(pe[0]);
        return ut_err(err, errlen, -1, "fork: %s", strerror(errno));
    }
    memset(j, 0, sizeof *j);
    j->t = t;
    j->pid = pid;
    j->fd[0] = po[0];
    j->fd[1] = pe[0];
    ut_buf_init(&j->buf[0], SMOKE_MAX_OUT);
    ut_buf_init(&j->buf[1], SMOKE_MAX_ERR);
    for (k = 0; k < 2; k++)
        fcntl(j->fd[k], F_SETFL, fcntl(j->fd[k], F_GETFL) | O_NONBLOCK);
    j->t0 = ut_now_ms();
    t->state = TASK_RUNNING;
    s->running++;
    return 0;
}

/* Reads what is there from pipe K; closes it at EOF. Bytes beyond the
 * buffer's cap are dropped (a truncated report fails to parse and is
 * treated as missing). */
static void job_read(struct job *j, int k)
{
    char chunk[16384];

    while (j->fd[k] >= 0) {
        ssize_t r = read(j->fd[k], chunk, sizeof chunk);
        if (r > 0) {
            ut_buf_add(&j->buf[k], chunk, (size_t)r);
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        close(j->fd[k]);
        j->fd[k] = -1;
    }
}

static void jobs_kill(struct smoke *s, const char *why)
{
    int i;

    s->stop = 1;
    if (!s->stop_reason)
        s->stop_reason = why;
    for (i = 0; i < SMOKE_MAX_JOBS; i++) {
        struct job *j = &s->jobs[i];
        if (j->t && !j->killed_at) {
            kill(j->pid, SIGTERM);
            j->killed_at = ut_now_ms();
        }
    }
}

static int rank(int code)      /* 3 browser > 4 llm > 1 failed > 2 invalid */
{
    switch (code) {
    case RUN_EXIT_OK: return 0;
    case RUN_EXIT_USAGE: return 1;
    case RUN_EXIT_BROWSER: return 4;
    case RUN_EXIT_LLM: return 3;
    default: return 2;
    }
}

static int norm_code(int code)  /* crashes and signals count as failed */
{
    return code >= RUN_EXIT_OK && code <= RUN_EXIT_LLM ? code :
           RUN_EXIT_FAILED;
}

static void print_end(struct smoke *s, const struct smoke_task *t)
{
    const struct attempt *a = &t->att[t->natt - 1];
    struct fail_info fi;
    double secs = a->ms / 1000.0;

    if (t->code == 0 && !t->flaky) {
        if (!s->so.quiet)
            say(s, "ok    %s  %.1f s\n", t->label, secs);
        if (s->so.verbose)
            print_detail(s, a->err, 1);
        return;
    }
    if (t->code == 0) {
        fail_of(&t->att[0], &fi);
        say(s, "FLAKY %s  %.1f s  passed on attempt %d of %d; attempt 1: "
            "%s\n", t->label, secs, t->natt, s->so.retries + 1, fi.msg);
        return;
    }
    fail_of(a, &fi);
    say(s, "FAIL  %s  %.1f s  %s (exit %d%s)\n", t->label, secs, t->file,
        t->code, t->natt > 1 ? ", every attempt failed" : "");
    print_detail(s, a->err, s->so.verbose);
    if (!strstr(a->err ? a->err : "", "FAIL ") && fi.msg[0] &&
        !strstr(a->err ? a->err : "", fi.msg))
        say(s, "  %s\n", fi.msg);
}

/* A child ended: record the attempt, then pass, retry or fail the task. */
static void job_finish(struct smoke *s, struct job *j, int status)
{
    struct smoke_task *t = j->t;
    struct attempt *a = &t->att[t->natt++];
    int killed = j->killed_at != 0;

    a->code = WIFEXITED(status) ? WEXITSTATUS(status) :
              WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
    a->ms = ut_now_ms() - j->t0;
    if (j->buf[0].len)
        a->report = cJSON_ParseWithLength(j->buf[0].p, j->buf[0].len);
    a->err = ut_buf_take(&j->buf[1]);
    job_close(j);
    s->running--;
    if (killed && a->code != 0) {
        t->state = TASK_SKIPPED;
        t->skip_reason = s->stop_reason;
        s->done++;
        return;
    }
    if (a->code != 0 && a->code != RUN_EXIT_USAGE &&
        t->natt <= s->so.retries && !s->stop) {
        struct fail_info fi;
        fail_of(a, &fi);
        t->state = TASK_PENDING;
        a->wait_ms = ut_backoff_ms(SMOKE_RETRY_BASE_MS, t->natt - 1,
                                   SMOKE_RETRY_CAP_MS, &s->rng);
        t->not_before = ut_now_ms() + a->wait_ms;
        s->queue[s->qtail++] = (size_t)(t - s->tasks);
        if (!s->so.quiet)
            say(s, "retry %s (attempt %d of %d, in %.1f s): %s\n", t->label,
                t->natt + 1, s->so.retries + 1, a->wait_ms / 1000.0, fi.msg);
        return;
    }
    t->state = TASK_DONE;
    t->code = a->code;
    t->flaky = a->code == 0 && t->natt > 1;
    s->done++;
    print_end(s, t);
    if (a->code != 0 && s->so.fail_fast)
        jobs_kill(s, "cancelled after a failure (--fail-fast)");
}

/* Reaps every child that has ended. */
static void jobs_reap(struct smoke *s)
{
    int i, st;

    for (i = 0; i < SMOKE_MAX_JOBS; i++) {
        struct job *j = &s->jobs[i];
        pid_t r;
        if (!j->t)
            continue;
        r = waitpid(j->pid, &st, WNOHANG);
        if (r == j->pid) {
            job_read(j, 0);           /* what is left in the pipes */
            job_read(j, 1);
            job_finish(s, j, st);
        } else if (j->killed_at &&
                   ut_now_ms() - j->killed_at > SMOKE_KILL_GRACE_MS) {
            kill(j->pid, SIGKILL);
        }
    }
}

static void heartbeat(struct smoke *s)
{
    char names[256] = "";
    size_t used = 0;
    int i, shown = 0;

    for (i = 0; i < SMOKE_MAX_JOBS; i++) {
        const struct job *j = &s->jobs[i];
        if (!j->t)
            continue;
        if (shown++ == 3) {
            ut_strlcpy(names + used, ", …", sizeof names - used);
            break;
        }
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%.40s",
                                 used ? ", " : "", j->t->label);
        if (used >= sizeof names)
            used = sizeof names - 1;
    }
    say(s, "smoke: %zu/%zu done, %d running (%s) %lld s\n", s->done,
        s->ntasks, s->running, names,
        (long long)((ut_now_ms() - s->t0) / 1000));
}

/* 1 when a queued task may start now, moved to the queue's head (a
 * rerun still in its backoff lets the tasks behind it go first); else 0,
 * with *WAKE the earliest time one may. */
static int next_ready(struct smoke *s, int64_t *wake)
{
    int64_t now = ut_now_ms();
    size_t i;

    *wake = 0;
    for (i = s->qhead; i < s->qtail; i++) {
        const struct smoke_task *t = &s->tasks[s->queue[i]];
        if (t->not_before <= now) {
            size_t q = s->queue[i];
            memmove(&s->queue[s->qhead + 1], &s->queue[s->qhead],
                    (i - s->qhead) * sizeof *s->queue);
            s->queue[s->qhead] = q;
            return 1;
        }
        if (!*wake || t->not_before < *wake)
            *wake = t->not_before;
    }
    return 0;
}

/* Launches, waits, reads and reaps until every task ended or was
 * skipped. 0, or -1 with ERR (fork/pipe failure: running children are
 * stopped and reaped first). */
static int run_all(struct smoke *s, char *err, size_t errlen)
{
    int rc = 0;

    while (s->running || (!s->stop && s->qhead < s->qtail)) {
        struct pollfd pf[SMOKE_MAX_JOBS * 2];
        struct job *owner[SMOKE_MAX_JOBS * 2];
        int kind[SMOKE_MAX_JOBS * 2];
        nfds_t n = 0, k;
        int i, wait_ms;
        int64_t now, wake = 0;

        while (!s->stop && s->running < s->so.jobs &&
               next_ready(s, &wake)) {
            struct job *slot = NULL;
            for (i = 0; i < SMOKE_MAX_JOBS && !slot; i++)
                if (!s->jobs[i].t)
                    slot = &s->jobs[i];
            if (job_start(s, slot, &s->tasks[s->queue[s->qhead]], err,
                          errlen)) {
                rc = -1;
                jobs_kill(s, "stopped: could not start a task");
                break;
            }
            s->qhead++;
        }
        for (i = 0; i < SMOKE_MAX_JOBS; i++)
            for (k = 0; k < 2; k++)
                if (s->jobs[i].t && s->jobs[i].fd[k] >= 0) {
                    pf[n].fd = s->jobs[i].fd[k];
                    pf[n].events = POLLIN;
                    owner[n] = &s->jobs[i];
                    kind[n++] = (int)k;
                }
        now = ut_now_ms();
        wait_ms = (int)(s->last_out + s->so.heartbeat_ms - now);
        if (wait_ms > 200)
            wait_ms = 200;   /* children are reaped by polling waitpid */
        if (wake && wake - now < wait_ms)
            wait_ms = (int)(wake - now);
        if (wait_ms < 0)
            wait_ms = 0;
        if (poll(pf, n, wait_ms) > 0)
            for (k = 0; k < n; k++)
                if (pf[k].revents)
                    job_read(owner[k], kind[k]);
        jobs_reap(s);
        if (run_interrupted && !s->stop_reason)
            jobs_kill(s, "interrupted");
        if (s->running && ut_now_ms() - s->last_out >= s->so.heartbeat_ms)
            heartbeat(s);
    }
    return rc;
}

/* ---- JUnit XML -------------------------------------------------------- */
/* Appends S escaped for XML text or attribute values: & < > " ' become
 * entities, control characters other than tab and newline are dropped
 * (XML 1.0 forbids them), bytes that are not UTF-8 become '?'. */
static void xml_add(ut_buf *b, const char *str, int attr)
{
    const unsigned char *p = (const unsigned char *)(str ? str : "");

    while (*p) {
        unsigned char c = *p;
        size_t need = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 :
                      c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ?
                      3 : 9, i;
        if (need == 9) {
            ut_buf_addc(b, '?');
            p++;
            continue;
        }
        if (need) {
            for (i = 1; i <= need && (p[i] & 0xC0) == 0x80; i++)
                ;
            if (i <= need) {
                ut_buf_addc(b, '?');
                p++;
            } else {
                ut_buf_add(b, p, need + 1);
                p += need + 1;
            }
            continue;
        }
        switch (c) {
        case '&': ut_buf_adds(b, "&amp;"); break;
        case '<': ut_buf_adds(b, "&lt;"); break;
        case '>': ut_buf_adds(b, "&gt;"); break;
        case '"': ut_buf_adds(b, "&quot;"); break;
        case '\'': ut_buf_adds(b, "&apos;"); break;
        case '\n': ut_buf_adds(b, attr ? "&#10;" : "\n"); break;
        case '\t': ut_buf_adds(b, attr ? "&#9;" : "\t"); break;
        default:
            if (c >= 0x20)
                ut_buf_addc(b, (char)c);
        }
        p++;
    }
}

/* <TAG message="…" type="…">detail</TAG> for one failed attempt. */
static void xml_fail(ut_buf *b, const char *tag, const struct attempt *a,
                     int sub)
{
    struct fail_info fi;

    fail_of(a, &fi);
    ut_buf_addf(b, "      <%s message=\"", tag);
    xml_add(b, fi.msg, 1);
    ut_buf_adds(b, "\" type=\"");
    xml_add(b, fi.type, 1);
    ut_buf_adds(b, "\">");
    if (sub) {                       /* Surefire: rerun/flaky detail */
        ut_buf_adds(b, "<system-err>");
        xml_add(b, a->err, 0);
        ut_buf_adds(b, "</system-err>");
    } else {
        const char *p = a->err ? a->err : "";
        while (*p) {                 /* the failure block, not ok lines */
            size_t len = strcspn(p, "\n");
            if (!ut_starts_with(p, "  ok ")) {
                char *l = ut_strndup(p, len);
                xml_add(b, l, 0);
                ut_buf_addc(b, '\n');
                free(l);
            }
            p += len + (p[len] == '\n');
        }
    }
    ut_buf_addf(b, "</%s>\n", tag);
}

static void xml_case(ut_buf *b, const struct smoke *s,
                     const struct smoke_task *t)
{
    const char *slash = strrchr(t->file, '/');
    char *dir = slash ? ut_strndup(t->file, (size_t)(slash - t->file))
                      : ut_strdup(".");
    const struct attempt *last = t->natt ? &t->att[t->natt - 1] : NULL;
    int64_t ms = 0;
    int i;
    struct fail_info fi;

    for (i = 0; i < t->natt; i++)
        ms += t->att[i].ms;
    ut_buf_adds(b, "    <testcase classname=\"");
    xml_add(b, dir, 1);
    ut_buf_adds(b, "\" name=\"");
    xml_add(b, t->label, 1);
    ut_buf_adds(b, "\" file=\"");
    xml_add(b, t->file, 1);
    ut_buf_addf(b, "\" time=\"%.3f\">\n", ms / 1000.0);
    free(dir);
    if (t->natt > 1 || t->trace) {
        ut_buf_adds(b, "      <properties>\n");
        if (t->flaky)
            ut_buf_adds(b, "        <property name=\"flaky\" "
                        "value=\"true\"/>\n");
        ut_buf_addf(b, "        <property name=\"attempts\" value=\"%d\"/>\n",
                    t->natt);
        if (t->trace) {
            ut_buf_adds(b, "        <property name=\"trace\" value=\"");
            xml_add(b, t->trace, 1);
            ut_buf_adds(b, "\"/>\n");
        }
        ut_buf_adds(b, "      </properties>\n");
    }
    if (t->state == TASK_SKIPPED) {
        ut_buf_adds(b, "      <skipped message=\"");
        xml_add(b, t->skip_reason ? t->skip_reason : "not run", 1);
        ut_buf_adds(b, "\"/>\n");
    } else if (t->code != 0) {
        fail_of(last, &fi);
        xml_fail(b, fi.is_error ? "error" : "failure", last, 0);
        for (i = 0; i + 1 < t->natt; i++) {
            fail_of(&t->att[i], &fi);
            xml_fail(b, fi.is_error ? "rerunError" : "rerunFailure",
                     &t->att[i], 1);
        }
    } else {
        for (i = 0; i + 1 < t->natt; i++) {
            fail_of(&t->att[i], &fi);
            xml_fail(b, fi.is_error ? "flakyError" : "flakyFailure",
                     &t->att[i], 1);
        }
    }
    if (last) {
        ut_buf_adds(b, "      <system-out>");
        if (t->flaky)
            ut_buf_addf(b, "flaky: passed on attempt %d of %d\n", t->natt,
                        s->so.retries + 1);
        xml_add(b, last->err, 0);
        ut_buf_adds(b, "</system-out>\n");
    }
    ut_buf_adds(b, "    </testcase>\n");
}

struct counts { int passed, failed, flaky, skipped, failures, errors; };

static void count(const struct smoke *s, struct counts *c)
{
    size_t i;

    memset(c, 0, sizeof *c);
    for (i = 0; i < s->ntasks; i++) {
        const struct smoke_task *t = &s->tasks[i];
        struct fail_info fi;
        if (t->state != TASK_DONE) {
            c->skipped++;
        } else if (t->code == 0) {
            if (t->flaky)
                c->flaky++;
            else
                c->passed++;
        } else {
            c->failed++;
            fail_of(&t->att[t->natt - 1], &fi);
            if (fi.is_error)
                c->errors++;
            else
                c->failures++;
        }
    }
}

static int write_junit(const struct smoke *s, int64_t ms, char *err,
                       size_t errlen)
{
    ut_buf b;
    struct counts c;
    char stamp[32], host[256] = "localhost";
    time_t now = time(NULL);
    struct tm tm;
    size_t i;
    int rc;

    count(s, &c);
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    gethostname(host, sizeof host - 1);
    ut_buf_init(&b, SMOKE_MAX_JUNIT);
    ut_buf_addf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<testsuites name=\"cdpilot smoke\" tests=\"%zu\" "
                "failures=\"%d\" errors=\"%d\" skipped=\"%d\" "
                "time=\"%.3f\">\n", s->ntasks, c.failures, c.errors,
                c.skipped, ms / 1000.0);
    ut_buf_addf(&b, "  <testsuite name=\"cdpilot smoke\" tests=\"%zu\" "
                "failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\" "
                "timestamp=\"%s\" hostname=\"", s->ntasks, c.failures,
                c.errors, c.skipped, ms / 1000.0, stamp);
    xml_add(&b, host, 1);
    ut_buf_adds(&b, "\">\n");
    for (i = 0; i < s->ntasks; i++)
        xml_case(&b, s, &s->tasks[i]);
    rc = ut_buf_adds(&b, "  </testsuite>\n</testsuites>\n");
    if (rc)
        ut_err(err, errlen, -1, "--junit %s: report larger than %u MiB",
               s->so.junit, SMOKE_MAX_JUNIT >> 20);
    else if (ut_write_file(s->so.junit, b.p, b.len, 0644))
        rc = ut_err(err, errlen, -1, "--junit %s: %s", s->so.junit,
                    strerror(errno));
    ut_buf_free(&b);
    return rc;
}

/* ---- the --json document ------------------------------------------- */
static void set_item(cJSON *o, const char *k, cJSON *v)
{
    cJSON_DeleteItemFromObjectCaseSensitive(o, k);
    cJSON_AddItemToObject(o, k, v);
}

/* The attempt's report (taken from A), or one made up when the child
 * printed none (invalid task file, crash). */
static cJSON *attempt_json(const struct smoke_task *t, struct attempt *a)
{
    cJSON *r = a->report;
    struct fail_info fi;

    fail_of(a, &fi);           /* reads a->report: before taking it */
    a->report = NULL;
    if (!r) {
        r = cJSON_CreateObject();
        cJSON_AddNumberToObject(r, "schema_version", RUN_SCHEMA_VERSION);
        if (t->name)
            cJSON_AddStringToObject(r, "task", t->name);
        else
            cJSON_AddNullToObject(r, "task");
        cJSON_AddStringToObject(r, "status", a->code ? "failed" : "passed");
        cJSON_AddNumberToObject(r, "exit_code", a->code);
        cJSON_AddNumberToObject(r, "duration_ms", (double)a->ms);
        cJSON_AddArrayToObject(r, "steps");
    }
    set_item(r, "file", cJSON_CreateString(t->file));
    if (a->code) {
        set_item(r, "error_class", cJSON_CreateString(fi.type));
        set_item(r, "error", cJSON_CreateString(fi.msg));
    }
    if (a->wait_ms)
        set_item(r, "retry_wait_ms", cJSON_CreateNumber((double)a->wait_ms));
    return r;
}

static cJSON *task_json(struct smoke_task *t)
{
    cJSON *r;
    int i;

    if (t->natt == 0) {
        r = cJSON_CreateObject();
        cJSON_AddNumberToObject(r, "schema_version", RUN_SCHEMA_VERSION);
        if (t->name)
            cJSON_AddStringToObject(r, "task", t->name);
        else
            cJSON_AddNullToObject(r, "task");
        cJSON_AddStringToObject(r, "file", t->file);
        cJSON_AddStringToObject(r, "status", "skipped");
    } else {
        r = attempt_json(t, &t->att[t->natt - 1]);
        if (t->state == TASK_SKIPPED)
            set_item(r, "status", cJSON_CreateString("skipped"));
    }
    if (t->state == TASK_SKIPPED)
        set_item(r, "reason", cJSON_CreateString(t->skip_reason ?
                 t->skip_reason : "not run"));
    set_item(r, "attempts", cJSON_CreateNumber(t->natt));
    set_item(r, "flaky", cJSON_CreateBool(t->flaky));
    if (t->trace)
        set_item(r, "trace", cJSON_CreateString(t->trace));
    if (t->natt > 1) {
        cJSON *f = cJSON_CreateArray();
        for (i = 0; i + 1 < t->natt; i++)
            cJSON_AddItemToArray(f, attempt_json(t, &t->att[i]));
        set_item(r, "failed_attempts", f);
    }
    return r;
}

static void print_json(struct smoke *s, int code, int64_t ms)
{
    cJSON *o = cJSON_CreateObject(), *a, *c;
    struct counts n;
    struct rusage ru;
    double child_rss = 0;
    size_t i;
    char *txt;

    count(s, &n);
    cJSON_AddNumberToObject(o, "schema_version", RUN_SCHEMA_VERSION);
    cJSON_AddStringToObject(o, "status", code ? "failed" : "passed");
    cJSON_AddNumberToObject(o, "exit_code", code);
    cJSON_AddNumberToObject(o, "passed", n.passed);
    cJSON_AddNumberToObject(o, "failed", n.failed);
    cJSON_AddNumberToObject(o, "flaky", n.flaky);
    cJSON_AddNumberToObject(o, "skipped", n.skipped);
    cJSON_AddNumberToObject(o, "duration_ms", (double)ms);
    cJSON_AddNumberToObject(o, "jobs", s->so.jobs);
    if (s->base_url)
        cJSON_AddStringToObject(o, "base_url", s->base_url);
    a = cJSON_AddArrayToObject(o, "tasks");
    for (i = 0; i < s->ntasks; i++) {
        cJSON *t = task_json(&s->tasks[i]);
        cJSON *ctl = cJSON_GetObjectItemCaseSensitive(t, "controller");
        cJSON *rss = cJSON_GetObjectItemCaseSensitive(ctl, "max_rss_kb");
        if (cJSON_IsNumber(rss) && rss->valuedouble > child_rss)
            child_rss = rss->valuedouble;
        cJSON_AddItemToArray(a, t);
    }
    getrusage(RUSAGE_SELF, &ru);
    c = cJSON_AddObjectToObject(o, "controller");
    cJSON_AddNumberToObject(c, "cpu_ms",
        (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
        (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0);
    cJSON_AddNumberToObject(c, "max_rss_kb", (double)ru.ru_maxrss);
    cJSON_AddNumberToObject(c, "children_max_rss_kb", child_rss);
    txt = cJSON_Print(o);
    if (txt) {
        fputs(txt, stdout);
        fputc('\n', stdout);
        free(txt);
    }
    fflush(stdout);
    cJSON_Delete(o);
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
    free(s->so.fwd);
    free(s->so.paths);
    if (s->devnull >= 0)
        close(s->devnull);
}

static int final_code(const struct smoke *s)
{
    size_t i;
    int code = RUN_EXIT_OK;

    for (i = 0; i < s->ntasks; i++) {
        const struct smoke_task *t = &s->tasks[i];
        int c = t->state == TASK_DONE ? norm_code(t->code) : RUN_EXIT_OK;
        if (rank(c) > rank(code))
            code = c;
    }
    return code;
}

int run_smoke_cmd(int argc, char **argv, struct run_opts *o)
{
    struct smoke s;
    struct srv *srv = NULL;
    struct counts c;
    char err[RUN_ERR_LEN] = "";
    int code = RUN_EXIT_USAGE, i;
    size_t k;
    int64_t ms;

    for (i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(smoke_help, stdout);
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
    if (s.ntasks == 0) {
        fprintf(stderr, "cdpilot: smoke: no task files%s under %s\n",
                s.so.grep ? " match --grep" : "", s.so.paths[0]);
        goto out;
    }
    if ((s.so.trace_dir && set_traces(&s)) ||
        !(s.queue = calloc(s.ntasks * ((size_t)s.so.retries + 1),
                           sizeof *s.queue))) {
        fprintf(stderr, "cdpilot: smoke: out of memory\n");
        goto out;
    }
    for (k = 0; k < s.ntasks; k++)
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
        say(&s, "smoke: %zu task%s, %d at a time%s%s\n", s.ntasks,
            s.ntasks == 1 ? "" : "s", s.so.jobs,
            s.base_url ? ", serving at " : "",
            s.base_url ? s.base_url : "");
    if (run_all(&s, err, sizeof err))
        fprintf(stderr, "cdpilot: smoke: %s\n", err);
    ms = ut_now_ms() - s.t0;
    for (k = 0; k < s.ntasks; k++)
        if (s.tasks[k].state == TASK_PENDING) {
            s.tasks[k].state = TASK_SKIPPED;
            s.tasks[k].skip_reason = s.stop_reason;
        }
    code = final_code(&s);
    if (err[0] && code == RUN_EXIT_OK)
        code = RUN_EXIT_BROWSER;   /* could not start a child */
    if (run_interrupted)
        code = 128 + run_interrupted;
    if (s.so.junit && write_junit(&s, ms, err, sizeof err)) {
        fprintf(stderr, "cdpilot: smoke: %s\n", err);
        if (code == RUN_EXIT_OK)
            code = RUN_EXIT_USAGE;
    }
    count(&s, &c);
    fprintf(stderr, "smoke: %d passed, %d failed, %d flaky", c.passed,
            c.failed, c.flaky);
    if (c.skipped)
        fprintf(stderr, ", %d skipped", c.skipped);
    fprintf(stderr, " in %.1f s\n", ms / 1000.0);
    if (s.so.json)
        print_json(&s, code, ms);
out:
    srv_stop(srv);
    smoke_free(&s);
    return code;
}
