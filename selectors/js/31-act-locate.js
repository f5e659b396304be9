  /* ---- 31-act-locate.js (30-act.js's block) -----------------------------
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
    shownBefore = kind === 'click' || kind === 'hover' ? shownNow(t) : null;
    if (kind !== 'hover') armGuard(t, ct);
    return { final: okRes(t, ct, n) };
  }

  function run(getEls, opts, byHandle, begun) {
    const o = {
      kind: (opts && opts.kind) || 'click',
      nth: opts && typeof opts.nth === 'number' ? opts.nth : -1,
      timeout: opts && typeof opts.timeout === 'number' ? opts.timeout : 5000,
      count: !!(opts && opts.count),
      plain: !!(opts && opts.plain),
      /* a read step's read, made as the element is found: true for its
       * text or value, or the attribute's name (P.read()) */
      read: opts && opts.read,
      /* an element check's first look ([what, name]: P.probe()) */
      probe: opts && opts.probe
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
          if (o.read && r.final.ok && r.final.h != null)
            r.final.val = P.read(r.final.h,
              typeof o.read === 'string' ? o.read : null);
          if (o.probe && r.final.ok && r.final.h != null)
            r.final.pv = P.probe(r.final.h, o.probe[0], o.probe[1]);
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
   * F has one) must agree with the cached fingerprint F (an object, or
   * the JSON text the cache keeps), and the words
   * around it (P.nearWords()) must still hold each of F.fit (the intent's
   * words that were around it when it was cached: space-separated, folded
   * as P.nearWords() folds); that element is then waited for as
   * P.locateHandle() waits. Reason 'dialog': F.modal (the entry was made
   * with a modal dialog open) and EL is in none, or no F.modal and a modal
   * dialog covers EL. Reason 'opened': F.opened (the entry was made just
   * after a click that opened a menu or panel) and the element of handle
   * OPENER (the last clicked or hovered, -1 none) opened nothing, or no
   * F.opened and it did (P.openedBy()). A hidden element has no name yet
   * (a form the page's scripts show after the load): its name and words are
   * checked once it is ready, if that takes at most HIDDEN_FIT_MS (past
   * that the entry no longer fits). An answer about it carries validated:
   * true; without that, n and reason ('mismatch'; 'unfit' with the
   * missing word; or why the query failed) say why the entry no longer
   * fits. */
  const HIDDEN_FIT_MS = 2000;
  P.locateCached = function (spec, F, opts, opener) {
    let els;
    /* the fingerprint as stored (JSON text): one that does not parse
     * fits nothing */
    if (typeof F === 'string') {
      try { F = JSON.parse(F); } catch (e) { F = null; }
    }
    if (!F || typeof F !== 'object') F = {};
    P.begin();
    /* the state first: what a click opened may not be drawn yet */
    if (!!F.opened !== (opener >= 0 && P.openedBy(opener)))
      return Promise.resolve({ ok: false, reason: 'opened', n: 1 });
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
      const word = F.fit ? P.nearLacks(el, F.fit) : null;
      return word === null ? null :
        { ok: false, reason: 'unfit', n: 1, word: word };
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
