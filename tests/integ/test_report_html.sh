#!/usr/bin/env bash
# --report FILE.html: a smoke run with failures writes one self-contained
# page (0600, no external reference), which cdpilot itself then opens from
# file:// with http(s) blocked and no server running: the failed step and
# its error are there, its screenshot loads, the "failed" filter hides the
# passed steps. `do` with a plain-words target that fits nothing shows the
# candidates with their scores; a secret never reaches the page; a bad
# --report path is refused before any browser starts. JUnit: properties
# per test case, a failure naming the step.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
SITE=tests/fixtures/site
smoke() { run env SMOKE_TEST_TAG="$T_TMP" "$CDPILOT" smoke "$@"; }

# ---- usage: checked before any browser -------------------------------------
run "$CDPILOT" run tests/smoke/flaky.json --report "$T_TMP/nope/r.html"
expect_rc 2 "--report into a missing folder: exit 2"
expect_err '^cdpilot: --report ".*nope/r.html": no such folder' "the option and path are named"
smoke tests/smoke --report "$T_TMP"
expect_rc 2 "smoke --report FOLDER: exit 2"
expect_err "smoke: --report .*expected a file such as report.html" "smoke: a folder is refused, named"
run "$CDPILOT" smoke --help
expect_out '--report FILE.html' "smoke --help lists --report"

# ---- a smoke run with failures -------------------------------------------
R="$T_TMP/report.html" J="$T_TMP/j.xml"
smoke tests/smoke --serve "$SITE" --no-llm --retries 1 --report "$R" --junit "$J"
expect_rc 1 "smoke with a failing task: exit 1"
expect_true "report written" test -s "$R"
expect_true "report is 0600" test "$(stat -c %a "$R")" = 600
expect_true "no temporary file left beside it" test -z "$(ls "$T_TMP" | grep 'report.html.tmp')"
expect_true "no external reference (src/href to http, <link>)" \
  test -z "$(grep -Eio '(src|href)="(https?:)?//|<link' "$R")"
expect_true "screenshot embedded as a data: URI" grep -q 'src="data:image/png;base64,' "$R"
expect_true "the failing step's error is in the page" grep -q 'no element matches css=#checkout' "$R"
expect_true "console error shown" grep -q 'smoke: checkout is broken' "$R"

# JUnit: provenance as properties, a failure naming the step
expect_true "junit: steps by source as properties" test "$(py "$J" 'cases["login works"].find("properties/property[@name=\"steps.explicit\"]") is not None')" = True
expect_true "junit: llm calls and cost as properties" test "$(py "$J" 'cases["login works"].find("properties/property[@name=\"llm.calls\"]").get("value")')" = 0
expect_true "junit: heals as a property" test "$(py "$J" 'cases["login works"].find("properties/property[@name=\"healed\"]").get("value")')" = 0
expect_true "junit: failure names the step" test "$(py "$J" 'cases["checkout button & <total>"].find("failure").get("message").startswith("step 3 (click ")')" = True

# ---- open it with cdpilot: file://, http(s) blocked, no server running ------
cat >"$T_TMP/open.json" <<EOF
{"schema_version":1,"name":"open the report","steps":[
 {"goto":"file://$R"},
 {"assert":{"text":"checkout button & <total>"}},
 {"eval":"[...document.querySelectorAll('section.task.failed tr.step.failed')].map(r => r.textContent).join('|')"},
 {"eval":"[...document.images].map(i => i.complete && i.naturalWidth > 0).join()"},
 {"eval":"document.querySelectorAll('tr.step.passed').length > 0 && [...document.querySelectorAll('tr.step.passed')].every(r => r.offsetParent !== null)"},
 {"check":"css=#f-failed"},
 {"eval":"[...document.querySelectorAll('tr.step.passed')].every(r => r.offsetParent === null)"},
 {"eval":"[...document.querySelectorAll('tr.step.failed')].every(r => r.offsetParent !== null)"},
 {"eval":"[...document.querySelectorAll('section.task.passed')].every(s => s.offsetParent === null)"}
]}
EOF
v() { python3 -c "import json,sys; r=json.load(sys.stdin); print(r['steps'][$1].get('value'))" <<<"$OUT"; }
run "$CDPILOT" run "$T_TMP/open.json" --json --no-llm --no-cache --block 'http://*' --block 'https://*'
expect_rc 0 "the report opens and every step passes"
expect_true "the failed step is shown: click css=#checkout, not-found" \
  grep -q 'click.*css=#checkout.*failed' <<<"$(v 2)"
expect_true "its screenshot loads (naturalWidth > 0)" grep -qx 'true\(,true\)*' <<<"$(v 3)"
expect_true "unfiltered, passed steps are visible" test "$(v 4)" = true
expect_true "filter 'failed': passed steps hidden" test "$(v 6)" = true
expect_true "filter 'failed': failed steps still shown" test "$(v 7)" = true
expect_true "filter 'failed': passing tasks hidden" test "$(v 8)" = true

# ---- do: plain words that fit nothing -> candidates with scores; secrets ----
SECRET='Rp4s3cr3tv4l'
export RSECRET="$SECRET"      # every ${env.X} a task expands is a secret
R2="$T_TMP/do.html"
run "$CDPILOT" do "file://$ROOT/$SITE/login.html?t=\${env.RSECRET}" \
  eval "console.error('leaked ' + new URLSearchParams(location.search).get('t'))" \
  click "Sign in button" click "Register now button" --no-llm --no-cache --timeout 800 --report "$R2"
expect_rc 1 "do with a missing target: exit 1"
expect_true "do: report written 0600" test "$(stat -c %a "$R2" 2>/dev/null)" = 600
expect_true "do: a passed plain-words step lists its candidates" \
  test "$(grep -c '<ol class="cands">' "$R2")" = 2
expect_true "do: candidates listed with scores" \
  grep -Eq '<li>[0-9]\.[0-9]{2} <code>button &quot;Sign in&quot;' "$R2"
expect_true "do: the secret is not in the page" test "$(grep -c "$SECRET" "$R2")" = 0
expect_true "do: the goto row names its URL, unexpanded" \
  grep -q '<td>goto</td><td>file://[^<]*/login.html?t=\${env.RSECRET}</td>' "$R2"
expect_true "do: the redacted console error is" grep -q 'leaked \*\*\*' "$R2"

expect_true "nothing left in the artifacts' way: no orphan browser" test "$(leftovers)" = 0
done_testing
