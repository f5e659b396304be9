  /* ---- 55-collect-prune.js: what gets a record (50-collect.js's block) - */
  /* opts.probes folded as the texts they are tested on, or null: none,
   * or one that is empty ("" matches everything). */
  function probesOf(list) {
    if (!Array.isArray(list) || !list.length) return null;
    const probes = [];
    for (let i = 0; i < list.length; i++) {
      const p = fold(String(list[i]));
      if (!p) return null;
      probes.push(p);
    }
    return probes;
  }
  /* What gets a record, a flag per walked element: every candidate, or
   * with probes only those whose texts can match one (own texts, else
   * near text where its sources hold a probe), the controls they stand
   * for, and so on. */
  function emitAll() {
    const n = S.els.length, emit = new Uint8Array(n);
    for (let i = 0; i < n; i++)
      if (cand(i)) {
        emit[i] = 1;
        markUses(i);
      }
    return emit;
  }
  function emitPruned(probes) {
    const els = S.els, n = els.length, emit = new Uint8Array(n);
    const re = probeRe(probes), work = [];
    for (let i = 0; i < n; i++) {
      if (keepOwn(i, re)) {
        if (cand(i)) work.push(i);
        continue;
      }
      if (!nearKind(i) || !nearHot(i, re) || !cand(i)) continue;
      const ni = nearInfo(i);
      if (!ni.t) continue;
      if (ni.f === undefined) ni.f = fold(ni.t);   /* kept with it */
      if (re.test(ni.f)) work.push(i);
    }
    while (work.length) {
      const k = work.pop();
      if (emit[k]) continue;
      emit[k] = 1;
      markLabelUsers(k);
      if (S.forK[k] >= 0 && !emit[S.forK[k]]) work.push(S.forK[k]);
      const el = els[k];
      if (el.localName === 'label' && el.control) {
        const c = candIndex(el.control);
        if (c >= 0 && !emit[c]) work.push(c);
      }
    }
    return emit;
  }

  /* Can candidate i's near text contain a probe? Its sources lie within
   * three levels above it (previous siblings of it, its parent and
   * grandparent; next siblings), in its table (header and first cells),
   * or are aria-describedby targets: when none of those texts has a
   * probe, no. Shadow and frame boundaries, and the document level, are
   * not looked through: then yes. */
  function nearHot(i, re) {
    const s = nearSrc(i);
    return s.any || hot(s.up, re) || (!!s.table && hot(s.table, re));
  }
  /* Where candidate i's near text may come from, as nearHot() tests it:
   * any (aria-describedby, or a boundary within three levels up), else
   * its grandparent's parent and its table. Only a new walk changes
   * these (every mutation of elements or of attributes but states
   * makes one), so they are memoised with it. */
  function nearSrc(i) {
    let s = S.nsrc[i];
    if (s === undefined) {
      const el = S.els[i];
      let up = el;
      for (let d = 0; d < 3 && up; d++) {
        up = up.parentNode;
        if (up && up.nodeType !== 1) up = null;
      }
      const td = el.closest('td,th,[role=gridcell],[role=cell]');
      s = { any: !up || el.hasAttribute('aria-describedby'), up: up,
        table: td ? td.closest('table') : null };
      S.nsrc[i] = s;
    }
    return s;
  }
  /* Does the text of node EL (an element or a shadow root) hold a probe?
   * Memoised, top-down: not when its parent's text does not (a parent's
   * folded text holds its child's). <html> and <body> count as holding
   * one without a look: a whole page's text nearly always does, and
   * folding it costs a millisecond or more after every text edit. */
  function hot(el, re) {
    /* S.hot keeps its keys for the walk, its answers for one call: a
     * value is 2 * S.hotEp + answer, so most calls add no entry and the
     * map does not grow again on every call (garbage) */
    const v = S.hot.get(el);
    if (v !== undefined && v >> 1 === S.hotEp) return (v & 1) === 1;
    const p = el.parentNode;
    const h = el.localName === 'body' || el.localName === 'html' ||
      ((!p || p.nodeType !== 1 || hot(p, re)) && re.test(ftext(el)));
    S.hot.set(el, S.hotEp * 2 + (h ? 1 : 0));
    return h;
  }
  function ftext(el) {
    let f = S.ftext.get(el);
    if (f === undefined) {
      f = fold(el.textContent);
      S.ftext.set(el, f);
    }
    return f;
  }
  /* Candidates whose near text may use candidate k as a label: those in
   * the parent of k (or of the ancestors whose first element child leads
   * down to k) and, for a table cell, in its table; marks k through
   * them (exactly as a full collection would). */
  function markLabelUsers(k) {
    if (S.lu[k]) return;
    S.lu[k] = 1;
    let s = S.els[k];
    for (let p = s.parentNode; p && p.nodeType === 1 &&
      p.firstElementChild === s; p = p.parentNode) s = p;
    const regions = [s.parentNode];
    const cell = S.els[k].closest('td,th');
    if (cell && cell.closest('table')) regions.push(cell.closest('table'));
    for (let g = 0; g < regions.length; g++) {
      const reg = regions[g];
      if (!reg || reg.nodeType !== 1) {
        for (let i = 0; i < S.els.length; i++)
          if (cand(i) && nearKind(i)) markUses(i);
        return;
      }
      scanRegion(reg, k, -1, S.info[k].frame);
      scanRegion(reg, k + 1, 1, S.info[k].frame);
    }
  }
  /* Marks through every candidate inside REG, from index i in direction
   * dir (walk order keeps a subtree contiguous; elements of frames other
   * than FR are skipped over). */
  function scanRegion(reg, i, dir, fr) {
    for (; i >= 0 && i < S.els.length; i += dir) {
      if (S.info[i].frame !== fr) continue;
      if (!P.containsX(reg, S.els[i])) break;
      if (cand(i) && nearKind(i)) markUses(i);
    }
  }

  /* Can walked element k's own record text (the scorer prefilter's
   * fields but near text: name, label, aria-label, text, alt, placeholder,
   * title, value, id, name and testid attributes, class) hold a probe
   * (RE)? The visible text and a name from content are within
   * textContent (hot()); a name is computed only when it may hold words
   * from elsewhere (labels, aria-labelledby, alt or aria-label of
   * descendants, an empty text: CSS or title). */
  const OWN_ATTRS = ['aria-label', 'placeholder', 'aria-placeholder',
    'data-placeholder', 'title', 'alt', 'id', 'name', 'class',
    'data-testid', 'data-test-id', 'data-test', 'data-qa', 'data-cy'];
  function keepOwn(k, re) {
    const el = S.els[k], t = el.localName, role = S.info[k].role;
    let a = S.ahay[k];
    if (a === undefined) {
      a = '';
      for (let i = 0; i < OWN_ATTRS.length; i++) {
        const v = el.getAttribute(OWN_ATTRS[i]);
        if (v) a += v + '\n';
      }
      S.ahay[k] = a = fold(a);
    }
    if (re.test(a)) return true;
    const imp = impliedOf(k);
    if (imp && re.test(imp)) return true;
    const formCtl = t === 'input' || t === 'select' || t === 'textarea';
    if (formCtl && re.test(fold(valueOf(el)))) return true;
    if (!formCtl && hot(el, re)) return true;
    let l = S.lhay[k];
    if (l === undefined) {
      l = isControl(el, t, role, S.why[k] === 2 && edit(k)) ?
        fold(labelK(k)) : '';
      S.lhay[k] = l;
    }
    if (l && re.test(l)) return true;
    let nm = S.nhay[k];
    if (nm === undefined) {
      nm = '';
      if (named(k) &&
          (formCtl || t === 'img' || el.hasAttribute('aria-labelledby') ||
           (el.labels && el.labels.length) || !WORDY.test(el.textContent) ||
           (el.firstElementChild && el.querySelector(NAMEY))))
        nm = fold(nameK(k));
      S.nhay[k] = nm;
    }
    return nm !== '' && re.test(nm);
  }
  /* What a control is, in the words people call it by (the scorer's
   * implied(), heuristics/heur_score.c: its prefilter reads them too): a
   * multi-line editor "text content body editor", a text field of type
   * search, of role searchbox or in a search form "search". */
  function impliedOf(k) {
    if (!edit(k)) return '';
    const el = S.els[k];
    if (el.localName !== 'input') return 'text content body editor';
    if (inputType(el) === 'search' || S.info[k].role === 'searchbox' ||
        (' ' + regionOf(P.parentEl(el), S.regionM) + ' ')
          .indexOf(' search ') >= 0)
      return 'search';
    return '';
  }
  function probeRe(probes) {
    return new RegExp(probes.map(function (p) {
      return p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }).join('|'));
  }
