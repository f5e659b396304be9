/* target.c -- parsing target strings (pure): "css=…", "role=button[name=…]",
 * or plain words. See docs/TARGETS.md. */
#include "sel.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>
#include <ctype.h>

static const struct {
    const char *prefix;
    enum sel_strategy s;
} prefixes[] = {
    {"css=", SEL_CSS},       {"xpath=", SEL_XPATH},
    {"text=", SEL_TEXT},     {"role=", SEL_ROLE},
    {"label=", SEL_LABEL},   {"placeholder=", SEL_PLACEHOLDER},
    {"testid=", SEL_TESTID},
};

const char *sel_strategy_name(enum sel_strategy s)
{
    static const char *const names[] = {
        "css", "xpath", "text", "role", "label", "placeholder", "testid",
        "intent"};
    return (unsigned)s < sizeof names / sizeof *names ? names[s] : "?";
}

void sel_target_clear(struct sel_target *t)
{
    if (!t)
        return;
    free(t->value);
    free(t->role);
    free(t->name);
    memset(t, 0, sizeof *t);
}

/* S made printable for a one-line message: control bytes become '?',
 * and it is cut at 80 bytes. Returns BUF. */
static const char *shown(const char *s, char *buf, size_t n)
{
    size_t i;

    for (i = 0; s[i] && i + 1 < n && i < 80; i++)
        buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
    buf[i] = '\0';
    return buf;
}

/* role=NAME, role=NAME[name="…"], role=NAME[name~="…"]; inside the quotes
 * \" and \\ are escapes. */
static int parse_role(const char *s, struct sel_target *t, char *err,
                      size_t errlen)
{
    const char *p = s, *q;
    ut_buf name;
    char sb[96];

    while (isalpha((unsigned char)*p) || *p == '-')
        p++;
    if (p == s)
        return ut_err(err, errlen, -1,
                      "role target \"role=%s\": expected a role name such "
                      "as button, link or textbox", shown(s, sb, sizeof sb));
    t->role = ut_strndup(s, (size_t)(p - s));
    t->exact = 1;
    if (*p == '\0')
        return t->role ? 0 : -1;
    if (strncmp(p, "[name=\"", 7) == 0) {
        q = p + 7;
    } else if (strncmp(p, "[name~=\"", 8) == 0) {
        q = p + 8;
        t->exact = 0;
    } else {
        return ut_err(err, errlen, -1,
                      "role target \"role=%s\": expected [name=\"…\"] after "
                      "the role", shown(s, sb, sizeof sb));
    }
    ut_buf_init(&name, UT_MAX_LINE);
    for (; *q && *q != '"'; q++) {
        if (*q == '\\' && (q[1] == '"' || q[1] == '\\'))
            q++;
        if (ut_buf_addc(&name, *q)) {
            ut_buf_free(&name);
            return ut_err(err, errlen, -1, "role target: name too long");
        }
    }
    if (*q != '"' || q[1] != ']' || q[2] != '\0') {
        ut_buf_free(&name);
        return ut_err(err, errlen, -1,
                      "role target \"role=%s\": unterminated [name=\"…\"]",
                      shown(s, sb, sizeof sb));
    }
    t->name = ut_buf_take(&name);
    return 0;
}

int sel_target_parse(const char *s, struct sel_target *out, char *err,
                     size_t errlen)
{
    size_t i;
    const char *v;
    char sb[96];

    memset(out, 0, sizeof *out);
    out->exact = 1;
    while (s && isspace((unsigned char)*s))
        s++;
    if (!s || !*s)
        return ut_err(err, errlen, -1, "empty target");
    for (i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        if (!ut_starts_with(s, prefixes[i].prefix))
            continue;
        out->strategy = prefixes[i].s;
        v = s + strlen(prefixes[i].prefix);
        if (!*v) {
            ut_err(err, errlen, -1, "target \"%s\": nothing after \"%s\"",
                   shown(s, sb, sizeof sb), prefixes[i].prefix);
            return -1;
        }
        if (out->strategy == SEL_ROLE) {
            if (parse_role(v, out, err, errlen)) {
                sel_target_clear(out);
                return -1;
            }
            return 0;
        }
        out->value = ut_strdup(v);
        return out->value ? 0 : ut_err(err, errlen, -1, "out of memory");
    }
    out->strategy = SEL_INTENT;
    out->value = ut_strdup(s);
    return out->value ? 0 : ut_err(err, errlen, -1, "out of memory");
}
