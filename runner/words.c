/* words.c -- `cdpilot do URL STEP...`: inline words with fixed arity
 * (but upload's files, up to the next step word, and download's "to"),
 * one-to-one with the JSON steps, validated by the same run__task_check()
 * as task files. Also the key-chord grammar of `press` and the "did you
 * mean" helper the whole runner uses. */
#include "run_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- suggestions ---------------------------------------------------------- */

#define SUGGEST_MAX 64   /* longer words get no suggestion */

/* Case-insensitive Levenshtein distance of two short strings. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    size_t row[SUGGEST_MAX + 1], prev, tmp;

    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        prev = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t cost = tolower((unsigned char)a[i - 1]) !=
                          tolower((unsigned char)b[j - 1]);
            size_t best = prev + cost;

            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            tmp = row[j];
            row[j] = best;
            prev = tmp;
        }
    }
    return row[lb];
}

const char *run__suggest(const char *word, const char *const *cands,
                         size_t n)
{
    const char *best = NULL;
    size_t i, d, bestd = 3, len = strlen(word);

    if (len == 0 || len > SUGGEST_MAX)
        return NULL;
    for (i = 0; i < n; i++) {
        if (strlen(cands[i]) > SUGGEST_MAX)
            continue;
        d = edit_distance(word, cands[i]);
        if (d < bestd && d * 2 <= len) {
            bestd = d;
            best = cands[i];
        }
    }
    return best;
}

/* ---- press keys ----------------------------------------------------------- */

static const char *const modifiers[] = { "Control", "Shift", "Alt", "Meta" };

static const char *const named_keys[] = {
    "Enter", "Tab", "Escape", "Backspace", "Delete", "Insert",
    "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight",
    "Home", "End", "PageUp", "PageDown", "Space",
    "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11",
    "F12",
    "Control", "Shift", "Alt", "Meta"
};
#define NNAMED (sizeof named_keys / sizeof named_keys[0])

/* 1 when S[0..N) is exactly one printable character (UTF-8), not a
 * space: the key that types it. */
static int one_char(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    size_t want;

    if (n == 0)
        return 0;
    if (c < 0x80)
        return n == 1 && c > 0x20 && c < 0x7F;
    want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    return want == n;   /* the file/argv was checked to be UTF-8 */
}

static int in_list(const char *s, size_t n, const char *const *l,
                   size_t ln)
{
    size_t i;

    for (i = 0; i < ln; i++)
        if (strlen(l[i]) == n && strncmp(s, l[i], n) == 0)
            return 1;
    return 0;
}

/* One part of a chord, S[0..N): a modifier (IS_MOD) or the key. */
static int key_part(const char *s, size_t n, int is_mod, const char *chord,
                    char *err, size_t errlen)
{
    char w[SUGGEST_MAX + 1];
    const char *sug;

    if (n == 0)
        return ut_err(err, errlen, -1, "empty key in \"%.64s\" (write "
                      "chords like \"Control+A\")", chord);
    if (is_mod ? in_list(s, n, modifiers, 4)
               : (in_list(s, n, named_keys, NNAMED) || one_char(s, n)))
        return 0;
    if (n > SUGGEST_MAX)
        n = SUGGEST_MAX;
    memcpy(w, s, n);
    w[n] = '\0';
    sug = is_mod ? run__suggest(w, modifiers, 4)
                 : run__suggest(w, named_keys, NNAMED);
    if (is_mod)
        return ut_err(err, errlen, -1, "\"%s\" is not a modifier (expected "
                      "Control, Shift, Alt or Meta%s%s%s)", w,
                      sug ? "; did you mean \"" : "", sug ? sug : "",
                      sug ? "\"?" : "");
    if (sug)
        return ut_err(err, errlen, -1, "unknown key \"%s\" (did you mean "
                      "\"%s\"?)", w, sug);
    return ut_err(err, errlen, -1, "unknown key \"%s\" (expected a key name "
                  "such as Enter, Tab, ArrowDown, F5, or one character; "
                  "separate several keys with spaces)", w);
}

/* A chord C[0..N): Modifier+…+Key. "+" and "Control++" press the plus
 * key itself. */
static int chord_check(const char *c, size_t n, char *err, size_t errlen)
{
    char chord[SUGGEST_MAX + 1];
    size_t i, start = 0, keyend = n;

    ut_strlcpy(chord, c, n + 1 < sizeof chord ? n + 1 : sizeof chord);
    if (n == 1 && c[0] == '+')
        return 0;
    if (n >= 2 && c[n - 1] == '+' && c[n - 2] == '+')
        keyend = n - 1;              /* the key is '+' */
    for (i = 0; i < keyend; i++) {
        if (c[i] != '+')
            continue;
        if (key_part(c + start, i - start, 1, chord, err, errlen))
            return -1;
        start = i + 1;
    }
    if (keyend != n)
        return start == keyend ? 0 :
               key_part(c + start, keyend - start, 1, chord, err, errlen);
    return key_part(c + start, n - start, 0, chord, err, errlen);
}

int run__keys_check(const char *keys, char *err, size_t errlen)
{
    const char *p = keys, *sp;

    if (!*keys)
        return ut_err(err, errlen, -1, "expected keys like \"Enter\" or "
                      "\"Control+A\", got an empty string");
    for (;;) {
        sp = strchr(p, ' ');
        if (sp == p)
            return ut_err(err, errlen, -1, "stray space in \"%.64s\" "
                          "(separate keys with one space; the space bar "
                          "is \"Space\")", keys);
        if (chord_check(p, sp ? (size_t)(sp - p) : strlen(p), err, errlen))
            return -1;
        if (!sp)
            return 0;
        p = sp + 1;
        if (!*p)
            return ut_err(err, errlen, -1, "stray space in \"%.64s\" "
                          "(the space bar is \"Space\")", keys);
    }
}

/* ---- words ------------------------------------------------------------------ */

enum shape {
    SH_TARGET,        /* T      -> target */
    SH_VALUE,         /* X      -> value */
    SH_TARGET_VALUE,  /* T V    -> target, value */
    SH_TARGET_AS,     /* T NAME -> target, as */
    SH_TARGET_FILES,  /* T FILE... -> target, files (up to the next word) */
    SH_TARGET_TO,     /* T [to PATH] -> target, files.to */
    SH_NONE,          /* no argument */
    SH_TARGET_ATTR,   /* T NAME VALUE -> target, attr, value */
    SH_TARGET_STATE,  /* T STATE -> target, state */
    SH_TARGET_COUNT,  /* T N -> target, count */
    SH_MS,            /* MS -> count */
    SH_INDEX,         /* N      -> tab (a tab index) */
    SH_TITLE,         /* TEXT   -> value, a tab by its title */
    SH_URL            /* REGEX  -> value, a tab by its URL */
};

struct word {
    const char *word;
    enum run_kind kind;
    enum run_cond cond;
    enum shape shape;
    const char *args;   /* for "needs …" */
};

static const struct word words[] = {
    { "goto",        RUN_GOTO,       RUN_COND_NONE,   SH_VALUE, "URL" },
    { "click",       RUN_CLICK,      RUN_COND_NONE,   SH_TARGET, "TARGET" },
    { "fill",        RUN_FILL,       RUN_COND_NONE,   SH_TARGET_VALUE,
      "TARGET VALUE" },
    { "press",       RUN_PRESS,      RUN_COND_NONE,   SH_VALUE, "KEYS" },
    { "select",      RUN_SELECT,     RUN_COND_NONE,   SH_TARGET_VALUE,
      "TARGET VALUE" },
    { "check",       RUN_CHECK,      RUN_COND_NONE,   SH_TARGET, "TARGET" },
    { "uncheck",     RUN_UNCHECK,    RUN_COND_NONE,   SH_TARGET, "TARGET" },
    { "hover",       RUN_HOVER,      RUN_COND_NONE,   SH_TARGET, "TARGET" },
    { "wait",        RUN_WAIT_FOR,   RUN_COND_TARGET, SH_TARGET, "TARGET" },
    { "wait-text",   RUN_WAIT_FOR,   RUN_COND_TEXT,   SH_VALUE, "TEXT" },
    { "expect-text", RUN_ASSERT,     RUN_COND_TEXT,   SH_VALUE, "TEXT" },
    { "expect-url",  RUN_ASSERT,     RUN_COND_URL,    SH_VALUE, "REGEX" },
    { "extract",     RUN_EXTRACT,    RUN_COND_NONE,   SH_TARGET_AS,
      "TARGET NAME" },
    { "screenshot",  RUN_SCREENSHOT, RUN_COND_NONE,   SH_VALUE, "FILE" },
    { "eval",        RUN_EVAL,       RUN_COND_NONE,   SH_VALUE, "JS" },
    { "upload",      RUN_UPLOAD,     RUN_COND_NONE,   SH_TARGET_FILES,
      "TARGET FILE..." },
    { "download",    RUN_DOWNLOAD,   RUN_COND_NONE,   SH_TARGET_TO,
      "TARGET [to PATH]" },
    { "expect-download", RUN_ASSERT, RUN_COND_DOWNLOAD, SH_VALUE,
      "NAME_REGEX" },
    { "expect",      RUN_ASSERT,     RUN_COND_STATE,  SH_TARGET_STATE,
      "TARGET STATE" },
    { "expect-not",  RUN_ASSERT,     RUN_COND_STATE,  SH_TARGET_STATE,
      "TARGET STATE" },
    { "expect-text-of", RUN_ASSERT,  RUN_COND_EL_TEXT, SH_TARGET_VALUE,
      "TARGET TEXT" },
    { "expect-value", RUN_ASSERT,    RUN_COND_VALUE,  SH_TARGET_VALUE,
      "TARGET VALUE" },
    { "expect-attr", RUN_ASSERT,     RUN_COND_ATTR,   SH_TARGET_ATTR,
      "TARGET NAME VALUE" },
    { "expect-count", RUN_ASSERT,    RUN_COND_COUNT,  SH_TARGET_COUNT,
      "TARGET N" },
    { "expect-title", RUN_ASSERT,    RUN_COND_TITLE,  SH_VALUE, "TITLE" },
    { "expect-no-failed-requests", RUN_ASSERT, RUN_COND_NO_FAILED, SH_NONE,
      "" },
    { "expect-no-console-errors", RUN_ASSERT, RUN_COND_NO_CONSOLE, SH_NONE,
      "" },
    { "wait-idle",   RUN_WAIT_FOR,   RUN_COND_IDLE,   SH_MS, "MS" },
    { "wait-response", RUN_WAIT_FOR, RUN_COND_RESPONSE, SH_VALUE, "REGEX" },
    { "save-state",  RUN_SAVE_STATE, RUN_COND_NONE,   SH_VALUE, "FILE" },
    { "load-state",  RUN_LOAD_STATE, RUN_COND_NONE,   SH_VALUE, "FILE" },
    { "switch-tab",  RUN_SWITCH_TAB, RUN_COND_NONE,   SH_INDEX, "INDEX" },
    { "switch-tab-title", RUN_SWITCH_TAB, RUN_COND_NONE, SH_TITLE, "TEXT" },
    { "switch-tab-url", RUN_SWITCH_TAB, RUN_COND_NONE, SH_URL, "REGEX" },
    { "close-tab",   RUN_CLOSE_TAB,  RUN_COND_NONE,   SH_NONE, "" },
};
#define NWORDS (sizeof words / sizeof words[0])

static const struct word *word_of(const char *w)
{
    size_t i;

    for (i = 0; i < NWORDS; i++)
        if (strcmp(w, words[i].word) == 0)
            return &words[i];
    return NULL;
}

static int unknown_word(size_t stepno, const char *w, char *err,
                        size_t errlen)
{
    const char *names[NWORDS], *s;
    size_t i;

    for (i = 0; i < NWORDS; i++)
        names[i] = words[i].word;
    s = run__suggest(w, names, NWORDS);
    if (s)
        return ut_err(err, errlen, -1, "step %zu: \"%.64s\" is not a step "
                      "word (did you mean \"%s\"?)", stepno, w, s);
    return ut_err(err, errlen, -1, "step %zu: \"%.64s\" is not a step word "
                  "(words: goto, click, fill, press, select, check, "
                  "uncheck, hover, wait, wait-text, expect-text, "
                  "expect-url, extract, screenshot, eval, upload, download, "
                  "expect-download, expect, expect-not, expect-text-of, "
                  "expect-value, expect-attr, expect-count, expect-title, "
                  "expect-no-failed-requests, expect-no-console-errors, "
                  "wait-idle, wait-response, save-state, load-state, "
                  "switch-tab, switch-tab-title, switch-tab-url, close-tab)",
                  stepno, w);
}

static void step_init(struct run_step *s, size_t i, const struct word *w)
{
    memset(s, 0, sizeof *s);
    s->index = (int)i;
    s->kind = w->kind;
    s->cond = w->cond;
    s->tab_by = w->shape == SH_INDEX ? RUN_TAB_INDEX :
                w->shape == SH_TITLE ? RUN_TAB_TITLE :
                w->shape == SH_URL ? RUN_TAB_URL : RUN_TAB_CURRENT;
    s->nth = -1;
    s->timeout_ms = -1;
    s->retries = -1;
    s->idempotent = 1;
    s->negate = strcmp(w->word, "expect-not") == 0;
    s->flat = s->kind == RUN_ASSERT && w->shape != SH_VALUE &&
              w->shape != SH_NONE;
    s->regex = w->cond == RUN_COND_RESPONSE;
}

/* The number of word W's step S, argument A: *OUT, or -1 with ERR. */
static int number_arg(const struct run_step *s, const struct word *w,
                      const char *a, long hi, long *out, char *err,
                      size_t errlen)
{
    if (ut_parse_long(a, 0, hi, out) == 0)
        return 0;
    return ut_err(err, errlen, -2, "step %d (%s): field \"%s\": expected "
                  "a non-negative integer%s, got \"%.32s\"", s->index + 1,
                  run_kind_name(s->kind), w->shape == SH_MS ?
                  "wait_for.network_idle" : "assert.count", w->shape == SH_MS
                  ? " (milliseconds)" : "", a);
}

/* upload's files (N of them) and download's "to PATH" (N is 0 or 2). */
static int files_fill(struct run_step *s, const struct word *w,
                      char *const *args, size_t n)
{
    struct run_files *f = run__files_of(s);
    size_t i;

    if (!f || !(s->target = ut_strdup(args[0])))
        return -1;
    if (w->shape == SH_TARGET_TO)
        return n < 2 || (f->to = ut_strdup(args[2])) ? 0 : -1;
    if (!(f->paths = calloc(n, sizeof *f->paths)))
        return -1;
    for (i = 0; i < n; i++, f->n++)
        if (!(f->paths[i] = ut_strdup(args[1 + i])))
            return -1;
    return 0;
}

/* Fills step S from its word and its NARGS strings ARGS: 0, -1 out of
 * memory, -2 a bad argument (ERR). */
static int step_fill(struct run_step *s, const struct word *w,
                     char *const *args, size_t nargs, char *err,
                     size_t errlen)
{
    if (w->shape == SH_TARGET_FILES || w->shape == SH_TARGET_TO)
        return files_fill(s, w, args, nargs - 1);
    if (w->cond == RUN_COND_DOWNLOAD)
        return run__files_of(s) &&
               (s->files->name_re = ut_strdup(args[0])) ? 0 : -1;
    long n;

    switch (w->shape) {
    case SH_NONE:
        return 0;
    case SH_INDEX:
        if (ut_parse_long(args[0], 0, 1000, &n))
            return ut_err(err, errlen, -2, "step %d (%s): \"%.64s\" is not "
                          "a tab index (0 is the first tab; 0..1000)",
                          s->index + 1, w->word, args[0]);
        s->tab = (int)n;
        return 0;
    case SH_MS:
        return number_arg(s, w, args[0], 600000, &s->count, err, errlen);
    case SH_TARGET_COUNT:
        if (number_arg(s, w, args[1], 1000000000, &s->count, err, errlen))
            return -2;
        s->target = ut_strdup(args[0]);
        return s->target ? 0 : -1;
    case SH_TARGET_STATE:
        s->state = run__state_of(args[1]);
        if (!s->state)
            return run__state_err(s, args[1], err, errlen) - 1;
        s->target = ut_strdup(args[0]);
        return s->target ? 0 : -1;
    case SH_TARGET_ATTR:
        s->target = ut_strdup(args[0]);
        s->attr = ut_strdup(args[1]);
        s->value = ut_strdup(args[2]);
        return s->target && s->attr && s->value ? 0 : -1;
    case SH_TARGET:
        s->target = ut_strdup(args[0]);
        return s->target ? 0 : -1;
    case SH_VALUE: case SH_TITLE: case SH_URL:
        s->value = ut_strdup(args[0]);
        return s->value ? 0 : -1;
    case SH_TARGET_VALUE:
        s->target = ut_strdup(args[0]);
        s->value = ut_strdup(args[1]);
        return s->target && s->value ? 0 : -1;
    default:
        s->target = ut_strdup(args[0]);
        s->as = ut_strdup(args[1]);
        return s->target && s->as ? 0 : -1;
    }
}

/* How many of the LEFT words after W (ARGS) are its arguments, or
 * ARITY_SHORT when it lacks some: upload takes the words up to the next
 * step word (a file named like one is written ./click), download an
 * optional "to PATH". */
#define ARITY_SHORT ((size_t)-1)
static size_t arity(const struct word *w, int left, char *const *args)
{
    size_t need;
    int n;

    switch (w->shape) {
    case SH_NONE:
        return 0;
    case SH_TARGET_FILES:
        for (n = 1; n < left && !word_of(args[n]); n++)
            ;
        return n >= 2 ? (size_t)n : ARITY_SHORT;
    case SH_TARGET_TO:
        if (left >= 2 && strcmp(args[1], "to") == 0)
            return left >= 3 ? 3 : ARITY_SHORT;
        return left >= 1 ? 1 : ARITY_SHORT;
    case SH_TARGET_ATTR:
        need = 3;
        break;
    case SH_TARGET_VALUE: case SH_TARGET_AS: case SH_TARGET_STATE:
    case SH_TARGET_COUNT:
        need = 2;
        break;
    default:
        need = 1;
    }
    return left >= 0 && (size_t)left >= need ? need : ARITY_SHORT;
}

/* How many steps ARGV holds, or -1 with the error (unknown word, missing
 * argument); so the steps array is allocated once. */
static long count_steps(int argc, char *const *argv, char *err,
                        size_t errlen)
{
    const struct word *w;
    long n = 1;   /* the URL's goto */
    size_t na;
    int i = 0;

    while (i < argc) {
        w = word_of(argv[i]);
        if (!w)
            return unknown_word((size_t)n + 1, argv[i], err, errlen);
        na = arity(w, argc - i - 1, argv + i + 1);
        if (na == ARITY_SHORT)
            return ut_err(err, errlen, -1, "step %ld (%s): needs %s", n + 1,
                          w->word, w->args);
        i += 1 + (int)na;
        if (++n > RUN__MAX_STEPS)
            return ut_err(err, errlen, -1, "too many steps (limit %d)",
                          RUN__MAX_STEPS);
    }
    return n;
}

static int words_parse(const char *url, int argc, char *const *argv,
                       const struct run_vars *known, struct run_task *out,
                       char *err, size_t errlen)
{
    static const struct word first = {
        "goto", RUN_GOTO, RUN_COND_NONE, SH_VALUE, "URL"
    };
    const struct word *w;
    char *const *args;
    long n;
    size_t i, na = 1;
    int a = 0;

    memset(out, 0, sizeof *out);
    if (!url || !*url)
        return ut_err(err, errlen, -1, "step 1 (goto): needs URL");
    n = count_steps(argc, argv, err, errlen);
    if (n < 0)
        return -1;
    out->file = ut_strdup("(inline)");
    out->name = ut_strdup("(inline)");
    out->steps = calloc((size_t)n, sizeof *out->steps);
    if (!out->file || !out->name || !out->steps)
        goto nomem;
    for (i = 0; i < (size_t)n; i++) {
        if (i == 0) {
            w = &first;
            args = (char *const *)&url;
        } else {
            w = word_of(argv[a]);
            args = argv + a + 1;
            na = arity(w, argc - a - 1, args);
            a += 1 + (int)na;
        }
        step_init(&out->steps[i], i, w);
        out->nsteps = i + 1;
        switch (step_fill(&out->steps[i], w, args, na, err, errlen)) {
        case 0:
            break;
        case -2:
            run_task_free(out);
            return -1;
        default:
            goto nomem;
        }
    }
    if (run__task_check(out, known, 0, "", err, errlen)) {
        run_task_free(out);
        return -1;
    }
    return 0;

nomem:
    run_task_free(out);
    return ut_err(err, errlen, -1, "out of memory");
}

int run_words_parse(const char *url, int argc, char *const *argv,
                    const struct run_vars *known, struct run_task *out,
                    char *err, size_t errlen)
{
    if (words_parse(url, argc, argv, known, out, err, errlen) == 0)
        return 0;
    run__one_line(errlen ? err : NULL);
    return -1;
}
