#!/usr/bin/env bash
# A fill ends as typing does, with its last key let go (docs/TARGETS.md
# "fill"): a search-as-you-type filter that listens for keyup alone
# filters the rows; the key event is the page's own, so no key of the
# value (a secret's) goes over CDP into the trace.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site

cat >"$site/rows.html" <<'EOF'
<!doctype html><html><head><title>Rows</title></head><body>
<label>Filter rows: <input id="f"></label>
<table><tbody><tr><td>Ana</td><td>Porto</td></tr><tr><td>Bruno</td><td>Lisboa</td></tr>
<tr><td>Carla</td><td>Porto</td></tr></tbody></table>
<p>Key: <span id="key"></span></p>
<script>
document.getElementById('f').addEventListener('keyup', function (e) {
  var q = this.value.toLowerCase();
  document.getElementById('key').textContent = e.key;
  document.querySelectorAll('tbody tr').forEach(function (r) {
    r.hidden = q !== '' && r.textContent.toLowerCase().indexOf(q) < 0; });
});
</script></body></html>
EOF

traced keyup <<EOF
{"schema_version":1,"name":"keyup","steps":[{"goto":"$BASE/rows.html"},
 {"fill":"Filter rows","value":"Porto"},
 {"wait_for":{"js":"document.querySelectorAll('tbody tr:not([hidden])').length === 2"},"timeout_ms":3000}]}
EOF
expect_rc 0 "a keyup-only filter heard the fill"

export T_PIN=Zx7Q
traced secret <<EOF
{"schema_version":1,"name":"secret","steps":[{"goto":"$BASE/rows.html"},
 {"fill":"Filter rows","value":"\${env.T_PIN}"},
 {"wait_for":{"js":"document.getElementById('key').textContent === 'Q'"},"timeout_ms":3000}]}
EOF
expect_rc 0 "the key let go is the value's last"
expect_true "the trace holds no part of the secret" \
  bash -c "! grep -q 'Zx7Q' \"\$(ls \"$T_TMP\"/trace/*/cdp.log | head -1)\""

expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
