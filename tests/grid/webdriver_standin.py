#!/usr/bin/env python3
"""webdriver_standin.py -- a stand-in for a Selenium Grid 4 hub and its
nodes, for tests: it speaks the subset of the W3C WebDriver / Selenium API
that `cdpilot --grid http://...` uses, and hands out real Chromium CDP
endpoints. Loopback only; python3's standard library only.

  GET    /status              {"value": {"ready": ..., "message": ...}}
  POST   /session             launches a headless Chromium (its own temp
                              --user-data-dir, --remote-debugging-port=0),
                              answers value.sessionId and
                              value.capabilities["se:cdp"]. Beyond
                              --max-sessions the request waits in a queue
                              for up to --queue-timeout seconds, then gets
                              500 "session not created" (as Grid does).
  DELETE /session/{id}        ends it: kills its Chromium, removes its dir
                              (404 "invalid session id" when unknown).
  --omit-cdp                  new sessions lack se:cdp (a grid that does
                              not give CDP endpoints)
  --session-timeout S         a session with no CDP connection for S
                              seconds is reaped (Grid's session timeout).
Test hooks:
  GET  /test/stats            live, max_concurrent, created, deleted,
                              reaped, killed, refused
  GET  /test/sessions         {"sessions": [ids of live sessions]}
  POST /test/kill/{id}        kills that session's browser (a node dying);
                              the session stays until deleted or reaped.

Prints "PORT <n>" on stdout once listening. SIGTERM or SIGINT: every
browser is killed and every temp dir removed before it exits.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FLAGS = ["--no-sandbox", "--headless=new", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync",
         "--disable-dev-shm-usage", "--remote-debugging-address=127.0.0.1",
         "--remote-debugging-port=0", "about:blank"]


class Session:
    def __init__(self, sid, proc, tmp, port, path):
        self.id, self.proc, self.tmp = sid, proc, tmp
        self.port, self.path = port, path
        self.last_seen = time.monotonic()
        self.killed = False


class Grid:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Condition()
        self.sessions = {}
        self.starting = 0
        self.closing = False
        self.stats = dict(live=0, max_concurrent=0, created=0, deleted=0,
                          reaped=0, killed=0, refused=0)

    # -- slots ---------------------------------------------------------
    def take_slot(self):
        end = time.monotonic() + self.args.queue_timeout
        with self.lock:
            while len(self.sessions) + self.starting >= self.args.max_sessions:
                left = end - time.monotonic()
                if left <= 0 or self.closing:
                    self.stats["refused"] += 1
                    return False
                self.lock.wait(left)
            self.starting += 1
            busy = len(self.sessions) + self.starting
            self.stats["max_concurrent"] = max(self.stats["max_concurrent"],
                                               busy)
            return True

    def launch(self, extra):
        tmp = tempfile.mkdtemp(prefix="standin-")
        env = dict(os.environ, TMPDIR=tmp)
        args = [self.args.chromium, "--user-data-dir=" + tmp + "/profile"]
        args += [a for a in extra if isinstance(a, str)
                 and not a.startswith(("--remote-debugging", "--user-data-dir"))]
        args += FLAGS
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=env,
                                start_new_session=True)
        portfile = os.path.join(tmp, "profile", "DevToolsActivePort")
        end = time.monotonic() + 30
        while time.monotonic() < end and proc.poll() is None:
            try:
                with open(portfile) as f:
                    lines = f.read().split("\n")
                if len(lines) >= 2 and lines[0].strip() and lines[1].strip():
                    return proc, tmp, int(lines[0]), lines[1].strip()
            except OSError:
                pass
            time.sleep(0.05)
        kill_tree(proc)
        shutil.rmtree(tmp, ignore_errors=True)
        return None

    def new_session(self, body):
        caps = (body.get("capabilities") or {}).get("alwaysMatch") or {}
        if caps.get("browserName", "chrome") not in ("chrome", "chromium"):
            return 500, err("session not created", "no node has browser %r"
                            % caps.get("browserName"))
        extra = (caps.get("goog:chromeOptions") or {}).get("args") or []
        if not self.take_slot():
            return 500, err("session not created", "Could not start a new "
                            "session. New session request timed out")
        got = None
        try:
            got = self.launch(extra)
        finally:
            with self.lock:
                self.starting -= 1
                if got and self.closing:     # stopped meanwhile
                    kill_tree(got[0])
                    shutil.rmtree(got[1], ignore_errors=True)
                    got = None
                if got:
                    sid = uuid.uuid4().hex
                    self.sessions[sid] = Session(sid, *got)
                    self.stats["created"] += 1
                    self.stats["live"] = len(self.sessions)
                self.lock.notify_all()
        if not got:
            return 500, err("session not created", "Chromium did not start")
        proc, tmp, port, path = got
        caps = {"browserName": "chrome", "se:cdpVersion": "stand-in",
                "se:cdp": "ws://127.0.0.1:%d%s" % (port, path)}
        if self.args.omit_cdp:           # a grid that does not give CDP
            del caps["se:cdp"]
        return 200, {"value": {"sessionId": sid, "capabilities": caps}}

    def end(self, sid, why):
        with self.lock:
            s = self.sessions.pop(sid, None)
            if s:
                self.stats[why] += 1
                self.stats["live"] = len(self.sessions)
                self.lock.notify_all()
        if s:
            kill_tree(s.proc)
            shutil.rmtree(s.tmp, ignore_errors=True)
        return s is not None

    def kill_node(self, sid):
        with self.lock:
            s = self.sessions.get(sid)
            if s and not s.killed:
                s.killed = True
                self.stats["killed"] += 1
        if s:
            kill_tree(s.proc)
        return s is not None

    def reap(self):
        while True:
            time.sleep(0.25)
            ports = established_ports()
            now = time.monotonic()
            gone = []
            with self.lock:
                for s in self.sessions.values():
                    if s.port in ports and not s.killed:
                        s.last_seen = now
                    elif now - s.last_seen > self.args.session_timeout:
                        gone.append(s.id)
            for sid in gone:
                self.end(sid, "reaped")

    def shutdown(self):
        with self.lock:
            self.closing = True
            self.lock.notify_all()
        end = time.monotonic() + 30
        while self.starting and time.monotonic() < end:
            time.sleep(0.05)
        for sid in list(self.sessions):
            self.end(sid, "deleted")


def err(code, msg):
    return {"value": {"error": code, "message": msg, "stacktrace": ""}}


def kill_tree(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        pass


def established_ports():
    """Local ports of established TCP connections (the browsers' CDP
    sockets), from /proc/net/tcp{,6}."""
    ports = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    p = line.split()
                    if len(p) > 3 and p[3] == "01":
                        ports.add(int(p[1].rsplit(":", 1)[1], 16))
        except OSError:
            pass
    return ports


def handler(grid):
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            if grid.args.verbose:
                sys.stderr.write("standin: " + (a[0] % a[1:]) + "\n")

        def reply(self, status, obj):
            data = json.dumps(obj).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def body(self):
            n = int(self.headers.get("Content-Length") or 0)
            try:
                return json.loads(self.rfile.read(n) or b"{}")
            except ValueError:
                return None

        def do_GET(self):
            if self.path == "/status":
                with grid.lock:
                    ready = len(grid.sessions) < grid.args.max_sessions
                return self.reply(200, {"value": {"ready": ready, "message":
                                  "stand-in ready" if ready else "full"}})
            if self.path == "/test/stats":
                with grid.lock:
                    return self.reply(200, dict(grid.stats))
            if self.path == "/test/sessions":
                with grid.lock:
                    return self.reply(200, {"sessions": list(grid.sessions)})
            self.reply(404, err("unknown command", self.path))

        def do_POST(self):
            b = self.body()
            if self.path.rstrip("/") == "/session":
                if not isinstance(b, dict):
                    return self.reply(400, err("invalid argument", "bad JSON"))
                return self.reply(*grid.new_session(b))
            if self.path.startswith("/test/kill/"):
                ok = grid.kill_node(self.path[len("/test/kill/"):])
                return self.reply(200 if ok else 404, {"killed": ok})
            self.reply(404, err("unknown command", self.path))

        def do_DELETE(self):
            if self.path.startswith("/session/"):
                sid = self.path[len("/session/"):].strip("/")
                if grid.end(sid, "deleted"):
                    return self.reply(200, {"value": None})
                return self.reply(404, err("invalid session id", sid))
            self.reply(404, err("unknown command", self.path))
    return H


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--max-sessions", type=int, default=1)
    ap.add_argument("--queue-timeout", type=float, default=60)
    ap.add_argument("--session-timeout", type=float, default=300)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--omit-cdp", action="store_true",
                    help="answer new sessions without se:cdp")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    grid = Grid(args)
    srv = ThreadingHTTPServer(("127.0.0.1", args.port), handler(grid))
    srv.daemon_threads = True

    def stop(*_):
        threading.Thread(target=srv.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=grid.reap, daemon=True).start()
    print("PORT %d" % srv.server_address[1], flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        grid.shutdown()
        srv.server_close()


if __name__ == "__main__":
    main()
