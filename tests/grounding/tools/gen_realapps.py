#!/usr/bin/env python3
"""gen_realapps.py -- the real-application pages of the grounding corpus.

Starts the four applications of the real-app suite (tests/realapps/apps.sh
serve: WordPress, phpMyAdmin with MariaDB, Prometheus, Jupyter Notebook),
opens each page of PAGES below with cdpilot itself (build/cdpilot run, one
browser session per application, logged in where the application has a
login, in the state a user sees the page), and writes for every page:

  snapshots/ra-APP-PAGE.json         the record document that the build's
                                     __cdpilot.collect({boxes: true})
                                     returned on the live page (what
                                     sel_cands_parse() reads); the only
                                     change: the applications' random
                                     ports and temporary folder, written
                                     as fixed ones (fix_ports())
  snapshots/ra-APP-PAGE.expect.json  {case id: [candidate ids]}: the css
                                     selectors of the page's cases in
                                     cases-realapps.json, looked up on the
                                     live page (every element a selector
                                     matches, at most 3, and the <label>s
                                     of a form control; "CSS :: TEXT" and
                                     "... >> SUB" as HARNESS says)

A selector that matches nothing, or an element that is not a candidate, a
case whose "filled" form key is not a form of the page, and a pruned
collection that differs from the full one (as gen.py checks it) are errors:
they are all listed, the page's files are left as they were, and the exit
status is 1. The applications are stopped at the end, whatever happened,
and nothing is left in $TMPDIR.

usage: tests/grounding/tools/gen_realapps.py [options] [PAGE...]
  PAGE...         only these pages (names as in PAGES, e.g. ra-wp-posts)
  --shots DIR     no snapshots: a full-page screenshot DIR/PAGE.png of each
                  page (write a page's intents from it, before looking at
                  its DOM), and its HTML as DIR/PAGE.html
  --apps ENVFILE  use applications already running: the file that
                  `RA_ENV_FILE=ENVFILE tests/realapps/apps.sh serve` wrote
  --build DIR     the cdpilot build to use (default build)
Exit status: 0 done, 1 a case or page check failed, 2 bad usage,
3 an application or the browser could not be started.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
GROUND = os.path.join(ROOT, "tests", "grounding")
REALAPPS = os.path.join(ROOT, "tests", "realapps")
CASES = os.path.join(GROUND, "cases-realapps.json")
sys.path.insert(0, HERE)
import gen  # noqa: E402  (case_probes, check_pruned: the same checks)

APPS = {  # app: (env variable of its URL, fixed port written in snapshots)
    "wordpress": ("RA_WP_URL", 8081),
    "phpmyadmin": ("RA_PMA_URL", 8082),
    "prometheus": ("RA_PROM_URL", 9090),
    "jupyter": ("RA_NB_URL", 8888),
}

# The seeded logins (tests/realapps/README.md), typed by explicit selectors:
# the capture must not depend on the heuristics it measures.
LOGIN = {
    "wordpress": [
        {"goto": "/wp-login.php"},
        {"fill": "css=#user_login", "value": "admin"},
        {"fill": "css=#user_pass", "value": "Garden-Club-22"},
        {"click": "css=#wp-submit"},
        {"wait_for": {"url": "/wp-admin/"}},
    ],
    "phpmyadmin": [
        {"goto": "/"},
        {"fill": "css=#input_username", "value": "admin"},
        {"fill": "css=#input_password", "value": "Shop-Admin-22"},
        {"click": "css=#input_go"},
        {"wait_for": {"js": "!!document.querySelector('#pma_navigation_tree a')"}},
    ],
    "jupyter": [
        {"goto": "/login"},
        {"fill": "css=#password_input", "value": "Notebook-22"},
        {"click": "css=#login_submit"},
        {"wait_for": {"url": "/tree"}},
    ],
    "prometheus": [],
}

# The pages, per application in capture order: (name, path, ready, setup).
# "ready" is a JS condition the page must meet before it is collected
# (lists and tables that a script fills in); "setup" are steps with explicit
# targets that bring the page to the state collected. Pages before the
# "LOGIN" marker are collected logged out.
PAGES = {
    "wordpress": [
        ("ra-wp-login", "/wp-login.php", "!!document.querySelector('#loginform')", []),
        "LOGIN",
        ("ra-wp-dashboard", "/wp-admin/", "!!document.querySelector('#dashboard-widgets')", []),
        ("ra-wp-posts", "/wp-admin/edit.php", "!!document.querySelector('#the-list tr')", []),
        ("ra-wp-editor", "/wp-admin/post-new.php",
         "!!document.querySelector('.edit-post-header') && document.body.innerText.includes('Featured image')",
         []),
        ("ra-wp-users", "/wp-admin/users.php", "!!document.querySelector('#the-list tr')", []),
        ("ra-wp-user-new", "/wp-admin/user-new.php", "!!document.querySelector('#createuser')", []),
        ("ra-wp-general", "/wp-admin/options-general.php", "!!document.querySelector('#blogname')", []),
        ("ra-wp-comments", "/wp-admin/edit-comments.php", "!!document.querySelector('#the-comment-list tr')", []),
        ("ra-wp-categories", "/wp-admin/edit-tags.php?taxonomy=category",
         "!!document.querySelector('#the-list tr')", []),
    ],
    "phpmyadmin": [
        ("ra-pma-login", "/", "!!document.querySelector('#input_username')", []),
        "LOGIN",
        ("ra-pma-home", "/index.php?route=/", "!!document.querySelector('#pma_navigation_tree a')", []),
        ("ra-pma-db", "/index.php?route=/database/structure&db=shop",
         "document.body.innerText.includes('Check all') && document.body.innerText.includes('products')", []),
        ("ra-pma-browse", "/index.php?route=/sql&db=shop&table=customers&pos=0",
         "document.body.innerText.includes('Check all') && document.body.innerText.includes('Lyon')", []),
        ("ra-pma-sql", "/index.php?route=/database/sql&db=shop",
         "!!document.querySelector('textarea')", []),
        ("ra-pma-insert", "/index.php?route=/table/change&db=shop&table=customers",
         "document.body.innerText.includes('Continue insertion')", []),
        ("ra-pma-structure", "/index.php?route=/table/structure&db=shop&table=customers",
         "document.body.innerText.includes('Check all') && document.body.innerText.includes('Collation')", []),
        ("ra-pma-search", "/index.php?route=/table/search&db=shop&table=customers",
         "document.body.innerText.includes('Operator')", []),
    ],
    "prometheus": [
        ("ra-prom-graph", "/classic/graph", "!!document.querySelector('textarea, .expression_input')", []),
        ("ra-prom-alerts", "/classic/alerts", "document.body.innerText.includes('TargetDown')", []),
        ("ra-prom-targets", "/classic/targets", "document.body.innerText.includes('backup-agent')", []),
        ("ra-prom-rules", "/classic/rules", "document.body.innerText.includes('TooManyGoroutines')", []),
        ("ra-prom-status", "/classic/status", "document.body.innerText.includes('Runtime Information')", []),
        ("ra-prom-flags", "/classic/flags", "document.body.innerText.includes('web.listen-address')", []),
    ],
    "jupyter": [
        ("ra-nb-login", "/login", "!!document.querySelector('#password_input')", []),
        "LOGIN",
        ("ra-nb-tree", "/tree", "document.querySelectorAll('#notebook_list .list_item').length > 2", []),
        ("ra-nb-folder", "/tree/reports", "document.querySelectorAll('#notebook_list .list_item').length > 1", []),
        ("ra-nb-notebook", "/notebooks/Garden%20budget.ipynb",
         "document.querySelectorAll('.cell').length > 1 && !!document.querySelector('#kernel_indicator_icon.kernel_idle_icon')",
         []),
        ("ra-nb-editor", "/edit/harvest.csv", "!!document.querySelector('.CodeMirror-code')", []),
        ("ra-nb-running", "/tree#running",
         "!!document.querySelector('#running') && document.querySelector('#running').offsetParent !== null && "
         "document.querySelector('#running').innerText.includes('Garden budget')", []),
    ],
}

SETTLE_MS = 1000   # after "ready": late scripts, focus, fonts

# Runs in the page after it is ready: the same lookups as gen.py's harness.
HARNESS = r"""(async () => {
  const CASES = %s;
  await new Promise(r => setTimeout(r, %d));
  /* "A >>> B": B inside iframe or shadow host A; "CSS :: TEXT": the
   * elements of CSS whose visible text is TEXT (spaces collapsed); then
   * "... >> SUB": SUB inside each one's parent (the cell beside a row's
   * header cell: "th :: Uptime >> td") */
  const all = sel => {
    let text = null, sub = null;
    const u = sel.indexOf(' >> ');
    if (u >= 0) { sub = sel.slice(u + 4); sel = sel.slice(0, u); }
    const t = sel.indexOf(' :: ');
    if (t >= 0) { text = sel.slice(t + 4); sel = sel.slice(0, t); }
    const parts = sel.split(' >>> ');
    let roots = [document];
    for (let i = 0; i + 1 < parts.length; i++) {
      const el = roots[0].querySelector(parts[i]);
      if (!el) return [];
      roots = [el.localName === 'iframe' ? el.contentDocument : el.shadowRoot];
    }
    let els = [...roots[0].querySelectorAll(parts[parts.length - 1])];
    if (text !== null)
      els = els.filter(e => (e.innerText || e.textContent || '').replace(/\s+/g, ' ').trim() === text);
    if (sub !== null)
      els = els.flatMap(e => e.parentElement ? [...e.parentElement.querySelectorAll(sub)] : []);
    return els;
  };
  /* a form control's <label>s are acceptable too: cdpilot acts on a
   * label's control (selectors/js/30-act.js, retarget()), and a click on
   * a label is a click on its control */
  const withLabels = els => els.concat(els.flatMap(e => e.labels ? [...e.labels] : []));
  try {
    const P = window.__cdpilot;
    const s = P.collect({boxes: true});
    const exp = {}, miss = [], pruned = {};
    CASES.forEach(c => {
      /* every element a selector matches is acceptable (at most 3: a
       * broader selector is a mistake); at least one must be a candidate */
      exp[c.id] = [];
      c.expect.forEach(sel => {
        const els = all(sel), ks = withLabels(els).map(e => P.cands.indexOf(e)).filter(k => k >= 0);
        if (!els.length) miss.push(c.id + ': ' + sel + ' (no match)');
        else if (els.length > 3) miss.push(c.id + ': ' + sel + ' (matches ' + els.length + ' elements)');
        else if (!ks.length) miss.push(c.id + ': ' + sel + ' (not a candidate)');
        ks.forEach(k => { if (!exp[c.id].includes(k)) exp[c.id].push(k); });
      });
    });
    const full = P.cands.slice();
    CASES.forEach(c => {
      if (!c.probes) return;
      const d = JSON.parse(P.collect({boxes: true, probes: c.probes})), pc = P.cands;
      const map = k => full.indexOf(pc[k]);
      d.cands.forEach(r => {
        r.i = map(r.i);
        if (r.for !== undefined) r.for = map(r.for);
        if (r.in !== undefined) r.in = map(r.in);
      });
      pruned[c.id] = d;
    });
    P.collect({});
    return JSON.stringify({doc: s, expect: exp, miss: miss, pruned: pruned, url: location.href});
  } catch (e) {
    return JSON.stringify({error: String(e && e.stack || e)});
  }
})()"""


def die(code, msg):
    print("gen_realapps: " + msg, file=sys.stderr)
    sys.exit(code)


def load_cases():
    try:
        with open(CASES, encoding="utf-8") as f:
            corpus = json.load(f)
    except (OSError, ValueError) as e:
        die(2, "%s: %s" % (CASES, e))
    names = {p[0] for app in PAGES.values() for p in app if p != "LOGIN"}
    seen = set()
    bad = []
    for n in corpus.get("heldout", []):
        if n not in names:
            bad.append("heldout: no page named %s" % n)
    for c in corpus.get("cases", []):
        cid = c.get("id", "?")
        if cid in seen:
            bad.append("%s: duplicate id" % cid)
        seen.add(cid)
        if c.get("page") not in names:
            bad.append("%s: no page named %s" % (cid, c.get("page")))
        if c.get("kind") not in ("click", "fill", "select", "check", "hover", "read"):
            bad.append("%s: kind %r" % (cid, c.get("kind")))
        if c.get("want", "confident") not in ("confident", "escalate"):
            bad.append("%s: want %r" % (cid, c.get("want")))
        if not c.get("expect") or not c.get("intent"):
            bad.append("%s: no intent or no expected selector" % cid)
    if bad:
        die(2, "%s:\n  %s" % (CASES, "\n  ".join(bad)))
    return corpus["cases"]


class Apps:
    """The applications: started here (apps.sh serve) or already running."""

    def __init__(self, tmp, envfile=None):
        self.proc = None
        self.log = None
        if envfile is None:
            envfile = os.path.join(tmp, "apps.env")
            self.log = open(os.path.join(tmp, "apps.log"), "w")
            env = dict(os.environ, RA_ENV_FILE=envfile, TMPDIR=tmp)
            self.proc = subprocess.Popen(
                ["bash", os.path.join(REALAPPS, "apps.sh"), "serve"],
                stdout=self.log, stderr=subprocess.STDOUT, env=env)
            t0 = time.time()
            while not self._read(envfile):
                if self.proc.poll() is not None or time.time() - t0 > 300:
                    self.stop()
                    self.log.close()
                    with open(os.path.join(tmp, "apps.log")) as f:
                        sys.stderr.write(f.read()[-3000:])
                    die(3, "the applications did not start (tests/realapps/apps.sh serve)")
                time.sleep(0.5)
        elif not self._read(envfile):
            die(2, "%s: no RA_*_URL lines (see --apps)" % envfile)

    def _read(self, path):
        try:
            with open(path) as f:
                kv = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
        except OSError:
            return False
        if "RA_TMP" not in kv:
            return False
        self.urls = {app: kv[var] for app, (var, _) in APPS.items()}
        self.ra_tmp = kv["RA_TMP"]
        return True

    def stop(self):
        if not self.proc:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)   # its trap stops every app
            try:
                self.proc.wait(120)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                print("gen_realapps: apps.sh did not stop in 120 s", file=sys.stderr)
        self.proc = None
        if self.log:
            self.log.close()


def steps_for(app, pages, cases, probes, shots):
    """The cdpilot task steps that bring up and collect PAGES of APP."""
    steps = []
    for p in PAGES[app]:
        if p == "LOGIN":
            steps += LOGIN[app]
            continue
        name, path, ready, setup = p
        if name not in pages:
            continue
        steps.append({"goto": path})
        steps += setup
        steps.append({"wait_for": {"js": ready}, "timeout_ms": 30000, "id": "ready-" + name})
        if shots:
            steps.append({"eval": "new Promise(r => setTimeout(r, %d))" % SETTLE_MS})
            steps.append({"screenshot": name + ".png", "full_page": True})
            steps.append({"eval": "document.documentElement.outerHTML", "id": "html-" + name})
            continue
        mine = [{"id": c["id"], "expect": c["expect"], "probes": probes.get(c["id"])}
                for c in cases if c["page"] == name]
        steps.append({"eval": HARNESS % (json.dumps(mine), SETTLE_MS),
                      "id": "collect-" + name, "timeout_ms": 60000})
    return steps


def run_app(app, url, steps, tmp, cwd, build):
    task = {"schema_version": 1, "name": "grounding capture: " + app, "steps": steps}
    path = os.path.join(tmp, "capture-%s.json" % app)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(task, f)
    cmd = [os.path.join(build, "cdpilot"), "run", path, "--json", "--no-llm",
           "--no-cache", "--profile", os.path.join(REALAPPS, "profile.json"),
           "--base-url", url]
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=1800,
                       env=dict(os.environ, TMPDIR=tmp))
    try:
        rep = json.loads(r.stdout)
        tr = rep["tasks"][0] if "tasks" in rep else rep
        out = {s.get("id"): s for s in tr.get("steps", [])}
    except (ValueError, KeyError, IndexError):
        die(3, "%s: cdpilot gave no report (exit %d):\n%s" % (app, r.returncode, r.stderr[-3000:]))
    if r.returncode != 0:
        failed = [s for s in tr.get("steps", []) if s.get("status") == "failed"]
        what = ("step %s %s %s: %s" % (failed[0].get("index"), failed[0].get("kind"),
                                       failed[0].get("id") or failed[0].get("target") or "",
                                       failed[0].get("error"))) if failed else r.stderr[-2000:]
        die(3 if r.returncode == 3 else 1, "%s: capture failed (exit %d): %s" % (app, r.returncode, what))
    return out


def fix_ports(text, urls, ra_tmp):
    """The apps' random ports as the fixed ones of APPS, and their temporary
    folder as /tmp/cdpilot-realapps: snapshots that differ only where the
    pages did."""
    text = text.replace(ra_tmp, "/tmp/cdpilot-realapps")
    for app, (_, port) in APPS.items():
        hostport = urls[app].split("//", 1)[1]
        text = text.replace(hostport, "127.0.0.1:%d" % port)
    return text


def write_page(name, res, cases, probes, apps):
    """Checks and writes the snapshot of page NAME; returns its problems."""
    mine = [c for c in cases if c["page"] == name]
    if "error" in res:
        return ["%s: collector error: %s" % (name, res["error"])]
    bad = ["%s: %s" % (name, m) for m in res["miss"]]
    doc = json.loads(fix_ports(res["doc"], apps.urls, apps.ra_tmp))
    doc["url"] = fix_ports(res["url"], apps.urls, apps.ra_tmp)
    forms = {r.get("form") for r in gen.resolved(json.loads(json.dumps(doc)))}
    for c in mine:
        if c.get("filled") and c["filled"] not in forms:
            bad.append("%s: %s: filled %r is not a form of the page (forms: %s)"
                       % (name, c["id"], c["filled"], sorted(f for f in forms if f)))
    bad += gen.check_pruned(name, json.loads(res["doc"]), res.get("pruned", {}),
                            {c["id"]: probes[c["id"]] for c in mine if c["id"] in probes})
    if bad:
        return bad
    with open(os.path.join(GROUND, "snapshots", name + ".json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
        f.write("\n")
    with open(os.path.join(GROUND, "snapshots", name + ".expect.json"), "w", encoding="utf-8") as f:
        json.dump(res["expect"], f, indent=0, sort_keys=True)
        f.write("\n")
    print("%-18s %4d candidates, %4d elements, collect %5.1f ms, %2d cases"
          % (name, doc["n"], doc["walked"], doc["ms"], len(mine)))
    return []


def main(argv):
    shots = envfile = None
    build = os.path.join(ROOT, "build")
    names = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--shots", "--apps", "--build") and i + 1 < len(argv):
            v = os.path.abspath(argv[i + 1])
            if a == "--shots":
                shots = v
            elif a == "--apps":
                envfile = v
            else:
                build = v
            i += 2
        elif a.startswith("-"):
            die(2, "unknown option %s (see the head of %s)" % (a, __file__))
        else:
            names.append(a)
            i += 1
    all_names = [p[0] for app in PAGES.values() for p in app if p != "LOGIN"]
    for n in names:
        if n not in all_names:
            die(2, "no page named %s (pages: %s)" % (n, " ".join(all_names)))
    pages = set(names or all_names)
    if not os.access(os.path.join(build, "cdpilot"), os.X_OK):
        die(2, "no %s/cdpilot (run make first)" % build)
    cases = [] if shots else load_cases()
    if shots:
        os.makedirs(shots, exist_ok=True)
    bad = []
    with tempfile.TemporaryDirectory(prefix="cdpilot-grounding-ra-") as tmp:
        probes = gen.case_probes(cases, tmp) if cases else {}
        apps = Apps(tmp, envfile)
        try:
            for app in APPS:
                mine = [p[0] for p in PAGES[app] if p != "LOGIN" and p[0] in pages]
                if not mine:
                    continue
                steps = steps_for(app, mine, cases, probes, shots)
                out = run_app(app, apps.urls[app], steps, tmp, shots or tmp, build)
                for n in mine:
                    if shots:
                        with open(os.path.join(shots, n + ".html"), "w", encoding="utf-8") as f:
                            f.write(out["html-" + n].get("value", ""))
                        print("%s: %s/%s.png" % (n, shots, n))
                        continue
                    res = json.loads(out["collect-" + n]["value"])
                    bad += write_page(n, res, cases, probes, apps)
        finally:
            apps.stop()
    if envfile is None and os.path.isdir(getattr(apps, "ra_tmp", "") or "/nonexistent"):
        bad.append("the applications' folder %s was left behind" % apps.ra_tmp)
    for b in bad:
        print("gen_realapps: " + b, file=sys.stderr)
    if bad:
        print("gen_realapps: %d problem(s); the pages that had one were not written" % len(bad),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
