#!/usr/bin/env bash
# Network waits and checks (docs/TASKS.md "Network"), against the test's
# own server on 127.0.0.1 that logs every request it gets: wait_for
# network_idle waits for a fetch the page makes after load; wait_for
# response finds a POST by URL, method and status, also one that came
# back during the step before; no_failed_requests names a 404
# subresource, no_console_errors a console.error; a --block pattern (and
# a profile's "block") keeps the analytics request from ever reaching the
# server, and a blocked request is no failed one.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
start=$(browsers)
python3 - "$T_TMP/server.log" >"$T_TMP/app.port" <<'EOF' &
import http.server, socketserver, sys, time
LOG = open(sys.argv[1], 'a', buffering=1)
LATE = b"""<!doctype html><title>Late</title><p id=st>loading</p>
<script>setTimeout(function () {
  fetch('/api/slow').then(function (r) { return r.text(); })
    .then(function (t) { document.getElementById('st').textContent = t; });
}, 300);</script>"""
FORM = b"""<!doctype html><title>Form</title>
<button id=save onclick="fetch('/api/save', {method: 'POST', body: 'x'})
  .then(function (r) { document.getElementById('m').textContent = 'saved ' + r.status; })">Save</button>
<button id=bad onclick="fetch('/api/broken', {method: 'POST'})">Break</button>
<p id=m></p>"""
BAD = b"""<!doctype html><title>Bad</title><p>Broken image below</p>
<img src="/missing.png"><script>console.error('boom: widget failed');</script>"""
GOOD = b"""<!doctype html><title>Good</title><p>All fine</p>
<script>fetch('/analytics/collect?e=view').catch(function () {
  document.title = 'Good (analytics blocked)'; });</script>"""
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def reply(self, code, body, ctype='text/html'):
        self.send_response(code)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers(); self.wfile.write(body)
    def do_GET(self):
        LOG.write('GET ' + self.path + '\n')
        if self.path == '/late.html': return self.reply(200, LATE)
        if self.path == '/form.html': return self.reply(200, FORM)
        if self.path == '/bad.html': return self.reply(200, BAD)
        if self.path == '/good.html': return self.reply(200, GOOD)
        if self.path == '/api/slow':
            time.sleep(0.8); return self.reply(200, b'loaded late', 'text/plain')
        if self.path.startswith('/analytics/'): return self.reply(204, b'')
        self.reply(404, b'no such thing', 'text/plain')
    def do_POST(self):
        LOG.write('POST ' + self.path + '\n')
        n = int(self.headers.get('Content-Length') or 0); self.rfile.read(n)
        if self.path == '/api/save':
            time.sleep(0.3); return self.reply(201, b'{}', 'application/json')
        self.reply(500, b'broken', 'text/plain')
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
s = S(('127.0.0.1', 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
EOF
for _ in $(seq 100); do [[ -s "$T_TMP/app.port" ]] && break; sleep 0.05; done
B="http://127.0.0.1:$(cat "$T_TMP/app.port")"

# network_idle waits for the fetch the page makes 0.3 s after load, which
# takes 0.8 s: the text is there at once after it
traced idle --no-cache --timeout 10000 <<EOF
{"schema_version":1,"steps":[{"goto":"$B/late.html"},
 {"wait_for":{"network_idle":500}},
 {"assert":{"target":"css=#st","text":"loaded late"},"timeout_ms":0}]}
EOF
expect_rc 0 "network_idle waits for a fetch made after load"
ms=$(py_json "r['steps'][1]['duration_ms']")
expect_true "... and took at least the fetch's time ($ms ms >= 1000)" test "$ms" -ge 1000
run "$CDPILOT" do "$B/late.html" expect-text-of css=#st "loaded late" --no-llm --no-cache --timeout 0
expect_rc 1 "without it the text is not there yet (timeout 0)"
run "$CDPILOT" do "$B/late.html" wait-idle 500 --no-llm --no-cache --timeout 600
expect_rc 1 "network_idle fails when the network stays busy past the timeout"
expect_err 'the network is not idle after [0-9]+ ms: 1 request in flight, e.g. GET http://127.0.0.1:[0-9]+/api/slow' "... naming the request in flight"

# wait_for response: a POST by URL, method and status, arriving during the
# click (the step before) or while waiting
traced resp --no-cache <<EOF
{"schema_version":1,"steps":[{"goto":"$B/form.html"},
 {"click":"css=#save"},
 {"wait_for":{"response":{"url":"/api/save\$","method":"POST","status":201}}},
 {"assert":{"target":"css=#m","text":"saved 201"}}]}
EOF
expect_rc 0 "wait_for response matches the POST the click made"
expect_true "the report names the response" test "$(py_json "r['steps'][2].get('value')")" = "POST $B/api/save 201"
traced resp2 --no-cache <<EOF
{"schema_version":1,"steps":[{"goto":"$B/form.html"},
 {"click":"css=#save"},
 {"wait_for":{"response":{"url":"/api/save","status":201}}},
 {"wait_for":{"response":{"url":"/api/save"}},"timeout_ms":800}]}
EOF
expect_rc 1 "a response satisfies one wait only (the second finds none)"
expect_err 'no response /\/api\/save/ after 800 ms' "... saying which response it waited for"
traced resp3 --no-cache <<EOF
{"schema_version":1,"steps":[{"goto":"$B/form.html"},
 {"click":"css=#bad"},
 {"wait_for":{"response":{"url":"/api/broken","method":"POST","status":200}},"timeout_ms":1500}]}
EOF
expect_rc 1 "a response with another status does not count"
expect_err 'no response POST /\/api\/broken/ 200 after 1500 ms; last one of that URL: POST http://127.0.0.1:[0-9]+/api/broken 500' "... and the one that came is named"
run "$CDPILOT" do "$B/form.html" click css=#save wait-response '/api/save$' --no-llm --no-cache
expect_rc 0 "inline: wait-response"

# failed requests and console errors
traced bad --no-cache <<EOF
{"schema_version":1,"steps":[{"goto":"$B/bad.html"},
 {"assert":{"no_failed_requests":true},"optional":true},
 {"assert":{"no_console_errors":true}}]}
EOF
expect_rc 1 "a 404 subresource and a console.error fail the checks"
expect_true "no_failed_requests names the URL and status" \
  grep -qE "1 failed request: GET $B/missing.png -> 404" <<<"$(py_json "r['steps'][1]['error']")"
expect_true "no_console_errors names the message" \
  grep -q "1 console error: console.error: boom: widget failed" <<<"$(py_json "r['steps'][2]['error']")"
traced good --no-cache <<EOF
{"schema_version":1,"steps":[{"goto":"$B/form.html"},
 {"assert":{"no_failed_requests":true}},{"assert":{"no_console_errors":true}}]}
EOF
expect_rc 0 "a clean page passes both"
run "$CDPILOT" do "$B/bad.html" expect-no-console-errors --no-llm --no-cache
expect_rc 1 "inline: expect-no-console-errors"
# opt in for every step: the task's "checks" (and the profile's)
traced optin --no-cache <<EOF
{"schema_version":1,"checks":{"no_failed_requests":true},"steps":[
 {"goto":"$B/form.html"},{"goto":"$B/bad.html"},{"goto":"$B/form.html"}]}
EOF
expect_rc 1 "a task's checks fail the step that loaded the broken page"
expect_true "... step 2, with the URL" grep -q '"checks" after the step: 1 failed request: GET .*/missing.png -> 404' <<<"$(py_json "r['steps'][1]['error']")"
cat >"$T_TMP/strict.json" <<'EOF'
{"extends": "default", "checks": {"no_console_errors": true}}
EOF
run "$CDPILOT" do "$B/bad.html" --profile "$T_TMP/strict.json" --no-llm --no-cache
expect_rc 1 "a profile's checks fail a page with a console error"
expect_err 'console error: console.error: boom' "... naming it"

# blocking: the analytics request never reaches the server, the page sees
# it fail, and it is no failed request
: >"$T_TMP/server.log"
run "$CDPILOT" do "$B/good.html" expect-title "Good (analytics blocked)" expect-no-failed-requests \
  --block '*/analytics/*' --no-llm --no-cache --json
expect_rc 0 "--block: the page sees its analytics request fail; no failed request"
expect_true "the server never got it" bash -c '! grep -q analytics "$1" && grep -q "GET /good.html" "$1"' _ "$T_TMP/server.log"
expect_out 'no failed requests \(1 blocked\)' "the report says how many were blocked"
cat >"$T_TMP/noads.json" <<'EOF'
{"extends": "default", "block": ["*/analytics/*"]}
EOF
: >"$T_TMP/server.log"
run "$CDPILOT" do "$B/good.html" expect-title "Good (analytics blocked)" --profile "$T_TMP/noads.json" --no-llm --no-cache
expect_rc 0 "a profile's block list blocks too"
expect_true "... the server never got it" bash -c '! grep -q analytics "$1"' _ "$T_TMP/server.log"
: >"$T_TMP/server.log"
run "$CDPILOT" do "$B/good.html" wait-idle 300 expect-title "Good" --no-llm --no-cache
expect_rc 0 "without a block list the request goes through"
expect_true "... and reaches the server" grep -q 'GET /analytics/collect?e=view' "$T_TMP/server.log"

# bad inputs: exit 2 before any browser starts
before=$(browsers)
bads=(
 '{"wait_for":{"network_idle":-5}}|field "wait_for.network_idle": expected a non-negative integer'
 '{"wait_for":{"network_idle":"500"}}|field "wait_for.network_idle": expected a non-negative integer \(milliseconds\), got a string'
 '{"wait_for":{"response":{"method":"POST"}}}|field "wait_for.response": missing "url"'
 '{"wait_for":{"response":{"url":"("}}}|field "wait_for.response.url": bad regex'
 '{"wait_for":{"response":{"url":"x","method":"post"}}}|field "wait_for.response.method": expected an HTTP method in capitals'
 '{"wait_for":{"response":{"url":"x","status":99}}}|field "wait_for.response.status": expected an HTTP status code, got 99'
 '{"wait_for":{"response":{"url":"x","code":200}}}|unknown key "code" in wait_for.response'
 '{"wait_for":{"network_idle":5,"text":"x"}}|two conditions'
 '{"assert":{"no_failed_requests":false}}|field "assert.no_failed_requests": expected true'
 '{"assert":{"no_console_errors":true,"not":true}}|"not" does not apply to "no_console_errors"'
)
for b in "${bads[@]}"; do
  step=${b%%|*}; want=${b#*|}
  printf '{"schema_version":1,"steps":[{"goto":"http://127.0.0.1:1/"},%s]}' "$step" >"$T_TMP/b.json"
  run "$CDPILOT" run "$T_TMP/b.json" --no-llm --no-cache
  if [[ $RC -eq 2 ]] && grep -qE -- "b.json: step 2 .*$want" <<<"$ERR" && [[ $(wc -l <<<"$ERR") -eq 1 ]]; then ok "rejected: $step"
  else nok "rejected: $step" "exit $RC" "stderr: ${ERR:0:600}"; fi
done
printf '{"schema_version":1,"checks":{"no_failed_request":true},"steps":[{"goto":"http://127.0.0.1:1/"}]}' >"$T_TMP/b.json"
run "$CDPILOT" run "$T_TMP/b.json" --no-llm
expect_rc 2 "a misspelt check is rejected"
expect_err 'unknown key "no_failed_request" in checks \(did you mean "no_failed_requests"\?\)' "... with a suggestion"
printf '{"extends":"default","block":"*/ads/*"}' >"$T_TMP/badprof.json"
run "$CDPILOT" do http://127.0.0.1:1/ --profile "$T_TMP/badprof.json" --no-llm
expect_rc 2 "a profile's block that is no list is rejected"
expect_err '"block": expected an array of strings' "... naming the field"
run "$CDPILOT" do http://127.0.0.1:1/ --block '' --no-llm
expect_rc 2 "an empty --block pattern is rejected"
run "$CDPILOT" do http://127.0.0.1:1/ wait-idle soon --no-llm
expect_rc 2 "inline: wait-idle needs milliseconds"
expect_err 'step 2 \(wait_for\): field "wait_for.network_idle": expected a non-negative integer \(milliseconds\), got "soon"' "... naming the field"
expect_true "no browser was started for a bad input" test "$(browsers)" -le "$before"
expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
