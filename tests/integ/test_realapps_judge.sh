#!/usr/bin/env bash
# The real-app suite's judge (tests/realapps/realapps.py) against real
# Chromium: a plain-words step that passes on another element than the
# expected one counts as confident-wrong (fill, click, and a click whose
# page navigates away), and one on the expected element as correct.
source "$(dirname "$0")/lib.sh"
RA="$ROOT/tests/realapps/realapps.py"

serve_site
cat >"$site/form.html" <<'EOF'
<!doctype html><title>form</title>
<label for="a">Name</label> <input id="a">
<label for="b">City</label> <input id="b">
<button id="save" onclick="document.getElementById('out').textContent = 'saved'">Save</button>
<a id="help" href="#help">Help</a>
<a id="next" href="next.html">Next page</a>
<a id="more" href="next.html">Continue</a> <a id="top" href="#">Top</a>
<p id="out"></p>
EOF
printf '<!doctype html><title>next</title><p>second page</p>\n' >"$site/next.html"

mkdir -p "$T_TMP/tasks/demo"
cat >"$T_TMP/tasks/demo/t.json" <<'EOF'
{"schema_version": 1, "name": "demo", "steps": [
  {"goto": "/form.html"},
  {"fill": "Name", "value": "Ada"},
  {"fill": "City", "value": "Lyon"},
  {"click": "Save"},
  {"wait_for": {"text": "saved"}},
  {"click": "Next page"},
  {"wait_for": {"text": "second page"}}]}
EOF
# judge EXPECT PASS: instrument the task with EXPECT, run it, report.
judge() {
  printf '%s\n' "$1" >"$T_TMP/expect-$2.json"
  mkdir -p "$T_TMP/run/$2/demo"
  python3 "$RA" instrument "$T_TMP/expect-$2.json" "$T_TMP/tasks/demo/t.json" "$T_TMP/checked-$2.json"
  "$CDPILOT" run "$T_TMP/checked-$2.json" --json --no-llm --no-cache --base-url "$BASE" \
      >"$T_TMP/run/$2/demo/t.json" 2>"$T_TMP/run-$2.err"
}
judge '{"demo": {"fill Name": "#a", "fill City": "#b", "click Save": "#save", "click Next page": "#next"}}' cold
judge '{"demo": {"fill Name": "#a", "fill City": "#a", "click Save": "#help", "click Next page": "#help"}}' warm
judge '{"demo": {"fill Name": "#a", "fill City": "#b", "click Save": "#save", "click Next page": "#more"}}' changed
run python3 "$RA" report "$T_TMP/run" --json "$T_TMP/summary.json"
expect_rc 0 "report reads both runs"
tot() { python3 -c "import json,sys; print(json.load(open('$T_TMP/summary.json'))[sys.argv[1]]['apps']['total'][sys.argv[2]])" "$@"; }
expect_true "right elements: 4 correct" test "$(tot cold correct)" = 4
expect_true "right elements: none confident-wrong" test "$(tot cold confident-wrong)" = 0
expect_true "right elements: the task passed" test "$(tot cold passed)" = 1
expect_true "wrong elements: the task still passed its own checks" test "$(tot warm passed)" = 1
expect_true "wrong elements: fill, click and navigating click are confident-wrong" \
    test "$(tot warm confident-wrong)" = 3
expect_true "wrong elements: the one right fill stays correct" test "$(tot warm correct)" = 1
expect_true "a link to the same address as the expected one: correct" test "$(tot changed correct)" = 4
expect_true "... not confident-wrong" test "$(tot changed confident-wrong)" = 0
expect_out 'passed, but acted on another element than expected' "the report names the task"
expect_out 'confident-wrong step 6 click "Next page"' "the navigating click is listed"
done_testing
