#!/usr/bin/env bash
# A goto to a tarpit (a server on 127.0.0.1 that accepts and never
# answers) ends at --timeout, unless the profile's timeouts.navigation_ms
# or the step's own timeout_ms sets the bound; real Chromium.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
C=(--no-cache --no-llm)

start_tarpit 300
URL="http://127.0.0.1:$TARPIT_PORT/"

# tarpit NAME OPTS...: runs `do URL` (the goto alone) with --json; sets
# $SECS (wall clock, 0.1 s) and $MS (the step's duration_ms).
tarpit() {
  local name=$1 t0; shift
  t0=$(date +%s%N)
  run timeout 60 "$CDPILOT" do "$URL" --json "${C[@]}" "$@"
  SECS=$(( ($(date +%s%N) - t0) / 100000000 )); SECS="$((SECS / 10)).$((SECS % 10))"
  MS=$(py_json 'r["steps"][0]["duration_ms"]' 2>/dev/null || echo none)
  echo "# $name: goto failed after $MS ms, the run after $SECS s"
}
# within LO HI: the goto's duration_ms is in [LO, HI).
within() { [[ "$MS" =~ ^[0-9]+$ ]] && (( MS >= $1 && MS < $2 )); }

tarpit "--timeout 1500" --timeout 1500
expect_rc 1 "tarpit goto with --timeout 1500: exit 1"
expect_err 'FAIL .*step 1/1 \(goto' "the FAIL line names the goto step"
expect_err 'timed out|did not finish loading' "the error says the page did not load"
expect_true "the goto ends at --timeout ($MS ms)" within 1500 5000
expect_true "... and so does the run ($SECS s)" test "${SECS%.*}" -lt 20

printf '{"timeouts": {"navigation_ms": 3000}}' >"$T_TMP/nav3.json"
tarpit "navigation_ms 3000, --timeout 1000" --profile "$T_TMP/nav3.json" --timeout 1000
expect_rc 1 "a profile's navigation_ms: exit 1"
expect_true "the profile's navigation_ms wins over --timeout ($MS ms)" within 3000 6500

printf '{"timeouts": {"navigation_ms": null}}' >"$T_TMP/navnull.json"
tarpit "navigation_ms null, --timeout 1000" --profile "$T_TMP/navnull.json" --timeout 1000
expect_rc 1 "navigation_ms null is accepted: exit 1, not 2"
expect_true "with navigation_ms null, --timeout bounds the goto ($MS ms)" within 1000 4500

printf '{"schema_version":1,"steps":[{"goto":"%s","timeout_ms":1200}]}' "$URL" >"$T_TMP/own.json"
t0=$(date +%s%N)
run timeout 60 "$CDPILOT" run "$T_TMP/own.json" --profile "$T_TMP/nav3.json" --timeout 20000 --json "${C[@]}"
MS=$(py_json 'r["steps"][0]["duration_ms"]' 2>/dev/null || echo none)
echo "# step timeout_ms 1200: goto failed after $MS ms"
expect_rc 1 "a goto's own timeout_ms: exit 1"
expect_true "the step's timeout_ms wins over both ($MS ms)" within 1200 4700

printf '{"timeouts": {"navigation_ms": "slow"}}' >"$T_TMP/navbad.json"
run "$CDPILOT" do "$URL" --profile "$T_TMP/navbad.json" "${C[@]}"
expect_rc 2 "a bad navigation_ms: exit 2"
expect_err 'navbad.json: field "timeouts.navigation_ms": expected an integer 1..600000 or null, got a string' \
  "the error names the file and the field"

kill $TARPIT_PID 2>/dev/null; wait $TARPIT_PID 2>/dev/null
done_testing
