  /* ---- 34-act-menu.js: the menu opened (30-act.js's block) ------------
   * After a click or hover on a menu's button, the next step's words may
   * mean an item of that menu (heur_hist.menu). The menu is the element
   * the button's aria-controls (or aria-owns) names, else, for a button
   * that says it opens one (aria-haspopup, aria-expanded="true", a
   * dropdown toggle), the menu or list shown beside it; only a visible
   * one, holding a control shown since the click when BEFORE says what
   * was shown then (shownNow()). */
  const MENU_ROLE = /^(menu|menubar|listbox|tree|grid|dialog)$/;
  const MENU_CLASS = /menu|dropdown|popup|popover/i;
  function openedMenu(el, before) {
    const t = el.closest('[aria-controls],[aria-owns],[aria-haspopup],' +
      '[aria-expanded],[data-toggle],[data-bs-toggle]') || el;
    const d = t.ownerDocument;
    const ids = ((t.getAttribute('aria-controls') || '') + ' ' +
      (t.getAttribute('aria-owns') || '')).split(/\s+/);
    for (let i = 0; i < ids.length; i++) {
      const m = ids[i] ? d.getElementById(ids[i]) : null;
      if (m && P.isVisible(m)) return m;
    }
    const pop = t.getAttribute('aria-haspopup');
    const tog = (t.getAttribute('data-toggle') || '') +
      (t.getAttribute('data-bs-toggle') || '');
    if (!(pop && pop !== 'false') &&
        t.getAttribute('aria-expanded') !== 'true' && !/dropdown/.test(tog))
      return null;
    for (let p = P.parentEl(t), k = 0; p && k < 2; p = P.parentEl(p), k++) {
      for (let s = p.firstElementChild; s; s = s.nextElementSibling) {
        if (s === t || s.contains(t) || !P.isVisible(s)) continue;
        if ((MENU_ROLE.test(P.role(s)) ||
             MENU_CLASS.test(s.getAttribute('class') || '')) &&
            holdsFresh(s, before))
          return s;
      }
    }
    return null;
  }
  const MENU_MAX = 256;
  /* The controls shown when the last click or hover was about to land
   * on a button that says it expands something and names nothing it
   * controls (aria-expanded, no aria-controls: a publish button that
   * opens a panel elsewhere), as a Set; null for any other. What that
   * button opened is shown now and was not then. */
  let shownBefore = null;
  const SHOWN = 'a[href],button,input,select,textarea,summary,[role],' +
    '[tabindex],[onclick],[contenteditable]';
  function expander(el) {
    const t = el.closest('[aria-expanded]');
    return t && !t.hasAttribute('aria-controls') &&
      !t.hasAttribute('aria-owns') ? t : null;
  }
  function shownNow(el) {
    if (!expander(el)) return null;
    const out = new Set(), all = el.ownerDocument.querySelectorAll(SHOWN);
    for (let i = 0; i < all.length; i++)
      if (P.isVisible(all[i])) out.add(all[i]);
    return out;
  }
  /* Is E a control shown now and not in BEFORE? */
  function fresh(e, before) {
    return !before.has(e) && e.matches(SHOWN) && P.isVisible(e);
  }
  /* Does EL hold a control shown since (any, when that is not known)? */
  function holdsFresh(el, before) {
    if (!before || fresh(el, before)) return true;
    const all = el.querySelectorAll(SHOWN);
    for (let i = 0; i < all.length; i++)
      if (fresh(all[i], before)) return true;
    return false;
  }
  /* No menu beside it: the candidates EL's click revealed into IDS
   * (none when more than MENU_FEW: a new page more than a panel). */
  const MENU_FEW = 64;
  function revealed(el, cands, ids, before) {
    const t = expander(el);
    if (!before || !t || t.getAttribute('aria-expanded') !== 'true')
      return;
    for (let i = 0; i < cands.length && ids.length <= MENU_FEW; i++)
      if (cands[i] && cands[i] !== t && !t.contains(cands[i]) &&
          fresh(cands[i], before)) ids.push(i);
    if (ids.length > MENU_FEW) ids.length = 0;
  }
  /* Has EL (the element the last click or hover reached) opened
   * something: a menu (openedMenu()), or, a button that says it expanded
   * something and names nothing, a few controls shown since (more than
   * MENU_FEW: a new page more than a panel)? The page state the cache
   * keeps apart as ROUTE [opened] (docs/CACHE.md). */
  function opensNow(el, before) {
    return !!el && el.isConnected &&
      (!!openedMenu(el, before) || revealedSome(el, before));
  }
  /* opensNow() for a button that opened no menu: the controls shown
   * since its click, outside it. */
  function revealedSome(el, before) {
    const t = expander(el);
    if (!before || !t || t.getAttribute('aria-expanded') !== 'true')
      return false;
    const all = el.ownerDocument.querySelectorAll(SHOWN);
    let n = 0;
    for (let i = 0; i < all.length && n <= MENU_FEW; i++)
      if (all[i] !== t && !t.contains(all[i]) && fresh(all[i], before)) n++;
    return n > 0 && n <= MENU_FEW;
  }
  P.openedBy = function (h) { return opensNow(P.el(h), shownBefore); };
  /* COLLECT()'s answer R (P.collect(), or a promise of it) as {doc: R,
   * menu: [...], opened}: the record ids of the collected candidates
   * inside the menu that the element of handle H opened ([] when it
   * opened none), and whether it opened something (opensNow()). */
  P.withMenu = function (h, collect) {
    /* the collection's own check of its guess locates a target too */
    const before = shownBefore, r = collect();
    const add = function (doc) {
      const el = P.el(h);
      const m = el && el.isConnected ? openedMenu(el, before) : null;
      const ids = [];
      const cands = P.cands || [];
      for (let i = 0; m && i < cands.length && ids.length < MENU_MAX; i++)
        if (cands[i] && (cands[i] === m || m.contains(cands[i]))) ids.push(i);
      if (!m && el && el.isConnected) revealed(el, cands, ids, before);
      return { doc: doc, menu: ids, opened: !!m ||
        (!!el && el.isConnected && revealedSome(el, before)) };
    };
    return r && typeof r.then === 'function' ? r.then(add) : add(r);
  };
