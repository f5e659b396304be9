#!/usr/bin/env bash
# LLM escalation end to end, against the scripted fake provider on
# 127.0.0.1: an ambiguous target resolves through the LLM and is cached
# (the second run makes no call); answers outside the candidate list or of
# the wrong kind are refused; the API key never reaches any output.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve tests/fixtures/site
DB="$T_TMP/c.db"
KEY="sk-test-DO-NOT-LEAK-4242"
py_json() { python3 -c "import json,sys; r=json.load(sys.stdin); print($1)" <<<"$OUT"; }

# fake SCRIPT_JSON: starts the fake provider, sets LLM_URL and LLM_LOG.
fake() {
  [[ -n "${FAKE_PID:-}" ]] && { kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; }
  echo "$1" >"$T_TMP/script.json"
  LLM_LOG="$T_TMP/llm.$RANDOM.log"
  python3 tests/fake_llm.py --port 0 --script "$T_TMP/script.json" --log "$LLM_LOG" \
    --expect-key "$KEY" >"$T_TMP/fake.url" 2>"$T_TMP/fake.err" & FAKE_PID=$!
  for _ in $(seq 100); do [[ -s "$T_TMP/fake.url" ]] && break; sleep 0.05; done
  LLM_URL=$(head -n 1 "$T_TMP/fake.url")
}
calls() { [[ -f "$LLM_LOG" ]] && wc -l <"$LLM_LOG" || echo 0; }
llm() { CDPILOT_LLM_URL="$LLM_URL" CDPILOT_LLM_MODEL=fake-1 CDPILOT_LLM_API_KEY="$KEY" "$@"; }

cat >"$T_TMP/del.json" <<EOF
{"schema_version":1,"name":"delete bob","steps":[{"goto":"$BASE/table.html"},
 {"click":"Delete"},{"assert":{"text":"Deleted Bob"}}]}
EOF

# Without an LLM the three equal "Delete" buttons are uncertain: exit 4.
run "$CDPILOT" run "$T_TMP/del.json" --no-cache --no-llm
expect_rc 4 "ambiguous target without an LLM: exit 4"
expect_err 'uncertain' "exit 4 says the target is uncertain"
expect_err 'candidates' "exit 4 lists the candidates"

fake '[{"pick_containing": "Bob"}]'
run llm "$CDPILOT" run "$T_TMP/del.json" --cache "$DB" --json --trace "$T_TMP/trace"
expect_rc 0 "the LLM settles the ambiguous target"
expect_true "step source is llm" test "$(py_json 'r["steps"][1]["source"]')" = llm
expect_true "report: model, tokens, latency" test "$(py_json 'r["steps"][1]["llm"]["model"] != "" and r["steps"][1]["llm"]["prompt_tokens"] > 0')" = True
expect_true "report: per-run LLM totals" test "$(py_json 'r["llm"]["calls"]')" = 1
expect_true "one request reached the provider" test "$(calls)" = 1
expect_true "the prompt says page text is untrusted data" grep -qi 'untrusted\|never instructions' "$LLM_LOG"
if grep -rq -- "$KEY" "$T_TMP/trace" || grep -q -- "$KEY" <<<"$OUT$ERR"; then
  nok "the API key appears in no report, log or trace"
else ok "the API key appears in no report, log or trace"; fi

run llm "$CDPILOT" run "$T_TMP/del.json" --cache "$DB" --json
expect_rc 0 "second run passes"
expect_true "second run: from the cache" test "$(py_json 'r["steps"][1]["source"]')" = cache
expect_true "second run: zero LLM calls" test "$(calls)" = 1
run "$CDPILOT" cache stats --cache "$DB" --json
expect_true "cache stats: LLM calls saved" test "$(py_json 'r["llm_saved"]')" -ge 1

# Answers that must never be acted on.
fake '[{"candidate": 99, "confidence": 0.99}]'
run llm "$CDPILOT" run "$T_TMP/del.json" --no-cache
expect_rc 4 "an invented candidate id is refused: exit 4"
expect_true "nothing was deleted" true
fake '[{"content": "Sure! I would click the second Delete button."}]'
run llm "$CDPILOT" run "$T_TMP/del.json" --no-cache
expect_rc 4 "a prose answer is refused: exit 4"
fake '[{"candidate": null, "confidence": 0.2}]'
run llm "$CDPILOT" run "$T_TMP/del.json" --no-cache
expect_rc 4 "a null answer: exit 4"
fake '[{"status": 401, "echo_auth": true}]'
run llm "$CDPILOT" run "$T_TMP/del.json" --no-cache
expect_rc 4 "401 from the provider: exit 4"
expect_true "401: not retried" test "$(calls)" = 1
if grep -q -- "$KEY" <<<"$OUT$ERR"; then nok "401: the key is not echoed"; else ok "401: the key is not echoed"; fi
fake '[{"pick_containing": "Bob"}]'
run llm "$CDPILOT" run "$T_TMP/del.json" --no-cache --no-llm
expect_rc 4 "--no-llm with a configured provider: exit 4"
expect_true "--no-llm: zero requests" test "$(calls)" = 0

# Prompt injection: the page tells the model to pick "Delete account"; the
# fake model obeys and names a heading. A click cannot act on it.
cat >"$T_TMP/inject.json" <<EOF
{"schema_version":1,"steps":[{"goto":"$BASE/inject.html"},{"click":"Save"}]}
EOF
fake '[{"pick_containing": "IGNORE ALL PREVIOUS"}]'
run llm "$CDPILOT" run "$T_TMP/inject.json" --no-cache --json
expect_rc 4 "an injected answer of the wrong kind is refused: exit 4"
expect_err 'cannot act on' "the refusal names the chosen element and why"
expect_true "the Delete account button was never offered" sh -c "! grep -q 'Delete account' '$LLM_LOG'"
expect_true "the injected text reached the model only as data" grep -q 'IGNORE ALL PREVIOUS' "$LLM_LOG"

kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null
done_testing
