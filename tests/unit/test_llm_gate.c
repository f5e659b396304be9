/* test_llm_gate.c -- budgets kept outside the handle (a smoke suite's):
 * the gate is asked before each call and a refusal is LLM_E_BUDGET with
 * its reason and no request; spent is told each sent call's tokens and
 * cost; the per-run cost cap (max_cost). Against tests/fake_llm.py. */
#include "test_llm_fake.h"

struct ledger { int allowed, asked, told; long tokens; double cost; };

static int gate(void *ud, char *why, size_t n)
{
    struct ledger *g = ud;

    if (g->asked++ < g->allowed)
        return 0;
    snprintf(why, n, "LLM budget spent: suite t used %d calls", g->allowed);
    return 1;
}

static void spent(void *ud, long tokens, double cost)
{
    struct ledger *g = ud;

    g->told++;
    g->tokens += tokens;
    g->cost += cost;
}

static void test_gate(void)
{
    struct fake f;
    struct llm_config c;
    struct llm_query q = query3();
    struct llm_answer a;
    struct llm_stats st;
    struct ledger g = { 2, 0, 0, 0, 0 };
    struct llm *l;
    char err[256];
    int k;

    if (fake_start(&f, "[{\"candidate\": 1}]")) {
        CHECK(0);
        fake_stop(&f);
        return;
    }
    c = base_cfg(f.url);
    c.max_calls = -1;
    c.price_prompt = 1.0;
    c.price_completion = 2.0;
    c.gate = gate;
    c.spent = spent;
    c.budget_ud = &g;
    l = llm_new(&c, err, sizeof(err));
    for (k = 0; k < 2; k++) {
        CHECK_INT(llm_choose(l, &q, &a), LLM_OK);
        llm_answer_clear(&a);
    }
    CHECK_INT(llm_choose(l, &q, &a), LLM_E_BUDGET);
    CHECK_CONTAINS(llm_errmsg(l), "LLM budget spent: suite t used 2 calls");
    note(l, &a);
    llm_answer_clear(&a);
    CHECK_INT(fake_requests(&f), 2);
    CHECK_INT(g.asked, 3);
    CHECK_INT(g.told, 2);
    llm_get_stats(l, &st);
    CHECK_INT(st.refused, 1);
    CHECK(g.tokens > 0 && g.tokens == st.prompt_tokens + st.completion_tokens);
    CHECK(g.cost > 0 && g.cost > st.cost - 1e-9 && g.cost < st.cost + 1e-9);
    llm_free(l);

    /* the run's own cost cap: the first call spends it */
    c.gate = NULL;
    c.spent = NULL;
    c.max_cost = 1e-6;
    l = llm_new(&c, err, sizeof(err));
    CHECK_INT(llm_choose(l, &q, &a), LLM_OK);
    llm_answer_clear(&a);
    CHECK_INT(llm_choose(l, &q, &a), LLM_E_BUDGET);
    CHECK_CONTAINS(llm_errmsg(l), "LLM cost budget spent");
    note(l, &a);
    llm_answer_clear(&a);
    CHECK_INT(fake_requests(&f), 3);
    llm_free(l);
    fake_stop(&f);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    ut_buf_init(&g_msgs, UT_MAX_TEXT);
    RUN(test_gate);
    check_no_key();
    ut_buf_free(&g_msgs);
    return T_DONE();
}
