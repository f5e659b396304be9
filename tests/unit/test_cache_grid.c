/* test_cache_grid.c -- the grid_sessions table (cache_grid_*): on a new
 * database file as on a migrated one, rows per grid, re-adding, removing
 * (CACHE_MISS for an unknown one), bad input, and the rows surviving a
 * close (another process reads them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cache/cache.h"
#include "../t.h"
#include "../../util/util.h"

static char tmpdir[] = "/tmp/cdpilot-tgrid.XXXXXX";

int main(void)
{
    struct cache_grid_row rows[4];
    struct cache *c = NULL;
    char path[256], err[512];
    size_t n = 9;

    if (!mkdtemp(tmpdir))
        return 1;
    snprintf(path, sizeof path, "%s/cache.db", tmpdir);
    CHECK_INT(cache_open(path, 1000, &c, err, sizeof err), CACHE_OK);
    /* a new file has the table */
    CHECK_INT(cache_grid_list(c, "http://g:4444", rows, 4, &n), CACHE_OK);
    CHECK_INT(n, 0);
    CHECK_INT(cache_grid_add(c, "http://g:4444", "s1", 100), CACHE_OK);
    CHECK_INT(cache_grid_add(c, "http://g:4444", "s2", 200), CACHE_OK);
    CHECK_INT(cache_grid_add(c, "ws://other:3000", "s1", 300), CACHE_OK);
    CHECK_INT(cache_grid_add(c, "http://g:4444", "s1", 101), CACHE_OK);
    cache_close(c);
    CHECK_INT(cache_open(path, 1000, &c, err, sizeof err), CACHE_OK);
    CHECK_INT(cache_grid_list(c, "http://g:4444", rows, 4, &n), CACHE_OK);
    CHECK_INT(n, 2);
    {   /* re-adding s1 replaced its pid */
        int k = strcmp(rows[0].session, "s1") == 0 ? 0 : 1;
        CHECK_STR(rows[k].session, "s1");
        CHECK_INT(rows[k].pid, 101);
        CHECK_STR(rows[1 - k].session, "s2");
        CHECK_INT(rows[1 - k].pid, 200);
        CHECK(rows[k].started_ms > 0);
    }
    /* MAX bounds the rows returned */
    CHECK_INT(cache_grid_list(c, "http://g:4444", rows, 1, &n), CACHE_OK);
    CHECK_INT(n, 1);
    CHECK_INT(cache_grid_remove(c, "http://g:4444", "s1"), CACHE_OK);
    CHECK_INT(cache_grid_remove(c, "http://g:4444", "s1"), CACHE_MISS);
    CHECK_INT(cache_grid_list(c, "http://g:4444", rows, 4, &n), CACHE_OK);
    CHECK_INT(n, 1);
    CHECK_INT(cache_grid_list(c, "ws://other:3000", rows, 4, &n), CACHE_OK);
    CHECK_INT(n, 1);
    CHECK_INT(rows[0].pid, 300);
    /* bad input */
    CHECK_INT(cache_grid_add(c, "", "s", 1), CACHE_E_INPUT);
    CHECK_INT(cache_grid_add(c, "http://g", "", 1), CACHE_E_INPUT);
    CHECK_INT(cache_grid_add(c, "http://g", NULL, 1), CACHE_E_INPUT);
    CHECK_CONTAINS(cache_errmsg(c), "grid session");
    {
        char longid[200];
        memset(longid, 'a', sizeof longid - 1);
        longid[sizeof longid - 1] = '\0';
        CHECK_INT(cache_grid_add(c, "http://g", longid, 1), CACHE_E_INPUT);
    }
    cache_close(c);
    CHECK_INT(ut_rm_rf(tmpdir), 0);
    return T_DONE();
}
