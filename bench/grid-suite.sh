#!/usr/bin/env bash
# bench/grid-suite.sh [TASKS] [SLOTS...]: wall time of a smoke suite of
# TASKS simple fixture tasks (default 40) run with --grid against the
# WebDriver stand-in (tests/grid/webdriver_standin.py, real Chromium) with
# each number of SLOTS (default 1 2 4) and -j equal to it; then the
# sessions left open after a kill -9 of smoke and its children mid-run,
# after the grid's session timeout and after cdpilot's next run.
# Everything lives in a temp folder that goes at the end.
set -u
cd "$(dirname "$0")/.."
N=${1:-40}; shift || true
SLOTS=("${@:-1 2 4}"); [[ $# -eq 0 ]] && SLOTS=(1 2 4)
CDPILOT=${CDPILOT_BIN:-build/cdpilot}
W=$(mktemp -d "${TMPDIR:-/tmp}/cdpilot-gridbench.XXXXXX")
export TMPDIR=$W CDPILOT_CACHE=$W/cache.db
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$W"' EXIT
mkdir -p "$W/suite"
for i in $(seq "$N"); do
  cat >"$W/suite/t$i.json" <<T
{"schema_version": 1, "name": "t$i", "vars": {"base": "http://127.0.0.1:8080"},
 "steps": [{"goto": "\${base}/form.html"}, {"assert": {"title": "Form controls"}}]}
T
done
standin() {   # standin ARGS...: sets URL, PIDS
  python3 tests/grid/webdriver_standin.py "$@" >"$W/standin.out" 2>/dev/null &
  PIDS+=($!)
  for _ in $(seq 300); do grep -q '^PORT ' "$W/standin.out" && break; sleep 0.1; done
  URL="http://127.0.0.1:$(awk '/^PORT/{print $2}' "$W/standin.out")"
}
stat() { curl -s "$URL/test/stats" | python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
declare -A T
for s in "${SLOTS[@]}"; do
  standin --max-sessions "$s" --queue-timeout 600 --session-timeout 60
  t0=$(date +%s.%N)
  "$CDPILOT" smoke "$W/suite" --serve tests/fixtures/site --no-llm --grid "$URL" -j "$s" -q 2>"$W/err"
  rc=$?
  t1=$(date +%s.%N)
  T[$s]=$(echo "$t1 - $t0" | bc)
  echo "slots $s: exit $rc, $(tail -n 1 "$W/err"), wall ${T[$s]} s, created $(stat created), max concurrent $(stat max_concurrent), live after $(stat live)"
  kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null
done
for s in "${SLOTS[@]}"; do
  echo "ratio wall(1 slot)/wall($s slots): $(echo "scale=2; ${T[${SLOTS[0]}]} / ${T[$s]}" | bc)"
done
# kill -9 mid-run
for mode in reaper sweep; do
  if [[ $mode == reaper ]]; then standin --max-sessions 2 --session-timeout 5
  else standin --max-sessions 2 --session-timeout 3600; fi
  setsid "$CDPILOT" smoke "$W/suite" --serve tests/fixtures/site --no-llm --grid "$URL" -j 2 -q >/dev/null 2>&1 &
  sp=$!
  for _ in $(seq 300); do [[ $(stat created) -ge 4 ]] && break; sleep 0.1; done
  kill -9 -- -"$sp" 2>/dev/null
  sleep 0.5
  echo "kill -9 ($mode grid): live right after: $(stat live)"
  if [[ $mode == reaper ]]; then
    sleep 8; echo "  after the grid's 5 s session timeout: live $(stat live) (reaped $(stat reaped))"
  else
    "$CDPILOT" run "$W/suite/t1.json" --grid "$URL" --no-llm -q --var base=http://127.0.0.1:1 >/dev/null 2>&1
    echo "  after cdpilot's next run: live $(stat live) (deleted $(stat deleted))"
  fi
  kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null
done
