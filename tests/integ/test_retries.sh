#!/usr/bin/env bash
# Step retries honour "idempotent": false (a step that may have acted is
# never done twice; one that failed before acting is retried), and every
# retry waits a capped exponential backoff with jitter: steps (profile
# retries.backoff_ms) and smoke's task reruns alike.
source "$(dirname "$0")/lib.sh"
serve_site
cat >"$site/go.html" <<EOF
<!doctype html><title>go</title>
<button id=go onclick="localStorage.n = (+localStorage.n || 0) + 1; location.href = 'slow.html'">Go</button>
<button id=late hidden onclick="document.title = 'late clicked'">Late</button>
<script>setTimeout(() => document.getElementById('late').hidden = false, 1200)</script>
EOF
cat >"$T_TMP/p.json" <<'EOF'
{"timeouts": {"step_ms": 400, "navigation_ms": 1000},
 "retries": {"count": 2, "backoff_ms": 100}}
EOF
task() {  # NAME IDEMPOTENT STEP-JSON
  printf '{"schema_version":1,"steps":[{"goto":"%s/go.html"},%s]}' "$BASE" "$3" \
    >"$T_TMP/$1.json"
  run "$CDPILOT" run "$T_TMP/$1.json" --profile "$T_TMP/p.json" --no-llm \
    --no-cache --json
}
task once false '{"eval":"localStorage.n = (+localStorage.n || 0) + 1; throw new Error(\"boom \" + localStorage.n)","idempotent":false}'
expect_rc 1 "idempotent:false eval that acted, then threw: exit 1"
expect_true "... attempted once, never twice" test "$(py_json 'r["steps"][1]["attempts"]')" = 1
expect_err 'not re-run: the step is marked "idempotent": false' "... and says why it was not retried"
expect_err 'boom 1' "... it ran once"
task twice true '{"eval":"localStorage.n = (+localStorage.n || 0) + 1; throw new Error(\"boom \" + localStorage.n)"}'
expect_rc 1 "the same eval, idempotent: exit 1"
expect_true "... attempted 1 + 2 retries" test "$(py_json 'r["steps"][1]["attempts"]')" = 3
expect_err 'boom 3' "... and ran three times"
task late false '{"click":"css=#late","idempotent":false,"retries":8}'
expect_rc 0 "idempotent:false click whose button shows late: retried, passes"
expect_true "... after failing before it acted" test "$(py_json 'r["steps"][1]["attempts"]')" -ge 2

# smoke: a failing task is rerun after a backoff with jitter
mkdir -p "$T_TMP/suite"
printf '{"schema_version":1,"steps":[{"goto":"%s/go.html"},{"click":"css=#nope","timeout_ms":200}]}' \
  "$BASE" >"$T_TMP/suite/fails.json"
run "$CDPILOT" smoke "$T_TMP/suite" --retries 2 --no-llm --no-cache --json
expect_rc 1 "smoke: a task failing every attempt: exit 1"
expect_true "smoke: 3 attempts" test "$(py_json 'r["tasks"][0]["attempts"]')" = 3
w=$(py_json '[a.get("retry_wait_ms") for a in r["tasks"][0]["failed_attempts"]]')
expect_true "smoke: reruns wait 0.5-1 s then 1-2 s (equal jitter) [$w]" \
  python3 -c "w=$w; assert 500 <= w[0] <= 1000 and 1000 <= w[1] <= 2000, w"
expect_err 'retry .*in [0-9.]+ s' "smoke: the retry line says how long it waits"
done_testing
