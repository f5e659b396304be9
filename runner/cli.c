/* cli.c -- the command line: argument parsing, commands, signals. */
#include "exec_int.h"
#include "shard_int.h"
#include "../cdp/cdp.h"
#include "../cache/cache.h"
#include "../serve/serve.h"
#include "../util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#define CDPILOT_VERSION "0.1.0"
#define MAX_TASK_FILE (16u * 1024 * 1024)

/* ---- signals --------------------------------------------------------- */
static volatile sig_atomic_t signals_seen;

static void on_signal(int sig)
{
    int saved = errno;

    run_interrupted = sig;
    /* Killing the browser ends any call in flight at once; the run then
     * unwinds normally, keeping its checkpoint. A second signal leaves
     * at once, after removing what the run would have removed. The
     * others are held while this runs (sa_mask). */
    if (++signals_seen > 1) {
        cdp_abandon_all();
        _exit(128 + sig);
    }
    cdp_kill_all();
    errno = saved;
}

static void at_exit(void)
{
    cdp_kill_all();
    cdp_cleanup_dirs();
}

static void install_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGHUP);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    atexit(at_exit);
}

/* ---- options --------------------------------------------------------- */
/* Splits ARGV (after the command CMD) into options (into O) and
 * positional words (into POS, NPOS). A common option that CMD's help
 * does not list is refused: it would be ignored. Returns 0 or -1 (the
 * usage error printed). */
static int parse_args(const char *cmd, int argc, char **argv,
                      struct run_opts *o, char **pos, int *npos)
{
    static const struct run_optdef none[] = { { NULL, NULL, 0, 0 } };
    struct run_optscan sc = { .argc = argc, .argv = argv,
                              .common = RUN_OPT_ALL };
    int id;

    *npos = 0;
    while ((id = run_opt_next(&sc, none)) != RUN_OPT_END) {
        if (id == RUN_OPT_BAD)
            return -1;
        if (id == RUN_OPT_WORD)
            pos[(*npos)++] = (char *)sc.value;
        else if (!run_help_takes(cmd, sc.def->name)) {
            run_usage_err(cmd, "does not take %s%s", sc.def->name,
                          id == RUN_O_FIX || id == RUN_O_FIX_STEP ||
                          id == RUN_O_FIX_PICK ? " (resolve's option)" : "");
            return -1;
        } else if (run_opt_apply(o, id, sc.value, NULL))
            return -1;
    }
    return 0;
}

static void new_run_id(char *out, size_t n)
{
    unsigned char r[4] = {0};
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    time_t now = time(NULL);
    struct tm tm;

    if (fd >= 0) {
        if (read(fd, r, sizeof r) != (ssize_t)sizeof r)
            memset(r, 0, sizeof r);
        close(fd);
    }
    gmtime_r(&now, &tm);
    snprintf(out, n, "%04d%02d%02d-%02d%02d%02d-%02x%02x%02x%02x",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, r[0], r[1], r[2], r[3]);
}

/* Checks every literal target before the browser starts. */
static int check_targets(const struct run_task *t, char *err, size_t errlen)
{
    size_t i;

    for (i = 0; i < t->nsteps; i++) {
        const struct run_step *st = &t->steps[i];
        struct sel_target tg;
        char e[256];
        if (!st->target || strstr(st->target, "${"))
            continue;
        if (sel_target_parse(st->target, &tg, e, sizeof e))
            return ut_err(err, errlen, -1, "%s: step %zu (%s): %s", t->file,
                          i + 1, run_kind_name(st->kind), e);
        sel_target_clear(&tg);
    }
    return 0;
}

/* --report FILE.html over the tasks' reports; 0 or -1 (said). */
static int report_html(const char *path, const cJSON *reports, int code)
{
    cJSON *doc = cJSON_CreateObject();
    char err[RUN_ERR_LEN];
    int rc;

    cJSON_AddNumberToObject(doc, "exit_code", code);
    cJSON_AddItemReferenceToObject(doc, "tasks", (cJSON *)reports);
    rc = run_report_html(path, doc, err, sizeof err);
    if (rc)
        fprintf(stderr, "cdpilot: %s\n", err);
    cJSON_Delete(doc);
    return rc;
}

static int exec_tasks(struct run_task *tasks, size_t n,
                      const struct run_opts *o)
{
    cJSON *reports = cJSON_CreateArray(), *failed = cJSON_CreateArray();
    int code = RUN_EXIT_OK;
    size_t i;

    for (i = 0; i < n && !run_interrupted; i++) {
        struct run_task_report rep;
        char run_id[64];
        int c;

        memset(&rep, 0, sizeof rep);
        if (o->resume)
            ut_strlcpy(run_id, o->resume, sizeof run_id);
        else if (o->run_id && n == 1)
            ut_strlcpy(run_id, o->run_id, sizeof run_id);
        else if (o->run_id)
            snprintf(run_id, sizeof run_id, "%s.%zu", o->run_id, i + 1);
        else
            new_run_id(run_id, sizeof run_id);
        rep.run_id = run_id;
        c = run_task_exec(&tasks[i], o, &rep);
        if (rep.steps) {
            run_report_end(&rep, o);
            if (o->json || o->report_html)
                cJSON_AddItemToArray(reports, run_report_json(&rep));
        }
        if (c)
            run_notify_add(failed, &rep, o);
        run_task_report_free(&rep);
        if (c && !code)
            code = c;
    }
    if (o->report_html && report_html(o->report_html, reports, code) && !code)
        code = RUN_EXIT_USAGE;
    if (o->json)
        run_report_print_json(reports, code);
    else
        cJSON_Delete(reports);
    if (run_interrupted)
        code = 128 + run_interrupted;
    run_notify(o, n ? &tasks[0] : NULL, failed, (int)n, code);
    cJSON_Delete(failed);
    return code;
}

/* A task file that is not valid fails the run too (exit 2): the same
 * notifications, the error in place of a failed step. */
static void notify_invalid(const struct run_opts *o, const char *file,
                           const char *err)
{
    cJSON *failed = cJSON_CreateArray(), *t = cJSON_CreateObject();

    cJSON_AddStringToObject(t, "file", file);
    cJSON_AddStringToObject(t, "status", "invalid");
    cJSON_AddNumberToObject(t, "exit_code", RUN_EXIT_USAGE);
    cJSON_AddStringToObject(t, "error", err);
    cJSON_AddItemToArray(failed, t);
    run_notify(o, NULL, failed, 1, RUN_EXIT_USAGE);
    cJSON_Delete(failed);
}

static int cmd_run(int argc, char **argv, struct run_opts *o)
{
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    struct run_task *tasks;
    int npos, i, code = RUN_EXIT_USAGE;
    char err[RUN_ERR_LEN];

    if (!pos || parse_args("run", argc, argv, o, pos, &npos)) {
        free(pos);
        return RUN_EXIT_USAGE;
    }
    if (npos == 0) {
        run_usage_err(NULL, "run needs at least one task file");
        free(pos);
        return RUN_EXIT_USAGE;
    }
    tasks = calloc((size_t)npos, sizeof *tasks);
    for (i = 0; tasks && i < npos; i++) {
        size_t len;
        char *text = ut_read_file(pos[i], MAX_TASK_FILE, &len, err,
                                  sizeof err);
        int bad;
        if (!text) {
            fprintf(stderr, "cdpilot: %s\n", err);
            goto out;
        }
        bad = run_task_parse_base(strcmp(pos[i], "-") ? pos[i] : "-", text,
                                  len, &o->vars, o->base_url, &tasks[i], err,
                                  sizeof err);
        free(text);
        if (bad || check_targets(&tasks[i], err, sizeof err)) {
            fprintf(stderr, "cdpilot: %s\n", err);
            notify_invalid(o, pos[i], err);
            goto out;
        }
    }
    if (o->resume && npos != 1) {
        run_usage_err(NULL, "--resume takes exactly one task file");
        goto out;
    }
    code = exec_tasks(tasks, (size_t)npos, o);
out:
    for (i = 0; tasks && i < npos; i++)
        run_task_free(&tasks[i]);
    free(tasks);
    free(pos);
    return code;
}

static int cmd_do(int argc, char **argv, struct run_opts *o)
{
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    struct run_task t;
    int npos, code = RUN_EXIT_USAGE;
    char err[RUN_ERR_LEN], *words;

    memset(&t, 0, sizeof t);
    if (!pos || parse_args("do", argc, argv, o, pos, &npos)) {
        free(pos);
        return RUN_EXIT_USAGE;
    }
    if (npos < 1) {
        run_usage_err(NULL, "do needs a URL and steps");
        free(pos);
        return RUN_EXIT_USAGE;
    }
    if (run_words_parse(pos[0], npos - 1, pos + 1, &o->vars, &t, err,
                        sizeof err) ||
        check_targets(&t, err, sizeof err)) {
        fprintf(stderr, "cdpilot: %s\n", err);
        notify_invalid(o, "(inline)", err);
        run_task_free(&t);
        free(pos);
        return RUN_EXIT_USAGE;
    }
    words = run_do_words(argc, argv);
    o->resume_cmd = words;
    code = exec_tasks(&t, 1, o);
    o->resume_cmd = NULL;
    free(words);
    run_task_free(&t);
    free(pos);
    return code;
}

static int cmd_serve(int argc, char **argv)
{
    long port = 8080;
    const char *dir = NULL;
    int i;

    for (i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--port") && i + 1 < argc) {
            if (ut_parse_long(argv[++i], 0, 65535, &port)) {
                run_usage_err(NULL, "--port: \"%s\" is not a port "
                              "(0..65535)", argv[i]);
                return RUN_EXIT_USAGE;
            }
        } else if (!dir && argv[i][0] != '-') {
            dir = argv[i];
        } else {
            run_usage_err(NULL, "serve: unexpected \"%s\"", argv[i]);
            return RUN_EXIT_USAGE;
        }
    }
    if (!dir) {
        run_usage_err(NULL, "serve needs a directory");
        return RUN_EXIT_USAGE;
    }
    if (!ut_is_dir(dir)) {
        fprintf(stderr, "cdpilot: serve: %s: not a directory\n", dir);
        return RUN_EXIT_USAGE;
    }
    return srv_run(dir, (int)port);
}

static int is_help(const char *a)
{
    return !strcmp(a, "--help") || !strcmp(a, "-h");
}

static int wants_help(int argc, char **argv)
{
    int i;

    for (i = 0; i < argc; i++)
        if (is_help(argv[i]))
            return 1;
    return 0;
}

/* Global options: the common options written before the command
 * (`cdpilot --chrome X run t.json`, as with git) go just after it, where
 * every command reads its options. *ARGV becomes a new vector (freed by
 * the caller), *NGLOBAL the number of words moved; 0, or -1 after the
 * usage error. */
static int hoist_globals(int *argc, char ***argv, int *nglobal)
{
    static const struct run_optdef none[] = { { NULL, NULL, 0, 0 } };
    struct run_optscan sc = { .argc = *argc, .argv = *argv, .i = 1,
                              .common = RUN_OPT_ALL };
    char **v;
    int id, n = 1, i;

    while ((id = run_opt_next(&sc, none)) != RUN_OPT_WORD)
        if (id == RUN_OPT_BAD || id == RUN_OPT_END) {
            if (id == RUN_OPT_END)
                run_usage_err(NULL, "no command after the global options");
            return -1;
        }
    v = calloc((size_t)*argc + 1, sizeof *v);
    if (!v) {
        run_usage_err(NULL, "out of memory");
        return -1;
    }
    v[0] = (*argv)[0];
    v[n++] = (*argv)[sc.first];
    for (i = 1; i < sc.first; i++)
        if (strcmp((*argv)[i], "--") != 0)
            v[n++] = (*argv)[i];
    *nglobal = n - 2;
    for (i = sc.first + 1; i < *argc; i++)
        v[n++] = (*argv)[i];
    *argc = n;
    *argv = v;
    return 0;
}

int run_main(int argc, char **argv)
{
    struct run_opts o;
    char **hoisted = NULL;
    const char *cmd;
    int code, nglobal = 0;

    memset(&o, 0, sizeof o);
    o.timeout_ms = -1;
    o.llm_max_calls = -1;
    o.llm_max_cost = -1;
    if (argc < 2) {
        run_help_print(NULL, stderr);
        return RUN_EXIT_USAGE;
    }
    cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("cdpilot %s\n", CDPILOT_VERSION);
        return RUN_EXIT_OK;
    }
    if (is_help(cmd)) {
        run_help_print(NULL, stdout);
        return RUN_EXIT_OK;
    }
    if (cmd[0] == '-') {
        if (hoist_globals(&argc, &argv, &nglobal))
            return RUN_EXIT_USAGE;
        hoisted = argv;
        cmd = argv[1];
    }
    if (!strcmp(cmd, "help")) {
        const char *what = argc > 2 + nglobal ? argv[2 + nglobal] : NULL;
        code = RUN_EXIT_OK;
        if (what && is_help(what))
            what = "help";
        if (argc > 3 + nglobal)
            code = (run_usage_err("help", "expected one COMMAND"),
                    RUN_EXIT_USAGE);
        else if (run_help_print(what, stdout))
            code = (run_usage_err("help", "unknown command \"%s\"", what),
                    RUN_EXIT_USAGE);
        free(hoisted);
        return code;
    }
    if (wants_help(argc - 2, argv + 2) && run_help_find(cmd)) {
        run_help_print(cmd, stdout);
        free(hoisted);
        return RUN_EXIT_OK;
    }
    install_signals();
    if (!strcmp(cmd, "run"))
        code = cmd_run(argc - 2, argv + 2, &o);
    else if (!strcmp(cmd, "do"))
        code = cmd_do(argc - 2, argv + 2, &o);
    else if (!strcmp(cmd, "serve"))
        code = cmd_serve(argc - 2, argv + 2);
    else if (!strcmp(cmd, "cache"))
        code = run_cache_cmd(argc - 2, argv + 2, &o);
    else if (!strcmp(cmd, "smoke"))
        code = run_smoke_cmd(argc - 2, argv + 2, &o);
    else if (!strcmp(cmd, "smoke-merge"))
        code = run_smoke_merge_cmd(argc - 2, argv + 2);
    else if (!strcmp(cmd, "resolve") || !strcmp(cmd, "doctor")) {
        char **pos = calloc((size_t)argc, sizeof *pos);
        int npos;
        if (!pos || parse_args(cmd, argc - 2, argv + 2, &o, pos, &npos))
            code = RUN_EXIT_USAGE;
        else if (!strcmp(cmd, "doctor"))
            code = npos ? (run_usage_err(NULL, "doctor takes no "
                                         "arguments"), RUN_EXIT_USAGE)
                        : run_doctor(&o);
        else if (npos != 2)
            code = (run_usage_err(NULL, "resolve needs URL TARGET"),
                    RUN_EXIT_USAGE);
        else
            code = run_resolve_cmd(pos[0], pos[1], &o);
        free(pos);
    } else {
        run_usage_err(NULL, "unknown command \"%s\"", cmd);
        code = RUN_EXIT_USAGE;
    }
    run_vars_free(&o.vars);
    free(hoisted);
    fflush(stdout);
    return code;
}
