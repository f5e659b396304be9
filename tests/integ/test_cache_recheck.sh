#!/usr/bin/env bash
# A cache hit on a page still being set up by its scripts (docs/CACHE.md
# "Healing"): the cached selector finds its element before the page gave
# it its role and name; it is looked at once more after a moment, and the
# step comes from the cache, not demoted and healed.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site

cat >"$site/draft.html" <<'EOF'
<!doctype html><html><head><title>Draft</title></head><body>
<p>Your draft</p><div id="save">Save</div><p id="out"></p>
<script>
setTimeout(function () {
  var b = document.getElementById('save');
  b.setAttribute('role', 'button');
  b.setAttribute('aria-label', 'Save draft');
  b.tabIndex = 0;
  b.onclick = function () { document.getElementById('out').textContent = 'saved'; };
}, 150);
</script></body></html>
EOF

cache="$T_TMP/c.sqlite"
task() {
  cat >"$T_TMP/t.json" <<EOF
{"schema_version":1,"name":"draft","steps":[{"goto":"$BASE/draft.html"},
 $1 {"click":"Save draft"}, {"wait_for":{"text":"saved"},"timeout_ms":3000}]}
EOF
  run "$CDPILOT" run "$T_TMP/t.json" --no-llm --json --cache "$cache"
}
task '{"wait_for":{"js":"document.getElementById(\"save\").getAttribute(\"role\") === \"button\""}},'
expect_rc 0 "cold: the button once the page set it up"
task ''
expect_rc 0 "warm: right after the load"
expect_true "... from the cache" test "$(py_json 'r["steps"][1]["source"]')" = cache
expect_true "... not healed" test "$(py_json 'r["steps"][1].get("healed", False)')" = False

# A check step whose words name the row, not the checkbox (the file's
# name beside an unlabelled checkbox): the heuristics answer through the
# row's checkbox. On a list drawn a moment after the load, the cached
# selector first finds nothing; once the list is there it is tried again
# before the heuristics' answer is taken, as for any other step.
cat >"$site/files.html" <<'EOF'
<!doctype html><html><head><title>Files</title></head><body>
<h1>Files</h1><div id="list"></div>
<script>
setTimeout(function () {
  var names = ['notes.txt', 'harvest.csv', 'report.pdf'], h = '';
  for (var i = 0; i < names.length; i++)
    h += '<div class="item"><input type="checkbox" title="Select to act on it"> ' +
         '<a href="#' + names[i] + '">' + names[i] + '</a></div>';
  document.getElementById('list').innerHTML = h;
}, 400);
</script></body></html>
EOF
cat >"$T_TMP/f.json" <<EOF
{"schema_version":1,"name":"files","steps":[{"goto":"$BASE/files.html"},
 {"check":"harvest.csv"},
 {"assert":{"js":"document.querySelectorAll('#list input')[1].checked && !document.querySelectorAll('#list input')[0].checked"}}]}
EOF
check_task() { run "$CDPILOT" run "$T_TMP/f.json" --no-llm --json --cache "$T_TMP/c2.sqlite"; }
check_task
expect_rc 0 "cold: the row's checkbox"
expect_true "... from the heuristics" test "$(py_json 'r["steps"][1]["source"]')" = heuristic
check_task
expect_rc 0 "warm, the list drawn late: the same checkbox"
expect_true "... from the cache ($(py_json 'r["steps"][1]["source"]'))" test "$(py_json 'r["steps"][1]["source"]')" = cache
expect_true "... not healed" test "$(py_json 'r["steps"][1].get("healed", False)')" = False

expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
