/* util.c -- see util.h. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/syscall.h>

void ut_buf_init(ut_buf *b, size_t max)
{
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

static int buf_grow(ut_buf *b, size_t need)
{
    size_t ncap;
    char *np;

    if (need > b->max)
        return -1;
    if (need + 1 <= b->cap)
        return 0;
    ncap = b->cap ? b->cap : 64;
    while (ncap < need + 1)
        ncap *= 2;
    if (ncap > b->max + 1)
        ncap = b->max + 1;
    np = ut_realloc(b->p, ncap);
    if (!np)
        return -1;
    b->p = np;
    b->cap = ncap;
    return 0;
}

int ut_buf_add(ut_buf *b, const void *data, size_t n)
{
    if (n > b->max - b->len || buf_grow(b, b->len + n))
        return -1;
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

int ut_buf_adds(ut_buf *b, const char *s)
{
    return ut_buf_add(b, s, strlen(s));
}

int ut_buf_addc(ut_buf *b, char c)
{
    return ut_buf_add(b, &c, 1);
}

int ut_buf_add_jstr(ut_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const char *run = s;
    int rc = ut_buf_addc(b, '"');

    for (; rc == 0 && *s; s++) {
        unsigned char c = (unsigned char)*s;
        char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

        if (c != '"' && c != '\\' && c >= 0x20)
            continue;
        rc = ut_buf_add(b, run, (size_t)(s - run));
        if (rc == 0 && c >= 0x20) {
            e[1] = (char)c;
            rc = ut_buf_add(b, e, 2);
        } else if (rc == 0) {
            rc = ut_buf_add(b, e, 6);
        }
        run = s + 1;
    }
    if (rc == 0)
        rc = ut_buf_add(b, run, (size_t)(s - run));
    return rc ? rc : ut_buf_addc(b, '"');
}

int ut_buf_vaddf(ut_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || (size_t)n > b->max - b->len || buf_grow(b, b->len + n))
        return -1;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int ut_buf_addf(ut_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = ut_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void ut_buf_reset(ut_buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

void ut_buf_free(ut_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

char *ut_buf_take(ut_buf *b)
{
    char *s = b->p ? b->p : ut_strdup("");

    b->p = NULL;
    b->len = b->cap = 0;
    return s;
}

const char *ut_buf_str(const ut_buf *b)
{
    return b->p ? b->p : "";
}

int64_t ut_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t ut_now_ms(void)
{
    return ut_now_us() / 1000;
}

int64_t ut_wall_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ut_sleep_ms(int ms)
{
    struct timespec ts;

    if (ms <= 0)
        return;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000;
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

uint64_t ut_rng_seed(const void *salt)
{
    uint64_t s = (uint64_t)ut_now_us() ^ ((uint64_t)getpid() << 32) ^
                 (uint64_t)(uintptr_t)salt;

    return s ? s : 0x9e3779b97f4a7c15ull;
}

uint32_t ut_rng_next(uint64_t *state)
{
    uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ull;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return (uint32_t)(x >> 16);
}

int ut_backoff_ms(int base_ms, int attempt, int cap_ms, uint64_t *rng)
{
    int64_t b = base_ms > 0 ? base_ms : 0;
    int i;

    if (cap_ms < 0)
        cap_ms = 0;
    for (i = 0; i < attempt && b < cap_ms; i++)
        b *= 2;
    if (b > cap_ms)
        b = cap_ms;
    return (int)(b / 2 + (int64_t)(ut_rng_next(rng) % (uint32_t)(b / 2 + 1)));
}

/* The allocator of util's own allocations (buffers, strings), with a
 * countdown for tests: ut_alloc_fail_after(N) fails the Nth one from now,
 * once. Not for threads: tests set it around single-threaded calls. */
static long fail_countdown;

void ut_alloc_fail_after(long n)
{
    fail_countdown = n > 0 ? n : 0;
}

static int fail_now(void)
{
    return fail_countdown > 0 && --fail_countdown == 0;
}

void *ut_malloc(size_t n)
{
    return fail_now() ? NULL : malloc(n);
}

void *ut_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : realloc(p, n);
}

char *ut_strdup(const char *s)
{
    return s ? ut_strndup(s, strlen(s)) : NULL;
}

char *ut_strndup(const char *s, size_t n)
{
    char *d;
    size_t len = 0;

    if (!s)
        return NULL;
    while (len < n && s[len])
        len++;
    d = ut_malloc(len + 1);
    if (!d)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

size_t ut_strlcpy(char *dst, const char *src, size_t n)
{
    size_t len = strlen(src);

    if (n) {
        size_t c = len < n - 1 ? len : n - 1;
        memcpy(dst, src, c);
        dst[c] = '\0';
    }
    return len;
}

int ut_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int ut_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);

    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

int ut_parse_long(const char *s, long lo, long hi, long *out)
{
    long v = 0;
    int neg = 0, digits = 0;

    if (!s)
        return -1;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    for (; *s >= '0' && *s <= '9'; s++, digits++) {
        if (v > (hi > -lo ? hi : -lo) / 10)
            return -1;
        v = v * 10 + (*s - '0');
    }
    if (!digits || *s)
        return -1;
    if (neg)
        v = -v;
    if (v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int ut_err(char *err, size_t errlen, int ret, const char *fmt, ...)
{
    va_list ap;

    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return ret;
}

void ut_line_col(const char *s, size_t len, size_t pos, long *line,
                 long *col)
{
    size_t i;

    *line = 1;
    *col = 1;
    for (i = 0; i < pos && i < len; i++) {
        if (s[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

size_t ut_json_nul(const char *s, size_t len)
{
    size_t i;
    int in_str = 0;

    for (i = 0; i < len; i++) {
        if (s[i] == '\0')
            return i;
        if (!in_str) {
            in_str = s[i] == '"';
        } else if (s[i] == '"') {
            in_str = 0;
        } else if (s[i] == '\\') {
            if (len - i > 5 && s[i + 1] == 'u' && s[i + 2] == '0' &&
                s[i + 3] == '0' && s[i + 4] == '0' && s[i + 5] == '0')
                return i;
            if (i + 1 < len && s[i + 1] == '\0')
                return i + 1;
            i++;                  /* the escaped character, "\\" too */
        }
    }
    return len;
}

char *ut_read_file(const char *path, size_t max, size_t *len,
                   char *err, size_t errlen)
{
    ut_buf b;
    char chunk[65536];
    FILE *f;
    size_t n;
    struct stat st;

    f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        ut_err(err, errlen, 0, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        if (f != stdin)
            fclose(f);
        ut_err(err, errlen, 0, "%s: is a directory", path);
        return NULL;
    }
    ut_buf_init(&b, max);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (ut_buf_add(&b, chunk, n)) {
            ut_err(err, errlen, 0, "%s: too large (limit %zu bytes)",
                   path, max);
            ut_buf_free(&b);
            if (f != stdin)
                fclose(f);
            return NULL;
        }
    }
    if (ferror(f)) {
        ut_err(err, errlen, 0, "%s: read error: %s", path, strerror(errno));
        ut_buf_free(&b);
        if (f != stdin)
            fclose(f);
        return NULL;
    }
    if (f != stdin)
        fclose(f);
    if (len)
        *len = b.len;
    return ut_buf_take(&b);
}

int ut_write_file(const char *path, const void *data, size_t n, mode_t mode)
{
    char tmp[4096];
    int fd, saved;
    const char *p = data;

    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path,
                         (long)getpid()) >= sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return -1;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            goto fail;
        }
        p += w;
        n -= (size_t)w;
    }
    if (fsync(fd) != 0 && errno != EINVAL)
        goto fail;
    if (close(fd) != 0) {
        fd = -1;
        goto fail;
    }
    if (rename(tmp, path) != 0) {
        fd = -1;
        goto fail;
    }
    return 0;
fail:
    saved = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    errno = saved;
    return -1;
}

int ut_mkdir_p(const char *path, mode_t mode)
{
    char tmp[4096];
    size_t len = ut_strlcpy(tmp, path, sizeof tmp);
    char *p;

    if (len >= sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, mode) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    if (mkdir(tmp, mode) != 0 && errno != EEXIST)
        return -1;
    return ut_is_dir(tmp) ? 0 : (errno = ENOTDIR, -1);
}

int ut_is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* getdents64's record: <dirent.h>'s readdir() may allocate, and
 * ut_rm_rf must be safe in a signal handler. */
struct ut_dirent64 {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

#define RM_MAX_DEPTH 64

/* Empties the directory open as FD (closed here) as far as it can:
 * system calls only. What stays makes the caller's rmdir fail. */
static void rm_inside(int fd, int depth)
{
    char buf[1024] __attribute__((aligned(8)));
    const struct ut_dirent64 *d;
    struct stat st;
    long n, off;
    int sub, isdir;

    while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        for (off = 0; off < n; off += d->d_reclen) {
            d = (const struct ut_dirent64 *)(void *)(buf + off);
            if (d->d_name[0] == '.' && (d->d_name[1] == '\0' ||
                (d->d_name[1] == '.' && d->d_name[2] == '\0')))
                continue;
            isdir = d->d_type == DT_DIR;
            if (d->d_type == DT_UNKNOWN)
                isdir = fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0
                        && S_ISDIR(st.st_mode);
            if (!isdir) {
                unlinkat(fd, d->d_name, 0);
                continue;
            }
            sub = depth < RM_MAX_DEPTH ? openat(fd, d->d_name, O_RDONLY |
                      O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
            if (sub >= 0)
                rm_inside(sub, depth + 1);
            unlinkat(fd, d->d_name, AT_REMOVEDIR);
        }
    }
    close(fd);
}

int ut_rm_rf(const char *path)
{
    int fd;

    if (unlink(path) == 0 || errno == ENOENT)
        return 0;
    if (errno != EISDIR && errno != EPERM)
        return -1;
    fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    rm_inside(fd, 0);
    return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
}

int ut_pidfd_open(int pid)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    return -1;
#endif
}
