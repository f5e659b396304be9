/* report_html.c -- --report FILE.html: the --json report as one page a
 * person opens, offline. One self-contained file: inline style and
 * script, a Content-Security-Policy that forbids any fetch, failure
 * screenshots embedded as data: URIs. It is made from the JSON tree the
 * caller built (a task's report, or {"tasks": [...]}) after that tree is
 * redacted, and written 0600 and atomically. */
#include "exec_int.h"
#include "../util/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libwebsockets.h>

#define HTML_MAX      (UT_MAX_FILE)            /* the whole page */
#define HTML_MAX_IMG  (8u * 1024 * 1024)       /* one screenshot */
#define HTML_MAX_CON  20                       /* console lines a step */

static const char html_head[] =
"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'"
"; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
"\n<title>cdpilot report</title>\n<style>\n"
"body{font:14px/1.4 system-ui,sans-serif;margin:1em 2em;color:#222}\n"
"h1{font-size:1.4em}h2{font-size:1.15em;margin:1.2em 0 .3em}\n"
".passed>h2 .st,.st.passed{color:#17702b}.failed>h2 .st,.st.failed,"
".st.interrupted{color:#b00020}.st.skipped{color:#777}\n"
"table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid "
"#ddd;padding:3px 6px;text-align:left;vertical-align:top}\n"
"tr.step.failed{background:#fde8ea}tr.detail td{background:#fafafa}\n"
"code{font:12px ui-monospace,monospace;word-break:break-all}\n"
".meta{color:#555;margin:.2em 0}.err{color:#b00020;font-weight:600}\n"
"img.shot{max-width:100%;border:1px solid #ccc;margin:.4em 0}\n"
"#filters{position:sticky;top:0;background:#fff;padding:.4em 0;"
"border-bottom:1px solid #ccc}\n[hidden]{display:none!important}\n"
"</style></head><body>\n<h1>cdpilot report</h1>\n";

static const char html_tail[] =
"<script>\n"
"(function(){var ids=['failed','llm','healed'];\n"
"function apply(){var on=ids.filter(function(k){\n"
"return document.getElementById('f-'+k).checked;});\n"
"document.querySelectorAll('section.task').forEach(function(t){\n"
"var any=false;t.querySelectorAll('tr.step,tr.detail').forEach(function(r){\n"
"var show=!on.length||on.some(function(k){return r.classList.contains(k);});\n"
"r.hidden=!show;if(show)any=true;});\n"
"t.hidden=on.length>0&&!any;});}\n"
"ids.forEach(function(k){document.getElementById('f-'+k)\n"
".addEventListener('change',apply);});apply();})();\n"
"</script>\n</body></html>\n";

struct html {
    ut_buf b;
    size_t images;            /* bytes of screenshots embedded */
    int full;                 /* a screenshot was left out for size */
};

/* S escaped for HTML text and attribute values. */
static void esc(ut_buf *b, const char *s)
{
    const char *p;

    for (p = s ? s : ""; *p; p++)
        switch (*p) {
        case '&': ut_buf_adds(b, "&amp;"); break;
        case '<': ut_buf_adds(b, "&lt;"); break;
        case '>': ut_buf_adds(b, "&gt;"); break;
        case '"': ut_buf_adds(b, "&quot;"); break;
        case '\'': ut_buf_adds(b, "&#39;"); break;
        default: ut_buf_addc(b, *p);
        }
}

static const char *js(const cJSON *o, const char *k)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static double jn(const cJSON *o, const char *k, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static int jtrue(const cJSON *o, const char *k)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k));
}

/* <td>S</td>, S escaped, in <code> when CODE. */
static void td(ut_buf *b, const char *s, int code)
{
    ut_buf_adds(b, code && s ? "<td><code>" : "<td>");
    esc(b, s ? s : "");
    ut_buf_adds(b, code && s ? "</code></td>" : "</td>");
}

/* The PNG or JPEG at PATH as an <img> with a data: URI; a line saying why
 * when it cannot be (gone, too large, over the report's budget). */
static void image(struct html *h, const char *path)
{
    char err[256], *out;
    size_t len, olen;
    char *data = ut_read_file(path, HTML_MAX_IMG, &len, err, sizeof err);
    size_t plen = strlen(path);
    const char *mime = plen > 4 && (!strcmp(path + plen - 4, ".jpg") ||
                       !strcmp(path + plen - 5, ".jpeg")) ? "image/jpeg" :
                       "image/png";

    if (!data) {
        ut_buf_adds(&h->b, "<p class=\"meta\">screenshot not embedded: ");
        esc(&h->b, err);
        ut_buf_adds(&h->b, "</p>\n");
        return;
    }
    olen = (len + 2) / 3 * 4 + 8;    /* lws wants room to spare */
    if (h->images + olen > HTML_MAX / 2) {
        h->full = 1;
        ut_buf_adds(&h->b, "<p class=\"meta\">screenshot not embedded: the "
                    "report's size limit was reached</p>\n");
        free(data);
        return;
    }
    out = malloc(olen);
    if (out && lws_b64_encode_string(data, (int)len, out, (int)olen) >= 0) {
        ut_buf_addf(&h->b, "<img class=\"shot\" alt=\"screenshot\" "
                    "src=\"data:%s;base64,", mime);
        ut_buf_adds(&h->b, out);
        ut_buf_adds(&h->b, "\">\n");
        h->images += olen;
    }
    free(out);
    free(data);
}

static void timings(ut_buf *b, const cJSON *st)
{
    static const char *const keys[] = { "resolve", "cache", "collect",
                                        "score", "llm", NULL };
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(st, "timings_us");
    int k, first = 1;

    ut_buf_addf(b, "<td>%.0f ms", jn(st, "duration_ms", 0));
    for (k = 0; t && keys[k]; k++) {
        double v = jn(t, keys[k], 0);
        if (v <= 0)
            continue;
        ut_buf_addf(b, "%s%s %.1f", first ? "<br><small>" : ", ", keys[k],
                    v / 1000.0);
        first = 0;
    }
    ut_buf_adds(b, first ? "</td>" : " ms</small></td>");
}

/* The row under a step: error, page, candidates, screenshot, console. */
static void detail(struct html *h, const cJSON *st, const char *cls)
{
    ut_buf *b = &h->b;
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(st, "top_candidates");
    const cJSON *c;
    const char *v;
    int n = 0;

    ut_buf_addf(b, "<tr class=\"detail %s\"><td></td><td colspan=\"8\">\n",
                cls);
    if ((v = js(st, "error")) != NULL) {
        ut_buf_adds(b, "<p class=\"err\">");
        esc(b, js(st, "error_class"));
        ut_buf_adds(b, ": ");
        esc(b, v);
        ut_buf_adds(b, "</p>\n");
    }
    if ((v = js(st, "old_selector")) != NULL) {
        ut_buf_adds(b, "<p class=\"meta\">healed: was <code>");
        esc(b, v);
        ut_buf_adds(b, "</code></p>\n");
    }
    if ((v = js(st, "seen")) != NULL) {
        ut_buf_adds(b, "<p class=\"meta\">seen: ");
        esc(b, v);
        ut_buf_adds(b, "</p>\n");
    }
    if ((v = js(st, "url")) != NULL) {
        ut_buf_adds(b, "<p class=\"meta\">page: <code class=\"url\">");
        esc(b, v);
        ut_buf_adds(b, "</code></p>\n");
    }
    if (cJSON_GetArraySize(a) > 0) {
        ut_buf_adds(b, "<p class=\"meta\">candidates (score):</p>"
                    "<ol class=\"cands\">\n");
        cJSON_ArrayForEach(c, a) {
            ut_buf_addf(b, "<li>%.2f <code>", jn(c, "score", 0));
            esc(b, js(c, "candidate"));
            ut_buf_adds(b, "</code></li>\n");
        }
        ut_buf_adds(b, "</ol>\n");
    }
    if ((v = js(st, "screenshot")) != NULL)
        image(h, v);
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(st,
                                                           "console_errors")) {
        if (n++ >= HTML_MAX_CON)
            break;
        ut_buf_adds(b, "<p class=\"meta console\">console: <code>");
        esc(b, cJSON_GetStringValue(c));
        ut_buf_adds(b, "</code></p>\n");
    }
    ut_buf_adds(b, "</td></tr>\n");
}

static int has_detail(const cJSON *st)
{
    static const char *const keys[] = { "error", "old_selector", "seen",
        "url", "top_candidates", "screenshot", "console_errors", NULL };
    int k;

    for (k = 0; keys[k]; k++)
        if (cJSON_GetObjectItemCaseSensitive(st, keys[k]))
            return 1;
    return 0;
}

static void step_row(struct html *h, const cJSON *st)
{
    ut_buf *b = &h->b;
    const char *status = js(st, "status"), *src = js(st, "source");
    char cls[64], num[32];
    const cJSON *conf = cJSON_GetObjectItemCaseSensitive(st, "confidence");

    snprintf(cls, sizeof cls, "%s%s%s", status ? status : "?",
             src && !strcmp(src, "llm") ? " llm" : "",
             jtrue(st, "healed") ? " healed" : "");
    if (status && !strcmp(status, "failed-optional"))
        memcpy(cls, "optional", 9);
    ut_buf_addf(b, "<tr class=\"step %s\"><td>%.0f</td>", cls,
                jn(st, "index", 0));
    td(b, js(st, "kind"), 0);
    td(b, js(st, "target"), 0);
    ut_buf_adds(b, "<td><span class=\"st ");
    esc(b, status);
    ut_buf_adds(b, "\">");
    esc(b, status);
    ut_buf_adds(b, "</span></td>");
    td(b, src, 0);
    td(b, js(st, "selector"), 1);
    num[0] = '\0';
    if (cJSON_IsNumber(conf))
        snprintf(num, sizeof num, "%.2f", conf->valuedouble);
    td(b, num, 0);
    num[0] = '\0';
    if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(st, "margin")))
        snprintf(num, sizeof num, "%.2f", jn(st, "margin", 0));
    td(b, num, 0);
    timings(b, st);
    ut_buf_adds(b, "</tr>\n");
    if (has_detail(st))
        detail(h, st, cls);
}

static void task_section(struct html *h, const cJSON *t)
{
    ut_buf *b = &h->b;
    const char *status = js(t, "status"), *name = js(t, "task"), *v;
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(t, "llm");
    const cJSON *br = cJSON_GetObjectItemCaseSensitive(t, "browser");
    const cJSON *st;

    if (!status)
        status = "?";
    ut_buf_adds(b, "<section class=\"task ");
    esc(b, status);
    ut_buf_adds(b, "\"><h2><span class=\"st\">");
    esc(b, !strcmp(status, "passed") ? "PASS" : !strcmp(status, "skipped") ?
        "SKIP" : "FAIL");
    ut_buf_adds(b, "</span> ");
    esc(b, name ? name : js(t, "file"));
    ut_buf_adds(b, "</h2>\n<p class=\"meta\">");
    esc(b, js(t, "file"));
    ut_buf_addf(b, " &middot; %.2f s", jn(t, "duration_ms", 0) / 1000.0);
    if ((v = js(t, "run_id")) != NULL) {
        ut_buf_adds(b, " &middot; run ");
        esc(b, v);
    }
    if ((v = js(br, "product")) != NULL) {
        ut_buf_adds(b, " &middot; ");
        esc(b, v);
    }
    if (jn(l, "calls", 0) > 0)
        ut_buf_addf(b, " &middot; %.0f LLM calls, est. $%.4f",
                    jn(l, "calls", 0), jn(l, "estimated_cost", 0));
    if (jn(t, "attempts", 1) > 1)
        ut_buf_addf(b, " &middot; %.0f attempts%s", jn(t, "attempts", 1),
                    jtrue(t, "flaky") ? " (flaky)" : "");
    ut_buf_adds(b, "</p>\n");
    if ((v = js(t, "error")) != NULL || (v = js(t, "reason")) != NULL) {
        ut_buf_adds(b, "<p class=\"err\">");
        esc(b, v);
        ut_buf_adds(b, "</p>\n");
    }
    ut_buf_adds(b, "<table><tr><th>#</th><th>kind</th><th>target</th>"
                "<th>status</th><th>source</th><th>selector</th>"
                "<th>confidence</th><th>margin</th><th>time</th></tr>\n");
    cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(t, "steps"))
        step_row(h, st);
    ut_buf_adds(b, "</table></section>\n");
}

/* The summary line over TASKS: counts of tasks and of steps. */
static void summary(ut_buf *b, const cJSON *tasks, double ms, int code)
{
    int n[4] = { 0 }, steps = 0, failed = 0, llm = 0, healed = 0;
    const cJSON *t, *st;

    cJSON_ArrayForEach(t, tasks) {
        const char *s = js(t, "status");
        n[!s ? 1 : !strcmp(s, "passed") ? (jtrue(t, "flaky") ? 2 : 0) :
          !strcmp(s, "skipped") ? 3 : 1]++;
        cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(t, "steps")) {
            const char *ss = js(st, "status"), *src = js(st, "source");
            steps++;
            failed += ss && !strncmp(ss, "failed", 6);
            llm += src && !strcmp(src, "llm");
            healed += jtrue(st, "healed");
        }
    }
    ut_buf_addf(b, "<p id=\"summary\"><span class=\"st %s\">%s</span> "
                "%d task%s: %d passed, %d failed, %d flaky, %d skipped "
                "&middot; %d steps: %d failed, %d by LLM, %d healed "
                "&middot; %.2f s &middot; exit %d</p>\n",
                code ? "failed" : "passed", code ? "FAILED" : "PASSED",
                cJSON_GetArraySize(tasks), cJSON_GetArraySize(tasks) == 1 ?
                "" : "s", n[0], n[1], n[2], n[3], steps, failed, llm,
                healed, ms / 1000.0, code);
    ut_buf_adds(b, "<div id=\"filters\">show only: "
                "<label><input type=\"checkbox\" id=\"f-failed\"> failed"
                "</label> <label><input type=\"checkbox\" id=\"f-llm\"> "
                "chosen by the LLM</label> <label><input type=\"checkbox\" "
                "id=\"f-healed\"> healed</label></div>\n");
}

int run_report_html(const char *path, const cJSON *doc, char *err,
                    size_t errlen)
{
    cJSON *d = cJSON_Duplicate(doc, 1), *one = NULL;
    const cJSON *tasks, *t;
    struct html h;
    double ms = 0;
    int rc;

    if (!d)
        return ut_err(err, errlen, -1, "--report %s: out of memory", path);
    run_redact_json(d);                 /* as on stdout: no secret */
    tasks = cJSON_GetObjectItemCaseSensitive(d, "tasks");
    if (!cJSON_IsArray(tasks)) {        /* one task's report */
        one = cJSON_CreateArray();
        cJSON_AddItemReferenceToArray(one, d);
        tasks = one;
    }
    cJSON_ArrayForEach(t, tasks)
        ms += jn(t, "duration_ms", 0);
    memset(&h, 0, sizeof h);
    ut_buf_init(&h.b, HTML_MAX);
    ut_buf_adds(&h.b, html_head);
    summary(&h.b, tasks, jn(d, "duration_ms", ms),
            (int)jn(d, "exit_code", 0));
    cJSON_ArrayForEach(t, tasks)
        task_section(&h, t);
    rc = ut_buf_adds(&h.b, html_tail);
    if (rc)
        ut_err(err, errlen, -1, "--report %s: report larger than %u MiB",
               path, HTML_MAX >> 20);
    else if (ut_write_file(path, h.b.p, h.b.len, 0600))
        rc = ut_err(err, errlen, -1, "--report %s: %s", path,
                    strerror(errno));
    ut_buf_free(&h.b);
    cJSON_Delete(one);
    cJSON_Delete(d);
    return rc;
}

int run_report_html_check(const char *cmd, const char *path)
{
    char dir[4096], *slash;

    ut_strlcpy(dir, path, sizeof dir);
    slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir] = '\0';
    if (!*path || ut_is_dir(path) || (slash && !ut_is_dir(dir)) ||
        strlen(path) >= sizeof dir - 32) {
        run_usage_err(cmd, "--report \"%s\": %s", path,
                      !*path || ut_is_dir(path) ? "expected a file such as "
                      "report.html" : slash && !ut_is_dir(dir) ?
                      "no such folder" : "path too long");
        return -1;
    }
    return 0;
}
