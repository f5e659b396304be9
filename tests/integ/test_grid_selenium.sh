#!/usr/bin/env bash
# --grid against a Selenium Grid 4 stand-in (tests/grid/webdriver_standin.py:
# the W3C WebDriver new-session / delete flow, se:cdp, a queue beyond its
# slots, a session timeout) that hands out real Chromium: a smoke suite
# with more jobs than slots runs every task in the grid's browsers (none
# launched by cdpilot), at most 2 at once, each session deleted, also on
# failure; a node killed mid-task gets its task retried on another
# session; a kill -9 of smoke and its children leaves no session open
# after the grid's timeout, nor after cdpilot's next run (the sweep); a
# grid down, a bad URL, a grid without se:cdp: one line, the exit code.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
SITE=tests/fixtures/site
STANDIN=tests/grid/webdriver_standin.py

# standin NAME ARGS...: starts a stand-in, sets ${NAME}_PID and ${NAME}_URL.
standin() {
  local name=$1; shift
  python3 "$STANDIN" "$@" >"$T_TMP/$name.out" 2>"$T_TMP/$name.err" &
  printf -v "${name}_PID" %s $!
  for _ in $(seq 300); do grep -q '^PORT ' "$T_TMP/$name.out" && break; sleep 0.1; done
  printf -v "${name}_URL" %s "http://127.0.0.1:$(awk '/^PORT/{print $2}' "$T_TMP/$name.out")"
}
stat() { curl -s "$1/test/stats" | python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])"; }
# wait_live URL N SECONDS: until the grid has N live sessions (1 if so).
wait_live() {
  local end=$((SECONDS + $3))
  while (( SECONDS < end )); do [[ $(stat "$1" live) == "$2" ]] && return 0; sleep 0.2; done
  return 1
}
smoke() { run env SMOKE_TEST_TAG="$T_TMP" "$CDPILOT" smoke "$@"; }
# tagged: pids of this test's cdpilot processes (smoke and its children).
tagged() {
  local p
  for p in $(pgrep -f 'cdpilot (smoke|run) '); do
    { tr '\0' '\n' <"/proc/$p/environ"; } 2>/dev/null | grep -qx "SMOKE_TEST_TAG=$T_TMP" && echo "$p"
  done
}
# task NAME MS [ASSERT]: a task that loads the form and stays MS ms.
task() {
  mkdir -p "$(dirname "$T_TMP/$1")"
  cat >"$T_TMP/$1.json" <<EOF
{"schema_version": 1, "name": "$(basename "$1")",
 "vars": {"base": "http://127.0.0.1:8080"},
 "steps": [{"goto": "\${base}/form.html"},
           {"eval": "window.t0 = Date.now()"},
           {"wait_for": {"js": "Date.now() - window.t0 > $2", "timeout_ms": 60000}},
           {"assert": {"js": "${3:-document.title.length > 0}"}}]}
EOF
}
# a sampler: any Chromium whose parent is one of this test's cdpilot
# processes (a browser cdpilot launched itself)
sampler() {
  local c pp
  while :; do
    for c in $(pgrep -x chromium); do
      pp=$(awk '{print $4}' "/proc/$c/stat" 2>/dev/null) || continue
      { tr '\0' '\n' <"/proc/$pp/environ"; } 2>/dev/null | grep -qx "SMOKE_TEST_TAG=$T_TMP" && echo "$c"
    done
    sleep 0.2
  done >>"$T_TMP/local-launch" 2>/dev/null
}

# ---- usage and a grid that is not there -------------------------------------
task one 10
run "$CDPILOT" run "$T_TMP/one.json" --grid ftp://127.0.0.1:1 --no-llm
expect_rc 2 "--grid with a scheme that is no grid's: exit 2"
expect_err '--grid: expected an http\(s\):// WebDriver URL' "... and says what it wants"
run "$CDPILOT" run "$T_TMP/one.json" --grid http://127.0.0.1:1 --connect ws://127.0.0.1:2/x --no-llm
expect_rc 2 "--grid with --connect: exit 2"
expect_err 'cannot be used together' "... named"
mkdir "$T_TMP/tmp"
run env TMPDIR="$T_TMP/tmp" "$CDPILOT" run "$T_TMP/one.json" --grid http://127.0.0.1:1 --no-llm
expect_rc 3 "grid down: exit 3"
expect_true "grid down: one line" test "$(wc -l <<<"$ERR")" -eq 1
expect_err 'grid http://127.0.0.1:1: POST /session: .*onnect' "grid down: names the grid and what happened"
expect_true "grid down: nothing left in TMPDIR" test -z "$(ls -A "$T_TMP/tmp")"

# the sampler sees a local launch (so that its silence below means none)
serve "$SITE"
sampler & SAMPLER=$!
task local 8000
run env SMOKE_TEST_TAG="$T_TMP" "$CDPILOT" run "$T_TMP/local.json" --no-llm --var base="$BASE"
kill $SAMPLER 2>/dev/null; wait $SAMPLER 2>/dev/null
expect_true "the sampler sees a browser cdpilot launched" test -s "$T_TMP/local-launch"
rm -f "$T_TMP/local-launch"

# ---- a suite of 8 tasks, -j 4, on a grid of 2 slots -------------------------
standin G --max-sessions 2 --queue-timeout 300 --session-timeout 30
for i in 1 2 3 4 5 6 7 8; do task "suite/t$i" 700; done
sampler & SAMPLER=$!
smoke "$T_TMP/suite" --serve "$SITE" --no-llm --grid "$G_URL" -j 4 \
  --json --junit "$T_TMP/s.xml"
kill $SAMPLER 2>/dev/null; wait $SAMPLER 2>/dev/null
cp "$T_TMP/out" "$T_TMP/s.json"
expect_rc 0 "8 tasks on the grid: all pass"
expect_err '^smoke: 8 passed, 0 failed' "summary: 8 passed"
expect_true "one grid session per task (created 8)" test "$(stat "$G_URL" created)" = 8
expect_true "never more than the grid's 2 slots at once" test "$(stat "$G_URL" max_concurrent)" = 2
expect_true "every session deleted" test "$(stat "$G_URL" deleted)" = 8
expect_true "none left open" test "$(stat "$G_URL" live)" = 0
expect_true "cdpilot launched no Chromium of its own" test ! -s "$T_TMP/local-launch"
expect_true "... no report names a local browser" test "$(py "$T_TMP/s.json" \
  "sum(1 for x in j['tasks'] if x['browser'].get('path'))")" = 0
expect_true "--json names the grid session of each task" test "$(py "$T_TMP/s.json" \
  "sum(1 for x in j['tasks'] if x['browser']['grid'] == '$G_URL' and len(x['browser']['grid_session']) == 32)")" = 8
expect_true "the cache holds no session any more" test "$(sqlite3 "$T_TMP/cache.db" 'select count(*) from grid_sessions')" = 0

# ---- a failing task still ends its session -----------------------------------
task fail/bad 10 'false'
task fail/good 10
smoke "$T_TMP/fail" --serve "$SITE" --no-llm --grid "$G_URL" -j 2
expect_rc 1 "a failing task on the grid: exit 1"
expect_true "... its session deleted too (deleted == created)" test "$(stat "$G_URL" deleted)" = "$(stat "$G_URL" created)"
expect_true "... none left open" test "$(stat "$G_URL" live)" = 0

# ---- SIGTERM mid-task: the session is deleted on the way out ---------------------
task sig 30000
created0=$(stat "$G_URL" created)
"$CDPILOT" run "$T_TMP/sig.json" --grid "$G_URL" --no-llm --var base="$BASE" \
  >/dev/null 2>&1 & CP=$!
wait_live "$G_URL" 1 60
sleep 1
kill -TERM "$CP"; wait "$CP"; RC=$?
expect_rc 143 "SIGTERM on a grid run: exit 143"
expect_true "... its session deleted (deleted == created)" test "$(stat "$G_URL" deleted)" = "$(stat "$G_URL" created)"
expect_true "... none left open" test "$(stat "$G_URL" live)" = 0

# ---- the run report names the grid session -------------------------------------
run "$CDPILOT" run "$T_TMP/one.json" --grid "$G_URL" --no-llm --var base="$BASE"
expect_err '^PASS one: .*grid session [0-9a-f]{32}\]' "run: the PASS line names the grid session"

# ---- doctor checks the grid: one session made, connected, ended ----------------
created0=$(stat "$G_URL" created)
run "$CDPILOT" doctor --no-cache --grid "$G_URL"
expect_rc 0 "doctor --grid: exit 0"
expect_out "^  ok  grid +$G_URL: session [0-9a-f]{32} in " "doctor: the grid line names the session"
expect_out "^  ok  cdp " "doctor: a CDP round trip through the grid's browser"
expect_true "doctor: one session made" test "$(stat "$G_URL" created)" = $((created0 + 1))
expect_true "doctor: ... and ended" test "$(stat "$G_URL" live)" = 0
run "$CDPILOT" doctor --no-cache --grid "http://127.0.0.1:9/"
expect_rc 3 "doctor with a grid that is down: exit 3"
expect_out "^  FAIL grid " "doctor: ... a FAIL grid line"

# ---- a node dies mid-task: retried on another session --------------------------
task kill/a 8000
task kill/b 8000
created0=$(stat "$G_URL" created)
smoke_bg() { env SMOKE_TEST_TAG="$T_TMP" "$CDPILOT" smoke "$@" >"$T_TMP/out" 2>"$T_TMP/err"; echo $? >"$T_TMP/rc"; }
rm -f "$T_TMP/rc"
smoke_bg "$T_TMP/kill" --serve "$SITE" --no-llm --grid "$G_URL" -j 2 --json --junit "$T_TMP/k.xml" &
for _ in $(seq 600); do       # both tasks connected to their browsers
  [[ $(curl -s "$G_URL/test/sessions" | python3 -c "import json,sys; print(len(json.load(sys.stdin)['connected']))") == 2 ]] && break
  sleep 0.2
done
sleep 2                       # the tasks are in their waits
victim=$(curl -s "$G_URL/test/sessions" | python3 -c "import json,sys; print(json.load(sys.stdin)['connected'][0])")
curl -s -XPOST "$G_URL/test/kill/$victim" >/dev/null
for _ in $(seq 600); do [[ -s "$T_TMP/rc" ]] && break; sleep 0.2; done
RC=$(cat "$T_TMP/rc"); ERR=$(cat "$T_TMP/err"); cp "$T_TMP/out" "$T_TMP/k.json"
expect_rc 0 "node killed mid-task: the suite passes"
expect_err '^retry [ab]: retried on another grid session: browser lost' "the retry is announced"
expect_err '^ok    [ab] .*\(retried on another grid session: browser lost\)' "the task's line says so"
expect_err '^smoke: 2 passed, 0 failed, 0 flaky' "not counted as flaky"
expect_true "--json: the task says it was retried" test "$(py "$T_TMP/k.json" \
  "[x.get('retried') for x in j['tasks'] if x.get('retried')]")" = "['retried on another grid session: browser lost']"
expect_true "JUnit: a retried property" test "$(py "$T_TMP/k.xml" \
  "sum(1 for p in x.iter('property') if p.get('name') == 'retried')")" = 1
expect_true "three sessions for two tasks" test $(( $(stat "$G_URL" created) - created0 )) = 3
wait_live "$G_URL" 0 30
expect_true "none left open after the kill" test "$(stat "$G_URL" live)" = 0

# ---- grid without se:cdp ---------------------------------------------------------
standin N --max-sessions 1 --omit-cdp
run "$CDPILOT" run "$T_TMP/one.json" --grid "$N_URL" --no-llm
expect_rc 3 "a grid without se:cdp: exit 3"
expect_err 'no se:cdp capability' "... says so"
expect_true "... and the session it made is deleted" test "$(stat "$N_URL" deleted)" = 1
kill "$N_PID"; wait "$N_PID" 2>/dev/null

# ---- a full grid: retried with backoff, then one line within grid.timeout_ms -----
standin F --max-sessions 1 --queue-timeout 1
curl -s -XPOST "$F_URL/session" -d '{"capabilities":{}}' >/dev/null   # the one slot
echo '{"grid": {"timeout_ms": 6000}}' >"$T_TMP/gridprof.json"
t0=$SECONDS
run "$CDPILOT" run "$T_TMP/one.json" --grid "$F_URL" --no-llm --profile "$T_TMP/gridprof.json"
expect_rc 3 "a grid that stays full: exit 3"
expect_err 'no session within the grid timeout .*HTTP 500, session not created' "... names what the grid answered"
expect_true "... one line" test "$(wc -l <<<"$ERR")" -eq 1
expect_true "... asked again meanwhile (refused $(stat "$F_URL" refused) times)" test "$(stat "$F_URL" refused)" -ge 2
expect_true "... gave up within the timeout and a try (took $((SECONDS - t0)) s)" test $((SECONDS - t0)) -le 30
kill "$F_PID"; wait "$F_PID" 2>/dev/null

# ---- kill -9 mid-run: the grid's timeout, and cdpilot's next run ----------------
# killall9 SUITE URL: starts the suite on URL, kill -9s smoke and its children
# once both slots are busy.
killall9() {
  (env SMOKE_TEST_TAG="$T_TMP" "$CDPILOT" smoke "$1" --serve "$SITE" --no-llm \
     --grid "$2" -j 2 >/dev/null 2>&1 &)
  wait_live "$2" 2 60
  sleep 1
  local p=$(tagged)
  kill -STOP $p 2>/dev/null    # all at once: none sees another die first
  kill -9 $p 2>/dev/null
  sleep 1
}
for i in 1 2; do task "long/l$i" 20000; done
# a grid with a short session timeout: its reaper ends them
standin R --max-sessions 2 --session-timeout 3
killall9 "$T_TMP/long" "$R_URL"
expect_true "kill -9: sessions still open right after" test "$(stat "$R_URL" live)" -ge 1
wait_live "$R_URL" 0 30
expect_true "kill -9: 0 open after the grid's session timeout" test "$(stat "$R_URL" live)" = 0
expect_true "... ended by its reaper" test "$(stat "$R_URL" reaped)" -ge 1
# a grid that never times sessions out: cdpilot's next run ends them
standin K --max-sessions 3 --session-timeout 3600
killall9 "$T_TMP/long" "$K_URL"
left=$(stat "$K_URL" live)
echo "# kill -9 on a grid without a timeout: $(curl -s "$K_URL/test/stats")"
expect_true "kill -9: sessions left open on a grid without a timeout" test "$left" -ge 1
incache() { sqlite3 "$T_TMP/cache.db" "select count(*) from grid_sessions where grid = '$1'"; }
expect_true "... each recorded in the cache" test "$(incache "$K_URL")" = "$left"
run "$CDPILOT" run "$T_TMP/one.json" --grid "$K_URL" --no-llm -v --var base="$BASE"
expect_rc 0 "the next run passes"
expect_err 'ended session [0-9a-f]+, left open by pid' "... and says which sessions it ended"
expect_true "kill -9: 0 open after cdpilot's next run" test "$(stat "$K_URL" live)" = 0
expect_true "... none left in the cache" test "$(incache "$K_URL")" = 0
expect_true "no cdpilot process left" test -z "$(tagged)"

# ---- the stand-ins leave nothing behind ----------------------------------------
kill "$G_PID" "$R_PID" "$K_PID"
wait "$G_PID" "$R_PID" "$K_PID" 2>/dev/null
expect_true "stand-ins stopped: no temp dir left" test -z "$(ls -d "$T_TMP"/standin-* 2>/dev/null)"
expect_true "stand-ins stopped: no Chromium of theirs left" test \
  "$(ps -eo args= | grep -c "user-data-dir=$T_TMP/standin-" | tr -d ' ')" -le 1
done_testing
