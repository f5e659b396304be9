/* test_runner_hint.c -- the resume hint's words: shell quoting, and
 * which of `do`'s words a resume needs again. Pure: no browser. */
#include "../t.h"
#include "../../runner/exec_int.h"

#include <stdlib.h>
#include <string.h>

static void test_quoting(void)
{
    char *a[] = { "do", "https://x.test/a?b=1", "fill", "Your name",
                  "it's", "", "${pw}" };
    char *s = run_command_words(7, a);

    CHECK_STR(s, "do 'https://x.test/a?b=1' fill 'Your name' 'it'\\''s' '' "
              "'${pw}'");
    free(s);
}

static void test_do_words(void)
{
    char *a[] = { "https://x.test", "--resume", "r1", "click", "--profile",
                  "ci", "Save", "--cache=c.db", "--var", "a=b", "--run-id",
                  "j", "-q" };
    char *b[] = { "--json", "--", "https://x.test", "eval", "-1" };
    char *s = run_do_words(13, a);

    CHECK_STR(s, "--var a=b -q https://x.test click Save");
    free(s);
    s = run_do_words(5, b);
    CHECK_STR(s, "--json https://x.test eval -- -1");
    free(s);
}

int main(void)
{
    test_quoting();
    test_do_words();
    return T_DONE();
}
