  /* ---- 53-collect-walk.js: the walk (50-collect.js's block) ------------ */
  /* The walk: every element of the page, classified. Fills S.els (the
   * candidates), S.why (2 interactive, 1 label/heading/text, 3 text
   * element whose visibility is still to be checked) and S.info. */
  function skipped(el) {
    return SKIP.has(el.localName) && !el.hasAttribute('role') &&
      !el.hasAttribute('onclick') && !el.hasAttribute('tabindex');
  }
  /* Is EL, of no interest otherwise, a small text-bearing element (a
   * value, a message, a caption)? Not when its text belongs to a control,
   * an image, a label or a heading around it. */
  /* Interactive containers whose items are named by their own texts (a
   * focusable tree, list box, grid or menu): the texts inside are still
   * candidates, each item's (issue 22 pattern 11). */
  const COMPOSITE = /^(tree|treegrid|grid|listbox|menu|menubar|tablist|radiogroup|toolbar|group|list|table|rowgroup|tabpanel|dialog|alertdialog|region|application|feed)$/;
  function textCand(el) {
    const own = ownText(el);
    if (!own || own.length > S.tcap || !WORDY.test(own)) return false;
    for (let a = P.parentEl(el), d = 0; a && d < 8; a = P.parentEl(a), d++) {
      const k = S.index.get(a);
      if (k === undefined) continue;
      if (S.why[k] === 2 && COMPOSITE.test(S.info[k].role)) continue;
      if (S.why[k] === 2 || a.localName === 'label' ||
          /^(img|heading)$/.test(P.role(a))) return false;
    }
    return true;
  }
  /* Why walked element EL (not skipped) is a candidate: interest(), or 3
   * for a text element (a candidate if visible: checked later); 0 none. */
  function whyOf(el, role) {
    return interest(el, role, P.style(el)) || (textCand(el) ? 3 : 0);
  }
  /* A custom element whose definition arrives after the walk is upgraded
   * in place: it may attach a shadow root and fill it, and no mutation
   * the observer sees says so. The walk notes the names not defined yet
   * (S.undef: registry -> names); reuseLevel() walks again once one is.
   * (An Angular-style host that is never defined stays one cheap lookup
   * per name.) */
  function noteUndefined(el, t) {
    const w = el.ownerDocument.defaultView;
    const reg = w && w.customElements;
    if (!reg || reg.get(t)) return;
    let names = S.undef.get(reg);
    if (!names) S.undef.set(reg, names = new Set());
    names.add(t);
  }
  function walk(max) {
    let lastHeading = '', walked = 0, truncated = false;
    const els = S.els, why = S.why, info = S.info, index = S.index;
    P.walk(document, function (el, ctx) {
      walked++;
      const t = el.localName;
      if (t.indexOf('-') > 0) noteUndefined(el, t);
      if (t === 'iframe' || t === 'frame') {
        let d = null;
        try { d = el.contentDocument; } catch (e) { d = null; }
        S.frames.push(el, d);
      }
      if (skipped(el)) return true;
      const role = P.role(el);
      const w = whyOf(el, role);
      if (role === 'heading') {
        const h = cap(P.text(el), 100);
        if (h) lastHeading = h;
      }
      if (!w) return true;
      if (els.length >= max) { truncated = true; return false; }
      index.set(el, els.length);
      els.push(el);
      why.push(w);
      info.push({ frame: ctx.frame, shadow: ctx.shadow, head: lastHeading,
        role: role });
      return true;
    }, watch);
    return { walked: walked, truncated: truncated };
  }

  /* Whether walked element k is a candidate: text elements only when
   * visible (memoised). */
  function cand(k) {
    let c = S.candM[k];
    if (c < 0) {
      c = S.why[k] !== 3 || vis(S.els[k]) ? 1 : 0;
      S.candM[k] = c;
    }
    return c === 1;
  }
  function edit(k) {
    let e = S.editM[k];
    if (e < 0) {
      e = isEditable(S.els[k]) ? 1 : 0;
      S.editM[k] = e;
    }
    return e === 1;
  }
  /* The candidate index of element EL, or -1. */
  function candIndex(el) {
    const k = S.index.get(el);
    return k !== undefined && cand(k) ? k : -1;
  }

  /* A new walk, and a new collector state S to hold it (reuseLevel() 0). */
  function walkAfresh(max, tcap) {
    if (mo) mo.disconnect();
    domDirty = false;
    S = { els: [], why: [], info: [], index: new Map(), max: max,
      tcap: tcap, frames: [], ftext: new Map(), ahay: [], edited: [],
      touched: [], roots: [], regionM: new Map(), contM: [],
      gen: newGen(), mseq: 0, mstrs: [], msidx: new Map(), sent: [],
      rect: new Map(), ptrM: new Map(), rec: [], recKey: '', ep: 0,
      edAt: new Map(), nk: [], nsrc: [], hot: new Map(), hotEp: 0,
      undef: new Map(), grp: [], grpP: new Map(), formM: new Map(),
      fkM: [] };
    const wk = walk(max);
    S.walked = wk.walked;
    S.truncated = wk.truncated;
    /* a document not parsed yet (no root element: a call right
     * after a navigation began) gives the walk no root to watch,
     * so no mutation would ever say it grew: walk again next time */
    if (!S.roots.length) domDirty = true;
  }
