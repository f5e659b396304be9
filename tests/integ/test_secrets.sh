#!/usr/bin/env bash
# One secret, placed where a run can leak it (the URL, the page's title,
# a console message, a field's value, an error message), must show as
# "***" on every output path: stderr, --json, JUnit, the trace (cdp.log,
# console.log, saved HTML), screenshots' file names, the cache file and
# its checkpoints.
source "$(dirname "$0")/lib.sh"
serve_site
# a space and a quote: the URL, JSON and HTML each write it their way
SECRET='Zq9x7s3cr3t v@l"x'
CORE='Zq9x7s3cr3t'          # in every form of it, encoded or not
export CDPILOT_SECRET_T="$SECRET"
cat >"$site/s.html" <<'EOF'
<!doctype html><title>secret page</title>
<form><label>Name <input id=name></label>
<button type=button id=go onclick="document.getElementById('out').textContent = 'hello ' + document.getElementById('name').value">Greet</button></form>
<p id=out></p><a href="s.html?x=1">Another</a>
<script>
const t = new URLSearchParams(location.search).get('t');
if (t) { document.title = 'T ' + t; console.error('leaked ' + t);
  document.body.setAttribute('data-t', t); }
</script>
EOF
cat >"$T_TMP/leak.json" <<'EOF'
{"schema_version":1,"name":"leak","steps":[
 {"goto":"s.html?t=${env.CDPILOT_SECRET_T}"},
 {"fill":"Name","value":"${env.CDPILOT_SECRET_T}"},
 {"click":"Greet button"},
 {"screenshot":"shot-${env.CDPILOT_SECRET_T}.png"},
 {"assert":{"text":"${env.CDPILOT_SECRET_T} is not here"},"timeout_ms":500}]}
EOF
# leaks CORE? looks in stdout, stderr, every file under the folders
# given (names and contents, binary too) and the cache database
leaks() {
  local where=""
  grep -q "$CORE" <<<"$OUT" && where+=" stdout"
  grep -q "$CORE" <<<"$ERR" && where+=" stderr"
  for d in "$@"; do
    [[ -e "$d" ]] || continue
    find "$d" | grep -q "$CORE" && where+=" name:$d"
    grep -rlaq "$CORE" "$d" 2>/dev/null && where+=" in:$(grep -rla "$CORE" "$d" | head -3 | tr '\n' ' ')"
  done
  echo "$where"
}
out="$T_TMP/out-dir"; mkdir -p "$out"
cd "$out" || exit 1
run "$CDPILOT" run "$T_TMP/leak.json" --base-url "$BASE" --no-llm --json \
    --trace "$T_TMP/trace" --cache "$T_TMP/c.db"
expect_rc 1 "the task fails at its last step (exit 1)"
expect_err 'FAIL leak: step 5/5' "the failure is the assertion"
expect_err '\*\*\*' "the secret shows as ***"
expect_err 'console: +.*leaked \*\*\*' "stderr console: line is redacted"
expect_err 'page: +.*t=\*\*\*' "stderr page: line is redacted"
expect_true "a screenshot was taken under a redacted name" test -s "$out/shot-***.png"
expect_true "the trace has a CDP log, console log and saved HTML" \
  test -s "$(ls "$T_TMP"/trace/*/cdp.log)" -a -s "$(ls "$T_TMP"/trace/*/console.log)" \
  -a -s "$(ls "$T_TMP"/trace/*/step-005-failed.html)"
expect_true "the title reached the CDP log (redacted)" grep -q '"title":"T \*\*\*"' "$(ls "$T_TMP"/trace/*/cdp.log)"
w=$(leaks "$T_TMP/trace" "$out" "$T_TMP/c.db" "$T_TMP/c.db-wal")
if [[ -z "$w" ]]; then ok "no output path holds the secret (run --json --trace)"
else nok "no output path holds the secret (run --json --trace)" "found in:$w"; fi
expect_true "--json url is redacted" test "$(py_json '"t=***" in r["steps"][4]["url"]')" = True
sqlite3_dump() { python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print('\n'.join(str(r) for t in ('entries','runs') for r in c.execute('select * from '+t)))" "$1" 2>/dev/null; }
if sqlite3_dump "$T_TMP/c.db" | grep -q "$CORE"; then nok "cache rows and checkpoints hold no secret"
else ok "cache rows and checkpoints hold no secret"; fi

# the same through smoke, with JUnit and JSON
mkdir -p "$T_TMP/suite"; cp "$T_TMP/leak.json" "$T_TMP/suite/"
run "$CDPILOT" smoke "$T_TMP/suite" --serve "$site" --no-llm --json \
    --junit "$T_TMP/j.xml" --trace "$T_TMP/strace" --cache "$T_TMP/c2.db"
expect_rc 1 "smoke: the task fails"
expect_true "smoke: JUnit written" test -s "$T_TMP/j.xml"
w=$(leaks "$T_TMP/j.xml" "$T_TMP/strace" "$out" "$T_TMP/c2.db")
if [[ -z "$w" ]]; then ok "smoke: no output path holds the secret (JUnit, JSON, trace)"
else nok "smoke: no output path holds the secret (JUnit, JSON, trace)" "found in:$w"; fi

# a secret in a target's words: neither cached nor sent anywhere
cat >"$T_TMP/tgt.json" <<'EOF'
{"schema_version":1,"steps":[{"goto":"s.html"},
 {"fill":"Name","value":"x"},{"click":"${env.CDPILOT_SECRET_W} button"}]}
EOF
CDPILOT_SECRET_W=Greet run "$CDPILOT" run "$T_TMP/tgt.json" --base-url "$BASE" \
    --no-llm --json --cache "$T_TMP/c3.db"
expect_rc 0 "a target holding a secret resolves (exit 0)"
if sqlite3_dump "$T_TMP/c3.db" | grep -q "Greet"; then nok "a target holding a secret is not cached"
else ok "a target holding a secret is not cached"; fi
expect_out '"target":[[:space:]]*"\*\*\* button"' "its target is reported redacted"
cd "$ROOT" || exit 1
done_testing
