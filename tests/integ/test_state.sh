#!/usr/bin/env bash
# Session state (docs/TASKS.md "Session state"): a login that sets an
# HttpOnly cookie and a localStorage token, saved with save_state, loaded
# in a new browser (--state, load_state, smoke --setup) so that the
# protected page loads without logging in; a --resume after a killed run
# comes back logged in. The state file is 0600 and Playwright-shaped; its
# values never show in stdout, stderr or --json.
source "$(dirname "$0")/lib.sh"
cd "$T_TMP"

COOKIE=sid-Zq81xWcookievalue LS=ls-Tk27pQtokenvalue
# The application: /login (a form) sets the cookie and, in the page it
# answers, the localStorage token; /app is only for a cookie that holds
# the session, and says whether the page's storage holds the token.
python3 - "$COOKIE" "$LS" >"$T_TMP/app.port" <<'EOF' &
import http.server, socketserver, sys, time
cookie, ls = sys.argv[1], sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def page(self, body, extra=()):
        b = ("<!doctype html><html><head><meta charset=utf-8><title>%s"
             "</title></head><body>%s</body></html>" % body).encode()
        self.send_response(200)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header('Content-Type', 'text/html')
        self.send_header('Content-Length', str(len(b)))
        self.end_headers()
        self.wfile.write(b)
    def do_GET(self):
        if self.path.startswith('/login?user='):
            return self.page(("Signed in", "<p>Logged in</p><script>"
                "localStorage.setItem('token', '%s');</script>" % ls),
                [('Set-Cookie', 'sid=%s; Path=/; HttpOnly; SameSite=Lax' % cookie)])
        if self.path.startswith('/login'):
            return self.page(("Sign in", "<form action=/login><label>User "
                "<input name=user></label><button>Sign in</button></form>"))
        if self.path.startswith('/app'):
            if ('sid=' + cookie) not in (self.headers.get('Cookie') or ''):
                return self.page(("Sign in", "<p>Please sign in</p>"))
            return self.page(("Dashboard", "<h1>Welcome back</h1><p id=ls></p>"
                "<script>document.getElementById('ls').textContent = "
                "localStorage.getItem('token') === '%s' ? 'storage ok' : "
                "'storage missing';</script>" % ls))
        self.send_response(404); self.end_headers()
    def log_message(self, *a):
        pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
s = S(('127.0.0.1', 0), H)
print(s.server_address[1], flush=True)
s.timeout = 0.5
end = time.time() + 600
while time.time() < end:
    s.handle_request()
EOF
for _ in $(seq 100); do [[ -s "$T_TMP/app.port" ]] && break; sleep 0.05; done
APP="http://127.0.0.1:$(cat "$T_TMP/app.port")"
start=$(browsers)

# no secret value anywhere in what cdpilot printed
no_secret() {
  if grep -qE "$COOKIE|$LS" <<<"$OUT$ERR"; then
    nok "$1" "a state value was printed" "${OUT:0:500}" "${ERR:0:500}"
  else ok "$1"; fi
}

cat >login.json <<EOF
{"schema_version":1,"name":"login","steps":[{"goto":"$APP/login"},
 {"fill":"css=input[name=user]","value":"alice"},{"click":"Sign in"},
 {"wait_for":{"text":"Logged in"}},{"save_state":"st.json"}]}
EOF
run "$CDPILOT" run login.json --no-llm --no-cache --json
expect_rc 0 "login, then save_state"
expect_true "the state file is 0600" [ "$(stat -c %a st.json 2>/dev/null)" = 600 ]
expect_true "the state file holds the HttpOnly cookie and the token" python3 -c "
import json, sys
j = json.load(open('st.json'))
c = [c for c in j['cookies'] if c['name'] == 'sid']
assert c and c[0]['value'] == '$COOKIE' and c[0]['httpOnly'] is True, j
assert set(c[0]) == {'name','value','domain','path','expires','httpOnly','secure','sameSite'}, c
o = [o for o in j['origins'] if o['origin'] == '$APP']
assert o and {'name': 'token', 'value': '$LS'} in o[0]['localStorage'], j"
expect_out '"value":[[:space:]]*"saved 1 cookie, localStorage of 1 origin to st.json"' \
  "the report says what was saved, not its values"
no_secret "no state value in the login run's output"
ls st.json.tmp.* >/dev/null 2>&1 && nok "no temporary file left" || ok "no temporary file left"

# The protected page in a new browser: logged out without the state...
cat >app.json <<EOF
{"schema_version":1,"name":"app","steps":[{"goto":"$APP/app"},
 {"assert":{"text":"Welcome back"},"timeout_ms":1500},{"assert":{"text":"storage ok"},"timeout_ms":1500}]}
EOF
run "$CDPILOT" run app.json --no-llm --no-cache
expect_rc 1 "without the state the protected page asks to sign in"
# ... and logged in, its storage there before its scripts ran, with it
run "$CDPILOT" run app.json --no-llm --no-cache --json --state st.json \
  --trace "$T_TMP/trace"
expect_rc 0 "--state: the protected page loads without logging in"
no_secret "no state value in the --state run's output"
expect_true "no state value in its CDP trace either" \
  bash -c "! grep -rqE '$COOKIE|$LS' '$T_TMP/trace'"
cat >app2.json <<EOF
{"schema_version":1,"name":"app2","steps":[{"load_state":"st.json"},{"goto":"$APP/app"},
 {"assert":{"text":"Welcome back"},"timeout_ms":1500},{"assert":{"text":"storage ok"},"timeout_ms":1500}]}
EOF
run "$CDPILOT" run app2.json --no-llm --no-cache --json
expect_rc 0 "load_state: the protected page loads without logging in"
no_secret "no state value in the load_state run's output"
run "$CDPILOT" do "$APP/login" fill css=input[name=user] bob click "Sign in" \
  wait-text "Logged in" save-state "$T_TMP/inline.json" --no-llm --no-cache
expect_rc 0 "save-state as an inline word"
run "$CDPILOT" do about:blank load-state "$T_TMP/inline.json" goto "$APP/app" \
  expect-text "storage ok" --no-llm --no-cache
expect_rc 0 "load-state as an inline word"

# Smoke: the --setup task logs in once and saves the state; every task of
# the suite then starts with it.
mkdir -p suite && cp app.json suite/ && cp app.json suite/app-b.json
run "$CDPILOT" smoke suite --setup login-nosave.json --no-llm --no-cache
expect_rc 2 "--setup with a missing task file: exit 2"
sed 's/,{"save_state":"st.json"}//' login.json >login-nosave.json
run "$CDPILOT" smoke suite --setup login-nosave.json --no-llm --no-cache --json -j 2
expect_rc 0 "smoke --setup: the suite's tasks start logged in"
printf '%s' "$OUT" >smoke.json
expect_true "the setup ran once, then the two tasks" python3 -c "
import json; j = json.load(open('smoke.json'))
names = [t['task'] for t in j['tasks']]
assert j['tasks'][0].get('setup') is True, j['tasks'][0]
assert names.count('login') == 1 and names.count('app') == 2, names"
no_secret "no state value in the smoke output"
run "$CDPILOT" smoke suite --no-llm --no-cache
expect_rc 1 "the same suite without --setup fails"
expect_true "smoke left no state file in TMPDIR" \
  [ -z "$(find "$T_TMP" -maxdepth 2 -name 'cdpilot-setup-*')" ]

# --resume after a killed run comes back logged in: step 5 waits for a
# text that never comes; the run is killed there, then resumed with a
# text that does come. Its checkpointed state (not in the cache file) is
# what brings the session back.
cat >resume.json <<EOF
{"schema_version":1,"name":"resume","steps":[{"goto":"$APP/login"},
 {"fill":"css=input[name=user]","value":"carol"},{"click":"Sign in"},
 {"goto":"$APP/app"},{"wait_for":{"text":"\${want}"},"timeout_ms":60000},
 {"assert":{"text":"storage ok"},"timeout_ms":1500}]}
EOF
"$CDPILOT" run resume.json --no-llm --run-id killed1 --var want=never \
  >"$T_TMP/r1.out" 2>"$T_TMP/r1.err" &
pid=$!
ckpt="$T_TMP/cdpilot-failures-$(id -u)/killed1/state.json"
for _ in $(seq 300); do
  grep -q '4/6' "$T_TMP/r1.err" 2>/dev/null && [[ -s "$ckpt" ]] && break
  sleep 0.1
done
expect_true "the running task keeps its state in a 0600 file" \
  [ "$(stat -c %a "$ckpt" 2>/dev/null)" = 600 ]
kids=$(ps -o pid= --ppid "$pid")     # its browser, in a process group
kill -9 "$pid"; wait "$pid" 2>/dev/null
for k in $kids; do kill -9 -- -"$k" 2>/dev/null || kill -9 "$k" 2>/dev/null; done
expect_true "the cache file holds no state value" \
  bash -c "! grep -qaE '$COOKIE|$LS' '$CDPILOT_CACHE'"
run "$CDPILOT" run resume.json --no-llm --resume killed1 --var want=Welcome --json
expect_rc 0 "--resume after kill -9: back logged in, storage and all"
expect_out '"resumed_at_step":[[:space:]]*5' "resumed at the unfinished step"
no_secret "no state value in the resumed run's output"
expect_true "a passed run removes its state checkpoint and its folder" \
  [ ! -e "$(dirname "$ckpt")" ]

# Bad inputs: one line, exit 2, before any browser starts.
bad() {  # DESCRIPTION REGEX CMD...
  local d=$1 re=$2; shift 2
  local t0=$SECONDS
  run "$@"
  if [[ $RC -eq 2 && $(wc -l <<<"$ERR") -eq 1 ]] && grep -qE -- "$re" <<<"$ERR" &&
     ! grep -qE "$COOKIE|$LS" <<<"$ERR"; then ok "$d"
  else nok "$d" "exit $RC" "stderr: ${ERR:0:600}"; fi
}
step() { printf '{"schema_version":1,"steps":[{"goto":"about:blank"},%s]}' "$1" >bad.json; }
step '{"load_state":"missing.json"}'
bad "load_state of a missing file" 'bad.json: step 2 \(load_state\): field "load_state": missing.json: No such file' \
  "$CDPILOT" run bad.json
printf '{"cookies":[{"name":"sid","value":"%s" "domain":"x"}]}' "$COOKIE" >broken.json
step '{"load_state":"broken.json"}'
bad "load_state of bad JSON (no value quoted)" 'broken.json:1:[0-9]+: invalid JSON$' "$CDPILOT" run bad.json
printf '{"cookies":[{"name":"sid","value":"%s"}]}' "$COOKIE" >shape.json
bad "--state without a cookie's domain" '--state: shape.json: cookies\[0\]: field "domain": expected a string' \
  "$CDPILOT" run app.json --state shape.json
bad "--state of a missing file" '--state: nope.json: No such file' "$CDPILOT" run app.json --state nope.json
step '{"save_state":"../st.json"}'
bad "save_state outside the output folder" 'leaves the output folder' "$CDPILOT" run bad.json
step '{"save_state":"a.json"},{"load_state":"a.json"}'
run "$CDPILOT" run bad.json --no-llm --no-cache
expect_rc 0 "load_state of a file an earlier save_state writes validates"
expect_true "no browser left behind" [ "$(browsers)" -le "$start" ]
done_testing
