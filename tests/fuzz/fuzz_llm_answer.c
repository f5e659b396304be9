/* fuzz_llm_answer.c -- the model's answer: llm_parse_answer. The first
 * input byte gives the number of candidates offered (0..63), the rest is
 * the answer text, cut at the first NUL as a C string would be.
 * Contract checked (llm/llm.h): LLM_OK -> index in [0, n), confidence in
 * [0,1], reason one line of at most 200 bytes; LLM_E_NOPICK -> index -1;
 * LLM_E_ANSWER -> index -1, confidence 0; nothing else is returned. */
#include "fuzz.h"
#include "../../llm/llm.h"

#include <math.h>

#define REASON_CAP 200

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char reason[512];
    size_t n;
    char *text;
    double conf = -7;
    int idx = 12345;
    llm_code rc;

    if (size < 1 || size > FUZZ_MAX_INPUT)
        return 0;
    n = data[0] & 63;
    text = fuzz_strdup(data + 1, size - 1);
    memset(reason, 'x', sizeof reason);
    rc = llm_parse_answer(text, n, &idx, &conf, reason, sizeof reason);
    FUZZ_CHECK(rc == LLM_OK || rc == LLM_E_NOPICK || rc == LLM_E_ANSWER);
    FUZZ_CHECK(memchr(reason, '\0', sizeof reason) != NULL);
    if (rc == LLM_OK) {
        FUZZ_CHECK(idx >= 0 && (size_t)idx < n);
        FUZZ_CHECK(isfinite(conf) && conf >= 0.0 && conf <= 1.0);
        FUZZ_CHECK(strlen(reason) <= REASON_CAP);
        FUZZ_CHECK(fuzz_one_line(reason, sizeof reason));
    } else if (rc == LLM_E_NOPICK) {
        FUZZ_CHECK(idx == -1);
        FUZZ_CHECK(fuzz_one_line(reason, sizeof reason));
    } else {
        FUZZ_CHECK(idx == -1 && conf == 0.0);
        FUZZ_CHECK(reason[0] != '\0');
    }
    /* RN 0 with REASON NULL is allowed and must agree. */
    {
        int idx2 = 54321;
        double conf2 = -7;

        FUZZ_CHECK(llm_parse_answer(text, n, &idx2, &conf2, NULL, 0) == rc);
        FUZZ_CHECK(idx2 == idx);
    }
    free(text);
    return 0;
}
