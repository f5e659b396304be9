#!/usr/bin/env bash
# A read with an explicit target is one page call: the locate that finds
# the element reads it too (an extract), or takes the check's first look
# (an assert of its value, text, attribute or state). It still waits for
# the element to exist, reads an attribute, a form value or the text,
# says so when the attribute is missing, and an assert that does not hold
# at once still polls until it does. Counted in the CDP trace.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site
# serve_site, traced, py_json: lib.sh

cat >"$site/read.html" <<'EOF'
<!doctype html><html><head><title>Read</title></head><body>
<p id="total" data-cur="EUR">Order total:   12 EUR</p>
<input id="em" value="ann@example.com">
<p id="hid" hidden>not shown</p>
<script>
setTimeout(function () {
  var p = document.createElement('p');
  p.id = 'late'; p.textContent = 'Arrived';
  document.body.appendChild(p);
}, 300);
</script>
</body></html>
EOF

# page_reads STEP: how many page calls of step STEP (1-based) locate and
# how many read or look (P.read, P.probe), as "LOCATES READS"
page_reads() {
  python3 - "$(ls "$T_TMP"/trace/*/cdp.log | head -1)" "$1" <<'PY'
import json, sys
log, want = sys.argv[1], int(sys.argv[2])
step = loc = rd = 0
for line in open(log):
    if not line.startswith('> '):
        continue
    try:
        m = json.loads(line.split(' ', 2)[2], strict=False)
    except ValueError:
        continue
    if m.get('method') == 'Page.captureScreenshot':
        step += 1
        continue
    if step + 1 != want:
        continue
    p = m.get('params', {})
    e = p.get('expression', '') + p.get('functionDeclaration', '')
    loc += '__cdpilot.locate(' in e or 'P.locate(' in e
    rd += any(f in e for f in ('__cdpilot.read(', 'P.read(', '__cdpilot.probe('))
print(loc, rd)
PY
}

traced reads <<EOF
{"schema_version":1,"name":"reads","steps":[{"goto":"$BASE/read.html"},
 {"extract":"css=#total","as":"t"},
 {"extract":"css=#total","attribute":"data-cur","as":"c"},
 {"extract":"css=#em","as":"e"},
 {"extract":"css=#late","as":"l"},
 {"extract":"css=#hid","as":"h"},
 {"assert":{"js":"'\${t}|\${c}|\${e}|\${l}|\${h}' === 'Order total: 12 EUR|EUR|ann@example.com|Arrived|not shown'"}}]}
EOF
expect_rc 0 "the task passes: every value read as before"
for k in 2 3 4 5 6; do
  expect_true "extract step $k: one locate, no read call of its own" test "$(page_reads $k)" = "1 0"
done
expect_true "each extract reports its value" test "$(py_json '"|".join(s.get("value", "-") for s in r["steps"][1:6])')" = "Order total: 12 EUR|EUR|ann@example.com|Arrived|not shown"

traced asserts <<EOF
{"schema_version":1,"name":"asserts","steps":[{"goto":"$BASE/read.html"},
 {"assert":{"value":{"target":"css=#em","equals":"ann@example.com"}}},
 {"assert":{"target":"css=#total","text_matches":"^Order total: \\\\d+ EUR$"}},
 {"assert":{"target":"css=#total","text":"Order total: 12 EUR"}},
 {"assert":{"target":"css=#total","attribute":"data-cur","value":"EUR"}},
 {"assert":{"target":"css=#em","value":"ann@example.com"}},
 {"assert":{"target":"css=#em","state":"enabled"}},
 {"assert":{"target":"css=#late","text":"Arrived"}}]}
EOF
expect_rc 0 "the asserts pass"
for k in 2 3 4 5 6 7 8; do
  expect_true "assert step $k: one locate, no look of its own" test "$(page_reads $k)" = "1 0"
done

# a value that is not there yet at the first look: polled until it is
cat >"$site/later.html" <<'EOF'
<!doctype html><html><body><input id="q" value="old"><p id="s">Saving</p>
<script>setTimeout(function () {
  document.getElementById('q').value = 'new';
  document.getElementById('s').textContent = 'Saved';
}, 300);</script></body></html>
EOF
traced later <<EOF
{"schema_version":1,"name":"later","steps":[{"goto":"$BASE/later.html"},
 {"assert":{"value":{"target":"css=#q","equals":"new"}}},
 {"assert":{"target":"css=#s","text":"Saved"}}]}
EOF
expect_rc 0 "an assert that holds only later still passes"

traced noattr <<EOF
{"schema_version":1,"name":"noattr","steps":[{"goto":"$BASE/read.html"},
 {"extract":"css=#total","attribute":"data-none","as":"x"}]}
EOF
expect_rc 1 "a missing attribute fails the step"
expect_true "... saying which" test "$(py_json 'r["steps"][1]["error"]')" = 'the element has no attribute "data-none"'

traced gone <<EOF
{"schema_version":1,"name":"gone","steps":[{"goto":"$BASE/read.html"},
 {"extract":"css=#never","as":"x","timeout_ms":400}]}
EOF
expect_rc 1 "an element that never comes fails the step"
expect_true "... after waiting for it" test "$(py_json '"no element matches css=#never" in r["steps"][1]["error"]')" = "True"

done_testing
