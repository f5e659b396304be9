#!/usr/bin/env bash
# fill on pages that listen for keys, not input: a table filter on keyup
# and a counter on keydown (old jQuery pages, autocompletes). fill inserts
# the text, then presses and releases the last character's key without
# typing it again (selectors/act.c), so those pages see typing and the
# value is exactly what was asked.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site

cat >"$site/filter.html" <<'EOF'
<!doctype html><html><head><title>Filter</title></head><body>
<label>Filter rows: <input id="f" type="text"></label>
<label>Notes <textarea id="n"></textarea></label>
<p id="downs">0</p>
<table><tbody>
<tr><td>Berlin</td></tr><tr><td>Paris</td></tr><tr><td>Bergen</td></tr>
</tbody></table>
<script>
document.getElementById('f').addEventListener('keyup', function () {
  const q = this.value.toLowerCase();
  document.querySelectorAll('tbody tr').forEach(function (r) {
    r.style.display = r.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
  });
});
document.getElementById('f').addEventListener('keydown', function () {
  const d = document.getElementById('downs');
  d.textContent = String(Number(d.textContent) + 1);
});
</script></body></html>
EOF
cat >"$T_TMP/task.json" <<EOF
{"schema_version":1,"name":"keys","steps":[{"goto":"$BASE/filter.html"},
 {"fill":"Filter rows","value":"ber"},
 {"assert":{"js":"[...document.querySelectorAll('tbody tr')].filter(r => r.style.display !== 'none').length === 2"},"timeout_ms":2000},
 {"assert":{"js":"document.getElementById('f').value === 'ber'"}},
 {"assert":{"js":"document.getElementById('downs').textContent === '1'"}},
 {"fill":"Filter rows","value":"Pariś"},
 {"assert":{"js":"document.getElementById('f').value === 'Pariś'"}},
 {"fill":"Notes","value":"two lines\n"},
 {"assert":{"js":"document.getElementById('n').value === 'two lines\\\\n'"}}]}
EOF
run "$CDPILOT" run "$T_TMP/task.json" --no-cache --no-llm
expect_rc 0 "a keyup filter filters, the value is exact, a trailing newline is not pressed"
expect_true "no browser left" test "$(browsers)" -le "$start"
done_testing
