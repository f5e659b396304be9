#!/usr/bin/env bash
# Every step kind and every explicit strategy, passing and failing, against
# real Chromium on the fixture site (tests/fixtures/site via cdpilot serve).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve tests/fixtures/site
C=(--no-cache --no-llm)
# A short --timeout bounds a goto too; where it is meant for the step
# after the goto, this profile gives navigations their own 30 s.
printf '{"timeouts": {"navigation_ms": 30000}}' >"$T_TMP/nav30.json"
Q=(--profile "$T_TMP/nav30.json")
start=$(browsers)

py_json() {  # py_json EXPR: evaluates EXPR on the JSON in $OUT (as r)
  python3 -c "import json,sys; r=json.load(sys.stdin); print($1)" <<<"$OUT"
}

# ---- login with explicit strategies, JSON report ------------------------
run "$CDPILOT" do "$BASE/login.html" fill label=Email a@b.c \
    fill css=#password 'pw 1' click 'role=button[name="Sign in"]' \
    wait-text 'Welcome, a@b.c' --json "${C[@]}"
expect_rc 0 "login by label/css/role: exit 0"
expect_err '^PASS ' "login: one-line PASS summary"
expect_true "report: schema_version 1" test "$(py_json 'r["schema_version"]')" = 1
expect_true "report: browser product" grep -q Chrome <<<"$(py_json 'r["browser"]["product"]')"
expect_true "report: protocol version" test -n "$(py_json 'r["browser"]["protocol"]')"
expect_true "report: no_sandbox recorded (root)" test "$(py_json 'r["browser"]["no_sandbox"]')" = "$([[ $(id -u) = 0 ]] && echo True || echo False)"
expect_true "report: every step passed" test "$(py_json 'all(s["status"]=="passed" for s in r["steps"])')" = True
expect_true "report: explicit source" test "$(py_json 'r["steps"][1]["source"]')" = explicit
expect_true "report: confidence 1 for explicit" test "$(py_json 'r["steps"][2]["confidence"]')" = 1
expect_true "report: controller figures" test "$(py_json 'r["controller"]["max_rss_kb"] > 0')" = True
expect_true "report: run id" test -n "$(py_json 'r["run_id"]')"

# ---- quiet on success, loud on failure ----------------------------------
run "$CDPILOT" do "$BASE/login.html" click css=#nope --timeout 400 "${Q[@]}" "${C[@]}"
expect_rc 1 "missing element: exit 1"
expect_err 'FAIL .*step 2/2' "failure names the step"
expect_err 'no element matches css=#nope' "failure names the target"
expect_err 'screenshot: ' "failure gives a screenshot path"
shot=$(grep -oE 'screenshot: .*' <<<"$ERR" | cut -d' ' -f2)
expect_true "failure screenshot exists and is a PNG" grep -q PNG <(head -c 8 "$shot")
rm -f "$shot"

run "$CDPILOT" do "$BASE/login.html" fill label=Email a@b.c -q "${C[@]}"
expect_rc 0 "-q: exit 0"
expect_true "-q prints only the summary" test "$(wc -l <<<"$ERR")" -eq 1

# ---- strictness and nth -----------------------------------------------
run "$CDPILOT" do "$BASE/dup.html" click css=button.save --timeout 500 "${Q[@]}" "${C[@]}"
expect_rc 1 "ambiguous css: exit 1"
expect_err 'matches 2 elements' "ambiguous lists how many"
cat >"$T_TMP/nth.json" <<EOF
{"schema_version":1,"steps":[{"goto":"$BASE/dup.html"},
 {"click":"css=button.save","nth":1},
 {"assert":{"text":"Clicked save-final"}},
 {"click":"testid=cancel-btn"},
 {"assert":{"text":"Clicked cancel-btn"}},
 {"click":"text=Save","nth":0},
 {"assert":{"text":"Clicked save-draft"}}]}
EOF
run "$CDPILOT" run "$T_TMP/nth.json" "${C[@]}"
expect_rc 0 "nth, testid=, text=: exit 0"

# ---- waiting: delayed, disabled-then-enabled, covered -------------------
run "$CDPILOT" do "$BASE/delayed.html" click 'role=button[name="Continue"]' \
    wait-text Done wait 'xpath=//p[@id="later"][text()="Ready now"]' "${C[@]}"
expect_rc 0 "delayed button and text, xpath= wait: exit 0"
run "$CDPILOT" do "$BASE/enable.html" click css=#go expect-text Clicked "${C[@]}"
expect_rc 0 "disabled-then-enabled button: exit 0"
run "$CDPILOT" do "$BASE/overlay.html" click css=#soon expect-text Opened "${C[@]}"
expect_rc 0 "overlay that goes away: exit 0"
run "$CDPILOT" do "$BASE/overlay.html" click css=#never --timeout 600 "${Q[@]}" "${C[@]}"
expect_rc 1 "permanently covered button: exit 1"
expect_err 'covered' "covered: says what covers it"
run "$CDPILOT" do "$BASE/enable.html" fill css=h1 x --timeout 300 "${Q[@]}" "${C[@]}"
expect_rc 1 "fill on a heading: exit 1"
expect_err 'not-editable|editable' "fill on a heading: not editable"

# ---- reach: iframes, shadow DOM, long pages, new tabs, dialogs ----------
run "$CDPILOT" do "$BASE/frames.html" fill label=City Paris click css=#frame-save \
    "${C[@]}"
expect_rc 0 "same-origin iframe: fill and click"
run "$CDPILOT" do "$BASE/shadow.html" fill css=#msg hello click 'role=button[name="Send"]' \
    "${C[@]}"
expect_rc 0 "open shadow root: fill and click"
run "$CDPILOT" do "$BASE/long.html" click css=#far expect-text 'Reached the bottom' "${C[@]}"
expect_rc 0 "element 5000px down: scrolled into view and clicked"
run "$CDPILOT" do "$BASE/newtab.html" click css=#blank-link expect-text 'Welcome, tab@example.com' \
    "${C[@]}"
expect_rc 0 "target=_blank link: followed into the new tab"
# the new tab is the same device as the first page: a phone stays a phone
dev='navigator.userAgent + " " + innerWidth + " " + devicePixelRatio'
run "$CDPILOT" do "$BASE/home.html?email=tab%40example.com" eval "$dev" \
    --profile mobile --json "${C[@]}"
first=$(py_json 'r["steps"][1]["value"]')
run "$CDPILOT" do "$BASE/newtab.html" click css=#blank-link eval "$dev" \
    --profile mobile --json "${C[@]}"
expect_rc 0 "mobile profile: the link's new tab is followed"
expect_true "mobile profile: the new tab is the same phone as a first page" \
    test "$(py_json 'r["steps"][2]["value"]')" = "$first"
expect_true "mobile profile: ... with the phone's user agent" grep -q iPhone <<<"$first"
cat >"$T_TMP/dialogs.json" <<EOF
{"schema_version":1,"steps":[{"goto":"$BASE/dialogs.html"},
 {"click":"css=#alert"},{"assert":{"text":"alert closed"}},
 {"click":"css=#confirm"},{"assert":{"text":"confirm: false"}}]}
EOF
run "$CDPILOT" run "$T_TMP/dialogs.json" --json "${C[@]}"
expect_rc 0 "dialogs do not hang the run (default: dismiss)"
expect_true "dialogs are reported" grep -q 'alert: ' <<<"$(py_json 'r["steps"][1].get("dialogs")')"

# ---- form controls: select, check, uncheck, hover, press, extract -------
cat >"$T_TMP/form.json" <<EOF
{"schema_version":1,"vars":{"who":"Ann"},"steps":[
 {"goto":"$BASE/form.html"},
 {"select":"label=Country","value":"Canada"},
 {"assert":{"value":{"target":"css=#country","equals":"ca"}}},
 {"check":"label=Gift wrap"},
 {"assert":{"js":"document.querySelector('#gift').checked"}},
 {"uncheck":"label=Insurance"},
 {"assert":{"js":"!document.querySelector('#insure').checked"}},
 {"check":"label=I accept the terms"},
 {"assert":{"js":"document.querySelector('#terms').checked"}},
 {"fill":"label=Comments","value":"hello \${who}"},
 {"assert":{"value":{"target":"css=#comments","equals":"hello Ann"}}},
 {"fill":"label=Delivery date","value":"2026-12-24"},
 {"assert":{"value":{"target":"css=#when","equals":"2026-12-24"}}},
 {"fill":"label=Phone number","value":"555"},
 {"press":"Backspace"},
 {"assert":{"value":{"target":"label=Phone number","equals":"55"}}},
 {"fill":"label=Postal code","value":"12345"},
 {"extract":"css=#zip","attribute":"name","as":"zipname"},
 {"eval":"'\${zipname}'.toUpperCase()","as":"upper"},
 {"assert":{"js":"'\${upper}' === 'ZIP'"}},
 {"hover":"label=Country"},
 {"scroll":"bottom"},
 {"screenshot":"shots/form.png"},
 {"assert":{"count":{"target":"css=input[type=radio]","equals":2}}},
 {"assert":{"hidden":"css=#no-such-thing"}},
 {"assert":{"visible":"placeholder=Search"},"optional":true}
]}
EOF
mkdir -p "$T_TMP/shots"
run bash -c "cd '$T_TMP' && '$CDPILOT' run form.json --json --no-cache --no-llm"
expect_rc 0 "form controls: every step kind passes"
FORM_OUT=$OUT
expect_true "screenshot written (relative to the output folder)" grep -q PNG <(head -c 8 "$T_TMP/shots/form.png")
for bad in /tmp/x.png ../x.png shots/../../x.png; do
  printf '{"schema_version":1,"steps":[{"goto":"%s/text.html"},{"screenshot":"%s"}]}' "$BASE" "$bad" >"$T_TMP/shot.json"
  run "$CDPILOT" run "$T_TMP/shot.json" "${C[@]}"
  expect_rc 1 "task-file screenshot \"$bad\" is refused"
  expect_err 'leaves the output folder' "refusal of \"$bad\" says why"
done
run "$CDPILOT" do "$BASE/text.html" screenshot "$T_TMP/cli.png" "${C[@]}"
expect_true "an absolute path on the command line is the user's choice" grep -q PNG <(head -c 8 "$T_TMP/cli.png")
OUT=$FORM_OUT
expect_true "extract into a variable" test "$(py_json 'r["steps"][17]["value"]')" = zip
expect_true "optional failure reported, run passes" test "$(py_json 'r["steps"][-1]["status"]')" = failed-optional

run "$CDPILOT" do "$BASE/form.html" select label=Country Atlantis --timeout 500 "${Q[@]}" "${C[@]}"
expect_rc 1 "select of a missing/disabled option: exit 1"
run "$CDPILOT" do "$BASE/form.html" fill label=Coupon x --timeout 400 "${Q[@]}" "${C[@]}"
expect_rc 1 "fill a disabled input: exit 1"
expect_err 'disabled' "disabled input: says disabled"

# ---- assertions that fail -----------------------------------------------
run "$CDPILOT" do "$BASE/text.html" expect-text 'No such text' --timeout 300 "${Q[@]}" "${C[@]}"
expect_rc 1 "expect-text missing: exit 1"
run "$CDPILOT" do "$BASE/text.html" expect-url 'nothere' --timeout 300 "${Q[@]}" "${C[@]}"
expect_rc 1 "expect-url not matching: exit 1"
run "$CDPILOT" do "$BASE/text.html" eval 'throw new Error("boom")' "${C[@]}"
expect_rc 1 "eval that throws: exit 1"
expect_err 'boom' "eval error message shown"
run "$CDPILOT" do "$BASE/text.html" wait-text Shipped expect-url 'text\.html$' "${C[@]}"
expect_rc 0 "text that appears after 300 ms, url regex: exit 0"

# ---- variables, env secrets, trace ---------------------------------------
cat >"$T_TMP/secret.json" <<EOF
{"schema_version":1,"steps":[{"goto":"$BASE/login.html"},
 {"fill":"label=Password","value":"\${env.CDPILOT_TEST_PW}"},
 {"extract":"css=#password","as":"pw"},
 {"click":"css=#nope","timeout_ms":300}]}
EOF
CDPILOT_TEST_PW=hunter2-secret run "$CDPILOT" run "$T_TMP/secret.json" --json \
    --trace "$T_TMP/trace" "${C[@]}"
expect_rc 1 "secret task fails at the last step"
expect_true "trace folder has a CDP log" test -s "$(ls "$T_TMP"/trace/*/cdp.log | head -1)"
expect_true "trace has per-step screenshots" test "$(ls "$T_TMP"/trace/*/step-*.png | wc -l)" -ge 3
if grep -rq 'hunter2-secret' "$T_TMP/trace" <<<"" || grep -q 'hunter2-secret' <<<"$OUT$ERR"; then
  nok "env secret never written to report, stderr or trace"
else ok "env secret never written to report, stderr or trace"; fi
expect_true "trace dir is 0700" test "$(stat -c %a "$(ls -d "$T_TMP"/trace/*/ | head -1)")" = 700

# ---- stdin, placeholder=, profiles ------------------------------------------
printf '{"schema_version":1,"steps":[{"goto":"%s/login.html"},{"fill":"label=Email","value":"x@y.z"}]}' "$BASE" \
  | "$CDPILOT" run - "${C[@]}" 2>/dev/null; RC=$?
expect_rc 0 "run - reads the task from stdin"
run "$CDPILOT" do "$BASE/search.html" fill 'placeholder=Search products' mugs expect-text 'q=mugs' "${C[@]}"
expect_rc 0 "placeholder=: fill and see the input event"
run "$CDPILOT" do "$BASE/search.html" fill 'placeholder=Nope' x --timeout 300 "${Q[@]}" "${C[@]}"
expect_rc 1 "placeholder= with no match: exit 1"
run "$CDPILOT" do "$BASE/text.html" eval 'screen.width+"x"+devicePixelRatio+"/"+navigator.maxTouchPoints' \
    --profile mobile --json "${C[@]}"
expect_rc 0 "mobile profile runs"
expect_true "mobile profile: 390px wide, scale 3, touch" test "$(py_json 'r["steps"][1]["value"]')" = "390x3/5"
run "$CDPILOT" do "$BASE/text.html" eval 'innerWidth' --json "${C[@]}"
expect_true "default profile: 1280px wide" test "$(py_json 'r["steps"][1]["value"]')" = 1280
printf '{"name":"bad","headless":"yes"}' >"$T_TMP/bad-profile.json"
run "$CDPILOT" do "$BASE/text.html" eval 1 --profile "$T_TMP/bad-profile.json" "${C[@]}"
expect_rc 2 "bad profile: exit 2"
expect_err 'bad-profile.json' "bad profile: names the file"
run "$CDPILOT" do "$BASE/text.html" eval 1 --profile nosuchprofile "${C[@]}"
expect_rc 2 "unknown profile name: exit 2"

# ---- --connect to a browser started separately --------------------------------
udd=$(mktemp -d "$T_TMP/profile-ext.XXXXXX")
/usr/lib/chromium/chromium --headless=new --no-sandbox --disable-gpu --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --remote-debugging-port=0 --remote-debugging-address=127.0.0.1 \
  --user-data-dir="$udd" about:blank >/dev/null 2>&1 & ext=$!
for _ in $(seq 100); do [[ -s "$udd/DevToolsActivePort" ]] && break; sleep 0.05; done
port=$(head -n 1 "$udd/DevToolsActivePort"); wsp=$(sed -n 2p "$udd/DevToolsActivePort")
run "$CDPILOT" do "$BASE/login.html" fill label=Email c@d.e click 'role=button[name="Sign in"]' \
    wait-text 'Welcome, c@d.e' --connect "ws://127.0.0.1:$port$wsp" --json "${C[@]}"
expect_rc 0 "--connect ws://… drives the running browser"
expect_true "--connect: the report names the endpoint" grep -q "127.0.0.1:$port" <<<"$(py_json 'r["browser"]["connect"]')"
run "$CDPILOT" do "$BASE/text.html" expect-text Shipped --connect "http://127.0.0.1:$port" "${C[@]}"
expect_rc 0 "--connect http://host:port reads /json/version"
expect_true "--connect leaves the external browser running" kill -0 $ext
kill $ext; wait $ext 2>/dev/null; rm -rf "$udd"

# ---- doctor --------------------------------------------------------------------
run "$CDPILOT" doctor
expect_rc 0 "doctor: exit 0 on a good machine"
expect_out 'browser .*chromium' "doctor: names the browser"
expect_out 'version .*protocol' "doctor: browser and protocol versions"
expect_out 'cdp .*round trip' "doctor: a real CDP round trip"
run "$CDPILOT" doctor --chrome "$ROOT/tests/integ/fake-snap/chromium"
expect_rc 3 "doctor with a snap browser: exit 3"
expect_out 'snap' "doctor: one line says why"

# ---- a hung renderer and a page that never loads end cleanly -----------------
run "$CDPILOT" do "$BASE/hang.html" click css=#freeze wait-text 'never shown' --timeout 1500 "${C[@]}"
expect_rc 1 "hung renderer: the step times out, exit 1"
expect_err 'not responding|not on the page|timed out' "hung renderer: says the page is not responding"
expect_true "hung renderer: no browser left" test "$(browsers)" -le "$start"
start_tarpit 60
printf '{"schema_version":1,"steps":[{"goto":"http://127.0.0.1:%s/","timeout_ms":1500}]}' \
  "$(cat "$T_TMP/tarpit.port")" >"$T_TMP/tarpit.json"
run "$CDPILOT" run "$T_TMP/tarpit.json" "${C[@]}"
expect_rc 1 "a page that never loads: the goto times out, exit 1"
expect_err 'timed out|did not finish loading' "never-loading page: says so"
kill $TARPIT_PID 2>/dev/null; wait $TARPIT_PID 2>/dev/null
expect_true "never-loading page: no browser left" test "$(browsers)" -le "$start"

# ---- exit paths leave no browser -------------------------------------------
"$CDPILOT" do "$BASE/delayed.html" wait css=#never-appears --timeout 20000 "${C[@]}" \
    >/dev/null 2>&1 & pid=$!
sleep 1.5
kill -TERM $pid; wait $pid; rc=$?
[[ $rc -eq 143 ]] && ok "SIGTERM mid-run: exit 143" || nok "SIGTERM mid-run: exit $rc"
sleep 0.3
expect_true "SIGTERM: no browser left" test "$(browsers)" -le "$start"
"$CDPILOT" do "$BASE/delayed.html" wait css=#never-appears --timeout 20000 "${C[@]}" \
    >/dev/null 2>&1 & pid=$!
sleep 1.5
kill -INT $pid; wait $pid; rc=$?
[[ $rc -eq 130 ]] && ok "SIGINT mid-run: exit 130" || nok "SIGINT mid-run: exit $rc"
sleep 0.3
expect_true "SIGINT: no browser left" test "$(browsers)" -le "$start"
"$CDPILOT" do "$BASE/delayed.html" wait css=#never-appears --timeout 20000 "${C[@]}" \
    >/dev/null 2>&1 & pid=$!
sleep 1.5
kill -KILL $pid; wait $pid 2>/dev/null
sleep 1
expect_true "SIGKILL of cdpilot: the browser dies with it" test "$(browsers)" -le "$start"

# ---- browser killed mid-run: exit 3 -----------------------------------------
"$CDPILOT" do "$BASE/delayed.html" wait css=#never-appears --timeout 20000 "${C[@]}" \
    >/dev/null 2>"$T_TMP/crash.err" & pid=$!
for _ in $(seq 400); do grep -q 'ok .*1/2' "$T_TMP/crash.err" && break; sleep 0.05; done
bpid=$(pgrep -P $pid | head -n 1); t0=$(date +%s%N); kill -KILL -- "-$bpid"; wait $pid; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[[ $rc -eq 3 ]] && ok "browser killed mid-run: exit 3" || nok "browser killed mid-run: exit $rc" "$(cat "$T_TMP/crash.err")"
expect_true "crash detected and reported within 1 s ($ms ms)" test "$ms" -lt 1000
expect_true "crash is classed browser-crashed" grep -q 'browser-crashed' "$T_TMP/crash.err"

# --restart-browser: a new browser, the page restored, the step retried.
"$CDPILOT" do "$BASE/text.html" eval 'new Promise(r => setTimeout(() => r(7), 3000))' \
    expect-text Shipped --restart-browser --json "${C[@]}" >"$T_TMP/restart.json" 2>"$T_TMP/restart.err" & pid=$!
for _ in $(seq 200); do bpid=$(pgrep -P $pid | head -n 1); [[ -n "$bpid" ]] && grep -q 'ok .*1/3' "$T_TMP/restart.err" 2>/dev/null && break; sleep 0.05; done
sleep 0.5; kill -KILL -- "-$bpid"; wait $pid; rc=$?
OUT=$(cat "$T_TMP/restart.json")
[[ $rc -eq 0 ]] && ok "--restart-browser: the run survives a browser kill" || nok "--restart-browser: exit $rc" "$(cat "$T_TMP/restart.err")"
expect_true "--restart-browser: the report says the browser was restarted" test "$(py_json 'r["steps"][1].get("browser_restarted")')" = True
expect_true "--restart-browser: no browser left" test "$(browsers)" -le "$start"

done_testing
