/* test_runner_words.c -- `cdpilot do URL STEP...`: every word maps to the
 * JSON step model, arity and unknown words are reported with the step
 * number, the same validation as task files applies; plus the "did you
 * mean" helper and the press-key grammar. */
#include "../t.h"
#include "../../runner/run_int.h"

#include <stdlib.h>
#include <string.h>

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int words(const char *url, int argc, char *const *argv,
                 struct run_task *t, char *err)
{
    err[0] = '\0';
    return run_words_parse(url, argc, argv, NULL, t, err, RUN_ERR_LEN);
}

static void test_spec_example(void)
{
    char *argv[] = { "fill", "Email", "a@b.c", "fill", "Password", "pw",
                     "click", "Sign in", "expect-text", "Welcome" };
    struct run_task t;
    char err[RUN_ERR_LEN];

    CHECK_INT(words("http://127.0.0.1:8080/login", N(argv), argv, &t, err),
              0);
    CHECK_STR(err, "");
    CHECK_INT(t.nsteps, 5);
    CHECK_STR(t.file, "(inline)");
    if (t.nsteps == 5) {
        CHECK_INT(t.steps[0].kind, RUN_GOTO);
        CHECK_STR(t.steps[0].value, "http://127.0.0.1:8080/login");
        CHECK_INT(t.steps[1].kind, RUN_FILL);
        CHECK_STR(t.steps[1].target, "Email");
        CHECK_STR(t.steps[1].value, "a@b.c");
        CHECK_STR(t.steps[2].target, "Password");
        CHECK_INT(t.steps[3].kind, RUN_CLICK);
        CHECK_STR(t.steps[3].target, "Sign in");
        CHECK_INT(t.steps[4].kind, RUN_ASSERT);
        CHECK_INT(t.steps[4].cond, RUN_COND_TEXT);
        CHECK_STR(t.steps[4].value, "Welcome");
        CHECK_INT(t.steps[4].index, 4);
        CHECK_INT(t.steps[4].timeout_ms, -1);
        CHECK_INT(t.steps[4].nth, -1);
        CHECK_INT(t.steps[4].idempotent, 1);
    }
    run_task_free(&t);
}

static void test_every_word(void)
{
    char *argv[] = {
        "goto", "http://127.0.0.1:8080/form",
        "click", "Save",
        "fill", "css=#q", "",
        "press", "Control+A",
        "select", "label=Country", "Norway",
        "check", "Remember me",
        "uncheck", "testid=news",
        "hover", "Help",
        "wait", "role=button[name=\"Go\"]",
        "wait-text", "Ready",
        "expect-text", "Saved",
        "expect-url", "/form\\?saved=1$",
        "extract", "css=#total", "total",
        "screenshot", "out-${total}.png",
        "eval", "document.title + '${total}'",
    };
    static const struct { enum run_kind k; enum run_cond c; } want[] = {
        { RUN_GOTO, RUN_COND_NONE }, { RUN_GOTO, RUN_COND_NONE },
        { RUN_CLICK, RUN_COND_NONE }, { RUN_FILL, RUN_COND_NONE },
        { RUN_PRESS, RUN_COND_NONE }, { RUN_SELECT, RUN_COND_NONE },
        { RUN_CHECK, RUN_COND_NONE }, { RUN_UNCHECK, RUN_COND_NONE },
        { RUN_HOVER, RUN_COND_NONE }, { RUN_WAIT_FOR, RUN_COND_TARGET },
        { RUN_WAIT_FOR, RUN_COND_TEXT }, { RUN_ASSERT, RUN_COND_TEXT },
        { RUN_ASSERT, RUN_COND_URL }, { RUN_EXTRACT, RUN_COND_NONE },
        { RUN_SCREENSHOT, RUN_COND_NONE }, { RUN_EVAL, RUN_COND_NONE },
    };
    struct run_task t;
    struct run_step *s;
    char err[RUN_ERR_LEN];
    int i;

    CHECK_INT(words("about:blank", N(argv), argv, &t, err), 0);
    CHECK_STR(err, "");
    CHECK_INT(t.nsteps, N(want));
    if ((int)t.nsteps != N(want)) {
        run_task_free(&t);
        return;
    }
    for (i = 0; i < N(want); i++) {
        CHECK_INT(t.steps[i].kind, want[i].k);
        CHECK_INT(t.steps[i].cond, want[i].c);
        CHECK_INT(t.steps[i].index, i);
    }
    s = t.steps;
    CHECK_STR(s[1].value, "http://127.0.0.1:8080/form");
    CHECK_STR(s[2].target, "Save");
    CHECK_STR(s[3].target, "css=#q");
    CHECK_STR(s[3].value, "");
    CHECK_STR(s[4].value, "Control+A");
    CHECK(s[4].target == NULL);
    CHECK_STR(s[5].value, "Norway");
    CHECK_STR(s[9].target, "role=button[name=\"Go\"]");
    CHECK_STR(s[10].value, "Ready");
    CHECK_STR(s[12].value, "/form\\?saved=1$");
    CHECK_STR(s[13].target, "css=#total");
    CHECK_STR(s[13].as, "total");
    CHECK_STR(s[14].value, "out-${total}.png");
    CHECK_STR(s[15].value, "document.title + '${total}'");
    run_task_free(&t);
}

/* Each word as the last word, without its arguments. */
static void test_arity(void)
{
    static const struct { const char *w, *needs; } cases[] = {
        { "goto", "URL" }, { "click", "TARGET" }, { "fill", "TARGET VALUE" },
        { "press", "KEYS" }, { "select", "TARGET VALUE" },
        { "check", "TARGET" }, { "uncheck", "TARGET" },
        { "hover", "TARGET" }, { "wait", "TARGET" }, { "wait-text", "TEXT" },
        { "expect-text", "TEXT" }, { "expect-url", "REGEX" },
        { "extract", "TARGET NAME" }, { "screenshot", "FILE" },
        { "eval", "JS" },
    };
    struct run_task t;
    char err[RUN_ERR_LEN], want[128];
    int i;

    for (i = 0; i < N(cases); i++) {
        char *argv[3] = { "click", "Go", NULL };

        argv[2] = (char *)cases[i].w;
        snprintf(want, sizeof want, "step 3 (%s): needs %s", cases[i].w,
                 cases[i].needs);
        CHECK_INT(words("http://x/", 3, argv, &t, err), -1);
        CHECK_STR(err, want);
        CHECK(t.steps == NULL && t.nsteps == 0);
        run_task_free(&t);
    }
    {   /* two-argument words with one argument */
        char *argv[] = { "fill", "Email" };

        CHECK_INT(words("http://x/", 2, argv, &t, err), -1);
        CHECK_STR(err, "step 2 (fill): needs TARGET VALUE");
    }
    CHECK_INT(words("", 0, NULL, &t, err), -1);
    CHECK_STR(err, "step 1 (goto): needs URL");
    CHECK_INT(words("http://x/", 0, NULL, &t, err), 0);   /* just goto */
    CHECK_INT(t.nsteps, 1);
    run_task_free(&t);
}

/* upload takes the words up to the next step word; download an
 * optional "to PATH"; expect-download a name regex. The files are the
 * unit tests' own source, relative to the current directory. */
static void test_files_words(void)
{
    char *argv[] = { "upload", "Attach file", "tests/t.h", "Makefile",
                     "download", "Export CSV", "to", "out/",
                     "download", "Export PDF",
                     "expect-download", "\\.pdf$",
                     "upload", "css=#f", "tests/t.h" };
    char *missing[] = { "upload", "Attach file", "click", "Save" };
    char *no_to[] = { "download", "Export CSV", "to" };
    char *gone[] = { "upload", "Attach file", "tests/no-such-file" };
    struct run_task t;
    char err[RUN_ERR_LEN];

    CHECK_INT(words("http://x/", N(argv), argv, &t, err), 0);
    CHECK_STR(err, "");
    CHECK_INT(t.nsteps, 6);
    if (t.nsteps == 6) {
        CHECK_INT(t.steps[1].kind, RUN_UPLOAD);
        CHECK_STR(t.steps[1].target, "Attach file");
        CHECK(t.steps[1].files && t.steps[1].files->n == 2);
        CHECK_STR(t.steps[1].files->paths[1], "Makefile");
        CHECK_INT(t.steps[2].kind, RUN_DOWNLOAD);
        CHECK_STR(t.steps[2].files->to, "out/");
        CHECK_INT(t.steps[3].kind, RUN_DOWNLOAD);
        CHECK(t.steps[3].files == NULL || t.steps[3].files->to == NULL);
        CHECK_INT(t.steps[4].cond, RUN_COND_DOWNLOAD);
        CHECK_STR(t.steps[4].files->name_re, "\\.pdf$");
        CHECK_INT(t.steps[5].files->n, 1);
    }
    run_task_free(&t);
    CHECK_INT(words("http://x/", N(missing), missing, &t, err), -1);
    CHECK_STR(err, "step 2 (upload): needs TARGET FILE...");
    CHECK_INT(words("http://x/", N(no_to), no_to, &t, err), -1);
    CHECK_STR(err, "step 2 (download): needs TARGET [to PATH]");
    CHECK_INT(words("http://x/", N(gone), gone, &t, err), -1);
    CHECK_CONTAINS(err, "step 2 (upload): field \"files\": cannot upload "
                   "\"tests/no-such-file\"");
}

static void test_unknown_words(void)
{
    char *a1[] = { "click", "Go", "fil", "Email", "x" };
    char *a2[] = { "frobnicate" };
    char *a3[] = { "expect_text", "Hi" };
    struct run_task t;
    char err[RUN_ERR_LEN];

    CHECK_INT(words("http://x/", N(a1), a1, &t, err), -1);
    CHECK_STR(err, "step 3: \"fil\" is not a step word (did you mean "
              "\"fill\"?)");
    CHECK_INT(words("http://x/", N(a2), a2, &t, err), -1);
    CHECK_CONTAINS(err, "step 2: \"frobnicate\" is not a step word (words: "
                   "goto, click");
    CHECK_INT(words("http://x/", N(a3), a3, &t, err), -1);
    CHECK_CONTAINS(err, "did you mean \"expect-text\"?");
    {   /* user text quoted in a message stays on one line */
        char *a4[] = { "fi\nll", "x", "y" };

        CHECK_INT(words("http://x/", N(a4), a4, &t, err), -1);
        CHECK_CONTAINS(err, "\"fi?ll\" is not a step word");
    }
}

/* Words get the same checks as task files. */
static void test_validation(void)
{
    char *bad_re[] = { "expect-url", "/home(" };
    char *bad_key[] = { "press", "Entr" };
    char *before[] = { "fill", "Amount", "${total}", "extract", "css=#t",
                       "total" };
    char *after[] = { "extract", "css=#t", "total", "fill", "Amount",
                      "${total}" };
    char *role[] = { "click", "role=button[name=Save" };
    char *known_ref[] = { "fill", "User", "${who}" };
    struct run_vars known = { 0 };
    struct run_task t;
    char err[RUN_ERR_LEN];

    CHECK_INT(words("http://x/", N(bad_re), bad_re, &t, err), -1);
    CHECK_CONTAINS(err, "step 2 (assert): field \"assert.url_matches\": bad "
                   "regex at offset 6");
    CHECK_INT(words("http://x/", N(bad_key), bad_key, &t, err), -1);
    CHECK_CONTAINS(err, "unknown key \"Entr\" (did you mean \"Enter\"?)");
    CHECK_INT(words("http://x/", N(before), before, &t, err), -1);
    CHECK_CONTAINS(err, "step 2 (fill): field \"value\": unknown variable "
                   "${total} (step 3 sets it, which comes later)");
    CHECK_INT(words("http://x/", N(after), after, &t, err), 0);
    run_task_free(&t);
    CHECK_INT(words("http://x/", N(role), role, &t, err), -1);
    CHECK_CONTAINS(err, "bad role target");
    CHECK_INT(words("localhost:8080", 0, NULL, &t, err), -1);
    CHECK_CONTAINS(err, "has no scheme (did you mean \"http://localhost:8080"
                   "\"?)");
    CHECK_INT(words("/relative", 0, NULL, &t, err), -1);
    CHECK_CONTAINS(err, "needs a top-level \"base_url\"");
    CHECK_INT(words("http://x/", N(known_ref), known_ref, &t, err), -1);
    CHECK_CONTAINS(err, "unknown variable ${who}");
    CHECK_INT(run_vars_set(&known, "who", "bob", 0), 0);
    CHECK_INT(run_words_parse("http://x/", N(known_ref), known_ref, &known,
                              &t, err, sizeof err), 0);
    run_task_free(&t);
    run_vars_free(&known);
}

static void test_suggest(void)
{
    static const char *const c[] = { "steps", "name", "vars", "profile" };

    CHECK_STR(run__suggest("stpes", c, 4), "steps");
    CHECK_STR(run__suggest("NAME", c, 4), "name");
    CHECK_STR(run__suggest("profil", c, 4), "profile");
    CHECK(run__suggest("xyzzy", c, 4) == NULL);
    CHECK(run__suggest("", c, 4) == NULL);
    CHECK(run__suggest("va", c, 4) == NULL);     /* too short to guess */
}

static void test_keys(void)
{
    static const char *const good[] = {
        "Enter", "Tab", "Shift+Tab", "Control+A", "Control+Shift+ArrowLeft",
        "a", "Z", "7", "+", "Control++", "F1", "F12", "Meta+c", "Space",
        "PageDown Enter", "h e l l o", "\xC3\xA9", "Alt+F4", "Escape",
        "Backspace Delete Home End PageUp Insert ArrowUp ArrowDown",
    };
    static const struct { const char *k, *msg; } bad[] = {
        { "", "empty string" },
        { "Entr", "did you mean \"Enter\"" },
        { "F13", "unknown key \"F13\"" },
        { "Control+", "empty key" },
        { "+A", "empty key" },
        { "Ctrl+A", "\"Ctrl\" is not a modifier" },
        { "Shift+Tab ", "stray space" },
        { " Enter", "stray space" },
        { "abc", "unknown key \"abc\"" },
        { "Control+Entr", "did you mean \"Enter\"" },
        { "Enter+Tab", "\"Enter\" is not a modifier" },
    };
    char err[256];
    size_t i;

    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        err[0] = '\0';
        CHECK_MSG(run__keys_check(good[i], err, sizeof err) == 0,
                  "\"%s\": %s", good[i], err);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        CHECK_MSG(run__keys_check(bad[i].k, err, sizeof err) == -1,
                  "\"%s\" accepted", bad[i].k);
        CHECK_CONTAINS(err, bad[i].msg);
    }
}

int main(void)
{
    test_spec_example();
    test_every_word();
    test_arity();
    test_files_words();
    test_unknown_words();
    test_validation();
    test_suggest();
    test_keys();
    return T_DONE();
}
