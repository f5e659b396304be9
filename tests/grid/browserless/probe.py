#!/usr/bin/env python3
"""probe.py -- the two watchers of tests/integ/test_grid_browserless.sh.

  probe.py site OUT       a fixture site on 127.0.0.1 (its port goes to
                          OUT once it listens). GET /hold?id=N&ms=M waits
                          M ms (default 1500), then answers a page that
                          sets the cookie tN=1; GET /check?id=N answers a
                          page naming task N; GET /stats answers JSON:
                          max_inflight (the most /hold requests at once),
                          holds (how many), and foreign (the /hold
                          requests that came with a cookie: one task's
                          cookie seen by another)
  probe.py watch HTTP TOKEN NODE_PID TAG OUT
                          every 0.1 s until killed: browserless's
                          /pressure (running, queued) and the Chromium
                          processes, each by its ancestor: under
                          browserless's node process or under a cdpilot
                          process whose environment has SMOKE_TEST_TAG=
                          TAG (a local launch of the test's cdpilot).
                          Rewrites OUT (JSON) with the maxima after
                          every look.
"""
import json
import os
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def site(out):
    lock = threading.Lock()
    st = {'inflight': 0, 'max_inflight': 0, 'holds': 0, 'foreign': []}

    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def page(self, body, cookie=None):
            b = body.encode()
            self.send_response(200)
            self.send_header('Content-Type', 'text/html; charset=utf-8')
            self.send_header('Content-Length', str(len(b)))
            self.send_header('Cache-Control', 'no-store')
            if cookie:
                self.send_header('Set-Cookie', cookie + '; Path=/')
            self.end_headers()
            try:
                self.wfile.write(b)
            except OSError:     # the browser went away (a killed task)
                pass

        def do_GET(self):
            u = urllib.parse.urlsplit(self.path)
            q = dict(urllib.parse.parse_qsl(u.query))
            n = q.get('id', '0')
            if u.path == '/hold':
                with lock:
                    st['inflight'] += 1
                    st['holds'] += 1
                    st['max_inflight'] = max(st['max_inflight'],
                                             st['inflight'])
                    if self.headers.get('Cookie'):
                        st['foreign'].append([n, self.headers['Cookie']])
                time.sleep(int(q.get('ms', '1500')) / 1000.0)
                with lock:
                    st['inflight'] -= 1
                self.page('<title>hold %s</title><p>held</p>' % n,
                          't%s=1' % n)
            elif u.path == '/check':
                self.page('<title>check %s</title><p id="who">task %s</p>'
                          % (n, n))
            elif u.path == '/stats':
                with lock:
                    self.page(json.dumps(st))
            else:
                self.send_error(404)

    srv = ThreadingHTTPServer(('127.0.0.1', 0), H)
    srv.daemon_threads = True
    with open(out + '.new', 'w') as f:
        f.write('%d\n' % srv.server_address[1])
    os.rename(out + '.new', out)
    srv.serve_forever()


def exe(pid):
    try:
        return os.readlink('/proc/%d/exe' % pid)
    except OSError:
        return ''


def ppid(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            return int(f.read().rsplit(')', 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def tagged(pid, tag):
    try:
        with open('/proc/%d/environ' % pid, 'rb') as f:
            return ('SMOKE_TEST_TAG=' + tag).encode() in f.read().split(b'\0')
    except OSError:
        return False


def browsers(node, tag=''):
    """Chromium browser processes (not their helpers) by ancestor."""
    under_node = under_cdpilot = 0
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        pid = int(d)
        if not exe(pid).endswith('/chromium'):
            continue
        try:
            with open('/proc/%d/cmdline' % pid, 'rb') as f:
                if b'--type=' in f.read():
                    continue
        except OSError:
            continue
        p, seen = ppid(pid), 0
        while p > 1 and seen < 64:
            if p == node:
                under_node += 1
                break
            if exe(p).endswith('/cdpilot') and tagged(p, tag):
                under_cdpilot += 1
                break
            p, seen = ppid(p), seen + 1
    return under_node, under_cdpilot


def watch(http, token, node, tag, out):
    m = {'running': 0, 'queued': 0, 'node_browsers': 0,
         'cdpilot_browsers': 0, 'looks': 0}
    url = '%s/pressure?token=%s' % (http, token)
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                p = json.load(r)['pressure']
            m['running'] = max(m['running'], p['running'])
            m['queued'] = max(m['queued'], p['queued'])
        except (OSError, ValueError, KeyError):
            pass
        a, b = browsers(node, tag)
        m['node_browsers'] = max(m['node_browsers'], a)
        m['cdpilot_browsers'] = max(m['cdpilot_browsers'], b)
        m['looks'] += 1
        with open(out + '.new', 'w') as f:
            json.dump(m, f)
        os.rename(out + '.new', out)
        time.sleep(0.1)


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'site':
        site(sys.argv[2])
    elif len(sys.argv) == 7 and sys.argv[1] == 'watch':
        watch(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5],
              sys.argv[6])
    else:
        sys.exit(__doc__)
