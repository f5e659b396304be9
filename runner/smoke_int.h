/* smoke_int.h -- internals shared by the files of `cdpilot smoke` (never
 * included outside them): smoke.c the command, its options and the task
 * files; smoke_jobs.c the job pool; smoke_report.c failures, JUnit XML and
 * the --json document. See smoke.c's top for the whole. */
#ifndef CDPILOT_SMOKE_INT_H
#define CDPILOT_SMOKE_INT_H

#include "exec_int.h"
#include "../util/util.h"

#include <stdint.h>
#include <sys/types.h>

#define SMOKE_MAX_TASKS    10000
#define SMOKE_MAX_DEPTH    32
#define SMOKE_MAX_JOBS     64
#define SMOKE_MAX_RETRIES  10
#define SMOKE_MAX_ARGS     256
#define SMOKE_MAX_OUT      (16u * 1024 * 1024)  /* a child's JSON report */
#define SMOKE_MAX_ERR      (1u * 1024 * 1024)   /* a child's step lines */
#define SMOKE_MAX_JUNIT    (256u * 1024 * 1024)
#define SMOKE_MAX_TASK_FILE (16u * 1024 * 1024) /* as `run` reads */
#define SMOKE_KILL_GRACE_MS 10000
/* A failed task waits before its rerun: 1 s doubled per rerun, capped at
 * 15 s, with equal jitter (a flaky backend gets a breath, and parallel
 * jobs failing together do not come back together). */
#define SMOKE_RETRY_BASE_MS 1000
#define SMOKE_RETRY_CAP_MS  15000
#define SMOKE_HEARTBEAT_TTY 10000
#define SMOKE_HEARTBEAT_LOG 30000   /* CI logs: never silent for 60 s */

struct smoke_opts {
    int jobs, retries, fail_fast, json, quiet, verbose;
    const char *junit, *report, *serve_dir, *grep, *trace_dir;
    const char *setup;       /* --setup TASK: runs first, saves the state */
    char **fwd;              /* options passed on to every child */
    size_t nfwd;
    char **paths;
    size_t npaths;
    int heartbeat_ms;
};

/* One child run of a task. */
struct attempt {
    int code;                /* exit status, or 128 + signal */
    int64_t ms;
    int64_t wait_ms;         /* the pause before the next attempt */
    cJSON *report;           /* its stdout parsed; NULL when none */
    char *err;               /* its stderr (bounded) */
};

enum task_state { TASK_PENDING = 0, TASK_RUNNING, TASK_DONE, TASK_SKIPPED };

struct smoke_task {
    char *file;
    char *name;              /* the file's "name", NULL when none */
    const char *label;       /* name, else file: what people see */
    char *trace;             /* DIR/<sanitised name>; NULL without --trace */
    enum task_state state;
    struct attempt *att;     /* retries + 1 slots */
    int natt;
    int64_t not_before;      /* monotonic ms: no rerun before this */
    int code;                /* final exit code; 0 when passed */
    int flaky;
    const char *skip_reason;
    int setup;               /* the --setup task */
    int grid_retried;        /* attempts given again because the grid's
                                browser was lost (at most 1, not counted
                                against --retries) */
};

struct job {
    struct smoke_task *t;    /* NULL: slot free */
    pid_t pid;
    int fd[2];               /* stdout, stderr read ends; -1 closed */
    ut_buf buf[2];
    int64_t t0, killed_at;   /* killed_at: 0 until we sent SIGTERM */
};

struct smoke {
    struct smoke_opts so;
    struct smoke_task *tasks;
    size_t ntasks;
    struct job jobs[SMOKE_MAX_JOBS];
    int running;
    size_t *queue, qhead, qtail;  /* task indices to (re)launch */
    size_t done;
    int stop;                /* launch nothing more */
    const char *stop_reason;
    const char *base_url;    /* --serve's URL */
    int devnull;
    int64_t t0, last_out;
    uint64_t rng;            /* retry jitter */
    char state_dir[4096];    /* --setup: a 0700 folder of its own ... */
    char state_file[4200];   /* ... with the state the tasks load */
};

/* What went wrong in one attempt, in one line. */
struct run__smoke_fail {
    char msg[1024];          /* one line */
    char type[64];           /* error class: not-found, invalid, browser… */
    int is_error;            /* JUnit <error> rather than <failure> */
};
void run__smoke_fail_of(const struct attempt *a, struct run__smoke_fail *fi);

/* smoke_grid.c: whether attempt A ended (exit 3) because its --grid
 * browser was lost mid-task (a node died, the session went): such a task
 * is run once more on a new session. RUN__SMOKE_GRID_RETRIED says so in
 * the human line, JUnit and --json. */
#define RUN__SMOKE_GRID_RETRIED \
    "retried on another grid session: browser lost"
int  run__smoke_grid_lost(const struct attempt *a);
/* Task counts for the summary line, JUnit and --json. */
struct run__smoke_counts {
    int passed, failed, flaky, skipped, failures, errors;
};
void run__smoke_count(const struct smoke *s, struct run__smoke_counts *c);

/* Writes to stderr and notes the time (the heartbeat's clock). */
void run__smoke_say(struct smoke *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends P to the growing array *V; 0 or -1 (no memory). */
int  run__smoke_push(char ***v, size_t *n, size_t *cap, char *p);

/* Runs the queued tasks to the end (or a stop); 0, or -1 with ERR. */
int  run__smoke_run_all(struct smoke *s, char *err, size_t errlen);
/* The exit code of the whole set: the worst among failed tasks. */
int  run__smoke_final_code(const struct smoke *s);

int  run__smoke_write_junit(const struct smoke *s, int64_t ms, char *err,
                            size_t errlen);
/* The --json document (it takes the attempts' reports); run__smoke_reports
 * prints it (--json) and writes the --report page from it: 0, or -1 when
 * the page could not be written (said). */
cJSON *run__smoke_json(struct smoke *s, int code, int64_t ms);
int  run__smoke_reports(struct smoke *s, int code, int64_t ms);

#endif
