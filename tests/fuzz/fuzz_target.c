/* fuzz_target.c -- target strings: sel_target_parse ("css=…",
 * "role=button[name=\"…\"]", plain words). The input is cut at the first
 * NUL, as a C string would be. Contract checked: a parsed target has its
 * strategy's fields; an error leaves a terminated, non-empty message.
 * (Not checked: that the message is one line -- target.c quotes the
 * input verbatim, newlines included; see docs/FUZZING.md.) */
#include "fuzz.h"
#include "../../selectors/sel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sel_target t;
    char err[512];
    char *s;

    if (size > FUZZ_MAX_INPUT)
        return 0;
    s = fuzz_strdup(data, size);
    memset(err, 'x', sizeof err);
    if (sel_target_parse(s, &t, err, sizeof err) == 0) {
        FUZZ_CHECK((int)t.strategy >= 0 && t.strategy <= SEL_INTENT);
        FUZZ_CHECK(strcmp(sel_strategy_name(t.strategy), "?") != 0);
        if (t.strategy == SEL_ROLE) {
            FUZZ_CHECK(t.role && *t.role);
            FUZZ_CHECK(t.exact == 0 || t.exact == 1);
        } else {
            FUZZ_CHECK(t.value && *t.value);
            FUZZ_CHECK(strstr(s, t.value) != NULL);
        }
        sel_target_clear(&t);
        FUZZ_CHECK(!t.value && !t.role && !t.name);
    } else {
        FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
        FUZZ_CHECK(err[0] != '\0');
        FUZZ_CHECK(!t.value && !t.role && !t.name);
    }
    free(s);
    return 0;
}
