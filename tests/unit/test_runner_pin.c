/* test_runner_pin.c -- browser version pins: the grammar of
 * browser.version / --browser-version, and which browsers match.
 * Pure: no browser. */
#include "../t.h"
#include "../../runner/run_int.h"

#include <string.h>

static int ok(const char *spec, const char *product)
{
    struct run_pin p;
    char err[256];

    if (run_pin_parse(spec, &p, err, sizeof err))
        return -1;
    return run_pin_match(&p, product);
}

static void test_grammar(void)
{
    static const char *const good[] = {
        "156", "=156", ">=156", "<=156.0", ">156.0.8078", "<156.0.8078.129",
        "0", "156.0.8078"
    };
    static const char *const bad[] = {
        "", ">=", "abc", "156.", ".156", "156..0", ">= 156", "156.0.0.0.0",
        "~156", "156a", "1234567890", "=>156", "156 "
    };
    struct run_pin p;
    char err[256];
    size_t i;

    for (i = 0; i < sizeof good / sizeof *good; i++)
        CHECK_MSG(run_pin_parse(good[i], &p, err, sizeof err) == 0,
                  "\"%s\" refused: %s", good[i], err);
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        err[0] = '\0';
        CHECK_MSG(run_pin_parse(bad[i], &p, err, sizeof err) == -1,
                  "\"%s\" accepted", bad[i]);
        CHECK_CONTAINS(err, "156");     /* the message shows the form */
    }
    CHECK(run_pin_parse(">=156.0", &p, err, sizeof err) == 0);
    CHECK_INT(p.op, RUN_PIN_GE);
    CHECK_INT(p.n, 2);
    CHECK_STR(p.text, ">=156.0");
}

static void test_match(void)
{
    const char *b = "HeadlessChrome/156.0.8078.129";
    long v[RUN_PIN_PARTS];

    CHECK_INT(run_pin_version(b, v), 4);
    CHECK(v[0] == 156 && v[1] == 0 && v[2] == 8078 && v[3] == 129);
    CHECK_INT(run_pin_version("Chrome/", v), 0);
    CHECK_INT(run_pin_version("156.1", v), 2);
    /* exact: a prefix by components, not by characters */
    CHECK_INT(ok("156", b), 1);
    CHECK_INT(ok("=156", b), 1);
    CHECK_INT(ok("15", b), 0);
    CHECK_INT(ok("156.0.8078", b), 1);
    CHECK_INT(ok("156.0.807", b), 0);
    CHECK_INT(ok("156.0.8078.129", b), 1);
    CHECK_INT(ok("157", b), 0);
    /* ranges compare the pin's components only */
    CHECK_INT(ok(">=156", b), 1);
    CHECK_INT(ok(">=157", b), 0);
    CHECK_INT(ok(">156", b), 0);
    CHECK_INT(ok(">155", b), 1);
    CHECK_INT(ok("<=156", b), 1);
    CHECK_INT(ok("<156", b), 0);
    CHECK_INT(ok("<157.0", b), 1);
    CHECK_INT(ok(">=156.0.9000", b), 0);
    CHECK_INT(ok(">=99", "Chrome/100.0.1.2"), 1);   /* numbers, not text */
    CHECK_INT(ok(">=156", "no version here"), 0);
}

int main(void)
{
    test_grammar();
    test_match();
    return T_DONE();
}
