/* help.c -- every command's help text, in one table, and what is made
 * from it: `cdpilot help [COMMAND]` and `COMMAND --help`, the man page
 * cdpilot.1 and the bash and zsh completion scripts (tools/mkhelp writes
 * those three at build time, so they cannot disagree with --help).
 *
 * Needs only the C library: tools/mkhelp links this file alone. A
 * command's `opts` lists the options completion offers, each with what
 * its value is: "--x" takes none, "--x=" a word, "--x=F" a file, "--x=D"
 * a folder, "--x=P" a profile name. tests/unit/test_runner_help.c checks
 * them against the option tables the parser really uses. */
#include "exec_int.h"

#include <stdio.h>
#include <string.h>

/* The options every browser command takes (run, do, resolve, doctor);
 * smoke forwards most of them to its tasks. Also accepted before the
 * command: `cdpilot --chrome X run t.json`. */
#define BROWSER_OPTS \
"  --profile NAME|FILE  a named profile (default, ci, debug, mobile) or a\n" \
"                       profile file: docs/PROFILES.md\n" \
"  --chrome PATH        the browser to launch\n" \
"  --connect WS_URL     drive a browser that is already running\n" \
"  --grid URL           a browser from a grid, one session per task:\n" \
"                       http(s):// Selenium Grid 4, ws(s):// browserless\n" \
"  --headful            show the browser window\n" \
"  --cache FILE         the selector cache (docs/CACHE.md)\n" \
"  --no-cache           neither read nor write the cache\n" \
"  --no-llm             never ask a language model (exit 4 instead)\n" \
"  --timeout MS         time limit of each step\n"

#define RUN_OPTS_HELP BROWSER_OPTS \
"  --json               one JSON report on stdout\n" \
"  --trace DIR          CDP log, screenshots and DOM of each step in DIR\n" \
"  --var K=V            the variable ${K} (repeatable)\n" \
"  --base-url URL       the URL the task's relative URLs start from\n" \
"  --run-id ID          name the run (a CI job id)\n" \
"  --resume RUN_ID      go on with a failed run from its last checkpoint\n" \
"  --restart-browser    a new browser when the browser crashes mid-run\n" \
"  --block PATTERN      requests the page never makes (repeatable)\n" \
"  --state FILE         cookies and storage loaded before step 1\n" \
"  --save-state FILE    cookies and storage written after a pass\n" \
"  --report FILE.html   one self-contained HTML page of the run\n" \
"  --browser-version PIN  the browser this run needs (\">=156\", \"156\"):\n" \
"                       another one fails before step 1 (exit 3)\n" \
"  --on-failure CMD     on failure, run CMD with the summary (JSON) on\n" \
"                       its stdin\n" \
"  --notify URL         on failure, POST the summary (JSON) to URL\n" \
"  --no-notify          neither, whatever the profile says\n" \
"  -q, --quiet          only failures and the summary\n" \
"  -v, --verbose        how each target resolved\n"

#define EXIT_HELP \
"exit: 0 passed, 1 a step failed, 2 bad usage or task file,\n" \
"      3 browser/CDP failure, 4 needed an LLM that was unavailable\n"

#define BROWSER_OPT_NAMES "--profile=P --chrome=F --connect= --grid= " \
    "--headful " \
    "--cache=F --no-cache --no-llm --timeout= "
#define RUN_OPT_NAMES BROWSER_OPT_NAMES "--json --trace=D --var= " \
    "--base-url= --run-id= --resume= --restart-browser --block= " \
    "--state=F --save-state=F --report=F --browser-version= " \
    "--on-failure= --notify= --no-notify -q --quiet -v --verbose --help"

static const char overview[] =
"usage: cdpilot [GLOBAL OPTIONS] COMMAND [options]\n"
"\n"
"  run TASK.json [TASK.json...]    run task files (\"-\" reads stdin)\n"
"  do URL STEP...                  a task written inline as words\n"
"  smoke PATH... [-j N]            CI smoke tests: every *.json under PATH\n"
"  resolve URL TARGET [--explain]  how a target resolves, with candidates\n"
"  resolve URL TARGET --fix TASK.json [--step N] [--pick N]\n"
"                                  write the target settled on into a step\n"
"  cache stats|list|show|forget|prune|export|import\n"
"  serve DIR [--port N]            static files on 127.0.0.1\n"
"  doctor                          find and check browser, CDP, cache, LLM\n"
"  help [COMMAND]                  a command's options (or COMMAND --help)\n"
"  --version | --help\n"
"\n"
"options: --profile NAME|FILE  --chrome PATH  --connect WS_URL  --grid URL\n"
"         --headful\n"
"         --cache FILE  --no-cache  --no-llm  --json  --trace DIR\n"
"         --var K=V  --base-url URL  --run-id ID  --resume RUN_ID\n"
"         --timeout MS  --restart-browser  --block PATTERN  --state FILE\n"
"         --save-state FILE  --report FILE.html  --browser-version PIN\n"
"         --on-failure CMD  --notify URL  --no-notify  -q  -v\n"
"  They may also come before the command, as global options:\n"
"  cdpilot --chrome /usr/bin/chromium run task.json\n"
"\n"
"exit codes: 0 passed, 1 a step failed, 2 bad usage or task file,\n"
"            3 browser/CDP failure, 4 needed an LLM that was unavailable\n"
"docs: README.md and docs/ (TASKS.md, TARGETS.md, PROFILES.md, ...)\n";

static const struct run_help_page pages[] = {
{ "run", "run task files",
"usage: cdpilot run TASK.json [TASK.json...] [options]\n"
"  runs each task file (\"-\" reads one from stdin) in its own headless\n"
"  browser, step by step; a task stops at its first failed step. Every\n"
"  file is checked in full before any browser starts.\n"
"\n"
RUN_OPTS_HELP
"\n"
EXIT_HELP
"docs: docs/TASKS.md, docs/TARGETS.md\n",
RUN_OPT_NAMES },

{ "do", "a task written inline as words",
"usage: cdpilot do URL STEP... [options]\n"
"  opens URL and runs the steps, each a step word and its arguments:\n"
"  goto URL | click T | fill T VALUE | press KEYS | select T VALUE |\n"
"  check T | uncheck T | hover T | wait T | wait-text TEXT |\n"
"  wait-idle MS | wait-response REGEX | expect-text TEXT |\n"
"  expect-url REGEX | expect-title TITLE | expect T STATE |\n"
"  expect-not T STATE | expect-text-of T TEXT | expect-value T VALUE |\n"
"  expect-attr T NAME VALUE | expect-count T N |\n"
"  expect-no-failed-requests | expect-no-console-errors |\n"
"  extract T NAME | screenshot FILE | eval JS | upload T FILE... |\n"
"  download T [to FILE] | expect-download NAME | save-state FILE |\n"
"  load-state FILE | switch-tab INDEX | switch-tab-title TEXT |\n"
"  switch-tab-url REGEX | close-tab\n"
"  T is a target: css=..., xpath=..., text=..., role=button[name=\"Save\"],\n"
"  label=..., placeholder=..., testid=..., or plain words (\"Sign in\n"
"  button\"). Options may come anywhere; \"--\" ends them.\n"
"\n"
RUN_OPTS_HELP
"\n"
EXIT_HELP
"docs: docs/TASKS.md \"Steps as words\", docs/TARGETS.md\n",
RUN_OPT_NAMES },

{ "smoke", "CI smoke tests over folders of task files",
"usage: cdpilot smoke PATH... [options]\n"
"  runs every *.json task file under PATH (recursively, sorted), each in\n"
"  its own browser, and reports quietly on success, loudly on failure.\n"
"\n"
"  -j, --jobs N       tasks at a time (default 1)\n"
"  --junit FILE       JUnit XML report (GitHub Actions, GitLab, Jenkins)\n"
"  --report FILE.html one self-contained HTML page: every task and step,\n"
"                     failure screenshots, candidates; opens offline\n"
"  --json             one JSON document for the whole set on stdout\n"
"  --fail-fast        stop after the first failed task\n"
"  --retries K        rerun a failed task up to K times (a pass on a\n"
"                     rerun is reported as flaky)\n"
"  --serve DIR        serve DIR on 127.0.0.1; tasks get --base-url URL\n"
"                     and --var base=URL\n"
"  --grep REGEX       only tasks whose name (else file) matches\n"
"  --setup TASK       run TASK first (it logs in); every task then starts\n"
"                     with the cookies and storage it left (--state)\n"
"  --trace DIR        per-task trace folders DIR/<task name>/\n"
"  -q, --quiet        only failures, heartbeats and the summary\n"
"  --on-failure CMD, --notify URL, --no-notify\n"
"                     one failure summary (JSON) for the whole run\n"
"  forwarded to each task: --profile --chrome --connect --grid --cache\n"
"  --no-cache --no-llm --var K=V --timeout MS --headful -v (--verbose)\n"
"  --restart-browser --block PATTERN --browser-version PIN\n"
"  every task also gets --var attempt=N (1 on the first try)\n"
"\n"
"exit: 0 every task passed (flaky counts as passed); else the worst\n"
"code among failed tasks: 3 browser > 4 llm > 1 failed > 2 invalid\n"
"docs: docs/SMOKE.md\n",
"-j= --jobs= --junit=F --report=F --json --fail-fast --retries= "
"--serve=D --grep= "
"--setup=F --trace=D -q --quiet " BROWSER_OPT_NAMES "--var= -v --verbose "
"--restart-browser --block= --browser-version= --on-failure= --notify= "
"--no-notify --help" },

{ "resolve", "how a target resolves, with the candidates",
"usage: cdpilot resolve URL TARGET [options]\n"
"  opens URL and shows how TARGET resolves: the element chosen, where it\n"
"  came from (cache, heuristics, LLM), how sure, and the candidates\n"
"  weighed with their scores. Nothing is written to the cache.\n"
"\n"
"  --explain            each candidate's scoring features\n"
"  --kind KIND          the step the target is for: click (default),\n"
"                       fill, select, check, hover, ...\n"
"  --json               the resolution as JSON on stdout\n"
"  --fix TASK.json      write the target settled on into the task's step\n"
"                       (replaced atomically; cJSON reprints the file)\n"
"  --step N             ... step N (1-based; default: the step whose\n"
"                       target is TARGET)\n"
"  --pick N             ... candidate N's checked target (needed when\n"
"                       TARGET is uncertain)\n"
BROWSER_OPTS
"\n"
EXIT_HELP
"docs: docs/TARGETS.md \"When a target is uncertain\", docs/CANDIDATES.md\n",
"--explain --kind= --json --fix=F --step= --pick= " BROWSER_OPT_NAMES
"--help" },

{ "cache", "look into and tidy the selector cache",
"usage: cdpilot cache SUBCOMMAND [options]\n"
"  stats                 entries, origins, hits and the file's size\n"
"  list [ORIGIN]         the cached targets (of one origin)\n"
"  show INTENT           one entry in full\n"
"  forget ORIGIN [INTENT] drop an origin's entries (or one)\n"
"  prune [--older-than DAYS] [--failures N]\n"
"                        drop old or failing entries\n"
"  export [FILE]         every entry as JSON (stdout without FILE)\n"
"  import FILE           entries from an export\n"
"\n"
"  --cache FILE          the cache file (default: the profile's)\n"
"  --json                JSON on stdout\n"
"\n"
"exit: 0 done, 1 the cache is locked by another process,\n"
"      2 bad usage or a bad file\n"
"docs: docs/CACHE.md\n",
"--cache=F --json --older-than= --failures= --help" },

{ "serve", "static files on 127.0.0.1",
"usage: cdpilot serve DIR [--port N]\n"
"  serves the files under DIR on 127.0.0.1 only, and prints its URL\n"
"  first; for tasks against a local site.\n"
"\n"
"  --port N             the port (default 8080; 0 picks a free one)\n"
"\n"
"exit: 0 stopped by a signal, 2 bad usage\n",
"--port= --help" },

{ "doctor", "find and check browser, CDP, cache, LLM",
"usage: cdpilot doctor [options]\n"
"  checks what a run needs and prints one line each: the profile (and\n"
"  the folder profiles come from), the browser and its version, a CDP\n"
"  round trip, the cache file, the LLM settings.\n"
"\n"
BROWSER_OPTS
"\n"
"exit: 0 all is well, 3 the browser or CDP failed, 1 or 2 otherwise\n",
BROWSER_OPT_NAMES "--help" },

{ "help", "the options of a command",
"usage: cdpilot help [COMMAND]\n"
"  the options of COMMAND (the same as cdpilot COMMAND --help), or the\n"
"  list of commands.\n",
"" },
{ NULL, NULL, NULL, NULL }
};

const struct run_help_page *run_help_pages(void)
{
    return pages;
}

const char *run_help_overview(void)
{
    return overview;
}

const struct run_help_page *run_help_find(const char *cmd)
{
    size_t i;

    for (i = 0; cmd && pages[i].cmd; i++)
        if (!strcmp(pages[i].cmd, cmd))
            return &pages[i];
    return NULL;
}

int run_help_print(const char *cmd, FILE *f)
{
    const struct run_help_page *p;

    if (!cmd) {
        fputs(overview, f);
        return 0;
    }
    p = run_help_find(cmd);
    if (!p)
        return -1;
    fputs(p->text, f);
    return 0;
}
