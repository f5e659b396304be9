/* test_util_jstr.c -- ut_buf_add_jstr: a string as a JSON string literal
 * (how a cached fingerprint reaches the page script), and a buffer cap
 * that stops it. */
#include "../t.h"
#include "../../util/util.h"

#include <string.h>

static void jstr_is(const char *in, const char *want)
{
    ut_buf b;

    ut_buf_init(&b, 1024);
    CHECK_INT(ut_buf_add_jstr(&b, in), 0);
    CHECK_STR(ut_buf_str(&b), want);
    ut_buf_free(&b);
}

int main(void)
{
    ut_buf b;

    jstr_is("", "\"\"");
    jstr_is("plain", "\"plain\"");
    jstr_is("{\"tag\":\"a\"}", "\"{\\\"tag\\\":\\\"a\\\"}\"");
    jstr_is("back\\slash", "\"back\\\\slash\"");
    jstr_is("tab\tnl\n\x01", "\"tab\\u0009nl\\u000a\\u0001\"");
    jstr_is("caf\xc3\xa9 </script>", "\"caf\xc3\xa9 </script>\"");
    /* a closing quote that would not fit is an error, not a cut string */
    ut_buf_init(&b, 8);
    CHECK(ut_buf_add_jstr(&b, "0123456789") != 0);
    ut_buf_free(&b);
    return T_DONE();
}
