  /* ---- 56-collect-record.js: records (50-collect.js's block) ----------- */
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

  /* The records of call C's emitted candidates, joined (C.recs, C.n of
   * them), with the string table they refer to (C.strs, new from
   * C.sbase on), their ids (C.id), the elements P.cands is to hold
   * (C.cands) and the open modal dialogs (C.modals). */
  function records(c) {
    const els = S.els, n = els.length, emit = c.emit, mir = c.mir;
    const modals = c.modals = modalsOf(emit);
    const memo = { len: new Map(), scroll: new Map() };
    if (mir) mirrorStart(mir);
    c.sbase = mir ? S.mstrs.length : 0;
    const strs = c.strs = mir ? S.mstrs : [];
    const sidx = mir ? S.msidx : new Map();
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
    const id = c.id = new Int32Array(n);
    let cands = els;
    if (!c.probes && !mir) {
      cands = [];
      for (let i = 0; i < n; i++) {
        id[i] = cands.length;
        if (cand(i)) cands.push(els[i]);
      }
    } else {
      for (let i = 0; i < n; i++) id[i] = i;
    }
    c.cands = cands;
    /* records kept for the mirror hold the layout level's texts and the
     * box setting they were made with (mirrored()) */
    const boxes = c.opts.boxes !== false;
    const recKey = c.recKey = builtAt + ':' + boxes;
    if (mir && (c.reuse < 2 || S.recKey !== recKey)) {
      S.rec = [];
      S.edAt = new Map();
    }
    const out = [];
    for (let i = 0; i < n; i++) {
      if (!emit[i]) continue;
      out.push(mir ? mirrored(i, id, modals, memo, str, boxes) :
        record(i, id, modals, memo, str, boxes));
    }
    c.n = out.length;
    c.recs = out.join(',');   /* the records are JSON already */
  }
