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
};

/* Fills C from CDPILOT_LLM_URL / _MODEL / _API_KEY where those are set
 * (over what C already holds). Returns 1 when url and model are set. */
int llm_config_from_env(struct llm_config *c);

struct llm *llm_new(const struct llm_config *cfg, char *err, size_t errlen);
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
};
void llm_answer_clear(struct llm_answer *a);

/* Asks the model to pick one of Q->cands. LLM_OK: a->index in [0, n).
 * Any other code: a->index is -1 and llm_errmsg() says why, one line. */
llm_code llm_choose(struct llm *l, const struct llm_query *q,
                    struct llm_answer *a);
const char *llm_errmsg(const struct llm *l);

/* Per-run totals for the report. */
struct llm_stats {
    int calls, failures;
    long prompt_tokens, completion_tokens;
    double cost;
    int64_t latency_ms;
    int breaker_open;
};
void llm_get_stats(const struct llm *l, struct llm_stats *out);
const char *llm_model(const struct llm *l);

#endif
