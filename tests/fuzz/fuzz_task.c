/* fuzz_task.c -- task files: run_task_parse (JSON syntax, model, every
 * validation rule) on arbitrary bytes, then run_expand on the strings of
 * tasks that validate. Contract checked: an error is one non-empty line,
 * a valid task has a name, steps with in-range kinds and indexes. */
#include "fuzz.h"
#include "../../runner/runner.h"

/* Variables as if given with --var, so ${user} validates. */
static void known_vars(struct run_vars *vs)
{
    memset(vs, 0, sizeof *vs);
    if (run_vars_set(vs, "user", "ada", 0) ||
        run_vars_set(vs, "pass", "s3cret", 1) ||
        run_vars_set(vs, "base", "http://127.0.0.1:8080", 0))
        abort();
}

/* Expands S with the task's variables and KNOWN; unknown names are
 * fine (an "as" variable is only known at run time). */
static void expand(const struct run_vars *vs, const char *s)
{
    char err[256], *out = NULL;
    int secret = 0;

    if (!s)
        return;
    if (run_expand(vs, s, &out, &secret, err, sizeof err) == 0) {
        FUZZ_CHECK(out != NULL);
        free(out);
    } else {
        free(out);   /* NULL or partial: ours either way */
        FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
    }
}

static void check_task(const struct run_task *t, const struct run_vars *kn)
{
    struct run_vars all;
    size_t i;

    FUZZ_CHECK(t->file && t->name);
    FUZZ_CHECK(t->nsteps > 0 && t->steps);
    memset(&all, 0, sizeof all);
    for (i = 0; i < kn->n; i++)
        if (run_vars_set(&all, kn->v[i].name, kn->v[i].value,
                         kn->v[i].secret))
            abort();
    for (i = 0; i < t->vars.n; i++)
        if (run_vars_set(&all, t->vars.v[i].name, t->vars.v[i].value,
                         t->vars.v[i].secret))
            abort();
    for (i = 0; i < t->nsteps; i++) {
        const struct run_step *s = &t->steps[i];

        FUZZ_CHECK((int)s->kind >= 0 && s->kind < RUN_KIND_COUNT);
        FUZZ_CHECK(run_kind_name(s->kind) != NULL);
        FUZZ_CHECK(s->index == (int)i);
        expand(&all, s->target);
        expand(&all, s->value);
    }
    run_vars_free(&all);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct run_vars known;
    struct run_task t;
    char err[1024];
    char *json;

    if (size > FUZZ_MAX_INPUT)
        return 0;
    json = fuzz_strdup(data, size);
    known_vars(&known);
    memset(err, 'x', sizeof err);
    if (run_task_parse("fuzz.json", json, size, &known, &t, err,
                       sizeof err) == 0) {
        check_task(&t, &known);
        run_task_free(&t);
    } else {
        FUZZ_CHECK(fuzz_one_line(err, sizeof err));
        FUZZ_CHECK(err[0] != '\0');
        FUZZ_CHECK(t.steps == NULL && t.nsteps == 0 && t.name == NULL);
    }
    run_vars_free(&known);
    free(json);
    return 0;
}
