#!/usr/bin/env bash
# Browser pinning (docs/PROFILES.md "Pinning the browser"): a task's,
# a profile's or the command line's version pin against the real
# Chromium. A pin that fits runs; one that does not fails with exit 3
# before any step, naming the browser found (path, version) and what was
# asked; a malformed pin is bad usage before any browser starts; doctor
# shows the pin.
source "$(dirname "$0")/lib.sh"
cd "$T_TMP"

ver=$(chromium --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+){3}' | head -n 1)
major=${ver%%.*}
[[ -n "$major" ]] || { nok "chromium --version" "no version"; done_testing; }
page='data:text/html,<title>Pinned</title><p>pinned page</p>'

task() {   # NAME PIN: a task pinned to PIN whose first step leaves a file
  cat >"$1.json" <<JSON
{"schema_version": 1, "name": "$1", "browser": {"version": "$2"},
 "steps": [{"goto": "$page"}, {"screenshot": "$1.png"},
           {"wait_for": {"text": "pinned page"}}]}
JSON
}

task fits ">=$major"
run "$CDPILOT" run fits.json --no-cache
expect_rc 0 "a pin the browser fits (>=$major) runs"
expect_true "its steps ran" test -s fits.png

task exact "$ver"
run "$CDPILOT" run exact.json --no-cache
expect_rc 0 "the exact version $ver runs"

task newer ">=$((major + 1))"
run "$CDPILOT" run newer.json --no-cache
expect_rc 3 "a newer browser asked for: exit 3"
expect_err "browser /[^ ]+ is [A-Za-z]+/$ver, but the task's browser.version asks for \">=$((major + 1))\"" \
  "the message names the browser's path and version, and the pin"
expect_true "no step ran (no screenshot)" test ! -e newer.png
if grep -qE '^ *(ok|FAIL) +[0-9]+/' <<<"$ERR"; then
  nok "no step line" "$ERR"; else ok "no step line"; fi
[[ $(grep -c . <<<"$ERR") -eq 1 ]] && ok "one line" || nok "one line" "$ERR"

task older "<$major"
run "$CDPILOT" run older.json --no-cache --browser-version "$major"
expect_rc 0 "--browser-version over the task's pin"
run "$CDPILOT" do "$page" expect-text "pinned page" --no-cache \
  --browser-version "=$major.999"
expect_rc 3 "an inline run with a pin that does not fit: exit 3"
expect_err "but --browser-version asks for \"=$major.999\"" "names the option"

cat >pinned.json <<JSON
{"extends": "default", "browser": {"version": "<$major"}}
JSON
run "$CDPILOT" run fits.json --no-cache --profile ./pinned.json
expect_rc 0 "the task's pin over the profile's"
rm -f fits.png
cat >plain.json <<JSON
{"schema_version": 1, "name": "plain", "steps": [{"goto": "$page"}, {"screenshot": "plain.png"}]}
JSON
run "$CDPILOT" run plain.json --no-cache --profile ./pinned.json
expect_rc 3 "a profile's pin that does not fit: exit 3"
expect_err "but the profile's browser.version asks for \"<$major\"" \
  "names the profile's pin"
expect_true "no step ran" test ! -e plain.png

# malformed pins: exit 2 before any browser
task bad ">= $major"
run "$CDPILOT" run bad.json --no-cache
expect_rc 2 "a malformed pin in a task: exit 2"
expect_err 'bad.json: .*browser.version.*expected \[>=' "names the file and field"
run "$CDPILOT" do "$page" --browser-version "~$major"
expect_rc 2 "a malformed --browser-version: exit 2"
expect_err '^cdpilot: --browser-version: version pin' "names the option"
echo '{"browser": {"version": "latest"}}' >badprof.json
run "$CDPILOT" run plain.json --no-cache --profile ./badprof.json
expect_rc 2 "a malformed pin in a profile: exit 2"
expect_err 'badprof.json: field "browser.version"' "names the profile and field"

run "$CDPILOT" doctor --no-cache --profile ./pinned.json
expect_rc 3 "doctor with a pin the browser does not fit: exit 3"
expect_out "FAIL pin +\"<$major\" \(profile\): [A-Za-z]+/$ver does not match" \
  "doctor shows the pin and the browser's version"
run "$CDPILOT" doctor --no-cache --browser-version ">=$major"
expect_rc 0 "doctor with a pin that fits"
expect_out "ok  pin +\">=$major\" \(--browser-version\): [A-Za-z]+/$ver matches" \
  "doctor says it matches"
expect_true "no browser left behind" test "$(leftovers)" -eq 0
done_testing
