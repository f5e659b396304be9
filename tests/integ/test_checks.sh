#!/usr/bin/env bash
# Checks on an element (text exact and by regex, value, attribute, state,
# count), the title, each with "not", from task files and inline words,
# with explicit targets and plain words; every one passing, and failing
# with a line that says expected and actual; bad ones rejected before any
# browser starts (docs/TASKS.md "Assertions").
source "$(dirname "$0")/lib.sh"
serve_site
cat >"$site/c.html" <<'EOF'
<!doctype html><title>Reports</title>
<style>.sr{position:absolute;opacity:0;width:1px;height:1px}</style>
<h1>Monthly reports</h1>
<a id=exp href="r.csv" download="x.csv">Export CSV</a>
<label><input type=checkbox id=rem class=sr checked> Remember me</label>
<label><input type=checkbox id=news> Newsletter</label>
<label>Email <input id=email value="ann@example.com" autofocus></label>
<label>Code <input id=code value="X-1" readonly></label>
<button id=del disabled>Delete all</button>
<ul><li class=item>a</li><li class=item>b</li><li class=item>c</li></ul>
<p id=total>Total:   3 rows</p>
<p id=late></p><div id=gone style="display:none">Hidden note</div>
<script>setTimeout(function () {
  document.getElementById('late').textContent = 'Ready now';
  document.title = 'Reports (done)'; }, 600);</script>
EOF
cat >"$T_TMP/pass.json" <<'EOF'
{"schema_version":1,"name":"checks pass","steps":[
 {"goto":"c.html"},
 {"assert":{"title_matches":"^Reports"}},
 {"assert":{"title":"Reports (done)"}},
 {"assert":{"title":"Invoices","not":true}},
 {"assert":{"target":"Export CSV","attribute":"download","value":"x.csv"}},
 {"assert":{"target":"css=#exp","attribute":"download"}},
 {"assert":{"target":"css=#exp","attribute":"target","not":true}},
 {"assert":{"target":"Export CSV","attribute":"href","value_matches":"\\.csv$"}},
 {"assert":{"target":"Remember me","state":"checked"}},
 {"assert":{"target":"Newsletter","state":"checked","not":true}},
 {"assert":{"target":"css=#del","state":"disabled"}},
 {"assert":{"target":"css=#del","state":"enabled","not":true}},
 {"assert":{"target":"Email","state":"enabled"}},
 {"assert":{"target":"Email","state":"editable"}},
 {"assert":{"target":"css=#code","state":"editable","not":true}},
 {"assert":{"target":"css=#email","state":"focused"}},
 {"assert":{"target":"css=#gone","state":"hidden"}},
 {"assert":{"target":"css=#nowhere","state":"visible","not":true}},
 {"assert":{"target":"css=#total","text":"Total: 3 rows"}},
 {"assert":{"target":"css=#total","text_matches":"\\d+ rows$"}},
 {"assert":{"target":"css=#late","text":"Ready now"}},
 {"assert":{"target":"css=#total","text":"Total: 4 rows","not":true}},
 {"assert":{"target":"Email","value":"ann@example.com"}},
 {"assert":{"target":"Email","value_matches":"@example\\.com$"}},
 {"assert":{"value":{"target":"Email","equals":"ann@example.com"}}},
 {"assert":{"target":"css=li.item","count":3}},
 {"assert":{"target":"css=li.item","count":2,"not":true}},
 {"assert":{"count":{"target":"css=li.item","equals":3}}},
 {"assert":{"text":"Monthly reports"}},
 {"assert":{"text":"Yearly reports","not":true}},
 {"assert":{"url_matches":"/nowhere","not":true}},
 {"assert":{"visible":"css=#gone","not":true}}
]}
EOF
run "$CDPILOT" run "$T_TMP/pass.json" --base-url "$BASE/" --no-llm --no-cache --json
expect_rc 0 "every check passes (title, attribute, state, text, value, count, not)"
n=$(py_json "sum(1 for s in r['steps'] if s['status']=='passed')" 2>/dev/null)
expect_true "all 32 steps passed ($n)" test "$n" = 32

# each failing: one line, expected and actual, exit 1
fails=(
 '{"assert":{"title":"Invoices"}}|the title is "Reports( \(done\))?" after [0-9]+ ms, expected "Invoices"'
 '{"assert":{"title_matches":"^Rep","not":true}}|the title is "Reports( \(done\))?" after [0-9]+ ms, expected not to match /\^Rep/'
 '{"assert":{"target":"Export CSV","attribute":"download","value":"y.csv"}}|attribute download of Export CSV is "x.csv".*expected "y.csv"'
 '{"assert":{"target":"css=#news","attribute":"download"}}|css=#news has no attribute download.*expected it'
 '{"assert":{"target":"Remember me","state":"checked","not":true}}|Remember me is checked.*expected not checked'
 '{"assert":{"target":"Newsletter","state":"checked"}}|Newsletter is not checked.*expected checked'
 '{"assert":{"target":"css=#del","state":"enabled"}}|css=#del is not enabled.*expected enabled'
 '{"assert":{"target":"css=#code","state":"editable"}}|css=#code is not editable'
 '{"assert":{"target":"css=#news","state":"focused"}}|css=#news is not focused'
 '{"assert":{"target":"css=#total","text":"Total: 4 rows"}}|the text of css=#total is "Total: 3 rows".*expected "Total: 4 rows"'
 '{"assert":{"target":"css=#total","text_matches":"^\\d+$"}}|expected to match /\^\\d\+\$/'
 '{"assert":{"target":"Email","value":"bob@example.com"}}|the value of Email is "ann@example.com".*expected "bob@example.com"'
 '{"assert":{"target":"css=li.item","count":4}}|css=li.item matches 3 elements.*expected 4'
 '{"assert":{"target":"css=li.item","count":3,"not":true}}|css=li.item matches 3 elements.*expected not 3'
 '{"assert":{"text":"Monthly reports","not":true}}|text "Monthly reports" is on the page.*expected not on it'
 '{"assert":{"target":"css=#gone","state":"visible"}}|not visible|hidden'
)
for f in "${fails[@]}"; do
  step=${f%%|*}; want=${f#*|}
  printf '{"schema_version":1,"steps":[{"goto":"c.html"},%s]}' "$step" >"$T_TMP/f.json"
  run "$CDPILOT" run "$T_TMP/f.json" --base-url "$BASE/" --no-llm --no-cache --timeout 800 --profile "$ROOT/profiles/default.json"
  if [[ $RC -eq 1 ]] && grep -qE -- "$want" <<<"$ERR"; then ok "fails as expected: $step"
  else nok "fails as expected: $step" "exit $RC" "stderr: ${ERR:0:1500}"; fi
done

# a failing check's expected and actual go into --json too, and a secret
# value shows as ***
export CDPILOT_T_SECRET='ann@example.com'
printf '{"schema_version":1,"steps":[{"goto":"c.html"},%s]}' \
  '{"assert":{"target":"Email","value":"${env.CDPILOT_T_SECRET}x"},"timeout_ms":500}' >"$T_TMP/s.json"
run "$CDPILOT" run "$T_TMP/s.json" --base-url "$BASE/" --no-llm --no-cache --json
expect_rc 1 "a secret value check fails (exit 1)"
expect_out '"error":[[:space:]]*"the value of Email is \\"\*\*\*\\"' "the report's error masks the secret"
expect_true "no secret in stdout or stderr" bash -c '! grep -q "ann@example" <<<"$1$2"' _ "$OUT" "$ERR"

# inline words
run "$CDPILOT" do "$BASE/c.html" expect-title "Reports (done)" \
  expect-attr "Export CSV" download x.csv expect "Remember me" checked \
  expect-not Newsletter checked expect-text-of css=#total "Total: 3 rows" \
  expect-value Email ann@example.com expect-count css=li.item 3 \
  --no-llm --no-cache
expect_rc 0 "inline words: expect-title, expect-attr, expect, expect-not, expect-text-of, expect-value, expect-count"
run "$CDPILOT" do "$BASE/c.html" expect Newsletter checked --no-llm --no-cache --timeout 500
expect_rc 1 "inline expect fails (exit 1)"
expect_err 'Newsletter is not checked' "... saying what it is"

# bad inputs: exit 2 before any browser starts, one line naming the field
before=$(browsers)
bads=(
 '{"assert":{"target":"a","state":"chekced"}}|step 2 \(assert\): field "assert.state": unknown state "chekced" \(did you mean "checked"\?\)'
 '{"assert":{"target":"a","text_matches":"("}}|field "assert.text_matches": bad regex'
 '{"assert":{"title_matches":"[a"}}|field "assert.title_matches": bad regex'
 '{"assert":{"text_matches":"a"}}|"text_matches" checks a target: add "target"'
 '{"assert":{"target":"a","title":"x"}}|"title" is a check of the page'
 '{"assert":{"target":"a"}}|"target" needs what to check'
 '{"assert":{"target":"a","count":-1}}|field "assert.count": expected a non-negative integer'
 '{"assert":{"target":"a","text":"x","count":1}}|two checks'
 '{"assert":{"js":"1","not":true}}|field "assert.not": "not" does not apply to "js"'
 '{"assert":{"title":"x","not":"yes"}}|field "assert.not": expected true or false'
 '{"assert":{"target":"lable=x","text":"y"}}|field "assert.target": unknown target strategy "lable="'
 '{"assert":{"target":"a","attribute":"","value":"y"}}|field "assert.attribute": expected an attribute name string, got an empty string'
 '{"assert":{"titel":"x"}}|unknown key "titel" in assert \(did you mean "title"\?\)'
)
for b in "${bads[@]}"; do
  step=${b%%|*}; want=${b#*|}
  printf '{"schema_version":1,"steps":[{"goto":"c.html"},%s]}' "$step" >"$T_TMP/b.json"
  run "$CDPILOT" run "$T_TMP/b.json" --base-url "$BASE/" --no-llm --no-cache
  if [[ $RC -eq 2 ]] && grep -qE -- "b.json: .*$want" <<<"$ERR" && [[ $(wc -l <<<"$ERR") -eq 1 ]]; then ok "rejected: $step"
  else nok "rejected: $step" "exit $RC" "stderr: ${ERR:0:600}"; fi
done
run "$CDPILOT" do "$BASE/c.html" expect Newsletter chekced --no-llm
expect_rc 2 "inline: a bad state is rejected (exit 2)"
expect_err 'step 2 \(assert\): field "assert.state": unknown state "chekced"' "... naming the step and field"
run "$CDPILOT" do "$BASE/c.html" expect-count css=li two --no-llm
expect_rc 2 "inline: a count that is no number is rejected (exit 2)"
expect_true "no browser was started for a bad input" test "$(browsers)" -le "$before"
expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
