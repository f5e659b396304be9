  /* ---- 51-collect-reuse.js: Reuse, what a call keeps for the next -------
   * Two levels, each dropped when what it depends on may have changed:
   *  - DOM level: the walk (elements, roles, why, headings), attribute
   *    text and the folded textContent of nodes. Dropped when the DOM
   *    changes: a MutationObserver watches every root the walk entered
   *    (the document, open shadow roots, same-origin frame documents),
   *    and a frame that shows another document counts as a change. Two
   *    kinds of change keep it: text edited in place (a counter, a status
   *    line: the element set stays, unless the edit makes a new text
   *    candidate or touches a heading; the edited texts are forgotten)
   *    and state attributes the walk never reads (SAFE_ATTRS).
   *  - layout level: what depends on styles and layout too (visibility,
   *    visible text, names, label text, near text, container text, label
   *    relations). Dropped with the DOM level, on any attribute change,
   *    on loads, resizes, transitions, animations and toggles, and in any
   *    case FRESH_MS after it was built. Interaction events (pointer,
   *    focus, keyboard, input, change, click) drop it only when a style
   *    sheet holds a rule that depends on an interaction state (:hover,
   *    :focus-within, :checked...) and sets a property the collector
   *    reads (styleSensitive()). A text edited in place forgets only what
   *    may hold that text (forgetLayout()).
   * Boxes, values, checked states, the cursor and the obscured flag are
   * read afresh for every record emitted. */
  const FRESH_MS = 1000;
  const STATE_EVENTS = ['pointerover', 'pointerout', 'pointerdown',
    'pointerup', 'mouseover', 'mouseout', 'focusin', 'focusout', 'input',
    'change', 'keydown', 'keyup', 'click'];
  const LAYOUT_EVENTS = ['load', 'transitionend', 'animationstart',
    'animationend', 'toggle'];
  const LISTEN = { capture: true, passive: true };
  const SAFE_ATTRS = new Set(['aria-expanded', 'aria-pressed',
    'aria-selected', 'aria-checked', 'aria-current', 'aria-busy',
    'aria-valuenow', 'aria-valuetext', 'aria-disabled', 'aria-invalid',
    'aria-hidden', 'disabled', 'checked', 'selected', 'value', 'hidden',
    'open', 'placeholder']);
  let domDirty = true, layoutDirty = true, stateSeen = false, builtAt = 0;
  let mo = null;
  const listened = new WeakSet();
  function onEvent() { layoutDirty = true; }
  function onState() { stateSeen = true; }

  /* Selectors that depend on a state that changes without a mutation
   * (:disabled, :required... follow attributes: the observer sees
   * those), and the properties whose change the layout level would miss
   * (visibility, generated text, a size that may become 0, a place off
   * the page (offPage()); the cursor is read afresh). */
  const STATE_SEL = new RegExp(':(hover|active|focus|focus-within|' +
    'focus-visible|checked|indeterminate|placeholder-shown|valid|' +
    'invalid|user-valid|user-invalid|in-range|out-of-range|autofill|' +
    'target|target-within|open|popover-open|fullscreen|playing|paused)' +
    '(?![\\w-])');
  const READ_PROP = new RegExp('^(display|visibility|content|' +
    'content-visibility|zoom|font-size|cursor|(min-|max-)?(width|height|' +
    'inline-size|block-size)|position|top|left|right|bottom|inset(-.*)?)$');
  let sensSig = null, sensVal = true;
  function sheetsOf(root) {
    const out = [];
    const a = root.styleSheets, b = root.adoptedStyleSheets;
    if (a) for (let i = 0; i < a.length; i++) out.push(a[i]);
    if (b) for (let i = 0; i < b.length; i++) out.push(b[i]);
    return out;
  }
  function rulesSensitive(rules, inState, depth) {
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      if (r.styleSheet) {            /* @import */
        if (depth > 8 || sheetSensitive(r.styleSheet, depth + 1)) return true;
        continue;
      }
      const st = inState || (typeof r.selectorText === 'string' &&
        STATE_SEL.test(r.selectorText));
      if (st && r.style)
        for (let k = 0; k < r.style.length; k++)
          if (READ_PROP.test(r.style[k])) return true;
      if (r.cssRules && r.cssRules.length && r.type !== 7 /* keyframes */ &&
          rulesSensitive(r.cssRules, st, depth)) return true;
    }
    return false;
  }
  function sheetSensitive(sh, depth) {
    let rules;
    try { rules = sh.cssRules; } catch (e) { return true; }  /* cross-origin */
    return !rules || rulesSensitive(rules, false, depth || 0);
  }
  /* Does a style sheet of the walked roots restyle what the collector
   * reads on an interaction state? Memoised on the sheets' shape (how
   * many, and how many rules each: a sheet added, removed or grown by
   * insertRule() is seen); unreadable (cross-origin) sheets count as
   * yes. */
  function styleSensitive() {
    let sig = '';
    const all = [];
    for (let i = 0; i < S.roots.length; i++) {
      const sh = sheetsOf(S.roots[i]);
      sig += sh.length + ':';
      for (let k = 0; k < sh.length; k++) {
        let n = -1;
        try { n = sh[k].cssRules.length; } catch (e) { n = -1; }
        sig += n + ',';
        all.push(sh[k]);
      }
    }
    if (sig === sensSig) return sensVal;
    let v = false;
    for (let i = 0; i < all.length && !v; i++) v = sheetSensitive(all[i]);
    sensSig = sig;
    sensVal = v;
    return v;
  }
  function onlyText(nodes) {
    for (let i = 0; i < nodes.length; i++)
      if (nodes[i].nodeType !== 3 && nodes[i].nodeType !== 8) return false;
    return true;
  }
  /* Sorts mutation records: edits that keep the walk go to S.edited;
   * text edits keep the layout level too (forgetLayout()). */
  function onMutations(recs) {
    if (!recs.length) return;
    for (let i = 0; i < recs.length && !domDirty; i++) {
      const m = recs[i];
      if (!S) domDirty = true;
      else if (m.type === 'characterData') S.edited.push(m.target.parentNode);
      else if (m.type === 'attributes') {
        layoutDirty = true;    /* hidden, open, aria-hidden... restyle */
        if (!SAFE_ATTRS.has(m.attributeName)) domDirty = true;
        else if (m.attributeName === 'placeholder') S.edited.push(m.target);
      } else if (onlyText(m.addedNodes) && onlyText(m.removedNodes)) {
        S.edited.push(m.target);
      } else {
        domDirty = true;
      }
    }
    if (domDirty) layoutDirty = true;
  }
  /* Applies S.edited: false when one of the edits needs a new walk. */
  function applyEdits() {
    const ed = S.edited;
    S.edited = [];
    for (let i = 0; i < ed.length; i++) {
      const el = ed[i];
      if (!el || el.nodeType !== 1) return false;
      if (!el.isConnected) continue;
      if (el.closest('h1,h2,h3,h4,h5,h6,[role=heading]')) return false;
      const k = S.index.get(el);
      if (k !== undefined) {
        if (S.why[k] === 3 && !textCand(el)) return false;
        S.ahay[k] = undefined;
      } else if (S.truncated || (!skipped(el) && whyOf(el, P.role(el)))) {
        return false;      /* it would be a candidate now */
      }
      for (let a = el; a; a = a.parentNode || a.host) S.ftext.delete(a);
      S.touched.push(el);
    }
    return true;
  }
  function watch(root) {
    if (!mo) mo = new MutationObserver(onMutations);
    mo.observe(root, { subtree: true, childList: true, attributes: true,
      characterData: true });
    S.roots.push(root);
    if (root.nodeType !== 9 || listened.has(root)) return;
    listened.add(root);
    for (let i = 0; i < STATE_EVENTS.length; i++)
      addListener.call(root, STATE_EVENTS[i], onState, LISTEN);
    for (let i = 0; i < LAYOUT_EVENTS.length; i++)
      addListener.call(root, LAYOUT_EVENTS[i], onEvent, LISTEN);
    if (root.defaultView) addListener.call(root.defaultView, 'resize',
      onEvent, LISTEN);
  }
  /* 0: walk again; 1: keep the walk, redo the rest; 2: reuse both. */
  function reuseLevel(max, tcap) {
    if (mo) onMutations(mo.takeRecords());
    if (!S || domDirty || S.max !== max || S.tcap !== tcap) return 0;
    if (S.edited.length && !applyEdits()) {
      domDirty = true;
      return 0;
    }
    for (let i = 0; i < S.frames.length; i += 2) {
      let d = null;
      try { d = S.frames[i].contentDocument; } catch (e) { d = null; }
      if (d !== S.frames[i + 1]) return 0;
    }
    for (const [reg, names] of S.undef)
      for (const t of names) if (reg.get(t)) return 0;
    if (layoutDirty || performance.now() - builtAt > FRESH_MS) return 1;
    if (stateSeen) {
      if (styleSensitive()) return 1;
      stateSeen = false;
    }
    if (S.touched.length) forgetTouched();
    return 2;
  }
  P.collectReuse = function () { return S ? reuseLevel(S.max, S.tcap) : 0; };
  /* For tests: a collection from scratch that leaves the kept state (and
   * what it has yet to learn from the observer) as it was. */
  P._collectFresh = function (opts) {
    if (mo) onMutations(mo.takeRecords());
    const kept = [S, domDirty, layoutDirty, stateSeen, builtAt];
    S = null;
    domDirty = true;
    try {
      return P.collect(opts);
    } finally {
      S = kept[0]; domDirty = kept[1]; layoutDirty = kept[2];
      stateSeen = kept[3]; builtAt = kept[4];
    }
  };

  /* ---- Forgetting what a text edit changed ----------------------------
   * A text edited in place (S.touched: the elements whose text children
   * changed) keeps the layout level but for what may hold the edited
   * text: the visibility, visible text, name, label text and container
   * text of the element and its ancestors; names and label texts that
   * take it by <label> or by id (aria-labelledby, aria-describedby); the
   * near text of the candidates that may read it (prevText(), nextText()
   * and tableText() read siblings of a candidate and of up to two of its
   * ancestors, and a table's header row and row headers) and of those
   * whose near text depended on theirs (S.ndep); and the label relations
   * those near texts made. */
  function forgetTouched() {
    const t = S.touched;
    S.touched = [];
    S.rect = new Map();             /* a text edit moves what follows it */
    S.ep++;                         /* kept records: check box and ctx */
    for (let i = 0; i < t.length; i++)
      if (t[i].isConnected) forgetLayout(t[i]);
  }
  /* The candidates whose near text was forgotten may now use other
   * labels: mark those at once (what a scan of the labels' regions would
   * do for them); the labels they used are looked at again when emitted
   * (forgetNear()). */
  function markRenear() {
    const r = S.renear;
    S.renear = [];
    for (let j = 0; j < r.length; j++)
      if (cand(r[j]) && nearKind(r[j])) markUses(r[j]);
  }
  function forgetK(k) {
    S.frag[k] = undefined;
    S.text[k] = undefined;
    S.lhay[k] = undefined;
    S.nhay[k] = undefined;
    S.nameM[k] = undefined;
    S.labM[k] = undefined;
    S.candM[k] = -1;
    S.rec[k] = undefined;
    forgetNear(k);
  }
  function forgetEl(el) {
    const k = S.index.get(el);
    if (k !== undefined) forgetK(k);
  }
  function forgetNearOf(el) {
    const k = S.index.get(el);
    if (k !== undefined) forgetNear(k);
  }
  function forgetNear(k) {
    const ni = S.near[k];
    if (ni === undefined) return;
    S.near[k] = undefined;
    S.frag[k] = undefined;
    S.rec[k] = undefined;
    S.renear.push(k);
    /* its labels lose what it marked: their users are found again */
    for (let j = 0; j < ni.uses.length; j += 2) {
      S.lab[ni.uses[j]] = 0;
      S.forK[ni.uses[j]] = -1;
      S.lu[ni.uses[j]] = 0;
    }
    const d = S.ndep[k];
    S.ndep[k] = undefined;
    if (d) for (let j = 0; j < d.length; j++) forgetNear(d[j]);
  }
  /* Element children, those of an open shadow root too (P.parentEl()). */
  function kids(el) {
    const out = Array.prototype.slice.call(el.children);
    if (el.shadowRoot)
      for (let c = el.shadowRoot.firstElementChild; c; c = c.nextElementSibling)
        out.push(c);
    return out;
  }
  /* The candidates whose near text may read a sibling E of theirs or of
   * an ancestor of theirs: E, its children when it has at most two, and
   * its grandchildren through an only child (prevText()'s climb). */
  function forgetNearFrom(e) {
    forgetNearOf(e);
    const ch = kids(e);
    if (ch.length > 2) return;
    for (let i = 0; i < ch.length; i++) {
      forgetNearOf(ch[i]);
      const g = ch.length === 1 ? kids(ch[i]) : [];
      if (g.length <= 2)
        for (let k = 0; k < g.length; k++) forgetNearOf(g[k]);
    }
  }
  function forgetLayout(el) {
    let below = null;
    for (let a = el; a; below = a, a = P.parentEl(a)) {
      if (a.localName === 'legend') S.rec = [];    /* records' "head" */
      S.edAt.set(a, S.ep);
      S.vis.delete(a);
      S.ctxM.delete(a);
      forgetEl(a);
      if (a.localName === 'label' && a.control) forgetEl(a.control);
      if (a.id) {
        const root = a.getRootNode();
        const q = CSS.escape(a.id);
        const refs = root.querySelectorAll('[aria-labelledby~="' + q +
          '"],[aria-describedby~="' + q + '"]');
        for (let i = 0; i < refs.length; i++) forgetEl(refs[i]);
      }
      /* siblings of the edited text (a = el) or of the child on the way */
      const ch = kids(a);
      for (let i = 0; i < ch.length; i++)
        if (ch[i] !== below) forgetNearFrom(ch[i]);
      const t = a.localName;
      if ((t === 'td' || t === 'th') && a.parentElement) {
        const tr = a.parentElement, table = a.closest('table');
        const head = table && (table.tHead ? table.tHead.rows[0] :
          table.rows[0]);
        /* a header cell labels its column, a first cell its row */
        const scope = tr === head ? table : tr.cells[0] === a ? tr : null;
        if (scope) {
          const all = scope.querySelectorAll('*');
          for (let i = 0; i < all.length; i++) forgetNearOf(all[i]);
        }
      }
    }
  }

  /* A new layout level (reuseLevel() below 2) for the walk in S, built
   * at AT. */
  function layoutAfresh(reuse, tcap, at) {
    const n = S.els.length;
    layoutDirty = false;
    stateSeen = false;
    builtAt = at;
    S.touched = [];
    S.nameM = [];
    S.labM = [];
    S.ctxM = new Map();
    S.ndep = [];
    S.frag = [];
    S.tcap = tcap;
    S.vis = new Map();
    S.text = [];
    S.lhay = [];
    S.nhay = [];
    S.candM = new Int8Array(n).fill(-1);
    S.editM = new Int8Array(n).fill(-1);
    S.enM = new Int8Array(n).fill(-1);
    S.near = new Array(n);
    S.lab = new Uint8Array(n);
    S.lu = new Uint8Array(n);
    S.forK = new Int32Array(n).fill(-1);
    S.renear = [];
    if (reuse) {                 /* a new walk made them just now */
      S.rect = new Map();
      S.ptrM = new Map();
    }
    markProxies();
  }
