  /* ---- 30-act.js: waiting, actionability and page-side actions --------
   * Everything the C side calls returns JSON-serialisable values (or a
   * Promise of one): handles (P.keep) stand for elements.
   * The files 30-act.js to 39-act-end.js share one block, opened here and
   * closed in 39-act-end.js, so that their helpers are each other's:
   * this file holds geometry, the pointer guard and element states;
   * 31-act-locate.js waits for a target to be ready; 32-act-fill.js,
   * 33-act-select-check.js and 34-act-menu.js hold the actions and what
   * they open; 35-act-read.js reads the page; 36-act-selector.js makes
   * fingerprints and selectors; 37-act-scroll.js scrolls. */
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
