/* net.c -- the page's own requests (XHR, fetch, scripts) in flight. An
 * application that loads its pages by AJAX shows the new page only when
 * the request a click started comes back, and it may then load the
 * scripts that page needs, ignoring clicks meanwhile (phpMyAdmin); until
 * then the old page is there to be misread. sel_settle() waits for the
 * requests started since the input (docs/RELIABILITY.md). Other requests
 * (documents, styles, images, beacons, sockets) are not counted. */
#include "sel.h"
#include "sel_int.h"
#include "../cdp/cdp.h"
#include "../util/util.h"

#include <stdlib.h>
#include <string.h>

#define NET_MAX 64               /* requests tracked at once; more: not */
#define NET_SETUP_MS 30000       /* as the page's other setup calls */

struct sel__net {
    struct cdp_session *s;
    struct cdp_conn *c;
    int sub;
    unsigned seq;                /* requests counted so far */
    struct {
        char id[64];
        unsigned seq;
    } live[NET_MAX];
    size_t n;
};

static int live_at(const struct sel__net *n, const char *id)
{
    size_t i;

    for (i = 0; i < n->n; i++)
        if (strcmp(n->live[i].id, id) == 0)
            return (int)i;
    return -1;
}

static void on_net(void *ud, struct cdp_session *s, const char *method,
                   const cJSON *params)
{
    struct sel__net *n = ud;
    const char *id, *type;
    int k;

    if (s != n->s || strncmp(method, "Network.", 8) != 0)
        return;
    id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(params,
                                                               "requestId"));
    if (!id || strlen(id) >= sizeof n->live[0].id)
        return;
    if (strcmp(method + 8, "requestWillBeSent") == 0) {
        type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(params,
                                                                     "type"));
        /* a redirect is the same request again */
        if (!type || (strcmp(type, "XHR") && strcmp(type, "Fetch") &&
                      strcmp(type, "Script")) ||
            live_at(n, id) >= 0 || n->n >= NET_MAX)
            return;
        ut_strlcpy(n->live[n->n].id, id, sizeof n->live[n->n].id);
        n->live[n->n++].seq = ++n->seq;
    } else if (strcmp(method + 8, "loadingFinished") == 0 ||
               strcmp(method + 8, "loadingFailed") == 0) {
        if ((k = live_at(n, id)) >= 0)
            n->live[k] = n->live[--n->n];
    }
}

struct sel__net *sel__net_open(struct cdp_session *s)
{
    struct sel__net *n = calloc(1, sizeof *n);
    cJSON *a;

    if (!n)
        return NULL;
    n->s = s;
    n->c = cdp_session_conn(s);
    n->sub = cdp_subscribe(n->c, on_net, n);
    /* no response bodies kept for us: we read none */
    a = cJSON_CreateObject();
    cJSON_AddNumberToObject(a, "maxTotalBufferSize", 0);
    cJSON_AddNumberToObject(a, "maxResourceBufferSize", 0);
    if (cdp_call(s, "Network.enable", a, NET_SETUP_MS, NULL) != CDP_OK) {
        sel__net_close(n);
        return NULL;
    }
    return n;
}

void sel__net_close(struct sel__net *n)
{
    if (!n)
        return;
    if (n->sub > 0)
        cdp_unsubscribe(n->c, n->sub);
    free(n);
}

unsigned sel__net_mark(const struct sel__net *n)
{
    return n ? n->seq : 0;
}

int sel__net_busy(const struct sel__net *n, unsigned mark)
{
    size_t i;
    int busy = 0;

    for (i = 0; n && i < n->n; i++)
        busy += n->live[i].seq > mark;
    return busy;
}
