/* state.c -- the session state of a run (cookies and localStorage, as
 * Playwright's storageState file; selectors/state.c moves it in and out
 * of the browser): the save_state and load_state steps, --state (loaded
 * before the first step), --save-state (written once the run passed),
 * and the state checkpoint that --resume restores.
 *
 * The checkpoint cannot live with the others in the cache file, which
 * never holds a secret: it is the 0600 file state.json in the run's own
 * folder ($TMPDIR/cdpilot-failures-UID/RUN_ID, 0700, see artifacts.c),
 * rewritten after each passed step that may have changed it, and removed
 * when the run passes. Its values, like every state file's, are never
 * printed: not in step lines, --json, errors or the CDP trace. */
#include "live_int.h"
#include "../util/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PEEK_MS 5000   /* a checkpoint's look at cookies and storage */
/* State values that look like tokens (this long or longer) join the
 * run's secrets, so that a trace, a saved page or an error that shows
 * one shows "***"; at most this many, so the task's own secrets always
 * have room. */
#define HIDE_MIN 8
#define HIDE_MAX 16

void run_state_attach(struct run_live *e)
{
    e->tabs = sel_tabs_new(e->page);
    e->origins = sel_state_watch(e->page);
}

void run_state_detach(struct run_live *e, int all)
{
    if (all) {
        cJSON_Delete(e->ckpt);
        e->ckpt = NULL;
        free(e->ckpt_text);
        e->ckpt_text = NULL;
    }
    sel_tabs_free(e->tabs);
    e->tabs = NULL;
    sel_state_free(e->origins);
    e->origins = NULL;
}

/* The bound of a state transfer: the step's timeout_ms, else the
 * navigation bound (each origin's storage is a navigation). */
static int state_ms(const struct run_live *e, const struct run_step *st)
{
    return st && st->timeout_ms >= 0 ? st->timeout_ms : e->conf.nav_ms;
}

static void hide_one(struct run_live *e, const char *v)
{
    if (v && strlen(v) >= HIDE_MIN && e->state_secrets < HIDE_MAX &&
        !run_secret_in(v, strlen(v)) && run_secret_add(v) == 0)
        e->state_secrets++;
}

/* The values of state ST, as secrets (see HIDE_MIN). */
static void hide_values(struct run_live *e, const cJSON *st)
{
    const cJSON *x, *y;

    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(st, "cookies"))
        hide_one(e, cJSON_GetStringValue(
                     cJSON_GetObjectItemCaseSensitive(x, "value")));
    cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(st, "origins"))
        cJSON_ArrayForEach(y, cJSON_GetObjectItemCaseSensitive(x,
                                                               "localStorage"))
            hide_one(e, cJSON_GetStringValue(
                         cJSON_GetObjectItemCaseSensitive(y, "value")));
}

static sel_code load(struct run_live *e, const cJSON *st, int ms, char *err,
                     size_t errlen)
{
    sel_code rc;

    hide_values(e, st);
    e->trace_quiet = 1;
    rc = sel_state_load(e->page, e->origins, st, ms, err, errlen);
    e->trace_quiet = 0;
    return rc;
}

static sel_code save(struct run_live *e, int ms, cJSON **st, char *err,
                     size_t errlen)
{
    sel_code rc;

    e->trace_quiet = 1;
    rc = sel_state_save(e->page, e->origins, ms, st, err, errlen);
    e->trace_quiet = 0;
    if (!rc)
        hide_values(e, *st);
    return rc;
}

/* "2 cookies, localStorage of 1 origin": what a state holds, no value. */
static char *summary(const char *verb, const cJSON *st, const char *path)
{
    int nc = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(st,
                                                                 "cookies"));
    int no = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(st,
                                                                 "origins"));
    ut_buf b;

    ut_buf_init(&b, 8192);
    ut_buf_addf(&b, "%s %d cookie%s, localStorage of %d origin%s %s %s",
                verb, nc, nc == 1 ? "" : "s", no, no == 1 ? "" : "s",
                strcmp(verb, "saved") ? "from" : "to", path);
    return ut_buf_take(&b);
}

sel_code run_state_step(struct run_live *e, const struct run_step *st,
                        struct run_step_report *sr, const char *path,
                        char *err, size_t errlen)
{
    cJSON *state = NULL;
    sel_code rc;

    if (strcmp(e->t->file, "(inline)") != 0 && !run__path_inside(path))
        return ut_err(err, errlen, SEL_E_ACTION, "%s path \"%s\" leaves the "
                      "output folder: a task file may only name a relative "
                      "path without \"..\"", run_kind_name(st->kind), path);
    if (st->kind == RUN_LOAD_STATE) {
        if (run__state_read(path, &state, err, errlen))
            return SEL_E_ACTION;
        rc = load(e, state, state_ms(e, st), err, errlen);
    } else {
        rc = save(e, state_ms(e, st), &state, err, errlen);
        if (!rc && run__state_write(path, state, err, errlen))
            rc = SEL_E_ACTION;
    }
    if (!rc) {
        free(sr->value);
        sr->value = summary(st->kind == RUN_LOAD_STATE ? "loaded" : "saved",
                            state, path);
    }
    cJSON_Delete(state);
    return rc;
}

/* ---- checkpoints ----------------------------------------------------------- */

/* The run's checkpoint file into OUT (its folder made): 0 or -1. */
static int ckpt_file(struct run_live *e, char *out, size_t n)
{
    char dir[4096];

    if (run_artifacts_dir(e->rep->run_id, dir, sizeof dir))
        return -1;
    return (size_t)snprintf(out, n, "%s/state.json", dir) < n ? 0 : -1;
}

int run_state_start(struct run_live *e, char *err, size_t errlen)
{
    cJSON *st = NULL;
    char path[4400], msg[RUN_ERR_LEN];

    e->ckpt = cJSON_Parse("{\"cookies\":[],\"origins\":[]}");
    e->ckpt_text = e->ckpt ? cJSON_PrintUnformatted(e->ckpt) : NULL;
    if (e->o->state) {
        if (run__state_read(e->o->state, &st, msg, sizeof msg) ||
            load(e, st, e->conf.nav_ms, msg, sizeof msg)) {
            cJSON_Delete(st);
            return ut_err(err, errlen, RUN_EXIT_USAGE, "--state: %s", msg);
        }
        cJSON_Delete(st);
        st = NULL;
    }
    if (!e->o->resume || ckpt_file(e, path, sizeof path) ||
        access(path, F_OK) != 0)
        return RUN_EXIT_OK;      /* the run had no state to keep */
    if (run__state_read(path, &st, msg, sizeof msg) ||
        load(e, st, e->conf.nav_ms, msg, sizeof msg)) {
        cJSON_Delete(st);
        return ut_err(err, errlen, RUN_EXIT_BROWSER, "--resume: restoring "
                      "the session state: %s", msg);
    }
    ut_strlcpy(e->ckpt_path, path, sizeof e->ckpt_path);
    cJSON_Delete(e->ckpt);
    e->ckpt = st;
    return RUN_EXIT_OK;
}

void run_state_checkpoint(struct run_live *e, const struct run_step *st)
{
    char *text;

    switch (st->kind) {     /* steps that only look change nothing */
    case RUN_WAIT_FOR: case RUN_ASSERT: case RUN_EXTRACT:
    case RUN_SCREENSHOT: case RUN_SAVE_STATE:
        return;
    default:
        break;
    }
    if (!e->cache || !e->ckpt || !e->page)
        return;
    e->trace_quiet = 1;
    if (sel_state_peek(e->page, e->ckpt, PEEK_MS, NULL, 0) != SEL_OK) {
        e->trace_quiet = 0;
        return;
    }
    e->trace_quiet = 0;
    hide_values(e, e->ckpt);
    text = cJSON_PrintUnformatted(e->ckpt);
    if (!text || (e->ckpt_text && strcmp(text, e->ckpt_text) == 0)) {
        free(text);
        return;
    }
    if ((!e->ckpt_path[0] &&
         ckpt_file(e, e->ckpt_path, sizeof e->ckpt_path)) ||
        ut_write_file(e->ckpt_path, text, strlen(text), 0600)) {
        fprintf(stderr, "cdpilot: warning: session state checkpoint not "
                "saved: %s (--resume would start logged out)\n",
                strerror(errno));
        free(text);
        return;
    }
    free(e->ckpt_text);
    e->ckpt_text = text;
}

int run_state_finish(struct run_live *e, int code)
{
    cJSON *st = NULL;
    char err[RUN_ERR_LEN];

    if (code == RUN_EXIT_OK && e->o->save_state) {
        if (save(e, e->conf.nav_ms, &st, err, sizeof err) ||
            run__state_write(e->o->save_state, st, err, sizeof err)) {
            fprintf(stderr, "cdpilot: %s: --save-state: %s\n", e->t->file,
                    err);
            code = RUN_EXIT_FAILED;
        }
        cJSON_Delete(st);
    }
    if (code == RUN_EXIT_OK && e->ckpt_path[0]) {
        char *slash;
        int k;
        unlink(e->ckpt_path);
        /* then the run's folder and the folder of all runs, unless
         * something else (a failure's artifacts, other runs) is there */
        for (k = 0; k < 2 && (slash = strrchr(e->ckpt_path, '/')); k++) {
            *slash = '\0';
            if (rmdir(e->ckpt_path) != 0)
                break;
        }
        e->ckpt_path[0] = '\0';
    }
    return code;
}
