#!/usr/bin/env bash
# An uncertain target a user can settle: a page where the form's "Log in"
# button and the header's "Log in" link tie. The failure names both in
# words (no score next to "uncertain"), lists for each candidate a target
# that matches that element alone (run back, each picks its element), and
# `cdpilot resolve --fix` writes the chosen one into the task, which then
# passes. Bad --fix usage is refused before any browser starts.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site
cat >"$site/tie.html" <<'EOF'
<!doctype html><html><head><title>Wiki</title></head><body>
<header><nav><a href="#" id="pt-login"
 onclick="event.preventDefault(); document.getElementById('out').textContent='from the header link'">Log in</a>
 <a href="#help">Help</a></nav></header>
<main><h1>Log in</h1>
<form id="userlogin" onsubmit="event.preventDefault(); document.getElementById('out').textContent='from the form button'">
<label for="wpName1">Username</label><input id="wpName1" name="wpName">
<button type="submit" id="wpLoginAttempt">Log in</button>
</form><p id="out"></p></main></body></html>
EOF
TASK="$T_TMP/login.json"
cat >"$TASK" <<EOF
{"schema_version": 1, "name": "log in", "vars": {"who": "alice"},
 "steps": [{"goto": "$BASE/tie.html"},
   {"click": "Log in", "id": "submit"},
   {"assert": {"text": "from the form button"}}]}
EOF
cp "$TASK" "$T_TMP/orig.json"

run "$CDPILOT" run "$TASK" --no-cache --no-llm
expect_rc 4 "a tie without an LLM: exit 4"
expect_err 'error: +"Log in" is uncertain: two elements fit equally well: the link "Log in" in the page header and the button "Log in" in the form' \
  "the error names both tied elements in words"
expect_true "no score next to \"uncertain\"" bash -c '! grep "error:" <<<"$1" | grep -qi "confidence\|margin"' _ "$ERR"
expect_err '^ +target: role=button\[name="Log in"\]$' "the button's target is listed"
expect_err '^ +target: role=link\[name="Log in"\]$' "the link's target is listed"
expect_err "settle it: +cdpilot resolve '$BASE/tie.html' 'Log in' --fix '$TASK' --step 2 --pick N" \
  "the command that settles it is shown"

run "$CDPILOT" run "$TASK" --no-cache --no-llm --json
expect_rc 4 "--json: exit 4"
mapfile -t targets < <(py_json '"\n".join(c.get("target","-") for c in r["steps"][1]["top_candidates"])')
expect_true "every listed candidate has a target (${#targets[@]})" \
  bash -c '[[ $# -ge 2 ]] && ! printf "%s\n" "$@" | grep -qx -- -' _ "${targets[@]}"
expect_true "candidate words in --json" test "$(py_json 'r["steps"][1]["top_candidates"][1]["words"]')" = 'the button "Log in" in the form'
# each target is unique on the page, and picks its own element
for t in "${targets[@]}"; do
  cat >"$T_TMP/one.json" <<EOF
{"schema_version": 1, "name": "unique",
 "steps": [{"goto": "$BASE/tie.html"}, {"assert": {"target": $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$t"), "count": 1}}]}
EOF
  run "$CDPILOT" run "$T_TMP/one.json" --no-cache --no-llm
  expect_rc 0 "target $t matches exactly one element"
done
run "$CDPILOT" do "$BASE/tie.html" click "${targets[0]}" expect-text "from the header link" --no-cache --no-llm
expect_rc 0 "the first target (${targets[0]}) clicks the header link"
run "$CDPILOT" do "$BASE/tie.html" click "${targets[1]}" expect-text "from the form button" --no-cache --no-llm
expect_rc 0 "the second target (${targets[1]}) clicks the form button"

# resolve lists the same targets, in words
run "$CDPILOT" resolve "$BASE/tie.html" "Log in" --no-cache --no-llm
expect_rc 4 "resolve of the tie: exit 4"
expect_out '^  2\. 1\.00  the button "Log in" in the form$' "resolve names the candidate in words"
expect_out '^ +target: role=button\[name="Log in"\]$' "resolve lists its target"

# --fix without a choice: exit 4, the file untouched
run "$CDPILOT" resolve "$BASE/tie.html" "Log in" --fix "$TASK" --no-cache --no-llm
expect_rc 4 "--fix of an uncertain target without --pick: exit 4"
expect_err 'choose one of the candidates listed with --pick N' "it says to choose with --pick"
expect_true "the task is untouched" cmp -s "$TASK" "$T_TMP/orig.json"

run "$CDPILOT" resolve "$BASE/tie.html" "Log in" --fix "$TASK" --pick 2 --no-cache --no-llm
expect_rc 0 "--fix --pick 2 writes the choice"
expect_err "^fixed: $TASK step 2: \"Log in\" -> role=button\[name=\"Log in\"\]$" "it says what it wrote"
expect_true "the step now holds the target, the rest is kept" test "$(python3 -c '
import json,sys; j=json.load(open(sys.argv[1])); s=j["steps"]
print(s[1]["click"], s[1]["id"], s[1]["note"], j["vars"]["who"], j["name"], s[2]["assert"]["text"], len(s), sep="|")' "$TASK")" = \
  'role=button[name="Log in"]|submit|was "Log in" (cdpilot resolve --fix)|alice|log in|from the form button|3'
expect_true "no temporary file is left beside it" test "$(ls "$T_TMP" | grep -c 'login.json')" = 1
run "$CDPILOT" run "$TASK" --no-cache --no-llm
expect_rc 0 "the fixed task passes"

# --step picks a step by number; an explicit target is written as given
cp "$T_TMP/orig.json" "$TASK"
run "$CDPILOT" resolve "$BASE/tie.html" 'css=#wpLoginAttempt' --fix "$TASK" --step 2 --no-cache --no-llm
expect_rc 0 "--fix --step with an explicit target that resolves"
expect_true "it is written into step 2" test "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["steps"][1]["click"])' "$TASK")" = 'css=#wpLoginAttempt'

# bad usage: one line, exit 2, no browser
cp "$T_TMP/orig.json" "$TASK"
run "$CDPILOT" resolve "$BASE/tie.html" "Log in" --pick 1 --chrome /nonexistent
expect_rc 2 "--pick without --fix: exit 2"
expect_err '^cdpilot: resolve: --pick goes with --fix TASK.json' "it says --pick needs --fix"
run "$CDPILOT" resolve "$BASE/tie.html" "Log in" --fix "$T_TMP/none.json" --chrome /nonexistent
expect_rc 2 "--fix of a missing file: exit 2"
expect_err 'none.json' "the missing file is named"
run "$CDPILOT" resolve "$BASE/tie.html" "Sign up" --fix "$TASK" --chrome /nonexistent
expect_rc 2 "--fix when no step has the target: exit 2"
expect_err 'no step has the target "Sign up"; name the step with --step N' "it says no step has it"
run "$CDPILOT" resolve "$BASE/tie.html" "Log in" --fix "$TASK" --step 9 --chrome /nonexistent
expect_rc 2 "--step past the end: exit 2"
expect_err '^cdpilot: resolve: --step 9: .* has 3 steps' "it says how many steps there are"
run "$CDPILOT" resolve "$BASE/tie.html" "Log in" --fix "$TASK" --step 1 --chrome /nonexistent
expect_rc 2 "--step of a step without a target: exit 2"
run "$CDPILOT" resolve "$BASE/tie.html" "Log in" --fix "$TASK" --pick 0
expect_rc 2 "--pick 0: exit 2"
expect_true "the task is untouched by bad usage" cmp -s "$TASK" "$T_TMP/orig.json"
expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
