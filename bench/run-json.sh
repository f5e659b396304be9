#!/usr/bin/env bash
# bench/run-json.sh [--fresh-cache FILE] CMD ARG...
# For tools/measure.py: runs CMD in THIS process (exec: the pid measure.py
# watches stays the controller's) with its stdout -- a --json report or a
# bench_cdp_floor line -- written to $BENCH_RESULT_FILE, where measure.py
# reads a command's own result. Bytes that are not UTF-8 are dropped on the
# way (iconv -c; a child of the controller, its few ms count as "browser"
# CPU): a report copies page text (titles, read values) byte for byte, and
# one stray byte would make the whole report unreadable to json.load.
# --fresh-cache FILE deletes FILE (and its -wal/-shm/-journal) first: a cold
# cache for every run.
# BENCH_ARTIFACTS (a folder): the command's $TMPDIR, so that the screenshots
# and DOM dumps cdpilot writes for failed steps (the intent tasks' optional
# uncertain steps) stay with the run's results instead of piling up in /tmp.
# Only the cdpilot side runs through here; the peers get scripts/bench's
# $OUT/tmp, removed when the bench ends.
set -u
if [[ -n "${BENCH_ARTIFACTS:-}" ]]; then
  mkdir -p -- "$BENCH_ARTIFACTS" && export TMPDIR="$BENCH_ARTIFACTS"
fi
if [[ "${1:-}" == --fresh-cache ]]; then
  rm -f -- "$2" "$2-wal" "$2-shm" "$2-journal"
  shift 2
fi
exec "$@" > >(iconv -f utf-8 -t utf-8 -c > "${BENCH_RESULT_FILE:-/dev/stdout}")
