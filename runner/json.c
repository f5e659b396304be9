/* json.c -- the strict JSON front end of task and profile files: cJSON
 * parses, this rejects what cJSON would take silently or report vaguely
 * (NUL bytes, invalid UTF-8, deep nesting, trailing garbage, a top level
 * that is not an object) and turns every error into "FILE:LINE:COL: what"
 * with the text around it. */
#include "run_int.h"

#include <cJSON.h>

#include <stdio.h>
#include <string.h>

static int pos_err(const char *file, const char *buf, size_t len,
                   size_t pos, char *err, size_t errlen, const char *what)
{
    long line, col;

    ut_line_col(buf, len, pos, &line, &col);
    return ut_err(err, errlen, -1, "%s:%ld:%ld: %s", file, line, col, what);
}

/* Offset of the first invalid UTF-8 sequence, or LEN when valid. */
static size_t utf8_bad(const unsigned char *s, size_t len)
{
    size_t i = 0, n, k;
    unsigned cp;

    while (i < len) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        if (s[i] >= 0xC2 && s[i] <= 0xDF) {
            n = 1; cp = s[i] & 0x1F;
        } else if (s[i] >= 0xE0 && s[i] <= 0xEF) {
            n = 2; cp = s[i] & 0x0F;
        } else if (s[i] >= 0xF0 && s[i] <= 0xF4) {
            n = 3; cp = s[i] & 0x07;
        } else {
            return i;
        }
        for (k = 1; k <= n; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return i;
        i += n + 1;
    }
    return len;
}

/* Scans brackets outside strings. Returns the offset of the first bracket
 * nested deeper than RUN__MAX_DEPTH or of a raw control character inside a
 * string (*CTL set), or LEN; *OPEN is set when the text
 * ends with brackets still open, *STR to the start of a string still
 * open at the end (else LEN): signs of a truncated file. */
static size_t depth_scan(const char *s, size_t len, int *open, size_t *str,
                         int *ctl)
{
    size_t i;
    int depth = 0, in_str = 0;

    *str = len;
    *ctl = 0;
    for (i = 0; i < len; i++) {
        char c = s[i];

        if (in_str) {
            if ((unsigned char)c < 0x20) {
                *ctl = 1;              /* JSON wants \n, \t, \u00XX */
                return i;
            }
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
            *str = i;
        } else if (c == '[' || c == '{') {
            if (++depth > RUN__MAX_DEPTH)
                return i;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    if (!in_str)
        *str = len;
    *open = in_str || depth > 0;
    return len;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* "near 'xyz'" snippet of the text at POS, printable ASCII only. */
static void snippet(const char *buf, size_t len, size_t pos, char *out,
                    size_t n)
{
    size_t i, o = 0;

    for (i = pos; i < len && o + 1 < n && o < 20; i++) {
        unsigned char c = (unsigned char)buf[i];

        if (c == '\n' || c == '\r')
            break;
        out[o++] = (c >= 0x20 && c < 0x7F) ? (char)c : '?';
    }
    out[o] = '\0';
}

const char *run__json_type(const cJSON *j)
{
    if (cJSON_IsString(j)) return "a string";
    if (cJSON_IsNumber(j)) return "a number";
    if (cJSON_IsBool(j)) return "a boolean";
    if (cJSON_IsNull(j)) return "null";
    if (cJSON_IsArray(j)) return "an array";
    if (cJSON_IsObject(j)) return "an object";
    return "an invalid value";
}

int run__json_parse(const char *file, const char *buf, size_t len,
                    cJSON **out, char *err, size_t errlen)
{
    const char *end = NULL;
    const char *nul;
    size_t start = 0, bad, last, str = 0;
    int open = 0, ctl = 0;
    char what[128], snip[32];
    cJSON *root;

    *out = NULL;
    if (len > RUN__MAX_TASK_FILE)
        return ut_err(err, errlen, -1, "%s: too large (%zu bytes, limit "
                      "%u)", file, len, (unsigned)RUN__MAX_TASK_FILE);
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        start = 3;   /* a UTF-8 byte order mark */
    nul = memchr(buf, '\0', len);
    if (nul)
        return pos_err(file, buf, len, (size_t)(nul - buf), err, errlen,
                       "NUL byte in file (not a JSON text file?)");
    bad = utf8_bad((const unsigned char *)buf, len);
    if (bad < len) {
        snprintf(what, sizeof what, "invalid UTF-8 (byte 0x%02X; not a "
                 "JSON text file?)", (unsigned char)buf[bad]);
        return pos_err(file, buf, len, bad, err, errlen, what);
    }
    while (start < len && is_ws(buf[start]))
        start++;
    if (start == len)
        return pos_err(file, buf, len, len, err, errlen,
                       "empty file (expected a JSON object)");
    bad = depth_scan(buf + start, len - start, &open, &str, &ctl);
    if (bad < len - start && ctl)
        return pos_err(file, buf, len, start + bad, err, errlen,
                       "control character in a string (write \\n, \\t "
                       "or \\u00XX)");
    if (bad < len - start) {
        snprintf(what, sizeof what, "JSON nested deeper than %d levels",
                 RUN__MAX_DEPTH);
        return pos_err(file, buf, len, start + bad, err, errlen, what);
    }
    bad = ut_json_nul(buf + start, len - start);
    if (bad < len - start)     /* cJSON would end the string there */
        return pos_err(file, buf, len, start + bad, err, errlen,
                       "\\u0000 in a string (NUL characters are not "
                       "allowed)");
    root = cJSON_ParseWithLengthOpts(buf + start, len - start, &end, 0);
    last = len;
    while (last > start && is_ws(buf[last - 1]))
        last--;
    if (!root) {
        size_t pos = end ? (size_t)(end - buf) : start;

        if (pos > len)
            pos = len;
        if ((open && pos + 1 >= last) || (str < len - start &&
                                          pos >= start + str))
            return pos_err(file, buf, len, len, err, errlen,
                           "unexpected end of file (truncated JSON?)");
        snippet(buf, len, pos, snip, sizeof snip);
        snprintf(what, sizeof what, "invalid JSON near '%s'", snip);
        return pos_err(file, buf, len, pos, err, errlen, what);
    }
    if (end && (size_t)(end - buf) < last) {
        cJSON_Delete(root);
        return pos_err(file, buf, len, (size_t)(end - buf), err, errlen,
                       "unexpected text after the JSON value");
    }
    if (!cJSON_IsObject(root)) {
        snprintf(what, sizeof what, "expected a JSON object at the top "
                 "level, found %s", run__json_type(root));
        cJSON_Delete(root);
        return pos_err(file, buf, len, start, err, errlen, what);
    }
    *out = root;
    return 0;
}
