  /* ---- 35-act-read.js: read (30-act.js's block) ------------------------ */
  P.read = function (h, attr) {
    const el = P.el(h);
    if (!el) return null;
    const t = el.localName;
    if (attr) {
      if (attr === 'value' && (t === 'input' || t === 'textarea' ||
          t === 'select'))
        return el.value;
      return el.getAttribute(attr);
    }
    if (t === 'input' || t === 'textarea' || t === 'select') return el.value;
    const s = el.innerText;
    return (s == null ? el.textContent : s).trim();
  };

  /* ---- page text --------------------------------------------------- */
  function pageText() {
    const parts = [];
    const roots = P.roots();
    for (let i = 0; i < roots.length; i++) {
      const r = roots[i];
      if (r.nodeType === 9) {
        if (r.body) parts.push(r.body.innerText);
      } else {
        for (let n = r.firstChild; n; n = n.nextSibling) {
          if (n.nodeType === 3) parts.push(n.nodeValue);
          else if (n.nodeType === 1 && n.innerText != null &&
                   n.localName !== 'style' && n.localName !== 'script')
            parts.push(n.innerText);
        }
      }
    }
    return norm(parts.join('\n'));
  }
  P.pageText = pageText;
  /* Whether the page's visible text (whitespace normalised; open shadow
   * roots and same-origin frames included) contains STR. */
  P.hasText = function (str) {
    P.begin();
    return pageText().indexOf(norm(str)) >= 0;
  };
  P.waitText = function (str, timeout) {
    const t0 = now();
    const tmo = typeof timeout === 'number' ? timeout : 5000;
    return new Promise(function (resolve) {
      const w = waiter();
      const tick = function () {
        const ok = P.hasText(str);
        const ms = Math.round(now() - t0);
        if (ok || ms >= tmo) { w.stop(); resolve({ ok: ok, ms: ms }); return; }
        w.wait(false, tmo - ms, tick);
      };
      tick();
    });
  };

  /* ---- the words around an element ---------------------------------
   * What a person reads as what EL is, for checking that a cached
   * selector's element still fits its intent (docs/CACHE.md "Validation
   * and self-healing"): its name, labels, placeholder, title, alt, id and
   * name attributes and short own text; the label-like text just before
   * it (and after it, for a checkbox or radio); its column's header cell
   * and its row's first cell; its row, list item or article when that
   * holds little text; its fieldset's legend. Folded: lower case, every
   * run of anything but letters and digits one space; capped. Read from
   * textContent, so it costs no layout. */
  const NW_CAP = 600;
  const NW_CTL = 'input,select,textarea,button';
  const NW_ROW = 'tr,li,[role=row],[role=listitem],[role=option],' +
    'article,[role=article]';
  const NW_WORDY = /[\p{L}\p{N}]/u;
  const NW_SKIP = /^(script|style|template|noscript)$/;
  /* The text of EL, its text nodes joined by spaces (a row's cells are
   * words apart), white space collapsed; '' past MAX characters (markup
   * indented for people may hold several times that in white space). */
  function nwText(el, max) {
    const tc = el.textContent;
    if (tc.length > 8 * max) return '';
    let s = '';
    if (!el.firstElementChild) {
      s = tc;
    } else {
      const tw = el.ownerDocument.createTreeWalker(el, 4 /* SHOW_TEXT */);
      for (let n = tw.nextNode(); n; n = tw.nextNode()) {
        const p = n.parentElement;
        if (!p || !NW_SKIP.test(p.localName)) s += ' ' + n.nodeValue;
      }
    }
    s = norm(s);
    return s.length > max ? '' : s;
  }
  /* The words of sibling node S ('' past 200 characters). */
  function nwSib(s) {
    if (s.nodeType === 3) return s.nodeValue;
    if (s.nodeType !== 1 || NW_SKIP.test(s.localName)) return '';
    return nwText(s, 200);
  }
  function nwStop(s) {
    return s.nodeType === 1 && (s.matches(NW_CTL) || !!s.querySelector(NW_CTL));
  }
  /* The nearest label-like node before EL (NEXT: after it), looking at
   * the siblings of EL and of up to two ancestors that hold little else;
   * a sibling holding a control (another field) ends the search. */
  function nwLabelNode(el, next) {
    for (let d = 0, e = el; e && d < 3; d++) {
      for (let s = next ? e.nextSibling : e.previousSibling; s;
        s = next ? s.nextSibling : s.previousSibling) {
        if (nwStop(s)) return null;
        if (NW_WORDY.test(nwSib(s))) return s;
        if (s.nodeType === 1 && NW_WORDY.test(s.textContent)) return null;
      }
      const p = P.parentEl(e);
      if (!p || p.localName === 'form' || p.localName === 'body' ||
          p.children.length > 2) break;
      e = p;
    }
    return null;
  }
  function nwFold(s) {
    return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  }
  P.foldWords = nwFold;
  const NW_ATTRS = ['placeholder', 'title', 'alt', 'id', 'name'];
  P.nearWords = function (el) {
    const parts = [];
    const add = function (s) {
      s = s ? norm(s) : '';
      if (s && parts.indexOf(s) < 0) parts.push(s);
    };
    add(P.name(el));
    const labs = P.labelTexts(el);
    for (let i = 0; i < labs.length; i++) add(labs[i]);
    for (let i = 0; i < NW_ATTRS.length; i++)
      add(el.getAttribute(NW_ATTRS[i]));
    if (!/^(input|select|textarea)$/.test(el.localName))
      add(nwText(el, 200));
    const b = nwLabelNode(el, false);
    if (b) add(nwSib(b));
    const ty = el.localName === 'input' ?
      (el.getAttribute('type') || '').toLowerCase() : '';
    if (ty === 'checkbox' || ty === 'radio') {
      const a = nwLabelNode(el, true);
      if (a) add(nwSib(a));
    }
    const td = el.closest('td,th');
    const tr = td && td.parentElement;
    const table = td && td.closest('table');
    if (table && tr && td.cellIndex >= 0) {
      const hr = table.tHead ? table.tHead.rows[0] : table.rows[0];
      if (hr && hr !== tr && hr.cells[td.cellIndex] &&
          (table.tHead || hr.querySelector('th')))
        add(nwText(hr.cells[td.cellIndex], 200));
      /* the row's first cell with words (after a checkbox's, say) */
      for (let k = 0; k < tr.cells.length && k < 3; k++) {
        const c = tr.cells[k];
        if (c === td) break;
        const w = nwText(c, 200);
        if (NW_WORDY.test(w)) { add(w); break; }
      }
    }
    const row = P.parentEl(el) && P.parentEl(el).closest(NW_ROW);
    if (row) add(nwText(row, 300));
    const fs = el.closest('fieldset');
    const lg = fs && fs.querySelector(':scope > legend');
    if (lg) add(nwText(lg, 200));
    const w = nwFold(parts.join(' '));
    return w.length > NW_CAP ? w.slice(0, NW_CAP) : w;
  };
