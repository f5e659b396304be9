/* options.c -- the one option parser of every command: a table of the
 * options a command takes (run_optdef), a scanner over its words
 * (run_opt_next), and the options common to run, do, resolve, doctor and
 * smoke, checked and stored into struct run_opts (run_opt_apply).
 *
 * Syntax, the same everywhere: "--name value" or "--name=value" for an
 * option that takes a value, a short alias likewise ("-j 4", "-j=4", and
 * "-j4"), "--" ends the options, and "-" alone is a word (stdin). Usage
 * errors are one line: "cdpilot: [CMD: ]WHAT (see cdpilot [CMD ]--help)".
 */
#include "exec_int.h"
#include "../util/util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void run_usage_err(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fputs("cdpilot: ", stderr);
    if (cmd)
        fprintf(stderr, "%s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see cdpilot %s%s--help)\n", cmd ? cmd : "",
            cmd ? " " : "");
}

/* Whether word A is option D: its name or alias, alone or followed by
 * "=value" (or, for a short alias that takes a value, by the value). On
 * a match *VAL points at an attached value, or is NULL. */
static int matches(const struct run_optdef *d, const char *a,
                   const char **val)
{
    const char *names[2] = { d->name, d->alias };
    size_t k, n;

    for (k = 0; k < 2; k++) {
        if (!names[k])
            continue;
        n = strlen(names[k]);
        if (strncmp(a, names[k], n) != 0)
            continue;
        *val = NULL;
        if (a[n] == '\0')
            return 1;
        if (!d->takes_value)
            continue;
        if (a[n] == '=') {
            *val = a + n + 1;
            return 1;
        }
        if (n == 2 && names[k][1] != '-') {         /* -j4 */
            *val = a + n;
            return 1;
        }
    }
    return 0;
}

int run_opt_next(struct run_optscan *sc, const struct run_optdef *defs)
{
    const char *a, *val;
    size_t k;

    sc->def = NULL;
    sc->value = NULL;
    for (;;) {
        if (sc->i >= sc->argc)
            return RUN_OPT_END;
        sc->first = sc->i;
        a = sc->argv[sc->i++];
        if (sc->done || a[0] != '-' || a[1] == '\0') {
            sc->value = a;
            return RUN_OPT_WORD;
        }
        if (strcmp(a, "--") != 0)
            break;
        sc->done = 1;
    }
    for (k = 0; defs[k].name; k++)
        if (matches(&defs[k], a, &val)) {
            sc->def = &defs[k];
            break;
        }
    for (k = 0; !sc->def && sc->common && run_common_opts[k].name; k++)
        if ((sc->common & RUN_OPT_BIT(run_common_opts[k].id)) &&
            matches(&run_common_opts[k], a, &val))
            sc->def = &run_common_opts[k];
    if (!sc->def) {
        run_usage_err(sc->cmd, "unknown option \"%s\"", a);
        return RUN_OPT_BAD;
    }
    if (sc->def->takes_value) {
        if (!val && sc->i >= sc->argc) {
            run_usage_err(sc->cmd, "%s needs a value", sc->def->name);
            return RUN_OPT_BAD;
        }
        sc->value = val ? val : sc->argv[sc->i++];
    }
    return sc->def->id;
}

const struct run_optdef run_common_opts[] = {
    { "--profile", NULL, 1, RUN_O_PROFILE },
    { "--chrome", NULL, 1, RUN_O_CHROME },
    { "--connect", NULL, 1, RUN_O_CONNECT },
    { "--cache", NULL, 1, RUN_O_CACHE },
    { "--trace", NULL, 1, RUN_O_TRACE },
    { "--var", NULL, 1, RUN_O_VAR },
    { "--resume", NULL, 1, RUN_O_RESUME },
    { "--timeout", NULL, 1, RUN_O_TIMEOUT },
    { "--kind", NULL, 1, RUN_O_KIND },
    { "--run-id", NULL, 1, RUN_O_RUN_ID },
    { "--base-url", NULL, 1, RUN_O_BASE_URL },
    { "--headful", NULL, 0, RUN_O_HEADFUL },
    { "--no-cache", NULL, 0, RUN_O_NO_CACHE },
    { "--no-llm", NULL, 0, RUN_O_NO_LLM },
    { "--json", NULL, 0, RUN_O_JSON },
    { "--explain", NULL, 0, RUN_O_EXPLAIN },
    { "--restart-browser", NULL, 0, RUN_O_RESTART_BROWSER },
    { "--quiet", "-q", 0, RUN_O_QUIET },
    { "--verbose", "-v", 0, RUN_O_VERBOSE },
    { "--block", NULL, 1, RUN_O_BLOCK },
    { "--state", NULL, 1, RUN_O_STATE },
    { "--save-state", NULL, 1, RUN_O_SAVE_STATE },
    { "--report", NULL, 1, RUN_O_REPORT },
    { "--fix", NULL, 1, RUN_O_FIX },
    { "--step", NULL, 1, RUN_O_FIX_STEP },
    { "--pick", NULL, 1, RUN_O_FIX_PICK },
    { "--browser-version", NULL, 1, RUN_O_BROWSER_VERSION },
    { "--on-failure", NULL, 1, RUN_O_ON_FAILURE },
    { "--notify", NULL, 1, RUN_O_NOTIFY },
    { "--no-notify", NULL, 0, RUN_O_NO_NOTIFY },
    { "--grid", NULL, 1, RUN_O_GRID },
    { NULL, NULL, 0, 0 }
};

static int check_run_id(const char *cmd, const char *v)
{
    size_t k;

    for (k = 0; v[k]; k++)
        if (!isalnum((unsigned char)v[k]) && !strchr("-_.", v[k]))
            break;
    if (!*v || v[k] || k > 64) {
        run_usage_err(cmd, "--run-id \"%s\": use up to 64 letters, digits, "
                      "'-', '_' or '.'", v);
        return -1;
    }
    return 0;
}

/* --state FILE is a state file; --save-state FILE's folder is there.
 * Before any browser starts; no value of the file is quoted. */
static int check_state_opt(int id, const char *v, const char *cmd)
{
    struct cJSON *st = NULL;
    char err[RUN_ERR_LEN], dir[4096], *slash;

    if (id == RUN_O_STATE) {
        if (run__state_read(v, &st, err, sizeof err)) {
            run_usage_err(cmd, "--state: %s", err);
            return -1;
        }
        cJSON_Delete(st);
        return 0;
    }
    ut_strlcpy(dir, v, sizeof dir);
    slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir] = '\0';
    if (!*v || (slash && !ut_is_dir(dir))) {
        run_usage_err(cmd, "--save-state \"%s\": no such folder", v);
        return -1;
    }
    return 0;
}

/* --browser-version (pin.c), --on-failure and --notify (notify.c). */
static int apply_pin_notify(struct run_opts *o, int id, const char *v,
                            const char *cmd)
{
    static const char *const web[] = { "http", "https", NULL };
    struct run_pin pin;
    char why[300];

    switch (id) {
    case RUN_O_BROWSER_VERSION:
        if (run_pin_parse(v, &pin, why, sizeof why)) {
            run_usage_err(cmd, "--browser-version: %s", why);
            return -1;
        }
        o->browser_version = v;
        return 0;
    case RUN_O_ON_FAILURE:
        if (!*v) {
            run_usage_err(cmd, "--on-failure: expected a shell command");
            return -1;
        }
        o->on_failure = v;
        return 0;
    default:
        if (ut_url_check_abs(v, web, why, sizeof why)) {
            run_usage_err(cmd, "--notify: expected an http:// or https:// "
                          "URL, got %s", why);
            return -1;
        }
        o->notify_url = v;
        return 0;
    }
}

int run_opt_apply(struct run_opts *o, int id, const char *v, const char *cmd)
{
    static const char *const bases[] = { "http", "https", "file", NULL };
    char why[300], name[256];
    const char *eq;
    long ms;

    switch (id) {
    case RUN_O_PROFILE:  o->profile = v; break;
    case RUN_O_CHROME:   o->chrome = v; break;
    case RUN_O_CONNECT: case RUN_O_GRID:
        return run_grid_opt(o, id, v, cmd);
    case RUN_O_CACHE:    o->cache_path = v; break;
    case RUN_O_TRACE:    o->trace_dir = v; break;
    case RUN_O_RESUME:   o->resume = v; break;
    case RUN_O_KIND:     o->kind = v; break;
    case RUN_O_HEADFUL:  o->headful = 1; break;
    case RUN_O_NO_CACHE: o->no_cache = 1; break;
    case RUN_O_NO_LLM:   o->no_llm = 1; break;
    case RUN_O_JSON:     o->json = 1; break;
    case RUN_O_EXPLAIN:  o->explain = 1; break;
    case RUN_O_QUIET:    o->quiet = 1; break;
    case RUN_O_VERBOSE:  o->verbose = 1; break;
    case RUN_O_RESTART_BROWSER: o->restart_browser = 1; break;
    case RUN_O_NO_NOTIFY: o->no_notify = 1; break;
    case RUN_O_STATE: case RUN_O_SAVE_STATE:
        if (check_state_opt(id, v, cmd))
            return -1;
        *(id == RUN_O_STATE ? &o->state : &o->save_state) = v;
        break;
    case RUN_O_BROWSER_VERSION: case RUN_O_ON_FAILURE: case RUN_O_NOTIFY:
        return apply_pin_notify(o, id, v, cmd);
    case RUN_O_BASE_URL:
        if (ut_url_check_abs(v, bases, why, sizeof why)) {
            run_usage_err(cmd, "--base-url: expected an http(s):// or "
                          "file:// URL, got %s", why);
            return -1;
        }
        o->base_url = v;
        break;
    case RUN_O_RUN_ID:
        if (check_run_id(cmd, v))
            return -1;
        o->run_id = v;
        break;
    case RUN_O_TIMEOUT:
        if (ut_parse_long(v, 0, 3600000, &ms)) {
            run_usage_err(cmd, "--timeout: \"%s\" is not a number of "
                          "milliseconds (0..3600000)", v);
            return -1;
        }
        o->timeout_ms = (int)ms;
        break;
    case RUN_O_VAR:
        eq = strchr(v, '=');
        if (!eq || eq == v || (size_t)(eq - v) >= sizeof name) {
            run_usage_err(cmd, "--var \"%s\": expected NAME=VALUE", v);
            return -1;
        }
        memcpy(name, v, (size_t)(eq - v));
        name[eq - v] = '\0';
        if (run_vars_set(&o->vars, name, eq + 1, 0)) {
            run_usage_err(cmd, "--var \"%s\": out of memory", v);
            return -1;
        }
        break;
    case RUN_O_FIX:      o->fix = v; break;
    case RUN_O_FIX_STEP: case RUN_O_FIX_PICK:
        if (ut_parse_long(v, 1, 100000, id == RUN_O_FIX_STEP ? &o->fix_step
                          : &o->fix_pick)) {
            run_usage_err(cmd, "%s: \"%s\" is not a number from 1", id ==
                          RUN_O_FIX_STEP ? "--step" : "--pick", v);
            return -1;
        }
        break;
    case RUN_O_BLOCK:
        if (!*v || o->nblock >= RUN_MAX_BLOCK) {
            run_usage_err(cmd, "--block \"%s\": %s", v, *v ? "too many "
                          "patterns (limit 64)" : "expected a URL pattern "
                          "like \"*://*.analytics.example/*\"");
            return -1;
        }
        o->block[o->nblock++] = v;
        break;
    case RUN_O_REPORT:
        if (run_report_html_check(cmd, v))
            return -1;
        o->report_html = v;
        break;
    default:
        return -1;
    }
    return 0;
}
