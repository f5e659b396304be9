/* pin.c -- browser version pins: `browser.version` in a profile or a
 * task, and --browser-version (docs/PROFILES.md "Pinning the browser").
 *
 * Grammar: [OP] N[.N[.N[.N]]], OP one of >=, <=, >, <, = (none: =), each
 * N up to 9 digits, no spaces. The browser's version is compared on the
 * pin's components only: "156" and "=156" take any 156.x.y.z,
 * "156.0.8078" any 156.0.8078.z, ">=156" 156 and newer, "<157.0" any
 * version before 157.0. Pure code (the unit tests drive it). */
#include "run_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int run_pin_parse(const char *spec, struct run_pin *p, char *err,
                  size_t errlen)
{
    const char *s = spec;
    int k;

    memset(p, 0, sizeof *p);
    if (!s || !*s)
        return ut_err(err, errlen, -1, "empty version pin: expected e.g. "
                      "\"156\", \">=156\" or \"156.0.8078\"");
    if (!strncmp(s, ">=", 2) || !strncmp(s, "<=", 2)) {
        p->op = s[0] == '>' ? RUN_PIN_GE : RUN_PIN_LE;
        s += 2;
    } else if (*s == '>' || *s == '<' || *s == '=') {
        p->op = *s == '>' ? RUN_PIN_GT : *s == '<' ? RUN_PIN_LT
                                                   : RUN_PIN_EQ;
        s++;
    }
    for (k = 0; k < RUN_PIN_PARTS; k++) {
        long v = 0;
        int digits = 0;
        while (isdigit((unsigned char)*s) && digits < 9) {
            v = v * 10 + (*s++ - '0');
            digits++;
        }
        if (!digits || isdigit((unsigned char)*s))
            break;
        p->v[k] = v;
        p->n = k + 1;
        if (*s != '.')
            break;
        s++;
    }
    if (p->n == 0 || *s != '\0' || s[-1] == '.')
        return ut_err(err, errlen, -1, "version pin \"%.40s\": expected "
                      "[>=|<=|>|<|=]N[.N[.N[.N]]], e.g. \"156\", \">=156\" "
                      "or \"156.0.8078\"", spec);
    ut_strlcpy(p->text, spec, sizeof p->text);
    return 0;
}

int run_pin_version(const char *product, long v[RUN_PIN_PARTS])
{
    const char *s = product ? strrchr(product, '/') : NULL;
    int n = 0;

    s = s ? s + 1 : product;
    memset(v, 0, RUN_PIN_PARTS * sizeof *v);
    while (s && n < RUN_PIN_PARTS && isdigit((unsigned char)*s)) {
        long x = 0;
        int digits = 0;
        while (isdigit((unsigned char)*s) && digits < 9) {
            x = x * 10 + (*s++ - '0');
            digits++;
        }
        v[n++] = x;
        if (*s != '.')
            break;
        s++;
    }
    return n;
}

int run_pin_match(const struct run_pin *p, const char *product)
{
    long v[RUN_PIN_PARTS];
    int n = run_pin_version(product, v), k, cmp = 0;

    if (n == 0)
        return 0;
    for (k = 0; k < p->n && !cmp; k++)
        cmp = v[k] < p->v[k] ? -1 : v[k] > p->v[k] ? 1 : 0;
    switch (p->op) {
    case RUN_PIN_GE: return cmp >= 0;
    case RUN_PIN_LE: return cmp <= 0;
    case RUN_PIN_GT: return cmp > 0;
    case RUN_PIN_LT: return cmp < 0;
    default:         return cmp == 0 && n >= p->n;
    }
}
