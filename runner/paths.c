/* paths.c -- which paths a task names for the files it reads and writes
 * (uploads, downloads, screenshots, state files): checked before the
 * browser starts (check.c) and again once expanded (files.c, step.c).
 * Pure: no browser, so the task parser's fuzz harness links it. */
#include "run_int.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_inline(const char *task_file)
{
    return strcmp(task_file, "(inline)") == 0;
}

int run__path_inside(const char *path)
{
    const char *p = path;

    if (!*path || path[0] == '/')
        return 0;
    while (p) {
        if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0'))
            return 0;
        p = strchr(p, '/');
        if (p)
            p++;
    }
    return 1;
}

int run__upload_path(const char *task_file, const char *path, char *out,
                     size_t n, char *err, size_t errlen)
{
    char joined[PATH_MAX], real[PATH_MAX];
    const char *slash = strrchr(task_file, '/');
    struct stat st;
    int len;

    if (!*path)
        return ut_err(err, errlen, -1, "expected a file path, got an "
                      "empty string");
    if (!is_inline(task_file) && !run__path_inside(path))
        return ut_err(err, errlen, -1, "\"%.200s\" leaves the task's "
                      "folder: a task file uploads only files under its "
                      "own folder (relative, no \"..\"); give another "
                      "path on the command line", path);
    /* a task file's paths are relative to its folder, others' to the
     * current directory */
    if (path[0] != '/' && slash && !is_inline(task_file) &&
        strcmp(task_file, "-") != 0)
        len = snprintf(joined, sizeof joined, "%.*s/%s",
                       (int)(slash - task_file), task_file, path);
    else
        len = snprintf(joined, sizeof joined, "%s", path);
    if (len < 0 || (size_t)len >= sizeof joined)
        return ut_err(err, errlen, -1, "path too long");
    if (!realpath(joined, real) || stat(real, &st) != 0)
        return ut_err(err, errlen, -1, "cannot upload \"%.200s\": %s",
                      joined, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return ut_err(err, errlen, -1, "cannot upload \"%.200s\": not a "
                      "regular file", joined);
    if (access(real, R_OK) != 0)
        return ut_err(err, errlen, -1, "cannot upload \"%.200s\": %s",
                      joined, strerror(errno));
    if (ut_strlcpy(out, real, n) >= n)
        return ut_err(err, errlen, -1, "path too long");
    return 0;
}

int run__download_to_check(const char *task_file, const char *to,
                           char *err, size_t errlen)
{
    char part[PATH_MAX];
    size_t i, len = strlen(to);
    struct stat st;

    if (!*to)
        return ut_err(err, errlen, -1, "expected a file or folder path, "
                      "got an empty string");
    if (!is_inline(task_file) && !run__path_inside(to))
        return ut_err(err, errlen, -1, "\"%.200s\" leaves the output "
                      "folder: a task file keeps downloads under the "
                      "current directory (relative, no \"..\"); give "
                      "another path on the command line", to);
    if (len >= sizeof part)
        return ut_err(err, errlen, -1, "path too long");
    /* every folder on the way that exists must be a folder */
    for (i = 1; i <= len; i++) {
        if (i < len && to[i] != '/')
            continue;
        memcpy(part, to, i);
        part[i] = '\0';
        if (stat(part, &st) != 0)
            break;                     /* made when the step runs */
        if (i < len - (to[len - 1] == '/') && !S_ISDIR(st.st_mode))
            return ut_err(err, errlen, -1, "\"%.200s\" is not a folder, so "
                          "\"%.200s\" cannot be made", part, to);
        if (i == len && !S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
            return ut_err(err, errlen, -1, "\"%.200s\" is neither a file "
                          "nor a folder", to);
    }
    return 0;
}
