/* find.c -- cdp_find_browser: pick the Chrome/Chromium executable and
 * refuse a snap. Order: --chrome, $CDPILOT_CHROME, the profile's path,
 * then google-chrome-stable, google-chrome, chromium, chromium-browser on
 * $PATH. A path somebody gave (the first three) must work as given: no
 * fall-through to the next source. On $PATH a snap is skipped in favour
 * of a later name and refused only when nothing else is there. */
#include "cdp_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SCRIPT_SCAN 8192   /* bytes of a #! wrapper searched for snap */

#define SNAP_FIX "install a .deb build (Debian's 'chromium' package: " \
    "apt-get install chromium, or Google's google-chrome-stable .deb) " \
    "and point --chrome or CDPILOT_CHROME at it"

static const char *const path_names[] = {
    "google-chrome-stable", "google-chrome", "chromium", "chromium-browser",
};

/* 1 if the file starts with #! and mentions /snap/ or `snap run`. */
static int script_runs_snap(const char *path)
{
    char buf[SCRIPT_SCAN + 1];
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return 0;
    n = read(fd, buf, SCRIPT_SCAN);
    close(fd);
    if (n < 2 || buf[0] != '#' || buf[1] != '!')
        return 0;
    buf[n] = '\0';
    /* a script may hold NULs in theory; scan the text part only */
    return strstr(buf, "/snap/") != NULL || strstr(buf, "snap run") != NULL;
}

/* 1 when PATH (as given, or after resolving symlinks) is a snap: lives
 * under /snap/, resolves to the snap launcher itself (/snap/bin/x is a
 * symlink to /usr/bin/snap), or is a wrapper script that runs snap. */
static int is_snap(const char *path, const char *real)
{
    const char *base = strrchr(real, '/');

    if (ut_starts_with(path, "/snap/") || ut_starts_with(real, "/snap/"))
        return 1;
    if (base && strcmp(base + 1, "snap") == 0)
        return 1;
    return script_runs_snap(real);
}

/* Looks NAME up on $PATH; 0 and the full path in OUT when an executable
 * regular file is found. With SNAP non-NULL, snaps are passed over (the
 * first one is noted in SNAP, PATH_MAX bytes) and the search goes on. */
static int search_path(const char *name, char *out, size_t outlen,
                       char *snap)
{
    const char *p = getenv("PATH"), *end;
    char real[PATH_MAX];
    struct stat st;
    size_t n;

    if (!p || !*p)
        p = "/usr/local/bin:/usr/bin:/bin";
    for (; *p; p = *end ? end + 1 : end) {
        end = p + strcspn(p, ":");
        n = (size_t)(end - p);
        if (n == 0 || n + strlen(name) + 2 > outlen)
            continue;
        snprintf(out, outlen, "%.*s/%s", (int)n, p, name);
        if (stat(out, &st) != 0 || !S_ISREG(st.st_mode) ||
            access(out, X_OK) != 0)
            continue;
        if (!snap)
            return 0;
        if (!realpath(out, real))
            continue;
        if (!is_snap(out, real))
            return 0;
        if (!snap[0])
            ut_strlcpy(snap, out, PATH_MAX);
    }
    return -1;
}

/* Checks a path somebody gave us (WHY names the source). */
static cdp_code check_given(const char *given, const char *why,
                            struct cdp_found *out, char *err, size_t errlen)
{
    char path[PATH_MAX], real[PATH_MAX];
    struct stat st;

    if (!strchr(given, '/')) {   /* a bare name: look it up */
        if (search_path(given, path, sizeof path, NULL))
            return ut_err(err, errlen, CDP_E_LAUNCH, "%s '%s': not found on "
                          "$PATH; give a full path to a Chrome or Chromium "
                          "executable", why, given);
    } else if (ut_strlcpy(path, given, sizeof path) >= sizeof path) {
        return ut_err(err, errlen, CDP_E_LAUNCH, "%s: path too long", why);
    }
    if (stat(path, &st) != 0)
        return ut_err(err, errlen, CDP_E_LAUNCH, "%s '%s': %s", why, path,
                      strerror(errno));
    if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0)
        return ut_err(err, errlen, CDP_E_LAUNCH, "%s '%s': not an executable "
                      "file", why, path);
    if (!realpath(path, real))
        return ut_err(err, errlen, CDP_E_LAUNCH, "%s '%s': %s", why, path,
                      strerror(errno));
    if (is_snap(path, real))
        return ut_err(err, errlen, CDP_E_LAUNCH, "%s '%s' is a snap, which "
                      "cdpilot cannot drive: " SNAP_FIX, why, path);
    ut_strlcpy(out->path, real, sizeof out->path);
    ut_strlcpy(out->why, why, sizeof out->why);
    return CDP_OK;
}

cdp_code cdp_find_browser(const char *cli_path, const char *profile_path,
                          struct cdp_found *out, char *err, size_t errlen)
{
    const char *env = getenv("CDPILOT_CHROME");
    char path[PATH_MAX], real[PATH_MAX], snap[PATH_MAX] = "";
    size_t i;

    memset(out, 0, sizeof *out);
    if (cli_path && *cli_path)
        return check_given(cli_path, "--chrome", out, err, errlen);
    if (env && *env)
        return check_given(env, "CDPILOT_CHROME", out, err, errlen);
    if (profile_path && *profile_path)
        return check_given(profile_path, "profile", out, err, errlen);
    for (i = 0; i < sizeof path_names / sizeof path_names[0]; i++) {
        if (search_path(path_names[i], path, sizeof path, snap) ||
            !realpath(path, real))
            continue;
        ut_strlcpy(out->path, real, sizeof out->path);
        ut_strlcpy(out->why, "PATH", sizeof out->why);
        return CDP_OK;
    }
    if (snap[0])
        return ut_err(err, errlen, CDP_E_LAUNCH, "only a snap browser was "
                      "found ('%s'), which cdpilot cannot drive: " SNAP_FIX,
                      snap);
    return ut_err(err, errlen, CDP_E_LAUNCH, "no Chrome or Chromium found on "
                  "$PATH (tried google-chrome-stable, google-chrome, "
                  "chromium, chromium-browser): install Debian's chromium "
                  "package or set --chrome / CDPILOT_CHROME");
}
