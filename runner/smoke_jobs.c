/* smoke_jobs.c -- the job pool of `cdpilot smoke`: each task runs as a
 * child `cdpilot run FILE --json`, N at a time; their output is read as it
 * comes, failures are retried after a backoff, a heartbeat keeps CI logs
 * alive, and every child is reaped (SIGTERM, then SIGKILL after a grace
 * period, when the run stops early). */
#include "smoke_int.h"
#include "shard_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Step lines of a child, minus the passing ones ("  ok "): the detail a
 * failure needs. Each line indented by two spaces. */
static void print_detail(struct smoke *s, const char *err, int all)
{
    const char *p = err ? err : "";

    while (*p) {
        size_t len = strcspn(p, "\n");
        if (all || !ut_starts_with(p, "  ok "))
            fprintf(stderr, "  %.*s\n", (int)len, p);
        p += len + (p[len] == '\n');
    }
    fflush(stderr);
    s->last_out = ut_now_ms();
}

/* ---- children -------------------------------------------------------- */
static void job_close(struct job *j)
{
    int k;

    for (k = 0; k < 2; k++) {
        if (j->fd[k] >= 0)
            close(j->fd[k]);
        j->fd[k] = -1;
        ut_buf_free(&j->buf[k]);
    }
    if (j->pidfd >= 0)
        close(j->pidfd);
    j->pidfd = -1;
    j->t = NULL;
    j->pid = 0;
}

/* The child's command line: run [options] -- FILE. */
static size_t child_args(const struct smoke *s, const struct smoke_task *t,
                         char *attempt, size_t an, char *base, size_t bn,
                         const char *ws, char **argv)
{
    size_t n = 0, i;

    argv[n++] = (char *)"cdpilot";
    argv[n++] = (char *)"run";
    argv[n++] = (char *)"--json";
    argv[n++] = (char *)"--no-notify";   /* smoke notifies once, at its end */
    if (s->base_url) {
        snprintf(base, bn, "base=%s", s->base_url);
        argv[n++] = (char *)"--var";
        argv[n++] = base;
        argv[n++] = (char *)"--base-url";
        argv[n++] = (char *)s->base_url;
    }
    for (i = 0; i < s->so.nfwd; i++)     /* nfwd capped by parse_opts */
        argv[n++] = s->so.fwd[i];
    argv[n++] = (char *)"--suite-id";    /* one LLM budget for all */
    argv[n++] = (char *)s->suite_id;
    snprintf(attempt, an, "attempt=%d", t->natt + 1);
    argv[n++] = (char *)"--var";
    argv[n++] = attempt;
    if (t->trace) {
        argv[n++] = (char *)"--trace";
        argv[n++] = t->trace;
    }
    if (ws) {                 /* its slot's browser (smoke_browsers.c) */
        argv[n++] = (char *)"--connect";
        argv[n++] = (char *)ws;
    }
    if (s->state_file[0]) {   /* --setup saves the state the others load */
        argv[n++] = (char *)(t->setup ? "--save-state" : "--state");
        argv[n++] = (char *)s->state_file;
    }
    argv[n++] = (char *)"--";
    argv[n++] = t->file;
    argv[n] = NULL;
    return n;
}

/* Forks `cdpilot run` for T into J. 0, or -1 with ERR. Between fork and
 * exec the child only calls async-signal-safe functions (the parent may
 * run the --serve thread). */
static int job_start(struct smoke *s, struct job *j, struct smoke_task *t,
                     char *err, size_t errlen)
{
    char *argv[SMOKE_MAX_ARGS], attempt[32], base[512];
    int po[2], pe[2], k, slot = (int)(j - s->jobs);
    pid_t parent = getpid(), pid;
    const char *ws = run__smoke_browser_url(s, slot, t);

    child_args(s, t, attempt, sizeof attempt, base, sizeof base, ws, argv);
    if (pipe2(po, O_CLOEXEC))
        return ut_err(err, errlen, -1, "pipe: %s", strerror(errno));
    if (pipe2(pe, O_CLOEXEC)) {
        close(po[0]);
        close(po[1]);
        return ut_err(err, errlen, -1, "pipe: %s", strerror(errno));
    }
    pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(127);
        if (dup2(s->devnull, 0) < 0 || dup2(po[1], 1) < 0 ||
            dup2(pe[1], 2) < 0)
            _exit(127);
        close_range(3, ~0U, 0);
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    if (pid < 0) {
        close(po[0]);
        close(pe[0]);
        return ut_err(err, errlen, -1, "fork: %s", strerror(errno));
    }
    memset(j, 0, sizeof *j);
    j->t = t;
    j->pid = pid;
    j->fd[0] = po[0];
    j->fd[1] = pe[0];
    j->pidfd = ut_pidfd_open(pid);
    if (j->pidfd >= 0)
        fcntl(j->pidfd, F_SETFD, FD_CLOEXEC);
    ut_buf_init(&j->buf[0], SMOKE_MAX_OUT);
    ut_buf_init(&j->buf[1], SMOKE_MAX_ERR);
    for (k = 0; k < 2; k++)
        fcntl(j->fd[k], F_SETFL, fcntl(j->fd[k], F_GETFL) | O_NONBLOCK);
    j->t0 = ut_now_ms();
    t->state = TASK_RUNNING;
    s->running++;
    return 0;
}

/* Reads what is there from pipe K; closes it at EOF. Bytes beyond the
 * buffer's cap are dropped (a truncated report fails to parse and is
 * treated as missing). */
static void job_read(struct job *j, int k)
{
    char chunk[16384];

    while (j->fd[k] >= 0) {
        ssize_t r = read(j->fd[k], chunk, sizeof chunk);
        if (r > 0) {
            ut_buf_add(&j->buf[k], chunk, (size_t)r);
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        close(j->fd[k]);
        j->fd[k] = -1;
    }
}

static void jobs_kill(struct smoke *s, const char *why)
{
    int i;

    s->stop = 1;
    if (!s->stop_reason)
        s->stop_reason = why;
    for (i = 0; i < SMOKE_MAX_JOBS; i++) {
        struct job *j = &s->jobs[i];
        if (j->t && !j->killed_at) {
            kill(j->pid, SIGTERM);
            j->killed_at = ut_now_ms();
        }
    }
}

static int rank(int code)      /* 3 browser > 4 llm > 1 failed > 2 invalid */
{
    switch (code) {
    case RUN_EXIT_OK: return 0;
    case RUN_EXIT_USAGE: return 1;
    case RUN_EXIT_BROWSER: return 4;
    case RUN_EXIT_LLM: return 3;
    default: return 2;
    }
}

int run__smoke_worse(int a, int b)
{
    return rank(b) > rank(a) ? b : a;
}

static int norm_code(int code)  /* crashes and signals count as failed */
{
    return code >= RUN_EXIT_OK && code <= RUN_EXIT_LLM ? code :
           RUN_EXIT_FAILED;
}

static void print_end(struct smoke *s, const struct smoke_task *t)
{
    const struct attempt *a = &t->att[t->natt - 1];
    struct run__smoke_fail fi;
    double secs = a->ms / 1000.0;

    if (t->code == 0 && !t->flaky) {
        if (!s->so.quiet)
            run__smoke_say(s, "ok    %s  %.1f s%s%s%s\n", t->label, secs,
                           t->grid_retried ? "  (" : "", t->grid_retried ?
                           RUN__SMOKE_GRID_RETRIED : "",
                           t->grid_retried ? ")" : "");
        if (s->so.verbose)
            print_detail(s, a->err, 1);
        return;
    }
    if (t->code == 0) {
        run__smoke_fail_of(&t->att[0], &fi);
        run__smoke_say(s, "FLAKY %s  %.1f s  passed on attempt %d of %d; "
                       "attempt 1: %s\n", t->label, secs, t->natt,
                       s->so.retries + 1, fi.msg);
        return;
    }
    run__smoke_fail_of(a, &fi);
    run__smoke_say(s, "FAIL  %s  %.1f s  %s (exit %d%s)\n", t->label, secs,
                   t->file, t->code,
                   t->natt > 1 ? ", every attempt failed" : "");
    print_detail(s, a->err, s->so.verbose);
    if (!strstr(a->err ? a->err : "", "FAIL ") && fi.msg[0] &&
        !strstr(a->err ? a->err : "", fi.msg))
        run__smoke_say(s, "  %s\n", fi.msg);
}

/* A child ended: record the attempt, then pass, retry or fail the task. */
static void job_finish(struct smoke *s, struct job *j, int status)
{
    struct smoke_task *t = j->t;
    struct attempt *a = &t->att[t->natt++];
    int killed = j->killed_at != 0;

    a->code = WIFEXITED(status) ? WEXITSTATUS(status) :
              WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 1;
    a->ms = ut_now_ms() - j->t0;
    if (j->buf[0].len)
        a->report = cJSON_ParseWithLength(j->buf[0].p, j->buf[0].len);
    a->err = ut_buf_take(&j->buf[1]);
    job_close(j);
    s->running--;
    if (killed && a->code != 0) {
        t->state = TASK_SKIPPED;
        t->skip_reason = s->stop_reason;
        s->done++;
        return;
    }
    if (!t->grid_retried && !s->stop && run__smoke_grid_lost(a)) {
        t->grid_retried = 1;        /* not one of --retries */
        t->state = TASK_PENDING;
        s->queue[s->qtail++] = (size_t)(t - s->tasks);
        if (!s->so.quiet)
            run__smoke_say(s, "retry %s: %s\n", t->label,
                           RUN__SMOKE_GRID_RETRIED);
        return;
    }
    if (a->code != 0 && a->code != RUN_EXIT_USAGE &&
        t->natt - t->grid_retried <= s->so.retries && !s->stop) {
        struct run__smoke_fail fi;
        run__smoke_fail_of(a, &fi);
        t->state = TASK_PENDING;
        a->wait_ms = ut_backoff_ms(SMOKE_RETRY_BASE_MS, t->natt - 1,
                                   SMOKE_RETRY_CAP_MS, &s->rng);
        t->not_before = ut_now_ms() + a->wait_ms;
        s->queue[s->qtail++] = (size_t)(t - s->tasks);
        if (!s->so.quiet)
            run__smoke_say(s, "retry %s (attempt %d of %d, in %.1f s): %s\n",
                           t->label, t->natt + 1, s->so.retries + 1,
                           a->wait_ms / 1000.0, fi.msg);
        return;
    }
    t->state = TASK_DONE;
    t->code = a->code;
    t->flaky = a->code == 0 && t->natt - t->grid_retried > 1;
    s->done++;
    print_end(s, t);
    if (a->code != 0 && s->so.fail_fast)
        jobs_kill(s, "cancelled after a failure (--fail-fast)");
}

/* Reaps every child that has ended. */
static void jobs_reap(struct smoke *s)
{
    int i, st;

    for (i = 0; i < SMOKE_MAX_JOBS; i++) {
        struct job *j = &s->jobs[i];
        pid_t r;
        if (!j->t)
            continue;
        r = waitpid(j->pid, &st, WNOHANG);
        if (r == j->pid) {
            job_read(j, 0);           /* what is left in the pipes */
            job_read(j, 1);
            job_finish(s, j, st);
        } else if (j->killed_at &&
                   ut_now_ms() - j->killed_at > SMOKE_KILL_GRACE_MS) {
            kill(j->pid, SIGKILL);
        }
    }
}

static void heartbeat(struct smoke *s)
{
    char names[256] = "";
    size_t used = 0;
    int i, shown = 0;

    for (i = 0; i < SMOKE_MAX_JOBS; i++) {
        const struct job *j = &s->jobs[i];
        if (!j->t)
            continue;
        if (shown++ == 3) {
            ut_strlcpy(names + used, ", …", sizeof names - used);
            break;
        }
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%.40s",
                                 used ? ", " : "", j->t->label);
        if (used >= sizeof names)
            used = sizeof names - 1;
    }
    run__smoke_say(s, "smoke: %zu/%zu done, %d running (%s) %lld s\n", s->done,
        s->ntasks, s->running, names,
        (long long)((ut_now_ms() - s->t0) / 1000));
}

/* 1 when a queued task may start now, moved to the queue's head (a
 * rerun still in its backoff lets the tasks behind it go first); else 0,
 * with *WAKE the earliest time one may. */
static int next_ready(struct smoke *s, int64_t *wake)
{
    int64_t now = ut_now_ms();
    size_t i;

    *wake = 0;
    for (i = s->qhead; i < s->qtail; i++) {
        const struct smoke_task *t = &s->tasks[s->queue[i]];
        if (t->not_before <= now) {
            size_t q = s->queue[i];
            memmove(&s->queue[s->qhead + 1], &s->queue[s->qhead],
                    (i - s->qhead) * sizeof *s->queue);
            s->queue[s->qhead] = q;
            return 1;
        }
        if (!*wake || t->not_before < *wake)
            *wake = t->not_before;
    }
    return 0;
}

/* Launches, waits, reads and reaps until every task ended or was
 * skipped. 0, or -1 with ERR (fork/pipe failure: running children are
 * stopped and reaped first). */
int run__smoke_run_all(struct smoke *s, char *err, size_t errlen)
{
    int rc = 0;

    while (s->running || (!s->stop && s->qhead < s->qtail)) {
        struct pollfd pf[SMOKE_MAX_JOBS * 3];
        struct job *owner[SMOKE_MAX_JOBS * 3];
        int kind[SMOKE_MAX_JOBS * 3];
        nfds_t n = 0, k;
        int i, wait_ms;
        int64_t now, wake = 0;

        while (!s->stop && s->running < s->so.jobs &&
               next_ready(s, &wake)) {
            struct job *slot = NULL;
            for (i = 0; i < SMOKE_MAX_JOBS && !slot; i++)
                if (!s->jobs[i].t)
                    slot = &s->jobs[i];
            if (job_start(s, slot, &s->tasks[s->queue[s->qhead]], err,
                          errlen)) {
                rc = -1;
                jobs_kill(s, "stopped: could not start a task");
                break;
            }
            s->qhead++;
        }
        for (i = 0; i < SMOKE_MAX_JOBS; i++)
            for (k = 0; k < 2; k++)
                if (s->jobs[i].t && s->jobs[i].fd[k] >= 0) {
                    pf[n].fd = s->jobs[i].fd[k];
                    pf[n].events = POLLIN;
                    owner[n] = &s->jobs[i];
                    kind[n++] = (int)k;
                }
        for (i = 0; i < SMOKE_MAX_JOBS; i++)
            if (s->jobs[i].t && s->jobs[i].pidfd >= 0) {
                pf[n].fd = s->jobs[i].pidfd;
                pf[n].events = POLLIN;
                owner[n] = &s->jobs[i];
                kind[n++] = -1;
            }
        now = ut_now_ms();
        wait_ms = (int)(s->last_out + s->so.heartbeat_ms - now);
        if (wait_ms > 200)
            wait_ms = 200;   /* children are reaped by polling waitpid */
        if (wake && wake - now < wait_ms)
            wait_ms = (int)(wake - now);
        if (wait_ms < 0)
            wait_ms = 0;
        if (poll(pf, n, wait_ms) > 0)
            for (k = 0; k < n; k++)
                if (pf[k].revents && kind[k] >= 0)
                    job_read(owner[k], kind[k]);
        jobs_reap(s);
        if (run_interrupted && !s->stop_reason)
            jobs_kill(s, "interrupted");
        if (s->running && ut_now_ms() - s->last_out >= s->so.heartbeat_ms)
            heartbeat(s);
    }
    return rc;
}

int run__smoke_final_code(const struct smoke *s)
{
    size_t i;
    int code = RUN_EXIT_OK;

    for (i = 0; i < s->ntasks; i++) {
        const struct smoke_task *t = &s->tasks[i];
        int c = t->state == TASK_DONE ? norm_code(t->code) : RUN_EXIT_OK;
        if (rank(c) > rank(code))
            code = c;
    }
    return code;
}
