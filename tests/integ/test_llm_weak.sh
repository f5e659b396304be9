#!/usr/bin/env bash
# Weak candidates: the heuristics find something that scores, but nothing
# near enough to act on. With an LLM configured the top candidates go to
# it (one call, its pick used, checked as always); without one the step
# ends uncertain (exit 4) with the candidates listed, never as "not
# found" and never as a guess. A target nothing on the page fits at all
# stays not-found (exit 1) and asks no LLM. A best candidate not shown
# yet is waited for, not declared uncertain at once.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site
KEY="sk-test-weak-7311"

# fake SCRIPT_JSON: starts the fake provider, sets LLM_URL and LLM_LOG.
fake() {
  [[ -n "${FAKE_PID:-}" ]] && { kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; }
  echo "$1" >"$T_TMP/script.json"
  rm -f "$T_TMP/fake.url"    # never the last fake's address
  LLM_LOG="$T_TMP/llm.$RANDOM.log"
  python3 tests/fake_llm.py --port 0 --script "$T_TMP/script.json" --log "$LLM_LOG" \
    --expect-key "$KEY" >"$T_TMP/fake.url" 2>"$T_TMP/fake.err" & FAKE_PID=$!
  for _ in $(seq 100); do [[ -s "$T_TMP/fake.url" ]] && break; sleep 0.05; done
  LLM_URL=$(head -n 1 "$T_TMP/fake.url")
}
calls() { [[ -f "$LLM_LOG" ]] && wc -l <"$LLM_LOG" || echo 0; }
llm() { CDPILOT_LLM_URL="$LLM_URL" CDPILOT_LLM_MODEL=fake-1 CDPILOT_LLM_API_KEY="$KEY" "$@"; }

# Nothing on the page says "Portugal" or "break": only "spring" ties the
# words to the Lisbon link, which is not enough to act on alone.
cat >"$site/trips.html" <<'EOF'
<!doctype html><html><head><title>Trips</title></head><body>
<h1>Trips</h1>
<ul>
<li><a href="#t1" onclick="document.getElementById('o').textContent='opened lisbon'">Lisbon, spring 2024</a></li>
<li><a href="#t2" onclick="document.getElementById('o').textContent='opened oslo'">Oslo, winter 2023</a></li>
<li><a href="#t3" onclick="document.getElementById('o').textContent='opened rome'">Rome, summer 2022</a></li>
</ul>
<p id="o"></p></body></html>
EOF
task() {   # task NAME INTENT TIMEOUT_MS: open the trip INTENT names
  cat >"$T_TMP/$1.json" <<EOF
{"schema_version":1,"name":"$1","steps":[{"goto":"$BASE/trips.html"},
 {"click":"$2","timeout_ms":$3},{"assert":{"text":"opened lisbon"},"timeout_ms":1000}]}
EOF
}
task weak "our Portuguese spring break" 8000
task weak2 "our Portuguese spring break" 2000
task none "the checkout button" 1500

# ---- without an LLM ---------------------------------------------------------
run "$CDPILOT" run "$T_TMP/weak2.json" --no-cache --no-llm --json
expect_rc 4 "weak candidates without an LLM: exit 4 (uncertain), not not-found"
expect_true "  the step's class is uncertain, its best candidate weak" test "$(py_json '(r["steps"][1]["error_class"], r["steps"][1]["top_candidates"][0]["score"] < 0.6)')" = "('uncertain', True)"
expect_err 'candidates' "  the error points at the candidates"
expect_true "  the candidates are listed, the Lisbon link among them" test "$(py_json 'any("Lisbon" in c["candidate"] for c in r["steps"][1]["top_candidates"])')" = True
expect_true "  nothing was clicked" test "$(py_json 'all(s["status"] != "passed" for s in r["steps"][2:])')" = True

# ---- with an LLM --------------------------------------------------------------
fake '[{"pick_containing": "Lisbon", "confidence": 0.9}]'
run llm "$CDPILOT" run "$T_TMP/weak.json" --cache "$T_TMP/c.db" --json
expect_rc 0 "weak candidates with an LLM: it picks, the click is the right one"
expect_true "  one LLM call" test "$(calls)" = 1
expect_true "  the step's source is llm" test "$(py_json 'r["steps"][1]["source"]')" = llm
expect_true "  the prompt listed the weak candidate" grep -q 'Lisbon, spring 2024' "$LLM_LOG"
expect_true "  no wait for the step's 8 s timeout (the choice settled, then asked)" test "$(py_json 'r["steps"][1]["duration_ms"] < 7000')" = True
run llm "$CDPILOT" run "$T_TMP/weak.json" --cache "$T_TMP/c.db" --json
expect_rc 0 "the next run passes"
expect_true "  from the cache, no second call" test "$(py_json 'r["steps"][1]["source"]'),$(calls)" = "cache,1"

# The answer is checked as for any uncertain target.
fake '[{"candidate": 1, "confidence": 0.2}]'
run llm "$CDPILOT" run "$T_TMP/weak.json" --no-cache --json
expect_rc 4 "a weak pick the LLM is unsure of is refused: exit 4"
expect_err 'below llm.min_confidence' "  the refusal says why"
fake '[{"candidate": null}]'
run llm "$CDPILOT" run "$T_TMP/weak.json" --no-cache --json
expect_rc 4 "the LLM says none fits: exit 4"
expect_true "  nothing was clicked" test "$(py_json 'all(s["status"] != "passed" for s in r["steps"][2:])')" = True

# ---- nothing at all: not found, no LLM call -----------------------------------
fake '[{"candidate": 1, "confidence": 0.9}]'
run llm "$CDPILOT" run "$T_TMP/none.json" --no-cache --json
expect_rc 1 "no candidate at all: not found (exit 1)"
expect_true "  the step's class is not-found" test "$(py_json 'r["steps"][1]["error_class"]')" = not-found
expect_true "  the LLM was not asked" test "$(calls)" = 0

# ---- the form is there but not shown yet -------------------------------------
# As an app whose scripts show its login form a moment after the load
# event: while hidden, "Password" scores low and unsure; it is waited for.
cat >"$site/login.html" <<'EOF'
<!doctype html><html><head><title>Sign in</title></head><body>
<div id="site" style="display:none"><h1>Sign in</h1>
<label for="pw"><strong>Password:</strong></label> <input type="password" id="pw">
<button type="button" onclick="document.getElementById('o').textContent='signed in: '+document.getElementById('pw').value.length">Log in</button>
</div><p id="o"></p>
<script>setTimeout(function () { document.getElementById('site').style.display = ''; }, 1500)</script>
</body></html>
EOF
cat >"$T_TMP/login.json" <<EOF
{"schema_version":1,"name":"login","steps":[{"goto":"$BASE/login.html"},
 {"fill":"Password","value":"secret"},{"click":"Log in"},
 {"assert":{"text":"signed in: 6"},"timeout_ms":1000}]}
EOF
run "$CDPILOT" run "$T_TMP/login.json" --no-cache --no-llm --json
expect_rc 0 "a form shown after the load: its field is waited for, not uncertain at once"
expect_true "  found by the heuristics once shown" test "$(py_json 'r["steps"][1]["source"]')" = heuristic
fake '[{"candidate": 1, "confidence": 0.9}]'
run llm "$CDPILOT" run "$T_TMP/login.json" --no-cache --json
expect_rc 0 "the same with an LLM configured"
expect_true "  and no LLM call" test "$(calls)" = 0

if grep -q -- "$KEY" <<<"$OUT$ERR"; then nok "the key appears in no output"; else ok "the key appears in no output"; fi
kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null
done_testing
