/* run_int.h -- internals shared by the files of runner/ (never included
 * outside it). json.c owns strict JSON parsing (task and profile files),
 * task.c the task model, check.c step validation (shared with words.c);
 * vars.c owns ${…} scanning; profile.c reads profiles. */
#ifndef CDPILOT_RUN_INT_H
#define CDPILOT_RUN_INT_H

#include "runner.h"
#include "../util/util.h"

#include <stddef.h>

struct cJSON;

/* Limits on task files; every bigger input is rejected with a message. */
#define RUN__MAX_TASK_FILE (16u * 1024 * 1024)  /* bytes */
#define RUN__MAX_STEPS     100000
#define RUN__MAX_STRING    (1u * 1024 * 1024)   /* one string value */
#define RUN__MAX_DEPTH     64                   /* JSON nesting */
#define RUN__MAX_NAME      128                  /* variable name */
/* Step and task retries wait at most this long (or the profile's
 * backoff_ms when larger) before jitter. */
#define RUN__BACKOFF_CAP_MS 10000

/* The closest of CANDS[0..N) to WORD (case-insensitive edit distance at
 * most 2, and at most half the word's length), or NULL. */
const char *run__suggest(const char *word, const char *const *cands,
                         size_t n);

/* Parses JSON text into *OUT (the caller frees it with cJSON_Delete):
 * rejects NUL bytes and \u0000 escapes (cJSON would cut the string
 * there), invalid UTF-8, nesting deeper than RUN__MAX_DEPTH,
 * syntax errors, trailing garbage and a top level that is not an object.
 * On error returns -1 with "FILE:LINE:COL: what" in ERR, *OUT NULL. */
int run__json_parse(const char *file, const char *buf, size_t len,
                    struct cJSON **out, char *err, size_t errlen);
/* "a string", "an object"...: what J is, for error messages. */
const char *run__json_type(const struct cJSON *j);

/* Replaces control characters in S (an error message) by '?', so that a
 * message quoting user input stays one line. NULL is fine. */
void run__one_line(char *s);

/* Validates the steps of T once they are in the model: targets, URLs,
 * keys, regexes and ${…} references (task vars, KNOWN, earlier "as").
 * Relative URLs need T's base_url, or HAS_BASE (a --base-url).
 * Errors read "PREFIXstep N (KIND): field "F": …" (PREFIX may be "").
 * Returns 0 or -1. */
int run__task_check(const struct run_task *t, const struct run_vars *known,
                    int has_base, const char *prefix, char *err,
                    size_t errlen);

/* files.c: the file an upload step's PATH names, as an absolute path
 * into OUT: a task file's paths are relative to its folder and stay in
 * it; inline words' (TASK_FILE "(inline)") may be any path, relative to
 * the current directory. It must be a readable regular file. And whether
 * a download step's "to" can be used (a task file's stays in the current
 * directory; no file where a folder must be). 0, or -1 with ERR. */
int run__upload_path(const char *task_file, const char *path, char *out,
                     size_t n, char *err, size_t errlen);
/* 1 when PATH stays inside the folder it is relative to (not empty,
 * relative, no ".." component): what a task file may name for the files
 * it reads (uploads, load_state) and writes (screenshots, downloads,
 * save_state). */
int run__path_inside(const char *path);
/* The file fields of step S, made on first use with no size bounds
 * (NULL when out of memory); freed with the task. */
struct run_files *run__files_of(struct run_step *s);
int run__download_to_check(const char *task_file, const char *to,
                           char *err, size_t errlen);
/* The state named S ("checked", ...), or RUN_STATE_NONE; the error
 * for an unknown one in step S (as task files say it) into ERR, -1. */
enum run_state run__state_of(const char *s);
int run__state_err(const struct run_step *st, const char *s, char *err,
                   size_t errlen);

/* Checks a `press` value: chords separated by single spaces, a chord is
 * Modifier+…+Key (see docs/TASKS.md). 0, or -1 with a reason. */
int run__keys_check(const char *keys, char *err, size_t errlen);

/* ${…} expansion with a caller-supplied lookup. LOOKUP returns 1 and
 * sets *VALUE (NULL: known but only at run time) and *SECRET, or returns
 * 0 when NAME is unknown, writing an optional hint (" (…)") into HINT.
 * ENV_NOW: expand ${env.X} from the environment; otherwise an env
 * reference only makes the result dynamic. When a reference is dynamic,
 * *DYNAMIC (may be NULL) is set and *OUT (may be NULL) is NULL; else *OUT
 * is the malloc'ed expansion. Returns 0, or -1 with the reason in ERR. */
typedef int (*run__lookup_fn)(void *ctx, const char *name,
                              const char **value, int *secret,
                              char *hint, size_t hintlen);
int run__expand_with(run__lookup_fn lookup, void *ctx, int env_now,
                     const char *in, char **out, int *secret, int *dynamic,
                     char *err, size_t errlen);
/* 1 when S is a valid variable name: [A-Za-z_][A-Za-z0-9_]*, at most
 * RUN__MAX_NAME bytes, and not "env". */
int run__var_name_ok(const char *s);

/* secret.c: the process's secrets (see its top). run_secret_add copies S
 * and the forms it takes in URLs, JSON and HTML; 0, or -1 when the list
 * is full or memory ran out (the caller must then not write the value).
 * run_redact* return a malloc'ed copy with each "***" in place of a
 * secret (NULL when out of memory); run_redact_json redacts every string
 * and key of a tree in place. */
#define RUN__MAX_SECRETS 64
#define RUN__SECRET_MIN  3
int   run_secret_add(const char *s) UT_MUST_CHECK;
/* The query values and the password of URL (an endpoint's token). */
int   run_secret_add_url(const char *url) UT_MUST_CHECK;
int   run_secret_any(void);
int   run_secret_in(const char *s, size_t len);
char *run_redact(const char *s) UT_MUST_CHECK;
char *run_redact_n(const char *s, size_t len) UT_MUST_CHECK;
void  run_redact_in_place(char **s);
void  run_redact_json(struct cJSON *j);
void  run_secret_reset(void);

/* state_file.c: session state files, Playwright's storageState JSON.
 * run__state_read reads and checks PATH into *OUT (the caller's), or -1
 * with one line in ERR that quotes no value of the file;
 * run__state_check checks a parsed tree (FILE names it in errors);
 * run__state_write writes ST 0600 and atomically. */
int run__state_read(const char *path, struct cJSON **out, char *err,
                    size_t errlen);
int run__state_check(const char *file, const struct cJSON *st, char *err,
                     size_t errlen);
int run__state_write(const char *path, const struct cJSON *st, char *err,
                     size_t errlen);

/* pin.c: browser version pins (see its top). run_pin_parse: 0, or -1
 * with why in ERR; run_pin_version: the numbers of a product string
 * ("HeadlessChrome/156.0.8078.129") into V, how many (0: none);
 * run_pin_match: 1 when PRODUCT's version satisfies P. */
#define RUN_PIN_PARTS 4
enum { RUN_PIN_EQ = 0, RUN_PIN_GE, RUN_PIN_LE, RUN_PIN_GT, RUN_PIN_LT };
struct run_pin {
    int op, n;                   /* RUN_PIN_*, components given */
    long v[RUN_PIN_PARTS];
    char text[64];               /* as written */
};
int run_pin_parse(const char *spec, struct run_pin *p, char *err,
                  size_t errlen);
int run_pin_version(const char *product, long v[RUN_PIN_PARTS]);
int run_pin_match(const struct run_pin *p, const char *product);

#endif
