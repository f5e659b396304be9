/* fixture_check.js -- evaluated by driver.py on every fixture site page.
 * For every interactive element of the page (shadow roots and same-origin
 * frames included) P.selectorFor must return a selector that P.query
 * resolves to exactly that element. Resolves to "ok - "/"FAIL - " lines. */
(async function () {
  const P = window.__cdpilot;
  const lines = [];
  if (!P) return 'FAIL - window.__cdpilot missing';
  // delayed.html and text.html change 300-500 ms after load
  await new Promise(function (r) { setTimeout(r, 650); });
  function parse(s) {
    let m;
    if ((m = /^role=([a-z]+)\[name="((?:[^"\\]|\\.)*)"\]$/.exec(s)))
      return { s: 'role', role: m[1], name: m[2].replace(/\\(.)/g, '$1'), exact: true };
    m = /^(css|xpath|text|label|placeholder|testid)=([\s\S]*)$/.exec(s);
    return m ? { s: m[1], v: m[2] } : null;
  }
  const SEL = 'a[href],button,input:not([type=hidden]),select,textarea,' +
    '[contenteditable],[role=button],[role=link],[role=checkbox],[role=textbox]';
  const els = [];
  P.walk(document, function (el) { if (el.matches(SEL)) els.push(el); });
  const page = location.pathname.split('/').pop();
  let good = 0;
  const kinds = {};
  for (const el of els) {
    const h = P.keep(el);
    const s = P.selectorFor(h);
    const spec = s && parse(s);
    let m = [];
    try { m = spec ? P.query(spec) : []; } catch (e) { m = []; }
    if (s && m.length === 1 && m[0] === el) {
      good++;
      const k = s.split('=')[0];
      kinds[k] = (kinds[k] || 0) + 1;
    } else {
      lines.push('FAIL - ' + page + ': selectorFor(' + P.describe(el) + ') = ' +
        JSON.stringify(s) + ' matches ' + m.length);
    }
  }
  lines.push((good === els.length && els.length > 0 ? 'ok - ' : 'FAIL - ') + page +
    ': selectorFor unique for ' + good + '/' + els.length + ' interactive elements ' +
    JSON.stringify(kinds));
  // Fingerprints are plain JSON.
  if (els.length) {
    const fp = P.fingerprint(P.keep(els[0]));
    lines.push((fp && typeof fp.tag === 'string' && typeof fp.role === 'string' ?
      'ok - ' : 'FAIL - ') + page + ': fingerprint ' + JSON.stringify(fp));
  }
  // Page-specific contract checks: what the lead's integration tests rely on.
  const ck = async function (name, spec, opts, pred) {
    const r = await P.locate(spec, Object.assign({ kind: 'click', timeout: 1500 }, opts));
    let ok = false;
    try { ok = pred(r); } catch (e) { ok = false; }
    lines.push((ok ? 'ok - ' : 'FAIL - ') + page + ': ' + name + (ok ? '' : ': ' + JSON.stringify(r)));
  };
  const at = function (r, el) { return r.ok && P.hitAt(r.x, r.y) && (P.hitAt(r.x, r.y) === el || el.contains(P.hitAt(r.x, r.y))); };
  if (page === 'login.html') {
    await ck('label=Email fillable', { s: 'label', v: 'Email' }, { kind: 'fill' }, function (r) { return r.ok && P.el(r.h).id === 'email'; });
    await ck('label=Password fillable', { s: 'label', v: 'Password' }, { kind: 'fill' }, function (r) { return r.ok && P.el(r.h).id === 'password'; });
    await ck('Sign in button clickable', { s: 'role', role: 'button', name: 'Sign in' }, {}, function (r) { return r.ok; });
  } else if (page === 'overlay.html') {
    await ck('permanently covered button', { s: 'css', v: '#never' }, { timeout: 300 }, function (r) { return r.reason === 'covered' && /#blocker/.test(r.seen); });
    await ck('uncovered after 400 ms', { s: 'css', v: '#soon' }, {}, function (r) { return r.ok; });
  } else if (page === 'enable.html') {
    await ck('Go enabled after 500 ms', { s: 'role', role: 'button', name: 'Go' }, {}, function (r) { return r.ok; });
  } else if (page === 'shadow.html') {
    const sr = document.getElementById('card').shadowRoot;
    await ck('label=Message inside the shadow root', { s: 'label', v: 'Message' }, { kind: 'fill' }, function (r) { return r.ok && P.el(r.h) === sr.getElementById('msg'); });
    await ck('Send hit-tested through the shadow root', { s: 'role', role: 'button', name: 'Send' }, {}, function (r) { return at(r, sr.getElementById('send')); });
  } else if (page === 'frames.html') {
    const d = document.getElementById('inner').contentDocument;
    await ck('label=City inside the frame', { s: 'label', v: 'City' }, { kind: 'fill' }, function (r) { return r.ok && P.el(r.h) === d.getElementById('city'); });
    await ck('Save city hit-tested in the frame', { s: 'text', v: 'Save city' }, {}, function (r) { return at(r, d.getElementById('frame-save')); });
  } else if (page === 'dup.html') {
    await ck('two Save buttons are ambiguous', { s: 'role', role: 'button', name: 'Save' }, {}, function (r) { return r.reason === 'ambiguous' && r.n === 2; });
    await ck('testid tells them apart', { s: 'testid', v: 'save-final' }, {}, function (r) { return r.ok; });
  } else if (page === 'form.html') {
    await ck('hidden checkbox checked through its label', { s: 'label', v: 'I accept the terms' }, { kind: 'check' }, function (r) { return r.ok && P.el(r.proxy) && P.el(r.proxy).localName === 'label'; });
    await ck('readonly not editable', { s: 'label', v: 'Order number' }, { kind: 'fill', timeout: 200 }, function (r) { return r.reason === 'not-editable'; });
    await ck('disabled input', { s: 'label', v: 'Coupon' }, { kind: 'fill', timeout: 200 }, function (r) { return r.reason === 'disabled'; });
    await ck('aria-labelledby contenteditable', { s: 'label', v: 'Notes' }, { kind: 'fill' }, function (r) { return r.ok && P.el(r.h).id === 'notes-box'; });
    await ck('aria-label field', { s: 'label', v: 'Phone number' }, { kind: 'fill' }, function (r) { return r.ok; });
    await ck('placeholder-only field', { s: 'placeholder', v: 'Search the catalogue' }, { kind: 'fill' }, function (r) { return r.ok; });
    await ck('wrapping label', { s: 'label', v: 'Nickname' }, { kind: 'fill' }, function (r) { return r.ok && P.el(r.h).id === 'nick'; });
  } else if (page === 'long.html') {
    await ck('far button scrolled into view', { s: 'role', role: 'button', name: 'Far away' }, {}, function (r) { return r.ok && r.y > 0 && r.y < innerHeight; });
  } else if (page === 'table.html') {
    await ck('second Delete by nth', { s: 'role', role: 'button', name: 'Delete' }, { nth: 1 }, function (r) { return r.ok && P.el(r.h).closest('tr').dataset.user === 'bob'; });
  } else if (page === 'text.html') {
    lines.push((P.hasText('Shipped') && !P.hasText('Secret note') ? 'ok - ' : 'FAIL - ') + page + ': status changed, hidden note not page text');
  }
  return lines.join('\n');
})()
