/* fixture_check.js -- evaluated by driver.py on every fixture site page.
 * For every interactive element of the page (shadow roots and same-origin
 * frames included) P.selectorFor must return a selector that P.query
 * resolves to exactly that element. Resolves to "ok - "/"FAIL - " lines. */
(async function () {
  const P = window.__cdpilot;
  const lines = [];
  if (!P) return 'FAIL - window.__cdpilot missing';
  await new Promise(function (r) { setTimeout(r, 50); });
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
  return lines.join('\n');
})()
