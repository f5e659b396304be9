#!/usr/bin/env bash
# `cdpilot smoke` over 20 generated tasks while the LLM provider (the
# scripted fake) fails in every way docs/LLM.md lists: 429/503 with
# Retry-After, 500/502, 401, 404, a hang and a reply past the deadline, a
# closed socket, a non-JSON body, garbage, a null, an out-of-range
# or a string candidate, a low-confidence pick, the circuit breaker.
# The run finishes, with exit 4; every failed escalation is reported with
# its class and reason (stderr, JUnit, --json); tasks needing no LLM pass;
# the key appears nowhere; no browser is left; the cache stays a sound
# SQLite file holding no entry for a failed LLM resolution.
#
# Each task puts a marker in its page URL (table.html?fault=NN), which the
# prompt carries, and the fake serves each marker from its own list: the
# outcome of every task is fixed even though -j 2 interleaves requests.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
KEY="sk-test-DO-NOT-LEAK-smoke-7319"
D="$T_TMP/tasks" DB="$T_TMP/smoke-llm.db" TR="$T_TMP/trace"
J="$T_TMP/report.json" X="$T_TMP/junit.xml" LLM_LOG="$T_TMP/llm.log"
mkdir -p "$D"

# ---- the tasks ----------------------------------------------------------------
# task FILE NAME STEPS_JSON: one task file with a ${base} default.
task() {
  printf '{"schema_version":1,"name":"%s","vars":{"base":"http://127.0.0.1:8080"},\n "steps":[%s]}\n' \
    "$2" "$3" >"$D/$1.json"
}
# One required escalated step: "Delete" matches three equal buttons.
del() { task "f$1" "fault $1 $2" '{"goto":"${base}/table.html?fault='"$1"'"},
  {"click":"Delete"},{"assert":{"text":"Deleted"}}'; }
del 01 "429 retry-after"
del 02 "500"
del 03 "401"
del 04 "hang"
del 05 "closed socket"
del 06 "non-JSON body"
del 07 "garbage content"
del 08 "null candidate"
del 09 "out-of-range candidate"
del 10 "reply past the deadline"
del 11 "503 then 502"
del 12 "404"
del 13 "string candidate"
# Three optional escalations: two failed calls open the breaker, the third
# is refused without a request; the task itself passes (nothing deleted).
task f14 "fault 14 breaker" '{"goto":"${base}/table.html?fault=14"},
  {"click":"Delete","optional":true},{"click":"Delete","optional":true},
  {"click":"Delete","optional":true},{"assert":{"text":"3 users"}}'
# The model picks a listed candidate but says it is unsure (0.05): refused
# (llm.min_confidence), nothing clicked, nothing cached.
task f15 "fault 15 low confidence" '{"goto":"${base}/table.html?fault=15"},
  {"click":"Delete user"},{"assert":{"text":"Deleted"}}'
# Recovered by a retry: 429 (Retry-After 1) then an answer; a closed
# socket then an answer. Other intents than "Delete", so that their cache
# entries cannot serve the failing tasks.
task f16 "fault 16 429 then ok" '{"goto":"${base}/table.html?fault=16"},
  {"click":"Delete button"},{"assert":{"text":"Deleted Carol"}}'
task f17 "fault 17 close then ok" '{"goto":"${base}/table.html?fault=17"},
  {"click":"Delete row"},{"assert":{"text":"Deleted Alice"}}'
# No LLM needed: confident plain words, and explicit selectors.
task n18 "no llm: plain words login" '{"goto":"${base}/login.html?fault=18"},
  {"fill":"Email","value":"alice@example.com"},{"fill":"Password","value":"pw"},
  {"click":"Sign in"},{"wait_for":{"url":"home\\.html"}}'
task n19 "no llm: explicit delete" '{"goto":"${base}/table.html?fault=19"},
  {"click":"css=tr[data-user=bob] button.del"},{"assert":{"text":"Deleted Bob"}}'
task n20 "no llm: balance" '{"goto":"${base}/home.html?fault=20"},
  {"extract":"css=#balance","as":"b"},{"assert":{"js":"'"'"'${b}'"'"' === '"'"'$42.00'"'"'"}}'
expect_true "20 task files generated" test "$(ls "$D"/*.json | wc -l)" -eq 20

# ---- the fake provider ------------------------------------------------------
cat >"$T_TMP/script.json" <<'EOF'
{"fault=01": [{"status": 429, "retry_after": 1}],
 "fault=02": [{"status": 500, "echo_auth": true}],
 "fault=03": [{"status": 401, "echo_auth": true}],
 "fault=04": [{"hang": true}],
 "fault=05": [{"close": true}],
 "fault=06": [{"invalid_json_body": true}],
 "fault=07": [{"content": "garbage"}],
 "fault=08": [{"candidate": null, "confidence": 0.3}],
 "fault=09": [{"candidate": 99, "confidence": 0.99}],
 "fault=10": [{"delay_ms": 6000, "candidate": 1, "confidence": 0.9}],
 "fault=11": [{"status": 503, "retry_after": 1}, {"status": 502}],
 "fault=12": [{"status": 404, "echo_auth": true}],
 "fault=13": [{"content": "{\"candidate\": \"2\", \"confidence\": 0.9}"}],
 "fault=14": [{"status": 500}],
 "fault=15": [{"candidate": 2, "confidence": 0.05}],
 "fault=16": [{"status": 429, "retry_after": 1}, {"pick_containing": "Carol"}],
 "fault=17": [{"close": true}, {"pick_containing": "Alice"}],
 "": [{"status": 500, "message": "no route for this request"}]}
EOF
python3 tests/fake_llm.py --port 0 --script "$T_TMP/script.json" --log "$LLM_LOG" \
  --expect-key "$KEY" >"$T_TMP/fake.url" 2>"$T_TMP/fake.err" & FAKE_PID=$!
for _ in $(seq 100); do [[ -s "$T_TMP/fake.url" ]] && break; sleep 0.05; done
LLM_URL=$(head -n 1 "$T_TMP/fake.url")
[[ -n "$LLM_URL" ]] || { nok "fake provider starts" "$(cat "$T_TMP/fake.err")"; done_testing; }
# Short deadline, one retry, breaker after two failed calls.
echo '{"extends":"default","llm":{"timeout_ms":3000,"retries":1,"breaker_after":2}}' >"$T_TMP/prof.json"


# ---- the run ------------------------------------------------------------------
# A generous upper bound, only so that a hang fails the test instead of
# the suite's timeout (a normal run takes a minute or two).
limit=$(( ${TEST_TIMEOUT:-600} - 90 ))
run env SMOKE_TEST_TAG="$T_TMP" CDPILOT_LLM_URL="$LLM_URL" CDPILOT_LLM_MODEL=fake-1 \
  CDPILOT_LLM_API_KEY="$KEY" timeout -k 10 "$limit" "$CDPILOT" smoke "$D" \
  --serve tests/fixtures/site -j 2 --profile "$T_TMP/prof.json" --cache "$DB" \
  --junit "$X" --trace "$TR" --json
cp "$T_TMP/out" "$J"
[[ $RC -ne 124 && $RC -ne 137 ]] && ok "smoke finishes (no hang)" || nok "smoke finishes (no hang)" "killed by timeout after $limit s"
expect_rc 4 "exit 4: a target needed an LLM that failed (outranks step failures)"
expect_err '^smoke: 6 passed, 14 failed, 0 flaky in [0-9.]+ s; LLM [1-9][0-9]* calls?, [0-9]+ tokens, cost [0-9.]+$' \
  "summary: 6 passed, 14 failed, 0 flaky, and the suite's LLM calls, tokens and cost"
expect_true "summary line last" grep -qE '^smoke: ' <<<"$(tail -n 1 <<<"$ERR")"
expect_true "one FAIL line per failed task" test "$(grep -c '^FAIL  ' <<<"$ERR")" -eq 14
expect_true "no browser or child left behind" test "$(leftovers)" -eq 0

# --json: totals, then each task
expect_true "json: parses; counts add up to 20" test "$(py "$J" 'j["passed"] + j["failed"] + j["flaky"] + j["skipped"]')" = 20
expect_true "json: exit_code 4, status failed" test "$(py "$J" '(j["exit_code"], j["status"])')" = "(4, 'failed')"
expect_true "json: 20 task entries" test "$(py "$J" 'len(j["tasks"])')" = 20
# check NN CLASS REGEX: task fNN failed with exit 4 at step 2, whose
# error_class is CLASS and whose error matches REGEX; the step names the
# model and is not reported as acted on.
check() {
  local got
  got=$(py "$J" "(lambda s: [t['f$1']['status'], t['f$1']['exit_code'], s['status'], s['error_class'], s['source'], s['llm']['model'], s['error']])(t['f$1']['steps'][1])" 2>&1)
  if [[ "$got" == "['failed', 4, 'failed', '$2', None, 'fake-1', "* ]] && grep -qE -- "$3" <<<"$got"; then
    ok "fault $1: step 2 reported as $2: /$3/"
  else nok "fault $1: step 2 reported as $2: /$3/" "got: $got"; fi
}
check 01 llm 'uncertain and the LLM failed: HTTP 429 from provider'
check 02 llm 'the LLM failed: HTTP 500 from provider'
check 03 llm 'the LLM failed: 401 from provider: check CDPILOT_LLM_API_KEY'
check 04 llm 'the LLM failed: LLM request to .* timed out after 3000 ms'
check 05 llm 'the LLM failed: LLM request to .*connection'
check 06 llm 'the LLM failed: .*not JSON'
check 07 llm 'the LLM failed: LLM answer rejected: .*not a JSON object'
check 08 uncertain 'the LLM found no match'
check 09 llm 'the LLM failed: LLM answer rejected: candidate 99 out of range 1\.\.3'
check 10 llm 'the LLM failed: LLM request to .* timed out after 3000 ms'
check 11 llm 'the LLM failed: HTTP 502 from provider'
check 12 llm 'the LLM failed: 404 from provider'
check 13 llm 'the LLM failed: LLM answer rejected'
check 15 uncertain 'uncertain and so is the LLM: it chose .* with confidence 0\.05, below llm\.min_confidence 0\.50'
expect_true "json: failed tasks carry error_class and error" test "$(py "$J" 'sorted({t[k]["error_class"] for k in t if t[k]["status"] == "failed"})')" = "['llm', 'uncertain']"
expect_true "json: no step ran after a failed escalation" test "$(py "$J" 'all(s["status"] == "skipped" for k in t if t[k]["status"] == "failed" for s in t[k]["steps"][2:])')" = True
expect_true "breaker: task passes, its three escalations failed-optional" test "$(py "$J" '[t["f14"]["status"]] + [s["status"] for s in t["f14"]["steps"]]')" = "['passed', 'passed', 'failed-optional', 'failed-optional', 'failed-optional', 'passed']"
expect_true "breaker: escalations 1-2 failed with HTTP 500" test "$(py "$J" 'all("HTTP 500" in s["error"] and s["error_class"] == "llm" for s in t["f14"]["steps"][1:3])')" = True
expect_true "breaker: escalation 3 refused by the open breaker" grep -q 'circuit breaker open' <<<"$(py "$J" 't["f14"]["steps"][3]["error"]')"
expect_true "low confidence: refused, no source, the assert never ran" test "$(py "$J" '(t["f15"]["status"], t["f15"]["steps"][1]["source"], [s["kind"] for s in t["f15"]["steps"]].count("assert"))')" = "('failed', None, 0)"
expect_true "429 then ok: passes through the LLM after a retry" test "$(py "$J" '(t["f16"]["status"], t["f16"]["steps"][1]["source"])')" = "('passed', 'llm')"
expect_true "close then ok: passes through the LLM after a retry" test "$(py "$J" '(t["f17"]["status"], t["f17"]["steps"][1]["source"])')" = "('passed', 'llm')"
expect_true "tasks needing no LLM pass" test "$(py "$J" '[t[k]["status"] for k in ("n18", "n19", "n20")]')" = "['passed', 'passed', 'passed']"
expect_true "plain words without the LLM: source heuristic" test "$(py "$J" '{s["source"] for s in t["n18"]["steps"][1:4]}')" = "{'heuristic'}"
expect_true "json: run totals count the LLM calls of each task" test "$(py "$J" '(t["f03"]["llm"]["calls"], t["n19"]["llm"]["calls"])')" = "(1, 0)"

# The provider's side: what was asked, per task
expect_true "provider log: every request routed to a task" test "$(py "$LLM_LOG" 'routes.count(None)')" = 0
expect_true "provider log: every request carried the right key" test "$(py "$LLM_LOG" 'all(r["auth_ok"] for r in log)')" = True
expect_true "429 / 500 / hang / close / past deadline / 503: retried once" test "$(py "$LLM_LOG" '[routes.count("fault=%s" % n) for n in ("01", "02", "04", "05", "10", "11")]')" = "[2, 2, 2, 2, 2, 2]"
expect_true "401 / 404 / bad answers: not retried" test "$(py "$LLM_LOG" '[routes.count("fault=%s" % n) for n in ("03", "06", "07", "08", "09", "12", "13")]')" = "[1, 1, 1, 1, 1, 1, 1]"
expect_true "breaker: 2 calls x 2 attempts, then no request" test "$(py "$LLM_LOG" 'routes.count("fault=14")')" = 4
expect_true "tasks needing no LLM: no request" test "$(py "$LLM_LOG" '[routes.count("fault=%s" % n) for n in ("18", "19", "20")]')" = "[0, 0, 0]"

# JUnit
expect_true "junit: parses; 20 tests, 14 failures, 0 errors" test "$(py "$X" '[x.find("testsuite").get(k) for k in ("tests", "failures", "errors", "skipped")]')" = "['20', '14', '0', '0']"
expect_true "junit: every task is a testcase" test "$(py "$X" 'len(cases)')" = 20
expect_true "junit: failure types are the LLM classes" test "$(py "$X" 'sorted({c.find("failure").get("type") for c in cases.values() if c.find("failure") is not None})')" = "['llm', 'uncertain']"
expect_true "junit: 401 failure message names step, class and reason" grep -q '^step 2 (click "Delete"): llm: "Delete" is uncertain and the LLM failed: 401 from provider' <<<"$(py "$X" 'cases["fault 03 401"].find("failure").get("message")')"
expect_true "junit: hang failure message has the deadline" grep -q 'timed out after 3000 ms' <<<"$(py "$X" 'cases["fault 04 hang"].find("failure").get("message")')"
expect_true "junit: passing tasks have no failure" test "$(py "$X" '[cases[n].find("failure") for n in ("fault 14 breaker", "no llm: plain words login", "no llm: explicit delete", "no llm: balance")]')" = "[None, None, None, None]"

# stderr names each failure's reason
for pat in 'HTTP 429 from provider' 'timed out after 3000 ms' 'connection failed' 'not JSON' \
           'candidate 99 out of range' 'found no match' '404 from provider'; do
  expect_err "$pat" "stderr: a failed escalation says \"$pat\""
done

# The key: never in any output, report, trace or the cache (the provider
# echoed it back in its 500 and 404 error texts).
leaks=$(grep -rlaF -- "$KEY" "$T_TMP/out" "$T_TMP/err" "$J" "$X" "$TR" "$DB"* 2>/dev/null)
[[ -z "$leaks" ]] && ok "the API key appears in no output, JSON, JUnit, trace or cache" \
  || nok "the API key appears in no output, JSON, JUnit, trace or cache" "found in: $leaks"
expect_true "the echoed key was redacted" grep -q 'redacted' <<<"$(py "$J" 't["f12"]["steps"][1]["error"]')"
expect_true "traces written for every task" test "$(ls -d "$TR"/*/ | wc -l)" -eq 20

# The cache: sound, and no entry for a failed LLM resolution
expect_true "cache: integrity_check ok" test "$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)" = ok
expect_true "cache: no entry for the failed intent \"Delete\"" test "$(sqlite3 "$DB" "SELECT count(*) FROM entries WHERE intent = 'delete'")" = 0
expect_true "cache: LLM entries only for the resolutions that worked" test "$(sqlite3 "$DB" "SELECT group_concat(intent, ',') FROM (SELECT intent FROM entries WHERE source = 'llm' ORDER BY intent)")" = "delete button,delete row"
expect_true "cache: heuristic entries for the plain-words login" test "$(sqlite3 "$DB" "SELECT count(*) FROM entries WHERE source = 'heuristic' AND route LIKE '%login%'")" -ge 3

kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null
done_testing
