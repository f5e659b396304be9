  /* ---- 33-act-select-check.js: select (30-act.js's block) -------------- */
  /* By option value, else visible label exact, else case-insensitive.
   * VALUE may be an array for <select multiple>. */
  function selectNow(el, value) {
    if (el.localName !== 'select')
      return { ok: false, reason: 'not a <select> element' };
    const want = Array.isArray(value) ? value.map(String) : [String(value)];
    if (want.length > 1 && !el.multiple)
      return { ok: false, reason: 'several values for a single <select>' };
    const opts = Array.prototype.slice.call(el.options);
    const label = function (o) { return norm(o.label || o.text); };
    const chosen = [];
    for (let i = 0; i < want.length; i++) {
      const v = want[i], nv = norm(v), lv = nv.toLowerCase();
      let o = opts.find(function (x) { return x.value === v; }) ||
        opts.find(function (x) { return label(x) === nv; }) ||
        opts.find(function (x) { return label(x).toLowerCase() === lv; });
      if (!o) {
        const names = opts.slice(0, 20).map(label);
        return { ok: false, missing: true, reason: 'no option "' + v +
          '"; options: ' + names.join(', ') + (opts.length > 20 ? ', ...' :
          '') };
      }
      if (o.disabled)
        return { ok: false, reason: 'option "' + v + '" is disabled' };
      chosen.push(o);
    }
    if (el.multiple) {
      for (let i = 0; i < opts.length; i++)
        opts[i].selected = chosen.indexOf(opts[i]) >= 0;
    } else {
      el.selectedIndex = chosen[0].index;
    }
    fire(el, 'input');
    fire(el, 'change');
    return { ok: true, selected: chosen.map(function (o) { return o.value; }) };
  }
  /* A list that the page fills after load (its options fetched by AJAX)
   * may not hold the option yet: it is waited for, up to TIMEOUT ms, as
   * a person waits for the list to fill. */
  P.selectOption = function (h, value, timeout) {
    let el = P.el(h);
    if (!el || !el.isConnected) return { ok: false, reason: 'detached' };
    el = retarget(el);
    const done = function (r) { delete r.missing; return r; };
    const first = selectNow(el, value);
    if (first.ok || !first.missing || !(timeout > 0)) return done(first);
    const t0 = now();
    return new Promise(function (resolve) {
      const w = waiter();
      const tick = function () {
        const r = el.isConnected ? selectNow(el, value) :
          { ok: false, reason: 'detached' };
        const ms = now() - t0;
        if (r.ok || !r.missing || ms >= timeout) {
          w.stop();
          resolve(done(r));
          return;
        }
        w.wait(false, timeout - ms, tick);
      };
      w.wait(false, timeout, tick);
    });
  };

  /* ---- check ------------------------------------------------------- */
  P.checkTarget = function (h) {
    const el = P.el(h);
    if (!el || !el.isConnected) return -1;
    P.begin();
    return P.keep(proxyFor(retarget(el)));
  };
  /* The checked state a person sees on EL: true/false, null when EL has
   * none. A checkbox or radio; aria-checked or aria-pressed; else the one
   * checkable thing inside EL (a role=checkbox button holding an
   * <input type=checkbox>); else a check icon in EL or beside it in a
   * small wrapper (a button styled as a checkbox: an <i> whose class is
   * glyphicon-unchecked, later glyphicon-check). */
  const CHECKABLE = 'input[type=checkbox],input[type=radio],[role=checkbox],' +
    '[role=radio],[role=switch],[role=menuitemcheckbox],[role=menuitemradio]';
  /* an icon's class (or ligature text) naming a check mark, as a word:
   * glyphicon-check, fa-check-square, checkbox, check_box_outline_blank,
   * unchecked (not "checkout") */
  const ICON_CHECK = /(^|[-_])(un)?check(ed|box|mark)?($|[-_])/;
  const ICON_OFF = /(^|[-_])un-?check|blank|empty|outline($|[-_])/;
  /* one that can only be a box: a bare check mark (fa-check) may as well
   * decorate a "Mark done" link, and says nothing before a click */
  const ICON_BOX =
    /uncheck|check-?box|check_box|check-?square|square-?check|checked/;
  function ariaState(el) {
    const a = el.getAttribute('aria-checked') || el.getAttribute('aria-pressed');
    if (a === 'true') return true;
    if (a === 'false' || a === 'mixed') return false;
    return null;
  }
  /* true/false for an icon whose class or ligature names a check mark
   * (BOX: a box, ICON_BOX), null for anything else. */
  function iconState(el, box) {
    if (el.firstElementChild && el.localName !== 'svg') return null;
    const txt = P.norm(el.textContent).toLowerCase();
    const cls = (el.getAttribute('class') || '').toLowerCase();
    /* words are no icon; an icon font's ligature is (check_box) */
    if (txt && !(/^[a-z_]+$/.test(txt) && (txt.indexOf('_') > 0 ||
        cls.indexOf('icon') >= 0)))
      return null;
    const toks = cls.split(/\s+/);
    if (txt) toks.push(txt);
    let on = null;
    for (let i = 0; i < toks.length; i++) {
      if (!ICON_CHECK.test(toks[i]) || (box && !ICON_BOX.test(toks[i])))
        continue;
      if (ICON_OFF.test(toks[i])) return false;
      on = true;
    }
    return on;
  }
  function iconIn(root, box) {
    const all = root.querySelectorAll('i,span,svg,em,b');
    let found = null;
    for (let i = 0; i < all.length && i < 20; i++) {
      const st = iconState(all[i], box);
      if (st === null) continue;
      if (found !== null) return null;       /* two: not one state */
      found = st;
    }
    return found;
  }
  /* The element whose check icon shows EL's state, and its state: EL
   * (with BOX, an icon that can only be a box), or the small wrapper
   * holding EL beside the icon (with BOX, a box, or any check mark when
   * EL is a button: a button beside it is what toggles it); null when
   * none does. */
  function iconHolder(el, box) {
    let st = iconIn(el, box);
    if (st !== null) return { el: el, on: st };
    const p = P.parentEl(el);
    if (p && p.localName !== 'body' && p.children.length <= 3 &&
        !p.querySelector(CHECKABLE) &&
        (st = iconIn(p, box && !clicksAsBox(el))) !== null)
      return { el: p, on: st };
    return null;
  }
  /* BOX: a check icon counts as EL's state only when it can only be a
   * box or stands beside a button (iconHolder()): what a check step may
   * take for a checkbox. Its state afterwards is read from any. */
  function checkState(el, box) {
    if (isCheckInput(el)) return el.checked;
    const a = ariaState(el);
    if (a !== null) return a;
    const inner = el.querySelectorAll(CHECKABLE);
    if (inner.length === 1) {
      const c = inner[0];
      return isCheckInput(c) ? c.checked : ariaState(c);
    }
    if (inner.length) return null;
    const holder = iconHolder(el, box);
    return holder ? holder.on : null;
  }
  /* true/false; null when the element is not checkable. */
  P.isChecked = function (h) {
    const el = P.el(h);
    return el ? checkState(retarget(el)) : null;
  };

  /* The row or list item EL sits in, for a check step that names it by
   * its words: a table row, a list item (tr, li, role row, listitem,
   * option, treeitem), or an element repeated beside others like it
   * (same tag and class) that hold a checkbox each, as the rows of a file
   * list do. null when EL is in none of these. */
  const ROWISH = /^(tr|li)$/;
  const ROWROLE = /^(row|listitem|option|treeitem)$/;
  function rowOf(el) {
    for (let e = el, d = 0; e && d < 10; e = P.parentEl(e), d++) {
      const ln = e.localName;
      if (ln === 'body' || ln === 'html' || ln === 'form' || ln === 'table')
        return null;
      if (ROWISH.test(ln) || ROWROLE.test(e.getAttribute('role') || ''))
        return e;
      const p = P.parentEl(e);
      const cls = e.getAttribute('class') || '';
      if (!p || !cls) continue;
      for (let s = p.firstElementChild; s; s = s.nextElementSibling)
        if (s !== e && s.localName === ln &&
            (s.getAttribute('class') || '') === cls &&
            s.querySelector(CHECKABLE))
          return e;
    }
    return null;
  }
  /* The checkable elements inside ROW that a person sees: the outermost
   * ones (a role=checkbox button holding an input is one), shown or shown
   * through a label. */
  function rowBoxes(row) {
    const all = row.querySelectorAll(CHECKABLE);
    const out = [];
    for (let i = 0; i < all.length; i++) {
      const c = all[i];
      if (out.some(function (o) { return o.contains(c); })) continue;
      if (P.isVisible(proxyFor(c))) out.push(c);
    }
    return out;
  }
  /* A button-like element that a person clicks to check it, though the
   * state it shows is that of a checkbox inside it. */
  function clicksAsBox(el) {
    return el.localName === 'button' ||
      /^(button|checkbox|switch|radio|menuitemcheckbox|menuitemradio)$/
        .test(P.role(el));
  }
  /* For each collected candidate P.cands[ID] of IDS, what a check step
   * naming it checks: {h, key, n, self}: itself when it has a checked
   * state (checkState(): a checkbox, or a button showing one; self:
   * true); else the one checkable element inside it or, failing that, in
   * its row (rowOf()). h is -1 when there is none or several: n says how
   * many. Candidates with the same key are one checkbox as a person sees
   * it (a button and the wrapper showing its check icon). */
  P.checkables = function (ids) {
    P.begin();
    const out = [];
    for (let i = 0; i < ids.length; i++) {
      const c = P.cands ? P.cands[ids[i]] : null;
      if (!c || !c.isConnected) {
        out.push({ h: -1, key: -1, n: 0 });
        continue;
      }
      const el = retarget(c);
      let boxes = rowBoxes(el);
      if (checkState(el, true) !== null && (!boxes.length || clicksAsBox(el))) {
        const holder = boxes.length ? null : iconHolder(el, true);
        out.push({ h: P.keep(el), key: P.keep(holder ? holder.el : el), n: 1,
          self: true });
        continue;
      }
      if (!boxes.length) {
        const row = rowOf(el);
        boxes = row ? rowBoxes(row) : [];
      }
      const h = boxes.length === 1 ? P.keep(boxes[0]) : -1;
      out.push({ h: h, key: h, n: boxes.length });
    }
    return out;
  };
