  /* ---- 38-act-check.js: what an assert reads of an element ------------
   * P.probe(h, what, name) reads, at once, what an "assert" on a target
   * compares (selectors/check.c polls it and compares): {v: value} or
   * {gone: true} when the element left the document. what:
   *   text       its visible text, white space collapsed
   *   value      a form control's value (else its text)
   *   attribute  attribute NAME, null when absent
   *   state      whether it is in state NAME (below): true or false
   * A <label> (or an element inside one) stands for its control, as for
   * fill and check. */
  function focusedIn(el) {
    let a = el.ownerDocument.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement)
      a = a.shadowRoot.activeElement;
    return a === el;
  }
  function isChecked(el) {
    if (isCheckInput(el)) return !!el.checked;
    const ac = el.getAttribute('aria-checked') || el.getAttribute('aria-pressed');
    return ac === 'true' || ac === 'mixed';
  }
  const STATES = {
    checked: isChecked,
    enabled: function (el) { return !isDisabled(el); },
    disabled: isDisabled,
    visible: P.isVisible,
    hidden: function (el) { return !P.isVisible(el); },
    focused: focusedIn,
    editable: function (el) { return !isDisabled(el) && !editState(el); }
  };
  P.probe = function (h, what, name) {
    const el = P.el(h);
    if (!el || !el.isConnected) return { gone: true };
    const t = what === 'text' || what === 'attribute' ||
      (what === 'state' && (name === 'visible' || name === 'hidden')) ?
      el : retarget(el);
    if (what === 'text') return { v: P.text(t) };
    if (what === 'value') return { v: P.read(P.keep(t)) };
    if (what === 'attribute') return { v: t.getAttribute(name) };
    const f = STATES[name];
    return { v: f ? !!f(t) : null };
  };
