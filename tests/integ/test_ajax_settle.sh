#!/usr/bin/env bash
# A click that loads the next page by AJAX (docs/RELIABILITY.md): the old
# page stays until the request comes back, and it shows the same words
# as the new one ("SQL", a server's tab and a database's). The click's
# settling waits for the XHR and fetch requests the click started, so the
# next step reads the new page, never the old one. Both by XHR and by
# fetch, from the heuristics and from the cache; and the scripts such an
# answer loads, which bind the new content, are waited for too.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
start=$(browsers)

# The test's own server: the page, and /api/db answering 0.8 s late.
python3 - >"$T_TMP/app.port" <<'EOF' &
import http.server, socketserver, time
PAGE = b"""<!doctype html><html><head><title>Admin</title></head><body>
<nav><a href="#" id="xhr" onclick="open_db('xhr'); return false">Open shop</a>
<a href="#" id="fetch" onclick="open_db('fetch'); return false">Open orders</a>
<a href="#" id="rows" onclick="open_rows(); return false">Browse customers</a></nav>
<div id="content"><h1>Server</h1><a href="#sql-server">SQL</a> <a href="#status">Status</a></div>
<script>
function show(html) { document.getElementById('content').innerHTML = html; }
function open_rows() {
  var x = new XMLHttpRequest();
  x.onload = function () {
    show(x.responseText);
    var js = document.createElement('script');
    js.src = '/bind.js';
    document.head.appendChild(js);
  };
  x.open('GET', '/api/rows'); x.send();
}
function open_db(how) {
  if (how === 'xhr') {
    var x = new XMLHttpRequest();
    x.onload = function () { show(x.responseText); };
    x.open('GET', '/api/db'); x.send();
  } else {
    fetch('/api/db').then(function (r) { return r.text(); }).then(show);
  }
}
</script></body></html>"""
DB = b'<h1>Database shop</h1><a href="#sql-db">SQL</a> <a href="#structure">Structure</a>'
ROWS = b'<h1>customers</h1><a href="#deleted-unconfirmed" id="del">Delete</a>'
BIND = (b"document.getElementById('del').onclick = function () {"
        b" document.getElementById('content').insertAdjacentHTML('beforeend',"
        b" '<div role=dialog><a href=\\x27#deleted\\x27>OK</a></div>');"
        b" return false; };")
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = PAGE
        if self.path.startswith('/api/db'):
            time.sleep(0.8)
            body = DB
        elif self.path.startswith('/api/rows'):
            body = ROWS
        elif self.path.startswith('/bind.js'):
            time.sleep(0.8)
            body = BIND
        self.send_response(200)
        self.send_header('Content-Type', 'text/html')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
s = S(('127.0.0.1', 0), H)
print(s.server_address[1], flush=True)
s.timeout = 0.5
end = time.time() + 300
while time.time() < end:
    s.handle_request()
EOF
for _ in $(seq 100); do [[ -s "$T_TMP/app.port" ]] && break; sleep 0.05; done
APP="http://127.0.0.1:$(cat "$T_TMP/app.port")"

for how in 'Open shop' 'Open orders'; do
  task='{"schema_version":1,"name":"ajax","steps":[{"goto":"'$APP'/"},
 {"click":"'$how'"}, {"click":"SQL"},
 {"assert":{"js":"location.hash === \"#sql-db\""}}]}'
  traced ajax <<<"$task"
  expect_rc 0 "\"$how\" (by AJAX), then \"SQL\": the new page's link"
  traced ajax-cold --cache "$T_TMP/ajax.db" <<<"$task"
  expect_rc 0 "\"$how\": cold run with a cache"
  traced ajax-warm --cache "$T_TMP/ajax.db" <<<"$task"
  expect_rc 0 "\"$how\": warm run, the cached link on the new page"
  expect_true "\"$how\": from the cache" test "$(py_json 'r["steps"][2]["source"]')" = cache
  rm -f "$T_TMP/ajax.db"
done

# The answer's script binds the new content's "Delete": clicked before
# it is in, the link would follow its href, unconfirmed.
traced rows <<EOF
{"schema_version":1,"name":"rows","steps":[{"goto":"$APP/"},
 {"click":"Browse customers"}, {"click":"Delete"}, {"click":"OK"},
 {"assert":{"js":"location.hash === '#deleted'"}}]}
EOF
expect_rc 0 "the scripts the answer loads are waited for: Delete asks, OK confirms"

expect_true "no orphan browser" test "$(browsers)" -le "$start"
done_testing
