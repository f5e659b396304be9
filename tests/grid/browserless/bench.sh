#!/usr/bin/env bash
# bench.sh [CDPILOT] -- the figures of docs/SMOKE.md "browserless": a
# 40-task smoke suite (two pages each, on a fixture site on 127.0.0.1)
# against the real browserless with 1, 2 and 4 slots (CONCURRENT = -j),
# wall times and ratios; then a kill -9 of smoke and its tasks mid-run
# (4 slots): browserless's sessions and browsers left after its timeout
# (10 s for those connections) and after the next run. Prints one line per figure.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cdpilot="${1:-$root/build/cdpilot}"
[[ -f "$here/node_modules/@browserless.io/browserless/build/index.js" ]] ||
  { echo "bench.sh: browserless not installed (scripts/install-deps)" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/cdpilot-blbench.XXXXXX")
export TMPDIR="$T" CDPILOT_CACHE="$T/cache.db" XDG_CACHE_HOME="$T/xdg"
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
python3 "$here/probe.py" site "$T/site.port" &
for _ in $(seq 100); do [[ -s "$T/site.port" ]] && break; sleep 0.05; done
site="http://127.0.0.1:$(cat "$T/site.port")"
mkdir -p "$T/suite"
for n in $(seq 40); do
  python3 -c 'import json, sys; print(json.dumps({"schema_version": 1, "name": "task " + sys.argv[2], "steps": [
      {"goto": sys.argv[1] + "/hold?ms=0&id=" + sys.argv[2]},
      {"goto": sys.argv[1] + "/check?id=" + sys.argv[2]},
      {"assert": {"js": "document.getElementById(\"who\").textContent === \"task " + sys.argv[2] + "\""}}]}))' \
    "$site" "$n" >"$T/suite/t$n.json"
done
printf '{"extends": "default", "timeouts": {"launch_ms": 300000, "navigation_ms": 60000}}\n' >"$T/q.json"

# up N: browserless with N slots in $T/bl (URL, HTTP, TOKEN set).
up() {
  rm -rf "$T/bl"; mkdir -p "$T/bl"
  CONCURRENT=$1 QUEUED=100 TIMEOUT=300000 "$here/start.sh" "$T/bl" 2>>"$T/bl.err" &
  SUP=$!
  for _ in $(seq 600); do [[ -s "$T/bl/url" || -e "$T/bl/failed" ]] && break; sleep 0.1; done
  URL=$(cat "$T/bl/url") HTTP=$(cat "$T/bl/http") TOKEN=$(cat "$T/bl/token") NODE=$(cat "$T/bl/pid")
}
down() { kill "$SUP"; wait "$SUP" 2>/dev/null; }
left() {   # sessions listed, and browsers under browserless's node
  python3 - "$HTTP/sessions?token=$TOKEN" "$here" "$NODE" <<'EOF'
import json, sys, urllib.request
sys.path.insert(0, sys.argv[2]); import probe
print(len(json.load(urllib.request.urlopen(sys.argv[1], timeout=5))),
      probe.browsers(int(sys.argv[3]))[0])
EOF
}

declare -A wall
for n in 1 2 4; do
  up $n
  t0=$(date +%s.%N)
  "$cdpilot" smoke "$T/suite" --no-llm --connect "$URL" --profile "$T/q.json" -j $n -q >"$T/out" 2>"$T/err"
  rc=$?
  wall[$n]=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$t0" "$(date +%s.%N)")
  echo "browserless: 40 tasks, $n slot(s), -j $n: ${wall[$n]} s (exit $rc; $(tail -n 1 "$T/err"))"
  [[ $n -eq 4 ]] || down
done
python3 -c "import sys; a, b, c = map(float, sys.argv[1:]); print('browserless: ratios 1:2:4 slots = 1 : %.2f : %.2f (speed-up x%.2f, x%.2f)' % (b / a, c / a, a / b, a / c))" \
  "${wall[1]}" "${wall[2]}" "${wall[4]}"

# kill -9 mid-run (4 slots still up)
setsid "$cdpilot" smoke "$T/suite" --no-llm --connect "$URL&timeout=10000" --profile "$T/q.json" -j 4 -q >/dev/null 2>&1 &
sm=$!
sleep 8
echo "browserless: at the kill -9 (sessions, browsers): $(left)"
kill -9 -- -"$sm"; wait "$sm" 2>/dev/null
sleep 12
echo "browserless: 12 s later, past their timeout of 10 s (sessions, browsers): $(left)"
"$cdpilot" smoke "$T/suite" --no-llm --connect "$URL" --profile "$T/q.json" -j 4 -q --grep 'task 1$' >/dev/null 2>&1
echo "browserless: after cdpilot's next run (exit $?) (sessions, browsers): $(left)"
down
