/* test_heuristics.c -- normalisation, tokenising, synonyms, ordinals,
 * context, step-kind compatibility, decisions and calibration on small
 * hand-built candidate arrays. */
#include "../t.h"
#include "../../heuristics/heur.h"
#include "heur_cands.h"

#include <stdlib.h>
#include <string.h>

#define MIN_CONF 0.6
#define MIN_MARGIN 0.15

struct outcome {
    int best;          /* candidate id of the best, -1 none */
    double conf, margin;
    enum heur_decision d;
};

static struct outcome rank(struct heur_ctx *hx, const char *intent,
                           enum heur_kind k, const struct heur_cand *c,
                           size_t n)
{
    struct heur_result r;
    struct outcome o = {-1, 0, 0, HEUR_NONE};
    if (heur_rank(hx, intent, k, c, n, &r) != 0)
        return o;
    o.best = r.best >= 0 ? c[r.best].id : -1;
    o.conf = r.confidence;
    o.margin = r.margin;
    o.d = heur_decide(&r, MIN_CONF, MIN_MARGIN);
    heur_result_free(&r);
    return o;
}

#define CONFIDENT_ON(o, id) do { \
    CHECK_INT((o).best, (id)); \
    CHECK_MSG((o).d == HEUR_CONFIDENT, "conf %.2f margin %.2f", \
              (o).conf, (o).margin); \
} while (0)

static void test_normalize(struct heur_ctx *hx)
{
    char b[256];
    CHECK_STR(heur_normalize(hx, "Log-in button", b, sizeof b),
              "login button");
    CHECK_STR(heur_normalize(hx, "  SIGN   IN ", b, sizeof b), "login");
    CHECK_STR(heur_normalize(hx, "btnSignIn", b, sizeof b), "button login");
    CHECK_STR(heur_normalize(hx, "sign-in-button", b, sizeof b),
              "login button");
    CHECK_STR(heur_normalize(hx, "sign_up_link", b, sizeof b),
              "signup link");
    CHECK_STR(heur_normalize(hx, "E-mail address", b, sizeof b), "email");
    CHECK_STR(heur_normalize(hx, "Postal Code", b, sizeof b), "zip");
    CHECK_STR(heur_normalize(hx, "Telephone", b, sizeof b), "phone");
    CHECK_STR(heur_normalize(hx, "Remove", b, sizeof b), "delete");
    CHECK_STR(heur_normalize(hx, "Shopping basket", b, sizeof b), "cart");
    CHECK_STR(heur_normalize(hx, "the second Delete link", b, sizeof b),
              "second delete link");
    CHECK_STR(heur_normalize(hx, "2nd Delete link", b, sizeof b),
              "second delete link");
    CHECK_STR(heur_normalize(hx, "Delete #3", b, sizeof b), "third delete");
    CHECK_STR(heur_normalize(hx, "last row", b, sizeof b), "last row");
    CHECK_STR(heur_normalize(hx, "First name", b, sizeof b), "firstname");
    CHECK_STR(heur_normalize(hx, "Old revisions [o]", b, sizeof b),
              "old revision");
    CHECK_STR(heur_normalize(hx, "Search Wiki [alt-shift-f]", b, sizeof b),
              "search wiki");
    CHECK_STR(heur_normalize(hx, "Caf\xc3\xa9 Cr\xc3\xa8me", b, sizeof b),
              "cafe creme");
    CHECK_STR(heur_normalize(hx, "Stra\xc3\x9f" "e", b, sizeof b),
              "strasse");
    CHECK_STR(heur_normalize(hx, "\xd0\x9f\xd0\x90\xd0\xa0\xd0\x9e\xd0\x9b"
                             "\xd0\xac", b, sizeof b),
              "\xd0\xbf\xd0\xb0\xd1\x80\xd0\xbe\xd0\xbb\xd1\x8c");
    CHECK_STR(heur_normalize(hx, "\xc3\x97", b, sizeof b), "close");
    CHECK_STR(heur_normalize(hx, "X", b, sizeof b), "close");
    CHECK_STR(heur_normalize(hx, "", b, sizeof b), "");
    /* bounded output */
    heur_normalize(hx, "a very long intent that will not fit", b, 8);
    CHECK_INT(strlen(b), 7);
    /* invalid UTF-8 and a huge intent do not crash */
    heur_normalize(hx, "\xff\xfe bad \xc3", b, sizeof b);
    CHECK_CONTAINS(b, "bad");
    {
        char *big = malloc(100000);
        memset(big, 'a', 99999);
        big[99999] = '\0';
        big[500] = ' ';
        heur_normalize(hx, big, b, sizeof b);
        CHECK(strlen(b) > 0);
        free(big);
    }
}

static void test_exact_beats_partial(struct heur_ctx *hx)
{
    struct heur_cand c[3];
    struct outcome o;
    c[0] = button(0, "Sign in with Google");
    c[1] = button(1, "Sign in");
    c[2] = link(2, "Forgot your password?");
    o = rank(hx, "Sign in", HEUR_CLICK, c, 3);
    CONFIDENT_ON(o, 1);
    CHECK(o.conf <= 1.0 && o.conf >= 0.0);
    o = rank(hx, "Log in", HEUR_CLICK, c, 3);      /* synonym */
    CONFIDENT_ON(o, 1);
    CHECK(o.conf < 1.0);                            /* not exact words */
    o = rank(hx, "Sign in with Google", HEUR_CLICK, c, 3);
    CONFIDENT_ON(o, 0);
    o = rank(hx, "forgot password link", HEUR_CLICK, c, 3);
    CONFIDENT_ON(o, 2);
}

static void test_ambiguity(struct heur_ctx *hx)
{
    struct heur_cand c[4];
    struct outcome o;
    c[0] = button(0, "Delete");
    c[0].context = "Alice Martin alice@example.com Admin Edit Delete";
    c[1] = button(1, "Delete");
    c[1].context = "Bob Chen bob@example.com Editor Edit Delete";
    c[2] = button(2, "Delete");
    c[2].context = "Carol Diaz carol@example.com Viewer Edit Delete";
    c[3] = button(3, "Add user");
    /* two equal Delete buttons and no way to tell: never a guess */
    o = rank(hx, "Delete", HEUR_CLICK, c, 4);
    CHECK(o.d == HEUR_UNCERTAIN);
    CHECK(o.margin < 0.01);
    /* ordinals */
    o = rank(hx, "the second Delete button", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 1);
    o = rank(hx, "3rd Delete", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 2);
    o = rank(hx, "last Delete button", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 2);
    o = rank(hx, "first Delete", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 0);
    o = rank(hx, "fifth Delete", HEUR_CLICK, c, 4);   /* there is none */
    CHECK(o.d != HEUR_CONFIDENT);
    /* context */
    o = rank(hx, "Delete for Bob Chen", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 1);
    o = rank(hx, "Delete in the Carol Diaz row", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 2);
    o = rank(hx, "remove Alice Martin", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 0);
    o = rank(hx, "Delete for Zed Nobody", HEUR_CLICK, c, 4);
    CHECK(o.d != HEUR_CONFIDENT);
}

static void test_roles_and_kinds(struct heur_ctx *hx)
{
    struct heur_cand c[6];
    struct outcome o;
    c[0] = blank(0, "h2", "heading");
    c[0].text = c[0].name = "Subscribe";
    c[1] = button(1, "Subscribe");
    c[2] = link(2, "Subscribe");
    c[3] = blank(3, "label", "");
    c[3].text = "Email";
    c[3].for_id = 4;
    c[3].labelish = 1;
    c[4] = textbox(4, "Email");
    c[5] = button(5, "Copy link");
    o = rank(hx, "Subscribe button", HEUR_CLICK, c, 6);
    CONFIDENT_ON(o, 1);
    o = rank(hx, "Subscribe link", HEUR_CLICK, c, 6);
    CONFIDENT_ON(o, 2);
    o = rank(hx, "Subscribe heading", HEUR_READ, c, 6);
    CONFIDENT_ON(o, 0);
    o = rank(hx, "Subscribe", HEUR_CLICK, c, 6);   /* link or button? */
    CHECK(o.d == HEUR_UNCERTAIN);
    o = rank(hx, "Email", HEUR_FILL, c, 6);         /* not the label */
    CONFIDENT_ON(o, 4);
    o = rank(hx, "email field", HEUR_FILL, c, 6);
    CONFIDENT_ON(o, 4);
    o = rank(hx, "Copy link", HEUR_CLICK, c, 6);   /* role word as name */
    CONFIDENT_ON(o, 5);
}

static void test_check_and_select(struct heur_ctx *hx)
{
    struct heur_cand c[5];
    struct outcome o;
    /* a hidden checkbox behind its visible label */
    c[0] = blank(0, "input", "checkbox");
    c[0].type = "checkbox";
    c[0].name = c[0].label = "I agree to the Terms";
    c[0].visible = 0;
    c[0].clickable = 1;
    c[1] = blank(1, "label", "");
    c[1].text = "I agree to the Terms";
    c[1].for_id = 0;
    c[2] = link(2, "Terms");
    c[3] = blank(3, "select", "combobox");
    c[3].name = c[3].label = "Country";
    c[3].clickable = 1;
    c[4] = textbox(4, "Country code");
    o = rank(hx, "I agree to the terms", HEUR_CHECK, c, 5);
    CONFIDENT_ON(o, 1);
    o = rank(hx, "terms checkbox", HEUR_CHECK, c, 5);
    CONFIDENT_ON(o, 1);
    o = rank(hx, "Country", HEUR_SELECT, c, 5);
    CONFIDENT_ON(o, 3);
    o = rank(hx, "Country code", HEUR_FILL, c, 5);
    CONFIDENT_ON(o, 4);
}

static void test_visibility_and_state(struct heur_ctx *hx)
{
    struct heur_cand c[4];
    struct outcome o;
    c[0] = button(0, "Save changes");
    c[0].visible = 0;                 /* hidden tab panel's copy */
    c[1] = button(1, "Save changes");
    c[2] = button(2, "Next");
    c[2].enabled = 0;
    c[3] = button(3, "Next");
    o = rank(hx, "Save changes", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 1);
    o = rank(hx, "Next", HEUR_CLICK, c, 4);
    CONFIDENT_ON(o, 3);
    /* nothing visible: not confident */
    o = rank(hx, "Save changes", HEUR_CLICK, c, 1);
    CHECK(o.d != HEUR_CONFIDENT);
    /* obscured by a modal dialog */
    c[1].obscured = 1;
    o = rank(hx, "Save changes", HEUR_CLICK, c + 1, 1);
    CHECK(o.d != HEUR_CONFIDENT);
}

static void test_real_world(struct heur_ctx *hx)
{
    struct heur_cand c[7];
    struct outcome o;
    /* field labelled only by nearby text */
    c[0] = blank(0, "input", "textbox");
    c[0].editable = 1;
    c[0].near = "Vehicle plate number";
    /* id only, camelCase */
    c[1] = blank(1, "input", "textbox");
    c[1].editable = 1;
    c[1].id_attr = "userEmail";
    /* roleless clickable div */
    c[2] = blank(2, "div", "");
    c[2].text = "Documents";
    c[2].pointer = c[2].clickable = 1;
    /* accesskey hint */
    c[3] = link(3, "Old revisions [o]");
    /* icon-only button named by its title */
    c[4] = blank(4, "button", "button");
    c[4].name = c[4].title = "Insert image";
    c[4].clickable = 1;
    /* contenteditable editor */
    c[5] = blank(5, "div", "textbox");
    c[5].editable = 1;
    c[5].aria_label = c[5].name = "Post body";
    c[6] = blank(6, "textarea", "textbox");
    c[6].editable = 1;
    c[6].name_attr = "body";
    c[6].visible = 0;
    o = rank(hx, "Vehicle plate number", HEUR_FILL, c, 7);
    CONFIDENT_ON(o, 0);
    o = rank(hx, "email", HEUR_FILL, c, 7);
    CONFIDENT_ON(o, 1);
    o = rank(hx, "Documents", HEUR_CLICK, c, 7);
    CONFIDENT_ON(o, 2);
    o = rank(hx, "Old revisions", HEUR_CLICK, c, 7);
    CONFIDENT_ON(o, 3);
    CHECK(o.conf > 0.99);
    o = rank(hx, "insert image icon", HEUR_CLICK, c, 7);
    CONFIDENT_ON(o, 4);
    o = rank(hx, "body", HEUR_FILL, c, 7);
    CONFIDENT_ON(o, 5);
    o = rank(hx, "Old revsions", HEUR_CLICK, c, 7);   /* typo */
    CONFIDENT_ON(o, 3);
    CHECK(o.conf < 0.99);
}

/* Waiting for words wants the element that shows them; reading by a label
 * wants the value it names; a link's own words beat its neighbour's. */
/* Reading WORDS on a page of a text field labelled LABEL ("" for none)
 * followed by a text showing WORDS: the id of the confident best (0 the
 * field, 1 the text), -1 when not confident. */
static int read_beside(struct heur_ctx *hx, const char *label,
                       const char *words)
{
    struct heur_cand c[2];
    struct outcome o;

    c[0] = textbox(0, label);
    c[0].near = words;
    c[1] = blank(1, "p", "paragraph");
    c[1].text = words;
    c[1].labelish = 1;
    o = rank(hx, words, HEUR_READ, c, 2);
    return o.d == HEUR_CONFIDENT ? o.best : -1;
}

static void test_see_and_read(struct heur_ctx *hx)
{
    struct heur_cand c[6];
    struct outcome o;

    /* a product card: heading, then a paragraph the heading "labels" */
    c[0] = blank(0, "h3", "heading");
    c[0].name = c[0].text = "Bamboo cutting board";
    c[0].labelish = 1;
    c[1] = blank(1, "p", "paragraph");
    c[1].text = "Made by Acme";
    c[1].near = "Bamboo cutting board";
    c[2] = link(2, "Details for Bamboo cutting board");
    c[3] = button(3, "Add Bamboo cutting board to cart");
    o = rank(hx, "Bamboo cutting board", HEUR_SEE, c, 4);
    CONFIDENT_ON(o, 0);
    /* a label and its value */
    c[4] = blank(4, "dt", "term");
    c[4].text = c[4].name = "Order total";
    c[4].labelish = 1;
    c[5] = blank(5, "dd", "definition");
    c[5].text = "$42.00";
    c[5].near = "Order total";
    o = rank(hx, "Order total", HEUR_READ, c, 6);
    CONFIDENT_ON(o, 5);
    o = rank(hx, "Order total", HEUR_SEE, c, 6);
    CONFIDENT_ON(o, 4);
    /* a labelled field with a message after it: the message is not its
     * label, so reading the message's words reads the message (it used
     * to read the field, whose near text the message is); an unlabelled
     * field still reads by the text beside it */
    CHECK_INT(read_beside(hx, "Search", "No results found"), 1);
    CHECK_INT(read_beside(hx, "", "Answer"), 0);
    /* a submenu link whose near text is its menu's title */
    c[0] = link(0, "Barbecue");
    c[1] = link(1, "Outdoor dining");
    c[1].near = "Barbecue";
    o = rank(hx, "Barbecue link", HEUR_SEE, c, 2);
    CONFIDENT_ON(o, 0);
    o = rank(hx, "Barbecue link", HEUR_READ, c, 2);
    CONFIDENT_ON(o, 0);
}

static void test_result_shape(struct heur_ctx *hx)
{
    struct heur_cand c[3];
    struct heur_result r;
    size_t i;
    int f;
    c[0] = button(0, "OK");
    c[1] = button(1, "Cancel");
    c[2] = link(2, "Help");
    CHECK_INT(heur_rank(hx, "OK", HEUR_CLICK, c, 3, &r), 0);
    CHECK_INT(r.n, 3);
    CHECK_INT(r.best, 0);
    CHECK_INT(r.ranked[0].cand, 0);
    for (i = 1; i < r.n; i++)
        CHECK(r.ranked[i - 1].total >= r.ranked[i].total);
    for (f = 0; f < HEUR_F_COUNT; f++)
        CHECK(r.ranked[0].f[f] >= 0 && r.ranked[0].f[f] <= 1.0);
    CHECK_STR(heur_feature_name(HEUR_F_NAME), "name");
    CHECK_STR(heur_feature_name(HEUR_F_ORDINAL), "ordinal");
    CHECK_STR(heur_feature_name(99), "?");
    CHECK(heur_decide(&r, 0.6, 0.15) == HEUR_CONFIDENT);
    CHECK(heur_decide(&r, 1.1, 0.15) == HEUR_UNCERTAIN);
    CHECK(heur_decide(&r, 0.6, 1.1) == HEUR_UNCERTAIN);
    heur_result_free(&r);
    CHECK(r.ranked == NULL && r.best == -1);
    heur_result_free(&r);                   /* twice is harmless */
    /* no candidates at all */
    CHECK_INT(heur_rank(hx, "OK", HEUR_CLICK, c, 0, &r), 0);
    CHECK_INT(r.best, -1);
    CHECK(heur_decide(&r, 0.6, 0.15) == HEUR_NONE);
    heur_result_free(&r);
    /* nothing plausible */
    CHECK_INT(heur_rank(hx, "Frobnicate the widget", HEUR_CLICK, c, 3, &r),
              0);
    CHECK(heur_decide(&r, 0.6, 0.15) == HEUR_NONE);
    heur_result_free(&r);
    CHECK(heur_decide(NULL, 0.6, 0.15) == HEUR_NONE);
    /* empty and NULL intents */
    CHECK_INT(heur_rank(hx, "", HEUR_CLICK, c, 3, &r), 0);
    CHECK(heur_decide(&r, 0.6, 0.15) != HEUR_CONFIDENT);
    heur_result_free(&r);
    CHECK_INT(heur_rank(hx, NULL, HEUR_READ, c, 3, &r), 0);
    heur_result_free(&r);
}

/* The collector's probes (heur_probes): every content word gives one, a
 * one-letter word included (it used to switch pruning off and send every
 * record); a synonym phrase gives its longest word, never a lone letter
 * ("e mail" gave "e", which every text holds). */
static void test_probes(struct heur_ctx *hx)
{
    char out[1024];

    CHECK(heur_probes(hx, "Address line 1 field", out, sizeof out) > 0);
    CHECK_CONTAINS(out, "\"add\"");
    CHECK_CONTAINS(out, "\"lin\"");
    CHECK_CONTAINS(out, "\"1\"");
    CHECK(heur_probes(hx, "Email address field", out, sizeof out) > 0);
    CHECK_CONTAINS(out, "\"ema\"");
    CHECK_CONTAINS(out, "\"mai\"");
    CHECK_MSG(!strstr(out, "\"e\""), "a lone letter probe: %s", out);
    CHECK(heur_probes(hx, "Sign in button", out, sizeof out) > 0);
    CHECK_CONTAINS(out, "\"sig\"");
    CHECK_CONTAINS(out, "\"log\"");
    CHECK_MSG(!strstr(out, "\"in\"") && !strstr(out, "\"on\""),
              "a phrase's short word as a probe: %s", out);
    CHECK_INT(heur_probes(hx, "second link", out, sizeof out), 0); /* role */
    CHECK_STR(out, "");
    CHECK_INT(heur_probes(hx, "Email", out, 2), 0);         /* too small */
}

/* The collector's guess words (heur_guess_words): the intent without a
 * leading "the" and trailing role words, unquoted, spaces collapsed,
 * case kept; "" when nothing would be left to compare. */
static void test_guess_words(void)
{
    char out[64];

    CHECK_INT(heur_guess_words("Details for Bamboo teapot link", out,
                               sizeof out), 25);
    CHECK_STR(out, "Details for Bamboo teapot");
    heur_guess_words("  the  Sign   in BUTTON ", out, sizeof out);
    CHECK_STR(out, "Sign in");
    heur_guess_words("Email address field", out, sizeof out);
    CHECK_STR(out, "Email address");
    heur_guess_words("Remember me checkbox field", out, sizeof out);
    CHECK_STR(out, "Remember me");
    heur_guess_words("the \"Save\" button", out, sizeof out);
    CHECK_STR(out, "Save");
    heur_guess_words("Company (optional) field", out, sizeof out);
    CHECK_STR(out, "Company (optional)");
    heur_guess_words("A to Z link", out, sizeof out);        /* "A" kept */
    CHECK_STR(out, "A to Z");
    heur_guess_words("The Plan A", out, sizeof out);
    CHECK_STR(out, "Plan A");
    heur_guess_words("Theme link", out, sizeof out);   /* a word, no "the" */
    CHECK_STR(out, "Theme");
    heur_guess_words("Select all", out, sizeof out); /* leading role kept */
    CHECK_STR(out, "Select all");
    heur_guess_words("SKU 059-7221", out, sizeof out);
    CHECK_STR(out, "SKU 059-7221");
    CHECK_INT(heur_guess_words("link", out, sizeof out), 4); /* one word */
    CHECK_STR(out, "link");
    CHECK_INT(heur_guess_words("   ", out, sizeof out), 0);
    CHECK_STR(out, "");
    CHECK_INT(heur_guess_words(NULL, out, sizeof out), 0);
    CHECK_INT(heur_guess_words("Email address", out, 6), 0); /* too small */
    CHECK_STR(out, "");
    CHECK_INT(heur_guess_words("Email", out, 6), 5);       /* just fits */
}

/* The context keeps the words of the texts it tokenised (a page's
 * records come back with the same texts step after step): a ranking made
 * by a context that has seen the texts equals one made by a fresh
 * context, score for score, whatever the texts did to its memo on the
 * way (more texts than it has slots, a text longer than it keeps, more
 * words than its byte budget holds, texts that differ in one byte). */
static void test_memo(struct heur_ctx *hx)
{
    enum { N = 3000 };
    static struct heur_cand c[N];
    static char names[N][48], words[N / 5][256];
    char longtext[700], manywords[400], err[256];
    struct heur_ctx *fresh;
    struct heur_result a, b;
    const char *intents[] = {"Add item 1234 to cart", "item 77 link",
                             "Remove item 2999", "Save 12 button",
                             "alpha beta gamma", NULL};
    size_t i, k, o;
    int same;

    for (i = 0, o = 0; o + 6 < sizeof longtext; i++)
        o += (size_t)snprintf(longtext + o, sizeof longtext - o, "word%zu ",
                              i);
    for (i = 0, o = 0; i < 40; i++)
        o += (size_t)snprintf(manywords + o, sizeof manywords - o,
                              "%s ", i % 2 ? "alpha" : "beta gamma");
    for (i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "%s item %zu",
                 i % 3 == 0 ? "Add" : i % 3 == 1 ? "Remove" : "Save", i);
        c[i] = i % 2 ? button((int)i, names[i]) : link((int)i, names[i]);
        c[i].context = i % 7 == 0 ? longtext : i % 11 == 0 ? manywords :
                       "Products";
        if (i % 5 == 0) {       /* ~35 words each: 600 pass the budget */
            for (k = 0, o = 0; o + 8 < sizeof words[0]; k++)
                o += (size_t)snprintf(words[i / 5] + o, sizeof words[0] - o,
                                      "w%zu ", i + k);
            c[i].near = words[i / 5];
        }
    }
    fresh = heur_ctx_new(err, sizeof err);
    CHECK_MSG(fresh != NULL, "%s", err);
    if (!fresh)
        return;
    for (k = 0; intents[k]; k++) {
        /* HX has seen the texts (twice: the second from its memo) */
        CHECK_INT(heur_rank(hx, intents[k], HEUR_CLICK, c, N, &a), 0);
        heur_result_free(&a);
        CHECK_INT(heur_rank(hx, intents[k], HEUR_CLICK, c, N, &a), 0);
        heur_ctx_free(fresh);
        fresh = heur_ctx_new(err, sizeof err);
        if (!fresh || heur_rank(fresh, intents[k], HEUR_CLICK, c, N, &b)) {
            CHECK(0);
            heur_result_free(&a);
            break;
        }
        CHECK_INT(a.n, b.n);
        CHECK_INT(a.best, b.best);
        for (i = 0; i < a.n && i < b.n; i++)
            if (a.ranked[i].cand != b.ranked[i].cand ||
                a.ranked[i].total != b.ranked[i].total)
                break;
        same = i == a.n && i == b.n;
        CHECK_MSG(same, "intent \"%s\": rank %zu differs", intents[k], i);
        CHECK(a.confidence == b.confidence && a.margin == b.margin);
        heur_result_free(&a);
        heur_result_free(&b);
    }
    /* one byte apart: the memo must not hand out the other's words */
    c[0] = button(0, "Step 1 of 8");
    c[1] = button(1, "Step 2 of 8");
    CHECK_INT(heur_rank(hx, "Step 1 of 8", HEUR_CLICK, c, 2, &a), 0);
    CHECK_INT(a.best, 0);
    heur_result_free(&a);
    CHECK_INT(heur_rank(hx, "Step 2 of 8", HEUR_CLICK, c, 2, &a), 0);
    CHECK_INT(a.best, 1);
    heur_result_free(&a);
    heur_ctx_free(fresh);
}

int main(void)
{
    char err[256];
    struct heur_ctx *hx = heur_ctx_new(err, sizeof err);
    CHECK_MSG(hx != NULL, "%s", err);
    if (!hx)
        return T_DONE();
    test_normalize(hx);
    test_exact_beats_partial(hx);
    test_ambiguity(hx);
    test_roles_and_kinds(hx);
    test_check_and_select(hx);
    test_visibility_and_state(hx);
    test_real_world(hx);
    test_see_and_read(hx);
    test_result_shape(hx);
    test_probes(hx);
    test_guess_words();
    test_memo(hx);
    heur_ctx_free(hx);
    heur_ctx_free(NULL);
    return T_DONE();
}
