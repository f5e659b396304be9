#!/usr/bin/env bash
# The command line without a page: versions, usage errors, invalid task
# files (exit 2, before any browser starts), browser discovery failures
# (exit 3, one line, nothing left running).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

run "$CDPILOT" --version
expect_rc 0 "--version exits 0"
expect_out '^cdpilot [0-9]+\.[0-9]+' "--version prints the version"

run "$CDPILOT" --help
expect_rc 0 "--help exits 0"
expect_out 'exit codes' "--help lists the exit codes"

run "$CDPILOT" do --help
expect_out 'wait-text TEXT' "do --help lists the step words"

run "$CDPILOT" frobnicate
expect_rc 2 "unknown command: exit 2"
expect_err 'unknown command "frobnicate"' "unknown command is named"

run "$CDPILOT" run tests/good/w1-login.json --bogus
expect_rc 2 "unknown option: exit 2"
expect_err 'unknown option "--bogus"' "unknown option is named"

run "$CDPILOT" run
expect_rc 2 "run without files: exit 2"

run "$CDPILOT" run /nonexistent/task.json
expect_rc 2 "missing task file: exit 2"
expect_err '/nonexistent/task.json' "missing task file is named"

run "$CDPILOT" run tests/good/w1-login.json --timeout 5s
expect_rc 2 "bad --timeout: exit 2"

run "$CDPILOT" do http://127.0.0.1:1/ fil Email x
expect_rc 2 "misspelt step word: exit 2"
expect_err '"fil" is not a step word' "misspelt step word is named"

run "$CDPILOT" do http://127.0.0.1:1/ click 'role=button[name="Sav'
expect_rc 2 "unterminated role target: exit 2"
expect_err 'role target' "bad role target explained"

# Every bad task file: exit 2, its expected message, and no browser.
before=$(browsers)
nbad=0
for f in tests/bad/*.json; do
  exp=$(head -n 1 "${f%.json}.expect")
  run "$CDPILOT" run "$f" --no-cache
  nbad=$((nbad + 1))
  if [[ $RC -eq 2 ]] && grep -qF -- "$exp" <<<"$ERR" && grep -qF -- "$(basename "$f")" <<<"$ERR" \
     && [[ $(wc -l <<<"$ERR") -le 2 ]]; then
    ok "bad file $(basename "$f"): exit 2, one line, \"$exp\""
  else
    nok "bad file $(basename "$f")" "exit $RC, wanted 2 and \"$exp\"" "stderr: ${ERR:0:500}"
  fi
done
[[ $nbad -ge 25 ]] && ok "at least 25 bad task files ($nbad)" || nok "bad file table too small ($nbad)"
expect_true "no browser started for bad files" test "$(browsers)" -le "$before"

# A huge task file (over the 16 MiB cap) is refused cleanly.
head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$T_TMP/huge.json"
run "$CDPILOT" run "$T_TMP/huge.json"
expect_rc 2 "huge task file: exit 2"
expect_err 'too large' "huge task file: says too large"

# Browser discovery failures: exit 3, one line.
run "$CDPILOT" do about:blank --chrome /nonexistent/chrome --no-cache
expect_rc 3 "missing browser path: exit 3"
expect_err '/nonexistent/chrome' "missing browser path is named"

printf '#!/bin/sh\nexit 0\n' >"$T_TMP/notexec"
run "$CDPILOT" do about:blank --chrome "$T_TMP/notexec" --no-cache
expect_rc 3 "non-executable browser: exit 3"

run "$CDPILOT" do about:blank --chrome "$ROOT/tests/integ/fake-snap/chromium" --no-cache
expect_rc 3 "snap wrapper refused: exit 3"
expect_err 'snap' "snap refusal mentions snap"
expect_err '\.deb|apt' "snap refusal says how to install a .deb build"

# A browser that exits at once.
printf '#!/bin/sh\necho "boom: cannot start" >&2\nexit 1\n' >"$T_TMP/dies"
chmod +x "$T_TMP/dies"
run "$CDPILOT" do about:blank --chrome "$T_TMP/dies" --no-cache
expect_rc 3 "browser exiting at once: exit 3"

# --connect to a dead endpoint.
run "$CDPILOT" do about:blank --connect ws://127.0.0.1:9/devtools/browser/x --no-cache
expect_rc 3 "--connect to a dead port: exit 3"
expect_true "no browser left behind" test "$(browsers)" -le "$before"

done_testing
