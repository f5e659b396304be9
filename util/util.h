/* util.h -- small shared helpers: bounded dynamic buffers, clocks, strings,
 * files. No I/O beyond the file helpers, no globals, no cJSON.
 * Ownership: a ut_buf owns its memory until ut_buf_take() hands it over;
 * strings returned by ut_strdup()/ut_read_file() are the caller's (free()).
 * Not in this file = not API. */
#ifndef CDPILOT_UTIL_H
#define CDPILOT_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <sys/types.h>

/* On a function whose result must be looked at: an error that is dropped,
 * or memory that is never freed, is a compile-time warning. */
#define UT_MUST_CHECK __attribute__((warn_unused_result))

/* Named caps for ut_buf_init(): every growing buffer has one. */
#define UT_MAX_LINE     (64u * 1024)          /* one report/log line */
#define UT_MAX_TEXT     (4u * 1024 * 1024)    /* page text, prompts */
#define UT_MAX_FILE     (64u * 1024 * 1024)   /* task files, exports */

typedef struct ut_buf {
    char  *p;    /* NUL-terminated while len > 0 or after any add */
    size_t len;  /* bytes used, not counting the NUL */
    size_t cap;  /* bytes allocated */
    size_t max;  /* hard cap on len; adds beyond it fail */
} ut_buf;

void  ut_buf_init(ut_buf *b, size_t max);
/* 0 on success; -1 when the result would exceed max or memory ran out,
 * in which case the buffer is left as it was. */
int   ut_buf_add(ut_buf *b, const void *data, size_t n);
int   ut_buf_adds(ut_buf *b, const char *s);
int   ut_buf_addc(ut_buf *b, char c);
/* S as a JSON string literal: quoted, '"', '\\' and bytes below 0x20
 * escaped, the rest as is. */
int   ut_buf_add_jstr(ut_buf *b, const char *s);
int   ut_buf_addf(ut_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int   ut_buf_vaddf(ut_buf *b, const char *fmt, va_list ap);
void  ut_buf_reset(ut_buf *b);              /* len = 0, keeps memory */
void  ut_buf_free(ut_buf *b);               /* frees, back to empty */
/* Hands the string to the caller (never NULL: "" when empty); the buffer
 * is empty afterwards. */
char *ut_buf_take(ut_buf *b) UT_MUST_CHECK;
const char *ut_buf_str(const ut_buf *b);    /* "" when empty */

/* Clocks. */
int64_t ut_now_us(void);   /* monotonic */
int64_t ut_now_ms(void);   /* monotonic */
/* A descriptor that polls readable when process PID ends (pidfd_open),
 * or -1 where the kernel has none: callers fall back to polling. */
int ut_pidfd_open(int pid);
int64_t ut_wall_ms(void);  /* Unix epoch */
void    ut_sleep_ms(int ms);

/* Retries. ut_backoff_ms: the wait before retry ATTEMPT+1 (ATTEMPT from
 * 0): BASE_MS doubled ATTEMPT times, capped at CAP_MS, with "equal
 * jitter" (half fixed, half drawn from *RNG) so that clients failing
 * together do not retry together. A seed differs per process and SALT;
 * the generator is xorshift64 (not for secrets). */
uint64_t ut_rng_seed(const void *salt);
uint32_t ut_rng_next(uint64_t *state);
int      ut_backoff_ms(int base_ms, int attempt, int cap_ms, uint64_t *rng);

/* Memory. ut_malloc and ut_realloc are malloc and realloc, through which
 * util's buffers and strings allocate; ut_alloc_fail_after(N) makes the
 * Nth of them from now on return NULL, once (0: none), so that a unit
 * test can check what out of memory does (make torture fails every
 * allocation in turn, util's and the rest). */
void  *ut_malloc(size_t n) UT_MUST_CHECK;
void  *ut_realloc(void *p, size_t n) UT_MUST_CHECK;
void   ut_alloc_fail_after(long n);

/* Strings. ut_strdup(NULL) returns NULL; neither aborts when memory runs
 * out: they return NULL. */
char  *ut_strdup(const char *s) UT_MUST_CHECK;
char  *ut_strndup(const char *s, size_t n) UT_MUST_CHECK;
/* Copies at most n-1 bytes and always terminates (n > 0); returns
 * strlen(src) so that truncation shows as a result >= n. */
size_t ut_strlcpy(char *dst, const char *src, size_t n);
int    ut_starts_with(const char *s, const char *prefix);
int    ut_ends_with(const char *s, const char *suffix);
/* Parses a whole decimal integer in [lo, hi]; 0 on success. */
int    ut_parse_long(const char *s, long lo, long hi, long *out)
    UT_MUST_CHECK;
/* snprintf into ERR (may be NULL when ERRLEN is 0) and return RET. */
int    ut_err(char *err, size_t errlen, int ret, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Text positions: 1-based line and column (counting UTF-8 characters)
 * of byte offset POS in S. */
void   ut_line_col(const char *s, size_t len, size_t pos, long *line,
                   long *col);
/* JSON text (parsed elsewhere: this only scans). Offset of the first NUL
 * character in S, a raw 0 byte or a \u0000 escape in a string, or LEN
 * when there is none. cJSON keeps strings as C strings, so either one
 * would silently cut a string short. */
size_t ut_json_nul(const char *s, size_t len);

/* URLs, by RFC 3986 (parsed by uriparser). ut_url_resolve resolves REF
 * against the absolute URL BASE as RFC 3986 section 5.2 says, strictly
 * ("http:g" is absolute), dot segments removed: "../x" against
 * "http://h/a/b" is "http://h/x", "/x" against "http://h/a/" is
 * "http://h/x". Bytes RFC 3986 does not allow in REF (a space, control
 * and non-ASCII bytes, "<>\^`{|}, '[' and ']' outside the host, a '%'
 * not starting %XX, a second '#') are percent-encoded first, as a browser
 * does. On success *OUT is the caller's (free()); on error it is NULL and
 * ERR has a one-line reason. */
int ut_url_resolve(const char *base, const char *ref, char **out,
                   char *err, size_t errlen) UT_MUST_CHECK;
/* 0 when URL is an absolute URL whose scheme is one of SCHEMES (NULL-
 * terminated, any case) and that has a host (a "file" URL may have
 * none); otherwise -1 with a reason quoting URL in ERR. */
int ut_url_check_abs(const char *url, const char *const *schemes,
                     char *err, size_t errlen) UT_MUST_CHECK;

/* Files. ut_read_file reads at most MAX bytes (more is an error: "too
 * large"); the result is NUL-terminated and *len excludes the NUL. On
 * error returns NULL with a one-line reason in ERR. */
char *ut_read_file(const char *path, size_t max, size_t *len,
                   char *err, size_t errlen) UT_MUST_CHECK;
/* Writes atomically (temp file + rename) with MODE; 0 or -1 (errno). */
int   ut_write_file(const char *path, const void *data, size_t n,
                    mode_t mode) UT_MUST_CHECK;
int   ut_mkdir_p(const char *path, mode_t mode) UT_MUST_CHECK;  /* 0 or -1 (errno) */
/* Removes PATH and all under it (a symlink itself, never its target);
 * 0, or -1 (errno) when something stayed. System calls only: safe in a
 * signal handler. */
int   ut_rm_rf(const char *path);
int   ut_is_dir(const char *path);

/* file.c: a file read a block at a time, never whole. ut_file_sha256
 * puts PATH's SHA-256 in HEX (lower case) and its size in *SIZE (may be
 * NULL). ut_file_move renames FROM to TO, or copies it across file
 * systems (into a temp file beside TO, then renamed; FROM removed).
 * ut_file_grep sets *FOUND when PCRE2 REGEX (UTF, any bytes) matches
 * somewhere in PATH, keeping at most MAXKEEP bytes of it in memory (a
 * match longer than that is an error). Each: 0, or -1 with ERR. */
int ut_file_sha256(const char *path, char hex[65], int64_t *size,
                   char *err, size_t errlen) UT_MUST_CHECK;
int ut_file_move(const char *from, const char *to, char *err,
                 size_t errlen) UT_MUST_CHECK;
int ut_file_grep(const char *path, const char *regex, size_t maxkeep,
                 int *found, char *err, size_t errlen) UT_MUST_CHECK;

#endif
