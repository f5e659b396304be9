#!/usr/bin/env bash
# The menu just opened (docs/HEURISTICS.md "The task's own history"): after
# a click opened a menu, a click whose words fit an item of that menu means
# that item, not a toolbar's icon button titled with the same words; and a
# menu item's keyboard shortcut is no part of its words. --no-llm, no
# cache: each task checks which element its click reached.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site

# Two menus: one names its list with aria-controls, the other is a
# dropdown toggle with the list beside it (aria-expanded).
cat >"$site/notebook.html" <<'EOF'
<!doctype html><html><head><title>Notebook</title>
<style>i{display:inline-block;width:12px;height:12px;background:#555}
.menu{display:none;position:absolute;background:#fff;border:1px solid #999;list-style:none;padding:2px}
.open > .menu{display:block} li{display:inline-block;position:relative;margin-right:12px}
.menu li{display:block} .menu a{display:block} kbd{color:#777;margin-left:20px;float:right}</style></head><body>
<ul id="menubar">
<li><a href="#" id="insertlink" aria-haspopup="true" aria-controls="insert_menu"
       onclick="this.parentNode.classList.toggle('open'); return false">Insert</a>
  <ul id="insert_menu" class="menu" role="menu">
    <li role="none"><a href="#menu-above" role="menuitem"><span>Insert Cell Above</span><kbd>A</kbd></a></li>
    <li role="none"><a href="#menu-below" role="menuitem"><span>Insert Cell Below</span><kbd>B</kbd></a></li></ul></li>
<li><a href="#" class="dropdown-toggle" data-toggle="dropdown" aria-expanded="false"
       onclick="this.parentNode.classList.toggle('open'); this.setAttribute('aria-expanded', 'true'); return false">Cell</a>
  <ul class="menu dropdown-menu">
    <li><a href="#menu-run">Run Cells <kbd>Ctrl-Enter</kbd></a></li>
    <li><a href="#menu-delete">Delete Cells <kbd>D,D</kbd></a></li></ul></li>
</ul>
<div id="toolbar">
<button type="button" title="insert cell below" onclick="location.hash = 'toolbar-below'"><i class="icon-plus"></i></button>
<button type="button" title="run cells" onclick="location.hash = 'toolbar-run'"><i class="icon-play"></i></button>
</div>
</body></html>
EOF

# MENU|WORDS|where the click must land
for c in 'Insert|Insert Cell Below|#menu-below' 'Cell|Run Cells|#menu-run'; do
  IFS='|' read -r menu words hash <<<"$c"
  traced menu <<EOF
{"schema_version":1,"name":"menu","steps":[{"goto":"$BASE/notebook.html"},
 {"click":"$menu"}, {"click":"$words"},
 {"assert":{"js":"location.hash === '$hash'"}}]}
EOF
  expect_rc 0 "\"$menu\" opened its menu: \"$words\" is its item"
  expect_true "\"$words\" from the heuristics" test "$(py_json 'r["steps"][2]["source"]')" = heuristic
done

# A button that says it expanded something and names nothing
# (aria-expanded, no aria-controls): it opened a panel elsewhere in the
# page, whose button carries the same words as the one that opened it.
cat >"$site/editor.html" <<'EOF'
<!doctype html><html><head><title>Editor</title></head><body>
<header><input aria-label="Add title">
<button type="button" id="toggle" aria-expanded="false">Publish</button></header>
<main><p>Your page</p></main><aside id="side"></aside>
<script>
document.getElementById('toggle').onclick = function () {
  this.setAttribute('aria-expanded', 'true');
  document.getElementById('side').innerHTML = '<p>Are you ready?</p>' +
    '<button type="button" id="now">Publish</button>' +
    '<button type="button">Publish: Immediately</button>' +
    '<button type="button">Cancel</button>';
  document.getElementById('now').onclick = function () { location.hash = 'published'; };
};
</script>
</body></html>
EOF
traced publish <<EOF
{"schema_version":1,"name":"publish","steps":[{"goto":"$BASE/editor.html"},
 {"fill":"Add title","value":"Opening hours"}, {"click":"Publish"}, {"click":"Publish"},
 {"assert":{"js":"location.hash === '#published'"}}]}
EOF
expect_rc 0 "the panel a button opened: its \"Publish\" is the one meant next"

# The same words twice on one page, meaning two elements: the second is
# kept as what the first click opened (ROUTE [opened]), so each is served
# from the cache run after run instead of one healing the other.
cat >"$T_TMP/publish2.json" <<EOF
{"schema_version":1,"name":"publish","steps":[{"goto":"$BASE/editor.html"},
 {"fill":"Add title","value":"Opening hours"}, {"click":"Publish"}, {"click":"Publish"},
 {"assert":{"js":"location.hash === '#published'"}}]}
EOF
db="$T_TMP/opened.sqlite"
src() { py_json "' '.join(s['source'] + ('/healed' if s['healed'] else '') for s in r['steps'][1:4])"; }
run "$CDPILOT" run "$T_TMP/publish2.json" --no-llm --json --cache "$db"
expect_rc 0 "cold, with a cache: both clicks right"
for pass in 2 3; do
  run "$CDPILOT" run "$T_TMP/publish2.json" --no-llm --json --cache "$db"
  expect_rc 0 "warm pass $pass: both clicks right"
  expect_true "warm pass $pass: every step from the cache, nothing healed ($(src))" \
    test "$(src)" = "cache cache cache"
  expect_true "warm pass $pass: two selectors" \
    test "$(py_json 'r["steps"][2]["selector"] != r["steps"][3]["selector"]')" = True
done
run "$CDPILOT" cache list --cache "$db" --json
expect_true "the second \"Publish\" is kept under the route's [opened] twin" \
  grep -q '/editor.html \[opened\]' <<<"$OUT"

# The first click opens nothing this time: the opened entry finds nothing,
# and the route's own entry answers (the toolbar button again).
cat >"$T_TMP/publish3.json" <<EOF
{"schema_version":1,"name":"publish","steps":[{"goto":"$BASE/editor.html"},
 {"eval":"document.getElementById('toggle').addEventListener('click', function (e) { e.stopImmediatePropagation(); }, true)"},
 {"click":"Publish"}, {"click":"Publish", "timeout_ms": 3000},
 {"assert":{"js":"location.hash === ''"}}]}
EOF
run "$CDPILOT" run "$T_TMP/publish3.json" --no-llm --json --cache "$db"
expect_rc 0 "nothing opened: the run still passes"
expect_true "nothing opened: the second click is the route's entry, from the cache ($(py_json 'r["steps"][3]["source"]'))" \
  test "$(py_json 'r["steps"][3]["source"] + " " + str(r["steps"][3]["selector"] == r["steps"][2]["selector"])')" = "cache True"

expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
