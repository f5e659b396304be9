/* notify.c -- loud on failure beyond stderr: when a run fails, its
 * failure summary (JSON, redacted like every report) goes to a command
 * (--on-failure CMD, the profile's notify.on_failure: /bin/sh -c CMD with
 * the JSON on stdin and CDPILOT_* in its environment) and to a webhook
 * (--notify URL, notify.url: POSTed, retried with backoff on network
 * errors, 408, 429 and 5xx). Both are bounded in time (NOTIFY_CMD_MS,
 * NOTIFY_TOTAL_MS), say what went wrong in one warning line, and never
 * change the run's exit code. See docs/PROFILES.md "Notifications". */
#include "exec_int.h"
#include "../llm/llm.h"
#include "../util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOTIFY_CMD_MS    10000   /* the command, from start to exit */
#define NOTIFY_TOTAL_MS  9000    /* the webhook, all tries and waits (10 s
                                    with the connections' setup) */
#define NOTIFY_TRY_MS    2500    /* one POST */
#define NOTIFY_TRIES     4
#define NOTIFY_BACKOFF_MS 250    /* doubles after each try */

static int64_t now_ms(void)
{
    return ut_now_us() / 1000;
}

static void nap_ms(int64_t ms)
{
    struct timespec ts;

    if (ms <= 0)
        return;
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
}

void run_notify_add(cJSON *failed, const struct run_task_report *r,
                    const struct run_opts *o)
{
    cJSON *t = cJSON_CreateObject(), *s;
    const struct run_step_report *last = r->nsteps ? &r->steps[r->nsteps - 1]
                                                   : NULL;
    char *hint = run_resume_hint(r, o);

    cJSON_AddStringToObject(t, "run_id", r->run_id);
    add_str(t, "task", r->task->name);
    cJSON_AddStringToObject(t, "file", r->task->file);
    cJSON_AddStringToObject(t, "status", r->interrupted ? "interrupted"
                                                        : "failed");
    cJSON_AddNumberToObject(t, "exit_code", r->exit_code);
    add_str(t, "browser", r->product[0] ? r->product : NULL);
    if (r->setup_error[0])
        cJSON_AddStringToObject(t, "error", r->setup_error);
    if (last && last->status == 1) {
        s = cJSON_AddObjectToObject(t, "failed_step");
        cJSON_AddNumberToObject(s, "index", last->step->index + 1);
        add_str(s, "id", last->step->id);
        cJSON_AddStringToObject(s, "kind", run_kind_name(last->step->kind));
        add_str(s, "target", last->target ? last->target
                                          : last->step->target);
        cJSON_AddStringToObject(s, "error_class", last->crashed ?
                                "browser-crashed" : sel_code_class(last->code));
        add_str(s, "error", last->error);
        add_str(s, "url", last->url);
        add_str(s, "screenshot", last->screenshot);
    }
    add_str(t, "artifacts", r->artifacts[0] ? r->artifacts : NULL);
    add_str(t, "resume", hint);
    free(hint);
    cJSON_AddItemToArray(failed, t);
}

static const cJSON *get(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* Copies REPORT's K (when there) into T. */
static void copy(cJSON *t, const char *k, const cJSON *report)
{
    const cJSON *v = get(report, k);

    if (v && !cJSON_IsNull(v))
        cJSON_AddItemToObject(t, k, cJSON_Duplicate(v, 1));
}

void run_notify_add_report(cJSON *failed, const cJSON *report,
                           const char *file, int code)
{
    static const char *const step_keys[] = {
        "index", "id", "kind", "target", "error_class", "error", "url",
        "screenshot"
    };
    cJSON *t = cJSON_CreateObject(), *s;
    const cJSON *steps = get(report, "steps"), *last;
    const char *id = cJSON_GetStringValue(get(report, "run_id"));
    char hint[512];
    size_t k;

    copy(t, "run_id", report);
    copy(t, "task", report);
    cJSON_AddStringToObject(t, "file", file);
    cJSON_AddStringToObject(t, "status", "failed");
    cJSON_AddNumberToObject(t, "exit_code", code);
    if (cJSON_GetStringValue(get(get(report, "browser"), "product")))
        cJSON_AddStringToObject(t, "browser", cJSON_GetStringValue(
            get(get(report, "browser"), "product")));
    last = cJSON_GetArrayItem(steps, cJSON_GetArraySize(steps) - 1);
    if (last && cJSON_GetStringValue(get(last, "status")) &&
        !strcmp(cJSON_GetStringValue(get(last, "status")), "failed")) {
        s = cJSON_AddObjectToObject(t, "failed_step");
        for (k = 0; k < sizeof step_keys / sizeof *step_keys; k++)
            copy(s, step_keys[k], last);
    }
    copy(t, "artifacts", report);
    if (id && cJSON_IsTrue(get(get(report, "cache"), "enabled"))) {
        snprintf(hint, sizeof hint, "cdpilot run %.300s --resume %.64s",
                 file, id);
        cJSON_AddStringToObject(t, "resume", hint);
    }
    cJSON_AddItemToArray(failed, t);
}

/* Writes LEN bytes of S to FD (non-blocking) until DEADLINE; 0 or -1. */
static int write_until(int fd, const char *s, size_t len, int64_t deadline)
{
    struct pollfd p = { .fd = fd, .events = POLLOUT };
    ssize_t w;

    while (len > 0) {
        int64_t left = deadline - now_ms();
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            return -1;
        w = write(fd, s, len);
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            return -1;
        if (w > 0) {
            s += w;
            len -= (size_t)w;
        }
    }
    return 0;
}

/* Starts /bin/sh -c CMD in a process group of its own, its stdout on our
 * stderr; the pid, or -1. *IN is the write end of its stdin. */
static pid_t start_cmd(const char *cmd, int *in)
{
    int p[2];
    pid_t pid;

    if (pipe(p) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGPIPE, SIG_DFL);
        if (dup2(p[0], STDIN_FILENO) < 0 ||
            dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
            _exit(127);
        close(p[0]);
        close(p[1]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(p[0]);
    if (pid < 0) {
        close(p[1]);
        return -1;
    }
    setpgid(pid, pid);      /* also here: a kill may come before the child's */
    fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK);
    fcntl(p[1], F_SETFD, FD_CLOEXEC);
    *in = p[1];
    return pid;
}

static void run_cmd(const char *cmd, const char *json)
{
    int64_t deadline = now_ms() + NOTIFY_CMD_MS;
    int in = -1, st = 0;
    pid_t pid = start_cmd(cmd, &in), w = 0;

    if (pid < 0) {
        fprintf(stderr, "cdpilot: warning: on-failure command: could not "
                "start /bin/sh: %s\n", strerror(errno));
        return;
    }
    (void)write_until(in, json, strlen(json), deadline);
    close(in);
    while ((w = waitpid(pid, &st, WNOHANG)) == 0 && now_ms() < deadline)
        nap_ms(20);
    if (w == 0) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        (void)waitpid(pid, &st, 0);
        fprintf(stderr, "cdpilot: warning: on-failure command killed "
                "after %d s\n", NOTIFY_CMD_MS / 1000);
    } else if (w > 0 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
        fprintf(stderr, "cdpilot: warning: on-failure command %s %d\n",
                WIFEXITED(st) ? "exited with" : "killed by signal",
                WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    }
}

/* "https://hooks.example" of URL: what a warning may show of a webhook,
 * whose path often holds its token. */
static void url_origin(const char *url, char *out, size_t n)
{
    const char *h = strstr(url, "://");
    size_t len = h ? (size_t)(h + 3 - url) + strcspn(h + 3, "/?#") : 0;

    snprintf(out, n, "%.*s", (int)len, url);
}

static void post(const char *url, const char *json)
{
    int64_t deadline = now_ms() + NOTIFY_TOTAL_MS, left;
    int k, status = 0, wait = NOTIFY_BACKOFF_MS;
    char err[256] = "", origin[300];
    llm_code rc = LLM_OK;

    for (k = 0; k < NOTIFY_TRIES; k++) {
        if (k) {
            left = deadline - now_ms();
            nap_ms(wait < left ? wait : left);
            wait *= 2;
        }
        left = deadline - now_ms();
        if (left <= 0)
            break;
        rc = llm_post(url, json, strlen(json), left < NOTIFY_TRY_MS ?
                      (int)left : NOTIFY_TRY_MS, &status, err, sizeof err);
        if (rc == LLM_OK && status >= 200 && status < 300)
            return;
        if (rc == LLM_E_CONFIG || (rc == LLM_OK && status < 500 &&
                                   status != 408 && status != 429))
            break;                       /* trying again would not help */
    }
    url_origin(url, origin, sizeof origin);
    if (rc == LLM_OK)
        snprintf(err, sizeof err, "HTTP status %d", status);
    fprintf(stderr, "cdpilot: warning: notify %s: %s (%d tr%s)\n", origin,
            err, k < NOTIFY_TRIES ? k + 1 : k, k ? "ies" : "y");
}

/* Sets the environment the command gets (and leaves it: the process
 * ends soon after). */
static void set_env(const cJSON *failed, int code, int ntasks)
{
    const cJSON *first = cJSON_GetArrayItem(failed, 0);
    char num[32];

    snprintf(num, sizeof num, "%d", code);
    setenv("CDPILOT_EXIT", num, 1);
    snprintf(num, sizeof num, "%d", cJSON_GetArraySize(failed));
    setenv("CDPILOT_FAILED", num, 1);
    snprintf(num, sizeof num, "%d", ntasks);
    setenv("CDPILOT_TASKS", num, 1);
    setenv("CDPILOT_RUN_ID", cJSON_GetStringValue(cJSON_GetObjectItem(
           first, "run_id")) ? cJSON_GetStringValue(cJSON_GetObjectItem(
           first, "run_id")) : "", 1);
    setenv("CDPILOT_TASK", cJSON_GetStringValue(cJSON_GetObjectItem(
           first, "file")) ? cJSON_GetStringValue(cJSON_GetObjectItem(
           first, "file")) : "", 1);
}

void run_notify(const struct run_opts *o, const struct run_task *first,
                cJSON *failed, int ntasks, int code)
{
    struct run_profile prof;
    const char *cmd = o->on_failure, *url = o->notify_url;
    cJSON *sum;
    char err[RUN_ERR_LEN], *json;
    int have_prof;

    if (code == RUN_EXIT_OK || o->no_notify)
        return;
    have_prof = (!cmd || !url) &&
        run_profile_load(o->profile ? o->profile : first && first->profile ?
                         first->profile : "default", &prof, err,
                         sizeof err) == 0;
    if (have_prof) {
        cmd = cmd ? cmd : prof.notify_cmd;
        url = url ? url : prof.notify_url;
    }
    if (cmd || url) {
        sum = cJSON_CreateObject();
        cJSON_AddNumberToObject(sum, "schema_version", 1);
        cJSON_AddStringToObject(sum, "status", "failed");
        cJSON_AddNumberToObject(sum, "exit_code", code);
        cJSON_AddNumberToObject(sum, "tasks_total", ntasks);
        cJSON_AddItemReferenceToObject(sum, "failed", failed);
        run_redact_json(failed);     /* the last gate before it leaves */
        json = cJSON_PrintUnformatted(sum);
        cJSON_Delete(sum);
        if (json && cmd) {
            set_env(failed, code, ntasks);
            run_cmd(cmd, json);
        }
        if (json && url)
            post(url, json);
        free(json);
    }
    if (have_prof)
        run_profile_free(&prof);
}
