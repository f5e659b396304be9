#!/usr/bin/env bash
# check/uncheck on what a person sees as a checkbox (docs/TARGETS.md
# "check and uncheck"), with --no-llm and no cache: a file's name in a
# list whose rows each hold an unlabelled checkbox means that row's
# checkbox (a row with two stays uncertain); a role=checkbox button holding
# an <input type=checkbox> shows that input's state; a button beside a
# check icon (a wrapper whose script swaps the icon) is checked by its
# icon.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site

cat >"$site/files.html" <<'EOF'
<!doctype html><html><head><title>Files</title>
<style>.glyph-unchecked:before{content:"\2610"} .glyph-check:before{content:"\2611"}</style></head><body>
<div id="toolbar">
<button title="Select All / None" aria-label="Select All/None" type="button" id="button-select-all" role="checkbox"
  onclick="var b = document.getElementById('select-all'); if (event.target !== b) b.checked = !b.checked;
           document.querySelectorAll('#list input').forEach(function (x) { x.checked = b.checked; })">
  <input type="checkbox" id="select-all" tabindex="-1"><span>0</span></button>
</div>
<div id="list">
<div class="list_item row"><div class="col"><input type="checkbox" title="Click here to rename, delete, etc."><i class="icon folder"></i><a href="#reports">reports</a><span class="when">today</span></div></div>
<div class="list_item row"><div class="col"><input type="checkbox" title="Click here to rename, delete, etc."><i class="icon file"></i><a href="#harvest">harvest.csv</a><span class="when">today</span></div></div>
<div class="list_item row"><div class="col"><input type="checkbox" title="Click here to rename, delete, etc."><i class="icon file"></i><a href="#rainfall">Rainfall.ipynb</a><span class="when">today</span></div></div>
</div>
<table id="t"><tr><th></th><th>Name</th></tr>
<tr><td><input type="checkbox" name="row" value="alice"></td><td><a href="#alice">Alice</a></td></tr>
<tr><td><input type="checkbox" name="row" value="bob"></td><td><a href="#bob">Bob</a></td></tr>
<tr><td><input type="checkbox" name="sel" value="carol"> <input type="checkbox" name="pin" value="carol"></td><td><a href="#carol">Carol</a></td></tr></table>
<div class="show-annotations"><i class="glyphicon glyph-unchecked"></i>
<button type="button" class="show-annotations">Show annotations</button></div>
<p id="ann" hidden>summary: the target is down</p>
<div class="toggle" onclick="var i = this.querySelector('i'); i.className = /glyph-unchecked/.test(i.className) ? 'fa glyph-check' : 'fa glyph-unchecked'">
<i class="fa glyph-unchecked"></i> <button type="button">Show details</button></div>
<p><a href="#done" class="done"><i class="fa fa-check"></i> Mark done</a></p>
<script>
document.querySelector('div.show-annotations').addEventListener('click', function () {
  var i = this.querySelector('i'), on = /glyph-unchecked/.test(i.className);
  i.className = 'glyphicon ' + (on ? 'glyph-check' : 'glyph-unchecked');
  document.getElementById('ann').hidden = !on;
});
</script>
</body></html>
EOF
checked="[...document.querySelectorAll('input:checked')].map(e => e.value !== 'on' ? e.value : (e.closest('.list_item') || e).textContent.trim() || e.id).join()"

# WORDS|STEP KIND|what is checked afterwards
for c in 'harvest.csv|check|harvest.csvtoday' 'Rainfall.ipynb|check|Rainfall.ipynbtoday' \
         'Bob|check|bob' 'Select all|check|select-all,reportstoday,harvest.csvtoday,Rainfall.ipynbtoday'; do
  IFS='|' read -r words kind want <<<"$c"
  traced files <<EOF
{"schema_version":1,"name":"files","steps":[{"goto":"$BASE/files.html"},
 {"$kind":"$words"},
 {"assert":{"js":"($checked) === \"$want\""}}]}
EOF
  expect_rc 0 "$kind \"$words\": $want"
done

# checked, then unchecked again: the state is read back each time
traced files-back <<EOF
{"schema_version":1,"name":"files","steps":[{"goto":"$BASE/files.html"},
 {"check":"harvest.csv"}, {"uncheck":"harvest.csv"}, {"check":"Select all"},
 {"uncheck":"Select all"}, {"assert":{"js":"($checked) === \"\""}}]}
EOF
expect_rc 0 "check then uncheck: a row's checkbox, the select-all button"

traced carol <<EOF
{"schema_version":1,"name":"files","steps":[{"goto":"$BASE/files.html"},
 {"check":"Carol"}]}
EOF
expect_rc 4 "a row holding two checkboxes: uncertain"
expect_err 'row of Carol holds 2 checkboxes' "the error says why"

traced ann <<EOF
{"schema_version":1,"name":"files","steps":[{"goto":"$BASE/files.html"},
 {"check":"Show annotations"}, {"assert":{"text":"the target is down"}},
 {"check":"Show annotations"}, {"uncheck":"Show annotations"},
 {"assert":{"js":"document.getElementById('ann').hidden"}},
 {"check":"Show details"}, {"assert":{"js":"/glyph-check/.test(document.querySelector('.toggle i').className)"}}]}
EOF
expect_rc 0 "a button beside a check icon: checked, left checked, unchecked"

# a bare check mark decorating a link says nothing of a state: no silent
# "already checked", the step stays uncertain
traced done <<EOF
{"schema_version":1,"name":"files","steps":[{"goto":"$BASE/files.html"},
 {"check":"Mark done"}]}
EOF
expect_rc 4 "a link with a check mark is no checkbox: uncertain"

expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
