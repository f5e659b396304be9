#!/usr/bin/env bash
# A page whose renderer hangs (a script that never yields) or dies (kill -9,
# out of memory), against real Chromium: the run ends soon after the step's
# timeout or the death, says what happened, and leaves no browser, profile
# dir or temporary file behind (docs/RELIABILITY.md).
source "$(dirname "$0")/lib.sh"
serve_site
C=(--no-cache --no-llm)

cat >"$site/hang.html" <<'EOF'
<!doctype html><title>hangs after load</title><p>hello</p>
<script>setTimeout(() => { for (;;) {} }, 100)</script>
EOF
# hangs as soon as its load event is out: the goto passes, and the trace's
# screenshot after it meets a page that no longer answers
cat >"$site/hang-onload.html" <<'EOF'
<!doctype html><title>hangs at load</title><p>hello</p>
<script>addEventListener('load', () => setTimeout(() => { for (;;) {} }, 0))</script>
EOF
cat >"$site/hang-inline.html" <<'EOF'
<!doctype html><title>hangs before load</title><p>hello</p>
<script>for (;;) {}</script>
EOF
cat >"$site/plain.html" <<'EOF'
<!doctype html><title>plain</title><p>hello</p>
EOF
cat >"$site/oom.html" <<'EOF'
<!doctype html><title>allocates until it dies</title><p>hello</p>
<script>
setTimeout(() => { const a = []; for (;;) a.push(new Array(1e6).fill(Math.random())); }, 3000);
</script>
EOF
# a 64 MB JavaScript heap: the allocating renderer dies about a second after
# it starts, 3 s after load (time for the test to find its renderers)
# instead of after some 20 s and 4 GB
printf '{"extends":"default","args":["--js-flags=--max-old-space-size=64"]}' \
  >"$T_TMP/small-heap.json"
printf '{"extends":"default","timeouts":{"navigation_ms":3000}}' >"$T_TMP/nav3s.json"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# start_run [ARGS...]: cdpilot ARGS in the background, stdout in $T_TMP/bg.out,
# stderr in $T_TMP/bg.err, TMPDIR an empty $T_TMP/tmpdir. Sets PID, T0 (its
# start), and once step 1 has passed (within 40 s): T_STEP (then), PROFILE
# (its browser's user-data-dir) and RENDERERS (the pids of that browser's
# renderers). T_STEP is empty when step 1 did not pass in time.
start_run() {
  rm -rf "$T_TMP/tmpdir"; mkdir -p "$T_TMP/tmpdir"
  T0=$(now_ms)
  TMPDIR="$T_TMP/tmpdir" "$CDPILOT" "$@" >"$T_TMP/bg.out" 2>"$T_TMP/bg.err" & PID=$!
  T_STEP="" PROFILE="" RENDERERS=""
  for _ in $(seq 800); do
    if grep -q 'ok .*1/2' "$T_TMP/bg.err"; then T_STEP=$(now_ms); break; fi
    kill -0 $PID 2>/dev/null || break
    sleep 0.05
  done
  local bpid; bpid=$(pgrep -P $PID | head -n 1)
  [[ -n "$bpid" ]] && PROFILE=$(tr '\0' '\n' <"/proc/$bpid/cmdline" 2>/dev/null |
                                sed -n 's/^--user-data-dir=//p' | head -n 1)
  [[ -n "$PROFILE" ]] && RENDERERS=$(pgrep -f -- "--type=renderer .*--user-data-dir=$PROFILE( |$)")
}
# wait_exit LIMIT_MS: waits until cdpilot exits, at most LIMIT_MS from now,
# noting when the failed step's line appeared (T_ERR) and when it exited
# (T_END); past the limit it is stopped (SIGTERM) and RC is 124, as with
# timeout(1). Sets OUT and ERR.
wait_exit() {
  local end=$(( $(now_ms) + $1 ))
  T_ERR=""
  while kill -0 $PID 2>/dev/null && [[ $(now_ms) -lt $end ]]; do
    [[ -z "$T_ERR" ]] && grep -q 'FAIL .*2/2' "$T_TMP/bg.err" && T_ERR=$(now_ms)
    sleep 0.02
  done
  T_END=$(now_ms)
  if kill -0 $PID 2>/dev/null; then
    kill -TERM $PID; wait $PID 2>/dev/null; RC=124
    echo "# still running after $1 ms: stopped"
  else
    wait $PID; RC=$?
  fi
  [[ -z "$T_ERR" ]] && T_ERR=$T_END
  OUT=$(cat "$T_TMP/bg.out"); ERR=$(cat "$T_TMP/bg.err")
}
# clean NAME: no process of the run's browser left, its profile dir gone, and
# nothing in its TMPDIR but the folder of failed steps' screenshots.
clean() {
  expect_true "$1: the browser is gone" test -n "$PROFILE" -a \
    -z "$(pgrep -f -- "--user-data-dir=$PROFILE( |$)")"
  expect_true "$1: its profile dir is gone" test -n "$PROFILE" -a ! -e "$PROFILE"
  expect_true "$1: no orphan browser" test "$(browsers)" -le "$start"
  local left; left=$(ls -A "$T_TMP/tmpdir" | grep -vE '^cdpilot-failures-[0-9]+$')
  if [[ -z "$left" ]]; then ok "$1: nothing left in TMPDIR"
  else nok "$1: nothing left in TMPDIR" "left: $left"; fi
}

# ---- (a) a page that hangs after load: the step's timeout, then out -------
# The step fails with exit 1: the page (the application under test) is at
# fault, not the browser or CDP (exit 3 means the infrastructure broke).
start_run do "$BASE/hang.html" expect-text nothing --timeout 3000 "${C[@]}"
expect_true "hung page: step 1 passed" test -n "$T_STEP"
wait_exit 8000
ms=$(( T_END - ${T_STEP:-$T0} ))
echo "# hung page: step 2 ran ${ms} ms, exit $(( ms - 3000 )) ms after its 3000 ms timeout"
expect_true "hung page: exit within the step's timeout + 3 s (${ms} ms)" test "$ms" -lt 6000
expect_rc 1 "hung page: exit 1 (a failed step)"
expect_err 'the page is not responding' "hung page: the error says the page is not responding"
expect_err 'FAIL .*step 2/2 .* timeout after' "hung page: classed timeout"
clean "hung page"

# ---- (a2) a page that hangs before its load event -------------------------
start_run do "$BASE/plain.html" goto "$BASE/hang-inline.html" --profile "$T_TMP/nav3s.json" "${C[@]}"
wait_exit 8000
ms=$(( T_END - ${T_STEP:-$T0} ))
echo "# page hung before load: the goto ran ${ms} ms, exit $(( ms - 3000 )) ms after its 3000 ms navigation timeout"
expect_true "hung before load: exit within the navigation timeout + 3 s (${ms} ms)" test "$ms" -lt 6000
expect_rc 1 "hung before load: exit 1"
expect_err 'did not finish loading: the page is not responding' "hung before load: says the page is not responding"
clean "hung before load"

# ---- (a3) a screenshot step on a page that no longer answers --------------
start_run do "$BASE/hang-onload.html" screenshot "$T_TMP/shot.png" --timeout 2000 "${C[@]}"
wait_exit 8000
ms=$(( T_END - ${T_STEP:-$T0} ))
echo "# screenshot of a hung page: the step ran ${ms} ms, exit $(( ms - 2000 )) ms after its 2000 ms timeout"
expect_true "screenshot of a hung page: exit within the step's timeout + 3 s (${ms} ms)" test "$ms" -lt 5000
expect_rc 1 "screenshot of a hung page: exit 1"
expect_err 'the page is not responding' "screenshot of a hung page: says the page is not responding"
expect_true "screenshot of a hung page: no file" test ! -e "$T_TMP/shot.png"
clean "screenshot of a hung page"

# ---- (b) a hung page with --trace: no screenshot waits on it --------------
start_run do "$BASE/hang-onload.html" expect-text nothing --timeout 3000 --trace "$T_TMP/trace" "${C[@]}"
expect_true "hung page, --trace: step 1 passed within 40 s" test -n "$T_STEP"
wait_exit 8000
ms=$(( T_END - ${T_STEP:-$T0} ))
echo "# hung page, --trace: step 2 ran ${ms} ms, exit $(( ms - 3000 )) ms after its timeout; the run took $(( T_END - T0 )) ms"
expect_true "hung page, --trace: exit within the step's timeout + 3 s (${ms} ms)" test "$ms" -lt 6000
expect_true "hung page, --trace: the whole run under 25 s ($(( T_END - T0 )) ms)" test $(( T_END - T0 )) -lt 25000
expect_rc 1 "hung page, --trace: exit 1"
expect_err 'the page is not responding' "hung page, --trace: says the page is not responding"
expect_true "hung page, --trace: the CDP log was written" test -s "$(ls "$T_TMP"/trace/*/cdp.log 2>/dev/null | head -n 1)"
expect_true "hung page, --trace: no screenshot of the hung page" test -z "$(ls "$T_TMP"/trace/*/*.png 2>/dev/null)"
clean "hung page, --trace"

# ---- (c) the renderer killed 3 s into a 20 s wait -------------------------
start_run do "$BASE/plain.html" wait css=#never --timeout 20000 --json "${C[@]}"
expect_true "renderer kill: found the browser's renderers" test -n "$RENDERERS"
sleep 3
t_kill=$(now_ms)
kill -KILL $RENDERERS 2>/dev/null
wait_exit 6000
echo "# renderer killed: error $(( T_ERR - t_kill )) ms later, exit $(( T_END - t_kill )) ms later"
expect_true "renderer kill: the error within 2 s ($(( T_ERR - t_kill )) ms)" test $(( T_ERR - t_kill )) -lt 2000
expect_rc 3 "renderer kill: exit 3"
expect_err 'the page crashed' "renderer kill: says the page crashed"
expect_err 'browser-crashed' "renderer kill: classed browser-crashed"
expect_true "renderer kill: the report says browser-crashed" test "$(py_json 'r["steps"][1]["error_class"]')" = browser-crashed
clean "renderer kill"

# ---- (d) a page that allocates until its renderer dies --------------------
start_run do "$BASE/oom.html" wait css=#never --timeout 20000 --profile "$T_TMP/small-heap.json" "${C[@]}"
t_death=""
end=$(( $(now_ms) + 15000 ))
while [[ -z "$t_death" && $(now_ms) -lt $end ]] && kill -0 $PID 2>/dev/null; do
  for r in $RENDERERS; do kill -0 "$r" 2>/dev/null || { t_death=$(now_ms); break; }; done
  sleep 0.02
done
wait_exit 6000
echo "# out of memory: the renderer died $(( ${t_death:-$T_END} - ${T_STEP:-$T0} )) ms into the wait; error $(( T_ERR - ${t_death:-$T_END} )) ms later"
expect_true "out of memory: the renderer died" test -n "$t_death"
expect_true "out of memory: the error within 2 s of its death ($(( T_ERR - ${t_death:-0} )) ms)" test $(( T_ERR - ${t_death:-0} )) -lt 2000
expect_rc 3 "out of memory: exit 3"
expect_err 'the page crashed' "out of memory: says the page crashed"
expect_err 'browser-crashed' "out of memory: classed browser-crashed"
clean "out of memory"

# ---- (e) --restart-browser: the step runs again on a fresh page ------------
start_run do "$BASE/plain.html" eval 'new Promise(r => setTimeout(() => r(7), 3000))' \
  --restart-browser --json "${C[@]}"
sleep 1
kill -KILL $RENDERERS 2>/dev/null
wait_exit 20000
expect_rc 0 "renderer kill, --restart-browser: the step passes on a fresh page"
expect_true "renderer kill, --restart-browser: the report says so" test "$(py_json 'r["steps"][1].get("browser_restarted")')" = True
expect_true "renderer kill, --restart-browser: the eval's value" test "$(py_json 'r["steps"][1].get("value")')" = 7
clean "renderer kill, --restart-browser"

done_testing
