#!/usr/bin/env bash
# `cdpilot smoke`: the tests/smoke folder (passing, failing, flaky and
# invalid task files) against the fixture site served in-process; exit
# codes, the summary line, JUnit XML (parsed), --json, trace files, -q,
# --grep, --fail-fast, -j 2 = -j 1, --connect, heartbeat, no orphans.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
SITE=tests/fixtures/site
S=(--serve "$SITE" --no-llm)

# smoke ARGS...: runs `cdpilot smoke`, tagging its processes so that
# leftovers() finds ours and not other people's browsers.
smoke() { run env SMOKE_TEST_TAG="$T_TMP" "$CDPILOT" smoke "$@"; }
sum_re='^smoke: [0-9]+ passed, [0-9]+ failed, [0-9]+ flaky(, [0-9]+ skipped)? in [0-9.]+ s$'

# ---- usage -----------------------------------------------------------------
run "$CDPILOT" smoke --help
expect_rc 0 "smoke --help: exit 0"
expect_out 'smoke PATH' "smoke --help mentions smoke"
smoke
expect_rc 2 "smoke without PATH: exit 2"
smoke tests/smoke -j 0
expect_rc 2 "-j 0: exit 2"
smoke tests/smoke --frobnicate
expect_rc 2 "unknown option: exit 2"
expect_err 'frobnicate' "unknown option is named"
smoke tests/smoke --grep '('
expect_rc 2 "bad --grep regex: exit 2"
smoke tests/smoke --grep 'no task is called this'
expect_rc 2 "--grep that selects nothing: exit 2"
smoke "$T_TMP/does-not-exist"
expect_rc 2 "missing PATH: exit 2"

# ---- the whole folder: pass, fail, flaky, invalid ---------------------------
J1="$T_TMP/j1.xml" TR="$T_TMP/trace"
smoke tests/smoke "${S[@]}" --retries 1 --junit "$J1" --trace "$TR" --json
cp "$T_TMP/out" "$T_TMP/j1.json"
expect_rc 1 "folder with a failing task: exit 1 (failed outranks invalid)"
expect_true "summary line last" grep -qE "$sum_re" <<<"$(tail -n 1 <<<"$ERR")"
expect_err '^smoke: 2 passed, 2 failed, 1 flaky in ' "summary counts: 2 passed, 2 failed, 1 flaky"
expect_err '^ok    login works  [0-9.]+ s$' "one line for a passing task"
expect_true "passing tasks print no step lines" test "$(grep -c '^  ok ' <<<"$ERR")" -eq 0
expect_err '^FAIL  checkout button & <total> .*missing-button.json \(exit 1' "failing task: FAIL header"
expect_err 'no element matches css=#checkout' "failing task: the failing step's error"
expect_err 'screenshot: .*step-003-failed.png' "failing task: screenshot path"
expect_err '^FAIL  not a valid task .*\(exit 2\)' "invalid task: reported as failed"
expect_err 'unknown key "colour"' "invalid task: the validation error"
expect_err '^FLAKY passes on the second attempt .*passed on attempt 2 of 2' "flaky task: FLAKY line"
expect_err '^retry checkout button' "retry announced"
expect_true "invalid task is not retried" test "$(grep -c '^retry not a valid' <<<"$ERR")" -eq 0

# JUnit
expect_true "junit: parses, 5 tests" test "$(py "$J1" 'x.find("testsuite").get("tests")')" = 5
expect_true "junit: failures=1 errors=1 skipped=0" test "$(py "$J1" '[x.get(k) for k in ("failures","errors","skipped")]')" = "['1', '1', '0']"
expect_true "junit: testcase names (& < > round-trip)" test "$(py "$J1" 'sorted(cases)')" = "['checkout button & <total>', 'home shows the balance', 'login works', 'not a valid task', 'passes on the second attempt']"
expect_true "junit: failure message names step and class" test "$(py "$J1" 'cases["checkout button & <total>"].find("failure").get("message")')" = 'step 3 (click "css=#checkout"): not-found: no element matches css=#checkout (waited 800 ms)'
expect_true "junit: failure type is the error class" test "$(py "$J1" 'cases["checkout button & <total>"].find("failure").get("type")')" = not-found
expect_true "junit: failure detail has the console error" grep -q 'checkout is broken' <<<"$(py "$J1" 'cases["checkout button & <total>"].find("failure").text')"
expect_true "junit: failed attempts as rerunFailure" test "$(py "$J1" 'len(cases["checkout button & <total>"].findall("rerunFailure"))')" = 1
expect_true "junit: invalid file is an <error type=invalid>" test "$(py "$J1" 'cases["not a valid task"].find("error").get("type")')" = invalid
expect_true "junit: flaky property" test "$(py "$J1" '[p.get("value") for p in cases["passes on the second attempt"].iter("property") if p.get("name")=="flaky"]')" = "['true']"
expect_true "junit: flakyFailure for the failed attempt" test "$(py "$J1" 'len(cases["passes on the second attempt"].findall("flakyFailure"))')" = 1
expect_true "junit: flaky testcase has no failure" test "$(py "$J1" 'cases["passes on the second attempt"].find("failure") is None')" = True
expect_true "junit: system-out has the step lines" grep -q 'fill "label=Email"' <<<"$(py "$J1" 'cases["login works"].find("system-out").text')"
expect_true "junit: classname is the file's folder" test "$(py "$J1" 'cases["login works"].get("classname")')" = tests/smoke/account
expect_true "junit: file attribute" test "$(py "$J1" 'cases["login works"].get("file")')" = tests/smoke/account/login.json
expect_true "junit: time is a number > 0" test "$(py "$J1" 'float(cases["login works"].get("time")) > 0')" = True

# --json
J=$T_TMP/j1.json
expect_true "json: counts" test "$(py "$J" '(j["passed"], j["failed"], j["flaky"], j["exit_code"])')" = "(2, 2, 1, 1)"
expect_true "json: sorted stable order" test "$(py "$J" '[t["file"] for t in j["tasks"]]')" = "['tests/smoke/account/balance.json', 'tests/smoke/account/login.json', 'tests/smoke/broken/invalid.json', 'tests/smoke/broken/missing-button.json', 'tests/smoke/flaky.json']"
expect_true "json: statuses" test "$(py "$J" '[t["status"] for t in j["tasks"]]')" = "['passed', 'passed', 'failed', 'failed', 'passed']"
expect_true "json: attempts and flaky" test "$(py "$J" '[(t["attempts"], t["flaky"]) for t in j["tasks"]]')" = "[(1, False), (1, False), (1, False), (2, False), (2, True)]"
expect_true "json: error classes" test "$(py "$J" '[t.get("error_class") for t in j["tasks"]]')" = "[None, None, 'invalid', 'not-found', None]"
expect_true "json: child reports kept (steps, browser)" test "$(py "$J" 'j["tasks"][1]["steps"][4]["status"] + " " + str("Chrome" in j["tasks"][1]["browser"]["product"])')" = "passed True"
expect_true "json: failed attempt of the flaky task kept" test "$(py "$J" 'j["tasks"][4]["failed_attempts"][0]["exit_code"]')" = 1
expect_true "json: \${attempt} was 1 on the first try" grep -q ': 1 >= 2' <<<"$(py "$J" 'j["tasks"][4]["failed_attempts"][0]["error"]')"
expect_true "json: controller rss figures" test "$(py "$J" 'j["controller"]["max_rss_kb"] > 0 and j["controller"]["children_max_rss_kb"] > 0')" = True

# traces of the failing task
shot=$(ls "$TR"/checkout-button-total/*/step-003-failed.png 2>/dev/null | head -n 1)
expect_true "trace: failure screenshot is a PNG" grep -q PNG <(head -c 8 "${shot:-/dev/null}")
html=$(ls "$TR"/checkout-button-total/*/step-003-failed.html 2>/dev/null | head -n 1)
expect_true "trace: failure HTML is the page" grep -q 'Sign in' "${html:-/dev/null}"
expect_true "trace: console.log has the console error" grep -q 'checkout is broken' "$TR"/checkout-button-total/*/console.log
expect_true "trace: cdp.log is written" test -s "$(ls "$TR"/checkout-button-total/*/cdp.log | head -n 1)"
expect_true "trace: one folder per attempt (retried)" test "$(ls -d "$TR"/checkout-button-total/*/ | wc -l)" -eq 2
expect_true "trace: passing tasks traced too" test -d "$TR/login-works"
expect_true "no browser or child left behind" test "$(leftovers)" -eq 0

# ---- -j 2 gives the same results ----------------------------------------------
smoke tests/smoke "${S[@]}" --retries 1 -j 2 --json
expect_rc 1 "-j 2: exit 1 as with -j 1"
cp "$T_TMP/out" "$T_TMP/j2.json"
q='[(t["file"], t["status"], t["flaky"], t["exit_code"]) for t in j["tasks"]]'
expect_true "-j 2 and -j 1: same per-task statuses" test "$(py "$T_TMP/j2.json" "$q")" = "$(py "$T_TMP/j1.json" "$q")"
expect_err '^smoke: 2 passed, 2 failed, 1 flaky in ' "-j 2: same summary"
expect_true "-j 2: nothing left behind" test "$(leftovers)" -eq 0

# ---- all passing, -q, --grep ----------------------------------------------------
smoke tests/smoke/account "${S[@]}"
expect_rc 0 "all passing: exit 0"
expect_true "all passing: a line per task plus header and summary" test "$(wc -l <<<"$ERR")" -eq 4
smoke tests/smoke "${S[@]}" --grep '^login' -q
expect_rc 0 "--grep selects the passing task only: exit 0"
expect_true "-q: only the summary line" test "$(wc -l <<<"$ERR")" -eq 1
expect_err '^smoke: 1 passed, 0 failed, 0 flaky in ' "--grep ran one task"
smoke tests/smoke/broken/invalid.json
expect_rc 2 "only an invalid task: exit 2"

# ---- exit code ranking, hostile names ------------------------------------------
mkdir -p "$T_TMP/ctl"
printf '{"schema_version":1,"name":"bell\\u0007 & \\"q\\" <x>","steps":[{"bogus":1}]}' >"$T_TMP/ctl/a.json"
printf '{"schema_version":1,"name":"bad\xffbyte","steps":[{"bogus":1}]}' >"$T_TMP/ctl/b.json"
J3="$T_TMP/ctl.xml"
smoke "$T_TMP/ctl" tests/smoke/account/login.json --chrome "$T_TMP/no-such-chrome" --junit "$J3"
expect_rc 3 "browser failure outranks invalid files: exit 3"
expect_true "junit: browser failure is <error type=browser>" test "$(py "$J3" 'cases["login works"].find("error").get("type")')" = browser
expect_true "junit: control characters stripped, & \" < > escaped" test "$(py "$J3" 'sorted(cases)[1]')" = 'bell & "q" <x>'
expect_true "junit: invalid UTF-8 replaced" test "$(py "$J3" 'sorted(cases)[0]')" = 'bad?byte'
expect_true "no control character from a task name on stderr" test "$(grep -c $'\a' <<<"$ERR")" -eq 0

# ---- --fail-fast ---------------------------------------------------------------
mkdir -p "$T_TMP/ff"
cat >"$T_TMP/ff/a-fails.json" <<'EOF'
{"schema_version":1,"name":"fails fast","vars":{"base":"http://127.0.0.1:8080"},
 "steps":[{"goto":"${base}/text.html"},{"assert":{"js":"false"},"timeout_ms":200}]}
EOF
cat >"$T_TMP/ff/b-slow.json" <<'EOF'
{"schema_version":1,"name":"slow task","vars":{"base":"http://127.0.0.1:8080"},
 "steps":[{"goto":"${base}/text.html"},
          {"wait_for":{"js":"performance.now() > 4000","timeout_ms":60000}}]}
EOF
cp tests/smoke/account/login.json "$T_TMP/ff/c-login.json"
J2="$T_TMP/ff.xml"
smoke "$T_TMP/ff" "${S[@]}" --fail-fast --junit "$J2"
expect_rc 1 "--fail-fast -j 1: exit 1"
expect_err '^smoke: 0 passed, 1 failed, 0 flaky, 2 skipped in ' "--fail-fast: the rest is skipped"
expect_true "junit: skipped=2" test "$(py "$J2" 'x.get("skipped")')" = 2
expect_true "junit: skipped message" grep -q 'fail-fast' <<<"$(py "$J2" 'cases["login works"].find("skipped").get("message")')"
sed -i 's/performance.now() > 4000/performance.now() > 600000/' "$T_TMP/ff/b-slow.json"
t0=$SECONDS
smoke "$T_TMP/ff" "${S[@]}" --fail-fast -j 2
expect_rc 1 "--fail-fast -j 2: exit 1"
expect_true "--fail-fast -j 2: the running task is stopped, not waited for ($((SECONDS - t0)) s)" test $((SECONDS - t0)) -lt 50
expect_err ', 2 skipped in ' "--fail-fast -j 2: running and queued tasks skipped"
expect_true "--fail-fast: no browser or child left behind" test "$(leftovers)" -eq 0

# ---- heartbeat and SIGTERM -------------------------------------------------
mkdir -p "$T_TMP/slow"
cat >"$T_TMP/slow/slow.json" <<'EOF'
{"schema_version":1,"name":"slow task","vars":{"base":"http://127.0.0.1:8080"},
 "steps":[{"goto":"${base}/text.html"},
          {"wait_for":{"js":"performance.now() > 2500","timeout_ms":60000}}]}
EOF
CDPILOT_HEARTBEAT_MS=300 smoke "$T_TMP/slow" "${S[@]}" -q
expect_rc 0 "slow task: exit 0"
expect_err '^smoke: 0/1 done, 1 running \(slow task\) [0-9]+ s$' "heartbeat line while a task runs"
cp "$T_TMP/ff/b-slow.json" "$T_TMP/slow/slow.json"
env SMOKE_TEST_TAG="$T_TMP" "$CDPILOT" smoke "$T_TMP/slow" "${S[@]}" -j 2 \
    >/dev/null 2>"$T_TMP/term.err" & pid=$!
for _ in $(seq 100); do [[ $(leftovers) -gt 1 ]] && break; sleep 0.2; done
sleep 1
kill -TERM $pid; wait $pid; rc=$?
[[ $rc -eq 143 ]] && ok "SIGTERM: smoke exits 143" || nok "SIGTERM: smoke exits 143" "exit $rc" "$(cat "$T_TMP/term.err")"
sleep 0.5
expect_true "SIGTERM: no browser or child left behind" test "$(leftovers)" -eq 0

# ---- --connect: a browser started separately, a context per task -------------
udd=$(mktemp -d "$T_TMP/smoke-ext.XXXXXX")
env SMOKE_TEST_TAG="$T_TMP" /usr/lib/chromium/chromium --headless=new --no-sandbox \
  --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --remote-debugging-port=0 \
  --remote-debugging-address=127.0.0.1 --user-data-dir="$udd" about:blank \
  >/dev/null 2>&1 & ext=$!
for _ in $(seq 200); do [[ -s "$udd/DevToolsActivePort" ]] && break; sleep 0.05; done
port=$(head -n 1 "$udd/DevToolsActivePort"); wsp=$(sed -n 2p "$udd/DevToolsActivePort")
smoke tests/smoke/account "${S[@]}" -j 2 --json --connect "ws://127.0.0.1:$port$wsp"
expect_rc 0 "--connect -j 2: exit 0"
cp "$T_TMP/out" "$T_TMP/conn.json"
expect_true "--connect: every task ran on the endpoint" test "$(py "$T_TMP/conn.json" '[("127.0.0.1:'"$port"'" in (t["browser"]["connect"] or "")) for t in j["tasks"]]')" = "[True, True]"
expect_true "--connect: no browser launched by the tasks" test "$(leftovers)" -eq 0
expect_true "--connect: the external browser is still running" kill -0 $ext
kill $ext; wait $ext 2>/dev/null; rm -rf "$udd"

done_testing
