/* test_util_file.c -- util/file.c: SHA-256, moves and the content search
 * that reads a file a block at a time. */
#include "../t.h"
#include "../../util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void path_of(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

static void put(const char *name, const char *data, size_t n)
{
    char p[512];

    path_of(p, sizeof p, name);
    CHECK(ut_write_file(p, data, n, 0600) == 0);
}

static void test_sha256(void)
{
    char p[512], hex[65], err[256];
    int64_t size = -1;

    put("abc", "abc", 3);
    path_of(p, sizeof p, "abc");
    CHECK(ut_file_sha256(p, hex, &size, err, sizeof err) == 0);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223"
                   "b00361a396177a9cb410ff61f20015ad");
    CHECK_INT(size, 3);
    put("empty", "", 0);
    path_of(p, sizeof p, "empty");
    CHECK(ut_file_sha256(p, hex, &size, err, sizeof err) == 0);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb924"
                   "27ae41e4649b934ca495991b7852b855");
    CHECK_INT(size, 0);
    path_of(p, sizeof p, "missing");
    CHECK(ut_file_sha256(p, hex, &size, err, sizeof err) == -1);
    CHECK_CONTAINS(err, "missing: No such file");
}

static int grep(const char *name, const char *re, size_t keep, char *err)
{
    char p[512];
    int found = -1;

    path_of(p, sizeof p, name);
    if (ut_file_grep(p, re, keep, &found, err, 256))
        return -1;
    return found;
}

static void test_grep(void)
{
    size_t n = 300000, i;
    char *big = malloc(n), err[256];

    /* a match across the blocks the search reads (8 KiB each) */
    for (i = 0; i < n; i++)
        big[i] = (char)('a' + i % 7);
    memcpy(big + 8190, "TOTAL,42", 8);
    memcpy(big + n - 5, "END\n", 4);
    big[n - 1] = 'Z';
    put("big", big, n);
    CHECK_INT(grep("big", "TOTAL,\\d+", 64, err), 1);
    CHECK_INT(grep("big", "TOTAL,43", 64, err), 0);
    CHECK_INT(grep("big", "Z$", 64, err), 1);         /* the last byte */
    CHECK_INT(grep("big", "^abcdefg", 64, err), 1);   /* the first */
    CHECK_INT(grep("big", "^TOTAL", 64, err), 0);     /* not at a block */
    CHECK_INT(grep("big", "(?<=TOTAL,)42", 64, err), 1);
    /* a partial match longer than what the search may keep */
    memset(big, 'x', n);
    big[0] = '<';
    put("long", big, n);
    CHECK_INT(grep("long", "<x*>", 4096, err), -1);
    CHECK_CONTAINS(err, "more than 4096 bytes");
    CHECK_INT(grep("long", "<x{10}", 4096, err), 1);
    /* bytes that are not UTF-8 are searched too */
    put("bin", "\xff\xfe\x00PK\x03\x04name.csv", 15);
    CHECK_INT(grep("bin", "name\\.csv", 64, err), 1);
    CHECK_INT(grep("bin", "(", 64, err), -1);
    CHECK_CONTAINS(err, "content regex at offset 1");
    free(big);
}

static void test_move(void)
{
    char a[512], b[512], err[256], *s;
    size_t len;
    struct stat st;

    put("from", "hello", 5);
    path_of(a, sizeof a, "from");
    path_of(b, sizeof b, "to");
    CHECK(ut_file_move(a, b, err, sizeof err) == 0);
    CHECK(access(a, F_OK) != 0);
    s = ut_read_file(b, 100, &len, err, sizeof err);
    CHECK_STR(s, "hello");
    free(s);
    CHECK(stat(b, &st) == 0 && (st.st_mode & 0777) == 0644);
    path_of(b, sizeof b, "no/such/dir/to");
    put("from", "x", 1);
    CHECK(ut_file_move(a, b, err, sizeof err) == -1);
    CHECK_CONTAINS(err, "No such file");
    /* across file systems when /dev/shm is one of its own */
    if (ut_is_dir("/dev/shm")) {
        char shm[64];

        snprintf(shm, sizeof shm, "/dev/shm/cdpilot-test-%ld",
                 (long)getpid());
        CHECK(ut_write_file(shm, "across", 6, 0600) == 0);
        path_of(b, sizeof b, "across");
        CHECK(ut_file_move(shm, b, err, sizeof err) == 0);
        CHECK(access(shm, F_OK) != 0);
        s = ut_read_file(b, 100, &len, err, sizeof err);
        CHECK_STR(s, "across");
        free(s);
        unlink(shm);
    }
}

int main(void)
{
    const char *t = getenv("TMPDIR");

    snprintf(dir, sizeof dir, "%s/cdpilot-file-XXXXXX", t ? t : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    test_sha256();
    test_grep();
    test_move();
    ut_rm_rf(dir);
    return T_DONE();
}
