/* fuzz_cache_import.c -- `cache import`: cache_import on arbitrary bytes
 * into a real SQLite database (one per process, in a fresh temp dir under
 * $TMPDIR, removed at exit). Whatever imports must export and import
 * again (the round trip a CI cache warm-up does); then the entries are
 * deleted so the database stays small. Contract checked: an error leaves
 * a terminated one-line ERR and writes nothing. */
#include "fuzz.h"
#include "../../cache/cache_int.h"
#include "../../util/util.h"

#include <sqlite3.h>
#include <unistd.h>

/* The open database and its folder, made once per process: libFuzzer
 * gives the harness no context pointer, so these are the globals. */
static struct cache *g_cache;
static char g_dir[4096];

static void cleanup(void)
{
    cache_close(g_cache);
    g_cache = NULL;
    if (g_dir[0])
        ut_rm_rf(g_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *tmp = getenv("TMPDIR");
    char path[4200], err[1024];

    (void)argc;
    (void)argv;
    snprintf(g_dir, sizeof g_dir, "%s/cdpilot-fuzz-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_dir)) {
        perror(g_dir);
        abort();
    }
    snprintf(path, sizeof path, "%s/cache.db", g_dir);
    if (cache_open(path, 1000, &g_cache, err, sizeof err) != CACHE_OK) {
        fprintf(stderr, "cache_open: %s\n", err);
        ut_rm_rf(g_dir);
        abort();
    }
    /* Speed only: durability is not what is being tested here. */
    sqlite3_exec(g_cache->db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
    atexit(cleanup);
    return 0;
}

static int64_t count_entries(void)
{
    struct cache_stats st;

    FUZZ_CHECK(cache_stats(g_cache, &st) == CACHE_OK);
    return st.entries;
}

/* Export everything and import it back: must be accepted as is. */
static void round_trip(void)
{
    char *text = NULL, err[1024];
    size_t len = 0;
    int64_t n = -1;
    FILE *f = open_memstream(&text, &len);
    cache_code rc;

    FUZZ_CHECK(f != NULL);
    rc = cache_export(g_cache, f);
    fclose(f);
    FUZZ_CHECK(rc == CACHE_OK);
    rc = cache_import(g_cache, text, len, &n, err, sizeof err);
    if (rc != CACHE_OK)
        fprintf(stderr, "re-import failed: %s\n", err);
    FUZZ_CHECK(rc == CACHE_OK && n >= 0);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1024];
    int64_t n = -1;
    char *json;
    cache_code rc;

    if (size > FUZZ_MAX_INPUT)
        return 0;
    if (!g_cache)
        LLVMFuzzerInitialize(NULL, NULL);
    json = fuzz_strdup(data, size);
    memset(err, 'x', sizeof err);
    rc = cache_import(g_cache, json, size, &n, err, sizeof err);
    if (rc == CACHE_OK) {
        FUZZ_CHECK(n >= 0);
        if (n > 0) {
            round_trip();
            /* back to empty for the next input */
            FUZZ_CHECK(sqlite3_exec(g_cache->db, "DELETE FROM entries",
                                    NULL, NULL, NULL) == SQLITE_OK);
        }
        FUZZ_CHECK(count_entries() == 0);
    } else {
        FUZZ_CHECK(rc == CACHE_E_INPUT || rc == CACHE_E_NOMEM);
        FUZZ_CHECK(fuzz_one_line(err, sizeof err) && err[0]);
        FUZZ_CHECK(n == 0 && count_entries() == 0);
    }
    free(json);
    return 0;
}
