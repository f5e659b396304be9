#!/usr/bin/env bash
# An ordinal that counts past what the page shows yet ("the second
# Expression box" right after "Add Graph", while the page still draws the
# second graph) is waited for within the step's time, as a person waits
# for it; one the page never shows stays uncertain (exit 4).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site

cat >"$site/graphs.html" <<'EOF'
<!doctype html><html><head><title>Graphs</title></head><body>
<div id="panels"><div class="panel"><label>Expression <textarea id="expr0"></textarea></label></div></div>
<button id="add" onclick="setTimeout(function () {
  document.getElementById('panels').insertAdjacentHTML('beforeend',
    '<div class=panel><label>Expression <textarea id=expr1></textarea></label></div>');
}, 400)">Add Graph</button>
</body></html>
EOF
traced second <<EOF
{"schema_version":1,"name":"second","steps":[{"goto":"$BASE/graphs.html"},
 {"click":"Add Graph"}, {"fill":"the second Expression box","value":"up"},
 {"assert":{"js":"document.getElementById('expr1').value === 'up' && document.getElementById('expr0').value === ''"}}]}
EOF
expect_rc 0 "the second box, drawn 400 ms after the click, is waited for"

traced third <<EOF
{"schema_version":1,"name":"third","steps":[{"goto":"$BASE/graphs.html"},
 {"fill":"the third Expression box","value":"up","timeout_ms":1500}]}
EOF
expect_rc 4 "a third box that never comes: uncertain"

expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
