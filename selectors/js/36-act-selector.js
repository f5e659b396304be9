  /* ---- 36-act-selector.js: selectors (30-act.js's block) --------------- */
  /* near: P.nearWords(), which the controller turns into the "fit" words
   * it stores (the intent's words among them). */
  P.fingerprint = function (h) {
    const el = P.el(h);
    if (!el) return null;
    const text = P.text(el);
    return { tag: el.localName, role: P.role(el), name: P.name(el),
      id: el.id || '', testid: el.getAttribute('data-testid') || '',
      nameAttr: el.getAttribute('name') || '',
      type: el.localName === 'input' ? (el.type || 'text') : '',
      text: text.length > 80 ? text.slice(0, 80) : text,
      near: P.nearWords(el) };
  };

  /* Ids that look generated (framework counters, hashes) are not used. */
  function generatedId(id) {
    return /\d{5,}/.test(id) || /^:.*:$/.test(id) || /^\d/.test(id) ||
      /^(ember|ext-gen|yui_|mui-|headlessui-|radix-|react-select-|__)/i.test(id) ||
      (/[0-9a-f]{8,}/i.test(id) && /\d/.test(id) && /[a-f]/i.test(id)) ||
      /[\s"'\\]/.test(id);
  }
  P.generatedId = generatedId;
  function quoteName(s) {
    return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
  }
  function onlyMatch(spec, el) {
    try {
      const m = P.query(spec);
      return m.length === 1 && m[0] === el;
    } catch (e) {
      return false;
    }
  }
  function cssPart(el) {
    const tag = el.localName;
    let k = 1, same = 0;
    const p = el.parentNode;
    if (p) {
      for (let s = p.firstElementChild; s; s = s.nextElementSibling) {
        if (s.localName !== tag) continue;
        same++;
        if (s === el) k = same;
      }
    }
    const t = /^[a-z][a-z0-9-]*$/.test(tag) ? tag : CSS.escape(tag);
    return same > 1 ? t + ':nth-of-type(' + k + ')' : t;
  }
  /* EL found from its label-like text (nwLabelNode()): the first element
   * of its tag after that text (before it, for a checkbox or radio whose
   * text follows it), as XPath, which stays right when fields or rows
   * move: //td[normalize-space()="Email:"]/following::input[1], or
   * id("signup")//td[…]/… inside an element with an id. null when there
   * is no such text, it is long, or it holds both quotes. */
  function nearXpath(el) {
    const t = el.localName;
    if (!/^[a-z][a-z0-9]*$/.test(t) || el.getRootNode() !== el.ownerDocument)
      return null;
    const ty = t === 'input' ? (el.getAttribute('type') || '').toLowerCase()
      : '';
    const box = ty === 'checkbox' || ty === 'radio';
    let n = box ? nwLabelNode(el, true) : null;
    const after = !!n;
    if (!n) n = nwLabelNode(el, false);
    if (!n) return null;
    const s = n.textContent.replace(/[ \t\r\n]+/g, ' ').trim();
    if (!s || s.length > 80 || (n.nodeType === 1 &&
        !/^[a-z][a-z0-9]*$/.test(n.localName)))
      return null;
    const lit = s.indexOf('"') < 0 ? '"' + s + '"' :
      s.indexOf("'") < 0 ? "'" + s + "'" : null;
    if (!lit) return null;
    /* within the nearest ancestor of both with a usable id: id() is a
     * lookup, and the text test then runs over that part of the page
     * only (over a whole 3,000-element page it takes a few ms) */
    let scope = '/';
    for (let a = P.parentEl(el); a; a = P.parentEl(a)) {
      if (a.id && !generatedId(a.id) && a.contains(n) &&
          a.ownerDocument.getElementById(a.id) === a) {
        scope = 'id("' + a.id + '")/';
        break;
      }
    }
    return scope + '/' + (n.nodeType === 3 ? 'text()' : n.localName) +
      '[normalize-space()=' + lit + ']/' +
      (after ? 'preceding' : 'following') + '::' + t + '[1]';
  }
  /* A unique selector for the element, verified with P.query, in this
   * order: css=#id (unique, not generated-looking), testid=,
   * css=tag[name="..."], css=tag[aria-label="..."], css=a[href="..."],
   * role=ROLE[name="..."], label=..., text=..., the element found from
   * its label-like text (xpath=, nearXpath()), then a css path of
   * tag:nth-of-type steps from the nearest ancestor with a usable id (or
   * the root of its document / shadow tree): positions only when nothing
   * the page shows or names will do. The css engine searches shadow roots
   * and frames, so the result works for elements there too as long as it
   * is unique page-wide. null when nothing unique was found. */
  P.selectorFor = function (h) {
    return selectorOf(P.el(h));
  };
  function selectorOf(el) {
    if (!el || !el.isConnected) return null;
    const id = el.id;
    if (id && !generatedId(id) &&
        onlyMatch({ s: 'css', v: '#' + CSS.escape(id) }, el))
      return 'css=#' + CSS.escape(id);
    const tid = el.getAttribute('data-testid');
    if (tid && onlyMatch({ s: 'testid', v: tid }, el)) return 'testid=' + tid;
    const nm = el.getAttribute('name');
    if (nm) {
      const v = el.localName + '[name=' + P.cssStr(nm) + ']';
      if (onlyMatch({ s: 'css', v: v }, el)) return 'css=' + v;
    }
    const role = P.role(el);
    const an = role ? P.name(el) : '';
    /* a name that is the aria-label: the same words, matched by CSS
     * (much cheaper for the next run than computing every name) */
    const al = el.getAttribute('aria-label');
    if (role && an && al && P.norm(al) === an) {
      const v = el.localName + '[aria-label=' + P.cssStr(al) + ']';
      if (onlyMatch({ s: 'css', v: v }, el)) return 'css=' + v;
    }
    /* a link's own address, when short, plain and unique: as stable as
     * its words, and as cheap as an id */
    const href = el.localName === 'a' ? el.getAttribute('href') : null;
    if (role === 'link' && href && href.length <= 120 &&
        !/[?;]|^javascript:/i.test(href)) {
      const v = 'a[href=' + P.cssStr(href) + ']';
      if (onlyMatch({ s: 'css', v: v }, el)) return 'css=' + v;
    }
    if (role && an && onlyMatch({ s: 'role', role: role, name: an,
      exact: true }, el))
      return 'role=' + role + '[name=' + quoteName(an) + ']';
    const labs = P.labelTexts(el);
    for (let i = 0; i < labs.length; i++)
      if (onlyMatch({ s: 'label', v: labs[i] }, el)) return 'label=' + labs[i];
    const txt = P.elementText(el);
    if (txt && txt.length <= 80 && onlyMatch({ s: 'text', v: txt }, el))
      return 'text=' + txt;
    const nx = nearXpath(el);
    if (nx && onlyMatch({ s: 'xpath', v: nx }, el)) return 'xpath=' + nx;
    // structural path
    let path = '';
    for (let e = el; e; e = e.parentElement) {
      const eid = e.id;
      if (e !== el && eid && !generatedId(eid) &&
          onlyMatch({ s: 'css', v: '#' + CSS.escape(eid) }, e)) {
        const v = '#' + CSS.escape(eid) + ' > ' + path;
        if (onlyMatch({ s: 'css', v: v }, el)) return 'css=' + v;
      }
      path = path ? cssPart(e) + ' > ' + path : cssPart(e);
      if (onlyMatch({ s: 'css', v: path }, el)) return 'css=' + path;
    }
    return null;
  }
  /* For each collected candidate P.cands[ID] of IDS, a target a person
   * can paste into a task to pick it, checked here to match that element
   * only, or null: by what the page shows first (role and name, label,
   * test id, id), then selectorOf()'s selector when it is short. These
   * are the choices an uncertain step lists (docs/TARGETS.md "When a
   * target is uncertain"). */
  P.pasteTargets = function (ids) {
    P.begin();
    const out = [];
    for (let i = 0; i < ids.length; i++) {
      const el = ids[i] >= 0 && P.cands ? P.cands[ids[i]] : null;
      out.push(el && el.isConnected ? pasteTarget(el) : null);
    }
    return out;
  };
  function pasteTarget(el) {
    const role = P.role(el);
    const an = role ? P.name(el) : '';
    if (role && an && an.length <= 80 && onlyMatch({ s: 'role', role: role,
      name: an, exact: true }, el))
      return 'role=' + role + '[name=' + quoteName(an) + ']';
    const labs = P.labelTexts(el);
    for (let i = 0; i < labs.length; i++)
      if (labs[i].length <= 80 && onlyMatch({ s: 'label', v: labs[i] }, el))
        return 'label=' + labs[i];
    const tid = el.getAttribute('data-testid');
    if (tid && onlyMatch({ s: 'testid', v: tid }, el)) return 'testid=' + tid;
    const id = el.id;
    if (id && !generatedId(id) &&
        onlyMatch({ s: 'css', v: '#' + CSS.escape(id) }, el))
      return 'css=#' + CSS.escape(id);
    const s = selectorOf(el);
    return s && s.length <= 120 ? s : null;
  }
