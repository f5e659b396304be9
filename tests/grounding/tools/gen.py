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
       tests/grounding/tools/gen.py --perf     perf/big.json from the shared
           bench fixture big.html (BENCH_FIXTURES=dir) and its W4 intents,
           and the real-time collect() median on it
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
    k = src.rfind("</body>")
    if k >= 0:
        src = src[:k] + inject + src[k:]
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


PERF_HARNESS = r"""
<script>
(function () {
  var P = window.__cdpilot, t = [], s = '';
  for (var i = 0; i < 9; i++) {
    var t0 = performance.now();
    s = P.collect({profile: true});
    t.push(performance.now() - t0);
  }
  t.sort(function (a, b) { return a - b; });
  var pre = document.createElement('pre');
  pre.id = '__grounding_out';
  pre.textContent = JSON.stringify({ doc: s, ms: t, len: s.length });
  document.documentElement.appendChild(pre);
})();
</script>
"""


def perf_page(src_path, name, intents, js, tmp):
    """Snapshot of a big page for the scoring benchmark, and the median
    collect() time in real time (no virtual time: the script runs inline
    at the end of the body, after parsing)."""
    src = open(src_path, encoding="utf-8").read()
    inject = "<script>" + js + "</script>" + PERF_HARNESS
    k = src.rfind("</body>")
    src = src[:k] + inject + src[k:] if k >= 0 else src + inject
    path = os.path.join(tmp, name + ".html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(src)
    cmd = [CHROME, "--headless=new", "--no-sandbox", "--disable-gpu",
           "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync",
           "--user-data-dir=" + os.path.join(tmp, "profile-" + name),
           "--window-size=1280,720", "--dump-dom", "file://" + path]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    m = re.search(r'<pre id="__grounding_out">(.*?)</pre>', r.stdout, re.S)
    if not m:
        raise SystemExit("%s: no harness output" % name)
    out = json.loads(html.unescape(m.group(1)))
    doc = json.loads(out["doc"])
    doc["url"] = "file:///grounding/perf/" + name + ".html"
    prof = doc.pop("prof", None)
    d = os.path.join(GROUND, "perf")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name + ".json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
        f.write("\n")
    with open(os.path.join(d, name + ".intents"), "w", encoding="utf-8") as f:
        for kind, intent in intents:
            f.write("%s\t%s\n" % (kind, intent))
    ms = out["ms"]
    if prof:
        print("  last run phases (ms): %s" % json.dumps(prof))
    print("perf %s: %d candidates of %d elements, %d bytes JSON, collect() "
          "median %.1f ms (min %.1f, max %.1f) over %d runs"
          % (name, doc["n"], doc["walked"], out["len"], ms[len(ms) // 2],
             ms[0], ms[-1], len(ms)))


def perf_big(js, tmp):
    fx = os.environ.get("BENCH_FIXTURES", "/work/shared/bench/fixtures")
    t = json.load(open(os.path.join(fx, "big-targets.json")))["w4"]
    intents = [("click", e["name"]) for e in t["role"]]
    intents += [("fill" if e["role"] in ("textbox", "searchbox",
                 "spinbutton") else "check" if e["role"] == "checkbox"
                 else "click", e["label"]) for e in t["label"]]
    intents += [("read", s) for s in t["text"]]
    perf_page(os.path.join(fx, "big.html"), "big", intents, js, tmp)


def main():
    if sys.argv[1:2] == ["--perf"]:
        with tempfile.TemporaryDirectory(prefix="cdpilot-grounding-") as tmp:
            perf_big(page_js(), tmp)
        return
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
