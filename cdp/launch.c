/* launch.c -- start, watch and kill the browser process. The browser runs
 * in its own process group so that one kill(-pgid) takes its renderers
 * too, dies with us (PR_SET_PDEATHSIG), and is listed in a small static
 * registry: the one global of cdp/, needed because cdp_kill_all() runs
 * from signal handlers. The registry is not thread-safe: launch and close
 * browsers from one thread. */
#include "cdp_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define REG_MAX        32          /* browsers alive at once per process */
#define PROFILE_TMPL   "/tmp/cdpilot-profile-XXXXXX"  /* runner greps it */
#define PORT_FILE      "DevToolsActivePort"
#define LOG_FILE       "cdpilot-stderr.log"   /* unlinked once opened */
#define SMALL_SHM      (512ul * 1024 * 1024)  /* below: --disable-dev-shm */
#define LAUNCH_DEFAULT_MS 30000
#define MAX_ARGS_EXTRA 256
/* browser UI features a headless run never shows (see build_argv) */
#define UI_FEATURES_OFF \
    "WebUIOmniboxPopup,WebUIOmniboxAimPopup,PreloadTopChromeWebUI"
#define DISABLE_FEATURES "--disable-features="

struct cdp_browser {
    pid_t pid;             /* also the process group id */
    int reaped;            /* waitpid done */
    int slot;              /* registry index */
    int temp;              /* dir is ours to remove */
    int no_sandbox;
    int logfd;             /* the browser's stderr (an unlinked file) */
    char dir[4096];        /* user-data-dir */
    char ws_url[512];
};

/* The registry. pid 0 = free. Written only outside signal handlers;
 * cdp_kill_all reads pid and sets killed. */
static struct reg_entry {
    volatile pid_t pid;
    volatile sig_atomic_t killed;
    int temp;
    char dir[64];          /* temp dirs only: PROFILE_TMPL fits */
} reg[REG_MAX];

static int reg_add(pid_t pid, const char *dir, int temp)
{
    int i;

    for (i = 0; i < REG_MAX; i++) {
        if (reg[i].pid == 0) {
            reg[i].temp = temp && strlen(dir) < sizeof reg[i].dir;
            ut_strlcpy(reg[i].dir, reg[i].temp ? dir : "", sizeof reg[i].dir);
            reg[i].killed = 0;
            reg[i].pid = pid;
            return i;
        }
    }
    return -1;
}

static void reg_del(int slot, pid_t pid)
{
    if (slot >= 0 && slot < REG_MAX && reg[slot].pid == pid) {
        reg[slot].pid = 0;
        reg[slot].dir[0] = '\0';
    }
}

void cdp_kill_all(void)
{
    int i;
    pid_t p;

    for (i = 0; i < REG_MAX; i++) {
        p = reg[i].pid;
        if (p > 0) {
            kill(-p, SIGKILL);
            reg[i].killed = 1;
        }
    }
}

/* 1 when PID has exited; does not reap it, so the pid (and with it the
 * process group id) stays ours until waitpid. */
static int exited(pid_t pid)
{
    siginfo_t si;

    memset(&si, 0, sizeof si);
    if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0)
        return errno == ECHILD;
    return si.si_pid == pid;
}

void cdp_cleanup_dirs(void)
{
    int i;
    pid_t p;

    for (i = 0; i < REG_MAX; i++) {
        p = reg[i].pid;
        if (p <= 0 || (!reg[i].killed && !exited(p)))
            continue;
        kill(-p, SIGKILL);
        waitpid(p, NULL, 0);
        if (reg[i].temp)
            ut_rm_rf(reg[i].dir);
        reg[i].pid = 0;
        reg[i].dir[0] = '\0';
    }
}

/* ---- the child --------------------------------------------------------- */

/* Builds argv in ARGV (room for nargs + 24). BUFS holds formatted flags. */
static void build_argv(const struct cdp_launch_opts *o, const char *dir,
                       int no_sandbox, char bufs[3][4200], const char **argv)
{
    struct statvfs sv;
    size_t i, n = 0;
    const char *theirs = NULL;
    int len, merged;

    argv[n++] = o->path;
    if (o->headless)
        argv[n++] = "--headless=new";
    argv[n++] = "--remote-debugging-port=0";
    argv[n++] = "--remote-debugging-address=127.0.0.1";
    snprintf(bufs[0], sizeof bufs[0], "--user-data-dir=%s", dir);
    argv[n++] = bufs[0];
    argv[n++] = "--no-first-run";
    argv[n++] = "--no-default-browser-check";
    argv[n++] = "--disable-background-networking";
    argv[n++] = "--disable-component-update";
    argv[n++] = "--disable-sync";
    argv[n++] = "--disable-gpu";
    /* containers often mount a 64 MB /dev/shm: renderers crash in it */
    if (statvfs("/dev/shm", &sv) != 0 ||
        (unsigned long)sv.f_blocks * sv.f_frsize < SMALL_SHM)
        argv[n++] = "--disable-dev-shm-usage";
    if (no_sandbox)
        argv[n++] = "--no-sandbox";
    if (o->width > 0 && o->height > 0) {
        snprintf(bufs[1], sizeof bufs[1], "--window-size=%d,%d", o->width,
                 o->height);
        argv[n++] = bufs[1];
    }
    /* Chrome's own UI, which a headless run never shows: the WebUI
     * omnibox popup is loaded into a renderer of its own when a window
     * opens, and takes a core for the first seconds of every run (most
     * of two seconds of CPU on a 2-core machine), against the page's
     * renderer and us. Unknown names are ignored by older builds. A
     * --disable-features of the profile's own is merged in: Chrome
     * keeps only the last one. */
    for (i = 0; o->args && i < o->nargs; i++)
        if (o->args[i] && ut_starts_with(o->args[i], DISABLE_FEATURES))
            theirs = o->args[i] + sizeof DISABLE_FEATURES - 1;
    len = snprintf(bufs[2], sizeof bufs[2], DISABLE_FEATURES "%s%s%s",
                   UI_FEATURES_OFF, theirs && *theirs ? "," : "",
                   theirs ? theirs : "");
    merged = len > 0 && (size_t)len < sizeof bufs[2];
    if (!merged)                     /* too long: theirs alone, last, wins */
        snprintf(bufs[2], sizeof bufs[2], DISABLE_FEATURES "%s",
                 UI_FEATURES_OFF);
    argv[n++] = bufs[2];
    for (i = 0; o->args && i < o->nargs; i++)
        if (o->args[i] && !(merged && ut_starts_with(o->args[i],
                                                     DISABLE_FEATURES)))
            argv[n++] = o->args[i];
    /* No window of our own at start: cdp_new_page() makes the one page we
     * drive, and the startup tab's renderer would be one more process. */
    argv[n++] = "--no-startup-window";
    argv[n] = NULL;
}

/* In the child after fork: never returns. Only async-signal-safe calls
 * plus execv. */
static void child_exec(const char **argv, int logfd, pid_t parent)
{
    sigset_t none;
    int nullfd;

    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);   /* survives execve of the binary */
    if (getppid() != parent)
        _exit(127);                      /* parent already gone */
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    nullfd = open("/dev/null", O_RDONLY);
    if (nullfd >= 0)
        dup2(nullfd, 0);
    dup2(logfd, 1);
    dup2(logfd, 2);
    syscall(SYS_close_range, 3u, ~0u, 0u);   /* our sockets stay ours */
    execv(argv[0], (char *const *)argv);
    dprintf(2, "cdpilot: exec %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* ---- waiting for the port file ---------------------------------------- */

/* Copies the last non-empty line of the browser's stderr into OUT. */
static void last_line(int fd, char *out, size_t n)
{
    char buf[2048];
    off_t size = lseek(fd, 0, SEEK_END), at;
    ssize_t got;
    char *e, *s;

    out[0] = '\0';
    if (size <= 0)
        return;
    at = size > (off_t)sizeof buf - 1 ? size - (off_t)sizeof buf + 1 : 0;
    got = pread(fd, buf, sizeof buf - 1, at);
    if (got <= 0)
        return;
    buf[got] = '\0';
    e = buf + got;
    while (e > buf && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
        *--e = '\0';
    s = strrchr(buf, '\n');
    ut_strlcpy(out, s ? s + 1 : buf, n);
}

/* Parses DevToolsActivePort ("PORT\n/devtools/browser/ID\n"). 0 when it
 * is complete. */
static int read_port_file(struct cdp_browser *b)
{
    char path[4200], *txt, *nl, *nl2;
    size_t len;
    long port;
    int rc = -1;

    snprintf(path, sizeof path, "%s/" PORT_FILE, b->dir);
    txt = ut_read_file(path, 4096, &len, NULL, 0);
    if (!txt)
        return -1;
    /* Chrome writes it whole (temp file + rename); the second line has
     * no newline after it */
    nl = strchr(txt, '\n');
    if (nl) {
        *nl = '\0';
        nl2 = nl + 1 + strcspn(nl + 1, "\r\n");
        *nl2 = '\0';
        if (ut_parse_long(txt, 1, 65535, &port) == 0 &&
            ut_starts_with(nl + 1, "/devtools/")) {
            snprintf(b->ws_url, sizeof b->ws_url, "ws://127.0.0.1:%ld%s",
                     port, nl + 1);
            rc = 0;
        }
    }
    free(txt);
    return rc;
}

static int pidfd_of(pid_t pid)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    return -1;
#endif
}

/* Waits for the port file, the child's death or the deadline, sleeping in
 * poll() on an inotify watch of the profile dir and the child's pidfd. */
static cdp_code wait_port(struct cdp_browser *b, int timeout_ms, char *err,
                          size_t errlen)
{
    int64_t deadline = ut_now_ms() + timeout_ms;
    struct pollfd pf[2];
    char buf[4096], line[300];
    int ino, pfd, n, left;
    cdp_code rc = CDP_E_TIMEOUT;

    ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (ino >= 0 && inotify_add_watch(ino, b->dir, IN_CLOSE_WRITE |
                                      IN_MOVED_TO | IN_CREATE) < 0) {
        close(ino);
        ino = -1;
    }
    pfd = pidfd_of(b->pid);
    for (;;) {
        if (read_port_file(b) == 0) {
            rc = CDP_OK;
            break;
        }
        if (exited(b->pid)) {
            last_line(b->logfd, line, sizeof line);
            rc = ut_err(err, errlen, CDP_E_LAUNCH, "browser exited before "
                        "it opened its DevTools port%s%s",
                        line[0] ? ": " : "", line);
            break;
        }
        left = (int)(deadline - ut_now_ms());
        if (left <= 0) {
            last_line(b->logfd, line, sizeof line);
            rc = ut_err(err, errlen, CDP_E_LAUNCH, "browser did not open its "
                        "DevTools port within %d ms%s%s", timeout_ms,
                        line[0] ? "; last output: " : "", line);
            break;
        }
        n = 0;
        if (ino >= 0)
            pf[n++] = (struct pollfd){ ino, POLLIN, 0 };
        if (pfd >= 0)
            pf[n++] = (struct pollfd){ pfd, POLLIN, 0 };
        /* the cap is only a safety net in case a watch missed something */
        poll(pf, (nfds_t)n, left < 100 ? left : 100);
        if (ino >= 0)
            while (read(ino, buf, sizeof buf) > 0)
                ;
    }
    if (ino >= 0)
        close(ino);
    if (pfd >= 0)
        close(pfd);
    return rc;
}

/* ---- launch / close ---------------------------------------------------- */

static cdp_code make_dir(const struct cdp_launch_opts *o,
                         struct cdp_browser *b, char *err, size_t errlen)
{
    char pf[4200];

    if (o->user_data_dir && *o->user_data_dir) {
        if (ut_strlcpy(b->dir, o->user_data_dir, sizeof b->dir) >=
            sizeof b->dir)
            return ut_err(err, errlen, CDP_E_LAUNCH, "user-data-dir path too "
                          "long");
        if (ut_mkdir_p(b->dir, 0700) != 0)
            return ut_err(err, errlen, CDP_E_LAUNCH, "user-data-dir '%s': %s",
                          b->dir, strerror(errno));
        snprintf(pf, sizeof pf, "%s/" PORT_FILE, b->dir);
        unlink(pf);   /* a stale one from an earlier run would mislead */
        return CDP_OK;
    }
    ut_strlcpy(b->dir, PROFILE_TMPL, sizeof b->dir);
    if (!mkdtemp(b->dir))   /* mkdtemp makes it 0700 */
        return ut_err(err, errlen, CDP_E_LAUNCH, "mkdtemp %s: %s",
                      PROFILE_TMPL, strerror(errno));
    b->temp = 1;
    return CDP_OK;
}

static int open_log(struct cdp_browser *b)
{
    char path[4200];
    int fd;

    snprintf(path, sizeof path, "%s/" LOG_FILE, b->dir);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0)
        unlink(path);   /* the browser's fd and ours keep it alive */
    return fd;
}

/* Kills the group, reaps the leader, removes a temp dir, frees B. */
static void destroy(struct cdp_browser *b)
{
    if (b->pid > 0) {
        kill(-b->pid, SIGKILL);
        if (!b->reaped)
            waitpid(b->pid, NULL, 0);
        reg_del(b->slot, b->pid);
    }
    if (b->logfd >= 0)
        close(b->logfd);
    if (b->temp)
        ut_rm_rf(b->dir);
    free(b);
}

cdp_code cdp_launch(const struct cdp_launch_opts *o, struct cdp_browser **out,
                    char *err, size_t errlen)
{
    struct cdp_browser *b;
    const char **argv;
    char bufs[3][4200];
    pid_t parent = getpid();
    cdp_code rc;

    *out = NULL;
    if (!o || !o->path || !*o->path)
        return ut_err(err, errlen, CDP_E_LAUNCH, "no browser path given");
    if (o->nargs > MAX_ARGS_EXTRA)
        return ut_err(err, errlen, CDP_E_LAUNCH, "too many browser flags");
    if (access(o->path, X_OK) != 0)
        return ut_err(err, errlen, CDP_E_LAUNCH, "browser '%s': %s", o->path,
                      strerror(errno));
    b = calloc(1, sizeof *b);
    argv = calloc(o->nargs + 24, sizeof *argv);
    if (!b || !argv) {
        free(b);
        free(argv);
        return ut_err(err, errlen, CDP_E_NOMEM, "out of memory");
    }
    b->logfd = -1;
    b->slot = -1;
    rc = make_dir(o, b, err, errlen);
    if (rc != CDP_OK)
        goto fail;
    b->logfd = open_log(b);
    b->no_sandbox = geteuid() == 0;
    build_argv(o, b->dir, b->no_sandbox, bufs, argv);
    if (b->logfd < 0) {
        rc = ut_err(err, errlen, CDP_E_LAUNCH, "cannot create a log file in "
                    "'%s': %s", b->dir, strerror(errno));
        goto fail;
    }
    b->pid = fork();
    if (b->pid == 0)
        child_exec(argv, b->logfd, parent);
    if (b->pid < 0) {
        b->pid = 0;
        rc = ut_err(err, errlen, CDP_E_LAUNCH, "fork: %s", strerror(errno));
        goto fail;
    }
    setpgid(b->pid, b->pid);   /* also here: no race with kill(-pid) */
    b->slot = reg_add(b->pid, b->dir, b->temp);
    rc = wait_port(b, o->timeout_ms > 0 ? o->timeout_ms : LAUNCH_DEFAULT_MS,
                   err, errlen);
    if (rc != CDP_OK)
        goto fail;
    free(argv);
    *out = b;
    return CDP_OK;
fail:
    free(argv);
    destroy(b);
    return rc == CDP_E_TIMEOUT ? CDP_E_LAUNCH : rc;
}

const char *cdp_browser_ws_url(const struct cdp_browser *b)
{
    return b ? b->ws_url : "";
}

pid_t cdp_browser_pid(const struct cdp_browser *b)
{
    return b ? b->pid : 0;
}

int cdp_browser_no_sandbox(const struct cdp_browser *b)
{
    return b ? b->no_sandbox : 0;
}

const char *cdp_browser_dir(const struct cdp_browser *b)
{
    return b ? b->dir : "";
}

int cdp_browser_alive(struct cdp_browser *b)
{
    if (!b || b->reaped || b->pid <= 0)
        return 0;
    if (!exited(b->pid))
        return 1;
    kill(-b->pid, SIGKILL);   /* leftover renderers of a dead browser */
    waitpid(b->pid, NULL, 0);
    b->reaped = 1;
    return 0;
}

/* Waits up to TIMEOUT_MS for the leader to exit, without reaping it. */
static void wait_exit(pid_t pid, int timeout_ms)
{
    int64_t deadline = ut_now_ms() + timeout_ms;
    int pfd = pidfd_of(pid), left;
    struct pollfd pf;

    while (!exited(pid) && (left = (int)(deadline - ut_now_ms())) > 0) {
        if (pfd >= 0) {
            pf = (struct pollfd){ pfd, POLLIN, 0 };
            poll(&pf, 1, left);
        } else {
            ut_sleep_ms(left < 10 ? left : 10);
        }
    }
    if (pfd >= 0)
        close(pfd);
}

void cdp_browser_close(struct cdp_browser *b, struct cdp_conn *c,
                       int timeout_ms)
{
    if (!b)
        return;
    if (timeout_ms <= 0)
        timeout_ms = 2000;
    if (c && cdp_conn_alive(c) && !b->reaped) {
        /* the reply may lose the race with the socket closing: either
         * way the browser is on its way out */
        cdp_call(cdp_browser_session(c), "Browser.close", NULL, timeout_ms,
                 NULL);
        if (!b->reaped)
            wait_exit(b->pid, timeout_ms);
    }
    destroy(b);
    if (c)
        cdp_pump(c, 0, 0);   /* notice the closed socket now */
}
