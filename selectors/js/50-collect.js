  /* ---- 50-collect.js: the candidate collector ---------------------------
   * P.collect(opts) walks the page once (document, open shadow roots,
   * same-origin frames), picks the elements a plain-words target may name
   * and returns ONE JSON string: the record document of docs/CANDIDATES.md.
   * P.cands[i] is the element of record i until the next collect().
   * opts: {max: record cap (default 5000), text: text cap (default 200)}.
   * Nothing here reads test-only attributes: records carry only what a
   * real page shows (names, labels, text, ids, classes...). */
{
  const norm = P.norm;
  const TEXT_INPUTS = new Set(['', 'text', 'email', 'password', 'search',
    'tel', 'url', 'number', 'date', 'datetime-local', 'month', 'week',
    'time']);
  const BUTTON_INPUTS = new Set(['submit', 'button', 'reset', 'image']);
  const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head',
    'meta', 'link', 'title', 'br', 'hr', 'html', 'body', 'iframe', 'frame',
    'option', 'optgroup', 'datalist', 'path', 'g', 'use', 'defs', 'symbol',
    'circle', 'rect', 'line', 'polyline', 'polygon', 'ellipse', 'tspan',
    'text', 'stop', 'lineargradient', 'clippath', 'mask', 'source',
    'track', 'param', 'col', 'colgroup', 'tbody', 'thead', 'tfoot', 'tr',
    'table', 'ul', 'ol', 'dl', 'main', 'nav', 'header', 'footer', 'aside',
    'section', 'article', 'form', 'fieldset', 'slot']);
  const WIDGET = new Set(['button', 'link', 'checkbox', 'radio', 'switch',
    'tab', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'option',
    'treeitem', 'combobox', 'textbox', 'searchbox', 'listbox', 'slider',
    'spinbutton', 'menu', 'menubar', 'gridcell']);
  const CLICK_ROLES = new Set(['button', 'link', 'checkbox', 'radio',
    'switch', 'tab', 'menuitem', 'menuitemcheckbox', 'menuitemradio',
    'option', 'treeitem', 'combobox', 'gridcell', 'slider']);
  /* Landmark words for the "region" field (the scorer's region words). */
  const REGION_TAG = { header: 'header', footer: 'footer', nav: 'nav',
    aside: 'sidebar', main: 'main', dialog: 'dialog', form: 'form' };
  const REGION_ROLE = { banner: 'header', contentinfo: 'footer',
    navigation: 'nav', complementary: 'sidebar', main: 'main',
    dialog: 'dialog', alertdialog: 'dialog', form: 'form', search: 'form',
    toolbar: 'toolbar', menu: 'menu', menubar: 'menu', tablist: 'tablist' };
  const CONTAINER = 'tr,li,[role=row],[role=listitem],[role=option],' +
    'article,[role=article],[class*=card],[class*=product],[class*=item],' +
    'dialog,[role=dialog],[role=alertdialog],[role=region],' +
    '[class*=cookie],[class*=consent],[class*=banner],[class*=modal]';

  const WORDY = /[\p{L}\p{N}]/u;
  /* State of the collect() in progress (set at its start). */
  let index = new Map(), recs = [];

  function cap(s, n) {
    s = norm(s);
    return s.length > n ? s.slice(0, n) : s;
  }
  function attr(el, a) {
    const v = el.getAttribute(a);
    return v == null ? '' : v;
  }
  /* Visible text, cheaply: textContent for elements without element
   * children (what innerText would give for a rendered leaf), innerText
   * otherwise. */
  function textOf(el) {
    return el.firstElementChild ? P.text(el) : norm(el.textContent);
  }
  /* Text of a node's own text children (no descendants). */
  function ownText(el) {
    let s = '';
    for (let n = el.firstChild; n; n = n.nextSibling)
      if (n.nodeType === 3) s += n.nodeValue;
    return norm(s);
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
  function pointer(el) {
    const st = P.style(el);
    return !!st && st.cursor === 'pointer';
  }

  /* Why ELEMENT is a candidate: 2 interactive, 1 label/heading/text,
   * 0 not at all. */
  function interest(el, role, st) {
    const t = el.localName;
    if (SKIP.has(t) && !el.hasAttribute('role') &&
        !el.hasAttribute('onclick') && !el.hasAttribute('tabindex'))
      return 0;
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
    let w = REGION_ROLE[attr(el, 'role')] || REGION_TAG[el.localName] || '';
    if (!w && /cookie|consent|modal|popup|dialog/i.test(
      typeof el.className === 'string' ? el.className : '') &&
      el.localName === 'div')
      w = 'dialog';
    r = w && up.split(' ').indexOf(w) < 0 ? (up ? up + ' ' + w : w) : up;
    memo.set(el, r);
    return r;
  }

  /* Visibility, from the record when EL is a candidate. */
  function visible(el) {
    const k = index.get(el);
    return k !== undefined && recs[k] ? recs[k].fl.indexOf('v') >= 0 :
      P.isVisible(el);
  }
  /* Short label-like text of a sibling: not containing controls. */
  function sibText(el, max) {
    if (!el) return '';
    if (el.nodeType === 3) {
      const t = norm(el.nodeValue);
      return WORDY.test(t) ? t : '';     /* ":" between label and value */
    }
    if (el.nodeType !== 1 || SKIP.has(el.localName) &&
        el.localName !== 'section') return '';
    if (/^(input|select|textarea|button|a)$/.test(el.localName) ||
        el.hasAttribute('role') && el.getAttribute('role') !== 'presentation')
      return '';
    if (el.querySelector && el.querySelector('input,select,textarea,button'))
      return '';
    const k = index.get(el);
    if (k !== undefined) {
      const r = recs[k];
      if (r.fl.indexOf('v') < 0) return '';
      const s = r.text || '';
      return s.length <= max ? s : '';
    }
    if (el.textContent.length > 4 * max || !visible(el)) return '';
    const s = textOf(el);
    return s.length <= max ? s : '';
  }
  function prevText(el, climb) {
    for (let depth = 0, e = el; e && depth < (climb ? 3 : 1); depth++) {
      for (let s = e.previousSibling; s; s = s.previousSibling) {
        const t = sibText(s, 80);
        if (t) return { t: t, el: s.nodeType === 1 ? s : null };
        if (s.nodeType === 1 && visible(s)) break;
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
      if (s.nodeType === 1 && visible(s)) break;
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
  function modalRoots(doc) {
    const out = [];
    const ds = doc.querySelectorAll('dialog[open],[aria-modal=true]');
    for (let i = 0; i < ds.length; i++) {
      const d = ds[i];
      let modal = attr(d, 'aria-modal') === 'true';
      try { modal = modal || d.matches(':modal'); } catch (e) { /* old */ }
      if (modal && P.isVisible(d)) out.push(d);
    }
    return out;
  }

  P.collect = function (opts) {
    opts = opts || {};
    const t0 = performance.now();
    const max = opts.max || 5000, tcap = opts.text || 200;
    P.begin();
    const els = [], why = [], info = [];
    index = new Map();
    recs = [];
    let lastHeading = '', walked = 0, truncated = false;

    P.walk(document, function (el, ctx) {
      walked++;
      const t = el.localName;
      if (SKIP.has(t) && !el.hasAttribute('role') &&
          !el.hasAttribute('onclick') && !el.hasAttribute('tabindex'))
        return true;
      const role = P.role(el);
      const st = P.style(el);
      let w = interest(el, role, st), vis;
      if (role === 'heading') {
        const h = cap(P.text(el), 100);
        if (h) lastHeading = h;
      }
      if (!w) {
        /* small text-bearing elements (values, messages, captions) */
        const own = ownText(el);
        if (!own || own.length > tcap || !WORDY.test(own)) return true;
        /* text inside a control, an image, a label or a heading belongs
         * to that candidate */
        for (let a = P.parentEl(el), d = 0; a && d < 8; a = P.parentEl(a), d++) {
          const k = index.get(a);
          if (k !== undefined && (why[k] === 2 || a.localName === 'label' ||
              /^(img|heading)$/.test(P.role(a)))) return true;
        }
        if (!P.isVisible(el)) return true;
        w = 1;
        vis = true;
      }
      if (els.length >= max) { truncated = true; return false; }
      index.set(el, els.length);
      els.push(el);
      why.push(w);
      info.push({ frame: ctx.frame, shadow: ctx.shadow, head: lastHeading,
        vis: vis });
      return true;
    });

    const tWalk = performance.now();
    const modals = [];
    const docs = new Set();
    for (let i = 0; i < els.length; i++) docs.add(els[i].ownerDocument);
    docs.forEach(function (d) {
      const m = modalRoots(d);
      for (let i = 0; i < m.length; i++) modals.push(m[i]);
    });

    recs = new Array(els.length);
    const regMemo = new Map(), ctxMemo = new Map(), lenMemo = new Map();
    for (let i = 0; i < els.length; i++) {
      const el = els[i], t = el.localName, role = P.role(el);
      const r = { i: i, tag: t };
      const vis = info[i].vis !== undefined ? info[i].vis : P.isVisible(el);
      const ty = inputType(el);
      const editable = isEditable(el);
      const ptr = pointer(el);
      const ctl = t === 'input' || t === 'select' || t === 'textarea' ||
        editable || role === 'combobox' || role === 'listbox' ||
        role === 'checkbox' || role === 'radio' || role === 'switch';
      if (role) r.role = role;
      if (why[i] === 2 || role === 'heading' || role === 'img') {
        const nm = P.name(el);
        if (nm) r.name = cap(nm, tcap);
      }
      if (ctl) {
        const lb = P.labelText(el);
        if (lb) r.label = cap(lb, tcap);
      }
      const ph = attr(el, 'placeholder') || attr(el, 'aria-placeholder') ||
        attr(el, 'data-placeholder');
      if (ph) r.ph = cap(ph, 100);
      if (el.hasAttribute('title')) r.title = cap(attr(el, 'title'), 100);
      if (el.hasAttribute('aria-label')) r.aria = cap(attr(el, 'aria-label'),
        100);
      if (t === 'img' || ty === 'image') r.alt = cap(attr(el, 'alt'), 100);
      const v = valueOf(el);
      if (v) r.value = v;
      if (t !== 'input' && t !== 'select' && t !== 'textarea') {
        const tx = cap(textOf(el), tcap);
        if (tx) r.text = tx;
      }
      if (el.id) r.id = cap(el.id, 100);
      const nmattr = attr(el, 'name');
      if (nmattr) r.nm = cap(nmattr, 100);
      const cls = typeof el.className === 'string' ? el.className :
        attr(el, 'class');
      if (cls) r.cls = cap(cls, 100);
      const tid = testid(el);
      if (tid) r.tid = cap(tid, 100);
      if (ty) r.type = ty;
      else if (t === 'button') r.type = (attr(el, 'type') || 'submit')
        .toLowerCase();
      if (t === 'a' && el.hasAttribute('href')) r.href = cap(attr(el, 'href'),
        200);
      let fl = '';
      if (vis) fl += 'v';
      if (isEnabled(el)) fl += 'e';
      if (editable) fl += 'w';
      const clickable = why[i] === 2 && !editable &&
        (t === 'a' || t === 'button' || t === 'summary' || t === 'select' ||
         (t === 'input' && !TEXT_INPUTS.has(ty)) || CLICK_ROLES.has(role) ||
         el.hasAttribute('onclick') || typeof el.onclick === 'function' ||
         ptr || el.hasAttribute('tabindex'));
      if (clickable) fl += 'c';
      if (el.checked === true || attr(el, 'aria-checked') === 'true' ||
          attr(el, 'aria-pressed') === 'true' ||
          attr(el, 'aria-selected') === 'true') fl += 'k';
      if (info[i].shadow) fl += 's';
      if (info[i].frame) fl += 'f';
      if (ptr) fl += 'p';
      if (modals.length) {
        let inside = false;
        for (let k = 0; k < modals.length && !inside; k++)
          inside = P.containsX(modals[k], el);
        if (!inside) fl += 'o';
      }
      r.fl = fl;
      const b = el.getBoundingClientRect();
      const win = el.ownerDocument.defaultView || window;
      r.box = [Math.round(b.left + win.scrollX), Math.round(b.top + win.scrollY),
        Math.round(b.width), Math.round(b.height)];
      if (info[i].frame) r.fr = info[i].frame;
      if (info[i].head) r.head = info[i].head;
      const fs = el.closest ? el.closest('fieldset') : null;
      if (fs) {
        const lg = fs.querySelector(':scope > legend');
        if (lg && lg !== el) r.head = cap(P.text(lg) + ' ' + (r.head || ''),
          120);
      }
      const rg = regionOf(P.parentEl(el), regMemo);
      if (rg) r.region = rg;
      /* container text: row, list item, card */
      let cont = el.closest ? el.closest(CONTAINER) : null;
      if (!cont) {
        /* no row or card: the nearest ancestor with a little more text */
        const own = (r.text || '').length;
        for (let a = P.parentEl(el), d = 0; a && d < 3; a = P.parentEl(a), d++) {
          if (a.localName === 'body' || a.localName === 'form') break;
          let tl = lenMemo.get(a);
          if (tl === undefined) {
            tl = a.textContent.length;
            lenMemo.set(a, tl);
          }
          if (tl > 250) break;
          if (tl > own + 2) { cont = a; break; }
        }
      }
      if (cont && cont !== el) {
        let ct = ctxMemo.get(cont);
        if (ct === undefined) {
          ct = cap(P.text(cont), tcap);
          ctxMemo.set(cont, ct);
        }
        if (ct) r.ctx = ct;
      }
      recs[i] = r;
    }

    const tRec = performance.now();
    /* Second pass: relations (label -> control, nested candidates) and
     * near text (which marks its source as label-like). */
    for (let i = 0; i < els.length; i++) {
      const el = els[i], r = recs[i], t = el.localName;
      for (let a = P.parentEl(el), d = 0; a && d < 12; a = P.parentEl(a), d++) {
        const k = index.get(a);
        if (k !== undefined) { r.in = k; break; }
      }
      if (t === 'label') {
        const c = el.control;
        const k = c ? index.get(c) : undefined;
        if (k !== undefined) r.for = k;
      }
      const isCtl = r.fl.indexOf('w') >= 0 || t === 'select' ||
        t === 'input' || t === 'textarea' || r.role === 'checkbox' ||
        r.role === 'radio' || r.role === 'switch' || r.role === 'combobox';
      const textish = why[i] === 1 && !/^(label|dt|th|legend)$/.test(t) &&
        r.role !== 'heading' && !/:$/.test(r.text || '');
      const iconOnly = why[i] === 2 && !r.text && !isCtl;
      const clicky = why[i] === 2 && !isCtl && !iconOnly;
      if (!isCtl && !textish && !iconOnly && !clicky) continue;
      const parts = [];
      const use = function (p) {
        if (!p || !p.t) return;
        if (p.el) {
          let k = index.get(p.el);
          /* a value already labelled by something is not a label */
          if (k !== undefined && recs[k].near && textish) return;
          if (k === undefined) {
            /* the label-like text may sit in a child candidate */
            for (let c = p.el.firstElementChild; c && k === undefined;
              c = c.firstElementChild) k = index.get(c);
          }
          if (k !== undefined && k !== i) {
            const src = recs[k];
            if (src.fl.indexOf('l') < 0) src.fl += 'l';
            if (src.for === undefined && (isCtl || textish)) src.for = i;
          }
        }
        if (parts.indexOf(p.t) < 0) parts.push(p.t);
      };
      const tt = tableText(el);
      const box = r.type === 'checkbox' || r.type === 'radio';
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
      if (parts.length) r.near = cap(parts.join(' | '), 150);
    }

    P.cands = els;
    index = new Map();
    const out = recs;
    recs = [];
    const tNear = performance.now();
    const doc = { v: 1, url: String(location.href), title: document.title,
      n: els.length, walked: walked, truncated: truncated,
      ms: Math.round((performance.now() - t0) * 10) / 10, cands: out };
    if (opts.profile)
      doc.prof = { walk: tWalk - t0, records: tRec - tWalk, near: tNear - tRec };
    return JSON.stringify(doc);
  };
}
