#!/usr/bin/env bash
# test_pagejs.sh -- the injected page script (selectors/js/*.js) tested in
# headless Chromium: roles and names, every target engine, locate() and
# its actionability reasons, fill/select/check helpers, selector synthesis
# on the fixture site. Independent of the C build: concatenates the script
# itself and drives Chromium over CDP (tests/js/driver.py, Python stdlib).
# PAGEJS_MATCH=substring limits the pages run.
source "$(dirname "$0")/lib.sh"

chrome="${CDPILOT_TEST_CHROME:-/usr/lib/chromium/chromium}"
if [[ ! -x "$chrome" ]] || ! command -v python3 >/dev/null; then
  nok "page script tests need $chrome and python3"
  done_testing
fi

js="$T_TMP/page.js"
: >"$js"
for f in "$ROOT"/selectors/js/*.js; do cat "$f" >>"$js"; done

python3 "$ROOT/tests/js/driver.py" "$js" "$ROOT" "$T_TMP" \
  "${PAGEJS_MATCH:-}" >"$T_TMP/driver.out" 2>"$T_TMP/driver.err"
drc=$?
while IFS= read -r line; do
  case "$line" in
    ok\ -*)   T_PASS=$((T_PASS + 1)); echo "$line" ;;
    FAIL\ -*) T_FAIL=$((T_FAIL + 1)); echo "$line" ;;
    *)        echo "$line" ;;
  esac
done <"$T_TMP/driver.out"
if [[ $drc -ne 0 ]]; then
  nok "driver exited $drc" "$(head -c 2000 "$T_TMP/driver.err")"
fi
[[ $((T_PASS + T_FAIL)) -gt 0 ]] || nok "no page test ran"
done_testing
