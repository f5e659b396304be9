/* test_util_rm.c -- ut_rm_rf: a deep tree goes, links are removed and
 * never followed, a missing path is fine, and it works from a signal
 * handler (where cdpilot's second Ctrl-C calls it). */
#include "../t.h"
#include "../../util/util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void put(const char *rel, const char *text)
{
    char path[512];

    snprintf(path, sizeof path, "%s/%s", root, rel);
    CHECK_INT(ut_write_file(path, text, strlen(text), 0600), 0);
}

static int exists(const char *rel)
{
    char path[512];
    struct stat st;

    snprintf(path, sizeof path, "%s/%s", root, rel);
    return lstat(path, &st) == 0;
}

static void test_tree(void)
{
    char path[1024], deep[512];
    size_t i;
    int k;

    /* 40 levels, files and empty folders at each, and more entries than
     * one getdents buffer holds */
    snprintf(deep, sizeof deep, "%s/t", root);
    for (k = 0; k < 40; k++) {
        CHECK_INT(ut_mkdir_p(deep, 0700), 0);
        snprintf(path, sizeof path, "%s/f", deep);
        CHECK_INT(ut_write_file(path, "x", 1, 0600), 0);
        snprintf(path, sizeof path, "%s/empty", deep);
        CHECK_INT(mkdir(path, 0700), 0);
        i = strlen(deep);
        if (i + 3 >= sizeof deep)
            break;
        memcpy(deep + i, "/d", 3);
    }
    for (k = 0; k < 300; k++) {
        snprintf(path, sizeof path, "t/file-with-a-longish-name-%03d", k);
        put(path, "y");
    }
    /* links: to a file and a folder outside, which must survive */
    put("keep.txt", "kept");
    snprintf(path, sizeof path, "%s/outside", root);
    CHECK_INT(mkdir(path, 0700), 0);
    put("outside/inner.txt", "kept");
    snprintf(path, sizeof path, "%s/t/to-dir", root);
    snprintf(deep, sizeof deep, "%s/outside", root);
    CHECK_INT(symlink(deep, path), 0);
    snprintf(path, sizeof path, "%s/t/to-file", root);
    snprintf(deep, sizeof deep, "%s/keep.txt", root);
    CHECK_INT(symlink(deep, path), 0);

    snprintf(path, sizeof path, "%s/t", root);
    CHECK_INT(ut_rm_rf(path), 0);
    CHECK(!exists("t"));
    CHECK(exists("keep.txt") && exists("outside/inner.txt"));
    CHECK_INT(ut_rm_rf(path), 0);                 /* gone already: fine */
    snprintf(path, sizeof path, "%s/keep.txt", root);
    CHECK_INT(ut_rm_rf(path), 0);                 /* a plain file */
    CHECK(!exists("keep.txt"));
    snprintf(path, sizeof path, "%s/to-outside", root);
    CHECK_INT(symlink(deep, path), 0);            /* a dangling link */
    CHECK_INT(ut_rm_rf(path), 0);
    CHECK(!exists("to-outside"));
}

static volatile sig_atomic_t handled;
static char victim[128];

static void on_usr1(int sig)
{
    (void)sig;
    handled = ut_rm_rf(victim) == 0 ? 1 : -1;
}

static void test_in_handler(void)
{
    char path[512];

    snprintf(path, sizeof path, "%s/v/a/b", root);
    CHECK_INT(ut_mkdir_p(path, 0700), 0);
    put("v/a/b/c.txt", "z");
    put("v/d.txt", "z");
    snprintf(victim, sizeof victim, "%s/v", root);
    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    signal(SIGUSR1, SIG_DFL);
    CHECK_INT(handled, 1);
    CHECK(!exists("v"));
}

int main(void)
{
    snprintf(root, sizeof root, "/tmp/cdpilot-rmtest-XXXXXX");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    test_tree();
    test_in_handler();
    CHECK_INT(ut_rm_rf(root), 0);
    CHECK(access(root, F_OK) != 0 && errno == ENOENT);
    return T_DONE();
}
