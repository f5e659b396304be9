#!/usr/bin/env python3
"""The real-app suite's two helpers (see README.md beside this file).

  realapps.py instrument EXPECT TASK OUT [--oracle]
      Writes OUT: TASK with a check after each plain-words step that has an
      expected element in EXPECT, so that a step which says it succeeded on
      the wrong element is seen (its "confident-wrong" count). --oracle:
      each such step acts on its expected element instead (checks the
      tasks and EXPECT themselves). --oracle-at FILE: only the steps that
      FILE ({"app/task.json": [step number, ...]}) names act on their
      expected element (what fails after a step that is known to fail).
  realapps.py report RUNDIR [--json FILE] [--gate]
      Reads RUNDIR/<pass>/<app>/<task>.json (cdpilot run --json reports)
      and prints, per app and in total, the tasks passed and the
      plain-words steps correct / uncertain / not found / confident-wrong,
      and each pass's cache share; then every failed task with its step.
      --gate: exit 1 when a goal is missed (gate() below).
"""
import json
import os
import sys

PREFIXES = ("css=", "xpath=", "text=", "role=", "label=", "placeholder=", "testid=")
ACTIONS = ("click", "fill", "select", "check", "uncheck", "hover")
TARGETED = ACTIONS + ("extract",)


def step_kind(step):
    for k in ("goto", "click", "fill", "press", "select", "check", "uncheck", "hover",
              "scroll", "wait_for", "assert", "extract", "eval", "screenshot"):
        if k in step:
            return k
    return None


def is_plain(target):
    return isinstance(target, str) and not target.startswith(PREFIXES)


def js_str(s):
    return json.dumps(s)


# --- instrument ------------------------------------------------------------
# Helpers that js: expectations may use (defined inside every injected
# snippet): elements by their own visible words, the field of a form row by
# the row's first cell, a row's action by the row's words, a dialog's button.
RA_JS = """const ra = {
  text: (sel, w) => [...document.querySelectorAll(sel)].filter(e => w === null ||
      (e.innerText || '').trim() === w),
  rowField: label => { for (const tr of document.querySelectorAll('tr')) {
      const c = tr.cells && tr.cells[0];
      if (!c || c.innerText.trim() !== label) continue;
      const f = [...tr.querySelectorAll('input:not([type=hidden]):not([type=checkbox]), textarea')];
      if (f.length) return [f[f.length - 1]]; } return []; },
  rowAction: (row, w) => [...document.querySelectorAll('tr')].filter(r => r.innerText.includes(row))
      .flatMap(r => [...r.querySelectorAll('a, button')].filter(a => a.innerText.trim() === w)),
  dialogButton: w => [...document.querySelectorAll('.modal button, .ui-dialog button, [role=dialog] button')]
      .filter(b => b.offsetParent !== null && b.innerText.trim() === w) };"""


def want_js(sel):
    """A JS expression: the array of expected elements."""
    if sel.startswith("js:"):
        return "(() => { " + RA_JS + " return (" + sel[3:] + "); })()"
    return "[...document.querySelectorAll(" + js_str(sel) + ")]"


# A click is checked by a capture-phase listener armed just before it: the
# element under the pointer must be (inside) an expected element or its
# label, or inside a link to the very address an expected link has (the
# same place either way: a menu's "Comments" and a dashboard's count
# link). The verdict goes to sessionStorage, so it survives the navigation
# the click may start (same tab, same origin); the check reads it after the
# step. No verdict (the click opened another tab, or acted without a click
# event) leaves the step unchecked, not wrong.
ARM_JS = """(() => {{ const k = {key}; sessionStorage.removeItem(k);
  const h = e => {{ if (sessionStorage.getItem(k)) return;
    const t = e.target, want = {want};
    const a = t.closest ? t.closest('a[href]') : null;
    const same = w => a && w.matches && w.matches('a[href]') && a.href === w.href &&
        !/^(#|javascript:)/i.test(a.getAttribute('href'));
    const ok = want.some(w => w && (w === t || w.contains(t) || same(w) ||
        (w.labels && [...w.labels].some(l => l.contains(t)))));
    sessionStorage.setItem(k, ok ? 'hit' : 'miss'); }};
  window.addEventListener('click', h, true); return true; }})()"""
CHECK_CLICK_JS = "(sessionStorage.getItem({key}) || 'unchecked') !== 'miss'"
# A fill must have put its value in an expected element (a form field's
# value, or the visible text of an editor such as CodeMirror).
CHECK_FILL_JS = """{want}.some(e => e && ((('value' in e) && String(e.value) === {val}) ||
  (e.innerText || '').includes({val})))"""
CHECK_SELECT_JS = """{want}.some(e => e && (e.value === {val} ||
  (e.selectedOptions && [...e.selectedOptions].some(o => o.textContent.trim() === {val}))))"""
# check/uncheck: the click (when there was one) hit an expected element,
# and a real checkbox among them has the state asked for.
CHECK_CHECKED_JS = """(sessionStorage.getItem({key}) || 'unchecked') !== 'miss' &&
  {want}.some(e => e && (!('checked' in e) || e.checked === {state}))"""
# The oracle pass acts on the expected element itself: it is marked, and
# the step's target becomes that mark (a check of the tasks and of
# expect.json, not of cdpilot's resolution).
MARK_JS = """(() => {{ if (document.readyState !== 'complete' ||
      (window.jQuery && window.jQuery.active > 0)) return false;
  const mark = () => {{
    let w = {want}.filter(e => e);
    if ({fill}) w = w.map(e => e.matches('input, textarea, select, [contenteditable=true]') ? e :
        e.querySelector('textarea, input, [contenteditable=true]')).filter(e => e);
    const seen = e => {{ const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0; }};
    const v = w.find(seen) || w[0];
    if (v && v.getAttribute('data-ra-oracle') === {n}) return true;
    document.querySelectorAll('[data-ra-oracle]').forEach(e => e.removeAttribute('data-ra-oracle'));
    if (v) v.setAttribute('data-ra-oracle', {n});
    return !!v; }};
  /* pages that redraw themselves after loading lose the mark: keep it on */
  clearInterval(window.__raMark); window.__raMark = setInterval(mark, 100);
  return mark(); }})()"""


def expectation(expect, app, rel, index, kind, target):
    per_task = expect.get("tasks", {}).get(rel, {})
    if str(index) in per_task:
        return per_task[str(index)]
    return expect.get(app, {}).get(f"{kind} {target}")


def instrument(expect_path, task_path, out_path, oracle=False, oracle_at=None):
    with open(expect_path) as f:
        expect = json.load(f)
    with open(task_path) as f:
        task = json.load(f)
    app = os.path.basename(os.path.dirname(task_path))
    rel = f"{app}/{os.path.basename(task_path)}"
    at = set()
    if oracle_at:
        with open(oracle_at) as f:
            at = set(json.load(f).get(rel, []))
    out = []
    for i, step in enumerate(task["steps"], 1):
        kind = step_kind(step)
        target = step.get(kind) if kind in ACTIONS else None
        sel = expectation(expect, app, rel, i, kind, target) if is_plain(target) else None
        if oracle or i in at:
            if sel:
                if out and step_kind(out[-1]) in ("click", "press"):
                    # the page the last step may be leaving must not be marked
                    out.append({"eval": "new Promise(r => setTimeout(r, 1000))", "id": f"ra-mark-{i}-wait"})
                out.append({"wait_for": {"js": MARK_JS.format(want=want_js(sel), n=js_str(str(i)),
                                                              fill="true" if kind == "fill" else "false")},
                            "id": f"ra-mark-{i}", "timeout_ms": 10000})
                step = dict(step)
                step[kind] = f'css=[data-ra-oracle="{i}"]'
            out.append(step)
            continue
        check = None
        if sel and kind != "hover":
            key = js_str(f"ra-hit-{i}")
            want = want_js(sel)
            if kind in ("click", "check", "uncheck"):
                out.append({"eval": ARM_JS.format(key=key, want=want), "id": f"ra-arm-{i}",
                            "optional": True, "timeout_ms": 3000})
            if kind == "click":
                check = CHECK_CLICK_JS.format(key=key)
            elif kind == "fill":
                check = CHECK_FILL_JS.format(want=want, val=js_str(step["value"]))
            elif kind == "select":
                check = CHECK_SELECT_JS.format(want=want, val=js_str(step["value"]))
            else:
                check = CHECK_CHECKED_JS.format(key=key, want=want,
                                                state="true" if kind == "check" else "false")
        out.append(step)
        if check:
            out.append({"assert": {"js": check}, "id": f"ra-check-{i}",
                        "optional": True, "timeout_ms": 1500})
    task["steps"] = out
    with open(out_path, "w") as f:
        json.dump(task, f, indent=1)


# --- report ----------------------------------------------------------------
def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def judge(report):
    """Per task: passed?, its plain-words steps' verdicts, the failure."""
    steps = report.get("steps", []) if report else []
    checks = {}
    own = []
    for s in steps:
        sid = s.get("id") or ""
        if sid.startswith("ra-check-"):
            checks[int(sid[len("ra-check-"):])] = s.get("status")
        elif not sid.startswith(("ra-arm-", "ra-mark-")):
            own.append(s)
    passed = bool(report) and bool(own) and all(s.get("status") == "passed" for s in own)
    verdicts = []
    first_fail = None
    for n, s in enumerate(own, 1):
        st = s.get("status")
        if st not in (None, "passed") and first_fail is None:
            first_fail = (n, s)
        if s.get("kind") not in TARGETED or not is_plain(s.get("target")):
            continue
        cls = s.get("error_class") or ""
        if st == "passed":
            if checks.get(n) in ("failed", "failed-optional"):
                v = "confident-wrong"
            else:
                v = "correct"
        elif st in (None, "skipped"):
            v = "not reached"
        elif cls == "uncertain":
            v = "uncertain"
        elif cls == "not-found":
            v = "not found"
        else:
            v = "failed (" + (cls or st) + ")"
        verdicts.append((n, s, v))
    return passed, verdicts, first_fail


def report(rundir, json_out=None, with_gate=False):
    passes = [p for p in ("oracle", "oracle_changed", "cold", "warm", "changed") if os.path.isdir(os.path.join(rundir, p))]
    if not passes:
        print("realapps: no pass found in " + rundir, file=sys.stderr)
        return 3
    summary = {}
    missing = 0
    cols = ["correct", "uncertain", "not found", "confident-wrong", "other", "not reached"]
    for p in passes:
        pdir = os.path.join(rundir, p)
        apps = sorted(os.listdir(pdir))
        rows = {}
        fails = []
        src_total = {}
        for app in apps:
            adir = os.path.join(pdir, app)
            r = {"tasks": 0, "passed": 0, **{c: 0 for c in cols}, "plain": 0,
                 "plain_cache": 0, "plain_passed": 0}
            for fn in sorted(os.listdir(adir)):
                if not fn.endswith(".json"):
                    continue
                rep = load(os.path.join(adir, fn))
                r["tasks"] += 1
                if rep is None:
                    missing += 1
                    fails.append((app, fn, "no report (cdpilot crashed or was killed)", []))
                    continue
                ok, verdicts, ff = judge(rep)
                r["passed"] += ok
                for n, s, v in verdicts:
                    r["plain"] += 1
                    key = v if v in cols else "other"
                    r[key] += 1
                    if s.get("status") == "passed":
                        r["plain_passed"] += 1
                        if s.get("source") == "cache":
                            r["plain_cache"] += 1
                        src_total[s.get("source")] = src_total.get(s.get("source"), 0) + 1
                if not ok:
                    if ff:
                        n, s = ff
                        what = (f"step {n} ({s.get('kind')} {json.dumps(s.get('target') or '')}): "
                                f"{s.get('error_class') or s.get('status')}: {s.get('error') or ''}")
                        cands = [f"{c.get('score', 0):.2f} {c.get('candidate')}"
                                 for c in (s.get("top_candidates") or [])[:3]]
                    else:
                        what, cands = f"exit {rep.get('exit_code')}", []
                    wrong = [f"step {n} {s.get('kind')} {json.dumps(s.get('target'))} -> {s.get('selector')}"
                             for n, s, v in verdicts if v == "confident-wrong"]
                    fails.append((app, fn, what, cands + [("confident-wrong " + w) for w in wrong]))
                else:
                    wrong = [f"confident-wrong step {n} {s.get('kind')} {json.dumps(s.get('target'))}"
                             f" -> {s.get('selector')}" for n, s, v in verdicts if v == "confident-wrong"]
                    if wrong:
                        fails.append((app, fn, "passed, but acted on another element than expected", wrong))
            rows[app] = r
        tot = {k: sum(r[k] for r in rows.values()) for k in next(iter(rows.values()))} if rows else {}
        rows["total"] = tot
        summary[p] = {"apps": rows, "failures": [
            {"app": a, "task": f, "failure": w, "detail": d} for a, f, w, d in fails]}
        print(f"\n== {p} pass" + {"oracle": " (each plain-words step on its expected element)",
                                   "oracle_changed": " (the same, on the changed apps)",
                                   "cold": " (fresh cache)"}.get(p, " (cache from the passes before)"))
        print(f"{'app':<12} {'tasks':>11} {'plain':>6} {'correct':>8} {'uncert':>7} {'notfnd':>7}"
              f" {'c-wrong':>8} {'other':>6} {'unreach':>8} {'cache':>7}")
        for app, r in rows.items():
            share = (f"{100.0 * r['plain_cache'] / r['plain_passed']:.0f}%" if r["plain_passed"] else "-")
            print(f"{app:<12} {r['passed']:>4}/{r['tasks']:<3}{'':>3} {r['plain']:>6} {r['correct']:>8}"
                  f" {r['uncertain']:>7} {r['not found']:>7} {r['confident-wrong']:>8}"
                  f" {r['other']:>6} {r['not reached']:>8} {share:>7}")
        if fails:
            print(f"-- {p}: tasks that failed or acted wrongly")
            for a, f, w, d in fails:
                print(f"  {a}/{f}: {w}")
                for line in d:
                    print(f"      {line}")
    if json_out:
        with open(json_out, "w") as f:
            json.dump(summary, f, indent=1)
    if missing:
        print(f"realapps: {missing} task run(s) left no report", file=sys.stderr)
        return 3
    return gate(summary) if with_gate else 0


GATE_PASSED = 0.95    # share of tasks that must pass cold and warm


def gate(summary):
    """The suite's goals (README.md, "Goals"): every pass without a
    confident-wrong step; cold and warm passing at least GATE_PASSED of
    their tasks. Prints each miss; 1 when any, else 0."""
    misses = []
    for p, s in summary.items():
        tot = s["apps"].get("total", {})
        if tot.get("confident-wrong"):
            misses.append(f"{p}: {tot['confident-wrong']} confident-wrong step(s)")
        if p in ("cold", "warm") and tot.get("tasks") and \
                tot["passed"] < GATE_PASSED * tot["tasks"]:
            misses.append(f"{p}: {tot['passed']}/{tot['tasks']} tasks passed, "
                          f"under {GATE_PASSED:.0%}")
    for m in misses:
        print(f"realapps: goal missed: {m}", file=sys.stderr)
    if not misses:
        print("realapps: goals met (no confident-wrong step; "
              f"cold and warm at least {GATE_PASSED:.0%} of tasks)")
    return 1 if misses else 0


def main(argv):
    if len(argv) >= 5 and argv[1] == "instrument":
        rest, oracle, at = argv[5:], False, None
        while rest:
            if rest[0] == "--oracle":
                oracle, rest = True, rest[1:]
            elif rest[0] == "--oracle-at" and len(rest) > 1:
                at, rest = rest[1], rest[2:]
            else:
                break
        if not rest:
            instrument(argv[2], argv[3], argv[4], oracle=oracle, oracle_at=at)
            return 0
    if len(argv) >= 3 and argv[1] == "report":
        rest, json_out, with_gate = argv[3:], None, False
        while rest:
            if rest[0] == "--json" and len(rest) > 1:
                json_out, rest = rest[1], rest[2:]
            elif rest[0] == "--gate":
                with_gate, rest = True, rest[1:]
            else:
                break
        if not rest:
            return report(argv[2], json_out, with_gate)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
