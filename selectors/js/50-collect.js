  /* ---- 50-collect.js: the candidate collector ---------------------------
   * P.collect(opts) walks the page once (document, open shadow roots,
   * same-origin frames), picks the elements a plain-words target may name
   * and returns ONE JSON string: the record document of docs/CANDIDATES.md.
   * P.cands[i] is the element of record i until the next collect().
   * opts: {max: record cap (default 5000), text: text cap (default 200),
   *        probes: [lower-case fragments] (optional: only candidates whose
   *        folded texts can contain one get a record: docs/CANDIDATES.md
   *        "Pruned collection"),
   *        boxes: false leaves out each record's box (the scorer does
   *        not read it; it costs a layout read per record),
   *        guess: {w: words, kind: readiness kind} (optional: the one
   *        candidate showing exactly those words is checked for
   *        readiness at once, as "guess"; guessReady()),
   *        ahead: keep this collection for P.aheadCheck() ("Ahead"
   *        below), its token as "ahead",
   *        profile: add per-phase times as "prof"}.
   * Speed: every layout read (bounding box, computed style) is memoised
   * for the call, nothing is written to the page, and the expensive fields
   * (accessible name, container text, heading, region, box) are computed
   * only for records that are emitted.
   * Nothing here reads test-only attributes: records carry only what a
   * real page shows (names, labels, text, ids, classes...). */
{
  const norm = P.norm;
  const TEXT_INPUTS = new Set(['', 'text', 'email', 'password', 'search',
    'tel', 'url', 'number', 'date', 'datetime-local', 'month', 'week',
    'time']);
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
    dialog: 'dialog', alertdialog: 'dialog', form: 'form', search: 'search',
    toolbar: 'toolbar', menu: 'menu', menubar: 'menu', tablist: 'tablist' };
  /* A form that names itself a search form (id or class): "search" too,
   * so that its text field is "the search box" (issue 22 pattern 1). */
  const SEARCHY = /search/i;
  /* The items of a repeated group (the rows of a table, the items of a
   * list): an ordinal counts within them (record "grp", issue 22
   * pattern 6), and a sibling item is never a label (prevText()). */
  const GROUP_ITEM = 'li,tr,dt,dd,article,[role=row],[role=listitem],' +
    '[role=treeitem],[role=option],[role=article]';
  const ITEM_TAG = /^(li|tr|dt|dd|article)$/;
  const ITEM_ROLE = /^(row|listitem|treeitem|option|article)$/;
  const CONTAINER = 'tr,li,[role=row],[role=listitem],[role=option],' +
    'article,[role=article],[class*=card],[class*=product],[class*=item],' +
    'dialog,[role=dialog],[role=alertdialog],[role=region],' +
    '[class*=cookie],[class*=consent],[class*=banner],[class*=modal]';
  /* Descendants that can put words into an accessible name that the
   * element's textContent lacks. */
  const NAMEY = '[aria-label],[aria-labelledby],[alt],[title],input,' +
    'select,textarea,img,svg,[role=img]';

  const WORDY = /[\p{L}\p{N}]/u;
  const NONASCII = /[^\x00-\x7f]/;
  /* Whitespace that P.norm would change: anything but single inner
   * spaces (and the zero-width space it drops). */
  const UNNORM = /[^\S ]|  |^ | $|\u200b/;

  /* The probe test's folding: lower case (JS), then Latin-1 and Latin
   * Extended-A letters to their base letters as heur__fold() does
   * (heuristics/heur_text.c). Applied to the probes too. It is a map from
   * one character to a fixed string (U+0130 and capital sigma, the two
   * letters toLowerCase() maps by context or to two characters, are
   * replaced first), and heur__fold() followed by it equals it alone, so
   * a probe found by the scorer's prefilter in a folded text is found
   * here in the same text: the test never drops a candidate the scorer
   * could score. */
  const L1 = 'aaaaaa0ceeeeiiiidnooooo*ouuuuy12aaaaaa0ceeeeiiiidnooooo*ouuuuy1y';
  const L1P = ['ae', 'th', 'ss'];
  const LA = 'aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll' +
    'lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs';
  const LATIN = /[\u00C0-\u017F]/g;
  function latin(ch) {
    const c = ch.charCodeAt(0);
    if (c >= 0x100) return LA[c - 0x100];
    const b = L1[c - 0xC0];
    return b === '*' ? ch : b >= '0' && b <= '2' ? L1P[+b] : b;
  }
  function fold(s) {
    if (!NONASCII.test(s)) return s.toLowerCase();
    return s.replace(/\u0130/g, 'I').replace(/\u03A3/g, '\u03C3')
      .toLowerCase().replace(LATIN, latin);
  }
  P._fold = fold;

  /* State of the collections: the candidate index, memoised reads,
   * per-candidate text. It outlives a collect() while the page stays the
   * same (see "Reuse" below); what S.hot holds is per call. */
  let S = null;

  /* ---- Reuse: what one collect() keeps for the next --------------------
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
    return el.firstElementChild ? P.text(el) : fnorm(el.textContent);
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
  /* The open modal dialogs of DOC: a modal <dialog>, an aria-modal one,
   * or a dialog laid over the whole window as a modal is (fixed, at least
   * 90% of the viewport each way: a Bootstrap-style modal, which says
   * role=dialog and nothing more). */
  function modalRoots(doc) {
    const out = [];
    const ds = doc.querySelectorAll('dialog[open],[aria-modal=true],' +
      '[role=dialog],[role=alertdialog]');
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

  /* The members of candidate i's record that hold only what the layout
   * level keeps (texts, names, attributes), as JSON without braces;
   * memoised, forgotten with its texts (forgetK(), forgetNear()). */
  function stableK(i) {
    let f = S.frag[i];
    if (f !== undefined) return f;
    const el = S.els[i], t = el.localName, role = S.info[i].role;
    const tcap = S.tcap;
    const r = { tag: t };
    const ty = inputType(el);
    const ctl = isControl(el, t, role, edit(i));
    if (role) r.role = role;
    if (named(i)) {
      const nm = nameK(i);
      if (nm) r.name = cap(nm, tcap);
    }
    if (ctl) {
      const lb = labelK(i);
      if (lb) r.label = cap(lb, tcap);
    }
    const ph = attr(el, 'placeholder') || attr(el, 'aria-placeholder') ||
      attr(el, 'data-placeholder');
    if (ph) r.ph = cap(ph, 100);
    if (el.hasAttribute('title')) r.title = cap(attr(el, 'title'), 100);
    if (el.hasAttribute('aria-label')) r.aria = cap(attr(el, 'aria-label'),
      100);
    if (t === 'img' || ty === 'image') r.alt = cap(attr(el, 'alt'), 100);
    const tx = textK(i);
    if (tx) r.text = tx;
    if (el.id) r.id = cap(el.id, 100);
    const nmattr = attr(el, 'name');
    if (nmattr) r.nm = cap(nmattr, 100);
    const tid = testid(el);
    if (tid) r.tid = cap(tid, 100);
    if (ty) r.type = ty;
    else if (t === 'button') r.type = (attr(el, 'type') || 'submit')
      .toLowerCase();
    if (t === 'a' && el.hasAttribute('href')) {
      r.href = cap(attr(el, 'href'), 200);
      const d = destOf(el);
      if (d) r.dst = d;
    }
    const near = nearInfo(i).t;
    if (near) r.near = near;
    f = JSON.stringify(r).slice(1, -1);
    S.frag[i] = f;
    return f;
  }

  /* Link EL's destination (record "dst"): a number, equal for links to
   * the same URL however their href writes it (relative or absolute,
   * query parameters in any order): two links with the same words and
   * the same destination are one choice (issue 22, p-admin-03). 0 for a
   * link that stays on this page (a fragment, a script, the page
   * itself): its click does whatever a script makes of it. A 29-bit
   * hash of the URL, relative to the document's folder when it is
   * under it (the same for a copy of the page elsewhere). */
  let hereDoc = null, hereUrl = '', here = null;
  function destOf(el) {
    const doc = el.ownerDocument;
    let u;
    try {
      if (doc !== hereDoc || doc.URL !== hereUrl) {    /* parsed once */
        here = new URL(doc.URL);
        hereDoc = doc;
        hereUrl = doc.URL;
      }
      u = new URL(attr(el, 'href'), doc.baseURI);
    } catch (e) { return 0; }
    if (u.protocol === 'javascript:' || (u.origin === here.origin &&
        u.pathname === here.pathname && u.search === here.search))
      return 0;
    u.searchParams.sort();
    let k = u.href;
    if (u.origin === here.origin) {
      const dir = here.pathname.slice(0, here.pathname.lastIndexOf('/') + 1);
      k = u.pathname.startsWith(dir) ? u.pathname.slice(dir.length) :
        u.pathname;
      k += u.search + u.hash;
    }
    let h = 0x811c9dc5;
    for (let i = 0; i < k.length; i++) {
      h ^= k.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return (h >>> 3) || 1;
  }
  /* The record's "box" member: the border box in page coordinates. */
  function boxPart(el, memo) {
    const b = rect(el);
    const doc = el.ownerDocument;
    let sc = memo.scroll.get(doc);
    if (sc === undefined) {
      const win = doc.defaultView || window;
      sc = [win.scrollX, win.scrollY];
      memo.scroll.set(doc, sc);
    }
    return ',"box":[' + Math.round(b.left + sc[0]) + ',' +
      Math.round(b.top + sc[1]) + ',' + Math.round(b.width) + ',' +
      Math.round(b.height) + ']';
  }
  /* May ctxOf() read ancestor A, D levels above the candidate's parent? */
  function ctxUp(a, d) {
    return !!a && d < 3 && a.localName !== 'body' && a.localName !== 'form';
  }
  /* Candidate i's container text ('' for none): its row, list item or
   * card, else the nearest ancestor (at most three up, below <body> and
   * <form>) with a little more text. */
  function ctxOf(i, memo) {
    const el = S.els[i];
    let cont = S.contM[i];
    if (cont === undefined)
      S.contM[i] = cont = el.closest ? el.closest(CONTAINER) : null;
    if (!cont) {
      const own = textK(i).length;
      for (let a = P.parentEl(el), d = 0; ctxUp(a, d);
        a = P.parentEl(a), d++) {
        let tl = memo.len.get(a);
        if (tl === undefined) {
          tl = a.textContent.length;
          memo.len.set(a, tl);
        }
        if (tl > 250) break;
        if (tl > own + 2) { cont = a; break; }
      }
    }
    if (!cont || cont === el) return '';
    let ct = S.ctxM.get(cont);
    if (ct === undefined) {
      ct = cap(P.text(cont), S.tcap);
      S.ctxM.set(cont, ct);
    }
    return ct;
  }
  /* Can a text edit after epoch SINCE have changed candidate i's
   * container text? Only one inside its container or, without one, inside
   * the outermost ancestor ctxOf() may read: S.edAt holds the epoch of
   * the last edit below every ancestor of an edited text. */
  function ctxEdited(i, since) {
    let top = S.contM[i];
    if (!top)
      for (let a = P.parentEl(S.els[i]), d = 0; ctxUp(a, d);
        a = P.parentEl(a), d++) top = a;
    return !!top && (S.edAt.get(top) || 0) > since;
  }
  /* Candidate i's repeated group (record "grp"): the walk position of the
   * first candidate in the parent of its row or list item, when that
   * parent holds two items of the item's tag or more; -1 none. The same
   * number in a full and a pruned collection (both number the same
   * walk); kept with the walk. */
  function groupOf(i) {
    let g = S.grp[i];
    if (g !== undefined) return g;
    g = -1;
    const el = S.els[i];
    const it = el.closest ? el.closest(GROUP_ITEM) : null;
    const p = it && it.parentElement;
    if (p) {
      g = S.grpP.get(p);
      if (g === undefined) {
        let same = 0;
        for (let c = p.firstElementChild; c && same < 2; c = c.nextElementSibling)
          if (c.localName === it.localName) same++;
        g = -1;
        if (same >= 2) {
          g = i;
          while (g > 0 && S.info[g - 1].frame === S.info[i].frame &&
                 P.containsX(p, S.els[g - 1])) g--;
        }
        S.grpP.set(p, g);
      }
    }
    S.grp[i] = g;
    return g;
  }
  /* The key of the form element EL belongs to (record "form"): its id,
   * name or action, else its place among the document's forms; '' for
   * none. The runner passes the key of the fields a task filled to the
   * next click (issue 22 pattern 2). Kept with the walk. */
  function formKey(i) {
    let k = S.fkM[i];
    if (k !== undefined) return k;
    const el = S.els[i];
    const f = el.form instanceof HTMLFormElement ? el.form :
      el.closest ? el.closest('form') : null;
    S.fkM[i] = k = f ? formKeyOf(f) : '';
    return k;
  }
  function formKeyOf(f) {
    let k = S.formM.get(f);
    if (k !== undefined) return k;
    const id = attr(f, 'id'), nm = attr(f, 'name'), ac = attr(f, 'action');
    k = id ? '#' + id : nm ? 'name=' + nm : ac ? 'action=' + ac :
      'form' + Array.prototype.indexOf.call(f.ownerDocument.forms, f);
    k = cap(k, 100);
    S.formM.set(f, k);
    return k;
  }
  /* A code or rich-text editor hides its form's textarea and shows its
   * own editable right after it (CodeMirror, TinyMCE...): the hidden
   * textarea's words (id, name, label) name the visible editable (a
   * textarea or a contenteditable, never a one-line input: a hidden
   * honeypot field is followed by real ones), its proxy. Marks S.forK of every hidden textarea that has one: the
   * record's "for", which the scorer reads as "fill this one instead"
   * (issue 22 pattern 1). Layout level. */
  function markProxies() {
    const els = S.els;
    for (let i = 0; i < els.length; i++) {
      if (els[i].localName !== 'textarea' || vis(els[i])) continue;
      for (let sib = els[i].nextElementSibling, d = 0; sib && d < 2;
        sib = sib.nextElementSibling, d++) {
        let k = -1;
        for (let j = i + 1; j < els.length && k < 0; j++) {
          if (S.info[j].frame !== S.info[i].frame) continue;
          if (!P.containsX(sib, els[j])) break;
          if (edit(j) && els[j].localName !== 'input' && cand(j) &&
              vis(els[j])) k = j;
        }
        if (k >= 0) { S.forK[i] = k; break; }
      }
    }
  }
  /* The candidate that candidate i stands for (its record's "for"): a
   * label's control when that is a candidate, else the control whose
   * near text uses it, else i itself. */
  function forOf(i) {
    if (S.els[i].localName === 'label') {
      const c = S.els[i].control;
      const k = c ? S.index.get(c) : undefined;
      if (k !== undefined && cand(k)) return k;
    }
    return S.forK[i] >= 0 ? S.forK[i] : i;
  }
  /* The record of candidate i (docs/CANDIDATES.md) as JSON: the stable
   * members, then what is read afresh (value, flags, box) and what
   * refers to the string table (STR interns container text, heading,
   * region, class) or to other records (ID maps a walk index to a record
   * id). V: the element's value when the caller has read it already;
   * KEPT, when given, gets the box and container text it used. */
  function record(i, id, modals, memo, str, boxes, v, kept) {
    const el = S.els[i], t = el.localName, role = S.info[i].role;
    const why = S.why[i] === 3 ? 1 : S.why[i];
    const ty = inputType(el);
    const editable = edit(i);
    const ptr = pointer(el);
    let s = '{"i":' + id[i] + ',' + stableK(i);
    if (v === undefined) v = valueOf(el);
    if (v) s += ',"value":' + JSON.stringify(v);
    const cls = typeof el.className === 'string' ? el.className :
      attr(el, 'class');
    if (cls) {
      const c = cap(cls, 100);
      if (c) s += ',"cls":' + str(c);
    }
    let fl = '';
    if (vis(el)) fl += 'v';
    let en = S.enM[i];
    if (en < 0) S.enM[i] = en = isEnabled(el) ? 1 : 0;
    if (en) fl += 'e';
    if (editable) fl += 'w';
    const clickable = why === 2 && !editable &&
      (t === 'a' || t === 'button' || t === 'summary' || t === 'select' ||
       (t === 'input' && !TEXT_INPUTS.has(ty)) || CLICK_ROLES.has(role) ||
       el.hasAttribute('onclick') || typeof el.onclick === 'function' ||
       ptr || el.hasAttribute('tabindex'));
    if (clickable) fl += 'c';
    if (el.checked === true || attr(el, 'aria-checked') === 'true' ||
        attr(el, 'aria-pressed') === 'true' ||
        attr(el, 'aria-selected') === 'true') fl += 'k';
    if (S.info[i].shadow) fl += 's';
    if (S.info[i].frame) fl += 'f';
    if (ptr) fl += 'p';
    if (S.lab[i]) fl += 'l';
    if (modals.length) {
      let inside = false;
      for (let k = 0; k < modals.length && !inside; k++)
        inside = P.containsX(modals[k], el);
      if (!inside) fl += 'o';
    }
    s += ',"fl":"' + fl + '"';
    const bp = boxes ? boxPart(el, memo) : '';
    s += bp;
    if (S.info[i].frame) s += ',"fr":' + S.info[i].frame;
    let head = S.info[i].head;
    const fs = el.closest ? el.closest('fieldset') : null;
    if (fs) {
      const lg = fs.querySelector(':scope > legend');
      if (lg && lg !== el) head = cap(P.text(lg) + ' ' + head, 120);
    }
    if (head) s += ',"head":' + str(head);
    const rg = regionOf(P.parentEl(el), S.regionM);
    if (rg) s += ',"region":' + str(rg);
    const ct = ctxOf(i, memo);
    if (ct) s += ',"ctx":' + str(ct);
    const fk0 = formKey(i);
    if (fk0) s += ',"form":' + str(fk0);
    const gp = groupOf(i);
    if (gp >= 0) s += ',"grp":' + gp;
    if (kept) {
      kept.box = bp;
      kept.ctx = ct;
    }
    /* relations: label -> control, near text -> what it labels, nearest
     * candidate ancestor */
    const fk = forOf(i);
    if (fk !== i) s += ',"for":' + id[fk];
    for (let a = P.parentEl(el), d = 0; a && d < 12; a = P.parentEl(a), d++) {
      const k = S.index.get(a);
      if (k !== undefined && cand(k)) { s += ',"in":' + id[k]; break; }
    }
    return s + '}';
  }

  /* ---- Mirror: records the controller already holds -------------------
   * With opts.mirror = {gen, seq, ns} (what the controller holds: the
   * collector state's generation, how many mirrored answers it took, how
   * many strings of the kept table), a record the controller already has
   * unchanged goes out as its bare id, and "strs" carries only the
   * strings added since. A mismatch (another document, a lost answer, a
   * new controller) starts the mirror over: "seq" 1, every record in
   * full. docs/CANDIDATES.md "Mirrored collection". */
  let gens = 0;
  const MIRROR_STRS = 20000;     /* kept strings: more starts over */
  function newGen() {            /* unique across documents too */
    return performance.timeOrigin + ':' + (++gens) + ':' +
      Math.random().toString(36).slice(2, 10);
  }
  function mirrorStart(m) {
    if (m.gen !== S.gen || m.seq !== S.mseq || m.ns !== S.mstrs.length ||
        S.mstrs.length > MIRROR_STRS) {
      S.mseq = 0;
      S.mstrs = [];
      S.msidx = new Map();
      S.sent = [];
      S.recKey = '';        /* kept records refer to the old table */
    }
  }

  /* fold(norm(s)) === f, without making either string: norm() drops
   * zero-width spaces and collapses white space, fold() works char by
   * char (ASCII letters lower-cased here, the rest through fold()). */
  const WS1 = /\s/;
  function sameFolded(s, f) {
    let k = 0, gap = false;
    for (let j = 0; j < s.length; j++) {
      let c = s.charCodeAt(j);
      if (c === 0x200b) continue;
      if (c === 32 || (c >= 9 && c <= 13) ||
          (c > 127 && WS1.test(s.charAt(j)))) {
        gap = k > 0;
        continue;
      }
      if (gap) {
        if (f.charCodeAt(k++) !== 32) return false;
        gap = false;
      }
      if (c < 128) {
        if (c >= 65 && c <= 90) c += 32;
        if (f.charCodeAt(k++) !== c) return false;
      } else {
        const x = fold(s.charAt(j));
        if (!f.startsWith(x, k)) return false;
        k += x.length;
      }
    }
    return k === f.length;
  }
  P._sameFolded = sameFolded;

  /* The guess (opts.guess {w, kind, wait}: docs/CANDIDATES.md "Guess"):
   * the one emitted candidate whose name, label or text is exactly the
   * words w (folded; a label stands for its control), checked for
   * readiness as P.locateHandle() would check it (P.readyCheck(): at
   * once, or for a kind that takes frames waiting up to wait ms), with
   * the selector and fingerprint a new resolution reports. The
   * controller takes that answer only when its ranking picks the same
   * element, and saves a round trip. guessPick() finds it (-1 when no
   * single candidate shows the words). */
  function guessPick(g, emit) {
    if (typeof g.w !== 'string' || typeof g.kind !== 'string') return -1;
    const gw = fold(norm(g.w));
    if (!gw) return -1;
    const same = function (s) {
      return !!s && s.length >= gw.length >> 1 &&
        s.length <= gw.length * 2 && sameFolded(s, gw);
    };
    let pick = -1;
    for (let i = 0; i < emit.length; i++) {
      if (!emit[i]) continue;
      const t = S.els[i].localName;
      const form = t === 'input' || t === 'select' || t === 'textarea';
      if (!((named(i) && same(nameK(i))) || (form && same(labelK(i))) ||
            same(textK(i))))
        continue;
      const k = t === 'label' ? forOf(i) : i;
      if (pick >= 0 && pick !== k) return -1;     /* two show them */
      pick = k;
    }
    return pick;
  }
  function guessDone(r, i) {
    r.i = i;
    r.sel = P.selectorFor(r.h);
    r.fp = P.fingerprint(r.h);
    return r;
  }
  /* The guess's answer, null, or a promise of either (a kind that
   * takes frames, when it may wait). */
  function guessCheck(g, pick, id) {
    const i = id[pick];
    const ms = typeof g.wait === 'number' ? Math.min(g.wait, 1000) : 0;
    const r = P.readyCheck(S.els[pick], g.kind, ms);
    if (!r) return null;
    if (typeof r.then !== 'function') return guessDone(r, i);
    return r.then(function (a) { return a ? guessDone(a, i) : null; });
  }

  /* ---- Ahead: one collection for the read-only steps that follow ------
   * opts.ahead keeps what P.aheadCheck() needs of this collection: the
   * controller ranks the intents of the next read-only steps (wait_for,
   * extract, assert) over these records at once, and at each such step
   * asks whether the page is still the one they were made from -- the
   * same walk and layout level (reuseLevel() 2, the same build), no text
   * edited since, every record's value and checked state as they were --
   * and, when it is, checks its choice (walk position i) as a guess is
   * checked. Anything else answers {stale: true} and the step collects
   * afresh: a ranking made ahead is used only where a new collection
   * would give the same records. */
  let AH = null, ahSeq = 0;
  function aheadKeep(emit) {
    const vals = [];
    for (let i = 0; i < emit.length; i++) {
      const t = emit[i] ? S.els[i].localName : '';
      /* only these have a value or a checked state (valueOf()) */
      if (t === 'input' || t === 'select' || t === 'textarea')
        vals.push(i, valueOf(S.els[i]), S.els[i].checked === true);
    }
    /* the token names the document too: a new one starts ahSeq over */
    AH = { tok: S.gen + '#' + (++ahSeq), gen: S.gen, built: builtAt,
      ep: S.ep, vals: vals };
    return AH.tok;
  }
  P.aheadCheck = function (tok, i, kind, wait) {
    const A = AH, stale = { stale: true };
    P.begin();
    /* a new walk makes a new S, with a new gen */
    if (!A || A.tok !== tok || !S || S.gen !== A.gen ||
        reuseLevel(S.max, S.tcap) !== 2 || builtAt !== A.built ||
        S.ep !== A.ep || !(i >= 0 && i < S.els.length))
      return stale;
    const v = A.vals;
    for (let k = 0; k < v.length; k += 3) {
      const el = S.els[v[k]];
      if (valueOf(el) !== v[k + 1] || (el.checked === true) !== v[k + 2])
        return stale;
    }
    /* the walk is the one that met the roots: spare the selector checks
     * (guessDone()) their scan, as a collection does */
    if (!S.truncated) P.knownRoots(S.roots);
    const ms = typeof wait === 'number' ? Math.min(wait, 1000) : 0;
    const r = P.readyCheck(S.els[i], String(kind), ms);
    if (!r) return { ok: false };
    if (typeof r.then !== 'function') return guessDone(r, i);
    return r.then(function (a) {
      return a ? guessDone(a, i) : { ok: false };
    });
  };

  P.collect = function (opts) {
    opts = opts || {};
    const t0 = performance.now();
    const max = opts.max || 5000;
    const mir = opts.mirror && typeof opts.mirror === 'object' ?
      opts.mirror : null;
    let probes = null;
    if (Array.isArray(opts.probes) && opts.probes.length) {
      probes = [];
      for (let i = 0; i < opts.probes.length; i++) {
        const p = fold(String(opts.probes[i]));
        if (!p) { probes = null; break; }     /* "" matches everything */
        probes.push(p);
      }
    }
    const tcap = opts.text || 200;
    P.begin();
    const reuse = reuseLevel(max, tcap);
    try {
      if (reuse === 0) {
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
      const tWalk = performance.now();
      /* the walk met every root P.roots() would scan for: spare the
       * selector checks below (guessReady()) that scan */
      if (!S.truncated) P.knownRoots(S.roots);
      const els = S.els, n = els.length;
      if (reuse < 2) {
        layoutDirty = false;
        stateSeen = false;
        builtAt = tWalk;
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
      if (S.renear.length) markRenear();
      S.hotEp = (S.hotEp + 1) & 0x1fffffff;     /* a small integer */
      /* what gets a record: every candidate, or with probes only those
       * whose texts can match one (own texts, else near text where its
       * sources hold a probe), the controls they stand for, and so on */
      const emit = new Uint8Array(n);
      if (!probes) {
        for (let i = 0; i < n; i++)
          if (cand(i)) {
            emit[i] = 1;
            markUses(i);
          }
      } else {
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
      }
      const tKeep = performance.now();
      const modals = [];
      const docs = new Set();
      for (let i = 0; i < n; i++) if (emit[i]) docs.add(els[i].ownerDocument);
      docs.forEach(function (d) {
        const m = modalRoots(d);
        for (let i = 0; i < m.length; i++) modals.push(m[i]);
      });
      const memo = { len: new Map(), scroll: new Map() };
      if (mir) mirrorStart(mir);
      const sbase = mir ? S.mstrs.length : 0;
      const strs = mir ? S.mstrs : [], sidx = mir ? S.msidx : new Map();
      const str = function (s) {
        let k = sidx.get(s);
        if (k === undefined) {
          k = strs.length;
          strs.push(s);
          sidx.set(s, k);
        }
        return k;
      };
      /* ids: in a full collection, positions among the candidates (text
       * elements that turned out hidden are dropped): 0..n-1; pruned or
       * mirrored, positions in the walk (P.cands then holds elements that
       * are no candidates, never referred to) */
      const id = new Int32Array(n);
      let cands = els;
      if (!probes && !mir) {
        cands = [];
        for (let i = 0; i < n; i++) {
          id[i] = cands.length;
          if (cand(i)) cands.push(els[i]);
        }
      } else {
        for (let i = 0; i < n; i++) id[i] = i;
      }
      /* A mirrored record is kept whole with the layout level and string
       * table. Every mutation but a text edit drops that level; a text
       * edit forgets the records that may hold its text (forgetK(),
       * forgetNear()), and a kept record made before it is checked
       * against its box and container text, which the edit may have
       * moved or changed. Its value and checked state, which typing, a
       * click or a script change without a mutation, its label marks
       * and the modal count are compared on every call. */
      const boxes = opts.boxes !== false;
      const recKey = builtAt + ':' + boxes;
      if (mir && (reuse < 2 || S.recKey !== recKey)) {
        S.rec = [];
        S.edAt = new Map();
      }
      const out = [];
      for (let i = 0; i < n; i++) {
        if (!emit[i]) continue;
        if (!mir) {
          out.push(record(i, id, modals, memo, str, boxes));
          continue;
        }
        const el = els[i], v = valueOf(el), ck = el.checked === true;
        /* S.rec[i]: the record made, with what it was made from: the
         * live values, the edit epoch, its box and container text */
        let k = S.rec[i];
        if (k && (k.v !== v || k.ck !== ck || k.lab !== S.lab[i] ||
                  k.fk !== S.forK[i] || k.nm !== modals.length))
          k = undefined;
        /* text edited since it was made: it stands if its box and
         * container text do (what else it holds was forgotten) */
        if (k && k.ep !== S.ep) {
          if ((boxes ? boxPart(el, memo) : '') === k.box &&
              (!ctxEdited(i, k.ep) || ctxOf(i, memo) === k.ctx))
            k.ep = S.ep;
          else k = undefined;
        }
        if (!k) {
          k = { r: '', v: v, ck: ck, lab: S.lab[i], fk: S.forK[i],
            nm: modals.length, ep: S.ep, box: '', ctx: '' };
          k.r = record(i, id, modals, memo, str, boxes, v, k);
          S.rec[i] = k;
        }
        const r = k.r;
        if (S.sent[i] === r) {
          out.push(i);            /* mirrored ids are walk positions */
        } else {
          S.sent[i] = r;
          out.push(r);
        }
      }
      const recs = out.join(',');   /* the records are JSON already */
      const tRec = performance.now();
      P.cands = cands;
      const g = opts.guess && typeof opts.guess === 'object' ?
        opts.guess : null;
      const pick = g ? guessPick(g, emit) : -1;
      const guess = pick >= 0 ? guessCheck(g, pick, id) : null;
      const later = !!guess && typeof guess.then === 'function';
      const doc = { v: 1, url: String(location.href), title: document.title,
        n: out.length, walked: S.walked, truncated: S.truncated,
        ms: Math.round((performance.now() - t0) * 10) / 10, reuse: reuse };
      if (guess && !later) doc.guess = guess;
      if (opts.ahead && (probes || mir)) doc.ahead = aheadKeep(emit);
      if (probes) doc.pruned = true;
      if (modals.length) doc.dialog = true;
      if (mir) {
        S.recKey = recKey;
        doc.gen = S.gen;
        doc.seq = ++S.mseq;
        doc.sbase = sbase;
      }
      if (opts.profile)
        doc.prof = { walk: tWalk - t0, keep: tKeep - tWalk,
          records: tRec - tKeep, guess: performance.now() - tRec,
          reuse: reuse };
      /* "strs" and "cands" go last, as text: the table by hand, since a
       * page's Array.prototype.toJSON (Prototype.js) would turn an array
       * into whatever it returns (a string is never asked) */
      let st = '';
      for (let i = mir ? sbase : 0; i < strs.length; i++)
        st += (st ? ',' : '') + JSON.stringify(strs[i]);
      const text = function () {
        const head = JSON.stringify(doc);
        return head.slice(0, -1) + ',"strs":[' + st + '],"cands":[' +
          recs + ']}';
      };
      if (!later) return text();
      /* a kind that spans frames: the answer waits for the guess (the
       * records are made; what they hold is as of now) */
      return guess.then(function (r) {
        if (r) doc.guess = r;
        return text();
      }, function () {
        return text();
      });
    } catch (e) {
      S = null;           /* half built: start over next time */
      domDirty = true;
      throw e;
    }
  };
}
