/* test_runner_state.c -- the session-state and tab steps as task files
 * and inline words give them (save_state, load_state, switch_tab,
 * close_tab), their validation before any browser starts, and state
 * files: Playwright's storageState shape, read and checked without
 * quoting a value, written 0600. */
#include "../t.h"
#include "../../runner/run_int.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define SECRET "tok-9f8e7d6c5b4a"

static int parse(const char *steps, struct run_task *t, char *err)
{
    char json[2048];

    snprintf(json, sizeof json, "{\"schema_version\": 1, \"steps\": "
             "[{\"goto\": \"about:blank\"}, %s]}", steps);
    err[0] = '\0';
    return run_task_parse("t.json", json, strlen(json), NULL, t, err,
                          RUN_ERR_LEN);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_shapes(void)
{
    struct run_task t;
    char err[RUN_ERR_LEN];

    write_text("st-ok.json", "{\"cookies\": [], \"origins\": []}");
    CHECK_INT(parse("{\"switch_tab\": 0}, {\"switch_tab\": {\"title\": "
                    "\"Invoice\"}}, {\"switch_tab\": {\"url\": \"a\\\\.b\"}}, "
                    "{\"close_tab\": true}, {\"close_tab\": {\"index\": 2}}, "
                    "{\"save_state\": \"st.json\"}, {\"load_state\": "
                    "\"st-ok.json\"}", &t, err), 0);
    CHECK_STR(err, "");
    if (t.nsteps == 8) {
        CHECK_INT(t.steps[1].kind, RUN_SWITCH_TAB);
        CHECK_INT(t.steps[1].tab_by, RUN_TAB_INDEX);
        CHECK_INT(t.steps[1].tab, 0);
        CHECK_INT(t.steps[2].tab_by, RUN_TAB_TITLE);
        CHECK_STR(t.steps[2].value, "Invoice");
        CHECK_INT(t.steps[3].tab_by, RUN_TAB_URL);
        CHECK_INT(t.steps[4].kind, RUN_CLOSE_TAB);
        CHECK_INT(t.steps[4].tab_by, RUN_TAB_CURRENT);
        CHECK_INT(t.steps[5].tab, 2);
        CHECK_INT(t.steps[6].kind, RUN_SAVE_STATE);
        CHECK_STR(t.steps[6].value, "st.json");
        CHECK_INT(t.steps[7].kind, RUN_LOAD_STATE);
    }
    run_task_free(&t);
    /* a file an earlier save_state writes need not be there yet */
    CHECK_INT(parse("{\"save_state\": \"later.json\"}, {\"load_state\": "
                    "\"later.json\"}", &t, err), 0);
    run_task_free(&t);
    unlink("st-ok.json");
}

static void test_bad(void)
{
    static const struct { const char *step, *msg; } cases[] = {
        { "{\"switch_tab\": \"x\"}",
          "t.json: step 2 (switch_tab): field \"switch_tab\": expected a "
          "tab index N, or {\"index\": N}, {\"title\": \"…\"} or {\"url\": "
          "\"regex\"}, got a string" },
        { "{\"switch_tab\": {\"url\": \"(\"}}",
          "field \"switch_tab.url\": bad regex" },
        { "{\"switch_tab\": {\"titel\": \"x\"}}",
          "unknown key \"titel\" in switch_tab (did you mean \"title\"?)" },
        { "{\"switch_tab\": {}}", "got an empty object" },
        { "{\"switch_tab\": 1001}", "range 0..1000" },
        { "{\"close_tab\": false}", "expected true (the current tab)" },
        { "{\"load_state\": \"no-such.json\"}",
          "t.json: step 2 (load_state): field \"load_state\": no-such.json: "
          "No such file" },
        { "{\"save_state\": \"/etc/st.json\"}", "leaves the output folder" },
        { "{\"load_state\": \"\"}", "expected a file path string" },
    };
    struct run_task t;
    char err[RUN_ERR_LEN];
    int i;

    for (i = 0; i < N(cases); i++) {
        CHECK_INT(parse(cases[i].step, &t, err), -1);
        CHECK_CONTAINS(err, cases[i].msg);
        CHECK(strchr(err, '\n') == NULL);
        run_task_free(&t);
    }
}

static void test_words(void)
{
    char *ok[] = { "switch-tab", "1", "switch-tab-title", "Invoice",
                   "switch-tab-url", "inv.*", "close-tab",
                   "save-state", "/tmp/x.json" };
    char *bad[] = { "switch-tab", "one" };
    char *nofile[] = { "load-state", "/nonexistent/st.json" };
    struct run_task t;
    char err[RUN_ERR_LEN];

    CHECK_INT(run_words_parse("about:blank", N(ok), ok, NULL, &t, err,
                              sizeof err), 0);
    CHECK_INT(t.nsteps, 6);
    if (t.nsteps == 6) {
        CHECK_INT(t.steps[1].tab, 1);
        CHECK_INT(t.steps[2].tab_by, RUN_TAB_TITLE);
        CHECK_INT(t.steps[3].tab_by, RUN_TAB_URL);
        CHECK_INT(t.steps[4].kind, RUN_CLOSE_TAB);
        CHECK_INT(t.steps[4].tab_by, RUN_TAB_CURRENT);
        CHECK_STR(t.steps[5].value, "/tmp/x.json");   /* inline: any path */
    }
    run_task_free(&t);
    CHECK_INT(run_words_parse("about:blank", N(bad), bad, NULL, &t, err,
                              sizeof err), -1);
    CHECK_STR(err, "step 2 (switch-tab): \"one\" is not a tab index (0 is "
              "the first tab; 0..1000)");
    CHECK_INT(run_words_parse("about:blank", N(nofile), nofile, NULL, &t,
                              err, sizeof err), -1);
    CHECK_CONTAINS(err, "step 2 (load_state): field \"load_state\": "
                   "/nonexistent/st.json: No such file");
}

static void test_files(void)
{
    cJSON *st = NULL;
    char err[RUN_ERR_LEN];
    struct stat sb;

    /* Playwright's own file shape, with keys this version leaves alone */
    write_text("pw.json", "{\"cookies\": [{\"name\": \"sid\", \"value\": \""
               SECRET "\", \"domain\": \"127.0.0.1\", \"path\": \"/\", "
               "\"expires\": -1, \"httpOnly\": true, \"secure\": false, "
               "\"sameSite\": \"Lax\", \"partitionKey\": \"x\"}], "
               "\"origins\": [{\"origin\": \"http://127.0.0.1:8080\", "
               "\"localStorage\": [{\"name\": \"t\", \"value\": \"v\"}], "
               "\"indexedDB\": []}]}");
    CHECK_INT(run__state_read("pw.json", &st, err, sizeof err), 0);
    CHECK_INT(run__state_write("out-st.json", st, err, sizeof err), 0);
    CHECK_INT(stat("out-st.json", &sb), 0);
    CHECK_INT(sb.st_mode & 0777, 0600);
    cJSON_Delete(st);
    /* a syntax error says where, never the text there (a value) */
    write_text("pw.json", "{\"cookies\": [{\"name\": \"sid\", \"value\": \""
               SECRET "\" \"domain\": \"x\"}]}");
    CHECK_INT(run__state_read("pw.json", &st, err, sizeof err), -1);
    CHECK_CONTAINS(err, "pw.json:1:");
    CHECK(strstr(err, SECRET) == NULL);
    CHECK(strstr(err, "near") == NULL);
    write_text("pw.json", "{\"cookies\": [{\"name\": \"sid\", \"value\": \""
               SECRET "\", \"domain\": \"x\", \"sameSite\": \"lax\"}]}");
    CHECK_INT(run__state_read("pw.json", &st, err, sizeof err), -1);
    CHECK_STR(err, "pw.json: cookies[0]: field \"sameSite\": expected "
              "\"Strict\", \"Lax\" or \"None\" (a Playwright storageState "
              "file)");
    write_text("pw.json", "{\"origins\": [{\"origin\": \"http://h/app\"}]}");
    CHECK_INT(run__state_read("pw.json", &st, err, sizeof err), -1);
    CHECK_CONTAINS(err, "origins[0]: field \"origin\": expected an http://");
    write_text("pw.json", "{\"cookies\": {}}");
    CHECK_INT(run__state_read("pw.json", &st, err, sizeof err), -1);
    CHECK_CONTAINS(err, "field \"cookies\": expected an array of cookies");
    unlink("pw.json");
    unlink("out-st.json");
    CHECK_INT(run__path_inside("a/b.json"), 1);
    CHECK_INT(run__path_inside("a/../b.json"), 0);
    CHECK_INT(run__path_inside("/tmp/b.json"), 0);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    char dir[4096];

    snprintf(dir, sizeof dir, "%s/cdpilot-unit-state.XXXXXX",
             tmp && tmp[0] == '/' ? tmp : "/tmp");
    if (!mkdtemp(dir) || chdir(dir) != 0)
        return 1;
    test_shapes();
    test_bad();
    test_words();
    test_files();
    if (chdir("/") == 0)
        rmdir(dir);
    return T_DONE();
}
