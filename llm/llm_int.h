/* llm_int.h -- internals shared by the files of llm/ (never included
 * outside it). llm.c owns the handle, budgets, retries and the breaker;
 * http.c is the only file that touches libwebsockets; prompt.c builds the
 * request body and reads the provider's reply (pure code, no I/O).
 * Nothing here ever formats the API key into text other than the
 * Authorization header itself. */
#ifndef CDPILOT_LLM_INT_H
#define CDPILOT_LLM_INT_H

#include "llm.h"
#include "../util/util.h"

#include <stdint.h>

#define LLM_MAX_REPLY       (1u << 20)   /* provider reply body */
#define LLM_MAX_PROMPT      (24u * 1024) /* request body, JSON included */
#define LLM_MAX_RECORD      300          /* bytes of one candidate record */
#define LLM_MAX_CANDS       20           /* records shown to the model */
#define LLM_MAX_REASON      200          /* bytes kept of the reason */
#define LLM_MAX_KEY         1024         /* API key length */
#define LLM_MAX_COMPLETION  150          /* max_tokens sent per call */
#define LLM_RETRY_AFTER_CAP 30           /* seconds honoured at most */
#define LLM_WAIT_TOTAL_MS   60000        /* all backoff waits of a call */
#define LLM_ERRLEN          256

/* A parsed endpoint. path already ends in /chat/completions (plus any
 * query string the configured URL carried). */
struct llm__url {
    int tls;
    int port;
    char host[256];      /* without brackets for IPv6 literals */
    char hosthdr[272];   /* Host header: host[:port] */
    char path[1024];
};

/* 0 on success; -1 with a one-line reason in ERR (never the URL's
 * userinfo, which is refused). */
int llm__url_parse(const char *url, struct llm__url *u, char *err,
                   size_t errlen);

/* ---- http.c: one POST with a deadline -------------------------------- */

struct llm__http;   /* lws context + the transfer in flight (opaque) */

struct llm__http_res {
    llm_code code;       /* LLM_OK (a status arrived), _TIMEOUT, _NET,
                          * _NOMEM, _HTTP (reply over LLM_MAX_REPLY) */
    int status;          /* HTTP status; 0 when none arrived */
    int retry_after_s;   /* Retry-After in seconds; -1 when absent */
    ut_buf body;         /* caller frees (ut_buf_free) */
    char err[LLM_ERRLEN];
};

/* CA_FILE may be NULL (the system bundle is used for https); TLS says
 * whether the context sets up TLS at all (plain http does not). Returns
 * NULL on out-of-memory. The lws context is created on first use. */
struct llm__http *llm__http_new(const char *ca_file, int tls);
void llm__http_free(struct llm__http *h);

/* POSTs BODY (application/json) to U, adding "Authorization: Bearer KEY"
 * when KEY is non-empty. Returns within TIMEOUT_MS whatever the server
 * does. RES is always initialised (even on error) and must be freed
 * with llm__http_res_free(). */
void llm__http_post(struct llm__http *h, const struct llm__url *u,
                    const char *key, const char *body, size_t len,
                    int timeout_ms, struct llm__http_res *res);
void llm__http_res_free(struct llm__http_res *res);

/* ---- prompt.c: request and reply ------------------------------------- */

/* Builds the chat-completions JSON body for Q into OUT (reset first).
 * *SHOWN receives how many candidates were listed (<= LLM_MAX_CANDS).
 * 0, or -1 on out-of-memory / over LLM_MAX_PROMPT. */
int llm__prompt_build(const struct llm_config *cfg,
                      const struct llm_query *q, ut_buf *out,
                      size_t *shown);

/* Reads a chat-completions reply body. On 0: *content is the first
 * choice's message content (malloc'd, caller frees), *model the reported
 * model or NULL (malloc'd), tokens -1 when the provider sent no usage.
 * On -1: ERR says what was wrong (no body text is quoted). */
int llm__reply_parse(const char *body, size_t len, char **content,
                     char **model, long *prompt_tokens,
                     long *completion_tokens, char *err, size_t errlen);

/* Extracts a short provider error message ({"error":{"message":...}} or
 * {"error":"..."}) into OUT, control characters removed; "" when none. */
void llm__reply_error(const char *body, size_t len, char *out,
                      size_t outlen);

/* Copies SRC into DST (size N) as one printable line: control characters
 * become spaces, truncated at a UTF-8 boundary. Returns DST. */
char *llm__oneline(char *dst, size_t n, const char *src, size_t srclen);

/* Replaces every occurrence of KEY (when len >= 4) in S with "[redacted]"
 * in place, within capacity N. */
void llm__redact(char *s, size_t n, const char *key);

#endif
