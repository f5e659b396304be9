/* files.c -- the upload, download and assert download steps (docs/
 * TASKS.md "Files"): the private folder a download lands in and where
 * it is kept from there, and what the report says of each (which paths a
 * task may name is paths.c's). The page's side is
 * selectors/files.c's; the file's is util/file.c's. */
#include "live_int.h"
#include "../util/util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DL_CALL_MS   10000           /* the browser's download setting */
#define GREP_KEEP    (1u << 20)      /* a content match spans at most */

/* Where a download named NAME goes for TO (NULL: the current folder): a
 * folder (TO ends with '/' or is one) keeps the name, anything else is
 * the file's own path. The folders on the way are made. Caller frees. */
static char *kept_path(const char *to, const char *name, char *err,
                       size_t errlen)
{
    const char *base = strrchr(name, '/');
    char *out = NULL, *slash;
    size_t n;

    base = base ? base + 1 : name;
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        base = "download";
    if (!to)
        return ut_strdup(base);        /* the current folder */
    n = strlen(to);
    if (to[n - 1] == '/' || ut_is_dir(to)) {
        if (ut_mkdir_p(to, 0755) != 0) {
            ut_err(err, errlen, 0, "cannot make folder \"%.200s\": %s", to,
                   strerror(errno));
            return NULL;
        }
        out = malloc(n + strlen(base) + 2);
        if (out)
            snprintf(out, n + strlen(base) + 2, "%s%s%s", to,
                     to[n - 1] == '/' ? "" : "/", base);
        return out;
    }
    out = ut_strdup(to);
    slash = out ? strrchr(out, '/') : NULL;
    if (slash && slash != out) {
        *slash = '\0';
        if (ut_mkdir_p(out, 0755) != 0) {
            ut_err(err, errlen, 0, "cannot make folder \"%.200s\": %s", out,
                   strerror(errno));
            free(out);
            return NULL;
        }
        *slash = '/';
    }
    return out;
}

/* ---- upload ------------------------------------------------------------- */

sel_code run_files_upload(struct run_live *e, const struct run_step *st,
                          struct run_step_report *sr, int timeout_ms,
                          char *err, size_t errlen)
{
    const struct run_files *f = st->files;
    char **abs = calloc(f->n, sizeof *abs), *x = NULL, *via = NULL;
    cJSON *rep = cJSON_CreateObject(), *list;
    sel_code rc = abs && rep ? SEL_OK : SEL_E_NOMEM;
    size_t i;

    list = cJSON_AddArrayToObject(rep, "files");
    for (i = 0; !rc && i < f->n; i++) {
        char path[PATH_MAX], why[600];
        struct stat sb;
        cJSON *o;

        if (run_expand(&e->vars, f->paths[i], &x, NULL, err, errlen))
            rc = SEL_E_ACTION;
        else if (run__upload_path(e->t->file, x, path, sizeof path, why,
                                  sizeof why))
            rc = ut_err(err, errlen, SEL_E_ACTION, "%s", why);
        else if (!(abs[i] = ut_strdup(path)))
            rc = SEL_E_NOMEM;
        else if ((o = cJSON_CreateObject())) {
            const char *b = strrchr(path, '/');

            cJSON_AddStringToObject(o, "name", b ? b + 1 : path);
            cJSON_AddNumberToObject(o, "size", stat(path, &sb) == 0 ?
                                    (double)sb.st_size : -1);
            cJSON_AddItemToArray(list, o);
        }
        free(x);
        x = NULL;
    }
    if (!rc)
        rc = sel_upload(e->page, &sr->res, (const char *const *)abs, f->n,
                        timeout_ms, &via, err, errlen);
    if (via)
        cJSON_AddStringToObject(rep, "input", via);
    if (!rc) {
        cJSON_Delete(sr->file);
        sr->file = rep;
        rep = NULL;
    }
    cJSON_Delete(rep);
    for (i = 0; abs && i < f->n; i++)
        free(abs[i]);
    free(abs);
    free(via);
    return rc;
}

/* ---- download ----------------------------------------------------------- */

/* A folder of its own for one download: in the browser's temporary
 * profile when it has one (removed with it even when cdpilot is killed),
 * else under $TMPDIR. */
static int private_dir(struct run_live *e, char *out, size_t n)
{
    const char *base = e->browser && !e->conf.launch.user_data_dir ?
                       cdp_browser_dir(e->browser) : getenv("TMPDIR");

    if (!base || !*base)
        base = "/tmp";
    if ((size_t)snprintf(out, n, "%s/cdpilot-download-XXXXXX", base) >= n)
        return -1;
    return mkdtemp(out) ? 0 : -1;
}

/* Downloads go back where they went before the step. */
static void restore_downloads(struct run_live *e)
{
    if (!cdp_conn_alive(e->conn))
        return;
    if (e->browser)
        (void)cdp_keep_downloads(e->browser, e->conn, DL_CALL_MS);
    else
        (void)cdp_download_to(e->conn, e->context, NULL, DL_CALL_MS);
}

void run_files_clear(struct run_live *e)
{
    if (!e->last_dl)
        return;
    free(e->last_dl->path);
    free(e->last_dl->name);
    free(e->last_dl);
    e->last_dl = NULL;
}

/* The download D, kept at PATH (taken): the run's last download and the
 * step's report. */
static sel_code keep(struct run_live *e, struct run_step_report *sr,
                     const struct sel_download *d, char *path, char *err,
                     size_t errlen)
{
    struct run_dl *dl = calloc(1, sizeof *dl);
    cJSON *o = cJSON_CreateObject();

    if (!dl || !o || !(dl->name = ut_strdup(d->name))) {
        free(dl);
        free(path);
        cJSON_Delete(o);
        return SEL_E_NOMEM;
    }
    dl->path = path;
    if (ut_file_sha256(path, dl->sha256, &dl->size, err, errlen)) {
        free(dl->name);
        free(dl->path);
        free(dl);
        cJSON_Delete(o);
        return SEL_E_ACTION;
    }
    run_files_clear(e);
    e->last_dl = dl;
    cJSON_AddStringToObject(o, "name", dl->name);
    cJSON_AddStringToObject(o, "path", dl->path);
    cJSON_AddNumberToObject(o, "size", (double)dl->size);
    cJSON_AddStringToObject(o, "sha256", dl->sha256);
    cJSON_AddStringToObject(o, "url", d->url);
    cJSON_Delete(sr->file);
    sr->file = o;
    return SEL_OK;
}

sel_code run_files_download(struct run_live *e, const struct run_step *st,
                            struct run_step_report *sr, int timeout_ms,
                            char *err, size_t errlen)
{
    const char *to_raw = st->files ? st->files->to : NULL;
    char dir[4300], from[4400], why[600], *to = NULL, *path = NULL;
    struct sel_download d;
    int done_ms = timeout_ms > e->conf.nav_ms ? timeout_ms : e->conf.nav_ms;
    sel_code rc;

    memset(&d, 0, sizeof d);
    if (to_raw && run_expand(&e->vars, to_raw, &to, NULL, err, errlen))
        return SEL_E_ACTION;
    if (to && run__download_to_check(e->t->file, to, why, sizeof why)) {
        free(to);
        return ut_err(err, errlen, SEL_E_ACTION, "\"to\": %s", why);
    }
    if (private_dir(e, dir, sizeof dir)) {
        free(to);
        return ut_err(err, errlen, SEL_E_ACTION, "a folder for the "
                      "download: %s", strerror(errno));
    }
    rc = sel_download(e->page, &sr->res, dir, e->context, timeout_ms,
                      done_ms, &d, err, errlen);
    restore_downloads(e);
    if (!rc && (!(path = kept_path(to, d.name, err, errlen)) ||
                (size_t)snprintf(from, sizeof from, "%s/%s", dir, d.guid) >=
                sizeof from ||
                ut_file_move(from, path, err, errlen)))
        rc = SEL_E_ACTION;
    if (!rc) {
        rc = keep(e, sr, &d, path, err, errlen);
        path = NULL;
    }
    (void)ut_rm_rf(dir);   /* also what a failed or late download left */
    free(path);
    free(to);
    sel_download_clear(&d);
    return rc;
}

/* ---- assert download ---------------------------------------------------- */

/* 1 when RE matches S, 0 when not, -1 with ERR (a bad regex). */
static int re_match(const char *re, const char *s, char *err, size_t errlen)
{
    pcre2_code *code;
    pcre2_match_data *md;
    PCRE2_SIZE off;
    int ec, rc;

    code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
                         &ec, &off, NULL);
    if (!code)
        return ut_err(err, errlen, -1, "bad regex \"%.100s\"", re);
    md = pcre2_match_data_create_from_pattern(code, NULL);
    rc = md ? pcre2_match(code, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0,
                          md, NULL) : -1;
    pcre2_match_data_free(md);
    pcre2_code_free(code);
    return rc >= 0;
}

sel_code run_files_expect(struct run_live *e, const struct run_step *st,
                          char *err, size_t errlen)
{
    const struct run_files *f = st->files;
    const struct run_dl *dl = e->last_dl;
    char *re = NULL;
    int found = 0, m;
    sel_code rc = SEL_OK;

    if (!dl)
        return ut_err(err, errlen, SEL_E_ACTION, "no download yet: the "
                      "download step before this one did not keep one");
    if (f->size_min >= 0 && dl->size < f->size_min)
        return ut_err(err, errlen, SEL_E_ACTION, "the download \"%s\" is "
                      "%lld bytes, less than %ld", dl->name,
                      (long long)dl->size, f->size_min);
    if (f->size_max >= 0 && dl->size > f->size_max)
        return ut_err(err, errlen, SEL_E_ACTION, "the download \"%s\" is "
                      "%lld bytes, more than %ld", dl->name,
                      (long long)dl->size, f->size_max);
    if (f->name_re) {
        if (run_expand(&e->vars, f->name_re, &re, NULL, err, errlen))
            return SEL_E_ACTION;
        m = re_match(re, dl->name, err, errlen);
        if (m <= 0)
            rc = m < 0 ? SEL_E_ACTION : ut_err(err, errlen, SEL_E_ACTION,
                 "the download's name \"%s\" does not match /%s/",
                 dl->name, re);
        free(re);
        re = NULL;
    }
    if (!rc && f->content_re) {
        if (run_expand(&e->vars, f->content_re, &re, NULL, err, errlen))
            return SEL_E_ACTION;
        if (ut_file_grep(dl->path, re, GREP_KEEP, &found, err, errlen))
            rc = SEL_E_ACTION;
        else if (!found)
            rc = ut_err(err, errlen, SEL_E_ACTION, "the download \"%s\" "
                        "(%lld bytes) has nothing that matches /%s/",
                        dl->name, (long long)dl->size, re);
        free(re);
    }
    return rc;
}
