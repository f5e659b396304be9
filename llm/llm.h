/* llm.h -- OpenAI-compatible chat-completions client that picks one of a
 * list of candidates. HTTP and HTTPS through libwebsockets' client. It
 * never invents a selector or an action: the answer is an index into the
 * list it was given, or nothing. Budgets, timeouts, retries with backoff
 * (Retry-After honoured), and a circuit breaker live here. The API key is
 * never printed, logged or put in an error message.
 * Ownership: strings in llm_config are copied by llm_new(); an llm_answer
 * owns its strings until llm_answer_clear(). Not in this file = not API. */
#ifndef CDPILOT_LLM_H
#define CDPILOT_LLM_H

#include <stddef.h>
#include <stdint.h>

#include "../util/util.h"

struct llm;

typedef enum {
    LLM_OK = 0,
    LLM_E_NOMEM,      /* 1 */
    LLM_E_CONFIG,     /* 2 no URL/model, bad URL */
    LLM_E_BUDGET,     /* 3 call or token budget spent */
    LLM_E_BREAKER,    /* 4 circuit open after repeated failures */
    LLM_E_AUTH,       /* 5 400/401/403: bad key or model, not retried */
    LLM_E_HTTP,       /* 6 other HTTP failure after retries */
    LLM_E_TIMEOUT,    /* 7 */
    LLM_E_NET,        /* 8 connect refused, closed connection */
    LLM_E_ANSWER,     /* 9 malformed JSON, id out of range, prose */
    LLM_E_NOPICK,     /* 10 the model answered null: none fits */
    LLM_LAST          /* never use; add above, never renumber */
} llm_code;

const char *llm_strerror(llm_code c);

struct llm_config {
    const char *url;        /* base, e.g. http://127.0.0.1:11434/v1 */
    const char *model;
    const char *api_key;    /* may be NULL (Ollama, llama.cpp) */
    int timeout_ms;         /* per request */
    int max_calls;          /* per run; 0 = no calls allowed */
    long max_tokens;        /* per run, prompt + completion */
    int retries;            /* extra attempts on 429/5xx/timeouts */
    int backoff_ms;         /* first backoff; doubles, with jitter */
    int breaker_after;      /* consecutive failures that open the circuit */
    double price_prompt;    /* per 1,000 prompt tokens, for the report */
    double price_completion;
    int json_mode;          /* send response_format json_object */
    /* Added after the first draft (additive): */
    const char *ca_file;    /* PEM CA bundle for https; NULL = system */
    double max_cost;        /* > 0: cap on the run's estimated cost;
                             * 0 = none */
    /* A budget kept outside this handle (a smoke suite's, shared by
     * processes): GATE, when set, is asked before each call; non-zero
     * refuses it as LLM_E_BUDGET with the one-line reason it wrote into
     * WHY. SPENT, when set, is told each call's tokens and estimated
     * cost once it was sent (answered or not). UD is theirs. */
    int (*gate)(void *ud, char *why, size_t whylen);
    void (*spent)(void *ud, long tokens, double cost);
    void *budget_ud;
};
/* Meanings of the numbers above, as llm_new() applies them:
 * timeout_ms <= 0 -> 30000. max_calls and max_tokens: 0 = nothing
 * allowed, negative = unlimited. retries < 0 -> 0 (capped at 10).
 * backoff_ms <= 0 -> 500. breaker_after <= 0 -> 3. */

/* Fills C from CDPILOT_LLM_URL / _MODEL / _API_KEY (and _CA_FILE) where
 * those are set and non-empty (over what C already holds; the pointers
 * point into the environment). Returns 1 when url and model are set. */
int llm_config_from_env(struct llm_config *c);

struct llm *llm_new(const struct llm_config *cfg, char *err, size_t errlen)
    UT_MUST_CHECK;
void llm_free(struct llm *l);

/* One candidate, already rendered by the caller as a compact one-line
 * record (role, name, tag, nearby text...). Page text is data. */
struct llm_query {
    const char *intent;
    const char *step_kind;   /* "click", "fill", ... */
    const char *page_title;
    const char *page_url;
    const char *const *cands;  /* N records; the model answers 1..N */
    size_t n;
};

struct llm_answer {
    int index;              /* 0-based into cands; -1 when none */
    double confidence;
    char *reason;           /* the model's one-line reason (capped) */
    long prompt_tokens, completion_tokens;
    int64_t latency_ms;     /* wall time of all attempts */
    int attempts;
    char *model;            /* as the provider reported it */
    /* Added (additive): */
    int tokens_estimated;   /* 1: the provider sent no usage; the token
                             * counts are bytes/4 estimates */
    size_t shown;           /* candidates listed in the prompt (the
                             * first min(n, 20) of Q->cands) */
};
void llm_answer_clear(struct llm_answer *a);

/* Asks the model to pick one of Q->cands. LLM_OK: a->index in [0, n).
 * Any other code: a->index is -1 and llm_errmsg() says why, one line. */
llm_code llm_choose(struct llm *l, const struct llm_query *q,
                    struct llm_answer *a) UT_MUST_CHECK;
const char *llm_errmsg(const struct llm *l);

/* Per-run totals for the report. */
struct llm_stats {
    int calls, failures;
    long prompt_tokens, completion_tokens;
    double cost;
    int64_t latency_ms;
    int breaker_open;
    /* Added (additive): */
    int attempts;           /* HTTP attempts, retries included */
    int refused;            /* llm_choose calls refused without a request
                             * (budget spent, breaker open) */
    int tokens_estimated;   /* calls whose tokens were bytes/4 estimates */
};
void llm_get_stats(const struct llm *l, struct llm_stats *out);
const char *llm_model(const struct llm *l);

/* Parses a model's answer CONTENT (NUL-terminated) against N_CANDS
 * candidates: one JSON object, optionally inside ``` fences (```json),
 * {"candidate": K | null, "confidence": 0..1, "reason": "..."}.
 * LLM_OK: *index = K-1 in [0, n_cands), *conf clamped to [0, 1] (0.5
 *   when missing or not a number), REASON the model's reason as one
 *   line, capped at 200 bytes ("" when absent).
 * LLM_E_NOPICK: the model answered null; *index = -1, REASON its reason.
 * LLM_E_ANSWER: prose, malformed JSON, text after the object, a missing,
 *   non-numeric, non-integer or out-of-range candidate; *index = -1,
 *   *conf = 0 and REASON says what was wrong.
 * Pure: no I/O, no state. REASON may be NULL when RN is 0. */
llm_code llm_parse_answer(const char *content, size_t n_cands, int *index,
                          double *conf, char *reason, size_t rn)
    UT_MUST_CHECK;

/* One POST of the JSON BODY to URL as given (http:// or https://, the
 * system CA bundle), no key, with a hard deadline of TIMEOUT_MS: the
 * HTTP client of the LLM calls, for other JSON endpoints (webhooks).
 * LLM_OK when a status arrived (in *STATUS, else 0), else why in ERR. */
llm_code llm_post(const char *url, const char *body, size_t len,
                  int timeout_ms, int *status, char *err, size_t errlen);

#endif
