#!/usr/bin/env bash
# A page that moves between the hit test and the click: the pointer would
# land on another element. The page's pointer guard (selectors/js/30-act.js)
# stops that click before the page sees it, and the click is made again on
# the element once it is ready (docs/RELIABILITY.md). Never a click on the
# wrong element.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site

# On the first pointer move, a banner is put above the two buttons: they
# move down by one button's height, so "Delete all" takes the place where
# "Save" was. A click that does not look again deletes everything.
cat >"$site/shift.html" <<'EOF'
<!doctype html><html><head><title>Shift</title><style>
body { margin: 0; font: 16px sans-serif }
button { display: block; height: 40px; width: 200px; margin: 0 }
#banner { height: 40px; background: #fd8 }
</style></head><body>
<div id="top"></div>
<button id="del" onclick="document.title = 'deleted'">Delete all</button>
<button id="save" onclick="document.title = document.title === 'deleted' ? 'deleted' : 'saved'">Save</button>
<script>
// the page's own capturing listener on window, added before any click
addEventListener('click', function (e) {
  if (e.target.id === 'del') document.body.dataset.sawDel = '1';
}, true);
let moved = false;
addEventListener('mousemove', function () {
  if (moved) return;
  moved = true;
  const b = document.createElement('div');
  b.id = 'banner';
  b.textContent = 'We use cookies';
  document.getElementById('top').appendChild(b);
}, true);
</script>
</body></html>
EOF

# Each mode clicks "Save" while the page shifts under it; the page's own
# capturing listener on window must not see the stopped click either.
for target in 'css=#save' 'Save button'; do
  cat >"$T_TMP/task.json" <<EOF
{"schema_version":1,"name":"shift","steps":[{"goto":"$BASE/shift.html"},
 {"click":"$target"},
 {"assert":{"js":"document.title === 'saved'"},"timeout_ms":2000},
 {"assert":{"js":"!document.body.dataset.sawDel"},"timeout_ms":500}]}
EOF
  run "$CDPILOT" run "$T_TMP/task.json" --no-cache --no-llm
  expect_rc 0 "$target: the click reaches Save though the page moved under it"
  expect_true "$target: Delete all was never clicked" \
    bash -c "! grep -q 'deleted' <<<\"\$1\"" _ "$ERR"
done

# A cover that never goes away: the click fails, and nothing is clicked.
cat >"$site/cover.html" <<'EOF'
<!doctype html><html><head><title>Cover</title><style>
body { margin: 0 }
button { display: block; height: 40px; width: 200px; margin: 0 }
#veil { position: fixed; inset: 0; background: rgba(0,0,0,.3) }
</style></head><body>
<button id="save" onclick="document.title = 'saved'">Save</button>
<script>
addEventListener('mousemove', function () {
  if (document.getElementById('veil')) return;
  const v = document.createElement('div');
  v.id = 'veil';
  v.onclick = function () { document.title = 'veil clicked'; };
  document.body.appendChild(v);
}, true);
</script>
</body></html>
EOF
cat >"$T_TMP/task.json" <<EOF
{"schema_version":1,"name":"cover","steps":[{"goto":"$BASE/cover.html"},
 {"click":"css=#save","timeout_ms":3000}]}
EOF
run "$CDPILOT" run "$T_TMP/task.json" --no-cache --no-llm --json
expect_rc 1 "a click covered for good fails (exit 1)"
expect_err "covered by <div#veil>|landed on <div#veil>" "the error names what covers the element"
expect_true "the veil never saw the click" \
  bash -c "! grep -q 'veil clicked' <<<\"\$1\$2\"" _ "$OUT" "$ERR"

expect_true "no browser left" test "$(browsers)" -le "$start"
done_testing
