#!/usr/bin/env bash
# smoke against the real browserless (tests/grid/browserless, npm
# @browserless.io/browserless driving Debian's Chromium), on 127.0.0.1:
# the tasks run in browserless's browsers (none launched by cdpilot), at
# most CONCURRENT at once with the rest queued, each in a browser of its
# own (no cookie crosses), and browserless's browsers are released after
# a failing task, after a kill -9 of smoke and its children, and after a
# hung cdpilot (browserless's TIMEOUT); a wrong token or a browserless
# that is down is one line and exit 3. Skips when browserless is not
# installed (scripts/install-deps installs it).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
BL="$ROOT/tests/grid/browserless"
if [[ ! -f "$BL/node_modules/@browserless.io/browserless/build/index.js" ]]; then
  echo "skip: browserless not installed (scripts/install-deps installs it)"
  echo "0 passed, 0 failed, 1 skipped"; exit 0
fi

# ---- browserless (2 at once, 10 queued, 60 s session timeout) and the site
BD="$T_TMP/bl"; mkdir -p "$BD"
CONCURRENT=2 QUEUED=10 TIMEOUT=60000 "$BL/start.sh" "$BD" 2>"$T_TMP/bl.err" &
BL_SUP=$!
for _ in $(seq 600); do [[ -s "$BD/url" || -e "$BD/failed" ]] && break; sleep 0.1; done
[[ -s "$BD/url" ]] || { nok "browserless starts" "$(cat "$T_TMP/bl.err")" "$(tail -n 20 "$BD/log")"; done_testing; }
URL=$(cat "$BD/url") HTTP=$(cat "$BD/http") TOKEN=$(cat "$BD/token") NODE=$(cat "$BD/pid")
python3 "$BL/probe.py" site "$T_TMP/site.port" &
for _ in $(seq 100); do [[ -s "$T_TMP/site.port" ]] && break; sleep 0.05; done
SITE="http://127.0.0.1:$(cat "$T_TMP/site.port")"

# task DIR N [JS]: task N of a suite in DIR: /hold (1.5 s, sets tN=1),
# /check, then JS (default: the page has only its own cookie).
task() {
  local js=${3:-"document.cookie === 't$2=1' && document.getElementById('who').textContent === 'task $2'"}
  mkdir -p "$1"
  python3 -c 'import json, sys; print(json.dumps({"schema_version": 1, "name": "task " + sys.argv[2], "steps": [
      {"goto": sys.argv[1] + "/hold?id=" + sys.argv[2]},
      {"goto": sys.argv[1] + "/check?id=" + sys.argv[2]},
      {"assert": {"js": sys.argv[3]}}]}))' "$SITE" "$2" "$js" >"$1/t$2.json"
}
# pressure FIELD: browserless's /pressure figure now.
pressure() {
  python3 -c 'import json, sys, urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1], timeout=5))["pressure"][sys.argv[2]])' \
    "$HTTP/pressure?token=$TOKEN" "$1"
}
# sessions: how many sessions browserless lists now.
sessions() {
  python3 -c 'import json, sys, urllib.request; print(len(json.load(urllib.request.urlopen(sys.argv[1], timeout=5))))' \
    "$HTTP/sessions?token=$TOKEN"
}
# node_browsers: the Chromium browser processes under browserless now.
node_browsers() {
  python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import probe; print(probe.browsers(int(sys.argv[2]))[0])' "$BL" "$NODE"
}
# released DESC SECONDS: checks that browserless has no browser and no
# session running within SECONDS; says after how long.
released() {
  local t0=$SECONDS
  while (( SECONDS - t0 <= $2 )); do
    if [[ "$(node_browsers)" == 0 && "$(pressure running)" == 0 ]]; then
      ok "$1 (after $((SECONDS - t0)) s)"; return
    fi
    sleep 0.2
  done
  nok "$1" "browsers under browserless: $(node_browsers), running: $(pressure running)"
}
# watch_start / watch_stop: probe.py watch over one run, into $T_TMP/w.json.
watch_start() {
  rm -f "$T_TMP/w.json"
  python3 "$BL/probe.py" watch "$HTTP" "$TOKEN" "$NODE" "$T_TMP" "$T_TMP/w.json" &
  WATCH=$!
}
watch_stop() { kill "$WATCH" 2>/dev/null; wait "$WATCH" 2>/dev/null; }
w() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$T_TMP/w.json" "$1"; }
site_stat() { python3 -c 'import json, sys, urllib.request; print(json.load(urllib.request.urlopen(sys.argv[1]))[sys.argv[2]])' "$SITE/stats" "$1"; }
smoke() { run env SMOKE_TEST_TAG="$T_TMP" "$CDPILOT" smoke "$@"; }
# A connection that browserless queues waits in its handshake, which
# grid.timeout_ms bounds (2 minutes); the busy tasks below hold a page
# for 25 s.
printf '{"extends": "default", "timeouts": {"navigation_ms": 60000}}\n' >"$T_TMP/queue.json"
GRID=(--grid "$URL" --profile "$T_TMP/queue.json")

# ---- 8 tasks, -j 4 against 2 slots -----------------------------------------
for n in 1 2 3 4 5 6 7 8; do task "$T_TMP/suite" $n; done
watch_start
smoke "$T_TMP/suite" --no-llm "${GRID[@]}" -j 4 --json
watch_stop
expect_rc 0 "8 tasks, -j 4 on browserless: exit 0"
expect_err '^smoke: 8 passed, 0 failed, 0 flaky in ' "every task passes"
expect_true "the tasks ran in browserless's browsers ($(w node_browsers) at most under its node process)" test "$(w node_browsers)" -ge 1
expect_true "no Chromium under a cdpilot process (no local launch)" test "$(w cdpilot_browsers)" = 0
expect_true "no more than 2 browsers at once (browserless: $(w running))" test "$(w running)" = 2
expect_true "the site saw at most 2 tasks at once ($(site_stat max_inflight))" test "$(site_stat max_inflight)" = 2
expect_true "connections beyond 2 were queued (browserless: $(w queued) at most)" test "$(w queued)" -ge 1
expect_true "8 tasks reached the site" test "$(site_stat holds)" = 8
expect_true "no task saw another's cookie" test "$(site_stat foreign)" = "[]"
released "every browser released after the run" 15
expect_true "the token is in no output" test "$(grep -c -- "$TOKEN" "$T_TMP/out" "$T_TMP/err" | awk -F: '{s += $2} END {print s}')" = 0

# ---- a connection queued for longer than 20 s still gets its browser --------
for n in 16 17; do task "$T_TMP/busy" $n; sed -i 's/hold?id=1[67]/&\&ms=25000/' "$T_TMP/busy/t$n.json"; done
env SMOKE_TEST_TAG="$T_TMP" "$CDPILOT" smoke "$T_TMP/busy" --no-llm "${GRID[@]}" -j 2 >/dev/null 2>&1 &
BUSY=$!
for _ in $(seq 300); do [[ "$(pressure running)" == 2 ]] && break; sleep 0.1; done
task "$T_TMP/queued" 15
t0=$SECONDS
smoke "$T_TMP/queued" --no-llm "${GRID[@]}"
expect_rc 0 "a task queued behind 2 busy browsers: passes"
expect_true "it waited in browserless's queue for over 20 s ($((SECONDS - t0)) s in all)" test $((SECONDS - t0)) -gt 20
wait "$BUSY"
expect_true "the 2 busy tasks pass too" test $? = 0

# ---- a failing task: its browser is released too ---------------------------
task "$T_TMP/fail" 9 "document.title === 'not this'"
smoke "$T_TMP/fail" --no-llm "${GRID[@]}"
expect_rc 1 "a failing task: exit 1"
expect_err '^FAIL  task 9 ' "the failing task is reported"
released "its browser is released" 15

# ---- wrong token, browserless down: one line, exit 3 -----------------------
task "$T_TMP/one" 10
smoke "$T_TMP/one" --no-llm --grid "${URL%%\?*}?token=wrong"
expect_rc 3 "a wrong token: exit 3"
expect_err 'unauthorized|401|403' "a wrong token: said so"
expect_true "a wrong token: nothing queued or running" test "$(pressure running)" = 0
start_tarpit 1; sleep 1.5   # a port that was just free
down="ws://127.0.0.1:$TARPIT_PORT?token=$TOKEN"
smoke "$T_TMP/one" --no-llm --grid "$down"
expect_rc 3 "browserless down: exit 3"
expect_err 'Unable to connect|refused' "browserless down: said so"

# ---- kill -9 of smoke and its children mid-run -----------------------------
for n in 11 12 13 14; do task "$T_TMP/long" $n; sed -i 's/hold?id=1[1-4]/&\&ms=20000/' "$T_TMP/long/t$n.json"; done
env SMOKE_TEST_TAG="$T_TMP" setsid "$CDPILOT" smoke "$T_TMP/long" --no-llm "${GRID[@]}" -j 4 >/dev/null 2>&1 &
SM=$!
for _ in $(seq 300); do [[ "$(pressure running)" == 2 ]] && break; sleep 0.1; done
sleep 1
expect_true "mid-run: 2 browsers busy in browserless" test "$(pressure running)" = 2
kill -9 -- -"$SM" 2>/dev/null; wait "$SM" 2>/dev/null
released "kill -9 of smoke and its tasks: no browser left in browserless within 15 s" 15
expect_true "kill -9: no cdpilot process left" test "$(leftovers)" = 0

# ---- a hung cdpilot (stopped, its connections open): browserless's
# timeout (here 8 s, the connection's ?timeout=) frees its slots; its
# browsers go when the connections do.
env SMOKE_TEST_TAG="$T_TMP" setsid "$CDPILOT" smoke "$T_TMP/long" --no-llm --grid "$URL&timeout=8000" --profile "$T_TMP/queue.json" -j 2 >/dev/null 2>&1 &
SM=$!
for _ in $(seq 300); do [[ "$(pressure running)" == 2 ]] && break; sleep 0.1; done
sleep 1
kill -STOP -- -"$SM"
expect_true "a stopped cdpilot: its 2 sessions held at first" test "$(pressure running)" = 2
t0=$SECONDS
for _ in $(seq 150); do [[ "$(pressure running)" == 0 ]] && break; sleep 0.2; done
expect_true "a stopped cdpilot: browserless's timeout frees its slots within 30 s ($((SECONDS - t0)) s)" test "$(pressure running)" = 0
echo "# browsers under browserless then, the connections still open: $(node_browsers)"
kill -9 -- -"$SM" 2>/dev/null; kill -CONT -- -"$SM" 2>/dev/null; wait "$SM" 2>/dev/null
released "then killed: no browser left in browserless within 15 s" 15
expect_true "then no session left in browserless" test "$(sessions)" = 0

# ---- the next run is clean, and browserless stops without leftovers -------
smoke "$T_TMP/one" --no-llm "${GRID[@]}"
expect_rc 0 "the next run passes"
released "after it, no browser left in browserless" 15
kill "$BL_SUP"; wait "$BL_SUP" 2>/dev/null
expect_true "browserless stopped: no process of its left" test "$(pgrep -cf -- "$BD/")" = 0
expect_true "browserless stopped: its temporary folder removed" test ! -e "$BD/tmp"
done_testing
