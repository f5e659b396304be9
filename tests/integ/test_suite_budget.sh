#!/usr/bin/env bash
# A smoke suite's LLM budget (--llm-max-calls, --llm-max-cost), kept in
# the cache under the suite id so that it holds across smoke's -j
# children and across shards on one machine that share the cache and
# --suite-id. Every task needs one LLM call (three equal "Delete"
# buttons on a page of its own, so that no cache entry serves another);
# the scripted fake provider counts the requests that reached it.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
site="$T_TMP/site" D="$T_TMP/tasks" LLM_LOG="$T_TMP/llm.log"
mkdir -p "$site" "$D"
for n in $(seq -w 1 12); do
  { printf '<!doctype html><html><head><title>T%s</title></head><body><table>' "$n"
    for who in Alice Bob Carol; do
      printf '<tr><td>%s</td><td><button type="button" onclick="document.getElementById(\x27o\x27).textContent=\x27Deleted %s\x27">Delete</button></td></tr>' "$who" "$who"
    done
    printf '</table><p id="o">3 users</p></body></html>'; } >"$site/t$n.html"
  d=a; (( 10#$n > 6 )) && d=b
  mkdir -p "$D/$d"
  printf '{"schema_version":1,"name":"needs llm %s","steps":[{"goto":"${base}/t%s.html"},{"click":"Delete"},{"assert":{"text":"Deleted"}}]}\n' \
    "$n" "$n" >"$D/$d/t$n.json"
done
echo '[]' >"$T_TMP/script.json"
python3 tests/fake_llm.py --port 0 --script "$T_TMP/script.json" --log "$LLM_LOG" \
  >"$T_TMP/fake.url" 2>"$T_TMP/fake.err" &
for _ in $(seq 100); do [[ -s "$T_TMP/fake.url" ]] && break; sleep 0.05; done
LLM_URL=$(head -n 1 "$T_TMP/fake.url")
[[ -n "$LLM_URL" ]] || { nok "fake provider starts" "$(cat "$T_TMP/fake.err")"; done_testing; }
echo '{"extends":"default","llm":{"price_prompt_per_1k":1.0,"price_completion_per_1k":2.0}}' >"$T_TMP/prof.json"
calls() { if [[ -f $LLM_LOG ]]; then wc -l <"$LLM_LOG"; else echo 0; fi; }
smoke() {
  run env SMOKE_TEST_TAG="$T_TMP" CDPILOT_LLM_URL="$LLM_URL" CDPILOT_LLM_MODEL=fake-1 \
    "$CDPILOT" smoke --serve "$site" --profile "$T_TMP/prof.json" "$@"
}

# ---- usage ---------------------------------------------------------------------
for bad in "--llm-max-calls -1" "--llm-max-calls x" "--llm-max-cost abc" \
           "--llm-max-cost -0.5" "--suite-id a/b" "--suite-id="; do
  smoke "$D/a" $bad
  expect_rc 2 "smoke $bad: exit 2"
  expect_true "smoke $bad: one line naming the option" test \
    "$(wc -l <<<"$ERR")" -eq 1 -a "$(grep -c -- "${bad%%[ =]*}" <<<"$ERR")" -eq 1
done
smoke "$D/a" --llm-max-calls 3 --no-cache
expect_rc 2 "a suite budget without the cache: exit 2"
run "$CDPILOT" run "$D/a/t01.json" --llm-max-cost nope
expect_rc 2 "run --llm-max-cost nope: exit 2"

# ---- 6 tasks, -j 2, a budget of 3 calls ----------------------------------------
smoke "$D/a" -j 2 --llm-max-calls 3 --cache "$T_TMP/c1.db" --json --junit "$T_TMP/j1.xml"
cp "$T_TMP/out" "$T_TMP/r1.json"
expect_rc 4 "budget spent: exit 4"
expect_true "exactly 3 LLM requests across the -j 2 children (got $(calls))" test "$(calls)" -eq 3
expect_err '^smoke: 3 passed, 3 failed, 0 flaky in [0-9.]+ s; LLM 3 calls, [0-9]+ tokens, cost [0-9.]+ \(suite smoke-' \
  "summary line: 3 passed, 3 failed, the suite's LLM calls, tokens and cost"
expect_true "the 3 refused say 'LLM budget spent'" test \
  "$(py "$T_TMP/r1.json" 'sum("LLM budget spent" in json.dumps(x) for x in j["tasks"] if x["exit_code"] == 4)')" = 3
expect_true "--json: llm calls 3, cap 3, tokens and cost > 0" test \
  "$(py "$T_TMP/r1.json" '(j["llm"]["calls"], j["llm"]["max_calls"], j["llm"]["tokens"] > 0, j["llm"]["cost"] > 0)')" = "(3, 3, True, True)"
expect_true "the cache's suite row holds the same" test \
  "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select sum(calls) from suite_budgets").fetchone()[0])' "$T_TMP/c1.db")" = 3
expect_true "no browser or child left behind" test "$(leftovers)" -eq 0

# ---- two shards on one machine, one --suite-id, a budget of 4 -------------------
: >"$LLM_LOG"
for i in 1 2; do
  smoke "$D" --shard "$i/2" -j 2 --llm-max-calls 4 --suite-id ci-42 --cache "$T_TMP/c2.db" \
    --json &
  wait $!
  cp "$T_TMP/out" "$T_TMP/s$i.json"
done
expect_true "two shards sharing the id: 4 LLM requests in all (got $(calls))" test "$(calls)" -eq 4
expect_true "each shard reports the shared spend" test \
  "$(py "$T_TMP/s2.json" '(j["llm"]["suite"], j["llm"]["calls"])')" = "('ci-42', 4)"
run "$CDPILOT" smoke-merge --no-cache "$T_TMP/s1.json" "$T_TMP/s2.json" --json -
expect_rc 4 "merge: exit 4"
expect_err '; LLM 4 calls, [0-9]+ tokens' "merge summary: the suite's 4 calls, counted once"
expect_true "merged --json: 4 calls, 8 passed" test "$(py_json '(r["llm"]["calls"], r["passed"], r["failed"])')" = "(4, 4, 8)"

# ---- the cost cap: each call costs > 0, a cap of 0.0001 allows one ---------------
: >"$LLM_LOG"
smoke "$D/b" -j 2 --llm-max-cost 0.0001 --cache "$T_TMP/c3.db"
expect_rc 4 "cost cap: exit 4"
expect_true "cost cap: one request, then spent (got $(calls))" test "$(calls)" -eq 1

# ---- run: the caps of one run ---------------------------------------------------
serve "$site"
: >"$LLM_LOG"
run env CDPILOT_LLM_URL="$LLM_URL" CDPILOT_LLM_MODEL=fake-1 "$CDPILOT" run \
  "$D/b/t12.json" --var base="$BASE" --llm-max-calls 0 --no-cache
expect_rc 4 "run --llm-max-calls 0: exit 4 before any request"
expect_err 'LLM call budget spent' "run --llm-max-calls 0: says the budget is spent"
expect_true "run --llm-max-calls 0: no request" test "$(calls)" -eq 0
run env CDPILOT_LLM_URL="$LLM_URL" CDPILOT_LLM_MODEL=fake-1 "$CDPILOT" run \
  "$D/b/t12.json" --var base="$BASE" --llm-max-calls 1 --no-cache
expect_rc 0 "run --llm-max-calls 1: one call is enough"
expect_true "run --llm-max-calls 1: one request" test "$(calls)" -eq 1
expect_true "no browser or child left behind" test "$(leftovers)" -eq 0
done_testing
