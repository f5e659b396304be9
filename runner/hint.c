/* hint.c -- the resume hint: the command that picks a failed run up
 * again, for every way a run was started: `cdpilot run FILE --resume ID`
 * for a task file (or "-", stdin), `cdpilot do URL STEP... --resume ID`
 * for inline words, with --profile and --cache when the run had them
 * (the checkpoint lives in that cache). Shell-quoted, secrets redacted.
 * run_do_words keeps what `do` needs again: its other options, then the
 * URL and steps (after "--" when one starts with '-'). */
#include "exec_int.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

/* Appends S to B as one shell word; 0, or -1 (too long, no memory). */
static int quote(ut_buf *b, const char *s)
{
    const char *p;
    int bad = 0;

    if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                     "0123456789_./:=@%+,-") == strlen(s))
        return ut_buf_adds(b, s);
    bad |= ut_buf_addc(b, '\'');
    for (p = s; *p; p++)
        bad |= *p == '\'' ? ut_buf_adds(b, "'\\''") : ut_buf_addc(b, *p);
    return bad | ut_buf_addc(b, '\'');
}

char *run_command_words(int argc, char *const *argv)
{
    ut_buf b;
    int i, bad = 0;

    ut_buf_init(&b, UT_MAX_LINE);
    for (i = 0; i < argc; i++)
        bad |= (i ? ut_buf_addc(&b, ' ') : 0) | quote(&b, argv[i]);
    if (bad) {
        ut_buf_free(&b);
        return NULL;
    }
    return ut_buf_take(&b);
}

char *run_resume_hint(const struct run_task_report *r,
                      const struct run_opts *o)
{
    const char *file = r->task->file;
    char *s;
    ut_buf b;
    int bad = 0;

    if (!r->cache_used || (!strcmp(file, "(inline)") && !o->resume_cmd))
        return NULL;
    ut_buf_init(&b, UT_MAX_LINE);
    bad |= ut_buf_adds(&b, "cdpilot ");
    if (strcmp(file, "(inline)") == 0)
        bad |= ut_buf_adds(&b, "do");
    else
        bad |= ut_buf_adds(&b, "run ") | quote(&b, file);
    if (o->profile)
        bad |= ut_buf_adds(&b, " --profile ") | quote(&b, o->profile);
    if (o->cache_path)
        bad |= ut_buf_adds(&b, " --cache ") | quote(&b, o->cache_path);
    bad |= ut_buf_adds(&b, " --resume ") | quote(&b, r->run_id);
    if (strcmp(file, "(inline)") == 0)
        bad |= ut_buf_addc(&b, ' ') | ut_buf_adds(&b, o->resume_cmd);
    if (bad) {
        ut_buf_free(&b);
        return NULL;
    }
    s = ut_buf_take(&b);
    if (s)
        run_redact_in_place(&s);
    return s;
}

char *run_do_words(int argc, char **argv)
{
    static const struct run_optdef none[] = { { NULL, NULL, 0, 0 } };
    struct run_optscan sc = { .argc = argc, .argv = argv,
                              .common = RUN_OPT_ALL };
    char **keep = calloc((size_t)argc + 2, sizeof *keep), *s;
    int id, k, n = 0, dash = 0;

    if (!keep)
        return NULL;
    while ((id = run_opt_next(&sc, none)) != RUN_OPT_END && id != RUN_OPT_BAD)
        if (id >= 0 && id != RUN_O_RESUME && id != RUN_O_RUN_ID &&
            id != RUN_O_PROFILE && id != RUN_O_CACHE)
            for (k = sc.first; k < sc.i; k++)
                keep[n++] = argv[k];
    sc.i = 0;
    sc.done = 0;
    while ((id = run_opt_next(&sc, none)) != RUN_OPT_END && id != RUN_OPT_BAD)
        if (id == RUN_OPT_WORD) {
            if (!dash && sc.value[0] == '-' && (dash = 1))
                keep[n++] = "--";
            keep[n++] = (char *)sc.value;
        }
    s = run_command_words(n, keep);
    free(keep);
    return s;
}
