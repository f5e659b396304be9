  /* ---- 20-query.js: explicit target engines (SPEC section 3) -----------
   * P.query(spec) -> array of elements in page order, searching the whole
   * page: the document, open shadow roots and same-origin iframes.
   * spec: {s:"css"|"xpath"|"text"|"label"|"placeholder"|"testid", v} or
   *       {s:"role", role, name?, exact?}. Exact rules: docs/TARGETS.md.
   * Throws on an invalid css/xpath or an unknown engine (callers turn that
   * into reason "bad-selector"). */
{
  const norm = P.norm;

  const CONTROL_ROLES = new Set(['button', 'checkbox', 'combobox',
    'gridcell', 'link', 'listbox', 'menuitem', 'menuitemcheckbox',
    'menuitemradio', 'option', 'radio', 'scrollbar', 'searchbox', 'slider',
    'spinbutton', 'switch', 'tab', 'textbox', 'treeitem']);
  const LABELABLE = { button: 1, meter: 1, output: 1, progress: 1,
    select: 1, textarea: 1 };
  /* A form control or widget: what label= is meant to find. */
  function isControl(el) {
    const t = el.localName;
    if (t === 'input') return (el.getAttribute('type') || '').toLowerCase() !==
      'hidden';
    if (LABELABLE[t]) return true;
    if (el.hasAttribute('contenteditable') && el.isContentEditable) return true;
    return CONTROL_ROLES.has(P.role(el));
  }
  P.isControl = isControl;

  /* Page order across roots: the position in a P.walk of the page. */
  function orderIndex() {
    const c = P._cache();
    if (c.order) return c.order;
    const m = new Map();
    let i = 0;
    P.walk(document, function (el) { m.set(el, i++); });
    c.order = m;
    return m;
  }
  function sortPage(els) {
    if (els.length < 2) return els;
    const r0 = els[0].getRootNode();
    let one = true;
    for (let i = 1; i < els.length && one; i++)
      if (els[i].getRootNode() !== r0) one = false;
    if (one) {
      return els.sort(function (a, b) {
        if (a === b) return 0;
        return (a.compareDocumentPosition(b) & 4) ? -1 : 1;
      });
    }
    const m = orderIndex();
    return els.sort(function (a, b) {
      const x = m.get(a), y = m.get(b);
      return (x === undefined ? 1e9 : x) - (y === undefined ? 1e9 : y);
    });
  }
  P.sortPage = sortPage;
  function uniq(els) {
    const s = new Set(els);
    return s.size === els.length ? els : Array.from(s);
  }

  function qsaAll(sel) {
    const roots = P.roots();
    if (roots.length === 1) return Array.from(roots[0].querySelectorAll(sel));
    const out = [];
    let nonEmpty = 0;
    for (let i = 0; i < roots.length; i++) {
      const l = roots[i].querySelectorAll(sel);
      if (l.length) nonEmpty++;
      for (let j = 0; j < l.length; j++) out.push(l[j]);
    }
    return nonEmpty > 1 ? sortPage(out) : out;
  }
  P.qsaAll = qsaAll;

  function cssStr(v) {
    return '"' + String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')
      .replace(/\n/g, '\\a ') + '"';
  }
  P.cssStr = cssStr;

  /* ---- xpath: evaluated in the document and each same-origin frame (not
   * inside shadow roots: XPath cannot see them). Non-element results are
   * dropped. */
  function xpathEngine(v) {
    const out = [];
    const roots = P.roots();
    for (let i = 0; i < roots.length; i++) {
      const d = roots[i];
      if (d.nodeType !== 9) continue;
      const r = d.evaluate(v, d, null, 7 /* ORDERED_NODE_SNAPSHOT */, null);
      for (let j = 0; j < r.snapshotLength; j++) {
        const n = r.snapshotItem(j);
        if (n && n.nodeType === 1) out.push(n);
      }
    }
    return out;
  }

  /* ---- text: text content as Playwright's elementText: text nodes, the
   * value of submit/button/reset inputs, shadow-root text after the light
   * children; script/style/noscript/template and unrendered children are
   * skipped. Cached per batch (raw, un-normalised). */
  const TXT_SKIP = { script: 1, style: 1, noscript: 1, template: 1,
    head: 1, title: 1 };
  function nonWs(v) {
    let n = 0;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c > 32 && c !== 160 && c !== 0x200b) n++;
    }
    return n;
  }
  function skipChild(n) {
    if (TXT_SKIP[n.localName] || n.hasAttribute('hidden')) return true;
    return !!n.checkVisibility &&
      !n.checkVisibility({ visibilityProperty: true }) &&
      P.style(n).display !== 'contents';
  }
  /* Raw (un-normalised) text of EL; st = {n, max, over}: stops early, with
   * st.over set, once more than st.max non-space characters were seen.
   * Complete results are cached per batch. */
  function rawText(el, st) {
    const c = P._cache().txt;
    let s = c.get(el);
    if (s !== undefined) {
      if (st.max >= 0 && (st.n += nonWs(s)) > st.max) st.over = true;
      return s;
    }
    s = '';
    if (el.localName === 'input') {
      const ty = (el.getAttribute('type') || '').toLowerCase();
      if (ty === 'submit' || ty === 'button' || ty === 'reset') s = el.value;
      if (st.max >= 0 && (st.n += nonWs(s)) > st.max) st.over = true;
    } else {
      const kids = [el.firstChild];
      if (el.shadowRoot) kids.push(el.shadowRoot.firstChild);
      for (let k = 0; k < kids.length; k++) {
        for (let n = kids[k]; n; n = n.nextSibling) {
          if (n.nodeType === 3) {
            const v = n.nodeValue;
            s += v;
            if (st.max >= 0 && (st.n += nonWs(v)) > st.max) st.over = true;
          } else if (n.nodeType === 1 && !skipChild(n)) {
            s += rawText(n, st);
          }
          if (st.over) return '';
        }
      }
    }
    if (!st.over) c.set(el, s);
    return s;
  }
  P.elementText = function (el) {
    return norm(rawText(el, { n: 0, max: -1, over: false }));
  };
  const NEEDS_NORM = /[^\S ]|  |\u200b/;

  /* text=V: the smallest visible elements whose normalised text equals V
   * exactly (case-sensitive): an element matches when its text equals V
   * and no child element's text does. Found from the text nodes that can
   * be part of V, climbing while the text is not longer than V (the text
   * of an ancestor is only computed up to that length). */
  function textEngine(v) {
    const target = norm(v);
    if (!target) return [];
    const max = nonWs(target);
    const found = new Set();
    const roots = P.roots();
    for (let i = 0; i < roots.length; i++) {
      const root = roots[i];
      const d = root.nodeType === 9 ? root : root.ownerDocument;
      const tw = d.createTreeWalker(root, 4 /* SHOW_TEXT */);
      for (let n = tw.nextNode(); n; n = tw.nextNode()) {
        let s = n.nodeValue.trim();
        if (!s) continue;
        if (target.indexOf(s) < 0) {
          if (!NEEDS_NORM.test(s)) continue;
          s = norm(s);
          if (!s || target.indexOf(s) < 0) continue;
        }
        let e = n.parentNode;
        if (e && e.nodeType === 11) e = e.host;
        if (!e || e.nodeType !== 1 || TXT_SKIP[e.localName]) continue;
        while (e) {
          const st = { n: 0, max: max, over: false };
          const raw = rawText(e, st);
          if (st.over) break;
          const et = norm(raw);
          if (et === target) { found.add(e); break; }
          e = P.parentEl(e);
        }
      }
      const ins = root.querySelectorAll(
        'input[type=submit i],input[type=button i],input[type=reset i]');
      for (let j = 0; j < ins.length; j++)
        if (norm(ins[j].value) === target) found.add(ins[j]);
    }
    const out = [];
    found.forEach(function (e) { if (P.isVisible(e)) out.push(e); });
    return sortPage(out);
  }

  /* role=R[name=N]: elements whose role (P.role) is R and that are not
   * hidden from the accessibility tree. exact (default): normalised name
   * equals N, case-sensitive; exact:false: case-insensitive substring. */
  function roleEngine(spec) {
    const role = String(spec.role || '').trim().toLowerCase();
    const els = qsaAll(P.roleSelector(role));
    const hasName = spec.name != null;
    const exact = spec.exact !== false;
    const want = hasName ? (exact ? norm(spec.name) :
      norm(spec.name).toLowerCase()) : '';
    const out = [];
    for (let i = 0; i < els.length; i++) {
      const el = els[i];
      if (P.role(el) !== role || P.isHidden(el)) continue;
      if (hasName) {
        const nm = P.name(el);
        if (exact ? nm !== want : nm.toLowerCase().indexOf(want) < 0)
          continue;
      }
      out.push(el);
    }
    return out;
  }

  /* label=V: elements whose label (a <label for>/wrapping <label>,
   * aria-labelledby (each target alone or all together), or aria-label)
   * equals V, case-insensitive, whitespace normalised. Form controls and
   * widgets first; only when none matches, any element (e.g. a region
   * named by aria-label), as Playwright's getByLabel would. */
  function labelEngine(v) {
    const target = norm(v).toLowerCase();
    if (!target) return [];
    const t1 = new Set(), t2 = new Set();
    const roots = P.roots();
    for (let i = 0; i < roots.length; i++) {
      const root = roots[i];
      const labels = root.querySelectorAll('label');
      for (let j = 0; j < labels.length; j++) {
        const lab = labels[j];
        const ctl = lab.control;
        if (!ctl || t1.has(ctl)) continue;
        const s = norm(P._labelAlt(lab, ctl)).toLowerCase();
        if (s === target) t1.add(ctl);
      }
      const ar = root.querySelectorAll('[aria-label],[aria-labelledby]');
      for (let j = 0; j < ar.length; j++) {
        const el = ar[j];
        if (t1.has(el)) continue;
        let hit = false;
        if (el.hasAttribute('aria-label') &&
            norm(el.getAttribute('aria-label')).toLowerCase() === target)
          hit = true;
        else if (el.hasAttribute('aria-labelledby')) {
          const ls = P.labelTexts(el, true);
          for (let k = 0; k < ls.length && !hit; k++)
            if (ls[k].toLowerCase() === target) hit = true;
        }
        if (hit) (isControl(el) ? t1 : t2).add(el);
      }
    }
    const res = Array.from(t1.size ? t1 : t2);
    return sortPage(res);
  }

  function placeholderEngine(v) {
    const target = norm(v).toLowerCase();
    return qsaAll('[placeholder]').filter(function (el) {
      return norm(el.getAttribute('placeholder')).toLowerCase() === target;
    });
  }

  function testidEngine(v) {
    return qsaAll('[data-testid=' + cssStr(v) + ']');
  }

  P.query = function (spec) {
    if (!spec || typeof spec !== 'object') throw new Error('bad target spec');
    switch (spec.s) {
    case 'css': return uniq(qsaAll(String(spec.v)));
    case 'xpath': return xpathEngine(String(spec.v));
    case 'text': return textEngine(String(spec.v));
    case 'role': return roleEngine(spec);
    case 'label': return labelEngine(String(spec.v));
    case 'placeholder': return placeholderEngine(String(spec.v));
    case 'testid': return testidEngine(String(spec.v));
    }
    throw new Error('unknown target engine "' + spec.s + '"');
  };

  /* ---- handles (per document: this script is re-installed, and P.h
   * starts empty, in every new document) ---- */
  P.h = [];
  const handleOf = new Map();
  P.keep = function (el) {
    if (!el || el.nodeType !== 1) return -1;
    let h = handleOf.get(el);
    if (h === undefined) {
      h = P.h.length;
      P.h.push(el);
      handleOf.set(el, h);
    }
    return h;
  };
  P.el = function (h) {
    const e = typeof h === 'number' ? P.h[h] : null;
    return e || null;
  };

  /* <tag#id.c1.c2[type=t]> "name or text" -- for error messages. */
  P.describe = function (el) {
    if (!el || el.nodeType !== 1) return '(none)';
    let s = '<' + el.localName;
    if (el.id) s += '#' + el.id;
    const cl = typeof el.className === 'string' ? el.className.trim() : '';
    if (cl) s += '.' + cl.split(/\s+/).slice(0, 2).join('.');
    if (el.localName === 'input') s += '[type=' + (el.type || 'text') + ']';
    const tid = el.getAttribute('data-testid');
    if (tid) s += '[data-testid=' + tid + ']';
    s += '>';
    let label = '';
    try { label = P.name(el) || ''; } catch (e) { label = ''; }
    if (!label) label = P.text(el);
    if (!label && el.getAttribute('placeholder'))
      label = el.getAttribute('placeholder');
    if (label) {
      if (label.length > 50) label = label.slice(0, 47) + '...';
      s += ' "' + label + '"';
    }
    return s;
  };
}
