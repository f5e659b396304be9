#!/usr/bin/env bash
# `cdpilot smoke` lends its tasks one browser per job slot, each task in a
# browser context of its own: the browser is launched once per slot and
# reused (the next task does not see the previous task's cookie), a slot
# whose browser was killed gets a new one, --browsers 1 shares one
# between the slots, --browsers task launches one per task, and nothing
# is left behind.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
S=(--serve tests/fixtures/site --no-llm --json)
smoke() { run env SMOKE_TEST_TAG="$T_TMP" "$CDPILOT" smoke "$@"; }
# the distinct browsers the tasks ran on (their ws:// endpoints)
endpoints() { py "$1" 'len(set(t["browser"]["connect"] for t in j["tasks"]))'; }

D="$T_TMP/cookies"; mkdir -p "$D"
cat >"$D/1-sets.json" <<'EOF'
{"schema_version":1,"name":"sets a cookie","vars":{"base":"http://127.0.0.1:8080"},
 "steps":[{"goto":"${base}/text.html"},{"eval":"document.cookie = 'seen=1; max-age=3600'"},
          {"assert":{"js":"document.cookie.indexOf('seen=1') >= 0"}}]}
EOF
for n in 2 3 4; do
cat >"$D/$n-fresh.json" <<'EOF'
{"schema_version":1,"name":"sees no cookie","vars":{"base":"http://127.0.0.1:8080"},
 "steps":[{"goto":"${base}/text.html"},{"assert":{"js":"document.cookie.indexOf('seen=') < 0"},"timeout_ms":300}]}
EOF
done

# ---- one browser per slot, a fresh context per task --------------------------
smoke "$D" "${S[@]}" -j 1
cp "$T_TMP/out" "$T_TMP/j1.json"
expect_rc 0 "-j 1: every task passed (no cookie from the task before)"
expect_true "-j 1: one browser launched for 4 tasks" test "$(py "$T_TMP/j1.json" 'j["browsers_launched"]')" = 1
expect_true "-j 1: the 4 tasks ran on that one browser" test "$(endpoints "$T_TMP/j1.json")" = 1
expect_true "-j 1: nothing left behind" test "$(leftovers)" -eq 0

smoke "$D" "${S[@]}" -j 2
cp "$T_TMP/out" "$T_TMP/j2.json"
expect_rc 0 "-j 2: every task passed"
expect_true "-j 2: two browsers, one per slot" test "$(py "$T_TMP/j2.json" 'j["browsers_launched"]')" = 2
expect_true "-j 2: the tasks ran on those two" test "$(endpoints "$T_TMP/j2.json")" = 2

smoke "$D" "${S[@]}" -j 2 --browsers 1
expect_rc 0 "--browsers 1: every task passed (contexts do not share cookies)"
expect_true "--browsers 1: one browser for both slots" test "$(py "$T_TMP/out" 'j["browsers_launched"]')" = 1

smoke "$D" "${S[@]}" -j 1 --browsers task
cp "$T_TMP/out" "$T_TMP/own.json"
expect_rc 0 "--browsers task: every task passed"
expect_true "--browsers task: none lent" test "$(py "$T_TMP/own.json" 'j["browsers_launched"]')" = 0
expect_true "--browsers task: each task launched its own" test "$(py "$T_TMP/own.json" '[t["browser"].get("connect") for t in j["tasks"]]')" = "[None, None, None, None]"
smoke "$D" "${S[@]}" --browsers 0
expect_rc 2 "--browsers 0: exit 2"
expect_err 'browsers' "--browsers 0: the option is named"

# ---- a killed slot browser is replaced -----------------------------------------
K="$T_TMP/crash"; mkdir -p "$K"
cp "$D/2-fresh.json" "$K/1-first.json"
cat >"$K/2-slow.json" <<'EOF'
{"schema_version":1,"name":"waits long","vars":{"base":"http://127.0.0.1:8080"},
 "steps":[{"goto":"${base}/text.html"},{"wait_for":{"text":"never shown"},"timeout_ms":30000}]}
EOF
cp "$D/3-fresh.json" "$K/3-after.json"
env SMOKE_TEST_TAG="$T_TMP" "$CDPILOT" smoke "$K" "${S[@]}" -j 1 >"$T_TMP/k.json" 2>"$T_TMP/k.err" &
pid=$!
chrome=""
for _ in $(seq 300); do
  if grep -q '^ok    sees no cookie' "$T_TMP/k.err"; then
    chrome=$(pgrep -P "$pid" -f -- '--remote-debugging-port' | head -n 1)
    [[ -n "$chrome" ]] && break
  fi
  sleep 0.1
done
[[ -n "$chrome" ]] && ok "found the slot's browser (pid $chrome)" || nok "found the slot's browser" "$(cat "$T_TMP/k.err")"
sleep 1
[[ -n "$chrome" ]] && kill -9 "$chrome"
wait $pid; rc=$?
ERR=$(cat "$T_TMP/k.err")
[[ $rc -eq 3 ]] && ok "killed browser: the task on it fails as a browser failure (exit 3)" || nok "killed browser: exit 3" "exit $rc" "$ERR"
expect_err '^smoke: browser 1 died; launching a new one' "killed browser: its replacement is announced"
expect_err '^ok    sees no cookie' "killed browser: the next task passes"
expect_true "killed browser: two launches in all" test "$(py "$T_TMP/k.json" 'j["browsers_launched"]')" = 2
expect_true "killed browser: the last task ran on the new one" test "$(py "$T_TMP/k.json" 'j["tasks"][0]["browser"]["connect"] != j["tasks"][2]["browser"]["connect"]')" = True
expect_true "killed browser: the slow task failed, the others passed" test "$(py "$T_TMP/k.json" '[t["exit_code"] for t in j["tasks"]]')" = "[0, 3, 0]"
expect_true "killed browser: nothing left behind" test "$(leftovers)" -eq 0

# ---- kill -9 of smoke: its browsers go with it -----------------------------------
sed 's/30000/120000/' "$K/2-slow.json" >"$T_TMP/slower.json"
env SMOKE_TEST_TAG="$T_TMP" "$CDPILOT" smoke "$T_TMP/slower.json" "${S[@]}" -j 1 >/dev/null 2>"$T_TMP/k9.err" &
pid=$!
# smoke's children: its browser and the task's `cdpilot run`
kids() { pgrep -P "$pid" -f -- "$1" | wc -l; }
for _ in $(seq 1200); do
  [[ $(kids remote-debugging-port) -ge 1 && $(kids '^cdpilot run ') -ge 1 ]] && break
  sleep 0.1
done
expect_true "kill -9: the browser and the task were running" test "$(kids remote-debugging-port)" -ge 1 -a "$(kids '^cdpilot run ')" -ge 1
kill -9 $pid; wait $pid 2>/dev/null
for _ in $(seq 50); do [[ $(leftovers) -eq 0 ]] && break; sleep 0.5; done
expect_true "kill -9 of smoke: no browser or child left behind" test "$(leftovers)" -eq 0
done_testing
