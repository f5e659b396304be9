/* test_runner_help.c -- the help table (runner/help.c) agrees with the
 * option parser: every common option run and do accept is in their help
 * text and in the options completion offers, marked as taking a value
 * exactly when the parser says it does; every command has a page; every
 * option a page offers is named in its text. */
#include "../t.h"
#include "../../runner/exec_int.h"

#include <stdio.h>
#include <string.h>

/* The "--x" or "--x=K" entry of NAME in OPTS, or NULL; *TAKES 1 if it
 * has '='. */
static const char *find_opt(const char *opts, const char *name, int *takes)
{
    size_t n = strlen(name);
    const char *p;

    for (p = opts; (p = strstr(p, name)) != NULL; p += n)
        if ((p == opts || p[-1] == ' ') &&
            (p[n] == ' ' || p[n] == '=' || !p[n])) {
            *takes = p[n] == '=';
            return p;
        }
    return NULL;
}

static void test_common_opts(const char *cmd)
{
    const struct run_help_page *p = run_help_find(cmd);
    const struct run_optdef *d;
    int takes;

    CHECK(p != NULL);
    if (!p)
        return;
    for (d = run_common_opts; d->name; d++) {
        if (d->id == RUN_O_EXPLAIN || d->id == RUN_O_KIND ||
            d->id == RUN_O_FIX || d->id == RUN_O_FIX_STEP ||
            d->id == RUN_O_FIX_PICK)
            continue;                       /* resolve's own */
        CHECK_MSG(find_opt(p->opts, d->name, &takes) != NULL,
                  "%s: %s not offered", cmd, d->name);
        if (find_opt(p->opts, d->name, &takes))
            CHECK_MSG(takes == d->takes_value, "%s: %s value marker", cmd,
                      d->name);
        CHECK_MSG(strstr(p->text, d->name) != NULL, "%s --help lacks %s",
                  cmd, d->name);
    }
}

static void test_pages(void)
{
    static const char *const cmds[] = { "run", "do", "smoke", "resolve",
        "cache", "serve", "doctor", "help", NULL };
    const struct run_help_page *p;
    size_t i;

    for (i = 0; cmds[i]; i++)
        CHECK_MSG(run_help_find(cmds[i]) != NULL, "no page for %s", cmds[i]);
    CHECK(run_help_find("nosuch") == NULL);
    for (p = run_help_pages(); p->cmd; p++) {
        char name[64];
        const char *s = p->opts;
        size_t n;
        CHECK(strncmp(p->text, "usage: cdpilot ", 15) == 0);
        while (*s) {
            n = strcspn(s, " =");
            if (n && n < sizeof name) {
                memcpy(name, s, n);
                name[n] = '\0';
                CHECK_MSG(strcmp(name, "--help") == 0 ||
                          strstr(p->text, name) != NULL,
                          "%s --help does not name %s", p->cmd, name);
            }
            s += strcspn(s, " ");
            s += strspn(s, " ");
        }
    }
    CHECK(strstr(run_help_overview(), "help [COMMAND]") != NULL);
}

int main(void)
{
    test_pages();
    test_common_opts("run");
    test_common_opts("do");
    return T_DONE();
}
