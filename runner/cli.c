/* cli.c -- the command line: argument parsing, commands, signals. */
#include "exec_int.h"
#include "../cdp/cdp.h"
#include "../cache/cache.h"
#include "../serve/serve.h"
#include "../util/util.h"

#include <ctype.h>
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

static const char usage_text[] =
"usage: cdpilot COMMAND [options]\n"
"\n"
"  run TASK.json [TASK.json...]    run task files (\"-\" reads stdin)\n"
"  do URL STEP...                  a task written inline as words\n"
"  smoke PATH... [-j N]            CI smoke tests: every *.json under PATH\n"
"  resolve URL TARGET [--explain]  how a target resolves, with candidates\n"
"  cache stats|list|show|forget|prune|export|import\n"
"  serve DIR [--port N]            static files on 127.0.0.1\n"
"  doctor                          find and check browser, CDP, cache, LLM\n"
"  --version | --help | COMMAND --help\n"
"\n"
"options: --profile NAME|FILE  --chrome PATH  --connect WS_URL  --headful\n"
"         --cache FILE  --no-cache  --no-llm  --json  --trace DIR\n"
"         --var K=V  --base-url URL  --run-id ID  --resume RUN_ID\n"
"         --timeout MS  --restart-browser  -q  -v\n"
"\n"
"exit codes: 0 passed, 1 a step failed, 2 bad usage or task file,\n"
"            3 browser/CDP failure, 4 needed an LLM that was unavailable\n"
"docs: README.md and docs/ (TASKS.md, TARGETS.md, PROFILES.md, ...)\n";

static const char do_help[] =
"usage: cdpilot do URL STEP... [options]\n"
"steps (fixed arity): goto URL | click T | fill T VALUE | press KEYS |\n"
"  select T VALUE | check T | uncheck T | hover T | wait T |\n"
"  wait-text TEXT | expect-text TEXT | expect-url REGEX |\n"
"  extract T NAME | screenshot FILE | eval JS\n"
"T is a target: css=…, xpath=…, text=…, role=button[name=\"Save\"],\n"
"label=…, placeholder=…, testid=…, or plain words (\"Sign in button\").\n"
"Options may come anywhere; \"--\" ends them.\n";

static void usage_err(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static void usage_err(const char *fmt, ...)
{
    va_list ap;

    fputs("cdpilot: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see cdpilot --help)\n", stderr);
}

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
/* Consumes a common option at ARGV[*I]; 1 when taken, 0 when not an
 * option, -1 on a usage error (printed). */
static int take_option(int argc, char **argv, int *i, struct run_opts *o)
{
    const char *a = argv[*i];
    const char *v = NULL;
    static const char *const with_value[] = {
        "--profile", "--chrome", "--connect", "--cache", "--trace", "--var",
        "--resume", "--timeout", "--kind", "--run-id", "--base-url", NULL};
    size_t k;

    for (k = 0; with_value[k]; k++) {
        size_t n = strlen(with_value[k]);
        if (strncmp(a, with_value[k], n) == 0 && (a[n] == '\0' ||
                                                 a[n] == '=')) {
            if (a[n] == '=') {
                v = a + n + 1;
            } else if (*i + 1 < argc) {
                v = argv[++*i];
            } else {
                usage_err("%s needs a value", with_value[k]);
                return -1;
            }
            a = with_value[k];
            break;
        }
    }
    if (v) {
        if (!strcmp(a, "--profile")) o->profile = v;
        else if (!strcmp(a, "--chrome")) o->chrome = v;
        else if (!strcmp(a, "--connect")) o->connect = v;
        else if (!strcmp(a, "--cache")) o->cache_path = v;
        else if (!strcmp(a, "--trace")) o->trace_dir = v;
        else if (!strcmp(a, "--resume")) o->resume = v;
        else if (!strcmp(a, "--kind")) o->kind = v;
        else if (!strcmp(a, "--base-url")) {
            static const char *const bases[] = {"http", "https", "file",
                                                NULL};
            char why[300];

            if (ut_url_check_abs(v, bases, why, sizeof why)) {
                usage_err("--base-url: expected an http(s):// or file:// "
                          "URL, got %s", why);
                return -1;
            }
            o->base_url = v;
        }
        else if (!strcmp(a, "--run-id")) {
            size_t k2;
            for (k2 = 0; v[k2]; k2++)
                if (!isalnum((unsigned char)v[k2]) && !strchr("-_.", v[k2]))
                    break;
            if (!*v || v[k2] || k2 > 64) {
                usage_err("--run-id \"%s\": use up to 64 letters, digits, "
                          "'-', '_' or '.'", v);
                return -1;
            }
            o->run_id = v;
        }
        else if (!strcmp(a, "--timeout")) {
            long ms;
            if (ut_parse_long(v, 0, 3600000, &ms)) {
                usage_err("--timeout: \"%s\" is not a number of "
                          "milliseconds (0..3600000)", v);
                return -1;
            }
            o->timeout_ms = (int)ms;
        } else if (!strcmp(a, "--var")) {
            const char *eq = strchr(v, '=');
            char name[256];
            if (!eq || eq == v || (size_t)(eq - v) >= sizeof name) {
                usage_err("--var \"%s\": expected NAME=VALUE", v);
                return -1;
            }
            memcpy(name, v, (size_t)(eq - v));
            name[eq - v] = '\0';
            run_vars_set(&o->vars, name, eq + 1, 0);
        }
        return 1;
    }
    if (!strcmp(a, "--headful")) o->headful = 1;
    else if (!strcmp(a, "--no-cache")) o->no_cache = 1;
    else if (!strcmp(a, "--no-llm")) o->no_llm = 1;
    else if (!strcmp(a, "--json")) o->json = 1;
    else if (!strcmp(a, "--explain")) o->explain = 1;
    else if (!strcmp(a, "--restart-browser")) o->restart_browser = 1;
    else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) o->quiet = 1;
    else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) o->verbose = 1;
    else if (a[0] == '-' && a[1] != '\0') {
        usage_err("unknown option \"%s\"", a);
        return -1;
    } else {
        return 0;
    }
    return 1;
}

/* Splits ARGV (after the command) into options (into O) and positional
 * words (into POS, NPOS). Returns 0 or -1. */
static int parse_args(int argc, char **argv, struct run_opts *o,
                      char **pos, int *npos)
{
    int i, rc, opts_done = 0;

    *npos = 0;
    for (i = 0; i < argc; i++) {
        if (!opts_done && strcmp(argv[i], "--") == 0) {
            opts_done = 1;
            continue;
        }
        if (!opts_done && strcmp(argv[i], "-") != 0) {
            rc = take_option(argc, argv, &i, o);
            if (rc < 0)
                return -1;
            if (rc == 1)
                continue;
        }
        pos[(*npos)++] = argv[i];
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

static int exec_tasks(struct run_task *tasks, size_t n,
                      const struct run_opts *o)
{
    cJSON *reports = cJSON_CreateArray();
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
            if (o->json)
                cJSON_AddItemToArray(reports, run_report_json(&rep));
        }
        run_task_report_free(&rep);
        if (c && !code)
            code = c;
    }
    if (o->json)
        run_report_print_json(reports, code);
    else
        cJSON_Delete(reports);
    if (run_interrupted)
        return 128 + run_interrupted;
    return code;
}

static int cmd_run(int argc, char **argv, struct run_opts *o)
{
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    struct run_task *tasks;
    int npos, i, code = RUN_EXIT_USAGE;
    char err[RUN_ERR_LEN];

    if (!pos || parse_args(argc, argv, o, pos, &npos)) {
        free(pos);
        return RUN_EXIT_USAGE;
    }
    if (npos == 0) {
        usage_err("run needs at least one task file");
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
            goto out;
        }
    }
    if (o->resume && npos != 1) {
        usage_err("--resume takes exactly one task file");
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
    char err[RUN_ERR_LEN];

    memset(&t, 0, sizeof t);
    if (!pos || parse_args(argc, argv, o, pos, &npos)) {
        free(pos);
        return RUN_EXIT_USAGE;
    }
    if (npos < 1) {
        usage_err("do needs a URL and steps");
        free(pos);
        return RUN_EXIT_USAGE;
    }
    if (run_words_parse(pos[0], npos - 1, pos + 1, &o->vars, &t, err,
                        sizeof err) ||
        check_targets(&t, err, sizeof err)) {
        fprintf(stderr, "cdpilot: %s\n", err);
        run_task_free(&t);
        free(pos);
        return RUN_EXIT_USAGE;
    }
    code = exec_tasks(&t, 1, o);
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
                usage_err("--port: \"%s\" is not a port (0..65535)",
                          argv[i]);
                return RUN_EXIT_USAGE;
            }
        } else if (!dir && argv[i][0] != '-') {
            dir = argv[i];
        } else {
            usage_err("serve: unexpected \"%s\"", argv[i]);
            return RUN_EXIT_USAGE;
        }
    }
    if (!dir) {
        usage_err("serve needs a directory");
        return RUN_EXIT_USAGE;
    }
    if (!ut_is_dir(dir)) {
        fprintf(stderr, "cdpilot: serve: %s: not a directory\n", dir);
        return RUN_EXIT_USAGE;
    }
    return srv_run(dir, (int)port);
}

static int wants_help(int argc, char **argv)
{
    int i;

    for (i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

int run_main(int argc, char **argv)
{
    struct run_opts o;
    const char *cmd;
    int code;

    memset(&o, 0, sizeof o);
    o.timeout_ms = -1;
    if (argc < 2) {
        fputs(usage_text, stderr);
        return RUN_EXIT_USAGE;
    }
    cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("cdpilot %s\n", CDPILOT_VERSION);
        return RUN_EXIT_OK;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") ||
        !strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        return RUN_EXIT_OK;
    }
    if (wants_help(argc - 2, argv + 2) && strcmp(cmd, "smoke") != 0) {
        fputs(!strcmp(cmd, "do") ? do_help : usage_text, stdout);
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
    else if (!strcmp(cmd, "resolve") || !strcmp(cmd, "doctor")) {
        char **pos = calloc((size_t)argc, sizeof *pos);
        int npos;
        if (!pos || parse_args(argc - 2, argv + 2, &o, pos, &npos))
            code = RUN_EXIT_USAGE;
        else if (!strcmp(cmd, "doctor"))
            code = npos ? (usage_err("doctor takes no arguments"),
                           RUN_EXIT_USAGE) : run_doctor(&o);
        else if (npos != 2)
            code = (usage_err("resolve needs URL TARGET"), RUN_EXIT_USAGE);
        else
            code = run_resolve_cmd(pos[0], pos[1], &o);
        free(pos);
    } else {
        usage_err("unknown command \"%s\"", cmd);
        code = RUN_EXIT_USAGE;
    }
    run_vars_free(&o.vars);
    fflush(stdout);
    return code;
}
