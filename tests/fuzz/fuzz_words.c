/* fuzz_words.c -- `cdpilot do URL WORD...`: run_words_parse on argv
 * vectors cut from the input at NUL bytes or newlines (the first piece
 * is the URL). Contract checked as for task files. */
#include "fuzz.h"
#include "../../runner/runner.h"

#define WORDS_MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct run_vars known;
    struct run_task t;
    char *argv[WORDS_MAX_ARGS + 1];
    char err[1024];
    char *buf, *p, *end;
    int argc = 0;
    size_t i;

    if (size > FUZZ_MAX_INPUT)
        return 0;
    buf = fuzz_strdup(data, size);
    end = buf + size;
    for (p = buf; p < end; p++)
        if (*p == '\n')
            *p = '\0';
    /* buf is the URL; every following piece an argument. */
    for (p = buf + strlen(buf) + 1; p < end && argc < WORDS_MAX_ARGS;
         p += strlen(p) + 1)
        argv[argc++] = p;
    argv[argc] = NULL;

    memset(&known, 0, sizeof known);
    if (run_vars_set(&known, "user", "ada", 0) ||
        run_vars_set(&known, "pass", "s3cret", 1))
        abort();
    memset(err, 'x', sizeof err);
    if (run_words_parse(buf, argc, argv, &known, &t, err, sizeof err) == 0) {
        FUZZ_CHECK(t.nsteps > 0 && t.steps);
        FUZZ_CHECK(t.steps[0].kind == RUN_GOTO);
        for (i = 0; i < t.nsteps; i++) {
            FUZZ_CHECK((int)t.steps[i].kind >= 0 &&
                       t.steps[i].kind < RUN_KIND_COUNT);
            FUZZ_CHECK(t.steps[i].index == (int)i);
        }
        run_task_free(&t);
    } else {
        FUZZ_CHECK(fuzz_one_line(err, sizeof err));
        FUZZ_CHECK(err[0] != '\0');
    }
    run_vars_free(&known);
    free(buf);
    return 0;
}
