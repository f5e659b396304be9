  /* ---- 52-collect-read.js: an element's reads (50-collect.js's block) -- */
  function fnorm(s) {
    if (s == null) return '';
    s = String(s);
    return UNNORM.test(s) ? norm(s) : s;
  }
  function cap(s, n) {
    s = fnorm(s);
    return s.length > n ? s.slice(0, n) : s;
  }
  function attr(el, a) {
    const v = el.getAttribute(a);
    return v == null ? '' : v;
  }
  /* The element's box, kept with the layout level and forgotten on any
   * text edit (it moves what follows); the record's "box" comes from
   * here too. */
  function rect(el) {
    let r = S.rect.get(el);
    if (r === undefined) {
      r = el.getBoundingClientRect();
      S.rect.set(el, r);
    }
    return r;
  }
  /* Is EL's box (R) placed where no scrolling reaches it: wholly above
   * the top of its document, or left of its left edge in a
   * left-to-right page? Menus that open on hover and "skip to" links
   * park there (top: -1000em, left: -9999px) until they are shown; a
   * person cannot see them (issue 22, p-admin-02). Not when an ancestor
   * is scrolled: the box then only scrolled out of that container. */
  function offPage(el, r) {
    const doc = el.ownerDocument, win = doc.defaultView || window;
    let up = r.bottom + win.scrollY <= 0;
    if (!up && r.right + win.scrollX <= 0) {
      const st = P.style(doc.documentElement);
      up = !st || st.direction !== 'rtl';
    }
    if (!up) return false;
    for (let a = P.parentEl(el); a && a !== doc.documentElement;
      a = P.parentEl(a))
      if (a.scrollTop > 0 || a.scrollLeft !== 0) return false;
    return true;
  }
  /* P.isVisible (rendered, not visibility:hidden/collapse, not in a
   * skipped subtree such as a closed <details>, non-empty box;
   * display:contents elements through their children) and not parked
   * off the page (offPage()), memoised, the box read once for the
   * layout level (rect()). checkVisibility() comes first: a box read
   * inside a skipped subtree would lay it out. */
  function vis(el) {
    let v = S.vis.get(el);
    if (v !== undefined) return v;
    const st = P.style(el);
    if (!el.isConnected) v = false;
    else if (st && st.display === 'contents') {
      v = false;
      for (let ch = el.firstElementChild; ch && !v; ch = ch.nextElementSibling)
        v = vis(ch);
    } else if (el.checkVisibility ?
      !el.checkVisibility({ visibilityProperty: true }) :
      el.getClientRects().length === 0 || (st && st.visibility !== 'visible'))
      v = false;
    else {
      const r = rect(el);
      v = r.width > 0 && r.height > 0 && !offPage(el, r);
    }
    S.vis.set(el, v);
    return v;
  }
  /* Visible text, cheaply: textContent for elements without element
   * children (what innerText would give for a rendered leaf), innerText
   * otherwise. */
  function textOf(el) {
    return el.firstElementChild ? seenText(el, P.text(el)) :
      fnorm(el.textContent);
  }
  /* T, EL's innerText, without the words that only a screen reader
   * hears: text in a rendered box of 1 x 1 px at most (the
   * "screen-reader-text", "sr-only", "visually-hidden" idiom). They
   * stay in its accessible name; a person reads the screen (issue 22
   * pattern 11, ra-wp-dashboard-06: the menu's "Comments 1 Comment in
   * moderation" shows "Comments 1"); nor a count in an element of
   * its own beside words (a badge: "Comments 1" is "Comments", and
   * "Inbox 12" is "Inbox"). Small subtrees only: a control's. */
  function seenText(el, t) {
    const all = el.getElementsByTagName('*'), n = all.length;
    if (!n || n > 16) return t;
    const heard = new Set();     /* screen-reader-only, and inside one */
    for (let i = 0; i < n; i++) {
      const d = all[i];
      if (heard.has(d.parentElement)) { heard.add(d); continue; }
      if (!d.firstChild || !hiddenWords(d)) continue;
      heard.add(d);
      t = cut(t, P.text(d), true);
    }
    for (let i = 0; i < n; i++) {
      const d = all[i];
      if (!heard.has(d) && d.firstChild && !d.firstElementChild)
        t = cut(t, fnorm(d.textContent), false);   /* a leaf's text */
    }
    return t;
  }
  /* T without its words W: any (HEARD, screen-reader-only), else a
   * count at either end that leaves words behind (a badge). */
  function cut(t, w, heard) {
    if (!heard && !COUNT.test(w)) return t;
    const at = w ? wordAt(t, w) : -1;
    if (at < 0 || !heard && at > 0 && at + w.length < t.length) return t;
    const rest = fnorm(t.slice(0, at) + ' ' + t.slice(at + w.length));
    return heard || /\p{L}/u.test(rest) ? rest : t;
  }
  const COUNT = /^\d[\d,.]*\+?$/;
  /* A box of 1 x 1 px at most that is rendered (not display:none). */
  function hiddenWords(d) {
    const r = rect(d);
    return r.width <= 1 && r.height <= 1 &&
      (r.width > 0 || r.height > 0 || d.getClientRects().length > 0);
  }
  /* Where W stands in T as whole words, -1 nowhere. */
  function wordAt(t, w) {
    for (let at = t.indexOf(w); at >= 0; at = t.indexOf(w, at + 1))
      if ((at === 0 || t[at - 1] === ' ') &&
          (at + w.length === t.length || t[at + w.length] === ' '))
        return at;
    return -1;
  }
  /* Text of a node's own text children (no descendants). */
  function ownText(el) {
    let s = '';
    for (let n = el.firstChild; n; n = n.nextSibling)
      if (n.nodeType === 3) s += n.nodeValue;
    return fnorm(s);
  }
  function inputType(el) {
    return el.localName === 'input' ?
      (attr(el, 'type') || 'text').toLowerCase() : '';
  }
  function isEditable(el) {
    const t = el.localName;
    if (t === 'input') return TEXT_INPUTS.has(inputType(el)) && !el.readOnly;
    if (t === 'textarea') return !el.readOnly;
    if (el.isContentEditable) {
      const p = P.parentEl(el);
      return !(p && p.isContentEditable);
    }
    return false;
  }
  function isEnabled(el) {
    if (el.disabled === true) return false;
    if (attr(el, 'aria-disabled') === 'true') return false;
    const fs = el.closest ? el.closest('fieldset[disabled]') : null;
    if (fs && !fs.querySelector(':scope > legend')?.contains(el)) return false;
    return true;
  }
  /* cursor: pointer (memoised with the layout level: the cursor follows
   * classes and style attributes, whose changes drop that level, and
   * state rules that set it count in styleSensitive()) */
  function pointer(el) {
    let v = S.ptrM.get(el);
    if (v === undefined) {
      const st = P.style(el);
      v = !!st && st.cursor === 'pointer';
      S.ptrM.set(el, v);
    }
    return v;
  }

  /* Why ELEMENT is a candidate: 2 interactive, 1 label/heading/text,
   * 0 not at all. */
  function interest(el, role, st) {
    const t = el.localName;
    const ti = el.getAttribute('tabindex');
    if (el.hasAttribute('onclick') || (ti !== null && +ti >= 0 &&
        t !== 'div' && t !== 'section'))
      return 2;
    switch (t) {
    case 'a': return el.hasAttribute('href') || el.hasAttribute('onclick') ?
      2 : 1;
    case 'button': case 'select': case 'textarea': case 'summary':
      return 2;
    case 'input': return inputType(el) === 'hidden' ? 0 : 2;
    case 'label': case 'legend': return 1;
    case 'img': return el.hasAttribute('alt') || el.hasAttribute('title') ?
      1 : 0;
    }
    if (WIDGET.has(role)) return 2;
    if (typeof el.onclick === 'function') return 2;
    if (ti !== null && +ti >= 0) return 2;
    if (el.isContentEditable && isEditable(el)) return 2;
    if (st && st.cursor === 'pointer') {
      const p = P.parentEl(el);
      if (!p || !pointer(p)) return 2;
    }
    if (role === 'heading' || role === 'img') return 1;
    return 0;
  }

  /* Region words of EL's ancestors (memoised per collect). */
  function regionOf(el, memo) {
    if (!el) return '';
    let r = memo.get(el);
    if (r !== undefined) return r;
    const up = regionOf(P.parentEl(el), memo);
    const role = attr(el, 'role');
    let w = REGION_ROLE[role] || REGION_TAG[el.localName] || '';
    const cls = typeof el.className === 'string' ? el.className : '';
    if (!w && /cookie|consent|modal|popup|dialog/i.test(cls) &&
      el.localName === 'div')
      w = 'dialog';
    if (el.localName === 'form' && (role === 'search' ||
        SEARCHY.test(cls) || SEARCHY.test(attr(el, 'id'))))
      w = w === 'search' ? 'form search' : w + ' search';
    r = up;
    const ws = w ? w.trim().split(' ') : [];
    for (let k = 0; k < ws.length; k++)
      if ((' ' + r + ' ').indexOf(' ' + ws[k] + ' ') < 0)
        r = r ? r + ' ' + ws[k] : ws[k];
    memo.set(el, r);
    return r;
  }

  /* Does candidate k's record carry its accessible name? Widgets,
   * headings and images do; a text's name is its text. */
  function named(k) {
    const role = S.info[k].role;
    return S.why[k] === 2 || role === 'heading' || role === 'img';
  }
  /* Candidate k's accessible name and label text (memoised). */
  function nameK(k) {
    let s = S.nameM[k];
    if (s === undefined) S.nameM[k] = s = P.name(S.els[k]);
    return s;
  }
  function labelK(k) {
    let s = S.labM[k];
    if (s === undefined) S.labM[k] = s = P.labelText(S.els[k]);
    return s;
  }
  /* Candidate k's visible text, capped (memoised). */
  function textK(k) {
    let s = S.text[k];
    if (s === undefined) {
      const t = S.els[k].localName;
      s = t === 'input' || t === 'select' || t === 'textarea' ? '' :
        cap(textOf(S.els[k]), S.tcap);
      S.text[k] = s;
    }
    return s;
  }

  function testid(el) {
    return attr(el, 'data-testid') || attr(el, 'data-test-id') ||
      attr(el, 'data-test') || attr(el, 'data-qa') || attr(el, 'data-cy');
  }
  function valueOf(el) {
    const t = el.localName;
    if (t === 'select') {
      const o = el.selectedOptions && el.selectedOptions[0];
      return o ? norm(o.textContent) : '';
    }
    if (t === 'textarea') return cap(el.value, 100);
    if (t === 'input' && inputType(el) !== 'password' &&
        inputType(el) !== 'file')
      return cap(el.value, 100);
    return '';
  }
  /* The dialog-like elements of DOC, in document order. The list is kept
   * while an observer sees no change that could alter it (nodes added or
   * removed, an attribute the query reads): a cached step asks on every
   * call, and on a big page the query costs more than the rest of the
   * check. Whether each is modal (styles, boxes) is read afresh. */
  const DIALOG_SEL = 'dialog[open],[aria-modal=true],[role=dialog],' +
    '[role=alertdialog]';
  const dialogsKept = new WeakMap();
  function dialogLike(doc) {
    let k = dialogsKept.get(doc);
    if (!k) {
      k = { list: null, mo: null };
      k.mo = new MutationObserver(function () { k.list = null; });
      k.mo.observe(doc, { subtree: true, childList: true, attributes: true,
        attributeFilter: ['open', 'aria-modal', 'role'] });
      dialogsKept.set(doc, k);
    }
    if (k.mo.takeRecords().length) k.list = null;
    if (!k.list) k.list = doc.querySelectorAll(DIALOG_SEL);
    return k.list;
  }
  /* The open modal dialogs of DOC: a modal <dialog>, an aria-modal one,
   * or a dialog laid over the whole window as a modal is (fixed, at least
   * 90% of the viewport each way: a Bootstrap-style modal, which says
   * role=dialog and nothing more). */
  function modalRoots(doc) {
    const out = [];
    const ds = dialogLike(doc);
    const W = doc.defaultView;
    for (let i = 0; i < ds.length; i++) {
      const d = ds[i];
      let modal = attr(d, 'aria-modal') === 'true';
      try { modal = modal || d.matches(':modal'); } catch (e) { /* old */ }
      if (!modal && attr(d, 'aria-modal') !== 'false' && W) {
        const st = P.style(d);
        const r = d.getBoundingClientRect();
        modal = !!st && st.position === 'fixed' &&
          r.width >= 0.9 * W.innerWidth && r.height >= 0.9 * W.innerHeight;
      }
      if (modal && P.isVisible(d)) out.push(d);
    }
    return out;
  }
  /* The open modal dialog that holds EL, or null; undefined when no modal
   * dialog is open in EL's document. */
  P.modalOf = function (el) {
    const m = modalRoots(el.ownerDocument);
    if (!m.length) return undefined;
    for (let i = 0; i < m.length; i++) if (P.containsX(m[i], el)) return m[i];
    return null;
  };
  function isControl(el, t, role, editable) {
    return t === 'input' || t === 'select' || t === 'textarea' ||
      editable || role === 'combobox' || role === 'listbox' ||
      role === 'checkbox' || role === 'radio' || role === 'switch';
  }

  /* The open modal dialogs of the documents that hold an emitted
   * candidate (EMIT: a flag per walked element). */
  function modalsOf(emit) {
    const els = S.els, modals = [], docs = new Set();
    for (let i = 0; i < els.length; i++)
      if (emit[i]) docs.add(els[i].ownerDocument);
    docs.forEach(function (d) {
      const m = modalRoots(d);
      for (let i = 0; i < m.length; i++) modals.push(m[i]);
    });
    return modals;
  }
