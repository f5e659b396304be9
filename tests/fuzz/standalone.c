/* standalone.c -- a main() for the fuzz harnesses without libFuzzer, so
 * corpus and regression inputs can be replayed with gcc (ASan + UBSan)
 * on machines without clang. Usage: PROG FILE...  Each file is read
 * whole and handed to LLVMFuzzerTestOneInput once; a sanitizer report
 * aborts the process, which is the failure the caller sees.
 * Exit status: 0 when every file was read and run, 2 on a read error. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

#define STANDALONE_MAX_INPUT (16u * 1024 * 1024)

/* Reads PATH into a malloc'ed buffer of exactly *LEN bytes (no NUL added:
 * harnesses must not rely on one). NULL on error, reported on stderr. */
static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *p = NULL, *q;
    size_t n = 0, cap = 0, got;

    if (!f) {
        perror(path);
        return NULL;
    }
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            if (cap > STANDALONE_MAX_INPUT) {
                fprintf(stderr, "%s: larger than %u bytes\n", path,
                        STANDALONE_MAX_INPUT);
                goto fail;
            }
            q = realloc(p, cap);
            if (!q)
                goto fail;
            p = q;
        }
        got = fread(p + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        perror(path);
        goto fail;
    }
    fclose(f);
    /* An exact-size copy, so ASan sees reads past the end. */
    q = malloc(n ? n : 1);
    if (!q)
        goto fail2;
    memcpy(q, p, n);
    free(p);
    *len = n;
    return q;
fail:
    fclose(f);
fail2:
    free(p);
    return NULL;
}

int main(int argc, char **argv)
{
    int i, rc = 0;

    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (i = 1; i < argc; i++) {
        size_t len = 0;
        uint8_t *d = slurp(argv[i], &len);

        if (!d) {
            rc = 2;
            continue;
        }
        LLVMFuzzerTestOneInput(d, len);
        free(d);
    }
    return rc;
}
