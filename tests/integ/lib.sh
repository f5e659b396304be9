# lib.sh -- helpers for the integration tests (sourced). Each test file
# calls the check functions and ends with `done_testing`, which prints the
# "N passed, N failed" line that tests/run.sh adds up.
set -u
T_PASS=0 T_FAIL=0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CDPILOT="${CDPILOT_BIN:-$ROOT/build/cdpilot}"
T_TMP="$(mktemp -d "${TMPDIR:-/tmp}/cdpilot-test.XXXXXX")"   # run.sh's own
export CDPILOT_CACHE="$T_TMP/cache.db" XDG_CACHE_HOME="$T_TMP/xdg"
# failed steps' screenshots and DOM dumps go to $TMPDIR: into T_TMP, which
# goes at exit, not into /tmp for good
export TMPDIR="$T_TMP"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$T_TMP"' EXIT

ok()   { T_PASS=$((T_PASS + 1)); echo "ok - $1"; }
nok()  { T_FAIL=$((T_FAIL + 1)); echo "FAIL - $1"; shift; for l in "$@"; do echo "    $l"; done; }

# run CMD...: runs with output captured in $OUT/$ERR and the code in $RC.
run() {
  "$@" >"$T_TMP/out" 2>"$T_TMP/err"; RC=$?
  OUT=$(cat "$T_TMP/out"); ERR=$(cat "$T_TMP/err")
}
expect_rc()   { if [[ $RC -eq $1 ]]; then ok "$2"; else nok "$2" "exit $RC, wanted $1" "stderr: ${ERR:0:2000}"; fi; }
expect_err()  { if grep -qE -- "$1" <<<"$ERR"; then ok "$2"; else nok "$2" "stderr lacks /$1/" "stderr: ${ERR:0:2000}"; fi; }
expect_out()  { if grep -qE -- "$1" <<<"$OUT"; then ok "$2"; else nok "$2" "stdout lacks /$1/" "stdout: ${OUT:0:2000}"; fi; }
expect_true() { local d=$1; shift; if "$@"; then ok "$d"; else nok "$d" "failed: $*"; fi; }

# serve DIR: starts `cdpilot serve` on a free port, sets $BASE.
serve() {
  "$CDPILOT" serve "$1" --port 0 >"$T_TMP/serve.url" 2>"$T_TMP/serve.err" &
  SERVE_PID=$!
  for _ in $(seq 100); do [[ -s "$T_TMP/serve.url" ]] && break; sleep 0.05; done
  BASE=$(head -n 1 "$T_TMP/serve.url")
  [[ -n "$BASE" ]] || { nok "serve $1" "$(cat "$T_TMP/serve.err")"; done_testing; }
}
# serve_site: a fresh folder $site under T_TMP, served (sets $BASE), and
# $start, the orphaned browsers before the test (for its last check).
serve_site() {
  site="$T_TMP/site"; mkdir -p "$site"
  serve "$site"
  start=$(browsers)
}
# Counts orphaned browser processes (a cdpilot profile dir, parent gone).
browsers() { ps -eo ppid=,args= | awk '$1 == 1 && /cdpilot-profile-/' | wc -l; }

# leftovers: our browsers and `cdpilot run` children still alive (the
# processes whose environment has SMOKE_TEST_TAG=$T_TMP), not other
# people's.
leftovers() {
  local n=0 p
  for p in /proc/[0-9]*; do
    { tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qx "SMOKE_TEST_TAG=$T_TMP" || continue
    { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qE 'cdpilot-profile-|^cdpilot run ' && n=$((n + 1))
  done
  echo $n
}
# py FILE EXPR: prints Python EXPR over the parsed FILE: x and cases (JUnit
# root, test cases by name) for .xml; log and routes (tests/fake_llm.py's
# request log) for .log; j (the JSON) and t (a smoke report's tasks by file
# name) otherwise.
py() {
  python3 - "$1" "$2" <<'EOF'
import json, sys, xml.etree.ElementTree as ET
f, expr = sys.argv[1], sys.argv[2]
if f.endswith('.xml'):
    x = ET.parse(f).getroot()
    cases = {c.get('name'): c for c in x.iter('testcase')}
elif f.endswith('.log'):
    log = [json.loads(l) for l in open(f, encoding='utf-8')]
    routes = [r.get('route') for r in log]
else:
    j = json.load(open(f, encoding='utf-8', errors='replace'))
    if isinstance(j, dict) and 'tasks' in j:
        t = {x['file'].rsplit('/', 1)[1][:-5]: x for x in j['tasks'] if x.get('file')}
print(eval(expr))
EOF
}
# start_tarpit [SECONDS]: starts a server on 127.0.0.1 that accepts connections
# and never answers (for SECONDS, default 120); sets $TARPIT_PORT and
# $TARPIT_PID.
start_tarpit() {
  python3 - "${1:-120}" >"$T_TMP/tarpit.port" <<'EOF' &
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(64)
print(s.getsockname()[1], flush=True)
conns, end = [], time.time() + float(sys.argv[1])
s.settimeout(0.5)
while time.time() < end:
    try: conns.append(s.accept()[0])
    except OSError: pass
EOF
  TARPIT_PID=$!
  for _ in $(seq 100); do [[ -s "$T_TMP/tarpit.port" ]] && break; sleep 0.05; done
  TARPIT_PORT=$(cat "$T_TMP/tarpit.port")
}
done_testing() { echo "$T_PASS passed, $T_FAIL failed"; [[ $T_FAIL -eq 0 ]]; exit $?; }

# traced NAME [OPTS...]: writes the task on stdin to $T_TMP/NAME.json and
# runs it with --no-llm --json and a fresh CDP trace in $T_TMP/trace, and
# OPTS (default --no-cache); py_json EXPR: prints Python EXPR over the
# report r ($OUT).
traced() {
  local name=$1; shift
  cat >"$T_TMP/$name.json"
  rm -rf "$T_TMP/trace"
  run "$CDPILOT" run "$T_TMP/$name.json" --no-llm --json \
    --trace "$T_TMP/trace" "${@:---no-cache}"
}
py_json() { python3 -c "import json,sys; r=json.load(sys.stdin); print($1)" <<<"$OUT"; }
# trace_calls STEP: the page calls of step STEP (1-based) in the CDP trace
# under $T_TMP/trace (--trace: one screenshot after each step), one per
# line: "collect", or "guess" for a collection carrying a guess, either
# with "+ahead" when the page keeps it for the steps after it
# (docs/CANDIDATES.md "Ahead"); "ahead", a ranking made ahead, checked;
# "ready", a choice checked by its own call.
trace_calls() {
  python3 - "$(ls "$T_TMP"/trace/*/cdp.log | head -1)" "$1" <<'EOF'
import json, sys
log, want = sys.argv[1], int(sys.argv[2])
step = 0
for line in open(log):
    if not line.startswith('> '):
        continue
    try:                           # the page script's install spans lines
        m = json.loads(line.split(' ', 2)[2], strict=False)
    except ValueError:
        continue
    if m.get('method') == 'Page.captureScreenshot':
        step += 1                  # the trace shoots once after each step
        continue
    e = m.get('params', {}).get('expression', '')
    if step + 1 != want or m.get('method') != 'Runtime.evaluate':
        continue
    if '__cdpilot.collect(' in e:
        print(('guess' if 'guess:' in e else 'collect') +
              ('+ahead' if 'ahead:1' in e else ''))
    elif '__cdpilot.aheadCheck(' in e:
        print('ahead')
    elif 'locateHandle(' in e:
        print('ready')
EOF
}
