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

It also checks the pruned collection (collect({probes}), docs/CANDIDATES.md)
on every case: with the case's prefilter probes (tools/probes.c, built here
with cc from heuristics/ and util/), every record must be the full
collection's record of the same element, and every full record that the
scorer's prefilter lets through must be there. A mismatch is reported and
the exit status is 1.

usage: tests/grounding/tools/gen.py [PAGE...]   (CHROME=/path overrides)
       tests/grounding/tools/gen.py --perf     perf/big.json from the shared
           bench fixture big.html (BENCH_FIXTURES=dir) and its W4 intents,
           and the real-time collect() median on it
"""
import glob
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
      var s = P.collect({boxes: true});
      var exp = {}, miss = [], pruned = {};
      CASES.forEach(function (c) {
        exp[c.id] = c.expect.map(function (sel) {
          var el = find(sel), k = el ? P.cands.indexOf(el) : -1;
          if (k < 0) miss.push(c.id + ': ' + sel + (el ? ' (not a candidate)'
                                                         : ' (no match)'));
          return k;
        });
      });
      /* pruned collections, ids mapped to the full collection's */
      var full = P.cands.slice();
      CASES.forEach(function (c) {
        if (!c.probes) return;
        var d = JSON.parse(P.collect({boxes: true, probes: c.probes})), pc = P.cands;
        var map = function (k) { return full.indexOf(pc[k]); };
        d.cands.forEach(function (r) {
          r.i = map(r.i);
          if (r.for !== undefined) r.for = map(r.for);
          if (r.in !== undefined) r.in = map(r.in);
        });
        pruned[c.id] = d;
      });
      P.collect({});
      out = { doc: s, expect: exp, miss: miss, pruned: pruned };
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


# heur__fold() of heuristics/heur_text.c, on code points.
L1 = "aaaaaa0ceeeeiiiidnooooo*ouuuuy12aaaaaa0ceeeeiiiidnooooo*ouuuuy1y"
L1P = ["ae", "th", "ss"]
LA = ("aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
      "lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs")


def cfold(s):
    o = []
    for ch in s:
        c = ord(ch)
        if c < 0x80:
            o.append(ch.lower() if "A" <= ch <= "Z" else ch)
        elif 0xC0 <= c <= 0xFF:
            b = L1[c - 0xC0]
            o.append(ch if b == "*" else L1P[int(b)] if b in "012" else b)
        elif 0x100 <= c <= 0x17F:
            o.append(LA[c - 0x100])
        elif 0x400 <= c <= 0x42F:
            o.append(chr(c + 0x50 if c < 0x410 else c + 0x20))
        elif 0x391 <= c <= 0x3A9:
            o.append(chr(c + 0x20))
        else:
            o.append(ch)
    return "".join(o)


PREFILTER_FIELDS = ("name", "label", "aria", "text", "alt", "ph", "title",
                    "value", "near", "id", "nm", "tid", "cls")


def resolved(doc):
    st = doc.get("strs", [])
    for r in doc["cands"]:
        for k, v in list(r.items()):
            if k not in ("i", "for", "in", "fr", "box", "grp", "dst") and isinstance(v, int):
                r[k] = st[v]
    return doc["cands"]


def check_pruned(name, full_doc, pruned, probes):
    """Problems of the pruned collections of page NAME (a list)."""
    full = {r["i"]: r for r in resolved(json.loads(json.dumps(full_doc)))}
    bad = []
    for cid, doc in sorted(pruned.items()):
        got = {r["i"]: r for r in resolved(doc)}
        for i, r in got.items():
            f = dict(full.get(i) or {})
            if "v" not in r.get("fl", "") and "box" in f:
                f["box"] = r.get("box")     # a hidden element's box is
                                            # whatever layout last left
            if f != r:
                bad.append("%s %s: record %d differs: %s / %s"
                           % (name, cid, i, r, full.get(i)))
        for i, r in full.items():
            hay = cfold("\n".join(r.get(k, "") for k in PREFILTER_FIELDS))
            if i not in got and any(p in hay for p in probes[cid]):
                bad.append("%s %s: record %d pruned but the prefilter "
                           "keeps it: %s" % (name, cid, i, r))
    return bad


def run_page(name, cases, js, tmp, probes):
    src = open(os.path.join(GROUND, "pages", name + ".html"),
               encoding="utf-8").read()
    mine = [{"id": c["id"], "expect": c.get("expect", []),
             "probes": probes.get(c["id"])}
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
    # the browser's own temporary files go with TMP, not to /tmp
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=90,
                       env=dict(os.environ, TMPDIR=tmp))
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
    bad = check_pruned(name, doc, out.get("pruned", {}),
                       {c["id"]: c["probes"] for c in mine if c["probes"]})
    for b in bad:
        print("PRUNED MISMATCH %s" % b, file=sys.stderr)
    npr = len(out.get("pruned", {}))
    kept = sum(p["n"] for p in out.get("pruned", {}).values())
    print("%-22s %4d candidates, %4d elements, collect %5.1f ms, %d cases; "
          "pruned: %d checked, %.1f records on average, %d problems"
          % (name, doc["n"], doc["walked"], doc["ms"], len(mine), npr,
             kept / npr if npr else 0, len(bad)))
    return len(bad)


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
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, TMPDIR=tmp))
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


def case_probes(cases, tmp):
    """{case id: [probe...]} for the cases that have a prefilter."""
    exe = os.path.join(tmp, "probes")
    srcs = [os.path.join(HERE, "probes.c"),
            os.path.join(ROOT, "util", "util.c")] + sorted(
        glob.glob(os.path.join(ROOT, "heuristics", "*.c")))
    subprocess.run([os.environ.get("CC", "cc"), "-std=c11", "-D_GNU_SOURCE",
                    "-O1", "-o", exe] + srcs + ["-lpcre2-8", "-lm"],
                   check=True)
    r = subprocess.run([exe], input="".join(c["intent"] + "\n"
                                            for c in cases),
                       capture_output=True, text=True, check=True)
    out = {}
    for c, line in zip(cases, r.stdout.split("\n")):
        if line.strip():
            out[c["id"]] = json.loads(line)
    return out


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
    bad = 0
    with tempfile.TemporaryDirectory(prefix="cdpilot-grounding-") as tmp:
        probes = case_probes(cases, tmp)
        for n in names:
            bad += run_page(n, cases, js, tmp, probes)
    if bad:
        print("gen.py: %d pruned-collection problems" % bad, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
