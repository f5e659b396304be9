  /* ---- 10-aria.js: roles, accessible names, visibility, text, walking ----
   * Roles follow HTML-AAM / WAI-ARIA 1.2 the way Playwright computes them;
   * names follow accname 1.2 (Playwright's reading of it). Everything here
   * works on elements of any same-origin frame: no instanceof checks, and
   * styles come from the element's own window.
   *
   * Caching: results are memoised in a per-"batch" cache that lives for one
   * synchronous run of page script (it is dropped in a microtask), so a
   * top-level call such as P.query() computes each name once and nothing is
   * ever stale across CDP round trips or awaits. P.begin() drops it early.
   * Each file is one block (or a group of files is: 30-act.js and
   * 50-collect.js say which), so its helpers cannot collide with other
   * files' top-level names; what is shared goes through P. */
{
  let C = null;
  function cache() {
    if (C === null) {
      C = { name: new Map(), hid: new Map(), ahid: new Map(), st: new Map(),
            role: new Map(), txt: new Map(), roots: null };
      queueMicrotask(function () { C = null; });
    }
    return C;
  }
  P.begin = function () { C = null; };
  P._cache = cache;

  /* Playwright's normalizeWhiteSpace: zero-width spaces removed, runs of
   * white space (incl. NBSP) collapsed to one space, trimmed. */
  const norm = P.norm = function (s) {
    if (s == null) return '';
    return String(s).replace(/\u200b/g, '').trim().replace(/\s+/g, ' ');
  };

  function style(el, pseudo) {
    const c = cache();
    const k = pseudo ? null : el;
    if (k && c.st.has(k)) return c.st.get(k);
    const w = el.ownerDocument && el.ownerDocument.defaultView;
    const s = w ? w.getComputedStyle(el, pseudo || null) : null;
    if (k) c.st.set(k, s);
    return s;
  }
  P.style = style;

  function isEl(n) { return !!n && n.nodeType === 1; }
  /* Parent across shadow boundaries (a shadow root's parent is its host). */
  function parentEl(el) {
    const p = el.parentNode;
    if (!p) return null;
    if (p.nodeType === 11) return p.host || null;
    return p.nodeType === 1 ? p : null;
  }
  P.parentEl = parentEl;
  function closestX(el, sel) {
    let e = el;
    while (e) {
      const f = e.closest(sel);
      if (f) return f;
      const r = e.getRootNode();
      e = r && r.host ? r.host : null;
    }
    return null;
  }
  P.closestX = closestX;
  /* Whether A contains B, looking through shadow roots (not frames). */
  function containsX(a, b) {
    for (let e = b; e; e = parentEl(e)) if (e === a) return true;
    return false;
  }
  P.containsX = containsX;

  /* ---- roles ---------------------------------------------------------- */
  const VALID_ROLES = new Set(('alert alertdialog application article banner ' +
    'blockquote button caption cell checkbox code columnheader combobox ' +
    'complementary contentinfo definition deletion dialog directory document ' +
    'emphasis feed figure form generic grid gridcell group heading img ' +
    'insertion link list listbox listitem log main mark marquee math meter ' +
    'menu menubar menuitem menuitemcheckbox menuitemradio navigation none ' +
    'note option paragraph presentation progressbar radio radiogroup region ' +
    'row rowgroup rowheader scrollbar search searchbox separator slider ' +
    'spinbutton status strong subscript superscript switch tab table tablist ' +
    'tabpanel term textbox time timer toolbar tooltip tree treegrid treeitem')
    .split(' '));
  P.VALID_ROLES = VALID_ROLES;
  const GLOBAL_ARIA = ['aria-atomic', 'aria-busy', 'aria-controls',
    'aria-current', 'aria-describedby', 'aria-details', 'aria-dropeffect',
    'aria-flowto', 'aria-grabbed', 'aria-hidden', 'aria-keyshortcuts',
    'aria-label', 'aria-labelledby', 'aria-live', 'aria-owns',
    'aria-relevant', 'aria-roledescription'];
  function hasGlobalAria(el) {
    for (let i = 0; i < GLOBAL_ARIA.length; i++)
      if (el.hasAttribute(GLOBAL_ARIA[i])) return true;
    return false;
  }
  function focusable(el) {
    if (el.hasAttribute('tabindex')) return true;
    switch (el.localName) {
    case 'a': case 'area': return el.hasAttribute('href');
    case 'button': case 'input': case 'select': case 'textarea':
      return !el.disabled;
    }
    return el.isContentEditable === true;
  }
  const NO_LANDMARK = 'article:not([role]),aside:not([role]),main:not([role]),' +
    'nav:not([role]),section:not([role]),[role=article],[role=complementary],' +
    '[role=main],[role=navigation],[role=region]';
  function named(el) {
    return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
  }
  const INPUT_ROLE = { button: 'button', submit: 'button', reset: 'button',
    image: 'button', file: 'button', checkbox: 'checkbox', radio: 'radio',
    range: 'slider', number: 'spinbutton' };
  const SIMPLE_ROLE = { article: 'article', aside: 'complementary',
    blockquote: 'blockquote', button: 'button', caption: 'caption',
    code: 'code', datalist: 'listbox', dd: 'definition', del: 'deletion',
    s: 'deletion', details: 'group', dfn: 'term', dialog: 'dialog',
    dt: 'term', em: 'emphasis', fieldset: 'group', figure: 'figure',
    h1: 'heading', h2: 'heading', h3: 'heading', h4: 'heading',
    h5: 'heading', h6: 'heading', hr: 'separator', html: 'document',
    ins: 'insertion', li: 'listitem', main: 'main', mark: 'mark',
    math: 'math', menu: 'list', meter: 'meter', nav: 'navigation',
    ol: 'list', optgroup: 'group', option: 'option', output: 'status',
    p: 'paragraph', progress: 'progressbar', search: 'search',
    strong: 'strong', sub: 'subscript', sup: 'superscript', svg: 'img',
    table: 'table', tbody: 'rowgroup', textarea: 'textbox',
    tfoot: 'rowgroup', thead: 'rowgroup', time: 'time', tr: 'row',
    ul: 'list', address: 'group', hgroup: 'group' };

  function explicitRole(el) {
    const r = el.getAttribute('role');
    if (!r) return '';
    const toks = r.trim().toLowerCase().split(/\s+/);
    for (let i = 0; i < toks.length; i++)
      if (VALID_ROLES.has(toks[i])) return toks[i];
    return '';
  }
  function tableRole(el) {
    const t = closestX(el, 'table');
    const r = t ? explicitRole(t) : '';
    return r === 'grid' || r === 'treegrid';
  }
  function implicitRole(el) {
    const t = el.localName;
    const s = SIMPLE_ROLE[t];
    if (s) return s;
    switch (t) {
    case 'a': case 'area': return el.hasAttribute('href') ? 'link' : '';
    case 'header': case 'footer': {
      const p = parentEl(el);
      if (p && closestX(p, NO_LANDMARK)) return '';
      return t === 'header' ? 'banner' : 'contentinfo';
    }
    case 'form': return named(el) ? 'form' : '';
    case 'section': return named(el) ? 'region' : '';
    case 'img':
      if (el.getAttribute('alt') === '' && !el.getAttribute('title') &&
          !hasGlobalAria(el) && !el.hasAttribute('tabindex'))
        return 'presentation';
      return 'img';
    case 'input': {
      const ty = (el.getAttribute('type') || '').toLowerCase();
      if (ty === 'hidden') return '';
      const r = INPUT_ROLE[ty];
      if (r) return r;
      const list = el.getAttribute('list');
      const dl = list ? el.ownerDocument.getElementById(list) : null;
      const hasList = !!dl && dl.localName === 'datalist';
      if (ty === 'search') return hasList ? 'combobox' : 'searchbox';
      if (hasList && (ty === '' || ty === 'text' || ty === 'email' ||
                      ty === 'tel' || ty === 'url'))
        return 'combobox';
      return 'textbox';
    }
    case 'select':
      return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
    case 'td': return tableRole(el) ? 'gridcell' : 'cell';
    case 'th': {
      if (tableRole(el)) return 'gridcell';
      const sc = (el.getAttribute('scope') || '').toLowerCase();
      if (sc === 'row' || sc === 'rowgroup') return 'rowheader';
      if (sc === 'col' || sc === 'colgroup') return 'columnheader';
      const tr = el.parentElement;
      if (tr && tr.localName === 'tr' && !(tr.parentElement &&
          tr.parentElement.localName === 'thead') &&
          tr.firstElementChild === el && tr.querySelector(':scope > td'))
        return 'rowheader';
      return 'columnheader';
    }
    }
    return '';
  }
  /* Explicit role (first valid token) unless it is none/presentation on a
   * focusable element or one with global ARIA attributes (presentational
   * role conflict resolution); otherwise the implicit role; '' when none. */
  P.role = function (el) {
    const c = cache();
    let r = c.role.get(el);
    if (r !== undefined) return r;
    r = explicitRole(el);
    if ((r === 'none' || r === 'presentation') &&
        (focusable(el) || hasGlobalAria(el)))
      r = '';
    if (!r) r = implicitRole(el);
    c.role.set(el, r);
    return r;
  };
  P.implicitRole = implicitRole;

  /* CSS that matches every element that might have ROLE (a prefilter for
   * the role engine); '[role]' covers explicit roles. */
  const ROLE_SEL = {
    button: 'button,input,summary', link: 'a[href],area[href]',
    textbox: 'input,textarea', searchbox: 'input', combobox: 'input,select',
    spinbutton: 'input', slider: 'input', checkbox: 'input', radio: 'input',
    listbox: 'select,datalist', heading: 'h1,h2,h3,h4,h5,h6',
    img: 'img,svg', presentation: 'img', none: '',
    list: 'ul,ol,menu', listitem: 'li', navigation: 'nav', main: 'main',
    banner: 'header', contentinfo: 'footer', complementary: 'aside',
    form: 'form', region: 'section', table: 'table', row: 'tr',
    cell: 'td', gridcell: 'td,th', columnheader: 'th', rowheader: 'th',
    rowgroup: 'thead,tbody,tfoot', dialog: 'dialog',
    group: 'details,fieldset,optgroup,address,hgroup', option: 'option',
    progressbar: 'progress', meter: 'meter', separator: 'hr',
    article: 'article', paragraph: 'p', document: 'html',
    figure: 'figure', status: 'output', blockquote: 'blockquote',
    caption: 'caption', code: 'code', definition: 'dd', term: 'dt,dfn',
    deletion: 'del,s', insertion: 'ins', emphasis: 'em', strong: 'strong',
    mark: 'mark', math: 'math', subscript: 'sub', superscript: 'sup',
    time: 'time', search: 'search' };
  P.roleSelector = function (role) {
    const s = ROLE_SEL[role];
    return s ? s + ',[role]' : '[role]';
  };

  /* ---- hidden / visible ----------------------------------------------- */
  const SKIP_TAGS = { script: 1, style: 1, noscript: 1, template: 1 };
  function ariaHiddenUp(el) {
    const c = cache().ahid;
    let r = c.get(el);
    if (r !== undefined) return r;
    if (el.getAttribute('aria-hidden') === 'true') r = true;
    else {
      const p = parentEl(el);
      r = p ? ariaHiddenUp(p) : false;
    }
    c.set(el, r);
    return r;
  }
  function checkVis(el) {
    return el.checkVisibility ? el.checkVisibility({ visibilityProperty: true })
      : (el.getClientRects().length > 0 &&
         style(el).visibility === 'visible');
  }
  /* Hidden from the accessibility tree: script/style/..., aria-hidden on it
   * or an ancestor, not rendered (display:none here or above), or
   * visibility:hidden. <option> follows its <select>. display:contents
   * elements are hidden only when none of their children are rendered. */
  function hiddenAria(el) {
    const c = cache().hid;
    let r = c.get(el);
    if (r !== undefined) return r;
    const t = el.localName;
    if (SKIP_TAGS[t]) r = true;
    else if (ariaHiddenUp(el)) r = true;
    else if (t === 'option' || t === 'optgroup') {
      const sel = el.closest('select,datalist');
      r = sel ? hiddenAria(sel) : !checkVis(el);
    } else if (t === 'slot' || t === 'area') r = false;
    else if (!checkVis(el)) {
      r = true;
      const st = style(el);
      if (st && st.display === 'contents') {
        for (let ch = el.firstElementChild; ch; ch = ch.nextElementSibling)
          if (!hiddenAria(ch)) { r = false; break; }
      }
    } else r = false;
    c.set(el, r);
    return r;
  }
  P.isHidden = hiddenAria;

  /* Visible for actionability, as Playwright: rendered (no display:none on
   * it or above, not visibility:hidden/collapse) and a non-empty bounding
   * box. opacity:0 counts as VISIBLE (Playwright does the same; such
   * elements still receive clicks). */
  P.isVisible = function (el) {
    if (!el || !el.isConnected) return false;
    const st = style(el);
    if (st && st.display === 'contents') {
      for (let ch = el.firstElementChild; ch; ch = ch.nextElementSibling)
        if (P.isVisible(ch)) return true;
      return false;
    }
    if (!checkVis(el)) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };

  /* Visible text: innerText (which follows CSS), collapsed and trimmed. */
  P.text = function (el) {
    if (!el) return '';
    const t = el.innerText;
    return norm(t == null ? el.textContent : t);
  };

  /* ---- accessible names ----------------------------------------------- */
  function idrefs(el, attr) {
    const v = el.getAttribute(attr);
    if (!v) return [];
    const root = el.getRootNode();
    const out = [];
    const ids = v.split(/\s+/);
    for (let i = 0; i < ids.length; i++) {
      if (!ids[i]) continue;
      const r = root.getElementById ? root.getElementById(ids[i])
        : el.ownerDocument.getElementById(ids[i]);
      if (r && out.indexOf(r) < 0) out.push(r);
    }
    return out;
  }
  P.idrefs = idrefs;

  const NAME_FROM_CONTENT = new Set(['button', 'cell', 'checkbox',
    'columnheader', 'gridcell', 'heading', 'link', 'menuitem',
    'menuitemcheckbox', 'menuitemradio', 'option', 'radio', 'row',
    'rowheader', 'switch', 'tab', 'tooltip', 'treeitem']);
  const NAME_FROM_CONTENT_DESC = new Set(['', 'caption', 'code',
    'contentinfo', 'definition', 'deletion', 'emphasis', 'generic',
    'insertion', 'list', 'listitem', 'mark', 'none', 'paragraph',
    'presentation', 'region', 'row', 'rowgroup', 'section', 'strong',
    'subscript', 'superscript', 'table', 'term', 'time']);
  const PROHIBITS_NAMING = new Set(['caption', 'code', 'definition',
    'deletion', 'emphasis', 'generic', 'insertion', 'mark', 'paragraph',
    'presentation', 'none', 'strong', 'subscript', 'superscript', 'term',
    'time']);
  const RANGE_ROLES = { progressbar: 1, scrollbar: 1, slider: 1,
    spinbutton: 1, meter: 1 };

  /* CSS generated content of ::before/::after (quoted strings; the
   * alternative text after " / " when given). */
  function pseudoText(el, which) {
    const st = style(el, which);
    if (!st || st.display === 'none') return '';
    const ct = st.content;
    if (!ct || ct === 'none' || ct === 'normal') return '';
    let s = ct, alt = null;
    const slash = s.match(/^(.*?)\s\/\s*("(?:[^"\\]|\\.)*")\s*$/);
    if (slash) { s = slash[1]; alt = slash[2]; }
    const take = function (x) {
      let out = '';
      const re = /"((?:[^"\\]|\\.)*)"/g;
      let m;
      while ((m = re.exec(x)) !== null) out += m[1].replace(/\\(.)/g, '$1');
      return out;
    };
    const txt = alt !== null ? take(alt) : take(s);
    if (!txt) return '';
    return st.display === 'inline' ? txt : ' ' + txt + ' ';
  }

  function childNodesFor(el) {
    if (el.localName === 'slot') {
      const a = el.assignedNodes();
      if (a.length) return a;
    }
    if (el.shadowRoot) return el.shadowRoot.childNodes;
    return el.childNodes;
  }

  function controlValue(el, role) {
    if (role === 'textbox') {
      const t = el.localName;
      return (t === 'input' || t === 'textarea') ? el.value : el.textContent;
    }
    if (role === 'combobox' || role === 'listbox') {
      if (el.localName === 'select')
        return Array.prototype.map.call(el.selectedOptions,
          function (o) { return alt(o, { visited: new Set(),
            inNative: true }); }).join(' ');
      if (el.localName === 'input') return el.value;
      const sel = el.querySelectorAll('[aria-selected="true"]');
      return Array.prototype.map.call(sel, function (o) {
        return alt(o, { visited: new Set(), inNative: true });
      }).join(' ');
    }
    if (RANGE_ROLES[role]) {
      if (el.hasAttribute('aria-valuetext'))
        return el.getAttribute('aria-valuetext');
      if (el.hasAttribute('aria-valuenow'))
        return el.getAttribute('aria-valuenow');
      return el.getAttribute('value') || (el.value != null ? String(el.value) : '');
    }
    return null;
  }

  function labelsOf(el) {
    const L = el.labels;
    return L ? Array.prototype.slice.call(L) : [];
  }
  function fromLabels(labels, o) {
    const out = [];
    for (let i = 0; i < labels.length; i++) {
      const t = alt(labels[i], { visited: o.visited, inLabel: true,
        lbHidden: true, target: o.target });
      if (norm(t)) out.push(t);
    }
    return out.join(' ');
  }

  /* The text alternative computation (accname 1.2, section 4.3.2).
   * long-ok: one branch per step of the spec, in the spec's order.
   * o: {visited:Set, target, inLabelledBy, lbHidden, inLabel, inNative,
   *     inTarget: 'self'|'descendant'|undefined} */
  function alt(el, o) {
    if (o.visited.has(el)) return '';
    // 2A: hidden, unless reached through aria-labelledby / a label.
    if (!o.lbHidden && hiddenAria(el)) { o.visited.add(el); return ''; }
    // 2B: aria-labelledby (not followed when already inside one).
    if (!o.inLabelledBy) {
      const refs = idrefs(el, 'aria-labelledby');
      if (refs.length) {
        const parts = [];
        for (let i = 0; i < refs.length; i++) {
          const t = alt(refs[i], { visited: o.visited, target: o.target,
            inLabelledBy: true, lbHidden: hiddenAria(refs[i]) });
          if (t) parts.push(t);
        }
        const s = parts.join(' ');
        if (norm(s)) { o.visited.add(el); return s; }
      }
    }
    const role = P.role(el);
    const t = el.localName;
    // 2C/2E: a control embedded in a label or labelledby text gives its
    // value, unless it is the very element being named.
    if ((o.inLabel || o.inLabelledBy) && el !== o.target) {
      const v = controlValue(el, role);
      if (v !== null) { o.visited.add(el); return v; }
    }
    // 2D: aria-label.
    const al = el.getAttribute('aria-label');
    if (al && norm(al)) { o.visited.add(el); return al; }
    // 2D: native text alternatives.
    if (role !== 'presentation' && role !== 'none') {
      if (t === 'input') {
        const ty = (el.getAttribute('type') || '').toLowerCase();
        if (ty === 'button' || ty === 'submit' || ty === 'reset') {
          o.visited.add(el);
          if (norm(el.value)) return el.value;
          if (ty === 'submit') return 'Submit';
          if (ty === 'reset') return 'Reset';
          return el.getAttribute('title') || '';
        }
        if (ty === 'image') {
          o.visited.add(el);
          const lab = o.inLabelledBy ? '' : fromLabels(labelsOf(el), o);
          if (norm(lab)) return lab;
          const a = el.getAttribute('alt') || '';
          if (norm(a)) return a;
          return el.getAttribute('title') || 'Submit';
        }
      }
      if (t === 'input' || t === 'textarea' || t === 'select') {
        o.visited.add(el);
        const labels = labelsOf(el);
        if (labels.length && !o.inLabelledBy) {
          const lab = fromLabels(labels, o);
          if (norm(lab)) return lab;
        }
        const ty = t === 'input' ? (el.type || 'text') : '';
        const usePh = t === 'textarea' || (t === 'input' &&
          /^(text|password|search|tel|email|url|number)$/.test(ty));
        const title = el.getAttribute('title') || '';
        if (!usePh || norm(title)) return title;
        return el.getAttribute('placeholder') || '';
      }
      if (t === 'button' || t === 'meter' || t === 'output' ||
          t === 'progress') {
        const labels = o.inLabelledBy ? [] : labelsOf(el);
        if (labels.length) {
          o.visited.add(el);
          const lab = fromLabels(labels, o);
          if (norm(lab)) return lab;
        }
      }
      if (t === 'fieldset' || t === 'figure' || t === 'table') {
        const cap = t === 'fieldset' ? 'legend' : t === 'figure' ?
          'figcaption' : 'caption';
        for (let ch = el.firstElementChild; ch; ch = ch.nextElementSibling) {
          if (ch.localName === cap) {
            o.visited.add(el);
            const s = alt(ch, { visited: o.visited, target: o.target,
              inNative: true, lbHidden: o.lbHidden });
            if (norm(s)) return s;
            break;
          }
        }
        if (t === 'table' && norm(el.getAttribute('summary')))
          return el.getAttribute('summary');
      }
      if (t === 'img' || t === 'area') {
        o.visited.add(el);
        const a = el.getAttribute('alt') || '';
        if (norm(a)) return a;
        return el.getAttribute('title') || '';
      }
      if (t === 'svg') {
        for (let ch = el.firstElementChild; ch; ch = ch.nextElementSibling) {
          if (ch.localName === 'title') {
            o.visited.add(el);
            if (norm(ch.textContent)) return ch.textContent;
            break;
          }
        }
      }
    }
    // 2F: name from content.
    const fromContent = NAME_FROM_CONTENT.has(role) ||
      (o.inTarget === 'descendant' && NAME_FROM_CONTENT_DESC.has(role)) ||
      o.inLabelledBy || o.inLabel || o.inNative;
    if (fromContent) {
      o.visited.add(el);
      const co = { visited: o.visited, target: o.target,
        inLabelledBy: o.inLabelledBy, lbHidden: o.lbHidden,
        inLabel: o.inLabel, inNative: o.inNative,
        inTarget: o.inTarget === 'self' ? 'descendant' : o.inTarget };
      let s = pseudoText(el, '::before');
      const kids = childNodesFor(el);
      for (let i = 0; i < kids.length; i++) {
        const k = kids[i];
        if (k.nodeType === 3) s += k.nodeValue;
        else if (k.nodeType === 1) {
          if (SKIP_TAGS[k.localName]) continue;
          const ks = alt(k, co);
          if (!ks && hiddenAria(k)) continue;
          const st = style(k);
          if (k.localName === 'br' || (st && st.display !== 'inline'))
            s += ' ' + ks + ' ';
          else s += ks;
        }
      }
      s += pseudoText(el, '::after');
      if (norm(s)) return s;
    }
    // 2I: tooltip.
    if (role !== 'presentation' && role !== 'none' || t === 'iframe') {
      o.visited.add(el);
      return el.getAttribute('title') || '';
    }
    o.visited.add(el);
    return '';
  }

  /* Accessible name, whitespace-collapsed; '' for hidden elements and for
   * roles that prohibit naming (paragraph, strong, generic...). */
  P.name = function (el) {
    const c = cache();
    let r = c.name.get(el);
    if (r !== undefined) return r;
    const role = P.role(el);
    if (PROHIBITS_NAMING.has(role) && !named(el)) r = '';
    else r = norm(alt(el, { visited: new Set(), target: el,
      inTarget: 'self' }));
    c.name.set(el, r);
    return r;
  };

  /* Text of the element's labels: aria-labelledby targets, <label for>,
   * wrapping <label> (the element's own value excluded). For the candidate
   * collector; joined with ' '. */
  P._labelAlt = function (label, ctl) {
    return alt(label, { visited: new Set([ctl]), target: ctl, inLabel: true,
      lbHidden: true });
  };
  P.labelText = function (el) {
    const parts = P.labelTexts(el, true);
    return parts.join(' ');
  };
  /* Each label string separately (aria-labelledby: each target and, when
   * several, their concatenation; aria-label; each native <label>). */
  P.labelTexts = function (el, noAriaLabel) {
    const out = [];
    const refs = idrefs(el, 'aria-labelledby');
    if (refs.length) {
      const all = [];
      for (let i = 0; i < refs.length; i++) {
        const s = norm(alt(refs[i], { visited: new Set([el]), target: el,
          inLabelledBy: true, lbHidden: true }));
        if (s) { out.push(s); all.push(s); }
      }
      if (all.length > 1) out.push(all.join(' '));
    }
    if (!noAriaLabel) {
      const al = norm(el.getAttribute('aria-label'));
      if (al) out.push(al);
    }
    const labels = labelsOf(el);
    for (let i = 0; i < labels.length; i++) {
      const s = norm(alt(labels[i], { visited: new Set([el]), target: el,
        inLabel: true, lbHidden: true }));
      if (s) out.push(s);
    }
    return out;
  };

  /* ---- walking -------------------------------------------------------- */
  /* Visits every element under ROOT (Document, ShadowRoot or Element, root
   * element included), descending into open shadow roots (right after
   * their host) and same-origin iframes (right after the iframe element).
   * fn(el, ctx) with ctx = {frame: n, shadow: bool}; frame 0 = ROOT's
   * document, k = the k-th same-origin frame entered. fn returning false
   * stops the walk; P.walk then returns false. onRoot(root), when given,
   * is called for ROOT and every shadow root and frame document entered. */
  P.walk = function (root, fn, onRoot) {
    const st = { frames: 0, onRoot: onRoot };
    return walkIn(root, fn, 0, false, st);
  };
  function walkIn(root, fn, frame, shadow, st) {
    const doc = root.nodeType === 9 ? root : root.ownerDocument;
    const start = root.nodeType === 9 ? root.documentElement : root;
    if (!start) return true;
    if (st.onRoot) st.onRoot(root);
    const tw = doc.createTreeWalker(root, 1 /* SHOW_ELEMENT */);
    let el = root.nodeType === 1 ? root : tw.nextNode();
    if (root.nodeType === 1) tw.currentNode = root;
    const ctx = { frame: frame, shadow: shadow };
    while (el) {
      if (fn(el, ctx) === false) return false;
      const sr = el.shadowRoot;
      if (sr && walkIn(sr, fn, frame, true, st) === false) return false;
      if (el.localName === 'iframe' || el.localName === 'frame') {
        let d = null;
        try { d = el.contentDocument; } catch (e) { d = null; }
        if (d && d.documentElement) {
          const k = ++st.frames;
          if (walkIn(d, fn, k, false, st) === false) return false;
          ctx.frame = frame; ctx.shadow = shadow;
        }
      }
      el = tw.nextNode();
    }
    return true;
  }

  /* Every root to search: the document, open shadow roots and same-origin
   * frame documents, in walk order. Cached per batch. Shadow roots are
   * found by a cheap scan for hosts; frames via their <iframe>s. */
  P.roots = function (doc) {
    const c = cache();
    if (c.roots && !doc) return c.roots;
    const out = [];
    const add = function (root) {
      out.push(root);
      const d = root.nodeType === 9 ? root : root.ownerDocument;
      const tw = d.createTreeWalker(root, 1);
      for (let e = tw.nextNode(); e; e = tw.nextNode()) {
        if (e.shadowRoot) add(e.shadowRoot);
        const ln = e.localName;
        if (ln === 'iframe' || ln === 'frame') {
          let fd = null;
          try { fd = e.contentDocument; } catch (x) { fd = null; }
          if (fd && fd.documentElement) add(fd);
        }
      }
    };
    add(doc || document);
    if (!doc) c.roots = out;
    return out;
  };
  /* For this batch, P.roots() answers ROOTS: what a full P.walk() of the
   * page met, in walk order (its onRoot calls), is the same list. */
  P.knownRoots = function (roots) { cache().roots = roots; };
}
