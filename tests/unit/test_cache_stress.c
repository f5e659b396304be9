/* test_cache_stress.c -- several processes on one cache file, and kill -9
 * in the middle of writing.
 *  - 8 forked children x 500 cache_put of their own keys, each followed
 *    by a cache_hit_ok on one shared key: no errors, 4000 rows, the
 *    shared key's successes exactly 1 + 4000 (no lost update).
 *  - A child writes entries (and run checkpoints) in a loop, reporting
 *    each committed id on a pipe; it is SIGKILLed at a random moment.
 *    The file must then open, pass integrity_check, and hold every id
 *    the child reported. Five rounds on the same file. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../../cache/cache.h"
#include "../t.h"
#include "../../util/util.h"

#define PROCS  8
#define WRITES 500

static char tmpdir[] = "/tmp/cdpilot-tstress.XXXXXX";

static const struct cache_key SHARED = {"http://shared.test", "/", "click",
                                        "the shared button"};

/* One writer process: returns its exit status (0 = every call OK). */
static int writer(const char *path, int id)
{
    char err[1024], intent[64];
    struct cache *c = NULL;
    cache_code rc;
    int i;

    if ((rc = cache_open(path, 20000, &c, err, sizeof err))) {
        fprintf(stderr, "child %d open: %s\n", id, err);
        return 1;
    }
    for (i = 0; i < WRITES; i++) {
        struct cache_key k = {"http://stress.test", "/item/:n", "click",
                              intent};

        snprintf(intent, sizeof intent, "proc %d write %d", id, i);
        if ((rc = cache_put(c, &k, "#x", "{}", i % 2 ? "llm" : "heuristic",
                            0.5, 0)) ||
            (rc = cache_hit_ok(c, &SHARED))) {
            fprintf(stderr, "child %d write %d: %s (%s)\n", id, i,
                    cache_strerror(rc), cache_errmsg(c));
            cache_close(c);
            return 1;
        }
    }
    cache_close(c);
    return 0;
}

static void test_parallel(void)
{
    char path[512], err[1024];
    struct cache *c = NULL;
    struct cache_entry e;
    struct cache_stats st;
    pid_t pids[PROCS];
    int i, status, failed = 0;
    int64_t t0 = ut_now_ms();

    snprintf(path, sizeof path, "%s/parallel.db", tmpdir);
    CHECK_INT(cache_open(path, 5000, &c, err, sizeof err), CACHE_OK);
    if (!c)
        return;
    CHECK_INT(cache_put(c, &SHARED, "#shared", NULL, "heuristic", 1, 0),
              CACHE_OK);
    cache_close(c);                 /* no handle crosses a fork */
    fflush(NULL);
    for (i = 0; i < PROCS; i++) {
        pids[i] = fork();
        if (pids[i] == 0)
            _exit(writer(path, i));
        CHECK(pids[i] > 0);
    }
    for (i = 0; i < PROCS; i++) {
        if (pids[i] <= 0 || waitpid(pids[i], &status, 0) != pids[i] ||
            !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed++;
    }
    CHECK_INT(failed, 0);
    printf("parallel: %d processes x %d writes (+%d hit_ok) in %lld ms\n",
           PROCS, WRITES, WRITES, (long long)(ut_now_ms() - t0));
    CHECK_INT(cache_open(path, 5000, &c, err, sizeof err), CACHE_OK);
    if (!c)
        return;
    CHECK_INT(cache_check(c), CACHE_OK);
    CHECK_INT(cache_stats(c, &st), CACHE_OK);
    CHECK_INT(st.entries, PROCS * WRITES + 1);
    CHECK_INT(cache_lookup(c, &SHARED, &e), CACHE_OK);
    CHECK_INT(e.successes, 1 + PROCS * WRITES);
    cache_entry_clear(&e);
    cache_close(c);
}

/* Writes forever, reporting every committed id on FD (never returns). */
static void endless_writer(const char *path, int fd)
{
    char err[1024], intent[64], vars[64];
    struct cache *c = NULL;
    int i;

    if (cache_open(path, 20000, &c, err, sizeof err)) {
        fprintf(stderr, "endless writer: %s\n", err);
        _exit(1);
    }
    for (i = 0;; i++) {
        struct cache_key k = {"http://kill.test", "/", "fill", intent};

        snprintf(intent, sizeof intent, "field %d of pid %d", i,
                 (int)getpid());
        snprintf(vars, sizeof vars, "{\"i\":%d}", i);
        if (cache_put(c, &k, "input[name=q]", "{}", "heuristic", 0.8, 0) ||
            cache_run_step(c, "killed-run", i, vars)) {
            fprintf(stderr, "endless writer: %s\n", cache_errmsg(c));
            _exit(1);
        }
        if (write(fd, &i, sizeof i) != (ssize_t)sizeof i)
            _exit(1);
    }
}

static void kill_round(const char *path, int round)
{
    char err[1024], intent[64];
    struct cache *c = NULL;
    struct cache_run r;
    int fds[2], got = -1, v, target, status, missing = 0, i;
    pid_t pid;

    CHECK(pipe(fds) == 0);
    target = 50 + rand() % 1500;          /* commits before the kill */
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        endless_writer(path, fds[1]);
    }
    close(fds[1]);
    while (got + 1 < target && read(fds[0], &v, sizeof v) == sizeof v)
        got = v;
    /* A random moment: mid-transaction as often as between them. */
    {
        struct timespec ts = {0, (rand() % 2000) * 1000L};

        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    while (read(fds[0], &v, sizeof v) == sizeof v)   /* reported late */
        got = v;
    close(fds[0]);
    CHECK(got >= 0);

    CHECK_INT(cache_open(path, 5000, &c, err, sizeof err), CACHE_OK);
    if (!c)
        return;
    CHECK_INT(cache_check(c), CACHE_OK);
    for (i = 0; i <= got; i++) {
        struct cache_key k = {"http://kill.test", "/", "fill", intent};

        snprintf(intent, sizeof intent, "field %d of pid %d", i, (int)pid);
        if (cache_hit_ok(c, &k) != CACHE_OK)
            missing++;
    }
    CHECK_INT(missing, 0);
    CHECK_INT(cache_run_get(c, "killed-run", &r), CACHE_OK);
    CHECK_MSG(r.next_step >= got + 1, "checkpoint %d behind report %d",
              r.next_step, got + 1);
    cache_run_clear(&r);
    printf("kill round %d: killed after %d reported commits, all present\n",
           round, got + 1);
    cache_close(c);
}

static void test_kill9(void)
{
    char path[512], err[1024];
    struct cache *c = NULL;
    int round;

    snprintf(path, sizeof path, "%s/kill.db", tmpdir);
    CHECK_INT(cache_open(path, 5000, &c, err, sizeof err), CACHE_OK);
    if (!c)
        return;
    CHECK_INT(cache_run_begin(c, "killed-run", "kill test", "h"), CACHE_OK);
    cache_close(c);
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    for (round = 0; round < 5; round++)
        kill_round(path, round);
}

/* 8 processes create the same missing file at once: exactly one
 * creates the schema, nobody fails, nobody's rows are lost. Repeated a
 * few times to hit the window. */
static void test_create_race(void)
{
    char path[512], err[1024];
    struct cache *c = NULL;
    struct cache_stats st;
    pid_t pids[PROCS];
    int round, i, status, failed = 0;

    for (round = 0; round < 5; round++) {
        snprintf(path, sizeof path, "%s/race%d/sub/cache.db", tmpdir, round);
        fflush(NULL);
        for (i = 0; i < PROCS; i++) {
            pids[i] = fork();
            if (pids[i] == 0) {
                struct cache_key k = {"http://race.test", "/", "click",
                                      err};

                snprintf(err, sizeof err, "proc %d", i);
                if (cache_open(path, 20000, &c, err + 100, 900) ||
                    cache_put(c, &k, "#r", NULL, "llm", 0.5, 0)) {
                    fprintf(stderr, "race child %d: %s\n", i,
                            c ? cache_errmsg(c) : err + 100);
                    _exit(1);
                }
                cache_close(c);
                _exit(0);
            }
        }
        for (i = 0; i < PROCS; i++)
            if (pids[i] <= 0 || waitpid(pids[i], &status, 0) != pids[i] ||
                !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                failed++;
        CHECK_INT(cache_open(path, 5000, &c, err, sizeof err), CACHE_OK);
        if (!c)
            continue;
        CHECK_INT(cache_stats(c, &st), CACHE_OK);
        CHECK_INT(st.entries, PROCS);
        cache_close(c);
    }
    CHECK_INT(failed, 0);
}

/* Another process holds the write lock past the busy timeout: a clean
 * CACHE_E_BUSY naming the path; once it lets go, writes work again. */
static void test_busy(void)
{
    char path[512], err[1024];
    struct cache *c = NULL;
    sqlite3 *db = NULL;
    int64_t t0, waited;

    snprintf(path, sizeof path, "%s/busy.db", tmpdir);
    CHECK_INT(cache_open(path, 300, &c, err, sizeof err), CACHE_OK);
    if (!c)
        return;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) ==
          SQLITE_OK);
    t0 = ut_now_ms();
    CHECK_INT(cache_put(c, &SHARED, "#b", NULL, "llm", 0.5, 0),
              CACHE_E_BUSY);
    waited = ut_now_ms() - t0;
    CHECK_MSG(waited >= 250 && waited < 3000, "waited %lld ms",
              (long long)waited);
    CHECK_CONTAINS(cache_errmsg(c), path);
    CHECK_CONTAINS(cache_errmsg(c), "locked by another process");
    CHECK(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_INT(cache_put(c, &SHARED, "#b", NULL, "llm", 0.5, 0), CACHE_OK);
    cache_close(c);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_parallel();
    test_kill9();
    test_busy();
    test_create_race();
    ut_rm_rf(tmpdir);
    return T_DONE();
}
