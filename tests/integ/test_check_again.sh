#!/usr/bin/env bash
# A check whose click came too early (docs/RELIABILITY.md): a "Select
# all" box that stays unchecked while its list is still loading is
# clicked once more, and a box that refuses every click still fails,
# naming how often it was clicked.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site

cat >"$site/files.html" <<'EOF'
<!doctype html><html><head><title>Files</title></head><body>
<label><input type="checkbox" id="all"> Select all</label>
<label><input type="checkbox" id="never" onclick="return false"> Lock</label>
<ul id="list"></ul>
<script>
var all = document.getElementById('all'), list = document.getElementById('list');
all.addEventListener('change', function () {
  var boxes = list.querySelectorAll('input');
  if (!boxes.length) { all.checked = false; return; }  /* nothing to select yet */
  boxes.forEach(function (b) { b.checked = all.checked; });
});
setTimeout(function () {
  list.innerHTML = '<li><input type="checkbox"> a.txt</li><li><input type="checkbox"> b.txt</li>';
}, 700);
</script></body></html>
EOF

traced again <<EOF
{"schema_version":1,"name":"again","steps":[{"goto":"$BASE/files.html"},
 {"check":"Select all"},
 {"assert":{"js":"document.querySelectorAll('#list input:checked').length === 2"}}]}
EOF
expect_rc 0 "\"Select all\" clicked again once its list was there"

traced never <<EOF
{"schema_version":1,"name":"never","steps":[{"goto":"$BASE/files.html"},
 {"check":"Lock","timeout_ms":3000}]}
EOF
expect_rc 1 "a box that refuses every click fails the step"
expect_err "still unchecked after 2 clicks" "... saying how often it was clicked"

expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
