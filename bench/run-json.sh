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
set -u
if [[ "${1:-}" == --fresh-cache ]]; then
  rm -f -- "$2" "$2-wal" "$2-shm" "$2-journal"
  shift 2
fi
exec "$@" > >(iconv -f utf-8 -t utf-8 -c > "${BENCH_RESULT_FILE:-/dev/stdout}")
