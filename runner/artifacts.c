/* artifacts.c -- what a failed step leaves behind (the page's URL, a
 * screenshot, its HTML and console errors) and where: the --trace folder,
 * else one folder per run, made on the first failure, under one folder
 * per user in $TMPDIR. Making a run folder prunes the others, so they
 * never pile up (docs/RELIABILITY.md). */
#include "live_int.h"
#include "../util/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_SCAN 100000   /* entries looked at in the parent folder */

struct runf {
    time_t mtime;
    char *name;
};

static int newest_first(const void *a, const void *b)
{
    const struct runf *x = a, *y = b;

    return (x->mtime < y->mtime) - (x->mtime > y->mtime);
}

/* Removes the run folders in PARENT beyond the RUN_ART_KEEP newest that
 * have not changed for RUN_ART_FRESH_S seconds. */
static void prune(const char *parent)
{
    struct runf *v = NULL, *nv;
    size_t n = 0, cap = 0, i;
    time_t old = time(NULL) - RUN_ART_FRESH_S;
    char path[4400];
    struct dirent *de;
    struct stat st;
    DIR *d = opendir(parent);

    if (!d)
        return;
    while ((de = readdir(d)) != NULL && n < MAX_SCAN) {
        if (de->d_name[0] == '.')
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", parent, de->d_name)
            >= sizeof path || lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            nv = realloc(v, cap * sizeof *v);
            if (!nv)
                break;
            v = nv;
        }
        v[n].mtime = st.st_mtime;
        v[n].name = ut_strdup(de->d_name);
        if (v[n].name)
            n++;
    }
    closedir(d);
    if (n)
        qsort(v, n, sizeof *v, newest_first);
    for (i = 0; i < n; i++) {
        if (i >= RUN_ART_KEEP && v[i].mtime < old &&
            (size_t)snprintf(path, sizeof path, "%s/%s", parent, v[i].name)
            < sizeof path)
            ut_rm_rf(path);
        free(v[i].name);
    }
    free(v);
}

/* 0 when PATH is a real folder (not a link) of ours that others cannot
 * enter: in a shared /tmp, anyone could have made it first. */
static int private_dir(const char *path)
{
    struct stat st;

    if (lstat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
        (st.st_mode & 077)) {
        errno = EPERM;
        return -1;
    }
    return 0;
}

int run_artifacts_dir(const char *run_id, char *out, size_t n)
{
    const char *tmp = getenv("TMPDIR");
    char parent[4096];
    int made;

    if (!run_id || !*run_id || run_id[0] == '.' || strchr(run_id, '/')) {
        errno = EINVAL;
        return -1;
    }
    if (!tmp || tmp[0] != '/')
        tmp = "/tmp";
    if ((size_t)snprintf(parent, sizeof parent, "%s/cdpilot-failures-%lu",
                         tmp, (unsigned long)geteuid()) >= sizeof parent ||
        (size_t)snprintf(out, n, "%s/%s", parent, run_id) >= n) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if ((mkdir(parent, 0700) != 0 && errno != EEXIST) ||
        private_dir(parent) != 0)
        return -1;
    made = mkdir(out, 0700) == 0;
    if (!made && (errno != EEXIST || private_dir(out) != 0))
        return -1;        /* EEXIST: a resumed run, its own folder */
    if (made)
        prune(parent);
    return 0;
}

/* Diagnostics (the trace's screenshots, a failure's screenshot and DOM)
 * wait for no page that crashed or stopped answering: a page must answer
 * a trivial call within DIAG_PROBE_MS, and its screenshot gets
 * DIAG_SHOT_MS, so that a hung page costs a second or so, not the minute
 * a screenshot step may take (a long full page). */
#define DIAG_PROBE_MS 1000
#define DIAG_SHOT_MS  3000
#define DIAG_DOM_MS   5000

int run_diag_screenshot(struct run_live *e, const char *path)
{
    return e->page && sel_page_state(e->page) == SEL_PAGE_OK &&
           sel_page_probe(e->page, DIAG_PROBE_MS, NULL, 0) == SEL_OK &&
           sel_screenshot(e->page, path, 0, DIAG_SHOT_MS, NULL, 0) == SEL_OK;
}

/* Appends SR's console lines, redacted, to the trace's console.log. */
static void append_console(const struct run_live *e,
                           const struct run_step_report *sr)
{
    char path[4500];
    int fd;
    FILE *f;
    size_t i;

    snprintf(path, sizeof path, "%s/console.log", e->trace_dir);
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    f = fd >= 0 ? fdopen(fd, "a") : NULL;
    if (fd >= 0 && !f)
        close(fd);
    for (i = 0; f && i < sr->nconsole; i++) {
        char *r = run_redact(sr->console[i]);
        fprintf(f, "%s\n", r ? r : "***");
        free(r);
    }
    if (f)
        fclose(f);
}

void run_diag_failure(struct run_live *e, struct run_step_report *sr)
{
    char base[4400], path[4500], *html;

    if (!e->page || sr->code == SEL_E_BROWSER)
        return;
    sr->console = sel_take_console(e->page, &sr->nconsole);
    sr->url = ut_strdup(sel_page_url(e->page));
    if (e->trace_dir[0])
        snprintf(base, sizeof base, "%s/step-%03d-failed", e->trace_dir,
                 sr->step->index + 1);
    else if (run_artifacts_dir(e->rep->run_id, e->rep->artifacts,
                               sizeof e->rep->artifacts) == 0)
        snprintf(base, sizeof base, "%s/step-%03d-failed",
                 e->rep->artifacts, sr->step->index + 1);
    else
        return;
    snprintf(path, sizeof path, "%s.png", base);
    if (run_diag_screenshot(e, path)) {
        free(sr->screenshot);
        sr->screenshot = ut_strdup(path);
    }
    if (!e->trace_dir[0])
        return;
    snprintf(path, sizeof path, "%s.html", base);
    html = sel_page_html(e->page, DIAG_DOM_MS);
    if (html) {
        char *r = run_redact(html);
        if (r && ut_write_file(path, r, strlen(r), 0600) == 0)
            sr->html = ut_strdup(path);
        free(r);
        free(html);
    }
    append_console(e, sr);
}
