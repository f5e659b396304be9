/* shard_int.h -- `smoke --shard i/N` and `cdpilot smoke-merge`: which
 * tasks a shard runs, and the shards' --json documents merged into one
 * (runner/shard.c, pure functions over plain data), and the merge
 * command (runner/smoke_merge.c). Never included outside runner/. */
#ifndef CDPILOT_SHARD_INT_H
#define CDPILOT_SHARD_INT_H

#include <stddef.h>
#include <stdint.h>

#include "exec_int.h"

#define SHARD_MAX 1000

/* "I/N" with 1 <= I <= N <= SHARD_MAX into *I, *N: 0, or -1. */
int run__shard_parse(const char *v, int *i, int *n);

/* Puts each of the N tasks KEYS[k] (paths relative to their PATH
 * argument) in one of NSHARDS shards: OUT[k] in 0..NSHARDS-1. With no
 * duration known (MS NULL, or every MS[k] < 0), by rendezvous hashing of
 * the key: a task's shard depends on its key alone, so adding a task
 * moves no other. With some known: longest first onto the least loaded
 * shard (ties: the lower key, the lower shard), unknown ones counted at
 * the median of the known. Deterministic: every shard computes the same
 * partition. Returns 1 when durations were used, 0 when not, -1 (no
 * memory). */
int run__shard_assign(const char *const *keys, const int64_t *ms, size_t n,
                      int nshards, int *out);

/* Smoke's exit codes, worst first: 3 browser, 4 LLM, 1 failed, 2
 * invalid; the worse of A and B. */
int run__smoke_worse(int a, int b);

/* Merges the smoke --json documents DOCS[0..N) (read from NAMES, for the
 * messages) into one document of the same shape: tasks in shard order,
 * counts summed, duration the longest shard's, exit code the worst, a
 * "shards" array, the LLM spend (per suite id, the largest figure seen;
 * summed over suites). NULL with ERR naming the file when a document is
 * not smoke's, a shard comes twice, the shards' N differ, or two
 * documents hold the same task. The documents are not changed. */
cJSON *run__shard_merge(const cJSON *const *docs, const char *const *names,
                        size_t n, char *err, size_t errlen);

int run_smoke_merge_cmd(int argc, char **argv);

#endif
