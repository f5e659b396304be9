/* alloc.c -- the allocator of `make torture` (scripts/torture): linked
 * into the unit tests with -Wl,--wrap=malloc,calloc,realloc,strdup,
 * strndup, so that every allocation our code makes comes here, and cJSON's
 * too (its hooks are set before main). It counts them and fails one:
 *
 *   CDPILOT_TORTURE_FAIL=N   allocation N (from 1) returns NULL, once
 *   CDPILOT_TORTURE_OUT=F    at exit, F gets "count C" and, for each
 *                            allocation path (the first DEPTH frames in
 *                            our code, as offsets in the binary) not seen
 *                            before, "path N PC..." with its first index
 *                            N; with FAIL set, "failed N PC..." (the path
 *                            of the allocation that was failed)
 *   CDPILOT_TORTURE_DEPTH=D  frames per path, 1 to 4 (default 3)
 *
 * Allocations inside libraries (SQLite, libwebsockets, pcre2, libc) are
 * not ours and are left alone. Not thread-safe beyond an atomic counter:
 * the path table is written by whichever thread allocates, under a lock. */
#include <cjson/cJSON.h>

#include <execinfo.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

extern const char __executable_start[], etext[];
/* This file's code is in a section of its own, so that its frames are
 * told apart from the code under test. */
#define SHIM __attribute__((section("cdpilot_torture"), noinline))
extern const char __start_cdpilot_torture[], __stop_cdpilot_torture[];

#define MAX_PATHS 8192

static unsigned long fail_at;       /* 0: fail nothing */
static unsigned long count;
static const char *out_path;
static int logging, in_log;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
#define MAX_DEPTH 4
struct path { uintptr_t pc[MAX_DEPTH]; unsigned long n; };
static struct path paths[MAX_PATHS], failed;
static size_t npaths;
static int depth = 3, failed_set;

SHIM static int ours(void *pc)
{
    const char *p = pc;

    return p >= __executable_start && p < etext &&
           !(p >= __start_cdpilot_torture && p < __stop_cdpilot_torture);
}

/* The first DEPTH frames in our code above the wrapper, as offsets. */
SHIM static void path_of(struct path *p)
{
    void *fr[32];
    int n = backtrace(fr, 32), i, k = 0;

    memset(p->pc, 0, sizeof p->pc);
    for (i = 0; i < n && k < depth; i++)
        if (ours(fr[i]))
            p->pc[k++] = (uintptr_t)fr[i] - (uintptr_t)__executable_start;
}

SHIM static void note(unsigned long idx, int fail)
{
    struct path p;
    size_t i;

    if (in_log)
        return;
    in_log = 1;             /* backtrace() may allocate on first use */
    path_of(&p);
    p.n = idx;
    pthread_mutex_lock(&lock);
    if (fail) {
        failed = p;
        failed_set = 1;
    } else {
        for (i = 0; i < npaths; i++)
            if (!memcmp(paths[i].pc, p.pc, sizeof p.pc))
                break;
        if (i == npaths && npaths < MAX_PATHS)
            paths[npaths++] = p;
    }
    pthread_mutex_unlock(&lock);
    in_log = 0;
}

/* 1 when this allocation is to fail. */
SHIM static int take(void)
{
    unsigned long idx = __atomic_add_fetch(&count, 1, __ATOMIC_RELAXED);

    if (fail_at && idx == fail_at) {
        note(idx, 1);
        return 1;
    }
    if (logging && !fail_at)
        note(idx, 0);
    return 0;
}

SHIM void *__wrap_malloc(size_t n)
{
    return take() ? NULL : __real_malloc(n);
}

SHIM void *__wrap_calloc(size_t k, size_t n)
{
    return take() ? NULL : __real_calloc(k, n);
}

SHIM void *__wrap_realloc(void *p, size_t n)
{
    return take() ? NULL : __real_realloc(p, n);
}

SHIM char *__wrap_strdup(const char *s)
{
    return take() ? NULL : __real_strdup(s);
}

SHIM char *__wrap_strndup(const char *s, size_t n)
{
    return take() ? NULL : __real_strndup(s, n);
}

static void report(void)
{
    FILE *f = fopen(out_path, "w");
    size_t i;
    int k;

    if (!f)
        return;
    fprintf(f, "count %lu\n", count);
    for (i = 0; i < npaths + (size_t)failed_set; i++) {
        const struct path *p = i < npaths ? &paths[i] : &failed;
        fprintf(f, "%s %lu", i < npaths ? "path" : "failed", p->n);
        for (k = 0; k < depth; k++)
            fprintf(f, " %lx", (unsigned long)p->pc[k]);
        fputc('\n', f);
    }
    fclose(f);
}

__attribute__((constructor))
static void torture_init(void)
{
    static cJSON_Hooks hooks = { __wrap_malloc, free };
    const char *v = getenv("CDPILOT_TORTURE_FAIL");
    void *warm[2];

    backtrace(warm, 2);     /* loads the unwinder before any counting */
    if (v)
        fail_at = strtoul(v, NULL, 10);
    if ((v = getenv("CDPILOT_TORTURE_DEPTH")) != NULL) {
        depth = (int)strtol(v, NULL, 10);
        if (depth < 1 || depth > MAX_DEPTH)
            depth = 3;
    }
    out_path = getenv("CDPILOT_TORTURE_OUT");
    logging = out_path != NULL;
    if (out_path)
        atexit(report);
    cJSON_InitHooks(&hooks);
}
