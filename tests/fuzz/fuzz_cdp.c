/* fuzz_cdp.c -- CDP message handling: the router cdp__on_message (replies
 * matched to waiting calls, events routed to sessions and subscribers,
 * Target.* session tracking) fed one text frame per input line, on a
 * connection built in memory with no socket and no browser. The last
 * line also goes through cdp__on_toobig, then the socket "closes".
 * Three calls wait (ids 1, 2 on the browser session, 3 on session S1),
 * and the subscriber does what real subscribers do: reads params, asks
 * for its session's ids, answers with cdp_send (which fails CLOSED
 * here), and on "Fuzz.sub"/"Fuzz.unsub" subscribes another subscriber
 * or drops itself mid-dispatch. */
#include "fuzz.h"
#include "../../cdp/cdp_int.h"

#include <cjson/cJSON.h>

#define CDP_FUZZ_PENDING 3

struct sub_state {
    struct cdp_conn *c;
    int id;             /* this subscriber's id */
    unsigned long seen;
    int added;          /* subscribers added from inside dispatch */
};

static void on_trace(void *ud, int dir_out, const char *msg, size_t len)
{
    size_t *bytes = ud;

    (void)dir_out;
    (void)msg;
    *bytes += len;
}

static void on_event(void *ud, struct cdp_session *s, const char *method,
                     const cJSON *params)
{
    struct sub_state *st = ud;
    const cJSON *e;

    FUZZ_CHECK(s != NULL && method != NULL && cJSON_IsObject(params));
    FUZZ_CHECK(cdp_session_conn(s) == st->c);
    FUZZ_CHECK(strlen(cdp_session_id(s)) < 64);
    FUZZ_CHECK(strlen(cdp_session_target(s)) < 64);
    st->seen++;
    cJSON_ArrayForEach(e, params)
        if (cJSON_IsString(e))
            st->seen += strlen(e->valuestring) & 1;
    if (strcmp(method, "Page.javascriptDialogOpening") == 0) {
        cJSON *p = cJSON_CreateObject();

        if (p)
            cJSON_AddBoolToObject(p, "accept", 1);
        FUZZ_CHECK(cdp_send(s, "Page.handleJavaScriptDialog", p) ==
                   CDP_E_CLOSED);
    } else if (strcmp(method, "Fuzz.sub") == 0 && st->added < 4) {
        st->added++;
        cdp_subscribe(st->c, on_event, st);
    } else if (strcmp(method, "Fuzz.unsub") == 0) {
        cdp_unsubscribe(st->c, st->id);
    }
}

static void feed(struct cdp_conn *c, const char *text, size_t len)
{
    cdp__on_message(c, text, len);
    FUZZ_CHECK(memchr(c->err, '\0', sizeof c->err) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char attach[] =
        "{\"method\":\"Target.attachedToTarget\",\"params\":{\"sessionId\":"
        "\"S1\",\"targetInfo\":{\"targetId\":\"T1\",\"type\":\"page\"},"
        "\"waitingForDebugger\":false}}";
    struct cdp__pending p[CDP_FUZZ_PENDING];
    struct sub_state st;
    struct cdp_conn *c;
    struct cdp_session *s1;
    const char *line, *end, *nl, *last = NULL;
    size_t lastlen = 0, bytes = 0, traced = 0;
    char *buf;
    int i;

    if (size > FUZZ_MAX_INPUT)
        return 0;
    buf = fuzz_strdup(data, size);   /* frames are not NUL-terminated in
                                        ws.c either; the copy just gives
                                        ASan an exact-size block */
    c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->browser.c = c;
    ut_buf_init(&c->rx, CDP_MAX_MESSAGE);
    ut_buf_init(&c->tx, CDP_MAX_MESSAGE);
    cdp_set_trace(c, on_trace, &bytes);
    memset(&st, 0, sizeof st);
    st.c = c;
    st.id = cdp_subscribe(c, on_event, &st);
    FUZZ_CHECK(st.id > 0);

    feed(c, attach, strlen(attach));
    s1 = cdp_find_session(c, "S1");
    FUZZ_CHECK(s1 && strcmp(cdp_session_target(s1), "T1") == 0);
    memset(p, 0, sizeof p);
    for (i = 0; i < CDP_FUZZ_PENDING; i++) {
        p[i].id = i + 1;
        p[i].s = i < 2 ? cdp_browser_session(c) : s1;
        p[i].next = i + 1 < CDP_FUZZ_PENDING ? &p[i + 1] : NULL;
    }
    c->pending = &p[0];

    end = buf + size;
    for (line = buf; line < end; line = nl + 1) {
        nl = memchr(line, '\n', (size_t)(end - line));
        if (!nl)
            nl = end;
        feed(c, line, (size_t)(nl - line));
        traced += (size_t)(nl - line);
        last = line;
        lastlen = (size_t)(nl - line);
    }
    if (last)
        cdp__on_toobig(c, last, lastlen);
    cdp__on_closed(c);

    for (i = 0; i < CDP_FUZZ_PENDING; i++) {
        FUZZ_CHECK(p[i].done);
        if (p[i].msg) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(p[i].msg,
                                                               "id");
            FUZZ_CHECK(p[i].rc == CDP_OK || p[i].rc == CDP_E_PROTOCOL);
            FUZZ_CHECK(cJSON_IsNumber(id));
            cJSON_Delete(p[i].msg);
        } else {
            FUZZ_CHECK(p[i].rc != CDP_OK);
        }
    }
    c->pending = NULL;
    /* every frame reached the trace hook, whole */
    FUZZ_CHECK(bytes == strlen(attach) + traced);
    cdp_conn_close(c);
    free(buf);
    return 0;
}
