  /* ---- 54-collect-near.js: near text (50-collect.js's block) ----------- */
  /* Near text of candidate i (label-like text before/after it, table
   * headers, aria-describedby), memoised: {t: text or '', uses: [k, fe,
   * ...]} where candidate k supplied label-like text (it is marked "l")
   * and fe says whether it may stand for i (for a control or a value).
   * As if computed in document order: a value candidate k < i that has
   * near text of its own is not a label. */
  const NO_NEAR = { t: '', uses: [] };
  function nearInfo(i) {
    let ni = S.near[i];
    if (ni !== undefined) return ni;
    S.near[i] = NO_NEAR;      /* cycles (none expected) end here */
    ni = nearCompute(i);
    S.near[i] = ni;
    return ni;
  }
  function nearCompute(i) {
    const el = S.els[i], t = el.localName, role = S.info[i].role;
    const isCtl = edit(i) || t === 'select' || t === 'input' ||
      t === 'textarea' || role === 'checkbox' || role === 'radio' ||
      role === 'switch' || role === 'combobox';
    const why = S.why[i] === 3 ? 1 : S.why[i];
    const tx = textK(i);
    const textish = why === 1 && !/^(label|dt|th|legend)$/.test(t) &&
      role !== 'heading' && !/:$/.test(tx);
    const iconOnly = why === 2 && !tx && !isCtl;
    const clicky = why === 2 && !isCtl && !iconOnly;
    if (!isCtl && !textish && !iconOnly && !clicky) return NO_NEAR;
    const parts = [], uses = [];
    const fe = isCtl || textish ? 1 : 0;
    const use = function (p) {
      if (!p || !p.t) return;
      if (p.el) {
        let k = candIndex(p.el);
        /* a value already labelled by something is not a label (so i's
         * near text depends on k's: forgetNear()) */
        if (k >= 0 && textish && k < i) {
          const d = S.ndep[k] || (S.ndep[k] = []);
          if (d[d.length - 1] !== i) d.push(i);
          if (nearInfo(k).t) return;
        }
        /* the label-like text may sit in a child candidate */
        for (let c = p.el.firstElementChild; c && k < 0; c = c.firstElementChild)
          k = candIndex(c);
        if (k >= 0 && k !== i) uses.push(k, fe);
      }
      if (parts.indexOf(p.t) < 0) parts.push(p.t);
    };
    const tt = isCtl || textish ? tableText(el) : [];
    const box = t === 'input' && /^(checkbox|radio)$/.test(inputType(el));
    if (isCtl || textish) {
      /* a checkbox or radio is labelled by the text after it */
      const nx = isCtl ? nextText(el) : null;
      if (box && nx) use(nx);
      else use(prevText(el, isCtl));
      for (let k = 0; k < tt.length; k++) use(tt[k]);
      if (isCtl && !box) use(nx);
    }
    if (isCtl) {
      const d = describedBy(el);
      if (d) use({ t: cap(d, 80), el: null });
    }
    if (iconOnly || clicky) {
      const p = prevText(el, true);
      if (p) use({ t: p.t, el: null });
    }
    return { t: parts.length ? cap(parts.join(' | '), 150) : '', uses: uses };
  }

  /* Short label-like text of a sibling: not containing controls. */
  function sibText(el, max) {
    if (!el) return '';
    if (el.nodeType === 3) {
      const t = fnorm(el.nodeValue);
      return WORDY.test(t) ? t : '';     /* ":" between label and value */
    }
    if (el.nodeType !== 1 || SKIP.has(el.localName) &&
        el.localName !== 'section') return '';
    if (/^(input|select|textarea|button|a)$/.test(el.localName) ||
        el.hasAttribute('role') && el.getAttribute('role') !== 'presentation')
      return '';
    if (el.querySelector && el.querySelector('input,select,textarea,button'))
      return '';
    const k = S.index.get(el);
    if (k !== undefined) {
      if (!vis(el)) return '';
      const s = textK(k);
      return s.length <= max ? s : '';
    }
    if (el.textContent.length > 4 * max || !vis(el)) return '';
    const s = textOf(el);
    return s.length <= max ? s : '';
  }
  /* Is E an item of a repeated group (a row, a list item)? */
  function isItem(e) {
    return ITEM_TAG.test(e.localName) || ITEM_ROLE.test(attr(e, 'role'));
  }
  function prevText(el, climb) {
    for (let depth = 0, e = el; e && depth < (climb ? 3 : 1); depth++) {
      const item = isItem(e);
      for (let s = e.previousSibling; s; s = s.previousSibling) {
        /* the row or item before is another one, not a label (issue 22
         * pattern 3: "select customers") */
        if (item && s.nodeType === 1 && s.localName === e.localName) break;
        const t = sibText(s, 80);
        if (t) return { t: t, el: s.nodeType === 1 ? s : null };
        if (s.nodeType === 1 && vis(s)) break;
      }
      const p = P.parentEl(e);
      if (!p || p.localName === 'form' || p.localName === 'body') break;
      /* climb only while E is the parent's only element child */
      if (p.children.length > 1 && depth > 0) break;
      if (p.children.length > 2) break;
      e = p;
    }
    return null;
  }
  function nextText(el) {
    for (let s = el.nextSibling; s; s = s.nextSibling) {
      if (s.nodeType === 1 && (s.localName === 'label' ||
          s.hasAttribute('for'))) break;
      const t = sibText(s, 80);
      if (t) return { t: t, el: s.nodeType === 1 ? s : null };
      if (s.nodeType === 1 && vis(s)) break;
    }
    return null;
  }
  /* Header text of the column of cell TD, and the row's first cell. */
  function tableText(el) {
    const td = el.closest ? el.closest('td,th,[role=gridcell],[role=cell]')
      : null;
    if (!td) return [];
    const tr = td.parentElement;
    const table = td.closest('table');
    const out = [];
    if (table && tr && td.cellIndex >= 0) {
      let hr = table.tHead ? table.tHead.rows[0] : table.rows[0];
      if (hr && !table.tHead && !hr.querySelector('th')) hr = null;
      if (hr && hr !== tr) {
        const h = hr.cells[td.cellIndex];
        if (h) out.push({ t: cap(textOf(h), 60), el: h });
      }
      const first = tr.cells[0];
      if (first && first !== td) out.push({ t: cap(textOf(first), 60), el: null });
    }
    return out;
  }
  function describedBy(el) {
    const refs = P.idrefs(el, 'aria-describedby');
    let s = '';
    for (let i = 0; i < refs.length; i++) s += ' ' + P.text(refs[i]);
    return norm(s);
  }

  /* Marks the label-like candidates that candidate i's near text uses. */
  function markUses(i) {
    const u = nearInfo(i).uses;
    for (let k = 0; k < u.length; k += 2) {
      S.lab[u[k]] = 1;
      if (u[k + 1] && (S.forK[u[k]] < 0 || i < S.forK[u[k]])) S.forK[u[k]] = i;
    }
  }
  /* Could candidate i have near text at all (any of nearCompute()'s
   * kinds)? */
  function nearKind(i) {
    let k = S.nk[i];                 /* memoised with the walk */
    if (k === undefined)
      S.nk[i] = k = S.why[i] === 2 || (!/^(label|dt|th|legend)$/.test(
        S.els[i].localName) && S.info[i].role !== 'heading');
    return k;
  }
