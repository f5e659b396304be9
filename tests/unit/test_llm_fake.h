/* test_llm_fake.h -- the harness shared by test_llm.c and
 * test_llm_more.c: start tests/fake_llm.py (a scripted provider on
 * 127.0.0.1) with a script, read its request log, kill it (no orphan
 * survives a test), and collect every message the client produced so
 * that each program can grep them for the API key at the end. */
#ifndef CDPILOT_TEST_LLM_FAKE_H
#define CDPILOT_TEST_LLM_FAKE_H

#include "../t.h"
#include "../../llm/llm.h"
#include "../../util/util.h"

#include <cjson/cJSON.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define KEY "sk-test-CANARY-7f3e9b21d4c8a6"   /* must never be printed */

struct fake {
    pid_t pid;
    char dir[64];
    char url[128];
    char log[128];
};

/* Every message the client produced, to grep for the key at the end. */
static ut_buf g_msgs;

static inline void note(struct llm *l, const struct llm_answer *a)
{
    ut_buf_addf(&g_msgs, "%s\n%s\n%s\n", llm_errmsg(l),
                a && a->reason ? a->reason : "",
                a && a->model ? a->model : "");
}

/* The interpreter: CDPILOT_PYTHON, else Debian's /usr/bin/python3 (a
 * PATH python3 may be a slow version-manager shim), else PATH. */
static inline const char *python(void)
{
    const char *p = getenv("CDPILOT_PYTHON");

    if (p && p[0])
        return p;
    return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3"
                                                 : "python3";
}

static inline const char *fake_py(void)
{
    const char *p = getenv("CDPILOT_FAKE_LLM");

    return p && p[0] ? p : "tests/fake_llm.py";
}

/* Starts the fake with SCRIPT (JSON text); EXTRA is NULL or one more
 * pair of arguments (name, value). 0 on success. */
static inline int fake_start_ex(struct fake *f, const char *script,
                         const char *const *extra)
{
    char path[160], line[256];
    const char *argv[20];
    int fds[2], n = 0, got = 0;
    int64_t deadline;

    memset(f, 0, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/cdpilot-llmtest-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(path, sizeof(path), "%s/script.json", f->dir);
    snprintf(f->log, sizeof(f->log), "%s/log.jsonl", f->dir);
    if (ut_write_file(path, script, strlen(script), 0600) || pipe(fds))
        return -1;
    argv[n++] = python();
    argv[n++] = fake_py();
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n++] = "--script";
    argv[n++] = path;
    argv[n++] = "--log";
    argv[n++] = f->log;
    argv[n++] = "--expect-key";
    argv[n++] = KEY;
    while (extra && *extra && n < 18)
        argv[n++] = *extra++;
    argv[n] = NULL;
    f->pid = fork();
    if (f->pid < 0)
        return -1;
    if (f->pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    deadline = ut_now_ms() + 10000;
    while (got < (int)sizeof(line) - 1 && ut_now_ms() < deadline) {
        struct pollfd p = { fds[0], POLLIN, 0 };
        ssize_t r;

        if (poll(&p, 1, 200) <= 0)
            continue;
        r = read(fds[0], line + got, 1);
        if (r <= 0)
            break;
        if (line[got] == '\n')
            break;
        got++;
    }
    close(fds[0]);
    line[got] = '\0';
    ut_strlcpy(f->url, line, sizeof(f->url));
    return ut_starts_with(f->url, "http") ? 0 : -1;
}

static inline int fake_start(struct fake *f, const char *script)
{
    return fake_start_ex(f, script, NULL);
}

/* Kills the fake and waits for it: no orphan survives a test. */
static inline void fake_stop(struct fake *f)
{
    int st, i;

    if (f->pid > 0) {
        kill(f->pid, SIGTERM);
        for (i = 0; i < 300; i++) {
            if (waitpid(f->pid, &st, WNOHANG) == f->pid)
                break;
            ut_sleep_ms(10);
        }
        if (i == 300) {
            kill(f->pid, SIGKILL);
            waitpid(f->pid, &st, 0);
        }
        CHECK_MSG(kill(f->pid, 0) != 0, "fake %d still alive", (int)f->pid);
        f->pid = 0;
    }
    if (f->dir[0])
        ut_rm_rf(f->dir);
}

/* Number of requests the fake logged (-1 when the log is unreadable). */
static inline int fake_requests(const struct fake *f)
{
    char err[128];
    size_t len, i;
    char *s = ut_read_file(f->log, UT_MAX_FILE, &len, err, sizeof(err));
    int n = 0;

    if (!s)
        return 0;                       /* no request: no file */
    for (i = 0; i < len; i++)
        n += s[i] == '\n';
    free(s);
    return n;
}

/* The Nth (1-based) logged request, parsed; caller cJSON_Deletes. */
static inline cJSON *fake_request(const struct fake *f, int nth)
{
    char err[128], *s, *line, *save = NULL;
    size_t len;
    cJSON *r = NULL;
    int i = 0;

    s = ut_read_file(f->log, UT_MAX_FILE, &len, err, sizeof(err));
    if (!s)
        return NULL;
    for (line = strtok_r(s, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        if (++i == nth) {
            r = cJSON_Parse(line);
            break;
        }
    free(s);
    return r;
}

/* The user message of the Nth request (malloc'd) or NULL. */
static inline char *fake_prompt(const struct fake *f, int nth)
{
    cJSON *r = fake_request(f, nth), *m;
    char *out = NULL;

    m = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "body"), "messages");
    m = cJSON_GetObjectItem(cJSON_GetArrayItem(m, 1), "content");
    if (cJSON_IsString(m))
        out = ut_strdup(m->valuestring);
    cJSON_Delete(r);
    return out;
}

static inline struct llm_config base_cfg(const char *url)
{
    struct llm_config c;

    memset(&c, 0, sizeof(c));
    c.url = url;
    c.model = "fake-model";
    c.api_key = KEY;
    c.timeout_ms = 3000;
    c.max_calls = -1;
    c.max_tokens = -1;
    c.retries = 0;
    c.backoff_ms = 50;
    c.breaker_after = 100;
    c.price_prompt = 0.5;        /* per 1k tokens */
    c.price_completion = 1.5;
    c.json_mode = 1;
    return c;
}

static const char *const CANDS[] = {
    "button \"Red Mug\" (add to cart)",
    "button \"Blue Mug\" (add to cart)",
    "link \"Green Mug\" href=/green",
};

static inline struct llm_query query3(void)
{
    struct llm_query q;

    q.intent = "add the blue mug to the cart";
    q.step_kind = "click";
    q.page_title = "Shop - Mugs";
    q.page_url = "http://127.0.0.1:9/shop?cat=mugs";
    q.cands = CANDS;
    q.n = 3;
    return q;
}

/* One call with CFG against a fresh fake running SCRIPT. Fills A (the
 * caller clears it) and returns the code; *REQS gets the request count. */
static inline llm_code one_call(const char *script, struct llm_config *cfg,
                         struct llm_answer *a, int *reqs)
{
    struct fake f;
    struct llm *l;
    struct llm_query q = query3();
    char err[256];
    llm_code rc = LLM_LAST;

    memset(a, 0, sizeof(*a));
    *reqs = -1;
    if (fake_start(&f, script)) {
        CHECK_MSG(0, "fake did not start");
        fake_stop(&f);
        return rc;
    }
    cfg->url = f.url;
    l = llm_new(cfg, err, sizeof(err));
    CHECK_MSG(l != NULL, "llm_new: %s", err);
    if (l) {
        rc = llm_choose(l, &q, a);
        note(l, a);
        llm_free(l);
    }
    *reqs = fake_requests(&f);
    fake_stop(&f);
    return rc;
}

/* Runs one test function and prints how long it took (tests/run.sh
 * keeps the output in the test's log). */
#define RUN(fn) do { \
    int64_t t0_ = ut_now_ms(); \
    fn(); \
    printf("# %-24s %6lld ms\n", #fn, (long long)(ut_now_ms() - t0_)); \
    fflush(stdout); \
} while (0)

/* Every message collected so far is free of the key. */
static inline void check_no_key(void)
{
    CHECK(g_msgs.len > 100);           /* we did collect messages */
    CHECK_MSG(strstr(g_msgs.p, KEY) == NULL, "the API key leaked");
    CHECK(strstr(g_msgs.p, "CANARY") == NULL);
}

#endif
