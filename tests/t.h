/* t.h -- the unit-test harness: CHECK macros that count, and a closing
 * line "N passed, N failed" that tests/run.sh adds up. Header-only; one
 * test program per file, main() calls the test functions then T_DONE(). */
#ifndef CDPILOT_T_H
#define CDPILOT_T_H

#include <stdio.h>
#include <string.h>

static int t_pass_, t_fail_;

#define CHECK(cond) do { \
    if (cond) t_pass_++; \
    else { t_fail_++; fprintf(stderr, "FAIL %s:%d: %s\n", \
                              __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_MSG(cond, ...) do { \
    if (cond) t_pass_++; \
    else { t_fail_++; fprintf(stderr, "FAIL %s:%d: %s: ", \
                              __FILE__, __LINE__, #cond); \
           fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } \
} while (0)

#define CHECK_INT(a, b) do { \
    long long a_ = (long long)(a), b_ = (long long)(b); \
    CHECK_MSG(a_ == b_, "%lld != %lld", a_, b_); \
} while (0)

#define CHECK_STR(a, b) do { \
    const char *a_ = (a), *b_ = (b); \
    CHECK_MSG(a_ && b_ && strcmp(a_, b_) == 0, "\"%s\" != \"%s\"", \
              a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
} while (0)

#define CHECK_CONTAINS(hay, needle) do { \
    const char *h_ = (hay), *n_ = (needle); \
    CHECK_MSG(h_ && n_ && strstr(h_, n_), "\"%s\" lacks \"%s\"", \
              h_ ? h_ : "(null)", n_ ? n_ : "(null)"); \
} while (0)

#define T_DONE() (printf("%d passed, %d failed\n", t_pass_, t_fail_), \
                  t_fail_ ? 1 : 0)

#endif
