#!/usr/bin/env bash
# Signals and kill -9 against real Chromium: whatever arrives, whenever,
# a run leaves no profile folder, no Chrome socket folder and no browser
# behind; a profile left by a killed cdpilot is removed by the next
# launch, and a live run's profile never is.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve tests/fixtures/site
C=(--no-cache --no-llm)

# The browser through a wrapper that notes every profile folder it is
# given, so that what these runs leave in /tmp is told apart from other
# runs on the machine. Chrome's own temporary files (its socket folder,
# shared memory files) go to its $TMPDIR: ours ($T_TMP), unless cdpilot
# gives it another.
PROFILES="$T_TMP/profiles"; : >"$PROFILES"
cat >"$T_TMP/browser" <<EOF
#!/bin/sh
for a; do case "\$a" in --user-data-dir=*) echo "\${a#--user-data-dir=}" >>"$PROFILES";; esac; done
exec $(command -v chromium) "\$@"
EOF
chmod +x "$T_TMP/browser"
B=(--chrome "$T_TMP/browser")

# left: "P S B", the profile folders still there, Chrome's temporary
# files and folders in $T_TMP and browsers still running of the runs so
# far. Waits up to 3 s for them to go (processes killed a moment ago are
# still exiting).
left() {
  local p s b d
  for _ in $(seq 30); do
    p=0 b=0
    while read -r d; do
      [[ -z "$d" ]] && continue
      [[ -e "$d" ]] && p=$((p + 1))
      pgrep -f -- "--user-data-dir=$d" >/dev/null && b=$((b + 1))
    done <"$PROFILES"
    s=$(find "$T_TMP" -mindepth 1 -maxdepth 1 -name '*org.chromium.*' | wc -l)
    [[ "$p $s $b" == "0 0 0" ]] && break
    sleep 0.1
  done
  echo "$p $s $b"
}
# step_running ERRFILE: waits (up to 30 s) until the first step has passed.
step_running() {
  for _ in $(seq 600); do grep -q 'ok .*1/2' "$1" 2>/dev/null && return 0; sleep 0.05; done
  return 1
}
# long_run ERRFILE: a run whose second step waits 30 s, in the background.
long_run() {
  "$CDPILOT" do "$BASE/delayed.html" wait css=#never-appears --timeout 30000 \
    "${C[@]}" "${B[@]}" >/dev/null 2>"$1" & pid=$!
}

# ---- two SIGINTs 50 ms apart, during a step ---------------------------------
for round in 1 2 3; do
  long_run "$T_TMP/int2.err"
  step_running "$T_TMP/int2.err"
  kill -INT $pid; sleep 0.05; kill -INT $pid 2>/dev/null
  wait $pid; rc=$?
  [[ $rc -eq 130 ]] && ok "double SIGINT $round: exit 130" || nok "double SIGINT $round: exit $rc" "$(cat "$T_TMP/int2.err")"
  l=$(left)
  [[ "$l" == "0 0 0" ]] && ok "double SIGINT $round: no profile, Chrome temporary file or browser left" \
    || nok "double SIGINT $round: left (profiles, Chrome temporary files, browsers): $l"
done

# ---- bursts of 5 INT/TERM at random moments, in launch and in a step --------
# Even rounds start signalling 0-0.6 s after the start (the browser is
# being launched: about 0.5-1 s here), odd ones 0-0.3 s into the step.
sigs=(INT TERM)
bad=0
for round in $(seq 1 8); do
  long_run "$T_TMP/burst.err"
  if (( round % 2 == 0 )); then
    sleep "0.$(printf '%03d' $((RANDOM % 600)))"
  else
    step_running "$T_TMP/burst.err"; sleep "0.$(printf '%03d' $((RANDOM % 300)))"
  fi
  for _ in 1 2 3 4 5; do
    kill -"${sigs[RANDOM % 2]}" $pid 2>/dev/null
    sleep "0.0$(printf '%02d' $((RANDOM % 80)))"
  done
  wait $pid; rc=$?
  l=$(left)
  if [[ ($rc -eq 130 || $rc -eq 143) && "$l" == "0 0 0" ]]; then
    ok "signal burst $round: exit $rc, nothing left"
  else
    nok "signal burst $round: exit $rc, left (profiles, Chrome temporary files, browsers): $l" "$(cat "$T_TMP/burst.err")"
    bad=$((bad + 1))
  fi
done

# ---- kill -9: the next launch removes what the killed run left ------------
long_run "$T_TMP/k9.err"
step_running "$T_TMP/k9.err"
dead=$(tail -n 1 "$PROFILES")
kill -KILL $pid; wait $pid 2>/dev/null
sleep 0.5
expect_true "kill -9 of cdpilot leaves its profile (nothing can run)" test -d "$dead"
run "$CDPILOT" do "$BASE/text.html" expect-text Shipped "${C[@]}" "${B[@]}"
expect_rc 0 "the run after a kill -9 passes"
expect_true "the next launch removed the killed run's profile" test ! -e "$dead"
expect_true "... and Chrome's temporary files" test "$(left)" = "0 0 0"

# Folders that look like ours but are not a dead cdpilot's stay: one whose
# lock is held (a live run), one without a lock file (not made by this
# cdpilot), one with an empty lock file (being made). One whose lock is
# free and names a pid goes.
mk() { mktemp -d /tmp/cdpilot-profile-XXXXXX; }
gone=$(mk); echo 999999 >"$gone/cdpilot.lock"
held=$(mk); echo $$ >"$held/cdpilot.lock"
flock -x "$held/cdpilot.lock" sleep 60 & holder=$!
for _ in $(seq 100); do flock -n "$held/cdpilot.lock" true || break; sleep 0.02; done
nolock=$(mk); mkdir "$nolock/Default"
young=$(mk); : >"$young/cdpilot.lock"
run "$CDPILOT" do "$BASE/text.html" expect-text Shipped "${C[@]}"
expect_rc 0 "a run among stale-looking folders passes"
expect_true "a profile whose owner is gone is removed" test ! -e "$gone"
expect_true "a profile whose lock is held stays" test -d "$held"
expect_true "a folder without a lock file stays" test -d "$nolock/Default"
expect_true "a lock file still empty stays" test -d "$young"
kill $holder 2>/dev/null; wait $holder 2>/dev/null
rm -rf "$gone" "$held" "$nolock" "$young"

# ---- a parallel run leaves a live run's profile alone ------------------------
long_run "$T_TMP/live.err"; live=$pid
step_running "$T_TMP/live.err"
mine=$(tail -n 1 "$PROFILES")
run "$CDPILOT" do "$BASE/text.html" expect-text Shipped "${C[@]}" "${B[@]}"
expect_rc 0 "a run next to a live one passes"
expect_true "a parallel run leaves the live run's profile alone" test -d "$mine"
expect_true "... and the live run running" kill -0 $live
kill -TERM $live; wait $live; rc=$?
[[ $rc -eq 143 ]] && ok "the live run then ends on SIGTERM: exit 143" || nok "the live run: exit $rc" "$(cat "$T_TMP/live.err")"
expect_true "both removed their own profiles" test "$(left)" = "0 0 0"

done_testing
