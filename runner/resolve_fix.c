/* resolve_fix.c -- `cdpilot resolve URL TARGET --fix TASK.json`: the
 * step of a task file whose target TARGET is (or step N of it, --step),
 * found before the browser starts, and the target a resolution settled
 * on written into it, the file replaced atomically with its other
 * content kept (docs/CLI.md "resolve --fix"). */
#include "exec_int.h"
#include "../util/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define FIX_MAX_FILE (4u << 20)

/* Step kinds whose string value is a target; wait_for and assert hold
 * theirs in an object ("target", "visible", "hidden"). */
static const char *const fix_kinds[] = {
    "click", "fill", "select", "check", "uncheck", "hover", "extract",
    "scroll", "upload", "download", "wait_for", "assert", NULL
};

/* The member of STEP holding its target (its holder object and key in
 * *HOLDER, *KEY), and its kind in *KIND; 0, or -1 when it has none. */
static int target_slot(cJSON *step, cJSON **holder, const char **key,
                       const char **kind)
{
    static const char *const inner[] = { "target", "visible", "hidden",
                                         NULL };
    size_t i, j;

    for (i = 0; fix_kinds[i]; i++) {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(step, fix_kinds[i]);
        if (cJSON_IsString(v)) {
            *holder = step;
            *key = fix_kinds[i];
            *kind = fix_kinds[i];
            return 0;
        }
        for (j = 0; cJSON_IsObject(v) && inner[j]; j++)
            if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(v,
                                                                inner[j]))) {
                *holder = v;
                *key = inner[j];
                *kind = fix_kinds[i];
                return 0;
            }
    }
    return -1;
}

static const char *slot_value(const struct run_fix *f)
{
    return cJSON_GetObjectItemCaseSensitive(f->holder, f->key)->valuestring;
}

int run_fix_prepare(struct run_fix *f, const char *file, long step,
                    const char *target, char *err, size_t errlen)
{
    char *text, why[RUN_ERR_LEN];
    size_t len, i, n, hits = 0, first = 0;
    cJSON *steps;

    memset(f, 0, sizeof *f);
    f->file = file;
    text = ut_read_file(file, FIX_MAX_FILE, &len, why, sizeof why);
    if (!text) {
        snprintf(err, errlen, "--fix %s", why);
        return -1;
    }
    f->doc = cJSON_ParseWithLength(text, len);
    if (!f->doc) {
        const char *at = cJSON_GetErrorPtr();
        snprintf(err, errlen, "--fix %s: not valid JSON (at byte %ld)", file,
                 at && at >= text && at <= text + len ? (long)(at - text)
                 : 0L);
        free(text);
        return -1;
    }
    free(text);
    steps = cJSON_GetObjectItemCaseSensitive(f->doc, "steps");
    if (!cJSON_IsArray(steps)) {
        snprintf(err, errlen, "--fix %s: not a task file (no \"steps\" "
                 "array)", file);
        goto bad;
    }
    n = (size_t)cJSON_GetArraySize(steps);
    if (step > 0) {
        if ((size_t)step > n) {
            snprintf(err, errlen, "--step %ld: %s has %zu steps", step,
                     file, n);
            goto bad;
        }
        f->step = cJSON_GetArrayItem(steps, (int)step - 1);
        if (target_slot(f->step, &f->holder, &f->key, &f->kind)) {
            snprintf(err, errlen, "--fix %s: step %ld has no target to "
                     "fix", file, step);
            goto bad;
        }
        f->index = (int)step;
        return 0;
    }
    for (i = 0; i < n; i++) {
        cJSON *s = cJSON_GetArrayItem(steps, (int)i), *h;
        const char *k, *kd;
        if (target_slot(s, &h, &k, &kd) == 0 &&
            strcmp(cJSON_GetObjectItemCaseSensitive(h, k)->valuestring,
                   target) == 0 && hits++ == 0) {
            first = i;
            f->step = s;
            f->holder = h;
            f->key = k;
            f->kind = kd;
        }
    }
    if (hits != 1) {
        if (hits)
            snprintf(err, errlen, "--fix %s: %zu steps have the target "
                     "\"%s\" (step %zu first); name one with --step N",
                     file, hits, target, first + 1);
        else
            snprintf(err, errlen, "--fix %s: no step has the target \"%s\";"
                     " name the step with --step N", file, target);
        goto bad;
    }
    f->index = (int)first + 1;
    return 0;
bad:
    cJSON_Delete(f->doc);
    f->doc = NULL;
    return -1;
}

int run_fix_write(struct run_fix *f, const char *target, char *err,
                  size_t errlen)
{
    struct stat st;
    char note[600], *out;
    int rc;

    /* the words it replaces stay in the step's note, unless it has one */
    if (!cJSON_GetObjectItemCaseSensitive(f->step, "note") &&
        strcmp(slot_value(f), target) != 0) {
        snprintf(note, sizeof note, "was \"%.500s\" (cdpilot resolve --fix)",
                 slot_value(f));
        cJSON_AddStringToObject(f->step, "note", note);
    }
    if (!cJSON_ReplaceItemInObjectCaseSensitive(
            f->holder, f->key, cJSON_CreateString(target))) {
        snprintf(err, errlen, "--fix %s: out of memory", f->file);
        return -1;
    }
    out = cJSON_Print(f->doc);
    if (out) {                     /* a text file ends with a newline */
        size_t n = strlen(out);
        char *nl = realloc(out, n + 2);
        if (nl)
            memcpy(nl + n, "\n", 2);
        else
            free(out);
        out = nl;
    }
    if (!out) {
        snprintf(err, errlen, "--fix %s: out of memory", f->file);
        return -1;
    }
    rc = ut_write_file(f->file, out, strlen(out), stat(f->file, &st) == 0 ?
                       st.st_mode & 07777 : 0644);
    free(out);
    if (rc) {
        snprintf(err, errlen, "--fix %s: cannot write it: %s", f->file,
                 strerror(errno));
        return -1;
    }
    return 0;
}

void run_fix_clear(struct run_fix *f)
{
    cJSON_Delete(f->doc);
    f->doc = NULL;
}
