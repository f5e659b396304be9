#!/usr/bin/env bash
# A fill ends with a key let go that types nothing (docs/RELIABILITY.md):
# a search-as-you-type filter that listens for keyup alone filters the
# rows, while an autocomplete that ignores such keys opens no
# suggestions over the page.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site

cat >"$site/rows.html" <<'EOF'
<!doctype html><html><head><title>Rows</title></head><body>
<label>Filter rows: <input id="f"></label>
<table><tbody><tr><td>Ana</td><td>Porto</td></tr><tr><td>Bruno</td><td>Lisboa</td></tr>
<tr><td>Carla</td><td>Porto</td></tr></tbody></table>
<label>Expression: <input id="q"></label><ul id="sugg" hidden><li>up</li></ul>
<script>
document.getElementById('f').addEventListener('keyup', function () {
  var q = this.value.toLowerCase();
  document.querySelectorAll('tbody tr').forEach(function (r) {
    r.hidden = q !== '' && r.textContent.toLowerCase().indexOf(q) < 0; });
});
/* a typeahead: keys that type nothing (arrows, Shift, Ctrl, Alt) do
 * not look up suggestions */
document.getElementById('q').addEventListener('keyup', function (e) {
  if ([16, 17, 18, 37, 38, 39, 40].indexOf(e.keyCode) < 0)
    document.getElementById('sugg').hidden = false;
});
</script></body></html>
EOF

traced keyup <<EOF
{"schema_version":1,"name":"keyup","steps":[{"goto":"$BASE/rows.html"},
 {"fill":"Filter rows","value":"Porto"},
 {"wait_for":{"js":"document.querySelectorAll('tbody tr:not([hidden])').length === 2"},"timeout_ms":3000},
 {"fill":"Expression","value":"up"},
 {"eval":"new Promise(r => setTimeout(r, 300))"},
 {"assert":{"js":"document.getElementById('sugg').hidden"}}]}
EOF
expect_rc 0 "a keyup-only filter heard the fill; the autocomplete stayed closed"

expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
