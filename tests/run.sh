#!/usr/bin/env bash
# Runs every unit-test binary in BUILD/tests and every tests/integ/*.sh,
# adds up their closing "N passed, N failed" lines and prints the total.
# A program that crashes or prints no count line counts as one failure.
# TESTS_ONLY=unit|integ limits the run; TESTS_MATCH=REGEX picks files.
# TEST_WRAPPER="CMD ARGS" runs each unit binary under CMD (make valgrind).
set -u
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
export CDPILOT_BIN="$PWD/$BUILD/cdpilot" CDPILOT_BUILD="$PWD/$BUILD"
pass=0 fail=0 failed_files=()
logdir="$BUILD/test-logs"; mkdir -p "$logdir"

# The suite leaves /tmp as it found it. It runs with a $TMPDIR of its own
# (the integration tests' folders, Chrome's socket folders, cdpilot's
# failure screenshots), which must be empty at the end. Browser profiles
# are made in /tmp, where other suites and runs may be at work: a new
# cdpilot-profile-* there is this suite's when Chrome linked it to a
# socket folder in our $TMPDIR, or when nobody holds its cdpilot.lock and
# Chrome never got that far.
export TMPDIR; TMPDIR=$(mktemp -d /tmp/cdpilot-suite.XXXXXX)
trap 'rm -rf "$TMPDIR"' EXIT
tmp_list() { ls -d /tmp/cdpilot-profile-* 2>/dev/null | sort; }
tmp_ours() {
  local to
  to=$(readlink "$1/SingletonSocket" 2>/dev/null)
  [[ "$to" == "$TMPDIR"/* ]] && return 0
  [[ -z "$to" && -f "$1/cdpilot.lock" ]] && flock -n "$1/cdpilot.lock" true 2>/dev/null
}
tmp_before=$(tmp_list)

run_one() {   # NAME CMD...
  local name=$1; shift
  local log="$logdir/$(basename "$name").log" t0=$SECONDS rc line p f
  timeout -k 10 "${TEST_TIMEOUT:-600}" "$@" >"$log" 2>&1; rc=$?
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [[ -z "$line" ]]; then p=0 f=1
  else p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}; fi
  if [[ $rc -ne 0 && $f -eq 0 ]]; then f=1; fi
  pass=$((pass + p)); fail=$((fail + f))
  if [[ $f -gt 0 ]]; then
    failed_files+=("$name")
    printf 'FAIL %-40s %s passed, %s failed (exit %s, %ss)\n' "$name" "$p" "$f" "$rc" $((SECONDS - t0))
    grep -E 'FAIL|not ok|ERROR|Sanitizer|runtime error|LeakSanitizer|^==[0-9]+== ' "$log" | head -n 20 | sed 's/^/    /'
    echo "    (full log: $log)"
  else
    printf 'ok   %-40s %s passed (%ss)\n' "$name" "$p" $((SECONDS - t0))
  fi
}

if [[ "${TESTS_ONLY:-unit}" != integ || -z "${TESTS_ONLY:-}" ]]; then
  read -ra wrap <<<"${TEST_WRAPPER:-}"
  for t in "$BUILD"/tests/test_*; do
    [[ -x "$t" && ! "$t" == *.d ]] || continue
    [[ -n "${TESTS_MATCH:-}" && ! "$t" =~ ${TESTS_MATCH} ]] && continue
    run_one "unit/$(basename "$t")" "${wrap[@]}" "$t"
  done
fi
if [[ "${TESTS_ONLY:-integ}" != unit || -z "${TESTS_ONLY:-}" ]]; then
  for t in tests/integ/test_*.sh; do
    [[ -f "$t" ]] || continue
    [[ -n "${TESTS_MATCH:-}" && ! "$t" =~ ${TESTS_MATCH} ]] && continue
    run_one "integ/$(basename "$t")" bash "$t"
  done
fi

# No orphan browsers may survive the suite: a browser process whose
# parent died (reparented to init) was left behind by someone.
orphans=$(ps -eo pid=,ppid=,args= | awk '$2 == 1 && /cdpilot-profile-/ {print $1}')
if [[ -n "$orphans" ]]; then
  echo "FAIL orphan Chromium processes left: $(wc -w <<<"$orphans")"; fail=$((fail + 1))
  kill -9 $orphans 2>/dev/null || true
fi
left=($(find "$TMPDIR" -mindepth 1 -maxdepth 1))
for d in $(comm -13 <(echo "$tmp_before") <(tmp_list)); do
  tmp_ours "$d" && left+=("$d")
done
if [[ ${#left[@]} -gt 0 ]]; then
  echo "FAIL left in /tmp by the suite: ${#left[@]}"; printf '    %s\n' "${left[@]}"
  fail=$((fail + 1))
fi
echo
[[ ${#failed_files[@]} -gt 0 ]] && echo "failed: ${failed_files[*]}"
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
