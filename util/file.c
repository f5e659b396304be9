/* file.c -- what a run does with a file it keeps or checks, a block at a
 * time so that a big one is never held in memory: its SHA-256 (OpenSSL's
 * libcrypto, which libwebsockets already brings in), a move that also
 * crosses file systems, and a regex search over its content (PCRE2's
 * multi-segment partial matching). */
#include "util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <openssl/evp.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK (64u * 1024)

/* read() that retries on EINTR: bytes read, 0 at the end, -1 (errno). */
static ssize_t read_some(int fd, void *buf, size_t n)
{
    ssize_t r;

    do
        r = read(fd, buf, n);
    while (r < 0 && errno == EINTR);
    return r;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int ut_file_sha256(const char *path, char hex[65], int64_t *size,
                   char *err, size_t errlen)
{
    unsigned char md[EVP_MAX_MD_SIZE], *buf = NULL;
    unsigned int mdlen = 0, i;
    EVP_MD_CTX *ctx = NULL;
    int64_t total = 0;
    ssize_t r = -1;
    int fd, rc = -1;

    hex[0] = '\0';
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ut_err(err, errlen, -1, "%s: %s", path, strerror(errno));
    buf = malloc(BLOCK);
    ctx = EVP_MD_CTX_new();
    if (!buf || !ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        ut_err(err, errlen, -1, "%s: SHA-256: out of memory", path);
        goto out;
    }
    while ((r = read_some(fd, buf, BLOCK)) > 0) {
        if (EVP_DigestUpdate(ctx, buf, (size_t)r) != 1)
            break;
        total += r;
    }
    if (r != 0) {
        ut_err(err, errlen, -1, "%s: %s", path, r < 0 ? strerror(errno)
               : "SHA-256 failed");
        goto out;
    }
    if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 32) {
        ut_err(err, errlen, -1, "%s: SHA-256 failed", path);
        goto out;
    }
    for (i = 0; i < mdlen; i++) {
        hex[2 * i] = "0123456789abcdef"[md[i] >> 4];
        hex[2 * i + 1] = "0123456789abcdef"[md[i] & 15];
    }
    hex[64] = '\0';
    if (size)
        *size = total;
    rc = 0;
out:
    EVP_MD_CTX_free(ctx);
    free(buf);
    close(fd);
    return rc;
}

/* Copies FROM into a new file beside TO, then renames it over TO. */
static int copy_over(const char *from, const char *to, char *err,
                     size_t errlen)
{
    char tmp[4200], *buf;
    int in, out, rc = -1;
    ssize_t r = 0;

    if ((size_t)snprintf(tmp, sizeof tmp, "%s.part.%ld", to,
                         (long)getpid()) >= sizeof tmp)
        return ut_err(err, errlen, -1, "%s: path too long", to);
    in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return ut_err(err, errlen, -1, "%s: %s", from, strerror(errno));
    out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        ut_err(err, errlen, -1, "%s: %s", to, strerror(errno));
        close(in);
        return -1;
    }
    buf = malloc(BLOCK);
    while (buf && (r = read_some(in, buf, BLOCK)) > 0)
        if (write_all(out, buf, (size_t)r))
            break;
    if (!buf)
        ut_err(err, errlen, -1, "%s: out of memory", to);
    else if (r != 0)
        ut_err(err, errlen, -1, "%s: %s", r < 0 ? from : to,
               strerror(errno));
    else if (close(out) != 0 || (out = -1, rename(tmp, to) != 0))
        ut_err(err, errlen, -1, "%s: %s", to, strerror(errno));
    else
        rc = 0;
    if (out >= 0)
        close(out);
    if (rc)
        unlink(tmp);
    else
        unlink(from);
    free(buf);
    close(in);
    return rc;
}

int ut_file_move(const char *from, const char *to, char *err, size_t errlen)
{
    if (rename(from, to) == 0) {
        (void)chmod(to, 0644);   /* the browser's own mode is 0600 */
        return 0;
    }
    if (errno != EXDEV)
        return ut_err(err, errlen, -1, "%s: %s", to, strerror(errno));
    return copy_over(from, to, err, errlen);
}

/* The search of ut_file_grep: SEG holds the text kept from the blocks
 * before (a partial match, or what a lookbehind may look at) and the new
 * block; BASE is its offset in the file. */
struct grep {
    pcre2_code *re;
    pcre2_match_data *md;
    size_t lookbehind;
    ut_buf seg;
    int64_t base;
};

/* Searches the segment; LAST: no more text follows. 1 found, 0 not
 * (keeping what the next segment needs), -1 with ERR. */
static int grep_seg(struct grep *g, int last, size_t maxkeep, char *err,
                    size_t errlen)
{
    uint32_t opts = (last ? 0 : PCRE2_PARTIAL_HARD) |
                    (g->base > 0 ? PCRE2_NOTBOL : 0);
    size_t keep_from, len = g->seg.len;
    int rc = pcre2_match(g->re, (PCRE2_SPTR)ut_buf_str(&g->seg), len, 0,
                         opts, g->md, NULL);

    if (rc >= 0)
        return 1;
    if (rc != PCRE2_ERROR_NOMATCH && rc != PCRE2_ERROR_PARTIAL) {
        PCRE2_UCHAR msg[200];

        pcre2_get_error_message(rc, msg, sizeof msg);
        return ut_err(err, errlen, -1, "content regex: %s", (char *)msg);
    }
    if (last)
        return 0;
    /* keep the partial match (and what its lookbehind needs), else only
     * what a lookbehind or a multi-byte character may need */
    keep_from = len > g->lookbehind + 4 ? len - g->lookbehind - 4 : 0;
    if (rc == PCRE2_ERROR_PARTIAL) {
        size_t at = pcre2_get_ovector_pointer(g->md)[0];

        keep_from = at > g->lookbehind + 4 ? at - g->lookbehind - 4 : 0;
    }
    if (len - keep_from > maxkeep)
        return ut_err(err, errlen, -1, "content regex: a match would span "
                      "more than %zu bytes (the most a search keeps)",
                      maxkeep);
    memmove(g->seg.p, g->seg.p + keep_from, len - keep_from);
    g->seg.len = len - keep_from;
    g->base += (int64_t)keep_from;
    return 0;
}

int ut_file_grep(const char *path, const char *regex, size_t maxkeep,
                 int *found, char *err, size_t errlen)
{
    struct grep g;
    PCRE2_SIZE off;
    uint32_t lb = 0;
    char block[8192];
    ssize_t r = 0;
    int ec, fd, rc = 0;

    *found = 0;
    memset(&g, 0, sizeof g);
    g.re = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED,
                         PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec, &off,
                         NULL);
    if (!g.re) {
        PCRE2_UCHAR msg[200];

        pcre2_get_error_message(ec, msg, sizeof msg);
        return ut_err(err, errlen, -1, "content regex at offset %zu: %s",
                      (size_t)off, (char *)msg);
    }
    (void)pcre2_pattern_info(g.re, PCRE2_INFO_MAXLOOKBEHIND, &lb);
    g.lookbehind = lb * 4;         /* characters, up to 4 bytes each */
    g.md = pcre2_match_data_create_from_pattern(g.re, NULL);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (!g.md || fd < 0) {
        rc = ut_err(err, errlen, -1, "%s: %s", path,
                    fd < 0 ? strerror(errno) : "out of memory");
        goto out;
    }
    ut_buf_init(&g.seg, maxkeep + sizeof block + 1);
    for (;;) {
        r = read_some(fd, block, sizeof block);
        if (r < 0) {
            rc = ut_err(err, errlen, -1, "%s: %s", path, strerror(errno));
            break;
        }
        if (r > 0 && ut_buf_add(&g.seg, block, (size_t)r)) {
            rc = ut_err(err, errlen, -1, "%s: out of memory", path);
            break;
        }
        /* a segment is searched once it holds a whole block's worth */
        if (r > 0 && g.seg.len < sizeof block)
            continue;
        rc = grep_seg(&g, r == 0, maxkeep, err, errlen);
        if (rc != 0 || r == 0)
            break;
    }
    if (rc == 1) {
        *found = 1;
        rc = 0;
    }
out:
    if (fd >= 0)
        close(fd);
    ut_buf_free(&g.seg);
    pcre2_match_data_free(g.md);
    pcre2_code_free(g.re);
    return rc;
}
