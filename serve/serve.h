/* serve.h -- a static file server on 127.0.0.1 (GNU libmicrohttpd), for
 * `cdpilot serve DIR`, `make demo`, the test fixture site and
 * `smoke --serve`. GET and HEAD only; paths are confined to ROOT (no "..",
 * no symlinks out); directory URLs serve index.html. Idle connections
 * are closed after 5 s; a target over 4 KiB gets 414, a NUL or a bad
 * escape in the path 400 (serve.c).
 * Ownership: srv_start copies ROOT. Not in this file = not API. */
#ifndef CDPILOT_SERVE_H
#define CDPILOT_SERVE_H

#include <stddef.h>

#include "../util/util.h"

struct srv;

/* Starts serving ROOT on 127.0.0.1:PORT (0 = any free port) in a
 * background thread. Returns 0 and *out, or -1 with a reason in ERR.
 * Raises the process's soft RLIMIT_NOFILE towards the hard limit so that
 * a few thousand connections fit. */
int  srv_start(const char *root, int port, struct srv **out,
               char *err, size_t errlen) UT_MUST_CHECK;
/* The same on HOST, a numeric IPv4 or IPv6 address of this machine
 * (NULL: 127.0.0.1); "0.0.0.0" and "::" (every address) only when
 * written so. The URL then names HOST ("http://[::1]:PORT" for IPv6). */
int  srv_start_on(const char *root, const char *host, int port,
                  struct srv **out, char *err, size_t errlen) UT_MUST_CHECK;
/* 0 when HOST is a numeric IPv4 or IPv6 address, else -1. Pure. */
int  srv_host_check(const char *host);
int  srv_port(const struct srv *s);
/* "http://127.0.0.1:PORT", or the HOST it was started on (owned by S). */
const char *srv_url(const struct srv *s);
void srv_stop(struct srv *s);   /* joins the thread; NULL ok */

/* Serves in the foreground until SIGINT/SIGTERM; prints the URL on
 * stdout first. Returns a process exit code. */
int  srv_run(const char *root, int port);

#endif
