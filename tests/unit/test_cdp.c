/* test_cdp.c -- the CDP client against real Chromium: discovery and snap
 * refusal, launch, version, pages, evaluate, protocol errors, events,
 * cdp_send from a callback, a 20 MB reply, per-call timeouts, trace,
 * session detach, a renderer crash mid-call, idle CPU, clean close, a
 * browser killed mid-call.
 * Connecting to other endpoints is in test_cdp_connect.c. Links cdp +
 * util only. */
#include "../t.h"
#include "../../cdp/cdp.h"
#include "../../util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/cdpilot-test-cdp-XXXXXX";
static const char *browser_path;   /* from discovery on the real PATH */

static void write_exec(const char *dir, const char *name, const char *text,
                       mode_t mode)
{
    char path[512];
    int fd;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd >= 0) {
        if (write(fd, text, strlen(text)) < 0)
            perror("write");
        close(fd);
    }
    chmod(path, mode);
}

/* ---- discovery --------------------------------------------------------- */

static void test_discovery(void)
{
    struct cdp_found f;
    char err[CDP_ERR_LEN], d1[300], d2[300], path[600];
    char *old_path = ut_strdup(getenv("PATH"));
    cdp_code rc;

    unsetenv("CDPILOT_CHROME");
    snprintf(d1, sizeof d1, "%s/snaponly", tmpdir);
    snprintf(d2, sizeof d2, "%s/mixed", tmpdir);
    mkdir(d1, 0700);
    mkdir(d2, 0700);
    write_exec(d1, "chromium", "#!/bin/sh\nexec /snap/bin/chromium \"$@\"\n",
               0755);

    /* only a snap wrapper on PATH: refused, with the fix */
    setenv("PATH", d1, 1);
    rc = cdp_find_browser(NULL, NULL, &f, err, sizeof err);
    CHECK_INT(rc, CDP_E_LAUNCH);
    CHECK_CONTAINS(err, "snap");
    CHECK_CONTAINS(err, ".deb");
    CHECK_CONTAINS(err, "CDPILOT_CHROME");

    /* the same wrapper given with --chrome, and one that uses `snap run` */
    snprintf(path, sizeof path, "%s/chromium", d1);
    rc = cdp_find_browser(path, NULL, &f, err, sizeof err);
    CHECK_INT(rc, CDP_E_LAUNCH);
    CHECK_CONTAINS(err, "--chrome");
    CHECK_CONTAINS(err, "apt-get install chromium");
    write_exec(d1, "snaprun", "#!/bin/bash\nexec snap run chromium \"$@\"\n",
               0755);
    snprintf(path, sizeof path, "%s/snaprun", d1);
    CHECK_INT(cdp_find_browser(path, NULL, &f, err, sizeof err),
              CDP_E_LAUNCH);
    CHECK_CONTAINS(err, "snap");

    /* a snap is skipped on PATH when a later name is a real build */
    write_exec(d2, "google-chrome", "#!/bin/sh\nexec /snap/bin/x \"$@\"\n",
               0755);
    write_exec(d2, "chromium-browser", "#!/bin/sh\nexec /usr/lib/chromium/"
               "chromium \"$@\"\n", 0755);
    setenv("PATH", d2, 1);
    rc = cdp_find_browser(NULL, NULL, &f, err, sizeof err);
    CHECK_INT(rc, CDP_OK);
    CHECK(ut_ends_with(f.path, "/mixed/chromium-browser"));
    CHECK_STR(f.why, "PATH");

    /* PATH order: chromium before chromium-browser, and the first
     * directory wins for one name */
    write_exec(d2, "chromium", "#!/bin/sh\nexec /usr/lib/chromium/chromium"
               " \"$@\"\n", 0755);
    snprintf(path, sizeof path, "%s:%s", d1, d2);   /* d1 has a snap one */
    setenv("PATH", path, 1);
    CHECK_INT(cdp_find_browser(NULL, NULL, &f, err, sizeof err), CDP_OK);
    CHECK(ut_ends_with(f.path, "/mixed/chromium"));
    write_exec(d2, "google-chrome-stable", "#!/bin/sh\nexit 0\n", 0755);
    CHECK_INT(cdp_find_browser(NULL, NULL, &f, err, sizeof err), CDP_OK);
    CHECK(ut_ends_with(f.path, "/mixed/google-chrome-stable"));

    /* nothing at all */
    setenv("PATH", tmpdir, 1);
    CHECK_INT(cdp_find_browser(NULL, NULL, &f, err, sizeof err),
              CDP_E_LAUNCH);
    CHECK_CONTAINS(err, "no Chrome or Chromium");

    /* given paths: missing or not executable is an error, no fall-through
     * even though PATH and the profile would have a good one */
    setenv("PATH", d2, 1);
    write_exec(tmpdir, "noexec", "#!/bin/sh\n", 0644);
    snprintf(path, sizeof path, "%s/noexec", tmpdir);
    CHECK_INT(cdp_find_browser(path, "/usr/bin/chromium", &f, err,
                               sizeof err), CDP_E_LAUNCH);
    CHECK_CONTAINS(err, "not an executable");
    CHECK_INT(cdp_find_browser("/nonexistent/chrome", NULL, &f, err,
                               sizeof err), CDP_E_LAUNCH);
    CHECK_CONTAINS(err, "No such file");
    CHECK(strchr(err, '\n') == NULL);
    setenv("CDPILOT_CHROME", "/nonexistent/chrome", 1);
    CHECK_INT(cdp_find_browser(NULL, "/usr/bin/chromium", &f, err,
                               sizeof err), CDP_E_LAUNCH);
    CHECK_CONTAINS(err, "CDPILOT_CHROME");

    /* sources in order: --chrome, then CDPILOT_CHROME, then profile */
    setenv("CDPILOT_CHROME", "/usr/lib/chromium/chromium", 1);
    CHECK_INT(cdp_find_browser("/usr/bin/chromium", NULL, &f, err,
                               sizeof err), CDP_OK);
    CHECK_STR(f.path, "/usr/bin/chromium");   /* Debian's wrapper: ok */
    CHECK_STR(f.why, "--chrome");
    CHECK_INT(cdp_find_browser(NULL, "/usr/bin/chromium", &f, err,
                               sizeof err), CDP_OK);
    CHECK_STR(f.path, "/usr/lib/chromium/chromium");
    CHECK_STR(f.why, "CDPILOT_CHROME");
    unsetenv("CDPILOT_CHROME");
    CHECK_INT(cdp_find_browser(NULL, "/usr/bin/chromium", &f, err,
                               sizeof err), CDP_OK);
    CHECK_STR(f.why, "profile");

    /* the real machine: Debian's /usr/bin/chromium wrapper is found */
    setenv("PATH", old_path ? old_path : "/usr/bin:/bin", 1);
    free(old_path);
    rc = cdp_find_browser(NULL, NULL, &f, err, sizeof err);
    CHECK_MSG(rc == CDP_OK, "%s", err);
    browser_path = rc == CDP_OK ? ut_strdup(f.path) : "/usr/bin/chromium";
}

static void test_launch_failures(void)
{
    struct cdp_launch_opts o = { 0 };
    struct cdp_browser *b = NULL;
    char err[CDP_ERR_LEN], path[400];
    int64_t t0;

    o.path = "/nonexistent/chromium";
    o.timeout_ms = 5000;
    CHECK_INT(cdp_launch(&o, &b, err, sizeof err), CDP_E_LAUNCH);
    CHECK(b == NULL);
    write_exec(tmpdir, "dies", "#!/bin/sh\necho 'starting'\n"
               "echo 'FATAL: no display here' >&2\nexit 3\n", 0755);
    snprintf(path, sizeof path, "%s/dies", tmpdir);
    o.path = path;
    t0 = ut_now_ms();
    CHECK_INT(cdp_launch(&o, &b, err, sizeof err), CDP_E_LAUNCH);
    CHECK_CONTAINS(err, "exited before");
    CHECK_CONTAINS(err, "FATAL: no display here");
    CHECK_MSG(ut_now_ms() - t0 < 5000, "took %lld ms",
              (long long)(ut_now_ms() - t0));
    /* never writes the port file: times out, and the child is killed */
    write_exec(tmpdir, "hangs", "#!/bin/sh\nexec sleep 30\n", 0755);
    snprintf(path, sizeof path, "%s/hangs", tmpdir);
    o.timeout_ms = 300;
    t0 = ut_now_ms();
    CHECK_INT(cdp_launch(&o, &b, err, sizeof err), CDP_E_LAUNCH);
    CHECK_CONTAINS(err, "within 300 ms");
    CHECK(ut_now_ms() - t0 < 4500);
}

/* ---- a live browser ---------------------------------------------------- */

struct ev_log {
    int n, load, frame_nav, dialogs, order_ok;
    struct cdp_session *load_session;
    int last_seen;   /* which subscriber ran last (order check) */
};

static void on_event_a(void *ud, struct cdp_session *s, const char *method,
                       const cJSON *params)
{
    struct ev_log *l = ud;
    cJSON *p;

    l->n++;
    l->last_seen = 1;
    if (strcmp(method, "Page.loadEventFired") == 0) {
        l->load++;
        l->load_session = s;
        CHECK(cJSON_IsNumber(cJSON_GetObjectItem(params, "timestamp")));
    }
    if (strcmp(method, "Page.frameNavigated") == 0) {
        l->frame_nav++;
        /* cdp_call is refused in a callback, without harm */
        CHECK_INT(cdp_call(s, "Runtime.evaluate", NULL, 1000, NULL),
                  CDP_E_PROTOCOL);
        CHECK_CONTAINS(cdp_errmsg(cdp_session_conn(s)), "use cdp_send");
    }
    if (strcmp(method, "Page.javascriptDialogOpening") == 0) {
        l->dialogs++;
        p = cJSON_CreateObject();
        cJSON_AddTrueToObject(p, "accept");
        CHECK_INT(cdp_send(s, "Page.handleJavaScriptDialog", p), CDP_OK);
    }
}

static void on_event_b(void *ud, struct cdp_session *s, const char *method,
                       const cJSON *params)
{
    struct ev_log *l = ud;

    (void)s;
    (void)method;
    (void)params;
    if (l->last_seen == 1)   /* A always runs just before B */
        l->order_ok++;
    l->last_seen = 2;
}

struct trace_log {
    int out, in;
    int saw_eval;
};

static void on_trace(void *ud, int dir_out, const char *msg, size_t len)
{
    struct trace_log *t = ud;

    if (dir_out)
        t->out++;
    else
        t->in++;
    if (dir_out && len < 4096 && strstr(msg, "\"Runtime.evaluate\""))
        t->saw_eval = 1;
}

static cJSON *eval_params(const char *expr, int await)
{
    cJSON *p = cJSON_CreateObject();

    cJSON_AddStringToObject(p, "expression", expr);
    cJSON_AddTrueToObject(p, "returnByValue");
    if (await)
        cJSON_AddTrueToObject(p, "awaitPromise");
    return p;
}

/* Evaluates EXPR; returns result.value (caller frees) or NULL. */
static cJSON *eval(struct cdp_session *s, const char *expr, int ms,
                   cdp_code *rc_out)
{
    cJSON *res = NULL, *v;
    cdp_code rc = cdp_call(s, "Runtime.evaluate", eval_params(expr, 1), ms,
                           &res);

    if (rc_out)
        *rc_out = rc;
    if (rc != CDP_OK)
        return NULL;
    v = cJSON_DetachItemFromObject(cJSON_GetObjectItem(res, "result"),
                                   "value");
    cJSON_Delete(res);
    return v;
}

static struct cdp_browser *launch_args(const char **args, size_t nargs,
                                       char *err, size_t errlen)
{
    struct cdp_launch_opts o = { 0 };
    struct cdp_browser *b = NULL;
    int64_t t0 = ut_now_ms();
    cdp_code rc;

    o.path = getenv("CDPILOT_TEST_CHROME") ? getenv("CDPILOT_TEST_CHROME")
                                           : browser_path;
    o.headless = 1;
    o.width = 1280;
    o.height = 800;
    o.timeout_ms = 30000;
    o.args = args;
    o.nargs = nargs;
    rc = cdp_launch(&o, &b, err, errlen);
    CHECK_MSG(rc == CDP_OK, "launch: %s", err);
    fprintf(stderr, "# launch %s: %lld ms\n", o.path,
            (long long)(ut_now_ms() - t0));
    return b;
}

static struct cdp_browser *launch(char *err, size_t errlen)
{
    return launch_args(NULL, 0, err, errlen);
}

/* The --user-data-dir of PID, from /proc (so we can check it is gone). */
static void profile_dir(pid_t pid, char *out, size_t n)
{
    char path[64], buf[16384], *p;
    size_t len;
    char *txt;

    out[0] = '\0';
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
    txt = ut_read_file(path, sizeof buf, &len, NULL, 0);
    if (!txt)
        return;
    for (p = txt; p < txt + len; p += strlen(p) + 1)
        if (ut_starts_with(p, "--user-data-dir="))
            ut_strlcpy(out, p + 16, n);
    free(txt);
}

/* 1 when no process is left in group PGID (zombies count as left); lists
 * the members on stderr otherwise. Waits up to 2 s for stragglers that
 * init has not reaped yet. */
static int group_gone(pid_t pgid)
{
    char cmd[160];
    int64_t deadline = ut_now_ms() + 2000;

    while (kill(-pgid, 0) == 0 && ut_now_ms() < deadline)
        ut_sleep_ms(20);
    if (kill(-pgid, 0) != 0 && errno == ESRCH)
        return 1;
    snprintf(cmd, sizeof cmd, "ps -eo pid,ppid,pgid,stat,comm | "
             "awk '$3 == %d' >&2", (int)pgid);
    if (system(cmd) != 0)
        fprintf(stderr, "# ps failed\n");
    return 0;
}

static int64_t cpu_us(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
           ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/* The number of targets of TYPE ("page", "browser_ui", ...) whose url
 * contains URL_PART ("" for any); -1 when the call fails. */
static int count_targets(struct cdp_conn *c, const char *type,
                         const char *url_part)
{
    cJSON *res = NULL, *t;
    int n = 0;

    if (cdp_call(cdp_browser_session(c), "Target.getTargets", NULL, 5000,
                 &res) != CDP_OK)
        return -1;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(res, "targetInfos")) {
        const char *ty = cJSON_GetStringValue(cJSON_GetObjectItem(t, "type"));
        const char *u = cJSON_GetStringValue(cJSON_GetObjectItem(t, "url"));
        if ((!*type || (ty && !strcmp(ty, type))) &&
            u && strstr(u, url_part))
            n++;
    }
    cJSON_Delete(res);
    return n;
}

/* A launched browser runs no UI of its own: no startup tab, no WebUI
 * omnibox popup (a renderer busy for seconds at start), only the PAGES
 * we make. The popup comes with a window (ours too, once made), a
 * little after it (~100 ms here): hence a second of looking, which
 * ends at the first sighting. */
static void test_no_browser_ui(struct cdp_conn *c, int pages)
{
    int64_t end = ut_now_ms() + 1000;
    int ui = 0, bui = 0;

    do {
        ut_sleep_ms(100);
        ui = count_targets(c, "", "top-chrome");
        bui = count_targets(c, "browser_ui", "");
    } while (ui == 0 && bui == 0 && ut_now_ms() < end);
    CHECK_INT(ui, 0);
    CHECK_INT(bui, 0);
    CHECK_INT(count_targets(c, "page", ""), pages);
}

/* The profile's own --disable-features is merged into ours: Chrome keeps
 * the last of the flag, so passing both would undo one of them. */
static void test_features_merged(void)
{
    static const char *args[] = { "--disable-features=Translate" };
    char err[CDP_ERR_LEN], path[64], *txt, *p;
    struct cdp_browser *br = launch_args(args, 1, err, sizeof err);
    struct cdp_conn *c = NULL;
    int flags = 0, both = 0;
    size_t len;

    if (!br)
        return;
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)cdp_browser_pid(br));
    txt = ut_read_file(path, 1 << 16, &len, NULL, 0);
    CHECK(txt != NULL);
    for (p = txt; txt && p < txt + len; p += strlen(p) + 1)
        if (ut_starts_with(p, "--disable-features=")) {
            flags++;
            both += strstr(p, "Translate") && strstr(p, "WebUIOmniboxPopup");
        }
    free(txt);
    CHECK_INT(flags, 1);
    CHECK_INT(both, 1);
    CHECK_INT(cdp_connect(cdp_browser_ws_url(br), 10000, &c, err,
                          sizeof err), CDP_OK);
    if (c) {
        struct cdp_session *pg = NULL;
        CHECK_INT(cdp_new_page(c, NULL, &pg), CDP_OK);
        test_no_browser_ui(c, 1);
    }
    cdp_browser_close(br, c, 5000);
    cdp_conn_close(c);
}

static void test_session_basics(struct cdp_conn *c, struct cdp_session *pg)
{
    cJSON *v, *res = NULL;
    cdp_code rc;

    CHECK(cdp_session_id(pg)[0] != '\0');
    CHECK(cdp_session_target(pg)[0] != '\0');
    CHECK(cdp_session_conn(pg) == c);
    CHECK(cdp_find_session(c, cdp_session_id(pg)) == pg);
    CHECK(cdp_find_session(c, "") == cdp_browser_session(c));
    CHECK(cdp_find_session(c, "NOPE") == NULL);
    CHECK_STR(cdp_session_id(cdp_browser_session(c)), "");

    v = eval(pg, "1+1", 5000, &rc);
    CHECK_INT(rc, CDP_OK);
    CHECK(cJSON_IsNumber(v) && v->valuedouble == 2);
    cJSON_Delete(v);

    /* protocol error: METHOD: CODE MESSAGE */
    rc = cdp_call(pg, "Nope.notAMethod", NULL, 5000, &res);
    CHECK_INT(rc, CDP_E_PROTOCOL);
    CHECK(res == NULL);
    CHECK_CONTAINS(cdp_errmsg(c), "Nope.notAMethod: -32601 ");
    CHECK_CONTAINS(cdp_errmsg(c), "wasn't found");
    /* the connection is fine afterwards */
    v = eval(pg, "'a' + 'b'", 5000, &rc);
    CHECK(cJSON_IsString(v) && strcmp(v->valuestring, "ab") == 0);
    cJSON_Delete(v);
}

static void test_events(struct cdp_conn *c, struct cdp_session *pg)
{
    struct ev_log log = { 0 };
    cJSON *p, *v;
    int a, b, n;
    int64_t deadline;
    cdp_code rc;

    a = cdp_subscribe(c, on_event_a, &log);
    b = cdp_subscribe(c, on_event_b, &log);
    CHECK(a > 0 && b > a);
    CHECK_INT(cdp_call(pg, "Page.enable", NULL, 5000, NULL), CDP_OK);
    p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "url", "data:text/html,<title>t</title>"
                            "<p>hello</p>");
    CHECK_INT(cdp_call(pg, "Page.navigate", p, 10000, NULL), CDP_OK);
    deadline = ut_now_ms() + 10000;
    while (!log.load && ut_now_ms() < deadline)
        CHECK_INT(cdp_pump(c, 200, 1), CDP_OK);
    CHECK_INT(log.load, 1);
    CHECK(log.load_session == pg);
    CHECK(log.frame_nav >= 1);
    CHECK(log.order_ok >= 2 && log.order_ok == log.n);

    /* cdp_send from inside a callback answers the dialog, which is what
     * lets this evaluate return at all */
    v = eval(pg, "alert('hi'); 41 + 1", 10000, &rc);
    CHECK_INT(rc, CDP_OK);
    CHECK(cJSON_IsNumber(v) && v->valuedouble == 42);
    CHECK_INT(log.dialogs, 1);
    cJSON_Delete(v);

    /* unsubscribe: B no longer runs */
    cdp_unsubscribe(c, b);
    n = log.order_ok;
    log.load = 0;
    p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "url", "data:text/html,<p>second</p>");
    CHECK_INT(cdp_call(pg, "Page.navigate", p, 10000, NULL), CDP_OK);
    deadline = ut_now_ms() + 10000;
    while (!log.load && ut_now_ms() < deadline)
        cdp_pump(c, 200, 1);
    CHECK_INT(log.load, 1);
    CHECK_INT(log.order_ok, n);
    cdp_unsubscribe(c, a);
    CHECK_INT(cdp_call(pg, "Page.disable", NULL, 5000, NULL), CDP_OK);
}

static void test_big_and_timeouts(struct cdp_conn *c, struct cdp_session *pg)
{
    cJSON *v, *res = NULL;
    const cJSON *d;
    struct trace_log tl = { 0 };
    int64_t t0, cpu0;
    size_t i, bad = 0;
    cdp_code rc;

    /* ~20 MB in one message */
    t0 = ut_now_ms();
    v = eval(pg, "'abcdefghij'.repeat(2 * 1024 * 1024)", 30000, &rc);
    CHECK_INT(rc, CDP_OK);
    CHECK(cJSON_IsString(v) && strlen(v->valuestring) == 20971520u);
    for (i = 0; v && cJSON_IsString(v) && v->valuestring[i]; i++)
        bad += v->valuestring[i] != "abcdefghij"[i % 10];
    CHECK_INT(bad, 0);
    cJSON_Delete(v);
    fprintf(stderr, "# 20 MB reply: %lld ms\n", (long long)(ut_now_ms() - t0));

    /* a 6 MB request goes out whole (lws writes it in pieces) */
    {
        size_t n = 6u * 1024 * 1024;
        char *expr = malloc(n + 16);

        if (expr) {
            memset(expr, 'x', n + 16);
            expr[0] = '\'';
            memcpy(expr + 1 + n, "'.length", 9);
            v = eval(pg, expr, 30000, &rc);
            CHECK_INT(rc, CDP_OK);
            CHECK(cJSON_IsNumber(v) && v->valuedouble == (double)n);
            cJSON_Delete(v);
            free(expr);
        }
    }

    /* a screenshot of a big page: base64 PNG arrives whole */
    v = eval(pg, "document.body.innerHTML = '<div style=\"height:4000px;"
             "background:linear-gradient(red,blue)\">x</div>'; 1", 5000, &rc);
    cJSON_Delete(v);
    res = cJSON_CreateObject();
    cJSON_AddTrueToObject(res, "captureBeyondViewport");
    rc = cdp_call(pg, "Page.captureScreenshot", res, 30000, &res);
    CHECK_INT(rc, CDP_OK);
    d = cJSON_GetObjectItem(res, "data");
    CHECK(cJSON_IsString(d) && ut_starts_with(d->valuestring, "iVBORw0KGgo"));
    cJSON_Delete(res);

    /* a per-call timeout fires on time; the connection stays usable */
    t0 = ut_now_ms();
    v = eval(pg, "new Promise(() => {})", 300, &rc);
    CHECK_INT(rc, CDP_E_TIMEOUT);
    CHECK(v == NULL);
    CHECK_MSG(ut_now_ms() - t0 >= 290 && ut_now_ms() - t0 < 4000,
              "timeout took %lld ms", (long long)(ut_now_ms() - t0));
    CHECK_CONTAINS(cdp_errmsg(c), "Runtime.evaluate: no reply in 300 ms");
    v = eval(pg, "2*21", 5000, &rc);
    CHECK(cJSON_IsNumber(v) && v->valuedouble == 42);
    cJSON_Delete(v);

    /* trace sees both directions */
    cdp_set_trace(c, on_trace, &tl);
    v = eval(pg, "1", 5000, &rc);
    cJSON_Delete(v);
    cdp_set_trace(c, NULL, NULL);
    CHECK(tl.out >= 1 && tl.in >= 1 && tl.saw_eval);

    /* idle: a second of pumping with nothing happening costs ~no CPU */
    cpu0 = cpu_us();
    t0 = ut_now_ms();
    CHECK_INT(cdp_pump(c, 1000, 0), CDP_OK);
    CHECK_MSG(ut_now_ms() - t0 >= 990, "pump returned after %lld ms",
              (long long)(ut_now_ms() - t0));
    CHECK_MSG(cpu_us() - cpu0 < 50000, "idle pump used %lld us CPU",
              (long long)(cpu_us() - cpu0));
    fprintf(stderr, "# idle 1 s: %lld us CPU\n", (long long)(cpu_us() - cpu0));
    CHECK_INT(cdp_pump(c, 0, 0), CDP_OK);
}

static void test_detach(struct cdp_conn *c)
{
    struct cdp_session *p2 = NULL, *b = cdp_browser_session(c);
    cJSON *params, *v;
    char sid[64];
    int64_t deadline;
    cdp_code rc;

    CHECK_INT(cdp_new_page(c, NULL, &p2), CDP_OK);
    if (!p2)
        return;
    ut_strlcpy(sid, cdp_session_id(p2), sizeof sid);
    v = eval(p2, "3", 5000, &rc);
    CHECK(cJSON_IsNumber(v));
    cJSON_Delete(v);
    params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "targetId", cdp_session_target(p2));
    CHECK_INT(cdp_call(b, "Target.closeTarget", params, 5000, NULL), CDP_OK);
    deadline = ut_now_ms() + 5000;
    while (cdp_find_session(c, sid) && ut_now_ms() < deadline)
        cdp_pump(c, 100, 1);
    CHECK(cdp_find_session(c, sid) == NULL);
    CHECK_INT(cdp_call(p2, "Runtime.evaluate", eval_params("1", 0), 5000,
                       NULL), CDP_E_CLOSED);
    CHECK_CONTAINS(cdp_errmsg(c), "detached");
}

/* A renderer that dies under a waiting call: Chrome never answers it, so
 * the crash events end it (CDP_E_CRASHED), not its 20 s timeout. The
 * session outlives the crash: a navigation brings up a new renderer. */
static void test_crash(struct cdp_conn *c)
{
    struct cdp_session *p2 = NULL;
    cJSON *params, *v;
    int64_t t0;
    cdp_code rc;

    CHECK_INT(cdp_new_page(c, NULL, &p2), CDP_OK);
    if (!p2)
        return;
    v = eval(p2, "4", 5000, &rc);
    CHECK(cJSON_IsNumber(v));
    cJSON_Delete(v);
    CHECK_INT(cdp_call(p2, "Page.enable", NULL, 5000, NULL), CDP_OK);
    /* queued first: the renderer dies while the evaluate waits */
    CHECK_INT(cdp_send(p2, "Page.crash", NULL), CDP_OK);
    t0 = ut_now_ms();
    v = eval(p2, "new Promise(() => {})", 20000, &rc);
    CHECK_INT(rc, CDP_E_CRASHED);
    CHECK(v == NULL);
    CHECK_MSG(ut_now_ms() - t0 < 5000, "CRASHED after %lld ms",
              (long long)(ut_now_ms() - t0));
    fprintf(stderr, "# crash seen after %lld ms\n",
            (long long)(ut_now_ms() - t0));
    CHECK_CONTAINS(cdp_errmsg(c), "Runtime.evaluate: target crashed");
    CHECK_STR(cdp_strerror(CDP_E_CRASHED), "target crashed");
    CHECK(cdp_conn_alive(c));
    CHECK(cdp_find_session(c, cdp_session_id(p2)) == p2);
    params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "url", "about:blank");
    CHECK_INT(cdp_call(p2, "Page.navigate", params, 10000, NULL), CDP_OK);
    v = eval(p2, "5", 10000, &rc);
    CHECK_INT(rc, CDP_OK);
    CHECK(cJSON_IsNumber(v) && v->valuedouble == 5);
    cJSON_Delete(v);
    params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "targetId", cdp_session_target(p2));
    CHECK_INT(cdp_call(cdp_browser_session(c), "Target.closeTarget", params,
                       5000, NULL), CDP_OK);
}

static void test_live(void)
{
    struct cdp_browser *br;
    struct cdp_conn *c = NULL;
    struct cdp_session *pg = NULL;
    const struct cdp_version *ver;
    char err[CDP_ERR_LEN], dir[4096];
    pid_t pid;
    int64_t t0;

    br = launch(err, sizeof err);
    if (!br)
        return;
    CHECK(ut_starts_with(cdp_browser_ws_url(br), "ws://127.0.0.1:"));
    CHECK_CONTAINS(cdp_browser_ws_url(br), "/devtools/browser/");
    CHECK_INT(cdp_browser_no_sandbox(br), geteuid() == 0);
    CHECK(cdp_browser_alive(br));
    pid = cdp_browser_pid(br);
    CHECK(getpgid(pid) == pid);
    profile_dir(pid, dir, sizeof dir);
    CHECK(ut_starts_with(dir, "/tmp/cdpilot-profile-"));
    CHECK(ut_is_dir(dir));

    t0 = ut_now_us();
    CHECK_INT(cdp_connect(cdp_browser_ws_url(br), 10000, &c, err,
                          sizeof err), CDP_OK);
    fprintf(stderr, "# connect: %lld us\n", (long long)(ut_now_us() - t0));
    if (!c) {
        cdp_browser_close(br, NULL, 1000);
        return;
    }
    CHECK(cdp_conn_alive(c));
    ver = cdp_conn_version(c);
    CHECK_CONTAINS(ver->product, "Chrome/");
    CHECK(ver->protocol[0] != '\0');
    CHECK(ver->user_agent[0] != '\0');
    CHECK(ver->js_version[0] != '\0');
    fprintf(stderr, "# %s, protocol %s\n", ver->product, ver->protocol);

    test_no_browser_ui(c, 0);
    CHECK_INT(cdp_new_page(c, NULL, &pg), CDP_OK);
    if (pg) {
        test_no_browser_ui(c, 1);
        test_session_basics(c, pg);
        test_events(c, pg);
        test_big_and_timeouts(c, pg);
    }
    test_detach(c);
    test_crash(c);

    /* close: no process, no profile dir */
    t0 = ut_now_ms();
    cdp_browser_close(br, c, 5000);
    fprintf(stderr, "# close: %lld ms\n", (long long)(ut_now_ms() - t0));
    CHECK(kill(pid, 0) != 0 && errno == ESRCH);
    CHECK(group_gone(pid));
    CHECK(!ut_is_dir(dir));
    CHECK(!cdp_conn_alive(c));
    CHECK_INT(cdp_call(cdp_browser_session(c), "Browser.getVersion", NULL,
                       1000, NULL), CDP_E_CLOSED);
    cdp_conn_close(c);
}

/* ---- killed mid-call (from a signal handler, through cdp_kill_all) ----- */

static void on_alarm(int sig)
{
    (void)sig;
    cdp_kill_all();
}

static void test_killed_midcall(void)
{
    struct cdp_browser *br;
    struct cdp_conn *c = NULL;
    struct cdp_session *pg = NULL;
    struct itimerval it = { { 0, 0 }, { 0, 300000 } };
    char err[CDP_ERR_LEN], dir[4096];
    cJSON *v;
    int64_t t0;
    cdp_code rc;
    pid_t pid;

    br = launch(err, sizeof err);
    if (!br)
        return;
    pid = cdp_browser_pid(br);
    profile_dir(pid, dir, sizeof dir);
    if (cdp_connect(cdp_browser_ws_url(br), 10000, &c, err, sizeof err) ||
        cdp_new_page(c, NULL, &pg)) {
        CHECK_MSG(0, "connect/new page: %s", err);
        cdp_conn_close(c);
        cdp_browser_close(br, NULL, 1000);
        return;
    }
    signal(SIGALRM, on_alarm);
    setitimer(ITIMER_REAL, &it, NULL);
    t0 = ut_now_ms();
    v = eval(pg, "new Promise(() => {})", 20000, &rc);
    CHECK_INT(rc, CDP_E_CLOSED);
    CHECK(v == NULL);
    CHECK_MSG(ut_now_ms() - t0 < 5000, "CLOSED after %lld ms",
              (long long)(ut_now_ms() - t0));
    CHECK_CONTAINS(cdp_errmsg(c), "connection closed");
    CHECK(!cdp_conn_alive(c));
    CHECK_INT(cdp_pump(c, 10, 0), CDP_E_CLOSED);
    signal(SIGALRM, SIG_DFL);
    /* the dir is left to cdp_cleanup_dirs after a kill_all */
    CHECK(ut_is_dir(dir));
    cdp_cleanup_dirs();
    CHECK(!ut_is_dir(dir));
    CHECK(!cdp_browser_alive(br));
    cdp_browser_close(br, c, 1000);   /* still safe afterwards */
    CHECK(group_gone(pid));
    cdp_conn_close(c);
}

/* ---- a handler about to _exit: cdp_abandon_all ------------------------- */

static void on_alarm_abandon(int sig)
{
    (void)sig;
    cdp_abandon_all();
}

/* A temporary profile holds a lock file naming us, locked while we live,
 * and the browser's $TMPDIR (Chrome's socket folder is in it);
 * cdp_abandon_all, from a signal handler, kills the browser and removes
 * the profile. */
static void test_abandon(void)
{
    struct cdp_browser *br;
    struct itimerval it = { { 0, 0 }, { 0, 200000 } };
    char err[CDP_ERR_LEN], dir[4096], lock[4200], link[4200], sock[4096];
    char *pid_txt;
    ssize_t n;
    int64_t deadline;
    pid_t pid;
    int fd;

    br = launch(err, sizeof err);
    if (!br)
        return;
    pid = cdp_browser_pid(br);
    profile_dir(pid, dir, sizeof dir);
    snprintf(lock, sizeof lock, "%s/cdpilot.lock", dir);
    pid_txt = ut_read_file(lock, 64, NULL, NULL, 0);
    CHECK_MSG(pid_txt && strtol(pid_txt, NULL, 10) == (long)getpid(), "lock: %s",
              pid_txt ? pid_txt : "(none)");
    free(pid_txt);
    fd = open(lock, O_RDONLY | O_CLOEXEC);
    CHECK(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0 &&
          errno == EWOULDBLOCK);   /* held, even against ourselves */
    if (fd >= 0)
        close(fd);
    /* Chrome makes its socket link a moment after the port file */
    snprintf(link, sizeof link, "%s/SingletonSocket", dir);
    deadline = ut_now_ms() + 5000;
    while ((n = readlink(link, sock, sizeof sock - 1)) <= 0 &&
           ut_now_ms() < deadline)
        ut_sleep_ms(20);
    sock[n > 0 ? n : 0] = '\0';
    if (n > 0)
        *strrchr(sock, '/') = '\0';
    CHECK_MSG(n > 0 && ut_is_dir(sock) && ut_starts_with(sock, dir),
              "socket folder \"%s\" not in %s", sock, dir);

    signal(SIGALRM, on_alarm_abandon);
    setitimer(ITIMER_REAL, &it, NULL);
    deadline = ut_now_ms() + 5000;
    while (ut_is_dir(dir) && ut_now_ms() < deadline)
        ut_sleep_ms(20);
    signal(SIGALRM, SIG_DFL);
    CHECK(!ut_is_dir(dir));
    CHECK(n <= 0 || !ut_is_dir(sock));
    CHECK(group_gone(pid));
    cdp_browser_close(br, NULL, 1000);   /* still safe afterwards */
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    CHECK_STR(cdp_strerror(CDP_E_CLOSED), "connection closed");
    CHECK_STR(cdp_strerror(CDP_LAST), "unknown error");
    test_discovery();
    test_launch_failures();
    test_live();
    test_features_merged();
    test_killed_midcall();
    test_abandon();
    cdp_kill_all();
    cdp_cleanup_dirs();
    ut_rm_rf(tmpdir);
    return T_DONE();
}
