#!/usr/bin/env bash
# The same words on a page and in the modal dialog it opens: "Rename" the
# toolbar button, then "Rename" the dialog's button. The cache keeps the
# two apart (the dialog's under the route's " [dialog]" twin, docs/CACHE.md):
# the second step is never served the covered toolbar button, and a warm
# run takes all three steps from the cache.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site

# A Bootstrap-style modal: a fixed layer over the whole window that says
# role=dialog and nothing more.
cat >"$site/files.html" <<'EOF'
<!doctype html><html><head><title>Files</title><style>
.modal { display: none; position: fixed; inset: 0; background: rgba(0,0,0,.4) }
.modal.in { display: block }
.box { background: #fff; width: 300px; margin: 80px auto; padding: 16px }
</style></head><body>
<div class="toolbar"><button id="tb-rename" onclick="openIt()">Rename</button>
<button id="tb-delete">Delete</button></div>
<ul><li id="file">notes.txt</li></ul>
<div class="modal" role="dialog" id="dlg"><div class="box">
<h4>Rename file</h4>
<p>Enter a new file name: <input id="newname" type="text"></p>
<button onclick="document.getElementById('dlg').className = 'modal'">Cancel</button>
<button id="dlg-rename" onclick="done()">Rename</button></div></div>
<script>
function openIt() { document.getElementById('dlg').className = 'modal in'; }
function done() {
  document.getElementById('file').textContent = document.getElementById('newname').value;
  document.getElementById('dlg').className = 'modal';
}
</script></body></html>
EOF
cat >"$T_TMP/task.json" <<EOF
{"schema_version":1,"name":"rename","steps":[{"goto":"$BASE/files.html"},
 {"click":"Rename"},
 {"fill":"new file name","value":"plans.txt"},
 {"click":"Rename"},
 {"assert":{"js":"document.getElementById('file').textContent === 'plans.txt'"},"timeout_ms":2000}]}
EOF
cache="$T_TMP/cache.sqlite"
for pass in cold warm; do
  run "$CDPILOT" run "$T_TMP/task.json" --cache "$cache" --no-llm --json --timeout 4000
  expect_rc 0 "$pass: the dialog's Rename is clicked, not the covered toolbar button"
  [[ $RC -eq 0 ]] || continue
  srcs=$(py_json "' '.join(str(s['source']) for s in r['steps'][1:4])")
  sels=$(py_json "' '.join(str(s['selector']) for s in r['steps'][1:4])")
  if [[ $pass == warm ]]; then
    expect_true "warm: the three steps from the cache ($srcs)" test "$srcs" = "cache cache cache"
  fi
  expect_true "$pass: toolbar, then dialog ($sels)" \
    bash -c '[[ $1 == *tb-rename* && $1 != *tb-rename*tb-rename* ]]' _ "$sels"
done
run "$CDPILOT" cache list --cache "$cache" --json
rows=$(py_json "' '.join(sorted(e['intent'] + '@' + e['route'] for e in r))")
expect_true "\"Rename\" has an entry for the page and one for its dialog ($rows)" \
  bash -c '[[ " $1 " == *" rename@/files.html "* && " $1 " == *" rename@/files.html [dialog] "* ]]' _ "$rows"
# A dialog that opens a moment after the click (a script, a fade): the
# cached toolbar button is fine when its step starts (only busy: the page
# disables it while it works), then covered while it is waited for. That
# is the dialog's state, not a wait to sit out.
sed -e 's/function openIt() { /function openIt() { var b = document.getElementById("tb-rename"); b.disabled = true; setTimeout(function () { b.disabled = false; }, 600); setTimeout(function () { /' \
    -e "s/className = 'modal in'; }/className = 'modal in'; }, 300); }/" \
    "$site/files.html" >"$site/late.html"
grep -q 'b.disabled = true' "$site/late.html" || nok "late.html built" "sed did not match"
cat >"$T_TMP/late.json" <<EOF
{"schema_version":1,"name":"late dialog","steps":[{"goto":"$BASE/late.html"},
 {"click":"Rename"},
 {"click":"Rename"},
 {"assert":{"js":"document.getElementById('dlg').className === 'modal'"},"timeout_ms":2000}]}
EOF
run "$CDPILOT" run "$T_TMP/late.json" --cache "$T_TMP/late.sqlite" --no-llm --json --timeout 4000
expect_rc 0 "a dialog opening after the step began: its Rename is clicked"
expect_true "... and quickly, not at the step's timeout" \
  test "$(py_json 'r["steps"][2]["duration_ms"] < 3000')" = True
expect_true "no browser left" test "$(browsers)" -le "$start"
done_testing
