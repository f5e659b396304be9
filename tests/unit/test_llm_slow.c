/* test_llm_slow.c -- the per-attempt timeout is the configured one, not
 * one of libwebsockets' own: a provider that takes 8 s (real models take
 * 5-30 s) is waited for and its answer used, and one that never answers
 * is reported as a timeout (LLM_E_TIMEOUT, a message that says so) at
 * the configured time -- past lws's default stage timeouts, before the
 * 30 s default. Against tests/fake_llm.py on 127.0.0.1. Slow on
 * purpose (about 17 s). */
#include "test_llm_fake.h"

/* Answers after 8 s; a 20 s timeout must wait for it, in one attempt. */
static void test_slow_answer(void)
{
    struct llm_config c = base_cfg(NULL);
    struct llm_answer a;
    int reqs;

    c.timeout_ms = 20000;
    c.retries = 2;                /* a cut attempt would show as retries */
    CHECK_INT(one_call("[{\"delay_ms\": 8000, \"candidate\": 2}]", &c, &a,
                       &reqs), LLM_OK);
    CHECK_INT(a.index, 1);
    CHECK_INT(a.attempts, 1);
    CHECK_INT(reqs, 1);
    CHECK_MSG(a.latency_ms >= 7990 && a.latency_ms < 8000 + 4000,
              "answer accepted at %lld ms", (long long)a.latency_ms);
    printf("# 8 s answer accepted at %lld ms (timeout 20000 ms)\n",
           (long long)a.latency_ms);
    llm_answer_clear(&a);
}

/* Never answers: a timeout at the configured 7 s (past lws's 5 s), not
 * a closed connection and not later. */
static void test_never_answers(void)
{
    struct llm_config c = base_cfg(NULL);
    struct llm_answer a;
    int reqs;

    c.timeout_ms = 7000;
    CHECK_INT(one_call("[{\"hang\": true}]", &c, &a, &reqs), LLM_E_TIMEOUT);
    CHECK_INT(a.attempts, 1);
    CHECK_INT(reqs, 1);
    CHECK_MSG(a.latency_ms >= 6990 && a.latency_ms < 7000 + 2000,
              "timed out at %lld ms", (long long)a.latency_ms);
    CHECK_CONTAINS(g_msgs.p, "timed out after 7000 ms");
    CHECK(strstr(g_msgs.p, "connection closed") == NULL);
    printf("# never-answering provider: timeout reported at %lld ms "
           "(configured 7000 ms)\n", (long long)a.latency_ms);
    llm_answer_clear(&a);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    ut_buf_init(&g_msgs, 1u << 20);
    RUN(test_slow_answer);
    RUN(test_never_answers);
    CHECK_MSG(strstr(g_msgs.p, KEY) == NULL, "the API key leaked");
    ut_buf_free(&g_msgs);
    return T_DONE();
}
