  /* ---- 30-act.js: waiting, actionability and page-side actions --------
   * Everything the C side calls returns JSON-serialisable values (or a
   * Promise of one): handles (P.keep) stand for elements.
   *
   * P.locate(spec, opts) / P.locateHandle(h, opts) wait, in ONE round trip,
   * until the target is ready for the step, like Playwright's
   * actionability checks. opts: {nth:-1|n (0-based), kind, timeout (ms,
   * default 5000; 0 = check once), count:bool}. kinds:
   *   attached, read      exactly one match (or the nth)
   *   visible             + visible (non-empty box, not visibility:hidden)
   *   fill                + enabled + editable (label retargets to control)
   *   select              + enabled + a <select>
   *   click, check        + enabled + scrolled into view + stable (same box
   *                         on two animation frames) + hit test at centre
   *   hover               + scrolled + stable + hit test (enabled not needed)
   *   hidden              no visible match (or the nth is gone/invisible)
   * Resolves {ok:true, h, n, x, y, w, h_, box:{x,y,w,h}, desc[, proxy]} where
   * x,y = centre of what to click in top-level viewport CSS px (proxy: the
   * handle of a visible <label> standing in for a visually hidden
   * checkbox/radio; h stays the input), or {ok:false, reason, n, desc,
   * matches:[<=5 descriptions], seen, ms}. reasons: not-found, ambiguous
   * (strict and n > 1: immediate, no waiting), hidden, disabled,
   * not-editable, wrong-element (select on a non-<select>), covered,
   * unstable, detached (a kept handle left the document), visible (kind
   * hidden timed out), bad-selector (invalid css/xpath or spec). */
{
  const norm = P.norm;
  const now = function () { return performance.now(); };

  /* ---- geometry ----------------------------------------------------- */
  /* Offset of EL's frame viewport within the top-level (this window's)
   * viewport: the chain of <iframe> content boxes. */
  function frameOffset(el) {
    let x = 0, y = 0;
    let w = el.ownerDocument.defaultView;
    while (w && w !== window) {
      let fe = null;
      try { fe = w.frameElement; } catch (e) { fe = null; }
      if (!fe) break;
      const r = fe.getBoundingClientRect();
      const st = fe.ownerDocument.defaultView.getComputedStyle(fe);
      x += r.left + fe.clientLeft + (parseFloat(st.paddingLeft) || 0);
      y += r.top + fe.clientTop + (parseFloat(st.paddingTop) || 0);
      w = fe.ownerDocument.defaultView;
    }
    return { x: x, y: y };
  }
  function box(el) {
    const r = el.getBoundingClientRect();
    const o = frameOffset(el);
    return { x: r.left + o.x, y: r.top + o.y, w: r.width, h: r.height };
  }
  P.box = box;
  function sameBox(a, b) {
    return !!a && !!b && a.x === b.x && a.y === b.y && a.w === b.w &&
      a.h === b.h;
  }
  /* The centre is inside the element's own frame viewport and inside the
   * top-level viewport. */
  function inView(el) {
    const r = el.getBoundingClientRect();
    const w = el.ownerDocument.defaultView;
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    if (cx < 0 || cy < 0 || cx >= w.innerWidth || cy >= w.innerHeight)
      return false;
    const b = box(el);
    const tx = b.x + b.w / 2, ty = b.y + b.h / 2;
    return tx >= 0 && ty >= 0 && tx < window.innerWidth &&
      ty < window.innerHeight;
  }

  /* Topmost element at top-level viewport point (x, y), descending into
   * open shadow roots and same-origin frames. */
  function hitAt(x, y) {
    let hx = x, hy = y;
    let hit = document.elementFromPoint(hx, hy);
    for (let guard = 0; hit && guard < 64; guard++) {
      if (hit.shadowRoot) {
        const inner = hit.shadowRoot.elementFromPoint(hx, hy);
        if (inner && inner !== hit) { hit = inner; continue; }
      }
      const ln = hit.localName;
      if (ln === 'iframe' || ln === 'frame') {
        let d = null;
        try { d = hit.contentDocument; } catch (e) { d = null; }
        if (d) {
          const r = hit.getBoundingClientRect();
          const st = hit.ownerDocument.defaultView.getComputedStyle(hit);
          hx -= r.left + hit.clientLeft + (parseFloat(st.paddingLeft) || 0);
          hy -= r.top + hit.clientTop + (parseFloat(st.paddingTop) || 0);
          const inner = d.elementFromPoint(hx, hy);
          if (inner) { hit = inner; continue; }
        }
      }
      break;
    }
    return hit;
  }
  P.hitAt = hitAt;
  /* Parent through shadow roots and out of same-origin frames. */
  function upDeep(n) {
    const p = P.parentEl(n);
    if (p) return p;
    if (n.ownerDocument && n === n.ownerDocument.documentElement) {
      try { return n.ownerDocument.defaultView.frameElement; } catch (e) {
        return null; }
    }
    return null;
  }
  function containsDeep(a, b) {
    for (let n = b; n; n = upDeep(n)) if (n === a) return true;
    return false;
  }
  /* The pointer at the centre of CT reaches it: the hit is CT or inside
   * it, or inside a <label> of the control T (clicking a label activates
   * its control), or CT is T's label and the hit is inside T. */
  function hitOk(ct, t, hit) {
    if (!hit) return false;
    if (containsDeep(ct, hit) || containsDeep(t, hit)) return true;
    const lab = hit.closest ? hit.closest('label') : null;
    return !!lab && lab.control === t;
  }

  /* ---- pointer guard -------------------------------------------------
   * A click's coordinates are checked (hit test at the centre) one round
   * trip before the mouse events arrive; a page that moves in between
   * (a late layout shift, a banner, a re-render) would take the click on
   * another element. A located click target arms this guard: the first
   * trusted pointerdown/mousedown that does not hit the target (or a
   * label of its control) is stopped, with the rest of that gesture, so
   * the page never sees a click on the wrong element; P.guardTake() tells
   * the C side, which locates the target again and clicks once more. A
   * gesture that starts on the target goes through untouched. */
  const GUARD_MS = 10000;
  const GUARD_EVENTS = ['pointerdown', 'mousedown', 'pointerup', 'mouseup',
    'click', 'auxclick', 'dblclick'];
  let guard = null;
  const guarded = new WeakSet();
  function onGuard(e) {
    const g = guard;
    if (!g || !e.isTrusted || g.state === 'ok') return;
    if (now() > g.until) { guard = null; return; }
    if (g.state === 'armed') {
      if (e.type !== 'pointerdown' && e.type !== 'mousedown') return;
      const path = e.composedPath ? e.composedPath() : [];
      const hit = path.length && path[0].nodeType === 1 ? path[0] : e.target;
      /* a target the page replaced on the way (a re-render on hover)
       * cannot be told from a wrong one: let it through, as before */
      if (hitOk(g.ct, g.t, hit) || !g.ct.isConnected) {
        g.state = 'ok';
        return;
      }
      g.state = 'blocked';
      g.hit = hit && hit.nodeType === 1 ? P.describe(hit) : 'nothing';
    }
    e.preventDefault();
    e.stopImmediatePropagation();
  }
  function listen(w) {
    if (!w || guarded.has(w)) return;
    guarded.add(w);
    for (let i = 0; i < GUARD_EVENTS.length; i++)
      w.addEventListener(GUARD_EVENTS[i], onGuard,
        { capture: true, passive: false });
  }
  /* Listening from the start, before the page's own scripts, so that a
   * stopped press reaches none of their listeners, even the page's own
   * capturing ones on window (they run in the order they were added). */
  listen(window);
  function armGuard(t, ct) {
    listen(window);
    listen(ct.ownerDocument.defaultView);
    guard = { t: t, ct: ct, state: 'armed', until: now() + GUARD_MS,
      hit: '' };
  }
  /* After the click: null when nothing was stopped (or no guard: a new
   * document), else the description of what the pointer hit. */
  P.guardTake = function () {
    const g = guard;
    guard = null;
    return g && g.state === 'blocked' ? g.hit : null;
  };

  /* ---- element states ---------------------------------------------- */
  function isDisabled(el) {
    try { if (el.matches(':disabled')) return true; } catch (e) { /* svg */ }
    for (let e = el; e; e = P.parentEl(e))
      if (e.getAttribute('aria-disabled') === 'true') return true;
    return false;
  }
  P.isDisabled = isDisabled;
  const DIRECT = { date: 1, time: 1, color: 1, range: 1, month: 1, week: 1,
    'datetime-local': 1 };
  const NOFILL = { checkbox: 1, radio: 1, file: 1, submit: 1, button: 1,
    reset: 1, image: 1, hidden: 1 };
  function inputType(el) {
    return el.localName === 'input' ? (el.type || 'text').toLowerCase() : '';
  }
  /* null when EL can be filled; else {final, seen}: final = it never can
   * (wrong kind of element), otherwise it may become editable. */
  function editState(el) {
    const t = el.localName;
    if (t === 'input') {
      const ty = inputType(el);
      if (NOFILL[ty])
        return { final: true, seen: 'input of type "' + ty +
          '" cannot be filled' };
      if (el.readOnly) return { final: false, seen: 'the input is readonly' };
    } else if (t === 'textarea') {
      if (el.readOnly) return { final: false, seen: 'the textarea is readonly' };
    } else if (!el.isContentEditable) {
      return { final: true, seen: 'not an <input>, <textarea> or ' +
        '[contenteditable] element' };
    }
    if (el.getAttribute('aria-readonly') === 'true')
      return { final: false, seen: 'aria-readonly="true"' };
    return null;
  }
  /* fill/select/check on a <label> (or text inside one) act on its
   * control, as Playwright does. */
  function retarget(el) {
    const t = el.localName;
    if (t === 'input' || t === 'textarea' || t === 'select' ||
        el.isContentEditable || P.isControl(el))
      return el;
    const lab = el.closest('label');
    return lab && lab.control ? lab.control : el;
  }
  function isCheckInput(el) {
    const ty = inputType(el);
    return ty === 'checkbox' || ty === 'radio';
  }
  /* For a checkbox/radio that is visually hidden (not visible, under 2x2
   * px, or opacity 0), the visible thing a person clicks: one of its
   * <label>s, else a visible wrapping label; else the input itself. */
  function proxyFor(el) {
    if (!isCheckInput(el)) return el;
    if (P.isVisible(el)) {
      const r = el.getBoundingClientRect();
      const st = P.style(el);
      if (r.width >= 2 && r.height >= 2 && !(st && st.opacity === '0'))
        return el;
    }
    const labels = el.labels || [];
    for (let i = 0; i < labels.length; i++)
      if (P.isVisible(labels[i])) return labels[i];
    const wrap = el.parentElement && el.parentElement.closest('label');
    if (wrap && P.isVisible(wrap)) return wrap;
    return el;
  }

  /* ---- waiting --------------------------------------------------------
   * wait(frame, left, fn): frame = wait for the next animation frame
   * (stability checks; 100 ms fallback when rAF is throttled); otherwise
   * for a DOM mutation (immediate, at most one check per 8 ms) or a timer
   * backing off 16 -> 100 ms (catches style/animation/iframe changes). */
  function waiter() {
    let mo = null, timer = 0, raf = 0, cb = null, frameWait = false;
    let frames = 0;
    let delay = 16, lastRun = 0;
    const fire = function (viaFrame) {
      if (!cb) return;
      if (viaFrame === true) frames++;
      const f = cb;
      cb = null;
      clearTimeout(timer);
      if (raf) cancelAnimationFrame(raf);
      raf = 0;
      lastRun = now();
      f();
    };
    return {
      wait: function (frame, left, fn) {
        cb = fn;
        frameWait = frame;
        if (!mo) {
          mo = new MutationObserver(function () {
            if (!cb || frameWait) return;
            delay = 16;
            const since = now() - lastRun;
            clearTimeout(timer);
            if (since >= 8) fire();
            else timer = setTimeout(fire, 8 - since);
          });
          mo.observe(document, { subtree: true, childList: true,
            attributes: true, characterData: true });
        }
        if (frame) {
          raf = requestAnimationFrame(function () { fire(true); });
          timer = setTimeout(fire, 100);
        } else {
          timer = setTimeout(fire, Math.max(0, Math.min(delay, left)));
          delay = Math.min(delay * 2, 100);
        }
      },
      frames: function () { return frames; },
      stop: function () {
        cb = null;
        if (mo) mo.disconnect();
        clearTimeout(timer);
        if (raf) cancelAnimationFrame(raf);
      }
    };
  }

  function descs(els) {
    const out = [];
    for (let i = 0; i < els.length && i < 5; i++) out.push(P.describe(els[i]));
    return out;
  }
  function okRes(el, ct, n) {
    const b = box(ct);
    const r = { ok: true, h: P.keep(el), n: n, x: b.x + b.w / 2,
      y: b.y + b.h / 2, w: b.w, h_: b.h, box: b, desc: P.describe(el) };
    if (ct !== el) r.proxy = P.keep(ct);
    return r;
  }
  function failRes(reason, n, el, els, seen) {
    return { ok: false, reason: reason, n: n, desc: el ? P.describe(el) : '',
      matches: descs(els || []), seen: seen || '' };
  }

  /* One readiness evaluation. Returns {final: result} or a pending state
   * {reason, seen, n, el, els, frame}. st carries the previous box for the
   * stability check and the scroll count between evaluations. */
  function step(getEls, o, st, byHandle) {
    const kind = o.kind;
    const els = getEls();
    const n = els.length;
    const nth = o.nth;
    if (o.count) return { final: { ok: true, n: n } };
    if (kind === 'hidden') {
      const cand = nth >= 0 ? (els[nth] ? [els[nth]] : []) : els;
      const vis = cand.filter(P.isVisible);
      if (!vis.length) return { final: { ok: true, n: n } };
      return { reason: 'visible', n: n, els: vis, el: vis[0],
        seen: vis.length + ' visible match' + (vis.length > 1 ? 'es' : '') };
    }
    if (n === 0) {
      if (byHandle)
        return { final: failRes('detached', 0, null, [],
          'the element is no longer in the document') };
      return { reason: 'not-found', n: 0, els: els, seen: 'no match' };
    }
    if (nth < 0 && n > 1)
      return { final: failRes('ambiguous', n, null, els, n +
        ' elements match; add nth or a more precise target') };
    const el = nth < 0 ? els[0] : els[nth];
    if (!el)
      return { reason: 'not-found', n: n, els: els, seen: 'only ' + n +
        ' match' + (n > 1 ? 'es' : '') + ', wanted #' + (nth + 1) };
    if (kind === 'attached' || kind === 'read')
      return { final: okRes(el, el, n) };
    const t = (kind === 'fill' || kind === 'select' || kind === 'check') ?
      retarget(el) : el;
    const ct = (kind === 'click' || kind === 'check') ? proxyFor(t) : t;
    const pend = function (reason, seen, frame) {
      return { reason: reason, seen: seen, n: n, el: t, els: els,
        frame: !!frame };
    };
    if (!P.isVisible(ct))
      return pend('hidden', P.describe(ct) + ' is not visible');
    if (kind === 'visible') return { final: okRes(t, ct, n) };
    if (kind !== 'hover' && isDisabled(t))
      return pend('disabled', P.describe(t) + ' is disabled');
    if (kind === 'fill') {
      const e = editState(t);
      if (e && e.final)
        return { final: failRes('not-editable', n, t, els, e.seen) };
      if (e) return pend('not-editable', e.seen);
      return { final: okRes(t, t, n) };
    }
    if (kind === 'select') {
      if (t.localName !== 'select')
        return { final: failRes('wrong-element', n, t, els,
          'not a <select> element') };
      return { final: okRes(t, t, n) };
    }
    // click, check, hover: in view, stable, receives the pointer.
    if (!inView(ct) && st.scrolls < 3) {
      st.scrolls++;
      ct.scrollIntoView({ block: 'center', inline: 'center',
        behavior: 'instant' });
      st.prevBox = null;   // the box below is sampled after the scroll
    }
    const b = box(ct);
    const framePassed = st.frames() > st.prevFrame ||
      now() - st.prevAt >= 100;
    if (st.prevEl !== ct || !sameBox(st.prevBox, b) || !framePassed) {
      const moving = st.prevEl === ct && st.prevBox !== null && framePassed;
      if (framePassed || st.prevEl !== ct) {
        st.prevEl = ct;
        st.prevBox = b;
        st.prevFrame = st.frames();
        st.prevAt = now();
      }
      return pend('unstable', moving ? P.describe(ct) + ' is moving' :
        'waiting for a stable position', true);
    }
    if (b.w === 0 || b.h === 0) return pend('hidden', 'empty box');
    const hit = hitAt(b.x + b.w / 2, b.y + b.h / 2);
    if (!hitOk(ct, t, hit)) {
      /* a cached entry made without a dialog, now under one that opened
       * while it was waited for: not this entry's page state */
      if (o.plain && P.modalOf && P.modalOf(t) === null)
        return { final: { ok: false, reason: 'dialog', n: 1 } };
      return pend('covered', hit ? 'covered by ' + P.describe(hit) :
        'the centre (' + Math.round(b.x + b.w / 2) + ',' +
        Math.round(b.y + b.h / 2) + ') is outside the viewport');
    }
    shownBefore = shownNow(t);
    if (kind !== 'hover') armGuard(t, ct);
    return { final: okRes(t, ct, n) };
  }

  function run(getEls, opts, byHandle, begun) {
    const o = {
      kind: (opts && opts.kind) || 'click',
      nth: opts && typeof opts.nth === 'number' ? opts.nth : -1,
      timeout: opts && typeof opts.timeout === 'number' ? opts.timeout : 5000,
      count: !!(opts && opts.count),
      plain: !!(opts && opts.plain)
    };
    const t0 = now();
    const st = { prevEl: null, prevBox: null, scrolls: 0, prevFrame: 0,
      prevAt: 0, frames: null };
    return new Promise(function (resolve) {
      const w = waiter();
      st.frames = w.frames;
      const tick = function () {
        let r;
        try {
          if (!begun) P.begin();
          begun = false;
          r = step(getEls, o, st, byHandle);
        } catch (e) {
          r = { final: failRes('bad-selector', 0, null, [],
            String(e && e.message || e)) };
        }
        const ms = Math.round(now() - t0);
        if (r.final) {
          w.stop();
          r.final.ms = ms;
          resolve(r.final);
          return;
        }
        const left = o.timeout - (now() - t0);
        if (left <= 0) {
          w.stop();
          const f = failRes(r.reason, r.n, r.el, r.els, r.seen);
          f.ms = ms;
          resolve(f);
          return;
        }
        w.wait(r.frame, left, tick);
      };
      tick();
    });
  }

  P.locate = function (spec, opts) {
    return run(function () { return P.query(spec); }, opts, false);
  };
  P.locateHandle = function (h, opts) {
    const el = P.el(h);
    const o = Object.assign({}, opts || {}, { nth: -1 });
    return run(function () { return el && el.isConnected ? [el] : []; },
      o, true);
  };

  /* EL checked for KIND as P.locateHandle() checks it, for the
   * collector's guess. A kind that needs no animation frame is checked
   * once, at once: the answer when final and good, else null. One that
   * does (a click's stability spans a frame) is waited for up to MS ms: a
   * promise of that answer or of null; null at once when MS is 0. The
   * first check runs in the caller's batch (P.begin() is the caller's). */
  const NOW_KINDS = new Set(['attached', 'read', 'visible', 'fill',
    'select']);
  P.readyCheck = function (el, kind, ms) {
    const get = function () { return el.isConnected ? [el] : []; };
    if (NOW_KINDS.has(kind)) {
      const st = { prevEl: null, prevBox: null, scrolls: 0, prevFrame: 0,
        prevAt: 0, frames: null };
      const r = step(get, { kind: kind, nth: -1, timeout: 0, count: false },
        st, true);
      if (!r.final || !r.final.ok) return null;
      r.final.ms = 0;
      return r.final;
    }
    if (!(ms > 0)) return null;
    return run(get, { kind: kind, nth: -1, timeout: ms }, true, true)
      .then(function (r) { return r.ok ? r : null; });
  };

  /* A cached selector's element, checked and made ready in one run. SPEC
   * must match exactly one element at once, its tag, role and name (when
   * F has one) must agree with the cached fingerprint F, and the words
   * around it (P.nearWords()) must still hold each of F.fit (the intent's
   * words that were around it when it was cached: space-separated, folded
   * as P.nearWords() folds); that element is then waited for as
   * P.locateHandle() waits. Reason 'dialog': F.modal (the entry was made
   * with a modal dialog open) and EL is in none, or no F.modal and a modal
   * dialog covers EL. A hidden element has no name yet (a form
   * the page's scripts show after the load): its name and words are
   * checked once it is ready, if that takes at most HIDDEN_FIT_MS (past
   * that the entry no longer fits). An answer about it carries validated:
   * true; without that, n and reason ('mismatch'; 'unfit' with the
   * missing word; or why the query failed) say why the entry no longer
   * fits. */
  const HIDDEN_FIT_MS = 2000;
  P.locateCached = function (spec, F, opts) {
    let els;
    P.begin();
    try {
      els = P.query(spec);
    } catch (e) {
      return Promise.resolve(failRes('bad-selector', 0, null, [],
        String(e && e.message || e)));
    }
    if (els.length !== 1)
      return Promise.resolve(failRes(els.length ? 'ambiguous' : 'not-found',
        els.length, null, els, ''));
    const el = els[0];
    if (el.localName !== F.tag || P.role(el) !== F.role)
      return Promise.resolve({ ok: false, reason: 'mismatch', n: 1 });
    const misfit = function () {     /* null, or why EL no longer fits */
      if (F.name && P.name(el) !== F.name)
        return { ok: false, reason: 'mismatch', n: 1 };
      if (F.fit) {
        const nw = ' ' + P.nearWords(el) + ' ';
        const fit = String(F.fit).split(' ');
        for (let i = 0; i < fit.length; i++)
          if (fit[i] && nw.indexOf(' ' + fit[i] + ' ') < 0)
            return { ok: false, reason: 'unfit', n: 1, word: fit[i] };
      }
      return null;
    };
    /* An entry made with a modal dialog open (F.modal) is for that
     * dialog; one made without is not for a page a dialog now covers:
     * another entry, or the heuristics, answer then (docs/CACHE.md). */
    const dlg = P.modalOf(el);
    if (F.modal ? !dlg : dlg === null)
      return Promise.resolve({ ok: false, reason: 'dialog', n: 1 });
    let bad = misfit();
    if (bad && P.isVisible(el)) return Promise.resolve(bad);
    const o = Object.assign({}, opts || {}, { nth: -1, plain: !F.modal });
    /* not for long: the time left is the heuristics' if it never fits */
    if (bad && !(o.timeout <= HIDDEN_FIT_MS)) o.timeout = HIDDEN_FIT_MS;
    return run(function () { return el.isConnected ? [el] : []; }, o, true,
      true).then(function (r) {
      if (!r.ok && r.reason === 'dialog') return r;   /* not validated */
      if (bad) {
        P.begin();
        if ((bad = misfit())) return bad;
      }
      r.validated = true;
      return r;
    });
  };

  /* ---- fill ------------------------------------------------------- */
  const fillStart = new WeakMap();
  function fire(el, type) {
    const W = el.ownerDocument.defaultView;
    el.dispatchEvent(new W.Event(type, { bubbles: true, composed: true }));
  }
  /* Sets .value through the prototype setter, so frameworks that shadow
   * the instance property (React) see the change. */
  function setValue(el, v) {
    const W = el.ownerDocument.defaultView;
    const proto = el.localName === 'textarea' ? W.HTMLTextAreaElement.prototype
      : el.localName === 'select' ? W.HTMLSelectElement.prototype
        : W.HTMLInputElement.prototype;
    const d = Object.getOwnPropertyDescriptor(proto, 'value');
    if (d && d.set) d.set.call(el, v); else el.value = v;
  }
  function fieldValue(el) {
    const t = el.localName;
    return (t === 'input' || t === 'textarea') ? el.value :
      el.innerText.replace(/\n$/, '');
  }
  /* Selects EL's whole content: a text field's value, an editable
   * element's contents. */
  function selectAll(el) {
    const t = el.localName;
    if (t === 'input' || t === 'textarea') {
      try { el.select(); } catch (x) { /* types without selection */ }
      return;
    }
    const d = el.ownerDocument;
    const r = d.createRange();
    r.selectNodeContents(el);
    const sel = d.getSelection();
    sel.removeAllRanges();
    sel.addRange(r);
  }

  /* ---- fill racing the page's own focus changes ----------------------
   * The text goes in by Input.insertText, one round trip after
   * P.prepareFill focused the field: a page that moves the focus in
   * between (a login page focusing its user field by a timer after load)
   * would get the text in the other field. So P.prepareFill watches the
   * field's window until the typing arrives: the first trusted
   * beforeinput is the typing. When it is aimed at another element, it
   * is cancelled there (with any other piece of the same typing, until
   * the task ends), and the text goes into the field in the microtask
   * right after: focus, select and execCommand('insertText'), in one
   * script run that no timer of the page can come between. The typing
   * events stay those of typing; no round trip is added. */
  let fillWatch = null;
  const FILL_WATCH_MS = 5000;   /* a watch that no typing ever ended */
  function typeInto(el, v) {
    el.focus();
    selectAll(el);
    let ok = false;
    try {
      ok = el.ownerDocument.execCommand('insertText', false, v);
    } catch (x) {
      ok = false;
    }
    if (ok) return;
    if (el.localName === 'input' || el.localName === 'textarea')
      setValue(el, v);
    else
      el.textContent = v;
    fire(el, 'input');
  }
  /* A key let go once the text is in (its input event fired in the same
   * task): search-as-you-type filters written for keyup alone (a
   * table's "Filter rows") see nothing of an insertText otherwise. The
   * key is Shift, which types nothing: a filter that reads the field on
   * any keyup filters, while an autocomplete, which ignores such keys,
   * opens no suggestions over the page (a fill sets a value, as
   * Playwright's does). A synthetic event: no key goes over CDP. */
  function keyLetGo(el) {
    setTimeout(function () {
      if (!el.isConnected) return;
      el.dispatchEvent(new KeyboardEvent('keyup', { bubbles: true,
        cancelable: true, composed: true, key: 'Shift', code: 'ShiftLeft',
        keyCode: 16, which: 16, view: el.ownerDocument.defaultView }));
    }, 0);
  }
  function watchFill(el, v) {
    if (fillWatch) fillWatch.stop();
    const win = el.ownerDocument.defaultView;  /* first on capture paths */
    let astray = false, timer = 0;
    const w = { el: el, stop: null };
    const onBefore = function (e) {
      if (!e.isTrusted) return;
      const path = e.composedPath ? e.composedPath() : [];
      const n = path.length ? path[0] : e.target;
      const ours = !n || n === el || (n.nodeType === 1 && el.contains(n));
      if (!astray) {
        if (ours || !e.cancelable) { w.stop(); keyLetGo(el); return; }
        astray = true;
        queueMicrotask(function () { typeInto(el, v); keyLetGo(el); });
        clearTimeout(timer);
        timer = setTimeout(function () { w.stop(); }, 0);
      }
      if (!ours && e.cancelable) e.preventDefault();
    };
    timer = setTimeout(function () { w.stop(); }, FILL_WATCH_MS);
    w.stop = function () {
      removeListener.call(win, 'beforeinput', onBefore, true);
      clearTimeout(timer);
      if (fillWatch === w) fillWatch = null;
    };
    addListener.call(win, 'beforeinput', onBefore, true);
    fillWatch = w;
  }

  /* Focus EL and select its whole content. Types where typing makes no
   * sense (date, time, color, range, month, week, datetime-local) are set
   * directly ({done:true}); '' clears ({done:true}). Otherwise
   * {done:false}: the C side sends Input.insertText(value), which goes
   * into EL even if the page moves the focus first (watchFill());
   * P.afterFill reports the resulting value to a caller that wants to
   * check it. */
  P.prepareFill = function (h, value) {
    let el = P.el(h);
    if (!el || !el.isConnected) return { ok: false, reason: 'detached' };
    el = retarget(el);
    const v = value == null ? '' : String(value);
    const t = el.localName, ty = inputType(el);
    const e = editState(el);
    if (e) return { ok: false, reason: 'not-editable', seen: e.seen };
    el.focus();
    if (t === 'input' && DIRECT[ty]) {
      setValue(el, v);
      fire(el, 'input');
      fire(el, 'change');
      if (v !== '' && el.value === '')
        return { ok: false, done: true, reason: 'malformed value "' + v +
          '" for an input of type ' + ty, value: el.value };
      return { ok: true, done: true, value: el.value };
    }
    if (t === 'input' || t === 'textarea') {
      fillStart.set(el, el.value);
      selectAll(el);
      if (v === '') {
        if (el.value !== '') { setValue(el, ''); fire(el, 'input'); fire(el, 'change'); }
        return { ok: true, done: true, value: el.value };
      }
      watchFill(el, v);
      return { ok: true, done: false };
    }
    // contenteditable
    const d = el.ownerDocument;
    fillStart.set(el, el.innerText);
    selectAll(el);
    if (v === '') {
      if (!d.execCommand('delete')) { el.textContent = ''; fire(el, 'input'); }
      return { ok: true, done: true, value: P.norm(el.innerText) };
    }
    watchFill(el, v);
    return { ok: true, done: false };
  };
  /* After Input.insertText: returns the resulting value for the C side to
   * check, and whether it changed. No synthetic "change" is dispatched for
   * typed text: the browser fires the real one when the field loses focus
   * (or on Enter), as for a person typing and as Playwright's fill does;
   * a synthetic one would make apps see two. focus stays in the field so
   * a following "press Enter" submits. */
  P.afterFill = function (h) {
    let el = P.el(h);
    if (!el || !el.isConnected) return { ok: false, reason: 'detached' };
    el = retarget(el);
    const before = fillStart.get(el);
    fillStart.delete(el);
    const v = fieldValue(el);
    return { ok: true, value: v, changed: before !== undefined && before !== v };
  };

  /* ---- select ------------------------------------------------------ */
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

  /* ---- the menu an element opened ------------------------------------
   * After a click or hover on a menu's button, the next step's words may
   * mean an item of that menu (heur_hist.menu). The menu is the element
   * the button's aria-controls (or aria-owns) names, else, for a button
   * that says it opens one (aria-haspopup, aria-expanded="true", a
   * dropdown toggle), the menu or list shown beside it; only a visible
   * one. */
  const MENU_ROLE = /^(menu|menubar|listbox|tree|grid|dialog)$/;
  const MENU_CLASS = /menu|dropdown|popup|popover/i;
  function openedMenu(el) {
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
             MENU_CLASS.test(s.getAttribute('class') || '')) && holdsFresh(s))
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
  let before = null;     /* shownBefore as the click found it */
  function fresh(e) {
    return !before.has(e) && e.matches(SHOWN) && P.isVisible(e);
  }
  /* Does EL hold a control shown since (any, when that is not known)? */
  function holdsFresh(el) {
    if (!before) return true;
    if (fresh(el)) return true;
    const all = el.querySelectorAll(SHOWN);
    for (let i = 0; i < all.length; i++) if (fresh(all[i])) return true;
    return false;
  }
  /* No menu beside it: the candidates EL's click revealed into IDS
   * (none when more than MENU_FEW: a new page more than a panel). */
  const MENU_FEW = 64;
  function revealed(el, cands, ids) {
    const t = expander(el);
    if (!before || !t || t.getAttribute('aria-expanded') !== 'true')
      return;
    for (let i = 0; i < cands.length && ids.length <= MENU_FEW; i++)
      if (cands[i] && cands[i] !== t && !t.contains(cands[i]) &&
          fresh(cands[i])) ids.push(i);
    if (ids.length > MENU_FEW) ids.length = 0;
  }
  /* COLLECT()'s answer R (P.collect(), or a promise of it) as {doc: R,
   * menu: [...]}: the record ids of the collected candidates inside the
   * menu that the element of handle H opened ([] when it opened none). */
  P.withMenu = function (h, collect) {
    /* the collection's own check of its guess locates a target too */
    const was = shownBefore, r = collect();
    const add = function (doc) {
      before = was;
      const el = P.el(h);
      const m = el && el.isConnected ? openedMenu(el) : null;
      const ids = [];
      const cands = P.cands || [];
      for (let i = 0; m && i < cands.length && ids.length < MENU_MAX; i++)
        if (cands[i] && (cands[i] === m || m.contains(cands[i]))) ids.push(i);
      if (!m && el && el.isConnected) revealed(el, cands, ids);
      return { doc: doc, menu: ids };
    };
    return r && typeof r.then === 'function' ? r.then(add) : add(r);
  };

  /* ---- read -------------------------------------------------------- */
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

  /* ---- fingerprints and selector synthesis ------------------------- */
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
    const el = P.el(h);
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
  };

  /* ---- scrolling --------------------------------------------------- */
  /* P.scrollTo(handle | {x,y} | "top"|"bottom"|"up"|"down") ->
   * {ok, x, y} (the window's scroll position afterwards). */
  P.scrollTo = function (arg) {
    const se = document.scrollingElement || document.documentElement;
    if (typeof arg === 'number') {
      const el = P.el(arg);
      if (!el || !el.isConnected) return { ok: false, reason: 'detached' };
      el.scrollIntoView({ block: 'center', inline: 'center',
        behavior: 'instant' });
    } else if (arg && typeof arg === 'object') {
      window.scrollTo({ left: +arg.x || 0, top: +arg.y || 0,
        behavior: 'instant' });
    } else if (arg === 'top') {
      window.scrollTo({ left: 0, top: 0, behavior: 'instant' });
    } else if (arg === 'bottom') {
      window.scrollTo({ left: 0, top: se.scrollHeight, behavior: 'instant' });
    } else if (arg === 'up' || arg === 'down') {
      window.scrollBy({ left: 0, top: (arg === 'up' ? -0.8 : 0.8) *
        window.innerHeight, behavior: 'instant' });
    } else {
      return { ok: false, reason: 'bad scroll target' };
    }
    return { ok: true, x: window.scrollX, y: window.scrollY };
  };
}
