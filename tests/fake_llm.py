#!/usr/bin/env python3
"""fake_llm.py -- a scripted OpenAI-compatible chat-completions provider
for cdpilot's tests. Python 3 standard library only; binds 127.0.0.1.

    python3 tests/fake_llm.py --port 0 --script FILE [--log FILE]
                              [--expect-key KEY]

Prints "http://127.0.0.1:PORT/v1" as its first stdout line (flushed),
or "https://localhost:PORT/v1" with --tls-cert/--tls-key (a certificate
for the name localhost; the client must trust it, e.g. through
CDPILOT_LLM_CA_FILE),
then serves POST /v1/chat/completions (and GET /v1/models) until killed.

FILE is a JSON list of response entries, consumed one per chat request;
when the list is used up the last entry repeats (an empty or missing
script answers {"candidate": 1, "confidence": 0.9}). FILE may instead
hold an object of such lists keyed by a string to look for in the
request's user message: {"f=01": [...], "f=02": [...], "": [...]}. A
request is served from the list of the first key (in file order) that
its user message contains ("" matches any); each list is consumed on its
own, and a request that no key matches gets the default answer. This
keeps a script deterministic when requests from parallel runs interleave
(put a marker in the page URL, e.g. a query string, which the prompt
carries). An entry is an object:

  {"candidate": 2, "confidence": 0.9, "reason": "..."}
        200 with a proper chat-completions body whose message content is
        that JSON (only the keys given; "candidate" may be null)
  {"content": "any raw text"}          200, message content verbatim
  {"pick_containing": "Blue Mug"}      200, picks the first numbered
        candidate line ("N. record") of the user message containing the
        string (case-insensitive); null when none does
  {"status": 429, "retry_after": 1}    that status with an OpenAI-style
        error body (and Retry-After when given); "message" overrides the
        error text; {"status": 500}, {"status": 401}, ...
  {"hang": true}                       read the request, never answer
  {"close": true}                      read the request, close the socket
  {"invalid_json_body": true}          200 with a non-JSON body
  {"delay_ms": 800, ...}               wait first, then do the rest
Modifiers: "no_usage": true (omit usage), "model": "name" (reported
model; default: the requested one), "chunked": true (chunked transfer
encoding), "no_content_length": true (body delimited by closing the
connection), "echo_auth": true (put the received Authorization header
into the error message -- for redaction tests), "pad": N (add N bytes of
padding to the reply body -- for size caps).

With --expect-key KEY, a request whose "Authorization: Bearer ..." does
not equal KEY gets 401 (as a real provider would) without consuming a
script entry.

--log FILE appends one JSON line per request: n, method, path, headers
(the Authorization value is never stored), auth_present, auth_ok (null
without --expect-key), body (parsed JSON, or null) , body_bytes, the
entry used ("auth" when refused by --expect-key) and, with a keyed
script, the key that matched ("route", null when none did). Usage numbers
are estimates: prompt_tokens = bytes of all message contents / 4,
completion_tokens = bytes of the content / 4.
"""
import argparse
import json
import re
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

DEFAULT_ENTRY = {"candidate": 1, "confidence": 0.9}
ANSWER_KEYS = ("candidate", "confidence", "reason")
CAND_LINE = re.compile(r"^(\d+)\. (.*)$")


class State:
    def __init__(self, script, log_path, expect_key):
        self.script = script    # a list, or {key: list} (see the header)
        self.pos = {}
        self.seq = 0
        self.lock = threading.Lock()
        self.log_path = log_path
        self.expect_key = expect_key
        self.stop = threading.Event()

    def next_entry(self, text=""):
        """(entry, route key or None) for a request whose user message
        is TEXT."""
        with self.lock:
            key, lst = None, self.script
            if isinstance(self.script, dict):
                lst = []
                for k, v in self.script.items():
                    if k in text:
                        key, lst = k, v
                        break
            if not lst:
                return dict(DEFAULT_ENTRY), key
            pos = self.pos.get(key, 0)
            self.pos[key] = pos + 1
            return lst[min(pos, len(lst) - 1)], key

    def log(self, rec):
        with self.lock:
            self.seq += 1
            rec["n"] = self.seq
            if self.log_path:
                with open(self.log_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(rec) + "\n")
                    f.flush()


def user_text(req):
    try:
        for m in req.get("messages", []):
            if m.get("role") == "user":
                return m.get("content") or ""
    except AttributeError:
        pass
    return ""


def prompt_bytes(req):
    n = 0
    try:
        for m in req.get("messages", []):
            n += len((m.get("content") or "").encode("utf-8"))
    except AttributeError:
        pass
    return n


def pick_containing(req, needle):
    needle = needle.lower()
    for line in user_text(req).splitlines():
        m = CAND_LINE.match(line)
        if m and needle in m.group(2).lower():
            return int(m.group(1))
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-llm/1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def send(self, status, body, entry, extra=None):
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        if entry.get("chunked"):
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            half = len(data) // 2
            for part in (data[:half], data[half:]):
                if part:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        elif entry.get("no_content_length"):
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
        else:
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
        self.wfile.flush()
        self.close_connection = True

    def do_GET(self):
        st = self.server.state
        if urlsplit(self.path).path.rstrip("/").endswith("/models"):
            self.send(200, json.dumps({"object": "list", "data": [
                {"id": "fake-model", "object": "model"}]}), {})
        else:
            self.send(404, json.dumps({"error": {"message": "not found"}}),
                      {})
        st.log({"method": "GET", "path": self.path, "entry": None})

    def do_POST(self):
        st = self.server.state
        raw = self.read_body()
        try:
            req = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            req = None
        auth = self.headers.get("Authorization")
        auth_ok = None
        if st.expect_key is not None:
            auth_ok = auth == "Bearer " + st.expect_key
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() != "authorization"}
        rec = {"method": "POST", "path": self.path, "headers": headers,
               "auth_present": auth is not None, "auth_ok": auth_ok,
               "body": req, "body_bytes": len(raw)}
        if not urlsplit(self.path).path.endswith("/chat/completions"):
            rec["entry"] = "path"
            st.log(rec)
            self.send(404, json.dumps({"error": {
                "message": "unknown path " + self.path}}), {})
            return
        if auth_ok is False:
            rec["entry"] = "auth"
            st.log(rec)
            self.send(401, json.dumps({"error": {
                "message": "Incorrect API key provided",
                "type": "invalid_request_error"}}), {})
            return
        entry, route = st.next_entry(user_text(req) if isinstance(req, dict)
                                     else "")
        rec["entry"] = entry
        if isinstance(st.script, dict):
            rec["route"] = route
        st.log(rec)          # logged before answering: tests may rely on it
        self.answer(entry, req if isinstance(req, dict) else {}, auth)

    def answer(self, e, req, auth):
        st = self.server.state
        if e.get("delay_ms"):
            if st.stop.wait(e["delay_ms"] / 1000.0):
                return
        if e.get("hang"):
            st.stop.wait()
            return
        if e.get("close"):
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if e.get("invalid_json_body"):
            self.send(200, "<html>upstream proxy error</html>", e)
            return
        if "status" in e and e["status"] != 200:
            msg = e.get("message", "scripted error %d" % e["status"])
            if e.get("echo_auth"):
                msg += " (got Authorization: %s)" % (auth or "none")
            extra = {}
            if "retry_after" in e:
                extra["Retry-After"] = str(e["retry_after"])
            self.send(e["status"], json.dumps({"error": {
                "message": msg, "type": "fake_error"}}), e, extra)
            return
        if "content" in e:
            content = e["content"]
        elif "pick_containing" in e:
            n = pick_containing(req, e["pick_containing"])
            content = json.dumps({"candidate": n, "confidence": 0.9,
                                  "reason": "contains %r" %
                                  e["pick_containing"]})
        else:
            src = e if any(k in e for k in ANSWER_KEYS) else DEFAULT_ENTRY
            content = json.dumps({k: src[k] for k in ANSWER_KEYS
                                  if k in src})
        body = {
            "id": "chatcmpl-fake-%d" % st.seq,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": e.get("model", req.get("model", "fake-model")),
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant",
                                     "content": content}}],
        }
        if e.get("pad"):
            body["padding"] = "p" * int(e["pad"])
        if not e.get("no_usage"):
            pt = prompt_bytes(req) // 4
            ct = len(content.encode("utf-8")) // 4
            body["usage"] = {"prompt_tokens": pt, "completion_tokens": ct,
                             "total_tokens": pt + ct}
        self.send(200, json.dumps(body), e)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--script")
    ap.add_argument("--log")
    ap.add_argument("--expect-key")
    ap.add_argument("--tls-cert", help="PEM certificate: serve HTTPS")
    ap.add_argument("--tls-key", help="PEM private key for --tls-cert")
    a = ap.parse_args()
    script = []
    if a.script:
        with open(a.script, encoding="utf-8") as f:
            script = json.load(f)
        if not isinstance(script, (list, dict)) or (
                isinstance(script, dict) and not all(
                    isinstance(v, list) for v in script.values())):
            sys.exit("fake_llm: --script must hold a JSON list, or an "
                     "object of lists")
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.state = State(script, a.log, a.expect_key)
    scheme, host = "http", "127.0.0.1"
    if a.tls_cert:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
        scheme, host = "https", "localhost"   # the name the cert holds

    def on_term(signum, frame):
        srv.state.stop.set()
        sys.stdout.flush()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    print("%s://%s:%d/v1" % (scheme, host, srv.server_address[1]),
          flush=True)
    try:
        srv.serve_forever(poll_interval=0.1)
    except SystemExit:
        pass
    finally:
        srv.server_close()


if __name__ == "__main__":
    main()
