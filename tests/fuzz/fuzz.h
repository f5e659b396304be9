/* fuzz.h -- helpers shared by the fuzz harnesses (tests/fuzz/fuzz_*.c).
 * Each harness defines LLVMFuzzerTestOneInput and is built either with
 * clang -fsanitize=fuzzer (scripts/fuzz) or with standalone.c
 * (tests/integ/test_fuzz_regress.sh). Besides sanitizer reports, a
 * harness aborts through FUZZ_CHECK when an API breaks its documented
 * contract (an error message that is not one line, an index out of
 * range, ...): that is a finding too. */
#ifndef CDPILOT_FUZZ_H
#define CDPILOT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond)                                                  \
    do {                                                                  \
        if (!(cond)) {                                                    \
            fprintf(stderr, "%s:%d: contract broken: %s\n", __FILE__,     \
                    __LINE__, #cond);                                     \
            abort();                                                      \
        }                                                                 \
    } while (0)

/* A NUL-terminated copy of DATA (caller frees); aborts on no memory,
 * which libFuzzer's -rss_limit_mb would report anyway. */
static inline char *fuzz_strdup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* ERR (ERRLEN bytes) is terminated inside the buffer and holds one line:
 * no byte below 0x20 and no DEL. */
static inline int fuzz_one_line(const char *err, size_t errlen)
{
    const char *e = memchr(err, '\0', errlen);
    const char *p;

    if (!e)
        return 0;
    for (p = err; p < e; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            return 0;
    return 1;
}

/* The harness's data size cap: bigger inputs are ignored so the fuzzer
 * does not spend its time in memcpy. */
#define FUZZ_MAX_INPUT (1u << 20)

#endif
