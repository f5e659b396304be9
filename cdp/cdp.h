/* cdp.h -- Chrome DevTools Protocol client: find, launch or connect to a
 * browser, one WebSocket (libwebsockets), flat target sessions. Knows
 * nothing of tasks, targets, cache or LLM. One thread; a synchronous call
 * API over an event loop that sleeps in poll() when idle.
 *
 * Ownership: cJSON *params passed in are consumed (also on error);
 * cJSON **result / **params handed out are the caller's (cJSON_Delete).
 * Event callbacks get borrowed params, valid only during the callback.
 * Every *_free / *_close accepts NULL. Not in this file = not API. */
#ifndef CDPILOT_CDP_H
#define CDPILOT_CDP_H

#include <stddef.h>
#include <sys/types.h>
#include <cjson/cJSON.h>

struct cdp_browser;   /* a launched browser process */
struct cdp_conn;      /* one WebSocket to a browser endpoint */
struct cdp_session;   /* the browser itself or one attached target */

typedef enum {
    CDP_OK = 0,
    CDP_E_NOMEM,     /* 1 */
    CDP_E_LAUNCH,    /* 2 not found, not executable, snap refused, exited */
    CDP_E_TIMEOUT,   /* 3 */
    CDP_E_PROTOCOL,  /* 4 Chrome replied {"error":{code,message}} */
    CDP_E_CLOSED,    /* 5 socket closed, browser crashed or exited */
    CDP_E_TOOBIG,    /* 6 message over CDP_MAX_MESSAGE */
    CDP_E_CONNECT,   /* 7 could not connect / not a CDP endpoint */
    CDP_E_CRASHED,   /* 8 the target's renderer died (crash, kill, OOM) */
    CDP_LAST         /* never use; add above, never renumber */
} cdp_code;

#define CDP_MAX_MESSAGE (256u * 1024 * 1024) /* full-page screenshots */
#define CDP_ERR_LEN 512

const char *cdp_strerror(cdp_code c);

/* ---- discovery ---------------------------------------------------------
 * Order: CLI_PATH (--chrome), then $CDPILOT_CHROME, then PROFILE_PATH,
 * then google-chrome-stable, google-chrome, chromium, chromium-browser on
 * $PATH. A snap (a path under /snap/, or a script that execs snap) is
 * refused with a message saying how to install a .deb build and set the
 * path. A given path that does not exist or is not executable is an error
 * (no fall-through). */
struct cdp_found {
    char path[4096];  /* resolved executable */
    char why[128];    /* "--chrome", "CDPILOT_CHROME", "profile", "PATH" */
};
cdp_code cdp_find_browser(const char *cli_path, const char *profile_path,
                          struct cdp_found *out, char *err, size_t errlen);

/* ---- launch ------------------------------------------------------------ */
struct cdp_launch_opts {
    const char *path;           /* executable (from cdp_find_browser) */
    int headless;               /* 1: --headless=new */
    int width, height;          /* window size; 0 = browser default */
    const char *user_data_dir;  /* NULL: private temp dir, 0700, removed,
                                   the browser's $TMPDIR in it; one whose
                                   cdpilot died (kill -9) is removed by
                                   the next launch */
    const char *const *args;    /* extra flags (profile), may be NULL */
    size_t nargs;
    int timeout_ms;             /* wait for DevToolsActivePort */
};
/* Launches in its own process group with --remote-debugging-port=0 and
 * --remote-debugging-address=127.0.0.1, --no-sandbox only when euid is 0,
 * and the no-background-networking flags. The child is registered so that
 * cdp_kill_all() can reap it from a signal handler. */
cdp_code cdp_launch(const struct cdp_launch_opts *o, struct cdp_browser **out,
                    char *err, size_t errlen);
const char *cdp_browser_ws_url(const struct cdp_browser *b);
pid_t cdp_browser_pid(const struct cdp_browser *b);
int  cdp_browser_no_sandbox(const struct cdp_browser *b);
/* The browser's user-data-dir (a temporary one unless given). */
const char *cdp_browser_dir(const struct cdp_browser *b);
/* Browser.close over C if given (may be NULL), waits up to TIMEOUT_MS,
 * then SIGKILLs the whole process group, reaps it and removes a temporary
 * user-data-dir. Frees B. */
void cdp_browser_close(struct cdp_browser *b, struct cdp_conn *c,
                       int timeout_ms);
/* 1 while the browser process is alive (reaps it if it exited). */
int  cdp_browser_alive(struct cdp_browser *b);
/* Async-signal-safe: SIGKILL every launched browser's process group. For
 * signal handlers and atexit; the user-data-dirs are left to the normal
 * path (cdp_browser_close) or to cdp_cleanup_dirs(). */
void cdp_kill_all(void);
/* Async-signal-safe, for a handler that is about to _exit: SIGKILL every
 * browser, wait up to about a second for each to exit, and remove every
 * temporary user-data-dir (with the browser's $TMPDIR, which is in it).
 * cdp_launch holds SIGINT, SIGTERM and SIGHUP back for the few calls
 * between making a temp dir or a child and listing it, so a handler
 * never misses one. */
void cdp_abandon_all(void);
/* For atexit, after cdp_kill_all: reaps the killed or exited browsers
 * and removes their temporary dirs. */
void cdp_cleanup_dirs(void);

/* ---- connection -------------------------------------------------------- */
/* Connects to a ws:// URL (a browser endpoint such as
 * ws://127.0.0.1:9222/devtools/browser/<id>) or an http://host:port
 * endpoint (then /json/version is read for the WebSocket URL). */
cdp_code cdp_connect(const char *url, int timeout_ms, struct cdp_conn **out,
                     char *err, size_t errlen);
void cdp_conn_close(struct cdp_conn *c);
const char *cdp_errmsg(const struct cdp_conn *c);  /* last error, one line */
int  cdp_conn_alive(const struct cdp_conn *c);

/* Trace hook: every message sent (DIR_OUT = 1) and received (0), as
 * text. The callee may redact before writing it anywhere. */
typedef void (*cdp_trace_fn)(void *ud, int dir_out, const char *msg,
                             size_t len);
void cdp_set_trace(struct cdp_conn *c, cdp_trace_fn fn, void *ud);

/* The browser-level session (no sessionId). Owned by C. */
struct cdp_session *cdp_browser_session(struct cdp_conn *c);
/* Attaches to TARGET_ID with flatten:true. The session is owned by C and
 * lives until detached, its target is destroyed, or C closes. */
cdp_code cdp_attach(struct cdp_conn *c, const char *target_id,
                    struct cdp_session **out);
/* Creates a page (about:blank) and attaches to it. BROWSER_CONTEXT may be
 * NULL (default context) or an id from Target.createBrowserContext. */
cdp_code cdp_new_page(struct cdp_conn *c, const char *browser_context,
                      struct cdp_session **out);
const char *cdp_session_id(const struct cdp_session *s);    /* "" browser */
const char *cdp_session_target(const struct cdp_session *s);/* target id */
struct cdp_conn *cdp_session_conn(struct cdp_session *s);
/* Finds an attached session by id (from an event), or NULL. */
struct cdp_session *cdp_find_session(struct cdp_conn *c, const char *sid);

/* Send METHOD with PARAMS (consumed, may be NULL) on S, servicing the
 * socket until the reply or TIMEOUT_MS. CDP_OK: *result is the reply's
 * "result" (caller's; RESULT may be NULL to drop it). Otherwise *result is
 * NULL and cdp_errmsg() says why ("Page.navigate: -32000 Cannot ...").
 * Events arriving meanwhile are dispatched to subscribers, never dropped.
 * A call waiting on a target whose renderer dies (Inspector.targetCrashed,
 * Target.targetCrashed) ends at once with CDP_E_CRASHED: Chrome never
 * answers it. The session stays usable (a navigation brings up a new
 * renderer). */
cdp_code cdp_call(struct cdp_session *s, const char *method, cJSON *params,
                  int timeout_ms, cJSON **result);
/* Queues METHOD without waiting; the reply is discarded. Safe to call from
 * an event callback (e.g. to answer Page.javascriptDialogOpening). */
cdp_code cdp_send(struct cdp_session *s, const char *method, cJSON *params);

/* Events. FN is called for every event on every session, in arrival
 * order, from inside cdp_call/cdp_pump. It must not call cdp_call (use
 * cdp_send). Returns a subscription id > 0, or -1. */
typedef void (*cdp_event_fn)(void *ud, struct cdp_session *s,
                             const char *method, const cJSON *params);
int  cdp_subscribe(struct cdp_conn *c, cdp_event_fn fn, void *ud);
void cdp_unsubscribe(struct cdp_conn *c, int id);
/* Services the socket for up to TIMEOUT_MS (0: only what is ready),
 * dispatching events. Returns early after the first event dispatch when
 * UNTIL_EVENT is set. CDP_E_CLOSED when the connection is gone. */
cdp_code cdp_pump(struct cdp_conn *c, int timeout_ms, int until_event);

/* ---- browser contexts and downloads ------------------------------------
 * Browser-wide settings, made on C's browser session. */
/* A new browser context (cookies and storage of its own, like an
 * incognito window): *ID (the caller's) is for cdp_new_page(). */
cdp_code cdp_context_new(struct cdp_conn *c, int timeout_ms, char **id);
/* Disposes browser context ID, closing its pages. */
cdp_code cdp_context_dispose(struct cdp_conn *c, const char *id,
                             int timeout_ms);
/* Files that B's pages download (a click on "Export CSV") go to B's own
 * user-data-dir (its "downloads" folder, made 0700, removed with it), not
 * to ~/Downloads: the page sees a download that worked and nothing is
 * left behind. CDP_E_LAUNCH when the folder cannot be made. */
cdp_code cdp_keep_downloads(const struct cdp_browser *b, struct cdp_conn *c,
                            int timeout_ms);
/* Files that pages of browser context CONTEXT (NULL: every context) go
 * to DIR, each named by its download's guid, with Browser.downloadWillBegin
 * and Browser.downloadProgress sent on the browser session; DIR NULL puts
 * back the browser's default. */
cdp_code cdp_download_to(struct cdp_conn *c, const char *context,
                         const char *dir, int timeout_ms);
/* Stops download GUID (Browser.cancelDownload). */
cdp_code cdp_download_cancel(struct cdp_conn *c, const char *context,
                             const char *guid, int timeout_ms);

/* Browser.getVersion, read at connect time and kept. */
struct cdp_version {
    char product[128];     /* "Chrome/156.0.8078.73" or "HeadlessChrome/…" */
    char protocol[32];     /* "1.3" */
    char revision[128];
    char user_agent[512];
    char js_version[64];
};
const struct cdp_version *cdp_conn_version(const struct cdp_conn *c);

#endif
