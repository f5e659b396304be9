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
        if self.path.startswith('/account.html'):
            return self.account()
        time.sleep(1.5)
        body = (b"document.querySelectorAll('input[name=t]').forEach(function (r) {"
                b" r.addEventListener('change', function () {"
                b" document.getElementById('healthy').hidden = r.id === 'unhealthy'; }); });")
        self.send_response(200)
        self.send_header('Content-Type', 'text/javascript')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def account(self):
        # the head and the menu's markup at once, the script that makes
        # the menu open 1.5 s later (a server still rendering the page)
        self.send_response(200)
        self.send_header('Content-Type', 'text/html')
        self.end_headers()
        self.wfile.write(b"<!doctype html><html><head><title>Account</title>"
            b"<script>history.replaceState(null, '', location.pathname);</script>"
            b"</head><body><div id='me'><a href='#'>Howdy, admin</a>"
            b"<div id='menu' hidden><a href='#' onclick=\"document.title = 'bye';"
            b" return false\">Log Out</a></div></div>" + b" " * 4096)
        self.wfile.flush()
        time.sleep(1.5)
        self.wfile.write(b"<script>document.getElementById('me').addEventListener("
            b"'mouseenter', function () { document.getElementById('menu').hidden = false; });"
            b"</script></body></html>")
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

# The new page's head rewrites its own URL (history.replaceState, as
# admin UIs do to drop one-time query words) while the rest of it is
# still coming: the load is still ahead, and the hover that opens the
# account menu must wait for the script that makes it open.
cat >"$site/home.html" <<EOF
<!doctype html><html><head><title>Home</title></head><body>
<a href="$SLOW/account.html?from=login">My account</a>
</body></html>
EOF
traced menu <<EOF
{"schema_version":1,"name":"menu","steps":[{"goto":"$BASE/home.html"},
 {"click":"My account"}, {"hover":"Howdy, admin"}, {"click":"Log Out"},
 {"wait_for":{"js":"document.title === 'bye'"},"timeout_ms":3000}]}
EOF
expect_rc 0 "a page that rewrote its URL while loading: the hover waited for its script, the menu opened"

expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
