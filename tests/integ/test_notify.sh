#!/usr/bin/env bash
# Notifications (docs/CLI.md "Notifications") and the resume hint. A
# failed run hands its failure summary (JSON, secrets redacted) to
# --on-failure's command (stdin and CDPILOT_* variables) and POSTs it to
# --notify's URL, a test server on 127.0.0.1: once; again after 500s
# until a 200; within the bound when the server hangs. Neither changes
# the exit code, a passing run notifies nobody, and profiles can ask for
# both. The resume hint of an inline run is a command that resumes it.
source "$(dirname "$0")/lib.sh"
cd "$T_TMP"

# The webhook: /ok answers 200, /flaky 500 twice then 200, /hang never
# answers; each request's path and body go to hooks.log, one JSON a line.
python3 - "$T_TMP/hooks.log" >"$T_TMP/hook.port" <<'PY' &
import http.server, json, socketserver, sys, time
log, seen = sys.argv[1], {}
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
        with open(log, 'a') as f:
            f.write(json.dumps({'path': self.path, 'type':
                                self.headers.get('Content-Type'),
                                'body': body.decode()}) + '\n')
        seen[self.path] = seen.get(self.path, 0) + 1
        if self.path == '/hang':
            time.sleep(60)
        code = 500 if self.path == '/flaky' and seen[self.path] <= 2 else 200
        self.send_response(code)
        self.send_header('Content-Length', '2')
        self.end_headers()
        self.wfile.write(b'ok')
    def log_message(self, *a):
        pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
s = S(('127.0.0.1', 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
for _ in $(seq 100); do [[ -s hook.port ]] && break; sleep 0.05; done
HOOK="http://127.0.0.1:$(cat hook.port)"
hooks() { python3 -c 'import json,sys
log=[json.loads(l) for l in open(sys.argv[1])] if __import__("os").path.exists(sys.argv[1]) else []
print(eval(sys.argv[2]))' "$T_TMP/hooks.log" "$1"; }

export CDPILOT_SECRET_N=pw-Xq83zzsecret
page='data:text/html,<title>Hook</title><p>nothing here</p>'
cat >fails.json <<JSON
{"schema_version": 1, "name": "fails",
 "steps": [{"goto": "$page"},
           {"assert": {"text": "\${env.CDPILOT_SECRET_N} here"}, "timeout_ms": 300}]}
JSON
cat >passes.json <<JSON
{"schema_version": 1, "name": "passes",
 "steps": [{"goto": "$page"}, {"assert": {"text": "nothing here"}}]}
JSON

# --on-failure: the JSON on stdin, the variables, the exit code kept
run "$CDPILOT" run fails.json --run-id job-7 \
  --on-failure 'cat >got.json; env | grep ^CDPILOT_ | sort >env.txt; exit 7'
expect_rc 1 "a failed run keeps its exit code (the command exited 7)"
expect_err 'warning: on-failure command exited with 7' "the command's failure is a warning"
expect_true "the command got the summary" test -s got.json
[[ $(py got.json 'j["failed"][0]["failed_step"]["kind"], j["failed"][0]["run_id"], j["exit_code"]') == "('assert', 'job-7', 1)" ]] \
  && ok "summary: failed step kind, run id, exit code" || nok "summary fields" "$(cat got.json)"
expect_true "CDPILOT_EXIT=1" grep -qx CDPILOT_EXIT=1 env.txt
expect_true "CDPILOT_RUN_ID=job-7" grep -qx CDPILOT_RUN_ID=job-7 env.txt
expect_true "CDPILOT_FAILED=1" grep -qx CDPILOT_FAILED=1 env.txt
expect_true "the summary holds no secret" bash -c "! grep -q Xq83zz got.json"
expect_true "... but its redaction" grep -q '\*\*\* here' got.json

rm -f got.json
run "$CDPILOT" run passes.json --on-failure 'cat >got.json'
expect_rc 0 "a passing run"
expect_true "runs no on-failure command" test ! -e got.json

# --notify: once, no secret, JSON
run "$CDPILOT" run fails.json --notify "$HOOK/ok"
expect_rc 1 "notify: exit code kept"
[[ $(hooks 'len([r for r in log if r["path"] == "/ok"])') == 1 ]] && ok "POSTed once" \
  || nok "POSTed once" "$(cat hooks.log)"
[[ $(hooks 'json.loads(log[-1]["body"])["failed"][0]["failed_step"]["error_class"]') == timeout ]] \
  && ok "the body is the summary" || nok "the body is the summary" "$(tail -n 1 hooks.log)"
expect_true "... as JSON" grep -q '"type": "application/json"' hooks.log
expect_true "no secret sent" bash -c "! grep -q Xq83zz hooks.log"

run "$CDPILOT" run fails.json --notify "$HOOK/flaky"
expect_rc 1 "flaky webhook: exit code kept"
[[ $(hooks 'len([r for r in log if r["path"] == "/flaky"])') == 3 ]] \
  && ok "500, 500, then 200: three tries" || nok "three tries" "$(grep flaky hooks.log | wc -l)"
if grep -q 'warning: notify' <<<"$ERR"; then nok "no warning once it got through" "$ERR"
else ok "no warning once it got through"; fi

t0=$(date +%s%N)
run "$CDPILOT" run fails.json --notify "$HOOK/ok"
base=$(( ($(date +%s%N) - t0) / 1000000 ))
t0=$(date +%s%N)
run "$CDPILOT" run fails.json --notify "$HOOK/hang"
hang=$(( ($(date +%s%N) - t0) / 1000000 ))
expect_rc 1 "hanging webhook: exit code kept"
expect_err "warning: notify $HOOK:" "a warning names the webhook's origin only"
echo "# hanging webhook: run ${hang} ms, with a webhook that answers ${base} ms"
(( hang - base <= 12000 )) && ok "a hanging webhook delays the exit by at most 10 s (+2 s margin): $((hang - base)) ms" \
  || nok "hanging webhook bound" "$((hang - base)) ms"

# in a profile
cat >notifying.json <<JSON
{"extends": "default",
 "notify": {"on_failure": "cat >prof.json", "url": "$HOOK/profile"}}
JSON
run "$CDPILOT" run fails.json --profile ./notifying.json
expect_rc 1 "profile notify: exit code kept"
expect_true "the profile's on_failure ran" test -s prof.json
[[ $(hooks 'len([r for r in log if r["path"] == "/profile"])') == 1 ]] && ok "the profile's url got it" \
  || nok "the profile's url got it" "$(cat hooks.log)"

# smoke: one summary at its end, not one per task (its tasks run with
# --no-notify, even under a profile that notifies)
mkdir -p suite; cp fails.json passes.json suite/
run env SMOKE_TEST_TAG="$T_TMP" "$CDPILOT" smoke suite --profile ./notifying.json \
  --notify "$HOOK/smoke" --on-failure 'cat >smoke.json'
expect_rc 1 "smoke with a failed task: exit 1"
[[ $(hooks 'len([r for r in log if r["path"] == "/smoke"])') == 1 ]] && ok "smoke POSTed once" \
  || nok "smoke POSTed once" "$(cat hooks.log)"
[[ $(hooks 'len([r for r in log if r["path"] == "/profile"])') == 1 ]] && ok "its tasks did not notify" \
  || nok "its tasks did not notify" "$(cat hooks.log)"
[[ $(py smoke.json '[t["file"].rsplit("/",1)[1] for t in j["failed"]], j["tasks_total"], j["failed"][0]["failed_step"]["kind"]') == "(['fails.json'], 2, 'assert')" ]] \
  && ok "smoke summary: the failed task, of 2, its step" || nok "smoke summary" "$(cat smoke.json)"
expect_true "no secret in smoke's summary" bash -c "! grep -q Xq83zz smoke.json hooks.log"
run "$CDPILOT" run fails.json --profile ./notifying.json --no-notify --notify "$HOOK/off"
expect_rc 1 "--no-notify: exit code kept"
[[ $(hooks 'len([r for r in log if r["path"] == "/off"])') == 0 ]] && ok "--no-notify sends nothing" \
  || nok "--no-notify sends nothing" "$(cat hooks.log)"

# an invalid task file fails the run too; a command that hangs is killed
echo '{"schema_version": 1, "steps": [{"clik": "Save"}]}' >invalid.json
run "$CDPILOT" run invalid.json --on-failure 'cat >inv.json'
expect_rc 2 "an invalid task: exit 2"
[[ $(py inv.json 'j["failed"][0]["status"], j["exit_code"], "clik" in j["failed"][0]["error"]') == "('invalid', 2, True)" ]] \
  && ok "an invalid task notifies, with its error" || nok "invalid task summary" "$(cat inv.json)"
t0=$(date +%s%N)
run "$CDPILOT" run invalid.json --on-failure 'echo $$ >sh.pid; sleep 60 & wait'
el=$(( ($(date +%s%N) - t0) / 1000000 ))
expect_rc 2 "a hanging command: exit code kept"
expect_err 'warning: on-failure command killed after 10 s' "a hanging command is killed"
(( el <= 12000 )) && ok "a hanging command delays the exit by at most 10 s (+2 s margin): $el ms" \
  || nok "hanging command bound" "$el ms"
sleep 0.2
alive=$(ps -eo pgid=,stat=,args= | awk -v g="$(cat sh.pid)" '$1 == g && $2 !~ /Z/')
[[ -z "$alive" ]] && ok "its processes are gone (the process group)" || nok "its processes are gone" "$alive"

# bad values: exit 2 before any browser
run "$CDPILOT" run fails.json --notify "ftp://127.0.0.1/x"
expect_rc 2 "--notify ftp:// is bad usage"
expect_err '^cdpilot: --notify: expected an http' "names the option"
echo '{"notify": {"url": "not a url"}}' >badnotify.json
run "$CDPILOT" run fails.json --profile ./badnotify.json
expect_rc 2 "a bad notify.url in a profile"
expect_err 'badnotify.json: field "notify.url"' "names the profile and field"

# the resume hint of an inline run resumes it
mkdir -p site; echo '<p>Loading</p><button onclick="this.textContent=1">Go</button>' >site/p.html
serve site
run "$CDPILOT" do "$BASE/p.html" click "css=button" expect-text "Ready now" --timeout 1500
expect_rc 1 "an inline run that fails"
hint=$(sed -n 's/^  resume: *//p' <<<"$ERR")
[[ "$hint" == "cdpilot do --resume "* ]] && ok "the hint is a do command: $hint" || nok "do hint" "$ERR"
echo '<p>Ready now</p>' >site/p.html
run bash -c "${hint/cdpilot/\"\$0\"}" "$CDPILOT"
expect_rc 0 "the printed hint resumes the run and it passes"
expect_err '3/3' "it ran the failed step"
if grep -qE ' (1|2)/3 ' <<<"$ERR"; then nok "the steps that passed are not run again" "$ERR"
else ok "the steps that passed are not run again"; fi
expect_true "no browser left behind" test "$(leftovers)" -eq 0
done_testing
