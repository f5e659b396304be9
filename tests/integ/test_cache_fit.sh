#!/usr/bin/env bash
# A warm cache on a page whose fields or rows moved since it was cached
# (same URL): the second run must act on the right elements, never on
# what now sits where the cached one was. Unlabelled fields are cached by
# their label text, not their position; a cached selector that still
# matches but whose element no longer shows the intent's words around it
# (positional ids, rows in another order) is demoted and healed.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site
DB="$T_TMP/c.db"

# form ORDER IDS: a sign-up form laid out in a table, its inputs without
# label, name or (IDS=none) id; ORDER "fl" puts First name first, "lf"
# Last name; IDS=pos numbers the inputs by position (f1, f2). Submit
# writes each row's label and value, sorted, so a wrong fill shows.
form() {
  local a="First name" b="Last name" ia="" ib=""
  [[ $1 == lf ]] && { a="Last name"; b="First name"; }
  [[ $2 == pos ]] && { ia=' id="f1"'; ib=' id="f2"'; }
  cat >"$site/form.html" <<EOF
<!doctype html><html><head><title>Sign up</title></head><body>
<h1>Sign up</h1>
<table><tbody>
<tr><td>$a:</td><td><input$ia></td></tr>
<tr><td>$b:</td><td><input$ib></td></tr>
</tbody></table>
<button type="button" onclick="var o=[];document.querySelectorAll('tr').forEach(function(t){o.push(t.cells[0].textContent+' '+t.querySelector('input').value)});document.getElementById('o').textContent=o.sort().join('; ')">Submit</button>
<p id="o"></p></body></html>
EOF
}
cat >"$T_TMP/form.json" <<EOF
{"schema_version":1,"name":"sign up","steps":[{"goto":"$BASE/form.html"},
 {"fill":"First name","value":"Ada"},{"fill":"Last name","value":"Lovelace"},
 {"click":"Submit"},
 {"assert":{"text":"First name: Ada; Last name: Lovelace"},"timeout_ms":1000}]}
EOF
fills() { py_json '[(s["source"], s["healed"]) for s in r["steps"][1:3]]'; }

# ---- fields in another order, nothing but their label cells to go by ----
form fl none
run "$CDPILOT" run "$T_TMP/form.json" --cache "$DB" --json --no-llm
expect_rc 0 "first run fills the form"
run "$CDPILOT" cache list --cache "$DB" --json
if grep -q 'nth-of-type' <<<"$OUT"; then
  nok "the unlabelled fields are cached by their label text, not their position" "$OUT"
else ok "the unlabelled fields are cached by their label text, not their position"; fi
form lf none
run "$CDPILOT" run "$T_TMP/form.json" --cache "$DB" --json --no-llm
expect_rc 0 "fields reordered, warm cache: the right fields are filled"
expect_true "  both fills from the cache, still right" test "$(fills)" = "[('cache', False), ('cache', False)]"

# ---- ids by position: #f1 is now the other field ------------------------
rm -f "$DB"*
form fl pos
run "$CDPILOT" run "$T_TMP/form.json" --cache "$DB" --json --no-llm
expect_rc 0 "first run (ids by position)"
expect_true "  cached as #f1, #f2" test "$(py_json '[s["selector"] for s in r["steps"][1:3]]')" = "['css=#f1', 'css=#f2']"
form lf pos
run "$CDPILOT" run "$T_TMP/form.json" --cache "$DB" --json --no-llm
expect_rc 0 "ids by position and fields swapped: the right fields are filled"
expect_true "  both cached fields demoted and healed by the heuristics" test "$(fills)" = "[('heuristic', True), ('heuristic', True)]"
expect_true "  the report has the old and the new selector" test "$(py_json 'r["steps"][1]["old_selector"] + " -> " + r["steps"][1]["selector"]')" = "css=#f1 -> css=#f2"
expect_true "  the button, still where it was, from the cache" test "$(py_json 'r["steps"][3]["source"]')" = cache
run "$CDPILOT" run "$T_TMP/form.json" --cache "$DB" --json --no-llm
expect_rc 0 "the run after the heal passes"
expect_true "  served from the healed entries" test "$(fills)" = "[('cache', False), ('cache', False)]"

# ---- rows in another order: the Delete button of the first row ----------
rows() {
  local r1="<tr><td>Alice</td><td>alice@example.com</td><td><button type=\"button\" id=\"del-1\" onclick=\"d(this)\">Delete</button></td></tr>"
  local r2="<tr><td>Bob</td><td>bob@example.com</td><td><button type=\"button\" id=\"del-2\" onclick=\"d(this)\">Delete</button></td></tr>"
  [[ $1 == ba ]] && r1=${r1/Alice/Bob} r1=${r1/alice@/bob@} r2=${r2/Bob/Alice} r2=${r2/bob@/alice@}
  cat >"$site/users.html" <<EOF
<!doctype html><html><head><title>Users</title></head><body>
<h1>Users</h1>
<table><thead><tr><th>Name</th><th>Email</th><th></th></tr></thead><tbody>
$r1
$r2
</tbody></table><p id="o"></p>
<script>function d(b){document.getElementById('o').textContent='Deleted '+b.closest('tr').cells[0].textContent}</script>
</body></html>
EOF
}
cat >"$T_TMP/users.json" <<EOF
{"schema_version":1,"name":"delete alice","steps":[{"goto":"$BASE/users.html"},
 {"click":"Delete for Alice"},{"assert":{"text":"Deleted Alice"},"timeout_ms":1000}]}
EOF
rows ab
run "$CDPILOT" run "$T_TMP/users.json" --cache "$DB" --json --no-llm
expect_rc 0 "first run deletes Alice"
expect_true "  cached as #del-1" test "$(py_json 'r["steps"][1]["selector"]')" = "css=#del-1"
rows ba
run "$CDPILOT" run "$T_TMP/users.json" --cache "$DB" --json --no-llm
expect_rc 0 "rows in another order: Alice's button, not the first row's"
expect_true "  demoted and healed: #del-1 -> #del-2" test "$(py_json '(r["steps"][1]["source"], r["steps"][1]["healed"], r["steps"][1]["old_selector"], r["steps"][1]["selector"])')" = "('heuristic', True, 'css=#del-1', 'css=#del-2')"
run "$CDPILOT" cache stats --cache "$DB" --json
expect_true "cache stats count the three heals" test "$(py_json 'r["heals"]')" = 3

# ---- a database's tables, one more sorting first -------------------------
# As an admin UI lists them: rows numbered by position (row_tbl_N), a
# checkbox first, the table's name in the row, markup indented for people
# (the row's text is mostly white space), the same "Empty" in every row,
# links whose addresses are no selector (a query string, or "#").
tables() {
  local n=0 t out=""
  for t in "$@"; do
    n=$((n + 1))
    out+="
        <tr id=\"row_tbl_$n\">
            <td class=\"center\">
                <input type=\"checkbox\" name=\"selected_tbl[]\" value=\"$t\">
            </td>
            <th>
                <a href=\"sql.php?db=shop\&amp;table=$t\">$t</a>
            </th>
            <td>
                <a href=\"structure.php?db=shop\&amp;table=$t\">Structure</a>
            </td>
            <td>
                <a href=\"#\" data-href=\"sql.php?db=shop\&amp;table=$t\&amp;empty=1\" onclick=\"document.getElementById('o').textContent='Emptied $t'\">Empty</a>
            </td>
            <td>
                <a href=\"tbl_change.php?db=shop\&amp;table=$t\">Insert</a>
            </td>
            <td>
                <a href=\"#\">Drop</a>
            </td>
            <td class=\"value\">
                InnoDB
            </td>
            <td class=\"value\">
                utf8mb4_general_ci
            </td>
            <td class=\"value\">
                16.0 KiB
            </td>
        </tr>"
  done
  cat >"$site/db.html" <<EOF
<!doctype html><html><head><title>Database shop</title></head><body>
<h1>Database shop</h1>
<table class="data"><thead><tr><th></th><th>Table</th><th colspan="4">Action</th><th>Type</th><th>Collation</th><th>Size</th></tr></thead>
<tbody>$out
</tbody></table><p id="o"></p></body></html>
EOF
}
cat >"$T_TMP/empty.json" <<EOF
{"schema_version":1,"name":"empty orders","steps":[{"goto":"$BASE/db.html"},
 {"click":"the Empty link for orders"},{"assert":{"text":"Emptied orders"},"timeout_ms":1000}]}
EOF
tables customers orders
run "$CDPILOT" run "$T_TMP/empty.json" --cache "$DB" --json --no-llm
expect_rc 0 "first run empties orders"
tables customer_notes customers orders
run "$CDPILOT" run "$T_TMP/empty.json" --cache "$DB" --json --no-llm
expect_rc 0 "a table sorts first: orders, not the table now in row 2, is emptied"
expect_true "  the cached choice was demoted and healed" test "$(py_json '(r["steps"][1]["source"], r["steps"][1]["healed"])')" = "('heuristic', True)"

# ---- a form the page's scripts show after the load ------------------------
# Hidden, its fields have no name yet: a warm hit is checked once shown,
# not demoted for the name it does not have yet.
cat >"$site/late.html" <<'EOF'
<!doctype html><html><head><title>Sign in</title></head><body>
<div id="site" style="display:none"><h1>Sign in</h1>
<label for="pw"><strong>Password:</strong></label> <input type="password" id="pw">
<button type="button" onclick="document.getElementById('o').textContent='signed in: '+document.getElementById('pw').value.length">Log in</button>
</div><p id="o"></p>
<script>setTimeout(function () { document.getElementById('site').style.display = ''; }, 700)</script>
</body></html>
EOF
cat >"$T_TMP/late.json" <<EOF
{"schema_version":1,"name":"late form","steps":[{"goto":"$BASE/late.html"},
 {"fill":"Password","value":"secret"},{"click":"Log in"},
 {"assert":{"text":"signed in: 6"},"timeout_ms":1000}]}
EOF
run "$CDPILOT" run "$T_TMP/late.json" --cache "$DB" --json --no-llm
expect_rc 0 "a form shown after the load: first run"
run "$CDPILOT" run "$T_TMP/late.json" --cache "$DB" --json --no-llm
expect_rc 0 "the warm run passes"
expect_true "  both steps from the cache, nothing healed" test "$(py_json '[(s["source"], s["healed"]) for s in r["steps"][1:3]]')" = "[('cache', False), ('cache', False)]"

done_testing
