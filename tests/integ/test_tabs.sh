#!/usr/bin/env bash
# Tabs (docs/TASKS.md "Tabs"): a link that opens a tab is followed, then
# switch_tab goes back by index, by title and by URL, close_tab closes
# the current tab (the run goes on in the tab that opened it) or one named
# by index; the --json report says which tab each step ran in. Bad
# switch_tab / close_tab values are one-line errors, exit 2, before any
# browser starts.
source "$(dirname "$0")/lib.sh"
cd "$T_TMP"
serve_site

cat >"$site/start.html" <<'EOF'
<!doctype html><html><head><title>Reports</title></head><body>
<p>Start page</p>
<a href="invoice.html" target="_blank">Open invoice</a>
<button onclick="setTimeout(function () { window.open('later.html'); }, 300)">Open later</button>
</body></html>
EOF
cat >"$site/invoice.html" <<'EOF'
<!doctype html><html><head><title>Invoice 42</title></head><body><p>Invoice body</p></body></html>
EOF
cat >"$site/later.html" <<'EOF'
<!doctype html><html><head><title>Later</title></head><body><p>Later body</p></body></html>
EOF

traced tabs <<EOF
{"schema_version":1,"name":"tabs","steps":[{"goto":"$BASE/start.html"},
 {"click":"Open invoice"},
 {"assert":{"text":"Invoice body"}},
 {"switch_tab":0},
 {"assert":{"text":"Start page"}},
 {"switch_tab":{"title":"Invoice"}},
 {"assert":{"text":"Invoice body"}},
 {"switch_tab":{"url":"start\\\\.html\$"}},
 {"switch_tab":{"index":1}},
 {"close_tab":true},
 {"assert":{"text":"Start page"}},
 {"click":"Open later"},
 {"switch_tab":0},
 {"switch_tab":{"title":"Later"}},
 {"assert":{"text":"Later body"}},
 {"close_tab":1},
 {"switch_tab":0},
 {"assert":{"text":"Start page"}}]}
EOF
expect_rc 0 "follow a tab, switch back by index, title and URL, close"
# (a tab a script opens 300 ms after the click is not followed by the
# click, which has settled by then: switch_tab waits for it)
expect_true "the report says which tab each step ran in" python3 - <<EOF
import json; r = json.loads(open('$T_TMP/out').read())
got = [(s['kind'], s.get('tab'), s.get('tab_after')) for s in r['steps']]
want = [('goto', 0, None), ('click', 0, 1), ('assert', 1, None),
        ('switch_tab', 1, 0), ('assert', 0, None), ('switch_tab', 0, 1),
        ('assert', 1, None), ('switch_tab', 1, 0), ('switch_tab', 0, 1),
        ('close_tab', 1, 0), ('assert', 0, None), ('click', 0, None),
        ('switch_tab', 0, None), ('switch_tab', 0, 1), ('assert', 1, None),
        ('close_tab', 1, 0), ('switch_tab', 0, None), ('assert', 0, None)]
assert got == want, got
EOF

traced tabs-missing <<EOF
{"schema_version":1,"name":"tabs-missing","steps":[{"goto":"$BASE/start.html"},
 {"switch_tab":{"title":"Nowhere"},"timeout_ms":300}]}
EOF
expect_rc 1 "switch_tab to a tab that never opens fails the step"
expect_err 'no tab whose title contains "Nowhere" within 300 ms \(tab 0 "Reports"' \
  "the error lists the tabs there are"
traced tabs-only <<EOF
{"schema_version":1,"name":"tabs-only","steps":[{"goto":"$BASE/start.html"},
 {"close_tab":true}]}
EOF
expect_rc 1 "the only tab is not closed"
expect_err 'the only tab' "... and says why"

run "$CDPILOT" do "$BASE/start.html" click "Open invoice" switch-tab 0 \
  switch-tab-title Invoice switch-tab-url 'start\.html' switch-tab 1 close-tab \
  expect-text "Start page" --no-llm --no-cache
expect_rc 0 "switch-tab, switch-tab-title, switch-tab-url, close-tab as words"

bad() {  # DESCRIPTION REGEX STEP
  printf '{"schema_version":1,"steps":[{"goto":"about:blank"},%s]}' "$3" >bad.json
  run "$CDPILOT" run bad.json
  if [[ $RC -eq 2 && $(wc -l <<<"$ERR") -eq 1 ]] && grep -qE -- "$2" <<<"$ERR"; then ok "$1"
  else nok "$1" "exit $RC" "stderr: ${ERR:0:600}"; fi
}
bad "switch_tab of a string" 'step 2 \(switch_tab\): field "switch_tab": expected a tab index N' '{"switch_tab":"Invoice"}'
bad "switch_tab with an unknown key" 'unknown key "titel" in switch_tab \(did you mean "title"\?\)' '{"switch_tab":{"titel":"x"}}'
bad "switch_tab with two keys" 'got several keys' '{"switch_tab":{"title":"x","url":"y"}}'
bad "switch_tab of a negative index" 'field "switch_tab": expected a tab index' '{"switch_tab":-1}'
bad "switch_tab with a bad regex" 'field "switch_tab.url": bad regex' '{"switch_tab":{"url":"("}}'
bad "close_tab false" 'field "close_tab": expected true \(the current tab\)' '{"close_tab":false}'
run "$CDPILOT" do about:blank switch-tab first
expect_rc 2 "switch-tab word with a word that is no index"
expect_err 'step 2 \(switch-tab\): "first" is not a tab index' "... names the step and the word"
done_testing
