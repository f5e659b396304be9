/* test_util_retry.c -- ut_backoff_ms: capped exponential backoff with
 * equal jitter, the one rule every retry of a run follows. */
#include "../t.h"
#include "../../util/util.h"

static void test_bounds(void)
{
    int a = 0, i;
    uint64_t rng = ut_rng_seed(&a);

    for (a = 0; a < 12; a++) {
        long b = 200L << a;
        int lo = 1 << 30, hi = 0;
        if (b > 10000)
            b = 10000;
        for (i = 0; i < 400; i++) {
            int w = ut_backoff_ms(200, a, 10000, &rng);
            lo = w < lo ? w : lo;
            hi = w > hi ? w : hi;
        }
        /* equal jitter: between half and all of the capped backoff */
        CHECK_MSG(lo >= b / 2 && hi <= b, "attempt %d: %d..%d, want %ld..%ld",
                  a, lo, hi, b / 2, b);
        /* and it does vary: clients failing together spread out */
        CHECK_MSG(hi - lo >= b / 4, "attempt %d: spread %d..%d", a, lo, hi);
    }
}

static void test_edges(void)
{
    uint64_t rng = 0;              /* a zero state still advances */
    uint32_t x = ut_rng_next(&rng), y = ut_rng_next(&rng);

    CHECK(x != y);
    CHECK_INT(ut_backoff_ms(0, 5, 10000, &rng), 0);
    CHECK_INT(ut_backoff_ms(-5, 0, 10000, &rng), 0);
    CHECK(ut_backoff_ms(100, 1000, 10000, &rng) <= 10000);  /* no overflow */
    CHECK(ut_backoff_ms(100, 1000, 10000, &rng) >= 5000);
    CHECK(ut_backoff_ms(60000, 0, 60000, &rng) >= 30000);
    CHECK(ut_backoff_ms(100, 3, -1, &rng) == 0);
    CHECK(ut_rng_seed(&x) != 0);
}

int main(void)
{
    test_bounds();
    test_edges();
    return T_DONE();
}
