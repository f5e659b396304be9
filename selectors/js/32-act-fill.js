  /* ---- 32-act-fill.js: fill (30-act.js's block) ------------------------ */
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
