/* grid.h -- remote browsers from a grid (docs/SMOKE.md "Remote browsers
 * and grids"). Two kinds of URL:
 *   http(s)://HOST:PORT[/prefix]  a W3C WebDriver endpoint (Selenium Grid
 *       4): POST {url}/session makes a session whose "se:cdp" capability
 *       is the browser's CDP WebSocket URL; DELETE {url}/session/{id}
 *       ends it.
 *   ws(s)://...  browserless style: no session API, each WebSocket
 *       connection is a browser of its own (the caller connects; a
 *       handshake refused with 429 or 503 is worth a retry, grid_wait_ms).
 * A full grid queues a new-session request and answers 500 "session not
 * created" (or keeps it past our bound) when its queue gives up: retried
 * with exponential backoff and jitter within a total timeout, every
 * request bounded. Errors are one line naming the grid and its answer.
 * Uses util only (and libcurl for HTTP). */
#ifndef CDPILOT_GRID_H
#define CDPILOT_GRID_H

#include <stddef.h>
#include <stdint.h>

#define GRID_TIMEOUT_MS   120000  /* making a session, retries included */
#define GRID_TRY_MS       60000   /* one request */
#define GRID_ID_MAX       128
#define GRID_URL_MAX      1024

enum grid_kind { GRID_WEBDRIVER = 1, GRID_WS = 2 };

struct grid_opts {
    int timeout_ms;           /* total; <= 0: GRID_TIMEOUT_MS */
    int try_ms;               /* one request; <= 0: GRID_TRY_MS */
    int headless;
    int width, height;        /* 0: the grid's default window */
    const char *const *args;  /* more browser flags (the profile's) */
    size_t nargs;
};

struct grid_session {
    char id[GRID_ID_MAX];     /* WebDriver session id; "" for ws grids */
    char cdp[GRID_URL_MAX];   /* the CDP WebSocket URL to connect to */
    int tries;                /* requests it took */
};

/* The kind of URL (GRID_WEBDRIVER or GRID_WS), or -1 with ERR saying
 * what is wrong with it. */
int grid_kind_of(const char *url, char *err, size_t errlen);

/* A new session on the grid at URL. For a ws grid, S->cdp is URL itself
 * and nothing is asked. 0, or -1 with ERR ("grid URL: ..."). */
int grid_session_new(const char *url, const struct grid_opts *o,
                     struct grid_session *s, char *err, size_t errlen);

/* Ends session ID on URL's grid within TIMEOUT_MS. 0 when deleted or
 * already gone (404), -1 with ERR otherwise. */
int grid_session_delete(const char *url, const char *id, int timeout_ms,
                        char *err, size_t errlen);

/* ---- the pure parts (unit tested) -------------------------------------- */

/* The POST /session body for O: a malloc'd JSON text, NULL when out of
 * memory. */
char *grid_session_body(const struct grid_opts *o);

enum grid_reply { GRID_R_OK = 0, GRID_R_RETRY = 1, GRID_R_FATAL = 2 };
/* Reads a new-session reply (HTTP STATUS, BODY) into S: GRID_R_OK;
 * GRID_R_RETRY when the grid is full or not ready (500 "session not
 * created", 503, 429); GRID_R_FATAL otherwise. Not OK: ERR says what
 * the grid answered. */
enum grid_reply grid_reply_parse(long status, const char *body,
                                 struct grid_session *s, char *err,
                                 size_t errlen);

/* The wait before try ATTEMPT+1 (ATTEMPT from 0): 500 ms doubled per
 * try up to 8 s, with jitter from *RNG, never past LEFT_MS (the time
 * left of the total timeout; 0 when none is left). */
int grid_wait_ms(int attempt, int64_t left_ms, uint64_t *rng);

#endif
