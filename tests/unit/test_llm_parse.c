/* test_llm_parse.c -- llm_parse_answer() on a table of model answers:
 * what is accepted, what is rejected and why. Pure: no network. */
#include "../t.h"
#include "../../llm/llm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct row {
    const char *content;
    size_t n;            /* candidates offered */
    llm_code rc;
    int index;           /* expected 0-based index (-1 when none) */
    double conf;         /* expected confidence (checked when rc OK) */
    const char *reason;  /* substring expected in REASON, or NULL */
};

static const struct row ROWS[] = {
    /* accepted */
    { "{\"candidate\": 2, \"confidence\": 0.9, \"reason\": \"blue mug\"}",
      3, LLM_OK, 1, 0.9, "blue mug" },
    { "  \n{\"candidate\":1,\"confidence\":1,\"reason\":\"x\"}\n  ", 3,
      LLM_OK, 0, 1.0, "x" },
    { "```json\n{\"candidate\": 3, \"confidence\": 0.4}\n```", 3, LLM_OK,
      2, 0.4, NULL },
    { "```\n{\"candidate\": 1, \"confidence\": 0.7}\n```\n", 3, LLM_OK, 0,
      0.7, NULL },
    { "```JSON {\"candidate\": 1} ```", 2, LLM_OK, 0, 0.5, NULL },
    { "{\"candidate\": 2}", 2, LLM_OK, 1, 0.5, "" },          /* defaults */
    { "{\"candidate\": 2, \"confidence\": 7}", 2, LLM_OK, 1, 1.0, NULL },
    { "{\"candidate\": 2, \"confidence\": -3}", 2, LLM_OK, 1, 0.0, NULL },
    { "{\"candidate\": 2, \"confidence\": \"high\"}", 2, LLM_OK, 1, 0.5,
      NULL },
    { "{\"candidate\": 2.0, \"confidence\": 0.6}", 2, LLM_OK, 1, 0.6,
      NULL },
    { "{\"reason\": \"line\\nbreak\", \"candidate\": 1}", 1, LLM_OK, 0, 0.5,
      "line break" },
    { "{\"candidate\": 20}", 20, LLM_OK, 19, 0.5, NULL },
    /* none fits */
    { "{\"candidate\": null, \"confidence\": 0.2, \"reason\": \"no match\"}",
      3, LLM_E_NOPICK, -1, 0.2, "no match" },
    { "```json\n{\"candidate\": null}\n```", 3, LLM_E_NOPICK, -1, 0.5,
      NULL },
    /* rejected */
    { "{\"candidate\": 4, \"confidence\": 0.9}", 3, LLM_E_ANSWER, -1, 0,
      "out of range 1..3" },
    { "{\"candidate\": 0}", 3, LLM_E_ANSWER, -1, 0, "out of range" },
    { "{\"candidate\": -1}", 3, LLM_E_ANSWER, -1, 0, "out of range" },
    { "{\"candidate\": 1e300}", 3, LLM_E_ANSWER, -1, 0, "out of range" },
    { "{\"candidate\": 1.5}", 3, LLM_E_ANSWER, -1, 0, "not an integer" },
    { "{\"candidate\": \"2\"}", 3, LLM_E_ANSWER, -1, 0, "not a number" },
    { "{\"candidate\": true}", 3, LLM_E_ANSWER, -1, 0, "not a number" },
    { "{\"candidate\": [2]}", 3, LLM_E_ANSWER, -1, 0, "not a number" },
    { "{\"confidence\": 0.9}", 3, LLM_E_ANSWER, -1, 0, "no \"candidate\"" },
    { "The answer is candidate 2.", 3, LLM_E_ANSWER, -1, 0,
      "not a JSON object" },
    { "Sure! {\"candidate\": 2}", 3, LLM_E_ANSWER, -1, 0,
      "not a JSON object" },
    { "{\"candidate\": 2} I picked the blue one", 3, LLM_E_ANSWER, -1, 0,
      "text after" },
    { "{\"candidate\": 2,", 3, LLM_E_ANSWER, -1, 0, "malformed JSON" },
    { "{candidate: 2}", 3, LLM_E_ANSWER, -1, 0, "malformed JSON" },
    { "[2]", 3, LLM_E_ANSWER, -1, 0, "not a JSON object" },
    { "2", 3, LLM_E_ANSWER, -1, 0, "not a JSON object" },
    { "", 3, LLM_E_ANSWER, -1, 0, "empty answer" },
    { "   \n ", 3, LLM_E_ANSWER, -1, 0, "empty answer" },
    { "``````", 3, LLM_E_ANSWER, -1, 0, "empty answer" },
    { "{\"candidate\": 1}", 0, LLM_E_ANSWER, -1, 0, "out of range 1..0" },
};

static void test_table(void)
{
    size_t i;

    for (i = 0; i < sizeof(ROWS) / sizeof(ROWS[0]); i++) {
        const struct row *r = &ROWS[i];
        char reason[256];
        int idx = 12345;
        double conf = -9;
        llm_code rc;

        memset(reason, 'Z', sizeof(reason));
        rc = llm_parse_answer(r->content, r->n, &idx, &conf, reason,
                              sizeof(reason));
        CHECK_MSG(rc == r->rc, "row %zu (%s): rc %d, want %d (%s)", i,
                  r->content, rc, r->rc, reason);
        CHECK_MSG(idx == r->index, "row %zu: index %d, want %d", i, idx,
                  r->index);
        CHECK_MSG(memchr(reason, '\0', sizeof(reason)) != NULL,
                  "row %zu: reason not terminated", i);
        if (rc == LLM_OK || rc == LLM_E_NOPICK)
            CHECK_MSG(fabs(conf - r->conf) < 1e-9, "row %zu: conf %g", i,
                      conf);
        else
            CHECK_MSG(conf == 0, "row %zu: conf %g on error", i, conf);
        if (r->reason)
            CHECK_MSG(strstr(reason, r->reason) != NULL,
                      "row %zu: reason \"%s\" lacks \"%s\"", i, reason,
                      r->reason);
    }
}

static void test_edges(void)
{
    char reason[16], big[1024];
    int idx;
    double conf;

    /* NULL content and a zero-sized reason buffer are fine. */
    CHECK_INT(llm_parse_answer(NULL, 3, &idx, &conf, NULL, 0),
              LLM_E_ANSWER);
    CHECK_INT(idx, -1);
    CHECK_INT(llm_parse_answer("{\"candidate\": 1}", 3, &idx, &conf, NULL,
                               0), LLM_OK);
    CHECK_INT(idx, 0);
    /* A long reason is cut to the buffer and stays one line. */
    snprintf(big, sizeof(big), "{\"candidate\": 1, \"reason\": \"%s\"}",
             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    CHECK_INT(llm_parse_answer(big, 1, &idx, &conf, reason, sizeof(reason)),
              LLM_OK);
    CHECK(strlen(reason) < sizeof(reason));
    CHECK(strstr(reason, "...") != NULL);
    /* The reason is capped at 200 bytes even with a big buffer. */
    {
        char bs[701];

        memset(bs, 'b', 700);
        bs[700] = '\0';
        snprintf(big, sizeof(big), "{\"candidate\": 1, \"reason\": "
                 "\"%s\"}", bs);
    }
    {
        char r2[512];

        CHECK_INT(llm_parse_answer(big, 1, &idx, &conf, r2, sizeof(r2)),
                  LLM_OK);
        CHECK(strlen(r2) <= 200);
    }
    /* Multi-byte UTF-8 is never split. */
    CHECK_INT(llm_parse_answer("{\"candidate\": 1, \"reason\": "
                               "\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                               "\xc3\xa9\xc3\xa9\xc3\xa9\"}", 1, &idx,
                               &conf, reason, 9), LLM_OK);
    CHECK_STR(reason, "\xc3\xa9\xc3\xa9...");
    CHECK_STR(llm_strerror(LLM_E_NOPICK), "LLM found no fitting candidate");
    CHECK(llm_strerror((llm_code)99) != NULL);
}

/* Deterministic junk: nothing may crash and the index stays in range. */
static void test_fuzz(void)
{
    static const char alphabet[] = "{}[]\":,0123456789.-+e nulltruefalse"
                                   "candidateconfidencereason`\\\n";
    char s[64], reason[64];
    unsigned x = 12345;
    int i, j, idx, bad = 0;
    double conf;
    llm_code rc;

    for (i = 0; i < 20000; i++) {
        int len = (int)(x % 60);

        for (j = 0; j < len; j++) {
            x = x * 1103515245u + 12345u;
            s[j] = alphabet[(x >> 16) % (sizeof(alphabet) - 1)];
        }
        s[len] = '\0';
        rc = llm_parse_answer(s, 3, &idx, &conf, reason, sizeof(reason));
        if ((rc == LLM_OK && (idx < 0 || idx > 2)) ||
            (rc != LLM_OK && idx != -1) || conf < 0 || conf > 1 ||
            (rc != LLM_OK && rc != LLM_E_ANSWER && rc != LLM_E_NOPICK))
            bad++;
        x = x * 1103515245u + 12345u;
    }
    CHECK_INT(bad, 0);
}

int main(void)
{
    test_table();
    test_edges();
    test_fuzz();
    return T_DONE();
}
