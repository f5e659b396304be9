/* test_runner_report_html.c -- the --report page from a JSON report: one
 * task or {"tasks": [...]}; text escaped; a secret redacted; a failure's
 * screenshot embedded as a data: URI, or a line saying why not; the file
 * 0600 with no temporary file left; a bad path refused before any run. */
#include "../t.h"
#include "../../runner/exec_int.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/cdpilot-t-html.XXXXXX";

static char *path_in(const char *name)
{
    static char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return p;
}

static char *write_and_read(const char *json, size_t *len)
{
    cJSON *d = cJSON_Parse(json);
    char err[512], *text;

    CHECK(d != NULL);
    err[0] = '\0';
    CHECK_INT(run_report_html(path_in("r.html"), d, err, sizeof err), 0);
    CHECK_STR(err, "");
    cJSON_Delete(d);
    text = ut_read_file(path_in("r.html"), 1u << 20, len, err, sizeof err);
    CHECK(text != NULL);
    return text ? text : ut_strdup("");
}

static void test_one_task(void)
{
    /* a 1x1 PNG is enough: the bytes only travel */
    static const unsigned char png[] = { 0x89, 'P', 'N', 'G', 13, 10, 26,
                                         10, 0, 0, 0, 13 };
    char json[2048], *t;
    size_t len;
    struct stat st;
    FILE *f = fopen(path_in("shot.png"), "wb");

    CHECK(f != NULL);
    if (f) {
        fwrite(png, 1, sizeof png, f);
        fclose(f);
    }
    CHECK_INT(run_secret_add("hunter2secret"), 0);
    snprintf(json, sizeof json,
        "{\"task\":\"<b>login</b>\",\"file\":\"t.json\",\"status\":"
        "\"failed\",\"exit_code\":1,\"duration_ms\":1500,\"steps\":["
        "{\"index\":1,\"kind\":\"fill\",\"target\":\"Email\",\"status\":"
        "\"passed\",\"source\":\"heuristic\",\"selector\":\"css=#email\","
        "\"confidence\":0.93,\"margin\":0.4,\"healed\":false,"
        "\"duration_ms\":12,\"top_candidates\":[{\"candidate\":"
        "\"textbox \\\"Email\\\" <input#email>\",\"score\":0.93}]},"
        "{\"index\":2,\"kind\":\"click\",\"target\":\"Go & see\",\"status\":"
        "\"failed\",\"source\":null,\"selector\":null,\"confidence\":null,"
        "\"healed\":false,\"duration_ms\":800,\"error_class\":\"not-found\","
        "\"error\":\"nothing fits; token hunter2secret\",\"url\":"
        "\"http://h/?t=hunter2secret\",\"screenshot\":\"%s\","
        "\"console_errors\":[\"console.error: x<y\"]}]}",
        path_in("shot.png"));
    t = write_and_read(json, &len);
    CHECK_CONTAINS(t, "<!DOCTYPE html>");
    CHECK_CONTAINS(t, "default-src 'none'");       /* no fetch at all */
    CHECK_CONTAINS(t, "&lt;b&gt;login&lt;/b&gt;");  /* escaped */
    CHECK(strstr(t, "<b>login") == NULL);
    CHECK_CONTAINS(t, "Go &amp; see");
    CHECK_CONTAINS(t, "<tr class=\"step passed\"><td>1</td>");
    CHECK_CONTAINS(t, "<tr class=\"step failed\"><td>2</td>");
    CHECK_CONTAINS(t, "<li>0.93 <code>textbox &quot;Email&quot; "
                      "&lt;input#email&gt;</code></li>");
    CHECK_CONTAINS(t, "src=\"data:image/png;base64,iVBORw0KGgoAAAAN\"");
    CHECK_CONTAINS(t, "console.error: x&lt;y");
    CHECK_CONTAINS(t, "token ***");
    CHECK_CONTAINS(t, "http://h/?t=***");
    CHECK(strstr(t, "hunter2secret") == NULL);
    CHECK_CONTAINS(t, "1 task: 0 passed, 1 failed");
    CHECK_CONTAINS(t, "2 steps: 1 failed, 0 by LLM, 0 healed");
    CHECK(stat(path_in("r.html"), &st) == 0 && (st.st_mode & 0777) == 0600);
    free(t);
}

static void test_tasks_and_missing_shot(void)
{
    char *t;
    size_t len;

    t = write_and_read("{\"exit_code\":1,\"duration_ms\":9000,\"tasks\":["
        "{\"task\":\"a\",\"file\":\"a.json\",\"status\":\"passed\","
        "\"steps\":[{\"index\":1,\"kind\":\"click\",\"status\":\"passed\","
        "\"source\":\"llm\",\"healed\":true,\"old_selector\":\"css=#old\"}]},"
        "{\"task\":\"b\",\"file\":\"b.json\",\"status\":\"failed\","
        "\"error\":\"b.json: step 1: bad\",\"steps\":[{\"index\":1,\"kind\":"
        "\"click\",\"status\":\"failed\",\"screenshot\":"
        "\"/nonexistent/cdpilot/shot.png\"}]},"
        "{\"file\":\"c.json\",\"status\":\"skipped\",\"reason\":\"cancelled\"}"
        "]}", &len);
    CHECK_CONTAINS(t, "3 tasks: 1 passed, 1 failed, 0 flaky, 1 skipped");
    CHECK_CONTAINS(t, "by LLM, 1 healed &middot; 9.00 s &middot; exit 1");
    CHECK_CONTAINS(t, "<tr class=\"step passed llm healed\">");
    CHECK_CONTAINS(t, "healed: was <code>css=#old</code>");
    CHECK_CONTAINS(t, "screenshot not embedded: ");
    CHECK_CONTAINS(t, "b.json: step 1: bad");
    CHECK_CONTAINS(t, "<span class=\"st\">SKIP</span> c.json");
    CHECK_CONTAINS(t, "cancelled");
    free(t);
}

static void test_no_tmp_left_and_check(void)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int tmp = 0;

    while (d && (de = readdir(d)) != NULL)
        tmp += strstr(de->d_name, ".tmp.") != NULL;
    if (d)
        closedir(d);
    CHECK_INT(tmp, 0);
    CHECK_INT(run_report_html_check(NULL, path_in("ok.html")), 0);
    CHECK_INT(run_report_html_check(NULL, dir), -1);           /* a folder */
    CHECK_INT(run_report_html_check(NULL, path_in("no/r.html")), -1);
    CHECK_INT(run_report_html_check(NULL, ""), -1);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    test_one_task();
    test_tasks_and_missing_shot();
    test_no_tmp_left_and_check();
    unlink(path_in("shot.png"));
    unlink(path_in("r.html"));
    rmdir(dir);
    return T_DONE();
}
