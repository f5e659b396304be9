#!/usr/bin/env python3
"""driver.py -- runs the page-script tests in headless Chromium over CDP.

Usage: driver.py PAGE_JS REPO_ROOT TMPDIR [MATCH]

Why CDP and not --dump-dom: under --virtual-time-budget Chromium produces
almost no animation frames (one every ~0.5-3 s of virtual time), so the
actionability code (stable = same box on two animation frames) cannot be
exercised; --dump-dom without it dumps at the load event, before async
tests finish. This driver talks CDP over --remote-debugging-pipe (stdlib
only), serves REPO_ROOT over HTTP on 127.0.0.1 (so frames are same-origin
as they are under `cdpilot serve`), installs PAGE_JS with
Page.addScriptToEvaluateOnNewDocument (every frame, as cdpilot does) and:
  * for each tests/js/test_*.html: loads it and awaits window.__testsDone
    (a Promise of "ok - ..." / "FAIL - ..." lines written by harness.js);
  * for each tests/fixtures/site/*.html: loads it and evaluates
    tests/js/fixture_check.js (selector synthesis and engine checks).
Prints the lines; exit status 0 unless the browser could not be driven.
The temporary profile lives in TMPDIR and is removed; Chromium is closed
(and killed if it does not exit)."""
import functools
import glob
import http.server
import json
import os
import select
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time

CHROME = os.environ.get("CDPILOT_TEST_CHROME", "/usr/lib/chromium/chromium")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--remote-debugging-pipe",
         "--window-size=1280,720", "--hide-scrollbars", "--mute-audio"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class Browser:
    def __init__(self, tmp):
        self.ud = tempfile.mkdtemp(prefix="pagejs-ud.", dir=tmp)
        to_r, to_w = os.pipe()
        fr_r, fr_w = os.pipe()

        def pre():
            os.dup2(to_r, 3)
            os.dup2(fr_w, 4)
        self.proc = subprocess.Popen(
            [CHROME] + FLAGS + ["--user-data-dir=" + self.ud, "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, preexec_fn=pre, pass_fds=(3, 4))
        os.close(to_r)
        os.close(fr_w)
        self.w, self.r = to_w, fr_r
        self.buf = b""
        self.next_id = 0

    def send(self, method, params=None, sid=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if sid:
            msg["sessionId"] = sid
        data = json.dumps(msg).encode() + b"\0"
        while data:
            n = os.write(self.w, data)
            data = data[n:]
        return self.next_id

    def recv(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError("CDP read timed out")
            rr, _, _ = select.select([self.r], [], [], left)
            if not rr:
                continue
            chunk = os.read(self.r, 1 << 20)
            if not chunk:
                raise EOFError("browser closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, sid=None, timeout=30):
        i = self.send(method, params, sid)
        deadline = time.time() + timeout
        while True:
            m = self.recv(deadline)
            if m.get("id") == i:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})

    def close(self):
        try:
            self.send("Browser.close")
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.w, self.r):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.ud, ignore_errors=True)


def evaluate(b, sid, expr, timeout=60, await_promise=True):
    r = b.call("Runtime.evaluate", {"expression": expr, "returnByValue": True,
                                    "awaitPromise": await_promise}, sid,
               timeout=timeout)
    if "exceptionDetails" in r:
        d = r["exceptionDetails"]
        ex = d.get("exception", {}).get("description") or d.get("text")
        raise RuntimeError("exception: %s" % ex)
    return r["result"].get("value")


def open_page(b, page_js):
    tid = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    sid = b.call("Target.attachToTarget", {"targetId": tid,
                                           "flatten": True})["sessionId"]
    b.call("Page.enable", {}, sid)
    b.call("Emulation.setDeviceMetricsOverride",
           {"width": 1280, "height": 720, "deviceScaleFactor": 1,
            "mobile": False}, sid)
    b.call("Page.addScriptToEvaluateOnNewDocument", {"source": page_js}, sid)
    return tid, sid


def navigate(b, sid, url, ready_expr):
    b.call("Page.navigate", {"url": url}, sid)
    deadline = time.time() + 15
    while time.time() < deadline:
        try:
            if evaluate(b, sid, ready_expr, await_promise=False):
                return True
        except RuntimeError:
            pass
        time.sleep(0.03)
    return False


def main():
    page_js_path, root, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
    match = sys.argv[4] if len(sys.argv) > 4 else ""
    page_js = open(page_js_path).read()
    handler = functools.partial(Quiet, directory=root)
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    port = httpd.server_address[1]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d/" % port

    b = Browser(tmp)
    rc = 0
    try:
        b.call("Browser.getVersion", timeout=20)
        tests = sorted(glob.glob(os.path.join(root, "tests/js/test_*.html")))
        for t in tests:
            name = os.path.basename(t)
            if match and match not in name:
                continue
            tid, sid = open_page(b, page_js)
            try:
                url = base + "tests/js/" + name
                if not navigate(b, sid, url, "document.readyState === "
                                "'complete' && !!window.__testsDone"):
                    print("FAIL - %s: page did not load" % name)
                    continue
                out = evaluate(b, sid, "window.__testsDone", timeout=120)
                for line in (out or "").splitlines():
                    print("%s [%s]" % (line, name) if line.startswith(
                        ("ok", "FAIL")) else line)
            except Exception as e:  # noqa: BLE001 - report, go on
                print("FAIL - %s: %s" % (name, e))
            finally:
                b.call("Target.closeTarget", {"targetId": tid})
        check = open(os.path.join(root, "tests/js/fixture_check.js")).read()
        pages = sorted(glob.glob(os.path.join(
            root, "tests/fixtures/site/*.html")))
        for p in pages:
            name = "site/" + os.path.basename(p)
            if match and match not in name:
                continue
            tid, sid = open_page(b, page_js)
            try:
                url = base + "tests/fixtures/site/" + os.path.basename(p)
                if not navigate(b, sid, url, "document.readyState === "
                                "'complete' && !!window.__cdpilot"):
                    print("FAIL - %s: page did not load" % name)
                    continue
                time.sleep(0.2)   # let iframes load
                out = evaluate(b, sid, check, timeout=60)
                for line in (out or "").splitlines():
                    print("%s [%s]" % (line, name))
            except Exception as e:  # noqa: BLE001
                print("FAIL - %s: %s" % (name, e))
            finally:
                b.call("Target.closeTarget", {"targetId": tid})
    except Exception as e:  # noqa: BLE001
        print("FAIL - driver: %s" % e)
        rc = 1
    finally:
        b.close()
        httpd.shutdown()
    return rc


if __name__ == "__main__":
    sys.exit(main())
