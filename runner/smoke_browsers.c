/* smoke_browsers.c -- the browsers `cdpilot smoke` lends to its tasks.
 * Launching Chromium costs about half a second, more than many a smoke
 * task; so smoke launches one browser per job slot (--browsers N: N of
 * them, shared round-robin by the slots) when a slot first needs it, and
 * each task's child connects to its slot's browser as --connect does:
 * in a browser context of its own (cookies, storage, cache, permissions
 * not shared with any other task), disposed at its end. A slot whose
 * browser died (crash, kill) gets a new one before its next task.
 * Tasks that need a browser of their own (a task "profile", --headful,
 * --restart-browser, a profile with a user-data-dir, --browsers task)
 * launch it themselves as before. The browsers are smoke's children:
 * they die with it (PR_SET_PDEATHSIG, the signal handlers' cdp_kill_all)
 * and are closed at its end. */
#include "smoke_int.h"

#include <stdio.h>
#include <string.h>

/* Why the tasks cannot share browsers, or NULL; fills BR's profile. */
static const char *private_why(struct smoke *s, const struct run_opts *o,
                               struct cdp_found *f)
{
    struct smoke_browsers *br = &s->br;
    char err[RUN_ERR_LEN];

    if (s->so.browsers == SMOKE_BROWSER_PER_TASK)
        return "--browsers task";
    if (o->connect || o->grid || o->headful || o->restart_browser)
        return o->connect ? "--connect" : o->grid ? "--grid" :
               o->headful ? "--headful" : "--restart-browser";
    if (run_profile_load(o->profile ? o->profile : "default", &br->prof,
                         err, sizeof err))
        return "the profile does not load";
    if (br->prof.user_data_dir)
        return "the profile has a user_data_dir";
    if (br->prof.restart_browser)
        return "the profile has restart_browser";
    if (cdp_find_browser(o->chrome, br->prof.chrome, f, err, sizeof err))
        return "no browser found";
    return NULL;
}

void run__smoke_browsers_init(struct smoke *s, const struct run_opts *o)
{
    struct smoke_browsers *br = &s->br;
    struct run_conf conf;
    struct cdp_found f;
    const char *why = private_why(s, o, &f);

    br->n = 0;
    if (why) {
        if (s->so.verbose)
            run__smoke_say(s, "smoke: each task launches its own browser "
                           "(%s)\n", why);
        return;
    }
    run_conf_fill(&conf, &br->prof, o);
    br->lo = conf.launch;
    ut_strlcpy(br->path, f.path, sizeof br->path);
    br->lo.path = br->path;
    br->n = s->so.browsers > 0 && s->so.browsers < s->so.jobs
            ? s->so.browsers : s->so.jobs;
}

const char *run__smoke_browser_url(struct smoke *s, int slot,
                                   const struct smoke_task *t)
{
    struct smoke_browsers *br = &s->br;
    struct cdp_browser **b;
    char err[RUN_ERR_LEN];

    if (!br->n || t->own_browser || slot < 0)
        return NULL;
    b = &br->b[slot % br->n];
    if (*b && !cdp_browser_alive(*b)) {
        run__smoke_say(s, "smoke: browser %d died; launching a new one\n",
                       slot % br->n + 1);
        cdp_browser_close(*b, NULL, 0);
        *b = NULL;
    }
    if (!*b) {
        /* On failure the task launches its own, which fails with the
         * reason in its report. */
        if (cdp_launch(&br->lo, b, err, sizeof err)) {
            *b = NULL;
            return NULL;
        }
        br->launches++;
        if (s->so.verbose)
            run__smoke_say(s, "smoke: browser %d started (pid %ld)\n",
                           slot % br->n + 1, (long)cdp_browser_pid(*b));
    }
    return cdp_browser_ws_url(*b);
}

void run__smoke_browsers_close(struct smoke *s)
{
    int i;

    for (i = 0; i < SMOKE_MAX_JOBS; i++)
        if (s->br.b[i]) {
            cdp_browser_close(s->br.b[i], NULL, 0);
            s->br.b[i] = NULL;
        }
    run_profile_free(&s->br.prof);
}
