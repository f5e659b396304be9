/* harness.js -- tiny in-page test harness for tests/js/test_*.html.
 * T.ok(cond, name[, detail]), T.eq(got, want, name), T.run(async fn).
 * window.__testsDone is a Promise of the result lines ("ok - name" /
 * "FAIL - name: detail"), awaited by tests/js/driver.py. */
(function () {
  'use strict';
  let resolve;
  window.__testsDone = new Promise(function (r) { resolve = r; });
  const lines = [];
  const T = window.T = {
    ok: function (c, name, detail) {
      lines.push((c ? 'ok - ' : 'FAIL - ') + String(name).replace(/\s+/g, ' ') +
        (c || detail === undefined ? '' : ': ' + detail));
      return !!c;
    },
    eq: function (got, want, name) {
      const g = JSON.stringify(got), w = JSON.stringify(want);
      return T.ok(g === w, name, 'got ' + g + ', want ' + w);
    },
    sleep: function (ms) { return new Promise(function (r) { setTimeout(r, ms); }); },
    P: function () { return window.__cdpilot; },
    run: function (fn) {
      const go = async function () {
        try {
          if (!window.__cdpilot) throw new Error('window.__cdpilot missing');
          await fn(window.__cdpilot);
        } catch (e) {
          lines.push('FAIL - exception: ' + (e && e.stack || e));
        }
        const pre = document.getElementById('results');
        if (pre) pre.textContent = lines.join('\n');
        resolve(lines.join('\n'));
      };
      if (document.readyState === 'complete') go();
      else window.addEventListener('load', function () { setTimeout(go, 0); });
    }
  };
})();
