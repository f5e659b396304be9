/* smoke_report.c -- what `cdpilot smoke` writes once the tasks are done:
 * what went wrong in a failed attempt (from the child's JSON report, else
 * its stderr), the JUnit XML (--junit) and the --json document. */
#include "smoke_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>


static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The first line of ERR that starts with "cdpilot: ", without it. */
static void err_line(const char *err, char *out, size_t n)
{
    const char *p = err ? strstr(err, "cdpilot: ") : NULL;
    size_t len;

    out[0] = '\0';
    if (!p)
        return;
    p += 9;
    len = strcspn(p, "\n");
    if (len >= n)
        len = n - 1;
    memcpy(out, p, len);
    out[len] = '\0';
}

void run__smoke_fail_of(const struct attempt *a, struct run__smoke_fail *fi)
{
    const cJSON *steps, *st, *bad = NULL;

    memset(fi, 0, sizeof *fi);
    steps = cJSON_GetObjectItemCaseSensitive(a->report, "steps");
    cJSON_ArrayForEach(st, steps) {
        const char *status = jstr(st, "status");
        if (status && !strcmp(status, "failed"))
            bad = st;
    }
    if (bad) {
        const cJSON *ix = cJSON_GetObjectItemCaseSensitive(bad, "index");
        const char *kind = jstr(bad, "kind"), *tg = jstr(bad, "target");
        const char *cls = jstr(bad, "error_class"), *e = jstr(bad, "error");
        snprintf(fi->msg, sizeof fi->msg, "step %d (%s%s%.100s%s): %s: %s",
                 cJSON_IsNumber(ix) ? ix->valueint : 0, kind ? kind : "?",
                 tg ? " \"" : "", tg ? tg : "", tg ? "\"" : "",
                 cls ? cls : "failed", e ? e : "?");
        ut_strlcpy(fi->type, cls ? cls : "failed", sizeof fi->type);
        fi->is_error = a->code == RUN_EXIT_BROWSER;
        return;
    }
    err_line(a->err, fi->msg, sizeof fi->msg);
    fi->is_error = 1;
    if (a->code == RUN_EXIT_USAGE) {
        ut_strlcpy(fi->type, "invalid", sizeof fi->type);
    } else if (a->code == RUN_EXIT_BROWSER) {
        ut_strlcpy(fi->type, "browser", sizeof fi->type);
    } else if (a->code == RUN_EXIT_LLM) {
        ut_strlcpy(fi->type, "llm", sizeof fi->type);
    } else if (a->report && jstr(a->report, "status") &&
               !strcmp(jstr(a->report, "status"), "interrupted")) {
        ut_strlcpy(fi->type, "interrupted", sizeof fi->type);
    } else {
        ut_strlcpy(fi->type, "crashed", sizeof fi->type);
        if (!fi->msg[0])
            snprintf(fi->msg, sizeof fi->msg, a->code > 128 ?
                     "cdpilot run was killed by signal %d" :
                     "cdpilot run exited with code %d",
                     a->code > 128 ? a->code - 128 : a->code);
    }
    if (!fi->msg[0])
        snprintf(fi->msg, sizeof fi->msg, "%s failure (exit %d)", fi->type,
                 a->code);
}

/* ---- JUnit XML -------------------------------------------------------- */
/* Appends S escaped for XML text or attribute values: & < > " ' become
 * entities, control characters other than tab and newline are dropped
 * (XML 1.0 forbids them), bytes that are not UTF-8 become '?'. */
static void xml_add(ut_buf *b, const char *str, int attr)
{
    const unsigned char *p = (const unsigned char *)(str ? str : "");

    while (*p) {
        unsigned char c = *p;
        size_t need = c < 0x80 ? 0 : c >= 0xC2 && c <= 0xDF ? 1 :
                      c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ?
                      3 : 9, i;
        if (need == 9) {
            ut_buf_addc(b, '?');
            p++;
            continue;
        }
        if (need) {
            for (i = 1; i <= need && (p[i] & 0xC0) == 0x80; i++)
                ;
            if (i <= need) {
                ut_buf_addc(b, '?');
                p++;
            } else {
                ut_buf_add(b, p, need + 1);
                p += need + 1;
            }
            continue;
        }
        switch (c) {
        case '&': ut_buf_adds(b, "&amp;"); break;
        case '<': ut_buf_adds(b, "&lt;"); break;
        case '>': ut_buf_adds(b, "&gt;"); break;
        case '"': ut_buf_adds(b, "&quot;"); break;
        case '\'': ut_buf_adds(b, "&apos;"); break;
        case '\n': ut_buf_adds(b, attr ? "&#10;" : "\n"); break;
        case '\t': ut_buf_adds(b, attr ? "&#9;" : "\t"); break;
        default:
            if (c >= 0x20)
                ut_buf_addc(b, (char)c);
        }
        p++;
    }
}

/* <TAG message="…" type="…">detail</TAG> for one failed attempt. */
static void xml_fail(ut_buf *b, const char *tag, const struct attempt *a,
                     int sub)
{
    struct run__smoke_fail fi;

    run__smoke_fail_of(a, &fi);
    ut_buf_addf(b, "      <%s message=\"", tag);
    xml_add(b, fi.msg, 1);
    ut_buf_adds(b, "\" type=\"");
    xml_add(b, fi.type, 1);
    ut_buf_adds(b, "\">");
    if (sub) {                       /* Surefire: rerun/flaky detail */
        ut_buf_adds(b, "<system-err>");
        xml_add(b, a->err, 0);
        ut_buf_adds(b, "</system-err>");
    } else {
        const char *p = a->err ? a->err : "";
        while (*p) {                 /* the failure block, not ok lines */
            size_t len = strcspn(p, "\n");
            if (!ut_starts_with(p, "  ok ")) {
                char *l = ut_strndup(p, len);
                xml_add(b, l, 0);
                ut_buf_addc(b, '\n');
                free(l);
            }
            p += len + (p[len] == '\n');
        }
    }
    ut_buf_addf(b, "</%s>\n", tag);
}

/* Properties a CI dashboard can filter on, from a task's report: its
 * steps by where their targets came from, the LLM calls and their
 * estimated cost, the steps healed. */
static void xml_provenance(ut_buf *b, const cJSON *rep)
{
    static const char *const src[] = { "explicit", "cache", "heuristic",
                                       "llm", NULL };
    const cJSON *st, *l = cJSON_GetObjectItemCaseSensitive(rep, "llm");
    const cJSON *calls = cJSON_GetObjectItemCaseSensitive(l, "calls");
    const cJSON *cost = cJSON_GetObjectItemCaseSensitive(l,
                                                         "estimated_cost");
    int n[4] = { 0 }, healed = 0, k;

    cJSON_ArrayForEach(st, cJSON_GetObjectItemCaseSensitive(rep, "steps")) {
        const char *s = jstr(st, "source");
        for (k = 0; s && src[k]; k++)
            if (!strcmp(s, src[k]))
                n[k]++;
        healed += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st,
                                                                "healed"));
    }
    for (k = 0; src[k]; k++)
        ut_buf_addf(b, "        <property name=\"steps.%s\" "
                    "value=\"%d\"/>\n", src[k], n[k]);
    ut_buf_addf(b, "        <property name=\"llm.calls\" value=\"%d\"/>\n"
                "        <property name=\"llm.estimated_cost\" "
                "value=\"%.6f\"/>\n"
                "        <property name=\"healed\" value=\"%d\"/>\n",
                cJSON_IsNumber(calls) ? calls->valueint : 0,
                cJSON_IsNumber(cost) ? cost->valuedouble : 0.0, healed);
}

static void xml_case(ut_buf *b, const struct smoke *s,
                     const struct smoke_task *t)
{
    const char *slash = strrchr(t->file, '/');
    char *dir = slash ? ut_strndup(t->file, (size_t)(slash - t->file))
                      : ut_strdup(".");
    const struct attempt *last = t->natt ? &t->att[t->natt - 1] : NULL;
    int64_t ms = 0;
    int i;
    struct run__smoke_fail fi;

    for (i = 0; i < t->natt; i++)
        ms += t->att[i].ms;
    ut_buf_adds(b, "    <testcase classname=\"");
    xml_add(b, dir, 1);
    ut_buf_adds(b, "\" name=\"");
    xml_add(b, t->label, 1);
    ut_buf_adds(b, "\" file=\"");
    xml_add(b, t->file, 1);
    ut_buf_addf(b, "\" time=\"%.3f\">\n", ms / 1000.0);
    free(dir);
    if (t->natt > 1 || t->trace || (last && last->report)) {
        ut_buf_adds(b, "      <properties>\n");
        if (last && last->report)
            xml_provenance(b, last->report);
        if (t->flaky)
            ut_buf_adds(b, "        <property name=\"flaky\" "
                        "value=\"true\"/>\n");
        if (t->grid_retried)
            ut_buf_adds(b, "        <property name=\"retried\" value=\""
                        RUN__SMOKE_GRID_RETRIED "\"/>\n");
        ut_buf_addf(b, "        <property name=\"attempts\" value=\"%d\"/>\n",
                    t->natt);
        if (t->trace) {
            ut_buf_adds(b, "        <property name=\"trace\" value=\"");
            xml_add(b, t->trace, 1);
            ut_buf_adds(b, "\"/>\n");
        }
        ut_buf_adds(b, "      </properties>\n");
    }
    if (t->state == TASK_SKIPPED) {
        ut_buf_adds(b, "      <skipped message=\"");
        xml_add(b, t->skip_reason ? t->skip_reason : "not run", 1);
        ut_buf_adds(b, "\"/>\n");
    } else if (t->code != 0) {
        run__smoke_fail_of(last, &fi);
        xml_fail(b, fi.is_error ? "error" : "failure", last, 0);
        for (i = 0; i + 1 < t->natt; i++) {
            run__smoke_fail_of(&t->att[i], &fi);
            xml_fail(b, fi.is_error ? "rerunError" : "rerunFailure",
                     &t->att[i], 1);
        }
    } else {
        for (i = 0; i + 1 < t->natt; i++) {
            run__smoke_fail_of(&t->att[i], &fi);
            xml_fail(b, fi.is_error ? "flakyError" : "flakyFailure",
                     &t->att[i], 1);
        }
    }
    if (last) {
        ut_buf_adds(b, "      <system-out>");
        if (t->flaky)
            ut_buf_addf(b, "flaky: passed on attempt %d of %d\n", t->natt,
                        s->so.retries + 1);
        if (t->grid_retried)
            ut_buf_adds(b, RUN__SMOKE_GRID_RETRIED "\n");
        xml_add(b, last->err, 0);
        ut_buf_adds(b, "</system-out>\n");
    }
    ut_buf_adds(b, "    </testcase>\n");
}


void run__smoke_count(const struct smoke *s, struct run__smoke_counts *c)
{
    size_t i;

    memset(c, 0, sizeof *c);
    for (i = 0; i < s->ntasks; i++) {
        const struct smoke_task *t = &s->tasks[i];
        struct run__smoke_fail fi;
        if (t->state != TASK_DONE) {
            c->skipped++;
        } else if (t->code == 0) {
            if (t->flaky)
                c->flaky++;
            else
                c->passed++;
        } else {
            c->failed++;
            run__smoke_fail_of(&t->att[t->natt - 1], &fi);
            if (fi.is_error)
                c->errors++;
            else
                c->failures++;
        }
    }
}

int run__smoke_write_junit(const struct smoke *s, int64_t ms, char *err,
                           size_t errlen)
{
    ut_buf b;
    struct run__smoke_counts c;
    char stamp[32], host[256] = "localhost";
    time_t now = time(NULL);
    struct tm tm;
    size_t i;
    int rc;

    run__smoke_count(s, &c);
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    gethostname(host, sizeof host - 1);
    ut_buf_init(&b, SMOKE_MAX_JUNIT);
    ut_buf_addf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<testsuites name=\"cdpilot smoke\" tests=\"%zu\" "
                "failures=\"%d\" errors=\"%d\" skipped=\"%d\" "
                "time=\"%.3f\">\n", s->ntasks, c.failures, c.errors,
                c.skipped, ms / 1000.0);
    ut_buf_addf(&b, "  <testsuite name=\"cdpilot smoke\" tests=\"%zu\" "
                "failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\" "
                "timestamp=\"%s\" hostname=\"", s->ntasks, c.failures,
                c.errors, c.skipped, ms / 1000.0, stamp);
    xml_add(&b, host, 1);
    ut_buf_adds(&b, "\">\n");
    for (i = 0; i < s->ntasks; i++)
        xml_case(&b, s, &s->tasks[i]);
    rc = ut_buf_adds(&b, "  </testsuite>\n</testsuites>\n");
    if (rc)
        ut_err(err, errlen, -1, "--junit %s: report larger than %u MiB",
               s->so.junit, SMOKE_MAX_JUNIT >> 20);
    else if (ut_write_file(s->so.junit, b.p, b.len, 0644))
        rc = ut_err(err, errlen, -1, "--junit %s: %s", s->so.junit,
                    strerror(errno));
    ut_buf_free(&b);
    return rc;
}

/* ---- the --json document ------------------------------------------- */
static void set_item(cJSON *o, const char *k, cJSON *v)
{
    cJSON_DeleteItemFromObjectCaseSensitive(o, k);
    cJSON_AddItemToObject(o, k, v);
}

/* The attempt's report (taken from A), or one made up when the child
 * printed none (invalid task file, crash). */
/* A task's report when cdpilot wrote none (it crashed, or never ran):
 * the schema version and the task's name. */
static cJSON *bare_report(const struct smoke_task *t)
{
    cJSON *r = cJSON_CreateObject();

    cJSON_AddNumberToObject(r, "schema_version", RUN_SCHEMA_VERSION);
    if (t->name)
        cJSON_AddStringToObject(r, "task", t->name);
    else
        cJSON_AddNullToObject(r, "task");
    return r;
}

static cJSON *attempt_json(const struct smoke_task *t, struct attempt *a)
{
    cJSON *r = a->report;
    struct run__smoke_fail fi;

    run__smoke_fail_of(a, &fi);    /* reads a->report: before taking it */
    a->report = NULL;
    if (!r) {
        r = bare_report(t);
        cJSON_AddStringToObject(r, "status", a->code ? "failed" : "passed");
        cJSON_AddNumberToObject(r, "exit_code", a->code);
        cJSON_AddNumberToObject(r, "duration_ms", (double)a->ms);
        cJSON_AddArrayToObject(r, "steps");
    }
    set_item(r, "file", cJSON_CreateString(t->file));
    if (a->code) {
        set_item(r, "error_class", cJSON_CreateString(fi.type));
        set_item(r, "error", cJSON_CreateString(fi.msg));
    }
    if (a->wait_ms)
        set_item(r, "retry_wait_ms", cJSON_CreateNumber((double)a->wait_ms));
    return r;
}

static cJSON *task_json(struct smoke_task *t)
{
    cJSON *r;
    int i;

    if (t->natt == 0) {
        r = bare_report(t);
        cJSON_AddStringToObject(r, "file", t->file);
        cJSON_AddStringToObject(r, "status", "skipped");
    } else {
        r = attempt_json(t, &t->att[t->natt - 1]);
        if (t->state == TASK_SKIPPED)
            set_item(r, "status", cJSON_CreateString("skipped"));
    }
    if (t->state == TASK_SKIPPED)
        set_item(r, "reason", cJSON_CreateString(t->skip_reason ?
                 t->skip_reason : "not run"));
    set_item(r, "attempts", cJSON_CreateNumber(t->natt));
    set_item(r, "flaky", cJSON_CreateBool(t->flaky));
    if (t->grid_retried)
        set_item(r, "retried", cJSON_CreateString(RUN__SMOKE_GRID_RETRIED));
    if (t->setup)
        set_item(r, "setup", cJSON_CreateTrue());
    if (t->trace)
        set_item(r, "trace", cJSON_CreateString(t->trace));
    if (t->natt > 1) {
        cJSON *f = cJSON_CreateArray();
        for (i = 0; i + 1 < t->natt; i++)
            cJSON_AddItemToArray(f, attempt_json(t, &t->att[i]));
        set_item(r, "failed_attempts", f);
    }
    return r;
}

cJSON *run__smoke_json(struct smoke *s, int code, int64_t ms)
{
    cJSON *o = cJSON_CreateObject(), *a, *c;
    struct run__smoke_counts n;
    struct rusage ru;
    double child_rss = 0;
    size_t i;

    run__smoke_count(s, &n);
    cJSON_AddNumberToObject(o, "schema_version", RUN_SCHEMA_VERSION);
    cJSON_AddStringToObject(o, "status", code ? "failed" : "passed");
    cJSON_AddNumberToObject(o, "exit_code", code);
    cJSON_AddNumberToObject(o, "passed", n.passed);
    cJSON_AddNumberToObject(o, "failed", n.failed);
    cJSON_AddNumberToObject(o, "flaky", n.flaky);
    cJSON_AddNumberToObject(o, "skipped", n.skipped);
    cJSON_AddNumberToObject(o, "duration_ms", (double)ms);
    cJSON_AddNumberToObject(o, "jobs", s->so.jobs);
    if (s->base_url)
        cJSON_AddStringToObject(o, "base_url", s->base_url);
    a = cJSON_AddArrayToObject(o, "tasks");
    for (i = 0; i < s->ntasks; i++) {
        cJSON *t = task_json(&s->tasks[i]);
        cJSON *ctl = cJSON_GetObjectItemCaseSensitive(t, "controller");
        cJSON *rss = cJSON_GetObjectItemCaseSensitive(ctl, "max_rss_kb");
        if (cJSON_IsNumber(rss) && rss->valuedouble > child_rss)
            child_rss = rss->valuedouble;
        cJSON_AddItemToArray(a, t);
    }
    getrusage(RUSAGE_SELF, &ru);
    c = cJSON_AddObjectToObject(o, "controller");
    cJSON_AddNumberToObject(c, "cpu_ms",
        (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
        (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0);
    cJSON_AddNumberToObject(c, "max_rss_kb", (double)ru.ru_maxrss);
    cJSON_AddNumberToObject(c, "children_max_rss_kb", child_rss);
    return o;
}

/* The --json document on stdout and the --report page, from one tree
 * (it takes the children's reports). Returns 0, or -1 when the page
 * could not be written (said on stderr). */
int run__smoke_reports(struct smoke *s, int code, int64_t ms)
{
    cJSON *o = run__smoke_json(s, code, ms);
    char err[RUN_ERR_LEN], *txt;
    int rc = 0;

    if (s->so.report && (rc = run_report_html(s->so.report, o, err,
                                              sizeof err)) != 0)
        fprintf(stderr, "cdpilot: smoke: %s\n", err);
    if (rc && code == RUN_EXIT_OK) {
        set_item(o, "status", cJSON_CreateString("failed"));
        set_item(o, "exit_code", cJSON_CreateNumber(RUN_EXIT_USAGE));
    }
    if (!s->so.json) {
        cJSON_Delete(o);
        return rc;
    }
    txt = cJSON_Print(o);
    if (txt) {
        fputs(txt, stdout);
        fputc('\n', stdout);
        free(txt);
    }
    fflush(stdout);
    cJSON_Delete(o);
    return rc;
}
