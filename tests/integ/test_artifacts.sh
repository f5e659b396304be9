#!/usr/bin/env bash
# What a failed run keeps, against real Chromium. Without --trace: its
# screenshots in one folder per run, named on stderr and in --json, and
# old run folders pruned. With --trace: every file private (0600).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve tests/fixtures/site
C=(--no-cache --no-llm)
umask 022                       # files made with the default mode show it
F="$TMPDIR/cdpilot-failures-$(id -u)"
# --timeout 400 is for the click; navigations keep their own 30 s
printf '{"timeouts": {"navigation_ms": 30000}}' >"$T_TMP/nav30.json"
C+=(--profile "$T_TMP/nav30.json")
fail_run() { run "$CDPILOT" do "$BASE/login.html" click css=#nope --timeout 400 --json "${C[@]}"; }

# ---- one folder per run, named by the report ---------------------------------
fail_run
expect_rc 1 "a missing element: exit 1"
dir=$(py_json 'r.get("artifacts")')
expect_true "--json names the run's folder ($dir)" test "$dir" = "$F/$(py_json 'r["run_id"]')"
expect_true "the FAIL block names it" grep -qF "  artifacts:  $dir" <<<"$ERR"
shot=$(py_json 'r["steps"][1].get("screenshot")')
expect_true "the screenshot is in it ($shot)" test "$shot" = "$dir/step-002-failed.png"
expect_true "... and is a PNG" grep -q PNG <(head -c 8 "$shot" 2>/dev/null)
expect_true "no screenshot left loose in \$TMPDIR" test -z "$(find "$TMPDIR" -maxdepth 1 -name '*.png')"
expect_true "the folders are private (0700)" test "$(stat -c %a "$F" "$dir" | sort -u)" = 700
run "$CDPILOT" do "$BASE/login.html" expect-text Password --json "${C[@]}"
expect_rc 0 "a passing run"
expect_true "a passing run names no folder and makes none" \
  test "$(py_json 'r.get("artifacts")')-$(ls "$F" | wc -l)" = "None-1"

# ---- pruning: the 20 newest run folders stay, and any younger than 1 hour ----
now=$(date +%s)
for i in $(seq 1 25); do mkdir "$F/old-$i"; touch -d "@$((now - 7200 - i * 60))" "$F/old-$i"; done
mkdir "$F/recent"; touch -d "@$((now - 600))" "$F/recent"
fail_run
new=$(py_json 'r.get("artifacts")')
expect_true "a new run folder" test -f "$new/step-002-failed.png"
expect_true "20 run folders stay ($(ls "$F" | wc -l))" test "$(ls "$F" | wc -l)" = 20
expect_true "the newest old ones stay" test -d "$F/old-17" -a -d "$F/recent" -a -d "$dir"
expect_true "the oldest go" test ! -e "$F/old-18" -a ! -e "$F/old-25"
for i in $(seq 1 25); do mkdir "$F/young-$i"; touch -d "@$((now - i * 60))" "$F/young-$i"; done
fail_run
expect_true "folders younger than an hour stay, past 20 ($(ls "$F" | wc -l))" \
  test "$(ls -d "$F"/young-* | wc -l)" = 25 -a -d "$F/recent"
expect_true "older ones past the 20 newest go" test -z "$(ls -d "$F"/old-* 2>/dev/null)"

# ---- --trace: everything in it is the user's alone ---------------------------
run "$CDPILOT" do "$BASE/login.html" eval 'console.error("boom"); 1' click css=#nope \
  --timeout 400 --trace "$T_TMP/tr" --json "${C[@]}"
expect_rc 1 "a traced failure: exit 1"
tdir="$T_TMP/tr/$(py_json 'r["run_id"]')"
expect_true "--json names the trace folder" test "$(py_json 'r.get("artifacts")')" = "$tdir"
expect_true "the trace has a console.log" test -s "$tdir/console.log"
expect_true "console.log is 0600 ($(stat -c %a "$tdir/console.log"))" test "$(stat -c %a "$tdir/console.log")" = 600
expect_true "every file of the trace is 0600: $(find "$T_TMP/tr" -type f ! -perm 600 | head -3)" \
  test -z "$(find "$T_TMP/tr" -type f ! -perm 600)"

done_testing
