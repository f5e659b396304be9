/* launch.c -- start, watch and kill the browser process. The browser runs
 * in its own process group so that one kill(-pgid) takes its renderers
 * too, dies with us (PR_SET_PDEATHSIG), and is listed in a small static
 * registry: the one global of cdp/, needed because cdp_kill_all() and
 * cdp_abandon_all() run from signal handlers. The registry is not
 * thread-safe: launch and close browsers from one thread.
 *
 * A temporary profile holds LOCK_FILE, flock'ed by the cdpilot that made
 * it for as long as that process lives (never by the browser: the fd is
 * close-on-exec). A profile whose lock anyone can take was left by a
 * process that died without cleaning up (kill -9); the next launch
 * removes it. */
#include "cdp_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REG_MAX        32          /* browsers alive at once per process */
#define PROFILE_PARENT "/tmp"
#define PROFILE_PREFIX "cdpilot-profile-"              /* runner greps it */
#define PROFILE_TMPL   PROFILE_PARENT "/" PROFILE_PREFIX "XXXXXX"
#define LOCK_FILE      "cdpilot.lock"  /* flock'ed by the owner; its pid */
#define LOCK_GRACE_S   60      /* an empty lock file younger: being made */
#define CHROME_TMP     "tmp"   /* the browser's $TMPDIR in a temp profile */
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
    int lockfd;            /* LOCK_FILE of a temp dir, flock'ed */
    char dir[4096];        /* user-data-dir */
    char ws_url[512];
};

/* The registry. A slot is taken (used) from the moment a temp dir exists
 * or a browser starts until both are gone, so that a signal handler
 * always knows what to kill and what to remove. Written with INT, TERM
 * and HUP blocked or in an order that keeps it true at every instant;
 * the handlers only read it (and set killed). */
static struct reg_entry {
    volatile sig_atomic_t used;
    volatile pid_t pid;    /* browser and group id; 0 when none or reaped */
    volatile sig_atomic_t killed;
    const struct cdp_browser *owner;   /* never read by handlers */
    char dir[64];          /* temp dir to remove, or "": PROFILE_TMPL fits */
} reg[REG_MAX];

static int reg_add(const struct cdp_browser *b)
{
    int i;

    for (i = 0; i < REG_MAX; i++) {
        if (!reg[i].used) {
            ut_strlcpy(reg[i].dir, b->temp && strlen(b->dir) <
                       sizeof reg[i].dir ? b->dir : "", sizeof reg[i].dir);
            reg[i].pid = 0;
            reg[i].killed = 0;
            reg[i].owner = b;
            reg[i].used = 1;
            return i;
        }
    }
    return -1;
}

static int reg_mine(const struct cdp_browser *b)
{
    return b->slot >= 0 && b->slot < REG_MAX && reg[b->slot].used &&
           reg[b->slot].owner == b;
}

static void reg_free(int slot)
{
    reg[slot].pid = 0;
    reg[slot].dir[0] = '\0';
    reg[slot].owner = NULL;
    reg[slot].used = 0;
}

void cdp_kill_all(void)
{
    int i;
    pid_t p;

    for (i = 0; i < REG_MAX; i++) {
        p = reg[i].pid;
        if (reg[i].used && p > 0) {
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

static void nap_ms(long ms)
{
    struct timespec ts = { 0, ms * 1000000L };

    nanosleep(&ts, NULL);
}

/* DIR + "/" + NAME into OUT (N bytes); 0, or -1 when it does not fit.
 * Async-signal-safe, unlike snprintf. */
static int join(char *out, size_t n, const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);

    if (a + 1 + b + 1 > n)
        return -1;
    memcpy(out, dir, a);
    out[a] = '/';
    memcpy(out + a + 1, name, b + 1);
    return 0;
}

/* Removes a temporary profile, retrying while processes of a killed
 * browser may still be on their way out. Async-signal-safe. */
static void rm_profile(const char *dir)
{
    int tries;

    for (tries = 0; ut_rm_rf(dir) != 0 && errno == ENOTEMPTY &&
         tries < 50; tries++)
        nap_ms(10);
}

void cdp_abandon_all(void)
{
    int i, waited;
    pid_t p;

    cdp_kill_all();
    for (i = 0; i < REG_MAX; i++) {
        if (!reg[i].used)
            continue;
        p = reg[i].pid;
        /* the leader's exit closes its files; at most about a second */
        for (waited = 0; p > 0 && waited < 100 &&
             waitpid(p, NULL, WNOHANG) == 0; waited++)
            nap_ms(10);
        if (reg[i].dir[0])
            rm_profile(reg[i].dir);
    }
}

void cdp_cleanup_dirs(void)
{
    int i;
    pid_t p;

    for (i = 0; i < REG_MAX; i++) {
        if (!reg[i].used)
            continue;
        p = reg[i].pid;
        if (p > 0 && !reg[i].killed && !exited(p))
            continue;
        if (p > 0) {
            kill(-p, SIGKILL);
            reg[i].pid = 0;
            waitpid(p, NULL, 0);
        }
        if (reg[i].dir[0])
            rm_profile(reg[i].dir);
        reg_free(i);
    }
}

/* ---- profiles left by processes that died ---------------------------- */

/* 1 when NAME is what mkdtemp(PROFILE_TMPL) makes. */
static int temp_profile_name(const char *name)
{
    size_t k, n = sizeof PROFILE_PREFIX - 1;

    if (strncmp(name, PROFILE_PREFIX, n) != 0 || strlen(name) != n + 6)
        return 0;
    for (k = n; name[k]; k++)
        if (!((name[k] >= 'a' && name[k] <= 'z') ||
              (name[k] >= 'A' && name[k] <= 'Z') ||
              (name[k] >= '0' && name[k] <= '9')))
            return 0;
    return 1;
}

/* Removes DIR when its owner is gone: DIR is ours (same user, a real
 * dir), holds a LOCK_FILE, and we can take the lock. A lock file without
 * a pid in it is being written (or its writer died at once): left alone
 * for LOCK_GRACE_S. No lock file: not made by this cdpilot, left alone. */
static void sweep_one(const char *dir)
{
    char path[4200], pid[32];
    struct stat st;
    ssize_t n;
    int fd;

    if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
        st.st_uid != geteuid())
        return;
    if (join(path, sizeof path, dir, LOCK_FILE) != 0)
        return;
    fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
        n = pread(fd, pid, sizeof pid - 1, 0);
        if ((n > 0 || (fstat(fd, &st) == 0 &&
                       st.st_mtime < time(NULL) - LOCK_GRACE_S)))
            rm_profile(dir);   /* the lock is ours until close */
    }
    close(fd);
}

/* Once per process, before its first temporary profile. */
static void sweep_stale_profiles(void)
{
    static int done;
    char path[4200];
    struct dirent *e;
    DIR *d;

    if (done)
        return;
    done = 1;
    d = opendir(PROFILE_PARENT);
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (!temp_profile_name(e->d_name))
            continue;
        if (join(path, sizeof path, PROFILE_PARENT, e->d_name) == 0)
            sweep_one(path);
    }
    closedir(d);
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
 * plus execve. */
static void child_exec(const char **argv, char **envp, int logfd,
                       pid_t parent)
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
    execve(argv[0], (char *const *)argv, envp);
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
    pfd = ut_pidfd_open(b->pid);
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

/* Writes our pid into a new LOCK_FILE in B's temporary dir and holds
 * its lock while we live (see the top of this file). */
static int lock_dir(struct cdp_browser *b)
{
    char path[4200], pid[32];
    int fd, n;

    if (join(path, sizeof path, b->dir, LOCK_FILE) != 0)
        return -1;
    fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              0600);
    if (fd < 0)
        return -1;
    n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    /* blocks only while a sweeping cdpilot looks at it */
    if (flock(fd, LOCK_EX) != 0 || write(fd, pid, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    b->lockfd = fd;
    return 0;
}

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
    b->slot = reg_add(b);
    if (b->slot < 0)
        return ut_err(err, errlen, CDP_E_LAUNCH, "more than %d browsers at "
                      "once", REG_MAX);
    if (lock_dir(b) != 0)
        return ut_err(err, errlen, CDP_E_LAUNCH, "cannot lock '%s': %s",
                      b->dir, strerror(errno));
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

/* Kills the group, reaps the leader, removes a temp dir, frees B. The
 * registry entry goes last: until the dir is gone, a signal handler can
 * finish the job. */
static void destroy(struct cdp_browser *b)
{
    int mine = reg_mine(b);

    if (b->pid > 0) {
        kill(-b->pid, SIGKILL);
        if (mine)
            reg[b->slot].pid = 0;   /* reaped below: never kill its id */
        if (!b->reaped)
            waitpid(b->pid, NULL, 0);
    }
    if (b->logfd >= 0)
        close(b->logfd);
    if (b->temp)
        rm_profile(b->dir);
    if (b->lockfd >= 0)
        close(b->lockfd);
    if (mine)
        reg_free(b->slot);
    free(b);
}

/* The browser's environment: ours, with $TMPDIR inside a temporary
 * profile. Chrome keeps its process-singleton socket folder and, with
 * --disable-dev-shm-usage, its shared memory files in $TMPDIR; a killed
 * Chrome leaves them there, so they had better go with the profile.
 * NULL when out of memory. Free the array only: its strings are
 * environ's, and TMP. */
static char **child_env(const struct cdp_browser *b, char *tmp, size_t n)
{
    size_t i, k = 0, count = 0;
    int own;
    char **env;

    while (environ[count])
        count++;
    env = calloc(count + 2, sizeof *env);
    if (!env)
        return NULL;
    own = b->temp && (size_t)snprintf(tmp, n, "TMPDIR=%s/" CHROME_TMP,
                                      b->dir) < n &&
          mkdir(tmp + 7, 0700) == 0;
    for (i = 0; i < count; i++)
        if (!own || strncmp(environ[i], "TMPDIR=", 7) != 0)
            env[k++] = environ[i];
    if (own)
        env[k++] = tmp;
    env[k] = NULL;
    return env;
}

/* INT, TERM and HUP wait while a temp dir or a child exists that the
 * registry does not list yet. The child unblocks them in child_exec. */
static void hold_signals(sigset_t *old)
{
    sigset_t s;

    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGHUP);
    sigprocmask(SIG_BLOCK, &s, old);
}

cdp_code cdp_launch(const struct cdp_launch_opts *o, struct cdp_browser **out,
                    char *err, size_t errlen)
{
    struct cdp_browser *b;
    const char **argv;
    char bufs[3][4200], tmp[4200], **envp = NULL;
    pid_t parent = getpid();
    sigset_t old;
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
    b->lockfd = -1;
    b->slot = -1;
    if (!o->user_data_dir || !*o->user_data_dir)
        sweep_stale_profiles();
    hold_signals(&old);
    rc = make_dir(o, b, err, errlen);
    if (rc == CDP_OK && b->slot < 0 && (b->slot = reg_add(b)) < 0)
        rc = ut_err(err, errlen, CDP_E_LAUNCH, "more than %d browsers at "
                    "once", REG_MAX);
    if (rc == CDP_OK) {
        b->logfd = open_log(b);
        b->no_sandbox = geteuid() == 0;
        build_argv(o, b->dir, b->no_sandbox, bufs, argv);
        envp = child_env(b, tmp, sizeof tmp);
        if (b->logfd < 0)
            rc = ut_err(err, errlen, CDP_E_LAUNCH, "cannot create a log file "
                        "in '%s': %s", b->dir, strerror(errno));
        else if (!envp)
            rc = ut_err(err, errlen, CDP_E_NOMEM, "out of memory");
    }
    if (rc == CDP_OK) {
        b->pid = fork();
        if (b->pid == 0)
            child_exec(argv, envp, b->logfd, parent);
        if (b->pid < 0) {
            b->pid = 0;
            rc = ut_err(err, errlen, CDP_E_LAUNCH, "fork: %s",
                        strerror(errno));
        } else {
            setpgid(b->pid, b->pid);   /* also here: no race with kill */
            reg[b->slot].pid = b->pid;
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    free(envp);
    if (rc != CDP_OK)
        goto fail;
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
    if (reg_mine(b))
        reg[b->slot].pid = 0;
    waitpid(b->pid, NULL, 0);
    b->reaped = 1;
    return 0;
}

/* Waits up to TIMEOUT_MS for the leader to exit, without reaping it. */
static void wait_exit(pid_t pid, int timeout_ms)
{
    int64_t deadline = ut_now_ms() + timeout_ms;
    int pfd = ut_pidfd_open(pid), left;
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
