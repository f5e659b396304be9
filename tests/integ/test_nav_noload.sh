#!/usr/bin/env bash
# A click that starts a navigation which never loads a page: the server
# answers 204 No Content, or sends a download. The browser announces the
# navigation (Page.frameRequestedNavigation) and then stops loading
# (Page.frameStoppedLoading) with no load event; the step must end there,
# not wait out its timeout (docs/RELIABILITY.md, selectors/page.c).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
start=$(browsers)

# `cdpilot serve` sends files only: a small server for the two answers.
python3 - "$T_TMP/port" <<'EOF' &
import http.server, socketserver, sys
PAGE = b"""<!doctype html><html><head><title>Reports</title></head><body>
<h1>Reports</h1>
<a href="/ping">Mark as read</a>
<a href="/report.csv">Export CSV</a>
<p id="ok">still here</p>
</body></html>"""
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        if self.path == '/ping':
            self.send_response(204)
            self.end_headers()
            return
        if self.path == '/report.csv':
            body = b"a,b\n1,2\n"
            self.send_response(200)
            self.send_header('Content-Type', 'text/csv')
            self.send_header('Content-Disposition',
                             'attachment; filename="report.csv"')
        else:
            body = PAGE
            self.send_response(200)
            self.send_header('Content-Type', 'text/html')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
s = socketserver.TCPServer(('127.0.0.1', 0), H)
open(sys.argv[1], 'w').write(str(s.server_address[1]))
s.serve_forever()
EOF
for _ in $(seq 100); do [[ -s "$T_TMP/port" ]] && break; sleep 0.05; done
BASE="http://127.0.0.1:$(cat "$T_TMP/port")"

# A click waits for the navigation it started up to the navigation
# timeout, 8 s here: a wait for a load that never comes fails the step.
echo '{"timeouts": {"navigation_ms": 8000}}' >"$T_TMP/nav8.json"
cat >"$T_TMP/task.json" <<EOF
{"schema_version":1,"name":"no load","steps":[{"goto":"$BASE/"},
 {"click":"css=a[href='/ping']"},
 {"click":"Export CSV link"},
 {"click":"text=Mark as read"},
 {"assert":{"js":"location.pathname === '/' && document.getElementById('ok') !== null"}}]}
EOF
# HOME is the test's own: a download must not land in $HOME/Downloads
# (it goes to the browser's temporary profile, removed with it).
mkdir -p "$T_TMP/home"
HOME="$T_TMP/home" run "$CDPILOT" run "$T_TMP/task.json" \
  --profile "$T_TMP/nav8.json" --no-cache --no-llm --json
expect_rc 0 "clicks on a 204 link and a download link pass"
expect_true "every step passed, the page stayed" \
  test "$(py "$T_TMP/out" "[s['status'] for s in j['steps']]")" = \
       "['passed', 'passed', 'passed', 'passed', 'passed']"
expect_true "the download left nothing in \$HOME" \
  test -z "$(find "$T_TMP/home" -name 'report*' 2>/dev/null)"

sleep 0.5
expect_true "no browser left behind" test "$(browsers)" -le "$start"
done_testing
