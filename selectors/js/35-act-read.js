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
  /* Calls TAKE with each near text of EL, cheapest first, as
   * P.nearWords() joins them (some may be empty or repeat), until it
   * returns true. */
  function nwParts(el, take) {
    if (take(P.name(el))) return;
    const labs = P.labelTexts(el);
    for (let i = 0; i < labs.length; i++) if (take(labs[i])) return;
    for (let i = 0; i < NW_ATTRS.length; i++)
      if (take(el.getAttribute(NW_ATTRS[i]))) return;
    if (!/^(input|select|textarea)$/.test(el.localName) &&
        take(nwText(el, 200))) return;
    const b = nwLabelNode(el, false);
    if (b && take(nwSib(b))) return;
    const ty = el.localName === 'input' ?
      (el.getAttribute('type') || '').toLowerCase() : '';
    if (ty === 'checkbox' || ty === 'radio') {
      const a = nwLabelNode(el, true);
      if (a && take(nwSib(a))) return;
    }
    const td = el.closest('td,th');
    const tr = td && td.parentElement;
    const table = td && td.closest('table');
    if (table && tr && td.cellIndex >= 0) {
      const hr = table.tHead ? table.tHead.rows[0] : table.rows[0];
      if (hr && hr !== tr && hr.cells[td.cellIndex] &&
          (table.tHead || hr.querySelector('th')) &&
          take(nwText(hr.cells[td.cellIndex], 200))) return;
      /* the row's first cell with words (after a checkbox's, say) */
      for (let k = 0; k < tr.cells.length && k < 3; k++) {
        const c = tr.cells[k];
        if (c === td) break;
        const w = nwText(c, 200);
        if (NW_WORDY.test(w)) { if (take(w)) return; break; }
      }
    }
    const row = P.parentEl(el) && P.parentEl(el).closest(NW_ROW);
    if (row && take(nwText(row, 300))) return;
    const fs = el.closest('fieldset');
    const lg = fs && fs.querySelector(':scope > legend');
    if (lg && take(nwText(lg, 200))) return;
  }
  /* Calls SEE with the near words of EL so far (folded, capped, as
   * P.nearWords() returns them in the end) after each new part, until it
   * returns true; the last words it saw. */
  function nwWalk(el, see) {
    const parts = [];
    let w = '';
    nwParts(el, function (s) {
      s = s ? norm(s) : '';
      if (!s || parts.indexOf(s) >= 0) return false;
      parts.push(s);
      w = nwFold(parts.join(' '));
      if (w.length > NW_CAP) w = w.slice(0, NW_CAP);
      return !!see && see(w);
    });
    return w;
  }
  P.nearWords = function (el) { return nwWalk(el, null); };
  /* The first of WORDS (folded, space-separated) that the near words of
   * EL lack, or null: P.nearWords() read only as far as it takes, so an
   * element whose own name holds them all costs no row text. */
  P.nearLacks = function (el, words) {
    const want = String(words).split(' ').filter(Boolean);
    const lacks = function (w) {
      const nw = ' ' + w + ' ';
      for (let i = 0; i < want.length; i++)
        if (nw.indexOf(' ' + want[i] + ' ') < 0) return want[i];
      return null;
    };
    return want.length ? lacks(nwWalk(el, function (w) {
      return lacks(w) === null;
    })) : null;
  };
