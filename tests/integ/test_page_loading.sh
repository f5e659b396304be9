#!/usr/bin/env bash
# A step that comes while the page is still loading (docs/RELIABILITY.md):
# a click started a navigation that the click's own settling did not see
# (here a script navigates on a timer 50 ms later; a form's submission
# told late does the same), and the new page shows its controls before
# its scripts ran.
# A plain-words step waits for the page's load before it looks, so the
# control it acts on has its handlers: "Unhealthy" filters the list.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
serve_site

# slow.js comes 1.5 s late, from a server of the test's own: the page
# shows its filter buttons for that long before the script that makes
# them work has run.
python3 - >"$T_TMP/slow.port" <<'EOF' &
import http.server, time
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(1.5)
        body = (b"document.querySelectorAll('input[name=t]').forEach(function (r) {"
                b" r.addEventListener('change', function () {"
                b" document.getElementById('healthy').hidden = r.id === 'unhealthy'; }); });")
        self.send_response(200)
        self.send_header('Content-Type', 'text/javascript')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(('127.0.0.1', 0), H)
print(s.server_address[1], flush=True)
s.timeout = 0.5
end = time.time() + 300
while time.time() < end:
    s.handle_request()
EOF
for _ in $(seq 100); do [[ -s "$T_TMP/slow.port" ]] && break; sleep 0.05; done
SLOW="http://127.0.0.1:$(cat "$T_TMP/slow.port")"

cat >"$site/status.html" <<'EOF'
<!doctype html><html><head><title>Status</title></head><body>
<a href="#" onclick="setTimeout(function () { location.href = 'targets.html'; }, 50); return false">Targets</a>
</body></html>
EOF
cat >"$site/targets.html" <<EOF
<!doctype html><html><head><title>Targets</title></head><body>
<div><label><input type="radio" name="t" id="all" checked> All</label>
<label><input type="radio" name="t" id="unhealthy"> Unhealthy</label></div>
<div id="healthy">prometheus (1/1 up)</div><div>backup-agent (0/1 up)</div>
<script src="$SLOW/slow.js"></script>
</body></html>
EOF

traced loading <<EOF
{"schema_version":1,"name":"loading","steps":[{"goto":"$BASE/status.html"},
 {"click":"Targets"}, {"click":"Unhealthy"},
 {"wait_for":{"js":"!document.body.innerText.includes('prometheus (1/1 up)')"},"timeout_ms":3000}]}
EOF
expect_rc 0 "the filter clicked once the page had loaded: it works"

expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
