/* grid_run.c -- a task's browser from a grid (--grid URL, grid/grid.h):
 * one remote session per task, recorded in the cache's grid_sessions
 * table with our pid while it is open, so that a later run ends the ones
 * a killed cdpilot left behind (the sweep). The session ends on every
 * way out: run_live_close and run_live_restart call run_grid_release. */
#include "live_int.h"
#include "../cache/cache.h"
#include "../grid/grid.h"
#include "../util/util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CONTEXT_MS  10000
#define DELETE_MS   10000

int run_grid_opt(struct run_opts *o, int id, const char *v, const char *cmd)
{
    char why[512];

    if ((id == RUN_O_GRID && o->connect) || (id == RUN_O_CONNECT && o->grid)) {
        run_usage_err(cmd, "--grid and --connect cannot be used together "
                      "(--grid makes its own sessions)");
        return -1;
    }
    if (id == RUN_O_CONNECT) {
        o->connect = v;
        return 0;
    }
    if (grid_kind_of(v, why, sizeof why) < 0) {
        run_usage_err(cmd, "%s", why);
        return -1;
    }
    o->grid = v;
    return 0;
}

/* 1 when process PID is gone: no such process, or a zombie nobody has
 * reaped yet (a kill -9'd cdpilot whose parent died too, under an init
 * that does not reap). */
static int pid_gone(long pid)
{
    char path[64], buf[512], *rp;
    FILE *f;
    size_t n;

    if (kill((pid_t)pid, 0) != 0)
        return errno == ESRCH;
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    if (!(f = fopen(path, "re")))
        return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    rp = strrchr(buf, ')');          /* "pid (comm) S ..." */
    return rp && rp[1] == ' ' && rp[2] == 'Z';
}

/* Ends the sessions of URL's grid recorded by processes that are gone. */
static void sweep(struct run_live *e, const char *url)
{
    struct cache_grid_row rows[CACHE_MAX_GRID_SESSIONS];
    char why[512];
    size_t n = 0, i;

    if (!e->cache || cache_grid_list(e->cache, url, rows,
                                     CACHE_MAX_GRID_SESSIONS, &n))
        return;
    for (i = 0; i < n; i++) {
        if (rows[i].pid <= 0 || !pid_gone(rows[i].pid))
            continue;
        if (grid_session_delete(url, rows[i].session, DELETE_MS, why,
                                sizeof why)) {
            fprintf(stderr, "cdpilot: warning: %s (left open by pid %ld)\n",
                    why, rows[i].pid);
            continue;
        }
        if (e->o->verbose)
            fprintf(stderr, "cdpilot: grid %s: ended session %s, left open "
                    "by pid %ld\n", url, rows[i].session, rows[i].pid);
        (void)cache_grid_remove(e->cache, url, rows[i].session);
    }
}

static int is_busy(const char *why)
{
    return strstr(why, "429") || strstr(why, "503");
}

/* A ws grid's browser: the connection is the session. A handshake the
 * grid refuses with 429 or 503 (its queue is full) is tried again with
 * backoff within TOTAL_MS. */
static int connect_ws(struct run_live *e, const char *url, int total_ms,
                      char *err, size_t errlen)
{
    int64_t end = ut_now_ms() + total_ms;
    uint64_t rng = ut_rng_seed(e);
    char why[RUN_ERR_LEN];
    int attempt, wait;

    for (attempt = 0;; attempt++) {
        /* browserless holds a queued connection's handshake until a
         * browser is free: that wait is the grid's, not a launch */
        int64_t left = end - ut_now_ms();
        int ms = left > e->conf.launch_ms ? (int)left : e->conf.launch_ms;

        if (cdp_connect(url, ms, &e->conn, why, sizeof why) == CDP_OK)
            return RUN_EXIT_OK;
        wait = grid_wait_ms(attempt, end - ut_now_ms(), &rng);
        if (!is_busy(why) || wait <= 0 || run_interrupted)
            return ut_err(err, errlen, RUN_EXIT_BROWSER, "grid %s: %s%s",
                          url, is_busy(why) ? "still full after the grid "
                          "timeout: " : "", why);
        ut_sleep_ms(wait);
    }
}

static void grid_opts_of(const struct run_live *e, struct grid_opts *go)
{
    memset(go, 0, sizeof *go);
    go->timeout_ms = e->prof.grid_timeout_ms;
    go->headless = e->conf.launch.headless;
    go->width = e->prof.width;
    go->height = e->prof.height;
    go->args = e->conf.launch.args;
    go->nargs = e->conf.launch.nargs;
}

int run_grid_connect(struct run_live *e, char *err, size_t errlen)
{
    const char *url = e->o->grid;
    struct grid_opts go;
    struct grid_session s;
    char why[RUN_ERR_LEN];

    grid_opts_of(e, &go);
    e->rep->grid = url;
    sweep(e, url);
    if (grid_kind_of(url, NULL, 0) == GRID_WS) {
        if (connect_ws(e, url, go.timeout_ms > 0 ? go.timeout_ms
                       : GRID_TIMEOUT_MS, err, errlen))
            return RUN_EXIT_BROWSER;
    } else {
        if (grid_session_new(url, &go, &s, err, errlen))
            return RUN_EXIT_BROWSER;
        ut_strlcpy(e->grid_sid, s.id, sizeof e->grid_sid);
        ut_strlcpy(e->rep->grid_session, s.id, sizeof e->rep->grid_session);
        if (e->cache)
            (void)cache_grid_add(e->cache, url, s.id, (long)getpid());
        if (cdp_connect(s.cdp, e->conf.launch_ms, &e->conn, why,
                        sizeof why))
            return ut_err(err, errlen, RUN_EXIT_BROWSER, "grid %s: session "
                          "%s: %s", url, s.id, why);
    }
    (void)cdp_context_new(e->conn, CONTEXT_MS, &e->context);
    return RUN_EXIT_OK;
}

void run_grid_release(struct run_live *e)
{
    char why[512];

    if (!e->o->grid || !e->grid_sid[0])
        return;
    if (grid_session_delete(e->o->grid, e->grid_sid, DELETE_MS, why,
                            sizeof why))
        fprintf(stderr, "cdpilot: warning: %s\n", why);
    else if (e->cache)
        (void)cache_grid_remove(e->cache, e->o->grid, e->grid_sid);
    e->grid_sid[0] = '\0';
}
