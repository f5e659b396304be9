/* act.c -- actions on a resolved element: trusted input through CDP
 * (Input.*), with the page script doing what input events cannot
 * (selecting options, setting date values, finding a checkbox's label). */
#include "sel.h"
#include "sel_int.h"
#include "../cdp/cdp.h"
#include "../util/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <stdio.h>


static sel_code input(struct sel_page *p, const char *method, cJSON *a,
                      char *err, size_t errlen)
{
    cdp_code rc = sel__call(p, method, a, 10000, NULL);

    if (rc == CDP_OK)
        return SEL_OK;
    return sel__page_err(p, rc, "answer to input", 10000, err, errlen);
}


static cJSON *mouse_params(const char *type, double x, double y)
{
    cJSON *a = cJSON_CreateObject();

    cJSON_AddStringToObject(a, "type", type);
    cJSON_AddNumberToObject(a, "x", x);
    cJSON_AddNumberToObject(a, "y", y);
    if (strcmp(type, "mouseMoved") != 0) {
        cJSON_AddStringToObject(a, "button", "left");
        cJSON_AddNumberToObject(a, "buttons", 1);
        cJSON_AddNumberToObject(a, "clickCount", 1);
    }
    return a;
}

/* Move, press and release go out together: a session handles its
 * messages in order, so waiting for the release's reply waits for all
 * three (one round trip instead of three). */
static sel_code click_at(struct sel_page *p, double x, double y, char *err,
                         size_t errlen)
{
    struct cdp_session *s = sel_page_session(p);
    double dx, dy;
    sel_code rc;

    /* a point in a cross-origin frame's viewport, placed on the top page
     * that the input goes to (no round trip for the top's) */
    if ((rc = sel__frame_offset(p, &dx, &dy, err, errlen)))
        return rc;
    x += dx;
    y += dy;
    sel__input_mark(p);

    if (cdp_send(s, "Input.dispatchMouseEvent",
                 mouse_params("mouseMoved", x, y)) != CDP_OK ||
        cdp_send(s, "Input.dispatchMouseEvent",
                 mouse_params("mousePressed", x, y)) != CDP_OK)
        return ut_err(err, errlen, SEL_E_BROWSER, "%s",
                      cdp_errmsg(cdp_session_conn(s)));
    return input(p, "Input.dispatchMouseEvent",
                 mouse_params("mouseReleased", x, y), err, errlen);
}

/* What the page's pointer guard stopped (30-act.js), or NULL: the click
 * reached its target, or the page moved on (a navigation, a new
 * document) and nothing can have been stopped. Caller frees. */
static char *guard_take(struct sel_page *p)
{
    cJSON *v = NULL;
    char *hit = NULL;

    if (sel_eval(p, "__cdpilot.guardTake()", 0, 2000, &v, NULL, 0) ==
            SEL_OK && cJSON_IsString(v))
        hit = ut_strdup(v->valuestring);
    cJSON_Delete(v);
    return hit;
}

/* Clicks at R's point; when the page moved between the hit test and the
 * click and the pointer met another element, the page never saw that
 * click (the guard stopped it): locate the element again and click once
 * more, within TIMEOUT_MS. Never a click on the wrong element. */
static sel_code click_el(struct sel_page *p, const struct sel_result *r,
                         int timeout_ms, char *err, size_t errlen)
{
    int64_t deadline = ut_now_ms() + timeout_ms;
    double x = r->x, y = r->y;
    sel_code rc;

    /* a click may open a menu, which the next step's words may mean
     * (resolve_rank.c); any other action closes that chapter */
    sel__set_opener(p, r->frame ? -1 : r->handle);
    for (;;) {
        char *hit;
        cJSON *v = NULL;
        ut_buf e;
        int left;

        if ((rc = click_at(p, x, y, err, errlen)))
            return rc;
        if (!(hit = guard_take(p)))
            return SEL_OK;
        left = (int)(deadline - ut_now_ms());
        if (left <= 0 || r->handle < 0) {
            rc = ut_err(err, errlen, SEL_E_NOTREADY, "the click would have "
                        "landed on %s, which moved over the element; it "
                        "was stopped", hit);
            free(hit);
            return rc;
        }
        free(hit);
        ut_buf_init(&e, 256);
        ut_buf_addf(&e, "__cdpilot.locateHandle(%d,{kind:'click',"
                    "timeout:%d})", r->handle, left);
        rc = sel_eval(p, ut_buf_str(&e), 1, left + 2000, &v, err, errlen);
        ut_buf_free(&e);
        if (rc)
            return rc;
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "ok"))) {
            const char *why = cJSON_GetStringValue(
                cJSON_GetObjectItemCaseSensitive(v, "seen"));
            rc = ut_err(err, errlen, SEL_E_NOTREADY, "the click was stopped "
                        "on another element, and the element is not ready "
                        "again: %s", why && *why ? why : "not actionable");
            cJSON_Delete(v);
            return rc;
        }
        x = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(v, "x"));
        y = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(v, "y"));
        cJSON_Delete(v);
    }
}

static sel_code hover_el(struct sel_page *p, const struct sel_result *r,
                         char *err, size_t errlen)
{
    double dx, dy;
    sel_code rc;

    sel__set_opener(p, r->frame ? -1 : r->handle);
    if ((rc = sel__frame_offset(p, &dx, &dy, err, errlen)))
        return rc;
    return input(p, "Input.dispatchMouseEvent",
                 mouse_params("mouseMoved", r->x + dx, r->y + dy), err,
                 errlen);
}

/* __cdpilot.FN(handle, extra...) with EXTRA (may be NULL) appended. */
static sel_code call_h(struct sel_page *p, const char *fn, int h,
                       cJSON *extra, int await, cJSON **v, char *err,
                       size_t errlen)
{
    cJSON *args = cJSON_CreateArray();

    cJSON_AddItemToArray(args, cJSON_CreateNumber(h));
    if (extra)
        cJSON_AddItemToArray(args, extra);
    return sel_eval_call(p, fn, args, await, 10000, v, err, errlen);
}

static sel_code fill_el(struct sel_page *p, const struct sel_result *r,
                        const char *value, char *err, size_t errlen)
{
    cJSON *v = NULL, *a;
    sel_code rc;
    int done;

    sel__set_opener(p, -1);
    rc = call_h(p, "prepareFill", r->handle, cJSON_CreateString(value), 0,
                &v, err, errlen);
    if (rc)
        return rc;
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "ok"))) {
        const char *why = cJSON_GetStringValue(
            cJSON_GetObjectItemCaseSensitive(v, "reason"));
        ut_err(err, errlen, 0, "cannot fill: %s", why ? why : "refused");
        cJSON_Delete(v);
        return SEL_E_ACTION;
    }
    done = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "done"));
    cJSON_Delete(v);
    /* Input.insertText fires the input events as typing would; the
     * browser fires change on blur. Two round trips in all. */
    if (!done && *value) {
        a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "text", value);
        if ((rc = input(p, "Input.insertText", a, err, errlen)))
            return rc;
    }
    return SEL_OK;
}

static sel_code select_el(struct sel_page *p, const struct sel_result *r,
                          const char *value, int timeout_ms, char *err,
                          size_t errlen)
{
    cJSON *v = NULL, *args = cJSON_CreateArray();
    sel_code rc;

    sel__set_opener(p, -1);
    cJSON_AddItemToArray(args, cJSON_CreateNumber(r->handle));
    cJSON_AddItemToArray(args, cJSON_CreateString(value));
    cJSON_AddItemToArray(args, cJSON_CreateNumber(timeout_ms));
    rc = sel_eval_call(p, "selectOption", args, 1, timeout_ms + 2000, &v,
                       err, errlen);
    if (rc)
        return rc;
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "ok"))) {
        const char *why = cJSON_GetStringValue(
            cJSON_GetObjectItemCaseSensitive(v, "reason"));
        ut_err(err, errlen, 0, "%s", why ? why : "option not selected");
        rc = SEL_E_ACTION;
    }
    cJSON_Delete(v);
    return rc;
}

static int is_checked(struct sel_page *p, int h, char *err, size_t errlen)
{
    cJSON *v = NULL;
    int on;

    if (call_h(p, "isChecked", h, NULL, 0, &v, err, errlen))
        return -1;
    on = cJSON_IsTrue(v);
    cJSON_Delete(v);
    return on;
}

/* Clicks what a person would click to toggle the control of R: the
 * control itself, or the visible label standing in for a hidden one. */
static sel_code click_check(struct sel_page *p, const struct sel_result *r,
                            int timeout_ms, char *err, size_t errlen)
{
    cJSON *v = NULL;
    ut_buf e;
    sel_code rc;

    ut_buf_init(&e, 512);
    ut_buf_addf(&e, "(()=>{const P=__cdpilot;return P.locateHandle("
                "P.checkTarget(%d),{nth:-1,kind:'click',timeout:%d});})()",
                r->handle, timeout_ms);
    rc = sel_eval(p, ut_buf_str(&e), 1, timeout_ms, &v, err, errlen);
    ut_buf_free(&e);
    if (rc)
        return rc;
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "ok"))) {
        const char *why = cJSON_GetStringValue(
            cJSON_GetObjectItemCaseSensitive(v, "reason"));
        ut_err(err, errlen, 0, "cannot click the control: %s",
               why ? why : "not actionable");
        cJSON_Delete(v);
        return SEL_E_NOTREADY;
    }
    rc = click_at(p, cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
                         v, "x")),
                  cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
                      v, "y")), err, errlen);
    cJSON_Delete(v);
    return rc;
}

/* A click that left the control as it was, this long after, came too
 * early: a "Select all" whose list the page had not loaded yet stays
 * unchecked. It is clicked once more (a control whose state is still
 * on its way would flip back; none takes this long). */
#define SEL_CHECK_AGAIN_MS 1500

static sel_code check_el(struct sel_page *p, const struct sel_result *r,
                         int on, int timeout_ms, char *err, size_t errlen)
{
    int64_t deadline = ut_now_ms() + timeout_ms, until;
    sel_code rc;
    int state = is_checked(p, r->handle, err, errlen), clicks = 0;

    sel__set_opener(p, -1);
    while (state >= 0 && state != on && clicks < 2) {
        if ((rc = click_check(p, r, (int)(deadline - ut_now_ms()), err,
                              errlen)))
            return rc;
        until = ++clicks == 1 ? ut_now_ms() + SEL_CHECK_AGAIN_MS : deadline;
        if (until > deadline)
            until = deadline;
        while ((state = is_checked(p, r->handle, err, errlen)) >= 0 &&
               state != on && ut_now_ms() < until)
            ut_sleep_ms(20);
        if (state >= 0 && state != on && clicks == 1) {
            if (ut_now_ms() >= deadline)
                break;
            sel_settle(p, (int)(deadline - ut_now_ms()), NULL, 0);
        }
    }
    if (state < 0)
        return SEL_E_JS;
    if (state == on)
        return SEL_OK;
    return ut_err(err, errlen, SEL_E_ACTION, "still %s after %d click%s",
                  on ? "unchecked" : "checked", clicks, clicks == 1 ? "" : "s");
}

static sel_code read_el(struct sel_page *p, const struct sel_result *r,
                        const char *attr, char **out, char *err,
                        size_t errlen)
{
    cJSON *v = NULL;
    sel_code rc;

    *out = NULL;
    rc = call_h(p, "read", r->handle,
                attr ? cJSON_CreateString(attr) : cJSON_CreateNull(), 0, &v,
                err, errlen);
    if (rc)
        return rc;
    if (cJSON_IsString(v))
        *out = ut_strdup(v->valuestring);
    else if (attr && !cJSON_IsString(v))
        rc = ut_err(err, errlen, SEL_E_ACTION, "the element has no "
                    "attribute \"%s\"", attr);
    else
        *out = ut_strdup("");
    cJSON_Delete(v);
    return rc;
}

static sel_code scroll_to(struct sel_page *p, const struct sel_result *r,
                          const char *where, int x, int y, int timeout_ms,
                          char *err, size_t errlen)
{
    cJSON *args = cJSON_CreateArray();

    if (r)
        cJSON_AddItemToArray(args, cJSON_CreateNumber(r->handle));
    else if (where)
        cJSON_AddItemToArray(args, cJSON_CreateString(where));
    else {
        cJSON *xy = cJSON_CreateObject();
        cJSON_AddNumberToObject(xy, "x", x);
        cJSON_AddNumberToObject(xy, "y", y);
        cJSON_AddItemToArray(args, xy);
    }
    return sel_eval_call(p, "scrollTo", args, 0, timeout_ms, NULL, err,
                         errlen);
}

/* ---- in the element's realm ---------------------------------------------
 * An element of a cross-origin frame is acted on through that frame's
 * page script (frames.c): each action's evaluations go there. */
sel_code sel_click(struct sel_page *p, const struct sel_result *r,
                   int timeout_ms, char *err, size_t errlen)
{
    int was = sel__frame_in(p, r->frame);
    sel_code rc = click_el(p, r, timeout_ms, err, errlen);

    sel__frame_in(p, was);
    return rc;
}

sel_code sel_hover(struct sel_page *p, const struct sel_result *r,
                   char *err, size_t errlen)
{
    int was = sel__frame_in(p, r->frame);
    sel_code rc = hover_el(p, r, err, errlen);

    sel__frame_in(p, was);
    return rc;
}

sel_code sel_fill(struct sel_page *p, const struct sel_result *r,
                  const char *value, char *err, size_t errlen)
{
    int was = sel__frame_in(p, r->frame);
    sel_code rc = fill_el(p, r, value, err, errlen);

    sel__frame_in(p, was);
    return rc;
}

sel_code sel_select(struct sel_page *p, const struct sel_result *r,
                    const char *value, int timeout_ms, char *err,
                    size_t errlen)
{
    int was = sel__frame_in(p, r->frame);
    sel_code rc = select_el(p, r, value, timeout_ms, err, errlen);

    sel__frame_in(p, was);
    return rc;
}

sel_code sel_check(struct sel_page *p, const struct sel_result *r, int on,
                   int timeout_ms, char *err, size_t errlen)
{
    int was = sel__frame_in(p, r->frame);
    sel_code rc = check_el(p, r, on, timeout_ms, err, errlen);

    sel__frame_in(p, was);
    return rc;
}

sel_code sel_read(struct sel_page *p, const struct sel_result *r,
                  const char *attr, char **out, char *err, size_t errlen)
{
    int was = sel__frame_in(p, r->frame);
    sel_code rc = read_el(p, r, attr, out, err, errlen);

    sel__frame_in(p, was);
    return rc;
}

sel_code sel_scroll(struct sel_page *p, const struct sel_result *r,
                    const char *where, int x, int y, int timeout_ms,
                    char *err, size_t errlen)
{
    int was = sel__frame_in(p, r ? r->frame : 0);
    sel_code rc = scroll_to(p, r, where, x, y, timeout_ms, err, errlen);

    sel__frame_in(p, was);
    return rc;
}

/* ---- keys ---------------------------------------------------------------- */
static const struct key {
    const char *name, *code, *text;
    int vk;
} keys[] = {
    {"Enter", "Enter", "\r", 13},        {"Tab", "Tab", "", 9},
    {"Escape", "Escape", "", 27},        {"Backspace", "Backspace", "", 8},
    {"Delete", "Delete", "", 46},        {"Space", "Space", " ", 32},
    {"ArrowUp", "ArrowUp", "", 38},      {"ArrowDown", "ArrowDown", "", 40},
    {"ArrowLeft", "ArrowLeft", "", 37},  {"ArrowRight", "ArrowRight", "", 39},
    {"Home", "Home", "", 36},            {"End", "End", "", 35},
    {"PageUp", "PageUp", "", 33},        {"PageDown", "PageDown", "", 34},
    {"Insert", "Insert", "", 45},
};

static const struct mod {
    const char *name, *code;
    int bit, vk;
} mods[] = {
    {"Alt", "AltLeft", 1, 18},         {"Control", "ControlLeft", 2, 17},
    {"Ctrl", "ControlLeft", 2, 17},    {"Meta", "MetaLeft", 4, 91},
    {"Shift", "ShiftLeft", 8, 16},
};

static sel_code key_event(struct sel_page *p, const char *type,
                          const char *key, const char *code, const char *text,
                          int vk, int modifiers, char *err, size_t errlen)
{
    cJSON *a = cJSON_CreateObject();

    cJSON_AddStringToObject(a, "type", type);
    cJSON_AddStringToObject(a, "key", key);
    cJSON_AddStringToObject(a, "code", code);
    cJSON_AddNumberToObject(a, "windowsVirtualKeyCode", vk);
    cJSON_AddNumberToObject(a, "modifiers", modifiers);
    if (text && *text) {
        cJSON_AddStringToObject(a, "text", text);
        cJSON_AddStringToObject(a, "unmodifiedText", text);
    }
    return input(p, "Input.dispatchKeyEvent", a, err, errlen);
}

/* One combination such as "Control+Shift+K" or "Enter". */
static sel_code press_combo(struct sel_page *p, const char *combo, char *err,
                            size_t errlen)
{
    char buf[128], *parts[8], *save = NULL, *tok;
    size_t np = 0, i, j;
    int modbits = 0;
    sel_code rc = SEL_OK;

    if (ut_strlcpy(buf, combo, sizeof buf) >= sizeof buf)
        return ut_err(err, errlen, SEL_E_ACTION, "key \"%s\" too long",
                      combo);
    /* "+" alone, or a trailing "++", means the plus key itself. */
    for (tok = strtok_r(buf, "+", &save); tok && np < 7;
         tok = strtok_r(NULL, "+", &save))
        parts[np++] = tok;
    if (strcmp(combo, "+") == 0 || ut_ends_with(combo, "++"))
        parts[np++] = "+";
    if (np == 0)
        return ut_err(err, errlen, SEL_E_ACTION, "empty key \"%s\"", combo);
    for (i = 0; i + 1 < np; i++) {
        for (j = 0; j < sizeof mods / sizeof *mods; j++)
            if (strcmp(parts[i], mods[j].name) == 0)
                break;
        if (j == sizeof mods / sizeof *mods)
            return ut_err(err, errlen, SEL_E_ACTION, "unknown modifier "
                          "\"%s\" in \"%s\"", parts[i], combo);
        modbits |= mods[j].bit;
        if ((rc = key_event(p, "rawKeyDown", mods[j].name, mods[j].code, NULL,
                            mods[j].vk, modbits, err, errlen)))
            return rc;
    }
    {
        const char *k = parts[np - 1];
        char code[32], text[8];
        int vk = 0;
        long fn = 0;

        for (j = 0; j < sizeof keys / sizeof *keys; j++)
            if (strcmp(k, keys[j].name) == 0)
                break;
        if (j < sizeof keys / sizeof *keys) {
            ut_strlcpy(code, keys[j].code, sizeof code);
            ut_strlcpy(text, keys[j].text, sizeof text);
            vk = keys[j].vk;
        } else if (k[0] == 'F' && isdigit((unsigned char)k[1]) &&
                   ut_parse_long(k + 1, 1, 12, &fn) == 0) {
            ut_strlcpy(code, k, sizeof code);
            text[0] = '\0';
            vk = 111 + (int)fn;
        } else if (strlen(k) == 1) {
            unsigned char c = (unsigned char)k[0];
            if (isalpha(c))
                snprintf(code, sizeof code, "Key%c", toupper(c));
            else if (isdigit(c))
                snprintf(code, sizeof code, "Digit%c", c);
            else
                code[0] = '\0';
            snprintf(text, sizeof text, "%c", c);
            vk = isalnum(c) ? toupper(c) : c;
        } else {
            return ut_err(err, errlen, SEL_E_ACTION, "unknown key \"%s\"", k);
        }
        /* With Control/Alt/Meta the key is a command, not text. */
        if (modbits & (1 | 2 | 4))
            text[0] = '\0';
        rc = key_event(p, *text ? "keyDown" : "rawKeyDown", k, code, text, vk,
                       modbits, err, errlen);
        if (!rc)
            rc = key_event(p, "keyUp", k, code, NULL, vk, modbits, err,
                           errlen);
    }
    for (i = np - 1; i-- > 0 && !rc;) {
        for (j = 0; j < sizeof mods / sizeof *mods; j++)
            if (strcmp(parts[i], mods[j].name) == 0)
                break;
        modbits &= ~mods[j].bit;
        rc = key_event(p, "keyUp", mods[j].name, mods[j].code, NULL,
                       mods[j].vk, modbits, err, errlen);
    }
    return rc;
}

sel_code sel_press(struct sel_page *p, const char *keyspec, char *err,
                   size_t errlen)
{
    char buf[1024], *save = NULL, *tok;
    sel_code rc = SEL_OK;

    sel__set_opener(p, -1);
    sel__input_mark(p);
    /* Several combinations may be given separated by spaces:
     * "Control+A Backspace". */
    if (ut_strlcpy(buf, keyspec, sizeof buf) >= sizeof buf)
        return ut_err(err, errlen, SEL_E_ACTION, "keys too long");
    for (tok = strtok_r(buf, " ", &save); tok && !rc;
         tok = strtok_r(NULL, " ", &save))
        rc = press_combo(p, tok, err, errlen);
    return rc;
}

/* ---- screenshots ---------------------------------------------------------- */
static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Decodes base64 IN into a malloc'ed buffer; *N its length. */
static unsigned char *b64decode(const char *in, size_t *n)
{
    size_t len = strlen(in), o = 0;
    unsigned char *out = malloc(len / 4 * 3 + 3);
    unsigned acc = 0;
    int bits = 0, v;

    if (!out)
        return NULL;
    for (; *in; in++) {
        if (*in == '=')
            break;
        if ((v = b64val((unsigned char)*in)) < 0)
            continue;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    *n = o;
    return out;
}

sel_code sel_screenshot(struct sel_page *p, const char *path, int full_page,
                        int timeout_ms, char *err, size_t errlen)
{
    cJSON *a = cJSON_CreateObject(), *res = NULL;
    int64_t deadline = ut_now_ms() + timeout_ms;
    cdp_code rc;
    const char *data;
    unsigned char *png;
    size_t n;

    cJSON_AddStringToObject(a, "format", "png");
    if (full_page)
        cJSON_AddBoolToObject(a, "captureBeyondViewport", 1);
    if (full_page) {
        cJSON *m = NULL, *cs;
        rc = sel__call(p, "Page.getLayoutMetrics", NULL, timeout_ms, &m);
        if (rc == CDP_E_TIMEOUT || rc == CDP_E_CRASHED) {
            cJSON_Delete(a);
            return sel__page_err(p, rc, "layout metrics", timeout_ms, err,
                                 errlen);
        }
        if (rc == CDP_OK) {
            cs = cJSON_GetObjectItemCaseSensitive(m, "cssContentSize");
            if (cs) {
                cJSON *clip = cJSON_AddObjectToObject(a, "clip");
                cJSON_AddNumberToObject(clip, "x", 0);
                cJSON_AddNumberToObject(clip, "y", 0);
                cJSON_AddNumberToObject(clip, "width", cJSON_GetNumberValue(
                    cJSON_GetObjectItemCaseSensitive(cs, "width")));
                cJSON_AddNumberToObject(clip, "height", cJSON_GetNumberValue(
                    cJSON_GetObjectItemCaseSensitive(cs, "height")));
                cJSON_AddNumberToObject(clip, "scale", 1);
            }
        }
        cJSON_Delete(m);
    }
    rc = sel__call(p, "Page.captureScreenshot", a,
                   (int)(deadline > ut_now_ms() ? deadline - ut_now_ms() : 1),
                   &res);
    if (rc != CDP_OK)
        return sel__page_err(p, rc, "screenshot", timeout_ms, err, errlen);
    data = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(res, "data"));
    png = data ? b64decode(data, &n) : NULL;
    cJSON_Delete(res);
    if (!png)
        return ut_err(err, errlen, SEL_E_BROWSER, "no screenshot data");
    if (ut_write_file(path, png, n, 0600) != 0) {
        free(png);
        return ut_err(err, errlen, SEL_E_ACTION, "%s: %s", path,
                      strerror(errno));
    }
    free(png);
    return SEL_OK;
}
