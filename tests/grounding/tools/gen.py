#!/usr/bin/env python3
"""gen.py -- regenerate tests/grounding/snapshots/ with the real collector.

For every page in tests/grounding/pages/*.html (or the pages named on the
command line) this builds a temporary copy with the page script
(selectors/js/*.js, concatenated in name order as the build does) and a small
harness appended, loads it in headless Chromium (--dump-dom), and writes:

  snapshots/PAGE.json         the record document __cdpilot.collect() returned,
                              byte for byte what sel_cands_parse() consumes
  snapshots/PAGE.expect.json  {case id: [candidate ids]} for the cases of
                              cases.json on that page: each case's CSS
                              selectors looked up in __cdpilot.cands

The expected ids live in a separate file and the pages carry no test markers,
so nothing the scorer reads can reveal the answer.  A selector "A >>> B"
looks up B inside iframe A's document or inside A's open shadow root.

usage: tests/grounding/tools/gen.py [PAGE...]   (CHROME=/path overrides)
"""
import html
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
GROUND = os.path.join(ROOT, "tests", "grounding")
CHROME = os.environ.get("CHROME", "/usr/lib/chromium/chromium")

HARNESS = r"""
<script>
(function () {
  var CASES = %s;
  function find(sel) {
    var parts = sel.split(' >>> '), root = document, el = null;
    for (var i = 0; i < parts.length; i++) {
      el = root.querySelector(parts[i]);
      if (!el) return null;
      if (i + 1 < parts.length)
        root = el.localName === 'iframe' ? el.contentDocument : el.shadowRoot;
    }
    return el;
  }
  function run() {
    var out;
    try {
      var P = window.__cdpilot;
      var s = P.collect({});
      var exp = {}, miss = [];
      CASES.forEach(function (c) {
        exp[c.id] = c.expect.map(function (sel) {
          var el = find(sel), k = el ? P.cands.indexOf(el) : -1;
          if (k < 0) miss.push(c.id + ': ' + sel + (el ? ' (not a candidate)'
                                                         : ' (no match)'));
          return k;
        });
      });
      out = { doc: s, expect: exp, miss: miss };
    } catch (e) { out = { error: String(e && e.stack || e) }; }
    var pre = document.createElement('pre');
    pre.id = '__grounding_out';
    pre.textContent = JSON.stringify(out);
    document.documentElement.appendChild(pre);
  }
  window.addEventListener('load', function () { setTimeout(run, 200); });
})();
</script>
"""


def page_js():
    d = os.path.join(ROOT, "selectors", "js")
    return "".join(open(os.path.join(d, f), encoding="utf-8").read()
                   for f in sorted(os.listdir(d)) if f.endswith(".js"))


def run_page(name, cases, js, tmp):
    src = open(os.path.join(GROUND, "pages", name + ".html"),
               encoding="utf-8").read()
    mine = [{"id": c["id"], "expect": c.get("expect", [])}
            for c in cases if c["page"] == name]
    inject = "<script>" + js + "</script>" + HARNESS % json.dumps(mine)
    if "</body>" in src:
        src = src.replace("</body>", inject + "</body>", 1)
    else:
        src += inject
    path = os.path.join(tmp, name + ".html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(src)
    prof = os.path.join(tmp, "profile-" + name)
    cmd = [CHROME, "--headless=new", "--no-sandbox", "--disable-gpu",
           "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync",
           "--user-data-dir=" + prof, "--window-size=1280,800",
           "--virtual-time-budget=3000", "--dump-dom", "file://" + path]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    m = re.search(r'<pre id="__grounding_out">(.*?)</pre>', r.stdout, re.S)
    if not m:
        raise SystemExit("%s: no harness output (chromium rc %d)\n%s" %
                         (name, r.returncode, r.stderr[-2000:]))
    out = json.loads(html.unescape(m.group(1)))
    if "error" in out:
        raise SystemExit("%s: collector error: %s" % (name, out["error"]))
    for m in out["miss"]:
        print("WARNING %s: %s" % (name, m), file=sys.stderr)
    snap = os.path.join(GROUND, "snapshots", name + ".json")
    doc = json.loads(out["doc"])
    doc["url"] = "file:///grounding/" + name + ".html"   # not the temp dir
    with open(snap, "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
        f.write("\n")
    with open(os.path.join(GROUND, "snapshots", name + ".expect.json"), "w",
              encoding="utf-8") as f:
        json.dump(out["expect"], f, indent=0, sort_keys=True)
        f.write("\n")
    print("%-22s %4d candidates, %4d elements, collect %5.1f ms, %d cases"
          % (name, doc["n"], doc["walked"], doc["ms"], len(mine)))


def main():
    cases = json.load(open(os.path.join(GROUND, "cases.json"),
                           encoding="utf-8"))["cases"]
    names = sys.argv[1:] or sorted(
        f[:-5] for f in os.listdir(os.path.join(GROUND, "pages"))
        if f.endswith(".html"))
    js = page_js()
    os.makedirs(os.path.join(GROUND, "snapshots"), exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cdpilot-grounding-") as tmp:
        for n in names:
            run_page(n, cases, js, tmp)


if __name__ == "__main__":
    main()
