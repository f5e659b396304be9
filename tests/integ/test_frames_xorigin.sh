#!/usr/bin/env bash
# Targets inside cross-origin iframes (docs/TARGETS.md "Frames"): a
# payment frame served by a second server, embedded by the top page as
# http://localhost:P2 (another site: an out-of-process iframe with a
# session of its own) and as http://127.0.0.1:P2 (same site, another
# origin: the page's renderer, a context of its own). In each, css= and
# plain words fill and click; the frame tells the top page (postMessage)
# and its own text is checked in the frame; the second run takes both
# selectors from the cache, which names the frame. A page without such
# frames makes no call for them.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site
A=$BASE
site2="$T_TMP/site2"; mkdir -p "$site2"
rm -f "$T_TMP/serve.url"
serve "$site2"
P2=${BASE##*:}
py_json() { python3 -c "import json,sys; r=json.load(sys.stdin); print($1)" <<<"$OUT"; }

cat >"$site2/pay.html" <<'EOF'
<!doctype html><html><head><title>Pay</title></head><body>
<div style="height:40px"></div>
<label for="card">Card number</label> <input id="card" name="card">
<button id="payb" type="button" onclick="const v=document.getElementById('card').value;
 document.getElementById('out').textContent='paid '+v; parent.postMessage('paid '+v,'*')">Pay now</button>
<p id="out"></p></body></html>
EOF
# the frame sits away from the top-left corner, below the fold: a click
# placed without the frame's offset misses the button
top() { cat >"$site/$1.html" <<EOF
<!doctype html><html><head><title>Checkout</title></head><body>
<h1>Checkout</h1><p id="msg">waiting</p>
<button type="button" onclick="document.getElementById('msg').textContent='later'">Pay later</button>
<div style="height:900px"></div>
<iframe src="http://$2:$P2/pay.html" width="500" height="240"
 style="margin-left:60px;border:5px solid #888;padding:3px"></iframe>
<script>addEventListener('message', e => { document.getElementById('msg').textContent = String(e.data); });</script>
</body></html>
EOF
}
top oopif localhost
top same 127.0.0.1
cat >"$site/plain.html" <<'EOF'
<!doctype html><html><body><label for="e">Email</label> <input id="e">
<button type="button" onclick="document.getElementById('o').textContent='sent '+document.getElementById('e').value">Send</button>
<p id="o"></p></body></html>
EOF

# calls PAGE: the methods sent in the trace under $T_TMP/trace, with the
# sessions of iframe targets as "frame"; KIND of the attached targets.
methods() {
  python3 - "$(ls "$T_TMP"/trace/*/cdp.log | head -1)" <<'EOF'
import json, sys, collections
frames, sent, kinds = set(), collections.Counter(), set()
for line in open(sys.argv[1]):
    try:
        m = json.loads(line.split(' ', 2)[2], strict=False)
    except (ValueError, IndexError):
        continue
    if m.get('method') == 'Target.attachedToTarget':
        ti = m['params']['targetInfo']
        kinds.add(ti['type'])
        if ti['type'] == 'iframe':
            frames.add(m['params']['sessionId'])
    if line.startswith('> ') and 'method' in m:
        sent[('frame ' if m.get('sessionId') in frames else '') + m['method']] += 1
print(' '.join(sorted(kinds)), dict(sent))
EOF
}

for kind in oopif same; do
  traced "$kind-css" --no-cache <<EOF
{"schema_version":1,"name":"$kind css","steps":[{"goto":"$A/$kind.html"},
 {"fill":"css=#card","value":"4242"},{"click":"css=#payb"},
 {"assert":{"text":"paid 4242"}},
 {"assert":{"value":{"target":"css=#out","equals":"paid 4242"}}}]}
EOF
  expect_rc 0 "$kind: css= fills and clicks inside the frame; the top page shows the result"
  expect_true "$kind: the report names the frame of the element" test "$(py_json 'r["steps"][1]["selector"]')" = "frame=http://$([[ $kind == oopif ]] && echo localhost || echo 127.0.0.1):$P2/pay.html >> css=#card"
  if [[ $kind == oopif ]]; then
    expect_true "oopif: the frame is another renderer, attached with a session of its own" grep -q "iframe page" <<<"$(methods)"
    expect_true "oopif: the page script is evaluated in the frame's session" grep -q "'frame Runtime.evaluate'" <<<"$(methods)"
  else
    expect_true "same site: no target of its own, its context in the page's session" grep -qv "iframe" <<<"$(methods | cut -d' ' -f1)"
  fi

  cat >"$T_TMP/$kind-words.json" <<EOF
{"schema_version":1,"name":"$kind words","steps":[{"goto":"$A/$kind.html"},
 {"fill":"Card number","value":"5555"},{"click":"Pay now"},
 {"assert":{"text":"paid 5555"}},
 {"assert":{"value":{"target":"Card number","equals":"5555"}}}]}
EOF
  run "$CDPILOT" run "$T_TMP/$kind-words.json" --cache "$T_TMP/$kind.db" --no-llm --json
  expect_rc 0 "$kind: plain words find the field and the button in the frame (not the top's Pay later)"
  expect_true "$kind: first run ranks the frame's candidates" test "$(py_json '[s["source"] for s in r["steps"][1:3]]')" = "['heuristic', 'heuristic']"
  run "$CDPILOT" run "$T_TMP/$kind-words.json" --cache "$T_TMP/$kind.db" --no-llm --json
  expect_rc 0 "$kind: the second run passes"
  expect_true "$kind: second run: both from the cache" test "$(py_json '[s["source"] for s in r["steps"][1:3]]')" = "['cache', 'cache']"
  expect_true "$kind: the cached selector names the frame" test "$(py_json 'r["steps"][2]["selector"].split(" >> ")[0].startswith("frame=http://")')" = True
done

# no cross-origin frame: the per-step path makes no call for frames
traced plain --no-cache <<EOF
{"schema_version":1,"name":"plain","steps":[{"goto":"$A/plain.html"},
 {"fill":"Email","value":"x"},{"click":"Send"},{"click":"css=button"},
 {"assert":{"text":"sent x"}}]}
EOF
expect_rc 0 "a page without frames runs as before"
m=$(methods)
expect_true "no frame: one auto-attach at page open, no frame look-ups" \
  test "$(python3 -c "import ast,sys; d=ast.literal_eval(sys.argv[1].split(' ',1)[1]); print(d.get('Target.setAutoAttach'), d.get('DOM.getFrameOwner'), d.get('DOM.getBoxModel'), d.get('Page.getFrameTree'))" "$m")" = "1 None None 1"

expect_true "no browser left behind" test "$(browsers)" -le "$start"
done_testing
