#!/usr/bin/env bash
# An element chosen for a step that leaves the document before it is
# acted on (docs/RELIABILITY.md): a page that its scripts redraw after a
# click, as an application that loads its pages by AJAX does. The step
# looks again within its time, from the heuristics and from the cache,
# instead of failing "detached".
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site

# "Open shop" swaps the content for the shop's, then draws it afresh in
# every animation frame for 40 frames: each "SQL" link found in between
# is gone two frames later, before it can be clicked.
cat >"$site/redraw.html" <<'EOF'
<!doctype html><html><head><title>Redraw</title></head><body>
<nav><a href="#" id="open" onclick="open_db(); return false">Open shop</a></nav>
<div id="content"><h1>Server</h1><a href="#sql-server">SQL</a></div>
<script>
function draw() {
  document.getElementById('content').innerHTML =
    '<h1>Database shop</h1><a href="#sql-db">SQL</a> <a href="#structure">Structure</a>';
}
function open_db() {
  var n = 0;
  draw();
  requestAnimationFrame(function again() { draw(); if (++n < 40) requestAnimationFrame(again); });
}
</script></body></html>
EOF
task='{"schema_version":1,"name":"redraw","steps":[{"goto":"'$BASE'/redraw.html"},
 {"click":"Open shop"}, {"click":"SQL"},
 {"assert":{"js":"location.hash === \"#sql-db\""}}]}'

traced redraw <<<"$task"
expect_rc 0 "the link redrawn under the step: looked for again, clicked"
expect_true "from the heuristics" test "$(py_json 'r["steps"][2]["source"]')" = heuristic

traced redraw-cold --cache "$T_TMP/redraw.db" <<<"$task"
expect_rc 0 "cold run with a cache"
traced redraw-warm --cache "$T_TMP/redraw.db" <<<"$task"
expect_rc 0 "warm run: the cached link redrawn under the step, found again"
expect_true "from the cache" test "$(py_json 'r["steps"][2]["source"]')" = cache

expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
