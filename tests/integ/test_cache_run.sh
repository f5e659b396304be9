#!/usr/bin/env bash
# The cache end to end: the second run needs no heuristic search, a broken
# selector heals itself, a killed run resumes without repeating completed
# steps, non-idempotent steps are not re-run blindly, bad cache files are
# refused without being touched.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site
DB="$T_TMP/c.db"
# wait_step RUN N: until run RUN has completed N steps (its checkpoint).
wait_step() {
  for _ in $(seq 400); do
    n=$(sqlite3 "$DB" "select next_step from runs where run_id='$1'" 2>/dev/null)
    [[ -n "$n" && "$n" -ge "$2" ]] && return 0; sleep 0.05
  done; return 1
}
py_json() { python3 -c "import json,sys; r=json.load(sys.stdin); print($1)" <<<"$OUT"; }

page_v1() { cat >"$site/app.html" <<'EOF'
<!doctype html><html><head><title>App</title></head><body>
<h1>Account</h1>
<label for="em">Email</label> <input id="em" name="email">
<button id="signin" type="button" onclick="document.getElementById('o').textContent='in: '+document.getElementById('em').value">Sign in</button>
<p id="o"></p></body></html>
EOF
}
# The same page after a redesign: ids renamed, the button moved into a toolbar.
page_v2() { cat >"$site/app.html" <<'EOF'
<!doctype html><html><head><title>App</title></head><body>
<div class="toolbar"><span>Tools</span>
<button id="login-btn" type="button" onclick="document.getElementById('o').textContent='in: '+document.getElementById('mail').value">Sign in</button></div>
<h1>Account</h1>
<label for="mail">Email</label> <input id="mail" name="mail">
<p id="o"></p></body></html>
EOF
}
cat >"$T_TMP/task.json" <<EOF
{"schema_version":1,"name":"heal","steps":[{"goto":"$BASE/app.html"},
 {"fill":"Email","value":"a@b.c"},{"click":"Sign in button"},
 {"assert":{"text":"in: a@b.c"}}]}
EOF

page_v1
run "$CDPILOT" run "$T_TMP/task.json" --cache "$DB" --json --no-llm
expect_rc 0 "first run passes"
expect_true "first run: heuristics resolve the intents" test "$(py_json '[s["source"] for s in r["steps"][1:3]]')" = "['heuristic', 'heuristic']"
run "$CDPILOT" run "$T_TMP/task.json" --cache "$DB" --json --no-llm
expect_rc 0 "second run passes"
expect_true "second run: both intents from the cache" test "$(py_json '[s["source"] for s in r["steps"][1:3]]')" = "['cache', 'cache']"
expect_true "second run: zero heuristic scans" test "$(py_json 'sum(s["timings_us"]["collect"] + s["timings_us"]["score"] for s in r["steps"][1:3])')" = 0

page_v2
run "$CDPILOT" run "$T_TMP/task.json" --cache "$DB" --json --no-llm
expect_rc 0 "after the redesign the run still passes"
expect_true "the broken selectors healed" test "$(py_json '[s["healed"] for s in r["steps"][1:3]]')" = "[True, True]"
expect_true "report has old and new selectors" test "$(py_json 'r["steps"][2]["old_selector"] + " -> " + r["steps"][2]["selector"]')" = "css=#signin -> css=#login-btn"
run "$CDPILOT" cache list --cache "$DB" --json
expect_out 'login-btn' "the new selector is cached"
run "$CDPILOT" run "$T_TMP/task.json" --cache "$DB" --json --no-llm
expect_true "the run after the heal is served from the cache" test "$(py_json '[s["source"] for s in r["steps"][1:3]]')" = "['cache', 'cache']"
run "$CDPILOT" cache stats --cache "$DB" --json
expect_true "cache stats count the heals" test "$(py_json 'r["heals"]')" = 2

# ---- kill -9 mid-run, then --resume ----------------------------------------
cat >"$T_TMP/long.json" <<EOF
{"schema_version":1,"name":"resume","steps":[{"goto":"$BASE/app.html"},
 {"fill":"css=#mail","value":"r@s.t"},
 {"eval":"document.title + '-' + document.querySelector('#mail').value","as":"token"},
 {"eval":"new Promise(r => setTimeout(() => r(1), 4000))"},
 {"click":"css=#login-btn"},
 {"assert":{"js":"'\${token}' === 'App-r@s.t'"}}]}
EOF
"$CDPILOT" run "$T_TMP/long.json" --cache "$DB" --run-id job-42 --no-llm -q >/dev/null 2>&1 & pid=$!
wait_step job-42 3; sleep 0.3; kill -KILL $pid; wait $pid 2>/dev/null; sleep 0.5
run "$CDPILOT" run "$T_TMP/long.json" --cache "$DB" --resume job-42 --json --no-llm
expect_rc 0 "--resume after kill -9 completes the run"
expect_true "completed steps are not repeated" test "$(py_json '[s["status"] for s in r["steps"]]')" = "['skipped', 'skipped', 'skipped', 'passed', 'passed', 'passed']"
expect_true "extracted variables survive the kill" test "$(py_json 'r["resumed_at_step"]')" = 4
run "$CDPILOT" run "$T_TMP/long.json" --cache "$DB" --resume job-42 --no-llm
expect_rc 2 "resuming a passed run is refused"
run "$CDPILOT" run "$T_TMP/long.json" --cache "$DB" --run-id job-42 --no-llm
expect_rc 2 "reusing a run id is refused"
expect_err 'job-42' "reused run id is named"

sed 's/"new Promise(r => setTimeout(() => r(1), 4000))"}/"new Promise(r => setTimeout(() => r(1), 4000))","idempotent":false}/' \
  "$T_TMP/long.json" >"$T_TMP/unsafe.json"
"$CDPILOT" run "$T_TMP/unsafe.json" --cache "$DB" --run-id job-43 --no-llm -q >/dev/null 2>&1 & pid=$!
wait_step job-43 3; sleep 0.3; kill -KILL $pid; wait $pid 2>/dev/null; sleep 0.5
run "$CDPILOT" run "$T_TMP/unsafe.json" --cache "$DB" --resume job-43 --no-llm
expect_rc 1 "a non-idempotent step with an unknown outcome is not re-run"
expect_err 'idempotent' "the refusal says why"

run "$CDPILOT" run "$T_TMP/task.json" --cache "$DB" --resume no-such-run --no-llm
expect_rc 2 "resuming an unknown run: exit 2"

# ---- bad cache files: refused, untouched; --no-cache still works ----------------
mkdir -p "$T_TMP/adir"
run "$CDPILOT" run "$T_TMP/task.json" --cache "$T_TMP/adir" --no-llm
expect_rc 2 "cache path is a directory: exit 2"
expect_err 'adir' "the message names the path"
echo "my notes, not a database" >"$T_TMP/notes.txt"; sum1=$(md5sum <"$T_TMP/notes.txt")
run "$CDPILOT" run "$T_TMP/task.json" --cache "$T_TMP/notes.txt" --no-llm
expect_rc 2 "cache path is a text file: exit 2"
expect_true "the text file is untouched" test "$(md5sum <"$T_TMP/notes.txt")" = "$sum1"
cp "$DB" "$T_TMP/trunc.db"; truncate -s 5000 "$T_TMP/trunc.db"; sum2=$(md5sum <"$T_TMP/trunc.db")
run "$CDPILOT" run "$T_TMP/task.json" --cache "$T_TMP/trunc.db" --no-llm
expect_rc 2 "truncated database: exit 2"
expect_true "the truncated database is untouched" test "$(md5sum <"$T_TMP/trunc.db")" = "$sum2"
run "$CDPILOT" run "$T_TMP/task.json" --cache "$T_TMP/notes.txt" --no-cache --no-llm
expect_rc 0 "--no-cache runs without the bad cache"

# ---- export / import warms another cache ---------------------------------------
run "$CDPILOT" cache export "$T_TMP/warm.json" --cache "$DB"
expect_rc 0 "cache export"
run "$CDPILOT" cache import "$T_TMP/warm.json" --cache "$T_TMP/fresh.db"
expect_rc 0 "cache import into a fresh file"
run "$CDPILOT" run "$T_TMP/task.json" --cache "$T_TMP/fresh.db" --json --no-llm
expect_true "an imported cache serves the first run" test "$(py_json '[s["source"] for s in r["steps"][1:3]]')" = "['cache', 'cache']"
echo '{"cdpilot_cache":1,"entries":[{"selector":""}]}' >"$T_TMP/bad-import.json"
run "$CDPILOT" cache import "$T_TMP/bad-import.json" --cache "$T_TMP/fresh.db"
expect_rc 2 "a bad import file: exit 2"

done_testing
